/* train_open.c — where a training run comes from: `attnviz learn`'s session, a model on screen ("train a new model like this one"), a TSV file dropped on the window; and the recipe a model's notes record.
 *
 * "Like this one" means the same configuration (cell, style, score, sizes,
 * tokenizer, options), the same data (its task's pairs, or the file it was
 * trained on when that file is still there) and the same recipe (batch,
 * learning rate and its decay, clipping, teacher forcing and its schedule,
 * seed, planned steps: learn_save writes them into the notes), from random
 * weights. Anything that fails (a file with a bad line, a configuration the
 * engine refuses) is said in the status line, and what was on screen stays.
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tasks/learn_data.h"

int app_train_threads(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 2 ? (int)(n > 257 ? 256 : n - 1) : 1;
}

void train_start_defaults(TrainStart *t, const ModelConfig *cfg) {
    *t = (TrainStart){
        .desc = {.cfg = *cfg,
                 .train = {.batch = 32, .lr = 3e-3f, .clip = 1, .teacher_forcing = 1, .tf_schedule = TF_CONSTANT,
                           .steps = 2000, .seed = 1, .threads = app_train_threads()},
                 .lr_decay = 1, .lr_decay_every = 1000, .log_every = 10, .eval_every = 100, .film = true,
                 .made_by = "attnviz learn"},
        .n_train = 50000, .training = true, .speed = 4};
}

/* "<key> <number>" in the notes: false when absent. */
static bool note_num(const char *notes, const char *key, double *v) {
    const char *p = strstr(notes, key);
    return p && sscanf(p + strlen(key), "%lf", v) == 1;
}

void train_recipe_from_notes(TrainStart *t, const char *notes) {
    if (!notes) return;
    TrainDesc *d = &t->desc.train;
    double v, e;
    char sched[32];
    if (note_num(notes, ": steps ", &v) && v >= 1 && v <= 1e8) d->steps = (long)v;
    if (note_num(notes, ", batch ", &v) && v >= 1 && v <= 4096) d->batch = (int)v;
    if (note_num(notes, ", lr ", &v) && v > 0 && v < 1e30) d->lr = (float)v;
    const char *dec = strstr(notes, "(decay ");
    if (dec && sscanf(dec, "(decay %lf every %lf)", &v, &e) == 2 && v > 0 && v <= 1 && e >= 1) {
        t->desc.lr_decay = (float)v;
        t->desc.lr_decay_every = (long)e;
    }
    if (note_num(notes, ", clip ", &v) && v >= 0) d->clip = v > 0 ? (float)v : -1;
    const char *tf = strstr(notes, ", teacher forcing ");
    if (tf && sscanf(tf, ", teacher forcing %lf (%31[a-z_])", &v, sched) == 2 && v >= 0 && v <= 1) {
        d->teacher_forcing = (float)v;
        TfSchedule s;
        if (tf_schedule_parse(sched, &s) == 0) d->tf_schedule = s;
    }
    const char *sd = strstr(notes, ", seed ");
    unsigned long long seed;
    if (sd && sscanf(sd, ", seed %llu", &seed) == 1) d->seed = seed;
}

/* "dates · bidirectional LSTM, Luong, general · 51,000 pairs · seed 1" */
static void title_of(const App *a, const TrainStart *t, int n_pairs, char *out, size_t cap) {
    const ModelConfig *c = &t->desc.cfg;
    const char *data = t->task ? t->task : t->train ? t->train : "?", *slash = strrchr(data, '/');
    char pairs[32];
    viz_count(pairs, sizeof pairs, n_pairs);
    snprintf(out, cap, app_str(a, UI_TV_WHAT), slash ? slash + 1 : data, c->bidirectional ? app_str(a, UI_T_BIDI) : "",
             c->cell == CELL_LSTM ? "LSTM" : "GRU", c->style == STYLE_LUONG ? "Luong" : "Bahdanau", score_name(c->score),
             pairs, (unsigned long long)t->desc.train.seed);
}

/* The run becomes the training mode's (the old one, if any, is closed). */
static int take_run(App *a, LearnSession *s, const TrainStart *t, int n_pairs, char *err) {
    const Task *task = t->task ? task_find(t->task) : NULL;
    RunDesc rd = {.plan = t->desc.train.steps, .probe = t->probe, .reference = t->reference, .task = task,
                  .film = t->desc.film, .training = t->training, .speed = RUN_SPEED[t->speed]};
    char title[sizeof a->train.title];
    title_of(a, t, n_pairs, title, sizeof title);
    TrainRun *r = run_create(s, &rd, err);
    if (!r) return -1;
    train_close(a);
    AppTrain *tr = &a->train;
    tr->run = r;
    tr->speed = t->speed;
    tr->film_sel = -1;
    tr->example = 0;
    tr->figure = TRAIN_FIG_NONE;
    snprintf(tr->title, sizeof tr->title, "%s", title);
    snprintf(tr->task, sizeof tr->task, "%s", t->task ? t->task : "");
    snprintf(tr->name, sizeof tr->name, "%s", t->name ? t->name : "model");
    tr->desc = t->desc;   /* the lab starts from it: its pointers are not kept */
    tr->desc.probe = tr->desc.name = tr->desc.made_by = NULL;
    tr->desc.task = NULL;
    tr->n_train = t->n_train;
    a->w.dirty = true;
    return 0;
}

/* Example i of a data set as text: its tokens joined (with spaces for words). */
static void pair_text(const Model *m, const Dataset *d, int i, bool target, char *out, size_t cap) {
    const Vocab *v = target ? &m->tgt : &m->src;
    const int *ids = d->ids + (target ? d->tgt_off[i] : d->src_off[i]);
    int n = target ? d->tgt_len[i] : d->src_len[i];
    size_t o = 0;
    out[0] = 0;
    for (int k = 0; k < n && o < cap; k++) {
        if (ids[k] == TOK_EOS) break;
        const char *sep = k && m->cfg.tokenizer == TOK_WORD ? " " : "";
        int w = snprintf(out + o, cap - o, "%s%s", sep, v->tokens[ids[k]]);
        if (w < 0 || (size_t)w >= cap - o) break;
        o += (size_t)w;
    }
}

void train_default_probe(LearnSession *s, const char *task, const char *given, char *probe, char *ref, size_t cap) {
    const Model *m = learn_model(s);   /* its vocabularies: fixed from the start */
    probe[0] = ref[0] = 0;
    if (given) snprintf(probe, cap, "%s", given);
    else if (app_task_example(task, &m->src, &m->tgt, m->cfg.tokenizer, 0, probe, ref, cap) >= 0) return;
    else if (learn_test_data(s)->n > 0) {
        pair_text(m, learn_test_data(s), 0, false, probe, cap);
        pair_text(m, learn_test_data(s), 0, true, ref, cap);
        return;
    }
    /* a probe of one's own: its reference when the task makes it plain */
    char src[TASK_MAX_TEXT], tgt[TASK_MAX_TEXT];
    for (int k = 0; given && app_task_example(task, NULL, NULL, m->cfg.tokenizer, k, src, tgt, sizeof src) > k; k++)
        if (strcmp(src, given) == 0) snprintf(ref, cap, "%s", tgt);
    if (given) app_task_reference(task, given, ref, cap);
}

int train_adopt(App *a, LearnSession *s, const TrainStart *t, char *err) {
    int n = learn_train_data(s)->n + learn_test_data(s)->n, line0 = 0;
    if (t->probe) {   /* the session decodes it from now on (no worker runs yet) */
        if (learn_set_probe(s, t->probe, err) != 0) {
            learn_free(s);
            return -1;
        }
        line0 = learn_line_count(s);
    }
    if (take_run(a, s, t, n, err) != 0) return -1;
    a->train.run->probe_line0 = line0;
    a->mode = MODE_TRAIN;
    return 0;
}

int train_start(App *a, const TrainStart *t, char *err) {
    const Task *task = t->task ? task_find(t->task) : NULL;
    if (t->task && !task) return av_err(err, "unknown task '%s'", t->task);
    LearnDataDesc dd = {.task = task, .train = t->train, .test = t->test, .n_train = t->n_train,
                        .seed = t->desc.train.seed};
    Pairs train, test;
    if (learn_data_load(&dd, &train, &test, NULL, err) != 0) return -1;
    /* no probe given: the first held-out pair, with its reference */
    TrainStart ts = *t;
    char probe[TASK_MAX_TEXT + 1] = "", ref[TASK_MAX_TEXT + 1] = "";
    if (!ts.probe && test.n > 0) {
        snprintf(probe, sizeof probe, "%s", test.src[0]);
        snprintf(ref, sizeof ref, "%s", test.tgt[0]);
        ts.probe = probe;
        ts.reference = ref;
    }
    LearnDesc ld = ts.desc;
    ld.probe = ts.probe;
    ld.task = task;
    ld.name = ts.task ? ts.task : ts.train;
    LearnSession *s = learn_create(&ld, &train, &test, err);
    int n = train.n + test.n;
    pairs_free(&train);
    pairs_free(&test);
    if (!s) return -1;
    if (take_run(a, s, &ts, n, err) != 0) return -1;
    a->mode = MODE_TRAIN;
    return 0;
}

bool train_like_model(const Model *m, const char *task_hint, TrainStart *t, char *err) {
    train_start_defaults(t, &m->cfg);
    train_recipe_from_notes(t, m->notes);
    const char *data = m->task && m->task[0] ? m->task : task_hint;
    if (data && task_find(data)) {
        t->task = task_find(data)->name;
    } else if (data && data[0] && access(data, R_OK) == 0) {
        t->train = data;   /* trained on a file that is still there */
    } else {
        av_err(err, "its data is neither a task nor a file here (%s)", data && data[0] ? data : "unknown");
        return false;
    }
    return true;
}

/* Start t from the decoding on screen: Esc in the training goes back to it. */
static int start_from_view(App *a, TrainStart *t, char *err) {
    const AppSession *s = &a->session;
    bool from_view = a->mode == MODE_VIEW && s->have_model;
    char model[1024], input[1024], target[1024];   /* copies: the session may change */
    snprintf(model, sizeof model, "%s", s->model_path);
    snprintf(input, sizeof input, "%s", s->input);
    snprintf(target, sizeof target, "%s", s->target);
    if (train_start(a, t, err) != 0) return -1;
    AppTrain *tr = &a->train;
    tr->from_view = from_view;
    if (from_view) {
        memcpy(tr->view_model, model, sizeof model);
        memcpy(tr->view_input, input, sizeof input);
        memcpy(tr->view_target, target, sizeof target);
    }
    return 0;
}

void train_like_view(App *a) {
    const AppSession *s = &a->session;
    char err[AV_ERR_LEN], msg[AV_ERR_LEN + 80];
    if (!s->have_model) {
        app_say(a, app_str(a, UI_M_MENU_DEMO));
        return;
    }
    TrainStart t;
    char name[96];
    snprintf(name, sizeof name, "%.60s-%s", s->task[0] ? s->task : "model", score_name(s->model.cfg.score));
    if (train_like_model(&s->model, s->task, &t, err)) {
        t.probe = s->input;
        t.reference = s->target[0] ? s->target : NULL;
        t.name = name;
        if (start_from_view(a, &t, err) == 0) return;
    }
    snprintf(msg, sizeof msg, app_str(a, UI_M_TRAIN_FAIL), err);
    app_say(a, msg);
}

void train_from_file(App *a, const char *path) {
    char err[AV_ERR_LEN], msg[AV_ERR_LEN + 80];
    size_t n = strlen(path);
    if (n < 4 || strcmp(path + n - 4, ".tsv") != 0) {
        snprintf(msg, sizeof msg, app_str(a, UI_M_TRAIN_FAIL), "drop a .tsv file of source TAB target lines");
        app_say(a, msg);
        return;
    }
    ModelConfig cfg;
    if (app_training(a)) cfg = learn_model(a->train.run->s)->cfg;
    else if (a->session.have_model) cfg = a->session.model.cfg;
    else {
        app_say(a, app_str(a, UI_M_MENU_DEMO));
        return;
    }
    TrainStart t;
    train_start_defaults(&t, &cfg);
    t.train = path;
    t.name = "model";
    if (start_from_view(a, &t, err) != 0) {   /* a bad line: FILE:LINE: what; the screen stays */
        snprintf(msg, sizeof msg, app_str(a, UI_M_TRAIN_FAIL), err);
        app_say(a, msg);
    }
}
