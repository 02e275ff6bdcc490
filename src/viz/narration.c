/* narration.c — a slide's narration panel (narration.h).
 *
 * Wrapping is greedy, one line at a time, over "runs" (a string with its
 * flags and colour: one per span). Break opportunities are the spaces; a
 * group of non-space bytes may cross runs ("**bold**," is one group of two
 * runs) and then stays on one line. A group wider than a whole line is cut
 * between characters — a character is a code point with its combining marks,
 * and in math a `_x` / `^{..}` stays with what it is attached to. Widths are
 * measured on exactly the strings that will be drawn (one text command per
 * run piece on a line), so the test "no line is wider than the panel" checks
 * what the screen shows, not an estimate.
 */
#include "narration_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/utf8.h"
#include "theme.h"
#include "ui_strings.h"

/* ---- characters ------------------------------------------------------------------ */

static bool combining(uint32_t cp) {
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F);
}

/* Bytes of the character starting at s: one code point and the combining
 * marks after it; in math, `_` / `^` with what follows them. */
static size_t cluster(const char *s, bool math) {
    const char *q = s;
    uint32_t cp = utf8_next(&q);              /* an invalid byte counts as one */
    size_t len = (size_t)(q - s);
    if (math && (cp == '_' || cp == '^') && s[len]) {
        if (s[len] == '{') {
            const char *e = strchr(s + len, '}');
            len = e ? (size_t)(e - s) + 1 : len + 1;
        } else {
            len += cluster(s + len, false);
        }
    }
    while (s[len]) {
        q = s + len;
        cp = utf8_next(&q);
        if (!combining(cp)) break;
        len = (size_t)(q - s);
    }
    return len;
}

bool narr_is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

float lv_fit(const DrawList *dl, const char *s, float px, int flags, float max_w, char *out, size_t cap) {
    if (cap == 0) return 0;
    size_t n = strlen(s);
    float w = dl_text_width(dl, s, px, flags);
    if (w <= max_w && n < cap) { memcpy(out, s, n + 1); return w; }
    static const char ELL[] = "…";
    size_t keep = 0;
    out[0] = '\0';
    float best = 0;
    for (size_t i = 0; i < n;) {
        size_t k = cluster(s + i, (flags & TEXT_MATH) != 0);
        if (i + k + sizeof ELL > cap) break;
        memcpy(out, s, i + k);
        memcpy(out + i + k, ELL, sizeof ELL);
        float wi = dl_text_width(dl, out, px, flags);
        if (wi > max_w) break;
        keep = i + k; best = wi;
        i += k;
    }
    if (keep == 0) { out[0] = '\0'; return 0; }
    memcpy(out, s, keep);
    memcpy(out + keep, ELL, sizeof ELL);
    return best;
}

/* ---- lines ---------------------------------------------------------------------- */

typedef struct { int nseg; size_t len; Seg last; } Mark;

static Mark line_mark(const Line *l) {
    Mark m = {l->nseg, l->text.n, {0, 0, 0, 0}};
    if (l->nseg) m.last = l->seg[l->nseg - 1];
    return m;
}
static void line_undo(Line *l, Mark m) {
    l->nseg = m.nseg;
    l->text.n = m.len;
    if (m.nseg) l->seg[m.nseg - 1] = m.last;
    if (l->text.p) l->text.p[l->text.n] = '\0';
}
static float line_width(const Line *l) {
    float w = 0;
    for (int i = 0; i < l->nseg; i++) w += l->seg[i].w;
    return w;
}

/* Append n bytes of run r; false when out of segments or memory (the line
 * counts as full). Only the last segment is re-measured: the others did not
 * change. */
static bool line_append(Line *l, const Pen *pen, int r, const char *p, size_t n) {
    if (buf_reserve(&l->text, n)) return false;
    if (!(l->nseg && l->seg[l->nseg - 1].run == r)) {
        if (l->nseg == MAX_SEG) return false;
        l->seg[l->nseg++] = (Seg){r, l->text.n, 0, 0};
    }
    buf_put(&l->text, p, n);                  /* cannot fail: the room is there */
    Seg *s = &l->seg[l->nseg - 1];
    s->len += n;
    s->w = dl_text_width(pen->dl, l->text.p + s->off, pen->px, l->runs[r].flags);
    return true;
}

/* Draw the line (when it fits between the clip edges) and start the next. */
static void line_emit(Line *l, Pen *pen) {
    bool visible = pen->y >= pen->clip_top - 0.01f && pen->y + pen->text_h <= pen->clip_bot + 0.01f;
    if (l->nseg && !visible) { pen->hidden++; if (pen->y < pen->clip_top) pen->hidden_above++; }
    if (l->nseg && visible) {
        float x = pen->x0;
        if (pen->align > 0) x += fmaxf(0, pen->avail - line_width(l)) * pen->align;
        for (int i = 0; i < l->nseg; i++) {
            Seg *s = &l->seg[i];
            char *t = l->text.p + s->off, keep = t[s->len];
            t[s->len] = '\0';
            const Run *r = &l->runs[s->run];
            DlCmd *c = dl_text(pen->dl, x, pen->y, pen->px, r->flags, r->color, t);
            t[s->len] = keep;
            dl_tag(pen->dl, pen->tag, pen->tag_a, pen->fixed_b ? pen->tag_b : pen->line_no);
            x += c ? c->w : s->w;
        }
        if (x - pen->widest_from > pen->widest) pen->widest = x - pen->widest_from;
    }
    pen->y += pen->lh;
    pen->line_no++;
    l->nseg = 0;
    buf_clear(&l->text);
}

/* Append the bytes [b0 of run r0, b1 of run r1) of a group. */
static bool append_range(Line *l, const Pen *pen, int r0, size_t b0, int r1, size_t b1) {
    for (int r = r0; r <= r1; r++) {
        size_t from = r == r0 ? b0 : 0;
        size_t to = r == r1 ? b1 : strlen(l->runs[r].s);
        if (to > from && !line_append(l, pen, r, l->runs[r].s + from, to - from)) return false;
    }
    return true;
}

/* A group too wide for a line of its own: cut it between characters. */
static void break_group(Line *l, Pen *pen, int r0, size_t b0, int r1, size_t b1) {
    for (int r = r0; r <= r1; r++) {
        const char *s = l->runs[r].s;
        size_t to = r == r1 ? b1 : strlen(s);
        bool math = (l->runs[r].flags & TEXT_MATH) != 0;
        for (size_t i = r == r0 ? b0 : 0; i < to;) {
            size_t k = cluster(s + i, math);
            if (i + k > to) k = to - i;
            Mark m = line_mark(l);
            bool ok = line_append(l, pen, r, s + i, k);
            if (!ok || line_width(l) > pen->avail) {
                line_undo(l, m);
                if (l->nseg) line_emit(l, pen);
                m = line_mark(l);
                if (!line_append(l, pen, r, s + i, k) || line_width(l) > pen->avail) {
                    line_undo(l, m);          /* one character wider than the panel */
                    pen->overflow_x = true;
                }
            }
            i += k;
        }
    }
}

/* Lay out runs as one paragraph starting on a fresh line. keep_spaces: code,
 * where spaces are kept as written (but dropped where a line breaks). */
void narr_wrap_runs(Line *l, Pen *pen, const Run *runs, int nruns, bool keep_spaces) {
    l->runs = runs;
    l->nseg = 0; l->text.n = 0;
    int r = 0;
    size_t i = 0;
    bool first = true;
    for (;;) {
        /* the spaces before the next group */
        int sp_r = -1;
        size_t sp_b = 0, sp_n = 0;
        while (r < nruns) {
            const char *s = runs[r].s;
            if (!s[i]) { r++; i = 0; continue; }
            if (!narr_is_space(s[i])) break;
            if (sp_r < 0) { sp_r = r; sp_b = i; }
            if (sp_r == r) sp_n++;
            i++;
        }
        if (r >= nruns) break;
        /* the group: non-space bytes, across runs */
        int er = r;
        size_t ei = i;
        for (;;) {
            const char *s = runs[er].s;
            while (s[ei] && !narr_is_space(s[ei])) ei++;
            if (s[ei] || er + 1 >= nruns || !runs[er + 1].s[0] || narr_is_space(runs[er + 1].s[0])) break;
            er++; ei = 0;
        }
        bool lead = first && keep_spaces && sp_n;    /* indentation of code */
        const char *sp = keep_spaces ? runs[sp_r < 0 ? 0 : sp_r].s + sp_b : " ";
        size_t spn = keep_spaces ? sp_n : 1;

        Mark m = line_mark(l);
        bool ok = true;
        if (sp_n && (l->nseg || lead)) ok = line_append(l, pen, sp_r, sp, spn);
        ok = ok && append_range(l, pen, r, i, er, ei);
        if (!ok || line_width(l) > pen->avail) {
            line_undo(l, m);
            if (l->nseg) line_emit(l, pen);
            m = line_mark(l);
            ok = !lead || line_append(l, pen, sp_r, sp, spn);
            ok = ok && append_range(l, pen, r, i, er, ei);
            if (!ok || line_width(l) > pen->avail) {
                line_undo(l, m);
                break_group(l, pen, r, i, er, ei);
            }
        }
        first = false;
        r = er; i = ei;
    }
    if (l->nseg) line_emit(l, pen);
}

/* ---- blocks ---------------------------------------------------------------------- */

Run narr_span_run(const LessonSpan *sp, const Theme *th) {
    switch (sp->kind) {
    case LESSON_SPAN_BOLD:   return (Run){sp->text, TEXT_BOLD, th->text};
    case LESSON_SPAN_CODE:   return (Run){sp->text, 0, th->code};
    case LESSON_SPAN_MATH:   return (Run){sp->text, TEXT_MATH, th->math};
    case LESSON_SPAN_ITALIC: return (Run){sp->text, TEXT_ITALIC, th->text};
    case LESSON_SPAN_BOLD_ITALIC: return (Run){sp->text, TEXT_BOLD | TEXT_ITALIC, th->text};
    case LESSON_SPAN_PLAIN:
    default:                 return (Run){sp->text, 0, th->text};
    }
}

/* Math as the view writes it: NanumGothic has no U+1D40 'ᵀ', so a math
 * span's ᵀ becomes "^T", which TEXT_MATH draws as a superscript T (the
 * formula panel writes q^T the same way). Returns a malloc'd copy, or NULL
 * when s needs no change. */
char *narr_math_subst(const char *s) {
    static const char T[] = "ᵀ";
    if (!strstr(s, T)) return NULL;
    size_t n = strlen(s);
    char *out = malloc(n + 1);    /* "^T" is shorter than the 3 bytes it replaces */
    if (!out) return NULL;
    char *o = out;
    for (const char *p = s; *p;) {
        if (strncmp(p, T, 3) == 0) { *o++ = '^'; *o++ = 'T'; p += 3; }
        else *o++ = *p++;
    }
    *o = '\0';
    return out;
}

static bool is_item(const LessonBlock *b) {
    return b->kind == LESSON_BLOCK_BULLET || b->kind == LESSON_BLOCK_NUMBERED;
}

static void layout_block(DrawList *dl, Line *l, Pen *pen, const LessonBlock *b, int bi, const Theme *th,
                         float inner_x, float inner_w, float px, Run *runs, int nr);

static void build_block(DrawList *dl, Line *l, Pen *pen, const LessonBlock *b, int bi, const Theme *th,
                        float inner_x, float inner_w, float px) {
    enum { MAX_RUNS = 256 };
    Run runs[MAX_RUNS];
    int nr = b->n_spans < MAX_RUNS ? b->n_spans : MAX_RUNS;
    char *owned[MAX_RUNS];
    for (int i = 0; i < nr; i++) {
        runs[i] = narr_span_run(&b->spans[i], th);
        owned[i] = (runs[i].flags & TEXT_MATH) ? narr_math_subst(runs[i].s) : NULL;
        if (owned[i]) runs[i].s = owned[i];
    }
    layout_block(dl, l, pen, b, bi, th, inner_x, inner_w, px, runs, nr);
    for (int i = 0; i < nr; i++) free(owned[i]);
}

static void layout_block(DrawList *dl, Line *l, Pen *pen, const LessonBlock *b, int bi, const Theme *th,
                         float inner_x, float inner_w, float px, Run *runs, int nr) {
    pen->tag = LV_TAG_NARR_TEXT; pen->tag_a = bi; pen->fixed_b = false; pen->line_no = 0;
    pen->align = 0;
    pen->px = px;
    pen->text_h = dl_text_height(dl, px);
    pen->lh = pen->text_h * 1.12f;
    pen->x0 = inner_x; pen->avail = inner_w;

    switch (b->kind) {
    case LESSON_BLOCK_HEADING: {
        pen->px = px * 1.08f;
        pen->text_h = dl_text_height(dl, pen->px);
        pen->lh = pen->text_h * 1.1f;
        for (int i = 0; i < nr; i++) {
            runs[i].flags |= TEXT_BOLD;
            if (b->spans[i].kind != LESSON_SPAN_CODE && b->spans[i].kind != LESSON_SPAN_MATH) runs[i].color = th->accent;
        }
        narr_wrap_runs(l, pen, runs, nr, false);
        break;
    }
    case LESSON_BLOCK_BULLET:
    case LESSON_BLOCK_NUMBERED: {
        float indent = (float)(b->level < 4 ? b->level : 4) * px * 1.3f;
        char mark[16];
        if (b->kind == LESSON_BLOCK_NUMBERED) snprintf(mark, sizeof mark, "%d.", b->number);
        else snprintf(mark, sizeof mark, "%s", b->level == 0 ? "•" : b->level == 1 ? "◦" : "–");
        float col = b->kind == LESSON_BLOCK_NUMBERED ? fmaxf(dl_text_width(dl, "00.", px, 0), dl_text_width(dl, mark, px, 0)) + px * 0.35f
                                                     : px * 1.1f;
        if (indent + col > inner_w * 0.5f) indent = fmaxf(0, inner_w * 0.5f - col);
        bool visible = pen->y >= pen->clip_top - 0.01f && pen->y + pen->text_h <= pen->clip_bot + 0.01f;
        if (visible) {
            float mw = dl_text_width(dl, mark, px, 0);
            float mx = b->kind == LESSON_BLOCK_NUMBERED ? inner_x + indent + col - px * 0.35f - mw : inner_x + indent + px * 0.15f;
            dl_text(dl, mx, pen->y, px, 0, b->kind == LESSON_BLOCK_NUMBERED ? th->prose_dim : th->accent, mark);
            dl_tag(dl, LV_TAG_NARR_MARKER, bi, 0);
        }
        pen->x0 = inner_x + indent + col;
        pen->avail = inner_w - indent - col;
        narr_wrap_runs(l, pen, runs, nr, false);
        break;
    }
    case LESSON_BLOCK_CODE: {
        /* one CODE span, '\n' between lines: each line its own paragraph */
        float pad = px * 0.4f;
        float top = pen->y;
        pen->y += pad * 0.5f;
        pen->x0 = inner_x + pad; pen->avail = inner_w - 2 * pad;
        int rect_at = dl->n;      /* the background goes under the text: drawn first, sized after */
        dl_rect(dl, inner_x, top, inner_w, 1, th->code_bg);
        bool have_rect = dl->n > rect_at;
        for (int i = 0; i < nr; i++) {
            const char *s = runs[i].s;
            while (*s) {
                const char *e = strchr(s, '\n');
                size_t n = e ? (size_t)(e - s) : strlen(s);
                char *line = malloc(n + 1);
                if (!line) { dl->oom = true; return; }
                memcpy(line, s, n);
                line[n] = '\0';
                Run one = {line, 0, th->code};
                int before = pen->line_no;
                narr_wrap_runs(l, pen, &one, 1, true);
                if (pen->line_no == before) { pen->y += pen->lh; pen->line_no++; }   /* a blank code line */
                free(line);
                s += n + (e ? 1 : 0);
            }
        }
        pen->y += pad * 0.5f;
        if (have_rect) {
            DlCmd *c = &dl->cmds[rect_at];
            float y0 = fmaxf(top, pen->clip_top), y1 = fminf(pen->y, pen->clip_bot);
            c->y = y0;
            c->h = y1 - y0;
            if (c->h <= 0) c->color.a = 0;
        }
        break;
    }
    case LESSON_BLOCK_TABLE:
        narr_layout_table(dl, l, pen, b, bi, th, inner_x, inner_w, px);
        break;
    case LESSON_BLOCK_PARAGRAPH:
    default:
        narr_wrap_runs(l, pen, runs, nr, false);
        break;
    }
}

/* ---- the panel ------------------------------------------------------------------- */

float narration_panel_width(float W, float font_px) {
    float w = 19 * (font_px > 0 ? font_px : 20);
    if (w > W * 0.4f) w = W * 0.4f;
    if (w < 280) w = 280;
    return w < W ? w : W;
}

/* The footer: the lesson title on the left, "slide i / n" on the right, over
 * a rule; returns where the narration must stop above it. */
static float footer(DrawList *dl, const NarrationDesc *d, const Theme *th, float px, float pad, float inner_x,
                    float inner_w) {
    float fpx = px * 0.75f, fh = dl_text_height(dl, fpx);
    float fy = d->y + d->h - pad * 0.6f - fh;
    char slide[64], title[512];
    if (d->slide_count > 0)
        snprintf(slide, sizeof slide, "%s %d / %d", ui_str(d->lang, UI_SLIDE), d->slide_index + 1, d->slide_count);
    else
        slide[0] = '\0';
    float sw = slide[0] ? dl_text_width(dl, slide, fpx, 0) : 0;
    if (fy > d->y + pad) {
        dl_rect(dl, inner_x, fy - pad * 0.4f, inner_w, 1, th->faint);
        if (slide[0] && sw <= inner_w) {
            dl_text(dl, inner_x + inner_w - sw, fy, fpx, 0, th->prose_dim, slide);
            dl_tag(dl, LV_TAG_NARR_FOOTER, 1, 0);
        }
        if (d->lesson_title && d->lesson_title[0]) {
            float room = inner_w - (sw > 0 ? sw + px : 0);
            if (lv_fit(dl, d->lesson_title, fpx, 0, room, title, sizeof title) > 0) {
                dl_text(dl, inner_x, fy, fpx, 0, th->prose_dim, title);
                dl_tag(dl, LV_TAG_NARR_FOOTER, 0, 0);
            }
        }
    } else {
        fy = d->y + d->h;
    }
    return fy - pad * 0.9f;
}

void narration_build(DrawList *dl, const LessonSlide *s, const NarrationDesc *d, NarrationLayout *out) {
    Theme th = viz_theme(d->dark);
    float px = d->font_px > 0 ? d->font_px : 20;
    float pad = px * 0.8f;
    float inner_x = d->x + pad, inner_w = d->w - 2 * pad;
    NarrationLayout lay = {0};
    if (out) *out = lay;
    if (d->w <= 0 || d->h <= 0) return;

    dl_rect(dl, d->x, d->y, d->w, d->h, th.prose_panel);
    dl_tag(dl, LV_TAG_NARR_PANEL, 0, 0);
    if (inner_w <= px) return;

    float bottom = footer(dl, d, &th, px, pad, inner_x, inner_w);

    Line line = {0};
    Pen pen = {.dl = dl, .clip_top = d->y + pad * 0.5f, .clip_bot = bottom, .y = d->y + pad * 0.7f,
               .widest_from = inner_x};

    /* the slide title: bold, larger, never scrolled */
    if (s && s->title && s->title[0]) {
        Run r = {s->title, TEXT_BOLD, th.text};
        pen.px = px * 1.25f;
        pen.text_h = dl_text_height(dl, pen.px);
        pen.lh = pen.text_h * 1.05f;
        pen.x0 = inner_x; pen.avail = inner_w;
        pen.tag = LV_TAG_NARR_TITLE; pen.tag_a = 0; pen.line_no = 0;
        pen.clip_bot = d->y + (bottom - d->y) * 0.5f;     /* at most half the panel */
        narr_wrap_runs(&line, &pen, &r, 1, false);
        pen.y += pad * 0.2f;
        dl_rect(dl, inner_x, pen.y, fminf(inner_w, px * 3), fmaxf(2, px * 0.12f), th.accent);
        pen.y += pad * 0.7f;
    }

    /* the narration, scrolled */
    float top = pen.y;
    pen.clip_top = top;
    pen.clip_bot = bottom;
    float scroll = d->scroll > 0 ? d->scroll : 0;
    pen.y = top - scroll;
    int hidden_before = pen.hidden;
    pen.hidden_above = 0;
    if (s) {
        for (int bi = 0; bi < s->n_blocks; bi++) {
            const LessonBlock *b = &s->blocks[bi];
            if (bi > 0) {
                const LessonBlock *p = &s->blocks[bi - 1];
                float lh = dl_text_height(dl, px) * 1.12f;
                pen.y += (is_item(p) && is_item(b)) ? lh * 0.18f : b->kind == LESSON_BLOCK_HEADING ? lh * 0.8f : lh * 0.5f;
            }
            build_block(dl, &line, &pen, b, bi, &th, inner_x, inner_w, px);
        }
    }
    if (line.text.oom) dl->oom = true;
    buf_free(&line.text);

    lay.content_h = pen.y - (top - scroll);
    lay.view_h = bottom - top;
    lay.max_scroll = fmaxf(0, lay.content_h - lay.view_h);
    lay.lines_hidden = pen.hidden - hidden_before;
    lay.widest = pen.widest;
    lay.overflow_x = pen.overflow_x;

    /* more above / below: small triangles in the margins, not over text */
    float t = px * 0.35f, tx = inner_x + inner_w - t;
    if (pen.hidden_above > 0) {
        dl_tri(dl, tx - t, top - pad * 0.15f, tx + t, top - pad * 0.15f, tx, top - pad * 0.15f - t, th.accent);
        dl_tag(dl, LV_TAG_NARR_MORE, -1, 0);
    }
    if (lay.lines_hidden > pen.hidden_above) {
        float by = bottom + pad * 0.1f;
        dl_tri(dl, tx - t, by, tx + t, by, tx, by + t, th.accent);
        dl_tag(dl, LV_TAG_NARR_MORE, 1, 0);
    }
    if (out) *out = lay;
}

void narration_message(DrawList *dl, float x, float y, float w, float h, bool dark, float font_px, const char *title,
                       const char *msg) {
    Theme th = viz_theme(dark);
    float px = font_px > 0 ? font_px : 20, pad = px;
    dl_rect(dl, x, y, w, h, th.prose_panel);
    if (w - 2 * pad <= px || h <= 2 * pad) return;
    Line line = {0};
    Pen pen = {.dl = dl, .x0 = x + pad, .avail = w - 2 * pad, .clip_top = y, .clip_bot = y + h - pad * 0.5f,
               .y = y + pad, .tag = LV_TAG_MESSAGE, .widest_from = x + pad};
    if (title && title[0]) {
        Run r = {title, TEXT_BOLD, th.text};
        pen.px = px * 1.2f; pen.text_h = dl_text_height(dl, pen.px); pen.lh = pen.text_h * 1.05f;
        pen.tag_a = 0;
        narr_wrap_runs(&line, &pen, &r, 1, false);
        pen.y += pad * 0.5f;
    }
    if (msg && msg[0]) {
        Run r = {msg, 0, th.prose_warn};
        pen.px = px; pen.text_h = dl_text_height(dl, px); pen.lh = pen.text_h * 1.12f;
        pen.tag_a = 1; pen.line_no = 0;
        narr_wrap_runs(&line, &pen, &r, 1, false);
    }
    if (line.text.oom) dl->oom = true;
    buf_free(&line.text);
}
