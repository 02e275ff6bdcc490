/* err.c — one-line error messages and the escaping of bytes they echo (err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int av_err(char *err, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, AV_ERR_LEN, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Printable code points: not a control, and nothing that reorders, hides or
 * breaks the line on a terminal. */
static bool printable(uint32_t cp) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return false;
    if (cp >= 0x202A && cp <= 0x202E) return false;   /* LRE RLE PDF LRO RLO */
    if (cp >= 0x2066 && cp <= 0x2069) return false;   /* LRI RLI FSI PDI     */
    if (cp == 0x200E || cp == 0x200F || cp == 0x061C) return false;   /* LRM RLM ALM */
    if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) return false;
    return true;
}

size_t av_escape(char *out, size_t cap, const char *s, size_t n) {
    if (cap == 0) return 0;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = (size_t)utf8_decode(s + i, n - i, &cp);
        bool keep = k > 0 && printable(cp);
        if (k == 0) k = 1;                    /* an invalid byte goes alone */
        size_t need = keep ? k : 4 * k;
        if (w + need + 1 > cap) break;
        if (keep) {
            memcpy(out + w, s + i, k);
            w += k;
        } else {
            for (size_t j = 0; j < k; j++, w += 4)
                snprintf(out + w, 5, "\\x%02X", (unsigned char)s[i + j]);
        }
        i += k;
    }
    out[w] = '\0';
    return w;
}

void av_escape_msg(char *msg, size_t cap) {
    if (cap == 0) return;
    size_t n = strnlen(msg, cap - 1);
    char *copy = malloc(n + 1);
    if (!copy) {                              /* no memory: blank the bytes instead */
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7F) msg[i] = '?';
        return;
    }
    memcpy(copy, msg, n);
    av_escape(msg, cap, copy, n);
    free(copy);
}
