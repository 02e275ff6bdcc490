/* phase.h — the visualizer's phases of one decoder step, in playing order, and their names.
 *
 * One enum for the view, the app and the lesson files (`phase: softmax`).
 */
#ifndef BASE_PHASE_H
#define BASE_PHASE_H

typedef enum {
    PH_UNSET = -1,    /* a lesson slide that does not say */
    PH_ENCODER, PH_QUERY, PH_SCORES, PH_SOFTMAX, PH_CONTEXT, PH_COMBINE, PH_OUTPUT, PH_NEXT,
    PH_COUNT
} Phase;

/* "encoder" … "next"; "unset" for PH_UNSET, "?" for anything else. */
const char *phase_name(int phase);
/* The phase named s (exactly, lower case): 0, or -1 when unknown. */
int phase_parse(const char *s, Phase *out);

#endif
