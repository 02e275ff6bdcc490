/* learn.h — a learning session: a model trained step by step, with the learning log that shows it learning (MODEL.md, "The learning log").
 *
 * A session owns everything a training needs and can repeat: the
 * vocabularies and data sets (built from the text pairs it is given), the
 * model (made from the seed), the Trainer, the held-out set and the probe.
 * `attnviz train` and `attnviz learn` drive one to the end; the app's
 * training mode drives one from a worker thread and draws what it logs.
 *
 * The log is a list of LogLine records, one per logged step; step 0 is the
 * untrained model. A line is written at step 0, at every multiple of
 * log_every and of eval_every, at the planned last step (desc.train.steps),
 * and, with `film`, at the film strip's steps (0, 10, 20, 50, 100, 200,
 * 500, ...), where the session also keeps a copy of the weights.
 *
 * Threads. One thread (the worker) calls learn_step, learn_log_now,
 * learn_set_probe and learn_restart; they are never called at the same time. Any other thread
 * may call, at any time, the functions marked [any thread]: they take the
 * session's lock, which the worker holds only while it writes the weights
 * (one Adam update, a few µs) or appends a line. A LogLine, once listed, is
 * never changed: the pointer learn_line returns stays valid, and may be read
 * without a lock, until learn_restart or learn_free (which must not run
 * while another thread still reads one). No globals.
 */
#ifndef LEARN_H
#define LEARN_H

#include <stdbool.h>

#include <stdio.h>
#include "../engine/seq2seq.h"
#include "task.h"

/* One line of the learning log. Optional parts: has_heldout, has_probe
 * (and within it NAN for a measure that is unknown). */
typedef struct {
    long step;                /* updates done: 0 is the untrained model          */
    double seconds;           /* training time until now, evaluation excluded    */
    long examples;            /* training pairs seen: step × batch               */
    float loss;               /* mean cross-entropy of this step's mini-batch,
                                 before its update (PyTorch's loss.item() in the
                                 loop); step 0: the first mini-batch's, under
                                 the untrained weights, so it equals step 1's   */
    float grad_norm;          /* that gradient's global norm, before clipping    */
    float lr, tf_ratio;       /* what the step used (step 0: what step 1 uses)   */
    bool has_heldout;
    float heldout_exact, heldout_token;  /* greedy, on the held-out set, 0..1   */
    EvalStats heldout;        /* the counts behind them                          */
    bool has_probe;
    int probe_S, probe_T;     /* source tokens, output steps                    */
    const char **source_tokens;  /* [probe_S] (with an appended <eos> if any)    */
    const char **output_tokens;  /* [probe_T] greedy, <eos> included if produced */
    const float *weights;     /* [probe_T × probe_S]; NULL for score none        */
    float entropy;            /* mean entropy of the weights' rows (nats), NAN   */
    float alignment_accuracy; /* align.h; NAN when the right alignment is unknown */
} LogLine;

/* The line as one JSON object and a newline, MODEL.md's fields in its
 * order (absent parts left out; weights left out for score none), floats
 * as base/jsonw.h writes them. -1 when the stream has an error. */
int logline_json(const LogLine *l, FILE *fp);
/* The log as CSV, for a spreadsheet: the header line, then one row per
 * line with the JSON's scalar fields under pandas' json_normalize names
 * (step, seconds, examples, loss, grad_norm, lr, tf_ratio, heldout.exact,
 * heldout.token, probe.alignment_accuracy) and probe.entropy (nats); an
 * absent or non-finite value is an empty cell. -1 when the stream has an error. */
int logline_csv_header(FILE *fp);
int logline_csv(const LogLine *l, FILE *fp);

typedef struct {
    ModelConfig cfg;          /* checked by learn_create                        */
    TrainDesc train;          /* train.steps: the plan (schedules, last line)   */
    float lr_decay;           /* lr · decay^(step / every), smoothly; 0 or 1: constant */
    long lr_decay_every;
    long log_every;           /* a line every N steps; 0: none                  */
    long eval_every;          /* the held-out measure on a line every N steps,
                                 step 0 included; 0: none. The planned last step
                                 always has one.                                 */
    const char *probe;        /* text decoded on every line, or NULL (copied)   */
    const Task *task;         /* knows the probe's right alignment, or NULL     */
    bool film;                /* lines and weight copies at 0, 10, 20, 50, ...  */
    const char *name;         /* the saved model's "task": a task or file name  */
    const char *made_by;      /* the saved model's notes begin with it          */
} LearnDesc;

typedef struct LearnSession LearnSession;

/* Vocabularies from `train`, data sets, the model from desc->train.seed,
 * the Trainer, and the step-0 line. The pairs are copied. NULL with err set
 * (a bad configuration, an empty probe, out of memory). `test` may be empty. */
LearnSession *learn_create(const LearnDesc *desc, const Pairs *train, const Pairs *test, char *err);
void learn_free(LearnSession *s);

/* Up to n training steps, logging as it goes. A loss or gradient that is
 * not finite stops it with "the loss is not finite at step N" and leaves
 * the weights as they were before that step. last (may be NULL) gets the
 * last step's figures. */
int learn_step(LearnSession *s, long n, TrainStats *last, char *err);
/* A line at the current step now (with the held-out measure when heldout),
 * unless the last line is already at this step. */
int learn_log_now(LearnSession *s, bool heldout, char *err);
/* Decode another text on the lines from now on (NULL: none). A text that
 * does not encode leaves no probe, and says why. */
int learn_set_probe(LearnSession *s, const char *text, char *err);
/* Back to step 0: the same seed, the same model, an empty log and its
 * step-0 line; everything learn_line returned before is freed. */
int learn_restart(LearnSession *s, char *err);

/* Training time so far, evaluation excluded (the worker's clock). */
double learn_seconds(const LearnSession *s);

long learn_steps_done(LearnSession *s);                      /* [any thread] */
int learn_line_count(LearnSession *s);                       /* [any thread] */
const LogLine *learn_line(LearnSession *s, int i);           /* [any thread] */
/* The last line with a held-out measure, or NULL. */
const LogLine *learn_last_heldout(LearnSession *s);          /* [any thread] */
/* A copy of the model as it is now (free with model_free). */
int learn_snapshot(LearnSession *s, Model *out, char *err);  /* [any thread] */
/* The film strip: weight copies at the film steps reached so far. */
int learn_film_count(LearnSession *s);                       /* [any thread] */
int learn_film(LearnSession *s, int i, long *step, Model *out, char *err); /* [any thread] */
/* Save the model as it is now (model_save: all or nothing), with the task
 * and a note of how it was trained. */
int learn_save(LearnSession *s, const char *path, char *err); /* [any thread] */

/* What the session was built with. */
const Model *learn_model(const LearnSession *s);  /* the worker's own: read it on the worker */
const Dataset *learn_train_data(const LearnSession *s);
const Dataset *learn_test_data(const LearnSession *s);
int learn_threads(const LearnSession *s);

#endif
