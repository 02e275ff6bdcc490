/* test_train_view.c — the training screen's draw list (src/viz/train_*.c), without GL: the probe's cells are its weights in viridis, right and wrong rows, the measures, the curves with their ticks and legend, the film strip and its timeline, type sizes and Korean. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/colormap.h"
#include "font.h"
#include "text/text.h"
#include "viz/train_view.h"
#include "viz/ui_strings.h"

static Text *text;
static TextMeasure measure;

static void setup(void) { text = test_font_open(&measure); }
static void teardown(void) { test_font_close(text); }

TestSuite(train_view, .init = setup, .fini = teardown);

/* ---- a run as the app would hand it over ---- */

enum { S = 6, T = 5, NP = 31, NH = 4, NF = 5 };
static const char *const SRC[S] = {"a", "b", "c", "d", "e", "<eos>"};
static const char *const OUT[T] = {"e", "d", "x", "b", "a"};   /* row 2 wrong */
static const char *const REF[T + 1] = {"e", "d", "c", "b", "a", "<eos>"};
static float W8[T * S], FW[NF][T * S];
static float xs[NP], loss[NP], grad[NP], lr[NP], tf[NP], hx[NH], hexact[NH], htoken[NH];
static float loss2[NP];
static VizProbe film[NF];

static void make_run(VizTrain *t, VizCurves *runs, int n_runs) {
    for (int r = 0; r < T; r++)
        for (int s = 0; s < S; s++) W8[r * S + s] = s == S - 2 - r ? 0.7f : 0.3f / (S - 1);
    for (int i = 0; i < NP; i++) {
        xs[i] = (float)(i * 10);
        loss[i] = 3.4f * expf(-(float)i / 8);
        loss2[i] = 3.4f * expf(-(float)i / 20);
        grad[i] = 0.5f + 0.1f * sinf((float)i);
        lr[i] = 3e-3f;
        tf[i] = 1 - (float)i / NP;
    }
    for (int i = 0; i < NH; i++) hx[i] = (float)(i * 100), hexact[i] = 0.3f * (float)i, htoken[i] = 0.1f + 0.3f * (float)i;
    static const long STEPS[NF] = {0, 10, 20, 50, 100};
    for (int f = 0; f < NF; f++) {
        for (int k = 0; k < T * S; k++) FW[f][k] = 1.0f / S;
        film[f] = (VizProbe){.step = STEPS[f], .S = S, .T = T, .src = SRC, .out = OUT, .w = FW[f], .ref = REF,
                             .R = T + 1, .entropy = NAN, .accuracy = NAN};
    }
    for (int r = 0; r < n_runs; r++)
        runs[r] = (VizCurves){.name = n_runs > 1 ? (r ? "copy-none" : "copy-dot") : NULL, .n = NP,
                              .v = {xs, r ? loss2 : loss, grad, lr, tf}, .n_held = NH, .h = {hx, hexact, htoken}};
    *t = (VizTrain){.title = "reverse  ·  LSTM, Luong, general  ·  50,000 pairs  ·  seed 1", .step = 300, .plan = 300,
                    .state = VIZ_RUN_PAUSED, .speed = 30, .probe_text = "abcde", .reference_text = "edcba",
                    .probe = {.step = 300, .S = S, .T = T, .src = SRC, .out = OUT, .w = W8, .ref = REF, .R = T + 1,
                              .entropy = 0.9f, .accuracy = 0.8f},
                    .film_sel = -1, .film = film, .n_film = NF, .runs = runs, .n_runs = n_runs, .lang = "en"};
}

static DrawList build(const VizTrain *t, float w, float h) {
    DrawList dl;
    dl_init(&dl, &measure);
    viz_train_build(&dl, t, w, h);
    return dl;
}

static int count_tag(const DrawList *dl, int tag, int a) {
    int n = 0;
    for (int i = 0; i < dl->n; i++) n += dl->cmds[i].tag == tag && (a < 0 || dl->cmds[i].a == a);
    return n;
}

/* ---- the probe ---- */

Test(train_view, the_probes_cells_are_its_weights_in_viridis) {
    VizTrain t;
    VizCurves runs[1];
    make_run(&t, runs, 1);
    DrawList dl = build(&t, 1280, 720);
    int cells = 0;
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->tag != TV_TAG_PROBE_CELL) continue;
        cr_assert(c->a >= 0 && c->a < T && c->b >= 0 && c->b < S);
        float w = W8[c->a * S + c->b];
        cr_assert_float_eq(c->value, w, 1e-6, "cell (%d, %d) shows %g, its weight is %g", c->a, c->b, c->value, w);
        Rgb8 want = colormap_viridis(w);
        cr_assert(c->color.r == want.r && c->color.g == want.g && c->color.b == want.b, "cell (%d, %d) is not viridis",
                  c->a, c->b);
        cr_assert_gt(c->w, 20, "cells this few are big at 1280x720");
        cells++;
    }
    cr_assert_eq(cells, T * S);
    /* the rows: right against the reference, row 2 wrong */
    int rows = 0;
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->tag != TV_TAG_PROBE_ROW) continue;
        cr_assert_eq(c->b, c->a == 2 ? 0 : 1, "row %d: right/wrong", c->a);
        cr_assert_str_eq(dl_str(&dl, c), OUT[c->a]);
        rows++;
    }
    cr_assert_eq(rows, T);
    cr_assert_eq(count_tag(&dl, TV_TAG_PROBE_SRC, -1), S);
    /* the measures beside it */
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].tag == TV_TAG_MEASURE)
            cr_assert_float_eq(dl.cmds[i].value, dl.cmds[i].a == 0 ? 0.9f : 0.8f, 1e-6);
    cr_assert_eq(count_tag(&dl, TV_TAG_MEASURE, 0), 1);
    cr_assert_eq(count_tag(&dl, TV_TAG_MEASURE, 1), 1);
    /* a snapshot of the film strip shows its own weights */
    t.film_sel = 1;
    t.probe = film[1];
    DrawList d2 = build(&t, 1280, 720);
    for (int i = 0; i < d2.n; i++)
        if (d2.cmds[i].tag == TV_TAG_PROBE_CELL) cr_assert_float_eq(d2.cmds[i].value, 1.0f / S, 1e-6);
    dl_free(&d2);
    dl_free(&dl);
}

Test(train_view, an_unknown_alignment_and_no_attention_say_so) {
    VizTrain t;
    VizCurves runs[1];
    make_run(&t, runs, 1);
    t.probe.accuracy = NAN;
    t.probe.w = NULL;
    DrawList dl = build(&t, 1280, 720);
    cr_assert_eq(count_tag(&dl, TV_TAG_PROBE_CELL, -1), 0);
    bool none = false, unknown = false;
    for (int i = 0; i < dl.n; i++) {
        if (dl.cmds[i].kind != DL_TEXT) continue;
        const char *msg = ui_str_en(UI_TV_NO_ATTN);   /* its first line */
        none |= strlen(dl_str(&dl, &dl.cmds[i])) == strcspn(msg, "\n") &&
                strncmp(dl_str(&dl, &dl.cmds[i]), msg, strcspn(msg, "\n")) == 0;
        unknown |= strcmp(dl_str(&dl, &dl.cmds[i]), ui_str_en(UI_TV_ALIGN_UNKNOWN)) == 0;
    }
    cr_assert(none, "no attention: the matrix says so");
    cr_assert(unknown, "no right alignment known: the accuracy says so");
    dl_free(&dl);
}

/* ---- the curves ---- */

/* The tick labels of chart `a` (TV_CHARTS: the shared x axis), in order. */
static int ticks(const DrawList *dl, int a, float *v, int cap) {
    int n = 0;
    for (int i = 0; i < dl->n && n < cap; i++)
        if (dl->cmds[i].tag == TV_TAG_TICK && dl->cmds[i].a == a && dl->cmds[i].kind == DL_TEXT) v[n++] = dl->cmds[i].value;
    return n;
}

Test(train_view, the_curves_have_readable_axes_and_every_series) {
    VizTrain t;
    VizCurves runs[1];
    make_run(&t, runs, 1);
    DrawList dl = build(&t, 1280, 720);
    float v[64];
    int n = ticks(&dl, TV_CHARTS, v, 64);
    cr_assert_geq(n, 3, "the step axis has %d labels", n);
    cr_assert_lt(n, 12, "the step axis has %d labels: too many to read", n);
    cr_assert_float_eq(v[0], 0, 1e-6);
    cr_assert_leq(v[n - 1], 300 + 1e-3);
    cr_assert_geq(v[n - 1], 200, "the axis reaches the plan");
    for (int i = 1; i < n; i++) cr_assert_gt(v[i], v[i - 1], "step ticks increase");
    /* the loss chart is logarithmic: its ticks are powers of ten */
    n = ticks(&dl, TV_CHART_LOSS, v, 64);
    cr_assert_geq(n, 2);
    for (int i = 0; i < n; i++) cr_assert_float_eq(log10f(v[i]), roundf(log10f(v[i])), 1e-4, "loss tick %g", v[i]);
    /* every chart has its plot area and a line in it */
    for (int c = 0; c < TV_CHARTS; c++) {
        cr_assert_eq(count_tag(&dl, TV_TAG_CHART, c), 1, "chart %d", c);
        cr_assert_gt(count_tag(&dl, TV_TAG_CURVE, c), 0, "chart %d draws nothing", c);
    }
    /* a loss that is not finite leaves a gap, not a wild line */
    loss[5] = NAN, loss[6] = INFINITY;
    DrawList d2 = build(&t, 1280, 720);
    for (int i = 0; i < d2.n; i++)
        if (d2.cmds[i].kind != DL_TEXT) cr_assert(isfinite(d2.cmds[i].x) && isfinite(d2.cmds[i].y) && isfinite(d2.cmds[i].w));
    cr_assert_lt(count_tag(&d2, TV_TAG_CURVE, TV_CHART_LOSS), count_tag(&dl, TV_TAG_CURVE, TV_CHART_LOSS));
    dl_free(&d2);
    dl_free(&dl);
}

Test(train_view, several_runs_get_a_legend_and_their_own_lines) {
    VizTrain t;
    VizCurves runs[2];
    make_run(&t, runs, 2);
    DrawList dl = build(&t, 1280, 720);
    cr_assert_eq(count_tag(&dl, TV_TAG_LEGEND, 0), 1);
    cr_assert_eq(count_tag(&dl, TV_TAG_LEGEND, 1), 1);
    Color col[2] = {{0}};
    int seen[2] = {0};
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->tag == TV_TAG_LEGEND) cr_assert_str_eq(dl_str(&dl, c), c->a ? "copy-none" : "copy-dot");
        if (c->tag != TV_TAG_CURVE || c->a != TV_CHART_LOSS) continue;
        int r = c->b / 4;
        cr_assert(r == 0 || r == 1);
        if (!seen[r]++) col[r] = c->color;
    }
    cr_assert(seen[0] && seen[1], "both runs' losses are drawn");
    cr_assert(memcmp(&col[0], &col[1], sizeof col[0]) != 0, "two runs, two colours");
    /* one run: no legend */
    VizCurves one[1];
    make_run(&t, one, 1);
    DrawList d1 = build(&t, 1280, 720);
    cr_assert_eq(count_tag(&d1, TV_TAG_LEGEND, -1), 0);
    dl_free(&d1);
    dl_free(&dl);
}

/* ---- the film strip ---- */

Test(train_view, the_film_strip_has_a_slot_per_snapshot_and_the_timeline_picks_one) {
    VizTrain t;
    VizCurves runs[1];
    make_run(&t, runs, 1);
    DrawList dl = build(&t, 1280, 720);
    const DlCmd *slot[NF + 1] = {0};
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].tag == TV_TAG_FILM_THUMB) {
            cr_assert(dl.cmds[i].a >= 0 && dl.cmds[i].a <= NF);
            slot[dl.cmds[i].a] = &dl.cmds[i];
        }
    static const char *const LABEL[NF] = {"step 0", "step 10", "step 20", "step 50", "step 100"};
    for (int f = 0; f <= NF; f++) {
        cr_assert_not_null(slot[f], "slot %d", f);
        float cx = slot[f]->x + slot[f]->w / 2, cy = slot[f]->y + slot[f]->h / 2;
        cr_assert_eq(viz_train_film_hit(&dl, cx, cy), f, "a click on slot %d", f);
        if (f > 0) cr_assert_gt(slot[f]->x, slot[f - 1]->x, "slots left to right");
    }
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].tag == TV_TAG_FILM_STEP && dl.cmds[i].kind == DL_TEXT)
            cr_assert_str_eq(dl_str(&dl, &dl.cmds[i]), LABEL[dl.cmds[i].a]);
    cr_assert_eq(count_tag(&dl, TV_TAG_FILM_CELL, 2), T * S, "thumbnail 2 has every cell");
    /* the timeline: under slot f, it picks f; off the track, nothing */
    const DlCmd *track = NULL;
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].tag == TV_TAG_TIMELINE) track = &dl.cmds[i];
    cr_assert_not_null(track);
    float ty = track->y + track->h / 2;
    for (int f = 0; f <= NF; f++)
        cr_assert_eq(viz_train_timeline_hit(&dl, NF, slot[f]->x + slot[f]->w / 2, ty), f, "the timeline under slot %d", f);
    cr_assert_eq(viz_train_timeline_hit(&dl, NF, slot[2]->x + slot[2]->w / 2, track->y - 40), -1);
    cr_assert_eq(viz_train_film_hit(&dl, 1, 1), -1);
    dl_free(&dl);
}

Test(train_view, the_figures_have_every_frame_and_chart) {
    VizCurves runs[1];
    VizTrain t;
    make_run(&t, runs, 1);
    DrawList dl;
    dl_init(&dl, &measure);
    viz_film_figure(&dl, film, NF, "How attention learned", 1280, 720, false, "en");
    cr_assert_eq(count_tag(&dl, TV_TAG_FILM_THUMB, -1), NF);
    cr_assert_eq(count_tag(&dl, TV_TAG_FILM_CELL, -1), NF * T * S);
    viz_curves_figure(&dl, runs, 1, 300, "reverse", 1280, 720, true, "en");
    for (int c = 0; c < TV_CHARTS; c++) cr_assert_eq(count_tag(&dl, TV_TAG_CHART, c), 1, "chart %d", c);
    dl_free(&dl);
}

/* ---- type and language ---- */

/* Every text run at least min_px; nothing starts off the window. */
static void check_sizes(const DrawList *dl, float W, float H, float min_px, int min_n, const char *what) {
    int n = 0;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->kind != DL_TEXT || !dl_str(dl, c)[0]) continue;
        cr_assert_geq(c->size, min_px - 0.01f, "%s: '%s' is %.1f px", what, dl_str(dl, c), (double)c->size);
        cr_assert(c->x >= -0.5f && c->y >= -0.5f && c->x + c->w <= W + 0.5f && c->y + c->h * 0.8f <= H + 0.5f,
                  "%s: '%s' leaves the %gx%g window", what, dl_str(dl, c), (double)W, (double)H);
        n++;
    }
    cr_assert_geq(n, min_n, "%s: only %d text runs", what, n);
}

Test(train_view, no_text_under_16_px_at_1280x720_nor_14_at_1024x600) {
    VizTrain t;
    VizCurves runs[2];
    static const char *const LANG[2] = {"en", "ko"};
    for (int l = 0; l < 2; l++)
        for (int nr = 1; nr <= 2; nr++)
            for (int help = 0; help < 2; help++) {
                make_run(&t, runs, nr);
                t.lang = LANG[l];
                t.help = help;
                VizHelpLine line = {.key = "Space", .what = ui_str(LANG[l], UI_H_TRAIN_PLAY)};
                t.help_lines = &line, t.help_n = 1;
                char what[64];
                snprintf(what, sizeof what, "%s, %d run(s)%s", LANG[l], nr, help ? ", keys" : "");
                DrawList a = build(&t, 1280, 720), b = build(&t, 1024, 600);
                check_sizes(&a, 1280, 720, 16, 30, what);
                check_sizes(&b, 1024, 600, 14, 30, what);
                dl_free(&a);
                dl_free(&b);
                DrawList f;
                dl_init(&f, &measure);
                viz_film_figure(&f, film, NF, "film", 1280, 720, false, LANG[l]);
                check_sizes(&f, 1280, 720, 16, NF + 1, "film figure");
                viz_curves_figure(&f, runs, nr, 300, "curves", 1280, 720, false, LANG[l]);
                check_sizes(&f, 1280, 720, 16, 10, "curves figure");
                dl_free(&f);
            }
}

/* A word of two or more ASCII letters that is not a token, a name or a key. */
static bool english(const char *s) {
    static const char *const OK[] = {"nats", "lr", "Space", "Enter", "Tab", "Esc", "Home", "End", "LSTM", "Luong",
                                     "general", "reverse", "eos", "copy", "dot", "none", "abcde", "edcba", "p"};
    for (const char *p = s; *p;) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
            p++;
            continue;
        }
        const char *q = p;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')) q++;
        bool ok = q - p < 2;
        for (size_t i = 0; !ok && i < sizeof OK / sizeof *OK; i++)
            ok = strlen(OK[i]) == (size_t)(q - p) && strncmp(OK[i], p, (size_t)(q - p)) == 0;
        if (!ok) return true;
        p = q;
    }
    return false;
}

Test(train_view, korean_leaves_no_english_label) {
    VizTrain t;
    VizCurves runs[2];
    make_run(&t, runs, 2);
    t.lang = "ko";
    t.title = "reverse  ·  LSTM, Luong, general  ·  50,000쌍  ·  시드 1";   /* as the app writes it in Korean */
    for (int state = 0; state < 4; state++) {
        t.state = (VizRunState)state;
        t.error = state == VIZ_RUN_FAILED ? "" : NULL;
        t.speed = state == 0 ? 0 : 30;
        t.rate = 12;
        DrawList dl = build(&t, 1280, 720);
        for (int i = 0; i < dl.n; i++)
            if (dl.cmds[i].kind == DL_TEXT)
                cr_assert(!english(dl_str(&dl, &dl.cmds[i])), "state %d: '%s' is English in Korean", state,
                          dl_str(&dl, &dl.cmds[i]));
        dl_free(&dl);
    }
}
