/* panel_header.c — the top three lines of the view: the phase's caption and
 * what it does, its formula, and its numbers (the text comes from caption.c;
 * this file only lays it out), with the step counter at the right. */
#include "panel.h"

#include "caption.h"

void panel_header(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    VizCaption k;
    viz_caption(&k, v->tr, v->t, v->ph, v->focus, v->st->lang);

    /* right: step counter (fixed), left: caption, then the description */
    float sw = dl_text_width(dl, k.step, L->f_label, TEXT_BOLD);
    dl_text(dl, L->W - L->pad - sw, L->cap_y + 6 * L->u, L->f_label, TEXT_BOLD, th->dim, k.step);
    DlCmd *c = dl_text(dl, L->pad, L->cap_y, L->f_cap, TEXT_BOLD, th->accent, k.title);
    if (c) dl_tag(dl, VIZ_TAG_CAPTION, v->ph, 0);
    float x = L->pad + (c ? c->w : 0) + 14 * L->u;
    float room = L->W - L->pad - sw - 20 * L->u - x;
    float p = viz_fit(dl, k.what, room, L->f_form, 12 * L->u, TEXT_MATH);
    if (p > 0) dl_text(dl, x, L->cap_y + (L->f_cap - p) * 0.75f, p, TEXT_MATH, th->text, k.what);
    /* formula and numbers stop before the colour legends at the right */
    float fw = viz_legend_x0(dl, L, v->st->lang) - 16 * L->u - L->pad;
    p = viz_fit(dl, k.formula, fw, L->f_form, 12 * L->u, TEXT_MATH);
    if (p > 0) dl_text(dl, L->pad, L->form_y, p, TEXT_MATH, th->text, k.formula);
    if (k.numbers[0]) {
        p = viz_fit(dl, k.numbers, fw, L->f_label, 11 * L->u, TEXT_MATH);
        if (p > 0) dl_text(dl, L->pad, L->num_y, p, TEXT_MATH, th->dim, k.numbers);
    }
}
