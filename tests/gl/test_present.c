/* test_present.c — presentation mode and the zoom in the real app (issue 13):
 * F5 (or F11) hides the chrome and goes full screen, F5 or Esc comes back
 * (Esc does not quit from there), the window's full-screen state before it
 * is kept; Ctrl+= Ctrl+- Ctrl+0 scale the whole view; both work on the
 * training screen too (issue 11). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/keys.h"
#include "events.h"
#include "models.h"

static App *app;
static char models[1024];

static void setup(void) {
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    char err[AV_ERR_LEN], path[1200];
    cr_assert_eq(app_init_gfx(app, 1280, 720, true, err), 0, "%s", err);
    app->view.speed = 1;
    app->ui.zoom = 1;
    snprintf(app->ui.lang, sizeof app->ui.lang, "en");
    cr_assert(app_find_models_dir(models, sizeof models));
    snprintf(path, sizeof path, "%s/en-ko-dot.safetensors", models);
    cr_assert_eq(app_decode(app, path, "I love you", NULL, false, err), 0, "%s", err);
    app->view.tau = viz_tau_end(&app->session.trace) - 1e-5;
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
}

TestSuite(present, .init = setup, .fini = teardown, .timeout = 120);

static int count_tag(int tag) {
    app_build_frame(app, 1280, 720);
    int n = 0;
    for (int i = 0; i < app->w.dl.n; i++) n += app->w.dl.cmds[i].tag == tag;
    return n;
}

static bool full_screen(void) { return SDL_GetWindowFlags(app->w.win) & SDL_WINDOW_FULLSCREEN_DESKTOP; }

Test(present, f5_hides_the_chrome_and_esc_brings_it_back) {
    cr_assert_gt(count_tag(VIZ_TAG_SCORE_BUTTON), 0);
    for (int k = 0; k < 2; k++) {
        send_key(app, k ? SDLK_F11 : SDLK_F5, 0);
        cr_assert(app->ui.present);
        cr_assert(full_screen(), "presenting, not full screen");
        cr_assert_eq(count_tag(VIZ_TAG_SCORE_BUTTON), 0, "presenting, the toolbar is still there");
        cr_assert_gt(count_tag(VIZ_TAG_TIMELINE), 0, "presenting, the timeline is gone");
        send_key(app, k ? SDLK_F5 : SDLK_ESCAPE, 0);
        cr_assert(!app->ui.present);
        cr_assert(!app->w.quit, "Esc in presentation mode quit the app");
        cr_assert(!full_screen(), "back from presenting, still full screen");
        cr_assert_gt(count_tag(VIZ_TAG_SCORE_BUTTON), 0);
    }
    /* full screen before: full screen after */
    app_toggle_fullscreen(app);
    cr_assert(full_screen());
    send_key(app, SDLK_F5, 0);
    send_key(app, SDLK_F5, 0);
    cr_assert(full_screen(), "leaving presentation mode left full screen");
    app_toggle_fullscreen(app);
}

static float caption_px(void) {
    app_build_frame(app, 1280, 720);
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == VIZ_TAG_CAPTION) return app->w.dl.cmds[i].size;
    return 0;
}

Test(present, ctrl_plus_and_minus_zoom_the_view) {
    float px = caption_px();
    cr_assert_gt(px, 0);
    send_key(app, SDLK_EQUALS, KMOD_LCTRL);
    cr_assert_gt(caption_px(), px * 1.05f, "Ctrl+= did not make the view larger");
    send_key(app, SDLK_0, KMOD_LCTRL);
    cr_assert_float_eq(caption_px(), px, 1e-3, "Ctrl+0 did not put it back");
    send_key(app, SDLK_MINUS, KMOD_LCTRL);
    cr_assert_lt(caption_px(), px * 0.95f, "Ctrl+- did not make it smaller");
    cr_assert_float_eq(app->view.speed, 1, 1e-6, "Ctrl+- changed the speed");
    for (int i = 0; i < 20; i++) send_key(app, SDLK_EQUALS, KMOD_LCTRL);
    cr_assert_leq(app->ui.zoom, 2.0f + 1e-6f, "the zoom has no end");
    send_key(app, SDLK_0, KMOD_LCTRL);
}

/* ---- the training screen (issue 11): the same keys work there ---- */

/* A training like reverse-general, paused at step 0 on a small data set. */
static void start_training(void) {
    char err[AV_ERR_LEN], path[1200];
    snprintf(path, sizeof path, "%s/reverse-general.safetensors", models);
    cr_assert_eq(app_decode(app, path, "abcdef", NULL, false, err), 0, "%s", err);
    start_small_training(app, false);
    cr_assert_eq(app->mode, MODE_TRAIN);
}

/* The size of the first text run tagged tag (built at 1280×720), or 0. */
static float tagged_px(int tag) {
    app_build_frame(app, 1280, 720);
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->kind == DL_TEXT && c->tag == tag) return c->size;
    }
    return 0;
}

/* The keys line under the film strip (the first words of UI_TV_KEYS). */
static bool keys_line_shown(void) {
    app_build_frame(app, 1280, 720);
    char head[16];
    snprintf(head, sizeof head, "%.12s", ui_str("en", UI_TV_KEYS));
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].kind == DL_TEXT && strncmp(dl_str(&app->w.dl, &app->w.dl.cmds[i]), head, strlen(head)) == 0)
            return true;
    return false;
}

/* Every text run at or above the floor for the zoom. */
static void readable_at_zoom(void) {
    app_build_frame(app, 1280, 720);
    float least = viz_text_min(1280, 720, app->ui.zoom);
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->kind == DL_TEXT && c->color.a && !(c->flags & TEXT_MATH))
            cr_assert_geq(c->size, least - 1e-3f, "zoom %g: '%s' at %.2f px", (double)app->ui.zoom, dl_str(&app->w.dl, c), (double)c->size);
    }
}

Test(present, zoom_and_presentation_in_the_training) {
    start_training();
    float row = tagged_px(TV_TAG_PROBE_ROW), value = tagged_px(TV_TAG_MEASURE);
    cr_assert(row > 0 && value > 0, "no probe row or measure on the training screen");
    send_key(app, SDLK_EQUALS, KMOD_LCTRL);
    cr_assert_gt(app->ui.zoom, 1);
    cr_assert_gt(tagged_px(TV_TAG_PROBE_ROW), row * 1.05f, "Ctrl+= did not make the training screen larger");
    cr_assert_gt(tagged_px(TV_TAG_MEASURE), value * 1.05f);
    readable_at_zoom();
    send_key(app, SDLK_0, KMOD_LCTRL);
    cr_assert_float_eq(tagged_px(TV_TAG_PROBE_ROW), row, 1e-3, "Ctrl+0 did not put it back");
    send_key(app, SDLK_MINUS, KMOD_LCTRL);
    cr_assert_lt(tagged_px(TV_TAG_MEASURE), value * 0.95f, "Ctrl+- did not make it smaller");
    readable_at_zoom();
    send_key(app, SDLK_0, KMOD_LCTRL);
    cr_assert_eq(run_shared(app->train.run).speed, RUN_SPEED[app->train.speed], "Ctrl+- changed the training's speed");
    /* presentation: full screen, no keys line; Esc and F5 come back, the training stays */
    cr_assert(keys_line_shown());
    for (int k = 0; k < 2; k++) {
        send_key(app, k ? SDLK_F11 : SDLK_F5, 0);
        cr_assert(app->ui.present && full_screen(), "F5 in the training: not presenting");
        cr_assert(!keys_line_shown(), "presenting, the keys line is still there");
        cr_assert_gt(tagged_px(TV_TAG_PROBE_ROW), 0, "presenting, the probe is gone");
        send_key(app, k ? SDLK_F5 : SDLK_ESCAPE, 0);
        cr_assert(!app->ui.present && !full_screen() && !app->w.quit);
        cr_assert_eq(app->mode, MODE_TRAIN, "Esc left the training while presenting");
        cr_assert(keys_line_shown());
    }
    /* the ? overlay lists both */
    int n;
    const VizHelpLine *h = keys_help(KEYS_TRAIN, "en", &n);
    bool zoom = false, present = false;
    for (int i = 0; i < n; i++) {
        zoom |= strcmp(h[i].what, ui_str("en", UI_H_ZOOM)) == 0;
        present |= strcmp(h[i].what, ui_str("en", UI_H_PRESENT)) == 0;
    }
    cr_assert(zoom && present, "the training's ? overlay does not list the zoom and presentation mode");
}
