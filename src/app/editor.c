/* editor.c — typing an input and a reference (Enter, or a click on the input line): two text fields, UTF-8 and input methods, decoded on Enter.
 *
 * While the fields are open they take every key, so `?` or `T` typed into
 * a sentence is text, not a command. Each field is a TextField
 * (textfield.h): a cursor, a selection, the usual editing keys (arrows,
 * Home/End, Shift to select, Ctrl for words, Ctrl+A/C/X/V). A field opens
 * with its text selected, so typing replaces it and an arrow keeps it.
 * Text input (and the input method) is on only while typing: an active
 * Korean IME would otherwise swallow the single-letter keys of the view.
 * While the input method composes, its keys are its own.
 */
#include "app.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void editor_open(App *a, int field) {
    AppEditor *ed = &a->editor;
    bool probe = app_training(a);   /* the training's probe and its reference */
    if (!probe && !a->session.have_model) { app_say(a, app_str(a, UI_M_TYPE_DEMO)); return; }
    if (!ed->open) {
        tf_set(&ed->f[0], probe ? a->train.run->probe : a->session.input, true);
        tf_set(&ed->f[1], probe ? a->train.run->reference : a->session.target, true);
    } else if (field != ed->field) {
        tf_select_all(&ed->f[field]);
    }
    ed->open = true;
    ed->field = field;
    ed->composition[0] = 0;
    if (a->w.win) {   /* where the input method shows its candidates */
        int w, h;
        SDL_GetWindowSize(a->w.win, &w, &h);
        float u = fminf((float)w / 1280.0f, (float)h / 720.0f);
        SDL_Rect r = {(int)(160 * u), (int)(150 * u), (int)((float)w - 200 * u), (int)(60 * u)};
        SDL_SetTextInputRect(&r);
        SDL_StartTextInput();
    }
    a->w.dirty = true;
}

void editor_close(App *a) {
    a->editor.open = false;
    a->back.want = false;   /* B's request for a reference ends with the fields */
    a->editor.composition[0] = 0;
    if (a->w.win) SDL_StopTextInput();
    a->w.dirty = true;
}

/* Decode what was typed; on failure keep the fields open with the reason. */
static void submit(App *a) {
    const AppEditor *ed = &a->editor;
    const AppSession *s = &a->session;
    char err[AV_ERR_LEN];
    if (!ed->f[0].text[0]) { app_say(a, app_str(a, UI_M_INPUT_EMPTY)); return; }
    char in[TF_CAP], tg[TF_CAP];   /* copies: the decoding writes the session's input */
    snprintf(in, sizeof in, "%s", ed->f[0].text);
    snprintf(tg, sizeof tg, "%s", ed->f[1].text);
    if (app_training(a)) {   /* a new probe: the editor closes when it is taken */
        train_set_probe(a, in, tg);
        return;
    }
    bool tf_on = s->tf_on || (tg[0] && !s->target[0]);   /* a new reference: show forcing */
    if (app_decode_forced(a, s->model_path, in, tg, tf_on, s->tf_p, false, err) != 0) {
        app_say(a, err);
        return;
    }
    editor_close(a);
    view_goto_phase(a, 0);
}

/* Ctrl+C, Ctrl+X, Ctrl+V through SDL's clipboard. */
static void clipboard(App *a, TextField *f, SDL_Keycode k) {
    char sel[TF_CAP];
    if (k == SDLK_v) {
        char *clip = SDL_HasClipboardText() ? SDL_GetClipboardText() : NULL;
        if (clip && !tf_insert(f, clip)) app_say(a, app_str(a, UI_M_INPUT_FULL));
        SDL_free(clip);
        return;
    }
    if (tf_copy(f, sel, sizeof sel) == 0) return;
    if (SDL_SetClipboardText(sel) != 0) { app_say(a, SDL_GetError()); return; }
    if (k == SDLK_x) tf_backspace(f, false);
}

/* A key in the active field; false when it is not an editing key. */
static bool edit_key(App *a, TextField *f, const SDL_Keysym *ks) {
    bool ctrl = ks->mod & KMOD_CTRL, shift = ks->mod & KMOD_SHIFT;
    switch (ks->sym) {
    case SDLK_BACKSPACE: tf_backspace(f, ctrl); return true;
    case SDLK_DELETE: tf_delete(f, ctrl); return true;
    case SDLK_LEFT: tf_move(f, ctrl ? TF_WORD_LEFT : TF_LEFT, shift); return true;
    case SDLK_RIGHT: tf_move(f, ctrl ? TF_WORD_RIGHT : TF_RIGHT, shift); return true;
    case SDLK_HOME: tf_move(f, TF_HOME, shift); return true;
    case SDLK_END: tf_move(f, TF_END, shift); return true;
    case SDLK_a: if (ctrl) tf_select_all(f); return ctrl;
    case SDLK_c: case SDLK_x: case SDLK_v: if (ctrl) clipboard(a, f, ks->sym); return ctrl;
    default: return false;
    }
}

void editor_event(App *a, const SDL_Event *e) {
    AppEditor *ed = &a->editor;
    TextField *f = &ed->f[ed->field];
    switch (e->type) {
    case SDL_TEXTINPUT:
        if (!tf_insert(f, e->text.text)) app_say(a, app_str(a, UI_M_INPUT_FULL));
        ed->composition[0] = 0;
        break;
    case SDL_TEXTEDITING:
        snprintf(ed->composition, sizeof ed->composition, "%s", e->edit.text);
        break;
    case SDL_KEYDOWN:
        switch (e->key.keysym.sym) {
        case SDLK_ESCAPE: editor_close(a); break;
        case SDLK_RETURN: case SDLK_KP_ENTER: submit(a); break;
        case SDLK_TAB: editor_open(a, 1 - ed->field); break;
        default:
            if (!ed->composition[0]) edit_key(a, f, &e->key.keysym);   /* composing: the input method's keys */
            break;
        }
        break;
    default: break;
    }
    a->w.dirty = true;
}

/* A click while the fields are open: on a field's text, the cursor goes
 * to the nearest character boundary (Shift: the selection grows to it). */
bool editor_click(App *a, float x, float y, bool shift) {
    AppEditor *ed = &a->editor;
    const DrawList *dl = &a->w.dl;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *box = &dl->cmds[i];
        if (box->tag != VIZ_TAG_EDIT_FIELD || x < box->x || x >= box->x + box->w || y < box->y || y >= box->y + box->h)
            continue;
        int field = box->a;
        if (field != ed->field) editor_open(a, field);
        TextField *f = &ed->f[field];
        for (int j = i + 1; j < dl->n; j++) {   /* the field's text, drawn after its box */
            const DlCmd *t = &dl->cmds[j];
            if (t->tag != VIZ_TAG_EDIT_TEXT || t->a != field) continue;
            const char *s = f->text;
            int best = t->b, n = (int)strlen(s);
            char pre[TF_CAP];
            for (int c = t->b; c < n;) {
                int next = tf_next_char(s, c);
                memcpy(pre, s + t->b, (size_t)(next - t->b));
                pre[next - t->b] = 0;
                float w1 = dl_text_width(dl, pre, t->size, t->flags);
                memcpy(pre, s + t->b, (size_t)(c - t->b));
                pre[c - t->b] = 0;
                float w0 = dl_text_width(dl, pre, t->size, t->flags);
                if (x < t->x + (w0 + w1) / 2) break;
                best = c = next;
            }
            tf_place(f, best, shift);
            break;
        }
        a->w.dirty = true;
        return true;
    }
    return false;
}
