/* test_screens.c — what issue 13 asked the view to show (draw lists, no GL): the state a decoder step starts
 * from, the screen of a model without attention, each prediction's probability and the reference beside it,
 * and unknown source words said in words. */
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "font.h"
#include "text/text.h"
#include "viz/caption.h"
#include "viz/ui_strings.h"
#include "viz/view.h"

static Text *text;
static TextMeasure measure;
static DrawList dl;

static void setup(void) {
    text = test_font_open(&measure);
    dl_init(&dl, &measure);
}

static void teardown(void) {
    dl_free(&dl);
    test_font_close(text);
}

TestSuite(screens, .init = setup, .fini = teardown);

static void demo(Trace *tr, StyleKind style, ScoreKind score, bool ref) {
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(tr, "I love you", 5, style, score, ref, 3, err), 0, "%s", err);
}

/* The frame at the end of phase ph of step t (1-based). */
static void frame(const Trace *tr, int t, int ph, VizState st) {
    st.speed = 1;
    st.tau = viz_tau_at(tr, t, ph) + 0.999;
    viz_build(&dl, tr, &st, 1280, 720);
}

/* A token as the view shows it. */
static const char *shown_token(const Trace *tr, int id) {
    const char *s = trace_token(tr, id);
    return strcmp(s, " ") == 0 ? "·" : s;
}

/* Some text of the frame contains s. */
static const DlCmd *find_text(const char *s) {
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].kind == DL_TEXT && strstr(dl_str(&dl, &dl.cmds[i]), s)) return &dl.cmds[i];
    return NULL;
}

/* At step 1 the decoder starts from h_0; at step t > 1 the encoder phase
 * shows h_{t-1}, the state step t-1 ended in (issue 13: it showed h_0). */
Test(screens, the_encoder_phase_shows_the_state_the_step_starts_from) {
    Trace tr;
    demo(&tr, STYLE_LUONG, SCORE_GENERAL, false);
    for (int t = 1; t <= 3; t++) {
        frame(&tr, t, PH_ENCODER, (VizState){0});
        const float *want = t == 1 ? tr.h0 : tr.steps[t - 2].hidden;
        int n = 0;
        for (int i = 0; i < dl.n; i++) {
            const DlCmd *c = &dl.cmds[i];
            if (c->tag != VIZ_TAG_VEC_CELL || c->a != VIZ_VEC_QUERY) continue;
            cr_assert_float_eq(c->value, want[c->b], 1e-7, "step %d: dimension %d is not h_%d's", t, c->b, t - 1);
            n++;
        }
        cr_assert_eq(n, tr.H, "step %d: one strip of H cells", t);
        if (t == 1) {
            cr_assert_not_null(find_text("h_0"));
        } else {
            char want_label[32];
            snprintf(want_label, sizeof want_label, "h_{%d}", t - 1);
            cr_assert_not_null(find_text(want_label), "step %d: labelled %s", t, want_label);
            cr_assert_null(find_text("W_b"), "step %d: not the bridge's formula", t);
        }
    }
    trace_free(&tr);
}

/* A model without attention gets its own screen (issue 13: lesson 1 showed
 * an empty alignment grid, "scores" and "a_t(s)"): no cells, no bars, no
 * score or weight labels, in any phase; the encoder's last state handed over
 * to the decoder, arrows from the strip it comes from and on to the
 * decoder; the output as a row of its own; four phases on the timeline. */
Test(screens, no_attention_has_a_screen_of_its_own) {
    static const char *const ABSENT[] = {"a_t(s)", "scores", "Σ", "c_t", "W_c", "q = h_t", "Query"};
    for (int bidi = 0; bidi < 2; bidi++) {
        Trace tr;
        demo(&tr, STYLE_LUONG, SCORE_NONE, true);
        tr.cfg.bidirectional = bidi;
        for (int t = 1; t <= tr.T; t++)
            for (int p = 0; p < PH_COUNT; p++) {
                frame(&tr, t, p, (VizState){.lang = NULL});
                for (int i = 0; i < dl.n; i++) {
                    const DlCmd *c = &dl.cmds[i];
                    cr_assert(c->tag != VIZ_TAG_ALIGN_CELL && c->tag != VIZ_TAG_BAR && c->tag != VIZ_TAG_BAR_LABEL,
                              "step %d %s: a cell or bar of attention (tag %d)", t, phase_name(p), c->tag);
                    if (c->kind != DL_TEXT) continue;
                    for (size_t k = 0; k < sizeof ABSENT / sizeof *ABSENT; k++)
                        cr_assert_null(strstr(dl_str(&dl, c), ABSENT[k]), "step %d %s: '%s'", t, phase_name(p),
                                       dl_str(&dl, c));
                }
                /* the handover, once the encoder has run */
                bool arrow_in = false, arrow_out = false, label = false;
                for (int i = 0; i < dl.n; i++) {
                    const DlCmd *c = &dl.cmds[i];
                    if (c->tag != VIZ_TAG_HANDOVER) continue;
                    label |= c->a == 0;
                    arrow_in |= c->a == 1 && c->b == (bidi ? 0 : tr.S - 1);
                    arrow_out |= c->a == 2;
                }
                /* the arrow on to the decoder at step 1 only: a later step starts from h_{t-1} */
                cr_assert(label && arrow_in && arrow_out == (t == 1),
                          "step %d %s: the handover (label %d, from h̄ %d, to the decoder %d)", t, phase_name(p), label,
                          arrow_in, arrow_out);
                /* the output so far, one token per step */
                int tokens = 0;
                for (int i = 0; i < dl.n; i++) tokens += dl.cmds[i].tag == VIZ_TAG_ROW_LABEL;
                cr_assert_eq(tokens, p > PH_OUTPUT ? t : t - 1, "step %d %s: %d output tokens", t, phase_name(p), tokens);
            }
        trace_free(&tr);
    }
    /* the timeline: a phase of none's four takes a quarter of a step */
    Trace tr;
    demo(&tr, STYLE_LUONG, SCORE_NONE, false);
    frame(&tr, 1, PH_ENCODER, (VizState){0});
    const DlCmd *track = NULL;
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].tag == VIZ_TAG_TIMELINE && dl.cmds[i].kind == DL_RECT) track = &dl.cmds[i];
    cr_assert_not_null(track);
    float step_w = track->w / (float)tr.T;
    double tau = viz_timeline_hit(&dl, &tr, track->x + step_w * 0.375f, track->y + track->h / 2);
    int t, ph;
    float pr;
    viz_clock(&tr, tau, &t, &ph, &pr);
    cr_assert(t == 0 && ph == PH_QUERY && fabsf(pr - 0.5f) < 0.01f, "3/8 of step 1: half-way through the decoder (%d %d %.2f)",
              t, ph, (double)pr);
    tau = viz_timeline_hit(&dl, &tr, track->x + step_w * 0.625f, track->y + track->h / 2);
    viz_clock(&tr, tau, &t, &ph, &pr);
    cr_assert(t == 0 && ph == PH_OUTPUT, "5/8 of step 1: the output (%d %d)", t, ph);
    cr_assert_float_eq(viz_tau_shown(&tr, viz_tau_at(&tr, 2, PH_SOFTMAX) + 0.3), viz_tau_at(&tr, 2, PH_OUTPUT) + 0.3, 1e-9);
    trace_free(&tr);
}

/* Each row's end: p_t(y_t) as a bar with its value, a "?" on a row under
 * 0.5 and on no other, and with a reference the reference token, "=" or
 * "≠" (a symbol, not only a colour) as the prediction equals it or not; a
 * line under the matrix says what they mean. Without a reference, no
 * reference column. */
Test(screens, rows_show_how_sure_and_the_reference) {
    for (int with_ref = 0; with_ref < 2; with_ref++) {
        Trace tr;
        demo(&tr, STYLE_LUONG, SCORE_GENERAL, with_ref);
        TraceStep *guess = &tr.steps[1];
        guess->probs[guess->token_id] = 0.3f;   /* a guess */
        if (with_ref) {
            tr.steps[2].reference_id = tr.steps[2].token_id == 4 ? 5 : 4;   /* a mistake */
            tr.steps[3].reference_id = tr.steps[3].token_id;                 /* a hit */
        }
        frame(&tr, tr.T, PH_NEXT, (VizState){0});
        int p_rows = 0, marks = 0, refs = 0;
        for (int i = 0; i < dl.n; i++) {
            const DlCmd *c = &dl.cmds[i];
            const TraceStep *st = &tr.steps[c->a >= 0 && c->a < tr.T ? c->a : 0];
            if (c->tag == VIZ_TAG_ROW_P) {
                cr_assert_float_eq(c->value, st->probs[st->token_id], 1e-7, "row %d", c->a + 1);
                p_rows++;
            }
            if (c->tag == VIZ_TAG_ROW_GUESS) {
                cr_assert_lt(st->probs[st->token_id], 0.5f, "row %d is marked but sure", c->a + 1);
                marks++;
            }
            if (c->tag == VIZ_TAG_ROW_REF) {
                bool right = st->reference_id == st->token_id;
                cr_assert_eq(c->b, right, "row %d", c->a + 1);
                cr_assert_not_null(strstr(dl_str(&dl, c), right ? "=" : "≠"), "row %d: '%s'", c->a + 1, dl_str(&dl, c));
                cr_assert_not_null(strstr(dl_str(&dl, c), shown_token(&tr, st->reference_id)));
                refs++;
            }
        }
        cr_assert_eq(p_rows, tr.T, "every row has its p");
        int want_marks = 0;
        for (int t = 0; t < tr.T; t++) want_marks += tr.steps[t].probs[tr.steps[t].token_id] < 0.5f;
        cr_assert_eq(marks, want_marks);
        cr_assert_geq(marks, 1);
        cr_assert_eq(refs, with_ref ? tr.T : 0);
        cr_assert_not_null(find_text("under 0.5"), "the legend says what the mark means");
        trace_free(&tr);
    }
}
