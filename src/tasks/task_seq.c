/* task_seq.c — the two string tasks: reverse and copy.
 *
 * reverse: 4–16 lower-case letters, reversed. Its alignment is the
 *   anti-diagonal.
 * copy: 5–60 lower-case letters, unchanged. Without attention the whole
 *   string must squeeze through one vector, so accuracy falls with length;
 *   with attention it holds (the bottleneck, measured by `eval --by-length`).
 */
#include "task_impl.h"

static void letters(Rng *rng, char *s, int n) {
    for (int i = 0; i < n; i++) s[i] = (char)('a' + rng_below(rng, 26));
    s[n] = 0;
}

static void reverse_raw(Rng *rng, char *src, char *tgt, size_t cap) {
    int n = 4 + rng_below(rng, 13);
    if ((size_t)n >= cap) n = (int)cap - 1;
    letters(rng, src, n);
    for (int i = 0; i < n; i++) tgt[i] = src[n - 1 - i];
    tgt[n] = 0;
}

static void copy_raw(Rng *rng, char *src, char *tgt, size_t cap) {
    int n = 5 + rng_below(rng, 56);
    if ((size_t)n >= cap) n = (int)cap - 1;
    letters(rng, src, n);
    for (int i = 0; i <= n; i++) tgt[i] = src[i];
}

TASK_SPLIT_WRAPPER(reverse_generate, reverse_raw)
TASK_SPLIT_WRAPPER(copy_generate, copy_raw)

const Task TASK_REVERSE = {
    .name = "reverse",
    .tokenizer = TOK_CHAR,
    .summary = "reverse a string of 4 to 16 letters: the anti-diagonal",
    .generate = reverse_generate,
    .generate_any = reverse_raw,
};

const Task TASK_COPY = {
    .name = "copy",
    .tokenizer = TOK_CHAR,
    .summary = "copy 5 to 60 letters: without attention accuracy falls with length",
    .generate = copy_generate,
    .generate_any = copy_raw,
};
