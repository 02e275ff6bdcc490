/* font_find.h — pick one TTF that renders both Latin and Hangul.
 *
 * Order: the override path (if given, it must exist and be readable — no
 * fallback when the user asked for a file), then fontconfig (a family such
 * as "NanumGothic" matched with lang=ko, accepted only if the match really
 * covers Hangul), then fixed paths (/usr/share/fonts/truetype/nanum/...),
 * and DejaVu Sans as a last resort with a warning on stderr that Hangul
 * will not render. Shared by the visualizer and the exporters.
 * font_find_italic picks a second face for italic Latin text.
 */
#ifndef FONT_FIND_H
#define FONT_FIND_H

#include <stddef.h>

enum { FONT_ERR_CAP = 256 };   /* err must hold at least this many bytes */

/* Writes the chosen font's path into out (cap bytes). Returns 0 on success;
 * on failure returns -1 and writes one line naming what was tried into err
 * (FONT_ERR_CAP bytes; err may be NULL). override_path may be NULL or "". */
int font_find(const char *override_path, char *out, size_t cap, char *err);

/* An italic (or oblique) sans-serif face for the Latin letters of *italic*
 * text: fontconfig's match for "DejaVu Sans:italic", then "sans-serif:italic",
 * accepted only when it really slants; then DejaVuSans-Oblique.ttf's usual
 * paths (Debian: fonts-dejavu-extra). 0 with its path in out, or -1 when
 * there is none: the text module then slants the main font itself. */
int font_find_italic(char *out, size_t cap);

#endif
