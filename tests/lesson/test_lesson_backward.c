/* test_lesson_backward.c — the backward pass's lesson directives: direction:, lr: and a backward phase: parse, belong
 * to their slide, and are refused with the right line and message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lesson/lesson.h"

#define HEAD "# T\n\ntask: en-ko\nlevel: beginner\nminutes: 5\n\n"   /* lines 1-6 */
#define SLIDE HEAD "## S\nmodel: en-ko-dot\ninput: I love you\ntarget: 나는 너를 사랑해\n"   /* 7-10 */

static int parse(const char *text, Lesson *L, char *err) { return lesson_parse("t.md", text, strlen(text), L, err); }

Test(backward_directives, a_backward_slide_parses) {
    Lesson L;
    char err[AV_ERR_LEN];
    cr_assert_eq(parse(SLIDE "direction: backward\nphase: scores\nlr: 0.5\n\nText.\n\n## S2\nphase: softmax\n\nMore.\n"
                             "## S3\ndirection: backward\n\nLast.\n", &L, err), 0, "%s", err);
    const LessonSlide *s = &L.slides[0];
    cr_expect(s->backward);
    cr_expect_eq(s->back_phase, BPH_SCORES);
    cr_expect_eq(s->phase, PH_SCORES);   /* also a forward name: direction: decides */
    cr_expect_float_eq(s->lr, 0.5f, 1e-7);
    cr_expect_eq(lesson_slide_back_phase(s), BPH_SCORES);
    cr_expect_eq(s->dline[LD_DIRECTION], 11);
    cr_expect_eq(s->dline[LD_LR], 13);
    s = &L.slides[1];   /* direction and lr belong to their slide */
    cr_expect(!s->backward);
    cr_expect_eq(s->lr, -1);
    cr_expect_eq(s->phase, PH_SOFTMAX);
    cr_expect_eq(s->back_phase, -1);
    s = &L.slides[2];
    cr_expect(s->backward);
    cr_expect_eq(lesson_slide_back_phase(s), BPH_LOSS);   /* no phase: the first backward one */
    cr_expect_str_eq(lesson_directive_name(LD_DIRECTION), "direction");
    cr_expect_str_eq(lesson_directive_name(LD_LR), "lr");
    lesson_free(&L);
    for (int p = 0; p < BPH_COUNT; p++) {   /* every backward phase by its name */
        char text[400];
        snprintf(text, sizeof text, SLIDE "direction: backward\nphase: %s\n", back_phase_name(p));
        cr_assert_eq(parse(text, &L, err), 0, "%s: %s", back_phase_name(p), err);
        cr_expect_eq(L.slides[0].back_phase, p);
        lesson_free(&L);
    }
}

typedef struct { const char *text; int line; const char *msg; } Bad;

static const Bad BAD[] = {
    {SLIDE "direction: sideways\n", 11, "direction must be 'forward' or 'backward', not 'sideways'"},
    {SLIDE "direction: backward\nlr: 0\n", 12, "lr must be a learning rate from 0.001 to 10, not '0'"},
    {SLIDE "direction: backward\nlr: fast\n", 12, "lr must be"},
    {SLIDE "direction: backward\nlr: inf\n", 12, "lr must be"},
    {SLIDE "lr: 0.5\n", 11, "lr: goes with direction: backward"},
    {HEAD "## S\nmodel: en-ko-dot\ninput: I love you\ndirection: backward\n", 10, "needs a target"},
    {SLIDE "phase: loss\n", 11, "phase 'loss' is a backward phase: add direction: backward"},
    {SLIDE "direction: backward\nphase: softmax\n", 12, "phase 'softmax' is not a backward phase"},
    {SLIDE "phase: los\n", 11, "unknown phase 'los'"},
    {SLIDE "direction: backward\ncompare: dot general\n", 11, "direction: backward and compare:"},
    {SLIDE "direction: backward\nside-by-side: on\n", 11, "use one of them"},
    {HEAD "## S\nchart: copy-by-length\ndirection: backward\n", 9, "direction: needs a model"},
    {SLIDE "direction: backward\ndirection: forward\n", 12, "given twice on this slide (first on line 11)"},
};

Test(backward_directives, bad_ones_give_their_line_and_message) {
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        Lesson L;
        char err[AV_ERR_LEN] = "", want[64];
        cr_expect_eq(parse(BAD[i].text, &L, err), -1, "case %zu accepted", i);
        snprintf(want, sizeof want, "t.md:%d: ", BAD[i].line);
        cr_expect(strncmp(err, want, strlen(want)) == 0, "case %zu: got '%s', want the prefix '%s'", i, err, want);
        cr_expect(strstr(err, BAD[i].msg) != NULL, "case %zu: got '%s', want '%s'", i, err, BAD[i].msg);
    }
}

