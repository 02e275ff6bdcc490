/* backward.c — the backward pass of the whole model: from the loss back to every weight, step by step in reverse.
 *
 * net_backward walks the forward pass of seq2seq.c backwards: the output
 * layer, the decoder from step T down to 1, the keys, the start state, each
 * encoder direction from its last step to its first, the embeddings. Each
 * part quotes the forward line it differentiates; the single operations'
 * derivations are in ops.c. Every gradient is accumulated (+=) into buffers
 * zeroed once, at the top of net_backward.
 *
 * A weight used at every step (the recurrent weights, W_c, the query half of
 * the score layer, the embeddings) gets its gradient once, after the loop
 * over steps, as one matrix product over all T·B rows: the steps' activations
 * and gradients are stored [step][row][feature], so all steps together are
 * one matrix.
 */
#include <string.h>

#include "ops.h"
#include "s2s_internal.h"

/* ---- attention --------------------------------------------------------------- */

/* Step i's context gradient (g_ctx) → dq (+=), and g_keys or g_mem; the
 * score layer's v_a into gw. q[B × H] is the query the forward used, wa the
 * score layer of W. */
static void attention_backward(Net *n, const Model *m, const Weights *gw, const ScoreLayer *wa, int i,
                               const float *q, float *dq) {
    int B = n->B, S = n->S, A = n->A, D = n->D;
    const float *aw = AT(n->aw, i, B * S), *g_ctx = AT(n->g_ctx, i, B * D);
    float *g_aw = AT(n->g_aw, i, B * S), *g_sc = AT(n->g_sc, i, B * S);
    float *dq_own = n->g_q ? AT(n->g_q, i, B * n->H) : NULL; /* this step's scores alone (net.h) */
    /* Forward:  c_t = Σ_s a_t(s) h̄_s */
    context_backward(g_aw, n->g_mem, g_ctx, aw, n->mem, B, S, D);
    /* Forward:  a_t = softmax_s(score_s) */
    softmax_backward(g_sc, g_aw, aw, B, S);
    if (score_has_query_layer(m)) {
        /* Forward:  score_s = v_aᵀ tanh(qp + k_s) */
        const float *u = AT(n->u, i, B * S * A);
        float *g_qp = AT(n->g_qp, i, B * A);
        score_tanh_backward(g_qp, n->g_keys, gw->attn_v_a, g_sc, u, m->w.attn_v_a, n->len, B, S, A);
        /* Forward:  score_s += b_v   for every real s
         *   db_v += Σ_s dscore_s, which is 0 up to rounding: the softmax
         *   Jacobian's rows sum to zero (a shift of every score changes no
         *   weight), so b_v never learns. PyTorch computes the same sum. */
        if (gw->attn_b_v)
            for (int b = 0; b < B; b++)
                for (int s = 0; s < n->len[b]; s++) gw->attn_b_v[0] += g_sc[b * S + s];
        /* Forward:  qp = Wq q: dq here, dWq once for all steps (decoder_weights_backward) */
        matmul_backward(dq, NULL, NULL, g_qp, q, wa->Wq, B, n->H, A, wa->ldq);
        if (dq_own) matmul_backward(dq_own, NULL, NULL, g_qp, q, wa->Wq, B, n->H, A, wa->ldq);
    } else {
        /* Forward:  score_s = scale · qᵀ k_s   (k_s = h̄_s, or Wk h̄_s for general) */
        const float *keys = keys_are_mem(m) ? n->mem : n->keys;
        float *g_keys = keys_are_mem(m) ? n->g_mem : n->g_keys;
        score_dot_backward(dq, g_keys, g_sc, q, keys, n->len, score_scale(n, m), B, S, n->H);
        if (dq_own) score_dot_backward(dq_own, NULL, g_sc, q, keys, n->len, score_scale(n, m), B, S, n->H);
    }
}

/* ---- recurrent cell ------------------------------------------------------------ */

/* One step of a cell, encoder or decoder: what the forward kept, and the
 * gradients in and out. */
typedef struct {
    const float *act, *tc, *gh; /* gate activations, tanh(c') (LSTM), h W_hhᵀ + b_hh  */
    const float *hp, *cp;       /* the state before the step                         */
    const float *g_hn, *g_cn;   /* gradients of the state after the step             */
    float *g_gi, *g_gh;         /* gradients of the two linear parts (+=)            */
    float *g_hp, *g_cp;         /* gradients of the state before the step (+=)       */
} CellStep;

/* Forward:  h' = cell(gi + ..., gh + ..., h, c)   with gi = x W_ihᵀ + b_ih, gh = h W_hhᵀ + b_hh
 * LSTM: every gate reads gi + gh, so gi and gh get the same gradient: the
 * cell writes it once, into g_gh, and g_gi gets a copy. GRU: n reads
 * gi_n + r ⊙ gh_n, so the two differ, and the cell writes both. Encoder and
 * decoder alike; the caller then sends g_gi and g_gh through W_ih and W_hh. */
static void cell_backward(const CellStep *s, CellKind cell, int B, int H) {
    if (cell == CELL_LSTM) {
        lstm_cell_backward(s->g_gh, s->g_cp, s->g_hn, s->g_cn, s->act, s->tc, s->cp, B, H);
        for (size_t j = 0; j < (size_t)B * 4 * H; j++) s->g_gi[j] += s->g_gh[j];
    } else {
        gru_cell_backward(s->g_gi, s->g_gh, s->g_hp, s->g_hn, s->act, s->gh, s->hp, B, H);
    }
}

/* ---- decoder --------------------------------------------------------------------- */

/* Step t = i + 1 of the decoder, backwards: from g_h[i+1] (and g_ht[i], g_c[i+1])
 * to g_h[i], g_c[i], g_x[i], g_ctx[i] and the attention's gradients. */
static void decoder_step_backward(Net *n, const Model *m, const Weights *gw, const ScoreLayer *wa,
                                  int i) {
    const Weights *w = &m->w;
    int B = n->B, E = n->E, D = n->D, H = n->H, I = n->I, GH = n->G * H;
    bool attn = cfg_attn(&m->cfg), luong = m->cfg.style == STYLE_LUONG;
    /* step i's slices: the state before (i) and after (i + 1) */
    const float *hp = AT(n->h, i, B * H), *hn = AT(n->h, i + 1, B * H), *x = AT(n->x, i, B * I);
    const float *cat = AT(n->cat, i, B * (D + H)), *ht = AT(n->ht, i, B * H);
    float *g_hp = AT(n->g_h, i, B * H), *g_hn = AT(n->g_h, i + 1, B * H);
    float *g_x = AT(n->g_x, i, B * I), *g_ctx = AT(n->g_ctx, i, B * D);
    float *g_cat = AT(n->g_cat, i, B * (D + H)), *g_htpre = AT(n->g_htpre, i, B * H);
    const float *g_ht = AT(n->g_ht, i, B * H);

    if (attn && luong) {
        /* Forward:  h̃_t = tanh(W_c [c_t ; h_t] (+ b_c)) */
        tanh_backward(g_htpre, g_ht, ht, B * H);
        matmul_backward(g_cat, NULL, NULL, g_htpre, cat, w->W_c, B, D + H, H, D + H);
        for (int b = 0; b < B; b++) { /* [c_t ; h_t] splits back into its halves */
            const float *g_cat_b = AT(g_cat, b, D + H);
            float *g_ctx_b = AT(g_ctx, b, D), *g_hn_b = AT(g_hn, b, H);
            for (int j = 0; j < D; j++) g_ctx_b[j] += g_cat_b[j];
            for (int j = 0; j < H; j++) g_hn_b[j] += g_cat_b[D + j];
        }
        /* Forward:  q = h_t → a_t, c_t */
        attention_backward(n, m, gw, wa, i, hn, g_hn);
    }

    /* Forward:  h_t = cell(x_t, h_{t-1}) */
    CellStep st = {
        .act = AT(n->act, i, B * GH), .tc = AT(n->tc, i, B * H), .gh = AT(n->gh, i, B * GH),
        .hp = hp, .cp = AT(n->c, i, B * H),
        .g_hn = g_hn, .g_cn = AT(n->g_c, i + 1, B * H),
        .g_gi = AT(n->g_gi, i, B * GH), .g_gh = AT(n->g_gh, i, B * GH),
        .g_hp = g_hp, .g_cp = AT(n->g_c, i, B * H),
    };
    cell_backward(&st, m->cfg.cell, B, H);
    /* dx and dh_{t-1} now; the weight gradients once for all steps (decoder_weights_backward) */
    matmul_backward(g_x, NULL, NULL, st.g_gi, x, w->dec_W_ih, B, I, GH, I);
    matmul_backward(g_hp, NULL, NULL, st.g_gh, hp, w->dec_W_hh, B, H, GH, H);

    /* Forward:  x_t = [E_tgt[y_{t-1}] ; c_t (Bahdanau) or h̃_{t-1} (input feeding)] */
    if (I > E) {
        for (int b = 0; b < B; b++) {
            const float *g_rest = AT(g_x, b, I) + E;
            float *dst = !luong ? AT(g_ctx, b, D) : (i > 0 ? AT(n->g_ht, (i - 1) * B + b, H) : NULL);
            if (dst) /* h̃_0 = 0 is a constant: no gradient */
                for (int j = 0; j < I - E; j++) dst[j] += g_rest[j];
        }
    }
    /* Bahdanau: Forward  q = h_{t-1} → a_t, c_t */
    if (attn && !luong) attention_backward(n, m, gw, wa, i, hp, g_hp);
}

/* The decoder's weights, each used at every step: one product over all
 * T·B rows. wa, ga: the score layer of W and of the gradient. */
static void decoder_weights_backward(Net *n, const Model *m, const Weights *gw, const ScoreLayer *wa,
                                     const ScoreLayer *ga) {
    const Weights *w = &m->w;
    int TB = n->T * n->B, E = n->E, D = n->D, H = n->H, I = n->I, A = n->A, GH = n->G * H;
    /* Forward:  gi = x W_ihᵀ + b_ih,  gh = h_{t-1} W_hhᵀ + b_hh  (h[0..T-1] are the h_{t-1}) */
    matmul_backward(NULL, gw->dec_W_ih, gw->dec_b_ih, n->g_gi, n->x, w->dec_W_ih, TB, I, GH, I);
    matmul_backward(NULL, gw->dec_W_hh, gw->dec_b_hh, n->g_gh, n->h, w->dec_W_hh, TB, H, GH, H);
    /* Forward:  h̃_t = tanh(W_c [c_t ; h_t] (+ b_c)) */
    if (has_attentional(m))
        matmul_backward(NULL, gw->W_c, gw->W_c_b, n->g_htpre, n->cat, w->W_c, TB, D + H, H, D + H);
    /* Forward:  qp = Wq q (+ bq), the query q = h_t (Luong: h[1..T]) or h_{t-1} (Bahdanau: h[0..T-1]) */
    if (score_has_query_layer(m)) {
        const float *q_all = m->cfg.style == STYLE_LUONG ? n->h + (size_t)n->B * H : n->h;
        matmul_backward(NULL, ga->Wq, ga->bq, n->g_qp, q_all, wa->Wq, TB, H, A, wa->ldq);
    }
    /* Forward:  x_t[:E] = E_tgt[y_{t-1}]: row y_{t-1} of the table gets the gradient */
    for (int j = 0; j < TB; j++) {
        float *g_emb = AT(gw->dec_emb, n->tok_in[j], E);
        const float *g_x = AT(n->g_x, j, I);
        for (int k = 0; k < E; k++) g_emb[k] += g_x[k];
    }
}

/* ---- decoder start state ------------------------------------------------------------ */

static void start_state_backward(Net *n, const Model *m, const Weights *gw) {
    int B = n->B, S = n->S, He = n->He, H = n->H;
    float *g_fwd_last = AT(n->g_eh[0], S, B * He); /* the state after the last step */
    if (!m->cfg.bidirectional) { /* Forward: h_0 = h→_S, c_0 = c→_S */
        float *g_c_last = AT(n->g_ec[0], S, B * He);
        for (int j = 0; j < B * H; j++) {
            g_fwd_last[j] += n->g_h[j];
            g_c_last[j] += n->g_c[j];
        }
        return;
    }
    /* Forward: h_0 = tanh(W_b [h→_S ; h←_1] + b_b) */
    float *g_bwd_last = AT(n->g_eh[1], S, B * He);
    tanh_backward(n->g_h0pre, n->g_h, n->h, B * H);
    matmul_backward(n->g_bin, gw->bridge_W, gw->bridge_b, n->g_h0pre, n->bin, m->w.bridge_W, B, 2 * He,
                    H, 2 * He);
    for (int b = 0; b < B; b++) {
        const float *g_bin_b = AT(n->g_bin, b, 2 * He);
        float *g_f = AT(g_fwd_last, b, He), *g_r = AT(g_bwd_last, b, He);
        for (int j = 0; j < He; j++) {
            g_f[j] += g_bin_b[j];
            g_r[j] += g_bin_b[He + j];
        }
    }
}

/* ---- encoder ---------------------------------------------------------------------- */

/* Direction d, from its last step back to its first, then its weights. */
static void encoder_backward(Net *n, const Model *m, const Weights *gw, int d) {
    int B = n->B, S = n->S, E = n->E, He = n->He, D = n->D, GHe = n->G * He;
    const float *W_ih = d ? m->w.enc_W_ih_r : m->w.enc_W_ih, *W_hh = d ? m->w.enc_W_hh_r : m->w.enc_W_hh;
    float *gW_ih = d ? gw->enc_W_ih_r : gw->enc_W_ih, *gb_ih = d ? gw->enc_b_ih_r : gw->enc_b_ih;
    float *gW_hh = d ? gw->enc_W_hh_r : gw->enc_W_hh, *gb_hh = d ? gw->enc_b_hh_r : gw->enc_b_hh;
    for (int k = S - 1; k >= 0; k--) {
        int pos = d ? S - 1 - k : k;
        /* step k: the state before (k) and after (k + 1); gi is by position */
        const float *hp = AT(n->eh[d], k, B * He);
        float *g_hp = AT(n->g_eh[d], k, B * He), *g_hn = AT(n->g_eh[d], k + 1, B * He);
        float *g_cp = AT(n->g_ec[d], k, B * He), *g_cn = AT(n->g_ec[d], k + 1, B * He);
        for (int b = 0; b < B; b++) {
            float *g_hn_b = AT(g_hn, b, He), *g_cn_b = AT(g_cn, b, He);
            if (pos < n->len[b]) { /* Forward: h̄_pos[d·He:] = h_k+1 */
                const float *g_mem_half = AT(n->g_mem, b * S + pos, D) + d * He;
                for (int j = 0; j < He; j++) g_hn_b[j] += g_mem_half[j];
            } else { /* Forward: h_k+1 = h_k (padding): pass the gradient through */
                float *g_hp_b = AT(g_hp, b, He), *g_cp_b = AT(g_cp, b, He);
                for (int j = 0; j < He; j++) {
                    g_hp_b[j] += g_hn_b[j];
                    g_cp_b[j] += g_cn_b[j];
                    g_hn_b[j] = g_cn_b[j] = 0.0f; /* so the cell below adds nothing */
                }
            }
        }
        /* Forward:  h_k+1 = cell(x_pos, h_k) */
        CellStep st = {
            .act = AT(n->eact[d], k, B * GHe), .tc = AT(n->etc[d], k, B * He),
            .gh = AT(n->egh[d], k, B * GHe), .hp = hp, .cp = AT(n->ec[d], k, B * He),
            .g_hn = g_hn, .g_cn = g_cn,
            .g_gi = AT(n->g_egi[d], pos, B * GHe), .g_gh = AT(n->g_egh[d], k, B * GHe),
            .g_hp = g_hp, .g_cp = g_cp,
        };
        cell_backward(&st, m->cfg.cell, B, He);
        matmul_backward(g_hp, NULL, NULL, st.g_gh, hp, W_hh, B, He, GHe, He);
    }
    /* Forward:  gi = x W_ihᵀ + b_ih (by position), gh = h_k W_hhᵀ + b_hh (by step) */
    matmul_backward(n->g_ex, gW_ih, gb_ih, n->g_egi[d], n->ex, W_ih, S * B, E, GHe, E);
    matmul_backward(NULL, gW_hh, gb_hh, n->g_egh[d], n->eh[d], W_hh, S * B, He, GHe, He);
}

/* ---- the whole pass ------------------------------------------------------------------ */

/* Gradient of  scale · Σ (cross-entropy over the reference tokens)  with
 * respect to every parameter, ACCUMULATED into gw. Reads the activations of
 * the last net_encode + net_decode.
 *
 * Where each weight's gradient comes from (PyTorch's names, MODEL.md):
 *   decoder.out.weight, .bias          the output layer, below
 *   decoder.W_c.weight                 decoder_weights_backward (Luong with attention)
 *   decoder.rnn.*_l0                   decoder_weights_backward, from every step's g_gi, g_gh
 *   decoder.embedding.weight           decoder_weights_backward, the rows of the y_{t-1} fed
 *   attention.v_a.weight, .bias        attention_backward, at every step
 *   attention.W_a.weight   general     the keys, below
 *                          concat      query half (columns :H) in decoder_weights_backward,
 *                                      key half (columns H:) in the keys, below
 *                          additive    decoder_weights_backward (it reads the query)
 *   attention.U_a.weight, .bias        the keys, below
 *   attention.W_a.bias                 the keys (general, concat) or with the query half
 *                                      (additive), like the part of W_a it is added to
 *   decoder.W_c.bias                   decoder_weights_backward, with W_c
 *   bridge.weight, .bias               start_state_backward
 *   encoder.rnn.*_l0, *_l0_reverse     encoder_backward, after each direction's steps
 *   encoder.embedding.weight           the last loop below, the rows of the source tokens */
void net_backward(Net *n, const Model *m, const Weights *gw, float scale) {
    const Weights *w = &m->w;
    int B = n->B, S = n->S, T = n->T, E = n->E, H = n->H, V = n->Vt;
    /* the score layer's halves, bound once: in W and in the gradient */
    ScoreLayer wa = score_layer(m, w), ga = score_layer(m, gw);
    memset(n->grad_mem, 0, n->grad_floats * sizeof(float)); /* the one place we zero */

    /* ---- output layer, all steps at once ----
     * L = Σ -log softmax(W_o o_t + b_o)[y*_t]: dlogits = (p - onehot) · scale */
    crossentropy_backward(n->g_logits, n->probs, n->tgt, scale, T * B, V);
    matmul_backward(g_out_in(n, m), gw->out_W, gw->out_b, n->g_logits, out_in(n, m), w->out_W, T * B, H,
                    V, H);

    /* ---- decoder, step T down to 1; then its weights, once for all steps ---- */
    for (int i = T - 1; i >= 0; i--) decoder_step_backward(n, m, gw, &wa, i);
    decoder_weights_backward(n, m, gw, &wa, &ga);

    /* ---- keys: k_s = Wk h̄_s (+ bk) for every source position ----
     * Padded positions have no score, so their g_keys is 0 and they add
     * nothing to the bias's gradient. */
    if (wa.Wk) matmul_backward(n->g_mem, ga.Wk, ga.bk, n->g_keys, n->mem, wa.Wk, B * S, n->D, n->K, wa.ldk);

    /* ---- decoder start state, then the encoder ---- */
    start_state_backward(n, m, gw);
    for (int d = 0; d < n->ndir; d++) encoder_backward(n, m, gw, d);
    for (int s = 0; s < S; s++) /* Forward: x_s = E_src[token_s] */
        for (int b = 0; b < B; b++) {
            if (s >= n->len[b]) continue;
            float *g_emb = AT(gw->enc_emb, n->src_rd[b * S + s], E);
            const float *g_x = AT(n->g_ex, s * B + b, E);
            for (int k = 0; k < E; k++) g_emb[k] += g_x[k];
        }
}
