/* utf8.h — the one UTF-8 helper set: decode, encode, step back, validate, count.
 *
 * Decoding is strict (RFC 3629): no overlong forms, no surrogates, nothing
 * above U+10FFFF, no stray or missing continuation bytes. A NUL byte ends
 * any multi-byte sequence, so a NUL-terminated string may be decoded with
 * n = (size_t)-1: nothing past its NUL is read.
 */
#ifndef BASE_UTF8_H
#define BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The code point at s (n bytes available): its length 1–4, with the code
 * point in *cp; 0 when the bytes there are not valid UTF-8 (or n is 0). */
int utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The code point at *s of a NUL-terminated string, stepping *s past it; an
 * invalid byte gives U+FFFD and a step of one byte. */
uint32_t utf8_next(const char **s);

/* Write cp (at most U+10FFFF) as 1–4 bytes into out; returns the length. */
int utf8_encode(uint32_t cp, char *out);

/* The start of the character that contains byte i: i itself, or the nearest
 * byte before it that is not a continuation byte (0 at the latest). Cutting
 * a string at that offset never splits a character. */
size_t utf8_floor(const char *s, size_t i);
/* The start of the character before offset i (0 when i is 0). */
size_t utf8_prev(const char *s, size_t i);
/* Remove the last character of a NUL-terminated string (Backspace). */
void utf8_pop(char *s);

/* The offset of the first byte of s[0..n) that is not valid UTF-8, or -1
 * when the whole string is. NUL bytes are valid here: refuse them apart. */
long utf8_invalid_at(const char *s, size_t n);

/* Characters (code points; an invalid byte counts as one) of a
 * NUL-terminated string. */
size_t utf8_count(const char *s);

#endif
