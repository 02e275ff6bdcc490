/* pool.h — a few worker threads that run numbered jobs, for data-parallel training.
 *
 * pool_run(p, fn, ctx, n) calls fn(ctx, j) once for every j in [0, n) and
 * returns when all have returned; the calling thread takes jobs too, so a
 * pool of 1 thread has no worker and runs them all in the caller. Jobs are
 * handed out in the order 0, 1, 2, ... to whichever thread is free, so which
 * thread runs a job is not fixed: a job must write only its own outputs, and
 * whatever sums the outputs sums them afterwards, in job order. That is what
 * makes a result independent of the number of threads.
 *
 * No globals: everything lives in the Pool. pool_run must not be called from
 * two threads at once on one pool.
 */
#ifndef POOL_H
#define POOL_H

typedef struct Pool Pool;
typedef void (*PoolJob)(void *ctx, int job);

/* A pool of `threads` threads in all (the caller's included, so threads - 1
 * workers); threads < 1 counts as 1. If the system refuses a thread the pool
 * keeps the ones it got. NULL only when out of memory. */
Pool *pool_create(int threads);
/* How many threads run jobs (the caller's included). */
int pool_threads(const Pool *p);
void pool_run(Pool *p, PoolJob fn, void *ctx, int n_jobs);
/* Stops and joins the workers. NULL is fine. */
void pool_free(Pool *p);

#endif
