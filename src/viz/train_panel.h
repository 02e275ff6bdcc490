/* train_panel.h — what the training screen's files share (internal to src/viz): the frame's context (sizes, fonts, theme, language) and one function per panel.
 *
 * Type sizes are in design units (1280×720) times u: the smallest, F_MIN,
 * is 18, so text is at least 18 px at 1280×720 and 14.4 px at 1024×600.
 */
#ifndef TRAIN_PANEL_H
#define TRAIN_PANEL_H

#include "panel.h"
#include "train_view.h"

enum { TV_F_MIN = 18, TV_F_LAB = 19, TV_F_BIG = 24 };

typedef struct {
    Theme th;
    bool dark;
    const char *lang;
    float u;                      /* design unit                        */
    float f_min, f_lab, f_big;    /* type sizes in window units          */
} TvCtx;

TvCtx tv_ctx(float u, bool dark, const char *lang);
static inline const char *tv_str(const TvCtx *c, UiStr id) { return ui_str(c->lang, id); }
/* Text centred on cx in w: shrunk down to min_px (never under F_MIN), else
 * shortened with "…" (panel.h: viz_text_center). */
static inline DlCmd *tv_center(DrawList *dl, const TvCtx *c, float cx, float y, float w, float px, float min_px,
                               int flags, Color col, const char *s) {
    Layout L = {.fmin = fmaxf(min_px, c->f_min)};
    return viz_text_center(dl, &L, cx, y, w, px, flags, col, s);
}

/* The probe's alignment matrix in the rectangle: source tokens on top, the
 * output tokens (and the reference) at the left, cells in viridis.
 * heading: the line above it, or NULL. */
void tv_probe(DrawList *dl, const TvCtx *c, const VizProbe *p, const char *heading, float x, float y, float w, float h);
/* The film strip: one slot per film frame and one for the latest weights,
 * the selected one framed, and the timeline track under them. */
void tv_film(DrawList *dl, const TvCtx *c, const VizTrain *t, float x, float y, float w, float h);
/* One probe as a thumbnail (cells only, square) filling the box, tagged
 * with frame i. */
void tv_thumb(DrawList *dl, const TvCtx *c, const VizProbe *p, int i, float x, float y, float w, float h);

#endif
