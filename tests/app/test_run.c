/* test_run.c — a training run's worker thread (src/app/train_run.c) steered from the main thread as the app does: pause, one step, speed, polling while it trains, restart to the same numbers, a loss that turns NaN, closing mid-training. Runs under ASan (no display needed). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/train_run.h"
#include "tasks/task.h"

/* One timeout for the suite: per-test timeouts leak criterion's own
 * bookkeeping (48 bytes) when tests run in parallel. */
TestSuite(run, .timeout = 300);

static LearnDesc desc(float lr, long plan) {
    LearnDesc d = {0};
    d.cfg = (ModelConfig){.cell = CELL_LSTM, .style = STYLE_LUONG, .score = SCORE_GENERAL, .embed = 8,
                          .enc_hidden = 16, .hidden = 16, .tokenizer = TOK_CHAR};
    d.train = (TrainDesc){.batch = 16, .lr = lr, .clip = lr > 1 ? 0 : 1, .teacher_forcing = 1.0f, .steps = plan,
                          .seed = 3, .threads = 1};
    d.log_every = 10;
    d.eval_every = 100;
    d.probe = "abcdef";
    d.task = task_find("reverse");
    d.film = true;
    d.name = "reverse";
    d.made_by = "test_run";
    return d;
}

static TrainRun *make_run(float lr, long plan, bool training, int speed) {
    Pairs train, test;
    char err[AV_ERR_LEN];
    cr_assert_eq(task_pairs(task_find("reverse"), SPLIT_TRAIN, 400, 1, &train, err), 0, "%s", err);
    cr_assert_eq(task_pairs(task_find("reverse"), SPLIT_TEST, 40, 1, &test, err), 0, "%s", err);
    LearnDesc d = desc(lr, plan);
    LearnSession *s = learn_create(&d, &train, &test, err);
    pairs_free(&train);
    pairs_free(&test);
    cr_assert_not_null(s, "%s", err);
    RunDesc rd = {.plan = plan, .label = "dot", .probe = "abcdef", .reference = "fedcba", .task = task_find("reverse"),
                  .film = true, .training = training, .speed = speed};
    TrainRun *r = run_create(s, &rd, err);
    cr_assert_not_null(r, "%s", err);
    return r;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The loss of the line at `step`, or NAN. */
static float loss_at(TrainRun *r, long step) {
    for (int i = 0; i < learn_line_count(r->s); i++)
        if (learn_line(r->s, i)->step == step) return learn_line(r->s, i)->loss;
    return NAN;
}

Test(run, paused_it_takes_one_step_at_a_time) {
    TrainRun *r = make_run(0.01f, 100, false, 0);
    cr_assert(run_wait_idle(r, 30));
    cr_assert_eq(run_shared(r).steps, 0, "paused at step 0: nothing trains");
    usleep(100000);
    cr_assert_eq(run_shared(r).steps, 0, "paused: still nothing after a while");
    for (int k = 1; k <= 3; k++) {
        run_single_step(r);
        cr_assert(run_wait_idle(r, 30));
        RunShared c = run_shared(r);
        cr_assert_eq(c.steps, k, "one step each");
        cr_assert_eq(c.state, RUN_PAUSED);
    }
    /* watched step by step: a line (with the probe) after every step */
    run_poll(r);
    VizCurves cur;
    run_curves(r, &cur);
    cr_assert_eq(cur.n, 4, "steps 0..3, one point each");
    for (int i = 0; i < 4; i++) cr_assert_float_eq(cur.v[VIZ_CURVE_STEP][i], (float)i, 1e-6);
    VizProbe p;
    run_probe(r, -1, &p);
    cr_assert_eq(p.step, 3, "the probe on the latest weights");
    cr_assert_eq(p.S, 6);
    cr_assert_not_null(p.w);
    cr_assert_eq(p.R, 7, "the reference and <eos>");
    run_free(r);
}

Test(run, training_while_the_screen_polls) {
    TrainRun *r = make_run(0.01f, 120, true, 0);
    int polls = 0, frames = 0;
    double t0 = now_s();
    while (run_shared(r).state == RUN_TRAINING && now_s() - t0 < 200) {
        if (run_poll(r)) frames++;   /* what the screen does every frame */
        VizCurves cur;
        run_curves(r, &cur);
        VizProbe film[64], p;
        int nf = run_film(r, film, 64);
        run_probe(r, nf > 0 ? 0 : -1, &p);
        for (int i = 1; i < cur.n; i++) cr_assert_gt(cur.v[VIZ_CURVE_STEP][i], cur.v[VIZ_CURVE_STEP][i - 1]);
        polls++;
    }
    RunShared c = run_shared(r);
    cr_assert_eq(c.state, RUN_DONE, "it trains to its plan: %s", c.error);
    cr_assert_eq(c.steps, 120);
    cr_assert_gt(frames, 0);
    run_poll(r);
    VizProbe film[64];
    int nf = run_film(r, film, 64);
    static const long STEPS[] = {0, 10, 20, 50, 100};
    cr_assert_geq(nf, 5, "film frames at 0, 10, 20, 50, 100: %d", nf);
    for (int i = 0; i < 5; i++) cr_assert_eq(film[i].step, STEPS[i], "film frame %d", i);
    cr_log_info("%d polls, %d with news, %.2f s", polls, frames, now_s() - t0);
    run_free(r);
}

Test(run, a_restart_gives_the_same_numbers) {
    TrainRun *r = make_run(0.01f, 200, false, 0);
    cr_assert(run_train_to(r, 30, 120));
    float a = loss_at(r, 30), b = loss_at(r, 20);
    cr_assert(isfinite(a) && isfinite(b), "lines at 20 and 30");
    char err[AV_ERR_LEN];
    cr_assert_eq(run_restart(r, err), 0, "%s", err);
    cr_assert_eq(run_shared(r).steps, 0);
    cr_assert_eq(learn_line_count(r->s), 1, "the log starts again at step 0");
    cr_assert(run_train_to(r, 30, 120));
    cr_assert_eq(loss_at(r, 20), b, "step 20 again: %.9g, was %.9g", (double)loss_at(r, 20), (double)b);
    cr_assert_eq(loss_at(r, 30), a);
    run_free(r);
}

Test(run, a_slow_speed_is_kept) {
    TrainRun *r = make_run(0.01f, 1000, true, 5);   /* 5 steps a second */
    usleep(1000000);
    long k = run_shared(r).steps;
    cr_assert(k >= 2 && k <= 8, "5 steps a second for 1 s: %ld steps", k);
    run_set_training(r, false);
    cr_assert(run_wait_idle(r, 30));
    long held = run_shared(r).steps;
    usleep(300000);
    cr_assert_eq(run_shared(r).steps, held, "paused: it stays");
    run_free(r);
}

Test(run, a_loss_that_is_not_finite_stops_it_at_its_step) {
    TrainRun *r = make_run(1e30f, 100, true, 0);
    double t0 = now_s();
    while (run_shared(r).state == RUN_TRAINING && now_s() - t0 < 60) usleep(10000);
    RunShared c = run_shared(r);
    cr_assert_eq(c.state, RUN_FAILED, "an absurd learning rate fails");
    cr_assert(strstr(c.error, "not finite at step"), "'%s'", c.error);
    char want[64];
    snprintf(want, sizeof want, "at step %ld", c.steps + 1);
    cr_assert(strstr(c.error, want), "'%s' names the step after the last good one (%ld)", c.error, c.steps);
    run_set_training(r, true);   /* Space does not start a failed run again */
    usleep(50000);
    cr_assert_eq(run_shared(r).state, RUN_FAILED);
    /* R: from the seed again. The restarted run trains at once (a failed
     * run goes again), so the worker may already be past step 0 when we
     * look: what must hold is that it fails again at the same step. */
    char err[AV_ERR_LEN];
    cr_assert_eq(run_restart(r, err), 0, "R: from the seed again: %s", err);
    t0 = now_s();
    while (run_shared(r).state == RUN_TRAINING && now_s() - t0 < 60) usleep(10000);
    RunShared again = run_shared(r);
    cr_assert_eq(again.state, RUN_FAILED, "the restarted run fails again");
    cr_assert_eq(again.steps, c.steps, "restarted from the seed, it fails at the same step (%ld, was %ld)",
                 again.steps, c.steps);
    cr_assert_str_eq(again.error, c.error);
    run_free(r);
}

Test(run, closing_mid_training_is_prompt) {
    TrainRun *r = make_run(0.01f, 100000, true, 0);
    while (run_shared(r).steps < 3) usleep(1000);
    double t0 = now_s();
    run_free(r);   /* the worker finishes its step; ASan checks nothing is left */
    cr_assert_lt(now_s() - t0, 5.0, "closing took %.2f s", now_s() - t0);
}

Test(run, another_probe_while_it_trains) {
    TrainRun *r = make_run(0.01f, 100000, true, 0);
    while (run_shared(r).steps < 5) usleep(1000);
    char err[AV_ERR_LEN];
    cr_assert_eq(run_set_probe(r, "xyz", "zyx", err), 0, "%s", err);
    cr_assert_neq(run_set_probe(r, "\xff\xfe", NULL, err), 0, "not UTF-8: refused");
    cr_assert_str_eq(r->probe, "xyz", "a refused probe leaves the old one");
    run_set_training(r, false);
    cr_assert(run_wait_idle(r, 30));
    run_single_step(r);
    cr_assert(run_wait_idle(r, 30));
    run_poll(r);
    VizProbe p;
    run_probe(r, -1, &p);
    cr_assert_eq(p.S, 3, "the new probe is decoded");
    run_free(r);
}
