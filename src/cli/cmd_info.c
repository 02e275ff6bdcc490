/* cmd_info.c — `attnviz info`: what a model file holds, as text or (--json) as one JSON object. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../base/jsonw.h"
#include "../engine/model.h"

typedef struct {
    const char *path;
    bool json;
} InfoOpts;

static const Opt INFO_OPTS[] = {
    {"model", 'm', OPT_PATH, OPT_AT(InfoOpts, path), .arg = "FILE", .flags = OPT_REQUIRED,
     .help = "the model (.safetensors, docs/FORMAT.md)"},
    {"json", 0, OPT_FLAG, OPT_AT(InfoOpts, json),
     .help = "print one JSON object instead: configuration, sizes,\nparameter count, tensors with their shapes, "
             "metadata,\nvocabularies"},
    {0},
};

const OptCommand CLI_INFO = {
    .name = "info",
    .usage = "usage: attnviz info --model M.safetensors [--json]\n"
             "\n"
             "Print a model's configuration, sizes, tensors, parameter count and vocabularies.\n",
    .opts = INFO_OPTS,
    .dst_size = sizeof(InfoOpts),
};

static void print_vocab(const char *what, const Vocab *v) {
    printf("%s vocabulary (%d):", what, v->n);
    for (int i = 0; i < v->n; i++) {
        const char *t = v->tokens[i];
        /* make white space visible */
        if (strcmp(t, " ") == 0) printf(" ␣");
        else if (strcmp(t, "\t") == 0) printf(" \\t");
        else printf(" %s", t);
    }
    printf("\n");
}

static void print_text(const Model *m, const char *path) {
    const ModelConfig *k = &m->cfg;
    printf("model: %s\n", path);
    printf("cell: %s   encoder: %s   style: %s   score: %s   input feeding: %s\n",
           cell_name(k->cell), k->bidirectional ? "bidirectional" : "unidirectional",
           style_name(k->style), score_name(k->score), k->input_feed ? "yes" : "no");
    printf("tokenizer: %s   reverse source: %s   attention biases: %s   source <eos>: %s\n",
           tokenizer_name(k->tokenizer), k->reverse_source ? "yes" : "no", k->attn_bias ? "yes" : "no",
           k->source_eos ? "yes" : "no");
    printf("sizes: E %d   He %d   D %d   H %d   A %d   decoder input I %d   V_src %d   V_tgt %d\n",
           k->embed, k->enc_hidden, cfg_D(k), k->hidden, k->attn_dim, cfg_dec_input(k), m->src.n,
           m->tgt.n);
    printf("parameters: %zu\n", m->layout.n_params);
    for (int i = 0; i < m->layout.n; i++) {
        const TensorInfo *t = &m->layout.t[i];
        if (t->cols) printf("  %-36s %d × %d\n", t->name, t->rows, t->cols);
        else printf("  %-36s %d\n", t->name, t->rows);
    }
    if (m->task) printf("task: %s\n", m->task);
    printf("trained steps: %ld\n", m->trained_steps);
    if (m->notes) printf("notes: %s\n", m->notes);
    print_vocab("source", &m->src);
    print_vocab("target", &m->tgt);
}

/* "key": "value" (null when v is NULL), after sep */
static void json_str_member(const char *sep, const char *key, const char *v) {
    printf("%s\"%s\": ", sep, key);
    if (v) jsonw_str(stdout, v);
    else fputs("null", stdout);
}

static void json_vocab(const char *key, const Vocab *v) {
    printf(",\n  \"%s\": [", key);
    for (int i = 0; i < v->n; i++) {
        if (i) fputs(", ", stdout);
        jsonw_str(stdout, v->tokens[i]);
    }
    fputs("]", stdout);
}

/* The same as print_text, as JSON: the configuration under the metadata's
 * own key names (docs/FORMAT.md), the sizes under their letters. */
static void print_json(const Model *m, const char *path) {
    const ModelConfig *k = &m->cfg;
#define B(x) ((x) ? "true" : "false")
    json_str_member("{\n  ", "file", path);
    json_str_member(",\n  \"config\": {", "cell", cell_name(k->cell));
    printf(", \"bidirectional\": %s", B(k->bidirectional));
    json_str_member(", ", "style", style_name(k->style));
    json_str_member(", ", "score", score_name(k->score));
    printf(", \"input_feed\": %s, \"embed\": %d, \"enc_hidden\": %d, \"hidden\": %d, \"attn_dim\": %d", B(k->input_feed),
           k->embed, k->enc_hidden, k->hidden, k->attn_dim);
    json_str_member(", ", "tokenizer", tokenizer_name(k->tokenizer));
    printf(", \"reverse_source\": %s, \"attn_bias\": %s, \"source_eos\": %s},\n", B(k->reverse_source),
           B(k->attn_bias), B(k->source_eos));
#undef B
    printf("  \"sizes\": {\"E\": %d, \"He\": %d, \"D\": %d, \"H\": %d, \"A\": %d, \"I\": %d, \"V_src\": %d, "
           "\"V_tgt\": %d},\n", k->embed, k->enc_hidden, cfg_D(k), k->hidden, k->attn_dim, cfg_dec_input(k),
           m->src.n, m->tgt.n);
    printf("  \"parameters\": %zu,\n  \"tensors\": [", m->layout.n_params);
    for (int i = 0; i < m->layout.n; i++) {
        const TensorInfo *t = &m->layout.t[i];
        json_str_member(i ? ",\n    {" : "\n    {", "name", t->name);
        if (t->cols) printf(", \"shape\": [%d, %d]}", t->rows, t->cols);
        else printf(", \"shape\": [%d]}", t->rows);
    }
    json_str_member("\n  ],\n  \"metadata\": {", "task", m->task);
    printf(", \"trained_steps\": %ld", m->trained_steps);
    json_str_member(", ", "notes", m->notes);
    fputs("}", stdout);
    json_vocab("src_vocab", &m->src);
    json_vocab("tgt_vocab", &m->tgt);
    fputs("\n}\n", stdout);
}

int cmd_info(int argc, char **argv) {
    InfoOpts o = {0};
    int pr = opt_parse(&CLI_INFO, argc, argv, &o, NULL);
    if (pr != 0) return pr > 0 ? EXIT_OK : EXIT_USAGE;
    char err[AV_ERR_LEN];
    Model m;
    if (model_load(&m, o.path, err)) {
        fprintf(stderr, "attnviz info: %s\n", err);
        return EXIT_USER;
    }
    if (o.json) print_json(&m, o.path);
    else print_text(&m, o.path);
    model_free(&m);
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "attnviz info: cannot write to stdout\n");
        return EXIT_USER;
    }
    return EXIT_OK;
}
