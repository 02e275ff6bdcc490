/* s2s_internal.h — what seq2seq.c, train.c and trace.c share (not public). */
#ifndef S2S_INTERNAL_H
#define S2S_INTERNAL_H

#include "net.h"
#include "seq2seq.h"

int net_reserve(Net *n, const Model *m, int B, int S, int T, bool grads, char *err);
void net_free(Net *n);
/* WT[n_params]: the model's layout, every 2-D weight stored transposed */
void weights_transpose(const Model *m, float *WT);
void net_encode(Net *n, const Model *m, const Weights *wt, const int *const *src, const int *len);
double net_decode_step(Net *n, const Model *m, const Weights *wt, int i);
double net_decode(Net *n, const Model *m, const Weights *wt, const int *tgt, float tf_p, Rng *rng,
                  bool stop_eos);
void net_backward(Net *n, const Model *m, const Weights *gw, float scale);
int net_load_batch(Net *n, const Model *m, const Weights *wt, const Dataset *d, const int *idx,
                   int B, bool grads, int **tgt_out, char *err);
float net_loss_grad(Net *n, const Model *m, const Weights *wt, const Dataset *d, const int *idx,
                    int B, float tf_p, Rng *rng, const Weights *gw, int *correct, int *total,
                    char *err);
/* trace.c: copy a B = 1 Net into a Trace (input order) */
int trace_from_net(Trace *tr, const Net *n, const Model *m, const int *src, float tf_p,
                   uint64_t seed, bool has_ref, char *err);

#endif
