/* lesson_note.h — a note over a lesson's narration when the screen no longer shows what the narration is about (after Tab or typing), with the way back. */
#ifndef LESSON_NOTE_H
#define LESSON_NOTE_H

#include <stdbool.h>

#include "../base/drawlist.h"

enum { LV_TAG_OFF_SLIDE = 1300 };   /* the note's box (a click: back to the slide) */

/* The note across the top of the narration panel at (x, y), w wide, in
 * font_px: the slide's input (UTF-8) and the key back, in lang. */
void lesson_note_build(DrawList *dl, float x, float y, float w, float font_px, bool dark, const char *lang,
                       const char *slide_input);

#endif
