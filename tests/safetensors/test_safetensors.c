/* test_safetensors.c — model_save / model_load: round trips, and broken files.
 *
 * Every broken file is made at test time from a valid one (byte surgery on the
 * frame, or a rewrite of the JSON header with cJSON), in a fresh temporary
 * folder, and must be refused with one line that names the file and says the
 * right thing. ASan + UBSan watch for crashes and leaks.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "engine/model.h"
#include "engine/seq2seq.h"

/* Under ASan a leak is only printed when the worker exits; Criterion still
 * counts the test as passed. Ask LeakSanitizer directly instead. */
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#define NO_LEAKS() cr_expect_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (see the report above)")
#else
#define NO_LEAKS() ((void)0)
#endif

/* ---- a temporary folder with one valid model in it ----------------------------- */

static char DIR_[64];
static char VALID[128];
static unsigned char *BUF;      /* the valid file, whole */
static size_t LEN;
static size_t HLEN;             /* header length N */

static const char *SRC_TOKS[] = {"<pad>", "<sos>", "<eos>", "<unk>", "a", "b", "\"", "\\", "가"};
static const char *TGT_TOKS[] = {"<pad>", "<sos>", "<eos>", "<unk>", "x", "y", "é"};

static ModelConfig cfg_of(CellKind cell, bool bi, StyleKind style, ScoreKind score, bool feed, bool rev) {
    ModelConfig c = {.cell = cell, .bidirectional = bi, .style = style, .score = score,
                     .input_feed = feed, .embed = 4, .enc_hidden = bi ? 3 : 5,
                     .tokenizer = TOK_CHAR, .reverse_source = rev};
    c.hidden = bi ? (score == SCORE_DOT || score == SCORE_SCALED_DOT ? 6 : 7) : 5;
    c.attn_dim = score == SCORE_CONCAT || score == SCORE_ADDITIVE ? 3 : 0;
    return c;
}

static void make_model(Model *m, const ModelConfig *c, uint64_t seed) {
    Vocab s, t;
    char err[AV_ERR_LEN];
    cr_assert_eq(vocab_init(&s, SRC_TOKS, 9, err), 0, "%s", err);
    cr_assert_eq(vocab_init(&t, TGT_TOKS, 7, err), 0, "%s", err);
    Rng rng;
    rng_seed(&rng, seed);
    cr_assert_eq(model_create(m, c, &s, &t, &rng, err), 0, "%s", err);
    vocab_free(&s);
    vocab_free(&t);
}

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    cr_assert(b);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void setup(void) {
    snprintf(DIR_, sizeof DIR_, "/tmp/attnviz-st-XXXXXX");
    cr_assert(mkdtemp(DIR_));
    snprintf(VALID, sizeof VALID, "%s/valid.safetensors", DIR_);
    Model m;
    ModelConfig c = cfg_of(CELL_LSTM, true, STYLE_LUONG, SCORE_GENERAL, false, false);
    make_model(&m, &c, 7);
    m.task = strdup("reverse");
    m.trained_steps = 1234;
    char err[AV_ERR_LEN];
    cr_assert_eq(model_save(&m, VALID, err), 0, "%s", err);
    model_free(&m);
    BUF = slurp(VALID, &LEN);
    HLEN = 0;
    for (int i = 7; i >= 0; i--) HLEN = HLEN << 8 | BUF[i];
}

static void teardown(void) {
    free(BUF);
    DIR *d = opendir(DIR_);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", DIR_, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(DIR_);
}

TestSuite(st, .init = setup, .fini = teardown);

/* ---- writing broken files ----------------------------------------------------------- */

static const char *tmp_path(const char *name) {
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", DIR_, name);
    return p;
}

static const char *write_bytes(const char *name, const void *b, size_t n) {
    const char *p = tmp_path(name);
    FILE *f = fopen(p, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(b, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
    return p;
}

/* A file with the given header text and the valid file's data. */
static const char *write_with_header(const char *name, const char *hdr, const unsigned char *data, size_t dlen) {
    size_t h = strlen(hdr);
    unsigned char *b = malloc(8 + h + dlen);
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)h >> (8 * i));
    memcpy(b + 8, hdr, h);
    memcpy(b + 8 + h, data, dlen);
    const char *p = write_bytes(name, b, 8 + h + dlen);
    free(b);
    return p;
}

static cJSON *header(void) {
    cJSON *h = cJSON_ParseWithLength((const char *)BUF + 8, HLEN);
    cr_assert(h);
    return h;
}
static cJSON *meta(cJSON *h) { return cJSON_GetObjectItemCaseSensitive(h, "__metadata__"); }

static const char *write_json(const char *name, cJSON *h) {
    char *txt = cJSON_PrintUnformatted(h);
    const char *p = write_with_header(name, txt, BUF + 8 + HLEN, LEN - 8 - HLEN);
    cJSON_free(txt);
    cJSON_Delete(h);
    return p;
}

static const char *with_meta(const char *name, const char *key, const char *value) {
    cJSON *h = header();
    if (value && cJSON_GetObjectItemCaseSensitive(meta(h), key))
        cJSON_ReplaceItemInObjectCaseSensitive(meta(h), key, cJSON_CreateString(value));
    else if (value) cJSON_AddStringToObject(meta(h), key, value);
    else cJSON_DeleteItemFromObjectCaseSensitive(meta(h), key);
    return write_json(name, h);
}

/* Byte offset, in the file, of a tensor's data. */
static size_t data_at(const char *tensor) {
    cJSON *h = header();
    cJSON *t = cJSON_GetObjectItemCaseSensitive(h, tensor);
    cr_assert(t, "no %s", tensor);
    size_t b = (size_t)cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(t, "data_offsets"), 0)->valuedouble;
    cJSON_Delete(h);
    return 8 + HLEN + b;
}

static void set_offsets(cJSON *h, const char *tensor, double b, double e) {
    cJSON *t = cJSON_GetObjectItemCaseSensitive(h, tensor);
    double o[2] = {b, e};
    cJSON_ReplaceItemInObjectCaseSensitive(t, "data_offsets", cJSON_CreateDoubleArray(o, 2));
}
static double offset_of(cJSON *h, const char *tensor, int k) {
    cJSON *t = cJSON_GetObjectItemCaseSensitive(h, tensor);
    return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(t, "data_offsets"), k)->valuedouble;
}

/* The load must fail, leave the model empty, and say `what` about `path` on one line. */
static void refused(const char *path, const char *what) {
    Model m;
    char err[AV_ERR_LEN] = "";
    memset(&m, 0x5a, sizeof m);
    cr_assert_eq(model_load(&m, path, err), -1, "%s was accepted", path);
    /* "PATH: problem": the problem is looked for after the path, so that a
     * file name like overlap.safetensors cannot satisfy the test */
    size_t n = strlen(path);
    cr_assert(strncmp(err, path, n) == 0 && err[n] == ':', "message does not start with the file: %s", err);
    cr_expect(strstr(err + n, what), "expected \"%s\" in: %s", what, err);
    cr_expect(!strchr(err, '\n'), "message spans lines: %s", err);
    cr_expect_null(m.params);
    cr_expect_null(m.src.tokens);
    NO_LEAKS();
}

/* ---- round trips -------------------------------------------------------------------- */

static void round_trip(const ModelConfig *c, uint64_t seed) {
    Model a, b;
    char err[AV_ERR_LEN];
    make_model(&a, c, seed);
    a.task = strdup("dates \"quoted\"");
    a.notes = strdup("줄\nnew line");
    a.trained_steps = 987654321;
    const char *p = tmp_path("rt.safetensors");
    cr_assert_eq(model_save(&a, p, err), 0, "%s", err);
    cr_assert_eq(model_load(&b, p, err), 0, "%s", err);
    cr_expect(a.cfg.cell == b.cfg.cell && a.cfg.bidirectional == b.cfg.bidirectional &&
              a.cfg.style == b.cfg.style && a.cfg.score == b.cfg.score &&
              a.cfg.input_feed == b.cfg.input_feed && a.cfg.embed == b.cfg.embed &&
              a.cfg.enc_hidden == b.cfg.enc_hidden && a.cfg.hidden == b.cfg.hidden &&
              a.cfg.attn_dim == b.cfg.attn_dim && a.cfg.tokenizer == b.cfg.tokenizer &&
              a.cfg.reverse_source == b.cfg.reverse_source && a.cfg.attn_bias == b.cfg.attn_bias &&
              a.cfg.source_eos == b.cfg.source_eos,
              "configuration differs");
    cr_assert_eq(a.layout.n_params, b.layout.n_params);
    cr_expect_eq(memcmp(a.params, b.params, a.layout.n_params * sizeof(float)), 0, "parameters differ");
    cr_assert_eq(a.src.n, b.src.n);
    cr_assert_eq(a.tgt.n, b.tgt.n);
    for (int i = 0; i < a.src.n; i++) cr_expect_str_eq(a.src.tokens[i], b.src.tokens[i]);
    for (int i = 0; i < a.tgt.n; i++) cr_expect_str_eq(a.tgt.tokens[i], b.tgt.tokens[i]);
    cr_expect_str_eq(b.task, a.task);
    cr_expect_str_eq(b.notes, a.notes);
    cr_expect_eq(b.trained_steps, a.trained_steps);
    /* the named pointers are bound into the loaded buffer */
    const TensorInfo *t = layout_find(&b.layout, "decoder.out.weight");
    cr_expect_eq(b.w.out_W, b.params + t->offset);
    cr_expect_eq(b.w.enc_emb, b.params);
    cr_expect_eq(b.w.W_c == NULL, a.w.W_c == NULL);
    cr_expect_eq(b.w.bridge_W == NULL, !c->bidirectional);
    model_free(&a);
    model_free(&b);
    NO_LEAKS();
}

Test(st, round_trip_every_kind) {
    for (int cell = 0; cell < 2; cell++)
        for (int score = 0; score <= SCORE_ADDITIVE; score++) {
            bool bi = (score + cell) % 2;
            StyleKind style = (StyleKind)((score / 2 + cell) % 2);
            bool feed = style == STYLE_LUONG && score != SCORE_NONE && score % 2 == 1;
            ModelConfig c = cfg_of((CellKind)cell, bi, style, (ScoreKind)score, feed, score == 3);
            round_trip(&c, 100 + (uint64_t)(cell * 10 + score));
        }
}

static bool contains(const unsigned char *b, size_t n, const char *s) {
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(b + i, s, k) == 0) return true;
    return false;
}

/* attn_bias and source_eos: every score with its biases, saved and loaded;
 * the optional keys are written only when true, and read as false when
 * absent (reverse_source too) */
Test(st, round_trip_biases_and_source_eos) {
    for (int score = 0; score <= SCORE_ADDITIVE; score++)
        for (int style = 0; style < 2; style++) {
            ModelConfig c = cfg_of((CellKind)(score % 2), style == 0, (StyleKind)style, (ScoreKind)score,
                                   false, false);
            c.attn_bias = true;
            c.source_eos = score % 2 == 0;
            round_trip(&c, 300 + (uint64_t)(score * 2 + style));
        }
    Model m;
    char err[AV_ERR_LEN];
    ModelConfig c = cfg_of(CELL_GRU, false, STYLE_BAHDANAU, SCORE_ADDITIVE, false, false);
    c.attn_bias = c.source_eos = true;
    make_model(&m, &c, 5);
    for (const char *n = "attention.W_a.bias\0attention.U_a.bias\0attention.v_a.bias\0"; *n; n += strlen(n) + 1)
        cr_expect(layout_find(&m.layout, n), "no %s", n);
    cr_expect_eq(m.w.attn_b_v, m.params + layout_find(&m.layout, "attention.v_a.bias")->offset);
    const char *p = tmp_path("bias.safetensors");
    cr_assert_eq(model_save(&m, p, err), 0, "%s", err);
    model_free(&m);
    size_t n;
    unsigned char *b = slurp(p, &n);
    cr_expect(contains(b, n, "\"attn_bias\":\"true\"") && contains(b, n, "\"source_eos\":\"true\""),
              "optional keys not written");
    free(b);
    cr_expect(!contains(BUF, LEN, "attn_bias") && !contains(BUF, LEN, "source_eos"),
              "a model without them writes the optional keys");
    /* absent optional keys read as false */
    const char *q = with_meta("norev.safetensors", "reverse_source", NULL);
    cr_assert_eq(model_load(&m, q, err), 0, "%s", err);
    cr_expect(!m.cfg.reverse_source && !m.cfg.attn_bias && !m.cfg.source_eos);
    model_free(&m);
    refused(with_meta("biasbool.safetensors", "attn_bias", "1"), "\"attn_bias\" is \"1\", expected \"true\" or \"false\"");
    /* attn_bias promised, biases missing */
    refused(with_meta("nobias.safetensors", "attn_bias", "true"), "missing tensor attention.W_a.bias");
    NO_LEAKS();
}

Test(st, file_layout_is_safetensors) {
    /* 8-byte LE length, a JSON object padded with spaces to a multiple of 8,
     * the data exactly the parameters, little-endian */
    cr_expect_eq(HLEN % 8, 0);
    cr_expect_eq(BUF[8], '{');
    cr_expect(BUF[8 + HLEN - 1] == '}' || BUF[8 + HLEN - 1] == ' ');
    Model m;
    char err[AV_ERR_LEN];
    cr_assert_eq(model_load(&m, VALID, err), 0, "%s", err);
    cr_expect_eq(LEN - 8 - HLEN, 4 * m.layout.n_params);
    size_t at = data_at("decoder.out.bias");
    const TensorInfo *t = layout_find(&m.layout, "decoder.out.bias");
    uint32_t u = (uint32_t)BUF[at] | (uint32_t)BUF[at + 1] << 8 | (uint32_t)BUF[at + 2] << 16 |
                 (uint32_t)BUF[at + 3] << 24;
    float f;
    memcpy(&f, &u, 4);
    cr_expect_eq(f, m.params[t->offset]);
    cr_expect_str_eq(m.task, "reverse");
    cr_expect_eq(m.trained_steps, 1234);
    /* every metadata value is a string, src_vocab a JSON array inside one */
    cJSON *h = header(), *it;
    cJSON_ArrayForEach(it, meta(h)) cr_expect(cJSON_IsString(it), "%s is not a string", it->string);
    static const char *KEYS[] = {"format", "version", "cell", "bidirectional", "style", "score",
                                 "input_feed", "embed", "enc_hidden", "hidden", "attn_dim", "tokenizer",
                                 "reverse_source", "src_vocab", "tgt_vocab", "task", "trained_steps", "notes"};
    for (size_t i = 0; i < sizeof KEYS / sizeof *KEYS; i++)
        cr_expect(cJSON_GetObjectItemCaseSensitive(meta(h), KEYS[i]), "MODEL.md key %s not written", KEYS[i]);
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(meta(h), "format")->valuestring, "seq2seq-attention");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(meta(h), "hidden")->valuestring, "7");
    cr_expect_str_eq(cJSON_GetObjectItemCaseSensitive(meta(h), "bidirectional")->valuestring, "true");
    cJSON *v = cJSON_Parse(cJSON_GetObjectItemCaseSensitive(meta(h), "src_vocab")->valuestring);
    cr_expect(cJSON_IsArray(v));
    cr_expect_str_eq(cJSON_GetArrayItem(v, 8)->valuestring, "가");
    cJSON_Delete(v);
    cJSON_Delete(h);
    model_free(&m);
}

Test(st, reads_a_file_written_by_python) {
    /* written by tools/make_fixtures.py with struct + json, not by us */
    Model m;
    char err[AV_ERR_LEN];
    const char *p = "tests/fixtures/torch/lstm_luong_general_if_bi_rev.safetensors";
    cr_assert_eq(model_load(&m, p, err), 0, "%s", err);
    cr_expect(m.cfg.bidirectional && m.cfg.input_feed && m.cfg.reverse_source);
    cr_expect_eq(m.cfg.score, SCORE_GENERAL);
    cr_expect_str_eq(m.src.tokens[7], "가");
    cr_expect_str_eq(m.task, "fixture");
    model_free(&m);
}

Test(st, save_overwrites_atomically_and_reports_failure) {
    Model m;
    char err[AV_ERR_LEN];
    cr_assert_eq(model_load(&m, VALID, err), 0, "%s", err);
    cr_expect_eq(model_save(&m, VALID, err), 0, "%s", err);     /* replace in place */
    char bad[256];
    snprintf(bad, sizeof bad, "%s/no/such/dir/m.safetensors", DIR_);
    cr_expect_eq(model_save(&m, bad, err), -1);
    cr_expect(strstr(err, bad), "%s", err);
    /* no temporary file is left behind */
    DIR *d = opendir(DIR_);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) n += e->d_name[0] != '.';
    closedir(d);
    cr_expect_eq(n, 1, "%d files in %s", n, DIR_);
    model_free(&m);
}

/* ---- broken files: the frame ------------------------------------------------------------- */

Test(st, missing_file) {
    refused(tmp_path("nope.safetensors"), "cannot open");
}

Test(st, a_directory) {
    refused(DIR_, "cannot read");
}

Test(st, too_short) {
    refused(write_bytes("short.safetensors", BUF, 5), "too short");
    refused(write_bytes("empty.safetensors", "", 0), "too short");
}

Test(st, truncated_in_the_header) {
    refused(write_bytes("cut.safetensors", BUF, 8 + HLEN / 2), "larger than the rest of the file");
}

Test(st, truncated_in_the_data) {
    refused(write_bytes("cut.safetensors", BUF, LEN - 6), "reach past the data");
}

Test(st, absurd_header_length) {
    unsigned char *b = malloc(LEN);
    memcpy(b, BUF, LEN);
    b[7] = 0x40;                         /* 2^62 + N */
    refused(write_bytes("absurd.safetensors", b, LEN), "absurd");
    free(b);
}

Test(st, header_length_too_small) {
    unsigned char *b = malloc(LEN);
    memcpy(b, BUF, LEN);
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)(HLEN - 8) >> (8 * i)); /* cuts the JSON short */
    refused(write_bytes("small.safetensors", b, LEN), "not valid JSON");
    free(b);
}

Test(st, json_garbage) {
    refused(write_with_header("garbage.safetensors", "{\"__metadata__\": {\"format\": tru", BUF, 0),
            "not valid JSON");
}

Test(st, trailing_bytes_after_the_json) {
    char *txt = malloc(HLEN + 8);
    memcpy(txt, BUF + 8, HLEN);
    size_t n = HLEN;
    while (txt[n - 1] == ' ') n--;
    memcpy(txt + n, " xyz", 5);
    refused(write_with_header("trail.safetensors", txt, BUF + 8 + HLEN, LEN - 8 - HLEN), "trailing bytes after");
    free(txt);
}

Test(st, header_not_an_object) {
    refused(write_with_header("array.safetensors", "[1, 2, 3]", BUF, 0), "not a JSON object");
}

Test(st, data_longer_than_the_tensors) {
    unsigned char *b = malloc(LEN + 4);
    memcpy(b, BUF, LEN);
    memset(b + LEN, 0, 4);
    refused(write_bytes("long.safetensors", b, LEN + 4), "trailing bytes");
    free(b);
}

/* ---- broken files: metadata -------------------------------------------------------------- */

Test(st, no_metadata) {
    cJSON *h = header();
    cJSON_DeleteItemFromObjectCaseSensitive(h, "__metadata__");
    refused(write_json("nometa.safetensors", h), "no __metadata__");
}

Test(st, missing_key) {
    refused(with_meta("nokey.safetensors", "hidden", NULL), "no \"hidden\"");
    refused(with_meta("novocab.safetensors", "tgt_vocab", NULL), "no \"tgt_vocab\"");
}

Test(st, value_not_a_string) {
    cJSON *h = header();
    cJSON_ReplaceItemInObjectCaseSensitive(meta(h), "embed", cJSON_CreateNumber(4));
    refused(write_json("num.safetensors", h), "\"embed\" is not a string");
}

Test(st, wrong_format_or_version) {
    refused(with_meta("fmt.safetensors", "format", "gpt2"), "format is \"gpt2\"");
    refused(with_meta("ver.safetensors", "version", "2"), "version \"2\" is not supported");
}

Test(st, unknown_names) {
    refused(with_meta("cell.safetensors", "cell", "rnn"), "unknown cell \"rnn\"");
    refused(with_meta("style.safetensors", "style", "vaswani"), "unknown style");
    refused(with_meta("score.safetensors", "score", "bilinear"), "unknown score \"bilinear\"");
    refused(with_meta("tok.safetensors", "tokenizer", "bpe"), "unknown tokenizer");
}

Test(st, bad_integer_and_bool) {
    refused(with_meta("int.safetensors", "embed", "4x"), "\"embed\" is \"4x\", not a whole number");
    refused(with_meta("neg.safetensors", "hidden", "-7"), "not a whole number");
    refused(with_meta("bool.safetensors", "bidirectional", "yes"), "expected \"true\" or \"false\"");
    refused(with_meta("steps.safetensors", "trained_steps", "many"), "\"trained_steps\"");
}

Test(st, configuration_refused) {
    /* dot needs H == D: the engine's own reason is passed through */
    refused(with_meta("dot.safetensors", "score", "dot"), "must equal");
    refused(with_meta("zero.safetensors", "embed", "0"), "bad configuration");
}

/* The file's bytes reach the message escaped (found by fuzz_model: a
 * metadata value with invalid UTF-8 was echoed raw). */
Test(st, bytes_from_the_file_are_escaped) {
    refused(with_meta("esc.safetensors", "cell", "l\x1b[2J\nstm\xde"), "unknown cell \"l\\x1B[2J\\x0Astm\\xDE\"");
    cJSON *h = header();
    cJSON_AddItemToObject(h, "evil\r\x07name",
                          cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(h, "decoder.out.bias"), 1));
    refused(write_json("esc2.safetensors", h), "unexpected tensor evil\\x0D\\x07name");
}

Test(st, vocabulary_without_specials) {
    refused(with_meta("v1.safetensors", "src_vocab", "[\"a\", \"b\", \"c\", \"d\", \"e\"]"), "expected <pad>");
    refused(with_meta("v2.safetensors", "tgt_vocab", "[\"<pad>\", \"<sos>\"]"), "tgt_vocab");
}

Test(st, vocabulary_not_an_array_of_strings) {
    refused(with_meta("v3.safetensors", "src_vocab", "<pad> <sos> <eos> <unk> a"), "not a JSON array of strings");
    refused(with_meta("v4.safetensors", "src_vocab", "[\"<pad>\", \"<sos>\", \"<eos>\", \"<unk>\", 5]"),
            "id 4 is not a string");
}

Test(st, vocabulary_size_differs_from_embedding) {
    /* one token more than encoder.embedding.weight has rows */
    refused(with_meta("v5.safetensors", "src_vocab",
                      "[\"<pad>\",\"<sos>\",\"<eos>\",\"<unk>\",\"a\",\"b\",\"\\\"\",\"\\\\\",\"가\",\"z\"]"),
            "encoder.embedding.weight has 9 rows but src_vocab has 10 tokens");
}

/* ---- broken files: tensors --------------------------------------------------------------- */

Test(st, wrong_dtype) {
    cJSON *h = header();
    cJSON *t = cJSON_GetObjectItemCaseSensitive(h, "bridge.weight");
    cJSON_ReplaceItemInObjectCaseSensitive(t, "dtype", cJSON_CreateString("F16"));
    refused(write_json("f16.safetensors", h), "tensor bridge.weight has dtype F16, only F32");
}

Test(st, missing_tensor) {
    cJSON *h = header();
    cJSON_DeleteItemFromObjectCaseSensitive(h, "decoder.out.bias");
    refused(write_json("miss.safetensors", h), "missing tensor decoder.out.bias");
}

Test(st, extra_tensor) {
    cJSON *h = header();
    cJSON_AddItemToObject(h, "attention.v_a.weight",
                          cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(h, "decoder.out.bias"), 1));
    refused(write_json("extra.safetensors", h), "unexpected tensor attention.v_a.weight");
}

Test(st, duplicate_tensor) {
    cJSON *h = header();
    cJSON *d = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(h, "bridge.bias"), 1);
    cJSON_AddItemToObject(h, "bridge.bias", d);
    refused(write_json("dup.safetensors", h), "bridge.bias appears twice");
}

Test(st, wrong_shape) {
    cJSON *h = header();
    cJSON *t = cJSON_GetObjectItemCaseSensitive(h, "decoder.W_c.weight");
    int sh[2] = {13, 7};            /* transposed: expected [7, 13] */
    cJSON_ReplaceItemInObjectCaseSensitive(t, "shape", cJSON_CreateIntArray(sh, 2));
    refused(write_json("shape.safetensors", h), "decoder.W_c.weight has shape [13, 7], expected [7, 13]");
    h = header();
    t = cJSON_GetObjectItemCaseSensitive(h, "bridge.bias");
    int one[3] = {7, 1, 1};
    cJSON_ReplaceItemInObjectCaseSensitive(t, "shape", cJSON_CreateIntArray(one, 3));
    refused(write_json("rank.safetensors", h), "bridge.bias has shape [7, 1, 1], expected [7]");
}

Test(st, offsets_out_of_range) {
    cJSON *h = header();
    double e = offset_of(h, "decoder.out.bias", 1);
    set_offsets(h, "decoder.out.bias", e + 400, e + 428);
    refused(write_json("range.safetensors", h), "reach past the data");
    h = header();
    set_offsets(h, "decoder.out.bias", 1e300, 1e300 + 28);
    refused(write_json("huge.safetensors", h), "data_offsets is not a pair of whole numbers");
    h = header();
    set_offsets(h, "decoder.out.bias", 28, 0);
    refused(write_json("back.safetensors", h), "run backwards");
}

Test(st, offsets_span_the_wrong_size) {
    cJSON *h = header();
    double b = offset_of(h, "bridge.bias", 0);
    set_offsets(h, "bridge.bias", b, b + 24);
    refused(write_json("span.safetensors", h), "span 24 bytes, its shape needs 28");
}

Test(st, offsets_overlap) {
    /* bridge.bias moved 4 bytes back, into bridge.weight's last float */
    cJSON *h = header();
    set_offsets(h, "bridge.bias", offset_of(h, "bridge.bias", 0) - 4, offset_of(h, "bridge.bias", 1) - 4);
    refused(write_json("overlap.safetensors", h), "overlap");
}

Test(st, offsets_leave_a_hole) {
    /* the last tensor moved 4 bytes on, the data grown by 4: a hole before it */
    cJSON *h = header();
    double b = offset_of(h, "decoder.out.bias", 0), e = offset_of(h, "decoder.out.bias", 1);
    set_offsets(h, "decoder.out.bias", b + 4, e + 4);
    char *txt = cJSON_PrintUnformatted(h);
    size_t dl = LEN - 8 - HLEN;
    unsigned char *d = calloc(dl + 4, 1);
    memcpy(d, BUF + 8 + HLEN, dl);
    refused(write_with_header("hole.safetensors", txt, d, dl + 4), "belong to no tensor");
    free(d);
    cJSON_free(txt);
    cJSON_Delete(h);
}

Test(st, nan_and_infinite_weights) {
    unsigned char *b = malloc(LEN);
    memcpy(b, BUF, LEN);
    size_t at = data_at("decoder.W_c.weight") + 4 * 3;
    float nan = NAN, inf = -INFINITY;
    memcpy(b + at, &nan, 4);           /* the host is little-endian, as the file */
    refused(write_bytes("nan.safetensors", b, LEN), "tensor decoder.W_c.weight holds a non-finite value (NaN) at index 3");
    memcpy(b, BUF, LEN);
    memcpy(b + data_at("encoder.embedding.weight"), &inf, 4);
    refused(write_bytes("inf.safetensors", b, LEN), "encoder.embedding.weight holds a non-finite value (infinity) at index 0");
    free(b);
}

Test(st, random_corruption_never_crashes) {
    /* flip bytes all over the header and data: load may succeed or fail, but
     * must do so cleanly (ASan watches) and, on failure, explain on one line */
    Rng r;
    rng_seed(&r, 42);
    unsigned char *b = malloc(LEN);
    for (int k = 0; k < 300; k++) {
        memcpy(b, BUF, LEN);
        int flips = 1 + rng_below(&r, 4);
        for (int i = 0; i < flips; i++) b[rng_below(&r, (int)LEN)] = (unsigned char)rng_below(&r, 256);
        size_t n = k % 3 == 0 ? (size_t)rng_below(&r, (int)LEN) : LEN;
        const char *p = write_bytes("fuzz.safetensors", b, n);
        Model m;
        char err[AV_ERR_LEN] = "";
        if (model_load(&m, p, err) == 0) model_free(&m);
        else {
            cr_assert(strstr(err, p) && !strchr(err, '\n'), "bad message: %s", err);
            cr_assert_null(m.params);
        }
    }
    free(b);
    NO_LEAKS();
}

/* ---- issue 14: the loaders refuse more, on one printable line ------------------------- */

/* A message must not carry a byte a terminal would act on. */
static void printable_line(const char *err) {
    for (const unsigned char *p = (const unsigned char *)err; *p; p++)
        cr_expect(*p >= 0x20 && *p != 0x7F, "byte 0x%02X reached the message: %s", *p, err);
}

Test(st, vocabulary_entries_refused_with_the_entry) {
    const char *cases[][2] = {
        {"[\"<pad>\",\"<sos>\",\"<eos>\",\"<unk>\",\"a\",\"\\u001b[2J\",\"\\\"\",\"\\\\\",\"가\"]",
         "src_vocab: id 5 (\"\\x1B[2J\") holds a control character (U+001B)"},
        {"[\"<pad>\",\"<sos>\",\"<eos>\",\"<unk>\",\"a\",\"\",\"\\\"\",\"\\\\\",\"가\"]", "src_vocab: id 5 is an empty string"},
        {"[\"<pad>\",\"<sos>\",\"<eos>\",\"<unk>\",\"a\",\"b\",\"\\\"\",\"a\",\"가\"]", "src_vocab: id 7 (\"a\") repeats id 4"},
        {"[\"<pad>\",\"<sos>\",\"<eos>\",\"<unk>\",\"a\",\"b\\n\",\"\\\"\",\"\\\\\",\"가\"]", "holds a control character (U+000A)"},
        {"[\"<pad>\",\"<sos>\",\"<eos>\",\"<unk>\",\"a\",\"b\\u0085\",\"\\\"\",\"\\\\\",\"가\"]", "(U+0085)"},
        {"[\"<pad>\",\"<sos>\",\"<eos>\",\"<unk>\",\"a\",\"\xff\xfe\",\"\\\"\",\"\\\\\",\"가\"]",
         "src_vocab: id 5 (\"\\xFF\\xFE\") is not valid UTF-8 (byte 1)"},
    };
    char err[AV_ERR_LEN];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *p = with_meta("ventry.safetensors", "src_vocab", cases[i][0]);
        refused(p, cases[i][1]);
        Model m;
        model_load(&m, p, err);
        printable_line(err);
    }
}

Test(st, bytes_from_the_file_are_escaped_in_messages) {
    /* a tensor name, a dtype, metadata keys and values, each with ESC, BEL, CR, LF */
    Model m;
    char err[AV_ERR_LEN];
    cJSON *h = header();
    cJSON_AddItemToObject(h, "evil\x1b[2J\r\n\a.weight",
                          cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(h, "decoder.out.bias"), 1));
    const char *p = write_json("name.safetensors", h);
    refused(p, "unexpected tensor evil\\x1B[2J\\x0D\\x0A\\x07.weight");
    model_load(&m, p, err);
    printable_line(err);
    h = header();
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(h, "bridge.weight"), "dtype",
                                           cJSON_CreateString("F\a16\n"));
    p = write_json("dtype.safetensors", h);
    refused(p, "dtype F\\x0716\\x0A");
    model_load(&m, p, err);
    printable_line(err);
    p = with_meta("cellv.safetensors", "cell", "\x1b]0;owned\a");
    refused(p, "unknown cell \"\\x1B]0;owned\\x07\"");
    model_load(&m, p, err);
    printable_line(err);
    h = header();
    cJSON_AddItemToObject(meta(h), "k\x1b\n", cJSON_CreateNumber(1));
    p = write_json("metakey.safetensors", h);
    refused(p, "\"k\\x1B\\x0A\" is not a string");
    model_load(&m, p, err);
    printable_line(err);
}

/* The header as text, with `insert` put right after the opening brace of
 * the object that starts at `at` ("{" of the root when at is NULL). */
static const char *header_with(const char *name, const char *after, const char *insert) {
    char *txt = malloc(HLEN + strlen(insert) + 1);
    size_t n = HLEN;
    while (BUF[8 + n - 1] == ' ') n--;
    const char *h = (const char *)BUF + 8;
    const char *at = after ? strstr(h, after) : h;
    cr_assert(at && (size_t)(at - h) < n, "no %s in the header", after);
    at = strchr(at, '{') + 1;
    size_t k = (size_t)(at - h);
    memcpy(txt, h, k);
    strcpy(txt + k, insert);
    memcpy(txt + k + strlen(insert), h + k, n - k);
    txt[n + strlen(insert)] = '\0';
    const char *p = write_with_header(name, txt, BUF + 8 + HLEN, LEN - 8 - HLEN);
    free(txt);
    return p;
}

Test(st, repeated_keys_refused_at_every_depth) {
    refused(header_with("meta2.safetensors", NULL, "\"__metadata__\":{\"format\":\"x\"},"),
            "the key __metadata__ appears twice in the header");
    refused(header_with("cell2.safetensors", "\"__metadata__\"", "\"cell\":\"gru\","),
            "the key cell appears twice in the header");
    refused(header_with("dtype2.safetensors", "\"bridge.weight\"", "\"dtype\":\"F16\","),
            "the key dtype appears twice in the header");
}

Test(st, nul_bytes_refused_raw_or_escaped) {
    unsigned char *b = malloc(LEN);
    memcpy(b, BUF, LEN);
    b[8 + HLEN / 2] = 0;
    refused(write_bytes("nul.safetensors", b, LEN), "header holds a NUL byte (at byte");
    free(b);
    cJSON *h = header();
    cJSON_AddItemToObject(h, "bridge.bias\\u0000x", cJSON_CreateObject()); /* the text \u0000, escaped */
    char *txt = cJSON_PrintUnformatted(h);
    cJSON_Delete(h);
    /* cJSON writes the backslash doubled; make it one, so that it escapes */
    char *q = strstr(txt, "\\\\u0000");
    cr_assert(q);
    memmove(q, q + 1, strlen(q));
    refused(write_with_header("unul.safetensors", txt, BUF + 8 + HLEN, LEN - 8 - HLEN), "written \\u0000");
    cJSON_free(txt);
    /* an escaped backslash before u0000 is text, not a NUL: that loads */
    Model m;
    char err[AV_ERR_LEN];
    cr_expect_eq(model_load(&m, with_meta("text.safetensors", "task", "a\\u0000b"), err), 0, "%s", err);
    cr_expect_str_eq(m.task, "a\\u0000b");
    model_free(&m);
}

Test(st, header_length_zero) {
    unsigned char *b = malloc(LEN);
    memcpy(b, BUF, LEN);
    memset(b, 0, 8);
    refused(write_bytes("zero.safetensors", b, LEN), "header length 0");
    free(b);
    refused("/dev/zero", "header length 0");
}

/* A stream (a pipe): no size to check against, so the data is read in
 * exactly the size the metadata declares, and not a byte more. */
static void refused_from_pipe(const unsigned char *b, size_t n, const char *what, bool ok) {
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        signal(SIGPIPE, SIG_IGN);
        for (size_t at = 0; at < n;) {
            ssize_t w = write(fd[1], b + at, n - at);
            if (w <= 0) break;
            at += (size_t)w;
        }
        _exit(0);
    }
    close(fd[1]);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fd[0]);
    Model m;
    char err[AV_ERR_LEN] = "";
    int rc = model_load(&m, path, err);
    close(fd[0]);
    waitpid(pid, NULL, 0);
    if (ok) {
        cr_expect_eq(rc, 0, "from a pipe: %s", err);
        if (!rc) model_free(&m);
        return;
    }
    cr_expect_eq(rc, -1, "a pipe with %s was accepted", what);
    cr_expect(strstr(err, what), "expected \"%s\" in: %s", what, err);
}

Test(st, streams_are_read_in_their_declared_size) {
    refused_from_pipe(BUF, LEN, "", true);
    refused_from_pipe(BUF, LEN - 6, "the data ends after", false);
    unsigned char *b = malloc(LEN + 3);
    memcpy(b, BUF, LEN);
    memcpy(b + LEN, "xyz", 3);
    refused_from_pipe(b, LEN + 3, "trailing bytes after the", false);
    free(b);
    refused_from_pipe(BUF, 8 + HLEN / 2, "larger than the rest of the file", false);
    /* metadata declaring more than 1 GiB of data: refused before any is read */
    cJSON *h = header();
    const char *keys[] = {"embed", "enc_hidden", "hidden"};
    for (int i = 0; i < 3; i++)
        cJSON_ReplaceItemInObjectCaseSensitive(meta(h), keys[i], cJSON_CreateString("4096"));
    cJSON_ReplaceItemInObjectCaseSensitive(meta(h), "bidirectional", cJSON_CreateString("false"));
    char *txt = cJSON_PrintUnformatted(h);
    cJSON_Delete(h);
    size_t t = strlen(txt);
    unsigned char *s = malloc(8 + t);
    for (int i = 0; i < 8; i++) s[i] = (unsigned char)((uint64_t)t >> (8 * i));
    memcpy(s + 8, txt, t);
    refused_from_pipe(s, 8 + t, "more than a stream may hold", false);
    free(s);
    cJSON_free(txt);
}

/* Running out of memory while parsing the vocabulary says so. cJSON's
 * allocator is swapped for one that fails, like malloc (errno ENOMEM),
 * from a given allocation on; the header's own parse must get through. */
static long ALLOCS, FAIL_AT;
static void *failing_malloc(size_t n) {
    if (FAIL_AT >= 0 && ALLOCS++ >= FAIL_AT) {
        errno = ENOMEM;
        return NULL;
    }
    return malloc(n);
}

Test(st, out_of_memory_in_the_vocabulary_is_out_of_memory) {
    /* a vocabulary of 3000 entries: thousands of allocations to parse */
    Buf v = {0};
    buf_puts(&v, "[\"<pad>\",\"<sos>\",\"<eos>\",\"<unk>\"");
    for (int i = 0; i < 3000; i++) buf_printf(&v, ",\"t%d\"", i);
    buf_puts(&v, "]");
    const char *p = with_meta("bigv.safetensors", "src_vocab", v.p);
    buf_free(&v);
    /* how many allocations the header itself takes */
    size_t n;
    unsigned char *b = slurp(p, &n);
    uint64_t N = 0;
    for (int i = 7; i >= 0; i--) N = N << 8 | b[i];
    cJSON_Hooks hooks = {failing_malloc, free};
    cJSON_InitHooks(&hooks);
    ALLOCS = 0;
    FAIL_AT = -1;
    cJSON *root = cJSON_ParseWithLength((const char *)b + 8, (size_t)N);
    long header_allocs = ALLOCS;
    cJSON_Delete(root);
    free(b);
    ALLOCS = 0;
    FAIL_AT = header_allocs + 500; /* well inside src_vocab's 3000 entries */
    Model m;
    char err[AV_ERR_LEN];
    int rc = model_load(&m, p, err);
    cJSON_InitHooks(NULL);
    cr_assert_eq(rc, -1);
    cr_expect(strstr(err, "out of memory reading __metadata__ \"src_vocab\""), "%s", err);
    cr_expect(!strstr(err, "not a JSON array"), "%s", err);
}

/* Every weight ±3e38 is finite, so the file loads; decoding overflows to
 * infinity and NaN and must stop, saying where. */
Test(st, huge_finite_weights_load_then_decoding_stops) {
    unsigned char *b = malloc(LEN);
    memcpy(b, BUF, LEN);
    for (size_t at = 8 + HLEN, k = 0; at + 4 <= LEN; at += 4, k++) {
        float f = (k * 2654435761u) % 7 < 3 ? 3e38f : -3e38f;
        memcpy(b + at, &f, 4);
    }
    const char *p = write_bytes("huge.safetensors", b, LEN);
    free(b);
    Model m;
    char err[AV_ERR_LEN];
    cr_assert_eq(model_load(&m, p, err), 0, "%s", err);
    int src[] = {4, 5, 6};
    Trace t;
    DecodeDesc d = {.max_len = 6};
    cr_expect_eq(seq2seq_decode(&m, src, 3, &d, &t, err), -1, "a decoding full of NaN succeeded");
    cr_expect(strstr(err, "not finite (NaN)") || strstr(err, "not finite (infinity)"), "%s", err);
    printable_line(err);
    int ref[] = {4, 5};
    DecodeDesc r = {.reference = ref, .ref_len = 2, .teacher_forcing = 1.0f};
    cr_expect_eq(seq2seq_decode(&m, src, 3, &r, &t, err), -1);
    model_free(&m);
    NO_LEAKS();
}

