/* panel_compare.c — compare mode (keys C and V): the trace's alignment
 * matrix beside another decoding of the same input (another score, or free
 * running beside teacher forced) and their difference in the diverging map,
 * with a tooltip giving both weights. It replaces the header and the body. */
#include "panel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caption.h"

/* The caption and the line under it: both score formulas, or what the rows mean. */
static void compare_header(DrawList *dl, const View *v) {
    const Trace *A = v->tr, *B = v->st->cmp;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u;
    char b[512];
    snprintf(b, sizeof b, "%s", v->st->cmp_what ? v->st->cmp_what : ui(v, UI_CMP_DEFAULT));
    DlCmd *c = dl_text(dl, L->pad, L->cap_y, L->f_cap, TEXT_BOLD, th->accent, ui(v, UI_CMP));
    if (c) dl_tag(dl, VIZ_TAG_CAPTION, -1, 0);
    float x = L->pad + (c ? c->w : 0) + 14 * u;
    viz_text_fit(dl, L, x, L->cap_y + (L->f_cap - L->f_form) * 0.75f, L->W - L->pad - x, L->f_form, TEXT_MATH, th->text, b,
                 FIT_END);
    if (A->cfg.score != B->cfg.score) {
        char fa[200], fb[200];
        viz_score_formula(A, v->st->lang, fa, sizeof fa);
        viz_score_formula(B, v->st->lang, fb, sizeof fb);
        const char *ea = strstr(fa, ") = "), *eb = strstr(fb, ") = ");
        snprintf(b, sizeof b, "%s: %.150s      %s: %.150s", score_name(A->cfg.score), ea ? ea + 4 : fa,
                 score_name(B->cfg.score), eb ? eb + 4 : fb);
    } else {
        snprintf(b, sizeof b, "%s", ui(v, UI_CMP_ROWS));
    }
    float w = viz_legend_x0(dl, L, v->st->lang) - 16 * u - L->pad;
    viz_text_wrap(dl, L, L->pad, L->form_y, w, L->f_label, dl_text_height(dl, L->f_label), 2, TEXT_MATH, th->text, b);
}

/* The geometry of the three matrices. */
typedef struct {
    int S, T;
    float lw, gap, pw, cw, top, y0, rh;
    float lp;                 /* row labels' size; every k-th row when rows are thin */
    int every;
    const char *names[3];     /* this, the other, the difference */
} Cmp;

/* Row r's label in matrix k: each side's prediction, and where it differs
 * from the reference "prediction ≠ reference" in the warning colour (a
 * symbol as well as a colour); in the difference, ≠ where the two
 * predictions differ. */
static void compare_row_label(DrawList *dl, const View *v, const Cmp *g, int k, int r, float px, float y) {
    const Trace *A = v->tr, *B = v->st->cmp, *R = k == 1 ? B : A;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u, rh = g->rh, lw = g->lw;
    float lp = g->lp, ty = y + (rh - 1 * u) / 2 - dl_text_height(dl, lp) / 2;
    if (k < 2 && r < R->T) {
        const TraceStep *st = &R->steps[r];
        bool wrong = st->reference_id >= 0 && st->reference_id != st->token_id;
        char b[512];
        int n = snprintf(b, sizeof b, "%s", viz_tok_show(trace_token(R, st->token_id)));
        if (wrong) snprintf(b + n, sizeof b - (size_t)n, " ≠ %s", viz_tok_show(trace_token(R, st->reference_id)));
        char sb[512];
        int f = wrong ? TEXT_BOLD : 0;
        if (viz_text_right_cmd(dl, px - 8 * u, ty, lp, f, wrong ? th->warn : th->text,
                               viz_shorten(dl, b, lw - 14 * u, lp, f, FIT_MIDDLE, sb, sizeof sb)))
            dl_tag(dl, VIZ_TAG_ROW_REF, r, !wrong);
    } else if (k == 2 && r < A->T && r < B->T && A->steps[r].token_id != B->steps[r].token_id) {
        viz_text_right(dl, px - 8 * u, ty, lp, TEXT_BOLD, th->warn, "≠");
    }
}

/* Matrix k (0 this, 1 the other, 2 the difference), its title and tokens. */
static void compare_matrix(DrawList *dl, const View *v, const Cmp *g, int k) {
    const Trace *A = v->tr, *B = v->st->cmp;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u, cw = g->cw, rh = g->rh;
    int S = g->S, t = v->t;
    char b[512];
    float px = L->pad + (float)k * (g->lw + g->pw + g->gap) + g->lw;
    if (k == 2) snprintf(b, sizeof b, "%s - %s", g->names[0], g->names[1]);
    else snprintf(b, sizeof b, "%s", g->names[k]);
    viz_text_fit(dl, L, px, g->top, g->pw, L->f_label, TEXT_BOLD, k == 2 ? th->text : th->accent, b, FIT_END);
    /* source tokens over the columns: as many as fit, the highlighted one first */
    float cx[S > 0 ? S : 1], tw[S > 0 ? S : 1];
    bool show[S > 0 ? S : 1];
    float tp = L->f_small, ty = g->top + dl_text_height(dl, L->f_label) + 4 * u;
    for (int s = 0; s < S; s++) {
        cx[s] = px + ((float)s + 0.5f) * cw;
        tw[s] = dl_text_width(dl, viz_tok_show(A->src_tokens[s]), tp, 0);
    }
    viz_thin_labels(cx, tw, S, v->focus, 6 * u, show);
    for (int s = 0; s < S; s++)
        if (show[s])
            viz_text_center(dl, L, cx[s], ty, g->pw, tp, 0, s == v->focus ? th->accent : th->text,
                            viz_tok_show(A->src_tokens[s]));
    /* the whole decoding, every row: compare is about the two matrices, not
     * one step (the current step stays framed) */
    for (int r = 0; r < g->T; r++) {
        float y = g->y0 + (float)r * rh;
        const Trace *R = k == 1 ? B : A;
        bool has = k == 2 ? r < A->T && r < B->T : r < R->T;
        float shown = 1;
        for (int s = 0; s < S; s++) {
            float cx = px + (float)s * cw;
            if (!has || shown <= 0 || !A->steps[0].weights || !B->steps[0].weights) {
                dl_rect(dl, cx, y, cw - (cw > 8 * u ? 1 * u : 0), rh - 1 * u, th->panel);
                continue;
            }
            float wa = r < A->T ? A->steps[r].weights[s] : 0, wb = r < B->T ? B->steps[r].weights[s] : 0;
            Color col = k == 0 ? vir_col(wa) : k == 1 ? vir_col(wb) : val_col(wa - wb, v->st->dark);
            dl_rect(dl, cx, y, cw - (cw > 8 * u ? 1 * u : 0), rh - 1 * u, alpha(col, shown));
            dl_tag(dl, k == 0 ? VIZ_TAG_ALIGN_CELL : k == 1 ? VIZ_TAG_CMP_CELL : VIZ_TAG_DIFF_CELL, r, s);
        }
        if (r == t) dl_frame(dl, px - 2 * u, y - 2 * u, g->pw + 3 * u, rh + 3 * u, 2 * u, th->text);
        if (r == t || (r % g->every == 0 && abs(r - t) >= g->every)) compare_row_label(dl, v, g, k, r, px, y);
    }
}

/* Hover: both weights of the cell under the mouse and their difference. */
static void compare_hover(DrawList *dl, const View *v, const Cmp *g) {
    const Trace *A = v->tr, *B = v->st->cmp;
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
        const char *const *names = g->names;
        bool ha = r < A->T && A->steps[r].weights, hb = r < B->T && B->steps[r].weights;
        float wa = ha ? A->steps[r].weights[s] : 0, wb = hb ? B->steps[r].weights[s] : 0;
        snprintf(l[0], 160, ui(v, UI_CMP_TIP_STEP), r + 1, viz_tok_show(A->src_tokens[s]));
        snprintf(l[1], 160, "%s %s   %s %s", names[0], ha ? "" : "-", names[1], hb ? "" : "-");
        if (ha && hb) snprintf(l[1], 160, "%s %.4f   %s %.4f", names[0], (double)wa, names[1], (double)wb);
        else if (ha) snprintf(l[1], 160, "%s %.4f   %s: %s", names[0], (double)wa, names[1], ui(v, UI_CMP_NO_STEP));
        else if (hb) snprintf(l[1], 160, "%s: %s   %s %.4f", names[0], ui(v, UI_CMP_NO_STEP), names[1], (double)wb);
        if (ha && hb) snprintf(l[2], 160, ui(v, UI_CMP_DIFF_NUM), (double)(wa - wb));
        else snprintf(l[2], 160, "%s", ui(v, UI_CMP_NO_DIFF));
        dl_begin_overlay(dl);
        panel_tooltip(dl, v, lines, 3);
        break;
    }
}

void panel_compare(DrawList *dl, const View *v) {
    const Trace *A = v->tr, *B = v->st->cmp;
    const Layout *L = &v->L;
    float u = L->u;
    compare_header(dl, v);
    Cmp g = {.S = A->S, .T = A->T > B->T ? A->T : B->T, .gap = 26 * u};
    /* the row labels' column: the widest prediction of either side, with a
     * reference as wide as "prediction ≠ reference" */
    for (int k = 0; k < 2; k++) {
        const Trace *R = k ? B : A;
        for (int r = 0; r < R->T; r++) {
            char b[512];
            const TraceStep *st = &R->steps[r];
            int n = snprintf(b, sizeof b, "%s", viz_tok_show(trace_token(R, st->token_id)));
            if (st->reference_id >= 0 && st->reference_id != st->token_id)
                snprintf(b + n, sizeof b - (size_t)n, " ≠ %s", viz_tok_show(trace_token(R, st->reference_id)));
            g.lw = fmaxf(g.lw, dl_text_width(dl, b, L->f_label, TEXT_BOLD));
        }
    }
    g.lw = fminf(fmaxf(g.lw + 16 * u, 50 * u), L->W * (A->has_reference ? 0.15f : 0.1f));
    g.pw = (L->W - 2 * L->pad - 3 * g.lw - 2 * g.gap) / 3;
    g.cw = g.pw / (float)g.S;
    g.top = L->body_y + 6 * u;
    g.y0 = g.top + dl_text_height(dl, L->f_label) + dl_text_height(dl, L->f_small) + 12 * u;
    /* the rows fill the height down to the timeline (three matrices across
     * leave each column narrow): up to 96 units, or 1.2 columns when wider */
    g.rh = fminf((L->body_y1 - g.y0) / (float)g.T, fmaxf(96 * u, g.cw * 1.2f));
    g.lp = fminf(fmaxf(floorf(g.rh * 0.8f), L->fmin), L->f_label);
    g.every = (int)ceilf(dl_text_height(dl, g.lp) * 0.95f / g.rh);
    if (g.every < 1) g.every = 1;
    g.names[0] = v->st->cmp_name[0] ? v->st->cmp_name[0] : ui(v, UI_CMP_THIS);
    g.names[1] = v->st->cmp_name[1] ? v->st->cmp_name[1] : ui(v, UI_CMP_OTHER);
    g.names[2] = ui(v, UI_CMP_DIFF);
    for (int k = 0; k < 3; k++) compare_matrix(dl, v, &g, k);
    compare_hover(dl, v, &g);
}
