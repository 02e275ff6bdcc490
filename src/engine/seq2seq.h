/* seq2seq.h — decoding, loss and gradients, training.
 *
 * Teacher forcing (MODEL.md): step 1 always reads <sos>. At each step t ≥ 2,
 * when a reference is given and p > 0, a coin u ~ U[0,1) is drawn from the
 * seeded Rng: u < p (heads) feeds the reference y*_{t-1}, tails feeds the
 * model's own argmax at t-1. No gradient flows through that choice.
 * In a batch there is one coin per example per step, drawn step by step
 * (all rows of step 2, then all rows of step 3, ...).
 */
#ifndef SEQ2SEQ_H
#define SEQ2SEQ_H

#include "model.h"
#include "trace.h"

/* ---- one decoding, with its full trace ---- */
typedef struct {
    int max_len;              /* 0: default 64. Steps without a reference  */
    const int *reference;     /* target ids WITHOUT <eos>, or NULL         */
    int ref_len;
    float teacher_forcing;    /* p for the coin flips, used with reference */
    uint64_t seed;            /* seeds the coin flips                      */
} DecodeDesc;

/* Decode src (ids, input order, length S ≥ 1). Without a reference: greedy
 * until <eos> or max_len steps. With one: exactly ref_len + 1 steps (the
 * reference plus <eos>), like training. */
int seq2seq_decode(const Model *m, const int *src, int S, const DecodeDesc *d,
                   Trace *out, char *err);

/* ---- data ---- */
/* Tokenised pairs. Targets end with <eos> (the id TOK_EOS is stored). */
typedef struct {
    int n;
    int *src_off, *src_len;   /* [n] into ids */
    int *tgt_off, *tgt_len;   /* [n] into ids; tgt_len counts the <eos> */
    int *ids;
    int max_src, max_tgt;
} Dataset;

void dataset_free(Dataset *d);

/* ---- loss and gradients ----
 * Mean cross-entropy over every target token of the batch (<eos> included,
 * padding excluded), and its gradient, ACCUMULATED (+=) into grads, a flat
 * buffer with m->layout. idx[B] picks the examples. tf_p is the
 * teacher-forcing probability for t ≥ 2 (1 = always the reference); coins
 * come from rng. grads may be NULL (loss only). Returns the loss, or NAN
 * with err set. correct/total, when non-NULL, receive token-accuracy counts. */
float seq2seq_loss_grad(const Model *m, const Dataset *d, const int *idx, int B,
                        float tf_p, Rng *rng, float *grads,
                        int *correct, int *total, char *err);

/* ---- training ---- */
typedef enum { TF_CONSTANT, TF_LINEAR, TF_EXPONENTIAL, TF_INVSIGMOID } TfSchedule;
const char *tf_schedule_name(TfSchedule s);
int tf_schedule_parse(const char *s, TfSchedule *out);
/* p_tf at training step k (0-based):
 *   constant p; linear max(p_min, p·(1 - k/steps)); exponential p·ε^k;
 *   inverse sigmoid κ/(κ + exp(k/κ)) (Bengio et al. 2015). */
float tf_probability(TfSchedule s, float p, float param, long k, long steps);
/* (param ≤ 0 means the default: p_min 0, ε 0.999, κ = steps/10.) */

typedef struct {
    int batch;                /* 0: 32 */
    float lr;                 /* 0: 3e-3 (Adam) */
    float beta1, beta2, eps;  /* 0: 0.9, 0.999, 1e-8 */
    float clip;               /* global-norm clip, 0: 1.0, <0: off */
    float teacher_forcing;    /* p, 0 means 0 (use 1 for always) */
    TfSchedule tf_schedule;
    float tf_param;           /* ε (exponential) or κ (inverse sigmoid) */
    long steps;               /* planned steps, for the linear schedule */
    uint64_t seed;
    int threads;              /* 0 or 1: the caller's thread only. The result
                                 does not depend on it (train.c, "trainer"). */
} TrainDesc;

typedef struct {
    long step;                /* steps done */
    float loss;               /* of the last step */
    float token_acc;          /* of the last batch */
    float tf_p;               /* p_tf used */
    float grad_norm;          /* before clipping */
} TrainStats;

typedef struct Trainer Trainer;
/* m's weights are the Trainer's until trainer_free: read them at any time
 * between steps, change them only through it. */
Trainer *trainer_create(Model *m, const TrainDesc *d, char *err);
/* One optimisation step on a random mini-batch of data. A loss or gradient
 * that is not finite fails with "... at step N" and changes no weight. */
int trainer_step(Trainer *tr, const Dataset *data, TrainStats *st, char *err);
/* trainer_step in its two halves, for a caller that lets another thread read
 * the weights: trainer_gradient only reads them (the next batch's loss and
 * clipped gradient), trainer_update alone writes them (Adam with that
 * gradient; nothing without a successful trainer_gradient before it). */
int trainer_gradient(Trainer *tr, const Dataset *data, TrainStats *st, char *err);
void trainer_update(Trainer *tr);
/* The loss, token accuracy and gradient norm the next step will report,
 * measured without taking it (no weight, moment or random draw changes);
 * st->step is the steps done so far. The learning log's step 0. */
int trainer_peek(Trainer *tr, const Dataset *data, TrainStats *st, char *err);
long trainer_steps_done(const Trainer *tr);
int trainer_threads(const Trainer *tr);  /* the threads it really runs */
void trainer_free(Trainer *tr);
/* Change the learning rate between steps (added by the tasks issue). */
void trainer_set_lr(Trainer *tr, float lr);

/* Greedy decoding of a whole data set (batched, no trace): exact match
 * (whole target right, <eos> included) and token accuracy. */
typedef struct { int n, exact; long tokens, tokens_right; } EvalStats;
int seq2seq_eval(const Model *m, const Dataset *d, EvalStats *st, char *err);
/* Greedy decode of one example into ids (no trace); returns length, ≤ max. */
int seq2seq_greedy(const Model *m, const int *src, int S, int *out, int max);

#endif
