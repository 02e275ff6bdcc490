/* text.h — one TTF font, measured and rasterised glyph by glyph into an
 * 8-bit atlas kept on the CPU.
 *
 * SDL2_ttf has no fallback between fonts, so one font must cover every
 * string (font_find.c picks one with Latin and Hangul). Glyphs are baked
 * lazily, the first time a (code point, pixel size, weight) is met: Hangul
 * has 11,172 syllables and a class will see a few dozen of them. When the
 * atlas is full it is cleared and refilled (text_atlas_generation changes),
 * which the renderer notices.
 *
 * Sizes in the API are in window units; text_set_scale sets how many
 * drawable pixels one unit is (HiDPI), so glyphs are rasterised sharp.
 * No GL here: the renderer uploads the dirty rows of the atlas.
 */
#ifndef TEXT_H
#define TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/drawlist.h"

typedef struct Text Text;

enum { TEXT_ERR_CAP = 512 };

/* Opens the font (TTF_Init must have succeeded). NULL on failure, with one
 * line in err naming the file. */
Text *text_create(const char *font_path, char *err);
void text_destroy(Text *t);
/* A second face for italic text (font_find_italic): the characters it has
 * come from it, the rest from the main font slanted. 0, or -1 with err
 * (TEXT_ERR_CAP) and italic left as it was. */
int text_set_italic_font(Text *t, const char *path, char *err);
void text_set_scale(Text *t, float scale);

float text_width(Text *t, const char *s, float px, int flags);
float text_height(Text *t, float px);
/* A TextMeasure backed by this font, for draw lists. */
TextMeasure text_measure(Text *t);

/* Lay out s with its top-left corner at (x, y), window units; one callback
 * per quad: screen rectangle and atlas uv (solid quads use text_white_uv). */
typedef void (*TextQuadFn)(void *ud, float x0, float y0, float x1, float y1,
                           float u0, float v0, float u1, float v1);
void text_layout(Text *t, const char *s, float x, float y, float px, int flags,
                 TextQuadFn fn, void *ud);

/* The atlas: w × h bytes, one per pixel (coverage). */
const uint8_t *text_atlas(const Text *t, int *w, int *h);
/* Rows [*y0, *y1) changed since the last call; returns false when none. */
bool text_atlas_take_dirty(Text *t, int *y0, int *y1);
unsigned text_atlas_generation(const Text *t);
void text_white_uv(const Text *t, float *u, float *v);

#endif
