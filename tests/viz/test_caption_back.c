/* test_caption_back.c — the backward phases' captions as a pure function (viz_back_caption, caption.h): every phase of
 * every style and score has its own title, sentence and formula with the chain rule written out; the numbers are the
 * gradient trace's (the softmax's arithmetic adds up to the engine's ∂L/∂score); a step fed the model's own choice
 * says that no gradient flows through it; Korean gives Korean. No font, no draw list. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grad_fixture.h"
#include "base/phase.h"
#include "viz/caption.h"
#include "viz/ui_strings.h"

static bool hangul(const char *s) {
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if (u[0] >= 0xEA && u[0] <= 0xED) return true;
    return false;
}

static const ScoreKind SCORES[] = {SCORE_DOT, SCORE_SCALED_DOT, SCORE_GENERAL, SCORE_CONCAT, SCORE_ADDITIVE, SCORE_NONE};
enum { N_SCORES = sizeof SCORES / sizeof *SCORES };

/* Every backward phase at every step, with and without a focus. */
static void check_every_phase(StyleKind style, ScoreKind score) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, style, score, 1);
    const char *what = score_name(score);
    for (int t = 0; t < tr.T; t++)
        for (int focus = -1; focus < tr.S; focus += 2) {
            VizCaption c[BPH_COUNT];
            for (int p = 0; p < BPH_COUNT; p++) {
                viz_back_caption(&c[p], &tr, &g, t, p, focus, NULL);
                cr_assert(c[p].title[0] && c[p].what[0] && c[p].formula[0] && c[p].numbers[0],
                          "%s step %d %s: an empty line", what, t + 1, back_phase_name(p));
                char want[32];
                snprintf(want, sizeof want, "← %d. ", p + 1);
                cr_assert(strncmp(c[p].title, want, strlen(want)) == 0, "%s: title '%s'", what, c[p].title);
                for (int q = 0; q < p; q++) cr_assert_str_neq(c[p].title, c[q].title, "%s: two phases, one title", what);
                /* the chain rule: every gradient phase writes ∂L/∂ of something */
                if (p != BPH_LOSS && p != BPH_STEP)
                    cr_assert(strstr(c[p].formula, "∂L/∂") || score == SCORE_NONE, "%s %s: '%s'", what, back_phase_name(p),
                              c[p].formula);
            }
            for (int p = 0; p < BPH_COUNT && score != SCORE_NONE; p++)
                for (int q = 0; q < p; q++)
                    cr_assert_str_neq(c[p].what, c[q].what, "%s: %s and %s say the same", what, back_phase_name(p),
                                      back_phase_name(q));
        }
    grad_trace_free(&g);
    trace_free(&tr);
}

Test(caption_back, every_phase_of_every_score_and_style_has_its_caption) {
    for (int k = 0; k < N_SCORES; k++) check_every_phase(STYLE_LUONG, SCORES[k]);
    check_every_phase(STYLE_BAHDANAU, SCORE_ADDITIVE);
    check_every_phase(STYLE_BAHDANAU, SCORE_DOT);
}

/* Each formula writes its step of the chain rule, for its score and style. */
Test(caption_back, the_formulas_follow_the_chain_rule) {
    static const char *const QUERY[N_SCORES][2] = {   /* must name / must not */
        {"· h̄_s", "W_a"}, {"√D", "W_a"}, {"W_a h̄_s", "v_a"}, {"[q ; h̄_s]", "U_a"}, {"U_a", "[q ; h̄_s]"}, {NULL, NULL}};
    for (int k = 0; k < N_SCORES; k++) {
        Trace tr;
        GradTrace g;
        grad_fixture(&tr, &g, STYLE_LUONG, SCORES[k], 1);
        VizCaption c;
        viz_back_caption(&c, &tr, &g, 1, BPH_LOGITS, -1, NULL);
        cr_expect(strstr(c.formula, "(p_t - onehot(y*_t)) / T"), "%s", c.formula);
        viz_back_caption(&c, &tr, &g, 1, BPH_STATE, -1, NULL);
        cr_expect(strstr(c.formula, SCORES[k] == SCORE_NONE ? "∂L/∂h_t = W_o^T" : "∂L/∂h̃_t = (∂z_t/∂h̃_t)^T"), "%s", c.formula);
        if (SCORES[k] != SCORE_NONE) {
            viz_back_caption(&c, &tr, &g, 1, BPH_SPLIT, -1, NULL);
            cr_expect(strstr(c.formula, "W_c^T"), "%s", c.formula);
            viz_back_caption(&c, &tr, &g, 1, BPH_WEIGHTS, -1, NULL);
            cr_expect(strstr(c.formula, "= h̄_s · ∂L/∂c_t"), "%s", c.formula);
            viz_back_caption(&c, &tr, &g, 1, BPH_SCORES, -1, NULL);
            cr_expect(strstr(c.formula, "Σ_{s'} a(s') ∂L/∂a(s')"), "%s", c.formula);
            viz_back_caption(&c, &tr, &g, 1, BPH_QUERY, -1, NULL);
            cr_expect(strstr(c.formula, QUERY[k][0]), "%s: '%s' lacks %s", score_name(SCORES[k]), c.formula, QUERY[k][0]);
            cr_expect(!strstr(c.formula, QUERY[k][1]), "%s: '%s' names %s", score_name(SCORES[k]), c.formula, QUERY[k][1]);
            viz_back_caption(&c, &tr, &g, 1, BPH_ENCODER, -1, NULL);
            cr_expect(strstr(c.formula, "Σ_t (a_t(s) ∂L/∂c_t"), "%s", c.formula);
        } else {   /* no attention: the phases of attention say so; the encoder's last state is all */
            for (int p = BPH_WEIGHTS; p <= BPH_QUERY; p++) {
                viz_back_caption(&c, &tr, &g, 1, p, 2, NULL);
                cr_expect_str_eq(c.what, ui_str_en(UI_D_SKIPPED));
            }
            viz_back_caption(&c, &tr, &g, 1, BPH_ENCODER, -1, NULL);
            cr_expect(strstr(c.formula, "∂L/∂h̄_S = (∂h_0/∂h̄_S)^T ∂L/∂h_0"), "%s", c.formula);
        }
        grad_trace_free(&g);
        trace_free(&tr);
    }
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_BAHDANAU, SCORE_ADDITIVE, 1);   /* Bahdanau: the query is h_{t-1}, c_t enters the cell */
    VizCaption c;
    viz_back_caption(&c, &tr, &g, 2, BPH_QUERY, -1, NULL);
    cr_expect(strstr(c.numbers, "‖∂L/∂h_{t-1}‖"), "%s", c.numbers);
    viz_back_caption(&c, &tr, &g, 2, BPH_SPLIT, -1, NULL);
    cr_expect(strstr(c.title, ui_str_en(UI_BPH_CELL)), "%s", c.title);
    cr_expect(strstr(c.formula, "∂L/∂c_t = (∂x_t/∂c_t)^T"), "%s", c.formula);
    grad_trace_free(&g);
    trace_free(&tr);
}

/* The numbers are the gradient trace's, and the softmax's line adds up to the engine's own ∂L/∂score. */
Test(caption_back, the_numbers_are_the_gradient_traces) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_LUONG, SCORE_GENERAL, 1);
    VizCaption c;
    char b[64];
    int checked = 0;
    for (int t = 0; t < tr.T; t++) {
        const TraceStep *st = &tr.steps[t];
        const GradStep *gs = &g.steps[t];
        int y = st->reference_id;
        viz_back_caption(&c, &tr, &g, t, BPH_LOSS, -1, NULL);
        snprintf(b, sizeof b, "p = %.4f   -log p = %.3f", (double)st->probs[y], -log((double)st->probs[y]));
        cr_expect(strstr(c.numbers, b), "'%s' lacks '%s'", c.numbers, b);
        snprintf(b, sizeof b, "L = %.4f", (double)g.loss);
        cr_expect(strstr(c.numbers, b), "'%s' lacks '%s'", c.numbers, b);
        viz_back_caption(&c, &tr, &g, t, BPH_LOGITS, -1, NULL);
        snprintf(b, sizeof b, "= %+.4f", (double)gs->d_logits[y]);
        cr_expect(strstr(c.numbers, b), "'%s' lacks '%s'", c.numbers, b);
        for (int s = 0; s < tr.S; s++) {
            viz_back_caption(&c, &tr, &g, t, BPH_WEIGHTS, s, NULL);
            snprintf(b, sizeof b, "∂L/∂c_t = %+.3g", (double)gs->d_weights[s]);
            cr_expect(strstr(c.numbers, b), "'%s' lacks '%s'", c.numbers, b);
            cr_expect(strstr(c.numbers, ui_str_en(gs->d_weights[s] < 0 ? UI_BN_MORE : UI_BN_LESS)), "%s", c.numbers);
            /* a(s) × (∂L/∂a(s) − mean): the caption's three numbers, read back, give the engine's ∂L/∂score */
            viz_back_caption(&c, &tr, &g, t, BPH_SCORES, s, NULL);
            double a, da, mean, ds;
            const char *p = strstr(c.numbers, "):  ");
            cr_assert_not_null(p, "%s", c.numbers);
            cr_assert_eq(sscanf(p + 4, "%lf × (%lf - (%lf)) = %lf", &a, &da, &mean, &ds), 4, "'%s'", c.numbers);
            /* three significant digits each (a: three decimals, so only where a ≥ 0.05) */
            if (a >= 0.05) {
                checked++;
                cr_expect(fabs(a * (da - mean) - ds) <= 0.012 * fabs(ds) + 0.002 * a * (fabs(da) + fabs(mean)) + 1e-9,
                          "step %d s %d: %g × (%g - %g) = %g, the engine says %g", t + 1, s + 1, a, da, mean,
                          a * (da - mean), ds);
            }
            cr_expect(fabs(ds - gs->d_scores[s]) <= 0.006 * fabs(ds) + 1e-12, "%g vs %g", ds, (double)gs->d_scores[s]);
        }
        viz_back_caption(&c, &tr, &g, t, BPH_STEP, 1, NULL);
        snprintf(b, sizeof b, "%.3f → %.3f", (double)st->weights[1], (double)g.after.weights[t * tr.S + 1]);
        cr_expect(strstr(c.numbers, b), "'%s' lacks '%s'", c.numbers, b);
        snprintf(b, sizeof b, "%.3f → %.3f", (double)st->probs[y], (double)g.after.p_reference[t]);
        cr_expect(strstr(c.numbers, b), "'%s' lacks '%s'", c.numbers, b);
        snprintf(b, sizeof b, "η = %g", (double)g.after.lr);
        cr_expect(strstr(c.formula, b), "'%s' lacks '%s'", c.formula, b);
    }
    cr_expect_gt(checked, 5, "the softmax's arithmetic was checked %d times", checked);
    grad_trace_free(&g);
    trace_free(&tr);
}

/* A step fed the model's own prediction says that no gradient flows through that choice; a forced one does not. */
Test(caption_back, a_free_running_step_passes_no_gradient_through_its_input) {
    for (int forced = 0; forced < 2; forced++) {
        Trace tr;
        GradTrace g;
        grad_fixture(&tr, &g, STYLE_LUONG, SCORE_DOT, (float)forced);
        for (int t = 1; t < tr.T; t++) {
            VizCaption c;
            viz_back_caption(&c, &tr, &g, t, BPH_SPLIT, -1, NULL);
            bool says = strstr(c.numbers, "own choice: no gradient flows through it") != NULL;
            cr_expect_eq(says, !tr.steps[t].teacher_forced, "step %d (%s): '%s'", t + 1, forced ? "forced" : "free", c.numbers);
        }
        grad_trace_free(&g);
        trace_free(&tr);
    }
}

Test(caption_back, pure_clamped_korean_and_only_for_its_own_decoding) {
    Trace tr, other;
    GradTrace g, og;
    grad_fixture(&tr, &g, STYLE_LUONG, SCORE_GENERAL, 1);
    VizCaption a, b;
    viz_back_caption(&a, &tr, &g, 2, BPH_SCORES, 3, NULL);
    viz_back_caption(&b, &tr, &g, 2, BPH_SCORES, 3, NULL);
    cr_expect_eq(memcmp(&a, &b, sizeof a), 0, "the same arguments, another caption");
    viz_back_caption(&a, &tr, &g, 99, 99, 99, NULL);   /* clamped: the last step's last phase, no focus */
    viz_back_caption(&b, &tr, &g, tr.T - 1, BPH_COUNT - 1, -1, NULL);
    cr_expect_eq(memcmp(&a, &b, sizeof a), 0);
    viz_back_caption(&a, &tr, &g, 1, BPH_WEIGHTS, 0, "ko");
    cr_expect(hangul(a.title) && hangul(a.what), "%s / %s", a.title, a.what);
    viz_back_caption(&a, &tr, &g, 1, BPH_WEIGHTS, 0, NULL);
    cr_expect(!hangul(a.title) && !hangul(a.what));
    /* a gradient of another decoding (another length) gives nothing */
    grad_fixture(&other, &og, STYLE_LUONG, SCORE_GENERAL, 1);
    og.S = 3;
    viz_back_caption(&a, &tr, &og, 1, BPH_LOSS, -1, NULL);
    cr_expect_str_empty(a.title);
    og.S = other.S;
    grad_trace_free(&og);
    trace_free(&other);
    grad_trace_free(&g);
    trace_free(&tr);
}
