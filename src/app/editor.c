/* editor.c — typing an input and a reference (Enter, or a click on the source): UTF-8 and input methods, decoded on Enter.
 *
 * While the fields are open they take every key, so `?` or `T` typed into
 * a sentence is text, not a command. Text input (and the input method) is on
 * only while typing: an active Korean IME would otherwise swallow the
 * single-letter keys of the view.
 */
#include "app.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"

void editor_open(App *a, int field) {
    AppEditor *ed = &a->editor;
    if (!a->session.have_model) { app_say(a, app_str(a, UI_M_TYPE_DEMO)); return; }
    if (!ed->open) {
        snprintf(ed->text[0], sizeof ed->text[0], "%s", a->session.input);
        snprintf(ed->text[1], sizeof ed->text[1], "%s", a->session.target);
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
    if (!ed->text[0][0]) { app_say(a, app_str(a, UI_M_INPUT_EMPTY)); return; }
    char in[1024], tg[1024];   /* copies: the decoding writes the session's input */
    snprintf(in, sizeof in, "%s", ed->text[0]);
    snprintf(tg, sizeof tg, "%s", ed->text[1]);
    bool tf_on = s->tf_on || (tg[0] && !s->target[0]);   /* a new reference: show forcing */
    if (app_decode_forced(a, s->model_path, in, tg, tf_on, s->tf_p, false, err) != 0) {
        app_say(a, err);
        return;
    }
    editor_close(a);
    view_goto_phase(a, 0);
}

void editor_event(App *a, const SDL_Event *e) {
    AppEditor *ed = &a->editor;
    char *f = ed->text[ed->field];
    switch (e->type) {
    case SDL_TEXTINPUT:
        if (strlen(f) + strlen(e->text.text) < sizeof ed->text[0]) strcat(f, e->text.text);
        else app_say(a, app_str(a, UI_M_INPUT_FULL));
        ed->composition[0] = 0;
        break;
    case SDL_TEXTEDITING:
        snprintf(ed->composition, sizeof ed->composition, "%s", e->edit.text);
        break;
    case SDL_KEYDOWN:
        switch (e->key.keysym.sym) {
        case SDLK_ESCAPE: editor_close(a); break;
        case SDLK_RETURN: case SDLK_KP_ENTER: submit(a); break;
        case SDLK_TAB: ed->field = 1 - ed->field; break;
        case SDLK_BACKSPACE: if (!ed->composition[0]) utf8_pop(f); break;
        default: break;
        }
        break;
    default: break;
    }
    a->w.dirty = true;
}
