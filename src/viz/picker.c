/* picker.c — the lesson picker (picker.h). Rows are two lines high: number
 * and title, then level · minutes · slides (or the error of a broken
 * lesson). When the rows do not fit, the window scrolls so that the selected
 * one is always shown. */
#include "picker.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "narration.h"   /* lv_fit */
#include "theme.h"
#include "ui_strings.h"

void picker_info(LessonEntry *e, int n, PickerInfo *info) {
    for (int i = 0; i < n; i++) {
        info[i] = (PickerInfo){-1, 0, 0};
        if (e[i].error[0]) continue;
        Lesson l;
        char err[AV_ERR_LEN];
        if (lesson_load(e[i].path, &l, err) != 0) {
            snprintf(e[i].error, sizeof e[i].error, "%s", err);
            continue;
        }
        info[i] = (PickerInfo){(int)l.level, l.minutes, l.n_slides};
        lesson_free(&l);
    }
}

int picker_hit(const DrawList *dl, float x, float y) {
    for (int i = dl->n - 1; i >= 0; i--) {
        const DlCmd *c = &dl->cmds[i];
        if (c->kind == DL_RECT && c->tag == LV_TAG_PICKER_ROW && x >= c->x && x < c->x + c->w && y >= c->y &&
            y < c->y + c->h)
            return c->a;
    }
    return -1;
}

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

void picker_build(DrawList *dl, const LessonEntry *e, const PickerInfo *info, int n, int selected, float W, float H,
                  bool dark, const char *lang) {
    Theme th = viz_theme(dark);
    dl_rect(dl, 0, 0, W, H, th.bg);
    float fp = H / 34;
    fp = fp < 13 ? 13 : fp > 24 ? 24 : fp;
    float mx = fmaxf(fp, W * 0.06f), cw = W - 2 * mx;
    float lh = dl_text_height(dl, fp);
    if (cw < fp * 6) return;
    char buf[AV_ERR_LEN + 64], fit[AV_ERR_LEN + 64];

    /* title */
    float tpx = fp * 1.6f, y = fmaxf(fp, H * 0.05f);
    snprintf(buf, sizeof buf, "attnviz — %s", ui_str(lang, UI_LESSONS));
    lv_fit(dl, buf, tpx, TEXT_BOLD, cw, fit, sizeof fit);
    dl_text(dl, mx, y, tpx, TEXT_BOLD, th.text, fit);
    dl_tag(dl, LV_TAG_PICKER_TITLE, 0, 0);
    y += dl_text_height(dl, tpx) * 1.1f;
    dl_rect(dl, mx, y, fminf(cw, tpx * 3), fmaxf(2, fp * 0.15f), th.accent);
    y += fp * 1.2f;

    /* the key hint at the bottom */
    float hpx = fp * 0.85f, hh = dl_text_height(dl, hpx);
    float hy = H - fmaxf(fp, H * 0.04f) - hh;
    lv_fit(dl, ui_str(lang, UI_PICKER_KEYS), hpx, 0, cw, fit, sizeof fit);
    dl_text(dl, mx, hy, hpx, 0, th.prose_dim, fit);
    dl_tag(dl, LV_TAG_PICKER_HINT, 0, 0);

    if (n <= 0) {
        const char *l0 = lang && lang[0] ? lang : "en";
        char where[64];
        snprintf(where, sizeof where, "lessons/%s", l0);
        snprintf(buf, sizeof buf, ui_str(lang, UI_NO_LESSONS), where);
        lv_fit(dl, buf, fp, 0, cw, fit, sizeof fit);
        dl_text(dl, mx, y, fp, 0, th.text, fit);
        return;
    }
    if (selected < 0) selected = 0;
    if (selected >= n) selected = n - 1;

    /* rows: as many as fit between the title and the hint */
    float spx = fp * 0.8f, sh = dl_text_height(dl, spx);
    float rh = lh + sh + fp * 0.6f, gap = fp * 0.2f;
    float top = y, bottom = hy - fp * 0.5f;
    int fit_rows = (int)floorf((bottom - top + gap) / (rh + gap));
    if (fit_rows < 1) fit_rows = 1;
    int first = 0;
    if (n > fit_rows) {
        first = selected - fit_rows / 2;
        if (first > n - fit_rows) first = n - fit_rows;
        if (first < 0) first = 0;
    }
    int last = first + fit_rows < n ? first + fit_rows : n;
    float numw = dl_text_width(dl, "00", fp, TEXT_BOLD) + fp;
    float tx = mx + fp * 0.8f + numw, tw = cw - (tx - mx) - fp * 0.8f;

    for (int i = first; i < last; i++) {
        bool sel = i == selected;
        bool broken = e[i].error[0] != '\0';
        float ry = top + (float)(i - first) * (rh + gap);
        Color bgc = sel ? th.select : th.prose_panel;
        dl_rect(dl, mx, ry, cw, rh, bgc);
        dl_tag(dl, LV_TAG_PICKER_ROW, i, sel);
        if (sel) dl_rect(dl, mx, ry, fmaxf(3, fp * 0.22f), rh, th.accent);
        float ty = ry + fp * 0.3f;

        snprintf(buf, sizeof buf, "%02d", e[i].number);
        dl_text(dl, mx + fp * 0.8f, ty, fp, TEXT_BOLD, sel ? th.accent : th.prose_dim, buf);
        dl_tag(dl, LV_TAG_PICKER_TEXT, i, 0);
        lv_fit(dl, e[i].title[0] ? e[i].title : base_name(e[i].path), fp, TEXT_BOLD, tw, fit, sizeof fit);
        if (fit[0]) {
            dl_text(dl, tx, ty, fp, TEXT_BOLD, broken ? th.prose_dim : th.text, fit);
            dl_tag(dl, LV_TAG_PICKER_TEXT, i, 1);
        }
        float dy = ty + lh;
        if (broken) {
            /* the error names the file; drop its folders when that makes it fit */
            const char *msg = e[i].error;
            const char *colon = strchr(msg, ':');
            if (dl_text_width(dl, msg, spx, 0) > tw && colon) {
                const char *slash = NULL;
                for (const char *p = msg; p < colon; p++) if (*p == '/') slash = p;
                if (slash) msg = slash + 1;
            }
            snprintf(buf, sizeof buf, "%s %s", ui_str(lang, UI_BROKEN), msg);
            lv_fit(dl, buf, spx, 0, tw, fit, sizeof fit);
            if (fit[0]) {
                dl_text(dl, tx, dy, spx, 0, th.prose_warn, fit);
                dl_tag(dl, LV_TAG_PICKER_ERROR, i, 0);
            }
        } else if (info && info[i].level >= 0) {
            char mins[32], slides[48];
            snprintf(mins, sizeof mins, ui_str(lang, UI_MINUTES), info[i].minutes);
            snprintf(slides, sizeof slides, ui_str(lang, UI_SLIDES), info[i].n_slides);
            UiStr lv = info[i].level == LESSON_INTERMEDIATE ? UI_INTERMEDIATE
                       : info[i].level == LESSON_ADVANCED  ? UI_ADVANCED
                                                           : UI_BEGINNER;
            snprintf(buf, sizeof buf, "%s  ·  %s  ·  %s", ui_str(lang, lv), mins, slides);
            lv_fit(dl, buf, spx, 0, tw, fit, sizeof fit);
            if (fit[0]) {
                dl_text(dl, tx, dy, spx, 0, th.prose_dim, fit);
                dl_tag(dl, LV_TAG_PICKER_TEXT, i, 2);
            }
        }
    }

    /* rows out of view: small triangles at the right end of the list */
    float t = fp * 0.4f, ax = mx + cw - t;
    if (first > 0) {
        dl_tri(dl, ax - t, top - gap, ax + t, top - gap, ax, top - gap - t, th.accent);
        dl_tag(dl, LV_TAG_PICKER_MORE, -1, 0);
    }
    if (last < n) {
        float by = top + (float)(last - first) * (rh + gap);
        dl_tri(dl, ax - t, by, ax + t, by, ax, by + t, th.accent);
        dl_tag(dl, LV_TAG_PICKER_MORE, 1, 0);
    }
}
