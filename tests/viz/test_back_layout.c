/* test_back_layout.c — the backward view's layout against the forward one (issue 12): with the backward phases on,
 * the forward phases keep each row's confidence p_t(y_t) and its reference, the backward phases show them too, and
 * nothing moves between a step's forward and backward phases; a backward formula too long for the header's line
 * beside a lesson's narration is drawn whole, in two lines at the readable size, not cut with "…". Draw lists
 * without GL; text measured with the real font. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "font.h"
#include "grad_fixture.h"
#include "layout_check.h"
#include "viz/caption.h"
#include "viz/view.h"

static Text *text;
static TextMeasure measure;

static void setup(void) { text = test_font_open(&measure); }
static void teardown(void) { test_font_close(text); }

TestSuite(back_layout, .init = setup, .fini = teardown, .timeout = 120);

enum { NPH = VIZ_PHASES_BACKWARD };


/* The first command of a tag with (a, b), any kind; NULL when none. */
static const DlCmd *find(const DrawList *dl, int tag, int a, int b) {
    for (int i = 0; i < dl->n; i++)
        if (dl->cmds[i].tag == tag && dl->cmds[i].a == a && dl->cmds[i].b == b) return &dl->cmds[i];
    return NULL;
}

static int count(const DrawList *dl, int tag) {
    int n = 0;
    for (int i = 0; i < dl->n; i++) n += dl->cmds[i].tag == tag;
    return n;
}

/* Where the picture's fixed parts are: the first source label, the first matrix cell, row 1's p bar. */
typedef struct { float tok_x, tok_y, cell_x, cell_y, cell_w, p_x; } Spots;

static Spots spots(const DrawList *dl, const char *what) {
    const DlCmd *tok = find(dl, VIZ_TAG_SRC_TOKEN, 0, 0), *cell = find(dl, VIZ_TAG_ALIGN_CELL, 0, 0),
                *p = find(dl, VIZ_TAG_ROW_P, 0, 0);
    cr_assert(tok && cell && p, "%s: a source label (%d), a matrix cell (%d), row 1's p (%d)", what, tok != NULL,
              cell != NULL, p != NULL);
    return (Spots){tok->x, tok->y, cell->x, cell->y, cell->w, p->x};
}

static void same_spots(Spots a, Spots b, const char *what) {
    cr_expect(fabsf(a.tok_x - b.tok_x) < 0.01f && fabsf(a.tok_y - b.tok_y) < 0.01f, "%s: the source labels moved", what);
    cr_expect(fabsf(a.cell_x - b.cell_x) < 0.01f && fabsf(a.cell_y - b.cell_y) < 0.01f &&
                  fabsf(a.cell_w - b.cell_w) < 0.01f, "%s: the matrix moved", what);
    cr_expect(fabsf(a.p_x - b.p_x) < 0.01f, "%s: the rows' ends moved", what);
}

Test(back_layout, the_forward_phases_keep_p_and_the_reference_with_the_backward_phases_on) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_LUONG, SCORE_GENERAL, 1);
    DrawList dl;
    dl_init(&dl, &measure);
    static const float SIZES[2][2] = {{1280, 720}, {1024, 600}};
    for (int z = 0; z < 2; z++) {
        float W = SIZES[z][0], H = SIZES[z][1];
        int t = 3;
        /* the forward output phase of step 3, the backward phases off: the reference */
        VizState st = grad_view_state(NULL, viz_tau_at(&tr, t, PH_OUTPUT) + 0.99999);
        viz_build(&dl, &tr, &st, W, H);
        int p_off = count(&dl, VIZ_TAG_ROW_P), ref_off = count(&dl, VIZ_TAG_ROW_REF);
        Spots off = spots(&dl, "backward off");
        cr_expect_eq(p_off, t, "rows 1–3 have landed");
        /* the same phase with them on: the same marks, in the same places */
        st = grad_view_state(&g, viz_tau_at_n(&tr, NPH, t, PH_OUTPUT) + 0.99999);
        viz_build(&dl, &tr, &st, W, H);
        cr_expect_eq(count(&dl, VIZ_TAG_ROW_P), p_off, "%gx%g: p_t(y_t) of every landed row with B on", (double)W,
                     (double)H);
        cr_expect_eq(count(&dl, VIZ_TAG_ROW_REF), ref_off, "%gx%g: the reference beside every landed row with B on",
                     (double)W, (double)H);
        cr_expect_gt(ref_off, 0);
        Spots fwd = spots(&dl, "forward phase, backward on");
        same_spots(off, fwd, "B on against B off");
        /* every backward phase of the step that shows the attention matrix: the rows' ends too, nothing moved */
        for (int b = BPH_LOSS; b <= BPH_QUERY; b++) {
            st = grad_view_state(&g, viz_tau_at_n(&tr, NPH, t, PH_COUNT + b) + 0.5);
            viz_build(&dl, &tr, &st, W, H);
            char what[96];
            snprintf(what, sizeof what, "%gx%g backward %s against forward", (double)W, (double)H, back_phase_name(b));
            cr_expect_eq(count(&dl, VIZ_TAG_ROW_P), p_off, "%s: p_t(y_t)", what);
            same_spots(fwd, spots(&dl, what), what);
            check_no_overlap(&dl, what);
        }
    }
    dl_free(&dl);
    grad_trace_free(&g);
    trace_free(&tr);
}

/* The runs of text above the source labels that are pieces of s, in the order drawn: their number, and whether
 * they make up s exactly (joined by one space); each at least min px (a subscript at its own size). */
static int formula_runs(const DrawList *dl, const char *s, float y_max, float min, bool *whole, const char *what) {
    char joined[1024] = "";
    int n = 0;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        const char *r = dl_str(dl, c);
        if (c->kind != DL_TEXT || c->y >= y_max || strlen(r) < 12) continue;
        const char *cut = strstr(r, "…");
        char head[1024];
        snprintf(head, sizeof head, "%.*s", cut ? (int)(cut - r) : 0, r);
        if (!strstr(s, r) && !(cut && strlen(head) >= 8 && strstr(s, head))) continue;   /* not the formula's */
        cr_expect(!cut, "%s: the formula is cut: '%s'", what, r);
        float px = c->size * (strpbrk(r, "_^") ? TEXT_SCRIPT_SCALE : 1);
        cr_expect(px >= min - 1e-3f, "%s: '%s' at %.2f px, under %g", what, r, (double)px, (double)min);
        snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s", n ? " " : "", r);
        n++;
    }
    *whole = strcmp(joined, s) == 0;
    return n;
}

Test(back_layout, a_formula_too_long_for_the_header_is_drawn_whole_in_two_lines) {
    Trace tr;
    GradTrace g;
    grad_fixture(&tr, &g, STYLE_LUONG, SCORE_GENERAL, 1);
    DrawList dl;
    dl_init(&dl, &measure);
    /* the diagram beside a lesson's narration at 1280×720 and 1024×600 (mode_lesson.c: the window less the
     * narration's panel, the lesson's design width, the window's text floor), and the whole window */
    static const struct { float w, h, text_min, design_w; } VIEWS[] = {
        {862, 720, 16, 960}, {658.25f, 600, 14, 960}, {1280, 720, 0, 0}, {1024, 600, 0, 0}};
    int two = 0;
    for (size_t v = 0; v < sizeof VIEWS / sizeof *VIEWS; v++)
        for (int lang = 0; lang < 2; lang++) {
            const char *ln = lang ? "ko" : NULL;
            VizCaption k;
            viz_back_caption(&k, &tr, &g, 1, BPH_SCORES, -1, ln);
            cr_assert(strstr(k.formula, "∂a(s')/∂score_s"), "the softmax's formula has its chain rule: %s", k.formula);
            VizState st = grad_view_state(&g, viz_tau_at_n(&tr, NPH, 2, PH_COUNT + BPH_SCORES) + 0.99999);
            st.lang = ln;
            st.text_min = VIEWS[v].text_min;
            st.design_w = VIEWS[v].design_w;
            viz_build(&dl, &tr, &st, VIEWS[v].w, VIEWS[v].h);
            char what[96];
            snprintf(what, sizeof what, "%gx%g %s", (double)VIEWS[v].w, (double)VIEWS[v].h, ln ? ln : "en");
            const DlCmd *tok = find(&dl, VIZ_TAG_SRC_TOKEN, 0, 0);
            cr_assert_not_null(tok);
            float min = VIEWS[v].text_min > 0 ? VIEWS[v].text_min : viz_text_min(VIEWS[v].w, VIEWS[v].h, 1);
            bool whole;
            int n = formula_runs(&dl, k.formula, tok->y, min, &whole, what);
            cr_expect(whole && (n == 1 || n == 2), "%s: the formula is drawn whole, in %d runs", what, n);
            two += n == 2;
            check_no_overlap(&dl, what);
            check_inside(&dl, VIEWS[v].w, VIEWS[v].h, what);
            /* the layout is the decoding's: the loss phase and a forward phase put the source labels there too */
            float ty = tok->y;
            st.tau = viz_tau_at_n(&tr, NPH, 2, PH_COUNT + BPH_LOSS) + 0.5;
            viz_build(&dl, &tr, &st, VIEWS[v].w, VIEWS[v].h);
            cr_expect(fabsf(find(&dl, VIZ_TAG_SRC_TOKEN, 0, 0)->y - ty) < 0.01f, "%s: the loss phase moved the picture", what);
            st.tau = viz_tau_at_n(&tr, NPH, 2, PH_SOFTMAX) + 0.5;
            viz_build(&dl, &tr, &st, VIEWS[v].w, VIEWS[v].h);
            cr_expect(fabsf(find(&dl, VIZ_TAG_SRC_TOKEN, 0, 0)->y - ty) < 0.01f, "%s: a forward phase moved the picture", what);
        }
    cr_expect_gt(two, 0, "beside a lesson's narration the softmax's formula takes two lines");
    dl_free(&dl);
    grad_trace_free(&g);
    trace_free(&tr);
}
