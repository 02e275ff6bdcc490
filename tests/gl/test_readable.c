/* test_readable.c — readable from the back of the room (issue 13): every text
 * run of every frame the class may see is at least viz_text_min of the
 * window (16 units at 1280×720, 14 at 1024×600), a sub- or superscript
 * counted at its own size (TEXT_SCRIPT_SCALE).
 *
 * The frames are the real app's draw lists (app_build_frame, the real font):
 * every phase of decodings of every kind — Luong, Bahdanau, no attention, a
 * reference with teacher forcing, compare, a 60-character copy input and a
 * 40-word sentence — at three points of each phase, in English and Korean,
 * with the pointer over the whole window; the overlays (help, model menu,
 * editor, a long message, a score button's tip); every slide of every
 * lesson and its help; the picker; a lesson that fails to load; zoom and
 * presentation mode; the unknown-word line, a highlighted word and the
 * vocabulary (K). Nothing is exempt: text nobody must read is not drawn.
 * The shipped models come from assets/models/. Run from the repository root. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/keys.h"
#include "events.h"

static App *app;
static char models[1024];

static const struct { float w, h; } SIZES[] = {{1280, 720}, {1024, 600}};
enum { N_SIZES = sizeof SIZES / sizeof *SIZES };
static const char *const LANGS[] = {"en", "ko"};

/* ---- the measure ---- */

/* A TEXT_MATH run with a script: `_` or `^` (text.c draws what follows smaller). */
static bool has_script(const char *s) { return strpbrk(s, "_^") != NULL; }

static float drawn_px(const DrawList *dl, const DlCmd *c) {
    float k = (c->flags & TEXT_MATH) && has_script(dl_str(dl, c)) ? TEXT_SCRIPT_SCALE : 1;
    return c->size * k;
}

/* The smallest visible text run of dl under lim, or NULL. */
static const DlCmd *too_small(const DrawList *dl, float lim) {
    const DlCmd *worst = NULL;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->kind != DL_TEXT || c->color.a == 0 || strspn(dl_str(dl, c), " ") == strlen(dl_str(dl, c))) continue;
        if (drawn_px(dl, c) < lim - 1e-3f && (!worst || drawn_px(dl, c) < drawn_px(dl, worst))) worst = c;
    }
    return worst;
}

static long runs_checked, frames_checked;

/* The frame at size z, checked. */
static void check(int z, const char *what) {
    float W = SIZES[z].w, H = SIZES[z].h, zoom = app->ui.zoom > 0 ? app->ui.zoom : 1;
    app_build_frame(app, W, H);
    const DrawList *dl = &app->w.dl;
    cr_assert(!dl->oom, "%s: out of memory", what);
    float lim = viz_text_min(W, H, zoom);
    const DlCmd *c = too_small(dl, lim);
    cr_assert_null(c, "%s at %gx%g (zoom %g): '%s' is drawn at %.2f units, under %g", what, (double)W, (double)H,
                   (double)zoom, c ? dl_str(dl, c) : "", c ? (double)drawn_px(dl, c) : 0.0, (double)lim);
    for (int i = 0; i < dl->n; i++) runs_checked += dl->cmds[i].kind == DL_TEXT;
    frames_checked++;
}

/* ---- the app ---- */

static void setup(void) {
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    char err[AV_ERR_LEN];
    cr_assert_eq(app_init_gfx(app, 1280, 720, true, err), 0, "%s", err);
    app->opt.slide_steps_cap = 20;   /* a training slide: 400 steps take minutes under the sanitizers */
    cr_assert(app_find_models_dir(models, sizeof models), "no assets/models folder");
}

static void teardown(void) {
    cr_log_info("%ld frames, %ld text runs checked", frames_checked, runs_checked);
    app_shutdown(app);
    free(app);
}

TestSuite(readable, .init = setup, .fini = teardown, .timeout = 900);

static void fresh(const char *lang) {
    app_close_lesson(app);
    app_close_picker(app);
    app_session_free(app);
    if (app->editor.open) editor_close(app);
    app->mode = MODE_VIEW;
    app->view = (AppView){.speed = 1};
    app->session = (AppSession){.seed = 3, .tf_p = 0.5f};
    app->cmp = (AppCompare){.mode = CMP_OFF};
    memset(&app->menu, 0, sizeof app->menu);
    memset(&app->lesson, 0, sizeof app->lesson);
    app->ui = (AppUi){.zoom = 1};
    snprintf(app->ui.lang, sizeof app->ui.lang, "%s", lang);
}

static void decode(const char *model, const char *input, const char *target, float tf) {
    char path[1200], err[AV_ERR_LEN];
    snprintf(path, sizeof path, "%s/%s.safetensors", models, model);
    cr_assert_eq(app_decode_forced(app, path, input, target, tf > 0, tf > 0 ? tf : 0.5f, false, err), 0, "%s: %s", model, err);
}

/* The pointer over a grid of the window (the hover's tooltips), at size z. */
static void sweep_pointer(int z, const char *what) {
    char w[300];
    for (int i = 0; i < 9; i++)
        for (int j = 0; j < 7; j++) {
            app->ui.mouse_in = true;
            app->ui.mouse_x = SIZES[z].w * (0.03f + 0.94f * (float)i / 8);
            app->ui.mouse_y = SIZES[z].h * (0.05f + 0.9f * (float)j / 6);
            snprintf(w, sizeof w, "%s, pointer at %.0f,%.0f", what, (double)app->ui.mouse_x, (double)app->ui.mouse_y);
            check(z, w);
        }
    app->ui.mouse_in = false;
}

/* Every phase of the steps of the decoding on screen (all of them up to 12,
 * else the first two, the middle and the last two), at three points of each,
 * in both languages and sizes; the pointer over the last step. */
static void sweep_decoding(const char *name) {
    const Trace *tr = &app->session.trace;
    int T = tr->T;
    static const double POINT[] = {0.35, 0.7, 0.99999};
    char what[300];
    for (int l = 0; l < 2; l++) {
        snprintf(app->ui.lang, sizeof app->ui.lang, "%s", LANGS[l]);
        for (int t = 1; t <= T; t++) {
            if (T > 12 && t > 2 && t != T / 2 && t < T - 1) continue;
            for (int p = 0; p < PH_COUNT; p++)
                for (int k = 0; k < 3; k++) {
                    app->view.tau = viz_tau_at(tr, t, p) + POINT[k];
                    for (int z = 0; z < N_SIZES; z++) {
                        snprintf(what, sizeof what, "%s (%s) step %d %s +%.2f", name, LANGS[l], t, phase_name(p), POINT[k]);
                        check(z, what);
                    }
                }
        }
        app->view.tau = viz_tau_end(tr) - 1e-5;
        for (int z = 0; z < N_SIZES; z++) {
            snprintf(what, sizeof what, "%s (%s), the end", name, LANGS[l]);
            sweep_pointer(z, what);
        }
        app->view.tau = viz_tau_at(tr, T > 2 ? 2 : 1, PH_SOFTMAX) + 0.99999;
        for (int z = 0; z < N_SIZES; z++) {
            snprintf(what, sizeof what, "%s (%s), step 2 softmax", name, LANGS[l]);
            sweep_pointer(z, what);
        }
    }
}

/* 60 characters (the copy task's longest) and 40 words */
static const char COPY60[] = "thebottleneckisonevectorforthewholesentenceandattentionfixes";
static const char WORDS40[] = "the european economic area was signed in august 1992 and the agreement on the european "
                              "economic area will enter into force on 1 january 1993 for all of the member states "
                              "of the european union and the people of";

Test(readable, every_phase_of_every_kind_of_decoding) {
    static const struct { const char *name, *model, *input, *target; float tf; } D[] = {
        {"luong", "en-ko-dot", "I love you", NULL, 0},
        {"bahdanau", "dates-additive", "3 march 1999", NULL, 0},
        {"no attention", "en-ko-none", "my mother opens the umbrella", NULL, 0},
        {"reference, teacher forcing", "dates-general", "8 may 16", "2016-05-08", 0.5f},
        {"60 characters", "copy-general", COPY60, COPY60, 0},
        {"40 words", "en-fr-general", WORDS40, NULL, 0},
    };
    cr_assert_eq(strlen(COPY60), 60);
    for (size_t i = 0; i < sizeof D / sizeof *D; i++) {
        fresh("en");
        decode(D[i].model, D[i].input, D[i].target, D[i].tf);
        sweep_decoding(D[i].name);
    }
}

Test(readable, compare_mode) {
    fresh("en");
    decode("en-ko-dot", "my mother opens the umbrella", NULL, 0);
    app_compare(app, CMP_SCORE);
    cr_assert(app->cmp.have, "compare did not start");
    sweep_decoding("compare scores");
    fresh("en");
    decode("dates-general", "8 may 16", "2016-05-08", 0.5f);
    app_compare(app, CMP_FORCING);
    cr_assert(app->cmp.have, "side by side did not start");
    sweep_decoding("compare teacher forcing");
}

/* The frame with each overlay, in both languages and sizes. */
static void overlays(const char *where) {
    char what[300];
    for (int l = 0; l < 2; l++)
        for (int z = 0; z < N_SIZES; z++) {
            snprintf(app->ui.lang, sizeof app->ui.lang, "%s", LANGS[l]);
            snprintf(what, sizeof what, "%s (%s)", where, LANGS[l]);
            app->view.help = true;
            check(z, "help");
            app->view.help = false;
            app_say(app, "A status message as long as the ones the app writes when a model file does not load: "
                         "assets/models/en-ko-general.safetensors: header: tensor 'enc.W' has 3 dimensions");
            check(z, "message");
            app_say(app, "");
            if (app_key_context(app) & (KEYS_VIEW | KEYS_LESSON)) {
                menu_open(app);
                check(z, "model menu");
                app->menu.open = false;
                editor_open(app, 0);
                tf_set(&app->editor.f[0], WORDS40, false);   /* the caret at the end */
                snprintf(app->editor.composition, sizeof app->editor.composition, "한");
                check(z, "editor, input");
                editor_open(app, 1);
                check(z, "editor, reference");
                editor_close(app);
                app->editor.composition[0] = 0;
                /* the tip of every score button */
                app_build_frame(app, SIZES[z].w, SIZES[z].h);
                int n = 0;
                float bx[8], by[8];
                for (int i = 0; i < app->w.dl.n && n < 8; i++) {
                    const DlCmd *c = &app->w.dl.cmds[i];
                    if (c->tag == VIZ_TAG_SCORE_BUTTON) { bx[n] = c->x + c->w / 2; by[n] = c->y + c->h / 2; n++; }
                }
                for (int i = 0; i < n; i++) {
                    app->ui.mouse_in = true;
                    app->ui.mouse_x = bx[i];
                    app->ui.mouse_y = by[i];
                    check(z, "a score button's tip");
                }
                app->ui.mouse_in = false;
            }
        }
}

Test(readable, overlays) {
    fresh("en");
    decode("en-fr-general", WORDS40, NULL, 0);
    app->view.tau = viz_tau_at(&app->session.trace, 3, PH_SOFTMAX) + 0.99999;
    overlays("view");
}

static int lesson_files(const char *lang, char names[][300], int cap) {
    char dir[300];
    snprintf(dir, sizeof dir, "lessons/%s", lang);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < cap)
        if (strlen(e->d_name) > 3 && strcmp(e->d_name + strlen(e->d_name) - 3, ".md") == 0 && strcmp(e->d_name, "README.md"))
            snprintf(names[n++], 300, "%.40s/%.250s", dir, e->d_name);
    closedir(d);
    return n;
}

Test(readable, every_slide_of_every_lesson_and_the_picker) {
    char names[32][300], err[AV_ERR_LEN], what[400];
    int slides = 0;
    for (int l = 0; l < 2; l++) {
        int n = lesson_files(LANGS[l], names, 32);
        cr_assert_gt(n, 0);
        for (int f = 0; f < n; f++) {
            fresh(LANGS[l]);
            cr_assert_eq(app_open_lesson(app, names[f], err), 0, "%s", err);
            for (int s = 0; s < app->lesson.lesson.n_slides; s++) {
                app_enter_slide(app, s, false);
                for (int z = 0; z < N_SIZES; z++) {
                    snprintf(what, sizeof what, "%s slide %d", names[f], s + 1);
                    check(z, what);
                    app->view.help = true;
                    snprintf(what, sizeof what, "%s slide %d, help", names[f], s + 1);
                    check(z, what);
                    app->view.help = false;
                }
                slides++;
            }
        }
        fresh(LANGS[l]);
        cr_assert_eq(app_open_picker(app, "lessons", err), 0, "%s", err);
        for (int sel = 0; sel < app->lesson.n_entries; sel += 3) {
            app->lesson.sel = sel;
            for (int z = 0; z < N_SIZES; z++) check(z, LANGS[l][0] == 'k' ? "the picker (ko)" : "the picker (en)");
        }
    }
    cr_assert_gt(slides, 40);
    /* a lesson that does not load: its message */
    char dir[] = "/tmp/attnviz-readable-XXXXXX", path[300];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/01-broken.md", dir);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("# Broken\n\ntask: copy\nlevel: beginner\nminutes: 5\n\n## One\nmodel: copy-dot\ninput: abc\nphase: softmx\n", fp);
    cr_assert_eq(fclose(fp), 0);
    fresh("en");
    cr_assert_neq(app_open_lesson(app, path, err), 0);
    for (int z = 0; z < N_SIZES; z++) check(z, "a lesson that does not load");
    remove(path);
    rmdir(dir);
}

/* A lesson slide with its decoding, with the overlays over it. */
Test(readable, overlays_in_a_lesson) {
    char err[AV_ERR_LEN];
    fresh("en");
    cr_assert_eq(app_open_lesson(app, "lessons/en/03-dot-attention.md", err), 0, "%s", err);
    app_enter_slide(app, 3, false);
    overlays("lesson 3 slide 4");
}

/* Zoomed (the floor scales with the zoom: viz_text_min) and presenting. */
Test(readable, zoomed_and_presenting) {
    static const float ZOOM[] = {0.8f, 1.25f, 2.0f};
    char err[AV_ERR_LEN], what[200];
    for (int present = 0; present < 2; present++)
        for (size_t z = 0; z < sizeof ZOOM / sizeof *ZOOM; z++) {
            fresh("en");
            app->ui.zoom = ZOOM[z];
            app->ui.present = present;
            decode("copy-general", COPY60, NULL, 0);
            snprintf(what, sizeof what, "60 characters, zoom %g%s", (double)ZOOM[z], present ? ", presenting" : "");
            sweep_decoding(what);
            fresh("ko");
            app->ui.zoom = ZOOM[z];
            app->ui.present = present;
            cr_assert_eq(app_open_lesson(app, "lessons/ko/05-bahdanau-luong.md", err), 0, "%s", err);
            for (int sl = 0; sl < app->lesson.lesson.n_slides; sl++) {
                app_enter_slide(app, sl, false);
                for (int i = 0; i < N_SIZES; i++) {
                    snprintf(what, sizeof what, "lesson 5 (ko) slide %d, zoom %g%s", sl + 1, (double)ZOOM[z],
                             present ? ", presenting" : "");
                    check(i, what);
                }
            }
            if (ZOOM[z] < 2) continue;
            /* a training slide (its run starts are slow under the sanitizers: the largest zoom only) */
            fresh("ko");
            app->ui.zoom = ZOOM[z];
            app->ui.present = present;
            cr_assert_eq(app_open_lesson(app, "lessons/ko/10-learning-to-align.md", err), 0, "%s", err);
            cr_assert_eq(app_enter_slide(app, 0, false), 0, "%s", app->lesson.slide_err);
            cr_assert(app_training(app));
            for (int i = 0; i < N_SIZES; i++) {
                snprintf(what, sizeof what, "lesson 10 (ko) slide 1, zoom %g%s", (double)ZOOM[z], present ? ", presenting" : "");
                check(i, what);
            }
        }
}

/* The source vocabulary (K) and the line naming the words a model does not
 * know, with a source word highlighted (a click), in both languages and
 * sizes; the list at its top and scrolled to its end. */
Test(readable, the_unknown_words_and_the_vocabulary) {
    fresh("en");
    decode("en-ko-dot", "the dog opens my umbrella", NULL, 0);
    cr_assert(app->session.unknown[0], "'dog' gives no unknown-word line: the test shows nothing");
    app->view.pin = 2;
    sweep_decoding("unknown words, 'dog' highlighted");
    app->view.pin = 0;
    for (int l = 0; l < 2; l++) {
        snprintf(app->ui.lang, sizeof app->ui.lang, "%s", LANGS[l]);
        send_key(app, SDLK_k, 0);
        cr_assert(app->vocab.open, "K did not open the vocabulary");
        for (int z = 0; z < N_SIZES; z++) check(z, l ? "the vocabulary (ko)" : "the vocabulary (en)");
        send_key(app, SDLK_END, 0);
        for (int z = 0; z < N_SIZES; z++) check(z, l ? "the vocabulary at its end (ko)" : "the vocabulary at its end (en)");
        send_key(app, SDLK_ESCAPE, 0);
        cr_assert(!app->vocab.open, "Esc did not close the vocabulary");
    }
}


/* The lab being made, made, with every axis: light and dark, English and
 * Korean, its help and a long message; a Korean frame has none of the
 * lab's English labels. */
static void check_lab(const char *what) {
    static const UiStr EN_ONLY[] = {UI_LAB_KEYS, UI_LAB_PREPARING, UI_LAB_AXIS_SCORE, UI_LAB_AXIS_TF,
                                    UI_LAB_AXIS_REVERSE, UI_LAB_LOSS, UI_LAB_TOKEN, UI_TV_FULL};
    char w[300];
    for (int dark = 0; dark < 2; dark++)
        for (int l = 0; l < 2; l++)
            for (int z = 0; z < N_SIZES; z++) {
                app->ui.dark = dark;
                snprintf(app->ui.lang, sizeof app->ui.lang, "%s", LANGS[l]);
                snprintf(w, sizeof w, "%s (%s, %s)", what, LANGS[l], dark ? "dark" : "light");
                check(z, w);
                for (int i = 0; l == 1 && i < app->w.dl.n; i++) {
                    const DlCmd *c = &app->w.dl.cmds[i];
                    for (size_t k = 0; c->kind == DL_TEXT && k < sizeof EN_ONLY / sizeof *EN_ONLY; k++)
                        cr_assert_null(strstr(dl_str(&app->w.dl, c), ui_str_en(EN_ONLY[k])), "%s: English '%s'", w,
                                       dl_str(&app->w.dl, c));
                }
            }
    app->ui.dark = false;
    snprintf(app->ui.lang, sizeof app->ui.lang, "en");
}

Test(readable, the_mechanism_lab) {
    fresh("en");
    decode("dates-general", "8 may 16", "2016-05-08", 0);
    char err[AV_ERR_LEN];
    TrainStart t;
    cr_assert(train_like_model(&app->session.model, "dates", &t, err), "%s", err);
    for (int axis = 0; axis < LAB_AXES; axis++) {
        cr_assert_eq(lab_open(app, &t.desc, "dates", 2000, axis, app->session.input, app->session.target, err), 0, "%s", err);
        if (axis == 0) check_lab("the lab being made");
        for (int k = 0; k < 60000 && lab_loading(app); k++) {
            app_update(app, 0.02);
            SDL_Delay(1);
        }
        cr_assert_eq(app->mode, MODE_LAB, "%s", app->ui.message);
        cr_assert_gt(app->lab.n, 1, "axis %d: %s", axis + 1, app->ui.message);
        app->lab.playing = false;
        app->lab.single = 3;   /* three steps, logged one by one: a probe decoded on trained weights */
        Uint64 t0 = SDL_GetTicks64();
        while (lab_busy(app) && SDL_GetTicks64() - t0 < 120000) {
            app_update(app, 0.02);
            SDL_Delay(2);
        }
        cr_assert_not(lab_busy(app), "the lab does not come to rest");
        char what[64];
        snprintf(what, sizeof what, "the lab, axis %d", axis + 1);
        check_lab(what);
        overlays(what);
    }
    lab_close(app);
    app->mode = MODE_VIEW;
}

/* The measure itself: a frame with one label a unit too small fails. */
Test(readable, the_measure_catches_a_small_label) {
    DrawList dl;
    dl_init(&dl, &app->w.measure);
    dl_text(&dl, 10, 10, 16, 0, (Color){0, 0, 0, 255}, "sixteen");
    cr_assert_null(too_small(&dl, 16));
    dl_text(&dl, 10, 40, 15, 0, (Color){0, 0, 0, 255}, "fifteen");
    cr_assert_not_null(too_small(&dl, 16));
    dl_clear(&dl);
    dl_text(&dl, 10, 10, 19, TEXT_MATH, (Color){0, 0, 0, 255}, "h_t");   /* its t at 15.2 */
    cr_assert_not_null(too_small(&dl, 16));
    dl_clear(&dl);
    dl_text(&dl, 10, 10, 19, 0, (Color){0, 0, 0, 255}, "h_t");          /* not math: no script */
    dl_text(&dl, 10, 40, 10, 0, (Color){0, 0, 0, 0}, "invisible");
    cr_assert_null(too_small(&dl, 16));
    dl_free(&dl);
}
