/* fuzz_lesson.c — a lesson file from outside, through lesson_parse.
 *
 * When the bytes parse, every promise lesson.h makes about the result is
 * checked (fields in range, spans never empty, texts valid UTF-8) and the
 * helpers the app calls on a slide run on it: the model name with a score
 * switched, the step and phase shown, a block's text cut at several sizes.
 * Checking against the models folder (lesson_check) loads real models and
 * is left to tests/lesson: the model loader has its own target.
 */
#include "fuzz.h"

#include "base/phase.h"
#include "base/utf8.h"
#include "lesson/lesson.h"

static void valid_text(const char *s, const char *what) {
    FUZZ_CHECK(s, "%s is NULL", what);
    FUZZ_CHECK(utf8_invalid_at(s, strlen(s)) < 0, "%s is not valid UTF-8", what);
}

/* lesson_block_text at one size: the untruncated length, a cut that keeps
 * the text valid UTF-8, and a prefix of the whole. */
static void block_text(const LessonBlock *b, const char *whole, size_t len, size_t cap) {
    char *out = malloc(cap ? cap : 1);
    FUZZ_CHECK(out, "out of memory");
    FUZZ_CHECK(lesson_block_text(b, out, cap) == len, "length changed with cap %zu", cap);
    if (cap) {
        size_t w = strlen(out);
        FUZZ_CHECK(w < cap && strncmp(out, whole, w) == 0, "not a prefix at cap %zu", cap);
        FUZZ_CHECK(utf8_invalid_at(out, w) < 0, "cut inside a character at cap %zu", cap);
    }
    free(out);
}

static void check_spans(const LessonSpan *sp, int n) {
    FUZZ_CHECK(n >= 0 && (n == 0 || sp), "%d spans", n);
    for (int i = 0; i < n; i++) {
        const LessonSpan *s = &sp[i];
        FUZZ_CHECK(s->kind >= LESSON_SPAN_PLAIN && s->kind <= LESSON_SPAN_BOLD_ITALIC, "span kind %d", s->kind);
        valid_text(s->text, "a span");
        FUZZ_CHECK(s->text[0], "an empty span");
        if (s->kind != LESSON_SPAN_MATH) continue;
        /* math the parser accepts has every _{ and ^{ closed */
        for (const char *c = s->text; *c; c++)
            if ((*c == '_' || *c == '^') && c[1] == '{') FUZZ_CHECK(strchr(c, '}'), "an unclosed { in '%s'", s->text);
    }
}

static void check_block(const LessonBlock *b) {
    FUZZ_CHECK(b->kind >= LESSON_BLOCK_PARAGRAPH && b->kind <= LESSON_BLOCK_TABLE, "block kind %d", b->kind);
    FUZZ_CHECK(b->level >= 0 && b->line >= 1, "level %d line %d", b->level, b->line);
    check_spans(b->spans, b->n_spans);
    if (b->kind == LESSON_BLOCK_TABLE) {
        FUZZ_CHECK(b->n_spans == 0, "a table with spans of its own");
        FUZZ_CHECK(b->n_cols >= 1 && b->n_cols <= LESSON_MAX_COLS && b->n_rows >= 1 && b->cells,
                   "a table of %d × %d", b->n_rows, b->n_cols);
        for (int c = 0; c < b->n_cols; c++)
            FUZZ_CHECK(b->align[c] >= LESSON_ALIGN_LEFT && b->align[c] <= LESSON_ALIGN_RIGHT, "align %d", b->align[c]);
        for (int i = 0; i < b->n_rows * b->n_cols; i++) check_spans(b->cells[i].spans, b->cells[i].n_spans);
    } else {
        FUZZ_CHECK(b->n_rows == 0 && b->n_cols == 0 && !b->cells, "cells outside a table");
    }
    size_t len = lesson_block_text(b, NULL, 0);
    char *whole = malloc(len + 1);
    FUZZ_CHECK(whole, "out of memory");
    FUZZ_CHECK(lesson_block_text(b, whole, len + 1) == len && strlen(whole) == len, "whole text");
    size_t caps[] = {0, 1, 2, 3, 5, len / 2 + 1, len};
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) block_text(b, whole, len, caps[i]);
    free(whole);
}

static void check_slide(const LessonSlide *s) {
    valid_text(s->title, "a slide title");
    FUZZ_CHECK(s->line >= 1, "slide line %d", s->line);
    FUZZ_CHECK(s->step == 0 || s->step == LESSON_STEP_LAST || (s->step >= 1 && s->step <= LESSON_MAX_STEP),
               "step %d", s->step);
    FUZZ_CHECK(s->phase >= PH_UNSET && s->phase < PH_COUNT, "phase %d", s->phase);
    FUZZ_CHECK(s->score >= -1 && s->score <= SCORE_ADDITIVE, "score %d", s->score);
    FUZZ_CHECK((s->compare[0] == -1 && s->compare[1] == -1) ||
                   (s->compare[0] >= 0 && s->compare[1] >= 0 && s->compare[0] <= SCORE_ADDITIVE &&
                    s->compare[1] <= SCORE_ADDITIVE && s->compare[0] != s->compare[1]),
               "compare %d %d", s->compare[0], s->compare[1]);
    FUZZ_CHECK(s->teacher_forcing == -1.0f || (s->teacher_forcing >= 0 && s->teacher_forcing <= 1),
               "teacher_forcing %g", s->teacher_forcing);
    if (s->model) valid_text(s->model, "model");
    if (s->input) valid_text(s->input, "input");
    if (s->target) valid_text(s->target, "target");
    if (s->chart) valid_text(s->chart, "chart");
    FUZZ_CHECK(!s->model || strlen(s->model) < LESSON_MAX_NAME, "model name too long");
    FUZZ_CHECK(!s->input || strlen(s->input) <= LESSON_MAX_TEXT, "input too long");
    FUZZ_CHECK(!s->target || strlen(s->target) <= LESSON_MAX_TEXT, "target too long");

    /* what the app asks of a slide */
    char name[LESSON_MAX_NAME + 16];
    if (lesson_slide_model(s, name, sizeof name) == 0) valid_text(name, "the slide's model");
    for (int k = SCORE_NONE; s->model && k <= SCORE_ADDITIVE; k++)
        if (lesson_model_with_score(s->model, (ScoreKind)k, name, sizeof name) == 0)
            valid_text(name, "a model with another score");
    for (int n = 0; n <= 3; n++) {
        int st = lesson_slide_step(s, n);
        FUZZ_CHECK(st >= 1 && (n < 1 || st <= n), "step %d of %d", st, n);
    }
    Phase ph = lesson_slide_phase(s);
    FUZZ_CHECK(ph >= 0 && ph < PH_COUNT, "phase shown %d", ph);
    for (int i = 0; i < s->n_blocks; i++) check_block(&s->blocks[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[AV_ERR_LEN];
    Lesson l;
    if (lesson_parse("fuzz.md", (const char *)data, size, &l, err)) {
        fuzz_one_line(err, "fuzz.md:");
        return 0;
    }
    valid_text(l.title, "the title");
    valid_text(l.task, "the task");
    FUZZ_CHECK(l.level >= LESSON_BEGINNER && l.level <= LESSON_ADVANCED, "level %d", l.level);
    FUZZ_CHECK(l.n_slides >= 0 && l.n_slides <= LESSON_MAX_SLIDES, "%d slides", l.n_slides);
    for (int i = 0; i < l.n_slides; i++) check_slide(&l.slides[i]);
    lesson_free(&l);
    return 0;
}
