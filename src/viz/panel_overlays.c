/* panel_overlays.c — what is drawn over the picture, after dl_begin_overlay:
 * the input fields while typing, the model menu, the tooltips (hover: exact
 * values; a score button: why it is enabled or not), the key help and the
 * one-line message. */
#include "panel.h"

#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"

/* ---- the input fields, over the top of the picture while typing ---- */

/* The width of s[from, to) at px. */
static float span_w(const DrawList *dl, const char *s, int from, int to, float px) {
    char b[1100];
    int n = to - from;
    if (n <= 0) return 0;
    if (n > (int)sizeof b - 1) n = (int)sizeof b - 1;
    memcpy(b, s + from, (size_t)n);
    b[n] = 0;
    return dl_text_width(dl, b, px, 0);
}

/* Draw s[from, to) at (x, y); its command, or NULL when empty. */
static DlCmd *span(DrawList *dl, float x, float y, float px, Color c, const char *s, int from, int to) {
    char b[1100];
    int n = to - from;
    if (n <= 0) return NULL;
    if (n > (int)sizeof b - 1) n = (int)sizeof b - 1;
    memcpy(b, s + from, (size_t)n);
    b[n] = 0;
    return dl_text(dl, x, y, px, 0, c, b);
}

/* One field's text in fw units of width: scrolled so the caret shows, the
 * selection behind it, the composition (underlined) at the caret. */
static void edit_text(DrawList *dl, const View *v, int field, float fx, float fy, float fw, float px) {
    const Theme *th = &v->th;
    const VizState *st = v->st;
    const char *t = st->edit_text[field] ? st->edit_text[field] : "";
    float u = v->L.u, lh = dl_text_height(dl, px);
    bool active = field == st->edit_field;
    int n = (int)strlen(t), c = active ? st->edit_cursor : 0, a = active ? st->edit_anchor : 0;
    c = c < 0 ? 0 : c > n ? n : c;
    a = a < 0 ? 0 : a > n ? n : a;
    const char *comp = active && st->composition ? st->composition : "";
    float cw = comp[0] ? dl_text_width(dl, comp, px, 0) : 0;
    /* the first character shown: the caret stays inside the field */
    int first = 0;
    while (first < c && span_w(dl, t, first, c, px) + cw > fw - 6 * u) {
        const char *p = t + first;
        utf8_next(&p);
        first = (int)(p - t);
    }
    int end = n;
    while (end > c && span_w(dl, t, first, end, px) + cw > fw) end = (int)utf8_prev(t, (size_t)end);
    int lo = a < c ? a : c, hi = a < c ? c : a;
    if (active && lo < hi && hi > first && lo < end) {   /* the selection, behind the text */
        int l = lo > first ? lo : first, r = hi < end ? hi : end;
        float x0 = fx + span_w(dl, t, first, l, px) + (l >= c ? cw : 0);
        float x1 = fx + span_w(dl, t, first, r, px) + (r > c ? cw : 0);
        dl_rect(dl, x0, fy, x1 - x0, lh, alpha(th->accent, 0.3f));
    }
    DlCmd *before = span(dl, fx, fy, px, th->text, t, first, comp[0] ? c : end);
    if (before) dl_tag(dl, VIZ_TAG_EDIT_TEXT, field, first);
    float cx = fx + span_w(dl, t, first, c, px);
    if (comp[0]) {   /* being composed: underlined, then the rest */
        dl_text(dl, cx, fy, px, 0, th->accent, comp);
        dl_rect(dl, cx, fy + lh - 2 * u, cw, 2 * u, th->accent);
        DlCmd *after = span(dl, cx + cw, fy, px, th->text, t, c, end);
        if (after && !before) dl_tag(dl, VIZ_TAG_EDIT_TEXT, field, c);
        cx += cw;
    }
    if (active) dl_rect(dl, cx, fy, 2 * u, lh, th->accent);   /* the caret */
}

void panel_edit(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const VizState *st = v->st;
    float u = L->u, p = L->f_label * 1.15f, lh = dl_text_height(dl, p);
    float x = L->pad, w = L->W - 2 * L->pad, y = L->body_y - 8 * u, h = 2 * (lh + 12 * u) + 40 * u;
    dl_rect(dl, x, y, w, h, th->panel);
    dl_frame(dl, x, y, w, h, 2 * u, th->accent);
    dl_text(dl, x + 14 * u, y + 8 * u, L->f_small, 0, th->dim, ui(v, UI_EDIT_HINT));
    const char *NAMES[2] = {ui(v, UI_FIELD_INPUT), ui(v, UI_FIELD_REF)};
    float lx = x + 14 * u, fx = lx + 130 * u;
    for (int f = 0; f < 2; f++) {
        float fy = y + 34 * u + (float)f * (lh + 12 * u), fw = w - (fx - x) - 8 * u;
        dl_text(dl, lx, fy, p, f == st->edit_field ? TEXT_BOLD : 0, f == st->edit_field ? th->accent : th->dim, NAMES[f]);
        dl_rect(dl, fx - 6 * u, fy - 3 * u, fw, lh + 6 * u, th->bg);
        dl_tag(dl, VIZ_TAG_EDIT_FIELD, f, 0);
        const char *t = st->edit_text[f] ? st->edit_text[f] : "";
        if (!t[0] && f == 1 && st->edit_field != 1) {
            dl_text(dl, fx, fy, p, 0, th->faint, ui(v, UI_FIELD_OPT));
            continue;
        }
        edit_text(dl, v, f, fx, fy, fw - 14 * u, p);
    }
}

/* ---- the model menu: every model file found, the current one marked ---- */

void panel_menu(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const VizState *st = v->st;
    float u = L->u, p = L->f_label, lh = dl_text_height(dl, p) + 6 * u;
    float top = 12 * u + dl_text_height(dl, L->f_label * 1.2f) + 10 * u;   /* the title's row */
    float x0 = L->pad, y = fminf(60 * u, L->body_y);
    int n = st->menu_n, rows = (int)((L->H - y - top - 24 * u) / lh);
    if (rows < 1) rows = 1;
    int first = st->menu_sel >= rows ? st->menu_sel - rows + 1 : 0;
    float w = fminf(760 * u, L->W - 2 * x0), h = lh * (float)(n < rows ? (n > 0 ? n : 1) : rows) + top + 18 * u;
    float x = (L->W - w) / 2, gw = 0;
    if (st->menu_group)   /* the task column: as wide as the widest task */
        for (int i = 0; i < n; i++)
            if (st->menu_group[i]) gw = fmaxf(gw, dl_text_width(dl, st->menu_group[i], p, TEXT_BOLD) + 24 * u);
    gw = fminf(gw, w * 0.3f);
    dl_rect(dl, x, y, w, h, th->panel);
    dl_frame(dl, x, y, w, h, 2 * u, th->accent);
    DlCmd *mt = dl_text(dl, x + 20 * u, y + 12 * u, L->f_label * 1.2f, TEXT_BOLD, th->accent, ui(v, UI_MODELS));
    float hx = x + 20 * u + (mt ? mt->w : 0) + 20 * u;
    viz_text_fit(dl, L, hx, y + 12 * u + (L->f_label * 1.2f - L->f_small) * 0.7f, x + w - 20 * u - hx, L->f_small, 0, th->dim,
                 ui(v, UI_MENU_KEYS), FIT_END);
    if (n == 0) dl_text(dl, x + 20 * u, y + top, p, 0, th->text, ui(v, UI_NO_MODELS));
    for (int i = first; i < n && i < first + rows; i++) {
        float iy = y + top + lh * (float)(i - first);
        if (i == st->menu_sel) dl_rect(dl, x + 8 * u, iy - 2 * u, w - 16 * u, lh, th->grid);
        dl_rect(dl, x + 8 * u, iy - 2 * u, w - 16 * u, lh, (Color){0, 0, 0, 1});   /* the click target */
        dl_tag(dl, VIZ_TAG_MENU_ITEM, i, 0);
        float lx = x + 20 * u;
        if (st->menu_group) {   /* grouped by task: the task once, at the top of its group */
            lx = x + 20 * u + gw;
            const char *g = st->menu_group[i];
            if (g && (i == first || !st->menu_group[i - 1] || strcmp(g, st->menu_group[i - 1]) != 0)) {
                viz_text_fit(dl, L, x + 20 * u, iy, gw - 14 * u, p, TEXT_BOLD, th->dim, g, FIT_END);
                if (i > first) dl_rect(dl, x + 14 * u, iy - 3 * u, w - 28 * u, 1 * u, th->grid);
            }
        }
        viz_text_fit(dl, L, lx, iy, x + w - 40 * u - lx, p, i == st->menu_cur ? TEXT_BOLD : 0,
                     i == st->menu_cur ? th->accent : th->text, st->menu[i], FIT_MIDDLE);
    }
}

/* ---- tooltips ---- */

void panel_tooltip(DrawList *dl, const View *v, const char *const *lines, int n) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u, p = L->f_label, lh = dl_text_height(dl, p), w = 0;
    for (int i = 0; i < n; i++) w = fmaxf(w, dl_text_width(dl, lines[i], p, TEXT_MATH));
    float x = v->st->mouse_x + 18 * u, y = v->st->mouse_y + 18 * u, bw = w + 20 * u, bh = lh * (float)n + 14 * u;
    if (x + bw > L->W) x = v->st->mouse_x - bw - 8 * u;
    if (y + bh > L->H) y = v->st->mouse_y - bh - 8 * u;
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    dl_rect(dl, x, y, bw, bh, alpha(th->text, 0.92f));
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    for (int i = 0; i < n; i++) {
        dl_text(dl, x + 10 * u, y + 7 * u + lh * (float)i, p, TEXT_MATH, th->bg, lines[i]);
        dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    }
}

enum { TIP_LINES = 4, TIP_LEN = 200 };

/* The left side under the mouse: a source token or its state, a bar, or a
 * cell of the matrix. Returns the number of lines written. */
static int hover_left(const View *v, char l[TIP_LINES][TIP_LEN]) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    float my = v->st->mouse_y;
    int n = 0, s = v->hover_s;
    const TraceStep *cur = &tr->steps[v->t];
    if (s >= 0 && my >= L->tok_y && my < L->strip_y + L->strip_h) {
        const float *h = tr->enc_states + (size_t)s * tr->D;
        float lo = h[0], hi = h[0];
        for (int i = 1; i < tr->D; i++) { lo = fminf(lo, h[i]); hi = fmaxf(hi, h[i]); }
        snprintf(l[n++], TIP_LEN, ui(v, UI_HOV_SRC), s + 1, viz_tok_show(tr->src_tokens[s]),
                 tr->src_ids && tr->src_ids[s] == TOK_UNK ? ui(v, UI_HOV_UNK) : "");
        if (my >= L->strip_y) {
            int i = (int)((my - L->strip_y) / L->strip_h * (float)tr->D);
            if (i >= tr->D) i = tr->D - 1;
            snprintf(l[n++], TIP_LEN, "h̄_{%d}[%d] = %.4f", s + 1, i + 1, (double)h[i]);
        }
        snprintf(l[n++], TIP_LEN, ui(v, UI_HOV_D), tr->D, (double)lo, (double)hi);
    } else if (s >= 0 && my >= L->bar_y - 4 * L->u && my < L->mat_y && v->attn && prog(v, PH_SCORES) > 0) {
        snprintf(l[n++], TIP_LEN, "s = %d: '%s'", s + 1, viz_tok_show(tr->src_tokens[s]));
        snprintf(l[n++], TIP_LEN, "score(q, h̄_{%d}) = %.4f", s + 1, (double)cur->scores[s]);
        if (prog(v, PH_SOFTMAX) > 0) snprintf(l[n++], TIP_LEN, "a_{%d}(%d) = %.4f", v->t + 1, s + 1, (double)cur->weights[s]);
    } else if (s >= 0 && my >= L->mat_y && v->attn) {
        int r = (int)((my - L->mat_y) / L->row_h);
        bool shown = r < v->t || (r == v->t && prog(v, PH_SOFTMAX) > 0);
        if (r >= 0 && r < tr->T && shown) {
            const TraceStep *rs = &tr->steps[r];
            snprintf(l[n++], TIP_LEN, "a_{%d}(%d) = %.4f", r + 1, s + 1, (double)rs->weights[s]);
            snprintf(l[n++], TIP_LEN, ui(v, UI_HOV_OUT), tok(v, rs->token_id), viz_tok_show(tr->src_tokens[s]));
            snprintf(l[n++], TIP_LEN, "score = %.4f", (double)rs->scores[s]);
        }
    }
    return n;
}

/* The right side under the mouse: a cell of the decoder's vectors or a row
 * of the output distribution (found in the draw list). */
static int hover_decoder(const DrawList *dl, const View *v, char l[TIP_LINES][TIP_LEN]) {
    const Layout *L = &v->L;
    float mx = v->st->mouse_x, my = v->st->mouse_y;
    for (int i = dl->n - 1; i >= 0; i--) {
        const DlCmd *c = &dl->cmds[i];
        if ((c->tag != VIZ_TAG_VEC_CELL && c->tag != VIZ_TAG_TOPK) || c->kind != DL_RECT) continue;
        bool in = mx >= c->x && mx < c->x + fmaxf(c->w, 1) && my >= c->y && my < c->y + c->h;
        if (c->tag == VIZ_TAG_TOPK) in = my >= c->y - 4 * L->u && my < c->y + c->h + 6 * L->u && mx >= L->rx0 && mx < L->rx1;
        if (!in) continue;
        if (c->tag == VIZ_TAG_TOPK) {
            snprintf(l[0], TIP_LEN, "p_t('%s') = %.5f", tok(v, c->b), (double)c->value);
            return 1;
        }
        static const char *NAME[4] = {"q", "c_t", "[c_t ; h_t]", "h̃_t"};
        const char *name = c->a == VIZ_VEC_OUT && !v->luong ? "h_t" : NAME[c->a & 3];
        snprintf(l[0], TIP_LEN, "%s[%d] = %.4f", name, c->b + 1, (double)c->value);
        return 1;
    }
    return 0;
}

void panel_hover(DrawList *dl, const View *v) {
    if (!v->st->mouse_in) return;
    char l[TIP_LINES][TIP_LEN];
    const char *lines[TIP_LINES] = {l[0], l[1], l[2], l[3]};
    int n = hover_left(v, l);
    if (!n) n = hover_decoder(dl, v, l);
    if (n) panel_tooltip(dl, v, lines, n);
}

/* Why a score button is enabled or not, when the mouse is on one. */
void panel_score_tip(DrawList *dl, const View *v) {
    const VizState *st = v->st;
    bool on;
    int k = viz_score_hit(dl, st->mouse_x, st->mouse_y, &on);
    if (k < 0) return;
    char b[200];
    if (on) snprintf(b, sizeof b, ui(v, UI_BTN_ON_TIP), score_name((ScoreKind)k));
    else snprintf(b, sizeof b, ui(v, UI_BTN_OFF_TIP), st->task ? st->task : "<task>", score_name((ScoreKind)k));
    const char *lines[1] = {b};
    panel_tooltip(dl, v, lines, 1);
}

/* ---- the key help: exactly the lines VizState.help_lines holds ---- */

/* The help's size p for its lines in cols columns: as large as f_label·1.1
 * where the window allows (line widths scale with p). */
static float help_size(const View *v, float kw, float dw, int n, int cols, float lh_k) {
    const Layout *L = &v->L;
    float u = L->u, p0 = L->f_label * 1.1f, p = p0;
    float w = (float)cols * (kw + dw + 56 * u) + 24 * u;
    if (w > L->W - 2 * L->pad) p *= (L->W - 2 * L->pad) / w;
    int rows = (n + cols - 1) / cols;
    float room = L->H - 16 * u - 80 * u;
    if (lh_k * p * (float)rows > room) p = fminf(p, room / (lh_k * (float)rows));
    return p;
}

void panel_help(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const VizHelpLine *E = v->st->help_lines;
    int n = E && v->st->help_n > 0 ? v->st->help_n : 0;
    float u = L->u, p0 = L->f_label * 1.1f;
    float kw = 0, dw = 0;   /* at p0 */
    for (int i = 0; i < n; i++) {
        kw = fmaxf(kw, dl_text_width(dl, E[i].key ? E[i].key : "", p0, TEXT_BOLD));
        dw = fmaxf(dw, dl_text_width(dl, E[i].what ? E[i].what : "", p0, 0));
    }
    /* one column, or two when one would make the type too small */
    float lh_k = dl_text_height(dl, p0) * 1.1f / p0;
    int cols = 1;
    float p = help_size(v, kw, dw, n, 1, lh_k);
    if (p < L->fmin) {
        cols = 2;
        p = fmaxf(help_size(v, kw, dw, n, 2, lh_k), L->fmin);
    }
    float k = p / p0, lh = dl_text_height(dl, p) * 1.1f;
    kw *= k;
    dw *= k;
    int rows = (n + cols - 1) / cols;
    float cw = kw + dw + 56 * u;
    float w = fminf((float)cols * cw + 24 * u, L->W), h = fminf(lh * (float)rows + 80 * u, L->H);
    float x = (L->W - w) / 2, y = (L->H - h) / 2;
    dl_rect(dl, x, y, w, h, th->panel);
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    dl_frame(dl, x, y, w, h, 2 * u, th->accent);
    dl_text(dl, x + 24 * u, y + 16 * u, L->f_cap, TEXT_BOLD, th->accent, ui(v, UI_KEYS));
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    for (int i = 0; i < n; i++) {
        float cx = x + 24 * u + (float)(i / rows) * cw, cy = y + 64 * u + lh * (float)(i % rows);
        dl_text(dl, cx, cy, p, TEXT_BOLD, th->text, E[i].key ? E[i].key : "");
        dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
        dl_text(dl, cx + kw + 24 * u, cy, p, 0, th->text, E[i].what ? E[i].what : "");
        dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    }
}

/* ---- one status line (e.g. an error) across the middle, wrapped ---- */

void panel_message(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const char *m = v->st->message;
    float w = L->W - 2 * L->pad, p = L->f_label, lh = dl_text_height(dl, p);
    int n = viz_wrap_lines(dl, L, w, p, 3, TEXT_BOLD, m);
    float h = lh * (float)n;
    dl_rect(dl, 0, L->H / 2 - h / 2 - lh / 2, L->W, h + lh, alpha(v->st->message_ok ? v->th.good : v->th.warn, 0.95f));
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    int i0 = dl->n;
    viz_text_wrap(dl, L, L->pad, L->H / 2 - h / 2, w, p, lh, 3, TEXT_BOLD, v->th.bg, m);
    for (int i = i0; i < dl->n; i++) dl->cmds[i].tag = VIZ_TAG_OVERLAY;
}
