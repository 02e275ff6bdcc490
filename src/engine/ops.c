/* ops.c — the network's operations, one forward/backward pair each, in the order a student meets them.
 *
 * The recurrent cells first (LSTM, then GRU), then the linear layer and
 * tanh that feed them, the attention (scores, softmax, context) and the
 * output's softmax and cross-entropy. Each backward quotes the forward line
 * it differentiates, then derives it. Notation: for a scalar loss L, dX
 * means ∂L/∂X, of X's shape.
 *
 * Everything here is the math as it reads. What makes it fast without
 * changing a bit of it lives in kernels.h and kernels.c, "the fast
 * versions": the register-blocked matrix product (gemm), exp_fast and
 * tanh_fast (inline, vectorizable replacements for expf and tanhf), dot,
 * and HOT, which compiles a hot loop for several instruction sets.
 */
#include "ops.h"

#include <math.h>
#include <string.h>

#include "kernels.h"

/* ---- LSTM ------------------------------------------------------------------ */

/* σ(x) = 1 / (1 + e^-x): no cancellation anywhere, tends to 0 and 1. */
static inline float sigmoid(float x) { return 1.0f / (1.0f + exp_fast(-x)); }

/* h[B × H], c[B × H] the new state; act[B × 4H] the gate activations i f g o
 * and tc[B × H] = tanh(c'), both kept for the backward; gi, gh[B × 4H] the
 * two linear parts; c_prev[B × H].
 *   i = σ(gi_i + gh_i)  f = σ(gi_f + gh_f)  g = tanh(gi_g + gh_g)  o = σ(gi_o + gh_o)
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c') */
HOT void lstm_cell_forward(float *restrict h, float *restrict c, float *restrict act,
                           float *restrict tc, const float *restrict gi, const float *restrict gh,
                           const float *restrict c_prev, int B, int H) {
    int G = 4 * H;
    for (int r = 0; r < B; r++) {
        const float *xi = gi + (size_t)r * G, *xh = gh + (size_t)r * G;
        float *a = act + (size_t)r * G;
        for (int j = 0; j < H; j++) {
            a[j] = sigmoid(xi[j] + xh[j]);
            a[H + j] = sigmoid(xi[H + j] + xh[H + j]);
            a[2 * H + j] = tanh_fast(xi[2 * H + j] + xh[2 * H + j]);
            a[3 * H + j] = sigmoid(xi[3 * H + j] + xh[3 * H + j]);
        }
        const float *cp = c_prev + (size_t)r * H;
        float *cr = c + (size_t)r * H, *hr = h + (size_t)r * H, *t = tc + (size_t)r * H;
        for (int j = 0; j < H; j++) {
            cr[j] = a[H + j] * cp[j] + a[j] * a[2 * H + j];
            t[j] = tanh_fast(cr[j]);
            hr[j] = a[3 * H + j] * t[j];
        }
    }
}

/* Forward:  h' = o ⊙ tanh(c')
 *   do = dh ⊙ tanh(c'),   and c' gets dh ⊙ o ⊙ (1 - tanh²(c')) on top of the
 *   dc that later steps sent back:  dc_tot = dc + dh ⊙ o ⊙ (1 - tanh²(c'))
 * Forward:  c' = f ⊙ c + i ⊙ g
 *   df = dc_tot ⊙ c,  di = dc_tot ⊙ g,  dg = dc_tot ⊙ i,  dc_prev += dc_tot ⊙ f
 * Forward:  i = σ(z_i) (same for f, o),  g = tanh(z_g),  z = gi + gh
 *   σ'(z) = σ(z)(1 - σ(z)) = i(1 - i);  tanh'(z) = 1 - g·g
 *   dz is the same for gi and gh (they are summed), so one dgate serves both
 *   matmul_backward calls (the caller gives gh's gradient a copy).
 * dgate[B × 4H] (+=), dc_prev[B × H] (+=); dh, dc[B × H]; act[B × 4H];
 * tc = tanh(c'), c_prev[B × H]. */
HOT void lstm_cell_backward(float *restrict dgate, float *restrict dc_prev, const float *restrict dh,
                            const float *restrict dc, const float *restrict act,
                            const float *restrict tc, const float *restrict c_prev, int B, int H) {
    int G = 4 * H;
    for (int r = 0; r < B; r++) {
        const float *a = act + (size_t)r * G;
        const float *dhr = dh + (size_t)r * H, *dcr = dc + (size_t)r * H;
        const float *t = tc + (size_t)r * H, *cp = c_prev + (size_t)r * H;
        float *dg = dgate + (size_t)r * G, *dcp = dc_prev + (size_t)r * H;
        for (int j = 0; j < H; j++) {
            float i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j];
            float dct = dcr[j] + dhr[j] * o * (1.0f - t[j] * t[j]);
            dg[j] += dct * g * i * (1.0f - i);
            dg[H + j] += dct * cp[j] * f * (1.0f - f);
            dg[2 * H + j] += dct * i * (1.0f - g * g);
            dg[3 * H + j] += dhr[j] * t[j] * o * (1.0f - o);
            dcp[j] += dct * f;
        }
    }
}

/* ---- GRU --------------------------------------------------------------------- */

/* h[B × H] the new state; act[B × 3H] the gates r z n; gi, gh[B × 3H];
 * h_prev[B × H].
 *   r = σ(gi_r + gh_r)   z = σ(gi_z + gh_z)
 *   n = tanh(gi_n + r ⊙ gh_n)          (gh_n = W_hn h + b_hn: r gates it all)
 *   h' = (1 - z) ⊙ n + z ⊙ h */
HOT void gru_cell_forward(float *restrict h, float *restrict act, const float *restrict gi,
                          const float *restrict gh, const float *restrict h_prev, int B, int H) {
    int G = 3 * H;
    for (int r = 0; r < B; r++) {
        const float *xi = gi + (size_t)r * G, *xh = gh + (size_t)r * G;
        const float *hp = h_prev + (size_t)r * H;
        float *a = act + (size_t)r * G, *hr = h + (size_t)r * H;
        for (int j = 0; j < H; j++) {
            float rg = sigmoid(xi[j] + xh[j]);
            float z = sigmoid(xi[H + j] + xh[H + j]);
            float n = tanh_fast(xi[2 * H + j] + rg * xh[2 * H + j]);
            a[j] = rg;
            a[H + j] = z;
            a[2 * H + j] = n;
            hr[j] = (1.0f - z) * n + z * hp[j];
        }
    }
}

/* Forward:  h' = (1 - z) ⊙ n + z ⊙ h
 *   dn = dh' ⊙ (1 - z),   dz = dh' ⊙ (h - n),   dh_prev += dh' ⊙ z
 * Forward:  n = tanh(gi_n + r ⊙ gh_n)       let dn_pre = dn ⊙ (1 - n·n)
 *   dgi_n = dn_pre,   dgh_n = dn_pre ⊙ r,   dr = dn_pre ⊙ gh_n
 * Forward:  r = σ(gi_r + gh_r),  z = σ(gi_z + gh_z)
 *   dgi_r = dgh_r = dr ⊙ r(1 - r),   dgi_z = dgh_z = dz ⊙ z(1 - z)
 * Unlike the LSTM, the n gate makes dgi and dgh differ.
 * dgi, dgh[B × 3H] (+=), dh_prev[B × H] (+=); dh[B × H]; act[B × 3H];
 * gh[B × 3H]; h_prev[B × H]. */
HOT void gru_cell_backward(float *dgi, float *dgh, float *dh_prev, const float *dh,
                       const float *act, const float *gh, const float *h_prev, int B, int H) {
    int G = 3 * H;
    for (int r = 0; r < B; r++) {
        const float *a = act + (size_t)r * G, *xh = gh + (size_t)r * G;
        const float *dhr = dh + (size_t)r * H, *hp = h_prev + (size_t)r * H;
        float *di = dgi + (size_t)r * G, *dhh = dgh + (size_t)r * G;
        float *dhp = dh_prev + (size_t)r * H;
        for (int j = 0; j < H; j++) {
            float rg = a[j], z = a[H + j], n = a[2 * H + j];
            float dn = dhr[j] * (1.0f - z);
            float dz = dhr[j] * (hp[j] - n);
            dhp[j] += dhr[j] * z;
            float dn_pre = dn * (1.0f - n * n);
            float dr_pre = dn_pre * xh[2 * H + j] * rg * (1.0f - rg);
            float dz_pre = dz * z * (1.0f - z);
            di[j] += dr_pre;
            dhh[j] += dr_pre;
            di[H + j] += dz_pre;
            dhh[H + j] += dz_pre;
            di[2 * H + j] += dn_pre;
            dhh[2 * H + j] += dn_pre * rg;
        }
    }
}

/* ---- linear layer --------------------------------------------------------- */

/* y[B × O], x[B × I], W[O × I], b[O] or NULL.
 *   y[r][o] = b[o] + Σ_i x[r][i] · W[o][i]        i.e.  y = b + x · Wᵀ
 * The plain triple loop, as the formula reads: the reference that the fast
 * matmul_forward below must match to the last bit. */
void matmul_forward_naive(float *y, const float *x, const float *W, const float *b, int B, int I, int O) {
    for (int r = 0; r < B; r++)
        for (int o = 0; o < O; o++) {
            float s = b ? b[o] : 0.0f;
            for (int i = 0; i < I; i++) s += x[(size_t)r * I + i] * W[(size_t)o * I + i];
            y[(size_t)r * O + o] = s;
        }
}

/* Forward:  y[r][o] = b[o] + Σ_i x[r][i] · W[o][i]
 * Each y[r][o] depends on x[r][i] through W[o][i], on W[o][i] through x[r][i],
 * and on b[o] with slope 1. Summing over everything y feeds:
 *   dx[r][i] += Σ_o dy[r][o] · W[o][i]      (dx = dy W)
 *   dW[o][i] += Σ_r dy[r][o] · x[r][i]      (dW = dyᵀ x)
 *   db[o]    += Σ_r dy[r][o]
 * dy[B × O], x[B × I], W[O × ldw]; dx[B × I], dW[O × ldw], db[O].
 * The plain loop again: the reference for the fast matmul_backward. */
void matmul_backward_naive(float *dx, float *dW, float *db, const float *dy, const float *x,
                           const float *W, int B, int I, int O, int ldw) {
    for (int r = 0; r < B; r++)
        for (int o = 0; o < O; o++) {
            float g = dy[(size_t)r * O + o];
            for (int i = 0; i < I; i++) {
                if (dx) dx[(size_t)r * I + i] += g * W[(size_t)o * ldw + i];
                if (dW) dW[(size_t)o * ldw + i] += g * x[(size_t)r * I + i];
            }
            if (db) db[o] += g;
        }
}

/* The same two products, fast: each is one call of gemm (kernels.c), which
 * sums every element in the same order as the loops above. The forward
 * reads WT[I × O] = Wᵀ, so that gemm's inner loop runs along O. */
void matmul_forward(float *y, const float *x, const float *WT, const float *b, int B, int I, int O) {
    for (int r = 0; r < B; r++) {
        float *yr = y + (size_t)r * O;
        if (b) memcpy(yr, b, (size_t)O * sizeof *yr);
        else memset(yr, 0, (size_t)O * sizeof *yr);
    }
    gemm(y, O, x, I, 1, WT, O, B, I, O);
}

void matmul_backward(float *dx, float *dW, float *db, const float *dy, const float *x,
                     const float *W, int B, int I, int O, int ldw) {
    if (dx) gemm(dx, I, dy, O, 1, W, ldw, B, O, I); /* dx = dy W */
    if (dW) gemm(dW, ldw, dy, 1, O, x, I, O, B, I); /* dW = dyᵀ x: A[o][r] = dy[r][o] */
    if (db)
        for (int r = 0; r < B; r++)
            for (int o = 0; o < O; o++) db[o] += dy[(size_t)r * O + o];
}

/* ---- tanh ------------------------------------------------------------------ */

/* y[n] = tanh(x[n]), element by element; y may be x (h̃_t and h_0 are
 * computed in place), so the pointers are not restrict */
HOT void tanh_forward(float *y, const float *x, int n) {
    for (int i = 0; i < n; i++) y[i] = tanh_fast(x[i]);
}

/* Forward:  y = tanh(x)
 * tanh'(x) = 1 - tanh²(x) = 1 - y·y: the derivative is read off the output,
 * so the forward's y is all the backward needs (no x kept, no tanh again). */
HOT void tanh_backward(float *dx, const float *dy, const float *y, int n) {
    for (int i = 0; i < n; i++) dx[i] += dy[i] * (1.0f - y[i] * y[i]);
}

/* ---- attention scores ---------------------------------------------------------- */

/* scores[B × S]; q[B × K]; keys[B × S × K]; len[B] real source lengths. */
HOT void score_dot_forward(float *scores, const float *q, const float *keys, const int *len,
                       float scale, int B, int S, int K) {
    for (int b = 0; b < B; b++) {
        const float *qb = q + (size_t)b * K;
        for (int s = 0; s < S; s++) {
            float *out = &scores[(size_t)b * S + s];
            if (s >= len[b]) { *out = -INFINITY; continue; } /* softmax gives it 0 */
            *out = scale * dot(qb, keys + ((size_t)b * S + s) * K, K);
        }
    }
}

/* Forward:  score_s = scale · Σ_j q[j] k_s[j]
 *   dq[j]   += Σ_s dscore_s · scale · k_s[j]
 *   dk_s[j] += dscore_s · scale · q[j]
 * Padding positions have no score to differentiate. dkeys may be NULL. */
HOT void score_dot_backward(float *dq, float *dkeys, const float *dscores, const float *q,
                        const float *keys, const int *len, float scale, int B, int S, int K) {
    for (int b = 0; b < B; b++) {
        const float *qb = q + (size_t)b * K;
        float *dqb = dq + (size_t)b * K;
        for (int s = 0; s < len[b]; s++) {
            float g = scale * dscores[(size_t)b * S + s];
            const float *k = keys + ((size_t)b * S + s) * K;
            for (int j = 0; j < K; j++) dqb[j] += g * k[j];
            if (!dkeys) continue; /* dq alone (the gradient trace's d_query) */
            float *dk = dkeys + ((size_t)b * S + s) * K;
            for (int j = 0; j < K; j++) dk[j] += g * qb[j];
        }
    }
}

/* scores[B × S]; u[B × S × A] the tanh layer (kept for the backward);
 * qp[B × A]; keys[B × S × A]; v[A].
 *   u_s = tanh(qp + k_s),   score_s = v · u_s */
HOT void score_tanh_forward(float *scores, float *u, const float *qp, const float *keys,
                        const float *v, const int *len, int B, int S, int A) {
    for (int b = 0; b < B; b++) {
        const float *qb = qp + (size_t)b * A;
        for (int s = 0; s < S; s++) {
            float *us = u + ((size_t)b * S + s) * A;
            if (s >= len[b]) {
                memset(us, 0, (size_t)A * sizeof *us);
                scores[(size_t)b * S + s] = -INFINITY;
                continue;
            }
            const float *k = keys + ((size_t)b * S + s) * A;
            float acc = 0.0f;
            for (int a = 0; a < A; a++) {
                us[a] = tanh_fast(qb[a] + k[a]);
                acc += v[a] * us[a];
            }
            scores[(size_t)b * S + s] = acc;
        }
    }
}

/* Forward:  score_s = v · u_s
 *   dv += Σ_s dscore_s u_s,   du_s = dscore_s v
 * Forward:  u_s = tanh(qp + k_s)        tanh' = 1 - u·u
 *   dpre_s = du_s ⊙ (1 - u_s ⊙ u_s)
 *   dqp += Σ_s dpre_s   (qp is shared by every s),   dk_s += dpre_s */
HOT void score_tanh_backward(float *dqp, float *dkeys, float *dv, const float *dscores,
                         const float *u, const float *v, const int *len, int B, int S, int A) {
    for (int b = 0; b < B; b++) {
        float *dqb = dqp + (size_t)b * A;
        for (int s = 0; s < len[b]; s++) {
            float g = dscores[(size_t)b * S + s];
            const float *us = u + ((size_t)b * S + s) * A;
            float *dk = dkeys + ((size_t)b * S + s) * A;
            for (int a = 0; a < A; a++) {
                dv[a] += g * us[a];
                float dpre = g * v[a] * (1.0f - us[a] * us[a]);
                dqb[a] += dpre;
                dk[a] += dpre;
            }
        }
    }
}

/* ---- softmax ------------------------------------------------------------------ */

/* p[B × N] = softmax(x[B × N]) per row.
 * exp overflows for x > 88, so we subtract the row maximum first: softmax is
 * unchanged by a shift (the e^-max cancels between numerator and sum), and
 * now every exponent is ≤ 0, so every exp is in (0, 1]. -INFINITY entries
 * (padding) become exactly 0. */
void softmax_forward(float *p, const float *x, int B, int N) {
    for (int r = 0; r < B; r++) {
        const float *xr = x + (size_t)r * N;
        float *pr = p + (size_t)r * N;
        float mx = -INFINITY;
        for (int i = 0; i < N; i++) mx = xr[i] > mx ? xr[i] : mx;
        float sum = 0.0f;
        for (int i = 0; i < N; i++) {
            pr[i] = expf(xr[i] - mx);
            sum += pr[i];
        }
        float inv = 1.0f / sum;
        for (int i = 0; i < N; i++) pr[i] *= inv;
    }
}

/* Forward:  p_i = e^{x_i} / Σ_k e^{x_k}
 *   ∂p_i/∂x_j = p_i (δ_ij - p_j)
 *   dx_j = Σ_i dp_i p_i (δ_ij - p_j) = p_j (dp_j - Σ_i p_i dp_i) */
void softmax_backward(float *dx, const float *dp, const float *p, int B, int N) {
    for (int r = 0; r < B; r++) {
        const float *pr = p + (size_t)r * N, *dpr = dp + (size_t)r * N;
        float *dxr = dx + (size_t)r * N;
        float dot = 0.0f;
        for (int i = 0; i < N; i++) dot += pr[i] * dpr[i];
        for (int i = 0; i < N; i++) dxr[i] += pr[i] * (dpr[i] - dot);
    }
}

/* ---- context -------------------------------------------------------------------- */

/* ctx[B × D] = Σ_s a[B × S] · mem[B × S × D] */
HOT void context_forward(float *ctx, const float *a, const float *mem, int B, int S, int D) {
    for (int b = 0; b < B; b++) {
        float *cb = ctx + (size_t)b * D;
        memset(cb, 0, (size_t)D * sizeof *cb);
        for (int s = 0; s < S; s++) {
            float w = a[(size_t)b * S + s];
            const float *m = mem + ((size_t)b * S + s) * D;
            for (int j = 0; j < D; j++) cb[j] += w * m[j];
        }
    }
}

/* Forward:  c = Σ_s a_s h̄_s
 *   da_s += dc · h̄_s,   dh̄_s += a_s dc */
HOT void context_backward(float *da, float *dmem, const float *dctx, const float *a,
                      const float *mem, int B, int S, int D) {
    for (int b = 0; b < B; b++) {
        const float *dc = dctx + (size_t)b * D;
        for (int s = 0; s < S; s++) {
            const float *m = mem + ((size_t)b * S + s) * D;
            float *dm = dmem + ((size_t)b * S + s) * D;
            float w = a[(size_t)b * S + s];
            for (int j = 0; j < D; j++) dm[j] += w * dc[j];
            da[(size_t)b * S + s] += dot(dc, m, D);
        }
    }
}

/* ---- output: softmax + cross-entropy ----------------------------------------------- */

/* probs[B × V]; logits[B × V]; target[B] (< 0: padding).
 *   L = -log p_y = -(x_y - max - log Σ_k e^{x_k - max})
 * computed from the logits (log-sum-exp) rather than log(p_y), which would
 * be -inf once p_y underflows to 0. */
double crossentropy_forward(float *probs, const float *logits, const int *target, int B, int V) {
    double total = 0.0;
    softmax_forward(probs, logits, B, V);
    for (int r = 0; r < B; r++) {
        if (target[r] < 0) continue;
        const float *x = logits + (size_t)r * V;
        float mx = -INFINITY, sum = 0.0f;
        for (int i = 0; i < V; i++) mx = x[i] > mx ? x[i] : mx;
        for (int i = 0; i < V; i++) sum += expf(x[i] - mx);
        total += -(double)(x[target[r]] - mx - logf(sum));
    }
    return total;
}

/* Forward:  L = -log softmax(x)_y
 *   dL/dx_i = p_i - [i = y]        (softmax and log cancel into this) */
void crossentropy_backward(float *dlogits, const float *probs, const int *target, float scale,
                           int B, int V) {
    for (int r = 0; r < B; r++) {
        if (target[r] < 0) continue;
        const float *p = probs + (size_t)r * V;
        float *d = dlogits + (size_t)r * V;
        for (int i = 0; i < V; i++) d[i] += scale * p[i];
        d[target[r]] -= scale;
    }
}

int argmax(const float *x, int n) {
    int best = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

/* ---- optimizer ------------------------------------------------------------ */

/* Adam on one parameter (ops.h): updates its two moments, returns the
 * amount to subtract from it. */
static inline float adam_one(float *m, float *v, float g, float step, float b1, float b2,
                             float bc2s, float eps) {
    *m = b1 * *m + (1.0f - b1) * g;
    *v = b2 * *v + (1.0f - b2) * g * g;
    return step * *m / (sqrtf(*v) / bc2s + eps);
}

/* The reference loop, and the same loop compiled for vector registers (HOT;
 * sqrtf needs no errno: -fno-math-errno in the Makefile): they must agree to the last bit
 * (test_kernels). */
void adam_naive(float *p, float *m, float *v, const float *g, float gscale, size_t n,
                float step, float b1, float b2, float bc2s, float eps) {
    for (size_t i = 0; i < n; i++) p[i] -= adam_one(&m[i], &v[i], g[i] * gscale, step, b1, b2, bc2s, eps);
}

HOT void adam(float *restrict p, float *restrict m, float *restrict v, const float *restrict g,
              float gscale, size_t n, float step, float b1, float b2, float bc2s, float eps) {
    for (size_t i = 0; i < n; i++) p[i] -= adam_one(&m[i], &v[i], g[i] * gscale, step, b1, b2, bc2s, eps);
}
