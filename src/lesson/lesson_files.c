/* lesson_files.c — the course on disk: reading a lesson file, listing a language folder, finding a lesson, a locale's language. */
#include "lesson.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

/* ---- one lesson file ------------------------------------------------------------------- */

int lesson_load(const char *path, Lesson *out, char *err) {
    memset(out, 0, sizeof *out);
    char shown[AV_ERR_LEN / 2];               /* the name as messages show it */
    av_escape(shown, sizeof shown, path, strlen(path));
    FILE *f = fopen(path, "rb");
    if (!f) return av_err(err, "%s: cannot open: %s", shown, strerror(errno));
    char *data = malloc(LESSON_MAX_BYTES + 1);
    if (!data) { fclose(f); return av_err(err, "%s: out of memory", shown); }
    size_t n = fread(data, 1, LESSON_MAX_BYTES + 1, f);
    int rd_err = ferror(f);
    fclose(f);
    if (rd_err) { free(data); return av_err(err, "%s: read error", shown); }
    if (n > LESSON_MAX_BYTES) {
        free(data);
        return av_err(err, "%s:1: file too large (more than %d bytes)", shown, LESSON_MAX_BYTES);
    }
    int rc = lesson_parse(path, data, n, out, err);
    free(data);
    return rc;
}

/* ---- the picker ------------------------------------------------------------------------ */

static int entry_cmp(const void *a, const void *b) {
    const LessonEntry *x = a, *y = b;
    if (x->number != y->number) return x->number < y->number ? -1 : 1;
    return strcmp(x->path, y->path);
}

/* "NN-name.md": 1–3 digits, '-', something, ".md". */
static bool lesson_file_name(const char *n, int *number) {
    int k = 0, num = 0;
    while (isdigit((unsigned char)n[k]) && k < 3) num = num * 10 + (n[k++] - '0');
    size_t len = strlen(n);
    if (k == 0 || n[k] != '-' || len < (size_t)k + 5 || strcmp(n + len - 3, ".md") != 0) return false;
    *number = num;
    return true;
}

/* Copy at most cap-1 bytes, never cutting a UTF-8 sequence in half. */
static void copy_utf8(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n >= cap) n = utf8_floor(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int lesson_list(const char *root, const char *lang, LessonEntry **out, int *n, char *err) {
    *out = NULL; *n = 0;
    char dir[1024];
    if (snprintf(dir, sizeof dir, "%s/%s", root, lang) >= (int)sizeof dir)
        return av_err(err, "%s/%s: path too long", root, lang);
    DIR *d = opendir(dir);
    if (!d) return av_err(err, "%s: cannot read: %s", dir, strerror(errno));
    LessonEntry *v = NULL;
    int count = 0, cap = 0, rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        int num;
        if (!lesson_file_name(de->d_name, &num)) continue;
        if (count == cap) {
            LessonEntry *nv = realloc(v, (size_t)(cap = cap ? 2 * cap : 16) * sizeof *v);
            if (!nv) { rc = av_err(err, "%s: out of memory", dir); break; }
            v = nv;
        }
        LessonEntry *e = &v[count];
        memset(e, 0, sizeof *e);
        e->number = num;
        copy_utf8(e->lang, sizeof e->lang, lang);
        if (snprintf(e->path, sizeof e->path, "%s/%s", dir, de->d_name) >= (int)sizeof e->path) continue;
        Lesson L;
        if (lesson_load(e->path, &L, e->error) == 0) {
            copy_utf8(e->title, sizeof e->title, L.title);
            lesson_free(&L);
        } else copy_utf8(e->title, sizeof e->title, de->d_name);
        count++;
    }
    closedir(d);
    if (rc) { free(v); return -1; }
    if (count) qsort(v, (size_t)count, sizeof *v, entry_cmp);
    *out = v; *n = count;
    return 0;
}

int lesson_find(const char *root, const char *lang, int number, char *path, size_t cap) {
    const char *langs[2] = {lang, "en"};
    for (int i = 0; i < 2; i++) {
        if (!langs[i] || (i == 1 && lang && strcmp(lang, "en") == 0)) continue;
        char dir[1024];
        if (snprintf(dir, sizeof dir, "%s/%s", root, langs[i]) >= (int)sizeof dir) continue;
        DIR *d = opendir(dir);
        if (!d) continue;
        char best[512] = "";
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            int num;
            if (lesson_file_name(de->d_name, &num) && num == number &&
                (!best[0] || strcmp(de->d_name, best) < 0) && strlen(de->d_name) < sizeof best)
                strcpy(best, de->d_name);
        }
        closedir(d);
        if (best[0]) {
            int w = snprintf(path, cap, "%s/%s", dir, best);
            return (w < 0 || (size_t)w >= cap) ? -1 : 0;
        }
    }
    return -1;
}

const char *lesson_lang_from_locale(const char *locale) {
    if (locale && locale[0] == 'k' && locale[1] == 'o' &&
        (locale[2] == '\0' || locale[2] == '_' || locale[2] == '-' || locale[2] == '.'))
        return "ko";
    return "en";
}
