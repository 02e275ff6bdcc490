/* mode_lesson.c — the lesson mode (slides: the decoding view at the slide's step and phase, or a chart, beside the narration) and the lesson picker.
 *
 * A slide names a model, an input, a step and a phase (lessons/README.md):
 * entering it decodes that and sets the view's clock, so every key of the
 * view still works inside a slide. A slide that cannot be shown says why in
 * place of the animation (FILE:LINE: what), and the lesson goes on.
 */
#include "app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../viz/lesson_note.h"
#include "keys.h"

/* ---- opening and closing ---- */

void app_close_lesson(App *a) {
    AppLesson *l = &a->lesson;
    train_leave_slide(a, true);   /* a training slide's run goes with its lesson */
    lab_leave_slide(a);           /* and a lab slide's lab */
    if (l->loaded) lesson_free(&l->lesson);
    if (l->have_chart) chart_free(&l->chart);
    l->loaded = l->have_chart = false;
    l->slide = 0;
    l->slide_err[0] = l->chart_err[0] = 0;
    a->w.dirty = true;
}

void app_close_picker(App *a) {
    free(a->lesson.entries);
    free(a->lesson.info);
    a->lesson.entries = NULL;
    a->lesson.info = NULL;
    a->lesson.n_entries = 0;
}

int app_open_picker(App *a, const char *root, char *err) {
    AppLesson *l = &a->lesson;
    LessonEntry *e = NULL;
    int n = 0;
    if (!a->ui.lang[0]) snprintf(a->ui.lang, sizeof a->ui.lang, "en");
    if (lesson_list(root, a->ui.lang, &e, &n, err) != 0) return -1;
    PickerInfo *pi = calloc((size_t)(n > 0 ? n : 1), sizeof *pi);
    if (!pi) { free(e); return av_err(err, "out of memory listing the lessons"); }
    picker_info(e, n, pi);
    app_close_picker(a);
    l->entries = e;
    l->info = pi;
    l->n_entries = n;
    if (l->sel >= n) l->sel = n > 0 ? n - 1 : 0;
    if (root != l->dir) snprintf(l->dir, sizeof l->dir, "%s", root);
    a->mode = MODE_PICKER;
    a->w.dirty = true;
    return 0;
}

int app_open_lesson(App *a, const char *path, char *err) {
    AppLesson *l = &a->lesson;
    Lesson loaded;
    a->mode = MODE_LESSON;   /* a lesson that fails to load shows its message */
    if (lesson_load(path, &loaded, err) != 0) {
        snprintf(l->error, sizeof l->error, "%s", err);
        a->w.dirty = true;
        return -1;
    }
    app_close_lesson(a);
    if (!a->ui.lang[0]) snprintf(a->ui.lang, sizeof a->ui.lang, "en");
    l->lesson = loaded;
    l->loaded = true;
    l->error[0] = 0;
    a->w.dirty = true;
    return 0;
}

/* ---- entering a slide ---- */

static int enter_chart(App *a, const LessonSlide *s, bool have_dir, const char *dir) {
    AppLesson *l = &a->lesson;
    char path[1200];
    if (l->have_chart) chart_free(&l->chart);
    l->have_chart = false;
    l->chart_err[0] = 0;
    if (!have_dir) {
        snprintf(l->chart_err, sizeof l->chart_err, app_str(a, UI_M_CHART_NO_DIR), s->chart);
    } else {
        snprintf(path, sizeof path, "%.1000s/%s.tsv", dir, s->chart);
        l->have_chart = chart_load_tsv(path, &l->chart, l->chart_err) == 0;
    }
    if (l->have_chart) snprintf(l->chart.lang, sizeof l->chart.lang, "%s", app_lang(a));
    a->view.playing = false;
    a->view.stop_at = 0;
    return 0;
}

/* The slide's model, input, teacher forcing, seed and comparison; then the
 * clock at its step and phase. */
static int enter_decoding(App *a, const LessonSlide *s, bool animate, bool have_dir, const char *dir) {
    AppLesson *l = &a->lesson;
    const AppSession *ss = &a->session;
    char path[1200], name[LESSON_MAX_NAME], err[AV_ERR_LEN];
    int rc = s->compare[0] >= 0 ? lesson_model_with_score(s->model, (ScoreKind)s->compare[0], name, sizeof name)
                                : lesson_slide_model(s, name, sizeof name);
    if (rc != 0 || !s->input) {
        snprintf(l->slide_err, sizeof l->slide_err, app_str(a, UI_M_SLIDE_NO_MODEL), l->lesson.path, s->line);
        return -1;
    }
    if (!have_dir) {
        snprintf(l->slide_err, sizeof l->slide_err, app_str(a, UI_M_SLIDE_NO_DIR), l->lesson.path,
                 s->dline[LD_MODEL] ? s->dline[LD_MODEL] : s->line, name);
        return -1;
    }
    snprintf(path, sizeof path, "%.1000s/%s.safetensors", dir, name);
    if (a->cmp.mode) app_compare_off(a);
    a->session.example = 0;
    a->session.seed = (s->set >> LD_SEED & 1) ? s->seed : a->opt.seed;   /* --seed */
    const char *tg = s->target ? s->target : "";
    /* the same sentence with another model (a score switch): morph */
    bool morph = animate && ss->have_trace && strcmp(ss->input, s->input) == 0 && strcmp(ss->target, tg) == 0 &&
                 strcmp(ss->model_path, path) != 0;
    bool tf_on = s->teacher_forcing >= 0;
    a->back.lr = s->lr > 0 ? s->lr : APP_DEFAULT_LR;   /* before the decoding: its gradient replays with it */
    if (!s->backward) app_set_backward(a, false, err);   /* a forward slide: no gradient to compute */
    if (app_decode_forced(a, path, s->input, s->target, tf_on, tf_on ? s->teacher_forcing : 0.5f, morph, err) != 0) {
        snprintf(l->slide_err, sizeof l->slide_err, "%.200s:%d: %.290s", l->lesson.path,
                 s->dline[LD_MODEL] ? s->dline[LD_MODEL] : s->line, err);
        return -1;
    }
    if (s->compare[0] >= 0 || s->side_by_side) {
        a->cmp.mode = s->side_by_side ? CMP_FORCING : CMP_SCORE;
        a->cmp.score = (ScoreKind)s->compare[1];
        if (app_compare_refresh(a, err) != 0) {
            snprintf(l->slide_err, sizeof l->slide_err, "%.200s:%d: %.290s", l->lesson.path,
                     s->dline[s->side_by_side ? LD_SIDE_BY_SIDE : LD_COMPARE], err);
            return -1;
        }
    }
    if (s->backward && app_set_backward(a, true, err) != 0) {   /* direction: backward */
        snprintf(l->slide_err, sizeof l->slide_err, "%.200s:%d: %.290s", l->lesson.path, s->dline[LD_DIRECTION], err);
        return -1;
    }
    int phase = s->backward ? PH_COUNT + (int)lesson_slide_back_phase(s) : (int)lesson_slide_phase(s);
    int nph = app_step_phases(a);
    double t0 = viz_tau_shown_n(&ss->trace, nph, viz_tau_at_n(&ss->trace, nph, lesson_slide_step(s, ss->trace.T), phase));
    a->view.playing = false;
    if (animate) {   /* the slide's phase plays once, then holds */
        a->view.tau = t0;
        a->view.stop_at = t0 + 0.99999;
    } else {         /* the phase complete, as the screenshot's --step/--phase */
        a->view.tau = t0 + 0.99999;
        a->view.stop_at = 0;
    }
    return 0;
}

int app_enter_slide(App *a, int i, bool animate) {
    AppLesson *l = &a->lesson;
    if (!l->loaded || l->lesson.n_slides < 1) return -1;
    if (i < 0) i = 0;
    if (i >= l->lesson.n_slides) i = l->lesson.n_slides - 1;
    const LessonSlide *s = &l->lesson.slides[i];
    l->slide = i;
    l->narr_scroll = 0;
    l->slide_err[0] = 0;
    a->view.help = a->menu.open = false;
    if (a->editor.open) editor_close(a);
    app_say(a, "");
    a->w.dirty = true;
    char dir[1024];
    bool have_dir = app_find_models_dir(dir, sizeof dir);
    if (!s->lab) lab_leave_slide(a);   /* a lab lives only on its slides: its workers stop */
    if (s->train) return train_enter_slide(a, s, animate, have_dir, dir);
    train_leave_slide(a, false);   /* a training slide's run waits while the class looks elsewhere */
    if (s->lab) return lab_enter_slide(a, s, animate, have_dir, dir);
    return s->chart ? enter_chart(a, s, have_dir, dir) : enter_decoding(a, s, animate, have_dir, dir);
}

bool lesson_mode_off_slide(const App *a) {
    const AppLesson *l = &a->lesson;
    if (!l->loaded || lesson_mode_still(a)) return false;
    const LessonSlide *s = &l->lesson.slides[l->slide];
    return s->input && (strcmp(a->session.input, s->input) != 0 || strcmp(a->session.target, s->target ? s->target : "") != 0);
}

void lesson_mode_slide_again(App *a) { app_enter_slide(a, a->lesson.slide, true); }

bool lesson_mode_still(const App *a) {
    const AppLesson *l = &a->lesson;
    const LessonSlide *s = &l->lesson.slides[l->slide];
    return s->chart || s->lab || l->slide_err[0] || !a->session.have_trace;
}

/* ---- the keys of a lesson (keys.c) ---- */

void lesson_mode_next_slide(App *a, int dir) {
    int to = a->lesson.slide + dir;
    if (to >= 0 && to < a->lesson.lesson.n_slides) app_enter_slide(a, to, true);
}

/* Back to the lessons: the picker it came from, else the picker of the
 * lessons next to the executable (a lesson opened with --lesson). Esc never
 * quits: Q does. */
void lesson_mode_back(App *a) {
    char err[AV_ERR_LEN];
    if (a->lesson.from_picker && a->lesson.entries) {
        app_close_lesson(a);
        a->lesson.error[0] = 0;
        a->mode = MODE_PICKER;
        return;
    }
    if (!app_find_lessons_dir(a->lesson.dir, sizeof a->lesson.dir) || app_open_picker(a, a->lesson.dir, err) != 0) {
        app_say(a, app_str(a, UI_M_NO_LESSONS_DIR));
        return;
    }
    app_close_lesson(a);
    a->lesson.error[0] = 0;
    a->lesson.from_picker = true;
}

/* ---- the lesson mode ---- */

/* The narration's size in a W × H window: 1.375 × the smallest text (22 at
 * 1280×720, 19.25 at 1024×600), with the zoom; and where its panel starts. */
static float narration_px(const App *a, float W, float H) { return 1.375f * viz_text_min(W, H, a->ui.zoom); }
static float narration_x(const App *a, float W, float H) { return W - narration_panel_width(W, narration_px(a, W, H)); }

void lesson_mode_event(App *a, const SDL_Event *e) {
    AppLesson *l = &a->lesson;
    if (view_overlays_event(a, e)) return;
    if (e->type == SDL_MOUSEWHEEL && l->loaded) {   /* the wheel over the narration scrolls it */
        int w = 1280, h = 720;
        if (a->w.win) SDL_GetWindowSize(a->w.win, &w, &h);
        if (a->ui.mouse_in && a->ui.mouse_x >= narration_x(a, (float)w, (float)h)) {
            l->narr_scroll -= (float)e->wheel.y * 3 * narration_px(a, (float)w, (float)h) * 1.3f;
            if (l->narr_scroll < 0) l->narr_scroll = 0;
            if (l->narr_scroll > l->narr.max_scroll) l->narr_scroll = l->narr.max_scroll;
            a->w.dirty = true;
            return;
        }
    }
    KeyContext ctx = app_key_context(a);
    if (e->type == SDL_MOUSEBUTTONDOWN && e->button.button == SDL_BUTTON_LEFT && lesson_mode_off_slide(a)) {
        for (int i = 0; i < a->w.dl.n; i++) {   /* a click on the note: back to the slide */
            const DlCmd *c = &a->w.dl.cmds[i];
            if (c->tag == LV_TAG_OFF_SLIDE && c->a == 0 && e->button.x >= c->x && e->button.x < c->x + c->w &&
                e->button.y >= c->y && e->button.y < c->y + c->h) {
                lesson_mode_slide_again(a);
                return;
            }
        }
    }
    if (e->type == SDL_KEYDOWN) keys_dispatch(a, ctx, &e->key);
    else if (ctx == KEYS_LESSON) view_pointer_event(a, e);
    else if (ctx == KEYS_LTRAIN) train_pointer_event(a, e);
    else view_still_pointer_event(a, e);
}

/* Beside the narration: the chart, the slide's error, or nothing yet. */
static void still_frame(App *a, const LessonSlide *s, float aw, float H, float px, float text_min) {
    const AppLesson *l = &a->lesson;
    DrawList *dl = &a->w.dl;
    bool dark = a->ui.dark;
    float m = px * 0.8f;
    dl_clear(dl);
    dl_rect(dl, 0, 0, aw, H, viz_background(dark));
    if (l->slide_err[0])
        narration_message(dl, m, m, aw - 2 * m, H - 2 * m, dark, px, app_str(a, UI_M_SLIDE_BROKEN), l->slide_err);
    else if (s->chart && l->have_chart)
        chart_build(dl, &l->chart, m, m, aw - 2 * m, H - 2 * m, dark, text_min);
    else
        narration_message(dl, m, m, aw - 2 * m, H - 2 * m, dark, px, app_str(a, UI_CHART_TITLE),
                          l->chart_err[0] ? l->chart_err : app_str(a, UI_M_NO_CHART));
}

/* The status line and the key help over a frame without a decoding. */
static void still_overlays(App *a, float W, float H) {
    VizState st;
    app_viz_state(a, &st);
    viz_overlays(&a->w.dl, &st, W, H);
}

void lesson_mode_frame(App *a, float W, float H) {
    AppLesson *l = &a->lesson;
    DrawList *dl = &a->w.dl;
    float px = narration_px(a, W, H), text_min = viz_text_min(W, H, a->ui.zoom);
    if (!l->loaded) {   /* a lesson that does not load: its message */
        float m = W * 0.06f;
        dl_clear(dl);
        dl_rect(dl, 0, 0, W, H, viz_background(a->ui.dark));
        narration_message(dl, m, m, W - 2 * m, H - 2 * m, a->ui.dark, px * 1.1f, ui_str(a->ui.lang, UI_BROKEN), l->error);
        still_overlays(a, W, H);
        return;
    }
    const LessonSlide *s = &l->lesson.slides[l->slide];
    float aw = narration_x(a, W, H), pw = W - aw;
    if (app_training(a)) {
        train_frame(a, aw, H, APP_LESSON_DESIGN_W, text_min);
    } else if (app_lab_slide(a)) {
        lab_frame(a, aw, H, text_min);
    } else if (lesson_mode_still(a)) {
        still_frame(a, s, aw, H, px, text_min);
    } else {
        VizState st;
        app_viz_state(a, &st);
        st.text_min = text_min;   /* the window's, not the view's part of it */
        viz_build(dl, &a->session.trace, &st, aw, H);
    }
    int n0 = dl->n;
    size_t c0 = dl->nchars;
    for (int pass = 0; pass < 2; pass++) {
        NarrationDesc d = {.x = aw, .y = 0, .w = pw, .h = H, .font_px = px, .dark = a->ui.dark, .slide_index = l->slide,
                           .slide_count = l->lesson.n_slides, .lesson_title = l->lesson.title, .lang = app_lang(a),
                           .scroll = l->narr_scroll};
        narration_build(dl, s, &d, &l->narr);
        float sc = l->narr_scroll > l->narr.max_scroll ? l->narr.max_scroll : l->narr_scroll < 0 ? 0 : l->narr_scroll;
        if (sc == l->narr_scroll) break;
        l->narr_scroll = sc;   /* scrolled past the end (a larger font, a resize): again, clamped */
        dl->n = n0;
        dl->nchars = c0;
        dl->last = n0 - 1;
    }
    if (app_training(a)) return;   /* the training's screen drew its own status line and key help */
    if (app_lab_slide(a)) {        /* the lab's status line and key help, over the whole window */
        lab_overlays(a, W, H);
        return;
    }
    if (lesson_mode_still(a)) still_overlays(a, W, H);
    else if (lesson_mode_off_slide(a))   /* Tab or typing: the narration is about another input */
        lesson_note_build(dl, aw, 0, pw, px, a->ui.dark, app_lang(a), s->input);
}

/* ---- the picker ---- */

void picker_mode_move(App *a, int to) {
    AppLesson *l = &a->lesson;
    l->sel = to >= l->n_entries ? l->n_entries - 1 : to;
    if (l->sel < 0) l->sel = 0;
}

static void choose(App *a, int i) {
    AppLesson *l = &a->lesson;
    if (i < 0 || i >= l->n_entries) return;
    l->sel = i;
    a->w.dirty = true;
    if (l->entries[i].error[0]) return;   /* shown in its row already */
    char err[AV_ERR_LEN];
    if (app_open_lesson(a, l->entries[i].path, err) != 0) {
        snprintf(l->entries[i].error, sizeof l->entries[i].error, "%s", err);
        l->error[0] = 0;
        a->mode = MODE_PICKER;
        return;
    }
    l->from_picker = true;
    app_enter_slide(a, 0, true);
}

void picker_mode_open_selected(App *a) { choose(a, a->lesson.sel); }

void picker_mode_switch_language(App *a) {
    char err[AV_ERR_LEN], old[8];
    snprintf(old, sizeof old, "%s", a->ui.lang);
    snprintf(a->ui.lang, sizeof a->ui.lang, "%s", strcmp(a->ui.lang, "ko") == 0 ? "en" : "ko");
    if (app_open_picker(a, a->lesson.dir, err) != 0) snprintf(a->ui.lang, sizeof a->ui.lang, "%s", old);
}

void picker_mode_event(App *a, const SDL_Event *e) {
    switch (e->type) {
    case SDL_KEYDOWN:
        if (a->ui.message[0]) app_say(a, "");
        keys_dispatch(a, KEYS_PICKER, &e->key);
        a->w.dirty = true;
        break;
    case SDL_MOUSEWHEEL:
        picker_mode_move(a, a->lesson.sel - e->wheel.y);
        a->w.dirty = true;
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) choose(a, picker_hit(&a->w.dl, (float)e->button.x, (float)e->button.y));
        break;
    default: view_still_pointer_event(a, e); break;   /* the hover (app_event: the window, quit) */
    }
}

void picker_mode_frame(App *a, float W, float H) {
    const AppLesson *l = &a->lesson;
    dl_clear(&a->w.dl);
    picker_build(&a->w.dl, l->entries, l->info, l->n_entries, l->sel, W, H, a->ui.dark, a->ui.lang);
    still_overlays(a, W, H);
}
