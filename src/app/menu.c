/* menu.c — the model menu (M): every model next to the executable and beside the current one, grouped by task; Enter loads one. Its first entries train a new model like the one on screen (the training mode), or several side by side (the mechanism lab). */
#include "app.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tasks/task.h"

enum { MENU_LEARN, MENU_LAB };   /* the entries before the models */

/* The task of a model file "<task>-<score>[-variant].safetensors" (a task
 * the app knows, else ""), and a key that sorts by task in the tasks'
 * order, then by score (none, dot, scaled_dot, general, concat, additive),
 * then by name. */
static void classify(const char *file, char group[48], char key[200]) {
    int ti = 99, si = 9;
    group[0] = 0;
    for (int i = 0; i < task_count(); i++) {
        const char *t = task_at(i)->name;
        size_t l = strlen(t);
        if (strncmp(file, t, l) == 0 && file[l] == '-' && l < 48 && l > strlen(group)) {
            snprintf(group, 48, "%s", t);
            ti = i;
        }
    }
    if (group[0]) {
        const char *rest = file + strlen(group) + 1;
        for (int k = SCORE_NONE; k <= SCORE_ADDITIVE; k++) {
            size_t l = strlen(score_name((ScoreKind)k));
            if (strncmp(rest, score_name((ScoreKind)k), l) == 0 && (rest[l] == '-' || rest[l] == '.')) si = k;
        }
    }
    const char *dot = strrchr(file, '.');   /* the stem: "copy-none" before "copy-none-reversed" */
    int stem = dot ? (int)(dot - file) : (int)strlen(file);
    snprintf(key, 200, "%02d%d%.*s", ti, si, stem < 180 ? stem : 180, file);
}

static void add_dir(AppMenu *m, const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) && m->n < MENU_MAX) {
        size_t l = strlen(e->d_name);
        if (l <= 12 || strcmp(e->d_name + l - 12, ".safetensors") != 0) continue;
        char path[1024], real[PATH_MAX];
        snprintf(path, sizeof path, "%.800s/%.200s", dir, e->d_name);
        if (!realpath(path, real)) continue;
        bool dup = false;
        for (int i = 0; i < m->n && !dup; i++) dup = strcmp(m->path[i], real) == 0;
        if (dup) continue;
        snprintf(m->path[m->n], sizeof m->path[0], "%.1000s", real);
        snprintf(m->label[m->n], sizeof m->label[0], "%.100s   (%.50s)", e->d_name, dir);
        classify(e->d_name, m->group[m->n], m->key[m->n]);
        m->n++;
    }
    closedir(d);
}

static void swap(void *x, void *y, size_t n) {
    char t[1024];
    memcpy(t, x, n);
    memcpy(x, y, n);
    memcpy(y, t, n);
}

/* Grouped by task: sort by key (then label), keeping each entry's fields together. */
static void sort(AppMenu *m) {
    for (int i = 1; i < m->n; i++)
        for (int j = i; j > 0; j--) {
            int c = strcmp(m->key[j - 1], m->key[j]);
            if (c < 0 || (c == 0 && strcmp(m->label[j - 1], m->label[j]) <= 0)) break;
            swap(m->path[j], m->path[j - 1], sizeof m->path[0]);
            swap(m->label[j], m->label[j - 1], sizeof m->label[0]);
            swap(m->key[j], m->key[j - 1], sizeof m->key[0]);
            swap(m->group[j], m->group[j - 1], sizeof m->group[0]);
        }
}

void menu_open(App *a) {
    AppMenu *m = &a->menu;
    if (!a->session.have_model) { app_say(a, app_str(a, UI_M_MENU_DEMO)); return; }
    m->n = 0;
    char dir[1024], real[PATH_MAX];
    if (app_find_models_dir(dir, sizeof dir) && realpath(dir, real)) add_dir(m, real);
    /* the folder of a --model from elsewhere too */
    char d[1024];
    snprintf(d, sizeof d, "%s", a->session.model_path);
    char *sl = strrchr(d, '/');
    if (sl) *sl = 0;
    else snprintf(d, sizeof d, ".");
    if (realpath(d, real)) add_dir(m, real);
    sort(m);
    /* first: "train a new model like this one" and "the mechanism lab" (entries without a path) */
    int k = 2;
    if (m->n > MENU_MAX - k) m->n = MENU_MAX - k;
    memmove(m->path[k], m->path[0], (size_t)m->n * sizeof m->path[0]);
    memmove(m->label[k], m->label[0], (size_t)m->n * sizeof m->label[0]);
    memmove(m->key[k], m->key[0], (size_t)m->n * sizeof m->key[0]);
    memmove(m->group[k], m->group[0], (size_t)m->n * sizeof m->group[0]);
    for (int i = 0; i < k; i++) {
        m->path[i][0] = m->group[i][0] = m->key[i][0] = 0;
        snprintf(m->label[i], sizeof m->label[i], "%s", app_str(a, i == MENU_LEARN ? UI_MENU_TRAIN : UI_MENU_LAB));
    }
    m->n += k;
    char cur[PATH_MAX] = "";
    if (!realpath(a->session.model_path, cur)) cur[0] = 0;
    m->cur = -1;
    for (int i = 0; i < m->n; i++) {
        m->label_ptr[i] = m->label[i];
        m->group_ptr[i] = m->group[i][0] ? m->group[i] : i <= MENU_LAB ? "" : app_str(a, UI_MENU_OTHER);
        if (strcmp(m->path[i], cur) == 0) m->cur = i;
    }
    m->sel = m->cur >= 0 ? m->cur : 0;
    m->open = true;
    a->w.dirty = true;
}

/* Load the chosen model: the same input when it has the same task, else an
 * example of its own task. A broken file leaves everything as it was. */
static void choose(App *a, int i) {
    AppMenu *m = &a->menu;
    const AppSession *s = &a->session;
    if (i < 0 || i >= m->n) return;
    m->open = false;
    a->w.dirty = true;
    if (i == MENU_LEARN) {   /* the first entries: a model like this one, trained live, */
        train_like_view(a);
        return;
    }
    if (i == MENU_LAB) {   /* ... or several, side by side */
        lab_from_view(a);
        return;
    }
    char err[AV_ERR_LEN], in[1024], tg[1024], task[64];
    snprintf(in, sizeof in, "%s", s->input);
    snprintf(tg, sizeof tg, "%s", s->target);
    snprintf(task, sizeof task, "%s", s->task);
    Model probe;
    if (model_load(&probe, m->path[i], err) != 0) { app_say(a, err); return; }
    bool same = probe.task && strcmp(probe.task, task) == 0;
    model_free(&probe);
    if (a->cmp.mode) app_compare_off(a);
    if (app_decode(a, m->path[i], same ? in : NULL, same ? tg : NULL, false, err) != 0) { app_say(a, err); return; }
    if (!same) a->session.example = 0;   /* Tab: this task's examples from the first */
    view_goto_phase(a, 0);
}

void menu_event(App *a, const SDL_Event *e) {
    AppMenu *m = &a->menu;
    if (e->type == SDL_KEYDOWN) {
        SDL_Keycode k = e->key.keysym.sym;
        if (k == SDLK_ESCAPE || k == SDLK_m) m->open = false;
        else if (k == SDLK_UP && m->sel > 0) m->sel--;
        else if (k == SDLK_DOWN && m->sel + 1 < m->n) m->sel++;
        else if (k == SDLK_RETURN || k == SDLK_KP_ENTER) choose(a, m->sel);
    } else if (e->type == SDL_MOUSEBUTTONDOWN && e->button.button == SDL_BUTTON_LEFT) {
        const DrawList *dl = &a->w.dl;
        for (int i = 0; i < dl->n; i++) {
            const DlCmd *c = &dl->cmds[i];
            if (c->tag == VIZ_TAG_MENU_ITEM && e->button.x >= c->x && e->button.x < c->x + c->w &&
                e->button.y >= c->y && e->button.y < c->y + c->h) { choose(a, c->a); return; }
        }
    } else if (e->type == SDL_MOUSEMOTION) {
        a->ui.mouse_in = true;
        a->ui.mouse_x = (float)e->motion.x;
        a->ui.mouse_y = (float)e->motion.y;
    }
    a->w.dirty = true;
}
