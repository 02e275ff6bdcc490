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

static App *app;
static char dir[] = "/tmp/attnviz-live-XXXXXX";

static void save_model(ScoreKind score, char *err) {
    static const char *const TOK[] = {"<pad>", "<sos>", "<eos>", "<unk>", "a", "b", "c", "d", "e", "f"};
    Vocab v;
    cr_assert_eq(vocab_init(&v, TOK, 10, err), 0, "%s", err);
    ModelConfig c = {CELL_LSTM, false, STYLE_LUONG, score, false, 6, 8, 8,
                     score == SCORE_CONCAT || score == SCORE_ADDITIVE ? 8 : 0, TOK_CHAR, false};
    Model m;
    Rng r;
    rng_seed(&r, 10 + (uint64_t)score);
    cr_assert_eq(model_create(&m, &c, &v, &v, &r, err), 0, "%s", err);
    m.task = strdup("reverse");
    char path[256];
    snprintf(path, sizeof path, "%s/reverse-%s.safetensors", dir, score_name(score));
    cr_assert_eq(model_save(&m, path, err), 0, "%s", err);
    model_free(&m);
    vocab_free(&v);
}

static void setup(void) {
    cr_assert_not_null(mkdtemp(dir));
    char err[AV_ERR_LEN], path[256];
    save_model(SCORE_GENERAL, err);
    save_model(SCORE_DOT, err);
    save_model(SCORE_ADDITIVE, err);
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    app->st.speed = 1;
    app->tf_p = 0.5f;
    cr_assert_eq(app_init_gfx(app, 1280, 720, true, err), 0, "%s", err);
    snprintf(path, sizeof path, "%s/reverse-general.safetensors", dir);
    cr_assert_eq(app_decode(app, path, "abcdef", NULL, false, err), 0, "%s", err);
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(live, .init = setup, .fini = teardown, .timeout = 120);

static void settle(void) {
    app_update(app, 60);
    app_draw(app);
}

static void key(SDL_Keycode k) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = k;
    app_event(app, &e);
    settle();
}

static void text(const char *s) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_TEXTINPUT;
    snprintf(e.text.text, sizeof e.text.text, "%s", s);
    app_event(app, &e);
    settle();
}

static void composing(const char *s) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_TEXTEDITING;
    snprintf(e.edit.text, sizeof e.edit.text, "%s", s);
    app_event(app, &e);
    settle();
}

static void click(float x, float y) {
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = (int)x;
    e.button.y = (int)y;
    app_event(app, &e);
    e.type = SDL_MOUSEBUTTONUP;
    app_event(app, &e);
    settle();
}

static void check_cells_are_current(void) {
    int n = 0;
    for (int i = 0; i < app->dl.n; i++) {
        const DlCmd *c = &app->dl.cmds[i];
        if (c->tag != VIZ_TAG_ALIGN_CELL) continue;
        Rgb8 w = colormap_viridis(app->trace.steps[c->a].weights[c->b]);
        cr_assert(c->color.r == w.r && c->color.g == w.g && c->color.b == w.b, "cell (%d,%d) shows another decoding", c->a, c->b);
        n++;
    }
    cr_assert_gt(n, 0);
}

Test(live, keys_switch_the_score_and_keep_the_place) {
    app->st.tau = viz_tau_at(&app->trace, 3, PH_CONTEXT) + 0.5;
    app->stop_at = 0;
    double tau = app->st.tau;
    key(SDLK_2);   /* dot */
    cr_assert_eq(app->model.cfg.score, SCORE_DOT);
    cr_assert_eq(app->trace.cfg.score, SCORE_DOT);
    cr_assert(app->have_prev && app->prev.cfg.score == SCORE_GENERAL, "the old decoding is kept to morph from");
    cr_assert_float_eq(app->st.tau, tau, 1e-9, "the step and phase are kept");
    cr_assert_float_eq(app->st.morph, 1.0f, 1e-6);
    check_cells_are_current();
    /* mid-morph, cells are between the two decodings */
    app->st.morph = 0;
    app_draw(app);
    for (int i = 0; i < app->dl.n; i++) {
        const DlCmd *c = &app->dl.cmds[i];
        if (c->tag != VIZ_TAG_ALIGN_CELL) continue;
        Rgb8 w = colormap_viridis(app->prev.steps[c->a].weights[c->b]);
        cr_assert(c->color.r == w.r && c->color.g == w.g && c->color.b == w.b, "morph 0 must show the old weights");
    }
    app->st.morph = 1;
    /* the formula changes with the score */
    app->st.tau = viz_tau_at(&app->trace, 1, PH_SCORES) + 0.9;
    app_draw(app);
    bool dot = false;
    for (int i = 0; i < app->dl.n; i++)
        if (app->dl.cmds[i].kind == DL_TEXT && strstr(dl_str(&app->dl, &app->dl.cmds[i]), "= q^T h")) dot = true;
    cr_assert(dot, "the dot formula is on screen");
    key(SDLK_5);   /* additive */
    cr_assert_eq(app->trace.cfg.score, SCORE_ADDITIVE);
}

Test(live, a_missing_or_broken_model_changes_nothing) {
    key(SDLK_4);   /* concat: no such file */
    cr_assert_eq(app->trace.cfg.score, SCORE_GENERAL);
    cr_assert(strstr(app->message, "concat"), "message: %s", app->message);
    /* its toolbar button is disabled */
    bool found = false;
    for (int i = 0; i < app->dl.n; i++) {
        const DlCmd *c = &app->dl.cmds[i];
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
    float w0 = app->trace.steps[0].weights[0];
    key(SDLK_2);
    cr_assert_eq(app->trace.cfg.score, SCORE_GENERAL, "the broken dot model must not replace the general one");
    cr_assert_float_eq(app->trace.steps[0].weights[0], w0, 0);
    cr_assert(strstr(app->message, "reverse-dot.safetensors"), "the message names the file: %s", app->message);
    key(SDLK_RIGHT);   /* still alive and drawing; the message goes with the next key */
    cr_assert_eq(app->message[0], 0);
}

Test(live, the_toolbar_switches_too) {
    app_draw(app);
    bool clicked = false;
    for (int i = 0; i < app->dl.n; i++) {
        const DlCmd *c = &app->dl.cmds[i];
        if (c->tag == VIZ_TAG_SCORE_BUTTON && c->a == SCORE_DOT) {
            click(c->x + c->w / 2, c->y + c->h / 2);
            clicked = true;
            break;
        }
    }
    cr_assert(clicked, "no dot button drawn");
    cr_assert_eq(app->trace.cfg.score, SCORE_DOT);
}

Test(live, typing_hangul_and_unknown_characters) {
    key(SDLK_RETURN);
    cr_assert(app->editing);
    while (app->edit[0][0]) key(SDLK_BACKSPACE);
    text("a");
    text("b");
    composing("\xE3\x85\x8E");          /* ㅎ, being composed */
    cr_assert_str_eq(app->composition, "\xE3\x85\x8E");
    cr_assert_str_eq(app->edit[0], "ab", "composition is not committed yet");
    composing("\xED\x95\x9C");          /* 한 */
    text("\xED\x95\x9C");               /* committed */
    text("c");
    key(SDLK_BACKSPACE);                /* removes the whole c, then */
    key(SDLK_BACKSPACE);                /* the whole 한 (3 bytes) */
    cr_assert_str_eq(app->edit[0], "ab");
    text("\xED\x95\x9C");
    text("?");                          /* typed, not the help key */
    cr_assert(!app->st.help);
    key(SDLK_RETURN);
    cr_assert(!app->editing, "message: %s", app->message);
    cr_assert_str_eq(app->input, "ab\xED\x95\x9C?");
    cr_assert_eq(app->trace.S, 4);
    cr_assert_eq(app->trace.src_ids[2], TOK_UNK);
    cr_assert_eq(app->trace.src_ids[3], TOK_UNK);
    cr_assert_neq(app->trace.src_ids[0], TOK_UNK);
    int marks = 0;
    for (int i = 0; i < app->dl.n; i++)
        if (app->dl.cmds[i].tag == VIZ_TAG_UNK_MARK) marks |= 1 << app->dl.cmds[i].a;
    cr_assert_eq(marks, (1 << 2) | (1 << 3), "the unknown tokens are marked");
}

Test(live, a_bad_input_is_refused_with_a_message) {
    key(SDLK_RETURN);
    while (app->edit[0][0]) key(SDLK_BACKSPACE);
    for (int i = 0; i < 250; i++) text("a");
    key(SDLK_RETURN);
    cr_assert(app->editing, "a too long input keeps the field open");
    cr_assert(strstr(app->message, "250"), "message: %s", app->message);
    cr_assert_str_eq(app->input, "abcdef", "the old decoding stays");
    key(SDLK_ESCAPE);
    cr_assert(!app->editing);
    cr_assert(!app->quit, "Esc closes the field first");
}

Test(live, teacher_forcing_needs_a_reference_then_toggles) {
    key(SDLK_t);
    cr_assert(strstr(app->message, "reference"), "message: %s", app->message);
    cr_assert(!app->trace.has_reference);
    key(SDLK_RETURN);
    key(SDLK_TAB);                      /* the reference field */
    cr_assert_eq(app->edit_field, 1);
    text("fedcba");
    key(SDLK_RETURN);
    cr_assert(app->trace.has_reference);
    cr_assert(app->tf_on);
    cr_assert_float_eq(app->trace.teacher_forcing, 0.5f, 1e-6);
    cr_assert_eq(app->trace.T, 7);      /* the reference and <eos> */
    int flips = 0;
    for (int t = 1; t < app->trace.T; t++) flips += app->trace.steps[t].coin >= 0;
    cr_assert_eq(flips, app->trace.T - 1, "every step after the first flips the coin");
    key(SDLK_t);
    cr_assert(!app->tf_on);
    for (int t = 0; t < app->trace.T; t++) cr_assert(!app->trace.steps[t].teacher_forced);
    key(SDLK_t);
    key(SDLK_RIGHTBRACKET);
    cr_assert_float_eq(app->trace.teacher_forcing, 0.6f, 1e-6);
}

Test(live, compare_scores_and_their_difference) {
    app->st.tau = viz_tau_at(&app->trace, 4, PH_NEXT) + 0.9;
    app->stop_at = 0;
    key(SDLK_c);
    cr_assert_eq(app->cmp_mode, 1, "message: %s", app->message);
    cr_assert_eq(app->cmp.cfg.score, SCORE_DOT);
    int a = 0, b = 0, d = 0;
    for (int i = 0; i < app->dl.n; i++) {
        const DlCmd *c = &app->dl.cmds[i];
        if (c->tag == VIZ_TAG_ALIGN_CELL) a++;
        if (c->tag == VIZ_TAG_CMP_CELL) {
            Rgb8 w = colormap_viridis(app->cmp.steps[c->a].weights[c->b]);
            cr_assert(c->color.r == w.r && c->color.g == w.g && c->color.b == w.b);
            b++;
        }
        if (c->tag == VIZ_TAG_DIFF_CELL) {
            Rgb8 w = colormap_diverging(app->trace.steps[c->a].weights[c->b] - app->cmp.steps[c->a].weights[c->b]);
            cr_assert(c->color.r == w.r && c->color.g == w.g && c->color.b == w.b, "difference cell (%d,%d)", c->a, c->b);
            d++;
        }
    }
    cr_assert(a == 4 * 6 && b == a && d == a, "cells %d %d %d", a, b, d);
    key(SDLK_c);
    cr_assert_eq(app->cmp.cfg.score, SCORE_ADDITIVE);
    key(SDLK_c);
    cr_assert_eq(app->cmp_mode, 0, "after the last score, compare ends");
    cr_assert_null(app->st.cmp);
}

Test(live, free_running_beside_teacher_forced) {
    key(SDLK_v);
    cr_assert_eq(app->cmp_mode, 0);
    cr_assert(strstr(app->message, "reference"), "message: %s", app->message);
    key(SDLK_RETURN);
    key(SDLK_TAB);
    text("fedcba");
    key(SDLK_RETURN);
    key(SDLK_v);
    cr_assert_eq(app->cmp_mode, 2, "message: %s", app->message);
    cr_assert_float_eq(app->trace.teacher_forcing, 0.5f, 1e-6);
    cr_assert_float_eq(app->cmp.teacher_forcing, 0.0f, 1e-6);
    cr_assert_str_eq(app->cmp_name[1], "free running");
    for (int t = 0; t < app->cmp.T; t++) cr_assert(!app->cmp.steps[t].teacher_forced);
    key(SDLK_t);   /* the comparison follows the main decoding */
    cr_assert_str_eq(app->cmp_name[0], "free running");
    cr_assert_float_eq(app->cmp.teacher_forcing, 0.5f, 1e-6);
    key(SDLK_v);
    cr_assert_eq(app->cmp_mode, 0);
}

Test(live, the_model_menu_loads_another_model_and_survives_a_broken_one) {
    key(SDLK_m);
    cr_assert(app->st.menu_open);
    cr_assert_geq(app->menu_n, 3, "the three models of this folder are listed");
    int cur = app->st.menu_cur;
    cr_assert_geq(cur, 0);
    /* grouped by task, in score order within the task: dot, general, additive */
    int at[3] = {-1, -1, -1};
    static const char *const ORDER[3] = {"reverse-dot", "reverse-general", "reverse-additive"};
    for (int i = 0; i < app->menu_n; i++)
        for (int k = 0; k < 3; k++)
            if (strstr(app->menu_label[i], ORDER[k]) && strstr(app->menu_label[i], dir)) {
                at[k] = i;
                cr_assert_str_eq(app->st.menu_group[i], "reverse");
            }
    cr_assert(at[0] >= 0 && at[0] < at[1] && at[1] < at[2], "menu order %d %d %d", at[0], at[1], at[2]);
    cr_assert(strstr(app->menu_label[cur], "reverse-general"));
    /* choose the dot model with the keys */
    int dot = -1;
    for (int i = 0; i < app->menu_n; i++)
        if (strstr(app->menu_label[i], "reverse-dot") && strstr(app->menu_label[i], dir)) dot = i;   /* not a shipped one */
    cr_assert_geq(dot, 0);
    while (app->st.menu_sel < dot) key(SDLK_DOWN);
    while (app->st.menu_sel > dot) key(SDLK_UP);
    key(SDLK_RETURN);
    cr_assert(!app->st.menu_open);
    cr_assert_eq(app->trace.cfg.score, SCORE_DOT);
    cr_assert_str_eq(app->input, "abcdef", "same task: the input stays");
    /* a broken file in the list: an error on screen, the dot model stays */
    char path[256];
    snprintf(path, sizeof path, "%s/reverse-zz-broken.safetensors", dir);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    fputs("garbage", f);
    fclose(f);
    key(SDLK_m);
    int bad = -1;
    for (int i = 0; i < app->menu_n; i++)
        if (strstr(app->menu_label[i], "broken")) bad = i;
    cr_assert_geq(bad, 0);
    while (app->st.menu_sel < bad) key(SDLK_DOWN);
    key(SDLK_RETURN);
    cr_assert_eq(app->trace.cfg.score, SCORE_DOT);
    cr_assert(strstr(app->message, "broken"), "message: %s", app->message);
    key(SDLK_RIGHT);
    cr_assert(!app->quit);
}

Test(live, the_slider_sets_the_teacher_forcing_probability) {
    key(SDLK_RETURN);
    key(SDLK_TAB);
    text("fedcba");
    key(SDLK_RETURN);
    const DlCmd *track = NULL;
    for (int i = 0; i < app->dl.n; i++)
        if (app->dl.cmds[i].tag == VIZ_TAG_TF_SLIDER) track = &app->dl.cmds[i];
    cr_assert_not_null(track, "a reference shows the slider");
    click(track->x + track->w * 0.8f, track->y + track->h / 2);
    cr_assert(app->tf_on);
    cr_assert_float_eq(app->tf_p, 0.8f, 1e-6);
    cr_assert_float_eq(app->trace.teacher_forcing, 0.8f, 1e-6);
}

Test(live, clicking_a_matrix_row_goes_to_that_step) {
    app->st.tau = viz_tau_at(&app->trace, 5, PH_CONTEXT) + 0.9;
    app->stop_at = 0;
    app_draw(app);
    float x = -1, y = -1;
    for (int i = 0; i < app->dl.n; i++) {
        const DlCmd *c = &app->dl.cmds[i];
        if (c->tag == VIZ_TAG_ALIGN_CELL && c->a == 1 && c->b == 2) { x = c->x + c->w / 2; y = c->y + c->h / 2; }
    }
    cr_assert_geq(x, 0, "row 2 is drawn");
    click(x, y);
    int t, p;
    float pr;
    viz_clock(&app->trace, app->st.tau, &t, &p, &pr);
    cr_assert(t == 1 && p == PH_CONTEXT, "step %d phase %d", t + 1, p);
}

/* The real loop: events queued in SDL are handled in order, then Esc quits. */
Test(live, the_loop_handles_queued_events_and_quits) {
    app->st.tau = 0;
    app->stop_at = 0;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = SDLK_DOWN;           /* step 2, encoder: animates for a while */
    cr_assert_eq(SDL_PushEvent(&e), 1, "%s", SDL_GetError());
    e.key.keysym.sym = SDLK_RIGHT;          /* step 2, query */
    SDL_PushEvent(&e);
    e.key.keysym.sym = SDLK_ESCAPE;
    SDL_PushEvent(&e);
    app_run(app);
    cr_assert(app->quit);
    int t, p;
    float pr;
    viz_clock(&app->trace, app->st.tau, &t, &p, &pr);
    cr_assert(t == 1 && p == PH_QUERY, "step %d phase %d", t + 1, p);
}
