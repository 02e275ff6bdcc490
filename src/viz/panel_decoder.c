/* panel_decoder.c — the right panel: the decoder's step t, top to bottom in
 * the order of its style. Luong: the input token and the recurrent cell, the
 * query q = h_t, the context c_t, [c_t ; h_t] through W_c into the
 * attentional state h̃_t, the top-5 output tokens, the next input (the
 * teacher-forcing coin). Bahdanau: the query h_{t-1} first, then the context,
 * then [E y_{t-1} ; c_t] through the cell into h_t. One function per block;
 * each moves the cursor down. */
#include "panel.h"

#include "caption.h"

#include <stdio.h>

typedef struct { float x, y, w; } Cursor;

/* The decoder panel being drawn. */
typedef struct {
    DrawList *dl;
    const View *v;
    const TraceStep *st;      /* step t                                       */
    Cursor c;                 /* where the next block goes                    */
    float u, sh;              /* scale, strip height                          */
    float k;                  /* spacing: 1, less when the panel is too short  */
    int top;                  /* output tokens listed: 5, 3 when it is shorter still */
    float lh;                 /* one line of a label                          */
    const char *in, *how;     /* the input token y_{t-1}, and where it came from */
    float qa;                 /* the query block's opacity                    */
    float qy, cxy;            /* where q's and c_t's strips are: later blocks slide from there */
} Dec;

/* n design units of space between blocks, less when the panel is short */
static float gap(const Dec *d, float n) { return n * d->u * d->k; }

/* A block's label, wrapped onto two lines when the panel is narrow; the
 * cursor moves by the lines it takes whether it is visible yet or not. */
static void block_label(Dec *d, const char *s, float a) {
    const Layout *L = &d->v->L;
    int n = viz_wrap_lines(d->dl, L, d->c.w, L->f_label, 2, TEXT_MATH, s);
    if (a > 0) viz_text_wrap(d->dl, L, d->c.x, d->c.y, d->c.w, L->f_label, d->lh, 2, TEXT_MATH, alpha(d->v->th.text, a), s);
    d->c.y += (float)n * d->lh + gap(d, 3);
}

/* A token in a box (the input y_{t-1}): as wide as the token, within limits. */
static float token_box_w(const Dec *d, const char *s) {
    const Layout *L = &d->v->L;
    return fminf(fmaxf(dl_text_width(d->dl, s, L->f_label, 0) + 16 * d->u, 90 * d->u), d->c.w * 0.4f);
}

static void token_box(Dec *d, float x, float y, float w, float h, const char *s, Color fg, Color bg, float a) {
    const Layout *L = &d->v->L;
    dl_rect(d->dl, x, y, w, h, alpha(bg, a));
    float th = dl_text_height(d->dl, L->f_label);
    viz_text_center(d->dl, L, x + w / 2, y + (h - th) / 2, w - 6 * L->u, L->f_label, 0, alpha(fg, a), s);
}

/* The recurrent cell's label, and the width of its box. */
static float cell_box_w(const Dec *d, char *b, size_t n) {
    snprintf(b, n, ui(d->v, UI_CELL), cell_label(d->v->tr));
    return fmaxf(dl_text_width(d->dl, b, d->v->L.f_label, 0) + 20 * d->u, 110 * d->u);
}

/* The recurrent cell as a labelled box. */
static void cell_box(Dec *d, float x, float y, float w, float h, float a) {
    const View *v = d->v;
    char b[64];
    cell_box_w(d, b, sizeof b);
    dl_rect(d->dl, x, y, w, h, alpha(v->th.grid, a));
    dl_frame(d->dl, x, y, w, h, 1.5f * d->u, alpha(v->th.dim, a));
    viz_text_center(d->dl, &v->L, x + w / 2, y + (h - dl_text_height(d->dl, v->L.f_label)) / 2, w - 6 * d->u, v->L.f_label, 0,
                    alpha(v->th.text, a), b);
}

/* The encoder phase: the decoder waits. At step 1 it starts from the state
 * the encoder hands over (h_0); at a later step from the state the step
 * before ended in, h_{t-1}. */
static void dec_start(Dec *d) {
    const View *v = d->v;
    const Trace *tr = v->tr;
    float ha = v->t == 0 ? ease(seg(v->pr, 0.75f, 1)) : 1;
    char b[160];
    char f[96];
    viz_h0_formula(tr, f, sizeof f);
    if (v->t > 0) snprintf(b, sizeof b, ui(v, UI_H_PREV_STATE), v->t, v->t);
    else if (tr->cfg.bidirectional) snprintf(b, sizeof b, "%s", f);
    else snprintf(b, sizeof b, ui(v, UI_H0_UNI), f);
    block_label(d, b, ha);
    const float *h = v->t > 0 ? tr->steps[v->t - 1].hidden : tr->h0;
    viz_hstrip(d->dl, d->c.x, d->c.y, d->c.w, d->sh, h, tr->H, ha, VIZ_VEC_QUERY, v->st->dark);
}

/* No attention: the state the step starts from, h_{t-1} (at step 1 the
 * encoder's h_0, which panel_handover.c's arrow brings), going into the cell. */
static void dec_prev_state(Dec *d) {
    const View *v = d->v;
    const Trace *tr = v->tr;
    Cursor *c = &d->c;
    float u = d->u;
    char b[160], f[96];
    /* the arrow goes down into the cell (dec_input_cell: from x + 140u to
     * x + 250u), clear of the input's label it passes */
    snprintf(b, sizeof b, ui(v, UI_INPUT_Y), d->how);
    float lw = dl_text_width(d->dl, b, v->L.f_label, TEXT_MATH);
    float ax = fminf(fmaxf(c->x + 195 * u, c->x + lw + 10 * u), c->x + 244 * u);
    if (v->t == 0) {
        viz_h0_formula(tr, f, sizeof f);
        snprintf(b, sizeof b, ui(v, UI_FROM_ENCODER), f);
    } else {
        snprintf(b, sizeof b, ui(v, UI_H_PREV_STATE), v->t, v->t);
    }
    block_label(d, b, 1);
    viz_hstrip(d->dl, c->x, c->y, c->w, d->sh, v->t == 0 ? tr->h0 : tr->steps[v->t - 1].hidden, tr->H, 1, VIZ_VEC_QUERY,
               v->st->dark);
    c->y += d->sh;
    /* down past the input's label, into the top of the cell */
    dl_arrow(d->dl, ax, c->y + 2 * u, ax, c->y + 35 * u, 2 * u, 7 * u, alpha(v->th.dim, 1));
    c->y += 6 * d->u;
}

/* Luong (and no attention): the input token enters the cell, whose new
 * state is the query q = h_t. */
static void dec_input_cell(Dec *d) {
    const View *v = d->v;
    const Theme *th = &v->th;
    float u = d->u, qa = d->qa;
    Cursor *c = &d->c;
    char b[160];
    if (!v->attn) dec_prev_state(d);
    snprintf(b, sizeof b, ui(v, UI_INPUT_Y), d->how);
    block_label(d, b, qa);
    float bw = token_box_w(d, d->in), bh = fmaxf(32 * u, d->lh + 8 * u);
    token_box(d, c->x, c->y, bw, bh, d->in, th->text, d->st->teacher_forced ? mix(th->bg, th->good, 0.35f) : th->bg, qa);
    float cx = c->x + bw + 50 * u, cw = fminf(cell_box_w(d, b, sizeof b), c->x + c->w - cx);
    dl_arrow(d->dl, c->x + bw + 4 * u, c->y + bh / 2, cx - 4 * u, c->y + bh / 2, 2 * u, 8 * u, alpha(th->dim, qa));
    cell_box(d, cx, c->y, cw, bh, qa);
    dl_arrow(d->dl, cx + cw / 2, c->y + bh + 2 * u, cx + cw / 2, c->y + bh + gap(d, 12) + 2 * u, 2 * u, gap(d, 7), alpha(th->dim, qa));
    c->y += bh + gap(d, 14);
    block_label(d, v->attn ? "q = h_t" : "h_t", qa);
    d->qy = c->y;
    viz_hstrip(d->dl, c->x, c->y, c->w, d->sh, d->st->hidden, v->tr->H, qa, VIZ_VEC_QUERY, v->st->dark);
    c->y += d->sh + gap(d, 10);
}

/* Bahdanau: the previous decoder state asks the question. */
static void dec_query_prev(Dec *d) {
    const View *v = d->v;
    const float *prev = v->t == 0 ? v->tr->h0 : v->tr->steps[v->t - 1].hidden;
    block_label(d, ui(v, v->t == 0 ? UI_Q_START : UI_Q_PREV), d->qa);
    d->qy = d->c.y;
    viz_hstrip(d->dl, d->c.x, d->c.y, d->c.w, d->sh, d->st->query ? d->st->query : prev, v->tr->H, d->qa, VIZ_VEC_QUERY,
               v->st->dark);
    d->c.y += d->sh + gap(d, 10);
}

/* The context phase's flight: each a_t(s)·h̄_s leaves its column for c_t. */
static void context_flight(Dec *d) {
    const View *v = d->v;
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    float f = ease(seg(v->pr, 0.3f, 0.85f));
    if (f <= 0 || f >= 1) return;
    int D = tr->D;
    float sw = L->colw_strip, ch = L->strip_h / (float)D, tw = d->c.w / (float)D;
    for (int s = 0; s < tr->S; s++) {
        float w = d->st->weights[s];
        if (w < 0.02f) continue;
        const float *h = tr->enc_states + (size_t)s * D;
        float sx = col_x(L, s) + (L->cw - sw) / 2;
        /* the strip flies upright, then lies down into c_t's row */
        float bx = lerp(sx, d->c.x, f), by = lerp(L->strip_y, d->cxy, f), g = ease(seg(f, 0.55f, 1));
        for (int i = 0; i < D; i++) {
            float x = bx + lerp(0, (float)i * tw, g), y = by + lerp((float)i * ch, 0, g);
            dl_rect(d->dl, x, y, lerp(sw, tw, g), lerp(ch, d->sh, g), alpha(val_col(w * h[i], v->st->dark), 0.35f + 0.65f * w));
        }
    }
}

/* The context c_t = Σ_s a_t(s) h̄_s. */
static void dec_context(Dec *d) {
    const View *v = d->v;
    float ca = v->ph > PH_CONTEXT ? 1 : v->ph == PH_CONTEXT ? ease(seg(v->pr, 0.7f, 1)) : 0;
    float la = v->ph >= PH_CONTEXT ? 1 : 0;
    block_label(d, "c_t = Σ_s a_t(s) h̄_s", la);
    d->cxy = d->c.y;
    if (la > 0) dl_frame(d->dl, d->c.x, d->c.y, d->c.w, d->sh, 1 * d->u, v->th.faint);
    viz_hstrip(d->dl, d->c.x, d->c.y, d->c.w, d->sh, d->st->context, v->tr->D, ca, VIZ_VEC_CONTEXT, v->st->dark);
    d->c.y += d->sh + gap(d, 10);
    if (v->ph == PH_CONTEXT) context_flight(d);
}

/* Luong's combine: c_t and h_t slide into [c_t ; h_t], which W_c and tanh
 * make the attentional state h̃_t. */
static void dec_concat_wc(Dec *d) {
    const View *v = d->v;
    const Trace *tr = v->tr;
    const Theme *th = &v->th;
    Cursor *c = &d->c;
    float u = d->u, sh = d->sh;
    float ma = v->ph >= PH_COMBINE ? 1 : 0, mp = prog(v, PH_COMBINE);
    block_label(d, "[c_t ; h_t]", ma);
    float split = c->w * (float)tr->D / (float)(tr->D + tr->H);
    if (ma > 0) {
        float k = ease(seg(mp, 0, 0.4f));
        /* slide c_t and h_t into their halves */
        viz_hstrip(d->dl, c->x, lerp(d->cxy, c->y, k), lerp(c->w, split, k), sh, d->st->context, tr->D, 1, VIZ_VEC_CONCAT, v->st->dark);
        viz_hstrip(d->dl, lerp(c->x, c->x + split, k), lerp(d->qy, c->y, k), lerp(c->w, c->w - split, k), sh,
                   d->st->hidden, tr->H, k, VIZ_VEC_CONCAT, v->st->dark);
        dl_rect(d->dl, c->x + split - 1 * u, c->y - 3 * u, 2 * u, sh + 6 * u, alpha(th->text, k));
    }
    (void)u;
    c->y += sh + gap(d, 4);
    float ka = ease(seg(mp, 0.4f, 0.6f)) * ma, ah = fmaxf(d->lh, 16 * u);
    dl_arrow(d->dl, c->x + c->w / 2, c->y, c->x + c->w / 2, c->y + ah - 2 * u, 2 * u, 7 * u, alpha(th->dim, ka));
    if (ka > 0)
        viz_text_fit(d->dl, &v->L, c->x + c->w / 2 + 10 * u, c->y, c->w / 2 - 10 * u, v->L.f_label, TEXT_MATH, alpha(th->dim, ka),
                     "W_c, tanh", FIT_END);
    c->y += ah + gap(d, 2);
    block_label(d, ui(v, UI_ATTN_STATE), ka);
    viz_hstrip(d->dl, c->x, c->y, c->w, sh, d->st->attentional, tr->H, ease(seg(mp, 0.6f, 1)) * ma, VIZ_VEC_OUT, v->st->dark);
    c->y += sh + gap(d, 10);
}

/* Bahdanau's combine: [E y_{t-1} ; c_t] and h_{t-1} enter the cell, which
 * makes the new state h_t. */
static void dec_bahdanau_cell(Dec *d) {
    const View *v = d->v;
    const Trace *tr = v->tr;
    const Theme *th = &v->th;
    Cursor *c = &d->c;
    float u = d->u, sh = d->sh;
    float ma = v->ph >= PH_COMBINE ? 1 : 0, mp = prog(v, PH_COMBINE);
    char b[160];
    snprintf(b, sizeof b, "x_t = [E_{tgt}[y_{t-1}] ; c_t]   (%s)", d->how);
    block_label(d, b, ma);
    float ew = token_box_w(d, d->in), eh = fmaxf(sh + 8 * u, d->lh + 6 * u), k = ease(seg(mp, 0, 0.4f));
    if (ma > 0) {
        token_box(d, c->x, c->y, ew, eh, d->in, th->text, d->st->teacher_forced ? mix(th->bg, th->good, 0.35f) : th->bg, 1);
        viz_hstrip(d->dl, c->x + ew + 4 * u, lerp(d->cxy, c->y + (eh - sh) / 2, k), c->w - ew - 4 * u, sh, d->st->context, tr->D, 1,
                   VIZ_VEC_CONCAT, v->st->dark);
    }
    c->y += eh + gap(d, 4);
    /* the recurrent cell reads the concatenation and the previous state */
    float ka = ease(seg(mp, 0.4f, 0.6f)) * ma;
    char cb[64];
    float bw = cell_box_w(d, cb, sizeof cb), bh = fmaxf(30 * u, d->lh + 6 * u), bx = c->x + (c->w - bw) / 2;
    float hw = dl_text_width(d->dl, "h_{t-1}", v->L.f_label, TEXT_MATH), aw = fminf(56 * u, c->x + c->w - (bx + bw) - hw - 8 * u);
    if (aw < 20 * u) { bx = c->x; aw = fminf(56 * u, c->x + c->w - (bx + bw) - hw - 8 * u); }   /* narrow: the cell at the left */
    dl_arrow(d->dl, bx + bw / 2, c->y, bx + bw / 2, c->y + gap(d, 12), 2 * u, gap(d, 7), alpha(th->dim, ka));
    c->y += gap(d, 14);
    cell_box(d, bx, c->y, bw, bh, ka);
    dl_arrow(d->dl, bx + bw + aw, c->y + bh / 2, bx + bw + 4 * u, c->y + bh / 2, 2 * u, 7 * u, alpha(th->dim, ka));
    if (ka > 0)
        dl_text(d->dl, bx + bw + aw + 4 * u, c->y + bh / 2 - dl_text_height(d->dl, v->L.f_label) / 2, v->L.f_label, TEXT_MATH,
                alpha(th->dim, ka), "h_{t-1}");
    c->y += bh;
    dl_arrow(d->dl, bx + bw / 2, c->y + 2 * u, bx + bw / 2, c->y + gap(d, 12) + 2 * u, 2 * u, gap(d, 7), alpha(th->dim, ka));
    c->y += gap(d, 16);
    block_label(d, ui(v, UI_NEW_STATE), ka);
    viz_hstrip(d->dl, c->x, c->y, c->w, sh, d->st->hidden, tr->H, ease(seg(mp, 0.6f, 1)) * ma, VIZ_VEC_OUT, v->st->dark);
    c->y += sh + gap(d, 10);
}

/* The d->top (5, or 3) most likely tokens of p_t with their bars; where the
 * chosen one is goes to chosen_x, chosen_y. */
static void topk(Dec *d, float a, float *chosen_x, float *chosen_y) {
    const View *v = d->v;
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const TraceStep *st = d->st;
    Cursor *c = &d->c;
    enum { K_MAX = 5 };
    int K = d->top < K_MAX ? d->top : K_MAX, idx[K_MAX], k = 0;
    for (int j = 0; j < tr->V; j++) {   /* insertion into the top K */
        if (j == TOK_PAD || j == TOK_SOS) continue;
        int pos = k < K ? k++ : K;
        if (pos == K && st->probs[j] <= st->probs[idx[K - 1]]) continue;
        if (pos == K) pos = K - 1;
        while (pos > 0 && st->probs[idx[pos - 1]] < st->probs[j]) { idx[pos] = idx[pos - 1]; pos--; }
        idx[pos] = j;
    }
    /* the token column as wide as its widest token (within reason), the numbers' as "0.000" */
    float rh = d->lh + gap(d, 2), nw = dl_text_width(d->dl, "0.000", L->f_small, 0) + 10 * L->u, lw = 0;
    for (int i = 0; i < k; i++) lw = fmaxf(lw, dl_text_width(d->dl, tok(v, idx[i]), L->f_label, TEXT_BOLD));
    lw = fminf(fmaxf(lw + 12 * L->u, 70 * L->u), (c->w - nw) * 0.55f);
    float g = ease(seg(v->pr, 0, 0.5f)) * (v->ph == PH_OUTPUT ? 1 : 0) + (v->ph > PH_OUTPUT ? 1 : 0);
    for (int i = 0; i < k; i++) {
        float y = c->y + (float)i * rh;
        int id = idx[i];
        bool ch = id == st->token_id;
        Color fg = ch && g >= 1 ? th->accent : th->text;
        DlCmd *cm = viz_text_center(d->dl, L, c->x + lw / 2, y, lw - 4 * L->u, L->f_label, ch ? TEXT_BOLD : 0, alpha(fg, a), tok(v, id));
        if (cm) dl_tag(d->dl, ch ? VIZ_TAG_CHOSEN : VIZ_TAG_TOPK, ch ? v->t : i, id);
        if (ch) { *chosen_x = c->x + lw / 2; *chosen_y = y; }
        float bw = (c->w - lw - nw) * st->probs[id] * g;
        dl_rect(d->dl, c->x + lw, y + rh * 0.2f, fmaxf(bw, 1), rh * 0.55f, alpha(vir_col(st->probs[id]), a));
        dl_tag(d->dl, VIZ_TAG_TOPK, i, id);
        dl_value(d->dl, st->probs[id]);
        char b[32];
        snprintf(b, sizeof b, "%.3f", (double)st->probs[id]);
        viz_text_right(d->dl, c->x + c->w, y + (L->f_label - L->f_small) * 0.5f, L->f_small, 0, alpha(th->dim, a * g), b);
    }
    c->y += (float)K * rh;
}

/* The output p_t: the top 5 (or 3), and the chosen token flying to its row of the matrix. */
static void dec_output(Dec *d) {
    const View *v = d->v;
    const Layout *L = &v->L;
    float u = d->u;
    float oa = v->ph >= PH_OUTPUT ? 1 : 0;
    block_label(d, ui(v, d->top < 5 ? UI_TOP3 : UI_TOP5), oa);
    float chx = 0, chy = 0;
    if (oa > 0) topk(d, oa, &chx, &chy);
    else d->c.y += (float)d->top * (d->lh + gap(d, 2));
    if (v->ph == PH_OUTPUT) {
        float f = ease(seg(v->pr, 0.6f, 1));
        if (f > 0 && f < 1) {
            float ty = L->mat_y + (float)v->t * L->row_h;
            float x = lerp(chx, L->cx0 - 30 * u, f), y = lerp(chy, ty, f);
            const char *s = tok(v, d->st->token_id);
            float p = L->f_label;
            dl_text(d->dl, x - dl_text_width(d->dl, s, p, TEXT_BOLD) / 2, y, p, TEXT_BOLD, v->th.accent, s);
            dl_tag(d->dl, VIZ_TAG_OVERLAY, 0, 0);
        }
    }
    d->c.y += gap(d, 8);
}

/* The teacher-forcing coin for step t+1: it spins, then shows its side and
 * what it decided, on up to two lines beside it. */
static void coin(Dec *d, const TraceStep *nx, float na) {
    const View *v = d->v;
    const Theme *th = &v->th;
    const Layout *L = &v->L;
    Cursor *c = &d->c;
    float u = d->u;
    float spin = seg(v->pr, 0, 0.6f);
    float r = 17 * u, cx = c->x + r, cy = c->y + r;
    float sx = spin < 1 ? fabsf(cosf(spin * 6.2832f * 2.5f)) : 1;
    Color cc = spin < 1 ? th->neutral : nx->teacher_forced ? th->good : th->warn;
    enum { N = 24 };
    for (int i = 0; i < N; i++) {
        float a0 = 6.2832f * (float)i / N, a1 = 6.2832f * (float)(i + 1) / N;
        dl_tri(d->dl, cx, cy, cx + r * sx * cosf(a0), cy + r * sinf(a0), cx + r * sx * cosf(a1), cy + r * sinf(a1), alpha(cc, na));
    }
    float lh = dl_text_height(d->dl, L->f_small);
    c->y += fmaxf(2 * r, 2 * lh);
    if (spin < 1) return;
    char b[160];
    snprintf(b, sizeof b, "u = %.2f %s p = %.2f: %s '%s'", (double)nx->coin, nx->teacher_forced ? "<" : "≥",
             (double)v->tr->teacher_forcing, ui(v, nx->teacher_forced ? UI_FEED_REF : UI_FEED_OWN), tok(v, nx->input_id));
    float tw = c->w - 2 * r - 10 * u;
    int n = viz_wrap_lines(d->dl, L, tw, L->f_small, 2, 0, b);
    viz_text_wrap(d->dl, L, c->x + 2 * r + 10 * u, cy - (float)n * lh / 2, tw, L->f_small, lh, 2, 0, th->text, b);
}

/* The next input: the end, the coin, or what step t+1 reads; and the
 * disagreement with the reference. */
static void dec_next(Dec *d) {
    const View *v = d->v;
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const TraceStep *st = d->st;
    float na = ease(seg(v->pr, 0, 0.3f));
    const TraceStep *nx = v->t + 1 < tr->T ? &tr->steps[v->t + 1] : NULL;
    char b[160];
    if (!nx) {
        block_label(d, ui(v, UI_EOS_DONE), na);
    } else if (nx->coin >= 0) {
        coin(d, nx, na);
    } else {
        snprintf(b, sizeof b, ui(v, UI_NEXT_INPUT), tok(v, nx->input_id), ui(v, nx->teacher_forced ? UI_THE_REF : UI_HOW_OWN));
        block_label(d, b, na);
    }
    if (st->reference_id >= 0 && st->reference_id != st->token_id) {
        float lh = dl_text_height(d->dl, L->f_small);
        float y = fmaxf(d->c.y, L->body_y1 - lh - 4 * d->u);
        snprintf(b, sizeof b, ui(v, UI_PRED_NE_REF), tok(v, st->token_id), tok(v, st->reference_id));
        viz_text_fit(d->dl, L, d->c.x, y, d->c.w, L->f_small, TEXT_BOLD, v->th.warn, b, FIT_END);
        d->c.y = y + lh;
    }
}

/* The blocks of the panel from the top, spaced by k. */
static float decoder_blocks(DrawList *dl, const View *v, float y0, float k, int top) {
    const Layout *L = &v->L;
    float u = L->u;
    const TraceStep *st = &v->tr->steps[v->t];
    Dec d = {.dl = dl, .v = v, .st = st, .c = {L->rx0, y0, L->rx1 - L->rx0}, .u = u, .k = k, .top = top,
             .sh = 20 * u * k, .lh = dl_text_height(dl, L->f_label),
             .in = tok(v, st->input_id),
             .how = ui(v, v->t == 0 ? UI_HOW_START : st->teacher_forced ? UI_HOW_TF : UI_HOW_OWN),
             .qa = v->ph == PH_ENCODER ? 0 : ease(seg(prog(v, PH_QUERY), 0, 0.5f))};
    if (v->ph == PH_ENCODER) { dec_start(&d); return d.c.y; }
    if (v->luong || !v->attn) dec_input_cell(&d);
    else dec_query_prev(&d);
    if (v->attn) dec_context(&d);
    if (v->attn && v->luong) dec_concat_wc(&d);
    else if (v->attn) dec_bahdanau_cell(&d);
    dec_output(&d);
    if (v->ph == PH_NEXT) dec_next(&d);
    return d.c.y;
}

/* The panel's commands from n0 on (those at its columns, x >= x0) kept
 * within [y0, y1]: rectangles cut, text and triangles outside dropped. */
static void clip_panel(DrawList *dl, int n0, float x0, float y0, float y1) {
    int o = n0;
    for (int i = n0; i < dl->n; i++) {
        DlCmd c = dl->cmds[i];
        if (c.x >= x0 && c.kind == DL_RECT) {
            float a = fmaxf(c.y, y0), b = fminf(c.y + c.h, y1);
            if (b <= a) continue;
            c.h = b - a;
            c.y = a;
        } else if (c.x >= x0 && c.kind == DL_TEXT) {
            if (c.y < y0 - 1 || c.y + c.h > y1 + 1) continue;
        } else if (c.x >= x0 && (fminf(c.y, fminf(c.y1, c.y2)) < y0 || fmaxf(c.y, fmaxf(c.y1, c.y2)) > y1)) {
            continue;
        }
        dl->cmds[o++] = c;
    }
    dl->n = o;
    dl->last = o - 1;
}

void panel_decoder(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    float u = L->u;
    dl_rect(dl, L->rx0 - 10 * u, L->body_y - 6 * u, L->rx1 - L->rx0 + 20 * u, L->body_y1 - L->body_y + 12 * u, v->th.panel);
    /* too tall for the panel (a short window, large type, a zoom): again,
     * closer together; then with the top 3 outputs instead of 5; if even
     * that does not fit, moved up so that its bottom (the phase being
     * shown) is in view, the top cut off */
    int n0 = dl->n;
    size_t c0 = dl->nchars;
    float end = decoder_blocks(dl, v, L->body_y, 1, 5), full = end - L->body_y, room = L->body_y1 - L->body_y;
    float k = fmaxf(0.5f, 1 - (full - room) / (full * 0.45f));
    bool moved = false;
    for (int pass = 0; pass < 3 && end > L->body_y1 + 1; pass++) {
        dl->n = n0;
        dl->nchars = c0;
        dl->last = n0 - 1;
        moved = pass == 2;
        end = decoder_blocks(dl, v, moved ? L->body_y - (end - L->body_y1) : L->body_y, k, pass == 0 ? 5 : 3);
    }
    if (moved) clip_panel(dl, n0, L->rx0 - 10 * u, L->body_y - 6 * u, L->body_y1 + 6 * u);
}
