/* seq2seq.c — the forward and backward pass of the whole model, over a
 * mini-batch of B sequences at once (../shared/MODEL.md).
 *
 * Design: there is ONE forward pass, net_encode + net_decode_step, written
 * for B rows. Training runs it on a mini-batch; decoding with a trace runs
 * it with B = 1 and copies the activations into the Trace, so what the
 * visualizer shows is exactly what training computes. The backward pass
 * walks the same steps in reverse, each operation's backward in ops.c.
 *
 * Padding: in a batch, sources and targets have different lengths. The
 * encoder keeps a row's state unchanged past its last token (so h→_S is the
 * state after its own last token), attention gives padded positions a score
 * of -INFINITY (weight exactly 0), and the loss skips padded target steps.
 *
 * reverse_source: the encoder reads each source backwards, so the memory is
 * in reading order; only the trace maps it back to the input's own order.
 */
#include "seq2seq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "ops.h"
#include "s2s_internal.h"

#define AT(p, i, n) ((p) + (size_t)(i) * (size_t)(n))

/* ---- workspace ------------------------------------------------------------ */

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
        if (t->cols == 0 || strstr(t->name, "embedding")) continue; /* gathered, not multiplied */
        transpose(WT + t->offset, m->params + t->offset, t->rows, t->cols);
    }
}

/* ---- encoder --------------------------------------------------------------- */

/* Reads B sources (src[b], len[b] ids, input order) and fills the memory,
 * the keys and the decoder's start state h[0], c[0]. */
void net_encode(Net *n, const Model *m, const Weights *wt, const int *const *src, const int *len) {
    const ModelConfig *cfg = &m->cfg;
    const Weights *w = &m->w;
    int B = n->B, S = n->S, E = n->E, He = n->He, G = n->G, D = n->D, H = n->H;
    int GHe = G * He;

    /* ---- read order and embeddings: x_s = E_src[token_s] ---- */
    for (int b = 0; b < B; b++) {
        n->len[b] = len[b];
        for (int s = 0; s < S; s++) {
            int id = 0;
            if (s < len[b]) id = cfg->reverse_source ? src[b][len[b] - 1 - s] : src[b][s];
            n->src_rd[b * S + s] = id;
            float *xs = AT(n->ex, s * B + b, E);
            if (s < len[b]) memcpy(xs, AT(w->enc_emb, id, E), (size_t)E * sizeof *xs);
            else memset(xs, 0, (size_t)E * sizeof *xs);
        }
    }
    memset(n->mem, 0, (size_t)B * S * D * sizeof *n->mem);

    for (int d = 0; d < n->ndir; d++) {
        const float *WT_ih = d ? wt->enc_W_ih_r : wt->enc_W_ih;
        const float *WT_hh = d ? wt->enc_W_hh_r : wt->enc_W_hh;
        const float *b_ih = d ? w->enc_b_ih_r : w->enc_b_ih;
        const float *b_hh = d ? w->enc_b_hh_r : w->enc_b_hh;
        /* the input half of every gate, for all positions at once */
        matmul_forward(n->egi[d], n->ex, WT_ih, b_ih, S * B, E, GHe);
        memset(n->eh[d], 0, (size_t)B * He * sizeof(float)); /* h_0 = 0 */
        memset(n->ec[d], 0, (size_t)B * He * sizeof(float)); /* c_0 = 0 */
        for (int k = 0; k < S; k++) {
            int pos = d ? S - 1 - k : k; /* the backward direction reads right to left */
            float *hp = AT(n->eh[d], k, B * He), *hn = AT(n->eh[d], k + 1, B * He);
            float *cp = AT(n->ec[d], k, B * He), *cn = AT(n->ec[d], k + 1, B * He);
            float *gh = AT(n->egh[d], k, B * GHe), *act = AT(n->eact[d], k, B * GHe);
            const float *gi = AT(n->egi[d], pos, B * GHe);
            matmul_forward(gh, hp, WT_hh, b_hh, B, He, GHe);
            if (cfg->cell == CELL_LSTM)
                lstm_cell_forward(hn, cn, act, AT(n->etc[d], k, B * He), gi, gh, cp, B, He);
            else gru_cell_forward(hn, act, gi, gh, hp, B, He);
            for (int b = 0; b < B; b++) {
                if (pos >= len[b]) { /* padding: the state passes through unchanged */
                    memcpy(AT(hn, b, He), AT(hp, b, He), (size_t)He * sizeof(float));
                    memcpy(AT(cn, b, He), AT(cp, b, He), (size_t)He * sizeof(float));
                } else {
                    memcpy(AT(n->mem, b * S + pos, D) + d * He, AT(hn, b, He), (size_t)He * sizeof(float));
                }
            }
        }
    }

    /* ---- decoder start state ---- */
    float *h0 = n->h, *c0 = n->c;
    if (!cfg->bidirectional) { /* h_0 = h→_S, c_0 = c→_S */
        memcpy(h0, AT(n->eh[0], S, B * He), (size_t)B * H * sizeof(float));
        memcpy(c0, AT(n->ec[0], S, B * He), (size_t)B * H * sizeof(float));
    } else { /* h_0 = tanh(W_b [h→_S ; h←_1] + b_b), c_0 = 0 */
        for (int b = 0; b < B; b++) {
            memcpy(AT(n->bin, b, 2 * He), AT(n->eh[0], S * B + b, He), (size_t)He * sizeof(float));
            memcpy(AT(n->bin, b, 2 * He) + He, AT(n->eh[1], S * B + b, He), (size_t)He * sizeof(float));
        }
        matmul_forward(h0, n->bin, wt->bridge_W, w->bridge_b, B, 2 * He, H);
        tanh_forward(h0, h0, B * H);
        memset(c0, 0, (size_t)B * H * sizeof(float));
    }

    /* ---- keys: the part of every score that depends on h̄_s only ---- */
    switch (cfg->score) {
    case SCORE_GENERAL: /* k_s = W_a h̄_s */
        matmul_forward(n->keys, n->mem, wt->attn_W_a, NULL, B * S, D, H);
        break;
    case SCORE_CONCAT: /* W_a [q ; h̄_s] = W_a[:, :H] q + W_a[:, H:] h̄_s; Wᵀ's rows H.. */
        matmul_forward(n->keys, n->mem, wt->attn_W_a + (size_t)H * n->A, NULL, B * S, D, n->A);
        break;
    case SCORE_ADDITIVE: /* k_s = U_a h̄_s */
        matmul_forward(n->keys, n->mem, wt->attn_U_a, NULL, B * S, D, n->A);
        break;
    default: break;
    }
}

/* ---- attention --------------------------------------------------------------- */

static const float *keys_of(const Net *n, const Model *m) {
    return (m->cfg.score == SCORE_DOT || m->cfg.score == SCORE_SCALED_DOT) ? n->mem : n->keys;
}
static float score_scale(const Net *n, const Model *m) {
    return m->cfg.score == SCORE_SCALED_DOT ? 1.0f / sqrtf((float)n->D) : 1.0f;
}
/* the query half of the tanh layer, transposed, and its ldw in W */
static const float *query_WT(const Weights *wt) {
    return wt->attn_W_a; /* concat: Wᵀ's first H rows; additive: W_a itself */
}
static int query_ldw(const Net *n, const Model *m) {
    return m->cfg.score == SCORE_CONCAT ? n->H + n->D : n->H;
}

/* step index i (0-based), query q[B × H] → sc, aw, ctx of that step */
static void attention_forward(Net *n, const Model *m, const Weights *wt, int i, const float *q) {
    int B = n->B, S = n->S, A = n->A;
    float *sc = AT(n->sc, i, B * S), *aw = AT(n->aw, i, B * S);
    if (m->cfg.score == SCORE_CONCAT || m->cfg.score == SCORE_ADDITIVE) {
        float *qp = AT(n->qp, i, B * A);
        matmul_forward(qp, q, query_WT(wt), NULL, B, n->H, A);
        score_tanh_forward(sc, AT(n->u, i, B * S * A), qp, n->keys, m->w.attn_v_a, n->len, B, S, A);
    } else {
        score_dot_forward(sc, q, keys_of(n, m), n->len, score_scale(n, m), B, S, n->H);
    }
    softmax_forward(aw, sc, B, S);                        /* a_t = softmax_s(score) */
    context_forward(AT(n->ctx, i, B * n->D), aw, n->mem, B, S, n->D); /* c_t = Σ a h̄ */
}

/* gradient of step i's context (g_ctx) → dq (+=), g_keys / g_mem, grads */
static void attention_backward(Net *n, const Model *m, const Weights *gw, int i, const float *q,
                               float *dq) {
    int B = n->B, S = n->S, A = n->A;
    float *g_sc = AT(n->g_sc, i, B * S), *g_aw = AT(n->g_aw, i, B * S);
    const float *aw = AT(n->aw, i, B * S);
    /* Forward:  c_t = Σ_s a_t(s) h̄_s */
    context_backward(g_aw, n->g_mem, AT(n->g_ctx, i, B * n->D), aw, n->mem, B, S, n->D);
    /* Forward:  a_t = softmax_s(score_s) */
    softmax_backward(g_sc, g_aw, aw, B, S);
    if (m->cfg.score == SCORE_CONCAT || m->cfg.score == SCORE_ADDITIVE) {
        /* Forward:  score_s = v_aᵀ tanh(W_q q + k_s) */
        float *g_qp = AT(n->g_qp, i, B * A);
        score_tanh_backward(g_qp, n->g_keys, gw->attn_v_a, g_sc, AT(n->u, i, B * S * A),
                            m->w.attn_v_a, n->len, B, S, A);
        /* qp = W_q q: dq here, dW_q once for all steps in net_backward */
        matmul_backward(dq, NULL, NULL, g_qp, q, m->w.attn_W_a, B, n->H, A, query_ldw(n, m));
    } else {
        /* Forward:  score_s = scale · qᵀ k_s   (k_s = h̄_s, or W_a h̄_s for general) */
        bool dot = m->cfg.score != SCORE_GENERAL;
        score_dot_backward(dq, dot ? n->g_mem : n->g_keys, g_sc, q, keys_of(n, m), n->len,
                           score_scale(n, m), B, S, n->H);
    }
}

/* ---- decoder ----------------------------------------------------------------- */

/* What W_o reads at every step: h̃_t (Luong with attention) or h_t; both
 * arrays are [T × B × H], so all steps form one matrix. */
static float *out_in(const Net *n, const Model *m) {
    return (cfg_attn(&m->cfg) && m->cfg.style == STYLE_LUONG) ? n->ht : n->h + (size_t)n->B * n->H;
}
static float *g_out_in(const Net *n, const Model *m) {
    return (cfg_attn(&m->cfg) && m->cfg.style == STYLE_LUONG) ? n->g_ht : n->g_h + (size_t)n->B * n->H;
}

/* One decoder step t = i + 1, its inputs y_{t-1} already in tok_in[i].
 * Returns the summed cross-entropy of the rows that have a reference. */
double net_decode_step(Net *n, const Model *m, const Weights *wt, int i) {
    const ModelConfig *cfg = &m->cfg;
    const Weights *w = &m->w;
    int B = n->B, E = n->E, H = n->H, D = n->D, I = n->I, GH = n->G * H, V = n->Vt;
    bool attn = cfg_attn(cfg), luong = cfg->style == STYLE_LUONG;
    float *x = AT(n->x, i, B * I), *hp = AT(n->h, i, B * H), *hn = AT(n->h, i + 1, B * H);
    float *cp = AT(n->c, i, B * H), *cn = AT(n->c, i + 1, B * H);
    float *gi = AT(n->gi, i, B * GH), *gh = AT(n->gh, i, B * GH), *act = AT(n->act, i, B * GH);

    /* Bahdanau: attention first, the query is the previous state h_{t-1} */
    if (attn && !luong) attention_forward(n, m, wt, i, hp);

    /* x_t = E_tgt[y_{t-1}]  ( ; h̃_{t-1} input feeding | ; c_t Bahdanau) */
    for (int b = 0; b < B; b++) {
        float *xb = AT(x, b, I);
        memcpy(xb, AT(w->dec_emb, n->tok_in[i * B + b], E), (size_t)E * sizeof *xb);
        if (I == E) continue;
        if (!luong) memcpy(xb + E, AT(n->ctx, i * B + b, D), (size_t)D * sizeof *xb);
        else if (i == 0) memset(xb + E, 0, (size_t)H * sizeof *xb); /* h̃_0 = 0 */
        else memcpy(xb + E, AT(n->ht, (i - 1) * B + b, H), (size_t)H * sizeof *xb);
    }

    /* h_t = cell(x_t, h_{t-1}) */
    matmul_forward(gi, x, wt->dec_W_ih, w->dec_b_ih, B, I, GH);
    matmul_forward(gh, hp, wt->dec_W_hh, w->dec_b_hh, B, H, GH);
    if (cfg->cell == CELL_LSTM) lstm_cell_forward(hn, cn, act, AT(n->tc, i, B * H), gi, gh, cp, B, H);
    else gru_cell_forward(hn, act, gi, gh, hp, B, H);

    /* Luong: attention after the step, query h_t; h̃_t = tanh(W_c [c_t ; h_t]) */
    if (attn && luong) {
        attention_forward(n, m, wt, i, hn);
        float *cat = AT(n->cat, i, B * (D + H)), *ht = AT(n->ht, i, B * H);
        for (int b = 0; b < B; b++) {
            memcpy(AT(cat, b, D + H), AT(n->ctx, i * B + b, D), (size_t)D * sizeof *cat);
            memcpy(AT(cat, b, D + H) + D, AT(hn, b, H), (size_t)H * sizeof *cat);
        }
        matmul_forward(ht, cat, wt->W_c, NULL, B, D + H, H);
        tanh_forward(ht, ht, B * H);
    }

    /* logits = W_o (h̃_t or h_t) + b_o; the softmax comes with the loss */
    const float *o = AT(out_in(n, m), i, B * H);
    float *logits = AT(n->logits, i, B * V);
    matmul_forward(logits, o, wt->out_W, w->out_b, B, H, V);
    double loss = crossentropy_forward(AT(n->probs, i, B * V), logits, AT(n->tgt, i, B), B, V);
    for (int b = 0; b < B; b++) n->pred[i * B + b] = argmax(AT(n->probs, i * B + b, V), V);
    return loss;
}

/* Run the decoder for up to T steps (n->T). tgt[T × B] (reference ids, -1
 * past the end) may be NULL. Inputs: <sos>; then at t ≥ 2, when a reference
 * exists and tf_p > 0, one coin per row (u < tf_p: the reference y*_{t-1},
 * else the argmax at t-1). Without a reference the argmax is always fed and,
 * when stop_eos, decoding stops once every row has produced <eos>.
 * Returns the summed cross-entropy over the reference tokens. */
double net_decode(Net *n, const Model *m, const Weights *wt, const int *tgt, float tf_p, Rng *rng,
                  bool stop_eos) {
    int B = n->B, T = n->T, finished = 0;
    double loss = 0.0;
    memset(n->done, 0, (size_t)B);
    for (int j = 0; j < T * B; j++) {
        n->tgt[j] = tgt ? tgt[j] : -1;
        n->coin[j] = -1.0f;
        n->forced[j] = 0;
    }
    for (int i = 0; i < T; i++) {
        for (int b = 0; b < B; b++) {
            int j = i * B + b;
            if (i == 0) { n->tok_in[j] = TOK_SOS; continue; }
            int prev = n->pred[j - B];
            if (tgt && tf_p > 0.0f) {
                float u = rng_uniform(rng);
                int ref = tgt[j - B];
                n->coin[j] = u;
                if (u < tf_p && ref >= 0) { /* heads: the reference y*_{t-1} */
                    prev = ref;
                    n->forced[j] = 1;
                }
            }
            n->tok_in[j] = prev;
        }
        loss += net_decode_step(n, m, wt, i);
        if (stop_eos && !tgt) { /* done when every row has produced <eos> */
            for (int b = 0; b < B; b++)
                if (n->pred[i * B + b] == TOK_EOS && !n->done[b]) {
                    n->done[b] = 1;
                    finished++;
                }
            if (finished == B) {
                n->T = i + 1;
                break;
            }
        }
    }
    return loss;
}

/* ---- backward ------------------------------------------------------------------ */

/* Gradient of  scale · Σ (cross-entropy over the reference tokens)  with
 * respect to every parameter, ACCUMULATED into gw. Reads the activations of
 * the last net_encode + net_decode. */
void net_backward(Net *n, const Model *m, const Weights *gw, float scale) {
    const ModelConfig *cfg = &m->cfg;
    const Weights *w = &m->w;
    int B = n->B, S = n->S, T = n->T, E = n->E, He = n->He, D = n->D, H = n->H, I = n->I;
    int A = n->A, V = n->Vt, G = n->G, GH = G * H, GHe = G * He;
    bool attn = cfg_attn(cfg), luong = cfg->style == STYLE_LUONG, lstm = cfg->cell == CELL_LSTM;
    memset(n->grad_mem, 0, n->grad_floats * sizeof(float)); /* the one place we zero */

    /* ---- output layer, all steps at once ----
     * L = Σ -log softmax(W_o o_t + b_o)[y*_t]: dlogits = (p - onehot) · scale */
    crossentropy_backward(n->g_logits, n->probs, n->tgt, scale, T * B, V);
    matmul_backward(g_out_in(n, m), gw->out_W, gw->out_b, n->g_logits, out_in(n, m), w->out_W,
                    T * B, H, V, H);

    /* ---- decoder, step T down to 1 ---- */
    for (int i = T - 1; i >= 0; i--) {
        float *g_hn = AT(n->g_h, i + 1, B * H), *g_hp = AT(n->g_h, i, B * H);
        if (attn && luong) {
            /* Forward:  h̃_t = tanh(W_c [c_t ; h_t]) */
            float *g_pre = AT(n->g_htpre, i, B * H), *g_cat = AT(n->g_cat, i, B * (D + H));
            tanh_backward(g_pre, AT(n->g_ht, i, B * H), AT(n->ht, i, B * H), B * H);
            matmul_backward(g_cat, NULL, NULL, g_pre, AT(n->cat, i, B * (D + H)), w->W_c, B, D + H, H,
                            D + H);
            for (int b = 0; b < B; b++) { /* [c_t ; h_t] splits back into its halves */
                float *gc = AT(n->g_ctx, i * B + b, D), *gh = AT(g_hn, b, H);
                const float *g = AT(g_cat, b, D + H);
                for (int j = 0; j < D; j++) gc[j] += g[j];
                for (int j = 0; j < H; j++) gh[j] += g[D + j];
            }
            /* Forward:  q = h_t → a_t, c_t */
            attention_backward(n, m, gw, i, AT(n->h, i + 1, B * H), g_hn);
        }
        /* Forward:  h_t = cell(x_t, h_{t-1}) */
        float *g_gi = AT(n->g_gi, i, B * GH), *g_gh = AT(n->g_gh, i, B * GH);
        if (lstm) {
            lstm_cell_backward(g_gi, AT(n->g_c, i, B * H), g_hn, AT(n->g_c, i + 1, B * H),
                               AT(n->act, i, B * GH), AT(n->tc, i, B * H), AT(n->c, i, B * H), B, H);
            g_gh = g_gi; /* gi and gh are summed: the same gradient */
        } else {
            gru_cell_backward(g_gi, g_gh, g_hp, g_hn, AT(n->act, i, B * GH), AT(n->gh, i, B * GH),
                              AT(n->h, i, B * H), B, H);
        }
        /* dx and dh_{t-1} now; the weight gradients once for all steps below */
        float *g_x = AT(n->g_x, i, B * I);
        matmul_backward(g_x, NULL, NULL, g_gi, AT(n->x, i, B * I), w->dec_W_ih, B, I, GH, I);
        matmul_backward(g_hp, NULL, NULL, g_gh, AT(n->h, i, B * H), w->dec_W_hh, B, H, GH, H);
        /* Forward:  x_t = [E_tgt[y_{t-1}] ; h̃_{t-1} or c_t] */
        if (I > E) {
            for (int b = 0; b < B; b++) {
                const float *g = AT(g_x, b, I) + E;
                float *dst = !luong ? AT(n->g_ctx, i * B + b, D)
                                    : (i > 0 ? AT(n->g_ht, (i - 1) * B + b, H) : NULL);
                if (dst)
                    for (int j = 0; j < I - E; j++) dst[j] += g[j];
            }
        }
        /* Bahdanau: Forward  q = h_{t-1} → a_t, c_t */
        if (attn && !luong) attention_backward(n, m, gw, i, AT(n->h, i, B * H), g_hp);
    }

    /* ---- decoder weights: sums over all T steps, each one matrix product ---- */
    matmul_backward(NULL, gw->dec_W_ih, gw->dec_b_ih, n->g_gi, n->x, w->dec_W_ih, T * B, I, GH, I);
    matmul_backward(NULL, gw->dec_W_hh, gw->dec_b_hh, lstm ? n->g_gi : n->g_gh, n->h, w->dec_W_hh,
                    T * B, H, GH, H);
    if (attn && luong)
        matmul_backward(NULL, gw->W_c, NULL, n->g_htpre, n->cat, w->W_c, T * B, D + H, H, D + H);
    if (cfg->score == SCORE_CONCAT || cfg->score == SCORE_ADDITIVE) {
        const float *q_all = luong ? n->h + (size_t)B * H : n->h; /* h_1..h_T or h_0..h_{T-1} */
        matmul_backward(NULL, gw->attn_W_a, NULL, n->g_qp, q_all, w->attn_W_a, T * B, H, A,
                        query_ldw(n, m));
    }
    for (int j = 0; j < T * B; j++) { /* Forward: x_t[:E] = E_tgt[y_{t-1}] */
        float *ge = AT(gw->dec_emb, n->tok_in[j], E);
        const float *g = AT(n->g_x, j, I);
        for (int k = 0; k < E; k++) ge[k] += g[k];
    }

    /* ---- keys: k_s = W h̄_s for every source position ---- */
    switch (cfg->score) {
    case SCORE_GENERAL:
        matmul_backward(n->g_mem, gw->attn_W_a, NULL, n->g_keys, n->mem, w->attn_W_a, B * S, D, H, D);
        break;
    case SCORE_CONCAT:
        matmul_backward(n->g_mem, gw->attn_W_a + H, NULL, n->g_keys, n->mem, w->attn_W_a + H, B * S,
                        D, A, H + D);
        break;
    case SCORE_ADDITIVE:
        matmul_backward(n->g_mem, gw->attn_U_a, NULL, n->g_keys, n->mem, w->attn_U_a, B * S, D, A, D);
        break;
    default: break;
    }

    /* ---- decoder start state ---- */
    if (!cfg->bidirectional) { /* Forward: h_0 = h→_S, c_0 = c→_S */
        float *gh = AT(n->g_eh[0], S, B * He), *gc = AT(n->g_ec[0], S, B * He);
        for (int j = 0; j < B * H; j++) {
            gh[j] += n->g_h[j];
            gc[j] += n->g_c[j];
        }
    } else { /* Forward: h_0 = tanh(W_b [h→_S ; h←_1] + b_b) */
        tanh_backward(n->g_h0pre, n->g_h, n->h, B * H);
        matmul_backward(n->g_bin, gw->bridge_W, gw->bridge_b, n->g_h0pre, n->bin, w->bridge_W, B,
                        2 * He, H, 2 * He);
        for (int b = 0; b < B; b++)
            for (int j = 0; j < He; j++) {
                n->g_eh[0][(size_t)S * B * He + b * He + j] += n->g_bin[b * 2 * He + j];
                n->g_eh[1][(size_t)S * B * He + b * He + j] += n->g_bin[b * 2 * He + He + j];
            }
    }

    /* ---- encoder, each direction from its last step back to its first ---- */
    for (int d = 0; d < n->ndir; d++) {
        for (int k = S - 1; k >= 0; k--) {
            int pos = d ? S - 1 - k : k;
            float *g_hn = AT(n->g_eh[d], k + 1, B * He), *g_hp = AT(n->g_eh[d], k, B * He);
            float *g_cn = AT(n->g_ec[d], k + 1, B * He), *g_cp = AT(n->g_ec[d], k, B * He);
            for (int b = 0; b < B; b++) {
                float *gh = AT(g_hn, b, He), *gc = AT(g_cn, b, He);
                if (pos < n->len[b]) { /* Forward: h̄_pos[d·He:] = h_k+1 */
                    const float *gm = AT(n->g_mem, b * S + pos, D) + d * He;
                    for (int j = 0; j < He; j++) gh[j] += gm[j];
                } else { /* Forward: h_k+1 = h_k (padding): pass the gradient through */
                    float *ghp = AT(g_hp, b, He), *gcp = AT(g_cp, b, He);
                    for (int j = 0; j < He; j++) {
                        ghp[j] += gh[j];
                        gcp[j] += gc[j];
                        gh[j] = gc[j] = 0.0f; /* so the cell below adds nothing */
                    }
                }
            }
            float *g_gi = AT(n->g_egi[d], pos, B * GHe), *g_gh = AT(n->g_egh[d], k, B * GHe);
            if (lstm) {
                lstm_cell_backward(g_gh, g_cp, g_hn, g_cn, AT(n->eact[d], k, B * GHe),
                                   AT(n->etc[d], k, B * He), AT(n->ec[d], k, B * He), B, He);
                for (int j = 0; j < B * GHe; j++) g_gi[j] += g_gh[j];
            } else {
                gru_cell_backward(g_gi, g_gh, g_hp, g_hn, AT(n->eact[d], k, B * GHe),
                                  AT(n->egh[d], k, B * GHe), AT(n->eh[d], k, B * He), B, He);
            }
            matmul_backward(g_hp, NULL, NULL, g_gh, AT(n->eh[d], k, B * He),
                            d ? w->enc_W_hh_r : w->enc_W_hh, B, He, GHe, He);
        }
        matmul_backward(n->g_ex, d ? gw->enc_W_ih_r : gw->enc_W_ih, d ? gw->enc_b_ih_r : gw->enc_b_ih,
                        n->g_egi[d], n->ex, d ? w->enc_W_ih_r : w->enc_W_ih, S * B, E, GHe, E);
        matmul_backward(NULL, d ? gw->enc_W_hh_r : gw->enc_W_hh, d ? gw->enc_b_hh_r : gw->enc_b_hh,
                        n->g_egh[d], n->eh[d], d ? w->enc_W_hh_r : w->enc_W_hh, S * B, He, GHe, He);
    }
    for (int s = 0; s < S; s++) /* Forward: x_s = E_src[token_s] */
        for (int b = 0; b < B; b++) {
            if (s >= n->len[b]) continue;
            float *ge = AT(gw->enc_emb, n->src_rd[b * S + s], E);
            const float *g = AT(n->g_ex, s * B + b, E);
            for (int k = 0; k < E; k++) ge[k] += g[k];
        }
}

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
    int rc = (!WT || (ref && !tgt)) ? av_err(err, "out of memory") : net_reserve(&n, m, 1, S, T, false, err);
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
    net_decode(&n, m, &wt, tgt, p, &rng, true);
    rc = trace_from_net(out, &n, m, src, p, seed, ref, err);
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
    if (net_reserve(n, m, B, S, T, grads, err)) return -1;
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
