/* train_probe.c — the probe's alignment matrix at the centre of the training screen, and the same matrix as a film-strip thumbnail.
 *
 * Columns are the source tokens, rows the output tokens the model produced
 * on these weights, cells viridis(a_t(s)) as in the decoding view. At the
 * left of each row, the reference token and the output token: the output in
 * the "good" colour when it equals the reference at that step, in the
 * "warn" colour with ≠ when not, so right and wrong do not rest on colour
 * alone. Labels that cannot be at least F_MIN big are thinned (every k-th
 * column), never shrunk below it.
 */
#include "train_panel.h"

#include <stdio.h>
#include <string.h>

TvCtx tv_ctx(float u, bool dark, const char *lang) {
    return (TvCtx){.th = viz_theme(dark), .dark = dark, .lang = lang, .u = u,
                   .f_min = TV_F_MIN * u, .f_lab = TV_F_LAB * u, .f_big = TV_F_BIG * u};
}

const char *viz_count(char *buf, size_t cap, long step) {
    char d[32];
    int n = snprintf(d, sizeof d, "%ld", step < 0 ? -step : step), o = 0;
    char out[48];
    if (step < 0) out[o++] = '-';
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) out[o++] = ',';
        out[o++] = d[i];
    }
    out[o] = 0;
    snprintf(buf, cap, "%s", out);
    return buf;
}

/* 1 right, 0 wrong, -1 no reference: output token t against the reference. */
static int verdict(const VizProbe *p, int t) {
    if (!p->ref) return -1;
    return t < p->R && strcmp(p->out[t], p->ref[t]) == 0;
}

static float tok_w(const DrawList *dl, const char *const *tok, int i, int n, float px) {
    return i >= 0 && i < n ? dl_text_width(dl, viz_tok_show(tok[i]), px, 0) : 0;
}

/* Every k-th label, k the smallest that keeps every two neighbours apart:
 * centred labels k cells apart, half of each on either side, so one wide
 * token (<eos>) among letters does not thin them all. */
static int label_every(const DrawList *dl, const char *const *tok, int n, float cell, float px) {
    for (int k = 1; k < n; k++) {
        bool fits = true;
        for (int i = 0; fits && i + k < n; i += k)
            fits = (tok_w(dl, tok, i, n, px) + tok_w(dl, tok, i + k, n, px)) / 2 + px * 0.1f <= cell * (float)k;
        if (fits) return k;
    }
    return n > 0 ? n : 1;
}

/* The room label i has: its k cells and what its neighbours leave free. */
static float label_room(const DrawList *dl, const char *const *tok, int i, int n, int k, float cell, float px) {
    float nb = fmaxf(tok_w(dl, tok, i - k, n, px), tok_w(dl, tok, i + k, n, px));
    return fmaxf(cell * (float)k, 2 * (cell * (float)k - px * 0.1f) - nb);
}

/* The reference's label at row t ("—" past its end). */
static const char *ref_label(const VizProbe *p, int t) { return t < p->R ? viz_tok_show(p->ref[t]) : "—"; }

/* The label columns' width: the widest token (reference and output). With
 * the labels thinned (a long probe), "<eos>" does not count: a row whose
 * labels do not fit is one of those left unlabelled (row_labels), so five
 * letters' width does not take the cells' room for one-letter tokens. */
static float label_width(const DrawList *dl, const TvCtx *c, const VizProbe *p, bool thinned) {
    float tokw = thinned ? 0 : dl_text_width(dl, "<eos>", c->f_lab, TEXT_BOLD);
    for (int t = 0; t < p->T; t++)
        if (!thinned || strcmp(p->out[t], "<eos>") != 0)
            tokw = fmaxf(tokw, dl_text_width(dl, viz_tok_show(p->out[t]), c->f_lab, TEXT_BOLD));
    for (int t = 0; p->ref && t < p->R; t++)
        if (!thinned || strcmp(p->ref[t], "<eos>") != 0)
            tokw = fmaxf(tokw, dl_text_width(dl, viz_tok_show(p->ref[t]), c->f_lab, 0));
    return tokw;
}

/* The reference, a ≠ where the output differs, and the output, right
 * aligned in three columns at the left of the rows (rx: the right edge):
 * every `every` rows, rows whose labels are wider than fit left out. */
static void row_labels(DrawList *dl, const TvCtx *c, const VizProbe *p, float rx, float y, float rh, float colw,
                       float markw, float px, int every, float fit) {
    float lh = dl_text_height(dl, px);
    for (int t = 0; t < p->T; t += every) {
        float ty = y + rh * ((float)t + 0.5f) - lh / 2;
        int v = verdict(p, t);
        if (dl_text_width(dl, viz_tok_show(p->out[t]), px, TEXT_BOLD) > fit + 0.01f ||
            (v >= 0 && dl_text_width(dl, ref_label(p, t), px, 0) > fit + 0.01f))
            continue;
        Color oc = v < 0 ? c->th.text : v ? c->th.good : c->th.warn;
        viz_text_right(dl, rx, ty, px, TEXT_BOLD, oc, viz_tok_show(p->out[t]));
        dl_tag(dl, TV_TAG_PROBE_ROW, t, v);
        if (v < 0) continue;
        const char *ref = ref_label(p, t);
        viz_text_right(dl, rx - colw - markw, ty, px, 0, c->th.dim, ref);
        if (!v) tv_center(dl, c, rx - colw - markw / 2, ty, markw, px, px, TEXT_BOLD, c->th.warn, "≠");
    }
}

/* The ≠ column's width. */
static float markw_of(const DrawList *dl, const TvCtx *c) {
    return dl_text_width(dl, "≠", c->f_lab, TEXT_BOLD) + 12 * c->u;
}

/* The label columns' names on the line over them, never widening them: the
 * reference's right-aligned on its column (from the block's left edge x when
 * wider), the output's on its own; where they would meet, the short names
 * ("ref.", "out"), and the output's alone when even those meet. */
static void col_names(DrawList *dl, const TvCtx *c, float x, float y, float ref_rx, float out_rx) {
    static const UiStr NAMES[3][2] = {
        {UI_TV_REF_COL, UI_TV_OUT_COL}, {UI_TV_REF_SHORT, UI_TV_OUT_COL}, {UI_TV_REF_SHORT, UI_TV_OUT_SHORT}};
    for (int k = 0; k < 3; k++) {
        const char *r = tv_str(c, NAMES[k][0]), *o = tv_str(c, NAMES[k][1]);
        float rw = dl_text_width(dl, r, c->f_min, 0), ox = out_rx - dl_text_width(dl, o, c->f_min, 0);
        float rx = fmaxf(x, ref_rx - rw);
        bool apart = rx + rw + 8 * c->u <= ox;
        if (!apart && k < 2) continue;
        if (apart) dl_text(dl, rx, y, c->f_min, 0, c->th.dim, r);
        dl_text(dl, ox, y, c->f_min, 0, c->th.dim, o);
        return;
    }
}

void tv_probe(DrawList *dl, const TvCtx *c, const VizProbe *p, const char *heading, float x, float y, float w, float h) {
    float u = c->u, lh = dl_text_height(dl, c->f_lab);
    if (heading) {
        dl_text(dl, x, y, c->f_lab, TEXT_BOLD, c->th.text, heading);
        y += lh * 1.25f, h -= lh * 1.25f;
    }
    if (p->S < 1 || p->T < 1) {
        dl_text(dl, x, y, c->f_lab, 0, c->th.dim, tv_str(c, UI_TV_NO_PROBE));
        return;
    }
    float head = lh * 1.1f + (p->ref ? lh : 0);   /* the source tokens, and the columns' names */
    float rh = fminf((h - head) / (float)p->T, 40 * u);
    int kr = 1;   /* a label every kr rows */
    while (kr < p->T && lh > rh * (float)kr * 1.05f) kr++;
    float tokw = label_width(dl, c, p, kr > 1), markw = markw_of(dl, c);
    tokw = fminf(tokw, w * 0.16f);
    if (p->ref) {   /* the columns' names do not widen them (col_names), but their short names fit */
        float need = dl_text_width(dl, tv_str(c, UI_TV_REF_SHORT), c->f_min, 0) + 8 * u +
                     dl_text_width(dl, tv_str(c, UI_TV_OUT_SHORT), c->f_min, 0);
        tokw = fmaxf(tokw, (need - markw) / 2 - 8 * u);
    }
    float colw = tokw + 8 * u;
    float lw = (p->ref ? 2 * colw + markw : colw) + 8 * u;
    float cw = fminf((w - lw) / (float)p->S, 54 * u);
    float mx = x + lw, my = y + head;
    if (p->ref) col_names(dl, c, x, y, mx - 8 * u - colw - markw, mx - 8 * u);
    /* source tokens, centred on their columns */
    int ks = label_every(dl, p->src, p->S, cw, c->f_lab);
    for (int s = 0; s < p->S; s += ks) {
        tv_center(dl, c, mx + cw * ((float)s + 0.5f), my - lh * 1.1f, label_room(dl, p->src, s, p->S, ks, cw, c->f_lab),
                        c->f_lab, c->f_lab, 0,
                        c->th.text, viz_tok_show(p->src[s]));
        dl_tag(dl, TV_TAG_PROBE_SRC, s, 0);
    }
    row_labels(dl, c, p, mx - 8 * u, my, rh, colw, markw, c->f_lab, kr, kr > 1 ? tokw : INFINITY);
    if (!p->w) {
        float bw = cw * (float)p->S, ty = my + 8 * u;
        dl_rect(dl, mx, my, bw, rh * (float)p->T, c->th.panel);
        /* the message a line ('\n') at a time, each centred in the box: none runs past it */
        for (const char *a = tv_str(c, UI_TV_NO_ATTN); *a; ty += c->f_lab * 1.3f) {
            size_t n = strcspn(a, "\n");
            char line[128];
            snprintf(line, sizeof line, "%.*s", (int)n, a);
            tv_center(dl, c, mx + bw / 2, ty, bw - 8 * u, c->f_lab, c->f_min, 0, c->th.dim, line);
            a += n + (a[n] == '\n');
        }
        return;
    }
    float gap = cw > 8 * u && rh > 8 * u ? fmaxf(1, u) : 0;
    for (int t = 0; t < p->T; t++)
        for (int s = 0; s < p->S; s++) {
            float v = p->w[(size_t)t * p->S + s];
            dl_rect(dl, mx + cw * (float)s, my + rh * (float)t, cw - gap, rh - gap, vir_col(v));
            dl_tag(dl, TV_TAG_PROBE_CELL, t, s);
            dl_value(dl, v);
        }
}

void tv_thumb(DrawList *dl, const TvCtx *c, const VizProbe *p, int i, float x, float y, float w, float h) {
    dl_rect(dl, x, y, w, h, c->th.panel);
    if (!p->w || p->S < 1 || p->T < 1) return;
    /* each matrix fills its box (square cells): an untrained model's long
     * output would otherwise shrink the trained ones to a corner */
    int max_s = p->S, max_t = p->T;
    float cw = fminf(w / (float)max_s, h / (float)max_t), rh = cw;   /* square cells */
    float ox = x + (w - cw * (float)max_s) / 2, oy = y + (h - rh * (float)max_t) / 2;
    for (int t = 0; t < p->T; t++)
        for (int s = 0; s < p->S; s++) {
            float v = p->w[(size_t)t * p->S + s];
            dl_rect(dl, ox + cw * (float)s, oy + rh * (float)t, cw + 0.01f, rh + 0.01f, vir_col(v));
            dl_tag(dl, TV_TAG_FILM_CELL, i, t * p->S + s);
            dl_value(dl, v);
        }
}
