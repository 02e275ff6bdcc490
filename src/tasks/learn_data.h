/* learn_data.h — the pairs a learning session trains and measures on: a task's two splits, or a TSV file with its held-out pairs.
 *
 * `attnviz train`, `attnviz learn` and the app's training mode all get their
 * data here, so a model trained in the app sees the same pairs as one
 * trained on the command line with the same options.
 *
 * A task: n_train pairs of its train split from the seed, and its test split
 * (TASK_TEST_N pairs from TASK_TEST_SEED, the set `eval --task` measures).
 * A file: its pairs (pairs_read_tsv: a bad line is refused with its number),
 * and the held-out pairs of `test`, or else the pairs of the file whose
 * source hashes into a held-out bucket (about 1 in 10; a bijective remix of
 * task_hash, independent of the tasks' own split, so a file written by
 * `attnviz data --split train` still has some).
 */
#ifndef LEARN_DATA_H
#define LEARN_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "task.h"

typedef struct {
    const Task *task;         /* or NULL: train names a file              */
    const char *train, *test; /* TSV files (test may be NULL)              */
    long n_train;             /* a task's training pairs (0: 50000)        */
    uint64_t seed;            /* of the task's training pairs              */
} LearnDataDesc;

/* What the loading did that a user should hear of. */
typedef struct {
    int train_header, test_header;   /* a skipped header line, or 0          */
    bool split_by_hash;              /* no test file: some pairs held out    */
    int held_out, total;             /* then: how many, of how many          */
} LearnDataInfo;

/* The training and held-out pairs: 0, or -1 with one line in err (a file's
 * "FILE:LINE: what"), nothing left allocated. info may be NULL. */
int learn_data_load(const LearnDataDesc *d, Pairs *train, Pairs *test, LearnDataInfo *info, char *err);

#endif
