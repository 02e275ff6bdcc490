/* panel_outrow.c — a model without attention has no alignment matrix: what
 * it wrote is a row of its own under the source, one output token per
 * column of the same width, wrapping when it is longer than the source row,
 * so output position t sits under source position t (a copy or a reversal
 * reads off at a glance). Under each token a bar of p_t(y_t), how sure the
 * model was, orange with a "?" under 0.5; with a reference, the reference
 * token under it, and a frame around each prediction that differs from it
 * (a bar over it when the column is narrow: a shape as well as a colour). One line at the bottom says what they mean. */
#include "panel.h"

#include <stdio.h>

void panel_outrow(DrawList *dl, const View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    if (v->attn) return;
    float u = L->u, cw = L->cw, avail = L->rx0 - 24 * u - L->cx0;
    bool ref = tr->has_reference;
    int per = (int)fmaxf(1, floorf(avail / cw));
    float lh = L->tok_h + 8 * u + (ref ? L->f_small * 1.3f : 0) + 12 * u;
    int lines = (tr->T + per - 1) / per;
    /* more lines than room: the tokens shrink with the line height */
    float room = L->rows_end - 2 * u - L->mat_y, k = lines * lh > room ? room / (lines * lh) : 1;
    lh *= k;
    float tp = fmaxf(L->f_label * k, L->fmin), sp = fmaxf(L->f_small * k, L->fmin), om = ease(seg(prog(v, PH_OUTPUT), 0.6f, 1));
    viz_text_fit(dl, L, L->lx0, L->mat_y, L->cx0 - L->lx0 - 8 * u, L->f_label, 0, th->dim, ui(v, UI_OUTPUT_ROW), FIT_END);
    if (ref)
        dl_text(dl, L->lx0, L->mat_y + L->tok_h * k + 8 * u * k, fmaxf(sp, viz_floor(L, "y*_t", TEXT_MATH)), TEXT_MATH,
                th->dim, "y*_t");
    for (int t = 0; t < tr->T; t++) {
        const TraceStep *st = &tr->steps[t];
        float x = L->cx0 + (float)(t % per) * cw, y = L->mat_y + (float)(t / per) * lh, th_ = L->tok_h * k;
        bool landed = t < v->t || (t == v->t && (v->ph > PH_OUTPUT || om >= 1));
        if (t == v->t) dl_frame(dl, x, y - 2 * u, cw, th_ + 12 * u * k, 2 * u, landed ? th->text : th->faint);
        if (!landed) continue;
        float p = st->probs[st->token_id];
        bool guess = p < 0.5f, wrong = st->reference_id >= 0 && st->reference_id != st->token_id;
        DlCmd *c = viz_text_center(dl, L, x + cw / 2, y + (th_ - dl_text_height(dl, tp)) / 2, cw - 2 * u, tp, 0,
                                   wrong ? th->warn : th->text, tok(v, st->token_id));
        if (c) dl_tag(dl, VIZ_TAG_ROW_LABEL, t, st->token_id);
        if (wrong && cw >= 24 * u) dl_frame(dl, x + 1 * u, y, cw - 2 * u, th_, fmaxf(1, 2 * u), th->warn);
        else if (wrong) dl_rect(dl, x + 1 * u, y - 3 * u, cw - 2 * u, fmaxf(1, 2 * u), th->warn);   /* narrow: a bar over it */
        /* how sure: a bar under the token */
        float by = y + th_ + 3 * u * k;
        dl_rect(dl, x + 1 * u, by, cw - 2 * u, 5 * u * k, th->grid);
        dl_rect(dl, x + 1 * u, by, fmaxf((cw - 2 * u) * p, 1), 5 * u * k, guess ? th->warn : th->dim);
        dl_tag(dl, VIZ_TAG_ROW_P, t, 0);
        dl_value(dl, p);
        if (guess && cw >= dl_text_width(dl, "?", sp, TEXT_BOLD) + 2 * u) {
            viz_text_right(dl, x + cw - 1 * u, y - 2 * u, sp, TEXT_BOLD, th->warn, "?");
            dl_tag(dl, VIZ_TAG_ROW_GUESS, t, 0);
        }
        if (!ref || st->reference_id < 0) continue;
        DlCmd *r = viz_text_center(dl, L, x + cw / 2, by + 8 * u * k, cw - 2 * u, sp, wrong ? TEXT_BOLD : 0,
                                   wrong ? th->warn : th->dim, tok(v, st->reference_id));
        if (r) dl_tag(dl, VIZ_TAG_ROW_REF, t, !wrong);
    }
    const char *leg = ui(v, ref ? UI_OUT_LEGEND_REF : UI_OUT_LEGEND);
    if (L->rows_legend_y >= 0) viz_text_fit(dl, L, L->lx0, L->rows_legend_y, L->rx0 - 24 * u - L->lx0, L->f_small, TEXT_MATH, th->dim, leg, FIT_END);
}
