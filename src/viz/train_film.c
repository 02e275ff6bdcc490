/* train_film.c — the film strip: the probe's alignment at steps 0, 10, 20, 50, 100, … as thumbnails with their step, the latest weights last, and the timeline under them that scrubs back to any of them; and the same strip as one figure (--film).
 *
 * Every slot has the same width whatever the steps between frames (they
 * grow tenfold every three frames): the strip reads as "a few steps in,
 * then ever longer", which is how learning goes. The slot of the snapshot
 * on screen is framed in the accent colour and the timeline's knob sits
 * under it.
 */
#include "train_panel.h"

#include <stdio.h>
#include <string.h>

/* "step 1,200" under a thumbnail, or "now · 1,234" for the latest weights */
static void slot_label(DrawList *dl, const TvCtx *c, bool live, long step, float cx, float y, float w, Color col) {
    char num[32], b[64];
    viz_count(num, sizeof num, step);
    snprintf(b, sizeof b, tv_str(c, live ? UI_TV_NOW : UI_TV_STEP), num);
    tv_center(dl, c, cx, y, w, c->f_min, c->f_min, live ? TEXT_BOLD : 0, col, b);
}

void tv_film(DrawList *dl, const TvCtx *c, const VizTrain *t, float x, float y, float w, float h) {
    float u = c->u, lh = dl_text_height(dl, c->f_min);
    int n = t->n_film, slots = n + 1;
    dl_text(dl, x, y, c->f_min, TEXT_BOLD, c->th.text, tv_str(c, UI_TV_FILM));
    float tw = dl_text_width(dl, tv_str(c, UI_TV_FILM), c->f_min, TEXT_BOLD);
    dl_text(dl, x + tw + 14 * u, y, c->f_min, 0, c->th.dim, tv_str(c, UI_TV_FILM_HINT));
    y += lh * 1.2f, h -= lh * 1.2f;
    float track_h = 22 * u, thumb_h = h - lh * 1.2f - track_h - 6 * u;
    float sw = fminf(w / (float)slots, 130 * u), gap = 8 * u;
    if (thumb_h < 12 * u || sw < 20 * u) return;
    int sel = t->film_sel < 0 || t->film_sel > n ? n : t->film_sel;
    for (int i = 0; i < slots; i++) {
        float sx = x + sw * (float)i;
        bool live = i == n, on = i == sel;
        const VizProbe *p = live ? NULL : &t->film[i];
        if (live) {   /* the latest weights: the matrix as it is now, when it is what the centre shows */
            VizProbe now = t->probe;
            if (t->film_sel >= 0 && t->film_sel < n) now.w = NULL;
            tv_thumb(dl, c, &now, n, sx, y, sw - gap, thumb_h);
        } else {
            tv_thumb(dl, c, p, i, sx, y, sw - gap, thumb_h);
        }
        dl_rect(dl, sx, y, sw - gap, thumb_h, (Color){0, 0, 0, 1});   /* the click target */
        dl_tag(dl, TV_TAG_FILM_THUMB, i, 0);
        if (on) dl_frame(dl, sx - 3 * u, y - 3 * u, sw - gap + 6 * u, thumb_h + 6 * u, 3 * u, c->th.accent);
        slot_label(dl, c, live, live ? t->step : p->step, sx + (sw - gap) / 2, y + thumb_h + 4 * u, sw - 2,
                   on ? c->th.accent : c->th.text);
        if (!live) dl_tag(dl, TV_TAG_FILM_STEP, i, 0);
    }
    /* the timeline: a track from the first slot to the last, a knob at the selection */
    float ty = y + thumb_h + lh * 1.2f + 8 * u, x0 = x + (sw - gap) / 2, x1 = x + sw * (float)n + (sw - gap) / 2;
    dl_rect(dl, x0 - 10 * u, ty, x1 - x0 + 20 * u, track_h, (Color){0, 0, 0, 1});
    dl_tag(dl, TV_TAG_TIMELINE, n, 0);
    dl_rect(dl, x0, ty + track_h / 2 - 2 * u, x1 - x0, 4 * u, c->th.grid);
    for (int i = 0; i < slots; i++) dl_rect(dl, x0 + sw * (float)i - 1.5f * u, ty + track_h / 2 - 6 * u, 3 * u, 12 * u, c->th.dim);
    float kx = x0 + sw * (float)sel;
    dl_rect(dl, kx - 7 * u, ty + track_h / 2 - 9 * u, 14 * u, 18 * u, c->th.accent);
}

int viz_train_film_hit(const DrawList *dl, float x, float y) {
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->tag == TV_TAG_FILM_THUMB && x >= c->x && x < c->x + c->w && y >= c->y && y < c->y + c->h) return c->a;
    }
    return -1;
}

int viz_train_timeline_hit(const DrawList *dl, int n_film, float x, float y) {
    float x0 = 0, x1 = 0;
    bool track = false;
    int slots = 0;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->tag == TV_TAG_FILM_THUMB && c->a == 0) x0 = c->x + c->w / 2;
        if (c->tag == TV_TAG_FILM_THUMB && c->a == n_film) x1 = c->x + c->w / 2, slots = n_film;
        if (c->tag == TV_TAG_TIMELINE && x >= c->x && x < c->x + c->w && y >= c->y - 6 && y < c->y + c->h + 6) track = true;
    }
    if (!track) return -1;
    if (slots == 0 || x1 <= x0) return n_film;
    int k = (int)lroundf((x - x0) / (x1 - x0) * (float)slots);
    return k < 0 ? 0 : k > n_film ? n_film : k;
}

/* ---- the film strip as one figure ---- */

void viz_film_figure(DrawList *dl, const VizProbe *film, int n, const char *title, float W, float H, bool dark,
                     const char *lang) {
    TvCtx c = tv_ctx(fminf(W / 1280, H / 720) < 0.5f ? 0.5f : fminf(W / 1280, H / 720), dark, lang);
    dl_clear(dl);
    dl_rect(dl, 0, 0, W, H, c.th.bg);
    float pad = 24 * c.u, lh = dl_text_height(dl, c.f_min), y = pad;
    if (title) {
        float p = viz_fit(dl, title, W - 2 * pad, c.f_big, c.f_min, TEXT_BOLD);
        dl_text(dl, pad, y, p > 0 ? p : c.f_min, TEXT_BOLD, c.th.text, title);
        y += dl_text_height(dl, c.f_big) * 1.3f;
    }
    if (n < 1) {
        dl_text(dl, pad, y, c.f_lab, 0, c.th.dim, tv_str(&c, UI_TV_NO_FILM));
        return;
    }
    /* rows of at most 6; each slot a thumbnail and its step */
    int cols = n < 6 ? n : 6, rows = (n + cols - 1) / cols;
    float sw = (W - 2 * pad) / (float)cols, sh = (H - y - pad) / (float)rows, gap = 14 * c.u;
    for (int i = 0; i < n; i++) {
        float sx = pad + sw * (float)(i % cols), sy = y + sh * (float)(i / cols);
        float th = sh - lh * 1.3f - gap;
        tv_thumb(dl, &c, &film[i], i, sx, sy, sw - gap, th);
        dl_rect(dl, sx, sy, sw - gap, th, (Color){0, 0, 0, 1});
        dl_tag(dl, TV_TAG_FILM_THUMB, i, 0);
        slot_label(dl, &c, false, film[i].step, sx + (sw - gap) / 2, sy + th + 4 * c.u, sw - gap, c.th.text);
        dl_tag(dl, TV_TAG_FILM_STEP, i, 0);
    }
}
