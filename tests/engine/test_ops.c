/* test_ops.c — single operations against straightforward double-precision
 * versions of MODEL.md's formulas: the blocked matrix products (sizes that
 * hit full blocks and every remainder), the cells, tanh, softmax. */
#include <criterion/criterion.h>
#include <math.h>

#include "engine/av.h"
#include "engine/ops.h"

static void fill(float *x, int n, Rng *r, float scale) {
    for (int i = 0; i < n; i++) x[i] = scale * (2.0f * rng_uniform(r) - 1.0f);
}

Test(ops, matmul_against_naive) {
    /* B = 9 (two blocks of 4 + 1), I = 37, O = 35 (two blocks of 16 + 3),
     * W a column block of a wider matrix (ldw = 41) */
    enum { B = 9, I = 37, O = 35, LDW = 41 };
    Rng r;
    rng_seed(&r, 17);
    static float x[B * I], W[O * LDW], WT[I * O], b[O], y[B * O], dy[B * O];
    static float dx[B * I], dW[O * LDW], db[O];
    fill(x, B * I, &r, 1);
    fill(W, O * LDW, &r, 1);
    fill(b, O, &r, 1);
    fill(dy, B * O, &r, 1);
    fill(dx, B * I, &r, 1); /* the backward must ADD to what is there */
    fill(dW, O * LDW, &r, 1);
    fill(db, O, &r, 1);
    static float dx0[B * I], dW0[O * LDW], db0[O];
    memcpy(dx0, dx, sizeof dx);
    memcpy(dW0, dW, sizeof dW);
    memcpy(db0, db, sizeof db);
    for (int o = 0; o < O; o++)
        for (int i = 0; i < I; i++) WT[i * O + o] = W[o * LDW + i];
    matmul_forward(y, x, WT, b, B, I, O);
    for (int n = 0; n < B; n++)
        for (int o = 0; o < O; o++) {
            double s = b[o];
            for (int i = 0; i < I; i++) s += (double)x[n * I + i] * W[o * LDW + i];
            cr_expect(fabs(y[n * O + o] - s) < 1e-5, "y[%d][%d] = %g, expected %g", n, o, y[n * O + o], s);
        }
    matmul_backward(dx, dW, db, dy, x, W, B, I, O, LDW);
    for (int n = 0; n < B; n++)
        for (int i = 0; i < I; i++) {
            double s = dx0[n * I + i];
            for (int o = 0; o < O; o++) s += (double)dy[n * O + o] * W[o * LDW + i];
            cr_expect(fabs(dx[n * I + i] - s) < 1e-5, "dx[%d][%d]", n, i);
        }
    for (int o = 0; o < O; o++) {
        double sb = db0[o];
        for (int n = 0; n < B; n++) sb += dy[n * O + o];
        cr_expect(fabs(db[o] - sb) < 1e-5, "db[%d]", o);
        for (int i = 0; i < LDW; i++) {
            double s = dW0[o * LDW + i];
            if (i < I)
                for (int n = 0; n < B; n++) s += (double)dy[n * O + o] * x[n * I + i];
            cr_expect(fabs(dW[o * LDW + i] - s) < 1e-5, "dW[%d][%d] (columns ≥ I must not change)", o, i);
        }
    }
}

Test(ops, tanh_is_accurate) {
    static float x[4001], y[4001];
    for (int i = 0; i <= 4000; i++) x[i] = -20.0f + 0.01f * (float)i + 0.000123f;
    x[2000] = 1e-30f;
    tanh_forward(y, x, 4001);
    for (int i = 0; i <= 4000; i++) {
        double t = tanh((double)x[i]);
        cr_expect(fabs(y[i] - t) <= 2e-7 && fabs(y[i] - t) <= 4e-7 * fabs(t) + 1e-30,
                  "tanh(%g) = %.9g, expected %.9g", x[i], y[i], t);
    }
}

static double sig(double x) { return 1.0 / (1.0 + exp(-x)); }

Test(ops, lstm_cell_is_pytorch) {
    enum { B = 3, H = 7 };
    Rng r;
    rng_seed(&r, 5);
    float gi[B * 4 * H], gh[B * 4 * H], cp[B * H], h[B * H], c[B * H], act[B * 4 * H], tc[B * H];
    fill(gi, B * 4 * H, &r, 3);
    fill(gh, B * 4 * H, &r, 3);
    fill(cp, B * H, &r, 2);
    lstm_cell_forward(h, c, act, tc, gi, gh, cp, B, H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            const float *xi = gi + b * 4 * H, *xh = gh + b * 4 * H;
            double i = sig(xi[j] + xh[j]), f = sig(xi[H + j] + xh[H + j]);
            double g = tanh(xi[2 * H + j] + xh[2 * H + j]), o = sig(xi[3 * H + j] + xh[3 * H + j]);
            double cn = f * cp[b * H + j] + i * g, hn = o * tanh(cn);
            cr_expect(fabs(c[b * H + j] - cn) < 1e-6, "c'");
            cr_expect(fabs(h[b * H + j] - hn) < 1e-6, "h'");
        }
}

Test(ops, gru_cell_is_pytorch) {
    enum { B = 3, H = 7 };
    Rng r;
    rng_seed(&r, 6);
    float gi[B * 3 * H], gh[B * 3 * H], hp[B * H], h[B * H], act[B * 3 * H];
    fill(gi, B * 3 * H, &r, 3);
    fill(gh, B * 3 * H, &r, 3);
    fill(hp, B * H, &r, 1);
    gru_cell_forward(h, act, gi, gh, hp, B, H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            const float *xi = gi + b * 3 * H, *xh = gh + b * 3 * H;
            double rg = sig(xi[j] + xh[j]), z = sig(xi[H + j] + xh[H + j]);
            double n = tanh(xi[2 * H + j] + rg * xh[2 * H + j]);
            double hn = (1 - z) * n + z * hp[b * H + j];
            cr_expect(fabs(h[b * H + j] - hn) < 1e-6, "h' = %g, expected %g", h[b * H + j], hn);
        }
}

Test(ops, softmax_masks_and_does_not_overflow) {
    float x[6] = {1000.0f, 999.0f, -INFINITY, 998.0f, -INFINITY, 1000.0f}, p[6];
    softmax_forward(p, x, 1, 6);
    double z = 2 + exp(-1.0) + exp(-2.0);
    cr_expect_eq(p[2], 0.0f);
    cr_expect_eq(p[4], 0.0f);
    cr_expect(fabs(p[0] - 1 / z) < 1e-6 && fabs(p[5] - 1 / z) < 1e-6);
    cr_expect(fabs(p[1] - exp(-1.0) / z) < 1e-6 && fabs(p[3] - exp(-2.0) / z) < 1e-6);
    float lg[3] = {-500.0f, 400.0f, 0.0f}, pr[3];
    int tgt[1] = {0};
    double L = crossentropy_forward(pr, lg, tgt, 1, 3);
    cr_expect(isfinite(L) && fabs(L - 900.0) < 1e-3, "cross-entropy of a hopeless guess = %g", L);
}
