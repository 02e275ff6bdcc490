/* narration.h — a lesson slide's narration as a panel of wrapped text, built
 * into a DrawList (window units, no GL, no SDL; text measured through the
 * draw list's TextMeasure).
 *
 * The panel: the slide title at the top, the narration blocks (paragraphs,
 * bullets, numbered items, headings, code blocks) in the middle, scrolled by
 * `scroll` units, and a footer with the lesson title and "slide 3 / 9".
 * A table is a grid: columns as wide as their content when the panel has
 * room, else each at least as wide as its longest word with the rest of the
 * room shared out; cells wrap inside their column, rows grow to their
 * tallest cell, so cells never overlap (narration_table.c).
 * Lines are word-wrapped at spaces; a word longer than the line (a long
 * Hangul run, a command) is broken between characters, never inside a
 * UTF-8 sequence and never before a combining mark. A line that does not fit
 * vertically is not drawn at all (no half lines): NarrationLayout says how
 * much is hidden, so the app can offer scrolling.
 *
 * Colours come from theme.h (the prose_* ones), words from ui_strings.h.
 */
#ifndef NARRATION_H
#define NARRATION_H

#include <stdbool.h>
#include <stddef.h>

#include "../lesson/lesson.h"
#include "../base/drawlist.h"

/* Tags of the lesson views (DlCmd.tag), above view.h's VIZ_TAG_*. */
enum {
    LV_TAG_NARR_TITLE = 1000,   /* b = line of the slide title             */
    LV_TAG_NARR_TEXT,           /* a = block, b = line within the block    */
    LV_TAG_NARR_MARKER,         /* a = block: its bullet or number         */
    LV_TAG_NARR_FOOTER,         /* a = 0 lesson title, 1 "slide i / n"     */
    LV_TAG_NARR_MORE,           /* a = -1 more above, +1 more below        */
    LV_TAG_NARR_PANEL,          /* the panel's background                  */
    LV_TAG_MESSAGE,             /* narration_message: a = 0 title, 1 text  */
    LV_TAG_NARR_CELL,           /* a table cell's text: a = block,
                                   b = row * LESSON_MAX_COLS + column       */
    LV_TAG_NARR_GRID,           /* a table's rules and header shade: a = block */
    /* chart.h and picker.h continue from 1100 and 1200 */
};

typedef struct {
    float x, y, w, h;            /* the panel, window units                  */
    float font_px;               /* narration text size (0: 20)              */
    bool dark;
    int slide_index;             /* 0-based                                  */
    int slide_count;
    const char *lesson_title;    /* footer, or NULL                          */
    const char *lang;            /* UI strings ("en", "ko"), NULL: English   */
    float scroll;                /* units the narration is scrolled down     */
} NarrationDesc;

typedef struct {
    float content_h;             /* height of all the narration              */
    float view_h;                /* height of the area it scrolls in         */
    float max_scroll;            /* max(0, content_h - view_h): clamp to it  */
    int lines_hidden;            /* lines not drawn (scrolled off or below)  */
    float widest;                /* widest line drawn, window units          */
    bool overflow_x;             /* a single character was wider than the
                                    panel and was not drawn                   */
} NarrationLayout;

/* The panel's width in a W-wide window at this font size: about 19 em,
 * between 280 units and 40% of W (1280 at 22 px: 418; 1024 at 18 px: 342).
 * The animation gets the rest: viz_build(dl, tr, st, W - width, H). */
float narration_panel_width(float W, float font_px);

/* The slide's panel. s may be NULL (an empty panel with the footer); out
 * may be NULL. */
void narration_build(DrawList *dl, const LessonSlide *s, const NarrationDesc *d, NarrationLayout *out);

/* A message in the box (x, y, w, h): a bold title and wrapped plain text,
 * e.g. a lesson that fails to load ("lessons/en/03-dot-attention.md:14:
 * unknown phase 'softmx' ...") or chart data that is missing. Lines that do
 * not fit are left out. Text is tagged LV_TAG_MESSAGE. */
void narration_message(DrawList *dl, float x, float y, float w, float h, bool dark, float font_px, const char *title,
                       const char *msg);

/* Shorten s to fit max_w (ending it with "…") on a character boundary; out
 * gets at most cap-1 bytes. Returns the width of what was written. */
float lv_fit(const DrawList *dl, const char *s, float px, int flags, float max_w, char *out, size_t cap);

#endif
