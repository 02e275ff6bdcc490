/* train_view.c — the training screen (train_view.h): the layout, the header (what is trained, its state, its step), the measures beside the matrix, the keys line, and the overlays shared with the decoding view.
 *
 * The editor, the key help and the status line are the decoding view's own
 * panels (panel_overlays.c), drawn from a VizState that holds only what
 * they read, on the view's layout for this window, so typing a probe looks
 * like typing an input.
 */
#include "train_panel.h"

#include <stdio.h>
#include <string.h>

/* ---- the header ---- */

static void state_text(const TvCtx *c, const VizTrain *t, bool speed, char *b, size_t cap, Color *col) {
    char sp[32];
    if (t->speed > 0) snprintf(sp, sizeof sp, tv_str(c, UI_TV_SPEED), t->speed);
    else snprintf(sp, sizeof sp, "%s", tv_str(c, UI_TV_FULL));
    switch (t->state) {
    case VIZ_RUN_TRAINING: snprintf(b, cap, tv_str(c, speed ? UI_TV_TRAINING : UI_TV_TRAINING_BARE), sp); *col = c->th.good; break;
    case VIZ_RUN_PAUSED: snprintf(b, cap, tv_str(c, speed ? UI_TV_PAUSED : UI_TV_PAUSED_BARE), sp); *col = c->th.dim; break;
    case VIZ_RUN_DONE: snprintf(b, cap, "%s", tv_str(c, UI_TV_DONE)); *col = c->th.accent; break;
    case VIZ_RUN_FAILED: snprintf(b, cap, "%s", tv_str(c, UI_TV_FAILED)); *col = c->th.warn; break;
    }
}

/* The title's k-th way of saying less, into b: "Training  ·  " and the
 * first `keep` of what's "  ·  "-separated segments (the data, the
 * configuration, the pairs, the seed); returns false past the last way.
 * The ways: every segment, then the last ones dropped down to data and
 * configuration, then (speed false) the state without its speed, then
 * (small) the type down to the floor, then without "Training". */
static bool title_way(const TvCtx *c, const char *what, int k, char *b, size_t cap, bool *speed, bool *small) {
    int n = 1;
    for (const char *p = what; (p = strstr(p, "  ·  ")); p += 5) n++;
    int lo = n < 2 ? n : 2, with_speed = n - lo + 1;   /* the ways with the speed: keep n .. lo */
    if (k >= with_speed + 3) return false;
    *speed = k < with_speed, *small = k > with_speed;
    int keep = k < with_speed ? n - k : lo;
    const char *end = what;
    for (int i = 0; i < keep && end; i++) end = strstr(end + (i ? 5 : 0), "  ·  ");
    int len = end ? (int)(end - what) : (int)strlen(what);
    if (k == with_speed + 2) snprintf(b, cap, "%.*s", len, what);
    else snprintf(b, cap, "%s  ·  %.*s", tv_str(c, UI_TV_TITLE), len, what);
    if (*small)   /* "  ·  " as " · " */
        for (char *p; (p = strstr(b, "  ·  "));) memmove(p + 1, p + 2, strlen(p + 2) + 1), memmove(p + 4, p + 5, strlen(p + 5) + 1);
    return true;
}

/* The probe and its reference at y, the measured rate at the right; what
 * does not fit goes: the rate, then a reference equal to the probe (copy)
 * says so instead of repeating it; only then is the line cut with "…".
 * Returns where the body starts. */
static float probe_line(DrawList *dl, const TvCtx *c, const VizTrain *t, float W, float pad, float y) {
    float u = c->u, lp = 0, rw = 0;
    char line[2400], rate[64] = "";
    if (t->state == VIZ_RUN_TRAINING && t->rate > 0 && !t->present)
        snprintf(rate, sizeof rate, tv_str(c, UI_TV_RATE), (double)t->rate);
    const char *probe = t->probe_text ? t->probe_text : "", *ref = t->reference_text;
    for (int way = 0; way < 3; way++) {
        if (way == 1) rate[0] = 0;
        if (way == 2 && !(ref && strcmp(ref, probe) == 0)) break;
        int n = snprintf(line, sizeof line, tv_str(c, UI_TV_PROBE), probe);
        if (ref && ref[0] && n > 0 && (size_t)n < sizeof line)
            snprintf(line + n, sizeof line - (size_t)n, tv_str(c, way == 2 ? UI_TV_REFERENCE_SAME : UI_TV_REFERENCE), ref);
        rw = rate[0] ? dl_text_width(dl, rate, c->f_min, 0) + 20 * u : 0;
        if ((lp = viz_fit(dl, line, W - 2 * pad - rw, c->f_lab, c->f_min, 0)) > 0) break;
    }
    if (rate[0]) viz_text_right(dl, W - pad, y + 2 * u, c->f_min, 0, c->th.dim, rate);
    if (lp > 0) dl_text(dl, pad, y, lp, 0, c->th.text, line);
    else tv_center(dl, c, pad + (W - 2 * pad - rw) / 2, y, W - 2 * pad - rw, c->f_min, c->f_min, 0, c->th.text, line);
    return y + dl_text_height(dl, c->f_lab) * 1.5f;
}

/* Title and state on the first line, the probe on the second; returns
 * where the body starts. What does not fit the line goes in a planned
 * order (title_way); only then is the title cut with "…". */
static float header(DrawList *dl, const TvCtx *c, const VizTrain *t, float W, float pad) {
    float u = c->u, y = 10 * u, lh = dl_text_height(dl, c->f_big), dot = 12 * u;
    char step[64], a[32], b[32], st[96], title[400];
    snprintf(step, sizeof step, tv_str(c, UI_TV_STEP_OF), viz_count(a, sizeof a, t->step), viz_count(b, sizeof b, t->plan));
    float sw = dl_text_width(dl, step, c->f_big, TEXT_BOLD), sx = 0, room = 0, p = 0;
    bool speed = true, small = false;
    for (int k = 0; title_way(c, t->title ? t->title : "", k, title, sizeof title, &speed, &small); k++) {
        Color col;
        state_text(c, t, speed, st, sizeof st, &col);
        sx = W - pad - sw - 24 * u - dl_text_width(dl, st, c->f_lab, TEXT_BOLD);
        room = sx - dot - 24 * u - pad;
        if ((p = viz_fit(dl, title, room, c->f_big, small ? c->f_min : c->f_lab, TEXT_BOLD)) > 0) break;
    }
    viz_text_right(dl, W - pad, y, c->f_big, TEXT_BOLD, c->th.accent, step);
    Color col;
    state_text(c, t, speed, st, sizeof st, &col);
    float sy = y + (lh - dl_text_height(dl, c->f_lab)) / 2;
    dl_rect(dl, sx - dot - 8 * u, sy + dl_text_height(dl, c->f_lab) / 2 - dot / 2, dot, dot, col);
    dl_text(dl, sx, sy, c->f_lab, TEXT_BOLD, col, st);
    dl_tag(dl, TV_TAG_STATUS, (int)t->state, t->speed);
    /* the title takes what is left of the line */
    if (p > 0) dl_text(dl, pad, y, p, TEXT_BOLD, c->th.text, title);
    else tv_center(dl, c, pad + room / 2, y, room, c->f_lab, c->f_lab, TEXT_BOLD, c->th.text, title);
    return probe_line(dl, c, t, W, pad, y + lh * 1.35f);
}

/* ---- the measures beside the matrix ---- */

static float measure(DrawList *dl, const TvCtx *c, float x, float y, float w, UiStr name, const char *value,
                     const char *note, float frac, int which, float v) {
    float u = c->u;
    dl_text(dl, x, y, c->f_min, 0, c->th.dim, tv_str(c, name));
    y += dl_text_height(dl, c->f_min) * 1.05f;
    dl_text(dl, x, y, c->f_big * 1.15f, TEXT_BOLD, c->th.text, value);
    dl_tag(dl, TV_TAG_MEASURE, which, 0);
    dl_value(dl, v);
    y += dl_text_height(dl, c->f_big * 1.15f);
    if (frac >= 0) {   /* a gauge: how far from 0 to its largest value */
        dl_rect(dl, x, y, w, 8 * u, c->th.grid);
        dl_rect(dl, x, y, w * clamp01(frac), 8 * u, c->th.accent);
        y += 14 * u;
    }
    if (note) {   /* on two lines when it must (cut on the second: measures() drops the notes) */
        Layout L = {.fmin = c->f_min};
        float nl = dl_text_height(dl, c->f_min);
        int lines = viz_text_wrap(dl, &L, x, y, w, c->f_min, nl, 2, 0, c->th.dim, note);
        y += nl * ((float)lines + 0.2f);
    }
    return y + 14 * u;
}

/* The measures from y down; notes: with their notes and the colour scale. Returns where they end. */
static float measures_at(DrawList *dl, const TvCtx *c, const VizProbe *p, float x, float y, float w, bool notes) {
    char v[64], note[96];
    bool have = p->w && p->S > 0;
    float ln_s = have ? logf((float)p->S) : 0;
    if (have && isfinite(p->entropy)) snprintf(v, sizeof v, "%.2f", (double)p->entropy);
    else snprintf(v, sizeof v, "—");
    snprintf(note, sizeof note, tv_str(c, UI_TV_UNIFORM), (double)ln_s);
    y = measure(dl, c, x, y, w, UI_TV_ENTROPY, v, have && notes ? note : NULL,
                have && ln_s > 0 && isfinite(p->entropy) ? p->entropy / ln_s : -1, 0, p->entropy);
    bool acc = have && isfinite(p->accuracy);
    if (acc) snprintf(v, sizeof v, "%.0f%%", 100.0 * (double)p->accuracy);
    else snprintf(v, sizeof v, "—");
    y = measure(dl, c, x, y, w, UI_TV_ALIGN, v, notes ? tv_str(c, acc ? UI_TV_ALIGN_NOTE : UI_TV_ALIGN_UNKNOWN) : NULL,
                acc ? p->accuracy : -1, 1, p->accuracy);
    if (!notes) return y;
    /* the colour scale of the cells */
    float u = c->u, bh = 14 * u;
    dl_text(dl, x, y, c->f_min, 0, c->th.dim, tv_str(c, UI_WEIGHTS));
    y += dl_text_height(dl, c->f_min) * 1.1f;
    for (int i = 0; i < 32; i++) dl_rect(dl, x + w * (float)i / 32, y, w / 32 + 0.5f, bh, vir_col((float)i / 31));
    y += bh + 2 * u;
    dl_text(dl, x, y, c->f_min, 0, c->th.dim, "0");
    viz_text_right(dl, x + w, y, c->f_min, 0, c->th.dim, "1");
    return y + dl_text_height(dl, c->f_min);
}

/* The measures above bottom: with their notes and the scale when they fit
 * (larger type, the zoom, a narrow column: no note cut with "…"), else the
 * two numbers alone. */
static void measures(DrawList *dl, const TvCtx *c, const VizProbe *p, float x, float y, float w, float bottom) {
    int n0 = dl->n;
    size_t c0 = dl->nchars;
    bool cut = false;
    if (measures_at(dl, c, p, x, y, w, true) <= bottom) {
        for (int i = n0; i < dl->n; i++) cut |= dl->cmds[i].kind == DL_TEXT && strstr(dl_str(dl, &dl->cmds[i]), "…");
        if (!cut) return;
    }
    dl->n = n0, dl->nchars = c0, dl->last = n0 - 1;
    measures_at(dl, c, p, x, y, w, false);
}

/* ---- the overlays: the decoding view's own panels ---- */

void viz_train_overlays(DrawList *dl, const VizTrain *t, float W, float H) {
    VizState st = {.dark = t->dark, .help = t->help, .message = t->message, .lang = t->lang,
                   .help_lines = t->help_lines, .help_n = t->help_n, .editing = t->editing,
                   .edit_field = t->edit_field, .edit_text = {t->edit_text[0], t->edit_text[1]},
                   .edit_cursor = t->edit_cursor, .edit_anchor = t->edit_anchor, .composition = t->composition,
                   .design_w = t->design_w, .zoom = t->zoom, .text_min = t->text_min, .present = t->present};
    View v = {.st = &st, .th = viz_theme(t->dark), .L = viz_layout_plain(&st, W, H)};   /* no decoding under it */
    dl_begin_overlay(dl);
    if (t->message) panel_message(dl, &v);
    if (t->editing) panel_edit(dl, &v);
    if (t->help) panel_help(dl, &v);
}

void viz_train_build(DrawList *dl, const VizTrain *t, float W, float H) {
    dl_clear(dl);
    float z = t->zoom > 0 ? t->zoom : 1, u = fminf(W / (t->design_w > 0 ? t->design_w : 1280.0f), H / 720.0f);
    if (u < 0.5f) u = 0.5f;
    TvCtx c = tv_ctx(u * z, t->dark, t->lang);
    u = c.u;
    /* never under the floor: the type grows, the spacing stays */
    float least = t->text_min > 0 ? t->text_min : viz_text_min(W, H, z), k = fmaxf(1, least / c.f_min);
    c.f_min *= k, c.f_lab *= k, c.f_big *= k;
    dl_rect(dl, 0, 0, W, H, c.th.bg);
    float pad = 16 * u, lh = dl_text_height(dl, c.f_min);
    float body = header(dl, &c, t, W, pad);
    /* presenting: no keys line under the film strip */
    float keys_y = t->present ? H - 4 * u : H - lh - 10 * u, film_h = fminf(190 * u, H * 0.27f), film_y = keys_y - film_h - 6 * u;
    /* left: the matrix and its measures; right: the curves */
    float split = W * 0.53f, mw = 170 * u;
    bool have_measures = split - pad - mw - 20 * u >= 1.6f * mw;   /* zoomed in a small window: the matrix first */
    if (!have_measures) mw = 0;
    char head[200], num[32];
    const VizProbe *p = &t->probe;
    viz_count(num, sizeof num, p->step);
    snprintf(head, sizeof head, tv_str(&c, t->film_sel >= 0 && t->film_sel < t->n_film ? UI_TV_MATRIX_AT : UI_TV_MATRIX), num);
    tv_probe(dl, &c, p, head, pad, body, split - pad - mw - 20 * u, film_y - body - 14 * u);
    if (have_measures) measures(dl, &c, p, split - mw, body + lh * 1.5f, mw - 10 * u, film_y - 10 * u);
    viz_curves_build(dl, t->runs, t->n_runs, t->plan, split + 24 * u, body, W - pad - split - 24 * u,
                     film_y - body - 10 * u, t->dark, t->lang, c.f_min);
    dl_rect(dl, pad, film_y - 6 * u, W - 2 * pad, fmaxf(1, u), c.th.grid);
    tv_film(dl, &c, t, pad, film_y, W - 2 * pad, film_h);
    /* the keys, and why the run stopped */
    if (!t->present) {
        const char *keys = tv_str(&c, UI_TV_KEYS);
        float kp = viz_fit(dl, keys, W - 2 * pad, c.f_min, c.f_min, 0);
        if (kp > 0) dl_text(dl, pad, keys_y, kp, 0, c.th.dim, keys);
        else tv_center(dl, &c, W / 2, keys_y, W - 2 * pad, c.f_min, c.f_min, 0, c.th.dim, keys);
    }
    VizTrain copy;
    if (t->state == VIZ_RUN_FAILED && t->error && !t->message) {
        copy = *t;
        copy.message = t->error;
        t = &copy;
    }
    viz_train_overlays(dl, t, W, H);
}
