/* test_learn.c — the right alignment of reverse, copy and dates; alignment
 * accuracy and attention entropy; and the learning session: its log (step 0
 * untrained, held-out lines, the probe), its JSON, restart, snapshots, the
 * film strip, and a reader thread beside the worker. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "engine/seq2seq.h"
#include "engine/tokenize.h"
#include "tasks/align.h"
#include "tasks/learn.h"

/* ---- the right alignment --------------------------------------------------------- */

/* The source text of positions [lo, hi) (code points). */
static void span_text(const char *src, SrcSpan sp, char *out, size_t cap) {
    const char *s = src, *a = NULL, *b = NULL;
    for (int pos = 0;; pos++) {
        if (pos == sp.lo) a = s;
        if (pos == sp.hi) b = s;
        if (!*s || (a && b)) break;
        utf8_next(&s);
    }
    cr_assert(a && b && b >= a, "span [%d, %d) is outside '%s'", sp.lo, sp.hi, src);
    snprintf(out, cap, "%.*s", (int)(b - a), a);
}

static void expect_date(int fmt, int y, int m, int d, const char *year, const char *month, const char *day) {
    char src[64], err[AV_ERR_LEN], got[64];
    dates_format(fmt, y, m, d, src, sizeof src);
    SrcSpan sp[16];
    cr_assert_eq(task_alignment(task_find("dates"), src, sp, 16, err), 11, "'%s': %s", src, err);
    const char *want[11] = {year, year, year, year, "", month, month, "", day, day, ""};
    for (int t = 0; t < 11; t++) {
        span_text(src, sp[t], got, sizeof got);
        cr_expect_str_eq(got, want[t], "'%s' (format %d): output step %d reads '%s', expected '%s'", src, fmt, t,
                         got, want[t]);
    }
}

Test(align, dates_every_format) {
    const char *months[11] = {"November", "Nov", "november", "11", "11", "NOV", "11", "November", "Nov", "nov", "11"};
    const char *days[11] = {"21", "21", "21", "21", "21", "21", "21", "21", "21", "21", "21"};
    for (int f = 0; f < DATES_FORMATS; f++) {
        const char *year = f == 4 || f == 9 ? "26" : "2026";
        expect_date(f, 2026, 11, 21, year, months[f], days[f]);
    }
    /* one-digit day and month, and the leading zeros of the numeric formats */
    expect_date(0, 1999, 3, 7, "1999", "March", "7");
    expect_date(3, 1999, 3, 7, "1999", "03", "07");
    expect_date(4, 1999, 3, 7, "99", "03", "07");
    expect_date(6, 1999, 3, 7, "1999", "3", "7");
    expect_date(10, 1999, 3, 7, "1999", "03", "07"); /* ISO: the year first */
    expect_date(2, 2049, 5, 31, "2049", "may", "31"); /* "may" is a month, "monday" is not */
}

Test(align, dates_that_do_not_parse) {
    char err[AV_ERR_LEN] = "";
    SrcSpan sp[16];
    const Task *t = task_find("dates");
    const char *bad[] = {"hello", "21 2026", "21/11", "1 2 3 4", "November December 2026 1", "", "2026년 11월"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = 0;
        cr_expect_eq(task_alignment(t, bad[i], sp, 16, err), -1, "'%s' parsed as a date", bad[i]);
        cr_expect(err[0], "no reason for '%s'", bad[i]);
    }
}

Test(align, reverse_and_copy) {
    char err[AV_ERR_LEN];
    SrcSpan sp[8];
    cr_assert_eq(task_alignment(task_find("reverse"), "abc", sp, 8, err), 4);
    int rev[3] = {2, 1, 0};
    for (int t = 0; t < 3; t++) cr_expect(sp[t].lo == rev[t] && sp[t].hi == rev[t] + 1, "reverse step %d", t);
    cr_expect_eq(sp[3].hi - sp[3].lo, 0, "<eos> has no right position");
    cr_assert_eq(task_alignment(task_find("copy"), "xyzw", sp, 8, err), 5);
    for (int t = 0; t < 4; t++) cr_expect(sp[t].lo == t && sp[t].hi == t + 1, "copy step %d", t);
    cr_expect_eq(task_alignment(task_find("en-ko"), "I love you", sp, 8, err), -1);
    cr_expect(strstr(err, "en-ko"), "%s", err);
}

Test(align, accuracy_and_entropy_by_hand) {
    /* 3 output steps over 4 positions: right, wrong, tie (the first wins) */
    const float w[12] = {0.1f, 0.7f, 0.1f, 0.1f,
                         0.6f, 0.1f, 0.2f, 0.1f,
                         0.4f, 0.1f, 0.1f, 0.4f};
    SrcSpan right[3] = {{1, 2}, {2, 4}, {0, 1}};
    cr_expect_float_eq(alignment_accuracy(w, 3, 4, right, 3), 2.0f / 3.0f, 1e-6f);
    SrcSpan none[3] = {{0, 0}, {1, 1}, {0, 1}};  /* only the last step counts */
    cr_expect_float_eq(alignment_accuracy(w, 3, 4, none, 3), 1.0f, 1e-6f);
    cr_expect(isnan(alignment_accuracy(w, 3, 4, none, 2)), "no step with a right span: NAN");
    cr_expect_float_eq(alignment_accuracy(w, 1, 4, right, 3), 1.0f, 1e-6f, "only T rows count");
    const float uniform[8] = {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f};
    cr_expect_float_eq(attention_entropy(uniform, 2, 4), logf(4.0f), 1e-6f);
    const float sharp[4] = {0, 1, 0, 0};
    cr_expect_float_eq(attention_entropy(sharp, 1, 4), 0.0f, 1e-7f);
    const float half[2] = {0.5f, 0.5f};
    cr_expect_float_eq(attention_entropy(half, 1, 2), logf(2.0f), 1e-6f);
}

/* The accuracy of one decoding of a model on src. */
static float model_alignment(const Model *m, const char *task, const char *src) {
    char err[AV_ERR_LEN];
    int *ids, S;
    cr_assert_eq(encode_text(&m->src, m->cfg.tokenizer, src, &ids, &S, err), 0, "%s", err);
    Trace tr;
    DecodeDesc dd = {.max_len = 40};
    cr_assert_eq(seq2seq_decode(m, ids, S, &dd, &tr, err), 0, "%s", err);
    float *w = malloc(sizeof(float) * (size_t)tr.T * tr.S);
    for (int t = 0; t < tr.T; t++) memcpy(w + (size_t)t * tr.S, tr.steps[t].weights, sizeof(float) * tr.S);
    SrcSpan sp[64];
    int n = task_alignment(task_find(task), src, sp, 64, err);
    cr_assert(n > 0, "%s", err);
    float a = alignment_accuracy(w, tr.T, tr.S, sp, n);
    free(w);
    free(ids);
    trace_free(&tr);
    return a;
}

Test(align, shipped_models_align_and_untrained_ones_do_not) {
    char err[AV_ERR_LEN];
    const char *scores[] = {"dot", "general", "concat", "additive"};
    for (int k = 0; k < 4; k++) {
        Model m;
        char path[128];
        snprintf(path, sizeof path, "assets/models/reverse-%s.safetensors", scores[k]);
        cr_assert_eq(model_load(&m, path, err), 0, "%s", err);
        float a = model_alignment(&m, "reverse", "attention");
        cr_expect(a >= 0.9f, "%s: alignment accuracy %.2f on 'attention'", path, a);
        /* the same configuration and vocabularies, from random weights: an
         * untrained model may stop after a step or two, so over 8 seeds */
        double sum = 0;
        for (int seed = 1; seed <= 8; seed++) {
            Model u;
            Rng r;
            rng_seed(&r, (uint64_t)seed);
            cr_assert_eq(model_create(&u, &m.cfg, &m.src, &m.tgt, &r, err), 0, "%s", err);
            sum += model_alignment(&u, "reverse", "attention");
            model_free(&u);
        }
        cr_expect(sum / 8 <= 0.3, "reverse-%s untrained: mean alignment accuracy %.2f, expected about 1/9",
                  scores[k], sum / 8);
        model_free(&m);
    }
    Model m;
    cr_assert_eq(model_load(&m, "assets/models/dates-additive.safetensors", err), 0, "%s", err);
    float a = model_alignment(&m, "dates", "21 November 2026");
    cr_expect(a >= 0.85f, "dates-additive: alignment accuracy %.2f on '21 November 2026'", a);
    model_free(&m);
}

/* The line as JSON text (malloc'd). */
static char *json_of(const LogLine *l, size_t *n) {
    char *text = NULL;
    FILE *mem = open_memstream(&text, n);
    cr_assert(mem);
    cr_assert_eq(logline_json(l, mem), 0);
    cr_assert_eq(fclose(mem), 0);
    return text;
}

/* ---- the learning session ----------------------------------------------------------- */

static LearnDesc reverse_desc(void) {
    LearnDesc d = {0};
    d.cfg = (ModelConfig){.cell = CELL_LSTM, .style = STYLE_LUONG, .score = SCORE_GENERAL, .embed = 8,
                          .enc_hidden = 16, .hidden = 16, .tokenizer = TOK_CHAR};
    d.train = (TrainDesc){.batch = 16, .lr = 0.01f, .teacher_forcing = 1.0f, .steps = 60, .seed = 4};
    d.log_every = 10;
    d.eval_every = 20;
    d.probe = "attention";
    d.task = task_find("reverse");
    d.name = "reverse";
    d.made_by = "test_learn";
    return d;
}

static LearnSession *reverse_session(const LearnDesc *d) {
    Pairs train, test;
    char err[AV_ERR_LEN];
    cr_assert_eq(task_pairs(task_find("reverse"), SPLIT_TRAIN, 500, 1, &train, err), 0, "%s", err);
    cr_assert_eq(task_pairs(task_find("reverse"), SPLIT_TEST, 50, 1, &test, err), 0, "%s", err);
    LearnSession *s = learn_create(d, &train, &test, err);
    cr_assert(s, "%s", err);
    pairs_free(&train);
    pairs_free(&test);
    return s;
}

static void expect_probe(const LogLine *l) {
    cr_assert(l->has_probe, "step %ld: no probe", l->step);
    cr_expect_eq(l->probe_S, 9, "'attention' has 9 characters");
    cr_expect_str_eq(l->source_tokens[0], "a");
    cr_expect_str_eq(l->source_tokens[8], "n");
    cr_assert(l->weights && l->probe_T >= 1);
    for (int t = 0; t < l->probe_T; t++) {
        double sum = 0;
        for (int s = 0; s < l->probe_S; s++) sum += l->weights[t * l->probe_S + s];
        cr_expect(fabs(sum - 1.0) < 1e-5, "step %ld, row %d sums to %.7f", l->step, t, sum);
    }
    cr_expect(l->entropy >= 0 && l->entropy <= logf(9.0f) + 1e-5f, "entropy %f", l->entropy);
    cr_expect(!isnan(l->alignment_accuracy), "reverse has a known alignment");
}

Test(learn, the_log, .timeout = 120) {
    LearnDesc d = reverse_desc();
    LearnSession *s = reverse_session(&d);
    char err[AV_ERR_LEN];
    /* step 0: the untrained model, before any update */
    cr_assert_eq(learn_line_count(s), 1);
    const LogLine *l0 = learn_line(s, 0);
    cr_expect_eq(l0->step, 0);
    cr_expect_eq(l0->examples, 0);
    cr_expect_eq(l0->seconds, 0.0);
    cr_expect(fabsf(l0->loss - logf(30.0f)) < 0.5f, "untrained loss %f, expected about ln 30 = %f", l0->loss,
              logf(30.0f));
    cr_expect(l0->has_heldout, "eval_every > 0: step 0 measures the held-out set");
    cr_expect_float_eq(l0->lr, 0.01f, 1e-9f);
    cr_expect_float_eq(l0->tf_ratio, 1.0f, 1e-9f);
    expect_probe(l0);
    cr_expect(l0->alignment_accuracy <= 0.34f, "untrained alignment accuracy %f", l0->alignment_accuracy);
    cr_expect(l0->entropy > 0.8f * logf(9.0f), "untrained attention is nearly uniform: entropy %f of %f",
              l0->entropy, logf(9.0f));

    TrainStats st;
    cr_assert_eq(learn_step(s, 60, &st, err), 0, "%s", err);
    cr_expect_eq(st.step, 60);
    cr_expect_float_eq(st.loss, learn_line(s, learn_line_count(s) - 1)->loss, 0);
    /* lines at 0, 10, ..., 60; held-out at 0, 20, 40, 60 */
    cr_assert_eq(learn_line_count(s), 7);
    double last_seconds = 0;
    for (int i = 0; i < 7; i++) {
        const LogLine *l = learn_line(s, i);
        cr_expect_eq(l->step, 10 * i);
        cr_expect_eq(l->examples, 160L * i);
        cr_expect_eq(l->has_heldout, i % 2 == 0, "step %ld: held-out %d", l->step, l->has_heldout);
        if (l->has_heldout) cr_expect_eq(l->heldout.n, 50);
        cr_expect(l->seconds >= last_seconds, "seconds went back at step %ld", l->step);
        last_seconds = l->seconds;
        expect_probe(l);
    }
    cr_expect_eq(learn_last_heldout(s)->step, 60);
    cr_expect(learn_line(s, 6)->loss < l0->loss, "loss did not fall: %f → %f", l0->loss, learn_line(s, 6)->loss);
    /* a line now at the same step adds nothing */
    cr_assert_eq(learn_log_now(s, true, err), 0, "%s", err);
    cr_expect_eq(learn_line_count(s), 7);
    /* another probe from now on; one that does not encode leaves none */
    cr_assert_eq(learn_set_probe(s, "xyz", err), 0, "%s", err);
    cr_assert_eq(learn_step(s, 10, NULL, err), 0, "%s", err);
    const LogLine *l70 = learn_line(s, 7);
    cr_expect(l70->step == 70 && l70->has_probe && l70->probe_S == 3, "the new probe is not on step 70's line");
    cr_expect_str_eq(l70->source_tokens[2], "z");
    cr_expect_float_eq(l70->alignment_accuracy, alignment_accuracy(l70->weights, l70->probe_T, 3,
                       (SrcSpan[]){{2, 3}, {1, 2}, {0, 1}}, 3), 1e-7f);
    cr_expect_eq(learn_set_probe(s, "\xff", err), -1);
    cr_expect(strstr(err, "probe"), "%s", err);
    cr_assert_eq(learn_step(s, 10, NULL, err), 0, "%s", err);
    cr_expect(!learn_line(s, 8)->has_probe, "a refused probe is still decoded");
    learn_free(s);
}

/* Every line as JSON: parses, has MODEL.md's fields with the struct's values. */
Test(learn, json_lines) {
    LearnDesc d = reverse_desc();
    d.train.steps = 20;
    LearnSession *s = reverse_session(&d);
    char err[AV_ERR_LEN];
    cr_assert_eq(learn_step(s, 20, NULL, err), 0, "%s", err);
    for (int i = 0; i < learn_line_count(s); i++) {
        const LogLine *l = learn_line(s, i);
        size_t n;
        char *text = json_of(l, &n);
        cr_expect(n > 0 && text[n - 1] == '\n' && !memchr(text, '\n', n - 1), "not one line");
        cJSON *j = cJSON_Parse(text);
        cr_assert(j, "line %d is not JSON: %s", i, text);
        cr_expect_eq(cJSON_GetObjectItem(j, "step")->valuedouble, (double)l->step);
        cr_expect_eq(cJSON_GetObjectItem(j, "examples")->valuedouble, (double)l->examples);
        cr_expect_eq((float)cJSON_GetObjectItem(j, "loss")->valuedouble, l->loss, "the loss reads back exactly");
        cr_expect_eq((float)cJSON_GetObjectItem(j, "grad_norm")->valuedouble, l->grad_norm);
        cr_expect(cJSON_IsNumber(cJSON_GetObjectItem(j, "seconds")) && cJSON_IsNumber(cJSON_GetObjectItem(j, "lr")) &&
                  cJSON_IsNumber(cJSON_GetObjectItem(j, "tf_ratio")));
        cJSON *h = cJSON_GetObjectItem(j, "heldout");
        cr_expect_eq(h != NULL, l->has_heldout);
        if (h) cr_expect_eq((float)cJSON_GetObjectItem(h, "exact")->valuedouble, l->heldout_exact);
        cJSON *p = cJSON_GetObjectItem(j, "probe");
        cr_assert(p);
        cJSON *w = cJSON_GetObjectItem(p, "weights");
        cr_assert_eq(cJSON_GetArraySize(w), l->probe_T);
        cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "output_tokens")), l->probe_T);
        cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "source_tokens")), l->probe_S);
        for (int t = 0; t < l->probe_T; t++) {
            cJSON *row = cJSON_GetArrayItem(w, t);
            cr_assert_eq(cJSON_GetArraySize(row), l->probe_S);
            double sum = 0;
            for (int k = 0; k < l->probe_S; k++) sum += cJSON_GetArrayItem(row, k)->valuedouble;
            cr_expect(fabs(sum - 1) < 1e-3, "line %d row %d sums to %f", i, t, sum);
        }
        cr_expect((float)cJSON_GetObjectItem(p, "alignment_accuracy")->valuedouble == l->alignment_accuracy);
        cJSON_Delete(j);
        free(text);
    }
    learn_free(s);
}

/* Tokens that JSON must escape, a task without a known alignment, score none. */
Test(learn, json_escapes_and_absent_parts) {
    LogLine l = {.step = 3, .loss = NAN, .grad_norm = INFINITY, .alignment_accuracy = NAN, .entropy = NAN};
    const char *src[3] = {"\"", "\\", "\n"}, *out[1] = {"\t"};
    l.has_probe = true;
    l.probe_S = 3;
    l.probe_T = 1;
    l.source_tokens = src;
    l.output_tokens = out;
    size_t n;
    char *text = json_of(&l, &n);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j, "not JSON: %s", text);
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(j, "loss")), "NaN is written as null");
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(j, "grad_norm")));
    cr_expect(!cJSON_GetObjectItem(j, "heldout"));
    cJSON *p = cJSON_GetObjectItem(j, "probe");
    cr_expect_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "source_tokens"), 2)->valuestring, "\n");
    cr_expect_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(p, "output_tokens"), 0)->valuestring, "\t");
    cr_expect(!cJSON_GetObjectItem(p, "weights"), "no weights: none");
    cr_expect(!cJSON_GetObjectItem(p, "alignment_accuracy"), "unknown alignment: absent");
    cJSON_Delete(j);
    free(text);
}

/* Restart: the same seed gives the same run; snapshots and the film strip. */
Test(learn, restart_snapshot_film, .timeout = 120) {
    LearnDesc d = reverse_desc();
    d.film = true;
    d.log_every = 0;
    d.eval_every = 0;
    d.train.steps = 0;
    LearnSession *s = reverse_session(&d);
    char err[AV_ERR_LEN];
    cr_assert_eq(learn_step(s, 55, NULL, err), 0, "%s", err);
    /* film: 0, 10, 20, 50 */
    cr_assert_eq(learn_film_count(s), 4);
    long want[4] = {0, 10, 20, 50};
    Model f[4];
    for (int i = 0; i < 4; i++) {
        long step;
        cr_assert_eq(learn_film(s, i, &step, &f[i], err), 0, "%s", err);
        cr_expect_eq(step, want[i]);
        cr_expect_eq(learn_line(s, i)->step, want[i], "a film frame has its line");
    }
    cr_expect_eq(learn_line_count(s), 4);
    Model now;
    cr_assert_eq(learn_snapshot(s, &now, err), 0, "%s", err);
    size_t bytes = now.layout.n_params * sizeof(float);
    cr_expect(memcmp(now.params, learn_model(s)->params, bytes) == 0, "the snapshot is not the model");
    cr_expect_eq(now.trained_steps, 55);
    float loss10 = learn_line(s, 1)->loss;

    cr_assert_eq(learn_restart(s, err), 0, "%s", err);
    cr_expect_eq(learn_line_count(s), 1);
    cr_expect_eq(learn_film_count(s), 1);
    cr_expect_eq(learn_steps_done(s), 0);
    Model zero;
    cr_assert_eq(learn_snapshot(s, &zero, err), 0, "%s", err);
    cr_expect(memcmp(zero.params, f[0].params, bytes) == 0, "restart: not the same initial weights");
    cr_assert_eq(learn_step(s, 55, NULL, err), 0, "%s", err);
    Model again;
    cr_assert_eq(learn_snapshot(s, &again, err), 0, "%s", err);
    cr_expect(memcmp(again.params, now.params, bytes) == 0, "restart: 55 steps again give other weights");
    cr_expect_eq(learn_line(s, 1)->loss, loss10);
    for (int i = 0; i < 4; i++) model_free(&f[i]);
    model_free(&now);
    model_free(&zero);
    model_free(&again);
    learn_free(s);
}

/* A reader thread takes snapshots and reads lines while the worker steps
 * (under the sanitizers: no use after free, no torn line). */
typedef struct {
    LearnSession *s;
    volatile int stop;
    int snapshots, lines_read;
    bool bad;
} Reader;

static void *reader_main(void *arg) {
    Reader *r = arg;
    char err[AV_ERR_LEN];
    while (!r->stop) {
        Model m;
        if (learn_snapshot(r->s, &m, err) == 0) {
            for (size_t i = 0; i < m.layout.n_params; i++) r->bad |= !isfinite(m.params[i]);
            model_free(&m);
            r->snapshots++;
        }
        int n = learn_line_count(r->s);
        const LogLine *l = learn_line(r->s, n - 1);
        if (l) {
            double sum = 0;
            for (int s = 0; s < l->probe_S; s++) sum += l->weights[s];
            r->bad |= fabs(sum - 1) > 1e-5;
            r->lines_read++;
        }
    }
    return NULL;
}

Test(learn, a_reader_thread_beside_the_worker, .timeout = 120) {
    LearnDesc d = reverse_desc();
    d.log_every = 1;
    d.eval_every = 0;
    d.train.threads = 2;
    LearnSession *s = reverse_session(&d);
    Reader r = {.s = s};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, reader_main, &r), 0);
    char err[AV_ERR_LEN];
    int rc = learn_step(s, 40, NULL, err);
    r.stop = 1;
    pthread_join(th, NULL);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(r.snapshots > 0 && r.lines_read > 0, "the reader did not run (%d, %d)", r.snapshots, r.lines_read);
    cr_expect(!r.bad, "the reader saw a torn snapshot or line");
    cr_expect_eq(learn_line_count(s), 41);
    learn_free(s);
}

Test(learn, refusals) {
    Pairs train, test;
    char err[AV_ERR_LEN] = "";
    cr_assert_eq(task_pairs(task_find("reverse"), SPLIT_TRAIN, 50, 1, &train, err), 0, "%s", err);
    cr_assert_eq(task_pairs(task_find("reverse"), SPLIT_TEST, 5, 1, &test, err), 0, "%s", err);
    LearnDesc d = reverse_desc();
    d.probe = "\xff\xfe";
    cr_expect(!learn_create(&d, &train, &test, err), "a probe that is not UTF-8");
    cr_expect(strstr(err, "probe"), "%s", err);
    d = reverse_desc();
    d.cfg.score = SCORE_DOT;
    d.cfg.hidden = 12; /* dot needs H = D */
    cr_expect(!learn_create(&d, &train, &test, err), "a configuration that cannot work");
    Pairs empty = {0};
    d = reverse_desc();
    cr_expect(!learn_create(&d, &empty, &test, err), "no training pairs");
    pairs_free(&train);
    pairs_free(&test);
}
