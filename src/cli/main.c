/* main.c — `attnviz COMMAND [options]`, `attnviz help COMMAND`, `attnviz --version`. With no command the app opens. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The Makefile passes both: VERSION from its settings, and the commit the
 * build was made from (empty outside a git checkout). */
#ifndef ATTNVIZ_VERSION
#define ATTNVIZ_VERSION "unknown"
#endif
#ifndef ATTNVIZ_COMMIT
#define ATTNVIZ_COMMIT ""
#endif

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
               "usage: attnviz [COMMAND] [options]      (no command: open the app)\n"
               "       attnviz help [COMMAND]           (the same as attnviz COMMAND --help)\n"
               "       attnviz --version                (also -V)\n\n"
               "commands:\n");
    for (int i = 0; i < N_COMMANDS; i++) fprintf(f, "  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].help);
    fprintf(f, "\n`attnviz COMMAND --help` describes each command's options.\n");
}

static int find(const char *name) {
    for (int i = 0; i < N_COMMANDS; i++)
        if (strcmp(name, COMMANDS[i].name) == 0) return i;
    return -1;
}

/* `attnviz help [COMMAND]` */
static int help(int argc, char **argv) {
    if (argc == 2 || (argc == 3 && !strcmp(argv[2], "help"))) {
        usage(stdout);
        return EXIT_OK;
    }
    int k = argc == 3 ? find(argv[2]) : -1;
    if (argc > 3) fprintf(stderr, "attnviz help: one command at a time (attnviz help COMMAND)\n");
    else if (k < 0) fprintf(stderr, "attnviz help: unknown command '%s' (attnviz help lists them)\n", argv[2]);
    if (k < 0) return EXIT_USAGE;
    char *args[] = {argv[2], "--help", NULL};
    return COMMANDS[k].run(2, args);
}

int main(int argc, char **argv) {
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        if (argc > 2) {
            fprintf(stderr, "attnviz: %s takes no arguments\n", argv[1]);
            return EXIT_USAGE;
        }
        printf("attnviz %s%s%s%s\n", ATTNVIZ_VERSION, ATTNVIZ_COMMIT[0] ? " (commit " : "", ATTNVIZ_COMMIT,
               ATTNVIZ_COMMIT[0] ? ")" : "");
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_USER;
    }
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            usage(stdout);
            return EXIT_OK;
        }
        return cmd_view(argc, argv); /* the app's own options, e.g. --lesson */
    }
    if (!strcmp(argv[1], "help")) return help(argc, argv);
    int k = find(argv[1]);
    if (k >= 0) return COMMANDS[k].run(argc - 1, argv + 1);
    fprintf(stderr, "attnviz: unknown command '%s' (attnviz help lists them)\n", argv[1]);
    return EXIT_USAGE;
}
