/* learn.c — the learning session (learn.h): training, held-out measures, the probe, the log, the weight copies, and the lock that lets another thread read them.
 *
 * Every LogLine is one allocation (the struct, then its pointer arrays, the
 * weights and the token strings), made whole before it is listed, so a
 * listed line never changes and frees with one free().
 */
#include "learn.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/jsonw.h"
#include "../engine/tokenize.h"
#include "align.h"

typedef struct {
    long step;
    float *params;
} FilmFrame;

struct LearnSession {
    LearnDesc d;
    char *probe_text, *name, *made_by;  /* d.probe, d.name, d.made_by point here */
    Vocab vs, vt;
    Dataset train, test;
    Model m;                      /* the worker's; written under mu   */
    bool have_model;
    Trainer *tr;
    int *probe_ids, probe_n, probe_max;
    SrcSpan *right;               /* the probe's right alignment       */
    int n_right;                  /* -1: unknown                       */
    double seconds;               /* training time so far              */
    TrainStats last;              /* the last step's figures           */
    float last_lr;

    pthread_mutex_t mu;           /* guards what follows, and m.params while written */
    LogLine **lines;
    int n_lines, cap_lines;
    const LogLine *last_heldout;
    FilmFrame *film;
    int n_film, cap_film;
};

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- the JSON line --------------------------------------------------------------- */

static void json_key_float(FILE *fp, const char *key, float v) {
    fprintf(fp, ", \"%s\": ", key);
    jsonw_float(fp, v);
}

static void json_strings(FILE *fp, const char *const *v, int n) {
    fputc('[', fp);
    for (int i = 0; i < n; i++) {
        if (i) fputs(", ", fp);
        jsonw_str(fp, v[i]);
    }
    fputc(']', fp);
}

int logline_json(const LogLine *l, FILE *fp) {
    fprintf(fp, "{\"step\": %ld, \"seconds\": %.4f, \"examples\": %ld", l->step, l->seconds, l->examples);
    json_key_float(fp, "loss", l->loss);
    json_key_float(fp, "grad_norm", l->grad_norm);
    json_key_float(fp, "lr", l->lr);
    json_key_float(fp, "tf_ratio", l->tf_ratio);
    if (l->has_heldout) {
        fputs(", \"heldout\": {\"exact\": ", fp);
        jsonw_float(fp, l->heldout_exact);
        json_key_float(fp, "token", l->heldout_token);
        fputc('}', fp);
    }
    if (l->has_probe) {
        fputs(", \"probe\": {\"source_tokens\": ", fp);
        json_strings(fp, l->source_tokens, l->probe_S);
        fputs(", \"output_tokens\": ", fp);
        json_strings(fp, l->output_tokens, l->probe_T);
        if (l->weights) {
            fputs(", \"weights\": [", fp);
            for (int t = 0; t < l->probe_T; t++) {
                if (t) fputs(", ", fp);
                jsonw_floats(fp, l->weights + (size_t)t * l->probe_S, l->probe_S);
            }
            fputc(']', fp);
        }
        if (!isnan(l->alignment_accuracy)) json_key_float(fp, "alignment_accuracy", l->alignment_accuracy);
        fputc('}', fp);
    }
    fputs("}\n", fp);
    return ferror(fp) ? -1 : 0;
}

/* ---- the CSV row ----------------------------------------------------------------------- */

int logline_csv_header(FILE *fp) {
    fputs("step,seconds,examples,loss,grad_norm,lr,tf_ratio,heldout.exact,heldout.token,"
          "probe.alignment_accuracy,probe.entropy\n", fp);
    return ferror(fp) ? -1 : 0;
}

/* ",x" in 9 significant digits (a float32 reads back the same); "," alone
 * for a value that is absent or not finite. */
static void csv_float(FILE *fp, bool have, float v) {
    if (have && isfinite(v)) fprintf(fp, ",%.9g", (double)v);
    else fputc(',', fp);
}

int logline_csv(const LogLine *l, FILE *fp) {
    fprintf(fp, "%ld,%.4f,%ld", l->step, l->seconds, l->examples);
    csv_float(fp, true, l->loss);
    csv_float(fp, true, l->grad_norm);
    csv_float(fp, true, l->lr);
    csv_float(fp, true, l->tf_ratio);
    csv_float(fp, l->has_heldout, l->heldout_exact);
    csv_float(fp, l->has_heldout, l->heldout_token);
    csv_float(fp, l->has_probe, l->alignment_accuracy);
    csv_float(fp, l->has_probe, l->entropy);
    fputc('\n', fp);
    return ferror(fp) ? -1 : 0;
}

/* ---- lines -------------------------------------------------------------------------- */

/* The probe decoded on the current weights, into a new line (one block)
 * that already holds `head`'s scalars. */
static LogLine *line_with_probe(LearnSession *s, const LogLine *head, char *err) {
    Trace tr;
    DecodeDesc dd = {.max_len = s->probe_max};
    if (seq2seq_decode(&s->m, s->probe_ids, s->probe_n, &dd, &tr, err)) return NULL;
    int S = tr.S, T = tr.T;
    bool attn = tr.steps && T > 0 && tr.steps[0].weights;
    size_t text = 0;
    for (int i = 0; i < S; i++) text += strlen(tr.src_tokens[i]) + 1;
    for (int t = 0; t < T; t++) text += strlen(trace_token(&tr, tr.steps[t].token_id)) + 1;
    size_t nw = attn ? (size_t)T * S : 0;
    size_t bytes = sizeof(LogLine) + (size_t)(S + T) * sizeof(char *) + nw * sizeof(float) + text;
    LogLine *l = malloc(bytes);
    if (!l) {
        trace_free(&tr);
        av_err(err, "out of memory for the probe");
        return NULL;
    }
    *l = *head;
    char **src = (char **)(l + 1), **out = src + S;
    float *w = (float *)(out + T);
    char *p = (char *)(w + nw);
    for (int i = 0; i < S + T; i++) {
        const char *tok = i < S ? tr.src_tokens[i] : trace_token(&tr, tr.steps[i - S].token_id);
        size_t n = strlen(tok) + 1;
        memcpy(p, tok, n);
        src[i] = p; /* out[i - S] when i ≥ S: the two arrays are adjacent */
        p += n;
    }
    for (int t = 0; t < T && attn; t++) memcpy(w + (size_t)t * S, tr.steps[t].weights, (size_t)S * sizeof *w);
    l->has_probe = true;
    l->probe_S = S;
    l->probe_T = T;
    l->source_tokens = (const char **)src;
    l->output_tokens = (const char **)out;
    l->weights = attn ? w : NULL;
    l->entropy = attn ? attention_entropy(w, T, S) : NAN;
    l->alignment_accuracy = attn && s->n_right > 0 ? alignment_accuracy(w, T, S, s->right, s->n_right) : NAN;
    trace_free(&tr);
    return l;
}

/* A line for the current weights: st has the step's training figures. */
static int add_line(LearnSession *s, const TrainStats *st, float lr, bool heldout, char *err) {
    long step = trainer_steps_done(s->tr);
    LogLine head = {.step = step, .seconds = s->seconds, .examples = step * s->d.train.batch,
                    .loss = st->loss, .grad_norm = st->grad_norm, .lr = lr, .tf_ratio = st->tf_p,
                    .entropy = NAN, .alignment_accuracy = NAN};
    if (heldout && s->test.n > 0) {
        EvalStats ev;
        if (seq2seq_eval(&s->m, &s->test, &ev, err)) return -1;
        head.has_heldout = true;
        head.heldout = ev;
        head.heldout_exact = ev.n ? (float)ev.exact / (float)ev.n : 0.0f;
        head.heldout_token = ev.tokens ? (float)ev.tokens_right / (float)ev.tokens : 0.0f;
    }
    LogLine *l = NULL;
    if (s->probe_ids) l = line_with_probe(s, &head, err);
    else if ((l = malloc(sizeof *l))) *l = head;
    else av_err(err, "out of memory");
    if (!l) return -1;
    pthread_mutex_lock(&s->mu);
    if (s->n_lines == s->cap_lines) {
        int nc = s->cap_lines ? 2 * s->cap_lines : 64;
        LogLine **nl = realloc(s->lines, (size_t)nc * sizeof *nl);
        if (!nl) {
            pthread_mutex_unlock(&s->mu);
            free(l);
            return av_err(err, "out of memory for the log");
        }
        s->lines = nl;
        s->cap_lines = nc;
    }
    s->lines[s->n_lines++] = l;
    if (l->has_heldout) s->last_heldout = l;
    pthread_mutex_unlock(&s->mu);
    return 0;
}

/* 0, 10, 20, 50, 100, 200, 500, ... */
static bool film_step(long k) {
    if (k == 0) return true;
    if (k < 10) return false;
    while (k % 10 == 0) k /= 10;
    return k == 1 || k == 2 || k == 5;
}

static int add_film(LearnSession *s, char *err) {
    size_t n = s->m.layout.n_params;
    float *p = malloc(n * sizeof *p);
    if (!p) return av_err(err, "out of memory for the film strip");
    memcpy(p, s->m.params, n * sizeof *p); /* the worker reads its own weights */
    pthread_mutex_lock(&s->mu);
    if (s->n_film == s->cap_film) {
        int nc = s->cap_film ? 2 * s->cap_film : 16;
        FilmFrame *nf = realloc(s->film, (size_t)nc * sizeof *nf);
        if (!nf) {
            pthread_mutex_unlock(&s->mu);
            free(p);
            return av_err(err, "out of memory for the film strip");
        }
        s->film = nf;
        s->cap_film = nc;
    }
    s->film[s->n_film++] = (FilmFrame){trainer_steps_done(s->tr), p};
    pthread_mutex_unlock(&s->mu);
    return 0;
}

/* What is logged after step k (k updates done). */
static void due(const LearnSession *s, long k, bool *line, bool *heldout, bool *film) {
    const LearnDesc *d = &s->d;
    *heldout = (d->eval_every > 0 && k % d->eval_every == 0) || k == d->train.steps;
    *film = d->film && film_step(k);
    *line = *heldout || *film || (d->log_every > 0 && k % d->log_every == 0);
}

static float lr_at(const LearnSession *s, long k) {
    const LearnDesc *d = &s->d;
    if (d->lr_decay <= 0 || d->lr_decay >= 1 || d->lr_decay_every < 1) return d->train.lr;
    return (float)((double)d->train.lr * pow(d->lr_decay, (double)k / (double)d->lr_decay_every));
}

/* ---- the session --------------------------------------------------------------------- */

static void free_log(LearnSession *s) {
    for (int i = 0; i < s->n_lines; i++) free(s->lines[i]);
    for (int i = 0; i < s->n_film; i++) free(s->film[i].params);
    s->n_lines = s->n_film = 0;
    s->last_heldout = NULL;
}

/* The model from the seed, the Trainer, and the step-0 line. */
static int start(LearnSession *s, char *err) {
    Rng rng;
    rng_seed(&rng, s->d.train.seed);
    if (model_create(&s->m, &s->d.cfg, &s->vs, &s->vt, &rng, err)) return -1;
    s->have_model = true;
    if (!(s->tr = trainer_create(&s->m, &s->d.train, err))) return -1;
    s->seconds = 0;
    float lr = lr_at(s, 0);
    trainer_set_lr(s->tr, lr);
    TrainStats st;
    if (trainer_peek(s->tr, &s->train, &st, err)) return -1;
    bool line, heldout, film;
    due(s, 0, &line, &heldout, &film);
    if (add_line(s, &st, lr, heldout, err)) return -1;
    return film ? add_film(s, err) : 0;
}

static void stop(LearnSession *s) {
    trainer_free(s->tr);
    s->tr = NULL;
    if (s->have_model) model_free(&s->m);
    s->have_model = false;
}

/* The probe as ids, and its right alignment when the task knows it. */
static int set_probe(LearnSession *s, const char *text, char *err) {
    free(s->probe_text);
    free(s->probe_ids);
    free(s->right);
    s->probe_text = NULL, s->probe_ids = NULL, s->right = NULL;
    s->probe_n = 0, s->n_right = -1;
    s->d.probe = NULL;
    if (!text) return 0;
    if (!(s->probe_text = strdup(text))) return av_err(err, "out of memory");
    char why[AV_ERR_LEN];
    int *ids = NULL, n = 0;
    if (encode_text(&s->vs, s->d.cfg.tokenizer, text, &ids, &n, why)) return av_err(err, "the probe: %s", why);
    if (n < 1) {
        free(ids);
        return av_err(err, "the probe has no tokens");
    }
    s->probe_ids = ids;
    s->probe_n = n;
    s->d.probe = s->probe_text;
    int longest = s->train.max_tgt > n + 1 ? s->train.max_tgt : n + 1;
    s->probe_max = longest + 10;
    const Task *t = s->d.task;
    if (t && t->tokenizer == s->d.cfg.tokenizer) {
        int cap = s->probe_max + 1;
        if (!(s->right = calloc((size_t)cap, sizeof *s->right))) return av_err(err, "out of memory");
        int k = task_alignment(t, text, s->right, cap, why);
        s->n_right = k > cap ? cap : k;
    }
    return 0;
}

int learn_set_probe(LearnSession *s, const char *text, char *err) {
    if (text && !text[0]) return av_err(err, "the probe is empty");
    return set_probe(s, text, err);
}

LearnSession *learn_create(const LearnDesc *desc, const Pairs *train, const Pairs *test, char *err) {
    LearnSession *s = calloc(1, sizeof *s);
    if (!s) {
        av_err(err, "out of memory");
        return NULL;
    }
    s->d = *desc;
    s->d.name = s->d.made_by = NULL; /* owned copies below */
    pthread_mutex_init(&s->mu, NULL);
    char why[AV_ERR_LEN];
    int rc = model_config_check(&s->d.cfg, err);
    if (!rc && ((desc->name && !(s->d.name = s->name = strdup(desc->name))) ||
                (desc->made_by && !(s->d.made_by = s->made_by = strdup(desc->made_by)))))
        rc = av_err(err, "out of memory");
    if (!rc && train->n < 1) rc = av_err(err, "there are no training pairs");
    if (!rc && (vocab_build(s->d.cfg.tokenizer, train, 0, &s->vs, why) ||
                vocab_build(s->d.cfg.tokenizer, train, 1, &s->vt, why) ||
                dataset_build(train, s->d.cfg.tokenizer, &s->vs, &s->vt, &s->train, why) ||
                dataset_build(test, s->d.cfg.tokenizer, &s->vs, &s->vt, &s->test, why)))
        rc = av_err(err, "%s", why);
    if (!rc) rc = set_probe(s, desc->probe, err);
    if (!rc) rc = start(s, err);
    if (rc) {
        learn_free(s);
        return NULL;
    }
    return s;
}

void learn_free(LearnSession *s) {
    if (!s) return;
    stop(s);
    free_log(s);
    free(s->lines);
    free(s->film);
    vocab_free(&s->vs);
    vocab_free(&s->vt);
    dataset_free(&s->train);
    dataset_free(&s->test);
    free(s->probe_text);
    free(s->name);
    free(s->made_by);
    free(s->probe_ids);
    free(s->right);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

int learn_step(LearnSession *s, long n, TrainStats *last, char *err) {
    for (long i = 0; i < n; i++) {
        long k = trainer_steps_done(s->tr);
        float lr = lr_at(s, k);
        double t0 = now_s();
        trainer_set_lr(s->tr, lr);
        TrainStats st;
        if (trainer_gradient(s->tr, &s->train, &st, err)) return -1;
        pthread_mutex_lock(&s->mu);
        trainer_update(s->tr);
        pthread_mutex_unlock(&s->mu);
        s->seconds += now_s() - t0;
        s->last = st;
        s->last_lr = lr;
        if (last) *last = st;
        bool line, heldout, film;
        due(s, k + 1, &line, &heldout, &film);
        if (line && add_line(s, &st, lr, heldout, err)) return -1;
        if (film && add_film(s, err)) return -1;
    }
    return 0;
}

int learn_log_now(LearnSession *s, bool heldout, char *err) {
    const LogLine *l = learn_line(s, learn_line_count(s) - 1);
    if (l && l->step == trainer_steps_done(s->tr)) return 0; /* step 0 always has its line */
    return add_line(s, &s->last, s->last_lr, heldout, err);
}

int learn_restart(LearnSession *s, char *err) {
    stop(s);
    pthread_mutex_lock(&s->mu);
    free_log(s);
    pthread_mutex_unlock(&s->mu);
    return start(s, err);
}

/* ---- [any thread] ---------------------------------------------------------------------- */

long learn_steps_done(LearnSession *s) {
    pthread_mutex_lock(&s->mu);
    long k = s->tr ? trainer_steps_done(s->tr) : 0;
    pthread_mutex_unlock(&s->mu);
    return k;
}

int learn_line_count(LearnSession *s) {
    pthread_mutex_lock(&s->mu);
    int n = s->n_lines;
    pthread_mutex_unlock(&s->mu);
    return n;
}

const LogLine *learn_line(LearnSession *s, int i) {
    pthread_mutex_lock(&s->mu);
    const LogLine *l = i >= 0 && i < s->n_lines ? s->lines[i] : NULL;
    pthread_mutex_unlock(&s->mu);
    return l;
}

const LogLine *learn_last_heldout(LearnSession *s) {
    pthread_mutex_lock(&s->mu);
    const LogLine *l = s->last_heldout;
    pthread_mutex_unlock(&s->mu);
    return l;
}

/* A model like the session's with these weights (mu held). */
static int copy_model(const LearnSession *s, const float *params, Model *out, char *err) {
    if (model_create(out, &s->m.cfg, &s->m.src, &s->m.tgt, NULL, err)) return -1;
    memcpy(out->params, params, s->m.layout.n_params * sizeof *params);
    out->trained_steps = s->m.trained_steps;
    return 0;
}

int learn_snapshot(LearnSession *s, Model *out, char *err) {
    pthread_mutex_lock(&s->mu);
    int rc = copy_model(s, s->m.params, out, err);
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int learn_film_count(LearnSession *s) {
    pthread_mutex_lock(&s->mu);
    int n = s->n_film;
    pthread_mutex_unlock(&s->mu);
    return n;
}

int learn_film(LearnSession *s, int i, long *step, Model *out, char *err) {
    pthread_mutex_lock(&s->mu);
    int rc = -1;
    if (i < 0 || i >= s->n_film) av_err(err, "no film frame %d (there are %d)", i, s->n_film);
    else if (!(rc = copy_model(s, s->film[i].params, out, err))) {
        out->trained_steps = s->film[i].step;
        if (step) *step = s->film[i].step;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int learn_save(LearnSession *s, const char *path, char *err) {
    Model m;
    if (learn_snapshot(s, &m, err)) return -1;
    const LearnDesc *d = &s->d;
    const LogLine *h = learn_last_heldout(s);
    char notes[512];
    int n = snprintf(notes, sizeof notes,
                     "%s: steps %ld, batch %d, lr %g (decay %g every %ld), clip %g, teacher forcing %g (%s), seed %llu",
                     d->made_by ? d->made_by : "attnviz", m.trained_steps, d->train.batch,
                     (double)d->train.lr, (double)(d->lr_decay > 0 ? d->lr_decay : 1), d->lr_decay_every,
                     (double)(d->train.clip > 0 ? d->train.clip : 0), (double)d->train.teacher_forcing,
                     tf_schedule_name(d->train.tf_schedule), (unsigned long long)d->train.seed);
    if (h && n > 0 && (size_t)n < sizeof notes)
        snprintf(notes + n, sizeof notes - (size_t)n,
                 "; held-out exact match %.2f%%, token accuracy %.2f%% on %d pairs (at step %ld)",
                 100.0 * h->heldout_exact, 100.0 * h->heldout_token, s->test.n, h->step);
    m.task = d->name ? strdup(d->name) : NULL;
    m.notes = strdup(notes);
    int rc = model_save(&m, path, err);
    model_free(&m);
    return rc;
}

double learn_seconds(const LearnSession *s) { return s->seconds; }
const Model *learn_model(const LearnSession *s) { return &s->m; }
const Dataset *learn_train_data(const LearnSession *s) { return &s->train; }
const Dataset *learn_test_data(const LearnSession *s) { return &s->test; }
int learn_threads(const LearnSession *s) { return s->tr ? trainer_threads(s->tr) : 1; }
