/* test_lesson_text.c — the narration's text constructs in the parser: math sub- and superscripts (E_{src}, h_t, x^{t-1}), italic and bold italic, pipe tables; and each one's errors, named FILE:LINE. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lesson/lesson.h"

#define HEAD "# T\n\ntask: en-ko\nlevel: beginner\nminutes: 5\n\n## S\nmodel: en-ko-dot\ninput: I love you\n\n"
/* HEAD is lines 1-10: narration starts on line 11 */

static void parse_ok(const char *md, Lesson *L) {
    char err[AV_ERR_LEN] = "";
    cr_assert_eq(lesson_parse("t.md", md, strlen(md), L, err), 0, "%s", err);
    cr_assert_eq(L->n_slides, 1);
}

/* The parse fails with exactly "t.md:LINE: " followed by text containing want. */
static void parse_bad(const char *md, int line, const char *want) {
    char err[AV_ERR_LEN] = "", prefix[32];
    Lesson L;
    cr_assert_eq(lesson_parse("t.md", md, strlen(md), &L, err), -1, "parsed, but should fail with '%s':\n%s", want, md);
    snprintf(prefix, sizeof prefix, "t.md:%d: ", line);
    cr_expect(strncmp(err, prefix, strlen(prefix)) == 0, "want line %d, got '%s'", line, err);
    cr_expect(strstr(err, want) != NULL, "want '%s' in '%s'", want, err);
    cr_expect(strchr(err, '\n') == NULL, "not one line: '%s'", err);
    cr_expect_eq(L.n_slides, 0);
}

typedef struct {
    const char *md;
    int line;
    const char *want;
} Bad;

static void expect_span(const LessonSpan *sp, int n, int i, LessonSpanKind k, const char *text) {
    cr_assert_lt(i, n, "%d spans, wanted span %d ('%s')", n, i, text);
    cr_expect_eq(sp[i].kind, k, "span %d '%s': kind %d, want %d", i, sp[i].text, sp[i].kind, k);
    cr_expect_str_eq(sp[i].text, text);
}

/* ---- sub- and superscripts --------------------------------------------------------- */

Test(text, math_keeps_sub_and_superscripts_as_written) {
    Lesson L;
    parse_ok(HEAD "Embeddings $x_s = E_{src}[token_s]$ and $E_{tgt}$, state $h_t$, $h_{t-1}$, $x^{t-1}$, "
                  "$ε^k$, $y_{<t}$.\n", &L);
    const LessonBlock *b = &L.slides[0].blocks[0];
    const char *math[] = {"x_s = E_{src}[token_s]", "E_{tgt}", "h_t", "h_{t-1}", "x^{t-1}", "ε^k", "y_{<t}"};
    int m = 0;
    for (int i = 0; i < b->n_spans; i++)
        if (b->spans[i].kind == LESSON_SPAN_MATH) {
            cr_assert_lt(m, 7);
            cr_expect_str_eq(b->spans[i].text, math[m]);
            m++;
        }
    cr_expect_eq(m, 7);
    lesson_free(&L);
}

Test(text, a_subscript_that_would_render_wrong_is_refused) {
    static const Bad BAD[] = {
        {HEAD "Look up $E_src[x]$ here.\n", 11, "'_src' in math makes only 's' a subscript: write _{src}"},
        {HEAD "A line.\nThen $q^Tk$.\n", 12, "'^Tk' in math makes only 'T' a superscript: write ^{Tk}"},
        {HEAD "Open $E_{src[x]$ brace.\n", 11, "unclosed { after '_' in math"},
        {HEAD "Open $x^{t-1$.\n", 11, "unclosed { after '^' in math"},
        {HEAD "Nested $a_{b_{c}}$.\n", 11, "'_' inside the subscript _{…}"},
        {HEAD "Empty $a_{}$.\n", 11, "empty subscript _{}"},
        {HEAD "End $a_$.\n", 11, "'_' with nothing after it in math"},
        {HEAD "Space $a^ b$.\n", 11, "'^' with nothing after it in math"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) parse_bad(BAD[i].md, BAD[i].line, BAD[i].want);
    /* outside math an underscore is a plain character: no error, no italic */
    Lesson L;
    parse_ok(HEAD "The score `scaled_dot` and plain E_src and _x_.\n", &L);
    const LessonBlock *b = &L.slides[0].blocks[0];
    expect_span(b->spans, b->n_spans, 2, LESSON_SPAN_PLAIN, " and plain E_src and _x_.");
    lesson_free(&L);
}

/* ---- italic ------------------------------------------------------------------------ */

Test(text, italic_and_bold_italic) {
    Lesson L;
    parse_ok(HEAD "An *italic* word, ***both***, *it **bold it** it* and **b *bi* b**.\n", &L);
    const LessonBlock *b = &L.slides[0].blocks[0];
    const LessonSpan *s = b->spans;
    int n = b->n_spans;
    expect_span(s, n, 0, LESSON_SPAN_PLAIN, "An ");
    expect_span(s, n, 1, LESSON_SPAN_ITALIC, "italic");
    expect_span(s, n, 2, LESSON_SPAN_PLAIN, " word, ");
    expect_span(s, n, 3, LESSON_SPAN_BOLD_ITALIC, "both");
    expect_span(s, n, 4, LESSON_SPAN_PLAIN, ", ");
    expect_span(s, n, 5, LESSON_SPAN_ITALIC, "it ");
    expect_span(s, n, 6, LESSON_SPAN_BOLD_ITALIC, "bold it");
    expect_span(s, n, 7, LESSON_SPAN_ITALIC, " it");
    expect_span(s, n, 8, LESSON_SPAN_PLAIN, " and ");
    expect_span(s, n, 9, LESSON_SPAN_BOLD, "b ");
    expect_span(s, n, 10, LESSON_SPAN_BOLD_ITALIC, "bi");
    expect_span(s, n, 11, LESSON_SPAN_BOLD, " b");
    expect_span(s, n, 12, LESSON_SPAN_PLAIN, ".");
    cr_expect_eq(n, 13);
    lesson_free(&L);
    parse_bad(HEAD "An *open italic\nacross lines.\n", 11, "unclosed * (italic)");
}

/* ---- tables -------------------------------------------------------------------------- */

static const char *cell_text(const LessonBlock *b, int row, int col, int span) {
    const LessonCell *c = &b->cells[row * b->n_cols + col];
    return span < c->n_spans ? c->spans[span].text : "";
}

Test(text, a_pipe_table_is_a_grid_of_cells) {
    Lesson L;
    parse_ok(HEAD
             "Before the table.\n"                                  /* 11 */
             "| | RNN + attention | **Transformer** |\n"           /* 12: the header */
             "|:---|:---:| ---: |\n"                                /* 13: the rule */
             "| encoder | RNN over the words | $h_t$ heads \\| more |\n"
             "|decoder|| self-attention\n"                          /* 15: no trailing bar, an empty cell */
             "|  어텐션 | 점수 하나, *정렬* 행렬 하나 | `a\\|b` |\n"  /* 16: an escaped bar, even in code */
             "\n"
             "After.\n", &L);
    const LessonSlide *s = &L.slides[0];
    cr_assert_eq(s->n_blocks, 3);
    const LessonBlock *b = &s->blocks[1];
    cr_assert_eq(b->kind, LESSON_BLOCK_TABLE);
    cr_expect_eq(b->line, 12);
    cr_expect_eq(b->n_spans, 0);
    cr_assert_eq(b->n_cols, 3);
    cr_assert_eq(b->n_rows, 4);
    cr_expect_eq(b->align[0], LESSON_ALIGN_LEFT);
    cr_expect_eq(b->align[1], LESSON_ALIGN_CENTER);
    cr_expect_eq(b->align[2], LESSON_ALIGN_RIGHT);
    cr_expect_eq(b->cells[0].n_spans, 0, "the empty corner cell has no spans");
    cr_expect_str_eq(cell_text(b, 0, 1, 0), "RNN + attention");
    cr_expect_eq(b->cells[2].spans[0].kind, LESSON_SPAN_BOLD);
    cr_expect_str_eq(cell_text(b, 0, 2, 0), "Transformer");
    cr_expect_str_eq(cell_text(b, 1, 0, 0), "encoder");
    const LessonCell *c = &b->cells[1 * 3 + 2];
    cr_assert_eq(c->n_spans, 2);
    expect_span(c->spans, c->n_spans, 0, LESSON_SPAN_MATH, "h_t");
    expect_span(c->spans, c->n_spans, 1, LESSON_SPAN_PLAIN, " heads | more");
    cr_expect_eq(b->cells[2 * 3 + 1].n_spans, 0);
    cr_expect_str_eq(cell_text(b, 2, 2, 0), "self-attention");
    cr_expect_str_eq(cell_text(b, 3, 0, 0), "어텐션");
    c = &b->cells[3 * 3 + 1];
    expect_span(c->spans, c->n_spans, 1, LESSON_SPAN_ITALIC, "정렬");
    char text[256];
    size_t n = lesson_block_text(b, text, sizeof text);
    cr_expect_str_eq(text, " | RNN + attention | Transformer\nencoder | RNN over the words | h_t heads | more\n"
                           "decoder |  | self-attention\n어텐션 | 점수 하나, 정렬 행렬 하나 | a|b");
    cr_expect_eq(n, strlen(text));
    cr_expect_eq(s->blocks[2].kind, LESSON_BLOCK_PARAGRAPH);
    cr_expect_eq(s->blocks[2].line, 18);
    lesson_free(&L);
}

Test(text, a_table_that_is_not_a_grid_is_refused_with_its_line) {
    static const Bad BAD[] = {
        /* an unescaped bar cuts even inside code: `a and b` are two cells, the first never closed */
        {HEAD "| a | b |\n|---|---|\n| `a|b` |\n", 13, "unclosed ` (code span)"},
        {HEAD "| a | b |\n|---|---|\n| 1 | 2 |\n| 1 | 2 | 3 |\n", 14, "this table row has 3 cells, the header (line 11) has 2"},
        {HEAD "| a | b |\n|---|---|\n| only one |\n", 13, "this table row has 1 cells, the header (line 11) has 2"},
        {HEAD "| a | b |\n\nText.\n", 11, "a table needs a rule under its header"},
        {HEAD "| a | b |\n", 11, "a table needs a rule under its header"},
        {HEAD "| a | b |\n| 1 | 2 |\n", 12, "must be its rule, like | --- | :---: |, not '1'"},
        {HEAD "| a | b |\n|---|---|---|\n", 12, "the table's rule has 3 columns, its header (line 11) has 2"},
        {HEAD "| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 |\n", 11, "a table has at most 8 columns, this header has 9"},
        {HEAD "|\n|\n", 11, "a table row needs cells"},
        {HEAD "| a | b |\n|---|---|\n| *open | x |\n", 13, "unclosed * (italic)"},
        {HEAD "| a | b |\n|---|---|\n| $E_src$ | x |\n", 13, "write _{src}"},
        {HEAD "| a | $E_{src$ |\n|---|---|\n", 11, "unclosed { after '_' in math"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) parse_bad(BAD[i].md, BAD[i].line, BAD[i].want);
    /* a bar at the start of a line of prose must be escaped */
    Lesson L;
    parse_ok(HEAD "\\|x\\| is the norm.\n", &L);
    cr_expect_eq(L.slides[0].blocks[0].kind, LESSON_BLOCK_PARAGRAPH);
    cr_expect_str_eq(L.slides[0].blocks[0].spans[0].text, "|x| is the norm.");
    lesson_free(&L);
}

Test(text, a_table_ends_at_anything_that_is_not_a_row) {
    Lesson L;
    char err[AV_ERR_LEN];
    const char *two = HEAD "| a |\n|---|\n| 1 |\n- a bullet right after\n| b |\n| :-: |\n## Next\nText.\n";
    cr_assert_eq(lesson_parse("t.md", two, strlen(two), &L, err), 0, "%s", err);
    cr_assert_eq(L.n_slides, 2);
    const LessonSlide *s = &L.slides[0];
    cr_assert_eq(s->n_blocks, 3);
    cr_expect_eq(s->blocks[0].kind, LESSON_BLOCK_TABLE);
    cr_expect_eq(s->blocks[0].n_rows, 2);
    cr_expect_eq(s->blocks[1].kind, LESSON_BLOCK_BULLET);
    cr_expect_eq(s->blocks[2].kind, LESSON_BLOCK_TABLE);
    cr_expect_eq(s->blocks[2].n_rows, 1, "a header and its rule: a table with no body");
    cr_expect_eq(s->blocks[2].align[0], LESSON_ALIGN_CENTER);
    lesson_free(&L);
    /* the file ends inside a table whose rule never came */
    parse_bad(HEAD "Text.\n\n| a | b |", 13, "a table needs a rule");
}
