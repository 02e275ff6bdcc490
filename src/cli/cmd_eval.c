/* cmd_eval.c — `attnviz eval`: exact match and token accuracy of a model on
 * held-out data; --by-length splits them by source length, which is where
 * the fixed-context bottleneck shows (copy: none against attention). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../engine/seq2seq.h"
#include "../tasks/task.h"

static void usage(FILE *f) {
    fprintf(f, "usage: attnviz eval --model M.safetensors (--task T | --test FILE.tsv) [--by-length]\n"
               "                    [--n N] [--seed S]\n\n"
               "Greedy-decodes every held-out pair and prints exact match (the whole output\n"
               "right, <eos> included) and token accuracy. --task uses the task's test split\n"
               "(N = %d pairs from seed %d, the set `train` reports); --by-length adds one\n"
               "line per source-length bucket (in tokens).\n",
            TASK_TEST_N, TASK_TEST_SEED);
}

/* A view of some examples of d (shares d's ids). */
static int subset(const Dataset *d, const int *idx, int n, Dataset *out) {
    memset(out, 0, sizeof *out);
    out->src_off = malloc((size_t)n * sizeof(int));
    out->src_len = malloc((size_t)n * sizeof(int));
    out->tgt_off = malloc((size_t)n * sizeof(int));
    out->tgt_len = malloc((size_t)n * sizeof(int));
    if (!out->src_off || !out->src_len || !out->tgt_off || !out->tgt_len) return -1;
    for (int i = 0; i < n; i++) {
        int k = idx[i];
        out->src_off[i] = d->src_off[k];
        out->src_len[i] = d->src_len[k];
        out->tgt_off[i] = d->tgt_off[k];
        out->tgt_len[i] = d->tgt_len[k];
        if (d->src_len[k] > out->max_src) out->max_src = d->src_len[k];
        if (d->tgt_len[k] > out->max_tgt) out->max_tgt = d->tgt_len[k];
    }
    out->ids = d->ids;
    out->n = n;
    return 0;
}

static void subset_free(Dataset *d) {
    d->ids = NULL;                 /* borrowed */
    dataset_free(d);
}

/* One line per source-length bucket: exact match and token accuracy. 0, or
 * -1 with err. */
static int by_length_table(const Model *m, const Dataset *d, char *err) {
    /* bucket width: 1, 2, 5, 10, … tokens, so that there are at most 12 buckets */
    int lo_len = d->max_src;
    for (int i = 0; i < d->n; i++)
        if (d->src_len[i] < lo_len) lo_len = d->src_len[i];
    static const int WIDTHS[] = {1, 2, 5, 10, 20, 50, 100, 1000, 10000, 100000};
    int w = 1;
    for (int i = 0; i < 10; i++) {
        w = WIDTHS[i];
        if ((d->max_src - lo_len) / w + 1 <= 12) break;
    }
    int *idx = malloc((size_t)d->n * sizeof *idx);
    if (!idx) return av_err(err, "out of memory");
    printf("%-10s %6s %12s %15s\n", "src len", "pairs", "exact match", "token accuracy");
    for (int lo = lo_len; lo <= d->max_src; lo += w) {
        int k = 0;
        for (int i = 0; i < d->n; i++)
            if (d->src_len[i] >= lo && d->src_len[i] < lo + w) idx[k++] = i;
        if (!k) continue;
        Dataset sub;
        EvalStats e;
        int rc = subset(d, idx, k, &sub) ? av_err(err, "out of memory") : seq2seq_eval(m, &sub, &e, err);
        subset_free(&sub);
        if (rc) {
            free(idx);
            return -1;
        }
        char range[32];
        int hi = lo + w - 1 < d->max_src ? lo + w - 1 : d->max_src;
        if (hi == lo) snprintf(range, sizeof range, "%d", lo);
        else snprintf(range, sizeof range, "%d-%d", lo, hi);
        printf("%-10s %6d %11.2f%% %14.2f%%\n", range, e.n, 100.0 * e.exact / e.n,
               e.tokens ? 100.0 * (double)e.tokens_right / (double)e.tokens : 0.0);
    }
    free(idx);
    return 0;
}

int cmd_eval(int argc, char **argv) {
    const char *model = NULL, *task = NULL, *file = NULL;
    bool by_length = false;
    long n = TASK_TEST_N;
    uint64_t seed = TASK_TEST_SEED;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return EXIT_OK;
        }
        if (!strcmp(a, "--by-length")) {
            by_length = true;
            continue;
        }
        if (i + 1 >= argc || strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "attnviz eval: unexpected argument '%s'%s\n", a,
                    strncmp(a, "--", 2) == 0 ? " (missing its value)" : "");
            usage(stderr);
            return EXIT_USAGE;
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--model")) model = v;
        else if (!strcmp(a, "--task")) task = v;
        else if (!strcmp(a, "--test")) file = v;
        else if (!strcmp(a, "--n")) { if (cli_int("eval", a, v, 1, 10000000, &n)) return EXIT_USAGE; }
        else if (!strcmp(a, "--seed")) { if (cli_u64("eval", a, v, &seed)) return EXIT_USAGE; }
        else {
            fprintf(stderr, "attnviz eval: unknown option '%s'\n", a);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!model || !task == !file) {
        fprintf(stderr, "attnviz eval: needs --model and exactly one of --task and --test\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    const Task *t = task ? task_find(task) : NULL;
    if (task && !t) {
        fprintf(stderr, "attnviz eval: unknown task '%s' (attnviz data --help lists them)\n", task);
        return EXIT_USAGE;
    }

    char err[AV_ERR_LEN];
    Model m;
    if (model_load(&m, model, err)) {
        fprintf(stderr, "attnviz eval: %s\n", err);
        return EXIT_USER;
    }
    int rc = EXIT_USER;
    Pairs p = {0};
    Dataset d = {0};
    if (t ? task_pairs(t, SPLIT_TEST, (int)n, seed, &p, err) : pairs_read_tsv(file, &p, err)) {
        fprintf(stderr, "attnviz eval: %s\n", err);
        goto done;
    }
    if (p.header_line)
        fprintf(stderr, "attnviz eval: %s: line %d is a header (source, target), not a pair: skipped\n", file,
                p.header_line);
    if (t && t->tokenizer != m.cfg.tokenizer)
        fprintf(stderr, "attnviz eval: note: task %s uses the %s tokenizer, the model %s\n", t->name,
                tokenizer_name(t->tokenizer), tokenizer_name(m.cfg.tokenizer));
    if (dataset_build(&p, m.cfg.tokenizer, &m.src, &m.tgt, &d, err)) {
        fprintf(stderr, "attnviz eval: %s: %s\n", task ? task : file, err);
        goto done;
    }
    /* sources the vocabulary does not know are read as <unk>: say how many */
    long unk = 0, unk_pairs = 0;
    for (int i = 0; i < d.n; i++) {
        int k = 0;
        for (int j = 0; j < d.src_len[i]; j++) k += d.ids[d.src_off[i] + j] == TOK_UNK;
        unk += k;
        unk_pairs += k > 0;
    }
    if (unk)
        fprintf(stderr, "attnviz eval: note: %ld source tokens in %ld of %d pairs are not among the %d %s "
                        "this model knows (read as <unk>)\n", unk, unk_pairs, d.n, m.src.n - TOK_SPECIALS,
                m.cfg.tokenizer == TOK_CHAR ? "characters" : "words");
    EvalStats ev;
    if (seq2seq_eval(&m, &d, &ev, err)) {
        fprintf(stderr, "attnviz eval: %s: %s\n", model, err);
        goto done;
    }
    printf("%s on %s: exact match %.2f%% (%d/%d), token accuracy %.2f%% (%ld/%ld)\n", model,
           task ? task : file, 100.0 * ev.exact / ev.n, ev.exact, ev.n,
           ev.tokens ? 100.0 * (double)ev.tokens_right / (double)ev.tokens : 0.0, ev.tokens_right,
           ev.tokens);
    if (by_length && by_length_table(&m, &d, err)) {
        fprintf(stderr, "attnviz eval: %s\n", err);
        goto done;
    }
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "attnviz eval: cannot write to stdout\n");
        goto done;
    }
    rc = EXIT_OK;
done:
    dataset_free(&d);
    pairs_free(&p);
    model_free(&m);
    return rc;
}
