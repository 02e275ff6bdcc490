/* test_table.c — narration tables and styles in the draw list: cells never overlap, columns fit their content, Korean words stay whole, alignment, italic; with a fake measure (simple arithmetic) and with the real font on lesson 8's table. */
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lesson/lesson.h"
#include "text/font_find.h"
#include "text/text.h"
#include "viz/narration.h"

/* 0.5 px per code point (0.6 bold), a space 0.5: every width is arithmetic. */
static float fake_width(void *ud, const char *s, float px, int flags) {
    (void)ud;
    float w = 0;
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if ((*u & 0xC0) != 0x80) w += px * ((flags & TEXT_BOLD) ? 0.6f : 0.5f);
    return w;
}
static float fake_height(void *ud, float px) { (void)ud; return 1.2f * px; }
static const TextMeasure FAKE = {.width = fake_width, .height = fake_height};

static const char *HEAD = "# T\n\ntask: en-ko\nlevel: beginner\nminutes: 5\n\n## S\nmodel: en-ko-dot\ninput: I love you\n\n";

static void parse(Lesson *l, const char *body) {
    char md[4096], err[AV_ERR_LEN];
    snprintf(md, sizeof md, "%s%s", HEAD, body);
    cr_assert_eq(lesson_parse("t.md", md, strlen(md), l, err), 0, "%s", err);
}

static NarrationLayout build(DrawList *dl, const TextMeasure *m, const Lesson *l, float w, float h, float px) {
    dl_init(dl, m);
    NarrationDesc d = {.x = 100, .y = 0, .w = w, .h = h, .font_px = px, .slide_count = 1, .lang = "en"};
    NarrationLayout lay;
    narration_build(dl, &l->slides[0], &d, &lay);
    return lay;
}

static int cell_row(const DlCmd *c) { return c->b / LESSON_MAX_COLS; }
static int cell_col(const DlCmd *c) { return c->b % LESSON_MAX_COLS; }

/* Text of different cells never shares a point; the cells of one row sit
 * side by side in column order, the rows one under the other. */
static void check_cells_apart(const DrawList *dl, const char *what) {
    int cells = 0;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *a = &dl->cmds[i];
        if (a->kind != DL_TEXT || a->tag != LV_TAG_NARR_CELL) continue;
        cells++;
        for (int j = 0; j < dl->n; j++) {
            const DlCmd *b = &dl->cmds[j];
            if (b->kind != DL_TEXT || b->tag != LV_TAG_NARR_CELL || b->b == a->b) continue;
            if (cell_row(a) == cell_row(b)) {
                bool left = cell_col(a) < cell_col(b);
                const DlCmd *l = left ? a : b, *r = left ? b : a;
                cr_assert_leq(l->x + l->w, r->x + 0.01f, "%s: '%s' (row %d col %d, x %.1f..%.1f) runs into '%s' "
                              "(col %d at x %.1f)", what, dl_str(dl, l), cell_row(l), cell_col(l), (double)l->x,
                              (double)(l->x + l->w), dl_str(dl, r), cell_col(r), (double)r->x);
            } else {
                bool above = cell_row(a) < cell_row(b);
                const DlCmd *t = above ? a : b, *u = above ? b : a;
                cr_assert_leq(t->y + t->h, u->y + 0.01f, "%s: '%s' (row %d) reaches below the top of '%s' (row %d)",
                              what, dl_str(dl, t), cell_row(t), dl_str(dl, u), cell_row(u));
            }
        }
    }
    cr_assert_gt(cells, 0, "%s: no table cells drawn", what);
}

/* Every space-separated piece of every drawn line of the table is a whole
 * word of the cell it belongs to. */
static void check_words_whole(const DrawList *dl, const Lesson *l, int block, const char *what) {
    const LessonBlock *b = &l->slides[0].blocks[block];
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->kind != DL_TEXT || c->tag != LV_TAG_NARR_CELL || c->a != block) continue;
        const LessonCell *cell = &b->cells[cell_row(c) * b->n_cols + cell_col(c)];
        cr_assert_eq(cell->n_spans, 1);
        char line[512], src[512];
        snprintf(line, sizeof line, " %s ", dl_str(dl, c));
        snprintf(src, sizeof src, " %s ", cell->spans[0].text);
        for (char *w = strtok(line, " "); w; w = strtok(NULL, " ")) {
            char word[128];
            snprintf(word, sizeof word, " %s ", w);
            cr_assert(strstr(src, word), "%s: '%s' is a piece of a word of '%s'", what, w, cell->spans[0].text);
        }
    }
}

Test(table, cells_do_not_overlap_at_any_width) {
    Lesson l;
    parse(&l, "Before.\n\n"
              "| | RNN + attention (this course) | Transformer layer |\n"
              "|---|---|---|\n"
              "| encoder | RNN over the words | self-attention over the words |\n"
              "| decoder | RNN + attention | self-attention + attention + MLP |\n"
              "| attention | one score, one alignment matrix | $h$ heads: $h$ alignment matrices |\n\n"
              "After.\n");
    const float W[] = {1200, 420, 340, 280}, PX[] = {22, 22, 18, 16};
    for (int k = 0; k < 4; k++) {
        DrawList dl;
        NarrationLayout lay = build(&dl, &FAKE, &l, W[k], 3000, PX[k]);
        char what[64];
        snprintf(what, sizeof what, "%.0f wide at %.0f px", (double)W[k], (double)PX[k]);
        check_cells_apart(&dl, what);
        cr_expect(!lay.overflow_x, "%s: a character did not fit", what);
        /* the paragraph after the table starts below the table's last text */
        float table_bottom = 0, after_top = -1;
        for (int i = 0; i < dl.n; i++) {
            const DlCmd *c = &dl.cmds[i];
            if (c->kind == DL_TEXT && c->tag == LV_TAG_NARR_CELL) table_bottom = fmaxf(table_bottom, c->y + c->h);
            if (c->kind == DL_TEXT && c->tag == LV_TAG_NARR_TEXT && c->a == 2) after_top = c->y;
        }
        cr_expect_gt(after_top, table_bottom, "%s: the paragraph after the table overlaps it", what);
        dl_free(&dl);
    }
    lesson_free(&l);
}

Test(table, korean_words_stay_whole_in_narrow_columns) {
    Lesson l;
    parse(&l, "| 구분 | 순환 신경망과 어텐션 (이 강의) | 트랜스포머 층 |\n"
              "|---|---|---|\n"
              "| 인코더 | 단어 위의 순환신경망인코더 | 단어 위의 셀프 어텐션 |\n"
              "| 어텐션 | 점수 하나, 정렬 행렬 하나 | 헤드 여러 개: 정렬 행렬 여러 개 |\n");
    const float W[] = {420, 300, 220}, PX[] = {22, 18, 18};
    int lines = 0;
    for (int k = 0; k < 3; k++) {
        DrawList dl;
        build(&dl, &FAKE, &l, W[k], 3000, PX[k]);
        char what[64];
        snprintf(what, sizeof what, "%.0f wide at %.0f px", (double)W[k], (double)PX[k]);
        check_cells_apart(&dl, what);
        check_words_whole(&dl, &l, 0, what);
        for (int i = 0; i < dl.n; i++) lines += dl.cmds[i].tag == LV_TAG_NARR_CELL;
        dl_free(&dl);
    }
    cr_expect_gt(lines, 3 * 12, "the cells wrapped: more lines than cells");
    lesson_free(&l);
}

/* When the table fits, each column is as wide as its widest cell (plus its
 * padding): a short column stays short. Right-aligned text ends where
 * left-aligned text of the same column would start plus the free room. */
Test(table, columns_fit_their_content_and_align) {
    Lesson l;
    parse(&l, "| n | word | value |\n"
              "|---|:---:|---:|\n"
              "| 1 | a longer cell | 2.5 |\n"
              "| 22 | b | 10.25 |\n");
    DrawList dl;
    build(&dl, &FAKE, &l, 1200, 800, 20);
    /* fake widths at 20 px: 10 a character, 12 bold (the header) */
    float x[3][3] = {{0}}, w[3][3] = {{0}};
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->kind != DL_TEXT || c->tag != LV_TAG_NARR_CELL) continue;
        x[cell_row(c)][cell_col(c)] = c->x;
        w[cell_row(c)][cell_col(c)] = c->w;
    }
    /* column 0 left-aligned, column 1 centred, column 2 right-aligned */
    cr_expect_float_eq(x[1][0], x[2][0], 1e-3, "left: both start at the column's left");
    float mid1 = x[1][1] + w[1][1] / 2, mid2 = x[2][1] + w[2][1] / 2;
    cr_expect_float_eq(mid1, mid2, 1e-3, "centred: same middle");
    cr_expect_float_eq(x[1][2] + w[1][2], x[2][2] + w[2][2], 1e-3, "right: same right edge");
    cr_expect_float_eq(x[0][2] + w[0][2], x[2][2] + w[2][2], 1e-3, "right: the header too");
    /* the columns from the grid's rules: the top rule spans the table, the
     * vertical ones stand between the columns */
    float left = -1, v[2] = {0};
    int nv = 0;
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->kind != DL_RECT || c->tag != LV_TAG_NARR_GRID) continue;
        if (c->h == 1 && left < 0) left = c->x;
        if (c->w == 1 && c->h > 1 && nv < 2) v[nv++] = c->x;
    }
    cr_assert_eq(nv, 2, "two rules between three columns");
    /* table text is 17 px here: "22" is 17 wide, "a longer cell" 110.5; plus padding */
    float col0 = v[0] - left, col1 = v[1] - v[0];
    cr_expect(col0 > 17 && col0 < 40, "the short column is as wide as \"22\" and its padding: %.1f", (double)col0);
    cr_expect(col1 > 110.5f && col1 < 140, "the middle column holds 'a longer cell' on one line: %.1f", (double)col1);
    int lines_in_1_1 = 0;
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].tag == LV_TAG_NARR_CELL && dl.cmds[i].b == 1 * LESSON_MAX_COLS + 1) lines_in_1_1++;
    cr_expect_eq(lines_in_1_1, 1, "room enough: no wrapping");
    dl_free(&dl);
    lesson_free(&l);
}

Test(table, italic_and_bold_italic_reach_the_draw_list) {
    Lesson l;
    parse(&l, "Plain *italic* and ***both*** and **bold**.\n");
    DrawList dl;
    build(&dl, &FAKE, &l, 1200, 800, 20);
    int seen = 0;
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->kind != DL_TEXT || c->tag != LV_TAG_NARR_TEXT) continue;
        const char *s = dl_str(&dl, c);
        int want = !strcmp(s, "italic") ? TEXT_ITALIC : !strcmp(s, "both") ? TEXT_ITALIC | TEXT_BOLD
                 : !strcmp(s, "bold") ? TEXT_BOLD : 0;
        cr_expect_eq(c->flags & (TEXT_BOLD | TEXT_ITALIC), want, "'%s': flags %d", s, c->flags);
        seen += want != 0;
    }
    cr_expect_eq(seen, 3);
    dl_free(&dl);
    lesson_free(&l);
}

/* The app's font, with the italic face the app uses (must_italic: fail
 * when there is none, else carry on with the slanted font). */
static Text *open_font(bool must_italic) {
    cr_assert_eq(TTF_Init(), 0, "TTF_Init: %s", TTF_GetError());
    char path[1024], italic[1024], err[FONT_ERR_CAP], terr[TEXT_ERR_CAP];
    cr_assert_eq(font_find(NULL, path, sizeof path, err), 0, "%s", err);
    Text *t = text_create(path, terr);
    cr_assert_not_null(t, "%s", terr);
    bool have = font_find_italic(italic, sizeof italic) == 0;
    cr_assert(have || !must_italic, "no italic face (tools/setup.sh installs fonts-dejavu-extra)");
    if (have) cr_assert_eq(text_set_italic_font(t, italic, terr), 0, "%s", terr);
    return t;
}

/* Lesson 8's table with the real font (and the italic face the app uses),
 * at the panels the app gives the narration at 1280×720 and 1024×600. */
Test(table, lesson_8_table_with_the_real_font) {
    Text *t = open_font(false);
    TextMeasure m = text_measure(t);
    const char *files[] = {"lessons/en/08-transformer.md", "lessons/ko/08-transformer.md"};
    struct { float w, px; } P[] = {{420, 22}, {340, 18}};
    for (int f = 0; f < 2; f++) {
        Lesson l;
        char lerr[AV_ERR_LEN];
        cr_assert_eq(lesson_load(files[f], &l, lerr), 0, "%s", lerr);
        int s = -1, blk = -1;
        for (int i = 0; i < l.n_slides && s < 0; i++)
            for (int b = 0; b < l.slides[i].n_blocks; b++)
                if (l.slides[i].blocks[b].kind == LESSON_BLOCK_TABLE) { s = i; blk = b; break; }
        cr_assert_geq(s, 0, "%s: no table (its two-column comparison is a table)", files[f]);
        const LessonBlock *b = &l.slides[s].blocks[blk];
        cr_expect_eq(b->n_cols, 3);
        cr_expect_eq(b->n_rows, 4);
        for (int p = 0; p < 2; p++) {
            DrawList dl;
            dl_init(&dl, &m);
            NarrationDesc d = {.x = 0, .y = 0, .w = P[p].w, .h = 3000, .font_px = P[p].px, .slide_count = 1};
            NarrationLayout lay;
            narration_build(&dl, &l.slides[s], &d, &lay);
            char what[128];
            snprintf(what, sizeof what, "%s at %.0f px", files[f], (double)P[p].px);
            check_cells_apart(&dl, what);
            cr_expect(!lay.overflow_x, "%s: a character did not fit", what);
            /* no word of the table is cut: each drawn line (its pieces joined:
             * "$h$개" is two runs) is made of whole words of its cell's text */
            for (int i = 0; i < dl.n; i++) {
                const DlCmd *c = &dl.cmds[i];
                if (c->kind != DL_TEXT || c->tag != LV_TAG_NARR_CELL) continue;
                cr_expect_geq(c->size, P[p].px * 0.85f - 0.01f, "%s: table text at %.1f px", what, (double)c->size);
                if (i > 0 && dl.cmds[i - 1].tag == LV_TAG_NARR_CELL && dl.cmds[i - 1].b == c->b &&
                    dl.cmds[i - 1].y == c->y)
                    continue;                           /* not the first piece of its line */
                char line[512] = "";
                for (int j = i; j < dl.n && dl.cmds[j].tag == LV_TAG_NARR_CELL && dl.cmds[j].b == c->b &&
                                dl.cmds[j].y == c->y; j++)
                    strncat(line, dl_str(&dl, &dl.cmds[j]), sizeof line - strlen(line) - 1);
                char cell[512];
                const LessonCell *lc = &b->cells[cell_row(c) * b->n_cols + cell_col(c)];
                LessonBlock one = {.spans = lc->spans, .n_spans = lc->n_spans};
                cell[0] = ' ';
                lesson_block_text(&one, cell + 1, sizeof cell - 2);
                strcat(cell, " ");
                for (char *w = strtok(line, " "); w; w = strtok(NULL, " ")) {
                    char word[128];
                    snprintf(word, sizeof word, " %s ", w);
                    cr_expect(strstr(cell, word), "%s: '%s' is a piece of a word of '%s'", what, w, cell);
                }
            }
            dl_free(&dl);
        }
        lesson_free(&l);
    }
    text_destroy(t);
    TTF_Quit();
}

/* ---- italic glyphs ------------------------------------------------------------------ */

typedef struct { float x0, y0, x1, y1, u0, v0; int n; } Quad;
static void take_quad(void *ud, float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1) {
    (void)u1; (void)v1;
    Quad *q = ud;
    if (q->n++ == 0) *q = (Quad){x0, y0, x1, y1, u0, v0, 1};
}

/* Latin italic comes from a real italic face on the main font's baseline
 * and x-height; Hangul (which that face lacks) is the main font slanted:
 * other pixels than the upright glyph's, and wider for the slant. */
Test(table, italic_text_sits_on_the_baseline_and_differs_from_upright) {
    Text *t = open_font(true);
    Quad up = {0}, it = {0}, hu = {0}, hi = {0};
    text_layout(t, "x", 0, 0, 40, 0, take_quad, &up);
    text_layout(t, "x", 0, 0, 40, TEXT_ITALIC, take_quad, &it);
    cr_assert(up.n == 1 && it.n == 1);
    cr_expect(up.u0 != it.u0 || up.v0 != it.v0, "italic 'x' is the upright glyph");
    cr_expect_float_eq(it.y1, up.y1, 1.01, "baselines: upright 'x' ends at %.1f, italic at %.1f", (double)up.y1,
                       (double)it.y1);
    float hu_x = up.y1 - up.y0, hi_x = it.y1 - it.y0;
    cr_expect(fabsf(hi_x - hu_x) <= 0.12f * hu_x + 1, "x-heights: upright %.1f, italic %.1f", (double)hu_x, (double)hi_x);
    text_layout(t, "가", 0, 0, 40, 0, take_quad, &hu);
    text_layout(t, "가", 0, 0, 40, TEXT_ITALIC, take_quad, &hi);
    cr_assert(hu.n == 1 && hi.n == 1);
    cr_expect(hu.u0 != hi.u0 || hu.v0 != hi.v0, "italic '가' is the upright glyph");
    cr_expect_gt(hi.x1 - hi.x0, hu.x1 - hu.x0, "the slanted '가' is wider than the upright one");
    cr_expect_float_eq(hi.y1, hu.y1, 1.01, "'가' keeps its baseline when slanted");
    text_destroy(t);
    TTF_Quit();
}
