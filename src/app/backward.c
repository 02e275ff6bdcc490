/* backward.c — the backward pass on screen: the gradient of the session's decoding against its reference (B), the view's clock with the backward phases, and η of the one SGD step (, . and the slider).
 *
 * The gradient comes from the engine's own backward pass
 * (seq2seq_grad_trace), and its forward pass replaces the session's trace:
 * the picture shows exactly the decoding that was differentiated. A new η
 * replays only the step after the update (seq2seq_after_step), so the slider
 * redraws within a frame.
 */
#include "app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/tokenize.h"

int app_step_phases(const App *a) { return a->back.on && a->back.have ? VIZ_PHASES_BACKWARD : PH_COUNT; }

static float lr_of(const App *a) { return a->back.lr > 0 ? a->back.lr : APP_DEFAULT_LR; }

void app_backward_free(App *a) {
    if (a->back.have) grad_trace_free(&a->back.grad);
    a->back.have = false;
}

/* The gradient of the session's input against its reference, and the forward
 * pass it came with in place of the session's trace. */
static int compute(App *a, char *err) {
    AppSession *s = &a->session;
    if (!s->have_model) return av_err(err, "%s", app_str(a, UI_M_BACK_DEMO));
    if (!s->target[0]) return av_err(err, "%s", app_str(a, UI_M_BACK_NEEDS_REF));
    char line[400], e[AV_ERR_LEN];   /* a reference token read as <unk> would make the loss meaningless */
    if (unknown_tokens_line(&s->model.tgt, s->model.cfg.tokenizer, s->target, line, sizeof line) > 0)
        return av_err(err, app_str(a, UI_M_BACK_UNKNOWN), line);
    int *src, S, *ref, R;
    if (app_tokenize(&s->model, s->input, s->target, &src, &S, &ref, &R, e) != 0)
        return av_err(err, app_str(a, UI_M_BACK_FAILED), e);
    DecodeDesc dd = {.reference = ref, .ref_len = R, .teacher_forcing = s->tf_on ? s->tf_p : 0, .seed = s->seed};
    GradTrace g;
    Trace tr;
    int rc = seq2seq_grad_trace(&s->model, src, S, &dd, lr_of(a), &g, &tr, e);
    free(src);
    free(ref);
    if (rc != 0) return av_err(err, app_str(a, UI_M_BACK_FAILED), e);
    app_backward_free(a);
    a->back.grad = g;
    a->back.have = true;
    if (s->have_trace) trace_free(&s->trace);
    s->trace = tr;
    s->have_trace = true;
    return 0;
}

/* τ in one clock → the other: the same step; a backward phase becomes the
 * end of the step's forward phases, a forward phase keeps its place. */
static double convert_clock(const Trace *tr, double tau, int from, int to) {
    int step, ph;
    float pr;
    viz_clock_n(tr, from, tau, &step, &ph, &pr);
    if (ph >= to) return viz_tau_at_n(tr, to, step + 1, PH_COUNT - 1) + 0.99999;
    return viz_tau_at_n(tr, to, step + 1, ph) + pr;
}

int app_set_backward(App *a, bool on, char *err) {
    AppView *v = &a->view;
    int from = app_step_phases(a);
    if (on && !a->back.have && compute(a, err) != 0) return -1;
    a->back.on = on;
    if (!on) app_backward_free(a);
    int to = app_step_phases(a);
    if (from != to && a->session.have_trace) {
        const Trace *tr = &a->session.trace;
        v->tau = convert_clock(tr, v->tau, from, to);
        v->stop_at = 0;
        if (on) {   /* straight to the step's first backward phase, played once */
            int step, ph;
            float pr;
            viz_clock_n(tr, to, v->tau, &step, &ph, &pr);
            v->tau = viz_tau_at_n(tr, to, step + 1, PH_COUNT + BPH_LOSS);
            v->stop_at = v->tau + 0.99999;
        }
    }
    a->w.dirty = true;
    return 0;
}

void app_toggle_backward(App *a) {
    char err[AV_ERR_LEN];
    if (a->back.on) {
        app_set_backward(a, false, err);
        return;
    }
    if (a->session.have_model && !a->session.target[0]) {   /* no reference: say how to give one, then go on */
        editor_open(a, 1);
        app_say(a, app_str(a, UI_M_BACK_NEEDS_REF));
        a->back.want = true;
        return;
    }
    if (app_set_backward(a, true, err) != 0) app_say(a, err);
}

void app_backward_refresh(App *a) {
    char err[AV_ERR_LEN], msg[AV_ERR_LEN + 64];
    bool wanted = a->back.want;   /* B asked for a reference: this decoding may bring it */
    a->back.want = false;
    app_backward_free(a);
    if (wanted && !a->back.on && a->session.target[0] && app_set_backward(a, true, err) != 0) app_say(a, err);
    if (!a->back.on || a->back.have) return;
    a->back.on = false;   /* the clock of the new decoding is forward until the gradient is there */
    if (!a->session.have_trace) return;
    if (compute(a, err) != 0) {
        snprintf(msg, sizeof msg, app_str(a, UI_M_BACK_OFF), err);
        app_say(a, msg);
        const Trace *tr = &a->session.trace;
        a->view.tau = convert_clock(tr, a->view.tau, VIZ_PHASES_BACKWARD, PH_COUNT);
        a->view.stop_at = 0;
        return;
    }
    a->back.on = true;
}

void app_set_lr(App *a, float lr) {
    char err[AV_ERR_LEN];
    a->back.lr = lr < 1e-3f ? 1e-3f : lr > 10 ? 10 : lr;
    a->w.dirty = true;
    if (a->back.have && seq2seq_after_step(&a->session.model, &a->back.grad, a->back.lr, err) != 0) app_say(a, err);
}

/* η's ladder: 1, 2, 5 in every decade from 0.001 to 10 */
static float lr_notch(float lr, int dir) {
    static const float L[] = {0.001f, 0.002f, 0.005f, 0.01f, 0.02f, 0.05f, 0.1f, 0.2f, 0.5f, 1, 2, 5, 10};
    enum { N = sizeof L / sizeof *L };
    if (dir > 0) {
        for (int i = 0; i < N; i++)
            if (L[i] > lr * 1.0001f) return L[i];
        return L[N - 1];
    }
    for (int i = N - 1; i >= 0; i--)
        if (L[i] < lr * 0.9999f) return L[i];
    return L[0];
}

void app_step_lr(App *a, int dir) {
    app_set_lr(a, lr_notch(lr_of(a), dir));
    if (!a->back.on || !a->back.have) {   /* nothing on screen shows η yet: say it */
        char msg[96];
        snprintf(msg, sizeof msg, app_str(a, UI_M_LR), (double)a->back.lr);
        app_say(a, msg);
        return;
    }
    /* show what it changes: this step's one-step phase, complete */
    const Trace *tr = &a->session.trace;
    int step, ph;
    float pr;
    viz_clock_n(tr, VIZ_PHASES_BACKWARD, a->view.tau, &step, &ph, &pr);
    if (ph != PH_COUNT + BPH_STEP) {
        a->view.tau = viz_tau_at_n(tr, VIZ_PHASES_BACKWARD, step + 1, PH_COUNT + BPH_STEP) + 0.99999;
        a->view.stop_at = 0;
        a->view.playing = false;
    }
}

bool app_lr_slider(App *a, float x, float y) {
    const DrawList *dl = &a->w.dl;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->tag != VIZ_TAG_LR_SLIDER) continue;
        if (!a->back.sliding && (x < c->x - 6 || x > c->x + c->w + 6 || y < c->y - 10 || y > c->y + c->h + 10)) return false;
        float k = (x - c->x) / c->w;
        k = k < 0 ? 0 : k > 1 ? 1 : k;
        float lr = powf(10, k * 4 - 3);   /* panel_back_step.c: log scale 10^-3 … 10^1 */
        float mag = powf(10, floorf(log10f(lr)) - 1);
        app_set_lr(a, roundf(lr / mag) * mag);   /* two significant digits */
        return true;
    }
    return false;
}
