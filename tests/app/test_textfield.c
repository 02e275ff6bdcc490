/* test_textfield.c — the editor's text field (src/app/textfield.c) without a window: the cursor, the selection, words, UTF-8. */
#include <criterion/criterion.h>
#include <string.h>

#include "app/textfield.h"

static TextField f;

/* The field as "text|" with the cursor, [ ] around a selection. */
static const char *show(void) {
    static char out[TF_CAP + 8];
    int from, to;
    tf_selection(&f, &from, &to);
    size_t o = 0;
    for (int i = 0;; i++) {
        if (from != to && i == from) out[o++] = '[';
        if (i == f.cursor) out[o++] = '|';
        if (from != to && i == to) out[o++] = ']';
        if (!f.text[i]) break;
        out[o++] = f.text[i];
    }
    out[o] = 0;
    return out;
}

Test(textfield, it_opens_with_everything_selected_and_typing_replaces_it) {
    tf_set(&f, "I love you", true);
    cr_assert_str_eq(show(), "[I love you|]");
    cr_assert(tf_insert(&f, "i"));
    cr_assert_str_eq(show(), "i|");
    tf_set(&f, "I love you", true);
    tf_backspace(&f, false);
    cr_assert_str_eq(show(), "|", "Ctrl+A then Backspace leaves nothing (issue 13's 'I love yoi love you')");
    cr_assert(tf_insert(&f, "i love you"));
    cr_assert_str_eq(f.text, "i love you");
}

Test(textfield, select_all_then_backspace_or_delete_clears) {
    tf_set(&f, "I love you", false);
    cr_assert_str_eq(show(), "I love you|");
    tf_select_all(&f);
    tf_delete(&f, false);
    cr_assert_str_eq(show(), "|");
}

Test(textfield, arrows_home_end_and_a_selection_collapsing) {
    tf_set(&f, "abc", false);
    tf_move(&f, TF_LEFT, false);
    tf_move(&f, TF_LEFT, false);
    cr_assert_str_eq(show(), "a|bc");
    tf_move(&f, TF_HOME, false);
    cr_assert_str_eq(show(), "|abc");
    tf_move(&f, TF_LEFT, false);
    cr_assert_str_eq(show(), "|abc", "nothing before the start");
    tf_move(&f, TF_END, false);
    tf_move(&f, TF_RIGHT, false);
    cr_assert_str_eq(show(), "abc|", "nothing after the end");
    tf_select_all(&f);
    tf_move(&f, TF_LEFT, false);
    cr_assert_str_eq(show(), "|abc", "Left with a selection goes to its start");
    tf_select_all(&f);
    tf_move(&f, TF_RIGHT, false);
    cr_assert_str_eq(show(), "abc|", "Right with a selection goes to its end");
}

Test(textfield, shift_arrows_select_and_typing_replaces_the_selection) {
    tf_set(&f, "I love you", false);
    tf_move(&f, TF_LEFT, true);
    tf_move(&f, TF_LEFT, true);
    tf_move(&f, TF_LEFT, true);
    cr_assert_str_eq(show(), "I love [|you]");
    cr_assert(tf_insert(&f, "me"));
    cr_assert_str_eq(show(), "I love me|");
    tf_move(&f, TF_HOME, true);
    cr_assert_str_eq(show(), "[|I love me]");
    tf_move(&f, TF_WORD_RIGHT, true);
    cr_assert_str_eq(show(), "I[| love me]", "the anchor stays at the end");
}

Test(textfield, words_move_and_delete_as_text_fields_do) {
    tf_set(&f, "the red  car", false);
    tf_move(&f, TF_WORD_LEFT, false);
    cr_assert_str_eq(show(), "the red  |car");
    tf_move(&f, TF_WORD_LEFT, false);
    cr_assert_str_eq(show(), "the |red  car");
    tf_move(&f, TF_WORD_RIGHT, false);
    cr_assert_str_eq(show(), "the red|  car");
    tf_move(&f, TF_WORD_RIGHT, false);
    cr_assert_str_eq(show(), "the red  car|");
    tf_backspace(&f, true);
    cr_assert_str_eq(show(), "the red  |", "Ctrl+Backspace: the word before");
    tf_backspace(&f, true);
    cr_assert_str_eq(show(), "the |", "then the spaces and the word before them");
    tf_move(&f, TF_HOME, false);
    tf_delete(&f, true);
    cr_assert_str_eq(show(), "| ", "Ctrl+Delete: the word after");
    tf_delete(&f, false);
    cr_assert_str_eq(show(), "|");
    tf_delete(&f, true);
    tf_backspace(&f, true);
    cr_assert_str_eq(show(), "|", "nothing to delete: nothing happens");
}

Test(textfield, hangul_and_accents_are_whole_characters) {
    tf_set(&f, "나는 학생", false);
    tf_backspace(&f, false);
    cr_assert_str_eq(f.text, "나는 학", "one syllable, three bytes");
    tf_move(&f, TF_LEFT, false);
    cr_assert_eq(f.cursor, (int)strlen("나는 "));
    cr_assert(tf_insert(&f, "대"));
    cr_assert_str_eq(show(), "나는 대|학");
    /* e + combining acute: one character to the eye and to the keys */
    tf_set(&f, "cafe\xCC\x81s", false);
    tf_move(&f, TF_LEFT, false);
    tf_move(&f, TF_LEFT, false);
    cr_assert_eq(f.cursor, 3, "the cursor does not land between e and its accent");
    tf_move(&f, TF_END, false);
    tf_backspace(&f, false);
    tf_backspace(&f, false);
    cr_assert_str_eq(f.text, "caf");
    /* a decomposed syllable (ᄒ + ᅡ + ᆫ) goes at once too */
    tf_set(&f, "a\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", false);
    tf_backspace(&f, false);
    cr_assert_str_eq(f.text, "a");
}

Test(textfield, pasted_text_is_cleaned_and_a_full_field_refuses_it_whole) {
    tf_set(&f, "", false);
    cr_assert(tf_insert(&f, "two\nlines\tand\x7F" "a \xFF" "bad byte"));
    cr_assert_str_eq(f.text, "two lines and a bad byte", "control characters become spaces, invalid bytes go");
    char big[TF_CAP + 10];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    tf_set(&f, big, false);
    cr_assert_eq(strlen(f.text), TF_CAP - 1u, "cut to fit");
    cr_assert_not(tf_insert(&f, "y"));
    cr_assert_eq(strlen(f.text), TF_CAP - 1u, "nothing changed");
    tf_move(&f, TF_LEFT, true);
    cr_assert(tf_insert(&f, "y"), "replacing a selected character fits");
    cr_assert_eq(f.text[TF_CAP - 2], 'y');
    /* cut at a character: 3-byte syllables never split */
    char ko[TF_CAP * 2] = "";
    while (strlen(ko) + 3 < sizeof ko) strcat(ko, "한");
    tf_set(&f, ko, true);
    cr_assert_eq(strlen(f.text) % 3, 0u);
    cr_assert_gt(strlen(f.text), TF_CAP - 4u);
}

Test(textfield, copy_gives_the_selection) {
    char out[64];
    tf_set(&f, "I love you", false);
    cr_assert_eq(tf_copy(&f, out, sizeof out), 0u, "nothing selected");
    cr_assert_str_eq(out, "");
    tf_move(&f, TF_WORD_LEFT, true);
    cr_assert_eq(tf_copy(&f, out, sizeof out), 3u);
    cr_assert_str_eq(out, "you");
    tf_set(&f, "한국어", true);
    cr_assert_eq(tf_copy(&f, out, 5), 3u, "cut at a character");
    cr_assert_str_eq(out, "한");
}
