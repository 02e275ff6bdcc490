/* test_grad.c — finite-difference checks of the hand-written backward pass.
 *
 * Every parameter of every tensor, for every cell × style × score, uni- and
 * bidirectional, with input feeding and reverse_source, on a padded batch
 * of three examples of different lengths (odd, unequal sizes: S ≤ 3, T ≤ 4,
 * E = 3, He = H = 5 or He = 3, H = 6, A = 4, V_src = 9, V_tgt = 8).
 *
 * numeric = (L(θ + ε) - L(θ - ε)) / 2ε, with ε = 2e-2 in float. Central
 * differences err by O(ε²) ≈ 1e-4 relative; float rounding of L gives a
 * noise of about 1e-6 absolute (measured: ≤ 3e-6 on the smallest tensors).
 * An element passes when |numeric - analytic| ≤ 3e-5 + 2% · max(|n|, |a|);
 * a tensor when ‖numeric - analytic‖ ≤ 2% ‖g‖ + 3e-6 √size. The smallest
 * gradients (RMS ≈ 2e-5) thus still fail for a wrong sign (error 2‖g‖) or a
 * term of more than ~20%; most tensors are checked to 2%. Attention weights
 * are sharpened (×6) and the decoder's input weights ×2 so that attention
 * gradients stand above float noise. Breaking a term on purpose fails these
 * tests (see the engine report).
 */
#include <criterion/criterion.h>
#include <math.h>

#include "helpers.h"

static const int SRC0[] = {4, 6, 8, -1}, SRC1[] = {5, 7, -1}, SRC2[] = {8, 4, 5, -1};
static const int TGT0[] = {5, 4, 7, -1}, TGT1[] = {6, 6, -1}, TGT2[] = {7, -1};

static float loss_at(Model *m, const Dataset *d, const int *idx, float *g) {
    Rng r;
    rng_seed(&r, 7);
    char err[AV_ERR_LEN] = "";
    float L = seq2seq_loss_grad(m, d, idx, 3, 1.0f, &r, g, NULL, NULL, err);
    cr_assert(isfinite(L), "loss failed: %s", err);
    return L;
}

static void gradcheck(const ModelConfig *c) {
    char label[128];
    cfg_label(c, label, sizeof label);
    Model m;
    cr_assert_eq(make_model(&m, c, 5, 4, 1234), 0, "%s: model refused", label);
    /* PyTorch's initial attention weights give nearly uniform weights and
     * gradients near float noise; sharper weights make every term visible. */
    for (int ti = 0; ti < m.layout.n; ti++)
    {
        const char *name = m.layout.t[ti].name;
        float k = strncmp(name, "attention.", 10) == 0 ? 6.0f
                  : strcmp(name, "decoder.rnn.weight_ih_l0") == 0 ? 2.0f : 1.0f;
        for (size_t j = 0; j < m.layout.t[ti].size; j++) m.params[m.layout.t[ti].offset + j] *= k;
    }
    const int *src[] = {SRC0, SRC1, SRC2}, *tgt[] = {TGT0, TGT1, TGT2};
    Dataset d = make_dataset(3, src, tgt);
    int idx[3] = {0, 1, 2};
    size_t n = m.layout.n_params;
    float *g = calloc(n, sizeof *g);
    loss_at(&m, &d, idx, g);
    const float eps = getenv("GRAD_EPS") ? (float)atof(getenv("GRAD_EPS")) : 2e-2f;
    for (int ti = 0; ti < m.layout.n; ti++) {
        const TensorInfo *t = &m.layout.t[ti];
        double dn = 0, sn = 0;
        int bad = 0;
        size_t worst = 0;
        double worst_err = 0, worst_num = 0, worst_ana = 0;
        for (size_t k = 0; k < t->size; k++) {
            float *p = &m.params[t->offset + k], keep = *p;
            *p = keep + eps;
            double lp = loss_at(&m, &d, idx, NULL);
            *p = keep - eps;
            double lm = loss_at(&m, &d, idx, NULL);
            *p = keep;
            double num = (lp - lm) / (2.0 * eps), ana = g[t->offset + k];
            double e = fabs(num - ana), tol = 3e-5 + 2e-2 * fmax(fabs(num), fabs(ana));
            dn += (num - ana) * (num - ana);
            sn += num * num + ana * ana;
            if (e > tol) bad++;
            if (e - tol > worst_err - 0 || k == 0) {
                if (k == 0 || e > worst_err) {
                    worst_err = e;
                    worst = k;
                    worst_num = num;
                    worst_ana = ana;
                }
            }
        }
        double rel = sn > 0 ? sqrt(dn) / sqrt(sn) : 0.0;
        if (getenv("GRAD_VERBOSE"))
            fprintf(stderr, "%-28s %-34s |g| %.3g rel %.3g maxabs %.3g\n", label, t->name, sqrt(sn / 2 / t->size), rel, worst_err);
        /* the vector test allows float noise (≈ 3e-6 per element) on top of 2% */
        double gnorm = sqrt(sn / 2), dnorm = sqrt(dn);
        cr_expect(bad == 0 && dnorm <= 2e-2 * gnorm + 3e-6 * sqrt((double)t->size),
                  "%s %s: %d of %zu elements off, relative error %.3g; worst [%zu] numeric %.6g "
                  "analytic %.6g",
                  label, t->name, bad, t->size, rel, worst, worst_num, worst_ana);
        /* every tensor of this batch is used, so its gradient cannot be all
         * zero; except the biases that shift every score of a step alike,
         * b_v and general's b_a (qᵀ b_a does not depend on s): the softmax
         * does not see them, and their gradient is 0 up to rounding */
        bool shift = strcmp(t->name, "attention.v_a.bias") == 0 ||
                     (c->score == SCORE_GENERAL && strcmp(t->name, "attention.W_a.bias") == 0);
        if (shift)
            cr_expect(sqrt(sn / 2) < 1e-5, "%s %s: gradient %.3g, expected 0", label, t->name, sqrt(sn / 2));
        else
            cr_expect(sn > 0, "%s %s: gradient is zero", label, t->name);
    }
    free(g);
    dataset_free(&d);
    model_free(&m);
}

static void all_scores(CellKind cell, StyleKind style, bool bi) {
    for (int s = SCORE_NONE; s <= SCORE_ADDITIVE; s++) {
        ModelConfig c = small_config(cell, style, (ScoreKind)s, bi);
        gradcheck(&c);
    }
}

Test(grad, lstm_luong_uni) { all_scores(CELL_LSTM, STYLE_LUONG, false); }
Test(grad, lstm_luong_bi) { all_scores(CELL_LSTM, STYLE_LUONG, true); }
Test(grad, lstm_bahdanau_uni) { all_scores(CELL_LSTM, STYLE_BAHDANAU, false); }
Test(grad, lstm_bahdanau_bi) { all_scores(CELL_LSTM, STYLE_BAHDANAU, true); }
Test(grad, gru_luong_uni) { all_scores(CELL_GRU, STYLE_LUONG, false); }
Test(grad, gru_luong_bi) { all_scores(CELL_GRU, STYLE_LUONG, true); }
Test(grad, gru_bahdanau_uni) { all_scores(CELL_GRU, STYLE_BAHDANAU, false); }
Test(grad, gru_bahdanau_bi) { all_scores(CELL_GRU, STYLE_BAHDANAU, true); }

/* input feeding: Luong with every attention score, both cells, both encoders */
Test(grad, input_feed) {
    for (int cell = 0; cell < 2; cell++)
        for (int bi = 0; bi < 2; bi++)
            for (int s = SCORE_DOT; s <= SCORE_ADDITIVE; s++) {
                ModelConfig c = small_config((CellKind)cell, STYLE_LUONG, (ScoreKind)s, bi);
                c.input_feed = true;
                gradcheck(&c);
            }
}

Test(grad, reverse_source) {
    for (int cell = 0; cell < 2; cell++)
        for (int bi = 0; bi < 2; bi++)
            for (int style = 0; style < 2; style++) {
                ModelConfig c = small_config((CellKind)cell, (StyleKind)style, SCORE_ADDITIVE, bi);
                c.reverse_source = true;
                gradcheck(&c);
                c.score = SCORE_GENERAL;
                c.attn_dim = 0;
                gradcheck(&c);
            }
}

/* attn_bias: every cell × style × score, uni- and bidirectional, with the
 * biases on (MODEL.md, "Biases"); their values random like every weight */
static void all_scores_bias(CellKind cell, StyleKind style) {
    for (int bi = 0; bi < 2; bi++)
        for (int s = SCORE_NONE; s <= SCORE_ADDITIVE; s++) {
            ModelConfig c = small_config(cell, style, (ScoreKind)s, bi);
            c.attn_bias = true;
            gradcheck(&c);
        }
}
Test(grad, attn_bias_lstm_luong) { all_scores_bias(CELL_LSTM, STYLE_LUONG); }
Test(grad, attn_bias_lstm_bahdanau) { all_scores_bias(CELL_LSTM, STYLE_BAHDANAU); }
Test(grad, attn_bias_gru_luong) { all_scores_bias(CELL_GRU, STYLE_LUONG); }
Test(grad, attn_bias_gru_bahdanau) { all_scores_bias(CELL_GRU, STYLE_BAHDANAU); }

/* source_eos: the engine appends <eos> to each source of the padded batch;
 * its embedding row gets a gradient like any source token's. With and
 * without reverse_source (then <eos> is read first), input feeding, biases. */
Test(grad, source_eos) {
    for (int cell = 0; cell < 2; cell++)
        for (int bi = 0; bi < 2; bi++)
            for (int style = 0; style < 2; style++) {
                ModelConfig c = small_config((CellKind)cell, (StyleKind)style, SCORE_ADDITIVE, bi);
                c.source_eos = true;
                gradcheck(&c);
                c.score = SCORE_GENERAL;
                c.attn_dim = 0;
                c.reverse_source = true;
                c.attn_bias = true;
                c.input_feed = style == STYLE_LUONG;
                gradcheck(&c);
            }
}

/* the gradient ACCUMULATES: two calls give twice one call */
Test(grad, accumulates) {
    ModelConfig c = small_config(CELL_LSTM, STYLE_LUONG, SCORE_GENERAL, true);
    Model m;
    cr_assert_eq(make_model(&m, &c, 5, 4, 99), 0);
    const int *src[] = {SRC0, SRC1, SRC2}, *tgt[] = {TGT0, TGT1, TGT2};
    Dataset d = make_dataset(3, src, tgt);
    int idx[3] = {0, 1, 2};
    size_t n = m.layout.n_params;
    float *g1 = calloc(n, sizeof *g1), *g2 = calloc(n, sizeof *g2);
    loss_at(&m, &d, idx, g1);
    loss_at(&m, &d, idx, g2);
    loss_at(&m, &d, idx, g2);
    for (size_t i = 0; i < n; i++) cr_assert_float_eq(g2[i], 2.0f * g1[i], 1e-6f + 1e-5f * fabsf(g1[i]), "param %zu", i);
    free(g1);
    free(g2);
    dataset_free(&d);
    model_free(&m);
}
