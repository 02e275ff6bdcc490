/* cmd_view.c — `attnviz view` and `attnviz` with no command: parse the options, open the App on a decoding, a lesson or the picker, then run the window, write one screenshot, or record the animation (`attnviz export --animation`).
 *
 * The one file of src/cli that includes the app (tools/check-includes.sh):
 * the view command is the app's way in. `export --animation` comes here
 * too (cmd_export.c hands it over): a GIF of the view is drawn by the app.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../app/app.h"
#include "cli.h"

/* "view", or "export" when `attnviz export --animation` came here: the
 * name messages start with. */
static const char *cmd_name = "view";

static void usage(FILE *f) {
    fprintf(f,
            "usage: attnviz view [--model M] [--input TEXT] [--target TEXT] [options]\n"
            "       attnviz --lesson FILE.md [--slide N] [options]\n"
            "       attnviz                  (no arguments: the lesson picker)\n"
            "       attnviz export --animation FILE.gif [--model M --input TEXT | --lesson FILE.md --slide N] [options]\n\n"
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
            "  --present              presentation mode: full screen, only the diagram and the timeline\n"
            "  --zoom Z               everything Z times larger (0.8..2, default 1; Ctrl+= Ctrl+- Ctrl+0)\n"
            "  --demo                 a synthetic decoding, no model needed\n"
            "  --screenshot FILE.png  render one frame offscreen (- for stdout) and exit, with\n"
            "    --step N --phase NAME  the frame at the end of that phase (default: the last);\n"
            "    --progress F         or F of the way through it (0..1)\n"
            "    --mouse X,Y          with the mouse hovering there; --help-overlay: with the key help\n"
            "                         phases: encoder query scores softmax context combine output next\n"
            "  --animation FILE.gif   record the animation phase by phase as a GIF (- for stdout) and exit,\n"
            "                         drawn offscreen like --screenshot (also: attnviz export --animation), with\n"
            "    --steps A-B          the decoder steps (default: all; a lesson slide: its own step)\n"
            "    --size WxH           frame size (default 960x540)\n"
            "    --fps N              10, 20, 25 or 50 frames a second (default 20); a phase is 1.6 s at speed 1\n"
            "    --speed S            phases pass S times as fast (0.25 to 8, default 1)\n"
            "    --loop forever|once  loop forever, the last frame held 1 s (default), or play once\n"
            "    --score S            first switch to the model of the same task with score S\n\n"
            "keys: Space play/pause, arrows phase/step, Home/End, + - speed, D theme, F full screen,\n"
            "      Shift+E record the animation as a GIF (into the pictures folder),\n"
            "      F5 presentation, Ctrl+= Ctrl+- Ctrl+0 zoom, ? help, Esc quit. Hover for exact values;\n"
            "      click the timeline to jump.\n"
            "lessons: Page Down / Page Up next / previous slide, Ctrl+= / Ctrl+- zoom (narration and\n"
            "      diagram), Esc back to the picker. Picker: arrows, Enter or click, L English/Korean.\n");
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
        if (cli_int(cmd_name, a, v, 1, LESSON_MAX_SLIDES, &n)) return -1;
        o->slide = (int)n;
    } else if (!strcmp(a, "--lang")) {
        if (strcmp(v, "en") && strcmp(v, "ko")) { fprintf(stderr, "attnviz %s: --lang: en or ko, got '%s'\n", cmd_name, v); return -1; }
        o->lang = v;
    } else if (!strcmp(a, "--teacher-forcing")) {
        if (cli_float(cmd_name, a, v, 0, 1, &o->teacher_forcing)) return -1;
    } else if (!strcmp(a, "--seed")) {
        if (cli_u64(cmd_name, a, v, &o->seed)) return -1;
    } else if (!strcmp(a, "--mouse")) {
        char c;
        if (sscanf(v, "%d,%d%c", &o->mouse_x, &o->mouse_y, &c) != 2 || o->mouse_x < 0 || o->mouse_y < 0) {
            fprintf(stderr, "attnviz %s: --mouse: expected X,Y (window units), got '%s'\n", cmd_name, v);
            return -1;
        }
    } else if (!strcmp(a, "--zoom")) {
        if (cli_float(cmd_name, a, v, 0.8, 2, &o->zoom)) return -1;
    } else if (!strcmp(a, "--progress")) {
        if (cli_float(cmd_name, a, v, 0, 1, &o->progress)) return -1;
    } else if (!strcmp(a, "--step")) {
        long n;
        if (cli_int(cmd_name, a, v, 1, 100000, &n)) return -1;
        o->step = (int)n;
    } else if (!strcmp(a, "--phase")) {
        Phase ph;
        if (phase_parse(v, &ph) != 0) {
            fprintf(stderr, "attnviz %s: --phase: '%s' is not one of encoder query scores softmax context combine output next\n", cmd_name, v);
            return -1;
        }
        o->phase = ph;
    } else if (!strcmp(a, "--theme")) {
        if (strcmp(v, "light") && strcmp(v, "dark")) { fprintf(stderr, "attnviz %s: --theme: light or dark, got '%s'\n", cmd_name, v); return -1; }
        o->dark = !strcmp(v, "dark");
    } else {   /* --size */
        int w, h;
        char c;
        if (sscanf(v, "%dx%d%c", &w, &h, &c) != 2 || w < 320 || h < 240 || w > 8192 || h > 8192) {
            fprintf(stderr, "attnviz %s: --size: expected WxH from 320x240 to 8192x8192, got '%s'\n", cmd_name, v);
            return -1;
        }
        o->width = w;
        o->height = h;
    }
    return 0;
}

/* The animation's options: 0, -1 after a message, 1 when a is not one of them. */
static int parse_record(const char *a, const char *v, RecordOptions *r) {
    long n;
    if (!strcmp(a, "--animation")) r->path = v;
    else if (!strcmp(a, "--steps")) {
        int x, y, k = -1;
        char c;
        if (sscanf(v, "%d%c", &x, &c) == 1) { y = x; k = 2; }
        else k = sscanf(v, "%d-%d%c", &x, &y, &c);
        if (k != 2 || x < 1 || y < x || y > 100000) {
            fprintf(stderr, "attnviz %s: --steps: A-B with 1 <= A <= B (e.g. 1-10), or one step, got '%s'\n", cmd_name, v);
            return -1;
        }
        r->step_from = x;
        r->step_to = y;
    } else if (!strcmp(a, "--fps")) {
        if (cli_int(cmd_name, a, v, 10, 50, &n)) return -1;
        if (100 % n) {
            fprintf(stderr, "attnviz %s: --fps: 10, 20, 25 or 50 (a GIF counts time in 1/100 s), got '%s'\n", cmd_name, v);
            return -1;
        }
        r->fps = (int)n;
    } else if (!strcmp(a, "--speed")) {
        if (cli_float(cmd_name, a, v, 0.25, 8, &r->speed)) return -1;
    } else if (!strcmp(a, "--loop")) {
        if (strcmp(v, "forever") && strcmp(v, "once")) {
            fprintf(stderr, "attnviz %s: --loop: forever or once, got '%s'\n", cmd_name, v);
            return -1;
        }
        r->once = !strcmp(v, "once");
    } else if (!strcmp(a, "--score")) {
        ScoreKind k;
        if (score_parse(v, &k)) {
            fprintf(stderr, "attnviz %s: --score: none, dot, scaled_dot, general, concat or additive, got '%s'\n",
                    cmd_name, v);
            return -1;
        }
        r->score = (int)k;
    } else return 1;
    return 0;
}

/* The options that take a value. */
static bool takes_value(const char *a) {
    static const char *const WITH[] = {"--model", "--input", "--target", "--font", "--screenshot", "--lesson", "--slide",
                                       "--lang", "--teacher-forcing", "--seed", "--mouse", "--progress", "--step",
                                       "--phase", "--theme", "--size", "--animation", "--steps", "--fps", "--speed",
                                       "--loop", "--score", "--zoom"};
    for (size_t i = 0; i < sizeof WITH / sizeof *WITH; i++)
        if (!strcmp(a, WITH[i])) return true;
    return false;
}

/* argv → options: 0, 1 after --help, -1 after a message on stderr. */
static int parse_options(int argc, char **argv, AppOptions *o) {
    *o = (AppOptions){.seed = 1, .phase = -1, .progress = 1, .mouse_x = -1, .mouse_y = -1, .width = 1280, .height = 720,
                      .rec = {.score = -1}};
    bool sized = false, rec_opt = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 1; }
        else if (!strcmp(a, "--demo")) o->demo = true;
        else if (!strcmp(a, "--play")) o->play = true;
        else if (!strcmp(a, "--present")) o->present = true;
        else if (!strcmp(a, "--help-overlay")) o->help_overlay = true;
        else if (takes_value(a)) {
            if (i + 1 >= argc) { fprintf(stderr, "attnviz %s: %s needs a value\n", cmd_name, a); return -1; }
            int r = parse_record(a, argv[++i], &o->rec);
            if (r < 0 || (r > 0 && parse_value(a, argv[i], o) != 0)) return -1;
            sized |= !strcmp(a, "--size");
            rec_opt |= r == 0 && strcmp(a, "--animation") != 0;
        } else {
            fprintf(stderr, "attnviz %s: unknown option '%s' (see attnviz view --help)\n", cmd_name, a);
            return -1;
        }
    }
    if ((o->step || o->phase >= 0 || o->progress < 1 || o->mouse_x >= 0 || o->help_overlay) && !o->screenshot) {
        fprintf(stderr, "attnviz %s: --step, --phase, --progress, --mouse and --help-overlay go with --screenshot\n", cmd_name);
        return -1;
    }
    if (rec_opt && !o->rec.path) {
        fprintf(stderr, "attnviz %s: --steps, --fps, --speed, --loop and --score go with --animation FILE.gif\n", cmd_name);
        return -1;
    }
    if (o->rec.path && (o->screenshot || o->play)) {
        fprintf(stderr, "attnviz %s: --animation records a file: drop --screenshot and --play\n", cmd_name);
        return -1;
    }
    if (o->rec.path && o->lesson && o->rec.score >= 0) {
        fprintf(stderr, "attnviz %s: a lesson slide sets its own score: drop --score\n", cmd_name);
        return -1;
    }
    if (o->rec.path && !sized) {
        o->rec.width = o->width = 960;
        o->rec.height = o->height = 540;
    } else {
        o->rec.width = o->width;
        o->rec.height = o->height;
    }
    if (o->slide && !o->lesson) {
        fprintf(stderr, "attnviz %s: --slide goes with --lesson FILE\n", cmd_name);
        return -1;
    }
    if (o->lesson && (o->model || o->input || o->target || o->demo)) {
        fprintf(stderr, "attnviz %s: --lesson sets the model and input itself: drop --model, --input, --target and --demo\n", cmd_name);
        return -1;
    }
    /* nothing to show given: the lesson picker */
    o->picker = !o->lesson && !o->model && !o->input && !o->target && !o->demo && !o->rec.path &&
                strcmp(argv[0], "view") != 0;
    return 0;
}

/* The options' first picture: the picker, a lesson's slide, the demo or a
 * decoding; a bad model or input fails here, before any window. EXIT_OK,
 * or an exit code after a message. */
static int open_content(App *a) {
    const AppOptions *o = &a->opt;
    char err[AV_ERR_LEN];
    bool to_file = o->screenshot || o->rec.path;   /* no window to show a message in */
    bool picker = o->picker;   /* no lessons folder: the default model, as before */
    if (picker && (!app_find_lessons_dir(a->lesson.dir, sizeof a->lesson.dir) || app_open_picker(a, a->lesson.dir, err) != 0))
        picker = false;
    if (picker) return EXIT_OK;
    if (o->lesson) {
        if (app_open_lesson(a, o->lesson, err) != 0) {
            if (!to_file) return EXIT_OK;   /* the window shows the message instead */
            fprintf(stderr, "attnviz: %s\n", err);
            return EXIT_USER;
        }
        if (o->slide > a->lesson.lesson.n_slides) {
            fprintf(stderr, "attnviz: --slide %d: %s has %d slides\n", o->slide, o->lesson, a->lesson.lesson.n_slides);
            return EXIT_USAGE;
        }
        if (app_enter_slide(a, o->slide ? o->slide - 1 : 0, !to_file) != 0 && to_file) {
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
    if (rc != 0) fprintf(stderr, "attnviz %s: %s\n", cmd_name, err);
    return rc ? EXIT_USER : EXIT_OK;
}

/* --score: the sibling model of the one decoded, same input and reference. */
static int switch_score(App *a, ScoreKind k, char *err) {
    char path[1024];
    app_sibling(a, k, path, sizeof path);
    if (access(path, R_OK) != 0)
        return av_err(err, "--score %s: no model %s next to %s", score_name(k), path, a->session.model_path);
    char input[sizeof a->session.input], target[sizeof a->session.target];
    memcpy(input, a->session.input, sizeof input);
    memcpy(target, a->session.target, sizeof target);
    return app_decode(a, path, input, target[0] ? target : NULL, false, err);
}

/* --animation: the whole GIF, then one line on stderr saying what it holds. */
static int record(App *a) {
    const RecordOptions *o = &a->opt.rec;
    char err[AV_ERR_LEN];
    signal(SIGXFSZ, SIG_IGN);   /* a file size limit must fail the write, not kill us half-way */
    if (o->score >= 0 && a->session.have_trace && switch_score(a, (ScoreKind)o->score, err)) {
        fprintf(stderr, "attnviz %s: %s\n", cmd_name, err);
        return EXIT_USER;
    }
    if (a->session.have_trace && o->step_to > a->session.trace.T) {
        fprintf(stderr, "attnviz %s: --steps %d-%d: this decoding has %d steps\n", cmd_name, o->step_from, o->step_to,
                a->session.trace.T);
        return EXIT_USAGE;
    }
    Uint64 t0 = SDL_GetPerformanceCounter();
    if (app_record_start(a, o, o->path, err) == 0) {
        AppRecord r = a->rec;
        size_t bytes;
        if (app_record_frames(a, 0, err) >= 0 && app_record_finish(a, &bytes, err) == 0) {
            double s = (double)(SDL_GetPerformanceCounter() - t0) / (double)SDL_GetPerformanceFrequency();
            fprintf(stderr, "attnviz %s: %s: %ld frames (steps %d-%d, %d phases each, %d frames a phase), %dx%d at %d fps, "
                            "%s, %.2f MB, recorded in %.1f s\n", cmd_name, o->path, r.n_frames, r.opt.step_from,
                    r.opt.step_to, PH_COUNT, r.per_phase, r.opt.width, r.opt.height, r.opt.fps,
                    r.opt.once ? "plays once" : "loops", (double)bytes / 1e6, s);
            return EXIT_OK;
        }
        app_record_abort(a);
    }
    fprintf(stderr, "attnviz %s: %s\n", cmd_name, err);
    return EXIT_USER;
}

int cmd_view(int argc, char **argv) {
    cmd_name = argc > 0 && !strcmp(argv[0], "export") ? "export" : "view";
    App *a = calloc(1, sizeof *a);
    if (!a) { fprintf(stderr, "attnviz %s: out of memory\n", cmd_name); return EXIT_USER; }
    a->w.t_start = SDL_GetPerformanceCounter();
    int rc = parse_options(argc, argv, &a->opt);
    if (rc != 0) { free(a); return rc > 0 ? EXIT_OK : EXIT_USAGE; }
    const AppOptions *o = &a->opt;
    a->view.speed = 1;
    a->view.playing = o->play;
    a->ui.dark = o->dark;
    a->session.seed = o->seed;
    a->ui.zoom = o->zoom > 0 ? (float)o->zoom : 1;
    a->ui.present = o->present && o->screenshot;   /* a window enters it once open (full screen) */
    const char *loc = getenv("LC_ALL");
    if (!loc || !loc[0]) loc = getenv("LC_MESSAGES");
    if (!loc || !loc[0]) loc = getenv("LANG");
    snprintf(a->ui.lang, sizeof a->ui.lang, "%s", o->lang ? o->lang : lesson_lang_from_locale(loc));
    rc = open_content(a);
    char err[AV_ERR_LEN];
    if (rc == EXIT_OK) {
        app_stamp(a, "decoded");
        if (app_init_gfx(a, o->width, o->height, o->screenshot || o->rec.path, err) != 0) {
            fprintf(stderr, "attnviz %s: %s\n", cmd_name, err);
            rc = EXIT_USER;
        }
    }
    if (rc == EXIT_OK && o->rec.path) {
        rc = record(a);
    } else if (rc == EXIT_OK && o->screenshot) {
        if (app_screenshot_clock(a, err) != 0) rc = EXIT_USAGE;
        else if (app_screenshot(a, err) != 0) rc = EXIT_USER;
        if (rc != EXIT_OK) fprintf(stderr, "attnviz %s: %s\n", cmd_name, err);
    } else if (rc == EXIT_OK) {
        if (a->mode == MODE_VIEW) a->view.stop_at = 0.99999;   /* the encoder plays once, then waits */
        SDL_StopTextInput();   /* on again only while typing an input */
        if (o->present) app_toggle_present(a);
        app_run(a);
    }
    app_shutdown(a);
    free(a);
    return rc;
}
