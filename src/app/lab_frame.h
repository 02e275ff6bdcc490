/* lab_frame.h — the mechanism lab's sessions as the lab view's picture, and that picture as a PNG (the command line's learn --lab --screenshot). */
#ifndef LAB_FRAME_H
#define LAB_FRAME_H

#include "../tasks/lab.h"
#include "../viz/lab_view.h"

/* The view's data, pointing into the sessions' lines (valid until the
 * sessions step, restart or are freed) and its own curve arrays. */
typedef struct {
    VizLab lab;
    VizLabRun runs[VIZ_LAB_MAX];
    float *mem[VIZ_LAB_MAX];
    char titles[VIZ_LAB_MAX][LAB_LABEL + 16];
    char *ref_text;
    char *ref_buf[1025];
    const char *ref[1026];
} LabFrame;

/* what: the task or data; plan: the planned steps; reference: the probe's
 * right output, one token per character (copy: the probe itself), or NULL.
 * 0, or -1 with err set. */
int lab_frame_make(LabFrame *f, Lab *lab, const char *what, long plan, const char *reference, char *err);
void lab_frame_free(LabFrame *f);

typedef struct {
    const char *path;             /* the PNG (- for standard output)     */
    int width, height;
    const char *font;             /* NULL: the default                   */
} LabShot;

/* The picture rendered offscreen (no window shown) and written whole or not at all. */
int lab_screenshot(const VizLab *lab, const LabShot *o, char *err);

#endif
