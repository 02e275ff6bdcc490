/* panel_back.c — the left side of the backward phases: per source position ∂L/∂a_t(s), then ∂L/∂score_s, in the bars'
 * place; in the encoder phase the gradient every step sends into the encoder states (the matrix of ∂L/∂a_t(s) of all
 * steps, the strips recoloured to ∂L/∂h̄_s) and where the blame lands, ‖∂L/∂x_s‖ per source token; what a phase is
 * about (its focus) and the gradient under the mouse.
 *
 * Each group of bars or cells is scaled by its own largest |·|, which its
 * label (or the legend, panel_back_decoder.c) states; numbers are written
 * in the unit 10^e that the largest suggests. */
#include "panel.h"

#include <stdio.h>
#include <string.h>

static int argmax_abs(const float *x, int n) {
    int b = 0;
    for (int i = 1; i < n; i++)
        if (fabsf(x[i]) > fabsf(x[b])) b = i;
    return b;
}

static float blame(const GradTrace *g, int s) {
    const float *x = g->d_source_embeddings + (size_t)s * g->E;
    double q = 0;
    for (int i = 0; i < g->E; i++) q += (double)x[i] * x[i];
    return (float)sqrt(q);
}

static int most_blamed(const GradTrace *g) {
    int b = 0;
    for (int s = 1; s < g->S; s++)
        if (blame(g, s) > blame(g, b)) b = s;
    return b;
}

int viz_back_focus(const View *v) {
    const GradTrace *g = v->g;
    int b = back_ph(v), S = v->tr->S;
    if (!g || b < 0) return -1;
    const GradStep *gs = &g->steps[v->t];
    if (b == BPH_ENCODER) return most_blamed(g);
    if (!v->attn) return -1;
    switch (b) {
    case BPH_WEIGHTS:   /* the bars grow one by one, then the largest pull */
        if (v->pr < 0.7f) return (int)fminf((float)S - 1, v->pr / 0.7f * (float)S);
        return argmax_abs(gs->d_weights, S);
    case BPH_SCORES:
    case BPH_QUERY: return argmax_abs(gs->d_scores, S);
    case BPH_STEP: {
        const float *w0 = v->tr->steps[v->t].weights, *w1 = g->after.weights;
        if (!w1) return -1;
        w1 += (size_t)v->t * S;
        int f = 0;
        for (int s = 1; s < S; s++)
            if (w1[s] - w0[s] > w1[f] - w0[f]) f = s;
        return f;
    }
    default: return -1;
    }
}

/* ---- numbers in a unit ---- */

/* The exponent of the unit 10^e for numbers up to m (0 when plain decimals read well). */
static int unit_exp(float m) {
    if (!(m > 0)) return 0;
    int e = (int)floorf(log10f(m));
    return e >= -1 ? 0 : e;
}

/* The margin label of the bar area: the quantity, its unit under it, and
 * a note under that (NULL: none), centred on the bars; the note is left out
 * when the three lines do not fit their height. */
static void axis_label(DrawList *dl, const View *v, const char *name, int e, const char *note, float a) {
    const Layout *L = &v->L;
    float lw = L->cx0 - L->lx0 - 8 * L->u, lh = L->f_label * 1.3f;
    char unit[32];
    snprintf(unit, sizeof unit, "×10^{%d}", e);
    const char *line[3] = {name, e ? unit : NULL, note};
    int n = 1 + (e != 0) + (note != NULL);
    if (note && n * lh > L->bar_h) line[2] = NULL, n--;
    float y = L->bar_y + fmaxf(0, (L->bar_h - n * lh) / 2);
    for (int i = 0; i < 3; i++) {
        if (!line[i]) continue;
        int flags = i < 2 ? TEXT_MATH : 0;
        float p = bk_fit(dl, L, line[i], lw, L->f_label, flags);
        if (p > 0) dl_text(dl, L->lx0, y, p, flags, alpha(i == 0 ? v->th.accent : v->th.dim, a), line[i]);
        y += lh;
    }
}

/* x / 10^e in format fmt, without a minus on a number that rounds to zero */
static void unit_number(char *b, size_t n, int fmt, double x) {
    static const char *const F[3] = {"%.2f", "%.1f", "%.0f"};
    snprintf(b, n, F[fmt], x);
    if (b[0] == '-' && strspn(b + 1, "0.") == strlen(b + 1)) memmove(b, b + 1, strlen(b));
}

/* Every column's number fits its column with a gap, in format fmt (0 "%.2f", 1 "%.1f", 2 "%.0f"). */
static int fitting_format(const DrawList *dl, const View *v, const float *x, int e) {
    const Layout *L = &v->L;
    char b[32];
    for (int fmt = e ? 1 : 0; fmt < 3; fmt++) {
        bool ok = true;
        for (int s = 0; s < v->tr->S && ok; s++) {
            unit_number(b, sizeof b, fmt, (double)x[s] / pow(10, e));
            ok = dl_text_width(dl, b, bk_small(L), 0) <= L->cw - 8 * L->u;
        }
        if (ok) return fmt;
    }
    return 3;
}

static void column_number(DrawList *dl, const View *v, int s, float x, int e, int fmt, float a) {
    if (fmt > 2 || a <= 0) return;
    const Layout *L = &v->L;
    char b[32];
    unit_number(b, sizeof b, fmt, (double)x / pow(10, e));
    float tw = dl_text_width(dl, b, bk_small(L), 0);
    dl_text(dl, col_x(L, s) + (L->cw - tw) / 2, L->barnum_y, bk_small(L), 0, alpha(s == v->focus ? v->th.accent : v->th.dim, a), b);
    dl_tag(dl, VIZ_TAG_BAR_LABEL, s, 0);
}

/* ---- ∂L/∂a_t(s), then ∂L/∂score_s ---- */

/* Bars around a zero line in the middle of the bar area: from, morphing
 * into to (each on its own scale); in the weights phase they grow one by one. */
static void grad_bars(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const GradStep *gs = &v->g->steps[v->t];
    int b = back_ph(v), S = v->tr->S;
    float m = b == BPH_SCORES ? ease(seg(v->pr, 0.1f, 0.7f)) : b > BPH_SCORES ? 1 : 0;
    const float *show = m < 0.5f ? gs->d_weights : gs->d_scores;
    float ma = viz_absmax(gs->d_weights, S), mb = viz_absmax(gs->d_scores, S);
    int e = unit_exp(m < 0.5f ? ma : mb), fmt = fitting_format(dl, v, show, e);
    axis_label(dl, v, m < 0.5f ? "∂L/∂a_t(s)" : "∂L/∂score", e, NULL, 1);
    float half = L->bar_h / 2 - 2 * L->u, base = L->bar_y + L->bar_h / 2, bw = fminf(L->cw * 0.62f, 26 * L->u);
    dl_rect(dl, L->cx0, base - 0.5f * L->u, col_x(L, S) - L->cx0, 1 * L->u, v->th.faint);
    for (int s = 0; s < S; s++) {
        float g = b == BPH_WEIGHTS ? ease(seg(v->pr, (float)s / (float)S * 0.7f, (float)s / (float)S * 0.7f + 0.3f)) : 1;
        if (g <= 0) continue;
        float ta = ma > 0 ? gs->d_weights[s] / ma : 0, tb = mb > 0 ? gs->d_scores[s] / mb : 0, t = lerp(ta, tb, m);
        float hgt = t * half * g, x = col_x(L, s) + (L->cw - bw) / 2;
        dl_rect(dl, x, hgt >= 0 ? base - hgt : base, bw, fmaxf(fabsf(hgt), 1 * L->u), grad_col(t, v->st->dark));
        dl_tag(dl, VIZ_TAG_GRAD_BAR, s, 0);
        dl_value(dl, show[s]);
        if (s == v->focus) {
            float top = fminf(base - hgt, base), bot = fmaxf(base - hgt, base);
            dl_frame(dl, x - 2 * L->u, top - 2 * L->u, bw + 4 * L->u, bot - top + 4 * L->u, 2 * L->u, v->th.accent);
        }
        column_number(dl, v, s, show[s], e, fmt, g);
    }
}

/* ---- the encoder phase ---- */

/* ∂L/∂h̄_s over the strips, on one scale for all of them. */
static void encoder_grads(DrawList *dl, const View *v, float a) {
    const Layout *L = &v->L;
    const GradTrace *g = v->g;
    int S = g->S, D = g->D;
    float m = viz_absmax(g->d_encoder_states, S * D), sw = L->colw_strip, ch = L->strip_h / (float)D;
    if (a <= 0) return;
    for (int s = 0; s < S; s++) {
        float sx = col_x(L, s) + (L->cw - sw) / 2;
        for (int i = 0; i < D; i++) {
            float x = g->d_encoder_states[(size_t)s * D + i];
            dl_rect(dl, sx, L->strip_y + (float)i * ch, sw, ch + 0.01f, alpha(grad_col(m > 0 ? x / m : 0, v->st->dark), a));
            dl_tag(dl, VIZ_TAG_GRAD_CELL, VIZ_GRAD_ENC, s * D + i);
            dl_value(dl, x);
        }
    }
    float lw = L->cx0 - L->lx0 - 8 * L->u, p = bk_fit(dl, L, "∂L/∂h̄_s", lw, L->f_label, TEXT_MATH);
    if (p > 0) dl_text(dl, L->lx0, L->strip_y + 2 * L->u, p, TEXT_MATH, alpha(v->th.accent, a), "∂L/∂h̄_s");
}

/* Where the blame lands: ‖∂L/∂x_s‖ per source token, the largest in the accent colour. */
static void blame_bars(DrawList *dl, const View *v, float grow) {
    const Layout *L = &v->L;
    const GradTrace *g = v->g;
    int S = g->S, most = most_blamed(g);
    float b[512], m = 0;
    int n = S < 512 ? S : 512;
    for (int s = 0; s < n; s++) m = fmaxf(m, b[s] = blame(g, s));
    int e = unit_exp(m), fmt = fitting_format(dl, v, b, e);
    axis_label(dl, v, "‖∂L/∂x_s‖", e, ui(v, UI_B_BLAME), 1);
    float base = L->bar_y + L->bar_h, bw = fminf(L->cw * 0.62f, 26 * L->u);
    dl_rect(dl, L->cx0, base - 0.5f * L->u, col_x(L, S) - L->cx0, 1 * L->u, v->th.faint);
    for (int s = 0; s < n; s++) {
        float hgt = m > 0 ? b[s] / m * (L->bar_h - 4 * L->u) * grow : 0, x = col_x(L, s) + (L->cw - bw) / 2;
        dl_rect(dl, x, base - hgt, bw, fmaxf(hgt, 1 * L->u), s == most ? v->th.accent : v->th.neutral);
        dl_tag(dl, VIZ_TAG_BLAME_BAR, s, 0);
        dl_value(dl, b[s]);
        if (s == v->focus && s != most) dl_frame(dl, x - 2 * L->u, base - hgt - 2 * L->u, bw + 4 * L->u, hgt + 4 * L->u, 2 * L->u, v->th.accent);
        column_number(dl, v, s, b[s], e, fmt, grow);
    }
}

/* ∂L/∂score_r(s) of every step r (what each step sends back into the
 * encoder states: zero where it did not look), one scale for the whole
 * matrix, the rows arriving one after the other; each row is labelled with
 * its reference token. */
static void grad_matrix(DrawList *dl, const View *v, float sweep) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const GradTrace *g = v->g;
    int S = g->S, T = g->T;
    float m = 0, rh = L->row_h, gap = rh > 8 * L->u ? 1 * L->u : 0, cgap = L->cw > 8 * L->u ? 1 * L->u : 0;
    for (int r = 0; r < T; r++) m = fmaxf(m, viz_absmax(g->steps[r].d_scores, S));
    float lp = fminf(L->f_label, rh * 0.78f);
    for (int r = 0; r < T; r++) {
        float y = L->mat_y + (float)r * rh, a = ease(seg(sweep, (float)r / (float)T, (float)(r + 1) / (float)T));
        for (int s = 0; s < S; s++) {
            float x = g->steps[r].d_scores[s];
            dl_rect(dl, col_x(L, s), y, L->cw - cgap, rh - gap, a > 0 ? alpha(grad_col(m > 0 ? x / m : 0, v->st->dark), a) : th->panel);
            dl_tag(dl, VIZ_TAG_GRAD_MATRIX, r, s);
            dl_value(dl, x);
        }
        const TraceStep *st = &v->tr->steps[r];
        float p = lp >= 9 ? viz_fit(dl, tok(v, st->reference_id), L->cx0 - 8 * L->u - (L->lx0 + 30 * L->u), lp, 8, 0) : 0;
        if (p > 0)
            viz_text_right(dl, L->cx0 - 8 * L->u, y + (rh - gap) / 2 - dl_text_height(dl, p) / 2, p, 0,
                           st->token_id != st->reference_id ? th->warn : th->text, tok(v, st->reference_id));
        if (r == v->t)
            dl_frame(dl, L->cx0 - 2 * L->u, y - 2 * L->u, col_x(L, S) - L->cx0 + 4 * L->u - cgap, rh - gap + 4 * L->u, 2 * L->u, th->text);
    }
}

static void encoder_phase(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    encoder_grads(dl, v, ease(seg(v->pr, 0, 0.6f)));
    blame_bars(dl, v, ease(seg(v->pr, 0.55f, 0.95f)));
    if (v->attn) {
        grad_matrix(dl, v, seg(v->pr, 0, 0.6f));
    } else {
        const char *s = ui(v, UI_B_START_ONLY);
        float p = bk_fit(dl, L, s, col_x(L, v->tr->S) - L->lx0, L->f_label, TEXT_MATH);
        if (p > 0) dl_text(dl, L->lx0, L->mat_y, p, TEXT_MATH, v->th.dim, s);
    }
}

void panel_back_body(DrawList *dl, const View *v) {
    int b = back_ph(v);
    if (b == BPH_STEP) { panel_back_step(dl, v); return; }
    if (b == BPH_ENCODER) {
        encoder_phase(dl, v);
    } else {
        if (b >= BPH_WEIGHTS && v->attn) grad_bars(dl, v);
        else panel_score_bars(dl, v);
        panel_matrix(dl, v);
        panel_rows(dl, v);   /* p_t(y_t) and the reference at the rows' ends, as in the forward phases */
    }
    panel_back_decoder(dl, v);
}

/* ---- the gradient under the mouse ---- */

enum { TIPS = 4, TIP = 200 };

/* A source column in the bar area or on the strips, in this phase. */
static int hover_column(const View *v, char l[TIPS][TIP]) {
    const Layout *L = &v->L;
    const GradTrace *g = v->g;
    int s = v->hover_s, b = back_ph(v), n = 0;
    float my = v->st->mouse_y;
    if (s < 0) return 0;
    const GradStep *gs = &g->steps[v->t];
    bool bars = my >= L->bar_y - 4 * L->u && my < L->mat_y, strips = my >= L->strip_y && my < L->strip_y + L->strip_h;
    if (b == BPH_ENCODER && (bars || strips)) {
        snprintf(l[n++], TIP, "s = %d: '%s'", s + 1, viz_tok_show(v->tr->src_tokens[s]));
        if (strips) {
            int i = (int)((my - L->strip_y) / L->strip_h * (float)g->D);
            if (i >= g->D) i = g->D - 1;
            snprintf(l[n++], TIP, "∂L/∂h̄_{%d}[%d] = %+.4g", s + 1, i + 1, (double)g->d_encoder_states[(size_t)s * g->D + i]);
        }
        snprintf(l[n++], TIP, "‖∂L/∂x_{%d}‖ = %.4g", s + 1, (double)blame(g, s));
        return n;
    }
    if (!bars || !v->attn || b < BPH_WEIGHTS || b > BPH_QUERY) return 0;
    snprintf(l[n++], TIP, "s = %d: '%s'   a_t(s) = %.4f", s + 1, viz_tok_show(v->tr->src_tokens[s]),
             (double)v->tr->steps[v->t].weights[s]);
    snprintf(l[n++], TIP, "∂L/∂a_t(%d) = %+.4g", s + 1, (double)gs->d_weights[s]);
    snprintf(l[n++], TIP, "∂L/∂score_%d = %+.4g", s + 1, (double)gs->d_scores[s]);
    return n;
}

/* A tagged gradient cell or row under the mouse (the draw list knows where). */
static int hover_tagged(const DrawList *dl, const View *v, char l[TIPS][TIP]) {
    float mx = v->st->mouse_x, my = v->st->mouse_y;
    static const char *const NAME[4] = {"q", "h_t", "c_t", "h̃_t"};
    for (int i = dl->n - 1; i >= 0; i--) {
        const DlCmd *c = &dl->cmds[i];
        if (c->kind != DL_RECT || mx < c->x || mx >= c->x + fmaxf(c->w, 1) || my < c->y || my >= c->y + fmaxf(c->h, 1)) continue;
        if (c->tag == VIZ_TAG_GRAD_CELL && c->a != VIZ_GRAD_ENC) {
            const char *nm = c->a == VIZ_GRAD_QUERY && !v->luong ? "h_{t-1}"
                           : c->a == VIZ_GRAD_OUT && !(v->luong && v->attn) ? "h_t" : NAME[c->a & 3];
            snprintf(l[0], TIP, "∂L/∂%s[%d] = %+.4g", nm, c->b + 1, (double)c->value);
            return 1;
        }
        if (c->tag == VIZ_TAG_GRAD_ROW) {
            snprintf(l[0], TIP, "p_t('%s') = %.4f", tok(v, c->b), (double)v->tr->steps[v->t].probs[c->b]);
            snprintf(l[1], TIP, "∂L/∂z_t('%s') = %+.4g", tok(v, c->b), (double)c->value);
            return 2;
        }
        if (c->tag == VIZ_TAG_GRAD_MATRIX) {
            snprintf(l[0], TIP, "∂L/∂score_{%d}(%d) = %+.4g", c->a + 1, c->b + 1, (double)c->value);
            snprintf(l[1], TIP, "a_{%d}(%d) = %.4f", c->a + 1, c->b + 1, (double)v->tr->steps[c->a].weights[c->b]);
            return 2;
        }
        if (c->tag == VIZ_TAG_STEP_CELL) {
            const float *w1 = v->g->after.weights + (size_t)v->t * v->tr->S;
            snprintf(l[0], TIP, "a_t(%d) = %.4f → %.4f", c->b + 1, (double)v->tr->steps[v->t].weights[c->b], (double)w1[c->b]);
            return 1;
        }
    }
    return 0;
}

void panel_back_hover(DrawList *dl, const View *v) {
    if (!v->st->mouse_in) return;
    char l[TIPS][TIP];
    const char *lines[TIPS] = {l[0], l[1], l[2], l[3]};
    int n = hover_column(v, l);
    if (!n) n = hover_tagged(dl, v, l);
    if (n) panel_tooltip(dl, v, lines, n);
    else panel_hover(dl, v);   /* the forward picture's values */
}
