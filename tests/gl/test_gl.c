/* test_gl.c — the real renderer under Xvfb (or SDL's offscreen driver):
 * every phase of every step of a known decoding is drawn through the
 * screenshot path and read back. Alignment cells must map back to their
 * weights through colormap_viridis_inverse, the predicted token's label must
 * be inked, keys must move the clock, and stepping back must give the very
 * pixels stepping forward gave. Run with ASAN_OPTIONS=detect_leaks=0 (Mesa
 * and SDL keep memory until exit on purpose). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <stb_image.h>

#include "app/app.h"
#include "base/colormap.h"
#include "events.h"

static App *app;
enum { W = 1280, H = 720 };
static uint8_t *rgb;

static void setup(void) {
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    char err[AV_ERR_LEN];
    cr_assert_eq(app_init_gfx(app, W, H, true, err), 0, "%s", err);
    cr_assert_eq(viz_demo_trace(&app->session.trace, "2013년 7월 13일", 9, STYLE_LUONG, SCORE_GENERAL, true, 3, err), 0, "%s", err);
    app->session.have_trace = true;
    app->view.speed = 1;
    rgb = malloc((size_t)W * H * 3);
    cr_assert_not_null(rgb);
}

static void teardown(void) {
    free(rgb);
    app_shutdown(app);
    free(app);
}

TestSuite(gl, .init = setup, .fini = teardown, .timeout = 120);

static void render(void) {
    char err[AV_ERR_LEN];
    cr_assert_eq(app_render_rgb(app, W, H, rgb, err), 0, "%s", err);
}

static Rgb8 pixel(float x, float y) {
    int ix = (int)x, iy = (int)y;
    const uint8_t *p = rgb + ((size_t)iy * W + ix) * 3;
    return (Rgb8){p[0], p[1], p[2]};
}

Test(gl, every_phase_draws_the_alignment_and_the_prediction) {
    const Trace *tr = &app->session.trace;
    for (int t = 1; t <= tr->T; t++)
        for (int p = 0; p < PH_COUNT; p++) {
            app->view.tau = viz_tau_at(tr, t, p) + 0.99999;
            render();
            const DrawList *dl = &app->w.dl;
            int cells = 0;
            for (int i = 0; i < dl->n; i++) {
                const DlCmd *c = &dl->cmds[i];
                if (c->tag == VIZ_TAG_ALIGN_CELL) {
                    float w = tr->steps[c->a].weights[c->b];
                    float got = colormap_viridis_inverse(pixel(c->x + c->w / 2, c->y + c->h / 2));
                    cr_assert(fabsf(got - w) <= 0.5f / 255 + 1e-6f, "step %d %s: cell (%d,%d) reads %.4f, weight %.4f",
                              t, phase_name(p), c->a + 1, c->b + 1, (double)got, (double)w);
                    cells++;
                }
                if (c->tag == VIZ_TAG_CHOSEN) {
                    cr_assert_str_eq(dl_str(dl, c), trace_token(tr, tr->steps[t - 1].token_id));
                    /* ink: pixels inside the label's box that differ from its background */
                    Rgb8 bg = pixel(c->x - 2, c->y + c->h / 2);
                    int ink = 0;
                    for (int y = (int)c->y; y < (int)(c->y + c->h); y++)
                        for (int x = (int)c->x; x < (int)(c->x + c->w); x++) {
                            Rgb8 q = pixel((float)x, (float)y);
                            ink += abs(q.r - bg.r) + abs(q.g - bg.g) + abs(q.b - bg.b) > 120;
                        }
                    cr_assert_gt(ink, 10, "step %d: the label '%s' has no ink", t, dl_str(dl, c));
                }
            }
            int rows = p >= PH_SOFTMAX ? t : t - 1;
            cr_assert_eq(cells, rows * tr->S, "step %d %s: %d cells", t, phase_name(p), cells);
        }
}

static void key(SDL_Keycode k) {
    send_key(app, k, 0);
    app_update(app, 60);   /* let the phase play to its end */
}

Test(gl, keys_move_the_clock_and_back_is_forward) {
    const Trace *tr = &app->session.trace;
    app->view.tau = 0;
    app->view.stop_at = 0;
    key(SDLK_RIGHT);
    key(SDLK_RIGHT);
    key(SDLK_DOWN);   /* step 2, scores */
    int t, p;
    float pr;
    viz_clock(tr, app->view.tau, &t, &p, &pr);
    cr_assert(t == 1 && p == PH_SCORES && pr > 0.99f, "t %d phase %d progress %f", t, p, (double)pr);
    render();
    uint8_t *fwd = malloc((size_t)W * H * 3);
    cr_assert_not_null(fwd);
    memcpy(fwd, rgb, (size_t)W * H * 3);
    key(SDLK_RIGHT);
    key(SDLK_RIGHT);
    key(SDLK_DOWN);
    key(SDLK_UP);
    key(SDLK_LEFT);
    key(SDLK_LEFT);
    render();
    cr_assert(memcmp(fwd, rgb, (size_t)W * H * 3) == 0, "step 2 scores looks different when reached backward");
    free(fwd);
    key(SDLK_END);
    viz_clock(tr, app->view.tau, &t, &p, &pr);
    cr_assert(t == tr->T - 1 && p == PH_NEXT);
    key(SDLK_HOME);
    viz_clock(tr, app->view.tau, &t, &p, &pr);
    cr_assert(t == 0 && p == PH_ENCODER);
    key(SDLK_UP);   /* nothing before the start */
    viz_clock(tr, app->view.tau, &t, &p, &pr);
    cr_assert(t == 0 && p == PH_ENCODER);
}

/* Entries of dir other than . and .. */
static int entries(const char *dir) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void check_png_is_frame(const char *path) {
    int w, h, n;
    uint8_t *back = stbi_load(path, &w, &h, &n, 3);
    cr_assert_not_null(back, "%s does not load", path);
    cr_assert(w == W && h == H);
    cr_assert(memcmp(back, rgb, (size_t)W * H * 3) == 0, "the PNG differs from the frame");
    stbi_image_free(back);
}

Test(gl, screenshots_are_written_whole) {
    app->view.tau = viz_tau_at(&app->session.trace, 3, PH_OUTPUT) + 0.99999;
    render();
    char dir[] = "/tmp/attnviz-test-XXXXXX", path[64], err[AV_ERR_LEN];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/x.png", dir);
    cr_assert_eq(app_write_png(path, rgb, W, H, err), 0, "%s", err);
    check_png_is_frame(path);
    cr_assert_eq(entries(dir), 1, "the temporary file beside x.png was not renamed");
    /* a full disk: files may grow to 1000 bytes for a moment (SIGXFSZ
     * ignored, so the write fails with EFBIG; only the soft limit moves).
     * The PNG fails, the old x.png stays, and no temporary file is left
     * beside it. */
    struct rlimit old, small;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = (struct rlimit){.rlim_cur = 1000, .rlim_max = old.rlim_max};
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = app_write_png(path, rgb, W, H, err);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    cr_assert_neq(rc, 0, "writing past the file size limit must fail");
    cr_assert(strstr(err, path), "error names the file: %s", err);
    cr_assert_eq(entries(dir), 1, "a temporary file was left beside x.png in %s", dir);
    check_png_is_frame(path);
    remove(path);
    cr_assert_eq(rmdir(dir), 0);
    cr_assert_neq(app_write_png("/nonexistent-dir/x.png", rgb, W, H, err), 0);
    cr_assert(strstr(err, "/nonexistent-dir/x.png"), "error names the file: %s", err);
}
