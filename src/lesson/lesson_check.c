/* lesson_check.c — a lesson against a models folder: the only lesson file that includes the engine.
 *
 * Each slide's models are loaded, its input and target tokenized with the
 * model's own vocabularies, and a numeric step compared with the length of
 * the actual decoding, so a course that passes here opens on every slide.
 * Messages quote the lesson's text, so they are escaped (base/err.h).
 */
#include "lesson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../engine/seq2seq.h"
#include "../engine/tokenize.h"
#include "../engine/trace.h"

static int check_tokens(const Lesson *l, int line, const char *name, const Vocab *v,
                        TokenizerKind k, const char *text, const char *what, int **ids, int *n, char *err) {
    char e[AV_ERR_LEN];
    char **toks; int nt;
    if (tokenize(k, text, &toks, &nt, e))
        return av_err(err, "%s:%d: %s: %s", l->path, line, what, e);
    int rc = 0;
    if (nt == 0) rc = av_err(err, "%s:%d: %s: has no tokens", l->path, line, what);
    for (int i = 0; rc == 0 && i < nt; i++)
        if (vocab_find(v, toks[i]) == TOK_UNK)
            rc = av_err(err, "%s:%d: %s: token '%s' is not in the vocabulary of model %s",
                        l->path, line, what, toks[i], name);
    tokens_free(toks, nt);
    if (rc || !ids) return rc;
    if (encode_text(v, k, text, ids, n, e)) return av_err(err, "%s:%d: %s: %s", l->path, line, what, e);
    return 0;
}

/* One model of the slide: the file, the vocabularies, the step. */
static int check_model(const Lesson *l, const LessonSlide *s, const char *name, const char *dir, char *err) {
    int mline = s->dline[LD_MODEL];
    if (s->score >= 0) mline = s->dline[LD_SCORE];
    if (s->compare[0] >= 0) mline = s->dline[LD_COMPARE];
    char path[2048];
    snprintf(path, sizeof path, "%s/%s.safetensors", dir, name);
    struct stat st;
    if (stat(path, &st) != 0)
        return av_err(err, "%s:%d: model %s not found (%s)", l->path, mline, name, path);
    Model m;
    char e[AV_ERR_LEN];
    if (model_load(&m, path, e)) return av_err(err, "%s:%d: model %s: %s", l->path, mline, name, e);
    int rc = 0, *src = NULL, *ref = NULL, S = 0, R = 0;
    if (s->input)
        rc = check_tokens(l, s->dline[LD_INPUT], name, &m.src, m.cfg.tokenizer, s->input, "input", &src, &S, err);
    if (rc == 0 && s->target)
        rc = check_tokens(l, s->dline[LD_TARGET], name, &m.tgt, m.cfg.tokenizer, s->target, "target", &ref, &R, err);
    if (rc == 0 && (s->train || s->lab) && s->probe)   /* a training or lab slide's sentence: the same vocabulary as the data */
        rc = check_tokens(l, s->dline[LD_PROBE], name, &m.src, m.cfg.tokenizer, s->probe, "probe", NULL, NULL, err);
    if (rc == 0 && s->input && s->step >= 1) {
        DecodeDesc d = {0};
        if (s->target) {
            d.reference = ref; d.ref_len = R;
            d.teacher_forcing = s->teacher_forcing >= 0 ? s->teacher_forcing : 0;
            d.seed = s->seed;
        }
        Trace t;
        if (seq2seq_decode(&m, src, S, &d, &t, e))
            rc = av_err(err, "%s:%d: decoding '%s' with %s: %s", l->path, s->dline[LD_INPUT], s->input, name, e);
        else {
            if (s->step > t.T)
                rc = av_err(err, "%s:%d: step %d, but %s decodes '%s' in %d steps",
                            l->path, s->dline[LD_STEP], s->step, name, s->input, t.T);
            trace_free(&t);
        }
    }
    free(src); free(ref);
    model_free(&m);
    return rc;
}

static int check_slide(const Lesson *l, int i, const char *dir, char *err) {
    if (i < 0 || i >= l->n_slides) return av_err(err, "%s: no slide %d", l->path, i + 1);
    const LessonSlide *s = &l->slides[i];
    if (s->chart) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s.tsv", dir, s->chart);
        struct stat st;
        if (stat(path, &st) != 0)
            return av_err(err, "%s:%d: chart data not found (%s)", l->path, s->dline[LD_CHART], path);
    }
    if (!s->model) return 0;
    char name[LESSON_MAX_NAME + 16];
    if (s->compare[0] >= 0) {
        for (int k = 0; k < 2; k++) {
            if (lesson_model_with_score(s->model, (ScoreKind)s->compare[k], name, sizeof name))
                return av_err(err, "%s:%d: compare: model name '%s' has no score part", l->path, s->dline[LD_COMPARE], s->model);
            if (check_model(l, s, name, dir, err)) return -1;
        }
        return 0;
    }
    if (lesson_slide_model(s, name, sizeof name))
        return av_err(err, "%s:%d: model name '%s' has no score part", l->path, s->dline[LD_SCORE], s->model);
    return check_model(l, s, name, dir, err);
}

int lesson_check_slide(const Lesson *l, int i, const char *dir, char *err) {
    if (check_slide(l, i, dir, err) == 0) return 0;
    if (err) av_escape_msg(err, AV_ERR_LEN);   /* it quotes the lesson's input and tokens */
    return -1;
}

int lesson_check(const Lesson *l, const char *dir, char *err) {
    for (int i = 0; i < l->n_slides; i++)
        if (lesson_check_slide(l, i, dir, err)) return -1;
    return 0;
}

