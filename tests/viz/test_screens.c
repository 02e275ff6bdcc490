/* test_screens.c — what issue 13 asked the view to show (draw lists, no GL): the state a decoder step starts
 * from, the screen of a model without attention, each prediction's probability and the reference beside it,
 * and unknown source words said in words. */
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "text/font_find.h"
#include "text/text.h"
#include "viz/caption.h"
#include "viz/ui_strings.h"
#include "viz/view.h"

static Text *text;
static TextMeasure measure;
static DrawList dl;

static void setup(void) {
    cr_assert_eq(TTF_Init(), 0, "TTF_Init: %s", TTF_GetError());
    char path[1024], err[FONT_ERR_CAP], terr[TEXT_ERR_CAP];
    cr_assert_eq(font_find(NULL, path, sizeof path, err), 0, "%s", err);
    text = text_create(path, terr);
    cr_assert_not_null(text, "%s", terr);
    measure = text_measure(text);
    dl_init(&dl, &measure);
}

static void teardown(void) {
    dl_free(&dl);
    text_destroy(text);
    TTF_Quit();
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
