/* files.c — finding shaders/, assets/models/ and lessons/ next to the executable (or an install prefix), never the working folder. */
#include "app.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first of <base>/<rel> for rel in rels that exists (a directory or a
 * file), into out. */
static bool find_near_exe(const char *const *rels, int n, char *out, size_t cap) {
    char *base = SDL_GetBasePath();
    if (!base) return false;
    bool ok = false;
    for (int i = 0; i < n && !ok; i++) {
        struct stat sb;
        snprintf(out, cap, "%s%s", rels[i][0] == '/' ? "" : base, rels[i]);
        ok = stat(out, &sb) == 0;
    }
    SDL_free(base);
    return ok;
}

/* $name when set (it must exist), else the first of rels next to the executable. */
static bool find_env_or_near_exe(const char *name, const char *const *rels, int n, char *out, size_t cap) {
    const char *env = getenv(name);
    if (env && env[0]) {
        struct stat sb;
        snprintf(out, cap, "%s", env);
        return stat(out, &sb) == 0;
    }
    return find_near_exe(rels, n, out, cap);
}

bool app_find_shaders(char *out, size_t cap) {
    static const char *const R[] = {"../shaders/quad.vert", "../../shaders/quad.vert", "shaders/quad.vert",
                                    "../share/attnviz/shaders/quad.vert", "/usr/local/share/attnviz/shaders/quad.vert",
                                    "/usr/share/attnviz/shaders/quad.vert"};
    if (!find_near_exe(R, (int)(sizeof R / sizeof *R), out, cap)) return false;
    *strrchr(out, '/') = 0;
    return true;
}

bool app_find_models_dir(char *out, size_t cap) {
    static const char *const R[] = {"../assets/models", "../../assets/models", "assets/models",
                                    "../share/attnviz/assets/models", "/usr/local/share/attnviz/assets/models",
                                    "/usr/share/attnviz/assets/models"};
    return find_env_or_near_exe("ATTNVIZ_MODELS", R, (int)(sizeof R / sizeof *R), out, cap);
}

bool app_find_lessons_dir(char *out, size_t cap) {
    static const char *const R[] = {"../lessons", "../../lessons", "lessons", "../share/attnviz/lessons",
                                    "/usr/local/share/attnviz/lessons", "/usr/share/attnviz/lessons"};
    return find_env_or_near_exe("ATTNVIZ_LESSONS", R, (int)(sizeof R / sizeof *R), out, cap);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int app_default_model(char *out, size_t cap, char *err) {
    char dir[1024];
    if (!app_find_models_dir(dir, sizeof dir))
        return av_err(err, "no assets/models/ next to the executable: give --model FILE.safetensors");
    snprintf(out, cap, "%.900s/dates-general.safetensors", dir);
    if (access(out, R_OK) == 0) return 0;
    DIR *d = opendir(dir);
    if (!d) return av_err(err, "%s: cannot list: %s", dir, strerror(errno));
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 12 && strcmp(e->d_name + l - 12, ".safetensors") == 0) names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n == 0) return av_err(err, "%s: no .safetensors model there: give --model FILE", dir);
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    snprintf(out, cap, "%.800s/%.200s", dir, names[0] ? names[0] : "");
    for (int i = 0; i < n; i++) free(names[i]);
    return 0;
}
