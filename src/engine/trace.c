/* trace.c — a decoding's numbers as plain data, and as JSON (MODEL.md).
 *
 * The trace is copied out of the forward pass's own arrays (a Net with
 * B = 1), mapping reading order back to the input's order for models with
 * reverse_source. One allocation holds every array, so trace_free is one
 * free (plus the copied vocabulary).
 */
#include "trace.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/jsonw.h"
#include "../base/outfile.h"
#include "s2s_internal.h"

const char *trace_token(const Trace *t, int id) {
    return (id >= 0 && id < t->tgt.n) ? t->tgt.tokens[id] : "?";
}

int trace_output_len(const Trace *t) {
    int n = 0;
    while (n < t->T && t->steps[n].token_id != TOK_EOS) n++;
    return n;
}

void trace_free(Trace *t) {
    vocab_free(&t->tgt);
    free(t->mem);
    memset(t, 0, sizeof *t);
}

int trace_from_net(Trace *tr, const Net *n, const Model *m, float tf_p,
                   uint64_t seed, bool has_ref, char *err) {
    memset(tr, 0, sizeof *tr);
    int S = n->S, T = n->T, D = n->D, H = n->H, V = n->Vt;
    bool attn = cfg_attn(&m->cfg), luong = m->cfg.style == STYLE_LUONG;
    size_t per_step = (size_t)(attn ? H + 2 * S + D : 0) + 2 * (size_t)H + (size_t)V;
    size_t nfloat = (size_t)S * D + H + (size_t)T * per_step;
    /* reading position of input position s */
#define RD(s) (m->cfg.reverse_source ? S - 1 - (s) : (s))
    /* source ids in the input's order, <eos> included for source_eos: the
     * encoder's own ids, read back from the Net */
#define SRC_ID(s) (n->src_rd[RD(s)])
    size_t nchar = 0;
    for (int s = 0; s < S; s++) nchar += strlen(m->src.tokens[SRC_ID(s)]) + 1;
    size_t bytes = (size_t)T * sizeof(TraceStep) + (size_t)S * sizeof(char *) +
                   nfloat * sizeof(float) + 2 * (size_t)S * sizeof(int) + nchar;
    char *mem = calloc(1, bytes);
    if (!mem || vocab_copy(&tr->tgt, &m->tgt)) {
        free(mem);
        return av_err(err, "out of memory for the trace");
    }
    tr->mem = mem;
    tr->steps = (TraceStep *)mem;
    tr->src_tokens = (char **)(mem + (size_t)T * sizeof(TraceStep));
    float *f = (float *)(mem + (size_t)T * sizeof(TraceStep) + (size_t)S * sizeof(char *));
    tr->src_ids = (int *)(f + nfloat);
    tr->unknown = tr->src_ids + S;
    char *text = (char *)(tr->unknown + S);

    tr->cfg = m->cfg;
    tr->S = S;
    tr->D = D;
    tr->H = H;
    tr->V = V;
    tr->T = T;
    tr->has_reference = has_ref;
    tr->teacher_forcing = has_ref ? tf_p : 0.0f;
    tr->seed = seed;

    for (int s = 0; s < S; s++) {
        int id = SRC_ID(s);
        tr->src_ids[s] = id;
        if (id == TOK_UNK) tr->unknown[tr->n_unknown++] = s;
        size_t len = strlen(m->src.tokens[id]) + 1;
        memcpy(text, m->src.tokens[id], len);
        tr->src_tokens[s] = text;
        text += len;
    }
    tr->enc_states = f;
    for (int s = 0; s < S; s++) memcpy(f + (size_t)s * D, n->mem + (size_t)RD(s) * D, (size_t)D * sizeof *f);
    f += (size_t)S * D;
    tr->h0 = f;
    memcpy(f, n->h, (size_t)H * sizeof *f);
    f += H;
    for (int i = 0; i < T; i++) {
        TraceStep *st = &tr->steps[i];
        st->input_id = n->tok_in[i];
        st->teacher_forced = n->forced[i];
        st->coin = n->coin[i];
        st->token_id = n->pred[i];
        st->reference_id = has_ref ? n->tgt[i] : -1;
        const float *h_t = n->h + (size_t)(i + 1) * H;
        if (attn) {
            st->query = f;
            memcpy(f, luong ? h_t : h_t - H, (size_t)H * sizeof *f);
            f += H;
            st->scores = f;
            for (int s = 0; s < S; s++) f[s] = n->sc[(size_t)i * S + RD(s)];
            f += S;
            st->weights = f;
            for (int s = 0; s < S; s++) f[s] = n->aw[(size_t)i * S + RD(s)];
            f += S;
            st->context = f;
            memcpy(f, n->ctx + (size_t)i * D, (size_t)D * sizeof *f);
            f += D;
        }
        st->attentional = f;
        memcpy(f, attn && luong ? n->ht + (size_t)i * H : h_t, (size_t)H * sizeof *f);
        f += H;
        st->hidden = f;
        memcpy(f, h_t, (size_t)H * sizeof *f);
        f += H;
        st->probs = f;
        memcpy(f, n->probs + (size_t)i * V, (size_t)V * sizeof *f);
        f += V;
    }
#undef RD
#undef SRC_ID
    return 0;
}

/* ---- JSON ------------------------------------------------------------------------- */

/* The head both trace files share: the model, the reference and its coins,
 * the source tokens; ends after the source tokens' closing bracket. */
void trace_json_head(FILE *fp, const Trace *t) {
    const ModelConfig *c = &t->cfg;
    fprintf(fp, "{\n\"model\": {\"cell\": \"%s\", \"bidirectional\": %s, \"style\": \"%s\", "
                "\"score\": \"%s\", \"input_feed\": %s, \"embed\": %d, \"enc_hidden\": %d, "
                "\"hidden\": %d, \"attn_dim\": %d, \"tokenizer\": \"%s\", \"reverse_source\": %s, "
                "\"attn_bias\": %s, \"source_eos\": %s, "
                "\"D\": %d, \"tgt_vocab_size\": %d, \"S\": %d, \"T\": %d},\n",
            cell_name(c->cell), c->bidirectional ? "true" : "false", style_name(c->style),
            score_name(c->score), c->input_feed ? "true" : "false", c->embed, c->enc_hidden,
            c->hidden, c->attn_dim, tokenizer_name(c->tokenizer),
            c->reverse_source ? "true" : "false", c->attn_bias ? "true" : "false",
            c->source_eos ? "true" : "false", t->D, t->V, t->S, t->T);
    fprintf(fp, "\"has_reference\": %s, \"teacher_forcing\": ", t->has_reference ? "true" : "false");
    jsonw_float(fp, t->teacher_forcing);
    fprintf(fp, ", \"seed\": %llu,\n\"source_tokens\": [", (unsigned long long)t->seed);
    for (int s = 0; s < t->S; s++) {
        if (s) fputs(", ", fp);
        jsonw_str(fp, t->src_tokens[s]);
    }
    fputc(']', fp);
}

void trace_print_json(FILE *fp, const Trace *t) {
    trace_json_head(fp, t);
    fputs(",\n\"unknown_source\": [", fp); /* positions whose token became <unk> */
    for (int k = 0; k < t->n_unknown; k++) fprintf(fp, "%s%d", k ? ", " : "", t->unknown[k]);
    fputs("],\n\"encoder_states\": [", fp);
    for (int s = 0; s < t->S; s++) {
        fputs(s ? ",\n  " : "\n  ", fp);
        jsonw_floats(fp, t->enc_states + (size_t)s * t->D, t->D);
    }
    fputs("],\n\"decoder_start\": ", fp);
    jsonw_floats(fp, t->h0, t->H);
    fputs(",\n\"steps\": [", fp);
    for (int i = 0; i < t->T; i++) {
        const TraceStep *st = &t->steps[i];
        fputs(i ? ",\n  {" : "\n  {", fp);
        fputs("\"input_token\": ", fp);
        jsonw_str(fp, trace_token(t, st->input_id));
        fprintf(fp, ", \"teacher_forced\": %s, \"coin\": ", st->teacher_forced ? "true" : "false");
        if (st->coin >= 0.0f) jsonw_float(fp, st->coin);
        else fputs("null", fp);
        jsonw_key_floats(fp, "query", st->query, t->H);
        jsonw_key_floats(fp, "scores", st->scores, t->S);
        jsonw_key_floats(fp, "weights", st->weights, t->S);
        jsonw_key_floats(fp, "context", st->context, t->D);
        jsonw_key_floats(fp, "attentional", st->attentional, t->H);
        jsonw_key_floats(fp, "hidden", st->hidden, t->H);
        jsonw_key_floats(fp, "probs", st->probs, t->V);
        fputs(", \"token\": ", fp);
        jsonw_str(fp, trace_token(t, st->token_id));
        if (t->has_reference) {
            fputs(", \"reference\": ", fp);
            jsonw_str(fp, trace_token(t, st->reference_id));
        }
        fputc('}', fp);
    }
    fputs("],\n\"output_tokens\": [", fp);
    int n = trace_output_len(t);
    for (int i = 0; i < n; i++) {
        if (i) fputs(", ", fp);
        jsonw_str(fp, trace_token(t, t->steps[i].token_id));
    }
    fputs("]\n}\n", fp);
}

int trace_write_json(const Trace *t, const char *path, char *err) {
    AvOut o;
    FILE *fp = av_out_open(&o, path, err);
    if (!fp) return -1;
    trace_print_json(fp, t);
    return av_out_close(&o, err);
}
