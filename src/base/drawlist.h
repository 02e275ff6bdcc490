/* drawlist.h — what a frame is made of, before any GL.
 *
 * The view (view.c) builds one DrawList per frame: filled rectangles,
 * triangles and text runs in window units (origin top left, y down), in
 * painter's order. gfx.c turns it into one vertex buffer; tests read it
 * directly. Every command may carry a tag (what it shows, and for which
 * step and source position), so tests and the mouse can find things
 * without knowing the layout. Strings are copied into the list's own pool.
 */
#ifndef DRAWLIST_H
#define DRAWLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct { uint8_t r, g, b, a; } Color;

typedef enum { DL_RECT, DL_TRI, DL_TEXT } DlKind;

/* Text flags. TEXT_MATH: `_x` / `_{..}` are subscripts, `^x` / `^{..}`
 * superscripts. TEXT_ITALIC: slanted (text.h says how without an italic
 * face). Combining macron (U+0304) and tilde (U+0303) are drawn over the
 * previous character in every string. */
enum { TEXT_BOLD = 1, TEXT_MATH = 2, TEXT_ITALIC = 4 };
/* A TEXT_MATH sub- or superscript is drawn at this fraction of the run's
 * size: large enough that a 20-unit label's subscripts still read at 16. */
#define TEXT_SCRIPT_SCALE 0.8f

typedef struct {
    DlKind kind;
    Color color;
    float x, y, w, h;       /* rect; text: its box (w measured, h one line)  */
    float x1, y1, x2, y2;   /* triangle: (x,y) (x1,y1) (x2,y2)               */
    float size;             /* text: font size in window units               */
    int flags;              /* text: TEXT_*                                  */
    size_t text;            /* text: offset into chars                       */
    int tag, a, b;          /* VIZ_TAG_* and its indices (view.h)            */
    float value;            /* the number it shows, for hover (dl_value)     */
} DlCmd;

/* Text measurement, supplied by whoever owns the fonts (text.c), so that
 * layout needs no GL. Sizes are in window units. */
typedef struct {
    float (*width)(void *ud, const char *s, float px, int flags);
    float (*height)(void *ud, float px);       /* one line's height */
    void *ud;
} TextMeasure;

typedef struct {
    DlCmd *cmds;
    int n, cap;
    char *chars;
    size_t nchars, capchars;
    const TextMeasure *measure;
    int last;               /* index of the last command pushed, or -1     */
    int overlay_from;       /* commands from here on (tooltips, help) are
                               drawn strictly in order above the rest; -1: none */
    bool oom;               /* an allocation failed: the frame is incomplete */
} DrawList;

void dl_init(DrawList *dl, const TextMeasure *m);
void dl_clear(DrawList *dl);
void dl_free(DrawList *dl);

void dl_rect(DrawList *dl, float x, float y, float w, float h, Color c);
void dl_frame(DrawList *dl, float x, float y, float w, float h, float t, Color c);  /* outline */
void dl_tri(DrawList *dl, float x0, float y0, float x1, float y1, float x2, float y2, Color c);
void dl_line(DrawList *dl, float x0, float y0, float x1, float y1, float width, Color c);
/* arrow from (x0,y0) to (x1,y1) with a head of size `head` */
void dl_arrow(DrawList *dl, float x0, float y0, float x1, float y1, float width, float head, Color c);
/* text with its top-left corner at (x,y); returns the command (for its w) */
DlCmd *dl_text(DrawList *dl, float x, float y, float px, int flags, Color c, const char *s);
float dl_text_width(const DrawList *dl, const char *s, float px, int flags);
float dl_text_height(const DrawList *dl, float px);
const char *dl_str(const DrawList *dl, const DlCmd *c);
/* attach the number the command just pushed shows */
void dl_value(DrawList *dl, float v);
/* Everything pushed from now on is an overlay (see overlay_from). */
void dl_begin_overlay(DrawList *dl);
/* tag the command just pushed (nothing when it was skipped, e.g. empty) */
void dl_tag(DrawList *dl, int tag, int a, int b);

#endif
