/* cmd_data.c — `attnviz data`: a task's data set as TSV on stdout, so that it
 * can go to PyTorch, a notebook, or back into `attnviz train --train`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../tasks/task.h"

typedef struct {
    const char *task, *split;
    long n;
    uint64_t seed;
} DataOpts;

static const char *const SPLITS[] = {"train", "test", NULL};

static const Opt DATA_OPTS[] = {
    {"task", 0, OPT_STRING, OPT_AT(DataOpts, task), .arg = "T", .flags = OPT_REQUIRED, .help = "the task (below)"},
    {"split", 0, OPT_ENUM, OPT_AT(DataOpts, split), .choices = SPLITS, .def = "train",
     .help = "which split; the two never share a source string"},
    {"n", 0, OPT_INT, OPT_AT(DataOpts, n), .arg = "N", .lo = 0, .hi = 10000000, .def = "1000", .help = "pairs"},
    {"seed", 0, OPT_U64, OPT_AT(DataOpts, seed), .arg = "S", .def = "1", .help = "the seed they are drawn from"},
    {0},
};

static void list_tasks(FILE *f) {
    fprintf(f, "\ntasks:\n");
    for (int i = 0; i < task_count(); i++)
        fprintf(f, "  %-8s %s (%s tokens)\n", task_at(i)->name, task_at(i)->summary,
                tokenizer_name(task_at(i)->tokenizer));
}

const OptCommand CLI_DATA = {
    .name = "data",
    .usage = "usage: attnviz data --task T [--split train|test] [--n N] [--seed S]\n"
             "\n"
             "Prints N pairs of task T as TSV: source TAB target.\n",
    .opts = DATA_OPTS,
    .more = list_tasks,
    .dst_size = sizeof(DataOpts),
};

int cmd_data(int argc, char **argv) {
    DataOpts o = {0};
    int pr = opt_parse(&CLI_DATA, argc, argv, &o, NULL);
    if (pr != 0) return pr > 0 ? EXIT_OK : EXIT_USAGE;
    const Task *t = task_find(o.task);
    if (!t) {
        fprintf(stderr, "attnviz data: unknown task '%s' (try --help)\n", o.task);
        return EXIT_USAGE;
    }
    Pairs p;
    char err[AV_ERR_LEN];
    if (task_pairs(t, strcmp(o.split, "test") ? SPLIT_TRAIN : SPLIT_TEST, (int)o.n, o.seed, &p, err)) {
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
