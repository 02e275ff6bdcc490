/* chart.h — a lesson's `chart: copy-by-length` slide: exact match by input
 * length for several models, drawn from measured data into a DrawList.
 *
 * The data is a TSV file (assets/models/copy-by-length.tsv, written from
 * `attnviz eval --by-length`):
 *
 *     length  copy-none  copy-none-reversed  copy-dot  ...
 *     1-4     1          1                   1
 *     5-9     0.82       0.9                 1
 *
 * a header row (`length`, then one column per model), then one row per
 * length bucket: its label and each model's exact match as a fraction in
 * [0, 1]; an empty cell is "no data". Lines starting with '#' and blank
 * lines are skipped. The chart is a line chart: one line per model, the
 * value printed at each point, models without attention dashed with hollow
 * square markers, models with attention solid with round markers, in the
 * Okabe–Ito colours (distinguishable with colour-blindness).
 */
#ifndef CHART_H
#define CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/drawlist.h"

enum {
    CHART_MAX_MODELS = 12,
    CHART_MAX_BUCKETS = 40,
    CHART_MAX_BYTES = 1 << 20,
};

/* Tags (DlCmd.tag), after narration.h's. */
enum {
    LV_TAG_CHART_POINT = 1100,  /* a = model, b = bucket: a 2×2 rect centred on the point */
    LV_TAG_CHART_VALUE,         /* a = model, b = bucket: the printed value "87%"          */
    LV_TAG_CHART_TICK,          /* a = percent (0, 20, ..., 100): the gridline, y = its level */
    LV_TAG_CHART_TICK_LABEL,    /* a = percent                                             */
    LV_TAG_CHART_BUCKET,        /* a = bucket: its label under the x axis                  */
    LV_TAG_CHART_LEGEND,        /* a = model: its name in the legend                       */
    LV_TAG_CHART_TITLE,
    LV_TAG_CHART_PLOT,          /* the plot area (x, y, w, h)                              */
};

typedef struct {
    int n_models, n_buckets;
    char *models[CHART_MAX_MODELS];     /* column names, "copy-none", ...     */
    char *buckets[CHART_MAX_BUCKETS];   /* row labels, "5-9", ...             */
    float v[CHART_MAX_BUCKETS][CHART_MAX_MODELS];  /* fraction, NAN = no data */
    char lang[8];                       /* UI strings: "ko", else English     */
} Chart;

/* 0, or -1 with one line "FILE:LINE: what" in err (AV_ERR_LEN bytes); on
 * failure *c is left empty. */
int chart_load_tsv(const char *path, Chart *c, char *err);
/* The same from memory; name is used in messages. */
int chart_parse_tsv(const char *name, const char *text, size_t len, Chart *c, char *err);
void chart_free(Chart *c);

/* Whether a column is a model without attention ("copy-none",
 * "copy-none-reversed"): its score part is "none". */
bool chart_model_is_none(const char *name);

/* The chart in the rectangle (x, y, w, h), no text under min_px (0: no
 * floor; the lesson passes viz_text_min). c may be NULL or empty: then
 * only the frame and the title. */
void chart_build(DrawList *dl, const Chart *c, float x, float y, float w, float h, bool dark, float min_px);

#endif
