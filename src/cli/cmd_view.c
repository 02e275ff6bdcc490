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

/* What the command line asks: the App's options, and the values that
 * become them after the parse. */
typedef struct {
    AppOptions app;
    const char *theme, *phase, *loop, *score, *direction;
    int size[2], mouse[2], steps[2];
    long fps;
} ViewOpts;

/* "view", or "export" when `attnviz export --animation` came here: the
 * name messages start with. */
static const char *cmd_name = "view";

static const char *const LANGS[] = {"en", "ko", NULL};
static const char *const THEMES[] = {"light", "dark", NULL};
/* the forward phases' names, then the backward ones not among them (--direction decides which list) */
static const char *const PHASES[] = {"encoder", "query", "scores", "softmax", "context", "combine", "output", "next",
                                     "loss", "logits", "state", "split", "weights", "step", NULL};
static const char *const DIRECTIONS[] = {"forward", "backward", NULL};
static const char *const LOOPS[] = {"forever", "once", NULL};
static const char *const SCORES[] = {"none", "dot", "scaled_dot", "general", "concat", "additive", NULL};

int cli_parse_size(const char *v, void *field, char *expected, size_t cap) {
    int *wh = field, w, h;
    char c;
    if (sscanf(v, "%dx%d%c", &w, &h, &c) != 2 || w < 320 || h < 240 || w > 8192 || h > 8192)
        return snprintf(expected, cap, "WxH from 320x240 to 8192x8192"), -1;
    wh[0] = w;
    wh[1] = h;
    return 0;
}

/* "X,Y" (window units) into int[2] */
static int parse_point(const char *v, void *field, char *expected, size_t cap) {
    int *xy = field, x, y;
    char c;
    if (sscanf(v, "%d,%d%c", &x, &y, &c) != 2 || x < 0 || y < 0) return snprintf(expected, cap, "X,Y (window units)"), -1;
    xy[0] = x;
    xy[1] = y;
    return 0;
}

/* "A-B" or "A" (decoder steps, from 1) into int[2] */
static int parse_steps(const char *v, void *field, char *expected, size_t cap) {
    int *ab = field, x, y, k;
    char c;
    if (sscanf(v, "%d%c", &x, &c) == 1) { y = x; k = 2; }
    else k = sscanf(v, "%d-%d%c", &x, &y, &c);
    if (k != 2 || x < 1 || y < x || y > 100000)
        return snprintf(expected, cap, "A-B with 1 <= A <= B (e.g. 1-10), or one step"), -1;
    ab[0] = x;
    ab[1] = y;
    return 0;
}

/* frames a second that a GIF can time (it counts in 1/100 s) into a long */
static int parse_fps(const char *v, void *field, char *expected, size_t cap) {
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || *end || (n != 10 && n != 20 && n != 25 && n != 50))
        return snprintf(expected, cap, "10, 20, 25 or 50 (a GIF counts time in 1/100 s)"), -1;
    *(long *)field = n;
    return 0;
}

static const Opt VIEW_OPTS[] = {
    {"lesson", 0, OPT_PATH, OPT_AT(ViewOpts, app.lesson), .arg = "FILE.md",
     .help = "a lesson (lessons/<lang>/NN-name.md): slides with narration"},
    {"slide", 0, OPT_INT, OPT_AT(ViewOpts, app.slide), .arg = "N", .lo = 1, .hi = LESSON_MAX_SLIDES, .needs = "lesson",
     .help = "start at slide N (from 1; default 1)"},
    {"lang", 0, OPT_ENUM, OPT_AT(ViewOpts, app.lang), .choices = LANGS,
     .help = "lessons and their UI strings (default: from LC_ALL,\nLC_MESSAGES, LANG)"},
    {"model", 'm', OPT_PATH, OPT_AT(ViewOpts, app.model), .arg = "M",
     .help = "a .safetensors model (default: assets/models/dates-general,\nelse the first model in assets/models/)"},
    {"input", 'i', OPT_STRING, OPT_AT(ViewOpts, app.input), .arg = "TEXT",
     .help = "the source (default: an example of the model's task)"},
    {"target", 0, OPT_STRING, OPT_AT(ViewOpts, app.target), .arg = "TEXT",
     .help = "a reference target: shows teacher forcing and mistakes"},
    {"teacher-forcing", 0, OPT_FLOAT, OPT_AT(ViewOpts, app.teacher_forcing), .arg = "P", .lo = 0, .hi = 1, .def = "0",
     .help = "probability of feeding the reference (0..1)"},
    {"seed", 0, OPT_U64, OPT_AT(ViewOpts, app.seed), .arg = "N", .def = "1", .help = "seeds the coin flips"},
    {"font", 0, OPT_PATH, OPT_AT(ViewOpts, app.font), .arg = "PATH",
     .help = "a TTF covering the text (default: found via fontconfig)"},
    {"theme", 0, OPT_ENUM, OPT_AT(ViewOpts, theme), .choices = THEMES, .def = "light", .help = "the colours"},
    {"size", 0, OPT_CUSTOM, OPT_AT(ViewOpts, size), .arg = "WxH", .custom = cli_parse_size, .def = "1280x720",
     .help = "window size"},
    {"play", 0, OPT_FLAG, OPT_AT(ViewOpts, app.play), .help = "start playing"},
    {"present", 0, OPT_FLAG, OPT_AT(ViewOpts, app.present),
     .help = "presentation mode: full screen, only the diagram and the\ntimeline"},
    {"zoom", 0, OPT_FLOAT, OPT_AT(ViewOpts, app.zoom), .arg = "Z", .lo = 0.8, .hi = 2, .def = "1",
     .help = "everything Z times larger (Ctrl+= Ctrl+- Ctrl+0)"},
    {"demo", 0, OPT_FLAG, OPT_AT(ViewOpts, app.demo), .help = "a synthetic decoding, no model needed"},
    {"screenshot", 0, OPT_PATH, OPT_AT(ViewOpts, app.screenshot), .arg = "FILE.png", .ext = "png", .format = "PNG",
     .help = "render one frame offscreen (- for stdout) and exit, with:"},
    {"step", 0, OPT_INT, OPT_AT(ViewOpts, app.step), .arg = "N", .lo = 1, .hi = 100000, .needs = "screenshot",
     .help = "  the frame of decoder step N (default: the last)"},
    {"phase", 0, OPT_ENUM, OPT_AT(ViewOpts, phase), .arg = "NAME", .choices = PHASES, .needs = "screenshot",
     .help = "  at the end of that phase (default: the last): encoder\n"
             "  query scores softmax context combine output next;\n"
             "  with --direction backward: loss logits state split\n"
             "  weights scores query encoder step"},
    {"progress", 0, OPT_FLOAT, OPT_AT(ViewOpts, app.progress), .arg = "F", .lo = 0, .hi = 1, .def = "1",
     .needs = "screenshot", .help = "  or F of the way through it (0..1)"},
    {"mouse", 0, OPT_CUSTOM, OPT_AT(ViewOpts, mouse), .arg = "X,Y", .custom = parse_point, .needs = "screenshot",
     .help = "  with the mouse hovering there"},
    {"help-overlay", 0, OPT_FLAG, OPT_AT(ViewOpts, app.help_overlay), .needs = "screenshot",
     .help = "  with the key help"},
    {"direction", 0, OPT_ENUM, OPT_AT(ViewOpts, direction), .choices = DIRECTIONS, .def = "forward",
     .help = "backward: the backward pass too (needs --target): each\nstep's backward phases follow its forward ones"},
    {"lr", 0, OPT_FLOAT, OPT_AT(ViewOpts, app.lr), .arg = "ETA", .lo = 0.001, .hi = 10, .def = "0.1",
     .help = "learning rate of the one-SGD-step view"},
    {"animation", 0, OPT_PATH, OPT_AT(ViewOpts, app.rec.path), .arg = "FILE.gif", .ext = "gif", .format = "GIF",
     .help = "record the animation phase by phase as a GIF (- for\nstdout) and exit, drawn offscreen like --screenshot\n"
             "(also: attnviz export --animation); 960x540 unless --size; with:"},
    {"steps", 0, OPT_CUSTOM, OPT_AT(ViewOpts, steps), .arg = "A-B", .custom = parse_steps, .needs = "animation",
     .help = "  the decoder steps (default: all; a lesson slide: its\n  own step)"},
    {"fps", 0, OPT_CUSTOM, OPT_AT(ViewOpts, fps), .arg = "N", .custom = parse_fps, .def = "20", .needs = "animation",
     .help = "  10, 20, 25 or 50 frames a second; a phase is 1.6 s at\n  speed 1"},
    {"speed", 0, OPT_FLOAT, OPT_AT(ViewOpts, app.rec.speed), .arg = "S", .lo = 0.25, .hi = 8, .def = "1",
     .needs = "animation", .help = "  phases pass S times as fast"},
    {"loop", 0, OPT_ENUM, OPT_AT(ViewOpts, loop), .choices = LOOPS, .def = "forever", .needs = "animation",
     .help = "  loop forever, the last frame held 1 s, or play once"},
    {"score", 0, OPT_ENUM, OPT_AT(ViewOpts, score), .arg = "S", .choices = SCORES, .needs = "animation",
     .help = "  first switch to the model of the same task with\n  score S"},
    {0},
};

const OptCommand CLI_VIEW = {
    .name = "view",
    .usage = "usage: attnviz view [--model M] [--input TEXT] [--target TEXT] [options]\n"
             "       attnviz --lesson FILE.md [--slide N] [options]\n"
             "       attnviz                  (no arguments: the lesson picker)\n"
             "       attnviz export --animation FILE.gif [--model M --input TEXT | --lesson FILE.md --slide N] [options]\n"
             "\n"
             "Opens a window that animates one decoding, phase by phase.\n",
    .opts = VIEW_OPTS,
    .footer = "keys: Space play/pause, arrows phase/step, Home/End, + - speed, D theme, F full screen,\n"
              "      E export the alignment (PNG + CSV), Shift+E record the animation as a GIF (both into\n"
              "      the pictures folder), F5 presentation, Ctrl+= Ctrl+- Ctrl+0 zoom, ? every key,\n"
              "      B the backward pass (needs a reference), , . the learning rate of its one step,\n"
              "      Esc close what is open, Q quit. Hover for exact values; click the timeline to jump.\n"
              "lessons: Page Down / Page Up next / previous slide, Ctrl+= / Ctrl+- zoom (narration and\n"
              "      diagram), Esc back to the picker. Picker: arrows, Enter or click, L English/Korean.\n",
    .dst_size = sizeof(ViewOpts),
};

/* The same options under `attnviz export --animation` (messages say "export"). */
static const OptCommand CLI_EXPORT_ANIMATION = {
    .name = "export",
    .usage = "usage: attnviz export --animation FILE.gif [--model M --input TEXT | --lesson FILE.md --slide N] [options]\n"
             "\n"
             "Records the view's animation, phase by phase, as a GIF: the options are the view's.\n",
    .opts = VIEW_OPTS,
    .dst_size = sizeof(ViewOpts),
};

/* argv → options: 0, 1 after --help, -1 after a message on stderr. */
static int parse_options(int argc, char **argv, AppOptions *o) {
    ViewOpts v = {.app = {.phase = -1}, .mouse = {-1, -1}};
    OptSeen seen;
    int rc = opt_parse(!strcmp(cmd_name, "export") ? &CLI_EXPORT_ANIMATION : &CLI_VIEW, argc, argv, &v, &seen);
    if (rc) return rc;
    *o = v.app;
    o->dark = !strcmp(v.theme, "dark");
    o->width = v.size[0];
    o->height = v.size[1];
    o->mouse_x = v.mouse[0];
    o->mouse_y = v.mouse[1];
    o->backward = v.direction && !strcmp(v.direction, "backward");
    Phase ph;
    BackPhase bp;
    if (v.phase && (o->backward ? back_phase_parse(v.phase, &bp) : phase_parse(v.phase, &ph)) != 0) {
        fprintf(stderr, "attnviz %s: --phase: '%s' is not one of %s\n", cmd_name, v.phase,
                o->backward ? "loss logits state split weights scores query encoder step (--direction backward)"
                            : "encoder query scores softmax context combine output next");
        return -1;
    }
    if (v.phase) o->phase = o->backward ? (int)bp : (int)ph;   /* PHASES are the phases' names */
    /* the animation: LOOPS and SCORES are the engine's names; 960x540 unless --size */
    RecordOptions *r = &o->rec;
    r->fps = (int)v.fps;
    r->step_from = v.steps[0];
    r->step_to = v.steps[1];
    r->once = !strcmp(v.loop, "once");
    ScoreKind k;
    r->score = v.score && score_parse(v.score, &k) == 0 ? (int)k : -1;
    if (r->path && !opt_given(&seen, "size")) {
        o->width = 960;
        o->height = 540;
    }
    r->width = o->width;
    r->height = o->height;
    if (r->path && (o->screenshot || o->play)) {
        fprintf(stderr, "attnviz %s: --animation records a file: drop --screenshot and --play\n", cmd_name);
        return -1;
    }
    if (r->path && o->lesson && r->score >= 0) {
        fprintf(stderr, "attnviz %s: a lesson slide sets its own score: drop --score\n", cmd_name);
        return -1;
    }
    if (o->lesson && (o->model || o->input || o->target || o->demo || opt_given(&seen, "direction") ||
                      opt_given(&seen, "lr"))) {
        fprintf(stderr, "attnviz %s: --lesson sets the model and input itself: drop --model, --input, --target, --demo, "
                        "--direction and --lr\n", cmd_name);
        return -1;
    }
    if (o->backward && (!o->target || o->demo)) {
        fprintf(stderr, "attnviz %s: --direction backward needs --target (the reference the loss is taken against) "
                        "and a model, not --demo\n", cmd_name);
        return -1;
    }
    /* nothing to show given: the lesson picker */
    o->picker = !o->lesson && !o->model && !o->input && !o->target && !o->demo && !r->path && strcmp(argv[0], "view") != 0;
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
        a->back.lr = (float)o->lr;
        if (model) rc = app_decode(a, model, o->input, o->target, false, err);
        if (rc == 0 && o->backward) rc = app_set_backward(a, true, err);
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
                    r.opt.step_to, app_step_phases(a), r.per_phase, r.opt.width, r.opt.height, r.opt.fps,
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
    /* an empty text given on the command line is refused, as decode and export do (the editor's
       empty reference field, in the window, means "no reference") */
    if (cli_blank(cmd_name, "--input", o->input) || cli_blank(cmd_name, "--target", o->target)) {
        free(a);
        return EXIT_USER;
    }
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
        /* the encoder (or the first backward phase) plays once, then waits */
        if (a->mode == MODE_VIEW) a->view.stop_at = a->back.on ? a->view.tau + 0.99999 : 0.99999;
        SDL_StopTextInput();   /* on again only while typing an input */
        if (o->present) app_toggle_present(a);
        app_run(a);
    }
    app_shutdown(a);
    free(a);
    return rc;
}
