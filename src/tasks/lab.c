/* lab.c — the mechanism lab (lab.h): parsing its axis, applying a variant to a base configuration, and stepping the sessions in turn. */
#include "lab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct Lab {
    int n;
    LearnSession *s[LAB_MAX];
    LabVariant v[LAB_MAX];
};

/* ---- the axis ----------------------------------------------------------------------- */

static int parse_score(const char *item, LabVariant *v, char *err) {
    char name[LAB_LABEL];
    snprintf(name, sizeof name, "%s", item);
    char *plus = strchr(name, '+');
    if (plus) {
        if (strcmp(plus, "+reverse") != 0)
            return av_err(err, "--lab score: '%s': the only addition is +reverse (none+reverse)", item);
        *plus = 0;
        v->reverse = true;
    }
    if (score_parse(name, &v->score))
        return av_err(err, "--lab score: '%s' is not a score (none, dot, scaled_dot, general, concat, additive)",
                      item);
    return 0;
}

static int parse_tf(const char *item, LabVariant *v, char *err) {
    if (tf_schedule_parse(item, &v->schedule) == 0 && v->schedule != TF_CONSTANT) return 0;
    char *end;
    double p = strtod(item, &end);
    if (end == item || *end || !(p >= 0 && p <= 1))
        return av_err(err, "--lab tf: '%s' is neither a probability from 0 to 1 nor a schedule (linear, "
                           "exponential, inverse_sigmoid)", item);
    v->tf_constant = true;
    v->tf = (float)p;
    return 0;
}

static int parse_reverse(const char *item, LabVariant *v, char *err) {
    if (strcmp(item, "on") == 0) v->reverse = true;
    else if (strcmp(item, "off") != 0) return av_err(err, "--lab reverse: '%s': expected on or off", item);
    return 0;
}

int lab_parse(const char *spec, LabVariant *v, char *err) {
    static const char *const AXES[] = {"score", "tf", "reverse"};
    const char *eq = strchr(spec, '=');
    int axis = -1;
    for (int a = 0; eq && a < 3; a++)
        if ((size_t)(eq - spec) == strlen(AXES[a]) && strncmp(spec, AXES[a], (size_t)(eq - spec)) == 0) axis = a;
    if (axis < 0)
        return av_err(err, "--lab: expected score=A,B,..., tf=A,B,... or reverse=off,on, got '%.60s'", spec);
    int n = 0;
    for (const char *p = eq + 1;; n++) {
        const char *c = strchr(p, ',');
        size_t k = c ? (size_t)(c - p) : strlen(p);
        if (n == LAB_MAX) return av_err(err, "--lab: at most %d configurations", LAB_MAX);
        if (k == 0 || k >= LAB_LABEL)
            return av_err(err, "--lab %s: an empty or overlong entry (each up to %d characters)", AXES[axis],
                          LAB_LABEL - 1);
        v[n] = (LabVariant){.axis = (LabAxis)axis};
        memcpy(v[n].label, p, k);
        v[n].label[k] = 0;
        for (int j = 0; j < n; j++)
            if (strcmp(v[j].label, v[n].label) == 0)
                return av_err(err, "--lab %s: '%s' twice", AXES[axis], v[n].label);
        int bad = axis == LAB_SCORE ? parse_score(v[n].label, &v[n], err)
                  : axis == LAB_TF  ? parse_tf(v[n].label, &v[n], err)
                                    : parse_reverse(v[n].label, &v[n], err);
        if (bad) return -1;
        if (!c) break;
        p = c + 1;
    }
    n++;
    if (n < 2) return av_err(err, "--lab %s: a lab compares 2 to %d configurations, got 1", AXES[axis], LAB_MAX);
    return n;
}

const char *lab_variant_title(const LabVariant *v, char *buf, size_t cap) {
    snprintf(buf, cap, "%s%s", v->axis == LAB_TF ? "tf " : v->axis == LAB_REVERSE ? "reverse " : "", v->label);
    return buf;
}

int lab_apply(const LabVariant *v, const LearnDesc *base, LearnDesc *out, char *err) {
    *out = *base;
    ModelConfig *c = &out->cfg;
    switch (v->axis) {
    case LAB_SCORE: {
        c->score = v->score;
        bool needs_A = v->score == SCORE_CONCAT || v->score == SCORE_ADDITIVE;
        c->attn_dim = !needs_A ? 0 : base->cfg.attn_dim > 0 ? base->cfg.attn_dim : c->hidden;
        if (v->reverse) c->reverse_source = true;
        break;
    }
    case LAB_REVERSE: c->reverse_source = v->reverse; break;
    case LAB_TF:
        if (v->tf_constant) {
            out->train.tf_schedule = TF_CONSTANT;
            out->train.teacher_forcing = v->tf;
        } else {
            out->train.tf_schedule = v->schedule;
        }
        break;
    }
    return model_config_check(c, err) ? av_err(err, "%s: %s", v->label, err) : 0;
}

/* ---- the lab ------------------------------------------------------------------------ */

Lab *lab_adopt(LearnSession **sessions, const LabVariant *v, int n, char *err) {
    if (n < 2 || n > LAB_MAX) {
        av_err(err, "a lab compares 2 to %d configurations, got %d", LAB_MAX, n);
        return NULL;
    }
    Lab *lab = calloc(1, sizeof *lab);
    if (!lab) {
        av_err(err, "out of memory");
        return NULL;
    }
    lab->n = n;
    for (int i = 0; i < n; i++) {
        lab->s[i] = sessions[i];
        lab->v[i] = v[i];
    }
    return lab;
}

Lab *lab_create(const LearnDesc *base, const LabVariant *v, int n, const Pairs *train, const Pairs *test,
                char *err) {
    if (n < 2 || n > LAB_MAX) {
        av_err(err, "a lab compares 2 to %d configurations, got %d", LAB_MAX, n);
        return NULL;
    }
    LearnSession *s[LAB_MAX] = {0};
    for (int i = 0; i < n; i++) {
        LearnDesc d;
        char why[AV_ERR_LEN];
        if (lab_apply(&v[i], base, &d, err) == 0 && !(s[i] = learn_create(&d, train, test, why)))
            av_err(err, "%s: %s", v[i].label, why);
        if (!s[i]) {
            for (int j = 0; j < i; j++) learn_free(s[j]);
            return NULL;
        }
    }
    Lab *lab = lab_adopt(s, v, n, err);
    if (!lab)
        for (int i = 0; i < n; i++) learn_free(s[i]);
    return lab;
}

void lab_free(Lab *lab) {
    if (!lab) return;
    for (int i = 0; i < lab->n; i++) learn_free(lab->s[i]);
    free(lab);
}

int lab_step(Lab *lab, long n, char *err) {
    for (long k = 0; k < n; k++)
        for (int i = 0; i < lab->n; i++) {
            char why[AV_ERR_LEN];
            if (learn_step(lab->s[i], 1, NULL, why)) return av_err(err, "%s: %s", lab->v[i].label, why);
        }
    return 0;
}

int lab_restart(Lab *lab, char *err) {
    for (int i = 0; i < lab->n; i++) {
        char why[AV_ERR_LEN];
        if (learn_restart(lab->s[i], why)) return av_err(err, "%s: %s", lab->v[i].label, why);
    }
    return 0;
}

int lab_log_now(Lab *lab, bool heldout, char *err) {
    for (int i = 0; i < lab->n; i++) {
        char why[AV_ERR_LEN];
        if (learn_log_now(lab->s[i], heldout, why)) return av_err(err, "%s: %s", lab->v[i].label, why);
    }
    return 0;
}

int lab_count(const Lab *lab) { return lab->n; }
LearnSession *lab_session(Lab *lab, int i) { return i >= 0 && i < lab->n ? lab->s[i] : NULL; }
const LabVariant *lab_variant(const Lab *lab, int i) { return i >= 0 && i < lab->n ? &lab->v[i] : NULL; }

long lab_steps_done(Lab *lab) {
    long least = -1;
    for (int i = 0; i < lab->n; i++) {
        long k = learn_steps_done(lab->s[i]);
        if (least < 0 || k < least) least = k;
    }
    return least;
}

const LogLine *lab_line_at(Lab *lab, int i, long step) {
    LearnSession *s = lab_session(lab, i);
    if (!s) return NULL;
    int lo = 0, hi = learn_line_count(s) - 1;   /* lines are in step order */
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        const LogLine *l = learn_line(s, mid);
        if (l->step == step) return l;
        if (l->step < step) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

/* ---- the curves as CSV ---------------------------------------------------------------- */

static void csv_cell(FILE *fp, bool have, float v) {
    fputc(',', fp);
    if (have && isfinite(v)) fprintf(fp, "%.9g", (double)v);
}

int lab_csv(Lab *lab, FILE *fp) {
    fputs("step", fp);
    for (int i = 0; i < lab->n; i++)
        fprintf(fp, ",%s.loss,%s.heldout.exact,%s.heldout.token,%s.probe.alignment_accuracy", lab->v[i].label,
                lab->v[i].label, lab->v[i].label, lab->v[i].label);
    fputc('\n', fp);
    int rows = learn_line_count(lab->s[0]);
    for (int r = 0; r < rows; r++) {
        long step = learn_line(lab->s[0], r)->step;
        fprintf(fp, "%ld", step);
        for (int i = 0; i < lab->n; i++) {
            const LogLine *l = lab_line_at(lab, i, step);
            csv_cell(fp, l != NULL, l ? l->loss : 0);
            csv_cell(fp, l && l->has_heldout, l ? l->heldout_exact : 0);
            csv_cell(fp, l && l->has_heldout, l ? l->heldout_token : 0);
            csv_cell(fp, l && l->has_probe, l ? l->alignment_accuracy : 0);
        }
        fputc('\n', fp);
    }
    return ferror(fp) ? -1 : 0;
}
