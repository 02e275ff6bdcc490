/* screenshot.c — one frame rendered offscreen and written as a PNG (--screenshot, and the tests), whole or not at all. */
#include "app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <stb_image_write.h>

#include "../base/buf.h"
#include "../base/outfile.h"

int app_render_rgb(App *a, int w, int h, uint8_t *rgb, char *err) {
    AppWindow *win = &a->w;
    char gerr[GFX_ERR_CAP];
    if (gfx_offscreen_begin(&win->gfx, w, h, gerr) != 0) return av_err(err, "%s", gerr);
    text_set_scale(win->text, 1);
    app_build_frame(a, (float)w, (float)h);
    gfx_draw(&win->gfx, &win->dl, win->text, (float)w, (float)h, w, h, viz_background(a->ui.dark));
    gfx_offscreen_read(&win->gfx, rgb);
    gfx_offscreen_end(&win->gfx);
    const char *e = gfx_error();
    if (e) return av_err(err, "OpenGL error rendering offscreen: %s", e);
    return 0;
}

static void png_collect(void *ctx, void *data, int size) { buf_put(ctx, data, size > 0 ? (size_t)size : 0); }

/* stb's default PNG settings (export_png.c chooses its own for figures). */
int app_write_png(const char *path, const uint8_t *rgb, int w, int h, char *err) {
    Buf png = {0};
    if (!stbi_write_png_to_func(png_collect, &png, w, h, 3, rgb, w * 3) || png.oom) {
        buf_free(&png);
        return av_err(err, "%s: cannot encode the PNG (out of memory)", path);
    }
    int rc = av_write_file(path, png.p, png.n, err);
    buf_free(&png);
    return rc;
}

int app_screenshot_clock(App *a, char *err) {
    const AppOptions *o = &a->opt;
    const Trace *tr = &a->session.trace;
    /* a lesson slide sets its own step and phase: --step/--phase override them when given */
    bool slide = (a->mode == MODE_LESSON && a->lesson.loaded) || a->mode == MODE_PICKER;
    if (!a->session.have_trace || (slide && !o->step && o->phase < 0 && o->progress >= 1)) return 0;
    int cur_step = 0, cur_phase = 0, nph = app_step_phases(a);
    float prog;
    viz_clock_n(tr, nph, a->view.tau, &cur_step, &cur_phase, &prog);
    int step = o->step ? o->step : slide ? cur_step + 1 : tr->T;
    if (step > tr->T) return av_err(err, "--step %d: this decoding has %d steps", step, tr->T);
    /* --phase names a backward phase while the backward phases are on (--direction backward, a slide's) */
    int phase = o->phase >= 0 ? o->phase + (nph > PH_COUNT ? PH_COUNT : 0) : slide ? cur_phase : nph - 1;
    a->view.tau = viz_tau_at_n(tr, nph, step, phase) + fmin(o->progress, 0.99999);   /* default: the end of that phase */
    a->view.tau = viz_tau_shown_n(tr, nph, a->view.tau);   /* a phase the model does not have: the next one */
    return 0;
}

int app_screenshot(App *a, char *err) {
    const AppOptions *o = &a->opt;
    if (o->mouse_x >= 0) {
        a->ui.mouse_in = true;
        a->ui.mouse_x = (float)o->mouse_x;
        a->ui.mouse_y = (float)o->mouse_y;
    }
    a->view.help = o->help_overlay;
    int w = o->width, h = o->height;
    uint8_t *rgb = malloc((size_t)w * h * 3);
    if (!rgb) return av_err(err, "out of memory for a %dx%d screenshot", w, h);
    int rc = app_render_rgb(a, w, h, rgb, err);
    if (rc == 0) rc = app_write_png(o->screenshot, rgb, w, h, err);
    free(rgb);
    return rc;
}
