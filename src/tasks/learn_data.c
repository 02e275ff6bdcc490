/* learn_data.c — a learning session's training and held-out pairs (learn_data.h): a task's splits, or a TSV file and its held-out part. */
#include "learn_data.h"

#include <stdlib.h>
#include <string.h>

/* About 1 in 10 sources, by a hash independent of the tasks' split (a file
 * written by `data --split train` has no test-bucket pairs at all). */
static bool held_out(const char *src) {
    uint64_t h = task_hash(src) ^ 0x9E3779B97F4A7C15ull;   /* a bijective remix */
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 32;
    return h % 10 == 0;
}

/* Split off the held-out pairs of `all`: -1 when none or all would be. */
static int hold_out(Pairs *all, Pairs *test) {
    memset(test, 0, sizeof *test);
    int n_test = 0;
    for (int i = 0; i < all->n; i++) n_test += held_out(all->src[i]);
    if (n_test == 0 || n_test == all->n) return -1;
    test->src = malloc((size_t)n_test * sizeof *test->src);
    test->tgt = malloc((size_t)n_test * sizeof *test->tgt);
    if (!test->src || !test->tgt) {
        free(test->src);
        free(test->tgt);
        memset(test, 0, sizeof *test);
        return -1;
    }
    int k = 0;
    for (int i = 0; i < all->n; i++) {
        if (held_out(all->src[i])) {
            test->src[test->n] = all->src[i];
            test->tgt[test->n++] = all->tgt[i];
        } else {
            all->src[k] = all->src[i];
            all->tgt[k++] = all->tgt[i];
        }
    }
    all->n = k;
    return 0;
}

int learn_data_load(const LearnDataDesc *d, Pairs *train, Pairs *test, LearnDataInfo *info, char *err) {
    LearnDataInfo in = {0};
    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    if (d->task) {
        long n = d->n_train > 0 ? d->n_train : 50000;
        if (task_pairs(d->task, SPLIT_TRAIN, (int)n, d->seed, train, err) ||
            task_pairs(d->task, SPLIT_TEST, TASK_TEST_N, TASK_TEST_SEED, test, err)) {
            pairs_free(train);
            return -1;
        }
    } else {
        if (!d->train) return av_err(err, "no training data: a task or a file");
        if (pairs_read_tsv(d->train, train, err)) return -1;
        in.train_header = train->header_line;
        if (d->test) {
            if (pairs_read_tsv(d->test, test, err)) {
                pairs_free(train);
                return -1;
            }
            in.test_header = test->header_line;
        } else {
            int total = train->n;
            if (hold_out(train, test)) {
                pairs_free(train);
                return av_err(err, "%s: too few pairs (%d) to hold some out; give --test", d->train, total);
            }
            in.split_by_hash = true;
            in.held_out = test->n;
            in.total = total;
        }
    }
    if (info) *info = in;
    return 0;
}
