/* panel_score_bars.c — the score bars and the softmax bars: one bar per
 * source column, first the raw scores going up and down from a zero line
 * (scores phase), then the same bars growing into the weights a_t(s) that
 * sum to 1 (softmax phase), with an axis at the left (ticks at round
 * values, faint grid lines across) and the numbers underneath.
 *
 * The score axis spans [min(0, lowest score), max(0, highest)], not ±the
 * largest |score|: the bars use the whole band, so a −0.25 beside a +8 is a
 * bar you can see (either sign that occurs gets at least 15% of the band,
 * and no bar is thinner than 5 units), with its own number. */
#include "panel.h"

#include <stdio.h>
#include <string.h>

/* a bar's number: format 0 "0.94", 1 ".94" / "-7.8" (no format rounds a
 * weight to "0": when neither fits, only the highlighted column's shows) */
static void bar_number(char *b, size_t n, float x, int fmt) {
    if (fmt == 0) { snprintf(b, n, "%.2f", (double)x); return; }
    if (fabsf(x) < 1) {
        snprintf(b, n, "%.2f", (double)x);
        char *z = strchr(b, '0');   /* "0.94" → ".94", "-0.50" → "-.50" */
        if (z && z[1] == '.') memmove(z, z + 1, strlen(z));
    } else {
        snprintf(b, n, "%.1f", (double)x);
    }
}

/* The numbers under the bars, in the longest format that fits every column
 * with a gap at the readable size; 2 (none: only the highlighted column's)
 * when even the shortest does not. m: the softmax's progress (the bars show
 * weights from 0.5 on). */
static int number_format(const DrawList *dl, const View *v, float m) {
    const Layout *L = &v->L;
    char nb[32];
    int fmt = 0;
    for (; fmt < 2; fmt++) {
        bool ok = true;
        for (int s = 0; s < v->tr->S && ok; s++) {
            bar_number(nb, sizeof nb, m < 0.5f ? score_at(v, v->t, s) : weight_at(v, v->t, s), fmt);
            ok = dl_text_width(dl, nb, L->f_small, 0) <= L->cw - 6 * L->u;
        }
        if (ok) break;
    }
    return fmt;
}

/* A round step (1, 2 or 5 × 10^k) that puts at most n ticks on a span. */
static float nice_step(float span, int n) {
    if (!(span > 0) || n < 1) return 1;
    float raw = span / (float)n, p = powf(10, floorf(log10f(raw)));
    return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

/* The axis of one scale, [lo, hi] on the band, its ticks at alpha a. */
typedef struct { float lo, hi; } Span;

static float y_of(const Layout *L, Span r, float x) { return L->bar_y + L->bar_h * (r.hi - x) / (r.hi - r.lo); }

static void axis(DrawList *dl, const View *v, Span r, float a) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    if (a <= 0.01f) return;
    float th_px = dl_text_height(dl, L->f_small);
    int n = (int)(L->bar_h / (th_px * 1.15f));   /* labels that fit the band's height */
    float step = nice_step(r.hi - r.lo, n > 1 ? n - 1 : 1), x1 = col_x(L, v->tr->S);
    float top = floorf(r.hi / step + 1e-4f) * step;   /* a band too short for two labels: the top one */
    char b[32];
    for (float t = ceilf(r.lo / step - 1e-4f) * step; t <= r.hi + step * 1e-4f; t += step) {
        float y = y_of(L, r, t);
        if (fabsf(t) > step * 1e-3f) dl_rect(dl, L->cx0, y, x1 - L->cx0, 1 * L->u, alpha(th->grid, a));   /* grid */
        dl_rect(dl, L->cx0 - 6 * L->u, y - 0.5f * L->u, 5 * L->u, 1 * L->u, alpha(th->dim, a));             /* tick */
        if (n < 2 && fabsf(t - top) > step * 1e-3f) continue;
        snprintf(b, sizeof b, "%g", fabsf(t) < step * 1e-3f ? 0.0 : (double)t);
        viz_text_right(dl, L->cx0 - 9 * L->u, y - th_px / 2, L->f_small, 0, alpha(th->dim, a), b);
    }
    dl_rect(dl, L->cx0 - 2 * L->u, L->bar_y, 1 * L->u, L->bar_h, alpha(th->dim, a));   /* the axis */
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
    viz_text_fit(dl, L, L->lx0, L->bar_y + L->bar_h / 2 + L->f_label * 0.6f, lw, L->f_label, TEXT_BOLD,
                 alpha(v->th.accent, sa), b, FIT_END);
}

/* The number under bar s (fmt), or when the numbers do not fit, the
 * highlighted column's alone, as wide as it needs, kept over the columns. */
static void bar_label(DrawList *dl, const View *v, int s, int fmt, float m, float g) {
    const Layout *L = &v->L;
    char nb[32];
    float x = m < 0.5f ? score_at(v, v->t, s) : weight_at(v, v->t, s);
    if (fmt < 2) {
        bar_number(nb, sizeof nb, x, fmt);
    } else {
        if (s != v->focus) return;
        bar_number(nb, sizeof nb, x, 0);
    }
    float tw = dl_text_width(dl, nb, L->f_small, 0);
    float lx = fminf(fmaxf(col_x(L, s) + (L->cw - tw) / 2, L->cx0), col_x(L, v->tr->S) - tw);
    dl_text(dl, lx, L->barnum_y, L->f_small, 0, alpha(s == v->focus ? v->th.accent : v->th.dim, g), nb);
    dl_tag(dl, VIZ_TAG_BAR_LABEL, s, 0);
}

/* Whether source token s occurs elsewhere in the source too. */
static bool repeated(const Trace *tr, int s) {
    for (int j = 0; j < tr->S; j++)
        if (j != s && !strcmp(tr->src_tokens[j], tr->src_tokens[s])) return true;
    return false;
}

/* When the columns are too narrow for every number: the step's largest
 * values listed in the numbers' row, "largest: european 0.32 · the 0.24 ·
 * …", on the side away from the highlighted column's number, as many as
 * fit (one at least). m: as in number_format. */
static void top_values(DrawList *dl, const View *v, float m) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    enum { K = 4 };
    int top[K], k = 0;
    for (int s = 0; s < tr->S; s++) {   /* insertion into the largest K */
        float x = m < 0.5f ? score_at(v, v->t, s) : weight_at(v, v->t, s);
        int pos = k < K ? k++ : K;
        if (pos == K && x <= (m < 0.5f ? score_at(v, v->t, top[K - 1]) : weight_at(v, v->t, top[K - 1]))) continue;
        if (pos == K) pos = K - 1;
        while (pos > 0 && (m < 0.5f ? score_at(v, v->t, top[pos - 1]) : weight_at(v, v->t, top[pos - 1])) < x) {
            top[pos] = top[pos - 1];
            pos--;
        }
        top[pos] = s;
    }
    float x0 = L->cx0, x1 = col_x(L, tr->S), mid = (x0 + x1) / 2;
    bool right = v->focus < 0 || col_x(L, v->focus) < mid;   /* away from the highlighted number */
    float room = (x1 - x0) / 2 - 12 * L->u;
    char line[400], item[160];
    int o = snprintf(line, sizeof line, "%s", ui(v, UI_TOP_WEIGHTS));
    for (int i = 0; i < k; i++) {
        char nb[32];
        bar_number(nb, sizeof nb, m < 0.5f ? score_at(v, v->t, top[i]) : weight_at(v, v->t, top[i]), 0);
        char at[16] = "";   /* a token the source has twice gets its position: "the (12)" */
        if (repeated(tr, top[i])) snprintf(at, sizeof at, " (%d)", top[i] + 1);
        snprintf(item, sizeof item, "%s %s%s %s", i ? " ·" : "", viz_tok_show(tr->src_tokens[top[i]]), at, nb);
        if (i > 0 && dl_text_width(dl, line, L->f_small, 0) + dl_text_width(dl, item, L->f_small, 0) > room) break;
        o += snprintf(line + o, sizeof line - (size_t)o, "%s", item);
    }
    char sb[400];
    const char *s = viz_shorten(dl, line, room, L->f_small, 0, FIT_END, sb, sizeof sb);
    float w = dl_text_width(dl, s, L->f_small, 0), lx = right ? x1 - w : x0;
    if (strcmp(s, "…") == 0) return;   /* not even one value fits */
    if (v->focus >= 0) {   /* never over the highlighted column's number (bar_label) */
        char nb[32];
        bar_number(nb, sizeof nb, m < 0.5f ? score_at(v, v->t, v->focus) : weight_at(v, v->t, v->focus), 0);
        float tw = dl_text_width(dl, nb, L->f_small, 0);
        float fl = fminf(fmaxf(col_x(L, v->focus) + (L->cw - tw) / 2, L->cx0), x1 - tw);
        if (lx < fl + tw + 6 * L->u && lx + w > fl - 6 * L->u) return;
    }
    dl_text(dl, lx, L->barnum_y, L->f_small, 0, v->th.dim, s);
}

void panel_score_bars(DrawList *dl, const View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = tr->S;
    if (!v->attn) return;   /* no scores to draw: panel_handover.c uses the space */
    float sp = prog(v, PH_SCORES), m = ease(prog(v, PH_SOFTMAX));
    float lw = L->cx0 - L->lx0 - 8 * L->u;
    const char *lab = m < 0.5f ? ui(v, UI_SCORES) : "a_t(s)";
    viz_text_fit(dl, L, L->lx0, L->bar_y + L->bar_h / 2 - L->f_label * 0.7f, lw * 0.55f, L->f_label, TEXT_MATH, th->dim,
                 lab, FIT_END);
    /* the two scales: scores over [min(0, lo), max(0, hi)], weights over [0, 1] */
    Span rs = {0, 0}, rw = {0, 1};
    if (v->attn)
        for (int s = 0; s < S; s++) {
            rs.lo = fminf(rs.lo, score_at(v, v->t, s));
            rs.hi = fmaxf(rs.hi, score_at(v, v->t, s));
        }
    if (rs.hi - rs.lo < 1e-6f) rs = (Span){-1, 1};
    /* a sign that is there gets room: at least 15% of the band either side of zero */
    float span = rs.hi - rs.lo;
    if (rs.lo < 0) rs.lo = fminf(rs.lo, -0.15f * span);
    if (rs.hi > 0) rs.hi = fmaxf(rs.hi, 0.15f * span);
    float base = lerp(y_of(L, rs, 0), y_of(L, rw, 0), m);   /* the zero line moves to the bottom */
    float x0 = L->cx0, x1 = col_x(L, S);
    if (v->attn && sp > 0) {
        axis(dl, v, rs, clamp01(1 - 2 * m) * ease(sp));   /* one scale at a time: the ticks would collide */
        axis(dl, v, rw, clamp01(2 * m - 1));
    }
    dl_rect(dl, x0, base - 0.5f * L->u, x1 - x0, 1.5f * L->u, th->dim);   /* the zero line */
    if (!v->attn || sp <= 0) return;
    float bw = fminf(L->cw * 0.62f, 40 * L->u);
    int fmt = number_format(dl, v, m);
    for (int s = 0; s < S; s++) {
        float g = ease(seg(sp, (float)s / (float)S * 0.7f, (float)s / (float)S * 0.7f + 0.3f));
        if (g <= 0) continue;
        float w = weight_at(v, v->t, s), sc = score_at(v, v->t, s);
        float hs = y_of(L, rs, 0) - y_of(L, rs, sc);   /* the score's height above its zero */
        if (sc != 0 && fabsf(hs) < 5 * L->u) hs = copysignf(5 * L->u, sc);   /* small, but there */
        float hgt = lerp(hs, w * L->bar_h, m) * g;
        float bx = col_x(L, s) + (L->cw - bw) / 2;
        /* the sign's hue even for a small score: |x| → [0.45, 1] (the map's middle is the background's) */
        float x = sc / fmaxf(rs.hi, -rs.lo);
        Color c = mix(val_col(sc == 0 ? 0 : copysignf(0.45f + 0.55f * fabsf(x), x), v->st->dark), vir_col(w), m);
        if (hgt >= 0) dl_rect(dl, bx, base - hgt, bw, fmaxf(hgt, 1 * L->u), c);
        else dl_rect(dl, bx, base, bw, -hgt, c);
        dl_tag(dl, VIZ_TAG_BAR, s, 0);
        if (s == v->focus) {
            float top = fminf(base - hgt, base), bot = fmaxf(base - hgt, base);
            dl_frame(dl, bx - 2 * L->u, top - 2 * L->u, bw + 4 * L->u, bot - top + 4 * L->u, 2 * L->u, th->accent);
        }
        bar_label(dl, v, s, fmt, m, g);
    }
    if (fmt == 2 && sp >= 1 && (m <= 0 || m >= 1)) top_values(dl, v, m);
    bar_sum(dl, v, lw);
}
