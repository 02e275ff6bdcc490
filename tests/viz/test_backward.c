/* test_backward.c — the backward phases' draw list, without GL (issue 12): the clock with the backward phases after
 * each step's forward ones, the gradient values behind every bar, cell and row, the gradient's own colours and
 * legend, the layout at both sizes in both languages and themes, the free-running step's note, the mouse. Text is
 * measured with the real font. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "base/colormap.h"
#include "checks.h"
#include "font.h"
#include "layout_check.h"
#include "grad_fixture.h"
#include "text/font_find.h"
#include "text/text.h"
#include "viz/ui_strings.h"
#include "viz/view.h"

static Text *text;
static TextMeasure measure;

static void setup(void) { text = test_font_open(&measure); }
static void teardown(void) { test_font_close(text); }

TestSuite(backward, .init = setup, .fini = teardown, .timeout = 300);

enum { NPH = VIZ_PHASES_BACKWARD };

/* τ at the end of backward phase p of step t (1-based) */
static double back_tau(const Trace *tr, int t, int p) { return viz_tau_at_n(tr, NPH, t, PH_COUNT + p) + 0.99999; }


Test(backward, the_clock_has_the_backward_phases_after_the_forward_ones) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_LUONG, SCORE_GENERAL, 1);
    VizState st = grad_view_state(&g, 0);
    cr_expect_eq(viz_step_phases(&tr, &st), NPH);
    st.backward = false;
    cr_expect_eq(viz_step_phases(&tr, &st), PH_COUNT);
    st.backward = true;
    st.grad = NULL;
    cr_expect_eq(viz_step_phases(&tr, &st), PH_COUNT, "no gradient: forward only");
    g.T--;
    st.grad = &g;
    cr_expect_eq(viz_step_phases(&tr, &st), PH_COUNT, "a gradient of another decoding is not used");
    g.T++;
    int step, ph;
    float pr;
    viz_clock_n(&tr, NPH, viz_tau_at_n(&tr, NPH, 3, PH_COUNT + BPH_SCORES) + 0.25, &step, &ph, &pr);
    cr_expect(step == 2 && ph == PH_COUNT + BPH_SCORES && fabsf(pr - 0.25f) < 1e-5f, "%d %d %g", step, ph, (double)pr);
    cr_expect_eq(viz_tau_end_n(&tr, NPH), (double)tr.T * NPH);
    /* the caption and the timeline say which phase it is */
    DrawList dl;
    dl_init(&dl, &measure);
    st = grad_view_state(&g, back_tau(&tr, 2, BPH_WEIGHTS));
    viz_build(&dl, &tr, &st, 1280, 720);
    const DlCmd *tl = NULL, *cap = NULL;
    for (int i = 0; i < dl.n; i++) {
        if (dl.cmds[i].tag == VIZ_TAG_TIMELINE && dl.cmds[i].kind == DL_RECT && !tl) tl = &dl.cmds[i];
        if (dl.cmds[i].tag == VIZ_TAG_CAPTION) cap = &dl.cmds[i];
    }
    cr_assert(tl && cap);
    cr_expect_eq(cap->a, PH_COUNT + BPH_WEIGHTS);
    cr_expect_str_eq(dl_str(&dl, cap), "← 5. Weights");
    cr_expect_eq(tl->b, NPH, "the timeline knows its phases per step");
    /* a click in the backward part of step 2's segment lands in a backward phase of step 2 */
    float x = tl->x + tl->w * (float)((1 + (PH_COUNT + 4.5) / NPH) / tr.T);
    double tau = viz_timeline_hit(&dl, &tr, x, tl->y + tl->h / 2);
    viz_clock_n(&tr, NPH, tau, &step, &ph, &pr);
    cr_expect(step == 1 && ph == PH_COUNT + 4, "clicked step %d phase %d", step, ph);
    dl_free(&dl);
    grad_trace_free(&g);
    trace_free(&tr);
}

static const struct { StyleKind style; ScoreKind score; } KINDS[] = {
    {STYLE_LUONG, SCORE_GENERAL}, {STYLE_LUONG, SCORE_NONE}, {STYLE_BAHDANAU, SCORE_ADDITIVE},
    {STYLE_LUONG, SCORE_CONCAT}, {STYLE_LUONG, SCORE_SCALED_DOT}, {STYLE_BAHDANAU, SCORE_DOT}};
enum { N_KINDS = sizeof KINDS / sizeof *KINDS };

/* Every backward phase of every kind, at both sizes, light and dark, English and Korean: no label on another, none
 * outside the window, no English in Korean. */
Test(backward, every_backward_frame_is_laid_out_in_both_languages) {
    static const float SIZES[2][2] = {{1280, 720}, {1024, 600}};
    static const float PROGRESS[] = {0.3f, 0.99999f};
    DrawList dl;
    dl_init(&dl, &measure);
    int frames = 0, labels = 0;
    for (int k = 0; k < N_KINDS; k++) {
        Trace tr;
        GradTrace g;
        grad_fixture(&tr, &g, KINDS[k].style, KINDS[k].score, k & 1 ? 0 : 1);
        char allowed[2048];
        size_t o = 0;
        for (int id = 0; id < tr.V && o < sizeof allowed; id++)
            o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s\n", trace_token(&tr, id));
        for (int z = 0; z < 2; z++)
            for (int t = 1; t <= tr.T; t += 2)
                for (int p = 0; p < BPH_COUNT; p++)
                    for (int q = 0; q < 2; q++)
                        for (int m = 0; m < 4; m++) {
                            VizState st = grad_view_state(&g, viz_tau_at_n(&tr, NPH, t, PH_COUNT + p) + PROGRESS[q]);
                            st.dark = m & 1;
                            st.lang = m & 2 ? "ko" : NULL;
                            viz_build(&dl, &tr, &st, SIZES[z][0], SIZES[z][1]);
                            cr_assert(!dl.oom);
                            char what[160];
                            snprintf(what, sizeof what, "%s %s %gx%g step %d %s +%.1f %s %s", style_name(KINDS[k].style),
                                     score_name(KINDS[k].score), (double)SIZES[z][0], (double)SIZES[z][1], t,
                                     back_phase_name(p), (double)PROGRESS[q], m & 1 ? "dark" : "light", m & 2 ? "ko" : "en");
                            check_no_overlap(&dl, what);
                            check_inside(&dl, SIZES[z][0], SIZES[z][1], what);
                            if (m & 2) check_korean(&dl, allowed, what, &labels);
                            frames++;
                        }
        grad_trace_free(&g);
        trace_free(&tr);
    }
    cr_expect_gt(frames, 1000);
    cr_expect_gt(labels, frames / 2, "Korean frames show Korean labels");
    dl_free(&dl);
}

/* All tagged commands of a tag (and a, when a ≥ -1 is given... any a when ANY). */
enum { ANY = -99 };
static int tagged(const DrawList *dl, int tag, int a, const DlCmd **out, int cap) {
    int n = 0;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->tag != tag || c->kind != DL_RECT || (a != ANY && c->a != a)) continue;
        if (n < cap) out[n] = c;
        n++;
    }
    return n;
}

static void frame(DrawList *dl, const Trace *tr, const GradTrace *g, int t, int p) {
    VizState st = grad_view_state(g, back_tau(tr, t, p));
    viz_build(dl, tr, &st, 1280, 720);
}

/* Every bar, cell and row of the backward phases carries the very number of the gradient trace it shows. */
Test(backward, every_mark_carries_its_gradient) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_LUONG, SCORE_GENERAL, 1);
    DrawList dl;
    dl_init(&dl, &measure);
    const DlCmd *c[512];
    int t = 3, S = tr.S, T = tr.T;
    const GradStep *gs = &g.steps[t - 1];
    frame(&dl, &tr, &g, t, BPH_WEIGHTS);
    cr_assert_eq(tagged(&dl, VIZ_TAG_GRAD_BAR, ANY, c, 512), S);
    for (int i = 0; i < S; i++) cr_expect_eq(c[i]->value, gs->d_weights[c[i]->a]);
    frame(&dl, &tr, &g, t, BPH_SCORES);
    cr_assert_eq(tagged(&dl, VIZ_TAG_GRAD_BAR, ANY, c, 512), S);
    for (int i = 0; i < S; i++) cr_expect_eq(c[i]->value, gs->d_scores[c[i]->a]);
    frame(&dl, &tr, &g, t, BPH_QUERY);
    static const int VEC[4] = {VIZ_GRAD_QUERY, VIZ_GRAD_HIDDEN, VIZ_GRAD_CONTEXT, VIZ_GRAD_OUT};
    const float *want[4] = {gs->d_query, gs->d_hidden, gs->d_context, gs->d_output_state};
    int len[4] = {g.H, g.H, g.D, g.H};
    for (int v = 0; v < 4; v++) {
        cr_assert_eq(tagged(&dl, VIZ_TAG_GRAD_CELL, VEC[v], c, 512), len[v], "vector %d", v);
        for (int i = 0; i < len[v]; i++) cr_expect_eq(c[i]->value, want[v][c[i]->b]);
    }
    int rows = tagged(&dl, VIZ_TAG_GRAD_ROW, ANY, c, 512);
    bool ref = false;
    for (int i = 0; i < rows; i++) {
        cr_expect_eq(c[i]->value, gs->d_logits[c[i]->b]);
        ref |= c[i]->b == tr.steps[t - 1].reference_id;
    }
    cr_expect(rows >= 5 && ref, "%d output rows, the reference among them: %d", rows, ref);
    frame(&dl, &tr, &g, t, BPH_ENCODER);
    cr_assert_eq(tagged(&dl, VIZ_TAG_GRAD_MATRIX, ANY, c, 512), T * S);
    for (int i = 0; i < T * S; i++) cr_expect_eq(c[i]->value, g.steps[c[i]->a].d_scores[c[i]->b]);
    cr_assert_eq(tagged(&dl, VIZ_TAG_GRAD_CELL, VIZ_GRAD_ENC, c, 512), S * g.D);
    for (int i = 0; i < S * g.D; i++) cr_expect_eq(c[i]->value, g.d_encoder_states[c[i]->b]);
    cr_assert_eq(tagged(&dl, VIZ_TAG_BLAME_BAR, ANY, c, 512), S);
    for (int i = 0; i < S; i++) {
        double q = 0;
        for (int e = 0; e < g.E; e++) q += (double)g.d_source_embeddings[c[i]->a * g.E + e] * g.d_source_embeddings[c[i]->a * g.E + e];
        cr_expect_float_eq(c[i]->value, (float)sqrt(q), 1e-6f);
    }
    frame(&dl, &tr, &g, t, BPH_STEP);
    cr_assert_eq(tagged(&dl, VIZ_TAG_STEP_CELL, ANY, c, 512), 3 * S);
    const float *w0 = tr.steps[t - 1].weights, *w1 = g.after.weights + (t - 1) * S;
    for (int i = 0; i < 3 * S; i++) {
        int s = c[i]->b;
        float w = c[i]->a == 0 ? w0[s] : c[i]->a == 1 ? w1[s] : w1[s] - w0[s];
        cr_expect_eq(c[i]->value, w, "one-step row %d column %d", c[i]->a, s);
    }
    cr_expect_eq(tagged(&dl, VIZ_TAG_LR_SLIDER, ANY, c, 512), 1, "the η slider");
    dl_free(&dl);
    grad_trace_free(&g);
    trace_free(&tr);
}

/* Gradient cells are the gradient map of their value over their vector's largest |·| (light theme), purple when
 * negative and orange when positive; the legend of the scale is there in the gradient phases, and nowhere forward. */
Test(backward, gradients_have_their_own_colours_and_legend) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_LUONG, SCORE_DOT, 1);
    DrawList dl;
    dl_init(&dl, &measure);
    const DlCmd *c[512];
    frame(&dl, &tr, &g, 2, BPH_QUERY);
    const GradStep *gs = &g.steps[1];
    const float *vec[3] = {gs->d_query, gs->d_context, gs->d_output_state};
    int which[3] = {VIZ_GRAD_QUERY, VIZ_GRAD_CONTEXT, VIZ_GRAD_OUT}, len[3] = {g.H, g.D, g.H}, signs = 0;
    for (int v = 0; v < 3; v++) {
        float m = 0;
        for (int i = 0; i < len[v]; i++) m = fmaxf(m, fabsf(vec[v][i]));
        int n = tagged(&dl, VIZ_TAG_GRAD_CELL, which[v], c, 512);
        for (int i = 0; i < n; i++) {
            Rgb8 col = {c[i]->color.r, c[i]->color.g, c[i]->color.b};
            float back = colormap_gradient_inverse(col), want = c[i]->value / m;
            cr_expect(fabsf(back - want) <= 1.5f / 127, "cell %d of vector %d: colour says %g, value/m %g", i, v,
                      (double)back, (double)want);
            if (want < -0.4f) {
                signs |= 1;
                cr_expect(col.b > col.g, "a negative gradient is purple");
            }
            if (want > 0.4f) {
                signs |= 2;
                cr_expect(col.r > col.b, "a positive gradient is orange");
            }
        }
    }
    cr_expect_eq(signs, 3, "both signs seen");
    for (int p = 0; p < BPH_COUNT; p++) {
        frame(&dl, &tr, &g, 2, p);
        cr_expect_eq(tagged(&dl, VIZ_TAG_GRAD_LEGEND, ANY, c, 512), p == BPH_STEP ? 0 : 1, "%s", back_phase_name(p));
    }
    VizState st = grad_view_state(&g, viz_tau_at_n(&tr, NPH, 2, PH_SOFTMAX) + 0.5);
    viz_build(&dl, &tr, &st, 1280, 720);
    cr_expect_eq(tagged(&dl, VIZ_TAG_GRAD_LEGEND, ANY, c, 512), 0, "no gradient legend in a forward phase");
    dl_free(&dl);
    grad_trace_free(&g);
    trace_free(&tr);
}

static bool same_list(const DrawList *a, const DrawList *b) {
    if (a->n != b->n) return false;
    for (int i = 0; i < a->n; i++) {
        const DlCmd *x = &a->cmds[i], *y = &b->cmds[i];
        if (x->kind != y->kind || memcmp(&x->color, &y->color, sizeof x->color) || x->x != y->x || x->y != y->y ||
            x->w != y->w || x->h != y->h || x->tag != y->tag || x->a != y->a || x->b != y->b)
            return false;
        if (x->kind == DL_TEXT && strcmp(dl_str(a, x), dl_str(b, y))) return false;
    }
    return true;
}

/* Stepping backward re-evaluates: a backward frame is a function of τ alone. */
Test(backward, a_backward_frame_depends_on_the_clock_only) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_BAHDANAU, SCORE_ADDITIVE, 1);
    DrawList a, b;
    dl_init(&a, &measure);
    dl_init(&b, &measure);
    for (int p = 0; p < BPH_COUNT; p++) {
        VizState st = grad_view_state(&g, viz_tau_at_n(&tr, NPH, 2, PH_COUNT + p) + 0.4);
        viz_build(&a, &tr, &st, 1280, 720);
        VizState other = grad_view_state(&g, back_tau(&tr, 4, BPH_STEP));
        viz_build(&b, &tr, &other, 1280, 720);
        cr_expect(!same_list(&a, &b), "%s: two moments, one picture", back_phase_name(p));
        viz_build(&b, &tr, &st, 1280, 720);
        cr_expect(same_list(&a, &b), "%s: the same τ, another picture", back_phase_name(p));
    }
    dl_free(&a);
    dl_free(&b);
    grad_trace_free(&g);
    trace_free(&tr);
}

static bool has_text(const DrawList *dl, const char *s) {
    for (int i = 0; i < dl->n; i++)
        if (dl->cmds[i].kind == DL_TEXT && strstr(dl_str(dl, &dl->cmds[i]), s)) return true;
    return false;
}

/* Without attention the encoder phase says that only the start state's way back exists (no matrix), and a step fed
 * the model's own prediction says that no gradient flows through that choice. */
Test(backward, no_attention_and_free_running_say_what_passes) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_LUONG, SCORE_NONE, 1);
    DrawList dl;
    dl_init(&dl, &measure);
    const DlCmd *c[64];
    frame(&dl, &tr, &g, 2, BPH_ENCODER);
    cr_expect_eq(tagged(&dl, VIZ_TAG_GRAD_MATRIX, ANY, c, 64), 0);
    cr_expect_eq(tagged(&dl, VIZ_TAG_BLAME_BAR, ANY, c, 64), tr.S);
    cr_expect(has_text(&dl, ui_str_en(UI_B_START_ONLY)));
    grad_trace_free(&g);
    trace_free(&tr);
    for (int forced = 0; forced < 2; forced++) {
        grad_fixture(&tr, &g, STYLE_LUONG, SCORE_GENERAL, (float)forced);
        for (int t = 2; t <= tr.T; t++) {
            frame(&dl, &tr, &g, t, BPH_SPLIT);
            cr_expect_eq(has_text(&dl, ui_str_en(UI_B_NO_GRAD_IN)), !tr.steps[t - 1].teacher_forced, "step %d", t);
            cr_expect_eq(has_text(&dl, ui_str_en(UI_B_TF_IN)), tr.steps[t - 1].teacher_forced, "step %d", t);
        }
        grad_trace_free(&g);
        trace_free(&tr);
    }
    dl_free(&dl);
}

/* The mouse over a bar or a cell reads its gradient. */
Test(backward, hover_reads_the_gradient) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_LUONG, SCORE_GENERAL, 1);
    DrawList dl;
    dl_init(&dl, &measure);
    const DlCmd *c[512];
    frame(&dl, &tr, &g, 2, BPH_SCORES);
    cr_assert_eq(tagged(&dl, VIZ_TAG_GRAD_BAR, 1, c, 512), 1);
    VizState st = grad_view_state(&g, back_tau(&tr, 2, BPH_SCORES));
    st.mouse_in = true;
    st.mouse_x = c[0]->x + c[0]->w / 2;
    st.mouse_y = c[0]->y + c[0]->h / 2;
    viz_build(&dl, &tr, &st, 1280, 720);
    char want[64];
    snprintf(want, sizeof want, "∂L/∂score_2 = %+.4g", (double)g.steps[1].d_scores[1]);
    cr_expect(has_text(&dl, want), "no tooltip '%s'", want);
    frame(&dl, &tr, &g, 2, BPH_QUERY);
    cr_assert_gt(tagged(&dl, VIZ_TAG_GRAD_CELL, VIZ_GRAD_CONTEXT, c, 512), 3);
    st = grad_view_state(&g, back_tau(&tr, 2, BPH_QUERY));
    st.mouse_in = true;
    st.mouse_x = c[3]->x + c[3]->w / 2;
    st.mouse_y = c[3]->y + c[3]->h / 2;
    int i = c[3]->b;   /* before the list is built again */
    viz_build(&dl, &tr, &st, 1280, 720);
    snprintf(want, sizeof want, "∂L/∂c_t[%d] = %+.4g", i + 1, (double)g.steps[1].d_context[i]);
    cr_expect(has_text(&dl, want), "no tooltip '%s'", want);
    dl_free(&dl);
    grad_trace_free(&g);
    trace_free(&tr);
}
