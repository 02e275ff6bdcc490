/* test_present.c — presentation mode and the zoom in the real app (issue 13):
 * F5 (or F11) hides the chrome and goes full screen, F5 or Esc comes back
 * (Esc does not quit from there), the window's full-screen state before it
 * is kept; Ctrl+= Ctrl+- Ctrl+0 scale the whole view. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "events.h"

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
