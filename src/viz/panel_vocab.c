/* panel_vocab.c — the source vocabulary: the line that names the typed
 * tokens the model does not know (it reads them as <unk>), under the rows
 * where the class looks, and the list of everything it does know (K, or a
 * click on that line), in columns, a page at a time. */
#include "panel.h"

#include <stdio.h>

void panel_unknown(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    if (!v->st->unknown) return;
    float w = L->rx0 - 24 * L->u - L->lx0;
    if (viz_text_fit(dl, L, L->lx0, L->note_y, w, L->f_label, TEXT_BOLD, v->th.warn, v->st->unknown, FIT_MIDDLE))
        dl_tag(dl, VIZ_TAG_UNK_NOTE, 0, 0);
}

void panel_vocab(DrawList *dl, const View *v) {
    const Layout *L = &v->L;
    const Theme *th = &v->th;
    const VizState *st = v->st;
    float u = L->u, p = L->f_label, lh = dl_text_height(dl, p) + 4 * u;
    float x = L->pad, y = 40 * u, w = L->W - 2 * L->pad, h = L->H - 80 * u;
    dl_rect(dl, x, y, w, h, th->panel);
    dl_tag(dl, VIZ_TAG_OVERLAY, 0, 0);
    dl_frame(dl, x, y, w, h, 2 * u, th->accent);
    char b[160];
    snprintf(b, sizeof b, ui(v, UI_VOCAB_TITLE), st->vocab_n, ui(v, st->vocab_chars ? UI_UNK_CHARS : UI_UNK_WORDS));
    float ky = y + 12 * u + dl_text_height(dl, L->f_cap) + 6 * u;
    viz_text_fit(dl, L, x + 20 * u, y + 12 * u, w - 40 * u, L->f_cap, TEXT_BOLD, th->accent, b, FIT_END);
    viz_text_fit(dl, L, x + 20 * u, ky, w - 40 * u, L->f_small, 0, th->dim, ui(v, UI_VOCAB_KEYS), FIT_END);
    /* columns as wide as the widest entry; rows down each column */
    float cw = 0;
    for (int i = 0; i < st->vocab_n; i++) cw = fmaxf(cw, dl_text_width(dl, viz_tok_show(st->vocab[i]), p, 0));
    cw = fminf(cw + 24 * u, w - 40 * u);
    float top = ky + dl_text_height(dl, L->f_small) + 14 * u;
    int cols = (int)fmaxf(1, floorf((w - 40 * u) / cw)), rows = (int)fmaxf(1, floorf((y + h - 16 * u - top) / lh));
    int total_rows = (st->vocab_n + cols - 1) / cols;
    int max_scroll = total_rows > rows ? total_rows - rows : 0;
    int first = st->vocab_scroll < 0 ? 0 : st->vocab_scroll > max_scroll ? max_scroll : st->vocab_scroll;
    /* the panel says how the app may scroll it */
    dl_rect(dl, x, y, w, h, (Color){0, 0, 0, 0});
    dl_tag(dl, VIZ_TAG_VOCAB, rows, max_scroll);
    for (int r = 0; r < rows && first + r < total_rows; r++)
        for (int c = 0; c < cols; c++) {
            int i = (first + r) * cols + c;   /* row by row: alphabetical across, then down */
            if (i >= st->vocab_n) break;
            viz_text_fit(dl, L, x + 20 * u + (float)c * cw, top + (float)r * lh, cw - 12 * u, p, 0, th->text,
                         viz_tok_show(st->vocab[i]), FIT_MIDDLE);
            dl_tag(dl, VIZ_TAG_OVERLAY, i, 0);
        }
    if (max_scroll > 0) {   /* where in the list: a thin bar at the right */
        float bh = y + h - 16 * u - top, kh = fmaxf(bh * (float)rows / (float)total_rows, 10 * u);
        float ky = top + (bh - kh) * (float)first / (float)max_scroll;
        dl_rect(dl, x + w - 12 * u, top, 4 * u, bh, th->grid);
        dl_rect(dl, x + w - 12 * u, ky, 4 * u, kh, th->dim);
    }
}
