/* test_forced_claims.c — lesson 6's numbers about teacher forcing hold on the shipped dates-dot model.
 *
 * The narration of lessons/{en,ko}/06-teacher-forcing.md quotes one real
 * mistake of dates-dot decoded three ways against its reference: free
 * running, teacher forced, and with p = 0.5 and the coin flips of seed 2,
 * and the probability of the wrong first token. Retraining the models
 * (make models) may change any of them; this says which. (test_lesson.c's
 * CLAIMS checks the free-running output too, with the other lessons'.) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/seq2seq.h"
#include "engine/tokenize.h"

/* LESSON_TEST_MODELS=DIR checks the course against another models folder. */
static const char *models_dir(void) {
    const char *e = getenv("LESSON_TEST_MODELS");
    return e && *e ? e : "assets/models";
}

typedef struct {
    const char *model, *input, *target, *output;
    float tf;
    uint64_t seed;
    float p1;          /* > 0: the first token's probability as the narration prints it (3 decimals) */
    const char *where; /* the slide that says so */
} ForcedClaim;

static const ForcedClaim FORCED[] = {
    {"dates-dot", "19.11.36", "2036-11-19", "1963-11-19", 0, 2, 0, "06 Exposure bias (free running)"},
    {"dates-dot", "19.11.36", "2036-11-19", "1036-11-19", 1, 2, 0, "06 Exposure bias (teacher forced: only row 1 wrong)"},
    {"dates-dot", "19.11.36", "2036-11-19", "1966-11-19", 0.5f, 2, 0.693f, "06 Flipping a coin / Scheduled sampling"},
};

/* Decode `input` with the shipped `model` against `target`: the output text
 * (free it) and the trace in *t (trace_free it); NULL when the model does
 * not load. */
static char *decode_against(const ForcedClaim *c, Trace *t) {
    char path[256], err[AV_ERR_LEN];
    snprintf(path, sizeof path, "%s/%s.safetensors", models_dir(), c->model);
    Model m;
    if (model_load(&m, path, err)) {
        cr_expect_fail("%s: %s", c->where, err);
        return NULL;
    }
    int *src = NULL, S = 0, *ref = NULL, R = 0;
    cr_assert_eq(encode_text(&m.src, m.cfg.tokenizer, c->input, &src, &S, err), 0, "%s", err);
    cr_assert_eq(encode_text(&m.tgt, m.cfg.tokenizer, c->target, &ref, &R, err), 0, "%s", err);
    DecodeDesc d = {.reference = ref, .ref_len = R, .teacher_forcing = c->tf, .seed = c->seed};
    cr_assert_eq(seq2seq_decode(&m, src, S, &d, t, err), 0, "%s", err);
    int n = trace_output_len(t);
    int *ids = malloc(sizeof *ids * (size_t)(n + 1));
    cr_assert_not_null(ids);
    for (int k = 0; k < n; k++) ids[k] = t->steps[k].token_id;
    char *out = decode_ids(&t->tgt, m.cfg.tokenizer, ids, n);
    free(ids);
    free(src);
    free(ref);
    model_free(&m);
    return out;
}

Test(course, teacher_forcing_claims_hold_on_the_shipped_models) {
    for (size_t i = 0; i < sizeof FORCED / sizeof *FORCED; i++) {
        const ForcedClaim *c = &FORCED[i];
        Trace t;
        char *out = decode_against(c, &t);
        if (!out) continue;
        cr_expect_str_eq(out, c->output, "%s: %s decodes '%s' (reference %s, p = %g, seed %d) as '%s', the narration says '%s'",
                         c->where, c->model, c->input, c->target, (double)c->tf, (int)c->seed, out, c->output);
        if (c->p1 > 0) {
            float p = t.steps[0].probs[t.steps[0].token_id];
            cr_expect(fabsf(p - c->p1) < 0.0005f, "%s: %s gives its first token '%s' p = %.3f, the narration says %.3f",
                      c->where, c->model, trace_token(&t, t.steps[0].token_id), (double)p, (double)c->p1);
        }
        free(out);
        trace_free(&t);
    }
}
