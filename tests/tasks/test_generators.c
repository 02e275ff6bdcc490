/* test_generators.c — the task generators: exact formats, weekdays, year
 * mapping, Korean, disjoint and deterministic splits, example sentences.
 * Expected values come from the issue text or from libc (gmtime), never
 * from the code under test. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tasks/task.h"

/* ---- dates ---- */

Test(dates, the_seven_formats_of_the_issue_exactly) {
    const char *want[] = {"21 November 2026", "Nov 21, 2026", "saturday, 21 november 2026",
                          "21/11/2026", "21.11.26", "NOV 21 2026", "2026년 11월 21일"};
    char got[128];
    for (int f = 0; f < 7; f++) {
        dates_format(f, 2026, 11, 21, got, sizeof got);
        cr_expect_str_eq(got, want[f], "format %d", f);
    }
}

Test(dates, leading_zeros_only_in_the_numeric_formats) {
    char got[128];
    dates_format(0, 2005, 3, 5, got, sizeof got);
    cr_expect_str_eq(got, "5 March 2005");
    dates_format(1, 2005, 3, 5, got, sizeof got);
    cr_expect_str_eq(got, "Mar 5, 2005");
    dates_format(3, 2005, 3, 5, got, sizeof got);
    cr_expect_str_eq(got, "05/03/2005");
    dates_format(4, 2005, 3, 5, got, sizeof got);
    cr_expect_str_eq(got, "05.03.05");
    dates_format(6, 2005, 3, 5, got, sizeof got);
    cr_expect_str_eq(got, "2005년 3월 5일");
    dates_format(10, 2005, 3, 5, got, sizeof got);
    cr_expect_str_eq(got, "2005-03-05");
    for (int f = 0; f < DATES_FORMATS; f++) {
        if (f == 3 || f == 4 || f == 10) continue;
        dates_format(f, 1999, 1, 9, got, sizeof got);
        cr_expect(!strstr(got, "09") && !strstr(got, "01"), "format %d has a leading zero: %s", f, got);
    }
}

/* weekday from libc, an independent implementation */
static int libc_weekday(int y, int m, int d) {
    struct tm t = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t s = timegm(&t);
    struct tm out;
    gmtime_r(&s, &out);
    return (out.tm_wday + 6) % 7;    /* libc: 0 = Sunday; ours: 0 = Monday */
}

/* issue 13: a date typed the way the model writes it is one of the inputs,
 * and it is its own target */
Test(dates, the_output_format_is_an_input_format) {
    char got[128];
    dates_format(DATES_FORMATS - 1, 2026, 11, 21, got, sizeof got);
    cr_expect_str_eq(got, "2026-11-21");
    dates_format(DATES_FORMATS - 1, 1950, 1, 9, got, sizeof got);
    cr_expect_str_eq(got, "1950-01-09");
    Pairs p;
    cr_assert_eq(task_pairs(task_find("dates"), SPLIT_TRAIN, 2000, 3, &p, NULL), 0);
    int iso = 0;
    for (int i = 0; i < p.n; i++) iso += strcmp(p.src[i], p.tgt[i]) == 0;
    cr_expect(iso > 100, "only %d of 2000 training sources are in the output's format", iso);
    pairs_free(&p);
}

Test(dates, weekday_right_on_every_day_of_the_range) {
    for (int y = 1950; y <= 2049; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 28; d++)
                cr_assert_eq(dates_weekday(y, m, d), libc_weekday(y, m, d), "%d-%d-%d", y, m, d);
    cr_expect_eq(dates_weekday(2026, 11, 21), 5);   /* the issue: a Saturday */
}

static const char *MONTHS_LC[] = {"january", "february", "march", "april", "may", "june", "july",
                                  "august", "september", "october", "november", "december"};
static const char *DAYS_LC[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

Test(dates, generated_pairs_are_consistent) {
    const Task *t = task_find("dates");
    cr_assert(t);
    Pairs p;
    char err[AV_ERR_LEN];
    cr_assert_eq(task_pairs(t, SPLIT_TRAIN, 4000, 7, &p, err), 0, "%s", err);
    int seen_weekday = 0, seen_two_digit = 0, seen_korean = 0, seen_19 = 0, seen_20 = 0;
    for (int i = 0; i < p.n; i++) {
        int y, m, d;
        cr_assert_eq(sscanf(p.tgt[i], "%4d-%2d-%2d", &y, &m, &d), 3, "%s", p.tgt[i]);
        cr_assert_eq(strlen(p.tgt[i]), 10u);
        cr_assert(y >= 1950 && y <= 2049, "%s", p.tgt[i]);
        /* the date exists: libc normalises a wrong day into another month */
        struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
        time_t s = timegm(&tm);
        struct tm back;
        gmtime_r(&s, &back);
        cr_assert(back.tm_mday == d && back.tm_mon == m - 1, "%s does not exist", p.tgt[i]);
        const char *src = p.src[i];
        char wd[32], mon[32];
        int dd, yy, mm;
        if (sscanf(src, "%31[a-z], %d %31s %d", wd, &dd, mon, &yy) == 4) {     /* weekday format */
            cr_expect_str_eq(wd, DAYS_LC[libc_weekday(y, m, d)], "%s", src);
            cr_expect_str_eq(mon, MONTHS_LC[m - 1], "%s", src);
            seen_weekday++;
        }
        if (strlen(src) == 8 && sscanf(src, "%2d.%2d.%2d", &dd, &mm, &yy) == 3) {  /* 21.11.26 */
            cr_expect_eq(dd, d);
            cr_expect_eq(mm, m);
            cr_expect_eq(y, yy >= 50 ? 1900 + yy : 2000 + yy, "%s → %s", src, p.tgt[i]);
            seen_two_digit++;
            if (yy >= 50) seen_19++; else seen_20++;
        }
        if (strstr(src, "년")) {
            char want[64];
            snprintf(want, sizeof want, "%d년 %d월 %d일", y, m, d);
            cr_expect_str_eq(src, want);
            seen_korean++;
        }
    }
    cr_expect(seen_weekday > 100 && seen_two_digit > 100 && seen_korean > 100);
    cr_expect(seen_19 > 20 && seen_20 > 20);
    pairs_free(&p);
}

Test(dates, every_format_is_used) {
    const Task *t = task_find("dates");
    Pairs p;
    cr_assert_eq(task_pairs(t, SPLIT_TEST, 2000, 1, &p, NULL), 0);
    int used[DATES_FORMATS] = {0};
    for (int i = 0; i < p.n; i++) {
        int y, m, d, hits = 0;
        sscanf(p.tgt[i], "%d-%d-%d", &y, &m, &d);
        for (int f = 0; f < DATES_FORMATS; f++) {
            char s[128];
            dates_format(f, y, m, d, s, sizeof s);
            if (!strcmp(s, p.src[i])) used[f]++, hits++;
        }
        /* May is both the short and the long month name: formats 1 and 7 agree */
        cr_expect(hits == 1 || (hits == 2 && strstr(p.src[i], "May")), "%s matches %d formats", p.src[i], hits);
    }
    for (int f = 0; f < DATES_FORMATS; f++) cr_expect(used[f] > 100, "format %d used %d times", f, used[f]);
    pairs_free(&p);
}

/* ---- reverse and copy ---- */

Test(seq, reverse_and_copy) {
    Pairs p;
    cr_assert_eq(task_pairs(task_find("reverse"), SPLIT_TRAIN, 3000, 2, &p, NULL), 0);
    int lo = 99, hi = 0;
    for (int i = 0; i < p.n; i++) {
        size_t n = strlen(p.src[i]);
        cr_assert_eq(strlen(p.tgt[i]), n);
        for (size_t j = 0; j < n; j++) {
            cr_assert(p.src[i][j] >= 'a' && p.src[i][j] <= 'z');
            cr_assert_eq(p.tgt[i][j], p.src[i][n - 1 - j]);
        }
        if ((int)n < lo) lo = (int)n;
        if ((int)n > hi) hi = (int)n;
    }
    cr_expect(lo == 4 && hi == 16, "lengths %d..%d", lo, hi);
    pairs_free(&p);
    cr_assert_eq(task_pairs(task_find("copy"), SPLIT_TRAIN, 3000, 2, &p, NULL), 0);
    lo = 99, hi = 0;
    for (int i = 0; i < p.n; i++) {
        cr_assert_str_eq(p.src[i], p.tgt[i]);
        int n = (int)strlen(p.src[i]);
        if (n < lo) lo = n;
        if (n > hi) hi = n;
    }
    cr_expect(lo == 5 && hi == 60, "lengths %d..%d", lo, hi);
    pairs_free(&p);
}

/* ---- every task: splits ---- */

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

Test(splits, disjoint_for_every_task_and_seed) {
    cr_assert_eq(task_count(), 5);
    for (int k = 0; k < task_count(); k++) {
        const Task *t = task_at(k);
        Pairs tr, te;
        cr_assert_eq(task_pairs(t, SPLIT_TRAIN, 5000, 11, &tr, NULL), 0);
        cr_assert_eq(task_pairs(t, SPLIT_TEST, 1000, 12, &te, NULL), 0);
        qsort(tr.src, (size_t)tr.n, sizeof *tr.src, cmp);   /* sources only: tgt no longer matches */
        int test_distinct = 0;
        for (int i = 0; i < te.n; i++) {
            cr_assert(split_is_test(te.src[i]));
            cr_assert(!bsearch(&te.src[i], tr.src, (size_t)tr.n, sizeof *tr.src, cmp),
                      "%s: '%s' in both splits", t->name, te.src[i]);
            test_distinct++;
        }
        for (int i = 0; i < tr.n; i++) cr_assert(!split_is_test(tr.src[i]));
        cr_expect(test_distinct == te.n);
        pairs_free(&tr);
        pairs_free(&te);
    }
}

Test(splits, test_set_is_mostly_distinct) {
    /* large enough spaces: 1000 test sentences are mostly different (en-fr's
     * bare noun phrases, "the cars", are its most frequent repeats) */
    for (int k = 0; k < task_count(); k++) {
        Pairs te;
        cr_assert_eq(task_pairs(task_at(k), SPLIT_TEST, 1000, 3, &te, NULL), 0);
        qsort(te.src, (size_t)te.n, sizeof *te.src, cmp);
        int dup = 0;
        for (int i = 1; i < te.n; i++) dup += !strcmp(te.src[i], te.src[i - 1]);
        cr_expect(dup < 150, "%s: %d duplicate test sources of 1000", task_at(k)->name, dup);
        pairs_free(&te);
    }
}

Test(splits, deterministic_by_seed) {
    for (int k = 0; k < task_count(); k++) {
        Pairs a, b, c;
        cr_assert_eq(task_pairs(task_at(k), SPLIT_TRAIN, 200, 5, &a, NULL), 0);
        cr_assert_eq(task_pairs(task_at(k), SPLIT_TRAIN, 200, 5, &b, NULL), 0);
        cr_assert_eq(task_pairs(task_at(k), SPLIT_TRAIN, 200, 6, &c, NULL), 0);
        int same = 0;
        for (int i = 0; i < 200; i++) {
            cr_assert_str_eq(a.src[i], b.src[i]);
            cr_assert_str_eq(a.tgt[i], b.tgt[i]);
            same += !strcmp(a.src[i], c.src[i]);
        }
        cr_expect(same < 20, "%s: seeds 5 and 6 agree on %d of 200", task_at(k)->name, same);
        pairs_free(&a);
        pairs_free(&b);
        pairs_free(&c);
    }
}

Test(splits, task_table) {
    const char *names[] = {"dates", "reverse", "en-ko", "en-fr", "copy"};
    for (int i = 0; i < 5; i++) {
        const Task *t = task_find(names[i]);
        cr_assert(t, "%s", names[i]);
        cr_expect_str_eq(t->name, names[i]);
        cr_expect_eq(t->tokenizer, i == 2 || i == 3 ? TOK_WORD : TOK_CHAR);
    }
    cr_expect_null(task_find("nope"));
    cr_expect_null(task_find(NULL));
    cr_expect_null(task_at(5));
}

/* ---- the languages: find the issue's sentences in the generator's space ---- */

static void expect_translation(const char *task, const char *en, const char *want) {
    const Task *t = task_find(task);
    Rng r;
    rng_seed(&r, 42);
    char s[TASK_MAX_TEXT], g[TASK_MAX_TEXT];
    for (long i = 0; i < 20000000; i++) {
        t->generate_any(&r, s, g, sizeof s);
        if (!strcmp(s, en)) {
            cr_expect_str_eq(g, want, "%s: '%s'", task, en);
            return;
        }
    }
    cr_expect(0, "%s: never generated '%s'", task, en);
}

Test(languages, issue_examples, .timeout = 60) {
    expect_translation("en-ko", "I love you", "나는 너를 사랑해");
    expect_translation("en-fr", "the red car", "la voiture rouge");
    expect_translation("en-fr", "the european economic area", "la zone économique européenne");
}

Test(languages, more_examples, .timeout = 60) {
    /* particles after a final consonant (책, 선생님) and without (사과, 친구) */
    expect_translation("en-ko", "the teacher reads a book", "선생님은 책을 읽어");
    expect_translation("en-ko", "a child eats the apple", "아이가 사과를 먹어");
    expect_translation("en-ko", "my friend does not know him", "내 친구는 그를 몰라");
    expect_translation("en-ko", "she drinks water at home today", "그녀는 오늘 집에서 물을 마셔");
    expect_translation("en-fr", "she sees the big white houses", "elle voit les grandes maisons blanches");
    expect_translation("en-fr", "we sell a green bicycle", "nous vendons un vélo vert");
    expect_translation("en-fr", "the houses are white", "les maisons sont blanches");
}

Test(languages, batchim) {
    cr_expect(ko_has_batchim("책"));
    cr_expect(ko_has_batchim("선생님"));
    cr_expect(ko_has_batchim("그들"));
    cr_expect(!ko_has_batchim("사과"));
    cr_expect(!ko_has_batchim("나"));
    cr_expect(!ko_has_batchim("abc"));
}

Test(languages, korean_particles_agree_with_the_last_syllable) {
    Pairs p;
    cr_assert_eq(task_pairs(task_find("en-ko"), SPLIT_TRAIN, 3000, 9, &p, NULL), 0);
    /* the last three bytes of a particle-bearing word are the particle */
    const char *after_consonant[] = {"은", "이", "을"}, *after_vowel[] = {"는", "가", "를"};
    int checked = 0;
    for (int i = 0; i < p.n; i++) {
        char buf[TASK_MAX_TEXT];
        snprintf(buf, sizeof buf, "%s", p.tgt[i]);
        for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
            size_t n = strlen(w);
            if (n < 6) continue;
            for (int k = 0; k < 3; k++) {
                const char *part = NULL;
                bool consonant = false;
                if (!strcmp(w + n - 3, after_consonant[k])) part = after_consonant[k], consonant = true;
                if (!strcmp(w + n - 3, after_vowel[k])) part = after_vowel[k];
                if (!part) continue;
                char stem[64];
                snprintf(stem, sizeof stem, "%.*s", (int)(n - 3), w);
                /* skip words that merely end in such a syllable (e.g. 아이) */
                if (!strcmp(w, "아이") || !strcmp(w, "소녀가") || !strcmp(w, "가수")) continue;
                /* Hangul syllable: (cp - 0xAC00) % 28 is the final consonant */
                const unsigned char *q = (const unsigned char *)stem + strlen(stem) - 3;
                unsigned cp = (unsigned)(q[0] & 0x0F) << 12 | (unsigned)(q[1] & 0x3F) << 6 | (q[2] & 0x3F);
                cr_assert(cp >= 0xAC00 && cp <= 0xD7A3, "%s", w);
                cr_expect_eq((cp - 0xAC00) % 28 != 0, consonant, "'%s' in '%s'", w, p.tgt[i]);
                checked++;
            }
        }
    }
    cr_expect(checked > 3000, "checked %d", checked);
    pairs_free(&p);
}
