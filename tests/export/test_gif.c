/* test_gif.c — the GIF encoder (src/export/export_gif.c) without GL: frames of few colours come back exact, only the changed rectangle is stored, an unchanged frame is 1×1, seed colours are kept, and many colours map to their nearest. Read back with giflib's own decoder. */
#include <criterion/criterion.h>
#include <gif_lib.h>
#include <stdlib.h>
#include <string.h>

#include "export/gif.h"

enum { W = 37, H = 23 };   /* odd sizes: a stride or a flip shows */

typedef struct { const uint8_t *p; size_t n, at; } Mem;
static int mem_read(GifFileType *g, GifByteType *b, int n) {
    Mem *m = g->UserData;
    if (m->at + (size_t)n > m->n) n = (int)(m->n - m->at);
    memcpy(b, m->p + m->at, (size_t)n);
    m->at += (size_t)n;
    return n;
}

static GifFileType *decode(const uint8_t *data, size_t n, Mem *m) {
    *m = (Mem){data, n, 0};
    int e = 0;
    GifFileType *g = DGifOpen(m, mem_read, &e);
    cr_assert_not_null(g, "DGifOpen: %s", GifErrorString(e));
    cr_assert_eq(DGifSlurp(g), GIF_OK, "DGifSlurp: %s", GifErrorString(g->Error));
    return g;
}

/* Paint frame f over canvas (W*H*3) as a viewer does. */
static void paint(const GifFileType *g, int f, uint8_t *canvas) {
    const SavedImage *s = &g->SavedImages[f];
    GraphicsControlBlock gcb;
    DGifSavedExtensionToGCB((GifFileType *)g, f, &gcb);
    for (int y = 0; y < s->ImageDesc.Height; y++)
        for (int x = 0; x < s->ImageDesc.Width; x++) {
            int k = s->RasterBits[y * s->ImageDesc.Width + x];
            if (k == gcb.TransparentColor) continue;
            uint8_t *c = canvas + 3 * ((s->ImageDesc.Top + y) * W + s->ImageDesc.Left + x);
            const GifColorType *col = &g->SColorMap->Colors[k];
            c[0] = col->Red; c[1] = col->Green; c[2] = col->Blue;
        }
}

/* An 'F' of colour c at (x, y) on a background, 5×7. */
static void frame_f(uint8_t *rgb, int x0, int y0, const uint8_t c[3]) {
    for (int i = 0; i < W * H; i++) { rgb[3 * i] = 250; rgb[3 * i + 1] = 248; rgb[3 * i + 2] = 240; }
    for (int y = 0; y < 7; y++)
        for (int x = 0; x < 5; x++)
            if (x == 0 || y == 0 || (y == 3 && x < 4)) memcpy(rgb + 3 * ((y0 + y) * W + x0 + x), c, 3);
}

Test(gif, few_colours_come_back_exact_and_only_changes_are_stored) {
    static const uint8_t RED[3] = {200, 30, 40}, BLUE[3] = {20, 60, 210};
    uint8_t *f[4];
    for (int i = 0; i < 4; i++) f[i] = malloc(W * H * 3);
    frame_f(f[0], 2, 3, RED);
    frame_f(f[1], 9, 3, RED);      /* moved */
    frame_f(f[2], 9, 3, RED);      /* unchanged */
    frame_f(f[3], 9, 3, BLUE);     /* recoloured */
    char err[512];
    ExportGifDesc d = {.w = W, .h = H, .delay_cs = 5, .hold_cs = 100, .loop = true};
    const uint8_t *samples[] = {f[0], f[3]};
    ExportGif *g = export_gif_begin(&d, samples, 2, err);
    cr_assert_not_null(g, "%s", err);
    int n;
    export_gif_palette(g, &n);
    cr_expect_eq(n, 3, "three colours in the samples, three in the palette");
    for (int i = 0; i < 4; i++) cr_assert_eq(export_gif_add(g, f[i], i == 3, err), 0, "%s", err);
    cr_expect_eq(export_gif_frames(g), 4);
    uint8_t *data;
    size_t len;
    cr_assert_eq(export_gif_end(g, &data, &len, err), 0, "%s", err);
    Mem m;
    GifFileType *gif = decode(data, len, &m);
    cr_assert_eq(gif->ImageCount, 4);
    cr_expect(gif->SWidth == W && gif->SHeight == H);
    uint8_t *canvas = calloc(W * H, 3);
    for (int i = 0; i < 4; i++) {
        paint(gif, i, canvas);
        cr_expect(memcmp(canvas, f[i], W * H * 3) == 0, "frame %d is not what went in", i);
    }
    const GifImageDesc *d1 = &gif->SavedImages[1].ImageDesc, *d2 = &gif->SavedImages[2].ImageDesc,
                       *d3 = &gif->SavedImages[3].ImageDesc;
    cr_expect(d1->Left == 2 && d1->Top == 3 && d1->Width == 12 && d1->Height == 7,
              "the move: the rectangle of both F's (2,3 12×7), got %d,%d %d×%d", d1->Left, d1->Top, d1->Width, d1->Height);
    cr_expect(d2->Width == 1 && d2->Height == 1, "an unchanged frame is 1×1, got %d×%d", d2->Width, d2->Height);
    cr_expect(d3->Left == 9 && d3->Top == 3 && d3->Width == 5 && d3->Height == 7, "the recoloured F only");
    GraphicsControlBlock gcb;
    DGifSavedExtensionToGCB(gif, 3, &gcb);
    cr_expect_eq(gcb.DelayTime, 105, "the last frame holds");
    int e;
    DGifCloseFile(gif, &e);
    free(canvas);
    free(data);
    for (int i = 0; i < 4; i++) free(f[i]);
}

/* More colours than a GIF holds: the seeds stay, the palette is full, and
 * every pixel becomes the palette colour nearest to it. */
Test(gif, many_colours_keep_the_seeds_and_map_near) {
    uint8_t *rgb = malloc(W * H * 3);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint8_t *p = rgb + 3 * (y * W + x);
            p[0] = (uint8_t)(x * 7);
            p[1] = (uint8_t)(y * 11);
            p[2] = (uint8_t)((x * y) % 256);
        }
    static const uint8_t SEED[6] = {1, 2, 3, 250, 251, 252};
    char err[512];
    ExportGifDesc d = {.w = W, .h = H, .delay_cs = 10, .seed = SEED, .n_seed = 2};
    const uint8_t *samples[] = {rgb};
    ExportGif *g = export_gif_begin(&d, samples, 1, err);
    cr_assert_not_null(g, "%s", err);
    int n;
    const uint8_t *gp = export_gif_palette(g, &n);
    uint8_t pal[3 * 256];
    memcpy(pal, gp, (size_t)n * 3);   /* g is freed by export_gif_end */
    cr_expect_eq(n, EXPORT_GIF_COLORS);
    cr_expect(memcmp(pal, SEED, 6) == 0, "the seeds come first");
    cr_assert_eq(export_gif_add(g, rgb, true, err), 0, "%s", err);
    uint8_t *data;
    size_t len;
    cr_assert_eq(export_gif_end(g, &data, &len, err), 0, "%s", err);
    Mem m;
    GifFileType *gif = decode(data, len, &m);
    uint8_t *canvas = calloc(W * H, 3);
    paint(gif, 0, canvas);
    /* each pixel is the palette colour nearest to it (the encoder's weights) */
    const uint8_t *in = rgb;
    for (int i = 0; i < W * H; i++, in += 3) {
        long best = -1;
        for (int k = 0; k < n; k++) {
            long r = in[0] - pal[3 * k], gr = in[1] - pal[3 * k + 1], b = in[2] - pal[3 * k + 2];
            long dd = 3 * r * r + 4 * gr * gr + 2 * b * b;
            if (best < 0 || dd < best) best = dd;
        }
        const uint8_t *o = canvas + 3 * i;
        long r = in[0] - o[0], gr = in[1] - o[1], b = in[2] - o[2];
        cr_assert_eq(3 * r * r + 4 * gr * gr + 2 * b * b, best, "pixel %d is not its nearest palette colour", i);
    }
    int e;
    DGifCloseFile(gif, &e);
    free(canvas);
    free(data);
    free(rgb);
}

Test(gif, bad_descriptions_are_refused) {
    char err[512] = "";
    uint8_t px[3] = {0};
    const uint8_t *s[] = {px};
    ExportGifDesc d = {.w = 0, .h = 1, .delay_cs = 5};
    cr_expect_null(export_gif_begin(&d, s, 1, err));
    cr_expect(strstr(err, "GIF: bad size"), "%s", err);
    d = (ExportGifDesc){.w = 1, .h = 1, .delay_cs = 5};
    cr_expect_null(export_gif_begin(&d, s, 0, err), "no samples, no palette");
    ExportGif *g = export_gif_begin(&d, s, 1, err);
    cr_assert_not_null(g, "%s", err);
    export_gif_free(g);   /* abandoning a GIF frees everything (ASan checks) */
}
