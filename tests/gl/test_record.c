/* test_record.c — the animation as a GIF (src/app/record.c, src/export/export_gif.c): frame count, size, loop and timing read back with giflib (DGifSlurp), one frame against the app's own screenshot of the same moment, Shift+E in the app, and bad paths and a full disk that leave nothing behind. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <gif_lib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "app/app.h"
#include "events.h"

static App *app;
static char dir[64];

static void setup(void) {
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    char err[AV_ERR_LEN];
    cr_assert_eq(app_init_gfx(app, 1280, 720, true, err), 0, "%s", err);
    cr_assert_eq(viz_demo_trace(&app->session.trace, "2013년 7월", 4, STYLE_LUONG, SCORE_GENERAL, true, 3, err), 0,
                 "%s", err);
    app->session.have_trace = true;
    app->view.speed = 1;
    snprintf(dir, sizeof dir, "/tmp/attnviz-gif-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(record, .init = setup, .fini = teardown, .timeout = 300);

/* ---- reading a GIF back ---- */

static GifFileType *slurp(const char *path) {
    int e = 0;
    GifFileType *g = DGifOpenFileName(path, &e);
    cr_assert_not_null(g, "%s: %s", path, GifErrorString(e));
    cr_assert_eq(DGifSlurp(g), GIF_OK, "%s: DGifSlurp: %s", path, GifErrorString(g->Error));
    return g;
}

/* The NETSCAPE2.0 loop count, or -1 when the block is missing (play once). */
static int loop_count(const GifFileType *g) {
    for (int f = 0; f < g->ImageCount; f++) {
        const SavedImage *s = &g->SavedImages[f];
        for (int i = 0; i + 1 < s->ExtensionBlockCount; i++) {
            const ExtensionBlock *b = &s->ExtensionBlocks[i];
            if (b->Function == APPLICATION_EXT_FUNC_CODE && b->ByteCount == 11 && !memcmp(b->Bytes, "NETSCAPE2.0", 11)) {
                const ExtensionBlock *d = &s->ExtensionBlocks[i + 1];
                cr_assert(d->ByteCount == 3 && d->Bytes[0] == 1, "a malformed loop block");
                return d->Bytes[1] | d->Bytes[2] << 8;
            }
        }
    }
    return -1;
}

static int delay(const GifFileType *g, int f) {
    GraphicsControlBlock gcb;
    cr_assert_eq(DGifSavedExtensionToGCB((GifFileType *)g, f, &gcb), GIF_OK, "frame %d has no timing", f);
    return gcb.DelayTime;
}

/* Frames 0..upto composed as a viewer shows them: rgb is w*h*3. */
static void compose(const GifFileType *g, int upto, uint8_t *rgb) {
    const ColorMapObject *map = g->SColorMap;
    cr_assert_not_null(map, "no global palette");
    for (int f = 0; f <= upto; f++) {
        const SavedImage *s = &g->SavedImages[f];
        const GifImageDesc *d = &s->ImageDesc;
        GraphicsControlBlock gcb;
        DGifSavedExtensionToGCB((GifFileType *)g, f, &gcb);
        cr_assert_eq(gcb.DisposalMode, DISPOSE_DO_NOT);
        cr_assert(d->Left + d->Width <= g->SWidth && d->Top + d->Height <= g->SHeight, "frame %d outside the screen", f);
        for (int y = 0; y < d->Height; y++)
            for (int x = 0; x < d->Width; x++) {
                int k = s->RasterBits[y * d->Width + x];
                if (k == gcb.TransparentColor) continue;
                uint8_t *p = rgb + 3 * ((size_t)(d->Top + y) * g->SWidth + d->Left + x);
                p[0] = map->Colors[k].Red; p[1] = map->Colors[k].Green; p[2] = map->Colors[k].Blue;
            }
    }
}

static int entries(const char *d) {
    DIR *dd = opendir(d);
    cr_assert_not_null(dd);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dd))) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(dd);
    return n;
}

static void record(const RecordOptions *o, const char *path) {
    char err[AV_ERR_LEN];
    size_t bytes = 0;
    cr_assert_eq(app_record(app, o, path, &bytes, err), 0, "%s", err);
    cr_assert_gt(bytes, 0);
    cr_assert(!app->rec.on && !app->rec.gif, "the recording is not cleaned up");
}

/* ---- tests ---- */

Test(record, frames_size_loop_and_timing) {
    char path[128];
    snprintf(path, sizeof path, "%s/a.gif", dir);
    /* steps 1-2 at 10 fps, speed 4: a phase is 1.6 s / 4 = 0.4 s = 4 frames */
    RecordOptions o = {.width = 320, .height = 180, .fps = 10, .speed = 4, .step_from = 1, .step_to = 2, .score = -1};
    record(&o, path);
    GifFileType *g = slurp(path);
    cr_expect_eq(g->ImageCount, 2 * PH_COUNT * 4, "phases × steps × frames a phase");
    cr_expect_eq(g->SWidth, 320);
    cr_expect_eq(g->SHeight, 180);
    cr_expect_eq(loop_count(g), 0, "loops forever by default");
    for (int f = 0; f < g->ImageCount; f++)
        cr_expect_eq(delay(g, f), f == g->ImageCount - 1 ? 10 + 100 : 10, "frame %d's delay", f);
    int e;
    DGifCloseFile(g, &e);

    o.once = true;
    o.step_from = o.step_to = 3;
    record(&o, path);
    g = slurp(path);
    cr_expect_eq(g->ImageCount, PH_COUNT * 4);
    cr_expect_eq(loop_count(g), -1, "--loop once: no NETSCAPE2.0 block, viewers play it once");
    cr_expect_eq(delay(g, g->ImageCount - 1), 10, "playing once: no hold at the end");
    DGifCloseFile(g, &e);
    cr_expect_eq(entries(dir), 1, "only a.gif in %s", dir);
}

Test(record, default_size_and_rate) {
    char path[128];
    snprintf(path, sizeof path, "%s/d.gif", dir);
    RecordOptions o = {.speed = 8, .step_from = 4, .step_to = 4, .score = -1};   /* 20 fps: 32 / 8 = 4 frames a phase */
    record(&o, path);
    GifFileType *g = slurp(path);
    cr_expect_eq(g->SWidth, 960);
    cr_expect_eq(g->SHeight, 540);
    cr_expect_eq(g->ImageCount, PH_COUNT * 4);
    cr_expect_eq(delay(g, 0), 5, "20 frames a second");
    int e;
    DGifCloseFile(g, &e);
    /* a step past the decoding is refused, naming both */
    char err[AV_ERR_LEN];
    o.step_from = 2;
    o.step_to = 9;
    cr_expect_eq(app_record(app, &o, path, NULL, err), -1);
    cr_expect(strstr(err, "steps 2-9: this decoding has 4 steps"), "%s", err);
}

/* A frame of the GIF is the app's screenshot of the same τ, each pixel the
 * palette colour nearest to what the app drew (weights as export_gif.c). */
Test(record, a_frame_is_the_apps_screenshot) {
    char path[128], err[AV_ERR_LEN];
    snprintf(path, sizeof path, "%s/s.gif", dir);
    enum { W = 960, H = 540 };
    RecordOptions o = {.speed = 4, .step_from = 2, .step_to = 2, .score = -1};     /* 8 frames a phase */
    record(&o, path);
    GifFileType *g = slurp(path);
    int per = 8, f = PH_SOFTMAX * per + 3;                                         /* softmax, half-way */
    cr_assert_eq(g->ImageCount, PH_COUNT * per);
    uint8_t *gif = calloc((size_t)W * H, 3), *shot = malloc((size_t)W * H * 3);
    cr_assert(gif && shot);
    compose(g, f, gif);
    app->view.tau = viz_tau_at(&app->session.trace, 2, PH_SOFTMAX) + (3 + 1.0) / per;
    app->view.playing = true;   /* the window while it animates, at the recorded speed */
    app->view.speed = 4;
    cr_assert_eq(app_render_rgb(app, W, H, shot, err), 0, "%s", err);
    const ColorMapObject *map = g->SColorMap;
    long same = 0;
    for (size_t i = 0; i < (size_t)W * H; i++) {
        const uint8_t *s = shot + 3 * i, *p = gif + 3 * i;
        long best = -1;
        for (int k = 0; k < 255; k++) {
            long dr = s[0] - map->Colors[k].Red, dg = s[1] - map->Colors[k].Green, db = s[2] - map->Colors[k].Blue;
            long d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
            if (best < 0 || d < best) best = d;
        }
        long dr = s[0] - p[0], dg = s[1] - p[1], db = s[2] - p[2];
        cr_assert_eq(3 * dr * dr + 4 * dg * dg + 2 * db * db, best,
                     "pixel (%zu,%zu): the app drew %d,%d,%d, the GIF shows %d,%d,%d: not its nearest palette colour",
                     i % W, i / W, s[0], s[1], s[2], p[0], p[1], p[2]);
        same += !memcmp(s, p, 3);
    }
    double exact = (double)same / (W * H);
    cr_log_info("frame %d: %.2f%% of the pixels exactly as the app drew them", f, 100 * exact);
    cr_expect_gt(exact, 0.90, "only %.1f%% of the pixels are exact", 100 * exact);
    free(gif);
    free(shot);
    int e;
    DGifCloseFile(g, &e);
}

Test(record, bad_paths_and_a_full_disk_leave_nothing) {
    char err[AV_ERR_LEN], path[128];
    RecordOptions o = {.width = 320, .height = 180, .fps = 10, .speed = 8, .step_from = 1, .step_to = 1, .score = -1};
    cr_expect_eq(app_record(app, &o, "/nonexistent-dir/x.gif", NULL, err), -1);
    cr_expect(strstr(err, "/nonexistent-dir/x.gif"), "names the file: %s", err);
    cr_expect_eq(app_record(app, &o, dir, NULL, err), -1, "a folder is not a file");
    cr_expect(strstr(err, dir), "names the folder: %s", err);
    /* an old file survives a failed write whole, and nothing is left beside it */
    snprintf(path, sizeof path, "%s/old.gif", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("the old file", f);
    fclose(f);
    struct rlimit old, small;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = (struct rlimit){.rlim_cur = 1000, .rlim_max = old.rlim_max};
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = app_record(app, &o, path, NULL, err);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    cr_expect_eq(rc, -1, "writing past the file size limit must fail");
    cr_expect(strstr(err, path), "names the file: %s", err);
    cr_expect_eq(entries(dir), 1, "something was left beside old.gif");
    char buf[64] = "";
    f = fopen(path, "r");
    cr_assert_not_null(f);
    cr_assert_not_null(fgets(buf, sizeof buf, f));
    fclose(f);
    cr_expect_str_eq(buf, "the old file");
    cr_expect(!app->rec.on && !app->rec.gif && !app->rec.rgb, "a failed recording is cleaned up");
}

/* Shift+E: the status line says it records, the window's loop turns add
 * frames, the file lands in the pictures folder and the status line names
 * it; other keys wait, Esc stops and writes nothing. */
Test(record, shift_e_records_into_the_pictures_folder) {
    setenv("XDG_PICTURES_DIR", dir, 1);
    app->view.speed = 8;                        /* the speed on screen: 4 frames a phase */
    snprintf(app->session.input, sizeof app->session.input, "2013년 7월");
    send_key(app, SDLK_e, KMOD_LSHIFT);
    cr_assert(app->rec.on, "Shift+E did not start recording: '%s'", app->ui.message);
    cr_expect(strstr(app->ui.message, "recording"), "%s", app->ui.message);
    double tau = app->view.tau;
    send_key(app, SDLK_RIGHT, 0);
    cr_expect_eq(app->view.tau, tau, "a key moved the clock while recording");
    for (int i = 0; i < 10000 && app->rec.on; i++) app_update(app, 0.016);
    cr_assert(!app->rec.on);
    char want[256];
    snprintf(want, sizeof want, "animation saved: %s/attnviz-demo-2013년-7월.gif", dir);
    cr_expect(strncmp(app->ui.message, want, strlen(want)) == 0, "status: '%s', want '%s'", app->ui.message, want);
    snprintf(want, sizeof want, "%s/attnviz-demo-2013년-7월.gif", dir);
    GifFileType *g = slurp(want);
    cr_expect_eq(g->ImageCount, app->session.trace.T * PH_COUNT * 4, "every step, at the speed on screen");
    int e;
    DGifCloseFile(g, &e);
    /* again: a new name; then Esc stops it and nothing more is written */
    send_key(app, SDLK_e, KMOD_LSHIFT);
    cr_assert(app->rec.on);
    cr_expect(strstr(app->rec.path, "-2.gif"), "the second recording must not replace the first: %s", app->rec.path);
    app_update(app, 0.016);
    send_key(app, SDLK_ESCAPE, 0);
    cr_expect(!app->rec.on);
    cr_expect(strstr(app->ui.message, "stopped"), "%s", app->ui.message);
    cr_expect_eq(entries(dir), 1, "a stopped recording left a file");
    unsetenv("XDG_PICTURES_DIR");
}
