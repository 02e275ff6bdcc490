/* train_view.h — the training screen as a picture: (a run's curves, its probe, its film strip, the controls) → draw list.
 *
 * Plain data in, a DrawList out, like the decoding view (view.h): no GL, no
 * SDL, no learning session. The app copies nothing: VizCurves and VizProbe
 * point into the arrays it keeps for each run.
 *
 * Layout, designed at 1280×720 and scaled by u = min(W / design_w, H / 720)
 * times the zoom; no text under text_min (a lesson passes the window's
 * floor, the training screen being only part of it):
 *
 *   ┌ Training · what · how ─────────────────── ● training 30 steps/s  step 340 / 500 ┐  header
 *   │ probe "21 November 2026"  →  reference "2026-11-21"                             │
 *   ├──────────────────────────────────────┬─────────┬──────────────────────────────┤
 *   │ the probe's alignment at this step:  │ measures │ training loss (log)          │  train_probe.c
 *   │ source tokens on top, one row per    │ entropy  │ held-out exact / token       │  train_curves.c
 *   │ output token (right / wrong against  │ accuracy │ gradient norm                │
 *   │ the reference)                       │          │ teacher forcing p, lr        │
 *   ├──────────────────────────────────────┴─────────┴──────────────────────────────┤
 *   │ film strip: the probe at steps 0, 10, 20, 50, 100, … and now; the timeline      │  train_film.c
 *   │ keys                                                                            │
 *
 * The matrix cells use viridis on [0, 1], as the decoding view's do, so a
 * weight has the same colour in both. The curves share the x axis (steps,
 * 0 to the plan); with several runs (the mechanism lab) each run has its
 * colour and the charts a legend.
 */
#ifndef TRAIN_VIEW_H
#define TRAIN_VIEW_H

#include <stdbool.h>

#include "../base/drawlist.h"
#include "view.h"

/* One run's log as series: v[VIZ_CURVE_STEP][i] is the step of point i. */
enum { VIZ_CURVE_STEP, VIZ_CURVE_LOSS, VIZ_CURVE_GRAD, VIZ_CURVE_LR, VIZ_CURVE_TF, VIZ_SERIES };
/* The held-out measures, on the lines that have them. */
enum { VIZ_HELD_STEP, VIZ_HELD_EXACT, VIZ_HELD_TOKEN, VIZ_HELD };

typedef struct {
    const char *name;             /* the legend's entry; NULL or "": one run, no legend */
    int n;
    const float *v[VIZ_SERIES];
    int n_held;
    const float *h[VIZ_HELD];
} VizCurves;

/* The probe decoded on some weights. */
typedef struct {
    long step;                    /* the weights' step                             */
    int S, T;
    const char *const *src;       /* [S] source tokens                             */
    const char *const *out;       /* [T] output tokens, <eos> included when made   */
    const float *w;               /* [T × S], row t = a_t; NULL: no attention      */
    const char *const *ref;       /* [R] the reference's tokens and "<eos>"; NULL: none */
    int R;
    float entropy, accuracy;      /* mean row entropy (nats), alignment accuracy; NAN: unknown */
} VizProbe;

typedef enum { VIZ_RUN_PAUSED, VIZ_RUN_TRAINING, VIZ_RUN_DONE, VIZ_RUN_FAILED } VizRunState;

typedef struct {
    /* the run */
    const char *title;            /* what is trained: data and configuration      */
    long step, plan;
    VizRunState state;
    int speed;                    /* steps per second; 0: full                    */
    float rate;                   /* measured steps per second, 0: not yet        */
    const char *error;            /* why it stopped (VIZ_RUN_FAILED), or NULL     */
    const char *probe_text, *reference_text;   /* reference "" or NULL: none      */
    VizProbe probe;               /* the matrix in the centre                     */
    int film_sel;                 /* the snapshot shown, -1: the latest weights   */
    const VizProbe *film;         /* the film strip                               */
    int n_film;
    const VizCurves *runs;        /* the curves; several: overlaid with a legend  */
    int n_runs;
    /* the screen */
    bool dark, help, mouse_in;
    float mouse_x, mouse_y;
    const char *lang;             /* "ko": Korean                                 */
    const char *message;          /* one status line, or NULL                     */
    const VizHelpLine *help_lines;
    int help_n;
    bool editing;                 /* typing the probe (the view's editor)         */
    int edit_field;
    const char *edit_text[2];
    int edit_cursor, edit_anchor; /* in the active field (byte offsets)          */
    const char *composition;
    float design_w;               /* 0: 1280; less beside a lesson's narration    */
    float zoom;                   /* Ctrl+= Ctrl+-: 1 (or 0) as designed           */
    float text_min;               /* the type's floor; 0: viz_text_min(W, H, zoom) */
    bool present;                 /* presentation: no keys line, no rate          */
} VizTrain;

/* What the commands show (DlCmd.tag), after chart.h's. */
enum {
    TV_TAG_PROBE_CELL = 1200,     /* a = output step, b = source position; value = weight, colour viridis */
    TV_TAG_PROBE_ROW,             /* a = output step: its token; b = 1 right, 0 wrong, -1 no reference */
    TV_TAG_PROBE_SRC,             /* a = source position: its token                */
    TV_TAG_MEASURE,               /* a = 0 entropy, 1 alignment accuracy; value    */
    TV_TAG_CHART,                 /* a = chart (TV_CHART_*): its plot area         */
    TV_TAG_CURVE,                 /* a = chart, b = run × 4 + series: a segment    */
    TV_TAG_TICK,                  /* a = chart: a tick label; value = the tick     */
    TV_TAG_LEGEND,                /* a = run: its name                             */
    TV_TAG_FILM_THUMB,            /* a = film frame, or n for the latest: the slot */
    TV_TAG_FILM_CELL,             /* a = film frame, b = t × S + s; value = weight */
    TV_TAG_FILM_STEP,             /* a = film frame: "step N"                      */
    TV_TAG_TIMELINE,              /* the scrubber's track                          */
    TV_TAG_STATUS,                /* the state and speed                           */
};
enum { TV_CHART_LOSS, TV_CHART_ACCURACY, TV_CHART_GRAD, TV_CHART_SCHEDULE, TV_CHARTS };

/* A count with its thousands separated ("12,500") into buf (cap bytes). */
const char *viz_count(char *buf, size_t cap, long n);
/* The training screen for a W × H window. */
void viz_train_build(DrawList *dl, const VizTrain *t, float W, float H);
/* The overlays of t (its message, editor, key help) over what dl holds, as
 * the decoding view draws them; the mechanism lab's screen uses them too. */
void viz_train_overlays(DrawList *dl, const VizTrain *t, float W, float H);
/* The four charts alone in the rectangle (the curves export): the runs'
 * series over steps 0 .. plan, type at font_px. */
void viz_curves_build(DrawList *dl, const VizCurves *runs, int n_runs, long plan, float x, float y, float w, float h,
                      bool dark, const char *lang, float font_px);
/* The curves as one figure of W × H: a title over the four charts. */
void viz_curves_figure(DrawList *dl, const VizCurves *runs, int n_runs, long plan, const char *title, float W, float H,
                       bool dark, const char *lang);
/* The film strip as one figure of W × H: a title, then one thumbnail per
 * frame with its step, in rows. */
void viz_film_figure(DrawList *dl, const VizProbe *film, int n, const char *title, float W, float H, bool dark,
                     const char *lang);
/* The film frame whose slot is under the point, n_film for the latest
 * weights, or -1 (from the last frame's draw list). */
int viz_train_film_hit(const DrawList *dl, float x, float y);
/* On the timeline track: the film frame nearest the point (n_film: the
 * latest), or -1 when the point is not on it. */
int viz_train_timeline_hit(const DrawList *dl, int n_film, float x, float y);

#endif
