/* lesson_parse.c — lesson files → Lesson structs (lesson.h; the format is
 * lessons/README.md). Plain text work: nothing from the engine is included
 * here (lesson_check.c is where a slide meets the models).
 *
 * The parser is one pass over the lines with a little state: before the
 * title, the header, inside a slide's directive block, inside its narration
 * (with an open paragraph or list item, a ``` fence, a table, or an HTML
 * comment). Narration lines are joined into blocks, and each block's text
 * goes through a small inline scanner (lesson_inline.c: **bold**, *italic*,
 * `code`, $math$ with its sub- and superscripts checked, \ escapes); table
 * rows are cut into cells that go through the same scanner (lesson_table.c).
 * Chosen over a Markdown library because the app needs only these few shapes
 * and every mistake must come back as one "FILE:LINE: what" message, with
 * the bytes it quotes escaped (base/err.h).
 *
 * Ownership: every string and array hangs off the Lesson and is freed by
 * lesson_free, which also cleans up a half-built Lesson on an error path.
 */
#include "lesson_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

#define SCORE_LIST "none, dot, scaled_dot, general, concat, additive"

/* ---- small helpers ------------------------------------------------------------ */

char *lesson_dupn(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) { memcpy(p, s, n); p[n] = '\0'; }
    return p;
}

/* Grow an array of `size`-byte items to hold n + 1. */
int lesson_grow(void **arr, int n, size_t size) {
    if ((n & (n - 1)) == 0) {                 /* n is 0 or a power of two */
        void *p = realloc(*arr, (size_t)(n ? 2 * n : 1) * size);
        if (!p) return -1;
        *arr = p;
    }
    return 0;
}

static const char *skip_ws(const char *s) { while (*s == ' ' || *s == '\t') s++; return s; }

/* Trim in place: returns the start, cuts trailing white space. */
static char *trim(char *s) {
    s = (char *)skip_ws(s);
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

static bool is_name(const char *s, bool allow_upper_dot_underscore) {
    if (!*s) return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (islower(c) || isdigit(c) || c == '-') continue;
        if (allow_upper_dot_underscore && (isupper(c) || c == '.' || c == '_')) continue;
        return false;
    }
    return s[0] != '.' && s[0] != '-';
}

/* ---- freeing ------------------------------------------------------------------ */

void lesson_spans_free(LessonSpan *spans, int n) {
    for (int i = 0; i < n; i++) free(spans[i].text);
    free(spans);
}

void lesson_block_free(LessonBlock *b) {
    lesson_spans_free(b->spans, b->n_spans);
    for (int i = 0; b->cells && i < b->n_rows * b->n_cols; i++) lesson_spans_free(b->cells[i].spans, b->cells[i].n_spans);
    free(b->cells);
}

static void slide_free(LessonSlide *s) {
    free(s->title); free(s->model); free(s->input); free(s->target); free(s->chart); free(s->probe);
    free(s->lab_spec);
    for (int i = 0; i < s->n_blocks; i++) lesson_block_free(&s->blocks[i]);
    free(s->blocks);
}

void lesson_free(Lesson *l) {
    if (!l) return;
    for (int i = 0; i < l->n_slides; i++) slide_free(&l->slides[i]);
    free(l->slides); free(l->path); free(l->title); free(l->task);
    memset(l, 0, sizeof *l);
}

/* ---- the parser state (lesson_internal.h) ---------------------------------------- */

int lesson_perr(LessonParser *p, int line, const char *fmt, ...) {
    if (!p->err) return -1;
    int k = snprintf(p->err, AV_ERR_LEN, "%s:%d: ", p->file, line);
    if (k >= 0 && k < AV_ERR_LEN) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + k, AV_ERR_LEN - (size_t)k, fmt, ap);
        va_end(ap);
    }
    av_escape_msg(p->err, AV_ERR_LEN);        /* it quotes the file (and its name) */
    return -1;
}

LessonSlide *lesson_cur_slide(LessonParser *p) { return &p->L->slides[p->L->n_slides - 1]; }


/* ---- narration blocks --------------------------------------------------------------- */

int lesson_push_block(LessonParser *p, LessonBlock **out, LessonBlockKind k, int line) {
    LessonSlide *s = lesson_cur_slide(p);
    if (lesson_grow((void **)&s->blocks, s->n_blocks, sizeof *s->blocks)) return LESSON_OOM(p, line);
    LessonBlock *b = &s->blocks[s->n_blocks++];
    memset(b, 0, sizeof *b);
    b->kind = k; b->line = line;
    *out = b;
    return 0;
}

static int flush_block(LessonParser *p) {
    if (p->in_table) return lesson_table_end(p);   /* a table and an open block never coexist */
    if (!p->open) return 0;
    p->open = false;
    LessonBlock *b;
    if (lesson_push_block(p, &b, p->kind, p->first_line)) return -1;
    b->level = p->level; b->number = p->number;
    int rc = lesson_parse_inline(p, &b->spans, &b->n_spans, p->text.p ? p->text.p : "");
    if (rc == 0 && b->n_spans == 0) {
        if (p->kind != LESSON_BLOCK_PARAGRAPH)
            rc = lesson_perr(p, p->first_line, p->kind == LESSON_BLOCK_HEADING ? "empty heading" : "empty list item");
        else {                                  /* nothing visible: drop it */
            lesson_block_free(b);
            lesson_cur_slide(p)->n_blocks--;
        }
    }
    p->text.n = 0;
    p->n_lines = 0;
    return rc;
}

static int open_block(LessonParser *p, LessonBlockKind k, int level, int number, int line, const char *text) {
    if (flush_block(p)) return -1;
    p->open = true; p->kind = k; p->level = level; p->number = number; p->first_line = line;
    p->text.n = 0; p->n_lines = 0;
    if (p->text.p) p->text.p[0] = '\0';
    if (lesson_grow((void **)&p->line_off, p->n_lines, sizeof *p->line_off)) return LESSON_OOM(p, line);
    p->line_off[p->n_lines++] = 0;
    if (buf_put(&p->text, text, strlen(text))) return LESSON_OOM(p, line);
    return 0;
}

static int continue_block(LessonParser *p, int line, const char *text) {
    if (lesson_grow((void **)&p->line_off, p->n_lines, sizeof *p->line_off)) return LESSON_OOM(p, line);
    if (buf_put(&p->text, " ", 1)) return LESSON_OOM(p, line);
    p->line_off[p->n_lines++] = (int)p->text.n;
    if (buf_put(&p->text, text, strlen(text))) return LESSON_OOM(p, line);
    return 0;
}

/* ---- directives ------------------------------------------------------------------ */

/* "key: value" with key in [a-z][a-z-]*. Splits the line in place. */
static bool split_directive(char *line, char **key, char **value) {
    char *s = (char *)skip_ws(line);
    if (s != line) return false;                /* directives start at the margin */
    if (!islower((unsigned char)*s)) return false;
    char *k = s;
    while (islower((unsigned char)*s) || *s == '-') s++;
    if (*s != ':' || (s[1] != ' ' && s[1] != '\t' && s[1] != '\0')) return false;
    *s = '\0';
    *key = k;
    *value = trim(s + 1);
    return true;
}

static int parse_positive(const char *v, long max, long *out) {
    if (!*v) return -1;
    long x = 0;
    for (const char *c = v; *c; c++) {
        if (!isdigit((unsigned char)*c)) return -1;
        x = x * 10 + (*c - '0');
        if (x > max) return -1;
    }
    if (x < 1) return -1;
    *out = x;
    return 0;
}

static int set_string(LessonParser *p, int line, char **field, const char *what, const char *v, size_t max) {
    if (!*v) return lesson_perr(p, line, "%s: is empty", what);
    if (strlen(v) > max) return lesson_perr(p, line, "%s: is longer than %zu bytes", what, max);
    char *t = lesson_dupn(v, strlen(v));
    if (!t) return LESSON_OOM(p, line);
    free(*field);
    *field = t;
    return 0;
}

static int slide_directive(LessonParser *p, int line, const char *key, const char *v) {
    LessonSlide *s = lesson_cur_slide(p);
    char msg[200];
    int d = -1;
    for (int i = 0; i < LD_COUNT; i++)
        if (strcmp(key, lesson_directive_name((LessonDirective)i)) == 0) d = i;
    if (d < 0) {
        if (strcmp(key, "task") == 0 || strcmp(key, "level") == 0 || strcmp(key, "minutes") == 0)
            return lesson_perr(p, line, "'%s' belongs in the header, before the first slide", key);
        return lesson_perr(p, line, "unknown directive '%s' (model, input, target, step, phase, score, "
                    "compare, teacher-forcing, seed, side-by-side, chart, direction, lr, mode, steps, speed, probe, lab)", key);
    }
    if (s->set & (1u << d))
        return lesson_perr(p, line, "%s: given twice on this slide (first on line %d)", key, s->dline[d]);

    switch ((LessonDirective)d) {
    case LD_MODEL:
        if (strlen(v) >= LESSON_MAX_NAME || !is_name(v, true))
            return lesson_perr(p, line, "bad model name '%s': a file name in assets/models/ without "
                        ".safetensors (letters, digits, '.', '_', '-')", v);
        if (strstr(v, ".safetensors"))
            return lesson_perr(p, line, "model: write the name without .safetensors ('%.*s')",
                        (int)(strstr(v, ".safetensors") - v), v);
        if (set_string(p, line, &s->model, key, v, LESSON_MAX_NAME - 1)) return -1;
        break;
    case LD_INPUT:
        if (set_string(p, line, &s->input, key, v, LESSON_MAX_TEXT)) return -1;
        if (!(s->set & (1u << LD_TARGET))) {  /* a new input drops the old target */
            free(s->target); s->target = NULL; s->dline[LD_TARGET] = 0;
        }
        break;
    case LD_TARGET:
        if (set_string(p, line, &s->target, key, v, LESSON_MAX_TEXT)) return -1;
        break;
    case LD_STEP: {
        long x;
        if (strcmp(v, "last") == 0) s->step = LESSON_STEP_LAST;
        else if (parse_positive(v, LESSON_MAX_STEP, &x) == 0) s->step = (int)x;
        else return lesson_perr(p, line, "step must be a positive integer (1 to %d) or 'last', not '%s'",
                         LESSON_MAX_STEP, v);
        break;
    }
    case LD_PHASE:   /* a forward phase or a backward one: lesson_backward.c, with direction: and lr: */
    case LD_DIRECTION:
    case LD_LR:
        if (lesson_backward_directive((LessonDirective)d, v, s, msg, sizeof msg)) return lesson_perr(p, line, "%s", msg);
        break;
    case LD_SCORE: {
        ScoreKind k;
        if (score_parse(v, &k)) return lesson_perr(p, line, "unknown score '%s' (" SCORE_LIST ")", v);
        s->score = (int)k;
        break;
    }
    case LD_COMPARE: {
        char a[32], b[32], extra[2];
        int n = sscanf(v, "%31s %31s %1s", a, b, extra);
        if (n != 2) return lesson_perr(p, line, "compare: needs exactly two scores, e.g. 'compare: dot general'");
        ScoreKind ka, kb;
        if (score_parse(a, &ka)) return lesson_perr(p, line, "unknown score '%s' (" SCORE_LIST ")", a);
        if (score_parse(b, &kb)) return lesson_perr(p, line, "unknown score '%s' (" SCORE_LIST ")", b);
        if (ka == kb) return lesson_perr(p, line, "compare: needs two different scores, not '%s' twice", a);
        s->compare[0] = (int)ka; s->compare[1] = (int)kb;
        break;
    }
    case LD_TEACHER_FORCING: {
        char *end;
        errno = 0;
        double x = strtod(v, &end);
        if (!*v || *end || errno || !isfinite(x) || x < 0 || x > 1)
            return lesson_perr(p, line, "teacher-forcing must be a probability from 0 to 1, not '%s'", v);
        s->teacher_forcing = (float)x;
        break;
    }
    case LD_SEED: {
        char *end;
        errno = 0;
        if (!isdigit((unsigned char)*v)) return lesson_perr(p, line, "seed must be a whole number ≥ 0, not '%s'", v);
        unsigned long long x = strtoull(v, &end, 10);
        if (*end || errno) return lesson_perr(p, line, "seed must be a whole number ≥ 0, not '%s'", v);
        s->seed = (uint64_t)x;
        break;
    }
    case LD_SIDE_BY_SIDE:
        if (strcmp(v, "on") == 0) s->side_by_side = true;
        else if (strcmp(v, "off") == 0) s->side_by_side = false;
        else return lesson_perr(p, line, "side-by-side must be 'on' or 'off', not '%s'", v);
        break;
    case LD_CHART: {
        int found = -1;
        for (int i = 0; i < lesson_chart_count(); i++) if (strcmp(v, lesson_chart_name(i)) == 0) found = i;
        if (found < 0) return lesson_perr(p, line, "unknown chart '%s' (copy-by-length)", v);
        if (set_string(p, line, &s->chart, key, v, LESSON_MAX_NAME - 1)) return -1;
        break;
    }
    case LD_MODE: case LD_STEPS: case LD_SPEED: case LD_PROBE: case LD_LAB: {
        if (lesson_train_directive((LessonDirective)d, v, s, msg, sizeof msg)) return lesson_perr(p, line, "%s", msg);
        break;
    }
    case LD_COUNT: break;
    }
    s->set |= 1u << d;
    s->dline[d] = line;
    return 0;
}

static int header_field(LessonParser *p, int line, const char *key, const char *v) {
    Lesson *L = p->L;
    int idx = strcmp(key, "task") == 0 ? 0 : strcmp(key, "level") == 0 ? 1
            : strcmp(key, "minutes") == 0 ? 2 : -1;
    if (idx < 0) {
        for (int i = 0; i < LD_COUNT; i++)
            if (strcmp(key, lesson_directive_name((LessonDirective)i)) == 0)
                return lesson_perr(p, line, "'%s' is a slide directive: put it under a '## ' slide heading", key);
        return lesson_perr(p, line, "unknown header field '%s' (task, level, minutes)", key);
    }
    if (p->header_line[idx])
        return lesson_perr(p, line, "%s: given twice (first on line %d)", key, p->header_line[idx]);
    if (idx == 0) {
        if (strlen(v) >= LESSON_MAX_NAME || !is_name(v, false))
            return lesson_perr(p, line, "bad task name '%s' (lower-case letters, digits and '-')", v);
        if (set_string(p, line, &L->task, key, v, LESSON_MAX_NAME - 1)) return -1;
    } else if (idx == 1) {
        int found = -1;
        for (int i = 0; i <= LESSON_ADVANCED; i++) if (strcmp(v, lesson_level_name((LessonLevel)i)) == 0) found = i;
        if (found < 0) return lesson_perr(p, line, "unknown level '%s' (beginner, intermediate, advanced)", v);
        L->level = (LessonLevel)found;
    } else {
        long x;
        if (parse_positive(v, 600, &x)) return lesson_perr(p, line, "minutes must be a whole number from 1 to 600, not '%s'", v);
        L->minutes = (int)x;
    }
    p->header_line[idx] = line;
    return 0;
}

/* ---- slides ------------------------------------------------------------------------ */

/* A slide is complete: check what only the whole slide can tell. */
static int finish_slide(LessonParser *p) {
    if (flush_block(p)) return -1;
    LessonSlide *s = lesson_cur_slide(p);
    if (s->set == 0 && s->n_blocks == 0)
        return lesson_perr(p, s->line, "empty slide '%s': give it directives or narration", s->title);
    if (!s->model && !s->chart)
        return lesson_perr(p, s->line, "slide '%s' shows nothing: set model: (or chart:) on this slide "
                    "or an earlier one", s->title);
    static const LessonDirective need_model[] = {LD_STEP, LD_PHASE, LD_SCORE, LD_COMPARE,
                                                 LD_TEACHER_FORCING, LD_SIDE_BY_SIDE, LD_DIRECTION};
    for (size_t i = 0; i < sizeof need_model / sizeof *need_model; i++) {
        LessonDirective d = need_model[i];
        if ((s->set & (1u << d)) && !s->model)
            return lesson_perr(p, s->dline[d], "%s: needs a model: on this slide or an earlier one",
                        lesson_directive_name(d));
    }
    char msg[200];
    int bad_line;
    if (lesson_train_rules(s, &bad_line, msg, sizeof msg)) return lesson_perr(p, bad_line, "%s", msg);
    if (s->model && !s->input && !s->chart && !((s->train || s->lab) && s->probe))
        return lesson_perr(p, s->line, "slide '%s' shows model %s but has no input: set input: on this "
                    "slide or an earlier one", s->title, s->model);
    if (s->target && !s->input)
        return lesson_perr(p, s->dline[LD_TARGET], "target: needs an input: on this slide or an earlier one");
    if ((s->set & (1u << LD_TEACHER_FORCING)) && !s->target)
        return lesson_perr(p, s->dline[LD_TEACHER_FORCING], "teacher-forcing: needs a target: (the reference the teacher forces)");
    if (s->side_by_side && !s->target)
        return lesson_perr(p, s->dline[LD_SIDE_BY_SIDE], "side-by-side: needs a target: (forced decoding needs a reference)");
    if ((s->set & (1u << LD_SCORE)) && (s->set & (1u << LD_COMPARE)))
        return lesson_perr(p, s->dline[LD_COMPARE], "score: and compare: on one slide: use one of them");
    int at = s->line;
    if (lesson_backward_rules(s, &at, msg, sizeof msg)) return lesson_perr(p, at, "%s", msg);
    if (s->model && (s->set & (1u << LD_SCORE | 1u << LD_COMPARE))) {
        char tmp[LESSON_MAX_NAME];
        if (lesson_model_with_score(s->model, SCORE_DOT, tmp, sizeof tmp)) {
            int l = (s->set & (1u << LD_SCORE)) ? s->dline[LD_SCORE] : s->dline[LD_COMPARE];
            return lesson_perr(p, l, "%s: needs a model named TASK-SCORE (like en-ko-dot), not '%s'",
                        (s->set & (1u << LD_SCORE)) ? "score" : "compare", s->model);
        }
    }
    return 0;
}

static int start_slide(LessonParser *p, int line, const char *title) {
    Lesson *L = p->L;
    if (L->n_slides >= LESSON_MAX_SLIDES) return lesson_perr(p, line, "more than %d slides", LESSON_MAX_SLIDES);
    if (!*title) return lesson_perr(p, line, "slide without a title: write '## Title'");
    if (lesson_grow((void **)&L->slides, L->n_slides, sizeof *L->slides)) return LESSON_OOM(p, line);
    LessonSlide *s = &L->slides[L->n_slides++];
    memset(s, 0, sizeof *s);
    s->line = line;
    s->phase = PH_UNSET;
    s->score = s->compare[0] = s->compare[1] = -1;
    s->teacher_forcing = s->lr = -1;
    s->back_phase = -1;
    s->train_steps = -1;
    s->train_speed = -1;
    s->title = lesson_dupn(title, strlen(title));
    if (!s->title) return LESSON_OOM(p, line);
    if (L->n_slides > 1) {                      /* model, input, target carry over */
        LessonSlide *prev = s - 1;
        const LessonDirective carry[] = {LD_MODEL, LD_INPUT, LD_TARGET};
        char **dst[] = {&s->model, &s->input, &s->target};
        char *src[] = {prev->model, prev->input, prev->target};
        for (int i = 0; i < 3; i++) {
            if (!src[i]) continue;
            if (!(*dst[i] = lesson_dupn(src[i], strlen(src[i])))) return LESSON_OOM(p, line);
            s->dline[carry[i]] = prev->dline[carry[i]];
        }
    }
    return 0;
}

/* ---- one line ------------------------------------------------------------------------ */

/* Number of leading '#' when followed by a space or the end, else 0. */
static int heading_level(const char *s) {
    int n = 0;
    while (s[n] == '#') n++;
    return (n && (s[n] == ' ' || s[n] == '\t' || s[n] == '\0')) ? n : 0;
}

static bool is_rule(const char *s) {          /* "---", "***", "___" */
    s = skip_ws(s);
    char c = *s;
    if (c != '-' && c != '*' && c != '_') return false;
    int n = 0;
    for (; *s; s++) {
        if (*s == c) n++;
        else if (*s != ' ' && *s != '\t') return false;
    }
    return n >= 3;
}

static int narration_line(LessonParser *p, int line, char *raw) {
    const char *s = skip_ws(raw);
    int indent = (int)(s - raw);
    if (*s == '\0') return flush_block(p);
    if (lesson_is_table_line(s)) {
        if (!p->in_table && flush_block(p)) return -1;
        return lesson_table_line(p, line, s);
    }
    if (strncmp(s, "```", 3) == 0) {
        if (flush_block(p)) return -1;
        p->in_fence = true; p->fence_line = line; p->fence.n = 0;
        if (p->fence.p) p->fence.p[0] = '\0';
        return 0;
    }
    int h = heading_level(s);
    if (h >= 3) {
        char *t = trim((char *)s + h);
        return open_block(p, LESSON_BLOCK_HEADING, 0, 0, line, t) || flush_block(p) ? -1 : 0;
    }
    if (is_rule(s)) return flush_block(p);
    if ((*s == '-' || *s == '*' || *s == '+') && (s[1] == ' ' || s[1] == '\t'))
        return open_block(p, LESSON_BLOCK_BULLET, indent / 2 > 3 ? 3 : indent / 2, 0, line, trim((char *)s + 2));
    if (isdigit((unsigned char)*s)) {
        const char *d = s;
        long num = 0;
        while (isdigit((unsigned char)*d) && d - s < 4) num = num * 10 + (*d++ - '0');
        if ((*d == '.' || *d == ')') && (d[1] == ' ' || d[1] == '\t'))
            return open_block(p, LESSON_BLOCK_NUMBERED, indent / 2 > 3 ? 3 : indent / 2, (int)num, line,
                              trim((char *)d + 2));
    }
    char *t = trim((char *)s);
    if (p->open && p->kind != LESSON_BLOCK_HEADING) return continue_block(p, line, t);
    return open_block(p, LESSON_BLOCK_PARAGRAPH, 0, 0, line, t);
}

static int do_line(LessonParser *p, int line, char *s) {
    Lesson *L = p->L;
    if (p->in_comment) {
        if (strstr(s, "-->")) p->in_comment = false;
        return 0;
    }
    if (p->in_fence) {
        if (strncmp(skip_ws(s), "```", 3) == 0) {
            p->in_fence = false;
            LessonBlock *b;
            if (lesson_push_block(p, &b, LESSON_BLOCK_CODE, p->fence_line)) return -1;
            if (p->fence.n && p->fence.p[p->fence.n - 1] == '\n') p->fence.p[--p->fence.n] = '\0';
            if (p->fence.n && lesson_add_span(p, &b->spans, &b->n_spans, LESSON_SPAN_CODE, p->fence.p, p->fence.n, p->fence_line)) return -1;
            return 0;
        }
        if (buf_put(&p->fence, s, strlen(s)) || buf_put(&p->fence, "\n", 1)) return LESSON_OOM(p, line);
        return 0;
    }
    const char *t = skip_ws(s);
    if (strncmp(t, "<!--", 4) == 0) {
        if (flush_block(p)) return -1;
        if (!strstr(t + 4, "-->")) { p->in_comment = true; p->comment_line = line; }
        return 0;
    }
    int h = heading_level(s);
    if (h == 1) {
        if (p->stage != ST_TITLE)
            return lesson_perr(p, line, "a second '# ' title: a lesson has one title, slides start with '## '");
        char *title = trim(s + 1);
        if (!*title) return lesson_perr(p, line, "empty title after '# '");
        if (!(L->title = lesson_dupn(title, strlen(title)))) return LESSON_OOM(p, line);
        p->stage = ST_HEADER;
        return 0;
    }
    if (p->stage == ST_TITLE) {
        if (*t == '\0') return 0;
        return lesson_perr(p, line, "a lesson starts with its title: '# Title'");
    }
    if (h == 2) {
        if (p->stage == ST_HEADER) {
            static const char *fields[] = {"task", "level", "minutes"};
            for (int i = 0; i < 3; i++)
                if (!p->header_line[i])
                    return lesson_perr(p, line, "missing header field '%s' (before the first slide)", fields[i]);
        } else if (finish_slide(p)) return -1;
        if (start_slide(p, line, trim(s + 2))) return -1;
        p->stage = ST_DIRECTIVES;
        return 0;
    }
    char *key, *value;
    if (p->stage == ST_HEADER) {
        if (*t == '\0') return 0;
        if (split_directive(s, &key, &value)) return header_field(p, line, key, value);
        return lesson_perr(p, line, "text before the first slide: header fields are 'key: value', "
                    "slides start with '## Title'");
    }
    if (p->stage == ST_DIRECTIVES) {
        if (*t == '\0') return 0;
        if (split_directive(s, &key, &value)) return slide_directive(p, line, key, value);
        p->stage = ST_NARRATION;
    }
    return narration_line(p, line, s);
}

/* ---- entry points ------------------------------------------------------------------------ */

/* lang and number from ".../<lang>/NN-name.md". */
static void path_info(Lesson *L, const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int num = 0, k = 0;
    while (isdigit((unsigned char)base[k]) && k < 3) num = num * 10 + (base[k++] - '0');
    L->number = (k && base[k] == '-') ? num : 0;
    L->lang[0] = '\0';
    if (base > path + 1) {
        const char *end = base - 1, *start = end;
        while (start > path && start[-1] != '/') start--;
        size_t n = (size_t)(end - start);
        /* a language code: "ko", or with a region, "pt-br" / "pt_BR" */
        bool ok = (n == 2 || (n == 5 && (start[2] == '-' || start[2] == '_')));
        for (size_t i = 0; ok && i < n; i++)
            ok = i == 2 ? true : i < 2 ? islower((unsigned char)start[i]) != 0 : isalpha((unsigned char)start[i]) != 0;
        if (ok) { memcpy(L->lang, start, n); L->lang[n] = '\0'; }
    }
}

int lesson_parse(const char *name, const char *text, size_t len, Lesson *out, char *err) {
    memset(out, 0, sizeof *out);
    LessonParser p = {.file = name, .err = err, .L = out, .stage = ST_TITLE};
    if (len > LESSON_MAX_BYTES) return lesson_perr(&p, 1, "file too large (%zu bytes; at most %d)", len, LESSON_MAX_BYTES);
    long bad = utf8_invalid_at(text, len);
    const char *nul = memchr(text, 0, len);
    if (nul && (bad < 0 || nul - text < bad)) bad = nul - text;
    if (bad >= 0) {
        int line = 1; long col = 1;
        for (long i = 0; i < bad; i++) { if (text[i] == '\n') { line++; col = 1; } else col++; }
        return lesson_perr(&p, line, text[bad] ? "invalid UTF-8 (byte %ld of the line)" : "NUL byte (column %ld): not a text file", col);
    }
    char *buf = lesson_dupn(text, len);
    if (!buf) return lesson_perr(&p, 1, "out of memory");
    int rc = 0, line = 0;
    char *s = buf;
    if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) s += 3;
    while (*s || line == 0) {
        char *nl = strchr(s, '\n');
        if (nl) *nl = '\0';
        line++;
        size_t n = strlen(s);
        if (n && s[n - 1] == '\r') s[n - 1] = '\0';
        if ((rc = do_line(&p, line, s)) != 0) break;
        if (!nl) break;
        s = nl + 1;
    }
    if (rc == 0) {                              /* the end of the file */
        if (p.in_fence) rc = lesson_perr(&p, p.fence_line, "``` block never closed");
        else if (p.in_comment) rc = lesson_perr(&p, p.comment_line, "<!-- comment never closed with -->");
        else if (p.stage == ST_TITLE) rc = lesson_perr(&p, line, "empty lesson: it starts with '# Title'");
        else if (p.stage == ST_HEADER) {
            static const char *fields[] = {"task", "level", "minutes"};
            for (int i = 0; i < 3 && rc == 0; i++)
                if (!p.header_line[i]) rc = lesson_perr(&p, line, "missing header field '%s' (before the first slide)", fields[i]);
            if (rc == 0) rc = lesson_perr(&p, line, "no slides: a slide starts with '## Title'");
        } else rc = finish_slide(&p);
    }
    free(buf); free(p.text.p); free(p.fence.p); free(p.line_off);
    if (rc == 0 && !(out->path = lesson_dupn(name, strlen(name)))) rc = lesson_perr(&p, 1, "out of memory");
    if (rc) { lesson_free(out); return -1; }
    path_info(out, name);
    return 0;
}
