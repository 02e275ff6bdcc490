/* lab_view.h — the mechanism lab as a picture: the probe matrices of 2 to 6 configurations in a row, their curves overlaid in two charts with one legend → draw list.
 *
 * Plain data in, a DrawList out (no GL, no SDL, no session), like view.h.
 * Designed at 1280×720 and scaled by u = min(W/1280, H/720):
 *
 *   ┌ The mechanism lab · copy ──────────────────────────── step 300 / 300 ┐
 *   │ ■ general          │ ■ none             │ ■ none+reverse             │  one column per
 *   │ exact 59% · token  │ exact 0% · token 7%│ exact 0% · token 11%       │  configuration:
 *   │ [alignment matrix] │ no attention: the  │ no attention …             │  its probe matrix
 *   │ → output (wrong    │ decoder sees only  │                            │  (viridis), or why
 *   │   letters in red)  │ h_0                │ → output                   │  there is none
 *   ├────────────────────┴────────────┬───────┴────────────────────────────┤
 *   │ training loss                   │ held-out token accuracy            │  the curves, one
 *   │ (one line per configuration)    │ (0 to 100%)                        │  colour each
 *
 * Colours: Okabe–Ito, one per configuration, the same in the legend, the
 * column heads and the lines (distinguishable with colour blindness). Text
 * is at least 18 px at 1280×720 (14.4 at 1024×600).
 */
#ifndef LAB_VIEW_H
#define LAB_VIEW_H

#include <stdbool.h>

#include "../base/drawlist.h"

enum { VIZ_LAB_MAX = 6 };

/* One configuration of the lab, as its latest log line and its curves. */
typedef struct {
    const char *label;            /* "general", "none+reverse", "linear"          */
    int S, T;                     /* the probe's source tokens and output steps    */
    const char *const *src;       /* [S]                                           */
    const char *const *out;       /* [T], <eos> included when produced             */
    const float *w;               /* [T × S]; NULL: no attention                   */
    const char *const *ref;       /* [R] the reference's tokens; NULL: none        */
    int R;
    float exact, token;           /* the last held-out measures, 0..1; NAN: none   */
    int n;                        /* the loss curve: n points                      */
    const float *step, *loss;
    int n_held;                   /* the held-out token accuracy curve             */
    const float *held_step, *held_token;
} VizLabRun;

typedef struct {
    const char *what;             /* the task or data, "copy"                       */
    long step, plan;              /* steps done (the fewest), the plan              */
    const VizLabRun *runs;
    int n;                        /* 1 .. VIZ_LAB_MAX                               */
    bool dark;
    const char *lang;             /* "ko": Korean                                   */
    /* live in the window (mode_lab.c); NULL in the command line's picture */
    const char *status;           /* "training · full speed", left of the step      */
    bool status_on;               /* training: the status in the "good" colour       */
    const char *rate;             /* "measured: 40 steps/s", or NULL                 */
    const char *keys;             /* one line of keys at the bottom, or NULL         */
    const char *note;             /* no runs yet: why (the lab is being made), or NULL */
    float text_min;               /* beside a lesson's narration: the window's type
                                     floor (the picture is laid out larger to keep
                                     its smallest text at it); 0: its own          */
} VizLab;

/* What the commands show (DlCmd.tag). */
enum {
    LAB_TAG_HEAD = 1300,          /* a = run: its label over its column              */
    LAB_TAG_CELL,                 /* a = run, b = t × S + s; value = the weight      */
    LAB_TAG_NO_MATRIX,            /* a = run: why there is no matrix                 */
    LAB_TAG_OUTPUT,               /* a = run, b = output step: its token; value 1 right, 0 wrong, -1 no reference */
    LAB_TAG_MEASURE,              /* a = run: "exact · token"                         */
    LAB_TAG_CHART,                /* a = 0 loss, 1 token accuracy: the plot area      */
    LAB_TAG_CURVE,                /* a = chart, b = run: a segment                    */
    LAB_TAG_LEGEND,               /* a = run: its name in the legend                  */
    LAB_TAG_TICK,                 /* a = chart: a tick label; value = the tick        */
    LAB_TAG_STATUS,               /* the live state and speed; a = 1 training         */
    LAB_TAG_KEYS,                 /* the live keys line                               */
};

/* The Okabe–Ito colour of configuration i. */
Color viz_lab_color(int i, bool dark);
/* The lab for a W × H frame. */
void viz_lab_build(DrawList *dl, const VizLab *lab, float W, float H);

#endif
