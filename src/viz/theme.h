/* theme.h — the colours of everything the visualizer draws, light and dark:
 * one Theme for the view, the narration, the lesson picker and the charts.
 *
 * The view and the lesson views share the page colours (bg, text, faint,
 * accent). Running text beside the animation (narration, picker, chart) sits
 * on a slightly lighter panel with a darker "dim" and "warn" than the view's,
 * so every text colour there keeps a contrast of at least 4.5:1 on a
 * projector: those three are the prose_* colours.
 */
#ifndef THEME_H
#define THEME_H

#include <stdbool.h>

#include "../base/drawlist.h"

typedef struct {
    Color bg;          /* the window                                          */
    Color text;        /* what is read                                        */
    Color faint;       /* rules, disabled buttons, hints                      */
    Color accent;      /* what the phase is about: captions, focus, current   */
    /* the view */
    Color panel;       /* the decoder's panel, matrix cells not shown yet     */
    Color dim;         /* labels                                              */
    Color grid;        /* tracks, cells, enabled buttons                      */
    Color warn;        /* <unk>, a prediction that differs from the reference */
    Color good;        /* teacher forced                                      */
    Color neutral;     /* the coin while it spins                             */
    /* the lesson views: narration, picker, chart */
    Color prose_panel; /* the narration panel, the picker's rows, the chart   */
    Color prose_dim;   /* footers, details, axes                              */
    Color prose_warn;  /* error messages                                      */
    Color code, code_bg, math;   /* narration spans                           */
    Color select;      /* the picker's selected row                           */
} Theme;

Theme viz_theme(bool dark);

#endif
