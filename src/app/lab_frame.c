/* lab_frame.c — a mechanism lab's sessions as the lab view's data (VizLab), and that picture rendered offscreen into a PNG (learn --lab --screenshot). */
#include "lab_frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

/* One configuration's curves: its loss on every line, its held-out token
 * accuracy on the lines that have one. */
static int curves(LabFrame *f, int i, LearnSession *s) {
    int n = learn_line_count(s), nh = 0;
    float *v = malloc(sizeof(float) * (size_t)(4 * (n > 0 ? n : 1)));
    if (!v) return -1;
    f->mem[i] = v;
    VizLabRun *r = &f->runs[i];
    r->step = v;
    r->loss = v + n;
    r->held_step = v + 2 * n;
    r->held_token = v + 3 * n;
    for (int k = 0; k < n; k++) {
        const LogLine *l = learn_line(s, k);
        v[k] = (float)l->step;
        v[n + k] = l->loss;
        if (l->has_heldout) {
            v[2 * n + nh] = (float)l->step;
            v[3 * n + nh++] = l->heldout_token;
        }
    }
    r->n = n;
    r->n_held = nh;
    return 0;
}

int lab_frame_make(LabFrame *f, Lab *lab, const char *what, long plan, const char *reference, char *err) {
    memset(f, 0, sizeof *f);
    int n = lab_count(lab);
    f->lab = (VizLab){.what = what, .step = lab_steps_done(lab), .plan = plan, .runs = f->runs, .n = n};
    char *ref = reference ? strdup(reference) : NULL;
    for (int i = 0; i < n; i++) {
        LearnSession *s = lab_session(lab, i);
        const LogLine *last = learn_line(s, learn_line_count(s) - 1), *h = learn_last_heldout(s);
        VizLabRun *r = &f->runs[i];
        *r = (VizLabRun){.label = lab_variant_title(lab_variant(lab, i), f->titles[i], sizeof f->titles[i]),
                         .exact = NAN, .token = NAN};
        if (h) {
            r->exact = h->heldout_exact;
            r->token = h->heldout_token;
        }
        if (last->has_probe) {
            r->S = last->probe_S;
            r->T = last->probe_T;
            r->src = last->source_tokens;
            r->out = last->output_tokens;
            r->w = last->weights;
        }
        if (curves(f, i, s) != 0) {
            free(ref);
            lab_frame_free(f);
            return av_err(err, "out of memory");
        }
    }
    /* the reference: the probe's own characters for copy (its target), as tokens */
    if (ref) {
        f->ref_text = ref;
        int k = 0;
        for (char *p = ref; *p && k < (int)(sizeof f->ref / sizeof *f->ref) - 1;) {
            size_t len = 1;
            while (((unsigned char)p[len] & 0xC0) == 0x80) len++;
            f->ref_buf[k] = strndup(p, len);
            f->ref[k] = f->ref_buf[k];
            k++;
            p += len;
        }
        f->ref[k++] = "<eos>";
        for (int i = 0; i < n; i++) {
            f->runs[i].ref = f->ref;
            f->runs[i].R = k;
        }
    }
    return 0;
}

void lab_frame_free(LabFrame *f) {
    for (int i = 0; i < VIZ_LAB_MAX; i++) free(f->mem[i]);
    for (size_t k = 0; k < sizeof f->ref_buf / sizeof *f->ref_buf; k++) free(f->ref_buf[k]);
    free(f->ref_text);
    memset(f, 0, sizeof *f);
}

int lab_screenshot(const VizLab *lab, const LabShot *o, char *err) {
    App *a = calloc(1, sizeof *a);
    if (!a) return av_err(err, "out of memory");
    a->opt.font = o->font;
    int w = o->width, h = o->height, rc = -1;
    uint8_t *rgb = malloc((size_t)w * h * 3);
    if (!rgb) {
        free(a);
        return av_err(err, "out of memory for a %dx%d screenshot", w, h);
    }
    if (app_init_gfx(a, w, h, true, err) == 0) {
        AppWindow *win = &a->w;
        char gerr[GFX_ERR_CAP];
        if (gfx_offscreen_begin(&win->gfx, w, h, gerr) != 0) {
            av_err(err, "%s", gerr);
        } else {
            text_set_scale(win->text, 1);
            dl_clear(&win->dl);
            viz_lab_build(&win->dl, lab, (float)w, (float)h);
            gfx_draw(&win->gfx, &win->dl, win->text, (float)w, (float)h, w, h, viz_background(lab->dark));
            gfx_offscreen_read(&win->gfx, rgb);
            gfx_offscreen_end(&win->gfx);
            const char *e = gfx_error();
            rc = e ? av_err(err, "OpenGL error rendering offscreen: %s", e) : app_write_png(o->path, rgb, w, h, err);
        }
    }
    app_shutdown(a);
    free(a);
    free(rgb);
    return rc;
}
