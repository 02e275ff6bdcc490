/* checks.h — what every Korean frame of the view must be, for the viz tests: no English word is left (notation, names
 * and the given tokens aside). The layout's checks are in layout_check.h, the font in font.h. */
#ifndef TESTS_VIZ_CHECKS_H
#define TESTS_VIZ_CHECKS_H

#include <criterion/criterion.h>
#include <stdbool.h>
#include <string.h>

#include "base/drawlist.h"

static inline bool has_hangul(const char *s) {
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if (u[0] == 0xEA || u[0] == 0xEB || u[0] == 0xEC || u[0] == 0xED) return true;   /* U+AC00..U+D7A3 */
    return false;
}

/* Words that stay as they are in Korean mode: notation, function and score
 * names, key names, file names. */
static const char *const NOTATION[] = {
    "score", "exp", "tanh", "softmax", "argmax", "LSTM", "GRU", "lstm", "gru", "none", "dot", "general", "concat",
    "additive", "scaled", "luong", "bahdanau", "Luong", "Bahdanau", "eos", "sos", "unk", "src", "tgt", "tf",
    "Space", "Home", "End", "Enter", "Tab", "Esc", "PgDn", "PgUp", "Ctrl", "safetensors", "task", "demo", "assets",
    "models", "log", "onehot", "SGD", "PNG", "CSV", "English", "Shift", "Backspace"};

static inline bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* w (n letters) is a whole word of s */
static inline bool word_in(const char *s, const char *w, size_t n) {
    for (const char *p = s; (p = strstr(p, w)) != NULL; p++) {
        bool start = p == s || !is_letter(p[-1]);
        if (start && !is_letter(p[n])) return true;
    }
    return false;
}

/* The first English word of s (two or more ASCII letters) that is neither
 * notation nor in the allowed text (tokens, the given title and menu); NULL
 * when there is none. */
static inline const char *english_word(const char *s, const char *allowed, char *w, size_t cap) {
    for (const char *p = s; *p;) {
        if (!is_letter(*p)) { p++; continue; }
        size_t n = 0;
        while (is_letter(p[n])) n++;
        if (n >= 2 && n < cap) {
            memcpy(w, p, n);
            w[n] = 0;
            bool ok = word_in(allowed, w, n);
            for (size_t k = 0; !ok && k < sizeof NOTATION / sizeof *NOTATION; k++) ok = strcmp(NOTATION[k], w) == 0;
            if (!ok) return w;
        }
        p += n;
    }
    return NULL;
}

static inline void check_korean(const DrawList *dl, const char *allowed, const char *what, int *labels) {
    char w[64];
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->kind != DL_TEXT) continue;
        const char *s = dl_str(dl, c);
        const char *e = english_word(s, allowed, w, sizeof w);
        cr_assert_null(e, "%s: '%s' is English in Korean mode ('%s')", what, s, e ? e : "");
        if (has_hangul(s)) (*labels)++;
    }
}


#endif
