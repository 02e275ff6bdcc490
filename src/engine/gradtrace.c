/* gradtrace.c — the gradient trace: one decoding's forward and backward pass, its gradients read out, and the replay after one SGD step.
 *
 * Nothing here differentiates anything. The forward is net_encode +
 * net_decode and the backward is net_backward, exactly as training calls
 * them for a batch of one (batch.c, net_loss_grad), so the gradient is
 * training's to the bit. This file only reads the Net's gradient arrays
 * back out, mapping reading order to the input's order (reverse_source).
 * The one quantity the Net does not keep apart is the query's gradient
 * through the scores alone — g_h sums it with the state's other paths — so
 * the Net takes an optional buffer, g_q, that the attention's backward also
 * writes (net.h).
 *
 * Where each field comes from, after net_backward (step index i = t − 1):
 *   d_logits        g_logits[i]                  d_context   g_ctx[i]
 *   d_output_state  g_ht[i] (Luong + attention)  d_weights   g_aw[i]
 *                   or g_h[i + 1]                d_scores    g_sc[i]
 *   d_hidden        g_h[i + 1]                   d_query     g_q[i]
 *   d_encoder_states     g_mem (attention, every step), plus the start
 *                        state's share: g_h[0] onto h→_S (unidirectional,
 *                        h_0 = h→_S), or g_bin's halves onto h→_S and h←_1
 *                        (bidirectional, the bridge reads [h→_S ; h←_1])
 *   d_source_embeddings  g_ex
 *   tensors, grads       the flat gradient net_backward accumulated
 */
#include "gradtrace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/jsonw.h"
#include "../base/outfile.h"
#include "ops.h"
#include "s2s_internal.h"

/* ---- the GradTrace's memory ---------------------------------------------------------- */

/* What the forward passes run in, kept by the GradTrace so that another η
 * replays without allocating: the Net, and three arrays in the forward's
 * layout (forward_layout: the matrices transposed, the rest as they are):
 * θ, ∂L/∂θ, and the replay's θ − η ∂L/∂θ. */
typedef struct {
    Net n;
    float *theta_t;         /* [n_params] θ                      */
    float *grad_t;          /* [n_params] ∂L/∂θ                  */
    float *wt;              /* [n_params] θ − η ∂L/∂θ, the replay's */
} GradWork;

/* One allocation (and the Net's own two): the workspace and the step and
 * tensor tables first (pointer-aligned), then the floats, the ints and
 * flags, and last the workspace's three weight arrays, which need no
 * zeroing. The gradient lives here too, so net_backward accumulates
 * straight into it. */
static int grad_alloc(GradTrace *g, const Model *m, int S, int T, char *err) {
    const ModelConfig *c = &m->cfg;
    bool attn = cfg_attn(c);
    g->cfg = *c;
    g->S = S;
    g->T = T;
    g->E = c->embed;
    g->D = cfg_D(c);
    g->H = c->hidden;
    g->V = m->tgt.n;
    g->n_tensors = m->layout.n;
    g->n_params = m->layout.n_params;
    int D = g->D, H = g->H, V = g->V, E = g->E;
    size_t per_step = (size_t)V + 2 * (size_t)H + (attn ? (size_t)D + 2 * (size_t)S + H : 0);
    size_t nfloat = (size_t)T * per_step + (size_t)S * D + (size_t)S * E + g->n_params;
    size_t zeroed = sizeof(GradWork) + (size_t)T * sizeof(GradStep) + (size_t)g->n_tensors * sizeof(GradTensor) +
                    nfloat * sizeof(float) + ((size_t)S + 2 * (size_t)T) * sizeof(int) + (size_t)T * sizeof(bool);
    zeroed = (zeroed + 63) & ~(size_t)63;
    char *mem = malloc(zeroed + 3 * g->n_params * sizeof(float));
    if (!mem) return av_err(err, "out of memory for the gradient trace");
    memset(mem, 0, zeroed);
    g->mem = mem;
    GradWork *w = g->work = (GradWork *)mem;
    w->theta_t = (float *)(mem + zeroed);
    w->grad_t = w->theta_t + g->n_params;
    w->wt = w->grad_t + g->n_params;
    g->steps = (GradStep *)(w + 1);
    g->tensors = (GradTensor *)(g->steps + T);
    float *f = (float *)(g->tensors + g->n_tensors);
    for (int i = 0; i < T; i++) {
        GradStep *st = &g->steps[i];
        st->d_logits = f, f += V;
        st->d_output_state = f, f += H;
        st->d_hidden = f, f += H;
        if (!attn) continue;
        st->d_context = f, f += D;
        st->d_weights = f, f += S;
        st->d_scores = f, f += S;
        st->d_query = f, f += H;
    }
    g->d_encoder_states = f, f += (size_t)S * D;
    g->d_source_embeddings = f, f += (size_t)S * E;
    g->grads = f, f += g->n_params;
    g->src_ids = (int *)f;
    g->input_ids = g->src_ids + S;
    g->reference_ids = g->input_ids + T;
    g->teacher_forced = (bool *)(g->reference_ids + T);
    return 0;
}

void grad_trace_free(GradTrace *g) {
    after_step_free(&g->after);
    if (g->work) net_free(&((GradWork *)g->work)->n);
    free(g->mem);
    memset(g, 0, sizeof *g);
}

void after_step_free(AfterStep *a) {
    free(a->mem);
    memset(a, 0, sizeof *a);
}

/* ---- reading the Net's gradients out ------------------------------------------------- */

/* Every tensor's gradient: its name, shape and L2 norm, and, since a
 * gradient that is not finite would make every picture of it a lie, the
 * first tensor that has one, named. The sum of squares runs in eight fixed
 * lanes, so that it vectorizes and still gives the same bits every time; a
 * non-finite element makes it non-finite (float² never overflows a double). */
static int read_tensors(GradTrace *g, const ModelLayout *l, char *err) {
    for (int k = 0; k < l->n; k++) {
        const TensorInfo *t = &l->t[k];
        const float *x = g->grads + t->offset;
        double lane[8] = {0}, ss = 0;
        size_t j = 0;
        for (; j + 8 <= t->size; j += 8)
            for (int q = 0; q < 8; q++) lane[q] += (double)x[j + q] * x[j + q];
        for (int q = 0; q < 8; q++) ss += lane[q];
        for (; j < t->size; j++) ss += (double)x[j] * x[j];
        if (!isfinite(ss)) {
            size_t bad = 0;
            for (j = 0; j < t->size; j++) bad += !isfinite(x[j]);
            return av_err(err, "the gradient of %s is not finite (%zu of %zu values): the model's weights "
                               "are too large for this example", t->name, bad, t->size);
        }
        GradTensor *o = &g->tensors[k];
        snprintf(o->name, sizeof o->name, "%s", t->name);
        o->rows = t->rows;
        o->cols = t->cols;
        o->size = t->size;
        o->grad = x;
        o->norm = (float)sqrt(ss);
    }
    return 0;
}

static void read_steps(GradTrace *g, const Net *n, const Model *m) {
    int S = g->S, D = g->D, H = g->H, V = g->V;
    bool rev = m->cfg.reverse_source;
    const float *g_out = g_out_in(n, m);
    for (int i = 0; i < g->T; i++) {
        GradStep *st = &g->steps[i];
        g->input_ids[i] = n->tok_in[i];
        g->reference_ids[i] = n->tgt[i];
        g->teacher_forced[i] = n->forced[i];
        memcpy(st->d_logits, AT(n->g_logits, i, V), (size_t)V * sizeof(float));
        memcpy(st->d_output_state, AT(g_out, i, H), (size_t)H * sizeof(float));
        memcpy(st->d_hidden, AT(n->g_h, i + 1, H), (size_t)H * sizeof(float));
        if (!st->d_context) continue;
        memcpy(st->d_context, AT(n->g_ctx, i, D), (size_t)D * sizeof(float));
        memcpy(st->d_query, AT(n->g_q, i, H), (size_t)H * sizeof(float));
        for (int s = 0; s < S; s++) { /* reading position → input position */
            int r = rev ? S - 1 - s : s;
            st->d_weights[s] = n->g_aw[(size_t)i * S + r];
            st->d_scores[s] = n->g_sc[(size_t)i * S + r];
        }
    }
}

/* d_encoder_states and d_source_embeddings, in input order. */
static void read_encoder(GradTrace *g, const Net *n, const Model *m) {
    int S = g->S, D = g->D, E = g->E, He = m->cfg.enc_hidden;
    bool rev = m->cfg.reverse_source;
    for (int s = 0; s < S; s++) {
        int r = rev ? S - 1 - s : s;
        memcpy(g->d_encoder_states + (size_t)s * D, AT(n->g_mem, r, D), (size_t)D * sizeof(float));
        memcpy(g->d_source_embeddings + (size_t)s * E, AT(n->g_ex, r, E), (size_t)E * sizeof(float));
    }
    /* the decoder start state reads h→_S (the last reading position's
     * forward half) and, bidirectional, h←_1 (the first one's backward half) */
    float *fwd_last = g->d_encoder_states + (size_t)(rev ? 0 : S - 1) * D;
    if (!m->cfg.bidirectional) {
        for (int j = 0; j < He; j++) fwd_last[j] += n->g_h[j]; /* h_0 = h→_S */
        return;
    }
    float *bwd_first = g->d_encoder_states + (size_t)(rev ? S - 1 : 0) * D + He;
    for (int j = 0; j < He; j++) { /* h_0 = tanh(W_b [h→_S ; h←_1] + b_b) */
        fwd_last[j] += n->g_bin[j];
        bwd_first[j] += n->g_bin[He + j];
    }
}

/* ---- the replay after one SGD step ------------------------------------------------- */

static bool same_model(const Model *m, const GradTrace *g) {
    const ModelConfig *a = &m->cfg, *b = &g->cfg;
    return a->cell == b->cell && a->bidirectional == b->bidirectional && a->style == b->style &&
           a->score == b->score && a->input_feed == b->input_feed && a->embed == b->embed &&
           a->enc_hidden == b->enc_hidden && a->hidden == b->hidden && a->attn_dim == b->attn_dim &&
           a->reverse_source == b->reverse_source && m->tgt.n == g->V &&
           m->layout.n_params == g->n_params && m->layout.n == g->n_tensors;
}

/* x (the model's layout) into the forward's layout: the matrices the
 * forward reads turned (weights_transpose), every other tensor copied as it
 * is, so that one loop over all n_params can update the whole of it. */
static void forward_layout(const ModelLayout *l, const float *x, float *out) {
    for (int k = 0; k < l->n; k++) {
        const TensorInfo *t = &l->t[k];
        if (weight_is_transposed(t)) transpose(out + t->offset, x + t->offset, t->rows, t->cols);
        else memcpy(out + t->offset, x + t->offset, t->size * sizeof *x);
    }
}

/* θ − η ∂L/∂θ, element by element, in the forward's layout: as θ and ∂L/∂θ
 * are both there already, no matrix is turned again for another η. (The
 * plain way, the step on m->params and then weights_transpose, gives the
 * same floats: each is θ_j − η·g_j, one rounding each for the product and
 * the difference, wherever it is stored.) */
static void stepped_weights(const GradWork *w, size_t n_params, float lr) {
    for (size_t j = 0; j < n_params; j++) w->wt[j] = w->theta_t[j] - lr * w->grad_t[j];
}

/* One SGD step on θ, then g's decoder inputs replayed through the forward
 * pass, in g's workspace; the result into out. */
static int after_step_run(const Model *m, GradTrace *g, float lr, AfterStep *out, char *err) {
    GradWork *w = g->work;
    int S = g->S, T = g->T, V = g->V;
    stepped_weights(w, g->n_params, lr);
    /* The same model with θ'. Both bindings point into the one buffer: the
     * forward reads the matrices through wt (turned there) and only the
     * vectors and embedding tables through m2.w (as they are there), so each
     * reads the right values (s2s_internal.h, weight_is_transposed). */
    Model m2 = *m; /* shares the vocabularies; never freed */
    Weights wt;
    m2.params = w->wt;
    weights_bind(&m2.w, &m2.layout, w->wt);
    weights_bind(&wt, &m2.layout, w->wt);
    Net *n = &w->n;
    if (net_reserve(n, &m2, 1, S, T, false, err)) return -1;
    net_encode(n, &m2, &wt, (const int *const *)&g->src_ids, &g->S);
    double ce = 0.0;
    for (int i = 0; i < T; i++) { /* the recorded inputs, not new coins or new predictions */
        n->tok_in[i] = g->input_ids[i];
        n->tgt[i] = g->reference_ids[i];
        n->coin[i] = -1.0f;
        n->forced[i] = g->teacher_forced[i];
        ce += net_decode_step(n, &m2, &wt, i);
    }
    float loss = (float)(ce / T);
    if (!isfinite(loss))
        return av_err(err, "after one step at learning rate %g the loss is not finite: the step is too large",
                      (double)lr);
    bool attn = cfg_attn(&m->cfg);
    AfterStep a = {.lr = lr, .loss = loss, .S = S, .T = T};
    a.mem = malloc(((attn ? (size_t)T * S : 0) + T) * sizeof(float));
    if (!a.mem) return av_err(err, "out of memory for the step's replay");
    a.p_reference = a.mem;
    a.weights = attn ? a.p_reference + T : NULL;
    for (int i = 0; i < T; i++) {
        a.p_reference[i] = n->probs[(size_t)i * V + g->reference_ids[i]];
        for (int s = 0; attn && s < S; s++)
            a.weights[(size_t)i * S + s] = n->aw[(size_t)i * S + (m->cfg.reverse_source ? S - 1 - s : s)];
    }
    after_step_free(out);
    *out = a;
    return 0;
}

int seq2seq_after_step(const Model *m, GradTrace *g, float lr, char *err) {
    if (!g->work || !same_model(m, g)) return av_err(err, "the gradient trace was made with another model");
    if (!(lr >= 0.0f && isfinite(lr))) return av_err(err, "the learning rate must be a number ≥ 0");
    return after_step_run(m, g, lr, &g->after, err);
}

/* ---- the whole trace --------------------------------------------------------------- */

static int check_input(const Model *m, const int *src, int S, const DecodeDesc *d, float lr, char *err) {
    if (!d || !d->reference)
        return av_err(err, "a gradient needs a reference: the loss is measured against it");
    if (S < 1) return av_err(err, "the input is empty");
    if (d->ref_len < 0) return av_err(err, "negative reference length");
    if (!(lr >= 0.0f && isfinite(lr))) return av_err(err, "the learning rate must be a number ≥ 0");
    for (int s = 0; s < S; s++)
        if (src[s] < 0 || src[s] >= m->src.n)
            return av_err(err, "source token %d has id %d, outside the vocabulary of %d", s, src[s], m->src.n);
    for (int t = 0; t < d->ref_len; t++)
        if (d->reference[t] < 0 || d->reference[t] >= m->tgt.n)
            return av_err(err, "reference token %d has id %d, outside the vocabulary of %d", t,
                          d->reference[t], m->tgt.n);
    return 0;
}

/* The step whose loss is not finite, for the message. */
static int first_bad_step(const Net *n) {
    for (int i = 0; i < n->T; i++)
        for (int v = 0; v < n->Vt; v++)
            if (!isfinite(n->probs[(size_t)i * n->Vt + v])) return i + 1;
    return n->T;
}

int seq2seq_grad_trace(const Model *m, const int *src, int S, const DecodeDesc *d, float lr,
                       GradTrace *out, Trace *trace, char *err) {
    memset(out, 0, sizeof *out);
    if (trace) memset(trace, 0, sizeof *trace);
    if (check_input(m, src, S, d, lr, err)) return -1;
    /* source_eos: the <eos> the engine appends is written out here, and the
     * model run as one that appends nothing, so that every source array of
     * the gradient trace has its row (the flag is put back at the end) */
    Model plain;
    int *src_eos = NULL;
    const Model *orig = m;
    if (m->cfg.source_eos) {
        if (!(src_eos = malloc((size_t)(S + 1) * sizeof *src_eos))) return av_err(err, "out of memory");
        memcpy(src_eos, src, (size_t)S * sizeof *src);
        src_eos[S++] = TOK_EOS;
        src = src_eos;
        plain = *m;
        plain.cfg.source_eos = false;
        m = &plain;
    }
    int T = d->ref_len + 1, H = m->cfg.hidden;
    float *gq = calloc((size_t)T * H, sizeof *gq);
    int *tgt = malloc((size_t)T * sizeof *tgt);
    int rc = -1;
    if (!gq || !tgt) {
        av_err(err, "out of memory");
        goto done;
    }
    if (grad_alloc(out, m, S, T, err)) goto done;
    GradWork *w = out->work;
    Net *n = &w->n;
    if (net_reserve(n, m, 1, S, T, true, err)) goto done;
    memcpy(out->src_ids, src, (size_t)S * sizeof *src);
    memcpy(tgt, d->reference, (size_t)d->ref_len * sizeof *tgt);
    tgt[d->ref_len] = TOK_EOS;

    /* forward: training's coins, from the seed */
    Weights wt, gw;
    forward_layout(&m->layout, m->params, w->theta_t);
    weights_bind(&wt, &m->layout, w->theta_t);
    Rng rng;
    rng_seed(&rng, d->seed);
    net_encode(n, m, &wt, (const int *const *)&src, &S);
    double ce = net_decode(n, m, &wt, tgt, d->teacher_forcing, &rng, false);
    out->loss = (float)(ce / T);
    if (!isfinite(out->loss)) {
        av_err(err, "the loss is not finite (step %d): the model's weights are too large for this example",
               first_bad_step(n));
        goto done;
    }
    /* backward: as training, the mean over the T target tokens */
    n->g_q = cfg_attn(&m->cfg) ? gq : NULL;
    weights_bind(&gw, &m->layout, out->grads);
    net_backward(n, m, &gw, 1.0f / (float)T);
    if (read_tensors(out, &m->layout, err)) goto done;
    read_steps(out, n, m);
    read_encoder(out, n, m);
    n->g_q = NULL;
    forward_layout(&m->layout, out->grads, w->grad_t);
    if (trace && trace_from_net(trace, n, m, d->teacher_forcing, d->seed, true, err)) goto done;

    /* the step, replayed in the same workspace */
    rc = after_step_run(m, out, lr, &out->after, err);
    out->cfg.source_eos = orig->cfg.source_eos;
    if (trace) trace->cfg.source_eos = orig->cfg.source_eos;
done:
    free(src_eos);
    if (rc) {
        grad_trace_free(out);
        if (trace) trace_free(trace);
    }
    free(gq);
    free(tgt);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------------------ */

static bool same_decoding(const GradTrace *g, const Trace *tr) {
    if (!tr || tr->S != g->S || tr->T != g->T || tr->V != g->V || tr->D != g->D || tr->H != g->H)
        return false;
    for (int s = 0; s < g->S; s++)
        if (tr->src_ids[s] != g->src_ids[s]) return false;
    for (int i = 0; i < g->T; i++)
        if (tr->steps[i].input_id != g->input_ids[i] || tr->steps[i].reference_id != g->reference_ids[i])
            return false;
    return true;
}

/* rows × cols floats as [[...], ...], or one flat array for a vector (cols 0) */
static void json_matrix(FILE *fp, const float *x, int rows, int cols, const char *indent) {
    if (cols == 0) {
        jsonw_floats(fp, x, rows);
        return;
    }
    fputc('[', fp);
    for (int r = 0; r < rows; r++) {
        fprintf(fp, "%s%s", r ? "," : "", indent);
        jsonw_floats(fp, x + (size_t)r * cols, cols);
    }
    fputc(']', fp);
}

static void json_steps(FILE *fp, const GradTrace *g, const Trace *tr) {
    fputs(",\n\"steps\": [", fp);
    for (int i = 0; i < g->T; i++) {
        const GradStep *st = &g->steps[i];
        fputs(i ? ",\n  {\"input_token\": " : "\n  {\"input_token\": ", fp);
        jsonw_str(fp, trace_token(tr, g->input_ids[i]));
        fprintf(fp, ", \"teacher_forced\": %s, \"reference\": ", g->teacher_forced[i] ? "true" : "false");
        jsonw_str(fp, trace_token(tr, g->reference_ids[i]));
        fputs(", \"token\": ", fp);
        jsonw_str(fp, trace_token(tr, tr->steps[i].token_id));
        jsonw_key_floats(fp, "d_logits", st->d_logits, g->V);
        jsonw_key_floats(fp, "d_output_state", st->d_output_state, g->H);
        jsonw_key_floats(fp, "d_hidden", st->d_hidden, g->H);
        if (st->d_context) { /* absent for score none */
            jsonw_key_floats(fp, "d_context", st->d_context, g->D);
            jsonw_key_floats(fp, "d_weights", st->d_weights, g->S);
            jsonw_key_floats(fp, "d_scores", st->d_scores, g->S);
            jsonw_key_floats(fp, "d_query", st->d_query, g->H);
        }
        fputc('}', fp);
    }
    fputc(']', fp);
}

static void json_params(FILE *fp, const GradTrace *g) {
    fputs(",\n\"param_grad_norms\": {", fp);
    for (int k = 0; k < g->n_tensors; k++) {
        fputs(k ? ",\n  " : "\n  ", fp);
        jsonw_str(fp, g->tensors[k].name);
        fputs(": ", fp);
        jsonw_float(fp, g->tensors[k].norm);
    }
    fputc('}', fp);
    int n_attn = 0;
    for (int k = 0; k < g->n_tensors; k++) {
        const GradTensor *t = &g->tensors[k];
        if (strncmp(t->name, "attention.", 10) != 0) continue;
        fputs(n_attn++ ? ",\n  " : ",\n\"attention_grads\": {\n  ", fp);
        jsonw_str(fp, t->name);
        fputs(": ", fp);
        json_matrix(fp, t->grad, t->rows, t->cols, "\n    ");
    }
    if (n_attn) fputc('}', fp); /* absent when no attention layer has parameters */
}

static void json_after(FILE *fp, const AfterStep *a) {
    fputs(",\n\"after_step\": {\"lr\": ", fp);
    jsonw_float(fp, a->lr);
    fputs(", \"loss\": ", fp);
    jsonw_float(fp, a->loss);
    fputs(", \"steps\": [", fp);
    for (int i = 0; i < a->T; i++) {
        fputs(i ? ",\n  {" : "\n  {", fp);
        if (a->weights) {
            fputs("\"weights\": ", fp);
            jsonw_floats(fp, a->weights + (size_t)i * a->S, a->S);
            fputs(", ", fp);
        }
        fputs("\"p_reference\": ", fp);
        jsonw_float(fp, a->p_reference[i]);
        fputc('}', fp);
    }
    fputs("]}", fp);
}

int grad_trace_print_json(FILE *fp, const GradTrace *g, const Trace *tr, char *err) {
    if (!same_decoding(g, tr)) return av_err(err, "the trace is not of the gradient's decoding");
    if (!g->after.mem) return av_err(err, "the gradient trace has no step replayed");
    trace_json_head(fp, tr);
    fputs(",\n\"loss\": ", fp);
    jsonw_float(fp, g->loss);
    json_steps(fp, g, tr);
    fputs(",\n\"d_encoder_states\": ", fp);
    json_matrix(fp, g->d_encoder_states, g->S, g->D, "\n  ");
    fputs(",\n\"d_source_embeddings\": ", fp);
    json_matrix(fp, g->d_source_embeddings, g->S, g->E, "\n  ");
    json_params(fp, g);
    json_after(fp, &g->after);
    fputs("\n}\n", fp);
    return 0;
}

int grad_trace_write_json(const GradTrace *g, const Trace *tr, const char *path, char *err) {
    if (!same_decoding(g, tr) || !g->after.mem) /* refused before anything is created */
        return grad_trace_print_json(NULL, g, tr, err);
    AvOut o;
    FILE *fp = av_out_open(&o, path, err);
    if (!fp) return -1;
    grad_trace_print_json(fp, g, tr, err);
    return av_out_close(&o, err);
}
