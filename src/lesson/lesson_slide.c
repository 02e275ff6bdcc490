/* lesson_slide.c — the names lessons use, and what a parsed slide means: model and score, step, phase, text. */
#include "lesson.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"

/* ---- names ------------------------------------------------------------------ */

static const char *LEVEL_NAMES[] = {"beginner", "intermediate", "advanced"};
static const char *DIRECTIVE_NAMES[LD_COUNT] = {
    "model", "input", "target", "step", "phase", "score", "compare",
    "teacher-forcing", "seed", "side-by-side", "chart", "direction", "lr", "mode", "steps", "speed", "probe", "lab"};
static const char *CHART_NAMES[] = {"copy-by-length"};
#define N_CHARTS ((int)(sizeof CHART_NAMES / sizeof *CHART_NAMES))
#define N_LEVELS ((int)(sizeof LEVEL_NAMES / sizeof *LEVEL_NAMES))

const char *lesson_level_name(LessonLevel v) {
    return ((int)v >= 0 && (int)v < N_LEVELS) ? LEVEL_NAMES[v] : "?";
}
const char *lesson_directive_name(LessonDirective d) {
    return ((int)d >= 0 && d < LD_COUNT) ? DIRECTIVE_NAMES[d] : "?";
}
int lesson_chart_count(void) { return N_CHARTS; }
const char *lesson_chart_name(int i) { return (i >= 0 && i < N_CHARTS) ? CHART_NAMES[i] : NULL; }

/* ---- model names ------------------------------------------------------------------------ */

int lesson_model_with_score(const char *model, ScoreKind k, char *out, size_t cap) {
    /* the last '-'-separated component that names a score */
    const char *at = NULL, *at_end = NULL;
    for (const char *c = strchr(model, '-'); c; c = strchr(c + 1, '-')) {
        const char *b = c + 1, *e = strchr(b, '-');
        if (!e) e = b + strlen(b);
        char part[32];
        size_t n = (size_t)(e - b);
        if (n == 0 || n >= sizeof part) continue;
        memcpy(part, b, n); part[n] = '\0';
        ScoreKind tmp;
        if (score_parse(part, &tmp) == 0) { at = b; at_end = e; }
    }
    if (!at) return -1;
    int w = snprintf(out, cap, "%.*s%s%s", (int)(at - model), model, score_name(k), at_end);
    return (w < 0 || (size_t)w >= cap) ? -1 : 0;
}

int lesson_slide_model(const LessonSlide *s, char *out, size_t cap) {
    if (!s->model) return -1;
    if (s->score >= 0) return lesson_model_with_score(s->model, (ScoreKind)s->score, out, cap);
    int w = snprintf(out, cap, "%s", s->model);
    return (w < 0 || (size_t)w >= cap) ? -1 : 0;
}

int lesson_slide_step(const LessonSlide *s, int n_steps) {
    if (n_steps < 1) return 1;
    if (s->step == LESSON_STEP_LAST) return n_steps;
    if (s->step < 1) return 1;
    return s->step > n_steps ? n_steps : s->step;
}

Phase lesson_slide_phase(const LessonSlide *s) {
    return s->phase == PH_UNSET ? PH_ENCODER : s->phase;
}

BackPhase lesson_slide_back_phase(const LessonSlide *s) {
    return s->back_phase < 0 ? BPH_LOSS : (BackPhase)s->back_phase;
}

/* Append t to out (cap bytes, w written so far) while it fits, cutting on a
 * character boundary; *n counts the untruncated length. */
static void put_text(const char *t, char *out, size_t cap, size_t *n, size_t *w, bool *full) {
    size_t k = strlen(t);
    if (!*full) {
        size_t m = k, room = cap - 1 - *w;
        if (m > room) {                 /* cut before a continuation byte */
            m = utf8_floor(t, room);
            *full = true;
        }
        memcpy(out + *w, t, m);
        *w += m;
    }
    *n += k;
}

size_t lesson_block_text(const LessonBlock *b, char *out, size_t cap) {
    size_t n = 0, w = 0;                /* n: the whole length, w: bytes written */
    bool full = cap == 0;
    for (int i = 0; i < b->n_spans; i++) put_text(b->spans[i].text, out, cap, &n, &w, &full);
    for (int r = 0; b->kind == LESSON_BLOCK_TABLE && r < b->n_rows; r++)
        for (int c = 0; c < b->n_cols; c++) {
            if (r || c) put_text(c ? " | " : "\n", out, cap, &n, &w, &full);
            const LessonCell *cell = &b->cells[r * b->n_cols + c];
            for (int i = 0; i < cell->n_spans; i++) put_text(cell->spans[i].text, out, cap, &n, &w, &full);
        }
    if (cap) out[w] = '\0';
    return n;
}
