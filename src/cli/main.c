/* main.c — `attnviz COMMAND [options]`. With no command the app opens. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} COMMANDS[] = {
    {"view", cmd_view, "open the visualizer on a model and input"},
    {"decode", cmd_decode, "decode one input, print the output, write the trace"},
    {"train", cmd_train, "train a model on a task or on your own TSV pairs"},
    {"learn", cmd_learn, "train a model live and watch attention learn to align"},
    {"eval", cmd_eval, "exact match and token accuracy on held-out data"},
    {"data", cmd_data, "print a task's data set as TSV"},
    {"export", cmd_export, "alignment heat map as PNG/SVG, numbers as CSV/NPY"},
    {"info", cmd_info, "configuration, parameter count and vocabularies of a model"},
};
enum { N_COMMANDS = sizeof COMMANDS / sizeof *COMMANDS };

static void usage(FILE *f) {
    fprintf(f, "attnviz — watch a sequence-to-sequence RNN with attention decode, step by step\n\n"
               "usage: attnviz [COMMAND] [options]      (no command: open the app)\n\n"
               "commands:\n");
    for (int i = 0; i < N_COMMANDS; i++) fprintf(f, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].help);
    fprintf(f, "\n`attnviz COMMAND --help` describes each command's options.\n");
}

int main(int argc, char **argv) {
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            usage(stdout);
            return EXIT_OK;
        }
        return cmd_view(argc, argv); /* the app's own options, e.g. --lesson */
    }
    for (int i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0) return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "attnviz: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
