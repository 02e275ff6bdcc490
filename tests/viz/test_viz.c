/* test_viz.c — the view's draw list, without GL: layout (no two labels
 * overlap, up to 40 source tokens, at 1280×720 and 1024×600), colours
 * (alignment cells are viridis of their weight), the clock (a frame depends
 * on τ only), the tags tests and the mouse rely on. Text is measured with
 * the real font, so widths are the ones the screen will use. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "text/font_find.h"
#include "text/text.h"
#include "base/colormap.h"
#include "viz/ui_strings.h"
#include "viz/view.h"
#include "checks.h"
#include "font.h"
#include "layout_check.h"

static Text *text;
static TextMeasure measure;

static void setup(void) { text = test_font_open(&measure); }
static void teardown(void) { test_font_close(text); }

TestSuite(viz, .init = setup, .fini = teardown);

/* 40 source characters, Latin, digits, spaces and Hangul */
static const char *LONG40 = "Saturday 21 November 2026, 서울에서 만나요!!!!!";

static void make(Trace *tr, const char *src, int T, StyleKind style, bool ref) {
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(tr, src, T, style, SCORE_GENERAL, ref, 7, err), 0, "%s", err);
}

static void sweep_layout_lang(const char *src, int T, StyleKind style, bool ref, float W, float H, const char *lang) {
    Trace tr;
    make(&tr, src, T, style, ref);
    DrawList dl;
    dl_init(&dl, &measure);
    VizState st = {.speed = 1, .title = "a title line that is long enough to matter, with 한글 in it",
                   .score_avail = 0x3F, .tf_slider = ref, .tf_on = true, .tf_p = 0.5f, .lang = lang};
    static const float PROGRESS[] = {0.0f, 0.3f, 0.55f, 0.99999f};
    for (int t = 1; t <= T; t += T > 4 ? T / 4 : 1)
        for (int p = 0; p < PH_COUNT; p++)
            for (int k = 0; k < 4; k++)
                for (int dark = 0; dark < 2; dark++) {
                    st.tau = viz_tau_at(&tr, t, p) + PROGRESS[k];
                    st.dark = dark;
                    viz_build(&dl, &tr, &st, W, H);
                    cr_assert(!dl.oom);
                    char what[160];
                    snprintf(what, sizeof what, "%s %gx%g S=%d T=%d %s step %d %s +%.2f", lang ? lang : "en", (double)W,
                             (double)H, tr.S, T, style == STYLE_LUONG ? "luong" : "bahdanau", t, phase_name(p),
                             (double)PROGRESS[k]);
                    check_no_overlap(&dl, what);
                    check_inside(&dl, W, H, what);
                }
    dl_free(&dl);
    trace_free(&tr);
}

static void sweep_layout(const char *src, int T, StyleKind style, bool ref, float W, float H) {
    sweep_layout_lang(src, T, style, ref, W, H, NULL);
}

Test(viz, no_overlap_40_tokens_1280x720) {
    sweep_layout(LONG40, 12, STYLE_LUONG, true, 1280, 720);
}

Test(viz, no_overlap_40_tokens_1024x600) {
    sweep_layout(LONG40, 12, STYLE_BAHDANAU, true, 1024, 600);
}

Test(viz, no_overlap_short_and_many_steps) {
    sweep_layout("21 Nov", 40, STYLE_LUONG, false, 1024, 600);
    sweep_layout("2013년 7월 13일", 11, STYLE_BAHDANAU, false, 1280, 720);
}

Test(viz, the_demo_trace_is_consistent) {
    Trace tr;
    make(&tr, LONG40, 9, STYLE_LUONG, false);
    cr_assert_eq(tr.S, 40);
    for (int t = 0; t < tr.T; t++) {
        double sum = 0;
        for (int s = 0; s < tr.S; s++) sum += tr.steps[t].weights[s];
        cr_assert_float_eq(sum, 1.0, 1e-5);
        int best = 0;
        for (int j = 1; j < tr.V; j++)
            if (tr.steps[t].probs[j] > tr.steps[t].probs[best]) best = j;
        cr_assert_eq(tr.steps[t].token_id, best);
    }
    cr_assert_eq(tr.steps[tr.T - 1].token_id, TOK_EOS);
    trace_free(&tr);
}

/* Every alignment cell that is shown fully has exactly viridis(weight);
 * rows of later steps are not shown at all. */
Test(viz, alignment_cells_are_viridis_of_their_weight) {
    Trace tr;
    make(&tr, "21 Nov 2026", 8, STYLE_LUONG, false);
    DrawList dl;
    dl_init(&dl, &measure);
    VizState st = {.speed = 1};
    for (int t = 1; t <= tr.T; t++) {
        st.tau = viz_tau_at(&tr, t, PH_CONTEXT) + 0.5;
        viz_build(&dl, &tr, &st, 1280, 720);
        int seen = 0;
        for (int i = 0; i < dl.n; i++) {
            const DlCmd *c = &dl.cmds[i];
            if (c->tag != VIZ_TAG_ALIGN_CELL) continue;
            cr_assert_lt(c->a, t, "row %d shown at step %d", c->a + 1, t);
            Rgb8 want = colormap_viridis(tr.steps[c->a].weights[c->b]);
            cr_assert(c->color.r == want.r && c->color.g == want.g && c->color.b == want.b && c->color.a == 255,
                      "cell (%d,%d): colour %d,%d,%d,%d for weight %g", c->a, c->b, c->color.r, c->color.g, c->color.b,
                      c->color.a, (double)tr.steps[c->a].weights[c->b]);
            seen++;
        }
        cr_assert_eq(seen, t * tr.S, "step %d: %d cells shown", t, seen);
    }
    dl_free(&dl);
    trace_free(&tr);
}

static bool same_list(const DrawList *a, const DrawList *b) {
    if (a->n != b->n) return false;
    for (int i = 0; i < a->n; i++) {
        const DlCmd *x = &a->cmds[i], *y = &b->cmds[i];
        if (x->kind != y->kind || x->tag != y->tag || x->a != y->a || x->b != y->b ||
            memcmp(&x->color, &y->color, sizeof x->color) || x->x != y->x || x->y != y->y || x->w != y->w || x->h != y->h)
            return false;
        if (x->kind == DL_TEXT && strcmp(dl_str(a, x), dl_str(b, y))) return false;
    }
    return true;
}

/* Backward shows what forward showed: a frame is a function of τ alone. */
Test(viz, a_frame_depends_on_the_clock_only) {
    Trace tr;
    make(&tr, "2013년 7월 13일", 6, STYLE_BAHDANAU, true);
    DrawList a, b;
    dl_init(&a, &measure);
    dl_init(&b, &measure);
    VizState st = {.speed = 1};
    double end = viz_tau_end(&tr);
    for (double tau = 0; tau < end; tau += 0.37) {
        st.tau = tau;
        viz_build(&a, &tr, &st, 1280, 720);
        st.tau = end - tau - 0.01;   /* somewhere else first */
        viz_build(&b, &tr, &st, 1280, 720);
        st.tau = tau;
        viz_build(&b, &tr, &st, 1280, 720);
        cr_assert(same_list(&a, &b), "tau %.2f differs after visiting another time", tau);
    }
    dl_free(&a);
    dl_free(&b);
    trace_free(&tr);
}

static const DlCmd *find_tag(const DrawList *dl, int tag) {
    for (int i = 0; i < dl->n; i++)
        if (dl->cmds[i].tag == tag) return &dl->cmds[i];
    return NULL;
}

/* The caption of each phase, whole: two phases that share an initial
 * (Scores, Softmax; Context, Combine) cannot pass for each other. */
static const char *const PHASE_TITLE[PH_COUNT] = {"1. Encoder", "2. Query",   "3. Scores", "4. Softmax",
                                                  "5. Context", "6. Combine", "7. Output", "8. Next input"};

Test(viz, each_phase_is_captioned_and_output_shows_the_chosen_token) {
    Trace tr;
    make(&tr, "21 Nov 2026", 5, STYLE_LUONG, false);
    DrawList dl;
    dl_init(&dl, &measure);
    VizState st = {.speed = 1};
    for (int t = 1; t <= tr.T; t++)
        for (int p = 0; p < PH_COUNT; p++) {
            st.tau = viz_tau_at(&tr, t, p) + 0.99;
            viz_build(&dl, &tr, &st, 1280, 720);
            const DlCmd *c = find_tag(&dl, VIZ_TAG_CAPTION);
            cr_assert_not_null(c);
            cr_assert_eq(c->a, p);
            cr_assert_str_eq(dl_str(&dl, c), PHASE_TITLE[p], "step %d: the caption of %s", t, phase_name(p));
            const DlCmd *ch = find_tag(&dl, VIZ_TAG_CHOSEN);
            if (p >= PH_OUTPUT) {
                cr_assert_not_null(ch, "step %d %s: no chosen token", t, phase_name(p));
                cr_assert_eq(ch->b, tr.steps[t - 1].token_id);
                cr_assert_str_eq(dl_str(&dl, ch), trace_token(&tr, tr.steps[t - 1].token_id));
            } else {
                cr_assert_null(ch, "step %d %s: the prediction is shown too early", t, phase_name(p));
            }
        }
    dl_free(&dl);
    trace_free(&tr);
}

Test(viz, the_timeline_maps_clicks_to_the_clock) {
    Trace tr;
    make(&tr, "21 Nov 2026", 10, STYLE_LUONG, false);
    DrawList dl;
    dl_init(&dl, &measure);
    VizState st = {.speed = 1};
    viz_build(&dl, &tr, &st, 1280, 720);
    const DlCmd *c = find_tag(&dl, VIZ_TAG_TIMELINE);
    cr_assert_not_null(c);
    double end = viz_tau_end(&tr);
    cr_assert_float_eq(viz_timeline_hit(&dl, &tr, c->x + c->w * 0.25f, c->y + c->h / 2), end * 0.25, 1e-3);
    cr_assert_float_eq(viz_timeline_hit(&dl, &tr, c->x, c->y + c->h / 2), 0.0, 1e-6);
    cr_assert_lt(viz_timeline_hit(&dl, &tr, c->x + c->w * 0.5f, c->y - 40), 0);
    dl_free(&dl);
    trace_free(&tr);
}

Test(viz, phases_parse_and_the_clock_splits) {
    Phase q;
    for (int p = 0; p < PH_COUNT; p++) {
        cr_assert_eq(phase_parse(phase_name(p), &q), 0);
        cr_assert_eq(q, p);
    }
    cr_assert_eq(phase_parse("Scores", &q), -1);
    Trace tr;
    make(&tr, "abc", 3, STYLE_LUONG, false);
    int t, p;
    float pr;
    viz_clock(&tr, viz_tau_at(&tr, 2, PH_SOFTMAX) + 0.25, &t, &p, &pr);
    cr_assert(t == 1 && p == PH_SOFTMAX && fabsf(pr - 0.25f) < 1e-6f);
    viz_clock(&tr, 1e9, &t, &p, &pr);
    cr_assert(t == 2 && p == PH_NEXT && pr == 1);
    viz_clock(&tr, -5, &t, &p, &pr);
    cr_assert(t == 0 && p == PH_ENCODER && pr == 0);
    trace_free(&tr);
}

/* Hangul and the combining marks measure like their pieces. */
Test(viz, text_measures_hangul_and_marks) {
    float h = text_width(text, "h", 20, 0);
    cr_assert_gt(h, 0);
    cr_assert_float_eq(text_width(text, "h\xCC\x84", 20, 0), h, 1e-4);   /* the macron adds no width */
    float ga = text_width(text, "\xEA\xB0\x80", 20, 0);                    /* 가 */
    cr_assert_gt(ga, h);
    cr_assert_lt(text_width(text, "h_t", 20, TEXT_MATH), text_width(text, "h_t", 20, 0));
    cr_assert_float_eq(text_width(text, "\xFF", 20, 0), text_width(text, "\xEF\xBF\xBD", 20, 0), 1e-4);  /* invalid → U+FFFD */
}

/* Compare: three matrices of 40 columns side by side still keep their
 * labels apart, and the difference cells are the signed colour of the
 * difference. */
Test(viz, compare_layout_and_difference_colours) {
    Trace a, b;
    make(&a, LONG40, 12, STYLE_LUONG, true);
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(&b, LONG40, 10, STYLE_LUONG, SCORE_DOT, true, 99, err), 0, "%s", err);
    DrawList dl;
    dl_init(&dl, &measure);
    VizState st = {.speed = 1, .cmp = &b, .cmp_name = {"general", "dot"}, .cmp_what = "two scores", .score_avail = 0x3F,
                   .title = "title"};
    static const float SIZES[2][2] = {{1280, 720}, {1024, 600}};
    static const int STEPS[4] = {1, 5, 10, 12};
    int tips = 0;
    for (int z = 0; z < 2; z++)
        for (int k = 0; k < 4; k++) {
            int t = STEPS[k];
            st.tau = viz_tau_at(&a, t, PH_NEXT) + 0.99;
            viz_build(&dl, &a, &st, SIZES[z][0], SIZES[z][1]);
            char what[64];
            snprintf(what, sizeof what, "compare %gx%g step %d", (double)SIZES[z][0], (double)SIZES[z][1], t);
            check_no_overlap(&dl, what);
            check_inside(&dl, SIZES[z][0], SIZES[z][1], what);
            int diff = 0;
            for (int i = 0; i < dl.n; i++) {
                const DlCmd *c = &dl.cmds[i];
                if (c->tag != VIZ_TAG_DIFF_CELL) continue;
                Rgb8 w = colormap_diverging(a.steps[c->a].weights[c->b] - b.steps[c->a].weights[c->b]);
                cr_assert(c->color.r == w.r && c->color.g == w.g && c->color.b == w.b);
                cr_assert_lt(c->a, b.T, "no difference row past the shorter decoding");
                diff++;
            }
            cr_assert_eq(diff, (a.T < b.T ? a.T : b.T) * a.S, "the whole decoding, at every step of the clock");
            /* hover a cell of a row only the longer decoding has: a tooltip, no crash */
            for (int i = 0; i < dl.n; i++) {
                const DlCmd *c = &dl.cmds[i];
                if (c->tag != VIZ_TAG_ALIGN_CELL || c->a < b.T) continue;
                VizState h = st;
                h.mouse_in = true;
                h.mouse_x = c->x + c->w / 2;
                h.mouse_y = c->y + c->h / 2;
                DrawList d2;
                dl_init(&d2, &measure);
                viz_build(&d2, &a, &h, SIZES[z][0], SIZES[z][1]);
                bool tip = false;
                for (int j = 0; j < d2.n; j++)
                    if (d2.cmds[j].kind == DL_TEXT && strstr(dl_str(&d2, &d2.cmds[j]), "no such step")) tip = true;
                cr_assert(tip, "the tooltip says the other decoding has no such step");
                tips++;
                dl_free(&d2);
                break;
            }
        }
    cr_assert_eq(tips, 8, "rows past the shorter decoding were hovered (every step of the clock: the whole decoding, both sizes)");
    dl_free(&dl);
    trace_free(&a);
    trace_free(&b);
}

/* ---- Korean UI strings (VizState.lang "ko") ---- */

/* The printf conversions of a format, in order ("%d%s%.4f" -> "dsf"). */
static void conversions(const char *f, char *out, size_t cap) {
    size_t n = 0;
    for (const char *p = f; *p; p++) {
        if (*p != '%') continue;
        p++;
        if (*p == '%') continue;
        while (*p && strchr("+- #0123456789.*l", *p)) p++;
        if (*p && n + 1 < cap) out[n++] = *p;
        if (!*p) break;
    }
    out[n] = 0;
}

Test(viz, every_ui_string_has_korean_with_the_same_conversions) {
    for (int i = 0; i < UI_COUNT; i++) {
        const char *en = ui_str_en((UiStr)i), *ko = ui_str_ko((UiStr)i);
        cr_assert(en[0] && ko[0], "string %d is empty", i);
        cr_assert(has_hangul(ko), "string %d ('%s') has no Korean: '%s'", i, en, ko);
        char ce[32], ck[32];
        conversions(en, ce, sizeof ce);
        conversions(ko, ck, sizeof ck);
        cr_assert_str_eq(ce, ck, "string %d: '%s' and '%s' take different arguments", i, en, ko);
        cr_assert_str_eq(ui_str("ko", (UiStr)i), ko);
        cr_assert_str_eq(ui_str("en", (UiStr)i), en);
        cr_assert_str_eq(ui_str(NULL, (UiStr)i), en);
    }
}

/* A key help (VizState.help_lines) of every help string there is, the
 * mouse's line included; the keys are numbers (no words to check). */
enum { HELP_MAX = 40 };
static int help_lines(const char *lang, VizHelpLine *out) {
    static char keys[HELP_MAX][16];
    int n = 0;
    out[n++] = (VizHelpLine){.key = ui_str(lang, UI_K_MOUSE), .what = ui_str(lang, UI_H_MOUSE)};
    for (int id = UI_H_PLAY; id <= UI_H_PICK_MOUSE && n < HELP_MAX; id++, n++) {
        snprintf(keys[n], sizeof keys[n], "%d", n);
        out[n] = (VizHelpLine){.key = keys[n], .what = ui_str(lang, (UiStr)id)};
    }
    cr_assert_eq(n, UI_H_PICK_MOUSE - UI_H_PLAY + 2, "every help string");
    return n;
}

/* Every text of every kind of frame in Korean mode: the phases of both
 * styles, with and without attention and a reference, the help (with lesson
 * keys), the menu, typing, compare, and tooltips wherever the mouse is. */
Test(viz, korean_mode_leaves_no_english_label) {
    static const char *TITLE = "en-ko-dot.safetensors  \xC2\xB7  양방향 lstm 글자, luong  \xC2\xB7  입력 \"I love you\"";
    static const char *MENU[2] = {"en-ko-dot.safetensors   (assets/models)", "dates-general.safetensors   (assets/models)"};
    static const char *GROUP[2] = {"en-ko", "dates"};
    VizHelpLine help[HELP_MAX];
    int n_help = help_lines("ko", help);
    static const float SIZES[2][2] = {{1280, 720}, {1024, 600}};
    int labels = 0, frames = 0;
    for (int variant = 0; variant < 4; variant++) {
        Trace tr;
        char err[AV_ERR_LEN];
        ScoreKind sk = variant == 3 ? SCORE_NONE : variant == 2 ? SCORE_DOT : SCORE_GENERAL;
        StyleKind style = variant == 1 ? STYLE_BAHDANAU : STYLE_LUONG;
        cr_assert_eq(viz_demo_trace(&tr, "I love you", 5, style, sk, variant != 2, 3, err), 0, "%s", err);
        /* the tokens may be anything: they are not UI */
        char allowed[4096];
        size_t o = (size_t)snprintf(allowed, sizeof allowed, "%s\n%s\n%s\n%s\n%s\n", TITLE, MENU[0], MENU[1], GROUP[0], GROUP[1]);
        for (int id = 0; id < tr.V && o < sizeof allowed; id++)
            o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s\n", trace_token(&tr, id));
        for (int s = 0; s < tr.S && o < sizeof allowed; s++)
            o += (size_t)snprintf(allowed + o, sizeof allowed - o, "%s\n", tr.src_tokens[s]);
        cr_assert_lt(o, sizeof allowed);
        Trace cmp;
        cr_assert_eq(viz_demo_trace(&cmp, "I love you", 4, style, SCORE_DOT, variant != 2, 9, err), 0, "%s", err);
        DrawList dl;
        dl_init(&dl, &measure);
        for (int z = 0; z < 2; z++)
            for (int t = 1; t <= tr.T; t += 2)
                for (int p = 0; p < PH_COUNT; p++) {
                    VizState st = {.speed = 1, .title = TITLE, .score_avail = variant == 0 ? 0x1F : 0x5, .task = "en-ko",
                                   .tf_slider = variant != 2, .tf_on = variant == 1, .tf_p = 0.5f, .lang = "ko"};
                    st.tau = viz_tau_at(&tr, t, p) + 0.99;
                    for (int mode = 0; mode < 5; mode++) {
                        VizState m = st;
                        if (mode == 1) {
                            m.help = true;
                            m.help_lines = help;
                            m.help_n = variant & 1 ? 3 : n_help;
                        }
                        if (mode == 2) { m.menu_open = true; m.menu = MENU; m.menu_n = variant == 3 ? 0 : 2; m.menu_group = GROUP; }
                        if (mode == 3) { m.editing = true; m.edit_field = variant & 1; m.edit_text[0] = "I love"; }
                        if (mode == 4) { if (variant == 3 || (p != PH_NEXT && z == 1)) continue; m.cmp = &cmp; }
                        viz_build(&dl, &tr, &m, SIZES[z][0], SIZES[z][1]);
                        char what[96];
                        snprintf(what, sizeof what, "ko %gx%g variant %d step %d %s mode %d", (double)SIZES[z][0],
                                 (double)SIZES[z][1], variant, t, phase_name(p), mode);
                        check_korean(&dl, allowed, what, &labels);
                        if (mode == 0 || mode == 4) {
                            check_no_overlap(&dl, what);
                            check_inside(&dl, SIZES[z][0], SIZES[z][1], what);
                        }
                        frames++;
                        /* tooltips: the mouse over a grid of points (one step per frame kind) */
                        bool view_tips = mode == 0 && t == 3 && (p == PH_ENCODER || p == PH_SOFTMAX || p == PH_NEXT);
                        bool cmp_tips = mode == 4 && t == tr.T && p == PH_NEXT;   /* a row cmp does not have */
                        if (!view_tips && !cmp_tips) continue;
                        for (float y = 4; y < SIZES[z][1]; y += 23)
                            for (float x = 4; x < SIZES[z][0]; x += 31) {
                                VizState h = m;
                                h.mouse_in = true;
                                h.mouse_x = x;
                                h.mouse_y = y;
                                viz_build(&dl, &tr, &h, SIZES[z][0], SIZES[z][1]);
                                snprintf(what, sizeof what, "ko %gx%g variant %d %s mode %d mouse %.0f,%.0f",
                                         (double)SIZES[z][0], (double)SIZES[z][1], variant, phase_name(p), mode,
                                         (double)x, (double)y);
                                check_korean(&dl, allowed, what, &labels);
                            }
                    }
                }
        dl_free(&dl);
        trace_free(&cmp);
        trace_free(&tr);
    }
    cr_assert_gt(frames, 300);
    cr_assert_gt(labels, frames, "the frames show Korean labels");
}

/* The English-word check finds English: the same frames in English mode fail it. */
Test(viz, the_english_check_catches_english) {
    Trace tr;
    char err[AV_ERR_LEN];
    cr_assert_eq(viz_demo_trace(&tr, "I love you", 5, STYLE_LUONG, SCORE_GENERAL, true, 3, err), 0, "%s", err);
    DrawList dl;
    dl_init(&dl, &measure);
    VizHelpLine help[HELP_MAX];
    int n_help = help_lines(NULL, help);
    VizState st = {.speed = 1, .help = true, .help_lines = help, .help_n = n_help, .tau = viz_tau_at(&tr, 2, PH_NEXT) + 0.5};
    viz_build(&dl, &tr, &st, 1280, 720);
    int english = 0;
    char w[64];
    for (int i = 0; i < dl.n; i++)
        if (dl.cmds[i].kind == DL_TEXT && english_word(dl_str(&dl, &dl.cmds[i]), "", w, sizeof w)) english++;
    cr_assert_gt(english, 20, "English mode shows English labels (%d found)", english);
    dl_free(&dl);
    trace_free(&tr);
}

Test(viz, korean_layout_has_no_overlap) {
    sweep_layout_lang(LONG40, 12, STYLE_LUONG, true, 1280, 720, "ko");
    sweep_layout_lang(LONG40, 12, STYLE_BAHDANAU, true, 1024, 600, "ko");
    sweep_layout_lang("21 Nov", 40, STYLE_LUONG, false, 1024, 600, "ko");
}

/* The help overlay draws exactly the lines of VizState.help_lines, in order,
 * under its title, and nothing else: no key the app did not list. */
Test(viz, the_help_shows_exactly_the_given_lines) {
    Trace tr;
    make(&tr, "21 Nov", 4, STYLE_LUONG, false);
    static const VizHelpLine LINES[3] = {{.key = "Q", .what = "first line"},
                                         {.key = "Ctrl+Z", .what = "second line"},
                                         {.key = "W", .what = "third line"}};
    DrawList dl;
    dl_init(&dl, &measure);
    for (int n = 0; n <= 3; n++) {
        VizState st = {.speed = 1, .help = true, .help_lines = LINES, .help_n = n, .tau = viz_tau_at(&tr, 2, PH_SOFTMAX)};
        viz_build(&dl, &tr, &st, 1280, 720);
        const char *want[1 + 2 * 3];
        int nw = 0;
        want[nw++] = ui_str(NULL, UI_KEYS);
        for (int i = 0; i < n; i++) { want[nw++] = LINES[i].key; want[nw++] = LINES[i].what; }
        int got = 0;
        for (int i = dl.overlay_from < 0 ? dl.n : dl.overlay_from; i < dl.n; i++) {
            const DlCmd *c = &dl.cmds[i];
            if (c->kind != DL_TEXT) continue;
            cr_assert_lt(got, nw, "%d lines: an extra text in the help: '%s'", n, dl_str(&dl, c));
            cr_assert_str_eq(dl_str(&dl, c), want[got], "%d lines: text %d of the help", n, got);
            got++;
        }
        cr_assert_eq(got, nw, "%d lines: the help shows %d texts, not %d", n, got, nw);
    }
    dl_free(&dl);
    trace_free(&tr);
}
