/* test_lesson.c — the lesson parser (src/lesson/lesson.c) and the course in
 * lessons/: every lesson parses, every directive is valid, the languages
 * agree slide by slide, malformed lessons name the right line, and (once
 * models ship) every slide works with assets/models/.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson/lesson.h"
#include "paths.h"

/* ---- helpers ---------------------------------------------------------------- */

static char tmpdir[256];

static void make_tmpdir(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/attnviz-lesson-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir), "mkdtemp failed");
}

static void rm_rf(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) rm_rf(p);
        else unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void write_file(const char *path, const char *data, size_t n) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

static void write_text(const char *path, const char *text) { write_file(path, text, strlen(text)); }

/* Parse `text` from a file in the temp dir; returns lesson_load's status. */
static int load_text(const char *name, const char *text, Lesson *L, char *err, char *path, size_t cap) {
    snprintf(path, cap, "%s/%s", tmpdir, name);
    write_text(path, text);
    return lesson_load(path, L, err);
}

static const char *TASKS[] = {"dates", "reverse", "en-ko", "en-fr", "copy"};
static const char *SHIPPED_SCORES[] = {"none", "dot", "scaled_dot", "general", "concat", "additive"};

/* The models make models ships: <task>-<score>, and copy-none-reversed. */
static bool shipped_model(const char *name) {
    /* and lesson 9's half-trained snapshots (tools/make-models.sh) */
    static const char *const OTHERS[] = {"copy-none-reversed", "en-ko-general-step500", "dates-general-step200"};
    for (size_t i = 0; i < sizeof OTHERS / sizeof *OTHERS; i++)
        if (strcmp(name, OTHERS[i]) == 0) return true;
    char buf[128];
    for (size_t t = 0; t < sizeof TASKS / sizeof *TASKS; t++)
        for (size_t s = 0; s < sizeof SHIPPED_SCORES / sizeof *SHIPPED_SCORES; s++) {
            snprintf(buf, sizeof buf, "%s-%s", TASKS[t], SHIPPED_SCORES[s]);
            if (strcmp(buf, name) == 0) return true;
        }
    return false;
}

static int count_models(void) {
    DIR *d = opendir(models_dir());
    if (!d) return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t k = strlen(de->d_name);
        if (k > 12 && strcmp(de->d_name + k - 12, ".safetensors") == 0) n++;
    }
    closedir(d);
    return n;
}

/* Every language folder under lessons/ (en first). */
static int languages(char langs[][8], int max) {
    int n = 0;
    snprintf(langs[n++], 8, "en");
    DIR *d = opendir(LESSONS_DIR);
    cr_assert_not_null(d, "cannot open " LESSONS_DIR " (run the tests from the repo root)");
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < max) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "en") == 0) continue;
        char p[512];
        snprintf(p, sizeof p, LESSONS_DIR "/%s", de->d_name);
        struct stat st;
        size_t k = strlen(de->d_name);
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode) && k < 8) {
            memcpy(langs[n], de->d_name, k + 1);
            n++;
        }
    }
    closedir(d);
    return n;
}

static bool has_hangul(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        /* U+AC00..U+D7A3 encode as EA B0 80 .. ED 9E A3 */
        if (*p >= 0xEA && *p <= 0xED && (p[1] & 0xC0) == 0x80) return true;
    return false;
}

/* ---- the course ---------------------------------------------------------------- */

Test(course, ten_lessons_parse_in_every_language) {
    char langs[8][8];
    int nl = languages(langs, 8);
    cr_assert_geq(nl, 2, "expected at least lessons/en and lessons/ko");
    for (int li = 0; li < nl; li++) {
        LessonEntry *e; int n;
        char err[AV_ERR_LEN];
        cr_assert_eq(lesson_list(LESSONS_DIR, langs[li], &e, &n, err), 0, "%s", err);
        cr_expect_eq(n, 10, "lessons/%s has %d lessons, expected 10", langs[li], n);
        for (int i = 0; i < n; i++) {
            cr_expect_str_empty(e[i].error, "%s", e[i].error);
            cr_expect_eq(e[i].number, i + 1, "lessons/%s: lesson %d is numbered %d", langs[li], i + 1, e[i].number);
            Lesson L;
            cr_assert_eq(lesson_load(e[i].path, &L, err), 0, "%s", err);
            cr_expect_str_eq(L.lang, langs[li]);
            cr_expect_eq(L.number, i + 1);
            cr_expect_str_eq(L.title, e[i].title);
            cr_expect_geq(L.n_slides, 5, "%s: only %d slides", e[i].path, L.n_slides);
            lesson_free(&L);
        }
        free(e);
    }
}

Test(course, every_directive_is_valid) {
    const char *langs[] = {"en", "ko"};
    for (int li = 0; li < 2; li++) {
        LessonEntry *e; int n;
        char err[AV_ERR_LEN];
        cr_assert_eq(lesson_list(LESSONS_DIR, langs[li], &e, &n, err), 0, "%s", err);
        for (int i = 0; i < n; i++) {
            Lesson L;
            cr_assert_eq(lesson_load(e[i].path, &L, err), 0, "%s", err);
            bool known_task = false;
            for (size_t t = 0; t < sizeof TASKS / sizeof *TASKS; t++) known_task |= !strcmp(L.task, TASKS[t]);
            cr_expect(known_task, "%s: unknown task %s", L.path, L.task);
            cr_expect_gt(L.minutes, 0);
            for (int k = 0; k < L.n_slides; k++) {
                const LessonSlide *s = &L.slides[k];
                const char *w = L.path;
                cr_expect(s->model || s->chart, "%s:%d: slide shows nothing", w, s->line);
                cr_expect(s->step == 0 || s->step == LESSON_STEP_LAST || (s->step >= 1 && s->step <= LESSON_MAX_STEP),
                          "%s:%d: step %d", w, s->line, s->step);
                cr_expect(s->phase == PH_UNSET || (s->phase >= 0 && s->phase < PH_COUNT),
                          "%s:%d: phase %d", w, s->line, s->phase);
                if (s->set & (1u << LD_PHASE)) cr_expect(s->backward ? s->back_phase >= 0 : s->phase != PH_UNSET);
                cr_expect(s->score >= -1 && s->score <= SCORE_ADDITIVE, "%s:%d: score %d", w, s->line, s->score);
                if (s->compare[0] >= 0) cr_expect_neq(s->compare[0], s->compare[1]);
                cr_expect(s->teacher_forcing == -1 || (s->teacher_forcing >= 0 && s->teacher_forcing <= 1));
                cr_expect(s->n_blocks > 0, "%s:%d: slide without narration", w, s->line);
                /* every model the slide needs is one the project ships */
                if (s->model) {
                    char name[128];
                    if (s->compare[0] >= 0) {
                        for (int c = 0; c < 2; c++) {
                            cr_assert_eq(lesson_model_with_score(s->model, (ScoreKind)s->compare[c], name, sizeof name), 0);
                            cr_expect(shipped_model(name), "%s:%d: %s is not a shipped model", w, s->line, name);
                        }
                    } else {
                        cr_assert_eq(lesson_slide_model(s, name, sizeof name), 0);
                        cr_expect(shipped_model(name), "%s:%d: %s is not a shipped model", w, s->line, name);
                    }
                    cr_expect_not_null(s->input, "%s:%d: model without input", w, s->line);
                }
                for (int b = 0; b < s->n_blocks; b++) {
                    const LessonBlock *k = &s->blocks[b];   /* text, or a table with a row under its header */
                    cr_expect(k->kind == LESSON_BLOCK_TABLE ? k->n_rows > 1 && k->n_spans == 0 : k->n_spans > 0,
                              "%s:%d: an empty block", w, k->line);
                    for (int sp = 0; sp < s->blocks[b].n_spans; sp++)
                        cr_expect(s->blocks[b].spans[sp].text[0] != '\0');
                }
            }
            lesson_free(&L);
        }
        free(e);
    }
}

/* Every language has the lessons of en, with the same header values and
 * the same directives on every slide; its narration is its own. */
Test(course, languages_have_the_same_slides) {
    char langs[8][8];
    int nl = languages(langs, 8);
    char err[AV_ERR_LEN];
    LessonEntry *en; int n_en;
    cr_assert_eq(lesson_list(LESSONS_DIR, "en", &en, &n_en, err), 0, "%s", err);
    for (int li = 1; li < nl; li++) {
        LessonEntry *o; int n_o;
        cr_assert_eq(lesson_list(LESSONS_DIR, langs[li], &o, &n_o, err), 0, "%s", err);
        cr_assert_eq(n_o, n_en, "lessons/%s has %d lessons, en has %d", langs[li], n_o, n_en);
        for (int i = 0; i < n_en; i++) {
            const char *be = strrchr(en[i].path, '/') + 1, *bo = strrchr(o[i].path, '/') + 1;
            cr_expect_str_eq(bo, be, "lesson %d: %s vs %s", i + 1, o[i].path, en[i].path);
            Lesson A, B;
            cr_assert_eq(lesson_load(en[i].path, &A, err), 0, "%s", err);
            cr_assert_eq(lesson_load(o[i].path, &B, err), 0, "%s", err);
            cr_expect_str_eq(A.task, B.task, "%s: task", B.path);
            cr_expect_eq(A.level, B.level, "%s: level", B.path);
            cr_expect_eq(A.minutes, B.minutes, "%s: minutes", B.path);
            cr_assert_eq(A.n_slides, B.n_slides, "%s has %d slides, %s has %d", B.path, B.n_slides, A.path, A.n_slides);
            for (int k = 0; k < A.n_slides; k++) {
                const LessonSlide *a = &A.slides[k], *b = &B.slides[k];
                const char *w = B.path;
                int l = b->line;
#define SAME_STR(f) cr_expect((a->f == NULL) == (b->f == NULL) && (!a->f || !strcmp(a->f, b->f)), \
                              "%s:%d: " #f " differs from en (%s vs %s)", w, l, b->f ? b->f : "-", a->f ? a->f : "-")
                cr_expect_eq(a->set, b->set, "%s:%d: not the same directives as %s:%d", w, l, A.path, a->line);
                SAME_STR(model); SAME_STR(input); SAME_STR(target); SAME_STR(chart); SAME_STR(probe); SAME_STR(lab_spec);
                cr_expect(a->train == b->train && a->lab == b->lab && a->train_steps == b->train_steps &&
                          a->train_speed == b->train_speed, "%s:%d: mode, steps or speed differs from en", w, l);
                cr_expect_eq(a->step, b->step, "%s:%d: step", w, l);
                cr_expect_eq(a->phase, b->phase, "%s:%d: phase", w, l);
                cr_expect_eq(a->score, b->score, "%s:%d: score", w, l);
                cr_expect_eq(a->compare[0], b->compare[0], "%s:%d: compare", w, l);
                cr_expect_eq(a->compare[1], b->compare[1], "%s:%d: compare", w, l);
                cr_expect_eq(a->teacher_forcing, b->teacher_forcing, "%s:%d: teacher-forcing", w, l);
                cr_expect_eq(a->seed, b->seed, "%s:%d: seed", w, l);
                cr_expect_eq(a->side_by_side, b->side_by_side, "%s:%d: side-by-side", w, l);
                cr_expect_eq(a->backward, b->backward, "%s:%d: direction", w, l);
                cr_expect_eq(a->back_phase, b->back_phase, "%s:%d: phase", w, l);
                cr_expect_eq(a->lr, b->lr, "%s:%d: lr", w, l);
#undef SAME_STR
                if (!strcmp(langs[li], "ko")) {
                    bool korean = has_hangul(b->title);
                    for (int bl = 0; bl < b->n_blocks && !korean; bl++)
                        for (int sp = 0; sp < b->blocks[bl].n_spans; sp++)
                            if (b->blocks[bl].spans[sp].kind == LESSON_SPAN_PLAIN && has_hangul(b->blocks[bl].spans[sp].text))
                                korean = true;
                    cr_expect(korean, "%s:%d: the Korean slide has no Korean narration", w, l);
                }
            }
            lesson_free(&A);
            lesson_free(&B);
        }
        free(o);
    }
    free(en);
}

/* Against the shipped models: every slide must check out. */
Test(course, every_slide_works_with_the_shipped_models) {
    cr_assert_gt(count_models(), 0, "no *.safetensors in %s: the shipped models are missing", models_dir());
    const char *langs[] = {"en", "ko"};
    int failures = 0;
    for (int li = 0; li < 2; li++) {
        LessonEntry *e; int n;
        char err[AV_ERR_LEN];
        cr_assert_eq(lesson_list(LESSONS_DIR, langs[li], &e, &n, err), 0, "%s", err);
        for (int i = 0; i < n; i++) {
            Lesson L;
            cr_assert_eq(lesson_load(e[i].path, &L, err), 0, "%s", err);
            for (int k = 0; k < L.n_slides; k++)
                if (lesson_check_slide(&L, k, models_dir(), err)) { cr_expect_fail("%s", err); failures++; }
            lesson_free(&L);
        }
        free(e);
    }
    cr_expect_eq(failures, 0);
}

/* ---- malformed lessons: the right line and message ---------------------------------- */

#define HEAD "# T\n\ntask: en-ko\nlevel: beginner\nminutes: 5\n\n"   /* lines 1-6 */

typedef struct { const char *name, *text; int line; const char *msg; } Bad;

static const Bad BAD[] = {
    {"no-title.md", "task: en-ko\n", 1, "starts with its title"},
    {"empty.md", "", 1, "empty lesson"},
    {"missing-minutes.md", "# T\ntask: en-ko\nlevel: beginner\n\n## S\nmodel: en-ko-dot\n", 5, "missing header field 'minutes'"},
    {"missing-task-eof.md", "# T\nlevel: beginner\nminutes: 3\n", 3, "missing header field 'task'"},
    {"no-slides.md", HEAD, 6, "no slides"},
    {"header-unknown.md", "# T\ntopic: x\n", 2, "unknown header field 'topic'"},
    {"header-directive.md", "# T\nmodel: en-ko-dot\n", 2, "slide directive"},
    {"header-twice.md", "# T\ntask: copy\ntask: dates\n", 3, "given twice (first on line 2)"},
    {"bad-level.md", "# T\ntask: copy\nlevel: expert\n", 3, "unknown level 'expert'"},
    {"bad-minutes.md", "# T\ntask: copy\nlevel: beginner\nminutes: ten\n", 4, "minutes must be"},
    {"text-before.md", "# T\ntask: copy\nHello class\n", 3, "text before the first slide"},
    {"two-titles.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\n\n# Again\n", 11, "a second '# ' title"},
    {"unknown-directive.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nstpe: 2\n", 10, "unknown directive 'stpe'"},
    {"step-zero.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nstep: 0\n", 10, "step must be a positive integer"},
    {"step-negative.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nstep: -2\n", 10, "step must be a positive integer"},
    {"step-word.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nstep: two\n", 10, "not 'two'"},
    {"step-huge.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nstep: 99999999999999999999\n", 10, "step must be"},
    {"phase.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\n\n## S2\nphase: softmx\n", 12, "unknown phase 'softmx'"},
    {"score.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nscore: cosine\n", 10, "unknown score 'cosine'"},
    {"compare-one.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\ncompare: dot\n", 10, "exactly two scores"},
    {"compare-same.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\ncompare: dot dot\n", 10, "two different scores"},
    {"compare-unknown.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\ncompare: dot best\n", 10, "unknown score 'best'"},
    {"tf-range.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\ntarget: 나는 너를 사랑해\nteacher-forcing: 1.5\n", 11, "probability from 0 to 1"},
    {"tf-nan.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\ntarget: 나는 너를 사랑해\nteacher-forcing: nan\n", 11, "probability"},
    {"tf-no-target.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nteacher-forcing: 0.5\n", 10, "needs a target"},
    {"seed.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nseed: -1\n", 10, "seed must be a whole number"},
    {"side.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nside-by-side: yes\n", 10, "'on' or 'off'"},
    {"chart.md", HEAD "## S\nchart: pie\n", 8, "unknown chart 'pie'"},
    {"model-path.md", HEAD "## S\nmodel: ../etc/passwd\n", 8, "bad model name"},
    {"model-ext.md", HEAD "## S\nmodel: en-ko-dot.safetensors\ninput: x\n", 8, "without .safetensors"},
    {"twice.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\nstep: 1\nstep: 2\n", 11, "given twice on this slide (first on line 10)"},
    {"empty-slide.md", HEAD "## S\nmodel: en-ko-dot\ninput: I love you\n\n## Empty\n\n## Next\nstep: 1\n", 11, "empty slide 'Empty'"},
    {"nothing.md", HEAD "## S\nJust words.\n", 7, "shows nothing"},
    {"no-input.md", HEAD "## S\nmodel: en-ko-dot\n\nWords.\n", 7, "has no input"},
    {"no-model-step.md", HEAD "## S\nchart: copy-by-length\nstep: 2\n", 9, "step: needs a model"},
    {"score-name.md", HEAD "## S\nmodel: mymodel\ninput: hi\nscore: dot\n", 10, "needs a model named TASK-SCORE"},
    {"score-compare.md", HEAD "## S\nmodel: en-ko-dot\ninput: hi\nscore: dot\ncompare: dot general\n", 11, "use one of them"},
    {"untitled-slide.md", HEAD "## \nmodel: en-ko-dot\n", 7, "slide without a title"},
    {"unclosed-bold.md", HEAD "## S\nmodel: en-ko-dot\ninput: hi\n\nLine one\nline **two\nline three\n", 12, "unclosed ** (bold)"},
    {"unclosed-code.md", HEAD "## S\nmodel: en-ko-dot\ninput: hi\n\nA `code\n", 11, "unclosed ` (code span)"},
    {"unclosed-math.md", HEAD "## S\nmodel: en-ko-dot\ninput: hi\n\nFirst.\n\nCosts $5 today\n", 13, "unclosed $ (math span)"},
    {"unclosed-italic.md", HEAD "## S\nmodel: en-ko-dot\ninput: hi\n\n- an *item\n", 11, "unclosed * (italic)"},
    {"unclosed-fence.md", HEAD "## S\nmodel: en-ko-dot\ninput: hi\n\n```\nx = 1\n", 11, "``` block never closed"},
    {"unclosed-comment.md", HEAD "## S\nmodel: en-ko-dot\ninput: hi\n<!-- note\nstill\n", 10, "comment never closed"},
    {"empty-item.md", HEAD "## S\nmodel: en-ko-dot\ninput: hi\n\n- \n", 11, "empty list item"},
    {"crlf.md", "# T\r\ntask: en-ko\r\nlevel: beginner\r\nminutes: 5\r\n\r\n## S\r\nmodel: en-ko-dot\r\nstep: x\r\n", 8, "step must be"},
};

Test(malformed, each_gives_its_line_and_message) {
    make_tmpdir();
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        Lesson L;
        char err[AV_ERR_LEN] = "", path[512];
        int rc = load_text(BAD[i].name, BAD[i].text, &L, err, path, sizeof path);
        cr_expect_eq(rc, -1, "%s: accepted", BAD[i].name);
        if (rc == 0) { lesson_free(&L); continue; }
        char want[600];
        snprintf(want, sizeof want, "%s:%d: ", path, BAD[i].line);
        cr_expect(strncmp(err, want, strlen(want)) == 0, "%s: got '%s', want prefix '%s'", BAD[i].name, err, want);
        cr_expect(strstr(err, BAD[i].msg) != NULL, "%s: got '%s', want '%s'", BAD[i].name, err, BAD[i].msg);
        cr_expect(strchr(err, '\n') == NULL, "%s: message is not one line", BAD[i].name);
        cr_expect_null(L.slides); cr_expect_null(L.title);
    }
    rm_rf(tmpdir);
}

Test(malformed, invalid_utf8_names_its_line) {
    make_tmpdir();
    const char *cases[][2] = {
        {HEAD "## S\nmodel: en-ko-dot\ninput: caf\xC3\n", "9"},            /* truncated */
        {HEAD "## S\nmodel: en-ko-dot\ninput: I love you\n\nx \xC0\xAF y\n", "11"}, /* overlong '/' */
        {HEAD "## S\n\xED\xA0\x80\n", "8"},                                    /* surrogate */
        {"# T\xFF\n", "1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Lesson L;
        char err[AV_ERR_LEN], path[512], want[600];
        cr_expect_eq(load_text("utf8.md", cases[i][0], &L, err, path, sizeof path), -1);
        snprintf(want, sizeof want, "%s:%s: invalid UTF-8", path, cases[i][1]);
        cr_expect(strncmp(err, want, strlen(want)) == 0, "got '%s', want '%s'", err, want);
    }
    /* a NUL byte in the middle */
    char path[512], err[AV_ERR_LEN];
    static const char nul[] = "# T\ntask: copy\nle\0vel: beginner\n";
    snprintf(path, sizeof path, "%s/nul.md", tmpdir);
    write_file(path, nul, sizeof nul - 1);
    Lesson L;
    cr_expect_eq(lesson_load(path, &L, err), -1);
    char want[600];
    snprintf(want, sizeof want, "%s:3: NUL byte", path);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "got '%s'", err);
    rm_rf(tmpdir);
}

Test(malformed, too_large_and_missing_files) {
    make_tmpdir();
    size_t n = LESSON_MAX_BYTES + 10;
    char *big = malloc(n);
    cr_assert_not_null(big);
    memset(big, 'a', n);
    memcpy(big, "# T\n", 4);
    for (size_t i = 100; i < n; i += 80) big[i] = '\n';
    char path[512], err[AV_ERR_LEN];
    snprintf(path, sizeof path, "%s/big.md", tmpdir);
    write_file(path, big, n);
    free(big);
    Lesson L;
    cr_expect_eq(lesson_load(path, &L, err), -1);
    cr_expect(strstr(err, "file too large") != NULL, "got '%s'", err);
    cr_expect(strncmp(err, path, strlen(path)) == 0, "got '%s'", err);

    snprintf(path, sizeof path, "%s/absent.md", tmpdir);
    cr_expect_eq(lesson_load(path, &L, err), -1);
    cr_expect(strncmp(err, path, strlen(path)) == 0 && strstr(err, "cannot open"), "got '%s'", err);
    rm_rf(tmpdir);
}

/* ---- what a good lesson turns into --------------------------------------------------- */

static const char *GOOD =
    "\xEF\xBB\xBF<!-- a BOM and a comment before the title -->\n"
    "# Good lesson\n"                                   /* 2 */
    "task: en-ko\n"
    "level: advanced\n"
    "minutes: 12\n"
    "\n"
    "## First\n"                                        /* 7 */
    "model: en-ko-dot\n"
    "input:   I love you  \n"
    "target: 나는 너를 사랑해\n"
    "step: 2\n"
    "phase: softmax\n"
    "teacher-forcing: 0.25\n"
    "seed: 18446744073709551615\n"
    "side-by-side: on\n"
    "\n"
    "Some **bold** and *it* with `code`, $a_t(s) = 1$ and \\*stars\\* and 2 * 3.\n"  /* 17 */
    "Second line of the paragraph.\n"
    "\n"
    "- item one\n"                                      /* 20 */
    "  continued\n"
    "  - nested **b**\n"
    "3. third\n"
    "### Small heading\n"
    "```\n"                                             /* 25 */
    "x = 1\n"
    "  y = 2\n"
    "```\n"
    "<!-- notes\n"
    "for the teacher -->\n"
    "---\n"
    "Note: narration may look like a directive once it has started.\n"  /* 32 */
    "\n"
    "## Second: carries model and input\n"              /* 34 */
    "score: general\n"
    "\n"
    "Just text.\n"
    "\n"
    "## Third: new input drops the target\n"            /* 39 */
    "input: you love me\n"
    "compare: dot concat\n"
    "step: last\n"
    "Narration right after directives.\n"
    "\n"
    "## Chart\n"                                        /* 45 */
    "chart: copy-by-length\n"
    "model: copy-none-reversed\n"
    "input: abcde\n"
    "\n"
    "Text.\n";

static void expect_span(const LessonBlock *b, int i, LessonSpanKind k, const char *text) {
    cr_assert_lt(i, b->n_spans, "block at line %d has %d spans, wanted span %d", b->line, b->n_spans, i);
    cr_expect_eq(b->spans[i].kind, k, "span %d '%s': kind %d, want %d", i, b->spans[i].text, b->spans[i].kind, k);
    cr_expect_str_eq(b->spans[i].text, text);
}

Test(good, header_directives_and_narration) {
    make_tmpdir();
    char dir[600], path[700], err[AV_ERR_LEN];
    snprintf(dir, sizeof dir, "%s/ko", tmpdir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/07-good.md", dir);
    write_text(path, GOOD);
    Lesson L;
    cr_assert_eq(lesson_load(path, &L, err), 0, "%s", err);
    cr_expect_str_eq(L.title, "Good lesson");
    cr_expect_str_eq(L.task, "en-ko");
    cr_expect_eq(L.level, LESSON_ADVANCED);
    cr_expect_eq(L.minutes, 12);
    cr_expect_str_eq(L.lang, "ko");
    cr_expect_eq(L.number, 7);
    cr_assert_eq(L.n_slides, 4);

    const LessonSlide *s = &L.slides[0];
    cr_expect_str_eq(s->title, "First");
    cr_expect_eq(s->line, 7);
    cr_expect_str_eq(s->model, "en-ko-dot");
    cr_expect_str_eq(s->input, "I love you");
    cr_expect_str_eq(s->target, "나는 너를 사랑해");
    cr_expect_eq(s->step, 2);
    cr_expect_eq(s->phase, PH_SOFTMAX);
    cr_expect_float_eq(s->teacher_forcing, 0.25f, 1e-7);
    cr_expect_eq(s->seed, UINT64_MAX);
    cr_expect(s->side_by_side);
    cr_expect_eq(s->score, -1);
    cr_expect_eq(s->compare[0], -1);
    cr_expect_null(s->chart);
    cr_expect_eq(s->dline[LD_PHASE], 12);
    cr_expect_eq(s->set, (1u << LD_MODEL) | (1u << LD_INPUT) | (1u << LD_TARGET) | (1u << LD_STEP) |
                         (1u << LD_PHASE) | (1u << LD_TEACHER_FORCING) | (1u << LD_SEED) | (1u << LD_SIDE_BY_SIDE));

    cr_assert_eq(s->n_blocks, 7);
    const LessonBlock *b = &s->blocks[0];
    cr_expect_eq(b->kind, LESSON_BLOCK_PARAGRAPH);
    cr_expect_eq(b->line, 17);
    expect_span(b, 0, LESSON_SPAN_PLAIN, "Some ");
    expect_span(b, 1, LESSON_SPAN_BOLD, "bold");
    expect_span(b, 2, LESSON_SPAN_PLAIN, " and ");
    expect_span(b, 3, LESSON_SPAN_ITALIC, "it");
    expect_span(b, 4, LESSON_SPAN_PLAIN, " with ");
    expect_span(b, 5, LESSON_SPAN_CODE, "code");
    expect_span(b, 6, LESSON_SPAN_PLAIN, ", ");
    expect_span(b, 7, LESSON_SPAN_MATH, "a_t(s) = 1");
    expect_span(b, 8, LESSON_SPAN_PLAIN, " and *stars* and 2 * 3. Second line of the paragraph.");
    cr_expect_eq(b->n_spans, 9);

    b = &s->blocks[1];
    cr_expect_eq(b->kind, LESSON_BLOCK_BULLET);
    cr_expect_eq(b->level, 0);
    cr_expect_eq(b->line, 20);
    expect_span(b, 0, LESSON_SPAN_PLAIN, "item one continued");
    b = &s->blocks[2];
    cr_expect_eq(b->kind, LESSON_BLOCK_BULLET);
    cr_expect_eq(b->level, 1);
    expect_span(b, 0, LESSON_SPAN_PLAIN, "nested ");
    expect_span(b, 1, LESSON_SPAN_BOLD, "b");
    b = &s->blocks[3];
    cr_expect_eq(b->kind, LESSON_BLOCK_NUMBERED);
    cr_expect_eq(b->number, 3);
    expect_span(b, 0, LESSON_SPAN_PLAIN, "third");
    b = &s->blocks[4];
    cr_expect_eq(b->kind, LESSON_BLOCK_HEADING);
    expect_span(b, 0, LESSON_SPAN_PLAIN, "Small heading");
    b = &s->blocks[5];
    cr_expect_eq(b->kind, LESSON_BLOCK_CODE);
    cr_expect_eq(b->line, 25);
    expect_span(b, 0, LESSON_SPAN_CODE, "x = 1\n  y = 2");
    b = &s->blocks[6];
    cr_expect_eq(b->kind, LESSON_BLOCK_PARAGRAPH);
    cr_expect_eq(b->line, 32);
    expect_span(b, 0, LESSON_SPAN_PLAIN, "Note: narration may look like a directive once it has started.");

    /* slide 2: model, input, target carried; step, phase, tf, seed not */
    s = &L.slides[1];
    cr_expect_eq(s->set, 1u << LD_SCORE);
    cr_expect_str_eq(s->model, "en-ko-dot");
    cr_expect_str_eq(s->input, "I love you");
    cr_expect_str_eq(s->target, "나는 너를 사랑해");
    cr_expect_eq(s->dline[LD_MODEL], 8);
    cr_expect_eq(s->step, 0);
    cr_expect_eq(s->phase, PH_UNSET);
    cr_expect_eq(s->teacher_forcing, -1);
    cr_expect(!s->side_by_side);
    cr_expect_eq(s->score, SCORE_GENERAL);
    char name[64];
    cr_expect_eq(lesson_slide_model(s, name, sizeof name), 0);
    cr_expect_str_eq(name, "en-ko-general");

    /* slide 3: a new input drops the target */
    s = &L.slides[2];
    cr_expect_str_eq(s->input, "you love me");
    cr_expect_null(s->target);
    cr_expect_eq(s->step, LESSON_STEP_LAST);
    cr_expect_eq(s->compare[0], SCORE_DOT);
    cr_expect_eq(s->compare[1], SCORE_CONCAT);
    cr_assert_eq(s->n_blocks, 1);
    expect_span(&s->blocks[0], 0, LESSON_SPAN_PLAIN, "Narration right after directives.");

    s = &L.slides[3];
    cr_expect_str_eq(s->chart, "copy-by-length");
    cr_expect_str_eq(s->model, "copy-none-reversed");
    lesson_free(&L);
    cr_expect_null(L.slides);
    rm_rf(tmpdir);
}

Test(good, model_names_with_scores) {
    char out[64];
    cr_expect_eq(lesson_model_with_score("en-ko-dot", SCORE_GENERAL, out, sizeof out), 0);
    cr_expect_str_eq(out, "en-ko-general");
    cr_expect_eq(lesson_model_with_score("copy-none-reversed", SCORE_ADDITIVE, out, sizeof out), 0);
    cr_expect_str_eq(out, "copy-additive-reversed");
    cr_expect_eq(lesson_model_with_score("dates-scaled_dot", SCORE_NONE, out, sizeof out), 0);
    cr_expect_str_eq(out, "dates-none");
    cr_expect_eq(lesson_model_with_score("mymodel", SCORE_DOT, out, sizeof out), -1);
    cr_expect_eq(lesson_model_with_score("dot", SCORE_DOT, out, sizeof out), -1);  /* no task part */
    cr_expect_eq(lesson_model_with_score("en-ko-dot", SCORE_GENERAL, out, 8), -1); /* too small */
}

Test(good, names_and_locale) {
    Phase p;
    const char *order[] = {"encoder", "query", "scores", "softmax", "context", "combine", "output", "next"};
    for (int i = 0; i < 8; i++) {
        cr_expect_eq(phase_parse(order[i], &p), 0);
        cr_expect_eq((int)p, i);
        cr_expect_str_eq(phase_name(p), order[i]);
    }
    cr_expect_eq(phase_parse("Softmax", &p), -1);
    cr_expect_str_eq(lesson_lang_from_locale("ko_KR.UTF-8"), "ko");
    cr_expect_str_eq(lesson_lang_from_locale("ko"), "ko");
    cr_expect_str_eq(lesson_lang_from_locale("kok_IN"), "en");
    cr_expect_str_eq(lesson_lang_from_locale("en_US.UTF-8"), "en");
    cr_expect_str_eq(lesson_lang_from_locale(NULL), "en");
    cr_expect_str_eq(lesson_lang_from_locale(""), "en");
}

/* ---- the picker ----------------------------------------------------------------------- */

Test(picker, lists_sorted_with_broken_ones_and_falls_back_to_en) {
    make_tmpdir();
    char p[700];
    snprintf(p, sizeof p, "%s/en", tmpdir); cr_assert_eq(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/ko", tmpdir); cr_assert_eq(mkdir(p, 0700), 0);
    const char *ok = HEAD "## S\nmodel: en-ko-dot\ninput: I love you\n";
    snprintf(p, sizeof p, "%s/en/10-ten.md", tmpdir); write_text(p, "# Ten\ntask: copy\nlevel: beginner\nminutes: 1\n\n## S\nchart: copy-by-length\n");
    snprintf(p, sizeof p, "%s/en/02-two.md", tmpdir); write_text(p, ok);
    snprintf(p, sizeof p, "%s/en/01-one.md", tmpdir); write_text(p, "# One\ntask: copy\n");   /* broken */
    snprintf(p, sizeof p, "%s/en/README.md", tmpdir); write_text(p, "not a lesson");
    snprintf(p, sizeof p, "%s/en/notes.txt", tmpdir); write_text(p, "x");
    snprintf(p, sizeof p, "%s/ko/02-two.md", tmpdir); write_text(p, ok);

    LessonEntry *e; int n;
    char err[AV_ERR_LEN];
    cr_assert_eq(lesson_list(tmpdir, "en", &e, &n, err), 0, "%s", err);
    cr_assert_eq(n, 3);
    cr_expect_eq(e[0].number, 1);
    cr_expect_str_eq(e[0].title, "01-one.md");
    cr_expect(strstr(e[0].error, "01-one.md:2: missing header field 'level'") != NULL, "got '%s'", e[0].error);
    cr_expect_eq(e[1].number, 2);
    cr_expect_str_eq(e[1].title, "T");
    cr_expect_str_empty(e[1].error);
    cr_expect_eq(e[2].number, 10);
    cr_expect_str_eq(e[2].title, "Ten");
    cr_expect_str_eq(e[2].lang, "en");
    free(e);

    char path[1024];
    cr_expect_eq(lesson_find(tmpdir, "ko", 2, path, sizeof path), 0);
    snprintf(p, sizeof p, "%s/ko/02-two.md", tmpdir);
    cr_expect_str_eq(path, p);
    cr_expect_eq(lesson_find(tmpdir, "ko", 10, path, sizeof path), 0);   /* falls back to en */
    snprintf(p, sizeof p, "%s/en/10-ten.md", tmpdir);
    cr_expect_str_eq(path, p);
    cr_expect_eq(lesson_find(tmpdir, "ko", 3, path, sizeof path), -1);

    cr_expect_eq(lesson_list(tmpdir, "fr", &e, &n, err), -1);
    cr_expect(strstr(err, "/fr") != NULL, "got '%s'", err);
    rm_rf(tmpdir);
}

/* ---- checks against a models folder (no engine needed for these) --------------------- */

Test(check, missing_model_and_chart_data_name_the_line) {
    make_tmpdir();
    char path[512], err[AV_ERR_LEN];
    Lesson L;
    const char *text = HEAD
        "## S\n"                          /* 7 */
        "model: en-ko-dot\n"
        "input: I love you\n"
        "\n"
        "Words.\n"
        "\n"
        "## Switch\n"                     /* 13 */
        "score: general\n"
        "\n"
        "## Compare\n"                    /* 16 */
        "compare: dot concat\n"
        "\n"
        "## Chart\n"                      /* 19 */
        "chart: copy-by-length\n";
    cr_assert_eq(load_text("check.md", text, &L, err, path, sizeof path), 0, "%s", err);
    char models[600];
    snprintf(models, sizeof models, "%s/models", tmpdir);
    cr_assert_eq(mkdir(models, 0700), 0);
    char want[1400];

    cr_expect_eq(lesson_check_slide(&L, 0, models, err), -1);
    snprintf(want, sizeof want, "%s:8: model en-ko-dot not found (%s/en-ko-dot.safetensors)", path, models);
    cr_expect_str_eq(err, want);
    cr_expect_eq(lesson_check_slide(&L, 1, models, err), -1);
    snprintf(want, sizeof want, "%s:14: model en-ko-general not found", path);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "got '%s'", err);
    cr_expect_eq(lesson_check_slide(&L, 2, models, err), -1);
    snprintf(want, sizeof want, "%s:17: model en-ko-dot not found", path);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "got '%s'", err);

    /* the chart slide: its data file, then (model carried over) its model */
    cr_expect_eq(lesson_check_slide(&L, 3, models, err), -1);
    snprintf(want, sizeof want, "%s:20: chart data not found (%s/copy-by-length.tsv)", path, models);
    cr_expect_str_eq(err, want);
    snprintf(want, sizeof want, "%s/copy-by-length.tsv", models);
    write_text(want, "length\tnone\tdot\n10\t1\t1\n");
    cr_expect_eq(lesson_check_slide(&L, 3, models, err), -1);
    cr_expect(strstr(err, "model en-ko-dot not found") != NULL, "got '%s'", err);

    cr_expect_eq(lesson_check(&L, models, err), -1);
    cr_expect_eq(lesson_check_slide(&L, 9, models, err), -1);
    lesson_free(&L);
    rm_rf(tmpdir);
}

/* ---- what the narration says about the shipped models ---------------------------------
 * The narration states a few facts about specific decodings (lesson 3: "I
 * love you" → 나는 너를 사랑해, and 사랑해 looks at love; lesson 7: rouge
 * looks at red, ...). They must hold on the models that ship. */

#include "engine/seq2seq.h"
#include "engine/tokenize.h"

typedef struct {
    const char *model, *input, *output;   /* the greedy decoding the narration states */
    int step, attends;                    /* at `step` (1-based) the largest weight is on source `attends` (0-based); step 0: no claim */
    const char *where;                    /* the lesson that says so */
} Claim;

static const Claim CLAIMS[] = {
    {"en-ko-dot", "I love you", "나는 너를 사랑해", 3, 1, "03-dot-attention (steps 1 and 3)"},
    {"en-fr-general", "the red car", "la voiture rouge", 3, 1, "07-alignments (the adjective moves)"},
    {"en-fr-general", "the european economic area", "la zone économique européenne", 0, 0, "07-alignments"},
    {"dates-general", "21 November 2026", "2026-11-21", 0, 0, "07-alignments (dates)"},
    {"dates-general", "2026년 11월 21일", "2026-11-21", 0, 0, "07-alignments (a Korean date)"},
    {"reverse-general", "attention", "noitnetta", 0, 0, "07-alignments (the anti-diagonal)"},
    {"dates-dot", "19.11.36", "1963-11-19", 0, 0, "06-teacher-forcing (free running goes wrong)"},
};

Test(course, narration_claims_hold_on_the_shipped_models) {
    cr_assert_gt(count_models(), 0, "no *.safetensors in %s: the shipped models are missing", models_dir());
    for (size_t i = 0; i < sizeof CLAIMS / sizeof *CLAIMS; i++) {
        const Claim *c = &CLAIMS[i];
        char path[256], err[AV_ERR_LEN];
        snprintf(path, sizeof path, "%s/%s.safetensors", models_dir(), c->model);
        Model m;
        if (model_load(&m, path, err)) { cr_expect_fail("%s: %s", c->where, err); continue; }
        int *src = NULL, S = 0;
        cr_assert_eq(encode_text(&m.src, m.cfg.tokenizer, c->input, &src, &S, err), 0, "%s", err);
        DecodeDesc d = {0};
        Trace t;
        cr_assert_eq(seq2seq_decode(&m, src, S, &d, &t, err), 0, "%s", err);
        int n = trace_output_len(&t);
        int *ids = malloc(sizeof *ids * (size_t)(n + 1));
        for (int k = 0; k < n; k++) ids[k] = t.steps[k].token_id;
        char *out = decode_ids(&t.tgt, m.cfg.tokenizer, ids, n);
        cr_expect_str_eq(out, c->output, "%s: %s decodes '%s' as '%s', the narration says '%s'",
                         c->where, c->model, c->input, out, c->output);
        if (c->step > 0 && c->step <= t.T && t.steps[c->step - 1].weights) {
            const float *w = t.steps[c->step - 1].weights;
            int best = 0;
            for (int s = 1; s < t.S; s++) if (w[s] > w[best]) best = s;
            cr_expect_eq(best, c->attends, "%s: at step %d %s looks most at '%s', the narration says '%s'",
                         c->where, c->step, c->model, t.src_tokens[best], t.src_tokens[c->attends]);
        }
        free(out); free(ids); free(src);
        trace_free(&t);
        model_free(&m);
    }
}

Test(good, resolved_step_phase_and_block_text) {
    LessonSlide s = {.step = 0, .phase = PH_UNSET};
    cr_expect_eq(lesson_slide_step(&s, 4), 1);
    cr_expect_eq(lesson_slide_phase(&s), PH_ENCODER);
    s.step = LESSON_STEP_LAST; s.phase = PH_COMBINE;
    cr_expect_eq(lesson_slide_step(&s, 4), 4);
    cr_expect_eq(lesson_slide_phase(&s), PH_COMBINE);
    s.step = 3;
    cr_expect_eq(lesson_slide_step(&s, 4), 3);
    cr_expect_eq(lesson_slide_step(&s, 2), 2);         /* clamped */

    LessonSpan sp[3] = {{LESSON_SPAN_PLAIN, "ab "}, {LESSON_SPAN_BOLD, "나는"}, {LESSON_SPAN_MATH, "x"}};
    LessonBlock b = {.kind = LESSON_BLOCK_PARAGRAPH, .spans = sp, .n_spans = 3};
    char out[32];
    cr_expect_eq(lesson_block_text(&b, out, sizeof out), 10u);   /* 3 + 6 + 1 bytes */
    cr_expect_str_eq(out, "ab 나는x");
    cr_expect_eq(lesson_block_text(&b, out, 7), 10u);            /* room for 6: "ab " + one syllable */
    cr_expect_str_eq(out, "ab 나");
    cr_expect_eq(lesson_block_text(&b, out, 5), 10u);            /* room for 4: no half syllable */
    cr_expect_str_eq(out, "ab ");
}

/* Damaged lessons never crash: flip, delete and insert bytes in a real lesson
 * (a fixed xorshift, so the cases are the same every run). Every outcome is
 * either a lesson or one line "FILE:LINE: ...". */
Test(malformed, damaged_lessons_give_one_line_or_parse) {
    FILE *f = fopen(LESSONS_DIR "/ko/06-teacher-forcing.md", "rb");
    cr_assert_not_null(f);
    static char orig[64 * 1024];
    size_t n = fread(orig, 1, sizeof orig, f);
    fclose(f);
    cr_assert_gt(n, 1000u);
    static char buf[64 * 1024 + 8];
    uint64_t x = 0x9E3779B97F4A7C15u;
    int ok = 0, refused = 0;
    const char *name = "damaged.md";
    for (int round = 0; round < 400; round++) {
        memcpy(buf, orig, n);
        size_t len = n;
        for (int k = 0; k < 1 + round % 4; k++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            size_t at = (size_t)(x % len);
            int what = (int)((x >> 32) % 3);
            static const char pick[] = "*`$#:-\n \xC3\xEA<!>0";
            char c = pick[(x >> 40) % (sizeof pick - 1)];
            if (what == 0) buf[at] = c;
            else if (what == 1 && len > 1) { memmove(buf + at, buf + at + 1, len - at - 1); len--; }
            else { memmove(buf + at + 1, buf + at, len - at); buf[at] = c; len++; }
        }
        Lesson L;
        char err[AV_ERR_LEN] = "";
        if (lesson_parse(name, buf, len, &L, err) == 0) { ok++; lesson_free(&L); continue; }
        refused++;
        int line = 0;
        cr_expect(sscanf(err, "damaged.md:%d: ", &line) == 1 && line >= 1, "round %d: '%s'", round, err);
        cr_expect(strchr(err, '\n') == NULL, "round %d: '%s'", round, err);
    }
    cr_expect_gt(refused, 0);   /* the damage does reach the checks */
}

/* A message that quotes the file shows control bytes as \xNN (base/err.h):
 * ESC, BEL and CR cannot rewrite the terminal or break the one line. */
Test(bad, quoted_bytes_are_escaped) {
    static const char text[] = "# T\ntask: en-ko\nlevel: beginner\nminutes: 5\n\n## S\n"
                               "model: en-ko-dot\nscore: do\x1b]0;owned\a\rt\n";
    Lesson L;
    char err[AV_ERR_LEN] = "";
    cr_assert_eq(lesson_parse("esc\x1b.md", text, sizeof text - 1, &L, err), -1);
    cr_expect(strstr(err, "esc\\x1B.md:8: unknown score 'do\\x1B]0;owned\\x07\\x0Dt'"), "%s", err);
    for (const char *c = err; *c; c++) cr_expect((unsigned char)*c >= 0x20 && *c != 0x7F, "a raw control byte: %s", err);
}
