/* lesson_inline.c — a narration block's text → styled spans (**bold**, *italic*, `code`, $math$, \ escapes), and the checks on math's sub- and superscripts.
 *
 * Math is kept as written (the text renderer draws `_x` / `_{xy}` lowered
 * and `^x` / `^{xy}` raised, base/drawlist.h TEXT_MATH) but checked here,
 * because a mistake there renders quietly wrong: `E_src` lowers only the
 * 's' ("Eₛrc"), and `E_{src` lowers the rest of the formula. So `_` or `^`
 * must be followed by one character or a closed, flat, non-empty {…}, and
 * two ASCII letters right after it are refused with the fix in the message.
 */
#include "lesson_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

int lesson_add_span(LessonParser *p, LessonSpan **spans, int *n, LessonSpanKind k, const char *s, size_t len,
                    int line) {
    if (len == 0) return 0;
    LessonSpan *last = *n ? &(*spans)[*n - 1] : NULL;
    if (last && last->kind == k && k != LESSON_SPAN_CODE && k != LESSON_SPAN_MATH) {
        size_t m = strlen(last->text);
        char *t = realloc(last->text, m + len + 1);
        if (!t) return LESSON_OOM(p, line);
        memcpy(t + m, s, len); t[m + len] = '\0';
        last->text = t;
        return 0;
    }
    if (lesson_grow((void **)spans, *n, sizeof **spans)) return LESSON_OOM(p, line);
    char *t = lesson_dupn(s, len);
    if (!t) return LESSON_OOM(p, line);
    (*spans)[(*n)++] = (LessonSpan){k, t};
    return 0;
}

/* Line number of byte `off` of the open block's joined text. */
static int line_at(const LessonParser *p, size_t off) {
    int k = 0;
    while (k + 1 < p->n_lines && (size_t)p->line_off[k + 1] <= off) k++;
    return p->first_line + k;
}

static bool is_punct_ascii(char c) { return c > 0 && c < 127 && ispunct((unsigned char)c); }

/* The sub- and superscripts of one math span (m, n bytes). */
static int check_math(LessonParser *p, const char *m, size_t n, int line) {
    for (size_t i = 0; i < n; i++) {
        char c = m[i];
        if (c != '_' && c != '^') continue;
        const char *what = c == '_' ? "subscript" : "superscript";
        size_t k = i + 1;
        if (k >= n || m[k] == ' ' || m[k] == '\t')
            return lesson_perr(p, line, "'%c' with nothing after it in math: a %s is one character (%s) or {…} (%s)",
                               c, what, c == '_' ? "h_t" : "x^2", c == '_' ? "E_{src}" : "x^{t-1}");
        if (m[k] == '{') {
            size_t e = k + 1;
            while (e < n && m[e] != '}' && m[e] != '{' && m[e] != '_' && m[e] != '^') e++;
            if (e >= n) return lesson_perr(p, line, "unclosed { after '%c' in math: close the %s with }", c, what);
            if (m[e] != '}')
                return lesson_perr(p, line, "'%c' inside the %s %c{…}: a %s is flat text", m[e], what, c, what);
            if (e == k + 1) return lesson_perr(p, line, "empty %s %c{} in math", what, c);
            i = e;
            continue;
        }
        if (k + 1 < n && isalpha((unsigned char)m[k]) && isalpha((unsigned char)m[k + 1])) {
            size_t e = k;
            while (e < n && e - k < 40 && isalpha((unsigned char)m[e])) e++;
            int len = (int)(e - k);
            return lesson_perr(p, line, "'%c%.*s' in math makes only '%c' a %s: write %c{%.*s} for all of it",
                               c, len, m + k, m[k], what, c, len, m + k);
        }
    }
    return 0;
}

/* Scan text into spans: **bold**, *italic*, `code`, $math$, \x escapes.
 * An emphasis marker opens only before a non-space and closes only after
 * one, so "2 * 3" stays literal. */
int lesson_parse_inline(LessonParser *p, LessonSpan **spans, int *nsp, const char *s) {
    Buf run = {0};
    bool bold = false, italic = false;
    size_t bold_at = 0, italic_at = 0, n = strlen(s);
    int rc = 0;
#define KIND (bold && italic ? LESSON_SPAN_BOLD_ITALIC : bold ? LESSON_SPAN_BOLD : italic ? LESSON_SPAN_ITALIC \
                                                                                   : LESSON_SPAN_PLAIN)
#define FLUSH() do { if (lesson_add_span(p, spans, nsp, KIND, run.p, run.n, line_at(p, i))) { rc = -1; goto done; } run.n = 0; } while (0)
#define ADD(ptr, len) do { if (buf_put(&run, (ptr), (len))) { rc = LESSON_OOM(p, line_at(p, i)); goto done; } } while (0)
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '\\' && is_punct_ascii(s[i + 1])) { ADD(s + i + 1, 1); i += 2; continue; }
        if (c == '`' || c == '$') {
            const char *close = strchr(s + i + 1, c);
            if (!close) {
                rc = lesson_perr(p, line_at(p, i), c == '`'
                                 ? "unclosed ` (code span): close it, or write \\` for a backtick"
                                 : "unclosed $ (math span): close it, or write \\$ for a dollar sign");
                goto done;
            }
            FLUSH();
            size_t len = (size_t)(close - (s + i + 1));
            if (c == '$' && check_math(p, s + i + 1, len, line_at(p, i))) { rc = -1; goto done; }
            if (lesson_add_span(p, spans, nsp, c == '`' ? LESSON_SPAN_CODE : LESSON_SPAN_MATH, s + i + 1, len,
                                line_at(p, i))) { rc = -1; goto done; }
            i += len + 2;
            continue;
        }
        if (c == '*') {
            size_t m = (s[i + 1] == '*') ? 2 : 1;
            bool *on = (m == 2) ? &bold : &italic;
            char next = s[i + m], prev = i ? s[i - 1] : ' ';
            bool can_open = next && next != ' ' && next != '\t';
            bool can_close = prev != ' ' && prev != '\t';
            if ((*on && can_close) || (!*on && can_open)) {
                FLUSH();
                *on = !*on;
                if (*on) { if (m == 2) bold_at = i; else italic_at = i; }
                i += m;
                continue;
            }
            ADD(s + i, m); i += m;
            continue;
        }
        /* copy a run of ordinary bytes (UTF-8 passes through untouched) */
        size_t j = i + 1;
        while (j < n && s[j] != '\\' && s[j] != '`' && s[j] != '$' && s[j] != '*') j++;
        ADD(s + i, j - i);
        i = j;
    }
    if (bold) { rc = lesson_perr(p, line_at(p, bold_at), "unclosed ** (bold)"); goto done; }
    if (italic) {
        rc = lesson_perr(p, line_at(p, italic_at), "unclosed * (italic): close it, or write \\* for a star");
        goto done;
    }
    if (lesson_add_span(p, spans, nsp, LESSON_SPAN_PLAIN, run.p, run.n, line_at(p, n))) rc = -1;
done:
    free(run.p);
    return rc;
#undef KIND
#undef FLUSH
#undef ADD
}
