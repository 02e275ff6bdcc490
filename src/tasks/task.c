/* task.c — the task table, train/test splits, TSV files, vocabularies and
 * tokenised data sets.
 *
 * Splits. Every generator draws pairs from a space far larger than any data
 * set (dates: 36,525 days × 11 formats; sentences: millions). A pair belongs
 * to the test split when a hash of its SOURCE string falls in a fixed bucket
 * (1 in TASK_TEST_EVERY); the train split rejects those pairs, the test split
 * keeps only them. So train and test never share a source string, whatever
 * the seeds, and a test sentence was never seen in training. The hash is
 * FNV-1a followed by a 64-bit finalizer (so nearby strings spread out).
 *
 * Data flows text pairs → Vocab (built from the data) → Dataset (ids).
 */
#include "task.h"
#include "task_impl.h"
#include "../engine/tokenize.h"
#include "../base/err.h"
#include "../base/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the table ------------------------------------------------------------------ */

static const Task *const TASKS[] = {&TASK_DATES, &TASK_REVERSE, &TASK_EN_KO, &TASK_EN_FR, &TASK_COPY};
enum { N_TASKS = sizeof TASKS / sizeof *TASKS };

int task_count(void) { return N_TASKS; }
const Task *task_at(int i) { return i >= 0 && i < N_TASKS ? TASKS[i] : NULL; }
const Task *task_find(const char *name) {
    for (int i = 0; name && i < N_TASKS; i++)
        if (strcmp(TASKS[i]->name, name) == 0) return TASKS[i];
    return NULL;
}

/* ---- splits --------------------------------------------------------------------- */

uint64_t task_hash(const char *s) {
    uint64_t h = 0xcbf29ce484222325ull;                 /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 0x100000001b3ull;
    h ^= h >> 33;                                       /* murmur3's fmix64 */
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

bool split_is_test(const char *src) { return task_hash(src) % TASK_TEST_EVERY == 0; }

void task_split_generate(RawGenerate raw, Rng *rng, Split split, char *src, char *tgt, size_t cap) {
    /* Rejection sampling: 1 in TASK_TEST_EVERY draws is a test pair, so the
     * test split needs about TASK_TEST_EVERY tries per pair; the bound only
     * guards against a generator whose space is (wrongly) tiny. */
    for (int tries = 0; tries < 100000; tries++) {
        raw(rng, src, tgt, cap);
        if (split_is_test(src) == (split == SPLIT_TEST)) return;
    }
}

/* ---- bounded string building, shared by the generators --------------------------- */

void sb_init(StrBuf *b, char *buf, size_t cap) {
    b->buf = buf;
    b->cap = cap;
    b->len = 0;
    if (cap) buf[0] = 0;
}

void sb_put(StrBuf *b, const char *s) {
    if (!b->cap) return;
    size_t n = strlen(s);
    if (b->len + n >= b->cap) n = b->cap - 1 - b->len;   /* truncate, never overflow */
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = 0;
}

void sb_word(StrBuf *b, const char *w) {
    if (!w || !*w) return;
    if (b->len) sb_put(b, " ");
    sb_put(b, w);
}

/* ---- pairs ------------------------------------------------------------------------ */

void pairs_free(Pairs *p) {
    for (int i = 0; i < p->n; i++) {
        free(p->src[i]);
        free(p->tgt[i]);
    }
    free(p->src);
    free(p->tgt);
    memset(p, 0, sizeof *p);
}

/* Append a pair (copies the strings); grows the arrays. */
static int pairs_push(Pairs *p, int *cap, const char *s, const char *t) {
    if (p->n == *cap) {
        int nc = *cap ? *cap * 2 : 256;
        char **ns = realloc(p->src, (size_t)nc * sizeof *ns);
        if (!ns) return -1;
        p->src = ns;
        char **nt = realloc(p->tgt, (size_t)nc * sizeof *nt);
        if (!nt) return -1;
        p->tgt = nt;
        *cap = nc;
    }
    char *a = strdup(s), *b = strdup(t);
    if (!a || !b) {
        free(a);
        free(b);
        return -1;
    }
    p->src[p->n] = a;
    p->tgt[p->n] = b;
    p->n++;
    return 0;
}

int task_pairs(const Task *t, Split split, int n, uint64_t seed, Pairs *out, char *err) {
    memset(out, 0, sizeof *out);
    if (!t) return av_err(err, "no task");
    if (n < 0) return av_err(err, "a data set cannot have %d pairs", n);
    /* The split is mixed into the seed so that train and test draw from
     * unrelated streams even with the same --seed. */
    Rng rng;
    rng_seed(&rng, seed * 2 + (split == SPLIT_TEST));
    char src[TASK_MAX_TEXT], tgt[TASK_MAX_TEXT];
    int cap = 0;
    for (int i = 0; i < n; i++) {
        t->generate(&rng, split, src, tgt, sizeof src);
        if (pairs_push(out, &cap, src, tgt)) {
            pairs_free(out);
            return av_err(err, "out of memory after %d pairs", i);
        }
    }
    return 0;
}

/* ---- TSV ---------------------------------------------------------------------------- */

/* The first character a pair must not hold, in valid UTF-8: its byte offset,
 * with the code point in *cp; or -1. Control characters (U+0000–U+001F but
 * TAB, U+007F–U+009F) would become tokens, and MODEL.md refuses them in a
 * vocabulary; a byte order mark (U+FEFF) past the file's first bytes (files
 * joined with cat) would make an invisible difference. */
static long unwanted_at(const char *s, size_t n, uint32_t *cp) {
    for (size_t i = 0, k; i < n; i += k) {
        k = (size_t)utf8_decode(s + i, n - i, cp);
        if (k == 0) k = 1;
        else if ((*cp < 0x20 && *cp != '\t') || (*cp >= 0x7F && *cp < 0xA0) || *cp == 0xFEFF) return (long)i;
    }
    return -1;
}

/* One line of f into buf (cap bytes), without its \n or \r\n: its length,
 * -1 at the end of the file, -2 when it is longer than cap - 1 bytes (then
 * only cap bytes of it were read). NUL bytes are kept; the caller sees them. */
static long read_line(FILE *f, char *buf, size_t cap) {
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (n == cap - 1) return -2;
        buf[n++] = (char)c;
    }
    if (c == EOF && n == 0) return -1;
    if (n && buf[n - 1] == '\r') n--;
    buf[n] = '\0';
    return (long)n;
}

/* A header: "source<TAB>target" and the like (task.h). */
static bool is_header(const char *src, const char *tgt) {
    static const char *const SRC[] = {"source", "src", "input", "question", "prompt", NULL};
    static const char *const TGT[] = {"target", "tgt", "dst", "output", "label", "answer", "reference", "translation", NULL};
    bool s = false, t = false;
    for (int i = 0; SRC[i]; i++) s |= utf8_equal_folded(src, SRC[i]);
    for (int i = 0; TGT[i]; i++) t |= utf8_equal_folded(tgt, TGT[i]);
    return s && t;
}

int pairs_read_tsv(const char *file, Pairs *out, char *err) {
    memset(out, 0, sizeof *out);
    char path[AV_ERR_LEN / 2];                       /* the name as messages show it */
    av_escape(path, sizeof path, file, strlen(file));
    FILE *f = fopen(file, "rb");
    if (!f) return av_err(err, "%s: cannot open: %s", path, strerror(errno));
    char line[TASK_MAX_TEXT + 2];                     /* the longest line, its CR, and a NUL */
    long len, lineno = 0;
    int cap = 0, rc = 0;
    bool data_seen = false;
    while ((len = read_line(f, line, sizeof line)) != -1) {
        lineno++;
        if (len == -2 && memchr(line, 0, sizeof line - 1)) {
            rc = av_err(err, "%s:%ld: contains a NUL byte (not a text file?)", path, lineno);
            break;
        }
        if (len == -2) {
            rc = av_err(err, "%s:%ld: line is longer than %d bytes, the limit (not a TSV file of pairs?)",
                        path, lineno, TASK_MAX_TEXT);
            break;
        }
        size_t n = (size_t)len;
        char *text = line;
        if (lineno == 1 && n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a BOM */
            text += 3;
            n -= 3;
        }
        if (memchr(text, 0, n)) {
            rc = av_err(err, "%s:%ld: contains a NUL byte (not a text file?)", path, lineno);
            break;
        }
        long bad = utf8_invalid_at(text, n);
        if (bad >= 0) {
            rc = av_err(err, "%s:%ld: invalid UTF-8 at byte %ld", path, lineno, bad + 1);
            break;
        }
        if (n > TASK_MAX_TEXT) {
            rc = av_err(err, "%s:%ld: line is %zu bytes long, the limit is %d", path, lineno, n, TASK_MAX_TEXT);
            break;
        }
        uint32_t cp;
        long at = unwanted_at(text, n, &cp);
        if (at >= 0 && cp == 0xFEFF) {
            rc = av_err(err, "%s:%ld: byte order mark (U+FEFF) at byte %ld: only the start of the file may hold "
                        "one (files joined?)", path, lineno, at + 1);
            break;
        }
        if (at >= 0) {
            rc = av_err(err, "%s:%ld: control character U+%04X at byte %ld (pairs are printable text)", path,
                        lineno, (unsigned)cp, at + 1);
            break;
        }
        if (text[0] == '#' || text_is_blank(text)) continue; /* a comment, or no words at all */
        char *tab = strchr(text, '\t');
        if (!tab) {
            rc = av_err(err, "%s:%ld: expected source TAB target, found no tab", path, lineno);
            break;
        }
        if (strchr(tab + 1, '\t')) {
            rc = av_err(err, "%s:%ld: expected source TAB target, found more than one tab", path, lineno);
            break;
        }
        *tab = 0;
        if (!data_seen && is_header(text, tab + 1)) {
            out->header_line = (int)lineno;
            data_seen = true;
            continue;
        }
        data_seen = true;
        if (text_is_blank(text)) {
            rc = av_err(err, "%s:%ld: the source is empty (only white space)", path, lineno);
            break;
        }
        if (text_is_blank(tab + 1)) {
            rc = av_err(err, "%s:%ld: the target is empty (only white space)", path, lineno);
            break;
        }
        if (pairs_push(out, &cap, text, tab + 1)) {
            rc = av_err(err, "%s:%ld: out of memory", path, lineno);
            break;
        }
    }
    if (!rc && ferror(f)) rc = av_err(err, "%s: read error: %s", path, strerror(errno));
    if (!rc && out->n == 0) rc = av_err(err, "%s: no pairs (expected lines of source TAB target)", path);
    fclose(f);
    if (rc) pairs_free(out);
    return rc;
}

int pairs_write_tsv(FILE *f, const Pairs *p) {
    for (int i = 0; i < p->n; i++)
        if (fprintf(f, "%s\t%s\n", p->src[i], p->tgt[i]) < 0) return -1;
    return 0;
}

/* ---- vocabularies ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int vocab_build(TokenizerKind k, const Pairs *p, int side, Vocab *out, char *err) {
    static const char *SPECIALS[TOK_SPECIALS] = {"<pad>", "<sos>", "<eos>", "<unk>"};
    memset(out, 0, sizeof *out);
    /* Gather every token (with repeats), sort, keep each once. */
    char **all = NULL;
    size_t n_all = 0, cap = 0;
    int rc = 0;
    for (int i = 0; i < p->n && !rc; i++) {
        char **toks;
        int nt;
        if (tokenize(k, side ? p->tgt[i] : p->src[i], &toks, &nt, err)) {
            char msg[AV_ERR_LEN];
            snprintf(msg, sizeof msg, "%s", err ? err : "");
            rc = av_err(err, "pair %d (%s): %s", i + 1, side ? "target" : "source", msg);
            break;
        }
        if (n_all + (size_t)nt > cap) {
            size_t nc = cap ? cap * 2 : 1024;
            while (nc < n_all + (size_t)nt) nc *= 2;
            char **na = realloc(all, nc * sizeof *na);
            if (!na) {
                tokens_free(toks, nt);
                rc = av_err(err, "out of memory");
                break;
            }
            all = na;
            cap = nc;
        }
        for (int j = 0; j < nt; j++) all[n_all++] = toks[j];   /* take ownership */
        free(toks);
    }
    const char **uniq = NULL;
    int n_uniq = 0;
    if (!rc) {
        if (n_all > 1) qsort(all, n_all, sizeof *all, cmp_str); /* all is NULL when there is no token */
        uniq = malloc((n_all + TOK_SPECIALS) * sizeof *uniq);
        if (!uniq) rc = av_err(err, "out of memory");
    }
    if (!rc) {
        for (int i = 0; i < TOK_SPECIALS; i++) uniq[n_uniq++] = SPECIALS[i];
        for (size_t i = 0; i < n_all; i++) {
            if (i && strcmp(all[i], all[i - 1]) == 0) continue;
            bool special = false;
            for (int s = 0; s < TOK_SPECIALS; s++) special |= strcmp(all[i], SPECIALS[s]) == 0;
            if (!special) uniq[n_uniq++] = all[i];
        }
        rc = vocab_init(out, uniq, n_uniq, err);
    }
    free(uniq);
    for (size_t i = 0; i < n_all; i++) free(all[i]);
    free(all);
    return rc;
}

/* ---- data sets ---------------------------------------------------------------------- */

int dataset_build(const Pairs *p, TokenizerKind k, const Vocab *src, const Vocab *tgt,
                  Dataset *out, char *err) {
    memset(out, 0, sizeof *out);
    int n = p->n;
    out->src_off = malloc((size_t)(n ? n : 1) * sizeof(int));
    out->src_len = malloc((size_t)(n ? n : 1) * sizeof(int));
    out->tgt_off = malloc((size_t)(n ? n : 1) * sizeof(int));
    out->tgt_len = malloc((size_t)(n ? n : 1) * sizeof(int));
    size_t cap = 1024, len = 0;
    out->ids = malloc(cap * sizeof(int));
    if (!out->src_off || !out->src_len || !out->tgt_off || !out->tgt_len || !out->ids) {
        dataset_free(out);
        return av_err(err, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        for (int side = 0; side < 2; side++) {
            int *ids, m;
            const Vocab *v = side ? tgt : src;
            if (encode_text(v, k, side ? p->tgt[i] : p->src[i], &ids, &m, err)) {
                char msg[AV_ERR_LEN];
                snprintf(msg, sizeof msg, "%s", err ? err : "");
                dataset_free(out);
                return av_err(err, "pair %d (%s): %s", i + 1, side ? "target" : "source", msg);
            }
            if (side == 0 && m == 0) {
                free(ids);
                dataset_free(out);
                return av_err(err, "pair %d: the source has no tokens", i + 1);
            }
            int total = m + side;                   /* targets get <eos> */
            if (len + (size_t)total > cap) {
                while (len + (size_t)total > cap) cap *= 2;
                int *ni = realloc(out->ids, cap * sizeof *ni);
                if (!ni) {
                    free(ids);
                    dataset_free(out);
                    return av_err(err, "out of memory");
                }
                out->ids = ni;
            }
            memcpy(out->ids + len, ids, (size_t)m * sizeof *ids);
            if (side) out->ids[len + m] = TOK_EOS;
            free(ids);
            if (side) {
                out->tgt_off[i] = (int)len;
                out->tgt_len[i] = total;
                if (total > out->max_tgt) out->max_tgt = total;
            } else {
                out->src_off[i] = (int)len;
                out->src_len[i] = total;
                if (total > out->max_src) out->max_src = total;
            }
            len += (size_t)total;
        }
        out->n = i + 1;
    }
    out->n = n;
    return 0;
}
