/* test_train.c — training learns, deterministically.
 *
 * String reversal of length-8 strings over 8 letters, generated here from a
 * seeded Rng; held-out strings never appear in the training set. A small
 * LSTM (E = 8, He = H = 16, Luong general) reaches 100% held-out exact match
 * at 400-500 steps (measured); the test asks for ≥ 99% after 500. */
#include <criterion/criterion.h>
#include <math.h>

#include "helpers.h"

enum { L = 8, K = 8 };

static int same_src(const Dataset *a, int i, const Dataset *b, int j) {
    return memcmp(a->ids + a->src_off[i], b->ids + b->src_off[j], L * sizeof(int)) == 0;
}

/* n reversal pairs; when `avoid` is given, none of its sources repeat */
static Dataset reversal(Rng *r, int n, const Dataset *avoid) {
    int (*src)[L + 1] = calloc((size_t)n, sizeof *src), (*tgt)[L + 1] = calloc((size_t)n, sizeof *tgt);
    const int **sp = calloc((size_t)n, sizeof *sp), **tp = calloc((size_t)n, sizeof *tp);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < L; k++) src[i][k] = TOK_SPECIALS + rng_below(r, K);
        for (int k = 0; k < L; k++) tgt[i][k] = src[i][L - 1 - k];
        src[i][L] = tgt[i][L] = -1;
        sp[i] = src[i];
        tp[i] = tgt[i];
    }
    Dataset d = make_dataset(n, sp, tp);
    if (avoid) { /* regenerate any collision (rare: 8^8 strings) */
        for (int i = 0; i < n; i++)
            for (int j = 0; j < avoid->n; j++)
                if (same_src(&d, i, avoid, j)) {
                    int *s = d.ids + d.src_off[i], *t = d.ids + d.tgt_off[i];
                    for (int k = 0; k < L; k++) s[k] = TOK_SPECIALS + rng_below(r, K);
                    for (int k = 0; k < L; k++) t[k] = s[L - 1 - k];
                    j = -1;
                }
    }
    free(src);
    free(tgt);
    free(sp);
    free(tp);
    return d;
}

static ModelConfig reversal_config(void) {
    ModelConfig c = small_config(CELL_LSTM, STYLE_LUONG, SCORE_GENERAL, false);
    c.embed = 8;
    c.enc_hidden = c.hidden = 16;
    return c;
}

static TrainDesc reversal_desc(void) {
    TrainDesc d = {0};
    d.batch = 32;
    d.lr = 0.02f;
    d.teacher_forcing = 1.0f;
    d.steps = 500;
    d.seed = 5;
    return d;
}

Test(train, reversal_reaches_99_percent, .timeout = 120) {
    Rng r;
    rng_seed(&r, 42);
    Dataset train = reversal(&r, 4000, NULL), test = reversal(&r, 500, &train);
    ModelConfig c = reversal_config();
    Model m;
    cr_assert_eq(make_model(&m, &c, K, K, 1), 0);
    TrainDesc d = reversal_desc();
    char err[AV_ERR_LEN];
    Trainer *tr = trainer_create(&m, &d, err);
    cr_assert(tr, "%s", err);
    TrainStats st = {0};
    float first = NAN;
    for (int s = 0; s < 500; s++) {
        cr_assert_eq(trainer_step(tr, &train, &st, err), 0, "%s", err);
        if (s == 0) first = st.loss;
    }
    EvalStats ev;
    cr_assert_eq(seq2seq_eval(&m, &test, &ev, err), 0, "%s", err);
    cr_expect_eq(ev.n, 500);
    cr_expect_eq(ev.tokens, 500L * (L + 1));
    cr_expect(ev.exact >= 495, "held-out exact match %d/500, below 99%% (loss %.4f → %.4f)", ev.exact,
              first, st.loss);
    cr_expect(st.loss < first / 10, "loss did not fall: %.4f → %.4f", first, st.loss);
    /* greedy on one held-out example gives the reversed string */
    int out[16];
    int n = seq2seq_greedy(&m, test.ids + test.src_off[0], L, out, 16);
    cr_expect_eq(n, L);
    trainer_free(tr);
    model_free(&m);
    dataset_free(&train);
    dataset_free(&test);
}

/* Two runs from the same seed give bit-identical losses and parameters;
 * with teacher forcing 0.5 the coin flips are part of what must repeat.
 * run: `steps` steps of batch `batch` on `threads` threads, teacher forcing
 * 0.5 falling linearly; the losses, and the model in m. */
static void run(float *losses, int steps, int batch, int threads, Model *m) {
    Rng r;
    rng_seed(&r, 42);
    Dataset train = reversal(&r, 300, NULL);
    ModelConfig c = reversal_config();
    cr_assert_eq(make_model(m, &c, K, K, 1), 0);
    TrainDesc d = reversal_desc();
    d.teacher_forcing = 0.5f;
    d.tf_schedule = TF_LINEAR;
    d.steps = steps;
    d.batch = batch;
    d.threads = threads;
    char err[AV_ERR_LEN];
    Trainer *tr = trainer_create(m, &d, err);
    cr_assert(tr, "%s", err);
    cr_expect_eq(trainer_threads(tr), threads ? threads : 1, "asked for %d threads, runs %d", threads,
                 trainer_threads(tr));
    for (int s = 0; s < steps; s++) {
        TrainStats st;
        cr_assert_eq(trainer_step(tr, &train, &st, err), 0, "%s", err);
        losses[s] = st.loss;
    }
    trainer_free(tr);
    dataset_free(&train);
}

Test(train, same_seed_same_losses) {
    enum { N = 40 };
    float a[N], b[N];
    Model ma, mb;
    run(a, N, 32, 0, &ma);
    run(b, N, 32, 0, &mb);
    cr_assert(memcmp(a, b, sizeof a) == 0, "losses differ between two runs with the same seed");
    cr_assert(memcmp(ma.params, mb.params, ma.layout.n_params * sizeof(float)) == 0,
              "parameters differ between two runs with the same seed");
    cr_expect(a[N - 1] < a[0], "loss did not fall in %d steps: %f → %f", N, a[0], a[N - 1]);
    model_free(&ma);
    model_free(&mb);
}

Test(train, schedules) {
    cr_expect_float_eq(tf_probability(TF_CONSTANT, 0.7f, 0, 500, 1000), 0.7f, 1e-7f);
    cr_expect_float_eq(tf_probability(TF_LINEAR, 1.0f, 0, 250, 1000), 0.75f, 1e-6f);
    cr_expect_float_eq(tf_probability(TF_LINEAR, 1.0f, 0.4f, 900, 1000), 0.4f, 1e-6f);
    cr_expect_float_eq(tf_probability(TF_EXPONENTIAL, 1.0f, 0.99f, 100, 1000), powf(0.99f, 100), 1e-5f);
    cr_expect_float_eq(tf_probability(TF_INVSIGMOID, 1.0f, 50, 0, 1000), 50.0f / 51.0f, 1e-6f);
    cr_expect_float_eq(tf_probability(TF_INVSIGMOID, 1.0f, 50, 200, 1000),
                       (float)(50.0 / (50.0 + exp(4.0))), 1e-6f);
    for (int s = 0; s < 4; s++) {
        TfSchedule back;
        cr_expect_eq(tf_schedule_parse(tf_schedule_name((TfSchedule)s), &back), 0);
        cr_expect_eq(back, s);
    }
    TfSchedule x;
    cr_expect_eq(tf_schedule_parse("sometimes", &x), -1);
}

/* --threads: every batch is cut into the same shards whatever the number of
 * threads, and their gradients are summed in shard order, so 1, 2 and 3
 * threads give the same losses and weights, bit for bit. The coin flips of
 * teacher forcing are part of what must repeat; batch 13 gives shards of
 * unequal sizes. */
Test(train, thread_count_does_not_change_the_result) {
    enum { N = 25 };
    float l1[N], l2[N], l3[N];
    Model m1, m2, m3;
    run(l1, N, 13, 1, &m1);
    run(l2, N, 13, 2, &m2);
    run(l3, N, 13, 3, &m3);
    size_t bytes = m1.layout.n_params * sizeof(float);
    cr_expect(memcmp(l1, l2, sizeof l1) == 0, "losses differ between 1 and 2 threads");
    cr_expect(memcmp(l1, l3, sizeof l1) == 0, "losses differ between 1 and 3 threads");
    cr_expect(memcmp(m1.params, m2.params, bytes) == 0, "weights differ between 1 and 2 threads");
    cr_expect(memcmp(m1.params, m3.params, bytes) == 0, "weights differ between 1 and 3 threads");
    cr_expect(l1[N - 1] < l1[0], "loss did not fall: %f → %f", l1[0], l1[N - 1]);
    model_free(&m1);
    model_free(&m2);
    model_free(&m3);
}

/* A small reversal setup for one test: data, model, and a Trainer on d. */
typedef struct {
    Dataset train;
    Model m;
    Trainer *tr;
    float *copy;   /* n_params floats, for the test's use */
} Setup;

/* (in place: the Trainer keeps a pointer to s->m) */
static void setup(Setup *s, const TrainDesc *d) {
    Rng r;
    rng_seed(&r, 3);
    s->train = reversal(&r, 200, NULL);
    ModelConfig c = reversal_config();
    cr_assert_eq(make_model(&s->m, &c, K, K, 1), 0);
    char err[AV_ERR_LEN];
    s->tr = trainer_create(&s->m, d, err);
    cr_assert(s->tr, "%s", err);
    s->copy = malloc(s->m.layout.n_params * sizeof(float));
}

static void teardown(Setup *s) {
    free(s->copy);
    trainer_free(s->tr);
    model_free(&s->m);
    dataset_free(&s->train);
}

/* trainer_peek reports what the next step will, and changes nothing. */
Test(train, peek_is_the_next_step_without_taking_it) {
    TrainDesc d = reversal_desc();
    d.teacher_forcing = 0.5f;
    Setup s;
    setup(&s, &d);
    size_t bytes = s.m.layout.n_params * sizeof(float);
    char err[AV_ERR_LEN];
    TrainStats a, b, peek;
    cr_assert_eq(trainer_step(s.tr, &s.train, &a, err), 0, "%s", err);
    memcpy(s.copy, s.m.params, bytes);
    cr_assert_eq(trainer_peek(s.tr, &s.train, &peek, err), 0, "%s", err);
    cr_expect(memcmp(s.copy, s.m.params, bytes) == 0, "peek changed the weights");
    cr_expect_eq(peek.step, 1);
    cr_expect_eq(trainer_steps_done(s.tr), 1);
    cr_assert_eq(trainer_step(s.tr, &s.train, &b, err), 0, "%s", err);
    cr_expect_eq(b.step, 2);
    cr_expect(peek.loss == b.loss && peek.grad_norm == b.grad_norm && peek.token_acc == b.token_acc,
              "peek saw loss %g, norm %g; the step then %g, %g", peek.loss, peek.grad_norm, b.loss, b.grad_norm);
    teardown(&s);
}

/* An absurd learning rate: the loss stops being finite; the step that sees
 * it fails, says which step it was, and leaves the weights alone. */
Test(train, a_loss_that_is_not_finite_stops_with_the_step) {
    TrainDesc d = reversal_desc();
    d.lr = 1e30f;
    Setup s;
    setup(&s, &d);
    size_t bytes = s.m.layout.n_params * sizeof(float);
    char err[AV_ERR_LEN] = "";
    int failed_at = 0;
    for (int k = 1; k <= 10 && !failed_at; k++) {
        memcpy(s.copy, s.m.params, bytes);
        TrainStats st;
        if (trainer_step(s.tr, &s.train, &st, err)) failed_at = k;
    }
    cr_assert(failed_at > 0, "10 steps at lr 1e30 and the loss stayed finite");
    char want[64];
    snprintf(want, sizeof want, "at step %d", failed_at);
    cr_expect(strstr(err, "not finite") && strstr(err, want), "message: '%s' (expected '%s')", err, want);
    cr_expect(memcmp(s.copy, s.m.params, bytes) == 0, "the failed step changed the weights");
    cr_expect_eq(trainer_steps_done(s.tr), failed_at - 1);
    teardown(&s);
}
