/* jsonw.c — JSON strings and float arrays written with fprintf (jsonw.h). */
#include "jsonw.h"

#include <math.h>
#include <stdint.h>

#include "utf8.h"

void jsonw_str(FILE *fp, const char *s) {
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\t': fputs("\\t", fp); break;
        case '\r': fputs("\\r", fp); break;
        default:
            if (*p < 0x20) {
                fprintf(fp, "\\u%04x", *p);
            } else if (*p >= 0x80) {   /* a whole character, or U+FFFD for a byte of invalid UTF-8 */
                uint32_t cp;
                int n = utf8_decode((const char *)p, (size_t)-1, &cp);
                if (n) fwrite(p, 1, (size_t)n, fp);
                else fputs("\\ufffd", fp);
                p += n ? n - 1 : 0;
            } else {
                fputc(*p, fp);
            }
        }
    }
    fputc('"', fp);
}

void jsonw_float(FILE *fp, float x) {
    if (isfinite(x)) fprintf(fp, "%.9g", (double)x);
    else fputs("null", fp); /* JSON has no inf/nan; -INFINITY only marks padding */
}

void jsonw_floats(FILE *fp, const float *x, int n) {
    if (!x) {
        fputs("null", fp);
        return;
    }
    fputc('[', fp);
    for (int i = 0; i < n; i++) {
        if (i) fputc(',', fp);
        jsonw_float(fp, x[i]);
    }
    fputc(']', fp);
}

void jsonw_key_floats(FILE *fp, const char *key, const float *x, int n) {
    fputs(", ", fp);
    jsonw_str(fp, key);
    fputs(": ", fp);
    jsonw_floats(fp, x, n);
}
