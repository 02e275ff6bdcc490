/* tokenize.c — text ⇄ tokens (MODEL.md "Tokens").
 *
 * UTF-8 is decoded strictly (RFC 3629): no overlong forms, no surrogates,
 * nothing above U+10FFFF, no stray continuation bytes. Invalid input is
 * refused with the byte offset of the first bad byte.
 *   char: every code point is one token (so 한국어 is three tokens);
 *   word: white space separates words, and every punctuation mark is a
 *         token of its own ("Hi, you!" → Hi , you !).
 */
#include "tokenize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/utf8.h"

static int is_space(unsigned c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

/* ASCII punctuation and symbols, and the common Unicode punctuation blocks. */
static int is_punct(unsigned c) {
    if (c < 0x80) return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) ||
                         (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
    return c == 0xA1 || c == 0xA7 || c == 0xAB || c == 0xB6 || c == 0xB7 || c == 0xBB ||
           c == 0xBF || c == 0x37E || c == 0x387 ||
           (c >= 0x2010 && c <= 0x2027) ||  /* dashes, quotes, bullets, … */
           (c >= 0x2030 && c <= 0x205E) ||  /* ‰ ′ ‹ › ‼ ⁇ … */
           (c >= 0x3001 && c <= 0x3003) ||  /* 、 。 〃 */
           (c >= 0x3008 && c <= 0x3011) ||  /* 〈 〉 《 》 「 」 『 』 【 】 */
           (c >= 0x3014 && c <= 0x301F) || c == 0x30FB ||
           (c >= 0xFF01 && c <= 0xFF0F) ||  /* fullwidth ！ ＂ … ／ */
           (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65);
}

typedef struct {
    char **v;
    int n, cap;
} List;

static int push(List *l, const char *s, size_t len) {
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = cap;
    }
    char *t = malloc(len + 1);
    if (!t) return -1;
    memcpy(t, s, len);
    t[len] = 0;
    l->v[l->n++] = t;
    return 0;
}

int tokenize(TokenizerKind k, const char *text, char ***out, int *n, char *err) {
    *out = NULL;
    *n = 0;
    if (!text) return av_err(err, "no text");
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    List l = {0};
    size_t word = 0;      /* start of the current word */
    bool in_word = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int w = utf8_decode(text + i, len - i, &cp);
        if (!w) {
            tokens_free(l.v, l.n);
            return av_err(err, "invalid UTF-8 at byte offset %zu (byte 0x%02X)", i, s[i]);
        }
        int bad = 0;
        if (k == TOK_CHAR) {
            bad = push(&l, text + i, (size_t)w);
        } else if (is_space(cp) || is_punct(cp)) {
            if (in_word) bad = push(&l, text + word, i - word);
            in_word = false;
            if (!bad && is_punct(cp)) bad = push(&l, text + i, (size_t)w);
        } else if (!in_word) {
            in_word = true;
            word = i;
        }
        if (bad) {
            tokens_free(l.v, l.n);
            return av_err(err, "out of memory");
        }
        i += (size_t)w;
    }
    if (in_word && push(&l, text + word, len - word)) {
        tokens_free(l.v, l.n);
        return av_err(err, "out of memory");
    }
    if (l.n > 1000000) {
        tokens_free(l.v, l.n);
        return av_err(err, "more than a million tokens");
    }
    *out = l.v;
    *n = l.n;
    return 0;
}

bool text_is_blank(const char *text) {
    while (*text)
        if (!is_space(utf8_next(&text))) return false;
    return true;
}

void tokens_free(char **toks, int n) {
    for (int i = 0; toks && i < n; i++) free(toks[i]);
    free(toks);
}

int encode_text(const Vocab *v, TokenizerKind k, const char *text, int **ids, int *n, char *err) {
    char **toks;
    int nt;
    *ids = NULL;
    *n = 0;
    if (tokenize(k, text, &toks, &nt, err)) return -1;
    int *out = malloc((size_t)(nt ? nt : 1) * sizeof *out);
    if (!out) {
        tokens_free(toks, nt);
        return av_err(err, "out of memory");
    }
    for (int i = 0; i < nt; i++) out[i] = vocab_find(v, toks[i]);
    tokens_free(toks, nt);
    *ids = out;
    *n = nt;
    return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int unknown_tokens_line(const Vocab *v, TokenizerKind k, const char *text, char *out, size_t cap) {
    enum { SHOWN = 5 };
    char **toks, shown[SHOWN][72];
    const char *first[SHOWN];
    int nt, named = 0, n = 0, n_unk = 0;
    if (cap) out[0] = '\0';
    if (tokenize(k, text, &toks, &nt, NULL)) return -1;
    /* the unknown tokens, in place at the front of toks; the first SHOWN
     * distinct ones by position, in the order they come */
    for (int i = 0; i < nt; i++) {
        if (vocab_find(v, toks[i]) != TOK_UNK) continue;
        char *t = toks[i];
        toks[i] = toks[n_unk];
        toks[n_unk++] = t;
        bool seen = false;
        for (int j = 0; j < named && !seen; j++) seen = strcmp(first[j], t) == 0;
        if (seen || named == SHOWN) continue;
        first[named] = t;
        size_t len = strlen(t);
        av_escape(shown[named++], sizeof shown[0], t, len < 48 ? len : 48);
    }
    /* how many distinct: sorted, equal ones are neighbours */
    if (n_unk > 1) qsort(toks, (size_t)n_unk, sizeof *toks, cmp_str);
    for (int i = 0; i < n_unk; i++) n += i == 0 || strcmp(toks[i], toks[i - 1]) != 0;
    tokens_free(toks, nt);
    if (n == 0 || cap == 0) return n;
    /* 'a'  |  'a' and 'b'  |  'a', 'b' and 'c'  |  'a', …, 'e' and 3 more */
    Buf b = {0};
    for (int i = 0; i < named; i++)
        buf_printf(&b, "%s'%s'", i == 0 ? "" : (i == named - 1 && n == named) ? " and " : ", ", shown[i]);
    if (n > named) buf_printf(&b, " and %d more", n - named);
    buf_printf(&b, " %s not among the %d %s this model knows", n == 1 ? "is" : "are", v->n - TOK_SPECIALS,
               k == TOK_CHAR ? "characters" : "words");
    snprintf(out, cap, "%s", b.oom || !b.p ? "some input tokens are unknown to this model" : b.p);
    buf_free(&b);
    return n;
}

char *decode_ids(const Vocab *v, TokenizerKind k, const int *ids, int n) {
    size_t cap = 1;
    for (int i = 0; i < n; i++)
        if (ids[i] >= 0 && ids[i] < v->n) cap += strlen(v->tokens[ids[i]]) + 1;
    char *s = malloc(cap), *p = s;
    if (!s) return NULL;
    for (int i = 0; i < n; i++) {
        if (ids[i] == TOK_EOS) break;
        if (ids[i] == TOK_PAD || ids[i] == TOK_SOS || ids[i] < 0 || ids[i] >= v->n) continue;
        if (k == TOK_WORD && p != s) *p++ = ' ';
        size_t len = strlen(v->tokens[ids[i]]);
        memcpy(p, v->tokens[ids[i]], len);
        p += len;
    }
    *p = 0;
    return s;
}
