/* train.c — teacher-forcing schedules, Adam with global-norm clipping, the
 * Trainer, and batched greedy evaluation.
 *
 * Parameters, gradients and the two Adam moments are each one flat array of
 * n_params floats with the model's layout, so the optimizer is a single loop
 * that knows nothing about tensors. One Rng (seeded from TrainDesc.seed)
 * draws the mini-batches and the teacher-forcing coins, in a fixed order:
 * the same seed gives the same run, bit for bit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "pool.h"
#include "s2s_internal.h"

/* ---- teacher-forcing schedules ------------------------------------------------ */

static const char *TF_NAMES[] = {"constant", "linear", "exponential", "inverse_sigmoid"};

const char *tf_schedule_name(TfSchedule s) {
    return (unsigned)s < 4 ? TF_NAMES[s] : "?";
}

int tf_schedule_parse(const char *s, TfSchedule *out) {
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, TF_NAMES[i]) == 0) {
            *out = (TfSchedule)i;
            return 0;
        }
    return -1;
}

/* param ≤ 0 picks a default: linear p_min 0, exponential ε = 0.999,
 * inverse sigmoid κ = steps / 10 (at least 1), so p falls to about half at
 * k ≈ κ log κ. */
float tf_probability(TfSchedule s, float p, float param, long k, long steps) {
    double q = p;
    switch (s) {
    case TF_CONSTANT: break;
    case TF_LINEAR: {
        double pmin = param > 0 ? param : 0.0;
        q = steps > 0 ? p * (1.0 - (double)k / (double)steps) : p;
        if (q < pmin) q = pmin;
        break;
    }
    case TF_EXPONENTIAL: q = p * pow(param > 0 ? param : 0.999, (double)k); break;
    case TF_INVSIGMOID: {
        double kappa = param > 0 ? param : (steps / 10 > 1 ? steps / 10 : 1);
        q = kappa / (kappa + exp((double)k / kappa));
        break;
    }
    }
    return (float)(q < 0 ? 0 : q > 1 ? 1 : q);
}

/* ---- optimizer ------------------------------------------------------------------- */

/* The shards' gradients summed into the first, g = ((g_0 + g_1) + g_2) + g_3
 * element by element, and PyTorch's clip_grad_norm_ in the same pass: every
 * gradient is to be scaled by max/‖g‖ when the global norm ‖g‖ (over all
 * parameters together) exceeds max. Returns ‖g‖ and sets *scale to that
 * factor (1 under the limit); the scaling itself happens inside Adam
 * (ops.h), in the same multiplication. */
static float sum_and_norm(float *const *g, int K, size_t n, float max, float *scale) {
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        float s = g[0][i];
        for (int k = 1; k < K; k++) s += g[k][i];
        g[0][i] = s;
        ss += (double)s * s;
    }
    float norm = (float)sqrt(ss);
    *scale = max > 0.0f && norm > max ? max / (norm + 1e-6f) : 1.0f;
    return norm;
}

/* ---- trainer ------------------------------------------------------------------- */

/* Data parallel, with a result that does not depend on the thread count.
 * Every mini-batch is cut into the same shards whatever the number of
 * threads: the batch's examples sorted by length (so a shard pads little),
 * then TRAIN_SHARDS contiguous runs of them. Each shard runs forward and
 * backward in its own Net into its own gradient buffer, with its own coins
 * (an Rng seeded from the Trainer's, in shard order); the threads take the
 * shards in any order, and the buffers are then summed in shard order. So
 * 1, 2 or 3 threads compute the same floats in the same order, bit for bit.
 * Every shard scales its gradient by 1 / (target tokens of the whole batch),
 * so the sum is the gradient of the batch's mean loss. */
enum { TRAIN_SHARDS = 4 };

typedef struct { int len, pos, example; } Drawn;   /* one example of the batch */

typedef struct {
    Net net;
    float *grads;     /* n_params, this shard's gradient (shard 0: the Trainer's) */
    Weights gw;
    Rng rng;          /* its teacher-forcing coins                               */
    const int *idx;   /* its examples                                            */
    int B;
    double loss;      /* summed cross-entropy                                    */
    long right, ntok;
    char err[AV_ERR_LEN];
} Shard;

struct Trainer {
    Model *m;
    TrainDesc d;
    float *grads, *m1, *m2, *WT;  /* each n_params floats */
    bool wt_fresh;                /* WT is the turned m->params (the Trainer owns them) */
    Weights wt;
    Rng rng;
    int *idx;                     /* the batch, in shard order */
    Drawn *drawn;
    long step;
    Shard shard[TRAIN_SHARDS];
    int n_shards;
    Pool *pool;
    /* the step being computed, for the shard jobs */
    const Dataset *data;
    float tf_p, scale, clip_scale;
    TrainStats pending;           /* trainer_gradient's result, for trainer_update */
    bool have_pending;
};

Trainer *trainer_create(Model *m, const TrainDesc *d, char *err) {
    Trainer *tr = calloc(1, sizeof *tr);
    if (!tr) {
        av_err(err, "out of memory");
        return NULL;
    }
    tr->m = m;
    tr->d = *d;
    if (tr->d.batch <= 0) tr->d.batch = 32;
    if (tr->d.lr <= 0) tr->d.lr = 3e-3f;
    if (tr->d.beta1 <= 0) tr->d.beta1 = 0.9f;
    if (tr->d.beta2 <= 0) tr->d.beta2 = 0.999f;
    if (tr->d.eps <= 0) tr->d.eps = 1e-8f;
    if (tr->d.clip == 0) tr->d.clip = 1.0f;
    size_t n = m->layout.n_params;
    tr->n_shards = tr->d.batch < TRAIN_SHARDS ? tr->d.batch : TRAIN_SHARDS;
    tr->grads = calloc(n, sizeof(float));
    tr->m1 = calloc(n, sizeof(float));
    tr->m2 = calloc(n, sizeof(float));
    tr->WT = calloc(n, sizeof(float));
    tr->idx = calloc((size_t)tr->d.batch, sizeof(int));
    tr->drawn = calloc((size_t)tr->d.batch, sizeof *tr->drawn);
    bool ok = tr->grads && tr->m1 && tr->m2 && tr->WT && tr->idx && tr->drawn;
    for (int k = 0; ok && k < tr->n_shards; k++) {
        Shard *s = &tr->shard[k];
        s->grads = k == 0 ? tr->grads : calloc(n, sizeof(float));
        ok = s->grads != NULL;
        if (ok) weights_bind(&s->gw, &m->layout, s->grads);
    }
    int threads = tr->d.threads < tr->n_shards ? tr->d.threads : tr->n_shards;
    if (ok) ok = (tr->pool = pool_create(threads)) != NULL;
    if (!ok) {
        trainer_free(tr);
        av_err(err, "out of memory for %zu parameters", n);
        return NULL;
    }
    weights_bind(&tr->wt, &m->layout, tr->WT);
    rng_seed(&tr->rng, d->seed);
    return tr;
}

void trainer_free(Trainer *tr) {
    if (!tr) return;
    pool_free(tr->pool);
    for (int k = 0; k < tr->n_shards; k++) {
        if (k > 0) free(tr->shard[k].grads);
        net_free(&tr->shard[k].net);
    }
    free(tr->grads);
    free(tr->m1);
    free(tr->m2);
    free(tr->WT);
    free(tr->idx);
    free(tr->drawn);
    free(tr);
}

int trainer_threads(const Trainer *tr) { return pool_threads(tr->pool); }

/* One shard, forward and backward (a pool job): the loss summed over its
 * target tokens, its gradient (scaled by the batch's 1/ntok) in its buffer.
 * Job j is shard K-1-j: the longest shards are handed out first, so that
 * the threads finish at about the same time. */
static void shard_job(void *ctx, int j) {
    Trainer *tr = ctx;
    Shard *s = &tr->shard[tr->n_shards - 1 - j];
    const Model *m = tr->m;
    int *tgt = NULL;
    s->err[0] = 0;
    s->loss = NAN;
    if (net_load_batch(&s->net, m, &tr->wt, tr->data, s->idx, s->B, true, &tgt, s->err)) return;
    Net *n = &s->net;
    s->loss = net_decode(n, m, &tr->wt, tgt, tr->tf_p, &s->rng, false);
    s->right = s->ntok = 0;
    for (int j = 0; j < n->T * s->B; j++) {
        if (tgt[j] < 0) continue;
        s->ntok++;
        s->right += n->pred[j] == tgt[j];
    }
    memset(s->grads, 0, tr->m->layout.n_params * sizeof(float));
    net_backward(n, m, &s->gw, tr->scale);
    free(tgt);
}

/* The batch's examples in shard order: shorter first (source plus target
 * length), ties in the order they were drawn. A total order, so the shards
 * are the same on every machine. */
static int by_length(const void *a, const void *b) {
    const Drawn *x = a, *y = b;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Draw the next batch and cut it into shards; returns its target tokens. */
static long draw_batch(Trainer *tr, const Dataset *data) {
    int B = tr->d.batch, K = tr->n_shards;
    Drawn *dr = tr->drawn;
    for (int b = 0; b < B; b++) {
        int e = rng_below(&tr->rng, data->n);
        dr[b] = (Drawn){data->src_len[e] + data->tgt_len[e], b, e};
    }
    qsort(dr, (size_t)B, sizeof *dr, by_length);
    long ntok = 0;
    for (int b = 0; b < B; b++) {
        tr->idx[b] = dr[b].example;
        ntok += data->tgt_len[dr[b].example];
    }
    for (int k = 0; k < K; k++) { /* shard k: rows [k·B/K, (k+1)·B/K) */
        Shard *s = &tr->shard[k];
        int lo = (int)((long)k * B / K), hi = (int)((long)(k + 1) * B / K);
        s->idx = tr->idx + lo;
        s->B = hi - lo;
        rng_seed(&s->rng, rng_next(&tr->rng));
    }
    return ntok;
}

/* WT, the matrices the forward reads turned (weights_transpose), for the
 * parameters [lo, hi) only: row by row of each turned matrix that range
 * covers, dst[c][r] = src[r][c]. */
static void transpose_range(const Model *m, float *WT, size_t lo, size_t hi) {
    for (int k = 0; k < m->layout.n; k++) {
        const TensorInfo *t = &m->layout.t[k];
        size_t a = t->offset > lo ? t->offset : lo, end = t->offset + t->size, b = end < hi ? end : hi;
        if (a >= b || !weight_is_transposed(t)) continue;
        size_t R = (size_t)t->rows, C = (size_t)t->cols;
        const float *src = m->params + t->offset;
        float *dst = WT + t->offset;
        size_t i = a - t->offset, r = i / C, c = i % C;
        for (; i < b - t->offset; i++) {
            dst[c * R + r] = src[i];
            if (++c == C) c = 0, r++;
        }
    }
}

/* Adam (ops.h) on one range of the parameters per job: it is element-wise,
 * so any cut gives the same bits. The same job turns its range of the new
 * weights into WT for the next step's forward, while they are in its cache. */
static void adam_job(void *ctx, int j) {
    Trainer *tr = ctx;
    size_t n = tr->m->layout.n_params, J = (size_t)pool_threads(tr->pool);
    size_t lo = n * (size_t)j / J, hi = n * (size_t)(j + 1) / J;
    const TrainDesc *d = &tr->d;
    float bc1 = 1.0f - (float)pow(d->beta1, (double)tr->step);
    float bc2s = sqrtf(1.0f - (float)pow(d->beta2, (double)tr->step));
    adam(tr->m->params + lo, tr->m1 + lo, tr->m2 + lo, tr->grads + lo, tr->clip_scale, hi - lo,
         d->lr / bc1, d->beta1, d->beta2, bc2s, d->eps);
    transpose_range(tr->m, tr->WT, lo, hi);
}

int trainer_gradient(Trainer *tr, const Dataset *data, TrainStats *st, char *err) {
    if (data->n < 1) return av_err(err, "the training data is empty");
    Model *m = tr->m;
    size_t n = m->layout.n_params;
    int K = tr->n_shards;
    long ntok = draw_batch(tr, data);
    if (ntok < 1) return av_err(err, "the batch has no target tokens");
    tr->data = data;
    tr->tf_p = tf_probability(tr->d.tf_schedule, tr->d.teacher_forcing, tr->d.tf_param, tr->step,
                              tr->d.steps);
    tr->scale = 1.0f / (float)ntok;
    if (!tr->wt_fresh) weights_transpose(m, tr->WT); /* else Adam's jobs made it */
    tr->wt_fresh = true;
    pool_run(tr->pool, shard_job, tr, K);

    /* the shards' sums, in shard order */
    double loss = 0.0;
    long right = 0;
    for (int k = 0; k < K; k++) {
        const Shard *s = &tr->shard[k];
        if (s->err[0]) return av_err(err, "%s", s->err);
        loss += s->loss;
        right += s->right;
    }
    float mean = (float)(loss / (double)ntok);
    if (!isfinite(mean)) return av_err(err, "the loss is not finite at step %ld", tr->step + 1);
    float *g[TRAIN_SHARDS];
    for (int k = 0; k < K; k++) g[k] = tr->shard[k].grads;
    float norm = sum_and_norm(g, K, n, tr->d.clip, &tr->clip_scale);
    if (!isfinite(norm)) return av_err(err, "the gradient is not finite at step %ld", tr->step + 1);
    tr->pending = (TrainStats){.step = tr->step + 1, .loss = mean,
                               .token_acc = (float)right / (float)ntok, .tf_p = tr->tf_p,
                               .grad_norm = norm};
    tr->have_pending = true;
    if (st) *st = tr->pending;
    return 0;
}

void trainer_update(Trainer *tr) {
    if (!tr->have_pending) return;
    tr->have_pending = false;
    tr->step++;
    pool_run(tr->pool, adam_job, tr, pool_threads(tr->pool));
    tr->m->trained_steps++;
}

int trainer_step(Trainer *tr, const Dataset *data, TrainStats *st, char *err) {
    if (trainer_gradient(tr, data, st, err)) return -1;
    trainer_update(tr);
    return 0;
}

int trainer_peek(Trainer *tr, const Dataset *data, TrainStats *st, char *err) {
    Rng keep = tr->rng;
    int rc = trainer_gradient(tr, data, st, err);
    tr->rng = keep;
    tr->have_pending = false;
    if (st) st->step = tr->step;
    return rc;
}

long trainer_steps_done(const Trainer *tr) { return tr->step; }

/* ---- evaluation -------------------------------------------------------------------- */

int seq2seq_eval(const Model *m, const Dataset *d, EvalStats *st, char *err) {
    memset(st, 0, sizeof *st);
    enum { CHUNK = 64 };
    float *WT = malloc(m->layout.n_params * sizeof *WT);
    Net n = {0};
    if (!WT) return av_err(err, "out of memory");
    Weights wt;
    weights_transpose(m, WT);
    weights_bind(&wt, &m->layout, WT);
    int rc = 0;
    for (int i0 = 0; i0 < d->n && rc == 0; i0 += CHUNK) {
        int B = d->n - i0 < CHUNK ? d->n - i0 : CHUNK;
        int idx[CHUNK], *tgt = NULL;
        for (int b = 0; b < B; b++) idx[b] = i0 + b;
        if (net_load_batch(&n, m, &wt, d, idx, B, false, &tgt, err)) {
            rc = -1;
            break;
        }
        /* free-running greedy decoding: no reference fed, stop at <eos>;
         * a number that is not finite stops the evaluation */
        n.check_finite = true;
        net_decode(&n, m, &wt, NULL, 0.0f, NULL, true);
        if (n.bad_step) {
            char why[AV_ERR_LEN];
            net_nonfinite_err(&n, why);
            rc = av_err(err, "decoding pairs %d to %d: %s", i0 + 1, i0 + B, why);
            free(tgt);
            break;
        }
        int T = n.T;
        for (int b = 0; b < B; b++) {
            int L = d->tgt_len[i0 + b], right = 0;
            const int *y = d->ids + d->tgt_off[i0 + b];
            for (int t = 0; t < L && t < T; t++) right += n.pred[t * B + b] == y[t];
            st->tokens += L;
            st->tokens_right += right;
            st->exact += right == L; /* every token right, <eos> in its place */
        }
        st->n += B;
        free(tgt);
    }
    free(WT);
    net_free(&n);
    return rc;
}

int seq2seq_greedy(const Model *m, const int *src, int S, int *out, int max) {
    if (S < 1 || max < 0) return 0;
    for (int s = 0; s < S; s++)
        if (src[s] < 0 || src[s] >= m->src.n) return 0;
    float *WT = malloc(m->layout.n_params * sizeof *WT);
    Net n = {0};
    if (!WT || net_reserve(&n, m, 1, S + source_extra(m), max + 1, false, NULL)) {
        free(WT);
        net_free(&n);
        return 0;
    }
    Weights wt;
    weights_transpose(m, WT);
    weights_bind(&wt, &m->layout, WT);
    net_encode(&n, m, &wt, &src, &S);
    net_decode(&n, m, &wt, NULL, 0.0f, NULL, true);
    int len = 0;
    while (len < n.T && len < max && n.pred[len] != TOK_EOS) {
        out[len] = n.pred[len];
        len++;
    }
    free(WT);
    net_free(&n);
    return len;
}

/* Change the learning rate between steps (a schedule lives with the caller;
 * added for `attnviz train --lr-decay`). */
void trainer_set_lr(Trainer *tr, float lr) {
    if (lr > 0) tr->d.lr = lr;
}
