/* task_align.c — the right alignment of reverse, copy and dates, and the two measures of an attention matrix (align.h).
 *
 * A date is read the way task_dates.c writes it, whatever the format: the
 * input is cut into runs of ASCII digits and runs of ASCII letters (a run of
 * letters that spells a month, full or in three letters, in any case, is the
 * month), and then
 *   - with 년 in it (2026년 11월 21일): three numbers, year, month, day;
 *   - with a month word (21 November 2026, Nov 21, 2026, Sat 21 Nov 2026,
 *     21 nov 26, ...): two numbers, day then year;
 *   - with neither (21/11/2026, 21.11.26): three numbers, day, month, year;
 *     but when the first of them has four digits (2026-11-21, the output's
 *     own ISO form), year, month, day.
 * Anything else is not a date of the task, and has no known alignment.
 */
#include "align.h"

#include <math.h>
#include <string.h>

#include "../base/utf8.h"

enum { MAX_RUNS = 16 };

typedef struct {
    SrcSpan digits[MAX_RUNS], month_word;
    int n_digits, n_month_words;
    bool korean;    /* has 년 */
    int len;        /* code points */
} DateParts;

static bool is_month_word(const char *s, size_t n) {
    static const char *MONTHS[12] = {"january", "february", "march", "april", "may", "june", "july",
                                     "august", "september", "october", "november", "december"};
    char low[16];
    if (n < 3 || n >= sizeof low) return false;
    for (size_t i = 0; i < n; i++) low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
    low[n] = 0;
    for (int m = 0; m < 12; m++)
        if ((n == 3 && strncmp(low, MONTHS[m], 3) == 0) || strcmp(low, MONTHS[m]) == 0) return true;
    return false;
}

static bool is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static bool is_letter(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Cut src into runs; positions are code points. */
static void date_parts(const char *src, DateParts *p) {
    memset(p, 0, sizeof *p);
    const char *s = src, *run_start = NULL;
    int pos = 0, run_pos = 0;
    uint32_t kind = 0; /* 'd' digits, 'a' letters, 0 none */
    for (;;) {
        const char *at = s;
        uint32_t c = *s ? utf8_next(&s) : 0;
        uint32_t k = is_digit(c) ? 'd' : is_letter(c) ? 'a' : 0;
        if (k != kind && kind) { /* a run ends before `at` */
            SrcSpan span = {run_pos, pos};
            if (kind == 'd' && p->n_digits < MAX_RUNS) p->digits[p->n_digits++] = span;
            if (kind == 'a' && is_month_word(run_start, (size_t)(at - run_start))) {
                p->month_word = span;
                p->n_month_words++;
            }
        }
        if (k != kind) {
            run_start = at;
            run_pos = pos;
            kind = k;
        }
        if (!c) break;
        if (c == 0xB144) p->korean = true; /* 년 */
        pos++;
    }
    p->len = pos;
}

/* The output YYYY-MM-DD<eos>: which part each of its 11 steps is. */
static int dates_alignment(const char *src, SrcSpan *out, int cap, char *err) {
    DateParts p;
    date_parts(src, &p);
    SrcSpan year, month, day;
    if (p.korean && p.n_digits == 3 && p.n_month_words == 0) {
        year = p.digits[0], month = p.digits[1], day = p.digits[2];
    } else if (!p.korean && p.n_month_words == 1 && p.n_digits == 2) {
        day = p.digits[0], month = p.month_word, year = p.digits[1];
    } else if (!p.korean && p.n_month_words == 0 && p.n_digits == 3 && p.digits[0].hi - p.digits[0].lo == 4) {
        year = p.digits[0], month = p.digits[1], day = p.digits[2];
    } else if (!p.korean && p.n_month_words == 0 && p.n_digits == 3) {
        day = p.digits[0], month = p.digits[1], year = p.digits[2];
    } else {
        return av_err(err, "not a date in one of the task's formats, so its right alignment is unknown");
    }
    const SrcSpan none = {0, 0};
    const SrcSpan steps[11] = {year, year, year, year, none, month, month, none, day, day, none};
    for (int t = 0; t < 11 && t < cap; t++) out[t] = steps[t];
    return 11;
}

int task_alignment(const Task *t, const char *src, SrcSpan *out, int cap, char *err) {
    if (!t || !src) return av_err(err, "no task");
    bool rev = strcmp(t->name, "reverse") == 0, copy = strcmp(t->name, "copy") == 0;
    if (strcmp(t->name, "dates") == 0) return dates_alignment(src, out, cap, err);
    if (!rev && !copy) return av_err(err, "the task %s has no known right alignment", t->name);
    int S = (int)utf8_count(src);
    for (int k = 0; k <= S && k < cap; k++) { /* step S is <eos> */
        int s = rev ? S - 1 - k : k;
        out[k] = k < S ? (SrcSpan){s, s + 1} : (SrcSpan){0, 0};
    }
    return S + 1;
}

float alignment_accuracy(const float *weights, int T, int S, const SrcSpan *right, int n) {
    int counted = 0, hits = 0;
    for (int t = 0; t < T && t < n; t++) {
        if (right[t].hi <= right[t].lo) continue;
        const float *w = weights + (size_t)t * S;
        int best = 0;
        for (int s = 1; s < S; s++)
            if (w[s] > w[best]) best = s;
        counted++;
        hits += best >= right[t].lo && best < right[t].hi;
    }
    return counted ? (float)hits / (float)counted : NAN;
}

float attention_entropy(const float *weights, int T, int S) {
    if (T < 1 || S < 1) return NAN;
    double sum = 0.0;
    for (int t = 0; t < T; t++)
        for (int s = 0; s < S; s++) {
            double a = weights[(size_t)t * S + s];
            if (a > 0) sum -= a * log(a);
        }
    return (float)(sum / T);
}
