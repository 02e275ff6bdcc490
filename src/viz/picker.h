/* picker.h — the lesson picker `attnviz` opens with no arguments, built into
 * a DrawList (no GL, no SDL).
 *
 * One row per lesson of lesson_list(): its number, title, level, minutes and
 * slides; the selected row highlighted; a lesson that fails to parse stays in
 * the list with its error line, so a teacher sees what to fix. Each row's
 * background rectangle is tagged LV_TAG_PICKER_ROW (a = entry index), so the
 * mouse hit-tests with picker_hit.
 */
#ifndef PICKER_H
#define PICKER_H

#include <stdbool.h>

#include "../lesson/lesson.h"
#include "../base/drawlist.h"

enum {
    LV_TAG_PICKER_ROW = 1200,   /* a = entry index, b = 1 when selected: the row's background */
    LV_TAG_PICKER_TEXT,         /* a = entry index: its number, title, details               */
    LV_TAG_PICKER_ERROR,        /* a = entry index: why the lesson cannot be opened          */
    LV_TAG_PICKER_TITLE,
    LV_TAG_PICKER_HINT,         /* the key hint line                                         */
    LV_TAG_PICKER_MORE,         /* a = -1 rows above, +1 rows below                          */
};

/* What the list does not carry: read from each lesson's header. */
typedef struct {
    int level;                  /* LessonLevel, or -1 when unknown (broken)  */
    int minutes;                /* 0 when unknown                            */
    int n_slides;
} PickerInfo;

/* Load every lesson that has no error yet to fill info[i]; a lesson that
 * fails now gets its error copied into e[i].error. */
void picker_info(LessonEntry *e, int n, PickerInfo *info);

/* The whole W × H window. info may be NULL (no level / minutes shown).
 * selected is clamped to [0, n). lang: UI strings ("ko" Korean, else English). */
void picker_build(DrawList *dl, const LessonEntry *e, const PickerInfo *info, int n, int selected, float W, float H,
                  bool dark, const char *lang);

/* The entry index of the row under (x, y) in a list built by picker_build,
 * or -1. */
int picker_hit(const DrawList *dl, float x, float y);

#endif
