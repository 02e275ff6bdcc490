/* narration_table.c — a lesson table in the narration panel: a grid whose columns fit their content, each cell wrapped at spaces inside its column, the header row bold on a shade.
 *
 * Column widths: each column's natural width is its widest cell on one
 * line, its minimum the widest word in it (a Korean word stays whole).
 * When the natural widths fit the panel they are used; otherwise every
 * column gets its minimum and the room left is shared in proportion to how
 * much each would still like; only when even the minimums do not fit are
 * the columns shrunk in proportion and long words cut between characters.
 * Every width is measured on the strings that will be drawn, with the
 * draw list's TextMeasure, as the rest of the panel is.
 */
#include "narration_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A table's text is this much smaller than the narration's: three columns
 * of "attention" fit a 420-unit panel at 22 px (the app's 1280×720), and
 * 22 px × 0.85 ≈ 18.7 px stays above the 16 px a class reads from the back. */
static const float TABLE_SCALE = 0.85f;

/* The runs of every cell, one array; cell i has runs [first[i], first[i+1]). */
typedef struct {
    Run *runs;
    char **owned;             /* math rewritten for the renderer, to free    */
    int *first;
    int n;
} Cells;

static bool cells_build(Cells *c, const LessonBlock *b, const Theme *th) {
    int ncell = b->n_rows * b->n_cols, total = 0;
    for (int i = 0; i < ncell; i++) total += b->cells[i].n_spans;
    c->runs = malloc(((size_t)total + 1) * sizeof *c->runs);
    c->owned = calloc((size_t)total + 1, sizeof *c->owned);
    c->first = malloc(((size_t)ncell + 1) * sizeof *c->first);
    c->n = total;
    if (!c->runs || !c->owned || !c->first) return false;
    int k = 0;
    for (int i = 0; i < ncell; i++) {
        c->first[i] = k;
        const LessonCell *cell = &b->cells[i];
        for (int j = 0; j < cell->n_spans; j++, k++) {
            c->runs[k] = narr_span_run(&cell->spans[j], th);
            if (i < b->n_cols) c->runs[k].flags |= TEXT_BOLD;   /* the header row */
            if (c->runs[k].flags & TEXT_MATH) c->owned[k] = narr_math_subst(c->runs[k].s);
            if (c->owned[k]) c->runs[k].s = c->owned[k];
        }
    }
    c->first[ncell] = k;
    return true;
}

static void cells_free(Cells *c) {
    for (int i = 0; c->owned && i < c->n; i++) free(c->owned[i]);
    free(c->runs); free(c->owned); free(c->first);
}

/* A cell's width on one line (spaces collapsed to one, as wrapping does)
 * and its widest word: a run of non-spaces, which may cross runs. */
static void measure_cell(const DrawList *dl, const Run *runs, int n, float px, float *natural, float *widest) {
    float word = 0, nat = 0, wide = 0, space = dl_text_width(dl, " ", px, 0);
    int words = 0;
    bool in_word = false;
    char buf[256];
    for (int r = 0; r < n; r++) {
        const char *s = runs[r].s;
        for (size_t i = 0; s[i];) {
            if (narr_is_space(s[i])) {
                if (in_word) { nat += word; wide = fmaxf(wide, word); word = 0; in_word = false; }
                i++;
                continue;
            }
            size_t j = i;
            while (s[j] && !narr_is_space(s[j])) j++;
            /* measure the piece; a piece longer than buf is measured in parts */
            for (size_t a = i; a < j;) {
                size_t m = j - a < sizeof buf - 1 ? j - a : sizeof buf - 1;
                memcpy(buf, s + a, m);
                buf[m] = '\0';
                word += dl_text_width(dl, buf, px, runs[r].flags);
                a += m;
            }
            if (!in_word) { words++; in_word = true; }
            i = j;
        }
    }
    if (in_word) { nat += word; wide = fmaxf(wide, word); }
    *natural = nat + (words > 1 ? (float)(words - 1) * space : 0);
    *widest = wide;
}

/* Column widths (cell padding included) for a table in inner_w. */
static void column_widths(const DrawList *dl, const LessonBlock *b, const Cells *c, float px, float pad, float inner_w,
                          float *w) {
    float nat[LESSON_MAX_COLS] = {0}, min[LESSON_MAX_COLS] = {0}, sum_nat = 0, sum_min = 0;
    for (int col = 0; col < b->n_cols; col++) {
        for (int row = 0; row < b->n_rows; row++) {
            int i = row * b->n_cols + col;
            float n, m;
            measure_cell(dl, c->runs + c->first[i], c->first[i + 1] - c->first[i], px, &n, &m);
            nat[col] = fmaxf(nat[col], n);
            min[col] = fmaxf(min[col], m);
        }
        nat[col] += 2 * pad + 1;     /* + 1: measuring and drawing may round apart */
        min[col] += 2 * pad + 1;
        sum_nat += nat[col];
        sum_min += min[col];
    }
    for (int col = 0; col < b->n_cols; col++) {
        if (sum_nat <= inner_w) w[col] = nat[col];
        else if (sum_min <= inner_w)
            w[col] = min[col] + (inner_w - sum_min) * (nat[col] - min[col]) / fmaxf(sum_nat - sum_min, 1e-6f);
        else w[col] = min[col] * inner_w / sum_min;
    }
}

/* A horizontal or vertical rule, clipped to the pen's visible band. */
static void rule(const Pen *pen, float x, float y, float w, float h, Color color, int bi) {
    float y0 = fmaxf(y, pen->clip_top), y1 = fminf(y + h, pen->clip_bot);
    if (y1 <= y0) return;
    dl_rect(pen->dl, x, y0, w, y1 - y0, color);
    dl_tag(pen->dl, LV_TAG_NARR_GRID, bi, 0);
}

void narr_layout_table(DrawList *dl, Line *l, Pen *pen, const LessonBlock *b, int bi, const Theme *th, float inner_x,
                       float inner_w, float px) {
    Cells c = {0};
    if (b->n_cols < 1 || b->n_cols > LESSON_MAX_COLS || !cells_build(&c, b, th)) {
        if (b->n_cols >= 1) dl->oom = true;
        cells_free(&c);
        return;
    }
    px *= TABLE_SCALE;
    pen->px = px;
    pen->text_h = dl_text_height(dl, px);
    pen->lh = pen->text_h * 1.08f;
    float pad = px * 0.4f, vpad = px * 0.22f, w[LESSON_MAX_COLS], x[LESSON_MAX_COLS + 1];
    column_widths(dl, b, &c, px, pad, inner_w, w);
    x[0] = inner_x;
    for (int col = 0; col < b->n_cols; col++) x[col + 1] = x[col] + w[col];
    float table_w = x[b->n_cols] - inner_x, top = pen->y;
    static const float ALIGN[] = {[LESSON_ALIGN_LEFT] = 0, [LESSON_ALIGN_CENTER] = 0.5f, [LESSON_ALIGN_RIGHT] = 1};

    rule(pen, inner_x, top, table_w, 1, th->prose_dim, bi);
    pen->tag = LV_TAG_NARR_CELL;
    pen->tag_a = bi;
    pen->fixed_b = true;
    for (int row = 0; row < b->n_rows; row++) {
        float row_top = pen->y, bottom = row_top + vpad + pen->lh;   /* an empty row is one line tall */
        int shade = -1;                 /* the header's shade goes under its text: pushed first, sized after */
        if (row == 0) {
            int at = dl->n;
            dl_rect(dl, inner_x, row_top, table_w, 1, th->code_bg);
            if (dl->n > at) { shade = at; dl_tag(dl, LV_TAG_NARR_GRID, bi, 0); }
        }
        for (int col = 0; col < b->n_cols; col++) {
            int i = row * b->n_cols + col;
            pen->x0 = x[col] + pad;
            pen->avail = w[col] - 2 * pad;
            pen->align = ALIGN[b->align[col]];
            pen->tag_b = row * LESSON_MAX_COLS + col;
            pen->y = row_top + vpad;
            narr_wrap_runs(l, pen, c.runs + c.first[i], c.first[i + 1] - c.first[i], false);
            bottom = fmaxf(bottom, pen->y);
        }
        float row_bot = bottom + vpad;
        if (shade >= 0) {
            DlCmd *s = &dl->cmds[shade];
            float y0 = fmaxf(row_top + 1, pen->clip_top), y1 = fminf(row_bot, pen->clip_bot);
            s->y = y0;
            s->h = y1 - y0;
            if (s->h <= 0) s->color.a = 0;
        }
        rule(pen, inner_x, row_bot, table_w, 1, row == 0 || row == b->n_rows - 1 ? th->prose_dim : th->faint, bi);
        pen->y = row_bot + 1;
    }
    for (int col = 1; col < b->n_cols; col++) rule(pen, x[col], top, 1, pen->y - top, th->faint, bi);
    pen->fixed_b = false;
    pen->align = 0;
    pen->x0 = inner_x;
    pen->avail = inner_w;
    cells_free(&c);
}
