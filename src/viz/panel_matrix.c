/* panel_matrix.c — the alignment matrix: one row per decoder step, one
 * column per source position (the columns of the tokens and bars above),
 * each cell viridis(a_t(s)) once its step's softmax has run; the output
 * token labels its row once it has landed. */
#include "panel.h"

#include <stdio.h>

/* The label of row r: its output token at the right, its number at the left,
 * and a mark when it differs from the reference. */
static void row_label(DrawList *dl, const View *v, int r, float y, float gap, float lp) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const TraceStep *st = &v->tr->steps[r];
    float rh = L->row_h;
    float ty = y + (rh - gap) / 2 - dl_text_height(dl, lp) / 2 + lp * 0.06f;
    bool wrong = st->reference_id >= 0 && st->reference_id != st->token_id;
    char b[96];
    snprintf(b, sizeof b, "%s", tok(v, st->token_id));
    float lw = L->cx0 - 8 * L->u - (L->lx0 + 30 * L->u);
    float p = viz_fit(dl, b, lw, lp, 8, 0);
    if (p > 0) {
        viz_text_right(dl, L->cx0 - 8 * L->u, ty, p, 0, wrong ? th->warn : th->text, b);
        dl_tag(dl, VIZ_TAG_ROW_LABEL, r, st->token_id);
    }
    snprintf(b, sizeof b, "%d", r + 1);
    if (lp >= 9) dl_text(dl, L->lx0, ty, fminf(lp, L->f_small), 0, th->dim, b);
    if (wrong && rh >= 6 * L->u)   /* the disagreement mark: a bar at the row's end */
        dl_rect(dl, col_x(L, v->tr->S) + 3 * L->u, y, 4 * L->u, rh - gap, th->warn);
}

void panel_matrix(DrawList *dl, const View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = tr->S, T = tr->T;
    float rh = L->row_h, gap = rh > 8 * L->u ? 1 * L->u : 0;
    float cgap = L->cw > 8 * L->u ? 1 * L->u : 0;
    /* row labels: every k-th row when rows are too thin for text */
    float lp = fminf(L->f_label, rh * 0.78f);
    int every = 1;
    while (lp * (float)every < 11 * L->u && every < T) every++;
    if (lp < 11 * L->u) lp = fminf(11 * L->u, L->f_label);
    float om = ease(seg(prog(v, PH_OUTPUT), 0.6f, 1));   /* the chosen token has landed */
    for (int r = 0; r < T; r++) {
        float y = L->mat_y + (float)r * rh;
        float shown = r < v->t ? 1 : r == v->t ? ease(prog(v, PH_SOFTMAX)) : 0;
        /* a switch from a model without attention: the cells fade in */
        if (v->st->prev && v->st->morph < 1 && !morphing(v, r)) shown *= ease(v->st->morph);
        for (int s = 0; s < S; s++) {
            float x = col_x(L, s);
            if (shown > 0 && v->attn) {
                dl_rect(dl, x, y, L->cw - cgap, rh - gap, alpha(vir_col(weight_at(v, r, s)), shown));
                dl_tag(dl, VIZ_TAG_ALIGN_CELL, r, s);
            } else {
                dl_rect(dl, x, y, L->cw - cgap, rh - gap, th->panel);
            }
        }
        if (r == v->t) {   /* the current row */
            dl_frame(dl, L->cx0 - 2 * L->u, y - 2 * L->u, col_x(L, S) - L->cx0 + 4 * L->u - cgap, rh - gap + 4 * L->u, 2 * L->u, th->text);
            if (v->focus >= 0 && shown > 0)
                dl_frame(dl, col_x(L, v->focus), y, L->cw - cgap, rh - gap, fmaxf(1, 2 * L->u), th->accent);
        }
        bool landed = r < v->t || (r == v->t && (v->ph > PH_OUTPUT || om >= 1));
        if (landed && r % every == 0) row_label(dl, v, r, y, gap, lp);
    }
}
