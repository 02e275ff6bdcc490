/* test_live.c — issue 5 driven through synthetic SDL events, as a class
 * would: switch the score mid-decoding (keys and toolbar), type an input
 * with Hangul (composed by an input method) and an unknown character, add
 * a reference and toggle teacher forcing, and survive a broken model file
 * with the previous decoding intact. The models are small random ones
 * written here (untrained: only their plumbing matters). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "base/colormap.h"
#include "events.h"
#include "models.h"

static App *app;
static char dir[] = "/tmp/attnviz-live-XXXXXX";

static void setup(void) {
    cr_assert_not_null(mkdtemp(dir));
    char err[AV_ERR_LEN], path[256];
    save_random_model(dir, SCORE_GENERAL, err);
    save_random_model(dir, SCORE_DOT, err);
    save_random_model(dir, SCORE_ADDITIVE, err);
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    app->view.speed = 1;
    app->session.tf_p = 0.5f;
    cr_assert_eq(app_init_gfx(app, 1280, 720, true, err), 0, "%s", err);
    snprintf(path, sizeof path, "%s/reverse-general.safetensors", dir);
    cr_assert_eq(app_decode(app, path, "abcdef", NULL, false, err), 0, "%s", err);
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
    remove_folder(dir);
}

TestSuite(live, .init = setup, .fini = teardown, .timeout = 120);

static void settle(void) { settle_app(app); }
static void key(SDL_Keycode k) { press_key(app, k); }

static void text(const char *s) {
    send_text(app, s);
    settle();
}

static void composing(const char *s) {
    send_composing(app, s);
    settle();
}

static void click(float x, float y) {
    send_click(app, x, y);
    settle();
}

/* Some text of the frame contains s. */
static bool has_text(const char *s) {
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->kind == DL_TEXT && strstr(dl_str(&app->w.dl, c), s)) return true;
    }
    return false;
}

static void check_cells_are_current(void) {
    int n = 0;
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->tag != VIZ_TAG_ALIGN_CELL) continue;
        Rgb8 w = colormap_viridis(app->session.trace.steps[c->a].weights[c->b]);
        cr_assert(c->color.r == w.r && c->color.g == w.g && c->color.b == w.b, "cell (%d,%d) shows another decoding", c->a, c->b);
        n++;
    }
    cr_assert_gt(n, 0);
}

Test(live, keys_switch_the_score_and_keep_the_place) {
    app->view.tau = viz_tau_at(&app->session.trace, 3, PH_CONTEXT) + 0.5;
    app->view.stop_at = 0;
    double tau = app->view.tau;
    key(SDLK_2);   /* dot */
    cr_assert_eq(app->session.model.cfg.score, SCORE_DOT);
    cr_assert_eq(app->session.trace.cfg.score, SCORE_DOT);
    cr_assert(app->session.have_prev && app->session.prev.cfg.score == SCORE_GENERAL, "the old decoding is kept to morph from");
    cr_assert_float_eq(app->view.tau, tau, 1e-9, "the step and phase are kept");
    cr_assert_float_eq(app->view.morph, 1.0f, 1e-6);
    check_cells_are_current();
    /* mid-morph, cells are between the two decodings */
    app->view.morph = 0;
    app_draw(app);
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->tag != VIZ_TAG_ALIGN_CELL) continue;
        Rgb8 w = colormap_viridis(app->session.prev.steps[c->a].weights[c->b]);
        cr_assert(c->color.r == w.r && c->color.g == w.g && c->color.b == w.b, "morph 0 must show the old weights");
    }
    app->view.morph = 1;
    /* the formula changes with the score */
    app->view.tau = viz_tau_at(&app->session.trace, 1, PH_SCORES) + 0.9;
    app_draw(app);
    bool dot = false;
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].kind == DL_TEXT && strstr(dl_str(&app->w.dl, &app->w.dl.cmds[i]), "= q^T h")) dot = true;
    cr_assert(dot, "the dot formula is on screen");
    key(SDLK_5);   /* additive */
    cr_assert_eq(app->session.trace.cfg.score, SCORE_ADDITIVE);
}

Test(live, a_missing_or_broken_model_changes_nothing) {
    key(SDLK_4);   /* concat: no such file */
    cr_assert_eq(app->session.trace.cfg.score, SCORE_GENERAL);
    cr_assert(strstr(app->ui.message, "concat"), "message: %s", app->ui.message);
    /* its toolbar button is disabled */
    bool found = false;
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->tag == VIZ_TAG_SCORE_BUTTON && c->a == SCORE_CONCAT) { found = true; cr_assert_eq(c->b, 0); }
        if (c->tag == VIZ_TAG_SCORE_BUTTON && c->a == SCORE_DOT) cr_assert_eq(c->b, 1);
    }
    cr_assert(found);
    char path[256];
    snprintf(path, sizeof path, "%s/reverse-dot.safetensors", dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("\x10\0\0\0\0\0\0\0{not json at all", f);
    fclose(f);
    float w0 = app->session.trace.steps[0].weights[0];
    key(SDLK_2);
    cr_assert_eq(app->session.trace.cfg.score, SCORE_GENERAL, "the broken dot model must not replace the general one");
    cr_assert_float_eq(app->session.trace.steps[0].weights[0], w0, 0);
    cr_assert(strstr(app->ui.message, "reverse-dot.safetensors"), "the message names the file: %s", app->ui.message);
    key(SDLK_RIGHT);   /* still alive and drawing; the message goes with the next key */
    cr_assert_eq(app->ui.message[0], 0);
}

Test(live, the_toolbar_switches_too) {
    app_draw(app);
    bool clicked = false;
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->tag == VIZ_TAG_SCORE_BUTTON && c->a == SCORE_DOT) {
            click(c->x + c->w / 2, c->y + c->h / 2);
            clicked = true;
            break;
        }
    }
    cr_assert(clicked, "no dot button drawn");
    cr_assert_eq(app->session.trace.cfg.score, SCORE_DOT);
}

Test(live, typing_hangul_and_unknown_characters) {
    key(SDLK_RETURN);
    cr_assert(app->editor.open);
    while (app->editor.f[0].text[0]) key(SDLK_BACKSPACE);
    text("a");
    text("b");
    composing("\xE3\x85\x8E");          /* ㅎ, being composed */
    cr_assert_str_eq(app->editor.composition, "\xE3\x85\x8E");
    cr_assert_str_eq(app->editor.f[0].text, "ab", "composition is not committed yet");
    composing("\xED\x95\x9C");          /* 한 */
    text("\xED\x95\x9C");               /* committed */
    text("c");
    key(SDLK_BACKSPACE);                /* removes the whole c, then */
    key(SDLK_BACKSPACE);                /* the whole 한 (3 bytes) */
    cr_assert_str_eq(app->editor.f[0].text, "ab");
    text("\xED\x95\x9C");
    text("?");                          /* typed, not the help key */
    cr_assert(!app->view.help);
    key(SDLK_RETURN);
    cr_assert(!app->editor.open, "message: %s", app->ui.message);
    cr_assert_str_eq(app->session.input, "ab\xED\x95\x9C?");
    cr_assert_eq(app->session.trace.S, 4);
    cr_assert_eq(app->session.trace.src_ids[2], TOK_UNK);
    cr_assert_eq(app->session.trace.src_ids[3], TOK_UNK);
    cr_assert_neq(app->session.trace.src_ids[0], TOK_UNK);
    int marks = 0;
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == VIZ_TAG_UNK_MARK) marks |= 1 << app->w.dl.cmds[i].a;
    cr_assert_eq(marks, (1 << 2) | (1 << 3), "the unknown tokens are marked");
}

Test(live, a_bad_input_is_refused_with_a_message) {
    key(SDLK_RETURN);
    while (app->editor.f[0].text[0]) key(SDLK_BACKSPACE);
    for (int i = 0; i < 250; i++) text("a");
    key(SDLK_RETURN);
    cr_assert(app->editor.open, "a too long input keeps the field open");
    cr_assert(strstr(app->ui.message, "250"), "message: %s", app->ui.message);
    cr_assert_str_eq(app->session.input, "abcdef", "the old decoding stays");
    key(SDLK_ESCAPE);
    cr_assert(!app->editor.open);
    cr_assert(!app->w.quit, "Esc closes the field first");
}

Test(live, teacher_forcing_needs_a_reference_then_toggles) {
    key(SDLK_t);
    cr_assert(strstr(app->ui.message, "reference"), "message: %s", app->ui.message);
    cr_assert(!app->session.trace.has_reference);
    key(SDLK_RETURN);
    key(SDLK_TAB);                      /* the reference field */
    cr_assert_eq(app->editor.field, 1);
    text("fedcba");
    key(SDLK_RETURN);
    cr_assert(app->session.trace.has_reference);
    cr_assert(app->session.tf_on);
    cr_assert_float_eq(app->session.trace.teacher_forcing, 0.5f, 1e-6);
    cr_assert_eq(app->session.trace.T, 7);      /* the reference and <eos> */
    int flips = 0;
    for (int t = 1; t < app->session.trace.T; t++) flips += app->session.trace.steps[t].coin >= 0;
    cr_assert_eq(flips, app->session.trace.T - 1, "every step after the first flips the coin");
    key(SDLK_t);
    cr_assert(!app->session.tf_on);
    for (int t = 0; t < app->session.trace.T; t++) cr_assert(!app->session.trace.steps[t].teacher_forced);
    key(SDLK_t);
    key(SDLK_RIGHTBRACKET);
    cr_assert_float_eq(app->session.trace.teacher_forcing, 0.6f, 1e-6);
}

Test(live, compare_scores_and_their_difference) {
    app->view.tau = viz_tau_at(&app->session.trace, 4, PH_NEXT) + 0.9;
    app->view.stop_at = 0;
    key(SDLK_c);   /* the next score after general (3) in the keys' order that has a model: additive (5) */
    cr_assert_eq(app->cmp.mode, CMP_SCORE, "message: %s", app->ui.message);
    cr_assert_eq(app->cmp.trace.cfg.score, SCORE_ADDITIVE);
    int a = 0, b = 0, d = 0;
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->tag == VIZ_TAG_ALIGN_CELL) a++;
        if (c->tag == VIZ_TAG_CMP_CELL) {
            Rgb8 w = colormap_viridis(app->cmp.trace.steps[c->a].weights[c->b]);   /* the other side: additive */
            cr_assert(c->color.r == w.r && c->color.g == w.g && c->color.b == w.b);
            b++;
        }
        if (c->tag == VIZ_TAG_DIFF_CELL) {
            Rgb8 w = colormap_diverging(app->session.trace.steps[c->a].weights[c->b] - app->cmp.trace.steps[c->a].weights[c->b]);
            cr_assert(c->color.r == w.r && c->color.g == w.g && c->color.b == w.b, "difference cell (%d,%d)", c->a, c->b);
            d++;
        }
    }
    /* the whole decoding, whatever step the clock is at */
    int TA = app->session.trace.T, TB = app->cmp.trace.T;
    cr_assert(a == TA * 6 && b == TB * 6 && d == (TA < TB ? TA : TB) * 6, "cells %d %d %d (T %d, %d)", a, b, d, TA, TB);
    send_key(app, SDLK_c, KMOD_LSHIFT);
    settle();
    cr_assert_eq(app->cmp.trace.cfg.score, SCORE_DOT, "Shift+C: the other side's next score, round again");
    send_key(app, SDLK_c, KMOD_LSHIFT);
    settle();
    cr_assert_eq(app->cmp.trace.cfg.score, SCORE_ADDITIVE, "and on, never off");
    key(SDLK_2);
    cr_assert_eq(app->cmp.trace.cfg.score, SCORE_DOT);
    key(SDLK_5);
    cr_assert_eq(app->cmp.trace.cfg.score, SCORE_ADDITIVE, "5 in compare: the other side");
    cr_assert_eq(app->session.trace.cfg.score, SCORE_GENERAL, "this side stays");
    key(SDLK_3);
    cr_assert_eq(app->cmp.trace.cfg.score, SCORE_ADDITIVE, "3 is this side's own score: %s", app->ui.message);
    key(SDLK_c);
    cr_assert_eq(app->cmp.mode, CMP_OFF, "C again: back to one decoding");
    VizState st;
    app_viz_state(app, &st);
    cr_assert_null(st.cmp);
}

Test(live, free_running_beside_teacher_forced) {
    key(SDLK_v);
    cr_assert_eq(app->cmp.mode, CMP_OFF);
    cr_assert(strstr(app->ui.message, "reference"), "message: %s", app->ui.message);
    key(SDLK_RETURN);
    key(SDLK_TAB);
    text("fedcba");
    key(SDLK_RETURN);
    key(SDLK_v);
    cr_assert_eq(app->cmp.mode, CMP_FORCING, "message: %s", app->ui.message);
    cr_assert_float_eq(app->session.trace.teacher_forcing, 0.5f, 1e-6);
    cr_assert_float_eq(app->cmp.trace.teacher_forcing, 0.0f, 1e-6);
    cr_assert_str_eq(app->cmp.name[1], "free running");
    for (int t = 0; t < app->cmp.trace.T; t++) cr_assert(!app->cmp.trace.steps[t].teacher_forced);
    key(SDLK_t);   /* the comparison follows the main decoding */
    cr_assert_str_eq(app->cmp.name[0], "free running");
    cr_assert_float_eq(app->cmp.trace.teacher_forcing, 0.5f, 1e-6);
    key(SDLK_v);
    cr_assert_eq(app->cmp.mode, CMP_OFF);
    key(SDLK_v);
    key(SDLK_ESCAPE);
    cr_assert_eq(app->cmp.mode, CMP_OFF, "Esc leaves compare");
}

Test(live, the_model_menu_loads_another_model_and_survives_a_broken_one) {
    key(SDLK_m);
    cr_assert(app->menu.open);
    cr_assert_geq(app->menu.n, 3, "the three models of this folder are listed");
    int cur = app->menu.cur;
    cr_assert_geq(cur, 0);
    /* grouped by task, in score order within the task: dot, general, additive */
    int at[3] = {-1, -1, -1};
    static const char *const ORDER[3] = {"reverse-dot", "reverse-general", "reverse-additive"};
    for (int i = 0; i < app->menu.n; i++)
        for (int k = 0; k < 3; k++)
            if (strstr(app->menu.label[i], ORDER[k]) && strstr(app->menu.label[i], dir)) {
                at[k] = i;
                cr_assert_str_eq(app->menu.group_ptr[i], "reverse");
            }
    cr_assert(at[0] >= 0 && at[0] < at[1] && at[1] < at[2], "menu order %d %d %d", at[0], at[1], at[2]);
    cr_assert(strstr(app->menu.label[cur], "reverse-general"));
    /* choose the dot model with the keys */
    int dot = -1;
    for (int i = 0; i < app->menu.n; i++)
        if (strstr(app->menu.label[i], "reverse-dot") && strstr(app->menu.label[i], dir)) dot = i;   /* not a shipped one */
    cr_assert_geq(dot, 0);
    while (app->menu.sel < dot) key(SDLK_DOWN);
    while (app->menu.sel > dot) key(SDLK_UP);
    key(SDLK_RETURN);
    cr_assert(!app->menu.open);
    cr_assert_eq(app->session.trace.cfg.score, SCORE_DOT);
    cr_assert_str_eq(app->session.input, "abcdef", "same task: the input stays");
    /* a broken file in the list: an error on screen, the dot model stays */
    char path[256];
    snprintf(path, sizeof path, "%s/reverse-zz-broken.safetensors", dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("garbage", f);
    fclose(f);
    key(SDLK_m);
    int bad = -1;
    for (int i = 0; i < app->menu.n; i++)
        if (strstr(app->menu.label[i], "broken")) bad = i;
    cr_assert_geq(bad, 0);
    while (app->menu.sel < bad) key(SDLK_DOWN);
    key(SDLK_RETURN);
    cr_assert_eq(app->session.trace.cfg.score, SCORE_DOT);
    cr_assert(strstr(app->ui.message, "broken"), "message: %s", app->ui.message);
    key(SDLK_RIGHT);
    cr_assert(!app->w.quit);
}

Test(live, the_slider_sets_the_teacher_forcing_probability) {
    key(SDLK_RETURN);
    key(SDLK_TAB);
    text("fedcba");
    key(SDLK_RETURN);
    const DlCmd *track = NULL;
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == VIZ_TAG_TF_SLIDER) track = &app->w.dl.cmds[i];
    cr_assert_not_null(track, "a reference shows the slider");
    click(track->x + track->w * 0.8f, track->y + track->h / 2);
    cr_assert(app->session.tf_on);
    cr_assert_float_eq(app->session.tf_p, 0.8f, 1e-6);
    cr_assert_float_eq(app->session.trace.teacher_forcing, 0.8f, 1e-6);
}

Test(live, clicking_a_matrix_row_goes_to_that_step) {
    app->view.tau = viz_tau_at(&app->session.trace, 5, PH_CONTEXT) + 0.9;
    app->view.stop_at = 0;
    app_draw(app);
    float x = -1, y = -1;
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->tag == VIZ_TAG_ALIGN_CELL && c->a == 1 && c->b == 2) { x = c->x + c->w / 2; y = c->y + c->h / 2; }
    }
    cr_assert_geq(x, 0, "row 2 is drawn");
    click(x, y);
    int t, p;
    float pr;
    viz_clock(&app->session.trace, app->view.tau, &t, &p, &pr);
    cr_assert(t == 1 && p == PH_CONTEXT, "step %d phase %d", t + 1, p);
}

/* The real loop: events queued in SDL are handled in order; Esc does not
 * quit the view, Q does. */
Test(live, the_loop_handles_queued_events_and_quits) {
    app->view.tau = 0;
    app->view.stop_at = 0;
    SDL_Event e = key_event(SDLK_DOWN, 0);  /* step 2, encoder: animates for a while */
    cr_assert_eq(SDL_PushEvent(&e), 1, "%s", SDL_GetError());
    e = key_event(SDLK_RIGHT, 0);           /* step 2, query */
    SDL_PushEvent(&e);
    e = key_event(SDLK_ESCAPE, 0);
    SDL_PushEvent(&e);
    e = key_event(SDLK_q, 0);
    SDL_PushEvent(&e);
    app_run(app);
    cr_assert(app->w.quit);
    int t, p;
    float pr;
    viz_clock(&app->session.trace, app->view.tau, &t, &p, &pr);
    cr_assert(t == 1 && p == PH_QUERY, "step %d phase %d", t + 1, p);
}

/* The editor as a text field: it opens with the input selected, so typing
 * replaces it; Ctrl+A then Backspace empties it (issue 13 found "I love
 * yoi love you"); Ctrl+Backspace removes a word; the clipboard pastes; a
 * click puts the cursor between two letters. */
Test(live, the_editor_is_a_real_text_field) {
    key(SDLK_RETURN);
    cr_assert(app->editor.open);
    cr_assert_str_eq(app->editor.f[0].text, "abcdef");
    text("f");
    cr_assert_str_eq(app->editor.f[0].text, "f", "the pre-filled input was selected: typing replaced it");
    key(SDLK_ESCAPE);
    key(SDLK_RETURN);
    send_key(app, SDLK_END, 0);
    text(" cab");
    send_key(app, SDLK_a, KMOD_LCTRL);
    key(SDLK_BACKSPACE);
    cr_assert_str_eq(app->editor.f[0].text, "", "Ctrl+A, Backspace: empty");
    text("abc dd");
    send_key(app, SDLK_BACKSPACE, KMOD_LCTRL);
    cr_assert_str_eq(app->editor.f[0].text, "abc ", "Ctrl+Backspace: the word");
    send_key(app, SDLK_LEFT, KMOD_LCTRL);
    send_key(app, SDLK_RIGHT, KMOD_LSHIFT);
    send_key(app, SDLK_c, KMOD_LCTRL);
    send_key(app, SDLK_END, 0);
    send_key(app, SDLK_v, KMOD_LCTRL);
    settle();
    cr_assert_str_eq(app->editor.f[0].text, "abc a", "Ctrl+C, Ctrl+V through the clipboard: %s", SDL_GetError());
    /* a click between 'b' and 'c' */
    const DlCmd *t = NULL;
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == VIZ_TAG_EDIT_TEXT && app->w.dl.cmds[i].a == 0) t = &app->w.dl.cmds[i];
    cr_assert_not_null(t, "the input field's text is drawn");
    float wab = dl_text_width(&app->w.dl, "ab", t->size, t->flags);
    click(t->x + wab + 1, t->y + t->h / 2);
    cr_assert_eq(app->editor.f[0].cursor, 2, "the cursor after 'ab', not %d", app->editor.f[0].cursor);
    text("x");
    cr_assert_str_eq(app->editor.f[0].text, "abxc a");
    key(SDLK_RETURN);
    cr_assert_str_eq(app->session.input, "abxc a");
}

static const DlCmd *score_button(ScoreKind k) {
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == VIZ_TAG_SCORE_BUTTON && app->w.dl.cmds[i].a == (int)k) return &app->w.dl.cmds[i];
    return NULL;
}

/* Key 6 and its button: no button while no <task>-scaled_dot.safetensors
 * exists (6 then says which file is missing); once it exists, the button
 * and 6 switch to it. */
Test(live, key_6_is_scaled_dot_once_its_model_exists) {
    app_draw(app);
    cr_assert_null(score_button(SCORE_SCALED_DOT), "no sixth button without its model");
    key(SDLK_6);
    cr_assert_eq(app->session.trace.cfg.score, SCORE_GENERAL);
    cr_assert(strstr(app->ui.message, "scaled_dot"), "%s", app->ui.message);
    char err[AV_ERR_LEN];
    save_random_model(dir, SCORE_SCALED_DOT, err);
    key(SDLK_6);
    cr_assert_eq(app->session.trace.cfg.score, SCORE_SCALED_DOT, "%s", app->ui.message);
    const DlCmd *b = score_button(SCORE_SCALED_DOT);
    cr_assert(b && b->b == 1, "drawn and enabled now");
    for (int k = SCORE_NONE; k <= SCORE_ADDITIVE; k++) cr_assert_not_null(score_button((ScoreKind)k), "button %d", k);
    key(SDLK_3);
    cr_assert_eq(app->session.trace.cfg.score, SCORE_GENERAL);
}

static const DlCmd *tagged(int tag, int a) {
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == tag && app->w.dl.cmds[i].a == a) return &app->w.dl.cmds[i];
    return NULL;
}

/* A click on a source word highlights it (its strip, its column, its weight
 * at every decoded step) instead of opening the editor; a click again or
 * Esc lets it go; Enter and a click on the input line still edit. */
Test(live, clicking_a_source_word_highlights_it) {
    char err[AV_ERR_LEN], path[256];
    snprintf(path, sizeof path, "%s/reverse-general.safetensors", dir);
    /* forced through a reference: 7 rows, tall enough for numbers */
    cr_assert_eq(app_decode_forced(app, path, "abcdef", "fedcba", true, 1, false, err), 0, "%s", err);
    app->view.tau = viz_tau_at(&app->session.trace, 4, PH_OUTPUT) + 0.9;
    app->view.stop_at = 0;
    settle();
    const DlCmd *w = tagged(VIZ_TAG_SRC_TOKEN, 2);
    cr_assert_not_null(w, "source word 3 is drawn");
    click(w->x + w->w / 2, w->y + w->h / 2);
    cr_assert_not(app->editor.open, "a click on a word does not open the editor");
    cr_assert_eq(app->view.pin, 3);
    cr_assert_not_null(tagged(VIZ_TAG_PIN, 2), "its column is framed");
    int values = 0;
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->tag != VIZ_TAG_PIN_VALUE) continue;
        cr_assert_eq(c->b, 2);
        cr_assert_float_eq(c->value, app->session.trace.steps[c->a].weights[2], 1e-6);
        values++;
    }
    cr_assert_eq(values, 4, "its weight in each of the 4 decoded rows (%d, T = %d)", values, app->session.trace.T);
    click(w->x + w->w / 2, w->y + w->h / 2);
    cr_assert_eq(app->view.pin, 0, "a click again lets it go");
    cr_assert_null(tagged(VIZ_TAG_PIN, 2));
    const DlCmd *strip = tagged(VIZ_TAG_ENC_CELL, 1);
    click(strip->x + strip->w / 2, strip->y + strip->h / 2);
    cr_assert_eq(app->view.pin, 2, "its state strip works too");
    key(SDLK_ESCAPE);
    cr_assert_eq(app->view.pin, 0, "Esc lets it go");
    cr_assert_not(app->w.quit);
    const DlCmd *title = tagged(VIZ_TAG_TITLE, 0);
    cr_assert_not_null(title);
    click(title->x + 5, title->y + title->h / 2);
    cr_assert(app->editor.open, "a click on the input line edits");
    key(SDLK_ESCAPE);
    key(SDLK_RETURN);
    cr_assert(app->editor.open, "Enter edits");
}

/* A token the model does not know is named where the class looks, in
 * words, with the vocabulary's size; a click on that line (or K) lists
 * what it knows; Esc closes the list. */
Test(live, unknown_tokens_are_said_and_the_vocabulary_can_be_seen) {
    char err[AV_ERR_LEN], path[256];
    snprintf(path, sizeof path, "%s/reverse-general.safetensors", dir);
    cr_assert_eq(app_decode(app, path, "abzqz", NULL, false, err), 0, "%s", err);
    settle();
    cr_assert_str_eq(app->session.unknown, "'z', 'q' are not among the 6 characters this model knows: it reads <unk>   (K: the list)");
    const DlCmd *note = tagged(VIZ_TAG_UNK_NOTE, 0);
    cr_assert_not_null(note, "the line is on screen");
    cr_assert_str_eq(dl_str(&app->w.dl, note), app->session.unknown);
    click(note->x + 10, note->y + note->h / 2);
    cr_assert(app->vocab.open, "a click on the line lists the vocabulary");
    cr_assert_eq(app->vocab.n, 6);
    static const char *const ABC[] = {"a", "b", "c", "d", "e", "f"};
    for (int i = 0; i < 6; i++) cr_assert_str_eq(app->vocab.sorted[i], ABC[i]);
    int shown = 0;
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->kind == DL_TEXT && c->tag == VIZ_TAG_OVERLAY && strlen(dl_str(&app->w.dl, c)) == 1) shown++;
    }
    cr_assert_eq(shown, 6, "every entry is drawn (%d)", shown);
    key(SDLK_ESCAPE);
    cr_assert(!app->vocab.open && !app->w.quit);
    /* the pointer over a source strip: a tooltip, but not over the list */
    app->view.tau = viz_tau_at(&app->session.trace, 1, PH_OUTPUT) + 0.9;
    app->view.stop_at = 0;
    settle();
    const DlCmd *cell = tagged(VIZ_TAG_SRC_TOKEN, 0);
    cr_assert_not_null(cell);
    float hx = cell->x + cell->w / 2, hy = cell->y + cell->h / 2;
    send_motion(app, hx, hy);
    settle();
    cr_assert(has_text("source position"), "hovering a strip explains it");
    key(SDLK_k);
    cr_assert(app->vocab.open, "K opens it");
    send_motion(app, hx, hy);
    settle();
    cr_assert_not(has_text("source position"), "no tooltip drawn over the list");
    key(SDLK_k);
    cr_assert(!app->vocab.open, "K closes it");
    /* known input: no line */
    cr_assert_eq(app_decode(app, path, "abc", NULL, false, err), 0, "%s", err);
    settle();
    cr_assert_str_empty(app->session.unknown);
    cr_assert_null(tagged(VIZ_TAG_UNK_NOTE, 0));
    /* in Korean */
    snprintf(app->ui.lang, sizeof app->ui.lang, "ko");
    cr_assert_eq(app_decode(app, path, "xab", NULL, false, err), 0, "%s", err);
    cr_assert(strstr(app->session.unknown, "'x'") && strstr(app->session.unknown, "6개의 글자"), "%s", app->session.unknown);
}
