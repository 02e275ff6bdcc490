/* export_internal.h — what the export files share and nobody else needs. */
#ifndef EXPORT_INTERNAL_H
#define EXPORT_INTERNAL_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stdbool.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/utf8.h"
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

/* A T × S panel of tr's decoding: source tokens, and per row the reference
 * token when tr has one, else the prediction. Returns its T × S values for
 * the caller to fill, or NULL with err set. */
float *export_panel_alloc(ExportPanelData *pd, const Trace *tr, const char *heading, char *err);

/* XML text or attribute: the five specials escaped, what XML 1.0 cannot
 * hold (control characters, invalid UTF-8) as U+FFFD. */
void export_svg_escape(Buf *b, const char *s);

/* Write a file built in memory to path (base/outfile.h) and free the buffer. */
int buf_write_file(Buf *b, const char *path, char *err);

#endif
