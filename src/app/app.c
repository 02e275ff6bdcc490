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
#include <epoxy/gl.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stb_image_write.h>

#include "../cli/cli.h"
#include "../engine/seq2seq.h"
#include "../engine/tokenize.h"
#include "../tasks/task.h"
#include "../text/font_find.h"

enum { MAX_INPUT_TOKENS = 200 };
static const double PHASE_SECONDS = 1.6;   /* one phase at speed 1 */

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
    static const char *const R[] = {"../assets/models", "../../assets/models", "assets/models",
                                    "../share/attnviz/assets/models", "/usr/local/share/attnviz/assets/models",
                                    "/usr/share/attnviz/assets/models"};
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
    snprintf(a->title, sizeof a->title, "%.100s  \xC2\xB7  %s%s %s, %s  \xC2\xB7  input \"%.120s\"%s%.120s%s%s",
             base ? base + 1 : model_path, mm->cfg.bidirectional ? "bidirectional " : "", cell_name(mm->cfg.cell),
             mm->cfg.tokenizer == TOK_CHAR ? "characters" : "words", style_name(mm->cfg.style),
             a->input, target ? "  \xC2\xB7  reference \"" : "", target ? a->target : "", target ? "\"" : "", tf);
    a->st.title = a->title;
    a->st.tf_slider = target != NULL;
    a->st.tf_on = a->tf_on;
    a->st.tf_p = a->tf_p;
    if (a->cmp_mode && compare_refresh(a, err) != 0) {   /* the comparison follows; on failure it ends */
        char msg[AV_ERR_LEN + 40];
        snprintf(msg, sizeof msg, "compare ended: %.480s", err);
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
        if (a->cmp_score == a->model.cfg.score) { compare_off(a); return av_err(err, "both sides have the same score now"); }
        char path[1200];
        app_sibling(a, a->cmp_score, path, sizeof path);
        Model m;
        if (model_load(&m, path, err) != 0) { compare_off(a); return -1; }
        int rc = decode_with(&m, a->input, tg, a->tf_on ? a->tf_p : 0, a->opt.seed, &tr, err);
        model_free(&m);
        if (rc != 0) { compare_off(a); return -1; }
        snprintf(a->cmp_name[0], sizeof a->cmp_name[0], "%s", score_name(a->model.cfg.score));
        snprintf(a->cmp_name[1], sizeof a->cmp_name[1], "%s", score_name(a->cmp_score));
        snprintf(a->cmp_what, sizeof a->cmp_what, "the same input, two scoring functions (C: the next one)");
    } else {
        if (!tg) { compare_off(a); return av_err(err, "free running vs teacher forced needs a reference: press Enter, fill in the second field"); }
        float p = a->tf_on ? 0 : (a->tf_p > 0 ? a->tf_p : 1);
        if (decode_with(&a->model, a->input, tg, p, a->opt.seed, &tr, err) != 0) { compare_off(a); return -1; }
        snprintf(a->cmp_name[0], sizeof a->cmp_name[0], a->tf_on ? "teacher forced" : "free running");
        snprintf(a->cmp_name[1], sizeof a->cmp_name[1], a->tf_on ? "free running" : "teacher forced");
        snprintf(a->cmp_what, sizeof a->cmp_what, "the same model and input; forcing p = %.1f. Where does free running go astray?",
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
    if (!a->have_model) { say(a, "compare needs a model (this is --demo)"); return; }
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
            if (!was) say(a, "compare needs a second model of this task with another score (<task>-<score>.safetensors)");
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
        snprintf(msg, sizeof msg, "no %s model for this task: %.400s does not exist", score_name(k), path);
        say(a, msg);
        return;
    }
    if (app_decode(a, path, a->input, a->target, true, err) != 0) {
        snprintf(msg, sizeof msg, "%s (the current model stays)", err);
        say(a, msg);
    }
}

/* ---- PNG ---- */

typedef struct { uint8_t *p; size_t n, cap; bool oom; } Mem;

static void mem_write(void *ctx, void *data, int size) {
    Mem *m = ctx;
    if (m->oom || size <= 0) return;
    if (m->n + (size_t)size > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1 << 16;
        while (cap < m->n + (size_t)size) cap *= 2;
        uint8_t *p = realloc(m->p, cap);
        if (!p) { m->oom = true; return; }
        m->p = p;
        m->cap = cap;
    }
    memcpy(m->p + m->n, data, (size_t)size);
    m->n += (size_t)size;
}

int app_write_png(const char *path, const uint8_t *rgb, int w, int h, char *err) {
    Mem m = {0};
    if (!stbi_write_png_to_func(mem_write, &m, w, h, 3, rgb, w * 3) || m.oom) {
        free(m.p);
        return av_err(err, "%s: cannot encode the PNG (out of memory)", path);
    }
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) { free(m.p); return av_err(err, "%s: cannot write: %s", path, strerror(errno)); }
    bool ok = fwrite(m.p, 1, m.n, f) == m.n;
    ok = (fclose(f) == 0) && ok;
    free(m.p);
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        return av_err(err, "%s: cannot write: %s", path, strerror(e));
    }
    return 0;
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
    viz_build(&a->dl, &a->trace, &a->st, (float)ww, (float)wh);
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
    viz_build(&a->dl, &a->trace, &a->st, (float)w, (float)h);
    gfx_draw(&a->gfx, &a->dl, a->text, (float)w, (float)h, w, h, viz_background(a->st.dark));
    gfx_offscreen_read(&a->gfx, rgb);
    gfx_offscreen_end(&a->gfx);
    const char *e = gfx_error();
    if (e) return av_err(err, "OpenGL error rendering offscreen: %s", e);
    return 0;
}

/* ---- the clock and the keys ---- */

static const double MORPH_SECONDS = 0.6;   /* old weights → new after a switch */

static bool animating(const App *a) { return a->st.playing || a->st.tau < a->stop_at || (a->st.prev && a->st.morph < 1); }

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
    double end = viz_tau_end(&a->trace), rate = a->st.speed / PHASE_SECONDS;
    /* after step 1 the encoder phase only recalls the states: pass it quickly */
    if (a->st.tau >= VIZ_PHASES && fmod(a->st.tau, VIZ_PHASES) < 1) rate *= 5;
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
    if (!a->have_model) { say(a, "typing needs a model (this is --demo)"); return; }
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
    if (!a->edit[0][0]) { say(a, "the input is empty"); return; }
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

static void utf8_pop(char *s) {
    size_t n = strlen(s);
    while (n > 0 && ((unsigned char)s[n - 1] & 0xC0) == 0x80) n--;   /* continuation bytes */
    if (n > 0) n--;
    s[n] = 0;
}

static void edit_event(App *a, const SDL_Event *e) {
    char *f = a->edit[a->edit_field];
    switch (e->type) {
    case SDL_TEXTINPUT:
        if (strlen(f) + strlen(e->text.text) < sizeof a->edit[0]) strcat(f, e->text.text);
        else say(a, "that is as long as an input can be here");
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

static void next_example(App *a) {
    const Task *tk = a->task[0] ? task_find(a->task) : NULL;
    if (!tk) { say(a, "no examples: the model's task is unknown (type one with Enter)"); return; }
    char src[TASK_MAX_TEXT], tgt[TASK_MAX_TEXT], err[AV_ERR_LEN];
    Rng r;
    rng_seed(&r, 1000 + (uint64_t)a->example++);
    tk->generate(&r, SPLIT_TEST, src, tgt, sizeof src);
    if (app_decode(a, a->model_path, src, tgt, false, err) != 0) { say(a, err); return; }
    goto_phase(a, 0);
}

static void set_forcing(App *a, bool on, float p) {
    if (!a->target[0]) {
        say(a, "teacher forcing needs a reference: press Enter and fill in the second field");
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
    /* sort by label, keeping paths with their labels */
    for (int i = 1; i < a->menu_n; i++)
        for (int j = i; j > 0 && cmp_label(a->menu_label[j - 1], a->menu_label[j]) > 0; j--) {
            char tp[1024], tl[160];
            memcpy(tp, a->menu_path[j], sizeof tp); memcpy(a->menu_path[j], a->menu_path[j - 1], sizeof tp); memcpy(a->menu_path[j - 1], tp, sizeof tp);
            memcpy(tl, a->menu_label[j], sizeof tl); memcpy(a->menu_label[j], a->menu_label[j - 1], sizeof tl); memcpy(a->menu_label[j - 1], tl, sizeof tl);
        }
    char cur[PATH_MAX] = "";
    if (a->have_model && !realpath(a->model_path, cur)) cur[0] = 0;
    a->st.menu_cur = -1;
    for (int i = 0; i < a->menu_n; i++) {
        a->menu_ptr[i] = a->menu_label[i];
        if (strcmp(a->menu_path[i], cur) == 0) a->st.menu_cur = i;
    }
    a->st.menu = a->menu_ptr;
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

/* ---- events ---- */

void app_event(App *a, const SDL_Event *e) {
    VizState *st = &a->st;
    long k = (long)floor(st->tau);
    if ((e->type == SDL_KEYDOWN || e->type == SDL_MOUSEBUTTONDOWN) && a->message[0]) say(a, "");
    if (a->editing && (e->type == SDL_TEXTINPUT || e->type == SDL_TEXTEDITING || e->type == SDL_KEYDOWN)) {
        edit_event(a, e);
        return;
    }
    if (a->st.menu_open && (e->type == SDL_KEYDOWN || e->type == SDL_MOUSEBUTTONDOWN || e->type == SDL_MOUSEMOTION)) {
        menu_event(a, e);
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
                goto_phase(a, (long)c->a * VIZ_PHASES + (long)(k % VIZ_PHASES));
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
        int step = (int)(k / VIZ_PHASES), ph = (int)(k % VIZ_PHASES);
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
        else if (key == SDLK_DOWN) goto_phase(a, (long)(step + 1) * VIZ_PHASES + ph);
        else if (key == SDLK_UP) goto_phase(a, (long)(step - 1) * VIZ_PHASES + ph);
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
        else if (key == SDLK_m) { if (a->have_model) menu_open(a); else say(a, "the model menu needs a model (this is --demo)"); }
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
            "usage: attnviz view [--model M] [--input TEXT] [--target TEXT] [options]\n\n"
            "Opens a window that animates one decoding, phase by phase.\n\n"
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
            "  --screenshot FILE.png  render one frame offscreen and exit, with\n"
            "    --step N --phase NAME  the frame at the end of that phase (default: the last);\n"
            "    --progress F         or F of the way through it (0..1)\n"
            "    --mouse X,Y          with the mouse hovering there; --help-overlay: with the key help\n"
            "                         phases: encoder query scores softmax context combine output next\n\n"
            "keys: Space play/pause, arrows phase/step, Home/End, + - speed, D theme, F full screen,\n"
            "      ? help, Esc quit. Hover for exact values; click the timeline to jump.\n");
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
            o->phase = viz_phase_parse(v);
            if (o->phase < 0) {
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
    return 0;
}

/* ---- the two ways to run: a screenshot, or the window ---- */

static int screenshot(App *a) {
    char err[AV_ERR_LEN];
    const Trace *tr = &a->trace;
    int step = a->opt.step ? a->opt.step : tr->T;
    if (step > tr->T) {
        fprintf(stderr, "attnviz view: --step %d: this decoding has %d steps\n", step, tr->T);
        return EXIT_USAGE;
    }
    int phase = a->opt.phase >= 0 ? a->opt.phase : VIZ_PHASES - 1;
    a->st.tau = viz_tau_at(tr, step, phase) + fmin(a->opt.progress, 0.99999);   /* default: the end of that phase */
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
    char err[AV_ERR_LEN];

    /* the decoding first: a bad model or input fails before any window */
    if (a->opt.demo) {
        const char *in = a->opt.input ? a->opt.input : "21 Nov 2026";
        if (viz_demo_trace(&a->trace, in, 11, STYLE_LUONG, SCORE_GENERAL, a->opt.target != NULL, a->opt.seed, err) != 0) {
            fprintf(stderr, "attnviz view: %s\n", err);
            free(a);
            return EXIT_USER;
        }
        a->have_trace = true;
        snprintf(a->title, sizeof a->title, "synthetic decoding (--demo): random numbers, consistent sums");
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
        a->stop_at = 0.99999;   /* the encoder plays once, then waits */
        SDL_StopTextInput();    /* on again only while typing an input */
        app_run(a);
        rc = EXIT_OK;
    }
    app_shutdown(a);
    free(a);
    return rc;
}
