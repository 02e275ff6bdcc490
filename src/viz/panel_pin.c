/* panel_pin.c — a source word the teacher clicked: its token and encoder
 * strip framed, its column framed down the whole matrix, and its weight
 * a_t(s) printed in every row that has been decoded, so the class can follow
 * one word through every step. A click again or Esc lets it go (the app). */
#include "panel.h"

#include <stdio.h>

void panel_pin(DrawList *dl, const View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int s = v->pin;
    if (s < 0) return;
    float u = L->u, x = col_x(L, s), t = fmaxf(1, 2 * u);
    /* the word and its state */
    dl_frame(dl, x + 1 * u, L->tok_y - 2 * u, L->cw - 2 * u, L->strip_y + L->strip_h - L->tok_y + 4 * u, t, th->accent);
    dl_tag(dl, VIZ_TAG_PIN, s, 0);
    if (!v->attn) return;
    /* its column, down every row */
    float rh = L->row_h, cgap = L->cw > 8 * u ? 1 * u : 0;
    dl_frame(dl, x - 1 * u, L->mat_y - 3 * u, L->cw - cgap + 2 * u, rh * (float)tr->T + 4 * u, t, th->accent);
    dl_tag(dl, VIZ_TAG_PIN, s, 1);
    /* its weight in each decoded row, when a number fits the cell */
    float p = fmaxf(fminf(L->f_small, rh * 0.7f), L->fmin);
    if (dl_text_height(dl, p) > rh + 1 * u || dl_text_width(dl, "0.00", p, 0) > L->cw - 4 * u) return;
    for (int r = 0; r < tr->T; r++) {
        bool shown = r < v->t || (r == v->t && prog(v, PH_SOFTMAX) >= 1);
        if (!shown) continue;
        float w = weight_at(v, r, s);
        char b[16];
        snprintf(b, sizeof b, "%.2f", (double)w);
        float tw = dl_text_width(dl, b, p, 0), y = L->mat_y + (float)r * rh + (rh - dl_text_height(dl, p)) / 2;
        /* viridis is dark below about 0.55: light text there, dark above */
        dl_text(dl, x + (L->cw - cgap - tw) / 2, y, p, 0, w < 0.55f ? (Color){255, 255, 255, 255} : (Color){20, 20, 28, 255}, b);
        dl_tag(dl, VIZ_TAG_PIN_VALUE, r, s);
        dl_value(dl, w);
    }
}
