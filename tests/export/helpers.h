/* helpers.h — fixtures shared by the export tests: asymmetric synthetic
 * alignments (odd, unequal S and T, no symmetry, so a transpose or a flip
 * shows), the font, PNG decoding and a few file helpers. */
#ifndef EXPORT_TEST_HELPERS_H
#define EXPORT_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stb_image.h>   /* declarations only: the code is in -lstb */

#include "export/export.h"
#include "text/font_find.h"

/* Row-stochastic weights from a fixed LCG: rows sum to 1, w[t][s] ≠ w[s][t]. */
static inline void fixture_weights(float *w, int S, int T, unsigned seed) {
    unsigned x = seed * 2654435761u + 12345u;
    for (int t = 0; t < T; t++) {
        float sum = 0;
        for (int s = 0; s < S; s++) {
            x = x * 1664525u + 1013904223u;
            float v = (float)((x >> 8) & 0xFFFF) / 65535.0f;
            v = v * v * v + (s == (t * 3) % S ? 2.0f : 0.0f);   /* one strong cell per row */
            w[t * S + s] = v;
            sum += v;
        }
        for (int s = 0; s < S; s++) w[t * S + s] /= sum;
    }
}

static inline const char *fixture_font(void) {
    static char path[1024];
    char err[FONT_ERR_CAP];
    if (!path[0]) cr_assert_eq(font_find(NULL, path, sizeof path, err), 0, "no font: %s", err);
    return path;
}

static inline int build(ExportFigure *fig, const ExportPanel *p, int n, int scale, bool values, ExportTheme th) {
    ExportDesc d = {.title = "task · LSTM · Luong · general", .panels = p, .n_panels = n, .scale = scale,
                    .theme = th, .values = values, .font_path = fixture_font()};
    char err[EXPORT_ERR_LEN];
    int rc = export_figure_build(fig, &d, err);
    cr_assert_eq(rc, 0, "build failed: %s", err);
    return rc;
}

/* The PNG of fig, decoded back by stb_image (3 channels). */

typedef struct { unsigned char *px; int w, h; uint8_t *png; size_t n; } Decoded;

static inline Decoded decode_png(const ExportFigure *fig, const ExportMeta *meta) {
    Decoded d = {0};
    char err[EXPORT_ERR_LEN];
    cr_assert_eq(export_png_encode(fig, meta, &d.png, &d.n, err), 0, "encode: %s", err);
    int comp;
    d.px = stbi_load_from_memory(d.png, (int)d.n, &d.w, &d.h, &comp, 3);
    cr_assert_not_null(d.px, "stb_image could not decode our PNG");
    return d;
}
static inline void decoded_free(Decoded *d) { stbi_image_free(d->px); free(d->png); }

static inline Rgb8 pixel(const Decoded *d, int x, int y) {
    cr_assert(x >= 0 && y >= 0 && x < d->w && y < d->h, "pixel (%d,%d) outside %dx%d", x, y, d->w, d->h);
    const unsigned char *p = d->px + ((size_t)y * d->w + x) * 3;
    return (Rgb8){p[0], p[1], p[2]};
}

static inline char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    size_t got = fread(b, 1, (size_t)len, f);
    fclose(f);
    b[got] = '\0';
    if (n) *n = got;
    return b;
}

static inline void tmp_dir(char *out, size_t cap) {
    snprintf(out, cap, "/tmp/attnviz-export-test-XXXXXX");
    cr_assert_not_null(mkdtemp(out));
}

/* Entries in dir other than . and .. */
#include <dirent.h>
static inline int dir_count(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    if (d) closedir(d);
    return n;
}

static inline void rm_dir(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

#endif
