/* panel_back_decoder.c — the right panel in the backward phases: the decoder's step t with its gradients, in the
 * forward panel's order (input at the top, output at the bottom), the gradient flowing up.
 *
 * Luong:    input y_{t-1} → cell, ∂L/∂q (this step's scores), ∂L/∂c_t beside ∂L/∂h_t (every path), ∂L/∂h̃_t,
 *           the output rows
 * Bahdanau: ∂L/∂h_{t-1} (the query), input y_{t-1}, ∂L/∂c_t, ∂L/∂h_t, the output rows
 * none:     input y_{t-1}, ∂L/∂h_t, the output rows
 * A vector appears in the phase its gradient arrives (an empty frame
 * before), each coloured on its own scale (its largest |·| beside its name);
 * the legend at the top is the current phase's scale. */
#include "panel.h"

#include <stdio.h>
#include <string.h>

/* The panel being drawn. */
typedef struct {
    DrawList *dl;
    const View *v;
    const TraceStep *st;
    const GradStep *gs;
    int b;                 /* the backward phase */
    float x, y, w, u, sh;  /* cursor, width, scale, strip height */
} Bd;

float viz_absmax(const float *x, int n) {
    float m = 0;
    for (int i = 0; i < n; i++) m = fmaxf(m, fabsf(x[i]));
    return m;
}

/* How far a block that arrives in phase P is shown: 0 before, fading in
 * over the first half of P, then 1. */
static float arrived(const Bd *d, int P) { return d->b > P ? 1 : d->b < P ? 0 : ease(seg(d->v->pr, 0, 0.5f)); }

float viz_grad_legend(DrawList *dl, const View *v, float x, float y, float w, float m, const char *what) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u, p = bk_small(L), bh = 10 * u, lh = dl_text_height(dl, p);
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "-%.2g", (double)m);
    snprintf(hi, sizeof hi, "+%.2g", (double)m);
    /* the bar takes what the three labels leave of w, up to 110; when even a short bar does not fit (a narrow
     * panel, long numbers), the label keeps only its symbol ("gradient ∂L/∂·" → "∂L/∂·") */
    float ends = dl_text_width(dl, lo, p, 0) + dl_text_width(dl, hi, p, 0) + 20 * u;
    const char *sym = strrchr(what, ' ');
    if (sym && dl_text_width(dl, what, p, TEXT_MATH) + ends + 30 * u > w) what = sym + 1;
    float bw = fminf(110 * u, w - dl_text_width(dl, what, p, TEXT_MATH) - ends);
    if (bw < 30 * u) bw = 30 * u;
    float x0 = x;
    DlCmd *c = dl_text(dl, x, y, p, TEXT_MATH, th->text, what);
    x += (c ? c->w : 0) + 10 * u;
    c = dl_text(dl, x, y, p, 0, th->dim, lo);
    x += (c ? c->w : 0) + 5 * u;
    enum { N = 32 };
    for (int i = 0; i < N; i++) {
        float t = ((float)i + 0.5f) / N;
        dl_rect(dl, x + bw * (float)i / N, y + lh / 2 - bh / 2, bw / N + 0.01f, bh, grad_col(2 * t - 1, v->st->dark));
        if (i == 0) { dl_tag(dl, VIZ_TAG_GRAD_LEGEND, 0, 0); dl_value(dl, m); }
    }
    x += bw + 5 * u;
    c = dl_text(dl, x, y, p, 0, th->dim, hi);
    return x + (c ? c->w : 0) - x0;
}

/* The current phase's scale: its quantity's largest |·|. */
static float phase_scale(const Bd *d) {
    const View *v = d->v;
    const GradTrace *g = v->g;
    switch (d->b) {
    case BPH_LOSS:
    case BPH_LOGITS: return viz_absmax(d->gs->d_logits, g->V);
    case BPH_STATE: return viz_absmax(d->gs->d_output_state, g->H);
    case BPH_SPLIT: return v->attn ? viz_absmax(d->gs->d_context, g->D) : viz_absmax(d->gs->d_hidden, g->H);
    case BPH_WEIGHTS: return v->attn ? viz_absmax(d->gs->d_weights, g->S) : 0;
    case BPH_SCORES: return v->attn ? viz_absmax(d->gs->d_scores, g->S) : 0;
    case BPH_QUERY: return v->attn ? viz_absmax(d->gs->d_query, g->H) : 0;
    default: return viz_absmax(g->d_encoder_states, g->S * g->D);
    }
}

static void legend_line(Bd *d) {
    const View *v = d->v;
    float m = phase_scale(d);
    if (m > 0) {
        char what[64];
        snprintf(what, sizeof what, "%s ∂L/∂·", ui(v, UI_B_GRAD));
        viz_grad_legend(d->dl, v, d->x, d->y, d->w, m, what);
        const char *note = ui(v, UI_B_GRAD_OF);
        float p = bk_fit(d->dl, &v->L, note, d->w, bk_small(&v->L), 0);
        if (p > 0) dl_text(d->dl, d->x, d->y + 22 * d->u, p, 0, v->th.dim, note);
    }
    d->y += 50 * d->u;
}

/* Where a gradient comes into a strip from: the block below it, or (the
 * query's) the scores at the left. */
enum { FROM_BELOW, FROM_LEFT };

/* The cells of one gradient at x, width w, on its own scale m, fading in by a. */
static void grad_cells(Bd *d, float x, float w, const float *g, int n, int which, float m, float a) {
    dl_frame(d->dl, x, d->y, w, d->sh, 1 * d->u, d->v->th.faint);
    if (a <= 0 || !g) return;
    float cw = w / (float)n;
    for (int i = 0; i < n; i++) {
        dl_rect(d->dl, x + (float)i * cw, d->y, cw + 0.01f, d->sh, alpha(grad_col(m > 0 ? g[i] / m : 0, d->v->st->dark), a));
        dl_tag(d->dl, VIZ_TAG_GRAD_CELL, which, i);
        dl_value(d->dl, g[i]);
    }
}

/* "largest 0.031" right-aligned at rx. */
static void scale_note(Bd *d, float rx, float y, float m, float a) {
    if (a <= 0 || m <= 0) return;
    char b[48];
    snprintf(b, sizeof b, ui(d->v, UI_B_MAX), (double)m);
    viz_text_right(d->dl, rx, y, bk_small(&d->v->L), 0, alpha(d->v->th.dim, a), b);
}

static Color label_colour(const Bd *d, int P, float a) {
    const Theme *th = &d->v->th;
    return d->b == P ? th->accent : a > 0 ? th->text : th->faint;
}

/* One gradient vector: its name (and scale) above, its cells below, arriving in phase P. */
static void grad_strip(Bd *d, const float *g, int n, int which, const char *name, int P, int from) {
    const View *v = d->v;
    float a = arrived(d, P), u = d->u, m = g ? viz_absmax(g, n) : 0;
    float p = bk_fit(d->dl, &v->L, name, d->w, v->L.f_label, TEXT_MATH);
    if (p > 0) dl_text(d->dl, d->x, d->y, p, TEXT_MATH, label_colour(d, P, a), name);
    d->y += 25 * u;
    grad_cells(d, d->x, d->w, g, n, which, m, a);
    Color ac = alpha(v->th.dim, a);
    if (from == FROM_LEFT && a > 0)   /* from the scores, at the left of the panel */
        dl_arrow(d->dl, d->x - 9 * u, d->y + d->sh / 2, d->x - 1 * u, d->y + d->sh / 2, 2 * u, 6 * u, ac);
    d->y += d->sh + 2 * u;
    scale_note(d, d->x + d->w, d->y, m, a);   /* under the strip, at the right; the arrow comes in at a quarter */
    if (from == FROM_BELOW && a > 0)
        dl_arrow(d->dl, d->x + d->w * 0.25f, d->y + 18 * u, d->x + d->w * 0.25f, d->y + 2 * u, 2 * u, 6 * u, ac);
    d->y += 22 * u;
}

/* Luong's split: ∂L/∂c_t and ∂L/∂h_t side by side, both fed from ∂L/∂h̃_t below. */
static void grad_pair(Bd *d, int P) {
    const View *v = d->v;
    const GradTrace *gt = v->g;
    float a = arrived(d, P), u = d->u, gap = 16 * u, hw = (d->w - gap) / 2;
    const float *g[2] = {d->gs->d_context, d->gs->d_hidden};
    const int n[2] = {gt->D, gt->H}, which[2] = {VIZ_GRAD_CONTEXT, VIZ_GRAD_HIDDEN};
    const char *name[2] = {ui(v, UI_B_DC), ui(v, UI_B_DH_ALL)};
    for (int k = 0; k < 2; k++) {
        float x = d->x + (float)k * (hw + gap), p = bk_fit(d->dl, &v->L, name[k], hw, v->L.f_label, TEXT_MATH);
        char sym[48];   /* too narrow for "∂L/∂c_t, the context": the symbol alone */
        const char *comma = strchr(name[k], ',');
        if (p <= 0 && comma && (size_t)(comma - name[k]) < sizeof sym) {
            snprintf(sym, sizeof sym, "%.*s", (int)(comma - name[k]), name[k]);
            name[k] = sym;
            p = bk_fit(d->dl, &v->L, sym, hw, v->L.f_label, TEXT_MATH);
        }
        if (p > 0) dl_text(d->dl, x, d->y, p, TEXT_MATH, label_colour(d, P, a), name[k]);
    }
    d->y += 25 * u;
    for (int k = 0; k < 2; k++) {
        float x = d->x + (float)k * (hw + gap), m = viz_absmax(g[k], n[k]);
        grad_cells(d, x, hw, g[k], n[k], which[k], m, a);
        scale_note(d, x + hw, d->y + d->sh + 2 * u, m, a);
        if (a > 0) dl_arrow(d->dl, x + hw * 0.25f, d->y + d->sh + 22 * u, x + hw * 0.25f, d->y + d->sh + 4 * u, 2 * u, 6 * u, alpha(v->th.dim, a));
    }
    d->y += d->sh + 26 * u;
}

/* The input y_{t-1}: fed from the reference (teacher forced) or the model's own
 * choice, through which no gradient flows. */
static void input_block(Bd *d) {
    const View *v = d->v;
    const Theme *th = &v->th;
    float u = d->u, bh = 30 * u, bw = 90 * u;
    bool own = v->t > 0 && !d->st->teacher_forced;
    char b[160];
    snprintf(b, sizeof b, ui(v, UI_INPUT_Y), ui(v, v->t == 0 ? UI_HOW_START : own ? UI_HOW_OWN : UI_HOW_TF));
    float p = bk_fit(d->dl, &v->L, b, d->w, v->L.f_label, TEXT_MATH);
    if (p > 0) dl_text(d->dl, d->x, d->y, p, TEXT_MATH, th->text, b);
    d->y += 25 * u;
    dl_rect(d->dl, d->x, d->y, bw, bh, d->st->teacher_forced ? mix(th->bg, th->good, 0.35f) : th->bg);
    viz_text_center(d->dl, &v->L, d->x + bw / 2, d->y + (bh - dl_text_height(d->dl, v->L.f_label)) / 2, bw - 6 * u,
                    v->L.f_label, 0, th->text, tok(v, d->st->input_id));
    d->y += bh + 4 * u;
    if (v->t > 0) {   /* where the input came from, and whether a gradient can pass that way */
        const char *note = ui(v, own ? UI_B_NO_GRAD_IN : UI_B_TF_IN);
        float np = bk_fit(d->dl, &v->L, note, d->w, bk_small(&v->L), 0);
        if (np > 0) dl_text(d->dl, d->x, d->y, np, 0, own ? th->warn : th->dim, note);
    }
    d->y += 24 * u;
}

/* Up to five most likely tokens, and the reference below them when it is not
 * among them: their p, and from the logits phase on ∂L/∂z = (p - onehot)/T. */
static int output_ids(const Bd *d, int *ids) {
    const View *v = d->v;
    const float *p = d->st->probs;
    int k = 0, y = d->st->reference_id;
    bool have_ref = false;
    for (int r = 0; r < 5; r++) {
        int best = -1;
        for (int j = 0; j < v->tr->V; j++) {
            if (j == TOK_PAD || j == TOK_SOS) continue;
            bool used = false;
            for (int i = 0; i < k; i++) used |= ids[i] == j;
            if (!used && (best < 0 || p[j] > p[best])) best = j;
        }
        if (best < 0) break;
        ids[k++] = best;
        have_ref |= best == y;
    }
    if (!have_ref && y >= 0) ids[k++] = y;
    return k;
}

static void output_rows(Bd *d) {
    const View *v = d->v;
    const Theme *th = &v->th;
    const Layout *L = &v->L;
    float u = d->u, rh = 25 * u, lw = 96 * u, nw = 66 * u, gnw = 78 * u;
    float gw = d->w - lw - nw - gnw, gx = d->x + lw + nw + gw / 2;   /* the gradient bars' zero line */
    Color lc = d->b <= BPH_LOGITS ? th->accent : th->text;
    float p = bk_fit(d->dl, &v->L, ui(v, UI_B_OUT_ROWS), d->w, L->f_label, TEXT_MATH);
    if (p > 0) dl_text(d->dl, d->x, d->y, p, TEXT_MATH, lc, ui(v, UI_B_OUT_ROWS));
    d->y += 27 * u;
    int ids[6], k = output_ids(d, ids), y = d->st->reference_id;
    float m = viz_absmax(d->gs->d_logits, v->g->V), ga = arrived(d, BPH_LOGITS);
    dl_rect(d->dl, gx - 0.5f * u, d->y, 1 * u, rh * (float)k, th->faint);
    char b[48];
    for (int i = 0; i < k; i++) {
        int id = ids[i];
        float ry = d->y + (float)i * rh;
        bool ref = id == y, chosen = id == d->st->token_id;
        Color fg = ref ? th->good : chosen ? th->accent : th->text;
        DlCmd *c = viz_text_center(d->dl, L, d->x + lw / 2, ry, lw - 6 * u, L->f_label, ref || chosen ? TEXT_BOLD : 0, fg,
                                   tok(v, id));
        if (c) dl_tag(d->dl, VIZ_TAG_GRAD_ROW, i < 5 ? i : -1, id);
        snprintf(b, sizeof b, "%.3f", (double)d->st->probs[id]);
        viz_text_right(d->dl, d->x + lw + nw - 6 * u, ry, bk_small(L) * 1.1f, 0, th->dim, b);
        if (ref && d->b == BPH_LOSS) {   /* the loss term of this step */
            dl_frame(d->dl, d->x, ry - 1 * u, d->w, rh, 2 * u, th->accent);
            snprintf(b, sizeof b, "-log p = %.3f", -log((double)d->st->probs[id]));
            viz_text_right(d->dl, d->x + d->w - 4 * u, ry, bk_small(L) * 1.1f, TEXT_BOLD, th->accent, b);
        }
        if (ga <= 0) continue;
        float gval = d->gs->d_logits[id], bw = m > 0 ? gval / m * (gw / 2 - 4 * u) * ga : 0;
        dl_rect(d->dl, bw >= 0 ? gx : gx + bw, ry + 4 * u, fmaxf(fabsf(bw), 1), rh - 10 * u,
                grad_col(m > 0 ? gval / m : 0, v->st->dark));
        dl_tag(d->dl, VIZ_TAG_GRAD_ROW, i < 5 ? i : -1, id);
        dl_value(d->dl, gval);
        snprintf(b, sizeof b, "%+.3f", (double)gval);
        viz_text_right(d->dl, d->x + d->w, ry, bk_small(L) * 1.1f, 0, alpha(th->text, ga), b);
    }
    d->y += rh * (float)k;
}

void panel_back_decoder(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    float u = L->u;
    dl_rect(dl, L->rx0 - 10 * u, L->body_y - 6 * u, L->rx1 - L->rx0 + 20 * u, L->body_y1 - L->body_y + 12 * u, v->th.panel);
    Bd d = {.dl = dl, .v = v, .st = &v->tr->steps[v->t], .gs = &v->g->steps[v->t], .b = back_ph(v), .x = L->rx0,
            .y = L->body_y, .w = L->rx1 - L->rx0, .u = u, .sh = 18 * u};
    legend_line(&d);
    const int H = v->g->H, D = v->g->D;
    if (!v->attn) {
        input_block(&d);
        grad_strip(&d, d.gs->d_output_state, H, VIZ_GRAD_OUT, ui(v, UI_B_DH_OUT), BPH_STATE, FROM_BELOW);
    } else if (v->luong) {
        input_block(&d);
        grad_strip(&d, d.gs->d_query, H, VIZ_GRAD_QUERY, ui(v, UI_B_DQ), BPH_QUERY, FROM_LEFT);
        grad_pair(&d, BPH_SPLIT);
        grad_strip(&d, d.gs->d_output_state, H, VIZ_GRAD_OUT, ui(v, UI_B_DHT), BPH_STATE, FROM_BELOW);
    } else {   /* Bahdanau: the query is h_{t-1}, the context enters the cell */
        grad_strip(&d, d.gs->d_query, H, VIZ_GRAD_QUERY, ui(v, UI_B_DQ_PREV), BPH_QUERY, FROM_LEFT);
        input_block(&d);
        grad_strip(&d, d.gs->d_context, D, VIZ_GRAD_CONTEXT, ui(v, UI_B_DC), BPH_SPLIT, FROM_BELOW);
        grad_strip(&d, d.gs->d_output_state, H, VIZ_GRAD_OUT, ui(v, UI_B_DH_OUT), BPH_STATE, FROM_BELOW);
    }
    output_rows(&d);
}
