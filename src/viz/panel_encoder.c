/* panel_encoder.c — the source tokens x_1 … x_S and the encoder states h̄_s
 * as vertical strips, one column per source position, with the arrows of
 * the recurrence; in the context phase each strip is recoloured to a_t(s)·h̄_s. */
#include "panel.h"

/* The recurrence between the strips of s-1 and s: one arrow per direction. */
static void recurrence_arrows(DrawList *dl, const View *v, float sx, float gap, float a) {
    const Layout *L = &v->L;
    const Trace *tr = v->tr;
    float y = L->strip_y + L->strip_h * (tr->cfg.bidirectional ? 0.35f : 0.5f);
    Color ac = alpha(v->th.dim, a * (v->ph == PH_ENCODER ? 1 : 0.45f));
    if (!tr->cfg.reverse_source)
        dl_arrow(dl, sx - gap + 1 * L->u, y, sx - 1 * L->u, y, 1.5f * L->u, fminf(6 * L->u, gap * 0.4f), ac);
    else
        dl_arrow(dl, sx - 1 * L->u, y, sx - gap + 1 * L->u, y, 1.5f * L->u, fminf(6 * L->u, gap * 0.4f), ac);
    if (tr->cfg.bidirectional) {
        y = L->strip_y + L->strip_h * 0.65f;
        dl_arrow(dl, sx - 1 * L->u, y, sx - gap + 1 * L->u, y, 1.5f * L->u, fminf(6 * L->u, gap * 0.4f), ac);
    }
}

/* The source tokens over their columns, as the layout planned (TokLabels):
 * one row; two or three staggered rows, with a leader from the upper rows
 * to the column; or as many as fit, in two rows, the highlighted one first.
 * a[s]: how far the encoder's sweep has come to token s. */
static void token_labels(DrawList *dl, const View *v, const float *a) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = tr->S > 0 ? tr->S : 1;
    float one = dl_text_height(dl, L->tok_px), px = L->tok_px;
    bool show[S];
    int row[S];
    float cx[S], w[S];
    for (int s = 0; s < tr->S; s++) {
        cx[s] = col_x(L, s) + L->cw / 2;
        w[s] = dl_text_width(dl, viz_tok_show(tr->src_tokens[s]), px, 0);
        show[s] = true;
        row[s] = s % L->tok_rows;
    }
    if (L->tok_labels == TOK_LABELS_THINNED) {   /* the two rows are two chances to fit */
        bool second[S];
        float w2[S];
        viz_thin_labels(cx, w, tr->S, v->focus, 10 * L->u, show);
        for (int s = 0; s < tr->S; s++) w2[s] = show[s] ? 0 : w[s];   /* those shown take no room below */
        viz_thin_labels(cx, w2, tr->S, -1, 10 * L->u, second);
        for (int s = 0; s < tr->S; s++) {
            row[s] = !show[s] && second[s];
            show[s] = show[s] || second[s];
        }
    }
    for (int s = 0; s < tr->S; s++) {
        if (a[s] <= 0 || !show[s]) continue;
        bool unk = tr->src_ids && tr->src_ids[s] == TOK_UNK;
        Color tc = s == v->focus ? th->accent : unk ? th->warn : th->text;
        float y = L->tok_y + (float)row[s] * one;
        const char *t = viz_tok_show(tr->src_tokens[s]);
        DlCmd *c = L->tok_labels == TOK_LABELS_THINNED ? dl_text(dl, cx[s] - w[s] / 2, y, px, 0, alpha(tc, a[s]), t)
                                                       : viz_text_center(dl, L, cx[s], y, L->tok_room, px, 0, alpha(tc, a[s]), t);
        if (c) dl_tag(dl, VIZ_TAG_SRC_TOKEN, s, 0);
        if (L->tok_rows > 1 && row[s] < L->tok_rows - 1)   /* a leader past the rows below */
            dl_rect(dl, cx[s] - 0.5f * L->u, y + one, 1 * L->u, L->tok_y + L->tok_h - y - one, alpha(th->faint, a[s]));
    }
}

void panel_encoder(DrawList *dl, const View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int S = tr->S, D = tr->D;
    /* the encoder animates at step 1 only; later steps reuse its states */
    float ep = v->t == 0 ? prog(v, PH_ENCODER) : 1;
    float lw = L->cx0 - L->lx0 - 8 * L->u;
    viz_text_fit(dl, L, L->lx0, L->tok_y, lw, L->f_label, 0, th->dim, ui(v, UI_SOURCE), FIT_END);
    /* the strips' label; in the context phase they show a_t(s) h̄_s */
    float ctx_a = v->ph == PH_CONTEXT && v->attn ? ease(seg(v->pr, 0, 0.3f)) : 0;
    viz_text_fit(dl, L, L->lx0, L->strip_y + L->strip_h / 2 - L->f_label * 0.6f, lw, L->f_label, TEXT_MATH,
                 ctx_a > 0.5f ? th->accent : th->dim, ctx_a > 0.5f ? "a_t(s) h̄_s" : "h̄_s", FIT_END);

    const float *w = v->attn ? tr->steps[v->t].weights : NULL;
    float sw = L->colw_strip, ch = L->strip_h / (float)D;
    float a[S > 0 ? S : 1];
    /* token s appears when the sweep reaches it, then its state fills in */
    for (int s = 0; s < S; s++) a[s] = ease(clamp01(ep * (float)S * 1.15f - (float)s));
    token_labels(dl, v, a);
    for (int s = 0; s < S; s++) {
        if (a[s] <= 0) continue;
        float x = col_x(L, s);
        if (tr->src_ids && tr->src_ids[s] == TOK_UNK) {   /* not in the vocabulary: read as <unk> */
            dl_rect(dl, x + 3 * L->u, L->tok_y + L->tok_h - 3 * L->u, L->cw - 6 * L->u, 3 * L->u, alpha(th->warn, a[s]));
            dl_tag(dl, VIZ_TAG_UNK_MARK, s, 0);
        }
        float sx = x + (L->cw - sw) / 2;
        const float *h = tr->enc_states + (size_t)s * D;
        float k = ctx_a > 0 ? lerp(1, w[s], ctx_a) : 1;   /* context: recolour h̄_s → a·h̄_s */
        for (int i = 0; i < D; i++) {
            dl_rect(dl, sx, L->strip_y + (float)i * ch, sw, ch + 0.01f, alpha(val_col(h[i] * k, v->st->dark), a[s]));
            dl_tag(dl, VIZ_TAG_ENC_CELL, s, i);
        }
        if (s == v->focus) dl_frame(dl, sx - 2 * L->u, L->strip_y - 2 * L->u, sw + 4 * L->u, L->strip_h + 4 * L->u, 2 * L->u, th->accent);
        else if (sw >= 6 * L->u) dl_frame(dl, sx - 1, L->strip_y - 1, sw + 2, L->strip_h + 2, 1, alpha(th->faint, a[s]));   /* near-zero states stay visible */
        /* the recurrence: an arrow from the previous state */
        float gap = L->cw - sw;
        if (s > 0 && gap >= 8 * L->u) recurrence_arrows(dl, v, sx, gap, a[s]);
    }
}
