/* utf8.c — strict UTF-8 decoding and the few string steps built on it (utf8.h). */
#include "utf8.h"

#include <stdbool.h>
#include <string.h>

int utf8_decode(const char *str, size_t n, uint32_t *cp) {
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0) return 0;
    uint32_t c = s[0], min;
    int len;
    if (c < 0x80) { *cp = c; return 1; }
    else if ((c & 0xE0) == 0xC0) { len = 2; c &= 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; c &= 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; c &= 0x07; min = 0x10000; }
    else return 0;                            /* a continuation byte, or F8..FF */
    if ((size_t)len > n) return 0;            /* truncated */
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;  /* also stops at a NUL */
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;   /* overlong, too big, surrogate */
    *cp = c;
    return len;
}

uint32_t utf8_next(const char **s) {
    uint32_t cp;
    int n = utf8_decode(*s, (size_t)-1, &cp);
    if (n == 0) { *s += 1; return 0xFFFD; }
    *s += n;
    return cp;
}

int utf8_encode(uint32_t cp, char *o) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t utf8_floor(const char *s, size_t i) {
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    return i;
}

size_t utf8_prev(const char *s, size_t i) { return i > 0 ? utf8_floor(s, i - 1) : 0; }

void utf8_pop(char *s) { s[utf8_prev(s, strlen(s))] = '\0'; }

long utf8_invalid_at(const char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) return (long)i;
        i += (size_t)k;
    }
    return -1;
}

size_t utf8_count(const char *s) {
    size_t n = 0;
    while (*s) { utf8_next(&s); n++; }
    return n;
}

uint32_t utf8_fold(uint32_t c) {
    if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
    if (c >= 0x100 && c <= 0x17F) {   /* Latin Extended-A: capital, small, capital, small ... */
        bool even_pairs = c <= 0x12F || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
        bool odd_pairs = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if ((even_pairs && c % 2 == 0) || (odd_pairs && c % 2 == 1)) return c + 1;
        return c == 0x178 ? 0xFF : c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    if (c >= 0x410 && c <= 0x42F) return c + 0x20;
    return c;
}

int utf8_equal_folded(const char *a, const char *b) {
    while (*a && *b) {
        const char *pa = a, *pb = b;
        uint32_t ca = utf8_next(&a), cb = utf8_next(&b);
        /* an invalid byte is U+FFFD to utf8_next: compare it as the byte it is */
        if (ca == 0xFFFD && a - pa == 1) ca = 0x110000 + (unsigned char)*pa;
        if (cb == 0xFFFD && b - pb == 1) cb = 0x110000 + (unsigned char)*pb;
        if (utf8_fold(ca) != utf8_fold(cb)) return 0;
    }
    return *a == *b;
}
