/* panel_chrome.c — the frame around the picture: the colour legends at the
 * top right, and the bottom bar (the timeline of every phase of every step,
 * the score buttons 1–6, the title line and the teacher-forcing slider),
 * with the hit tests the mouse uses on them. */
#include "panel.h"

#include <stdio.h>

/* ---- the colour legends ---- */

float viz_legend_x0(const DrawList *dl, const Layout *L, const char *lang) {
    float u = L->u;
    float x = L->W - L->pad - 120 * u - dl_text_width(dl, "+1", L->f_small, 0) - 4 * u;
    float lx = x - dl_text_width(dl, "-1", L->f_small, 0) - 5 * u;
    return lx - 8 * u - fmaxf(dl_text_width(dl, ui_str(lang, UI_VALUES), L->f_small, 0), dl_text_width(dl, ui_str(lang, UI_WEIGHTS), L->f_small, 0));
}

enum { LEGEND_STEPS = 32 };   /* cells in each colour scale */

int viz_legend_colors(bool dark, Color *out, int cap) {
    int n = 0;
    for (int i = 0; i < LEGEND_STEPS && n + 2 <= cap; i++) {
        float t = ((float)i + 0.5f) / LEGEND_STEPS;
        out[n++] = val_col(2 * t - 1, dark);
        out[n++] = vir_col(t);
    }
    return n;
}

void panel_legend(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u;
    /* the two colour scales, at the right of the formula and numbers lines */
    float w = 120 * u, h = 10 * u, x = L->W - L->pad - w - dl_text_width(dl, "+1", L->f_small, 0) - 4 * u;
    float y1 = L->form_y + 6 * u, y2 = L->num_y + 6 * u;
    enum { N = LEGEND_STEPS };
    for (int i = 0; i < N; i++) {
        float t = ((float)i + 0.5f) / N;
        dl_rect(dl, x + w * (float)i / N, y1, w / N + 0.01f, h, val_col(2 * t - 1, v->st->dark));
        dl_rect(dl, x + w * (float)i / N, y2, w / N + 0.01f, h, vir_col(t));
    }
    float lx = x - dl_text_width(dl, "-1", L->f_small, 0) - 5 * u;
    dl_text(dl, lx, y1 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, "-1");
    viz_text_right(dl, lx - 8 * u, y1 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, ui(v, UI_VALUES));
    viz_text_right(dl, lx - 8 * u, y2 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, ui(v, UI_WEIGHTS));
    dl_text(dl, x + w + 4 * u, y1 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, "+1");
    dl_text(dl, x - dl_text_width(dl, "0", L->f_small, 0) - 5 * u, y2 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, "0");
    dl_text(dl, x + w + 4 * u, y2 + h / 2 - dl_text_height(dl, L->f_small) / 2, L->f_small, 0, th->dim, "1");
}

/* ---- the timeline ---- */

static void timeline(DrawList *dl, const View *v) {
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
            viz_text_center(dl, x + sw / 2, L->tl_y + (L->tl_h - dl_text_height(dl, L->f_small)) / 2 - 1 * u, sw - 6 * u,
                            L->f_small, 8, 0, t == v->t ? th->accent : known ? th->text : th->dim, s);
        }
    }
    dl_rect(dl, fx - 1.5f * u, L->tl_y - 4 * u, 3 * u, L->tl_h + 8 * u, th->accent);
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

/* ---- the score buttons ---- */

static const struct { ScoreKind k; const char *key, *label; } BUTTONS[] = {
    {SCORE_NONE, "1", "none"}, {SCORE_DOT, "2", "dot"}, {SCORE_GENERAL, "3", "general"},
    {SCORE_CONCAT, "4", "concat"}, {SCORE_ADDITIVE, "5", "additive"}, {SCORE_SCALED_DOT, "6", "scaled dot"}};
enum { N_BUTTONS = sizeof BUTTONS / sizeof *BUTTONS };

/* The score buttons under the timeline; returns where the row continues. */
static float toolbar(DrawList *dl, const View *v) {
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

/* ---- the teacher-forcing slider ---- */

/* The teacher-forcing p slider at the right of the bottom row, when a
 * reference exists; returns where it starts. */
static float slider(DrawList *dl, const View *v) {
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

/* ---- the bottom bar ---- */

/* The bottom of every frame: timeline, score toolbar, teacher-forcing
 * slider, and the title line (model, configuration, input) in what is left. */
void panel_bottom_bar(DrawList *dl, const View *v) {
    const VizState *st = v->st;
    const Layout *L = &v->L;
    timeline(dl, v);
    float tx = toolbar(dl, v), tx1 = slider(dl, v);
    if (st->title) {
        float p = viz_fit(dl, st->title, tx1 - tx, L->f_small, 9, 0);
        if (p > 0) dl_text(dl, tx, L->tl_y + L->tl_h + 5 * L->u, p, 0, v->th.dim, st->title);
    }
}
