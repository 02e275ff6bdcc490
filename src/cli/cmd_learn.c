/* cmd_learn.c — `attnviz learn`: train a model live and watch attention learn to align (issue 11's training mode); its figures without a window.
 *
 * The data, model and training options are train's (cmd_train.c parses
 * them for both); learn adds the window's. With a display, the app's
 * training mode opens and trains on its worker thread. With --screenshot,
 * --film or --curves, learn trains --steps headless (writing the log and
 * saving --out as train does), then renders those offscreen. With
 * --headless, or no display and nothing to render, it trains like train.
 *
 * One of the two files of src/cli that include the app
 * (tools/check-includes.sh): this command opens a window.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app/app.h"
#include "../base/outfile.h"
#include "cli.h"

static const char *const THEMES[] = {"light", "dark", NULL};
static const char *const LANGS[] = {"en", "ko", NULL};

/* "N" steps a second (1..1000) or "full": the index on the speed ladder */
static int parse_speed(const char *v, void *field, char *expected, size_t cap) {
    char *end;
    long n = strcmp(v, "full") == 0 ? 0 : strtol(v, &end, 10);
    if (strcmp(v, "full") != 0 && (!*v || *end || n < 1 || n > 1000))
        return snprintf(expected, cap, "steps a second from 1 to 1000, or full"), -1;
    *(int *)field = run_speed_index((int)n);
    return 0;
}

/* The extension of a figure's name, or "" */
static const char *ext_of(const char *v) {
    const char *dot = strrchr(v, '.'), *slash = strrchr(v, '/');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* --film: a .png or .svg name */
static int parse_film(const char *v, void *field, char *expected, size_t cap) {
    if (strcmp(ext_of(v), "png") && strcmp(ext_of(v), "svg")) return snprintf(expected, cap, "a .png or .svg file name"), -1;
    *(const char **)field = v;
    return 0;
}

/* --curves (repeatable): a .png, .svg or .csv name, or - (CSV on standard
 * output); its default "none" empties the list before argv is read */
static int parse_curves(const char *v, void *field, char *expected, size_t cap) {
    LearnOpts *a = (LearnOpts *)((char *)field - offsetof(LearnOpts, curves));
    if (!strcmp(v, "none")) {
        a->curves.n = 0;
        return 0;
    }
    const char *e = ext_of(v);
    if (!av_is_stdout(v) && strcmp(e, "png") && strcmp(e, "svg") && strcmp(e, "csv"))
        return snprintf(expected, cap, "a .png, .svg or .csv file name, or -"), -1;
    if (a->curves.n == LEARN_MAX_CURVES) return snprintf(expected, cap, "at most %d of them", LEARN_MAX_CURVES), -1;
    a->curves.v[a->curves.n++] = v;
    return 0;
}

static const Opt LEARN_OPTS[] = {
    {.kind = OPT_INCLUDE, .sub = TRAIN_OPTS},
    {"out", 'o', OPT_PATH, OPT_AT(LearnOpts, t.out), .arg = "M.safetensors", .ext = "safetensors",
     .format = "safetensors", .help = "save the model when training ends (- for stdout)"},
    {"the window (it trains with every core but one, which draws, unless --threads is given):", .kind = OPT_HEADING},
    {"speed", 0, OPT_CUSTOM, OPT_AT(LearnOpts, speed), .arg = "N|full", .custom = parse_speed, .def = "30",
     .help = "steps a second to start with: 1 2 5 10 30 100 300 1000 or full"},
    {"paused", 0, OPT_FLAG, OPT_AT(LearnOpts, paused), .help = "start paused at step 0 (the untrained model)"},
    {"size", 0, OPT_CUSTOM, OPT_AT(LearnOpts, size), .arg = "WxH", .custom = cli_parse_size, .def = "1280x720",
     .help = "the window, the screenshot and the figures"},
    {"theme", 0, OPT_ENUM, OPT_AT(LearnOpts, theme), .arg = "light|dark", .choices = THEMES, .def = "light",
     .help = "colours"},
    {"lang", 0, OPT_ENUM, OPT_AT(LearnOpts, lang), .arg = "en|ko", .choices = LANGS,
     .help = "the screen's language (default: the locale's)"},
    {"font", 0, OPT_PATH, OPT_AT(LearnOpts, font), .arg = "PATH", .help = "a TrueType font"},
    {"without a window (these train --steps first, then write):", .kind = OPT_HEADING},
    {"headless", 0, OPT_FLAG, OPT_AT(LearnOpts, headless), .help = "train as `attnviz train` does, no window"},
    {"screenshot", 0, OPT_PATH, OPT_AT(LearnOpts, screenshot), .arg = "F.png", .ext = "png", .format = "PNG",
     .help = "the training screen after --steps steps"},
    {"film", 0, OPT_CUSTOM, OPT_AT(LearnOpts, film), .arg = "F.png|F.svg", .custom = parse_film,
     .help = "the film strip as one figure: a thumbnail per film step"},
    {"curves", 0, OPT_CUSTOM, OPT_AT(LearnOpts, curves), .arg = "F.png|F.svg|F.csv", .custom = parse_curves, .def = "none",
     .help = "the curves (CSV: the learning log's numbers; - for CSV on stdout), up to 4 times"},
    {.kind = OPT_INCLUDE, .sub = LAB_OPTS},
    {0},
};

const OptCommand CLI_LEARN = {
    .name = "learn",
    .usage = "usage: attnviz learn (--task T | --train FILE.tsv [--test FILE.tsv]) [options] [--out M.safetensors]\n"
             "\n"
             "Trains a model from random weights in a window and shows it learning: the probe's\n"
             "attention matrix as the diagonal emerges, the curves, the film strip. Space pauses,\n"
             ". takes one step, + and - change the speed, S saves, ? lists every key.\n",
    .opts = LEARN_OPTS,
    .footer = "Exit codes: 0 done, 1 bad data or file (or a loss that is not finite), 2 bad usage.\n",
    .dst_size = sizeof(LearnOpts),
};

/* 0, 1 after --help, -1 after one line. */
static int parse(int argc, char **argv, LearnOpts *a) {
    memset(a, 0, sizeof *a);
    int pr = train_opts_parse(&CLI_LEARN, argc, argv, &a->t);
    if (pr != 0) return pr;
    for (int k = 0; k < a->curves.n; k++)
        if (av_is_stdout(a->curves.v[k]) && a->t.out && av_is_stdout(a->t.out)) {
            fprintf(stderr, "attnviz learn: --curves - and --out - cannot both be standard output\n");
            return -1;
        }
    return 0;
}

/* The App's look from the options. */
static void app_look(App *a, const LearnOpts *lo) {
    a->opt.font = lo->font;
    a->opt.width = lo->size[0];
    a->opt.height = lo->size[1];
    a->opt.mouse_x = a->opt.mouse_y = -1;
    a->opt.seed = 1;
    a->ui.dark = lo->theme && !strcmp(lo->theme, "dark");
    a->view.speed = 1;
    a->session.seed = 1;
    a->session.tf_p = 0.5f;
    a->ui.zoom = 1;
    const char *loc = getenv("LC_ALL");
    if (!loc || !loc[0]) loc = getenv("LC_MESSAGES");
    if (!loc || !loc[0]) loc = getenv("LANG");
    snprintf(a->ui.lang, sizeof a->ui.lang, "%s", lo->lang ? lo->lang : lesson_lang_from_locale(loc));
}

/* The figures after the headless run: EXIT_OK or EXIT_USER. */
static int figures(App *a, const LearnOpts *lo) {
    char err[AV_ERR_LEN];
    int rc = EXIT_OK;
    if (lo->screenshot) {
        a->opt.screenshot = lo->screenshot;
        run_poll(a->train.run);
        if (app_screenshot(a, err) != 0) { fprintf(stderr, "attnviz learn: --screenshot: %s\n", err); rc = EXIT_USER; }
    }
    if (lo->film && train_write_film(a, lo->film, lo->size[0], lo->size[1], err) != 0) {
        fprintf(stderr, "attnviz learn: --film: %s\n", err);
        rc = EXIT_USER;
    }
    for (int k = 0; k < lo->curves.n; k++)
        if (train_write_curves(a, lo->curves.v[k], lo->size[0], lo->size[1], err) != 0) {
            fprintf(stderr, "attnviz learn: --curves: %s\n", err);
            rc = EXIT_USER;
        }
    return rc;
}

/* The window, or the figures: the session goes to the App. */
static int with_app(const TrainOpts *o, const LearnOpts *lo, LearnSession *s, bool window) {
    App *a = calloc(1, sizeof *a);
    if (!a) { learn_free(s); fprintf(stderr, "attnviz learn: out of memory\n"); return EXIT_USER; }
    a->w.t_start = SDL_GetPerformanceCounter();
    app_look(a, lo);
    char err[AV_ERR_LEN], probe[TASK_MAX_TEXT], ref[TASK_MAX_TEXT];
    TrainStart t;
    train_start_defaults(&t, &learn_model(s)->cfg);
    t.desc.train.steps = o->steps;
    if (o->n_train > 0) t.n_train = o->n_train;   /* the lab (L) loads as many */
    t.task = o->task;
    t.train = o->train;
    t.training = !lo->paused;
    t.speed = lo->speed;
    char name[96];
    snprintf(name, sizeof name, "%.60s-%s", o->task ? o->task : "model", o->score);
    t.name = name;
    train_default_probe(s, o->task, o->probe, probe, ref, sizeof probe);
    t.probe = probe[0] ? probe : NULL;
    t.reference = ref[0] ? ref : NULL;
    int rc = EXIT_OK;
    if (app_init_gfx(a, lo->size[0], lo->size[1], !window, err) != 0) {
        fprintf(stderr, "attnviz learn: %s\n", err);
        learn_free(s);
        rc = EXIT_USER;
    } else if (train_adopt(a, s, &t, err) != 0) {
        fprintf(stderr, "attnviz learn: %s\n", err);
        rc = EXIT_USER;
    } else if (window) {
        SDL_StopTextInput();   /* on again only while typing a probe */
        app_run(a);
    } else {
        rc = figures(a, lo);
    }
    app_shutdown(a);   /* joins the worker: closing mid-training asks nothing */
    free(a);
    return rc;
}

int cmd_learn(int argc, char **argv) {
    LearnOpts lo;
    int pr = parse(argc, argv, &lo);
    if (pr) return pr > 0 ? EXIT_OK : EXIT_USAGE;
    if (lo.lab) return lab_command(&lo);
    TrainOpts o = lo.t;
    bool figs = lo.screenshot || lo.film || lo.curves.n > 0;
    bool display = getenv("DISPLAY") || getenv("WAYLAND_DISPLAY");
    bool window = !lo.headless && !figs && display;
    if (figs && lo.headless) { fprintf(stderr, "attnviz learn: --headless goes without --screenshot, --film and --curves\n"); return EXIT_USAGE; }
    o.live = window || figs;
    if (window && !opt_in_argv(argc, argv, "threads")) o.threads = app_train_threads();
    LearnSession *s;
    int rc = train_session("learn", &o, &s);
    if (rc != EXIT_OK) return rc;
    if (!window && !figs) {
        rc = train_headless("learn", &o, s);
        learn_free(s);
        return rc;
    }
    if (figs) {   /* the probe first, so the log and the figures show it; then the steps */
        char probe[TASK_MAX_TEXT], ref[TASK_MAX_TEXT], err[AV_ERR_LEN];
        train_default_probe(s, o.task, o.probe, probe, ref, sizeof probe);
        if (!o.probe && probe[0]) {   /* then step 0 again (the same weights), with the probe measured */
            if (learn_set_probe(s, probe, err) != 0) fprintf(stderr, "attnviz learn: the probe: %s\n", err);
            else if (learn_restart(s, err) != 0) {
                fprintf(stderr, "attnviz learn: %s\n", err);
                learn_free(s);
                return EXIT_USER;
            }
        }
        if ((rc = train_headless("learn", &o, s)) != EXIT_OK) {
            learn_free(s);
            return rc;
        }
    }
    return with_app(&o, &lo, s, window);
}
