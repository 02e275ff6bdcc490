/* ops.h — the operations of the network, one forward/backward pair each (ops.c).
 *
 * Conventions (see av.h for the size letters):
 *   - plain float pointers, row-major, explicit sizes; outputs first, then
 *     inputs, then weights, then sizes;
 *   - every op works on B rows at once (a mini-batch, or B = 1 for a trace);
 *   - a backward ACCUMULATES (+=) into every gradient it writes; the caller
 *     zeroes gradient buffers once, before the backward pass;
 *   - a NULL gradient pointer means "not needed" and is skipped.
 */
#ifndef OPS_H
#define OPS_H

#include <stddef.h>

/* ---- recurrent cells (PyTorch's nn.LSTM / nn.GRU) -------------------------- */
/* gi = x W_ihᵀ + b_ih and gh = h W_hhᵀ + b_hh are computed by the caller with
 * matmul_forward; the cell adds the non-linear part. */
void lstm_cell_forward(float *h, float *c, float *act, float *tc,
                       const float *gi, const float *gh, const float *c_prev,
                       int B, int H);
void lstm_cell_backward(float *dgate, float *dc_prev,
                        const float *dh, const float *dc,
                        const float *act, const float *tc, const float *c_prev,
                        int B, int H);
void gru_cell_forward(float *h, float *act,
                      const float *gi, const float *gh, const float *h_prev,
                      int B, int H);
void gru_cell_backward(float *dgi, float *dgh, float *dh_prev,
                       const float *dh,
                       const float *act, const float *gh, const float *h_prev,
                       int B, int H);

/* ---- linear layer --------------------------------------------------------- */
/* y = x Wᵀ + b. The naive pair is the formula as a triple loop, the
 * reference; the fast pair gives the same bits through gemm (kernels.c).
 * The fast forward reads W TRANSPOSED (WT[I × O], made once per weight
 * update by transpose()), so that its inner loop runs along O over
 * contiguous memory; the backward reads W itself, whose rows have stride ldw
 * (ldw = I unless W is a column block of a wider matrix). */
void matmul_forward_naive(float *y, const float *x, const float *W, const float *b,
                          int B, int I, int O);
void matmul_backward_naive(float *dx, float *dW, float *db,
                           const float *dy, const float *x, const float *W,
                           int B, int I, int O, int ldw);
void matmul_forward(float *y, const float *x, const float *WT, const float *b,
                    int B, int I, int O);
void matmul_backward(float *dx, float *dW, float *db,
                     const float *dy, const float *x, const float *W,
                     int B, int I, int O, int ldw);
/* dst[C × R] = srcᵀ, src[R × C] (kernels.c) */
void transpose(float *dst, const float *src, int R, int C);

/* ---- element-wise -------------------------------------------------------- */
void tanh_forward(float *y, const float *x, int n);
void tanh_backward(float *dx, const float *dy, const float *y, int n);

/* ---- attention ------------------------------------------------------------- */
/* Bilinear scores (dot, scaled_dot, general): score_s = scale · q · k_s, where
 * k_s = h̄_s (dot) or W_a h̄_s (general, precomputed once per source).
 * Positions s ≥ len[b] are padding and get -INFINITY. */
void score_dot_forward(float *scores, const float *q, const float *keys,
                       const int *len, float scale, int B, int S, int K);
void score_dot_backward(float *dq, float *dkeys,
                        const float *dscores, const float *q, const float *keys,
                        const int *len, float scale, int B, int S, int K);
/* Tanh scores (concat, additive): u_s = tanh(qp + k_s), score_s = v · u_s,
 * where qp = W_q q and k_s = W_k h̄_s are the two halves of the layer. */
void score_tanh_forward(float *scores, float *u, const float *qp, const float *keys,
                        const float *v, const int *len, int B, int S, int A);
void score_tanh_backward(float *dqp, float *dkeys, float *dv,
                         const float *dscores, const float *u, const float *v,
                         const int *len, int B, int S, int A);
/* Softmax over the last axis, N entries per row. */
void softmax_forward(float *p, const float *x, int B, int N);
void softmax_backward(float *dx, const float *dp, const float *p, int B, int N);
/* c = Σ_s a_s h̄_s */
void context_forward(float *ctx, const float *a, const float *mem, int B, int S, int D);
void context_backward(float *da, float *dmem,
                      const float *dctx, const float *a, const float *mem,
                      int B, int S, int D);

/* ---- output ------------------------------------------------------------- */
/* Cross-entropy of softmax(logits) against target ids; rows whose target is
 * < 0 are padding and skipped. Returns the SUM of -log p[target]; fills
 * probs. Backward: dlogits += (p - onehot) · scale. */
double crossentropy_forward(float *probs, const float *logits, const int *target,
                            int B, int V);
void crossentropy_backward(float *dlogits, const float *probs, const int *target,
                           float scale, int B, int V);
int argmax(const float *x, int n);

/* ---- optimizer ------------------------------------------------------------ */
/* One step of Adam (Kingma & Ba), as torch.optim.Adam computes it, on n
 * parameters, each gradient first multiplied by gscale (global-norm
 * clipping's factor, 1 when the norm is under the limit):
 *   g = gscale · g
 *   m = β1 m + (1 - β1) g           running mean of the gradient
 *   v = β2 v + (1 - β2) g²          running mean of its square
 *   p -= lr/(1 - β1^t) · m / (√v / √(1 - β2^t) + ε)
 * the two (1 - β^t) undo the bias of m and v towards their zero start;
 * the caller passes step = lr/(1 - β1^t) and bc2s = √(1 - β2^t). The naive
 * one is the formula as a loop; the fast one gives the same bits with the
 * square root and the division in vector registers. */
void adam_naive(float *p, float *m, float *v, const float *g, float gscale, size_t n,
                float step, float b1, float b2, float bc2s, float eps);
void adam(float *p, float *m, float *v, const float *g, float gscale, size_t n,
          float step, float b1, float b2, float bc2s, float eps);

#endif
