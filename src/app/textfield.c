/* textfield.c — one line of editable UTF-8 text (textfield.h): characters, words, the selection. */
#include "textfield.h"

#include <stdint.h>
#include <string.h>

#include "../base/utf8.h"

/* ---- characters and words ---- */

/* Code points drawn onto the one before them: combining marks, variation
 * selectors, the zero-width joiner, and the vowel and final jamo of a
 * decomposed Hangul syllable. */
static bool joins_previous(uint32_t cp) {
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || cp == 0x200D || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

static bool is_space(uint32_t cp) {
    return cp == ' ' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x3000;
}

static uint32_t cp_at(const char *s, int i) {
    uint32_t cp = 0;
    return utf8_decode(s + i, (size_t)-1, &cp) > 0 ? cp : 0;
}

/* The start of the character after the one at i (i at the end: i). */
static int next_char(const char *s, int i) {
    if (!s[i]) return i;
    const char *p = s + i;
    utf8_next(&p);
    while (*p) {
        const char *q = p;
        if (!joins_previous(utf8_next(&q))) break;
        p = q;
    }
    return (int)(p - s);
}

/* The start of the character before i (0 at the start). */
static int prev_char(const char *s, int i) {
    while (i > 0) {
        i = (int)utf8_prev(s, (size_t)i);
        if (!joins_previous(cp_at(s, i))) break;
    }
    return i;
}

/* From i, back over white space, then over the word before it. */
static int word_start(const char *s, int i) {
    while (i > 0 && is_space(cp_at(s, prev_char(s, i)))) i = prev_char(s, i);
    while (i > 0 && !is_space(cp_at(s, prev_char(s, i)))) i = prev_char(s, i);
    return i;
}

/* From i, over white space, then over the word after it. */
static int word_end(const char *s, int i) {
    while (s[i] && is_space(cp_at(s, i))) i = next_char(s, i);
    while (s[i] && !is_space(cp_at(s, i))) i = next_char(s, i);
    return i;
}

/* s as it may stand in a field: valid UTF-8 only, control characters as
 * spaces, into out (cap bytes); the length, or -1 when it does not fit. */
static int clean(const char *s, char *out, size_t cap) {
    size_t o = 0;
    while (*s) {
        uint32_t cp;
        int n = utf8_decode(s, (size_t)-1, &cp);
        if (n <= 0) { s++; continue; }   /* an invalid byte: dropped */
        bool ctl = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
        const char *bytes = ctl ? " " : s;
        size_t len = ctl ? 1 : (size_t)n;
        if (o + len >= cap) return -1;
        memcpy(out + o, bytes, len);
        o += len;
        s += n;
    }
    out[o] = 0;
    return (int)o;
}

int tf_next_char(const char *s, int i) { return next_char(s, i); }

/* ---- the field ---- */

bool tf_has_selection(const TextField *f) { return f->anchor != f->cursor; }

void tf_selection(const TextField *f, int *from, int *to) {
    *from = f->anchor < f->cursor ? f->anchor : f->cursor;
    *to = f->anchor < f->cursor ? f->cursor : f->anchor;
}

void tf_select_all(TextField *f) {
    f->anchor = 0;
    f->cursor = (int)strlen(f->text);
}

void tf_set(TextField *f, const char *s, bool select_all) {
    char buf[4 * TF_CAP];
    /* a text too long for the field is cut at a character */
    size_t n = strlen(s ? s : "");
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, s ? s : "", n);
    buf[n] = 0;
    while (clean(buf, f->text, TF_CAP) < 0) buf[prev_char(buf, (int)strlen(buf))] = 0;
    f->cursor = (int)strlen(f->text);
    f->anchor = select_all ? 0 : f->cursor;
}

/* Remove [from, to) and put the cursor there. */
static void cut_range(TextField *f, int from, int to) {
    memmove(f->text + from, f->text + to, strlen(f->text + to) + 1);
    f->cursor = f->anchor = from;
}

void tf_move(TextField *f, TfMove how, bool extend) {
    const char *s = f->text;
    int from, to, c = f->cursor;
    tf_selection(f, &from, &to);
    bool sel = from != to && !extend;
    switch (how) {
    case TF_LEFT: c = sel ? from : prev_char(s, c); break;
    case TF_RIGHT: c = sel ? to : next_char(s, c); break;
    case TF_WORD_LEFT: c = word_start(s, c); break;
    case TF_WORD_RIGHT: c = word_end(s, c); break;
    case TF_HOME: c = 0; break;
    case TF_END: c = (int)strlen(s); break;
    }
    f->cursor = c;
    if (!extend) f->anchor = c;
}

bool tf_insert(TextField *f, const char *s) {
    char add[TF_CAP];
    int n = clean(s ? s : "", add, sizeof add);
    int from, to;
    tf_selection(f, &from, &to);
    size_t len = strlen(f->text);
    if (n < 0 || len - (size_t)(to - from) + (size_t)n >= TF_CAP) return false;
    cut_range(f, from, to);
    memmove(f->text + from + n, f->text + from, len - (size_t)(to - from) - (size_t)from + 1);
    memcpy(f->text + from, add, (size_t)n);
    f->cursor = f->anchor = from + n;
    return true;
}

void tf_backspace(TextField *f, bool word) {
    int from, to;
    tf_selection(f, &from, &to);
    if (from == to) from = word ? word_start(f->text, to) : prev_char(f->text, to);
    cut_range(f, from, to);
}

void tf_delete(TextField *f, bool word) {
    int from, to;
    tf_selection(f, &from, &to);
    if (from == to) to = word ? word_end(f->text, from) : next_char(f->text, from);
    cut_range(f, from, to);
}

size_t tf_copy(const TextField *f, char *out, size_t cap) {
    int from, to;
    tf_selection(f, &from, &to);
    if (cap == 0) return 0;
    size_t n = (size_t)(to - from);
    if (n >= cap) n = utf8_floor(f->text + from, cap - 1);   /* utf8_floor on the slice: a whole character */
    memcpy(out, f->text + from, n);
    out[n] = 0;
    return n;
}

void tf_place(TextField *f, int i, bool extend) {
    int n = (int)strlen(f->text);
    i = i < 0 ? 0 : i > n ? n : i;
    int c = 0;
    while (c < n && next_char(f->text, c) <= i) c = next_char(f->text, c);
    f->cursor = c;
    if (!extend) f->anchor = c;
}
