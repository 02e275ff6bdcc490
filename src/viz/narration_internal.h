/* narration_internal.h — what narration.c and narration_table.c share: runs of styled text, the pen that places lines, and the line wrapper. Internal to src/viz.
 *
 * A Run is one span's text with its flags and colour. The Pen knows where
 * the next line goes, the column it fills and the clip edges; narr_wrap_runs
 * lays runs out as one paragraph in the pen's column, breaking at spaces and,
 * only when a word is wider than the whole column, between characters.
 */
#ifndef NARRATION_INTERNAL_H
#define NARRATION_INTERNAL_H

#include "../base/buf.h"
#include "narration.h"
#include "theme.h"

typedef struct { const char *s; int flags; Color color; } Run;

/* What has been drawn and where the next line goes. */
typedef struct {
    DrawList *dl;
    float px, lh, text_h;
    float x0, avail;          /* this block's text column                    */
    float align;              /* 0 left, 0.5 centred, 1 right in the column  */
    float clip_top, clip_bot; /* a line is drawn only when wholly inside     */
    float y;                  /* top of the next line                        */
    int tag, tag_a, line_no;  /* text is tagged (tag, tag_a, line_no) …      */
    bool fixed_b;             /* … or (tag, tag_a, tag_b) when set           */
    int tag_b;
    int hidden, hidden_above;
    float widest, widest_from;
    bool overflow_x;
} Pen;

enum { MAX_SEG = 96 };
typedef struct { int run; size_t off, len; float w; } Seg;

/* The line being filled: its text in buf, one segment per run piece. */
typedef struct {
    const Run *runs;
    Buf text;                 /* the line's bytes; Seg.off and .len index it */
    Seg seg[MAX_SEG];
    int nseg;
} Line;

bool narr_is_space(char c);
/* Lay out runs as one paragraph starting on a fresh line at pen->y; the pen
 * ends below its last line. keep_spaces: code, spaces kept as written. */
void narr_wrap_runs(Line *l, Pen *pen, const Run *runs, int nruns, bool keep_spaces);
/* A span's run: its flags and colour from the theme. */
Run narr_span_run(const LessonSpan *sp, const Theme *th);
/* A math span as the text renderer needs it (ᵀ → ^T); malloc'd, or NULL
 * when s needs no change. */
char *narr_math_subst(const char *s);
/* A LESSON_BLOCK_TABLE (narration_table.c): a grid in the column
 * inner_x … inner_x + inner_w from pen->y; the pen ends below it. */
void narr_layout_table(DrawList *dl, Line *l, Pen *pen, const LessonBlock *b, int bi, const Theme *th, float inner_x,
                       float inner_w, float px);

#endif
