/* train_curves.c — the training curves: four charts stacked over one step axis (loss, held-out accuracy, gradient norm, the schedule), for one run or several overlaid.
 *
 * Loss and gradient norm are drawn on a log scale: both fall over orders of
 * magnitude, and a linear axis would flatten everything after the first
 * hundred steps into the floor. The schedule chart shades the teacher-
 * forcing probability p from 0 up (the share of steps fed the reference:
 * "forced at first, then more and more its own predictions") and draws the
 * learning rate over it on its own scale, labelled at the right. A run with
 * more points than the plot has pixels is averaged per pixel column (in log
 * space on a log axis), so a 10,000-step run draws as fast as a short one.
 */
#include "train_panel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Okabe & Ito: one colour per run (the lab), or per quantity (one run). */
static const Color OI[] = {{0, 114, 178, 255}, {213, 94, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
                           {230, 159, 0, 255}, {86, 180, 233, 255}};
static const Color OI_DARK[] = {{86, 180, 233, 255}, {240, 130, 60, 255}, {40, 200, 150, 255}, {224, 150, 190, 255},
                                {240, 190, 60, 255}, {150, 210, 250, 255}};
enum { N_OI = sizeof OI / sizeof *OI };

static Color run_color(const TvCtx *c, int i) { return (c->dark ? OI_DARK : OI)[i % N_OI]; }

/* One chart: its plot rectangle and its y mapping. */
typedef struct {
    float x0, x1, y0, y1;        /* the plot (y0 top)                         */
    bool log;
    float lo, hi;                /* the y range (log: log10 of it)            */
    float plan;                  /* the x range: steps 0 .. plan              */
} Axis;

static float ax_x(const Axis *a, float step) { return a->x0 + (a->x1 - a->x0) * fminf(step / a->plan, 1); }
static float ax_y(const Axis *a, float v) {
    float t = a->log ? (log10f(v) - a->lo) / (a->hi - a->lo) : (v - a->lo) / (a->hi - a->lo);
    return a->y1 - (a->y1 - a->y0) * fminf(fmaxf(t, 0), 1);
}

/* ---- scales and ticks ---- */

/* A 1, 2, 5 × 10^k step giving at most `most` intervals over span. */
static float nice_step(float span, int most) {
    float p = powf(10, floorf(log10f(span > 0 ? span : 1)));
    static const float M[] = {0.1f, 0.2f, 0.5f, 1, 2, 5, 10};
    for (int i = 0; i < 7; i++)
        if (span / (M[i] * p) <= (float)most) return M[i] * p;
    return 10 * p;
}

static void fmt_num(char *b, size_t cap, float v) {
    if (v == 0) snprintf(b, cap, "0");
    else if (fabsf(v) >= 1000) snprintf(b, cap, "%s", viz_count((char[32]){0}, 32, (long)lroundf(v)));
    else if (fabsf(v) >= 1) snprintf(b, cap, "%g", (double)v);
    else snprintf(b, cap, "%.2g", (double)v);
}

/* The range of series k (or held-out k when held) over every run: finite
 * values, and positive ones on a log axis. */
static bool range_of(const VizCurves *runs, int n_runs, int k, bool held, bool positive, float *lo, float *hi) {
    *lo = INFINITY, *hi = -INFINITY;
    for (int r = 0; r < n_runs; r++) {
        int n = held ? runs[r].n_held : runs[r].n;
        const float *v = held ? runs[r].h[k] : runs[r].v[k];
        for (int i = 0; v && i < n; i++)
            if (isfinite(v[i]) && (!positive || v[i] > 0)) *lo = fminf(*lo, v[i]), *hi = fmaxf(*hi, v[i]);
    }
    return *lo <= *hi;
}

/* Gridlines and tick labels at the left; a log axis at every decade (and at
 * 2 and 5 when it spans less than two). */
static void y_ticks(DrawList *dl, const TvCtx *c, const Axis *a, int chart) {
    float lh = dl_text_height(dl, c->f_min);
    char b[32];
    float ticks[16];
    int n = 0;
    if (a->log) {
        bool fine = a->hi - a->lo < 2.01f;
        for (float d = floorf(a->lo); d <= a->hi + 1e-4f && n < 14; d++)
            for (int m = 0; m < (fine ? 3 : 1); m++) {
                float e = d + log10f(m == 0 ? 1 : m == 1 ? 2 : 5);
                if (e >= a->lo - 1e-4f && e <= a->hi + 1e-4f) ticks[n++] = powf(10, e);
            }
    } else {
        float st = nice_step(a->hi - a->lo, 2);
        for (float v = ceilf(a->lo / st) * st; v <= a->hi + st * 1e-3f && n < 16; v += st) ticks[n++] = v;
    }
    float last_y = -1e9f;
    for (int i = 0; i < n; i++) {
        float y = ax_y(a, ticks[i]);
        dl_line(dl, a->x0, y, a->x1, y, fmaxf(1, c->u), c->th.grid);
        if (fabsf(y - last_y) < lh * 0.9f) continue;   /* labels never overlap */
        last_y = y;
        fmt_num(b, sizeof b, ticks[i]);
        viz_text_right(dl, a->x0 - 6 * c->u, y - lh / 2, c->f_min, 0, c->th.dim, b);
        dl_tag(dl, TV_TAG_TICK, chart, 0);
        dl_value(dl, ticks[i]);
    }
}

/* Tick labels of the step axis under the rectangle. */
static void x_ticks(DrawList *dl, const TvCtx *c, const Axis *a, float y) {
    char b[32];
    float w1000 = dl_text_width(dl, "10,000", c->f_min, 0);
    int most = (int)fmaxf(1, (a->x1 - a->x0) / (w1000 * 1.8f));
    float st = nice_step(a->plan, most);
    for (float v = 0; v <= a->plan + st * 1e-3f; v += st) {
        float x = ax_x(a, v);
        dl_line(dl, x, a->y1, x, a->y1 + 4 * c->u, fmaxf(1, c->u), c->th.dim);
        viz_count(b, sizeof b, (long)lroundf(v));
        float tw = dl_text_width(dl, b, c->f_min, 0);
        dl_text(dl, fminf(fmaxf(x - tw / 2, a->x0 - 20 * c->u), a->x1 - tw), y, c->f_min, 0, c->th.dim, b);
        dl_tag(dl, TV_TAG_TICK, TV_CHARTS, 0);
        dl_value(dl, v);
    }
}

/* ---- series ---- */

/* A dashed segment: dashes of `dash` and gaps as long, *phase carried from
 * segment to segment. Dash by dash to the next boundary, in doubles and
 * bounded by the dashes that fit, so no rounding can stall it. */
static void dashed_seg(DrawList *dl, float x0, float y0, float x1, float y1, float w, float *phase, float dash, Color col) {
    double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy), ph = *phase;
    if (!(len > 0) || !(dash > 0)) return;
    double t = 0;
    for (long k = (long)(len / dash) + 3; k > 0 && t < len; k--) {
        double i = floor(ph / dash), end = (i + 1) * dash, left = len - t, run = fmin(end - ph, left);
        if ((long)i % 2 == 0)   /* a dash, not a gap */
            dl_line(dl, (float)(x0 + dx * t / len), (float)(y0 + dy * t / len), (float)(x0 + dx * (t + run) / len),
                    (float)(y0 + dy * (t + run) / len), w, col);
        ph = run < left ? end : ph + run;   /* on the boundary exactly */
        t += run;
    }
    *phase = (float)fmod(ph, 2.0 * dash);
}

/* A series as a line, averaged per pixel column when it has more points
 * than the plot has columns; gaps where a value is not finite. */
static void polyline(DrawList *dl, const TvCtx *c, const Axis *a, const float *xs, const float *ys, int n, Color col,
                     bool dashed, int tag_a, int tag_b) {
    if (!xs || !ys || n < 1) return;
    float colw = 2 * c->u, px = 0, py = 0, sum = 0, phase = 0, lw = fmaxf(2, 2.2f * c->u);
    int cnt = 0, bin = -1;
    bool have = false;
    for (int i = 0; i <= n; i++) {
        int b = i < n ? (int)(ax_x(a, xs[i]) / colw) : -2;
        bool ok = i < n && isfinite(ys[i]) && (!a->log || ys[i] > 0);
        if (b != bin && cnt > 0) {   /* the bin is complete: its mean is a point */
            float v = sum / (float)cnt, x = ax_x(a, xs[i - 1]), y = ax_y(a, a->log ? powf(10, v) : v);
            if (have) {
                if (dashed) dashed_seg(dl, px, py, x, y, lw, &phase, 6 * c->u, col);
                else dl_line(dl, px, py, x, y, lw, col);
                dl_tag(dl, TV_TAG_CURVE, tag_a, tag_b);
            }
            px = x, py = y, have = true;
            sum = 0, cnt = 0;
        }
        bin = b;
        if (i == n) break;
        if (!ok) { have = false; continue; }
        sum += a->log ? log10f(ys[i]) : ys[i];
        cnt++;
    }
    if (have && n == 1) dl_rect(dl, px - lw, py - lw, 2 * lw, 2 * lw, col);
}

/* The teacher-forcing p as a band from 0 up to p. */
static void band(DrawList *dl, const Axis *a, const float *xs, const float *ps, int n, Color col) {
    for (int i = 0; i + 1 < n; i++) {
        if (!isfinite(ps[i]) || !isfinite(ps[i + 1])) continue;
        float x0 = ax_x(a, xs[i]), x1 = ax_x(a, xs[i + 1]), b = a->y1;
        float y0 = ax_y(a, ps[i]), y1 = ax_y(a, ps[i + 1]);
        if (x1 - x0 < 0.01f) continue;
        dl_tri(dl, x0, b, x0, y0, x1, y1, col);
        dl_tri(dl, x0, b, x1, y1, x1, b, col);
    }
}

/* ---- one chart ---- */

typedef struct {
    DrawList *dl;
    const TvCtx *c;
    const VizCurves *runs;
    int n_runs;
    float plan;
    float x, w, lm;      /* the charts' left, width, the y labels' margin */
    float right;         /* the right end of everything (the lr labels')   */
} Charts;

/* A legend item after the title: a short line sample and its name; returns the next x. */
static float key_item(const Charts *K, float x, float y, Color col, bool dashed, bool filled, const char *name) {
    const TvCtx *c = K->c;
    float lh = dl_text_height(K->dl, c->f_min), cy = y + lh / 2, sw = 22 * c->u, ph = 0;
    if (filled) dl_rect(K->dl, x, cy - lh * 0.3f, sw, lh * 0.6f, col);
    else if (dashed) dashed_seg(K->dl, x, cy, x + sw, cy, fmaxf(2, 2.2f * c->u), &ph, 5 * c->u, col);
    else dl_line(K->dl, x, cy, x + sw, cy, fmaxf(2, 2.2f * c->u), col);
    DlCmd *t = dl_text(K->dl, x + sw + 5 * c->u, y, c->f_min, 0, c->th.text, name);
    return x + sw + 5 * c->u + (t ? t->w : 0) + 14 * c->u;
}

/* A legend item's width (key_item). */
static float key_w(const Charts *K, const char *name) {
    const TvCtx *c = K->c;
    return 22 * c->u + 5 * c->u + dl_text_width(K->dl, name, c->f_min, 0) + 14 * c->u;
}

/* Where a chart's next legend item goes, and where its lines start. */
typedef struct {
    float x0, x, y;
} KeyAt;

/* Room for the item `name` at the end of the line, else the next line. */
static void key_place(const Charts *K, KeyAt *at, const char *name) {
    if (at->x > at->x0 && at->x + key_w(K, name) - 14 * K->c->u > K->right)
        at->x = at->x0, at->y += dl_text_height(K->dl, K->c->f_min);
}

/* Chart i's title, and its legend items (keys, returns how many). */
static int chart_keys(const Charts *K, int chart, UiStr *title, const char **keys) {
    static const UiStr TITLE[TV_CHARTS] = {UI_TV_LOSS, UI_TV_HELDOUT, UI_TV_GRAD, UI_TV_TF};
    const TvCtx *c = K->c;
    *title = TITLE[chart];
    int n = 0;
    if (chart == TV_CHART_ACCURACY) keys[n++] = tv_str(c, UI_TV_EXACT), keys[n++] = tv_str(c, UI_TV_TOKEN);
    if (chart == TV_CHART_SCHEDULE) {   /* one run: p shaded, "fed the reference"; several: their colours are the legend's */
        if (K->n_runs == 1) keys[n++] = tv_str(c, UI_TV_FORCED);
        keys[n++] = tv_str(c, UI_TV_LR);
    }
    return n;
}

/* Chart i's head from y: where its legend starts (*at) and where its plot
 * does. The items go after the title, or on lines of their own under it
 * when they do not all fit beside it. */
static float chart_head(const Charts *K, int chart, float y, KeyAt *at) {
    const TvCtx *c = K->c;
    UiStr title;
    const char *keys[2];
    int n = chart_keys(K, chart, &title, keys);
    float lh = dl_text_height(K->dl, c->f_min), tx = K->x + K->lm;
    float after = tx + dl_text_width(K->dl, tv_str(c, title), c->f_min, TEXT_BOLD) + 16 * c->u, all = 0;
    for (int i = 0; i < n; i++) all += key_w(K, keys[i]);
    bool below = n > 0 && after + all - 14 * c->u > K->right;
    *at = below ? (KeyAt){tx, tx, y + lh} : (KeyAt){after, after, y};
    KeyAt end = *at;
    for (int i = 0; i < n; i++) {   /* the lines the items take */
        key_place(K, &end, keys[i]);
        end.x += key_w(K, keys[i]);
    }
    return end.y + lh + 4 * c->u;
}

/* The frame of chart i over [y, y + h): title, plot area, axis; *at is
 * where its legend items start (chart_head). */
static Axis chart_frame(const Charts *K, int chart, UiStr title, float y, float h, KeyAt *at) {
    const TvCtx *c = K->c;
    Axis a = {.x0 = K->x + K->lm, .x1 = K->x + K->w, .y0 = chart_head(K, chart, y, at), .y1 = y + h, .plan = K->plan};
    dl_text(K->dl, a.x0, y, c->f_min, TEXT_BOLD, c->th.text, tv_str(c, title));
    dl_rect(K->dl, a.x0, a.y0, a.x1 - a.x0, a.y1 - a.y0, c->th.bg);
    dl_tag(K->dl, TV_TAG_CHART, chart, 0);
    dl_line(K->dl, a.x0, a.y1, a.x1, a.y1, fmaxf(1, 1.5f * c->u), c->th.dim);
    dl_line(K->dl, a.x0, a.y0, a.x0, a.y1, fmaxf(1, 1.5f * c->u), c->th.dim);
    return a;
}

/* One series on a log scale, a line per run: the loss, or the gradient norm.
 * `one` is the colour of a single run's line (several runs: theirs). */
static void chart_log(const Charts *K, int chart, UiStr title, int series, int one, float y, float h) {
    KeyAt at;
    Axis a = chart_frame(K, chart, title, y, h, &at);
    float lo, hi;
    if (!range_of(K->runs, K->n_runs, series, false, true, &lo, &hi)) return;
    a.log = true;
    a.lo = floorf(log10f(lo) * 2) / 2, a.hi = ceilf(log10f(hi) * 2) / 2;
    if (a.hi - a.lo < 1) a.lo = a.hi - 1;
    y_ticks(K->dl, K->c, &a, chart);
    for (int r = 0; r < K->n_runs; r++)
        polyline(K->dl, K->c, &a, K->runs[r].v[VIZ_CURVE_STEP], K->runs[r].v[series], K->runs[r].n,
                 run_color(K->c, K->n_runs > 1 ? r : one), false, chart, r * 4);
}

static void chart_loss(const Charts *K, float y, float h) {
    chart_log(K, TV_CHART_LOSS, UI_TV_LOSS, VIZ_CURVE_LOSS, 0, y, h);
}

static void chart_accuracy(const Charts *K, float y, float h) {
    const TvCtx *c = K->c;
    const char *keys[] = {tv_str(c, UI_TV_EXACT), tv_str(c, UI_TV_TOKEN)};
    KeyAt at;
    Axis a = chart_frame(K, TV_CHART_ACCURACY, UI_TV_HELDOUT, y, h, &at);
    a.lo = 0, a.hi = 1;
    char b[16];
    float lh = dl_text_height(K->dl, c->f_min);
    for (int pct = 0; pct <= 100; pct += 50) {
        float gy = ax_y(&a, (float)pct / 100);
        dl_line(K->dl, a.x0, gy, a.x1, gy, fmaxf(1, c->u), c->th.grid);
        snprintf(b, sizeof b, "%d%%", pct);
        viz_text_right(K->dl, a.x0 - 6 * c->u, gy - lh / 2, c->f_min, 0, c->th.dim, b);
        dl_tag(K->dl, TV_TAG_TICK, TV_CHART_ACCURACY, 0);
        dl_value(K->dl, (float)pct / 100);
    }
    Color one = K->n_runs > 1 ? c->th.dim : run_color(c, 2);
    for (int i = 0; i < 2; i++) {
        key_place(K, &at, keys[i]);
        at.x = key_item(K, at.x, at.y, one, i == 1, false, keys[i]);
    }
    for (int r = 0; r < K->n_runs; r++) {
        const VizCurves *R = &K->runs[r];
        Color col = K->n_runs > 1 ? run_color(c, r) : one;
        polyline(K->dl, c, &a, R->h[VIZ_HELD_STEP], R->h[VIZ_HELD_TOKEN], R->n_held, col, true, TV_CHART_ACCURACY, r * 4 + 1);
        polyline(K->dl, c, &a, R->h[VIZ_HELD_STEP], R->h[VIZ_HELD_EXACT], R->n_held, col, false, TV_CHART_ACCURACY, r * 4);
    }
}

static void chart_grad(const Charts *K, float y, float h) {
    chart_log(K, TV_CHART_GRAD, UI_TV_GRAD, VIZ_CURVE_GRAD, 4, y, h);
}

/* p shaded (one run) or drawn (several); the learning rate on its own scale. */
static void chart_schedule(const Charts *K, float y, float h) {
    const TvCtx *c = K->c;
    /* one run: p shaded, "fed the reference"; several: their colours are the legend's */
    const char *keys[] = {tv_str(c, UI_TV_FORCED), tv_str(c, UI_TV_LR)};
    int k0 = K->n_runs == 1 ? 0 : 1;
    KeyAt at;
    Axis a = chart_frame(K, TV_CHART_SCHEDULE, UI_TV_TF, y, h, &at);
    a.lo = 0, a.hi = 1;
    y_ticks(K->dl, c, &a, TV_CHART_SCHEDULE);
    Color shade = alpha(c->th.good, c->dark ? 0.45f : 0.30f), lrc = run_color(c, 3);
    for (int i = k0; i < 2; i++) {
        key_place(K, &at, keys[i]);
        at.x = key_item(K, at.x, at.y, i == 0 ? shade : K->n_runs == 1 ? lrc : c->th.dim, i == 1, i == 0, keys[i]);
    }
    float lr_hi = 0, lo;
    range_of(K->runs, K->n_runs, VIZ_CURVE_LR, false, true, &lo, &lr_hi);
    for (int r = 0; r < K->n_runs; r++) {
        const VizCurves *R = &K->runs[r];
        if (K->n_runs == 1) band(K->dl, &a, R->v[VIZ_CURVE_STEP], R->v[VIZ_CURVE_TF], R->n, shade);
        else polyline(K->dl, c, &a, R->v[VIZ_CURVE_STEP], R->v[VIZ_CURVE_TF], R->n, run_color(c, r), false, TV_CHART_SCHEDULE, r * 4);
    }
    if (!(lr_hi > 0)) return;
    Axis l = a;   /* the learning rate: 0 .. its largest value, labelled at the right */
    l.hi = lr_hi * 1.05f;
    for (int r = 0; r < K->n_runs; r++)
        polyline(K->dl, c, &l, K->runs[r].v[VIZ_CURVE_STEP], K->runs[r].v[VIZ_CURVE_LR], K->runs[r].n,
                 K->n_runs == 1 ? lrc : run_color(c, r), true, TV_CHART_SCHEDULE, r * 4 + 1);
    char b[32];
    snprintf(b, sizeof b, "%.2g", (double)lr_hi);
    float lh = dl_text_height(K->dl, c->f_min), yy = ax_y(&l, lr_hi) - lh / 2;
    dl_text(K->dl, a.x1 + 6 * c->u, yy, c->f_min, 0, K->n_runs == 1 ? lrc : c->th.dim, b);
    dl_tag(K->dl, TV_TAG_TICK, TV_CHARTS + 1, 0);
    dl_value(K->dl, lr_hi);
}

/* The runs' names in their colours, in rows; returns the height used. */
static float legend(const Charts *K, float y) {
    const TvCtx *c = K->c;
    float lh = dl_text_height(K->dl, c->f_min), x = K->x + K->lm, rows = 1;
    for (int r = 0; r < K->n_runs; r++) {
        const char *name = K->runs[r].name ? K->runs[r].name : "";
        float w = 22 * c->u + dl_text_width(K->dl, name, c->f_min, 0) + 19 * c->u;
        if (x + w > K->x + K->w && x > K->x + K->lm) x = K->x + K->lm, y += lh * 1.2f, rows++;
        x = key_item(K, x, y, run_color(c, r), false, false, name);
        dl_tag(K->dl, TV_TAG_LEGEND, r, 0);
    }
    return rows * lh * 1.2f;
}

/* The step axis's end: the plan, or while the runs are far from it a
 * 1-2-5 round number a quarter past the furthest step, so the first
 * hundred steps fill the chart instead of its first pixels. */
static float x_end(const VizCurves *runs, int n_runs, long plan) {
    float last = 0;
    for (int r = 0; r < n_runs; r++)
        if (runs[r].n > 0 && runs[r].v[VIZ_CURVE_STEP]) last = fmaxf(last, runs[r].v[VIZ_CURVE_STEP][runs[r].n - 1]);
    float want = fmaxf(last * 1.25f, 50), end = 1;
    while (end < want) end *= 10;
    if (end / 5 >= want) end /= 5;
    else if (end / 2 >= want) end /= 2;
    return plan > 0 && end > (float)plan ? (float)plan : end;
}

void viz_curves_build(DrawList *dl, const VizCurves *runs, int n_runs, long plan, float x, float y, float w, float h,
                      bool dark, const char *lang, float font_px) {
    TvCtx c = tv_ctx(font_px / TV_F_MIN, dark, lang);
    float lr_w = dl_text_width(dl, "0.003", c.f_min, 0) + 10 * c.u;
    Charts K = {.dl = dl, .c = &c, .runs = runs, .n_runs = n_runs, .plan = x_end(runs, n_runs, plan), .x = x,
                .w = w - lr_w, .right = x + w, .lm = dl_text_width(dl, "100%", c.f_min, 0) + 12 * c.u};
    float lh = dl_text_height(dl, c.f_min);
    if (n_runs > 1 || (n_runs == 1 && runs[0].name && runs[0].name[0])) {
        float used = legend(&K, y);
        y += used, h -= used;
    }
    /* the charts whose plots all get one height of at least min_plot (50 px,
     * more with larger type); what does not fit goes (large type, the zoom, a
     * lesson's narration beside a small window): the gradient norm first,
     * then the schedule, then the held-out accuracy; the loss stays */
    static const int DROP[] = {TV_CHART_GRAD, TV_CHART_SCHEDULE, TV_CHART_ACCURACY};
    bool keep[TV_CHARTS] = {true, true, true, true};
    float axis_h = lh * 2.3f, gap = lh * 0.5f, min_plot = 50 * fmaxf(1, c.f_min / TV_F_MIN), plot = 0;
    KeyAt at;
    float head[TV_CHARTS];   /* a chart's title and legend lines: the same whichever are kept */
    for (int i = 0; i < TV_CHARTS; i++) head[i] = chart_head(&K, i, 0, &at);
    for (int n = TV_CHARTS, d = 0;; keep[DROP[d++]] = false, n--) {
        float heads = 0;
        for (int i = 0; i < TV_CHARTS; i++) heads += keep[i] ? head[i] : 0;
        plot = (h - axis_h - (float)(n - 1) * gap - heads) / (float)n;
        if (plot >= min_plot || n == 1) break;
    }
    if (plot < min_plot) return;
    void (*const charts[TV_CHARTS])(const Charts *, float, float) = {chart_loss, chart_accuracy, chart_grad,
                                                                      chart_schedule};
    float cy = y;
    for (int i = 0; i < TV_CHARTS; i++) {
        if (!keep[i]) continue;
        float ch = head[i] + plot;
        charts[i](&K, cy, ch);
        cy += ch + gap;
    }
    Axis a = {.x0 = K.x + K.lm, .x1 = K.x + K.w, .y1 = cy - gap, .plan = K.plan};
    x_ticks(dl, &c, &a, a.y1 + 5 * c.u);
    const char *xl = tv_str(&c, UI_TV_STEPS);
    viz_text_right(dl, a.x1, a.y1 + 5 * c.u + lh, c.f_min, 0, c.th.dim, xl);
}

void viz_curves_figure(DrawList *dl, const VizCurves *runs, int n_runs, long plan, const char *title, float W, float H,
                       bool dark, const char *lang) {
    float u = fmaxf(0.5f, fminf(W / 1280, H / 720));
    TvCtx c = tv_ctx(u, dark, lang);
    dl_clear(dl);
    dl_rect(dl, 0, 0, W, H, c.th.bg);
    float pad = 24 * u, y = pad;
    if (title) {
        float p = viz_fit(dl, title, W - 2 * pad, c.f_big, c.f_min, TEXT_BOLD);
        dl_text(dl, pad, y, p > 0 ? p : c.f_min, TEXT_BOLD, c.th.text, title);
        y += dl_text_height(dl, c.f_big) * 1.4f;
    }
    viz_curves_build(dl, runs, n_runs, plan, pad, y, W - 2 * pad, H - y - pad, dark, lang, c.f_min);
}
