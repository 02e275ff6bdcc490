/* model.c — configuration, vocabularies, parameter layout and creation.
 *
 * The layout is the single source of truth for which tensors a model has and
 * where they live in the flat buffer; safetensors I/O, the optimizer and the
 * gradient check all walk it.
 */
#include "model.h"

#include "../base/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* ---- names ------------------------------------------------------------------ */

static const char *CELL_NAMES[] = {"lstm", "gru"};
static const char *STYLE_NAMES[] = {"luong", "bahdanau"};
static const char *TOKENIZER_NAMES[] = {"char", "word"};

const char *cell_name(CellKind c) { return CELL_NAMES[c]; }
const char *style_name(StyleKind s) { return STYLE_NAMES[s]; }
const char *tokenizer_name(TokenizerKind t) { return TOKENIZER_NAMES[t]; }

static int parse_name(const char *s, const char **names, int n, int *out) {
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, names[i]) == 0) { *out = i; return 0; }
    return -1;
}
#define PARSE(fn, T, names) \
    int fn(const char *s, T *out) { int i; if (parse_name(s, names, (int)(sizeof names / sizeof *names), &i)) return -1; *out = (T)i; return 0; }
PARSE(cell_parse, CellKind, CELL_NAMES)
PARSE(style_parse, StyleKind, STYLE_NAMES)
PARSE(tokenizer_parse, TokenizerKind, TOKENIZER_NAMES)

/* ---- configuration ---------------------------------------------------------- */

int cfg_dec_input(const ModelConfig *c) {
    if (!cfg_attn(c)) return c->embed;
    if (c->style == STYLE_BAHDANAU) return c->embed + cfg_D(c);
    return c->input_feed ? c->embed + c->hidden : c->embed;
}

int model_config_check(const ModelConfig *c, char *err) {
    if ((unsigned)c->cell > CELL_GRU) return av_err(err, "unknown cell");
    if ((unsigned)c->style > STYLE_BAHDANAU) return av_err(err, "unknown style");
    if ((unsigned)c->score > SCORE_ADDITIVE) return av_err(err, "unknown score");
    if (c->embed < 1 || c->enc_hidden < 1 || c->hidden < 1)
        return av_err(err, "sizes must be at least 1 (embed %d, enc_hidden %d, hidden %d)",
                      c->embed, c->enc_hidden, c->hidden);
    if (c->embed > 4096 || c->enc_hidden > 4096 || c->hidden > 4096 || c->attn_dim > 4096)
        return av_err(err, "sizes above 4096 are not supported");
    int D = cfg_D(c);
    if (!c->bidirectional && c->hidden != c->enc_hidden)
        return av_err(err, "a unidirectional encoder hands its last state to the decoder, "
                      "so hidden (%d) must equal enc_hidden (%d)", c->hidden, c->enc_hidden);
    if ((c->score == SCORE_DOT || c->score == SCORE_SCALED_DOT) && c->hidden != D)
        return av_err(err, "score %s compares q and h̄_s directly, so hidden (%d) must equal "
                      "the encoder state size D = %d%s", score_name(c->score), c->hidden, D,
                      c->bidirectional ? " (2 × enc_hidden)" : "");
    bool needs_A = c->score == SCORE_CONCAT || c->score == SCORE_ADDITIVE;
    if (needs_A && c->attn_dim < 1)
        return av_err(err, "score %s needs an attention size attn_dim ≥ 1", score_name(c->score));
    if (!needs_A && c->attn_dim != 0)
        return av_err(err, "score %s has no attention layer, so attn_dim must be 0 (got %d)",
                      score_name(c->score), c->attn_dim);
    if (c->input_feed && (c->style != STYLE_LUONG || !cfg_attn(c)))
        return av_err(err, "input feeding exists only for the Luong style with attention");
    return 0;
}

/* ---- vocabulary ------------------------------------------------------------- */

static const char *SPECIALS[TOK_SPECIALS] = {"<pad>", "<sos>", "<eos>", "<unk>"};

int vocab_has_specials(const Vocab *v) {
    if (v->n < TOK_SPECIALS) return 0;
    for (int i = 0; i < TOK_SPECIALS; i++)
        if (strcmp(v->tokens[i], SPECIALS[i]) != 0) return 0;
    return 1;
}

/* Entries must be non-empty, valid UTF-8 without control characters
 * (C0, DEL, C1: U+0000–U+001F, U+007F–U+009F), and distinct (MODEL.md):
 * anything else would reach a terminal, a JSON file or a lookup as
 * something other than a token. */
static int entry_check(const char *t, int i, char *err) {
    char shown[96];
    size_t n = strlen(t);
    av_escape(shown, sizeof shown, t, n < 64 ? n : 64);
    if (n == 0) return av_err(err, "id %d is an empty string", i);
    long bad = utf8_invalid_at(t, n);
    if (bad >= 0) return av_err(err, "id %d (\"%s\") is not valid UTF-8 (byte %ld)", i, shown, bad + 1);
    for (const char *p = t; *p;) {
        uint32_t cp = utf8_next(&p);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            return av_err(err, "id %d (\"%s\") holds a control character (U+%04X)", i, shown, (unsigned)cp);
    }
    return 0;
}

static int cmp_token(const void *a, const void *b) {
    return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

/* The first entry that repeats an earlier one, or -1: sorted pointers to
 * the entries, so that equal ones are neighbours (n log n, not n²). */
static int first_repeat(const char *const *tokens, int n, int *first, char *err) {
    const char *const **p = malloc((size_t)n * sizeof *p);
    if (!p) return av_err(err, "out of memory"), -2;
    for (int i = 0; i < n; i++) p[i] = &tokens[i];
    qsort(p, (size_t)n, sizeof *p, cmp_token);
    int dup = -1;
    for (int k = 1; k < n; k++)
        if (strcmp(*p[k], *p[k - 1]) == 0) {
            int a = (int)(p[k] - tokens), b = (int)(p[k - 1] - tokens);
            int later = a > b ? a : b;
            if (dup < 0 || later < dup) { dup = later; *first = a < b ? a : b; }
        }
    free(p);
    return dup;
}

static int copy_tokens(Vocab *v, const char *const *tokens, int n) {
    v->tokens = calloc((size_t)n, sizeof *v->tokens);
    if (!v->tokens) return -1;
    for (int i = 0; i < n; i++) {
        if (!(v->tokens[i] = strdup(tokens[i]))) {
            v->n = i;
            vocab_free(v);
            return -1;
        }
    }
    v->n = n;
    return 0;
}

int vocab_init(Vocab *v, const char *const *tokens, int n, char *err) {
    v->n = 0;
    v->tokens = NULL;
    if (n < TOK_SPECIALS) return av_err(err, "vocabulary has %d tokens, fewer than the 4 specials", n);
    for (int i = 0; i < n; i++)
        if (entry_check(tokens[i], i, err)) return -1;
    for (int i = 0; i < TOK_SPECIALS; i++)
        if (strcmp(tokens[i], SPECIALS[i]) != 0) {
            char shown[96];
            av_escape(shown, sizeof shown, tokens[i], strlen(tokens[i]) < 64 ? strlen(tokens[i]) : 64);
            return av_err(err, "vocabulary id %d is \"%s\", expected %s", i, shown, SPECIALS[i]);
        }
    int first = 0, dup = first_repeat(tokens, n, &first, err);
    if (dup == -2) return -1;
    if (dup >= 0) {
        char shown[96];
        av_escape(shown, sizeof shown, tokens[dup], strlen(tokens[dup]) < 64 ? strlen(tokens[dup]) : 64);
        return av_err(err, "id %d (\"%s\") repeats id %d", dup, shown, first);
    }
    if (copy_tokens(v, tokens, n)) return av_err(err, "out of memory");
    return 0;
}

int vocab_copy(Vocab *dst, const Vocab *src) {
    dst->n = 0;
    dst->tokens = NULL;
    return copy_tokens(dst, (const char *const *)src->tokens, src->n); /* checked once already */
}

void vocab_free(Vocab *v) {
    for (int i = 0; i < v->n; i++) free(v->tokens[i]);
    free(v->tokens);
    v->tokens = NULL;
    v->n = 0;
}

int vocab_find(const Vocab *v, const char *tok) {
    /* Linear: vocabularies here hold tens to a few hundred tokens, and lookups
     * happen once per input token, not in training's inner loop. The four
     * specials are never found: typing "<eos>" gives <unk>. */
    for (int i = TOK_SPECIALS; i < v->n; i++) /* exactly */
        if (strcmp(v->tokens[i], tok) == 0) return i;
    for (int i = TOK_SPECIALS; i < v->n; i++) /* else the first entry equal ignoring case */
        if (utf8_equal_folded(v->tokens[i], tok)) return i;
    return TOK_UNK;
}

/* ---- layout ----------------------------------------------------------------- */

static void add(ModelLayout *l, const char *name, int rows, int cols) {
    TensorInfo *t = &l->t[l->n++];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->rows = rows;
    t->cols = cols;
    t->offset = l->n_params;
    t->size = (size_t)rows * (size_t)(cols ? cols : 1);
    l->n_params += t->size;
}

void model_layout(ModelLayout *l, const ModelConfig *c, int V_src, int V_tgt) {
    int G = cfg_gates(c), E = c->embed, He = c->enc_hidden, H = c->hidden;
    int D = cfg_D(c), A = c->attn_dim, I = cfg_dec_input(c);
    memset(l, 0, sizeof *l);
    add(l, "encoder.embedding.weight", V_src, E);
    add(l, "encoder.rnn.weight_ih_l0", G * He, E);
    add(l, "encoder.rnn.weight_hh_l0", G * He, He);
    add(l, "encoder.rnn.bias_ih_l0", G * He, 0);
    add(l, "encoder.rnn.bias_hh_l0", G * He, 0);
    if (c->bidirectional) {
        add(l, "encoder.rnn.weight_ih_l0_reverse", G * He, E);
        add(l, "encoder.rnn.weight_hh_l0_reverse", G * He, He);
        add(l, "encoder.rnn.bias_ih_l0_reverse", G * He, 0);
        add(l, "encoder.rnn.bias_hh_l0_reverse", G * He, 0);
        add(l, "bridge.weight", H, 2 * He);
        add(l, "bridge.bias", H, 0);
    }
    add(l, "decoder.embedding.weight", V_tgt, E);
    add(l, "decoder.rnn.weight_ih_l0", G * H, I);
    add(l, "decoder.rnn.weight_hh_l0", G * H, H);
    add(l, "decoder.rnn.bias_ih_l0", G * H, 0);
    add(l, "decoder.rnn.bias_hh_l0", G * H, 0);
    /* with attn_bias, each layer's bias follows its weight (MODEL.md, "Biases") */
    bool b = c->attn_bias;
    switch (c->score) {
    case SCORE_GENERAL:
        add(l, "attention.W_a.weight", H, D);
        if (b) add(l, "attention.W_a.bias", H, 0);
        break;
    case SCORE_CONCAT:
        add(l, "attention.W_a.weight", A, H + D);
        if (b) add(l, "attention.W_a.bias", A, 0);
        add(l, "attention.v_a.weight", 1, A);
        if (b) add(l, "attention.v_a.bias", 1, 0);
        break;
    case SCORE_ADDITIVE:
        add(l, "attention.W_a.weight", A, H);
        if (b) add(l, "attention.W_a.bias", A, 0);
        add(l, "attention.U_a.weight", A, D);
        if (b) add(l, "attention.U_a.bias", A, 0);
        add(l, "attention.v_a.weight", 1, A);
        if (b) add(l, "attention.v_a.bias", 1, 0);
        break;
    default: break;
    }
    if (cfg_attn(c) && c->style == STYLE_LUONG) {
        add(l, "decoder.W_c.weight", H, D + H);
        if (b) add(l, "decoder.W_c.bias", H, 0);
    }
    add(l, "decoder.out.weight", V_tgt, H);
    add(l, "decoder.out.bias", V_tgt, 0);
}

const TensorInfo *layout_find(const ModelLayout *l, const char *name) {
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->t[i].name, name) == 0) return &l->t[i];
    return NULL;
}

void weights_bind(Weights *w, const ModelLayout *l, float *base) {
    static const struct { const char *name; size_t field; } MAP[] = {
#define F(n, f) {n, offsetof(Weights, f)}
        F("encoder.embedding.weight", enc_emb),
        F("encoder.rnn.weight_ih_l0", enc_W_ih), F("encoder.rnn.weight_hh_l0", enc_W_hh),
        F("encoder.rnn.bias_ih_l0", enc_b_ih), F("encoder.rnn.bias_hh_l0", enc_b_hh),
        F("encoder.rnn.weight_ih_l0_reverse", enc_W_ih_r), F("encoder.rnn.weight_hh_l0_reverse", enc_W_hh_r),
        F("encoder.rnn.bias_ih_l0_reverse", enc_b_ih_r), F("encoder.rnn.bias_hh_l0_reverse", enc_b_hh_r),
        F("bridge.weight", bridge_W), F("bridge.bias", bridge_b),
        F("decoder.embedding.weight", dec_emb),
        F("decoder.rnn.weight_ih_l0", dec_W_ih), F("decoder.rnn.weight_hh_l0", dec_W_hh),
        F("decoder.rnn.bias_ih_l0", dec_b_ih), F("decoder.rnn.bias_hh_l0", dec_b_hh),
        F("attention.W_a.weight", attn_W_a), F("attention.U_a.weight", attn_U_a),
        F("attention.v_a.weight", attn_v_a),
        F("attention.W_a.bias", attn_b_W), F("attention.U_a.bias", attn_b_U),
        F("attention.v_a.bias", attn_b_v),
        F("decoder.W_c.weight", W_c), F("decoder.W_c.bias", W_c_b),
        F("decoder.out.weight", out_W), F("decoder.out.bias", out_b),
#undef F
    };
    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < sizeof MAP / sizeof *MAP; i++) {
        const TensorInfo *t = layout_find(l, MAP[i].name);
        *(float **)((char *)w + MAP[i].field) = t && base ? base + t->offset : NULL;
    }
}

/* ---- creation --------------------------------------------------------------- */

int model_create(Model *m, const ModelConfig *c, const Vocab *src, const Vocab *tgt,
                 Rng *rng, char *err) {
    memset(m, 0, sizeof *m);
    if (model_config_check(c, err)) return -1;
    if (!vocab_has_specials(src) || !vocab_has_specials(tgt))
        return av_err(err, "a vocabulary lacks the four special tokens <pad> <sos> <eos> <unk>");
    m->cfg = *c;
    model_layout(&m->layout, c, src->n, tgt->n);
    m->params = calloc(m->layout.n_params, sizeof(float));
    if (!m->params || vocab_copy(&m->src, src) || vocab_copy(&m->tgt, tgt)) {
        model_free(m);
        return av_err(err, "out of memory");
    }
    weights_bind(&m->w, &m->layout, m->params);
    if (rng) {
        /* PyTorch's defaults: nn.Embedding N(0,1); nn.LSTM/GRU U(±1/√hidden);
         * nn.Linear U(±1/√fan_in) for weight and bias. */
        for (int i = 0; i < m->layout.n; i++) {
            const TensorInfo *t = &m->layout.t[i];
            float *p = m->params + t->offset;
            if (strstr(t->name, "embedding")) {
                for (size_t k = 0; k < t->size; k++) p[k] = rng_normal(rng);
                continue;
            }
            int fan;
            if (strncmp(t->name, "encoder.rnn", 11) == 0) fan = c->enc_hidden;
            else if (strncmp(t->name, "decoder.rnn", 11) == 0) fan = c->hidden;
            else if (t->cols == 0) fan = t[-1].cols; /* a Linear's bias follows its weight */
            else fan = t->cols;
            float b = 1.0f / sqrtf((float)fan);
            for (size_t k = 0; k < t->size; k++) p[k] = (2.0f * rng_uniform(rng) - 1.0f) * b;
        }
    }
    return 0;
}

void model_free(Model *m) {
    free(m->params);
    vocab_free(&m->src);
    vocab_free(&m->tgt);
    free(m->task);
    free(m->notes);
    memset(m, 0, sizeof *m);
}
