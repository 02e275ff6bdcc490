/* phase.c — the names of the phases, forward and backward (phase.h). */
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

static const char *const BACK_NAMES[BPH_COUNT] = {
    "loss", "logits", "state", "split", "weights", "scores", "query", "encoder", "step"};

const char *back_phase_name(int p) { return p >= 0 && p < BPH_COUNT ? BACK_NAMES[p] : "?"; }

int back_phase_parse(const char *s, BackPhase *out) {
    for (int i = 0; s && i < BPH_COUNT; i++)
        if (strcmp(s, BACK_NAMES[i]) == 0) { *out = (BackPhase)i; return 0; }
    return -1;
}
