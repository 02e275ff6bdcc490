/* lesson_note.c — the note over the narration (lesson_note.h): a box in the warning colour, wrapped to the panel's width. */
#include "lesson_note.h"

#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"
#include "theme.h"
#include "ui_strings.h"

/* The longest start of s[0..] (whole words where it can) that fits w. */
static size_t fit_line(const DrawList *dl, const char *s, float w, float px, int flags) {
    char b[600];
    size_t n = strlen(s), best = 0, last_space = 0;
    for (size_t i = 0; i < n && i < sizeof b - 1;) {
        const char *p = s + i;
        utf8_next(&p);
        size_t j = (size_t)(p - s);
        memcpy(b, s, j);
        b[j] = 0;
        if (dl_text_width(dl, b, px, flags) > w) break;
        best = j;
        if (s[i] == ' ') last_space = i;
        i = j;
    }
    if (best < n && last_space > 0) return last_space;
    if (best == 0 && n > 0) {   /* not even one character fits: take one anyway */
        const char *p = s;
        utf8_next(&p);
        best = (size_t)(p - s);
    }
    return best;
}

void lesson_note_build(DrawList *dl, float x, float y, float w, float font_px, bool dark, const char *lang,
                       const char *slide_input) {
    Theme th = viz_theme(dark);
    char text[700], line[700];
    snprintf(text, sizeof text, ui_str(lang, UI_OFF_SLIDE), slide_input ? slide_input : "");
    float px = font_px, pad = px * 0.6f, lh = dl_text_height(dl, px) * 1.15f;
    /* the lines first, to size the box */
    const char *lines[8];
    size_t lens[8];
    int n = 0;
    for (const char *s = text; *s && n < 8;) {
        size_t k = fit_line(dl, s, w - 2 * pad, px, TEXT_BOLD);
        if (k == 0) break;
        lines[n] = s;
        lens[n++] = k;
        s += k;
        while (*s == ' ') s++;
    }
    float h = (float)n * lh + 2 * pad;
    dl_begin_overlay(dl);
    dl_rect(dl, x, y, w, h, th.warn);
    dl_tag(dl, LV_TAG_OFF_SLIDE, 0, 0);
    for (int i = 0; i < n; i++) {
        snprintf(line, sizeof line, "%.*s", (int)lens[i], lines[i]);
        dl_text(dl, x + pad, y + pad + (float)i * lh, px, TEXT_BOLD, th.bg, line);
        dl_tag(dl, LV_TAG_OFF_SLIDE, 1, i);
    }
}
