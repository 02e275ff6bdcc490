/* lesson_table.c — pipe tables in a slide's narration, as in Markdown: a header row, a | --- | :---: | rule, then rows, every row with the header's number of cells.
 *
 * A narration line that starts with '|' is a table row. Cells are cut at
 * each '|' that is not written "\|"; the leading '|' is required, the
 * trailing one may be left out. Each cell's text goes through the same
 * inline scanner as a paragraph (bold, italic, code, math). Unlike
 * Markdown, which pads a short row and drops a long one's extra cells, a
 * row with a different number of cells is an error: on a projector a
 * missing cell shifts the meaning of the whole row.
 */
#include "lesson_internal.h"

#include <stdlib.h>
#include <string.h>

bool lesson_is_table_line(const char *s) {
    while (*s == ' ' || *s == '\t') s++;
    return *s == '|';
}

enum { MAX_CELLS = 64 };   /* cut a row into at most this many; more is an error anyway */

typedef struct {
    char *buf;                 /* the row, cut in place */
    char *cell[MAX_CELLS];
    int n;
    bool too_many;
} Row;

static char *trim_cell(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

/* "| a | b \| c |" → "a", "b | c". -1 out of memory. */
static int split_row(const char *line, Row *r) {
    while (*line == ' ' || *line == '\t') line++;
    r->n = 0;
    r->too_many = false;
    r->buf = lesson_dupn(line + 1, strlen(line + 1));           /* past the leading '|' */
    if (!r->buf) return -1;
    char *start = r->buf, *w = r->buf;
    for (char *s = r->buf;; s++) {
        if (*s == '\\' && s[1] == '|') { *w++ = '|'; s++; continue; }
        if (*s == '|' || *s == '\0') {
            bool end = *s == '\0';
            *w = '\0';
            char *t = trim_cell(start);
            if (!(end && *t == '\0')) {                          /* text after the last '|' is a cell */
                if (r->n < MAX_CELLS) r->cell[r->n++] = t;
                else r->too_many = true;
            }
            if (end) break;
            start = w = s + 1;
            continue;
        }
        if (*s == '\\' && s[1]) *w++ = *s++;                     /* keep other escapes for the scanner */
        *w++ = *s;
    }
    return 0;
}

/* ":---", "---:", ":-:", "---": the alignment, or -1. */
static int rule_cell(const char *c) {
    size_t n = strlen(c);
    bool left = n && c[0] == ':', right = n > 1 && c[n - 1] == ':';
    size_t a = left, b = n - right;
    if (b <= a) return -1;
    for (size_t i = a; i < b; i++)
        if (c[i] != '-') return -1;
    return left && right ? LESSON_ALIGN_CENTER : right ? LESSON_ALIGN_RIGHT : LESSON_ALIGN_LEFT;
}

static LessonBlock *table_block(LessonParser *p) { return &lesson_cur_slide(p)->blocks[p->table_block]; }

/* Append row r's cells to the open table, each scanned into spans. */
static int add_row(LessonParser *p, int line, const Row *r) {
    LessonBlock *b = table_block(p);
    size_t at = (size_t)b->n_rows * (size_t)b->n_cols;
    LessonCell *cells = realloc(b->cells, (at + (size_t)b->n_cols) * sizeof *cells);
    if (!cells) return LESSON_OOM(p, line);
    b->cells = cells;
    memset(cells + at, 0, (size_t)b->n_cols * sizeof *cells);
    b->n_rows++;
    p->first_line = line;                  /* the scanner's errors name this line */
    p->n_lines = 0;
    for (int c = 0; c < b->n_cols; c++)
        if (lesson_parse_inline(p, &cells[at + c].spans, &cells[at + c].n_spans, r->cell[c])) return -1;
    return 0;
}

static int header(LessonParser *p, int line, const Row *r) {
    if (r->n == 0) return lesson_perr(p, line, "a table row needs cells: | a | b |");
    if (r->too_many || r->n > LESSON_MAX_COLS)
        return lesson_perr(p, line, "a table has at most %d columns, this header has %s%d", LESSON_MAX_COLS,
                           r->too_many ? "more than " : "", r->n);
    LessonBlock *b;
    if (lesson_push_block(p, &b, LESSON_BLOCK_TABLE, line)) return -1;
    b->n_cols = r->n;
    p->in_table = true;
    p->table_ruled = false;
    p->table_block = lesson_cur_slide(p)->n_blocks - 1;
    p->table_line = line;
    return add_row(p, line, r);
}

static int rule(LessonParser *p, int line, const Row *r) {
    LessonBlock *b = table_block(p);
    for (int c = 0; c < r->n; c++) {
        int a = rule_cell(r->cell[c]);
        if (a < 0)
            return lesson_perr(p, line, "the line under a table's header must be its rule, like | --- | :---: |, "
                               "not '%s'", r->cell[c]);
        if (c < b->n_cols) b->align[c] = (LessonAlign)a;
    }
    if (r->too_many || r->n != b->n_cols)
        return lesson_perr(p, line, "the table's rule has %s%d columns, its header (line %d) has %d: one --- per "
                           "column", r->too_many ? "more than " : "", r->n, p->table_line, b->n_cols);
    p->table_ruled = true;
    return 0;
}

int lesson_table_line(LessonParser *p, int line, const char *s) {
    Row r;
    if (split_row(s, &r)) return LESSON_OOM(p, line);
    int rc;
    if (!p->in_table) rc = header(p, line, &r);
    else if (!p->table_ruled) rc = rule(p, line, &r);
    else {
        int want = table_block(p)->n_cols;
        if (r.too_many || r.n != want)
            rc = lesson_perr(p, line, "this table row has %s%d cells, the header (line %d) has %d: every row needs "
                             "the same cells (an empty one is | |; write \\| for a bar inside a cell)",
                             r.too_many ? "more than " : "", r.n, p->table_line, want);
        else rc = add_row(p, line, &r);
    }
    free(r.buf);
    return rc;
}

int lesson_table_end(LessonParser *p) {
    if (!p->in_table) return 0;
    p->in_table = false;
    if (!p->table_ruled)
        return lesson_perr(p, p->table_line, "a table needs a rule under its header, like | --- | --- | (one --- "
                           "per column); write \\| for a bar at the start of a line of text");
    return 0;
}
