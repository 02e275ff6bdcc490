/* models.h — small random models written to a scratch folder for the GL tests (untrained: only their plumbing matters). */
#ifndef TESTS_GL_MODELS_H
#define TESTS_GL_MODELS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The scratch folder and everything in it. */
static inline void remove_folder(const char *dir) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

#endif
