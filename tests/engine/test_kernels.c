/* test_kernels.c — the fast matrix product (gemm, kernels.c) against its naive reference (ops.c), and the transpose against its definition.
 *
 * Both sum every element in the same order, so they must agree to the last
 * bit, not within a tolerance: the sizes are odd on purpose (rows that are
 * not a multiple of the 4-row block, columns on both sides of the 16-wide
 * block, k = 1, W a column block of a wider matrix) so that every edge of
 * the blocking is crossed. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "engine/av.h"
#include "engine/ops.h"

/* every matrix below fits in N floats (static, so a failed assertion leaks nothing) */
enum { N = 4096 };

static void rnd(float *x, int n, Rng *r) {
    cr_assert(n <= N);
    for (int i = 0; i < n; i++) x[i] = 2.0f * rng_uniform(r) - 1.0f;
}

/* a and b bit for bit, naming the first element that differs */
static void same_bits(const float *fast, const float *naive, int n, const char *what, int B, int I,
                      int O) {
    for (int i = 0; i < n; i++)
        if (memcmp(&fast[i], &naive[i], sizeof *fast) != 0)
            cr_assert_fail("%s (B %d, I %d, O %d): element %d is %.9g, the naive loop gives %.9g", what,
                           B, I, O, i, fast[i], naive[i]);
}

/* B × I inputs, O outputs; W is O × ldw (ldw ≥ I), of which the first I columns are used */
static const int SIZES[][4] = {
    {1, 1, 1, 1},   {3, 5, 7, 5},    {4, 16, 16, 16}, {9, 37, 35, 41}, {5, 3, 33, 3},
    {13, 17, 1, 20}, {2, 64, 47, 64}, {7, 1, 19, 2},   {6, 23, 15, 23}, {11, 9, 16, 12},
    /* single rows (B = 1) and remainder rows wider than the 64-column block */
    {1, 7, 130, 9},  {3, 40, 67, 41}, {2, 70, 19, 72},
    /* single rows through the 32- and 16-column register paths and their tails */
    {1, 53, 40, 53}, {1, 16, 48, 17}, {1, 37, 100, 37}, {5, 32, 9, 33},
};

Test(kernels, matmul_forward_is_the_naive_loop) {
    static float x[N], W[N], WT[N], b[N], y[N], y0[N];
    Rng r;
    rng_seed(&r, 23);
    for (size_t c = 0; c < sizeof SIZES / sizeof *SIZES; c++) {
        int B = SIZES[c][0], I = SIZES[c][1], O = SIZES[c][2];
        rnd(x, B * I, &r);
        rnd(W, O * I, &r);
        rnd(b, O, &r);
        for (int o = 0; o < O; o++)
            for (int i = 0; i < I; i++) WT[i * O + o] = W[o * I + i];
        for (int with_bias = 0; with_bias < 2; with_bias++) {
            const float *bb = with_bias ? b : NULL;
            matmul_forward(y, x, WT, bb, B, I, O);
            matmul_forward_naive(y0, x, W, bb, B, I, O);
            same_bits(y, y0, B * O, with_bias ? "y with bias" : "y without bias", B, I, O);
        }
    }
}

Test(kernels, matmul_backward_is_the_naive_loop) {
    static float x[N], W[N], dy[N], dx[N], dW[N], db[N], dx0[N], dW0[N], db0[N];
    Rng r;
    rng_seed(&r, 29);
    for (size_t c = 0; c < sizeof SIZES / sizeof *SIZES; c++) {
        int B = SIZES[c][0], I = SIZES[c][1], O = SIZES[c][2], ldw = SIZES[c][3];
        rnd(x, B * I, &r);
        rnd(W, O * ldw, &r);
        rnd(dy, B * O, &r);
        /* the backward ADDS to what is there: start from random gradients */
        rnd(dx, B * I, &r);
        rnd(dW, O * ldw, &r);
        rnd(db, O, &r);
        memcpy(dx0, dx, sizeof dx);
        memcpy(dW0, dW, sizeof dW);
        memcpy(db0, db, sizeof db);
        matmul_backward(dx, dW, db, dy, x, W, B, I, O, ldw);
        matmul_backward_naive(dx0, dW0, db0, dy, x, W, B, I, O, ldw);
        same_bits(dx, dx0, B * I, "dx", B, I, O);
        same_bits(dW, dW0, O * ldw, "dW (columns past I must not change)", B, I, O);
        same_bits(db, db0, O, "db", B, I, O);
        /* a NULL gradient is skipped, and the others do not depend on it */
        rnd(dW, O * ldw, &r);
        memcpy(dW0, dW, sizeof dW);
        matmul_backward(NULL, dW, NULL, dy, x, W, B, I, O, ldw);
        matmul_backward_naive(NULL, dW0, NULL, dy, x, W, B, I, O, ldw);
        same_bits(dW, dW0, O * ldw, "dW alone", B, I, O);
    }
}

/* The naive loop is itself the formula: check it once against a hand-worked
 * product, so that the two cannot agree on a common mistake. */
Test(kernels, naive_loop_is_the_formula) {
    /* x = [[1, 2]], W = [[3, 4], [5, 6], [7, 8]], b = [1, 0, -1]:
     * y = b + x Wᵀ = [1 + 11, 0 + 17, -1 + 23] */
    const float x[] = {1, 2}, W[] = {3, 4, 5, 6, 7, 8}, b[] = {1, 0, -1};
    float y[3];
    matmul_forward_naive(y, x, W, b, 1, 2, 3);
    cr_expect(y[0] == 12 && y[1] == 17 && y[2] == 22, "y = [%g %g %g], expected [12 17 22]", y[0], y[1],
              y[2]);
    /* dy = [[1, 0, 2]]: dx += dy W = [17, 20]; dW += dyᵀ x; db += dy */
    const float dy[] = {1, 0, 2};
    float dx[2] = {1, 1}, dW[6] = {0}, db[3] = {0};
    matmul_backward_naive(dx, dW, db, dy, x, W, 1, 2, 3, 2);
    cr_expect(dx[0] == 18 && dx[1] == 21, "dx = [%g %g], expected [18 21]", dx[0], dx[1]);
    const float dW_want[] = {1, 2, 0, 0, 2, 4};
    for (int i = 0; i < 6; i++) cr_expect(dW[i] == dW_want[i], "dW[%d] = %g, expected %g", i, dW[i], dW_want[i]);
    cr_expect(db[0] == 1 && db[1] == 0 && db[2] == 2, "db");
}

/* The transpose (AVX in 8 × 8 blocks where the processor has it, else the
 * plain tiles) against its definition, on shapes with every kind of edge:
 * fewer than 8 rows or columns, exact blocks, and remainders on each side. */
Test(kernels, transpose_is_the_definition) {
    static float src[N], dst[N];
    static const int SHAPES[][2] = {{1, 1}, {1, 9}, {9, 1}, {7, 9}, {8, 8}, {16, 8}, {8, 17}, {13, 21},
                                    {30, 64}, {64, 30}, {40, 24}, {3, 100}, {64, 64}};
    Rng r;
    rng_seed(&r, 5);
    for (size_t c = 0; c < sizeof SHAPES / sizeof *SHAPES; c++) {
        int R = SHAPES[c][0], C = SHAPES[c][1];
        rnd(src, R * C, &r);
        memset(dst, 0, sizeof dst);
        transpose(dst, src, R, C);
        for (int i = 0; i < R; i++)
            for (int j = 0; j < C; j++)
                if (memcmp(&dst[j * R + i], &src[i * C + j], sizeof *dst) != 0)
                    cr_assert_fail("%d × %d: dst[%d][%d] is %.9g, src[%d][%d] is %.9g", R, C, j, i, dst[j * R + i], i,
                                   j, src[i * C + j]);
        for (int k = R * C; k < N; k++) cr_assert_eq(dst[k], 0.0f, "%d × %d: wrote past the end (%d)", R, C, k);
    }
}

/* Adam: the fast loop against the naive one, bit for bit, on lengths on both
 * sides of the vector widths, clipped (gscale < 1) and not, over a few
 * steps; and the naive one against the textbook fact that Adam's first step
 * moves every parameter by lr against the sign of its gradient. (The
 * sanitizer build compiles both loops alike; tests/cli/train.sh compares the
 * release binary's vector code with it.) */
Test(kernels, adam_is_the_naive_loop_and_its_first_step_is_lr) {
    static float p0[N], m0[N], v0[N], p1[N], m1[N], v1[N], g[N];
    Rng r;
    rng_seed(&r, 9);
    static const int LENS[] = {1, 3, 7, 8, 15, 16, 17, 33, 67, 1000};
    for (size_t c = 0; c < sizeof LENS / sizeof *LENS; c++) {
        int n = LENS[c];
        rnd(p0, n, &r);
        memcpy(p1, p0, (size_t)n * sizeof *p0);
        memset(m0, 0, sizeof m0), memset(v0, 0, sizeof v0), memset(m1, 0, sizeof m1), memset(v1, 0, sizeof v1);
        for (int t = 1; t <= 3; t++) {
            rnd(g, n, &r);
            float gs = t == 2 ? 0.37f : 1.0f, bc1 = 1.0f - powf(0.9f, (float)t);
            float bc2s = sqrtf(1.0f - powf(0.999f, (float)t));
            adam_naive(p0, m0, v0, g, gs, (size_t)n, 0.01f / bc1, 0.9f, 0.999f, bc2s, 1e-8f);
            adam(p1, m1, v1, g, gs, (size_t)n, 0.01f / bc1, 0.9f, 0.999f, bc2s, 1e-8f);
            cr_assert(memcmp(p1, p0, (size_t)n * sizeof *p0) == 0 && memcmp(m1, m0, (size_t)n * sizeof *m0) == 0 &&
                          memcmp(v1, v0, (size_t)n * sizeof *v0) == 0,
                      "adam on %d parameters, step %d: the fast loop differs from the naive one", n, t);
        }
    }
    float p[4] = {1, 1, 1, 1}, m[4] = {0}, v[4] = {0};
    const float gg[4] = {0.5f, -2.0f, 1e-3f, -7.0f};
    adam_naive(p, m, v, gg, 1.0f, 4, 0.01f / (1.0f - 0.9f), 0.9f, 0.999f, sqrtf(1.0f - 0.999f), 1e-8f);
    for (int i = 0; i < 4; i++) {
        float want = gg[i] > 0 ? 0.99f : 1.01f;
        cr_expect(fabsf(p[i] - want) < 1e-5f, "the first step moved p[%d] to %.7g, expected %.7g", i, p[i], want);
    }
}
