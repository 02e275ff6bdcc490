/* caption.c — the header's text for every phase (caption.h): one function per
 * phase writes what it does, its formula and its numbers. */
#include "caption.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panel.h"

/* What one caption is about. */
typedef struct {
    const Trace *tr;
    const TraceStep *st;   /* step t */
    int t, f;              /* step (0-based), focus (-1 none) */
    bool attn, luong;
    const char *lang;
    VizCaption *c;
} Cap;

static const char *cs(const Cap *k, UiStr id) { return ui_str(k->lang, id); }
static const char *ctok(const Cap *k, int id) { return viz_tok_show(trace_token(k->tr, id)); }
static const char *csrc(const Cap *k, int s) { return viz_tok_show(k->tr->src_tokens[s]); }

void viz_h0_formula(const Trace *tr, char *b, size_t n) {
    if (tr->cfg.bidirectional) snprintf(b, n, "h_0 = tanh(W_b [h→_S ; h←_1] + b_b)");
    else snprintf(b, n, "h_0 = h̄_%s", tr->cfg.reverse_source ? "1" : "S");
}

void viz_score_formula(const Trace *tr, const char *lang, char *b, size_t n) {
    switch (tr->cfg.score) {
    case SCORE_DOT: snprintf(b, n, "score(q, h̄_s) = q^T h̄_s"); break;
    case SCORE_SCALED_DOT: snprintf(b, n, "score(q, h̄_s) = q^T h̄_s / √D,   D = %d", tr->D); break;
    case SCORE_GENERAL: snprintf(b, n, "score(q, h̄_s) = q^T W_a h̄_s"); break;
    case SCORE_CONCAT: snprintf(b, n, "score(q, h̄_s) = v_a^T tanh(W_a [q ; h̄_s])"); break;
    case SCORE_ADDITIVE: snprintf(b, n, "score(q, h̄_s) = v_a^T tanh(W_a q + U_a h̄_s)"); break;
    default: snprintf(b, n, "%s", ui_str(lang, UI_NO_ATTN_SCORE)); break;
    }
}

static void cap_encoder(const Cap *k) {
    const Trace *tr = k->tr;
    VizCaption *c = k->c;
    const char *cl = cell_label(tr);
    UiStr what = k->attn ? (k->t == 0 ? UI_D_ENC_FIRST : UI_D_ENC_AGAIN) : (k->t == 0 ? UI_D_ENC_NOATTN : UI_D_ENC_NOATTN_AGAIN);
    snprintf(c->what, sizeof c->what, "%s", cs(k, what));
    if (tr->cfg.bidirectional)
        snprintf(c->formula, sizeof c->formula, "h̄_s = [h→_s ; h←_s],  h→_s = %s(E_{src}[x_s], h→_{s-1})", cl);
    else
        snprintf(c->formula, sizeof c->formula, "h̄_s = %s(E_{src}[x_s], h̄_{s-1})%s", cl,
                 tr->cfg.reverse_source ? cs(k, UI_READ_RTL) : "");
    if (k->f < 0) {
        snprintf(c->numbers, sizeof c->numbers, cs(k, UI_ENC_NUM), tr->S, tr->D);
    } else {
        char vb[160];
        viz_fmt_vec(vb, sizeof vb, tr->enc_states + (size_t)k->f * tr->D, tr->D, 5);
        snprintf(c->numbers, sizeof c->numbers, "s = %d:  x_{%d} = '%s'   h̄_{%d} = %s   (D = %d)", k->f + 1, k->f + 1,
                 csrc(k, k->f), k->f + 1, vb, tr->D);
    }
}

static void cap_query(const Cap *k) {
    const Trace *tr = k->tr;
    const TraceStep *st = k->st;
    VizCaption *c = k->c;
    int t = k->t;
    char vb[160];
    if (!k->attn) {   /* no question asked: the state carries everything */
        char h0[96] = "";
        if (t == 0) viz_h0_formula(tr, h0, sizeof h0);
        snprintf(c->what, sizeof c->what, "%s", cs(k, UI_D_DECODER));
        snprintf(c->formula, sizeof c->formula, "h_t = %s(E_{tgt}[y_{t-1}], h_{t-1})%s%s", cell_label(tr),
                 t == 0 ? ",   " : "", h0);
    } else if (k->luong) {
        snprintf(c->what, sizeof c->what, "%s", cs(k, UI_D_QUERY));
        snprintf(c->formula, sizeof c->formula, "h_t = %s(%s, h_{t-1}),   q = h_t", cell_label(tr),
                 tr->cfg.input_feed ? "[E_{tgt}[y_{t-1}] ; h̃_{t-1}]" : "E_{tgt}[y_{t-1}]");
    } else {
        snprintf(c->what, sizeof c->what, "%s", cs(k, UI_D_QUERY_PREV));
        snprintf(c->formula, sizeof c->formula, "%s", cs(k, UI_BAHDANAU_Q));
    }
    if (st->query && !k->luong) {   /* Bahdanau: q was made one step earlier */
        viz_fmt_vec(vb, sizeof vb, st->query, tr->H, 6);
        if (t == 0)
            snprintf(c->numbers, sizeof c->numbers, cs(k, UI_Q0_NUM), vb, tr->H);
        else
            snprintf(c->numbers, sizeof c->numbers, cs(k, UI_QT_NUM), t + 1, t, vb, t, t - 1,
                     ctok(k, tr->steps[t - 1].input_id));
    } else if (st->query) {
        viz_fmt_vec(vb, sizeof vb, st->query, tr->H, 6);
        snprintf(c->numbers, sizeof c->numbers, "t = %d:  y_{t-1} = '%s'   q = %s   (H = %d)", t + 1,
                 ctok(k, st->input_id), vb, tr->H);
    } else {
        viz_fmt_vec(vb, sizeof vb, st->hidden, tr->H, 6);
        snprintf(c->numbers, sizeof c->numbers, "t = %d:  y_{t-1} = '%s'   h_t = %s", t + 1, ctok(k, st->input_id), vb);
    }
}

static void cap_scores(const Cap *k) {
    const Trace *tr = k->tr;
    VizCaption *c = k->c;
    int f = k->f;
    snprintf(c->what, sizeof c->what, "%s", cs(k, UI_D_SCORES));
    viz_score_formula(tr, k->lang, c->formula, sizeof c->formula);
    if (k->attn && f >= 0) {
        char vb[160], vb2[160];
        viz_fmt_vec(vb, sizeof vb, k->st->query, tr->H, 3);
        viz_fmt_vec(vb2, sizeof vb2, tr->enc_states + (size_t)f * tr->D, tr->D, 3);
        snprintf(c->numbers, sizeof c->numbers, "s = %d ('%s'):   q = %s   h̄_{%d} = %s   →   score = %.3f", f + 1,
                 csrc(k, f), vb, f + 1, vb2, (double)k->st->scores[f]);
    }
}

static void cap_softmax(const Cap *k) {
    const Trace *tr = k->tr;
    const TraceStep *st = k->st;
    VizCaption *c = k->c;
    int f = k->f;
    snprintf(c->what, sizeof c->what, "%s", cs(k, UI_D_SOFTMAX));
    snprintf(c->formula, sizeof c->formula, "a_t(s) = exp(score_s) / Σ_{s'} exp(score_{s'})");
    if (!k->attn || f < 0) return;
    /* the same numbers the engine used, shifted by the max for range */
    double mx = st->scores[argmax(st->scores, tr->S)], sum = 0;
    for (int s = 0; s < tr->S; s++) sum += exp((double)st->scores[s] - mx);
    double e = exp((double)st->scores[f] - mx);
    if (mx < 30)
        snprintf(c->numbers, sizeof c->numbers, "s = %d ('%s'):   exp(%.3f) / Σ exp = %.4g / %.4g = %.4f", f + 1,
                 csrc(k, f), (double)st->scores[f], e * exp(mx), sum * exp(mx), (double)st->weights[f]);
    else
        snprintf(c->numbers, sizeof c->numbers, "s = %d ('%s'):   exp(%.3f - %.3f) / %.4g = %.4f", f + 1, csrc(k, f),
                 (double)st->scores[f], mx, sum, (double)st->weights[f]);
}

static void cap_context(const Cap *k) {
    const Trace *tr = k->tr;
    VizCaption *c = k->c;
    int f = k->f;
    snprintf(c->what, sizeof c->what, "%s", cs(k, UI_D_CONTEXT));
    snprintf(c->formula, sizeof c->formula, "c_t = Σ_s a_t(s) · h̄_s");
    if (k->attn && f >= 0) {
        char vb[160];
        viz_fmt_vec(vb, sizeof vb, k->st->context, tr->D, 4);
        snprintf(c->numbers, sizeof c->numbers, "a_t(%d) = %.3f  ('%s'%s)     c_t = %s", f + 1,
                 (double)k->st->weights[f], csrc(k, f), f == argmax(k->st->weights, tr->S) ? cs(k, UI_LARGEST) : "",
                 vb);
    }
}

static void cap_combine(const Cap *k) {
    const Trace *tr = k->tr;
    VizCaption *c = k->c;
    char vb[160];
    if (k->luong) {
        snprintf(c->what, sizeof c->what, "%s", cs(k, UI_D_COMBINE));
        snprintf(c->formula, sizeof c->formula, "h̃_t = tanh(W_c [c_t ; h_t])");
        viz_fmt_vec(vb, sizeof vb, k->st->attentional, tr->H, 6);
        snprintf(c->numbers, sizeof c->numbers, "h̃_t = %s", vb);
    } else {
        snprintf(c->what, sizeof c->what, "%s", cs(k, UI_D_CTX_CELL));
        snprintf(c->formula, sizeof c->formula, "h_t = %s([E_{tgt}[y_{t-1}] ; c_t], h_{t-1})", cell_label(tr));
        viz_fmt_vec(vb, sizeof vb, k->st->hidden, tr->H, 6);
        snprintf(c->numbers, sizeof c->numbers, "h_t = %s", vb);
    }
}

static void cap_output(const Cap *k) {
    const TraceStep *st = k->st;
    VizCaption *c = k->c;
    snprintf(c->what, sizeof c->what, "%s", cs(k, UI_D_OUTPUT));
    snprintf(c->formula, sizeof c->formula, k->luong && k->attn ? "p_t = softmax(W_o h̃_t + b_o),   y_t = argmax p_t"
                                                                : "p_t = softmax(W_o h_t + b_o),   y_t = argmax p_t");
    snprintf(c->numbers, sizeof c->numbers, cs(k, UI_OUT_NUM), k->t + 1, ctok(k, st->token_id),
             (double)st->probs[st->token_id], k->tr->V);
}

static void cap_next(const Cap *k) {
    const Trace *tr = k->tr;
    const TraceStep *st = k->st;
    VizCaption *c = k->c;
    int t = k->t;
    char *num = c->numbers;
    size_t cap = sizeof c->numbers;
    snprintf(c->what, sizeof c->what, "%s", cs(k, st->token_id == TOK_EOS ? UI_D_EOS : UI_D_NEXT));
    if (st->token_id == TOK_EOS && t + 1 >= tr->T)
        snprintf(c->formula, sizeof c->formula, cs(k, UI_EOS_FORM), trace_output_len(tr));
    else if (tr->has_reference && tr->teacher_forcing > 0)
        snprintf(c->formula, sizeof c->formula, cs(k, UI_TF_FORM), (double)tr->teacher_forcing);
    else if (tr->has_reference)
        snprintf(c->formula, sizeof c->formula, "%s", cs(k, UI_TF_OFF_FORM));
    else
        snprintf(c->formula, sizeof c->formula, "%s", cs(k, UI_FREE_FORM));
    if (t + 1 < tr->T) {
        const TraceStep *nx = &tr->steps[t + 1];
        if (nx->coin >= 0)
            snprintf(num, cap, "u = %.3f %s %.2f  →  %s: '%s'", (double)nx->coin, nx->teacher_forced ? "<" : "≥",
                     (double)tr->teacher_forcing, nx->teacher_forced ? cs(k, UI_TF_FORCED_REF) : cs(k, UI_OWN_PRED_LONG),
                     ctok(k, nx->input_id));
        else
            snprintf(num, cap, cs(k, UI_STEP_READS), t + 2, ctok(k, nx->input_id));
    }
    if (st->reference_id >= 0 && st->reference_id != st->token_id) {
        size_t o = strlen(num);
        if (o && o + 5 < cap) o += (size_t)snprintf(num + o, cap - o, "     ");
        snprintf(num + o, cap - o, cs(k, UI_PRED_NE_REF), ctok(k, st->token_id), ctok(k, st->reference_id));
    }
}

void viz_caption(VizCaption *c, const Trace *tr, int t, int ph, int focus, const char *lang) {
    memset(c, 0, sizeof *c);
    if (tr->T < 1 || tr->S < 1) return;
    if (t < 0) t = 0;
    if (t >= tr->T) t = tr->T - 1;
    if (ph < 0) ph = 0;
    if (ph >= PH_COUNT) ph = PH_COUNT - 1;
    while (!viz_phase_shown(tr, ph)) ph++;   /* a phase the model does not have: the one the view shows */
    if (focus >= tr->S) focus = -1;
    Cap k = {.tr = tr, .st = &tr->steps[t], .t = t, .f = focus < 0 ? -1 : focus,
             .attn = cfg_attn(&tr->cfg) && tr->steps[0].weights, .luong = tr->cfg.style == STYLE_LUONG,
             .lang = lang, .c = c};
    UiStr name = !k.attn && ph == PH_QUERY ? UI_PH_DECODER : (UiStr)(UI_PH_ENCODER + ph);
    snprintf(c->title, sizeof c->title, "%d. %s", viz_phase_rank(tr, ph) + 1, cs(&k, name));
    snprintf(c->step, sizeof c->step, cs(&k, UI_STEP_OF), t + 1, tr->T);
    switch (ph) {
    case PH_ENCODER: cap_encoder(&k); break;
    case PH_QUERY: cap_query(&k); break;
    case PH_SCORES: cap_scores(&k); break;
    case PH_SOFTMAX: cap_softmax(&k); break;
    case PH_CONTEXT: cap_context(&k); break;
    case PH_COMBINE: cap_combine(&k); break;
    case PH_OUTPUT: cap_output(&k); break;
    default: cap_next(&k); break;
    }
}
