/* test_text.c — the base's text pieces: UTF-8 (utf8.h), escaping for messages
 * (err.h), the growable buffer (buf.h) and the phase and score names. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/phase.h"
#include "base/score.h"
#include "base/utf8.h"

static int dec(const char *s, uint32_t *cp) { return utf8_decode(s, strlen(s), cp); }

Test(utf8, decodes_strictly) {
    uint32_t cp = 0;
    cr_expect_eq(dec("A", &cp), 1); cr_expect_eq(cp, 'A');
    cr_expect_eq(dec("\xC3\xA9", &cp), 2); cr_expect_eq(cp, 0xE9);        /* é */
    cr_expect_eq(dec("한", &cp), 3); cr_expect_eq(cp, 0xD55C);
    cr_expect_eq(dec("\xF0\x9F\x98\x80", &cp), 4); cr_expect_eq(cp, 0x1F600);
    cr_expect_eq(dec("\x80", &cp), 0, "a stray continuation byte");
    cr_expect_eq(dec("\xC0\xAF", &cp), 0, "overlong '/'");
    cr_expect_eq(dec("\xE0\x80\x80", &cp), 0, "overlong NUL");
    cr_expect_eq(dec("\xED\xA0\x80", &cp), 0, "a surrogate");
    cr_expect_eq(dec("\xF4\x90\x80\x80", &cp), 0, "above U+10FFFF");
    cr_expect_eq(dec("\xF8\x88\x80\x80\x80", &cp), 0, "five bytes");
    cr_expect_eq(utf8_decode("\xE2\x82\xAC", 2, &cp), 0, "truncated by n");
    cr_expect_eq(utf8_decode("\xE2\x82", (size_t)-1, &cp), 0, "truncated by the NUL");
    cr_expect_eq(utf8_decode("x", 0, &cp), 0);
}

Test(utf8, encodes_what_it_decodes) {
    const uint32_t cps[] = {0, 'a', 0x7F, 0x80, 0x7FF, 0x800, 0xD55C, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        char b[4];
        uint32_t back;
        int n = utf8_encode(cps[i], b);
        cr_expect_eq(utf8_decode(b, (size_t)n, &back), n, "U+%04X", cps[i]);
        cr_expect_eq(back, cps[i]);
    }
}

Test(utf8, steps_validates_and_counts) {
    const char *s = "a한b";                                  /* 0:a 1-3:한 4:b */
    cr_expect_eq(utf8_floor(s, 2), 1);
    cr_expect_eq(utf8_floor(s, 4), 4);
    cr_expect_eq(utf8_prev(s, 4), 1);
    cr_expect_eq(utf8_prev(s, 1), 0);
    cr_expect_eq(utf8_prev(s, 0), 0);
    char t[16] = "a한";
    utf8_pop(t); cr_expect_str_eq(t, "a");
    utf8_pop(t); cr_expect_str_eq(t, "");
    utf8_pop(t); cr_expect_str_eq(t, "");
    cr_expect_eq(utf8_invalid_at("a한b", strlen("a한b")), -1);
    cr_expect_eq(utf8_invalid_at("ab\xFF", 3), 2);
    cr_expect_eq(utf8_count("a한b"), 3);
    cr_expect_eq(utf8_count("a\xFF" "b"), 3, "an invalid byte counts as one");
    const char *p = "\xFF" "x";
    cr_expect_eq(utf8_next(&p), 0xFFFD);
    cr_expect_eq(utf8_next(&p), 'x');
    cr_expect_eq(*p, '\0');
}

Test(escape, controls_and_invalid_bytes_become_hex_and_text_stays) {
    char out[128];
    const char in[] = "ok\n\r\x1b[31m\a\x7f tab\there";
    av_escape(out, sizeof out, in, strlen(in));
    cr_expect_str_eq(out, "ok\\x0A\\x0D\\x1B[31m\\x07\\x7F tab\\x09here");
    av_escape(out, sizeof out, "한국어 ≥ é", strlen("한국어 ≥ é"));
    cr_expect_str_eq(out, "한국어 ≥ é");
    av_escape(out, sizeof out, "bad\xC3(", 5);
    cr_expect_str_eq(out, "bad\\xC3(");
    av_escape(out, sizeof out, "\xC2\x85|\xE2\x80\xAE|\xEF\xBB\xBF", 10);   /* NEL, RLO, BOM */
    cr_expect_str_eq(out, "\\xC2\\x85|\\xE2\\x80\\xAE|\\xEF\\xBB\\xBF");
    av_escape(out, sizeof out, "a\0b", 3);
    cr_expect_str_eq(out, "a\\x00b");
    /* cut on a whole character or escape */
    cr_expect_eq(av_escape(out, 6, "ab\ncd", 5), 2);
    cr_expect_str_eq(out, "ab");
    cr_expect_eq(av_escape(out, 5, "ab한", 5), 2);
    char msg[AV_ERR_LEN] = "lesson.md:3: unknown score 'x\x1b]0;pwned\a'";
    av_escape_msg(msg, sizeof msg);
    cr_expect_str_eq(msg, "lesson.md:3: unknown score 'x\\x1B]0;pwned\\x07'");
}

Test(buf, grows_formats_and_stays_terminated) {
    Buf b = {0};
    cr_expect_eq(buf_puts(&b, "abc"), 0);
    cr_expect_eq(buf_put(&b, "\0z", 2), 0);
    cr_expect_eq(b.n, 5);
    cr_expect_eq(b.p[5], '\0');
    cr_expect_eq(buf_printf(&b, "[%d]", 42), 0);
    cr_expect_eq(memcmp(b.p + 5, "[42]", 5), 0);
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cr_expect_eq(buf_printf(&b, "<%s>", big), 0, "longer than the stack piece");
    cr_expect_eq(b.n, 9 + 1001);
    cr_expect_eq(b.p[b.n - 1], '>');
    cr_expect_eq(strlen(b.p + 9), 1001);
    buf_clear(&b);
    cr_expect_eq(b.n, 0);
    cr_expect_str_eq(b.p, "");
    cr_expect_eq(buf_reserve(&b, SIZE_MAX - 4), -1, "an impossible size is refused");
    cr_expect(b.oom);
    cr_expect_eq(buf_puts(&b, "x"), -1, "oom stays set");
    buf_free(&b);
    cr_expect_null(b.p);
    cr_expect(!b.oom);
}

Test(names, phases_and_scores_round_trip) {
    Phase p;
    for (int i = 0; i < PH_COUNT; i++) {
        cr_expect_eq(phase_parse(phase_name(i), &p), 0);
        cr_expect_eq(p, i);
    }
    cr_expect_str_eq(phase_name(PH_SOFTMAX), "softmax");
    cr_expect_str_eq(phase_name(PH_UNSET), "unset");
    cr_expect_str_eq(phase_name(PH_COUNT), "?");
    cr_expect_eq(phase_parse("Softmax", &p), -1);
    ScoreKind k;
    for (int i = 0; i < SCORE_COUNT; i++) {
        cr_expect_eq(score_parse(score_name((ScoreKind)i), &k), 0);
        cr_expect_eq(k, i);
    }
    cr_expect_str_eq(score_name(SCORE_SCALED_DOT), "scaled_dot");
    cr_expect_eq(score_parse("Dot", &k), -1);
    cr_expect_eq(score_parse(NULL, &k), -1);
}

/* The lookup's case fold (utf8.h, MODEL.md "Lookup"): every code point of
 * the fold's ranges against a table written out by hand, and the edges of
 * every range left alone. */
Test(utf8, fold_is_exactly_the_documented_ranges) {
    static const struct { uint32_t from, to; } MAP[] = {
        {'A', 'a'}, {'Z', 'z'}, {0xC0, 0xE0}, {0xD6, 0xF6}, {0xD8, 0xF8}, {0xDE, 0xFE},
        {0x100, 0x101}, {0x12E, 0x12F}, {0x132, 0x133}, {0x136, 0x137}, {0x139, 0x13A},
        {0x147, 0x148}, {0x14A, 0x14B}, {0x176, 0x177}, {0x178, 0xFF}, {0x179, 0x17A},
        {0x17D, 0x17E}, {0x391, 0x3B1}, {0x3A1, 0x3C1}, {0x3A3, 0x3C3}, {0x3A9, 0x3C9},
        {0x400, 0x450}, {0x40F, 0x45F}, {0x410, 0x430}, {0x42F, 0x44F},
    };
    for (size_t i = 0; i < sizeof MAP / sizeof *MAP; i++)
        cr_expect_eq(utf8_fold(MAP[i].from), MAP[i].to, "U+%04X folds to U+%04X, expected U+%04X",
                     MAP[i].from, utf8_fold(MAP[i].from), MAP[i].to);
    /* unchanged: lowercase letters, the gaps in the ranges, their neighbours */
    static const uint32_t SAME[] = {'@', '[', 'a', 'z', '0', 0xBF, 0xD7, 0xDF, 0xE0, 0xFF, 0x101, 0x130,
                                    0x131, 0x138, 0x149, 0x17F, 0x180, 0x390, 0x3A2, 0x3AA, 0x3C2, 0x3C3,
                                    0x3F4, 0x3FF, 0x430, 0x450, 0x460, 0x1E9E, 0xD55C, 0x10400};
    for (size_t i = 0; i < sizeof SAME / sizeof *SAME; i++)
        cr_expect_eq(utf8_fold(SAME[i]), SAME[i], "U+%04X is outside the fold but became U+%04X", SAME[i],
                     utf8_fold(SAME[i]));
    /* the whole of each range: a capital folds to the next code point or
     * +0x20/+0x50, never outside its script, and every fold keeps the UTF-8 length */
    int folded = 0;
    for (uint32_t c = 0; c < 0x500; c++) {
        uint32_t f = utf8_fold(c);
        char a[4], b[4];
        cr_expect_eq(utf8_encode(c, a), utf8_encode(f, b), "U+%04X changes length", c);
        folded += f != c;
    }
    /* 26 ASCII + 30 Latin-1 + 61 Latin Extended-A pairs and Ÿ + 24 Greek + 48 Cyrillic */
    cr_expect_eq(folded, 26 + 30 + 62 + 24 + 48, "%d code points fold", folded);
}

Test(utf8, equal_folded_compares_whole_strings) {
    cr_expect(utf8_equal_folded("The", "the"));
    cr_expect(utf8_equal_folded("ÉCOLE", "école"));
    cr_expect(utf8_equal_folded("ŁÓDŹ", "łódź"));
    cr_expect(utf8_equal_folded("ΟΔΟΣ", "οδοσ"));
    cr_expect(!utf8_equal_folded("ΟΔΟΣ", "οδος"), "final sigma is not folded");
    cr_expect(utf8_equal_folded("МОСКВА", "москва"));
    cr_expect(!utf8_equal_folded("the", "then"));
    cr_expect(!utf8_equal_folded("then", "the"));
    cr_expect(!utf8_equal_folded("İ", "i"), "U+0130 is outside the fold");
    cr_expect(!utf8_equal_folded("STRASSE", "straße"));
    cr_expect(utf8_equal_folded("", ""));
    cr_expect(!utf8_equal_folded("\xC3", "\xC3\xA9"));
    cr_expect(utf8_equal_folded("A\xFF", "a\xFF"), "an invalid byte compares as itself");
    cr_expect(!utf8_equal_folded("A\xFF", "a\xFE"));
}
