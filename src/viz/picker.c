/* picker.c — the lesson picker (picker.h). Rows are two lines high: number
 * and title, then level · minutes · slides (or the error of a broken
 * lesson). When more lessons than that fit, rows are one line high, the
 * details at the right end; when even those do not fit, the window scrolls
 * so that the selected one is always shown. */
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

/* The geometry of the list. */
typedef struct {
    DrawList *dl;
    Theme th;
    const char *lang;
    float fp, lh, mx, cw;         /* font size, line height, margin, content width */
    float spx, sh;                /* the details' size and line height              */
    float rh, gap, tx, tw;        /* a row's height and gap; the title column       */
    bool compact;                 /* one line a row: the details beside the title   */
    char buf[AV_ERR_LEN + 64], fit[AV_ERR_LEN + 64];
} Pick;

/* What a row says under (or beside) its title: its details, or the error
 * of a broken lesson, into P->buf; the error's tag, or the details'. */
static int row_details(Pick *P, const LessonEntry *e, const PickerInfo *info) {
    P->buf[0] = 0;
    if (e->error[0]) {   /* the error names the file; drop its folders when that makes it fit */
        const char *msg = e->error;
        const char *colon = strchr(msg, ':');
        if (dl_text_width(P->dl, msg, P->spx, 0) > P->tw && colon) {
            const char *slash = NULL;
            for (const char *p = msg; p < colon; p++) if (*p == '/') slash = p;
            if (slash) msg = slash + 1;
        }
        snprintf(P->buf, sizeof P->buf, "%s %s", ui_str(P->lang, UI_BROKEN), msg);
        return LV_TAG_PICKER_ERROR;
    }
    if (info && info->level >= 0) {
        char mins[32], slides[48];
        snprintf(mins, sizeof mins, ui_str(P->lang, UI_MINUTES), info->minutes);
        snprintf(slides, sizeof slides, ui_str(P->lang, UI_SLIDES), info->n_slides);
        UiStr lv = info->level == LESSON_INTERMEDIATE ? UI_INTERMEDIATE
                   : info->level == LESSON_ADVANCED  ? UI_ADVANCED
                                                     : UI_BEGINNER;
        snprintf(P->buf, sizeof P->buf, "%s  ·  %s  ·  %s", ui_str(P->lang, lv), mins, slides);
    }
    return LV_TAG_PICKER_TEXT;
}

/* Row i at ry: number, title, then its details or its error: on a second
 * line, or (compact rows) at the right end of the title's line. */
static void picker_row(Pick *P, const LessonEntry *e, const PickerInfo *info, int i, bool sel, float ry) {
    DrawList *dl = P->dl;
    const Theme *th = &P->th;
    float fp = P->fp, mx = P->mx, spx = P->spx, tx = P->tx, tw = P->tw;
    bool broken = e->error[0] != '\0';
    dl_rect(dl, mx, ry, P->cw, P->rh, sel ? th->select : th->prose_panel);
    dl_tag(dl, LV_TAG_PICKER_ROW, i, sel);
    if (sel) dl_rect(dl, mx, ry, fmaxf(3, fp * 0.22f), P->rh, th->accent);
    float ty = ry + fp * 0.3f;

    snprintf(P->buf, sizeof P->buf, "%02d", e->number);
    dl_text(dl, mx + fp * 0.8f, ty, fp, TEXT_BOLD, sel ? th->accent : th->prose_dim, P->buf);
    dl_tag(dl, LV_TAG_PICKER_TEXT, i, 0);
    int tag = row_details(P, e, info);
    Color dc = broken ? th->prose_warn : th->prose_dim;
    float title_w = tw;
    if (P->buf[0]) {
        /* compact: the details take what they need (at most half the line, an error more), right aligned */
        float dw = lv_fit(dl, P->buf, spx, 0, P->compact ? tw * (broken ? 0.6f : 0.5f) : tw, P->fit, sizeof P->fit);
        float dx = P->compact ? tx + tw - dw : tx;
        float dy = P->compact ? ty + (P->lh - P->sh) * 0.75f : ty + P->lh;
        if (P->compact) title_w = tw - dw - fp;
        if (P->fit[0]) {
            dl_text(dl, dx, dy, spx, 0, dc, P->fit);
            dl_tag(dl, tag, i, tag == LV_TAG_PICKER_TEXT ? 2 : 0);
        }
    }
    lv_fit(dl, e->title[0] ? e->title : base_name(e->path), fp, TEXT_BOLD, title_w, P->fit, sizeof P->fit);
    if (P->fit[0]) {
        dl_text(dl, tx, ty, fp, TEXT_BOLD, broken ? th->prose_dim : th->text, P->fit);
        dl_tag(dl, LV_TAG_PICKER_TEXT, i, 1);
    }
}

/* How many rows of height rh, gap apart, fit in h (at least one). */
static int picker_fit_rows(float h, float rh, float gap) {
    int n = (int)floorf((h + gap) / (rh + gap));
    return n < 1 ? 1 : n;
}

/* The rows between top and bottom, scrolled so that the selected one shows,
 * with small triangles at the right end for rows out of view. */
static void picker_rows(Pick *P, const LessonEntry *e, const PickerInfo *info, int n, int selected, float top, float bottom) {
    DrawList *dl = P->dl;
    float fp = P->fp, rh = P->rh, gap = P->gap;
    int fit_rows = picker_fit_rows(bottom - top, rh, gap);
    int first = 0;
    if (n > fit_rows) {
        first = selected - fit_rows / 2;
        if (first > n - fit_rows) first = n - fit_rows;
        if (first < 0) first = 0;
    }
    int last = first + fit_rows < n ? first + fit_rows : n;
    for (int i = first; i < last; i++)
        picker_row(P, &e[i], info ? &info[i] : NULL, i, i == selected, top + (float)(i - first) * (rh + gap));

    float t = fp * 0.4f, ax = P->mx + P->cw - t;
    if (first > 0) {
        dl_tri(dl, ax - t, top - gap, ax + t, top - gap, ax, top - gap - t, P->th.accent);
        dl_tag(dl, LV_TAG_PICKER_MORE, -1, 0);
    }
    if (last < n) {
        float by = top + (float)(last - first) * (rh + gap);
        dl_tri(dl, ax - t, by, ax + t, by, ax, by + t, P->th.accent);
        dl_tag(dl, LV_TAG_PICKER_MORE, 1, 0);
    }
}

void picker_build(DrawList *dl, const LessonEntry *e, const PickerInfo *info, int n, int selected, float W, float H,
                  bool dark, const char *lang) {
    Pick pick = {.dl = dl, .th = viz_theme(dark), .lang = lang}, *P = &pick;
    const Theme *th = &P->th;
    dl_rect(dl, 0, 0, W, H, th->bg);
    float fp = H / 34;
    fp = fp < 13 ? 13 : fp > 24 ? 24 : fp;
    float mx = fmaxf(fp, W * 0.06f), cw = W - 2 * mx;
    P->fp = fp; P->mx = mx; P->cw = cw;
    P->lh = dl_text_height(dl, fp);
    if (cw < fp * 6) return;

    /* title */
    float tpx = fp * 1.6f, y = fmaxf(fp, H * 0.05f);
    snprintf(P->buf, sizeof P->buf, "attnviz — %s", ui_str(lang, UI_LESSONS));
    lv_fit(dl, P->buf, tpx, TEXT_BOLD, cw, P->fit, sizeof P->fit);
    dl_text(dl, mx, y, tpx, TEXT_BOLD, th->text, P->fit);
    dl_tag(dl, LV_TAG_PICKER_TITLE, 0, 0);
    y += dl_text_height(dl, tpx) * 1.1f;
    dl_rect(dl, mx, y, fminf(cw, tpx * 3), fmaxf(2, fp * 0.15f), th->accent);
    y += fp * 1.2f;

    /* the key hint at the bottom */
    float hpx = fp * 0.85f, hh = dl_text_height(dl, hpx);
    float hy = H - fmaxf(fp, H * 0.04f) - hh;
    lv_fit(dl, ui_str(lang, UI_PICKER_KEYS), hpx, 0, cw, P->fit, sizeof P->fit);
    dl_text(dl, mx, hy, hpx, 0, th->prose_dim, P->fit);
    dl_tag(dl, LV_TAG_PICKER_HINT, 0, 0);

    if (n <= 0) {
        const char *l0 = lang && lang[0] ? lang : "en";
        char where[64];
        snprintf(where, sizeof where, "lessons/%s", l0);
        snprintf(P->buf, sizeof P->buf, ui_str(lang, UI_NO_LESSONS), where);
        lv_fit(dl, P->buf, fp, 0, cw, P->fit, sizeof P->fit);
        dl_text(dl, mx, y, fp, 0, th->text, P->fit);
        return;
    }
    if (selected < 0) selected = 0;
    if (selected >= n) selected = n - 1;

    /* rows: as many as fit between the title and the hint */
    P->spx = fp * 0.8f;
    P->sh = dl_text_height(dl, P->spx);
    P->rh = P->lh + P->sh + fp * 0.6f;
    P->gap = fp * 0.2f;
    /* more lessons than two-line rows hold: one line a row, if then they all fit */
    float top = y, bottom = hy - fp * 0.5f, rh1 = P->lh + fp * 0.6f;
    if (picker_fit_rows(bottom - top, P->rh, P->gap) < n && picker_fit_rows(bottom - top, rh1, P->gap) >= n) {
        P->compact = true;
        P->rh = rh1;
    }
    float numw = dl_text_width(dl, "00", fp, TEXT_BOLD) + fp;
    P->tx = mx + fp * 0.8f + numw;
    P->tw = cw - (P->tx - mx) - fp * 0.8f;
    picker_rows(P, e, info, n, selected, top, bottom);
}
