/* demo_trace.c — a synthetic, self-consistent Trace (see view.h): the
 * weights are the softmax of the scores, the contexts are the weighted sums
 * of the encoder states, the prediction is the argmax of the output
 * distribution. For layout tests and demos without a trained model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"
#include "view.h"

int viz_demo_trace(Trace *tr, const char *src, int out_len, StyleKind style, ScoreKind score,
                   bool with_reference, uint64_t seed, char *err) {
    memset(tr, 0, sizeof *tr);
    static const char *const VOCAB[] = {"<pad>", "<sos>", "<eos>", "<unk>", "-", "0", "1", "2", "3", "4",
                                        "5", "6", "7", "8", "9", "a", "b", "c", "d", "e"};
    int V = (int)(sizeof VOCAB / sizeof *VOCAB);
    /* split src into code points */
    int S = (int)utf8_count(src);
    if (S < 1 || out_len < 1) return av_err(err, "demo trace: empty source or output");
    int T = out_len, D = 8, H = 8;
    ModelConfig cfg = {.cell = CELL_LSTM, .style = style, .score = score, .embed = 8, .enc_hidden = D, .hidden = H,
                       .attn_dim = score == SCORE_CONCAT || score == SCORE_ADDITIVE ? 8 : 0, .tokenizer = TOK_CHAR};
    bool attn = score != SCORE_NONE;
    size_t nf = (size_t)S * D + H + (size_t)T * ((attn ? 2 * (size_t)S + H + D : 0) + 2 * (size_t)H + V);
    size_t bytes = nf * sizeof(float) + (size_t)S * (sizeof(char *) + sizeof(int)) + strlen(src) + (size_t)S
                 + (size_t)T * sizeof(TraceStep) + 64;
    char *mem = calloc(1, bytes);
    if (!mem) return av_err(err, "demo trace: out of memory");
    tr->mem = mem;
    float *f = (float *)mem;
    char *cur = mem + nf * sizeof(float);
    tr->steps = (TraceStep *)cur; cur += (size_t)T * sizeof(TraceStep);
    tr->src_tokens = (char **)cur; cur += (size_t)S * sizeof(char *);
    tr->src_ids = (int *)cur; cur += (size_t)S * sizeof(int);
    const char *p = src;
    for (int s = 0; s < S; s++) {
        const char *q = p;
        utf8_next(&p);
        memcpy(cur, q, (size_t)(p - q));
        cur[p - q] = 0;
        tr->src_tokens[s] = cur;
        tr->src_ids[s] = 4 + s % (V - 4);
        cur += p - q + 1;
    }
    tr->cfg = cfg;
    tr->S = S; tr->D = D; tr->H = H; tr->V = V; tr->T = T;
    if (vocab_init(&tr->tgt, VOCAB, V, err) != 0) { free(mem); memset(tr, 0, sizeof *tr); return -1; }
    Rng rng;
    rng_seed(&rng, seed);
    tr->enc_states = f; f += (size_t)S * D;
    for (int i = 0; i < S * D; i++) tr->enc_states[i] = tanhf(1.3f * rng_normal(&rng));
    tr->h0 = f; f += H;
    for (int i = 0; i < H; i++) tr->h0[i] = tanhf(rng_normal(&rng));
    tr->has_reference = with_reference;
    tr->teacher_forcing = with_reference ? 0.5f : 0;
    tr->seed = seed;
    int prev = TOK_SOS;
    for (int t = 0; t < T; t++) {
        TraceStep *st = &tr->steps[t];
        st->input_id = prev;
        st->coin = -1;
        if (attn) {
            st->query = f; f += H;
            st->scores = f; f += S;
            st->weights = f; f += S;
            st->context = f; f += D;
            for (int i = 0; i < H; i++) st->query[i] = tanhf(rng_normal(&rng));
            float centre = (float)t * (float)(S - 1) / (float)(T > 1 ? T - 1 : 1), mx = -INFINITY, sum = 0;
            for (int s = 0; s < S; s++) {
                float d = (float)s - centre;
                st->scores[s] = 0.8f * rng_normal(&rng) + 5.0f * expf(-d * d / 2) - 1.5f;
                mx = fmaxf(mx, st->scores[s]);
            }
            for (int s = 0; s < S; s++) sum += st->weights[s] = expf(st->scores[s] - mx);
            for (int s = 0; s < S; s++) st->weights[s] /= sum;
            for (int i = 0; i < D; i++) {
                float c = 0;
                for (int s = 0; s < S; s++) c += st->weights[s] * tr->enc_states[(size_t)s * D + i];
                st->context[i] = c;
            }
        }
        st->hidden = f; f += H;
        st->attentional = f; f += H;
        st->probs = f; f += V;
        for (int i = 0; i < H; i++) st->hidden[i] = tanhf(rng_normal(&rng));
        for (int i = 0; i < H; i++) st->attentional[i] = tanhf(rng_normal(&rng));
        if (attn && style == STYLE_BAHDANAU) memcpy(st->query, t ? tr->steps[t - 1].hidden : tr->h0, (size_t)H * sizeof(float));
        if (attn && style == STYLE_LUONG) memcpy(st->query, st->hidden, (size_t)H * sizeof(float));
        int want = t == T - 1 ? TOK_EOS : 4 + rng_below(&rng, V - 4);
        float sum = 0;
        for (int j = 0; j < V; j++) sum += st->probs[j] = j == TOK_PAD || j == TOK_SOS ? 0 : expf(rng_normal(&rng));
        st->probs[want] += sum * 3;
        sum *= 4;
        for (int j = 0; j < V; j++) st->probs[j] /= sum;
        st->token_id = want;
        st->reference_id = with_reference ? (t % 3 == 2 && t < T - 1 ? 4 + (want - 4 + 1) % (V - 4) : want) : -1;
        prev = want;
        if (with_reference && t > 0) {
            st->coin = rng_uniform(&rng);
            st->teacher_forced = st->coin < tr->teacher_forcing;
            if (st->teacher_forced) st->input_id = tr->steps[t - 1].reference_id;
        }
    }
    return 0;
}
