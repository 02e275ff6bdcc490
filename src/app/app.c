/* app.c — `attnviz view` and `attnviz` with no command: the window.
 *
 * The App owns everything (app.h). The loop waits for events when nothing
 * moves (SDL_WaitEvent: a laptop on battery must not spin) and draws only
 * when something changed. The clock τ (view.h) is the whole animation
 * state: keys move it to the start of a phase and let that phase play once;
 * the picture is rebuilt from (trace, τ, UI state) every frame.
 */
#include "app.h"

#include <SDL_ttf.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stb_image_write.h>

#include "../base/buf.h"
#include "../base/outfile.h"
#include "../base/utf8.h"
#include "../cli/cli.h"
#include "../engine/seq2seq.h"
#include "../engine/tokenize.h"
#include "../tasks/task.h"
#include "../text/font_find.h"
#include "../viz/ui_strings.h"

enum { MAX_INPUT_TOKENS = 200 };
static const double PHASE_SECONDS = 1.6;   /* one phase at speed 1 */

/* The UI language: the lesson's, else --lang / the locale; and its strings. */
static const char *ui_lang(const App *a) { return a->have_lesson && a->lesson.lang[0] ? a->lesson.lang : a->lang; }
static const char *ui(const App *a, UiStr id) { return ui_str(ui_lang(a), id); }

/* ---- finding files next to the executable ---- */

/* The first of <base>/<rel> for rel in rels that exists (a directory or a
 * file), into out. */
static bool find_near_exe(const char *const *rels, int n, char *out, size_t cap) {
    char *base = SDL_GetBasePath();
    if (!base) return false;
    bool ok = false;
    for (int i = 0; i < n && !ok; i++) {
        struct stat sb;
        snprintf(out, cap, "%s%s", rels[i][0] == '/' ? "" : base, rels[i]);
        ok = stat(out, &sb) == 0;
    }
    SDL_free(base);
    return ok;
}

static bool find_shaders(char *out, size_t cap) {
    static const char *const R[] = {"../shaders/quad.vert", "../../shaders/quad.vert", "shaders/quad.vert",
                                    "../share/attnviz/shaders/quad.vert", "/usr/local/share/attnviz/shaders/quad.vert",
                                    "/usr/share/attnviz/shaders/quad.vert"};
    if (!find_near_exe(R, (int)(sizeof R / sizeof *R), out, cap)) return false;
    *strrchr(out, '/') = 0;
    return true;
}

static bool find_models_dir(char *out, size_t cap) {
    const char *env = getenv("ATTNVIZ_MODELS");
    if (env && env[0]) {
        struct stat sb;
        snprintf(out, cap, "%s", env);
        return stat(out, &sb) == 0;
    }
    static const char *const R[] = {"../assets/models", "../../assets/models", "assets/models",
                                    "../share/attnviz/assets/models", "/usr/local/share/attnviz/assets/models",
                                    "/usr/share/attnviz/assets/models"};
    return find_near_exe(R, (int)(sizeof R / sizeof *R), out, cap);
}

bool app_find_models_dir(char *out, size_t cap) { return find_models_dir(out, cap); }

bool app_find_lessons_dir(char *out, size_t cap) {
    const char *env = getenv("ATTNVIZ_LESSONS");
    if (env && env[0]) {
        struct stat sb;
        snprintf(out, cap, "%s", env);
        return stat(out, &sb) == 0;
    }
    static const char *const R[] = {"../lessons", "../../lessons", "lessons", "../share/attnviz/lessons",
                                    "/usr/local/share/attnviz/lessons", "/usr/share/attnviz/lessons"};
    return find_near_exe(R, (int)(sizeof R / sizeof *R), out, cap);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* assets/models/dates-general.safetensors, else the first model there. */
static int default_model(char *out, size_t cap, char *err) {
    char dir[1024];
    if (!find_models_dir(dir, sizeof dir))
        return av_err(err, "no assets/models/ next to the executable: give --model FILE.safetensors");
    snprintf(out, cap, "%.900s/dates-general.safetensors", dir);
    if (access(out, R_OK) == 0) return 0;
    DIR *d = opendir(dir);
    if (!d) return av_err(err, "%s: cannot list: %s", dir, strerror(errno));
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 12 && strcmp(e->d_name + l - 12, ".safetensors") == 0) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n == 0) return av_err(err, "%s: no .safetensors model there: give --model FILE", dir);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    snprintf(out, cap, "%.800s/%.200s", dir, names[0] ? names[0] : "");
    for (int i = 0; i < n; i++) free(names[i]);
    return 0;
}

/* ---- decoding ---- */

/* Tokenise and decode with a loaded model; target NULL for free running. */
static int decode_with(const Model *m, const char *input, const char *target, float p, uint64_t seed, Trace *tr, char *err) {
    int *src = NULL, S = 0, *ref = NULL, R = 0;
    if (encode_text(&m->src, m->cfg.tokenizer, input, &src, &S, err) != 0) return -1;
    if (S < 1 || S > MAX_INPUT_TOKENS) {
        free(src);
        return av_err(err, "input has %d tokens: give 1 to %d", S, MAX_INPUT_TOKENS);
    }
    if (target && encode_text(&m->tgt, m->cfg.tokenizer, target, &ref, &R, err) != 0) {
        free(src);
        return -1;
    }
    if (target && (R < 1 || R > MAX_INPUT_TOKENS)) {
        free(src);
        free(ref);
        return av_err(err, "the reference has %d tokens: give 1 to %d", R, MAX_INPUT_TOKENS);
    }
    DecodeDesc dd = {0, ref, R, p, seed};
    int rc = seq2seq_decode(m, src, S, &dd, tr, err);
    free(src);
    free(ref);
    if (rc != 0) return -1;
    if (tr->T < 1) { trace_free(tr); return av_err(err, "the decoding has no steps"); }
    return 0;
}

static void say(App *a, const char *msg);
static int compare_refresh(App *a, char *err);

int app_decode(App *a, const char *model_path, const char *input, const char *target, bool morph, char *err) {
    if (target && !target[0]) target = NULL;
    Model m;
    if (model_load(&m, model_path, err) != 0) return -1;
    char example[TASK_MAX_TEXT];
    if (!input) {   /* an example from the model's own task, else a word */
        const Task *tk = m.task ? task_find(m.task) : NULL;
        if (tk) {
            char tgt[TASK_MAX_TEXT];
            Rng r;
            rng_seed(&r, 2026);
            tk->generate(&r, SPLIT_TEST, example, tgt, sizeof example);
            input = example;
        } else {
            input = "hello";
        }
    }
    Trace tr;
    if (decode_with(&m, input, target, a->tf_on ? a->tf_p : 0, a->opt.seed, &tr, err) != 0) { model_free(&m); return -1; }
    if (a->have_prev) trace_free(&a->prev);
    a->have_prev = false;
    if (a->have_trace && morph) {   /* keep the old decoding to morph from */
        a->prev = a->trace;
        a->have_prev = true;
        a->morph_t0 = SDL_GetPerformanceCounter();
        a->st.morph = 0;
    } else if (a->have_trace) {
        trace_free(&a->trace);
    }
    a->st.prev = a->have_prev ? &a->prev : NULL;
    if (a->have_model) model_free(&a->model);
    a->trace = tr;
    a->model = m;
    a->have_trace = a->have_model = true;
    if (model_path != a->model_path) snprintf(a->model_path, sizeof a->model_path, "%s", model_path);
    if (input != a->input) snprintf(a->input, sizeof a->input, "%s", input);
    if (target != a->target) snprintf(a->target, sizeof a->target, "%s", target ? target : "");
    const Model *mm = &a->model;
    snprintf(a->task, sizeof a->task, "%s", mm->task ? mm->task : "");
    if (!a->task[0]) {   /* from the file name: <task>-<score>.safetensors */
        const char *b = strrchr(model_path, '/'), *d;
        b = b ? b + 1 : model_path;
        if ((d = strrchr(b, '-')) && d > b) snprintf(a->task, sizeof a->task, "%.*s", (int)(d - b), b);
    }
    a->st.task = a->task[0] ? a->task : NULL;
    a->st.score_avail = 0;
    for (int k = SCORE_NONE; k <= SCORE_ADDITIVE; k++) {
        char p[1200];
        app_sibling(a, (ScoreKind)k, p, sizeof p);
        if (k == (int)mm->cfg.score || access(p, R_OK) == 0) a->st.score_avail |= 1u << k;
    }
    const char *base = strrchr(model_path, '/');
    char tf[1] = "";   /* teacher forcing: the slider shows it */
    snprintf(a->title, sizeof a->title, "%.100s  \xC2\xB7  %s%s %s, %s  \xC2\xB7  %s \"%.120s\"%s%s%s%.120s%s%s",
             base ? base + 1 : model_path, mm->cfg.bidirectional ? ui(a, UI_T_BIDI) : "", cell_name(mm->cfg.cell),
             ui(a, mm->cfg.tokenizer == TOK_CHAR ? UI_T_CHARS : UI_T_WORDS), style_name(mm->cfg.style),
             ui(a, UI_T_INPUT), a->input, target ? "  \xC2\xB7  " : "", target ? ui(a, UI_T_REF) : "", target ? " \"" : "",
             target ? a->target : "", target ? "\"" : "", tf);
    a->st.title = a->title;
    a->st.tf_slider = target != NULL;
    a->st.tf_on = a->tf_on;
    a->st.tf_p = a->tf_p;
    if (a->cmp_mode && compare_refresh(a, err) != 0) {   /* the comparison follows; on failure it ends */
        char msg[AV_ERR_LEN + 40];
        snprintf(msg, sizeof msg, ui(a, UI_M_CMP_ENDED), err);
        say(a, msg);
    }
    /* keep the place: the same step and phase, if the new decoding has it */
    double end = viz_tau_end(&a->trace);
    if (a->st.tau >= end) a->st.tau = end - 1e-5;
    if (a->stop_at > end) a->stop_at = end - 1e-5;
    a->dirty = true;
    return 0;
}

void app_sibling(const App *a, ScoreKind k, char *out, size_t cap) {
    const char *slash = strrchr(a->model_path, '/');
    int dl = slash ? (int)(slash - a->model_path) : 1;
    snprintf(out, cap, "%.*s/%.60s-%s.safetensors", dl, slash ? a->model_path : ".", a->task, score_name(k));
}

static void say(App *a, const char *msg) {
    snprintf(a->message, sizeof a->message, "%.590s", msg);
    a->st.message = a->message[0] ? a->message : NULL;
    a->dirty = true;
}

static void compare_off(App *a) {
    if (a->have_cmp) trace_free(&a->cmp);
    a->have_cmp = false;
    a->cmp_mode = 0;
    a->st.cmp = NULL;
    a->dirty = true;
}

/* Decode the other side of the comparison for the current input. */
static int compare_refresh(App *a, char *err) {
    Trace tr;
    const char *tg = a->target[0] ? a->target : NULL;
    if (a->cmp_mode == 1) {
        if (a->cmp_score == a->model.cfg.score) { compare_off(a); return av_err(err, "%s", ui(a, UI_M_SAME_SCORE)); }
        char path[1200];
        app_sibling(a, a->cmp_score, path, sizeof path);
        Model m;
        if (model_load(&m, path, err) != 0) { compare_off(a); return -1; }
        int rc = decode_with(&m, a->input, tg, a->tf_on ? a->tf_p : 0, a->opt.seed, &tr, err);
        model_free(&m);
        if (rc != 0) { compare_off(a); return -1; }
        snprintf(a->cmp_name[0], sizeof a->cmp_name[0], "%s", score_name(a->model.cfg.score));
        snprintf(a->cmp_name[1], sizeof a->cmp_name[1], "%s", score_name(a->cmp_score));
        snprintf(a->cmp_what, sizeof a->cmp_what, "%s", ui(a, UI_CMP_SCORES_WHAT));
    } else {
        if (!tg) { compare_off(a); return av_err(err, "%s", ui(a, UI_M_FREE_NEEDS_REF)); }
        float p = a->tf_on ? 0 : (a->tf_p > 0 ? a->tf_p : 1);
        if (decode_with(&a->model, a->input, tg, p, a->opt.seed, &tr, err) != 0) { compare_off(a); return -1; }
        snprintf(a->cmp_name[0], sizeof a->cmp_name[0], "%s", ui(a, a->tf_on ? UI_TEACHER_FORCED : UI_FREE_RUNNING));
        snprintf(a->cmp_name[1], sizeof a->cmp_name[1], "%s", ui(a, a->tf_on ? UI_FREE_RUNNING : UI_TEACHER_FORCED));
        snprintf(a->cmp_what, sizeof a->cmp_what, ui(a, UI_CMP_TF_WHAT),
                 (double)(a->tf_on ? a->tf_p : p));
    }
    if (a->have_cmp) trace_free(&a->cmp);
    a->cmp = tr;
    a->have_cmp = true;
    a->st.cmp = &a->cmp;
    a->st.cmp_name[0] = a->cmp_name[0];
    a->st.cmp_name[1] = a->cmp_name[1];
    a->st.cmp_what = a->cmp_what;
    a->dirty = true;
    return 0;
}

void app_compare(App *a, int mode) {
    char err[AV_ERR_LEN];
    if (!a->have_model) { say(a, ui(a, UI_M_CMP_DEMO)); return; }
    if (mode == 2) {
        if (a->cmp_mode == 2) { compare_off(a); return; }
        a->cmp_mode = 2;
    } else {
        /* the next score after the compared one that has a model, not the current */
        int from = a->cmp_mode == 1 ? (int)a->cmp_score + 1 : 0, found = -1;   /* none has no matrix: skipped */
        for (int k = from; k <= SCORE_ADDITIVE && found < 0; k++)
            if (k != (int)a->model.cfg.score && k != SCORE_NONE && (a->st.score_avail >> k & 1)) found = k;
        if (found < 0) {
            bool was = a->cmp_mode == 1;
            compare_off(a);
            if (!was) say(a, ui(a, UI_M_CMP_SECOND));
            return;
        }
        a->cmp_mode = 1;
        a->cmp_score = (ScoreKind)found;
    }
    if (compare_refresh(a, err) != 0) say(a, err);
}

void app_switch_score(App *a, ScoreKind k) {
    if (!a->have_model || k == a->model.cfg.score) return;
    char path[1200], err[AV_ERR_LEN], msg[AV_ERR_LEN + 64];
    app_sibling(a, k, path, sizeof path);
    if (access(path, R_OK) != 0) {
        snprintf(msg, sizeof msg, ui(a, UI_M_NO_SCORE_MODEL), score_name(k), path);
        say(a, msg);
        return;
    }
    if (app_decode(a, path, a->input, a->target, true, err) != 0) {
        snprintf(msg, sizeof msg, ui(a, UI_M_MODEL_STAYS), err);
        say(a, msg);
    }
}

/* ---- PNG ---- */

static void png_collect(void *ctx, void *data, int size) { buf_put(ctx, data, size > 0 ? (size_t)size : 0); }

int app_write_png(const char *path, const uint8_t *rgb, int w, int h, char *err) {
    Buf png = {0};
    if (!stbi_write_png_to_func(png_collect, &png, w, h, 3, rgb, w * 3) || png.oom) {
        buf_free(&png);
        return av_err(err, "%s: cannot encode the PNG (out of memory)", path);
    }
    int rc = av_write_file(path, png.p, png.n, err);
    buf_free(&png);
    return rc;
}

/* ---- window, GL, font ---- */

/* ATTNVIZ_TIMING=1 prints where start-up time goes */
static void stamp(const App *a, const char *what) {
    if (getenv("ATTNVIZ_TIMING"))
        fprintf(stderr, "attnviz: %s after %.1f ms\n", what,
                (double)(SDL_GetPerformanceCounter() - a->t_start) * 1000.0 / (double)SDL_GetPerformanceFrequency());
}

int app_init_gfx(App *a, int w, int h, bool hidden, char *err) {
    /* with no display at all, SDL's offscreen driver still gives EGL + GL */
    if (hidden && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY") && !getenv("SDL_VIDEODRIVER"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) return av_err(err, "SDL_Init: %s", SDL_GetError());
    a->sdl_up = true;
    stamp(a, "SDL_Init");
    if (TTF_Init() != 0) return av_err(err, "TTF_Init: %s", TTF_GetError());
    a->ttf_up = true;
    /* GL attributes before the window */
    if (SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3) || SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3) ||
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE) ||
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1))
        return av_err(err, "SDL_GL_SetAttribute: %s", SDL_GetError());
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI | (hidden ? SDL_WINDOW_HIDDEN : 0);
    a->win = SDL_CreateWindow("attnviz", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!a->win) return av_err(err, "SDL_CreateWindow: %s", SDL_GetError());
    SDL_SetWindowMinimumSize(a->win, 1024, 600);
    a->gl = SDL_GL_CreateContext(a->win);
    if (!a->gl) return av_err(err, "OpenGL 3.3 core context: %s", SDL_GetError());
    if (SDL_GL_MakeCurrent(a->win, a->gl) != 0) return av_err(err, "SDL_GL_MakeCurrent: %s", SDL_GetError());
    if (!hidden && SDL_GL_SetSwapInterval(1) != 0) SDL_GL_SetSwapInterval(0);   /* vsync when available */
    stamp(a, "window and GL context");

    char font[1024], ferr[FONT_ERR_CAP];
    if (font_find(a->opt.font, font, sizeof font, ferr) != 0) return av_err(err, "%s", ferr);
    stamp(a, "font_find");
    char terr[TEXT_ERR_CAP];
    a->text = text_create(font, terr);
    if (!a->text) return av_err(err, "%s", terr);
    a->measure = text_measure(a->text);
    dl_init(&a->dl, &a->measure);

    char dir[1024], gerr[GFX_ERR_CAP];
    if (!find_shaders(dir, sizeof dir))
        return av_err(err, "shaders/quad.vert not found next to the executable (looked in <exe>/../shaders and the install prefix)");
    if (gfx_init(&a->gfx, dir, gerr) != 0) return av_err(err, "%s", gerr);
    a->gfx_up = true;
    stamp(a, "fonts and shaders");
    return 0;
}

void app_shutdown(App *a) {
    if (a->gfx_up) gfx_shutdown(&a->gfx);
    dl_free(&a->dl);
    text_destroy(a->text);
    if (a->gl) SDL_GL_DeleteContext(a->gl);
    if (a->win) SDL_DestroyWindow(a->win);
    if (a->have_trace) trace_free(&a->trace);
    if (a->have_prev) trace_free(&a->prev);
    if (a->have_cmp) trace_free(&a->cmp);
    if (a->have_model) model_free(&a->model);
    app_close_lesson(a);
    free(a->entries);
    free(a->pinfo);
    a->entries = NULL;
    a->pinfo = NULL;
    a->n_entries = 0;
    if (a->ttf_up) TTF_Quit();
    if (a->sdl_up) SDL_Quit();
    a->gfx_up = a->have_trace = a->have_prev = a->have_cmp = a->have_model = a->ttf_up = a->sdl_up = false;
    a->st.cmp = NULL;
    a->st.prev = NULL;
    a->text = NULL;
    a->gl = NULL;
    a->win = NULL;
}

/* ---- drawing ---- */

void app_draw(App *a) {
    int ww, wh, fw, fh;
    SDL_GetWindowSize(a->win, &ww, &wh);
    SDL_GL_GetDrawableSize(a->win, &fw, &fh);
    if (ww <= 0 || wh <= 0 || fw <= 0 || fh <= 0) return;
    text_set_scale(a->text, (float)fw / (float)ww);
    app_build_frame(a, (float)ww, (float)wh);
    gfx_draw(&a->gfx, &a->dl, a->text, (float)ww, (float)wh, fw, fh, viz_background(a->st.dark));
    SDL_GL_SwapWindow(a->win);
    if (!a->first_frame_done) {
        a->first_frame_done = true;
        stamp(a, "first frame");   /* bench_frame reads this line */
    }
}

int app_render_rgb(App *a, int w, int h, uint8_t *rgb, char *err) {
    char gerr[GFX_ERR_CAP];
    if (gfx_offscreen_begin(&a->gfx, w, h, gerr) != 0) return av_err(err, "%s", gerr);
    text_set_scale(a->text, 1);
    app_build_frame(a, (float)w, (float)h);
    gfx_draw(&a->gfx, &a->dl, a->text, (float)w, (float)h, w, h, viz_background(a->st.dark));
    gfx_offscreen_read(&a->gfx, rgb);
    gfx_offscreen_end(&a->gfx);
    const char *e = gfx_error();
    if (e) return av_err(err, "OpenGL error rendering offscreen: %s", e);
    return 0;
}

/* ---- the clock and the keys ---- */

static const double MORPH_SECONDS = 0.6;   /* old weights → new after a switch */

static bool animating(const App *a) { return a->have_trace && !a->picking && ( a->st.playing || a->st.tau < a->stop_at || (a->st.prev && a->st.morph < 1)); }

/* Jump to the start of phase k (counted over all steps) and play it once. */
static void goto_phase(App *a, long k) {
    double end = viz_tau_end(&a->trace);
    if (k < 0) k = 0;
    if ((double)k >= end) k = (long)end - 1;
    a->st.tau = (double)k;
    a->stop_at = (double)k + 0.99999;
    a->dirty = true;
}

void app_update(App *a, double dt) {
    if (!a->have_trace) return;   /* the picker, a lesson's message */
    double end = viz_tau_end(&a->trace), rate = a->st.speed / PHASE_SECONDS;
    /* after step 1 the encoder phase only recalls the states: pass it quickly */
    if (a->st.tau >= PH_COUNT && fmod(a->st.tau, PH_COUNT) < 1) rate *= 5;
    if (a->st.playing) {
        a->st.tau += dt * rate;
        if (a->st.tau >= end - 1e-5) { a->st.tau = end - 1e-5; a->st.playing = false; }
        a->dirty = true;
    } else if (a->st.tau < a->stop_at) {
        a->st.tau = fmin(a->st.tau + dt * rate, a->stop_at);
        a->dirty = true;
    }
    if (a->st.prev && a->st.morph < 1) {
        double t = (double)(SDL_GetPerformanceCounter() - a->morph_t0) / (double)SDL_GetPerformanceFrequency();
        a->st.morph = (float)fmin(t / MORPH_SECONDS, 1);
        if (dt > MORPH_SECONDS) a->st.morph = 1;   /* a long step (tests): done */
        a->dirty = true;
    }
}

static void set_mouse(App *a, int x, int y) {
    a->st.mouse_in = true;
    a->st.mouse_x = (float)x;
    a->st.mouse_y = (float)y;
    a->dirty = true;
}

static void scrub(App *a, int x, int y) {
    double tau = viz_timeline_hit(&a->dl, &a->trace, (float)x, (float)y);
    if (tau < 0) return;
    a->st.tau = tau;
    a->stop_at = 0;
    a->dragging = true;
    a->dirty = true;
}

/* ---- typing an input ---- */

static void sync_edit(App *a) {
    a->st.editing = a->editing;
    a->st.edit_field = a->edit_field;
    a->st.edit_text[0] = a->edit[0];
    a->st.edit_text[1] = a->edit[1];
    a->st.composition = a->composition;
    a->dirty = true;
}

static void edit_open(App *a, int field) {
    if (!a->have_model) { say(a, ui(a, UI_M_TYPE_DEMO)); return; }
    if (!a->editing) {
        snprintf(a->edit[0], sizeof a->edit[0], "%s", a->input);
        snprintf(a->edit[1], sizeof a->edit[1], "%s", a->target);
    }
    a->editing = true;
    a->edit_field = field;
    a->composition[0] = 0;
    /* text input (and the input method) only while typing: otherwise an
     * active Korean IME would swallow the single-letter keys */
    if (a->win) {
        int w, h;
        SDL_GetWindowSize(a->win, &w, &h);
        float u = fminf((float)w / 1280.0f, (float)h / 720.0f);
        SDL_Rect r = {(int)(160 * u), (int)(150 * u), (int)((float)w - 200 * u), (int)(60 * u)};
        SDL_SetTextInputRect(&r);
        SDL_StartTextInput();
    }
    sync_edit(a);
}

static void edit_close(App *a) {
    a->editing = false;
    a->composition[0] = 0;
    if (a->win) SDL_StopTextInput();
    sync_edit(a);
}

/* Decode what was typed; on failure keep the fields open with the reason. */
static void edit_submit(App *a) {
    char err[AV_ERR_LEN], msg[AV_ERR_LEN + 32];
    if (!a->edit[0][0]) { say(a, ui(a, UI_M_INPUT_EMPTY)); return; }
    char in[1024], tg[1024];   /* copies: app_decode writes a->input */
    snprintf(in, sizeof in, "%s", a->edit[0]);
    snprintf(tg, sizeof tg, "%s", a->edit[1]);
    if (tg[0] && !a->target[0]) a->tf_on = true;   /* a new reference: show forcing */
    if (app_decode(a, a->model_path, in, tg, false, err) != 0) {
        snprintf(msg, sizeof msg, "%s", err);
        say(a, msg);
        return;
    }
    edit_close(a);
    goto_phase(a, 0);
}

static void edit_event(App *a, const SDL_Event *e) {
    char *f = a->edit[a->edit_field];
    switch (e->type) {
    case SDL_TEXTINPUT:
        if (strlen(f) + strlen(e->text.text) < sizeof a->edit[0]) strcat(f, e->text.text);
        else say(a, ui(a, UI_M_INPUT_FULL));
        a->composition[0] = 0;
        break;
    case SDL_TEXTEDITING:
        snprintf(a->composition, sizeof a->composition, "%s", e->edit.text);
        break;
    case SDL_KEYDOWN:
        switch (e->key.keysym.sym) {
        case SDLK_ESCAPE: edit_close(a); break;
        case SDLK_RETURN: case SDLK_KP_ENTER: edit_submit(a); break;
        case SDLK_TAB: a->edit_field = 1 - a->edit_field; break;
        case SDLK_BACKSPACE: if (!a->composition[0]) utf8_pop(f); break;
        default: break;
        }
        break;
    default: break;
    }
    sync_edit(a);
}

/* ---- examples and teacher forcing ---- */

/* A few sentences per task that show something worth seeing, each decoded
 * right by the shipped models (checked with `attnviz decode`): Tab cycles
 * through them first, then through the task's own test examples. */
static const struct { const char *task, *src, *tgt; } EXAMPLES[] = {
    {"en-ko", "I love you", "\xEB\x82\x98\xEB\x8A\x94 \xEB\x84\x88\xEB\xA5\xBC \xEC\x82\xAC\xEB\x9E\x91\xED\x95\xB4"},
    {"en-ko", "your mother helps us", "\xEB\x84\xA4 \xEC\x96\xB4\xEB\xA8\xB8\xEB\x8B\x88\xEB\x8A\x94 \xEC\x9A\xB0\xEB\xA6\xAC\xEB\xA5\xBC \xEB\x8F\x84\xEC\x99\x80"},
    {"en-ko", "he does not draw your singer", "\xEA\xB7\xB8\xEB\x8A\x94 \xEB\x84\xA4 \xEA\xB0\x80\xEC\x88\x98\xEB\xA5\xBC \xEA\xB7\xB8\xEB\xA6\xAC\xEC\xA7\x80 \xEC\x95\x8A\xEC\x95\x84"},
    {"en-fr", "the european economic area", "la zone \xC3\xA9" "conomique europ\xC3\xA9" "enne"},
    {"en-fr", "the red car", "la voiture rouge"},
    {"en-fr", "my white door is french", "ma porte blanche est fran\xC3\xA7" "aise"},
    {"dates", "21 November 2026", "2026-11-21"},
    {"dates", "2026\xEB\x85\x84 11\xEC\x9B\x94 21\xEC\x9D\xBC", "2026-11-21"},
    {"dates", "friday, 11 june 1976", "1976-06-11"},
    {"dates", "02/06/1994", "1994-06-02"},
    {"reverse", "attention", "noitnetta"},
    {"reverse", "encoder", "redocne"},
    {"reverse", "softmax", "xamtfos"},
    {"copy", "attention", "attention"},
    {"copy", "thebottleneckisonevectorforthewholesentence", "thebottleneckisonevectorforthewholesentence"},
};
enum { N_EXAMPLES = sizeof EXAMPLES / sizeof *EXAMPLES };

/* Every token of text is in the vocabulary (no <unk>). */
static bool all_known(const Vocab *v, TokenizerKind tk, const char *text) {
    int *ids = NULL, n = 0;
    char err[AV_ERR_LEN];
    if (encode_text(v, tk, text, &ids, &n, err) != 0) return false;
    bool ok = n > 0;
    for (int i = 0; i < n && ok; i++) ok = ids[i] != TOK_UNK;
    free(ids);
    return ok;
}

static void next_example(App *a) {
    const Task *tk = a->task[0] ? task_find(a->task) : NULL;
    if (!tk) { say(a, ui(a, UI_M_NO_EXAMPLES)); return; }
    char src[TASK_MAX_TEXT], tgt[TASK_MAX_TEXT], err[AV_ERR_LEN];
    int mine[N_EXAMPLES], n = 0;   /* this task's fixed examples the model can read */
    for (int i = 0; i < N_EXAMPLES; i++)
        if (strcmp(EXAMPLES[i].task, a->task) == 0 && all_known(&a->model.src, a->model.cfg.tokenizer, EXAMPLES[i].src) &&
            all_known(&a->model.tgt, a->model.cfg.tokenizer, EXAMPLES[i].tgt))
            mine[n++] = i;
    int k = a->example++;
    if (k < n) {
        snprintf(src, sizeof src, "%s", EXAMPLES[mine[k]].src);
        snprintf(tgt, sizeof tgt, "%s", EXAMPLES[mine[k]].tgt);
    } else {
        if (k >= n + 20) a->example = 0;   /* then round again */
        Rng r;
        rng_seed(&r, 1000 + (uint64_t)(k - n));
        tk->generate(&r, SPLIT_TEST, src, tgt, sizeof src);
    }
    if (app_decode(a, a->model_path, src, tgt, false, err) != 0) { say(a, err); return; }
    goto_phase(a, 0);
}

static void set_forcing(App *a, bool on, float p) {
    if (!a->target[0]) {
        say(a, ui(a, UI_M_TF_NEEDS_REF));
        return;
    }
    a->tf_on = on;
    a->tf_p = p < 0 ? 0 : p > 1 ? 1 : p;
    char err[AV_ERR_LEN], in[1024], tg[1024];
    snprintf(in, sizeof in, "%s", a->input);
    snprintf(tg, sizeof tg, "%s", a->target);
    if (app_decode(a, a->model_path, in, tg, true, err) != 0) say(a, err);
}

/* ---- the model menu ---- */

/* The task of a model file "<task>-<score>[-variant].safetensors" (a task
 * the app knows, else ""), and a key that sorts by task in the tasks'
 * order, then by score (none, dot, scaled_dot, general, concat, additive),
 * then by name. */
static void menu_classify(const char *file, char group[48], char key[200]) {
    int ti = 99, si = 9;
    group[0] = 0;
    for (int i = 0; i < task_count(); i++) {
        const char *t = task_at(i)->name;
        size_t l = strlen(t);
        if (strncmp(file, t, l) == 0 && file[l] == '-' && l < 48 && l > strlen(group)) {
            snprintf(group, 48, "%s", t);
            ti = i;
        }
    }
    if (group[0]) {
        const char *rest = file + strlen(group) + 1;
        for (int k = SCORE_NONE; k <= SCORE_ADDITIVE; k++) {
            size_t l = strlen(score_name((ScoreKind)k));
            if (strncmp(rest, score_name((ScoreKind)k), l) == 0 && (rest[l] == '-' || rest[l] == '.')) si = k;
        }
    }
    const char *dot = strrchr(file, '.');   /* the stem: "copy-none" before "copy-none-reversed" */
    int stem = dot ? (int)(dot - file) : (int)strlen(file);
    snprintf(key, 200, "%02d%d%.*s", ti, si, stem < 180 ? stem : 180, file);
}

static void menu_add_dir(App *a, const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) && a->menu_n < 64) {
        size_t l = strlen(e->d_name);
        if (l <= 12 || strcmp(e->d_name + l - 12, ".safetensors") != 0) continue;
        char path[1024], real[PATH_MAX];
        snprintf(path, sizeof path, "%.800s/%.200s", dir, e->d_name);
        if (!realpath(path, real)) continue;
        bool dup = false;
        for (int i = 0; i < a->menu_n && !dup; i++) dup = strcmp(a->menu_path[i], real) == 0;
        if (dup) continue;
        snprintf(a->menu_path[a->menu_n], sizeof a->menu_path[0], "%.1000s", real);
        snprintf(a->menu_label[a->menu_n], sizeof a->menu_label[0], "%.100s   (%.50s)", e->d_name, dir);
        menu_classify(e->d_name, a->menu_group[a->menu_n], a->menu_key[a->menu_n]);
        a->menu_n++;
    }
    closedir(d);
}

static int cmp_label(const void *x, const void *y) { return strcmp((const char *)x, (const char *)y); }

static void menu_open(App *a) {
    a->menu_n = 0;
    char dir[1024];
    if (find_models_dir(dir, sizeof dir)) {
        char real[PATH_MAX];
        if (realpath(dir, real)) menu_add_dir(a, real);
    }
    if (a->have_model) {   /* the folder of a --model from elsewhere too */
        char d[1024];
        snprintf(d, sizeof d, "%s", a->model_path);
        char *sl = strrchr(d, '/');
        if (sl) *sl = 0;
        else snprintf(d, sizeof d, ".");
        char real[PATH_MAX];
        if (realpath(d, real)) menu_add_dir(a, real);
    }
    /* grouped by task: sort by key (then label), keeping each entry's fields together */
    for (int i = 1; i < a->menu_n; i++)
        for (int j = i; j > 0; j--) {
            int c = strcmp(a->menu_key[j - 1], a->menu_key[j]);
            if (c < 0 || (c == 0 && cmp_label(a->menu_label[j - 1], a->menu_label[j]) <= 0)) break;
            char tp[1024], tl[160], tk[200], tg[48];
            memcpy(tp, a->menu_path[j], sizeof tp); memcpy(a->menu_path[j], a->menu_path[j - 1], sizeof tp); memcpy(a->menu_path[j - 1], tp, sizeof tp);
            memcpy(tl, a->menu_label[j], sizeof tl); memcpy(a->menu_label[j], a->menu_label[j - 1], sizeof tl); memcpy(a->menu_label[j - 1], tl, sizeof tl);
            memcpy(tk, a->menu_key[j], sizeof tk); memcpy(a->menu_key[j], a->menu_key[j - 1], sizeof tk); memcpy(a->menu_key[j - 1], tk, sizeof tk);
            memcpy(tg, a->menu_group[j], sizeof tg); memcpy(a->menu_group[j], a->menu_group[j - 1], sizeof tg); memcpy(a->menu_group[j - 1], tg, sizeof tg);
        }
    char cur[PATH_MAX] = "";
    if (a->have_model && !realpath(a->model_path, cur)) cur[0] = 0;
    a->st.menu_cur = -1;
    for (int i = 0; i < a->menu_n; i++) {
        a->menu_ptr[i] = a->menu_label[i];
        a->menu_group_ptr[i] = a->menu_group[i][0] ? a->menu_group[i] : ui(a, UI_MENU_OTHER);
        if (strcmp(a->menu_path[i], cur) == 0) a->st.menu_cur = i;
    }
    a->st.menu = a->menu_ptr;
    a->st.menu_group = a->menu_group_ptr;
    a->st.menu_n = a->menu_n;
    a->st.menu_sel = a->st.menu_cur >= 0 ? a->st.menu_cur : 0;
    a->st.menu_open = true;
    a->dirty = true;
}

/* Load the chosen model: the same input when it has the same task, else an
 * example of its own task. A broken file leaves everything as it was. */
static void menu_choose(App *a, int i) {
    if (i < 0 || i >= a->menu_n) return;
    a->st.menu_open = false;
    a->dirty = true;
    char err[AV_ERR_LEN], in[1024], tg[1024], task[64];
    snprintf(in, sizeof in, "%s", a->input);
    snprintf(tg, sizeof tg, "%s", a->target);
    snprintf(task, sizeof task, "%s", a->task);
    Model probe;
    if (model_load(&probe, a->menu_path[i], err) != 0) { say(a, err); return; }
    bool same = probe.task && strcmp(probe.task, task) == 0;
    model_free(&probe);
    if (a->cmp_mode) compare_off(a);
    if (app_decode(a, a->menu_path[i], same ? in : NULL, same ? tg : NULL, false, err) != 0) { say(a, err); return; }
    if (!same) a->example = 0;   /* Tab: this task's examples from the first */
    goto_phase(a, 0);
}

static void menu_event(App *a, const SDL_Event *e) {
    if (e->type == SDL_KEYDOWN) {
        SDL_Keycode k = e->key.keysym.sym;
        if (k == SDLK_ESCAPE || k == SDLK_m) a->st.menu_open = false;
        else if (k == SDLK_UP && a->st.menu_sel > 0) a->st.menu_sel--;
        else if (k == SDLK_DOWN && a->st.menu_sel + 1 < a->menu_n) a->st.menu_sel++;
        else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) menu_choose(a, a->st.menu_sel);
    } else if (e->type == SDL_MOUSEBUTTONDOWN && e->button.button == SDL_BUTTON_LEFT) {
        for (int i = 0; i < a->dl.n; i++) {
            const DlCmd *c = &a->dl.cmds[i];
            if (c->tag == VIZ_TAG_MENU_ITEM && e->button.x >= c->x && e->button.x < c->x + c->w &&
                e->button.y >= c->y && e->button.y < c->y + c->h) { menu_choose(a, c->a); return; }
        }
    } else if (e->type == SDL_MOUSEMOTION) {
        set_mouse(a, e->motion.x, e->motion.y);
    }
    a->dirty = true;
}

/* p from a point on the slider, in steps of 0.05; false when not on it */
static bool slide(App *a, float x, float y) {
    for (int i = 0; i < a->dl.n; i++) {
        const DlCmd *c = &a->dl.cmds[i];
        if (c->tag != VIZ_TAG_TF_SLIDER) continue;
        if (!a->sliding && (x < c->x - 6 || x > c->x + c->w + 6 || y < c->y - 10 || y > c->y + c->h + 10)) return false;
        float p = roundf((x - c->x) / c->w * 20) / 20;
        p = p < 0 ? 0 : p > 1 ? 1 : p;
        if (!a->tf_on || fabsf(p - a->tf_p) > 1e-4f) set_forcing(a, true, p);
        return true;
    }
    return false;
}

/* ---- lesson mode (issue 7) ---- */

static void goto_phase(App *a, long k);
static void edit_close(App *a);

/* The language of the UI strings: the lesson's folder, else --lang / the locale. */

void app_close_lesson(App *a) {
    if (a->have_lesson) lesson_free(&a->lesson);
    if (a->have_chart) chart_free(&a->chart);
    a->have_lesson = a->have_chart = false;
    a->slide = 0;
    a->slide_err[0] = a->chart_err[0] = 0;
    a->dirty = true;
}

int app_open_picker(App *a, const char *root, char *err) {
    LessonEntry *e = NULL;
    int n = 0;
    if (!a->lang[0]) snprintf(a->lang, sizeof a->lang, "en");
    if (lesson_list(root, a->lang, &e, &n, err) != 0) return -1;
    PickerInfo *pi = calloc((size_t)(n > 0 ? n : 1), sizeof *pi);
    if (!pi) { free(e); return av_err(err, "out of memory listing the lessons"); }
    picker_info(e, n, pi);
    free(a->entries);
    free(a->pinfo);
    a->entries = e;
    a->pinfo = pi;
    a->n_entries = n;
    if (a->pick_sel >= n) a->pick_sel = n > 0 ? n - 1 : 0;
    if (root != a->lessons_dir) snprintf(a->lessons_dir, sizeof a->lessons_dir, "%s", root);
    a->picking = true;
    a->dirty = true;
    return 0;
}

int app_open_lesson(App *a, const char *path, char *err) {
    Lesson l;
    if (lesson_load(path, &l, err) != 0) {
        snprintf(a->lesson_err, sizeof a->lesson_err, "%s", err);
        a->dirty = true;
        return -1;
    }
    app_close_lesson(a);
    if (a->narr_px <= 0) a->narr_px = 20;
    if (!a->lang[0]) snprintf(a->lang, sizeof a->lang, "en");
    a->lesson = l;
    a->have_lesson = true;
    a->lesson_err[0] = 0;
    a->picking = false;
    a->dirty = true;
    return 0;
}

int app_enter_slide(App *a, int i, bool animate) {
    if (!a->have_lesson || a->lesson.n_slides < 1) return -1;
    if (i < 0) i = 0;
    if (i >= a->lesson.n_slides) i = a->lesson.n_slides - 1;
    const LessonSlide *s = &a->lesson.slides[i];
    a->slide = i;
    a->narr_scroll = 0;
    a->slide_err[0] = 0;
    a->st.help = a->st.menu_open = false;
    if (a->editing) edit_close(a);
    say(a, "");
    a->dirty = true;
    char dir[1024], path[1200], name[LESSON_MAX_NAME], err[AV_ERR_LEN];
    bool have_dir = find_models_dir(dir, sizeof dir);
    if (s->chart) {
        if (a->have_chart) chart_free(&a->chart);
        a->have_chart = false;
        a->chart_err[0] = 0;
        if (!have_dir) {
            snprintf(a->chart_err, sizeof a->chart_err, ui(a, UI_M_CHART_NO_DIR), s->chart);
        } else {
            snprintf(path, sizeof path, "%.1000s/%s.tsv", dir, s->chart);
            a->have_chart = chart_load_tsv(path, &a->chart, a->chart_err) == 0;
        }
        if (a->have_chart) snprintf(a->chart.lang, sizeof a->chart.lang, "%s", ui_lang(a));
        a->st.playing = false;
        a->stop_at = 0;
        return 0;
    }
    int rc = s->compare[0] >= 0 ? lesson_model_with_score(s->model, (ScoreKind)s->compare[0], name, sizeof name)
                                : lesson_slide_model(s, name, sizeof name);
    if (rc != 0 || !s->input) {
        snprintf(a->slide_err, sizeof a->slide_err, ui(a, UI_M_SLIDE_NO_MODEL), a->lesson.path, s->line);
        return -1;
    }
    if (!have_dir) {
        snprintf(a->slide_err, sizeof a->slide_err, ui(a, UI_M_SLIDE_NO_DIR), a->lesson.path,
                 s->dline[LD_MODEL] ? s->dline[LD_MODEL] : s->line, name);
        return -1;
    }
    snprintf(path, sizeof path, "%.1000s/%s.safetensors", dir, name);
    if (a->cmp_mode) compare_off(a);
    a->example = 0;
    a->tf_on = s->teacher_forcing >= 0;
    a->tf_p = s->teacher_forcing >= 0 ? s->teacher_forcing : 0.5f;
    a->opt.seed = (s->set >> LD_SEED & 1) ? s->seed : a->base_seed;
    const char *tg = s->target ? s->target : "";
    /* the same sentence with another model (a score switch): morph */
    bool morph = animate && a->have_trace && strcmp(a->input, s->input) == 0 && strcmp(a->target, tg) == 0 &&
                 strcmp(a->model_path, path) != 0;
    if (app_decode(a, path, s->input, s->target, morph, err) != 0) {
        snprintf(a->slide_err, sizeof a->slide_err, "%.200s:%d: %.290s", a->lesson.path,
                 s->dline[LD_MODEL] ? s->dline[LD_MODEL] : s->line, err);
        return -1;
    }
    if (s->compare[0] >= 0 || s->side_by_side) {
        a->cmp_mode = s->side_by_side ? 2 : 1;
        a->cmp_score = (ScoreKind)s->compare[1];
        if (compare_refresh(a, err) != 0) {
            snprintf(a->slide_err, sizeof a->slide_err, "%.200s:%d: %.290s", a->lesson.path,
                     s->dline[s->side_by_side ? LD_SIDE_BY_SIDE : LD_COMPARE], err);
            return -1;
        }
    }
    int step = lesson_slide_step(s, a->trace.T);
    Phase ph = lesson_slide_phase(s);
    double t0 = viz_tau_at(&a->trace, step, ph);
    a->st.playing = false;
    if (animate) {   /* the slide's phase plays once, then holds */
        a->st.tau = t0;
        a->stop_at = t0 + 0.99999;
    } else {         /* the phase complete, as the screenshot's --step/--phase */
        a->st.tau = t0 + 0.99999;
        a->stop_at = 0;
    }
    return 0;
}

/* The key help (VizState.help_lines) in the view's language: in a lesson,
 * its keys first and its Esc instead of the view's; key NULL is the mouse.
 * Returns the number of lines written to out. */
static int app_help_lines(App *a, VizHelpLine *out, int cap) {
    static const struct { const char *key; UiStr what; } LESSON_KEYS[] = {
        {"PgDn  PgUp", UI_H_SLIDE}, {"Ctrl+=  Ctrl+-", UI_H_NARR}, {"Esc", UI_H_BACK}};
    static const struct { const char *key; UiStr what; } VIEW_KEYS[] = {
        {"Space", UI_H_PLAY}, {"→  ←", UI_H_PHASE}, {"↓  ↑", UI_H_STEP}, {"Home  End", UI_H_FIRST_LAST},
        {"+  -", UI_H_SPEED}, {"1 … 6", UI_H_SCORE}, {"Enter", UI_H_ENTER}, {"Tab", UI_H_TAB},
        {"T   [  ]", UI_H_TF}, {"C", UI_H_CMP}, {"V", UI_H_FREE}, {"M", UI_H_MODELS},
        {"D", UI_H_THEME}, {"F", UI_H_FULL}, {"R", UI_H_SHADERS}, {NULL, UI_H_MOUSE},
        {"?", UI_H_HELP}, {"Esc", UI_H_QUIT}};
    const char *lang = a->st.lang;
    int n = 0;
    if (a->have_lesson)
        for (size_t i = 0; i < sizeof LESSON_KEYS / sizeof *LESSON_KEYS && n < cap; i++)
            out[n++] = (VizHelpLine){LESSON_KEYS[i].key, ui_str(lang, LESSON_KEYS[i].what)};
    for (size_t i = 0; i < sizeof VIEW_KEYS / sizeof *VIEW_KEYS && n < cap; i++) {
        if (a->have_lesson && VIEW_KEYS[i].key && strcmp(VIEW_KEYS[i].key, "Esc") == 0) continue;
        out[n++] = (VizHelpLine){VIEW_KEYS[i].key ? VIEW_KEYS[i].key : ui_str(lang, UI_K_MOUSE),
                                 ui_str(lang, VIEW_KEYS[i].what)};
    }
    return n;
}

/* The view's frame, with the key help in the view's language. */
static void app_viz_build(App *a, float W, float H) {
    a->st.help_n = app_help_lines(a, a->help, (int)(sizeof a->help / sizeof *a->help));
    a->st.help_lines = a->help;
    viz_build(&a->dl, &a->trace, &a->st, W, H);
}

/* The view's design width beside the narration (view.h: design_w). */
static const float LESSON_DESIGN_W = 960;

/* Where the narration panel starts in a W-wide window (W when no lesson). */
static float narration_x(const App *a, float W) {
    if (!a->have_lesson || a->picking) return W;
    return W - narration_panel_width(W, a->narr_px);
}

void app_build_frame(App *a, float W, float H) {
    DrawList *dl = &a->dl;
    bool dark = a->st.dark;
    float px = a->narr_px > 0 ? a->narr_px : 20;
    if (a->picking) {
        dl_clear(dl);
        picker_build(dl, a->entries, a->pinfo, a->n_entries, a->pick_sel, W, H, dark, a->lang);
        return;
    }
    if (!a->have_lesson && a->lesson_err[0]) {   /* a lesson that does not load: its message */
        dl_clear(dl);
        dl_rect(dl, 0, 0, W, H, viz_background(dark));
        float m = W * 0.06f;
        narration_message(dl, m, m, W - 2 * m, H - 2 * m, dark, px * 1.1f, ui_str(a->lang, UI_BROKEN), a->lesson_err);
        return;
    }
    if (!a->have_lesson) {
        app_viz_build(a, W, H);
        return;
    }
    const LessonSlide *s = &a->lesson.slides[a->slide];
    float aw = narration_x(a, W), pw = W - aw;
    if (s->chart || a->slide_err[0] || !a->have_trace) {
        float m = px * 0.8f;
        dl_clear(dl);
        dl_rect(dl, 0, 0, aw, H, viz_background(dark));
        if (a->slide_err[0])
            narration_message(dl, m, m, aw - 2 * m, H - 2 * m, dark, px,
                              ui(a, UI_M_SLIDE_BROKEN),
                              a->slide_err);
        else if (s->chart && a->have_chart)
            chart_build(dl, &a->chart, m, m, aw - 2 * m, H - 2 * m, dark);
        else
            narration_message(dl, m, m, aw - 2 * m, H - 2 * m, dark, px, ui_str(ui_lang(a), UI_CHART_TITLE),
                              a->chart_err[0] ? a->chart_err : ui(a, UI_M_NO_CHART));
    } else {
        a->st.design_w = LESSON_DESIGN_W;   /* the type stays large in the narrower area */
        a->st.lang = ui_lang(a);
        app_viz_build(a, aw, H);
        a->st.design_w = 0;
        a->st.lang = a->lang[0] ? a->lang : NULL;
    }
    int n0 = dl->n;
    size_t c0 = dl->nchars;
    for (int pass = 0; pass < 2; pass++) {
        NarrationDesc d = {aw, 0, pw, H, px, dark, a->slide, a->lesson.n_slides, a->lesson.title, ui_lang(a), a->narr_scroll};
        narration_build(dl, s, &d, &a->narr);
        float sc = a->narr_scroll > a->narr.max_scroll ? a->narr.max_scroll : a->narr_scroll < 0 ? 0 : a->narr_scroll;
        if (sc == a->narr_scroll) break;
        a->narr_scroll = sc;   /* scrolled past the end (a larger font, a resize): again, clamped */
        dl->n = n0;
        dl->nchars = c0;
        dl->last = n0 - 1;
    }
}

static void picker_choose(App *a, int i) {
    if (i < 0 || i >= a->n_entries) return;
    a->pick_sel = i;
    a->dirty = true;
    if (a->entries[i].error[0]) return;   /* shown in its row already */
    char err[AV_ERR_LEN];
    if (app_open_lesson(a, a->entries[i].path, err) != 0) {
        snprintf(a->entries[i].error, sizeof a->entries[i].error, "%s", err);
        a->lesson_err[0] = 0;
        return;
    }
    a->from_picker = true;
    app_enter_slide(a, 0, true);
}

static void picker_event(App *a, const SDL_Event *e) {
    switch (e->type) {
    case SDL_QUIT: a->quit = true; break;
    case SDL_WINDOWEVENT: a->dirty = true; break;
    case SDL_MOUSEMOTION: set_mouse(a, e->motion.x, e->motion.y); break;
    case SDL_MOUSEWHEEL:
        a->pick_sel -= e->wheel.y;
        if (a->pick_sel >= a->n_entries) a->pick_sel = a->n_entries - 1;
        if (a->pick_sel < 0) a->pick_sel = 0;
        a->dirty = true;
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) picker_choose(a, picker_hit(&a->dl, (float)e->button.x, (float)e->button.y));
        break;
    case SDL_KEYDOWN: {
        SDL_Keycode k = e->key.keysym.sym;
        if (k == SDLK_ESCAPE) a->quit = true;
        else if (k == SDLK_UP && a->pick_sel > 0) a->pick_sel--;
        else if (k == SDLK_DOWN && a->pick_sel + 1 < a->n_entries) a->pick_sel++;
        else if (k == SDLK_HOME) a->pick_sel = 0;
        else if (k == SDLK_END && a->n_entries > 0) a->pick_sel = a->n_entries - 1;
        else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) picker_choose(a, a->pick_sel);
        else if (k == SDLK_l) {   /* English ↔ Korean */
            char err[AV_ERR_LEN], old[8];
            snprintf(old, sizeof old, "%s", a->lang);
            snprintf(a->lang, sizeof a->lang, "%s", strcmp(a->lang, "ko") == 0 ? "en" : "ko");
            if (app_open_picker(a, a->lessons_dir, err) != 0) snprintf(a->lang, sizeof a->lang, "%s", old);
        } else if (k == SDLK_d) a->st.dark = !a->st.dark;
        else if (k == SDLK_f && a->win) {
            bool fs = SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN_DESKTOP;
            SDL_SetWindowFullscreen(a->win, fs ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        }
        a->dirty = true;
        break;
    }
    default: break;
    }
}

/* Keys and the wheel of lesson mode; true when the event was used. */
static bool lesson_event(App *a, const SDL_Event *e) {
    if (e->type == SDL_MOUSEWHEEL) {
        int w = 1280, h = 720;
        if (a->win) SDL_GetWindowSize(a->win, &w, &h);
        if (!a->st.mouse_in || a->st.mouse_x < narration_x(a, (float)w)) return false;
        a->narr_scroll -= (float)e->wheel.y * 3 * a->narr_px * 1.3f;
        if (a->narr_scroll < 0) a->narr_scroll = 0;
        if (a->narr_scroll > a->narr.max_scroll) a->narr_scroll = a->narr.max_scroll;
        a->dirty = true;
        return true;
    }
    if (e->type != SDL_KEYDOWN) return false;
    SDL_Keycode k = e->key.keysym.sym;
    bool ctrl = e->key.keysym.mod & KMOD_CTRL;
    if (k == SDLK_PAGEDOWN) {
        if (a->slide + 1 < a->lesson.n_slides) app_enter_slide(a, a->slide + 1, true);
    } else if (k == SDLK_PAGEUP) {
        if (a->slide > 0) app_enter_slide(a, a->slide - 1, true);
    } else if (ctrl && (k == SDLK_EQUALS || k == SDLK_PLUS || k == SDLK_KP_PLUS)) {
        a->narr_px = fminf(a->narr_px + 2, 40);
    } else if (ctrl && (k == SDLK_MINUS || k == SDLK_KP_MINUS)) {
        a->narr_px = fmaxf(a->narr_px - 2, 12);
    } else if (k == SDLK_ESCAPE && !a->st.help) {
        if (a->from_picker) {
            app_close_lesson(a);
            a->picking = true;
        } else {
            a->quit = true;
        }
    } else {
        return false;
    }
    a->dirty = true;
    return true;
}

/* ---- events ---- */

void app_event(App *a, const SDL_Event *e) {
    VizState *st = &a->st;
    long k = (long)floor(st->tau);
    if (a->picking) { picker_event(a, e); return; }
    if ((e->type == SDL_KEYDOWN || e->type == SDL_MOUSEBUTTONDOWN) && a->message[0]) say(a, "");
    if (a->editing && (e->type == SDL_TEXTINPUT || e->type == SDL_TEXTEDITING || e->type == SDL_KEYDOWN)) {
        edit_event(a, e);
        return;
    }
    if (a->st.menu_open && (e->type == SDL_KEYDOWN || e->type == SDL_MOUSEBUTTONDOWN || e->type == SDL_MOUSEMOTION)) {
        menu_event(a, e);
        return;
    }
    if (a->have_lesson && lesson_event(a, e)) return;
    if (!a->have_trace || (a->have_lesson && (a->lesson.slides[a->slide].chart || a->slide_err[0]))) {
        /* nothing animated on screen (a chart, a message): only these */
        if (e->type == SDL_QUIT) a->quit = true;
        else if (e->type == SDL_WINDOWEVENT) a->dirty = true;
        else if (e->type == SDL_MOUSEMOTION) set_mouse(a, e->motion.x, e->motion.y);
        else if (e->type == SDL_KEYDOWN) {
            SDL_Keycode k = e->key.keysym.sym;
            if (k == SDLK_ESCAPE) a->quit = true;
            else if (k == SDLK_d) a->st.dark = !a->st.dark;
            else if (k == SDLK_f && a->win) {
                bool fs = SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN_DESKTOP;
                SDL_SetWindowFullscreen(a->win, fs ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
            }
            a->dirty = true;
        }
        return;
    }
    switch (e->type) {
    case SDL_QUIT: a->quit = true; break;
    case SDL_WINDOWEVENT: a->dirty = true; if (e->window.event == SDL_WINDOWEVENT_LEAVE) st->mouse_in = false; break;
    case SDL_MOUSEMOTION:
        set_mouse(a, e->motion.x, e->motion.y);
        if (a->dragging) scrub(a, e->motion.x, e->motion.y);
        if (a->sliding) slide(a, (float)e->motion.x, (float)e->motion.y);
        break;
    case SDL_MOUSEBUTTONDOWN: {
        if (e->button.button != SDL_BUTTON_LEFT) break;
        float x = (float)e->button.x, y = (float)e->button.y;
        bool on;
        int sk = viz_score_hit(&a->dl, x, y, &on);
        if (sk >= 0) { app_switch_score(a, (ScoreKind)sk); break; }
        if (slide(a, x, y)) { a->sliding = true; break; }
        for (int i = 0; i < a->dl.n; i++) {   /* a click on the fields or the source opens the input */
            const DlCmd *c = &a->dl.cmds[i];
            bool in = x >= c->x && x < c->x + c->w && y >= c->y && y < c->y + c->h;
            if (in && c->tag == VIZ_TAG_EDIT_FIELD) { edit_open(a, c->a); return; }
            if (in && c->tag == VIZ_TAG_SRC_TOKEN) { edit_open(a, 0); return; }
            if (in && c->tag == VIZ_TAG_ALIGN_CELL && !a->st.cmp) {   /* a row of the matrix: that step, same phase */
                goto_phase(a, (long)c->a * PH_COUNT + (long)(k % PH_COUNT));
                return;
            }
        }
        scrub(a, e->button.x, e->button.y);
        break;
    }
    case SDL_MOUSEBUTTONUP: a->dragging = a->sliding = false; break;
    case SDL_KEYDOWN: {
        SDL_Keycode key = e->key.keysym.sym;
        bool shift = e->key.keysym.mod & KMOD_SHIFT;
        /* US-layout punctuation by key code: text input is off outside the fields */
        if (key == SDLK_SLASH && shift) key = SDLK_QUESTION;
        if (key == SDLK_EQUALS && shift) key = SDLK_PLUS;
        int step = (int)(k / PH_COUNT), ph = (int)(k % PH_COUNT);
        static const ScoreKind DIGIT[6] = {SCORE_NONE, SCORE_DOT, SCORE_GENERAL, SCORE_CONCAT, SCORE_ADDITIVE, SCORE_SCALED_DOT};
        if (key == SDLK_ESCAPE) {
            if (st->help) st->help = false;
            else a->quit = true;
        } else if (key == SDLK_SPACE) {
            if (!st->playing && st->tau >= viz_tau_end(&a->trace) - 1e-3) st->tau = 0;
            st->playing = !st->playing;
            a->stop_at = 0;
        } else if (key == SDLK_RIGHT) goto_phase(a, k + 1);
        else if (key == SDLK_LEFT) goto_phase(a, k - 1);
        else if (key == SDLK_DOWN) goto_phase(a, (long)(step + 1) * PH_COUNT + ph);
        else if (key == SDLK_UP) goto_phase(a, (long)(step - 1) * PH_COUNT + ph);
        else if (key == SDLK_HOME) goto_phase(a, 0);
        else if (key == SDLK_END) { st->tau = viz_tau_end(&a->trace) - 1e-5; a->stop_at = 0; st->playing = false; }
        else if (key == SDLK_KP_PLUS || key == SDLK_PLUS) st->speed = fminf(st->speed * 1.5f, 8);
        else if (key == SDLK_KP_MINUS || key == SDLK_MINUS) st->speed = fmaxf(st->speed / 1.5f, 0.25f);
        else if (key == SDLK_QUESTION) st->help = !st->help;
        else if (key == SDLK_LEFTBRACKET && a->tf_on) set_forcing(a, true, a->tf_p - 0.1f);
        else if (key == SDLK_RIGHTBRACKET && a->tf_on) set_forcing(a, true, a->tf_p + 0.1f);
        else if (key >= SDLK_1 && key <= SDLK_6) app_switch_score(a, DIGIT[key - SDLK_1]);
        else if (key == SDLK_RETURN || key == SDLK_KP_ENTER) edit_open(a, 0);
        else if (key == SDLK_TAB) next_example(a);
        else if (key == SDLK_t) set_forcing(a, !a->tf_on, a->tf_p);
        else if (key == SDLK_c) app_compare(a, 1);
        else if (key == SDLK_m) { if (a->have_model) menu_open(a); else say(a, ui(a, UI_M_MENU_DEMO)); }
        else if (key == SDLK_v) app_compare(a, 2);
        else if (key == SDLK_r) {   /* reload shaders/ (a failed compile keeps the old program) */
            char gerr[GFX_ERR_CAP];
            if (gfx_reload(&a->gfx, gerr) != 0) { fprintf(stderr, "attnviz: %s\n", gerr); say(a, gerr); }
        } else if (key == SDLK_d) st->dark = !st->dark;
        else if (key == SDLK_f) {
            bool fs = SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN_DESKTOP;
            if (SDL_SetWindowFullscreen(a->win, fs ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP) != 0)
                fprintf(stderr, "attnviz: full screen: %s\n", SDL_GetError());
        } else break;
        a->dirty = true;
        break;
    }
    default: break;
    }
}

/* ---- options ---- */

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

static int parse(int argc, char **argv, AppOptions *o) {
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->phase = -1;
    o->progress = 1;
    o->mouse_x = o->mouse_y = -1;
    o->width = 1280;
    o->height = 720;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        const char *v = has ? argv[i + 1] : NULL;
#define NEED() do { if (!has) { fprintf(stderr, "attnviz view: %s needs a value\n", a); return -1; } i++; } while (0)
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 1; }
        else if (!strcmp(a, "--model")) { NEED(); o->model = v; }
        else if (!strcmp(a, "--input")) { NEED(); o->input = v; }
        else if (!strcmp(a, "--target")) { NEED(); o->target = v; }
        else if (!strcmp(a, "--font")) { NEED(); o->font = v; }
        else if (!strcmp(a, "--screenshot")) { NEED(); o->screenshot = v; }
        else if (!strcmp(a, "--lesson")) { NEED(); o->lesson = v; }
        else if (!strcmp(a, "--slide")) { NEED(); long n; if (cli_int("view", a, v, 1, LESSON_MAX_SLIDES, &n)) return -1; o->slide = (int)n; }
        else if (!strcmp(a, "--lang")) {
            NEED();
            if (strcmp(v, "en") && strcmp(v, "ko")) { fprintf(stderr, "attnviz view: --lang: en or ko, got '%s'\n", v); return -1; }
            o->lang = v;
        }
        else if (!strcmp(a, "--demo")) o->demo = true;
        else if (!strcmp(a, "--play")) o->play = true;
        else if (!strcmp(a, "--teacher-forcing")) { NEED(); if (cli_float("view", a, v, 0, 1, &o->teacher_forcing)) return -1; }
        else if (!strcmp(a, "--seed")) { NEED(); if (cli_u64("view", a, v, &o->seed)) return -1; }
        else if (!strcmp(a, "--mouse")) {
            NEED();
            char c;
            if (sscanf(v, "%d,%d%c", &o->mouse_x, &o->mouse_y, &c) != 2 || o->mouse_x < 0 || o->mouse_y < 0) {
                fprintf(stderr, "attnviz view: --mouse: expected X,Y (window units), got '%s'\n", v);
                return -1;
            }
        } else if (!strcmp(a, "--help-overlay")) o->help_overlay = true;
        else if (!strcmp(a, "--progress")) { NEED(); if (cli_float("view", a, v, 0, 1, &o->progress)) return -1; }
        else if (!strcmp(a, "--step")) { NEED(); long n; if (cli_int("view", a, v, 1, 100000, &n)) return -1; o->step = (int)n; }
        else if (!strcmp(a, "--phase")) {
            NEED();
            Phase ph;
            if (phase_parse(v, &ph) == 0) o->phase = ph;
            else {
                fprintf(stderr, "attnviz view: --phase: '%s' is not one of encoder query scores softmax context combine output next\n", v);
                return -1;
            }
        } else if (!strcmp(a, "--theme")) {
            NEED();
            if (strcmp(v, "light") && strcmp(v, "dark")) { fprintf(stderr, "attnviz view: --theme: light or dark, got '%s'\n", v); return -1; }
            o->dark = !strcmp(v, "dark");
        } else if (!strcmp(a, "--size")) {
            NEED();
            int w, h;
            char c;
            if (sscanf(v, "%dx%d%c", &w, &h, &c) != 2 || w < 320 || h < 240 || w > 8192 || h > 8192) {
                fprintf(stderr, "attnviz view: --size: expected WxH from 320x240 to 8192x8192, got '%s'\n", v);
                return -1;
            }
            o->width = w;
            o->height = h;
        } else {
            fprintf(stderr, "attnviz view: unknown option '%s' (see attnviz view --help)\n", a);
            return -1;
        }
#undef NEED
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

/* ---- the two ways to run: a screenshot, or the window ---- */

static int screenshot(App *a) {
    char err[AV_ERR_LEN];
    const Trace *tr = &a->trace;
    /* a lesson slide sets its own step and phase: --step/--phase override them when given */
    bool slide = a->have_lesson || a->picking;
    if (a->have_trace && (!slide || a->opt.step || a->opt.phase >= 0 || a->opt.progress < 1)) {
        int cur_step = 0, cur_phase = 0;
        float prog;
        viz_clock(tr, a->st.tau, &cur_step, &cur_phase, &prog);
        int step = a->opt.step ? a->opt.step : slide ? cur_step + 1 : tr->T;
        if (step > tr->T) {
            fprintf(stderr, "attnviz view: --step %d: this decoding has %d steps\n", step, tr->T);
            return EXIT_USAGE;
        }
        int phase = a->opt.phase >= 0 ? a->opt.phase : slide ? cur_phase : PH_COUNT - 1;
        a->st.tau = viz_tau_at(tr, step, phase) + fmin(a->opt.progress, 0.99999);   /* default: the end of that phase */
    }
    if (a->opt.mouse_x >= 0) {
        a->st.mouse_in = true;
        a->st.mouse_x = (float)a->opt.mouse_x;
        a->st.mouse_y = (float)a->opt.mouse_y;
    }
    a->st.help = a->opt.help_overlay;
    int w = a->opt.width, h = a->opt.height;
    uint8_t *rgb = malloc((size_t)w * h * 3);
    if (!rgb) { fprintf(stderr, "attnviz view: out of memory for a %dx%d screenshot\n", w, h); return EXIT_USER; }
    int rc = app_render_rgb(a, w, h, rgb, err);
    if (rc == 0) rc = app_write_png(a->opt.screenshot, rgb, w, h, err);
    free(rgb);
    if (rc != 0) { fprintf(stderr, "attnviz view: %s\n", err); return EXIT_USER; }
    return EXIT_OK;
}

void app_run(App *a) {
    Uint64 freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    app_draw(a);
    a->dirty = false;
    while (!a->quit) {
        SDL_Event e;
        if (animating(a)) {
            /* ~60 frames a second: wait for events at most until the next frame */
            double since = (double)(SDL_GetPerformanceCounter() - last) / (double)freq;
            int ms = (int)((1.0 / 60 - since) * 1000);
            if (ms > 0 && SDL_WaitEventTimeout(&e, ms)) app_event(a, &e);
        } else if (SDL_WaitEvent(&e)) {
            app_event(a, &e);
            last = SDL_GetPerformanceCounter();   /* do not jump over the idle time */
        }
        while (SDL_PollEvent(&e)) app_event(a, &e);
        Uint64 now = SDL_GetPerformanceCounter();
        app_update(a, (double)(now - last) / (double)freq);
        last = now;
        if (a->dirty) {
            app_draw(a);
            a->dirty = false;
        }
    }
}

int cmd_view(int argc, char **argv) {
    App *a = calloc(1, sizeof *a);
    if (!a) { fprintf(stderr, "attnviz view: out of memory\n"); return EXIT_USER; }
    a->t_start = SDL_GetPerformanceCounter();
    int rc = parse(argc, argv, &a->opt);
    if (rc != 0) { free(a); return rc > 0 ? EXIT_OK : EXIT_USAGE; }
    a->st.speed = 1;
    a->st.dark = a->opt.dark;
    a->st.playing = a->opt.play;
    a->base_seed = a->opt.seed;
    a->narr_px = a->opt.width >= 1200 ? 22 : 18;
    const char *loc = getenv("LC_ALL");
    if (!loc || !loc[0]) loc = getenv("LC_MESSAGES");
    if (!loc || !loc[0]) loc = getenv("LANG");
    snprintf(a->lang, sizeof a->lang, "%s", a->opt.lang ? a->opt.lang : lesson_lang_from_locale(loc));
    a->st.lang = a->lang;   /* the view's captions too */
    char err[AV_ERR_LEN];
    if (a->opt.picker) {   /* no lessons folder: the default model, as before */
        if (!app_find_lessons_dir(a->lessons_dir, sizeof a->lessons_dir) || app_open_picker(a, a->lessons_dir, err) != 0)
            a->opt.picker = false;
    }

    /* the decoding first: a bad model or input fails before any window */
    if (a->opt.picker) {
        /* the picker: nothing to decode */
    } else if (a->opt.lesson) {
        if (app_open_lesson(a, a->opt.lesson, err) != 0) {
            if (a->opt.screenshot) {   /* the window shows the message instead */
                fprintf(stderr, "attnviz: %s\n", err);
                app_shutdown(a);
                free(a);
                return EXIT_USER;
            }
        } else {
            if (a->opt.slide > a->lesson.n_slides) {
                fprintf(stderr, "attnviz: --slide %d: %s has %d slides\n", a->opt.slide, a->opt.lesson, a->lesson.n_slides);
                app_shutdown(a);
                free(a);
                return EXIT_USAGE;
            }
            int i = a->opt.slide ? a->opt.slide - 1 : 0;
            if (app_enter_slide(a, i, !a->opt.screenshot) != 0 && a->opt.screenshot) {
                fprintf(stderr, "attnviz: %s\n", a->slide_err);
                app_shutdown(a);
                free(a);
                return EXIT_USER;
            }
        }
    } else if (a->opt.demo) {
        const char *in = a->opt.input ? a->opt.input : "21 Nov 2026";
        if (viz_demo_trace(&a->trace, in, 11, STYLE_LUONG, SCORE_GENERAL, a->opt.target != NULL, a->opt.seed, err) != 0) {
            fprintf(stderr, "attnviz view: %s\n", err);
            free(a);
            return EXIT_USER;
        }
        a->have_trace = true;
        snprintf(a->title, sizeof a->title, "%s", ui(a, UI_T_DEMO));
        a->st.title = a->title;
    } else {
        char path[1024];
        const char *model = a->opt.model;
        if (!model) {
            if (default_model(path, sizeof path, err) != 0) { fprintf(stderr, "attnviz view: %s\n", err); free(a); return EXIT_USER; }
            model = path;
        }
        a->tf_on = a->opt.teacher_forcing > 0;
        a->tf_p = a->opt.teacher_forcing > 0 ? (float)a->opt.teacher_forcing : 0.5f;
        if (app_decode(a, model, a->opt.input, a->opt.target, false, err) != 0) {
            fprintf(stderr, "attnviz view: %s\n", err);
            app_shutdown(a);
            free(a);
            return EXIT_USER;
        }
    }
    stamp(a, "decoded");
    if (app_init_gfx(a, a->opt.width, a->opt.height, a->opt.screenshot != NULL, err) != 0) {
        fprintf(stderr, "attnviz view: %s\n", err);
        app_shutdown(a);
        free(a);
        return EXIT_USER;
    }
    if (a->opt.screenshot) {
        rc = screenshot(a);
    } else {
        if (!a->have_lesson && !a->picking) a->stop_at = 0.99999;   /* the encoder plays once, then waits */
        SDL_StopTextInput();    /* on again only while typing an input */
        app_run(a);
        rc = EXIT_OK;
    }
    app_shutdown(a);
    free(a);
    return rc;
}
