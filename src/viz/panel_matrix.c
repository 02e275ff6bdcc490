/* panel_matrix.c — the alignment matrix: one row per decoder step, one
 * column per source position (the columns of the tokens and bars above),
 * each cell viridis(a_t(s)) once its step's softmax has run; the output
 * token labels its row once it has landed. */
#include "panel.h"

#include <stdio.h>

/* The label of row r at px: its output token right-aligned against the
 * matrix, its step number at the left; the token in the warning colour when
 * it differs from the reference (the row's end says so in words:
 * panel_rows.c). */
static void row_label(DrawList *dl, const View *v, int r, float y, float gap, float px) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const TraceStep *st = &v->tr->steps[r];
    float rh = L->row_h, th_px = dl_text_height(dl, px);
    float ty = y + (rh - gap) / 2 - th_px / 2;
    bool wrong = st->reference_id >= 0 && st->reference_id != st->token_id;
    char b[16];
    snprintf(b, sizeof b, "%d", r + 1);
    DlCmd *n = dl_text(dl, L->lx0, ty + (px - L->f_small) * 0.7f, L->f_small, 0, r == v->t ? th->text : th->dim, b);
    float x0 = L->lx0 + (n ? n->w : 0) + 8 * L->u, rx = L->cx0 - 8 * L->u;
    const char *t = tok(v, st->token_id);
    char sb[256];
    const char *shown = viz_shorten(dl, t, rx - x0, px, 0, FIT_MIDDLE, sb, sizeof sb);
    viz_text_right(dl, rx, ty, px, 0, wrong ? th->warn : th->text, shown);
    dl_tag(dl, VIZ_TAG_ROW_LABEL, r, st->token_id);
}

void panel_matrix(DrawList *dl, const View *v) {
    if (!v->attn) return;   /* no alignment: panel_outrow.c shows the output */
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = tr->S, T = tr->T;
    float rh = L->row_h, gap = rh > 8 * L->u ? 1 * L->u : 0;
    float cgap = L->cw > 8 * L->u ? 1 * L->u : 0;
    /* row labels: as large as a row allows, never under the floor; when
     * rows are thinner than a line, every k-th row and the current one */
    float lp = fminf(fmaxf(floorf(rh * 0.8f), L->fmin), L->f_label);
    int every = (int)ceilf(dl_text_height(dl, lp) * 0.95f / rh);
    if (every < 1) every = 1;
    float om = ease(seg(prog(v, PH_OUTPUT), 0.6f, 1));   /* the chosen token has landed */
    for (int r = 0; r < T; r++) {
        float y = L->mat_y + (float)r * rh;
        float shown = r < v->t ? 1 : r == v->t ? ease(prog(v, PH_SOFTMAX)) : 0;
        /* a switch from a model without attention: the cells fade in */
        if (v->st->prev && v->st->morph < 1 && !morphing(v, r)) shown *= ease(v->st->morph);
        for (int s = 0; s < S; s++) {
            float x = col_x(L, s);
            if (shown > 0) {
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
        /* thinned: every k-th row, clear of the current row's label, and the current row */
        bool mine = r == v->t || (r % every == 0 && (r > v->t ? r - v->t : v->t - r) >= every);
        if (landed && mine) row_label(dl, v, r, y, gap, lp);
    }
}
