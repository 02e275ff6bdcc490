/* task.h — the tasks attnviz trains on, and data sets from files.
 *
 * A task is a seeded generator of (source, target) text pairs. Train and test
 * splits are disjoint by construction (see task.c). Data flows
 * text pairs → Vocab (built from the data) → Dataset (ids) for the engine.
 */
#ifndef TASK_H
#define TASK_H

#include "../engine/model.h"
#include "../engine/seq2seq.h"

typedef enum { SPLIT_TRAIN, SPLIT_TEST } Split;

typedef struct {
    int n;
    char **src, **tgt;        /* n UTF-8 strings each, owned */
    int header_line;          /* pairs_read_tsv: the header line it skipped, or 0 */
} Pairs;

typedef struct Task {
    const char *name;         /* "reverse", "dates", ... */
    TokenizerKind tokenizer;
    const char *summary;      /* one line for --help */
    /* one pair for this split; NUL-terminated strings into buffers of cap bytes */
    void (*generate)(Rng *rng, Split split, char *src, char *tgt, size_t cap);
    /* one pair of the whole space, before the split (tests use it to find
     * given sentences fast) */
    void (*generate_any)(Rng *rng, char *src, char *tgt, size_t cap);
} Task;

const Task *task_find(const char *name);        /* NULL when unknown */
int task_count(void);
const Task *task_at(int i);

/* n pairs of a split, from a seed. Deterministic. */
int task_pairs(const Task *t, Split split, int n, uint64_t seed, Pairs *out, char *err);
/* TSV: source TAB target per line; a bad line is refused with its number.
 * Lines starting with # and lines of only white space are skipped; so is a
 * header (the first such line whose two fields, case aside, are one of
 * source/src/input/question/prompt and one of target/tgt/dst/output/label/
 * answer/reference/translation), noted in header_line.
 * A line longer than TASK_MAX_TEXT bytes is refused after reading at most
 * that much of it, so any file (a device, one huge line) is read in bounded
 * memory per line. */
int pairs_read_tsv(const char *path, Pairs *out, char *err);
void pairs_free(Pairs *p);

/* Vocabularies from the pairs (specials first, then tokens in sorted order). */
int vocab_build(TokenizerKind k, const Pairs *p, int side /*0 src, 1 tgt*/, Vocab *out, char *err);
/* Tokenise pairs with the vocabularies (targets get <eos>). reverse_source is
 * NOT applied here: the engine applies it. */
int dataset_build(const Pairs *p, TokenizerKind k, const Vocab *src, const Vocab *tgt,
                  Dataset *out, char *err);

/* ---- additions (tasks issue) ---- */
#include <stdio.h>

/* Longest source or target a generator or a TSV line may hold, in bytes. */
enum { TASK_MAX_TEXT = 1024 };
/* 1 in TASK_TEST_EVERY source strings is a test string (by its hash). */
enum { TASK_TEST_EVERY = 10 };
uint64_t task_hash(const char *s);
/* true when a pair with this source belongs to the test split */
bool split_is_test(const char *src);
/* source TAB target NEWLINE per pair; -1 on a write error */
int pairs_write_tsv(FILE *f, const Pairs *p);

/* dates (task_dates.c): format fmt (0..DATES_FORMATS-1) of y-m-d into src;
 * weekday 0 = Monday. */
enum { DATES_FORMATS = 11 };
void dates_format(int fmt, int y, int m, int d, char *src, size_t cap);
int dates_weekday(int y, int m, int d);
long dates_days_from_civil(int y, int m, int d);

/* en-ko (task_en_ko.c): true when a Hangul word ends in a final consonant */
bool ko_has_batchim(const char *word);

/* The held-out set `train` reports and `eval --task` measures by default. */
enum { TASK_TEST_SEED = 1, TASK_TEST_N = 1000 };

#endif
