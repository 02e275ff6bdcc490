/* caption_back.c — the header's text for the backward phases (caption.h): one function per phase writes what it does, its formula with the chain rule written out, and its numbers from the gradient trace. */
#include "caption.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel.h"

/* What one backward caption is about. */
typedef struct {
    const Trace *tr;
    const GradTrace *g;
    const TraceStep *st;   /* step t of the decoding */
    const GradStep *gs;    /* its gradients          */
    int t, f;              /* step (0-based), focus (-1 none) */
    bool attn, luong;
    const char *lang;
    VizCaption *c;
} Bcap;

static const char *bs(const Bcap *k, UiStr id) { return ui_str(k->lang, id); }
static const char *bsrc(const Bcap *k, int s) { return viz_tok_show(k->tr->src_tokens[s]); }
static const char *btok(const Bcap *k, int id) { return viz_tok_show(trace_token(k->tr, id)); }

static double norm(const float *x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) s += (double)x[i] * x[i];
    return sqrt(s);
}

static int argmax_abs(const float *x, int n) {
    int b = 0;
    for (int i = 1; i < n; i++)
        if (fabsf(x[i]) > fabsf(x[b])) b = i;
    return b;
}

static void what(const Bcap *k, UiStr id) { snprintf(k->c->what, sizeof k->c->what, "%s", bs(k, id)); }

static void cap_loss(const Bcap *k) {
    VizCaption *c = k->c;
    int y = k->st->reference_id;
    double p = y >= 0 ? k->st->probs[y] : 0;
    what(k, UI_BD_LOSS);
    snprintf(c->formula, sizeof c->formula, "L = (1/T) Σ_t -log p_t(y*_t)");
    snprintf(c->numbers, sizeof c->numbers, bs(k, UI_BN_LOSS), k->t + 1, btok(k, y), p, -log(p), (double)k->g->loss,
             k->g->T);
}

static void cap_logits(const Bcap *k) {
    VizCaption *c = k->c;
    const float *d = k->gs->d_logits;
    int y = k->st->reference_id, T = k->g->T, o = k->st->token_id;
    what(k, UI_BD_LOGITS);
    snprintf(c->formula, sizeof c->formula, "∂L/∂z_t = ∂L/∂p_t · ∂p_t/∂z_t = (p_t - onehot(y*_t)) / T");
    int n = snprintf(c->numbers, sizeof c->numbers, "y* = '%s':  (%.3f - 1) / %d = %+.4f", btok(k, y),
                     (double)k->st->probs[y], T, (double)d[y]);
    if (o != y && n > 0 && (size_t)n < sizeof c->numbers)   /* the token the model chose instead */
        snprintf(c->numbers + n, sizeof c->numbers - (size_t)n, "      '%s':  (%.3f - 0) / %d = %+.4f", btok(k, o),
                 (double)k->st->probs[o], T, (double)d[o]);
}

static void cap_state(const Bcap *k) {
    VizCaption *c = k->c;
    const Trace *tr = k->tr;
    char vb[160];
    viz_fmt_vec(vb, sizeof vb, k->gs->d_output_state, tr->H, 4);
    if (k->luong && k->attn) {
        what(k, UI_BD_STATE);
        snprintf(c->formula, sizeof c->formula, "∂L/∂h̃_t = (∂z_t/∂h̃_t)^T ∂L/∂z_t = W_o^T ∂L/∂z_t");
        snprintf(c->numbers, sizeof c->numbers, "∂L/∂h̃_t = %s     ‖∂L/∂h̃_t‖ = %.3g", vb,
                 norm(k->gs->d_output_state, tr->H));
    } else {
        what(k, UI_BD_STATE_H);
        snprintf(c->formula, sizeof c->formula, "∂L/∂h_t = W_o^T ∂L/∂z_t + (∂h_{t+1}/∂h_t)^T ∂L/∂h_{t+1}%s",
                 bs(k, UI_BF_STATE_H));
        snprintf(c->numbers, sizeof c->numbers, "∂L/∂h_t = %s     ‖∂L/∂h_t‖ = %.3g", vb,
                 norm(k->gs->d_output_state, tr->H));
    }
}

/* A step fed the model's own prediction: the gradient flows into its states
 * but not through that choice, which is what this step's numbers line says
 * then (the norms are a hover away). */
static void free_note(const Bcap *k) {
    if (k->t == 0 || k->st->teacher_forced) return;
    snprintf(k->c->numbers, sizeof k->c->numbers, bs(k, UI_BN_FREE), btok(k, k->st->input_id));
}

static void cap_split(const Bcap *k) {
    VizCaption *c = k->c;
    const Trace *tr = k->tr;
    if (!k->attn) {
        what(k, UI_BD_NOCTX);
        snprintf(c->formula, sizeof c->formula, "∂L/∂h_{t-1} = (∂h_t/∂h_{t-1})^T ∂L/∂h_t%s", bs(k, UI_BF_NOCTX));
        snprintf(c->numbers, sizeof c->numbers, bs(k, UI_BN_NOCTX), norm(k->gs->d_hidden, tr->H));
        free_note(k);
        return;
    }
    if (k->luong) {
        what(k, UI_BD_SPLIT);
        snprintf(c->formula, sizeof c->formula, "∂L/∂[c_t ; h_t] = W_c^T (∂L/∂h̃_t ⊙ (1 - h̃_t^2))");
    } else {
        what(k, UI_BD_CELL);
        snprintf(c->formula, sizeof c->formula, "∂L/∂c_t = (∂x_t/∂c_t)^T ∂L/∂x_t%s", bs(k, UI_BF_CELL));
    }
    snprintf(c->numbers, sizeof c->numbers, bs(k, UI_BN_SPLIT), norm(k->gs->d_context, tr->D),
             norm(k->gs->d_hidden, tr->H));
    free_note(k);
}

static void cap_weights(const Bcap *k) {
    VizCaption *c = k->c;
    const Trace *tr = k->tr;
    int f = k->f;
    what(k, UI_BD_WEIGHTS);
    snprintf(c->formula, sizeof c->formula, "∂L/∂a_t(s) = (∂c_t/∂a_t(s))^T ∂L/∂c_t = h̄_s · ∂L/∂c_t");
    if (f < 0) f = argmax_abs(k->gs->d_weights, tr->S);
    double d = k->gs->d_weights[f];
    snprintf(c->numbers, sizeof c->numbers, "s = %d ('%s'):  h̄_{%d} · ∂L/∂c_t = %+.3g   (%s)", f + 1, bsrc(k, f), f + 1,
             d, bs(k, d < 0 ? UI_BN_MORE : UI_BN_LESS));
}

static void cap_scores(const Bcap *k) {
    VizCaption *c = k->c;
    const Trace *tr = k->tr;
    const float *a = k->st->weights, *da = k->gs->d_weights;
    int f = k->f >= 0 ? k->f : argmax_abs(k->gs->d_scores, tr->S);
    what(k, UI_BD_SCORES);
    snprintf(c->formula, sizeof c->formula,
             "∂L/∂score_s = Σ_{s'} ∂L/∂a(s') ∂a(s')/∂score_s = a(s) (∂L/∂a(s) - Σ_{s'} a(s') ∂L/∂a(s'))");
    double mean = 0;   /* Σ_{s'} a(s') ∂L/∂a(s'): the weighted mean the softmax subtracts */
    for (int s = 0; s < tr->S; s++) mean += (double)a[s] * da[s];
    snprintf(c->numbers, sizeof c->numbers, "s = %d ('%s'):  %.3f × (%+.3g - (%+.3g)) = %+.3g", f + 1, bsrc(k, f),
             (double)a[f], (double)da[f], mean, (double)k->gs->d_scores[f]);
}

static void query_formula(const Bcap *k, char *b, size_t n) {
    switch (k->tr->cfg.score) {
    case SCORE_DOT: snprintf(b, n, "∂L/∂q = Σ_s ∂L/∂score_s · ∂score_s/∂q = Σ_s ∂L/∂score_s · h̄_s"); break;
    case SCORE_SCALED_DOT: snprintf(b, n, "∂L/∂q = Σ_s ∂L/∂score_s · ∂score_s/∂q = Σ_s ∂L/∂score_s · h̄_s / √D"); break;
    case SCORE_GENERAL:
        snprintf(b, n, "∂L/∂q = Σ_s ∂L/∂score_s · W_a h̄_s,     ∂L/∂W_a = Σ_s ∂L/∂score_s · q h̄_s^T");
        break;
    case SCORE_CONCAT:
        snprintf(b, n, "∂L/∂[q ; h̄_s] = ∂L/∂score_s · W_a^T (v_a ⊙ (1 - u_s^2)),   u_s = tanh(W_a [q ; h̄_s])");
        break;
    default:
        snprintf(b, n, "∂L/∂q = Σ_s ∂L/∂score_s · W_a^T (v_a ⊙ (1 - u_s^2)),   u_s = tanh(W_a q + U_a h̄_s)");
        break;
    }
}

static void cap_query(const Bcap *k) {
    VizCaption *c = k->c;
    const GradTrace *g = k->g;
    what(k, UI_BD_QUERY);
    query_formula(k, c->formula, sizeof c->formula);
    int n = snprintf(c->numbers, sizeof c->numbers, "‖∂L/∂%s‖ = %.3g", k->luong ? "q" : "h_{t-1}",
                     norm(k->gs->d_query, g->H));
    /* the score's own parameters, over every step */
    for (int i = 0; i < g->n_tensors && n > 0 && (size_t)n < sizeof c->numbers; i++) {
        const GradTensor *x = &g->tensors[i];
        if (strncmp(x->name, "attention.", 10) != 0) continue;
        char nm[48];
        snprintf(nm, sizeof nm, "%s", x->name + 10);
        char *dot = strchr(nm, '.');
        if (dot) *dot = 0;   /* "W_a.weight" → "W_a" */
        n += snprintf(c->numbers + n, sizeof c->numbers - (size_t)n, "     ‖∂L/∂%s‖ = %.3g (%s)", nm, (double)x->norm,
                      bs(k, UI_BN_ALL_STEPS));
    }
}

static double row_norm(const float *x, int s, int n) { return norm(x + (size_t)s * n, n); }

static void cap_encoder(const Bcap *k) {
    VizCaption *c = k->c;
    const GradTrace *g = k->g;
    if (!k->attn) {
        what(k, UI_BD_ENC_NONE);
        snprintf(c->formula, sizeof c->formula, "∂L/∂h̄_S = (∂h_0/∂h̄_S)^T ∂L/∂h_0%s", bs(k, UI_BF_ENC_NONE));
    } else {
        what(k, UI_BD_ENCODER);
        snprintf(c->formula, sizeof c->formula, "∂L/∂h̄_s = Σ_t (a_t(s) ∂L/∂c_t + (∂score_t(s)/∂h̄_s)^T ∂L/∂score_t(s))%s",
                 bs(k, UI_BF_ENCODER));
    }
    int most = 0;
    for (int s = 1; s < g->S; s++)
        if (row_norm(g->d_source_embeddings, s, g->E) > row_norm(g->d_source_embeddings, most, g->E)) most = s;
    int f = k->f >= 0 ? k->f : most;
    snprintf(c->numbers, sizeof c->numbers, "s = %d ('%s'):  ‖∂L/∂h̄_{%d}‖ = %.3g     ‖∂L/∂x_{%d}‖ = %.3g%s", f + 1,
             bsrc(k, f), f + 1, row_norm(g->d_encoder_states, f, g->D), f + 1, row_norm(g->d_source_embeddings, f, g->E),
             f == most ? bs(k, UI_BN_MOST_BLAMED) : "");
}

static void cap_step(const Bcap *k) {
    VizCaption *c = k->c;
    const AfterStep *a = &k->g->after;
    int t = k->t, y = k->st->reference_id;
    what(k, UI_BD_STEP);
    snprintf(c->formula, sizeof c->formula, "θ' = θ - η ∂L/∂θ,   η = %g", (double)a->lr);
    double p0 = k->st->probs[y], p1 = a->p_reference[t];
    if (!k->attn || !a->weights) {
        snprintf(c->numbers, sizeof c->numbers, bs(k, UI_BN_STEP_NONE), p0, p1, (double)k->g->loss, (double)a->loss);
        return;
    }
    const float *w0 = k->st->weights, *w1 = a->weights + (size_t)t * a->S;
    int f = k->f;
    if (f < 0)   /* where attention grew most */
        for (int s = f = 0; s < a->S; s++)
            if (w1[s] - w0[s] > w1[f] - w0[f]) f = s;
    snprintf(c->numbers, sizeof c->numbers, "a_t('%s'): %.3f → %.3f     p('%s'): %.3f → %.3f     L: %.3f → %.3f",
             bsrc(k, f), (double)w0[f], (double)w1[f], btok(k, y), p0, p1, (double)k->g->loss, (double)a->loss);
}

/* The backward phases that only attention has: without it they say so. */
static bool needs_attention(int bph) { return bph == BPH_WEIGHTS || bph == BPH_SCORES || bph == BPH_QUERY; }

static UiStr title_id(const Bcap *k, int bph) {
    if (bph == BPH_SPLIT && (!k->luong || !k->attn)) return UI_BPH_CELL;
    return (UiStr)(UI_BPH_LOSS + bph);
}

void viz_back_caption(VizCaption *c, const Trace *tr, const GradTrace *g, int t, int bph, int focus, const char *lang) {
    memset(c, 0, sizeof *c);
    if (tr->T < 1 || tr->S < 1 || !g || g->S != tr->S || g->T != tr->T) return;
    if (t < 0) t = 0;
    if (t >= tr->T) t = tr->T - 1;
    if (bph < 0) bph = 0;
    if (bph >= BPH_COUNT) bph = BPH_COUNT - 1;
    if (focus >= tr->S) focus = -1;
    Bcap k = {.tr = tr, .g = g, .st = &tr->steps[t], .gs = &g->steps[t], .t = t, .f = focus < 0 ? -1 : focus,
              .attn = cfg_attn(&tr->cfg) && tr->steps[0].weights && g->steps[0].d_weights,
              .luong = tr->cfg.style == STYLE_LUONG, .lang = lang, .c = c};
    snprintf(c->title, sizeof c->title, "← %d. %s", bph + 1, bs(&k, title_id(&k, bph)));   /* backward: the arrow */
    snprintf(c->step, sizeof c->step, bs(&k, UI_STEP_OF), t + 1, tr->T);
    if (k.st->reference_id < 0) return;   /* a gradient trace always has one; a mismatched pair has not */
    if (!k.attn && needs_attention(bph)) {
        snprintf(c->what, sizeof c->what, "%s", bs(&k, UI_D_SKIPPED));
        snprintf(c->formula, sizeof c->formula, "%s", bs(&k, UI_SKIP_FORM));
        snprintf(c->numbers, sizeof c->numbers, "%s", bs(&k, UI_SKIP_NUM));
        return;
    }
    switch (bph) {
    case BPH_LOSS: cap_loss(&k); break;
    case BPH_LOGITS: cap_logits(&k); break;
    case BPH_STATE: cap_state(&k); break;
    case BPH_SPLIT: cap_split(&k); break;
    case BPH_WEIGHTS: cap_weights(&k); break;
    case BPH_SCORES: cap_scores(&k); break;
    case BPH_QUERY: cap_query(&k); break;
    case BPH_ENCODER: cap_encoder(&k); break;
    default: cap_step(&k); break;
    }
}
