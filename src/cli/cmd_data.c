/* cmd_data.c — `attnviz data`: a task's data set as TSV on stdout, so that it
 * can go to PyTorch, a notebook, or back into `attnviz train --train`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../tasks/task.h"

static void usage(FILE *f) {
    fprintf(f, "usage: attnviz data --task T [--split train|test] [--n N] [--seed S]\n\n"
               "Prints N (default 1000) pairs of task T as TSV: source TAB target.\n"
               "The train and test splits never share a source string.\n\n"
               "tasks:\n");
    for (int i = 0; i < task_count(); i++)
        fprintf(f, "  %-8s %s (%s tokens)\n", task_at(i)->name, task_at(i)->summary,
                tokenizer_name(task_at(i)->tokenizer));
}

int cmd_data(int argc, char **argv) {
    const char *task = NULL, *split = "train";
    long n = 1000;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return EXIT_OK;
        }
        if (i + 1 >= argc || strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "attnviz data: unexpected argument '%s'%s\n", a,
                    strncmp(a, "--", 2) == 0 ? " (missing its value)" : "");
            usage(stderr);
            return EXIT_USAGE;
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--task")) task = v;
        else if (!strcmp(a, "--split")) split = v;
        else if (!strcmp(a, "--n")) { if (cli_int("data", a, v, 0, 10000000, &n)) return EXIT_USAGE; }
        else if (!strcmp(a, "--seed")) { if (cli_u64("data", a, v, &seed)) return EXIT_USAGE; }
        else {
            fprintf(stderr, "attnviz data: unknown option '%s'\n", a);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!task) {
        fprintf(stderr, "attnviz data: --task is required\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    const Task *t = task_find(task);
    if (!t) {
        fprintf(stderr, "attnviz data: unknown task '%s' (try --help)\n", task);
        return EXIT_USAGE;
    }
    Split s;
    if (!strcmp(split, "train")) s = SPLIT_TRAIN;
    else if (!strcmp(split, "test")) s = SPLIT_TEST;
    else {
        fprintf(stderr, "attnviz data: --split: expected train or test, got '%s'\n", split);
        return EXIT_USAGE;
    }
    Pairs p;
    char err[AV_ERR_LEN];
    if (task_pairs(t, s, (int)n, seed, &p, err)) {
        fprintf(stderr, "attnviz data: %s\n", err);
        return EXIT_USER;
    }
    int rc = pairs_write_tsv(stdout, &p);
    pairs_free(&p);
    if (rc || fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "attnviz data: cannot write to stdout\n");
        return EXIT_USER;
    }
    return EXIT_OK;
}
