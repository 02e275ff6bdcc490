/* train_show.c — what the screen keeps of a training run (train_run.h): the log as series for the curves, the probe on the latest weights and on every film frame, each decoded with its reference and measures.
 *
 * Main thread only. The session's lines are read once each, as they come,
 * into growing arrays (the curves of a 10,000-step run are a few thousand
 * floats); a film frame's probe is decoded here, on a copy of that frame's
 * weights, once — and again only when the probe changes — so the film strip
 * always shows the probe on screen, whatever it was when the frame was kept.
 */
#include "train_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../engine/tokenize.h"

static double mono_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- one decoding of the probe ---- */

static void shot_free(RunShot *s) {
    free(s->mem);
    memset(s, 0, sizeof *s);
}

/* The tokens and weights of a trace in one block: the shot's own. */
static int shot_from_trace(const TrainRun *r, const Trace *tr, long step, RunShot *out, char *err) {
    int S = tr->S, T = tr->T;
    bool attn = T > 0 && tr->steps[0].weights;
    size_t text = 0, nw = attn ? (size_t)T * S : 0;
    for (int i = 0; i < S; i++) text += strlen(tr->src_tokens[i]) + 1;
    for (int t = 0; t < T; t++) text += strlen(trace_token(tr, tr->steps[t].token_id)) + 1;
    char **tok = malloc((size_t)(S + T) * sizeof *tok + nw * sizeof(float) + text);
    if (!tok) return av_err(err, "out of memory for the probe");
    float *w = (float *)(tok + S + T);
    char *p = (char *)(w + nw);
    for (int i = 0; i < S + T; i++) {
        const char *s = i < S ? tr->src_tokens[i] : trace_token(tr, tr->steps[i - S].token_id);
        size_t n = strlen(s) + 1;
        memcpy(p, s, n);
        tok[i] = p;
        p += n;
    }
    for (int t = 0; attn && t < T; t++) memcpy(w + (size_t)t * S, tr->steps[t].weights, (size_t)S * sizeof *w);
    *out = (RunShot){.mem = tok};
    out->p = (VizProbe){.step = step, .S = S, .T = T, .src = (const char *const *)tok,
                        .out = (const char *const *)tok + S, .w = attn ? w : NULL, .entropy = NAN, .accuracy = NAN};
    if (attn) {
        out->p.entropy = attention_entropy(w, T, S);
        if (r->n_right > 0) out->p.accuracy = alignment_accuracy(w, T, S, r->right, r->n_right);
    }
    return 0;
}

int run_decode_probe(TrainRun *r, const Model *m, long step, RunShot *shot, char *err) {
    int *ids = NULL, n = 0;
    if (encode_text(&m->src, m->cfg.tokenizer, r->probe, &ids, &n, err)) return -1;
    if (n < 1) {
        free(ids);
        return av_err(err, "the probe has no tokens");
    }
    /* as far as the session decodes it (learn.c): the longest target or the probe, and 10 */
    int longest = learn_train_data(r->s)->max_tgt > n + 1 ? learn_train_data(r->s)->max_tgt : n + 1;
    DecodeDesc dd = {.max_len = longest + 10};
    Trace tr;
    int rc = seq2seq_decode(m, ids, n, &dd, &tr, err);
    free(ids);
    if (rc) return -1;
    rc = shot_from_trace(r, &tr, step, shot, err);
    trace_free(&tr);
    return rc;
}

/* ---- the probe's own data ---- */

static void free_ref(TrainRun *r) {
    for (int i = 0; i < r->n_ref; i++) free(r->ref_tokens[i]);
    free(r->ref_tokens);
    r->ref_tokens = NULL;
    r->n_ref = 0;
}

/* The reference as target tokens and a final "<eos>" (m's vocabulary). */
static int make_ref(TrainRun *r, const Model *m, const char *reference, char *err) {
    free_ref(r);
    if (!reference || !reference[0]) return 0;
    int *ids = NULL, n = 0;
    if (encode_text(&m->tgt, m->cfg.tokenizer, reference, &ids, &n, err)) return -1;
    r->ref_tokens = calloc((size_t)n + 1, sizeof *r->ref_tokens);
    bool ok = r->ref_tokens != NULL;
    for (int i = 0; ok && i <= n; i++) {
        const char *t = i < n ? m->tgt.tokens[ids[i]] : "<eos>";
        ok = (r->ref_tokens[i] = strdup(t)) != NULL;
        r->n_ref += ok;
    }
    free(ids);
    if (!ok) free_ref(r);
    return ok ? 0 : av_err(err, "out of memory");
}

static void free_shots(TrainRun *r) {
    for (int i = 0; i < r->n_shots; i++) shot_free(&r->shots[i]);
    r->n_shots = 0;
}

int run_show_probe(TrainRun *r, const char *text, const char *reference, char *err) {
    if (!text || !text[0]) return av_err(err, "the probe is empty");
    char old[sizeof r->probe];
    snprintf(old, sizeof old, "%s", r->probe);
    snprintf(r->probe, sizeof r->probe, "%s", text);
    Model m;
    RunShot live = {0};
    if (learn_snapshot(r->s, &m, err)) {
        snprintf(r->probe, sizeof r->probe, "%s", old);
        return -1;
    }
    int rc = run_decode_probe(r, &m, learn_steps_done(r->s), &live, err);
    if (rc == 0) rc = make_ref(r, &m, reference, err);
    model_free(&m);
    if (rc) {
        shot_free(&live);
        snprintf(r->probe, sizeof r->probe, "%s", old);
        return -1;
    }
    snprintf(r->reference, sizeof r->reference, "%s", reference ? reference : "");
    /* the right alignment, when the task knows it for this text */
    free(r->right);
    r->right = NULL;
    r->n_right = -1;
    const Task *t = r->task;
    if (t && t->tokenizer == learn_model(r->s)->cfg.tokenizer) {
        int cap = live.p.T + 8;
        char why[AV_ERR_LEN];
        if ((r->right = calloc((size_t)cap, sizeof *r->right))) {
            int k = task_alignment(t, text, r->right, cap, why);
            r->n_right = k > cap ? cap : k;
        }
        if (live.p.w && r->n_right > 0) live.p.accuracy = alignment_accuracy(live.p.w, live.p.T, live.p.S, r->right, r->n_right);
    }
    if (r->have_live) shot_free(&r->live);
    r->live = live;
    r->have_live = true;
    free_shots(r);   /* decoded again with this probe by run_poll */
    return 0;
}

/* ---- the log as series ---- */

static bool grow(float **block, int *cap, int need, int arrays) {
    if (need <= *cap) return true;
    int nc = *cap ? *cap * 2 : 256;
    while (nc < need) nc *= 2;
    float *nb = malloc((size_t)nc * arrays * sizeof *nb);
    if (!nb) return false;
    for (int k = 0; k < arrays && *block; k++) memcpy(nb + (size_t)k * nc, *block + (size_t)k * *cap, (size_t)*cap * sizeof *nb);
    free(*block);
    *block = nb;
    *cap = nc;
    return true;
}

static void add_line(TrainRun *r, const LogLine *l) {
    if (grow(&r->series, &r->cap_points, r->n_points + 1, VIZ_SERIES)) {
        float v[VIZ_SERIES] = {[VIZ_CURVE_STEP] = (float)l->step, [VIZ_CURVE_LOSS] = l->loss,
                               [VIZ_CURVE_GRAD] = l->grad_norm, [VIZ_CURVE_LR] = l->lr, [VIZ_CURVE_TF] = l->tf_ratio};
        for (int k = 0; k < VIZ_SERIES; k++) r->series[(size_t)k * r->cap_points + r->n_points] = v[k];
        r->n_points++;
    }
    if (l->has_heldout && grow(&r->held, &r->cap_held, r->n_held + 1, VIZ_HELD)) {
        float h[VIZ_HELD] = {[VIZ_HELD_STEP] = (float)l->step, [VIZ_HELD_EXACT] = l->heldout_exact,
                             [VIZ_HELD_TOKEN] = l->heldout_token};
        for (int k = 0; k < VIZ_HELD; k++) r->held[(size_t)k * r->cap_held + r->n_held] = h[k];
        r->n_held++;
    }
}

/* Decode the film frames that have no shot yet. */
static bool poll_film(TrainRun *r) {
    int n = learn_film_count(r->s);
    bool changed = false;
    while (r->n_shots < n && r->probe[0]) {
        if (r->n_shots == r->cap_shots) {
            int nc = r->cap_shots ? 2 * r->cap_shots : 16;
            RunShot *ns = realloc(r->shots, (size_t)nc * sizeof *ns);
            if (!ns) break;
            r->shots = ns;
            r->cap_shots = nc;
        }
        Model m;
        long step;
        char err[AV_ERR_LEN];
        RunShot *s = &r->shots[r->n_shots];
        if (learn_film(r->s, r->n_shots, &step, &m, err)) break;
        int rc = run_decode_probe(r, &m, step, s, err);
        model_free(&m);
        if (rc) break;
        r->n_shots++;
        changed = true;
    }
    return changed;
}

bool run_poll(TrainRun *r) {
    int n = learn_line_count(r->s);
    bool changed = n != r->lines_seen;
    for (; r->lines_seen < n; r->lines_seen++) add_line(r, learn_line(r->s, r->lines_seen));
    /* the live probe: once a line decodes the new probe, the line is shown */
    if (r->have_live && n > r->probe_line0 && learn_line(r->s, n - 1)->has_probe) {
        shot_free(&r->live);
        r->have_live = false;
        changed = true;
    }
    changed |= poll_film(r);
    RunShared c = run_shared(r);
    changed |= c.changes != r->seen_changes;
    r->seen_changes = c.changes;
    /* steps per second over the last half second or more */
    double now = mono_now();
    if (c.state != RUN_TRAINING || c.steps < r->rate_steps) {
        r->rate = 0;
        r->rate_t = now;
        r->rate_steps = c.steps;
    } else if (now - r->rate_t >= 0.5) {
        r->rate = (double)(c.steps - r->rate_steps) / (now - r->rate_t);
        r->rate_t = now;
        r->rate_steps = c.steps;
    }
    return changed;
}

void run_curves(const TrainRun *r, VizCurves *out) {
    *out = (VizCurves){.name = r->label[0] ? r->label : NULL, .n = r->n_points, .n_held = r->n_held};
    for (int k = 0; k < VIZ_SERIES; k++) out->v[k] = r->series ? r->series + (size_t)k * r->cap_points : NULL;
    for (int k = 0; k < VIZ_HELD; k++) out->h[k] = r->held ? r->held + (size_t)k * r->cap_held : NULL;
}

static void with_ref(const TrainRun *r, VizProbe *p) {
    p->ref = r->n_ref ? (const char *const *)r->ref_tokens : NULL;
    p->R = r->n_ref;
}

void run_probe(const TrainRun *r, int film, VizProbe *out) {
    *out = (VizProbe){.entropy = NAN, .accuracy = NAN};
    if (film >= 0 && film < r->n_shots) {
        *out = r->shots[film].p;
    } else if (r->have_live) {
        *out = r->live.p;
    } else {
        /* the last line: it decodes the probe (lines from probe_line0 on do) */
        const LogLine *l = r->lines_seen > r->probe_line0 ? learn_line(r->s, r->lines_seen - 1) : NULL;
        if (!l || !l->has_probe) return;
        *out = (VizProbe){.step = l->step, .S = l->probe_S, .T = l->probe_T, .src = l->source_tokens,
                          .out = l->output_tokens, .w = l->weights, .entropy = l->entropy,
                          .accuracy = l->alignment_accuracy};
    }
    with_ref(r, out);
}

int run_film(const TrainRun *r, VizProbe *out, int cap) {
    int n = r->n_shots < cap ? r->n_shots : cap;
    for (int i = 0; i < n; i++) {
        out[i] = r->shots[i].p;
        with_ref(r, &out[i]);
    }
    return n;
}

void run_show_reset(TrainRun *r) {
    r->n_points = r->n_held = r->lines_seen = 0;
    free_shots(r);
    if (r->have_live) shot_free(&r->live);
    r->have_live = false;
    r->rate = 0;
    r->rate_steps = 0;
}

void run_show_free(TrainRun *r) {
    run_show_reset(r);
    free(r->shots);
    free(r->series);
    free(r->held);
    free(r->right);
    free_ref(r);
    r->shots = NULL;
    r->series = r->held = NULL;
    r->right = NULL;
    r->cap_shots = r->cap_points = r->cap_held = 0;
}
