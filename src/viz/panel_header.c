/* panel_header.c — the top three lines of the view: the phase's caption and
 * what it does, its formula, and its numbers (the text comes from caption.c,
 * or caption_back.c in a backward phase; this file only lays it out), with
 * the step counter at the right. A backward formula too long for its line
 * at the readable size (the softmax's chain rule beside a lesson's
 * narration) takes two lines, broken before an "=", and the layout keeps the
 * second line for the whole decoding (viz_header_formula_lines). */
#include "panel.h"

#include <stdio.h>
#include <string.h>

#include "caption.h"

/* The formula's and the numbers' room: from the left edge to the colour legends at the right. */
static float formula_room(const DrawList *dl, const Layout *L, const char *lang) {
    return viz_legend_x0(dl, L, lang) - 16 * L->u - L->pad;
}

int viz_header_formula_lines(const DrawList *dl, const Layout *L, const Trace *tr, const VizState *st) {
    if (viz_step_phases(tr, st) <= PH_COUNT) return 1;
    float w = formula_room(dl, L, st->lang);
    VizCaption k;
    for (int b = 0; b < BPH_COUNT; b++) {   /* a backward formula depends on the model and η, not on the step */
        viz_back_caption(&k, tr, st->grad, 0, b, -1, st->lang);
        if (dl_text_width(dl, k.formula, viz_floor(L, k.formula, TEXT_MATH), TEXT_MATH) > w) return 2;
    }
    return 1;
}

/* A formula in two lines: where it breaks, at what size, and how far the
 * second line is indented (so that its "=" stands under the first one). */
typedef struct {
    char a[512], b[512];
    float px, indent;
} TwoLines;

/* The break at byte i (a space outside brackets) of s, tried at px: the
 * size both halves fit w at (0: none), the halves and the indent into t. */
static float try_break(const DrawList *dl, const Layout *L, const char *s, int i, float w, float px, TwoLines *t) {
    snprintf(t->a, sizeof t->a, "%.*s", i, s);
    snprintf(t->b, sizeof t->b, "%s", s + i + 1);
    float fl = viz_floor(L, s, TEXT_MATH), p = fminf(viz_fit(dl, t->a, w, px, fl, TEXT_MATH),
                                                    viz_fit(dl, t->b, w, px, fl, TEXT_MATH));
    t->px = p;
    t->indent = 0;
    const char *eq = strstr(s, " = ");
    if (p > 0 && t->b[0] == '=' && eq) {   /* "=" under "=": the left-hand side's width, if the line still fits */
        char lhs[512];
        snprintf(lhs, sizeof lhs, "%.*s", (int)(eq - s + 1), s);
        float in = dl_text_width(dl, lhs, p, TEXT_MATH);
        if (in + dl_text_width(dl, t->b, p, TEXT_MATH) <= w) t->indent = in;
    }
    return p;
}

/* The best two lines for s in w, at most px: a break before a top-level
 * " = " first, else after a ",", else at any top-level space; among them the
 * largest size, then the most even lines. False when no break fits. */
static bool two_lines(const DrawList *dl, const Layout *L, const char *s, float w, float px, TwoLines *out) {
    for (int kind = 0; kind < 3; kind++) {
        bool found = false;
        float best_w = 0;
        int depth = 0;
        for (int i = 0; s[i]; i++) {
            if (strchr("([{", s[i])) depth++;
            else if (strchr(")]}", s[i]) && depth > 0) depth--;
            if (s[i] != ' ' || depth > 0 || i == 0) continue;
            bool eq = s[i + 1] == '=' && s[i + 2] == ' ', comma = s[i - 1] == ',';
            if ((kind == 0 && !eq) || (kind == 1 && !comma)) continue;
            TwoLines t;
            float p = try_break(dl, L, s, i, w, px, &t);
            if (p <= 0) continue;
            float wide = fmaxf(dl_text_width(dl, t.a, p, TEXT_MATH), t.indent + dl_text_width(dl, t.b, p, TEXT_MATH));
            if (!found || p > out->px || (p == out->px && wide < best_w)) {
                *out = t;
                best_w = wide;
                found = true;
            }
        }
        if (found) return true;
    }
    return false;
}

/* The formula at form_y, in one line or (when the layout keeps two) in two;
 * returns how many lines it took. */
static int formula(DrawList *dl, const Layout *L, const char *s, float w, Color c) {
    if (L->form_lines < 2 || viz_fit(dl, s, w, L->f_form, viz_floor(L, s, TEXT_MATH), TEXT_MATH) > 0) {
        viz_text_fit(dl, L, L->pad, L->form_y, w, L->f_form, TEXT_MATH, c, s, FIT_END);
        return 1;
    }
    TwoLines t;
    if (!two_lines(dl, L, s, w, L->f_form, &t)) {   /* no break fits: the start, then the rest, each shortened */
        int n = viz_text_wrap(dl, L, L->pad, L->form_y, w, L->f_form, dl_text_height(dl, L->f_form) + 2 * L->u, 2,
                              TEXT_MATH, c, s);
        return n > 1 ? 2 : 1;
    }
    float step = dl_text_height(dl, L->f_form) + 2 * L->u, dy = (dl_text_height(dl, L->f_form) - dl_text_height(dl, t.px)) * 0.75f;
    dl_text(dl, L->pad, L->form_y + dy, t.px, TEXT_MATH, c, t.a);
    dl_text(dl, L->pad + t.indent, L->form_y + step + dy, t.px, TEXT_MATH, c, t.b);
    return 2;
}

void panel_header(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    VizCaption k;
    if (back_ph(v) >= 0) viz_back_caption(&k, v->tr, v->g, v->t, back_ph(v), v->focus, v->st->lang);
    else viz_caption(&k, v->tr, v->t, v->ph, v->focus, v->st->lang);

    /* right: step counter (fixed), left: caption, then the description */
    float sw = dl_text_width(dl, k.step, L->f_label, TEXT_BOLD);
    dl_text(dl, L->W - L->pad - sw, L->cap_y + (L->f_cap - L->f_label) * 0.6f, L->f_label, TEXT_BOLD, th->dim, k.step);
    DlCmd *c = dl_text(dl, L->pad, L->cap_y, L->f_cap, TEXT_BOLD, th->accent, k.title);
    if (c) dl_tag(dl, VIZ_TAG_CAPTION, v->ph, 0);
    float x = L->pad + (c ? c->w : 0) + 14 * L->u;
    float room = L->W - L->pad - sw - 20 * L->u - x;
    float p = fmaxf(viz_fit(dl, k.what, room, L->f_form, viz_floor(L, k.what, TEXT_MATH), TEXT_MATH), L->f_label);
    viz_text_fit(dl, L, x, L->cap_y + (L->f_cap - p) * 0.75f, room, p, TEXT_MATH, th->text, k.what, FIT_END);
    /* formula and numbers stop before the colour legends at the right; a
     * numbers line too long keeps its start and its result; the numbers
     * follow the formula, in one line or two */
    float fw = formula_room(dl, L, v->st->lang);
    int lines = formula(dl, L, k.formula, fw, th->text);
    float ny = L->num_y - (float)(L->form_lines - lines) * (dl_text_height(dl, L->f_form) + 2 * L->u);
    if (k.numbers[0]) viz_text_fit(dl, L, L->pad, ny, fw, L->f_label, TEXT_MATH, th->dim, k.numbers, FIT_MIDDLE);
}
