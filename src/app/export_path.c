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

/* XDG_PICTURES_DIR="$HOME/Pictures" from user-dirs.dirs, expanded. */
static bool from_user_dirs(char *out, size_t cap) {
    const char *home = getenv("HOME"), *cfg = getenv("XDG_CONFIG_HOME");
    char path[1024];
    if (cfg && cfg[0] == '/') snprintf(path, sizeof path, "%s/user-dirs.dirs", cfg);
    else if (home && home[0] == '/') snprintf(path, sizeof path, "%s/.config/user-dirs.dirs", home);
    else return false;
    FILE *f = fopen(path, "r");
    if (!f) return false;
    char line[1200];
    bool ok = false;
    while (!ok && fgets(line, sizeof line, f)) {
        const char *v = line;
        while (*v == ' ' || *v == '\t') v++;
        if (strncmp(v, "XDG_PICTURES_DIR=\"", 18) != 0) continue;
        v += 18;
        const char *end = strchr(v, '"');
        if (!end) continue;
        int n = (int)(end - v);
        if (strncmp(v, "$HOME", 5) == 0 && home) snprintf(out, cap, "%s%.*s", home, n - 5, v + 5);
        else snprintf(out, cap, "%.*s", n, v);
        ok = is_dir(out);
    }
    fclose(f);
    return ok;
}

bool app_pictures_dir(char *out, size_t cap) {
    const char *env = getenv("XDG_PICTURES_DIR");
    if (is_dir(env) && strlen(env) < cap) { snprintf(out, cap, "%s", env); return true; }
    if (from_user_dirs(out, cap)) return true;
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

bool app_export_path(const App *a, const char *ext, char *out, size_t cap) {
    char dir[900], name[160] = "attnviz-";
    if (!app_pictures_dir(dir, sizeof dir)) return false;
    const char *model = strrchr(a->session.model_path, '/');
    model = model ? model + 1 : a->session.model_path;
    char stem[80];
    snprintf(stem, sizeof stem, "%.79s", model);
    char *dot = strstr(stem, ".safetensors");
    if (dot) *dot = '\0';
    put_safe(name, sizeof name, stem[0] ? stem : "demo", 60);
    if (a->session.input[0]) {
        strcat(name, "-");
        put_safe(name, sizeof name, a->session.input, 48);
        if (name[strlen(name) - 1] == '-') name[strlen(name) - 1] = '\0';   /* an input of symbols only */
    }
    for (int k = 1; k < 1000; k++) {
        if (k == 1) snprintf(out, cap, "%s/%s.%s", dir, name, ext);
        else snprintf(out, cap, "%s/%s-%d.%s", dir, name, k, ext);
        if (access(out, F_OK) != 0) return true;
    }
    return false;
}
