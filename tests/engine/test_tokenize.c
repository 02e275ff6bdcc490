/* test_tokenize.c — char and word tokenizers, UTF-8 validation, round trips. */
#include <criterion/criterion.h>

#include "engine/tokenize.h"
#include "helpers.h"

static void expect_tokens(TokenizerKind k, const char *text, int n, const char *const *want) {
    char **t;
    int got;
    char err[AV_ERR_LEN] = "";
    cr_assert_eq(tokenize(k, text, &t, &got, err), 0, "\"%s\": %s", text, err);
    cr_assert_eq(got, n, "\"%s\": %d tokens, expected %d", text, got, n);
    for (int i = 0; i < n; i++) cr_expect_str_eq(t[i], want[i], "\"%s\" token %d", text, i);
    tokens_free(t, got);
}

Test(tokenize, char_ascii_keeps_spaces) {
    const char *w[] = {"a", " ", "b", "!"};
    expect_tokens(TOK_CHAR, "a b!", 4, w);
}

Test(tokenize, char_hangul_is_one_token_per_syllable) {
    /* 한국어: three syllables of three bytes each */
    const char *w[] = {"\xED\x95\x9C", "\xEA\xB5\xAD", "\xEC\x96\xB4"};
    expect_tokens(TOK_CHAR, "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4", 3, w);
    const char *w2[] = {"\xC3\xA9", "\xF0\x9F\x98\x80", "x"}; /* é 😀 x */
    expect_tokens(TOK_CHAR, "\xC3\xA9\xF0\x9F\x98\x80x", 3, w2);
}

Test(tokenize, empty_text) {
    char **t;
    int n = -1;
    cr_assert_eq(tokenize(TOK_WORD, "", &t, &n, NULL), 0);
    cr_expect_eq(n, 0);
    tokens_free(t, n);
}

static void expect_invalid(const char *text, const char *offset) {
    for (int k = 0; k < 2; k++) {
        char **t;
        int n;
        char err[AV_ERR_LEN] = "";
        cr_assert_eq(tokenize((TokenizerKind)k, text, &t, &n, err), -1, "accepted invalid UTF-8");
        cr_expect(strstr(err, "UTF-8") && strstr(err, offset), "message '%s' lacks '%s'", err, offset);
    }
}

Test(tokenize, invalid_utf8_names_the_offset) {
    expect_invalid("ab\xFF", "offset 2");           /* never valid */
    expect_invalid("a\xC0\xAF", "offset 1");        /* overlong '/' */
    expect_invalid("xy\xE3\x81", "offset 2");       /* truncated */
    expect_invalid("\xED\xA0\x80", "offset 0");     /* surrogate U+D800 */
    expect_invalid("abc\x80", "offset 3");          /* lone continuation */
    expect_invalid("\xF4\x90\x80\x80", "offset 0"); /* above U+10FFFF */
    expect_invalid("\xE2\x82", "offset 0");         /* cut at the end */
}

Test(tokenize, word_splits_punctuation) {
    const char *w[] = {"Hello", ",", "world", "!"};
    expect_tokens(TOK_WORD, "  Hello, world!  ", 4, w);
    const char *w2[] = {"don", "'", "t", "stop", "-", "now", "."};
    expect_tokens(TOK_WORD, "don't stop-now.", 7, w2);
    /* Unicode: « » guillemets, … ellipsis, 。 ideographic full stop, non-breaking space */
    const char *w3[] = {"\xC2\xAB", "Bonjour", "\xC2\xBB", "\xE2\x80\xA6", "\xEC\x95\x88\xEB\x85\x95",
                        "\xE3\x80\x82", "x"};
    expect_tokens(TOK_WORD, "\xC2\xAB" "Bonjour" "\xC2\xBB\xE2\x80\xA6 \xEC\x95\x88\xEB\x85\x95\xE3\x80\x82\xC2\xA0x",
                  7, w3);
    const char *w4[] = {"tab", "new", "line"};
    expect_tokens(TOK_WORD, "tab\tnew\nline", 3, w4);
}

Test(tokenize, encode_decode_round_trip) {
    const char *toks[] = {"<pad>", "<sos>", "<eos>", "<unk>", "the", "cat", ".", "sat"};
    Vocab v;
    cr_assert_eq(vocab_init(&v, toks, 8, NULL), 0);
    int *ids, n;
    char err[AV_ERR_LEN];
    cr_assert_eq(encode_text(&v, TOK_WORD, "the cat sat on.", &ids, &n, err), 0, "%s", err);
    int want[] = {4, 5, 7, TOK_UNK, 6};
    cr_assert_eq(n, 5);
    for (int i = 0; i < 5; i++) cr_expect_eq(ids[i], want[i], "id %d", i);
    int back[] = {TOK_SOS, 4, 5, 7, 6, TOK_EOS, 4};
    char *s = decode_ids(&v, TOK_WORD, back, 7);
    cr_expect_str_eq(s, "the cat sat ."); /* stops at <eos>, skips <sos> */
    free(s);
    free(ids);
    vocab_free(&v);

    Vocab c = letters_vocab(3);
    int cid[] = {4, 6, 5, TOK_PAD, 4, TOK_EOS, 6};
    s = decode_ids(&c, TOK_CHAR, cid, 7);
    cr_expect_str_eq(s, "acba");
    free(s);
    vocab_free(&c);
}

/* MODEL.md "Lookup": exactly, then the first entry equal ignoring case,
 * then <unk>; the specials are never found */
Test(tokenize, lookup_exact_then_folded_then_unk) {
    const char *toks[] = {"<pad>", "<sos>", "<eos>", "<unk>", "I", "the", "The", "École", "i", "ΟΔΟΣ"};
    Vocab v;
    char err[AV_ERR_LEN];
    cr_assert_eq(vocab_init(&v, toks, 10, err), 0, "%s", err);
    cr_expect_eq(vocab_find(&v, "the"), 5);
    cr_expect_eq(vocab_find(&v, "The"), 6, "an exact match wins over an earlier folded one");
    cr_expect_eq(vocab_find(&v, "THE"), 5, "the first entry equal ignoring case");
    cr_expect_eq(vocab_find(&v, "i"), 8);
    cr_expect_eq(vocab_find(&v, "ÉCOLE"), 7);
    cr_expect_eq(vocab_find(&v, "école"), 7);
    cr_expect_eq(vocab_find(&v, "οδοσ"), 9);
    cr_expect_eq(vocab_find(&v, "dog"), TOK_UNK);
    cr_expect_eq(vocab_find(&v, "<eos>"), TOK_UNK, "a special is never looked up");
    cr_expect_eq(vocab_find(&v, "<UNK>"), TOK_UNK);
    vocab_free(&v);
}

Test(tokenize, unknown_tokens_are_named_in_one_line) {
    const char *words[] = {"<pad>", "<sos>", "<eos>", "<unk>", "the", "cat", "is", "red", "."};
    Vocab v;
    char err[AV_ERR_LEN], line[AV_ERR_LEN];
    cr_assert_eq(vocab_init(&v, words, 9, err), 0, "%s", err);
    cr_expect_eq(unknown_tokens_line(&v, TOK_WORD, "The cat is red.", line, sizeof line), 0);
    cr_expect_str_eq(line, "");
    cr_expect_eq(unknown_tokens_line(&v, TOK_WORD, "the dog is red", line, sizeof line), 1);
    cr_expect_str_eq(line, "'dog' is not among the 5 words this model knows");
    cr_expect_eq(unknown_tokens_line(&v, TOK_WORD, "a dog, a dog", line, sizeof line), 3);
    cr_expect_str_eq(line, "'a', 'dog' and ',' are not among the 5 words this model knows");
    cr_expect_eq(unknown_tokens_line(&v, TOK_WORD, "a b c d e f g a b", line, sizeof line), 7);
    cr_expect_str_eq(line, "'a', 'b', 'c', 'd', 'e' and 2 more are not among the 5 words this model knows");
    /* bytes the terminal would act on are escaped */
    cr_expect_eq(unknown_tokens_line(&v, TOK_WORD, "the \x1b\x07" "cat", line, sizeof line), 1);
    cr_expect(!strchr(line, '\x1b'), "ESC reached the message: %s", line);
    vocab_free(&v);
    const char *chars[] = {"<pad>", "<sos>", "<eos>", "<unk>", "a", "b"};
    cr_assert_eq(vocab_init(&v, chars, 6, err), 0, "%s", err);
    cr_expect_eq(unknown_tokens_line(&v, TOK_CHAR, "abé", line, sizeof line), 1);
    cr_expect_str_eq(line, "'é' is not among the 2 characters this model knows");
    cr_expect_eq(unknown_tokens_line(&v, TOK_CHAR, "B", line, sizeof line), 0, "B finds b");
    vocab_free(&v);
}

/* MODEL.md "Tokens": entries non-empty, valid UTF-8, no control characters, distinct */
Test(tokenize, vocabulary_entries_are_checked) {
    Vocab v;
    char err[AV_ERR_LEN] = "";
    const char *empty[] = {"<pad>", "<sos>", "<eos>", "<unk>", "a", ""};
    cr_expect_eq(vocab_init(&v, empty, 6, err), -1);
    cr_expect(strstr(err, "id 5 is an empty string"), "%s", err);
    const char *ctl[] = {"<pad>", "<sos>", "<eos>", "<unk>", "a\x1b[31m"};
    cr_expect_eq(vocab_init(&v, ctl, 5, err), -1);
    cr_expect(strstr(err, "id 4 (\"a\\x1B[31m\") holds a control character (U+001B)"), "%s", err);
    const char *c1[] = {"<pad>", "<sos>", "<eos>", "<unk>", "x\xC2\x85"};
    cr_expect_eq(vocab_init(&v, c1, 5, err), -1);
    cr_expect(strstr(err, "U+0085"), "%s", err);
    const char *nl[] = {"<pad>", "<sos>", "<eos>", "<unk>", "\n"};
    cr_expect_eq(vocab_init(&v, nl, 5, err), -1);
    cr_expect(!strchr(err, '\n'), "%s", err);
    const char *bad[] = {"<pad>", "<sos>", "<eos>", "<unk>", "ok", "\xC3("};
    cr_expect_eq(vocab_init(&v, bad, 6, err), -1);
    cr_expect(strstr(err, "id 5 (\"\\xC3(\") is not valid UTF-8 (byte 1)"), "%s", err);
    const char *dup[] = {"<pad>", "<sos>", "<eos>", "<unk>", "b", "a", "c", "a", "b"};
    cr_expect_eq(vocab_init(&v, dup, 9, err), -1);
    cr_expect(strstr(err, "id 7 (\"a\") repeats id 5"), "%s", err);
    const char *dup_special[] = {"<pad>", "<sos>", "<eos>", "<unk>", "<eos>"};
    cr_expect_eq(vocab_init(&v, dup_special, 5, err), -1);
    cr_expect(strstr(err, "id 4 (\"<eos>\") repeats id 2"), "%s", err);
    const char *fine[] = {"<pad>", "<sos>", "<eos>", "<unk>", " "};
    cr_expect_eq(vocab_init(&v, fine, 5, err), 0, "a space is a token: %s", err);
    vocab_free(&v);

}
