/* panel_chrome.c — the frame around the picture: the colour legends at the
 * top right, and the bottom bar (the timeline of every phase of every step,
 * the score buttons 1–6, the title line and the teacher-forcing slider),
 * with the hit tests the mouse uses on them. */
#include "panel.h"

#include <stdio.h>
#include <string.h>

/* ---- the colour legends ---- */

/* The legends' geometry: the bars' left edge x and width w, the labels' size. */
static void legend_geom(const DrawList *dl, const Layout *L, float *x, float *w) {
    *w = 120 * L->u;
    *x = L->W - L->pad - *w - dl_text_width(dl, "+1", L->f_small, 0) - 4 * L->u;
}

float viz_legend_x0(const DrawList *dl, const Layout *L, const char *lang) {
    float x, w;
    legend_geom(dl, L, &x, &w);
    float lx = x - dl_text_width(dl, "-1", L->f_small, 0) - 5 * L->u;
    return lx - 8 * L->u - fmaxf(dl_text_width(dl, ui_str(lang, UI_VALUES), L->f_small, 0), dl_text_width(dl, ui_str(lang, UI_WEIGHTS), L->f_small, 0));
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
    float u = L->u, x, w, h = 12 * u, p = L->f_small, th_px = dl_text_height(dl, p);
    legend_geom(dl, L, &x, &w);
    /* the two colour scales, at the right of the formula and numbers lines, centred on them (a formula in two
     * lines: beside those) */
    float ny = L->num_y - (float)(L->form_lines - 1) * (dl_text_height(dl, L->f_form) + 2 * u);
    float y1 = L->form_y + dl_text_height(dl, L->f_form) / 2 - h / 2, y2 = ny + dl_text_height(dl, L->f_label) / 2 - h / 2;
    enum { N = LEGEND_STEPS };
    for (int i = 0; i < N; i++) {
        float t = ((float)i + 0.5f) / N;
        dl_rect(dl, x + w * (float)i / N, y1, w / N + 0.01f, h, val_col(2 * t - 1, v->st->dark));
        dl_rect(dl, x + w * (float)i / N, y2, w / N + 0.01f, h, vir_col(t));
    }
    float ty1 = y1 + h / 2 - th_px / 2, ty2 = y2 + h / 2 - th_px / 2;
    float lx = x - dl_text_width(dl, "-1", p, 0) - 5 * u;
    dl_text(dl, lx, ty1, p, 0, th->dim, "-1");
    viz_text_right(dl, lx - 8 * u, ty1, p, 0, th->dim, ui(v, UI_VALUES));
    viz_text_right(dl, lx - 8 * u, ty2, p, 0, th->dim, ui(v, UI_WEIGHTS));
    dl_text(dl, x + w + 4 * u, ty1, p, 0, th->dim, "+1");
    dl_text(dl, x - dl_text_width(dl, "0", p, 0) - 5 * u, ty2, p, 0, th->dim, "0");
    dl_text(dl, x + w + 4 * u, ty2, p, 0, th->dim, "1");
}

/* ---- the timeline ---- */

/* The timeline shows only the phases the model has (a model without
 * attention: four a step), each as wide as the others: τ ↔ [0, 1]. */
/* Phases a step shows with nph phases per step (the backward ones all), and
 * the place of ph among them. */
static int shown_n(const Trace *tr, int nph) { return viz_phases_shown(tr) + (nph - PH_COUNT); }
static int shown_rank(const Trace *tr, int ph) {
    return ph < PH_COUNT ? viz_phase_rank(tr, ph) : viz_phases_shown(tr) + (ph - PH_COUNT);
}

static double timeline_frac(const Trace *tr, int nph, double tau) {
    int t, ph, n = shown_n(tr, nph), T = tr->T > 0 ? tr->T : 1;
    float pr;
    viz_clock_n(tr, nph, viz_tau_shown_n(tr, nph, tau), &t, &ph, &pr);
    return ((double)t + ((double)shown_rank(tr, ph) + pr) / n) / T;
}

static double timeline_tau(const Trace *tr, int nph, double frac) {
    int n = shown_n(tr, nph), T = tr->T > 0 ? tr->T : 1;
    double x = frac * T;
    int t = (int)floor(x);
    if (t >= T) return viz_tau_end_n(tr, nph) - 1e-6;
    double in = (x - t) * n;
    int r = (int)floor(in), ph = 0;
    for (int k = 0; ph < nph; ph++)   /* the r-th shown phase */
        if ((ph >= PH_COUNT || viz_phase_shown(tr, ph)) && k++ == r) break;
    return (double)t * nph + ph + (in - r);
}

/* The timeline's labels: each step's output token once it is known, else
 * its number; in two staggered rows when the layout says so; when they do
 * not all fit even then, the current step's and as many others as fit
 * between (viz_thin_labels). */
static void timeline_labels(DrawList *dl, const View *v, float sw) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    int T = tr->T > 0 ? tr->T : 1, rows = L->tl_rows;
    float p = L->f_small, lh = dl_text_height(dl, p), y = L->tl_y + (L->tl_h - (float)rows * lh) / 2;
    char num[T][16];
    const char *lab[T];
    float cx[T], w[T], room = (float)rows * sw - (rows > 1 ? 4 : 2) * L->u;
    bool known[T], show[T];
    int wide = 0;
    for (int t = 0; t < tr->T; t++) {
        known[t] = t < v->t || (t == v->t && prog(v, PH_OUTPUT) >= 0.6f);
        snprintf(num[t], sizeof num[t], "%d", t + 1);
        lab[t] = known[t] ? tok(v, tr->steps[t].token_id) : num[t];
        cx[t] = L->tl_x + ((float)t + 0.5f) * sw;
        w[t] = dl_text_width(dl, lab[t], p, 0);
        wide += w[t] > room;
    }
    bool all = wide == 0 || (rows > 1 && wide <= 1 + tr->T / 20);
    if (all) {   /* a wide one (<eos>) takes its room from its row's neighbours */
        for (int t = 0; t < tr->T; t++) show[t] = true;
        for (int t = 0; t < tr->T; t++) {
            if (w[t] <= room) continue;
            cx[t] = fminf(fmaxf(cx[t], L->tl_x + w[t] / 2), L->tl_x + L->tl_w - w[t] / 2);
            for (int k = t % rows; k < tr->T; k += rows) {
                if (k == t || !show[t] || fabsf(cx[k] - cx[t]) >= (w[k] + w[t]) / 2 + 4 * L->u) continue;
                if (k == v->t) show[t] = false;   /* the current step's label stays */
                else show[k] = false;
            }
        }
    } else {   /* one row, thinned */
        rows = 1;
        y = L->tl_y + (L->tl_h - lh) / 2;
        for (int t = 0; t < tr->T; t++) w[t] = fminf(w[t], 8 * sw);   /* a long token: shortened below */
        viz_thin_labels(cx, w, tr->T, v->t, 8 * L->u, show);
    }
    for (int t = 0; t < tr->T; t++) {
        if (!show[t]) continue;
        Color c = t == v->t ? th->accent : known[t] ? th->text : th->dim;
        viz_text_center(dl, L, cx[t], y + (float)(t % rows) * lh, all ? fmaxf(room, w[t] + 1) : w[t] + 1, p, 0, c, lab[t]);
    }
}

static void timeline(DrawList *dl, const View *v) {
    const Trace *tr = v->tr;
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const VizState *st = v->st;
    float u = L->u;
    char b[64];
    if (L->chrome) {
        snprintf(b, sizeof b, "%s  %.2gx", ui(v, st->playing ? UI_PLAYING : UI_PAUSED), (double)st->speed);
        dl_text(dl, L->pad, L->tl_y + (L->tl_h - dl_text_height(dl, L->f_small)) / 2, L->f_small, 0, th->dim, b);
    }
    dl_rect(dl, L->tl_x, L->tl_y, L->tl_w, L->tl_h, th->panel);
    dl_tag(dl, VIZ_TAG_TIMELINE, 0, v->nph);   /* b: phases per step, for viz_timeline_hit */
    float fx = L->tl_x + L->tl_w * (float)timeline_frac(tr, v->nph, fmin(st->tau, viz_tau_end_n(tr, v->nph)));
    int n = shown_n(tr, v->nph);
    dl_rect(dl, L->tl_x, L->tl_y, fx - L->tl_x, L->tl_h, th->grid);
    int T = tr->T, nph = v->nph;
    float sw = L->tl_w / (float)T;
    for (int t = 0; t < T; t++) {
        float x = L->tl_x + (float)t * sw;
        if (nph > PH_COUNT) {   /* the step's backward phases: tinted in the gradient's colours */
            float bx = x + sw * (float)viz_phases_shown(tr) / (float)n, bw = sw - (bx - x);
            dl_rect(dl, bx, L->tl_y, bw, L->tl_h, alpha(grad_col(-0.8f, st->dark), bx + bw <= fx ? 0.45f : 0.25f));
            dl_rect(dl, bx, L->tl_y + L->tl_h - 4 * u, bw, 4 * u, grad_col(-0.8f, st->dark));
        }
        if (t > 0) dl_rect(dl, x - 1 * u, L->tl_y, 2 * u, L->tl_h, th->dim);
        if (sw >= 40 * u)
            for (int p = 1; p < n; p++)
                dl_rect(dl, x + sw * (float)p / (float)n, L->tl_y + L->tl_h * 0.7f, 1 * u, L->tl_h * 0.3f, th->faint);
    }
    timeline_labels(dl, v, sw);
    dl_rect(dl, fx - 1.5f * u, L->tl_y - 4 * u, 3 * u, L->tl_h + 8 * u, th->accent);
}

double viz_timeline_hit(const DrawList *dl, const Trace *tr, float x, float y) {
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->tag != VIZ_TAG_TIMELINE || c->kind != DL_RECT) continue;
        if (x < c->x || x > c->x + c->w || y < c->y - 6 || y > c->y + c->h + 6) return -1;
        int nph = c->b > 0 ? c->b : PH_COUNT;
        double frac = fmin(fmax((double)((x - c->x) / c->w), 0), 1);
        return fmin(timeline_tau(tr, nph, frac), viz_tau_end_n(tr, nph) - 1e-6);
    }
    return -1;
}

/* ---- the score buttons ---- */

static const struct { ScoreKind k; const char *key, *label; } BUTTONS[] = {
    {SCORE_NONE, "1", "none"}, {SCORE_DOT, "2", "dot"}, {SCORE_GENERAL, "3", "general"},
    {SCORE_CONCAT, "4", "concat"}, {SCORE_ADDITIVE, "5", "additive"}, {SCORE_SCALED_DOT, "6", "scaled dot"}};
enum { N_BUTTONS = sizeof BUTTONS / sizeof *BUTTONS };

/* Button i's text: "2 dot", or only "2" when short (the current one keeps its name). */
static void button_text(char *b, size_t n, int i, bool short_) {
    if (short_) snprintf(b, n, "%s", BUTTONS[i].key);
    else snprintf(b, n, "%s %s", BUTTONS[i].key, BUTTONS[i].label);
}

/* The score buttons under the timeline, drawn when draw is set; returns
 * where the row continues. short_: the other buttons show only their key. */
static float toolbar(DrawList *dl, const View *v, bool short_, bool draw) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    float u = L->u, x = L->pad, y = L->bar2_y, h = L->bar2_h, p = L->f_small;
    if (!v->st->score_avail) return L->pad;
    char b[48];
    for (int i = 0; i < N_BUTTONS; i++) {
        ScoreKind k = BUTTONS[i].k;
        bool on = v->st->score_avail >> k & 1, cur = v->tr->cfg.score == k;
        if (k == SCORE_SCALED_DOT && !on) continue;   /* only where such a model exists */
        button_text(b, sizeof b, i, short_ && !cur);
        float w = dl_text_width(dl, b, p, cur ? TEXT_BOLD : 0) + 14 * u;
        if (draw) {
            dl_rect(dl, x, y, w, h, cur ? th->accent : on ? th->grid : th->panel);
            dl_tag(dl, VIZ_TAG_SCORE_BUTTON, k, on);
            dl_text(dl, x + 7 * u, y + (h - dl_text_height(dl, p)) / 2, p, cur ? TEXT_BOLD : 0,
                    cur ? th->bg : on ? th->text : th->faint, b);
        }
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
    float w = 110 * u, h = 8 * u, y = L->bar2_y + (L->bar2_h - h) / 2, p = L->f_small;
    float ty = L->bar2_y + (L->bar2_h - dl_text_height(dl, p)) / 2;
    char b[48];
    snprintf(b, sizeof b, "%.2f", (double)st->tf_p);
    float nw = dl_text_width(dl, "0.00", p, 0) + 6 * u, x = x1 - nw - w;
    dl_text(dl, x + w + 6 * u, ty, p, 0, st->tf_on ? th->text : th->faint, b);
    dl_rect(dl, x, y, w, h, th->grid);
    dl_tag(dl, VIZ_TAG_TF_SLIDER, 0, 0);
    dl_rect(dl, x, y, w * st->tf_p, h, st->tf_on ? th->good : th->faint);
    dl_rect(dl, x + w * st->tf_p - 2 * u, y - 5 * u, 4 * u, h + 10 * u, st->tf_on ? th->text : th->faint);
    const char *lab = ui(v, st->tf_on ? UI_TF_P : UI_TF_OFF);
    float lw = dl_text_width(dl, lab, p, 0);
    dl_text(dl, x - lw - 10 * u, ty, p, 0, th->dim, lab);
    return x - lw - 20 * u;
}

/* ---- the bottom bar ---- */

/* ---- the title line ---- */

/* The title's pieces, split at "  ·  ": the model, its configuration, the
 * input "…", the reference "…" (session.c writes it so). */
enum { TITLE_PIECES = 8, PIECE_LEN = 1100 };
typedef struct {
    char s[TITLE_PIECES][PIECE_LEN];
    int n;
} Title;

static const char SEP[] = "  ·  ";

static void title_split(const char *t, Title *T) {
    T->n = 0;
    while (T->n < TITLE_PIECES) {
        const char *e = strstr(t, SEP);
        int len = e && T->n < TITLE_PIECES - 1 ? (int)(e - t) : (int)strlen(t);
        snprintf(T->s[T->n++], PIECE_LEN, "%.*s", len, t);
        if (!e || T->n == TITLE_PIECES) break;
        t = e + strlen(SEP);
    }
}

/* The pieces kept (bit i) joined, with every quoted part shortened in its
 * middle to at most qw units at px (0: whole). */
static void title_join(const DrawList *dl, const Title *T, unsigned keep, float qw, float px, char *out, size_t cap) {
    size_t o = 0;
    out[0] = 0;
    for (int i = 0; i < T->n && o < cap; i++) {
        if (!(keep >> i & 1)) continue;
        const char *p = T->s[i], *q0 = strchr(p, '"'), *q1 = q0 ? strrchr(p, '"') : NULL;
        char inner[PIECE_LEN], sh[PIECE_LEN];
        const char *piece = p;
        char built[PIECE_LEN + 8];
        if (qw > 0 && q0 && q1 > q0) {   /* prefix "inner" */
            snprintf(inner, sizeof inner, "%.*s", (int)(q1 - q0 - 1), q0 + 1);
            snprintf(built, sizeof built, "%.*s\"%s\"", (int)(q0 - p), p, viz_shorten(dl, inner, qw, px, 0, FIT_MIDDLE, sh, sizeof sh));
            piece = built;
        }
        o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? SEP : "", piece);
    }
}

/* What the title line needs at least to be read: the model and the quotes,
 * each quote 100 design units. */
static float title_need(const DrawList *dl, const View *v) {
    Title T;
    title_split(v->st->title, &T);
    unsigned lean = 1;
    for (int i = 1; i < T.n; i++)
        if (strchr(T.s[i], '"')) lean |= 1u << i;
    char buf[2600];
    title_join(dl, &T, lean, 100 * v->L.u, v->L.f_small, buf, sizeof buf);
    return dl_text_width(dl, buf, v->L.f_small, 0);
}

/* The title line in w: when too long, its quoted parts (the input, the
 * reference) lose their middles first, so both ends of every quote stay;
 * then the configuration goes (the model and the quotes stay), and the
 * quotes get shorter still; then the quotes after the first (the
 * reference) go; only then is the line's end cut. */
static void title_line(DrawList *dl, const View *v, float x, float y, float w) {
    const Layout *L = &v->L;
    float px = L->f_small;
    Title T;
    title_split(v->st->title, &T);
    char buf[2600];
    unsigned all = (1u << T.n) - 1, lean = 1, first = 1;   /* lean: the model and the quoted pieces; first: and the first */
    for (int i = 1; i < T.n; i++)
        if (strchr(T.s[i], '"')) {
            lean |= 1u << i;
            if (first == 1) first |= 1u << i;
        }
    /* quotes at most this wide (design units; 0: whole), with the configuration, then without */
    static const float QW_ALL[] = {0, 480, 360, 260}, QW_LEAN[] = {260, 200, 160, 130, 100, 80, 60, 40};
    const unsigned KEEP[3] = {all, lean, first};
    for (int keep = 0; keep < 3; keep++) {
        const float *qw = keep ? QW_LEAN : QW_ALL;
        int n = keep ? (int)(sizeof QW_LEAN / sizeof *QW_LEAN) : (int)(sizeof QW_ALL / sizeof *QW_ALL);
        for (int q = 0; q < n - (keep == 1 ? 3 : 0); q++) {   /* a reference goes before the input is under 100 */
            title_join(dl, &T, KEEP[keep], qw[q] * L->u, px, buf, sizeof buf);
            if (dl_text_width(dl, buf, px, 0) <= w) {
                if (dl_text(dl, x, y, px, 0, v->th.dim, buf)) dl_tag(dl, VIZ_TAG_TITLE, 0, 0);   /* a click: the editor */
                return;
            }
        }
    }
    if (viz_text_fit(dl, L, x, y, w, px, 0, v->th.dim, buf, FIT_END)) dl_tag(dl, VIZ_TAG_TITLE, 0, 0);
}

/* The bottom of every frame: timeline, score toolbar, teacher-forcing
 * slider, and the title line (model, configuration, input) in what is left.
 * Presenting, the timeline alone. */
void panel_bottom_bar(DrawList *dl, const View *v) {
    const VizState *st = v->st;
    const Layout *L = &v->L;
    timeline(dl, v);
    if (!L->chrome) return;
    /* the buttons show only their keys when their names would take more
     * than half the row or leave the title line too little room */
    float tx1 = slider(dl, v), full = toolbar(dl, v, false, false);
    bool short_ = full - L->pad > (L->W - 2 * L->pad) * 0.5f || (st->title && tx1 - full < title_need(dl, v));
    float tx = toolbar(dl, v, short_, true), ty = L->bar2_y + (L->bar2_h - dl_text_height(dl, L->f_small)) / 2;
    if (st->status && tx1 - tx > 40 * L->u) {   /* e.g. where E wrote: the folder's start and the file's name stay */
        if (viz_text_fit(dl, L, tx, ty, tx1 - tx, L->f_small, 0, v->th.good, st->status, FIT_MIDDLE))
            dl_tag(dl, VIZ_TAG_STATUS, 0, 0);
    } else if (st->title && tx1 - tx > 40 * L->u) {
        title_line(dl, v, tx, ty, tx1 - tx);
    }
}
