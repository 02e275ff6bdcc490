/* test_trace.c — the trace is the training forward pass, step by step.
 *
 * Invariants: weights and probs are distributions; the trace's own numbers
 * give the same loss as seq2seq_loss_grad; a batch with padding gives the
 * same loss as its examples one by one; reverse_source equals reversing the
 * input by hand (with the trace back in input order); teacher-forcing coins
 * come from the seed, in order, and decide the inputs; the JSON holds it all.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <unistd.h>

#include "helpers.h"

static const int SRC0[] = {4, 6, 8, 5, 7, -1}, SRC1[] = {5, 7, -1}, SRC2[] = {8, 4, 5, -1};
static const int TGT0[] = {5, 4, 7, 6, -1}, TGT1[] = {6, 6, -1}, TGT2[] = {7, -1};

static double trace_loss(const Trace *t) {
    double L = 0;
    for (int i = 0; i < t->T; i++) L -= log((double)t->steps[i].probs[t->steps[i].reference_id]);
    return L / t->T;
}

static void check_distributions(const Trace *t, const char *label) {
    for (int i = 0; i < t->T; i++) {
        const TraceStep *st = &t->steps[i];
        double sp = 0;
        for (int v = 0; v < t->V; v++) sp += st->probs[v];
        cr_expect(fabs(sp - 1) < 1e-5, "%s step %d: probs sum to %.8f", label, i, sp);
        int best = 0;
        for (int v = 1; v < t->V; v++) best = st->probs[v] > st->probs[best] ? v : best;
        cr_expect_eq(st->token_id, best, "%s step %d: token is not the argmax", label, i);
        if (t->cfg.score == SCORE_NONE) {
            cr_expect(!st->weights && !st->scores && !st->context && !st->query, "%s: none has attention", label);
            continue;
        }
        double sw = 0, mx = -INFINITY;
        for (int s = 0; s < t->S; s++) {
            sw += st->weights[s];
            mx = fmax(mx, st->scores[s]);
        }
        cr_expect(fabs(sw - 1) < 1e-5, "%s step %d: weights sum to %.8f", label, i, sw);
        /* weights are the softmax of the raw scores */
        double z = 0;
        for (int s = 0; s < t->S; s++) z += exp(st->scores[s] - mx);
        for (int s = 0; s < t->S; s++)
            cr_expect(fabs(st->weights[s] - exp(st->scores[s] - mx) / z) < 1e-5, "%s: weights ≠ softmax(scores)", label);
        /* context = Σ a_s h̄_s over the trace's own encoder states */
        for (int j = 0; j < t->D; j++) {
            double c = 0;
            for (int s = 0; s < t->S; s++) c += st->weights[s] * t->enc_states[s * t->D + j];
            cr_expect(fabs(c - st->context[j]) < 1e-5, "%s step %d: context[%d] ≠ Σ a h̄", label, i, j);
        }
        /* the query is h_t (Luong) or h_{t-1} (Bahdanau) */
        const float *want = t->cfg.style == STYLE_LUONG ? st->hidden : (i ? t->steps[i - 1].hidden : t->h0);
        cr_expect(memcmp(st->query, want, t->H * sizeof(float)) == 0, "%s step %d: wrong query", label, i);
    }
}

/* decoding against a reference with p = 1 is the training forward pass */
Test(trace, matches_loss_path_every_config) {
    const int *src[] = {SRC0, SRC1, SRC2}, *tgt[] = {TGT0, TGT1, TGT2};
    Dataset d = make_dataset(3, src, tgt);
    for (int cell = 0; cell < 2; cell++)
        for (int style = 0; style < 2; style++)
            for (int score = 0; score <= SCORE_ADDITIVE; score++)
                for (int bi = 0; bi < 2; bi++) {
                    ModelConfig c = small_config((CellKind)cell, (StyleKind)style, (ScoreKind)score, bi);
                    c.input_feed = style == STYLE_LUONG && score != SCORE_NONE && bi;
                    char label[128];
                    cfg_label(&c, label, sizeof label);
                    Model m;
                    cr_assert_eq(make_model(&m, &c, 5, 4, 3), 0);
                    double sum = 0;
                    int ntok = 0;
                    for (int e = 0; e < 3; e++) {
                        DecodeDesc dd = {.reference = d.ids + d.tgt_off[e], .ref_len = d.tgt_len[e] - 1,
                                         .teacher_forcing = 1.0f, .seed = 9};
                        Trace t;
                        char err[AV_ERR_LEN];
                        cr_assert_eq(seq2seq_decode(&m, d.ids + d.src_off[e], d.src_len[e], &dd, &t, err), 0, "%s", err);
                        cr_assert_eq(t.T, d.tgt_len[e], "%s: T", label);
                        check_distributions(&t, label);
                        int idx = e;
                        float L = seq2seq_loss_grad(&m, &d, &idx, 1, 1.0f, NULL, NULL, NULL, NULL, err);
                        cr_expect(fabs(L - trace_loss(&t)) < 1e-5 * fmax(1, L), "%s: loss %.7f, trace %.7f", label, L, trace_loss(&t));
                        sum += trace_loss(&t) * t.T;
                        ntok += t.T;
                        for (int i = 0; i < t.T; i++) {
                            int want = i == 0 ? TOK_SOS : d.ids[d.tgt_off[e] + i - 1];
                            cr_expect_eq(t.steps[i].input_id, want, "%s: step %d input", label, i);
                            cr_expect_eq(t.steps[i].reference_id, d.ids[d.tgt_off[e] + i]);
                        }
                        trace_free(&t);
                    }
                    /* the padded batch of all three gives the mean over all tokens */
                    int idx[3] = {0, 1, 2};
                    char err[AV_ERR_LEN];
                    float Lb = seq2seq_loss_grad(&m, &d, idx, 3, 1.0f, NULL, NULL, NULL, NULL, err);
                    cr_expect(fabs(Lb - sum / ntok) < 1e-5, "%s: batch loss %.7f, one by one %.7f", label, Lb, sum / ntok);
                    model_free(&m);
                }
    dataset_free(&d);
}

Test(trace, reverse_source_is_input_order) {
    for (int bi = 0; bi < 2; bi++) {
        ModelConfig c = small_config(CELL_GRU, STYLE_BAHDANAU, SCORE_CONCAT, bi);
        Model fwd, rev;
        cr_assert_eq(make_model(&fwd, &c, 5, 4, 11), 0);
        c.reverse_source = true;
        cr_assert_eq(make_model(&rev, &c, 5, 4, 11), 0);
        int in[] = {4, 8, 5, 6, 6}, flipped[] = {6, 6, 5, 8, 4};
        DecodeDesc dd = {.max_len = 6};
        Trace a, b;
        cr_assert_eq(seq2seq_decode(&fwd, flipped, 5, &dd, &a, NULL), 0);
        cr_assert_eq(seq2seq_decode(&rev, in, 5, &dd, &b, NULL), 0);
        cr_assert_eq(a.T, b.T);
        for (int s = 0; s < 5; s++) {
            cr_expect_eq(b.src_ids[s], in[s]);
            cr_expect(memcmp(b.enc_states + s * b.D, a.enc_states + (4 - s) * a.D, a.D * sizeof(float)) == 0,
                      "bi %d: encoder state of input position %d", bi, s);
        }
        for (int i = 0; i < a.T; i++) {
            for (int s = 0; s < 5; s++)
                cr_expect_eq(b.steps[i].weights[s], a.steps[i].weights[4 - s], "bi %d step %d weight %d", bi, i, s);
            cr_expect_eq(b.steps[i].token_id, a.steps[i].token_id);
        }
        trace_free(&a);
        trace_free(&b);
        model_free(&fwd);
        model_free(&rev);
    }
}

Test(trace, teacher_forcing_coins_are_seeded) {
    ModelConfig c = small_config(CELL_LSTM, STYLE_LUONG, SCORE_GENERAL, true);
    c.input_feed = true;
    Model m;
    cr_assert_eq(make_model(&m, &c, 5, 4, 5), 0);
    int src[] = {4, 5, 6, 7, 8}, ref[] = {7, 6, 5, 4, 7, 6, 5};
    DecodeDesc dd = {.reference = ref, .ref_len = 7, .teacher_forcing = 0.5f, .seed = 1234};
    Trace a, b, c2;
    cr_assert_eq(seq2seq_decode(&m, src, 5, &dd, &a, NULL), 0);
    cr_assert_eq(seq2seq_decode(&m, src, 5, &dd, &b, NULL), 0);
    dd.seed = 99;
    cr_assert_eq(seq2seq_decode(&m, src, 5, &dd, &c2, NULL), 0);
    cr_assert_eq(a.T, 8);
    Rng r;
    rng_seed(&r, 1234);
    int heads = 0, differ = 0;
    for (int i = 0; i < a.T; i++) {
        const TraceStep *s = &a.steps[i];
        cr_expect_eq(s->coin, b.steps[i].coin, "same seed, different coin at step %d", i);
        cr_expect_eq(s->input_id, b.steps[i].input_id);
        differ += s->coin != c2.steps[i].coin;
        if (i == 0) {
            cr_expect_eq(s->coin, -1.0f, "a coin at step 1");
            cr_expect_eq(s->input_id, TOK_SOS);
            continue;
        }
        cr_expect_eq(s->coin, rng_uniform(&r), "step %d: not the seed's next draw", i);
        cr_expect_eq(s->teacher_forced, s->coin < 0.5f);
        heads += s->teacher_forced;
        int want = s->teacher_forced ? ref[i - 1] : a.steps[i - 1].token_id;
        cr_expect_eq(s->input_id, want, "step %d: input does not follow the coin", i);
    }
    cr_expect(heads > 0 && heads < a.T - 1, "p = 0.5 gave %d heads of %d", heads, a.T - 1);
    cr_expect(differ > 0, "another seed gave the same coins");
    trace_free(&a);
    trace_free(&b);
    trace_free(&c2);
    /* without a reference: no coins, the argmax is fed, stop at <eos> or max_len */
    DecodeDesc g = {.max_len = 9};
    cr_assert_eq(seq2seq_decode(&m, src, 5, &g, &a, NULL), 0);
    cr_expect(a.T <= 9 && a.T >= 1);
    cr_expect(!a.has_reference);
    for (int i = 0; i < a.T; i++) {
        cr_expect_eq(a.steps[i].coin, -1.0f);
        cr_expect(!a.steps[i].teacher_forced);
        cr_expect_eq(a.steps[i].reference_id, -1);
        if (i) cr_expect_eq(a.steps[i].input_id, a.steps[i - 1].token_id);
        if (i < a.T - 1) cr_expect_neq(a.steps[i].token_id, TOK_EOS);
    }
    cr_expect(a.T == 9 || a.steps[a.T - 1].token_id == TOK_EOS);
    /* greedy agrees with the trace */
    int out[16];
    int n = seq2seq_greedy(&m, src, 5, out, 9);
    cr_expect_eq(n, trace_output_len(&a));
    for (int i = 0; i < n; i++) cr_expect_eq(out[i], a.steps[i].token_id);
    trace_free(&a);
    model_free(&m);
}

Test(trace, refuses_bad_ids) {
    ModelConfig c = small_config(CELL_LSTM, STYLE_LUONG, SCORE_DOT, false);
    Model m;
    cr_assert_eq(make_model(&m, &c, 5, 4, 5), 0);
    int bad[] = {4, 99}, good[] = {4, 5};
    Trace t;
    char err[AV_ERR_LEN] = "";
    DecodeDesc dd = {0};
    cr_expect_eq(seq2seq_decode(&m, bad, 2, &dd, &t, err), -1);
    cr_expect(strstr(err, "99"), "%s", err);
    cr_expect_eq(seq2seq_decode(&m, good, 0, &dd, &t, err), -1);
    int ref[] = {-3};
    DecodeDesc r = {.reference = ref, .ref_len = 1};
    cr_expect_eq(seq2seq_decode(&m, good, 2, &r, &t, err), -1);
    model_free(&m);
}

/* t written by trace_write_json, read back */
static cJSON *trace_json(const Trace *t) {
    char path[] = "/tmp/attnviz-trace-XXXXXX", err[AV_ERR_LEN];
    int fd = mkstemp(path);
    close(fd);
    cr_assert_eq(trace_write_json(t, path, err), 0, "%s", err);
    FILE *f = fopen(path, "rb");
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    unlink(path);
    cJSON *j = cJSON_Parse(buf);
    cr_assert(j, "trace JSON does not parse");
    return j;
}

/* source_eos: <eos> is the last source token of the trace (after the
 * input, also with reverse_source), and the unknown positions are the
 * input's <unk>s, in both the Trace and its JSON */
Test(trace, source_eos_and_unknown_positions) {
    for (int rev = 0; rev < 2; rev++) {
        ModelConfig c = small_config(CELL_LSTM, STYLE_BAHDANAU, SCORE_GENERAL, true);
        c.source_eos = true;
        c.reverse_source = rev;
        c.attn_bias = true;
        Model m;
        cr_assert_eq(make_model(&m, &c, 5, 4, 11), 0);
        int src[] = {4, TOK_UNK, 6, TOK_UNK};
        DecodeDesc dd = {.max_len = 5};
        Trace t;
        char err[AV_ERR_LEN];
        cr_assert_eq(seq2seq_decode(&m, src, 4, &dd, &t, err), 0, "%s", err);
        cr_expect_eq(t.S, 5);
        for (int s = 0; s < 4; s++) cr_expect_eq(t.src_ids[s], src[s]);
        cr_expect_eq(t.src_ids[4], TOK_EOS);
        cr_expect_str_eq(t.src_tokens[4], "<eos>");
        cr_expect_eq(t.n_unknown, 2);
        cr_expect(t.n_unknown == 2 && t.unknown[0] == 1 && t.unknown[1] == 3);
        double sum = 0;
        for (int s = 0; s < t.S; s++) sum += t.steps[0].weights[s];
        cr_expect(fabs(sum - 1) < 1e-5, "weights over the 5 positions sum to %g", sum);
        /* the same as decoding the input with <eos> written out, by a model without source_eos */
        Model plain;
        cr_assert_eq(make_model(&plain, &c, 5, 4, 11), 0);
        plain.cfg.source_eos = false;
        int with_eos[] = {4, TOK_UNK, 6, TOK_UNK, TOK_EOS};
        Trace u;
        cr_assert_eq(seq2seq_decode(&plain, with_eos, 5, &dd, &u, err), 0, "%s", err);
        cr_expect_eq(memcmp(t.enc_states, u.enc_states, sizeof(float) * 5 * (size_t)t.D), 0, "rev %d", rev);
        cr_expect_eq(memcmp(t.steps[0].scores, u.steps[0].scores, sizeof(float) * 5), 0, "rev %d", rev);
        cJSON *j = trace_json(&t);
        cJSON *unk = cJSON_GetObjectItem(j, "unknown_source"), *model = cJSON_GetObjectItem(j, "model");
        cr_expect(cJSON_GetArraySize(unk) == 2 && cJSON_GetArrayItem(unk, 1)->valueint == 3);
        cr_expect_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "source_tokens"), 4)->valuestring, "<eos>");
        cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(model, "source_eos")));
        cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(model, "attn_bias")));
        cJSON_Delete(j);
        trace_free(&t);
        trace_free(&u);
        model_free(&m);
        model_free(&plain);
    }
}

Test(trace, json_holds_the_trace) {
    ModelConfig c = small_config(CELL_GRU, STYLE_LUONG, SCORE_ADDITIVE, true);
    Model m;
    cr_assert_eq(make_model(&m, &c, 5, 4, 5), 0);
    int src[] = {4, 5, 6}, ref[] = {7, 6};
    DecodeDesc dd = {.reference = ref, .ref_len = 2, .teacher_forcing = 1.0f, .seed = 3};
    Trace t;
    char err[AV_ERR_LEN];
    cr_assert_eq(seq2seq_decode(&m, src, 3, &dd, &t, err), 0, "%s", err);
    cJSON *j = trace_json(&t);
    cJSON *model = cJSON_GetObjectItem(j, "model");
    cr_expect_str_eq(cJSON_GetObjectItem(model, "cell")->valuestring, "gru");
    cr_expect_str_eq(cJSON_GetObjectItem(model, "score")->valuestring, "additive");
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(model, "bidirectional")));
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "source_tokens")), 3);
    cr_expect_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "source_tokens"), 1)->valuestring, "b");
    cJSON *enc = cJSON_GetObjectItem(j, "encoder_states");
    cr_expect_eq(cJSON_GetArraySize(enc), 3);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetArrayItem(enc, 0)), 6);
    cr_expect_float_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(enc, 2), 5)->valuedouble, t.enc_states[2 * 6 + 5], 1e-9);
    cJSON *steps = cJSON_GetObjectItem(j, "steps");
    cr_assert_eq(cJSON_GetArraySize(steps), 3);
    for (int i = 0; i < 3; i++) {
        cJSON *s = cJSON_GetArrayItem(steps, i);
        cr_expect_str_eq(cJSON_GetObjectItem(s, "input_token")->valuestring, i ? trace_token(&t, ref[i - 1]) : "<sos>");
        cr_expect_str_eq(cJSON_GetObjectItem(s, "reference")->valuestring, trace_token(&t, i < 2 ? ref[i] : TOK_EOS));
        cr_expect(cJSON_IsBool(cJSON_GetObjectItem(s, "teacher_forced")));
        const char *keys[] = {"query", "scores", "weights", "context", "attentional", "probs"};
        int len[] = {6, 3, 3, 6, 6, 8};
        for (int k = 0; k < 6; k++)
            cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, keys[k])), len[k], "%s", keys[k]);
        cr_expect_float_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(s, "probs"), 7)->valuedouble, t.steps[i].probs[7], 1e-9);
        cr_expect_str_eq(cJSON_GetObjectItem(s, "token")->valuestring, trace_token(&t, t.steps[i].token_id));
    }
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "output_tokens")), trace_output_len(&t));
    cJSON_Delete(j);
    /* a path that cannot be written is refused, naming it */
    cr_expect_eq(trace_write_json(&t, "/nonexistent-dir/t.json", err), -1);
    cr_expect(strstr(err, "/nonexistent-dir/t.json"), "%s", err);
    trace_free(&t);
    model_free(&m);
}

Test(config, refusals_say_why) {
    char err[AV_ERR_LEN];
    ModelConfig c = small_config(CELL_LSTM, STYLE_LUONG, SCORE_DOT, true);
    c.hidden = 5; /* D = 6 */
    cr_expect_eq(model_config_check(&c, err), -1);
    cr_expect(strstr(err, "dot") && strstr(err, "hidden"), "%s", err);
    c = small_config(CELL_LSTM, STYLE_LUONG, SCORE_SCALED_DOT, false);
    c.enc_hidden = 4; /* unidirectional needs H = He */
    cr_expect_eq(model_config_check(&c, err), -1);
    c = small_config(CELL_GRU, STYLE_BAHDANAU, SCORE_GENERAL, false);
    c.input_feed = true;
    cr_expect_eq(model_config_check(&c, err), -1);
    cr_expect(strstr(err, "input feeding"), "%s", err);
    c = small_config(CELL_GRU, STYLE_LUONG, SCORE_CONCAT, false);
    c.attn_dim = 0;
    cr_expect_eq(model_config_check(&c, err), -1);
    c = small_config(CELL_GRU, STYLE_LUONG, SCORE_NONE, false);
    c.input_feed = true;
    cr_expect_eq(model_config_check(&c, err), -1);
    Model m;
    c.input_feed = false;
    c.embed = 0;
    cr_expect_eq(make_model(&m, &c, 3, 3, 1), -1);
    /* every valid combination is accepted */
    for (int s = 0; s <= SCORE_ADDITIVE; s++)
        for (int bi = 0; bi < 2; bi++) {
            ModelConfig ok = small_config(CELL_LSTM, STYLE_BAHDANAU, (ScoreKind)s, bi);
            cr_expect_eq(model_config_check(&ok, err), 0, "%s", err);
        }
}
