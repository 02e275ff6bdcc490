/* buf.c — a growable byte buffer with a sticky out-of-memory flag (buf.h). */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int buf_reserve(Buf *b, size_t more) {
    if (b->oom) return -1;
    if (more > SIZE_MAX / 2 - b->n - 1) { b->oom = true; return -1; }
    size_t need = b->n + more + 1;
    if (need <= b->cap) return 0;
    size_t c = b->cap ? b->cap : 256;
    while (c < need) c *= 2;
    char *q = realloc(b->p, c);
    if (!q) { b->oom = true; return -1; }
    b->p = q;
    b->cap = c;
    return 0;
}

int buf_put(Buf *b, const void *data, size_t n) {
    if (buf_reserve(b, n)) return -1;
    if (n) memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

int buf_puts(Buf *b, const char *s) { return buf_put(b, s, strlen(s)); }

int buf_printf(Buf *b, const char *fmt, ...) {
    char tmp[256];                            /* most pieces fit: format once */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) { b->oom = true; return -1; }
    if ((size_t)n < sizeof tmp) return buf_put(b, tmp, (size_t)n);
    if (buf_reserve(b, (size_t)n)) return -1;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
    return 0;
}

void buf_clear(Buf *b) {
    b->n = 0;
    if (b->p) b->p[0] = '\0';
}

void buf_free(Buf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}
