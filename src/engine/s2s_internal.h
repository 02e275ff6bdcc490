/* s2s_internal.h — what the engine's model files share (not public).
 *
 *   net.c       the workspace (Net) and the transposed weights
 *   seq2seq.c   the forward pass: encoder, attention, one decoder step
 *   backward.c  the backward pass
 *   batch.c     running it on data: one input with its trace, a batch with its loss
 *   train.c     the optimizer and the Trainer;  trace.c  a B = 1 Net into a Trace
 */
#ifndef S2S_INTERNAL_H
#define S2S_INTERNAL_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "net.h"
#include "seq2seq.h"

/* p[i], the i-th slice of n floats: AT(n->h, t, B * H) is step t's [B × H] */
#define AT(p, i, n) ((p) + (size_t)(i) * (size_t)(n))

int net_reserve(Net *n, const Model *m, int B, int S, int T, bool grads, char *err);
void net_free(Net *n);
/* WT[n_params]: the model's layout, every 2-D weight stored transposed */
void weights_transpose(const Model *m, float *WT);
/* The tensors weights_transpose turns: every matrix but the embedding
 * tables, which the forward gathers rows from. The forward reads those
 * matrices only through WT, and everything else through m->w. */
static inline bool weight_is_transposed(const TensorInfo *t) {
    return t->cols != 0 && !strstr(t->name, "embedding");
}
void net_encode(Net *n, const Model *m, const Weights *wt, const int *const *src, const int *len);
double net_decode_step(Net *n, const Model *m, const Weights *wt, int i);
double net_decode(Net *n, const Model *m, const Weights *wt, const int *tgt, float tf_p, Rng *rng,
                  bool stop_eos);
/* After net_decode with check_finite stopped (bad_step ≠ 0): "step 2: the
 * attention scores are not finite (NaN)", into err; returns -1. */
int net_nonfinite_err(const Net *n, char *err);
void net_backward(Net *n, const Model *m, const Weights *gw, float scale);
int net_load_batch(Net *n, const Model *m, const Weights *wt, const Dataset *d, const int *idx,
                   int B, bool grads, int **tgt_out, char *err);
float net_loss_grad(Net *n, const Model *m, const Weights *wt, const Dataset *d, const int *idx,
                    int B, float tf_p, Rng *rng, const Weights *gw, int *correct, int *total,
                    char *err);

/* ---- the score layer, split once ----------------------------------------------
 * The part of the score that reads the query q and the part that reads the
 * keys h̄_s:
 *   general:  score_s = qᵀ (W_a h̄_s + b_a)     Wk = W_a [H × D], bk = b_a; no Wq
 *   concat:   W_a [q ; h̄_s] + b_W = Wq q + (Wk h̄_s + b_W)
 *             Wq = W_a[:, :H], Wk = W_a[:, H:], the two column blocks of
 *             W_a [A × (H + D)] (rows H + D apart); bk = b_W
 *   additive: (W_a q + b_W) + (U_a h̄_s + b_U)  Wq = W_a [A × H], bq = b_W,
 *             Wk = U_a [A × D], bk = b_U
 * dot, scaled_dot and none have no weight: all NULL. The biases are NULL
 * without attn_bias. A bias that does not depend on s goes with the keys,
 * which are computed once per source, not once per step. */
typedef struct {
    float *Wq, *Wk; /* row o of Wq starts at Wq + o·ldq; Wk likewise with ldk */
    int ldq, ldk;
    float *bq, *bk; /* the biases added to Wq q and to Wk h̄_s, or NULL */
} ScoreLayer;

/* The halves of W itself or of its gradient gw (the same layout). */
static inline ScoreLayer score_layer(const Model *m, const Weights *w) {
    int H = m->cfg.hidden, D = cfg_D(&m->cfg);
    switch (m->cfg.score) {
    case SCORE_GENERAL: return (ScoreLayer){NULL, w->attn_W_a, 0, D, NULL, w->attn_b_W};
    case SCORE_CONCAT: return (ScoreLayer){w->attn_W_a, w->attn_W_a + H, H + D, H + D, NULL, w->attn_b_W};
    case SCORE_ADDITIVE: return (ScoreLayer){w->attn_W_a, w->attn_U_a, H, D, w->attn_b_W, w->attn_b_U};
    default: return (ScoreLayer){NULL, NULL, 0, 0, NULL, NULL};
    }
}

/* The halves of the transposed copy the forward reads (weights_transpose):
 * WqT[H × A] and WkT[D × K], each contiguous. Concat's column blocks of W_a
 * become row blocks of W_aᵀ: its first H rows, then the D rows after them.
 * Biases are not transposed: they come from the model's own weights. */
static inline ScoreLayer score_layer_T(const Model *m, const Weights *wt) {
    int H = m->cfg.hidden, A = m->cfg.attn_dim;
    ScoreLayer b = score_layer(m, &m->w);
    switch (m->cfg.score) {
    case SCORE_GENERAL: return (ScoreLayer){NULL, wt->attn_W_a, 0, H, b.bq, b.bk};
    case SCORE_CONCAT: return (ScoreLayer){wt->attn_W_a, wt->attn_W_a + (size_t)H * A, A, A, b.bq, b.bk};
    case SCORE_ADDITIVE: return (ScoreLayer){wt->attn_W_a, wt->attn_U_a, A, A, b.bq, b.bk};
    default: return (ScoreLayer){NULL, NULL, 0, 0, NULL, NULL};
    }
}

/* Tokens the engine adds to every source: 1 (<eos>) for source_eos, else 0. */
static inline int source_extra(const Model *m) { return m->cfg.source_eos ? 1 : 0; }

/* What the query is compared with: h̄_s itself (dot) or the keys Wk h̄_s. */
static inline bool keys_are_mem(const Model *m) {
    return m->cfg.score == SCORE_DOT || m->cfg.score == SCORE_SCALED_DOT;
}
static inline float score_scale(const Net *n, const Model *m) {
    return m->cfg.score == SCORE_SCALED_DOT ? 1.0f / sqrtf((float)n->D) : 1.0f;
}
/* the tanh scores (concat, additive) have the query half Wq q */
static inline bool score_has_query_layer(const Model *m) {
    return m->cfg.score == SCORE_CONCAT || m->cfg.score == SCORE_ADDITIVE;
}

/* What W_o reads at every step: h̃_t (Luong with attention) or h_t; both
 * arrays are [T × B × H], so all steps form one matrix. */
static inline bool has_attentional(const Model *m) {
    return cfg_attn(&m->cfg) && m->cfg.style == STYLE_LUONG;
}
static inline float *out_in(const Net *n, const Model *m) {
    return has_attentional(m) ? n->ht : n->h + (size_t)n->B * n->H;
}
static inline float *g_out_in(const Net *n, const Model *m) {
    return has_attentional(m) ? n->g_ht : n->g_h + (size_t)n->B * n->H;
}

/* trace.c: copy a B = 1 Net into a Trace (input order) */
int trace_from_net(Trace *tr, const Net *n, const Model *m, float tf_p,
                   uint64_t seed, bool has_ref, char *err);
/* trace.c: the head of a trace's JSON (model, reference, coins, source
 * tokens), shared by the gradient trace's file; ends without a comma */
void trace_json_head(FILE *fp, const Trace *t);

#endif
