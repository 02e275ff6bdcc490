/* test_keys.c — the one table of keys (src/app/keys.c) against the app a user drives.
 *
 * In each context (a decoding, a lesson slide with one, a slide without
 * one, a lesson that fails to load, the picker, the training, a decoding
 * opened from the training, a lesson's training slide, the mechanism lab) every key on the keyboard,
 * alone and with Shift, Ctrl or Alt, is pressed in the real app: a key the
 * table does not list must change nothing (no frame, no flag), and a key it
 * lists must do something (but for the few named below that need a state
 * first) — pressed where the key before left the App when that is the same
 * context at rest with nothing in the way (at_rest_in), else, and whenever
 * it does nothing there, from a fresh start. The ? overlay must show
 * exactly the table's lines, in today's order. A key handled outside the
 * table, or listed without a handler, turns this red. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/keys.h"
#include "viz/lesson_note.h"
#include "events.h"
#include "models.h"

static App *app;
enum { N_KEYS_MAX_README = 64 };
enum { W = 1280, H = 720 };
static char dir[] = "/tmp/attnviz-keys-XXXXXX";
static char lesson_path[300], bad_path[300];

/* Five slides: two decodings, a chart whose data is not in the models
 * folder (a slide without a decoding), a training slide, a decoding. */
static const char LESSON[] = "# Keys\n\ntask: reverse\nlevel: beginner\nminutes: 5\n\n"
                             "## One\nmodel: reverse-general\ninput: abcdef\nphase: softmax\n\nOne.\n\n"
                             "## Two\nstep: 2\nphase: context\n\nTwo.\n\n"
                             "## Three\nchart: copy-by-length\n\nThree.\n\n"
                             "## Train\nmode: train\nsteps: 0\nprobe: abcd\n\nTrain.\n\n"
                             "## Four\nmodel: reverse-general\ninput: abc\nphase: encoder\n\nFour.\n";
static const char BAD[] = "# Broken\n\ntask: reverse\nlevel: beginner\nminutes: 5\n\n## One\nmodel: reverse-general\n"
                          "input: abc\nphase: softmx\n\nText.\n";

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fputs(text, f) >= 0 && fclose(f) == 0, 1);
}

static void setup(void) {
    char err[AV_ERR_LEN];
    cr_assert_not_null(mkdtemp(dir));
    save_random_model(dir, SCORE_GENERAL, err);
    save_random_model(dir, SCORE_DOT, err);
    snprintf(lesson_path, sizeof lesson_path, "%s/01-keys.md", dir);
    snprintf(bad_path, sizeof bad_path, "%s/02-broken.md", dir);
    write_file(lesson_path, LESSON);
    write_file(bad_path, BAD);
    setenv("ATTNVIZ_MODELS", dir, 1);
    setenv("XDG_PICTURES_DIR", dir, 1);   /* where E and Shift+E would write */
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    cr_assert_eq(app_init_gfx(app, W, H, true, err), 0, "%s", err);
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
    remove_folder(dir);
}

TestSuite(keys, .init = setup, .fini = teardown, .timeout = 1800);   /* 9 contexts, every key (a lab makes 4 models): minutes under the sanitizers on a busy machine */

static const KeyContext CONTEXTS[] = {KEYS_VIEW,  KEYS_LESSON, KEYS_STILL, KEYS_MESSAGE, KEYS_PICKER,
                                     KEYS_TRAIN, KEYS_SNAP,   KEYS_LTRAIN, KEYS_LAB};
static const char *const CONTEXT_NAME[] = {"view",     "lesson",   "still slide",    "message", "picker",
                                           "training", "snapshot", "training slide", "lab"};
enum { N_CONTEXTS = sizeof CONTEXTS / sizeof *CONTEXTS };

/* The App as a fresh start would have it, window kept. */
static void fresh(void) {
    app_record_abort(app);   /* Shift+E: a recording in progress takes every key */
    lab_close(app);
    train_close(app);
    app_close_lesson(app);
    app_close_picker(app);
    app_session_free(app);
    if (app->editor.open) editor_close(app);
    if (SDL_GetWindowFlags(app->w.win) & SDL_WINDOW_FULLSCREEN_DESKTOP) SDL_SetWindowFullscreen(app->w.win, 0);
    app->mode = MODE_VIEW;
    app->w.quit = false;
    app->view = (AppView){.speed = 1};
    app->session = (AppSession){.seed = 1, .tf_p = 0.5f};
    app->cmp = (AppCompare){.mode = CMP_OFF};
    memset(&app->menu, 0, sizeof app->menu);
    memset(&app->editor, 0, sizeof app->editor);
    memset(&app->lesson, 0, sizeof app->lesson);
    app->ui = (AppUi){.lang = "en", .zoom = 1};
    memset(&app->train, 0, sizeof app->train);
    memset(&app->lab, 0, sizeof app->lab);
}

/* The lab's updates until it is made, and, when it is paused, until
 * every run has taken what it was given. */
static void settle_lab(void) {
    for (int k = 0; k < 60000 && lab_loading(app); k++) {
        app_update(app, 0.02);
        SDL_Delay(1);
    }
    cr_assert_not(lab_loading(app), "the lab is never made");
    Uint64 t0 = SDL_GetTicks64();   /* a chunk of steps under the sanitizers on a busy machine: seconds */
    while (!app->lab.playing && lab_busy(app) && SDL_GetTicks64() - t0 < 120000) {
        for (int i = 0; i < app->lab.n; i++) cr_assert(run_wait_idle(app->lab.run[i], 60), "a lab run hangs");
        app_update(app, 0.02);
        SDL_Delay(2);
    }
    cr_assert(app->lab.playing || !lab_busy(app), "the lab does not come to rest");
}

static void start_training(void) { start_small_training(app, false); }

/* The App in context i, with room to move every way (a middle step, slide
 * and picker row). */
static void enter(int i) {
    char err[AV_ERR_LEN], path[400];
    fresh();
    switch (CONTEXTS[i]) {
    case KEYS_VIEW:
        snprintf(path, sizeof path, "%s/reverse-general.safetensors", dir);
        cr_assert_eq(app_decode(app, path, "abcdef", NULL, false, err), 0, "%s", err);
        app->view.tau = viz_tau_at(&app->session.trace, 2, PH_SOFTMAX) + 0.5;
        break;
    case KEYS_LESSON:
    case KEYS_STILL:
        cr_assert_eq(app_open_lesson(app, lesson_path, err), 0, "%s", err);
        app_enter_slide(app, CONTEXTS[i] == KEYS_LESSON ? 1 : 2, false);
        break;
    case KEYS_MESSAGE: cr_assert_neq(app_open_lesson(app, bad_path, err), 0); break;
    case KEYS_PICKER:
        cr_assert_eq(app_open_picker(app, "lessons", err), 0, "%s", err);
        app->lesson.sel = 1;
        break;
    case KEYS_TRAIN:
    case KEYS_SNAP:
        snprintf(path, sizeof path, "%s/reverse-general.safetensors", dir);
        cr_assert_eq(app_decode(app, path, "abcdef", NULL, false, err), 0, "%s", err);
        start_training();
        if (CONTEXTS[i] == KEYS_SNAP) {   /* Enter: the weights on screen, decoded; stopped mid-way */
            train_key_open(app);
            cr_assert_eq(app->mode, MODE_VIEW, "%s", app->ui.message);
            app->view.playing = false;
            app->view.tau = viz_tau_end(&app->session.trace) / 2;
        }
        break;
    case KEYS_LAB:   /* L in the training; paused where it got to */
        snprintf(path, sizeof path, "%s/reverse-general.safetensors", dir);
        cr_assert_eq(app_decode(app, path, "abcdef", NULL, false, err), 0, "%s", err);
        start_training();
        send_key(app, SDLK_l, 0);
        settle_lab();
        app->lab.playing = false;
        settle_lab();
        break;
    case KEYS_LTRAIN:
        cr_assert_eq(app_open_lesson(app, lesson_path, err), 0, "%s", err);
        app_enter_slide(app, 3, false);
        cr_assert_eq(app->lesson.slide_err[0], 0, "%s", app->lesson.slide_err);
        break;
    default: cr_assert_fail("no such context");
    }
    cr_assert_eq(app_key_context(app), CONTEXTS[i], "not in the %s context", CONTEXT_NAME[i]);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ ((const unsigned char *)p)[i]) * 1099511628211u;
    return h;
}
#define MIX(h, x) fnv((h), &(x), sizeof(x))

/* Everything a key could change: the frame (every command, every string)
 * and the App's flags, after the clock has run out. */
static uint64_t fingerprint(void) {
    if (app->train.run && run_shared(app->train.run).state != RUN_TRAINING)
        cr_assert(run_wait_idle(app->train.run, 60), "the training does not come to rest");
    if (app->mode == MODE_LAB) settle_lab();
    app_update(app, 60);
    app_build_frame(app, W, H);
    const DrawList *dl = &app->w.dl;
    uint64_t h = 14695981039346656037u;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        h = MIX(h, c->kind), h = MIX(h, c->color), h = MIX(h, c->x), h = MIX(h, c->y), h = MIX(h, c->w), h = MIX(h, c->h);
        h = MIX(h, c->tag), h = MIX(h, c->a), h = MIX(h, c->b);
        if (c->kind == DL_TEXT) h = fnv(h, dl_str(dl, c), strlen(dl_str(dl, c)));
    }
    Uint32 full = SDL_GetWindowFlags(app->w.win) & SDL_WINDOW_FULLSCREEN_DESKTOP;
    h = MIX(h, full), h = MIX(h, app->w.quit), h = MIX(h, app->mode);
    h = MIX(h, app->view.tau), h = MIX(h, app->view.playing), h = MIX(h, app->view.speed), h = MIX(h, app->view.help);
    h = MIX(h, app->ui.dark), h = MIX(h, app->editor.open), h = MIX(h, app->menu.open), h = MIX(h, app->cmp.mode);
    h = MIX(h, app->lesson.slide), h = MIX(h, app->ui.zoom), h = MIX(h, app->ui.present), h = MIX(h, app->lesson.sel);
    h = fnv(h, app->ui.lang, strlen(app->ui.lang));
    h = fnv(h, app->ui.message, strlen(app->ui.message));
    h = fnv(h, app->session.input, strlen(app->session.input));
    if (app->train.run) {
        RunShared c = run_shared(app->train.run);
        h = MIX(h, c.state), h = MIX(h, c.speed), h = MIX(h, c.steps), h = MIX(h, app->train.film_sel);
        h = MIX(h, app->train.snapshot), h = MIX(h, app->train.speed);
    }
    if (app->lab.n) {   /* a lab training on has no fixed step */
        AppLab *l = &app->lab;
        long k = l->playing ? -1 : lab_steps(app);
        h = MIX(h, l->n), h = MIX(h, l->axis), h = MIX(h, l->playing), h = MIX(h, l->speed), h = MIX(h, k);
    }
    return h;
}

/* The keyboard: letters, digits, punctuation, editing and moving keys,
 * function keys and the keypad. */
static int keyboard(SDL_Keycode *out) {
    int n = 0;
    for (SDL_Keycode k = SDLK_a; k <= SDLK_z; k++) out[n++] = k;
    for (SDL_Keycode k = SDLK_0; k <= SDLK_9; k++) out[n++] = k;
    static const SDL_Keycode MORE[] = {
        SDLK_SPACE, SDLK_MINUS, SDLK_EQUALS, SDLK_PLUS, SDLK_LEFTBRACKET, SDLK_RIGHTBRACKET, SDLK_BACKSLASH,
        SDLK_SEMICOLON, SDLK_QUOTE, SDLK_COMMA, SDLK_PERIOD, SDLK_SLASH, SDLK_QUESTION, SDLK_BACKQUOTE,
        SDLK_RETURN, SDLK_ESCAPE, SDLK_BACKSPACE, SDLK_TAB, SDLK_DELETE, SDLK_INSERT, SDLK_HOME, SDLK_END,
        SDLK_PAGEUP, SDLK_PAGEDOWN, SDLK_RIGHT, SDLK_LEFT, SDLK_DOWN, SDLK_UP, SDLK_F1, SDLK_F2, SDLK_F3,
        SDLK_F4, SDLK_F5, SDLK_F6, SDLK_F7, SDLK_F8, SDLK_F9, SDLK_F10, SDLK_F11, SDLK_F12, SDLK_KP_0, SDLK_KP_1,
        SDLK_KP_2, SDLK_KP_3, SDLK_KP_4, SDLK_KP_5, SDLK_KP_6, SDLK_KP_7, SDLK_KP_8, SDLK_KP_9, SDLK_KP_PLUS, SDLK_KP_MINUS, SDLK_KP_MULTIPLY, SDLK_KP_DIVIDE, SDLK_KP_ENTER,
        SDLK_KP_PERIOD, SDLK_PRINTSCREEN, SDLK_PAUSE};
    for (size_t i = 0; i < sizeof MORE / sizeof *MORE; i++) out[n++] = MORE[i];
    return n;
}
static const Uint16 MODS[] = {0, KMOD_LSHIFT, KMOD_LCTRL, KMOD_LALT};
static const char *const MOD_NAME[] = {"", "Shift+", "Ctrl+", "Alt+"};

/* A listed key that may do nothing in the state enter() makes: [ ] move
 * teacher forcing's p only while it is on; R reloads the shaders (the same
 * picture when they compile); 3 is the score already on screen (general);
 * Ctrl+0 puts back the zoom, which is 1 already; Backspace in a lesson goes
 * back to the slide's own input, which is on screen already. */
static bool may_rest(KeyContext ctx, const KeyBind *b) {
    if (b->sym == SDLK_0 && (b->mod & KMOD_CTRL)) return true;
    if (ctx == KEYS_LESSON && b->sym == SDLK_BACKSPACE) return true;
    /* the training at step 0 on its latest weights: R starts it again where
     * it is, End and → go to the latest weights, where it is */
    if (ctx & (KEYS_TRAIN | KEYS_LTRAIN))
        return b->sym == SDLK_r || b->sym == SDLK_END || b->sym == SDLK_RIGHT;
    /* the lab: R at step 0; + at full speed already */
    if (ctx == KEYS_LAB)
        return b->sym == SDLK_r || (b->arg == +1 && (b->sym == SDLK_EQUALS || b->sym == SDLK_PLUS || b->sym == SDLK_KP_PLUS));
    if (!(ctx & (KEYS_VIEW | KEYS_LESSON | KEYS_SNAP))) return false;
    return b->sym == SDLK_LEFTBRACKET || b->sym == SDLK_RIGHTBRACKET || b->sym == SDLK_r || b->sym == SDLK_3;
}

Test(keys, a_key_the_table_does_not_list_does_nothing) {
    SDL_Keycode keys[200];
    int nk = keyboard(keys);
    for (int c = 0; c < N_CONTEXTS; c++) {
        enter(c);
        uint64_t before = fingerprint();
        int tried = 0;
        for (int i = 0; i < nk; i++)
            for (size_t m = 0; m < sizeof MODS / sizeof *MODS; m++) {
                if (keys_find(CONTEXTS[c], keys[i], MODS[m], NULL)) continue;   /* listed: the next test */
                send_key(app, keys[i], MODS[m]);
                cr_assert_eq(fingerprint(), before, "%s: %s'%s' does something but the key table does not list it",
                             CONTEXT_NAME[c], MOD_NAME[m], SDL_GetKeyName(keys[i]));
                tried++;
            }
        cr_assert_gt(tried, 150, "%s: only %d unlisted keys tried", CONTEXT_NAME[c], tried);
        cr_log_info("%s: %d unlisted keys change nothing", CONTEXT_NAME[c], tried);
    }
}

/* What would stand between the next key and its handler, put away as the
 * user would put it away: the message (any key clears it first), the
 * overlays that take the keys (editor, menu, vocabulary), the help and
 * presentation mode (Esc closes them before anything else), a recording
 * (it takes every key), Q's quit, and a training or a lab running (their
 * steps would move the frame): paused, as Space pauses them. */
static void put_away(void) {
    if (app->ui.message[0]) app_say(app, "");
    if (app->editor.open) editor_close(app);
    if (app->vocab.open) vocab_close(app);
    app->menu.open = false;
    app->view.help = false;
    if (app->ui.present) app_toggle_present(app);
    if (app->rec.on) app_record_abort(app);
    app->w.quit = false;
    if (app->train.run && run_shared(app->train.run).state == RUN_TRAINING) run_set_training(app->train.run, false);
    if (app->mode == MODE_LAB) app->lab.playing = false;
}

/* The App is in context c with nothing in the way (put_away) and nothing
 * moving on its own: the same frame and flags twice, the clock run out
 * between them. From there a listed key must change something by itself,
 * as from a fresh start: it is pressed there instead of entering the
 * context again. *last: the fingerprint there. */
static bool at_rest_in(int c, uint64_t *last) {
    if (app_key_context(app) != CONTEXTS[c]) return false;
    put_away();
    if (app_key_context(app) != CONTEXTS[c]) return false;
    *last = fingerprint();
    return fingerprint() == *last;
}

/* Each listed key of context c pressed where the last one left the App
 * when it is at rest there (at_rest_in), else from a fresh start; a key that
 * changes nothing from where the last one left it is pressed again from a
 * fresh start, so a key passes only if it does something from a state in
 * which nothing else can. */
static void press_every_listed_key(int c) {
    int pressed = 0, fresh_starts = 0;
    bool have_last = false;
    uint64_t last = 0;
    for (int e = 0; e < N_KEYS; e++) {
        if (!(KEYS[e].where & CONTEXTS[c])) continue;
        for (int j = 0; j < KEY_BINDS && KEYS[e].keys[j].sym; j++) {
            const KeyBind *b = &KEYS[e].keys[j];
            bool fresh = !have_last || !at_rest_in(c, &last);
            for (;;) {
                if (fresh) {
                    enter(c);
                    fresh_starts++;
                }
                uint64_t before = fresh ? fingerprint() : last;
                send_key(app, b->sym, b->mod);
                last = fingerprint();
                have_last = true;
                if (last != before || may_rest(CONTEXTS[c], b)) break;
                cr_assert(!fresh, "%s: '%s%s' (%s) is listed but does nothing", CONTEXT_NAME[c],
                          b->mod & KMOD_CTRL ? "Ctrl+" : b->mod & KMOD_SHIFT ? "Shift+" : "", SDL_GetKeyName(b->sym),
                          KEYS[e].name);
                fresh = true;   /* nothing from where the last key left it: from a fresh start */
            }
            pressed++;
        }
    }
    cr_assert_gt(pressed, 0, "%s: no key", CONTEXT_NAME[c]);
    cr_log_info("%s: %d listed keys pressed, %d fresh starts", CONTEXT_NAME[c], pressed, fresh_starts);
}

Test(keys, a_key_the_table_lists_does_something) {
    for (int c = 0; c < N_CONTEXTS; c++) press_every_listed_key(c);
}

Test(keys, every_line_has_its_keys_and_every_key_its_line) {
    for (int e = 0; e < N_KEYS; e++) {
        const KeyEntry *k = &KEYS[e];
        cr_assert_neq(k->where, 0u, "entry %d works nowhere", e);
        cr_assert_eq(k->name == NULL, k->keys[0].sym == 0, "entry %d: a line without keys must be the mouse's", e);
        for (int c = 0; c < N_CONTEXTS; c++) {
            if (!(k->where & CONTEXTS[c])) continue;
            /* ? opens the overlay everywhere, and every line has its text */
            cr_assert_not_null(keys_find(CONTEXTS[c], SDLK_QUESTION, 0, NULL), "%s: no ?", CONTEXT_NAME[c]);
            cr_assert(k->what >= 0 && k->what < UI_COUNT && ui_str_en(k->what)[0], "%s: '%s' has no text",
                      CONTEXT_NAME[c], k->name);
            for (int j = 0; j < KEY_BINDS && k->keys[j].sym; j++) {
                const KeyBind *b = &k->keys[j], *found = NULL;
                cr_assert_not_null(b->fn, "'%s': a key without a handler", k->name);
                cr_assert_eq(keys_find(CONTEXTS[c], b->sym, b->mod, &found), k, "%s: '%s' of line '%s' goes elsewhere",
                             CONTEXT_NAME[c], SDL_GetKeyName(b->sym), k->name);
                cr_assert_eq(found, b);
            }
        }
    }
}

/* The overlay's lines as drawn: the key column and the text column. */
static int overlay_lines(const char *lines[][2], int cap) {
    const DrawList *dl = &app->w.dl;
    const char *title = ui_str(app_lang(app), UI_KEYS);
    int n = -1;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->kind != DL_TEXT || c->tag != VIZ_TAG_OVERLAY) continue;
        const char *s = dl_str(dl, c);
        if (n < 0) {
            if (strcmp(s, title) == 0) n = 0;
            continue;
        }
        cr_assert_lt(n / 2, cap);
        lines[n / 2][n % 2] = s;
        n++;
    }
    cr_assert_geq(n, 0, "no overlay drawn");
    cr_assert_eq(n % 2, 0, "an odd text in the overlay: '%s' after '%s'", lines[n / 2][0], n > 1 ? lines[n / 2 - 1][1] : "");
    return n / 2;
}

/* What the overlay lists in English, context by context, in this order. */
static const char *const WANT[N_CONTEXTS][32] = {
    /* view */
    {"Space", "→  ←", "↓  ↑", "Home  End", "Ctrl+=  Ctrl+-  Ctrl+0", "+  -", "1 … 6", "Enter", "Tab", "T   [  ]", "C  Shift+C", "V",
     "B", ",  .", "K", "M", "Shift+E", "E", "D", "F", "F5  F11", "R", "mouse", "?", "L", "Esc", "Q"},
    /* lesson: its own keys, then the view's but for the view's Esc */
    {"PgDn  PgUp", "Backspace", "Esc", "Space", "→  ←", "↓  ↑", "Home  End", "Ctrl+=  Ctrl+-  Ctrl+0", "+  -", "1 … 6", "Enter",
     "Tab", "T   [  ]", "C  Shift+C", "V", "B", ",  .", "K", "M", "Shift+E", "E", "D", "F", "F5  F11", "R", "mouse", "?", "Q"},
    /* still slide */
    {"PgDn  PgUp", "Esc", "Ctrl+=  Ctrl+-  Ctrl+0", "D", "F", "F5  F11", "?", "Q"},
    /* message */
    {"Esc", "D", "F", "?", "Q"},
    /* picker */
    {"↑  ↓", "Home  End", "Enter", "L", "mouse", "D", "F", "?", "Esc", "Q"},
    /* training */
    {"Ctrl+=  Ctrl+-  Ctrl+0", "Space", ".", "+  -", "←  →", "Home  End", "Enter", "S", "R", "P", "Tab", "L", "D", "F",
     "F5  F11", "mouse", "?", "Esc", "Q"},
    /* a decoding opened from the training: the view's but for L, its Esc goes back */
    {"Space", "→  ←", "↓  ↑", "Home  End", "Ctrl+=  Ctrl+-  Ctrl+0", "+  -", "1 … 6", "Enter", "Tab", "T   [  ]", "C  Shift+C", "V",
     "B", ",  .", "K", "M", "Shift+E", "E", "D", "F", "F5  F11", "R", "mouse", "?", "Esc", "Q"},
    /* a lesson's training slide */
    {"PgDn  PgUp", "Esc", "Ctrl+=  Ctrl+-  Ctrl+0", "Space", ".", "+  -", "←  →", "Home  End", "Enter", "S", "R", "P", "Tab",
     "D", "F", "F5  F11", "mouse", "?", "Q"},
    /* the mechanism lab: the training's keys that make sense for several runs */
    {"Space", ".", "+  -", "R", "1  2  3", "D", "F", "?", "Esc", "Q"},
};

Test(keys, the_overlay_shows_the_tables_lines_in_every_context) {
    for (int c = 0; c < N_CONTEXTS; c++)
        for (int ko = 0; ko < 2; ko++) {
            enter(c);
            snprintf(app->ui.lang, sizeof app->ui.lang, "%s", ko ? "ko" : "en");
            send_key(app, SDLK_QUESTION, 0);
            cr_assert(app->view.help, "%s: ? opens the overlay", CONTEXT_NAME[c]);
            app_build_frame(app, W, H);
            const char *drawn[40][2];
            int n = overlay_lines(drawn, 40), want;
            const VizHelpLine *lines = keys_help(CONTEXTS[c], app_lang(app), &want);
            cr_assert_eq(n, want, "%s: %d lines drawn, the table has %d", CONTEXT_NAME[c], n, want);
            for (int i = 0; i < n; i++) {
                cr_assert_str_eq(drawn[i][0], lines[i].key, "%s line %d", CONTEXT_NAME[c], i + 1);
                cr_assert_str_eq(drawn[i][1], lines[i].what, "%s line %d", CONTEXT_NAME[c], i + 1);
                cr_assert(drawn[i][1][0], "%s line %d has no text", CONTEXT_NAME[c], i + 1);
            }
            if (ko) continue;
            int nw = 0;
            while (WANT[c][nw]) nw++;
            cr_assert_eq(n, nw, "%s: %d lines, want %d", CONTEXT_NAME[c], n, nw);
            for (int i = 0; i < n; i++) cr_assert_str_eq(drawn[i][0], WANT[c][i], "%s line %d", CONTEXT_NAME[c], i + 1);
            send_key(app, SDLK_ESCAPE, 0);
            cr_assert(!app->view.help && !app->w.quit, "%s: Esc closes the overlay first", CONTEXT_NAME[c]);
        }
}

/* Esc closes what is open, one thing a press, and never quits the decoding
 * view; Q quits from everywhere. */
Test(keys, esc_closes_and_q_quits) {
    enter(0);
    send_key(app, SDLK_c, 0);
    cr_assert_eq(app->cmp.mode, CMP_SCORE, "%s", app->ui.message);
    send_key(app, SDLK_QUESTION, 0);
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert(!app->view.help && app->cmp.mode == CMP_SCORE, "the help first");
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert(app->cmp.mode == CMP_OFF, "then compare");
    /* presentation mode is left last */
    send_key(app, SDLK_F5, 0);
    cr_assert(app->ui.present);
    send_key(app, SDLK_c, 0);
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert(app->cmp.mode == CMP_OFF && app->ui.present, "compare before presentation");
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert(!app->ui.present, "then presentation");
    for (int i = 0; i < 5; i++) send_key(app, SDLK_ESCAPE, 0);
    cr_assert(!app->w.quit && app->mode == MODE_VIEW && app->session.have_trace, "Esc never quits the view");
    cr_assert(strstr(app->ui.message, "Q"), "it says how to quit: %s", app->ui.message);
    for (int c = 0; c < N_CONTEXTS; c++) {
        enter(c);
        send_key(app, SDLK_q, 0);
        cr_assert(app->w.quit, "%s: Q quits", CONTEXT_NAME[c]);
    }
    enter(4);
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert(app->w.quit, "Esc in the picker quits");
    /* the training from `attnviz learn`: Esc never quits it, it says Q does */
    enter(5);
    for (int i = 0; i < 3; i++) send_key(app, SDLK_ESCAPE, 0);
    cr_assert(!app->w.quit && app->mode == MODE_TRAIN, "Esc never quits the training");
    cr_assert(strstr(app->ui.message, "Q"), "it says how to quit: %s", app->ui.message);
    /* the training opened with L from a decoding: Esc goes back to it */
    enter(0);
    send_key(app, SDLK_l, 0);
    cr_assert_eq(app->mode, MODE_TRAIN, "L trains a model like this one: %s", app->ui.message);
    send_key(app, SDLK_QUESTION, 0);
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert(!app->view.help && app->mode == MODE_TRAIN, "the help first");
    send_key(app, SDLK_ESCAPE, 0);
    cr_assert(!app->w.quit && app->mode == MODE_VIEW && app->session.have_trace, "then back to the decoding");
    cr_assert_str_eq(app->session.input, "abcdef");
}

static bool note_shown(void) {
    app_update(app, 60);
    app_build_frame(app, W, H);
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == LV_TAG_OFF_SLIDE && app->w.dl.cmds[i].a == 0) return true;
    return false;
}

/* After Tab or typing in a lesson the narration is about another input: a
 * note says so over it, and Backspace or a click on the note returns to
 * the slide's own input. */
Test(keys, the_narration_says_when_the_screen_left_the_slide) {
    enter(1);
    cr_assert_not(note_shown(), "the slide's own input: no note");
    send_key(app, SDLK_TAB, 0);
    cr_assert_str_neq(app->session.input, "abcdef", "Tab changed the input");
    cr_assert(note_shown(), "after Tab: the note");
    send_key(app, SDLK_BACKSPACE, 0);
    cr_assert_str_eq(app->session.input, "abcdef");
    cr_assert_not(note_shown(), "Backspace: back to the slide");
    send_key(app, SDLK_RETURN, 0);
    send_text(app, "fed");
    send_key(app, SDLK_RETURN, 0);
    cr_assert_str_eq(app->session.input, "fed", "%s", app->ui.message);
    cr_assert(note_shown(), "after typing: the note");
    const DlCmd *box = NULL;
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == LV_TAG_OFF_SLIDE && app->w.dl.cmds[i].a == 0) box = &app->w.dl.cmds[i];
    cr_assert_not_null(box);
    bool quoted = false;
    for (int i = 0; i < app->w.dl.n; i++)
        if (app->w.dl.cmds[i].tag == LV_TAG_OFF_SLIDE && strstr(dl_str(&app->w.dl, &app->w.dl.cmds[i]), "abcdef")) quoted = true;
    cr_assert(quoted, "the note names the slide's input");
    send_click(app, box->x + box->w / 2, box->y + box->h / 2);
    cr_assert_str_eq(app->session.input, "abcdef", "a click on the note: back to the slide");
}

/* ---- README's key list is the table's ---- */

/* The contexts of an entry as README writes them. */
static void where_text(unsigned where, char *out, size_t cap) {
    static const char *const NAME[] = {"view", "lesson", "chart slide", "broken lesson", "picker", "training",
                                       "decoding from the training", "training slide", "lab"};
    if (where == KEYS_ALL) { snprintf(out, cap, "everywhere"); return; }
    out[0] = 0;
    for (int c = 0; c < N_CONTEXTS; c++)
        if (where & CONTEXTS[c]) {
            size_t o = strlen(out);
            snprintf(out + o, cap - o, "%s%s", o ? ", " : "", NAME[c]);
        }
}

/* README.md's rows between the keys marker and the next blank line, each
 * "| `key` | what | where |", compared with the table's English lines in
 * table order. On a difference the whole expected list is printed, ready
 * to paste. */
Test(keys, readme_lists_exactly_the_tables_keys) {
    FILE *f = fopen("README.md", "r");
    cr_assert_not_null(f, "README.md (run from the repository root)");
    char line[600], want[N_KEYS_MAX_README][600];
    int n_want = 0;
    for (int e = 0; e < N_KEYS && n_want < N_KEYS_MAX_README; e++) {
        char where[120];
        where_text(KEYS[e].where, where, sizeof where);
        snprintf(want[n_want++], sizeof want[0], "| `%s` | %s | %s |", KEYS[e].name ? KEYS[e].name : "mouse",
                 ui_str_en(KEYS[e].what), where);
    }
    bool in = false;
    int n = 0;
    char got[N_KEYS_MAX_README][600];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (strstr(line, "<!-- keys:")) { in = true; continue; }
        if (!in) continue;
        if (!line[0] && n > 0) break;
        if (strncmp(line, "| `", 3) != 0) continue;   /* the header and its rule */
        cr_assert_lt(n, N_KEYS_MAX_README);
        snprintf(got[n++], sizeof got[0], "%s", line);
    }
    fclose(f);
    bool same = n == n_want;
    for (int i = 0; same && i < n; i++) same = strcmp(got[i], want[i]) == 0;
    if (!same)
        for (int i = 0; i < n_want; i++) cr_log_error("%s", want[i]);
    cr_assert(in, "README.md has no '<!-- keys:' marker before its key list");
    for (int i = 0; i < n && i < n_want; i++) cr_assert_str_eq(got[i], want[i], "README key row %d", i + 1);
    cr_assert_eq(n, n_want, "README lists %d keys, the table has %d (the table's list is above)", n, n_want);
}

/* S in the training: the model as it is, in the export folder, never over
 * a file that is there (the second gets -2); both load. */
Test(keys, s_saves_the_model_and_never_over_a_file) {
    enter(5);
    char a[400], b[400], err[AV_ERR_LEN];
    snprintf(a, sizeof a, "%s/model-step0.safetensors", dir);
    snprintf(b, sizeof b, "%s/model-step0-2.safetensors", dir);
    send_key(app, SDLK_s, 0);
    send_key(app, SDLK_s, 0);
    Model m;
    cr_assert_eq(model_load(&m, a, err), 0, "%s (%s)", err, app->ui.message);
    model_free(&m);
    cr_assert_eq(model_load(&m, b, err), 0, "%s (%s)", err, app->ui.message);
    model_free(&m);
    cr_assert(strstr(app->ui.message, b), "the message names the file: %s", app->ui.message);
    remove(a);
    remove(b);
}
