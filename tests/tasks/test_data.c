/* test_data.c — TSV files (every bad line refused with its number),
 * vocabularies and tokenised data sets. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tasks/task.h"
#include "base/utf8.h"

static char path[64];

static const char *write_file(const char *bytes, size_t n) {
    snprintf(path, sizeof path, "/tmp/attnviz-tsv-%d.tsv", (int)getpid());
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(bytes, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
    return path;
}
#define WRITE(s) write_file(s, sizeof(s) - 1)

static void expect_refused(const char *bytes, size_t n, const char *fragment) {
    const char *p = write_file(bytes, n);
    Pairs pairs;
    char err[AV_ERR_LEN] = "";
    cr_expect_eq(pairs_read_tsv(p, &pairs, err), -1, "accepted: %s", fragment);
    cr_expect(strstr(err, fragment) != NULL, "message '%s' lacks '%s'", err, fragment);
    cr_expect(strstr(err, p) == err, "message '%s' does not start with the file name", err);
    cr_expect_eq(pairs.n, 0);
    unlink(p);
}
#define REFUSED(s, frag) expect_refused(s, sizeof(s) - 1, frag)

Test(tsv, reads_pairs) {
    const char *p = WRITE("abc\tcba\n\nhello world\tmonde\r\n나는\t I\n");
    Pairs pairs;
    char err[AV_ERR_LEN];
    cr_assert_eq(pairs_read_tsv(p, &pairs, err), 0, "%s", err);
    cr_assert_eq(pairs.n, 3);
    cr_expect_str_eq(pairs.src[0], "abc");
    cr_expect_str_eq(pairs.tgt[0], "cba");
    cr_expect_str_eq(pairs.src[1], "hello world");
    cr_expect_str_eq(pairs.tgt[1], "monde");          /* CR removed */
    cr_expect_str_eq(pairs.src[2], "나는");
    cr_expect_str_eq(pairs.tgt[2], " I");
    pairs_free(&pairs);
    unlink(p);
}

Test(tsv, byte_order_mark_and_missing_last_newline) {
    const char *p = WRITE("\xEF\xBB\xBFx\ty\nz\tw");
    Pairs pairs;
    char err[AV_ERR_LEN];
    cr_assert_eq(pairs_read_tsv(p, &pairs, err), 0, "%s", err);
    cr_assert_eq(pairs.n, 2);
    cr_expect_str_eq(pairs.src[0], "x");
    cr_expect_str_eq(pairs.tgt[1], "w");
    pairs_free(&pairs);
    unlink(p);
}

Test(tsv, bad_lines_named_by_number) {
    REFUSED("a\tb\nc\td\nno tab here\n", ":3: expected source TAB target, found no tab");
    REFUSED("a\tb\tc\n", ":1: expected source TAB target, found more than one tab");
    REFUSED("a\tb\n\tb\n", ":2: the source is empty");
    REFUSED("a\tb\nx\t\n", ":2: the target is empty");
    REFUSED("a\tb\nc\xff\td\n", ":2: invalid UTF-8 at byte 2");
    REFUSED("ok\tok\nok\tok\n\xC3\x28\tx\n", ":3: invalid UTF-8 at byte 1");       /* bad continuation */
    REFUSED("\xC0\xAF\tx\n", ":1: invalid UTF-8");                                  /* overlong '/' */
    REFUSED("\xED\xA0\x80\tx\n", ":1: invalid UTF-8");                              /* a surrogate */
    REFUSED("a\tb\nab\xE2\x82\n", ":2: invalid UTF-8 at byte 3");                   /* truncated */
    REFUSED("a\tb\na\0b\tc\n", ":2: contains a NUL byte");
    /* control characters would become tokens (found by fuzz_tsv: "ba\r\r\n"
     * kept a CR that did not survive writing the pairs back) */
    REFUSED("ab\tba\r\r\n", ":1: control character U+000D at byte 6");
    REFUSED("a\tb\rc\td\r", ":1: control character U+000D at byte 4");     /* old Mac line ends */
    REFUSED("a\tb\n\x1b[2Jx\ty\n", ":2: control character U+001B at byte 1");
    REFUSED("a\x7f\tb\n", ":1: control character U+007F at byte 2");
    REFUSED("a\tb\xc2\x85\n", ":1: control character U+0085 at byte 4");      /* NEL */
    /* a BOM past the file's start (found by fuzz_tsv: a second one was kept
     * in the first source, and lost when the pairs were written back) */
    REFUSED("\xEF\xBB\xBF\xEF\xBB\xBF" "ab\tba\n", ":1: byte order mark (U+FEFF) at byte 1");
    REFUSED("a\tb\n\xEF\xBB\xBF" "c\td\n", ":2: byte order mark (U+FEFF) at byte 1: only the start");
    REFUSED("", "no pairs");
    REFUSED("\n\n", "no pairs");
}

Test(tsv, long_line_refused) {
    size_t n = TASK_MAX_TEXT + 100;
    char *s = malloc(n + 8);
    memset(s, 'a', n);
    memcpy(s + 10, "\tb", 2);
    memcpy(s + n, "\n", 2);
    expect_refused(s, n + 1, ":1: line is");
    free(s);
}

Test(tsv, missing_file) {
    Pairs pairs;
    char err[AV_ERR_LEN] = "";
    cr_expect_eq(pairs_read_tsv("/nonexistent/x.tsv", &pairs, err), -1);
    cr_expect(strstr(err, "/nonexistent/x.tsv: cannot open") == err, "%s", err);
}

Test(tsv, write_then_read_round_trip) {
    Pairs a, b;
    cr_assert_eq(task_pairs(task_find("en-ko"), SPLIT_TRAIN, 50, 3, &a, NULL), 0);
    snprintf(path, sizeof path, "/tmp/attnviz-rt-%d.tsv", (int)getpid());
    FILE *f = fopen(path, "w");
    cr_assert_eq(pairs_write_tsv(f, &a), 0);
    cr_assert_eq(fclose(f), 0);
    char err[AV_ERR_LEN];
    cr_assert_eq(pairs_read_tsv(path, &b, err), 0, "%s", err);
    cr_assert_eq(b.n, a.n);
    for (int i = 0; i < a.n; i++) {
        cr_expect_str_eq(a.src[i], b.src[i]);
        cr_expect_str_eq(a.tgt[i], b.tgt[i]);
    }
    pairs_free(&a);
    pairs_free(&b);
    unlink(path);
}

Test(utf8, validator) {
    cr_expect_eq(utf8_invalid_at("abc", 3), -1);
    cr_expect_eq(utf8_invalid_at("년", strlen("년")), -1);
    cr_expect_eq(utf8_invalid_at("\xF0\x9F\x98\x80", 4), -1);          /* U+1F600 */
    cr_expect_eq(utf8_invalid_at("ab\x80", 3), 2);
    cr_expect_eq(utf8_invalid_at("\xF4\x90\x80\x80", 4), 0);           /* > U+10FFFF */
    cr_expect_eq(utf8_invalid_at("\xE0\x80\x80", 3), 0);               /* overlong */
}

Test(tsv, the_path_in_a_message_is_escaped) {
    Pairs p;
    char err[AV_ERR_LEN];
    cr_assert_eq(pairs_read_tsv("/nonexistent-dir/a\nb\x1b.tsv", &p, err), -1);
    cr_expect(strstr(err, "/nonexistent-dir/a\\x0Ab\\x1B.tsv: cannot open"), "%s", err);
    cr_expect(!strchr(err, '\n') && !strchr(err, '\x1b'), "%s", err);
}

/* ---- vocabularies and data sets ---- */

static Pairs two_pairs(const char *s0, const char *t0, const char *s1, const char *t1) {
    Pairs p = {.n = 2};
    p.src = malloc(2 * sizeof *p.src);
    p.tgt = malloc(2 * sizeof *p.tgt);
    p.src[0] = strdup(s0), p.tgt[0] = strdup(t0), p.src[1] = strdup(s1), p.tgt[1] = strdup(t1);
    return p;
}

Test(vocab, char_vocab_specials_first_then_sorted_unique) {
    Pairs p = two_pairs("cab", "x", "bad", "yy");
    Vocab v;
    char err[AV_ERR_LEN];
    cr_assert_eq(vocab_build(TOK_CHAR, &p, 0, &v, err), 0, "%s", err);
    const char *want[] = {"<pad>", "<sos>", "<eos>", "<unk>", "a", "b", "c", "d"};
    cr_assert_eq(v.n, 8);
    for (int i = 0; i < 8; i++) cr_expect_str_eq(v.tokens[i], want[i]);
    vocab_free(&v);
    cr_assert_eq(vocab_build(TOK_CHAR, &p, 1, &v, err), 0, "%s", err);
    cr_assert_eq(v.n, 6);
    cr_expect_str_eq(v.tokens[4], "x");
    cr_expect_str_eq(v.tokens[5], "y");
    vocab_free(&v);
    pairs_free(&p);
}

Test(vocab, word_vocab_and_hangul) {
    Pairs p = two_pairs("I love you", "나는 너를 사랑해", "you love me", "너는 나를 사랑해");
    Vocab v;
    char err[AV_ERR_LEN];
    cr_assert_eq(vocab_build(TOK_WORD, &p, 0, &v, err), 0, "%s", err);
    const char *want_src[] = {"<pad>", "<sos>", "<eos>", "<unk>", "I", "love", "me", "you"};
    cr_assert_eq(v.n, 8);
    for (int i = 0; i < 8; i++) cr_expect_str_eq(v.tokens[i], want_src[i]);
    vocab_free(&v);
    cr_assert_eq(vocab_build(TOK_WORD, &p, 1, &v, err), 0, "%s", err);
    cr_expect_eq(v.n, 4 + 5);                    /* 나는 너를 사랑해 너는 나를 */
    vocab_free(&v);
    cr_assert_eq(vocab_build(TOK_CHAR, &p, 1, &v, err), 0, "%s", err);
    cr_expect(vocab_find(&v, "사") > 3);          /* a code point, not a byte */
    cr_expect(vocab_find(&v, " ") > 3);
    vocab_free(&v);
    pairs_free(&p);
}

Test(dataset, targets_end_with_eos_and_unknowns_map_to_unk) {
    Pairs p = two_pairs("abc", "cba", "ab", "ba");
    Vocab vs, vt;
    char err[AV_ERR_LEN];
    cr_assert_eq(vocab_build(TOK_CHAR, &p, 0, &vs, err), 0, "%s", err);
    cr_assert_eq(vocab_build(TOK_CHAR, &p, 1, &vt, err), 0, "%s", err);
    free(p.src[1]);
    p.src[1] = strdup("az");                       /* z is not in the vocabulary */
    Dataset d;
    cr_assert_eq(dataset_build(&p, TOK_CHAR, &vs, &vt, &d, err), 0, "%s", err);
    cr_assert_eq(d.n, 2);
    cr_expect_eq(d.src_len[0], 3);
    cr_expect_eq(d.tgt_len[0], 4);
    cr_expect_eq(d.max_src, 3);
    cr_expect_eq(d.max_tgt, 4);
    const int *s0 = d.ids + d.src_off[0], *t0 = d.ids + d.tgt_off[0], *s1 = d.ids + d.src_off[1];
    cr_expect_str_eq(vs.tokens[s0[0]], "a");
    cr_expect_str_eq(vs.tokens[s0[2]], "c");
    cr_expect_str_eq(vt.tokens[t0[0]], "c");
    cr_expect_eq(t0[3], TOK_EOS);
    cr_expect_eq(d.ids[d.tgt_off[1] + d.tgt_len[1] - 1], TOK_EOS);
    cr_expect_eq(s1[1], TOK_UNK);
    dataset_free(&d);
    vocab_free(&vs);
    vocab_free(&vt);
    pairs_free(&p);
}

Test(dataset, task_data_end_to_end) {
    for (int k = 0; k < task_count(); k++) {
        const Task *t = task_at(k);
        Pairs p;
        Vocab vs, vt;
        Dataset d;
        char err[AV_ERR_LEN];
        cr_assert_eq(task_pairs(t, SPLIT_TRAIN, 500, 1, &p, err), 0, "%s", err);
        cr_assert_eq(vocab_build(t->tokenizer, &p, 0, &vs, err), 0, "%s", err);
        cr_assert_eq(vocab_build(t->tokenizer, &p, 1, &vt, err), 0, "%s", err);
        cr_assert_eq(dataset_build(&p, t->tokenizer, &vs, &vt, &d, err), 0, "%s", err);
        for (int i = 0; i < d.n; i++) {
            cr_assert(d.src_len[i] >= 1);
            for (int j = 0; j < d.src_len[i]; j++) cr_assert(d.ids[d.src_off[i] + j] >= TOK_SPECIALS);
            for (int j = 0; j < d.tgt_len[i] - 1; j++) cr_assert(d.ids[d.tgt_off[i] + j] >= TOK_SPECIALS);
            cr_assert_eq(d.ids[d.tgt_off[i] + d.tgt_len[i] - 1], TOK_EOS);
        }
        dataset_free(&d);
        vocab_free(&vs);
        vocab_free(&vt);
        pairs_free(&p);
    }
}

/* issue 14: comments, blank lines, a header; white space of any kind is no
 * target; a huge line or a device refused after a bounded read */
Test(tsv, comments_blank_lines_and_a_header_are_skipped) {
    const char *p = WRITE("# pairs for a test\nSource\tTARGET\n\n   \n\xC2\xA0\t\xE3\x80\x80\nab\tba\n# more\ncd\tdc\n");
    Pairs pairs;
    char err[AV_ERR_LEN];
    cr_assert_eq(pairs_read_tsv(p, &pairs, err), 0, "%s", err);
    cr_expect_eq(pairs.n, 2);
    cr_expect_eq(pairs.header_line, 2);
    cr_expect_str_eq(pairs.src[0], "ab");
    cr_expect_str_eq(pairs.tgt[1], "dc");
    pairs_free(&pairs);
    static const char *const HEADERS[] = {"src\ttgt\na\tb\n", "input\toutput\na\tb\n", "\xEF\xBB\xBFsource\ttarget\na\tb\n",
                                          "src\tdst\na\tb\n", "Question\tAnswer\na\tb\n", "prompt\tlabel\na\tb\n",
                                          "source\treference\na\tb\n", "Source\tTranslation\na\tb\n"};
    for (int i = 0; i < 8; i++) {
        p = write_file(HEADERS[i], strlen(HEADERS[i]));
        cr_assert_eq(pairs_read_tsv(p, &pairs, err), 0, "%s", err);
        cr_expect(pairs.n == 1 && pairs.header_line == 1, "header %d not recognised", i);
        pairs_free(&pairs);
    }
    /* only the first data line can be a header; later it is data */
    p = WRITE("a\tb\nsource\ttarget\n");
    cr_assert_eq(pairs_read_tsv(p, &pairs, err), 0, "%s", err);
    cr_expect(pairs.n == 2 && pairs.header_line == 0);
    pairs_free(&pairs);
    unlink(p);
}

Test(tsv, white_space_of_any_kind_is_no_target) {
    REFUSED("a\tb\nabc\t\xC2\xA0\xC2\xA0\n", ":2: the target is empty (only white space)");   /* NBSP */
    REFUSED("a\tb\n\xE2\x80\x83\tx\n", ":2: the source is empty");                              /* em space */
    REFUSED("a\tb\nx\t\xE3\x80\x80 \t\n", ":2: expected source TAB target, found more than one tab");
    REFUSED("# only comments\n\n", "no pairs");
    REFUSED("source\ttarget\n", "no pairs");
    REFUSED("a\tb\na\x1b[2J\tb\n", ":2: control character U+001B at byte 2");
    REFUSED("a\tb\r\r\n", ":1: control character U+000D at byte 4");
    REFUSED("a\tb\xC2\x85\n", ":1: control character U+0085 at byte 4");
}

Test(tsv, huge_lines_and_devices_refused_after_a_bounded_read) {
    /* 50 MB on one line: refused with its line number, having read ~1 KB */
    const char *p = write_file("", 0);
    FILE *f = fopen(p, "wb");
    cr_assert(f);
    fputs("a\tb\n", f);
    static char chunk[1 << 20];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 50; i++) fwrite(chunk, 1, sizeof chunk, f);
    fclose(f);
    Pairs pairs;
    char err[AV_ERR_LEN];
    cr_expect_eq(pairs_read_tsv(p, &pairs, err), -1);
    cr_expect(strstr(err, ":2: line is longer than 1024 bytes"), "%s", err);
    unlink(p);
    cr_expect_eq(pairs_read_tsv("/dev/zero", &pairs, err), -1);
    cr_expect(strstr(err, "/dev/zero:1: contains a NUL byte"), "%s", err);
    cr_expect_eq(pairs_read_tsv("/dev/null", &pairs, err), -1);
    cr_expect(strstr(err, "no pairs"), "%s", err);
}

Test(tsv, no_token_at_all_builds_no_vocabulary_without_trouble) {
    /* vocab_build on pairs without a token: specials only, no qsort(NULL, 0) */
    Pairs p = {0};
    Vocab v;
    char err[AV_ERR_LEN];
    cr_assert_eq(vocab_build(TOK_WORD, &p, 0, &v, err), 0, "%s", err);
    cr_expect_eq(v.n, TOK_SPECIALS);
    vocab_free(&v);
}
