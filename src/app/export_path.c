/* export_path.c — where the app's exports go (the XDG pictures folder, else the working one) and what they are called (the model, the input, never an existing file's name).
 *
 * The pictures folder is what `xdg-user-dir PICTURES` prints: the
 * XDG_PICTURES_DIR variable when set, else the XDG_PICTURES_DIR="…" line
 * of $XDG_CONFIG_HOME/user-dirs.dirs (~/.config/user-dirs.dirs), with
 * "$HOME" expanded. A folder that does not exist is skipped: the export
 * goes to the working folder instead, where a user who started the app
 * from a terminal looks first.
 */
#include "app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/utf8.h"

static bool is_dir(const char *p) {
    struct stat sb;
    return p && p[0] == '/' && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* XDG_PICTURES_DIR="…" of a user-dirs.dirs file, as the shell that sources
 * it reads it: the last assignment wins, \\ escapes, "$HOME/…" or an absolute
 * path; "$HOME/" alone means the folder is disabled. */
static bool from_user_dirs(const char *file, const char *home, char *out, size_t cap) {
    FILE *f = fopen(file, "r");
    if (!f) return false;
    char line[2048];
    bool found = false;
    while (fgets(line, sizeof line, f)) {
        const char *p = line + strspn(line, " \t");
        if (strncmp(p, "XDG_PICTURES_DIR=\"", 18) != 0) continue;
        p += 18;
        char val[2048];
        size_t n = 0;
        for (; *p && *p != '"' && n + 1 < sizeof val; p++) {
            if (*p == '\\' && p[1]) p++;
            val[n++] = *p;
        }
        val[n] = 0;
        if (*p != '"') continue;
        int w = -1;
        if (strncmp(val, "$HOME", 5) == 0 && (val[5] == '/' || !val[5])) {
            const char *rest = val + 5 + strspn(val + 5, "/");
            if (*rest && home) w = snprintf(out, cap, "%s/%s", home, rest);
        } else if (val[0] == '/') {
            w = snprintf(out, cap, "%s", val);
        }
        found = w > 0 && (size_t)w < cap;
    }
    fclose(f);
    return found && is_dir(out);
}

bool app_pictures_dir(char *out, size_t cap) {
    const char *env = getenv("XDG_PICTURES_DIR");
    if (is_dir(env) && strlen(env) < cap) { snprintf(out, cap, "%s", env); return true; }
    const char *home = getenv("HOME"), *cfg = getenv("XDG_CONFIG_HOME");
    if (home && home[0] != '/') home = NULL;
    char file[2048];
    int w = cfg && cfg[0] == '/' ? snprintf(file, sizeof file, "%s/user-dirs.dirs", cfg)
            : home               ? snprintf(file, sizeof file, "%s/.config/user-dirs.dirs", home)
                                 : -1;
    if (w > 0 && (size_t)w < sizeof file && from_user_dirs(file, home, out, cap)) return true;
    return getcwd(out, cap) != NULL;
}

/* Append s to the name: letters, digits, '_', '.' and any non-ASCII
 * character kept whole, every other run of bytes one '-'; at most max bytes. */
static void put_safe(char *name, size_t cap, const char *s, size_t max) {
    size_t n = strlen(name), start = n;
    while (*s) {
        const char *c = s;
        uint32_t cp = utf8_next(&s);
        size_t k = (size_t)(s - c);
        bool keep = cp >= 0x80 || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                    cp == '_' || cp == '.';
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFFFD) keep = false;
        if (!keep) k = 1;
        if (n + k + 1 > cap || n - start + k > max) break;
        if (!keep && (n == start || name[n - 1] == '-')) continue;
        if (keep) memcpy(name + n, c, k);
        else name[n] = '-';
        n += k;
    }
    while (n > start && name[n - 1] == '-') n--;
    name[n] = '\0';
}

/* 1 when something is at p (a dangling symlink too), 0 when nothing is,
 * -1 when p cannot be looked at. */
static int exists(const char *p) {
    struct stat sb;
    if (lstat(p, &sb) == 0) return 1;
    return errno == ENOENT ? 0 : -1;
}

bool app_export_stem(const App *a, const char *label, const char *const *exts, char *out, size_t cap) {
    char dir[900], name[200] = "attnviz-";
    if (!app_pictures_dir(dir, sizeof dir)) return false;
    const char *model = strrchr(a->session.model_path, '/');
    model = model ? model + 1 : a->session.model_path;
    char stem[80];
    snprintf(stem, sizeof stem, "%.79s", model);
    char *dot = strstr(stem, ".safetensors");
    if (dot) *dot = '\0';
    put_safe(name, sizeof name, stem[0] ? stem : "demo", 60);
    const char *parts[2] = {label, a->session.input};
    for (int i = 0; i < 2; i++) {
        if (!parts[i] || !parts[i][0]) continue;
        strcat(name, "-");
        put_safe(name, sizeof name, parts[i], i ? 48 : 40);
        if (name[strlen(name) - 1] == '-') name[strlen(name) - 1] = '\0';   /* symbols only */
    }
    for (int k = 1; k < 1000; k++) {
        char suffix[16] = "";
        if (k > 1) snprintf(suffix, sizeof suffix, "-%d", k);
        int w = snprintf(out, cap, "%s/%s%s", dir, name, suffix);
        if (w < 0 || (size_t)w + 8 >= cap) return false;
        bool taken = false;
        for (int e = 0; exts[e] && !taken; e++) {
            char path[1200];
            snprintf(path, sizeof path, "%s.%s", out, exts[e]);
            taken = exists(path) != 0;   /* a file we cannot look at is taken too */
        }
        if (!taken) return true;
    }
    return false;
}

bool app_export_path(const App *a, const char *ext, char *out, size_t cap) {
    const char *exts[] = {ext, NULL};
    if (!app_export_stem(a, NULL, exts, out, cap)) return false;
    size_t n = strlen(out);
    return snprintf(out + n, cap - n, ".%s", ext) < (int)(cap - n);
}
