/* export_png.c — PNG bytes with provenance, and writing a file built in memory.
 *
 * stb_image_write (libstb-dev, compiled into -lstb: no IMPLEMENTATION
 * define here) encodes the pixels into memory through its public
 * stbi_write_png_to_func, which hands over the whole PNG that
 * stbi_write_png_to_mem made in one call. We then splice text chunks in
 * after IHDR — PNG allows tEXt/iTXt anywhere between IHDR and IEND — each
 * with its CRC-32, and write the bytes through base/outfile.h: a reader
 * sees the old file or the new one, never half of one.
 */
#include "export_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image_write.h>

#include "../base/err.h"
#include "../base/outfile.h"

/* ---- a file built in memory ------------------------------------------------------ */
int buf_write_file(Buf *b, const char *path, char *err) {
    int rc = b->oom ? av_err(err, "%s: out of memory", path) : av_write_file(path, b->p, b->n, err);
    buf_free(b);
    return rc;
}

/* ---- CRC-32 (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320 reflected) -------------- */
uint32_t export_crc32(const uint8_t *p, size_t n) {
    static uint32_t table[256];
    static int ready;
    if (!ready) {   /* idempotent: a race only computes the same table twice */
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        ready = 1;
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static void put_be32(Buf *b, uint32_t v) {
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    buf_put(b, x, 4);
}

/* length, type, data, CRC over type + data */
static void put_chunk(Buf *b, const char type[4], const void *data, size_t n) {
    put_be32(b, (uint32_t)n);
    size_t start = b->n;
    buf_put(b, type, 4);
    buf_put(b, data, n);
    if (!b->oom) put_be32(b, export_crc32((const uint8_t *)b->p + start, n + 4));
}

enum { TEXT_VALUE_MAX = 16384 };   /* longer inputs are cut (at a code point) */

/* tEXt (Latin-1) when the value is plain ASCII, else iTXt (UTF-8). */
static void put_text_chunk(Buf *b, const char *key, const char *value) {
    if (!value) return;
    size_t n = strlen(value), k = strlen(key);
    if (n > TEXT_VALUE_MAX) {
        n = TEXT_VALUE_MAX;
        n = utf8_floor(value, n);
    }
    bool ascii = true;
    for (size_t i = 0; i < n; i++) ascii &= (unsigned char)value[i] < 0x80;
    Buf d = {0};
    buf_put(&d, key, k + 1);                          /* keyword and its NUL */
    if (!ascii) buf_put(&d, "\0\0\0\0", 4);           /* iTXt: not compressed, method 0, no language, no translation */
    buf_put(&d, value, n);
    if (d.oom) { b->oom = 1; buf_free(&d); return; }
    put_chunk(b, ascii ? "tEXt" : "iTXt", d.p, d.n);
    buf_free(&d);
}

static void collect(void *ctx, void *data, int size) { buf_put(ctx, data, (size_t)size); }

int export_png_encode(const ExportFigure *fig, const ExportMeta *meta, uint8_t **png, size_t *n, char *err) {
    *png = NULL;
    *n = 0;
    uint8_t *rgb;
    if (export_render_rgb(fig, &rgb, err)) return -1;
    /* Filter type 0 (none) for every row, instead of stb's default of trying
     * all five per row: a figure is mostly flat colour, where "none" gives
     * the smallest file too, and it takes half the time (stb's own deflate
     * is the slow part). Encoder settings only: the same pixels still give
     * the same bytes. */
    int old_filter = stbi_write_force_png_filter, old_level = stbi_write_png_compression_level;
    stbi_write_force_png_filter = 0;
    stbi_write_png_compression_level = 5;
    Buf raw = {0};
    int ok = stbi_write_png_to_func(collect, &raw, fig->width, fig->height, 3, rgb, fig->width * 3);
    stbi_write_force_png_filter = old_filter;   /* other stb users in the process keep theirs */
    stbi_write_png_compression_level = old_level;
    free(rgb);
    if (!ok || raw.oom || raw.n < 33 || memcmp(raw.p + 12, "IHDR", 4) != 0) {
        buf_free(&raw);
        if (err) snprintf(err, EXPORT_ERR_LEN, "export: PNG encoding failed (%d×%d)", fig->width, fig->height);
        return -1;
    }
    /* signature (8) + IHDR (4 + 4 + 13 + 4) = 33 bytes, then our chunks */
    Buf out = {0};
    buf_put(&out, raw.p, 33);
    put_text_chunk(&out, "Software", "attnviz");
    if (meta) {
        put_text_chunk(&out, "Model", meta->model);
        put_text_chunk(&out, "Task", meta->task);
        put_text_chunk(&out, "Score", meta->score);
        put_text_chunk(&out, "Input", meta->input);
        put_text_chunk(&out, "Quantity", meta->quantity);
    }
    buf_put(&out, raw.p + 33, raw.n - 33);
    buf_free(&raw);
    if (out.oom) {
        buf_free(&out);
        if (err) snprintf(err, EXPORT_ERR_LEN, "export: out of memory");
        return -1;
    }
    *png = (uint8_t *)out.p;
    *n = out.n;
    return 0;
}

int export_write_png(const ExportFigure *fig, const ExportMeta *meta, const char *path, char *err) {
    uint8_t *png;
    size_t n;
    if (export_png_encode(fig, meta, &png, &n, err)) return -1;
    int rc = av_write_file(path, png, n, err);
    free(png);
    return rc;
}
