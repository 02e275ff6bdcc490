/* test_layout.c — the layout for a class (issue 13), from the draw list with
 * the real font: a short input gets large cells and the panels use the
 * window; a long one (60 characters, 40 words) keeps every label readable
 * and apart, and the highlighted column's label and value always; the
 * title line is never cut off; a small negative score is a bar you can see,
 * on an axis; presentation mode hides the chrome; the zoom scales it all;
 * compare fills the height; the loupe magnifies long inputs. */
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/font_find.h"
#include "text/text.h"
#include "viz/view.h"
#include "font.h"
#include "layout_check.h"

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

TestSuite(layout, .init = setup, .fini = teardown);

static void make(Trace *tr, const char *src, int T, bool ref) {
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(tr, src, T, STYLE_LUONG, SCORE_GENERAL, ref, 7, err), 0, "%s", err);
}

/* The bounding box of the commands tagged tag. */
typedef struct { float x0, y0, x1, y1; int n; } Box;
static Box box_of(int tag) {
    Box b = {1e9f, 1e9f, -1e9f, -1e9f, 0};
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->tag != tag || c->kind != DL_RECT) continue;
        b.x0 = fminf(b.x0, c->x), b.y0 = fminf(b.y0, c->y), b.x1 = fmaxf(b.x1, c->x + c->w), b.y1 = fmaxf(b.y1, c->y + c->h);
        b.n++;
    }
    return b;
}

static const DlCmd *text_tagged(int tag, int a) {
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].kind == DL_TEXT && dl.cmds[i].tag == tag && dl.cmds[i].a == a) return &dl.cmds[i];
    return NULL;
}

static const VizState BASE = {.speed = 1, .score_avail = 0x1F, .title = "en-ko-dot.safetensors  ·  bidirectional lstm words, luong  ·  input \"I love you\""};

Test(layout, a_short_input_gets_large_cells_and_the_panels_use_the_window) {
    static const float SIZES[2][2] = {{1280, 720}, {1024, 600}};
    Trace tr;
    make(&tr, "abc", 4, false);
    VizState st = BASE;
    for (int z = 0; z < 2; z++) {
        float W = SIZES[z][0], H = SIZES[z][1];
        st.tau = viz_tau_end(&tr) - 1e-5;
        viz_build(&dl, &tr, &st, W, H);
        Box m = box_of(VIZ_TAG_ALIGN_CELL), d = box_of(VIZ_TAG_VEC_CELL);
        cr_assert_eq(m.n, 12);
        /* three columns take far more than the 250 units of before, and with
         * the decoder's panel span most of the window */
        cr_assert_gt(m.x1 - m.x0, 0.33f * W, "%gx%g: the matrix is %.0f wide", (double)W, (double)H, (double)(m.x1 - m.x0));
        cr_assert_gt(d.x1 - m.x0, 0.75f * W, "%gx%g: matrix and decoder span %.0f", (double)W, (double)H, (double)(d.x1 - m.x0));
        /* down to the timeline, most of the height */
        Box t = box_of(VIZ_TAG_TIMELINE);
        cr_assert_gt(m.y1, t.y0 - 0.2f * H, "%gx%g: the matrix ends at %.0f, the timeline starts at %.0f", (double)W, (double)H,
                     (double)m.y1, (double)t.y0);
        /* and a cell is not absurd: at most 160 design units wide */
        cr_assert_leq((m.x1 - m.x0) / 3, 160 * fminf(W / 1280, H / 720) + 1);
        check_no_overlap(&dl, "abc");
        check_inside(&dl, W, H, "abc");
    }
    trace_free(&tr);
}

/* 60 characters: every one labelled, none overlapping, at both sizes, at
 * every step; the highlighted one in the accent. */
Test(layout, sixty_characters_are_all_labelled) {
    static const float SIZES[2][2] = {{1280, 720}, {1024, 600}};
    Trace tr;
    make(&tr, "thebottleneckisonevectorforthewholesentenceandattentionfixes", 12, true);
    cr_assert_eq(tr.S, 60);
    VizState st = BASE;
    for (int z = 0; z < 2; z++)
        for (int t = 1; t <= tr.T; t += 3) {
            st.tau = viz_tau_at(&tr, t, PH_SOFTMAX) + 0.99999;
            viz_build(&dl, &tr, &st, SIZES[z][0], SIZES[z][1]);
            for (int s = 0; s < tr.S; s++)
                cr_assert_not_null(text_tagged(VIZ_TAG_SRC_TOKEN, s), "%gx%g step %d: character %d has no label",
                                   (double)SIZES[z][0], (double)SIZES[z][1], t, s + 1);
            check_no_overlap(&dl, "60 characters");
            check_inside(&dl, SIZES[z][0], SIZES[z][1], "60 characters");
        }
    trace_free(&tr);
}

static const char *const WORDS[40] = {
    "the", "european", "economic", "area", "was", "signed", "in", "august", "1992", "and", "the", "agreement", "on", "the",
    "european", "economic", "area", "will", "enter", "into", "force", "on", "1", "january", "1993", "for", "all", "of",
    "the", "member", "states", "of", "the", "european", "union", "and", "the", "people", "of", "europe"};

/* Each item of "largest: the (12) 0.31 · area 0.20 · …": a word the
 * source has twice carries its position, and it is that word's. */
static int check_listed_words(const char *line) {
    const char *p = line + strlen("largest:");
    int items = 0, positioned = 0;
    while (*p) {
        char word[64] = "";
        int pos = 0, n = 0;
        if (sscanf(p, " %63s (%d)%n", word, &pos, &n) == 2) {
            cr_assert(pos >= 1 && pos <= 40 && !strcmp(WORDS[pos - 1], word), "'%s' is not word %d: %s", word, pos, line);
            positioned++;
        } else if (sscanf(p, " %63s", word) == 1 && strcmp(word, "…") != 0) {
            int seen = 0;
            for (int s = 0; s < 40; s++) seen += !strcmp(WORDS[s], word);
            cr_assert_leq(seen, 1, "'%s' is in the source %d times but listed without its position: %s", word, seen, line);
        }
        items++;
        const char *dot = strstr(p, " · ");
        if (!dot) break;
        p = dot + strlen(" · ");
    }
    cr_assert_gt(items, 0);
    return positioned;
}

/* 40 words: too many to label all; the ones drawn do not overlap, the
 * highlighted word is always among them (the pointer's, in the accent), and
 * its weight is printed under its bar, with the step's largest listed. */
Test(layout, forty_words_keep_the_highlighted_one_and_its_value) {
    Trace tr;
    make(&tr, "0123456789012345678901234567890123456789", 8, false);
    for (int s = 0; s < 40; s++) tr.src_tokens[s] = (char *)WORDS[s];
    /* step 5's largest: the second "the", the second "european", "was" */
    for (int s = 0; s < 40; s++) tr.steps[4].weights[s] = s == 10 ? 0.3f : s == 14 ? 0.2f : s == 4 ? 0.1f : 0.4f / 37;
    VizState st = BASE;
    int tried = 0, positioned = 0;
    for (int z = 0; z < 2; z++) {
        float W = z ? 1024 : 1280, H = z ? 600 : 720;
        st.tau = viz_tau_at(&tr, 5, PH_SOFTMAX) + 0.99999;
        st.mouse_in = false;
        viz_build(&dl, &tr, &st, W, H);
        Box m = box_of(VIZ_TAG_ALIGN_CELL);
        float cw = (m.x1 - m.x0) / 40;
        for (int s = 0; s < 40; s += 3) {   /* point at column s, over the strips */
            st.mouse_in = true;
            st.mouse_x = m.x0 + ((float)s + 0.5f) * cw;
            st.mouse_y = box_of(VIZ_TAG_ENC_CELL).y0 + 5;
            viz_build(&dl, &tr, &st, W, H);
            const DlCmd *c = text_tagged(VIZ_TAG_SRC_TOKEN, s);
            cr_assert_not_null(c, "%gx%g: the word under the pointer (%d, '%s') has no label", (double)W, (double)H, s + 1, WORDS[s]);
            cr_assert_str_eq(dl_str(&dl, c), WORDS[s]);
            const DlCmd *v = text_tagged(VIZ_TAG_BAR_LABEL, s);
            cr_assert_not_null(v, "%gx%g: no value under the bar of word %d", (double)W, (double)H, s + 1);
            char want[16];
            snprintf(want, sizeof want, "%.2f", (double)tr.steps[4].weights[s]);
            cr_assert_str_eq(dl_str(&dl, v), want);
            check_no_overlap(&dl, "40 words");
            tried++;
        }
        /* no "0" for every weight: the numbers are the highlighted one and the largest */
        st.mouse_in = false;
        viz_build(&dl, &tr, &st, W, H);
        const char *listed = NULL;
        for (int i = 0; i < dl.n; i++)
            if (dl.cmds[i].kind == DL_TEXT) {
                if (dl.cmds[i].tag == VIZ_TAG_BAR_LABEL) cr_assert_str_neq(dl_str(&dl, &dl.cmds[i]), "0", "a weight printed as 0");
                if (strstr(dl_str(&dl, &dl.cmds[i]), "largest:")) listed = dl_str(&dl, &dl.cmds[i]);
            }
        cr_assert(listed, "%gx%g: the step's largest weights are not listed", (double)W, (double)H);
        positioned += check_listed_words(listed);
    }
    cr_assert_gt(tried, 20);
    cr_assert_gt(positioned, 0, "no repeated word among the largest: the position check saw nothing");
    trace_free(&tr);
}

/* The title line: its input shortened in the middle, never cut off, both
 * ends of the input and the model's name still there. */
Test(layout, the_title_line_is_never_cut_off) {
    char input[1100], title[2400];
    for (int i = 0; i < 1000; i++) input[i] = (char)('a' + i % 26);
    memcpy(input, "START", 5);
    memcpy(input + 995, "E.N.D", 5);
    input[1000] = 0;
    snprintf(title, sizeof title, "en-fr-general.safetensors  ·  bidirectional lstm words, luong  ·  input \"%s\"  ·  reference \"%s\"",
             input, input);
    Trace tr;
    make(&tr, "abcdef", 5, true);
    VizState st = BASE;
    st.title = title;
    st.tf_slider = true;
    static const float SZ[3][2] = {{1280, 720}, {1024, 600}, {860, 720}};   /* 860: a lesson's view beside its narration */
    for (int z = 0; z < 3; z++) {
        float W = SZ[z][0], H = SZ[z][1];
        viz_build(&dl, &tr, &st, W, H);
        const DlCmd *c = NULL;
        for (int i = 0; i < dl.n; i++)
            if (dl.cmds[i].kind == DL_TEXT && strstr(dl_str(&dl, &dl.cmds[i]), "en-fr-general")) c = &dl.cmds[i];
        cr_assert_not_null(c, "%gx%g: no title line", (double)W, (double)H);
        const char *s = dl_str(&dl, c);
        cr_assert(strstr(s, "\"STA") && strstr(s, ".N.D\""), "%gx%g: the input's ends are gone: %s", (double)W, (double)H, s);
        cr_assert(strstr(s, "…"), "%gx%g: not shortened: %s", (double)W, (double)H, s);
        int quotes = 0;   /* every quote whole: a reference that does not fit goes, it is not cut open */
        for (const char *q = s; *q; q++) quotes += *q == '"';
        cr_assert(quotes % 2 == 0 && s[strlen(s) - 1] == '"', "%gx%g: a quote is cut off: %s", (double)W, (double)H, s);
        cr_assert_leq(c->x + c->w, W, "%gx%g: the title runs off the window", (double)W, (double)H);
        check_no_overlap(&dl, "a long title");
    }
    trace_free(&tr);
}

/* Scores 5.1, 2.43 and -0.25 (lesson 3's): the -0.25 bar hangs below the
 * zero line, tall enough to see; the axis has its ticks. */
Test(layout, a_small_negative_score_is_a_bar_you_can_see) {
    Trace tr;
    make(&tr, "abc", 4, false);
    static const float SC[3] = {5.1f, 2.43f, -0.25f};
    float sum = 0;
    for (int s = 0; s < 3; s++) sum += expf(SC[s]);
    for (int s = 0; s < 3; s++) tr.steps[0].scores[s] = SC[s], tr.steps[0].weights[s] = expf(SC[s]) / sum;
    VizState st = BASE;
    st.tau = viz_tau_at(&tr, 1, PH_SCORES) + 0.99999;
    viz_build(&dl, &tr, &st, 1280, 720);
    const DlCmd *bar[3] = {NULL, NULL, NULL};
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].tag == VIZ_TAG_BAR && dl.cmds[i].kind == DL_RECT) bar[dl.cmds[i].a] = &dl.cmds[i];
    for (int s = 0; s < 3; s++) cr_assert_not_null(bar[s]);
    cr_assert_geq(bar[2]->h, 5, "the -0.25 bar is %.1f units tall", (double)bar[2]->h);
    cr_assert_geq(bar[2]->y, bar[0]->y + bar[0]->h - 1.5f, "the negative bar does not hang below zero");
    cr_assert_gt(bar[0]->h, bar[1]->h * 1.8f, "5.1 against 2.43: the bars are not to scale");
    /* the ticks at the left of the bars: 0 and at least one positive value */
    int ticks = 0;
    bool zero = false;
    for (int i = 0; i < dl.n; i++) {
        const DlCmd *c = &dl.cmds[i];
        if (c->kind != DL_TEXT || c->x + c->w > bar[0]->x || c->y < bar[0]->y - 20 || c->y > bar[2]->y + bar[2]->h) continue;
        char *end;
        double v = strtod(dl_str(&dl, c), &end);
        if (*end || end == dl_str(&dl, c)) continue;
        ticks++;
        zero |= v == 0;
    }
    cr_assert(zero && ticks >= 3, "the axis has %d ticks%s", ticks, zero ? "" : ", none at 0");
    /* the weights' axis after the softmax: 0 … 1 */
    st.tau = viz_tau_at(&tr, 1, PH_SOFTMAX) + 0.99999;
    viz_build(&dl, &tr, &st, 1280, 720);
    bool one = false;
    for (int i = 0; i < dl.n; i++) one |= dl.cmds[i].kind == DL_TEXT && strcmp(dl_str(&dl, &dl.cmds[i]), "1") == 0;
    cr_assert(one, "the weights' axis has no 1");
    /* the -0.25 bar's colour stands out from the background in both themes */
    for (int dark = 0; dark < 2; dark++) {
        st.dark = dark;
        st.tau = viz_tau_at(&tr, 1, PH_SCORES) + 0.99999;
        viz_build(&dl, &tr, &st, 1280, 720);
        Color bg = viz_background(dark), c = {0, 0, 0, 0};
        for (int i = 0; i < dl.n; i++)
            if (dl.cmds[i].tag == VIZ_TAG_BAR && dl.cmds[i].kind == DL_RECT && dl.cmds[i].a == 2) c = dl.cmds[i].color;
        int d = abs(c.r - bg.r) + abs(c.g - bg.g) + abs(c.b - bg.b);
        cr_assert_geq(d, 200, "%s: the -0.25 bar (%d,%d,%d) is %d from the background (%d,%d,%d)", dark ? "dark" : "light",
                      c.r, c.g, c.b, d, bg.r, bg.g, bg.b);
    }
    trace_free(&tr);
}

/* Whether the "…" at e in t stands inside a number: a digit, '.' or '-'
 * before it, or after it '.', ',' or digits without their point ("25,"). */
static bool cut_in_a_number(const char *t, const char *e) {
    if (e > t && (isdigit((unsigned char)e[-1]) || e[-1] == '.' || e[-1] == '-')) return true;
    const char *r = e + strlen("…");
    if (*r == '.' || *r == ',') return true;
    if (!isdigit((unsigned char)*r)) return false;
    while (isdigit((unsigned char)*r)) r++;
    return *r == ',';
}

/* A numbers line too long for its room is shortened between words, never
 * inside a number: what is left of "-0.47" is never ".47". */
Test(layout, the_numbers_line_is_shortened_between_words) {
    Trace tr;
    make(&tr, "the cat sat on the mat", 4, false);
    VizState st = BASE;
    int lines = 0;
    for (int p = PH_QUERY; p <= PH_COMBINE; p++)
        for (int z = 0; z < 2; z++) {   /* a lesson's view beside its narration, at 1280x720 and 1024x600 */
        st.tau = viz_tau_at(&tr, 2, p) + 0.99999;
        viz_build(&dl, &tr, &st, z ? 660 : 860, z ? 600 : 720);
        for (int i = 0; i < dl.n; i++) {
            const char *t = dl_str(&dl, &dl.cmds[i]), *e = strstr(t, "…");
            if (dl.cmds[i].kind != DL_TEXT || !e || !strstr(t, " = ")) continue;
            lines++;
            cr_assert(!cut_in_a_number(t, e), "%s: '%s' is cut inside a number", phase_name(p), t);
        }
    }
    cr_assert_gt(lines, 0, "no shortened numbers line: the test shows nothing");
    trace_free(&tr);
}

static int count_tag(int tag) {
    int n = 0;
    for (int i = 0; i < dl.n; i++) n += dl.cmds[i].tag == tag;
    return n;
}

Test(layout, presenting_hides_the_chrome_and_gives_its_room_to_the_diagram) {
    Trace tr;
    make(&tr, "abcdef", 6, true);
    VizState st = BASE;
    st.tf_slider = true;
    st.tau = viz_tau_end(&tr) - 1e-5;
    viz_build(&dl, &tr, &st, 1280, 720);
    cr_assert_gt(count_tag(VIZ_TAG_SCORE_BUTTON), 0);
    cr_assert_gt(count_tag(VIZ_TAG_TF_SLIDER), 0);
    float bottom = box_of(VIZ_TAG_ALIGN_CELL).y1;
    st.present = true;
    viz_build(&dl, &tr, &st, 1280, 720);
    cr_assert_eq(count_tag(VIZ_TAG_SCORE_BUTTON), 0, "presenting: score buttons");
    cr_assert_eq(count_tag(VIZ_TAG_TF_SLIDER), 0, "presenting: the slider");
    cr_assert_gt(count_tag(VIZ_TAG_TIMELINE), 0, "presenting: no timeline");
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].kind == DL_TEXT) cr_assert_null(strstr(dl_str(&dl, &dl.cmds[i]), "en-ko-dot"), "presenting: the title line");
    cr_assert_gt(box_of(VIZ_TAG_ALIGN_CELL).y1, bottom + 10, "presenting: the diagram did not grow");
    check_no_overlap(&dl, "presenting");
    trace_free(&tr);
}

/* Zoom 1.25: the caption, the labels and the matrix's rows all larger. */
Test(layout, the_zoom_scales_the_whole_picture) {
    Trace tr;
    make(&tr, "abcdefghij", 12, false);
    VizState st = BASE;
    st.tau = viz_tau_at(&tr, 3, PH_SOFTMAX) + 0.99999;
    float cap[2], src[2], row[2];
    for (int k = 0; k < 2; k++) {
        st.zoom = k ? 1.25f : 1;
        viz_build(&dl, &tr, &st, 1280, 720);
        const DlCmd *c = NULL;
        for (int i = 0; i < dl.n && !c; i++)
            if (dl.cmds[i].tag == VIZ_TAG_CAPTION) c = &dl.cmds[i];
        cr_assert_not_null(c);
        cap[k] = c->size;
        src[k] = text_tagged(VIZ_TAG_SRC_TOKEN, 0)->size;
        Box m = box_of(VIZ_TAG_ALIGN_CELL);
        row[k] = m.y1 - m.y0;
        check_no_overlap(&dl, k ? "zoom 1.25" : "zoom 1");
        check_inside(&dl, 1280, 720, k ? "zoom 1.25" : "zoom 1");
    }
    cr_assert_float_eq(cap[1] / cap[0], 1.25f, 0.02f, "the caption: %g → %g", (double)cap[0], (double)cap[1]);
    cr_assert_gt(src[1], src[0] * 1.15f, "the source labels: %g → %g", (double)src[0], (double)src[1]);
    cr_assert_gt(row[1], 0, "no matrix");
    trace_free(&tr);
}

/* However large the zoom, the decoder's panel stays above the timeline: it
 * closes up, then shows its bottom (the phase on screen), never running
 * into the timeline. */
Test(layout, the_decoder_panel_never_runs_into_the_timeline) {
    Trace tr;
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(&tr, "3 march 1999", 11, STYLE_BAHDANAU, SCORE_ADDITIVE, true, 7, err), 0, "%s", err);
    VizState st = BASE;
    static const float ZOOM[] = {1, 1.6f, 2};
    for (int z = 0; z < 3; z++)
        for (int p = 0; p < PH_COUNT; p++) {
            st.zoom = ZOOM[z];
            st.tau = viz_tau_at(&tr, 3, p) + 0.99999;
            viz_build(&dl, &tr, &st, 1024, 600);
            float x0 = box_of(VIZ_TAG_VEC_CELL).x0, top = box_of(VIZ_TAG_TIMELINE).y0;
            for (int i = 0; i < dl.n; i++) {
                const DlCmd *c = &dl.cmds[i];
                if (c->tag == VIZ_TAG_OVERLAY || c->x < x0 - 1 || c->y >= top - 6) continue;   /* the timeline's own */
                if (c->kind == DL_TEXT || c->kind == DL_RECT)
                    cr_assert_leq(c->y + c->h * (c->kind == DL_TEXT ? 0.8f : 1), top + 0.5f,
                                  "zoom %g, %s: '%s' runs into the timeline", (double)ZOOM[z], phase_name(p),
                                  c->kind == DL_TEXT ? dl_str(&dl, c) : "a rectangle");
            }
            check_no_overlap(&dl, "zoomed decoder");
        }
    trace_free(&tr);
}

/* Compare (C) at 1024×600 and 1280×720: the three matrices grow down to the
 * timeline (they had a third of the window empty under them), and their
 * rows stay apart from it. */
Test(layout, compare_fills_the_height) {
    static const float SIZES[2][2] = {{1280, 720}, {1024, 600}};
    Trace a, b;
    make(&a, "my mother opens the umbrella", 5, false);
    make(&b, "my mother opens the umbrella", 5, false);
    VizState st = BASE;
    st.cmp = &b;
    st.cmp_name[0] = "dot", st.cmp_name[1] = "general";
    st.tau = viz_tau_end(&a) - 1e-5;
    for (int z = 0; z < 2; z++) {
        float W = SIZES[z][0], H = SIZES[z][1];
        viz_build(&dl, &a, &st, W, H);
        Box m = box_of(VIZ_TAG_ALIGN_CELL), t = box_of(VIZ_TAG_TIMELINE);
        cr_assert_eq(m.n, a.S * a.T);
        cr_assert_gt(m.y1, t.y0 - 0.08f * H, "%gx%g: the matrices end at %.0f, the timeline starts at %.0f", (double)W,
                     (double)H, (double)m.y1, (double)t.y0);
        cr_assert_leq(m.y1, t.y0, "%gx%g: the matrices run into the timeline", (double)W, (double)H);
        check_no_overlap(&dl, "compare");
        check_inside(&dl, W, H, "compare");
    }
    trace_free(&a);
    trace_free(&b);
}

/* Ctrl+= twice (zoom 2): the whole diagram scales together. The encoder's
 * strips and the score bars keep their share of the height they and the
 * matrix's rows have (they used to give it to the rows and shrink to
 * slivers), at both sizes; nothing overlaps or leaves the window. */
Test(layout, at_zoom_2_the_strips_scale_with_the_matrix) {
    static const float SIZES[2][2] = {{1280, 720}, {1024, 600}};
    static const float ZOOM[] = {1, 1.6f, 2};
    Trace tr;
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(&tr, "I love you", 4, STYLE_LUONG, SCORE_DOT, false, 7, err), 0, "%s", err);
    VizState st = BASE;
    st.tau = viz_tau_at(&tr, 2, PH_SOFTMAX) + 0.99999;
    for (int z = 0; z < 2; z++) {
        float strip1 = 0, row1 = 0, bar1 = 0;
        for (int k = 0; k < 3; k++) {
            st.zoom = ZOOM[k];
            viz_build(&dl, &tr, &st, SIZES[z][0], SIZES[z][1]);
            Box s = box_of(VIZ_TAG_ENC_CELL), m = box_of(VIZ_TAG_ALIGN_CELL);
            float strip = s.y1 - s.y0, row = (m.y1 - m.y0) / (float)tr.T, bar = 0;
            for (int i = 0; i < dl.n; i++)   /* the tallest bar's slot: the axis's height */
                if (dl.cmds[i].tag == VIZ_TAG_BAR && dl.cmds[i].kind == DL_RECT) bar = fmaxf(bar, dl.cmds[i].h);
            float all = strip + bar + row * (float)tr.T;
            if (k == 0) { strip1 = strip / all, bar1 = bar / all, row1 = row; continue; }
            cr_assert_geq(strip / all, 0.9f * strip1, "%gx%g zoom %g: strips %.0f of %.0f (zoom 1: %.0f %%, rows %.0f)",
                          (double)SIZES[z][0], (double)SIZES[z][1], (double)ZOOM[k], (double)strip, (double)all,
                          (double)(100 * strip1), (double)row1);
            cr_assert_geq(bar / all, 0.9f * bar1, "%gx%g zoom %g: bars %.0f of %.0f (zoom 1: %.0f %%)", (double)SIZES[z][0],
                          (double)SIZES[z][1], (double)ZOOM[k], (double)bar, (double)all, (double)(100 * bar1));
            check_no_overlap(&dl, "zoomed");
            check_inside(&dl, SIZES[z][0], SIZES[z][1], "zoomed");
        }
    }
    trace_free(&tr);
}

/* Long inputs (60 characters, 40 words): pointing at any column shows its
 * label and its neighbours' at full size in the loupe (panel_loupe.c) with
 * their values to four places (the weights of the row pointed at, else of
 * the current step), inside the window, nothing overlapping; a short input
 * keeps the tooltip. */
static const char LOUPE_COPY60[] = "thebottleneckisonevectorforthewholesentenceandattentionfixes";
static const DlCmd *loupe_text(int s, int what) {
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].kind == DL_TEXT && dl.cmds[i].tag == VIZ_TAG_LOUPE && dl.cmds[i].a == s && dl.cmds[i].b == what)
            return &dl.cmds[i];
    return NULL;
}

/* The value printed for w: four places under 0.01, "<0.0001" under that, never 0 for a weight that is not. */
static void check_value(const char *shown, float w, const char *what) {
    if (shown[0] == '<') {
        cr_assert(w > 0 && w < 0.0001f, "%s: '%s' for %g", what, shown, (double)w);
        return;
    }
    double p = strtod(shown, NULL);
    cr_assert(w == 0 || p != 0, "%s: %g printed as '%s'", what, (double)w, shown);
    cr_assert_leq(fabs(p - w), w < 0.01f ? 0.00005 : 0.005, "%s: %g printed as '%s'", what, (double)w, shown);
}

/* Point at every column of tr (over the strips, then over row r of the matrix) at W × H: its label, its
 * neighbours' and their values. */
static void sweep(const Trace *tr, float W, float H, const char *name) {
    VizState st = {.speed = 1, .mouse_in = true};
    int t = 5, r = 2;
    st.tau = viz_tau_at(tr, t, PH_SOFTMAX) + 0.99999;
    viz_build(&dl, tr, &st, W, H);
    Box e = box_of(VIZ_TAG_ENC_CELL), m = box_of(VIZ_TAG_ALIGN_CELL);
    float ey0 = e.y0, mx0 = m.x0, my0 = m.y0, mx1 = m.x1, my1 = m.y1;
    float cw = (mx1 - mx0) / (float)tr->S, rh = (my1 - my0) / (float)t, fmin = viz_text_min(W, H, 1);
    char what[200];
    for (int k = 0; k < 2; k++)
        for (int s = 0; s < tr->S; s++) {
            st.mouse_x = mx0 + ((float)s + 0.5f) * cw;
            st.mouse_y = k == 0 ? ey0 + 5 : my0 + ((float)r + 0.5f) * rh;
            viz_build(&dl, tr, &st, W, H);
            int row = k == 0 ? t - 1 : r;
            snprintf(what, sizeof what, "%s at %gx%g, column %d, %s", name, (double)W, (double)H, s + 1,
                     k == 0 ? "over the strips" : "over row 3");
            check_no_overlap(&dl, what);
            check_inside(&dl, W, H, what);
            for (int n = s - 1; n <= s + 1; n++) {
                if (n < 0 || n >= tr->S) continue;
                const DlCmd *c = loupe_text(n, 0), *v = loupe_text(n, 1);
                cr_assert_not_null(c, "%s: token %d is not in the loupe", what, n + 1);
                cr_assert_str_eq(dl_str(&dl, c), tr->src_tokens[n], "%s", what);
                cr_assert_not_null(v, "%s: no value for token %d", what, n + 1);
                check_value(dl_str(&dl, v), tr->steps[row].weights[n], what);
            }
            for (int i = 0; i < dl.n; i++) {
                const DlCmd *a = &dl.cmds[i];
                if (a->kind != DL_TEXT || a->tag != VIZ_TAG_LOUPE) continue;
                cr_assert_geq(a->size, fmin - 0.01f, "%s: '%s' at %.1f", what, dl_str(&dl, a), (double)a->size);
                cr_assert(a->x >= 0 && a->y >= 0 && a->x + a->w <= W + 0.5f && a->y + a->h <= H + 0.5f,
                          "%s: '%s' leaves the window", what, dl_str(&dl, a));
                for (int j = i + 1; j < dl.n; j++) {
                    const DlCmd *b = &dl.cmds[j];
                    if (b->kind == DL_TEXT && b->tag == VIZ_TAG_LOUPE)
                        cr_assert(!overlap(a, b), "%s: '%s' overlaps '%s'", what, dl_str(&dl, a), dl_str(&dl, b));
                }
            }
        }
}

Test(layout, the_loupe_shows_every_source_label_and_value_of_60_characters_and_40_words) {
    static const float SIZES[2][2] = {{1280, 720}, {1024, 600}};
    Trace copy, words;
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(&copy, LOUPE_COPY60, 12, STYLE_LUONG, SCORE_GENERAL, false, 7, err), 0, "%s", err);
    cr_assert_eq(copy.S, 60);
    cr_assert_eq(viz_demo_trace(&words, "0123456789012345678901234567890123456789", 8, STYLE_BAHDANAU, SCORE_ADDITIVE, false, 7, err),
                 0, "%s", err);
    for (int s = 0; s < 40; s++) words.src_tokens[s] = (char *)WORDS[s];
    words.steps[4].weights[7] = 0.00004f, words.steps[2].weights[9] = 0.0037f;   /* tiny ones: never "0" */
    for (int z = 0; z < 2; z++) {
        sweep(&copy, SIZES[z][0], SIZES[z][1], "60 characters");
        sweep(&words, SIZES[z][0], SIZES[z][1], "40 words");
    }
    trace_free(&copy);
    trace_free(&words);
}

Test(layout, a_short_input_keeps_its_tooltip_not_the_loupe) {
    Trace tr;
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(&tr, "abc", 4, STYLE_LUONG, SCORE_DOT, false, 7, err), 0, "%s", err);
    VizState st = {.speed = 1, .mouse_in = true};
    st.tau = viz_tau_at(&tr, 3, PH_SOFTMAX) + 0.99999;
    viz_build(&dl, &tr, &st, 1280, 720);
    Box e = box_of(VIZ_TAG_ENC_CELL);
    st.mouse_x = e.x0 + 3, st.mouse_y = e.y0 + 5;
    viz_build(&dl, &tr, &st, 1280, 720);
    int loupe = 0, tip = 0;
    for (int i = 0; i < dl.n; i++) {
        loupe += dl.cmds[i].tag == VIZ_TAG_LOUPE;
        tip += dl.cmds[i].tag == VIZ_TAG_OVERLAY && dl.cmds[i].kind == DL_TEXT;
    }
    cr_assert_eq(loupe, 0, "three columns need no magnifier");
    cr_assert_gt(tip, 0, "the tooltip");
    trace_free(&tr);
}

/* Without attention (lesson 2's copy): the loupe puts the output written at
 * each position, and its reference, under the source token, to compare a
 * long input with its output letter by letter. */
Test(layout, the_loupe_compares_a_long_copy_with_its_output) {
    Trace tr;
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(&tr, LOUPE_COPY60, 44, STYLE_LUONG, SCORE_NONE, true, 7, err), 0, "%s", err);
    for (int z = 0; z < 2; z++) {
        float W = z ? 1024 : 1280, H = z ? 600 : 720;
        VizState st = {.speed = 1, .mouse_in = true, .tau = viz_tau_end(&tr) - 1e-5};
        viz_build(&dl, &tr, &st, W, H);
        Box e = box_of(VIZ_TAG_ENC_CELL);
        float cw = (e.x1 - e.x0) / (float)tr.S;   /* strips are centred in their columns */
        for (int s = 0; s < tr.S; s += 7) {
            st.mouse_x = e.x0 + ((float)s + 0.5f) * cw, st.mouse_y = e.y0 + 5;
            viz_build(&dl, &tr, &st, W, H);
            const DlCmd *src = loupe_text(s, 0), *out = loupe_text(s, 3), *ref = loupe_text(s, 4);
            cr_assert(src && !strcmp(dl_str(&dl, src), tr.src_tokens[s]), "%gx%g column %d: the source", (double)W, (double)H, s + 1);
            if (s >= tr.T) {
                cr_assert_null(out, "column %d: no output there", s + 1);
                continue;
            }
            cr_assert(out && !strcmp(dl_str(&dl, out), trace_token(&tr, tr.steps[s].token_id)), "%gx%g column %d: the output",
                      (double)W, (double)H, s + 1);
            cr_assert(ref && !strcmp(dl_str(&dl, ref), trace_token(&tr, tr.steps[s].reference_id)),
                      "%gx%g column %d: the reference", (double)W, (double)H, s + 1);
            cr_assert_geq(out->size, viz_text_min(W, H, 1) - 0.01f);
        }
    }
    trace_free(&tr);
}
