/* panel.h — what the view's panel files share (internal to src/viz): the
 * View context of one frame (trace, UI state, theme, layout, what the clock
 * says), the layout, small easing and colour helpers, and the text fitting
 * every panel uses; then one function per panel, in the order viz_build
 * calls them.
 *
 * Layout, designed at 1280×720 window units and scaled by u = min(W/1280,
 * H/720) (so 1024×600 is the same picture at 0.8):
 *
 *   ┌ caption: the phase, what it does ─────────────────── step t / T ┐  panel_header.c
 *   │ formula of the phase, in MODEL.md notation          ▭ values    │  (text: caption.c,
 *   │ the actual numbers, for the highlighted source position ▭ weights│   legend: panel_chrome.c)
 *   ├──────────────────────────────────────────┬──────────────────────┤
 *   │ source tokens   x_1 … x_S                 │ decoder, top to      │  panel_encoder.c
 *   │ encoder states  h̄_s as vertical strips    │ bottom in the order  │
 *   │ scores → softmax bars, one per column     │ of the style: input, │  panel_score_bars.c
 *   │ alignment matrix: one row per output      │ cell, q, c_t, h̃_t,   │  panel_matrix.c
 *   │   token, columns shared with the above    │ top-k output, coin   │  panel_decoder.c
 *   ├──────────────────────────────────────────┴──────────────────────┤
 *   │ timeline: every phase of every step, click to jump              │  panel_chrome.c
 *   │ score buttons (1–6)   model · input · reference   forcing p ━━○ │
 *
 * Compare mode (C, V) replaces the body with three matrices (panel_compare.c).
 * Overlays (tooltips, the input fields, the model menu, help, the message)
 * come last in the list, after dl_begin_overlay (panel_overlays.c).
 * The matrix shares its columns with the tokens, strips and bars, so a
 * column is one source position all the way down and needs no labels of
 * its own. Vectors are coloured by value with the diverging map on [-1, 1]
 * (LSTM/GRU states, contexts and tanh outputs all live there); weights and
 * probabilities with viridis on [0, 1].
 */
#ifndef PANEL_H
#define PANEL_H

#include <math.h>
#include <stddef.h>

#include "../base/colormap.h"
#include "theme.h"
#include "ui_strings.h"
#include "view.h"

/* ---- layout ---- */

/* How the source tokens over the columns are labelled (panel_encoder.c):
 * each in its column; in two or three staggered rows (a label may take as
 * many columns); or, when even that is too narrow, as many as fit without
 * overlapping, in two rows (the highlighted one always, the others in
 * order), the hover's tooltip naming any other. */
typedef enum { TOK_LABELS_ONE_ROW, TOK_LABELS_STAGGERED, TOK_LABELS_THINNED } TokLabels;

typedef struct {
    float W, H, u, pad, z;
    float fmin;                       /* the smallest text (viz_text_min)            */
    float f_cap, f_form, f_label, f_small;
    float cap_y, form_y, num_y, body_y, body_y1;
    int form_lines;                   /* lines the header keeps for a formula (1, or 2: panel_header.c) */
    float lx0, cx0, cw, colw_strip;   /* label column, first column, column width, strip width */
    float tok_y, tok_h, tok_px, strip_y, strip_h, bar_y, bar_h, barnum_y, barnum_h, mat_y, row_h;
    float share_h;                    /* the height strips, bars and rows share     */
    TokLabels tok_labels;
    int tok_rows;                     /* rows of token labels (1–3)                 */
    float tok_room;                   /* a label's width when staggered or in one row */
    float rows_legend_y;              /* the line under the matrix that says what its rows' ends mean (< 0: none) */
    float note_y, rows_end;           /* the unknown-token line (ROWS_NOTE); where the rows must end */
    float rx0, rx1;                   /* right panel */
    float tl_x, tl_y, tl_w, tl_h;     /* timeline track */
    int tl_rows;                      /* rows of its labels (1, or 2 staggered) */
    float bar2_y, bar2_h;             /* the row under it: score buttons, title, slider */
    bool chrome;                      /* the toolbar row is drawn (not presenting) */
    int S, T;
} Layout;

/* What the end of each matrix row holds (panel_rows.c), so the layout keeps
 * room for it beside the columns. */
enum { ROWS_P = 1 /* the chosen token's probability */, ROWS_REF = 2 /* the reference token */,
       ROWS_NOTE = 4 /* a line under the rows: the source tokens the model does not know */ };

/* The layout of a W × H frame for the trace and the state (text measured in
 * dl; rows: ROWS_* bits). */
Layout viz_layout(const DrawList *dl, const Trace *tr, const VizState *st, float W, float H, int rows);
/* Only the scale and the type, for what is drawn over a screen without a
 * decoding (the key help, a message). */
Layout viz_layout_plain(const VizState *st, float W, float H);

/* The left edge of the colour legends (panel_legend), which share the
 * formula and numbers lines: text on those lines stops before it. */
float viz_legend_x0(const DrawList *dl, const Layout *L, const char *lang);

static inline float col_x(const Layout *L, int s) { return L->cx0 + (float)s * L->cw; }

/* ---- what the clock says ---- */

typedef struct {
    const Trace *tr;
    const VizState *st;
    Theme th;
    Layout L;
    int t, ph;         /* current step (0-based) and phase */
    float pr;          /* progress in the phase */
    bool attn;         /* the model has attention */
    bool luong;
    int focus;         /* highlighted source position, -1 none */
    int pin;           /* the source position clicked (VizState.pin), -1 none */
    int hover_s;       /* source column under the mouse, -1 */
    float maxabs;      /* largest |score| of this step */
    int nph;           /* phases per step: PH_COUNT, or VIZ_PHASES_BACKWARD */
    const GradTrace *g;/* the gradient when the clock has backward phases, else NULL */
} View;

/* ---- easing and colour ---- */

static inline float clamp01(float x) { return x < 0 ? 0 : x > 1 ? 1 : x; }
static inline float ease(float x) { x = clamp01(x); return x * x * (3 - 2 * x); }
static inline float seg(float p, float a, float b) { return clamp01((p - a) / (b - a)); }
static inline float lerp(float a, float b, float t) { return a + (b - a) * t; }
static inline Color rgb(Rgb8 c) { return (Color){c.r, c.g, c.b, 255}; }
static inline Color alpha(Color c, float a) { c.a = (uint8_t)lroundf((float)c.a * clamp01(a)); return c; }
static inline Color mix(Color a, Color b, float t) {
    return (Color){(uint8_t)lroundf(lerp(a.r, b.r, t)), (uint8_t)lroundf(lerp(a.g, b.g, t)),
                   (uint8_t)lroundf(lerp(a.b, b.b, t)), (uint8_t)lroundf(lerp(a.a, b.a, t))};
}
static inline Color vir_col(float v) { return rgb(colormap_viridis(v)); }

/* A signed value's colour (states, scores, differences) in the theme's
 * diverging map: RdBu on light, whose middle is near white; on dark its
 * mirror, whose middle is dark, so brightness means magnitude there too
 * (colormap.h). The legend uses the same function: it stays a faithful key. */
static inline Color val_col(float v, bool dark) { return rgb(colormap_signed(v, dark)); }

/* A gradient's colour (t = ∂L/∂x over the scale's end, in [-1, 1]): the
 * purple–orange map that never passes for a value; in the dark theme near
 * zero sinks into the background, as val_col does. */
static inline Color grad_col(float t, bool dark) { return rgb(colormap_grad(t, dark)); }   /* as the exports */

/* The smallest type the class reads (viz_text_min: 16 px at 1280×720, 14 at
 * 1024×600, times the zoom), and the small labels of the backward panels,
 * never below it. */
static inline float bk_min_px(const Layout *L) { return L->fmin; }
static inline float bk_small(const Layout *L) { return fmaxf(L->f_small, bk_min_px(L)); }

/* ---- the trace at this moment ---- */

/* The weight and score of step r at s, morphing from the decoding before a
 * switch (same source, other model) to this one. */
static inline bool morphing(const View *v, int r) {
    const Trace *p = v->st->prev;
    return p && v->st->morph < 1 && p->S == v->tr->S && r < p->T && p->steps[r].weights;
}
static inline float weight_at(const View *v, int r, int s) {
    float w = v->tr->steps[r].weights[s];
    return morphing(v, r) ? lerp(v->st->prev->steps[r].weights[s], w, ease(v->st->morph)) : w;
}
static inline float score_at(const View *v, int r, int s) {
    float x = v->tr->steps[r].scores[s];
    return morphing(v, r) ? lerp(v->st->prev->steps[r].scores[s], x, ease(v->st->morph)) : x;
}

/* progress of phase P of the current step: 0 before, 1 after */
static inline float prog(const View *v, int P) { return v->ph > P ? 1 : v->ph < P ? 0 : v->pr; }
/* the backward phase (BackPhase) the clock is in, -1 in a forward phase;
 * and the progress of backward phase P (0 in the forward phases) */
static inline int back_ph(const View *v) { return v->ph >= PH_COUNT ? v->ph - PH_COUNT : -1; }
static inline float bprog(const View *v, int P) { return prog(v, PH_COUNT + P); }

static inline const char *tok(const View *v, int id) { return viz_tok_show(trace_token(v->tr, id)); }

/* a UI string in the view's language */
static inline const char *ui(const View *v, UiStr id) { return ui_str(v->st->lang, id); }

static inline int argmax(const float *x, int n) {
    int b = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[b]) b = i;
    return b;
}

static inline const char *cell_label(const Trace *tr) { return tr->cfg.cell == CELL_LSTM ? "LSTM" : "GRU"; }

/* "[0.12, -0.50, 0.33, …]": the first k of n values */
void viz_fmt_vec(char *buf, size_t cap, const float *v, int n, int k);

/* ---- text and strips ---- */

/* Every text a panel draws is at least L->fmin units, and a run with a sub-
 * or superscript (TEXT_MATH and `_` or `^`) at least fmin / TEXT_SCRIPT_SCALE,
 * so that its scripts are fmin too (view.h: viz_text_min). */
float viz_floor(const Layout *L, const char *s, int flags);
/* Shrink px until s fits w, down to min_px; returns the size or 0 if even
 * min_px does not fit. */
float viz_fit(const DrawList *dl, const char *s, float w, float px, float min_px, int flags);
/* s shortened to fit w at px with "…" at its end (FIT_END) or in its middle
 * (FIT_MIDDLE: the start and the end stay), on character boundaries and
 * never inside a TEXT_MATH group; into out (cap bytes). Returns out, or s
 * itself when it fits. */
typedef enum { FIT_END, FIT_MIDDLE, FIT_START } FitHow;   /* FIT_START: "…" and the end */
const char *viz_shorten(const DrawList *dl, const char *s, float w, float px, int flags, FitHow how, char *out, size_t cap);
/* s at px shrunk to fit w, never under its floor; shortened (how) when even
 * that does not fit. Returns the command (NULL when nothing fits). */
DlCmd *viz_text_fit(DrawList *dl, const Layout *L, float x, float y, float w, float px, int flags, Color c, const char *s,
                    FitHow how);
/* s at px word-wrapped into w, at most max_lines lines (the last one
 * shortened), each line lh apart; returns the number of lines drawn. */
int viz_text_wrap(DrawList *dl, const Layout *L, float x, float y, float w, float px, float lh, int max_lines, int flags,
                  Color c, const char *s);
/* How many lines viz_text_wrap would draw. */
int viz_wrap_lines(const DrawList *dl, const Layout *L, float w, float px, int max_lines, int flags, const char *s);
/* The backward panels' labels: s at px (at least its floor, viz_floor)
 * shrunk to fit w, never under the floor; 0 when it does not fit. */
static inline float bk_fit(const DrawList *dl, const Layout *L, const char *s, float w, float px, int flags) {
    float floor_px = viz_floor(L, s, flags);
    return viz_fit(dl, s, w, fmaxf(px, floor_px), floor_px, flags);
}
/* Text centred on cx in a box of width w: shrunk to fit (not under its
 * floor), or shortened with an ellipsis. Returns the command or NULL. */
DlCmd *viz_text_center(DrawList *dl, const Layout *L, float cx, float y, float w, float px, int flags, Color c,
                       const char *s);
void viz_text_right(DrawList *dl, float rx, float y, float px, int flags, Color c, const char *s);
/* Thinning labels that do not all fit: label i is w[i] wide, centred on
 * cx[i] (increasing); show[i] is set for the ones drawn — keep first (when
 * >= 0), then every other one from the left that stays gap clear of those
 * already shown. Returns how many are shown. */
int viz_thin_labels(const float *cx, const float *w, int n, int keep, float gap, bool *show);
/* The same, returning the command (NULL when nothing was drawn). */
DlCmd *viz_text_right_cmd(DrawList *dl, float rx, float y, float px, int flags, Color c, const char *s);
/* A vector as a horizontal strip of coloured cells (values in [-1, 1]),
 * each tagged VIZ_TAG_VEC_CELL (a = vec, b = dimension) with its value. */
void viz_hstrip(DrawList *dl, float x, float y, float w, float h, const float *v, int n, float a, int vec, bool dark);

/* ---- the panels, in the order viz_build draws them ---- */

void panel_header(DrawList *dl, const View *v);       /* panel_header.c: caption, formula, numbers */
/* panel_header.c: 2 when the backward phases are on and one of their formulas does not fit the header's formula
 * line at the readable size (beside a lesson's narration): the header then keeps two lines for the formula, in
 * every phase of the decoding, so that nothing under it moves from phase to phase; else 1. Needs L's type. */
int viz_header_formula_lines(const DrawList *dl, const Layout *L, const Trace *tr, const VizState *st);
void panel_legend(DrawList *dl, const View *v);       /* panel_chrome.c: the two colour scales     */
void panel_encoder(DrawList *dl, const View *v);      /* panel_encoder.c: tokens and h̄_s strips   */
void panel_score_bars(DrawList *dl, const View *v);   /* panel_score_bars.c: scores → softmax      */
void panel_matrix(DrawList *dl, const View *v);       /* panel_matrix.c: the alignment matrix      */
void panel_pin(DrawList *dl, const View *v);          /* panel_pin.c: a clicked word's column      */
void panel_rows(DrawList *dl, const View *v);         /* panel_rows.c: p and the reference per row */
void panel_handover(DrawList *dl, const View *v);     /* panel_handover.c: no attention: h_0       */
void panel_outrow(DrawList *dl, const View *v);       /* panel_outrow.c: no attention: the output  */
void panel_unknown(DrawList *dl, const View *v);      /* panel_vocab.c: the unknown tokens' line   */
void panel_vocab(DrawList *dl, const View *v);        /* panel_vocab.c: the vocabulary list (K)    */
void panel_decoder(DrawList *dl, const View *v);      /* panel_decoder.c: the right panel          */
bool panel_loupe(DrawList *dl, const View *v);        /* panel_loupe.c: long inputs magnified by the pointer (true: drawn) */
void panel_compare(DrawList *dl, const View *v);      /* panel_compare.c: replaces the body        */
void panel_bottom_bar(DrawList *dl, const View *v);   /* panel_chrome.c: timeline, toolbar, slider */
/* the backward phases (issue 12), drawn on the forward picture of the step */
void panel_back_body(DrawList *dl, const View *v);    /* panel_back.c: bars, strips, matrix of the gradient */
void panel_back_hover(DrawList *dl, const View *v);   /* panel_back.c: the gradient under the mouse      */
int viz_back_focus(const View *v);                    /* panel_back.c: the position a phase is about     */
void panel_back_decoder(DrawList *dl, const View *v); /* panel_back_decoder.c: the right panel, backward */
void panel_back_step(DrawList *dl, const View *v);    /* panel_back_step.c: one SGD step, before/after   */
/* The gradient's colour scale at x, y in at most w (its ends ±m), one line high; returns its width. */
float viz_grad_legend(DrawList *dl, const View *v, float x, float y, float w, float m, const char *what);
/* Largest |x_i|. */
float viz_absmax(const float *x, int n);
/* panel_overlays.c */
void panel_message(DrawList *dl, const View *v);
void panel_edit(DrawList *dl, const View *v);
void panel_menu(DrawList *dl, const View *v);
void panel_hover(DrawList *dl, const View *v);
void panel_score_tip(DrawList *dl, const View *v);    /* why a score button is (dis)abled */
void panel_help(DrawList *dl, const View *v);
void panel_tooltip(DrawList *dl, const View *v, const char *const *lines, int n);

#endif
