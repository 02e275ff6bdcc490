/* cmd_eval.c — `attnviz eval`: exact match and token accuracy of a model on
 * held-out data; --by-length splits them by source length, which is where
 * the fixed-context bottleneck shows (copy: none against attention). The
 * result is prose, or with --json one JSON object, or with --tsv one table
 * (a header line, then the whole set as "all" and each length bucket). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../base/jsonw.h"
#include "../engine/seq2seq.h"
#include "../tasks/task.h"

typedef struct {
    const char *model, *task, *file;
    bool by_length, json, tsv;
    long n;
    uint64_t seed;
} EvalOpts;

/* the defaults below are the task's test split (task.h) */
_Static_assert(TASK_TEST_N == 1000 && TASK_TEST_SEED == 1, "eval's --n and --seed defaults are TASK_TEST_N, _SEED");

static const Opt EVAL_OPTS[] = {
    {"model", 'm', OPT_PATH, OPT_AT(EvalOpts, model), .arg = "FILE", .flags = OPT_REQUIRED,
     .help = "the model (.safetensors)"},
    {"task", 0, OPT_STRING, OPT_AT(EvalOpts, task), .arg = "T",
     .help = "the task's test split (`attnviz data --help` lists the tasks)"},
    {"test", 0, OPT_PATH, OPT_AT(EvalOpts, file), .arg = "FILE.tsv", .help = "your own pairs: source TAB target per line"},
    {"n", 0, OPT_INT, OPT_AT(EvalOpts, n), .arg = "N", .lo = 1, .hi = 10000000, .def = "1000",
     .needs = "task", .help = "pairs of the task's test split"},
    {"seed", 0, OPT_U64, OPT_AT(EvalOpts, seed), .arg = "S", .def = "1", .needs = "task",
     .help = "the seed they are drawn from"},
    {"by-length", 0, OPT_FLAG, OPT_AT(EvalOpts, by_length),
     .help = "add one line per source-length bucket (in tokens)"},
    {"json", 0, OPT_FLAG, OPT_AT(EvalOpts, json), .help = "the result as one JSON object"},
    {"tsv", 0, OPT_FLAG, OPT_AT(EvalOpts, tsv),
     .help = "the result as TSV: a header line, the whole set (src_len\n\"all\"), then each --by-length bucket"},
    {0},
};

const OptCommand CLI_EVAL = {
    .name = "eval",
    .usage = "usage: attnviz eval --model M.safetensors (--task T | --test FILE.tsv) [--by-length] [--json | --tsv]\n"
             "\n"
             "Greedy-decodes every held-out pair and prints exact match (the whole output\n"
             "right, <eos> included) and token accuracy. --task uses the task's test split\n"
             "(by default the set `train` reports).\n",
    .opts = EVAL_OPTS,
    .dst_size = sizeof(EvalOpts),
};

/* One line of the result: source lengths [lo, hi] (the whole set: lo = -1). */
typedef struct {
    int lo, hi;
    EvalStats e;
} EvalRow;

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

enum { MAX_BUCKETS = 12 };

/* One row per source-length bucket into rows (at most MAX_BUCKETS): their
 * count, or -1 with err. */
static int by_length(const Model *m, const Dataset *d, EvalRow *rows, char *err) {
    /* bucket width: 1, 2, 5, 10, … tokens, so that there are at most 12 buckets */
    int lo_len = d->max_src;
    for (int i = 0; i < d->n; i++)
        if (d->src_len[i] < lo_len) lo_len = d->src_len[i];
    static const int WIDTHS[] = {1, 2, 5, 10, 20, 50, 100, 1000, 10000, 100000};
    int w = 1;
    for (int i = 0; i < 10; i++) {
        w = WIDTHS[i];
        if ((d->max_src - lo_len) / w + 1 <= MAX_BUCKETS) break;
    }
    int *idx = malloc((size_t)d->n * sizeof *idx), nr = 0;
    if (!idx) return av_err(err, "out of memory");
    for (int lo = lo_len; lo <= d->max_src && nr < MAX_BUCKETS; lo += w) {
        int k = 0;
        for (int i = 0; i < d->n; i++)
            if (d->src_len[i] >= lo && d->src_len[i] < lo + w) idx[k++] = i;
        if (!k) continue;
        Dataset sub;
        EvalRow *r = &rows[nr++];
        *r = (EvalRow){.lo = lo, .hi = lo + w - 1 < d->max_src ? lo + w - 1 : d->max_src};
        int rc = subset(d, idx, k, &sub) ? av_err(err, "out of memory") : seq2seq_eval(m, &sub, &r->e, err);
        subset_free(&sub);
        if (rc) {
            free(idx);
            return -1;
        }
    }
    free(idx);
    return nr;
}

static double exact_of(const EvalStats *e) { return e->n ? (double)e->exact / e->n : 0.0; }
static double tokens_of(const EvalStats *e) { return e->tokens ? (double)e->tokens_right / (double)e->tokens : 0.0; }

static void range_text(const EvalRow *r, char *buf, size_t cap) {
    if (r->lo < 0) snprintf(buf, cap, "all");
    else if (r->hi == r->lo) snprintf(buf, cap, "%d", r->lo);
    else snprintf(buf, cap, "%d-%d", r->lo, r->hi);
}

static void print_prose(const EvalOpts *o, const EvalRow *rows, int nr) {
    const EvalStats *e = &rows[0].e;
    printf("%s on %s: exact match %.2f%% (%d/%d), token accuracy %.2f%% (%ld/%ld)\n", o->model,
           o->task ? o->task : o->file, 100.0 * exact_of(e), e->exact, e->n, 100.0 * tokens_of(e), e->tokens_right,
           e->tokens);
    if (nr > 1) printf("%-10s %6s %12s %15s\n", "src len", "pairs", "exact match", "token accuracy");
    for (int i = 1; i < nr; i++) {
        char range[32];
        range_text(&rows[i], range, sizeof range);
        printf("%-10s %6d %11.2f%% %14.2f%%\n", range, rows[i].e.n, 100.0 * exact_of(&rows[i].e),
               100.0 * tokens_of(&rows[i].e));
    }
}

static void json_counts(const EvalStats *e) {
    printf("\"pairs\": %d, \"exact\": %d, \"exact_match\": %.6f, \"tokens\": %ld, \"tokens_right\": %ld, "
           "\"token_accuracy\": %.6f", e->n, e->exact, exact_of(e), e->tokens, e->tokens_right, tokens_of(e));
}

static void print_json(const EvalOpts *o, const EvalRow *rows, int nr) {
    fputs("{\"model\": ", stdout);
    jsonw_str(stdout, o->model);
    printf(", \"%s\": ", o->task ? "task" : "test");
    jsonw_str(stdout, o->task ? o->task : o->file);
    if (o->task) printf(", \"n\": %ld, \"seed\": %llu", o->n, (unsigned long long)o->seed);
    fputs(", ", stdout);
    json_counts(&rows[0].e);
    if (o->by_length) {
        fputs(",\n \"by_length\": [", stdout);
        for (int i = 1; i < nr; i++) {
            printf("%s\n  {\"src_len_min\": %d, \"src_len_max\": %d, ", i > 1 ? "," : "", rows[i].lo, rows[i].hi);
            json_counts(&rows[i].e);
            fputs("}", stdout);
        }
        fputs("\n ]", stdout);
    }
    fputs("}\n", stdout);
}

static void print_tsv(const EvalOpts *o, const EvalRow *rows, int nr) {
    char model[512], data[512];   /* a TAB or a line break in a name would break the table */
    av_escape(model, sizeof model, o->model, strlen(o->model));
    const char *d = o->task ? o->task : o->file;
    av_escape(data, sizeof data, d, strlen(d));
    printf("model\tdata\tsrc_len\tpairs\texact\texact_match\ttokens\ttokens_right\ttoken_accuracy\n");
    for (int i = 0; i < nr; i++) {
        char range[32];
        range_text(&rows[i], range, sizeof range);
        const EvalStats *e = &rows[i].e;
        printf("%s\t%s\t%s\t%d\t%d\t%.6f\t%ld\t%ld\t%.6f\n", model, data, range, e->n, e->exact, exact_of(e), e->tokens,
               e->tokens_right, tokens_of(e));
    }
}

/* The options: 0, or an exit code after printing (help, or why not). */
static int parse(int argc, char **argv, EvalOpts *o, const Task **t) {
    *o = (EvalOpts){0};
    int pr = opt_parse(&CLI_EVAL, argc, argv, o, NULL);
    if (pr != 0) return pr > 0 ? EXIT_OK : EXIT_USAGE;
    if (!o->task == !o->file) {
        fprintf(stderr, "attnviz eval: give exactly one of --task T and --test FILE.tsv\n");
        return EXIT_USAGE;
    }
    if (o->json && o->tsv) {
        fprintf(stderr, "attnviz eval: give one of --json and --tsv\n");
        return EXIT_USAGE;
    }
    *t = o->task ? task_find(o->task) : NULL;
    if (o->task && !*t) {
        fprintf(stderr, "attnviz eval: unknown task '%s' (attnviz data --help lists them)\n", o->task);
        return EXIT_USAGE;
    }
    return -1;
}

/* Sources the vocabulary does not know are read as <unk>: say how many. */
static void note_unknown(const Model *m, const Dataset *d) {
    long unk = 0, unk_pairs = 0;
    for (int i = 0; i < d->n; i++) {
        int k = 0;
        for (int j = 0; j < d->src_len[i]; j++) k += d->ids[d->src_off[i] + j] == TOK_UNK;
        unk += k;
        unk_pairs += k > 0;
    }
    if (unk)
        fprintf(stderr, "attnviz eval: note: %ld source tokens in %ld of %d pairs are not among the %d %s "
                        "this model knows (read as <unk>)\n", unk, unk_pairs, d->n, m->src.n - TOK_SPECIALS,
                m->cfg.tokenizer == TOK_CHAR ? "characters" : "words");
}

int cmd_eval(int argc, char **argv) {
    EvalOpts o;
    const Task *t;
    int rc = parse(argc, argv, &o, &t);
    if (rc >= 0) return rc;
    char err[AV_ERR_LEN];
    Model m;
    if (model_load(&m, o.model, err)) {
        fprintf(stderr, "attnviz eval: %s\n", err);
        return EXIT_USER;
    }
    rc = EXIT_USER;
    Pairs p = {0};
    Dataset d = {0};
    EvalRow rows[1 + MAX_BUCKETS] = {{.lo = -1, .hi = -1}};
    int nr = 1;
    if (t ? task_pairs(t, SPLIT_TEST, (int)o.n, o.seed, &p, err) : pairs_read_tsv(o.file, &p, err)) {
        fprintf(stderr, "attnviz eval: %s\n", err);
        goto done;
    }
    if (p.header_line)
        fprintf(stderr, "attnviz eval: %s: line %d is a header (source, target), not a pair: skipped\n", o.file,
                p.header_line);
    if (t && t->tokenizer != m.cfg.tokenizer)
        fprintf(stderr, "attnviz eval: note: task %s uses the %s tokenizer, the model %s\n", t->name,
                tokenizer_name(t->tokenizer), tokenizer_name(m.cfg.tokenizer));
    if (dataset_build(&p, m.cfg.tokenizer, &m.src, &m.tgt, &d, err)) {
        fprintf(stderr, "attnviz eval: %s: %s\n", o.task ? o.task : o.file, err);
        goto done;
    }
    note_unknown(&m, &d);
    if (seq2seq_eval(&m, &d, &rows[0].e, err)) {
        fprintf(stderr, "attnviz eval: %s: %s\n", o.model, err);
        goto done;
    }
    int nb = o.by_length ? by_length(&m, &d, rows + 1, err) : 0;
    if (nb < 0) {
        fprintf(stderr, "attnviz eval: %s\n", err);
        goto done;
    }
    nr += nb;
    if (o.json) print_json(&o, rows, nr);
    else if (o.tsv) print_tsv(&o, rows, nr);
    else print_prose(&o, rows, nr);
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
