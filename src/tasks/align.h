/* align.h — measures of an attention matrix: where the right alignment is known, how often the model looks there; and how spread out it looks.
 *
 * The right alignment (which source positions an output step should read) is
 * known for three tasks, by construction of their data:
 *   reverse   output step t reads source position S-1-t (the anti-diagonal)
 *   copy      output step t reads source position t (the diagonal)
 *   dates     the output YYYY-MM-DD: its four year digits read the input's
 *             year digits (all of them: "26" of "21.11.26" for 2026), the
 *             two month digits read the input's month (its digits, or its
 *             word: "November", "Nov", "NOV"), the two day digits the day's
 *             digits. The separators "-" have no right position, nor does
 *             any <eos>, nor a weekday, nor the Korean markers 년 월 일.
 * Positions count the source's char tokens (code points), in the input's
 * own order, as the trace's weights do; an <eos> the model appends to the
 * source (source_eos) comes after them and is never right.
 */
#ifndef ALIGN_H
#define ALIGN_H

#include "task.h"

/* Source positions [lo, hi); lo == hi: no right position for this step. */
typedef struct {
    int lo, hi;
} SrcSpan;

/* The right span of output steps 0 .. n-1 for source text src of task t,
 * written to out[0 .. min(n, cap)). Returns n, or -1 with err set when the
 * task has no known alignment or src is not one of its inputs (a date that
 * does not parse). */
int task_alignment(const Task *t, const char *src, SrcSpan *out, int cap, char *err);

/* The share of output steps (t < T and t < n, with a non-empty right span)
 * whose largest weight (the first, on a tie) falls inside the span.
 * weights is T × S, row t the attention of output step t. NAN when no step
 * has a right span. */
float alignment_accuracy(const float *weights, int T, int S, const SrcSpan *right, int n);

/* The mean over the T rows of the entropy of each row, −Σ_s a_s ln a_s in
 * nats (0 ln 0 = 0): ln S for uniform attention, 0 when every row puts all
 * its weight on one position. NAN when T or S is < 1. */
float attention_entropy(const float *weights, int T, int S);

#endif
