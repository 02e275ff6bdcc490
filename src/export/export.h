/* export.h — the alignment figure as PNG and SVG, the numbers as CSV and NPY.
 *
 * Three stages, so each can be tested on its own and nothing needs a GPU:
 *   1. export_figure_build: panels (weights + token lists) → an ExportFigure,
 *      a list of plain drawing operations (rects, text runs, a colorbar) in
 *      pixels, plus the geometry of every cell and label. Text is measured
 *      with SDL2_ttf; no window, no SDL_Init.
 *   2. export_render_rgb (CPU rasteriser) or the SVG writer walk that list,
 *      so the PNG and the SVG show the same figure.
 *   3. Every file is built in memory, written to a temporary name next to
 *      the target and renamed: a full disk leaves no half-written file.
 *
 * The layout is computed in units of one pixel at scale 1 and multiplied by
 * the scale, so a scale-2 image is exactly twice as wide and high; text is
 * rendered natively at the larger size, never upsampled.
 *
 * Axes follow Bahdanau et al. (2014) and Luong et al. (2015): source tokens
 * along x (one column per source position), output tokens along y (one row
 * per decoder step, top to bottom). Weights map to viridis on the absolute
 * scale [0, 1], so two figures can be compared by colour.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../engine/gradtrace.h"
#include "../engine/trace.h"
#include "../base/buf.h"
#include "../base/colormap.h"
#include "../base/drawlist.h"


enum { EXPORT_ERR_LEN = 512 };   /* err buffers: at least this many bytes */

/* ---- input: one or more alignment matrices ---- */
typedef struct {
    const char *heading;            /* above this panel (e.g. the score), or NULL */
    int S, T;                       /* columns (source), rows (output)            */
    const float *weights;           /* [T × S] row t is a_t over the source        */
    const char *const *src_tokens;  /* [S] as text                                */
    const char *const *out_tokens;  /* [T] as text                                */
} ExportPanel;

typedef enum { EXPORT_LIGHT, EXPORT_DARK } ExportTheme;

/* What the cells hold, and so which colour scale: attention weights in
 * viridis on [0, 1] (the zero value), or gradients in the view's
 * purple–neutral–orange map (colormap_grad), symmetric around 0 and full colour at the largest
 * |value| of the panels — a scale that cannot be mistaken for the weights'. */
typedef enum { EXPORT_COLOR_WEIGHTS, EXPORT_COLOR_GRADIENT } ExportColor;

typedef struct {
    const char *title;              /* the line above the figure, or NULL         */
    const ExportPanel *panels;      /* side by side, sharing one colorbar          */
    int n_panels;
    int scale;                      /* 0 → 1; at most 4                            */
    ExportTheme theme;
    bool values;                    /* print the weights in the cells              */
    const char *font_path;          /* a TTF file (see text/font_find.h)           */
    ExportColor color;              /* the cells' scale (zero: weights)            */
    const char *legend;             /* the colorbar's caption; NULL: "attention
                                       weight", or "gradient"                      */
    const char *note;               /* a line under the figure, or NULL            */
} ExportDesc;

/* Provenance stored in the PNG (tEXt, or iTXt when not ASCII) and the SVG. */
typedef struct {
    const char *model, *task, *score, *input;   /* any may be NULL */
    const char *quantity;   /* what the numbers are when not attention weights
                               (e.g. "dL/d(attention weight)"), or NULL */
} ExportMeta;

/* ---- the figure: a drawing list plus the geometry tests need ---- */
typedef struct { int x, y, w, h; } ExportBox;

typedef enum { EXPORT_FONT_TITLE, EXPORT_FONT_HEADING, EXPORT_FONT_LABEL, EXPORT_FONT_VALUE,
               EXPORT_FONT_TICK, EXPORT_FONT_COUNT } ExportFont;
typedef enum { EXPORT_OP_RECT, EXPORT_OP_TEXT, EXPORT_OP_COLORBAR } ExportOpKind;
typedef enum { EXPORT_ALIGN_START, EXPORT_ALIGN_MIDDLE, EXPORT_ALIGN_END } ExportAlign;

typedef struct {
    ExportOpKind kind;
    ExportBox box;        /* rect: the area; text: the rendered text's bounds;
                             colorbar: the bar (viridis, 1 at the top; or the
                             gradient map, +color_max at the top)               */
    Rgb8 color;
    ExportFont font;      /* text only */
    bool vertical;        /* text turned 90° counter-clockwise (reads upward)   */
    ExportAlign align;    /* text only: how the SVG anchors it within box      */
    const char *text;     /* text only, UTF-8, owned by the figure              */
} ExportOp;

typedef struct {
    ExportBox matrix;     /* the S × T grid, cell (t, s) at matrix.x + s·cell,  */
    int cell;             /*   matrix.y + t·cell, filled (cell - gap) square   */
    int gap;
    int S, T;
    ExportBox *src_label; /* [S] bounds of each source label's pixels          */
    ExportBox *out_label; /* [T]                                               */
    bool rotated;         /* the source labels are vertical                    */
} ExportPanelGeom;

typedef struct ExportFonts ExportFonts;

typedef struct {
    int width, height, scale;
    Rgb8 background;
    int n_ops;
    ExportOp *ops;
    int n_panels;
    ExportPanelGeom *panels;
    ExportBox title, colorbar;
    bool diverging;       /* the colorbar and cells use the gradient map (signed) */
    bool dark;            /* the dark theme: its gradient map (colormap_grad)    */
    float color_max;      /* the |value| drawn in full colour (1 for weights)    */
    ExportBox note;
    char font_family[64]; /* for the SVG */
    ExportFonts *fonts;   /* open fonts at this scale (for the rasteriser)     */
    void *mem;            /* owns everything above */
} ExportFigure;

/* Lay the figure out. Refuses empty panels, non-finite weights and a missing
 * font with one line in err. */
int export_figure_build(ExportFigure *fig, const ExportDesc *d, char *err);
void export_figure_free(ExportFigure *fig);

/* Rasterise: *rgb receives width·height·3 bytes (malloc'd, row-major, no padding). */
int export_render_rgb(const ExportFigure *fig, uint8_t **rgb, char *err);

/* Encode as PNG in memory, provenance chunks inserted after IHDR. */
int export_png_encode(const ExportFigure *fig, const ExportMeta *meta, uint8_t **png,
                      size_t *n, char *err);

/* ---- files, written as base/outfile.h says: whole or not at all, "-" is stdout ---- */
int export_write_png(const ExportFigure *fig, const ExportMeta *meta, const char *path, char *err);
int export_write_svg(const ExportFigure *fig, const ExportMeta *meta, const char *path, char *err);
/* One panel's numbers: CSV with a header row of source tokens and one row
 * per output token; NPY float32 shape (T, S) plus PATH-without-.npy.json
 * holding the token lists and the provenance. */
int export_write_csv(const ExportPanel *p, const char *path, char *err);
int export_write_npy(const ExportPanel *p, const ExportMeta *meta, const char *path, char *err);
/* The .json path that goes with an .npy path (cap bytes). */
int export_npy_json_path(const char *npy_path, char *out, size_t cap);
/* The same files' bytes, for a caller that writes several files at once
 * (base/outfile.h's av_write_files: all or nothing). Each fills a Buf the
 * caller frees with buf_free, and returns -1 when memory ran out; PNG's
 * are export_png_encode's. */
int export_svg_bytes(const ExportFigure *fig, const ExportMeta *meta, Buf *out);
int export_csv_bytes(const ExportPanel *p, Buf *out);
int export_npy_bytes(const ExportPanel *p, const ExportMeta *meta, Buf *npy, Buf *json);

/* Trace → panel: the attention weights of every decoder step (T × S), the
 * source tokens, and per row the reference token when the trace has one,
 * else the prediction. Fails for a model without attention (score none).
 * Free with export_panel_data_free. */
typedef struct {
    ExportPanel panel;
    void *mem;
} ExportPanelData;
int export_panel_from_trace(ExportPanelData *out, const Trace *tr, const char *heading, char *err);
void export_panel_data_free(ExportPanelData *pd);

/* The gradient figure (export_grad.c): ∂L/∂a_t(s) or ∂L/∂score_t(s) of a
 * gradient trace, one row per reference token (T × S). tr is the Trace of
 * the same decoding (its tokens label the axes). Fails for score none. */
typedef enum { EXPORT_GRAD_WEIGHTS, EXPORT_GRAD_SCORES } ExportGrad;
int export_grad_parse(const char *s, ExportGrad *out);       /* "d_weights", "d_scores" */
const char *export_grad_name(ExportGrad g);
const char *export_grad_legend(ExportGrad g);                /* "∂L/∂a_t(s)", the colorbar's */
const char *export_grad_quantity(ExportGrad g);              /* in words, for the files      */
int export_panel_from_grad(ExportPanelData *out, const GradTrace *g, const Trace *tr, ExportGrad which,
                           const char *heading, char *err);
/* The largest |value| of the panels: what a gradient figure draws in full colour. */
float export_panels_absmax(const ExportPanel *panels, int n);
/* The line under a gradient figure: how to read the colours, and the scale. */
void export_grad_note(char *out, size_t cap, ExportGrad which, const ExportPanel *panels, int n);

/* The title line the CLI uses: "task · LSTM · Luong · general score", or
 * "... · every score" for a comparison. */
void export_title(char *out, size_t cap, const char *task, const ModelConfig *c, bool all_scores);

/* The app's E key in one call: tr's alignment → a PNG at path, titled and
 * tagged (tEXt) like `attnviz export`. look gives scale, theme, values and
 * font_path (its title and panels are ignored). task, model_path and input
 * may be NULL. */
int export_trace_png(const Trace *tr, const char *task, const char *model_path, const char *input,
                     const ExportDesc *look, const char *path, char *err);
/* The same for n decodings of the same input side by side (the app's
 * compare mode), each panel under its heading; titled "task · cell · style ·
 * score score · heading 1 vs heading 2". */
int export_traces_png(const Trace *const *trs, const char *const *headings, int n, const char *task,
                      const char *model_path, const char *input, const ExportDesc *look, const char *path, char *err);

/* A draw list (base/drawlist.h) as SVG: rectangles, triangles as polygons
 * and text runs as text (selectable), in the list's order, on a W × H page
 * of colour bg. font_family names the font the list was measured with.
 * Written as base/outfile.h says ("-" is stdout). */
int export_drawlist_svg(const DrawList *dl, float W, float H, Color bg, const char *font_family, const char *path,
                        char *err);

/* PNG's CRC-32 (ISO 3309, as in zlib), over chunk type and data. */
uint32_t export_crc32(const uint8_t *p, size_t n);

#endif
