/* test_lesson.c — lesson mode in the real app (issue 7): every slide of
 * every lesson in lessons/en and lessons/ko renders through the screenshot
 * path into a temporary folder, Page Down / Page Up move between slides, a
 * malformed lesson shows its FILE:LINE message and the app keeps running,
 * and the picker lists the lessons and opens one.
 *
 * Models come from assets/models/ (or $ATTNVIZ_MODELS). A slide whose model
 * file is missing is skipped and counted, but only while no model has
 * shipped: once assets/models/ holds the course's models, none may be
 * missing. Run from the repository root. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/keys.h"
#include "viz/lab_view.h"
#include "events.h"

static App *app;
/* A training slide trains to at most this step here: 400 steps take minutes
 * under the sanitizers. tests/cli/lesson_lab.sh renders lesson 10's slides
 * at their own steps with the release binary. */
enum { W = 1280, H = 720, SLIDE_STEPS = 20 };
static char models[1024];

static void setup(void) {
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    char err[AV_ERR_LEN];
    cr_assert_eq(app_init_gfx(app, W, H, true, err), 0, "%s", err);
    app->view.speed = 1;
    app->ui.zoom = 1;
    app->opt.seed = app->session.seed = 1;
    app->opt.slide_steps_cap = SLIDE_STEPS;
    snprintf(app->ui.lang, sizeof app->ui.lang, "en");
    if (!app_find_models_dir(models, sizeof models)) models[0] = 0;
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
}

TestSuite(lesson, .init = setup, .fini = teardown, .timeout = 600);

static bool exists(const char *name, const char *ext) {
    char p[1200];
    snprintf(p, sizeof p, "%s/%s%s", models, name, ext);
    return models[0] && access(p, R_OK) == 0;
}

/* Every file the slide needs from the models folder is there. */
static bool slide_has_models(const LessonSlide *s) {
    if (s->chart) return exists(s->chart, ".tsv");
    char name[LESSON_MAX_NAME];
    if (s->compare[0] >= 0) {
        for (int k = 0; k < 2; k++) {
            cr_assert_eq(lesson_model_with_score(s->model, (ScoreKind)s->compare[k], name, sizeof name), 0);
            if (!exists(name, ".safetensors")) return false;
        }
        return true;
    }
    cr_assert_eq(lesson_slide_model(s, name, sizeof name), 0, "%s:%d: a slide without a model", app->lesson.lesson.path, s->line);
    return exists(name, ".safetensors");
}

/* The comparison the view is drawn with, or NULL. */
static const Trace *shown_cmp(void) {
    VizState st;
    app_viz_state(app, &st);
    return st.cmp;
}

static bool has_tag(int tag) {
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == tag) return true;
    return false;
}

static void settle(void) {
    app_update(app, 60);
    app_draw(app);
}

static void key_mod(SDL_Keycode k, Uint16 mod) {
    send_key(app, k, mod);
    settle();
}
static void key(SDL_Keycode k) { key_mod(k, 0); }

/* The phase the caption names (VIZ_TAG_CAPTION's a), or -1. */
static int caption_phase(void) {
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == VIZ_TAG_CAPTION) return app->w.dl.cmds[i].a;
    return -1;
}

static const char *caption_text(void) {
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == VIZ_TAG_CAPTION) return dl_str(&app->w.dl, &app->w.dl.cmds[i]);
    return "";
}

/* "slide i / n" in the footer, read back from the draw list */
static int footer_slide(void) {
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->kind != DL_TEXT || c->tag != LV_TAG_NARR_FOOTER || c->a != 1) continue;
        const char *s = dl_str(&app->w.dl, c);
        int k, n;
        const char *d = strpbrk(s, "0123456789");
        if (d && sscanf(d, "%d / %d", &k, &n) == 2) return k;
    }
    return -1;
}

static int count_tag(int tag) {
    int n = 0;
    for (int i = 0; i < app->w.dl.n; i++) n += app->w.dl.cmds[i].tag == tag;
    return n;
}

/* A text run that is exactly s. */
static bool shows_text(const char *s) {
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].kind == DL_TEXT && strcmp(dl_str(&app->w.dl, &app->w.dl.cmds[i]), s) == 0) return true;
    return false;
}

/* A training slide (mode: train) shows the training screen at its steps:
 * the probe's source tokens and output rows, its matrix (every cell, or
 * for a model without attention the line that says so), the four charts
 * (with their curves once it has trained), the film strip, the header in
 * the lesson's language. */
static void check_training_slide(const char *path, const LessonSlide *s, const char *lang) {
    cr_assert(app_training(app), "%s:%d: no training screen", path, s->line);
    TrainRun *r = app->train.run;
    long want = s->train_steps >= 0 && s->train_steps < SLIDE_STEPS ? s->train_steps : SLIDE_STEPS;
    cr_assert_eq(run_shared(r).steps, want, "%s:%d: the run is at step %ld", path, s->line, run_shared(r).steps);
    VizProbe p;
    run_probe(r, -1, &p);
    cr_assert(p.S > 0 && p.T > 0, "%s:%d: no probe", path, s->line);
    cr_assert(count_tag(TV_TAG_PROBE_SRC) > 0 && count_tag(TV_TAG_PROBE_ROW) > 0, "%s:%d: no probe labels", path, s->line);
    char name[LESSON_MAX_NAME], file[1200], err[AV_ERR_LEN];
    cr_assert_eq(lesson_slide_model(s, name, sizeof name), 0);
    snprintf(file, sizeof file, "%s/%s.safetensors", models, name);
    Model m;
    cr_assert_eq(model_load(&m, file, err), 0, "%s", err);
    bool attn = cfg_attn(&m.cfg);
    model_free(&m);
    if (attn) {
        cr_assert_eq(count_tag(TV_TAG_PROBE_CELL), p.T * p.S, "%s:%d: %d cells for %d × %d", path, s->line,
                     count_tag(TV_TAG_PROBE_CELL), p.T, p.S);
    } else {
        const char *msg = ui_str(lang, UI_TV_NO_ATTN);
        char first[128];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(msg, "\n"), msg);
        cr_assert(count_tag(TV_TAG_PROBE_CELL) == 0 && shows_text(first), "%s:%d: no '%s'", path, s->line, first);
    }
    for (int k = 0; k < TV_CHARTS; k++) {
        bool chart = false;
        for (int i = 0; i < app->w.dl.n; i++) chart |= app->w.dl.cmds[i].tag == TV_TAG_CHART && app->w.dl.cmds[i].a == k;
        cr_assert(chart, "%s:%d: no chart %d", path, s->line, k);
    }
    if (want > 0) cr_assert(has_tag(TV_TAG_CURVE), "%s:%d: trained %ld steps and no curve", path, s->line, want);
    cr_assert(has_tag(TV_TAG_FILM_THUMB) && has_tag(TV_TAG_STATUS), "%s:%d: no film strip or status", path, s->line);
    bool title = false;
    for (int i = 0; i < app->w.dl.n; i++)
        title |= app->w.dl.cmds[i].kind == DL_TEXT && strstr(dl_str(&app->w.dl, &app->w.dl.cmds[i]), ui_str(lang, UI_TV_TITLE));
    cr_assert(title, "%s:%d: no '%s' header", path, s->line, ui_str(lang, UI_TV_TITLE));
}

/* A lab slide (mode: lab) shows the lab beside the narration at its steps:
 * one column per configuration of its lab: value (a matrix with every
 * cell, or the line that says there is none), the legend, both charts with
 * curves once trained, the title in the lesson's language; its keys are
 * the lab slide's. */
static void check_lab_slide(const char *path, const LessonSlide *s, const char *lang) {
    cr_assert(app_lab_slide(app), "%s:%d: no lab", path, s->line);
    cr_assert_eq(app_key_context(app), KEYS_LLAB, "%s:%d: not the lab slide's keys", path, s->line);
    LabVariant v[LAB_MAX];
    char err[AV_ERR_LEN];
    int n = lab_parse(s->lab_spec, v, err);
    cr_assert_eq(app->lab.n, n, "%s:%d: %d configurations for '%s'", path, s->line, app->lab.n, s->lab_spec);
    long want = s->train_steps >= 0 && s->train_steps < SLIDE_STEPS ? s->train_steps : SLIDE_STEPS;
    for (int i = 0; i < n; i++) {
        TrainRun *r = app->lab.run[i];
        cr_assert_eq(run_shared(r).steps, want, "%s:%d: %s at step %ld", path, s->line, r->label, run_shared(r).steps);
        cr_assert_eq(run_shared(r).state, RUN_PAUSED, "%s:%d: %s is not paused at the slide's step", path, s->line, r->label);
        VizProbe p;
        run_probe(r, -1, &p);
        int cells = 0, heads = 0, none = 0;
        for (int k = 0; k < app->w.dl.n; k++) {
            const DlCmd *c = &app->w.dl.cmds[k];
            cells += c->tag == LAB_TAG_CELL && c->a == i;
            heads += c->tag == LAB_TAG_HEAD && c->a == i;
            none += c->tag == LAB_TAG_NO_MATRIX && c->a == i;
        }
        cr_assert_eq(heads, 1, "%s:%d: %s has no column", path, s->line, r->label);
        if (p.w) cr_assert_eq(cells, p.T * p.S, "%s:%d: %s: %d cells for %d × %d", path, s->line, r->label, cells, p.T, p.S);
        else cr_assert(cells == 0 && none == 1, "%s:%d: %s: no attention, and no line saying so", path, s->line, r->label);
    }
    cr_assert_eq(count_tag(LAB_TAG_LEGEND), n, "%s:%d: legend", path, s->line);
    cr_assert_eq(count_tag(LAB_TAG_CHART), 2, "%s:%d: charts", path, s->line);
    if (want > 0) cr_assert(has_tag(LAB_TAG_CURVE), "%s:%d: trained %ld steps and no curve", path, s->line, want);
    char title[128];
    const char *fmt = ui_str(lang, UI_LAB_TITLE);
    snprintf(title, sizeof title, "%.*s", (int)(strstr(fmt, "%s") - fmt), fmt);
    bool head = false;
    for (int i = 0; i < app->w.dl.n; i++)
        head |= app->w.dl.cmds[i].kind == DL_TEXT && strstr(dl_str(&app->w.dl, &app->w.dl.cmds[i]), title) != NULL;
    cr_assert(head, "%s:%d: no '%s' header", path, s->line, title);
}

Test(lesson, every_slide_of_every_lesson_renders) {
    char tmp[] = "/tmp/attnviz-lesson-slides-XXXXXX";
    cr_assert_not_null(mkdtemp(tmp));
    uint8_t *rgb = malloc((size_t)W * H * 3);
    cr_assert_not_null(rgb);
    static const char *const LANGS[] = {"en", "ko"};
    int rendered = 0, skipped = 0;
    char err[AV_ERR_LEN];
    for (int li = 0; li < 2; li++) {
        LessonEntry *e;
        int n;
        cr_assert_eq(lesson_list("lessons", LANGS[li], &e, &n, err), 0, "%s", err);
        cr_assert_geq(n, 8, "lessons/%s has %d lessons", LANGS[li], n);
        for (int k = 0; k < n; k++) {
            cr_assert_eq(app_open_lesson(app, e[k].path, err), 0, "%s", err);
            for (int i = 0; i < app->lesson.lesson.n_slides; i++) {
                const LessonSlide *s = &app->lesson.lesson.slides[i];
                if (!slide_has_models(s)) { skipped++; continue; }
                cr_assert_eq(app_enter_slide(app, i, false), 0, "%s", app->lesson.slide_err);
                cr_assert_str_empty(app->lesson.slide_err);
                char png[1200];
                snprintf(png, sizeof png, "%s/%s-%02d-%02d.png", tmp, LANGS[li], e[k].number, i + 1);
                cr_assert_eq(app_render_rgb(app, W, H, rgb, err), 0, "%s", err);
                cr_assert_eq(app_write_png(png, rgb, W, H, err), 0, "%s", err);
                struct stat sb;
                cr_assert(stat(png, &sb) == 0 && sb.st_size > 1000, "%s was not written", png);
                /* the narration panel with this slide's number, and beside it the animation at the slide's phase, or the chart */
                cr_assert(has_tag(LV_TAG_NARR_PANEL) && has_tag(LV_TAG_NARR_TITLE), "%s:%d: no narration", e[k].path, s->line);
                cr_assert_eq(footer_slide(), i + 1, "%s:%d: the footer says slide %d", e[k].path, s->line, footer_slide());
                if (s->train) {
                    check_training_slide(e[k].path, s, LANGS[li]);
                } else if (s->lab) {
                    check_lab_slide(e[k].path, s, LANGS[li]);
                } else if (s->chart) {
                    cr_assert(has_tag(LV_TAG_CHART_PLOT) && has_tag(LV_TAG_CHART_POINT), "%s:%d: no chart", e[k].path, s->line);
                } else {
                    if (s->compare[0] >= 0 || s->side_by_side)   /* two matrices and their difference, no caption */
                        cr_assert(shown_cmp() && (!app->session.trace.steps[0].weights || (has_tag(VIZ_TAG_CMP_CELL) && has_tag(VIZ_TAG_DIFF_CELL))),
                                  "%s:%d: no comparison", e[k].path, s->line);
                    else {
                        int want = s->backward ? PH_COUNT + (int)lesson_slide_back_phase(s) : (int)lesson_slide_phase(s);
                        cr_assert_eq(caption_phase(), want, "%s:%d: shows phase %d", e[k].path, s->line, caption_phase());
                        cr_assert_eq(app->back.on, s->backward, "%s:%d: direction", e[k].path, s->line);
                        if (s->backward) cr_assert_float_eq(app->back.grad.after.lr, s->lr > 0 ? s->lr : 0.1f, 1e-7);
                        /* a Korean lesson: the caption in Korean too */
                        const char *cap = caption_text();
                        bool hangul = strstr(cap, "\xEC") || strstr(cap, "\xEB") || strstr(cap, "\xEA") || strstr(cap, "\xED");
                        cr_assert_eq(hangul, li == 1, "%s:%d: caption '%s'", e[k].path, s->line, cap);
                    }
                }
                /* nothing of the animation runs under the narration panel */
                float px = -1;
                for (int j = 0; j < app->w.dl.n; j++)
                    if (app->w.dl.cmds[j].tag == LV_TAG_NARR_PANEL) px = app->w.dl.cmds[j].x;
                for (int j = 0; j < app->w.dl.n; j++) {
                    const DlCmd *c = &app->w.dl.cmds[j];
                    if (c->kind == DL_TEXT && c->tag < 1000 && c->tag != VIZ_TAG_OVERLAY)
                        cr_assert_leq(c->x + c->w, px + 0.5f, "%s:%d: '%s' runs under the narration", e[k].path, s->line, dl_str(&app->w.dl, c));
                }
                rendered++;
            }
        }
        free(e);
    }
    free(rgb);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    cr_assert_eq(system(cmd), 0);
    if (skipped) cr_log_warn("%d slides skipped: their model (or chart data) is not in '%s'", skipped, models[0] ? models : "assets/models");
    cr_log_info("%d slides rendered", rendered);
    /* once the course's models ship, no slide may be skipped */
    if (exists("en-ko-dot", ".safetensors")) cr_assert_eq(skipped, 0, "%d slides miss their model in %s", skipped, models);
    cr_assert_gt(rendered + skipped, 100);
}

Test(lesson, page_down_and_up_move_between_slides) {
    if (!exists("en-ko-dot", ".safetensors")) cr_skip_test("no en-ko-dot model in '%s'", models);
    char err[AV_ERR_LEN];
    cr_assert_eq(app_open_lesson(app, "lessons/en/03-dot-attention.md", err), 0, "%s", err);
    cr_assert_eq(app_enter_slide(app, 0, true), 0, "%s", app->lesson.slide_err);
    settle();
    int n = app->lesson.lesson.n_slides;
    cr_assert_eq(footer_slide(), 1);
    key(SDLK_PAGEDOWN);
    cr_assert_eq(app->lesson.slide, 1);
    cr_assert_eq(footer_slide(), 2);
    cr_assert_eq(caption_phase(), (int)lesson_slide_phase(&app->lesson.lesson.slides[1]));
    /* the arrows still step phases inside the slide */
    int ph = caption_phase();
    key(SDLK_RIGHT);
    cr_assert_eq(app->lesson.slide, 1);
    cr_assert_eq(caption_phase(), (ph + 1) % PH_COUNT);
    key(SDLK_PAGEUP);
    cr_assert_eq(app->lesson.slide, 0);
    key(SDLK_PAGEUP);
    cr_assert_eq(app->lesson.slide, 0, "Page Up on the first slide stays there");
    for (int i = 0; i < n + 3; i++) key(SDLK_PAGEDOWN);
    cr_assert_eq(app->lesson.slide, n - 1, "Page Down stops at the last slide");
    cr_assert_eq(footer_slide(), n);
    /* the wheel over the narration scrolls it, within its length */
    key(SDLK_HOME);
    app->ui.zoom = 1.8f;
    app_enter_slide(app, 1, false);
    settle();
    cr_assert_gt(app->lesson.narr.max_scroll, 0, "slide 2 at zoom 1.8 should overflow");
    send_motion(app, W - 50, H / 2);
    send_wheel(app, -1);
    settle();
    cr_assert_gt(app->lesson.narr_scroll, 0);
    for (int i = 0; i < 50; i++) send_wheel(app, -1);
    settle();
    cr_assert_float_eq(app->lesson.narr_scroll, app->lesson.narr.max_scroll, 1e-3, "scrolled past the end");
    send_wheel(app, 100);
    settle();
    cr_assert_float_eq(app->lesson.narr_scroll, 0, 1e-6);
    app->ui.zoom = 1;
    /* the zoom: narration and diagram together */
    key_mod(SDLK_EQUALS, KMOD_LCTRL);
    cr_assert_gt(app->ui.zoom, 1);
    key_mod(SDLK_MINUS, KMOD_LCTRL);
    key_mod(SDLK_MINUS, KMOD_LCTRL);
    cr_assert_lt(app->ui.zoom, 1);
    key_mod(SDLK_0, KMOD_LCTRL);
    cr_assert_float_eq(app->ui.zoom, 1, 1e-6);
    cr_assert_float_eq(app->view.speed, 1, 1e-6, "Ctrl+- is not the speed key");
    cr_assert(!app->w.quit);
    key(SDLK_ESCAPE);   /* opened with --lesson: Esc goes to the lessons, never out */
    cr_assert(app->mode == MODE_PICKER && !app->lesson.loaded && !app->w.quit);
    key(SDLK_q);        /* Q quits */
    cr_assert(app->w.quit);
}

Test(lesson, a_malformed_lesson_shows_file_and_line_and_the_app_keeps_running) {
    char path[] = "/tmp/attnviz-bad-lesson-XXXXXX.md";
    int fd = mkstemps(path, 3);
    cr_assert_geq(fd, 0);
    static const char BAD[] = "# Broken\n\ntask: en-ko\nlevel: beginner\nminutes: 5\n\n## One\nmodel: en-ko-dot\ninput: I love you\nphase: softmx\n\nText.\n";
    cr_assert_eq(write(fd, BAD, sizeof BAD - 1), (ssize_t)(sizeof BAD - 1));
    close(fd);
    char err[AV_ERR_LEN], want[200];
    cr_assert_eq(app_open_lesson(app, path, err), -1);
    unlink(path);
    snprintf(want, sizeof want, "%s:10:", path);
    cr_assert(strstr(err, want) && strstr(err, "softmx"), "the error is '%s'", err);
    settle();
    /* the window shows that line */
    char shown[2 * AV_ERR_LEN] = "";
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->kind == DL_TEXT && c->tag == LV_TAG_MESSAGE && c->a == 1 && strlen(shown) + strlen(dl_str(&app->w.dl, c)) + 2 < sizeof shown) {
            strcat(shown, dl_str(&app->w.dl, c));
            strcat(shown, " ");
        }
    }
    cr_assert(strstr(shown, "softmx") && strstr(shown, ":10:"), "the window shows '%s'", shown);
    static const SDL_Keycode KEYS[] = {SDLK_PAGEDOWN, SDLK_PAGEUP, SDLK_RIGHT, SDLK_SPACE, SDLK_DOWN, SDLK_t, SDLK_c, SDLK_m, SDLK_TAB, SDLK_d};
    for (size_t i = 0; i < sizeof KEYS / sizeof *KEYS; i++) key(KEYS[i]);
    cr_assert(!app->w.quit);
    cr_assert(has_tag(LV_TAG_MESSAGE));
    key(SDLK_ESCAPE);   /* back to the lessons */
    cr_assert(app->mode == MODE_PICKER && !app->w.quit);
    key(SDLK_q);
    cr_assert(app->w.quit);
}

static int count_lessons(const char *dir) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 6 && e->d_name[0] >= '0' && e->d_name[0] <= '9' && strcmp(e->d_name + l - 3, ".md") == 0) n++;
    }
    closedir(d);
    return n;
}

static int rows(void) {
    int n = 0;
    for (int i = 0; i < app->w.dl.n; i++) n += app->w.dl.cmds[i].tag == LV_TAG_PICKER_ROW;
    return n;
}

Test(lesson, the_picker_lists_the_lessons_and_opens_one) {
    char err[AV_ERR_LEN];
    cr_assert_eq(app_open_picker(app, "lessons", err), 0, "%s", err);
    settle();
    int n = count_lessons("lessons/en");
    cr_assert_eq(app->lesson.n_entries, n);
    cr_assert_eq(rows(), n, "%d rows for %d lessons", rows(), n);
    for (int i = 0; i < n; i++) cr_assert_str_empty(app->lesson.entries[i].error, "%s", app->lesson.entries[i].error);
    key(SDLK_DOWN);
    key(SDLK_DOWN);
    key(SDLK_UP);
    cr_assert_eq(app->lesson.sel, 1);
    /* L: the Korean lessons */
    key(SDLK_l);
    cr_assert_str_eq(app->ui.lang, "ko");
    cr_assert_eq(app->lesson.n_entries, count_lessons("lessons/ko"));
    cr_assert(strstr(app->lesson.entries[0].path, "/ko/"), "%s", app->lesson.entries[0].path);
    key(SDLK_l);
    cr_assert_str_eq(app->ui.lang, "en");
    if (!exists("en-ko-none", ".safetensors")) cr_skip_test("no en-ko-none model in '%s': not opening a lesson", models);
    /* a click on the first row opens lesson 1 */
    float x = -1, y = -1;
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->tag == LV_TAG_PICKER_ROW && c->a == 0) { x = c->x + c->w / 2; y = c->y + c->h / 2; }
    }
    send(app, button_event(SDL_MOUSEBUTTONDOWN, x, y));
    settle();
    cr_assert(app->lesson.loaded && !(app->mode == MODE_PICKER), "the click did not open the lesson");
    cr_assert_eq(app->lesson.lesson.number, app->lesson.entries[0].number);
    cr_assert_eq(app->lesson.slide, 0);
    cr_assert_str_empty(app->lesson.slide_err, "%s", app->lesson.slide_err);
    cr_assert(has_tag(LV_TAG_NARR_PANEL));
    key(SDLK_ESCAPE);   /* back to the picker, not out */
    cr_assert((app->mode == MODE_PICKER) && !app->lesson.loaded && !app->w.quit);
    cr_assert_eq(rows(), n);
    key(SDLK_RETURN);   /* Enter opens the selected one */
    cr_assert(app->lesson.loaded);
    key(SDLK_ESCAPE);
    key(SDLK_QUESTION);  /* the picker's keys */
    cr_assert(app->view.help);
    key(SDLK_ESCAPE);    /* closes the help first */
    cr_assert(!app->view.help && !app->w.quit);
    key(SDLK_ESCAPE);    /* then quits: the picker is the way in */
    cr_assert(app->w.quit);
}

/* Tab (issue 5): the task's chosen examples first, with their reference,
 * then the task's generated test examples. */
Test(lesson, tab_cycles_through_the_tasks_examples) {
    if (!exists("en-ko-dot", ".safetensors")) cr_skip_test("no en-ko-dot model in '%s'", models);
    char err[AV_ERR_LEN], path[1200];
    snprintf(path, sizeof path, "%s/en-ko-dot.safetensors", models);
    cr_assert_eq(app_decode(app, path, "you call my doctor today", NULL, false, err), 0, "%s", err);
    settle();
    key(SDLK_TAB);
    cr_assert_str_eq(app->session.input, "I love you");
    cr_assert_str_eq(app->session.target, "나는 너를 사랑해");
    cr_assert_str_eq(app->session.trace.cfg.score == SCORE_DOT ? "dot" : "?", "dot");
    char seen[8][1024];
    int n = 0;
    for (int i = 0; i < 6; i++) {
        snprintf(seen[n++], sizeof seen[0], "%s", app->session.input);
        key(SDLK_TAB);
        cr_assert_str_not_empty(app->session.input);
        cr_assert_str_not_empty(app->session.target, "every example comes with its reference");
    }
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) cr_assert_str_neq(seen[i], seen[j], "Tab repeats '%s'", seen[i]);
}

/* The real loop: the picker, Enter, Page Down, Esc back, Esc out. */
Test(lesson, the_loop_runs_the_picker_and_a_lesson) {
    if (!exists("en-ko-none", ".safetensors")) cr_skip_test("no en-ko-none model in '%s'", models);
    char err[AV_ERR_LEN];
    cr_assert_eq(app_open_picker(app, "lessons", err), 0, "%s", err);
    static const SDL_Keycode KEYS[] = {SDLK_RETURN, SDLK_PAGEDOWN, SDLK_PAGEDOWN, SDLK_PAGEUP, SDLK_ESCAPE, SDLK_DOWN};
    for (size_t i = 0; i < sizeof KEYS / sizeof *KEYS; i++) {
        SDL_Event e = key_event(KEYS[i], 0);
        cr_assert_eq(SDL_PushEvent(&e), 1, "%s", SDL_GetError());
    }
    SDL_Event quit = {.type = SDL_QUIT};
    SDL_PushEvent(&quit);
    app_run(app);
    cr_assert(app->w.quit);
    cr_assert((app->mode == MODE_PICKER) && !app->lesson.loaded, "Esc went back to the picker");
    cr_assert_eq(app->lesson.sel, 1);
}

/* Run the loop's updates until the lab has done `steps` and nothing asked
 * is left (the sanitizer build trains copy slowly: minutes at most). */
static void lab_wait(long steps, bool idle) {
    Uint32 t0 = SDL_GetTicks();
    while (((idle && lab_busy(app)) || lab_steps(app) < steps) && SDL_GetTicks() - t0 < 400000) {
        app_update(app, 0.01);
        SDL_Delay(5);
    }
    cr_assert((!idle || !lab_busy(app)) && lab_steps(app) >= steps, "the lab is busy at step %ld", lab_steps(app));
}

/* The lab slide of lesson 10 (English and Korean alike) trains exactly as
 * the command its comment quotes: at step 10 every configuration's loss and
 * held-out token accuracy equal `attnviz learn --lab ... --steps 10`'s
 * (the same build). Space trains on past the slide's step, . takes one
 * step, R starts again at 0; Page Down leaves the lab and its workers are
 * joined (no run left). */
Test(lesson, a_lab_slide_trains_like_learn_lab_and_goes_when_left) {
    enum { N = 10 };
    if (!exists("copy-none", ".safetensors")) cr_skip_test("no copy-none model in '%s'", models);
    char err[AV_ERR_LEN], csv[] = "/tmp/attnviz-lab-slide-XXXXXX.csv";
    int fd = mkstemps(csv, 4);
    cr_assert_geq(fd, 0);
    close(fd);
    app->opt.slide_steps_cap = N;
    cr_assert_eq(app_open_lesson(app, "lessons/en/10-learning-to-align.md", err), 0, "%s", err);
    int slide = -1;
    for (int i = 0; i < app->lesson.lesson.n_slides && slide < 0; i++)
        if (app->lesson.lesson.slides[i].lab) slide = i;
    cr_assert_geq(slide, 0, "lesson 10 has no lab slide");
    const LessonSlide *s = &app->lesson.lesson.slides[slide];
    cr_assert_str_eq(s->lab_spec, "score=general,none,none+reverse");
    cr_assert_str_eq(s->model, "copy-none");
    cr_assert_eq(app_enter_slide(app, slide, false), 0, "%s", app->lesson.slide_err);
    /* copy-none's recipe as options (its notes: lr 0.003 decay 0.5 every 1500, batch 32, clip 1, forced, seed 1) */
    const char *bin = getenv("ATTNVIZ") ? getenv("ATTNVIZ") : "build/san/attnviz";
    char cmd[1600];
    snprintf(cmd, sizeof cmd, "%s learn --lab %s --task copy --hidden 48 --lr-decay 0.5 --lr-decay-every 1500 "
                              "--steps %d --log-every %d --eval-every %d --curves %s > /dev/null 2>&1",
             bin, s->lab_spec, N, N, N, csv);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    FILE *f = fopen(csv, "r");
    cr_assert_not_null(f);
    char line[4096], row[4096] = "";
    while (fgets(line, sizeof line, f))
        if (strtol(line, NULL, 10) == N && line[strspn(line, "0123456789")] == ',') snprintf(row, sizeof row, "%s", line);
    fclose(f);
    remove(csv);
    cr_assert(row[0], "no row for step %d in the command's curves", N);
    cr_assert_eq(app->lab.n, 3);
    char *cell = strchr(row, ',') + 1;
    for (int i = 0; i < 3; i++) {   /* per configuration: loss, exact, token, alignment */
        LearnSession *ss = app->lab.run[i]->s;
        const LogLine *at = NULL;
        for (int k = 0; k < learn_line_count(ss); k++)
            if (learn_line(ss, k)->step == N) at = learn_line(ss, k);
        cr_assert_not_null(at, "%s: no line at step %d", app->lab.run[i]->label, N);
        char want[64];
        snprintf(want, sizeof want, "%.9g,", (double)at->loss);
        cr_assert(strncmp(cell, want, strlen(want)) == 0, "%s: the slide's loss %s, the command's %.20s",
                  app->lab.run[i]->label, want, cell);
        for (int c = 0; c < 2; c++) cell = strchr(cell, ',') + 1;
        snprintf(want, sizeof want, "%.9g,", (double)at->heldout_token);
        cr_assert(at->has_heldout && strncmp(cell, want, strlen(want)) == 0, "%s: held-out token %s, the command's %.20s",
                  app->lab.run[i]->label, want, cell);
        for (int c = 0; c < 2; c++) cell = strchr(cell, ',') + 1;
    }
    /* the keys: Space trains on past the slide's step, then pauses */
    key(SDLK_SPACE);
    lab_wait(N + 2, false);
    cr_assert_geq(lab_steps(app), N + 2, "Space: no training past the slide's step");
    key(SDLK_SPACE);
    lab_wait(0, true);
    long at = lab_steps(app);
    key(SDLK_PERIOD);
    lab_wait(at + 1, true);
    cr_assert_eq(lab_steps(app), at + 1, ". takes one step: %ld after %ld", lab_steps(app), at);
    key(SDLK_r);
    lab_wait(0, true);
    cr_assert_eq(lab_steps(app), 0, "R: back to step 0");
    cr_assert_eq(app->mode, MODE_LESSON);
    cr_assert(app_lab_slide(app) && app->lab.n == 3, "R keeps the lab on its slide");
    /* leaving: the next lab slide goes on with the same lab; the first slide without one has none left */
    TrainRun *first = app->lab.run[0];
    key(SDLK_PAGEDOWN);
    cr_assert_eq(app->lesson.slide, slide + 1);
    cr_assert(app->lesson.lesson.slides[slide + 1].lab && app->lab.run[0] == first, "the next lab slide: the same lab");
    while (app->lesson.lesson.slides[app->lesson.slide].lab) key(SDLK_PAGEDOWN);
    cr_assert(app->lab.n == 0 && !app->lab.load && !lab_in_lesson(&app->lab), "the lab outlived its slides");
    cr_assert(!app_lab_slide(app));
    app_close_lesson(app);
    cr_assert(app->lab.n == 0 && !app->lab.load, "the lab outlived its lesson");
}
