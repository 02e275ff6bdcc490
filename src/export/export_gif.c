/* export_gif.c — animated GIFs in memory with giflib: the sampled palette, nearest-colour mapping, and frame differencing (gif.h says why each). */
#include "gif.h"

#include <gif_lib.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/err.h"

/* ---- colour tables: 24-bit colour → a 32-bit value, open addressing ---- */

typedef struct {
    uint32_t *key;            /* colour + 1; 0 = empty slot */
    uint32_t *val;
    size_t cap, n;            /* cap: a power of two */
} ColorTab;

enum { TAB_MAX = 1 << 22 };   /* past this many colours, stop remembering */

static uint32_t rgb_of(const uint8_t *p) { return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]; }

static size_t slot_of(const ColorTab *t, uint32_t c) {
    size_t i = (size_t)((c + 1) * 2654435761u) & (t->cap - 1);
    while (t->key[i] && t->key[i] != c + 1) i = (i + 1) & (t->cap - 1);
    return i;
}

static int tab_init(ColorTab *t, size_t cap) {
    t->key = calloc(cap, sizeof *t->key);
    t->val = calloc(cap, sizeof *t->val);
    t->cap = cap;
    t->n = 0;
    return t->key && t->val ? 0 : -1;
}

static void tab_free(ColorTab *t) { free(t->key); free(t->val); memset(t, 0, sizeof *t); }

/* The value's slot for c, added (value 0) when new; NULL when out of memory
 * or full. */
static uint32_t *tab_at(ColorTab *t, uint32_t c) {
    size_t i = slot_of(t, c);
    if (t->key[i]) return &t->val[i];
    if (t->n + 1 > t->cap / 2) {                      /* grow to keep probes short */
        if (t->cap >= TAB_MAX) return NULL;
        ColorTab g;
        if (tab_init(&g, t->cap * 2)) { tab_free(&g); return NULL; }
        for (size_t k = 0; k < t->cap; k++)
            if (t->key[k]) {
                size_t j = slot_of(&g, t->key[k] - 1);
                g.key[j] = t->key[k];
                g.val[j] = t->val[k];
            }
        g.n = t->n;
        tab_free(t);
        *t = g;
        i = slot_of(t, c);
    }
    t->key[i] = c + 1;
    t->val[i] = 0;
    t->n++;
    return &t->val[i];
}

/* ---- the GIF ---- */

struct ExportGif {
    ExportGifDesc d;
    GifFileType *gif;
    Buf out;
    GifColorType pal[256];
    int npal;
    uint8_t pal_rgb[3 * 256];
    ColorTab index;           /* colour → palette index + 1, as met */
    uint8_t *prev, *cur;      /* palette indices of the frame before, and of this one */
    int frames;
};

static int gif_write(GifFileType *gif, const GifByteType *b, int n) {
    return buf_put(gif->UserData, b, n > 0 ? (size_t)n : 0) ? 0 : n;
}

static int gif_fail(ExportGif *g, const char *what, char *err) {
    int code = g->gif ? g->gif->Error : 0;
    if (g->out.oom) return av_err(err, "GIF: out of memory (%s)", what);
    const char *s = code ? GifErrorString(code) : NULL;
    return av_err(err, "GIF: %s failed%s%s", what, s ? ": " : "", s ? s : "");
}

typedef struct { uint32_t rgb, count; } Count;

static int by_count(const void *a, const void *b) {
    const Count *x = a, *y = b;
    return x->count != y->count ? (x->count < y->count ? 1 : -1) : (x->rgb > y->rgb) - (x->rgb < y->rgb);
}

static void pal_add(ExportGif *g, uint8_t r, uint8_t gr, uint8_t b) {
    g->pal[g->npal] = (GifColorType){r, gr, b};
    g->pal_rgb[3 * g->npal] = r;
    g->pal_rgb[3 * g->npal + 1] = gr;
    g->pal_rgb[3 * g->npal + 2] = b;
    g->npal++;
}

/* The median cut of the pixels whose colours the exact entries leave out
 * (cs[k..n), each repeated count times), into `room` more entries. */
static int add_median_cut(ExportGif *g, const Count *cs, size_t k, size_t n, int room, char *err) {
    size_t m = 0;
    for (size_t i = k; i < n; i++) m += cs[i].count;
    uint8_t *plane = malloc(4 * m + 1);
    if (!plane) return av_err(err, "GIF: out of memory for the palette");
    uint8_t *R = plane, *G = R + m, *B = G + m, *out = B + m;
    size_t at = 0;
    for (size_t i = k; i < n; i++)
        for (uint32_t c = 0; c < cs[i].count; c++, at++) {
            R[at] = (uint8_t)(cs[i].rgb >> 16);
            G[at] = (uint8_t)(cs[i].rgb >> 8);
            B[at] = (uint8_t)cs[i].rgb;
        }
    GifColorType q[256];
    int size = room;
    if (GifQuantizeBuffer((unsigned)m, 1, &size, R, G, B, out, q) != GIF_OK) {
        free(plane);
        return av_err(err, "GIF: GifQuantizeBuffer failed on the palette's %zu remaining pixels", m);
    }
    for (int i = 0; i < size && g->npal < EXPORT_GIF_COLORS; i++) pal_add(g, q[i].Red, q[i].Green, q[i].Blue);
    free(plane);
    return 0;
}

/* The palette: the seeds, exact colours of the samples by frequency (all
 * of them when they are few) up to 191 entries, then a median cut of the rest. */
static int make_palette(ExportGif *g, const uint8_t *const *samples, int ns, char *err) {
    enum { EXACT = 191 };     /* 64 entries left for antialiased edges */
    for (int i = 0; i < g->d.n_seed && i < 128; i++)
        pal_add(g, g->d.seed[3 * i], g->d.seed[3 * i + 1], g->d.seed[3 * i + 2]);
    ColorTab t;
    if (tab_init(&t, 1 << 14)) { tab_free(&t); return av_err(err, "GIF: out of memory for the palette"); }
    size_t px = (size_t)g->d.w * (size_t)g->d.h;
    for (int s = 0; s < ns; s++)
        for (size_t i = 0; i < px; i++) {
            uint32_t *c = tab_at(&t, rgb_of(samples[s] + 3 * i));
            if (c) (*c)++;     /* a sample with over 2M colours: the rest are not counted */
        }
    Count *cs = malloc((t.n ? t.n : 1) * sizeof *cs);
    if (!cs) { tab_free(&t); return av_err(err, "GIF: out of memory for the palette"); }
    size_t n = 0;
    for (size_t i = 0; i < t.cap; i++)
        if (t.key[i]) cs[n++] = (Count){t.key[i] - 1, t.val[i]};
    tab_free(&t);
    qsort(cs, n, sizeof *cs, by_count);
    size_t room = (size_t)(EXPORT_GIF_COLORS - g->npal), k = n <= room ? n : (size_t)(EXACT - g->npal);
    for (size_t i = 0; i < k; i++) pal_add(g, (uint8_t)(cs[i].rgb >> 16), (uint8_t)(cs[i].rgb >> 8), (uint8_t)cs[i].rgb);
    int rc = k < n ? add_median_cut(g, cs, k, n, EXPORT_GIF_COLORS - g->npal, err) : 0;
    free(cs);
    if (g->npal == 0) pal_add(g, 0, 0, 0);
    return rc;
}

/* The palette index nearest to the colour at p (remembered per colour). */
static uint8_t nearest(ExportGif *g, const uint8_t *p) {
    uint32_t c = rgb_of(p);
    uint32_t *v = tab_at(&g->index, c);
    if (v && *v) return (uint8_t)(*v - 1);
    int best = 0;
    long bd = -1;
    for (int i = 0; i < g->npal; i++) {
        long dr = (long)p[0] - g->pal_rgb[3 * i], dg = (long)p[1] - g->pal_rgb[3 * i + 1],
             db = (long)p[2] - g->pal_rgb[3 * i + 2];
        long d = dr * dr * 3 + dg * dg * 4 + db * db * 2;   /* green counts most to the eye */
        if (bd < 0 || d < bd) { bd = d; best = i; }
    }
    if (v) *v = (uint32_t)best + 1;
    return (uint8_t)best;
}

static int put_loop(ExportGif *g, char *err) {
    static const GifByteType app[11] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
    static const GifByteType forever[3] = {1, 0, 0};    /* sub-block 1: loop count 0 = forever */
    if (EGifPutExtensionLeader(g->gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(g->gif, sizeof app, app) == GIF_ERROR ||
        EGifPutExtensionBlock(g->gif, sizeof forever, forever) == GIF_ERROR ||
        EGifPutExtensionTrailer(g->gif) == GIF_ERROR)
        return gif_fail(g, "the loop block", err);
    return 0;
}

ExportGif *export_gif_begin(const ExportGifDesc *d, const uint8_t *const *samples, int n, char *err) {
    if (d->w < 1 || d->h < 1 || d->w > 65535 || d->h > 65535 || d->delay_cs < 1 || n < 1) {
        av_err(err, "GIF: bad size %dx%d, delay %d or %d samples", d->w, d->h, d->delay_cs, n);
        return NULL;
    }
    ExportGif *g = calloc(1, sizeof *g);
    size_t px = (size_t)d->w * (size_t)d->h;
    if (g) { g->prev = malloc(px); g->cur = malloc(px); }
    if (!g || !g->prev || !g->cur || tab_init(&g->index, 1 << 12)) {
        export_gif_free(g);
        av_err(err, "GIF: out of memory for %dx%d frames", d->w, d->h);
        return NULL;
    }
    g->d = *d;
    if (make_palette(g, samples, n, err)) { export_gif_free(g); return NULL; }
    int e = 0;
    g->gif = EGifOpen(&g->out, gif_write, &e);
    if (!g->gif) {
        av_err(err, "GIF: cannot start: %s", GifErrorString(e) ? GifErrorString(e) : "?");
        export_gif_free(g);
        return NULL;
    }
    EGifSetGifVersion(g->gif, true);                     /* GIF89a: delays and transparency */
    for (int i = g->npal; i < 256; i++) g->pal[i] = (GifColorType){0, 0, 0};
    ColorMapObject *map = GifMakeMapObject(256, g->pal);
    int rc = map ? EGifPutScreenDesc(g->gif, d->w, d->h, 8, 0, map) : GIF_ERROR;
    GifFreeMapObject(map);
    if (rc == GIF_ERROR) { gif_fail(g, "the screen descriptor", err); export_gif_free(g); return NULL; }
    if (d->loop && put_loop(g, err)) { export_gif_free(g); return NULL; }
    return g;
}

/* The rectangle where cur differs from prev: false when nowhere. */
static bool changed(const ExportGif *g, int *x0, int *y0, int *x1, int *y1) {
    int w = g->d.w, h = g->d.h;
    *x0 = w; *y0 = h; *x1 = -1; *y1 = -1;
    for (int y = 0; y < h; y++) {
        const uint8_t *a = g->prev + (size_t)y * w, *b = g->cur + (size_t)y * w;
        if (!memcmp(a, b, (size_t)w)) continue;
        int l = 0, r = w - 1;
        while (a[l] == b[l]) l++;
        while (a[r] == b[r]) r--;
        if (l < *x0) *x0 = l;
        if (r > *x1) *x1 = r;
        if (*y0 == h) *y0 = y;
        *y1 = y;
    }
    return *x1 >= 0;
}

int export_gif_add(ExportGif *g, const uint8_t *rgb, bool last, char *err) {
    int w = g->d.w, h = g->d.h;
    size_t px = (size_t)w * (size_t)h;
    for (size_t i = 0; i < px; i++) g->cur[i] = nearest(g, rgb + 3 * i);
    int x0 = 0, y0 = 0, x1 = w - 1, y1 = h - 1;
    bool first = g->frames == 0, same = !first && !changed(g, &x0, &y0, &x1, &y1);
    if (same) x0 = y0 = x1 = y1 = 0;                     /* a 1×1 transparent frame */
    GraphicsControlBlock gcb = {.DisposalMode = DISPOSE_DO_NOT, .UserInputFlag = false,
                                .DelayTime = g->d.delay_cs + (last ? g->d.hold_cs : 0),
                                .TransparentColor = first ? NO_TRANSPARENT_COLOR : EXPORT_GIF_TRANSPARENT};
    GifByteType ext[4];
    EGifGCBToExtension(&gcb, ext);
    int rw = x1 - x0 + 1;
    if (EGifPutExtension(g->gif, GRAPHICS_EXT_FUNC_CODE, sizeof ext, ext) == GIF_ERROR ||
        EGifPutImageDesc(g->gif, x0, y0, rw, y1 - y0 + 1, false, NULL) == GIF_ERROR)
        return gif_fail(g, "a frame's header", err);
    GifPixelType *row = malloc((size_t)rw);
    if (!row) return av_err(err, "GIF: out of memory");
    for (int y = y0; y <= y1; y++) {
        const uint8_t *c = g->cur + (size_t)y * w + x0, *p = g->prev + (size_t)y * w + x0;
        for (int x = 0; x < rw; x++) row[x] = first ? c[x] : same || c[x] == p[x] ? EXPORT_GIF_TRANSPARENT : c[x];
        if (EGifPutLine(g->gif, row, rw) == GIF_ERROR) { free(row); return gif_fail(g, "a frame's pixels", err); }
    }
    free(row);
    uint8_t *t = g->prev;
    g->prev = g->cur;
    g->cur = t;
    g->frames++;
    return 0;
}

int export_gif_end(ExportGif *g, uint8_t **data, size_t *n, char *err) {
    *data = NULL;
    *n = 0;
    int e = 0, rc = EGifCloseFile(g->gif, &e);
    g->gif = NULL;
    if (rc == GIF_ERROR || g->out.oom) {
        int r = g->out.oom ? av_err(err, "GIF: out of memory")
                           : av_err(err, "GIF: closing failed: %s", GifErrorString(e) ? GifErrorString(e) : "?");
        export_gif_free(g);
        return r;
    }
    *data = (uint8_t *)g->out.p;
    *n = g->out.n;
    g->out = (Buf){0};
    export_gif_free(g);
    return 0;
}

void export_gif_free(ExportGif *g) {
    if (!g) return;
    if (g->gif) {
        int e;
        EGifCloseFile(g->gif, &e);
    }
    buf_free(&g->out);
    tab_free(&g->index);
    free(g->prev);
    free(g->cur);
    free(g);
}

int export_gif_frames(const ExportGif *g) { return g->frames; }
size_t export_gif_bytes(const ExportGif *g) { return g->out.n; }

const uint8_t *export_gif_palette(const ExportGif *g, int *n) {
    *n = g->npal;
    return g->pal_rgb;
}
