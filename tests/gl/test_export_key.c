/* test_export_key.c — E in the app (src/app/export_key.c): where the files go (src/app/export_path.c: XDG_PICTURES_DIR,
 * user-dirs.dirs, the working directory), their names (never over a file), the PNG equal to `attnviz export`'s, compare mode, and
 * failures (a folder the user cannot write, a full disk) said in one line with nothing left behind. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/app.h"
#include "cli/cli.h"
#include "events.h"
#include "models.h"

static App *app;
static char dir[] = "/tmp/attnviz-export-key-XXXXXX";
static char pics[300], model[300];

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fputs(text, f) >= 0 && fclose(f) == 0, 1);
}

/* $XDG_CONFIG_HOME/user-dirs.dirs naming the pictures folder. */
static void user_dirs(const char *line) {
    char p[400];
    snprintf(p, sizeof p, "%s/user-dirs.dirs", dir);
    write_file(p, line);
}

static void setup(void) {
    char err[AV_ERR_LEN], line[400];
    cr_assert_not_null(mkdtemp(dir));
    save_random_model(dir, SCORE_GENERAL, err);
    save_random_model(dir, SCORE_DOT, err);
    save_random_model(dir, SCORE_NONE, err);
    snprintf(pics, sizeof pics, "%s/Bilder", dir);
    cr_assert_eq(mkdir(pics, 0755), 0);
    snprintf(line, sizeof line, "# written by xdg-user-dirs-update\nXDG_PICTURES_DIR=\"%s\"\n", pics);
    user_dirs(line);
    setenv("XDG_CONFIG_HOME", dir, 1);
    unsetenv("XDG_PICTURES_DIR");
    snprintf(model, sizeof model, "%s/reverse-general.safetensors", dir);
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    app->view.speed = 1;
    app->session.seed = 1;
    snprintf(app->ui.lang, sizeof app->ui.lang, "en");
    cr_assert_eq(app_init_gfx(app, 1280, 720, true, err), 0, "%s", err);
    cr_assert_eq(app_decode(app, model, "abcdef", NULL, false, err), 0, "%s", err);
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
    chmod(pics, 0755);
    remove_folder(dir);
}

TestSuite(export_key, .init = setup, .fini = teardown, .timeout = 120);

static int entries(const char *d) {
    DIR *o = opendir(d);
    cr_assert_not_null(o, "%s", d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(o))) n += e->d_name[0] != '.';
    closedir(o);
    return n;
}

static unsigned char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    cr_assert_eq(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* The file at a equals the file at b, byte for byte. */
static void same_bytes(const char *a, const char *b) {
    size_t na, nb;
    unsigned char *pa = slurp(a, &na), *pb = slurp(b, &nb);
    cr_assert(na == nb && memcmp(pa, pb, na) == 0, "%s (%zu bytes) differs from %s (%zu bytes)", a, na, b, nb);
    free(pa);
    free(pb);
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

/* The text of the frame's status row in the title's place (VIZ_TAG_STATUS), or NULL; and whether the title line is drawn. */
static const char *status_row(bool *title) {
    app_build_frame(app, 1280, 720);
    const DrawList *dl = &app->w.dl;
    const char *s = NULL;
    *title = false;
    for (int i = 0; i < dl->n; i++) {
        if (dl->cmds[i].tag == VIZ_TAG_STATUS && dl->cmds[i].kind == DL_TEXT) s = dl_str(dl, &dl->cmds[i]);
        *title |= dl->cmds[i].tag == VIZ_TAG_TITLE;
    }
    return s;
}

/* `attnviz export` itself, in this process. */
static void cli_export(const char *out, bool dark) {
    char *argv[] = {"export", "--model", model, "--input", "abcdef", "--out", (char *)out, "--theme",
                    dark ? "dark" : "light", NULL};
    FILE *was = stdout;
    stdout = fopen("/dev/null", "w");   /* its "wrote ..." line */
    int rc = cmd_export(9, argv);
    fclose(stdout);
    stdout = was;
    cr_assert_eq(rc, 0, "attnviz export failed");
}

Test(export_key, e_writes_the_png_and_csv_into_the_pictures_folder_never_over_a_file) {
    char png[400], csv[400], png2[400], cli[400];
    snprintf(png, sizeof png, "%s/attnviz-reverse-general-abcdef.png", pics);
    snprintf(csv, sizeof csv, "%s/attnviz-reverse-general-abcdef.csv", pics);
    snprintf(png2, sizeof png2, "%s/attnviz-reverse-general-abcdef-2.png", pics);
    send_key(app, SDLK_e, 0);
    cr_assert(exists(png) && exists(csv), "message: %s", app->ui.message);
    cr_assert(strstr(app->ui.message, png) && strstr(app->ui.message, "attnviz-reverse-general-abcdef.csv"),
              "the status line names the files: %s", app->ui.message);
    cr_assert(app->ui.message_ok);
    /* the status row at the bottom says it too, in the title line's place, until the next key */
    bool title;
    const char *row = status_row(&title);
    cr_assert(row && strstr(row, "saved /tmp/") == row && strstr(row, "abcdef.png (+ .csv)") && !title, "the status row: '%s'",
              row ? row : "(none)");
    send_key(app, SDLK_RIGHT, 0);
    cr_assert_null(status_row(&title), "the status row after the next key");
    cr_assert(title, "the title line is back after the next key");
    /* the same figure as the command line's */
    snprintf(cli, sizeof cli, "%s/cli.png", dir);
    cli_export(cli, false);
    same_bytes(png, cli);
    /* the CSV: a header of source tokens, one row per step */
    size_t n;
    char *text = (char *)slurp(csv, &n);
    text[n] = 0;
    int lines = 0;
    for (size_t i = 0; i < n; i++) lines += text[i] == '\n';
    cr_assert_eq(lines, 1 + app->session.trace.T, "%s", text);
    free(text);
    /* again: -2, the first files untouched */
    struct stat before;
    cr_assert_eq(stat(png, &before), 0);
    send_key(app, SDLK_d, 0);   /* the dark theme, as --theme dark */
    send_key(app, SDLK_e, 0);
    cr_assert(exists(png2), "message: %s", app->ui.message);
    cli_export(cli, true);
    same_bytes(png2, cli);
    /* a .csv alone in the way also moves the name on */
    char csv3[400];
    snprintf(csv3, sizeof csv3, "%s/attnviz-reverse-general-abcdef-3.csv", pics);
    write_file(csv3, "mine\n");
    send_key(app, SDLK_e, 0);
    char png4[400];
    snprintf(png4, sizeof png4, "%s/attnviz-reverse-general-abcdef-4.png", pics);
    cr_assert(exists(png4), "message: %s", app->ui.message);
    size_t m;
    char *mine = (char *)slurp(csv3, &m);
    cr_assert(m == 5 && memcmp(mine, "mine\n", 5) == 0, "a file in the way is never written over");
    free(mine);
    struct stat after;
    cr_assert_eq(stat(png, &after), 0);
    cr_assert_eq(after.st_mtime, before.st_mtime);
    cr_assert_eq(after.st_size, before.st_size);
}

Test(export_key, compare_exports_what_is_on_screen) {
    send_key(app, SDLK_c, 0);
    cr_assert_eq(app->cmp.mode, CMP_SCORE, "%s", app->ui.message);
    send_key(app, SDLK_e, 0);
    char png[400], one[400];
    snprintf(png, sizeof png, "%s/attnviz-reverse-general-vs-dot-abcdef.png", pics);
    cr_assert(exists(png), "message: %s", app->ui.message);
    snprintf(one, sizeof one, "%s/one.png", dir);
    cli_export(one, false);
    size_t n2, n1;
    unsigned char *b2 = slurp(png, &n2), *b1 = slurp(one, &n1);
    /* PNG width: bytes 16..19 of IHDR */
    unsigned w2 = (unsigned)b2[16] << 24 | (unsigned)b2[17] << 16 | (unsigned)b2[18] << 8 | b2[19];
    unsigned w1 = (unsigned)b1[16] << 24 | (unsigned)b1[17] << 16 | (unsigned)b1[18] << 8 | b1[19];
    cr_assert_gt(w2, w1 * 3 / 2, "two panels side by side (%u vs %u px)", w2, w1);
    free(b1);
    free(b2);
}

Test(export_key, a_model_without_attention_has_nothing_to_export) {
    send_key(app, SDLK_1, 0);
    cr_assert_eq(app->session.trace.cfg.score, SCORE_NONE, "%s", app->ui.message);
    send_key(app, SDLK_e, 0);
    cr_assert(strstr(app->ui.message, "no attention"), "%s", app->ui.message);
    cr_assert_not(app->ui.message_ok);
    cr_assert_eq(entries(pics), 0);
}

/* A folder the user may not write (as root: E runs in a child that is the
 * nobody user), and a full disk: one line each, nothing left behind. */
Test(export_key, failures_are_one_line_and_leave_nothing) {
    cr_assert_eq(chmod(dir, 0755), 0);
    cr_assert_eq(chmod(pics, 0555), 0);
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        close(fd[0]);
        if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
        app_export(app);
        ssize_t w = write(fd[1], app->ui.message, strlen(app->ui.message));
        _exit(w < 0 ? 4 : 0);
    }
    close(fd[1]);
    char msg[700] = "";
    ssize_t got = read(fd[0], msg, sizeof msg - 1);
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child failed (%d)", status);
    msg[got > 0 ? got : 0] = 0;
    cr_log_info("read-only: %s", msg);
    cr_assert(strstr(msg, "export failed") && strstr(msg, pics) && !strchr(msg, '\n'), "read-only: '%s'", msg);
    cr_assert_eq(entries(pics), 0);
    cr_assert_eq(chmod(pics, 0755), 0);
    /* a full disk (a file size limit: the write fails with EFBIG) */
    struct rlimit old, small;
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = (struct rlimit){.rlim_cur = 1000, .rlim_max = old.rlim_max};
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    send_key(app, SDLK_e, 0);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    cr_assert(strstr(app->ui.message, "export failed") && !strchr(app->ui.message, '\n'), "full: '%s'",
              app->ui.message);
    cr_assert_eq(entries(pics), 0, "no half-written file, no temporary file");
}

/* XDG_PICTURES_DIR, else as user-dirs.dirs says it, else the working folder. */
Test(export_key, the_pictures_folder_is_found_as_the_desktop_finds_it) {
    char out[1024], want[1024], home[400], cwd[1024];
    const char *old_home = getenv("HOME");
    char saved[1024];
    snprintf(saved, sizeof saved, "%s", old_home ? old_home : "");
    snprintf(home, sizeof home, "%s/home", dir);
    cr_assert_eq(mkdir(home, 0755), 0);
    setenv("HOME", home, 1);
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    /* $HOME-relative, the last assignment wins, comments skipped */
    snprintf(want, sizeof want, "%s/Fotos", home);
    cr_assert_eq(mkdir(want, 0755), 0);
    user_dirs("XDG_PICTURES_DIR=\"$HOME/Nope\"\n# XDG_PICTURES_DIR=\"/tmp\"\nXDG_PICTURES_DIR=\"$HOME/Fotos\"\n");
    cr_assert(app_pictures_dir(out, sizeof out));
    cr_assert_str_eq(out, want);
    /* the variable wins when its folder exists */
    setenv("XDG_PICTURES_DIR", pics, 1);
    cr_assert(app_pictures_dir(out, sizeof out));
    cr_assert_str_eq(out, pics);
    setenv("XDG_PICTURES_DIR", "/nonexistent-attnviz", 1);
    cr_assert(app_pictures_dir(out, sizeof out));
    cr_assert_str_eq(out, want);
    unsetenv("XDG_PICTURES_DIR");
    /* the named folder does not exist: the working folder */
    user_dirs("XDG_PICTURES_DIR=\"$HOME/Nope\"\n");
    cr_assert(app_pictures_dir(out, sizeof out));
    cr_assert_str_eq(out, cwd);
    /* "$HOME/" means the pictures folder is disabled (not $HOME); no XDG_CONFIG_HOME: ~/.config */
    unsetenv("XDG_CONFIG_HOME");
    char conf[500];
    snprintf(conf, sizeof conf, "%s/.config", home);
    cr_assert_eq(mkdir(conf, 0755), 0);
    snprintf(conf, sizeof conf, "%s/.config/user-dirs.dirs", home);
    write_file(conf, "XDG_PICTURES_DIR=\"$HOME/\"\n");
    cr_assert(app_pictures_dir(out, sizeof out));
    cr_assert_str_eq(out, cwd);
    write_file(conf, "XDG_PICTURES_DIR=\"$HOME/Fotos\"\n");
    cr_assert(app_pictures_dir(out, sizeof out));
    cr_assert_str_eq(out, want);
    if (saved[0]) setenv("HOME", saved, 1);
    else unsetenv("HOME");
    setenv("XDG_CONFIG_HOME", dir, 1);
}
