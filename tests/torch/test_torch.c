/* test_torch.c — the engine agrees with PyTorch.
 *
 * tests/fixtures/torch/ holds, for small models with odd unequal sizes, the
 * weights (NAME.safetensors) and what PyTorch computed with them (NAME.json),
 * made by tools/make_fixtures.py from MODEL.md with nn.LSTM / nn.GRU and
 * autograd. For every fixture we load the model with model_load and check:
 *
 *   trace   seq2seq_decode against the reference with teacher forcing p = 1:
 *           encoder states, h_0, and per step the input, reference and
 *           predicted ids, query, raw scores, weights, context, attentional
 *           state, hidden state, output distribution;
 *   greedy  seq2seq_decode without a reference (max_len 8): the output ids;
 *   grad    seq2seq_loss_grad with tf_p = 1 on that one example: the loss and
 *           the gradient of every parameter tensor;
 *   batch   the same on a batch of three examples of different lengths
 *           (padding masked), for the fixtures that have one.
 *
 * Tolerance: |got - want| ≤ 1e-5 · max(1, |want|), i.e. 1e-5 absolute for
 * values up to 1 and 1e-5 relative above. The float32 reference itself is
 * within ~3e-7 of a float64 run of the same model (the script checks).
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/model.h"
#include "engine/seq2seq.h"
#include "engine/trace.h"
#include "fixture.h"

#define FIXDIR "tests/fixtures/torch/"

/* Must match tools/make_fixtures.py's CONFIGS (index.json is checked against it). */
static const char *NAMES[] = {
    "lstm_luong_none", "lstm_luong_dot", "lstm_luong_scaled_dot_bi", "lstm_luong_general_bi",
    "lstm_luong_concat", "lstm_luong_additive_bi", "lstm_luong_general_if_bi_rev",
    "gru_luong_none_bi", "gru_luong_dot", "gru_luong_scaled_dot_rev", "gru_luong_general_if",
    "gru_luong_concat_bi_if", "gru_luong_additive_if_rev",
    "lstm_bahdanau_none", "lstm_bahdanau_dot_bi", "lstm_bahdanau_scaled_dot",
    "lstm_bahdanau_concat_rev", "lstm_bahdanau_additive_bi_rev",
    "gru_bahdanau_none_bi", "gru_bahdanau_dot", "gru_bahdanau_general_bi",
    "gru_bahdanau_concat_bi", "gru_bahdanau_additive",
    /* attn_bias and source_eos */
    "lstm_luong_general_bias", "gru_luong_concat_bi_bias", "lstm_luong_additive_if_bias",
    "gru_luong_dot_bias_eos", "lstm_bahdanau_concat_bi_bias", "gru_bahdanau_general_bias_eos_rev",
    "gru_bahdanau_additive_bias_eos", "lstm_luong_none_bi_eos", "lstm_luong_scaled_dot_eos_rev",
};
enum { N_FIX = sizeof NAMES / sizeof *NAMES };
static const char *BATCHED[] = {
    "lstm_luong_general_bi", "lstm_luong_general_if_bi_rev", "gru_luong_concat_bi_if",
    "lstm_bahdanau_none", "lstm_bahdanau_additive_bi_rev", "gru_bahdanau_general_bi",
    "lstm_luong_general_bias", "gru_bahdanau_additive_bias_eos", "lstm_luong_none_bi_eos",
};
enum { N_BATCH = sizeof BATCHED / sizeof *BATCHED };

/* ---- loading a fixture ------------------------------------------------------------- */

typedef struct {
    const char *name;
    Model m;
    cJSON *j;
} Fix;

static void fix_open(Fix *fx, const char *name) {
    char path[256], err[AV_ERR_LEN];
    fx->name = name;
    snprintf(path, sizeof path, FIXDIR "%s.safetensors", name);
    cr_assert_eq(model_load(&fx->m, path, err), 0, "%s", err);
    snprintf(path, sizeof path, FIXDIR "%s.json", name);
    fx->j = read_json(path);
    /* the metadata was read as PyTorch's side meant it */
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(fx->j, "config");
    const ModelConfig *mc = &fx->m.cfg;
#define STR_EQ(k, v) cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(c, k)->valuestring, v, "%s: %s", name, k)
#define INT_EQ(k, v) cr_assert_eq(cJSON_GetObjectItemCaseSensitive(c, k)->valueint, v, "%s: %s", name, k)
#define BOOL_EQ(k, v) cr_assert_eq(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, k)), v, "%s: %s", name, k)
    STR_EQ("cell", cell_name(mc->cell));
    STR_EQ("style", style_name(mc->style));
    STR_EQ("score", score_name(mc->score));
    BOOL_EQ("bidirectional", mc->bidirectional);
    BOOL_EQ("input_feed", mc->input_feed);
    BOOL_EQ("reverse_source", mc->reverse_source);
    BOOL_EQ("attn_bias", mc->attn_bias);     /* absent in the older fixtures: false */
    BOOL_EQ("source_eos", mc->source_eos);
    INT_EQ("embed", mc->embed);
    INT_EQ("enc_hidden", mc->enc_hidden);
    INT_EQ("hidden", mc->hidden);
    INT_EQ("attn_dim", mc->attn_dim);
#undef STR_EQ
#undef INT_EQ
#undef BOOL_EQ
}

static void fix_close(Fix *fx) {
    model_free(&fx->m);
    cJSON_Delete(fx->j);
}

/* ---- the tests ---------------------------------------------------------------------------- */

Test(torch, index_lists_every_fixture) {
    cJSON *idx = read_json(FIXDIR "index.json");
    cr_assert_eq(cJSON_GetArraySize(idx), N_FIX, "index.json has %d fixtures, the test knows %d",
                 cJSON_GetArraySize(idx), N_FIX);
    for (int i = 0; i < N_FIX; i++)
        cr_expect_str_eq(cJSON_GetArrayItem(idx, i)->valuestring, NAMES[i]);
    cJSON_Delete(idx);
}

ParameterizedTestParameters(torch, trace) {
    static int ids[N_FIX];
    for (int i = 0; i < N_FIX; i++) ids[i] = i;
    return cr_make_param_array(int, ids, N_FIX);
}

ParameterizedTest(int *k, torch, trace) {
    Fix fx;
    fix_open(&fx, NAMES[*k]);
    const char *nm = fx.name;
    const Model *m = &fx.m;
    int *src, *ref;
    int S = ints(get(fx.j, "src"), &src), R = ints(get(fx.j, "reference"), &ref);
    DecodeDesc d = {.max_len = 0, .reference = ref, .ref_len = R, .teacher_forcing = 1.0f, .seed = 1};
    Trace tr;
    char err[AV_ERR_LEN];
    cr_assert_eq(seq2seq_decode(m, src, S, &d, &tr, err), 0, "%s: %s", nm, err);
    int D = cfg_D(&m->cfg), H = m->cfg.hidden, V = m->tgt.n;
    bool attn = cfg_attn(&m->cfg);
    /* source_eos: the engine appends <eos>; the trace lists it last */
    int S_in = S;
    if (m->cfg.source_eos) S++;
    cr_assert_eq(tr.S, S, "%s: S", nm);
    if (S > S_in) cr_expect_eq(tr.src_ids[S_in], TOK_EOS, "%s: the last source token is not <eos>", nm);
    cr_assert_eq(tr.D, D, "%s: D", nm);
    cr_assert_eq(tr.H, H, "%s: H", nm);
    cr_assert_eq(tr.V, V, "%s: V", nm);
    for (int s = 0; s < S_in; s++) cr_expect_eq(tr.src_ids[s], src[s], "%s: src_ids[%d] (input order)", nm, s);

    /* encoder states, row s for source position s in the input's own order */
    const cJSON *es = get(fx.j, "encoder_states");
    cr_assert_eq(cJSON_GetArraySize(es), S);
    char what[96];
    for (int s = 0; s < S; s++) {
        snprintf(what, sizeof what, "encoder_states[%d]", s);
        cmp(nm, what, tr.enc_states + (size_t)s * D, cJSON_GetArrayItem(es, s), D);
    }
    cmp(nm, "h0", tr.h0, get(fx.j, "h0"), H);

    const cJSON *steps = get(fx.j, "steps");
    cr_assert_eq(tr.T, R + 1, "%s: %d steps, expected reference + <eos> = %d", nm, tr.T, R + 1);
    cr_assert_eq(cJSON_GetArraySize(steps), tr.T);
    for (int t = 0; t < tr.T; t++) {
        const cJSON *w = cJSON_GetArrayItem(steps, t);
        const TraceStep *st = &tr.steps[t];
        cr_expect_eq(st->input_id, get(w, "input_id")->valueint, "%s: step %d input_id", nm, t + 1);
        cr_expect_eq(st->reference_id, get(w, "reference_id")->valueint, "%s: step %d reference_id", nm, t + 1);
        cr_expect_eq(st->token_id, get(w, "token_id")->valueint, "%s: step %d token_id", nm, t + 1);
        if (t > 0) cr_expect(st->teacher_forced, "%s: step %d not teacher-forced with p = 1", nm, t + 1);
#define FIELD(f, n)                                                   \
    snprintf(what, sizeof what, "step %d %s", t + 1, #f);            \
    cmp(nm, what, st->f, get(w, #f), n)
        if (attn) {
            FIELD(query, H);
            FIELD(scores, S);
            FIELD(weights, S);
            FIELD(context, D);
        } else {
            cr_expect_null(st->scores, "%s: score none has no scores", nm);
            cr_expect_null(st->weights, "%s: score none has no weights", nm);
        }
        FIELD(attentional, H);
        FIELD(hidden, H);
        FIELD(probs, V);
#undef FIELD
    }
    cr_log_info("%s trace: worst scaled error %.2g", nm, WORST);
    trace_free(&tr);
    free(src);
    free(ref);
    fix_close(&fx);
    NO_LEAKS();
}

ParameterizedTestParameters(torch, greedy) {
    static int ids[N_FIX];
    for (int i = 0; i < N_FIX; i++) ids[i] = i;
    return cr_make_param_array(int, ids, N_FIX);
}

ParameterizedTest(int *k, torch, greedy) {
    Fix fx;
    fix_open(&fx, NAMES[*k]);
    int *src, *want;
    int S = ints(get(fx.j, "src"), &src), n = ints(get(fx.j, "greedy"), &want);
    DecodeDesc d = {.max_len = get(fx.j, "max_len")->valueint};
    Trace tr;
    char err[AV_ERR_LEN];
    cr_assert_eq(seq2seq_decode(&fx.m, src, S, &d, &tr, err), 0, "%s: %s", fx.name, err);
    cr_expect_eq(tr.T, n, "%s: greedy ran %d steps, PyTorch %d", fx.name, tr.T, n);
    for (int t = 0; t < n && t < tr.T; t++) {
        cr_expect_eq(tr.steps[t].token_id, want[t], "%s: greedy step %d: %d, PyTorch %d", fx.name, t + 1,
                     tr.steps[t].token_id, want[t]);
        if (t > 0) cr_expect_eq(tr.steps[t].input_id, want[t - 1], "%s: greedy step %d input", fx.name, t + 1);
    }
    /* seq2seq_greedy, the trace-free path, agrees too; like trace_output_len
     * its output stops before the first <eos> */
    int out[64];
    int len = seq2seq_greedy(&fx.m, src, S, out, d.max_len);
    int want_len = n && want[n - 1] == TOK_EOS ? n - 1 : n;
    cr_expect_eq(len, want_len, "%s: seq2seq_greedy gave %d ids, PyTorch %d", fx.name, len, want_len);
    cr_expect_eq(trace_output_len(&tr), want_len, "%s: trace_output_len", fx.name);
    for (int t = 0; t < len && t < n; t++)
        cr_expect_eq(out[t], want[t], "%s: seq2seq_greedy id %d", fx.name, t);
    trace_free(&tr);
    free(src);
    free(want);
    fix_close(&fx);
    NO_LEAKS();
}

/* Loss and gradients of a batch {src[b], reference[b]} against PyTorch's. */
static void check_grads(Fix *fx, const cJSON *srcs, const cJSON *refs, const cJSON *loss, const cJSON *grads,
                        int want_correct, const char *label) {
    const Model *m = &fx->m;
    int B = cJSON_GetArraySize(srcs);
    Dataset ds = {0};
    ds.n = B;
    ds.src_off = malloc(B * sizeof(int));
    ds.src_len = malloc(B * sizeof(int));
    ds.tgt_off = malloc(B * sizeof(int));
    ds.tgt_len = malloc(B * sizeof(int));
    ds.ids = malloc(256 * sizeof(int));
    int at = 0;
    for (int b = 0; b < B; b++) {
        const cJSON *s = cJSON_GetArrayItem(srcs, b), *r = cJSON_GetArrayItem(refs, b), *it;
        ds.src_off[b] = at;
        cJSON_ArrayForEach(it, s) ds.ids[at++] = it->valueint;
        ds.src_len[b] = at - ds.src_off[b];
        ds.tgt_off[b] = at;
        cJSON_ArrayForEach(it, r) ds.ids[at++] = it->valueint;
        ds.ids[at++] = TOK_EOS;
        ds.tgt_len[b] = at - ds.tgt_off[b];
        if (ds.src_len[b] > ds.max_src) ds.max_src = ds.src_len[b];
        if (ds.tgt_len[b] > ds.max_tgt) ds.max_tgt = ds.tgt_len[b];
        cr_assert(at < 200);
    }
    int idx[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    float *g = calloc(m->layout.n_params, sizeof(float));
    Rng rng;
    rng_seed(&rng, 5);
    char err[AV_ERR_LEN] = "";
    int correct = 0, total = 0;
    float L = seq2seq_loss_grad(m, &ds, idx, B, 1.0f, &rng, g, &correct, &total, err);
    cr_assert(!isnan(L), "%s: %s: %s", fx->name, label, err);
    char what[96];
    snprintf(what, sizeof what, "%s loss", label);
    cmp1(fx->name, what, L, loss->valuedouble);
    int want_total = 0;
    for (int b = 0; b < B; b++) want_total += ds.tgt_len[b];
    cr_expect_eq(total, want_total, "%s: %s: %d target tokens counted, there are %d", fx->name, label,
                 total, want_total);
    if (want_correct >= 0)
        cr_expect_eq(correct, want_correct, "%s: %s: %d tokens right, PyTorch %d", fx->name, label,
                     correct, want_correct);
    /* every tensor of the layout has PyTorch's gradient, and nothing else */
    cr_expect_eq(cJSON_GetArraySize(grads), m->layout.n, "%s: PyTorch has %d tensors, the layout %d",
                 fx->name, cJSON_GetArraySize(grads), m->layout.n);
    const cJSON *it;
    cJSON_ArrayForEach(it, grads) {
        const TensorInfo *t = layout_find(&m->layout, it->string);
        cr_expect(t, "%s: the engine has no tensor %s", fx->name, it->string);
        if (!t) continue;
        snprintf(what, sizeof what, "%s d%s", label, t->name);
        cmp(fx->name, what, g + t->offset, it, (int)t->size);
    }
    cr_log_info("%s %s: loss %.7f, worst scaled error %.2g", fx->name, label, L, WORST);
    free(g);
    dataset_free(&ds);
}

ParameterizedTestParameters(torch, grad) {
    static int ids[N_FIX];
    for (int i = 0; i < N_FIX; i++) ids[i] = i;
    return cr_make_param_array(int, ids, N_FIX);
}

ParameterizedTest(int *k, torch, grad) {
    Fix fx;
    fix_open(&fx, NAMES[*k]);
    cJSON *srcs = cJSON_CreateArray(), *refs = cJSON_CreateArray();
    cJSON_AddItemToArray(srcs, cJSON_Duplicate(get(fx.j, "src"), 1));
    cJSON_AddItemToArray(refs, cJSON_Duplicate(get(fx.j, "reference"), 1));
    /* tokens right under teacher forcing: PyTorch's argmax equals the target */
    int right = 0;
    const cJSON *st;
    cJSON_ArrayForEach(st, get(fx.j, "steps"))
        right += get(st, "token_id")->valueint == get(st, "reference_id")->valueint;
    check_grads(&fx, srcs, refs, get(fx.j, "loss"), get(fx.j, "grads"), right, "one example");
    cJSON_Delete(srcs);
    cJSON_Delete(refs);
    fix_close(&fx);
    NO_LEAKS();
}

ParameterizedTestParameters(torch, batch) {
    static int ids[N_BATCH];
    for (int i = 0; i < N_BATCH; i++) ids[i] = i;
    return cr_make_param_array(int, ids, N_BATCH);
}

ParameterizedTest(int *k, torch, batch) {
    Fix fx;
    fix_open(&fx, BATCHED[*k]);
    const cJSON *b = get(fx.j, "batch");
    check_grads(&fx, get(b, "src"), get(b, "reference"), get(b, "loss"), get(b, "grads"), -1, "batch");
    fix_close(&fx);
    NO_LEAKS();
}
