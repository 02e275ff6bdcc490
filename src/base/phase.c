/* phase.c — the names of the phases (phase.h). */
#include "phase.h"

#include <string.h>

static const char *const NAMES[PH_COUNT] = {
    "encoder", "query", "scores", "softmax", "context", "combine", "output", "next"};

const char *phase_name(int p) {
    if (p == PH_UNSET) return "unset";
    return p >= 0 && p < PH_COUNT ? NAMES[p] : "?";
}

int phase_parse(const char *s, Phase *out) {
    for (int i = 0; s && i < PH_COUNT; i++)
        if (strcmp(s, NAMES[i]) == 0) { *out = (Phase)i; return 0; }
    return -1;
}
