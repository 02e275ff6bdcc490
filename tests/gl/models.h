/* models.h — small random models written to a scratch folder for the GL tests (untrained: only their plumbing matters), and a small training of one. */
#ifndef TESTS_GL_MODELS_H
#define TESTS_GL_MODELS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "engine/model.h"

/* <dir>/reverse-<score>.safetensors: a "reverse" model over the letters a–f. */
static inline void save_random_model(const char *dir, ScoreKind score, char *err) {
    static const char *const TOK[] = {"<pad>", "<sos>", "<eos>", "<unk>", "a", "b", "c", "d", "e", "f"};
    Vocab v;
    cr_assert_eq(vocab_init(&v, TOK, 10, err), 0, "%s", err);
    ModelConfig c = {.cell = CELL_LSTM, .style = STYLE_LUONG, .score = score, .embed = 6, .enc_hidden = 8, .hidden = 8,
                     .attn_dim = score == SCORE_CONCAT || score == SCORE_ADDITIVE ? 8 : 0, .tokenizer = TOK_CHAR};
    Model m;
    Rng r;
    rng_seed(&r, 10 + (uint64_t)score);
    cr_assert_eq(model_create(&m, &c, &v, &v, &r, err), 0, "%s", err);
    m.task = strdup("reverse");
    char path[256];
    snprintf(path, sizeof path, "%s/reverse-%s.safetensors", dir, score_name(score));
    cr_assert_eq(model_save(&m, path, err), 0, "%s", err);
    model_free(&m);
    vocab_free(&v);
}

/* A training of a model like the decoding's (a reverse model) on a small
 * data set, probed with "abcd": training, or paused at step 0 (the tests
 * need its screen and its keys, not its learning). */
static inline void start_small_training(App *a, bool training) {
    char err[AV_ERR_LEN];
    TrainStart t;
    cr_assert(train_like_model(&a->session.model, "reverse", &t, err), "%s", err);
    t.n_train = 2000;
    t.training = training;
    t.probe = "abcd";
    t.reference = "dcba";
    cr_assert_eq(train_start(a, &t, err), 0, "%s", err);
}

/* The scratch folder and everything in it. */
static inline void remove_folder(const char *dir) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

#endif
