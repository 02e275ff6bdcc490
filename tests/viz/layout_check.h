/* layout_check.h — what every layout test asks of a frame: no two labels overlap, none leaves the window. */
#ifndef TESTS_VIZ_LAYOUT_CHECK_H
#define TESTS_VIZ_LAYOUT_CHECK_H

#include <criterion/criterion.h>

#include "base/drawlist.h"
#include "viz/view.h"

static bool overlap(const DlCmd *a, const DlCmd *b) {
    /* the ink of a line sits inside its box: shrink the boxes a little
     * vertically (line gap and descent), not horizontally */
    float ia = a->h * 0.12f, ib = b->h * 0.12f;
    return a->x < b->x + b->w - 0.5f && b->x < a->x + a->w - 0.5f &&
           a->y + ia < b->y + b->h - ib && b->y + ib < a->y + a->h - ia;
}

/* The picture's labels (the overlays, drawn over it, aside). */
static void check_no_overlap(const DrawList *dl, const char *what) {
    int n = dl->overlay_from >= 0 && dl->overlay_from < dl->n ? dl->overlay_from : dl->n;
    for (int i = 0; i < n; i++) {
        const DlCmd *a = &dl->cmds[i];
        if (a->kind != DL_TEXT || a->tag == VIZ_TAG_OVERLAY || a->w <= 0) continue;
        cr_assert(a->x >= -0.5f && a->y >= -0.5f, "%s: label '%s' starts off screen at (%.1f, %.1f)", what,
                  dl_str(dl, a), (double)a->x, (double)a->y);
        for (int j = i + 1; j < n; j++) {
            const DlCmd *b = &dl->cmds[j];
            if (b->kind != DL_TEXT || b->tag == VIZ_TAG_OVERLAY || b->w <= 0) continue;
            cr_assert(!overlap(a, b), "%s: '%s' (%.1f,%.1f %.1fx%.1f) overlaps '%s' (%.1f,%.1f %.1fx%.1f)", what,
                      dl_str(dl, a), (double)a->x, (double)a->y, (double)a->w, (double)a->h, dl_str(dl, b),
                      (double)b->x, (double)b->y, (double)b->w, (double)b->h);
        }
    }
}

static void check_inside(const DrawList *dl, float W, float H, const char *what) {
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *a = &dl->cmds[i];
        if (a->kind != DL_TEXT || a->tag == VIZ_TAG_OVERLAY) continue;
        cr_assert(a->x + a->w <= W + 0.5f && a->y + a->h * 0.8f <= H + 0.5f, "%s: label '%s' leaves the %gx%g window",
                  what, dl_str(dl, a), (double)W, (double)H);
    }
}

#endif
