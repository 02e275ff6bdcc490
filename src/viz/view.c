/* view.c — the picture of one decoding (see view.h).
 *
 * Layout, designed at 1280×720 window units and scaled by u = min(W/1280,
 * H/720) (so 1024×600 is the same picture at 0.8):
 *
 *   ┌ caption: the phase, what it does ─────────────────── step t / T ┐
 *   │ formula of the phase, in MODEL.md notation                      │
 *   │ the actual numbers, for the highlighted source position         │
 *   ├──────────────────────────────────────────┬──────────────────────┤
 *   │ source tokens   x_1 … x_S                 │ decoder, top to      │
 *   │ encoder states  h̄_s as vertical strips    │ bottom in the order  │
 *   │ scores → softmax bars, one per column     │ of the style: input, │
 *   │ alignment matrix: one row per output      │ cell, q, c_t, h̃_t,   │
 *   │   token, columns shared with the above    │ top-k output, coin   │
 *   ├──────────────────────────────────────────┴──────────────────────┤
 *   │ timeline: every phase of every step, click to jump              │
 *   │ score buttons (1–6)   model · input · reference   forcing p ━━○ │
 *
 * Compare mode (C, V) replaces the body with three matrices: this
 * decoding, the other one, and their difference in the diverging map.
 * Overlays (tooltips, the input fields, the model menu, help) come last
 * in the list, after dl_begin_overlay.
 * The matrix shares its columns with the tokens, strips and bars, so a
 * column is one source position all the way down and needs no labels of
 * its own. Vectors are coloured by value with the diverging map on [-1, 1]
 * (LSTM/GRU states, contexts and tanh outputs all live there); weights and
 * probabilities with viridis on [0, 1].
 */
#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/colormap.h"
#include "../base/utf8.h"
#include "theme.h"
#include "ui_strings.h"

/* The words a frame shows come from ui_strings.c, in VizState.lang; the
 * formulas and numbers are written here. */

double viz_tau_end(const Trace *tr) { return (double)(tr->T > 0 ? tr->T : 1) * PH_COUNT; }

double viz_tau_at(const Trace *tr, int step, int phase) {
    int T = tr->T > 0 ? tr->T : 1;
    if (step < 1) step = 1;
    if (step > T) step = T;
    if (phase < 0) phase = 0;
    if (phase >= PH_COUNT) phase = PH_COUNT - 1;
    return (double)(step - 1) * PH_COUNT + phase;
}

void viz_clock(const Trace *tr, double tau, int *step, int *phase, float *progress) {
    double end = viz_tau_end(tr);
    if (!(tau >= 0)) tau = 0;
    if (tau >= end) { *step = (int)(end / PH_COUNT) - 1; *phase = PH_COUNT - 1; *progress = 1; return; }
    long k = (long)floor(tau);
    *step = (int)(k / PH_COUNT);
    *phase = (int)(k % PH_COUNT);
    *progress = (float)(tau - (double)k);
}

/* ---- small helpers ---- */

static float clamp01(float x) { return x < 0 ? 0 : x > 1 ? 1 : x; }
static float ease(float x) { x = clamp01(x); return x * x * (3 - 2 * x); }
static float seg(float p, float a, float b) { return clamp01((p - a) / (b - a)); }
static float lerp(float a, float b, float t) { return a + (b - a) * t; }
static Color rgb(Rgb8 c) { return (Color){c.r, c.g, c.b, 255}; }
static Color alpha(Color c, float a) { c.a = (uint8_t)lroundf((float)c.a * clamp01(a)); return c; }
static Color mix(Color a, Color b, float t) {
    return (Color){(uint8_t)lroundf(lerp(a.r, b.r, t)), (uint8_t)lroundf(lerp(a.g, b.g, t)),
                   (uint8_t)lroundf(lerp(a.b, b.b, t)), (uint8_t)lroundf(lerp(a.a, b.a, t))};
}
static Color div_col(float v) { return rgb(colormap_diverging(v)); }

/* A state value's colour. The diverging map's middle is near white, which
 * on the dark theme would make the smallest values the brightest cells; so
 * there values near 0 sink into the background instead (the legend uses
 * the same function, so it stays a faithful key). */
static Color val_col(float v, bool dark) {
    Color c = div_col(v);
    if (!dark) return c;
    static const Color BG = {22, 24, 30, 255};   /* viz_theme(true).bg */
    float k = fminf(1, 0.12f + 1.1f * fabsf(v));
    return mix(BG, c, k);
}
static Color vir_col(float v) { return rgb(colormap_viridis(v)); }

/* A token as shown: a space becomes a middle dot. */
static const char *tok_show(const char *s) {
    if (strcmp(s, " ") == 0) return "·";
    if (strcmp(s, "\t") == 0) return "\\t";
    if (strcmp(s, "\n") == 0) return "\\n";
    return s;
}

/* "[0.12, -0.50, 0.33, …]": the first k of n values */
static void fmt_vec(char *buf, size_t cap, const float *v, int n, int k) {
    size_t o = 0;
    o += (size_t)snprintf(buf + o, cap - o, "[");
    for (int i = 0; i < n && i < k && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%.2f", i ? ", " : "", (double)v[i]);
    if (o < cap) snprintf(buf + o, cap - o, n > k ? ", …]" : "]");
}

/* Shrink px until s fits w, down to min_px; returns the size or 0 if even
 * min_px does not fit. */
static float fit(const DrawList *dl, const char *s, float w, float px, float min_px, int flags) {
    float tw = dl_text_width(dl, s, px, flags);
    if (tw <= w) return px;
    /* whole sizes only, so a shrinking label does not open a font per
     * fraction; widths are not exactly linear in size (hinting): step down */
    float p = floorf(px * w / tw);
    if (p < min_px) return 0;
    while (p >= min_px && dl_text_width(dl, s, p, flags) > w) p -= 1;
    return p >= min_px ? p : 0;
}

/* Text centred on cx in a box of width w: shrunk to fit, or truncated with
 * an ellipsis at min_px. Returns the command or NULL. */
static DlCmd *text_fit_center(DrawList *dl, float cx, float y, float w, float px, float min_px,
                              int flags, Color c, const char *s) {
    float p = fit(dl, s, w, px, min_px, flags);
    char buf[256];
    const char *str = s;
    if (p == 0) {   /* truncate, whole code points, then add "…" */
        p = min_px;
        size_t n = strlen(s);
        if (n > sizeof buf - 4) n = sizeof buf - 4;
        for (n = utf8_floor(s, n);; n = utf8_prev(s, n)) {
            if (n == 0) return NULL;
            memcpy(buf, s, n);
            memcpy(buf + n, "…", 4);
            if (dl_text_width(dl, buf, p, flags) <= w) break;
        }
        str = buf;
    }
    float tw = dl_text_width(dl, str, p, flags);
    return dl_text(dl, cx - tw / 2, y, p, flags, c, str);
}

static void text_right(DrawList *dl, float rx, float y, float px, int flags, Color c, const char *s) {
    dl_text(dl, rx - dl_text_width(dl, s, px, flags), y, px, flags, c, s);
}

/* A vector as a horizontal strip of coloured cells (values in [-1, 1]). */
static void hstrip(DrawList *dl, float x, float y, float w, float h, const float *v, int n, float a, int vec, bool dark) {
    if (!v || n <= 0) return;
    float cw = w / (float)n;
    for (int i = 0; i < n; i++) {
        dl_rect(dl, x + (float)i * cw, y, cw + 0.01f, h, alpha(val_col(v[i], dark), a));
        dl_tag(dl, VIZ_TAG_VEC_CELL, vec, i);
        dl_value(dl, v[i]);
    }
}

/* ---- layout ---- */

typedef struct {
    float W, H, u, pad;
    float f_cap, f_form, f_label, f_small;
    float cap_y, form_y, num_y, body_y, body_y1;
    float lx0, cx0, cw, colw_strip;   /* left area, first column, column width, strip width */
    float tok_y, tok_h, strip_y, strip_h, bar_y, bar_h, barnum_y, mat_y, row_h;
    float rx0, rx1;                   /* right panel */
    float tl_x, tl_y, tl_w, tl_h;     /* timeline track */
    int S, T;
} Layout;

static Layout layout_of(float W, float H, int S, int T, float design_w) {
    Layout L;
    memset(&L, 0, sizeof L);
    L.W = W; L.H = H; L.S = S > 0 ? S : 1; L.T = T > 0 ? T : 1;
    float u = fminf(W / (design_w > 0 ? design_w : 1280.0f), H / 720.0f);
    if (u < 0.5f) u = 0.5f;
    L.u = u;
    L.pad = 16 * u;
    L.f_cap = 28 * u; L.f_form = 23 * u; L.f_label = 19 * u; L.f_small = 15 * u;
    L.cap_y = 10 * u;
    L.form_y = 50 * u;
    L.num_y = 84 * u;
    L.body_y = 118 * u;
    L.tl_h = 26 * u;
    L.tl_y = H - L.tl_h - 30 * u;
    L.body_y1 = L.tl_y - 12 * u;
    float rw = fminf(fmaxf(W * 0.30f, 330 * u), 460 * u);
    L.rx1 = W - L.pad;
    L.rx0 = L.rx1 - rw;
    L.lx0 = L.pad;
    L.cx0 = L.lx0 + 112 * u;
    float area = L.rx0 - 24 * u - L.cx0;
    L.cw = fminf(area / (float)L.S, 84 * u);
    L.colw_strip = fminf(L.cw * 0.62f, 26 * u);
    L.tok_y = L.body_y;
    L.tok_h = 30 * u;
    L.strip_y = L.tok_y + L.tok_h + 6 * u;
    float bh = L.body_y1 - L.body_y;
    L.strip_h = 0.22f * bh;
    L.bar_y = L.strip_y + L.strip_h + 14 * u;
    L.bar_h = 0.19f * bh;
    L.barnum_y = L.bar_y + L.bar_h + 3 * u;
    L.mat_y = L.barnum_y + 24 * u;
    L.row_h = fminf((L.body_y1 - L.mat_y) / (float)L.T, 28 * u);
    L.tl_x = L.pad + 150 * u;
    L.tl_w = W - L.pad - L.tl_x;
    return L;
}

static float col_x(const Layout *L, int s) { return L->cx0 + (float)s * L->cw; }

/* ---- what the clock says ---- */

typedef struct {
    const Trace *tr;
    const VizState *st;
    Theme th;
    Layout L;
    int t, ph;         /* current step (0-based) and phase */
    float pr;          /* progress in the phase */
    bool attn;         /* the model has attention */
    bool luong;
    int focus;         /* highlighted source position, -1 none */
    int hover_s;       /* source column under the mouse, -1 */
    float maxabs;      /* largest |score| of this step */
} View;

/* The weight and score of step r at s, morphing from the decoding before a
 * switch (same source, other model) to this one. */
static bool morphing(const View *v, int r) {
    const Trace *p = v->st->prev;
    return p && v->st->morph < 1 && p->S == v->tr->S && r < p->T && p->steps[r].weights;
}
static float weight_at(const View *v, int r, int s) {
    float w = v->tr->steps[r].weights[s];
    return morphing(v, r) ? lerp(v->st->prev->steps[r].weights[s], w, ease(v->st->morph)) : w;
}
static float score_at(const View *v, int r, int s) {
    float x = v->tr->steps[r].scores[s];
    return morphing(v, r) ? lerp(v->st->prev->steps[r].scores[s], x, ease(v->st->morph)) : x;
}

/* progress of phase P of the current step: 0 before, 1 after */
static float prog(const View *v, int P) { return v->ph > P ? 1 : v->ph < P ? 0 : v->pr; }

static const char *tok(const View *v, int id) { return tok_show(trace_token(v->tr, id)); }

/* a UI string in the view's language */
static const char *ui(const View *v, UiStr id) { return ui_str(v->st->lang, id); }

static int argmax(const float *x, int n) {
    int b = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[b]) b = i;
    return b;
}

static const char *cell_label(const Trace *tr) { return tr->cfg.cell == CELL_LSTM ? "LSTM" : "GRU"; }

/* ---- header: caption, formula, numbers ---- */

static void score_formula(const Trace *tr, const char *lang, char *b, size_t n) {
    switch (tr->cfg.score) {
    case SCORE_DOT: snprintf(b, n, "score(q, h̄_s) = q^T h̄_s"); break;
    case SCORE_SCALED_DOT: snprintf(b, n, "score(q, h̄_s) = q^T h̄_s / √D,   D = %d", tr->D); break;
    case SCORE_GENERAL: snprintf(b, n, "score(q, h̄_s) = q^T W_a h̄_s"); break;
    case SCORE_CONCAT: snprintf(b, n, "score(q, h̄_s) = v_a^T tanh(W_a [q ; h̄_s])"); break;
    case SCORE_ADDITIVE: snprintf(b, n, "score(q, h̄_s) = v_a^T tanh(W_a q + U_a h̄_s)"); break;
    default: snprintf(b, n, "%s", ui_str(lang, UI_NO_ATTN_SCORE)); break;
    }
}

/* The left edge of the colour legends (legend()), which share the formula
 * and numbers lines: text on those lines stops before it. */
static float legend_x0(const DrawList *dl, const Layout *L, const char *lang) {
    float u = L->u;
    float x = L->W - L->pad - 120 * u - dl_text_width(dl, "+1", L->f_small, 0) - 4 * u;
    float lx = x - dl_text_width(dl, "-1", L->f_small, 0) - 5 * u;
    return lx - 8 * u - fmaxf(dl_text_width(dl, ui_str(lang, UI_VALUES), L->f_small, 0), dl_text_width(dl, ui_str(lang, UI_WEIGHTS), L->f_small, 0));
}

static void header(DrawList *dl, View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int t = v->t, T = tr->T;
    char cap[160], desc[256], form[256], num[512];
    const char *cl = cell_label(tr);
    snprintf(cap, sizeof cap, "%d. %s", v->ph + 1, ui(v, (UiStr)(UI_PH_ENCODER + v->ph)));
    desc[0] = form[0] = num[0] = 0;
    const TraceStep *st = &tr->steps[t];
    int f = v->focus;
    char vb[160], vb2[160];
    switch (v->ph) {
    case PH_ENCODER:
        snprintf(desc, sizeof desc, "%s", ui(v, t == 0 ? UI_D_ENC_FIRST : UI_D_ENC_AGAIN));
        if (tr->cfg.bidirectional)
            snprintf(form, sizeof form, "h̄_s = [h→_s ; h←_s],  h→_s = %s(E_{src}[x_s], h→_{s-1})", cl);
        else
            snprintf(form, sizeof form, "h̄_s = %s(E_{src}[x_s], h̄_{s-1})%s", cl,
                     tr->cfg.reverse_source ? ui(v, UI_READ_RTL) : "");
        if (f < 0)
            snprintf(num, sizeof num, ui(v, UI_ENC_NUM), tr->S, tr->D);
        else {
            fmt_vec(vb, sizeof vb, tr->enc_states + (size_t)f * tr->D, tr->D, 5);
            snprintf(num, sizeof num, "s = %d:  x_{%d} = '%s'   h̄_{%d} = %s   (D = %d)", f + 1, f + 1,
                     tok_show(tr->src_tokens[f]), f + 1, vb, tr->D);
        }
        break;
    case PH_QUERY:
        if (v->luong || !v->attn) {
            snprintf(desc, sizeof desc, "%s", ui(v, UI_D_QUERY));
            snprintf(form, sizeof form, "h_t = %s(%s, h_{t-1}),   q = h_t", cl,
                     tr->cfg.input_feed ? "[E_{tgt}[y_{t-1}] ; h̃_{t-1}]" : "E_{tgt}[y_{t-1}]");
        } else {
            snprintf(desc, sizeof desc, "%s", ui(v, UI_D_QUERY_PREV));
            snprintf(form, sizeof form, "%s", ui(v, UI_BAHDANAU_Q));
        }
        if (st->query && !v->luong) {   /* Bahdanau: q was made one step earlier */
            fmt_vec(vb, sizeof vb, st->query, tr->H, 6);
            if (t == 0)
                snprintf(num, sizeof num, ui(v, UI_Q0_NUM), vb, tr->H);
            else
                snprintf(num, sizeof num, ui(v, UI_QT_NUM), t + 1, t, vb, t, t - 1,
                         tok(v, tr->steps[t - 1].input_id));
        } else if (st->query) {
            fmt_vec(vb, sizeof vb, st->query, tr->H, 6);
            snprintf(num, sizeof num, "t = %d:  y_{t-1} = '%s'   q = %s   (H = %d)", t + 1, tok(v, st->input_id), vb, tr->H);
        } else {
            fmt_vec(vb, sizeof vb, st->hidden, tr->H, 6);
            snprintf(num, sizeof num, "t = %d:  y_{t-1} = '%s'   h_t = %s", t + 1, tok(v, st->input_id), vb);
        }
        break;
    case PH_SCORES:
        snprintf(desc, sizeof desc, "%s", ui(v, UI_D_SCORES));
        score_formula(tr, v->st->lang, form, sizeof form);
        if (v->attn && f >= 0) {
            fmt_vec(vb, sizeof vb, st->query, tr->H, 3);
            fmt_vec(vb2, sizeof vb2, tr->enc_states + (size_t)f * tr->D, tr->D, 3);
            snprintf(num, sizeof num, "s = %d ('%s'):   q = %s   h̄_{%d} = %s   →   score = %.3f",
                     f + 1, tok_show(tr->src_tokens[f]), vb, f + 1, vb2, (double)st->scores[f]);
        }
        break;
    case PH_SOFTMAX:
        snprintf(desc, sizeof desc, "%s", ui(v, UI_D_SOFTMAX));
        snprintf(form, sizeof form, "a_t(s) = exp(score_s) / Σ_{s'} exp(score_{s'})");
        if (v->attn && f >= 0) {
            /* the same numbers the engine used, shifted by the max for range */
            double mx = st->scores[argmax(st->scores, tr->S)], sum = 0;
            for (int s = 0; s < tr->S; s++) sum += exp((double)st->scores[s] - mx);
            double e = exp((double)st->scores[f] - mx);
            if (mx < 30)
                snprintf(num, sizeof num, "s = %d ('%s'):   exp(%.3f) / Σ exp = %.4g / %.4g = %.4f", f + 1,
                         tok_show(tr->src_tokens[f]), (double)st->scores[f], e * exp(mx), sum * exp(mx),
                         (double)st->weights[f]);
            else
                snprintf(num, sizeof num, "s = %d ('%s'):   exp(%.3f - %.3f) / %.4g = %.4f", f + 1,
                         tok_show(tr->src_tokens[f]), (double)st->scores[f], mx, sum, (double)st->weights[f]);
        }
        break;
    case PH_CONTEXT:
        snprintf(desc, sizeof desc, "%s", ui(v, UI_D_CONTEXT));
        snprintf(form, sizeof form, "c_t = Σ_s a_t(s) · h̄_s");
        if (v->attn && f >= 0) {
            fmt_vec(vb, sizeof vb, st->context, tr->D, 4);
            snprintf(num, sizeof num, "a_t(%d) = %.3f  ('%s'%s)     c_t = %s", f + 1, (double)st->weights[f],
                     tok_show(tr->src_tokens[f]), f == argmax(st->weights, tr->S) ? ui(v, UI_LARGEST) : "", vb);
        }
        break;
    case PH_COMBINE:
        if (!v->attn) {
            snprintf(desc, sizeof desc, "%s", ui(v, UI_D_NO_COMBINE));
            snprintf(form, sizeof form, "%s", ui(v, UI_NOATTN_FORM));
        } else if (v->luong) {
            snprintf(desc, sizeof desc, "%s", ui(v, UI_D_COMBINE));
            snprintf(form, sizeof form, "h̃_t = tanh(W_c [c_t ; h_t])");
            fmt_vec(vb, sizeof vb, st->attentional, tr->H, 6);
            snprintf(num, sizeof num, "h̃_t = %s", vb);
        } else {
            snprintf(desc, sizeof desc, "%s", ui(v, UI_D_CTX_CELL));
            snprintf(form, sizeof form, "h_t = %s([E_{tgt}[y_{t-1}] ; c_t], h_{t-1})", cl);
            fmt_vec(vb, sizeof vb, st->hidden, tr->H, 6);
            snprintf(num, sizeof num, "h_t = %s", vb);
        }
        break;
    case PH_OUTPUT: {
        snprintf(desc, sizeof desc, "%s", ui(v, UI_D_OUTPUT));
        snprintf(form, sizeof form, v->luong && v->attn ? "p_t = softmax(W_o h̃_t + b_o),   y_t = argmax p_t"
                                                        : "p_t = softmax(W_o h_t + b_o),   y_t = argmax p_t");
        snprintf(num, sizeof num, ui(v, UI_OUT_NUM), t + 1, tok(v, st->token_id),
                 (double)st->probs[st->token_id], tr->V);
        break;
    }
    case PH_NEXT: {
        snprintf(desc, sizeof desc, "%s", ui(v, st->token_id == TOK_EOS ? UI_D_EOS : UI_D_NEXT));
        if (st->token_id == TOK_EOS && t + 1 >= T)
            snprintf(form, sizeof form, ui(v, UI_EOS_FORM), trace_output_len(tr));
        else if (tr->has_reference && tr->teacher_forcing > 0)
            snprintf(form, sizeof form, ui(v, UI_TF_FORM),
                     (double)tr->teacher_forcing);
        else if (tr->has_reference)
            snprintf(form, sizeof form, "%s", ui(v, UI_TF_OFF_FORM));
        else
            snprintf(form, sizeof form, "%s", ui(v, UI_FREE_FORM));
        if (t + 1 < T) {
            const TraceStep *nx = &tr->steps[t + 1];
            if (nx->coin >= 0)
                snprintf(num, sizeof num, "u = %.3f %s %.2f  →  %s: '%s'", (double)nx->coin,
                         nx->teacher_forced ? "<" : "≥", (double)tr->teacher_forcing,
                         nx->teacher_forced ? ui(v, UI_TF_FORCED_REF) : ui(v, UI_OWN_PRED_LONG),
                         tok(v, nx->input_id));
            else
                snprintf(num, sizeof num, ui(v, UI_STEP_READS), t + 2, tok(v, nx->input_id));
        }
        if (st->reference_id >= 0 && st->reference_id != st->token_id) {
            size_t o = strlen(num);
            if (o && o + 5 < sizeof num) o += (size_t)snprintf(num + o, sizeof num - o, "     ");
            snprintf(num + o, sizeof num - o, ui(v, UI_PRED_NE_REF), tok(v, st->token_id), tok(v, st->reference_id));
        }
        break;
    }
    }
    if (!v->attn && (v->ph == PH_SCORES || v->ph == PH_SOFTMAX || v->ph == PH_CONTEXT)) {
        snprintf(desc, sizeof desc, "%s", ui(v, UI_D_SKIPPED));
        snprintf(form, sizeof form, "%s", ui(v, UI_SKIP_FORM));
        snprintf(num, sizeof num, "%s", ui(v, UI_SKIP_NUM));
    }

    /* right: step counter (fixed), left: caption, then the description */
    char stepb[64];
    snprintf(stepb, sizeof stepb, ui(v, UI_STEP_OF), t + 1, T);
    float sw = dl_text_width(dl, stepb, L->f_label, TEXT_BOLD);
    dl_text(dl, L->W - L->pad - sw, L->cap_y + 6 * L->u, L->f_label, TEXT_BOLD, th->dim, stepb);
    DlCmd *c = dl_text(dl, L->pad, L->cap_y, L->f_cap, TEXT_BOLD, th->accent, cap);
    if (c) dl_tag(dl, VIZ_TAG_CAPTION, v->ph, 0);
    float x = L->pad + (c ? c->w : 0) + 14 * L->u;
    float room = L->W - L->pad - sw - 20 * L->u - x;
    float p = fit(dl, desc, room, L->f_form, 12 * L->u, TEXT_MATH);
    if (p > 0) dl_text(dl, x, L->cap_y + (L->f_cap - p) * 0.75f, p, TEXT_MATH, th->text, desc);
    float fw = legend_x0(dl, L, v->st->lang) - 16 * L->u - L->pad;
    p = fit(dl, form, fw, L->f_form, 12 * L->u, TEXT_MATH);
    if (p > 0) dl_text(dl, L->pad, L->form_y, p, TEXT_MATH, th->text, form);
    if (num[0]) {
        p = fit(dl, num, fw, L->f_label, 11 * L->u, TEXT_MATH);
        if (p > 0) dl_text(dl, L->pad, L->num_y, p, TEXT_MATH, th->dim, num);
    }
}

/* ---- left: tokens, encoder strips, bars, matrix ---- */

static void encoder(DrawList *dl, View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = tr->S, D = tr->D;
    /* the encoder animates at step 1 only; later steps reuse its states */
    float ep = v->t == 0 ? prog(v, PH_ENCODER) : 1;
    float lp = fit(dl, "h̄_s", L->cx0 - L->lx0 - 8 * L->u, L->f_label, 10, TEXT_MATH);
    dl_text(dl, L->lx0, L->tok_y + 2 * L->u, L->f_label, 0, th->dim, ui(v, UI_SOURCE));
    if (lp > 0) dl_text(dl, L->lx0, L->strip_y + L->strip_h / 2 - L->f_label * 0.6f, lp, TEXT_MATH, th->dim, "h̄_s");

    float ctx_a = v->ph == PH_CONTEXT && v->attn ? ease(seg(v->pr, 0, 0.3f)) : 0;
    const float *w = v->attn ? tr->steps[v->t].weights : NULL;
    float sw = L->colw_strip, ch = L->strip_h / (float)D;
    for (int s = 0; s < S; s++) {
        float x = col_x(L, s);
        /* token s appears when the sweep reaches it, then its state fills in */
        float a = ease(clamp01(ep * (float)S * 1.15f - (float)s));
        if (a <= 0) continue;
        bool unk = tr->src_ids && tr->src_ids[s] == TOK_UNK;
        Color tc = s == v->focus ? th->accent : unk ? th->warn : th->text;
        DlCmd *c = text_fit_center(dl, x + L->cw / 2, L->tok_y, L->cw - 8 * L->u, L->f_label, 9, 0,   /* a visible gap between words */
                                   alpha(tc, a), tok_show(tr->src_tokens[s]));
        if (c) dl_tag(dl, VIZ_TAG_SRC_TOKEN, s, 0);
        if (tr->src_ids && tr->src_ids[s] == TOK_UNK) {   /* not in the vocabulary: read as <unk> */
            dl_rect(dl, x + 3 * L->u, L->tok_y + L->tok_h - 3 * L->u, L->cw - 6 * L->u, 3 * L->u, alpha(th->warn, a));
            dl_tag(dl, VIZ_TAG_UNK_MARK, s, 0);
        }
        float sx = x + (L->cw - sw) / 2;
        const float *h = tr->enc_states + (size_t)s * D;
        float k = ctx_a > 0 ? lerp(1, w[s], ctx_a) : 1;   /* context: recolour h̄_s → a·h̄_s */
        for (int i = 0; i < D; i++) {
            dl_rect(dl, sx, L->strip_y + (float)i * ch, sw, ch + 0.01f, alpha(val_col(h[i] * k, v->st->dark), a));
            dl_tag(dl, VIZ_TAG_ENC_CELL, s, i);
        }
        if (s == v->focus) dl_frame(dl, sx - 2 * L->u, L->strip_y - 2 * L->u, sw + 4 * L->u, L->strip_h + 4 * L->u, 2 * L->u, th->accent);
        else if (sw >= 6 * L->u) dl_frame(dl, sx - 1, L->strip_y - 1, sw + 2, L->strip_h + 2, 1, alpha(th->faint, a));   /* near-zero states stay visible */
        /* the recurrence: an arrow from the previous state */
        float gap = L->cw - sw;
        if (s > 0 && gap >= 8 * L->u) {
            float y = L->strip_y + L->strip_h * (tr->cfg.bidirectional ? 0.35f : 0.5f);
            Color ac = alpha(th->dim, a * (v->ph == PH_ENCODER ? 1 : 0.45f));
            if (!tr->cfg.reverse_source)
                dl_arrow(dl, sx - gap + 1 * L->u, y, sx - 1 * L->u, y, 1.5f * L->u, fminf(6 * L->u, gap * 0.4f), ac);
            else
                dl_arrow(dl, sx - 1 * L->u, y, sx - gap + 1 * L->u, y, 1.5f * L->u, fminf(6 * L->u, gap * 0.4f), ac);
            if (tr->cfg.bidirectional) {
                y = L->strip_y + L->strip_h * 0.65f;
                dl_arrow(dl, sx - 1 * L->u, y, sx - gap + 1 * L->u, y, 1.5f * L->u, fminf(6 * L->u, gap * 0.4f), ac);
            }
        }
    }
    if (ctx_a > 0) {
        float lw = L->cx0 - L->lx0 - 8 * L->u;
        float p2 = fit(dl, "× a_t(s)", lw, L->f_label, 9, TEXT_MATH);
        if (p2 > 0) dl_text(dl, L->lx0, L->strip_y + L->strip_h / 2 + L->f_label * 0.7f, p2, TEXT_MATH, alpha(th->accent, ctx_a), "× a_t(s)");
    }
}

/* a bar's number: format 0 "0.94", 1 ".94" / "-7.8", 2 "-8" */
static void bar_number(char *b, size_t n, float x, int fmt) {
    if (fmt == 0) { snprintf(b, n, "%.2f", (double)x); return; }
    if (fmt == 2) { snprintf(b, n, "%.0f", (double)x); return; }
    if (fabsf(x) < 1) {
        snprintf(b, n, "%.2f", (double)x);
        char *z = strchr(b, '0');   /* "0.94" → ".94", "-0.50" → "-.50" */
        if (z && z[1] == '.') memmove(z, z + 1, strlen(z));
    } else {
        snprintf(b, n, "%.1f", (double)x);
    }
}

static void bars(DrawList *dl, View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = tr->S;
    float sp = prog(v, PH_SCORES), m = ease(prog(v, PH_SOFTMAX));
    /* axis labels */
    float lw = L->cx0 - L->lx0 - 8 * L->u;
    const char *lab = m < 0.5f ? ui(v, UI_SCORES) : "a_t(s)";
    float lp = fit(dl, lab, lw, L->f_label, 9, TEXT_MATH);
    if (lp > 0) dl_text(dl, L->lx0, L->bar_y + L->bar_h / 2 - L->f_label * 0.6f, lp, TEXT_MATH, th->dim, lab);
    float base = lerp(L->bar_y + L->bar_h / 2, L->bar_y + L->bar_h, m);
    float x0 = L->cx0, x1 = col_x(L, S);
    dl_rect(dl, x0, base - 0.5f * L->u, x1 - x0, 1 * L->u, th->faint);
    if (m > 0) dl_rect(dl, x0, L->bar_y, x1 - x0, 1 * L->u, alpha(th->grid, m));   /* the 1 line */
    if (!v->attn || sp <= 0) return;
    const TraceStep *st = &tr->steps[v->t];
    float half = L->bar_h / 2, bw = fminf(L->cw * 0.62f, 26 * L->u);
    /* numbers under the bars, in the longest format that fits every column
     * with a gap; none when even the shortest does not */
    char nb[32];
    int fmt = 0;
    for (; fmt < 3; fmt++) {
        bool ok = true;
        for (int s = 0; s < S && ok; s++) {
            bar_number(nb, sizeof nb, m < 0.5f ? score_at(v, v->t, s) : weight_at(v, v->t, s), fmt);
            ok = dl_text_width(dl, nb, L->f_small, 0) <= L->cw - 8 * L->u;
        }
        if (ok) break;
    }
    bool numbers = fmt < 3;
    for (int s = 0; s < S; s++) {
        float g = ease(seg(sp, (float)s / (float)S * 0.7f, (float)s / (float)S * 0.7f + 0.3f));
        if (g <= 0) continue;
        float w = weight_at(v, v->t, s);
        float sc = v->maxabs > 0 ? score_at(v, v->t, s) / v->maxabs : 0;
        float hgt = lerp(sc * half, w * L->bar_h, m) * g;
        float x = col_x(L, s) + (L->cw - bw) / 2;
        Color c = mix(div_col(sc), vir_col(w), m);
        if (hgt >= 0) dl_rect(dl, x, base - hgt, bw, fmaxf(hgt, 1 * L->u), c);
        else dl_rect(dl, x, base, bw, -hgt, c);
        dl_tag(dl, VIZ_TAG_BAR, s, 0);
        if (s == v->focus) {
            float top = fminf(base - hgt, base), bot = fmaxf(base - hgt, base);
            dl_frame(dl, x - 2 * L->u, top - 2 * L->u, bw + 4 * L->u, bot - top + 4 * L->u, 2 * L->u, th->accent);
        }
        if (numbers) {
            bar_number(nb, sizeof nb, m < 0.5f ? score_at(v, v->t, s) : weight_at(v, v->t, s), fmt);
            float tw = dl_text_width(dl, nb, L->f_small, 0);
            dl_text(dl, col_x(L, s) + (L->cw - tw) / 2, L->barnum_y, L->f_small, 0,
                    alpha(s == v->focus ? th->accent : th->dim, g), nb);
            dl_tag(dl, VIZ_TAG_BAR_LABEL, s, 0);
        }
    }
    /* the sum, once the bars are a distribution */
    float sa = seg(prog(v, PH_SOFTMAX), 0.6f, 1);
    if (sa > 0) {
        double sum = 0;
        for (int s = 0; s < S; s++) sum += st->weights[s];
        char b[64];
        snprintf(b, sizeof b, "Σ = %.0f", sum);
        float p = fit(dl, b, lw, L->f_label, 9, TEXT_BOLD);
        if (p > 0) dl_text(dl, L->lx0, L->bar_y + L->bar_h / 2 + L->f_label * 0.9f, p, TEXT_BOLD, alpha(th->accent, sa), b);
    }
}

static void matrix(DrawList *dl, View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = tr->S, T = tr->T;
    float rh = L->row_h, gap = rh > 8 * L->u ? 1 * L->u : 0;
    float cgap = L->cw > 8 * L->u ? 1 * L->u : 0;
    /* row labels: every k-th row when rows are too thin for text */
    float lp = fminf(L->f_label, rh * 0.78f);
    int every = 1;
    while (lp * (float)every < 11 * L->u && every < T) every++;
    if (lp < 11 * L->u) lp = fminf(11 * L->u, L->f_label);
    float om = ease(seg(prog(v, PH_OUTPUT), 0.6f, 1));   /* the chosen token has landed */
    for (int r = 0; r < T; r++) {
        float y = L->mat_y + (float)r * rh;
        const TraceStep *st = &tr->steps[r];
        float shown = r < v->t ? 1 : r == v->t ? ease(prog(v, PH_SOFTMAX)) : 0;
        /* a switch from a model without attention: the cells fade in */
        if (v->st->prev && v->st->morph < 1 && !morphing(v, r)) shown *= ease(v->st->morph);
        for (int s = 0; s < S; s++) {
            float x = col_x(L, s);
            if (shown > 0 && v->attn) {
                dl_rect(dl, x, y, L->cw - cgap, rh - gap, alpha(vir_col(weight_at(v, r, s)), shown));
                dl_tag(dl, VIZ_TAG_ALIGN_CELL, r, s);
            } else {
                dl_rect(dl, x, y, L->cw - cgap, rh - gap, th->panel);
            }
        }
        if (r == v->t) {   /* the current row */
            dl_frame(dl, L->cx0 - 2 * L->u, y - 2 * L->u, col_x(L, S) - L->cx0 + 4 * L->u - cgap, rh - gap + 4 * L->u, 2 * L->u, th->text);
            if (v->focus >= 0 && shown > 0)
                dl_frame(dl, col_x(L, v->focus), y, L->cw - cgap, rh - gap, fmaxf(1, 2 * L->u), th->accent);
        }
        bool landed = r < v->t || (r == v->t && (v->ph > PH_OUTPUT || om >= 1));
        if (!landed || r % every) continue;
        float ty = y + (rh - gap) / 2 - dl_text_height(dl, lp) / 2 + lp * 0.06f;
        bool wrong = st->reference_id >= 0 && st->reference_id != st->token_id;
        char b[96];
        snprintf(b, sizeof b, "%s", tok(v, st->token_id));
        float lw = L->cx0 - 8 * L->u - (L->lx0 + 30 * L->u);
        float p = fit(dl, b, lw, lp, 8, 0);
        if (p > 0) {
            text_right(dl, L->cx0 - 8 * L->u, ty, p, 0, wrong ? th->warn : th->text, b);
            dl_tag(dl, VIZ_TAG_ROW_LABEL, r, st->token_id);
        }
        snprintf(b, sizeof b, "%d", r + 1);
        if (lp >= 9) dl_text(dl, L->lx0, ty, fminf(lp, L->f_small), 0, th->dim, b);
        if (wrong && rh >= 6 * L->u)   /* the disagreement mark: a bar at the row's end */
            dl_rect(dl, col_x(L, S) + 3 * L->u, y, 4 * L->u, rh - gap, th->warn);
    }
}

/* ---- right: the decoder ---- */

typedef struct { float x, y, w; } Cursor;

static float block_label(DrawList *dl, View *v, Cursor *c, const char *s, float a) {
    const Layout *L = &v->L;
    float p = fit(dl, s, c->w, L->f_label, 10, TEXT_MATH);
    if (p > 0 && a > 0) dl_text(dl, c->x, c->y, p, TEXT_MATH, alpha(v->th.text, a), s);
    c->y += 25 * L->u;
    return p;
}

static void token_box(DrawList *dl, View *v, float x, float y, float w, float h, const char *s, Color fg, Color bg, float a) {
    const Layout *L = &v->L;
    dl_rect(dl, x, y, w, h, alpha(bg, a));
    float th = dl_text_height(dl, L->f_label);
    text_fit_center(dl, x + w / 2, y + (h - th) / 2, w - 6 * L->u, L->f_label, 9, 0, alpha(fg, a), s);
}

static void topk(DrawList *dl, View *v, Cursor *c, float a, float *chosen_x, float *chosen_y) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const TraceStep *st = &tr->steps[v->t];
    enum { K = 5 };
    int idx[K], k = 0;
    for (int j = 0; j < tr->V; j++) {   /* insertion into the top K */
        if (j == TOK_PAD || j == TOK_SOS) continue;
        int pos = k < K ? k++ : K;
        if (pos == K && st->probs[j] <= st->probs[idx[K - 1]]) continue;
        if (pos == K) pos = K - 1;
        while (pos > 0 && st->probs[idx[pos - 1]] < st->probs[j]) { idx[pos] = idx[pos - 1]; pos--; }
        idx[pos] = j;
    }
    float rh = 25 * L->u, lw = 110 * L->u, nw = 64 * L->u;
    float g = ease(seg(v->pr, 0, 0.5f)) * (v->ph == PH_OUTPUT ? 1 : 0) + (v->ph > PH_OUTPUT ? 1 : 0);
    for (int i = 0; i < k; i++) {
        float y = c->y + (float)i * rh;
        int id = idx[i];
        bool ch = id == st->token_id;
        Color fg = ch && g >= 1 ? th->accent : th->text;
        DlCmd *cm = text_fit_center(dl, c->x + lw / 2, y, lw - 4 * L->u, L->f_label, 9, ch ? TEXT_BOLD : 0, alpha(fg, a), tok(v, id));
        if (cm) dl_tag(dl, ch ? VIZ_TAG_CHOSEN : VIZ_TAG_TOPK, ch ? v->t : i, id);
        if (ch) { *chosen_x = c->x + lw / 2; *chosen_y = y; }
        float bw = (c->w - lw - nw) * st->probs[id] * g;
        dl_rect(dl, c->x + lw, y + 4 * L->u, fmaxf(bw, 1), rh - 10 * L->u, alpha(vir_col(st->probs[id]), a));
        dl_tag(dl, VIZ_TAG_TOPK, i, id);
        dl_value(dl, st->probs[id]);
        char b[32];
        snprintf(b, sizeof b, "%.3f", (double)st->probs[id]);
        text_right(dl, c->x + c->w, y, L->f_small * 1.1f, 0, alpha(th->dim, a * g), b);
    }
    c->y += (float)K * rh;
}

static void decoder(DrawList *dl, View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const TraceStep *st = &tr->steps[v->t];
    float u = L->u;
    dl_rect(dl, L->rx0 - 10 * u, L->body_y - 6 * u, L->rx1 - L->rx0 + 20 * u, L->body_y1 - L->body_y + 12 * u, th->panel);
    Cursor c = {L->rx0, L->body_y, L->rx1 - L->rx0};
    float sh = 20 * u;
    const char *cl = cell_label(tr);
    char b[160];
    float qa = v->ph >= PH_QUERY || v->ph == PH_ENCODER ? (v->ph == PH_ENCODER ? 0 : ease(seg(prog(v, PH_QUERY), 0, 0.5f))) : 0;
    /* the input token of this step */
    const char *in = tok(v, st->input_id);
    const char *how = ui(v, v->t == 0 ? UI_HOW_START : st->teacher_forced ? UI_HOW_TF : UI_HOW_OWN);
    float qy = 0;               /* where q's strip is: h_t slides from there */

    if (v->ph == PH_ENCODER) {   /* the decoder waits; its start state comes from the encoder */
        float ha = v->t == 0 ? ease(seg(v->pr, 0.75f, 1)) : 1;
        block_label(dl, v, &c, tr->cfg.bidirectional ? "h_0 = tanh(W_b [h→_S ; h←_1] + b_b)"
                                                   : ui(v, UI_H0_UNI), ha);
        hstrip(dl, c.x, c.y, c.w, sh, tr->h0, tr->H, ha, VIZ_VEC_QUERY, v->st->dark);
        return;
    }
    if (v->luong || !v->attn) {
        snprintf(b, sizeof b, ui(v, UI_INPUT_Y), how);
        block_label(dl, v, &c, b, qa);
        float bw = 90 * u, bh = 32 * u;
        token_box(dl, v, c.x, c.y, bw, bh, in, th->text, st->teacher_forced ? mix(th->bg, th->good, 0.35f) : th->bg, qa);
        float cx = c.x + bw + 50 * u;
        dl_arrow(dl, c.x + bw + 4 * u, c.y + bh / 2, cx - 4 * u, c.y + bh / 2, 2 * u, 8 * u, alpha(th->dim, qa));
        dl_rect(dl, cx, c.y, 110 * u, bh, alpha(th->grid, qa));
        dl_frame(dl, cx, c.y, 110 * u, bh, 1.5f * u, alpha(th->dim, qa));
        snprintf(b, sizeof b, ui(v, UI_CELL), cl);
        text_fit_center(dl, cx + 55 * u, c.y + (bh - dl_text_height(dl, L->f_label)) / 2, 104 * u, L->f_label, 9, 0, alpha(th->text, qa), b);
        dl_arrow(dl, cx + 55 * u, c.y + bh + 2 * u, cx + 55 * u, c.y + bh + 16 * u, 2 * u, 7 * u, alpha(th->dim, qa));
        c.y += bh + 14 * u;
        block_label(dl, v, &c, v->attn ? "q = h_t" : "h_t", qa);
        qy = c.y;
        hstrip(dl, c.x, c.y, c.w, sh, st->hidden, tr->H, qa, VIZ_VEC_QUERY, v->st->dark);
        c.y += sh + 10 * u;
    } else {
        const float *prev = v->t == 0 ? tr->h0 : tr->steps[v->t - 1].hidden;
        block_label(dl, v, &c, ui(v, v->t == 0 ? UI_Q_START : UI_Q_PREV), qa);
        qy = c.y;
        hstrip(dl, c.x, c.y, c.w, sh, st->query ? st->query : prev, tr->H, qa, VIZ_VEC_QUERY, v->st->dark);
        c.y += sh + 10 * u;
    }
    /* the context */
    float cxy = 0;
    if (v->attn) {
        float ca = v->ph > PH_CONTEXT ? 1 : v->ph == PH_CONTEXT ? ease(seg(v->pr, 0.7f, 1)) : 0;
        float la = v->ph >= PH_CONTEXT ? 1 : 0;
        block_label(dl, v, &c, "c_t = Σ_s a_t(s) h̄_s", la);
        cxy = c.y;
        if (la > 0) dl_frame(dl, c.x, c.y, c.w, sh, 1 * u, th->faint);
        hstrip(dl, c.x, c.y, c.w, sh, st->context, tr->D, ca, VIZ_VEC_CONTEXT, v->st->dark);
        c.y += sh + 10 * u;
        /* the flight: each a_t(s)·h̄_s leaves its column for c_t */
        if (v->ph == PH_CONTEXT) {
            float f = ease(seg(v->pr, 0.3f, 0.85f));
            if (f > 0 && f < 1) {
                int D = tr->D;
                float sw = L->colw_strip, ch = L->strip_h / (float)D, tw = c.w / (float)D;
                for (int s = 0; s < tr->S; s++) {
                    float w = st->weights[s];
                    if (w < 0.02f) continue;
                    const float *h = tr->enc_states + (size_t)s * D;
                    float sx = col_x(L, s) + (L->cw - sw) / 2;
                    /* the strip flies upright, then lies down into c_t's row */
                    float bx = lerp(sx, c.x, f), by = lerp(L->strip_y, cxy, f), g = ease(seg(f, 0.55f, 1));
                    for (int i = 0; i < D; i++) {
                        float x = bx + lerp(0, (float)i * tw, g), y = by + lerp((float)i * ch, 0, g);
                        dl_rect(dl, x, y, lerp(sw, tw, g), lerp(ch, sh, g), alpha(val_col(w * h[i], v->st->dark), 0.35f + 0.65f * w));
                    }
                }
            }
        }
    }
    /* combine */
    float ma = v->ph > PH_COMBINE ? 1 : v->ph == PH_COMBINE ? 1 : 0;
    float mp = prog(v, PH_COMBINE);
    if (v->attn && v->luong) {
        block_label(dl, v, &c, "[c_t ; h_t]", ma);
        float split = c.w * (float)tr->D / (float)(tr->D + tr->H);
        if (ma > 0) {
            float k = ease(seg(mp, 0, 0.4f));
            /* slide c_t and h_t into their halves */
            hstrip(dl, c.x, lerp(cxy, c.y, k), lerp(c.w, split, k), sh, st->context, tr->D, 1, VIZ_VEC_CONCAT, v->st->dark);
            hstrip(dl, lerp(c.x, c.x + split, k), lerp(qy, c.y, k), lerp(c.w, c.w - split, k), sh,
                   st->hidden, tr->H, k, VIZ_VEC_CONCAT, v->st->dark);
            dl_rect(dl, c.x + split - 1 * u, c.y - 3 * u, 2 * u, sh + 6 * u, alpha(th->text, k));
        }
        c.y += sh + 6 * u;
        float ka = ease(seg(mp, 0.4f, 0.6f)) * ma;
        dl_arrow(dl, c.x + c.w / 2, c.y, c.x + c.w / 2, c.y + 16 * u, 2 * u, 7 * u, alpha(th->dim, ka));
        dl_text(dl, c.x + c.w / 2 + 10 * u, c.y - 1 * u, L->f_small, TEXT_MATH, alpha(th->dim, ka), "W_c, tanh");
        c.y += 18 * u;
        block_label(dl, v, &c, ui(v, UI_ATTN_STATE), ka);
        hstrip(dl, c.x, c.y, c.w, sh, st->attentional, tr->H, ease(seg(mp, 0.6f, 1)) * ma, VIZ_VEC_OUT, v->st->dark);
        c.y += sh + 10 * u;
    } else if (v->attn) {
        snprintf(b, sizeof b, "x_t = [E_{tgt}[y_{t-1}] ; c_t]   (%s)", how);
        block_label(dl, v, &c, b, ma);
        float ew = 90 * u, k = ease(seg(mp, 0, 0.4f));
        if (ma > 0) {
            token_box(dl, v, c.x, c.y, ew, sh + 8 * u, in, th->text, st->teacher_forced ? mix(th->bg, th->good, 0.35f) : th->bg, 1);
            hstrip(dl, c.x + ew + 4 * u, lerp(cxy, c.y + 4 * u, k), c.w - ew - 4 * u, sh, st->context, tr->D, 1, VIZ_VEC_CONCAT, v->st->dark);
        }
        c.y += sh + 12 * u;
        /* the recurrent cell reads the concatenation and the previous state */
        float ka = ease(seg(mp, 0.4f, 0.6f)) * ma;
        float bw = 130 * u, bh = 30 * u, bx = c.x + (c.w - bw) / 2;
        dl_arrow(dl, bx + bw / 2, c.y, bx + bw / 2, c.y + 12 * u, 2 * u, 7 * u, alpha(th->dim, ka));
        c.y += 14 * u;
        dl_rect(dl, bx, c.y, bw, bh, alpha(th->grid, ka));
        dl_frame(dl, bx, c.y, bw, bh, 1.5f * u, alpha(th->dim, ka));
        snprintf(b, sizeof b, ui(v, UI_CELL), cl);
        text_fit_center(dl, bx + bw / 2, c.y + (bh - dl_text_height(dl, L->f_label)) / 2, bw - 6 * u, L->f_label, 9, 0, alpha(th->text, ka), b);
        dl_arrow(dl, bx + bw + 60 * u, c.y + bh / 2, bx + bw + 4 * u, c.y + bh / 2, 2 * u, 7 * u, alpha(th->dim, ka));
        dl_text(dl, bx + bw + 64 * u, c.y + bh / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, TEXT_MATH, alpha(th->dim, ka), "h_{t-1}");
        c.y += bh;
        dl_arrow(dl, bx + bw / 2, c.y + 2 * u, bx + bw / 2, c.y + 14 * u, 2 * u, 7 * u, alpha(th->dim, ka));
        c.y += 18 * u;
        block_label(dl, v, &c, ui(v, UI_NEW_STATE), ka);
        hstrip(dl, c.x, c.y, c.w, sh, st->hidden, tr->H, ease(seg(mp, 0.6f, 1)) * ma, VIZ_VEC_OUT, v->st->dark);
        c.y += sh + 10 * u;
    }
    /* output */
    float oa = v->ph >= PH_OUTPUT ? 1 : 0;
    block_label(dl, v, &c, ui(v, UI_TOP5), oa);
    float chx = 0, chy = 0;
    if (oa > 0) topk(dl, v, &c, oa, &chx, &chy);
    else c.y += 5 * 25 * u;
    /* the chosen token flies to its row of the matrix */
    if (v->ph == PH_OUTPUT) {
        float f = ease(seg(v->pr, 0.6f, 1));
        if (f > 0 && f < 1) {
            float ty = L->mat_y + (float)v->t * L->row_h;
            float x = lerp(chx, L->cx0 - 30 * u, f), y = lerp(chy, ty, f);
            const char *s = tok(v, st->token_id);
            float p = L->f_label;
            dl_text(dl, x - dl_text_width(dl, s, p, TEXT_BOLD) / 2, y, p, TEXT_BOLD, th->accent, s);
            dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
        }
    }
    c.y += 8 * u;
    /* next input: the coin */
    if (v->ph == PH_NEXT) {
        float na = ease(seg(v->pr, 0, 0.3f));
        const TraceStep *nx = v->t + 1 < tr->T ? &tr->steps[v->t + 1] : NULL;
        if (!nx) {
            block_label(dl, v, &c, ui(v, UI_EOS_DONE), na);
        } else if (nx->coin >= 0) {
            /* a coin that spins, then shows its side */
            float spin = seg(v->pr, 0, 0.6f);
            float r = 17 * u, cx = c.x + r, cy = c.y + r;
            float sx = spin < 1 ? fabsf(cosf(spin * 6.2832f * 2.5f)) : 1;
            Color cc = spin < 1 ? th->neutral : nx->teacher_forced ? th->good : th->warn;
            enum { N = 24 };
            for (int i = 0; i < N; i++) {
                float a0 = 6.2832f * (float)i / N, a1 = 6.2832f * (float)(i + 1) / N;
                dl_tri(dl, cx, cy, cx + r * sx * cosf(a0), cy + r * sinf(a0), cx + r * sx * cosf(a1), cy + r * sinf(a1), alpha(cc, na));
            }
            if (spin >= 1) {
                snprintf(b, sizeof b, "u = %.2f %s p = %.2f: %s '%s'", (double)nx->coin,
                         nx->teacher_forced ? "<" : "≥", (double)tr->teacher_forcing,
                         ui(v, nx->teacher_forced ? UI_FEED_REF : UI_FEED_OWN), tok(v, nx->input_id));
                float p = fit(dl, b, c.w - 2 * r - 10 * u, L->f_small * 1.1f, 9, 0);
                if (p > 0) dl_text(dl, c.x + 2 * r + 10 * u, c.y + r - p * 0.65f, p, 0, th->text, b);
            }
        } else {
            snprintf(b, sizeof b, ui(v, UI_NEXT_INPUT), tok(v, nx->input_id), ui(v, nx->teacher_forced ? UI_THE_REF : UI_HOW_OWN));
            block_label(dl, v, &c, b, na);
        }
        if (st->reference_id >= 0 && st->reference_id != st->token_id) {
            c.y = fmaxf(c.y, L->body_y1 - 24 * u);
            snprintf(b, sizeof b, ui(v, UI_PRED_NE_REF), tok(v, st->token_id), tok(v, st->reference_id));
            float p = fit(dl, b, c.w, L->f_small * 1.1f, 9, TEXT_BOLD);
            if (p > 0) dl_text(dl, c.x, L->body_y1 - 24 * u, p, TEXT_BOLD, th->warn, b);
        }
    }
}

/* ---- timeline, legend, overlays ---- */

static void timeline(DrawList *dl, View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const VizState *st = v->st;
    float u = L->u;
    char b[64];
    snprintf(b, sizeof b, "%s  %.2gx", ui(v, st->playing ? UI_PLAYING : UI_PAUSED), (double)st->speed);
    dl_text(dl, L->pad, L->tl_y + (L->tl_h - dl_text_height(dl, L->f_label)) / 2, L->f_label, 0, th->dim, b);
    dl_rect(dl, L->tl_x, L->tl_y, L->tl_w, L->tl_h, th->panel);
    dl_tag(dl, VIZ_TAG_TIMELINE, 0, 0);
    double end = viz_tau_end(tr);
    float fx = L->tl_x + L->tl_w * (float)(fmin(st->tau, end) / end);
    dl_rect(dl, L->tl_x, L->tl_y, fx - L->tl_x, L->tl_h, th->grid);
    int T = tr->T;
    float sw = L->tl_w / (float)T;
    for (int t = 0; t < T; t++) {
        float x = L->tl_x + (float)t * sw;
        if (t > 0) dl_rect(dl, x - 1 * u, L->tl_y, 2 * u, L->tl_h, th->dim);
        if (sw >= 40 * u)
            for (int p = 1; p < PH_COUNT; p++)
                dl_rect(dl, x + sw * (float)p / PH_COUNT, L->tl_y + L->tl_h * 0.7f, 1 * u, L->tl_h * 0.3f, th->faint);
        if (sw >= 18 * u) {
            bool known = t < v->t || (t == v->t && prog(v, PH_OUTPUT) >= 0.6f);
            char num[16];
            snprintf(num, sizeof num, "%d", t + 1);
            const char *s = known ? tok(v, tr->steps[t].token_id) : num;
            text_fit_center(dl, x + sw / 2, L->tl_y + (L->tl_h - dl_text_height(dl, L->f_small)) / 2 - 1 * u, sw - 6 * u,
                            L->f_small, 8, 0, t == v->t ? th->accent : known ? th->text : th->dim, s);
        }
    }
    dl_rect(dl, fx - 1.5f * u, L->tl_y - 4 * u, 3 * u, L->tl_h + 8 * u, th->accent);
}

static void legend(DrawList *dl, View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u;
    /* the two colour scales, at the right of the formula and numbers lines */
    float w = 120 * u, h = 10 * u, x = L->W - L->pad - w - dl_text_width(dl, "+1", L->f_small, 0) - 4 * u;
    float y1 = L->form_y + 6 * u, y2 = L->num_y + 6 * u;
    enum { N = 32 };
    for (int i = 0; i < N; i++) {
        float t = ((float)i + 0.5f) / N;
        dl_rect(dl, x + w * (float)i / N, y1, w / N + 0.01f, h, val_col(2 * t - 1, v->st->dark));
        dl_rect(dl, x + w * (float)i / N, y2, w / N + 0.01f, h, vir_col(t));
    }
    float lx = x - dl_text_width(dl, "-1", L->f_small, 0) - 5 * u;
    dl_text(dl, lx, y1 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, "-1");
    text_right(dl, lx - 8 * u, y1 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, ui(v, UI_VALUES));
    text_right(dl, lx - 8 * u, y2 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, ui(v, UI_WEIGHTS));
    dl_text(dl, x + w + 4 * u, y1 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, "+1");
    dl_text(dl, x - dl_text_width(dl, "0", L->f_small, 0) - 5 * u, y2 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, "0");
    dl_text(dl, x + w + 4 * u, y2 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, "1");
}

/* The score buttons under the timeline; returns where the row continues. */
static const struct { ScoreKind k; const char *key, *label; } BUTTONS[] = {
    {SCORE_NONE, "1", "none"}, {SCORE_DOT, "2", "dot"}, {SCORE_GENERAL, "3", "general"},
    {SCORE_CONCAT, "4", "concat"}, {SCORE_ADDITIVE, "5", "additive"}, {SCORE_SCALED_DOT, "6", "scaled dot"}};
enum { N_BUTTONS = sizeof BUTTONS / sizeof *BUTTONS };

static float toolbar(DrawList *dl, View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u, x = L->tl_x, y = L->tl_y + L->tl_h + 4 * u, h = 22 * u, p = L->f_small;
    if (!v->st->score_avail) return x;
    x = L->pad;
    for (int i = 0; i < N_BUTTONS; i++) {
        ScoreKind k = BUTTONS[i].k;
        bool on = v->st->score_avail >> k & 1, cur = v->tr->cfg.score == k;
        if (k == SCORE_SCALED_DOT && !on) continue;   /* only where such a model exists */
        char b[48];
        snprintf(b, sizeof b, "%s %s", BUTTONS[i].key, BUTTONS[i].label);
        float w = dl_text_width(dl, b, p, cur ? TEXT_BOLD : 0) + 14 * u;
        dl_rect(dl, x, y, w, h, cur ? th->accent : on ? th->grid : th->panel);
        dl_tag(dl, VIZ_TAG_SCORE_BUTTON, k, on);
        dl_text(dl, x + 7 * u, y + (h - dl_text_height(dl, p)) / 2, p, cur ? TEXT_BOLD : 0,
                cur ? th->bg : on ? th->text : th->faint, b);
        x += w + 4 * u;
    }
    return x + 10 * u;
}

/* The teacher-forcing p slider at the right of the bottom row, when a
 * reference exists; returns where it starts. */
static float slider(DrawList *dl, View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const VizState *st = v->st;
    float u = L->u, x1 = L->W - L->pad;
    if (!st->tf_slider) return x1;
    float w = 110 * u, h = 8 * u, y = L->tl_y + L->tl_h + 11 * u, p = L->f_small;
    char b[48];
    snprintf(b, sizeof b, "%.2f", (double)st->tf_p);
    float nw = dl_text_width(dl, "0.00", p, 0) + 6 * u, x = x1 - nw - w;
    dl_text(dl, x + w + 6 * u, y - 5 * u, p, 0, st->tf_on ? th->text : th->faint, b);
    dl_rect(dl, x, y, w, h, th->grid);
    dl_tag(dl, VIZ_TAG_TF_SLIDER, 0, 0);
    dl_rect(dl, x, y, w * st->tf_p, h, st->tf_on ? th->good : th->faint);
    dl_rect(dl, x + w * st->tf_p - 2 * u, y - 5 * u, 4 * u, h + 10 * u, st->tf_on ? th->text : th->faint);
    const char *lab = ui(v, st->tf_on ? UI_TF_P : UI_TF_OFF);
    float lw = dl_text_width(dl, lab, p, 0);
    dl_text(dl, x - lw - 10 * u, y - 5 * u, p, 0, th->dim, lab);
    return x - lw - 20 * u;
}

int viz_score_hit(const DrawList *dl, float x, float y, bool *enabled) {
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->tag == VIZ_TAG_SCORE_BUTTON && x >= c->x && x < c->x + c->w && y >= c->y && y < c->y + c->h) {
            if (enabled) *enabled = c->b;
            return c->a;
        }
    }
    return -1;
}

/* The input fields, over the top of the picture while typing. */
static void edit_overlay(DrawList *dl, View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const VizState *st = v->st;
    float u = L->u, p = L->f_label * 1.15f, lh = dl_text_height(dl, p);
    float x = L->pad, w = L->W - 2 * L->pad, y = L->body_y - 8 * u, h = 2 * (lh + 12 * u) + 40 * u;
    dl_rect(dl, x, y, w, h, th->panel);
    dl_frame(dl, x, y, w, h, 2 * u, th->accent);
    dl_text(dl, x + 14 * u, y + 8 * u, L->f_small, 0, th->dim,
            ui(v, UI_EDIT_HINT));
    const char *NAMES[2] = {ui(v, UI_FIELD_INPUT), ui(v, UI_FIELD_REF)};
    float lx = x + 14 * u, fx = lx + 130 * u;
    for (int f = 0; f < 2; f++) {
        float fy = y + 34 * u + (float)f * (lh + 12 * u);
        dl_text(dl, lx, fy, p, f == st->edit_field ? TEXT_BOLD : 0, f == st->edit_field ? th->accent : th->dim, NAMES[f]);
        dl_rect(dl, fx - 6 * u, fy - 3 * u, w - (fx - x) - 8 * u, lh + 6 * u, th->bg);
        dl_tag(dl, VIZ_TAG_EDIT_FIELD, f, 0);
        const char *t = st->edit_text[f] ? st->edit_text[f] : "";
        if (!t[0] && f == 1 && st->edit_field != 1) {
            dl_text(dl, fx, fy, p, 0, th->faint, ui(v, UI_FIELD_OPT));
            continue;
        }
        DlCmd *c = dl_text(dl, fx, fy, p, 0, th->text, t);
        float cx = fx + (c ? c->w : 0);
        if (f == st->edit_field) {
            if (st->composition && st->composition[0]) {   /* being composed: underlined */
                DlCmd *k = dl_text(dl, cx, fy, p, 0, th->accent, st->composition);
                float kw = k ? k->w : 0;
                dl_rect(dl, cx, fy + lh - 2 * u, kw, 2 * u, th->accent);
                cx += kw;
            }
            dl_rect(dl, cx + 1 * u, fy, 2 * u, lh, th->accent);   /* the caret */
        }
    }
}

/* The model menu: every model file found, the current one marked. */
static void menu(DrawList *dl, View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const VizState *st = v->st;
    float u = L->u, p = L->f_label, lh = dl_text_height(dl, p) + 6 * u;
    int n = st->menu_n, rows = (int)((L->H - 160 * u) / lh);
    if (rows < 1) rows = 1;
    int first = st->menu_sel >= rows ? st->menu_sel - rows + 1 : 0;
    float w = fminf(760 * u, L->W - 2 * L->pad), h = lh * (float)(n < rows ? n : rows) + 70 * u;
    float x = (L->W - w) / 2, y = 60 * u, gw = 0;
    if (st->menu_group)   /* the task column: as wide as the widest task */
        for (int i = 0; i < n; i++)
            if (st->menu_group[i]) gw = fmaxf(gw, dl_text_width(dl, st->menu_group[i], p, TEXT_BOLD) + 24 * u);
    gw = fminf(gw, w * 0.3f);
    dl_rect(dl, x, y, w, h, th->panel);
    dl_frame(dl, x, y, w, h, 2 * u, th->accent);
    dl_text(dl, x + 20 * u, y + 12 * u, L->f_label * 1.2f, TEXT_BOLD, th->accent, ui(v, UI_MODELS));
    dl_text(dl, x + 140 * u, y + 18 * u, L->f_small, 0, th->dim, ui(v, UI_MENU_KEYS));
    if (n == 0) dl_text(dl, x + 20 * u, y + 56 * u, p, 0, th->text, ui(v, UI_NO_MODELS));
    for (int i = first; i < n && i < first + rows; i++) {
        float iy = y + 52 * u + lh * (float)(i - first);
        if (i == st->menu_sel) dl_rect(dl, x + 8 * u, iy - 2 * u, w - 16 * u, lh, th->grid);
        dl_rect(dl, x + 8 * u, iy - 2 * u, w - 16 * u, lh, (Color){0, 0, 0, 1});   /* the click target */
        dl_tag(dl, VIZ_TAG_MENU_ITEM, i, 0);
        float lx = x + 20 * u;
        if (st->menu_group) {   /* grouped by task: the task once, at the top of its group */
            lx = x + 20 * u + gw;
            const char *g = st->menu_group[i];
            if (g && (i == first || !st->menu_group[i - 1] || strcmp(g, st->menu_group[i - 1]) != 0)) {
                float gq = fit(dl, g, gw - 14 * u, p, 9, TEXT_BOLD);
                if (gq > 0) dl_text(dl, x + 20 * u, iy, gq, TEXT_BOLD, th->dim, g);
                if (i > first) dl_rect(dl, x + 14 * u, iy - 3 * u, w - 28 * u, 1 * u, th->grid);
            }
        }
        float q = fit(dl, st->menu[i], x + w - 40 * u - lx, p, 9, i == st->menu_cur ? TEXT_BOLD : 0);
        if (q > 0) dl_text(dl, lx, iy, q, i == st->menu_cur ? TEXT_BOLD : 0, i == st->menu_cur ? th->accent : th->text, st->menu[i]);
    }
}

static void tooltip(DrawList *dl, View *v, const char *const *lines, int n) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u, p = L->f_label, lh = dl_text_height(dl, p), w = 0;
    for (int i = 0; i < n; i++) w = fmaxf(w, dl_text_width(dl, lines[i], p, TEXT_MATH));
    float x = v->st->mouse_x + 18 * u, y = v->st->mouse_y + 18 * u, bw = w + 20 * u, bh = lh * (float)n + 14 * u;
    if (x + bw > L->W) x = v->st->mouse_x - bw - 8 * u;
    if (y + bh > L->H) y = v->st->mouse_y - bh - 8 * u;
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    dl_rect(dl, x, y, bw, bh, alpha(th->text, 0.92f));
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    for (int i = 0; i < n; i++) {
        dl_text(dl, x + 10 * u, y + 7 * u + lh * (float)i, p, TEXT_MATH, th->bg, lines[i]);
        dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    }
}

static void hover(DrawList *dl, View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const VizState *st = v->st;
    if (!st->mouse_in) return;
    float mx = st->mouse_x, my = st->mouse_y;
    char l[4][200];
    const char *lines[4] = {l[0], l[1], l[2], l[3]};
    int n = 0;
    int s = v->hover_s;
    const TraceStep *cur = &tr->steps[v->t];
    if (s >= 0 && my >= L->tok_y && my < L->strip_y + L->strip_h) {
        const float *h = tr->enc_states + (size_t)s * tr->D;
        float lo = h[0], hi = h[0];
        for (int i = 1; i < tr->D; i++) { lo = fminf(lo, h[i]); hi = fmaxf(hi, h[i]); }
        snprintf(l[n++], 200, ui(v, UI_HOV_SRC), s + 1, tok_show(tr->src_tokens[s]),
                 tr->src_ids && tr->src_ids[s] == TOK_UNK ? ui(v, UI_HOV_UNK) : "");
        if (my >= L->strip_y) {
            int i = (int)((my - L->strip_y) / L->strip_h * (float)tr->D);
            if (i >= tr->D) i = tr->D - 1;
            snprintf(l[n++], 200, "h̄_{%d}[%d] = %.4f", s + 1, i + 1, (double)h[i]);
        }
        snprintf(l[n++], 200, ui(v, UI_HOV_D), tr->D, (double)lo, (double)hi);
    } else if (s >= 0 && my >= L->bar_y - 4 * L->u && my < L->mat_y && v->attn && prog(v, PH_SCORES) > 0) {
        snprintf(l[n++], 200, "s = %d: '%s'", s + 1, tok_show(tr->src_tokens[s]));
        snprintf(l[n++], 200, "score(q, h̄_{%d}) = %.4f", s + 1, (double)cur->scores[s]);
        if (prog(v, PH_SOFTMAX) > 0) snprintf(l[n++], 200, "a_{%d}(%d) = %.4f", v->t + 1, s + 1, (double)cur->weights[s]);
    } else if (s >= 0 && my >= L->mat_y && v->attn) {
        int r = (int)((my - L->mat_y) / L->row_h);
        bool shown = r < v->t || (r == v->t && prog(v, PH_SOFTMAX) > 0);
        if (r >= 0 && r < tr->T && shown) {
            const TraceStep *rs = &tr->steps[r];
            snprintf(l[n++], 200, "a_{%d}(%d) = %.4f", r + 1, s + 1, (double)rs->weights[s]);
            snprintf(l[n++], 200, ui(v, UI_HOV_OUT), tok(v, rs->token_id), tok_show(tr->src_tokens[s]));
            snprintf(l[n++], 200, "score = %.4f", (double)rs->scores[s]);
        }
    }
    if (!n)   /* the decoder's vectors and the output distribution */
        for (int i = dl->n - 1; i >= 0 && !n; i--) {
            const DlCmd *c = &dl->cmds[i];
            if ((c->tag != VIZ_TAG_VEC_CELL && c->tag != VIZ_TAG_TOPK) || c->kind != DL_RECT) continue;
            bool in = mx >= c->x && mx < c->x + fmaxf(c->w, 1) && my >= c->y && my < c->y + c->h;
            if (c->tag == VIZ_TAG_TOPK) in = my >= c->y - 4 * L->u && my < c->y + c->h + 6 * L->u && mx >= L->rx0 && mx < L->rx1;
            if (!in) continue;
            if (c->tag == VIZ_TAG_TOPK) {
                snprintf(l[n++], 200, "p_t('%s') = %.5f", tok(v, c->b), (double)c->value);
                break;
            }
            static const char *NAME[4] = {"q", "c_t", "[c_t ; h_t]", "h̃_t"};
            const char *name = c->a == VIZ_VEC_OUT && !v->luong ? "h_t" : NAME[c->a & 3];
            snprintf(l[n++], 200, "%s[%d] = %.4f", name, c->b + 1, (double)c->value);
        }
    if (n) tooltip(dl, v, lines, n);
}

static void help(DrawList *dl, View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    static const struct { const char *key; UiStr what; } K[] = {   /* key NULL: the mouse */
        {"Space", UI_H_PLAY}, {"→  ←", UI_H_PHASE},
        {"↓  ↑", UI_H_STEP}, {"Home  End", UI_H_FIRST_LAST},
        {"+  -", UI_H_SPEED}, {"1 … 6", UI_H_SCORE},
        {"Enter", UI_H_ENTER}, {"Tab", UI_H_TAB}, {"T   [  ]", UI_H_TF},
        {"C", UI_H_CMP}, {"V", UI_H_FREE}, {"M", UI_H_MODELS},
        {"D", UI_H_THEME}, {"F", UI_H_FULL}, {"R", UI_H_SHADERS},
        {NULL, UI_H_MOUSE}, {"?", UI_H_HELP}, {"Esc", UI_H_QUIT}};
    enum { NK = (int)(sizeof K / sizeof *K) };
    const char *E[NK + 8][2];   /* the lesson keys first, then the view's */
    int n = 0, ne = v->st->help_extra ? v->st->help_extra_n : 0;
    for (int i = 0; i < ne && i < 8; i++) {
        E[n][0] = v->st->help_extra[2 * i];
        E[n++][1] = v->st->help_extra[2 * i + 1];
    }
    for (int i = 0; i < NK; i++) {
        if (ne && K[i].key && strcmp(K[i].key, "Esc") == 0) continue;   /* the lesson's Esc replaces it */
        E[n][0] = K[i].key ? K[i].key : ui(v, UI_K_MOUSE);
        E[n++][1] = ui(v, K[i].what);
    }
    float u = L->u, p = L->f_label * 1.1f, lh = dl_text_height(dl, p) * 1.15f;
    float kw = 0, dw = 0;
    for (int i = 0; i < n; i++) {
        kw = fmaxf(kw, dl_text_width(dl, E[i][0], p, TEXT_BOLD));
        dw = fmaxf(dw, dl_text_width(dl, E[i][1], p, 0));
    }
    if (kw + dw + 80 * u > L->W - 2 * L->pad) p *= (L->W - 2 * L->pad) / (kw + dw + 80 * u);
    if (lh * (float)n + 80 * u > L->H - 16 * u) p *= (L->H - 96 * u) / (lh * (float)n);   /* short windows */
    lh = dl_text_height(dl, p) * 1.15f;
    kw *= p / (L->f_label * 1.1f);
    dw *= p / (L->f_label * 1.1f);
    float w = kw + dw + 80 * u, h = lh * (float)n + 80 * u, x = (L->W - w) / 2, y = (L->H - h) / 2;
    dl_rect(dl, x, y, w, h, th->panel);
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    dl_frame(dl, x, y, w, h, 2 * u, th->accent);
    dl_text(dl, x + 24 * u, y + 16 * u, L->f_cap, TEXT_BOLD, th->accent, ui(v, UI_KEYS));
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    for (int i = 0; i < n; i++) {
        dl_text(dl, x + 24 * u, y + 64 * u + lh * (float)i, p, TEXT_BOLD, th->text, E[i][0]);
        dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
        dl_text(dl, x + 24 * u + kw + 32 * u, y + 64 * u + lh * (float)i, p, 0, th->text, E[i][1]);
        dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    }
}

static void message(DrawList *dl, View *v) {
    const Layout *L = &v->L;
    float p = fit(dl, v->st->message, L->W - 2 * L->pad, L->f_label, 10, TEXT_BOLD);
    if (p <= 0) return;
    float h = dl_text_height(dl, p);
    dl_rect(dl, 0, L->H / 2 - h, L->W, 2 * h, alpha(v->th.warn, 0.95f));
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    dl_text(dl, L->pad, L->H / 2 - h / 2, p, TEXT_BOLD, v->th.bg, v->st->message);
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
}

/* ---- compare: two alignments of the same input and their difference ---- */

static void compare(DrawList *dl, View *v) {
    const Trace *A = v->tr, *B = v->st->cmp;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u;
    char b[512];
    snprintf(b, sizeof b, "%s", v->st->cmp_what ? v->st->cmp_what : ui(v, UI_CMP_DEFAULT));
    DlCmd *c = dl_text(dl, L->pad, L->cap_y, L->f_cap, TEXT_BOLD, th->accent, ui(v, UI_CMP));
    if (c) dl_tag(dl, VIZ_TAG_CAPTION, -1, 0);
    float x = L->pad + (c ? c->w : 0) + 14 * u;
    float p = fit(dl, b, L->W - L->pad - x, L->f_form, 12 * u, TEXT_MATH);
    if (p > 0) dl_text(dl, x, L->cap_y + (L->f_cap - p) * 0.75f, p, TEXT_MATH, th->text, b);
    if (A->cfg.score != B->cfg.score) {
        char fa[200], fb[200];
        score_formula(A, v->st->lang, fa, sizeof fa);
        score_formula(B, v->st->lang, fb, sizeof fb);
        const char *ea = strstr(fa, ") = "), *eb = strstr(fb, ") = ");
        snprintf(b, sizeof b, "%s: %.150s      %s: %.150s", score_name(A->cfg.score), ea ? ea + 4 : fa,
                 score_name(B->cfg.score), eb ? eb + 4 : fb);
    } else {
        snprintf(b, sizeof b, "%s", ui(v, UI_CMP_ROWS));
    }
    p = fit(dl, b, legend_x0(dl, L, v->st->lang) - 16 * u - L->pad, L->f_label, 11 * u, TEXT_MATH);
    if (p > 0) dl_text(dl, L->pad, L->form_y + 4 * u, p, TEXT_MATH, th->text, b);

    int S = A->S, T = A->T > B->T ? A->T : B->T;
    float lw = 70 * u, gap = 26 * u;
    float pw = (L->W - 2 * L->pad - 3 * lw - 2 * gap) / 3;
    float cw = pw / (float)S;
    float top = L->body_y + 6 * u, y0 = top + 60 * u;
    float rh = fminf((L->body_y1 - y0) / (float)T, fmaxf(30 * u, fminf(cw * 0.8f, 48 * u)));   /* big cells when few */
    int t = v->t;
    float shown_cur = ease(prog(v, PH_SOFTMAX));
    const char *names[3] = {v->st->cmp_name[0] ? v->st->cmp_name[0] : ui(v, UI_CMP_THIS),
                            v->st->cmp_name[1] ? v->st->cmp_name[1] : ui(v, UI_CMP_OTHER), ui(v, UI_CMP_DIFF)};
    for (int k = 0; k < 3; k++) {
        float px = L->pad + (float)k * (lw + pw + gap) + lw;
        float hp = fit(dl, names[k], pw, L->f_label, 10, TEXT_BOLD);
        if (k == 2) snprintf(b, sizeof b, "%s - %s", names[0], names[1]);
        else snprintf(b, sizeof b, "%s", names[k]);
        hp = fit(dl, b, pw, L->f_label, 10, TEXT_BOLD);
        if (hp > 0) dl_text(dl, px, top, hp, TEXT_BOLD, k == 2 ? th->text : th->accent, b);
        /* source tokens over the columns */
        for (int s = 0; s < S; s++)
            text_fit_center(dl, px + ((float)s + 0.5f) * cw, top + 28 * u, cw - 2 * u, L->f_label, 8, 0, th->text,
                            tok_show(A->src_tokens[s]));
        for (int r = 0; r < T; r++) {
            float y = y0 + (float)r * rh;
            const Trace *R = k == 1 ? B : A;
            bool has = k == 2 ? r < A->T && r < B->T : r < R->T;
            float shown = r < t ? 1 : r == t ? shown_cur : 0;
            for (int s = 0; s < S; s++) {
                float cx = px + (float)s * cw;
                if (!has || shown <= 0 || !A->steps[0].weights || !B->steps[0].weights) {
                    dl_rect(dl, cx, y, cw - (cw > 8 * u ? 1 * u : 0), rh - 1 * u, th->panel);
                    continue;
                }
                float wa = r < A->T ? A->steps[r].weights[s] : 0, wb = r < B->T ? B->steps[r].weights[s] : 0;
                Color col = k == 0 ? vir_col(wa) : k == 1 ? vir_col(wb) : div_col(wa - wb);
                dl_rect(dl, cx, y, cw - (cw > 8 * u ? 1 * u : 0), rh - 1 * u, alpha(col, shown));
                dl_tag(dl, k == 0 ? VIZ_TAG_ALIGN_CELL : k == 1 ? VIZ_TAG_CMP_CELL : VIZ_TAG_DIFF_CELL, r, s);
            }
            if (r == t) dl_frame(dl, px - 2 * u, y - 2 * u, pw + 3 * u, rh + 3 * u, 2 * u, th->text);
            /* row labels: each side's prediction; the difference marks disagreement */
            if (r > t || (r == t && prog(v, PH_OUTPUT) < 0.6f) || rh < 11 * u) continue;
            float lp = fminf(L->f_label, rh * 0.8f), ty = y + (rh - 1 * u) / 2 - dl_text_height(dl, lp) / 2;
            if (k < 2 && r < R->T) {
                const TraceStep *st = &R->steps[r];
                bool wrong = st->reference_id >= 0 && st->reference_id != st->token_id;
                snprintf(b, sizeof b, "%s", tok_show(trace_token(R, st->token_id)));
                float q = fit(dl, b, lw - 10 * u, lp, 8, 0);
                if (q > 0) text_right(dl, px - 8 * u, ty, q, 0, wrong ? th->warn : th->text, b);
                if (wrong) dl_rect(dl, px - lw + 4 * u, y + 2 * u, 4 * u, rh - 5 * u, th->warn);
            } else if (k == 2 && r < A->T && r < B->T && A->steps[r].token_id != B->steps[r].token_id) {
                float q = fit(dl, "≠", lw - 10 * u, lp, 8, TEXT_BOLD);
                if (q > 0) text_right(dl, px - 8 * u, ty, q, TEXT_BOLD, th->warn, "≠");
            }
        }
    }
    /* hover: both weights and their difference */
    const VizState *st = v->st;
    if (!st->mouse_in) return;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *cc = &dl->cmds[i];
        if ((cc->tag != VIZ_TAG_ALIGN_CELL && cc->tag != VIZ_TAG_CMP_CELL && cc->tag != VIZ_TAG_DIFF_CELL) ||
            st->mouse_x < cc->x || st->mouse_x >= cc->x + cc->w || st->mouse_y < cc->y || st->mouse_y >= cc->y + cc->h)
            continue;
        int r = cc->a, s = cc->b;
        char l[3][160];
        const char *lines[3] = {l[0], l[1], l[2]};
        bool ha = r < A->T && A->steps[r].weights, hb = r < B->T && B->steps[r].weights;
        float wa = ha ? A->steps[r].weights[s] : 0, wb = hb ? B->steps[r].weights[s] : 0;
        snprintf(l[0], 160, ui(v, UI_CMP_TIP_STEP), r + 1, tok_show(A->src_tokens[s]));
        snprintf(l[1], 160, "%s %s   %s %s", names[0], ha ? "" : "-", names[1], hb ? "" : "-");
        if (ha && hb) snprintf(l[1], 160, "%s %.4f   %s %.4f", names[0], (double)wa, names[1], (double)wb);
        else if (ha) snprintf(l[1], 160, "%s %.4f   %s: %s", names[0], (double)wa, names[1], ui(v, UI_CMP_NO_STEP));
        else if (hb) snprintf(l[1], 160, "%s: %s   %s %.4f", names[0], ui(v, UI_CMP_NO_STEP), names[1], (double)wb);
        if (ha && hb) snprintf(l[2], 160, ui(v, UI_CMP_DIFF_NUM), (double)(wa - wb));
        else snprintf(l[2], 160, "%s", ui(v, UI_CMP_NO_DIFF));
        dl_begin_overlay(dl);
        tooltip(dl, v, lines, 3);
        break;
    }
}

/* The bottom of every frame: timeline, score toolbar, teacher-forcing
 * slider, and the title line (model, configuration, input) in what is left. */
static void bottom_bar(DrawList *dl, View *v) {
    const VizState *st = v->st;
    const Layout *L = &v->L;
    timeline(dl, v);
    float tx = toolbar(dl, v), tx1 = slider(dl, v);
    if (st->title) {
        float p = fit(dl, st->title, tx1 - tx, L->f_small, 9, 0);
        if (p > 0) dl_text(dl, tx, L->tl_y + L->tl_h + 5 * L->u, p, 0, v->th.dim, st->title);
    }
}

void viz_build(DrawList *dl, const Trace *tr, const VizState *st, float W, float H) {
    dl_clear(dl);
    View v;
    memset(&v, 0, sizeof v);
    v.tr = tr;
    v.st = st;
    v.th = viz_theme(st->dark);
    if (tr->T < 1 || tr->S < 1) {
        dl_text(dl, 20, 20, 24, 0, v.th.text, ui(&v, UI_EMPTY_TRACE));
        return;
    }
    v.L = layout_of(W, H, tr->S, tr->T, st->design_w);
    viz_clock(tr, st->tau, &v.t, &v.ph, &v.pr);
    v.attn = cfg_attn(&tr->cfg) && tr->steps[0].weights;
    v.luong = tr->cfg.style == STYLE_LUONG;
    const TraceStep *cur = &tr->steps[v.t];
    if (v.attn)
        for (int s = 0; s < tr->S; s++) v.maxabs = fmaxf(v.maxabs, fabsf(score_at(&v, v.t, s)));

    /* the highlighted source position: under the mouse, else the one the
     * phase is about (the sweep of the scores, then the largest weight) */
    v.hover_s = -1;
    const Layout *L = &v.L;
    if (st->mouse_in && st->mouse_x >= L->cx0 && st->mouse_x < col_x(L, tr->S) &&
        st->mouse_y >= L->tok_y && st->mouse_y < L->mat_y + L->row_h * (float)tr->T)
        v.hover_s = (int)((st->mouse_x - L->cx0) / L->cw);
    if (v.hover_s >= tr->S) v.hover_s = tr->S - 1;
    v.focus = v.hover_s;
    if (v.focus < 0) {
        /* sweeps follow the token being read / scored, then rest */
        if (v.ph == PH_ENCODER) v.focus = v.t == 0 && v.pr < 0.87f ? (int)fminf((float)tr->S - 1, v.pr * 1.15f * (float)tr->S) : -1;
        else if (!v.attn || v.ph < PH_SCORES) v.focus = -1;
        else if (v.ph == PH_SCORES && v.pr < 0.7f) v.focus = (int)fminf((float)tr->S - 1, v.pr / 0.7f * (float)tr->S);
        else v.focus = argmax(v.ph == PH_SCORES ? cur->scores : cur->weights, tr->S);
    }

    if (st->cmp && st->cmp->S == tr->S && st->cmp->T > 0) {
        legend(dl, &v);
        compare(dl, &v);
        bottom_bar(dl, &v);
        dl_begin_overlay(dl);
        if (st->menu_open) menu(dl, &v);
        if (st->message) message(dl, &v);
        if (st->help) help(dl, &v);
        return;
    }
    header(dl, &v);
    legend(dl, &v);
    encoder(dl, &v);
    bars(dl, &v);
    matrix(dl, &v);
    decoder(dl, &v);
    bottom_bar(dl, &v);
    dl_begin_overlay(dl);
    if (st->message) message(dl, &v);
    if (st->editing) edit_overlay(dl, &v);
    else if (st->menu_open) menu(dl, &v);
    else hover(dl, &v);
    if (st->mouse_in && !st->editing) {   /* why a score button is disabled */
        bool on;
        int k = viz_score_hit(dl, st->mouse_x, st->mouse_y, &on);
        if (k >= 0) {
            char b[200];
            if (on) snprintf(b, sizeof b, ui(&v, UI_BTN_ON_TIP), score_name((ScoreKind)k));
            else snprintf(b, sizeof b, ui(&v, UI_BTN_OFF_TIP), st->task ? st->task : "<task>", score_name((ScoreKind)k));
            const char *lines[1] = {b};
            tooltip(dl, &v, lines, 1);
        }
    }
    if (st->help) help(dl, &v);
}

double viz_timeline_hit(const DrawList *dl, const Trace *tr, float x, float y) {
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->tag != VIZ_TAG_TIMELINE || c->kind != DL_RECT) continue;
        if (x < c->x || x > c->x + c->w || y < c->y - 6 || y > c->y + c->h + 6) return -1;
        double tau = (double)((x - c->x) / c->w) * viz_tau_end(tr);
        return fmin(fmax(tau, 0), viz_tau_end(tr) - 1e-6);
    }
    return -1;
}
