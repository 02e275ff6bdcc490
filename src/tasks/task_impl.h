/* task_impl.h — what the generator files share (private to src/tasks/). */
#ifndef TASK_IMPL_H
#define TASK_IMPL_H

#include "task.h"

/* A bounded string under construction: never overflows, always NUL-terminated. */
typedef struct {
    char *buf;
    size_t cap, len;
} StrBuf;
void sb_init(StrBuf *b, char *buf, size_t cap);
void sb_put(StrBuf *b, const char *s);
void sb_word(StrBuf *b, const char *w);     /* a space first unless empty */

/* A generator before the split: any pair of the task's space. */
typedef void (*RawGenerate)(Rng *rng, char *src, char *tgt, size_t cap);
void task_split_generate(RawGenerate raw, Rng *rng, Split split, char *src, char *tgt, size_t cap);

/* Defines `static void name(Rng*, Split, ...)`, the split-aware wrapper of raw. */
#define TASK_SPLIT_WRAPPER(name, raw) \
    static void name(Rng *rng, Split split, char *src, char *tgt, size_t cap) { \
        task_split_generate(raw, rng, split, src, tgt, cap); \
    }

#define PICK(rng, arr) ((arr)[rng_below((rng), (int)(sizeof(arr) / sizeof *(arr)))])

extern const Task TASK_DATES, TASK_REVERSE, TASK_EN_KO, TASK_EN_FR, TASK_COPY;

#endif
