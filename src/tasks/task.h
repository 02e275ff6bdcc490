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
} Pairs;

typedef struct Task {
    const char *name;         /* "reverse", "dates", ... */
    TokenizerKind tokenizer;
    const char *summary;      /* one line for --help */
    /* one pair for this split; NUL-terminated strings into buffers of cap bytes */
    void (*generate)(Rng *rng, Split split, char *src, char *tgt, size_t cap);
} Task;

const Task *task_find(const char *name);        /* NULL when unknown */
int task_count(void);
const Task *task_at(int i);

/* n pairs of a split, from a seed. Deterministic. */
int task_pairs(const Task *t, Split split, int n, uint64_t seed, Pairs *out, char *err);
/* TSV: source TAB target per line; a bad line is refused with its number. */
int pairs_read_tsv(const char *path, Pairs *out, char *err);
void pairs_free(Pairs *p);

/* Vocabularies from the pairs (specials first, then tokens in sorted order). */
int vocab_build(TokenizerKind k, const Pairs *p, int side /*0 src, 1 tgt*/, Vocab *out, char *err);
/* Tokenise pairs with the vocabularies (targets get <eos>). reverse_source is
 * NOT applied here: the engine applies it. */
int dataset_build(const Pairs *p, TokenizerKind k, const Vocab *src, const Vocab *tgt,
                  Dataset *out, char *err);

#endif
