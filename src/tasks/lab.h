/* lab.h — the mechanism lab: two to six learning sessions from the same seed and data that differ in one thing, trained in turn.
 *
 * A lab varies one axis of a base configuration (a LearnDesc):
 *
 *   score=general,dot,none           the attention score (none: no attention)
 *   tf=1,linear,0                    teacher forcing: a constant probability
 *                                    (1 always forced, 0 never), or a schedule
 *                                    from the base probability (linear,
 *                                    exponential, inverse_sigmoid)
 *   reverse=off,on                   the encoder reads the input backwards
 *
 * Every session has the same seed, so the same initial weights where the
 * configurations share parameters, the same mini-batches and the same
 * teacher-forcing coins: what differs between their curves is the one
 * thing the lab varies. A score axis may also turn the reversal on for one
 * entry: `score=general,none,none+reverse` (the bottleneck and the trick).
 *
 * Threads: as learn.h. One worker calls lab_step; any thread may read the
 * sessions' [any thread] functions through lab_session.
 */
#ifndef LAB_H
#define LAB_H

#include <stdbool.h>
#include <stdio.h>

#include "learn.h"

enum { LAB_MAX = 6, LAB_LABEL = 32 };

typedef enum { LAB_SCORE, LAB_TF, LAB_REVERSE } LabAxis;

/* One configuration of a lab: what it changes in the base. */
typedef struct {
    LabAxis axis;
    char label[LAB_LABEL];    /* as written: "general", "none+reverse", "linear", "0.5", "on" */
    ScoreKind score;          /* LAB_SCORE                                                    */
    bool reverse;             /* LAB_REVERSE, or a score entry with +reverse                  */
    bool tf_constant;         /* LAB_TF: a constant probability tf (else the schedule)        */
    float tf;
    TfSchedule schedule;
} LabVariant;

/* "score=general,dot,none", "tf=1,linear,0", "reverse=off,on": 2 to
 * LAB_MAX variants into v. Their count, or -1 with one line in err. */
int lab_parse(const char *spec, LabVariant *v, char *err);

/* The variant as a legend names it: the score as written ("none+reverse"),
 * "tf 1", "tf linear", "reverse on". */
const char *lab_variant_title(const LabVariant *v, char *buf, size_t cap);

/* The base with the variant applied: the score (and the attention size
 * concat and additive need: the decoder's hidden size when the base has
 * none), the reversal, the teacher forcing. 0, or -1 with err set. */
int lab_apply(const LabVariant *v, const LearnDesc *base, LearnDesc *out, char *err);

typedef struct Lab Lab;

/* One session per variant (learn_create with the applied base): NULL with
 * err set ("general: ..." names the variant). */
Lab *lab_create(const LearnDesc *base, const LabVariant *v, int n, const Pairs *train, const Pairs *test,
                char *err);
/* A lab of sessions made elsewhere (the command line makes them with
 * train's options); it takes them over, freed with the lab. */
Lab *lab_adopt(LearnSession **sessions, const LabVariant *v, int n, char *err);
void lab_free(Lab *lab);

/* Up to n steps for each session, one step of each in turn. 0, or -1 with
 * err naming the session that failed (the others stay where they were). */
int lab_step(Lab *lab, long n, char *err);
/* learn_restart for every session. */
int lab_restart(Lab *lab, char *err);
/* A line at the current step in every session (with the held-out measure). */
int lab_log_now(Lab *lab, bool heldout, char *err);

int lab_count(const Lab *lab);
LearnSession *lab_session(Lab *lab, int i);
const LabVariant *lab_variant(const Lab *lab, int i);
long lab_steps_done(Lab *lab);               /* the fewest steps any session has done */

/* The curves as CSV: `step`, then per configuration LABEL.loss,
 * LABEL.heldout.exact, LABEL.heldout.token, LABEL.probe.alignment_accuracy,
 * one row per step the first session logged (an absent value: an empty
 * cell). -1 when the stream has an error. */
int lab_csv(Lab *lab, FILE *fp);

/* The line of session i at exactly `step`, or NULL. */
const LogLine *lab_line_at(Lab *lab, int i, long step);

#endif
