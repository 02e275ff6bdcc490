/* train_run.c — a training run's worker thread and how the main thread steers it (train_run.h).
 *
 * The worker takes one step at a time, so every request (pause, a single
 * step, another speed, park, quit) is seen within one step. At a speed
 * below full it sleeps until the next step is due (a condition variable on
 * the monotonic clock, so a key wakes it at once) and logs a line after
 * every step: the probe on screen then changes with every step the class
 * watches. At full speed it logs as the session says (every log_every
 * steps), so the probe costs training almost nothing.
 */
#include "train_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const int RUN_SPEED[RUN_SPEEDS] = {1, 2, 5, 10, 30, 100, 300, 1000, 0};

int run_speed_index(int steps_per_s) {
    if (steps_per_s <= 0) return RUN_FULL;
    int best = 0;
    for (int i = 0; i < RUN_FULL; i++)
        if (abs(RUN_SPEED[i] - steps_per_s) < abs(RUN_SPEED[best] - steps_per_s)) best = i;
    return best;
}

static double mono_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static struct timespec mono_at(double s) {
    struct timespec t = {.tv_sec = (time_t)s};
    t.tv_nsec = (long)((s - (double)t.tv_sec) * 1e9);
    if (t.tv_nsec >= 1000000000L) t.tv_sec++, t.tv_nsec -= 1000000000L;
    return t;
}

/* ---- the worker ---- */

/* Wait (mu held) until a step should be taken: true, or false to quit. */
static bool wait_for_step(TrainRun *r, double *due) {
    RunShared *c = &r->c;
    for (;;) {
        if (c->quit) return false;
        if (c->park) {
            c->parked = true;
            pthread_cond_broadcast(&r->cv);
            while (c->park && !c->quit) pthread_cond_wait(&r->cv, &r->mu);
            c->parked = false;
            pthread_cond_broadcast(&r->cv);
            *due = mono_now();
            continue;
        }
        if (c->state == RUN_DONE || c->state == RUN_FAILED) c->single = 0;
        else if (c->single > 0) {
            c->single--;
            return true;
        } else if (c->state == RUN_TRAINING) {
            if (c->speed <= 0) return true;
            double now = mono_now();
            if (now >= *due) {
                /* on time: the next one 1/speed later; late (a slow step, a
                 * held-out measure): from now, never a burst to catch up */
                *due = fmax(*due + 1.0 / c->speed, now);
                return true;
            }
            struct timespec at = mono_at(*due);
            pthread_cond_timedwait(&r->cv, &r->mu, &at);
            continue;
        }
        pthread_cond_wait(&r->cv, &r->mu);
    }
}

static void *worker(void *arg) {
    TrainRun *r = arg;
    RunShared *c = &r->c;
    double due = mono_now();
    pthread_mutex_lock(&r->mu);
    while (wait_for_step(r, &due)) {
        bool each = c->speed > 0 || c->state != RUN_TRAINING;   /* watched step by step */
        c->stepping = true;
        pthread_mutex_unlock(&r->mu);
        char err[AV_ERR_LEN];
        int rc = learn_step(r->s, 1, NULL, err);
        if (rc == 0 && each) rc = learn_log_now(r->s, false, err);
        long k = learn_steps_done(r->s);
        pthread_mutex_lock(&r->mu);
        c->stepping = false;
        c->steps = k;
        c->changes++;
        if (rc != 0) {
            c->state = RUN_FAILED;
            snprintf(c->error, sizeof c->error, "%s", err);
        } else if (k >= r->plan) {
            c->state = RUN_DONE;
        } else if (c->pause_at > 0 && k >= c->pause_at) {
            c->state = RUN_PAUSED;
            c->pause_at = 0;
            c->single = 0;
        }
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* ---- making and ending a run ---- */

TrainRun *run_create(LearnSession *s, const RunDesc *d, char *err) {
    TrainRun *r = calloc(1, sizeof *r);
    if (!r) {
        learn_free(s);
        av_err(err, "out of memory");
        return NULL;
    }
    r->s = s;
    r->plan = d->plan > 0 ? d->plan : 1;
    r->film = d->film;
    r->task = d->task;
    r->n_right = -1;
    snprintf(r->label, sizeof r->label, "%s", d->label ? d->label : "");
    r->c.state = d->training ? RUN_TRAINING : RUN_PAUSED;
    r->c.speed = d->speed;
    r->c.steps = learn_steps_done(s);
    if (r->c.steps >= r->plan) r->c.state = RUN_DONE;   /* trained before it came (learn --screenshot) */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, &ca);
    pthread_condattr_destroy(&ca);
    /* the probe's own data: its reference tokens and right alignment */
    if (d->probe && run_show_probe(r, d->probe, d->reference, err) != 0) {
        run_free(r);
        return NULL;
    }
    if (pthread_create(&r->thread, NULL, worker, r) != 0) {
        av_err(err, "cannot start the training thread");
        run_free(r);
        return NULL;
    }
    r->started = true;
    return r;
}

void run_free(TrainRun *r) {
    if (!r) return;
    if (r->started) {
        pthread_mutex_lock(&r->mu);
        r->c.quit = true;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL);
    }
    run_show_free(r);
    learn_free(r->s);
    pthread_cond_destroy(&r->cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

/* ---- asking ---- */

void run_set_training(TrainRun *r, bool on) {
    pthread_mutex_lock(&r->mu);
    if (r->c.state == RUN_PAUSED || r->c.state == RUN_TRAINING) r->c.state = on ? RUN_TRAINING : RUN_PAUSED;
    if (!on) r->c.single = 0;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

void run_single_step(TrainRun *r) {
    pthread_mutex_lock(&r->mu);
    if (r->c.state == RUN_TRAINING) r->c.state = RUN_PAUSED;
    if (r->c.state == RUN_PAUSED) r->c.single++;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

void run_set_speed(TrainRun *r, int steps_per_s) {
    pthread_mutex_lock(&r->mu);
    r->c.speed = steps_per_s < 0 ? 0 : steps_per_s;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

void run_pause_at(TrainRun *r, long step) {
    pthread_mutex_lock(&r->mu);
    r->c.pause_at = step;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

RunShared run_shared(TrainRun *r) {
    pthread_mutex_lock(&r->mu);
    RunShared c = r->c;
    pthread_mutex_unlock(&r->mu);
    return c;
}

bool run_busy(TrainRun *r) {
    pthread_mutex_lock(&r->mu);
    bool busy = r->c.single > 0 || r->c.stepping;
    pthread_mutex_unlock(&r->mu);
    return busy;
}

/* Wait (mu held) until done() or the deadline: false on timeout. */
static bool wait_until(TrainRun *r, bool (*done)(const RunShared *, long), long arg, double seconds) {
    struct timespec at = mono_at(mono_now() + seconds);
    while (!done(&r->c, arg))
        if (pthread_cond_timedwait(&r->cv, &r->mu, &at) != 0 && !done(&r->c, arg)) return false;
    return true;
}

static bool idle(const RunShared *c, long arg) {
    (void)arg;
    return !c->stepping && (c->single == 0 || c->state == RUN_DONE || c->state == RUN_FAILED);
}

bool run_wait_idle(TrainRun *r, double seconds) {
    pthread_mutex_lock(&r->mu);
    bool ok = wait_until(r, idle, 0, seconds);
    pthread_mutex_unlock(&r->mu);
    return ok;
}

static bool reached(const RunShared *c, long step) {
    return !c->stepping && (c->steps >= step || c->state == RUN_DONE || c->state == RUN_FAILED);
}

bool run_train_to(TrainRun *r, long step, double seconds) {
    pthread_mutex_lock(&r->mu);
    RunState was = r->c.state;
    int speed = r->c.speed;
    if (r->c.steps < step && was == RUN_PAUSED) {
        r->c.state = RUN_TRAINING;
        r->c.speed = 0;
        r->c.pause_at = step;
        pthread_cond_broadcast(&r->cv);
    }
    bool ok = wait_until(r, reached, step, seconds);
    r->c.speed = speed;
    pthread_mutex_unlock(&r->mu);
    return ok;
}

/* ---- as the worker ---- */

static void park(TrainRun *r) {
    pthread_mutex_lock(&r->mu);
    r->c.park = true;
    pthread_cond_broadcast(&r->cv);
    while (r->started && !r->c.parked) pthread_cond_wait(&r->cv, &r->mu);
    pthread_mutex_unlock(&r->mu);
}

static void unpark(TrainRun *r) {
    pthread_mutex_lock(&r->mu);
    r->c.park = false;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

int run_restart(TrainRun *r, char *err) {
    park(r);
    run_show_reset(r);   /* nothing of the old log is kept past this */
    int rc = learn_restart(r->s, err);
    pthread_mutex_lock(&r->mu);
    r->c.steps = learn_steps_done(r->s);
    r->c.single = 0;
    r->c.changes++;
    r->c.error[0] = 0;
    if (rc != 0) {
        r->c.state = RUN_FAILED;
        snprintf(r->c.error, sizeof r->c.error, "%s", err);
    } else if (r->c.state != RUN_PAUSED) {
        r->c.state = RUN_TRAINING;   /* a finished or failed run goes again */
    }
    pthread_mutex_unlock(&r->mu);
    r->probe_line0 = 0;
    unpark(r);
    return rc;
}

int run_set_probe(TrainRun *r, const char *text, const char *reference, char *err) {
    park(r);
    /* the screen's part first: a text that does not encode changes nothing */
    int rc = run_show_probe(r, text, reference, err);
    if (rc == 0) rc = learn_set_probe(r->s, text, err);
    if (rc == 0) r->probe_line0 = learn_line_count(r->s);   /* the lines from here on decode it */
    unpark(r);
    return rc;
}
