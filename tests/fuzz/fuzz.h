/* fuzz.h — what the fuzz targets share (tests/fuzz/README.md).
 *
 * The loaders under test take a path, as the app calls them, so the bytes
 * libFuzzer hands over are put into a memfd and the loader opens
 * /proc/self/fd/N: the same fopen/fread path a real file takes, no disk
 * traffic. Writers under test get a private scratch folder, removed at
 * exit. Header-only: every target is one .c file plus this.
 */
#ifndef FUZZ_H
#define FUZZ_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE  /* memfd_create */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/utf8.h"

/* Stop the run: libFuzzer saves the input that got here as a crash. */
#define FUZZ_CHECK(cond, ...)                                                 \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "fuzz check failed: %s: ", #cond);                \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* A refusal is one printable line (BRIEF): not empty, valid UTF-8, no
 * control character (newline, ESC, CR, DEL), starting with the file's name. */
static inline void fuzz_one_line(const char *err, const char *name) {
    size_t n = strlen(err);
    FUZZ_CHECK(n > 0, "a refusal with no message");
    FUZZ_CHECK(strncmp(err, name, strlen(name)) == 0, "the refusal does not name %s: %s", name, err);
    FUZZ_CHECK(utf8_invalid_at(err, n) < 0, "the refusal is not valid UTF-8");
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK((unsigned char)err[i] >= 0x20 && err[i] != 0x7F, "the refusal holds byte 0x%02X at %zu",
                   (unsigned char)err[i], i);
}

/* A path whose contents are exactly data[0..size). Valid until the next call. */
static inline const char *fuzz_as_file(const uint8_t *data, size_t size) {
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz-input", 0);
        FUZZ_CHECK(fd >= 0, "memfd_create");
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    FUZZ_CHECK(ftruncate(fd, 0) == 0, "ftruncate");
    for (size_t done = 0; done < size;) {
        ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
        FUZZ_CHECK(n > 0, "pwrite");
        done += (size_t)n;
    }
    return path;
}

/* A private folder for outputs, made on first use and removed (with the
 * files named through fuzz_scratch) when the process exits normally. */
static char fuzz_dir[64];
static char fuzz_files[4][128];
static int fuzz_n_files;

static inline void fuzz_cleanup(void) {
    for (int i = 0; i < fuzz_n_files; i++) unlink(fuzz_files[i]);
    if (fuzz_dir[0]) rmdir(fuzz_dir);
}

/* The path of `name` inside the scratch folder (at most 4 names). */
static inline const char *fuzz_scratch(const char *name) {
    if (!fuzz_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/attnviz-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        FUZZ_CHECK(mkdtemp(fuzz_dir), "mkdtemp %s", fuzz_dir);
        atexit(fuzz_cleanup);
    }
    for (int i = 0; i < fuzz_n_files; i++)
        if (strcmp(strrchr(fuzz_files[i], '/') + 1, name) == 0) return fuzz_files[i];
    FUZZ_CHECK(fuzz_n_files < 4, "too many scratch files");
    char *p = fuzz_files[fuzz_n_files++];
    snprintf(p, sizeof fuzz_files[0], "%s/%s", fuzz_dir, name);
    return p;
}

#endif
