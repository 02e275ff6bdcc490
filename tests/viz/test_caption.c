/* test_caption.c — the header's text as a pure function (viz/caption.h):
 * every phase of a Luong, a Bahdanau and a no-attention trace has its own
 * non-empty caption; each score's formula names that score's parameters; the
 * numbers are the trace's; Korean gives Korean. No font, no draw list. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "viz/caption.h"
#include "viz/ui_strings.h"
#include "viz/view.h"

static void demo(Trace *tr, StyleKind style, ScoreKind score, bool ref) {
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(tr, "21 Nov 2026", 5, style, score, ref, 11, err), 0, "%s", err);
}

static bool has_hangul(const char *s) {
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if (u[0] >= 0xEA && u[0] <= 0xED) return true;   /* U+AC00..U+D7A3 */
    return false;
}

/* Every phase at every step, with and without a focus: title, what and
 * formula are never empty, the titles of one step are all different, and
 * the title names the phase in full. */
static void check_every_phase(StyleKind style, ScoreKind score, const char *what) {
    static const char *const TITLE[PH_COUNT] = {"1. Encoder", "2. Query",   "3. Scores", "4. Softmax",
                                                "5. Context", "6. Combine", "7. Output", "8. Next input"};
    /* without attention: four phases, the second the decoder's step */
    static const char *const NONE[PH_COUNT] = {"1. Encoder", "2. Decoder", "", "", "", "", "3. Output", "4. Next input"};
    Trace tr;
    demo(&tr, style, score, true);
    for (int t = 0; t < tr.T; t++)
        for (int focus = -1; focus < 2; focus += 2) {
            VizCaption c[PH_COUNT];
            for (int p = 0; p < PH_COUNT; p++) {
                if (score == SCORE_NONE && !NONE[p][0]) continue;   /* not a phase it has: see the next test */
                viz_caption(&c[p], &tr, t, p, focus, NULL);
                cr_assert(c[p].title[0] && c[p].what[0] && c[p].formula[0], "%s step %d %s: an empty line", what, t + 1,
                          phase_name(p));
                cr_assert_str_eq(c[p].title, score == SCORE_NONE ? NONE[p] : TITLE[p], "%s step %d", what, t + 1);
                char step[64];
                snprintf(step, sizeof step, "step %d / %d", t + 1, tr.T);
                cr_assert_str_eq(c[p].step, step);
                for (int q = 0; q < p; q++)
                    if (score != SCORE_NONE || NONE[q][0])
                        cr_assert_str_neq(c[p].title, c[q].title, "%s: %s and %s", what, phase_name(p), phase_name(q));
            }
            /* with attention, what each phase does is its own sentence */
            for (int p = 0; p < PH_COUNT && score != SCORE_NONE; p++)
                for (int q = 0; q < p; q++)
                    cr_assert_str_neq(c[p].what, c[q].what, "%s step %d: %s and %s say the same", what, t + 1,
                                      phase_name(p), phase_name(q));
        }
    trace_free(&tr);
}

Test(caption, every_phase_of_luong_bahdanau_and_none_has_its_caption) {
    check_every_phase(STYLE_LUONG, SCORE_GENERAL, "luong general");
    check_every_phase(STYLE_BAHDANAU, SCORE_ADDITIVE, "bahdanau additive");
    check_every_phase(STYLE_LUONG, SCORE_NONE, "none");
}

/* Without attention there are no scores, softmax, context or combine: asked
 * for one, the caption is the output's (the phase the view goes on to), and
 * no caption of any phase speaks of a query, a question, scores or weights
 * (issue 13: lesson 1 showed "2. Query — its new state asks the question"). */
Test(caption, no_attention_has_no_phase_it_does_not_do) {
    static const char *const ABSENT[] = {"Query", "question", "score", "Score", "a_t(s)", "c_t", "attention", "h̃"};
    for (int bidi = 0; bidi < 2; bidi++) {
        Trace tr;
        demo(&tr, STYLE_LUONG, SCORE_NONE, true);
        tr.cfg.bidirectional = bidi;
        VizCaption out;
        viz_caption(&out, &tr, 1, PH_OUTPUT, 0, NULL);
        for (int p = PH_SCORES; p <= PH_COMBINE; p++) {
            VizCaption c;
            viz_caption(&c, &tr, 1, p, 0, NULL);
            cr_assert_str_eq(c.title, out.title, "%s", phase_name(p));
            cr_assert_str_eq(c.formula, out.formula, "%s", phase_name(p));
        }
        for (int t = 0; t < tr.T; t++)
            for (int p = 0; p < PH_COUNT; p++) {
                VizCaption c;
                viz_caption(&c, &tr, t, p, -1, NULL);
                const char *lines[] = {c.title, c.what, c.formula, c.numbers};
                for (size_t i = 0; i < 4; i++)
                    for (size_t k = 0; k < sizeof ABSENT / sizeof *ABSENT; k++)
                        cr_assert_null(strstr(lines[i], ABSENT[k]), "step %d %s: '%s' speaks of '%s'", t + 1,
                                       phase_name(p), lines[i], ABSENT[k]);
            }
        /* step 1's decoder says where its start state comes from */
        VizCaption q;
        viz_caption(&q, &tr, 0, PH_QUERY, -1, NULL);
        cr_assert_not_null(strstr(q.formula, bidi ? "h_0 = tanh(W_b" : "h_0 = h̄_S"), "%s", q.formula);
        trace_free(&tr);
    }
}

/* The formula of each score names that score's parameters, and only them. */
Test(caption, each_score_formula_names_its_parameters) {
    static const struct {
        ScoreKind k;
        const char *has[3], *lacks[3];
    } F[] = {
        {SCORE_DOT, {"q^T h̄_s"}, {"W_a", "v_a", "√D"}},
        {SCORE_SCALED_DOT, {"q^T h̄_s", "√D", "D = 8"}, {"W_a", "v_a"}},
        {SCORE_GENERAL, {"q^T W_a h̄_s"}, {"v_a", "U_a", "√D"}},
        {SCORE_CONCAT, {"v_a^T", "tanh", "W_a [q ; h̄_s]"}, {"U_a", "√D"}},
        {SCORE_ADDITIVE, {"v_a^T", "W_a q", "U_a h̄_s"}, {"[q ; h̄_s]", "√D"}},
    };
    for (size_t i = 0; i < sizeof F / sizeof *F; i++) {
        Trace tr;
        demo(&tr, STYLE_LUONG, F[i].k, false);
        VizCaption c;
        viz_caption(&c, &tr, 0, PH_SCORES, -1, NULL);
        char f[256];
        viz_score_formula(&tr, NULL, f, sizeof f);
        cr_assert_str_eq(c.formula, f);
        cr_assert(strncmp(f, "score(q, h̄_s) = ", strlen("score(q, h̄_s) = ")) == 0, "%s: '%s'", score_name(F[i].k), f);
        for (int j = 0; j < 3 && F[i].has[j]; j++)
            cr_assert(strstr(f, F[i].has[j]), "%s: '%s' lacks '%s'", score_name(F[i].k), f, F[i].has[j]);
        for (int j = 0; j < 3 && F[i].lacks[j]; j++)
            cr_assert(!strstr(f, F[i].lacks[j]), "%s: '%s' has '%s'", score_name(F[i].k), f, F[i].lacks[j]);
        trace_free(&tr);
    }
}

/* The numbers are the trace's: the softmax line ends in the focused
 * position's weight, the context line starts with it, the output line
 * names the chosen token and its probability. */
Test(caption, the_numbers_are_the_traces) {
    Trace tr;
    demo(&tr, STYLE_LUONG, SCORE_DOT, false);
    const TraceStep *st = &tr.steps[2];
    for (int f = 0; f < tr.S; f++) {
        VizCaption c;
        char want[64];
        viz_caption(&c, &tr, 2, PH_SOFTMAX, f, NULL);
        snprintf(want, sizeof want, "= %.4f", (double)st->weights[f]);
        size_t n = strlen(c.numbers), w = strlen(want);
        cr_assert(n >= w && strcmp(c.numbers + n - w, want) == 0, "s = %d: '%s' does not end in '%s'", f + 1, c.numbers,
                  want);
        viz_caption(&c, &tr, 2, PH_CONTEXT, f, NULL);
        snprintf(want, sizeof want, "a_t(%d) = %.3f", f + 1, (double)st->weights[f]);
        cr_assert(strncmp(c.numbers, want, strlen(want)) == 0, "'%s' does not start with '%s'", c.numbers, want);
    }
    VizCaption c;
    viz_caption(&c, &tr, 2, PH_OUTPUT, -1, NULL);
    char want[96];
    snprintf(want, sizeof want, "y_{3} = '%s'  with  p = %.4f", trace_token(&tr, st->token_id),
             (double)st->probs[st->token_id]);
    cr_assert(strstr(c.numbers, want), "'%s' lacks '%s'", c.numbers, want);
    trace_free(&tr);
}

/* The same arguments give the same text; out-of-range ones are clamped. */
Test(caption, a_pure_function_of_its_arguments) {
    Trace tr;
    demo(&tr, STYLE_BAHDANAU, SCORE_CONCAT, true);
    VizCaption a, b;
    viz_caption(&a, &tr, 3, PH_NEXT, 2, "ko");
    viz_caption(&b, &tr, 0, PH_ENCODER, -1, NULL);   /* something else in between */
    viz_caption(&b, &tr, 3, PH_NEXT, 2, "ko");
    cr_assert(memcmp(&a, &b, sizeof a) == 0);
    viz_caption(&a, &tr, 99, 99, 99, NULL);
    viz_caption(&b, &tr, tr.T - 1, PH_NEXT, -1, NULL);
    cr_assert(memcmp(&a, &b, sizeof a) == 0, "clamped: '%s' '%s'", a.title, a.step);
    Trace empty = {0};
    viz_caption(&a, &empty, 0, 0, 0, NULL);
    cr_assert(!a.title[0] && !a.what[0] && !a.formula[0] && !a.numbers[0] && !a.step[0]);
    trace_free(&tr);
}

/* Korean gives Korean words (the notation stays); English gives none. */
Test(caption, korean_gives_korean) {
    Trace tr;
    demo(&tr, STYLE_LUONG, SCORE_GENERAL, true);
    for (int p = 0; p < PH_COUNT; p++) {
        VizCaption ko, en;
        viz_caption(&ko, &tr, 1, p, -1, "ko");
        viz_caption(&en, &tr, 1, p, -1, "en");
        cr_assert(has_hangul(ko.title) && has_hangul(ko.what) && has_hangul(ko.step), "%s: '%s' '%s' '%s'",
                  phase_name(p), ko.title, ko.what, ko.step);
        cr_assert(!has_hangul(en.title) && !has_hangul(en.what) && !has_hangul(en.formula) && !has_hangul(en.numbers),
                  "%s: English has Hangul", phase_name(p));
        cr_assert_str_neq(ko.what, en.what);
    }
    trace_free(&tr);
}
