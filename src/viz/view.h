/* view.h — one decoding as a picture: (trace, clock, UI state) → draw list.
 * view.c builds it from the panels (panel.h lists them, one file each).
 *
 * The clock τ counts phases: τ = (t-1)·PH_COUNT + phase + progress for
 * decoder step t (from 1), progress in [0,1). The picture is a pure function
 * of τ, so stepping backward re-evaluates exactly what stepping forward
 * showed. Nothing here touches GL or SDL; text is measured through the
 * draw list's TextMeasure.
 *
 * The backward view (issue 12): with a gradient trace and VizState.backward,
 * each step has VIZ_PHASES_BACKWARD phases, its forward ones and then the
 * backward ones (phase PH_COUNT + k is BackPhase k), and τ counts those:
 * the *_n clock functions take the number of phases per step.
 */
#ifndef VIEW_H
#define VIEW_H

#include <stdbool.h>

#include "../base/drawlist.h"
#include "../base/phase.h"   /* Phase: PH_ENCODER … PH_NEXT, PH_COUNT */
#include "../engine/gradtrace.h"
#include "../engine/trace.h"

/* What the commands of a frame show (DlCmd.tag; a, b as listed). */
enum {
    VIZ_TAG_NONE,
    VIZ_TAG_OVERLAY,      /* tooltip, help: may cover other things          */
    VIZ_TAG_SRC_TOKEN,    /* a = s                                          */
    VIZ_TAG_ENC_CELL,     /* a = s, b = dimension                           */
    VIZ_TAG_BAR,          /* a = s                                          */
    VIZ_TAG_BAR_LABEL,    /* a = s                                          */
    VIZ_TAG_ALIGN_CELL,   /* a = step (0-based), b = s; colour = viridis(a_t(s)) once shown */
    VIZ_TAG_ROW_LABEL,    /* a = step (0-based): the output token            */
    VIZ_TAG_TOPK,         /* a = rank, b = token id                          */
    VIZ_TAG_CHOSEN,       /* a = step, b = token id: the predicted token's label */
    VIZ_TAG_TIMELINE,     /* the scrubber's track                           */
    VIZ_TAG_CAPTION,
    VIZ_TAG_VEC_CELL,     /* a = which vector (VIZ_VEC_*), b = dimension     */
    VIZ_TAG_SCORE_BUTTON, /* a = ScoreKind, b = 1 enabled / 0 disabled       */
    VIZ_TAG_UNK_MARK,     /* a = s: this source token is not in the vocabulary */
    VIZ_TAG_EDIT_FIELD,   /* a = field (0 input, 1 target)                  */
    VIZ_TAG_CMP_CELL,     /* compare: a = step, b = s; colour viridis(cmp's weight) */
    VIZ_TAG_DIFF_CELL,    /* compare: a = step, b = s; diverging(trace − cmp) */
    VIZ_TAG_MENU_ITEM,    /* the model menu: a = index                      */
    VIZ_TAG_TF_SLIDER,    /* the teacher-forcing p slider's track           */
    /* the backward phases */
    VIZ_TAG_GRAD_CELL,    /* a gradient vector's cell: a = VIZ_GRAD_*, b = dimension; value ∂L/∂· */
    VIZ_TAG_GRAD_BAR,     /* a = s: ∂L/∂a_t(s) (weights phase) or ∂L/∂score_s; value      */
    VIZ_TAG_BLAME_BAR,    /* a = s: ‖∂L/∂x_s‖, where the blame lands; value              */
    VIZ_TAG_GRAD_ROW,     /* an output row: a = rank (-1: the reference below the top 5),
                             b = token id; value ∂L/∂z_t of that token                   */
    VIZ_TAG_STEP_CELL,    /* one SGD step: a = 0 before, 1 after, 2 their difference; b = s */
    VIZ_TAG_GRAD_MATRIX,  /* the encoder phase's matrix: a = step, b = s; value ∂L/∂a_t(s) */
    VIZ_TAG_GRAD_LEGEND,  /* the gradient scale's bar: value = its end (±)             */
    VIZ_TAG_LR_SLIDER,    /* the learning-rate slider's track (one SGD step)          */
    VIZ_TAG_EDIT_TEXT,    /* a = field, b = byte offset of its first character shown */
    VIZ_TAG_PIN,          /* a = s: the frame around a clicked source word's column */
    VIZ_TAG_PIN_VALUE,    /* a = step, b = s: its weight printed in the cell */
    VIZ_TAG_TITLE,        /* the model · input line at the bottom (a click: the editor) */
    VIZ_TAG_ROW_P,        /* a = step: the bar of p_t(y_t), how sure the model was (value: p) */
    VIZ_TAG_ROW_GUESS,    /* a = step: the mark of a row under 0.5                         */
    VIZ_TAG_ROW_REF,      /* a = step, b = 1 right / 0 wrong: the reference beside the prediction */
    VIZ_TAG_UNK_NOTE,     /* the line naming the source tokens the model does not know (a click: the list) */
    VIZ_TAG_VOCAB,        /* the vocabulary list's panel: a = rows a page, b = the largest scroll */
    VIZ_TAG_HANDOVER,     /* no attention: a = 0 the h_0 strip's label, 1 an arrow into it, 2 the arrow to the decoder */
    VIZ_TAG_STATUS,       /* the status row's line in the title's place (VizState.status) */
    VIZ_TAG_LOUPE,        /* the magnifier of long inputs: a = s, b = 0 its token, 1 its value (value), 2 its position,
                           * no attention: 3 the output at s, 4 its reference */
};
enum { VIZ_VEC_QUERY, VIZ_VEC_CONTEXT, VIZ_VEC_CONCAT, VIZ_VEC_OUT };
/* the gradient vectors of a backward step (VIZ_TAG_GRAD_CELL's a) */
enum { VIZ_GRAD_QUERY, VIZ_GRAD_HIDDEN, VIZ_GRAD_CONTEXT, VIZ_GRAD_OUT, VIZ_GRAD_ENC };
/* phases per decoder step with the backward view */
enum { VIZ_PHASES_BACKWARD = PH_COUNT + BPH_COUNT };

/* One line of the key help: the key(s) and what they do, in the UI language. */
typedef struct {
    const char *key, *what;
} VizHelpLine;

typedef struct {
    double tau;               /* the clock, in phases                         */
    bool playing;
    float speed;              /* 1 = normal                                   */
    bool dark;
    bool help;                /* the key overlay                              */
    bool mouse_in;
    float mouse_x, mouse_y;   /* window units                                 */
    const char *title;        /* model/task line, or NULL                     */
    const char *status;       /* shown in the title line's place (e.g. where a file went), or NULL */
    const char *message;      /* one status line (e.g. an error), or NULL     */
    bool message_ok;          /* the message reports something done, not a problem */
    /* live switching (issue 5) */
    const Trace *prev;        /* the decoding before a switch, or NULL        */
    float morph;              /* 0: prev's weights and scores … 1: the trace's */
    unsigned score_avail;     /* bit k: a model with ScoreKind k exists; 0: no toolbar */
    const char *task;         /* for the toolbar's tooltips, or NULL          */
    bool editing;             /* the input fields are open                    */
    int edit_field;           /* 0 the input, 1 the reference target          */
    const char *edit_text[2]; /* their contents (UTF-8)                       */
    int edit_cursor, edit_anchor;  /* in the active field: byte offsets of the caret and the selection's other end */
    const char *composition;  /* text being composed by the input method, or NULL */
    float tf_p;               /* teacher-forcing p for the next decoding      */
    bool tf_on;               /* teacher forcing is on                        */
    bool tf_slider;           /* show the p slider (a reference exists)       */
    /* compare: the trace's alignment beside another decoding of the same
     * input (another score, or free running vs teacher forced), and their
     * difference */
    const Trace *cmp;         /* NULL: the normal view                        */
    const char *cmp_name[2];  /* what the trace and cmp are, e.g. "general"  */
    const char *cmp_what;     /* one line: what is compared                   */
    /* the model menu (M) */
    bool menu_open;
    const char *const *menu;  /* menu_n lines, one per model file             */
    int menu_n, menu_sel, menu_cur;
    const char *const *menu_group;  /* per line: its task (a column at the left), or NULL */
    /* the key help (shown when help is set): exactly these help_n lines, in
     * this order; the app builds them from the keys it handles */
    const VizHelpLine *help_lines;
    int help_n;
    /* the width the layout is designed for (0: 1280): the type scales with
     * min(W / design_w, H / 720). Lesson mode gives the view less width
     * (the narration takes the rest) and a smaller design_w keeps the type
     * large enough for a projector. */
    float design_w;
    const char *lang;         /* "ko": the captions in Korean; NULL: English */
    /* readable from the back of the room (issue 13) */
    float zoom;               /* Ctrl+= Ctrl+-: everything larger or smaller (0: 1) */
    float text_min;           /* the smallest text, window units (0: viz_text_min of the
                                 frame; a lesson passes its window's, not the view's part) */
    bool present;             /* presentation mode: the chrome (toolbar, title line,
                                 slider) is hidden, the diagram takes its room */
    /* the backward pass (issue 12): grad is the gradient of this very
     * decoding (seq2seq_grad_trace gave both); with backward set, each step
     * plays its backward phases after its forward ones */
    const GradTrace *grad;
    bool backward;
    int pin;                  /* 1 + the source position clicked (its column highlighted at every step); 0: none */
    /* the source vocabulary */
    const char *unknown;      /* one line: the typed tokens the model does not know, or NULL */
    bool vocab_open;          /* the list of what it knows (K)                */
    const char *const *vocab; /* vocab_n entries, in the order to show         */
    int vocab_n, vocab_scroll;  /* vocab_scroll: the first row shown          */
    bool vocab_chars;         /* the entries are characters, not words        */
} VizState;

/* The smallest text the class must read, in window units, in a W × H
 * window at zoom z: 16 at 1280×720 and never under 14 (1024×600), growing
 * with the window (24 at 1920×1080), times z. A sub- or superscript counts
 * at its own size (TEXT_SCRIPT_SCALE): a run with one is drawn larger. */
float viz_text_min(float W, float H, float zoom);

/* A token as shown: a space becomes a middle dot, tab and newline "\t", "\n". */
const char *viz_tok_show(const char *s);

/* Largest τ: the end of the last step's last phase. */
double viz_tau_end(const Trace *tr);
/* τ at the start of a phase of step t (1-based), clamped to the trace. */
double viz_tau_at(const Trace *tr, int step, int phase);
/* Split τ into step (0-based), phase and progress. */
void viz_clock(const Trace *tr, double tau, int *step, int *phase, float *progress);
/* The same with nph phases per step (PH_COUNT, or VIZ_PHASES_BACKWARD). */
double viz_tau_end_n(const Trace *tr, int nph);
double viz_tau_at_n(const Trace *tr, int nph, int step, int phase);
void viz_clock_n(const Trace *tr, int nph, double tau, int *step, int *phase, float *progress);
/* Phases per step of the frame st describes: VIZ_PHASES_BACKWARD when it
 * steps backward with a gradient of this decoding (same S and T), else
 * PH_COUNT. */
int viz_step_phases(const Trace *tr, const VizState *st);
/* Whether the trace's model has phase ph. A model without attention (score
 * none) has no scores, softmax, context or combine: its step is encoder,
 * decoder (PH_QUERY), output, next. */
bool viz_phase_shown(const Trace *tr, int ph);
/* How many phases a step of tr shows (8, or 4 without attention), and the
 * place of ph among them (0-based; a phase not shown: the next shown one's). */
int viz_phases_shown(const Trace *tr);
int viz_phase_rank(const Trace *tr, int ph);
/* τ moved forward out of a phase the model does not have, to the same
 * progress in the next phase it has (τ itself when its phase is shown). */
double viz_tau_shown(const Trace *tr, double tau);
/* The same with nph phases per step (the backward phases are all shown). */
double viz_tau_shown_n(const Trace *tr, int nph, double tau);

/* The whole frame for a window of W × H units. */
void viz_build(DrawList *dl, const Trace *tr, const VizState *st, float W, float H);
Color viz_background(bool dark);
/* Over a frame without a decoding (the picker, a chart slide, a lesson's
 * error): st's status message and, when st->help, the key help, in a W × H
 * window. */
void viz_overlays(DrawList *dl, const VizState *st, float W, float H);

/* The ScoreKind of the toolbar button under the point, or -1. */
int viz_score_hit(const DrawList *dl, float x, float y, bool *enabled);

/* τ under the point if it is on the timeline track of dl (with as many
 * phases per step as the frame was drawn with), else -1. */
double viz_timeline_hit(const DrawList *dl, const Trace *tr, float x, float y);

/* The colours of the two legends' cells in this theme (values, then
 * weights, step by step): at most cap, returns how many. A GIF keeps them
 * all in its palette, so a scale never loses a step. */
int viz_legend_colors(bool dark, Color *out, int cap);

/* A synthetic but self-consistent trace (softmax of the scores, contexts
 * as weighted sums), for tests and demos without a model. Deterministic in
 * seed. src is split into characters; out_len output steps, the last one
 * predicting <eos>. */
int viz_demo_trace(Trace *tr, const char *src, int out_len, StyleKind style, ScoreKind score,
                   bool with_reference, uint64_t seed, char *err);

#endif
