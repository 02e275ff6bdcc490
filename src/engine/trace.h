/* trace.h — every number the engine computes for one decoding.
 *
 * The engine writes a Trace; the visualizer and the exporters only read it.
 * A Trace is self-contained plain data (it copies the configuration, the
 * source tokens and the target vocabulary), so it outlives the model that
 * made it. Everything is in the input's own order, even for a model with
 * reverse_source.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdio.h>

#include "model.h"

typedef struct {
    int input_id;         /* y_{t-1} fed at this step (<sos> at step 1)            */
    bool teacher_forced;  /* input was the reference token by a coin flip          */
    float coin;           /* the uniform draw that decided it, or -1 (no flip)     */
    int token_id;         /* argmax of probs: the model's prediction               */
    int reference_id;     /* y*_t, or -1 without a reference                        */
    float *query;         /* [H] h_t (Luong) or h_{t-1} (Bahdanau); NULL for none   */
    float *scores;        /* [S] raw scores before softmax; NULL for none           */
    float *weights;       /* [S] a_t, sums to 1; NULL for none                      */
    float *context;       /* [D] c_t; NULL for none                                 */
    float *attentional;   /* [H] h̃_t (Luong with attention), else h_t: what W_o reads */
    float *hidden;        /* [H] h_t, the decoder state after this step's cell       */
    float *probs;         /* [V] p_t, the full output distribution                  */
} TraceStep;

typedef struct {
    ModelConfig cfg;
    int S, D, H, V;       /* V = tgt vocabulary size */
    int *src_ids;         /* [S] (with source_eos, the last is <eos>) */
    char **src_tokens;    /* [S] the source tokens as text */
    int n_unknown;        /* input tokens the vocabulary did not know ...  */
    int *unknown;         /* [n_unknown] ... their positions: src_ids is <unk> there */
    float *enc_states;    /* [S × D] h̄_s, row s is source position s */
    float *h0;            /* [H] decoder start state */
    Vocab tgt;            /* copy of the target vocabulary */
    int T;
    TraceStep *steps;     /* [T] */
    bool has_reference;
    float teacher_forcing;/* p used for the coin flips (0 when no reference) */
    uint64_t seed;
    void *mem;            /* owns every array above */
} Trace;

/* A token's text, for display. */
const char *trace_token(const Trace *t, int tgt_id);
/* Output tokens: predictions up to (not including) the first <eos>. */
int trace_output_len(const Trace *t);
void trace_free(Trace *t);

/* MODEL.md's JSON layout, written as base/outfile.h says ("-" is stdout). */
int trace_write_json(const Trace *t, const char *path, char *err);
/* The same into a stream the caller opened (several files, all or nothing). */
void trace_print_json(FILE *fp, const Trace *t);

#endif
