/* task.c — SKELETON until the tasks land. */
#include "task.h"
#include <stdlib.h>
const Task *task_find(const char *name) { (void)name; return NULL; }
int task_count(void) { return 0; }
const Task *task_at(int i) { (void)i; return NULL; }
int task_pairs(const Task *t, Split s, int n, uint64_t seed, Pairs *out, char *err) { (void)t; (void)s; (void)n; (void)seed; out->n = 0; return av_err(err, "tasks: not implemented yet"); }
int pairs_read_tsv(const char *path, Pairs *out, char *err) { out->n = 0; return av_err(err, "%s: TSV not implemented yet", path); }
void pairs_free(Pairs *p) { (void)p; }
int vocab_build(TokenizerKind k, const Pairs *p, int side, Vocab *out, char *err) { (void)k; (void)p; (void)side; (void)out; return av_err(err, "not implemented yet"); }
int dataset_build(const Pairs *p, TokenizerKind k, const Vocab *s, const Vocab *t, Dataset *out, char *err) { (void)p; (void)k; (void)s; (void)t; (void)out; return av_err(err, "not implemented yet"); }
