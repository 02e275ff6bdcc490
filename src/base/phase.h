/* phase.h — the visualizer's phases of one decoder step, in playing order, and their names.
 *
 * One enum for the view, the app and the lesson files (`phase: softmax`).
 * The backward pass has phases of its own (BackPhase), played after a
 * step's forward ones when the view steps backward (`direction: backward`).
 */
#ifndef BASE_PHASE_H
#define BASE_PHASE_H

typedef enum {
    PH_UNSET = -1,    /* a lesson slide that does not say */
    PH_ENCODER, PH_QUERY, PH_SCORES, PH_SOFTMAX, PH_CONTEXT, PH_COMBINE, PH_OUTPUT, PH_NEXT,
    PH_COUNT
} Phase;

/* "encoder" … "next"; "unset" for PH_UNSET, "?" for anything else. */
const char *phase_name(int phase);
/* The phase named s (exactly, lower case): 0, or -1 when unknown. */
int phase_parse(const char *s, Phase *out);

/* The backward pass of one decoder step, in the order the gradient flows:
 * the loss at the reference token, the output's gradient p − onehot(y*),
 * back through W_o into the state W_o reads, split into the context and the
 * decoder state, into the weights, through the softmax into the scores,
 * through the score function into the query, the encoder states (from every
 * step) and the words; then one SGD step with it. */
typedef enum {
    BPH_LOSS, BPH_LOGITS, BPH_STATE, BPH_SPLIT, BPH_WEIGHTS, BPH_SCORES, BPH_QUERY, BPH_ENCODER, BPH_STEP,
    BPH_COUNT
} BackPhase;

/* "loss" … "step", "?" for anything else; and the backward phase named s:
 * 0, or -1 when unknown. */
const char *back_phase_name(int phase);
int back_phase_parse(const char *s, BackPhase *out);

#endif
