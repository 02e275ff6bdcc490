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
