/* mode_view.c — the decoding view mode: its clock (phase by phase), the pointer over the picture, and its frame.
 *
 * The clock τ (view.h) is the whole animation state: a key moves it to the
 * start of a phase and lets that phase play once; the picture is rebuilt
 * from (trace, τ, UI state) every frame. Keys are in keys.c; this file has
 * what they move and the mouse.
 */
#include "app.h"

#include <math.h>
#include <stdio.h>

#include "keys.h"

static const double MORPH_SECONDS = 0.6;   /* old weights → new after a switch */

/* ---- the clock ---- */

long view_phase_index(const App *a) { return (long)floor(a->view.tau); }

void view_step_phase(App *a, int dir) {
    const Trace *tr = &a->session.trace;
    long k = view_phase_index(a) + dir, nph = app_step_phases(a);
    while (k > 0 && dir < 0 && k % nph < PH_COUNT && !viz_phase_shown(tr, (int)(k % nph))) k--;   /* back over what the model lacks */
    view_goto_phase(a, k);
}

void view_goto_phase(App *a, long k) {
    const Trace *tr = &a->session.trace;
    int nph = app_step_phases(a);
    double end = viz_tau_end_n(tr, nph);
    if (k < 0) k = 0;
    if ((double)k >= end) k = (long)end - 1;
    k = (long)viz_tau_shown_n(tr, nph, (double)k);   /* a phase the model does not have: the next it has */
    a->view.tau = (double)k;
    a->view.stop_at = (double)k + 0.99999;
    a->w.dirty = true;
}

void view_play_pause(App *a) {
    AppView *v = &a->view;
    if (!v->playing && v->tau >= viz_tau_end_n(&a->session.trace, app_step_phases(a)) - 1e-3) v->tau = 0;
    v->playing = !v->playing;
    v->stop_at = 0;
}

void view_end(App *a) {
    a->view.tau = viz_tau_end_n(&a->session.trace, app_step_phases(a)) - 1e-5;
    a->view.stop_at = 0;
    a->view.playing = false;
}

bool view_animating(const App *a) {
    const AppView *v = &a->view;
    return a->rec.on || (a->session.have_trace && a->mode != MODE_PICKER &&
           (v->playing || v->tau < v->stop_at || (a->session.have_prev && v->morph < 1)));
}

void view_mode_update(App *a, double dt) {
    AppView *v = &a->view;
    if (!a->session.have_trace) return;   /* the picker, a lesson's message */
    int nph = app_step_phases(a);
    double end = viz_tau_end_n(&a->session.trace, nph), rate = v->speed / VIEW_PHASE_SECONDS;
    /* after step 1 the encoder phase only recalls the states: pass it quickly */
    if (v->tau >= nph && fmod(v->tau, nph) < 1) rate *= 5;
    if (v->playing) {
        v->tau = viz_tau_shown_n(&a->session.trace, nph, v->tau + dt * rate);
        if (v->tau >= end - 1e-5) { v->tau = end - 1e-5; v->playing = false; }
        a->w.dirty = true;
    } else if (v->tau < v->stop_at) {
        v->tau = fmin(viz_tau_shown_n(&a->session.trace, nph, v->tau + dt * rate), v->stop_at);
        a->w.dirty = true;
    }
    if (a->session.have_prev && v->morph < 1) {
        double t = (double)(SDL_GetPerformanceCounter() - v->morph_t0) / (double)SDL_GetPerformanceFrequency();
        v->morph = (float)fmin(t / MORPH_SECONDS, 1);
        if (dt > MORPH_SECONDS) v->morph = 1;   /* a long step (tests): done */
        a->w.dirty = true;
    }
}

/* ---- the pointer ---- */

static void hover(App *a, int x, int y) {
    a->ui.mouse_in = true;
    a->ui.mouse_x = (float)x;
    a->ui.mouse_y = (float)y;
    a->w.dirty = true;
}

/* The timeline under the point: jump there and hold. */
static void scrub(App *a, int x, int y) {
    double tau = viz_timeline_hit(&a->w.dl, &a->session.trace, (float)x, (float)y);
    if (tau < 0) return;
    a->view.tau = tau;
    a->view.stop_at = 0;
    a->view.dragging = true;
    a->w.dirty = true;
}

/* p from a point on the teacher-forcing slider, in steps of 0.05; false when not on it. */
static bool slide(App *a, float x, float y) {
    const DrawList *dl = &a->w.dl;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->tag != VIZ_TAG_TF_SLIDER) continue;
        if (!a->view.sliding && (x < c->x - 6 || x > c->x + c->w + 6 || y < c->y - 10 || y > c->y + c->h + 10)) return false;
        float p = roundf((x - c->x) / c->w * 20) / 20;
        p = p < 0 ? 0 : p > 1 ? 1 : p;
        if (!a->session.tf_on || fabsf(p - a->session.tf_p) > 1e-4f) app_set_forcing(a, true, p);
        return true;
    }
    return false;
}

/* A left click: a score button, the slider, an input field or the input on
 * the title line (the editor), a source word (highlighted; again: let go), a
 * matrix row (that step, same phase), the timeline. */
static void click(App *a, float x, float y) {
    bool on;
    int sk = viz_score_hit(&a->w.dl, x, y, &on);
    if (sk >= 0) { app_switch_score(a, (ScoreKind)sk); return; }
    if (slide(a, x, y)) { a->view.sliding = true; return; }
    if (app_lr_slider(a, x, y)) { a->back.sliding = true; return; }
    const DrawList *dl = &a->w.dl;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        bool in = x >= c->x && x < c->x + c->w && y >= c->y && y < c->y + c->h;
        if (in && c->tag == VIZ_TAG_EDIT_FIELD) { editor_open(a, c->a); return; }
        if (in && c->tag == VIZ_TAG_TITLE) { editor_open(a, 0); return; }
        if (in && c->tag == VIZ_TAG_UNK_NOTE) { vocab_open(a); return; }
        if (in && (c->tag == VIZ_TAG_SRC_TOKEN || c->tag == VIZ_TAG_ENC_CELL)) {   /* the word or its state */
            a->view.pin = a->view.pin == c->a + 1 ? 0 : c->a + 1;
            a->w.dirty = true;
            return;
        }
        if (in && c->tag == VIZ_TAG_ALIGN_CELL && !a->cmp.have) {
            view_goto_phase(a, (long)c->a * app_step_phases(a) + view_phase_index(a) % app_step_phases(a));
            return;
        }
    }
    scrub(a, (int)x, (int)y);
}

void view_pointer_event(App *a, const SDL_Event *e) {
    switch (e->type) {
    case SDL_MOUSEMOTION:
        hover(a, e->motion.x, e->motion.y);
        if (a->view.dragging) scrub(a, e->motion.x, e->motion.y);
        if (a->view.sliding) slide(a, (float)e->motion.x, (float)e->motion.y);
        if (a->back.sliding) app_lr_slider(a, (float)e->motion.x, (float)e->motion.y);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) click(a, (float)e->button.x, (float)e->button.y);
        break;
    case SDL_MOUSEBUTTONUP: a->view.dragging = a->view.sliding = a->back.sliding = false; break;
    default: break;
    }
}

void view_still_pointer_event(App *a, const SDL_Event *e) {
    if (e->type == SDL_MOUSEMOTION) hover(a, e->motion.x, e->motion.y);
}

bool view_overlays_event(App *a, const SDL_Event *e) {
    if ((e->type == SDL_KEYDOWN || e->type == SDL_MOUSEBUTTONDOWN) && a->ui.message[0]) app_say(a, "");
    if (a->editor.open && (e->type == SDL_TEXTINPUT || e->type == SDL_TEXTEDITING || e->type == SDL_KEYDOWN)) {
        editor_event(a, e);
        return true;
    }
    if (a->editor.open && e->type == SDL_MOUSEBUTTONDOWN && e->button.button == SDL_BUTTON_LEFT &&
        editor_click(a, (float)e->button.x, (float)e->button.y, SDL_GetModState() & KMOD_SHIFT))
        return true;
    if (a->vocab.open && (e->type == SDL_KEYDOWN || e->type == SDL_MOUSEWHEEL ||
                          (e->type == SDL_MOUSEBUTTONDOWN && e->button.button == SDL_BUTTON_LEFT))) {
        if (e->type == SDL_MOUSEBUTTONDOWN) vocab_close(a);   /* a click anywhere closes it */
        else vocab_event(a, e);
        return true;
    }
    if (a->menu.open && (e->type == SDL_KEYDOWN || e->type == SDL_MOUSEBUTTONDOWN || e->type == SDL_MOUSEMOTION)) {
        menu_event(a, e);
        return true;
    }
    return false;
}

/* ---- Esc ---- */

/* A slide whose own picture is a comparison (compare: or side-by-side:). */
static bool slide_compares(const App *a) {
    if (a->mode != MODE_LESSON || !a->lesson.loaded) return false;
    const LessonSlide *s = &a->lesson.lesson.slides[a->lesson.slide];
    return s->compare[0] >= 0 || s->side_by_side;
}

bool app_close_one(App *a) {
    if (a->view.help) {
        a->view.help = false;
    } else if (a->vocab.open) {
        vocab_close(a);
    } else if (a->view.pin) {
        a->view.pin = 0;
    } else if (a->cmp.mode && !slide_compares(a)) {
        app_compare_off(a);
    } else if (a->ui.present) {   /* presentation mode last: Esc while presenting closes what is open first */
        app_toggle_present(a);
    } else {
        return false;
    }
    a->w.dirty = true;
    return true;
}

/* ---- the mode ---- */

void view_mode_event(App *a, const SDL_Event *e) {
    if (view_overlays_event(a, e)) return;
    KeyContext ctx = app_key_context(a);
    if (e->type == SDL_KEYDOWN) keys_dispatch(a, ctx, &e->key);
    else if (ctx & (KEYS_VIEW | KEYS_SNAP)) view_pointer_event(a, e);   /* a snapshot is a decoding too */
    else view_still_pointer_event(a, e);
}

void view_mode_frame(App *a, float W, float H) {
    VizState st;
    app_viz_state(a, &st);
    viz_build(&a->w.dl, &a->session.trace, &st, W, H);
}
