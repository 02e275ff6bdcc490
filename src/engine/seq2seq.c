/* seq2seq.c — the forward pass of the whole model: encoder, attention and decoder, for B sequences at once.
 *
 * Design: there is ONE forward pass, net_encode + net_decode_step, written
 * for B rows (../shared/MODEL.md). Training runs it on a mini-batch;
 * decoding with a trace runs it with B = 1 and copies the activations into
 * the Trace, so what the visualizer shows is exactly what training computes.
 * The backward pass (backward.c) walks the same steps in reverse, each
 * operation's backward in ops.c.
 *
 * Padding: in a batch, sources and targets have different lengths. The
 * encoder keeps a row's state unchanged past its last token (so h→_S is the
 * state after its own last token), attention gives padded positions a score
 * of -INFINITY (weight exactly 0), and the loss skips padded target steps.
 *
 * reverse_source: the encoder reads each source backwards, so the memory is
 * in reading order; only the trace maps it back to the input's own order.
 *
 * Slices: every array of the Net is [step][row][feature] (net.h); each step
 * names its slices (AT, s2s_internal.h) before the calls that use them.
 */
#include "seq2seq.h"

#include <stdint.h>
#include <string.h>

#include "ops.h"
#include "s2s_internal.h"

/* ---- encoder --------------------------------------------------------------- */

/* Source token k of row b in the input's own order: src[b][k], and for a
 * source_eos model one more token, <eos>, at k = len[b]. */
static int source_token(const Model *m, const int *const *src, const int *len, int b, int k) {
    return k < len[b] ? src[b][k] : (m->cfg.source_eos ? TOK_EOS : TOK_PAD);
}

/* x_s = E_src[token_s]: B sources (src[b], len[b] ids, input order, plus
 * <eos> for source_eos) into ex[S × B × E], in reading order; 0 past a
 * row's length. */
static void embed_source(Net *n, const Model *m, const int *const *src, const int *len) {
    int B = n->B, S = n->S, E = n->E, extra = source_extra(m);
    for (int b = 0; b < B; b++) {
        int L = len[b] + extra; /* the row's length as the encoder reads it */
        n->len[b] = L;
        for (int s = 0; s < S; s++) {
            int id = 0;
            if (s < L) id = source_token(m, src, len, b, m->cfg.reverse_source ? L - 1 - s : s);
            n->src_rd[b * S + s] = id;
            float *xs = AT(n->ex, s * B + b, E);
            if (s < L) memcpy(xs, AT(m->w.enc_emb, id, E), (size_t)E * sizeof *xs);
            else memset(xs, 0, (size_t)E * sizeof *xs);
        }
    }
}

/* Direction d over all S steps: d = 0 reads forward, h→_s = cell(x_s, h→_{s-1});
 * d = 1 backward, h←_s = cell(x_s, h←_{s+1}). Step k reads position pos and
 * writes the direction's half of the memory, mem[b][pos][d·He ..]. */
static void encode_direction(Net *n, const Model *m, const Weights *wt, int d) {
    int B = n->B, S = n->S, E = n->E, He = n->He, D = n->D, GHe = n->G * He;
    const float *WT_ih = d ? wt->enc_W_ih_r : wt->enc_W_ih, *b_ih = d ? m->w.enc_b_ih_r : m->w.enc_b_ih;
    const float *WT_hh = d ? wt->enc_W_hh_r : wt->enc_W_hh, *b_hh = d ? m->w.enc_b_hh_r : m->w.enc_b_hh;
    /* the input half of every gate, for all positions at once */
    matmul_forward(n->egi[d], n->ex, WT_ih, b_ih, S * B, E, GHe);
    memset(n->eh[d], 0, (size_t)B * He * sizeof(float)); /* h_0 = 0 */
    memset(n->ec[d], 0, (size_t)B * He * sizeof(float)); /* c_0 = 0 */
    for (int k = 0; k < S; k++) {
        int pos = d ? S - 1 - k : k; /* the backward direction reads right to left */
        /* step k: the state before (k) and after (k + 1); gi is by position */
        float *hp = AT(n->eh[d], k, B * He), *cp = AT(n->ec[d], k, B * He);
        float *hn = AT(n->eh[d], k + 1, B * He), *cn = AT(n->ec[d], k + 1, B * He);
        const float *gi = AT(n->egi[d], pos, B * GHe);
        float *gh = AT(n->egh[d], k, B * GHe), *act = AT(n->eact[d], k, B * GHe);
        float *tc = AT(n->etc[d], k, B * He);
        matmul_forward(gh, hp, WT_hh, b_hh, B, He, GHe);
        if (m->cfg.cell == CELL_LSTM) lstm_cell_forward(hn, cn, act, tc, gi, gh, cp, B, He);
        else gru_cell_forward(hn, act, gi, gh, hp, B, He);
        for (int b = 0; b < B; b++) {
            float *h_b = AT(hn, b, He), *c_b = AT(cn, b, He);
            if (pos >= n->len[b]) { /* padding: the state passes through unchanged */
                memcpy(h_b, AT(hp, b, He), (size_t)He * sizeof(float));
                memcpy(c_b, AT(cp, b, He), (size_t)He * sizeof(float));
            } else {
                float *mem_half = AT(n->mem, b * S + pos, D) + d * He;
                memcpy(mem_half, h_b, (size_t)He * sizeof(float));
            }
        }
    }
}

/* The decoder's start state h[0], c[0] (MODEL.md, "Decoder start state"). */
static void start_state(Net *n, const Model *m, const Weights *wt) {
    int B = n->B, S = n->S, He = n->He, H = n->H;
    float *h0 = n->h, *c0 = n->c;
    if (!m->cfg.bidirectional) { /* h_0 = h→_S, c_0 = c→_S */
        memcpy(h0, AT(n->eh[0], S, B * He), (size_t)B * H * sizeof(float));
        memcpy(c0, AT(n->ec[0], S, B * He), (size_t)B * H * sizeof(float));
        return;
    }
    /* h_0 = tanh(W_b [h→_S ; h←_1] + b_b), c_0 = 0 */
    for (int b = 0; b < B; b++) {
        float *bin_b = AT(n->bin, b, 2 * He);
        const float *fwd_last = AT(n->eh[0], S * B + b, He); /* after the last step: h→_S */
        const float *bwd_last = AT(n->eh[1], S * B + b, He); /* after the last step: h←_1 */
        memcpy(bin_b, fwd_last, (size_t)He * sizeof(float));
        memcpy(bin_b + He, bwd_last, (size_t)He * sizeof(float));
    }
    matmul_forward(h0, n->bin, wt->bridge_W, m->w.bridge_b, B, 2 * He, H);
    tanh_forward(h0, h0, B * H);
    memset(c0, 0, (size_t)B * H * sizeof(float));
}

/* Reads B sources (src[b], len[b] ids, input order; the Net reserved for
 * the longest plus source_extra) and fills the memory, the keys and the
 * decoder's start state h[0], c[0]. */
void net_encode(Net *n, const Model *m, const Weights *wt, const int *const *src, const int *len) {
    embed_source(n, m, src, len);
    memset(n->mem, 0, (size_t)n->B * n->S * n->D * sizeof *n->mem);
    for (int d = 0; d < n->ndir; d++) encode_direction(n, m, wt, d);
    start_state(n, m, wt);
    /* keys: the part of every score that depends on h̄_s only, k_s = Wk h̄_s (+ bk) */
    ScoreLayer wa = score_layer_T(m, wt);
    if (wa.Wk) matmul_forward(n->keys, n->mem, wa.Wk, wa.bk, n->B * n->S, n->D, n->K);
}

/* ---- attention --------------------------------------------------------------- */

/* step index i (0-based), query q[B × H] → sc, aw, ctx of that step */
static void attention_forward(Net *n, const Model *m, const Weights *wt, int i, const float *q) {
    int B = n->B, S = n->S, A = n->A, D = n->D;
    float *sc = AT(n->sc, i, B * S), *aw = AT(n->aw, i, B * S), *ctx = AT(n->ctx, i, B * D);
    if (score_has_query_layer(m)) { /* score_s = v_aᵀ tanh(Wq q (+ bq) + k_s) (+ b_v) */
        ScoreLayer wa = score_layer_T(m, wt);
        float *qp = AT(n->qp, i, B * A), *u = AT(n->u, i, B * S * A);
        matmul_forward(qp, q, wa.Wq, wa.bq, B, n->H, A);
        score_tanh_forward(sc, u, qp, n->keys, m->w.attn_v_a, n->len, B, S, A);
        if (m->w.attn_b_v) /* the same shift for every s: the weights do not see it */
            for (int b = 0; b < B; b++)
                for (int s = 0; s < n->len[b]; s++) sc[b * S + s] += m->w.attn_b_v[0];
    } else { /* score_s = scale · qᵀ k_s */
        const float *keys = keys_are_mem(m) ? n->mem : n->keys;
        score_dot_forward(sc, q, keys, n->len, score_scale(n, m), B, S, n->H);
    }
    softmax_forward(aw, sc, B, S);             /* a_t = softmax_s(score) */
    context_forward(ctx, aw, n->mem, B, S, D); /* c_t = Σ a h̄ */
}

/* ---- decoder ----------------------------------------------------------------- */

/* One decoder step t = i + 1, its inputs y_{t-1} already in tok_in[i].
 * Returns the summed cross-entropy of the rows that have a reference. */
double net_decode_step(Net *n, const Model *m, const Weights *wt, int i) {
    const ModelConfig *cfg = &m->cfg;
    const Weights *w = &m->w;
    int B = n->B, E = n->E, H = n->H, D = n->D, I = n->I, GH = n->G * H, V = n->Vt;
    bool attn = cfg_attn(cfg), luong = cfg->style == STYLE_LUONG;
    /* step i's slices: the states before (i) and after (i + 1) */
    float *hp = AT(n->h, i, B * H), *hn = AT(n->h, i + 1, B * H);
    float *cp = AT(n->c, i, B * H), *cn = AT(n->c, i + 1, B * H);
    float *x = AT(n->x, i, B * I), *gi = AT(n->gi, i, B * GH), *gh = AT(n->gh, i, B * GH);
    float *act = AT(n->act, i, B * GH), *tc = AT(n->tc, i, B * H);
    float *ctx = AT(n->ctx, i, B * D), *cat = AT(n->cat, i, B * (D + H)), *ht = AT(n->ht, i, B * H);
    float *logits = AT(n->logits, i, B * V), *probs = AT(n->probs, i, B * V);

    /* Bahdanau: attention first, the query is the previous state h_{t-1} */
    if (attn && !luong) attention_forward(n, m, wt, i, hp);

    /* x_t = E_tgt[y_{t-1}]  ( ; h̃_{t-1} input feeding | ; c_t Bahdanau) */
    for (int b = 0; b < B; b++) {
        float *x_b = AT(x, b, I);
        memcpy(x_b, AT(w->dec_emb, n->tok_in[i * B + b], E), (size_t)E * sizeof *x_b);
        if (I == E) continue;
        if (!luong) memcpy(x_b + E, AT(ctx, b, D), (size_t)D * sizeof *x_b);
        else if (i == 0) memset(x_b + E, 0, (size_t)H * sizeof *x_b); /* h̃_0 = 0 */
        else memcpy(x_b + E, AT(n->ht, (i - 1) * B + b, H), (size_t)H * sizeof *x_b);
    }

    /* h_t = cell(x_t, h_{t-1}) */
    matmul_forward(gi, x, wt->dec_W_ih, w->dec_b_ih, B, I, GH);
    matmul_forward(gh, hp, wt->dec_W_hh, w->dec_b_hh, B, H, GH);
    if (cfg->cell == CELL_LSTM) lstm_cell_forward(hn, cn, act, tc, gi, gh, cp, B, H);
    else gru_cell_forward(hn, act, gi, gh, hp, B, H);

    /* Luong: attention after the step, query h_t; h̃_t = tanh(W_c [c_t ; h_t] (+ b_c)) */
    if (attn && luong) {
        attention_forward(n, m, wt, i, hn);
        for (int b = 0; b < B; b++) {
            memcpy(AT(cat, b, D + H), AT(ctx, b, D), (size_t)D * sizeof *cat);
            memcpy(AT(cat, b, D + H) + D, AT(hn, b, H), (size_t)H * sizeof *cat);
        }
        matmul_forward(ht, cat, wt->W_c, w->W_c_b, B, D + H, H);
        tanh_forward(ht, ht, B * H);
    }

    /* logits = W_o (h̃_t or h_t) + b_o; the softmax comes with the loss */
    const float *o = AT(out_in(n, m), i, B * H);
    matmul_forward(logits, o, wt->out_W, w->out_b, B, H, V);
    double loss = crossentropy_forward(probs, logits, AT(n->tgt, i, B), B, V);
    for (int b = 0; b < B; b++) n->pred[i * B + b] = argmax(AT(probs, b, V), V);
    return loss;
}

/* ---- numbers that are not finite ------------------------------------------------
 * Finite weights can still overflow: a model whose weights are all ±3e38
 * loads, and its first matrix product gives ±inf, then NaN. With
 * check_finite, decoding looks at each step's outputs once, after the step
 * (never inside the kernels), and stops at the first that is not finite,
 * saying which (net_nonfinite_err). One pass per array: the largest |x| as
 * its bit pattern (an integer maximum, which vectorises) is below
 * 0x7F800000 exactly when every x is finite, equal to it when the worst is
 * an infinity, and above it for a NaN. */

static uint32_t worst_bits(const float *x, size_t n) {
    uint32_t worst = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], sizeof u);
        u &= 0x7FFFFFFFu; /* |x| */
        worst = u > worst ? u : worst;
    }
    return worst;
}

/* Record the first of the arrays what[k] (n[k] floats each) that is not
 * finite; true when one is. */
static bool first_nonfinite(Net *n, int step, int k_max, const char *const *what, float *const *x,
                            const size_t *len) {
    for (int k = 0; k < k_max; k++)
        if (x[k]) {
            uint32_t worst = worst_bits(x[k], len[k]);
            if (worst < 0x7F800000u) continue;
            n->bad_step = step;
            n->bad_what = what[k];
            n->bad_nan = worst > 0x7F800000u;
            return true;
        }
    return false;
}

/* The encoder's outputs: the memory (0 at padding) and the start state. */
static bool encoder_nonfinite(Net *n) {
    const char *what[] = {"the encoder states are", "the decoder start state is"};
    float *x[] = {n->mem, n->h};
    size_t len[] = {(size_t)n->B * n->S * n->D, (size_t)n->B * n->H};
    return first_nonfinite(n, -1, 2, what, x, len);
}

/* Step i's outputs, in the order the step computes them. The raw scores of
 * padding are -INFINITY on purpose: only a row's first len[b] count. */
static bool step_nonfinite(Net *n, const Model *m, int i) {
    int B = n->B, S = n->S, H = n->H, D = n->D, V = n->Vt;
    if (cfg_attn(&m->cfg))
        for (int b = 0; b < B; b++) {
            float *sc = AT(n->sc, i * B + b, S);
            float *x[] = {sc};
            size_t len[] = {(size_t)n->len[b]};
            const char *what[] = {"the attention scores are"};
            if (first_nonfinite(n, i + 1, 1, what, x, len)) return true;
        }
    const char *what[] = {"the attention weights are", "the context vector is", "the decoder state is",
                          "the attentional state is", "the output probabilities are"};
    bool attn = cfg_attn(&m->cfg);
    float *x[] = {attn ? AT(n->aw, i, B * S) : NULL, attn ? AT(n->ctx, i, B * D) : NULL,
                  AT(n->h, i + 1, B * H), has_attentional(m) ? AT(n->ht, i, B * H) : NULL,
                  AT(n->probs, i, B * V)};
    size_t len[] = {(size_t)B * S, (size_t)B * D, (size_t)B * H, (size_t)B * H, (size_t)B * V};
    return first_nonfinite(n, i + 1, 5, what, x, len);
}

int net_nonfinite_err(const Net *n, char *err) {
    if (n->bad_step < 0) return av_err(err, "%s not finite (%s)", n->bad_what, n->bad_nan ? "NaN" : "infinity");
    return av_err(err, "step %d: %s not finite (%s)", n->bad_step, n->bad_what, n->bad_nan ? "NaN" : "infinity");
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
    n->bad_step = 0;
    if (n->check_finite && encoder_nonfinite(n)) return NAN;
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
        if (n->check_finite && step_nonfinite(n, m, i)) {
            n->T = i + 1;
            return NAN;
        }
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
