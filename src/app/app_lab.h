/* app_lab.h — the App's part for the mechanism lab in the window (mode_lab.c): its state and what the rest of the app calls. app.h includes it. */
#ifndef APP_LAB_H
#define APP_LAB_H

#include <SDL.h>
#include <stdbool.h>

#include "../lesson/lesson.h"
#include "../tasks/lab.h"
#include "train_run.h"

typedef struct App App;

/* The mechanism lab in the window (mode_lab.c): one TrainRun per
 * configuration, each on its own worker, kept in step by the main thread:
 * it gives every run the same steps and gives more only when all are
 * idle, so the columns always show the same step. */
typedef struct LabLoad LabLoad;   /* a lab being made on its own thread (mode_lab.c) */
typedef struct {
    LabLoad *load;            /* the next lab, being made; NULL: none          */
    LabLoad *dropped[4];      /* labs left while being made: their threads end  */
    int n_dropped;            /* on their own, lab_mode_update frees them       */
    TrainRun *run[LAB_MAX];   /* n runs; none: no lab (yet)                     */
    int n;
    int axis;                 /* which of the lab's axes (1, 2, 3 on the keyboard) */
    bool playing;             /* Space: steps are given as they fall due        */
    int speed;                /* index into RUN_SPEED                           */
    double due;               /* below full speed: when the next step falls due */
    int single;               /* single steps asked (.) and not yet given       */
    long plan;                /* every run's planned steps                      */
    int back;                 /* Esc goes back there (an AppMode)               */
    bool resume;              /* the training it was opened from was training   */
    LearnDesc base;           /* the configuration and recipe the lab varies    */
    long n_train;
    char task[64];            /* what it was opened on: the model's task ("" none), */
    char probe[1024], reference[1024];   /* probe and reference (the third axis has its own) */
    char what[64];            /* the data it trains on (a task)                 */
    double drawn_at;          /* when the last frame was drawn (seconds)        */
    bool pending;             /* a run changed since: draw when it is time      */
    double rate, rate_t;      /* measured steps per second, and since when      */
    long rate_steps;
    /* a lesson's lab slide (lab_lesson.c) */
    char lesson_key[1400];    /* a slide's lab: its model, probe, seed, lab: and steps ("": not a slide's) */
    long stop_at;             /* pause there (the slide's steps); -1: no stop    */
    long shown_plan;          /* the slide's steps: the charts' span until passed */
} AppLab;

/* The lab is a slide's, beside its narration. */
static inline bool lab_in_lesson(const AppLab *l) { return l->lesson_key[0] != 0; }

/* ---- the mechanism lab (mode_lab.c) ---- */

/* Its axes: 1 the scores (with none), 2 teacher forcing, 3 the reversed
 * input on long copy. */
enum { LAB_AXES = 3 };
/* The most steps a lab plans (its runs stop there unless a slide asks more). */
enum { LAB_MAX_STEPS = 2000 };
/* Open the lab on axis (0-based) from base (a configuration and recipe,
 * data task, n_train), probed with probe (NULL: the task's example) and its
 * reference: every configuration from the same seed, training once made.
 * The data and the models are made on a thread (the window says so
 * meanwhile); a lab on screen stays until the new one is ready. -1 with err
 * when it cannot start (nothing changes); a failure later is said in the
 * status line and the screen goes back. Esc goes back to the mode it came from. */
int lab_open(App *a, const LearnDesc *base, const char *task, long n_train, int axis, const char *probe,
             const char *reference, char *err);
/* L in the training mode: a lab like its run; the model menu: like the model on screen. */
void lab_from_training(App *a);
void lab_from_view(App *a);
void lab_mode_event(App *a, const SDL_Event *e);
void lab_mode_frame(App *a, float W, float H);
/* The lab's screen in a W × H area (text_min: the window's type floor
 * when the area is part of it, else 0). */
void lab_frame(App *a, float W, float H, float text_min);
/* Over a W × H window: the key help (?) and the status line. */
void lab_overlays(App *a, float W, float H);
/* A lab made on its thread becomes the one on screen (waits for it). */
void lab_take_load(App *a);
/* Start making a lab of spec's configurations (`learn --lab`'s value) of
 * base, plan steps each, on its own thread; NULL with err. */
LabLoad *lab_load_start(const LearnDesc *base, const Task *task, long n_train, const char *spec, const char *probe,
                        const char *reference, long plan, char *err);

/* ---- a lesson's lab slide (lab_lesson.c) ---- */
/* mode: lab: the lab like the slide's model, of its lab: value, trained
 * to its steps (live when animate, else before returning: a screenshot).
 * The next lab slide with the same model, probe, seed and lab: goes on
 * with it. 0, or -1 with the reason in the lesson's slide_err. */
int lab_enter_slide(App *a, const LessonSlide *s, bool animate, bool have_dir, const char *dir);
/* Leaving the lab's slides (another slide, the lesson closed): the lab's
 * workers stop and are joined. */
void lab_leave_slide(App *a);
/* A lab slide is on screen with its lab. */
bool app_lab_slide(const App *a);
/* The lab of a slide could not be made: the slide says why. */
void lab_lesson_failed(App *a, const char *err);
/* Poll the runs, give them their steps, redraw when they changed. */
void lab_mode_update(App *a, double dt);
bool lab_animating(const App *a);
/* Steps asked and not taken yet, a run in a step, or a lab being made (tests wait on it). */
bool lab_busy(App *a);
/* The lab is on screen: its mode, or a lesson's lab slide. */
bool lab_shown(const App *a);
/* A lab is being made. */
bool lab_loading(const App *a);
/* The fewest steps any configuration has done. */
long lab_steps(App *a);
/* The keys (keys.c). */
void lab_key_play(App *a);
void lab_key_step(App *a);
void lab_key_speed(App *a, int dir);
void lab_key_restart(App *a);
void lab_key_axis(App *a, int axis);
void lab_key_back(App *a);
/* Stop the workers and free the runs; a lab still being made is left to
 * finish on its thread (the window does not wait for it). */
void lab_close(App *a);
/* Labs left while being made whose threads are still working. */
int lab_dropped(const App *a);
/* lab_close, then wait for those threads too (quitting). */
void lab_shutdown(App *a);

#endif
