/* export_data.c — the numbers behind the figure: CSV, NPY (+ JSON), and
 * the Trace → panel conversion.
 *
 * CSV (RFC 4180): a header row of source tokens after an empty corner
 * cell, then one row per output token; a field is quoted when it holds a
 * comma, a quote, a line break, or begins or ends with white space (a
 * space token must survive a round trip). Numbers use %.9g, enough digits
 * to give back the exact float32.
 *
 * NPY, format version 1.0: magic "\x93NUMPY", version 1 0, a little-endian
 * uint16 header length, a Python dict literal padded with spaces and a
 * newline so that the data starts at a multiple of 64 bytes, then the
 * float32 values row-major, little-endian. np.load gives shape (T, S):
 * row t is the attention of output step t over the source.
 */
#include "export_internal.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/outfile.h"

/* ---- CSV ----------------------------------------------------------------------------- */
static void csv_field(Buf *b, const char *s) {
    size_t n = strlen(s);
    bool q = n == 0 || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t' || strpbrk(s, ",\"\r\n");
    if (!q) { buf_put(b, s, n); return; }
    buf_put(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"') buf_put(b, "\"", 1);   /* a quote is doubled */
        buf_put(b, p, 1);
    }
    buf_put(b, "\"", 1);
}

int export_csv_bytes(const ExportPanel *p, Buf *out) {
    Buf b = {0};
    for (int s = 0; s < p->S; s++) {
        buf_put(&b, ",", 1);
        csv_field(&b, p->src_tokens[s] ? p->src_tokens[s] : "");
    }
    buf_puts(&b, "\r\n");
    for (int t = 0; t < p->T; t++) {
        csv_field(&b, p->out_tokens[t] ? p->out_tokens[t] : "");
        for (int s = 0; s < p->S; s++) buf_printf(&b, ",%.9g", (double)p->weights[(size_t)t * p->S + s]);
        buf_puts(&b, "\r\n");
    }
    *out = b;
    return b.oom ? -1 : 0;
}

int export_write_csv(const ExportPanel *p, const char *path, char *err) {
    Buf b;
    export_csv_bytes(p, &b);
    return buf_write_file(&b, path, err);   /* says "out of memory" when it ran out */
}

/* ---- NPY + JSON ------------------------------------------------------------------------ */
int export_npy_json_path(const char *npy, char *out, size_t cap) {
    size_t n = strlen(npy);
    if (n >= 4 && strcmp(npy + n - 4, ".npy") == 0) n -= 4;
    if (n + 6 > cap) return -1;
    memcpy(out, npy, n);
    memcpy(out + n, ".json", 6);
    return 0;
}

static cJSON *string_array(const char *const *v, int n) {
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++) {
        cJSON *s = cJSON_CreateString(v[i] ? v[i] : "");
        if (!s) { cJSON_Delete(a); return NULL; }
        cJSON_AddItemToArray(a, s);
    }
    return a;
}

static char *npy_json(const ExportPanel *p, const ExportMeta *meta) {
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON *shape = cJSON_CreateArray();
    if (shape) {
        cJSON_AddItemToArray(shape, cJSON_CreateNumber(p->T));
        cJSON_AddItemToArray(shape, cJSON_CreateNumber(p->S));
        cJSON_AddItemToObject(o, "shape", shape);
    }
    cJSON_AddStringToObject(o, "rows", "output_tokens");
    cJSON_AddStringToObject(o, "cols", "source_tokens");
    cJSON *src = string_array(p->src_tokens, p->S), *out = string_array(p->out_tokens, p->T);
    if (src) cJSON_AddItemToObject(o, "source_tokens", src);
    if (out) cJSON_AddItemToObject(o, "output_tokens", out);
    if (meta) {
        const char *k[5] = {"model", "task", "score", "input", "quantity"};
        const char *v[5] = {meta->model, meta->task, meta->score, meta->input, meta->quantity};
        for (int i = 0; i < 5; i++)
            if (v[i]) cJSON_AddStringToObject(o, k[i], v[i]);
    }
    char *s = (shape && src && out) ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    return s;
}

int export_npy_bytes(const ExportPanel *p, const ExportMeta *meta, Buf *npy, Buf *json) {
    Buf b = {0};
    char dict[128];
    int dn = snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }", p->T, p->S);
    size_t total = 10 + (size_t)dn + 1, padded = (total + 63) / 64 * 64;   /* magic+version+len = 10, '\n' = 1 */
    uint16_t hlen = (uint16_t)(padded - 10);
    buf_put(&b, "\x93NUMPY\x01\x00", 8);
    uint8_t le[2] = {(uint8_t)(hlen & 0xFF), (uint8_t)(hlen >> 8)};
    buf_put(&b, le, 2);
    buf_put(&b, dict, (size_t)dn);
    for (size_t i = total; i < padded; i++) buf_put(&b, " ", 1);
    buf_put(&b, "\n", 1);
    for (size_t i = 0; i < (size_t)p->T * p->S; i++) {
        uint32_t u;
        memcpy(&u, &p->weights[i], 4);
        uint8_t x[4] = {(uint8_t)u, (uint8_t)(u >> 8), (uint8_t)(u >> 16), (uint8_t)(u >> 24)};
        buf_put(&b, x, 4);
    }
    *npy = b;
    *json = (Buf){0};
    char *js = npy_json(p, meta);
    if (js) {
        buf_puts(json, js);
        buf_puts(json, "\n");   /* cJSON_Print ends without one */
    }
    free(js);
    return !js || npy->oom || json->oom ? -1 : 0;
}

/* The .npy and its sidecar JSON, both or neither (base/outfile.h); on
 * standard output there is no sidecar. */
int export_write_npy(const ExportPanel *p, const ExportMeta *meta, const char *path, char *err) {
    char dummy[EXPORT_ERR_LEN];
    if (!err) err = dummy;
    char json_path[4096];
    if (export_npy_json_path(path, json_path, sizeof json_path))
        return snprintf(err, EXPORT_ERR_LEN, "%s: path too long", path), -1;
    Buf npy, json;
    int rc = export_npy_bytes(p, meta, &npy, &json);
    if (rc) snprintf(err, EXPORT_ERR_LEN, "%s: out of memory", path);
    else rc = av_write_files((AvFile[]){{path, npy.p, npy.n}, {json_path, json.p, json.n}}, av_is_stdout(path) ? 1 : 2, err);
    buf_free(&npy);
    buf_free(&json);
    return rc;
}

/* ---- Trace → panel --------------------------------------------------------------------- */
float *export_panel_alloc(ExportPanelData *pd, const Trace *tr, const char *heading, char *err) {
    memset(pd, 0, sizeof *pd);
    if (tr->S < 1 || tr->T < 1) return snprintf(err, EXPORT_ERR_LEN, "empty trace (S=%d, T=%d)", tr->S, tr->T), NULL;
    size_t S = (size_t)tr->S, T = (size_t)tr->T;
    char *mem = malloc(T * sizeof(char *) + T * S * sizeof(float));   /* pointers first: aligned */
    if (!mem) return snprintf(err, EXPORT_ERR_LEN, "out of memory"), NULL;
    const char **out = (const char **)mem;
    float *v = (float *)(mem + T * sizeof(char *));
    for (size_t t = 0; t < T; t++) {
        const TraceStep *st = &tr->steps[t];
        int id = st->reference_id >= 0 ? st->reference_id : st->token_id;
        out[t] = (id >= 0 && id < tr->tgt.n) ? tr->tgt.tokens[id] : "?";
    }
    pd->mem = mem;
    pd->panel = (ExportPanel){heading, tr->S, tr->T, v, (const char *const *)tr->src_tokens, out};
    return v;
}

int export_panel_from_trace(ExportPanelData *pd, const Trace *tr, const char *heading, char *err) {
    memset(pd, 0, sizeof *pd);
    if (!cfg_attn(&tr->cfg))
        return snprintf(err, EXPORT_ERR_LEN, "score none: the model has no attention, so there is no alignment"), -1;
    float *w = export_panel_alloc(pd, tr, heading, err);
    if (!w) return -1;
    for (int t = 0; t < tr->T; t++) {
        if (!tr->steps[t].weights) {
            export_panel_data_free(pd);
            return snprintf(err, EXPORT_ERR_LEN, "trace step %d has no attention weights", t + 1), -1;
        }
        memcpy(w + (size_t)t * tr->S, tr->steps[t].weights, (size_t)tr->S * sizeof(float));
    }
    return 0;
}

void export_panel_data_free(ExportPanelData *pd) {
    free(pd->mem);
    memset(pd, 0, sizeof *pd);
}

/* ---- a default file name ---------------------------------------------------------------- */
/* ---- title, and the one-call export for the app -------------------------------------- */
void export_title(char *out, size_t cap, const char *task, const ModelConfig *c, bool all_scores) {
    char cell[8], style[16];
    snprintf(cell, sizeof cell, "%s", cell_name(c->cell));
    for (char *p = cell; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);   /* lstm → LSTM */
    snprintf(style, sizeof style, "%s", style_name(c->style));
    if (style[0] >= 'a' && style[0] <= 'z') style[0] = (char)(style[0] - 32);         /* luong → Luong */
    const char *t = task && task[0] ? task : "alignment";
    if (all_scores) snprintf(out, cap, "%s · %s · %s · every score", t, cell, style);
    else snprintf(out, cap, "%s · %s · %s · %s score", t, cell, style, score_name(c->score));
}

int export_traces_png(const Trace *const *trs, const char *const *headings, int n, const char *task,
                      const char *model_path, const char *input, const ExportDesc *look, const char *path, char *err) {
    enum { MAX_PANELS = 6 };
    char dummy[EXPORT_ERR_LEN], title[512], scores[128] = "";
    if (!err) err = dummy;
    if (n < 1 || n > MAX_PANELS) return snprintf(err, EXPORT_ERR_LEN, "%d decodings: give 1 to %d", n, MAX_PANELS), -1;
    ExportPanelData pd[MAX_PANELS];
    ExportPanel panels[MAX_PANELS];
    export_title(title, sizeof title, task, &trs[0]->cfg, false);
    for (int i = 0; i < n; i++) {
        size_t tl = strlen(title), sl = strlen(scores);
        if (n > 1) snprintf(title + tl, sizeof title - tl, "%s%s", i ? " vs " : " · ", headings[i] ? headings[i] : "?");
        snprintf(scores + sl, sizeof scores - sl, "%s%s", i ? ", " : "", score_name(trs[i]->cfg.score));
        if (export_panel_from_trace(&pd[i], trs[i], n > 1 ? headings[i] : NULL, err)) {
            while (i-- > 0) export_panel_data_free(&pd[i]);
            return -1;
        }
        panels[i] = pd[i].panel;
    }
    ExportDesc d = *look;
    d.title = title;
    d.panels = panels;
    d.n_panels = n;
    ExportMeta meta = {.model = model_path, .task = task, .score = scores, .input = input};
    ExportFigure fig;
    int rc = export_figure_build(&fig, &d, err);
    if (rc == 0) {
        rc = export_write_png(&fig, &meta, path, err);
        export_figure_free(&fig);
    }
    for (int i = 0; i < n; i++) export_panel_data_free(&pd[i]);
    return rc;
}

int export_trace_png(const Trace *tr, const char *task, const char *model_path, const char *input,
                     const ExportDesc *look, const char *path, char *err) {
    const Trace *one[1] = {tr};
    return export_traces_png(one, NULL, 1, task, model_path, input, look, path, err);
}
