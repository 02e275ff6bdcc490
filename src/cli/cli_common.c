/* cli_common.c — option parsing shared by the subcommands. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "attnviz %s: %s: expected a whole number from %ld to %ld, got '%s'\n",
                cmd, opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_float(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, "attnviz %s: %s: expected a number from %g to %g, got '%s'\n", cmd, opt, lo,
                hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_u64(const char *cmd, const char *opt, const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') {
        fprintf(stderr, "attnviz %s: %s: expected a non-negative whole number, got '%s'\n", cmd, opt, s);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}
