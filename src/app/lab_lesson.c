/* lab_lesson.c — a lesson's lab slide (mode: lab): the mechanism lab beside the narration, its configurations like the slide's model, trained to the slide's steps.
 *
 * The configurations are the slide's model's configuration and recipe
 * (train_like_model, as the model menu's lab), each with the one change of
 * the slide's `lab:` value (lab.h), from the slide's seed on the same
 * batches: at step N every column shows what `attnviz learn --lab VALUE
 * --task T <the recipe's options> --steps N` prints, because the planned
 * steps only matter to a teacher-forcing schedule, and a lab with one runs
 * over exactly N steps. Otherwise the plan goes past N (the lab's own cap),
 * so Space trains on live from the slide's picture. Held-out figures are
 * measured every 100 steps, or every N when 100 does not divide N, so
 * there is one at step N (measuring takes nothing from training).
 *
 * A lab is known by its model file, probe, seed, lab: value and steps; the
 * next lab slide with the same goes on with it. Leaving lab slides (another
 * slide, the lesson closed, the app quit) frees it: lab_close stops and
 * joins every worker before freeing; a lab still being made is left to
 * finish on its thread and freed then (quitting waits for it).
 */
#include "app.h"

#include <stdio.h>
#include <string.h>


bool app_lab_slide(const App *a) {
    const AppLesson *l = &a->lesson;
    return a->mode == MODE_LESSON && lab_in_lesson(&a->lab) && l->loaded && l->lesson.n_slides > 0 &&
           l->lesson.slides[l->slide].lab && !l->slide_err[0];
}

static int slide_fail(App *a, const LessonSlide *s, const char *err) {
    AppLesson *l = &a->lesson;
    snprintf(l->slide_err, sizeof l->slide_err, "%.200s:%d: %.290s", l->lesson.path,
             s->dline[LD_LAB] ? s->dline[LD_LAB] : s->line, err);
    return -1;
}

void lab_lesson_failed(App *a, const char *err) {
    AppLesson *l = &a->lesson;
    if (l->loaded && l->lesson.n_slides > 0) slide_fail(a, &l->lesson.slides[l->slide], err);
}

void lab_leave_slide(App *a) {
    if (lab_in_lesson(&a->lab)) lab_close(a);   /* joins the workers; a lab being made finishes on its own */
}

/* A teacher-forcing schedule among the configurations: then the plan is
 * the slide's steps (the schedule runs over them, as --steps N). */
static bool has_schedule(const char *spec) {
    LabVariant v[LAB_MAX];
    char err[AV_ERR_LEN];
    int n = lab_parse(spec, v, err);
    for (int i = 0; i < n; i++)
        if (v[i].axis == LAB_TF && !v[i].tf_constant) return true;
    return false;
}

/* The probe's reference: the slide's target for its input, else what the
 * task makes plain (copy: the probe; reverse: the probe reversed). */
static void reference_of(const LessonSlide *s, const char *probe, const char *task, char *out, size_t cap) {
    out[0] = 0;
    if (probe == s->input && s->target) snprintf(out, cap, "%s", s->target);
    else app_task_reference(task, probe, out, cap);
}

/* A new lab for the slide, being made on its thread. */
static int new_lab(App *a, const LessonSlide *s, const char *path, long steps, const char *key) {
    char err[AV_ERR_LEN], ref[1024];
    Model m;
    if (model_load(&m, path, err) != 0) return slide_fail(a, s, err);
    TrainStart t;
    bool ok = train_like_model(&m, a->lesson.lesson.task, &t, err);
    model_free(&m);
    const Task *task = ok && t.task ? task_find(t.task) : NULL;
    if (!task) return slide_fail(a, s, ok ? "a lab slide's model must be trained on a task" : err);
    LearnDesc base = t.desc;
    if (s->set >> LD_SEED & 1) base.train.seed = s->seed;
    if (steps > 0 && (base.eval_every < 1 || steps % base.eval_every)) base.eval_every = steps;   /* measured at the slide's step */
    long cap = base.train.steps < LAB_MAX_STEPS ? base.train.steps : LAB_MAX_STEPS;
    long plan = steps > 0 && (has_schedule(s->lab_spec) || steps > cap) ? steps : cap;
    const char *probe = s->probe ? s->probe : s->input;
    reference_of(s, probe, task->name, ref, sizeof ref);
    lab_close(a);
    LabLoad *j = lab_load_start(&base, task, t.n_train, s->lab_spec, probe, ref[0] ? ref : NULL, plan, err);
    if (!j) return slide_fail(a, s, err);
    AppLab *l = &a->lab;
    l->load = j;
    l->axis = -1;
    l->back = MODE_LESSON;
    snprintf(l->what, sizeof l->what, "%s", task->name);
    snprintf(l->lesson_key, sizeof l->lesson_key, "%s", key);
    return 0;
}

int lab_enter_slide(App *a, const LessonSlide *s, bool animate, bool have_dir, const char *dir) {
    AppLab *l = &a->lab;
    char path[1200], key[sizeof l->lesson_key];
    if (train_slide_model_path(a, s, have_dir, dir, path, sizeof path) != 0) return -1;
    const char *probe = s->probe ? s->probe : s->input;
    unsigned long long seed = (s->set >> LD_SEED & 1) ? (unsigned long long)s->seed : 0;
    long target = s->train_steps, cap = a->opt.slide_steps_cap;
    if (cap > 0 && (target < 0 || target > cap)) target = cap;
    snprintf(key, sizeof key, "%.1000s\n%.160s\n%llu\n%.200s\n%ld", path, probe ? probe : "", seed, s->lab_spec,
             target);
    bool same = lab_in_lesson(l) && (l->n || l->load) && strcmp(l->lesson_key, key) == 0;
    if (!same && new_lab(a, s, path, target, key) != 0) return -1;
    l->speed = s->train_speed >= 0 ? run_speed_index(s->train_speed) : RUN_FULL;
    l->shown_plan = target;
    if (!same) {
        l->stop_at = target;
    } else if (target >= 0 && lab_steps(a) > target) {   /* trained on past the slide's steps: there again */
        lab_key_restart(a);
        l->playing = true;
        l->stop_at = target;
    }   /* else the same lab goes on from where the last slide left it */
    if (animate) return 0;            /* lab_mode_update takes the lab when made, then trains */
    /* a screenshot: the slide's picture now */
    lab_take_load(a);
    if (!l->n) return -1;   /* lab_lesson_failed said why */
    long to = target >= 0 ? target : l->plan;
    for (int i = 0; i < l->n; i++)
        if (run_shared(l->run[i]).steps < to) {
            run_pause_at(l->run[i], to);
            run_set_training(l->run[i], true);
        }
    for (int i = 0; i < l->n; i++) run_train_to(l->run[i], to, 3600);
    for (int i = 0; i < l->n; i++) run_set_training(l->run[i], false);
    l->playing = false;
    l->stop_at = -1;
    return 0;
}
