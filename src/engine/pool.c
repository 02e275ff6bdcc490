/* pool.c — worker threads for numbered jobs (pool.h), with POSIX threads.
 *
 * One mutex guards the job counter; a round of jobs is announced by bumping
 * `round` and broadcasting `work`; the thread that finishes the last job of
 * the round signals `done`. Training runs a round every few milliseconds,
 * and waking a sleeping thread costs tens of microseconds (more on a busy
 * machine), so a waiting thread first spins for a short while (SPIN_NS),
 * watching `round` or `finished` without the lock, and only then sleeps on
 * the condition variable.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

enum { SPIN_NS = 200 * 1000 }; /* 0.2 ms */

struct Pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_t *workers;
    int n_workers;
    /* the current round: written under mu; round and finished are also
     * read without it while spinning */
    PoolJob fn;
    void *ctx;
    int n_jobs, next;
    atomic_int finished;
    atomic_ulong round;
    bool quit;
};

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Spin until *flag differs from `seen` (round) or reaches `want` (finished),
 * at most SPIN_NS. */
static void spin_round(Pool *p, unsigned long seen) {
    long long end = now_ns() + SPIN_NS;
    for (int i = 0; atomic_load_explicit(&p->round, memory_order_acquire) == seen; i++)
        if ((i & 63) == 63 && now_ns() > end) return;
}
static void spin_finished(Pool *p, int want) {
    long long end = now_ns() + SPIN_NS;
    for (int i = 0; atomic_load_explicit(&p->finished, memory_order_acquire) < want; i++)
        if ((i & 63) == 63 && now_ns() > end) return;
}

/* Take and run jobs of the current round until none is left; called and
 * returns with mu held. */
static void take_jobs(Pool *p) {
    while (p->next < p->n_jobs) {
        int j = p->next++;
        pthread_mutex_unlock(&p->mu);
        p->fn(p->ctx, j);
        pthread_mutex_lock(&p->mu);
        if (atomic_fetch_add(&p->finished, 1) + 1 == p->n_jobs) pthread_cond_signal(&p->done);
    }
}

static void *worker_main(void *arg) {
    Pool *p = arg;
    pthread_mutex_lock(&p->mu);
    unsigned long seen = atomic_load(&p->round);
    for (;;) {
        if (!p->quit && atomic_load(&p->round) == seen) {
            pthread_mutex_unlock(&p->mu);
            spin_round(p, seen);
            pthread_mutex_lock(&p->mu);
        }
        while (!p->quit && atomic_load(&p->round) == seen) pthread_cond_wait(&p->work, &p->mu);
        if (p->quit) break;
        seen = atomic_load(&p->round);
        take_jobs(p);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

Pool *pool_create(int threads) {
    Pool *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    int want = threads > 1 ? threads - 1 : 0;
    p->workers = want ? calloc((size_t)want, sizeof *p->workers) : NULL;
    if (want && !p->workers) {
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    atomic_init(&p->finished, 0);
    atomic_init(&p->round, 0);
    for (int i = 0; i < want; i++) {
        if (pthread_create(&p->workers[i], NULL, worker_main, p) != 0) break;
        p->n_workers++;
    }
    return p;
}

int pool_threads(const Pool *p) { return p ? p->n_workers + 1 : 1; }

void pool_run(Pool *p, PoolJob fn, void *ctx, int n_jobs) {
    if (n_jobs <= 0) return;
    if (p->n_workers == 0) {
        for (int j = 0; j < n_jobs; j++) fn(ctx, j);
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->ctx = ctx;
    p->n_jobs = n_jobs;
    p->next = 0;
    atomic_store(&p->finished, 0);
    atomic_fetch_add(&p->round, 1);
    pthread_cond_broadcast(&p->work);
    take_jobs(p);
    if (atomic_load(&p->finished) < n_jobs) {
        pthread_mutex_unlock(&p->mu);
        spin_finished(p, n_jobs);
        pthread_mutex_lock(&p->mu);
    }
    while (atomic_load(&p->finished) < p->n_jobs) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void pool_free(Pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->n_workers; i++) pthread_join(p->workers[i], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    free(p->workers);
    free(p);
}
