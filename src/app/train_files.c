/* train_files.c — what the training writes: the model as it is now (S), a snapshot opened in the decoding view (Enter), the curves as PNG, SVG or CSV, and the film strip as one figure.
 *
 * A saved model goes into the folder the app exports into (the pictures
 * folder, else the working one: export_path.c), named "<task>-<score>-step<N>.safetensors", and is never written
 * over an existing file: the name gets -2, -3, … instead. A snapshot opened
 * in the decoding view is a model file in a private folder under /tmp,
 * removed when the training closes: the view then works as on any model
 * (typing, teacher forcing, the backward pass). Every file is written whole
 * or not at all (base/outfile.h), "-" is standard output.
 */
#include "app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/outfile.h"
#include "../export/export.h"

/* ---- the model ---- */

/* The folder the app saves into: where its exports go (export_path.c: the
 * pictures folder, else the working one); the message names the file. */
static void save_dir(char *out, size_t cap) {
    if (!app_pictures_dir(out, cap)) snprintf(out, cap, ".");
}

/* dir/<name>-step<N>[-k].safetensors that does not exist yet: 0, or -1. */
static int free_name(const char *dir, const char *name, long step, char *out, size_t cap, char *err) {
    for (int k = 1; k < 10000; k++) {
        char suffix[16] = "";
        if (k > 1) snprintf(suffix, sizeof suffix, "-%d", k);
        int n = snprintf(out, cap, "%s/%s-step%ld%s.safetensors", dir, name, step, suffix);
        if (n < 0 || (size_t)n >= cap) break;
        struct stat st;
        if (lstat(out, &st) != 0) {
            if (errno == ENOENT) return 0;
            return av_err(err, "%s: %s", out, strerror(errno));
        }
    }
    return av_err(err, "%s: no free name for %s", dir, name);
}

int train_save(App *a, char *path, size_t cap, char *err) {
    TrainRun *r = a->train.run;
    RunShared c = run_shared(r);
    if (c.state == RUN_FAILED) return av_err(err, "%s", c.error);   /* R restarts; nothing to keep */
    char dir[1024];
    save_dir(dir, sizeof dir);
    if (free_name(dir, a->train.name, c.steps, path, cap, err) != 0) return -1;
    return learn_save(r->s, path, err);
}

/* ---- a snapshot in the decoding view ---- */

void train_remove_snapshots(App *a) {
    AppTrain *t = &a->train;
    if (!t->tmp[0]) return;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->tmp);   /* a folder we made, with a name we made */
    if (system(cmd) != 0) fprintf(stderr, "attnviz: could not remove %s\n", t->tmp);
    t->tmp[0] = 0;
}

int train_open_snapshot(App *a, int film, char *err) {
    AppTrain *t = &a->train;
    TrainRun *r = t->run;
    Model m;
    long step = learn_steps_done(r->s);
    if (film >= 0 ? learn_film(r->s, film, &step, &m, err) : learn_snapshot(r->s, &m, err)) return -1;
    if (!t->tmp[0]) {
        snprintf(t->tmp, sizeof t->tmp, "/tmp/attnviz-train-XXXXXX");
        if (!mkdtemp(t->tmp)) {
            t->tmp[0] = 0;
            model_free(&m);
            return av_err(err, "/tmp: %s", strerror(errno));
        }
    }
    char path[1200];
    snprintf(path, sizeof path, "%s/%s-step%ld.safetensors", t->tmp, t->name, step);
    m.task = strdup(t->task[0] ? t->task : t->name);
    int rc = model_save(&m, path, err);
    model_free(&m);
    if (rc != 0) return -1;
    RunShared c = run_shared(r);
    if (app_decode_forced(a, path, r->probe, r->reference[0] ? r->reference : NULL, false, 0.5f, false, err) != 0)
        return -1;
    t->was_training = c.state == RUN_TRAINING;
    run_set_training(r, false);   /* the class looks at the snapshot: the run waits */
    t->snapshot = true;
    a->mode = MODE_VIEW;
    if (a->cmp.mode) app_compare_off(a);
    view_goto_phase(a, 0);
    a->view.playing = true;   /* the whole decoding, step by step; the file's name says which step */
    return 0;
}

/* ---- figures ---- */

static const char *ext_of(const char *path) {
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* The figure f rendered at w × h into path: PNG (offscreen OpenGL) or SVG. */
static int write_figure(App *a, TrainFigure f, const char *path, int w, int h, char *err) {
    const char *ext = ext_of(path);
    bool svg = strcmp(ext, "svg") == 0;
    if (!svg && strcmp(ext, "png") != 0) return av_err(err, "%s: give a .png or .svg file name", path);
    a->train.figure = f;
    int rc;
    if (svg) {
        app_build_frame(a, (float)w, (float)h);
        rc = export_drawlist_svg(&a->w.dl, (float)w, (float)h, viz_background(a->ui.dark), "NanumGothic", path, err);
    } else {
        uint8_t *rgb = malloc((size_t)w * h * 3);
        rc = rgb ? app_render_rgb(a, w, h, rgb, err) : av_err(err, "out of memory for a %dx%d figure", w, h);
        if (rc == 0) rc = app_write_png(path, rgb, w, h, err);
        free(rgb);
    }
    a->train.figure = TRAIN_FIG_NONE;
    return rc;
}

/* The learning log as CSV (learn.h: logline_csv), every line the session has. */
static int write_csv(LearnSession *s, const char *path, char *err) {
    AvOut o = {0};
    FILE *f = av_out_open(&o, path, err);
    if (!f) return -1;
    logline_csv_header(f);
    int n = learn_line_count(s);
    for (int i = 0; i < n; i++) logline_csv(learn_line(s, i), f);
    return av_out_close(&o, err);
}

int train_write_curves(App *a, const char *path, int w, int h, char *err) {
    if (strcmp(ext_of(path), "csv") == 0 || av_is_stdout(path)) return write_csv(a->train.run->s, path, err);
    return write_figure(a, TRAIN_FIG_CURVES, path, w, h, err);
}

int train_write_film(App *a, const char *path, int w, int h, char *err) {
    run_poll(a->train.run);   /* every film frame decoded */
    return write_figure(a, TRAIN_FIG_FILM, path, w, h, err);
}
