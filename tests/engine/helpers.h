/* helpers.h — small models and data sets built in memory for the engine tests, and a JSON file read whole. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/model.h"
#include "engine/seq2seq.h"

/* A vocabulary of the four specials plus n single letters from 'a'. */
static inline Vocab letters_vocab(int n) {
    const char *toks[64] = {"<pad>", "<sos>", "<eos>", "<unk>"};
    static char names[60][2];
    for (int i = 0; i < n; i++) {
        names[i][0] = (char)('a' + i);
        names[i][1] = 0;
        toks[4 + i] = names[i];
    }
    Vocab v;
    char err[AV_ERR_LEN];
    if (vocab_init(&v, toks, 4 + n, err)) abort();
    return v;
}

/* A data set from n pairs given as arrays of ids (targets WITHOUT <eos>,
 * which is appended), each list terminated by -1. */
static inline Dataset make_dataset(int n, const int *const *src, const int *const *tgt) {
    Dataset d = {0};
    d.n = n;
    d.src_off = calloc((size_t)n, sizeof(int));
    d.src_len = calloc((size_t)n, sizeof(int));
    d.tgt_off = calloc((size_t)n, sizeof(int));
    d.tgt_len = calloc((size_t)n, sizeof(int));
    int total = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; src[i][k] >= 0; k++) total++;
        for (int k = 0; tgt[i][k] >= 0; k++) total++;
        total++;
    }
    d.ids = calloc((size_t)total, sizeof(int));
    int o = 0;
    for (int i = 0; i < n; i++) {
        d.src_off[i] = o;
        for (int k = 0; src[i][k] >= 0; k++) d.ids[o++] = src[i][k];
        d.src_len[i] = o - d.src_off[i];
        d.tgt_off[i] = o;
        for (int k = 0; tgt[i][k] >= 0; k++) d.ids[o++] = tgt[i][k];
        d.ids[o++] = TOK_EOS;
        d.tgt_len[i] = o - d.tgt_off[i];
        if (d.src_len[i] > d.max_src) d.max_src = d.src_len[i];
        if (d.tgt_len[i] > d.max_tgt) d.max_tgt = d.tgt_len[i];
    }
    return d;
}

static inline ModelConfig small_config(CellKind cell, StyleKind style, ScoreKind score, bool bi) {
    ModelConfig c = {0};
    c.cell = cell;
    c.style = style;
    c.score = score;
    c.bidirectional = bi;
    c.embed = 3;
    c.enc_hidden = bi ? 3 : 5;
    c.hidden = bi ? 6 : 5;
    c.attn_dim = (score == SCORE_CONCAT || score == SCORE_ADDITIVE) ? 4 : 0;
    c.tokenizer = TOK_CHAR;
    return c;
}

static inline int make_model(Model *m, const ModelConfig *c, int vs, int vt, uint64_t seed) {
    Vocab src = letters_vocab(vs), tgt = letters_vocab(vt);
    Rng r;
    rng_seed(&r, seed);
    char err[AV_ERR_LEN];
    int rc = model_create(m, c, &src, &tgt, &r, err);
    if (rc) fprintf(stderr, "model_create: %s\n", err);
    vocab_free(&src);
    vocab_free(&tgt);
    return rc;
}

static inline const char *cfg_label(const ModelConfig *c, char *buf, size_t n) {
    snprintf(buf, n, "%s/%s/%s%s%s%s%s%s", cell_name(c->cell), style_name(c->style), score_name(c->score),
             c->bidirectional ? "/bi" : "", c->input_feed ? "/feed" : "",
             c->reverse_source ? "/rev" : "", c->attn_bias ? "/bias" : "", c->source_eos ? "/eos" : "");
    return buf;
}

/* A JSON file, read and parsed whole; the test stops when it cannot be. */
static inline cJSON *read_json(const char *path) {
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s (run the tests from the repository root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    cr_assert(b);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = 0;
    cJSON *j = cJSON_Parse(b);
    free(b);
    cr_assert(j, "%s is not valid JSON", path);
    return j;
}

#endif
