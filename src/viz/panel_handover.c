/* panel_handover.c — a model without attention (score none): what the
 * decoder gets from the encoder, drawn where a model with attention has its
 * score bars. The encoder's last state (or, with two directions, both ends
 * through the bridge) becomes h_0, one vector of H numbers: arrows from the
 * strips it is made of, the vector itself, and, at step 1 only, an arrow on
 * to the decoder's panel, which starts from it. A later step starts from the
 * state the step before ended in (h_{t-1}, panel_decoder.c), as with
 * attention, so no arrow then. That vector is the whole handover: nothing
 * else crosses from the encoder, at any step. */
#include "panel.h"

#include <stdio.h>

#include "caption.h"

void panel_handover(DrawList *dl, const View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    if (v->attn) return;
    float u = L->u;
    /* it appears as the encoder finishes at step 1; the arrow to the decoder
     * only while step 1 starts from it */
    float a = v->t == 0 && v->ph == PH_ENCODER ? ease(seg(v->pr, 0.75f, 1)) : 1;
    if (a <= 0) return;
    char f[96], b[200];
    viz_h0_formula(tr, f, sizeof f);
    snprintf(b, sizeof b, ui(v, UI_HANDOVER), f);
    float x0 = L->cx0, x1 = fmaxf(col_x(L, tr->S), x0 + 240 * u), sh = 20 * u;
    if (x1 > L->rx0 - 40 * u) x1 = L->rx0 - 40 * u;
    float sy = L->bar_y + 10 * u, ly = sy + sh + 6 * u;   /* the vector, its words under it */
    if (viz_text_fit(dl, L, L->lx0, ly, L->rx0 - 30 * u - L->lx0, L->f_label, TEXT_MATH, alpha(th->text, a), b, FIT_END))
        dl_tag(dl, VIZ_TAG_HANDOVER, 0, 0);
    float p = fmaxf(L->f_label, viz_floor(L, "h_0", TEXT_MATH));
    dl_text(dl, L->lx0, sy + sh / 2 - dl_text_height(dl, p) / 2, p, TEXT_MATH, alpha(th->dim, a), "h_0");
    viz_hstrip(dl, x0, sy, x1 - x0, sh, tr->h0, tr->H, a, VIZ_VEC_QUERY, v->st->dark);
    dl_frame(dl, x0 - 1, sy - 1, x1 - x0 + 2, sh + 2, 1, alpha(th->faint, a));
    /* from the state(s) it is made of: the last one read, or both ends */
    int from[2] = {tr->cfg.reverse_source ? 0 : tr->S - 1, -1};
    if (tr->cfg.bidirectional) from[1] = tr->cfg.reverse_source ? tr->S - 1 : 0;
    for (int k = 0; k < 2; k++) {
        if (from[k] < 0 || (k == 1 && from[1] == from[0])) continue;
        float cx = col_x(L, from[k]) + L->cw / 2, y0 = L->strip_y + L->strip_h + 3 * u;
        float cxe = fminf(fmaxf(cx, x0 + 6 * u), x1 - 6 * u);
        dl_arrow(dl, cx, y0, cxe, sy - 3 * u, 2.5f * u, 8 * u, alpha(th->accent, a));
        dl_tag(dl, VIZ_TAG_HANDOVER, 1, from[k]);
    }
    /* on to the decoder, whose first step starts from it */
    if (v->t > 0) return;
    float dy = L->body_y + 25 * u + sh / 2;
    dl_arrow(dl, x1 + 4 * u, sy + sh / 2, L->rx0 - 14 * u, dy, 2.5f * u, 9 * u, alpha(th->accent, a));
    dl_tag(dl, VIZ_TAG_HANDOVER, 2, 0);
}
