/* panel_header.c — the top three lines of the view: the phase's caption and
 * what it does, its formula, and its numbers (the text comes from caption.c,
 * or caption_back.c in a backward phase; this file only lays it out), with
 * the step counter at the right. */
#include "panel.h"

#include "caption.h"

void panel_header(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    VizCaption k;
    if (back_ph(v) >= 0) viz_back_caption(&k, v->tr, v->g, v->t, back_ph(v), v->focus, v->st->lang);
    else viz_caption(&k, v->tr, v->t, v->ph, v->focus, v->st->lang);

    /* right: step counter (fixed), left: caption, then the description */
    float sw = dl_text_width(dl, k.step, L->f_label, TEXT_BOLD);
    dl_text(dl, L->W - L->pad - sw, L->cap_y + (L->f_cap - L->f_label) * 0.6f, L->f_label, TEXT_BOLD, th->dim, k.step);
    DlCmd *c = dl_text(dl, L->pad, L->cap_y, L->f_cap, TEXT_BOLD, th->accent, k.title);
    if (c) dl_tag(dl, VIZ_TAG_CAPTION, v->ph, 0);
    float x = L->pad + (c ? c->w : 0) + 14 * L->u;
    float room = L->W - L->pad - sw - 20 * L->u - x;
    float p = fmaxf(viz_fit(dl, k.what, room, L->f_form, viz_floor(L, k.what, TEXT_MATH), TEXT_MATH), L->f_label);
    viz_text_fit(dl, L, x, L->cap_y + (L->f_cap - p) * 0.75f, room, p, TEXT_MATH, th->text, k.what, FIT_END);
    /* formula and numbers stop before the colour legends at the right; a
     * numbers line too long keeps its start and its result */
    float fw = viz_legend_x0(dl, L, v->st->lang) - 16 * L->u - L->pad;
    viz_text_fit(dl, L, L->pad, L->form_y, fw, L->f_form, TEXT_MATH, th->text, k.formula, FIT_END);
    if (k.numbers[0]) viz_text_fit(dl, L, L->pad, L->num_y, fw, L->f_label, TEXT_MATH, th->dim, k.numbers, FIT_MIDDLE);
}
