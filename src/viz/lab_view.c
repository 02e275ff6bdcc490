/* lab_view.c — the mechanism lab's screen (lab_view.h): the configurations' probe matrices in a row and their curves overlaid, with one legend. */
#include "lab_view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel.h"

enum { F_MIN = 18, F_LAB = 19, F_HEAD = 21, F_TITLE = 26 };

typedef struct {
    DrawList *dl;
    const VizLab *lab;
    Theme th;
    Layout L;                     /* only its fmin: the smallest text */
    float u, W, H, pad;
    int mway;                     /* how the columns say their measures (measure_way) */
} Ctx;

static const char *str(const Ctx *c, UiStr id) { return ui_str(c->lab->lang, id); }

/* Okabe & Ito (2008): blue, vermillion, bluish green, reddish purple,
 * orange, sky blue. On the dark page the blue is lifted to stay readable. */
Color viz_lab_color(int i, bool dark) {
    static const Color OI[VIZ_LAB_MAX] = {{0, 114, 178, 255},  {213, 94, 0, 255},   {0, 158, 115, 255},
                                          {204, 121, 167, 255}, {230, 159, 0, 255}, {86, 180, 233, 255}};
    Color c = OI[((i % VIZ_LAB_MAX) + VIZ_LAB_MAX) % VIZ_LAB_MAX];
    if (dark && i % VIZ_LAB_MAX == 0) c = (Color){64, 160, 230, 255};
    return c;
}

/* A count with its thousands separated: 12,500. */
static const char *count(char *buf, size_t cap, long n) {
    char d[32];
    int k = snprintf(d, sizeof d, "%ld", n < 0 ? 0 : n), o = 0;
    for (int i = 0; i < k && o + 2 < (int)cap; i++) {
        if (i && (k - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = d[i];
    }
    buf[o] = 0;
    return buf;
}

static void pct(char *buf, size_t cap, float v) {
    if (isnan(v)) snprintf(buf, cap, "–");
    else snprintf(buf, cap, v > 0 && v < 0.1f ? "%.1f%%" : "%.0f%%", 100.0 * (double)v);
}

/* ---- one configuration's column ------------------------------------------------------- */

static bool token_right(const VizLabRun *r, int t) {
    return r->ref && t < r->R && strcmp(r->out[t], r->ref[t]) == 0;
}

/* The output tokens in one line under the matrix, wrong ones in the warning
 * colour, shrunk to fit (never under F_MIN: then cut with "…"). */
static void output_line(const Ctx *c, const VizLabRun *r, int i, float x, float y, float w) {
    DrawList *dl = c->dl;
    float u = c->u, px = F_MIN * u;
    bool chars = true;
    for (int t = 0; t < r->T; t++) chars &= strlen(r->out[t]) <= 1 || strcmp(r->out[t], "<eos>") == 0;
    char all[1024] = "→ ";
    for (int t = 0; t < r->T && strcmp(r->out[t], "<eos>") != 0; t++)
        snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s", chars || t == 0 ? "" : " ", r->out[t]);
    float fit = viz_fit(dl, all, w, F_LAB * u, px, 0);
    if (fit > 0) px = fit;
    float ell = dl_text_width(dl, "…", px, 0), cx = x;
    DlCmd *arrow = dl_text(dl, cx, y, px, 0, c->th.dim, "→ ");
    cx += arrow ? arrow->w : 0;
    for (int t = 0; t < r->T && strcmp(r->out[t], "<eos>") != 0; t++) {
        char tok[128];
        snprintf(tok, sizeof tok, "%s%s", chars || t == 0 ? "" : " ", viz_tok_show(r->out[t]));
        float tw = dl_text_width(dl, tok, px, 0);
        if (fit == 0 && cx + tw + ell > x + w) {
            dl_text(dl, cx, y, px, 0, c->th.dim, "…");
            break;
        }
        bool right = token_right(r, t);
        dl_text(dl, cx, y, px, right || !r->ref ? 0 : TEXT_BOLD, right || !r->ref ? c->th.text : c->th.warn, tok);
        dl_tag(dl, LAB_TAG_OUTPUT, i, t);
        dl_value(dl, r->ref ? (float)right : -1.0f);
        cx += tw;
    }
}

/* s centred on cx in w, on as many lines as its words need (at most 4),
 * from y, each lh apart; returns the lines (draw false: only counts them). */
static int center_lines(const Ctx *c, bool draw, float cx, float y, float w, float px, float lh, int flags, Color col,
                        const char *s) {
    DrawList *dl = c->dl;
    int lines = 0;
    while (*s && lines < 4) {
        int end = 0, n = (int)strlen(s);   /* the most whole words that fit, at least one */
        for (int e = 1; e <= n; e++) {
            if (s[e] != ' ' && s[e] != 0) continue;
            char part[256];
            snprintf(part, sizeof part, "%.*s", e, s);
            if (end > 0 && dl_text_width(dl, part, px, flags) > w) break;
            end = e;
        }
        char line[256];
        snprintf(line, sizeof line, "%.*s", lines == 3 ? n : end, s);   /* the 4th: the rest, shortened */
        if (draw) viz_text_center(dl, &c->L, cx, y + (float)lines * lh, w, px, flags, col, line);
        lines++;
        s += end;
        while (*s == ' ') s++;
    }
    return lines;
}

/* Why there is no matrix, centred in the box, on more lines when narrow. */
static void no_matrix(const Ctx *c, int i, float x, float y, float w, float h) {
    DrawList *dl = c->dl;
    float u = c->u, big = F_LAB * u, small = fmaxf(F_MIN * u, c->L.fmin), tw = w - 16 * u;
    dl_frame(dl, x, y, w, h, 1.5f * u, c->th.faint);
    const char *what = str(c, UI_LAB_NO_ATTN), *why = str(c, UI_LAB_NO_ATTN_WHY);
    int n1 = center_lines(c, false, 0, 0, tw, big, 0, TEXT_BOLD, c->th.dim, what);
    int n2 = center_lines(c, false, 0, 0, tw, small, 0, 0, c->th.dim, why);
    float cy = y + h / 2 - ((float)n1 * big * 1.3f + 0.3f * big + (float)n2 * small * 1.3f) / 2;
    center_lines(c, true, x + w / 2, cy, tw, big, big * 1.3f, TEXT_BOLD, c->th.dim, what);
    dl_tag(dl, LAB_TAG_NO_MATRIX, i, 0);
    center_lines(c, true, x + w / 2, cy + (float)n1 * big * 1.3f + 0.3f * big, tw, small, small * 1.3f, 0, c->th.dim, why);
}

/* A column's held-out measures, the way-th way (0: "held-out: exact ·
 * token" on one line; 1: without "held-out:"; 2: those two halves on two
 * lines) into l1 and l2 (l2 "" on one line). */
static void measure_text(const Ctx *c, const VizLabRun *r, int way, char *l1, char *l2, size_t cap) {
    char a[32], b[32], line[160];
    pct(a, sizeof a, r->exact);
    pct(b, sizeof b, r->token);
    if (isnan(r->exact)) snprintf(line, sizeof line, "%s", str(c, UI_LAB_NOT_MEASURED));
    else snprintf(line, sizeof line, str(c, way ? UI_LAB_MEASURE_SHORT : UI_LAB_MEASURE), a, b);
    const char *cut = strstr(line, " · ");   /* two lines: at the " · ", else after the ":" */
    int skip = 3;
    if (!cut && (cut = strstr(line, ": "))) cut++, skip = 1;
    if (way < 2 || !cut) {
        snprintf(l1, cap, "%s", line), l2[0] = 0;
        return;
    }
    snprintf(l1, cap, "%.*s", (int)(cut - line), line);
    snprintf(l2, cap, "%s", cut + skip);
}

/* The first way (measure_text) in which every column's measures fit w. */
static int measure_way(const Ctx *c, int n, float w) {
    DrawList *dl = c->dl;
    float px = fmaxf(F_MIN * c->u, c->L.fmin);
    int way = 0;
    for (int i = 0; i < n; i++)
        for (char l1[160], l2[160];; way++) {
            measure_text(c, &c->lab->runs[i], way, l1, l2, sizeof l1);
            if (way == 2 || (dl_text_width(dl, l1, px, 0) <= w && dl_text_width(dl, l2, px, 0) <= w)) break;
        }
    return way;
}

static void matrix(const Ctx *c, const VizLabRun *r, int i, float x, float y, float w, float h) {
    if (!r->w || r->S < 1 || r->T < 1) {
        no_matrix(c, i, x, y, w, h);
        return;
    }
    float cell = fminf(w / (float)r->S, h / (float)r->T);
    if (cell > 28 * c->u) cell = 28 * c->u;
    float mw = cell * (float)r->S, mh = cell * (float)r->T;
    float x0 = x + (w - mw) / 2, y0 = y + (h - mh) / 2, gap = cell > 6 ? 1 : 0;
    for (int t = 0; t < r->T; t++)
        for (int s = 0; s < r->S; s++) {
            float v = r->w[(size_t)t * r->S + s];
            dl_rect(c->dl, x0 + (float)s * cell, y0 + (float)t * cell, cell - gap, cell - gap, vir_col(v));
            dl_tag(c->dl, LAB_TAG_CELL, i, t * r->S + s);
            dl_value(c->dl, v);
        }
}

static void column(const Ctx *c, const VizLabRun *r, int i, float x, float y, float w, float h) {
    DrawList *dl = c->dl;
    float u = c->u, sq = 16 * u;
    Color col = viz_lab_color(i, c->lab->dark);
    dl_rect(dl, x, y + 4 * u, sq, sq, col);
    viz_text_center(dl, &c->L, x + sq + 8 * u + (w - sq - 8 * u) / 2, y, w - sq - 8 * u, F_HEAD * u, TEXT_BOLD,
                    col, r->label);
    dl_tag(dl, LAB_TAG_HEAD, i, 0);
    char l1[160], l2[160];
    float px = fmaxf(F_MIN * u, c->L.fmin), two = c->mway == 2 ? px * 1.25f : 0;
    measure_text(c, r, c->mway, l1, l2, sizeof l1);
    viz_text_center(dl, &c->L, x + w / 2, y + 32 * u, w, px, 0, c->th.text, l1);
    dl_tag(dl, LAB_TAG_MEASURE, i, 0);
    if (l2[0]) viz_text_center(dl, &c->L, x + w / 2, y + 32 * u + two, w, px, 0, c->th.text, l2);
    float my = y + 62 * u + two, mh = h - 62 * u - 34 * u - two;
    matrix(c, r, i, x, my, w, mh);
    output_line(c, r, i, x, y + h - 26 * u, w);
}

/* ---- the charts ------------------------------------------------------------------------- */

static float nice_max(float v) {
    if (!(v > 0)) return 1;
    float p = powf(10, floorf(log10f(v)));
    float m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5f ? 2.5f : m <= 5 ? 5 : 10) * p;
}

static void tick_label(char *buf, size_t cap, float v, bool percent) {
    if (percent) snprintf(buf, cap, "%.0f%%", 100.0 * (double)v);
    else snprintf(buf, cap, "%g", (double)v);
}

/* One chart: which 0 = loss, 1 = held-out token accuracy. */
static void chart(const Ctx *c, int which, float x, float y, float w, float h) {
    DrawList *dl = c->dl;
    const VizLab *lab = c->lab;
    float u = c->u, px = F_MIN * u;
    bool percent = which == 1;
    dl_text(dl, x, y, F_LAB * u, TEXT_BOLD, c->th.text, str(c, which ? UI_LAB_TOKEN : UI_LAB_LOSS));
    float top = percent ? 1 : 0;
    for (int i = 0; i < lab->n && !percent; i++)
        for (int k = 0; k < lab->runs[i].n; k++)
            if (isfinite(lab->runs[i].loss[k])) top = fmaxf(top, lab->runs[i].loss[k]);
    top = percent ? 1 : nice_max(top);
    char lab_top[32], lab_mid[32];
    tick_label(lab_top, sizeof lab_top, top, percent);
    tick_label(lab_mid, sizeof lab_mid, top / 2, percent);
    float lw = fmaxf(dl_text_width(dl, lab_top, px, 0), dl_text_width(dl, lab_mid, px, 0)) + 8 * u;
    float px0 = x + lw, py0 = y + 32 * u, pw = w - lw - 8 * u, ph = h - 32 * u - 28 * u;
    dl_rect(dl, px0, py0, pw, ph, c->th.prose_panel);
    dl_tag(dl, LAB_TAG_CHART, which, 0);
    for (int k = 0; k <= 2; k++) {   /* the levels 0, top/2, top */
        float v = top * (float)k / 2, ly = py0 + ph - ph * (float)k / 2;
        dl_rect(dl, px0, ly, pw, 1, c->th.faint);
        char t[32];
        tick_label(t, sizeof t, v, percent);
        viz_text_right(dl, px0 - 6 * u, ly - px * 0.6f, px, 0, c->th.prose_dim, t);
        dl_tag(dl, LAB_TAG_TICK, which, k);
        dl_value(dl, v);
    }
    float plan = (float)(lab->plan > 0 ? lab->plan : lab->step > 0 ? lab->step : 1);
    char n1[24], t1[48];
    snprintf(t1, sizeof t1, "%s %s", count(n1, sizeof n1, (long)plan), str(c, UI_LAB_STEPS));
    dl_text(dl, px0, py0 + ph + 4 * u, px, 0, c->th.prose_dim, "0");
    viz_text_right(dl, px0 + pw, py0 + ph + 4 * u, px, 0, c->th.prose_dim, t1);
    for (int i = 0; i < lab->n; i++) {
        const VizLabRun *r = &lab->runs[i];
        int n = percent ? r->n_held : r->n;
        const float *xs = percent ? r->held_step : r->step, *ys = percent ? r->held_token : r->loss;
        Color col = viz_lab_color(i, lab->dark);
        for (int k = 1; k < n; k++) {
            if (!isfinite(ys[k - 1]) || !isfinite(ys[k])) continue;
            float xa = px0 + pw * fminf(xs[k - 1] / plan, 1), xb = px0 + pw * fminf(xs[k] / plan, 1);
            float ya = py0 + ph - ph * fminf(ys[k - 1] / top, 1), yb = py0 + ph - ph * fminf(ys[k] / top, 1);
            dl_line(dl, xa, ya, xb, yb, 3 * u, col);
            dl_tag(dl, LAB_TAG_CURVE, which, i);
        }
    }
}

/* The legend: a line sample and the label of each configuration, in a row. */
static void legend(const Ctx *c, float x, float y, float w) {
    DrawList *dl = c->dl;
    float u = c->u, px = F_LAB * u, total = 0;
    for (int i = 0; i < c->lab->n; i++) total += 36 * u + dl_text_width(dl, c->lab->runs[i].label, px, 0) + 24 * u;
    if (total > w) px = fmaxf(F_MIN * u, px * w / total);
    float cx = x;
    for (int i = 0; i < c->lab->n; i++) {
        Color col = viz_lab_color(i, c->lab->dark);
        dl_rect(dl, cx, y + px * 0.55f, 28 * u, 4 * u, col);
        DlCmd *t = dl_text(dl, cx + 36 * u, y, px, 0, c->th.text, c->lab->runs[i].label);
        dl_tag(dl, LAB_TAG_LEGEND, i, 0);
        cx += 36 * u + (t ? t->w : 0) + 24 * u;
    }
}

/* The title on the left; the status (live), the step on the right. */
static void title_line(Ctx *c, float W) {
    DrawList *dl = c->dl;
    const VizLab *lab = c->lab;
    float u = c->u, pad = c->pad;
    char title[240], a[24], b[24], step[80];
    snprintf(title, sizeof title, str(c, UI_LAB_TITLE), lab->what ? lab->what : "");
    snprintf(step, sizeof step, str(c, UI_LAB_STEP), count(a, sizeof a, lab->step), count(b, sizeof b, lab->plan));
    float sw = lab->plan > 0 ? dl_text_width(dl, step, F_HEAD * u, 0) : 0;   /* no plan yet: no step */
    if (lab->plan > 0) viz_text_right(dl, W - pad, 16 * u, F_HEAD * u, 0, c->th.dim, step);
    if (lab->status) {   /* a dot and the state, then the measured rate under the step */
        Color col = lab->status_on ? c->th.good : c->th.dim;
        float stw = dl_text_width(dl, lab->status, F_LAB * u, TEXT_BOLD), dot = 12 * u;
        float sx = W - pad - sw - 24 * u - stw;
        dl_rect(dl, sx - dot - 8 * u, 16 * u + F_HEAD * u * 0.5f - dot / 2, dot, dot, col);
        dl_text(dl, sx, 18 * u, F_LAB * u, TEXT_BOLD, col, lab->status);
        dl_tag(dl, LAB_TAG_STATUS, lab->status_on, 0);
        sw += stw + dot + 40 * u;
    }
    float tw = W - 2 * pad - sw - 24 * u, tp = viz_fit(dl, title, tw, F_TITLE * u, F_MIN * u, TEXT_BOLD);
    if (tp > 0) dl_text(dl, pad, 12 * u, tp, TEXT_BOLD, c->th.accent, title);
    else viz_text_center(dl, &c->L, pad + tw / 2, 12 * u, tw, F_MIN * u, TEXT_BOLD, c->th.accent, title);
}

/* The keys at the bottom (live), with the measured rate at the right: its height. */
static float keys_line(Ctx *c, float W, float H) {
    const VizLab *lab = c->lab;
    if (!lab->keys) return 0;
    DrawList *dl = c->dl;
    float u = c->u, pad = c->pad, px = F_MIN * u, y = H - pad - px * 1.2f;
    float rw = lab->rate ? dl_text_width(dl, lab->rate, px, 0) + 24 * u : 0;
    if (lab->rate) viz_text_right(dl, W - pad, y, px, 0, c->th.dim, lab->rate);
    float kp = viz_fit(dl, lab->keys, W - 2 * pad - rw, px, px, 0);
    if (kp > 0) dl_text(dl, pad, y, kp, 0, c->th.dim, lab->keys);
    else viz_text_center(dl, &c->L, pad + (W - 2 * pad - rw) / 2, y, W - 2 * pad - rw, px, 0, c->th.dim, lab->keys);
    dl_tag(dl, LAB_TAG_KEYS, 0, 0);
    return px * 1.2f + 10 * u;
}

void viz_lab_build(DrawList *dl, const VizLab *lab, float W, float H) {
    Ctx c = {.dl = dl, .lab = lab, .th = viz_theme(lab->dark), .u = fminf(W / 1280, H / 720), .W = W, .H = H};
    if (lab->text_min > F_MIN * c.u) c.u = lab->text_min / F_MIN;   /* a narrow area of a larger window */
    float u = c.u, pad = c.pad = 20 * u;
    c.L.fmin = fmaxf(F_MIN * u, viz_text_min(W, H, 1));
    int n = lab->n < 1 ? 0 : lab->n > VIZ_LAB_MAX ? VIZ_LAB_MAX : lab->n;
    title_line(&c, W);
    float keys_h = keys_line(&c, W, H);
    /* the columns: y 60 .. 420 at 1280×720 (less room when the keys line is there) */
    float gap = 24 * u, cy = 60 * u, ch = (360 - (keys_h > 0 ? 20 : 0)) * u;
    float cw = n ? (W - 2 * pad - gap * (float)(n - 1)) / (float)n : 0;
    c.mway = measure_way(&c, n, cw);
    for (int i = 0; i < n; i++) column(&c, &lab->runs[i], i, pad + (float)i * (cw + gap), cy, cw, ch);
    if (!n && lab->note) {   /* nothing to compare yet: only why */
        viz_text_center(dl, &c.L, W / 2, cy + ch / 2 - F_HEAD * u, W - 2 * pad, F_HEAD * u, 0, c.th.dim, lab->note);
        return;
    }
    /* the legend and the two charts under it */
    float ly = cy + ch + 16 * u;
    dl_rect(dl, pad, ly - 8 * u, W - 2 * pad, 1, c.th.faint);
    legend(&c, pad, ly, W - 2 * pad);
    float gy = ly + 36 * u, gh = H - gy - pad - keys_h, gw = (W - 2 * pad - gap) / 2;
    chart(&c, 0, pad, gy, gw, gh);
    chart(&c, 1, pad + gw + gap, gy, gw, gh);
}
