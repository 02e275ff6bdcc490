/* test_backward.c — the backward pass in the app, driven by synthetic SDL events as a class would (issue 12): B without
 * a reference opens the reference field and goes on once one is given; B with one steps into the backward phases of
 * the current step and back; , and . and the slider change η and replay only the step; a new decoding keeps the
 * backward view with its own gradient, and one without a reference leaves it, saying why; a GIF recorded with B on has
 * the backward phases too. Small random models. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "events.h"
#include "models.h"

static App *app;
static char dir[] = "/tmp/attnviz-backward-XXXXXX";
static char path[300];

static void setup(void) {
    cr_assert_not_null(mkdtemp(dir));
    char err[AV_ERR_LEN];
    save_random_model(dir, SCORE_GENERAL, err);
    save_random_model(dir, SCORE_DOT, err);
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    app->view.speed = 1;
    app->session.tf_p = 0.5f;
    snprintf(app->ui.lang, sizeof app->ui.lang, "en");
    cr_assert_eq(app_init_gfx(app, 1280, 720, true, err), 0, "%s", err);
    snprintf(path, sizeof path, "%s/reverse-general.safetensors", dir);
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
    remove_folder(dir);
}

TestSuite(backward_app, .init = setup, .fini = teardown, .timeout = 120);

static void settle(void) { settle_app(app); }
static void key(SDL_Keycode k) { press_key(app, k); }

static int step_and_phase(int *phase) {
    int step;
    float pr;
    viz_clock_n(&app->session.trace, app_step_phases(app), app->view.tau, &step, phase, &pr);
    return step;
}

Test(backward_app, b_without_a_reference_asks_for_one_then_goes_on) {
    char err[AV_ERR_LEN];
    cr_assert_eq(app_decode(app, path, "abcdef", NULL, false, err), 0, "%s", err);
    key(SDLK_b);
    cr_expect(!app->back.on);
    cr_expect(app->editor.open && app->editor.field == 1, "the reference field is open");
    cr_expect_str_eq(app->ui.message, app_str(app, UI_M_BACK_NEEDS_REF));
    send_text(app, "fedcba");
    key(SDLK_RETURN);
    cr_expect(!app->editor.open, "%s", app->ui.message);
    cr_expect_str_eq(app->session.target, "fedcba");
    cr_expect(app->back.on && app->back.have, "the reference given, the backward phases are on");
    cr_expect_eq(app_step_phases(app), VIZ_PHASES_BACKWARD);
    cr_expect_eq(app->back.grad.T, app->session.trace.T);
    /* Esc in the field instead: nothing stays wanted */
    key(SDLK_b);
    cr_expect(!app->back.on);
    cr_assert_eq(app_decode(app, path, "abc", NULL, false, err), 0, "%s", err);
    key(SDLK_b);
    key(SDLK_ESCAPE);
    cr_assert_eq(app_decode(app, path, "abc", "cba", false, err), 0, "%s", err);
    cr_expect(!app->back.on, "B was cancelled: a later reference does not turn the backward phases on");
}

Test(backward_app, b_steps_into_the_backward_phases_of_the_step_and_back) {
    char err[AV_ERR_LEN];
    cr_assert_eq(app_decode(app, path, "abcdef", "fedcba", false, err), 0, "%s", err);
    app->view.tau = viz_tau_at(&app->session.trace, 3, PH_CONTEXT) + 0.5;
    key(SDLK_b);
    cr_assert(app->back.on && app->back.have, "%s", app->ui.message);
    int ph, step = step_and_phase(&ph);
    cr_expect(step == 2 && ph == PH_COUNT + BPH_LOSS, "step %d phase %d", step + 1, ph);
    VizState st;
    app_viz_state(app, &st);
    cr_expect(st.backward && st.grad == &app->back.grad);
    /* the picture is the decoding that was differentiated */
    cr_expect_eq(app->back.grad.S, app->session.trace.S);
    for (int i = 0; i < BPH_COUNT - 1; i++) key(SDLK_RIGHT);
    step = step_and_phase(&ph);
    cr_expect(step == 2 && ph == PH_COUNT + BPH_STEP, "→ goes through the step's backward phases: at %d", ph);
    key(SDLK_RIGHT);
    step = step_and_phase(&ph);
    cr_expect(step == 3 && ph == PH_ENCODER, "then the next step's forward ones");
    key(SDLK_LEFT);
    key(SDLK_UP);
    step = step_and_phase(&ph);
    cr_expect(step == 1 && ph == PH_COUNT + BPH_STEP, "↑ keeps the phase: %d %d", step, ph);
    key(SDLK_b);
    cr_expect(!app->back.on && !app->back.have);
    step = step_and_phase(&ph);
    cr_expect(step == 1 && ph == PH_NEXT, "back to the end of the step's forward phases: %d %d", step, ph);
}

Test(backward_app, eta_keys_and_slider_replay_the_step) {
    char err[AV_ERR_LEN];
    cr_assert_eq(app_decode(app, path, "abcdef", "fedcba", false, err), 0, "%s", err);
    key(SDLK_b);
    cr_assert(app->back.on);
    GradTrace *g = &app->back.grad;
    cr_expect_float_eq(g->after.lr, 0.1f, 1e-7);
    float before = g->after.loss;
    key(SDLK_PERIOD);
    cr_expect_float_eq(g->after.lr, 0.2f, 1e-7);
    cr_expect_neq(g->after.loss, before, "another η, another step");
    int ph;
    step_and_phase(&ph);
    cr_expect_eq(ph, PH_COUNT + BPH_STEP, ". shows the one-step phase");
    key(SDLK_COMMA);
    key(SDLK_COMMA);
    cr_expect_float_eq(g->after.lr, 0.05f, 1e-7);
    cr_expect_str_empty(app->ui.message, "in the backward view η needs no message: %s", app->ui.message);
    /* the slider: a click at 3/4 of its track is η = 10^(0.75·4 − 3) = 1, a drag to 1/4 is 0.01 */
    const DlCmd *sl = NULL;
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == VIZ_TAG_LR_SLIDER) sl = &app->w.dl.cmds[i];
    cr_assert_not_null(sl, "no η slider in the one-step phase");
    float x0 = sl->x, w = sl->w, y = sl->y + sl->h / 2;
    send(app, button_event(SDL_MOUSEBUTTONDOWN, x0 + 0.75f * w, y));
    settle();
    cr_expect(fabsf(g->after.lr - 1) < 0.03f, "η %g", (double)g->after.lr);
    send_motion(app, x0 + 0.25f * w, y);
    settle();
    cr_expect(fabsf(g->after.lr - 0.01f) < 0.0003f, "η %g", (double)g->after.lr);
    send(app, button_event(SDL_MOUSEBUTTONUP, x0 + 0.25f * w, y));
    send_motion(app, x0 + 0.9f * w, y);
    settle();
    cr_expect(fabsf(g->after.lr - 0.01f) < 0.0003f, "released: the slider stays");
    /* forward: η keys say what they set, the next notch of the 1-2-5 ladder (the drag, in whole pixels, may
     * have stopped just under 0.01) */
    const char *next = g->after.lr < 0.01f ? "0.01" : "0.02";
    key(SDLK_b);
    key(SDLK_PERIOD);
    cr_expect(strstr(app->ui.message, next) != NULL, "after η %g: %s", (double)g->after.lr, app->ui.message);
}

Test(backward_app, a_new_decoding_keeps_the_backward_view_or_says_why_not) {
    char err[AV_ERR_LEN];
    cr_assert_eq(app_decode(app, path, "abcdef", "fedcba", false, err), 0, "%s", err);
    key(SDLK_b);
    cr_assert(app->back.on);
    key(SDLK_2);   /* the dot model */
    cr_expect(app->back.on && app->back.have);
    cr_expect_eq(app->back.grad.cfg.score, SCORE_DOT, "the gradient is the new model's");
    cr_expect_eq(app->session.model.cfg.score, SCORE_DOT);
    cr_assert_eq(app_decode(app, app->session.model_path, "abc", NULL, false, err), 0, "%s", err);
    cr_expect(!app->back.on, "no reference: forward");
    cr_expect(strstr(app->ui.message, app_str(app, UI_M_BACK_NEEDS_REF)) != NULL, "%s", app->ui.message);
    int ph;
    step_and_phase(&ph);
    cr_expect_lt(ph, PH_COUNT);
    /* a reference the model cannot read is named */
    cr_assert_eq(app_decode(app, path, "abc", "cbz", false, err), 0, "%s", err);
    key(SDLK_b);
    cr_expect(!app->back.on);
    cr_expect(strstr(app->ui.message, "'z'") != NULL, "%s", app->ui.message);
}

Test(backward_app, a_gif_recorded_with_b_on_has_the_backward_phases_too) {
    char err[AV_ERR_LEN], gif[340];
    cr_assert_eq(app_decode(app, path, "abcdef", "fedcba", false, err), 0, "%s", err);
    app->view.tau = viz_tau_at(&app->session.trace, 2, PH_NEXT) + 0.5;
    key(SDLK_b);
    cr_assert(app->back.on && app->back.have, "%s", app->ui.message);
    snprintf(gif, sizeof gif, "%s/back.gif", dir);
    /* step 2 at 10 fps, speed 4: a phase is 4 frames; the GIF is the step as the window plays it */
    RecordOptions o = {.width = 320, .height = 180, .fps = 10, .speed = 4, .step_from = 2, .step_to = 2, .score = -1};
    cr_assert_eq(app_record_start(app, &o, gif, err), 0, "%s", err);
    cr_expect_eq(app->rec.n_frames, VIZ_PHASES_BACKWARD * 4, "every phase of the step, forward and backward");
    cr_expect_eq(app->rec.phase0, VIZ_PHASES_BACKWARD, "step 2 starts after step 1's forward and backward phases");
    size_t bytes = 0;
    cr_assert_geq(app_record_frames(app, 0, err), 0, "%s", err);
    cr_assert_eq(app_record_finish(app, &bytes, err), 0, "%s", err);
    cr_expect_gt(bytes, 0);
    key(SDLK_b);
    cr_assert_eq(app_record_start(app, &o, gif, err), 0, "%s", err);
    cr_expect_eq(app->rec.n_frames, PH_COUNT * 4, "B off: the forward phases only");
    app_record_abort(app);
}
