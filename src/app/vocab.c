/* vocab.c — the words (or characters) a model knows: which typed tokens it does not (said in one line where the class looks), and the list itself (K, or a click on that line), sorted, in columns, scrolled with the keys or the wheel.
 *
 * A typed token the source vocabulary does not have (after the lookup's
 * case fold) is read as <unk>: the trace's source ids say where. The line
 * names what was typed, not "<unk>", so "'dog' is not among the 136 words
 * this model knows" tells a class why "I love my dog" comes out strange.
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/tokenize.h"

/* ---- the line about unknown tokens ---- */

void app_unknown_note(App *a) {
    AppSession *s = &a->session;
    s->unknown[0] = 0;
    if (!s->have_model || !s->have_trace) return;
    char **toks = NULL, err[AV_ERR_LEN];
    int n = 0;
    if (tokenize(s->model.cfg.tokenizer, s->input, &toks, &n, err) != 0) return;
    char names[400] = "";
    int named = 0, more = 0;
    for (int i = 0; i < n && i < s->trace.S; i++) {
        if (s->trace.src_ids[i] != TOK_UNK) continue;
        bool again = false;   /* each token once */
        for (int j = 0; j < i && !again; j++) again = s->trace.src_ids[j] == TOK_UNK && strcmp(toks[j], toks[i]) == 0;
        if (again) continue;
        size_t o = strlen(names);
        if (named < 3 && o + strlen(toks[i]) + 8 < sizeof names) {
            snprintf(names + o, sizeof names - o, "%s'%s'", named ? ", " : "", viz_tok_show(toks[i]));
            named++;
        } else {
            more++;
        }
    }
    tokens_free(toks, n);
    if (!named) return;
    if (more) {
        size_t o = strlen(names);
        snprintf(names + o, sizeof names - o, app_str(a, UI_UNK_MORE), more);
    }
    bool words = s->model.cfg.tokenizer == TOK_WORD;
    snprintf(s->unknown, sizeof s->unknown, app_str(a, named + more > 1 ? UI_UNK_MANY : UI_UNK_ONE), names,
             s->model.src.n - TOK_SPECIALS, app_str(a, words ? UI_UNK_WORDS : UI_UNK_CHARS));
}

/* ---- the list ---- */

static int by_text(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

void vocab_open(App *a) {
    AppVocab *v = &a->vocab;
    const Vocab *src = &a->session.model.src;
    if (!a->session.have_model) { app_say(a, app_str(a, UI_M_TYPE_DEMO)); return; }
    free(v->sorted);
    v->n = src->n > TOK_SPECIALS ? src->n - TOK_SPECIALS : 0;
    v->sorted = malloc((size_t)(v->n > 0 ? v->n : 1) * sizeof *v->sorted);
    if (!v->sorted) { v->n = 0; app_say(a, "out of memory"); return; }
    for (int i = 0; i < v->n; i++) v->sorted[i] = src->tokens[TOK_SPECIALS + i];
    qsort(v->sorted, (size_t)v->n, sizeof *v->sorted, by_text);
    v->scroll = 0;
    v->open = true;
    a->w.dirty = true;
}

void vocab_close(App *a) {
    AppVocab *v = &a->vocab;
    free(v->sorted);
    v->sorted = NULL;
    v->n = 0;
    v->open = false;
    a->w.dirty = true;
}

/* The list takes the keys and the wheel while open: ↑ ↓ a row, Page Up /
 * Page Down a page, Home / End, Esc or K closes. How far it may scroll is
 * what the last frame's list said (VIZ_TAG_VOCAB). */
void vocab_event(App *a, const SDL_Event *e) {
    AppVocab *v = &a->vocab;
    int page = 10, max_scroll = v->n;   /* as the last frame laid the list out */
    for (int i = 0; i < a->w.dl.n; i++)
        if (a->w.dl.cmds[i].tag == VIZ_TAG_VOCAB) {
            page = a->w.dl.cmds[i].a > 0 ? a->w.dl.cmds[i].a : 1;
            max_scroll = a->w.dl.cmds[i].b;
        }
    if (e->type == SDL_KEYDOWN) {
        switch (e->key.keysym.sym) {
        case SDLK_ESCAPE: case SDLK_k: vocab_close(a); return;
        case SDLK_UP: v->scroll--; break;
        case SDLK_DOWN: v->scroll++; break;
        case SDLK_PAGEUP: v->scroll -= page; break;
        case SDLK_PAGEDOWN: case SDLK_SPACE: v->scroll += page; break;
        case SDLK_HOME: v->scroll = 0; break;
        case SDLK_END: v->scroll = v->n; break;
        default: break;
        }
    } else if (e->type == SDL_MOUSEWHEEL) {
        v->scroll -= e->wheel.y * 3;
    }
    if (v->scroll > max_scroll) v->scroll = max_scroll;
    if (v->scroll < 0) v->scroll = 0;
    a->w.dirty = true;
}
