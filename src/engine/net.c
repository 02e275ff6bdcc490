/* net.c — the workspace: where the activations and gradients of one batch live, and the transposed weights.
 *
 * A Net (net.h) is two allocations, one for the forward's activations and
 * one for their gradients, cut into named arrays by the same two layout
 * functions: once with no memory to measure them, once to point into it.
 * The arrays are laid out for the batch's own (B, S, T), so every stride is
 * the batch's; the memory only grows.
 */
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "s2s_internal.h"

typedef struct {
    char *base;
    size_t off;
} Arena;

static void *take(Arena *a, size_t n, size_t elem) {
    size_t o = (a->off + 63) & ~(size_t)63; /* 64-byte aligned: one cache line */
    a->off = o + n * elem;
    return a->base ? a->base + o : NULL;
}
#define TAKE(a, p, n) ((p) = take((a), (size_t)(n), sizeof *(p)))

static void net_layout_fwd(Net *n, Arena *a, int B, int S, int T) {
    int G = n->G;
    TAKE(a, n->len, B);
    TAKE(a, n->src_rd, B * S);
    TAKE(a, n->tlen, B);
    TAKE(a, n->tok_in, T * B);
    TAKE(a, n->tgt, T * B);
    TAKE(a, n->pred, T * B);
    TAKE(a, n->coin, T * B);
    TAKE(a, n->forced, T * B);
    TAKE(a, n->done, B);
    TAKE(a, n->ex, S * B * n->E);
    for (int d = 0; d < n->ndir; d++) {
        TAKE(a, n->egi[d], S * B * G * n->He);
        TAKE(a, n->egh[d], S * B * G * n->He);
        TAKE(a, n->eact[d], S * B * G * n->He);
        TAKE(a, n->eh[d], (S + 1) * B * n->He);
        TAKE(a, n->ec[d], (S + 1) * B * n->He);
        TAKE(a, n->etc[d], S * B * n->He);
    }
    TAKE(a, n->mem, B * S * n->D);
    TAKE(a, n->keys, B * S * n->K);
    TAKE(a, n->bin, B * 2 * n->He);
    TAKE(a, n->x, T * B * n->I);
    TAKE(a, n->gi, T * B * G * n->H);
    TAKE(a, n->gh, T * B * G * n->H);
    TAKE(a, n->act, T * B * G * n->H);
    TAKE(a, n->h, (T + 1) * B * n->H);
    TAKE(a, n->c, (T + 1) * B * n->H);
    TAKE(a, n->tc, T * B * n->H);
    TAKE(a, n->qp, T * B * n->A);
    TAKE(a, n->u, T * B * S * n->A);
    TAKE(a, n->sc, T * B * S);
    TAKE(a, n->aw, T * B * S);
    TAKE(a, n->ctx, T * B * n->D);
    TAKE(a, n->cat, T * B * (n->D + n->H));
    TAKE(a, n->ht, T * B * n->H);
    TAKE(a, n->logits, T * B * n->Vt);
    TAKE(a, n->probs, T * B * n->Vt);
}

static void net_layout_grad(Net *n, Arena *a, int B, int S, int T) {
    int G = n->G;
    TAKE(a, n->g_ex, S * B * n->E);
    for (int d = 0; d < n->ndir; d++) {
        TAKE(a, n->g_egi[d], S * B * G * n->He);
        TAKE(a, n->g_egh[d], S * B * G * n->He);
        TAKE(a, n->g_eh[d], (S + 1) * B * n->He);
        TAKE(a, n->g_ec[d], (S + 1) * B * n->He);
    }
    TAKE(a, n->g_mem, B * S * n->D);
    TAKE(a, n->g_keys, B * S * n->K);
    TAKE(a, n->g_bin, B * 2 * n->He);
    TAKE(a, n->g_h0pre, B * n->H);
    TAKE(a, n->g_x, T * B * n->I);
    TAKE(a, n->g_gi, T * B * G * n->H);
    TAKE(a, n->g_gh, T * B * G * n->H);
    TAKE(a, n->g_h, (T + 1) * B * n->H);
    TAKE(a, n->g_c, (T + 1) * B * n->H);
    TAKE(a, n->g_qp, T * B * n->A);
    TAKE(a, n->g_sc, T * B * S);
    TAKE(a, n->g_aw, T * B * S);
    TAKE(a, n->g_ctx, T * B * n->D);
    TAKE(a, n->g_cat, T * B * (n->D + n->H));
    TAKE(a, n->g_htpre, T * B * n->H);
    TAKE(a, n->g_ht, T * B * n->H);
    TAKE(a, n->g_logits, T * B * n->Vt);
}

void net_free(Net *n) {
    free(n->fwd_mem);
    free(n->grad_mem);
    memset(n, 0, sizeof *n);
}

/* Make room for a batch of B rows, sources up to S, T decoder steps; the
 * arrays are laid out for exactly (B, S, T), so strides are the batch's own. */
int net_reserve(Net *n, const Model *m, int B, int S, int T, bool grads, char *err) {
    const ModelConfig *c = &m->cfg;
    if (n->fwd_mem && (n->Vs != m->src.n || n->Vt != m->tgt.n || n->H != c->hidden ||
                       n->E != c->embed || n->He != c->enc_hidden || n->G != cfg_gates(c) ||
                       n->I != cfg_dec_input(c) || n->A != c->attn_dim || n->D != cfg_D(c)))
        net_free(n); /* another model: start over */
    if (!n->fwd_mem) {
        memset(n, 0, sizeof *n);
        n->G = cfg_gates(c);
        n->E = c->embed;
        n->He = c->enc_hidden;
        n->D = cfg_D(c);
        n->H = c->hidden;
        n->A = c->attn_dim;
        n->I = cfg_dec_input(c);
        n->K = c->score == SCORE_GENERAL ? n->H : n->A; /* dot: keys = mem, K unused */
        n->Vs = m->src.n;
        n->Vt = m->tgt.n;
        n->ndir = c->bidirectional ? 2 : 1;
    }
    /* the largest arrays are T × B × S × A (concat/additive) and T × B × V;
     * refuse sizes whose index arithmetic would pass 2^31 floats */
    double big = (double)T * B * ((double)S * (n->A > 1 ? n->A : 1) + n->Vt + (double)S * 2) +
                 (double)S * B * n->G * (n->He + n->D);
    if (B < 1 || S < 1 || T < 1 || big > 5e8)
        return av_err(err, "a batch of %d × %d source × %d target tokens is too large for memory", B,
                      S, T);
    bool grow = B > n->capB || S > n->capS || T > n->capT || (grads && !n->grads_on);
    if (grow) {
        int cB = B > n->capB ? B : n->capB, cS = S > n->capS ? S : n->capS;
        int cT = T > n->capT ? T : n->capT;
        free(n->fwd_mem);
        free(n->grad_mem);
        n->fwd_mem = n->grad_mem = NULL;
        n->grads_on = false;
        Arena a = {0};
        net_layout_fwd(n, &a, cB, cS, cT);
        n->fwd_mem = calloc(1, a.off + 64);
        bool want_grads = grads || n->grads_on;
        size_t gbytes = 0;
        if (want_grads) {
            Arena g = {0};
            net_layout_grad(n, &g, cB, cS, cT);
            gbytes = g.off;
            n->grad_mem = calloc(1, gbytes + 64);
        }
        if (!n->fwd_mem || (want_grads && !n->grad_mem)) {
            free(n->fwd_mem);
            free(n->grad_mem);
            n->fwd_mem = n->grad_mem = NULL;
            n->capB = n->capS = n->capT = 0;
            return av_err(err, "out of memory for a batch of %d × %d × %d", B, S, T);
        }
        n->capB = cB;
        n->capS = cS;
        n->capT = cT;
        n->grads_on = want_grads;
    }
    n->B = B;
    n->S = S;
    n->T = T;
    Arena a = {n->fwd_mem, 0};
    net_layout_fwd(n, &a, B, S, T);
    if (n->grads_on) {
        Arena g = {n->grad_mem, 0};
        net_layout_grad(n, &g, B, S, T);
        n->grad_floats = g.off / sizeof(float);
    }
    return 0;
}

/* The forward pass reads every weight matrix transposed (see matmul_forward):
 * WT has the model's layout, each 2-D tensor stored as its transpose. */
void weights_transpose(const Model *m, float *WT) {
    for (int i = 0; i < m->layout.n; i++) {
        const TensorInfo *t = &m->layout.t[i];
        if (weight_is_transposed(t)) transpose(WT + t->offset, m->params + t->offset, t->rows, t->cols);
    }
}
