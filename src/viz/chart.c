/* chart.c — exact match by input length, from measured data (chart.h).
 *
 * Parsing is strict because the chart is evidence in a class: a value that
 * is not a fraction (someone typed 87 for 87%), a row with a missing cell or
 * a duplicated model is an error with its line, never a guess. Layout is a
 * pure function of the data and the rectangle; the printed values come from
 * the same floats as the points, and each point carries a tag so tests can
 * map its y back to the data.
 */
#include "chart.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/utf8.h"
#include "narration.h"   /* lv_fit */
#include "theme.h"
#include "ui_strings.h"

/* ---- parsing ------------------------------------------------------------------------ */

void chart_free(Chart *c) {
    for (int i = 0; i < c->n_models; i++) free(c->models[i]);
    for (int i = 0; i < c->n_buckets; i++) free(c->buckets[i]);
    memset(c, 0, sizeof *c);
}

/* Length of the prefix of s[0..n) that is valid UTF-8 without a NUL. */
static size_t utf8_valid(const char *s, size_t n) {
    long bad = utf8_invalid_at(s, n);
    const char *nul = memchr(s, 0, n);
    size_t end = bad >= 0 ? (size_t)bad : n;
    return nul && (size_t)(nul - s) < end ? (size_t)(nul - s) : end;
}

/* s quoted for a message: at most ~40 bytes, cut on a character boundary. */
static const char *shown(const char *s, char *buf, size_t cap) {
    size_t n = strlen(s);
    if (n < cap && n <= 40) { memcpy(buf, s, n + 1); return buf; }
    size_t k = 40 < cap - 4 ? 40 : cap - 4;
    k = utf8_floor(s, k);
    memcpy(buf, s, k);
    memcpy(buf + k, "...", 4);
    return buf;
}

static int fail(Chart *c, char *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(Chart *c, char *err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, AV_ERR_LEN, fmt, ap);
    va_end(ap);
    av_escape_msg(err, AV_ERR_LEN);           /* cells from the file: no control bytes */
    chart_free(c);
    return -1;
}

static char *dup_n(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) { memcpy(p, s, n); p[n] = '\0'; }
    return p;
}

enum { MAX_CELLS = CHART_MAX_MODELS + 2 };

/* Split a line (NUL-terminated, modified in place) at tabs. */
static int split_tabs(char *line, char **cell, int cap) {
    int n = 0;
    for (char *p = line;;) {
        char *t = strchr(p, '\t');
        if (n < cap) cell[n] = p;
        n++;
        if (!t) break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

static char *trim(char *s) {
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') s[--n] = '\0';
    return s;
}

int chart_parse_tsv(const char *name, const char *text, size_t len, Chart *c, char *err) {
    memset(c, 0, sizeof *c);
    char q[64], q2[64];
    if (len > CHART_MAX_BYTES)
        return fail(c, err, "%s: too big (%zu bytes, at most %d)", name, len, CHART_MAX_BYTES);
    char *line = malloc(len + 1);
    if (!line) return fail(c, err, "%s: out of memory", name);
    bool header = false;
    int ln = 0, rc = 0;
    size_t pos = 0;
    while (pos < len && rc == 0) {
        ln++;
        const char *e = memchr(text + pos, '\n', len - pos);
        size_t n = e ? (size_t)(e - (text + pos)) : len - pos;
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos += n + 1;
        if (n && line[n - 1] == '\r') line[--n] = '\0';
        if (utf8_valid(line, n) != n) {
            rc = fail(c, err, "%s:%d: not valid UTF-8 (or a NUL byte) at byte %zu of the line", name, ln,
                      utf8_valid(line, n) + 1);
            break;
        }
        if (line[0] == '#' || trim(line)[0] == '\0') continue;
        char *cell[MAX_CELLS];
        int nc = split_tabs(line, cell, MAX_CELLS);
        if (!header) {
            if (nc > CHART_MAX_MODELS + 1) {
                rc = fail(c, err, "%s:%d: %d models in the header, at most %d", name, ln, nc - 1, CHART_MAX_MODELS);
                break;
            }
            if (strcmp(trim(cell[0]), "length") != 0) {
                rc = fail(c, err, "%s:%d: the header must start with 'length' and a tab, not '%s'", name, ln,
                          shown(cell[0], q, sizeof q));
                break;
            }
            if (nc < 2) { rc = fail(c, err, "%s:%d: the header names no model (length<TAB>model...)", name, ln); break; }
            for (int i = 1; i < nc && rc == 0; i++) {
                char *m = trim(cell[i]);
                if (!m[0]) { rc = fail(c, err, "%s:%d: header column %d has no model name", name, ln, i + 1); break; }
                if (strlen(m) > 63) { rc = fail(c, err, "%s:%d: model name too long: '%s'", name, ln, shown(m, q, sizeof q)); break; }
                for (int j = 0; j < c->n_models; j++)
                    if (strcmp(c->models[j], m) == 0) {
                        rc = fail(c, err, "%s:%d: model '%s' appears twice in the header", name, ln, shown(m, q, sizeof q));
                        break;
                    }
                if (rc) break;
                if (!(c->models[c->n_models] = dup_n(m, strlen(m)))) { rc = fail(c, err, "%s: out of memory", name); break; }
                c->n_models++;
            }
            header = true;
            continue;
        }
        if (nc != c->n_models + 1) {
            rc = fail(c, err, "%s:%d: %d tab-separated cells, expected %d (the length and %d model%s)", name, ln, nc,
                      c->n_models + 1, c->n_models, c->n_models == 1 ? "" : "s");
            break;
        }
        if (c->n_buckets == CHART_MAX_BUCKETS) {
            rc = fail(c, err, "%s:%d: more than %d length rows", name, ln, CHART_MAX_BUCKETS);
            break;
        }
        char *label = trim(cell[0]);
        if (!label[0]) { rc = fail(c, err, "%s:%d: a row without a length label", name, ln); break; }
        if (strlen(label) > 31) { rc = fail(c, err, "%s:%d: length label too long: '%s'", name, ln, shown(label, q, sizeof q)); break; }
        int b = c->n_buckets;
        for (int m = 0; m < c->n_models; m++) {
            char *v = trim(cell[m + 1]);
            if (!v[0]) { c->v[b][m] = NAN; continue; }
            char *end;
            errno = 0;
            double x = strtod(v, &end);
            if (*end || end == v || errno || !isfinite(x) || x < 0 || x > 1) {
                rc = fail(c, err, "%s:%d: %s, %s: '%s' is not a fraction from 0 to 1 (exact match 87%% is 0.87)", name,
                          ln, shown(label, q2, sizeof q2), c->models[m], shown(v, q, sizeof q));
                break;
            }
            c->v[b][m] = (float)x;
        }
        if (rc) break;
        if (!(c->buckets[b] = dup_n(label, strlen(label)))) { rc = fail(c, err, "%s: out of memory", name); break; }
        c->n_buckets++;
    }
    free(line);
    if (rc) return rc;
    if (!header) return fail(c, err, "%s:1: empty: expected a header 'length<TAB>model<TAB>...'", name);
    if (c->n_buckets == 0) return fail(c, err, "%s:%d: no data rows after the header", name, ln);
    return 0;
}

int chart_load_tsv(const char *path, Chart *c, char *err) {
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, AV_ERR_LEN, "%s: cannot open: %s", path, strerror(errno)); return -1; }
    char *buf = malloc((size_t)CHART_MAX_BYTES + 1);
    if (!buf) { fclose(f); snprintf(err, AV_ERR_LEN, "%s: out of memory", path); return -1; }
    size_t n = fread(buf, 1, (size_t)CHART_MAX_BYTES + 1, f);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad) { free(buf); snprintf(err, AV_ERR_LEN, "%s: read error", path); return -1; }
    int rc = chart_parse_tsv(path, buf, n, c, err);
    free(buf);
    return rc;
}

bool chart_model_is_none(const char *name) {
    /* "<task>-none" or "<task>-none-<variant>" */
    for (const char *p = strstr(name, "-none"); p; p = strstr(p + 1, "-none"))
        if (p[5] == '\0' || p[5] == '-') return true;
    return false;
}

/* ---- drawing ------------------------------------------------------------------------ */

/* Okabe & Ito (2008), "Color Universal Design": distinguishable with the
 * common colour-vision deficiencies. Warm for no attention, cool for attention
 * (and the dash / solid difference does not rely on colour at all). */
static const Color OI_ATTN[] = {{0, 114, 178, 255}, {0, 158, 115, 255}, {86, 180, 233, 255}, {230, 159, 0, 255}};
static const Color OI_NONE[] = {{213, 94, 0, 255}, {204, 121, 167, 255}};

static Color mixc(Color a, Color b, float t) {
    return (Color){(uint8_t)lroundf(a.r + (b.r - a.r) * t), (uint8_t)lroundf(a.g + (b.g - a.g) * t),
                   (uint8_t)lroundf(a.b + (b.b - a.b) * t), 255};
}

static void series_colors(const Chart *c, bool dark, Color *col) {
    int na = 0, nn = 0;
    Color grey = dark ? (Color){200, 200, 200, 255} : (Color){60, 60, 60, 255};
    for (int m = 0; m < c->n_models; m++) {
        if (chart_model_is_none(c->models[m])) col[m] = nn < 2 ? OI_NONE[nn] : grey, nn++;
        else col[m] = na < 4 ? OI_ATTN[na] : grey, na++;
    }
}

static void marker(DrawList *dl, float x, float y, float r, bool none, Color c, Color bg, int tag, int m, int b) {
    if (none) {
        dl_rect(dl, x - r, y - r, 2 * r, 2 * r, c);
        float t = fmaxf(1.5f, r * 0.4f);
        dl_rect(dl, x - r + t, y - r + t, 2 * (r - t), 2 * (r - t), bg);
    } else {
        enum { K = 12 };
        for (int i = 0; i < K; i++) {
            float a0 = 6.2831853f * (float)i / K, a1 = 6.2831853f * (float)(i + 1) / K;
            dl_tri(dl, x, y, x + r * cosf(a0), y + r * sinf(a0), x + r * cosf(a1), y + r * sinf(a1), c);
        }
    }
    dl_rect(dl, x - 1, y - 1, 2, 2, none ? bg : c);
    dl_tag(dl, tag, m, b);
}

static void dashed(DrawList *dl, float x0, float y0, float x1, float y1, float w, float dash, float gap, Color c) {
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f) return;
    for (float t = 0; t < len; t += dash + gap) {
        float e = fminf(t + dash, len);
        dl_line(dl, x0 + dx * t / len, y0 + dy * t / len, x0 + dx * e / len, y0 + dy * e / len, w, c);
    }
}

/* One legend entry: a short line with its marker, then the name. */
static float legend_entry(DrawList *dl, float x, float y, float lh, float fp, bool none, Color col, Color bg,
                          const char *name, Color tc, int m, bool draw) {
    float sample = fp * 2.2f, nw = dl_text_width(dl, name, fp, 0);
    if (draw) {
        float cy = y + lh * 0.5f, lw = fmaxf(2, fp * 0.16f);
        if (none) dashed(dl, x, cy, x + sample, cy, lw, fp * 0.5f, fp * 0.3f, col);
        else dl_line(dl, x, cy, x + sample, cy, lw, col);
        marker(dl, x + sample * 0.5f, cy, fp * 0.3f, none, col, bg, 0, m, 0);
        dl_text(dl, x + sample + fp * 0.4f, y, fp, 0, tc, name);
        dl_tag(dl, LV_TAG_CHART_LEGEND, m, 0);
    }
    return sample + fp * 0.4f + nw;
}

/* "87%". A value below 1 never reads as 100 and one above 0 never as 0:
 * 0.9996 once printed "100.0%", right under the "100%" of an exact 1 in the
 * same column, two labels for what read as one number. Near the ends one
 * decimal; below 100 by less than 0.05 points "99.9%" (rounded down, so it
 * stays below 100), above 0 by less than 0.05 points "<0.1%". */
static void pct_label(float v, char *buf, size_t cap) {
    double p = (double)v * 100.0;
    if (v < 1 && p >= 99.95) snprintf(buf, cap, "99.9%%");
    else if (v > 0 && p < 0.05) snprintf(buf, cap, "<0.1%%");
    else if ((p >= 99.5 && v < 1) || (p < 0.5 && v > 0)) snprintf(buf, cap, "%.1f%%", p);
    else snprintf(buf, cap, "%.0f%%", p);
}

/* The chart being drawn: its data, colours and the plot's geometry. */
typedef struct {
    DrawList *dl;
    const Chart *c;
    Theme th;
    bool dark;
    const char *lang;
    Color col[CHART_MAX_MODELS];
    float fp, lh, cx, cw, cy;        /* font size, line height, content column, pen */
    float vpx, vlh, val_w, r;        /* value labels: size, line height, widest; marker radius */
    float px0, px1, py0, py1, E;     /* the plot; E: the chart's right edge */
    float step;                      /* one bucket's width */
    float min_px;                    /* no text under this (0: none)   */
} Plot;

/* legend: "without attention" models on one row, "with attention" on the
 * next, each wrapping when the row is full */
static void chart_legend(Plot *P) {
    const Chart *c = P->c;
    DrawList *dl = P->dl;
    float fp = P->fp, lh = P->lh, cx = P->cx, cw = P->cw;
    for (int group = 0; group < 2; group++) {
        bool none = group == 0;
        bool any = false;
        for (int m = 0; m < c->n_models; m++) any |= chart_model_is_none(c->models[m]) == none;
        if (!any) continue;
        const char *gl = ui_str(P->lang, none ? UI_CHART_NONE : UI_CHART_ATTENTION);
        float gw = dl_text_width(dl, gl, fp, TEXT_BOLD) + fp;
        dl_text(dl, cx, P->cy, fp, TEXT_BOLD, P->th.prose_dim, gl);
        float lx = cx + gw;
        for (int m = 0; m < c->n_models; m++) {
            if (chart_model_is_none(c->models[m]) != none) continue;
            float ew = legend_entry(dl, 0, 0, lh, fp, none, P->col[m], P->th.prose_panel, c->models[m], P->th.text, m, false);
            if (lx + ew > cx + cw && lx > cx + gw) { lx = cx + gw; P->cy += lh * 1.15f; }
            legend_entry(dl, lx, P->cy, lh, fp, none, P->col[m], P->th.prose_panel, c->models[m], P->th.text, m, true);
            lx += ew + fp * 1.2f;
        }
        P->cy += lh * 1.25f;
    }
}

/* The axes: gridlines and ticks every 20% up the y axis, one column per
 * bucket along x (labels thinned when they would touch), the axis names. */
static void chart_axes(Plot *P) {
    DrawList *dl = P->dl;
    const Theme *th = &P->th;
    float fp = P->fp, lh = P->lh, px0 = P->px0, px1 = P->px1, py0 = P->py0, py1 = P->py1;
    char buf[32];
    for (int pct = 0; pct <= 100; pct += 20) {
        float gy = py1 - (py1 - py0) * (float)pct / 100.0f;
        dl_line(dl, px0, gy, px1, gy, pct == 0 ? 2.0f : 1.0f, pct == 0 ? th->prose_dim : th->faint);
        dl_tag(dl, LV_TAG_CHART_TICK, pct, 0);
        snprintf(buf, sizeof buf, "%d%%", pct);
        float tw = dl_text_width(dl, buf, fp, 0);
        dl_text(dl, px0 - fp * 0.4f - tw, gy - lh * 0.5f, fp, 0, th->prose_dim, buf);
        dl_tag(dl, LV_TAG_CHART_TICK_LABEL, pct, 0);
    }
    dl_line(dl, px0, py0, px0, py1, 2.0f, th->prose_dim);
    int nb = P->c->n_buckets;
    float widest = 0;
    for (int b = 0; b < nb; b++) widest = fmaxf(widest, dl_text_width(dl, P->c->buckets[b], fp, 0));
    int every = 1;
    while (every < nb && widest + fp * 0.5f > P->step * (float)every) every++;
    for (int b = 0; b < nb; b++) {
        float bx = px0 + P->step * ((float)b + 0.5f);
        dl_line(dl, bx, py1, bx, py1 + fp * 0.3f, 1.5f, th->prose_dim);
        if (b % every) continue;
        float bw = dl_text_width(dl, P->c->buckets[b], fp, 0);
        dl_text(dl, bx - bw * 0.5f, py1 + fp * 0.35f, fp, 0, th->text, P->c->buckets[b]);
        dl_tag(dl, LV_TAG_CHART_BUCKET, b, 0);
    }
    const char *xl = ui_str(P->lang, UI_CHART_X);
    float xw = dl_text_width(dl, xl, fp, 0);
    dl_text(dl, px0 + (px1 - px0 - xw) * 0.5f, py1 + fp * 0.35f + lh * 1.1f, fp, 0, th->prose_dim, xl);
}

#define PY(v) (P->py1 - (P->py1 - P->py0) * (v))

/* series: lines first, then markers */
static void chart_series(Plot *P) {
    const Chart *c = P->c;
    int nb = c->n_buckets;
    float lw = fmaxf(2, P->fp * 0.17f), step = P->step;
    for (int m = 0; m < c->n_models; m++) {
        bool none = chart_model_is_none(c->models[m]);
        for (int b = 0; b + 1 < nb; b++) {
            float v0 = c->v[b][m], v1 = c->v[b + 1][m];
            if (isnan(v0) || isnan(v1)) continue;
            float x0 = P->px0 + step * ((float)b + 0.5f), x1 = x0 + step;
            if (none) dashed(P->dl, x0, PY(v0), x1, PY(v1), lw, P->fp * 0.6f, P->fp * 0.35f, P->col[m]);
            else dl_line(P->dl, x0, PY(v0), x1, PY(v1), lw, P->col[m]);
        }
    }
    for (int m = 0; m < c->n_models; m++) {
        bool none = chart_model_is_none(c->models[m]);
        for (int b = 0; b < nb; b++)
            if (!isnan(c->v[b][m])) marker(P->dl, P->px0 + step * ((float)b + 0.5f), PY(c->v[b][m]), P->r, none, P->col[m],
                                             P->th.bg, LV_TAG_CHART_POINT, m, b);
    }
}

typedef struct { int m; float y; } Lab;

/* The value labels of bucket b: one per distinct printed value (with how
 * many models share it), sorted by y and pushed apart to not overlap. */
static int column_labels(const Plot *P, int b, Lab *lab, char txt[][16], int *shared) {
    const Chart *c = P->c;
    float vlh = P->vlh;
    int n = 0;
    for (int m = 0; m < c->n_models; m++) {
        if (isnan(c->v[b][m])) continue;
        char t[16];
        pct_label(c->v[b][m], t, sizeof t);
        int k = 0;
        while (k < n && strcmp(txt[k], t) != 0) k++;
        if (k < n) { shared[k]++; continue; }
        memcpy(txt[n], t, sizeof t);
        shared[n] = 1;
        lab[n++] = (Lab){m, PY(c->v[b][m]) - vlh * 0.5f};
    }
    /* sort labels by y, carrying their text along */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && lab[j].y < lab[j - 1].y; j--) {
            Lab tl = lab[j]; lab[j] = lab[j - 1]; lab[j - 1] = tl;
            char tt[16]; memcpy(tt, txt[j], 16); memcpy(txt[j], txt[j - 1], 16); memcpy(txt[j - 1], tt, 16);
            int ts = shared[j]; shared[j] = shared[j - 1]; shared[j - 1] = ts;
        }
    float lo = P->py0 - vlh * 0.5f, hi = P->py1 - vlh;
    for (int i = 0; i < n; i++) {
        if (lab[i].y < lo) lab[i].y = lo;
        if (i && lab[i].y < lab[i - 1].y + vlh) lab[i].y = lab[i - 1].y + vlh;
    }
    for (int i = n - 1; i >= 0; i--) {
        if (lab[i].y > hi) lab[i].y = hi;
        if (i + 1 < n && lab[i].y > lab[i + 1].y - vlh) lab[i].y = lab[i + 1].y - vlh;
    }
    return n;
}

/* values: right of each point, stacked without overlap inside the plot.
 * Models with the same printed value in a column share one label, in the
 * text colour (at 100% four attention models would otherwise stack four
 * identical labels). A label gets the room up to the next column's
 * marker and is drawn smaller when wider; skipped only when that would
 * shrink "100%" below 70% of its size. */
static void chart_values(Plot *P) {
    const Chart *c = P->c;
    DrawList *dl = P->dl;
    const Theme *th = &P->th;
    int nb = c->n_buckets;
    float fp = P->fp, vpx = P->vpx, vlh = P->vlh, r = P->r;
    float room_w = P->step - 2 * r - fp * 0.3f;
    bool room = room_w >= P->val_w * 0.7f;
    for (int b = 0; room && b < nb; b++) {
        Lab lab[CHART_MAX_MODELS];
        char txt[CHART_MAX_MODELS][16];
        int shared[CHART_MAX_MODELS];
        int n = column_labels(P, b, lab, txt, shared);
        /* the last column has the room up to the chart's edge */
        float bx = P->px0 + P->step * ((float)b + 0.5f) + r + fp * 0.2f;
        float avail = b + 1 < nb ? room_w : fmaxf(room_w, P->E - bx);
        for (int i = 0; i < n; i++) {
            int m = lab[i].m;
            float lp = vpx, tw = dl_text_width(dl, txt[i], lp, TEXT_BOLD);
            while (tw > avail && lp > vpx * 0.5f && lp - 0.5f >= P->min_px) {   /* fonts come in whole pixels: step down */
                lp -= 0.5f;
                tw = dl_text_width(dl, txt[i], lp, TEXT_BOLD);
            }
            if (tw > avail && b + 1 < nb) continue;   /* no room at a readable size: left out (its marker shows it) */
            float ly = lab[i].y + (vlh - dl_text_height(dl, lp)) * 0.5f;
            dl_rect(dl, bx - 1, lab[i].y + vlh * 0.1f, tw + 2, vlh * 0.8f, (Color){th->bg.r, th->bg.g, th->bg.b, 210});
            Color tc = P->dark ? mixc(P->col[m], (Color){255, 255, 255, 255}, 0.3f) : mixc(P->col[m], (Color){0, 0, 0, 255}, 0.3f);
            dl_text(dl, bx, ly, lp, TEXT_BOLD, shared[i] > 1 ? th->text : tc, txt[i]);
            dl_tag(dl, LV_TAG_CHART_VALUE, m, b);
        }
    }
}

#undef PY

void chart_build(DrawList *dl, const Chart *c, float x, float y, float w, float h, bool dark, float min_px) {
    Plot P = {.dl = dl, .c = c, .th = viz_theme(dark), .dark = dark, .lang = c ? c->lang : "en", .min_px = min_px};
    dl_rect(dl, x, y, w, h, P.th.prose_panel);
    if (w < 80 || h < 80) return;
    float fp = fminf(w / 48, h / 26), lo = fmaxf(11, min_px / 0.82f);   /* the value labels (0.82 fp) stay readable */
    fp = fp < lo ? lo : fp > fmaxf(22, lo) ? fmaxf(22, lo) : fp;
    float pad = fp * 0.9f, lh = dl_text_height(dl, fp);
    P.fp = fp; P.lh = lh;
    P.cx = x + pad; P.cw = w - 2 * pad; P.cy = y + pad;

    /* title */
    char buf[256];
    float tpx = fp * 1.2f;
    lv_fit(dl, ui_str(P.lang, UI_CHART_TITLE), tpx, TEXT_BOLD, P.cw, buf, sizeof buf);
    dl_text(dl, P.cx, P.cy, tpx, TEXT_BOLD, P.th.text, buf);
    dl_tag(dl, LV_TAG_CHART_TITLE, 0, 0);
    P.cy += dl_text_height(dl, tpx) * 1.3f;
    if (!c || c->n_models == 0 || c->n_buckets == 0) return;
    series_colors(c, dark, P.col);
    chart_legend(&P);

    /* plot area: tick labels on the left, room for the last values on the right */
    P.vpx = fp * 0.82f; P.vlh = dl_text_height(dl, P.vpx);
    float tick_w = dl_text_width(dl, "100%", fp, 0);
    P.val_w = dl_text_width(dl, "100%", P.vpx, TEXT_BOLD);
    P.r = fp * 0.3f;
    dl_text(dl, P.cx, P.cy, fp, 0, P.th.prose_dim, ui_str(P.lang, UI_CHART_Y));
    P.cy += lh + P.vlh * 0.6f;
    /* the last column's values must fit: px1 - step/2 + a <= E, step = (px1 - px0)/nb */
    P.px0 = P.cx + tick_w + fp * 0.6f;
    P.E = P.cx + P.cw;
    float a = P.r + fp * 0.3f + P.val_w, k = 0.5f / (float)c->n_buckets;
    P.px1 = fminf(P.E, (P.E - a - P.px0 * k) / (1 - k));
    P.py0 = P.cy; P.py1 = y + h - pad - lh * 2.3f;
    if (P.py1 - P.py0 < lh * 3 || P.px1 - P.px0 < fp * 4) return;
    dl_rect(dl, P.px0, P.py0, P.px1 - P.px0, P.py1 - P.py0, P.th.bg);
    dl_tag(dl, LV_TAG_CHART_PLOT, 0, 0);
    P.step = (P.px1 - P.px0) / (float)c->n_buckets;
    chart_axes(&P);
    chart_series(&P);
    chart_values(&P);
}
