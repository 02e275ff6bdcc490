/* drawlist.c — a growable array of draw commands and a string pool. */
#include "drawlist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dl_init(DrawList *dl, const TextMeasure *m) {
    memset(dl, 0, sizeof *dl);
    dl->measure = m;
    dl->last = -1;
    dl->overlay_from = -1;
}

void dl_clear(DrawList *dl) {
    dl->n = 0;
    dl->nchars = 0;
    dl->oom = false;
    dl->last = -1;
    dl->overlay_from = -1;
}

void dl_free(DrawList *dl) {
    free(dl->cmds);
    free(dl->chars);
    const TextMeasure *m = dl->measure;
    dl_init(dl, m);
}

static DlCmd *push(DrawList *dl) {
    if (dl->n == dl->cap) {
        int cap = dl->cap ? dl->cap * 2 : 1024;
        DlCmd *p = realloc(dl->cmds, (size_t)cap * sizeof *p);
        if (!p) { dl->oom = true; return NULL; }
        dl->cmds = p;
        dl->cap = cap;
    }
    DlCmd *c = &dl->cmds[dl->n++];
    memset(c, 0, sizeof *c);
    dl->last = dl->n - 1;
    return c;
}

void dl_rect(DrawList *dl, float x, float y, float w, float h, Color c) {
    dl->last = -1;
    if (w <= 0 || h <= 0 || c.a == 0) return;
    DlCmd *d = push(dl);
    if (!d) return;
    d->kind = DL_RECT;
    d->x = x; d->y = y; d->w = w; d->h = h;
    d->color = c;
}

void dl_frame(DrawList *dl, float x, float y, float w, float h, float t, Color c) {
    dl_rect(dl, x, y, w, t, c);
    dl_rect(dl, x, y + h - t, w, t, c);
    dl_rect(dl, x, y + t, t, h - 2 * t, c);
    dl_rect(dl, x + w - t, y + t, t, h - 2 * t, c);
}

void dl_tri(DrawList *dl, float x0, float y0, float x1, float y1, float x2, float y2, Color c) {
    dl->last = -1;
    if (c.a == 0) return;
    DlCmd *d = push(dl);
    if (!d) return;
    d->kind = DL_TRI;
    d->x = x0; d->y = y0; d->x1 = x1; d->y1 = y1; d->x2 = x2; d->y2 = y2;
    d->color = c;
}

void dl_line(DrawList *dl, float x0, float y0, float x1, float y1, float width, Color c) {
    if (x0 == x1 || y0 == y1) {   /* axis-aligned: one rectangle */
        float h = width / 2;
        if (y0 == y1) dl_rect(dl, fminf(x0, x1), y0 - h, fabsf(x1 - x0), width, c);
        else dl_rect(dl, x0 - h, fminf(y0, y1), width, fabsf(y1 - y0), c);
        return;
    }
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    float nx = -dy / len * width / 2, ny = dx / len * width / 2;
    dl_tri(dl, x0 + nx, y0 + ny, x1 + nx, y1 + ny, x1 - nx, y1 - ny, c);
    dl_tri(dl, x0 + nx, y0 + ny, x1 - nx, y1 - ny, x0 - nx, y0 - ny, c);
}

void dl_arrow(DrawList *dl, float x0, float y0, float x1, float y1, float width, float head, Color c) {
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 1e-3f) return;
    float ux = dx / len, uy = dy / len;
    float bx = x1 - ux * head, by = y1 - uy * head;   /* base of the head */
    dl_line(dl, x0, y0, bx, by, width, c);
    dl_tri(dl, x1, y1, bx - uy * head * 0.55f, by + ux * head * 0.55f,
           bx + uy * head * 0.55f, by - ux * head * 0.55f, c);
}

float dl_text_width(const DrawList *dl, const char *s, float px, int flags) {
    if (!dl->measure) return 0.6f * px * (float)strlen(s);
    return dl->measure->width(dl->measure->ud, s, px, flags);
}

float dl_text_height(const DrawList *dl, float px) {
    if (!dl->measure) return 1.2f * px;
    return dl->measure->height(dl->measure->ud, px);
}

DlCmd *dl_text(DrawList *dl, float x, float y, float px, int flags, Color c, const char *s) {
    size_t n = strlen(s) + 1;
    dl->last = -1;
    if (dl->nchars + n > dl->capchars) {
        size_t cap = dl->capchars ? dl->capchars : 8192;
        while (cap < dl->nchars + n) cap *= 2;
        char *p = realloc(dl->chars, cap);
        if (!p) { dl->oom = true; return NULL; }
        dl->chars = p;
        dl->capchars = cap;
    }
    DlCmd *d = push(dl);
    if (!d) return NULL;
    memcpy(dl->chars + dl->nchars, s, n);
    d->kind = DL_TEXT;
    d->text = dl->nchars;
    dl->nchars += n;
    d->x = x; d->y = y;
    d->size = px;
    d->flags = flags;
    d->color = c;
    d->w = dl_text_width(dl, s, px, flags);
    d->h = dl_text_height(dl, px);
    return d;
}

const char *dl_str(const DrawList *dl, const DlCmd *c) { return dl->chars + c->text; }

void dl_tag(DrawList *dl, int tag, int a, int b) {
    if (dl->last < 0 || dl->last >= dl->n) return;
    DlCmd *c = &dl->cmds[dl->last];
    c->tag = tag; c->a = a; c->b = b;
}

void dl_begin_overlay(DrawList *dl) {
    if (dl->overlay_from < 0) dl->overlay_from = dl->n;
}

void dl_value(DrawList *dl, float v) {
    if (dl->last >= 0 && dl->last < dl->n) dl->cmds[dl->last].value = v;
}
