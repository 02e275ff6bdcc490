/* export_figure.c — lay the alignment figure out as a list of drawing ops.
 *
 * Everything is placed in units of one pixel at scale 1, measured with the
 * fonts at their scale-1 sizes, and multiplied by the scale when an op is
 * emitted; text is then measured again at the real size and centred or
 * right-aligned on its unit position, so glyphs stay sharp and the image
 * size is exactly scale × the scale-1 size.
 *
 *   title
 *          heading (per panel, e.g. the score)
 *          "input"
 *       x labels (vertical when any is wider than a cell)
 *   "output"  y labels │ cells                │   colorbar ticks "attention weight"
 *   note (a line of explanation, when given)
 *
 * A gradient figure (ExportDesc.color) draws the same grid in the view's
 * purple–orange gradient map (colormap_grad), symmetric around 0 and full colour at the largest |value|; its
 * colorbar runs from −max to +max with ticks at round values, written in
 * units of a power of ten (×1e-3 above the bar, as matplotlib does).
 */
#include "export.h"
#include "export_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sizes in scale-1 pixels --------------------------------------------- */
static const int FONT_PX[EXPORT_FONT_COUNT] = {
    [EXPORT_FONT_TITLE] = 16, [EXPORT_FONT_HEADING] = 14, [EXPORT_FONT_LABEL] = 13,
    [EXPORT_FONT_VALUE] = 11, [EXPORT_FONT_TICK] = 11,
};
enum {
    MARGIN = 16,       /* around everything                                  */
    TITLE_GAP = 12,    /* below the title line                               */
    HEAD_GAP = 6,      /* below a panel heading                              */
    CAP_GAP = 4,       /* between the x caption and the source labels        */
    YCAP_GAP = 10,     /* between the y caption and the output labels        */
    PAD = 6,           /* between labels and cells                           */
    CELL_MIN = 24,     /* smallest cell side                                 */
    CELL_WIDE = 64,    /* cells may grow to this to keep source labels flat, */
    WIDE_TOTAL = 480,  /*   when the row stays this narrow                   */
    GAP = 1,           /* background line between cells                      */
    MAX_LABEL = 150,   /* longer labels are cut with "…"                      */
    PANEL_GAP = 32,    /* between panels of --all-scores                     */
    MAX_PIXELS = 64000000, /* refuse larger figures (192 MB of RGB)        */
    CB_GAP = 24, CB_W = 14, CB_MIN_H = 140, TICK_LEN = 4, TICK_PAD = 3,
    NOTE_GAP = 10,     /* above the note line                                */
};

int export_font_px(ExportFont f) { return FONT_PX[f]; }

/* ---- small growable arrays owned by the figure --------------------------- */
typedef struct {
    ExportOp *ops;
    int n_ops, cap_ops;
    char **strs;
    int n_strs, cap_strs;
    ExportPanelGeom *panels;
    ExportBox *boxes;
} FigMem;

static int grow(void **p, int *cap, int need, size_t elem) {
    if (need <= *cap) return 0;
    int c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = realloc(*p, (size_t)c * elem);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

static char *keep(FigMem *m, char *s) {   /* the figure now owns s */
    if (!s) return NULL;
    if (grow((void **)&m->strs, &m->cap_strs, m->n_strs + 1, sizeof *m->strs)) {
        free(s);
        return NULL;
    }
    return m->strs[m->n_strs++] = s;
}

static ExportOp *push(FigMem *m) {
    if (grow((void **)&m->ops, &m->cap_ops, m->n_ops + 1, sizeof *m->ops)) return NULL;
    ExportOp *op = &m->ops[m->n_ops++];
    memset(op, 0, sizeof *op);
    return op;
}

/* ---- themes ---------------------------------------------------------------- */
typedef struct { Rgb8 bg, fg, muted; } Theme;
static const Theme THEMES[2] = {
    [EXPORT_LIGHT] = {{255, 255, 255}, {30, 30, 30}, {90, 90, 90}},
    [EXPORT_DARK] = {{24, 24, 27}, {236, 236, 236}, {170, 170, 170}},
};

/* Black or white text on c, whichever contrasts more (WCAG relative luminance). */
static float lin(uint8_t v) {
    float c = v / 255.0f;
    return c <= 0.04045f ? c / 12.92f : powf((c + 0.055f) / 1.055f, 2.4f);
}
Rgb8 export_text_on(Rgb8 c) {
    float L = 0.2126f * lin(c.r) + 0.7152f * lin(c.g) + 0.0722f * lin(c.b);
    return (1.05f / (L + 0.05f) > (L + 0.05f) / 0.05f) ? (Rgb8){255, 255, 255} : (Rgb8){0, 0, 0};
}

/* ---- measuring --------------------------------------------------------------- */
static int text_w(TTF_Font *f, const char *s) {
    int w = 0, h = 0;
    if (!s || !*s || TTF_SizeUTF8(f, s, &w, &h)) return 0;
    return w;
}

/* A token as the figure shows it: white space and control characters made
 * visible, invalid UTF-8 replaced, cut with "…" to max_w (scale-1 pixels). */
static char *display_token(ExportFonts *F, const char *tok, int max_w) {
    size_t n = tok ? strlen(tok) : 0;
    char *out = malloc(4 * n + 8), *o = out;
    if (!out) return NULL;
    const unsigned char *p = (const unsigned char *)(tok ? tok : "");
    while (*p) {
        uint32_t cp;
        int len = utf8_decode((const char *)p, (size_t)-1, &cp);
        if (len <= 0) cp = 0xFFFD, len = 1;
        p += len;
        if (cp == ' ') cp = F->space_cp;
        else if (cp == '\t') cp = F->tab_cp;
        else if (cp == '\n' || cp == '\r') cp = F->newline_cp;
        else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) cp = F->bad_cp;
        o += utf8_encode(cp, o);
    }
    if (o == out) o += utf8_encode(F->bad_cp, o); /* an empty token still shows */
    *o = '\0';
    /* cut to max_w: drop code points from the end until "prefix…" fits */
    TTF_Font *f = F->m[EXPORT_FONT_LABEL];
    if (text_w(f, out) <= max_w) return out;
    size_t end = strlen(out);
    char *buf = malloc(end + 4);
    if (!buf) { free(out); return NULL; }
    while (end > 0) {
        end = utf8_prev(out, end);
        memcpy(buf, out, end);
        memcpy(buf + end, "\xE2\x80\xA6", 4);   /* U+2026 … */
        if (text_w(f, buf) <= max_w) break;
    }
    free(out);
    return buf;
}

/* A weight as printed in its cell: two decimals without the leading zero
 * (".42", as tables of proportions are written), and plain "0" and "1" at
 * the ends, so the many near-zero cells stay quiet and the cells stay
 * narrow enough for forty source tokens. */
static void format_value(char *out, size_t cap, float w) {
    long h = lroundf(w * 100.0f);
    if (h <= 0) snprintf(out, cap, "0");
    else if (h >= 100) snprintf(out, cap, "1");
    else snprintf(out, cap, ".%02ld", h);
}

/* ---- the gradient scale ------------------------------------------------------ */

/* Ticks for a bar from −max to +max at multiples of 1, 2 or 5 × 10^k, at
 * most three on each side, written in units of unit = 10^k. */
typedef struct {
    double max, unit, step;
    int exp10;
} GradScale;

static GradScale grad_scale(double max) {
    GradScale g = {max, 1.0, 0.5, 0};
    if (!(max > 0)) return g;
    g.exp10 = (int)floor(log10(max));
    g.unit = pow(10.0, g.exp10);
    double m = max / g.unit; /* [1, 10) */
    g.step = (m < 1.5 ? 0.5 : m < 3 ? 1 : m < 7 ? 2 : 5) * g.unit;
    return g;
}

/* A gradient in its cell: one decimal in the scale's unit, "0" when it
 * rounds to zero (the many near-zero cells stay quiet). */
static void format_grad(char *out, size_t cap, float v, const GradScale *g) {
    double x = v / g->unit;
    if (fabs(x) < 0.05) snprintf(out, cap, "0");
    else snprintf(out, cap, "%.1f", x);
}

/* ---- fonts ------------------------------------------------------------------ */
static void fonts_close(ExportFonts *F) {
    if (!F) return;
    export_text_cache_clear(F);
    for (int i = 0; i < EXPORT_FONT_COUNT; i++) {
        if (F->m[i] && F->m[i] != F->f[i]) TTF_CloseFont(F->m[i]);
        if (F->f[i]) TTF_CloseFont(F->f[i]);
    }
    if (F->ttf_inited) TTF_Quit();
    free(F);
}

static uint32_t pick_cp(TTF_Font *f, uint32_t want, uint32_t fallback) {
    return TTF_GlyphIsProvided32(f, want) ? want : fallback;
}

static ExportFonts *fonts_open(const char *path, int scale, char *err) {
    ExportFonts *F = calloc(1, sizeof *F);
    if (!F) { snprintf(err, EXPORT_ERR_LEN, "export: out of memory"); return NULL; }
    if (!path || !*path) {
        snprintf(err, EXPORT_ERR_LEN, "export: no font given");
        free(F);
        return NULL;
    }
    if (TTF_Init() != 0) {
        snprintf(err, EXPORT_ERR_LEN, "export: TTF_Init failed: %s", TTF_GetError());
        free(F);
        return NULL;
    }
    F->ttf_inited = true;
    for (int i = 0; i < EXPORT_FONT_COUNT; i++) {
        F->f[i] = TTF_OpenFont(path, FONT_PX[i] * scale);
        F->m[i] = scale == 1 ? F->f[i] : TTF_OpenFont(path, FONT_PX[i]);
        if (!F->f[i] || !F->m[i]) {
            snprintf(err, EXPORT_ERR_LEN, "font %s: cannot open: %s", path, TTF_GetError());
            fonts_close(F);
            return NULL;
        }
        TTF_SetFontHinting(F->f[i], TTF_HINTING_LIGHT);
        if (F->m[i] != F->f[i]) TTF_SetFontHinting(F->m[i], TTF_HINTING_LIGHT);
    }
    TTF_Font *lab = F->f[EXPORT_FONT_LABEL];
    /* visible stand-ins, best first; NanumGothic lacks ␣ and ↵, so a space
     * shows as a middle dot, as editors show it */
    F->bad_cp = pick_cp(lab, 0xFFFD, pick_cp(lab, 0x25A1, '?'));             /* � □ */
    F->space_cp = pick_cp(lab, 0x2423, pick_cp(lab, 0x00B7, '_'));           /* ␣ · */
    F->tab_cp = pick_cp(lab, 0x21E5, pick_cp(lab, 0x2192, F->bad_cp));       /* ⇥ → */
    F->newline_cp = pick_cp(lab, 0x21B5, pick_cp(lab, 0x00B6, F->bad_cp));   /* ↵ ¶ */
    return F;
}

/* ---- emitting ops (unit coordinates in, pixels out) ------------------------ */
typedef struct {
    FigMem *m;
    ExportFonts *F;
    int s;              /* scale */
    int fail;
} Emit;

static void emit_rect(Emit *e, int x, int y, int w, int h, Rgb8 c) {
    ExportOp *op = push(e->m);
    if (!op) { e->fail = 1; return; }
    op->kind = EXPORT_OP_RECT;
    op->box = (ExportBox){x * e->s, y * e->s, w * e->s, h * e->s};
    op->color = c;
}

/* Text anchored at unit point (ax, ay): horizontal text with align START,
 * MIDDLE or END along x, and ay its vertical centre; vertical text (reads
 * upward) with ax its horizontal centre and ay where it starts (bottom) for
 * START, its middle for MIDDLE. Returns the op's pixel box. */
static ExportBox emit_text(Emit *e, ExportFont font, const char *text, double ax, double ay,
                           ExportAlign align, bool vertical, Rgb8 c) {
    ExportBox none = {0, 0, 0, 0};
    if (!text || !*text) return none;
    char *copy = keep(e->m, strdup(text));
    ExportOp *op = copy ? push(e->m) : NULL;
    if (!op) { e->fail = 1; return none; }
    TTF_Font *f = e->F->f[font];
    int w = text_w(f, text), h = TTF_FontHeight(f);
    double px = ax * e->s, py = ay * e->s;
    double off = align == EXPORT_ALIGN_START ? 0 : align == EXPORT_ALIGN_MIDDLE ? w / 2.0 : w;
    ExportBox b;
    if (!vertical) b = (ExportBox){(int)lround(px - off), (int)lround(py - h / 2.0), w, h};
    else b = (ExportBox){(int)lround(px - h / 2.0), (int)lround(py - (w - off)), h, w};
    op->kind = EXPORT_OP_TEXT;
    op->box = b;
    op->color = c;
    op->font = font;
    op->vertical = vertical;
    op->align = align;
    op->text = copy;
    return b;
}

/* ---- the layout ------------------------------------------------------------- */
int export_figure_build(ExportFigure *fig, const ExportDesc *d, char *err) {
    char dummy[EXPORT_ERR_LEN];
    if (!err) err = dummy;
    memset(fig, 0, sizeof *fig);
    int s = d->scale ? d->scale : 1;
    if (s < 1 || s > 4) return snprintf(err, EXPORT_ERR_LEN, "export: scale %d out of range 1..4", s), -1;
    if (d->n_panels < 1 || !d->panels) return snprintf(err, EXPORT_ERR_LEN, "export: no alignment to draw"), -1;
    for (int p = 0; p < d->n_panels; p++) {
        const ExportPanel *P = &d->panels[p];
        if (P->S < 1 || P->T < 1 || !P->weights || !P->src_tokens || !P->out_tokens)
            return snprintf(err, EXPORT_ERR_LEN, "export: panel %d is empty (S=%d, T=%d)", p + 1, P->S, P->T), -1;
        if (P->S > 4096 || P->T > 4096)
            return snprintf(err, EXPORT_ERR_LEN, "export: panel %d too large (S=%d, T=%d; at most 4096)",
                            p + 1, P->S, P->T), -1;
        for (long i = 0; i < (long)P->S * P->T; i++)
            if (!isfinite(P->weights[i]))
                return snprintf(err, EXPORT_ERR_LEN, "export: panel %d: weight at row %ld, column %ld is not finite",
                                p + 1, i / P->S + 1, i % P->S + 1), -1;
    }
    /* the colour scale: weights on [0, 1], or gradients on ±(the largest |g|) */
    bool grad = d->color == EXPORT_COLOR_GRADIENT;
    float cmax = grad ? export_panels_absmax(d->panels, d->n_panels) : 1.0f;
    GradScale gsc = grad_scale(cmax);
    ExportFonts *F = fonts_open(d->font_path, s, err);
    if (!F) return -1;
    FigMem *m = calloc(1, sizeof *m);
    if (!m) { fonts_close(F); return snprintf(err, EXPORT_ERR_LEN, "export: out of memory"), -1; }
    fig->mem = m;
    fig->fonts = F;
    fig->scale = s;
    fig->diverging = grad;
    fig->dark = d->theme == EXPORT_DARK;
    fig->color_max = cmax;
    const Theme *th = &THEMES[d->theme == EXPORT_DARK];
    fig->background = th->bg;
    const char *fam = TTF_FontFaceFamilyName(F->f[EXPORT_FONT_LABEL]);
    snprintf(fig->font_family, sizeof fig->font_family, "%s", fam ? fam : "sans-serif");
    Emit e = {m, F, s, 0};

    /* Phase 1: display strings and the sizes that all panels share. */
    int NP = d->n_panels, nlab = 0;
    for (int p = 0; p < NP; p++) nlab += d->panels[p].S + d->panels[p].T;
    char **disp = calloc((size_t)nlab, sizeof(char *));
    m->panels = calloc((size_t)NP, sizeof *m->panels);
    m->boxes = calloc((size_t)nlab, sizeof *m->boxes);
    if (!disp || !m->panels || !m->boxes) { free(disp); goto oom; }
    TTF_Font *const *M = F->m;
    int lab_h = TTF_FontHeight(M[EXPORT_FONT_LABEL]), tick_h = TTF_FontHeight(M[EXPORT_FONT_TICK]);
    int max_src_w = 0, max_out_w = 0;
    {
        int k = 0;
        for (int p = 0; p < NP; p++) {
            const ExportPanel *P = &d->panels[p];
            for (int i = 0; i < P->S + P->T; i++, k++) {
                const char *tok = i < P->S ? P->src_tokens[i] : P->out_tokens[i - P->S];
                disp[k] = keep(m, display_token(F, tok, MAX_LABEL));
                if (!disp[k]) { free(disp); goto oom; }
                int w = text_w(M[EXPORT_FONT_LABEL], disp[k]);
                if (i < P->S) { if (w > max_src_w) max_src_w = w; }
                else if (w > max_out_w) max_out_w = w;
            }
        }
    }
    int cell = CELL_MIN;
    if (d->values) {
        int vw = text_w(M[EXPORT_FONT_VALUE], grad ? "-8.8" : ".88") + 6;
        if (vw > cell) cell = vw;
    }
    if (lab_h + 2 > cell) cell = lab_h + 2;
    /* Source labels that do not fit a cell: widen the cells when the figure
     * stays narrow (a few words), else turn the labels. */
    if (max_src_w > cell - 4) {
        int S_max = 0;
        for (int p = 0; p < d->n_panels; p++) S_max = d->panels[p].S > S_max ? d->panels[p].S : S_max;
        int wide = max_src_w + 8;
        if (wide <= CELL_WIDE && S_max * wide <= WIDE_TOTAL) cell = wide;
    }
    bool rotated = max_src_w > cell - 4;
    {   /* refuse early, before a million ops: the cells alone are a lower bound */
        long long cw = 0, ch = 0;
        for (int p = 0; p < d->n_panels; p++) {
            cw += (long long)d->panels[p].S * cell * s;
            if ((long long)d->panels[p].T * cell * s > ch) ch = (long long)d->panels[p].T * cell * s;
        }
        if (cw * ch > MAX_PIXELS) {
            free(disp);
            export_figure_free(fig);
            return snprintf(err, EXPORT_ERR_LEN, "export: the figure would be over %lld×%lld pixels, more than %d "
                            "million; use a smaller --scale or a shorter input", cw, ch, MAX_PIXELS / 1000000), -1;
        }
    }
    int xlab_h = rotated ? max_src_w : lab_h;
    bool any_heading = false;
    for (int p = 0; p < NP; p++) any_heading |= d->panels[p].heading && d->panels[p].heading[0];
    int head_h = any_heading ? TTF_FontHeight(M[EXPORT_FONT_HEADING]) + HEAD_GAP : 0;
    int title_h = d->title && d->title[0] ? TTF_FontHeight(M[EXPORT_FONT_TITLE]) + TITLE_GAP : 0;
    int ylab_w = max_out_w;
    /* matrix top (same for every panel) */
    int top = MARGIN + title_h + head_h + tick_h + CAP_GAP + xlab_h + PAD;

    /* Phase 2: panels, left to right. */
    if (title_h) emit_text(&e, EXPORT_FONT_TITLE, d->title, MARGIN, MARGIN + (title_h - TITLE_GAP) / 2.0,
                           EXPORT_ALIGN_START, false, th->fg);
    int x0 = MARGIN, right = 0, bottom = 0, max_mh = 0, k = 0;
    ExportBox *boxes = m->boxes;
    for (int p = 0; p < NP; p++) {
        const ExportPanel *P = &d->panels[p];
        ExportPanelGeom *G = &m->panels[p];
        int mx = x0 + tick_h + YCAP_GAP + ylab_w + PAD, my = top;
        int mw = P->S * cell, mh = P->T * cell;
        G->matrix = (ExportBox){mx * s, my * s, mw * s, mh * s};
        G->cell = cell * s;
        G->gap = GAP * s;
        G->S = P->S;
        G->T = P->T;
        G->rotated = rotated;
        G->src_label = boxes;
        G->out_label = boxes + P->S;
        boxes += P->S + P->T;
        if (P->heading && P->heading[0])
            emit_text(&e, EXPORT_FONT_HEADING, P->heading, mx + mw / 2.0, MARGIN + title_h + (head_h - HEAD_GAP) / 2.0,
                      EXPORT_ALIGN_MIDDLE, false, th->fg);
        /* axis captions */
        emit_text(&e, EXPORT_FONT_TICK, "input", mx + mw / 2.0, MARGIN + title_h + head_h + tick_h / 2.0,
                  EXPORT_ALIGN_MIDDLE, false, th->muted);
        emit_text(&e, EXPORT_FONT_TICK, "output", x0 + tick_h / 2.0, my + mh / 2.0, EXPORT_ALIGN_MIDDLE, true,
                  th->muted);
        /* cells, then values on top */
        for (int t = 0; t < P->T; t++)
            for (int c = 0; c < P->S; c++) {
                float w = P->weights[(size_t)t * P->S + c];
                Rgb8 col = !grad ? colormap_viridis(w) : colormap_grad(cmax > 0 ? w / cmax : 0.0f, fig->dark);
                emit_rect(&e, mx + c * cell, my + t * cell, cell - GAP, cell - GAP, col);
                if (d->values) {
                    char v[16];
                    if (grad) format_grad(v, sizeof v, w, &gsc);
                    else format_value(v, sizeof v, w);
                    emit_text(&e, EXPORT_FONT_VALUE, v, mx + c * cell + (cell - GAP) / 2.0,
                              my + t * cell + (cell - GAP) / 2.0, EXPORT_ALIGN_MIDDLE, false, export_text_on(col));
                }
            }
        /* labels */
        for (int c = 0; c < P->S; c++, k++) {
            double cx = mx + c * cell + (cell - GAP) / 2.0;
            if (rotated) G->src_label[c] = emit_text(&e, EXPORT_FONT_LABEL, disp[k], cx, my - PAD, EXPORT_ALIGN_START, true, th->fg);
            else G->src_label[c] = emit_text(&e, EXPORT_FONT_LABEL, disp[k], cx, my - PAD - lab_h / 2.0, EXPORT_ALIGN_MIDDLE, false, th->fg);
        }
        for (int t = 0; t < P->T; t++, k++)
            G->out_label[t] = emit_text(&e, EXPORT_FONT_LABEL, disp[k], mx - PAD, my + t * cell + (cell - GAP) / 2.0,
                                        EXPORT_ALIGN_END, false, th->fg);
        right = mx + mw;
        if (my + mh > bottom) bottom = my + mh;
        if (mh > max_mh) max_mh = mh;
        x0 = right + PANEL_GAP;
    }
    free(disp);

    /* Phase 3: the colorbar, 1 at the top, ticks every 0.2; or +max at the
     * top, 0 in the middle, ticks at round values and the unit above. */
    const char *legend = d->legend ? d->legend : grad ? "gradient" : "attention weight";
    int cbx = right + CB_GAP, cby = top, cbh = max_mh > CB_MIN_H ? max_mh : CB_MIN_H;
    int legend_w = text_w(M[EXPORT_FONT_TICK], legend);
    if (legend_w + 8 > cbh) cbh = legend_w + 8; /* the caption, turned, fits beside the bar */
    {
        ExportOp *op = push(m);
        if (!op) goto oom;
        op->kind = EXPORT_OP_COLORBAR;
        op->box = (ExportBox){cbx * s, cby * s, CB_W * s, cbh * s};
        fig->colorbar = op->box;
    }
    int tick_w = 0;
    int n_ticks = grad ? (int)floor(gsc.max / gsc.step + 1e-9) : 5, first = grad ? -n_ticks : 0;
    for (int i = first; i <= n_ticks; i++) {
        char lab[16];
        double frac = i / 5.0; /* weights: the height from the bottom, 0..1 */
        if (grad) {
            snprintf(lab, sizeof lab, "%g", i * gsc.step / gsc.unit);
            frac = gsc.max > 0 ? 0.5 + 0.5 * i * gsc.step / gsc.max : 0.5;
        } else {
            snprintf(lab, sizeof lab, "%.1f", frac);
        }
        double ty = cby + (1.0 - frac) * (cbh - 1);
        int iy = (int)lround(ty);
        emit_rect(&e, cbx + CB_W, iy, TICK_LEN, 1, th->fg);
        emit_text(&e, EXPORT_FONT_TICK, lab, cbx + CB_W + TICK_LEN + TICK_PAD, iy + 0.5, EXPORT_ALIGN_START, false, th->fg);
        int w = text_w(M[EXPORT_FONT_TICK], lab);
        if (w > tick_w) tick_w = w;
    }
    if (grad && gsc.exp10 != 0) { /* the unit of the tick labels, above the bar */
        char unit[24];
        snprintf(unit, sizeof unit, "\xC3\x97" "1e%d", gsc.exp10); /* ×1e-3 */
        emit_text(&e, EXPORT_FONT_TICK, unit, cbx, cby - 4 - tick_h / 2.0, EXPORT_ALIGN_START, false, th->fg);
    }
    int capx = cbx + CB_W + TICK_LEN + TICK_PAD + tick_w + 8;
    emit_text(&e, EXPORT_FONT_TICK, legend, capx + tick_h / 2.0, cby + cbh / 2.0, EXPORT_ALIGN_MIDDLE, true, th->muted);

    int width = capx + tick_h + MARGIN;
    if (title_h) {
        int tw = MARGIN + text_w(M[EXPORT_FONT_TITLE], d->title) + MARGIN;
        if (tw > width) width = tw;
    }
    if (cby + cbh > bottom) bottom = cby + cbh;
    if (d->note && d->note[0]) { /* one line under everything */
        int note_h = TTF_FontHeight(M[EXPORT_FONT_TICK]);
        fig->note = emit_text(&e, EXPORT_FONT_TICK, d->note, MARGIN, bottom + NOTE_GAP + note_h / 2.0, EXPORT_ALIGN_START,
                              false, th->muted);
        bottom += NOTE_GAP + note_h;
        int nw = MARGIN + text_w(M[EXPORT_FONT_TICK], d->note) + MARGIN;
        if (nw > width) width = nw;
    }
    fig->width = width * s;
    fig->height = (bottom + MARGIN) * s;
    if ((long long)fig->width * fig->height > MAX_PIXELS) {
        int w = fig->width, h = fig->height;
        export_figure_free(fig);
        return snprintf(err, EXPORT_ERR_LEN, "export: the figure would be %d×%d pixels, more than %d million; "
                        "use a smaller --scale or a shorter input", w, h, MAX_PIXELS / 1000000), -1;
    }
    fig->title = m->n_ops && title_h ? m->ops[0].box : (ExportBox){0, 0, 0, 0};
    if (e.fail) goto oom;
    fig->ops = m->ops;
    fig->n_ops = m->n_ops;
    fig->panels = m->panels;
    fig->n_panels = NP;
    return 0;
oom:
    export_figure_free(fig);
    return snprintf(err, EXPORT_ERR_LEN, "export: out of memory"), -1;
}

void export_figure_free(ExportFigure *fig) {
    FigMem *m = fig->mem;
    if (m) {
        for (int i = 0; i < m->n_strs; i++) free(m->strs[i]);
        free(m->strs);
        free(m->ops);
        free(m->panels);
        free(m->boxes);
        free(m);
    }
    fonts_close(fig->fonts);
    memset(fig, 0, sizeof *fig);
}
