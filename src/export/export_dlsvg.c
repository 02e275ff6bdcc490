/* export_dlsvg.c — any draw list as an SVG file: the training curves and the film strip (and whatever else the app draws) as vector figures.
 *
 * A draw list holds rectangles, triangles and text runs in painter's order,
 * in window units with y down, exactly SVG's coordinate system. Text keeps
 * its string (selectable, editable); its box's top becomes a baseline at
 * 0.8 of the line height, about where the fonts attnviz uses put it. A
 * colour's alpha becomes fill-opacity; fully transparent commands (the
 * views' click targets) are left out.
 */
#include "export_internal.h"

#include <stdio.h>

static void fill(Buf *b, Color c) {
    buf_printf(b, " fill=\"#%02x%02x%02x\"", c.r, c.g, c.b);
    if (c.a < 255) buf_printf(b, " fill-opacity=\"%.3f\"", c.a / 255.0);
}

int export_drawlist_svg(const DrawList *dl, float W, float H, Color bg, const char *font_family, const char *path,
                        char *err) {
    Buf b = {0};
    buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.2f %.2f\">\n",
               (double)W, (double)H, (double)W, (double)H);
    buf_printf(&b, "<rect width=\"%.2f\" height=\"%.2f\"", (double)W, (double)H);
    fill(&b, bg);
    buf_puts(&b, "/>\n<g font-family=\"'");
    export_svg_escape(&b, font_family ? font_family : "DejaVu Sans");
    buf_puts(&b, "', 'Nanum Gothic', 'Noto Sans CJK KR', sans-serif\">\n");
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        if (c->color.a < 2) continue;
        switch (c->kind) {
        case DL_RECT:
            buf_printf(&b, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", (double)c->x, (double)c->y,
                       (double)c->w, (double)c->h);
            break;
        case DL_TRI:
            buf_printf(&b, "<polygon points=\"%.2f,%.2f %.2f,%.2f %.2f,%.2f\"", (double)c->x, (double)c->y,
                       (double)c->x1, (double)c->y1, (double)c->x2, (double)c->y2);
            break;
        case DL_TEXT:
            buf_printf(&b, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"%s", (double)c->x,
                       (double)(c->y + 0.8f * dl_text_height(dl, c->size)), (double)c->size,
                       c->flags & TEXT_BOLD ? " font-weight=\"bold\"" : "");
            fill(&b, c->color);
            buf_puts(&b, ">");
            export_svg_escape(&b, dl_str(dl, c));
            buf_puts(&b, "</text>\n");
            continue;
        }
        fill(&b, c->color);
        buf_puts(&b, "/>\n");
    }
    buf_puts(&b, "</g>\n</svg>\n");
    return buf_write_file(&b, path, err);
}
