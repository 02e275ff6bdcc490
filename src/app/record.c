/* record.c — the view's animation rendered offscreen, frame by frame, into an animated GIF: `attnviz export --animation` all at once, Shift+E a few frames per turn of the window's loop.
 *
 * The frames are the app's own: the current mode's draw list
 * (app_build_frame) through the same OpenGL renderer into an offscreen
 * framebuffer (app_render_rgb, as --screenshot does), at each frame's clock
 * τ. So a frame is the screenshot of that τ, down to the pixel, before the
 * GIF's 255 colours (src/export/gif.h).
 *
 * Timing: a phase lasts VIEW_PHASE_SECONDS (1.6 s) / speed and is recorded
 * as per_phase = round(1.6 × fps / speed) frames, the same for every phase
 * (the window hurries through the encoder's recall after step 1; a slide
 * animation keeps one steady rate). Frame j of phase k shows
 * τ = k + (j + 1) / per_phase, so the last frame of a phase shows it done.
 * A recording is phases × steps × per_phase frames (with B on, each step's
 * backward phases follow its forward ones, as on screen); looping (the default)
 * holds the last frame one more second before starting over.
 *
 * A frame shows what the App shows minus what belongs to the moment: no key
 * overlay, no hover, no status line, no half-done morph; the status bar says
 * "playing" at the recorded speed, as the window does while it animates.
 */
#include "app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/outfile.h"

static const int FPS_DEFAULT = 20, W_DEFAULT = 960, H_DEFAULT = 540, HOLD_CS = 100;

/* The defaults filled in and the steps checked against the decoding. */
static int fill_options(const App *a, const RecordOptions *in, RecordOptions *o, char *err) {
    *o = *in;
    if (o->width <= 0 || o->height <= 0) { o->width = W_DEFAULT; o->height = H_DEFAULT; }
    if (o->fps <= 0) o->fps = FPS_DEFAULT;
    if (!(o->speed > 0)) o->speed = 1;
    if (100 % o->fps) return av_err(err, "%d frames a second: a GIF counts time in 1/100 s (10, 20, 25 or 50)", o->fps);
    const Trace *tr = &a->session.trace;
    if (!a->session.have_trace) return av_err(err, "nothing moves on this screen: there is no animation to record");
    if (tr->T < 1) return av_err(err, "the decoding has no steps: nothing to record");
    if (o->step_from <= 0) {
        bool slide = a->mode == MODE_LESSON && a->lesson.loaded;
        o->step_from = slide ? lesson_slide_step(&a->lesson.lesson.slides[a->lesson.slide], tr->T) : 1;
        o->step_to = slide ? o->step_from : tr->T;
    }
    if (o->step_to < o->step_from) o->step_to = o->step_from;
    if (o->step_to > tr->T)
        return av_err(err, "steps %d-%d: this decoding has %d step%s", o->step_from, o->step_to, tr->T,
                      tr->T == 1 ? "" : "s");
    return 0;
}

/* The App's picture at τ into rgb, without what belongs to the moment. */
static int render_at(App *a, double tau, uint8_t *rgb, char *err) {
    AppView view = a->view;
    bool mouse_in = a->ui.mouse_in;
    char message[sizeof a->ui.message];
    memcpy(message, a->ui.message, sizeof message);
    a->view.tau = tau;
    a->view.playing = true;
    a->view.speed = (float)a->rec.opt.speed;
    a->view.help = false;
    a->view.morph = 1;
    a->ui.mouse_in = false;
    a->ui.message[0] = '\0';
    char status[sizeof a->ui.status];
    memcpy(status, a->ui.status, sizeof status);
    a->ui.status[0] = '\0';
    int rc = app_render_rgb(a, a->rec.opt.width, a->rec.opt.height, rgb, err);
    a->view = view;
    a->ui.mouse_in = mouse_in;
    memcpy(a->ui.message, message, sizeof message);
    memcpy(a->ui.status, status, sizeof status);
    return rc;
}

static double frame_tau(const AppRecord *r, long i) {
    long k = r->phase0 + i / r->per_phase, j = i % r->per_phase;
    return (double)k + fmin((double)(j + 1) / r->per_phase, 0.99999);
}

void app_record_abort(App *a) {
    AppRecord *r = &a->rec;
    export_gif_free(r->gif);
    free(r->rgb);
    memset(r, 0, sizeof *r);
}

/* The palette's samples: the end of every phase of the first step recorded,
 * and the very last frame. */
static ExportGif *start_gif(App *a, long n_phases, char *err) {
    AppRecord *r = &a->rec;
    int nph = app_step_phases(a), ns = nph + 1;   /* with B on, the backward phases' colours too */
    size_t px = (size_t)r->opt.width * (size_t)r->opt.height * 3;
    uint8_t *buf = malloc(px * (size_t)ns);
    if (!buf) { av_err(err, "out of memory for %dx%d frames", r->opt.width, r->opt.height); return NULL; }
    const uint8_t *samples[VIZ_PHASES_BACKWARD + 1];
    for (int s = 0; s < ns; s++) {
        long k = r->phase0 + (s < nph ? s : n_phases - 1);
        if (render_at(a, (double)k + 0.99999, buf + px * (size_t)s, err)) { free(buf); return NULL; }
        samples[s] = buf + px * (size_t)s;
    }
    Color legend[128];
    uint8_t seed[3 * 128];
    int n_seed = viz_legend_colors(a->ui.dark, legend, 128);
    for (int i = 0; i < n_seed; i++) {
        seed[3 * i] = legend[i].r;
        seed[3 * i + 1] = legend[i].g;
        seed[3 * i + 2] = legend[i].b;
    }
    ExportGifDesc d = {.w = r->opt.width, .h = r->opt.height, .delay_cs = 100 / r->opt.fps,
                       .hold_cs = r->opt.once ? 0 : HOLD_CS, .loop = !r->opt.once, .seed = seed, .n_seed = n_seed};
    ExportGif *g = export_gif_begin(&d, samples, ns, err);
    free(buf);
    return g;
}

int app_record_start(App *a, const RecordOptions *in, const char *path, char *err) {
    app_record_abort(a);
    AppRecord *r = &a->rec;
    if (fill_options(a, in, &r->opt, err)) return -1;
    if (strlen(path) >= sizeof r->path) return av_err(err, "%.60s…: the path is too long", path);
    snprintf(r->path, sizeof r->path, "%s", path);
    int nph = app_step_phases(a);   /* PH_COUNT, or with B on the backward phases too */
    long n_phases = (long)(r->opt.step_to - r->opt.step_from + 1) * nph;
    r->phase0 = (long)(r->opt.step_from - 1) * nph;
    r->per_phase = (int)lround(VIEW_PHASE_SECONDS * r->opt.fps / r->opt.speed);
    if (r->per_phase < 1) r->per_phase = 1;
    r->n_frames = n_phases * r->per_phase;
    r->rgb = malloc((size_t)r->opt.width * (size_t)r->opt.height * 3);
    if (!r->rgb) { app_record_abort(a); return av_err(err, "out of memory for a frame"); }
    r->gif = start_gif(a, n_phases, err);
    if (!r->gif) { app_record_abort(a); return -1; }
    r->on = true;
    r->shown = -1;
    return 0;
}

int app_record_frames(App *a, double budget, char *err) {
    AppRecord *r = &a->rec;
    Uint64 t0 = SDL_GetPerformanceCounter();
    double freq = (double)SDL_GetPerformanceFrequency();
    while (r->frame < r->n_frames) {
        if (render_at(a, frame_tau(r, r->frame), r->rgb, err) ||
            export_gif_add(r->gif, r->rgb, r->frame == r->n_frames - 1, err))
            return -1;
        r->frame++;
        if (budget > 0 && (double)(SDL_GetPerformanceCounter() - t0) / freq >= budget) break;
    }
    return r->frame >= r->n_frames;
}

int app_record_finish(App *a, size_t *bytes, char *err) {
    AppRecord *r = &a->rec;
    uint8_t *data;
    size_t n;
    int rc = export_gif_end(r->gif, &data, &n, err);
    r->gif = NULL;
    if (rc == 0) {
        rc = av_write_file(r->path, data, n, err);
        free(data);
    }
    if (bytes) *bytes = rc == 0 ? n : 0;
    app_record_abort(a);
    return rc;
}

int app_record(App *a, const RecordOptions *o, const char *path, size_t *bytes, char *err) {
    if (app_record_start(a, o, path, err)) return -1;
    if (app_record_frames(a, 0, err) < 0) { app_record_abort(a); return -1; }
    return app_record_finish(a, bytes, err);
}

/* ---- in the window: Shift+E ---- */

static void say_failed(App *a, const char *why) {
    char msg[AV_ERR_LEN + 100];
    snprintf(msg, sizeof msg, app_str(a, UI_M_RECORD_FAILED), why);
    app_say(a, msg);
}

void app_record_key(App *a) {
    if (a->rec.on) return;
    char path[1024], err[AV_ERR_LEN];
    if (!app_export_path(a, "gif", path, sizeof path)) { app_say(a, app_str(a, UI_M_NO_EXPORT_DIR)); return; }
    RecordOptions o = {.score = -1, .speed = a->view.speed};   /* at the speed on screen (+ and -) */
    if (app_record_start(a, &o, path, err)) { say_failed(a, err); return; }
    char msg[200];
    snprintf(msg, sizeof msg, app_str(a, UI_M_RECORDING), 0);
    app_say(a, msg);
    a->rec.shown = 0;
}

void app_record_update(App *a) {
    AppRecord *r = &a->rec;
    if (!r->on) return;
    char err[AV_ERR_LEN], msg[1200];
    int rc = app_record_frames(a, 0.04, err);   /* ~40 ms a turn: the window stays responsive */
    if (rc == 0) {
        int pct = (int)(100 * r->frame / r->n_frames);
        if (pct != r->shown) {
            r->shown = pct;
            snprintf(msg, sizeof msg, app_str(a, UI_M_RECORDING), pct);
            app_say(a, msg);
        }
        return;
    }
    if (rc < 0) { app_record_abort(a); say_failed(a, err); return; }
    char path[sizeof r->path];
    memcpy(path, r->path, sizeof path);
    size_t n;
    if (app_record_finish(a, &n, err)) { say_failed(a, err); return; }
    snprintf(msg, sizeof msg, app_str(a, UI_M_RECORDED), path, (double)n / 1e6);
    app_note_saved(a, msg, msg);
}

bool app_record_event(App *a, const SDL_Event *e) {
    if (!a->rec.on) return false;
    if (e->type == SDL_QUIT) {
        app_record_abort(a);
        a->w.quit = true;
    } else if (e->type == SDL_KEYDOWN && e->key.keysym.sym == SDLK_ESCAPE) {
        app_record_abort(a);
        app_say(a, app_str(a, UI_M_RECORD_STOPPED));
    } else if (e->type == SDL_WINDOWEVENT) {
        a->w.dirty = true;
    }
    return true;
}
