/* buf.h — the one growable byte buffer: files built in memory, joined text, PNG bytes.
 *
 * The zero value is an empty buffer. p is NUL-terminated after every
 * append (so text can be used as a string); n excludes that NUL. A failed
 * allocation sets oom, which stays set: later appends do nothing, so a
 * writer can append freely and check oom once at the end.
 */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *p;        /* n bytes and a NUL, or NULL while empty */
    size_t n, cap;
    bool oom;
} Buf;

/* Room for `more` bytes after n (and the NUL); 0, or -1 out of memory. */
int buf_reserve(Buf *b, size_t more);
/* Append; 0, or -1 when out of memory (now or before). */
int buf_put(Buf *b, const void *data, size_t n);
int buf_puts(Buf *b, const char *s);
int buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Forget the contents, keep the memory (and the oom flag). */
void buf_clear(Buf *b);
void buf_free(Buf *b);

#endif
