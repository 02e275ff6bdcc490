/* batch.c — running the model on data: one input decoded with its trace, or a mini-batch with its loss and gradient.
 *
 * These are the public entry points of seq2seq.h that drive a Net: they check
 * every id against the vocabularies, reserve the workspace, transpose the
 * weights for the forward pass, and call net_encode, net_decode and
 * net_backward.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "s2s_internal.h"

/* ---- public: decoding with a trace -------------------------------------------- */

static int check_ids(const int *ids, int n, int V, const char *what, char *err) {
    for (int i = 0; i < n; i++)
        if (ids[i] < 0 || ids[i] >= V)
            return av_err(err, "%s token %d has id %d, outside the vocabulary of %d", what, i, ids[i], V);
    return 0;
}

int seq2seq_decode(const Model *m, const int *src, int S, const DecodeDesc *d, Trace *out,
                   char *err) {
    memset(out, 0, sizeof *out);
    if (S < 1) return av_err(err, "the input is empty");
    if (check_ids(src, S, m->src.n, "source", err)) return -1;
    bool ref = d && d->reference;
    if (ref && (d->ref_len < 0 || check_ids(d->reference, d->ref_len, m->tgt.n, "reference", err)))
        return d->ref_len < 0 ? av_err(err, "negative reference length") : -1;
    int T = ref ? d->ref_len + 1 : (d && d->max_len > 0 ? d->max_len : 64);
    float p = ref ? d->teacher_forcing : 0.0f;
    uint64_t seed = d ? d->seed : 0;

    Net n = {0};
    float *WT = malloc(m->layout.n_params * sizeof *WT);
    int *tgt = ref ? malloc((size_t)T * sizeof *tgt) : NULL;
    int rc = (!WT || (ref && !tgt)) ? av_err(err, "out of memory")
                                    : net_reserve(&n, m, 1, S + source_extra(m), T, false, err);
    if (rc) {
        free(WT);
        free(tgt);
        net_free(&n);
        return -1;
    }
    Weights wt;
    weights_transpose(m, WT);
    weights_bind(&wt, &m->layout, WT);
    if (ref) {
        memcpy(tgt, d->reference, (size_t)d->ref_len * sizeof *tgt);
        tgt[d->ref_len] = TOK_EOS;
    }
    Rng rng;
    rng_seed(&rng, seed);
    net_encode(&n, m, &wt, (const int *const *)&src, &S);
    n.check_finite = true; /* a NaN stops the decoding with a message, never a trace of nulls */
    net_decode(&n, m, &wt, tgt, p, &rng, true);
    rc = n.bad_step ? net_nonfinite_err(&n, err) : trace_from_net(out, &n, m, p, seed, ref, err);
    free(WT);
    free(tgt);
    net_free(&n);
    return rc;
}

/* ---- public: data ------------------------------------------------------------------ */

void dataset_free(Dataset *d) {
    free(d->src_off);
    free(d->src_len);
    free(d->tgt_off);
    free(d->tgt_len);
    free(d->ids);
    memset(d, 0, sizeof *d);
}

/* Load rows idx[0..B) of d into the Net (sources; targets into tgt[T × B]). */
int net_load_batch(Net *n, const Model *m, const Weights *wt, const Dataset *d, const int *idx,
                   int B, bool grads, int **tgt_out, char *err) {
    int S = 1, T = 1;
    for (int b = 0; b < B; b++) {
        int e = idx[b];
        if (e < 0 || e >= d->n) return av_err(err, "example %d is outside the data set of %d", e, d->n);
        if (d->src_len[e] < 1) return av_err(err, "example %d has an empty source", e);
        if (d->tgt_len[e] < 1) return av_err(err, "example %d has an empty target", e);
        if (check_ids(d->ids + d->src_off[e], d->src_len[e], m->src.n, "source", err) ||
            check_ids(d->ids + d->tgt_off[e], d->tgt_len[e], m->tgt.n, "target", err))
            return -1;
        S = d->src_len[e] > S ? d->src_len[e] : S;
        T = d->tgt_len[e] > T ? d->tgt_len[e] : T;
    }
    if (net_reserve(n, m, B, S + source_extra(m), T, grads, err)) return -1;
    const int **srcs = malloc((size_t)B * sizeof *srcs);
    int *lens = malloc((size_t)B * sizeof *lens);
    int *tgt = malloc((size_t)T * B * sizeof *tgt);
    if (!srcs || !lens || !tgt) {
        free(srcs);
        free(lens);
        free(tgt);
        return av_err(err, "out of memory");
    }
    for (int b = 0; b < B; b++) {
        srcs[b] = d->ids + d->src_off[idx[b]];
        lens[b] = d->src_len[idx[b]];
    }
    for (int b = 0; b < B; b++) {
        const int *y = d->ids + d->tgt_off[idx[b]];
        for (int t = 0; t < T; t++) tgt[t * B + b] = t < d->tgt_len[idx[b]] ? y[t] : -1;
        n->tlen[b] = d->tgt_len[idx[b]];
    }
    net_encode(n, m, wt, srcs, lens);
    free(srcs);
    free(lens);
    *tgt_out = tgt;
    return 0;
}

/* Loss (mean over target tokens) and, when gw, its gradient accumulated. */
float net_loss_grad(Net *n, const Model *m, const Weights *wt, const Dataset *d, const int *idx,
                    int B, float tf_p, Rng *rng, const Weights *gw, int *correct, int *total,
                    char *err) {
    int *tgt = NULL;
    if (B < 1) {
        av_err(err, "empty batch");
        return NAN;
    }
    if (net_load_batch(n, m, wt, d, idx, B, gw != NULL, &tgt, err)) return NAN;
    Rng local;
    if (!rng) {
        rng_seed(&local, 0);
        rng = &local;
    }
    double loss = net_decode(n, m, wt, tgt, tf_p, rng, false);
    long ntok = 0, right = 0;
    for (int j = 0; j < n->T * B; j++) {
        if (tgt[j] < 0) continue;
        ntok++;
        right += n->pred[j] == tgt[j];
    }
    if (correct) *correct = (int)right;
    if (total) *total = (int)ntok;
    if (gw) net_backward(n, m, gw, 1.0f / (float)ntok);
    free(tgt);
    return (float)(loss / (double)ntok);
}

float seq2seq_loss_grad(const Model *m, const Dataset *d, const int *idx, int B, float tf_p,
                        Rng *rng, float *grads, int *correct, int *total, char *err) {
    Net n = {0};
    float *WT = malloc(m->layout.n_params * sizeof *WT);
    if (!WT) {
        av_err(err, "out of memory");
        return NAN;
    }
    Weights wt, gw;
    weights_transpose(m, WT);
    weights_bind(&wt, &m->layout, WT);
    if (grads) weights_bind(&gw, &m->layout, grads);
    float loss = net_loss_grad(&n, m, &wt, d, idx, B, tf_p, rng, grads ? &gw : NULL, correct, total, err);
    free(WT);
    net_free(&n);
    return loss;
}
