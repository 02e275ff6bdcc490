/* bench_engine.c — the engine's two figures, single thread, for the standard
 * model of issue 2: LSTM, bidirectional encoder 2×32, decoder H = 64, E = 16,
 * Luong `general`, 25-character inputs, 11-token outputs (10 + <eos>),
 * batch 32.
 *   1. one decode with its full trace (seq2seq_decode), in µs  (target ≤ 100)
 *   2. the gradient trace of one decoding (seq2seq_grad_trace: forward,
 *      backward, the step's replay), in µs                     (target ≤ 300),
 *      and the replay alone for another η (seq2seq_after_step)
 *   3. training throughput in target tokens/s (trainer_step)   (target ≥ 40,000)
 *   4. the same with 2 threads against 1 (--threads)          (target ≥ 1.7×)
 * Times 1 to 3 are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so that
 * other processes competing for the core do not count; wall-clock figures
 * are printed alongside. Two threads can only be timed on the wall clock:
 * the rounds of 1 and 2 threads alternate, and the ratio of the best rounds
 * is printed, which a loaded machine blurs but does not bias much.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/gradtrace.h"
#include "engine/seq2seq.h"

enum { S = 25, T = 10, V = 26, N = 2048 };

static double clock_s(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
static double now(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }
static double wall(void) { return clock_s(CLOCK_MONOTONIC); }

/* Target tokens per second of trainer_step on d for `seconds` (CPU time of
 * this thread when cpu, else wall time); -1 on an error. */
static double train_rate(Model *m, const Dataset *d, int threads, double seconds, bool cpu) {
    char err[AV_ERR_LEN];
    TrainDesc td = {.batch = 32, .lr = 1e-3f, .teacher_forcing = 1.0f, .steps = 1000, .seed = 3,
                    .threads = threads};
    Trainer *t = trainer_create(m, &td, err);
    if (!t) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    TrainStats st;
    for (int i = 0; i < 5; i++) trainer_step(t, d, &st, err); /* warm up */
    int steps = 0;
    double t0 = cpu ? now() : wall(), el = 0;
    while ((el = (cpu ? now() : wall()) - t0) < seconds || steps < 20) {
        if (trainer_step(t, d, &st, err)) {
            fprintf(stderr, "%s\n", err);
            trainer_free(t);
            return -1;
        }
        steps++;
    }
    trainer_free(t);
    return (double)steps * td.batch * (T + 1) / el;
}

int main(void) {
    const char *toks[4 + V] = {"<pad>", "<sos>", "<eos>", "<unk>"};
    static char letters[V][2];
    for (int i = 0; i < V; i++) {
        letters[i][0] = (char)('a' + i);
        toks[4 + i] = letters[i];
    }
    char err[AV_ERR_LEN];
    Vocab voc;
    if (vocab_init(&voc, toks, 4 + V, err)) return 1;
    ModelConfig c = {.cell = CELL_LSTM, .bidirectional = true, .style = STYLE_LUONG,
                     .score = SCORE_GENERAL, .embed = 16, .enc_hidden = 32, .hidden = 64};
    Model m;
    Rng r;
    rng_seed(&r, 1);
    if (model_create(&m, &c, &voc, &voc, &r, err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }

    /* N random pairs: 25 letters in, 10 letters + <eos> out */
    Dataset d = {0};
    d.n = N;
    d.src_off = malloc(N * sizeof(int));
    d.src_len = malloc(N * sizeof(int));
    d.tgt_off = malloc(N * sizeof(int));
    d.tgt_len = malloc(N * sizeof(int));
    d.ids = malloc((size_t)N * (S + T + 1) * sizeof(int));
    for (int i = 0, o = 0; i < N; i++) {
        d.src_off[i] = o;
        d.src_len[i] = S;
        for (int k = 0; k < S; k++) d.ids[o++] = 4 + rng_below(&r, V);
        d.tgt_off[i] = o;
        d.tgt_len[i] = T + 1;
        for (int k = 0; k < T; k++) d.ids[o++] = 4 + rng_below(&r, V);
        d.ids[o++] = TOK_EOS;
    }
    d.max_src = S;
    d.max_tgt = T + 1;

    /* 1. decode with full trace (against a reference: exactly 11 steps) */
    DecodeDesc dd = {.reference = d.ids + d.tgt_off[0], .ref_len = T, .teacher_forcing = 1.0f};
    Trace tr;
    int reps = 2000;
    double best = 1e9, total = 0, w0 = wall();
    for (int i = 0; i < reps; i++) {
        double t0 = now();
        if (seq2seq_decode(&m, d.ids + d.src_off[i % N], S, &dd, &tr, err)) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        double t1 = now() - t0;
        trace_free(&tr);
        total += t1;
        best = t1 < best ? t1 : best;
    }
    double wd = wall() - w0;
    printf("decode with full trace: %.1f µs CPU (mean of %d), %.1f µs best, %.1f µs wall   "
           "[target ≤ 100 µs]\n", 1e6 * total / reps, reps, 1e6 * best, 1e6 * wd / reps);

    /* 2. the gradient trace, against the same reference (teacher forced) */
    GradTrace gt;
    reps = 1000;
    best = 1e9, total = 0, w0 = wall();
    double best_a = 1e9, total_a = 0;
    for (int i = 0; i < reps; i++) {
        double t0 = now();
        if (seq2seq_grad_trace(&m, d.ids + d.src_off[i % N], S, &dd, 0.1f, &gt, NULL, err)) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        double t1 = now() - t0;
        total += t1;
        best = t1 < best ? t1 : best;
        t0 = now();
        if (seq2seq_after_step(&m, &gt, 0.05f + 1e-4f * (float)i, err)) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        t1 = now() - t0;
        total_a += t1;
        best_a = t1 < best_a ? t1 : best_a;
        grad_trace_free(&gt);
    }
    wd = wall() - w0;
    printf("gradient trace (forward + backward + one step's replay): %.1f µs CPU (mean of %d), %.1f µs best   "
           "[target ≤ 300 µs]\n", 1e6 * total / reps, reps, 1e6 * best);
    printf("  the step's replay alone, for another η: %.1f µs CPU (mean), %.1f µs best\n", 1e6 * total_a / reps,
           1e6 * best_a);

    /* 3. training throughput, one thread (CPU time), then 1 against 2
     * threads (wall time, interleaved rounds; the best round of each) */
    double tps1 = train_rate(&m, &d, 1, 2.0, true);
    if (tps1 < 0) return 1;
    printf("training, 1 thread: %.0f target tokens/s CPU   [target ≥ 40,000]\n", tps1);
    double best1 = 0, best2 = 0;
    for (int round = 0; round < 3; round++) {
        double a = train_rate(&m, &d, 1, 1.0, false), b = train_rate(&m, &d, 2, 1.0, false);
        if (a < 0 || b < 0) return 1;
        best1 = a > best1 ? a : best1;
        best2 = b > best2 ? b : best2;
    }
    printf("training, wall: 1 thread %.0f, 2 threads %.0f target tokens/s (best of 3 interleaved "
           "rounds): %.2f×   [target ≥ 1.7×]\n", best1, best2, best2 / best1);
    dataset_free(&d);
    model_free(&m);
    vocab_free(&voc);
    return 0;
}
