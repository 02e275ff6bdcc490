/* panel.c — the layout of a frame and the text and strip helpers every panel
 * uses (panel.h). */
#include "panel.h"

#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"

Layout viz_layout(float W, float H, int S, int T, float design_w) {
    Layout L;
    memset(&L, 0, sizeof L);
    L.W = W; L.H = H; L.S = S > 0 ? S : 1; L.T = T > 0 ? T : 1;
    float u = fminf(W / (design_w > 0 ? design_w : 1280.0f), H / 720.0f);
    if (u < 0.5f) u = 0.5f;
    L.u = u;
    L.pad = 16 * u;
    L.f_cap = 28 * u; L.f_form = 23 * u; L.f_label = 19 * u; L.f_small = 15 * u;
    L.cap_y = 10 * u;
    L.form_y = 50 * u;
    L.num_y = 84 * u;
    L.body_y = 118 * u;
    L.tl_h = 26 * u;
    L.tl_y = H - L.tl_h - 30 * u;
    L.body_y1 = L.tl_y - 12 * u;
    float rw = fminf(fmaxf(W * 0.30f, 330 * u), 460 * u);
    L.rx1 = W - L.pad;
    L.rx0 = L.rx1 - rw;
    L.lx0 = L.pad;
    L.cx0 = L.lx0 + 112 * u;
    float area = L.rx0 - 24 * u - L.cx0;
    L.cw = fminf(area / (float)L.S, 84 * u);
    L.colw_strip = fminf(L.cw * 0.62f, 26 * u);
    L.tok_y = L.body_y;
    L.tok_h = 30 * u;
    L.strip_y = L.tok_y + L.tok_h + 6 * u;
    float bh = L.body_y1 - L.body_y;
    L.strip_h = 0.22f * bh;
    L.bar_y = L.strip_y + L.strip_h + 14 * u;
    L.bar_h = 0.19f * bh;
    L.barnum_y = L.bar_y + L.bar_h + 3 * u;
    L.mat_y = L.barnum_y + 24 * u;
    L.row_h = fminf((L.body_y1 - L.mat_y) / (float)L.T, 28 * u);
    L.tl_x = L.pad + 150 * u;
    L.tl_w = W - L.pad - L.tl_x;
    return L;
}

const char *viz_tok_show(const char *s) {
    if (strcmp(s, " ") == 0) return "·";
    if (strcmp(s, "\t") == 0) return "\\t";
    if (strcmp(s, "\n") == 0) return "\\n";
    return s;
}

void viz_fmt_vec(char *buf, size_t cap, const float *v, int n, int k) {
    size_t o = 0;
    o += (size_t)snprintf(buf + o, cap - o, "[");
    for (int i = 0; i < n && i < k && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%.2f", i ? ", " : "", (double)v[i]);
    if (o < cap) snprintf(buf + o, cap - o, n > k ? ", …]" : "]");
}

float viz_fit(const DrawList *dl, const char *s, float w, float px, float min_px, int flags) {
    float tw = dl_text_width(dl, s, px, flags);
    if (tw <= w) return px;
    /* whole sizes only, so a shrinking label does not open a font per
     * fraction; widths are not exactly linear in size (hinting): step down */
    float p = floorf(px * w / tw);
    if (p < min_px) return 0;
    while (p >= min_px && dl_text_width(dl, s, p, flags) > w) p -= 1;
    return p >= min_px ? p : 0;
}

DlCmd *viz_text_center(DrawList *dl, float cx, float y, float w, float px, float min_px, int flags, Color c,
                       const char *s) {
    float p = viz_fit(dl, s, w, px, min_px, flags);
    char buf[256];
    const char *str = s;
    if (p == 0) {   /* truncate, whole code points, then add "…" */
        p = min_px;
        size_t n = strlen(s);
        if (n > sizeof buf - 4) n = sizeof buf - 4;
        for (n = utf8_floor(s, n);; n = utf8_prev(s, n)) {
            if (n == 0) return NULL;
            memcpy(buf, s, n);
            memcpy(buf + n, "…", 4);
            if (dl_text_width(dl, buf, p, flags) <= w) break;
        }
        str = buf;
    }
    float tw = dl_text_width(dl, str, p, flags);
    return dl_text(dl, cx - tw / 2, y, p, flags, c, str);
}

void viz_text_right(DrawList *dl, float rx, float y, float px, int flags, Color c, const char *s) {
    dl_text(dl, rx - dl_text_width(dl, s, px, flags), y, px, flags, c, s);
}

void viz_hstrip(DrawList *dl, float x, float y, float w, float h, const float *v, int n, float a, int vec, bool dark) {
    if (!v || n <= 0) return;
    float cw = w / (float)n;
    for (int i = 0; i < n; i++) {
        dl_rect(dl, x + (float)i * cw, y, cw + 0.01f, h, alpha(val_col(v[i], dark), a));
        dl_tag(dl, VIZ_TAG_VEC_CELL, vec, i);
        dl_value(dl, v[i]);
    }
}
