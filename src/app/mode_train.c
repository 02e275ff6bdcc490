/* mode_train.c — the training mode: a model learning live, its probe's alignment at the centre, its curves and its film strip; what the keys and the mouse do there; its frame.
 *
 * The run trains on its own thread (train_run.c); this file only asks it
 * (pause, one step, speed, restart, another probe) and draws what it has
 * logged. While it trains the loop polls it every frame (train_animating)
 * and draws at most 30 frames a second; a paused run draws nothing until
 * something happens, like the decoding view.
 */
#include "app.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "keys.h"

enum { FILM_MAX = 64 };
static const double FRAME_SECONDS = 1.0 / 30;   /* while training */

static double now_s(void) { return (double)SDL_GetPerformanceCounter() / (double)SDL_GetPerformanceFrequency(); }

bool app_training(const App *a) {
    if (!a->train.run) return false;
    if (a->mode == MODE_TRAIN) return true;
    const AppLesson *l = &a->lesson;
    return a->mode == MODE_LESSON && l->loaded && l->lesson.n_slides > 0 && l->lesson.slides[l->slide].train &&
           !l->slide_err[0];
}

/* ---- the frame ---- */

static void figure_frame(App *a, float W, float H) {
    AppTrain *t = &a->train;
    TrainRun *r = t->run;
    DrawList *dl = &a->w.dl;
    const char *lang = app_lang(a);
    if (t->figure == TRAIN_FIG_CURVES) {
        VizCurves cur;
        run_curves(r, &cur);
        viz_curves_figure(dl, &cur, 1, r->plan, t->title, W, H, a->ui.dark, lang);
        return;
    }
    VizProbe film[FILM_MAX];
    int n = run_film(r, film, FILM_MAX);
    char title[1400];
    snprintf(title, sizeof title, ui_str(lang, UI_TV_FILM_TITLE), r->probe, t->title);
    viz_film_figure(dl, film, n, title, W, H, a->ui.dark, lang);
}

void train_frame(App *a, float W, float H, float design_w, float text_min) {
    AppTrain *t = &a->train;
    TrainRun *r = t->run;
    if (t->figure != TRAIN_FIG_NONE) {
        figure_frame(a, W, H);
        return;
    }
    run_poll(r);   /* a screenshot draws without the loop's update */
    VizCurves cur;
    run_curves(r, &cur);
    VizProbe film[FILM_MAX], probe;
    int nf = run_film(r, film, FILM_MAX);
    if (t->film_sel >= nf) t->film_sel = -1;
    run_probe(r, t->film_sel, &probe);
    RunShared c = run_shared(r);
    const char *lang = app_lang(a);
    char failed[AV_ERR_LEN + 80] = "";
    if (c.state == RUN_FAILED) snprintf(failed, sizeof failed, ui_str(lang, UI_M_TRAIN_STOPPED), c.error);
    int n_help;
    const VizHelpLine *help = keys_help(app_key_context(a), lang, &n_help);
    const AppEditor *ed = &a->editor;
    VizTrain vt = {
        .title = t->title, .step = c.steps, .plan = r->plan, .state = (VizRunState)c.state, .speed = c.speed,
        .rate = (float)r->rate, .error = failed[0] ? failed : NULL, .probe_text = r->probe,
        .reference_text = r->reference, .probe = probe, .film_sel = t->film_sel, .film = film, .n_film = nf,
        .runs = &cur, .n_runs = 1,
        .dark = a->ui.dark, .help = a->view.help, .mouse_in = a->ui.mouse_in, .mouse_x = a->ui.mouse_x,
        .mouse_y = a->ui.mouse_y, .lang = lang, .message = a->ui.message[0] ? a->ui.message : NULL,
        .help_lines = help, .help_n = n_help, .editing = ed->open, .edit_field = ed->field,
        .edit_text = {ed->f[0].text, ed->f[1].text},
        .edit_cursor = ed->f[ed->field].cursor, .edit_anchor = ed->f[ed->field].anchor, .composition = ed->composition, .design_w = design_w,
        .text_min = text_min, .zoom = a->ui.zoom, .present = a->ui.present,
    };
    viz_train_build(&a->w.dl, &vt, W, H);
    t->drawn_at = now_s();
}

void train_mode_frame(App *a, float W, float H) { train_frame(a, W, H, 0, 0); }

/* ---- the clock ---- */

bool train_animating(const App *a) {
    if (!app_training(a)) return false;
    RunShared c = run_shared(a->train.run);
    return c.state == RUN_TRAINING || c.single > 0 || c.stepping || a->train.pending;
}

void train_mode_update(App *a, double dt) {
    (void)dt;
    AppTrain *t = &a->train;
    if (!app_training(a)) return;
    t->pending |= run_poll(t->run);
    RunShared c = run_shared(t->run);
    if (t->restore_speed && c.state != RUN_TRAINING) {
        run_set_speed(t->run, RUN_SPEED[t->speed]);
        t->restore_speed = false;
    }
    if (!t->pending) return;
    if (c.state != RUN_TRAINING || now_s() - t->drawn_at >= FRAME_SECONDS) {
        a->w.dirty = true;
        t->pending = false;
    }
}

/* ---- the keys (keys.c) ---- */

void train_key_play(App *a) {
    RunShared c = run_shared(a->train.run);
    if (c.state == RUN_DONE) {
        app_say(a, app_str(a, UI_TV_DONE));
        return;
    }
    run_set_training(a->train.run, c.state != RUN_TRAINING);
    a->train.film_sel = -1;
}

void train_key_step(App *a) {
    run_single_step(a->train.run);
    a->train.film_sel = -1;
}

void train_key_speed(App *a, int dir) {
    AppTrain *t = &a->train;
    t->speed += dir;
    if (t->speed < 0) t->speed = 0;
    if (t->speed > RUN_FULL) t->speed = RUN_FULL;
    run_set_speed(t->run, RUN_SPEED[t->speed]);
}

void train_key_film(App *a, int to) {
    AppTrain *t = &a->train;
    int n = t->run->n_shots, sel = t->film_sel < 0 ? n : t->film_sel;
    if (to == INT_MIN) sel = 0;
    else if (to == INT_MAX) sel = n;
    else sel += to;
    sel = sel < 0 ? 0 : sel > n ? n : sel;
    t->film_sel = sel == n ? -1 : sel;
}

void train_key_open(App *a) {
    char err[AV_ERR_LEN], msg[AV_ERR_LEN + 80];
    if (train_open_snapshot(a, a->train.film_sel, err) != 0) {
        snprintf(msg, sizeof msg, app_str(a, UI_M_OPEN_FAIL), err);
        app_say(a, msg);
    }
}

void train_key_save(App *a) {
    char path[1200], err[AV_ERR_LEN], msg[AV_ERR_LEN + 1300];
    if (train_save(a, path, sizeof path, err) != 0) snprintf(msg, sizeof msg, app_str(a, UI_M_SAVE_FAIL), err);
    else snprintf(msg, sizeof msg, app_str(a, UI_M_SAVED), path);
    app_say(a, msg);
}

void train_key_restart(App *a) {
    char err[AV_ERR_LEN];
    a->train.film_sel = -1;
    if (run_restart(a->train.run, err) != 0) app_say(a, err);
}

void train_set_probe(App *a, const char *text, const char *reference) {
    TrainRun *r = a->train.run;
    char err[AV_ERR_LEN], msg[AV_ERR_LEN + 80], probe[TASK_MAX_TEXT], ref[TASK_MAX_TEXT];
    /* another sentence with the old probe's reference: the reference goes,
     * or becomes the new sentence's when the task makes it plain */
    if (reference && strcmp(text, r->probe) != 0 && strcmp(reference, r->reference) == 0) {
        train_default_probe(r->s, a->train.task, text, probe, ref, sizeof ref);
        reference = ref;
    }
    if (run_set_probe(r, text, reference, err) != 0) {
        snprintf(msg, sizeof msg, app_str(a, UI_M_PROBE_FAIL), err);
        app_say(a, msg);
        return;
    }
    if (a->editor.open) editor_close(a);
    a->w.dirty = true;
}

void train_key_example(App *a) {
    AppTrain *t = &a->train;
    char src[TASK_MAX_TEXT], tgt[TASK_MAX_TEXT];
    const Model *m = learn_model(t->run->s);   /* its vocabularies: they never change */
    do   /* the next one that is not on screen already */
        if (app_task_example(t->task, &m->src, &m->tgt, m->cfg.tokenizer, t->example++, src, tgt, sizeof src) < 0) {
            app_say(a, app_str(a, UI_M_NO_EXAMPLES));
            return;
        }
    while (strcmp(src, t->run->probe) == 0);
    train_set_probe(a, src, tgt);
}

void train_key_back(App *a) {
    AppTrain *t = &a->train;
    if (!t->from_view) {   /* Esc never quits: Q does */
        app_say(a, app_str(a, UI_M_NOTHING_OPEN));
        return;
    }
    run_set_training(t->run, false);   /* nobody watches it: it waits */
    t->from_view = false;
    a->mode = MODE_VIEW;
    char err[AV_ERR_LEN];
    if (t->view_model[0] && app_decode(a, t->view_model, t->view_input, t->view_target, false, err) != 0) app_say(a, err);
    a->w.dirty = true;
}

void train_back_from_view(App *a) {
    AppTrain *t = &a->train;
    t->snapshot = false;
    a->mode = MODE_TRAIN;
    if (t->was_training) run_set_training(t->run, true);
    a->w.dirty = true;
}

/* ---- the mouse ---- */

static void pick(App *a, float x, float y, bool drag) {
    AppTrain *t = &a->train;
    int n = t->run->n_shots;
    int k = drag ? -1 : viz_train_film_hit(&a->w.dl, x, y);
    if (k < 0) k = viz_train_timeline_hit(&a->w.dl, n, x, y);
    if (k < 0) return;
    t->film_sel = k >= n ? -1 : k;
    if (!drag) t->scrubbing = true;
    a->w.dirty = true;
}

static void pointer(App *a, const SDL_Event *e) {
    switch (e->type) {
    case SDL_MOUSEMOTION:
        a->ui.mouse_in = true;
        a->ui.mouse_x = (float)e->motion.x;
        a->ui.mouse_y = (float)e->motion.y;
        if (a->train.scrubbing) pick(a, (float)e->motion.x, (float)e->motion.y, true);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) pick(a, (float)e->button.x, (float)e->button.y, false);
        break;
    case SDL_MOUSEBUTTONUP: a->train.scrubbing = false; break;
    default: break;
    }
}

void train_pointer_event(App *a, const SDL_Event *e) { pointer(a, e); }

void train_mode_event(App *a, const SDL_Event *e) {
    if (view_overlays_event(a, e)) return;
    if (e->type == SDL_KEYDOWN) keys_dispatch(a, app_key_context(a), &e->key);
    else pointer(a, e);
}

void train_close(App *a) {
    AppTrain *t = &a->train;
    run_free(t->run);   /* joins the worker: what was saved stays saved */
    t->run = NULL;
    t->lesson_key[0] = 0;
    train_remove_snapshots(a);
    t->snapshot = t->from_view = false;
    t->film_sel = -1;
}
