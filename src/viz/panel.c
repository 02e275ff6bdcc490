/* panel.c — the layout of a frame and the text and strip helpers every panel
 * uses (panel.h).
 *
 * The layout is worked out from the window, the trace and the text itself:
 * the type never goes under the readable floor (viz_text_min), the header
 * and the bottom bar are as tall as their text, the label column as wide as
 * its widest label, and the columns grow with the room they have (up to a
 * sensible cell) — a three-word sentence gets large cells, and what the
 * columns do not use widens the decoder's panel and centres the rest. */
#include "panel.h"

#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"

static float lh(const DrawList *dl, float px) { return dl_text_height(dl, px); }

/* ---- the layout ---- */

/* The scale (u: design units at 1280×720 or design_w, times the zoom) and the type. */
static void layout_type(Layout *L, const VizState *st, float W, float H) {
    float z = st->zoom > 0 ? st->zoom : 1, dw = st->design_w > 0 ? st->design_w : 1280.0f;
    L->z = z;
    L->u = fmaxf(fminf(W / dw, H / 720.0f), 0.4f) * z;
    L->fmin = st->text_min > 0 ? st->text_min : viz_text_min(W, H, z);
    float u = L->u;
    L->pad = 16 * u;
    L->f_small = fmaxf(16 * u, L->fmin);
    L->f_label = fmaxf(20 * u, L->fmin / TEXT_SCRIPT_SCALE);   /* labels carry subscripts */
    L->f_form = fmaxf(23 * u, L->f_label);
    L->f_cap = fmaxf(28 * u, L->f_label * 1.2f);
}

/* The timeline's labels take two staggered rows when a step's slot is too
 * narrow for its output token (or its number) but two slots are wide
 * enough for all of them, a few long ones (<eos>) aside (panel_chrome.c
 * gives those their room). */
static int timeline_rows(const Layout *L, const DrawList *dl, const Trace *tr) {
    char num[16];
    snprintf(num, sizeof num, "%d", tr->T);
    float sw = L->tl_w / (float)L->T, nw = dl_text_width(dl, num, L->f_small, 0);
    int over1 = nw > sw - 2 * L->u, over2 = 0;
    for (int t = 0; t < tr->T; t++) {
        float w = fmaxf(nw, dl_text_width(dl, viz_tok_show(trace_token(tr, tr->steps[t].token_id)), L->f_small, 0));
        over1 += w > sw - 2 * L->u;
        over2 += w > 2 * sw - 4 * L->u;
    }
    return over1 > 0 && over2 <= 1 + tr->T / 20 ? 2 : 1;
}

/* The header's three lines and the bottom bar's rows, as tall as their text. */
static void layout_rows(Layout *L, const DrawList *dl, const Trace *tr, const VizState *st) {
    float u = L->u;
    L->cap_y = 8 * u;
    L->form_y = L->cap_y + lh(dl, L->f_cap) + 2 * u;
    L->num_y = L->form_y + lh(dl, L->f_form) + 6 * u + (float)(L->form_lines - 1) * (lh(dl, L->f_form) + 2 * u);
    L->body_y = L->num_y + lh(dl, L->f_label) + 8 * u;
    L->chrome = !st->present;
    if (L->chrome) {
        const char *lang = st->lang;
        float sw = fmaxf(dl_text_width(dl, ui_str(lang, UI_PLAYING), L->f_small, 0),
                         dl_text_width(dl, ui_str(lang, UI_PAUSED), L->f_small, 0));
        L->tl_x = L->pad + sw + dl_text_width(dl, "  0.44x", L->f_small, 0) + 12 * u;
    } else {   /* presenting: the timeline alone, across the window */
        L->tl_x = L->pad;
    }
    L->tl_w = L->W - L->pad - L->tl_x;
    L->tl_rows = timeline_rows(L, dl, tr);
    L->tl_h = fmaxf(26 * u, (float)L->tl_rows * lh(dl, L->f_small) + 8 * u);
    L->bar2_h = L->chrome ? fmaxf(22 * u, lh(dl, L->f_small) + 6 * u) : 0;
    L->bar2_y = L->chrome ? L->H - 5 * u - L->bar2_h : L->H;
    L->tl_y = L->chrome ? L->bar2_y - 6 * u - L->tl_h : L->H - 8 * u - L->tl_h;
    L->body_y1 = L->tl_y - 10 * u;
}

/* The label column's width: its widest label (row labels: the step number
 * and the output token), within a third of the window. */
static float label_column(const DrawList *dl, const Trace *tr, const VizState *st, const Layout *L) {
    const char *lang = st->lang;
    float w = fmaxf(dl_text_width(dl, ui_str(lang, UI_SOURCE), L->f_label, 0),
                    dl_text_width(dl, ui_str(lang, UI_SCORES), L->f_label, 0));
    w = fmaxf(w, dl_text_width(dl, "a_t(s) h̄_s", L->f_label, TEXT_MATH));
    w = fmaxf(w, dl_text_width(dl, "Σ = 1", L->f_label, TEXT_BOLD) + dl_text_width(dl, "-10.0", L->f_small, 0) + 10 * L->u);
    char num[16];
    snprintf(num, sizeof num, "%d", tr->T);
    float nw = dl_text_width(dl, num, L->f_small, 0) + 10 * L->u, tw = 0;
    for (int r = 0; r < tr->T; r++) tw = fmaxf(tw, dl_text_width(dl, viz_tok_show(trace_token(tr, tr->steps[r].token_id)), L->f_label, 0));
    w = fmaxf(w, nw + tw);
    return fminf(w + 12 * L->u, (L->W - 2 * L->pad) * 0.3f);
}

/* Columns and panels across: the label column, S columns of at most 160
 * design units, the decoder's panel at the right; room the columns leave
 * goes half to the decoder's panel (up to 540) and centres the rest. */
static void layout_across(Layout *L, const DrawList *dl, const Trace *tr, const VizState *st, int rows) {
    float u = L->u, W = L->W;
    float lw = label_column(dl, tr, st, L);
    float rw = fminf(fmaxf(W * 0.34f, 280 * u), 480 * u);
    rw = fminf(rw, (W - 2 * L->pad) * 0.45f);
    float ends = ((rows & ROWS_P ? 92 : 0) + (rows & ROWS_REF ? 110 : 0)) * u;   /* the rows' ends (panel_rows.c) */
    float area = W - L->pad - rw - 24 * u - (L->pad + lw) - ends;
    L->cw = fmaxf(fminf(area / (float)L->S, 160 * u), 1);
    float spare = fmaxf(area - L->cw * (float)L->S, 0);
    float grow = fminf(spare * 0.5f, fmaxf(540 * u - rw, 0));
    rw += grow;
    L->rx1 = W - L->pad;
    L->rx0 = L->rx1 - rw;
    L->lx0 = L->pad + (spare - grow) / 2;
    L->cx0 = L->lx0 + lw;
    L->colw_strip = fminf(L->cw * 0.62f, 34 * u);
}

/* How the source tokens are labelled, and at what size: the largest size
 * (from f_label down to the floor) at which every token fits its column;
 * else every token in two or three staggered rows (a label then has two or
 * three columns' width); else thinned, in two rows (TokLabels). */
static void layout_tokens(Layout *L, const DrawList *dl, const Trace *tr) {
    float widest = 0;
    for (int s = 0; s < tr->S; s++) widest = fmaxf(widest, dl_text_width(dl, viz_tok_show(tr->src_tokens[s]), L->f_label, 0));
    L->tok_labels = TOK_LABELS_THINNED;
    L->tok_rows = 2;
    L->tok_px = L->f_small;
    for (int k = 1; k <= 3; k++) {
        float room = L->tok_room = (float)k * L->cw - (k > 1 ? 8 : 6) * L->u;
        float px = floorf(L->f_label * fminf(widest > 0 ? room / widest : 1, 1));
        if (px < L->fmin) continue;
        L->tok_labels = k == 1 ? TOK_LABELS_ONE_ROW : TOK_LABELS_STAGGERED;
        L->tok_rows = k;
        L->tok_px = px;
        break;
    }
    L->tok_h = (float)L->tok_rows * lh(dl, L->tok_px) + 6 * L->u;
}

/* Down the left area: tokens, strips, bars and their numbers, the matrix.
 * The matrix's rows get what they need (up to a square-ish cell), strips
 * and bars their share and then what the rows leave. Zoomed in, strips and
 * bars keep the share they have at zoom 1 (share: of the height they and
 * the rows have, 0 at zoom 1), so the whole diagram grows together rather
 * than the rows taking the strips' room. */
static void layout_down(Layout *L, const DrawList *dl, int rows, const float share[2]) {
    float u = L->u;
    L->tok_y = L->body_y;
    L->strip_y = L->tok_y + L->tok_h + 6 * u;
    L->barnum_h = lh(dl, L->f_small) + 4 * u;
    /* under the rows: the unknown tokens' line (ROWS_NOTE), then the line
     * that says what the rows' ends mean, unless the rows would have no
     * room left (a large zoom in a small window): then it goes */
    float legend = lh(dl, L->f_small), above = 14 * u + 3 * u + L->barnum_h + 6 * u;
    if ((L->body_y1 - legend - L->strip_y - above) * 0.68f / (float)L->T < lh(dl, L->fmin) * 0.6f) legend = 0;
    L->rows_legend_y = legend > 0 ? L->body_y1 - legend : -1;
    L->note_y = L->body_y1 - legend - lh(dl, L->f_label) - 6 * u;
    L->rows_end = (rows & ROWS_NOTE ? L->note_y : L->body_y1 - legend) - (legend > 0 || rows & ROWS_NOTE ? 6 * u : 0);
    float bh = L->rows_end - L->strip_y - above;
    L->share_h = bh;
    float strip_min = fmaxf(0.17f, share[0]) * bh, bar_min = fmaxf(0.15f, share[1]) * bh;
    float room = bh - strip_min - bar_min;
    L->row_h = fmaxf(fminf(room / (float)L->T, fminf(fmaxf(L->cw * 0.8f, 28 * u), 56 * u)), 0.5f);
    float left = fmaxf(room - L->row_h * (float)L->T, 0);
    L->strip_h = strip_min + fminf(left * 0.55f, fmaxf(0.34f * bh - strip_min, 0));
    L->bar_h = bar_min + fminf(left * 0.45f, fmaxf(0.28f * bh - bar_min, 0));
    L->bar_y = L->strip_y + L->strip_h + 14 * u;
    L->barnum_y = L->bar_y + L->bar_h + 3 * u;
    L->mat_y = L->barnum_y + L->barnum_h + 6 * u;
}

Layout viz_layout_plain(const VizState *st, float W, float H) {
    Layout L;
    memset(&L, 0, sizeof L);
    L.W = W; L.H = H; L.S = L.T = 1; L.form_lines = 1;
    layout_type(&L, st, W, H);
    return L;
}

Layout viz_layout(const DrawList *dl, const Trace *tr, const VizState *st, float W, float H, int rows) {
    Layout L;
    memset(&L, 0, sizeof L);
    L.W = W; L.H = H; L.S = tr->S > 0 ? tr->S : 1; L.T = tr->T > 0 ? tr->T : 1;
    layout_type(&L, st, W, H);
    L.form_lines = viz_header_formula_lines(dl, &L, tr, st);
    layout_rows(&L, dl, tr, st);
    layout_across(&L, dl, tr, st, rows);
    layout_tokens(&L, dl, tr);
    float share[2] = {0, 0};
    if (L.z > 1.001f) {   /* the shares of strips and bars at zoom 1 */
        VizState one = *st;
        one.zoom = 1;
        Layout L1 = viz_layout(dl, tr, &one, W, H, rows);
        share[0] = L1.strip_h / L1.share_h;
        share[1] = L1.bar_h / L1.share_h;
    }
    layout_down(&L, dl, rows, share);
    return L;
}

/* ---- small things ---- */

const char *viz_tok_show(const char *s) {
    if (strcmp(s, " ") == 0) return "·";
    if (strcmp(s, "\t") == 0) return "\\t";
    if (strcmp(s, "\n") == 0) return "\\n";
    return s;
}

void viz_fmt_vec(char *buf, size_t cap, const float *v, int n, int k) {
    size_t o = 0;
    o += (size_t)snprintf(buf + o, cap - o, "[");
    for (int i = 0; i < n && i < k && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%.2f", i ? ", " : "", (double)v[i]);
    if (o < cap) snprintf(buf + o, cap - o, n > k ? ", …]" : "]");
}

/* ---- text ---- */

float viz_floor(const Layout *L, const char *s, int flags) {
    return (flags & TEXT_MATH) && strpbrk(s, "_^") ? L->fmin / TEXT_SCRIPT_SCALE : L->fmin;
}

float viz_fit(const DrawList *dl, const char *s, float w, float px, float min_px, int flags) {
    float tw = dl_text_width(dl, s, px, flags);
    if (tw <= w) return px;
    /* whole sizes only, so a shrinking label does not open a font per
     * fraction; widths are not exactly linear in size (hinting): step down */
    float p = floorf(px * w / tw);
    if (p < min_px) return 0;
    while (p >= min_px && dl_text_width(dl, s, p, flags) > w) p -= 1;
    return p >= min_px ? p : 0;
}

enum { MAX_CUTS = 2048 };   /* an input is at most 1023 bytes */

/* The offsets where s may be cut: character starts (and its end), never
 * before a combining mark, and with TEXT_MATH never inside a `_{…}` group
 * or right after `_` or `^`; with words, only where a word starts or ends
 * (a cut inside "-0.47" would leave a number that is not there). Returns
 * how many (at most MAX_CUTS). */
static int cut_points(const char *s, int flags, bool words, int *at) {
    int n = 0, depth = 0;
    bool math = flags & TEXT_MATH;
    size_t len = strlen(s);
    for (size_t i = 0; i <= len && n < MAX_CUTS;) {
        uint32_t cp = 0;
        int k = i < len ? utf8_decode(s + i, len - i, &cp) : 0;
        bool mark = cp >= 0x0300 && cp <= 0x036F;
        bool after_script = math && i > 0 && (s[i - 1] == '_' || s[i - 1] == '^');
        bool edge = i == 0 || i == len || s[i] == ' ' || s[i - 1] == ' ';
        if (depth == 0 && !mark && !after_script && (edge || !words)) at[n++] = (int)i;
        if (i == len) break;
        if (math && s[i] == '{' && (after_script || depth > 0)) depth++;
        else if (math && s[i] == '}' && depth > 0) depth--;
        i += k > 0 ? (size_t)k : 1;
    }
    return n;
}

/* s without r of its n - 1 pieces between cut points (at the end, the
 * start or the middle), "…" in their place, into out */
static void cut(const char *s, const int *at, int n, int r, FitHow how, char *out, size_t cap) {
    int a = how == FIT_END ? n - 1 - r : how == FIT_START ? 0 : (n - 1 - r) / 2;
    snprintf(out, cap, "%.*s…%s", at[a], s, how == FIT_END ? "" : s + at[a + r]);
}

/* s shortened at the cut points given (n of them), into out */
static void shorten_at(const DrawList *dl, const char *s, const int *at, int n, float w, float px, int flags, FitHow how,
                       char *out, size_t cap) {
    /* remove r pieces (between cut points), the fewest that fit: binary search */
    int lo = 1, hi = n - 1;
    while (lo < hi) {
        int r = (lo + hi) / 2;
        cut(s, at, n, r, how, out, cap);
        if (dl_text_width(dl, out, px, flags) <= w) hi = r;
        else lo = r + 1;
    }
    cut(s, at, n, lo, how, out, cap);
}

const char *viz_shorten(const DrawList *dl, const char *s, float w, float px, int flags, FitHow how, char *out, size_t cap) {
    if (dl_text_width(dl, s, px, flags) <= w) return s;
    int at[MAX_CUTS];
    /* in the middle, whole words first, if that keeps some of either side */
    int n = how == FIT_MIDDLE ? cut_points(s, flags, true, at) : 0;
    if (n > 3) {
        shorten_at(dl, s, at, n, w, px, flags, how, out, cap);
        if (dl_text_width(dl, out, px, flags) <= w && strcmp(out, "…") != 0) return out;
    }
    n = cut_points(s, flags, false, at);
    if (n < 2) { snprintf(out, cap, "…"); return out; }
    shorten_at(dl, s, at, n, w, px, flags, how, out, cap);
    return out;
}

DlCmd *viz_text_fit(DrawList *dl, const Layout *L, float x, float y, float w, float px, int flags, Color c, const char *s,
                    FitHow how) {
    float fl = viz_floor(L, s, flags);
    px = fmaxf(px, fl);
    float p = viz_fit(dl, s, w, px, fl, flags);
    if (p > 0) return dl_text(dl, x, y, p, flags, c, s);
    char buf[1024];
    const char *t = viz_shorten(dl, s, w, fl, flags, how, buf, sizeof buf);
    return dl_text(dl, x, y, fl, flags, c, t);
}

/* viz_text_wrap, or with draw false only how many lines it takes */
static int wrap(DrawList *dl, const Layout *L, float x, float y, float w, float px, float lh_, int max_lines, int flags,
                Color c, const char *s, bool draw) {
    px = fmaxf(px, viz_floor(L, s, flags));
    int at[MAX_CUTS];
    int n = cut_points(s, flags, false, at), lines = 0;
    char line[1024];
    int start = 0;   /* byte offset of the line's start */
    while (s[start] == ' ') start++;
    while (s[start] && lines < max_lines) {
        /* the longest run of whole words from start that fits */
        int best = -1;
        for (int i = 0; i < n; i++) {
            int e = at[i];
            if (e <= start || (s[e] != ' ' && s[e] != 0)) continue;
            snprintf(line, sizeof line, "%.*s", e - start, s + start);
            if (dl_text_width(dl, line, px, flags) > w) break;
            best = e;
        }
        bool last = lines == max_lines - 1;
        if (best < 0 || (last && s[best] != 0)) {   /* one word too long, or the last line: shortened */
            if (draw) viz_text_fit(dl, L, x, y + (float)lines * lh_, w, px, flags, c, s + start, FIT_END);
            return lines + 1;
        }
        snprintf(line, sizeof line, "%.*s", best - start, s + start);
        if (draw) dl_text(dl, x, y + (float)lines * lh_, px, flags, c, line);
        lines++;
        start = best;
        while (s[start] == ' ') start++;
    }
    return lines;
}

int viz_text_wrap(DrawList *dl, const Layout *L, float x, float y, float w, float px, float lh_, int max_lines, int flags,
                  Color c, const char *s) {
    return wrap(dl, L, x, y, w, px, lh_, max_lines, flags, c, s, true);
}

int viz_wrap_lines(const DrawList *dl, const Layout *L, float w, float px, int max_lines, int flags, const char *s) {
    return wrap((DrawList *)dl, L, 0, 0, w, px, 0, max_lines, flags, (Color){0, 0, 0, 0}, s, false);
}

DlCmd *viz_text_center(DrawList *dl, const Layout *L, float cx, float y, float w, float px, int flags, Color c,
                       const char *s) {
    float fl = viz_floor(L, s, flags);
    px = fmaxf(px, fl);
    float p = viz_fit(dl, s, w, px, fl, flags);
    char buf[256];
    const char *str = s;
    if (p == 0) {
        p = fl;
        str = viz_shorten(dl, s, w, p, flags, FIT_END, buf, sizeof buf);
    }
    float tw = dl_text_width(dl, str, p, flags);
    return dl_text(dl, cx - tw / 2, y, p, flags, c, str);
}

DlCmd *viz_text_right_cmd(DrawList *dl, float rx, float y, float px, int flags, Color c, const char *s) {
    return dl_text(dl, rx - dl_text_width(dl, s, px, flags), y, px, flags, c, s);
}

void viz_text_right(DrawList *dl, float rx, float y, float px, int flags, Color c, const char *s) {
    viz_text_right_cmd(dl, rx, y, px, flags, c, s);
}

int viz_thin_labels(const float *cx, const float *w, int n, int keep, float gap, bool *show) {
    for (int i = 0; i < n; i++) show[i] = false;
    int shown = 0;
    float kx0 = 0, kx1 = 0;
    if (keep >= 0 && keep < n) {
        show[keep] = true;
        shown = 1;
        kx0 = cx[keep] - w[keep] / 2 - gap;
        kx1 = cx[keep] + w[keep] / 2 + gap;
    }
    float right = -1e30f;   /* the right edge of the last one shown from the left */
    for (int i = 0; i < n; i++) {
        if (i == keep) { right = fmaxf(right, kx1); continue; }
        float x0 = cx[i] - w[i] / 2, x1 = cx[i] + w[i] / 2;
        if (x0 < right + gap) continue;
        if (keep >= 0 && keep < n && x1 > kx0 && x0 < kx1) continue;   /* clear of the kept one */
        show[i] = true;
        shown++;
        right = x1;
    }
    return shown;
}

void viz_hstrip(DrawList *dl, float x, float y, float w, float h, const float *v, int n, float a, int vec, bool dark) {
    if (!v || n <= 0) return;
    float cw = w / (float)n;
    for (int i = 0; i < n; i++) {
        dl_rect(dl, x + (float)i * cw, y, cw + 0.01f, h, alpha(val_col(v[i], dark), a));
        dl_tag(dl, VIZ_TAG_VEC_CELL, vec, i);
        dl_value(dl, v[i]);
    }
}
