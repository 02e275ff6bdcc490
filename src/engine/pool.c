/* pool.c — worker threads for numbered jobs (pool.h), with POSIX threads.
 *
 * One mutex guards the job counter; a round of jobs is announced by bumping
 * `round` and broadcasting `work`; the thread that finishes the last job of
 * the round signals `done`. Between rounds the workers sleep on `work`.
 */
#include "pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct Pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_t *workers;
    int n_workers;
    /* the current round, under mu */
    PoolJob fn;
    void *ctx;
    int n_jobs, next, finished;
    unsigned long round;
    bool quit;
};

/* Take and run jobs of the current round until none is left; called and
 * returns with mu held. */
static void take_jobs(Pool *p) {
    while (p->next < p->n_jobs) {
        int j = p->next++;
        pthread_mutex_unlock(&p->mu);
        p->fn(p->ctx, j);
        pthread_mutex_lock(&p->mu);
        if (++p->finished == p->n_jobs) pthread_cond_signal(&p->done);
    }
}

static void *worker_main(void *arg) {
    Pool *p = arg;
    pthread_mutex_lock(&p->mu);
    unsigned long seen = p->round;
    for (;;) {
        while (!p->quit && p->round == seen) pthread_cond_wait(&p->work, &p->mu);
        if (p->quit) break;
        seen = p->round;
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
    p->next = p->finished = 0;
    p->round++;
    pthread_cond_broadcast(&p->work);
    take_jobs(p);
    while (p->finished < p->n_jobs) pthread_cond_wait(&p->done, &p->mu);
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
