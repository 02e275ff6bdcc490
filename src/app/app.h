/* app.h — the window: one App owns the SDL window, the GL context, the font,
 * the renderer, the model and the trace of the current decoding.
 * init → loop(event, update, draw) → shutdown, in reverse order. */
#ifndef APP_H
#define APP_H

#include <SDL.h>
#include <stdbool.h>

#include "../engine/model.h"
#include "../engine/trace.h"
#include "../gfx/gfx.h"
#include "../text/text.h"
#include "../lesson/lesson.h"
#include "../viz/chart.h"
#include "../base/drawlist.h"
#include "../viz/narration.h"
#include "../viz/picker.h"
#include "../viz/view.h"

typedef struct {
    const char *model;        /* NULL: the default model */
    const char *input;        /* NULL: an example of the model's task */
    const char *target;       /* reference, or NULL */
    double teacher_forcing;
    uint64_t seed;
    const char *font;
    bool dark;
    bool demo;                /* a synthetic trace, no model */
    const char *screenshot;   /* FILE.png: render one frame and exit */
    int step, phase;          /* for the screenshot; 0 / -1: the last */
    double progress;          /* for the screenshot: how far into the phase (default 1) */
    int mouse_x, mouse_y;     /* for the screenshot: a hover position, or -1 */
    bool help_overlay;        /* for the screenshot: the key overlay */
    int width, height;        /* window or screenshot size */
    bool play;                /* start playing */
    /* lessons (issue 7) */
    const char *lesson;       /* --lesson FILE, or NULL                     */
    int slide;                /* --slide N (1-based), 0: the first          */
    const char *lang;         /* --lang en|ko, NULL: from the locale        */
    bool picker;              /* no model, input or lesson given: the picker */
} AppOptions;

typedef struct {
    AppOptions opt;
    SDL_Window *win;
    SDL_GLContext gl;
    bool sdl_up, ttf_up, gfx_up;
    Text *text;
    TextMeasure measure;
    Gfx gfx;
    DrawList dl;
    Model model;
    bool have_model;
    Trace trace;
    bool have_trace;
    char model_path[1024];
    char input[1024];
    char target[1024];        /* the reference, "" when none                */
    char task[64];            /* the model's task, "" when unknown          */
    char title[640];
    char message[600];        /* shown until the next key, "" when none     */
    /* live switching (issue 5) */
    Trace prev;               /* the decoding before the last switch        */
    bool have_prev;
    Uint64 morph_t0;          /* when the switch happened                   */
    bool editing;             /* the input fields are open                  */
    int edit_field;
    char edit[2][1024];       /* input, reference                           */
    char composition[64];     /* SDL_TEXTEDITING: text the IME is composing */
    bool tf_on;               /* teacher forcing with the reference         */
    float tf_p;               /* its probability when on                    */
    int example;              /* Tab: which example of the task             */
    Trace cmp;                /* compare: the other decoding                */
    bool have_cmp;
    int cmp_mode;             /* 0 off, 1 another score (C), 2 free running vs forced (V) */
    ScoreKind cmp_score;
    char cmp_name[2][48];
    char cmp_what[200];
    int menu_n;               /* the model menu (M)                         */
    char menu_path[64][1024];
    char menu_label[64][160];
    const char *menu_ptr[64];
    char menu_key[64][200];   /* sort key: task, score, name                */
    char menu_group[64][48];  /* the model's task ("" when unknown)         */
    const char *menu_group_ptr[64];
    VizState st;
    double stop_at;           /* paused: animate up to here, then hold      */
    bool dragging;            /* on the timeline                           */
    bool sliding;             /* on the teacher-forcing slider             */
    bool dirty;               /* something changed: draw a frame           */
    bool quit;
    Uint64 t_start;           /* for the first-frame time                  */
    bool first_frame_done;
    /* lesson mode (issue 7) */
    Lesson lesson;
    bool have_lesson;
    int slide;                /* 0-based                                    */
    float narr_px, narr_scroll;
    NarrationLayout narr;
    Chart chart;
    bool have_chart;
    char chart_err[AV_ERR_LEN];
    char lesson_err[AV_ERR_LEN];  /* the lesson does not load: shown instead */
    char slide_err[AV_ERR_LEN];   /* this slide's model or input fails       */
    char lessons_dir[1024];
    LessonEntry *entries;     /* the picker                                 */
    PickerInfo *pinfo;
    int n_entries, pick_sel;
    bool picking;
    bool from_picker;         /* Esc in a lesson goes back to the picker    */
    char lang[8];
    uint64_t base_seed;       /* --seed: slides without seed: use it       */
    VizHelpLine help[32];     /* the key help, rebuilt for every frame (VizState.help_lines) */
} App;

/* Load a model and decode an input with it into app->trace (replacing the
 * old one only on success; with morph, the old one becomes app->prev and the
 * picture morphs from it). target may be NULL or "". Returns 0, or -1 with
 * err (AV_ERR_LEN). */
int app_decode(App *a, const char *model_path, const char *input, const char *target, bool morph, char *err);
/* The sibling model of the current one for another score: <dir>/<task>-<score>.safetensors. */
void app_sibling(const App *a, ScoreKind k, char *out, size_t cap);
/* Switch to the sibling model with score k (keys 1–6); on failure the
 * current decoding stays and the reason is shown. */
void app_switch_score(App *a, ScoreKind k);
/* Compare mode 1: the next other score (off after the last); mode 2: free
 * running beside teacher forced (toggles). */
void app_compare(App *a, int mode);
/* Lesson mode. The lessons folder next to the executable (or
 * $ATTNVIZ_LESSONS): lessons/<lang>/NN-name.md. */
bool app_find_lessons_dir(char *out, size_t cap);
/* The models folder next to the executable (or $ATTNVIZ_MODELS). */
bool app_find_models_dir(char *out, size_t cap);
/* Open the picker on <root>/<lang>/; -1 with err when the folder cannot be read. */
int app_open_picker(App *a, const char *root, char *err);
/* Load a lesson and show its first slide. On failure the lesson is not
 * shown, err (and a->lesson_err) says FILE:LINE: what. */
int app_open_lesson(App *a, const char *path, char *err);
/* Show slide i (clamped): decode its model and input, or load its chart,
 * set step, phase, score, compare and teacher forcing. animate: play the
 * slide's phase once (the window), else show it complete (screenshots).
 * 0, or -1 with the reason in a->slide_err (shown in place of the animation). */
int app_enter_slide(App *a, int i, bool animate);
void app_close_lesson(App *a);
/* The frame for a W × H window into a->dl: picker, lesson (animation +
 * narration, or a chart) or the plain view. */
void app_build_frame(App *a, float W, float H);
/* Render the current frame offscreen into an RGB buffer (w*h*3, top row first). */
int app_render_rgb(App *a, int w, int h, uint8_t *rgb, char *err);
/* Write RGB pixels as a PNG, as base/outfile.h writes files ("-" is stdout). */
int app_write_png(const char *path, const uint8_t *rgb, int w, int h, char *err);

/* Pieces of the app for tests and benchmarks: a hidden window (or an
 * offscreen one when no display exists) with GL, font and renderer. */
int app_init_gfx(App *a, int w, int h, bool hidden, char *err);
void app_shutdown(App *a);
/* Handle one SDL event (keys, mouse, window). */
void app_event(App *a, const SDL_Event *e);
/* Advance the clock by dt seconds. */
void app_update(App *a, double dt);
/* Build the draw list and draw it into the window. */
void app_draw(App *a);
/* The loop: wait for events (no busy loop when nothing moves), update,
 * draw on change; returns when a->quit is set (Esc, window closed). */
void app_run(App *a);

#endif
