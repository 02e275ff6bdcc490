/* test_labview.c — the mechanism lab's screen (src/viz/lab_view.c) with the real font: every configuration has its column, matrix (or why not), legend entry and curves; text is at least 16 px at 1280×720 and 14 at 1024×600, inside the window, never overlapping, in English and Korean, light and dark. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "font.h"
#include "viz/lab_view.h"
#include "viz/ui_strings.h"

enum { S = 26, T = 27, N = 11 };
static const char *SRC[S], *OUT[T], *REF[T];
static float W_DIAG[T * S], STEPS[N], LOSS[VIZ_LAB_MAX][N], HSTEP[3] = {0, 150, 300}, HTOK[VIZ_LAB_MAX][3];
static char LETTERS[S][2];

/* n runs: the odd ones without attention, one with a wrong letter */
static void make_runs(VizLabRun *r, int n) {
    static const char *LABELS[VIZ_LAB_MAX] = {"general", "none", "dot", "none+reverse", "concat", "additive"};
    for (int s = 0; s < S; s++) {
        LETTERS[s][0] = (char)('a' + s);
        SRC[s] = OUT[s] = REF[s] = LETTERS[s];
    }
    OUT[S] = REF[S] = "<eos>";
    for (int t = 0; t < T; t++)
        for (int s = 0; s < S; s++) W_DIAG[t * S + s] = t == s ? 0.9f : 0.1f / (S - 1);
    for (int k = 0; k < N; k++) STEPS[k] = 30.0f * (float)k;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < N; k++) LOSS[i][k] = 3.4f / (1 + (float)k * (i % 2 ? 0.05f : 1));
        for (int k = 0; k < 3; k++) HTOK[i][k] = i % 2 ? 0.05f * (float)k : 0.45f * (float)k;
        r[i] = (VizLabRun){.label = LABELS[i], .S = S, .T = T, .src = SRC, .out = OUT, .ref = REF, .R = T,
                           .w = i % 2 ? NULL : W_DIAG, .exact = i % 2 ? 0 : 0.587f, .token = HTOK[i][2],
                           .n = N, .step = STEPS, .loss = LOSS[i], .n_held = 3, .held_step = HSTEP,
                           .held_token = HTOK[i]};
    }
}

static bool overlap(const DlCmd *a, const DlCmd *b) {
    float ia = a->h * 0.12f, ib = b->h * 0.12f;
    return a->x < b->x + b->w - 0.5f && b->x < a->x + a->w - 0.5f && a->y + ia < b->y + b->h - ib &&
           b->y + ib < a->y + a->h - ia;
}

static void check_frame(const DrawList *dl, float W, float H, float min_px, const char *what) {
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *a = &dl->cmds[i];
        if (a->kind != DL_TEXT) continue;
        cr_expect_geq(a->size, min_px - 0.01f, "%s: '%s' at %.1f px", what, dl_str(dl, a), (double)a->size);
        cr_expect(a->x >= 0 && a->x + a->w <= W + 0.01f && a->y >= 0 && a->y + a->h <= H + 0.01f,
                  "%s: '%s' leaves the window", what, dl_str(dl, a));
        for (int j = i + 1; j < dl->n; j++) {
            const DlCmd *b = &dl->cmds[j];
            if (b->kind == DL_TEXT && a->w > 0 && b->w > 0)
                cr_expect(!overlap(a, b), "%s: '%s' overlaps '%s'", what, dl_str(dl, a), dl_str(dl, b));
        }
    }
}

static int count_tag(const DrawList *dl, int tag, int a) {
    int k = 0;
    for (int i = 0; i < dl->n; i++) k += dl->cmds[i].tag == tag && (a < 0 || dl->cmds[i].a == a);
    return k;
}

Test(labview, every_configuration_at_every_size) {
    TextMeasure m;
    Text *font = test_font_open(&m);
    VizLabRun runs[VIZ_LAB_MAX];
    struct { float W, H, min_px; } sizes[] = {{1280, 720, 16}, {1024, 600, 14}, {1920, 1080, 16}};
    int ns[] = {2, 3, 6};
    for (size_t z = 0; z < 3; z++)
        for (int k = 0; k < 3; k++)
            for (int lang = 0; lang < 2; lang++)
                for (int dark = 0; dark < 2; dark++) {
                    int n = ns[k];
                    make_runs(runs, n);
                    VizLab lab = {.what = "copy", .step = 300, .plan = 300, .runs = runs, .n = n, .dark = dark,
                                  .lang = lang ? "ko" : "en"};
                    DrawList dl;
                    dl_init(&dl, &m);
                    viz_lab_build(&dl, &lab, sizes[z].W, sizes[z].H);
                    char what[96];
                    snprintf(what, sizeof what, "%.0fx%.0f, %d runs, %s, %s", (double)sizes[z].W,
                             (double)sizes[z].H, n, lang ? "ko" : "en", dark ? "dark" : "light");
                    check_frame(&dl, sizes[z].W, sizes[z].H, sizes[z].min_px, what);
                    for (int i = 0; i < n; i++) {
                        cr_expect_eq(count_tag(&dl, LAB_TAG_HEAD, i), 1, "%s: run %d's head", what, i);
                        cr_expect_eq(count_tag(&dl, LAB_TAG_LEGEND, i), 1, "%s: run %d's legend", what, i);
                        cr_expect_eq(count_tag(&dl, LAB_TAG_CELL, i), i % 2 ? 0 : S * T, "%s: run %d's cells", what, i);
                        cr_expect_eq(count_tag(&dl, LAB_TAG_NO_MATRIX, i), i % 2, "%s: run %d: why no matrix", what, i);
                        cr_expect_gt(count_tag(&dl, LAB_TAG_CURVE, -1), 0);
                    }
                    int loss_segs = 0, tok_segs = 0;
                    for (int i = 0; i < dl.n; i++)
                        if (dl.cmds[i].tag == LAB_TAG_CURVE) *(dl.cmds[i].a ? &tok_segs : &loss_segs) += 1;
                    cr_expect_eq(loss_segs, n * (N - 1), "%s: loss segments", what);
                    cr_expect_eq(tok_segs, n * 2, "%s: accuracy segments", what);
                    /* Korean frames show no English label of the lab */
                    static const char *const EN[] = {"held-out", "training loss", "steps", "mechanism", "no attention"};
                    for (int i = 0; lang && i < dl.n; i++)
                        for (size_t e = 0; e < sizeof EN / sizeof *EN; e++)
                            cr_expect(dl.cmds[i].kind != DL_TEXT || !strstr(dl_str(&dl, &dl.cmds[i]), EN[e]),
                                      "%s: '%s' is English", what, dl_str(&dl, &dl.cmds[i]));
                    dl_free(&dl);
                }
    test_font_close(font);
}

Test(labview, a_wrong_letter_is_marked_and_curves_map_back) {
    TextMeasure m;
    Text *font = test_font_open(&m);
    VizLabRun runs[2];
    make_runs(runs, 2);
    static const char *OUT2[T];
    memcpy(OUT2, OUT, sizeof OUT2);
    OUT2[3] = "x";
    runs[0].out = OUT2;
    VizLab lab = {.what = "copy", .step = 300, .plan = 300, .runs = runs, .n = 2, .lang = "en"};
    DrawList dl;
    dl_init(&dl, &m);
    viz_lab_build(&dl, &lab, 1280, 720);
    int wrong = 0, right = 0;
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].tag == LAB_TAG_OUTPUT && dl.cmds[i].a == 0) {
            if (dl.cmds[i].value == 0) {
                wrong++;
                cr_expect_eq(dl.cmds[i].b, 3);
            }
            else right++;
        }
    cr_expect_eq(wrong, 1);
    cr_expect_eq(right, S - 1);
    /* the loss chart's first point of run 1 sits at 3.4 of a 5 top */
    const DlCmd *plot = NULL, *seg = NULL;
    for (int i = 0; i < dl.n; i++) {
        if (dl.cmds[i].tag == LAB_TAG_CHART && dl.cmds[i].a == 0 && !plot) plot = &dl.cmds[i];
        if (dl.cmds[i].tag == LAB_TAG_CURVE && dl.cmds[i].a == 0 && dl.cmds[i].b == 1 && !seg) seg = &dl.cmds[i];
    }
    cr_assert(plot && seg);
    float ylo = plot->y + plot->h;
    cr_assert_eq(seg->kind, DL_TRI);
    float y_first = (seg->y + seg->y2) / 2;   /* dl_line's second triangle: (x0, y0) ± the normal is its 1st and 3rd vertex */
    cr_expect(fabsf((ylo - y_first) / plot->h - 3.4f / 5) < 0.02f, "first loss point at %.3f of the plot",
              (double)((ylo - y_first) / plot->h));
    dl_free(&dl);
    test_font_close(font);
}

/* Six columns at 1024×600 are narrow: the measures say less or take two
 * lines, the no-attention box's words take more lines; no text is cut with
 * "…" (an output longer than its column ends with a "…" of its own), and
 * every column shows its token accuracy. */
Test(labview, narrow_columns_cut_nothing_that_matters) {
    TextMeasure m;
    Text *font = test_font_open(&m);
    VizLabRun runs[VIZ_LAB_MAX];
    struct { float W, H; } sizes[] = {{1280, 720}, {1024, 600}};
    for (size_t z = 0; z < 2; z++)
        for (int n = 2; n <= VIZ_LAB_MAX; n++)
            for (int lang = 0; lang < 2; lang++)
                for (int measured = 0; measured < 2; measured++) {
                    make_runs(runs, n);
                    for (int i = 0; i < n && !measured; i++) runs[i].exact = runs[i].token = NAN;
                    VizLab lab = {.what = "copy", .step = 300, .plan = 300, .runs = runs, .n = n,
                                  .lang = lang ? "ko" : "en"};
                    DrawList dl;
                    dl_init(&dl, &m);
                    viz_lab_build(&dl, &lab, sizes[z].W, sizes[z].H);
                    char what[96];
                    snprintf(what, sizeof what, "%.0fx%.0f, %d runs, %s%s", (double)sizes[z].W, (double)sizes[z].H, n,
                             lang ? "ko" : "en", measured ? "" : ", not measured");
                    check_frame(&dl, sizes[z].W, sizes[z].H, sizes[z].H < 700 ? 14 : 16, what);
                    for (int i = 0; i < dl.n; i++) {
                        const char *s = dl_str(&dl, &dl.cmds[i]);
                        cr_assert(dl.cmds[i].kind != DL_TEXT || strcmp(s, "…") == 0 || !strstr(s, "…"),
                                  "%s: '%s' is cut", what, s);
                    }
                    for (int i = 0; i < n && measured; i++) {   /* run i's token accuracy, under its head */
                        char want[32];
                        snprintf(want, sizeof want, "%.0f%%", 100.0 * (double)runs[i].token);
                        const DlCmd *head = NULL;
                        for (int k = 0; k < dl.n && !head; k++)
                            if (dl.cmds[k].tag == LAB_TAG_HEAD && dl.cmds[k].a == i) head = &dl.cmds[k];
                        cr_assert_not_null(head);
                        bool seen = false;
                        for (int k = 0; k < dl.n; k++) {
                            const DlCmd *c = &dl.cmds[k];
                            seen |= c->kind == DL_TEXT && strstr(dl_str(&dl, c), want) && c->y > head->y &&
                                    c->y < head->y + 100 && c->x < head->x + head->w && c->x + c->w > head->x - 40;
                        }
                        cr_assert(seen, "%s: run %d's token accuracy %s is not shown", what, i, want);
                    }
                    dl_free(&dl);
                }
    test_font_close(font);
}
