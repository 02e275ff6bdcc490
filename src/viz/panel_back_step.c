/* panel_back_step.c — one SGD step on this example: the attention row before and after θ ← θ - η ∂L/∂θ, side by
 * side with their difference, and the reference token's probability and the loss before and after, with the
 * learning rate η and its slider.
 *
 * The bars morph from the weights before to the weights after (the old
 * height stays as an outline), and under them three rows of the step t:
 * before, after, and the change, which is drawn in the diverging colours of
 * a difference (as compare mode does), not in the gradient's. */
#include "panel.h"

#include <stdio.h>

/* η on the slider: log scale from 10^-3 to 10^1 (the app maps back with the same). */
static float lr_pos(float lr) { return clamp01((log10f(fmaxf(lr, 1e-3f)) + 3) / 4); }

/* The weights of step t before, morphing to after. */
static void step_bars(DrawList *dl, const View *v, const float *w0, const float *w1, float k) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = v->tr->S;
    float base = L->bar_y + L->bar_h, bw = fminf(L->cw * 0.62f, 26 * L->u), lw = L->cx0 - L->lx0 - 8 * L->u;
    float p = bk_fit(dl, L, "a_t(s)", lw, L->f_label, TEXT_MATH);
    if (p > 0) dl_text(dl, L->lx0, L->bar_y + L->bar_h / 2 - L->f_label * 0.6f, p, TEXT_MATH, th->dim, "a_t(s)");
    dl_rect(dl, L->cx0, base - 0.5f * L->u, col_x(L, S) - L->cx0, 1 * L->u, th->faint);
    dl_rect(dl, L->cx0, L->bar_y, col_x(L, S) - L->cx0, 1 * L->u, th->grid);   /* the 1 line */
    char b[32];
    for (int s = 0; s < S; s++) {
        float x = col_x(L, s) + (L->cw - bw) / 2, w = lerp(w0[s], w1[s], k), h0 = w0[s] * L->bar_h, h = w * L->bar_h;
        dl_rect(dl, x, base - h, bw, fmaxf(h, 1 * L->u), vir_col(w));
        dl_tag(dl, VIZ_TAG_BAR, s, 0);
        dl_value(dl, w);
        if (k > 0) dl_frame(dl, x - 1 * L->u, base - h0, bw + 2 * L->u, fmaxf(h0, 1 * L->u), 1.5f * L->u, th->dim);   /* before */
        if (s == v->focus) dl_frame(dl, x - 3 * L->u, base - fmaxf(h, h0) - 3 * L->u, bw + 6 * L->u, fmaxf(h, h0) + 6 * L->u, 2 * L->u, th->accent);
        snprintf(b, sizeof b, "%.2f", (double)w);
        float tw = dl_text_width(dl, b, bk_small(L), 0);
        if (tw <= L->cw - 8 * L->u)
            dl_text(dl, col_x(L, s) + (L->cw - tw) / 2, L->barnum_y, bk_small(L), 0, s == v->focus ? th->accent : th->dim, b);
    }
}

/* Before, after, and the change of step t's weights, as three labelled rows of cells with their numbers. */
static void step_rows(DrawList *dl, const View *v, const float *w0, const float *w1, float a) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = v->tr->S;
    float rh = fminf(40 * L->u, (L->body_y1 - L->mat_y) / 3.2f), cgap = L->cw > 8 * L->u ? 1 * L->u : 0;
    float dm = 0;
    for (int s = 0; s < S; s++) dm = fmaxf(dm, fabsf(w1[s] - w0[s]));
    static const UiStr ROW[3] = {UI_B_BEFORE, UI_B_AFTER, UI_B_DIFF};
    char b[32];
    for (int r = 0; r < 3; r++) {
        float y = L->mat_y + (float)r * (rh + 4 * L->u), ra = r == 0 ? 1 : a;
        float lw = L->cx0 - 8 * L->u - L->lx0, lp = bk_fit(dl, L, ui(v, ROW[r]), lw, L->f_label, 0);
        if (lp > 0)
            viz_text_right(dl, L->cx0 - 8 * L->u, y + (rh - dl_text_height(dl, lp)) / 2, lp, 0, alpha(th->text, ra), ui(v, ROW[r]));
        for (int s = 0; s < S; s++) {
            float x = col_x(L, s), d = w1[s] - w0[s], val = r == 0 ? w0[s] : r == 1 ? w1[s] : d;
            Color c = r < 2 ? vir_col(val) : val_col(dm > 0 ? d / dm : 0, v->st->dark);
            dl_rect(dl, x, y, L->cw - cgap, rh, ra > 0 ? alpha(c, ra) : th->panel);
            dl_tag(dl, VIZ_TAG_STEP_CELL, r, s);
            dl_value(dl, val);
            snprintf(b, sizeof b, r < 2 || fabsf(val) < 0.005f ? "%.2f" : "%+.2f", (double)(fabsf(val) < 0.005f ? 0 : val));
            float tw = dl_text_width(dl, b, bk_small(L), 0);
            bool light = 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b > 140;   /* dark text on light cells */
            if (tw <= L->cw - 6 * L->u && ra > 0)
                dl_text(dl, x + (L->cw - cgap - tw) / 2, y + (rh - dl_text_height(dl, bk_small(L))) / 2, bk_small(L), 0,
                        alpha(light ? (Color){24, 24, 30, 255} : (Color){250, 250, 247, 255}, ra), b);
        }
        if (r < 2 && v->focus >= 0)
            dl_frame(dl, col_x(L, v->focus), y, L->cw - cgap, rh, 2 * L->u, alpha(th->accent, ra));
    }
}

/* p before and after as two bars, in the right panel. */
static float p_bars(DrawList *dl, const View *v, float x, float y, float w, double p0, double p1, float a) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u, lw = 70 * u, nw = 64 * u, rh = 30 * u;
    char b[32];
    for (int r = 0; r < 2; r++) {
        double p = r == 0 ? p0 : p1;
        float ra = r == 0 ? 1 : a, yy = y + (float)r * rh;
        float lp = bk_fit(dl, L, ui(v, r ? UI_B_AFTER : UI_B_BEFORE), lw - 6 * u, L->f_label, 0);
        if (lp > 0) dl_text(dl, x, yy, lp, 0, alpha(th->text, ra), ui(v, r ? UI_B_AFTER : UI_B_BEFORE));
        dl_rect(dl, x + lw, yy + 4 * u, w - lw - nw, rh - 12 * u, th->grid);
        dl_rect(dl, x + lw, yy + 4 * u, fmaxf((w - lw - nw) * (float)p, 1), rh - 12 * u, alpha(vir_col((float)p), ra));
        snprintf(b, sizeof b, "%.3f", p);
        viz_text_right(dl, x + w, yy, L->f_label, r ? TEXT_BOLD : 0, alpha(th->text, ra), b);
    }
    return y + 2 * rh;
}

/* The right panel: p of the reference before / after, the loss, η. */
static void step_panel(DrawList *dl, const View *v, float a) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const AfterStep *as = &v->g->after;
    const TraceStep *st = &v->tr->steps[v->t];
    float u = L->u, x = L->rx0, w = L->rx1 - L->rx0, y = L->body_y;
    dl_rect(dl, x - 10 * u, L->body_y - 6 * u, w + 20 * u, L->body_y1 - L->body_y + 12 * u, th->panel);
    char b[160];
    snprintf(b, sizeof b, ui(v, UI_B_P_REF), tok(v, st->reference_id));
    float p = bk_fit(dl, L, b, w, L->f_label, TEXT_MATH);
    if (p > 0) dl_text(dl, x, y, p, TEXT_MATH, th->accent, b);
    y = p_bars(dl, v, x, y + 30 * u, w, st->probs[st->reference_id], as->p_reference[v->t], a) + 16 * u;
    dl_text(dl, x, y, L->f_label, 0, th->text, ui(v, UI_B_LOSS));
    y += 28 * u;
    snprintf(b, sizeof b, "L = %.4f  →  %.4f", (double)v->g->loss, (double)as->loss);
    p = bk_fit(dl, L, b, w, L->f_label * 1.15f, TEXT_MATH | TEXT_BOLD);
    if (p > 0) dl_text(dl, x, y, p, TEXT_MATH | TEXT_BOLD, alpha(th->text, fmaxf(a, 0.4f)), b);
    y += 44 * u;
    snprintf(b, sizeof b, ui(v, UI_B_LR), (double)as->lr);
    dl_text(dl, x, y, L->f_label, TEXT_MATH, th->text, b);
    y += 32 * u;
    /* the η slider (log scale), dragged in the app (mode_view.c) */
    float sw = w - 20 * u, sh = 8 * u, k = lr_pos(as->lr);
    dl_rect(dl, x, y, sw, sh, th->grid);
    dl_tag(dl, VIZ_TAG_LR_SLIDER, 0, 0);
    dl_rect(dl, x, y, sw * k, sh, th->accent);
    dl_rect(dl, x + sw * k - 2 * u, y - 6 * u, 4 * u, sh + 12 * u, th->text);
    y += 20 * u;
    dl_text(dl, x, y, bk_small(L), 0, th->dim, "0.001");
    viz_text_right(dl, x + sw, y, bk_small(L), 0, th->dim, "10");
    y += 28 * u;
    p = bk_fit(dl, L, ui(v, UI_B_LR_KEYS), w, bk_small(L), 0);
    if (p > 0) dl_text(dl, x, y, p, 0, th->dim, ui(v, UI_B_LR_KEYS));
}

void panel_back_step(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const AfterStep *as = &v->g->after;
    float k = ease(seg(v->pr, 0.15f, 0.75f)), a = ease(seg(v->pr, 0.45f, 0.9f));
    if (v->attn && as->weights) {
        const float *w0 = v->tr->steps[v->t].weights, *w1 = as->weights + (size_t)v->t * as->S;
        step_bars(dl, v, w0, w1, k);
        step_rows(dl, v, w0, w1, a);
    } else {
        const char *s = ui(v, UI_B_NO_ATTN);
        float p = bk_fit(dl, L, s, col_x(L, v->tr->S) - L->lx0, L->f_label, 0);
        if (p > 0) dl_text(dl, L->lx0, L->bar_y + L->bar_h / 2, p, 0, v->th.dim, s);
    }
    step_panel(dl, v, a);
}
