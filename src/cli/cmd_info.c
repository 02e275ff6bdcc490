/* cmd_info.c — `attnviz info`: what a model file holds. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../engine/model.h"

static void usage(FILE *f) {
    fprintf(f,
        "usage: attnviz info --model M.safetensors\n"
        "\n"
        "Print a model's configuration, sizes, tensors, parameter count and vocabularies.\n"
        "\n"
        "options:\n"
        "  --model FILE   the model (.safetensors, see MODEL.md)\n"
        "  -h, --help     this help\n");
}

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

int cmd_info(int argc, char **argv) {
    static const struct option OPTS[] = {
        {"model", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", OPTS, NULL)) != -1) {
        switch (c) {
        case 'm': path = optarg; break;
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "attnviz info: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    if (!path) {
        fprintf(stderr, "attnviz info: --model is required (see --help)\n");
        return EXIT_USAGE;
    }
    char err[AV_ERR_LEN];
    Model m;
    if (model_load(&m, path, err)) {
        fprintf(stderr, "attnviz info: %s\n", err);
        return EXIT_USER;
    }
    const ModelConfig *k = &m.cfg;
    printf("model: %s\n", path);
    printf("cell: %s   encoder: %s   style: %s   score: %s   input feeding: %s\n",
           cell_name(k->cell), k->bidirectional ? "bidirectional" : "unidirectional",
           style_name(k->style), score_name(k->score), k->input_feed ? "yes" : "no");
    printf("tokenizer: %s   reverse source: %s   attention biases: %s   source <eos>: %s\n",
           tokenizer_name(k->tokenizer), k->reverse_source ? "yes" : "no", k->attn_bias ? "yes" : "no",
           k->source_eos ? "yes" : "no");
    printf("sizes: E %d   He %d   D %d   H %d   A %d   decoder input I %d   V_src %d   V_tgt %d\n",
           k->embed, k->enc_hidden, cfg_D(k), k->hidden, k->attn_dim, cfg_dec_input(k), m.src.n,
           m.tgt.n);
    printf("parameters: %zu\n", m.layout.n_params);
    for (int i = 0; i < m.layout.n; i++) {
        const TensorInfo *t = &m.layout.t[i];
        if (t->cols) printf("  %-36s %d × %d\n", t->name, t->rows, t->cols);
        else printf("  %-36s %d\n", t->name, t->rows);
    }
    if (m.task) printf("task: %s\n", m.task);
    printf("trained steps: %ld\n", m.trained_steps);
    if (m.notes) printf("notes: %s\n", m.notes);
    print_vocab("source", &m.src);
    print_vocab("target", &m.tgt);
    model_free(&m);
    return EXIT_OK;
}
