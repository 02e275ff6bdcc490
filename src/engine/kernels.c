/* kernels.c — the fast versions: the register-blocked matrix product and the transpose (tiled, and with AVX in 8 × 8 blocks).
 *
 * The linear layers are nearly all of the work. The loops here are written
 * so that the innermost loop walks contiguous memory without a reduction (a
 * reduction cannot be vectorized without -ffast-math, which we refuse), and
 * every output element is still summed in the same order as in
 * matmul_forward_naive (ops.c): the fast and the naive product agree to the
 * last bit (tests/engine/test_kernels.c checks it).
 */
#include "kernels.h"

#include "ops.h"

/* C[m × n] += A[m × k] · M[k × n], A read through strides (a_rs, a_cs).
 * Register blocking: a 4 × 16 block of C stays in registers while p runs
 * over k; each step loads one row piece of M (16 floats) and broadcasts four
 * numbers of A, so every load feeds four multiply-adds. Each C element is
 * still summed in the order p = 0, 1, ..., k-1, so the result does not
 * depend on the block sizes or the vector width.
 *
 * The block is held in V16, GCC's vector of 16 floats (one AVX-512
 * register, two AVX ones, four SSE ones): `r += v * m` on it is sixteen
 * independent float multiplies and adds, each rounded as the scalar loop
 * rounds it. Written as plain float arrays, as before, GCC kept the block
 * in registers only when k was long; for the weight gradients (k = the
 * number of steps, 1 to 25) it built each row from single floats and the
 * product ran 3× slower. memcpy moves a block in and out (unaligned). */
typedef float V16 __attribute__((vector_size(64)));
#define LD(v, p) memcpy(&(v), (p), sizeof(V16))
#define ST(p, v) memcpy((p), &(v), sizeof(V16))

HOT void gemm(float *restrict C, int ldc, const float *restrict A, int a_rs, int a_cs,
              const float *restrict M, int ldm, int m, int k, int n) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
        const float *a0 = A + (size_t)i * a_rs, *a1 = a0 + a_rs, *a2 = a1 + a_rs, *a3 = a2 + a_rs;
        float *c0 = C + (size_t)i * ldc, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
        int j = 0;
        for (; j + 16 <= n; j += 16) { /* full blocks: all in registers */
            V16 r0, r1, r2, r3, mp;
            LD(r0, c0 + j), LD(r1, c1 + j), LD(r2, c2 + j), LD(r3, c3 + j);
            for (int p = 0; p < k; p++) {
                LD(mp, M + (size_t)p * ldm + j);
                r0 += a0[(size_t)p * a_cs] * mp;
                r1 += a1[(size_t)p * a_cs] * mp;
                r2 += a2[(size_t)p * a_cs] * mp;
                r3 += a3[(size_t)p * a_cs] * mp;
            }
            ST(c0 + j, r0), ST(c1 + j, r1), ST(c2 + j, r2), ST(c3 + j, r3);
        }
        if (j < n) { /* the last n mod 16 columns */
            for (int p = 0; p < k; p++) {
                const float *mp = M + (size_t)p * ldm;
                float v0 = a0[(size_t)p * a_cs], v1 = a1[(size_t)p * a_cs];
                float v2 = a2[(size_t)p * a_cs], v3 = a3[(size_t)p * a_cs];
                for (int q = j; q < n; q++) {
                    c0[q] += v0 * mp[q];
                    c1[q] += v1 * mp[q];
                    c2[q] += v2 * mp[q];
                    c3[q] += v3 * mp[q];
                }
            }
        }
    }
    for (; i < m; i++) { /* the last m mod 4 rows, one at a time */
        const float *a = A + (size_t)i * a_rs;
        float *c = C + (size_t)i * ldc;
        int j = 0;
        /* 64 columns of the row stay in registers while p runs: with one
         * row (a decoder step at B = 1 is nothing but such rows) this saves
         * loading and storing c at every p, and the four sums run in
         * parallel; then 32 columns as two sums, then 16 as one */
        for (; j + 64 <= n; j += 64) {
            V16 r0, r1, r2, r3, m0, m1, m2, m3;
            LD(r0, c + j), LD(r1, c + j + 16), LD(r2, c + j + 32), LD(r3, c + j + 48);
            for (int p = 0; p < k; p++) {
                const float *mp = M + (size_t)p * ldm + j;
                float v = a[(size_t)p * a_cs];
                LD(m0, mp), LD(m1, mp + 16), LD(m2, mp + 32), LD(m3, mp + 48);
                r0 += v * m0, r1 += v * m1, r2 += v * m2, r3 += v * m3;
            }
            ST(c + j, r0), ST(c + j + 16, r1), ST(c + j + 32, r2), ST(c + j + 48, r3);
        }
        if (j + 32 <= n) {
            V16 r0, r1, m0, m1;
            LD(r0, c + j), LD(r1, c + j + 16);
            for (int p = 0; p < k; p++) {
                const float *mp = M + (size_t)p * ldm + j;
                float v = a[(size_t)p * a_cs];
                LD(m0, mp), LD(m1, mp + 16);
                r0 += v * m0, r1 += v * m1;
            }
            ST(c + j, r0), ST(c + j + 16, r1);
            j += 32;
        }
        if (j + 16 <= n) {
            V16 r0, m0;
            LD(r0, c + j);
            for (int p = 0; p < k; p++) {
                LD(m0, M + (size_t)p * ldm + j);
                r0 += a[(size_t)p * a_cs] * m0;
            }
            ST(c + j, r0);
            j += 16;
        }
        for (int p = 0; j < n && p < k; p++) { /* the last n mod 16 columns */
            const float *mp = M + (size_t)p * ldm;
            float v = a[(size_t)p * a_cs];
            for (int q = j; q < n; q++) c[q] += v * mp[q];
        }
    }
}

/* dst[C × R] = srcᵀ, src[R × C], the plain way: in 16 × 16 tiles, so that
 * both the rows read and the rows written stay in the L1 cache within a
 * tile. One float moved at a time. */
static void transpose_tiles(float *restrict dst, const float *restrict src, int R, int C) {
    enum { TB = 16 };
    for (int r0 = 0; r0 < R; r0 += TB)
        for (int c0 = 0; c0 < C; c0 += TB) {
            int r1 = r0 + TB < R ? r0 + TB : R, c1 = c0 + TB < C ? c0 + TB : C;
            for (int c = c0; c < c1; c++)
                for (int r = r0; r < r1; r++) dst[(size_t)c * R + r] = src[(size_t)r * C + c];
        }
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_TRANSPOSE_AVX 1

/* The same with AVX: an 8 × 8 block is eight loads of a row piece, three
 * rounds of shuffles and eight stores of a column piece, where the plain
 * loop moves the 64 floats one by one (about 4× faster on the standard
 * model's matrices; the forward pass and the gradient trace transpose every
 * weight matrix each time). The shuffles: unpack interleaves two rows'
 * pairs, shuffle gathers four rows' quarters, permute2f128 swaps the
 * 128-bit halves; after them register j holds column j. */
__attribute__((target("avx"))) static inline void block8_avx(float *restrict d, int R, const float *restrict s,
                                                             int C) {
    __m256 r[8], t[8], u[8];
    for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(s + (size_t)i * C);
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int j = 0; j < 4; j++) {
        _mm256_storeu_ps(d + (size_t)j * R, _mm256_permute2f128_ps(u[j], u[j + 4], 0x20));
        _mm256_storeu_ps(d + (size_t)(j + 4) * R, _mm256_permute2f128_ps(u[j], u[j + 4], 0x31));
    }
}

/* The blocks go down a band of 8 columns of src, so that the 8 rows of dst
 * they fill are written front to back. Across the rows of src instead, a
 * 256-row matrix wrote 64 rows of dst 1 KB apart at each step, more lines
 * than a cache set holds, and each line was fetched again for its second
 * half (256 × 64 took 6 µs; now 1.2). The edges (R or C not a multiple of
 * 8) go float by float. Only data moves: the result is the plain loop's,
 * bit for bit. */
__attribute__((target("avx"))) static void transpose_avx(float *restrict dst, const float *restrict src, int R,
                                                         int C) {
    int c0 = 0, R8 = R - R % 8;
    for (; c0 + 8 <= C; c0 += 8)
        for (int r0 = 0; r0 < R8; r0 += 8) block8_avx(dst + (size_t)c0 * R + r0, R, src + (size_t)r0 * C + c0, C);
    for (int r = 0; r < R8; r++) /* the last C mod 8 columns */
        for (int c = c0; c < C; c++) dst[(size_t)c * R + r] = src[(size_t)r * C + c];
    for (int r = R8; r < R; r++) /* the last R mod 8 rows */
        for (int c = 0; c < C; c++) dst[(size_t)c * R + r] = src[(size_t)r * C + c];
}
#endif

/* dst[C × R] = srcᵀ, src[R × C]: with AVX when the processor has it. */
void transpose(float *restrict dst, const float *restrict src, int R, int C) {
#ifdef HAVE_TRANSPOSE_AVX
    if (__builtin_cpu_supports("avx")) {
        transpose_avx(dst, src, R, C);
        return;
    }
#endif
    transpose_tiles(dst, src, R, C);
}
