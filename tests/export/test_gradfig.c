/* test_gradfig.c — the gradient figure: signed values in the view's purple–orange gradient scale,
 * symmetric around 0 and full colour at the largest |value|; its colorbar,
 * ticks, unit and note; the panel from a real gradient trace; the files. */
#include <math.h>

#include "helpers.h"
#include "engine/gradtrace.h"

enum { S0 = 7, T0 = 5 };
static const char *SRC7[S0] = {"q", "w", "e", "r", "t", "y", "u"};
static const char *OUT5[T0] = {"A", "B", "C", "D", "<eos>"};

/* Signed, asymmetric values around 2.4e-3 at most: the largest |value| is
 * negative (so a scale taken from the maximum alone would be wrong), one
 * row is all zero. */
static ExportPanel fixture_grads(float *g) {
    float w[S0 * T0];
    fixture_weights(w, S0, T0, 3);
    for (int i = 0; i < S0 * T0; i++) g[i] = (w[i] - 1.0f / S0) * 3e-3f;
    for (int s = 0; s < S0; s++) g[2 * S0 + s] = 0.0f;
    g[4 * S0 + 1] = -2.4e-3f;
    g[1 * S0 + 5] = 1.9e-3f;
    return (ExportPanel){NULL, S0, T0, g, SRC7, OUT5};
}

static void build_grad_theme(ExportFigure *fig, const ExportPanel *p, bool values, const char *note, ExportTheme theme) {
    ExportDesc d = {.title = "gradient", .panels = p, .n_panels = 1, .scale = 1, .values = values, .theme = theme,
                    .font_path = fixture_font(), .color = EXPORT_COLOR_GRADIENT, .legend = "dL/da", .note = note};
    char err[EXPORT_ERR_LEN];
    cr_assert_eq(export_figure_build(fig, &d, err), 0, "build failed: %s", err);
}

static void build_grad(ExportFigure *fig, const ExportPanel *p, bool values, const char *note) {
    build_grad_theme(fig, p, values, note, EXPORT_LIGHT);
}

static bool has_text(const ExportFigure *fig, const char *t) {
    for (int i = 0; i < fig->n_ops; i++)
        if (fig->ops[i].kind == EXPORT_OP_TEXT && strcmp(fig->ops[i].text, t) == 0) return true;
    return false;
}

/* Every cell of the figure's PNG read back through the theme's map: within
 * steps of the scale, and zero the map's middle (neutral; dark on dark). */
static void cells_read_back(const ExportFigure *fig, const Decoded *d, const float *g, bool dark) {
    const ExportPanelGeom *G = &fig->panels[0];
    int fill = G->cell - G->gap;
    /* dark: the two entries beside zero share one grey (test_colormap.c) */
    float steps = dark ? 3 : 1;
    for (int t = 0; t < T0; t++)
        for (int s = 0; s < S0; s++) {
            Rgb8 px = pixel(d, G->matrix.x + s * G->cell + fill / 2, G->matrix.y + t * G->cell + fill / 2);
            float back = dark ? colormap_gradient_dark_inverse(px) : colormap_gradient_inverse(px);
            float got = back * fig->color_max, want = g[t * S0 + s];
            cr_expect(fabsf(got - want) <= steps * fig->color_max / 127.0f + 1e-9f,
                      "cell (t=%d, s=%d): colour reads %.3g, value %.3g", t, s, got, want);
            if (want != 0.0f) continue;   /* zero is the middle, not a faint colour */
            if (dark) cr_expect(px.r < 60 && px.g < 60 && px.b < 60, "cell (t=%d, s=%d): zero is not dark", t, s);
            else cr_expect(px.r == px.g && px.g == px.b, "cell (t=%d, s=%d): zero is not neutral", t, s);
        }
}

Test(gradfig, cells_read_back_through_the_gradient_scale) {
    float g[S0 * T0];
    ExportPanel p = fixture_grads(g);
    ExportFigure fig;
    build_grad(&fig, &p, false, NULL);
    cr_expect(fig.diverging);
    cr_expect_eq(fig.color_max, 2.4e-3f, "full colour at the largest |value|, %g", fig.color_max);
    Decoded d = decode_png(&fig, NULL);
    cells_read_back(&fig, &d, g, false);
    decoded_free(&d);
    export_figure_free(&fig);
}

/* The dark theme's figure uses the dark theme's gradient map (the app's):
 * its cells read back through that map's inverse, zero is its dark middle. */
Test(gradfig, the_dark_theme_uses_the_dark_gradient_map) {
    float g[S0 * T0];
    ExportPanel p = fixture_grads(g);
    ExportFigure fig;
    build_grad_theme(&fig, &p, false, NULL, EXPORT_DARK);
    Decoded d = decode_png(&fig, NULL);
    cells_read_back(&fig, &d, g, true);
    ExportBox b = fig.colorbar;
    Rgb8 mid = pixel(&d, b.x + b.w / 2, b.y + (b.h - 1) / 2);
    cr_expect(mid.r < 60 && mid.g < 60 && mid.b < 60, "the colorbar's middle is not dark: %d %d %d", mid.r, mid.g, mid.b);
    decoded_free(&d);
    export_figure_free(&fig);
}

/* The colorbar runs from −max (purple, bottom) through neutral to +max
 * (orange, top), the view's gradient colours; it is not viridis nor the
 * values' red–blue, and the weights' figure still is viridis. */
Test(gradfig, colorbar_is_the_views_gradient_scale_and_not_the_weights) {
    float g[S0 * T0];
    ExportPanel p = fixture_grads(g);
    ExportFigure fig;
    build_grad(&fig, &p, false, NULL);
    Decoded d = decode_png(&fig, NULL);
    ExportBox b = fig.colorbar;
    int x = b.x + b.w / 2;
    Rgb8 top = pixel(&d, x, b.y), mid = pixel(&d, x, b.y + (b.h - 1) / 2), bot = pixel(&d, x, b.y + b.h - 1);
    Rgb8 orange = colormap_gradient(1), purple = colormap_gradient(-1);
    cr_expect(abs(top.r - orange.r) + abs(top.g - orange.g) + abs(top.b - orange.b) <= 6 && top.r > top.b + 60,
              "the top is the view's orange: %d %d %d", top.r, top.g, top.b);
    cr_expect(abs(bot.r - purple.r) + abs(bot.g - purple.g) + abs(bot.b - purple.b) <= 6 && bot.b > bot.g + 40,
              "the bottom is the view's purple: %d %d %d", bot.r, bot.g, bot.b);
    cr_expect(abs(mid.r - mid.b) < 12 && mid.g > 220, "the middle is neutral: %d %d %d", mid.r, mid.g, mid.b);
    /* PuOr's darkest purple is near viridis's first entry: only the bar's
     * last rows may come close, never the rest */
    int rows = 0, near = 0;
    for (int y = b.y; y < b.y + b.h; y += 7, rows++) {
        Rgb8 c = pixel(&d, x, y);
        float t = colormap_viridis_inverse(c);
        Rgb8 v = colormap_viridis(t);
        near += abs(v.r - c.r) + abs(v.g - c.g) + abs(v.b - c.b) <= 20;
    }
    cr_expect_leq(near, rows / 10, "%d of %d colorbar rows could pass for viridis", near, rows);
    decoded_free(&d);
    export_figure_free(&fig);
    /* the weights' figure keeps viridis on [0, 1] */
    float w[S0 * T0];
    fixture_weights(w, S0, T0, 1);
    ExportPanel pw = {NULL, S0, T0, w, SRC7, OUT5};
    build(&fig, &pw, 1, 1, false, EXPORT_LIGHT);
    cr_expect(!fig.diverging);
    cr_expect_eq(fig.color_max, 1.0f);
    cr_expect(has_text(&fig, "attention weight") && has_text(&fig, "0.2"));
    export_figure_free(&fig);
}

/* Ticks at round values in the unit written above the bar, the caption,
 * values in the cells in that unit, the note under everything. */
Test(gradfig, ticks_unit_values_and_note) {
    float g[S0 * T0];
    ExportPanel p = fixture_grads(g);
    ExportFigure fig;
    build_grad(&fig, &p, true, "orange: the loss grows");
    cr_expect(has_text(&fig, "\xC3\x97" "1e-3"), "the unit ×1e-3 is written");
    for (int i = -2; i <= 2; i++) {
        char lab[12];
        snprintf(lab, sizeof lab, "%d", i);
        cr_expect(has_text(&fig, lab), "tick %s is missing", lab);
    }
    cr_expect(!has_text(&fig, "3") && !has_text(&fig, "-3"), "a tick beyond ±max");
    cr_expect(has_text(&fig, "dL/da"), "the caption");
    cr_expect(has_text(&fig, "-2.4") && has_text(&fig, "1.9"), "cell values in units of 1e-3");
    cr_expect(fig.note.w > 0 && fig.note.y >= fig.panels[0].matrix.y + fig.panels[0].matrix.h,
              "the note sits under the matrix");
    cr_expect(fig.note.x + fig.note.w <= fig.width && fig.note.y + fig.note.h <= fig.height, "the note fits");
    /* the tick at 0 is in the middle of the bar */
    for (int i = 0; i < fig.n_ops; i++)
        if (fig.ops[i].kind == EXPORT_OP_TEXT && strcmp(fig.ops[i].text, "0") == 0 &&
            fig.ops[i].box.x > fig.colorbar.x) {
            int cy = fig.ops[i].box.y + fig.ops[i].box.h / 2, mid = fig.colorbar.y + fig.colorbar.h / 2;
            cr_expect(abs(cy - mid) <= 2, "tick 0 at %d, the bar's middle at %d", cy, mid);
        }
    export_figure_free(&fig);
    /* all zero: a neutral figure, no division by zero */
    float z[S0 * T0] = {0};
    ExportPanel pz = {NULL, S0, T0, z, SRC7, OUT5};
    build_grad(&fig, &pz, true, NULL);
    cr_expect_eq(fig.color_max, 0.0f);
    cr_expect(has_text(&fig, "0"));
    export_figure_free(&fig);
}

Test(gradfig, svg_and_files_say_what_they_hold) {
    float g[S0 * T0];
    ExportPanel p = fixture_grads(g);
    ExportFigure fig;
    build_grad(&fig, &p, false, NULL);
    char dir[64], svg[128], npy[128], json[160], err[EXPORT_ERR_LEN];
    tmp_dir(dir, sizeof dir);
    snprintf(svg, sizeof svg, "%s/g.svg", dir);
    snprintf(npy, sizeof npy, "%s/g.npy", dir);
    ExportMeta meta = {.model = "m.safetensors", .task = "t", .score = "general", .input = "in",
                       .quantity = "dL/da_t(s)"};
    cr_assert_eq(export_write_svg(&fig, &meta, svg, err), 0, "%s", err);
    char *s = slurp(svg, NULL);
    cr_expect(strstr(s, "url(#diverging)") && !strstr(s, "viridis"), "the SVG's colorbar is the diverging map");
    cr_expect(strstr(s, "quantity: dL/da_t(s)"), "the SVG says what it holds");
    free(s);
    cr_assert_eq(export_write_npy(&p, &meta, npy, err), 0, "%s", err);
    export_npy_json_path(npy, json, sizeof json);
    char *js = slurp(json, NULL);
    cr_expect(strstr(js, "\"quantity\"") && strstr(js, "dL/da_t(s)"), "%s", js);
    free(js);
    Decoded d = decode_png(&fig, &meta);
    bool chunk = false;
    for (size_t i = 0; i + 19 <= d.n && !chunk; i++) chunk = memcmp(d.png + i, "Quantity\0dL/da_t(s)", 19) == 0;
    cr_expect(chunk, "the PNG's tEXt chunk says what it holds");
    decoded_free(&d);
    export_figure_free(&fig);
    rm_dir(dir);
}

/* The panel of a real gradient trace: its d_weights or d_scores, rows the
 * reference tokens, columns the source; refused for score none. */
Test(gradfig, panel_from_a_gradient_trace) {
    const char *toks[] = {"<pad>", "<sos>", "<eos>", "<unk>", "a", "b", "c", "d"};
    Vocab v;
    char err[EXPORT_ERR_LEN];
    cr_assert_eq(vocab_init(&v, toks, 8, err), 0);
    for (int score = SCORE_NONE; score <= SCORE_GENERAL; score += SCORE_GENERAL - SCORE_NONE) {
        ModelConfig c = {.cell = CELL_GRU, .style = STYLE_LUONG, .score = (ScoreKind)score, .embed = 3,
                         .enc_hidden = 5, .hidden = 5, .tokenizer = TOK_CHAR};
        Model m;
        Rng r;
        rng_seed(&r, 4);
        cr_assert_eq(model_create(&m, &c, &v, &v, &r, err), 0, "%s", err);
        int src[] = {4, 6, 5}, ref[] = {7, 4};
        DecodeDesc dd = {.reference = ref, .ref_len = 2, .teacher_forcing = 1.0f};
        GradTrace g;
        Trace tr;
        cr_assert_eq(seq2seq_grad_trace(&m, src, 3, &dd, 0.1f, &g, &tr, err), 0, "%s", err);
        ExportPanelData pd;
        if (score == SCORE_NONE) {
            cr_expect_eq(export_panel_from_grad(&pd, &g, &tr, EXPORT_GRAD_WEIGHTS, NULL, err), -1);
            cr_expect(strstr(err, "score none"), "%s", err);
        } else {
            for (int k = 0; k < 2; k++) {
                cr_assert_eq(export_panel_from_grad(&pd, &g, &tr, (ExportGrad)k, "h", err), 0, "%s", err);
                cr_expect_eq(pd.panel.S, 3);
                cr_expect_eq(pd.panel.T, 3);
                cr_expect_str_eq(pd.panel.out_tokens[0], "d");
                cr_expect_str_eq(pd.panel.out_tokens[2], "<eos>");
                cr_expect_str_eq(pd.panel.src_tokens[1], "c");
                for (int t = 0; t < 3; t++)
                    for (int s = 0; s < 3; s++)
                        cr_expect_eq(pd.panel.weights[t * 3 + s],
                                     k == 0 ? g.steps[t].d_weights[s] : g.steps[t].d_scores[s]);
                export_panel_data_free(&pd);
            }
        }
        grad_trace_free(&g);
        trace_free(&tr);
        model_free(&m);
    }
    vocab_free(&v);
    ExportGrad k;
    cr_expect(export_grad_parse("d_scores", &k) == 0 && k == EXPORT_GRAD_SCORES);
    cr_expect_eq(export_grad_parse("d_query", &k), -1);
}
