/* cmd_view.c — `attnviz view` and `attnviz` with no command: parse the options, open the App on a decoding, a lesson or the picker, then run the window or write one screenshot.
 *
 * The one file of src/cli that includes the app (tools/check-includes.sh):
 * the view command is the app's way in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app/app.h"
#include "cli.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: attnviz view [--model M] [--input TEXT] [--target TEXT] [options]\n"
            "       attnviz --lesson FILE.md [--slide N] [options]\n"
            "       attnviz                  (no arguments: the lesson picker)\n\n"
            "Opens a window that animates one decoding, phase by phase.\n\n"
            "  --lesson FILE.md       a lesson (lessons/<lang>/NN-name.md): slides with narration\n"
            "  --slide N              start at slide N (from 1; default 1)\n"
            "  --lang en|ko           lessons and their UI strings (default: from LC_ALL, LC_MESSAGES, LANG)\n"
            "  --model M              a .safetensors model (default: assets/models/dates-general,\n"
            "                         else the first model in assets/models/)\n"
            "  --input TEXT           the source (default: an example of the model's task)\n"
            "  --target TEXT          a reference target: shows teacher forcing and mistakes\n"
            "  --teacher-forcing P    probability of feeding the reference (0..1, default 0)\n"
            "  --seed N               seeds the coin flips (default 1)\n"
            "  --font PATH            a TTF covering the text (default: found via fontconfig)\n"
            "  --theme light|dark\n"
            "  --size WxH             window size (default 1280x720)\n"
            "  --play                 start playing\n"
            "  --demo                 a synthetic decoding, no model needed\n"
            "  --screenshot FILE.png  render one frame offscreen (- for stdout) and exit, with\n"
            "    --step N --phase NAME  the frame at the end of that phase (default: the last);\n"
            "    --progress F         or F of the way through it (0..1)\n"
            "    --mouse X,Y          with the mouse hovering there; --help-overlay: with the key help\n"
            "                         phases: encoder query scores softmax context combine output next\n\n"
            "keys: Space play/pause, arrows phase/step, Home/End, + - speed, D theme, F full screen,\n"
            "      ? help, Esc quit. Hover for exact values; click the timeline to jump.\n"
            "lessons: Page Down / Page Up next / previous slide, Ctrl+= / Ctrl+- narration size,\n"
            "      Esc back to the picker. Picker: arrows, Enter or click, L English/Korean.\n");
}

/* One option with its value (i moves past the value); -1 after a message. */
static int parse_value(const char *a, const char *v, AppOptions *o) {
    if (!strcmp(a, "--model")) o->model = v;
    else if (!strcmp(a, "--input")) o->input = v;
    else if (!strcmp(a, "--target")) o->target = v;
    else if (!strcmp(a, "--font")) o->font = v;
    else if (!strcmp(a, "--screenshot")) o->screenshot = v;
    else if (!strcmp(a, "--lesson")) o->lesson = v;
    else if (!strcmp(a, "--slide")) {
        long n;
        if (cli_int("view", a, v, 1, LESSON_MAX_SLIDES, &n)) return -1;
        o->slide = (int)n;
    } else if (!strcmp(a, "--lang")) {
        if (strcmp(v, "en") && strcmp(v, "ko")) { fprintf(stderr, "attnviz view: --lang: en or ko, got '%s'\n", v); return -1; }
        o->lang = v;
    } else if (!strcmp(a, "--teacher-forcing")) {
        if (cli_float("view", a, v, 0, 1, &o->teacher_forcing)) return -1;
    } else if (!strcmp(a, "--seed")) {
        if (cli_u64("view", a, v, &o->seed)) return -1;
    } else if (!strcmp(a, "--mouse")) {
        char c;
        if (sscanf(v, "%d,%d%c", &o->mouse_x, &o->mouse_y, &c) != 2 || o->mouse_x < 0 || o->mouse_y < 0) {
            fprintf(stderr, "attnviz view: --mouse: expected X,Y (window units), got '%s'\n", v);
            return -1;
        }
    } else if (!strcmp(a, "--progress")) {
        if (cli_float("view", a, v, 0, 1, &o->progress)) return -1;
    } else if (!strcmp(a, "--step")) {
        long n;
        if (cli_int("view", a, v, 1, 100000, &n)) return -1;
        o->step = (int)n;
    } else if (!strcmp(a, "--phase")) {
        Phase ph;
        if (phase_parse(v, &ph) != 0) {
            fprintf(stderr, "attnviz view: --phase: '%s' is not one of encoder query scores softmax context combine output next\n", v);
            return -1;
        }
        o->phase = ph;
    } else if (!strcmp(a, "--theme")) {
        if (strcmp(v, "light") && strcmp(v, "dark")) { fprintf(stderr, "attnviz view: --theme: light or dark, got '%s'\n", v); return -1; }
        o->dark = !strcmp(v, "dark");
    } else {   /* --size */
        int w, h;
        char c;
        if (sscanf(v, "%dx%d%c", &w, &h, &c) != 2 || w < 320 || h < 240 || w > 8192 || h > 8192) {
            fprintf(stderr, "attnviz view: --size: expected WxH from 320x240 to 8192x8192, got '%s'\n", v);
            return -1;
        }
        o->width = w;
        o->height = h;
    }
    return 0;
}

/* The options that take a value. */
static bool takes_value(const char *a) {
    static const char *const WITH[] = {"--model", "--input", "--target", "--font", "--screenshot", "--lesson", "--slide",
                                       "--lang", "--teacher-forcing", "--seed", "--mouse", "--progress", "--step",
                                       "--phase", "--theme", "--size"};
    for (size_t i = 0; i < sizeof WITH / sizeof *WITH; i++)
        if (!strcmp(a, WITH[i])) return true;
    return false;
}

/* argv → options: 0, 1 after --help, -1 after a message on stderr. */
static int parse_options(int argc, char **argv, AppOptions *o) {
    *o = (AppOptions){.seed = 1, .phase = -1, .progress = 1, .mouse_x = -1, .mouse_y = -1, .width = 1280, .height = 720};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 1; }
        else if (!strcmp(a, "--demo")) o->demo = true;
        else if (!strcmp(a, "--play")) o->play = true;
        else if (!strcmp(a, "--help-overlay")) o->help_overlay = true;
        else if (takes_value(a)) {
            if (i + 1 >= argc) { fprintf(stderr, "attnviz view: %s needs a value\n", a); return -1; }
            if (parse_value(a, argv[++i], o) != 0) return -1;
        } else {
            fprintf(stderr, "attnviz view: unknown option '%s' (see attnviz view --help)\n", a);
            return -1;
        }
    }
    if ((o->step || o->phase >= 0 || o->progress < 1 || o->mouse_x >= 0 || o->help_overlay) && !o->screenshot) {
        fprintf(stderr, "attnviz view: --step, --phase, --progress, --mouse and --help-overlay go with --screenshot\n");
        return -1;
    }
    if (o->slide && !o->lesson) {
        fprintf(stderr, "attnviz view: --slide goes with --lesson FILE\n");
        return -1;
    }
    if (o->lesson && (o->model || o->input || o->target || o->demo)) {
        fprintf(stderr, "attnviz view: --lesson sets the model and input itself: drop --model, --input, --target and --demo\n");
        return -1;
    }
    /* nothing to show given: the lesson picker */
    o->picker = !o->lesson && !o->model && !o->input && !o->target && !o->demo && strcmp(argv[0], "view") != 0;
    return 0;
}

/* The options' first picture: the picker, a lesson's slide, the demo or a
 * decoding; a bad model or input fails here, before any window. EXIT_OK,
 * or an exit code after a message. */
static int open_content(App *a) {
    const AppOptions *o = &a->opt;
    char err[AV_ERR_LEN];
    bool picker = o->picker;   /* no lessons folder: the default model, as before */
    if (picker && (!app_find_lessons_dir(a->lesson.dir, sizeof a->lesson.dir) || app_open_picker(a, a->lesson.dir, err) != 0))
        picker = false;
    if (picker) return EXIT_OK;
    if (o->lesson) {
        if (app_open_lesson(a, o->lesson, err) != 0) {
            if (!o->screenshot) return EXIT_OK;   /* the window shows the message instead */
            fprintf(stderr, "attnviz: %s\n", err);
            return EXIT_USER;
        }
        if (o->slide > a->lesson.lesson.n_slides) {
            fprintf(stderr, "attnviz: --slide %d: %s has %d slides\n", o->slide, o->lesson, a->lesson.lesson.n_slides);
            return EXIT_USAGE;
        }
        if (app_enter_slide(a, o->slide ? o->slide - 1 : 0, !o->screenshot) != 0 && o->screenshot) {
            fprintf(stderr, "attnviz: %s\n", a->lesson.slide_err);
            return EXIT_USER;
        }
        return EXIT_OK;
    }
    int rc = 0;
    if (o->demo) {
        rc = app_decode_demo(a, o->input ? o->input : "21 Nov 2026", o->target != NULL, err);
    } else {
        char path[1024];
        const char *model = o->model;
        if (!model && (rc = app_default_model(path, sizeof path, err)) == 0) model = path;
        a->session.tf_on = o->teacher_forcing > 0;
        a->session.tf_p = o->teacher_forcing > 0 ? (float)o->teacher_forcing : 0.5f;
        if (model) rc = app_decode(a, model, o->input, o->target, false, err);
    }
    if (rc != 0) fprintf(stderr, "attnviz view: %s\n", err);
    return rc ? EXIT_USER : EXIT_OK;
}

int cmd_view(int argc, char **argv) {
    App *a = calloc(1, sizeof *a);
    if (!a) { fprintf(stderr, "attnviz view: out of memory\n"); return EXIT_USER; }
    a->w.t_start = SDL_GetPerformanceCounter();
    int rc = parse_options(argc, argv, &a->opt);
    if (rc != 0) { free(a); return rc > 0 ? EXIT_OK : EXIT_USAGE; }
    const AppOptions *o = &a->opt;
    a->view.speed = 1;
    a->view.playing = o->play;
    a->ui.dark = o->dark;
    a->session.seed = o->seed;
    a->lesson.narr_px = o->width >= 1200 ? 22 : 18;
    const char *loc = getenv("LC_ALL");
    if (!loc || !loc[0]) loc = getenv("LC_MESSAGES");
    if (!loc || !loc[0]) loc = getenv("LANG");
    snprintf(a->ui.lang, sizeof a->ui.lang, "%s", o->lang ? o->lang : lesson_lang_from_locale(loc));
    rc = open_content(a);
    char err[AV_ERR_LEN];
    if (rc == EXIT_OK) {
        app_stamp(a, "decoded");
        if (app_init_gfx(a, o->width, o->height, o->screenshot != NULL, err) != 0) {
            fprintf(stderr, "attnviz view: %s\n", err);
            rc = EXIT_USER;
        }
    }
    if (rc == EXIT_OK && o->screenshot) {
        if (app_screenshot_clock(a, err) != 0) rc = EXIT_USAGE;
        else if (app_screenshot(a, err) != 0) rc = EXIT_USER;
        if (rc != EXIT_OK) fprintf(stderr, "attnviz view: %s\n", err);
    } else if (rc == EXIT_OK) {
        if (a->mode == MODE_VIEW) a->view.stop_at = 0.99999;   /* the encoder plays once, then waits */
        SDL_StopTextInput();   /* on again only while typing an input */
        app_run(a);
    }
    app_shutdown(a);
    free(a);
    return rc;
}
