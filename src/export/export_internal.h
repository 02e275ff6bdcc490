/* export_internal.h — what the export files share and nobody else needs. */
#ifndef EXPORT_INTERNAL_H
#define EXPORT_INTERNAL_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdbool.h>
#include <stdint.h>

#include "export.h"

/* A rendered text run (white, alpha = coverage), cached by font and string:
 * a figure with values repeats "0.00" hundreds of times. */
typedef struct TextEntry {
    struct TextEntry *next;
    int font;
    SDL_Surface *surf;    /* ARGB8888 */
    char text[];
} TextEntry;

enum { TEXT_CACHE_BUCKETS = 256 };

struct ExportFonts {
    TTF_Font *f[EXPORT_FONT_COUNT];   /* at the figure's scale (drawing)  */
    TTF_Font *m[EXPORT_FONT_COUNT];   /* at scale 1 (layout); == f at 1   */
    bool ttf_inited;
    uint32_t space_cp, tab_cp, newline_cp, bad_cp;   /* how tokens show   */
    TextEntry *cache[TEXT_CACHE_BUCKETS];
};

/* The surface for (font, text), rendered once; NULL on failure. */
SDL_Surface *export_text_surface(ExportFonts *F, int font, const char *text);
void export_text_cache_clear(ExportFonts *F);

Rgb8 export_text_on(Rgb8 background);
int export_font_px(ExportFont f);      /* size at scale 1, in pixels */   /* black or white, whichever contrasts more */

/* UTF-8: decode one code point (returns bytes used, or -1 if invalid:
 * overlong, surrogate, > U+10FFFF, truncated); encode (returns bytes, 1..4). */
int export_utf8_decode(const unsigned char *p, uint32_t *cp);
int export_utf8_encode(uint32_t cp, char *out);

/* A growable byte buffer for files built in memory. */
typedef struct { char *p; size_t n, cap; int oom; } Buf;
void buf_put(Buf *b, const void *data, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(Buf *b);
/* Write a finished buffer to path (temporary file + rename) and free it. */
int buf_write_file(Buf *b, const char *path, char *err);

#endif
