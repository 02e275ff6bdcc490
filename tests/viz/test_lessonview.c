/* test_lessonview.c — the lesson views' draw lists (narration panel, chart,
 * picker), without GL. Most tests measure text with a fake TextMeasure (a
 * fixed advance per code point, wider for bold, zero for combining marks),
 * so they need no font and the expected widths are simple arithmetic here;
 * the sweep over the real lessons uses the real font, as the screen does. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson/lesson.h"
#include "text/font_find.h"
#include "text/text.h"
#include "viz/chart.h"
#include "viz/narration.h"
#include "viz/picker.h"
#include "viz/theme.h"
#include "font.h"

/* ---- fake measure ---------------------------------------------------------------- */

/* The code point at *s, or 0 for a truncated or invalid sequence (which
 * then measures 0 wide, so text cut inside a character is caught by the
 * UTF-8 checks rather than hidden by the widths). */
static uint32_t cp_at(const char **s) {
    const unsigned char *u = (const unsigned char *)*s;
    int k = u[0] < 0x80 ? 1 : (u[0] >> 5) == 6 ? 2 : (u[0] >> 4) == 14 ? 3 : (u[0] >> 3) == 30 ? 4 : 0;
    if (k == 0) { *s += 1; return 0; }
    uint32_t cp = k == 1 ? u[0] : (uint32_t)(u[0] & (0x7F >> k));
    for (int i = 1; i < k; i++) {
        if ((u[i] & 0xC0) != 0x80) { *s += i; return 0; }
        cp = cp << 6 | (u[i] & 0x3F);
    }
    *s += k;
    return cp;
}

/* 0.5 px per character, 0.6 bold; a combining mark 0.05 px: nearly
 * nothing, but enough that a full line cannot take one more, so a break
 * before a mark would show. */
static float fake_width(void *ud, const char *s, float px, int flags) {
    (void)ud;
    float w = 0;
    while (*s) {
        uint32_t cp = cp_at(&s);
        if (cp == 0) continue;
        if (cp >= 0x300 && cp <= 0x36F) { w += px * 0.05f; continue; }
        w += px * ((flags & TEXT_BOLD) ? 0.6f : 0.5f);
    }
    return w;
}
static float fake_height(void *ud, float px) { (void)ud; return 1.2f * px; }
static const TextMeasure FAKE = {.width = fake_width, .height = fake_height};

/* ---- helpers --------------------------------------------------------------------- */

static bool valid_utf8(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int k = u[0] < 0x80 ? 1 : (u[0] >> 5) == 6 ? 2 : (u[0] >> 4) == 14 ? 3 : (u[0] >> 3) == 30 ? 4 : 0;
        if (!k) return false;
        for (int i = 1; i < k; i++) if ((u[i] & 0xC0) != 0x80) return false;
        u += k;
    }
    return true;
}

static bool overlap(const DlCmd *a, const DlCmd *b) {
    float ia = a->h * 0.12f, ib = b->h * 0.12f;
    return a->x < b->x + b->w - 0.5f && b->x < a->x + a->w - 0.5f && a->y + ia < b->y + b->h - ib &&
           b->y + ib < a->y + a->h - ia;
}

static void check_no_overlap(const DrawList *dl, const char *what) {
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *a = &dl->cmds[i];
        if (a->kind != DL_TEXT || a->w <= 0) continue;
        for (int j = i + 1; j < dl->n; j++) {
            const DlCmd *b = &dl->cmds[j];
            if (b->kind != DL_TEXT || b->w <= 0) continue;
            cr_assert(!overlap(a, b), "%s: '%s' (%.1f,%.1f %.1fx%.1f) overlaps '%s' (%.1f,%.1f %.1fx%.1f)", what,
                      dl_str(dl, a), (double)a->x, (double)a->y, (double)a->w, (double)a->h, dl_str(dl, b),
                      (double)b->x, (double)b->y, (double)b->w, (double)b->h);
        }
    }
}

/* every text command inside the rectangle (the pad is the panel's margin) */
static void check_inside(const DrawList *dl, float x, float y, float w, float h, float pad, const char *what) {
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->kind != DL_TEXT) continue;
        cr_assert(c->x >= x + pad - 0.01f && c->x + c->w <= x + w - pad + 0.01f,
                  "%s: '%s' spans x %.2f..%.2f, outside %.2f..%.2f", what, dl_str(dl, c), (double)c->x,
                  (double)(c->x + c->w), (double)(x + pad), (double)(x + w - pad));
        cr_assert(c->y >= y - 0.01f && c->y + c->h <= y + h + 0.01f, "%s: '%s' spans y %.2f..%.2f, outside %.2f..%.2f",
                  what, dl_str(dl, c), (double)c->y, (double)(c->y + c->h), (double)y, (double)(y + h));
    }
}

static void parse(Lesson *l, const char *md) {
    char err[AV_ERR_LEN];
    cr_assert_eq(lesson_parse("test.md", md, strlen(md), l, err), 0, "%s", err);
}

static NarrationDesc desc(float x, float y, float w, float h, float px) {
    return (NarrationDesc){.x = x, .y = y, .w = w, .h = h, .font_px = px, .slide_index = 2, .slide_count = 9,
                           .lesson_title = "A lesson about wrapping text in narrow panels", .lang = "en"};
}

static const char *HEAD = "# T\n\ntask: copy\nlevel: beginner\nminutes: 5\n\n";

static char *cat(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 1);
    cr_assert_not_null(s);
    memcpy(s, a, na);
    memcpy(s + na, b, nb + 1);
    return s;
}

static const char *MIXED =
    "## A slide title that is long enough to wrap in a narrow panel\n"
    "chart: copy-by-length\n\n"
    "The encoder reads **one word at a time** and keeps a state $h̄_s$ for each, "
    "then `attnviz eval --by-length` measures it.\n\n"
    "### A heading\n\n"
    "- first bullet with several words that must wrap onto more lines\n"
    "  - nested bullet, also long enough to need a second line here\n"
    "    - deeper still: Σ_s a_t(s) · h̄_s is the context vector c_t\n"
    "- back at the margin\n\n"
    "1. one numbered item\n"
    "2. another numbered item that is much longer than the first one\n\n"
    "```\n"
    "attnviz eval --model assets/models/copy-none-reversed.safetensors --task copy --by-length\n"
    "    indented line\n"
    "\n"
    "last\n"
    "```\n\n"
    "Korean has spaces between words: 인코더는 전처럼 세 단어를 읽지만, 이번에는 마지막 상태만이 아니라 "
    "**모든** 상태를 남겨 둡니다.\n";

/* ---- narration ------------------------------------------------------------------- */

TestSuite(lessonview);

Test(lessonview, wrapping_stays_inside_the_panel_and_nothing_overlaps) {
    char *md = cat(HEAD, MIXED);
    Lesson l;
    parse(&l, md);
    float widths[] = {160, 233, 300, 420, 777};
    for (size_t k = 0; k < sizeof widths / sizeof *widths; k++) {
        DrawList dl;
        dl_init(&dl, &FAKE);
        NarrationDesc d = desc(37, 11, widths[k], 5000, 16);
        NarrationLayout lay;
        narration_build(&dl, &l.slides[0], &d, &lay);
        char what[64];
        snprintf(what, sizeof what, "width %g", (double)widths[k]);
        check_inside(&dl, d.x, d.y, d.w, d.h, 16 * 0.8f, what);
        check_no_overlap(&dl, what);
        cr_assert(!lay.overflow_x, "%s: overflow", what);
        cr_assert_eq(lay.lines_hidden, 0, "%s: %d lines hidden in a tall panel", what, lay.lines_hidden);
        cr_assert(lay.widest <= d.w - 2 * 16 * 0.8f + 0.01f);
        for (int i = 0; i < dl.n; i++)
            if (dl.cmds[i].kind == DL_TEXT) cr_assert(valid_utf8(dl_str(&dl, &dl.cmds[i])));
        dl_free(&dl);
    }
    lesson_free(&l);
    free(md);
}

/* The words of a paragraph, in order and unbroken when each fits a line:
 * joining the drawn pieces of each line with spaces gives the text back. */
Test(lessonview, words_wrap_at_spaces_and_stay_whole) {
    const char *para = "Korean has spaces: 인코더는 전처럼 세 단어를 읽지만, 이번에는 마지막 상태만이 아니라 "
                       "모든 상태를 남겨 둡니다. English too, with several ordinary words.";
    char *md = cat(HEAD, "## S\nchart: copy-by-length\n\n");
    char *md2 = cat(md, para);
    Lesson l;
    parse(&l, md2);
    DrawList dl;
    dl_init(&dl, &FAKE);
    NarrationDesc d = desc(0, 0, 180, 3000, 16);
    narration_build(&dl, &l.slides[0], &d, NULL);
    char joined[2048] = "";
    int lines = 0, prev_line = -1;
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->tag != LV_TAG_NARR_TEXT) continue;
        const char *s = dl_str(&dl, c);
        cr_assert(s[0] != ' ' && s[strlen(s) - 1] != ' ', "line piece '%s' starts or ends with a space", s);
        if (c->b != prev_line && prev_line >= 0) strcat(joined, " ");
        strcat(joined, s);
        if (c->b != prev_line) lines++;
        prev_line = c->b;
    }
    cr_assert_gt(lines, 4);
    cr_assert_str_eq(joined, para);
    dl_free(&dl);
    lesson_free(&l);
    free(md); free(md2);
}

Test(lessonview, spans_keep_their_style) {
    char *md = cat(HEAD, "## S\nchart: copy-by-length\n\nplain **bold words here** then `some code` and $h̄_s$ end\n");
    Lesson l;
    parse(&l, md);
    for (int dark = 0; dark < 2; dark++) {
        Theme th = viz_theme(dark);
        DrawList dl;
        dl_init(&dl, &FAKE);
        NarrationDesc d = desc(0, 0, 150, 2000, 16);   /* narrow: the bold span wraps across lines */
        d.dark = dark;
        narration_build(&dl, &l.slides[0], &d, NULL);
        int bold = 0, code = 0, math = 0;
        for (int i = 0; i < dl.n; i++) {
            const DlCmd *c = &dl.cmds[i];
            if (c->tag != LV_TAG_NARR_TEXT) continue;
            const char *s = dl_str(&dl, c);
            bool is_bold_word = strstr(s, "bold") || strstr(s, "words") || strstr(s, "here");
            if (is_bold_word) { cr_assert(c->flags & TEXT_BOLD, "'%s' not bold", s); bold++; }
            else cr_assert(!(c->flags & TEXT_BOLD), "'%s' is bold", s);
            if (strstr(s, "code")) {
                code++;
                cr_assert(c->color.r == th.code.r && c->color.g == th.code.g && c->color.b == th.code.b);
                cr_assert(c->color.r != th.text.r || c->color.g != th.text.g || c->color.b != th.text.b);
            }
            if (strstr(s, "h̄_s")) { math++; cr_assert(c->flags & TEXT_MATH); }
            else cr_assert(!(c->flags & TEXT_MATH), "'%s' is math", s);
        }
        cr_assert_geq(bold, 2, "the bold span should wrap over two lines, got %d pieces", bold);
        cr_assert_eq(code, 1);
        cr_assert_eq(math, 1);
        dl_free(&dl);
    }
    lesson_free(&l);
    free(md);
}

/* The font has no 'ᵀ': math writes it as ^T (a superscript under TEXT_MATH),
 * as the formula panel does; the rest of the span is unchanged. */
Test(lessonview, math_transpose_is_drawn_as_a_superscript) {
    char *md = cat(HEAD, "## S\nchart: copy-by-length\n\nthe score $qᵀ W_a h̄_s$ and $v_aᵀ tanh(x)$\n");
    Lesson l;
    parse(&l, md);
    DrawList dl;
    dl_init(&dl, &FAKE);
    NarrationDesc d = desc(0, 0, 600, 400, 16);
    narration_build(&dl, &l.slides[0], &d, NULL);
    int found = 0;
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->kind != DL_TEXT) continue;
        const char *t = dl_str(&dl, c);
        cr_assert(strstr(t, "\xE1\xB5\x80") == NULL, "'%s' still has U+1D40", t);
        if (strcmp(t, "q^T W_a h\xCC\x84_s") == 0 || strcmp(t, "v_a^T tanh(x)") == 0) {
            cr_assert(c->flags & TEXT_MATH);
            found++;
        }
    }
    cr_assert_eq(found, 2);
    dl_free(&dl);
    lesson_free(&l);
    free(md);
}

/* A run with no spaces (Hangul, with a combining macron in it) is cut
 * between characters: each line as full as the width allows, valid UTF-8,
 * no line starting with a combining mark, nothing lost. */
Test(lessonview, long_runs_break_between_characters) {
    /* 21 characters fill a line exactly (avail = 193.6 - 2·12.8 = 168 = 21·8);
     * an h̄ (h + U+0304) is placed as the 21st character of a line, where the
     * mark no longer fits: the whole h̄ must move to the next line. */
    float px = 16, w = 193.6f, avail = w - 2 * px * 0.8f, ch = px * 0.5f, mark = px * 0.05f;
    char run[2048] = "";
    const char *syl[] = {"가", "나", "다", "라", "마", "바", "사", "아", "자", "차", "카"};
    for (int i = 0; i < 20; i++) strcat(run, syl[i % 11]);
    strcat(run, "h\xCC\x84");
    for (int i = 0; i < 55; i++) {
        strcat(run, syl[i % 11]);
        if (i % 9 == 4) strcat(run, "h\xCC\x84");
    }
    char *md = cat(HEAD, "## S\nchart: copy-by-length\n\n");
    char *md2 = cat(md, run);
    Lesson l;
    parse(&l, md2);
    DrawList dl;
    dl_init(&dl, &FAKE);
    NarrationDesc d = desc(0, 0, w, 3000, px);
    narration_build(&dl, &l.slides[0], &d, NULL);
    char joined[4096] = "";
    int lines = 0, n_cmds = 0;
    for (int i = 0; i < dl.n; i++) n_cmds += dl.cmds[i].tag == LV_TAG_NARR_TEXT;
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->tag != LV_TAG_NARR_TEXT) continue;
        const char *s = dl_str(&dl, c);
        lines++;
        cr_assert(valid_utf8(s), "line %d is not valid UTF-8", lines);
        cr_assert(strncmp(s, "\xCC\x84", 2) != 0, "line %d starts with a combining mark", lines);
        cr_assert_leq(c->w, avail + 0.01f);
        /* greedy: a line other than the last cannot take the next line's
         * first character (h̄ is ch + mark wide) */
        if (lines < n_cmds) {
            int j = i + 1;
            while (dl.cmds[j].tag != LV_TAG_NARR_TEXT) j++;
            float next = ch + (strncmp(dl_str(&dl, &dl.cmds[j]), "h\xCC\x84", 3) == 0 ? mark : 0);
            cr_assert_gt(c->w + next, avail + 0.001f, "line %d ('%s') is short: %.1f of %.1f", lines, s, (double)c->w,
                         (double)avail);
        }
        if (lines == 1) cr_assert_float_eq(c->w, 20 * ch, 0.01f, "the h̄ should have moved to line 2");
        if (lines == 2) cr_assert(strncmp(s, "h\xCC\x84", 3) == 0, "line 2 starts with '%.6s'", s);
        strcat(joined, s);
    }
    cr_assert_geq(lines, 4);
    cr_assert_str_eq(joined, run);
    dl_free(&dl);
    lesson_free(&l);
    free(md); free(md2);
}

Test(lessonview, overflow_is_clipped_and_reported) {
    char *md = cat(HEAD, MIXED);
    Lesson l;
    parse(&l, md);
    DrawList dl;
    dl_init(&dl, &FAKE);
    NarrationDesc d = desc(5, 7, 300, 260, 16);
    NarrationLayout lay;
    narration_build(&dl, &l.slides[0], &d, &lay);
    check_inside(&dl, d.x, d.y, d.w, d.h, 16 * 0.8f, "short panel");
    check_no_overlap(&dl, "short panel");
    cr_assert_gt(lay.lines_hidden, 0);
    cr_assert_gt(lay.content_h, lay.view_h);
    cr_assert_float_eq(lay.max_scroll, lay.content_h - lay.view_h, 0.01f);
    bool below = false, above = false;
    for (int i = 0; i < dl.n; i++) {
        below |= dl.cmds[i].tag == LV_TAG_NARR_MORE && dl.cmds[i].a == 1;
        above |= dl.cmds[i].tag == LV_TAG_NARR_MORE && dl.cmds[i].a == -1;
    }
    cr_assert(below && !above);

    /* scrolled to the end: the last line of the last block is shown */
    dl_clear(&dl);
    d.scroll = lay.max_scroll;
    NarrationLayout end;
    narration_build(&dl, &l.slides[0], &d, &end);
    check_inside(&dl, d.x, d.y, d.w, d.h, 16 * 0.8f, "scrolled");
    check_no_overlap(&dl, "scrolled");
    int last_block = l.slides[0].n_blocks - 1;
    bool shown = false;
    below = above = false;
    for (int i = 0; i < dl.n; i++) {
        shown |= dl.cmds[i].tag == LV_TAG_NARR_TEXT && dl.cmds[i].a == last_block &&
                 strstr(dl_str(&dl, &dl.cmds[i]), "둡니다.") != NULL;
        below |= dl.cmds[i].tag == LV_TAG_NARR_MORE && dl.cmds[i].a == 1;
        above |= dl.cmds[i].tag == LV_TAG_NARR_MORE && dl.cmds[i].a == -1;
    }
    cr_assert(shown, "the end of the narration is not shown at max_scroll");
    cr_assert(above && !below);
    cr_assert_float_eq(end.content_h, lay.content_h, 0.01f);
    dl_free(&dl);
    lesson_free(&l);
    free(md);
}

Test(lessonview, footer_names_the_slide_and_the_lesson) {
    char *md = cat(HEAD, MIXED);
    Lesson l;
    parse(&l, md);
    const char *langs[] = {"en", "ko"};
    for (int k = 0; k < 2; k++) {
        DrawList dl;
        dl_init(&dl, &FAKE);
        NarrationDesc d = desc(0, 0, 400, 300, 16);
        d.lang = langs[k];
        narration_build(&dl, &l.slides[0], &d, NULL);
        char want[64];
        snprintf(want, sizeof want, "%s %d / %d", k ? "슬라이드" : "slide", 3, 9);
        bool slide = false, title = false;
        for (int i = 0; i < dl.n; i++) {
            if (dl.cmds[i].tag != LV_TAG_NARR_FOOTER) continue;
            const char *s = dl_str(&dl, &dl.cmds[i]);
            if (dl.cmds[i].a == 1) slide |= strcmp(s, want) == 0;
            if (dl.cmds[i].a == 0) title |= strncmp(s, "A lesson", 8) == 0;
        }
        cr_assert(slide, "no '%s' in the footer", want);
        cr_assert(title);
        check_no_overlap(&dl, "footer");
        dl_free(&dl);
    }
    lesson_free(&l);
    free(md);
}

/* ---- chart ------------------------------------------------------------------------- */

#define NM 4
#define NB 6
static const char *FX_MODELS[NM] = {"copy-none", "copy-none-reversed", "copy-dot", "copy-general"};
static const char *FX_BUCKETS[NB] = {"1-4", "5-9", "10-14", "15-19", "20-29", "30-40"};
/* -1: an empty cell */
static const double FX[NB][NM] = {
    {1.0, 1.0, 1.0, 1.0}, {0.83, 0.91, 1.0, 0.997}, {0.41, 0.62, 0.98, 0.97},
    {0.12, 0.27, -1, 0.955}, {0.02, 0.08, 0.93, 0.9}, {0.0, 0.004, 0.871, 0.66}};

static void write_fixture(char *path) {
    strcpy(path, "/tmp/lessonview-chart-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    fprintf(f, "# exact match by length, a test fixture\nlength");
    for (int m = 0; m < NM; m++) fprintf(f, "\t%s", FX_MODELS[m]);
    fprintf(f, "\n");
    for (int b = 0; b < NB; b++) {
        fprintf(f, "%s", FX_BUCKETS[b]);
        for (int m = 0; m < NM; m++) {
            if (FX[b][m] < 0) fprintf(f, "\t");
            else fprintf(f, "\t%.6g", FX[b][m]);
        }
        fprintf(f, "\r\n");
    }
    cr_assert_eq(fclose(f), 0);
}

static float level_y(const DrawList *dl, int pct) {
    for (int i = 0; i < dl->n; i++)
        if (dl->cmds[i].tag == LV_TAG_CHART_TICK && dl->cmds[i].a == pct) return dl->cmds[i].y + dl->cmds[i].h * 0.5f;
    cr_assert_fail("no %d%% gridline", pct);
    return 0;
}

Test(lessonview, chart_points_map_back_to_the_measured_fractions) {
    char path[64], err[AV_ERR_LEN];
    write_fixture(path);
    Chart c;
    cr_assert_eq(chart_load_tsv(path, &c, err), 0, "%s", err);
    unlink(path);
    cr_assert_eq(c.n_models, NM);
    cr_assert_eq(c.n_buckets, NB);
    float rects[][4] = {{0, 0, 860, 520}, {13, 17, 420, 300}, {0, 0, 1200, 640}};
    for (int dark = 0; dark < 2; dark++)
        for (size_t k = 0; k < sizeof rects / sizeof *rects; k++) {
            if (k == 2) strcpy(c.lang, "ko"); else c.lang[0] = '\0';
            DrawList dl;
            dl_init(&dl, &FAKE);
            chart_build(&dl, &c, rects[k][0], rects[k][1], rects[k][2], rects[k][3], dark, 0);
            float y0 = level_y(&dl, 0), y100 = level_y(&dl, 100);
            cr_assert_gt(y0 - y100, 50);
            int seen[NB][NM] = {{0}}, printed[NB][NM] = {{0}};
            for (int i = 0; i < dl.n; i++) {
                const DlCmd *cm = &dl.cmds[i];
                if (cm->tag == LV_TAG_CHART_POINT) {
                    int m = cm->a, b = cm->b;
                    cr_assert(m >= 0 && m < NM && b >= 0 && b < NB);
                    seen[b][m]++;
                    double frac = (y0 - (cm->y + cm->h * 0.5f)) / (y0 - y100);
                    cr_assert(fabs(frac - FX[b][m]) < 1e-3, "%s at %s: drawn at %.4f, measured %.4f", FX_MODELS[m],
                              FX_BUCKETS[b], frac, FX[b][m]);
                }
                if (cm->tag == LV_TAG_CHART_VALUE) {
                    /* the printed number reads back as the measured one of
                     * its model, to its printed precision; 100% and 0% only
                     * when exact */
                    const char *t = dl_str(&dl, cm);
                    char *end;
                    double v = strtod(t, &end) / 100, x = FX[cm->b][cm->a];
                    cr_assert_str_eq(end, "%", "'%s'", t);
                    double prec = strchr(t, '.') ? 0.0005 : 0.005;
                    cr_assert(fabs(v - x) <= prec + 1e-6, "'%s' printed for %g", t, x);
                    if (v == 1 || v == 0) cr_assert(x == v, "'%s' printed for %g", t, x);
                    /* models sharing this printed value in this column are
                     * shown by this one label */
                    for (int m = 0; m < NM; m++) {
                        double y = FX[cm->b][m];
                        if (y >= 0 && fabs(v - y) <= prec + 1e-6 && (v != 1 || y == 1) && (v != 0 || y == 0))
                            printed[cm->b][m]++;
                    }
                }
            }
            for (int b = 0; b < NB; b++)
                for (int m = 0; m < NM; m++) {
                    cr_assert_eq(seen[b][m], FX[b][m] < 0 ? 0 : 1, "%s at %s drawn %d times", FX_MODELS[m], FX_BUCKETS[b], seen[b][m]);
                    if (FX[b][m] >= 0) cr_assert_geq(printed[b][m], 1, "%s at %s: no value printed", FX_MODELS[m], FX_BUCKETS[b]);
                }
            check_no_overlap(&dl, "chart");
            check_inside(&dl, rects[k][0], rects[k][1], rects[k][2], rects[k][3], 0, "chart");
            /* attention and no attention look different: the none models get
             * dashed lines, i.e. more pieces for the same path */
            dl_free(&dl);
        }
    cr_assert(chart_model_is_none("copy-none") && chart_model_is_none("copy-none-reversed"));
    cr_assert(!chart_model_is_none("copy-dot") && !chart_model_is_none("en-ko-nonexistent"));
    chart_free(&c);
}

Test(lessonview, malformed_tsv_names_file_and_line) {
    static const struct { const char *text; const char *want; } CASES[] = {
        {"length\tcopy-none\n5-9\t87\n", "x.tsv:2: "},
        {"length\tcopy-none\n5-9\t0.5\n10-14\n", "x.tsv:3: "},
        {"# c\nlen\tcopy-none\n5-9\t0.5\n", "x.tsv:2: "},
        {"length\tcopy-none\tcopy-none\n5-9\t0.5\t0.5\n", "x.tsv:1: "},
        {"length\tcopy-none\n1-4\t1\n5-9\t0.5\t0.3\n", "x.tsv:3: "},
        {"length\tcopy-none\n\n5-9\tabc\n", "x.tsv:3: "},
        {"length\tcopy-none\n5-9\t-0.1\n", "x.tsv:2: "},
        {"length\tcopy-none\n5-9\tnan\n", "x.tsv:2: "},
        {"length\tcopy-none\n5-\xFF\t0.5\n", "x.tsv:2: "},
        {"length\tcopy-none\n", "x.tsv:1: "},
        {"", "x.tsv:1: "},
        {"length\n1-4\n", "x.tsv:1: "},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof *CASES; i++) {
        Chart c;
        char err[AV_ERR_LEN] = "";
        cr_assert_eq(chart_parse_tsv("x.tsv", CASES[i].text, strlen(CASES[i].text), &c, err), -1, "case %zu parsed", i);
        cr_assert(strncmp(err, CASES[i].want, strlen(CASES[i].want)) == 0, "case %zu: '%s', wanted '%s...'", i, err, CASES[i].want);
        cr_assert(strchr(err, '\n') == NULL);
        cr_assert(valid_utf8(err));
        cr_assert_eq(c.n_models, 0);
        cr_assert_eq(c.n_buckets, 0);
    }
    Chart c;
    char err[AV_ERR_LEN];
    cr_assert_eq(chart_load_tsv("/nonexistent/copy-by-length.tsv", &c, err), -1);
    cr_assert(strncmp(err, "/nonexistent/copy-by-length.tsv: ", 33) == 0, "%s", err);
    /* a NUL byte inside */
    static const char nul[] = "length\tcopy-none\n5-9\t0.5\0\n";
    cr_assert_eq(chart_parse_tsv("x.tsv", nul, sizeof nul - 1, &c, err), -1);
    cr_assert(strncmp(err, "x.tsv:2: ", 9) == 0, "%s", err);
}

/* ---- picker ------------------------------------------------------------------------- */

static LessonEntry entry(int number, const char *title, const char *error) {
    LessonEntry e;
    memset(&e, 0, sizeof e);
    e.number = number;
    snprintf(e.lang, sizeof e.lang, "en");
    snprintf(e.title, sizeof e.title, "%s", title);
    snprintf(e.path, sizeof e.path, "lessons/en/%02d-x.md", number);
    if (error) snprintf(e.error, sizeof e.error, "%s", error);
    return e;
}

Test(lessonview, picker_rows_are_tagged_and_highlighted) {
    LessonEntry e[3] = {entry(1, "Seq2seq", NULL),
                        entry(2, "02-bottleneck.md", "lessons/en/02-bottleneck.md:14: unknown phase 'softmx'"),
                        entry(3, "Dot-product attention, step by step", NULL)};
    PickerInfo info[3] = {{.level = LESSON_BEGINNER, .minutes = 15, .n_slides = 6},
                          {.level = -1},
                          {.level = LESSON_INTERMEDIATE, .minutes = 20, .n_slides = 9}};
    float sizes[][2] = {{1280, 720}, {1024, 600}};
    for (int s = 0; s < 2; s++)
        for (int sel = 0; sel < 3; sel++) {
            DrawList dl;
            dl_init(&dl, &FAKE);
            picker_build(&dl, e, info, 3, sel, sizes[s][0], sizes[s][1], s == 1, s ? "ko" : "en");
            int rows[3] = {0};
            Color selc = {0}, other = {0};
            for (int i = 0; i < dl.n; i++) {
                const DlCmd *c = &dl.cmds[i];
                if (c->tag != LV_TAG_PICKER_ROW) continue;
                cr_assert(c->kind == DL_RECT && c->a >= 0 && c->a < 3);
                rows[c->a]++;
                cr_assert_eq(c->b, c->a == sel);
                if (c->a == sel) selc = c->color; else other = c->color;
                cr_assert_eq(picker_hit(&dl, c->x + c->w * 0.5f, c->y + c->h * 0.5f), c->a);
            }
            for (int i = 0; i < 3; i++) cr_assert_eq(rows[i], 1, "row %d tagged %d times", i, rows[i]);
            cr_assert(memcmp(&selc, &other, sizeof selc) != 0, "the selected row looks like the others");
            cr_assert_eq(picker_hit(&dl, 1, 1), -1);
            bool err_shown = false, hint = false;
            for (int i = 0; i < dl.n; i++) {
                const DlCmd *c = &dl.cmds[i];
                if (c->tag == LV_TAG_PICKER_ERROR) {
                    cr_assert_eq(c->a, 1);
                    err_shown |= strstr(dl_str(&dl, c), ":14: unknown phase 'softmx'") != NULL;
                }
                hint |= c->tag == LV_TAG_PICKER_HINT && strstr(dl_str(&dl, c), "Enter") != NULL;
            }
            cr_assert(err_shown, "the broken lesson's error is not shown");
            cr_assert(hint);
            check_no_overlap(&dl, "picker");
            check_inside(&dl, 0, 0, sizes[s][0], sizes[s][1], 0, "picker");
            dl_free(&dl);
        }
}

Test(lessonview, picker_scrolls_to_the_selected_row) {
    enum { N = 40 };
    LessonEntry *e = calloc(N, sizeof *e);
    cr_assert_not_null(e);
    for (int i = 0; i < N; i++) e[i] = entry(i + 1, "A lesson", NULL);
    for (int sel = 0; sel < N; sel += 13) {
        DrawList dl;
        dl_init(&dl, &FAKE);
        picker_build(&dl, e, NULL, N, sel, 1024, 600, false, "en");
        bool shown = false, more = false;
        for (int i = 0; i < dl.n; i++) {
            shown |= dl.cmds[i].tag == LV_TAG_PICKER_ROW && dl.cmds[i].a == sel && dl.cmds[i].b == 1;
            more |= dl.cmds[i].tag == LV_TAG_PICKER_MORE;
            if (dl.cmds[i].tag == LV_TAG_PICKER_ROW) cr_assert(dl.cmds[i].y + dl.cmds[i].h <= 600);
        }
        cr_assert(shown, "selected row %d not on screen", sel);
        cr_assert(more);
        check_no_overlap(&dl, "40 lessons");
        dl_free(&dl);
    }
    free(e);
}

/* More lessons than two-line rows hold, but not more than one-line rows
 * do: every one of them on screen, each a single line (number, title and
 * details on one baseline band), none scrolled away. */
Test(lessonview, picker_shows_every_lesson_on_one_line_when_two_do_not_fit) {
    enum { N = 12 };
    LessonEntry e[N];
    PickerInfo info[N];
    for (int i = 0; i < N; i++) {
        e[i] = entry(i + 1, "A lesson with a title", NULL);
        info[i] = (PickerInfo){.level = LESSON_BEGINNER, .minutes = 20, .n_slides = 8};
    }
    float sizes[][2] = {{1280, 720}, {1024, 600}};
    for (int z = 0; z < 2; z++) {
        DrawList dl;
        dl_init(&dl, &FAKE);
        picker_build(&dl, e, info, N, N - 1, sizes[z][0], sizes[z][1], false, "en");
        int rows = 0;
        for (int i = 0; i < dl.n; i++) {
            const DlCmd *c = &dl.cmds[i];
            cr_assert_neq(c->tag, LV_TAG_PICKER_MORE, "%d lessons scroll at %gx%g", N, (double)sizes[z][0], (double)sizes[z][1]);
            if (c->tag == LV_TAG_PICKER_ROW) rows++;
            if (c->tag != LV_TAG_PICKER_TEXT || c->kind != DL_TEXT) continue;
            /* the details beside the title, inside the row */
            for (int j = 0; j < dl.n; j++) {
                const DlCmd *r = &dl.cmds[j];
                if (r->tag == LV_TAG_PICKER_ROW && r->a == c->a)
                    cr_assert(c->y >= r->y && c->y + c->h <= r->y + r->h + 0.5f, "row %d: text '%s' outside its row", c->a, dl_str(&dl, c));
            }
        }
        cr_assert_eq(rows, N, "%d rows for %d lessons", rows, N);
        check_no_overlap(&dl, "12 lessons");
        check_inside(&dl, 0, 0, sizes[z][0], sizes[z][1], 0, "12 lessons");
        dl_free(&dl);
    }
}

/* ---- the real lessons, with the real font ------------------------------------------ */

/* Panels the app would use: 1280×720 with a 420-wide panel at 22 px, and
 * 1024×600 with a 340-wide panel at 18 px. */
static void sweep_lang(const char *lang) {
    TextMeasure m;
    Text *t = test_font_open(&m);
    LessonEntry *e;
    int n;
    char err[AV_ERR_LEN];
    cr_assert_eq(lesson_list("lessons", lang, &e, &n, err), 0, "%s", err);
    cr_assert_geq(n, 8);
    struct { float W, H, w, px; } P[] = {{1280, 720, 420, 22}, {1024, 600, 340, 18}};
    int slides = 0;
    float worst = 0;
    char worst_at[1200] = "";
    for (int i = 0; i < n; i++) {
        Lesson l;
        cr_assert_eq(lesson_load(e[i].path, &l, err), 0, "%s", err);
        for (int s = 0; s < l.n_slides; s++)
            for (int p = 0; p < 2; p++) {
                DrawList dl;
                dl_init(&dl, &m);
                NarrationDesc d = {.x = P[p].W - P[p].w, .y = 0, .w = P[p].w, .h = P[p].H, .font_px = P[p].px,
                                   .slide_index = s, .slide_count = l.n_slides, .lesson_title = l.title, .lang = lang};
                NarrationLayout lay;
                narration_build(&dl, &l.slides[s], &d, &lay);
                char what[1200];
                snprintf(what, sizeof what, "%s slide %d at %gx%g", e[i].path, s + 1, (double)P[p].W, (double)P[p].H);
                cr_assert(!lay.overflow_x, "%s: a character wider than the panel", what);
                check_inside(&dl, d.x, d.y, d.w, d.h, P[p].px * 0.8f, what);
                check_no_overlap(&dl, what);
                if (lay.max_scroll > worst) {
                    worst = lay.max_scroll;
                    snprintf(worst_at, sizeof worst_at, "%s slide %d at %gx%g", e[i].path, s + 1, (double)P[p].W,
                             (double)P[p].H);
                }
                dl_free(&dl);
                slides++;
            }
        lesson_free(&l);
    }
    cr_log_info("%s: %d slide panels; most scrolling needed: %.0f units (%s)", lang, slides, (double)worst,
                worst_at[0] ? worst_at : "none");
    /* the picker over the real list */
    PickerInfo *info = calloc((size_t)n, sizeof *info);
    cr_assert_not_null(info);
    picker_info(e, n, info);
    for (int i = 0; i < n; i++) cr_assert_eq(e[i].error[0], '\0', "%s: %s", e[i].path, e[i].error);
    for (int p = 0; p < 2; p++) {
        DrawList dl;
        dl_init(&dl, &m);
        picker_build(&dl, e, info, n, n - 1, P[p].W, P[p].H, p == 1, lang);
        check_no_overlap(&dl, "picker");
        check_inside(&dl, 0, 0, P[p].W, P[p].H, 0, "picker");
        dl_free(&dl);
    }
    free(info);
    free(e);
    test_font_close(t);
}

Test(lessonview, every_english_lesson_fits_its_panel, .timeout = 60) { sweep_lang("en"); }
Test(lessonview, every_korean_lesson_fits_its_panel, .timeout = 60) { sweep_lang("ko"); }

/* Values next to the ends of the scale, in columns that also hold an exact
 * 1 or 0: each must read as its own number (an exact 1 is the only "100%",
 * an exact 0 the only "0%"; 0.9996 once printed "100.0%", a second label
 * that read as the same number right under the first), no two value labels
 * in a column may read the same, and no two text commands may overlap, at
 * the app's chart areas (1280×720 and 1024×600 with their narration
 * panels), with the real font and the fake one. */
static const char *NEAR_TSV =
    "length\tcopy-none\tcopy-none-reversed\tcopy-dot\tcopy-general\tcopy-concat\tcopy-additive\n"
    "5-9\t0.0004\t0.2544\t1\t0.9996\t0.99996\t1\n"
    "10-14\t0\t0.00004\t0.9996\t1\t0.9995\t0.995\n"
    "15-19\t0.004\t0\t1\t0.9949\t0.9996\t0.99996\n"
    "20-24\t0\t0.0004\t0.99996\t0.9996\t1\t0.9995\n"
    "25-29\t0.00004\t0\t1\t1\t0.9996\t0.9996\n"
    "30-34\t0\t0.0005\t0.9995\t0.9996\t0.99996\t1\n"
    "35-39\t0.0004\t0.00004\t1\t0.99996\t0.9996\t0.9995\n"
    "40-44\t0\t0\t0.9996\t0.9996\t1\t1\n"
    "45-49\t0.0004\t0\t1\t0.9995\t0.99996\t0.9996\n"
    "50-54\t0\t0.0004\t0.99996\t1\t0.9996\t0.9949\n"
    "55-59\t0.00004\t0\t1\t0.9996\t0.9995\t0.99996\n"
    "60\t0\t0.0004\t0.9996\t1\t0.99996\t0.9996\n";

/* Whether a label (its number v, "<" in front: below, its last digit's
 * unit) stands for the percentage x: rounded to that digit, an exact 100 and
 * 0 only for exactly 100 and 0; just below 100 it may be rounded down to
 * 99.9, just above 0 it is "<0.1". */
static bool shows(double v, bool below, double unit, double x) {
    if (below) return x > 0 && x < v;
    if (v == 100 || v == 0) return x == v;
    if (fabs(v - x) <= unit * 0.5 + 1e-4) return true;
    return v == 99.9 && x > 99.9 && x < 100;
}

static void check_near_ends(const DrawList *dl, const Chart *c, const char *what) {
    check_no_overlap(dl, what);
    for (int b = 0; b < c->n_buckets; b++) {
        double read[CHART_MAX_MODELS];
        int nr = 0;
        bool covered[CHART_MAX_MODELS] = {false};
        for (int i = 0; i < dl->n; i++) {
            const DlCmd *cm = &dl->cmds[i];
            if (cm->tag != LV_TAG_CHART_VALUE || cm->b != b) continue;
            const char *t = dl_str(dl, cm);
            bool below = t[0] == '<';   /* "<0.1%": above 0, below 0.1 */
            char *end;
            double v = strtod(t + below, &end);
            cr_assert_str_eq(end, "%", "%s: '%s' is not a percentage", what, t);
            const char *dot = strchr(t, '.');
            double unit = pow(10, -(dot ? (double)(end - dot - 1) : 0));   /* of the last digit printed */
            double x = c->v[b][cm->a] * 100.0;
            cr_assert(shows(v, below, unit, x), "%s, %s: '%s' printed for %.4f%%", what, c->buckets[b], t, x);
            cr_assert(below || v != 100 || x == 100, "%s, %s: '%s' printed for %.4f%%, not 100%%", what, c->buckets[b], t, x);
            cr_assert(below || v != 0 || x == 0, "%s, %s: '%s' printed for %.4f%%, not 0%%", what, c->buckets[b], t, x);
            for (int k = 0; k < nr; k++)
                cr_assert(read[k] != (below ? -v : v), "%s, %s: two labels read %s", what, c->buckets[b], t);
            read[nr++] = below ? -v : v;
            for (int m = 0; m < c->n_models; m++)
                if (shows(v, below, unit, c->v[b][m] * 100.0)) covered[m] = true;
        }
        for (int m = 0; m < c->n_models; m++)
            cr_assert(covered[m], "%s, %s: no label shows %s's %.4f%%", what, c->buckets[b], c->models[m],
                      (double)c->v[b][m] * 100);
    }
}

Test(lessonview, chart_values_near_the_ends_read_apart_and_never_overlap) {
    Chart c;
    char err[AV_ERR_LEN];
    cr_assert_eq(chart_parse_tsv("near.tsv", NEAR_TSV, strlen(NEAR_TSV), &c, err), 0, "%s", err);
    TextMeasure real;
    Text *t = test_font_open(&real);
    const TextMeasure *ms[2] = {&real, &FAKE};
    /* the app: chart_build(m, m, aw - 2m, H - 2m), m = 0.8 × the narration
     * px, aw = W - the panel; its px starts at 22 (18 below 1200 wide) and
     * moves in steps of 2 from 12 to 40 (the values once vanished at most
     * of these sizes: their columns were judged too narrow) */
    struct { float W, H, px; } A[] = {{1280, 720, 22}, {1280, 720, 12}, {1280, 720, 40}, {1024, 600, 18}, {1920, 1080, 22}};
    for (int k = 0; k < 2; k++)
        for (size_t a = 0; a < sizeof A / sizeof *A; a++)
            for (int dark = 0; dark < 2; dark++) {
                float m = A[a].px * 0.8f, x = m, y = m, h = A[a].H - 2 * m;
                float w = A[a].W - narration_panel_width(A[a].W, A[a].px) - 2 * m;
                DrawList dl;
                dl_init(&dl, ms[k]);
                chart_build(&dl, &c, x, y, w, h, dark, 0);
                char what[96];
                snprintf(what, sizeof what, "%s font, chart %.0fx%.0f", k ? "fake" : "real", (double)w, (double)h);
                int labels = 0;
                for (int i = 0; i < dl.n; i++) labels += dl.cmds[i].tag == LV_TAG_CHART_VALUE;
                cr_assert_geq(labels, c.n_buckets * 2, "%s: %d values printed", what, labels);
                check_near_ends(&dl, &c, what);
                check_inside(&dl, x, y, w, h, 0, what);
                dl_free(&dl);
            }
    chart_free(&c);
    test_font_close(t);
}

/* The shipped chart data, once the lead has generated it. */
Test(lessonview, shipped_chart_data_loads_and_draws) {
    const char *path = "assets/models/copy-by-length.tsv";
    if (access(path, F_OK) != 0) cr_skip_test("%s not generated yet", path);
    Chart c;
    char err[AV_ERR_LEN];
    cr_assert_eq(chart_load_tsv(path, &c, err), 0, "%s", err);
    TextMeasure m;
    Text *t = test_font_open(&m);
    DrawList dl;
    dl_init(&dl, &m);
    chart_build(&dl, &c, 0, 0, 860, 560, false, 0);
    int points = 0;
    for (int i = 0; i < dl.n; i++) points += dl.cmds[i].tag == LV_TAG_CHART_POINT;
    int want = 0;
    for (int b = 0; b < c.n_buckets; b++)
        for (int k = 0; k < c.n_models; k++) want += !isnan(c.v[b][k]);
    cr_assert_eq(points, want);
    check_no_overlap(&dl, path);
    dl_free(&dl);
    chart_free(&c);
    test_font_close(t);
}

Test(lessonview, panel_width_leaves_room_for_the_animation) {
    float Ws[] = {1024, 1280, 1920, 2560}, px[] = {14, 18, 22, 30, 40};
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 5; k++) {
            float w = narration_panel_width(Ws[i], px[k]);
            cr_assert(w >= 280 && w <= Ws[i] * 0.4f + 0.01f, "%g at %g px in %g", (double)w, (double)px[k], (double)Ws[i]);
            /* at least 12 characters of the font fit on a line */
            cr_assert(w - 2 * px[k] * 0.8f >= 12 * px[k] * 0.5f || px[k] * 19 > Ws[i] * 0.4f);
        }
}

Test(lessonview, a_message_wraps_a_long_error_inside_its_box) {
    const char *msg = "lessons/en/03-dot-attention.md:14: unknown phase 'softmx' (encoder, query, scores, softmax, "
                      "context, combine, output, next)";
    DrawList dl;
    dl_init(&dl, &FAKE);
    narration_message(&dl, 10, 20, 300, 400, true, 16, "Cannot open this lesson", msg);
    check_inside(&dl, 10, 20, 300, 400, 16, "message");
    check_no_overlap(&dl, "message");
    char joined[1024] = "";
    int lines = 0;
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->kind != DL_TEXT || c->tag != LV_TAG_MESSAGE || c->a != 1) continue;
        if (lines++) strcat(joined, " ");
        strcat(joined, dl_str(&dl, c));
    }
    cr_assert_gt(lines, 2);
    /* nothing lost: equal up to the spaces where lines break (the file name
     * itself is wider than the box and is cut between characters) */
    char a[1024], b[1024];
    size_t na = 0, nb = 0;
    for (const char *p = joined; *p; p++) if (*p != ' ') a[na++] = *p;
    for (const char *p = msg; *p; p++) if (*p != ' ') b[nb++] = *p;
    a[na] = b[nb] = '\0';
    cr_assert_str_eq(a, b);
    dl_free(&dl);
}
