/* test_lesson_lab.c — the lab slide's directives (mode: lab, lab:): what they parse into, and one line with FILE:LINE for every bad value or combination. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../src/lesson/lesson.h"

#define HEAD "# T\n\ntask: copy\nlevel: beginner\nminutes: 5\n\n"   /* lines 1-6 */
#define LAB "## S\nmodel: copy-none\ninput: abc\nmode: lab\n"        /* lines 7-10 */

static int parse(const char *name, const char *text, Lesson *L, char *err) {
    return lesson_parse(name, text, strlen(text), L, err);
}

Test(lab_slide, parses_into_the_slide) {
    Lesson L;
    char err[AV_ERR_LEN];
    const char *t = HEAD LAB "lab: score=general,none,none+reverse\nsteps: 400\nspeed: 30\nseed: 7\nprobe: hello\n\nThe lab.\n"
                    "\n## Next\nmode: lab\nlab: tf=1,linear\n";
    cr_assert_eq(parse("ok.md", t, &L, err), 0, "%s", err);
    cr_assert_eq(L.n_slides, 2);
    const LessonSlide *s = &L.slides[0];
    cr_expect(s->lab && !s->train);
    cr_expect_str_eq(s->lab_spec, "score=general,none,none+reverse");
    cr_expect_eq(s->train_steps, 400);
    cr_expect_eq(s->train_speed, 30);
    cr_expect_eq(s->seed, 7);
    cr_expect_str_eq(s->probe, "hello");
    cr_expect_eq(s->dline[LD_LAB], 11);
    cr_expect(L.slides[1].lab && L.slides[1].train_steps == -1, "steps: belongs to its slide");
    cr_expect_str_eq(L.slides[1].lab_spec, "tf=1,linear");
    cr_expect_str_eq(L.slides[1].model, "copy-none", "the model carries over");
    lesson_free(&L);
    cr_assert_eq(parse("view.md", HEAD "## S\nmodel: copy-none\ninput: abc\nmode: view\n", &L, err), 0, "%s", err);
    cr_expect(!L.slides[0].lab && !L.slides[0].train && !L.slides[0].lab_spec);
    lesson_free(&L);
}

typedef struct { const char *name, *text; int line; const char *msg; } Bad;

static const Bad BAD[] = {
    {"mode.md", HEAD "## S\nmodel: copy-none\ninput: abc\nmode: labs\n", 10, "mode must be 'view', 'train' or 'lab', not 'labs'"},
    {"no-lab.md", HEAD LAB "steps: 10\n", 10, "mode: lab needs lab:"},
    {"lab-without-mode.md", HEAD "## S\nmodel: copy-none\ninput: abc\nlab: score=general,none\n", 10, "lab: goes with mode: lab"},
    {"lab-on-train.md", HEAD "## S\nmodel: copy-none\ninput: abc\nmode: train\nlab: score=general,none\n", 11,
     "lab: goes with mode: lab"},
    {"axis.md", HEAD LAB "lab: scores=general,none\n", 11, "lab: expected score=A,B,..., tf=A,B,... or reverse=off,on"},
    {"no-axis.md", HEAD LAB "lab: general,none\n", 11, "lab: expected score="},
    {"score.md", HEAD LAB "lab: score=general,cosine\n", 11, "lab: score: 'cosine' is not a score"},
    {"one.md", HEAD LAB "lab: score=general\n", 11, "a lab compares 2 to 6 configurations, got 1"},
    {"seven.md", HEAD LAB "lab: score=none,dot,general,concat,additive,scaled_dot,none+reverse\n", 11, "at most 6"},
    {"twice-entry.md", HEAD LAB "lab: score=general,general\n", 11, "'general' twice"},
    {"empty-entry.md", HEAD LAB "lab: score=general,,none\n", 11, "an empty or overlong entry"},
    {"tf.md", HEAD LAB "lab: tf=1,sometimes\n", 11, "lab: tf: 'sometimes' is neither a probability"},
    {"reverse.md", HEAD LAB "lab: reverse=off,maybe\n", 11, "lab: reverse: 'maybe': expected on or off"},
    {"plus.md", HEAD LAB "lab: score=general,none+cheat\n", 11, "the only addition is +reverse"},
    {"long.md", HEAD LAB "lab: score=general,none,"
                         "nonexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
     11, "lab: is longer than 200 bytes"},
    {"empty.md", HEAD LAB "lab: \n", 11, "lab: expected score="},
    {"twice.md", HEAD LAB "lab: score=general,none\nlab: tf=1,0\n", 12, "lab: given twice on this slide (first on line 11)"},
    {"steps.md", HEAD LAB "lab: score=general,none\nsteps: -5\n", 12, "steps must be a whole number"},
    {"speed.md", HEAD LAB "lab: score=general,none\nspeed: fast\n", 12, "speed must be steps a second"},
    {"phase.md", HEAD LAB "lab: score=general,none\nphase: softmax\n", 12, "phase: has no place on a lab slide"},
    {"compare.md", HEAD LAB "lab: score=general,none\ncompare: dot general\n", 12, "compare: has no place on a lab slide"},
    {"chart.md", HEAD "## S\nchart: copy-by-length\nmode: lab\nlab: score=general,none\n", 8, "chart: has no place on a lab slide"},
    {"no-model.md", HEAD "## S\nmode: lab\nlab: score=general,none\n", 7, "shows nothing"},
    {"no-input.md", HEAD "## S\nmodel: copy-none\nmode: lab\nlab: score=general,none\n", 7, "has no input"},
};

Test(lab_slide, bad_values_give_one_line_with_file_and_line) {
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        Lesson L;
        char err[AV_ERR_LEN] = "", want[64];
        int rc = parse(BAD[i].name, BAD[i].text, &L, err);
        cr_expect_eq(rc, -1, "%s: accepted", BAD[i].name);
        if (rc == 0) {
            lesson_free(&L);
            continue;
        }
        snprintf(want, sizeof want, "%s:%d: ", BAD[i].name, BAD[i].line);
        cr_expect(strncmp(err, want, strlen(want)) == 0, "%s: got '%s', want prefix '%s'", BAD[i].name, err, want);
        cr_expect(strstr(err, BAD[i].msg) != NULL, "%s: got '%s', want '%s'", BAD[i].name, err, BAD[i].msg);
        cr_expect(strchr(err, '\n') == NULL, "%s: not one line", BAD[i].name);
        cr_expect(strstr(err, ": --lab") == NULL, "%s: the command line's option name: '%s'", BAD[i].name, err);
    }
}

/* Probe: a lab slide may name its sentence instead of an input. */
Test(lab_slide, a_probe_stands_for_the_input) {
    Lesson L;
    char err[AV_ERR_LEN];
    const char *t = HEAD "## S\nmodel: copy-none\nmode: lab\nlab: reverse=off,on\nprobe: abcdef\n";
    cr_assert_eq(parse("probe.md", t, &L, err), 0, "%s", err);
    cr_expect_str_eq(L.slides[0].probe, "abcdef");
    cr_expect_null(L.slides[0].input);
    lesson_free(&L);
}
