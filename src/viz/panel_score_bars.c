/* panel_score_bars.c — the score bars and the softmax bars: one bar per
 * source column, first the raw scores around a zero line (scores phase),
 * then the same bars growing into the weights a_t(s) that sum to 1 (softmax
 * phase), with their numbers underneath. */
#include "panel.h"

#include <stdio.h>
#include <string.h>

/* a bar's number: format 0 "0.94", 1 ".94" / "-7.8", 2 "-8" */
static void bar_number(char *b, size_t n, float x, int fmt) {
    if (fmt == 0) { snprintf(b, n, "%.2f", (double)x); return; }
    if (fmt == 2) { snprintf(b, n, "%.0f", (double)x); return; }
    if (fabsf(x) < 1) {
        snprintf(b, n, "%.2f", (double)x);
        char *z = strchr(b, '0');   /* "0.94" → ".94", "-0.50" → "-.50" */
        if (z && z[1] == '.') memmove(z, z + 1, strlen(z));
    } else {
        snprintf(b, n, "%.1f", (double)x);
    }
}

/* The numbers under the bars, in the longest format that fits every column
 * with a gap; 3 (none) when even the shortest does not. m: the softmax's
 * progress (the bars show weights from 0.5 on). */
static int number_format(const DrawList *dl, const View *v, float m) {
    const Layout *L = &v->L;
    char nb[32];
    int fmt = 0;
    for (; fmt < 3; fmt++) {
        bool ok = true;
        for (int s = 0; s < v->tr->S && ok; s++) {
            bar_number(nb, sizeof nb, m < 0.5f ? score_at(v, v->t, s) : weight_at(v, v->t, s), fmt);
            ok = dl_text_width(dl, nb, L->f_small, 0) <= L->cw - 8 * L->u;
        }
        if (ok) break;
    }
    return fmt;
}

/* "Σ = 1", once the bars are a distribution */
static void bar_sum(DrawList *dl, const View *v, float lw) {
    const Layout *L = &v->L;
    float sa = seg(prog(v, PH_SOFTMAX), 0.6f, 1);
    if (sa <= 0) return;
    double sum = 0;
    for (int s = 0; s < v->tr->S; s++) sum += v->tr->steps[v->t].weights[s];
    char b[64];
    snprintf(b, sizeof b, "Σ = %.0f", sum);
    float p = viz_fit(dl, b, lw, L->f_label, 9, TEXT_BOLD);
    if (p > 0) dl_text(dl, L->lx0, L->bar_y + L->bar_h / 2 + L->f_label * 0.9f, p, TEXT_BOLD, alpha(v->th.accent, sa), b);
}

void panel_score_bars(DrawList *dl, const View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = tr->S;
    float sp = prog(v, PH_SCORES), m = ease(prog(v, PH_SOFTMAX));
    /* axis labels */
    float lw = L->cx0 - L->lx0 - 8 * L->u;
    const char *lab = m < 0.5f ? ui(v, UI_SCORES) : "a_t(s)";
    float lp = viz_fit(dl, lab, lw, L->f_label, 9, TEXT_MATH);
    if (lp > 0) dl_text(dl, L->lx0, L->bar_y + L->bar_h / 2 - L->f_label * 0.6f, lp, TEXT_MATH, th->dim, lab);
    /* the zero line moves from the middle (scores) to the bottom (weights) */
    float base = lerp(L->bar_y + L->bar_h / 2, L->bar_y + L->bar_h, m);
    float x0 = L->cx0, x1 = col_x(L, S);
    dl_rect(dl, x0, base - 0.5f * L->u, x1 - x0, 1 * L->u, th->faint);
    if (m > 0) dl_rect(dl, x0, L->bar_y, x1 - x0, 1 * L->u, alpha(th->grid, m));   /* the 1 line */
    if (!v->attn || sp <= 0) return;
    float half = L->bar_h / 2, bw = fminf(L->cw * 0.62f, 26 * L->u);
    int fmt = number_format(dl, v, m);
    bool numbers = fmt < 3;
    char nb[32];
    for (int s = 0; s < S; s++) {
        float g = ease(seg(sp, (float)s / (float)S * 0.7f, (float)s / (float)S * 0.7f + 0.3f));
        if (g <= 0) continue;
        float w = weight_at(v, v->t, s);
        float sc = v->maxabs > 0 ? score_at(v, v->t, s) / v->maxabs : 0;
        float hgt = lerp(sc * half, w * L->bar_h, m) * g;
        float x = col_x(L, s) + (L->cw - bw) / 2;
        Color c = mix(div_col(sc), vir_col(w), m);
        if (hgt >= 0) dl_rect(dl, x, base - hgt, bw, fmaxf(hgt, 1 * L->u), c);
        else dl_rect(dl, x, base, bw, -hgt, c);
        dl_tag(dl, VIZ_TAG_BAR, s, 0);
        if (s == v->focus) {
            float top = fminf(base - hgt, base), bot = fmaxf(base - hgt, base);
            dl_frame(dl, x - 2 * L->u, top - 2 * L->u, bw + 4 * L->u, bot - top + 4 * L->u, 2 * L->u, th->accent);
        }
        if (numbers) {
            bar_number(nb, sizeof nb, m < 0.5f ? score_at(v, v->t, s) : weight_at(v, v->t, s), fmt);
            float tw = dl_text_width(dl, nb, L->f_small, 0);
            dl_text(dl, col_x(L, s) + (L->cw - tw) / 2, L->barnum_y, L->f_small, 0,
                    alpha(s == v->focus ? th->accent : th->dim, g), nb);
            dl_tag(dl, VIZ_TAG_BAR_LABEL, s, 0);
        }
    }
    bar_sum(dl, v, lw);
}
