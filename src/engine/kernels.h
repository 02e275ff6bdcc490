/* kernels.h — the fast versions: what makes ops.c quick without changing its math.
 *
 * Read ops.c first: it is the network, written as plain loops. This header
 * and kernels.c hold only what makes those loops fast:
 *   - HOT, GCC's target_clones: a hot function is compiled for several
 *     instruction sets and the best one is picked at load time, so the binary
 *     stays portable (no -march=native);
 *   - the no-trapping-math pragma, which lets the loops around exp_fast and
 *     tanh_fast vectorize (and the Makefile's -fno-math-errno, for sqrtf:
 *     GCC honours that one only on the command line);
 *   - exp_fast and tanh_fast, inline replacements for libm's expf and tanhf
 *     that vectorize; dot, a dot product in eight lanes;
 *   - gemm, the register-blocked matrix product under every linear layer
 *     (its five-line reference is matmul_forward_naive in ops.c), and
 *     transpose (kernels.c).
 *
 * None of it changes a result between builds: no -ffast-math (gradient
 * checks need IEEE arithmetic), every sum is taken in an order fixed in the
 * source, whatever the vector width, so the avx2/avx512 clones and the plain
 * build give bit-identical results (-std=c11 also keeps GCC from fusing
 * a·b + c into one FMA, which would round differently).
 *
 * Include it only from the files whose loops it speeds up (ops.c,
 * kernels.c): the pragma applies to everything after it.
 */
#ifndef KERNELS_H
#define KERNELS_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define HOT
#endif

/* Floating-point operations never trap here (no FP exceptions are enabled),
 * so GCC may compute both sides of a `c ? a : b` and select, which is what
 * lets the loops around exp_fast and tanh_fast vectorize. This changes no
 * result: unlike -ffast-math, every operation stays IEEE-exact. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

/* ---- the matrix product ---------------------------------------------------- */

/* C[m × n] += A[m × k] · M[k × n]. C and M are row-major with row strides
 * ldc and ldm; A is read through strides (a_rs, a_cs), so that the same
 * code also multiplies by Aᵀ. Each C element is summed in the order
 * p = 0, 1, ..., k-1, exactly as the naive triple loop does. */
void gemm(float *restrict C, int ldc, const float *restrict A, int a_rs, int a_cs,
          const float *restrict M, int ldm, int m, int k, int n);

/* ---- dot product ------------------------------------------------------------- */

/* Σ_j a[j] b[j] in eight interleaved partial sums, which the compiler turns
 * into one vector register (a plain running sum is a chain of dependent
 * additions that it may not reorder without -ffast-math). The order of the
 * additions is fixed here in the source, so every build gives the same bits. */
static inline float dot(const float *a, const float *b, int n) {
    float acc[8] = {0};
    int j = 0;
    for (; j + 8 <= n; j += 8)
        for (int l = 0; l < 8; l++) acc[l] += a[j + l] * b[j + l];
    float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; j < n; j++) s += a[j] * b[j];
    return s;
}

/* ---- exp and tanh ------------------------------------------------------------
 * libm's expf and tanhf are exact to an ulp but are function calls, so the
 * cell loops around them cannot be vectorized, and they took half of the
 * training time. These inline versions are accurate to about 2e-7 relative
 * (a few float ulps, far inside the 1e-5 we promise against PyTorch), use
 * only + - × ÷ and conversions, and so vectorize. */

/* e^x = 2^n · e^r with n = round(x / ln 2) and r = x - n ln 2, |r| ≤ ln2/2.
 * ln 2 is split in two parts (Cody & Waite) so that n·ln2_hi is exact and r
 * keeps full precision; e^r is a degree-7 polynomial (Cephes' expf), and
 * 2^n is built directly in the float's exponent bits. x is clamped to
 * [-87, 88] so that 2^n stays a normal float: e^-87 ≈ 1.6e-38 and
 * e^88 ≈ 1.7e38 are as far as float goes. */
static inline float exp_fast(float x) {
    x = x < -87.0f ? -87.0f : x;
    x = x > 88.0f ? 88.0f : x;
    float t = x * 1.44269504088896341f;
    /* round to nearest without a branch: adding 1.5·2^23 pushes the
     * fraction bits out of the float, subtracting it brings back an integer */
    float fn = (t + 12582912.0f) - 12582912.0f;
    /* NaN passes the clamps; converting it to int is undefined, so it takes
     * n = 0 instead and still comes out as NaN (r is NaN) */
    int n = fn == fn ? (int)fn : 0;
    float r = x - fn * 0.693359375f; /* ln 2 = 0.693359375 - 2.12194440e-4 */
    r = r + fn * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    int32_t bits = (int32_t)((uint32_t)(n + 127) << 23);
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* tanh(x) = (1 - e^-2|x|) / (1 + e^-2|x|) with the sign of x. For small |x|
 * the numerator cancels (1 - 0.9999...), losing relative precision, so
 * there we use the Taylor series x - x³/3 + 2x⁵/15 - 17x⁷/315, whose next
 * term is below 1e-9 relative for |x| < 1/16. */
static inline float tanh_fast(float x) {
    float a = fabsf(x);
    float e = exp_fast(-2.0f * a);
    float big = copysignf((1.0f - e) / (1.0f + e), x);
    float x2 = x * x;
    float small = x * (1.0f + x2 * (-0.333333333f + x2 * (0.133333333f - x2 * 0.0539682540f)));
    return a < 0.0625f ? small : big;
}

#endif
