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

/* The case fold of the vocabulary lookup (MODEL.md "Lookup"): the simple
 * lowercase of cp for these ranges, and cp itself for everything else.
 *   U+0041–U+005A (A–Z)                         + 0x20
 *   U+00C0–U+00DE except U+00D7 (×)             + 0x20
 *   U+0100–U+012F, U+0132–U+0137, U+014A–U+0177 the even one of each pair + 1
 *   U+0139–U+0148, U+0179–U+017E                the odd one of each pair + 1
 *   U+0178 (Ÿ)                                  U+00FF (ÿ)
 *   U+0391–U+03A9 except U+03A2                 + 0x20   (Greek Α–Ω → α–ω)
 *   U+0400–U+040F                               + 0x50   (Ѐ–Џ → ѐ–џ)
 *   U+0410–U+042F                               + 0x20   (А–Я → а–я)
 * Nothing else: not U+0130 (İ), not final sigma (ς stays ς), no context.
 * These are exactly the characters in those blocks whose Unicode simple
 * lowercase is one of their pair, so a Python twin reproduces it with
 * chr(c).lower() restricted to these ranges (U+0130 excluded). Every fold
 * keeps the UTF-8 length of the character. */
uint32_t utf8_fold(uint32_t cp);

/* Whether two NUL-terminated strings are equal after folding each code point
 * (an invalid byte compares as itself). */
int utf8_equal_folded(const char *a, const char *b);

#endif
