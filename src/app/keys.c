/* keys.c — every key of the app in one table: where it works, its line in the ? overlay, and the function it calls.
 *
 * Order matters twice: the overlay lists the lines in table order, and a
 * key goes to the first entry that takes it, so a lesson's Ctrl+- (the
 * narration) comes before the view's - (the speed). A key binding with
 * modifiers 0 takes the key with any modifiers, as the view always did.
 */
#include "keys.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- what the keys do ---- */

static void k_play(App *a, int arg) { (void)arg; view_play_pause(a); }
static void k_phase(App *a, int dir) { view_step_phase(a, dir); }
static void k_step(App *a, int dir) {
    long k = view_phase_index(a), n = app_step_phases(a);
    view_goto_phase(a, (k / n + dir) * n + k % n);
}
static void k_first(App *a, int arg) { (void)arg; view_goto_phase(a, 0); }
static void k_last(App *a, int arg) { (void)arg; view_end(a); }
static void k_speed(App *a, int dir) {
    a->view.speed = dir > 0 ? fminf(a->view.speed * 1.5f, 8) : fmaxf(a->view.speed / 1.5f, 0.25f);
}
/* 1–6: the score; in compare, the other side's */
static void k_score(App *a, int score) {
    if (a->cmp.mode == CMP_SCORE) app_compare_score(a, (ScoreKind)score);
    else app_switch_score(a, (ScoreKind)score);
}
static void k_type(App *a, int arg) { (void)arg; editor_open(a, 0); }
static void k_example(App *a, int arg) { (void)arg; app_next_example(a); }
static void k_forcing(App *a, int arg) { (void)arg; app_set_forcing(a, !a->session.tf_on, a->session.tf_p); }
static void k_forcing_p(App *a, int dir) {
    if (a->session.tf_on) app_set_forcing(a, true, dir > 0 ? a->session.tf_p + 0.1f : a->session.tf_p - 0.1f);
}
static void k_compare(App *a, int mode) { app_compare(a, (CompareMode)mode); }
static void k_compare_next(App *a, int arg) { (void)arg; app_compare_next(a); }
static void k_menu(App *a, int arg) { (void)arg; menu_open(a); }
static void k_record(App *a, int arg) { (void)arg; app_record_key(a); }
static void k_backward(App *a, int arg) { (void)arg; app_toggle_backward(a); }
static void k_lr(App *a, int dir) { app_step_lr(a, dir); }
static void k_theme(App *a, int arg) { (void)arg; a->ui.dark = !a->ui.dark; }
static void k_full(App *a, int arg) { (void)arg; app_toggle_fullscreen(a); }
static void k_help(App *a, int arg) { (void)arg; a->view.help = !a->view.help; }
static void k_shaders(App *a, int arg) {   /* a failed compile keeps the old program */
    (void)arg;
    char err[GFX_ERR_CAP];
    if (gfx_reload(&a->w.gfx, err) != 0) { fprintf(stderr, "attnviz: %s\n", err); app_say(a, err); }
}
static void k_export(App *a, int arg) { (void)arg; app_export(a); }
static void k_vocab(App *a, int arg) { (void)arg; vocab_open(a); }
/* Q, or the window's close button: the only ways out. */
static void k_quit(App *a, int arg) { (void)arg; a->w.quit = true; }
/* Esc closes the first thing open; in the view it never quits. */
static void k_close(App *a, int arg) {
    (void)arg;
    if (!app_close_one(a)) app_say(a, app_str(a, UI_M_NOTHING_OPEN));
}
/* Esc in a lesson: close what is open, else back to the lessons. */
static void k_back(App *a, int arg) {
    (void)arg;
    if (!app_close_one(a)) lesson_mode_back(a);
}
/* Esc in the picker: the help first, then quit. */
static void k_picker_esc(App *a, int arg) {
    (void)arg;
    if (!app_close_one(a)) a->w.quit = true;
}
static void k_slide(App *a, int dir) { lesson_mode_next_slide(a, dir); }
static void k_zoom(App *a, int dir) { app_zoom(a, dir); }
static void k_present(App *a, int arg) { (void)arg; app_toggle_present(a); }
static void k_slide_again(App *a, int arg) { (void)arg; lesson_mode_slide_again(a); }
static void k_pick(App *a, int dir) { picker_mode_move(a, a->lesson.sel + dir); }
static void k_pick_end(App *a, int last) { picker_mode_move(a, last ? a->lesson.n_entries - 1 : 0); }
static void k_pick_open(App *a, int arg) { (void)arg; picker_mode_open_selected(a); }
static void k_pick_lang(App *a, int arg) { (void)arg; picker_mode_switch_language(a); }
static void k_learn(App *a, int arg) { (void)arg; train_like_view(a); }
/* Esc in a decoding opened from the training: close what is open, else back to the training. */
static void k_back_train(App *a, int arg) {
    (void)arg;
    if (!app_close_one(a)) train_back_from_view(a);
}
/* the training mode (mode_train.c), and the same keys in the lab (mode_lab.c) */
static void k_train_play(App *a, int arg) {
    (void)arg;
    if (lab_shown(a)) lab_key_play(a);
    else train_key_play(a);
}
static void k_train_step(App *a, int arg) {
    (void)arg;
    if (lab_shown(a)) lab_key_step(a);
    else train_key_step(a);
}
static void k_train_speed(App *a, int dir) {
    if (lab_shown(a)) lab_key_speed(a, dir);
    else train_key_speed(a, dir);
}
static void k_train_film(App *a, int to) { train_key_film(a, to); }
static void k_train_open(App *a, int arg) { (void)arg; train_key_open(a); }
static void k_train_save(App *a, int arg) { (void)arg; train_key_save(a); }
static void k_train_restart(App *a, int arg) {
    (void)arg;
    if (lab_shown(a)) lab_key_restart(a);
    else train_key_restart(a);
}
static void k_train_probe(App *a, int arg) { (void)arg; editor_open(a, 0); }
static void k_train_example(App *a, int arg) { (void)arg; train_key_example(a); }
/* Esc in the training: the help, then presentation mode, else back to the decoding it came from; it never quits. */
static void k_train_back(App *a, int arg) {
    (void)arg;
    if (a->view.help) a->view.help = false;
    else if (a->ui.present) app_toggle_present(a);
    else train_key_back(a);
}

/* the mechanism lab (mode_lab.c) */
static void k_lab(App *a, int arg) { (void)arg; lab_from_training(a); }
static void k_lab_axis(App *a, int axis) { lab_key_axis(a, axis); }
static void k_lab_back(App *a, int arg) { (void)arg; lab_key_back(a); }

/* ---- the table ---- */

/* A decoding opened from the training is a decoding (V) whose Esc goes
 * back; a lesson's training or lab slide has the slide keys of a slide without a
 * decoding (S) and the training's (T). */
enum { V = KEYS_VIEW | KEYS_SNAP, L = KEYS_LESSON, S = KEYS_STILL | KEYS_LTRAIN | KEYS_LLAB, M = KEYS_MESSAGE,
       P = KEYS_PICKER, T = KEYS_TRAIN | KEYS_LTRAIN, B = KEYS_LAB | KEYS_LLAB };

const KeyEntry KEYS[] = {
    /* the picker's own keys */
    {P, "↑  ↓", UI_H_PICK_MOVE, {{SDLK_UP, 0, k_pick, -1}, {SDLK_DOWN, 0, k_pick, +1}}},
    {P, "Home  End", UI_H_PICK_ENDS, {{SDLK_HOME, 0, k_pick_end, 0}, {SDLK_END, 0, k_pick_end, 1}}},
    {P, "Enter", UI_H_PICK_OPEN, {{SDLK_RETURN, 0, k_pick_open, 0}, {SDLK_KP_ENTER, 0, k_pick_open, 0}}},
    {P, "L", UI_H_PICK_LANG, {{SDLK_l, 0, k_pick_lang, 0}}},
    {P, NULL, UI_H_PICK_MOUSE, {{0}}},   /* the wheel and a click: mode_lesson.c */
    /* a lesson's own keys come first: they win over the view's */
    {L | S, "PgDn  PgUp", UI_H_SLIDE, {{SDLK_PAGEDOWN, 0, k_slide, +1}, {SDLK_PAGEUP, 0, k_slide, -1}}},
    {L, "Backspace", UI_H_SLIDE_BACK, {{SDLK_BACKSPACE, 0, k_slide_again, 0}}},
    {L | S | M, "Esc", UI_H_BACK, {{SDLK_ESCAPE, 0, k_back, 0}}},
    /* the decoding, alone or in a lesson */
    {V | L, "Space", UI_H_PLAY, {{SDLK_SPACE, 0, k_play, 0}}},
    {V | L, "→  ←", UI_H_PHASE, {{SDLK_RIGHT, 0, k_phase, +1}, {SDLK_LEFT, 0, k_phase, -1}}},
    {V | L, "↓  ↑", UI_H_STEP, {{SDLK_DOWN, 0, k_step, +1}, {SDLK_UP, 0, k_step, -1}}},
    {V | L, "Home  End", UI_H_FIRST_LAST, {{SDLK_HOME, 0, k_first, 0}, {SDLK_END, 0, k_last, 0}}},
    /* before the speed's - and +, which take any modifiers */
    {V | L | S | T, "Ctrl+=  Ctrl+-  Ctrl+0", UI_H_ZOOM,
     {{SDLK_EQUALS, KMOD_CTRL, k_zoom, +1}, {SDLK_PLUS, KMOD_CTRL, k_zoom, +1}, {SDLK_KP_PLUS, KMOD_CTRL, k_zoom, +1},
      {SDLK_MINUS, KMOD_CTRL, k_zoom, -1}, {SDLK_KP_MINUS, KMOD_CTRL, k_zoom, -1}, {SDLK_0, KMOD_CTRL, k_zoom, 0}}},
    /* US layout by key code (text input is off outside the fields): Shift+= is + */
    {V | L, "+  -", UI_H_SPEED,
     {{SDLK_EQUALS, KMOD_SHIFT, k_speed, +1}, {SDLK_PLUS, 0, k_speed, +1}, {SDLK_KP_PLUS, 0, k_speed, +1},
      {SDLK_MINUS, 0, k_speed, -1}, {SDLK_KP_MINUS, 0, k_speed, -1}}},
    {V | L, "1 … 6", UI_H_SCORE,
     {{SDLK_1, 0, k_score, SCORE_NONE}, {SDLK_2, 0, k_score, SCORE_DOT}, {SDLK_3, 0, k_score, SCORE_GENERAL},
      {SDLK_4, 0, k_score, SCORE_CONCAT}, {SDLK_5, 0, k_score, SCORE_ADDITIVE}, {SDLK_6, 0, k_score, SCORE_SCALED_DOT}}},
    {V | L, "Enter", UI_H_ENTER, {{SDLK_RETURN, 0, k_type, 0}, {SDLK_KP_ENTER, 0, k_type, 0}}},
    {V | L, "Tab", UI_H_TAB, {{SDLK_TAB, 0, k_example, 0}}},
    {V | L, "T   [  ]", UI_H_TF,
     {{SDLK_t, 0, k_forcing, 0}, {SDLK_LEFTBRACKET, 0, k_forcing_p, -1}, {SDLK_RIGHTBRACKET, 0, k_forcing_p, +1}}},
    {V | L, "C  Shift+C", UI_H_CMP, {{SDLK_c, KMOD_SHIFT, k_compare_next, 0}, {SDLK_c, 0, k_compare, CMP_SCORE}}},
    {V | L, "V", UI_H_FREE, {{SDLK_v, 0, k_compare, CMP_FORCING}}},
    {V | L, "B", UI_H_BACKWARD, {{SDLK_b, 0, k_backward, 0}}},
    {V | L, ",  .", UI_H_LR, {{SDLK_COMMA, 0, k_lr, -1}, {SDLK_PERIOD, 0, k_lr, +1}}},
    {V | L, "K", UI_H_VOCAB, {{SDLK_k, 0, k_vocab, 0}}},
    {V | L, "M", UI_H_MODELS, {{SDLK_m, 0, k_menu, 0}}},
    /* before any plain E: a binding with no modifiers takes Shift+E too */
    {V | L, "Shift+E", UI_H_RECORD, {{SDLK_e, KMOD_SHIFT, k_record, 0}}},
    {V | L, "E", UI_H_EXPORT, {{SDLK_e, 0, k_export, 0}}},
    /* the training */
    {T | B, "Space", UI_H_TRAIN_PLAY, {{SDLK_SPACE, 0, k_train_play, 0}}},
    {T | B, ".", UI_H_TRAIN_STEP, {{SDLK_PERIOD, 0, k_train_step, 0}, {SDLK_KP_PERIOD, 0, k_train_step, 0}}},
    {T | B, "+  -", UI_H_TRAIN_SPEED,
     {{SDLK_EQUALS, KMOD_SHIFT, k_train_speed, +1}, {SDLK_PLUS, 0, k_train_speed, +1},
      {SDLK_KP_PLUS, 0, k_train_speed, +1}, {SDLK_MINUS, 0, k_train_speed, -1}, {SDLK_KP_MINUS, 0, k_train_speed, -1}}},
    {T, "←  →", UI_H_TRAIN_FILM, {{SDLK_LEFT, 0, k_train_film, -1}, {SDLK_RIGHT, 0, k_train_film, +1}}},
    {T, "Home  End", UI_H_TRAIN_ENDS, {{SDLK_HOME, 0, k_train_film, INT_MIN}, {SDLK_END, 0, k_train_film, INT_MAX}}},
    {T, "Enter", UI_H_TRAIN_OPEN, {{SDLK_RETURN, 0, k_train_open, 0}, {SDLK_KP_ENTER, 0, k_train_open, 0}}},
    {T, "S", UI_H_TRAIN_SAVE, {{SDLK_s, 0, k_train_save, 0}}},
    {T | B, "R", UI_H_TRAIN_RESTART, {{SDLK_r, 0, k_train_restart, 0}}},
    {T, "P", UI_H_TRAIN_PROBE, {{SDLK_p, 0, k_train_probe, 0}}},
    {T, "Tab", UI_H_TRAIN_EXAMPLE, {{SDLK_TAB, 0, k_train_example, 0}}},
    {KEYS_TRAIN, "L", UI_H_LAB_OPEN, {{SDLK_l, 0, k_lab, 0}}},
    {KEYS_LAB, "1  2  3", UI_H_LAB_AXIS, {{SDLK_1, 0, k_lab_axis, 0}, {SDLK_2, 0, k_lab_axis, 1}, {SDLK_3, 0, k_lab_axis, 2}}},
    {KEYS_ALL, "D", UI_H_THEME, {{SDLK_d, 0, k_theme, 0}}},
    {KEYS_ALL, "F", UI_H_FULL, {{SDLK_f, 0, k_full, 0}}},
    {V | L | S | T, "F5  F11", UI_H_PRESENT, {{SDLK_F5, 0, k_present, 0}, {SDLK_F11, 0, k_present, 0}}},
    {V | L, "R", UI_H_SHADERS, {{SDLK_r, 0, k_shaders, 0}}},
    {V | L, NULL, UI_H_MOUSE, {{0}}},   /* hover, the timeline, a row, the toolbar: mode_view.c */
    {T, NULL, UI_H_TRAIN_MOUSE, {{0}}},   /* a thumbnail, the timeline: mode_train.c */
    {KEYS_ALL, "?", UI_H_HELP, {{SDLK_SLASH, KMOD_SHIFT, k_help, 0}, {SDLK_QUESTION, 0, k_help, 0}}},
    {KEYS_VIEW, "L", UI_H_LEARN, {{SDLK_l, 0, k_learn, 0}}},
    {KEYS_SNAP, "Esc", UI_H_BACK_TRAIN, {{SDLK_ESCAPE, 0, k_back_train, 0}}},
    {KEYS_VIEW, "Esc", UI_H_CLOSE, {{SDLK_ESCAPE, 0, k_close, 0}}},
    {KEYS_TRAIN, "Esc", UI_H_TRAIN_BACK, {{SDLK_ESCAPE, 0, k_train_back, 0}}},
    {KEYS_LAB, "Esc", UI_H_LAB_BACK, {{SDLK_ESCAPE, 0, k_lab_back, 0}}},
    {P, "Esc", UI_H_QUIT, {{SDLK_ESCAPE, 0, k_picker_esc, 0}}},
    {KEYS_ALL, "Q", UI_H_QUIT, {{SDLK_q, 0, k_quit, 0}}},
};
const int N_KEYS = (int)(sizeof KEYS / sizeof *KEYS);

KeyContext app_key_context(const App *a) {
    switch (a->mode) {
    case MODE_PICKER: return KEYS_PICKER;
    case MODE_TRAIN: return KEYS_TRAIN;
    case MODE_LAB: return KEYS_LAB;
    case MODE_LESSON:
        if (!a->lesson.loaded) return KEYS_MESSAGE;
        if (app_training(a)) return KEYS_LTRAIN;
        if (app_lab_slide(a)) return KEYS_LLAB;
        return lesson_mode_still(a) ? KEYS_STILL : KEYS_LESSON;
    case MODE_VIEW: break;
    }
    if (!a->session.have_trace) return KEYS_MESSAGE;
    return a->train.snapshot && a->train.run ? KEYS_SNAP : KEYS_VIEW;
}

/* Every modifier the binding names is held (either side). */
static bool mods_held(Uint16 want, Uint16 held) {
    static const Uint16 GROUPS[] = {KMOD_CTRL, KMOD_SHIFT, KMOD_ALT, KMOD_GUI};
    for (int i = 0; i < 4; i++)
        if ((want & GROUPS[i]) && !(held & GROUPS[i])) return false;
    return true;
}

const KeyEntry *keys_find(KeyContext ctx, SDL_Keycode sym, Uint16 mod, const KeyBind **bind) {
    for (int i = 0; i < N_KEYS; i++) {
        if (!(KEYS[i].where & ctx)) continue;
        for (int j = 0; j < KEY_BINDS && KEYS[i].keys[j].sym; j++) {
            const KeyBind *b = &KEYS[i].keys[j];
            if (b->sym == sym && mods_held(b->mod, mod)) {
                if (bind) *bind = b;
                return &KEYS[i];
            }
        }
    }
    return NULL;
}

bool keys_dispatch(App *a, KeyContext ctx, const SDL_KeyboardEvent *k) {
    const KeyBind *b;
    if (!keys_find(ctx, k->keysym.sym, k->keysym.mod, &b)) return false;
    b->fn(a, b->arg);
    a->w.dirty = true;
    return true;
}

/* ---- the overlay's lines ---- */

enum { N_CONTEXTS = 10, MAX_LINES = 40 };

static int context_index(KeyContext ctx) {
    int i = 0;
    while (i < N_CONTEXTS - 1 && !((unsigned)ctx & 1u << i)) i++;
    return i;
}

typedef struct {
    bool built;
    int n;
    VizHelpLine lines[MAX_LINES];
} HelpCache;

const VizHelpLine *keys_help(KeyContext ctx, const char *lang, int *n) {
    static HelpCache cache[N_CONTEXTS][2];   /* English, Korean */
    bool ko = lang && strcmp(lang, "ko") == 0;
    HelpCache *c = &cache[context_index(ctx)][ko];
    for (int i = 0; i < N_KEYS && !c->built && c->n < MAX_LINES; i++) {
        const KeyEntry *k = &KEYS[i];
        if (!(k->where & ctx)) continue;
        const char *l = ko ? "ko" : "en";
        c->lines[c->n++] = (VizHelpLine){k->name ? k->name : ui_str(l, UI_K_MOUSE),
                                         ui_str(l, k->what)};
    }
    c->built = true;
    *n = c->n;
    return c->lines;
}
