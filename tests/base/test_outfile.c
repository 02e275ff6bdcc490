/* test_outfile.c — the one file writer (base/outfile.h): new and replaced files,
 * failures that leave the old file, symlinks written through, FIFOs and
 * devices written in place and never replaced, "-" as standard output.
 *
 * Everything happens in a scratch folder from mkdtemp; a device is reached
 * only through a symlink in that folder (never by replacing a /dev path).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"
#include "base/outfile.h"

static char dir[64];

static void scratch(void) {
    snprintf(dir, sizeof dir, "/tmp/attnviz-outfile-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}
static void cleanup(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
TestSuite(outfile, .init = scratch, .fini = cleanup);

static const char *in_dir(const char *name) {
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static void put(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
}

/* The whole file, NUL-terminated (static; "" when missing). */
static const char *slurp(const char *path) {
    static char buf[1 << 16];
    FILE *f = fopen(path, "rb");
    if (!f) return "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* Entries of the scratch folder, "." and ".." excluded. */
static int entries(void) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static mode_t current_umask(void) {
    mode_t m = umask(0);
    umask(m);
    return m;
}

Test(outfile, a_new_file_gets_the_bytes_and_the_umask) {
    char err[AV_ERR_LEN];
    const char *p = in_dir("new.txt");
    cr_assert_eq(av_write_file(p, "hello\n", 6, err), 0, "%s", err);
    cr_expect_str_eq(slurp(p), "hello\n");
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0666 & ~current_umask(), "mode %o", st.st_mode & 07777);
    cr_expect_eq(entries(), 1, "a temporary file was left behind");
}

Test(outfile, a_regular_file_is_replaced_keeping_its_permission_bits) {
    char err[AV_ERR_LEN];
    const char *p = in_dir("old.txt");
    put(p, "old contents, longer than the new ones");
    cr_assert_eq(chmod(p, 0640), 0);
    struct stat before;
    cr_assert_eq(stat(p, &before), 0);
    cr_assert_eq(av_write_file(p, "new", 3, err), 0, "%s", err);
    cr_expect_str_eq(slurp(p), "new");
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0640, "mode %o", st.st_mode & 07777);
    cr_expect(S_ISREG(st.st_mode));
    cr_expect_neq(st.st_ino, before.st_ino, "replaced by rename, not rewritten in place");
    cr_expect_eq(entries(), 1);
}

Test(outfile, a_stream_is_written_whole_and_an_abort_leaves_the_old_file) {
    char err[AV_ERR_LEN];
    const char *p = in_dir("stream.json");
    put(p, "old");
    AvOut o;
    FILE *f = av_out_open(&o, p, err);
    cr_assert_not_null(f, "%s", err);
    for (int i = 0; i < 10000; i++) fprintf(f, "%d,", i);
    cr_expect_str_eq(slurp(p), "old", "visible before close");
    av_out_abort(&o);
    cr_expect_str_eq(slurp(p), "old");
    cr_expect_eq(entries(), 1, "the temporary file stayed after abort");
    f = av_out_open(&o, p, err);
    cr_assert_not_null(f, "%s", err);
    fprintf(f, "{\"n\": %d}\n", 42);
    cr_assert_eq(av_out_close(&o, err), 0, "%s", err);
    cr_expect_str_eq(slurp(p), "{\"n\": 42}\n");
    cr_expect_eq(entries(), 1);
    av_out_abort(&o);   /* harmless after close */
}

/* In a child limited to 1000 bytes per file, with SIGXFSZ ignored so that
 * write() fails with EFBIG as on a full disk. */
Test(outfile, a_failed_write_leaves_the_old_file_and_no_temporary) {
    const char *p = in_dir("keep.bin");
    put(p, "precious");
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        close(fds[0]);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {1000, 1000};
        if (setrlimit(RLIMIT_FSIZE, &rl)) _exit(3);
        static char big[100000];
        memset(big, 'x', sizeof big);
        char e[AV_ERR_LEN] = "";
        int rc = av_write_file(p, big, sizeof big, e);
        if (write(fds[1], e, strlen(e) + 1) < 0) _exit(4);
        /* the streamed way fails the same way */
        AvOut o;
        FILE *f = av_out_open(&o, p, e);
        if (!f) _exit(5);
        for (int i = 0; i < 20000; i++) fprintf(f, "%d\n", i);
        int rc2 = av_out_close(&o, e);
        _exit(rc == -1 && rc2 == -1 ? 0 : 1);
    }
    close(fds[1]);
    char msg[AV_ERR_LEN] = "";
    ssize_t got = read(fds[0], msg, sizeof msg - 1);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status), "the child died");
    cr_expect_eq(WEXITSTATUS(status), 0, "a write past the limit did not fail");
    cr_expect_gt(got, 0);
    cr_expect(strstr(msg, p) && strstr(msg, "too large"), "message: %s", msg);
    cr_expect(!strchr(msg, '\n'), "one line");
    cr_expect_str_eq(slurp(p), "precious", "the old file was touched");
    cr_expect_eq(entries(), 1, "a temporary file was left behind");
}

Test(outfile, a_symlink_is_written_through_and_stays_a_link) {
    char err[AV_ERR_LEN];
    const char *target = in_dir("real.txt"), *link = in_dir("link.txt");
    put(target, "before");
    cr_assert_eq(chmod(target, 0604), 0);
    cr_assert_eq(symlink("real.txt", link), 0);          /* relative, as people make them */
    cr_assert_eq(av_write_file(link, "after", 5, err), 0, "%s", err);
    struct stat ls, st;
    cr_assert_eq(lstat(link, &ls), 0);
    cr_expect(S_ISLNK(ls.st_mode), "the link was replaced by a file");
    char to[64] = "";
    cr_assert_gt(readlink(link, to, sizeof to - 1), 0);
    cr_expect_str_eq(to, "real.txt");
    cr_expect_str_eq(slurp(target), "after");
    cr_assert_eq(stat(target, &st), 0);
    cr_expect_eq(st.st_mode & 07777, 0604);
    cr_expect_eq(entries(), 2);
    /* a chain of two links, the last one dangling: the file is created */
    const char *l2 = in_dir("l2"), *l1 = in_dir("l1");
    cr_assert_eq(symlink("made.txt", l2), 0);
    cr_assert_eq(symlink("l2", l1), 0);
    cr_assert_eq(av_write_file(l1, "made", 4, err), 0, "%s", err);
    cr_expect_str_eq(slurp(in_dir("made.txt")), "made");
    cr_assert_eq(lstat(l1, &ls), 0);
    cr_expect(S_ISLNK(ls.st_mode));
    cr_assert_eq(lstat(l2, &ls), 0);
    cr_expect(S_ISLNK(ls.st_mode));
}

Test(outfile, a_symlink_loop_is_refused_in_one_line) {
    char err[AV_ERR_LEN];
    cr_assert_eq(symlink("b", in_dir("a")), 0);
    cr_assert_eq(symlink("a", in_dir("b")), 0);
    cr_expect_eq(av_write_file(in_dir("a"), "x", 1, err), -1);
    cr_expect(strstr(err, "symbolic links"), "%s", err);
    cr_expect_eq(entries(), 2);
}

Test(outfile, a_fifo_is_written_in_place_and_stays_a_fifo) {
    char err[AV_ERR_LEN];
    const char *fifo = in_dir("pipe"), *copy = in_dir("copy.txt");
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();   /* the reader: the FIFO's bytes into copy.txt */
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        int in = open(fifo, O_RDONLY), out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0) _exit(2);
        char b[4096];
        ssize_t n;
        while ((n = read(in, b, sizeof b)) > 0)
            if (write(out, b, (size_t)n) != n) _exit(3);
        _exit(close(out) == 0 ? 0 : 4);
    }
    int rc = av_write_file(fifo, "through the pipe\n", 17, err);
    int status;
    waitpid(pid, &status, 0);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    cr_expect_str_eq(slurp(copy), "through the pipe\n");
    struct stat st;
    cr_assert_eq(lstat(fifo, &st), 0);
    cr_expect(S_ISFIFO(st.st_mode), "the FIFO was replaced");
    cr_expect_eq(entries(), 2, "a temporary file was left behind");
}

Test(outfile, a_symlink_to_a_device_writes_to_the_device_and_replaces_nothing) {
    char err[AV_ERR_LEN];
    struct stat dev0, dev1, ls;
    cr_assert_eq(stat("/dev/null", &dev0), 0);
    cr_assert(S_ISCHR(dev0.st_mode));
    const char *link = in_dir("null");
    cr_assert_eq(symlink("/dev/null", link), 0);
    cr_assert_eq(av_write_file(link, "gone", 4, err), 0, "%s", err);
    AvOut o;   /* the streamed way too */
    FILE *f = av_out_open(&o, link, err);
    cr_assert_not_null(f, "%s", err);
    fprintf(f, "also gone\n");
    cr_assert_eq(av_out_close(&o, err), 0, "%s", err);
    cr_assert_eq(lstat(link, &ls), 0);
    cr_expect(S_ISLNK(ls.st_mode), "the link was replaced");
    char to[64] = "";
    cr_assert_gt(readlink(link, to, sizeof to - 1), 0);
    cr_expect_str_eq(to, "/dev/null");
    cr_assert_eq(stat("/dev/null", &dev1), 0);
    cr_expect(S_ISCHR(dev1.st_mode), "/dev/null is no longer a character device");
    cr_expect(dev1.st_ino == dev0.st_ino && dev1.st_rdev == dev0.st_rdev, "/dev/null was replaced");
    cr_expect_eq(entries(), 1, "a temporary file was left behind");
}

Test(outfile, dash_is_standard_output) {
    char err[AV_ERR_LEN];
    const char *cap = in_dir("stdout.txt");
    fflush(stdout);
    int saved = dup(1), fd = open(cap, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert(saved >= 0 && fd >= 0);
    cr_assert_eq(dup2(fd, 1), 1);
    close(fd);
    int rc = av_write_file("-", "to stdout\n", 10, err);
    AvOut o;
    FILE *f = av_out_open(&o, "-", err);
    if (f) fprintf(f, "and streamed\n");
    int rc2 = f ? av_out_close(&o, err) : -1;
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    cr_expect_eq(rc, 0, "%s", err);
    cr_expect_eq(f, stdout);
    cr_expect_eq(rc2, 0, "%s", err);
    cr_expect_str_eq(slurp(cap), "to stdout\nand streamed\n");
    cr_expect(av_is_stdout("-") && !av_is_stdout("-x") && !av_is_stdout(NULL));
    cr_expect_eq(entries(), 1);
}

Test(outfile, bad_paths_are_one_line_naming_the_path) {
    char err[AV_ERR_LEN];
    cr_expect_eq(av_write_file(dir, "x", 1, err), -1);
    cr_expect(strstr(err, dir) && strstr(err, "folder"), "%s", err);
    const char *missing = in_dir("no/such/a.txt");
    cr_expect_eq(av_write_file(missing, "x", 1, err), -1);
    cr_expect(strstr(err, missing) && strstr(err, "No such file"), "%s", err);
    cr_expect_eq(av_write_file("", "x", 1, err), -1);
    cr_expect(strstr(err, "empty"), "%s", err);
    cr_expect_eq(av_write_file(in_dir("sub/"), "x", 1, err), -1);
    cr_expect(strstr(err, "folder"), "%s", err);
    /* a name with a newline and ESC is shown escaped: still one line */
    cr_expect_eq(av_write_file(in_dir("no/bad\n\x1b[2Jname"), "x", 1, err), -1);
    cr_expect(!strchr(err, '\n') && !strchr(err, '\x1b'), "%s", err);
    cr_expect(strstr(err, "bad\\x0A\\x1B[2Jname"), "%s", err);
    cr_expect_eq(entries(), 0, "something was created");
}

Test(outfile, several_files_all_or_nothing) {
    char err[AV_ERR_LEN];
    const char *a = in_dir("a.npy"), *b = in_dir("no/such/dir/a.json");
    put(a, "old a");
    AvOut oa, ob;
    cr_assert_not_null(av_out_open(&oa, a, err), "%s", err);
    cr_expect_null(av_out_open(&ob, b, err));   /* the second cannot be opened: give up on both */
    av_out_abort(&oa);
    av_out_abort(&ob);
    cr_expect_str_eq(slurp(a), "old a");
    cr_expect_eq(entries(), 1);
    const char *c = in_dir("c.json");
    FILE *fa = av_out_open(&oa, a, err), *fc = av_out_open(&ob, c, err);
    cr_assert(fa && fc, "%s", err);
    fputs("new a", fa);
    fputs("new c", fc);
    cr_assert_eq(av_out_finish(&oa, err), 0, "%s", err);
    cr_assert_eq(av_out_finish(&ob, err), 0, "%s", err);
    cr_expect_str_eq(slurp(a), "old a", "finish must not rename");
    cr_assert_eq(av_out_close(&oa, err), 0, "%s", err);
    cr_assert_eq(av_out_close(&ob, err), 0, "%s", err);
    cr_expect_str_eq(slurp(a), "new a");
    cr_expect_str_eq(slurp(c), "new c");
    cr_expect_eq(entries(), 2);
}

/* av_write_files: three files, the last one too large for the file size
 * limit (the first two fit): no file changes and no temporary stays. Then
 * a third that cannot even be opened. Then all three written. */
Test(outfile, write_files_is_all_or_nothing) {
    const char *a = in_dir("a.png"), *b = in_dir("b.csv"), *c = in_dir("c.npy");
    put(a, "old a");
    put(b, "old b");
    static char big[100000];
    memset(big, 'x', sizeof big);
    AvFile files[3] = {{a, "new a", 5}, {b, "new b", 5}, {c, big, sizeof big}};
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {1000, 1000};
        if (setrlimit(RLIMIT_FSIZE, &rl)) _exit(3);
        char e[AV_ERR_LEN] = "";
        _exit(av_write_files(files, 3, e) == -1 && strstr(e, "c.npy") && strstr(e, "too large") ? 0 : 1);
    }
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the failing write did not fail, naming c.npy");
    cr_expect_str_eq(slurp(a), "old a", "a.png was replaced although c.npy failed");
    cr_expect_str_eq(slurp(b), "old b", "b.csv was replaced although c.npy failed");
    cr_expect_eq(entries(), 2, "a temporary file was left behind, or c.npy created");

    char err[AV_ERR_LEN];
    files[2] = (AvFile){in_dir("no/such/c.npy"), "c", 1};
    cr_expect_eq(av_write_files(files, 3, err), -1);
    cr_expect(strstr(err, "no/such/c.npy"), "%s", err);
    cr_expect_str_eq(slurp(a), "old a");
    cr_expect_eq(entries(), 2);

    files[2] = (AvFile){c, "new c", 5};
    cr_assert_eq(av_write_files(files, 3, err), 0, "%s", err);
    cr_expect_str_eq(slurp(a), "new a");
    cr_expect_str_eq(slurp(b), "new b");
    cr_expect_str_eq(slurp(c), "new c");
    cr_expect_eq(entries(), 3);
}
