/* test_gradtrace.c — the gradient trace against finite differences, the chain rule and training.
 *
 * For every cell × style × score (none included), uni- and bidirectional,
 * with input feeding and reverse_source, on odd unequal sizes (S = 3
 * distinct source tokens, T = 4 steps, E = 3, He = H = 5 or He = 3, H = 6,
 * A = 4, V_src = 9, V_tgt = 8), teacher forced (p = 1), free-running
 * (p = 0) and mixed (p = 0.5):
 *
 *   training   the parameter gradient and the loss are seq2seq_loss_grad's,
 *              bit for bit (the same code on a batch of one);
 *   FD         central differences of the loss with the decoder inputs held
 *              fixed (no gradient through the choice of an input token) on
 *              every parameter, on every encoder state h̄_s as the encoder's
 *              output (attention and start state recomputed from it), on
 *              every source embedding x_s, on the decoder state h_t and, with
 *              input feeding, on h̃_t as the later steps read them;
 *   chain rule d_logits = (p − onehot)/T; d_weights = h̄_s · d_context;
 *              d_scores = the softmax Jacobian · d_weights; d_query from
 *              d_scores through the score function; d_context and d_hidden's
 *              in-step share through W_c (Luong); Σ_t d_context_t =
 *              W_ih[:, E:]ᵀ ∂L/∂b_ih (Bahdanau); d_output_state = W_oᵀ d_logits
 *              (+ the fed-back path), or d_hidden itself without h̃;
 *   one step   after_step against an SGD step done here by hand (copy θ,
 *              subtract η · training's gradient, decode the same inputs).
 *
 * FD tolerance as test_grad.c: an element passes when |numeric − analytic| ≤
 * 3e-5 + 2% · max(|n|, |a|), a vector when ‖n − a‖ ≤ 2% ‖g‖ + 3e-6 √size.
 * Identities hold to float rounding: 1e-6 + 1e-4 relative.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <unistd.h>

#include "engine/gradtrace.h"
#include "engine/ops.h"
#include "engine/s2s_internal.h"
#include "helpers.h"

static const int SRC[] = {6, 4, 8};    /* distinct: an embedding row is one position's x_s */
static const int REF[] = {5, 7, 4};    /* T = 4 with <eos> */
static const int SRC_1[] = {6, 4, 8, -1}, REF_1[] = {5, 7, 4, -1};   /* the same, as a data set's */
enum { S_ = 3, R_ = 3, T_ = R_ + 1 };
static const float EPS = 2e-2f;   /* as test_grad.c: float noise of L over 2ε ≈ 8e-6 */

/* ---- comparing ------------------------------------------------------------------------ */

static void expect_fd(const char *label, const char *what, const double *num, const float *ana, int n) {
    double dn = 0, sn = 0, worst = -1, wn = 0, wa = 0;
    int bad = 0, wi = 0;
    for (int k = 0; k < n; k++) {
        double e = fabs(num[k] - ana[k]), tol = 3e-5 + 2e-2 * fmax(fabs(num[k]), fabs(ana[k]));
        dn += (num[k] - ana[k]) * (num[k] - ana[k]);
        sn += num[k] * num[k] + (double)ana[k] * ana[k];
        bad += !(e <= tol);
        if (!(e <= worst)) worst = e, wi = k, wn = num[k], wa = ana[k];
    }
    cr_expect(bad == 0 && sqrt(dn) <= 2e-2 * sqrt(sn / 2) + 3e-6 * sqrt((double)n),
              "%s %s: %d of %d off; worst [%d] numeric %.6g, gradient trace %.6g", label, what, bad, n, wi,
              wn, wa);
}

static void expect_same(const char *label, const char *what, const double *want, const float *got, int n) {
    for (int k = 0; k < n; k++) {
        double e = fabs(want[k] - got[k]);
        if (!(e <= 1e-6 + 1e-4 * fabs(want[k]))) {
            cr_expect(0, "%s %s[%d]: chain rule %.8g, gradient trace %.8g", label, what, k, want[k], got[k]);
            return;
        }
    }
}

/* ---- the forward pass with the recorded inputs, and a poke ------------------------------- */

/* poke(i) runs before decoder step i (i = -1: right after the encoder), so
 * it can change what the rest of the forward pass reads. */
typedef void (*Poke)(Net *n, const Model *m, const Weights *wt, int i, void *ctx);

static double replay_loss(const Model *m, const GradTrace *g, Poke poke, void *ctx) {
    Net n = {0};
    float *WT = malloc(m->layout.n_params * sizeof *WT);
    char err[AV_ERR_LEN];
    cr_assert(WT && net_reserve(&n, m, 1, g->S, g->T, false, err) == 0, "%s", err);
    Weights wt;
    weights_transpose(m, WT);
    weights_bind(&wt, &m->layout, WT);
    net_encode(&n, m, &wt, (const int *const *)&g->src_ids, &g->S);
    if (poke) poke(&n, m, &wt, -1, ctx);
    double ce = 0;
    for (int i = 0; i < g->T; i++) {
        n.tok_in[i] = g->input_ids[i];
        n.tgt[i] = g->reference_ids[i];
        if (poke) poke(&n, m, &wt, i, ctx);
        ce += net_decode_step(&n, m, &wt, i);
    }
    net_free(&n);
    free(WT);
    return ce / g->T;
}

/* One float somewhere in the Net, nudged by delta before step `at`. */
typedef struct { int at; size_t off; float delta; float *(*where)(Net *); } Nudge;
static float *net_h(Net *n) { return n->h; }
static float *net_ht(Net *n) { return n->ht; }
static void nudge(Net *n, const Model *m, const Weights *wt, int i, void *ctx) {
    (void)m, (void)wt;
    Nudge *u = ctx;
    if (i == u->at) u->where(n)[u->off] += u->delta;
}

/* h̄ at reading position r, element j, as the encoder's output: the keys and
 * the decoder start state are recomputed from it (MODEL.md's formulas). */
typedef struct { int r, j; float delta; } MemNudge;
static void nudge_mem(Net *n, const Model *m, const Weights *wt, int i, void *ctx) {
    if (i != -1) return;
    MemNudge *u = ctx;
    int S = n->S, D = n->D, He = n->He, H = n->H;
    n->mem[(size_t)u->r * D + u->j] += u->delta;
    ScoreLayer wa = score_layer_T(m, wt);
    if (wa.Wk) matmul_forward(n->keys, n->mem, wa.Wk, NULL, S, D, n->K);
    if (!m->cfg.bidirectional) { /* h_0 = h→_S */
        if (u->r == S - 1) n->h[u->j] += u->delta;
        return;
    }
    memcpy(n->bin, n->mem + (size_t)(S - 1) * D, (size_t)He * sizeof(float));  /* h→_S */
    memcpy(n->bin + He, n->mem + He, (size_t)He * sizeof(float));               /* h←_1 */
    matmul_forward(n->h, n->bin, wt->bridge_W, m->w.bridge_b, 1, 2 * He, H);
    tanh_forward(n->h, n->h, H);
}

static double central(const Model *m, const GradTrace *g, Poke poke, float *delta, void *ctx) {
    *delta = EPS;
    double lp = replay_loss(m, g, poke, ctx);
    *delta = -EPS;
    double lm = replay_loss(m, g, poke, ctx);
    return (lp - lm) / (2.0 * EPS);
}

/* ---- building a case ------------------------------------------------------------------- */

typedef struct {
    char label[160];
    Model m;
    GradTrace g;
    Trace tr;
    float tf;
    uint64_t seed;
} Case;

static void case_open(Case *c, const ModelConfig *cfg, float tf, uint64_t seed) {
    char lab[128];
    cfg_label(cfg, lab, sizeof lab);
    snprintf(c->label, sizeof c->label, "%s p=%.1f", lab, tf);
    c->tf = tf;
    c->seed = seed;
    cr_assert_eq(make_model(&c->m, cfg, 5, 4, 1234), 0, "%s: model refused", c->label);
    /* as in test_grad.c: sharper attention so its gradients stand above float noise */
    for (int k = 0; k < c->m.layout.n; k++) {
        const TensorInfo *t = &c->m.layout.t[k];
        float f = strncmp(t->name, "attention.", 10) == 0 ? 6.0f
                  : strcmp(t->name, "decoder.rnn.weight_ih_l0") == 0 ? 2.0f : 1.0f;
        for (size_t j = 0; j < t->size; j++) c->m.params[t->offset + j] *= f;
    }
    DecodeDesc d = {.reference = REF, .ref_len = R_, .teacher_forcing = tf, .seed = seed};
    char err[AV_ERR_LEN] = "";
    cr_assert_eq(seq2seq_grad_trace(&c->m, SRC, S_, &d, 0.1f, &c->g, &c->tr, err), 0, "%s: %s", c->label, err);
}

static void case_close(Case *c) {
    grad_trace_free(&c->g);
    trace_free(&c->tr);
    model_free(&c->m);
}

/* ---- the checks ------------------------------------------------------------------------ */

/* The gradient and the loss are training's: seq2seq_loss_grad on a batch of
 * this one example, the same coins, gives the same bits. */
/* training's loss and gradient (into g, zeroed) on this one example, the case's coins */
static float training_grad(const Case *c, float *g) {
    const int *src[] = {SRC_1}, *tgt[] = {REF_1};
    Dataset d = make_dataset(1, src, tgt);
    int idx = 0;
    Rng r;
    rng_seed(&r, c->seed);
    char err[AV_ERR_LEN] = "";
    float L = seq2seq_loss_grad(&c->m, &d, &idx, 1, c->tf, &r, g, NULL, NULL, err);
    cr_assert(isfinite(L), "%s: %s", c->label, err);
    dataset_free(&d);
    return L;
}

static void check_training(Case *c) {
    float *g = calloc(c->m.layout.n_params, sizeof *g);
    float L = training_grad(c, g);
    cr_expect(memcmp(&L, &c->g.loss, sizeof L) == 0, "%s: loss %.9g, training's %.9g", c->label, c->g.loss, L);
    cr_expect(memcmp(g, c->g.grads, c->m.layout.n_params * sizeof *g) == 0,
              "%s: the parameter gradient differs from training's", c->label);
    free(g);
    char err[AV_ERR_LEN] = "";
    /* the trace is seq2seq_decode's: the same coins, inputs and numbers */
    Trace t;
    DecodeDesc dd = {.reference = REF, .ref_len = R_, .teacher_forcing = c->tf, .seed = c->seed};
    cr_assert_eq(seq2seq_decode(&c->m, SRC, S_, &dd, &t, err), 0, "%s", err);
    for (int i = 0; i < T_; i++) {
        cr_expect_eq(t.steps[i].input_id, c->g.input_ids[i], "%s step %d: input", c->label, i + 1);
        cr_expect_eq(t.steps[i].teacher_forced, c->g.teacher_forced[i], "%s step %d: coin", c->label, i + 1);
        cr_expect(memcmp(t.steps[i].probs, c->tr.steps[i].probs, (size_t)t.V * sizeof(float)) == 0,
                  "%s step %d: probs differ from seq2seq_decode's", c->label, i + 1);
    }
    trace_free(&t);
}

/* FD on every parameter, the decoder inputs held fixed. */
static void check_params(Case *c) {
    double base = replay_loss(&c->m, &c->g, NULL, NULL);
    cr_expect(fabs(base - c->g.loss) <= 1e-6 * fabs(base), "%s: replayed loss %.9g, trace %.9g", c->label,
              base, c->g.loss);
    for (int k = 0; k < c->m.layout.n; k++) {
        const TensorInfo *t = &c->m.layout.t[k];
        double *num = malloc(t->size * sizeof *num);
        for (size_t j = 0; j < t->size; j++) {
            float *p = &c->m.params[t->offset + j], keep = *p;
            *p = keep + EPS;
            double lp = replay_loss(&c->m, &c->g, NULL, NULL);
            *p = keep - EPS;
            double lm = replay_loss(&c->m, &c->g, NULL, NULL);
            *p = keep;
            num[j] = (lp - lm) / (2.0 * EPS);
        }
        expect_fd(c->label, t->name, num, c->g.tensors[k].grad, (int)t->size);
        double ss = 0;
        for (size_t j = 0; j < t->size; j++) ss += (double)c->g.tensors[k].grad[j] * c->g.tensors[k].grad[j];
        cr_expect(fabs(sqrt(ss) - c->g.tensors[k].norm) <= 1e-6 * sqrt(ss) + 1e-12, "%s %s: norm", c->label,
                  t->name);
        free(num);
    }
}

/* FD on h̄_s (as the encoder's output) and on x_s (through its embedding row). */
static void check_encoder(Case *c) {
    const GradTrace *g = &c->g;
    int S = g->S, D = g->D, E = g->E;
    double *num = malloc((size_t)S * (D > E ? D : E) * sizeof *num);
    for (int s = 0; s < S; s++) /* input position s is read at r */
        for (int j = 0; j < D; j++) {
            MemNudge u = {c->m.cfg.reverse_source ? S - 1 - s : s, j, 0};
            num[s * D + j] = central(&c->m, g, nudge_mem, &u.delta, &u);
        }
    expect_fd(c->label, "d_encoder_states", num, g->d_encoder_states, S * D);
    const TensorInfo *emb = layout_find(&c->m.layout, "encoder.embedding.weight");
    for (int s = 0; s < S; s++)
        for (int j = 0; j < E; j++) {
            float *p = &c->m.params[emb->offset + (size_t)g->src_ids[s] * E + j], keep = *p;
            *p = keep + EPS;
            double lp = replay_loss(&c->m, g, NULL, NULL);
            *p = keep - EPS;
            double lm = replay_loss(&c->m, g, NULL, NULL);
            *p = keep;
            num[s * E + j] = (lp - lm) / (2.0 * EPS);
        }
    expect_fd(c->label, "d_source_embeddings", num, g->d_source_embeddings, S * E);
    free(num);
}

/* (W[:, c0 : c0 + n])ᵀ d for W[rows × ld]: into out[n] (double) */
static void wt_times(double *out, const float *W, int rows, int ld, int c0, int n, const double *d) {
    for (int j = 0; j < n; j++) {
        out[j] = 0;
        for (int o = 0; o < rows; o++) out[j] += (double)W[(size_t)o * ld + c0 + j] * d[o];
    }
}

/* The per-step fields: chain-rule identities, and FD on h_t and h̃_t as the
 * later steps read them. */
static void check_steps(Case *c) {
    const GradTrace *g = &c->g;
    const Model *m = &c->m;
    const Weights *w = &m->w;
    int S = g->S, D = g->D, H = g->H, V = g->V, T = g->T, A = m->cfg.attn_dim, E = g->E;
    bool attn = cfg_attn(&m->cfg), luong = m->cfg.style == STYLE_LUONG;
    double want[64], tmp[64], dl[64];
    char what[64];
    for (int i = 0; i < T; i++) {
        const GradStep *st = &g->steps[i];
        const TraceStep *ts = &c->tr.steps[i];
        /* d_logits = (p − onehot(y*)) / T */
        for (int v = 0; v < V; v++) dl[v] = (ts->probs[v] - (v == g->reference_ids[i])) / T;
        snprintf(what, sizeof what, "step %d d_logits", i + 1);
        expect_same(c->label, what, dl, st->d_logits, V);
        /* the in-step share of d_hidden; d_output_state */
        double dh_in[64], dpre[64];
        if (attn && luong) { /* h̃ = tanh(W_c [c ; h]): dpre = d_h̃ ⊙ (1 − h̃²) */
            for (int o = 0; o < H; o++)
                dpre[o] = st->d_output_state[o] * (1.0 - (double)ts->attentional[o] * ts->attentional[o]);
            wt_times(want, w->W_c, H, D + H, 0, D, dpre);
            snprintf(what, sizeof what, "step %d d_context (through W_c)", i + 1);
            expect_same(c->label, what, want, st->d_context, D);
            wt_times(dh_in, w->W_c, H, D + H, D, H, dpre);
            for (int j = 0; j < H; j++) dh_in[j] += st->d_query[j];
        } else {
            wt_times(dh_in, w->out_W, V, H, 0, H, dl);
        }
        if (attn && luong) {
            wt_times(want, w->out_W, V, H, 0, H, dl); /* W_oᵀ d_logits, plus the fed-back path */
            if (m->cfg.input_feed && i + 1 < T)
                for (int j = 0; j < H; j++) {
                    Nudge u = {i + 1, (size_t)i * H + j, 0, net_ht};
                    want[j] += central(m, g, nudge, &u.delta, &u);
                }
            snprintf(what, sizeof what, "step %d d_output_state", i + 1);
            if (m->cfg.input_feed) expect_fd(c->label, what, want, st->d_output_state, H);
            else expect_same(c->label, what, want, st->d_output_state, H);
        } else {
            cr_expect(memcmp(st->d_output_state, st->d_hidden, (size_t)H * sizeof(float)) == 0,
                      "%s step %d: without h̃, d_output_state is d_hidden", c->label, i + 1);
        }
        /* d_hidden = the in-step share + FD through the later steps */
        for (int j = 0; j < H; j++) {
            want[j] = dh_in[j];
            if (i + 1 < T) {
                Nudge u = {i + 1, (size_t)(i + 1) * H + j, 0, net_h};
                want[j] += central(m, g, nudge, &u.delta, &u);
            }
        }
        snprintf(what, sizeof what, "step %d d_hidden", i + 1);
        expect_fd(c->label, what, want, st->d_hidden, H);
        if (!attn) {
            cr_expect(!st->d_context && !st->d_weights && !st->d_scores && !st->d_query,
                      "%s: score none has attention gradients", c->label);
            continue;
        }
        /* d_weights = h̄_s · d_context */
        for (int s = 0; s < S; s++) {
            want[s] = 0;
            for (int j = 0; j < D; j++) want[s] += (double)c->tr.enc_states[s * D + j] * st->d_context[j];
        }
        snprintf(what, sizeof what, "step %d d_weights", i + 1);
        expect_same(c->label, what, want, st->d_weights, S);
        /* d_scores = a ⊙ (d_weights − a · d_weights) */
        double ad = 0;
        for (int s = 0; s < S; s++) ad += (double)ts->weights[s] * st->d_weights[s];
        for (int s = 0; s < S; s++) want[s] = ts->weights[s] * (st->d_weights[s] - ad);
        snprintf(what, sizeof what, "step %d d_scores", i + 1);
        expect_same(c->label, what, want, st->d_scores, S);
        /* d_query through the score function */
        const float *q = ts->query, *hb = c->tr.enc_states;
        for (int j = 0; j < H; j++) want[j] = 0;
        if (m->cfg.score == SCORE_DOT || m->cfg.score == SCORE_SCALED_DOT) {
            double sc = m->cfg.score == SCORE_DOT ? 1.0 : 1.0 / sqrt((double)D);
            for (int s = 0; s < S; s++)
                for (int j = 0; j < H; j++) want[j] += sc * st->d_scores[s] * hb[s * D + j];
        } else if (m->cfg.score == SCORE_GENERAL) { /* qᵀ W_a h̄: dq = W_a Σ ds h̄ */
            for (int k = 0; k < D; k++) {
                tmp[k] = 0;
                for (int s = 0; s < S; s++) tmp[k] += st->d_scores[s] * hb[s * D + k];
            }
            for (int j = 0; j < H; j++)
                for (int k = 0; k < D; k++) want[j] += (double)w->attn_W_a[j * D + k] * tmp[k];
        } else { /* v · tanh(Wq q + Wk h̄): dq = Wqᵀ Σ ds v ⊙ (1 − u²) */
            bool cat = m->cfg.score == SCORE_CONCAT;
            const float *Wq = w->attn_W_a, *Wk = cat ? w->attn_W_a + H : w->attn_U_a;
            int ldq = cat ? H + D : H, ldk = cat ? H + D : D;
            double dpa[64] = {0};
            for (int s = 0; s < S; s++)
                for (int a = 0; a < A; a++) {
                    double u = 0;
                    for (int j = 0; j < H; j++) u += (double)Wq[a * ldq + j] * q[j];
                    for (int k = 0; k < D; k++) u += (double)Wk[a * ldk + k] * hb[s * D + k];
                    u = tanh(u);
                    dpa[a] += st->d_scores[s] * w->attn_v_a[a] * (1 - u * u);
                }
            wt_times(want, Wq, A, ldq, 0, H, dpa);
        }
        snprintf(what, sizeof what, "step %d d_query", i + 1);
        expect_same(c->label, what, want, st->d_query, H);
    }
    /* Bahdanau: c_t enters x_t = [emb ; c_t] only, and b_ih every gate
     * pre-activation: Σ_t d_context_t = W_ih[:, E:]ᵀ ∂L/∂b_ih */
    if (attn && !luong) {
        int GH = cfg_gates(&m->cfg) * H, I = cfg_dec_input(&m->cfg);
        const float *gb = c->g.grads + layout_find(&m->layout, "decoder.rnn.bias_ih_l0")->offset;
        double gbd[256], sum_ctx[64] = {0};
        float sum_f[64];
        for (int k = 0; k < GH; k++) gbd[k] = gb[k];
        wt_times(want, w->dec_W_ih, GH, I, E, D, gbd);
        for (int i = 0; i < T; i++)
            for (int j = 0; j < D; j++) sum_ctx[j] += g->steps[i].d_context[j];
        for (int j = 0; j < D; j++) sum_f[j] = (float)sum_ctx[j];
        expect_same(c->label, "Σ_t d_context (through W_ih)", want, sum_f, D);
    }
}

/* after_step against an SGD step done here: θ − η · training's gradient, the
 * same inputs fed by teacher forcing p = 1 with the recorded inputs as the
 * "reference" (so step t ≥ 2 reads input_ids[t]). */
static void check_after(Case *c) {
    const GradTrace *g = &c->g;
    const float lr = 0.1f;
    cr_assert_not_null(g->after.mem, "%s: no after_step", c->label);
    cr_expect_eq(g->after.lr, lr);
    Model m2 = c->m;
    m2.params = malloc(c->m.layout.n_params * sizeof(float));
    weights_bind(&m2.w, &m2.layout, m2.params);
    float *grad = calloc(c->m.layout.n_params, sizeof *grad);
    training_grad(c, grad); /* training's gradient, not the trace's */
    char err[AV_ERR_LEN] = "";
    for (size_t k = 0; k < c->m.layout.n_params; k++) m2.params[k] = c->m.params[k] - lr * grad[k];
    int inputs[T_];
    for (int i = 1; i < T_; i++) inputs[i - 1] = g->input_ids[i];
    DecodeDesc dd = {.reference = inputs, .ref_len = T_ - 1, .teacher_forcing = 1.0f};
    Trace t;
    cr_assert_eq(seq2seq_decode(&m2, SRC, S_, &dd, &t, err), 0, "%s", err);
    double L = 0;
    for (int i = 0; i < T_; i++) {
        cr_assert_eq(t.steps[i].input_id, g->input_ids[i]);
        float p = t.steps[i].probs[g->reference_ids[i]];
        L -= log((double)p);
        cr_expect(fabsf(p - g->after.p_reference[i]) <= 1e-6f, "%s step %d: p_reference %.8g, by hand %.8g",
                  c->label, i + 1, g->after.p_reference[i], p);
        if (!t.steps[i].weights) {
            cr_expect_null(g->after.weights, "%s: none has no weights after the step", c->label);
            continue;
        }
        for (int s = 0; s < S_; s++)
            cr_expect(fabsf(t.steps[i].weights[s] - g->after.weights[i * S_ + s]) <= 1e-6f,
                      "%s step %d: weight %d after the step %.8g, by hand %.8g", c->label, i + 1, s,
                      g->after.weights[i * S_ + s], t.steps[i].weights[s]);
    }
    L /= T_;
    cr_expect(fabs(L - g->after.loss) <= 1e-5 * L, "%s: loss after %.8g, by hand %.8g", c->label, g->after.loss, L);
    /* a step against the gradient lowers this example's loss */
    cr_expect(g->after.loss < g->loss, "%s: the loss rose from %.6g to %.6g", c->label, g->loss, g->after.loss);
    /* another η, on its own: η = 0 gives the forward pass back, and the
     * original η the same numbers again */
    cr_assert_eq(seq2seq_after_step(&c->m, &c->g, 0.0f, err), 0, "%s", err);
    for (int i = 0; i < T_; i++)
        cr_expect(g->after.p_reference[i] == c->tr.steps[i].probs[g->reference_ids[i]],
                  "%s: η = 0 changes p_reference", c->label);
    cr_expect(fabsf(g->after.loss - g->loss) <= 1e-7f * g->loss, "%s: η = 0 changes the loss", c->label);
    float keep[T_];
    cr_assert_eq(seq2seq_after_step(&c->m, &c->g, lr, err), 0, "%s", err);
    memcpy(keep, g->after.p_reference, sizeof keep);
    cr_assert_eq(seq2seq_after_step(&c->m, &c->g, 0.7f, err), 0, "%s", err);
    cr_assert_eq(seq2seq_after_step(&c->m, &c->g, lr, err), 0, "%s", err);
    cr_expect(memcmp(keep, g->after.p_reference, sizeof keep) == 0, "%s: the replay is not repeatable", c->label);
    trace_free(&t);
    free(grad);
    free(m2.params);
}

static void full_check(const ModelConfig *cfg, float tf) {
    Case c;
    case_open(&c, cfg, tf, 3);
    check_training(&c);
    check_params(&c);
    check_encoder(&c);
    check_steps(&c);
    check_after(&c);
    case_close(&c);
}

static void every_score(CellKind cell, StyleKind style, bool bi, float tf) {
    for (int s = SCORE_NONE; s <= SCORE_ADDITIVE; s++) {
        ModelConfig cfg = small_config(cell, style, (ScoreKind)s, bi);
        full_check(&cfg, tf);
    }
}

/* teacher forced; the styles and encoders cross the cells */
Test(gradtrace, lstm_luong) { every_score(CELL_LSTM, STYLE_LUONG, false, 1.0f); every_score(CELL_LSTM, STYLE_LUONG, true, 1.0f); }
Test(gradtrace, lstm_bahdanau) { every_score(CELL_LSTM, STYLE_BAHDANAU, false, 1.0f); every_score(CELL_LSTM, STYLE_BAHDANAU, true, 1.0f); }
Test(gradtrace, gru_luong) { every_score(CELL_GRU, STYLE_LUONG, false, 1.0f); every_score(CELL_GRU, STYLE_LUONG, true, 1.0f); }
Test(gradtrace, gru_bahdanau) { every_score(CELL_GRU, STYLE_BAHDANAU, false, 1.0f); every_score(CELL_GRU, STYLE_BAHDANAU, true, 1.0f); }

/* free-running (p = 0) and mixed coins (p = 0.5): steps fed the model's own
 * prediction; FD with the inputs held fixed is the gradient */
Test(gradtrace, free_running_and_coins) {
    every_score(CELL_LSTM, STYLE_LUONG, true, 0.0f);
    every_score(CELL_GRU, STYLE_BAHDANAU, false, 0.0f);
    every_score(CELL_GRU, STYLE_LUONG, false, 0.5f);
    every_score(CELL_LSTM, STYLE_BAHDANAU, true, 0.5f);
}

Test(gradtrace, input_feed) {
    for (int cell = 0; cell < 2; cell++)
        for (int bi = 0; bi < 2; bi++)
            for (int s = SCORE_DOT; s <= SCORE_ADDITIVE; s++) {
                ModelConfig cfg = small_config((CellKind)cell, STYLE_LUONG, (ScoreKind)s, bi);
                cfg.input_feed = true;
                full_check(&cfg, bi ? 0.0f : 1.0f);
            }
}

Test(gradtrace, reverse_source) {
    for (int cell = 0; cell < 2; cell++)
        for (int bi = 0; bi < 2; bi++)
            for (int style = 0; style < 2; style++) {
                ModelConfig cfg = small_config((CellKind)cell, (StyleKind)style, SCORE_ADDITIVE, bi);
                cfg.reverse_source = true;
                full_check(&cfg, 1.0f);
                cfg.score = SCORE_NONE;
                cfg.attn_dim = 0;
                full_check(&cfg, 0.5f);
            }
}

/* A step fed the model's own prediction passes no gradient through that
 * choice: the decoder embedding gets gradient exactly on the rows of the
 * tokens that were fed, whatever the reference said. */
Test(gradtrace, no_gradient_through_the_choice) {
    ModelConfig cfg = small_config(CELL_LSTM, STYLE_LUONG, SCORE_GENERAL, true);
    Case c;
    case_open(&c, &cfg, 0.0f, 1);
    int differ = 0;
    for (int i = 1; i < T_; i++) differ += c.g.input_ids[i] != REF[i - 1];
    cr_assert(differ > 0, "the model predicted the reference everywhere: nothing is tested");
    const TensorInfo *emb = layout_find(&c.m.layout, "decoder.embedding.weight");
    for (int v = 0; v < c.m.tgt.n; v++) {
        bool fed = false;
        for (int i = 0; i < T_; i++) fed |= c.g.input_ids[i] == v;
        double ss = 0;
        for (int j = 0; j < emb->cols; j++) ss += fabs(c.g.grads[emb->offset + (size_t)v * emb->cols + j]);
        cr_expect(fed ? ss > 0 : ss == 0, "token %d %s fed, its embedding's gradient is %g", v,
                  fed ? "was" : "was not", ss);
    }
    check_params(&c);
    case_close(&c);
}

/* ---- refusals --------------------------------------------------------------------------- */

Test(gradtrace, refusals) {
    ModelConfig cfg = small_config(CELL_LSTM, STYLE_BAHDANAU, SCORE_DOT, false);
    Model m;
    cr_assert_eq(make_model(&m, &cfg, 5, 4, 9), 0);
    GradTrace g;
    char err[AV_ERR_LEN];
    DecodeDesc none = {0}, bad_ref = {.reference = (const int[]){5, 99}, .ref_len = 2}, ok = {.reference = REF, .ref_len = R_};
    cr_expect_eq(seq2seq_grad_trace(&m, SRC, S_, &none, 0.1f, &g, NULL, err), -1);
    cr_expect(strstr(err, "reference"), "no reference: %s", err);
    cr_expect_eq(seq2seq_grad_trace(&m, SRC, S_, &bad_ref, 0.1f, &g, NULL, err), -1);
    cr_expect(strstr(err, "99"), "bad reference id: %s", err);
    cr_expect_eq(seq2seq_grad_trace(&m, (const int[]){4, 40}, 2, &ok, 0.1f, &g, NULL, err), -1);
    cr_expect(strstr(err, "40"), "bad source id: %s", err);
    cr_expect_eq(seq2seq_grad_trace(&m, SRC, S_, &ok, -1.0f, &g, NULL, err), -1);
    cr_expect(strstr(err, "learning rate"), "negative η: %s", err);
    cr_expect_eq(seq2seq_grad_trace(&m, SRC, 0, &ok, 0.1f, &g, NULL, err), -1);
    cr_expect_null(g.mem);

    /* finite forward, gradient overflow: h̄ = 0 (zero source embeddings and
     * encoder biases: every gate pre-activation is 0, so g = 0, c = h = 0),
     * while W_ih of the encoder and the context half of the decoder's are
     * 1e30 (times zero in the forward; 1e30 · 1e30 in the backward) */
    const TensorInfo *t;
    float *p;
#define SET(name, v)                                                        \
    t = layout_find(&m.layout, name);                                       \
    for (p = m.params + t->offset; p < m.params + t->offset + t->size; p++) *p = (v)
    SET("encoder.embedding.weight", 0.0f);
    SET("encoder.rnn.bias_ih_l0", 0.0f);
    SET("encoder.rnn.bias_hh_l0", 0.0f);
    SET("encoder.rnn.weight_ih_l0", 1e30f);
    t = layout_find(&m.layout, "decoder.rnn.weight_ih_l0");
    for (int r = 0; r < t->rows; r++)
        for (int k = cfg.embed; k < t->cols; k++) m.params[t->offset + (size_t)r * t->cols + k] = 1e30f;
#undef SET
    Trace tr;
    cr_assert_eq(seq2seq_decode(&m, SRC, S_, &ok, &tr, err), 0, "%s", err);
    for (int i = 0; i < tr.T; i++) cr_assert(isfinite(tr.steps[i].probs[0]), "the forward overflowed");
    trace_free(&tr);
    cr_expect_eq(seq2seq_grad_trace(&m, SRC, S_, &ok, 0.1f, &g, &tr, err), -1);
    cr_expect(strstr(err, "encoder.embedding.weight") && strstr(err, "not finite"), "overflow: %s", err);
    cr_expect_null(g.mem);
    cr_expect_null(tr.mem);
    model_free(&m);

    /* the replay refuses another model */
    ModelConfig c2 = small_config(CELL_GRU, STYLE_BAHDANAU, SCORE_DOT, false);
    Model a, b;
    cr_assert_eq(make_model(&a, &cfg, 5, 4, 9), 0);
    cr_assert_eq(make_model(&b, &c2, 5, 4, 9), 0);
    cr_assert_eq(seq2seq_grad_trace(&a, SRC, S_, &ok, 0.1f, &g, NULL, err), 0, "%s", err);
    cr_expect_eq(seq2seq_after_step(&b, &g, 0.1f, err), -1);
    cr_expect(strstr(err, "another model"), "%s", err);
    cr_expect_eq(seq2seq_after_step(&a, &g, NAN, err), -1);
    cr_expect(g.after.mem && g.after.lr == 0.1f, "a refused η must leave the old replay");
    cr_expect_eq(seq2seq_after_step(&a, &g, 0.5f, err), 0, "%s", err);
    cr_expect_eq(g.after.lr, 0.5f);
    grad_trace_free(&g);
    model_free(&a);
    model_free(&b);
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static void expect_array(const cJSON *a, const float *x, int n, const char *what) {
    cr_assert(cJSON_IsArray(a) && cJSON_GetArraySize(a) == n, "%s: not an array of %d", what, n);
    for (int k = 0; k < n; k++)   /* %.9g reads back as the same float */
        cr_expect_eq((float)cJSON_GetArrayItem(a, k)->valuedouble, x[k], "%s[%d]", what, k);
}

static void check_json(ScoreKind score, bool bi) {
    ModelConfig cfg = small_config(CELL_GRU, STYLE_LUONG, score, bi);
    cfg.reverse_source = true;
    Case c;
    case_open(&c, &cfg, 0.5f, 2);
    char path[] = "/tmp/attnviz-gradtrace-XXXXXX", err[AV_ERR_LEN];
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    cr_assert_eq(grad_trace_write_json(&c.g, &c.tr, path, err), 0, "%s", err);
    cJSON *j = read_json(path);
    unlink(path);
    const GradTrace *g = &c.g;
    cr_expect_eq((float)cJSON_GetObjectItem(j, "loss")->valuedouble, g->loss);
    for (int s = 0; s < S_; s++)   /* input order, reverse_source or not */
        cr_expect_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "source_tokens"), s)->valuestring,
                         c.m.src.tokens[SRC[s]]);
    const cJSON *steps = cJSON_GetObjectItem(j, "steps");
    cr_assert_eq(cJSON_GetArraySize(steps), g->T);
    for (int i = 0; i < g->T; i++) {
        const cJSON *s = cJSON_GetArrayItem(steps, i);
        const GradStep *st = &g->steps[i];
        cr_expect_str_eq(cJSON_GetObjectItem(s, "reference")->valuestring, c.m.tgt.tokens[g->reference_ids[i]]);
        cr_expect_str_eq(cJSON_GetObjectItem(s, "input_token")->valuestring, c.m.tgt.tokens[g->input_ids[i]]);
        cr_expect_eq(cJSON_IsTrue(cJSON_GetObjectItem(s, "teacher_forced")), g->teacher_forced[i]);
        expect_array(cJSON_GetObjectItem(s, "d_logits"), st->d_logits, g->V, "d_logits");
        expect_array(cJSON_GetObjectItem(s, "d_output_state"), st->d_output_state, g->H, "d_output_state");
        expect_array(cJSON_GetObjectItem(s, "d_hidden"), st->d_hidden, g->H, "d_hidden");
        static const char *ATT[] = {"d_context", "d_weights", "d_scores", "d_query"};
        if (score == SCORE_NONE) {
            for (int k = 0; k < 4; k++)
                cr_expect_null(cJSON_GetObjectItem(s, ATT[k]), "none: %s must be absent", ATT[k]);
            continue;
        }
        expect_array(cJSON_GetObjectItem(s, "d_context"), st->d_context, g->D, "d_context");
        expect_array(cJSON_GetObjectItem(s, "d_weights"), st->d_weights, g->S, "d_weights");
        expect_array(cJSON_GetObjectItem(s, "d_scores"), st->d_scores, g->S, "d_scores");
        expect_array(cJSON_GetObjectItem(s, "d_query"), st->d_query, g->H, "d_query");
    }
    const cJSON *de = cJSON_GetObjectItem(j, "d_encoder_states"), *dx = cJSON_GetObjectItem(j, "d_source_embeddings");
    cr_assert_eq(cJSON_GetArraySize(de), g->S);
    cr_assert_eq(cJSON_GetArraySize(dx), g->S);
    for (int s = 0; s < g->S; s++) {
        expect_array(cJSON_GetArrayItem(de, s), g->d_encoder_states + s * g->D, g->D, "d_encoder_states");
        expect_array(cJSON_GetArrayItem(dx, s), g->d_source_embeddings + s * g->E, g->E, "d_source_embeddings");
    }
    const cJSON *norms = cJSON_GetObjectItem(j, "param_grad_norms"), *ag = cJSON_GetObjectItem(j, "attention_grads");
    cr_expect_eq(cJSON_GetArraySize(norms), c.m.layout.n);
    int n_attn = 0;
    for (int k = 0; k < g->n_tensors; k++) {
        const GradTensor *t = &g->tensors[k];
        cr_expect_eq((float)cJSON_GetObjectItem(norms, t->name)->valuedouble, t->norm, "%s norm", t->name);
        if (strncmp(t->name, "attention.", 10)) continue;
        n_attn++;
        const cJSON *a = cJSON_GetObjectItem(ag, t->name);
        cr_assert(a && cJSON_GetArraySize(a) == t->rows, "attention_grads %s: %d rows", t->name, t->rows);
        for (int r = 0; r < t->rows; r++) expect_array(cJSON_GetArrayItem(a, r), t->grad + r * t->cols, t->cols, t->name);
    }
    if (!n_attn) cr_expect_null(ag, "attention_grads must be absent without attention parameters");
    const cJSON *af = cJSON_GetObjectItem(j, "after_step");
    cr_expect_eq((float)cJSON_GetObjectItem(af, "lr")->valuedouble, 0.1f);
    cr_expect_eq((float)cJSON_GetObjectItem(af, "loss")->valuedouble, g->after.loss);
    const cJSON *as = cJSON_GetObjectItem(af, "steps");
    cr_assert_eq(cJSON_GetArraySize(as), g->T);
    for (int i = 0; i < g->T; i++) {
        const cJSON *s = cJSON_GetArrayItem(as, i);
        cr_expect_eq((float)cJSON_GetObjectItem(s, "p_reference")->valuedouble, g->after.p_reference[i]);
        if (score == SCORE_NONE) cr_expect_null(cJSON_GetObjectItem(s, "weights"));
        else expect_array(cJSON_GetObjectItem(s, "weights"), g->after.weights + i * g->S, g->S, "after weights");
    }
    cJSON_Delete(j);
    /* another decoding's trace is refused */
    Trace other;
    DecodeDesc dd = {.reference = REF, .ref_len = 2};
    cr_assert_eq(seq2seq_decode(&c.m, SRC, S_, &dd, &other, err), 0);
    cr_expect_eq(grad_trace_write_json(&c.g, &other, "/tmp/never-written.json", err), -1);
    cr_expect_eq(access("/tmp/never-written.json", F_OK), -1);
    trace_free(&other);
    case_close(&c);
}

Test(gradtrace, json) {
    check_json(SCORE_NONE, false);
    check_json(SCORE_DOT, true);
    check_json(SCORE_GENERAL, false);
    check_json(SCORE_ADDITIVE, true);
}
