/* tsan_train.c — the training's threads under ThreadSanitizer: the training mode's worker (with the trainer's pool inside it), the mechanism lab's workers and the thread that makes them, and `attnviz train --threads 2`, driven from the main thread as the app does.
 *
 * A plain program, not Criterion (whose arena does not start under TSan):
 * an App without a window (the font measures text, as in the window), fed
 * the keys of the one key table through app_event, with a frame built after
 * every turn (app_update, app_build_frame: what the screen reads of the
 * runs) while the workers train. TSan stops the program at its first report
 * with exit code 66 (__tsan_default_options below); a check that fails
 * prints its line and exits 1. Built with clang -fsanitize=thread over every
 * source (Makefile: $(B)/tsan/); `make test` runs it.
 */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "cli/cli.h"
#include "text/font_find.h"
#include "text/text.h"
#include "../gl/events.h"

/* Stop at the first race: a report is a failure (TSAN_OPTIONS can override
 * these, so run-tests.sh also looks for TSan's warning in the output). */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void) { return "halt_on_error=1:exitcode=66:second_deadlock_stack=1"; }

enum { W = 1280, H = 720, PLAN = 100 };
static int checks;
static char dir[] = "/tmp/attnviz-tsan-XXXXXX";

#define CHECK(cond, ...) check((cond), __LINE__, __VA_ARGS__)
static void check(bool ok, int line, const char *fmt, ...) {
    checks++;
    if (ok) return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tsan_train.c:%d: FAILED: ", line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static double now_s(void) { return (double)SDL_GetTicks64() / 1000.0; }

/* ---- the App, as the window has it, without the window ---- */

static Text *text;

static void app_headless(App *a) {
    char font[1024], ferr[FONT_ERR_CAP], terr[TEXT_ERR_CAP];
    CHECK(TTF_Init() == 0, "TTF_Init: %s", TTF_GetError());
    CHECK(font_find(NULL, font, sizeof font, ferr) == 0, "%s", ferr);
    text = text_create(font, terr);
    CHECK(text != NULL, "%s", terr);
    a->w.measure = text_measure(text);
    dl_init(&a->w.dl, &a->w.measure);
    a->mode = MODE_VIEW;
    a->view = (AppView){.speed = 1};
    a->session = (AppSession){.seed = 1, .tf_p = 0.5f};
    a->cmp = (AppCompare){.mode = CMP_OFF};
    a->ui = (AppUi){.lang = "en", .zoom = 1};
}

static void app_headless_free(App *a) {
    lab_close(a);     /* joins the lab's workers */
    train_close(a);   /* joins the training's */
    app_session_free(a);
    dl_free(&a->w.dl);
    text_destroy(text);
    TTF_Quit();
}

/* One turn of the loop: the clock, then the frame (every run polled, its
 * probe, curves and film read) — a few ms apart, as at 60 frames a second
 * but faster. */
static void frame(App *a) {
    app_update(a, 1.0 / 60);
    app_build_frame(a, W, H);
    a->w.dirty = false;
    usleep(2000);
}

/* A key as the window gives it (send_key: through the key table), then a frame. */
static void key(App *a, SDL_Keycode k) {
    send_key(a, k, 0);
    frame(a);
}

static RunShared training(App *a) { return run_shared(a->train.run); }

/* Frames until cond(a), at most `seconds`. */
static void frames_until(App *a, bool (*cond)(App *), double seconds, const char *what) {
    double t0 = now_s();
    while (!cond(a)) {
        CHECK(now_s() - t0 < seconds, "%s: not after %.0f s", what, seconds);
        frame(a);
    }
}

static bool at_step_10(App *a) { return training(a).steps >= 10; }
static bool train_idle(App *a) { return !run_busy(a->train.run); }
static bool train_done(App *a) { return training(a).state == RUN_DONE; }
static bool lab_made(App *a) { return !lab_loading(a) && a->lab.n > 0; }
static bool lab_idle(App *a) { return !lab_busy(a); }
static bool lab_moved(App *a) { return lab_steps(a) >= 3; }

/* ---- the training mode ---- */

/* A small model of `reverse` training at full speed, its steps on two
 * threads (the trainer's pool inside the worker). */
static void start_training(App *a) {
    char err[AV_ERR_LEN];
    ModelConfig cfg = {.cell = CELL_LSTM, .style = STYLE_LUONG, .score = SCORE_GENERAL, .embed = 8, .enc_hidden = 16,
                       .hidden = 16, .tokenizer = TOK_CHAR};
    TrainStart t;
    train_start_defaults(&t, &cfg);
    t.task = "reverse";
    t.name = "tsan";
    t.n_train = 300;
    t.desc.train.batch = 16;
    t.desc.train.steps = PLAN;
    t.desc.train.threads = 2;
    t.desc.log_every = 5;
    t.desc.eval_every = PLAN;   /* held out at 0 and at the end: 1,000 pairs each */
    t.probe = "abcd";
    t.reference = "dcba";
    t.training = true;
    t.speed = RUN_FULL;
    CHECK(train_start(a, &t, err) == 0, "train_start: %s", err);
    CHECK(a->mode == MODE_TRAIN, "the training mode");
}

/* Space, '.', '-' and '+' while it trains: paused, it takes one step a key. */
static void pause_and_step(App *a) {
    frames_until(a, at_step_10, 120, "training to step 10");
    key(a, SDLK_SPACE);
    CHECK(training(a).state == RUN_PAUSED, "Space pauses");
    frames_until(a, train_idle, 60, "the step in hand");
    long k = training(a).steps;
    for (int i = 0; i < 3; i++) key(a, SDLK_PERIOD);
    frames_until(a, train_idle, 60, "three single steps");
    CHECK(training(a).steps == k + 3, "'.' three times: step %ld, was %ld", training(a).steps, k);
    key(a, SDLK_MINUS);
    CHECK(training(a).speed == RUN_SPEED[RUN_FULL - 1], "'-': %d steps a second", training(a).speed);
    key(a, SDLK_SPACE);
    for (int i = 0; i < 20; i++) frame(a);
    key(a, SDLK_PLUS);
    CHECK(training(a).speed == 0 && training(a).state == RUN_TRAINING, "'+': full speed again");
}

/* S while it trains: a model file that loads. */
static void save_while_training(App *a) {
    key(a, SDLK_s);
    const char *at = strstr(a->ui.message, dir);
    CHECK(at != NULL, "S names the file it saved: '%s'", a->ui.message);
    char path[512];
    snprintf(path, sizeof path, "%s", at);
    path[strcspn(path, " \"'")] = 0;
    Model m;
    char err[AV_ERR_LEN];
    CHECK(model_load(&m, path, err) == 0, "the saved model loads: %s", err);
    model_free(&m);
}

/* Home and Enter: the first film frame decoded in the view, the run
 * waiting; Esc: back, training on. A new probe, then R, while it trains. */
static void film_probe_restart(App *a) {
    key(a, SDLK_HOME);
    CHECK(a->train.film_sel == 0, "Home: the film's first frame");
    key(a, SDLK_RETURN);
    CHECK(a->mode == MODE_VIEW && a->train.snapshot, "Enter opens the snapshot: '%s'", a->ui.message);
    for (int i = 0; i < 10; i++) frame(a);
    key(a, SDLK_ESCAPE);
    CHECK(a->mode == MODE_TRAIN && training(a).state == RUN_TRAINING, "Esc: back to the training, training");
    key(a, SDLK_TAB);   /* the task's next example as the probe */
    CHECK(strcmp(a->train.run->probe, "abcd") != 0, "Tab: another probe");
    for (int i = 0; i < 10; i++) frame(a);
    long k = training(a).steps;
    CHECK(k >= 20, "training on: step %ld", k);
    send_key(a, SDLK_r, 0);   /* it trains at once: a step or two may be taken already */
    CHECK(training(a).steps < k, "R: from step 0 again (%ld, was %ld)", training(a).steps, k);
    for (int i = 0; i < 10; i++) frame(a);
}

/* ---- the mechanism lab ---- */

/* L: a lab like the run (four scores), made on its thread while the frames
 * go on; they train; Space, then 2: the teacher-forcing axis (three
 * configurations) made while those four finish their steps. Space, '.',
 * '-', R there, and Esc. */
static void lab(App *a) {
    key(a, SDLK_l);
    CHECK(a->mode == MODE_LAB, "L opens the lab: '%s'", a->ui.message);
    frames_until(a, lab_made, 300, "the lab made");
    CHECK(a->lab.n == 4 && a->lab.playing, "four scores, training: %d", a->lab.n);
    for (int i = 0; i < 10; i++) frame(a);
    key(a, SDLK_SPACE);   /* they finish the chunk given: the next lab gets the cores */
    key(a, SDLK_2);
    CHECK(lab_loading(a), "2: another lab being made");
    frames_until(a, lab_made, 300, "the second lab made");
    frames_until(a, lab_moved, 300, "the second lab training");
    CHECK(a->lab.n == 3 && a->lab.axis == 1, "teacher forcing: three configurations (%d)", a->lab.n);
    CHECK(a->lab.playing, "the new lab trains");
    key(a, SDLK_SPACE);
    CHECK(!a->lab.playing, "Space pauses the lab");
    frames_until(a, lab_idle, 120, "the lab at rest");
    long k = lab_steps(a);
    for (int i = 0; i < a->lab.n; i++)
        CHECK(run_shared(a->lab.run[i]).steps == k, "paused, every run at the same step (%ld)", k);
    key(a, SDLK_PERIOD);
    frames_until(a, lab_idle, 120, "the lab's single step");
    CHECK(lab_steps(a) == k + 1, "'.': one step each (%ld, was %ld)", lab_steps(a), k);
    key(a, SDLK_MINUS);
    key(a, SDLK_SPACE);
    for (int i = 0; i < 30; i++) frame(a);
    send_key(a, SDLK_r, 0);   /* no step is given before the next update */
    CHECK(lab_steps(a) == 0, "R: the lab from step 0 (%ld)", lab_steps(a));
    for (int i = 0; i < 20; i++) frame(a);
    key(a, SDLK_ESCAPE);
    CHECK(a->mode == MODE_TRAIN && a->lab.n == 0, "Esc: back to the training, the lab closed");
    CHECK(training(a).state == RUN_TRAINING, "the training it came from trains on");
}

/* ---- the trainer's pool: attnviz train --threads N ---- */

static void train_cli(int threads, const char *out) {
    char th[8];
    snprintf(th, sizeof th, "%d", threads);
    char *argv[] = {"train", "--task", "reverse", "--n-train", "300", "--embed", "8", "--hidden", "16", "--steps", "10",
                    "--batch", "32", "--threads", th, "--out", (char *)out, NULL};
    CHECK(cmd_train((int)(sizeof argv / sizeof *argv) - 1, argv) == 0, "attnviz train --threads %d", threads);
}

static bool same_file(const char *a, const char *b) {
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    for (int ca = 0, cb = 0; same && ca != EOF; same = ca == cb) ca = fgetc(fa), cb = fgetc(fb);
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

static void train_cli_threads(void) {
    char one[300], two[300];
    snprintf(one, sizeof one, "%s/one.safetensors", dir);
    snprintf(two, sizeof two, "%s/two.safetensors", dir);
    train_cli(1, one);
    train_cli(2, two);
    CHECK(same_file(one, two), "--threads 2 saves the same model as --threads 1");
}

int main(void) {
    double t0 = now_s();
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    setenv("XDG_PICTURES_DIR", dir, 1);   /* where S saves */
    App *a = calloc(1, sizeof *a);
    CHECK(a != NULL, "out of memory");
    app_headless(a);
    start_training(a);
    pause_and_step(a);
    save_while_training(a);
    film_probe_restart(a);
    lab(a);
    frames_until(a, train_done, 300, "the training to its plan");
    app_headless_free(a);
    free(a);
    train_cli_threads();
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0, "%s", cmd);
    printf("tsan_train: %d checks passed, no race reported (%.1f s)\n", checks, now_s() - t0);
    return 0;
}
