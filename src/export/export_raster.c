/* export_raster.c — draw an ExportFigure into an RGB buffer, on the CPU.
 *
 * Rectangles are filled, the colorbar is one colour of its map per pixel row,
 * and text is SDL2_ttf's blended (anti-aliased) rendering in white whose
 * alpha is the glyph coverage, mixed over the canvas in the op's colour.
 * Vertical text is the same surface turned 90° counter-clockwise while it
 * is mixed in, so no rotated resampling is needed.
 */
#include "export_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the text cache ------------------------------------------------------------ */
static unsigned hash(int font, const char *s) {   /* FNV-1a */
    unsigned h = 2166136261u ^ (unsigned)font;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h % TEXT_CACHE_BUCKETS;
}

SDL_Surface *export_text_surface(ExportFonts *F, int font, const char *text) {
    unsigned h = hash(font, text);
    for (TextEntry *e = F->cache[h]; e; e = e->next)
        if (e->font == font && strcmp(e->text, text) == 0) return e->surf;
    SDL_Surface *raw = TTF_RenderUTF8_Blended(F->f[font], text, (SDL_Color){255, 255, 255, 255});
    if (!raw) return NULL;
    SDL_Surface *s = raw;
    if (raw->format->format != SDL_PIXELFORMAT_ARGB8888) {
        s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
        SDL_FreeSurface(raw);
        if (!s) return NULL;
    }
    size_t len = strlen(text);
    TextEntry *e = malloc(sizeof *e + len + 1);
    if (!e) { SDL_FreeSurface(s); return NULL; }
    e->font = font;
    e->surf = s;
    memcpy(e->text, text, len + 1);
    e->next = F->cache[h];
    F->cache[h] = e;
    return s;
}

void export_text_cache_clear(ExportFonts *F) {
    for (int i = 0; i < TEXT_CACHE_BUCKETS; i++) {
        TextEntry *e = F->cache[i];
        while (e) {
            TextEntry *n = e->next;
            SDL_FreeSurface(e->surf);
            free(e);
            e = n;
        }
        F->cache[i] = NULL;
    }
}

/* ---- drawing ---------------------------------------------------------------------- */
typedef struct { uint8_t *px; int w, h; } Canvas;

static void fill(Canvas *c, ExportBox b, Rgb8 col) {
    int x0 = b.x < 0 ? 0 : b.x, y0 = b.y < 0 ? 0 : b.y;
    int x1 = b.x + b.w > c->w ? c->w : b.x + b.w, y1 = b.y + b.h > c->h ? c->h : b.y + b.h;
    for (int y = y0; y < y1; y++) {
        uint8_t *row = c->px + ((size_t)y * c->w + x0) * 3;
        for (int x = x0; x < x1; x++, row += 3) row[0] = col.r, row[1] = col.g, row[2] = col.b;
    }
}

static void mix(uint8_t *d, Rgb8 col, unsigned a) {   /* d += (col - d)·a/255, rounded */
    d[0] = (uint8_t)((d[0] * (255 - a) + col.r * a + 127) / 255);
    d[1] = (uint8_t)((d[1] * (255 - a) + col.g * a + 127) / 255);
    d[2] = (uint8_t)((d[2] * (255 - a) + col.b * a + 127) / 255);
}

/* Source pixel (sx, sy) of a w×h run lands at (x + sx, y + sy), or turned
 * counter-clockwise at (x + sy, y + w-1-sx): the run's top edge faces left. */
static void blit_text(Canvas *c, const SDL_Surface *s, ExportBox b, bool vertical, Rgb8 col) {
    const uint8_t *base = s->pixels;
    for (int sy = 0; sy < s->h; sy++) {
        const uint32_t *row = (const uint32_t *)(base + (size_t)sy * s->pitch);  /* pitch, not w·4 */
        for (int sx = 0; sx < s->w; sx++) {
            unsigned a = row[sx] >> 24;
            if (!a) continue;
            int dx = vertical ? b.x + sy : b.x + sx;
            int dy = vertical ? b.y + (s->w - 1 - sx) : b.y + sy;
            if (dx < 0 || dy < 0 || dx >= c->w || dy >= c->h) continue;
            mix(c->px + ((size_t)dy * c->w + dx) * 3, col, a);
        }
    }
}

int export_render_rgb(const ExportFigure *fig, uint8_t **rgb, char *err) {
    *rgb = NULL;
    if (fig->width < 1 || fig->height < 1) {
        if (err) snprintf(err, EXPORT_ERR_LEN, "export: empty figure");
        return -1;
    }
    Canvas c = {malloc((size_t)fig->width * fig->height * 3), fig->width, fig->height};
    if (!c.px) {
        if (err) snprintf(err, EXPORT_ERR_LEN, "export: out of memory for a %d×%d image", fig->width, fig->height);
        return -1;
    }
    fill(&c, (ExportBox){0, 0, c.w, c.h}, fig->background);
    for (int i = 0; i < fig->n_ops; i++) {
        const ExportOp *op = &fig->ops[i];
        switch (op->kind) {
        case EXPORT_OP_RECT: fill(&c, op->box, op->color); break;
        case EXPORT_OP_COLORBAR:
            for (int y = 0; y < op->box.h; y++) {
                /* pixel row centres, top = 1 (weights) or +1 (gradients, −1 at the bottom) */
                float t = op->box.h > 1 ? 1.0f - (float)y / (float)(op->box.h - 1) : 1.0f;
                Rgb8 col = fig->diverging ? colormap_grad(2.0f * t - 1.0f, fig->dark) : colormap_viridis(t);
                fill(&c, (ExportBox){op->box.x, op->box.y + y, op->box.w, 1}, col);
            }
            break;
        case EXPORT_OP_TEXT: {
            SDL_Surface *s = export_text_surface(fig->fonts, op->font, op->text);
            if (!s) {
                if (err) snprintf(err, EXPORT_ERR_LEN, "export: cannot render text '%.40s': %s", op->text, TTF_GetError());
                free(c.px);
                return -1;
            }
            blit_text(&c, s, op->box, op->vertical, op->color);
            break;
        }
        }
    }
    *rgb = c.px;
    return 0;
}
