/* export_svg.c — the same drawing list as the PNG, as SVG.
 *
 * Text stays text (selectable, searchable, editable in Inkscape), anchored
 * the way the layout aligned it (start, middle, end), so a viewer that
 * substitutes another font still centres labels on their cells. The
 * colorbar is a linear gradient through 33 stops of its map (viridis, or
 * the diverging map of a gradient figure).
 */
#include "export_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* XML text or attribute: escape the five specials, drop what XML 1.0 cannot
 * hold (control characters, invalid UTF-8 → U+FFFD). */
void export_svg_escape(Buf *b, const char *s) {
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        uint32_t cp;
        int n = utf8_decode((const char *)p, (size_t)-1, &cp);
        if (n <= 0) { buf_puts(b, "\xEF\xBF\xBD"); p++; continue; }
        switch (cp) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&apos;"); break;
        default:
            if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xFFFE || cp == 0xFFFF) buf_puts(b, "\xEF\xBF\xBD");
            else buf_put(b, p, (size_t)n);
        }
        p += n;
    }
}

static void hex(char out[8], Rgb8 c) { snprintf(out, 8, "#%02x%02x%02x", c.r, c.g, c.b); }

int export_svg_bytes(const ExportFigure *fig, const ExportMeta *meta, Buf *out) {
    Buf b = {0};
    char bg[8], col[8];
    hex(bg, fig->background);
    buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
               fig->width, fig->height, fig->width, fig->height);
    if (meta) {
        buf_puts(&b, "<desc>attnviz alignment");
        const char *k[5] = {"model", "task", "score", "input", "quantity"};
        const char *v[5] = {meta->model, meta->task, meta->score, meta->input, meta->quantity};
        for (int i = 0; i < 5; i++)
            if (v[i]) { buf_printf(&b, "; %s: ", k[i]); export_svg_escape(&b, v[i]); }
        buf_puts(&b, "</desc>\n");
    }
    const char *map = fig->diverging ? "diverging" : "viridis";
    buf_printf(&b, "<defs><linearGradient id=\"%s\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">", map);
    for (int i = 0; i <= 32; i++) {
        hex(col, fig->diverging ? colormap_grad(i / 16.0f - 1.0f, fig->dark) : colormap_viridis(i / 32.0f));
        buf_printf(&b, "<stop offset=\"%g\" stop-color=\"%s\"/>", i / 32.0, col);
    }
    buf_puts(&b, "</linearGradient></defs>\n");
    buf_printf(&b, "<rect width=\"%d\" height=\"%d\" fill=\"%s\"/>\n<g font-family=\"'", fig->width, fig->height, bg);
    export_svg_escape(&b, fig->font_family);
    buf_puts(&b, "', 'Nanum Gothic', 'Noto Sans CJK KR', sans-serif\">\n");
    static const char *ANCHOR[] = {"start", "middle", "end"};
    for (int i = 0; i < fig->n_ops; i++) {
        const ExportOp *op = &fig->ops[i];
        ExportBox r = op->box;
        hex(col, op->color);
        switch (op->kind) {
        case EXPORT_OP_RECT:
            buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", r.x, r.y, r.w, r.h, col);
            break;
        case EXPORT_OP_COLORBAR:
            buf_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"url(#%s)\"/>\n", r.x, r.y,
                       r.w, r.h, map);
            break;
        case EXPORT_OP_TEXT: {
            int asc = TTF_FontAscent(fig->fonts->f[op->font]);
            int size = export_font_px(op->font) * fig->scale;
            if (!op->vertical) {
                int ax = op->align == EXPORT_ALIGN_START ? r.x : op->align == EXPORT_ALIGN_MIDDLE ? r.x + r.w / 2 : r.x + r.w;
                buf_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" fill=\"%s\" text-anchor=\"%s\">", ax, r.y + asc,
                           size, col, ANCHOR[op->align]);
            } else {
                int ay = op->align == EXPORT_ALIGN_START ? r.y + r.h : op->align == EXPORT_ALIGN_MIDDLE ? r.y + r.h / 2 : r.y;
                buf_printf(&b, "<text transform=\"translate(%d %d) rotate(-90)\" font-size=\"%d\" fill=\"%s\" "
                               "text-anchor=\"%s\">", r.x + asc, ay, size, col, ANCHOR[op->align]);
            }
            export_svg_escape(&b, op->text);
            buf_puts(&b, "</text>\n");
            break;
        }
        }
    }
    buf_puts(&b, "</g>\n</svg>\n");
    *out = b;
    return b.oom ? -1 : 0;
}

int export_write_svg(const ExportFigure *fig, const ExportMeta *meta, const char *path, char *err) {
    Buf b;
    export_svg_bytes(fig, meta, &b);
    return buf_write_file(&b, path, err);   /* says "out of memory" when it ran out */
}
