/* model.h — what a model is (../shared/MODEL.md): its configuration, its
 * vocabularies and its parameters.
 *
 * All parameters live in one float allocation. The layout (name, shape,
 * offset of every tensor, in PyTorch's names) is computed from the
 * configuration alone, so the same layout serves parameters, gradients and
 * the two Adam moments: `weights_bind` points a Weights struct of named
 * pointers into any of those buffers. The optimizer is one flat loop over
 * n_params floats, and the gradient check walks the layout generically.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include "av.h"
#include "../base/score.h"   /* ScoreKind, score_name, score_parse */

typedef enum { CELL_LSTM, CELL_GRU } CellKind;
typedef enum { STYLE_LUONG, STYLE_BAHDANAU } StyleKind;
typedef enum { TOK_CHAR, TOK_WORD } TokenizerKind;

enum { TOK_PAD = 0, TOK_SOS = 1, TOK_EOS = 2, TOK_UNK = 3, TOK_SPECIALS = 4 };

typedef struct {
    CellKind cell;
    bool bidirectional;
    StyleKind style;
    ScoreKind score;
    bool input_feed;          /* Luong only: x_t = [E_tgt[y] ; h̃_{t-1}]      */
    int embed;                /* E                                           */
    int enc_hidden;           /* He                                          */
    int hidden;               /* H                                           */
    int attn_dim;             /* A (0 when the score has no attention layer) */
    TokenizerKind tokenizer;
    bool reverse_source;
    bool attn_bias;           /* the attention layers and W_c have biases     */
    bool source_eos;          /* <eos> is appended to every source            */
} ModelConfig;

/* Names as they appear in the metadata and on the command line (the
 * scores' are in base/score.h). */
const char *cell_name(CellKind c);
const char *style_name(StyleKind s);
const char *tokenizer_name(TokenizerKind t);
int cell_parse(const char *s, CellKind *out);          /* 0 ok, -1 unknown */
int style_parse(const char *s, StyleKind *out);
int tokenizer_parse(const char *s, TokenizerKind *out);

static inline int cfg_gates(const ModelConfig *c) { return c->cell == CELL_LSTM ? 4 : 3; }
static inline int cfg_D(const ModelConfig *c) { return c->bidirectional ? 2 * c->enc_hidden : c->enc_hidden; }
static inline bool cfg_attn(const ModelConfig *c) { return c->score != SCORE_NONE; }
/* I, the decoder cell's input size */
int cfg_dec_input(const ModelConfig *c);

/* Refuse a configuration that cannot work (dot with H ≠ D, a unidirectional
 * encoder with H ≠ He, input feeding with Bahdanau, sizes < 1, ...), saying
 * why in err. */
int model_config_check(const ModelConfig *c, char *err);

/* A vocabulary: ids 0..n-1, the first four are <pad> <sos> <eos> <unk>. */
typedef struct {
    int n;
    char **tokens;            /* n NUL-terminated UTF-8 strings, owned */
} Vocab;

/* Build from a list of tokens that must start with the four specials. */
int vocab_init(Vocab *v, const char *const *tokens, int n, char *err);
int vocab_copy(Vocab *dst, const Vocab *src);
void vocab_free(Vocab *v);
int vocab_find(const Vocab *v, const char *tok);   /* id, or TOK_UNK */
int vocab_has_specials(const Vocab *v);            /* 1 when ids 0..3 are right */

/* Parameter tensors, in PyTorch module-path names. */
enum { MODEL_MAX_TENSORS = 28 };
typedef struct {
    char name[48];
    int rows, cols;           /* cols == 0 for a 1-D tensor of `rows` floats */
    size_t offset, size;      /* in floats, into the flat buffer             */
} TensorInfo;

typedef struct {
    int n;
    TensorInfo t[MODEL_MAX_TENSORS];
    size_t n_params;
} ModelLayout;

/* Every tensor MODEL.md lists for this configuration, in a fixed order. */
void model_layout(ModelLayout *l, const ModelConfig *c, int V_src, int V_tgt);
const TensorInfo *layout_find(const ModelLayout *l, const char *name);

/* Named pointers into one flat buffer (parameters, gradients, or Adam
 * moments). A pointer is NULL when the configuration has no such tensor. */
typedef struct {
    float *enc_emb;                                   /* V_src × E            */
    float *enc_W_ih, *enc_W_hh, *enc_b_ih, *enc_b_hh; /* G·He × E, G·He × He, G·He, G·He */
    float *enc_W_ih_r, *enc_W_hh_r, *enc_b_ih_r, *enc_b_hh_r; /* _reverse     */
    float *bridge_W, *bridge_b;                       /* H × 2He, H           */
    float *dec_emb;                                   /* V_tgt × E            */
    float *dec_W_ih, *dec_W_hh, *dec_b_ih, *dec_b_hh; /* G·H × I, G·H × H, G·H, G·H */
    float *attn_W_a, *attn_U_a, *attn_v_a;            /* see MODEL.md's score table */
    float *attn_b_W, *attn_b_U, *attn_b_v;            /* their biases (attn_bias): H or A, A, 1 */
    float *W_c, *W_c_b;                               /* H × (D + H), H (attn_bias) */
    float *out_W, *out_b;                             /* V_tgt × H, V_tgt     */
} Weights;

void weights_bind(Weights *w, const ModelLayout *l, float *base);

typedef struct {
    ModelConfig cfg;
    Vocab src, tgt;
    ModelLayout layout;
    float *params;            /* layout.n_params floats, one allocation */
    Weights w;                /* bound to params                        */
    /* free-form metadata, may be NULL */
    char *task, *notes;
    long trained_steps;
} Model;

/* Allocate and initialise like PyTorch's defaults: embeddings N(0, 1);
 * recurrent and linear layers U(-1/√fan_in, 1/√fan_in). Copies the vocabs. */
int model_create(Model *m, const ModelConfig *c, const Vocab *src, const Vocab *tgt,
                 Rng *rng, char *err);
void model_free(Model *m);

/* safetensors (src/engine/safetensors.c). Load refuses every malformed file
 * with one line naming the file and the problem; save writes a temporary
 * file and renames it. */
int model_load(Model *m, const char *path, char *err);
int model_save(const Model *m, const char *path, char *err);

#endif
