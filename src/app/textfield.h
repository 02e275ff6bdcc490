/* textfield.h — one line of editable UTF-8 text: a cursor, a selection, the usual editing keys, no SDL.
 *
 * The editor (editor.c) maps keys and clipboard events onto these functions;
 * they only move bytes, so they are tested without a window
 * (tests/app/test_textfield.c). Offsets are bytes, always at the start of a
 * character: a character is a code point together with the combining marks
 * that follow it, so the cursor never lands between "e" and its accent, and
 * Backspace removes what the eye sees as one letter. A Hangul syllable typed
 * through an input method arrives precomposed (one code point); while the
 * input method is still composing, the editor leaves the field alone.
 *
 * The selection is the text between anchor and cursor (none when they are
 * equal). Typing, pasting, Backspace and Delete replace it; moving without
 * Shift drops it; moving with Shift extends it. A word is a run of
 * characters that are not white space.
 */
#ifndef APP_TEXTFIELD_H
#define APP_TEXTFIELD_H

#include <stdbool.h>
#include <stddef.h>

enum { TF_CAP = 1024 };   /* bytes, the NUL included */

typedef struct {
    char text[TF_CAP];   /* valid UTF-8, NUL-terminated */
    int cursor;          /* byte offset where typing goes */
    int anchor;          /* the other end of the selection; == cursor: none */
} TextField;

typedef enum {
    TF_LEFT, TF_RIGHT,            /* one character */
    TF_WORD_LEFT, TF_WORD_RIGHT,  /* to the start of this or the previous word; to the end of this or the next */
    TF_HOME, TF_END,              /* the whole line */
} TfMove;

/* Replace the text (cut at a character to fit; invalid bytes dropped), the
 * cursor at the end, everything selected when select_all. */
void tf_set(TextField *f, const char *s, bool select_all);
bool tf_has_selection(const TextField *f);
/* The selection as [*from, *to) (from ≤ to; empty when there is none). */
void tf_selection(const TextField *f, int *from, int *to);
void tf_select_all(TextField *f);
/* Move the cursor; extend: keep the anchor (Shift), else drop the selection
 * (Left/Right with a selection go to its start/end, as text fields do). */
void tf_move(TextField *f, TfMove how, bool extend);
/* Type or paste s at the cursor, replacing the selection. Control
 * characters (a pasted newline or tab) become spaces, invalid UTF-8 is
 * dropped. Returns false, changing nothing, when it does not fit. */
bool tf_insert(TextField *f, const char *s);
/* Backspace / Delete: the selection if there is one, else the character
 * (word: the word) before / after the cursor. */
void tf_backspace(TextField *f, bool word);
void tf_delete(TextField *f, bool word);
/* The selected text into out (NUL-terminated, cut at a character to fit);
 * returns its length in bytes (0: nothing selected). */
size_t tf_copy(const TextField *f, char *out, size_t cap);
/* The start of the character after the one at byte i of s (i at the end:
 * i): where a click may put the cursor. */
int tf_next_char(const char *s, int i);
/* Put the cursor at byte i (moved back to the start of its character);
 * extend: keep the anchor. */
void tf_place(TextField *f, int i, bool extend);

#endif
