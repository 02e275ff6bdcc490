/* app.h — the App: one struct owns the window and every mode's state, grouped by job.
 *
 * init → loop(event, update, draw) → shutdown, resources freed in reverse
 * order. The App is a set of modes (the decoding view, a lesson with its
 * picker; training and the backward pass come next), each a file with its
 * own state, event handler and frame builder; app.c is the core that owns
 * the window and the clock and only dispatches to the current mode.
 *
 * Where things are:
 *   app.c          the core: window, GL, font, the loop, dispatch, app_viz_state
 *   keys.c         the one table of keys: what each key does, per mode, and the ? overlay
 *   mode_view.c    the decoding view: its clock, the pointer, its frame
 *   mode_lesson.c  a lesson beside the view, and the lesson picker
 *   session.c      decoding: the model and trace on screen, scores, compare, teacher forcing
 *   examples.c     Tab: chosen example sentences per task
 *   editor.c       typing an input and a reference (Enter)
 *   menu.c         the model menu (M)
 *   backward.c     the backward pass: the gradient of the decoding, B, η (issue 12)
 *   mode_lab.c     the mechanism lab: 2–6 configurations training side by side, live
 *   mode_train.c   the training mode: a model learning live (issue 11); train_run.c its
 *                  worker thread, train_show.c what the screen keeps of a run,
 *                  train_open.c where a run comes from, train_files.c what it writes
 *   files.c        shaders, models and lessons next to the executable
 *   screenshot.c   one frame offscreen into a PNG (--screenshot)
 *   record.c       the animation offscreen into a GIF (export --animation, Shift+E)
 * The `view` command that opens it is src/cli/cmd_view.c.
 *
 * The view is drawn from a VizState that app_viz_state derives from the App
 * every frame: the App keeps each flag once.
 */
#ifndef APP_H
#define APP_H

#include <SDL.h>
#include <stdbool.h>

#include "../engine/gradtrace.h"
#include "../engine/model.h"
#include "../engine/trace.h"
#include "../export/gif.h"
#include "../gfx/gfx.h"
#include "../text/text.h"
#include "../lesson/lesson.h"
#include "../viz/chart.h"
#include "../base/drawlist.h"
#include "../viz/narration.h"
#include "../viz/picker.h"
#include "../viz/view.h"
#include "../viz/ui_strings.h"
#include "app_lab.h"
#include "textfield.h"
#include "train_run.h"

/* One phase of the animation at speed 1, seconds (the window and the GIF). */
#define VIEW_PHASE_SECONDS 1.6

/* An animated GIF of what the view shows (record.c): `attnviz export
 * --animation FILE.gif` and Shift+E. The zero value asks for the defaults. */
typedef struct {
    const char *path;         /* FILE.gif, "-" for stdout; NULL: no recording */
    int width, height;        /* frames; 0: 960x540                             */
    int fps;                  /* 10, 20, 25 or 50; 0: 20                        */
    double speed;             /* a phase lasts VIEW_PHASE_SECONDS / speed; 0: 1 */
    int step_from, step_to;   /* 1-based, inclusive; 0: every step (a lesson
                                 slide: its own step)                           */
    bool once;                /* play through once; else loop forever            */
    int score;                /* -1: the model as given; else switch to this score first */
} RecordOptions;

/* What `attnviz view` was asked (src/cli/cmd_view.c fills it). */
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
    bool backward;            /* --direction backward: the backward phases (needs --target) */
    double lr;                /* --lr: η of the one-step view (0: the default) */
    bool help_overlay;        /* for the screenshot: the key overlay */
    int width, height;        /* window or screenshot size */
    bool play;                /* start playing */
    bool present;             /* start in presentation mode (F5) */
    double zoom;              /* the zoom to start at (0: 1) */
    /* lessons (issue 7) */
    const char *lesson;       /* --lesson FILE, or NULL                     */
    int slide;                /* --slide N (1-based), 0: the first          */
    const char *lang;         /* --lang en|ko, NULL: from the locale        */
    bool picker;              /* no model, input or lesson given: the picker */
    RecordOptions rec;        /* --animation FILE.gif and its options        */
    long slide_steps_cap;     /* tests: a training slide trains at most this far (0: its steps); the
                                 sanitizer build trains some 30 times slower */
} AppOptions;

/* The modes; the current one gets the events and builds the frame. A new
 * mode (training, issue 11; the backward pass, issue 12) is a file
 * mode_NAME.c with its state group below, an entry in app.c's MODES and
 * its context in keys.h. */
typedef enum {
    MODE_VIEW,     /* one decoding, phase by phase (mode_view.c)            */
    MODE_LESSON,   /* a lesson's slides beside the view (mode_lesson.c)     */
    MODE_PICKER,   /* the list of lessons (mode_lesson.c)                   */
    MODE_TRAIN,    /* a model learning, live (mode_train.c)                 */
    MODE_LAB,      /* the mechanism lab: 2–6 configurations learning side by side (mode_lab.c) */
} AppMode;

/* The window, GL, font and renderer, and the loop's flags (app.c). */
typedef struct {
    SDL_Window *win;
    SDL_GLContext gl;
    bool sdl_up, ttf_up, gfx_up;
    Text *text;
    TextMeasure measure;
    Gfx gfx;
    DrawList dl;              /* the last frame: hit tests read it          */
    bool dirty;               /* something changed: draw a frame            */
    bool quit;
    Uint64 t_start;           /* for the first-frame time                   */
    bool first_frame_done;
} AppWindow;

/* What every mode shares on screen (app.c). */
typedef struct {
    bool dark;
    char lang[8];             /* --lang / the locale ("en", "ko"); a lesson's own wins */
    char message[600];        /* one status line until the next key, "" when none */
    bool message_ok;          /* it reports something done (app_note), not a problem */
    char status[600];         /* the status row's line in place of the title (where E wrote), until the next message */
    bool mouse_in;
    float mouse_x, mouse_y;   /* window units */
    float zoom;               /* Ctrl+= Ctrl+- Ctrl+0: the whole picture larger or smaller (1) */
    bool present;             /* presentation mode (F5, F11): full screen, chrome hidden */
    bool present_was_full;    /* the window was full screen before it */
} AppUi;

/* The decoding view's clock and pointer (mode_view.c). The clock τ (view.h)
 * is the whole animation state: keys move it to the start of a phase and
 * let that phase play once. */
typedef struct {
    double tau;
    double stop_at;           /* paused: animate up to here, then hold      */
    bool playing;
    float speed;              /* 1 = normal                                  */
    float morph;              /* 0 → 1 after a switch: prev's weights → the new */
    Uint64 morph_t0;          /* when the switch happened                   */
    bool help;                /* the key overlay (?)                        */
    bool dragging;            /* on the timeline                            */
    bool sliding;             /* on the teacher-forcing slider              */
    int pin;                  /* 1 + the source word clicked (highlighted), 0: none */
} AppView;

/* The decoding on screen and where it came from (session.c). */
typedef struct {
    Model model;
    bool have_model;
    Trace trace;
    bool have_trace;
    Trace prev;               /* the decoding before the last switch: morphs from it */
    bool have_prev;
    char model_path[1024];
    char input[1024];
    char target[1024];        /* the reference, "" when none                */
    char task[64];            /* the model's task, "" when unknown          */
    char title[2400];         /* the model/task line under the timeline: the
                                 input and reference whole (the view shortens) */
    bool tf_on;               /* teacher forcing with the reference         */
    float tf_p;               /* its probability when on                    */
    uint64_t seed;            /* the coin flips                             */
    unsigned score_avail;     /* bit k: a model for ScoreKind k exists      */
    int example;              /* Tab: which example of the task comes next  */
    char unknown[600];        /* the typed tokens the model does not know, in a sentence; "" none (vocab.c) */
} AppSession;

/* The list of the source vocabulary (K; vocab.c). */
typedef struct {
    bool open;
    int scroll;               /* the first row shown                        */
    const char **sorted;      /* n entries, pointing into the model's vocabulary */
    int n;
} AppVocab;

/* Compare: the same input decoded another way, beside the session's (session.c). */
typedef enum { CMP_OFF, CMP_SCORE /* C */, CMP_FORCING /* V */ } CompareMode;
typedef struct {
    CompareMode mode;
    ScoreKind score;          /* CMP_SCORE: the other score                 */
    Trace trace;
    bool have;
    char name[2][48];         /* what the session's and this decoding are   */
    char what[200];           /* one line: what is compared                 */
} AppCompare;

/* The backward pass on screen (backward.c): the gradient of the session's
 * decoding against its reference, and η of the one SGD step it replays. */
typedef struct {
    bool on;                  /* the clock has the backward phases (B)      */
    bool want;                /* B without a reference: on with the next decoding that has one */
    GradTrace grad;           /* seq2seq_grad_trace of session.trace        */
    bool have;
    float lr;                 /* η (0: APP_DEFAULT_LR)                       */
    bool sliding;             /* dragging the η slider                       */
} AppBackward;
#define APP_DEFAULT_LR 0.1f

/* The model menu (menu.c). */
enum { MENU_MAX = 64 };
typedef struct {
    bool open;
    int n, sel, cur;          /* cur: the model on screen, or -1            */
    char path[MENU_MAX][1024];
    char label[MENU_MAX][160];
    const char *label_ptr[MENU_MAX];
    char key[MENU_MAX][200];  /* sort key: task, score, name                */
    char group[MENU_MAX][48]; /* the model's task ("" when unknown)         */
    const char *group_ptr[MENU_MAX];
} AppMenu;

/* The input fields (editor.c), each a TextField (textfield.h). */
typedef struct {
    bool open;
    int field;                /* 0 the input, 1 the reference               */
    TextField f[2];
    char composition[64];     /* SDL_TEXTEDITING: text the IME is composing */
} AppEditor;

/* A lesson beside the view, and the picker that lists them (mode_lesson.c). */
typedef struct {
    Lesson lesson;
    bool loaded;
    int slide;                /* 0-based                                    */
    float narr_scroll;        /* the narration scrolled down, window units   */
    NarrationLayout narr;
    Chart chart;
    bool have_chart;
    char chart_err[AV_ERR_LEN];
    char error[AV_ERR_LEN];       /* the lesson does not load: shown instead */
    char slide_err[AV_ERR_LEN];   /* this slide's model or input fails       */
    bool from_picker;         /* Esc goes back to the picker, else quits    */
    /* the picker */
    char dir[1024];           /* the lessons folder                         */
    LessonEntry *entries;
    PickerInfo *info;
    int n_entries, sel;
} AppLesson;

/* A recording in progress (record.c): frames rendered offscreen a few at a
 * time between the window's frames, so the window stays alive. */
typedef struct {
    bool on;
    RecordOptions opt;        /* filled in: no zero values left             */
    char path[1024];
    ExportGif *gif;
    uint8_t *rgb;             /* one frame                                  */
    long frame, n_frames;
    long phase0;              /* the first phase recorded (over all steps)  */
    int per_phase;            /* frames in one phase                        */
    int shown;                /* the percentage last shown                  */
} AppRecord;

/* The training mode (mode_train.c): one run, how it is shown, and where
 * Esc goes. A lesson's training slide shows the same run beside its
 * narration. */
typedef enum { TRAIN_FIG_NONE, TRAIN_FIG_CURVES, TRAIN_FIG_FILM } TrainFigure;
typedef struct {
    TrainRun *run;            /* NULL: nothing trained yet                   */
    int speed;                /* index into RUN_SPEED                        */
    int film_sel;             /* the snapshot shown; -1: the latest weights  */
    bool from_view;           /* opened from a decoding: Esc goes back to it */
    bool snapshot;            /* the decoding view shows a snapshot of it    */
    bool was_training;        /* ... and the run was training then          */
    bool scrubbing;           /* dragging on the timeline                    */
    char title[400];          /* what is trained                             */
    char task[64];            /* the task (Tab's examples), "" for a file    */
    char name[96];            /* files' names: "<task>-<score>", the data's name */
    int example;              /* Tab: the next example                       */
    char tmp[64];             /* the folder of snapshots opened in the view  */
    double drawn_at;          /* when the last frame was drawn (seconds)     */
    bool pending;             /* the run changed since: draw when it is time */
    bool restore_speed;       /* trained to a slide's steps at full speed: its own speed once paused */
    char view_model[1024];    /* the decoding it was opened from: Esc goes back to it */
    char view_input[1024], view_target[1024];
    TrainFigure figure;       /* the frame is a figure (the curves, the film) */
    /* a lesson's training slide */
    char lesson_key[1200];    /* the model and probe the run was made for    */
    /* how the run was made (the mechanism lab starts from it; its pointers are not kept) */
    LearnDesc desc;
    long n_train;
} AppTrain;


/* The view's design width beside a lesson's narration (view.h: design_w):
 * the type stays large in the narrower area. */
#define APP_LESSON_DESIGN_W 960.0f

typedef struct App {
    AppOptions opt;
    AppMode mode;
    AppWindow w;
    AppUi ui;
    AppView view;
    AppSession session;
    AppCompare cmp;
    AppBackward back;
    AppMenu menu;
    AppEditor editor;
    AppVocab vocab;
    AppLesson lesson;
    AppRecord rec;
    AppTrain train;
    AppLab lab;
} App;

/* ---- the core (app.c) ---- */

/* A hidden window (or an offscreen one when no display exists) with GL,
 * font and renderer. */
int app_init_gfx(App *a, int w, int h, bool hidden, char *err);
void app_shutdown(App *a);
/* Handle one SDL event: the current mode's handler. */
void app_event(App *a, const SDL_Event *e);
/* Advance the clock by dt seconds. */
void app_update(App *a, double dt);
/* The VizState the view is drawn from, derived from the App. */
void app_viz_state(const App *a, VizState *st);
/* The frame for a W × H window into a->w.dl: the current mode's. */
void app_build_frame(App *a, float W, float H);
/* Build the draw list and draw it into the window. */
void app_draw(App *a);
/* The loop: wait for events (no busy loop when nothing moves), update,
 * draw on change; returns when a->w.quit is set (Esc, window closed). */
void app_run(App *a);
/* The UI language: the lesson's, else --lang / the locale; and its strings. */
const char *app_lang(const App *a);
const char *app_str(const App *a, UiStr id);
/* One status line until the next key ("" clears it): a problem (app_say),
 * or something done (app_note, e.g. where a file went). */
void app_say(App *a, const char *msg);
void app_note(App *a, const char *msg);
/* app_note, and row (where a file went) in the status row in place of the
 * title line, both until the next key. */
void app_note_saved(App *a, const char *msg, const char *row);
/* ATTNVIZ_TIMING=1: "attnviz: WHAT after N ms" on stderr (start-up time). */
void app_stamp(const App *a, const char *what);
/* F: full screen on / off. */
void app_toggle_fullscreen(App *a);
/* Ctrl+= Ctrl+- Ctrl+0: the zoom one step larger (dir > 0), smaller (< 0),
 * or back to 1 (0): the whole picture, the narration with it. */
void app_zoom(App *a, int dir);
/* F5, F11: presentation mode on / off: full screen, the chrome hidden. */
void app_toggle_present(App *a);

/* ---- one frame into a PNG (screenshot.c) ---- */

/* Render the current frame offscreen into an RGB buffer (w*h*3, top row first). */
int app_render_rgb(App *a, int w, int h, uint8_t *rgb, char *err);
/* Write RGB pixels as a PNG, as base/outfile.h writes files ("-" is stdout). */
int app_write_png(const char *path, const uint8_t *rgb, int w, int h, char *err);
/* --screenshot: the clock at the end of opt.step / opt.phase (default: the
 * last step's last phase; a lesson slide: its own), opt.progress into it;
 * -1 with err when the decoding has no such step. */
int app_screenshot_clock(App *a, char *err);
/* Render the frame at opt.width × opt.height (with opt's hover and key
 * overlay) into opt.screenshot: 0, or -1 with err. */
int app_screenshot(App *a, char *err);

/* ---- the animation into a GIF (record.c) ---- */

/* Start recording what the App shows (its mode, decoding, theme and
 * language) into path: the defaults of o filled in, the steps checked
 * against the decoding, the palette sampled. 0, or -1 with err. */
int app_record_start(App *a, const RecordOptions *o, const char *path, char *err);
/* Render and encode the next frames for about `budget` seconds (≤ 0: all
 * that are left): 1 when the last frame is in, 0 when more remain, -1 with err. */
int app_record_frames(App *a, double budget, char *err);
/* Write the GIF to its path, whole or not at all; *bytes its size. */
int app_record_finish(App *a, size_t *bytes, char *err);
void app_record_abort(App *a);
/* The whole recording at once (`export --animation`): start, frames, finish. */
int app_record(App *a, const RecordOptions *o, const char *path, size_t *bytes, char *err);
/* Shift+E: record into the pictures folder, a few frames per loop turn. */
void app_record_key(App *a);
/* The loop's turn while recording: more frames, the progress, the end. */
void app_record_update(App *a);
/* Events while recording: Esc stops (nothing written), closing the window
 * quits; everything else waits. true when the event was used. */
bool app_record_event(App *a, const SDL_Event *e);

/* ---- files next to the executable (files.c) ---- */

bool app_find_shaders(char *out, size_t cap);
/* The models folder next to the executable (or $ATTNVIZ_MODELS). */
bool app_find_models_dir(char *out, size_t cap);
/* The lessons folder next to the executable (or $ATTNVIZ_LESSONS):
 * lessons/<lang>/NN-name.md. */
bool app_find_lessons_dir(char *out, size_t cap);
/* assets/models/dates-general.safetensors, else the first model there. */
int app_default_model(char *out, size_t cap, char *err);
/* Where exports go: $XDG_PICTURES_DIR, else the XDG_PICTURES_DIR line of
 * user-dirs.dirs (when that folder exists), else the working directory. */
bool app_pictures_dir(char *out, size_t cap);
/* A new name in app_pictures_dir from the decoding: <dir>/attnviz-<model>[-<label>]-<input>
 * (unsafe characters become '-'), then -2, -3, … until no <stem>.<ext> exists for any
 * ext of the NULL-ended list exts (a dangling link counts). The stem, without an extension. */
bool app_export_stem(const App *a, const char *label, const char *const *exts, char *out, size_t cap);
/* The same for one file: the whole path, <stem>.<ext>. */
bool app_export_path(const App *a, const char *ext, char *out, size_t cap);

/* ---- the decoding (session.c, examples.c) ---- */

/* Load a model and decode an input with it into the session (replacing the
 * old decoding only on success; with morph, the old one becomes prev and the
 * picture morphs from it). input NULL: an example of the model's task;
 * target may be NULL or "". The session's teacher forcing is used. Returns
 * 0, or -1 with err (AV_ERR_LEN). */
int app_decode(App *a, const char *model_path, const char *input, const char *target, bool morph, char *err);
/* The same with teacher forcing on/off at p for this decoding: it becomes
 * the session's only when the decoding succeeds. */
int app_decode_forced(App *a, const char *model_path, const char *input, const char *target, bool tf_on, float tf_p,
                      bool morph, char *err);
/* A synthetic decoding (--demo): no model. */
int app_decode_demo(App *a, const char *input, bool with_reference, char *err);
/* The sibling model of the current one for another score: <dir>/<task>-<score>.safetensors. */
void app_sibling(const App *a, ScoreKind k, char *out, size_t cap);
/* Switch to the sibling model with score k (keys 1–6); on failure the
 * current decoding stays and the reason is shown. */
void app_switch_score(App *a, ScoreKind k);
/* Teacher forcing on/off at p (T, [ ], the slider): needs a reference. */
void app_set_forcing(App *a, bool on, float p);
/* C: compare with the next score that has a model (again: back to one
 * decoding); V: free running beside teacher forced (toggles). */
void app_compare(App *a, CompareMode mode);
/* Shift+C: the other side's score moves on to the next that has a model
 * (opens compare when it is off). */
void app_compare_next(App *a);
/* 1–6 in compare: the other side's score is k. */
void app_compare_score(App *a, ScoreKind k);
/* Decode the other side of the comparison again (after the session changed). */
int app_compare_refresh(App *a, char *err);
void app_compare_off(App *a);
/* Tab: the next example sentence of the model's task. */
void app_next_example(App *a);
/* Example k of a task (the chosen ones a model with these vocabularies can
 * read, then the task's own test examples) into src and tgt (cap bytes
 * each): how many chosen ones there are, or -1 when the task is unknown.
 * NULL vocabularies: every chosen one. */
int app_task_example(const char *task, const Vocab *vs, const Vocab *vt, TokenizerKind tk, int k, char *src, char *tgt,
                     size_t cap);
/* The code points of s in reverse order (the reverse task's target). */
void app_reverse_text(const char *s, char *out, size_t cap);
/* The reference a task makes plain for any text: copy gives it back,
 * reverse reverses it. Writes out and returns true for those two tasks;
 * leaves out alone and returns false for the others (and NULL). */
bool app_task_reference(const char *task, const char *text, char *out, size_t cap);
/* Free the session's and the comparison's decodings. */
void app_session_free(App *a);
/* Input and target (may be NULL) into ids with the model's vocabularies:
 * 0, or -1 with err (empty or too long). *src and *ref are malloc'd. */
int app_tokenize(const Model *m, const char *input, const char *target, int **src, int *S, int **ref, int *R, char *err);

/* ---- the backward pass (backward.c) ---- */

/* Phases per decoder step of the view's clock: PH_COUNT, or
 * VIZ_PHASES_BACKWARD while the backward phases are on. */
int app_step_phases(const App *a);
/* B: the backward phases on or off; without a reference the reference
 * field opens and says why. */
void app_toggle_backward(App *a);
/* The backward phases on (the gradient of the decoding, computed now) or
 * off; the clock keeps its step (and its phase, when it has one). -1 with
 * err when they cannot be on: no model, no reference, a reference the model
 * cannot read, a gradient that is not finite. */
int app_set_backward(App *a, bool on, char *err);
/* After a new decoding: its gradient when the backward phases are on; when
 * it cannot be had they go off and the status line says why. */
void app_backward_refresh(App *a);
/* η of the one SGD step: the replay alone again (seq2seq_after_step). */
void app_set_lr(App *a, float lr);
/* , and .: η one notch down / up the 1-2-5 ladder, and the one-step phase shown. */
void app_step_lr(App *a, int dir);
/* The η slider of the one-step panel under the point (or being dragged):
 * set η from x; false when the point is not on it. */
bool app_lr_slider(App *a, float x, float y);
void app_backward_free(App *a);

/* ---- the decoding view (mode_view.c) ---- */

/* Jump to the start of phase k (counted over all steps) and play it once. */
void view_goto_phase(App *a, long k);
/* The phase the clock is in, counted over all steps. */
long view_phase_index(const App *a);
/* → / ←: the next or previous phase the model has (no attention: four a step). */
void view_step_phase(App *a, int dir);
void view_play_pause(App *a);
void view_end(App *a);
/* Advance the view's clock (and a switch's morph) by dt seconds. */
void view_mode_update(App *a, double dt);
/* Something moves: the loop draws about 60 frames a second instead of waiting. */
bool view_animating(const App *a);
/* The view mode's event handler and frame. */
void view_mode_event(App *a, const SDL_Event *e);
void view_mode_frame(App *a, float W, float H);
/* Pointer events over the decoding (shared with lesson mode). */
void view_pointer_event(App *a, const SDL_Event *e);
/* Pointer events over a screen without a decoding: only the hover. */
void view_still_pointer_event(App *a, const SDL_Event *e);
/* Esc: close the first thing open, in this order: the key help, the
 * vocabulary, the highlighted source word, a comparison (not a slide's own),
 * then presentation mode. False when nothing was open. (The editor and the menu close themselves.) */
bool app_close_one(App *a);
/* E: the alignment on screen as a PNG and a CSV in the pictures folder
 * (export_key.c); the paths, or why not, in the status line. */
void app_export(App *a);
/* The editor and the menu take the events while open, and a key or a click
 * clears the status line: true when the event was used. */
bool view_overlays_event(App *a, const SDL_Event *e);

/* ---- the input fields (editor.c) and the model menu (menu.c) ---- */

void editor_open(App *a, int field);
void editor_close(App *a);
void editor_event(App *a, const SDL_Event *e);
/* A click while the fields are open: true when it was on a field (the
 * cursor goes there; shift: the selection grows to it). */
bool editor_click(App *a, float x, float y, bool shift);
void menu_open(App *a);
void menu_event(App *a, const SDL_Event *e);

/* ---- the source vocabulary (vocab.c) ---- */

/* session.unknown from the decoding on screen, in the UI language. */
void app_unknown_note(App *a);
void vocab_open(App *a);
void vocab_close(App *a);
void vocab_event(App *a, const SDL_Event *e);

/* ---- lessons and the picker (mode_lesson.c) ---- */

/* Open the picker on <root>/<lang>/; -1 with err when the folder cannot be read. */
int app_open_picker(App *a, const char *root, char *err);
/* Load a lesson and show its first slide. On failure the lesson is not
 * shown, err (and a->lesson.error) says FILE:LINE: what. */
int app_open_lesson(App *a, const char *path, char *err);
/* Show slide i (clamped): decode its model and input, or load its chart,
 * set step, phase, score, compare and teacher forcing. animate: play the
 * slide's phase once (the window), else show it complete (screenshots).
 * 0, or -1 with the reason in a->lesson.slide_err (shown in place of the animation). */
int app_enter_slide(App *a, int i, bool animate);
void app_close_lesson(App *a);
/* Free the picker's list. */
void app_close_picker(App *a);
/* The slide on screen has no animation (a chart, or its error). */
bool lesson_mode_still(const App *a);
void lesson_mode_event(App *a, const SDL_Event *e);
void lesson_mode_frame(App *a, float W, float H);
void picker_mode_event(App *a, const SDL_Event *e);
void picker_mode_frame(App *a, float W, float H);
/* Keys of lesson mode and the picker (keys.c calls them). */
void lesson_mode_next_slide(App *a, int dir);
void lesson_mode_back(App *a);
/* The decoding on screen is not the slide's own (Tab or typing changed its
 * input or reference): the narration is about something else. */
bool lesson_mode_off_slide(const App *a);
/* Backspace: the slide again, as it was entered. */
void lesson_mode_slide_again(App *a);
void picker_mode_move(App *a, int to);
void picker_mode_open_selected(App *a);
void picker_mode_switch_language(App *a);

/* ---- the training mode (mode_train.c, train_open.c, train_files.c) ---- */

/* Threads the app trains with: every core but one, which draws (at least 1). */
int app_train_threads(void);
/* How a run starts (train_open.c): the session's description and data, the
 * probe and its reference, what to call it, and how fast it goes. */
typedef struct {
    LearnDesc desc;
    const char *task;         /* a task's name, or NULL                   */
    const char *train, *test; /* or TSV files                              */
    long n_train;
    const char *probe, *reference;
    const char *name;         /* files' names: "<task>-<score>"             */
    bool training;            /* start training                           */
    int speed;                /* index into RUN_SPEED                      */
} TrainStart;
/* Defaults for a run of cfg: the recipe of `attnviz train`, the film strip,
 * a line every 10 steps, held-out every 100. */
void train_start_defaults(TrainStart *t, const ModelConfig *cfg);
/* The recipe a model's notes record (steps, batch, lr and its decay, clip,
 * teacher forcing and its schedule, seed), over the defaults. */
void train_recipe_from_notes(TrainStart *t, const char *notes);
/* The start of a run like model m: its configuration, its data (the
 * model's task, else task_hint, else the file it names), its recipe; false
 * with err when its data cannot be had. t->train may point into m. */
bool train_like_model(const Model *m, const char *task_hint, TrainStart *t, char *err);
/* Load the data, make the session and start it; the training mode shows it.
 * On failure nothing changes (the model or run on screen stays): -1 with err. */
int train_start(App *a, const TrainStart *t, char *err);
/* A run around a session made elsewhere (`attnviz learn`): it becomes the
 * training mode's. probe/reference/task as for TrainStart. */
int train_adopt(App *a, LearnSession *s, const TrainStart *t, char *err);
/* The probe a run starts with: `given` (NULL: example 0 of the task, else
 * the first held-out pair of the session), and its reference when it can
 * be had ("" when not), into probe and ref (cap bytes each). */
void train_default_probe(LearnSession *s, const char *task, const char *given, char *probe, char *ref, size_t cap);
/* L, and the menu: a model like the one on screen (configuration, task,
 * recipe), from random weights, probed with the input on screen. */
void train_like_view(App *a);
/* A TSV file dropped on the window: a model like the one on screen (or the
 * run's) trained on it. A bad line is refused with its number. */
void train_from_file(App *a, const char *path);
/* The screen is the training (the mode, or a lesson's training slide). */
bool app_training(const App *a);
void train_mode_event(App *a, const SDL_Event *e);
void train_mode_frame(App *a, float W, float H);
/* The training screen in a W × H area (design_w as the view's; text_min:
 * the window's type floor when the area is part of it, else 0). */
void train_frame(App *a, float W, float H, float design_w, float text_min);
/* Poll the run: new lines, film frames; redraw when they changed. */
void train_mode_update(App *a, double dt);
/* The run is training: the loop keeps polling. */
bool train_animating(const App *a);
/* The probe (the editor's Enter) and the snapshot on screen. */
void train_set_probe(App *a, const char *text, const char *reference);
/* The keys of the training mode (keys.c calls them). */
void train_key_play(App *a);
void train_key_step(App *a);
void train_key_speed(App *a, int dir);
void train_key_film(App *a, int to);   /* -1/+1 a neighbour; INT_MIN first, INT_MAX now */
void train_key_open(App *a);
void train_key_save(App *a);
void train_key_restart(App *a);
void train_key_example(App *a);
void train_key_back(App *a);
/* Esc in a decoding opened from the training: back to it. */
void train_back_from_view(App *a);
/* A lesson's training slide (train_lesson.c): a run like the slide's model
 * on its probe, going on from the slide before when it is the same run,
 * trained to its steps: at its speed (animate), or now (screenshots). 0, or
 * -1 with the reason in a->lesson.slide_err. */
int train_enter_slide(App *a, const LessonSlide *s, bool animate, bool have_dir, const char *dir);
/* The slide's model file in dir into path (a training or lab slide's): 0, or -1 with slide_err set. */
int train_slide_model_path(App *a, const LessonSlide *s, bool have_dir, const char *dir, char *path, size_t cap);
/* Leaving the lesson or its training slides: the run waits, or goes. */
void train_leave_slide(App *a, bool close);
/* Pointer events over the training screen (also a lesson's). */
void train_pointer_event(App *a, const SDL_Event *e);
/* Stop the worker, free the run, remove the snapshot files. */
void train_close(App *a);
/* Remove the snapshot files opened in the decoding view, and their folder. */
void train_remove_snapshots(App *a);
/* Files (train_files.c): the model as it is now, in the save folder; a
 * snapshot opened in the decoding view; the curves as PNG, SVG or CSV (by
 * the extension); the film strip as one PNG. */
int train_save(App *a, char *path, size_t cap, char *err);
int train_open_snapshot(App *a, int film, char *err);
int train_write_curves(App *a, const char *path, int w, int h, char *err);
int train_write_film(App *a, const char *path, int w, int h, char *err);

#endif
