/* test_train_layout.c — the training screen's layout where it was cramped (issue 11): a long probe's matrix uses the width it has (the label columns' names do not widen them), every chart's plot is tall enough to read a curve, and nothing that matters is cut with "…", full screen and beside a lesson's narration, at 1280×720 and 1024×600, English and Korean. Draw lists without GL; text measured with the real font. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "font.h"
#include "layout_check.h"
#include "viz/train_view.h"
#include "viz/ui_strings.h"

static Text *text;
static TextMeasure measure;

static void setup(void) { text = test_font_open(&measure); }
static void teardown(void) { test_font_close(text); }

TestSuite(train_layout, .init = setup, .fini = teardown, .timeout = 120);

/* ---- lesson 10's long copy, as the app hands it over ---- */

enum { LS = 43, LT = 43, NP = 41, NH = 5 };
static const char PROBE[] = "thebottleneckisonevectorforthewholesentence";
static const char OUTPUT[] = "thebottleneckisonevectorforthewholesenteenc";   /* the end still wrong */
static char letters[3][LS + 1][2];
static const char *src[LS], *out[LT], *ref[LS + 1];
static float w8[LT * LS], xs[NP], loss[NP], grad[NP], lr[NP], tf[NP], hx[NH], hexact[NH], htoken[NH];

/* The screen: full (design_w 0, the window's floor) or beside the narration
 * of a lesson (the app's APP_LESSON_DESIGN_W 960 and the window's floor). */
typedef struct {
    const char *name;
    float W, H, design_w, text_min;
} Screen;

/* 1280×720 and 1024×600, alone and beside the narration (narration_panel_width:
 * 418 and 365.75 px). */
static const Screen SCREENS[] = {
    {"1280x720", 1280, 720, 0, 0},
    {"1024x600", 1024, 600, 0, 0},
    {"lesson at 1280x720", 1280 - 418, 720, 960, 16},
    {"lesson at 1024x600", 1024 - 365.75f, 600, 960, 14},
};
enum { N_SCREENS = sizeof SCREENS / sizeof *SCREENS };

static void make_run(VizTrain *t, VizCurves *run, const char *lang, bool schedule) {
    for (int i = 0; i < LS; i++) {
        letters[0][i][0] = PROBE[i], letters[1][i][0] = OUTPUT[i];
        src[i] = letters[0][i], out[i] = letters[1][i], ref[i] = letters[0][i];
    }
    ref[LS] = "<eos>";
    for (int r = 0; r < LT; r++)
        for (int s = 0; s < LS; s++) w8[r * LS + s] = s == r ? 0.8f : 0.2f / (LS - 1);
    for (int i = 0; i < NP; i++) {
        xs[i] = (float)(i * 10);
        loss[i] = 3.4f * expf(-(float)i / 8);
        grad[i] = 0.5f + 0.1f * sinf((float)i);
        lr[i] = 3e-3f;
        tf[i] = schedule ? 1 - (float)i / NP : 1;
    }
    for (int i = 0; i < NH; i++) hx[i] = (float)(i * 100), hexact[i] = 0.2f * (float)i, htoken[i] = 0.2f * (float)i;
    *run = (VizCurves){.n = NP, .v = {xs, loss, grad, lr, tf}, .n_held = NH, .h = {hx, hexact, htoken}};
    *t = (VizTrain){.title = "copy  ·  bidirectional LSTM, Luong, general  ·  300,000 pairs  ·  seed 1", .step = 400,
                    .plan = 10000, .state = VIZ_RUN_PAUSED, .speed = 30, .probe_text = PROBE, .reference_text = PROBE,
                    .probe = {.step = 400, .S = LS, .T = LT, .src = src, .out = out, .w = w8, .ref = ref, .R = LS + 1,
                              .entropy = 0.93f, .accuracy = 40.0f / 43},
                    .film_sel = -1, .runs = run, .n_runs = 1, .lang = lang};
}

static DrawList build(const VizTrain *t, const Screen *s) {
    VizTrain copy = *t;
    copy.design_w = s->design_w, copy.text_min = s->text_min;
    DrawList dl;
    dl_init(&dl, &measure);
    viz_train_build(&dl, &copy, s->W, s->H);
    return dl;
}

/* The bounding box of every command with the tag. */
static bool tag_box(const DrawList *dl, int tag, float *x0, float *y0, float *x1, float *y1) {
    *x0 = *y0 = INFINITY, *x1 = *y1 = -INFINITY;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->tag != tag) continue;
        *x0 = fminf(*x0, c->x), *y0 = fminf(*y0, c->y), *x1 = fmaxf(*x1, c->x + c->w), *y1 = fmaxf(*y1, c->y + c->h);
    }
    return *x0 <= *x1;
}

/* The first text run exactly s, or NULL. */
static const DlCmd *find_text(const DrawList *dl, const char *s) {
    for (int i = 0; i < dl->n; i++)
        if (dl->cmds[i].kind == DL_TEXT && strcmp(dl_str(dl, &dl->cmds[i]), s) == 0) return &dl->cmds[i];
    return NULL;
}

/* Every text run at least min_px. */
static void check_sizes(const DrawList *dl, float min_px, const char *what) {
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->kind == DL_TEXT && dl_str(dl, c)[0])
            cr_assert_geq(c->size, min_px - 0.01f, "%s: '%s' is %.1f px", what, dl_str(dl, c), (double)c->size);
    }
}

static float floor_of(const Screen *s) { return s->H < 700 ? 14 : 16; }

/* ---- the long probe's matrix ---- */

/* The matrix may take what lies between the panel's left edge (its heading)
 * and the measures: the label columns are as wide as one-letter tokens need,
 * not as their names ("reference", "output") or a thinned-out "<eos>". */
Test(train_layout, a_long_probes_matrix_uses_its_width) {
    static const char *const LANG[] = {"en", "ko"};
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < N_SCREENS; k++) {
            const Screen *s = &SCREENS[k];
            VizTrain t;
            VizCurves run;
            make_run(&t, &run, LANG[l], false);
            DrawList dl = build(&t, s);
            char what[96];
            snprintf(what, sizeof what, "%s, %s", s->name, LANG[l]);
            float cx0, cy0, cx1, cy1, mx0, my0, mx1, my1;
            cr_assert(tag_box(&dl, TV_TAG_PROBE_CELL, &cx0, &cy0, &cx1, &cy1), "%s: no cells", what);
            cr_assert(tag_box(&dl, TV_TAG_MEASURE, &mx0, &my0, &mx1, &my1), "%s: no measures", what);
            float left = s->W;   /* the panel's left: its heading's, the labels' */
            for (int i = 0; i < dl.n; i++)
                if (dl.cmds[i].kind == DL_TEXT && dl.cmds[i].y > cy0 - 100 && dl.cmds[i].y < cy1)
                    left = fminf(left, dl.cmds[i].x);
            float room = mx0 - left, mw = cx1 - cx0;
            cr_assert_geq(mw, 0.6f * room, "%s: the matrix is %.0f px wide of the %.0f px it has", what, (double)mw,
                          (double)room);
            /* the columns' names, whole or short, over the label columns */
            const DlCmd *rn = find_text(&dl, ui_str(LANG[l], UI_TV_REF_COL)), *on = find_text(&dl, ui_str(LANG[l], UI_TV_OUT_COL));
            if (!rn) rn = find_text(&dl, ui_str(LANG[l], UI_TV_REF_SHORT));
            if (!on) on = find_text(&dl, ui_str(LANG[l], UI_TV_OUT_SHORT));
            cr_assert(rn && on, "%s: the label columns' names", what);
            cr_assert(rn->x >= left - 0.5f && rn->x + rn->w < on->x && on->x + on->w <= cx0 + 0.5f && rn->y < cy0,
                      "%s: the names are not over the label columns", what);
            int rows = 0;
            for (int i = 0; i < dl.n; i++) rows += dl.cmds[i].tag == TV_TAG_PROBE_ROW;
            cr_assert_geq(rows, 8, "%s: %d rows labelled", what, rows);
            check_no_overlap(&dl, what);
            check_inside(&dl, s->W, s->H, what);
            check_sizes(&dl, floor_of(s), what);
            dl_free(&dl);
        }
}

/* ---- the charts, the header and the measures ---- */

/* Every chart drawn has a plot of at least 50 px; loss, held-out accuracy and
 * the schedule (lesson 10's subject) are drawn on every screen; no text is
 * cut with "…" (the header and the measures say less in a planned way). */
Test(train_layout, every_chart_has_room_for_a_curve_and_nothing_is_cut) {
    static const char *const LANG[] = {"en", "ko"};
    for (int l = 0; l < 2; l++)
        for (int k = 0; k < N_SCREENS; k++)
            for (int state = VIZ_RUN_PAUSED; state <= VIZ_RUN_TRAINING; state++) {
                const Screen *s = &SCREENS[k];
                VizTrain t;
                VizCurves run;
                make_run(&t, &run, LANG[l], true);
                t.state = (VizRunState)state, t.rate = 31;
                DrawList dl = build(&t, s);
                char what[96];
                snprintf(what, sizeof what, "%s, %s, %s", s->name, LANG[l], state ? "training" : "paused");
                int charts[TV_CHARTS] = {0};
                for (int i = 0; i < dl.n; i++) {
                    const DlCmd *c = &dl.cmds[i];
                    if (c->tag == TV_TAG_CHART) {
                        charts[c->a]++;
                        cr_assert_geq(c->h, 50, "%s: chart %d's plot is %.1f px high", what, c->a, (double)c->h);
                    }
                    cr_assert(c->kind != DL_TEXT || !strstr(dl_str(&dl, c), "…"), "%s: '%s' is cut", what, dl_str(&dl, c));
                }
                cr_assert(charts[TV_CHART_LOSS] && charts[TV_CHART_ACCURACY] && charts[TV_CHART_SCHEDULE],
                          "%s: loss %d, accuracy %d, schedule %d", what, charts[0], charts[1], charts[3]);
                bool data = false;
                for (int i = 0; i < dl.n; i++)
                    data |= dl.cmds[i].kind == DL_TEXT && strstr(dl_str(&dl, &dl.cmds[i]), "copy") &&
                            strstr(dl_str(&dl, &dl.cmds[i]), "bidirectional LSTM, Luong, general");
                cr_assert(data, "%s: the header names the data and the configuration", what);
                bool mode = false;   /* "Training": the lesson's test asks it of a slide at 1280x720 */
                for (int i = 0; i < dl.n; i++)
                    mode |= dl.cmds[i].kind == DL_TEXT && strstr(dl_str(&dl, &dl.cmds[i]), ui_str(LANG[l], UI_TV_TITLE));
                cr_assert(mode || s->W < 700, "%s: the header does not say '%s'", what, ui_str(LANG[l], UI_TV_TITLE));
                check_no_overlap(&dl, what);
                check_inside(&dl, s->W, s->H, what);
                check_sizes(&dl, floor_of(s), what);
                dl_free(&dl);
            }
}
