/* grad_fixture.h — a decoding and its gradient for the backward view's tests: a small random model of any style and
 * score (untrained: only the plumbing matters), reading "abcde" against the reference "edcba". */
#ifndef TESTS_VIZ_GRAD_FIXTURE_H
#define TESTS_VIZ_GRAD_FIXTURE_H

#include <criterion/criterion.h>

#include "engine/gradtrace.h"
#include "viz/view.h"

/* tf: teacher forcing's p (1: every input the reference, 0: the model's own). */
static inline void grad_fixture(Trace *tr, GradTrace *g, StyleKind style, ScoreKind score, float tf) {
    static const char *const TOK[] = {"<pad>", "<sos>", "<eos>", "<unk>", "a", "b", "c", "d", "e", "f", "g", "h"};
    char err[AV_ERR_LEN];
    Vocab v;
    cr_assert_eq(vocab_init(&v, TOK, 12, err), 0, "%s", err);
    ModelConfig c = {.cell = CELL_LSTM, .style = style, .score = score, .bidirectional = true, .embed = 6,
                     .enc_hidden = 4, .hidden = 8, .attn_dim = score == SCORE_CONCAT || score == SCORE_ADDITIVE ? 6 : 0,
                     .tokenizer = TOK_CHAR};
    Model m;
    Rng r;
    rng_seed(&r, 40 + (uint64_t)score + 7 * (uint64_t)style);
    cr_assert_eq(model_create(&m, &c, &v, &v, &r, err), 0, "%s", err);
    const int src[5] = {4, 5, 6, 7, 8}, ref[5] = {8, 7, 6, 5, 4};
    DecodeDesc d = {.reference = ref, .ref_len = 5, .teacher_forcing = tf, .seed = 3};
    cr_assert_eq(seq2seq_grad_trace(&m, src, 5, &d, 0.5f, g, tr, err), 0, "%s", err);
    model_free(&m);
    vocab_free(&v);
}

/* The view's state at τ with the backward phases of g on (g NULL: off), teacher forcing shown at p = 1. */
static inline VizState grad_view_state(const GradTrace *g, double tau) {
    return (VizState){.speed = 1, .tau = tau, .grad = g, .backward = g != NULL, .score_avail = 0x3F, .tf_slider = true,
                      .tf_on = true, .tf_p = 1};
}

#endif
