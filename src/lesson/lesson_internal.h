/* lesson_internal.h — the parser's state and the helpers its files share (lesson_parse.c, lesson_inline.c, lesson_table.c); not for use outside src/lesson.
 *
 * lesson_parse.c walks the lines (title, header, directives, narration
 * blocks); lesson_inline.c scans a block's text into styled spans and checks
 * math; lesson_table.c builds pipe tables row by row. Every error goes
 * through lesson_perr: one "FILE:LINE: what" line, escaped.
 */
#ifndef LESSON_INTERNAL_H
#define LESSON_INTERNAL_H

#include "lesson.h"

#include "../base/buf.h"

typedef enum { ST_TITLE, ST_HEADER, ST_DIRECTIVES, ST_NARRATION } Stage;

typedef struct {
    const char *file;
    char *err;
    Lesson *L;
    Stage stage;
    int header_line[3];        /* task, level, minutes: where given, 0 if not */
    /* the open narration block (paragraph, list item or heading text) */
    bool open;
    LessonBlockKind kind;
    int level, number, first_line;
    Buf text;
    int *line_off;             /* offset in text where each joined line starts;
                                  with no lines, everything is on first_line */
    int n_lines;
    /* multi-line constructs */
    bool in_fence, in_comment;
    int fence_line, comment_line;
    Buf fence;
    /* an open table: the block index in the current slide, and whether its
     * | --- | rule line has come (0: the header only so far) */
    bool in_table, table_ruled;
    int table_block, table_line;
} LessonParser;

int lesson_perr(LessonParser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define LESSON_OOM(p, line) lesson_perr((p), (line), "out of memory")

char *lesson_dupn(const char *s, size_t n);
/* Grow an array of `size`-byte items to hold n + 1. */
int lesson_grow(void **arr, int n, size_t size);
LessonSlide *lesson_cur_slide(LessonParser *p);
/* A new, zeroed block at the end of the current slide. */
int lesson_push_block(LessonParser *p, LessonBlock **out, LessonBlockKind k, int line);
void lesson_block_free(LessonBlock *b);
void lesson_spans_free(LessonSpan *spans, int n);

/* lesson_inline.c: scan text into spans added to *spans / *n (**bold**,
 * *italic*, `code`, $math$, \x escapes); errors name the line of the byte
 * (p->first_line and p->line_off). */
int lesson_parse_inline(LessonParser *p, LessonSpan **spans, int *n, const char *s);
int lesson_add_span(LessonParser *p, LessonSpan **spans, int *n, LessonSpanKind k, const char *s, size_t len,
                    int line);

/* lesson_table.c: a narration line that starts with '|' (after spaces). */
bool lesson_is_table_line(const char *s);
/* Open a table (its header row), or add the rule or a row to the open one. */
int lesson_table_line(LessonParser *p, int line, const char *s);
/* The table ends (at a line that is not a row): check it is complete. */
int lesson_table_end(LessonParser *p);

#endif
