/* lesson_train.c — the directives of a training or lab slide (mode:, steps:, speed:, probe:, lab:) and their rules.
 *
 *   mode: train        the slide shows a model like `model:` learning from
 *                      random weights (its configuration, task and recipe),
 *                      the training mode beside the narration
 *   steps: 300         train up to step 300, then pause (0: stay at step 0,
 *                      the untrained model); unset: train on to the plan
 *   speed: 30          steps a second (1 to 1000), or `full`
 *   probe: 21 Nov 2026 the sentence whose attention the class watches
 *                      (default: the slide's input)
 * A training slide that follows one with the same model, probe and seed
 * goes on with the same run, so a lesson can train in stages ("predict the
 * matrix at step 300", next slide: steps: 300). `seed:` seeds the training.
 *
 *   mode: lab          the mechanism lab beside the narration: 2 to 6
 *   lab: score=general,none,none+reverse   configurations like `model:`,
 *                      each with the lab's one change (the values of
 *                      `attnviz learn --lab`, src/tasks/lab.h), from one
 *                      seed on the same batches; steps:, speed:, probe:
 *                      and seed: as for mode: train
 * Messages come back without FILE:LINE:, which the parser adds.
 */
#include "lesson.h"
#include "../tasks/lab.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *msg, size_t cap, const char *fmt, const char *v) {
    snprintf(msg, cap, fmt, v);
    return -1;
}

/* A whole number in [lo, hi]: 0, or -1. */
static int whole(const char *v, long lo, long hi, long *out) {
    if (!isdigit((unsigned char)*v)) return -1;
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (*end || errno || x < lo || x > hi) return -1;
    *out = x;
    return 0;
}

int lesson_train_directive(LessonDirective d, const char *v, LessonSlide *s, char *msg, size_t cap) {
    long x;
    switch (d) {
    case LD_MODE:
        if (strcmp(v, "train") && strcmp(v, "view") && strcmp(v, "lab"))
            return fail(msg, cap, "mode must be 'view', 'train' or 'lab', not '%s'", v);
        s->train = strcmp(v, "train") == 0;
        s->lab = strcmp(v, "lab") == 0;
        return 0;
    case LD_LAB: {
        LabVariant lv[LAB_MAX];
        char e[AV_ERR_LEN];
        if (strlen(v) > 200) return fail(msg, cap, "%s", "lab: is longer than 200 bytes");
        if (lab_parse(v, lv, e) < 0) {
            const char *why = strncmp(e, "--lab", 5) == 0 ? e + 5 + (e[5] == ':') : e;   /* the command line's prefix */
            snprintf(msg, cap, "lab:%s%.150s", *why == ' ' ? "" : " ", why);
            return -1;
        }
        char *t = strdup(v);
        if (!t) return fail(msg, cap, "%s", "out of memory");
        free(s->lab_spec);
        s->lab_spec = t;
        return 0;
    }
    case LD_STEPS:
        if (whole(v, 0, LESSON_MAX_TRAIN_STEPS, &x))
            return fail(msg, cap, "steps must be a whole number of training steps from 0 to 1000000, not '%s'", v);
        s->train_steps = x;
        return 0;
    case LD_SPEED:
        if (strcmp(v, "full") == 0) x = 0;
        else if (whole(v, 1, LESSON_MAX_SPEED, &x))
            return fail(msg, cap, "speed must be steps a second from 1 to 1000, or 'full', not '%s'", v);
        s->train_speed = (int)x;
        return 0;
    case LD_PROBE: {
        if (!*v) return fail(msg, cap, "%s", "probe: is empty");
        if (strlen(v) > LESSON_MAX_TEXT) return fail(msg, cap, "%s", "probe: is longer than 1024 bytes");
        char *t = strdup(v);
        if (!t) return fail(msg, cap, "%s", "out of memory");
        free(s->probe);
        s->probe = t;
        return 0;
    }
    default: return fail(msg, cap, "%s", "not a training directive");
    }
}

int lesson_train_rules(const LessonSlide *s, int *line, char *msg, size_t cap) {
    static const LessonDirective ONLY_TRAIN[] = {LD_STEPS, LD_SPEED, LD_PROBE};
    bool live = s->train || s->lab;
    static const LessonDirective NOT_TRAIN[] = {LD_STEP, LD_PHASE, LD_COMPARE, LD_SIDE_BY_SIDE, LD_TEACHER_FORCING,
                                                LD_CHART, LD_DIRECTION, LD_LR};
    for (size_t i = 0; i < sizeof ONLY_TRAIN / sizeof *ONLY_TRAIN && !live; i++)
        if (s->set & (1u << ONLY_TRAIN[i])) {
            *line = s->dline[ONLY_TRAIN[i]];
            return fail(msg, cap, "%s: goes with mode: train (a training slide) or mode: lab",
                        lesson_directive_name(ONLY_TRAIN[i]));
        }
    if ((s->set & (1u << LD_LAB)) && !s->lab) {
        *line = s->dline[LD_LAB];
        return fail(msg, cap, "%s", "lab: goes with mode: lab (a lab slide)");
    }
    if (!live) return 0;
    for (size_t i = 0; i < sizeof NOT_TRAIN / sizeof *NOT_TRAIN; i++)
        if (s->set & (1u << NOT_TRAIN[i])) {
            *line = s->dline[NOT_TRAIN[i]];
            return fail(msg, cap, s->lab ? "%s: has no place on a lab slide (mode: lab shows the lab, not a decoding)"
                                         : "%s: has no place on a training slide (mode: train shows the training, not a decoding)",
                        lesson_directive_name(NOT_TRAIN[i]));
        }
    if (!s->model) {
        *line = s->dline[LD_MODE];
        return fail(msg, cap, "%s", s->lab ? "mode: lab needs a model: (the configuration and task its configurations vary)"
                                           : "mode: train needs a model: (the configuration and task it trains like)");
    }
    if (s->lab && !s->lab_spec) {
        *line = s->dline[LD_MODE];
        return fail(msg, cap, "%s", "mode: lab needs lab: (what it compares, as `attnviz learn --lab`: "
                                    "score=general,none,none+reverse, tf=1,linear,0 or reverse=off,on)");
    }
    return 0;
}
