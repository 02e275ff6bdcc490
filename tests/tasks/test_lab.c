/* test_lab.c — the mechanism lab (src/tasks/lab.h): its axis parsed and refused, a variant applied to the base, and a lab that gives the same numbers from the same seed, whose configurations differ only where the lab says. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasks/lab.h"

static LearnDesc base_desc(void) {
    LearnDesc d = {0};
    d.cfg = (ModelConfig){.cell = CELL_LSTM, .style = STYLE_LUONG, .score = SCORE_GENERAL, .embed = 8,
                          .enc_hidden = 16, .hidden = 16, .tokenizer = TOK_CHAR};
    d.train = (TrainDesc){.batch = 8, .lr = 0.01f, .teacher_forcing = 1.0f, .steps = 20, .seed = 3};
    d.log_every = 10;
    d.eval_every = 20;
    d.probe = "attention";
    d.task = task_find("reverse");
    d.name = "reverse";
    d.made_by = "test_lab";
    return d;
}

static Lab *make_lab(const char *spec) {
    LabVariant v[LAB_MAX];
    char err[AV_ERR_LEN];
    int n = lab_parse(spec, v, err);
    cr_assert_gt(n, 1, "%s", err);
    Pairs train, test;
    cr_assert_eq(task_pairs(task_find("reverse"), SPLIT_TRAIN, 200, 1, &train, err), 0, "%s", err);
    cr_assert_eq(task_pairs(task_find("reverse"), SPLIT_TEST, 20, 1, &test, err), 0, "%s", err);
    LearnDesc d = base_desc();
    Lab *lab = lab_create(&d, v, n, &train, &test, err);
    cr_assert(lab, "%s", err);
    pairs_free(&train);
    pairs_free(&test);
    return lab;
}

Test(lab, parses_the_three_axes) {
    LabVariant v[LAB_MAX];
    char err[AV_ERR_LEN];
    cr_assert_eq(lab_parse("score=general,dot,none,none+reverse", v, err), 4, "%s", err);
    cr_expect_eq(v[0].score, SCORE_GENERAL);
    cr_expect_eq(v[2].score, SCORE_NONE);
    cr_expect(!v[2].reverse);
    cr_expect(v[3].reverse && v[3].score == SCORE_NONE);
    cr_expect_str_eq(v[3].label, "none+reverse");
    cr_assert_eq(lab_parse("tf=1,linear,0", v, err), 3, "%s", err);
    cr_expect(v[0].tf_constant && v[0].tf == 1.0f);
    cr_expect(!v[1].tf_constant && v[1].schedule == TF_LINEAR);
    cr_expect(v[2].tf_constant && v[2].tf == 0.0f);
    cr_assert_eq(lab_parse("reverse=off,on", v, err), 2, "%s", err);
    cr_expect(!v[0].reverse && v[1].reverse);
}

Test(lab, refuses_what_it_cannot_run) {
    LabVariant v[LAB_MAX];
    char err[AV_ERR_LEN];
    const char *bad[][2] = {
        {"score=general", "got 1"},
        {"score=general,general", "twice"},
        {"score=general,foo", "'foo' is not a score"},
        {"score=dot,none+flip", "+reverse"},
        {"tf=1,2", "neither a probability"},
        {"tf=1,constant", "neither a probability"},
        {"reverse=on,maybe", "on or off"},
        {"scores=dot,none", "expected score="},
        {"score=none,dot,scaled_dot,general,concat,additive,none+reverse", "at most 6"},
        {"score=dot,,none", "empty"},
        {"", "expected score="},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = 0;
        cr_expect_eq(lab_parse(bad[i][0], v, err), -1, "'%s' parsed", bad[i][0]);
        cr_expect(strstr(err, bad[i][1]), "'%s': '%s' does not say '%s'", bad[i][0], err, bad[i][1]);
        cr_expect(!strchr(err, '\n'), "one line");
    }
}

Test(lab, applies_one_change_to_the_base) {
    LabVariant v[LAB_MAX];
    char err[AV_ERR_LEN];
    LearnDesc base = base_desc(), d;
    cr_assert_eq(lab_parse("score=concat,none+reverse", v, err), 2);
    cr_assert_eq(lab_apply(&v[0], &base, &d, err), 0, "%s", err);
    cr_expect_eq(d.cfg.score, SCORE_CONCAT);
    cr_expect_eq(d.cfg.attn_dim, 16, "concat gets the decoder's size");
    cr_assert_eq(lab_apply(&v[1], &base, &d, err), 0, "%s", err);
    cr_expect(d.cfg.score == SCORE_NONE && d.cfg.attn_dim == 0 && d.cfg.reverse_source);
    cr_expect_eq(memcmp(&d.train, &base.train, sizeof d.train), 0, "the training is the base's");
    cr_assert_eq(lab_parse("tf=0.5,inverse_sigmoid", v, err), 2);
    cr_assert_eq(lab_apply(&v[0], &base, &d, err), 0, "%s", err);
    cr_expect(d.train.tf_schedule == TF_CONSTANT && d.train.teacher_forcing == 0.5f);
    cr_assert_eq(lab_apply(&v[1], &base, &d, err), 0, "%s", err);
    cr_expect(d.train.tf_schedule == TF_INVSIGMOID && d.train.teacher_forcing == 1.0f);
    cr_expect_eq(memcmp(&d.cfg, &base.cfg, sizeof d.cfg), 0, "the model is the base's");
}

/* Every logged number of session i, as bits. */
static void expect_same_log(Lab *a, Lab *b, int i) {
    LearnSession *sa = lab_session(a, i), *sb = lab_session(b, i);
    cr_assert_eq(learn_line_count(sa), learn_line_count(sb));
    for (int k = 0; k < learn_line_count(sa); k++) {
        const LogLine *x = learn_line(sa, k), *y = learn_line(sb, k);
        cr_expect_eq(x->step, y->step);
        cr_expect_eq(memcmp(&x->loss, &y->loss, sizeof x->loss), 0, "config %d line %d: loss %.9g vs %.9g", i, k,
                     (double)x->loss, (double)y->loss);
        cr_expect_eq(memcmp(&x->grad_norm, &y->grad_norm, sizeof x->grad_norm), 0);
        cr_expect_eq(x->has_heldout, y->has_heldout);
        if (x->has_heldout) cr_expect_eq(x->heldout.tokens_right, y->heldout.tokens_right);
        cr_assert_eq(x->probe_S * x->probe_T, y->probe_S * y->probe_T);
        if (x->weights)
            cr_expect_eq(memcmp(x->weights, y->weights, sizeof(float) * (size_t)(x->probe_S * x->probe_T)), 0);
    }
}

Test(lab, the_same_seed_gives_the_same_numbers) {
    Lab *a = make_lab("score=general,none,none+reverse"), *b = make_lab("score=general,none,none+reverse");
    char err[AV_ERR_LEN];
    cr_assert_eq(lab_step(a, 20, err), 0, "%s", err);
    cr_assert_eq(lab_step(b, 7, err), 0, "%s", err);   /* in two goes: the same steps */
    cr_assert_eq(lab_step(b, 13, err), 0, "%s", err);
    cr_assert_eq(lab_steps_done(a), 20);
    for (int i = 0; i < 3; i++) expect_same_log(a, b, i);
    /* the configurations really differ: none has no weights, reversal changes the numbers */
    const LogLine *g = lab_line_at(a, 0, 20), *n = lab_line_at(a, 1, 20), *r = lab_line_at(a, 2, 20);
    cr_assert(g && n && r);
    cr_expect_not_null(g->weights);
    cr_expect_null(n->weights);
    cr_expect_neq(n->loss, r->loss);
    /* and restarting gives the run again */
    cr_assert_eq(lab_restart(b, err), 0, "%s", err);
    cr_assert_eq(lab_steps_done(b), 0);
    cr_assert_eq(lab_step(b, 20, err), 0, "%s", err);
    for (int i = 0; i < 3; i++) expect_same_log(a, b, i);
    lab_free(a);
    lab_free(b);
}

Test(lab, teacher_forcing_changes_only_the_coins) {
    /* same seed and model: at step 0 (no update yet) always-forced and never-forced
     * measure the same batch; the loss differs only by the fed tokens */
    Lab *a = make_lab("tf=1,0");
    const LogLine *f = lab_line_at(a, 0, 0), *z = lab_line_at(a, 1, 0);
    cr_assert(f && z);
    cr_expect_eq(f->tf_ratio, 1.0f);
    cr_expect_eq(z->tf_ratio, 0.0f);
    cr_expect_eq(memcmp(f->weights, z->weights, sizeof(float) * (size_t)(f->probe_S * f->probe_T)), 0,
                 "the same untrained model decodes the probe the same way");
    lab_free(a);
}

Test(lab, curves_as_csv) {
    Lab *a = make_lab("score=dot,none");
    char err[AV_ERR_LEN];
    cr_assert_eq(lab_step(a, 20, err), 0, "%s", err);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    cr_assert_eq(lab_csv(a, f), 0);
    fclose(f);
    cr_expect(!strncmp(buf,
                       "step,dot.loss,dot.heldout.exact,dot.heldout.token,dot.probe.alignment_accuracy,"
                       "none.loss,none.heldout.exact,none.heldout.token,none.probe.alignment_accuracy\n0,",
                       strlen("step,dot.loss,dot.heldout.exact,dot.heldout.token,dot.probe.alignment_accuracy,"
                              "none.loss,none.heldout.exact,none.heldout.token,none.probe.alignment_accuracy\n0,")),
              "%s", buf);
    int rows = 0;
    for (char *p = buf; *p; p++) rows += *p == '\n';
    cr_expect_eq(rows, 1 + 3, "header and steps 0, 10, 20: %s", buf);
    char want[64];
    snprintf(want, sizeof want, "\n20,%.9g,", (double)lab_line_at(a, 0, 20)->loss);
    cr_expect(strstr(buf, want), "%s in %s", want, buf);
    cr_expect(strstr(buf, ",,\n") || strstr(buf, ",\n"), "none's alignment is an empty cell");
    free(buf);
    lab_free(a);
}
