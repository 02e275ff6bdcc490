/* cmd_lab.c — `attnviz learn --lab AXIS=A,B,...`: the mechanism lab without a window: 2 to 6 configurations trained in turn from one seed, their figures side by side.
 *
 * One of the files of src/cli that include the app (tools/check-includes.sh):
 * --screenshot renders the lab's screen offscreen.
 *
 * Each configuration is train's options with the lab's one change (a score,
 * a teacher-forcing probability or schedule, the reversal), so it gets the
 * same data, the same seed and the same batches as `attnviz train` would
 * give it. The sessions step in turn, one step each, for --steps; every
 * --log-every steps they log a line (with the probe) and every
 * --eval-every steps the held-out measure. The end: one table row per
 * configuration on stdout, and --curves F.csv (src/tasks/lab.h, lab_csv).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../app/lab_frame.h"
#include "../base/outfile.h"
#include "../tasks/lab.h"
#include "../tasks/learn.h"
#include "../tasks/task.h"

/* train_session logs a line every --log-every steps only when there is a
 * log to write: the lab has one, in memory, and no file. */
static const char LAB_LOG[] = "(the lab's log, in memory)";


/* The lab's own option; --curves, --screenshot, --size, --theme, --lang and
 * --font are learn's (cmd_learn.c), shared with the training screen. */
const Opt LAB_OPTS[] = {
    {"the mechanism lab (2 to 6 networks from one seed, data and batches):", .kind = OPT_HEADING},
    {"lab", 0, OPT_STRING, OPT_AT(LearnOpts, lab), .arg = "AXIS=A,B,...",
     .help = "score=general,dot,none (none+reverse: no attention,\ninput reversed), tf=1,linear,0 (a probability or\n"
             "a schedule from --teacher-forcing) or reverse=off,on;\nthe probe defaults to the task's first held-out source;\n"
             "with it --curves writes F.csv and --screenshot the lab's screen"},
    {0},
};

/* The options of configuration v: train's, with the lab's one change. */
static void variant_opts(const TrainOpts *base, const LabVariant *v, TrainOpts *o) {
    *o = *base;
    switch (v->axis) {
    case LAB_SCORE:
        o->score = score_name(v->score);
        if (v->reverse) o->reverse_source = true;
        break;
    case LAB_REVERSE: o->reverse_source = v->reverse; break;
    case LAB_TF:
        if (v->tf_constant) {
            o->tf = v->tf;
            o->tf_schedule = "constant";
        } else {
            o->tf_schedule = tf_schedule_name(v->schedule);
        }
        break;
    }
}

/* The sessions, one per configuration, into *lab: EXIT_OK or the exit code. */
static int make_lab(const TrainOpts *base, const LabVariant *v, int n, Lab **lab) {
    LearnSession *s[LAB_MAX] = {0};
    char err[AV_ERR_LEN];
    int rc = EXIT_OK;
    for (int i = 0; i < n && rc == EXIT_OK; i++) {
        TrainOpts o;
        variant_opts(base, &v[i], &o);
        fprintf(stderr, "[%s] ", v[i].label);
        rc = train_session("learn", &o, &s[i]);
    }
    if (rc == EXIT_OK && !(*lab = lab_adopt(s, v, n, err))) {
        fprintf(stderr, "attnviz learn: %s\n", err);
        rc = EXIT_USER;
    }
    if (rc != EXIT_OK)
        for (int i = 0; i < n; i++) learn_free(s[i]);
    return rc;
}

static void report(Lab *lab) {
    printf("%-16s %8s %10s %10s %10s\n", "configuration", "loss", "exact %", "token %", "alignment");
    for (int i = 0; i < lab_count(lab); i++) {
        LearnSession *s = lab_session(lab, i);
        const LogLine *h = learn_last_heldout(s), *l = learn_line(s, learn_line_count(s) - 1);
        printf("%-16s %8.4f %10.2f %10.2f", lab_variant(lab, i)->label, (double)l->loss,
               h ? 100.0 * h->heldout_exact : 0.0, h ? 100.0 * h->heldout_token : 0.0);
        if (l->has_probe && l->alignment_accuracy == l->alignment_accuracy)
            printf(" %10.3f\n", (double)l->alignment_accuracy);
        else
            printf(" %10s\n", "-");
    }
    printf("after %ld steps each\n", lab_steps_done(lab));
}

static int write_curves(Lab *lab, const char *path) {
    AvOut out = {0};
    char err[AV_ERR_LEN];
    FILE *f = av_out_open(&out, path, err);
    if (!f || lab_csv(lab, f) != 0 || av_out_close(&out, err) != 0) {
        if (f) av_out_abort(&out);
        fprintf(stderr, "attnviz learn: --curves: %s\n", err);
        return EXIT_USER;
    }
    return EXIT_OK;
}

/* The default probe: the task's first held-out source. */
static void default_probe(TrainOpts *o, char *buf, size_t cap) {
    const Task *t = o->task ? task_find(o->task) : NULL;
    Pairs p = {0};
    char err[AV_ERR_LEN];
    if (o->probe || !t || task_pairs(t, SPLIT_TEST, 1, TASK_TEST_SEED, &p, err) || p.n < 1) return;
    snprintf(buf, cap, "%s", p.src[0]);
    pairs_free(&p);
    o->probe = buf;
}

/* The lab's screen as a PNG. */
static int screenshot(Lab *lab, const LearnOpts *lo) {
    const TrainOpts *o = &lo->t;
    LabFrame f;
    char err[AV_ERR_LEN];
    bool chars = learn_model(lab_session(lab, 0))->cfg.tokenizer == TOK_CHAR;
    bool copy = o->task && !strcmp(o->task, "copy");   /* its reference is the probe */
    if (lab_frame_make(&f, lab, o->task ? o->task : o->train, o->steps, copy && chars ? o->probe : NULL, err)) {
        fprintf(stderr, "attnviz learn: --screenshot: %s\n", err);
        return EXIT_USER;
    }
    f.lab.dark = !strcmp(lo->theme, "dark");
    f.lab.lang = lo->lang ? lo->lang : "en";
    LabShot shot = {.path = lo->screenshot, .width = lo->size[0], .height = lo->size[1], .font = lo->font};
    int rc = lab_screenshot(&f.lab, &shot, err);
    lab_frame_free(&f);
    if (rc) fprintf(stderr, "attnviz learn: --screenshot: %s\n", err);
    return rc ? EXIT_USER : EXIT_OK;
}

static int run(const LearnOpts *lo, const LabVariant *v, int n) {
    const TrainOpts *o = &lo->t;
    Lab *lab = NULL;
    int rc = make_lab(o, v, n, &lab);
    if (rc != EXIT_OK) return rc;
    char err[AV_ERR_LEN];
    if (lab_step(lab, o->steps, err) || lab_log_now(lab, true, err)) {
        fprintf(stderr, "attnviz learn: %s\n", err);
        rc = EXIT_USER;
    } else {
        report(lab);
        for (int k = 0; k < lo->curves.n && rc == EXIT_OK; k++) rc = write_curves(lab, lo->curves.v[k]);
        if (lo->screenshot && rc == EXIT_OK) rc = screenshot(lab, lo);
    }
    lab_free(lab);
    return rc;
}

int lab_command(LearnOpts *lo) {
    TrainOpts *o = &lo->t;
    LabVariant v[LAB_MAX];
    char err[AV_ERR_LEN], probe[TASK_MAX_TEXT];
    int n = lab_parse(lo->lab, v, err);
    if (n < 0) {
        fprintf(stderr, "attnviz learn: %s (attnviz learn --help lists the options)\n", err);
        return EXIT_USAGE;
    }
    for (int k = 0; k < lo->curves.n; k++) {
        const char *c = lo->curves.v[k], *dot = strrchr(c, '.');
        if (!dot || strcmp(dot, ".csv")) {
            fprintf(stderr, "attnviz learn: --lab writes its curves as CSV: give F.csv, not '%s'\n", c);
            return EXIT_USAGE;
        }
    }
    if (lo->film || lo->headless || lo->paused) {
        fprintf(stderr, "attnviz learn: --lab goes without --film, --headless and --paused\n");
        return EXIT_USAGE;
    }
    if (o->out || o->log_jsonl || o->until >= 0) {
        fprintf(stderr, "attnviz learn: --lab trains several models: --out, --log-jsonl and --until-accuracy "
                        "go without it (--curves F.csv writes their curves)\n");
        return EXIT_USAGE;
    }
    default_probe(o, probe, sizeof probe);
    o->log_jsonl = LAB_LOG;   /* lines every --log-every, held-out every --eval-every; no file */
    return run(lo, v, n);
}
