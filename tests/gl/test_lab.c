/* test_lab.c — the mechanism lab in the window (src/app/mode_lab.c): it opens from the training's L and from the model menu, trains its configurations in step on their workers, shows one probe matrix per configuration and one legend entry each, and its keys pause, step, change speed, restart, switch the axis and go back. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/keys.h"
#include "viz/lab_view.h"
#include "events.h"
#include "models.h"

static App *app;
enum { W = 1280, H = 720 };
static char dir[] = "/tmp/attnviz-lab-XXXXXX";

static void setup(void) {
    char err[AV_ERR_LEN];
    cr_assert_not_null(mkdtemp(dir));
    save_random_model(dir, SCORE_GENERAL, err);
    setenv("ATTNVIZ_MODELS", dir, 1);
    setenv("XDG_PICTURES_DIR", dir, 1);
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    cr_assert_eq(app_init_gfx(app, W, H, true, err), 0, "%s", err);
    app->session = (AppSession){.seed = 1, .tf_p = 0.5f};
    app->view = (AppView){.speed = 1};
    app->ui = (AppUi){.lang = "en", .zoom = 1};
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
    remove_folder(dir);
}

TestSuite(lab, .init = setup, .fini = teardown, .timeout = 600);

static void decode(void) {
    char path[400], err[AV_ERR_LEN];
    snprintf(path, sizeof path, "%s/reverse-general.safetensors", dir);
    cr_assert_eq(app_decode(app, path, "abcdef", NULL, false, err), 0, "%s", err);
}

/* A decoding, a small training from it (training or paused), and L: the lab. */
static void open_lab_from_training(bool training) {
    decode();
    start_small_training(app, training);
    send_key(app, SDLK_l, 0);
}

/* Run the loop's updates until the lab being made is on screen. */
static void wait_loaded(void) {
    for (int k = 0; k < 60000 && lab_loading(app); k++) {
        app_update(app, 0.02);
        SDL_Delay(1);
    }
    cr_assert_not(lab_loading(app), "the lab is never made");
}

/* Run the loop's updates until nothing is asked and no run is in a step. */
static void settle(void) {
    Uint64 t0 = SDL_GetTicks64();   /* a chunk of steps under the sanitizers on a busy machine: seconds */
    while (lab_busy(app) && SDL_GetTicks64() - t0 < 120000) {
        for (int i = 0; i < app->lab.n; i++) cr_assert(run_wait_idle(app->lab.run[i], 60), "run %d hangs", i);
        app_update(app, 0.02);
        SDL_Delay(2);
    }
    cr_assert_not(lab_busy(app), "the lab does not come to rest");
    app_update(app, 0.02);
}

/* Let it train to at least `step`, then pause it there. */
static void train_to(long step) {
    for (int k = 0; k < 20000 && lab_steps(app) < step; k++) {
        app_update(app, 0.02);
        SDL_Delay(1);
    }
    cr_assert_geq(lab_steps(app), step, "the lab did not train");
    if (app->lab.playing) send_key(app, SDLK_SPACE, 0);
    settle();
}

static int count(int tag, int a) {
    int n = 0;
    for (int i = 0; i < app->w.dl.n; i++) n += app->w.dl.cmds[i].tag == tag && (a < 0 || app->w.dl.cmds[i].a == a);
    return n;
}

/* Every run at the same step. */
static long same_step(void) {
    long k = run_shared(app->lab.run[0]).steps;
    for (int i = 1; i < app->lab.n; i++)
        cr_assert_eq(run_shared(app->lab.run[i]).steps, k, "run %s at step %ld, %s at %ld", app->lab.run[i]->label,
                     run_shared(app->lab.run[i]).steps, app->lab.run[0]->label, k);
    return k;
}

/* The frame: one column (head, matrix or its "no attention"), one legend
 * entry and curves per configuration, two charts. */
static void check_frame(int n, const char *const *labels) {
    app_build_frame(app, W, H);
    cr_assert_eq(app->lab.n, n);
    cr_assert_eq(count(LAB_TAG_HEAD, -1), n, "one head per configuration");
    cr_assert_eq(count(LAB_TAG_LEGEND, -1), n, "one legend entry per configuration");
    cr_assert_eq(count(LAB_TAG_CHART, -1), 2, "the loss and the accuracy chart");
    for (int i = 0; i < n; i++) {
        const TrainRun *r = app->lab.run[i];
        cr_assert_str_eq(r->label, labels[i]);
        VizProbe p;
        run_probe(r, -1, &p);
        bool none = strncmp(labels[i], "none", 4) == 0;
        if (none) cr_assert_eq(count(LAB_TAG_NO_MATRIX, i), 1, "%s: no attention, no matrix", labels[i]);
        else {
            cr_assert_gt(p.S * p.T, 0, "%s: a decoded probe", labels[i]);
            cr_assert_eq(count(LAB_TAG_CELL, i), p.S * p.T, "%s: a cell per weight", labels[i]);
        }
        cr_assert_gt(count(LAB_TAG_CURVE, -1), 0);
        int segs = 0;
        for (int k = 0; k < app->w.dl.n; k++)
            segs += app->w.dl.cmds[k].tag == LAB_TAG_CURVE && app->w.dl.cmds[k].a == 0 && app->w.dl.cmds[k].b == i;
        cr_assert_gt(segs, 0, "%s: its loss curve", labels[i]);
    }
}

Test(lab, l_in_the_training_opens_it_and_its_configurations_train_in_step) {
    open_lab_from_training(true);
    cr_assert_eq(app->mode, MODE_LAB, "L opens the lab: %s", app->ui.message);
    cr_assert_eq(app_key_context(app), KEYS_LAB);
    cr_assert_neq(run_shared(app->train.run).state, RUN_TRAINING, "the training waits while the lab trains");
    /* made on its own thread: the window has a frame meanwhile, which says so */
    cr_assert(lab_loading(app), "the models are made off the window's thread");
    app_build_frame(app, W, H);
    bool said = false;
    for (int i = 0; i < app->w.dl.n; i++)
        said |= app->w.dl.cmds[i].kind == DL_TEXT && strstr(dl_str(&app->w.dl, &app->w.dl.cmds[i]), "preparing");
    cr_assert(said, "the frame says the lab is being made");
    wait_loaded();
    cr_assert_eq(app->lab.n, 4);
    cr_assert(app->lab.playing, "it trains once made");
    train_to(40);
    long k = same_step();
    cr_assert_geq(k, 40);
    static const char *const SCORES[] = {"dot", "general", "additive", "none"};
    check_frame(4, SCORES);
    /* Esc: back to the training, which trains again */
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert_eq(app->mode, MODE_TRAIN);
    cr_assert_eq(app->lab.n, 0, "the lab's runs are gone");
    cr_assert_eq(run_shared(app->train.run).state, RUN_TRAINING, "the training goes on");
    train_close(app);
}

/* An axis asked for while the first lab is still being made: that one is
 * dropped and the axis asked for is made, on the same model's data. */
Test(lab, an_axis_key_while_the_lab_is_being_made_makes_that_axis) {
    open_lab_from_training(false);
    cr_assert(lab_loading(app), "the lab is being made");
    send_key(app, SDLK_2, 0);
    cr_assert_eq(app->mode, MODE_LAB, "%s", app->ui.message);
    cr_assert(lab_loading(app), "2 makes another: %s", app->ui.message);
    wait_loaded();
    cr_assert_eq(app->mode, MODE_LAB, "%s", app->ui.message);
    cr_assert(strstr(app->lab.what, "reverse"), "the model's own data: %s", app->lab.what);
    cr_assert_str_eq(app->lab.run[0]->probe, "abcd");
    train_to(5);
    static const char *const TF[] = {"tf 1", "tf linear", "tf 0"};
    check_frame(3, TF);
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert_eq(app->mode, MODE_TRAIN);
    train_close(app);
}

/* Esc while the lab is being made (the data loading takes a second or more):
 * back at once, the thread left to finish, then freed by the loop's updates. */
Test(lab, esc_while_it_is_being_made_does_not_wait_for_it) {
    open_lab_from_training(false);
    cr_assert(lab_loading(app), "the lab is being made");
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert_eq(app->mode, MODE_TRAIN);
    cr_assert_not(lab_loading(app));
    cr_assert_eq(lab_dropped(app), 1, "its thread is left to finish (not waited for)");
    /* another one dropped the same way, and a third made to the end meanwhile */
    send_key(app, SDLK_l, 0);
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert_geq(lab_dropped(app), 1);
    send_key(app, SDLK_l, 0);
    wait_loaded();
    cr_assert_eq(app->lab.n, 4, "%s", app->ui.message);
    for (int k = 0; k < 60000 && lab_dropped(app) > 0; k++) {
        app_update(app, 0.02);
        SDL_Delay(1);
    }
    cr_assert_eq(lab_dropped(app), 0, "the dropped labs are freed once their threads end");
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert_eq(app->mode, MODE_TRAIN);
    train_close(app);
}

Test(lab, the_model_menu_opens_it_and_esc_goes_back_to_the_decoding) {
    decode();
    send_key(app, SDLK_m, 0);
    cr_assert(app->menu.open);
    cr_assert(strstr(app->menu.label[1], "mechanism lab"), "the menu's second entry: %s", app->menu.label[1]);
    while (app->menu.sel > 1) send_key(app, SDLK_UP, 0);
    if (app->menu.sel < 1) send_key(app, SDLK_DOWN, 0);
    send_key(app, SDLK_RETURN, 0);
    cr_assert_eq(app->mode, MODE_LAB, "the menu opens the lab: %s", app->ui.message);
    wait_loaded();
    cr_assert_eq(app->lab.n, 4);
    send_key(app, SDLK_SPACE, 0);
    settle();
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert_eq(app->mode, MODE_VIEW);
    cr_assert(app->session.have_trace);
    cr_assert_str_eq(app->session.input, "abcdef");
}

Test(lab, pause_step_speed_restart_and_the_axes) {
    open_lab_from_training(false);
    cr_assert_eq(app->mode, MODE_LAB, "%s", app->ui.message);
    wait_loaded();
    train_to(20);
    long k = same_step();
    /* paused: nothing moves */
    for (int i = 0; i < 20; i++) {
        app_update(app, 0.05);
        SDL_Delay(2);
    }
    cr_assert_eq(same_step(), k, "paused, the lab stays");
    /* . : one step each */
    send_key(app, SDLK_PERIOD, 0);
    settle();
    cr_assert_eq(same_step(), k + 1, "one step each");
    send_key(app, SDLK_PERIOD, 0);
    send_key(app, SDLK_PERIOD, 0);
    settle();
    cr_assert_eq(same_step(), k + 3);
    /* speed: one rung down from full, then 5 steps a second in step */
    int full = app->lab.speed;
    send_key(app, SDLK_MINUS, 0);
    cr_assert_eq(app->lab.speed, full - 1);
    send_key(app, SDLK_EQUALS, KMOD_SHIFT);
    cr_assert_eq(app->lab.speed, full);
    /* R: every run back to step 0, still paused */
    send_key(app, SDLK_r, 0);
    settle();
    cr_assert_eq(same_step(), 0);
    cr_assert_not(app->lab.playing);
    /* 2: teacher forcing; 3: long copy with and without attention */
    send_key(app, SDLK_2, 0);
    wait_loaded();
    cr_assert_eq(app->mode, MODE_LAB, "%s", app->ui.message);
    train_to(10);
    static const char *const TF[] = {"tf 1", "tf linear", "tf 0"};
    check_frame(3, TF);
    send_key(app, SDLK_3, 0);
    wait_loaded();
    cr_assert_eq(app->mode, MODE_LAB, "%s", app->ui.message);
    cr_assert(strstr(app->lab.what, "copy"), "%s", app->lab.what);
    train_to(10);
    static const char *const REV[] = {"general", "none", "none+reverse"};
    check_frame(3, REV);
    cr_assert_str_eq(app->lab.run[0]->probe, "thebottleneckisonevectorforthewholesentence");
    /* 1: back to the model's own data and probe */
    send_key(app, SDLK_1, 0);
    wait_loaded();
    cr_assert(strstr(app->lab.what, "reverse"), "%s", app->lab.what);
    cr_assert_str_eq(app->lab.run[0]->probe, "abcd");
    send_key(app, SDLK_SPACE, 0);
    settle();
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert_eq(app->mode, MODE_TRAIN);
    cr_assert_eq(run_shared(app->train.run).state, RUN_PAUSED, "a paused training stays paused");
    train_close(app);
}
