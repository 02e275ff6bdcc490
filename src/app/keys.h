/* keys.h — the one table of keys: for each key, where it works, what the ? overlay says, and what it does.
 *
 * The event handlers of the modes look keys up here and the overlay lists
 * this table's lines for the current context, so a key cannot be promised
 * and missing, or work and be unlisted (tests/gl/test_keys.c checks both
 * ways, by pressing every key). Text-field and menu keys (Backspace in the
 * editor, ↑ ↓ in the model menu) belong to those widgets: editor.c, menu.c.
 */
#ifndef APP_KEYS_H
#define APP_KEYS_H

#include "app.h"

/* Where a key works: the screen the App shows (app_key_context). */
typedef enum {
    KEYS_VIEW = 1 << 0,      /* a decoding, alone                               */
    KEYS_LESSON = 1 << 1,    /* a lesson slide with its decoding beside it      */
    KEYS_STILL = 1 << 2,     /* a lesson slide without one (a chart, an error)  */
    KEYS_MESSAGE = 1 << 3,   /* nothing but a message (a lesson that fails to load) */
    KEYS_PICKER = 1 << 4,    /* the list of lessons                             */
    KEYS_TRAIN = 1 << 5,     /* a model learning (the training mode)            */
    KEYS_LTRAIN = 1 << 6,    /* a lesson slide with the training beside it      */
    KEYS_SNAP = 1 << 7,      /* a decoding opened from the training: its weights then */
    KEYS_LAB = 1 << 8,       /* the mechanism lab: configurations side by side  */
    KEYS_LLAB = 1 << 9,      /* a lesson slide with the lab beside it           */
} KeyContext;
enum {
    KEYS_ALL = KEYS_VIEW | KEYS_LESSON | KEYS_STILL | KEYS_MESSAGE | KEYS_PICKER | KEYS_TRAIN | KEYS_LTRAIN | KEYS_SNAP |
               KEYS_LAB | KEYS_LLAB
};

typedef void (*KeyFn)(App *a, int arg);

/* One key: its code and the modifiers it needs (KMOD_CTRL, KMOD_SHIFT, …;
 * 0: any), and what it does. */
typedef struct {
    SDL_Keycode sym;
    Uint16 mod;
    KeyFn fn;
    int arg;
} KeyBind;

enum { KEY_BINDS = 6 };

/* One line of the overlay and the keys it names. */
typedef struct {
    unsigned where;           /* KeyContext bits                             */
    const char *name;         /* as the overlay shows it; NULL: the mouse    */
    UiStr what;               /* what it does                               */
    KeyBind keys[KEY_BINDS];  /* sym 0 ends; none: a mouse line              */
} KeyEntry;

extern const KeyEntry KEYS[];
extern const int N_KEYS;

/* The context the App is in now. */
KeyContext app_key_context(const App *a);
/* The entry (and its binding) that a key with modifiers mod triggers in
 * ctx: the first in table order, or NULL. */
const KeyEntry *keys_find(KeyContext ctx, SDL_Keycode sym, Uint16 mod, const KeyBind **bind);
/* Do what the key does in ctx; false when it does nothing there. */
bool keys_dispatch(App *a, KeyContext ctx, const SDL_KeyboardEvent *k);
/* The overlay's lines (VizState.help_lines) for ctx in lang, in table
 * order (built once, kept): *n lines. */
const VizHelpLine *keys_help(KeyContext ctx, const char *lang, int *n);

#endif
