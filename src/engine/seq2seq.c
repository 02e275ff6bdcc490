/* seq2seq.c — SKELETON: every function of seq2seq.h exists so that the tree
 * links while the engine is written. Each returns an error until done. */
#include "seq2seq.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
int seq2seq_decode(const Model *m, const int *src, int S, const DecodeDesc *d, Trace *out, char *err) {
    (void)m; (void)src; (void)S; (void)d; memset(out, 0, sizeof *out);
    return av_err(err, "seq2seq_decode: not implemented yet");
}
void dataset_free(Dataset *d) {
    free(d->src_off); free(d->src_len); free(d->tgt_off); free(d->tgt_len); free(d->ids);
    memset(d, 0, sizeof *d);
}
float seq2seq_loss_grad(const Model *m, const Dataset *d, const int *idx, int B, float tf_p, Rng *rng,
                        float *grads, int *correct, int *total, char *err) {
    (void)m; (void)d; (void)idx; (void)B; (void)tf_p; (void)rng; (void)grads; (void)correct; (void)total;
    av_err(err, "seq2seq_loss_grad: not implemented yet");
    return NAN;
}
const char *tf_schedule_name(TfSchedule s) { (void)s; return "constant"; }
int tf_schedule_parse(const char *s, TfSchedule *out) { (void)s; (void)out; return -1; }
float tf_probability(TfSchedule s, float p, float param, long k, long steps) { (void)s; (void)param; (void)k; (void)steps; return p; }
Trainer *trainer_create(Model *m, const TrainDesc *d, char *err) { (void)m; (void)d; av_err(err, "trainer: not implemented yet"); return NULL; }
int trainer_step(Trainer *tr, const Dataset *data, TrainStats *st, char *err) { (void)tr; (void)data; (void)st; return av_err(err, "trainer: not implemented yet"); }
void trainer_free(Trainer *tr) { (void)tr; }
int seq2seq_eval(const Model *m, const Dataset *d, EvalStats *st, char *err) { (void)m; (void)d; (void)st; return av_err(err, "eval: not implemented yet"); }
int seq2seq_greedy(const Model *m, const int *src, int S, int *out, int max) { (void)m; (void)src; (void)S; (void)out; (void)max; return 0; }
