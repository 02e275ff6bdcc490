/* caption.h — the words and formulas at the top of the view, as text: a pure
 * function of (trace, step, phase, source position, language), testable
 * without a draw list. panel_header.c only lays out what it returns.
 *
 *   title    "4. Softmax"                       what      "scores become weights that sum to 1"
 *   formula  "a_t(s) = exp(score_s) / Σ_{s'} exp(score_{s'})"
 *   numbers  "s = 3 ('N'):   exp(2.104) / Σ exp = 8.199 / 11.3 = 0.7256"
 *   step     "step 2 / 11"
 *
 * Notation follows MODEL.md (h̄_s encoder states, h̃_t the attentional state,
 * a_t(s) the weights, c_t the context); the words come from ui_strings.
 */
#ifndef CAPTION_H
#define CAPTION_H

#include <stddef.h>

#include "../engine/gradtrace.h"
#include "../engine/trace.h"

typedef struct {
    char title[160];     /* the phase: "4. Softmax"                          */
    char what[256];      /* what the phase does                               */
    char formula[256];   /* the phase's formula                               */
    char numbers[512];   /* the actual numbers, "" when there are none        */
    char step[64];       /* "step t / T"                                      */
} VizCaption;

/* The caption of step t (0-based, as viz_clock gives it) at phase ph
 * (Phase), with the numbers about source position focus (0-based; -1: none,
 * then the numbers line is general or empty), in lang ("ko": Korean, else
 * English). t and ph are clamped to the trace; an empty trace gives empty
 * strings. */
void viz_caption(VizCaption *c, const Trace *tr, int t, int ph, int focus, const char *lang);

/* The caption of backward phase bph (BackPhase, base/phase.h) of step t,
 * from g, the gradient of the decoding tr (caption_back.c): the formula
 * writes the chain rule out, the numbers are g's (and tr's) at source
 * position focus. Clamped like viz_caption; a g of another decoding (other
 * S or T) gives empty strings. */
void viz_back_caption(VizCaption *c, const Trace *tr, const GradTrace *g, int t, int bph, int focus, const char *lang);
/* How the decoder's start state comes from the encoder: "h_0 = h̄_S" (one
 * direction; "h_0 = h̄_1" when the source is read backwards, its last read
 * state), or the bridge "h_0 = tanh(W_b [h→_S ; h←_1] + b_b)" (both). */
void viz_h0_formula(const Trace *tr, char *b, size_t n);

/* The trace's score function, "score(q, h̄_s) = q^T W_a h̄_s" (for none: a
 * sentence saying there is no attention). */
void viz_score_formula(const Trace *tr, const char *lang, char *b, size_t n);

#endif
