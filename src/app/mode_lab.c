/* mode_lab.c — the mechanism lab in the window: 2 to 6 configurations from one seed and one data set learning side by side, live; where it opens from, its clock, its keys, its frame.
 *
 * Each configuration is a TrainRun (train_run.c) with its own worker, as
 * the training mode's run. The main thread keeps them in step: it gives
 * every run the same steps (one at a time below full speed, a chunk at full
 * speed) and gives more only when every run has taken them, so the columns
 * always show the same step and a slower configuration (concat, a long
 * copy) never falls behind on screen. Pausing stops giving steps: what was
 * given is finished, so they stop together.
 *
 * The axes are the three: the scores against each other (with
 * none), teacher forcing always / scheduled / never, and the reversed input
 * on long copy (with attention, without, without but reversed). Every
 * configuration is `attnviz learn --lab` with the same entries (lab.h).
 */
#include "app.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tasks/learn_data.h"
#include "../viz/lab_view.h"
#include "keys.h"

static const struct {
    const char *spec;         /* as `learn --lab` takes it */
    const char *task;         /* its own data, or NULL: the model's */
    const char *probe;        /* its own probe, or NULL */
    UiStr name;
} AXES[LAB_AXES] = {
    {"score=dot,general,additive,none", NULL, NULL, UI_LAB_AXIS_SCORE},
    {"tf=1,linear,0", NULL, NULL, UI_LAB_AXIS_TF},
    {"score=general,none,none+reverse", "copy", "thebottleneckisonevectorforthewholesentence", UI_LAB_AXIS_REVERSE},
};

enum { FULL_CHUNK = 20 };
static const double FRAME_SECONDS = 1.0 / 30;   /* while training */

static double now_s(void) { return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency(); }

/* ---- opening and closing ---- */

/* The next lab, made on its own thread: loading the data and making a
 * model per configuration (with its step-0 line and held-out measure) takes
 * a second or more, which the window must not wait for. The main thread
 * reads the result only after `done`, and joins the thread first. */
struct LabLoad {
    pthread_t thread;
    atomic_bool done;
    LearnDesc base;           /* in */
    const Task *task;
    int axis;                 /* the key's axis, or -1: a lesson's lab: value */
    char spec[256];           /* what the lab varies, as `learn --lab` takes it */
    long n_train, plan;
    char probe[TASK_MAX_TEXT + 1], ref[TASK_MAX_TEXT + 1];
    char given_task[64], given[1024], given_ref[1024];   /* what it was opened on */
    TrainRun *runs[LAB_MAX];  /* out: n of them, or n -1 and err */
    int n;
    char err[AV_ERR_LEN];
};

static void load_free(LabLoad *j) {
    pthread_join(j->thread, NULL);
    for (int i = 0; i < j->n; i++) run_free(j->runs[i]);
    free(j);
}

/* A lab being made that is no longer wanted (Esc, another slide, another
 * axis): its thread is left to finish (loading the data takes a second or
 * more, which the window must not wait for), and freed once done. */
static void load_drop(App *a, LabLoad *j) {
    AppLab *l = &a->lab;
    int cap = (int)(sizeof l->dropped / sizeof *l->dropped);
    if (atomic_load(&j->done) || l->n_dropped == cap) load_free(j);   /* done, or too many: wait */
    else l->dropped[l->n_dropped++] = j;
}

/* Free the dropped labs whose threads are done (all of them when wait). */
static void reap_dropped(App *a, bool wait) {
    AppLab *l = &a->lab;
    int k = 0;
    for (int i = 0; i < l->n_dropped; i++) {
        LabLoad *j = l->dropped[i];
        if (wait || atomic_load(&j->done)) load_free(j);
        else l->dropped[k++] = j;
    }
    l->n_dropped = k;
}

int lab_dropped(const App *a) { return a->lab.n_dropped; }

void lab_shutdown(App *a) {
    lab_close(a);
    reap_dropped(a, true);
}

void lab_close(App *a) {
    AppLab *l = &a->lab;
    if (l->load) load_drop(a, l->load);
    l->load = NULL;
    for (int i = 0; i < l->n; i++) run_free(l->run[i]);   /* joins each worker */
    l->n = 0;
    l->playing = false;
    l->lesson_key[0] = 0;
    l->stop_at = -1;
}

/* The runs of axis `axis` on the loaded data: n, or -1 with err (the ones made are freed). */
static int make_runs(const LearnDesc *base, const Task *task, const char *spec, const Pairs *train, const Pairs *test,
                     const char *probe, const char *ref, long plan, TrainRun **out, char *err) {
    LabVariant v[LAB_MAX];
    int n = lab_parse(spec, v, err);
    for (int i = 0; i < n; i++) {
        LearnDesc d;
        LearnSession *s = NULL;
        char label[LAB_LABEL + 16];
        RunDesc rd = {.plan = plan, .label = lab_variant_title(&v[i], label, sizeof label), .probe = probe,
                      .reference = ref, .task = task, .speed = 0};
        if (lab_apply(&v[i], base, &d, err) == 0) {
            d.probe = probe;
            d.task = task;
            d.name = task->name;
            d.film = false;
            d.train.steps = plan;
            d.made_by = "attnviz lab";
            s = learn_create(&d, train, test, err);
        }
        out[i] = s ? run_create(s, &rd, err) : NULL;   /* run_create frees s when it fails */
        if (!out[i]) {
            for (int j = 0; j < i; j++) run_free(out[j]);
            return -1;
        }
    }
    return n;
}

static void *load_main(void *arg) {
    LabLoad *j = arg;
    Pairs train, test;
    LearnDataDesc dd = {.task = j->task, .n_train = j->n_train, .seed = j->base.train.seed};
    j->n = -1;
    if (learn_data_load(&dd, &train, &test, NULL, j->err) == 0) {
        j->n = make_runs(&j->base, j->task, j->spec, &train, &test, j->probe[0] ? j->probe : NULL,
                         j->ref[0] ? j->ref : NULL, j->plan, j->runs, j->err);
        pairs_free(&train);
        pairs_free(&test);
    }
    atomic_store(&j->done, true);
    return NULL;
}

/* A lab to make on its own thread: its data, configurations and probe. */
static LabLoad *load_new(const LearnDesc *base, const Task *task, long n_train, const char *spec, long plan) {
    LabLoad *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    snprintf(j->spec, sizeof j->spec, "%s", spec);
    j->base = *base;
    j->base.cfg.reverse_source = false;   /* the lab compares on the input as written */
    j->base.train.steps = plan;
    j->plan = plan;
    j->task = task;
    j->axis = -1;
    j->n_train = n_train;
    atomic_init(&j->done, false);
    return j;
}

/* Start making it: 0, or -1 with err (j is freed). */
static int load_go(LabLoad *j, char *err) {
    if (pthread_create(&j->thread, NULL, load_main, j) == 0) return 0;
    free(j);
    return av_err(err, "cannot start a thread");
}

LabLoad *lab_load_start(const LearnDesc *base, const Task *task, long n_train, const char *spec, const char *probe,
                        const char *reference, long plan, char *err) {
    LabLoad *j = load_new(base, task, n_train, spec, plan);
    if (!j) return av_err(err, "out of memory"), NULL;
    snprintf(j->probe, sizeof j->probe, "%s", probe ? probe : "");
    snprintf(j->ref, sizeof j->ref, "%s", reference ? reference : "");
    snprintf(j->given, sizeof j->given, "%.1000s", j->probe);
    snprintf(j->given_ref, sizeof j->given_ref, "%.1000s", j->ref);
    snprintf(j->given_task, sizeof j->given_task, "%s", task->name);
    return load_go(j, err) == 0 ? j : NULL;
}

int lab_open(App *a, const LearnDesc *base, const char *task_name, long n_train, int axis, const char *probe,
             const char *reference, char *err) {
    if (axis < 0 || axis >= LAB_AXES) return av_err(err, "no such axis");
    const char *data = AXES[axis].task ? AXES[axis].task : task_name;
    const Task *task = data ? task_find(data) : NULL;
    if (!task) return av_err(err, "the lab trains on a task; this model's data is %s", data ? data : "unknown");
    long steps = base->train.steps;
    LabLoad *j = load_new(base, task, n_train, AXES[axis].spec, steps > 0 && steps < LAB_MAX_STEPS ? steps : LAB_MAX_STEPS);
    if (!j) return av_err(err, "out of memory");
    j->axis = axis;
    snprintf(j->given_task, sizeof j->given_task, "%s", task_name ? task_name : "");
    snprintf(j->given, sizeof j->given, "%s", probe ? probe : "");
    snprintf(j->given_ref, sizeof j->given_ref, "%s", reference ? reference : "");
    /* an axis with its own data has its own probe (or the task's example) */
    if (AXES[axis].probe || strcmp(data, task_name ? task_name : "") != 0) probe = AXES[axis].probe, reference = NULL;
    if (probe && !probe[0]) probe = reference = NULL;
    char *p = j->probe, *r = j->ref;
    if (probe) snprintf(p, sizeof j->probe, "%s", probe);
    else if (app_task_example(task->name, NULL, NULL, base->cfg.tokenizer, 0, p, r, sizeof j->probe) < 0) p[0] = 0;
    if (reference) snprintf(r, sizeof j->ref, "%s", reference);
    else app_task_reference(task->name, p, r, sizeof j->ref);
    if (load_go(j, err) != 0) return -1;
    AppLab *l = &a->lab;
    if (a->mode != MODE_LAB) {   /* a new lab: its screen says it is being made */
        lab_close(a);
        l->back = a->mode;
        l->resume = false;
        l->speed = RUN_FULL;
        a->mode = MODE_LAB;
    } else if (l->load) {
        load_drop(a, l->load);   /* asked again before it was ready: the last one counts */
    }
    l->load = j;
    if (!l->n) {   /* the title while it is made */
        snprintf(l->what, sizeof l->what, "%s", task->name);
        l->axis = axis;
    }
    a->view.help = false;
    a->w.dirty = true;
    return 0;
}

/* Back to where the lab was opened from (its runs are gone). */
static void go_back(App *a) {
    AppLab *l = &a->lab;
    AppMode back = l->back;
    bool resume = l->resume;
    lab_close(a);
    if (back == MODE_TRAIN && !a->train.run) back = MODE_VIEW;
    a->mode = back == MODE_LAB ? MODE_VIEW : back;
    if (a->mode == MODE_TRAIN && resume) run_set_training(a->train.run, true);
    a->w.dirty = true;
}

static void say_fail(App *a, const char *err);

/* The lab made on its thread replaces the one on screen, and trains. */
void lab_take_load(App *a) {
    AppLab *l = &a->lab;
    LabLoad *j = l->load;
    if (!j) return;
    l->load = NULL;
    pthread_join(j->thread, NULL);
    if (j->n < 0) {
        if (lab_in_lesson(l)) lab_lesson_failed(a, j->err);
        else say_fail(a, j->err);
        free(j);
        if (!l->n && !lab_in_lesson(l)) go_back(a);   /* nothing to show: where it came from */
        return;
    }
    for (int i = 0; i < l->n; i++) run_free(l->run[i]);
    memcpy(l->run, j->runs, sizeof(TrainRun *) * (size_t)j->n);
    l->n = j->n;
    j->n = 0;
    l->axis = j->axis;
    l->playing = true;
    l->single = 0;
    l->due = now_s();
    l->plan = j->plan;
    l->base = j->base;
    l->n_train = j->n_train;
    l->rate = 0;
    snprintf(l->task, sizeof l->task, "%s", j->given_task);
    snprintf(l->probe, sizeof l->probe, "%s", j->given);
    snprintf(l->reference, sizeof l->reference, "%s", j->given_ref);
    snprintf(l->what, sizeof l->what, "%s", j->task->name);
    free(j);
    a->w.dirty = true;
}

static void say_fail(App *a, const char *err) {
    char msg[AV_ERR_LEN + 80];
    snprintf(msg, sizeof msg, app_str(a, UI_M_LAB_FAIL), err);
    app_say(a, msg);
}

void lab_from_training(App *a) {
    AppTrain *t = &a->train;
    char err[AV_ERR_LEN];
    if (!t->run) return;
    RunShared c = run_shared(t->run);
    bool was = c.state == RUN_TRAINING;
    run_set_training(t->run, false);   /* two cores: the lab gets them */
    if (lab_open(a, &t->desc, t->task[0] ? t->task : NULL, t->n_train, 0, t->run->probe, t->run->reference, err) != 0) {
        if (was) run_set_training(t->run, true);
        say_fail(a, err);
        return;
    }
    a->lab.resume = was;
}

void lab_from_view(App *a) {
    const AppSession *s = &a->session;
    char err[AV_ERR_LEN];
    TrainStart t;
    if (!s->have_model) {
        app_say(a, app_str(a, UI_M_MENU_DEMO));
        return;
    }
    if (!train_like_model(&s->model, s->task, &t, err) ||
        lab_open(a, &t.desc, t.task, t.n_train, 0, s->input, s->target[0] ? s->target : NULL, err) != 0)
        say_fail(a, err);
}

/* ---- the clock: every run the same steps ---- */

/* The fewest steps of the runs still going (done and failed ones aside);
 * false while any is busy. *live: how many still go. */
static bool all_idle(App *a, long *lo, int *live) {
    AppLab *l = &a->lab;
    *lo = LONG_MAX;
    *live = 0;
    for (int i = 0; i < l->n; i++) {
        RunShared c = run_shared(l->run[i]);
        if (c.stepping || c.single > 0 || c.state == RUN_TRAINING) return false;
        if (c.state != RUN_PAUSED) continue;
        (*live)++;
        if (c.steps < *lo) *lo = c.steps;
    }
    return true;
}

/* Every run still going to step `to`: at full speed in one go, else one
 * logged step at a time (the probe then changes with every step). */
static void give(App *a, long to, bool full) {
    AppLab *l = &a->lab;
    for (int i = 0; i < l->n; i++) {
        RunShared c = run_shared(l->run[i]);
        if (c.state != RUN_PAUSED || c.steps >= to) continue;
        if (full) {
            run_pause_at(l->run[i], to);
            run_set_training(l->run[i], true);
        } else {
            for (long k = c.steps; k < to; k++) run_single_step(l->run[i]);
        }
    }
}

static void schedule(App *a) {
    AppLab *l = &a->lab;
    long lo;
    int live;
    if (!all_idle(a, &lo, &live)) return;
    if (live == 0) {   /* every run done (or stopped) */
        l->playing = false;
        l->single = 0;
        return;
    }
    if (l->single > 0) {
        l->single--;
        give(a, lo + 1, false);
        return;
    }
    if (!l->playing) return;
    if (l->stop_at >= 0 && lo >= l->stop_at) {   /* a lab slide's steps: it waits there for Space */
        l->playing = false;
        l->stop_at = -1;
        return;
    }
    long most = l->stop_at >= 0 ? l->stop_at - lo : LONG_MAX;
    int sp = RUN_SPEED[l->speed];
    if (sp <= 0) {
        give(a, lo + (FULL_CHUNK < most ? FULL_CHUNK : most), true);
        return;
    }
    double now = now_s();
    if (now < l->due) return;
    long k = 1 + (long)((now - l->due) * sp), burst = sp / 10 > 1 ? sp / 10 : 1;
    if (k > burst) k = burst;   /* late (the runs were slow): never a burst to catch up */
    if (k > most) k = most;
    l->due = fmax(l->due + (double)k / sp, now);
    give(a, lo + k, false);
}

long lab_steps(App *a) {
    AppLab *l = &a->lab;
    long lo = l->n ? LONG_MAX : 0;
    for (int i = 0; i < l->n; i++) {
        long k = run_shared(l->run[i]).steps;
        if (k < lo) lo = k;
    }
    return lo;
}

bool lab_busy(App *a) {
    long lo;
    int live;
    return a->lab.load || a->lab.single > 0 || !all_idle(a, &lo, &live);
}

bool lab_loading(const App *a) { return a->lab.load != NULL; }

/* The lab is on screen: its own mode, or a lesson's lab slide. */
bool lab_shown(const App *a) { return a->mode == MODE_LAB || app_lab_slide(a); }

bool lab_animating(const App *a) {
    const AppLab *l = &a->lab;
    if (!lab_shown(a) || (!l->n && !l->load)) return false;
    return l->playing || l->single > 0 || l->pending || lab_busy((App *)a);
}

void lab_mode_update(App *a, double dt) {
    (void)dt;
    AppLab *l = &a->lab;
    if (l->n_dropped) reap_dropped(a, false);
    if (!lab_shown(a)) return;
    if (l->load && atomic_load(&l->load->done)) lab_take_load(a);
    if (!lab_shown(a) || !l->n) return;
    for (int i = 0; i < l->n; i++) l->pending |= run_poll(l->run[i]);
    schedule(a);
    double now = now_s();
    long k = lab_steps(a);
    if (!l->playing || k < l->rate_steps) {
        l->rate = 0;
        l->rate_t = now;
        l->rate_steps = k;
    } else if (now - l->rate_t >= 0.5) {
        l->rate = (double)(k - l->rate_steps) / (now - l->rate_t);
        l->rate_t = now;
        l->rate_steps = k;
    }
    if (l->pending && (!l->playing || now - l->drawn_at >= FRAME_SECONDS)) {
        a->w.dirty = true;
        l->pending = false;
    }
}

/* ---- the keys (keys.c) ---- */

static bool all_done(App *a) {
    long lo;
    int live;
    return all_idle(a, &lo, &live) && live == 0;
}

void lab_key_play(App *a) {
    AppLab *l = &a->lab;
    if (!l->n) return;   /* still being made */
    if (all_done(a)) {
        app_say(a, app_str(a, UI_TV_DONE));
        return;
    }
    l->playing = !l->playing;
    l->due = now_s();
}

void lab_key_step(App *a) {
    if (!a->lab.n) return;   /* still being made */
    a->lab.playing = false;
    a->lab.single++;
}

void lab_key_speed(App *a, int dir) {
    AppLab *l = &a->lab;
    if (!l->n) return;   /* still being made */
    l->speed += dir;
    if (l->speed < 0) l->speed = 0;
    if (l->speed > RUN_FULL) l->speed = RUN_FULL;
    l->due = now_s();
}

void lab_key_restart(App *a) {
    AppLab *l = &a->lab;
    if (!l->n) return;   /* still being made */
    char err[AV_ERR_LEN];
    bool done = all_done(a);
    for (int i = 0; i < l->n; i++) {   /* nothing left to take: no step past the restart */
        run_set_training(l->run[i], false);
        run_pause_at(l->run[i], 0);
    }
    for (int i = 0; i < l->n; i++)
        if (run_restart(l->run[i], err) != 0) app_say(a, err);
    l->single = 0;
    l->due = now_s();
    if (done) l->playing = true;   /* a finished lab goes again */
}

void lab_key_axis(App *a, int axis) {
    AppLab *l = &a->lab;
    /* a lab still being made counts, with what it was opened on (its thread
     * only reads these); else the one on screen */
    const LabLoad *j = l->load;
    char err[AV_ERR_LEN], probe[1024], ref[1024], task[64];
    snprintf(probe, sizeof probe, "%s", j ? j->given : l->probe);   /* lab_open replaces both */
    snprintf(ref, sizeof ref, "%s", j ? j->given_ref : l->reference);
    snprintf(task, sizeof task, "%s", j ? j->given_task : l->task);
    LearnDesc base = j ? j->base : l->base;
    long n_train = j ? j->n_train : l->n_train;
    if (lab_open(a, &base, task[0] ? task : NULL, n_train, axis, probe[0] ? probe : NULL, ref[0] ? ref : NULL,
                 err) != 0)
        say_fail(a, err);
}

void lab_key_back(App *a) {
    if (a->view.help) {
        a->view.help = false;
        return;
    }
    go_back(a);
}

/* ---- the events and the frame ---- */

void lab_mode_event(App *a, const SDL_Event *e) {
    if (view_overlays_event(a, e)) return;
    if (e->type == SDL_KEYDOWN) keys_dispatch(a, app_key_context(a), &e->key);
    else if (e->type == SDL_MOUSEMOTION) {
        a->ui.mouse_in = true;
        a->ui.mouse_x = (float)e->motion.x;
        a->ui.mouse_y = (float)e->motion.y;
    }
}

/* The lab's state line: training / paused / done, and the speed. */
static void status(App *a, char *out, size_t cap, bool *on) {
    AppLab *l = &a->lab;
    char sp[48];
    int s = RUN_SPEED[l->speed];
    if (s > 0) snprintf(sp, sizeof sp, app_str(a, UI_TV_SPEED), s);
    else snprintf(sp, sizeof sp, "%s", app_str(a, UI_TV_FULL));
    *on = l->playing;
    if (l->load) snprintf(out, cap, "%s", app_str(a, UI_LAB_PREPARING));
    else if (all_done(a)) snprintf(out, cap, "%s", app_str(a, UI_TV_DONE));
    else snprintf(out, cap, app_str(a, l->playing ? UI_TV_TRAINING : UI_TV_PAUSED), sp);
}

void lab_mode_frame(App *a, float W, float H) {
    lab_frame(a, W, H, 0);
    lab_overlays(a, W, H);
}

void lab_frame(App *a, float W, float H, float text_min) {
    AppLab *l = &a->lab;
    VizLabRun vr[LAB_MAX];
    for (int i = 0; i < l->n; i++) {
        TrainRun *r = l->run[i];
        run_poll(r);   /* a screenshot draws without the loop's update */
        VizProbe p;
        VizCurves c;
        run_probe(r, -1, &p);
        run_curves(r, &c);
        int h = c.n_held;
        vr[i] = (VizLabRun){.label = r->label, .S = p.S, .T = p.T, .src = p.src, .out = p.out, .w = p.w,
                            .ref = p.ref, .R = p.R, .exact = h ? c.h[VIZ_HELD_EXACT][h - 1] : NAN,
                            .token = h ? c.h[VIZ_HELD_TOKEN][h - 1] : NAN, .n = c.n, .step = c.v[VIZ_CURVE_STEP],
                            .loss = c.v[VIZ_CURVE_LOSS], .n_held = h, .held_step = c.h[VIZ_HELD_STEP],
                            .held_token = c.h[VIZ_HELD_TOKEN]};
    }
    char st[120], rate[64] = "";
    bool on;
    status(a, st, sizeof st, &on);
    if (on && l->rate > 0) snprintf(rate, sizeof rate, app_str(a, UI_TV_RATE), l->rate);
    const char *lang = app_lang(a);
    char what[400];
    if (l->axis >= 0 && l->axis < LAB_AXES) snprintf(what, sizeof what, "%s · %s", l->what, app_str(a, AXES[l->axis].name));
    else snprintf(what, sizeof what, "%s", l->what);   /* a lesson's lab: its slide says what it compares */
    long step = lab_steps(a), plan = l->n ? l->plan : 0;   /* being made: no step yet */
    if (lab_in_lesson(l) && l->shown_plan > 0 && l->n) plan = step > l->shown_plan ? step : l->shown_plan;   /* the slide's span */
    VizLab vl = {.what = what, .step = step, .plan = plan, .runs = vr, .n = l->n, .dark = a->ui.dark,
                 .lang = lang, .status = l->n ? st : NULL, .status_on = on, .rate = rate[0] ? rate : NULL,
                 .keys = lab_in_lesson(l) ? NULL : app_str(a, UI_LAB_KEYS), .note = l->n ? NULL : app_str(a, UI_LAB_PREPARING),
                 .text_min = text_min};
    DrawList *dl = &a->w.dl;
    dl_clear(dl);
    viz_lab_build(dl, &vl, W, H);
    l->drawn_at = now_s();
}

/* The help (?) and the status line, or why a configuration stopped. */
void lab_overlays(App *a, float W, float H) {
    AppLab *l = &a->lab;
    const char *lang = app_lang(a);
    char failed[AV_ERR_LEN + 120] = "";
    for (int i = 0; i < l->n && !failed[0]; i++) {
        RunShared s = run_shared(l->run[i]);
        if (s.state != RUN_FAILED) continue;
        char e[AV_ERR_LEN + 60];
        snprintf(e, sizeof e, "%.60s: %.400s", l->run[i]->label, s.error);
        snprintf(failed, sizeof failed, app_str(a, UI_M_TRAIN_STOPPED), e);
    }
    DrawList *dl = &a->w.dl;
    int n_help;
    const VizHelpLine *help = keys_help(app_key_context(a), lang, &n_help);
    const char *msg = a->ui.message[0] ? a->ui.message : failed[0] ? failed : NULL;
    VizTrain vt = {.dark = a->ui.dark, .help = a->view.help, .lang = lang, .message = msg, .help_lines = help,
                   .help_n = n_help};
    viz_train_overlays(dl, &vt, W, H);
}
