/* test_torch_grad.c — the gradient trace agrees with PyTorch's autograd.
 *
 * tests/fixtures/torch/grad/ holds, for 25 small models (every cell × style
 * × score, with input feeding, bidirectional encoders and reverse_source),
 * one decoding against a reference — teacher forced (p = 1) or running on
 * its own predictions (p = 0) — and what autograd gave with retain_grad on
 * the intermediates (tools/make_fixtures.py, "the gradient trace"): the
 * loss, every per-step gradient of MODEL.md's table, the encoder states'
 * and source embeddings', every parameter's and its norm, and after_step
 * (one SGD step at the fixture's η, the same inputs replayed). The engine's
 * seq2seq_grad_trace must give all of it within fixture.h's tolerance.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "engine/gradtrace.h"
#include "fixture.h"

#define GDIR "tests/fixtures/torch/grad/"

/* The fixtures are the ones grad/index.json lists (read when the tests are
 * made, so that a fixture added to make_fixtures.py is tested at once); the
 * first test checks that the list is whole: every cell × style × score. */
enum { MAX_FIX = 64 };
typedef struct { char name[64]; } FixName;   /* by value: Criterion copies it to the test's process */

ParameterizedTestParameters(torch_grad, fixture) {
    static FixName names[MAX_FIX];
    int n = 0;
    FILE *f = fopen(GDIR "index.json", "rb");
    char buf[8192];
    size_t len = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[len] = 0;
    cJSON *idx = cJSON_Parse(buf), *it;
    cJSON_ArrayForEach(it, idx) {
        if (n == MAX_FIX || !cJSON_IsString(it)) break;
        snprintf(names[n].name, sizeof names[n].name, "%s", it->valuestring);
        n++;
    }
    cJSON_Delete(idx);
    return cr_make_param_array(FixName, names, n);
}

Test(torch_grad, index_covers_every_combination) {
    cJSON *idx = read_json(GDIR "index.json"), *it;
    bool seen[2][2][6] = {{{false}}};
    int n = 0;
    cJSON_ArrayForEach(it, idx) {
        char path[256];
        snprintf(path, sizeof path, GDIR "%s.json", it->valuestring);
        cJSON *j = read_json(path);
        const cJSON *c = get(j, "config");
        ScoreKind sc;
        cr_assert_eq(score_parse(get(c, "score")->valuestring, &sc), 0);
        seen[strcmp(get(c, "cell")->valuestring, "gru") == 0][strcmp(get(c, "style")->valuestring, "bahdanau") == 0][sc] = true;
        cJSON_Delete(j);
        n++;
    }
    cr_expect(n <= MAX_FIX, "grad/index.json lists %d fixtures, the test takes %d", n, MAX_FIX);
    for (int cell = 0; cell < 2; cell++)
        for (int style = 0; style < 2; style++)
            for (int s = 0; s < 6; s++)
                cr_expect(seen[cell][style][s], "no gradient fixture for %s/%s/%s", cell_name((CellKind)cell),
                          style_name((StyleKind)style), score_name((ScoreKind)s));
    cJSON_Delete(idx);
}

/* A per-step field: present in both or absent in both (score none). */
static void field(const char *nm, int t, const char *key, const float *got, const cJSON *st, int n) {
    char what[96];
    snprintf(what, sizeof what, "step %d %s", t + 1, key);
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(st, key);
    if (!want) {
        cr_expect_null(got, "%s: %s: PyTorch has none, the engine has one", nm, what);
        return;
    }
    cmp(nm, what, got, want, n);
}

ParameterizedTest(FixName *fx, torch_grad, fixture) {
    const char *nm = fx->name;
    char path[256], err[AV_ERR_LEN] = "";
    Model m;
    snprintf(path, sizeof path, GDIR "%s.safetensors", nm);
    cr_assert_eq(model_load(&m, path, err), 0, "%s", err);
    snprintf(path, sizeof path, GDIR "%s.json", nm);
    cJSON *j = read_json(path);
    int *src, *ref, *inputs;
    int S = ints(get(j, "src"), &src), R = ints(get(j, "reference"), &ref), T = ints(get(j, "inputs"), &inputs);
    float tf = (float)get(j, "teacher_forcing")->valuedouble, lr = (float)get(j, "lr")->valuedouble;
    DecodeDesc d = {.reference = ref, .ref_len = R, .teacher_forcing = tf, .seed = 11};
    GradTrace g;
    Trace tr;
    cr_assert_eq(seq2seq_grad_trace(&m, src, S, &d, lr, &g, &tr, err), 0, "%s: %s", nm, err);
    cr_assert_eq(g.T, T, "%s: %d steps, PyTorch %d", nm, g.T, T);
    int D = g.D, H = g.H, V = g.V, E = g.E;
    if (m.cfg.source_eos) S++; /* the engine appends <eos>: one more source position */
    cr_assert_eq(g.S, S, "%s: %d source positions, PyTorch %d", nm, g.S, S);
    for (int t = 0; t < T; t++) /* p = 0: the model's own argmax, the same in both */
        cr_assert_eq(g.input_ids[t], inputs[t], "%s step %d: input %d, PyTorch %d", nm, t + 1, g.input_ids[t],
                     inputs[t]);
    cmp1(nm, "loss", g.loss, get(j, "loss")->valuedouble);
    const cJSON *steps = get(j, "steps");
    for (int t = 0; t < T; t++) {
        const cJSON *st = cJSON_GetArrayItem(steps, t);
        const GradStep *gs = &g.steps[t];
        field(nm, t, "d_logits", gs->d_logits, st, V);
        field(nm, t, "d_output_state", gs->d_output_state, st, H);
        field(nm, t, "d_hidden", gs->d_hidden, st, H);
        field(nm, t, "d_context", gs->d_context, st, D);
        field(nm, t, "d_weights", gs->d_weights, st, S);
        field(nm, t, "d_scores", gs->d_scores, st, S);
        field(nm, t, "d_query", gs->d_query, st, H);
    }
    char what[96];
    for (int s = 0; s < S; s++) {
        snprintf(what, sizeof what, "d_encoder_states[%d]", s);
        cmp(nm, what, g.d_encoder_states + (size_t)s * D, cJSON_GetArrayItem(get(j, "d_encoder_states"), s), D);
        snprintf(what, sizeof what, "d_source_embeddings[%d]", s);
        cmp(nm, what, g.d_source_embeddings + (size_t)s * E, cJSON_GetArrayItem(get(j, "d_source_embeddings"), s), E);
    }
    const cJSON *grads = get(j, "grads"), *norms = get(j, "param_grad_norms");
    cr_expect_eq(cJSON_GetArraySize(grads), g.n_tensors, "%s: PyTorch has %d tensors, the engine %d", nm,
                 cJSON_GetArraySize(grads), g.n_tensors);
    for (int i = 0; i < g.n_tensors; i++) {
        const GradTensor *t = &g.tensors[i];
        snprintf(what, sizeof what, "d%s", t->name);
        cmp(nm, what, t->grad, get(grads, t->name), (int)t->size);
        snprintf(what, sizeof what, "‖d%s‖", t->name);
        cmp1(nm, what, t->norm, get(norms, t->name)->valuedouble);
    }
    const cJSON *af = get(j, "after_step"), *as = get(af, "steps");
    cmp1(nm, "after_step.loss", g.after.loss, get(af, "loss")->valuedouble);
    for (int t = 0; t < T; t++) {
        const cJSON *st = cJSON_GetArrayItem(as, t);
        snprintf(what, sizeof what, "after_step step %d p_reference", t + 1);
        cmp1(nm, what, g.after.p_reference[t], get(st, "p_reference")->valuedouble);
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(st, "weights");
        snprintf(what, sizeof what, "after_step step %d weights", t + 1);
        if (w) cmp(nm, what, g.after.weights + (size_t)t * S, w, S);
        else cr_expect_null(g.after.weights, "%s: %s: PyTorch has none", nm, what);
    }
    cr_log_info("%s (p = %g, η = %g): worst scaled error %.2g", nm, tf, lr, WORST);
    grad_trace_free(&g);
    trace_free(&tr);
    free(src);
    free(ref);
    free(inputs);
    cJSON_Delete(j);
    model_free(&m);
    NO_LEAKS();
}
