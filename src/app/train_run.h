/* train_run.h — one training run in the app: a learning session, the worker thread that trains it, and what the screen keeps of it (its curves, its probe, its film strip).
 *
 * The training mode (mode_train.c) shows one run. The mechanism lab holds
 * several: each configuration is a TrainRun made with run_create from its
 * own session; run_poll each frame; run_curves gives each one's series to
 * the curves chart (VizCurves, with run->label as its legend entry) and
 * run_probe its probe matrix. Runs know nothing of each other or of the App.
 *
 * Threads. The worker alone trains: it calls the session's worker functions
 * (learn_step, learn_log_now). The main thread asks through the run_*
 * functions below, which only set flags under the run's lock and wake the
 * worker, and reads the session through its [any thread] functions. What
 * only the worker may do but the main thread wants (restart, another probe)
 * the main thread does itself after parking the worker (it finishes the
 * step it is in and waits): from run_park to run_unpark the main thread is
 * the worker. Lines the session listed stay valid until a restart, which
 * only the main thread does, so the pointers it keeps never dangle.
 */
#ifndef TRAIN_RUN_H
#define TRAIN_RUN_H

#include <pthread.h>
#include <stdbool.h>

#include "../base/err.h"
#include "../tasks/align.h"
#include "../tasks/learn.h"
#include "../viz/train_view.h"

/* The speed ladder: steps per second; the last, 0, as fast as it goes. */
enum { RUN_SPEEDS = 9, RUN_FULL = RUN_SPEEDS - 1 };
extern const int RUN_SPEED[RUN_SPEEDS];
/* The index of the ladder's speed nearest steps_per_s (0 or less: full). */
int run_speed_index(int steps_per_s);

/* The screen's names for the same states (train_view.h). */
typedef enum {
    RUN_PAUSED = VIZ_RUN_PAUSED,       /* waiting for Space or a single step */
    RUN_TRAINING = VIZ_RUN_TRAINING,   /* stepping at its speed              */
    RUN_DONE = VIZ_RUN_DONE,           /* reached the planned steps          */
    RUN_FAILED = VIZ_RUN_FAILED,       /* stopped: the reason is in error    */
} RunState;

/* The probe decoded on some weights, owned (the film's, and the live one
 * until the worker logs a line with it). */
typedef struct {
    VizProbe p;
    void *mem;
} RunShot;

/* What the worker and the main thread share: everything under mu. */
typedef struct {
    bool quit, park, parked;
    RunState state;
    int speed;               /* steps per second, 0: full                  */
    long single;             /* single steps asked and not taken yet       */
    long pause_at;           /* pause on reaching this step; 0: never      */
    long steps;              /* done                                       */
    bool stepping;           /* inside learn_step                          */
    unsigned changes;        /* bumped after every step                    */
    char error[AV_ERR_LEN];
} RunShared;

typedef struct TrainRun {
    LearnSession *s;
    char label[64];          /* the legend's name for this run             */
    long plan;               /* the planned steps: the run is done there   */
    bool film;               /* the session keeps the film strip's weights */
    const Task *task;        /* the probe's right alignment, or NULL       */

    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    RunShared c;

    /* the main thread's, from here on */
    char probe[1024], reference[1024];   /* the probe; its reference, "" when none */
    char **ref_tokens;       /* the reference as target tokens, then "<eos>" */
    int n_ref;
    SrcSpan *right;          /* the probe's right alignment, when the task knows it */
    int n_right;             /* -1: unknown                                */
    int probe_line0;         /* lines from this index on decode this probe */
    RunShot live;            /* the probe when it changed, until a line has it */
    bool have_live;
    RunShot *shots;          /* the film strip, one per film frame          */
    int n_shots, cap_shots;
    float *series;           /* one block: VIZ_SERIES arrays of cap points  */
    int n_points, cap_points, n_held;
    float *held;             /* one block: step, exact, token × cap_held    */
    int cap_held;
    int lines_seen;          /* session lines read into the series          */
    unsigned seen_changes;
    double rate, rate_t;     /* measured steps per second, and when        */
    long rate_steps;
} TrainRun;

/* How a run starts. */
typedef struct {
    long plan;               /* the session's planned steps (desc.train.steps) */
    const char *label;       /* its legend entry, or NULL                    */
    const char *probe;       /* the session's probe (desc.probe), or NULL    */
    const char *reference;   /* the probe's right output, or NULL            */
    const Task *task;        /* knows the probe's right alignment, or NULL   */
    bool film;               /* the session keeps the film strip (desc.film) */
    bool training;           /* start training (else paused at step 0)       */
    int speed;               /* steps per second, 0: full                    */
} RunDesc;

/* A run around a session it now owns (freed even on failure), its worker
 * started. NULL with err. */
TrainRun *run_create(LearnSession *s, const RunDesc *d, char *err);
/* Stop the worker (it finishes its step), join it, free everything. NULL is fine. */
void run_free(TrainRun *r);

/* ---- asking the worker (main thread, any time) ---- */
void run_set_training(TrainRun *r, bool on);      /* Space                      */
void run_single_step(TrainRun *r);                /* pause, then one step       */
void run_set_speed(TrainRun *r, int steps_per_s); /* 0: full                    */
void run_pause_at(TrainRun *r, long step);        /* pause when reaching it; 0: never */
/* A snapshot of the shared state. */
RunShared run_shared(TrainRun *r);
/* Steps asked for and not yet taken, or the worker inside a step. */
bool run_busy(TrainRun *r);
/* Block until the worker has nothing asked left (tests, screenshots) or
 * the state is not RUN_TRAINING... with a bound in seconds: false on timeout. */
bool run_wait_idle(TrainRun *r, double seconds);
/* Train at full speed, waiting, until step `step` (or done / failed). */
bool run_train_to(TrainRun *r, long step, double seconds);

/* ---- as the worker (main thread; parks it) ---- */
/* Back to step 0 with the same seed; training goes on as it was. */
int run_restart(TrainRun *r, char *err);
/* Another probe (text, and its reference or NULL) from now on; the
 * film strip is decoded again with it. */
int run_set_probe(TrainRun *r, const char *text, const char *reference, char *err);

/* ---- what the screen reads (main thread, train_show.c) ---- */
/* Read the new lines into the series and decode new film frames; true
 * when something changed since the last call. */
bool run_poll(TrainRun *r);
/* The curves of this run (pointers into the run, valid until the next poll). */
void run_curves(const TrainRun *r, VizCurves *out);
/* The probe on the latest weights, or on film frame i (0 .. n_shots-1). */
void run_probe(const TrainRun *r, int film, VizProbe *out);
/* The film strip's probes (n_shots of them; each with the reference). */
int run_film(const TrainRun *r, VizProbe *out, int cap);
/* The screen's side of a new probe: its reference tokens, right
 * alignment and its decoding on the weights as they are now; the film
 * strip is decoded again. On failure (a text that does not encode) the old
 * probe stays. */
int run_show_probe(TrainRun *r, const char *text, const char *reference, char *err);
/* Free what run_poll and run_set_probe built (restart). */
void run_show_reset(TrainRun *r);
void run_show_free(TrainRun *r);
/* The probe decoded on a model's weights at step `step`, into shot. */
int run_decode_probe(TrainRun *r, const Model *m, long step, RunShot *shot, char *err);

#endif
