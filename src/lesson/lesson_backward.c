/* lesson_backward.c — the directives of the backward pass (phase: as a backward phase, direction:, lr:) and the rules of a slide that shows it.
 *
 *   direction: backward   the slide shows the backward phases of its step (a
 *                         reference is needed: the loss is taken against it)
 *   phase: scores         with direction: backward, one of loss, logits,
 *                         state, split, weights, scores, query, encoder, step
 *   lr: 0.5               η of the one SGD step the `step` phase replays
 * Messages come back without FILE:LINE:, which the parser adds.
 */
#include "lesson.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BACK_PHASES "loss, logits, state, split, weights, scores, query, encoder, step"
#define FORWARD_PHASES "encoder, query, scores, softmax, context, combine, output, next"

static int fail(char *msg, size_t cap, const char *fmt, const char *v) {
    snprintf(msg, cap, fmt, v);
    return -1;
}

int lesson_backward_directive(LessonDirective d, const char *v, LessonSlide *s, char *msg, size_t cap) {
    if (d == LD_PHASE) {   /* either kind of name; finish's rules check it against direction: */
        BackPhase bp;
        s->back_phase = back_phase_parse(v, &bp) == 0 ? (int)bp : -1;
        if (phase_parse(v, &s->phase) != 0) s->phase = PH_UNSET;
        if (s->phase == PH_UNSET && s->back_phase < 0)
            return fail(msg, cap, "unknown phase '%s' (" FORWARD_PHASES "; with direction: backward: " BACK_PHASES ")", v);
        return 0;
    }
    if (d == LD_DIRECTION) {
        if (strcmp(v, "forward") && strcmp(v, "backward"))
            return fail(msg, cap, "direction must be 'forward' or 'backward', not '%s'", v);
        s->backward = !strcmp(v, "backward");
        return 0;
    }
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (!*v || *end || errno || !isfinite(x) || x < 0.001 || x > 10)
        return fail(msg, cap, "lr must be a learning rate from 0.001 to 10, not '%s'", v);
    s->lr = (float)x;
    return 0;
}

int lesson_backward_rules(const LessonSlide *s, int *line, char *msg, size_t cap) {
    bool phase = s->set & (1u << LD_PHASE);
    if ((s->set & (1u << LD_LR)) && !s->backward) {
        *line = s->dline[LD_LR];
        return fail(msg, cap, "%s", "lr: goes with direction: backward (it is the one SGD step's learning rate)");
    }
    if (!s->backward) {
        if (phase && s->phase == PH_UNSET) {
            *line = s->dline[LD_PHASE];
            return fail(msg, cap, "phase '%s' is a backward phase: add direction: backward", back_phase_name(s->back_phase));
        }
        return 0;
    }
    *line = s->dline[LD_DIRECTION];
    if (!s->target)
        return fail(msg, cap, "%s", "direction: backward needs a target: (the reference the loss is taken against)");
    if (s->compare[0] >= 0 || s->side_by_side)
        return fail(msg, cap, "%s", "direction: backward and compare: or side-by-side: on one slide: use one of them");
    if (phase && s->back_phase < 0) {
        *line = s->dline[LD_PHASE];
        return fail(msg, cap, "phase '%s' is not a backward phase (" BACK_PHASES ")", phase_name(s->phase));
    }
    return 0;
}
