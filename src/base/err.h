/* err.h — one-line error messages: the buffer size, the formatter, and the escaping of outside bytes.
 *
 * Functions that can fail return 0 on success and -1 on failure, writing one
 * line (no newline) into a caller buffer of AV_ERR_LEN bytes. A message that
 * echoes bytes from a file or from the user passes them through av_escape
 * first, so a newline, ESC or BEL in a lesson line or a tensor name cannot
 * break the line or drive the terminal.
 */
#ifndef BASE_ERR_H
#define BASE_ERR_H

#include <stddef.h>

#define AV_ERR_LEN 512

/* Write a formatted one-line message into err (may be NULL); returns -1 so
 * that `return av_err(err, "...")` reads naturally. */
int av_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Copy s[0..n) into out (cap ≥ 1 bytes, always NUL-terminated) with every
 * byte that is not printable written as \xNN: C0 controls (TAB, CR, LF, ESC,
 * BEL, ...), DEL, bytes of invalid UTF-8, and the code points that move or
 * hide text on a terminal (C1 controls U+0080–U+009F, bidirectional
 * overrides and isolates, line and paragraph separators, U+FEFF). Valid
 * printable UTF-8 (Hangul, é, ≥) is kept as it is. Cut on a whole character
 * or escape when out is full. Returns the bytes written, the NUL excluded. */
size_t av_escape(char *out, size_t cap, const char *s, size_t n);

/* The same in place on a NUL-terminated message of at most cap bytes. */
void av_escape_msg(char *msg, size_t cap);

#endif
