/* outfile.c — output files written whole through a temporary file, or in place when they are devices (outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"

enum { MAX_LINKS = 40 };   /* as the kernel's ELOOP limit */

bool av_is_stdout(const char *path) { return path && strcmp(path, "-") == 0; }

/* "PATH: reason", the path escaped; always -1. */
static int fail(char *err, const char *path, const char *why) {
    if (!err) return -1;
    char shown[AV_ERR_LEN];
    av_escape(shown, sizeof shown / 2, path, strlen(path));
    return av_err(err, "%s: %s", shown, why);
}
static int fail_errno(char *err, const char *path, int e) {
    return fail(err, path, e ? strerror(e) : "write error");
}

static char *dup_str(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (p) { memcpy(p, s, n); p[n] = '\0'; }
    return p;
}

/* Follow the symlink chain from path to the name of the file it ends at
 * (which may not exist yet). malloc'd; NULL with errno set. */
static char *resolve_links(const char *path) {
    char *cur = dup_str(path, strlen(path));
    for (int hops = 0; cur; hops++) {
        struct stat ls;
        if (lstat(cur, &ls) != 0) {
            if (errno == ENOENT) return cur;  /* a new file, here */
            free(cur);
            return NULL;
        }
        if (!S_ISLNK(ls.st_mode)) return cur;
        if (hops == MAX_LINKS) { free(cur); errno = ELOOP; return NULL; }
        size_t cap = (size_t)ls.st_size + 2 > 256 ? (size_t)ls.st_size + 2 : 256;
        char *to = malloc(cap);
        ssize_t n = to ? readlink(cur, to, cap - 1) : -1;
        if (n < 0) { int e = to ? errno : ENOMEM; free(to); free(cur); errno = e; return NULL; }
        to[n] = '\0';
        char *next;
        const char *slash = strrchr(cur, '/');
        if (to[0] == '/' || !slash) next = dup_str(to, (size_t)n);   /* absolute, or beside a link in "." */
        else {                                                    /* relative to the link's folder */
            size_t d = (size_t)(slash - cur) + 1;
            next = malloc(d + (size_t)n + 1);
            if (next) { memcpy(next, cur, d); memcpy(next + d, to, (size_t)n + 1); }
        }
        free(to);
        free(cur);
        if (!next) { errno = ENOMEM; return NULL; }
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

/* The temporary file's name pattern, in the target's folder. */
static char *tmp_pattern(const char *target) {
    const char *slash = strrchr(target, '/');
    size_t dir = slash ? (size_t)(slash - target) + 1 : 0, base = strlen(target) - dir;
    char *t = malloc(dir + base + 32);
    if (!t) return NULL;
    memcpy(t, target, dir);
    if (base <= 200) sprintf(t + dir, "%s.tmp.XXXXXX", target + dir);
    else strcpy(t + dir, "attnviz.tmp.XXXXXX");   /* a long name + suffix would pass NAME_MAX */
    return t;
}

/* A temporary file beside target; old: the file it replaces, or NULL. */
static int open_replace(AvOut *o, const struct stat *old, char *err) {
    o->tmp = tmp_pattern(o->target);
    if (!o->tmp) return fail(err, o->path, "out of memory");
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        return fail_errno(err, o->path, e);
    }
    /* mkstemp made it 0600. Best effort: a folder on a file system without
     * Unix permissions (FAT) refuses fchmod, and the bytes matter more. */
    if (old) {
        (void)fchmod(fd, old->st_mode & 07777);
        if (old->st_uid != geteuid() || old->st_gid != getegid()) (void)fchown(fd, old->st_uid, old->st_gid);
    } else {
        mode_t mask = umask(0);   /* the only way to read it; set back at once */
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        return fail_errno(err, o->path, e);
    }
    o->kind = AV_OUT_REPLACE;
    return 0;
}

/* A device, FIFO or socket (or a file we must not rename, see below). */
static int open_direct(AvOut *o, const struct stat *st, char *err) {
    int flags = O_WRONLY | O_NOCTTY | O_CLOEXEC | (S_ISREG(st->st_mode) ? O_TRUNC : 0);
    int fd = open(o->path, flags);
    if (fd < 0 && errno == ENXIO && S_ISSOCK(st->st_mode)) {   /* open() cannot reach a socket */
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        if (strlen(o->path) >= sizeof sa.sun_path) return fail(err, o->path, "socket path too long");
        strcpy(sa.sun_path, o->path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
            int e = errno;
            close(fd);
            fd = -1;
            errno = e;
        }
    }
    if (fd < 0) return fail_errno(err, o->path, errno);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        int e = errno;
        close(fd);
        return fail_errno(err, o->path, e);
    }
    o->kind = AV_OUT_DIRECT;
    return 0;
}

/* Decide by what the path is: stat() follows links, even /proc's magic
 * ones (/dev/stdout into a pipe is a FIFO here), so it names the kind. */
static int open_path(AvOut *o, char *err) {
    const char *path = o->path;
    size_t len = strlen(path);
    if (len == 0) return av_err(err, "an empty file name: give a file name");
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT) return fail_errno(err, path, errno);
    if ((exists && S_ISDIR(st.st_mode)) || path[len - 1] == '/')
        return fail(err, path, "that is a folder, give a file name");
    if (exists && !S_ISREG(st.st_mode)) return open_direct(o, &st, err);
    o->target = resolve_links(path);
    if (!o->target) return fail_errno(err, path, errno);
    if (exists) {
        /* The chain must end at that very file. A /proc/PID/fd link names a
         * deleted or unnamed file by a made-up path: write it in place. */
        struct stat ts;
        if (lstat(o->target, &ts) != 0 || ts.st_dev != st.st_dev || ts.st_ino != st.st_ino)
            return open_direct(o, &st, err);
    }
    return open_replace(o, exists ? &st : NULL, err);
}

FILE *av_out_open(AvOut *o, const char *path, char *err) {
    memset(o, 0, sizeof *o);
    if (av_is_stdout(path)) {
        o->f = stdout;
        o->kind = AV_OUT_STDOUT;
        return o->f;
    }
    o->path = dup_str(path, strlen(path));
    if (!o->path) { av_err(err, "out of memory"); return NULL; }
    if (open_path(o, err) != 0) {
        free(o->path);
        free(o->target);
        free(o->tmp);
        memset(o, 0, sizeof *o);
        return NULL;
    }
    return o->f;
}

int av_out_finish(AvOut *o, char *err) {
    if (o->kind == AV_OUT_NONE) return av_err(err, "output not open");
    if (o->finished) return 0;
    const char *shown = o->kind == AV_OUT_STDOUT ? "standard output" : o->path;
    int e = 0;
    bool bad = ferror(o->f) != 0;
    if (bad) e = errno;
    errno = 0;
    if (fflush(o->f) != 0) { bad = true; e = errno; }
    if (o->kind != AV_OUT_STDOUT) {
        errno = 0;
        if (fclose(o->f) != 0 && !bad) { bad = true; e = errno; }   /* a full disk often shows only here */
        o->f = NULL;
    }
    if (bad) {
        fail_errno(err, shown, e);
        av_out_abort(o);
        return -1;
    }
    o->finished = true;
    return 0;
}

int av_out_close(AvOut *o, char *err) {
    if (av_out_finish(o, err)) return -1;
    if (o->kind == AV_OUT_REPLACE && rename(o->tmp, o->target) != 0) {
        fail_errno(err, o->path, errno);
        av_out_abort(o);
        return -1;
    }
    free(o->tmp);
    o->tmp = NULL;            /* in place now: abort must not remove it */
    av_out_abort(o);
    return 0;
}

void av_out_abort(AvOut *o) {
    if (o->f && o->kind != AV_OUT_STDOUT) fclose(o->f);
    else if (o->f) fflush(o->f);
    if (o->kind == AV_OUT_REPLACE && o->tmp) unlink(o->tmp);
    free(o->path);
    free(o->target);
    free(o->tmp);
    memset(o, 0, sizeof *o);
}

int av_write_files(const AvFile *files, int n, char *err) {
    AvOut *o = calloc((size_t)(n > 0 ? n : 1), sizeof *o);
    if (!o) return av_err(err, "out of memory");
    int rc = 0, i;
    /* every file opened (a temporary one beside each regular target) before any byte is written */
    for (i = 0; i < n && !rc; i++)
        if (!av_out_open(&o[i], files[i].path, err)) rc = -1;
    for (i = 0; i < n && !rc; i++) {
        errno = 0;
        if (files[i].n && fwrite(files[i].data, 1, files[i].n, o[i].f) != files[i].n) {
            fail_errno(err, o[i].kind == AV_OUT_STDOUT ? "standard output" : files[i].path, errno);
            rc = -1;
        }
    }
    for (i = 0; i < n && !rc; i++) rc = av_out_finish(&o[i], err);   /* every write checked, nothing renamed */
    for (i = 0; i < n && !rc; i++) rc = av_out_close(&o[i], err);    /* then each put in place */
    for (i = 0; i < n; i++) av_out_abort(&o[i]);                     /* the rest, after a failure */
    free(o);
    return rc;
}

int av_write_file(const char *path, const void *data, size_t n, char *err) {
    return av_write_files(&(AvFile){path, data, n}, 1, err);
}
