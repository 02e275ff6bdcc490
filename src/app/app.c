/* app.c — the core of the App: the window, GL and font, the frame loop, dispatch to the current mode, and the VizState derived from the App.
 *
 * The loop waits for events when nothing moves (SDL_WaitEvent: a laptop on
 * battery must not spin) and draws only when something changed. Each mode
 * (app.h) has an event handler and a frame builder; the core calls the
 * current one's and knows nothing of keys (keys.c) or slides.
 */
#include "app.h"

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../text/font_find.h"
#include "keys.h"


static const struct {
    void (*event)(App *a, const SDL_Event *e);
    void (*frame)(App *a, float W, float H);
} MODES[] = {
    [MODE_VIEW] = {view_mode_event, view_mode_frame},
    [MODE_LESSON] = {lesson_mode_event, lesson_mode_frame},
    [MODE_PICKER] = {picker_mode_event, picker_mode_frame},
    [MODE_TRAIN] = {train_mode_event, train_mode_frame},
    [MODE_LAB] = {lab_mode_event, lab_mode_frame},
};

/* ---- what every mode shares ---- */

const char *app_lang(const App *a) {
    return a->lesson.loaded && a->lesson.lesson.lang[0] ? a->lesson.lesson.lang : a->ui.lang;
}

const char *app_str(const App *a, UiStr id) { return ui_str(app_lang(a), id); }

void app_say(App *a, const char *msg) {
    snprintf(a->ui.message, sizeof a->ui.message, "%.590s", msg);
    a->ui.message_ok = false;
    a->ui.status[0] = '\0';
    a->w.dirty = true;
}

void app_note(App *a, const char *msg) {
    app_say(a, msg);
    a->ui.message_ok = true;
}

void app_note_saved(App *a, const char *msg, const char *row) {
    app_note(a, msg);
    snprintf(a->ui.status, sizeof a->ui.status, "%.590s", row);
}

void app_toggle_fullscreen(App *a) {
    if (!a->w.win) return;
    bool fs = SDL_GetWindowFlags(a->w.win) & SDL_WINDOW_FULLSCREEN_DESKTOP;
    if (SDL_SetWindowFullscreen(a->w.win, fs ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP) != 0)
        fprintf(stderr, "attnviz: full screen: %s\n", SDL_GetError());
}

void app_zoom(App *a, int dir) {
    static const float STEPS[] = {0.8f, 0.9f, 1.0f, 1.1f, 1.25f, 1.4f, 1.6f, 1.8f, 2.0f};
    enum { N = sizeof STEPS / sizeof *STEPS };
    float z = a->ui.zoom > 0 ? a->ui.zoom : 1;
    int i = 0;
    while (i < N - 1 && STEPS[i] < z - 1e-3f) i++;   /* the step at or above z */
    if (dir == 0) z = 1;
    else if (dir > 0) z = STEPS[i + (i < N - 1 && STEPS[i] <= z + 1e-3f)];
    else z = STEPS[i > 0 ? i - 1 : 0];
    a->ui.zoom = z;
    a->lesson.narr_scroll = 0;
    a->w.dirty = true;
}

void app_toggle_present(App *a) {
    AppUi *ui = &a->ui;
    ui->present = !ui->present;
    if (a->w.win) {
        bool fs = SDL_GetWindowFlags(a->w.win) & SDL_WINDOW_FULLSCREEN_DESKTOP;
        if (ui->present) ui->present_was_full = fs;
        bool want = ui->present || ui->present_was_full;
        if (want != fs && SDL_SetWindowFullscreen(a->w.win, want ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0) != 0)
            fprintf(stderr, "attnviz: full screen: %s\n", SDL_GetError());
    }
    a->w.dirty = true;
}

void app_viz_state(const App *a, VizState *st) {
    const AppSession *s = &a->session;
    const AppView *v = &a->view;
    const AppCompare *c = &a->cmp;
    const AppMenu *m = &a->menu;
    const AppEditor *ed = &a->editor;
    const char *lang = app_lang(a);
    KeyContext ctx = app_key_context(a);
    int n_help;
    const VizHelpLine *help = keys_help(ctx, lang, &n_help);
    *st = (VizState){
        .tau = v->tau, .playing = v->playing, .speed = v->speed, .help = v->help, .morph = v->morph,
        .dark = a->ui.dark, .mouse_in = a->ui.mouse_in, .mouse_x = a->ui.mouse_x, .mouse_y = a->ui.mouse_y,
        .message = a->ui.message[0] ? a->ui.message : NULL, .message_ok = a->ui.message_ok,
        .title = s->title[0] ? s->title : NULL, .status = a->ui.status[0] ? a->ui.status : NULL,
        .task = s->task[0] ? s->task : NULL,
        .prev = s->have_prev ? &s->prev : NULL,
        .score_avail = s->score_avail,
        .tf_on = s->tf_on, .tf_p = s->tf_p, .tf_slider = s->target[0] != 0,
        .editing = ed->open, .edit_field = ed->field, .edit_text = {ed->f[0].text, ed->f[1].text},
        .edit_cursor = ed->f[ed->field].cursor, .edit_anchor = ed->f[ed->field].anchor, .composition = ed->composition,
        .cmp = c->have ? &c->trace : NULL, .cmp_name = {c->name[0], c->name[1]}, .cmp_what = c->what,
        .menu_open = m->open, .menu = m->label_ptr, .menu_n = m->n, .menu_sel = m->sel, .menu_cur = m->cur,
        .menu_group = m->group_ptr,
        .help_lines = help, .help_n = n_help,
        /* beside a lesson's narration the view is narrower: the type stays large */
        .design_w = ctx == KEYS_LESSON ? APP_LESSON_DESIGN_W : 0,
        .lang = lang[0] ? lang : NULL,
        .zoom = a->ui.zoom > 0 ? a->ui.zoom : 1, .present = a->ui.present,
        .grad = a->back.have ? &a->back.grad : NULL, .backward = a->back.on,
        .pin = s->have_trace && v->pin <= s->trace.S ? v->pin : 0,
        .unknown = s->unknown[0] ? s->unknown : NULL,
        .vocab_open = a->vocab.open, .vocab = a->vocab.sorted, .vocab_n = a->vocab.n, .vocab_scroll = a->vocab.scroll,
        .vocab_chars = s->have_model && s->model.cfg.tokenizer == TOK_CHAR,
    };
}

/* ---- window, GL, font ---- */

void app_stamp(const App *a, const char *what) {
    if (getenv("ATTNVIZ_TIMING"))
        fprintf(stderr, "attnviz: %s after %.1f ms\n", what,
                (double)(SDL_GetPerformanceCounter() - a->w.t_start) * 1000.0 / (double)SDL_GetPerformanceFrequency());
}

static int open_window(AppWindow *w, int width, int height, bool hidden, char *err) {
    /* GL attributes before the window */
    if (SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3) || SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3) ||
        SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE) ||
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1))
        return av_err(err, "SDL_GL_SetAttribute: %s", SDL_GetError());
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI | (hidden ? SDL_WINDOW_HIDDEN : 0);
    w->win = SDL_CreateWindow("attnviz", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
    if (!w->win) return av_err(err, "SDL_CreateWindow: %s", SDL_GetError());
    SDL_SetWindowMinimumSize(w->win, 1024, 600);
    w->gl = SDL_GL_CreateContext(w->win);
    if (!w->gl) return av_err(err, "OpenGL 3.3 core context: %s", SDL_GetError());
    if (SDL_GL_MakeCurrent(w->win, w->gl) != 0) return av_err(err, "SDL_GL_MakeCurrent: %s", SDL_GetError());
    if (!hidden && SDL_GL_SetSwapInterval(1) != 0) SDL_GL_SetSwapInterval(0);   /* vsync when available */
    return 0;
}

int app_init_gfx(App *a, int width, int height, bool hidden, char *err) {
    AppWindow *w = &a->w;
    /* with no display at all, SDL's offscreen driver still gives EGL + GL */
    if (hidden && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY") && !getenv("SDL_VIDEODRIVER"))
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) return av_err(err, "SDL_Init: %s", SDL_GetError());
    w->sdl_up = true;
    app_stamp(a, "SDL_Init");
    if (TTF_Init() != 0) return av_err(err, "TTF_Init: %s", TTF_GetError());
    w->ttf_up = true;
    if (open_window(w, width, height, hidden, err) != 0) return -1;
    app_stamp(a, "window and GL context");

    char font[1024], ferr[FONT_ERR_CAP];
    if (font_find(a->opt.font, font, sizeof font, ferr) != 0) return av_err(err, "%s", ferr);
    app_stamp(a, "font_find");
    char terr[TEXT_ERR_CAP];
    w->text = text_create(font, terr);
    if (!w->text) return av_err(err, "%s", terr);
    /* italic Latin from a real italic face; without one, the font slanted */
    char italic[1024];
    if (font_find_italic(italic, sizeof italic) == 0 && text_set_italic_font(w->text, italic, terr) != 0)
        fprintf(stderr, "attnviz: %s (italic text is slanted instead)\n", terr);
    w->measure = text_measure(w->text);
    dl_init(&w->dl, &w->measure);

    char dir[1024], gerr[GFX_ERR_CAP];
    if (!app_find_shaders(dir, sizeof dir))
        return av_err(err, "shaders/quad.vert not found next to the executable (looked in <exe>/../shaders and the install prefix)");
    if (gfx_init(&w->gfx, dir, gerr) != 0) return av_err(err, "%s", gerr);
    w->gfx_up = true;
    app_stamp(a, "fonts and shaders");
    return 0;
}

void app_shutdown(App *a) {
    AppWindow *w = &a->w;
    app_record_abort(a);
    if (w->gfx_up) gfx_shutdown(&w->gfx);
    dl_free(&w->dl);
    text_destroy(w->text);
    if (w->gl) SDL_GL_DeleteContext(w->gl);
    if (w->win) SDL_DestroyWindow(w->win);
    lab_shutdown(a);  /* joins the lab's workers, and the threads of labs left while being made */
    train_close(a);   /* joins the worker first: it reads nothing of the rest */
    app_session_free(a);
    app_close_lesson(a);
    app_close_picker(a);
    if (w->ttf_up) TTF_Quit();
    if (w->sdl_up) SDL_Quit();
    w->gfx_up = w->ttf_up = w->sdl_up = false;
    w->text = NULL;
    w->gl = NULL;
    w->win = NULL;
}

/* ---- the frame ---- */

void app_build_frame(App *a, float W, float H) { MODES[a->mode].frame(a, W, H); }

void app_draw(App *a) {
    AppWindow *w = &a->w;
    int ww, wh, fw, fh;
    SDL_GetWindowSize(w->win, &ww, &wh);
    SDL_GL_GetDrawableSize(w->win, &fw, &fh);
    if (ww <= 0 || wh <= 0 || fw <= 0 || fh <= 0) return;
    text_set_scale(w->text, (float)fw / (float)ww);
    app_build_frame(a, (float)ww, (float)wh);
    gfx_draw(&w->gfx, &w->dl, w->text, (float)ww, (float)wh, fw, fh, viz_background(a->ui.dark));
    SDL_GL_SwapWindow(w->win);
    if (!w->first_frame_done) {
        w->first_frame_done = true;
        app_stamp(a, "first frame");   /* bench_frame reads this line */
    }
}

/* ---- the clock, the events, the loop ---- */

void app_update(App *a, double dt) {
    view_mode_update(a, dt);
    app_record_update(a);   /* Shift+E: a few frames of the GIF each turn */
    train_mode_update(a, dt);
    lab_mode_update(a, dt);
}

void app_event(App *a, const SDL_Event *e) {
    if (app_record_event(a, e)) return;   /* recording: only Esc (stop) and closing the window */
    if (e->type == SDL_DROPFILE) {   /* a TSV file: train on it (train_open.c) */
        if (a->mode == MODE_VIEW || a->mode == MODE_TRAIN) train_from_file(a, e->drop.file);
        SDL_free(e->drop.file);
        a->w.dirty = true;
        return;
    }
    /* closing and the window's own events are the same in every mode */
    if (e->type == SDL_QUIT) { a->w.quit = true; return; }
    if (e->type == SDL_WINDOWEVENT) {
        a->w.dirty = true;
        if (e->window.event == SDL_WINDOWEVENT_LEAVE) a->ui.mouse_in = false;
        return;
    }
    MODES[a->mode].event(a, e);
}

void app_run(App *a) {
    Uint64 freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    app_draw(a);
    a->w.dirty = false;
    while (!a->w.quit) {
        SDL_Event e;
        if (view_animating(a) || train_animating(a) || lab_animating(a)) {
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
        if (a->w.dirty) {
            app_draw(a);
            a->w.dirty = false;
        }
    }
}
