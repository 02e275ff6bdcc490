/* session.c — the decoding on screen: load a model, decode an input, switch the score, teacher forcing, and compare (C, V).
 *
 * Every change decodes into a new trace first and replaces the old one only
 * on success, so a broken model file or a bad input leaves the picture as
 * it was, with the reason in the status line.
 */
#include "app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/seq2seq.h"
#include "../engine/tokenize.h"
#include "../tasks/task.h"

enum { MAX_INPUT_TOKENS = 200 };

int app_tokenize(const Model *m, const char *input, const char *target, int **src, int *S, int **ref, int *R, char *err) {
    *src = *ref = NULL;
    *S = *R = 0;
    if (encode_text(&m->src, m->cfg.tokenizer, input, src, S, err) != 0) return -1;
    if (*S < 1 || *S > MAX_INPUT_TOKENS) {
        int n = *S;
        free(*src);
        *src = NULL;
        return av_err(err, "input has %d tokens: give 1 to %d", n, MAX_INPUT_TOKENS);
    }
    if (target && encode_text(&m->tgt, m->cfg.tokenizer, target, ref, R, err) != 0) {
        free(*src);
        *src = NULL;
        return -1;
    }
    if (target && (*R < 1 || *R > MAX_INPUT_TOKENS)) {
        int n = *R;
        free(*src);
        free(*ref);
        *src = *ref = NULL;
        return av_err(err, "the reference has %d tokens: give 1 to %d", n, MAX_INPUT_TOKENS);
    }
    return 0;
}

/* Tokenise and decode with a loaded model; target NULL for free running. */
static int decode_with(const Model *m, const char *path, const char *input, const char *target, float p, uint64_t seed,
                       Trace *tr, char *err) {
    int *src, S, *ref, R;
    if (app_tokenize(m, input, target, &src, &S, &ref, &R, err) != 0) return -1;
    DecodeDesc dd = {.reference = ref, .ref_len = R, .teacher_forcing = p, .seed = seed};
    char why[AV_ERR_LEN];
    int rc = seq2seq_decode(m, src, S, &dd, tr, why);
    free(src);
    free(ref);
    if (rc != 0) return av_err(err, "%.200s: %s", path, why);   /* e.g. a number that is not finite */
    if (tr->T < 1) { trace_free(tr); return av_err(err, "the decoding has no steps"); }
    return 0;
}

/* The new decoding replaces the old one; with morph the old one is kept to
 * morph from. */
static void take_decoding(App *a, Model *m, Trace *tr, bool morph) {
    AppSession *s = &a->session;
    if (s->have_prev) trace_free(&s->prev);
    s->have_prev = false;
    if (s->have_trace && morph) {
        s->prev = s->trace;
        s->have_prev = true;
        a->view.morph_t0 = SDL_GetPerformanceCounter();
        a->view.morph = 0;
    } else if (s->have_trace) {
        trace_free(&s->trace);
    }
    if (s->have_model) model_free(&s->model);
    s->trace = *tr;
    s->model = *m;
    s->have_trace = s->have_model = true;
}

/* The task (from the model, else from "<task>-<score>.safetensors"), the
 * scores that have a sibling model, and the title line. */
static void describe(App *a, const char *model_path, bool has_target) {
    AppSession *s = &a->session;
    const Model *m = &s->model;
    snprintf(s->task, sizeof s->task, "%s", m->task ? m->task : "");
    if (!s->task[0]) {
        const char *b = strrchr(model_path, '/'), *d;
        b = b ? b + 1 : model_path;
        if ((d = strrchr(b, '-')) && d > b) snprintf(s->task, sizeof s->task, "%.*s", (int)(d - b), b);
    }
    s->score_avail = 0;
    for (int k = SCORE_NONE; k <= SCORE_ADDITIVE; k++) {
        char p[1200];
        app_sibling(a, (ScoreKind)k, p, sizeof p);
        if (k == (int)m->cfg.score || access(p, R_OK) == 0) s->score_avail |= 1u << k;
    }
    const char *base = strrchr(model_path, '/');
    base = base ? base + 1 : model_path;
    const char *ext = strstr(base, ".safetensors");   /* the model's name, as lessons write it */
    int blen = ext && !ext[12] ? (int)(ext - base) : (int)strlen(base);
    snprintf(s->title, sizeof s->title, "%.*s  ·  %s%s %s, %s  ·  %s \"%s\"%s%s%s%s%s",
             blen < 100 ? blen : 100, base, m->cfg.bidirectional ? app_str(a, UI_T_BIDI) : "", cell_name(m->cfg.cell),
             app_str(a, m->cfg.tokenizer == TOK_CHAR ? UI_T_CHARS : UI_T_WORDS), style_name(m->cfg.style),
             app_str(a, UI_T_INPUT), s->input, has_target ? "  ·  " : "", has_target ? app_str(a, UI_T_REF) : "",
             has_target ? " \"" : "", has_target ? s->target : "", has_target ? "\"" : "");
}

int app_decode_forced(App *a, const char *model_path, const char *input, const char *target, bool tf_on, float tf_p,
                      bool morph, char *err) {
    AppSession *s = &a->session;
    if (target && !target[0]) target = NULL;
    Model m;
    if (model_load(&m, model_path, err) != 0) return -1;
    char example[TASK_MAX_TEXT];
    if (!input) {   /* an example from the model's own task, else a word */
        const Task *tk = m.task ? task_find(m.task) : NULL;
        if (tk) {
            char tgt[TASK_MAX_TEXT];
            Rng r;
            rng_seed(&r, 2026);
            tk->generate(&r, SPLIT_TEST, example, tgt, sizeof example);
            input = example;
        } else {
            input = "hello";
        }
    }
    Trace tr;
    if (decode_with(&m, model_path, input, target, tf_on ? tf_p : 0, s->seed, &tr, err) != 0) { model_free(&m); return -1; }
    take_decoding(a, &m, &tr, morph);
    s->tf_on = tf_on;
    s->tf_p = tf_p;
    if (model_path != s->model_path) snprintf(s->model_path, sizeof s->model_path, "%s", model_path);
    if (input != s->input && strcmp(input, s->input) != 0) a->view.pin = 0;   /* another sentence: let the word go */
    if (input != s->input) snprintf(s->input, sizeof s->input, "%s", input);
    if (target != s->target) snprintf(s->target, sizeof s->target, "%s", target ? target : "");
    describe(a, model_path, target != NULL);
    app_unknown_note(a);
    if (a->cmp.mode && app_compare_refresh(a, err) != 0) {   /* the comparison follows; on failure it ends */
        char msg[AV_ERR_LEN + 40];
        snprintf(msg, sizeof msg, app_str(a, UI_M_CMP_ENDED), err);
        app_say(a, msg);
    }
    app_backward_refresh(a);   /* the gradient of the new decoding, when the backward phases are on */
    /* keep the place: the same step and phase, if the new decoding has it */
    double end = viz_tau_end_n(&s->trace, app_step_phases(a));
    if (a->view.tau >= end) a->view.tau = end - 1e-5;
    if (a->view.stop_at > end) a->view.stop_at = end - 1e-5;
    a->w.dirty = true;
    return 0;
}

int app_decode(App *a, const char *model_path, const char *input, const char *target, bool morph, char *err) {
    return app_decode_forced(a, model_path, input, target, a->session.tf_on, a->session.tf_p, morph, err);
}

int app_decode_demo(App *a, const char *input, bool with_reference, char *err) {
    AppSession *s = &a->session;
    Trace tr;
    if (viz_demo_trace(&tr, input, 11, STYLE_LUONG, SCORE_GENERAL, with_reference, s->seed, err) != 0) return -1;
    if (s->have_trace) trace_free(&s->trace);
    s->trace = tr;
    s->have_trace = true;
    app_backward_refresh(a);   /* no model: the backward phases go off */
    s->unknown[0] = 0;
    snprintf(s->title, sizeof s->title, "%s", app_str(a, UI_T_DEMO));
    return 0;
}

void app_session_free(App *a) {
    AppSession *s = &a->session;
    if (s->have_trace) trace_free(&s->trace);
    if (s->have_prev) trace_free(&s->prev);
    if (s->have_model) model_free(&s->model);
    if (a->cmp.have) trace_free(&a->cmp.trace);
    s->have_trace = s->have_prev = s->have_model = a->cmp.have = false;
    app_backward_free(a);
    s->unknown[0] = 0;
    vocab_close(a);
}

void app_sibling(const App *a, ScoreKind k, char *out, size_t cap) {
    const char *path = a->session.model_path, *slash = strrchr(path, '/');
    int dl = slash ? (int)(slash - path) : 1;
    snprintf(out, cap, "%.*s/%.60s-%s.safetensors", dl, slash ? path : ".", a->session.task, score_name(k));
}

void app_switch_score(App *a, ScoreKind k) {
    AppSession *s = &a->session;
    if (!s->have_model || k == s->model.cfg.score) return;
    char path[1200], err[AV_ERR_LEN], msg[AV_ERR_LEN + 64];
    app_sibling(a, k, path, sizeof path);
    if (access(path, R_OK) != 0) {
        snprintf(msg, sizeof msg, app_str(a, UI_M_NO_SCORE_MODEL), score_name(k), path);
        app_say(a, msg);
        return;
    }
    if (app_decode(a, path, s->input, s->target, true, err) != 0) {
        snprintf(msg, sizeof msg, app_str(a, UI_M_MODEL_STAYS), err);
        app_say(a, msg);
    }
}

void app_set_forcing(App *a, bool on, float p) {
    AppSession *s = &a->session;
    if (!s->target[0]) {
        app_say(a, app_str(a, UI_M_TF_NEEDS_REF));
        return;
    }
    p = p < 0 ? 0 : p > 1 ? 1 : p;
    char err[AV_ERR_LEN], in[1024], tg[1024];   /* copies: the decoding rewrites the session's */
    snprintf(in, sizeof in, "%s", s->input);
    snprintf(tg, sizeof tg, "%s", s->target);
    if (app_decode_forced(a, s->model_path, in, tg, on, p, true, err) != 0) app_say(a, err);
}

/* ---- compare ---- */

void app_compare_off(App *a) {
    if (a->cmp.have) trace_free(&a->cmp.trace);
    a->cmp.have = false;
    a->cmp.mode = CMP_OFF;
    a->w.dirty = true;
}

int app_compare_refresh(App *a, char *err) {
    const AppSession *s = &a->session;
    AppCompare *c = &a->cmp;
    Trace tr;
    const char *tg = s->target[0] ? s->target : NULL;
    if (c->mode == CMP_SCORE) {
        if (c->score == s->model.cfg.score) { app_compare_off(a); return av_err(err, "%s", app_str(a, UI_M_SAME_SCORE)); }
        char path[1200];
        app_sibling(a, c->score, path, sizeof path);
        Model m;
        if (model_load(&m, path, err) != 0) { app_compare_off(a); return -1; }
        int rc = decode_with(&m, path, s->input, tg, s->tf_on ? s->tf_p : 0, s->seed, &tr, err);
        model_free(&m);
        if (rc != 0) { app_compare_off(a); return -1; }
        snprintf(c->name[0], sizeof c->name[0], "%s", score_name(s->model.cfg.score));
        snprintf(c->name[1], sizeof c->name[1], "%s", score_name(c->score));
        snprintf(c->what, sizeof c->what, "%s", app_str(a, UI_CMP_SCORES_WHAT));
    } else {
        if (!tg) { app_compare_off(a); return av_err(err, "%s", app_str(a, UI_M_FREE_NEEDS_REF)); }
        float p = s->tf_on ? 0 : (s->tf_p > 0 ? s->tf_p : 1);
        if (decode_with(&s->model, s->model_path, s->input, tg, p, s->seed, &tr, err) != 0) { app_compare_off(a); return -1; }
        snprintf(c->name[0], sizeof c->name[0], "%s", app_str(a, s->tf_on ? UI_TEACHER_FORCED : UI_FREE_RUNNING));
        snprintf(c->name[1], sizeof c->name[1], "%s", app_str(a, s->tf_on ? UI_FREE_RUNNING : UI_TEACHER_FORCED));
        snprintf(c->what, sizeof c->what, app_str(a, UI_CMP_TF_WHAT), (double)(s->tf_on ? s->tf_p : p));
    }
    if (c->have) trace_free(&c->trace);
    c->trace = tr;
    c->have = true;
    a->w.dirty = true;
    return 0;
}

/* The next score after `after` in the keys' order (1 none … 5 additive, 6
 * scaled_dot; round again after the last) that has a model and is neither
 * the session's nor none (no matrix); -1 when there is none. */
static int next_other_score(const App *a, int after) {
    static const ScoreKind KEY_ORDER[SCORE_COUNT] = {SCORE_NONE, SCORE_DOT, SCORE_GENERAL, SCORE_CONCAT, SCORE_ADDITIVE,
                                                     SCORE_SCALED_DOT};
    int at = 0;
    while (at < SCORE_COUNT && (int)KEY_ORDER[at] != after) at++;
    for (int i = 1; i <= SCORE_COUNT; i++) {
        int k = (int)KEY_ORDER[(at + i) % SCORE_COUNT];
        if (k != (int)a->session.model.cfg.score && k != SCORE_NONE && (a->session.score_avail >> k & 1)) return k;
    }
    return -1;
}

/* Compare against the score k: opens compare, or changes its other side. */
static void compare_with(App *a, int k) {
    AppCompare *c = &a->cmp;
    char err[AV_ERR_LEN];
    if (k < 0) { app_compare_off(a); app_say(a, app_str(a, UI_M_CMP_SECOND)); return; }
    c->mode = CMP_SCORE;
    c->score = (ScoreKind)k;
    if (app_compare_refresh(a, err) != 0) app_say(a, err);
}

void app_compare(App *a, CompareMode mode) {
    AppCompare *c = &a->cmp;
    char err[AV_ERR_LEN];
    if (!a->session.have_model) { app_say(a, app_str(a, UI_M_CMP_DEMO)); return; }
    if (c->mode == mode) { app_compare_off(a); return; }   /* C or V again: back to the one decoding */
    if (mode == CMP_SCORE) { compare_with(a, next_other_score(a, (int)a->session.model.cfg.score)); return; }
    c->mode = CMP_FORCING;
    if (app_compare_refresh(a, err) != 0) app_say(a, err);
}

void app_compare_next(App *a) {
    if (!a->session.have_model) { app_say(a, app_str(a, UI_M_CMP_DEMO)); return; }
    int from = a->cmp.mode == CMP_SCORE ? (int)a->cmp.score : (int)a->session.model.cfg.score;
    compare_with(a, next_other_score(a, from));
}

void app_compare_score(App *a, ScoreKind k) {
    char msg[AV_ERR_LEN + 64], path[1200];
    if (k == a->session.model.cfg.score || k == SCORE_NONE) {
        snprintf(msg, sizeof msg, app_str(a, UI_M_CMP_NOT_THAT), score_name(k));
        app_say(a, msg);
        return;
    }
    if (!(a->session.score_avail >> k & 1)) {
        app_sibling(a, k, path, sizeof path);
        snprintf(msg, sizeof msg, app_str(a, UI_M_NO_SCORE_MODEL), score_name(k), path);
        app_say(a, msg);
        return;
    }
    compare_with(a, (int)k);
}
