/* test_png.c — the exported PNG, decoded back with stb_image: cell colours
 * read back to the weights, sizes, labels, provenance chunks, determinism. */
#include <math.h>

#include "helpers.h"

enum { S0 = 7, T0 = 5 };
static const char *SRC7[S0] = {"q", "w", "e", "r", "t", "y", "u"};
static const char *OUT5[T0] = {"A", "B", "C", "D", "<eos>"};

static ExportPanel panel7x5(float *w) {
    fixture_weights(w, S0, T0, 1);
    return (ExportPanel){NULL, S0, T0, w, SRC7, OUT5};
}

/* Every cell centre (or, with values printed, a point near the cell's
 * corner, away from the digits) maps back through viridis to its weight
 * within one colormap step. */
static void check_cells(const Decoded *d, const ExportPanelGeom *g, const ExportPanel *p, bool values) {
    cr_assert_eq(g->S, p->S);
    cr_assert_eq(g->T, p->T);
    int fill = g->cell - g->gap;
    for (int t = 0; t < p->T; t++)
        for (int s = 0; s < p->S; s++) {
            int x = g->matrix.x + s * g->cell + (values ? 1 : fill / 2);
            int y = g->matrix.y + t * g->cell + (values ? 1 : fill / 2);
            float got = colormap_viridis_inverse(pixel(d, x, y)), want = p->weights[t * p->S + s];
            cr_expect(fabsf(got - want) <= 1.0f / 255.0f + 1e-6f, "cell (t=%d, s=%d): colour reads %.4f, weight %.4f",
                      t, s, got, want);
        }
}

Test(png, cell_colours_read_back_to_the_weights) {
    float w[S0 * T0];
    ExportPanel p = panel7x5(w);
    for (int scale = 1; scale <= 3; scale++) {
        ExportFigure fig;
        build(&fig, &p, 1, scale, false, EXPORT_LIGHT);
        Decoded d = decode_png(&fig, NULL);
        cr_assert_eq(d.w, fig.width);
        cr_assert_eq(d.h, fig.height);
        const ExportPanelGeom *g = &fig.panels[0];
        cr_assert(g->matrix.x + g->matrix.w <= d.w && g->matrix.y + g->matrix.h <= d.h);
        cr_assert_eq(g->matrix.w, S0 * g->cell, "columns are the source");
        cr_assert_eq(g->matrix.h, T0 * g->cell, "rows are the output");
        check_cells(&d, g, &p, false);
        decoded_free(&d);
        export_figure_free(&fig);
    }
}

Test(png, cell_colours_with_values_and_dark_theme) {
    float w[S0 * T0];
    ExportPanel p = panel7x5(w);
    ExportFigure fig;
    build(&fig, &p, 1, 2, true, EXPORT_DARK);
    Decoded d = decode_png(&fig, NULL);
    check_cells(&d, &fig.panels[0], &p, true);
    /* the digits are there: each cell centre row holds pixels of the text colour */
    const ExportPanelGeom *g = &fig.panels[0];
    for (int t = 0; t < T0; t++)
        for (int s = 0; s < S0; s++) {
            Rgb8 bg = colormap_viridis(w[t * S0 + s]);
            int x0 = g->matrix.x + s * g->cell, y0 = g->matrix.y + t * g->cell, changed = 0;
            for (int y = y0; y < y0 + g->cell - g->gap; y++)
                for (int x = x0; x < x0 + g->cell - g->gap; x++) {
                    Rgb8 c = pixel(&d, x, y);
                    changed += abs(c.r - bg.r) + abs(c.g - bg.g) + abs(c.b - bg.b) > 60;
                }
            cr_expect_gt(changed, 10, "no value printed in cell (%d, %d)", t, s);
        }
    /* dark theme: the corner is dark */
    Rgb8 c = pixel(&d, 0, 0);
    cr_expect_lt(c.r + c.g + c.b, 150);
    decoded_free(&d);
    export_figure_free(&fig);
}

Test(png, size_follows_token_counts_and_scale) {
    static const char *src[9] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    static const char *out[9] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
    float w[81];
    fixture_weights(w, 9, 9, 2);
    int W[10][10] = {{0}}, H[10][10] = {{0}}, cell = 0;
    for (int S = 7; S <= 9; S++)
        for (int T = 7; T <= 9; T++) {
            float ws[81];
            for (int t = 0; t < T; t++)
                for (int s = 0; s < S; s++) ws[t * S + s] = w[t * 9 + s];
            ExportPanel p = {NULL, S, T, ws, src, out};
            ExportFigure fig;
            build(&fig, &p, 1, 1, false, EXPORT_LIGHT);
            W[S][T] = fig.width;
            H[S][T] = fig.height;
            cell = fig.panels[0].cell;
            for (int scale = 2; scale <= 3; scale++) {
                ExportFigure f2;
                build(&f2, &p, 1, scale, false, EXPORT_LIGHT);
                cr_expect_eq(f2.width, scale * fig.width, "width at scale %d", scale);
                cr_expect_eq(f2.height, scale * fig.height, "height at scale %d", scale);
                if (S == 9 && T == 7) {   /* one decode per scale is enough */
                    Decoded d = decode_png(&f2, NULL);
                    cr_expect_eq(d.w, scale * fig.width);
                    cr_expect_eq(d.h, scale * fig.height);
                    decoded_free(&d);
                }
                export_figure_free(&f2);
            }
            export_figure_free(&fig);
        }
    cr_assert_gt(cell, 0);
    for (int T = 7; T <= 9; T++) {
        cr_expect_eq(W[8][T] - W[7][T], cell, "one more source token adds one column");
        cr_expect_eq(W[9][T] - W[8][T], cell);
        cr_expect_eq(H[8][T], H[7][T], "source tokens do not change the height");
    }
    for (int S = 7; S <= 9; S++) {
        cr_expect_eq(H[S][8] - H[S][7], cell, "one more output token adds one row");
        cr_expect_eq(W[S][8], W[S][7], "output tokens do not change the width");
    }
}

/* Non-background pixels inside a box. */
static int ink(const Decoded *d, ExportBox b, Rgb8 bg) {
    int n = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++) {
            Rgb8 c = pixel(d, x, y);
            n += abs(c.r - bg.r) + abs(c.g - bg.g) + abs(c.b - bg.b) > 60;
        }
    return n;
}

static bool overlap(ExportBox a, ExportBox b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void check_labels(const ExportFigure *fig, const Decoded *d) {
    const ExportPanelGeom *g = &fig->panels[0];
    for (int s = 0; s < g->S; s++) {
        ExportBox b = g->src_label[s];
        cr_expect_gt(b.w * b.h, 0, "source label %d has no box", s);
        cr_expect_gt(ink(d, b, fig->background), 3, "source label %d is blank", s);
        cr_expect(!overlap(b, g->matrix), "source label %d overlaps the cells", s);
        cr_expect(b.y + b.h <= g->matrix.y, "source label %d is not above the cells", s);
        if (s > 0) cr_expect(!overlap(b, g->src_label[s - 1]), "source labels %d and %d overlap", s - 1, s);
        /* centred on its own column */
        int cx = b.x + b.w / 2, col = (cx - g->matrix.x) / g->cell;
        cr_expect_eq(col, s, "source label %d sits over column %d", s, col);
    }
    for (int t = 0; t < g->T; t++) {
        ExportBox b = g->out_label[t];
        cr_expect_gt(ink(d, b, fig->background), 3, "output label %d is blank", t);
        cr_expect(b.x + b.w <= g->matrix.x, "output label %d is not left of the cells", t);
        if (t > 0) cr_expect(!overlap(b, g->out_label[t - 1]), "output labels %d and %d overlap", t - 1, t);
        int row = (b.y + b.h / 2 - g->matrix.y) / g->cell;
        cr_expect_eq(row, t, "output label %d sits beside row %d", t, row);
    }
    cr_expect(!overlap(fig->colorbar, g->matrix));
    cr_expect_gt(ink(d, fig->title, fig->background), 10, "the title is blank");
}

Test(png, labels_are_drawn_beside_their_rows_and_columns) {
    float w[S0 * T0];
    ExportPanel p = panel7x5(w);
    ExportFigure fig;
    build(&fig, &p, 1, 1, false, EXPORT_LIGHT);
    cr_expect(!fig.panels[0].rotated, "single characters fit a cell");
    Decoded d = decode_png(&fig, NULL);
    check_labels(&fig, &d);
    decoded_free(&d);
    export_figure_free(&fig);
}

Test(png, long_token_lists_rotate_their_labels) {
    enum { S = 41, T = 13 };
    const char *words[] = {"international", "attention", "the", "alignment", "of", "translation", "models"};
    const char *src[S], *out[T];
    for (int i = 0; i < S; i++) src[i] = words[(i * 3) % 7];
    for (int i = 0; i < T; i++) out[i] = words[(i * 5 + 1) % 7];
    float w[S * T];
    fixture_weights(w, S, T, 3);
    ExportPanel p = {NULL, S, T, w, src, out};
    ExportFigure fig;
    build(&fig, &p, 1, 2, false, EXPORT_LIGHT);
    const ExportPanelGeom *g = &fig.panels[0];
    cr_expect(g->rotated);
    for (int s = 0; s < S; s++)
        if (strlen(src[s]) > 5) cr_expect_gt(g->src_label[s].h, g->src_label[s].w, "label %d is not vertical", s);
    Decoded d = decode_png(&fig, NULL);
    check_labels(&fig, &d);
    check_cells(&d, g, &p, false);
    decoded_free(&d);
    export_figure_free(&fig);
}

Test(png, hangul_renders_as_distinct_glyphs) {
    static const char *src[3] = {"나는", "학생", "입니다"};
    static const char *out[5] = {"I", "am", "a", "student", "<eos>"};
    float w[15];
    fixture_weights(w, 3, 5, 4);
    ExportPanel p = {"한국어", 3, 5, w, src, out};
    ExportFigure fig;
    build(&fig, &p, 1, 2, false, EXPORT_LIGHT);
    Decoded d = decode_png(&fig, NULL);
    check_labels(&fig, &d);
    /* a missing glyph is the same box for every character: two different
     * syllable pairs must not give the same picture */
    ExportBox a = fig.panels[0].src_label[0], b = fig.panels[0].src_label[1];
    int differ = 0;
    for (int y = 0; y < a.h && y < b.h; y++)
        for (int x = 0; x < a.w && x < b.w; x++) {
            Rgb8 ca = pixel(&d, a.x + x, a.y + y), cb = pixel(&d, b.x + x, b.y + y);
            differ += abs(ca.r - cb.r) > 60;
        }
    cr_expect_gt(differ, 20, "나는 and 학생 look the same: Hangul glyphs missing?");
    decoded_free(&d);
    export_figure_free(&fig);
}

Test(png, all_scores_side_by_side) {
    float w1[S0 * T0], w2[S0 * 3];
    fixture_weights(w1, S0, T0, 5);
    fixture_weights(w2, S0, 3, 6);
    ExportPanel p[2] = {{"dot", S0, T0, w1, SRC7, OUT5}, {"general", S0, 3, w2, SRC7, OUT5 + 2}};
    ExportFigure fig;
    build(&fig, p, 2, 1, false, EXPORT_LIGHT);
    cr_assert_eq(fig.n_panels, 2);
    cr_expect(!overlap(fig.panels[0].matrix, fig.panels[1].matrix));
    cr_expect_lt(fig.panels[0].matrix.x + fig.panels[0].matrix.w, fig.panels[1].out_label[0].x, "panels overlap");
    Decoded d = decode_png(&fig, NULL);
    check_cells(&d, &fig.panels[0], &p[0], false);
    check_cells(&d, &fig.panels[1], &p[1], false);
    decoded_free(&d);
    export_figure_free(&fig);
}

Test(png, same_input_gives_the_same_bytes) {
    float w[S0 * T0];
    ExportPanel p = panel7x5(w);
    ExportMeta meta = {.model = "m.safetensors", .task = "reverse", .score = "general", .input = "qwertyu"};
    uint8_t *a, *b;
    size_t na, nb;
    char err[EXPORT_ERR_LEN];
    ExportFigure f1, f2;
    build(&f1, &p, 1, 2, true, EXPORT_LIGHT);
    cr_assert_eq(export_png_encode(&f1, &meta, &a, &na, err), 0);
    export_figure_free(&f1);
    build(&f2, &p, 1, 2, true, EXPORT_LIGHT);
    cr_assert_eq(export_png_encode(&f2, &meta, &b, &nb, err), 0);
    export_figure_free(&f2);
    cr_assert_eq(na, nb);
    cr_expect_eq(memcmp(a, b, na), 0);
    free(a);
    free(b);
}

/* ---- provenance chunks, checked with an independent bitwise CRC ---- */
static uint32_t crc_bitwise(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

Test(png, crc_matches_the_standard_check_value) {
    cr_assert_eq(crc_bitwise((const uint8_t *)"123456789", 9), 0xCBF43926u);
    cr_assert_eq(export_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
}

Test(png, provenance_chunks_are_valid_and_readable) {
    float w[S0 * T0];
    ExportPanel p = panel7x5(w);
    ExportMeta meta = {.model = "assets/models/en-ko-general.safetensors", .task = "en-ko", .score = "general",
                       .input = "나는 학생입니다"};
    ExportFigure fig;
    build(&fig, &p, 1, 1, false, EXPORT_LIGHT);
    Decoded d = decode_png(&fig, &meta);
    cr_assert_eq(memcmp(d.png, "\x89PNG\r\n\x1a\n", 8), 0);
    size_t i = 8;
    int seen_model = 0, seen_task = 0, seen_score = 0, seen_input = 0, n_chunks = 0, idat_after_text = 1, seen_idat = 0;
    char last[5] = "";
    while (i + 12 <= d.n) {
        uint32_t len = be32(d.png + i);
        cr_assert_leq(i + 12 + len, d.n, "chunk runs past the end");
        const uint8_t *type = d.png + i + 4, *data = type + 4;
        cr_expect_eq(be32(data + len), crc_bitwise(type, len + 4), "bad CRC in chunk %.4s", (const char *)type);
        if (n_chunks == 0) cr_expect_eq(memcmp(type, "IHDR", 4), 0, "IHDR must come first");
        if (!memcmp(type, "IDAT", 4)) seen_idat = 1;
        if (!memcmp(type, "tEXt", 4) || !memcmp(type, "iTXt", 4)) {
            if (seen_idat) idat_after_text = 0;
            const char *key = (const char *)data;
            size_t kl = strnlen(key, len);
            const char *val = key + kl + 1;
            size_t vl = len - kl - 1;
            if (!memcmp(type, "iTXt", 4)) { val += 4; vl -= 4; }   /* flags, method, two empty strings */
            if (!strcmp(key, "Model")) seen_model = vl == strlen(meta.model) && !memcmp(val, meta.model, vl);
            if (!strcmp(key, "Task")) seen_task = vl == strlen(meta.task) && !memcmp(val, meta.task, vl);
            if (!strcmp(key, "Score")) seen_score = vl == strlen(meta.score) && !memcmp(val, meta.score, vl);
            if (!strcmp(key, "Input")) {
                cr_expect_eq(memcmp(type, "iTXt", 4), 0, "a Hangul input needs iTXt (tEXt is Latin-1)");
                seen_input = vl == strlen(meta.input) && !memcmp(val, meta.input, vl);
            }
        }
        memcpy(last, type, 4);
        i += 12 + len;
        n_chunks++;
    }
    cr_expect_eq(i, d.n, "trailing bytes after the last chunk");
    cr_expect_str_eq(last, "IEND");
    cr_expect(seen_model && seen_task && seen_score && seen_input, "model %d task %d score %d input %d", seen_model,
              seen_task, seen_score, seen_input);
    cr_expect(idat_after_text);
    decoded_free(&d);
    export_figure_free(&fig);
}

Test(png, refuses_empty_and_non_finite) {
    float w[S0 * T0];
    ExportPanel p = panel7x5(w);
    ExportFigure fig;
    char err[EXPORT_ERR_LEN];
    ExportDesc d = {.panels = &p, .n_panels = 1, .scale = 1, .theme = EXPORT_LIGHT, .font_path = fixture_font()};
    w[2 * S0 + 3] = NAN;
    cr_expect_eq(export_figure_build(&fig, &d, err), -1);
    cr_expect(strstr(err, "row 3, column 4") != NULL, "%s", err);
    ExportPanel e = {NULL, 0, 3, w, SRC7, OUT5};
    d.panels = &e;
    cr_expect_eq(export_figure_build(&fig, &d, err), -1);
    d.panels = &p;
    fixture_weights(w, S0, T0, 1);
    d.font_path = "/nonexistent/font.ttf";
    cr_expect_eq(export_figure_build(&fig, &d, err), -1);
    cr_expect(strstr(err, "/nonexistent/font.ttf") != NULL, "%s", err);
}

Test(png, long_and_broken_tokens_are_cut_and_replaced) {
    char longtok[301];
    memset(longtok, 'w', 300);
    longtok[300] = '\0';
    static const char *bad = "a\xff\xfe" "b";   /* invalid UTF-8 in the middle */
    const char *src[3] = {longtok, bad, "\t"};
    const char *out[3] = {"", " ", longtok};
    float w[9];
    fixture_weights(w, 3, 3, 12);
    ExportPanel p = {NULL, 3, 3, w, src, out};
    ExportFigure fig;
    build(&fig, &p, 1, 1, false, EXPORT_LIGHT);
    const ExportPanelGeom *g = &fig.panels[0];
    /* 300 w's would be some 3000 px; the label is cut well below that */
    cr_expect_lt(g->src_label[0].h, 300, "the long source label was not cut (%d px)", g->src_label[0].h);
    cr_expect_lt(g->out_label[2].w, 300, "the long output label was not cut (%d px)", g->out_label[2].w);
    bool ellipsis = false;
    for (int i = 0; i < fig.n_ops; i++)
        if (fig.ops[i].kind == EXPORT_OP_TEXT && strstr(fig.ops[i].text, "\xE2\x80\xA6")) ellipsis = true;
    cr_expect(ellipsis, "a cut label ends with an ellipsis");
    Decoded d = decode_png(&fig, NULL);
    check_labels(&fig, &d);   /* the empty, space, tab and broken tokens still show something */
    decoded_free(&d);
    export_figure_free(&fig);
}

Test(png, an_enormous_figure_is_refused_with_a_reason) {
    enum { S = 3000, T = 2000 };
    float *w = calloc((size_t)S * T, sizeof *w);
    const char **src = calloc(S, sizeof *src), **out = calloc(T, sizeof *out);
    for (int i = 0; i < S; i++) src[i] = "a";
    for (int i = 0; i < T; i++) out[i] = "b";
    ExportPanel p = {NULL, S, T, w, src, out};
    ExportDesc d = {.panels = &p, .n_panels = 1, .scale = 4, .theme = EXPORT_LIGHT, .font_path = fixture_font()};
    ExportFigure fig;
    char err[EXPORT_ERR_LEN];
    cr_expect_eq(export_figure_build(&fig, &d, err), -1);
    cr_expect(strstr(err, "pixels"), "%s", err);
    free(w);
    free(src);
    free(out);
}
