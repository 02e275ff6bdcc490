/* panel_rows.c — the end of each matrix row: how sure the model was of the
 * token it chose, p_t(y_t), as a bar and a number, with a "?" under 0.5 (it
 * is guessing: a date it cannot know comes out as confident-looking digits,
 * and this says otherwise); and with a reference, the reference token y*_t
 * beside it, "=" when the prediction equals it and "≠" in the warning colour
 * when not (a symbol as well as a colour). One line under the matrix says
 * what they mean. */
#include "panel.h"

#include <stdio.h>

enum { P_W = 92, BAR_W = 40 };   /* design units: the p column (as viz_layout keeps), its bar */

void panel_rows(DrawList *dl, const View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    if (!v->attn) return;   /* the output is a row of its own: panel_outrow.c */
    float u = L->u, rh = L->row_h, gap = rh > 8 * u ? 1 * u : 0;
    float x0 = col_x(L, tr->S) + 10 * u, xr = x0 + P_W * u;
    float px = fmaxf(fminf(L->f_small, rh * 0.8f), L->fmin), om = ease(seg(prog(v, PH_OUTPUT), 0.6f, 1));
    bool words = dl_text_height(dl, px) <= rh + 1 * u;   /* rows tall enough for readable text */
    char b[160];
    /* the columns' headers, above the first row */
    float hp = fmaxf(L->f_small, viz_floor(L, "p_t(y_t)", TEXT_MATH)), hy = L->mat_y - dl_text_height(dl, hp) - 2 * u;
    dl_text(dl, x0, hy, hp, TEXT_MATH, th->dim, "p_t(y_t)");
    if (tr->has_reference) dl_text(dl, xr, hy, hp, TEXT_MATH, th->dim, "y*_t");
    for (int r = 0; r < tr->T; r++) {
        bool landed = r < v->t || (r == v->t && (v->ph > PH_OUTPUT || om >= 1));
        if (!landed) continue;
        const TraceStep *st = &tr->steps[r];
        float y = L->mat_y + (float)r * rh, h = rh - gap, p = st->probs[st->token_id];
        bool guess = p < 0.5f;
        float by = y + h * (words ? 0.25f : 0), bh = words ? h * 0.5f : h;
        dl_rect(dl, x0, by, BAR_W * u, bh, th->grid);
        dl_rect(dl, x0, by, fmaxf(BAR_W * u * p, 1), bh, guess ? th->warn : th->dim);
        dl_tag(dl, VIZ_TAG_ROW_P, r, 0);
        dl_value(dl, p);
        float ty = y + (h - dl_text_height(dl, px)) / 2, rx = xr;   /* rx: the reference, after the p column */
        if (words) {
            snprintf(b, sizeof b, "%.2f", (double)p);
            DlCmd *c = dl_text(dl, x0 + (BAR_W + 5) * u, ty, px, guess ? TEXT_BOLD : 0, guess ? th->warn : th->dim, b);
            if (guess && c) {
                DlCmd *q = dl_text(dl, c->x + c->w + 4 * u, ty, px, TEXT_BOLD, th->warn, "?");
                dl_tag(dl, VIZ_TAG_ROW_GUESS, r, 0);
                if (q) rx = fmaxf(rx, q->x + q->w + 4 * u);   /* a wide number and its "?" may pass the column */
            }
        }
        if (st->reference_id < 0 || !words) continue;
        bool right = st->reference_id == st->token_id;
        snprintf(b, sizeof b, "%s %s", right ? "=" : "≠", tok(v, st->reference_id));
        if (viz_text_fit(dl, L, rx, ty, L->rx0 - 24 * u - rx, px, right ? 0 : TEXT_BOLD, right ? th->dim : th->warn, b,
                         FIT_END))
            dl_tag(dl, VIZ_TAG_ROW_REF, r, right);
    }
    /* what the column means */
    const char *leg = ui(v, tr->has_reference ? UI_ROWS_LEGEND_REF : UI_ROWS_LEGEND);
    if (L->rows_legend_y >= 0) viz_text_fit(dl, L, L->lx0, L->rows_legend_y, L->rx0 - 24 * u - L->lx0, L->f_small, TEXT_MATH, th->dim, leg, FIT_END);
}
