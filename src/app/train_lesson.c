/* train_lesson.c — a lesson's training slide (mode: train): the training beside the narration, a run like the slide's model, on its probe, to its steps at its speed.
 *
 * A run is known by its model file, its probe and its seed. The next
 * training slide with the same three goes on with it: a lesson trains in
 * stages ("steps: 0" shows the untrained model and asks the class what the
 * matrix will become; "steps: 300" trains on and shows it). Going back to a
 * slide whose steps the run has passed starts it again from its seed and
 * trains it to those steps at full speed: every slide shows the same
 * picture whichever way the class arrives (training is deterministic).
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why the slide cannot be shown, in place of the training. */
static int slide_fail(App *a, const LessonSlide *s, const char *err) {
    AppLesson *l = &a->lesson;
    snprintf(l->slide_err, sizeof l->slide_err, "%.200s:%d: %.290s", l->lesson.path,
             s->dline[LD_MODE] ? s->dline[LD_MODE] : s->line, err);
    return -1;
}

/* A new run for the slide: like its model, on its probe and seed. */
static int new_run(App *a, const LessonSlide *s, const char *path, const char *probe, const char *key) {
    char err[AV_ERR_LEN], model_task[64] = "";
    Model m;
    if (model_load(&m, path, err) != 0) return slide_fail(a, s, err);
    TrainStart t;
    bool ok = train_like_model(&m, a->lesson.lesson.task, &t, err);
    if (m.task) snprintf(model_task, sizeof model_task, "%s", m.task);
    model_free(&m);
    if (!ok || !t.task) return slide_fail(a, s, ok ? "a training slide's model must be trained on a task" : err);
    if (s->set >> LD_SEED & 1) t.desc.train.seed = s->seed;
    if (s->train_steps > t.desc.train.steps) t.desc.train.steps = s->train_steps;
    t.probe = probe;
    t.reference = probe == s->input && s->target ? s->target : NULL;
    t.training = false;
    t.speed = RUN_FULL;
    const char *slash = strrchr(path, '/');
    char name[96];
    snprintf(name, sizeof name, "%.80s", slash ? slash + 1 : path);
    if (strrchr(name, '.')) *strrchr(name, '.') = 0;
    t.name = name;
    if (train_start(a, &t, err) != 0) return slide_fail(a, s, err);
    a->mode = MODE_LESSON;
    snprintf(a->train.lesson_key, sizeof a->train.lesson_key, "%s", key);
    return 0;
}

int train_slide_model_path(App *a, const LessonSlide *s, bool have_dir, const char *dir, char *path, size_t cap) {
    AppLesson *l = &a->lesson;
    char name[LESSON_MAX_NAME + 16];
    if (lesson_slide_model(s, name, sizeof name) != 0) return slide_fail(a, s, "no model");
    if (!have_dir) {
        snprintf(l->slide_err, sizeof l->slide_err, app_str(a, UI_M_SLIDE_NO_DIR), l->lesson.path,
                 s->dline[LD_MODEL] ? s->dline[LD_MODEL] : s->line, name);
        return -1;
    }
    snprintf(path, cap, "%.1000s/%s.safetensors", dir, name);
    return 0;
}

int train_enter_slide(App *a, const LessonSlide *s, bool animate, bool have_dir, const char *dir) {
    char path[1200], key[sizeof a->train.lesson_key];
    if (train_slide_model_path(a, s, have_dir, dir, path, sizeof path) != 0) return -1;
    const char *probe = s->probe ? s->probe : s->input;
    unsigned long long seed = (s->set >> LD_SEED & 1) ? (unsigned long long)s->seed : 0;
    snprintf(key, sizeof key, "%.1000s\n%.160s\n%llu", path, probe ? probe : "", seed);
    AppTrain *t = &a->train;
    long target = s->train_steps, cap = a->opt.slide_steps_cap;
    if (cap > 0 && (target < 0 || target > cap)) target = cap;
    bool same = t->run && strcmp(t->lesson_key, key) == 0;
    if (!same && new_run(a, s, path, probe, key) != 0) return -1;
    TrainRun *r = t->run;
    if (s->train_speed >= 0) t->speed = run_speed_index(s->train_speed);
    else if (!same) t->speed = 4;   /* 30 steps a second: the first hundred in three */
    t->film_sel = -1;
    char err[AV_ERR_LEN];
    bool restarted = target >= 0 && run_shared(r).steps > target;
    if (restarted && run_restart(r, err) != 0) return slide_fail(a, s, err);
    if (!animate) {   /* a screenshot: the slide's picture now */
        run_train_to(r, target >= 0 ? target : r->plan, 3600);
        run_set_training(r, false);
        run_set_speed(r, RUN_SPEED[t->speed]);
        return 0;
    }
    /* back past the slide's steps: there at full speed, then its own speed (train_mode_update) */
    run_set_speed(r, restarted ? 0 : RUN_SPEED[t->speed]);
    t->restore_speed = restarted;
    run_pause_at(r, target > 0 ? target : 0);
    run_set_training(r, target < 0 || run_shared(r).steps < target);
    return 0;
}

void train_leave_slide(App *a, bool close) {
    AppTrain *t = &a->train;
    if (!t->lesson_key[0] || !t->run) return;
    if (close) {
        train_close(a);
        t->lesson_key[0] = 0;
    } else {
        run_set_training(t->run, false);
    }
}
