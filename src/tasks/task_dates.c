/* task_dates.c — human-readable dates → ISO 8601 (YYYY-MM-DD).
 *
 * Eleven formats, the first seven exactly as the issue writes them:
 *   21 November 2026   Nov 21, 2026   saturday, 21 november 2026
 *   21/11/2026   21.11.26   NOV 21 2026   2026년 11월 21일
 *   November 21, 2026   Sat 21 Nov 2026   21 nov 26   2026-11-21
 * The last is the output's own format (ISO 8601), so that a date typed the
 * way the model writes it comes back unchanged (issue 13).
 * Days and months have no leading zero, except in the three numeric formats
 * (21/11/2026, 21.11.26, 2026-11-21), which always use two digits. Years run from 1950
 * to 2049, so a two-digit year is unambiguous: 50–99 → 19xx, 00–49 → 20xx.
 * The weekday is computed, never guessed: days_from_civil below is Howard
 * Hinnant's algorithm, and 1970-01-01 was a Thursday.
 *
 * What the model learns: the year comes first in the output but last in
 * most inputs, so the alignment jumps.
 */
#include "task_impl.h"

#include <stdio.h>

static const char *MONTHS[12] = {"January", "February", "March", "April", "May", "June", "July",
                                 "August", "September", "October", "November", "December"};
static const char *MON[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *WEEKDAYS[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                  "Friday", "Saturday", "Sunday"};

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d. */
long dates_days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;                                   /* [0, 399]   */
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  /* [0, 365]   */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Monday … 6 = Sunday */
int dates_weekday(int y, int m, int d) {
    long z = dates_days_from_civil(y, m, d);
    return (int)(((z % 7) + 7 + 3) % 7);                        /* 1970-01-01: Thursday = 3 */
}

static void lower(char *dst, const char *s) {
    while (*s) *dst++ = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s), s++;
    *dst = 0;
}
static void upper(char *dst, const char *s) {
    while (*s) *dst++ = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s), s++;
    *dst = 0;
}

void dates_format(int fmt, int y, int m, int d, char *src, size_t cap) {
    char a[16], b[16];
    int w = dates_weekday(y, m, d);
    switch (fmt) {
    case 0: snprintf(src, cap, "%d %s %d", d, MONTHS[m - 1], y); break;
    case 1: snprintf(src, cap, "%s %d, %d", MON[m - 1], d, y); break;
    case 2:
        lower(a, WEEKDAYS[w]);
        lower(b, MONTHS[m - 1]);
        snprintf(src, cap, "%s, %d %s %d", a, d, b, y);
        break;
    case 3: snprintf(src, cap, "%02d/%02d/%04d", d, m, y); break;
    case 4: snprintf(src, cap, "%02d.%02d.%02d", d, m, y % 100); break;
    case 5: upper(a, MON[m - 1]); snprintf(src, cap, "%s %d %d", a, d, y); break;
    case 6: snprintf(src, cap, "%d년 %d월 %d일", y, m, d); break;
    case 7: snprintf(src, cap, "%s %d, %d", MONTHS[m - 1], d, y); break;
    case 8: snprintf(src, cap, "%.3s %d %s %d", WEEKDAYS[w], d, MON[m - 1], y); break;
    case 9: lower(a, MON[m - 1]); snprintf(src, cap, "%d %s %02d", d, a, y % 100); break;
    default: snprintf(src, cap, "%04d-%02d-%02d", y, m, d); break;
    }
}

static void dates_raw(Rng *rng, char *src, char *tgt, size_t cap) {
    long first = dates_days_from_civil(1950, 1, 1), last = dates_days_from_civil(2049, 12, 31);
    int y, m, d;
    civil_from_days(first + rng_below(rng, (int)(last - first + 1)), &y, &m, &d);
    dates_format(rng_below(rng, DATES_FORMATS), y, m, d, src, cap);
    snprintf(tgt, cap, "%04d-%02d-%02d", y, m, d);
}

TASK_SPLIT_WRAPPER(dates_generate, dates_raw)

const Task TASK_DATES = {
    .name = "dates",
    .tokenizer = TOK_CHAR,
    .summary = "human-readable dates in 11 formats (English, Korean, ISO) → YYYY-MM-DD",
    .generate = dates_generate,
    .generate_any = dates_raw,
};
