/* bench_export.c — time to export a 40 × 12 alignment at scale 2 as PNG.
 * Budget (issue 6): 50 ms. One export = lay out (fonts opened), rasterise,
 * encode with provenance, write through a temporary file; the font is found
 * once beforehand, as the CLI does before decoding. Prints the median of 15
 * runs, wall and CPU time. The verdict uses CPU time: the export is single
 * threaded, so on an idle machine wall ≈ CPU, while on a busy one (the test
 * suite running beside it) wall time mostly measures waiting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/outfile.h"
#include "export/export.h"
#include "text/font_find.h"

static double clock_ms(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
static double now_ms(void) { return clock_ms(CLOCK_MONOTONIC); }
static double cpu_ms(void) { return clock_ms(CLOCK_PROCESS_CPUTIME_ID); }
static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { S = 40, T = 12, RUNS = 15 };

int main(void) {
    char font[1024], err[EXPORT_ERR_LEN];
    if (font_find(NULL, font, sizeof font, err)) { fprintf(stderr, "bench_export: %s\n", err); return 1; }
    static const char *words[] = {"the", "attention", "model", "learns", "to", "align", "words", "with", "their",
                                  "translation", "during", "training", "international"};
    const char *src[S], *out[T];
    for (int i = 0; i < S; i++) src[i] = words[(i * 7) % 13];
    for (int i = 0; i < T; i++) out[i] = words[(i * 5 + 3) % 13];
    float w[S * T];
    unsigned x = 1;
    for (int t = 0; t < T; t++) {
        float sum = 0;
        for (int s = 0; s < S; s++) {
            x = x * 1664525u + 1013904223u;
            sum += w[t * S + s] = (float)(x >> 8) / 16777216.0f;
        }
        for (int s = 0; s < S; s++) w[t * S + s] /= sum;
    }
    char path[64];
    snprintf(path, sizeof path, "/tmp/bench_export-%ld.png", (long)getpid());
    ExportMeta meta = {"bench.safetensors", "bench", "general", "forty words"};
    double total[RUNS], cpu[RUNS], layout[RUNS], encode[RUNS];
    int width = 0, height = 0;
    size_t bytes = 0;
    for (int values = 0; values <= 1; values++) {
        for (int r = 0; r < RUNS; r++) {
            ExportPanel p = {NULL, S, T, w, src, out};
            ExportDesc d = {"bench · LSTM · Luong · general", &p, 1, 2, EXPORT_LIGHT, values, font};
            ExportFigure fig;
            double c0 = cpu_ms(), t0 = now_ms();
            if (export_figure_build(&fig, &d, err)) { fprintf(stderr, "bench_export: %s\n", err); return 1; }
            double t1 = now_ms();
            uint8_t *png;
            if (export_png_encode(&fig, &meta, &png, &bytes, err)) { fprintf(stderr, "bench_export: %s\n", err); return 1; }
            double t2 = now_ms();
            if (av_write_file(path, png, bytes, err)) { fprintf(stderr, "bench_export: %s\n", err); return 1; }
            double t3 = now_ms(), c3 = cpu_ms();
            free(png);
            width = fig.width;
            height = fig.height;
            export_figure_free(&fig);
            total[r] = t3 - t0, cpu[r] = c3 - c0, layout[r] = t1 - t0, encode[r] = t2 - t1;
        }
        qsort(total, RUNS, sizeof *total, cmp);
        qsort(cpu, RUNS, sizeof *cpu, cmp);
        qsort(layout, RUNS, sizeof *layout, cmp);
        qsort(encode, RUNS, sizeof *encode, cmp);
        printf("export 40x12 scale 2%s: %dx%d px, %zu bytes: median %.1f ms wall, %.1f ms CPU "
               "(layout %.1f, render+encode %.1f) [budget 50 ms CPU] %s\n",
               values ? " --values" : "", width, height, bytes, total[RUNS / 2], cpu[RUNS / 2], layout[RUNS / 2], encode[RUNS / 2],
               cpu[RUNS / 2] <= 50 ? "ok" : "OVER");
    }
    unlink(path);
    return 0;
}
