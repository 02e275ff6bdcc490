/* score.c — the names of the attention scores (score.h). */
#include "score.h"

#include <string.h>

static const char *const NAMES[SCORE_COUNT] = {"none", "dot", "scaled_dot", "general", "concat", "additive"};

const char *score_name(ScoreKind s) { return (unsigned)s < SCORE_COUNT ? NAMES[s] : "?"; }

int score_parse(const char *s, ScoreKind *out) {
    for (int i = 0; s && i < SCORE_COUNT; i++)
        if (strcmp(s, NAMES[i]) == 0) { *out = (ScoreKind)i; return 0; }
    return -1;
}
