/* panel_loupe.c — a magnifier for long inputs: when the columns are too
 * narrow for every source label in one row or for every weight under its
 * bar (up to 60 tokens), pointing at a column shows it
 * and its neighbours at full size in a box by the pointer: each one's
 * position, token and value — the weight a_t(s) of the row pointed at (else
 * of the current step), or its score before the softmax — to four places,
 * so no label and no value of the focused row is out of reach. Without
 * attention (lesson 2's copy), each slot shows the output token written at
 * that position under the source token, and the reference under it, so a
 * long input and its output compare letter by letter. */
#include "panel.h"

#include <stdio.h>

/* The columns are too narrow for every label in one row or every number. */
static bool columns_crowded(const DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    return L->tok_labels != TOK_LABELS_ONE_ROW || dl_text_width(dl, "0.00", L->f_small, 0) > L->cw - 6 * L->u;
}

/* Which values the loupe shows: the row r of the weights, the current
 * step's scores, or (no attention) the output written so far; LOUPE_NONE
 * before the scores. */
enum { LOUPE_NONE, LOUPE_WEIGHTS, LOUPE_SCORES, LOUPE_OUTPUT };
static int loupe_values(const View *v, int *r) {
    const Layout *L = &v->L;
    *r = v->t;
    if (!v->attn) return LOUPE_OUTPUT;
    float my = v->st->mouse_y;
    if (v->hover_s >= 0 && my >= L->mat_y) {
        int rr = (int)((my - L->mat_y) / L->row_h);
        if (rr >= 0 && (rr < v->t || (rr == v->t && prog(v, PH_SOFTMAX) > 0))) { *r = rr; return LOUPE_WEIGHTS; }
    }
    if (prog(v, PH_SOFTMAX) > 0) return LOUPE_WEIGHTS;
    return prog(v, PH_SCORES) > 0 ? LOUPE_SCORES : LOUPE_NONE;
}

/* A value to four places ("0.0004"), never rounded to 0 unless it is. */
static void viz_loupe_number(char *b, size_t n, float x) {
    if (x != 0 && fabsf(x) < 0.0001f) snprintf(b, n, "%s0.0001", x < 0 ? ">-" : "<");
    else snprintf(b, n, fabsf(x) >= 0.01f || x == 0 ? "%.2f" : "%.4f", (double)x);
}

/* The box: k slots around the centre column c, each as wide as its widest
 * line; placed under the pointer (over it when there is no room), inside
 * the window. */
typedef struct {
    int from, to, c, what, r;
    float x, y, w, h, lh_s, lh_l, head_w;
    float slot[64];           /* slot widths, s - c + 32 */
} Loupe;

/* A slot's width: its token, its position and the widest value. */
static float slot_w(const DrawList *dl, const View *v, int s) {
    const Layout *L = &v->L;
    char b[16];
    snprintf(b, sizeof b, "%d", s + 1);
    float w = fmaxf(dl_text_width(dl, viz_tok_show(v->tr->src_tokens[s]), L->f_label, 0), dl_text_width(dl, b, L->f_small, 0));
    return fmaxf(w, dl_text_width(dl, "<0.0001", L->f_small, 0)) + 16 * L->u;
}

enum { LOUPE_MAX = 9 };

static void loupe_fit(const DrawList *dl, const View *v, Loupe *g) {
    const Layout *L = &v->L;
    int S = v->tr->S;
    float u = L->u, maxw = L->W - 2 * L->pad;
    g->from = g->to = g->c;
    g->slot[32] = slot_w(dl, v, g->c);
    float total = g->head_w + 28 * u + g->slot[32];
    /* grow a slot at a time, right then left, while it fits */
    for (bool grew = true; grew;) {
        grew = false;
        for (int side = 0; side < 2 && g->to - g->from + 1 < LOUPE_MAX; side++) {
            int s = side == 0 ? g->to + 1 : g->from - 1;
            if (s < 0 || s >= S) continue;
            float w = slot_w(dl, v, s);
            if (total + w > maxw) continue;
            total += w;
            g->slot[s - g->c + 32] = w;
            if (side == 0) g->to = s;
            else g->from = s;
            grew = true;
        }
    }
    g->w = total;
    g->lh_s = dl_text_height(dl, L->f_small);
    g->lh_l = dl_text_height(dl, L->f_label);
    g->h = 2 * g->lh_s + g->lh_l + 8 * u + 16 * u;
    if (g->what == LOUPE_OUTPUT) g->h += g->lh_l - g->lh_s + (v->tr->has_reference ? g->lh_s : 0);
    /* under the pointer, centred on the column; else above it */
    float cx = v->st->mouse_x, py = v->st->mouse_y;
    g->x = fminf(fmaxf(cx - g->w / 2, L->pad), L->W - L->pad - g->w);
    g->y = py + 22 * u;
    if (g->y + g->h > L->tl_y - 4 * u) g->y = py - 22 * u - g->h;
    if (g->y < 0) g->y = 0;
}

static void loupe_slot(DrawList *dl, const View *v, const Loupe *g, int s, float x) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const Trace *tr = v->tr;
    float u = L->u, w = g->slot[s - g->c + 32], cx = x + w / 2, y = g->y + 8 * u;
    char b[32];
    bool unk = tr->src_ids && tr->src_ids[s] == TOK_UNK;
    if (s == g->c) dl_frame(dl, x + 2 * u, g->y + 4 * u, w - 4 * u, g->h - 8 * u, 2 * u, th->accent);
    snprintf(b, sizeof b, "%d", s + 1);
    if (viz_text_center(dl, L, cx, y, w, L->f_small, 0, th->dim, b)) dl_tag(dl, VIZ_TAG_LOUPE, s, 2);
    y += g->lh_s;
    if (viz_text_center(dl, L, cx, y, w - 4 * u, L->f_label, 0, s == g->c ? th->accent : unk ? th->warn : th->text,
                        viz_tok_show(tr->src_tokens[s])))
        dl_tag(dl, VIZ_TAG_LOUPE, s, 0);
    y += g->lh_l + 4 * u;
    if (g->what == LOUPE_NONE) return;
    if (g->what == LOUPE_OUTPUT) {   /* output position s, once written, and its reference */
        bool landed = s < v->t || (s == v->t && v->ph > PH_OUTPUT);
        if (s >= tr->T || !landed) return;
        const TraceStep *st = &tr->steps[s];
        bool wrong = st->reference_id >= 0 && st->reference_id != st->token_id;
        if (viz_text_center(dl, L, cx, y, w - 4 * u, L->f_label, 0, wrong ? th->warn : th->text, tok(v, st->token_id)))
            dl_tag(dl, VIZ_TAG_LOUPE, s, 3);
        if (st->reference_id >= 0 &&
            viz_text_center(dl, L, cx, y + g->lh_l, w, L->f_small, wrong ? TEXT_BOLD : 0, wrong ? th->warn : th->dim,
                            tok(v, st->reference_id)))
            dl_tag(dl, VIZ_TAG_LOUPE, s, 4);
        return;
    }
    float x_ = g->what == LOUPE_WEIGHTS ? tr->steps[g->r].weights[s] : tr->steps[g->r].scores[s];
    if (g->what == LOUPE_WEIGHTS) dl_rect(dl, x + 6 * u, y + g->lh_s, w - 12 * u, 4 * u, vir_col(x_));
    viz_loupe_number(b, sizeof b, x_);
    DlCmd *c = viz_text_center(dl, L, cx, y, w, L->f_small, 0, th->text, b);
    if (c) {
        dl_tag(dl, VIZ_TAG_LOUPE, s, 1);
        c->value = x_;
    }
}

bool panel_loupe(DrawList *dl, const View *v) {
    const VizState *st = v->st;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int c = v->hover_s;
    if (c < 0 || !st->mouse_in || v->ph >= PH_COUNT || !columns_crowded(dl, v)) return false;
    Loupe g = {.c = c};
    g.what = loupe_values(v, &g.r);
    /* what the values are: a_5(s) or score(s), left of the slots */
    char head[48] = "";
    if (g.what == LOUPE_WEIGHTS) snprintf(head, sizeof head, "a_{%d}(s)", g.r + 1);
    else if (g.what == LOUPE_SCORES) snprintf(head, sizeof head, "%s", ui(v, UI_SCORES));
    else if (g.what == LOUPE_OUTPUT) snprintf(head, sizeof head, "%s", ui(v, UI_OUTPUT_ROW));
    g.head_w = head[0] ? dl_text_width(dl, head, viz_floor(L, head, TEXT_MATH), TEXT_MATH) + 12 * L->u : 0;
    loupe_fit(dl, v, &g);
    dl_rect(dl, g.x, g.y, g.w, g.h, th->panel);
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    dl_frame(dl, g.x, g.y, g.w, g.h, 1.5f * L->u, th->dim);
    float x = g.x + 14 * L->u;
    if (head[0]) {
        float p = viz_floor(L, head, TEXT_MATH);
        float line = g.what == LOUPE_OUTPUT ? g.lh_l : g.lh_s;   /* beside the line it names */
        dl_text(dl, x, g.y + 12 * L->u + g.lh_s + g.lh_l + (line - dl_text_height(dl, p)) / 2, p, TEXT_MATH, th->dim, head);
        x += g.head_w;
    }
    for (int s = g.from; s <= g.to; s++) {
        loupe_slot(dl, v, &g, s, x);
        x += g.slot[s - g.c + 32];
    }
    return true;
}
