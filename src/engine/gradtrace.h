/* gradtrace.h — backpropagation through attention for one decoding, as plain data (MODEL.md, "The gradient trace").
 *
 * seq2seq_grad_trace decodes one input against its reference with the
 * engine's own forward pass, runs the backward pass training runs
 * (net_backward with a batch of one), and copies out every gradient the
 * lesson shows: per step the logits', the output state's, the hidden
 * state's, the context's, the attention weights', the raw scores' and the
 * query's; the encoder states' and the source embeddings'; every tensor's.
 * Then it replays the same decoder inputs after one plain SGD step
 * W ← W − η ∂L/∂W (seq2seq_after_step, callable again alone when η
 * changes: one forward pass, no backward, in a workspace the GradTrace
 * keeps).
 *
 * The loss is training's for a batch of one: L = (1/T) Σ_t −log p_t(y*_t)
 * over the T = ref_len + 1 steps (<eos> included). Each field is ∂L/∂(that
 * quantity), summed over every path unless its comment says otherwise.
 *
 * Like a Trace, a GradTrace is self-contained plain data: it copies what it
 * needs (sizes, token ids, the whole parameter gradient) and outlives the
 * model; everything is in the input's own order, even with reverse_source.
 */
#ifndef GRADTRACE_H
#define GRADTRACE_H

#include "seq2seq.h"

/* One decoder step t. The four attention fields are NULL for score none. */
typedef struct {
    float *d_logits;        /* [V] (p_t − onehot(y*_t)) / T                              */
    float *d_output_state;  /* [H] what W_o reads: h̃_t (Luong with attention), else h_t,
                               which is then d_hidden itself                              */
    float *d_hidden;        /* [H] h_t, through every later use                           */
    float *d_context;       /* [D] c_t                                                    */
    float *d_weights;       /* [S] a_t(s), that is h̄_s · d_context                        */
    float *d_scores;        /* [S] the raw scores, through the softmax's Jacobian         */
    float *d_query;         /* [H] the query (h_t Luong, h_{t-1} Bahdanau), through this
                               step's scores only                                         */
} GradStep;

/* One parameter tensor's gradient, by its file name. */
typedef struct {
    char name[48];
    int rows, cols;         /* cols 0: a vector of `rows` floats                          */
    size_t size;
    float norm;             /* L2 norm of the gradient                                    */
    const float *grad;      /* [rows × cols] into GradTrace.grads                         */
} GradTensor;

/* The same decoder inputs replayed after W ← W − η ∂L/∂W. */
typedef struct {
    float lr;               /* η                                                          */
    float loss;             /* L after the step                                           */
    int S, T;
    float *weights;         /* [T × S] row t: a_t after the step; NULL for score none     */
    float *p_reference;     /* [T] p_t(y*_t) after the step                               */
    void *mem;
} AfterStep;

typedef struct {
    ModelConfig cfg;
    int S, T, E, D, H, V;
    float loss;                  /* L                                                     */
    int *src_ids;                /* [S] the source, input order                           */
    int *input_ids;              /* [T] y_{t-1} fed at each step (<sos> first)            */
    int *reference_ids;          /* [T] y*_t (<eos> last)                                 */
    bool *teacher_forced;        /* [T] the input was the reference, by a coin            */
    GradStep *steps;             /* [T]                                                   */
    float *d_encoder_states;     /* [S × D] h̄_s as the encoder's outputs: attention at
                                    every step plus the decoder start state               */
    float *d_source_embeddings;  /* [S × E] x_s, after the encoder's backward pass        */
    int n_tensors;
    GradTensor *tensors;         /* [n_tensors] every tensor, in the model's layout order */
    size_t n_params;
    float *grads;                /* [n_params] ∂L/∂θ in the model's flat layout           */
    AfterStep after;             /* at the η given to seq2seq_grad_trace, or the last
                                    seq2seq_after_step                                    */
    void *mem;                   /* owns every array above but `after`'s                  */
    void *work;                  /* the replay's workspace, kept for another η            */
} GradTrace;

/* Decode src (ids, input order, S ≥ 1) against d->reference (required;
 * d->teacher_forcing and d->seed flip training's coins) and take the
 * gradient of L; then the step at learning rate lr (≥ 0). When trace is
 * not NULL it receives the forward pass's Trace (the same coins), as
 * seq2seq_decode would give it. Fails with one line in err for bad ids, no
 * reference, or a loss or gradient that is not finite (naming the tensor). */
int seq2seq_grad_trace(const Model *m, const int *src, int S, const DecodeDesc *d, float lr,
                       GradTrace *out, Trace *trace, char *err);
void grad_trace_free(GradTrace *g);

/* The replay alone, for another η: g->after is replaced (only on success).
 * m must be the model g was made from. One forward pass, no allocation but
 * the new AfterStep's: cheap enough for a live slider. */
int seq2seq_after_step(const Model *m, GradTrace *g, float lr, char *err);
void after_step_free(AfterStep *a);

/* MODEL.md's JSON layout, with the trace's head (model, coins, source
 * tokens) and its token texts; tr must be the Trace of the same decoding.
 * Written as base/outfile.h says ("-" is stdout). */
int grad_trace_write_json(const GradTrace *g, const Trace *tr, const char *path, char *err);
/* The same into a stream the caller opened (several files, all or nothing);
 * -1 (nothing written) when tr is not the Trace of g's decoding. */
int grad_trace_print_json(FILE *fp, const GradTrace *g, const Trace *tr, char *err);

#endif
