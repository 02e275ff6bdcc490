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

/* PyTorch's clip_grad_norm_: scale every gradient by max/‖g‖ when the global
 * norm ‖g‖ (over all parameters together) exceeds max. Returns ‖g‖. */
static float clip_global_norm(float *g, size_t n, float max) {
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) ss += (double)g[i] * g[i];
    float norm = (float)sqrt(ss);
    if (max > 0.0f && norm > max) {
        float k = max / (norm + 1e-6f);
        for (size_t i = 0; i < n; i++) g[i] *= k;
    }
    return norm;
}

/* Adam (Kingma & Ba), as torch.optim.Adam computes it, step t ≥ 1:
 *   m = β1 m + (1 - β1) g           running mean of the gradient
 *   v = β2 v + (1 - β2) g²          running mean of its square
 *   p -= lr/(1 - β1^t) · m / (√v / √(1 - β2^t) + ε)
 * the two (1 - β^t) undo the bias of m and v towards their zero start. */
static void adam_update(float *restrict p, const float *restrict g, float *restrict m,
                        float *restrict v, size_t n, float lr,
                        float b1, float b2, float eps, long t) {
    float bc1 = 1.0f - (float)pow(b1, (double)t);
    float bc2s = sqrtf(1.0f - (float)pow(b2, (double)t));
    float step = lr / bc1;
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1.0f - b1) * g[i];
        v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
        p[i] -= step * m[i] / (sqrtf(v[i]) / bc2s + eps);
    }
}

/* ---- trainer ------------------------------------------------------------------- */

struct Trainer {
    Model *m;
    TrainDesc d;
    float *grads, *m1, *m2, *WT;  /* each n_params floats */
    Weights gw, wt;
    Net net;
    Rng rng;
    int *idx;
    long step;
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
    tr->grads = calloc(n, sizeof(float));
    tr->m1 = calloc(n, sizeof(float));
    tr->m2 = calloc(n, sizeof(float));
    tr->WT = calloc(n, sizeof(float));
    tr->idx = calloc((size_t)tr->d.batch, sizeof(int));
    if (!tr->grads || !tr->m1 || !tr->m2 || !tr->WT || !tr->idx) {
        trainer_free(tr);
        av_err(err, "out of memory for %zu parameters", n);
        return NULL;
    }
    weights_bind(&tr->gw, &m->layout, tr->grads);
    weights_bind(&tr->wt, &m->layout, tr->WT);
    rng_seed(&tr->rng, d->seed);
    return tr;
}

void trainer_free(Trainer *tr) {
    if (!tr) return;
    free(tr->grads);
    free(tr->m1);
    free(tr->m2);
    free(tr->WT);
    free(tr->idx);
    net_free(&tr->net);
    free(tr);
}

int trainer_step(Trainer *tr, const Dataset *data, TrainStats *st, char *err) {
    if (data->n < 1) return av_err(err, "the training data is empty");
    Model *m = tr->m;
    size_t n = m->layout.n_params;
    int B = tr->d.batch;
    for (int b = 0; b < B; b++) tr->idx[b] = rng_below(&tr->rng, data->n);
    float p = tf_probability(tr->d.tf_schedule, tr->d.teacher_forcing, tr->d.tf_param, tr->step,
                             tr->d.steps);
    weights_transpose(m, tr->WT);
    memset(tr->grads, 0, n * sizeof(float));
    int correct = 0, total = 0;
    char why[AV_ERR_LEN] = "";
    float loss = net_loss_grad(&tr->net, m, &tr->wt, data, tr->idx, B, p, &tr->rng, &tr->gw,
                               &correct, &total, why);
    if (why[0]) return av_err(err, "%s", why);
    if (!isfinite(loss)) return av_err(err, "the loss is not finite at step %ld", tr->step + 1);
    float norm = clip_global_norm(tr->grads, n, tr->d.clip);
    if (!isfinite(norm)) return av_err(err, "the gradient is not finite at step %ld", tr->step + 1);
    tr->step++;
    adam_update(m->params, tr->grads, tr->m1, tr->m2, n, tr->d.lr, tr->d.beta1, tr->d.beta2,
                tr->d.eps, tr->step);
    m->trained_steps++;
    if (st) {
        st->step = tr->step;
        st->loss = loss;
        st->token_acc = total ? (float)correct / (float)total : 0.0f;
        st->tf_p = p;
        st->grad_norm = norm;
    }
    return 0;
}

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
