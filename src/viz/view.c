/* view.c — the picture of one decoding (see view.h): the clock, and
 * viz_build, which works out what the clock and the mouse say (step, phase,
 * the highlighted source position) and calls the panels in drawing order.
 * The panels and the layout are described in panel.h; the words a frame
 * shows come from ui_strings.c, in VizState.lang. */
#include "view.h"

#include <math.h>
#include <string.h>

#include "panel.h"

float viz_text_min(float W, float H, float zoom) {
    float u = fminf(W / 1280.0f, H / 720.0f);
    return fmaxf(14.0f, 16.0f * u) * (zoom > 0 ? zoom : 1);
}

double viz_tau_end_n(const Trace *tr, int nph) { return (double)(tr->T > 0 ? tr->T : 1) * nph; }

double viz_tau_at_n(const Trace *tr, int nph, int step, int phase) {
    int T = tr->T > 0 ? tr->T : 1;
    if (step < 1) step = 1;
    if (step > T) step = T;
    if (phase < 0) phase = 0;
    if (phase >= nph) phase = nph - 1;
    return (double)(step - 1) * nph + phase;
}

void viz_clock_n(const Trace *tr, int nph, double tau, int *step, int *phase, float *progress) {
    double end = viz_tau_end_n(tr, nph);
    if (!(tau >= 0)) tau = 0;
    if (tau >= end) { *step = (int)(end / nph) - 1; *phase = nph - 1; *progress = 1; return; }
    long k = (long)floor(tau);
    *step = (int)(k / nph);
    *phase = (int)(k % nph);
    *progress = (float)(tau - (double)k);
}

double viz_tau_end(const Trace *tr) { return viz_tau_end_n(tr, PH_COUNT); }
double viz_tau_at(const Trace *tr, int step, int phase) { return viz_tau_at_n(tr, PH_COUNT, step, phase); }
void viz_clock(const Trace *tr, double tau, int *step, int *phase, float *progress) {
    viz_clock_n(tr, PH_COUNT, tau, step, phase, progress);
}

int viz_step_phases(const Trace *tr, const VizState *st) {
    const GradTrace *g = st->grad;
    return st->backward && g && g->S == tr->S && g->T == tr->T ? VIZ_PHASES_BACKWARD : PH_COUNT;
}

bool viz_phase_shown(const Trace *tr, int ph) {
    if (cfg_attn(&tr->cfg)) return ph >= 0 && ph < PH_COUNT;
    return ph == PH_ENCODER || ph == PH_QUERY || ph == PH_OUTPUT || ph == PH_NEXT;
}

int viz_phases_shown(const Trace *tr) {
    int n = 0;
    for (int p = 0; p < PH_COUNT; p++) n += viz_phase_shown(tr, p);
    return n;
}

int viz_phase_rank(const Trace *tr, int ph) {
    int r = 0;
    for (int p = 0; p < ph && p < PH_COUNT; p++) r += viz_phase_shown(tr, p);
    return r;
}

double viz_tau_shown_n(const Trace *tr, int nph, double tau) {
    double end = viz_tau_end_n(tr, nph);
    for (int i = 0; i < nph && tau < end; i++) {
        long k = (long)floor(tau);
        int ph = k < 0 ? 0 : (int)(k % nph);
        if (k < 0 || ph >= PH_COUNT || viz_phase_shown(tr, ph)) break;   /* backward phases: all shown */
        tau += 1;
    }
    return tau;
}

double viz_tau_shown(const Trace *tr, double tau) { return viz_tau_shown_n(tr, PH_COUNT, tau); }

/* The highlighted source position: under the mouse, else the one the phase
 * is about (the sweep of the encoder and of the scores, then the largest
 * score or weight); -1 for none. Sets v->hover_s too. */
static void find_focus(View *v) {
    const Trace *tr = v->tr;
    const VizState *st = v->st;
    const Layout *L = &v->L;
    const TraceStep *cur = &tr->steps[v->t];
    v->hover_s = -1;
    if (st->mouse_in && st->mouse_x >= L->cx0 && st->mouse_x < col_x(L, tr->S) &&
        st->mouse_y >= L->tok_y && st->mouse_y < L->mat_y + L->row_h * (float)tr->T)
        v->hover_s = (int)((st->mouse_x - L->cx0) / L->cw);
    if (v->hover_s >= tr->S) v->hover_s = tr->S - 1;
    v->focus = v->hover_s >= 0 ? v->hover_s : v->pin;   /* the mouse, else a clicked word */
    if (v->focus >= 0) return;
    if (v->ph >= PH_COUNT) { v->focus = viz_back_focus(v); return; }
    /* sweeps follow the token being read / scored, then rest */
    if (v->ph == PH_ENCODER) v->focus = v->t == 0 && v->pr < 0.87f ? (int)fminf((float)tr->S - 1, v->pr * 1.15f * (float)tr->S) : -1;
    else if (!v->attn || v->ph < PH_SCORES) v->focus = -1;
    else if (v->ph == PH_SCORES && v->pr < 0.7f) v->focus = (int)fminf((float)tr->S - 1, v->pr / 0.7f * (float)tr->S);
    else v->focus = argmax(v->ph == PH_SCORES ? cur->scores : cur->weights, tr->S);
}

void viz_build(DrawList *dl, const Trace *tr, const VizState *st, float W, float H) {
    dl_clear(dl);
    View v;
    memset(&v, 0, sizeof v);
    v.tr = tr;
    v.st = st;
    v.th = viz_theme(st->dark);
    if (tr->T < 1 || tr->S < 1) {
        dl_text(dl, 20, 20, 24, 0, v.th.text, ui(&v, UI_EMPTY_TRACE));
        return;
    }
    bool attn = cfg_attn(&tr->cfg) && tr->steps[0].weights;
    v.nph = viz_step_phases(tr, st);
    if (v.nph > PH_COUNT) v.g = st->grad;
    /* the rows' ends and the unknown line, with the backward phases on or off: one layout for the whole
     * decoding, so nothing jumps between a step's forward and backward phases (both draw them) */
    int rows = (attn ? ROWS_P | (tr->has_reference ? ROWS_REF : 0) : 0) | (st->unknown ? ROWS_NOTE : 0);
    v.L = viz_layout(dl, tr, st, W, H, rows);
    viz_clock_n(tr, v.nph, viz_tau_shown_n(tr, v.nph, st->tau), &v.t, &v.ph, &v.pr);
    v.attn = attn;
    v.luong = tr->cfg.style == STYLE_LUONG;
    if (v.attn)
        for (int s = 0; s < tr->S; s++) v.maxabs = fmaxf(v.maxabs, fabsf(score_at(&v, v.t, s)));
    v.pin = st->pin > 0 && st->pin <= tr->S ? st->pin - 1 : -1;
    find_focus(&v);

    if (st->cmp && st->cmp->S == tr->S && st->cmp->T > 0) {
        panel_legend(dl, &v);
        panel_compare(dl, &v);
        panel_bottom_bar(dl, &v);
        dl_begin_overlay(dl);
        if (st->menu_open) panel_menu(dl, &v);
        if (st->vocab_open) panel_vocab(dl, &v);
        if (st->message) panel_message(dl, &v);
        if (st->help) panel_help(dl, &v);
        return;
    }
    panel_header(dl, &v);
    panel_legend(dl, &v);
    panel_encoder(dl, &v);
    if (v.ph >= PH_COUNT) {   /* a backward phase: backward.c's panels, on the forward picture */
        panel_back_body(dl, &v);
        panel_unknown(dl, &v);
    } else {
        panel_score_bars(dl, &v);
        panel_handover(dl, &v);
        panel_matrix(dl, &v);
        panel_rows(dl, &v);
        panel_outrow(dl, &v);
        panel_unknown(dl, &v);
        panel_pin(dl, &v);
        panel_decoder(dl, &v);
    }
    panel_bottom_bar(dl, &v);
    dl_begin_overlay(dl);
    if (st->vocab_open) panel_vocab(dl, &v);
    if (st->message) panel_message(dl, &v);
    if (st->editing) panel_edit(dl, &v);
    else if (st->menu_open) panel_menu(dl, &v);
    else if (st->vocab_open) {}   /* the list covers what a tooltip would explain */
    else if (v.ph >= PH_COUNT) panel_back_hover(dl, &v);
    else if (!panel_loupe(dl, &v)) panel_hover(dl, &v);   /* long inputs: the magnifier, else the tooltip */
    if (st->mouse_in && !st->editing) panel_score_tip(dl, &v);   /* why a score button is disabled */
    if (st->help) panel_help(dl, &v);
}

void viz_overlays(DrawList *dl, const VizState *st, float W, float H) {
    View v;
    memset(&v, 0, sizeof v);
    v.st = st;
    v.th = viz_theme(st->dark);
    v.L = viz_layout_plain(st, W, H);
    v.focus = v.hover_s = v.pin = -1;
    dl_begin_overlay(dl);
    if (st->message) panel_message(dl, &v);
    if (st->help) panel_help(dl, &v);
}
