/* net.h — the activations of one forward pass over a mini-batch, and their
 * gradients (engine-internal; the public API is seq2seq.h).
 *
 * A Net is a workspace: every array the forward computes is kept, so that the
 * backward can read it, and a trace (B = 1) is just a copy of it. Arrays are
 * laid out time-major, [step][row][feature], so that the B rows of one step
 * are one contiguous matrix, and the weight gradients of a recurrence can be
 * accumulated over all steps with one matrix product.
 */
#ifndef NET_H
#define NET_H

#include "model.h"

typedef struct {
    /* sizes of the model */
    int G, E, He, D, H, A, I, K, Vs, Vt, ndir;
    /* sizes of the current batch, and what is allocated */
    int B, S, T;
    int capB, capS, capT;
    bool grads_on;            /* the gradient half is allocated */

    /* ---- integers ---- */
    int *len;                 /* [B]     source lengths                              */
    int *src_rd;              /* [B × S] source ids in reading order (reversed for
                                 reverse_source), 0 past len                          */
    int *tlen;                /* [B]     target lengths (<eos> included), 0 if none   */
    int *tok_in;              /* [T × B] decoder input y_{t-1}                         */
    int *tgt;                 /* [T × B] reference y*_t, -1 past the end or none       */
    int *pred;                /* [T × B] argmax of p_t                                 */
    float *coin;              /* [T × B] teacher-forcing draw, -1 when none           */
    unsigned char *forced;    /* [T × B] the reference was fed                        */
    unsigned char *done;      /* [B]     the row has produced <eos> (greedy decoding)  */

    /* ---- forward: encoder (direction d: 0 forward, 1 backward) ---- */
    float *ex;                /* [S × B × E]      embeddings, by position             */
    float *egi[2];            /* [S × B × G·He]   x W_ihᵀ + b_ih, by position          */
    float *egh[2];            /* [S × B × G·He]   h W_hhᵀ + b_hh, by step k            */
    float *eact[2];           /* [S × B × G·He]   gate activations, by step k          */
    float *eh[2], *ec[2];     /* [(S+1) × B × He] states; [0] = 0, [k+1] after step k  */
    float *etc[2];            /* [S × B × He]     tanh(c) after step k (LSTM)           */
    float *mem;               /* [B × S × D]      h̄_s, reading order, 0 at padding     */
    float *keys;              /* [B × S × K]      W_a h̄_s (general) or the h̄ half of
                                 the tanh layer (concat/additive); = mem for dot       */
    float *bin;               /* [B × 2He]        bridge input [h→_S ; h←_1]          */
    /* ---- forward: decoder (step t = 1..T is index t-1; states index t) ---- */
    float *x;                 /* [T × B × I]      cell input                            */
    float *gi, *gh, *act;     /* [T × B × G·H]                                          */
    float *h, *c;             /* [(T+1) × B × H]  h[0] = decoder start state            */
    float *tc;                /* [T × B × H]      tanh(c_t) (LSTM)                      */
    float *qp;                /* [T × B × A]      query half of the tanh layer          */
    float *u;                 /* [T × B × S × A]  tanh layer of concat/additive         */
    float *sc, *aw;           /* [T × B × S]      raw scores, softmax weights           */
    float *ctx;               /* [T × B × D]      context c_t                           */
    float *cat;               /* [T × B × (D+H)]  [c_t ; h_t] (Luong)                   */
    float *ht;                /* [T × B × H]      h̃_t (Luong with attention)            */
    float *logits, *probs;    /* [T × B × V]                                            */

    /* ---- gradients of the activations (same shapes, prefix g_) ---- */
    float *g_ex, *g_egi[2], *g_egh[2], *g_eh[2], *g_ec[2], *g_mem, *g_keys, *g_bin, *g_h0pre;
    float *g_x, *g_gi, *g_gh, *g_h, *g_c, *g_qp, *g_sc, *g_aw, *g_ctx, *g_cat, *g_htpre, *g_ht,
          *g_logits;
    /* optional, owned by the caller: when set, the attention's backward also
     * writes here, [T × B × H], the query's gradient through each step's
     * scores alone (in g_h it is summed with the other paths); the caller
     * zeroes it before net_backward. The gradient trace uses it (d_query). */
    float *g_q;

    /* ---- decoding stops at the first number that is not finite ---- */
    bool check_finite;        /* set by the caller: check every step's outputs         */
    int bad_step;             /* 0 none; -1 the encoder; t the decoder step t          */
    const char *bad_what;     /* what was not finite ("the attention scores are", ...) */
    bool bad_nan;             /* NaN (else an infinity)                                */

    void *fwd_mem, *grad_mem; /* the two allocations                                  */
    size_t grad_floats;
} Net;

#endif
