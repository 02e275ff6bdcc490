/* text.c — glyph cache and atlas over SDL2_ttf (see text.h).
 *
 * Each glyph is rendered alone with TTF_RenderGlyph32_Blended, trimmed to
 * its inked box and packed on shelves into one 8-bit atlas. Layout is then
 * plain pen arithmetic with the glyph advances: no kerning, which costs
 * little for the short labels drawn here and keeps measuring cheap. Two
 * pieces of typesetting the teaching strings need and the font lacks are
 * done by hand: sub/superscripts (TEXT_MATH) and the combining macron and
 * tilde of h̄ and h̃ (NanumGothic has no combining marks).
 *
 * Italic (TEXT_ITALIC): NanumGothic has no italic face. Each character of
 * an italic run comes from a second, real italic face when it has the
 * character (text_set_italic_font: DejaVu Sans Oblique, scaled so that its
 * x-height matches the main font's and set on the same baseline), else from
 * the main font slanted by SDL_ttf (TTF_STYLE_ITALIC): Latin letters look
 * designed, Hangul is visibly slanted. Without a second face everything is
 * slanted by SDL_ttf.
 */
#include "text.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

enum { ATLAS_W = 2048, ATLAS_H = 2048, MAX_FONTS = 96, GLYPH_CAP = 8192 };

typedef struct {
    TTF_Font *font;
    int px;                 /* pixel size asked for (the italic face opens scaled) */
    int style;              /* TEXT_BOLD | TEXT_ITALIC */
    int face;               /* 0 the main font, 1 the italic face */
    int dy;                 /* pixels from the main font's line top to this one's:
                               puts the bottoms of their 'x' on one line */
    int ascent;             /* pixels */
    int height;             /* pixels, one line */
    int x_maxy;             /* top of 'x' above the baseline, pixels */
    int x_miny;             /* bottom of 'x' (negative: below the baseline) */
} FontSlot;

typedef struct {
    uint32_t cp;
    int font;               /* index into fonts, -1 = empty hash slot */
    int ax, ay, w, h;       /* atlas box of the inked pixels */
    int ox, oy;             /* inked box offset from the pen / line top */
    int adv;                /* advance, pixels */
    int maxy;               /* top of the glyph above the baseline */
    bool baked;             /* its pixels are in the atlas (measuring needs only the metrics) */
} Glyph;

struct Text {
    char path[1024];
    char italic_path[1024]; /* "" when italic is the main font slanted */
    float italic_scale;     /* main x-height / italic x-height, same size */
    float scale;
    FontSlot fonts[MAX_FONTS];
    int nfonts;
    Glyph *glyphs;          /* open-addressing hash of GLYPH_CAP entries */
    int nglyphs;
    uint8_t *atlas;
    int shelf_x, shelf_y, shelf_h;
    int dirty0, dirty1;
    unsigned generation;
};

static void atlas_reset(Text *t) {
    memset(t->atlas, 0, (size_t)ATLAS_W * ATLAS_H);
    for (int i = 0; i < GLYPH_CAP; i++) t->glyphs[i].font = -1;
    t->nglyphs = 0;
    /* a 2×2 white block at the origin for solid quads */
    t->atlas[0] = t->atlas[1] = t->atlas[ATLAS_W] = t->atlas[ATLAS_W + 1] = 255;
    t->shelf_x = 3; t->shelf_y = 0; t->shelf_h = 3;
    t->dirty0 = 0; t->dirty1 = ATLAS_H;
    t->generation++;
}

Text *text_create(const char *font_path, char *err) {
    if (strlen(font_path) >= sizeof ((Text *)0)->path) {
        snprintf(err, TEXT_ERR_CAP, "%.300s...: font path too long", font_path);
        return NULL;
    }
    /* open once now so a bad file is reported at start, not at first draw */
    TTF_Font *probe = TTF_OpenFont(font_path, 16);
    if (!probe) {
        snprintf(err, TEXT_ERR_CAP, "%s: cannot open font: %s", font_path, TTF_GetError());
        return NULL;
    }
    TTF_CloseFont(probe);
    Text *t = calloc(1, sizeof *t);
    if (t) t->glyphs = malloc(GLYPH_CAP * sizeof *t->glyphs);
    if (t) t->atlas = malloc((size_t)ATLAS_W * ATLAS_H);
    if (!t || !t->glyphs || !t->atlas) {
        if (t) { free(t->glyphs); free(t->atlas); free(t); }
        snprintf(err, TEXT_ERR_CAP, "%s: out of memory for the glyph atlas", font_path);
        return NULL;
    }
    strcpy(t->path, font_path);
    t->scale = 1;
    atlas_reset(t);
    return t;
}

void text_destroy(Text *t) {
    if (!t) return;
    for (int i = 0; i < t->nfonts; i++) TTF_CloseFont(t->fonts[i].font);
    free(t->glyphs);
    free(t->atlas);
    free(t);
}

void text_set_scale(Text *t, float scale) { t->scale = scale > 0 ? scale : 1; }

/* The font slot for a size in window units, a style and a face; -1 if the
 * font cannot open. */
static int font_slot(Text *t, float px, int style, int face) {
    int pix = (int)lroundf(px * t->scale);
    if (pix < 6) pix = 6;
    if (pix > 400) pix = 400;
    style &= TEXT_BOLD | TEXT_ITALIC;
    int best = -1;
    for (int i = 0; i < t->nfonts; i++) {
        const FontSlot *f = &t->fonts[i];
        if (f->style != style || f->face != face) continue;
        if (f->px == pix) return i;
        if (best < 0 || abs(f->px - pix) < abs(t->fonts[best].px - pix)) best = i;
    }
    int base = face ? font_slot(t, px, 0, 0) : -1;     /* the line the italic face sits on */
    if (t->nfonts == MAX_FONTS) return best >= 0 ? best : base >= 0 ? base : t->nfonts ? 0 : -1;
    const char *path = face ? t->italic_path : t->path;
    int open_px = face ? (int)lroundf((float)pix * t->italic_scale) : pix;
    TTF_Font *f = TTF_OpenFont(path, open_px > 4 ? open_px : 4);
    if (!f) {
        fprintf(stderr, "attnviz: %s: cannot open at %d px: %s\n", path, open_px, TTF_GetError());
        return best;
    }
    TTF_SetFontStyle(f, ((style & TEXT_BOLD) ? TTF_STYLE_BOLD : 0) |
                            ((style & TEXT_ITALIC) && !face ? TTF_STYLE_ITALIC : 0));
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    FontSlot *s = &t->fonts[t->nfonts];
    s->font = f;
    s->px = pix;
    s->style = style;
    s->face = face;
    s->ascent = TTF_FontAscent(f);
    s->height = TTF_FontHeight(f);
    s->dy = 0;
    int minx, maxx, miny = 0, maxy, adv;
    s->x_maxy = TTF_GlyphMetrics32(f, 'x', &minx, &maxx, &miny, &maxy, &adv) == 0 ? maxy : s->ascent / 2;
    s->x_miny = miny;
    /* NanumGothic sets its Latin letters a little below its own baseline
     * (miny of 'x' is -2 at 40 px); the italic face goes where the bottom of
     * the main font's 'x' is, not on the nominal baseline */
    if (base >= 0) s->dy = (t->fonts[base].ascent - t->fonts[base].x_miny) - (s->ascent - s->x_miny);
    return t->nfonts++;
}

/* 'x' is this many pixels tall in the file at 100 px, or 0. */
static int x_height(const char *path) {
    TTF_Font *f = TTF_OpenFont(path, 100);
    if (!f) return 0;
    int minx, maxx, miny = 0, maxy = 0, adv;
    if (TTF_GlyphMetrics32(f, 'x', &minx, &maxx, &miny, &maxy, &adv) != 0) maxy = miny = 0;
    TTF_CloseFont(f);
    return maxy - miny;
}

int text_set_italic_font(Text *t, const char *path, char *err) {
    int xm = x_height(t->path), xi = path && strlen(path) < sizeof t->italic_path ? x_height(path) : 0;
    if (xm <= 0 || xi <= 0) {
        snprintf(err, TEXT_ERR_CAP, "%s: cannot open the italic font: %s", path ? path : "(none)", TTF_GetError());
        return -1;
    }
    for (int i = 0; i < t->nfonts; i++) TTF_CloseFont(t->fonts[i].font);
    t->nfonts = 0;
    strcpy(t->italic_path, path);
    t->italic_scale = (float)xm / (float)xi;
    atlas_reset(t);   /* the slots are renumbered: forget every glyph */
    return 0;
}

static bool pack(Text *t, int w, int h, int *x, int *y) {
    if (t->shelf_x + w + 1 > ATLAS_W) {
        t->shelf_y += t->shelf_h + 1;
        t->shelf_x = 0;
        t->shelf_h = 0;
    }
    if (t->shelf_y + h + 1 > ATLAS_H || w + 1 > ATLAS_W) return false;
    *x = t->shelf_x;
    *y = t->shelf_y;
    t->shelf_x += w + 1;
    if (h > t->shelf_h) t->shelf_h = h;
    return true;
}

/* Render cp into the atlas, trimming it to its inked box. Returns false
 * only when the glyph has ink and the atlas has no room left. */
static bool bake(Text *t, Glyph *g, TTF_Font *f) {
    g->w = g->h = 0;
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *s = TTF_RenderGlyph32_Blended(f, g->cp, white);
    if (!s) return true;   /* e.g. a space: nothing to draw */
    SDL_Surface *c = s->format->format == SDL_PIXELFORMAT_ARGB8888 ? s
                   : SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!c) { SDL_FreeSurface(s); return true; }
    if (SDL_MUSTLOCK(c)) SDL_LockSurface(c);
    int x0 = c->w, y0 = c->h, x1 = -1, y1 = -1;
    for (int y = 0; y < c->h; y++) {
        const uint32_t *row = (const uint32_t *)((const uint8_t *)c->pixels + (size_t)y * c->pitch);
        for (int x = 0; x < c->w; x++)
            if (row[x] >> 24) {
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
            }
    }
    int ax, ay;
    bool fits = x1 < 0 || pack(t, x1 - x0 + 1, y1 - y0 + 1, &ax, &ay);
    if (x1 >= 0 && fits) {
        g->ax = ax; g->ay = ay;
        g->w = x1 - x0 + 1; g->h = y1 - y0 + 1;
        g->ox = x0; g->oy = y0;
        for (int y = 0; y < g->h; y++) {
            const uint32_t *row = (const uint32_t *)((const uint8_t *)c->pixels + (size_t)(y0 + y) * c->pitch);
            uint8_t *dst = t->atlas + (size_t)(ay + y) * ATLAS_W + ax;
            for (int x = 0; x < g->w; x++) dst[x] = (uint8_t)(row[x0 + x] >> 24);
        }
        if (ay < t->dirty0) t->dirty0 = ay;
        if (ay + g->h > t->dirty1) t->dirty1 = ay + g->h;
    }
    if (SDL_MUSTLOCK(c)) SDL_UnlockSurface(c);
    if (c != s) SDL_FreeSurface(c);
    SDL_FreeSurface(s);
    return fits;
}

/* The glyph of cp in font fi; with bitmap, also its pixels in the atlas. */
static Glyph *glyph(Text *t, int fi, uint32_t cp, bool bitmap) {
    TTF_Font *f = t->fonts[fi].font;
    if (!TTF_GlyphIsProvided32(f, cp)) cp = TTF_GlyphIsProvided32(f, 0xFFFD) ? 0xFFFD : '?';
    uint32_t h = (cp * 2654435761u) ^ (uint32_t)fi * 40503u;
    for (int attempt = 0;; attempt++) {
        for (uint32_t i = 0; i < GLYPH_CAP; i++) {
            Glyph *g = &t->glyphs[(h + i) & (GLYPH_CAP - 1)];
            if (g->font == fi && g->cp == cp) {
                if (bitmap && !g->baked) {
                    if (!bake(t, g, f) && attempt == 0) break;   /* the atlas is full */
                    g->baked = true;
                }
                return g;
            }
            if (g->font >= 0) continue;
            if (t->nglyphs > GLYPH_CAP * 3 / 4 && attempt == 0) break;   /* too full: start over */
            g->font = fi;
            g->cp = cp;
            int minx, maxx, miny, maxy, adv;
            if (TTF_GlyphMetrics32(f, cp, &minx, &maxx, &miny, &maxy, &adv) != 0) adv = maxy = 0;
            g->adv = adv;
            g->maxy = maxy;
            g->w = g->h = 0;
            g->baked = false;
            t->nglyphs++;
            if (bitmap) {
                if (!bake(t, g, f) && attempt == 0) break;   /* the atlas is full */
                g->baked = true;
            }
            return g;
        }
        atlas_reset(t);   /* the renderer sees the new generation */
    }
}

/* ---- layout ---- */

typedef struct {
    Text *t;
    TextQuadFn fn;          /* NULL: measure only */
    void *ud;
    float x, y;             /* pen, window units */
} Pen;

static void quad(Pen *p, float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1) {
    if (p->fn) p->fn(p->ud, x0, y0, x1, y1, u0, v0, u1, v1);
}

/* Draw (or measure) one run at one size and style; the pen advances. */
static void run(Pen *p, const char *s, const char *end, float px, int style, float dy) {
    Text *t = p->t;
    int fm = font_slot(t, px, style, 0);
    if (fm < 0) return;
    int ff = (style & TEXT_ITALIC) && t->italic_path[0] ? font_slot(t, px, style, 1) : -1;
    float k = 1.0f / t->scale;
    float prev_x = p->x;
    const Glyph *prev = NULL;
    const FontSlot *pfs = &t->fonts[fm];
    int pfi = fm;
    while (s < end && *s) {
        uint32_t cp = utf8_next(&s);
        if ((cp == 0x0304 || cp == 0x0303) && prev) {   /* combining macron / tilde, over prev */
            float pw = (float)prev->adv * k;
            float top = p->y + dy + (float)(pfs->dy + pfs->ascent - prev->maxy) * k;
            if (cp == 0x0304) {
                float th = fmaxf(k, px * 0.07f);
                float wu, wv;
                text_white_uv(t, &wu, &wv);
                quad(p, prev_x + pw * 0.12f, top - th * 2.4f, prev_x + pw * 0.88f, top - th * 1.4f, wu, wv, wu, wv);
            } else if (p->fn) {
                const Glyph *g = glyph(t, pfi, 0x02DC, true);
                /* the spacing tilde sits at x-height; lift it above the letter */
                float lift = (float)(prev->maxy - pfs->x_maxy) * k + px * 0.12f;
                float gx = prev_x + (pw - (float)g->adv * k) / 2 + (float)g->ox * k;
                float gy = p->y + dy + (float)(pfs->dy + g->oy) * k - lift;
                if (g->w > 0)
                    quad(p, gx, gy, gx + (float)g->w * k, gy + (float)g->h * k,
                         (float)g->ax / ATLAS_W, (float)g->ay / ATLAS_H,
                         (float)(g->ax + g->w) / ATLAS_W, (float)(g->ay + g->h) / ATLAS_H);
            }
            continue;
        }
        int fi = ff >= 0 && TTF_GlyphIsProvided32(t->fonts[ff].font, cp) ? ff : fm;
        const FontSlot *fs = &t->fonts[fi];
        const Glyph *g = glyph(t, fi, cp, p->fn != NULL);
        if (p->fn && g->w > 0) {
            /* snap to drawable pixels: the atlas texels land 1:1, text stays sharp */
            float gx = roundf((p->x + (float)g->ox * k) * t->scale) * k;
            float gy = roundf((p->y + dy + (float)(fs->dy + g->oy) * k) * t->scale) * k;
            quad(p, gx, gy, gx + (float)g->w * k, gy + (float)g->h * k,
                 (float)g->ax / ATLAS_W, (float)g->ay / ATLAS_H,
                 (float)(g->ax + g->w) / ATLAS_W, (float)(g->ay + g->h) / ATLAS_H);
        }
        prev = g;
        pfs = fs;
        pfi = fi;
        prev_x = p->x;
        p->x += (float)g->adv * k;
    }
}

static void layout(Pen *p, const char *s, float px, int flags) {
    int style = flags & (TEXT_BOLD | TEXT_ITALIC);
    if (!(flags & TEXT_MATH)) { run(p, s, s + strlen(s), px, style, 0); return; }
    while (*s) {
        const char *e = s;
        while (*e && *e != '_' && *e != '^') e++;
        run(p, s, e, px, style, 0);
        if (!*e) break;
        bool sub = *e == '_';
        s = e + 1;
        const char *a = s, *b;
        if (*s == '{') {
            a = s + 1;
            b = strchr(a, '}');
            if (!b) b = a + strlen(a);
            s = *b ? b + 1 : b;
        } else {
            const char *q = s;
            if (*q) utf8_next(&q);
            b = q;
            s = q;
        }
        run(p, a, b, px * TEXT_SCRIPT_SCALE, style, sub ? px * 0.33f : -px * 0.18f);
    }
}

float text_width(Text *t, const char *s, float px, int flags) {
    Pen p = {t, NULL, NULL, 0, 0};
    layout(&p, s, px, flags);
    return p.x;
}

float text_height(Text *t, float px) {
    int fi = font_slot(t, px, 0, 0);
    return fi < 0 ? px * 1.2f : (float)t->fonts[fi].height / t->scale;
}

void text_layout(Text *t, const char *s, float x, float y, float px, int flags, TextQuadFn fn, void *ud) {
    Pen p = {t, fn, ud, x, y};
    layout(&p, s, px, flags);
}

static float m_width(void *ud, const char *s, float px, int flags) { return text_width(ud, s, px, flags); }
static float m_height(void *ud, float px) { return text_height(ud, px); }

TextMeasure text_measure(Text *t) { return (TextMeasure){m_width, m_height, t}; }

const uint8_t *text_atlas(const Text *t, int *w, int *h) {
    *w = ATLAS_W;
    *h = ATLAS_H;
    return t->atlas;
}

bool text_atlas_take_dirty(Text *t, int *y0, int *y1) {
    if (t->dirty1 <= t->dirty0) return false;
    *y0 = t->dirty0;
    *y1 = t->dirty1;
    t->dirty0 = ATLAS_H;
    t->dirty1 = 0;
    return true;
}

unsigned text_atlas_generation(const Text *t) { return t->generation; }

void text_white_uv(const Text *t, float *u, float *v) {
    (void)t;
    *u = 1.0f / ATLAS_W;   /* centre of the 2×2 white block */
    *v = 1.0f / ATLAS_H;
}
