/* safetensors.c — a model as one .safetensors file (../shared/MODEL.md).
 *
 * The format (huggingface/safetensors): 8 bytes, a little-endian u64 N; N
 * bytes of JSON header; then the raw data. The header maps tensor names to
 * {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the
 * start of the data) and may hold "__metadata__", a string → string map.
 * We write F32 only, row-major, little-endian, tensors back to back in the
 * layout's order, header padded with spaces to a multiple of 8 bytes (what
 * the Python library does), so `safetensors` and PyTorch read our files.
 *
 * Loading trusts nothing: every size is checked before it is allocated or
 * read (the header length against a limit and the file's size, the data
 * against what the metadata declares), the header parsed with cJSON and
 * refused if it could mean something else to another reader (a repeated
 * key, a NUL), and every promise checked against the configuration the
 * metadata describes (tensor set, shapes, offsets that tile the data
 * exactly, vocabulary entries) before a single float is read; then every
 * float must be finite. The first problem found is reported as one line
 * "FILE: problem", with every byte from the file escaped; the Model is left
 * zeroed.
 */
#include "model.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/outfile.h"

/* the Python library's own limit on the header size */
#define ST_MAX_HEADER 100000000ull

/* ---- little-endian helpers (portable: no host-order assumption) ------------- */

static uint64_t le_u64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static float le_f32(const unsigned char *p) {
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static void put_f32(unsigned char *p, float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(u >> (8 * i));
}

/* ---- reading: sizes checked before anything is allocated ------------------------
 * The file is read in order, header length, header, data, and nothing is
 * allocated before its size has been checked: against ST_MAX_HEADER and,
 * for a regular file, against the file's size; the data is read in its
 * exact declared size (the model's parameters, 4 bytes each), straight into
 * the parameters. So a device (/dev/zero), a pipe or a file that lies about
 * its sizes is refused after a bounded read. */

typedef struct {
    FILE *f;
    bool regular;             /* a regular file: its size is known          */
    uint64_t size;            /* its size (regular files only)              */
} Src;

/* Read exactly n bytes; 0, or -1 with *got the bytes read (errno set on a
 * read error, 0 at the end of the file). */
static int read_exact(Src *in, void *buf, size_t n, size_t *got) {
    *got = fread(buf, 1, n, in->f);
    if (*got == n) return 0;
    if (!ferror(in->f)) errno = 0;
    return -1;
}

/* The largest data a stream (not a regular file) may declare. */
#define ST_MAX_STREAM_DATA (1ull << 30)

/* ---- metadata ------------------------------------------------------------------ */

static const char *meta_str(const cJSON *meta, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A required string value; "missing" and "not a string" are told apart. */
static int meta_need(const cJSON *meta, const char *key, const char **out, const char *path, char *err) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(meta, key);
    *out = "";
    if (!v) return av_err(err, "%s: __metadata__ has no \"%s\"", path, key);
    if (!cJSON_IsString(v)) return av_err(err, "%s: __metadata__ \"%s\" is not a string", path, key);
    *out = v->valuestring;
    return 0;
}

/* Plain decimal digits only, 0..max: "12" yes; "", "-1", "1e3", " 7" no. */
static int parse_int(const char *s, long max, long *out) {
    long v = 0;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        v = v * 10 + (*s - '0');
        if (v > max) return -1;
    }
    *out = v;
    return 0;
}

static int meta_int(const cJSON *meta, const char *key, int *out, const char *path, char *err) {
    const char *s;
    long v;
    if (meta_need(meta, key, &s, path, err)) return -1;
    if (parse_int(s, 1000000, &v))
        return av_err(err, "%s: __metadata__ \"%s\" is \"%.40s\", not a whole number", path, key, s);
    *out = (int)v;
    return 0;
}

static int meta_bool(const cJSON *meta, const char *key, bool *out, const char *path, char *err) {
    const char *s;
    if (meta_need(meta, key, &s, path, err)) return -1;
    if (strcmp(s, "true") == 0) *out = true;
    else if (strcmp(s, "false") == 0) *out = false;
    else return av_err(err, "%s: __metadata__ \"%s\" is \"%.40s\", expected \"true\" or \"false\"", path, key, s);
    return 0;
}

/* An optional flag: false when absent (attn_bias, source_eos, reverse_source). */
static int meta_flag(const cJSON *meta, const char *key, bool *out, const char *path, char *err) {
    *out = false;
    return cJSON_GetObjectItemCaseSensitive(meta, key) ? meta_bool(meta, key, out, path, err) : 0;
}

/* A name from a fixed list (cell, style, score, tokenizer). */
static int meta_enum(const cJSON *meta, const char *key, int (*parse)(const char *, void *),
                     void *out, const char *choices, const char *path, char *err) {
    const char *s;
    if (meta_need(meta, key, &s, path, err)) return -1;
    if (parse(s, out)) return av_err(err, "%s: unknown %s \"%.40s\" (expected %s)", path, key, s, choices);
    return 0;
}
static int p_cell(const char *s, void *o) { return cell_parse(s, o); }
static int p_style(const char *s, void *o) { return style_parse(s, o); }
static int p_score(const char *s, void *o) { return score_parse(s, o); }
static int p_tok(const char *s, void *o) { return tokenizer_parse(s, o); }

/* src_vocab / tgt_vocab: a string holding a JSON array of strings. */
static int meta_vocab(const cJSON *meta, const char *key, Vocab *v, const char *path, char *err) {
    const char *s;
    if (meta_need(meta, key, &s, path, err)) return -1;
    errno = 0;
    cJSON *arr = cJSON_Parse(s);
    if (!arr && errno == ENOMEM) /* malloc says so; a syntax error leaves errno alone */
        return av_err(err, "%s: out of memory reading __metadata__ \"%s\"", path, key);
    if (!cJSON_IsArray(arr)) {
        cJSON_Delete(arr);
        return av_err(err, "%s: __metadata__ \"%s\" is not a JSON array of strings", path, key);
    }
    int n = cJSON_GetArraySize(arr);
    const char **toks = malloc((size_t)(n ? n : 1) * sizeof *toks);
    if (!toks) { cJSON_Delete(arr); return av_err(err, "%s: out of memory", path); }
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it)) {
            free(toks);
            cJSON_Delete(arr);
            return av_err(err, "%s: %s id %d is not a string", path, key, i);
        }
        toks[i++] = it->valuestring;
    }
    char why[AV_ERR_LEN];
    int rc = vocab_init(v, toks, n, why);
    free(toks);
    cJSON_Delete(arr);
    if (rc) return av_err(err, "%s: %s: %s", path, key, why);
    return 0;
}

static int read_config(const cJSON *meta, ModelConfig *c, const char *path, char *err) {
    const char *s;
    memset(c, 0, sizeof *c);
    if (meta_need(meta, "format", &s, path, err)) return -1;
    if (strcmp(s, "seq2seq-attention") != 0)
        return av_err(err, "%s: format is \"%.40s\", expected \"seq2seq-attention\"", path, s);
    if (meta_need(meta, "version", &s, path, err)) return -1;
    if (strcmp(s, "1") != 0) return av_err(err, "%s: version \"%.20s\" is not supported (expected \"1\")", path, s);
    if (meta_enum(meta, "cell", p_cell, &c->cell, "lstm or gru", path, err) ||
        meta_bool(meta, "bidirectional", &c->bidirectional, path, err) ||
        meta_enum(meta, "style", p_style, &c->style, "luong or bahdanau", path, err) ||
        meta_enum(meta, "score", p_score, &c->score,
                  "none, dot, scaled_dot, general, concat or additive", path, err) ||
        meta_bool(meta, "input_feed", &c->input_feed, path, err) ||
        meta_int(meta, "embed", &c->embed, path, err) ||
        meta_int(meta, "enc_hidden", &c->enc_hidden, path, err) ||
        meta_int(meta, "hidden", &c->hidden, path, err) ||
        meta_int(meta, "attn_dim", &c->attn_dim, path, err) ||
        meta_enum(meta, "tokenizer", p_tok, &c->tokenizer, "char or word", path, err) ||
        meta_flag(meta, "reverse_source", &c->reverse_source, path, err) ||
        meta_flag(meta, "attn_bias", &c->attn_bias, path, err) ||
        meta_flag(meta, "source_eos", &c->source_eos, path, err))
        return -1;
    char why[AV_ERR_LEN];
    if (model_config_check(c, why)) return av_err(err, "%s: bad configuration: %s", path, why);
    return 0;
}

/* ---- tensors ------------------------------------------------------------------- */

/* A JSON number that is a whole number in [0, 2^53]. */
static int json_uint(const cJSON *v, uint64_t *out) {
    if (!cJSON_IsNumber(v)) return -1;
    double d = v->valuedouble;
    if (!(d >= 0 && d <= 9007199254740992.0) || d != floor(d)) return -1;
    *out = (uint64_t)d;
    return 0;
}

typedef struct { uint64_t begin, end; int idx; } Span;

static int span_cmp(const void *a, const void *b) {
    const Span *x = a, *y = b;
    return x->begin < y->begin ? -1 : x->begin > y->begin ? 1 : x->end < y->end ? -1 : x->end > y->end;
}

static void shape_str(char *buf, size_t cap, int rows, int cols) {
    if (cols) snprintf(buf, cap, "[%d, %d]", rows, cols);
    else snprintf(buf, cap, "[%d]", rows);
}

/* Check one tensor entry against its TensorInfo; fills its span. */
static int check_tensor(const cJSON *e, const TensorInfo *t, const Model *m, uint64_t data_len,
                        Span *sp, const char *path, char *err) {
    if (!cJSON_IsObject(e)) return av_err(err, "%s: tensor %s: entry is not a JSON object", path, t->name);
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(e, "dtype");
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(e, "shape");
    const cJSON *of = cJSON_GetObjectItemCaseSensitive(e, "data_offsets");
    if (!cJSON_IsString(dt)) return av_err(err, "%s: tensor %s has no dtype", path, t->name);
    if (strcmp(dt->valuestring, "F32") != 0)
        return av_err(err, "%s: tensor %s has dtype %.20s, only F32 is supported", path, t->name, dt->valuestring);

    /* shape */
    if (!cJSON_IsArray(sh)) return av_err(err, "%s: tensor %s has no shape array", path, t->name);
    char want[48], got[256] = "[";
    shape_str(want, sizeof want, t->rows, t->cols);
    int nd = cJSON_GetArraySize(sh), k = 0;
    uint64_t dims[2] = {0, 0};
    bool ok = nd == (t->cols ? 2 : 1);
    const cJSON *it;
    cJSON_ArrayForEach(it, sh) {
        uint64_t d;
        if (json_uint(it, &d)) return av_err(err, "%s: tensor %s: shape holds a non-integer", path, t->name);
        if (k < 2) dims[k] = d;
        if (k < 8) {
            size_t l = strlen(got);
            snprintf(got + l, sizeof got - l, "%s%llu", k ? ", " : "", (unsigned long long)d);
        }
        k++;
    }
    size_t gl = strlen(got);
    snprintf(got + gl, sizeof got - gl, "%s", k > 8 ? ", ...]" : "]");
    if (ok) ok = dims[0] == (uint64_t)t->rows && (!t->cols || dims[1] == (uint64_t)t->cols);
    if (!ok) {
        /* An embedding or output layer whose rows disagree with the vocabulary
         * is the likeliest real-world mix-up: say so plainly. */
        const char *vk = NULL;
        int vn = 0;
        if (strcmp(t->name, "encoder.embedding.weight") == 0) { vk = "src_vocab"; vn = m->src.n; }
        else if (strncmp(t->name, "decoder.embedding", 17) == 0 || strncmp(t->name, "decoder.out", 11) == 0) {
            vk = "tgt_vocab"; vn = m->tgt.n;
        }
        if (vk && nd == (t->cols ? 2 : 1) && dims[0] != (uint64_t)t->rows &&
            (!t->cols || dims[1] == (uint64_t)t->cols))
            return av_err(err, "%s: tensor %s has %llu rows but %s has %d tokens", path, t->name,
                          (unsigned long long)dims[0], vk, vn);
        return av_err(err, "%s: tensor %s has shape %s, expected %s", path, t->name, got, want);
    }

    /* offsets */
    uint64_t b, en;
    if (!cJSON_IsArray(of) || cJSON_GetArraySize(of) != 2 ||
        json_uint(cJSON_GetArrayItem(of, 0), &b) || json_uint(cJSON_GetArrayItem(of, 1), &en))
        return av_err(err, "%s: tensor %s: data_offsets is not a pair of whole numbers", path, t->name);
    if (b > en) return av_err(err, "%s: tensor %s: data_offsets [%llu, %llu] run backwards", path, t->name,
                              (unsigned long long)b, (unsigned long long)en);
    if (en > data_len)
        return av_err(err, "%s: tensor %s: data_offsets [%llu, %llu] reach past the data (%llu bytes)",
                      path, t->name, (unsigned long long)b, (unsigned long long)en, (unsigned long long)data_len);
    if (en - b != 4 * (uint64_t)t->size)
        return av_err(err, "%s: tensor %s: data_offsets span %llu bytes, its shape needs %llu",
                      path, t->name, (unsigned long long)(en - b), (unsigned long long)(4 * t->size));
    sp->begin = b;
    sp->end = en;
    return 0;
}

/* ---- load ------------------------------------------------------------------------ */

/* -- the JSON header must mean one thing to every reader: cJSON keeps the
 * first of two equal keys where another parser keeps the last, and a NUL
 * ends a string early in C. So no object may repeat a key (at any depth,
 * __metadata__ included), and no NUL may appear, raw or as \u0000. -- */
static int cmp_key(const void *a, const void *b) {
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* The first key that an object (or one inside it) repeats, or NULL; *oom on
 * a failed allocation. */
static const char *repeated_key(const cJSON *o, bool *oom) {
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, o) n++;
    if (cJSON_IsObject(o) && n > 1) {
        const cJSON **k = malloc((size_t)n * sizeof *k);
        if (!k) { *oom = true; return NULL; }
        int i = 0;
        cJSON_ArrayForEach(it, o) k[i++] = it;
        qsort(k, (size_t)n, sizeof *k, cmp_key);
        const char *dup = NULL;
        for (i = 1; i < n && !dup; i++)
            if (strcmp(k[i]->string, k[i - 1]->string) == 0) dup = k[i]->string;
        free(k);
        if (dup) return dup;
    }
    cJSON_ArrayForEach(it, o) { /* nested objects (cJSON limits the depth to 1000) */
        if (!cJSON_IsObject(it) && !cJSON_IsArray(it)) continue;
        const char *d = repeated_key(it, oom);
        if (d || *oom) return d;
    }
    return NULL;
}

/* The offset of the first NUL in hdr[0..N), raw or written \u0000 in a
 * string (a backslash that is not itself escaped, then u0000), or -1. */
static long nul_at(const char *hdr, size_t N) {
    const char *raw = memchr(hdr, 0, N);
    for (size_t i = 1; i + 5 <= N && (!raw || hdr + i < raw); i++) {
        if (hdr[i] != 'u' || hdr[i - 1] != '\\' || memcmp(hdr + i + 1, "0000", 4) != 0) continue;
        size_t k = 0; /* the backslashes before the u: an odd run escapes it */
        while (k < i && hdr[i - 1 - k] == '\\') k++;
        if (k % 2 == 1) return (long)(i - 1);
    }
    return raw ? (long)(raw - hdr) : -1;
}

/* -- framing: u64 N, N bytes of JSON, then the data. Reads the length and
 * the header from in; returns the header, a JSON object, or NULL with err
 * set. *N receives the header length. -- */
static cJSON *read_header(Src *in, uint64_t *N_out, const char *path, char *err) {
    unsigned char len8[8];
    size_t got;
    if (read_exact(in, len8, 8, &got)) {
        if (errno) av_err(err, "%s: cannot read: %s", path, strerror(errno));
        else av_err(err, "%s: too short for a safetensors file (%zu bytes)", path, got);
        return NULL;
    }
    uint64_t N = le_u64(len8);
    *N_out = N;
    if (N > ST_MAX_HEADER) {
        av_err(err, "%s: header length %llu is absurd (limit %llu): not a safetensors file?", path,
               (unsigned long long)N, ST_MAX_HEADER);
        return NULL;
    }
    if (N == 0) {
        av_err(err, "%s: header length 0: not a safetensors file?", path);
        return NULL;
    }
    if (in->regular && N > in->size - 8) {
        av_err(err, "%s: header length %llu is larger than the rest of the file (%llu bytes): truncated?",
               path, (unsigned long long)N, (unsigned long long)(in->size - 8));
        return NULL;
    }
    if (N < 2) { av_err(err, "%s: header length %llu is too small for a JSON object", path, (unsigned long long)N); return NULL; }
    char *hdr = malloc((size_t)N);
    if (!hdr) { av_err(err, "%s: out of memory for a header of %llu bytes", path, (unsigned long long)N); return NULL; }
    cJSON *root = NULL;
    if (read_exact(in, hdr, (size_t)N, &got)) {
        if (errno) av_err(err, "%s: cannot read: %s", path, strerror(errno));
        else av_err(err, "%s: header length %llu is larger than the rest of the file (%zu bytes): truncated?",
                    path, (unsigned long long)N, got);
        goto fail;
    }
    long nul = nul_at(hdr, (size_t)N);
    if (nul >= 0) {
        av_err(err, "%s: header holds a NUL byte%s (at byte %ld)", path, hdr[nul] ? ", written \\u0000," : "", nul);
        goto fail;
    }
    const char *end = NULL;
    errno = 0;
    root = cJSON_ParseWithLengthOpts(hdr, (size_t)N, &end, 0);
    if (!root) {
        if (errno == ENOMEM) { av_err(err, "%s: out of memory reading the header", path); goto fail; }
        /* on failure, end points at the error */
        long pos = end && end >= hdr && end <= hdr + N ? (long)(end - hdr) : -1;
        av_err(err, "%s: header is not valid JSON (at byte %ld of %llu)", path, pos, (unsigned long long)N);
        goto fail;
    }
    for (; end && end < hdr + N; end++)
        if (*end != ' ' && *end != '\t' && *end != '\n' && *end != '\r') {
            av_err(err, "%s: header has trailing bytes after its JSON (at byte %ld)", path, (long)(end - hdr));
            goto fail;
        }
    if (!cJSON_IsObject(root)) { av_err(err, "%s: header is not a JSON object", path); goto fail; }
    bool oom = false;
    const char *dup = repeated_key(root, &oom);
    if (oom) { av_err(err, "%s: out of memory reading the header", path); goto fail; }
    if (dup) { av_err(err, "%s: the key %.60s appears twice in the header", path, dup); goto fail; }
    free(hdr);
    return root;
fail:
    cJSON_Delete(root);
    free(hdr);
    return NULL;
}

/* -- metadata: configuration and vocabularies -- */
static int read_metadata(Model *m, const cJSON *root, const char *path, char *err) {
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "__metadata__");
    if (!meta) { av_err(err, "%s: header has no __metadata__ (not an attnviz model?)", path); return -1; }
    if (!cJSON_IsObject(meta)) { av_err(err, "%s: __metadata__ is not a JSON object", path); return -1; }
    const cJSON *it;
    cJSON_ArrayForEach(it, meta)
        if (!cJSON_IsString(it)) {
            av_err(err, "%s: __metadata__ \"%.40s\" is not a string", path, it->string);
            return -1;
        }
    if (read_config(meta, &m->cfg, path, err)) return -1;
    if (meta_vocab(meta, "src_vocab", &m->src, path, err)) return -1;
    if (meta_vocab(meta, "tgt_vocab", &m->tgt, path, err)) return -1;
    const char *s;
    if ((s = meta_str(meta, "task")) && !(m->task = strdup(s))) { av_err(err, "%s: out of memory", path); return -1; }
    if ((s = meta_str(meta, "notes")) && !(m->notes = strdup(s))) { av_err(err, "%s: out of memory", path); return -1; }
    if ((s = meta_str(meta, "trained_steps")) && parse_int(s, 1000000000000L, &m->trained_steps)) {
        av_err(err, "%s: __metadata__ \"trained_steps\" is \"%.40s\", not a whole number", path, s);
        return -1;
    }
    return 0;
}

/* -- tensors: exactly the layout's set, shapes right, offsets tiling the data;
 * spans[layout.n] receives where each tensor's bytes are -- */
static int read_spans(Span *spans, const cJSON *root, const Model *m, uint64_t data_len, const char *path,
                      char *err) {
    const cJSON *it;
    const ModelLayout *L = &m->layout;
    bool seen[MODEL_MAX_TENSORS] = {0};
    cJSON_ArrayForEach(it, root) {
        if (strcmp(it->string, "__metadata__") == 0) continue;
        const TensorInfo *t = layout_find(L, it->string);
        if (!t) {
            av_err(err, "%s: unexpected tensor %.60s (this %s/%s/%s configuration has no such tensor)",
                   path, it->string, cell_name(m->cfg.cell), style_name(m->cfg.style), score_name(m->cfg.score));
            return -1;
        }
        int i = (int)(t - L->t);
        if (seen[i]) { av_err(err, "%s: tensor %s appears twice in the header", path, t->name); return -1; }
        seen[i] = true;
        spans[i].idx = i;
        if (check_tensor(it, t, m, data_len, &spans[i], path, err)) return -1;
    }
    for (int i = 0; i < L->n; i++)
        if (!seen[i]) { av_err(err, "%s: missing tensor %s", path, L->t[i].name); return -1; }
    /* Sorted by offset, the spans must tile [0, data_len) with no overlap and
     * no hole, as the safetensors library itself demands. */
    qsort(spans, (size_t)L->n, sizeof *spans, span_cmp);
    uint64_t at = 0;
    for (int k = 0; k < L->n; k++) {
        if (spans[k].begin < at) {
            av_err(err, "%s: tensors %s and %s overlap in the data", path,
                   L->t[spans[k - 1].idx].name, L->t[spans[k].idx].name);
            return -1;
        }
        if (spans[k].begin > at) {
            av_err(err, "%s: data bytes %llu..%llu belong to no tensor (hole before %s)", path,
                   (unsigned long long)at, (unsigned long long)spans[k].begin, L->t[spans[k].idx].name);
            return -1;
        }
        at = spans[k].end;
    }
    if (at != data_len) {
        av_err(err, "%s: the data is %llu bytes but the tensors cover %llu: trailing bytes", path,
               (unsigned long long)data_len, (unsigned long long)at);
        return -1;
    }
    return 0;
}

/* -- read the data, tensor by tensor in file order (spans sorted by
 * read_spans), into m->params, refusing a NaN or infinity; then nothing
 * may follow it -- */
static int read_params(Model *m, Src *in, const Span *spans, uint64_t data_len, const char *path, char *err) {
    const ModelLayout *L = &m->layout;
    m->params = malloc(L->n_params ? L->n_params * sizeof(float) : 1);
    if (!m->params) { av_err(err, "%s: out of memory for %zu parameters", path, L->n_params); return -1; }
    unsigned char blk[4096];
    uint64_t at = 0;
    for (int k = 0; k < L->n; k++) {
        const TensorInfo *t = &L->t[spans[k].idx];
        float *dst = m->params + t->offset;
        for (size_t j = 0; j < t->size;) {
            size_t n = t->size - j < sizeof blk / 4 ? t->size - j : sizeof blk / 4, got;
            if (read_exact(in, blk, 4 * n, &got)) {
                if (errno) return av_err(err, "%s: cannot read: %s", path, strerror(errno));
                return av_err(err, "%s: the data ends after %llu of its %llu bytes: truncated?", path,
                              (unsigned long long)(at + got), (unsigned long long)data_len);
            }
            for (size_t i = 0; i < n; i++, j++) {
                dst[j] = le_f32(blk + 4 * i);
                if (!isfinite(dst[j]))
                    return av_err(err, "%s: tensor %s holds a non-finite value (%s) at index %zu", path, t->name,
                                  isnan(dst[j]) ? "NaN" : "infinity", j);
            }
            at += 4 * n;
        }
    }
    if (fgetc(in->f) != EOF)
        return av_err(err, "%s: trailing bytes after the %llu bytes of data the tensors cover", path,
                      (unsigned long long)data_len);
    if (ferror(in->f)) return av_err(err, "%s: cannot read: %s", path, strerror(errno));
    return 0;
}

int model_load(Model *m, const char *path, char *err) {
    memset(m, 0, sizeof *m);
    Src in = {fopen(path, "rb"), false, 0};
    if (!in.f) {
        av_err(err, "%s: cannot open: %s", path, strerror(errno));
        if (err) av_escape_msg(err, AV_ERR_LEN);   /* it quotes the path */
        return -1;
    }
    struct stat st;
    if (fstat(fileno(in.f), &st) == 0 && S_ISREG(st.st_mode)) {
        in.regular = true;
        in.size = (uint64_t)st.st_size;
    }

    Span *spans = NULL;
    int rc = -1;
    uint64_t N = 0;
    cJSON *root = read_header(&in, &N, path, err);
    if (!root || read_metadata(m, root, path, err)) goto done;
    model_layout(&m->layout, &m->cfg, m->src.n, m->tgt.n);
    /* the data a regular file has, or (a stream) the exact size the
     * configuration declares: the tensors must tile it */
    uint64_t want = 4 * (uint64_t)m->layout.n_params;
    uint64_t data_len = in.regular ? in.size - 8 - N : want;
    if (!in.regular && want > ST_MAX_STREAM_DATA) {
        av_err(err, "%s: the metadata declares %llu bytes of data, more than a stream may hold (%llu)", path,
               (unsigned long long)want, ST_MAX_STREAM_DATA);
        goto done;
    }
    spans = calloc((size_t)m->layout.n, sizeof *spans);
    if (!spans) { av_err(err, "%s: out of memory", path); goto done; }
    if (read_spans(spans, root, m, data_len, path, err)) goto done;
    if (read_params(m, &in, spans, data_len, path, err)) goto done;
    weights_bind(&m->w, &m->layout, m->params);
    rc = 0;

done:
    free(spans);
    cJSON_Delete(root);
    fclose(in.f);
    if (rc) {
        model_free(m);
        if (err) av_escape_msg(err, AV_ERR_LEN);   /* it quotes the file's bytes: names, values */
    }
    return rc;
}

/* ---- save ------------------------------------------------------------------------ */

static cJSON *vocab_json_string(const Vocab *v) {
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; arr && i < v->n; i++) {
        cJSON *s = cJSON_CreateString(v->tokens[i]);
        if (!s) { cJSON_Delete(arr); return NULL; }
        cJSON_AddItemToArray(arr, s);
    }
    if (!arr) return NULL;
    char *txt = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    if (!txt) return NULL;
    cJSON *out = cJSON_CreateString(txt);
    cJSON_free(txt);
    return out;
}

/* The header text: metadata, then the tensors in layout order, back to back. */
static char *make_header(const Model *m) {
    const ModelConfig *c = &m->cfg;
    cJSON *root = cJSON_CreateObject(), *meta = cJSON_CreateObject();
    char *txt = NULL;
    if (!root || !meta) { cJSON_Delete(root); cJSON_Delete(meta); return NULL; }
    cJSON_AddItemToObject(root, "__metadata__", meta);
    char num[32];
#define STR(k, v) if (!cJSON_AddStringToObject(meta, k, v)) goto fail
#define INT(k, v) snprintf(num, sizeof num, "%ld", (long)(v)); STR(k, num)
    STR("format", "seq2seq-attention");
    STR("version", "1");
    STR("cell", cell_name(c->cell));
    STR("bidirectional", c->bidirectional ? "true" : "false");
    STR("style", style_name(c->style));
    STR("score", score_name(c->score));
    STR("input_feed", c->input_feed ? "true" : "false");
    INT("embed", c->embed);
    INT("enc_hidden", c->enc_hidden);
    INT("hidden", c->hidden);
    INT("attn_dim", c->attn_dim);
    STR("tokenizer", tokenizer_name(c->tokenizer));
    STR("reverse_source", c->reverse_source ? "true" : "false");
    if (c->attn_bias) STR("attn_bias", "true"); /* optional keys: written only when true, */
    if (c->source_eos) STR("source_eos", "true"); /* so older readers keep reading the rest */
    cJSON *sv = vocab_json_string(&m->src), *tv = vocab_json_string(&m->tgt);
    if (!sv || !tv) { cJSON_Delete(sv); cJSON_Delete(tv); goto fail; }
    cJSON_AddItemToObject(meta, "src_vocab", sv);
    cJSON_AddItemToObject(meta, "tgt_vocab", tv);
    STR("task", m->task ? m->task : "");
    INT("trained_steps", m->trained_steps);
    STR("notes", m->notes ? m->notes : "");
#undef STR
#undef INT
    for (int i = 0; i < m->layout.n; i++) {
        const TensorInfo *t = &m->layout.t[i];
        cJSON *e = cJSON_CreateObject();
        if (!e) goto fail;
        cJSON_AddItemToObject(root, t->name, e);
        double shape[2] = {t->rows, t->cols};
        double off[2] = {4.0 * (double)t->offset, 4.0 * (double)(t->offset + t->size)};
        cJSON *sh = cJSON_CreateDoubleArray(shape, t->cols ? 2 : 1);
        cJSON *of = cJSON_CreateDoubleArray(off, 2);
        if (!sh || !of || !cJSON_AddStringToObject(e, "dtype", "F32")) { cJSON_Delete(sh); cJSON_Delete(of); goto fail; }
        cJSON_AddItemToObject(e, "shape", sh);
        cJSON_AddItemToObject(e, "data_offsets", of);
    }
    txt = cJSON_PrintUnformatted(root);
fail:
    cJSON_Delete(root);
    return txt;
}

int model_save(const Model *m, const char *path, char *err) {
    if (!m->params) return av_err(err, "%s: the model has no parameters to save", path);
    char *hdr = make_header(m);
    if (!hdr) return av_err(err, "%s: out of memory", path);
    size_t hlen = strlen(hdr), padded = (hlen + 7) / 8 * 8;

    AvOut o;
    FILE *f = av_out_open(&o, path, err);
    if (!f) { cJSON_free(hdr); return -1; }

    int ok = 1;
    unsigned char u[8];
    for (int i = 0; i < 8; i++) u[i] = (unsigned char)((uint64_t)padded >> (8 * i));
    ok &= fwrite(u, 1, 8, f) == 8;
    ok &= fwrite(hdr, 1, hlen, f) == hlen;
    for (size_t i = hlen; i < padded; i++) ok &= fputc(' ', f) != EOF;
    cJSON_free(hdr);
    /* floats in little-endian order, a block at a time */
    unsigned char blk[4096];
    for (size_t i = 0; ok && i < m->layout.n_params; i += sizeof blk / 4) {
        size_t n = m->layout.n_params - i < sizeof blk / 4 ? m->layout.n_params - i : sizeof blk / 4;
        for (size_t j = 0; j < n; j++) put_f32(blk + 4 * j, m->params[i + j]);
        ok &= fwrite(blk, 4, n, f) == n;
    }
    if (!ok) {
        int e = errno;
        av_out_abort(&o);
        return av_err(err, "%s: %s", path, e ? strerror(e) : "write error");
    }
    return av_out_close(&o, err);
}
