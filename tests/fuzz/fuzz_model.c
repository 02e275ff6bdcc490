/* fuzz_model.c — a model file from outside, as `decode --trace-json` uses it.
 *
 * The bytes are loaded as a .safetensors file. When they load, the model
 * decodes a short input twice (greedy, then against a reference with
 * teacher forcing), each trace printed as JSON must parse back; the
 * gradient trace of the second decoding (and its replay after an SGD step)
 * is printed and parsed the same way; the batched greedy decoder runs too;
 * and the model is saved and loaded again: the copy must equal the
 * original, configuration, vocabularies and every parameter bit for bit.
 */
#include "fuzz.h"

#include <cjson/cJSON.h>

#include "engine/gradtrace.h"
#include "engine/model.h"
#include "engine/seq2seq.h"
#include "engine/tokenize.h"
#include "engine/trace.h"

enum { MAX_STEPS = 8 };

/* A short source made of the model's own first tokens, so that the decoding
 * reads real ids (and the tokenizer sees whatever the vocabulary holds). */
static int short_input(const Model *m, int **ids, int *S) {
    char text[256] = "";
    size_t len = 0;
    for (int i = TOK_SPECIALS; i < m->src.n && i < TOK_SPECIALS + 3; i++) {
        const char *t = m->src.tokens[i];
        size_t n = strlen(t);
        if (len + n + 2 > sizeof text) break;
        if (len && m->cfg.tokenizer == TOK_WORD) text[len++] = ' ';
        memcpy(text + len, t, n + 1);
        len += n;
    }
    char err[AV_ERR_LEN];
    if (encode_text(&m->src, m->cfg.tokenizer, len ? text : "x", ids, S, err)) return -1;
    if (*S == 0) { /* a vocabulary of blanks: fall back to <unk> */
        free(*ids);
        *ids = malloc(sizeof **ids);
        FUZZ_CHECK(*ids, "out of memory");
        (*ids)[0] = TOK_UNK;
        *S = 1;
    }
    return 0;
}

static void same_vocab(const Vocab *a, const Vocab *b) {
    FUZZ_CHECK(a->n == b->n, "vocabulary size %d became %d", a->n, b->n);
    for (int i = 0; i < a->n; i++)
        FUZZ_CHECK(strcmp(a->tokens[i], b->tokens[i]) == 0, "token %d changed", i);
}

/* NULL (no such metadata) is saved as "" */
static void same_string(const char *a, const char *b, const char *what) {
    FUZZ_CHECK(strcmp(a ? a : "", b ? b : "") == 0, "%s changed", what);
}

/* Save, load again, compare. */
static void round_trip(const Model *m) {
    char err[AV_ERR_LEN];
    const char *path = fuzz_scratch("model.safetensors");
    FUZZ_CHECK(model_save(m, path, err) == 0, "%s", err);
    Model c;
    FUZZ_CHECK(model_load(&c, path, err) == 0, "the saved copy does not load: %s", err);
    FUZZ_CHECK(memcmp(&c.cfg, &m->cfg, sizeof c.cfg) == 0, "configuration changed");
    same_vocab(&m->src, &c.src);
    same_vocab(&m->tgt, &c.tgt);
    same_string(m->task, c.task, "task");
    same_string(m->notes, c.notes, "notes");
    FUZZ_CHECK(c.trained_steps == m->trained_steps, "trained_steps changed");
    FUZZ_CHECK(c.layout.n_params == m->layout.n_params, "parameter count changed");
    FUZZ_CHECK(memcmp(c.params, m->params, m->layout.n_params * sizeof *m->params) == 0,
               "parameters changed");
    model_free(&c);
}

/* The JSON a writer printed must parse. */
static void parses(char *buf, size_t len, const char *what) {
    cJSON *j = cJSON_ParseWithLength(buf, len);
    FUZZ_CHECK(j, "the %s JSON does not parse (%zu bytes)", what, len);
    cJSON_Delete(j);
    free(buf);
}

/* The trace as `decode --trace-json` writes it, into memory. */
static void trace_json(const Trace *tr) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    FUZZ_CHECK(f, "open_memstream");
    trace_print_json(f, tr);
    FUZZ_CHECK(fclose(f) == 0, "fclose");
    parses(buf, len, "trace");
}

/* The gradient trace of a decoding against a reference, as `decode
 * --grad-json` writes it, and the replay at another learning rate. A model
 * whose loss or gradient is not finite is refused, in one line. */
static void grad_trace(const Model *m, const int *src, int S, const DecodeDesc *d) {
    char err[AV_ERR_LEN];
    GradTrace g = {0};
    Trace tr = {0};
    if (seq2seq_grad_trace(m, src, S, d, 0.1f, &g, &tr, err) == 0) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        FUZZ_CHECK(f, "open_memstream");
        FUZZ_CHECK(grad_trace_print_json(f, &g, &tr, err) == 0, "%s", err);
        FUZZ_CHECK(fclose(f) == 0, "fclose");
        parses(buf, len, "gradient trace");
        if (seq2seq_after_step(m, &g, 1.0f, err)) fuzz_one_line(err, "");
    } else {
        fuzz_one_line(err, "");
    }
    grad_trace_free(&g);
    trace_free(&tr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[AV_ERR_LEN];
    Model m;
    const char *path = fuzz_as_file(data, size);
    if (model_load(&m, path, err)) {
        fuzz_one_line(err, path);
        return 0;
    }
    round_trip(&m);

    int *src = NULL, S = 0;
    if (short_input(&m, &src, &S) == 0) {
        /* greedy, with the trace written out */
        Trace tr = {0};
        DecodeDesc d = {.max_len = MAX_STEPS};
        if (seq2seq_decode(&m, src, S, &d, &tr, err) == 0) {
            trace_json(&tr);
            int n = trace_output_len(&tr);
            int ids[MAX_STEPS];
            for (int i = 0; i < n; i++) ids[i] = tr.steps[i].token_id;
            free(decode_ids(&m.tgt, m.cfg.tokenizer, ids, n));
        }
        trace_free(&tr);

        /* against a reference (the target's first ids), coins flipping */
        int ref[3], R = 0;
        for (int i = TOK_SPECIALS; i < m.tgt.n && R < 3; i++) ref[R++] = i;
        d = (DecodeDesc){.reference = ref, .ref_len = R, .teacher_forcing = 0.5f, .seed = size};
        Trace tf = {0};
        if (seq2seq_decode(&m, src, S, &d, &tf, err) == 0) trace_json(&tf);
        trace_free(&tf);
        grad_trace(&m, src, S, &d);

        /* the batched greedy decoder `eval` uses */
        int out[MAX_STEPS];
        FUZZ_CHECK(seq2seq_greedy(&m, src, S, out, MAX_STEPS) <= MAX_STEPS, "greedy overran");
    }
    free(src);
    model_free(&m);
    return 0;
}
