/* font_find.c — one TTF for Latin and Hangul (see font_find.h).
 *
 * fontconfig is asked first because it knows where the distribution put
 * the fonts; a match is accepted only if its character set really holds
 * both 'A' and '가' (U+AC00), since fontconfig always returns *some* font.
 * The fixed paths cover systems without a fontconfig cache. DejaVu has no
 * Hangul, so choosing it prints a warning: Korean tokens would be boxes.
 */
#include "font_find.h"

#include <fontconfig/fontconfig.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const FC_PATTERNS[] = {
    "NanumGothic:lang=ko", "NanumBarunGothic:lang=ko", "Noto Sans CJK KR:lang=ko",
    "Noto Sans KR:lang=ko", "UnDotum:lang=ko", "sans-serif:lang=ko",
};
static const char *const FIXED_PATHS[] = {
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
    "/usr/share/fonts/nanum/NanumGothic.ttf",
    "/usr/share/fonts/naver-nanum/NanumGothic.ttf",
    "/usr/share/fonts/TTF/NanumGothic.ttf",
    "/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf",
};
static const char *const LAST_RESORT[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
};
static const char *const FC_ITALIC[] = {"DejaVu Sans:italic", "sans-serif:italic"};
static const char *const ITALIC_PATHS[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Oblique.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Oblique.ttf",
};
enum { N_FC = sizeof FC_PATTERNS / sizeof *FC_PATTERNS, N_FIXED = sizeof FIXED_PATHS / sizeof *FIXED_PATHS,
       N_LAST = sizeof LAST_RESORT / sizeof *LAST_RESORT };

static int put(char *out, size_t cap, const char *path, char *err) {
    if (strlen(path) + 1 > cap) {
        if (err) snprintf(err, FONT_ERR_CAP, "font path too long (%zu bytes): %.64s...", strlen(path), path);
        return -1;
    }
    memcpy(out, path, strlen(path) + 1);
    return 0;
}

static int readable(const char *path) { return access(path, R_OK) == 0; }

/* fontconfig: the first pattern whose best match covers 'A' (and U+AC00
 * with hangul) and slants when italic is asked. */
static int find_fontconfig(const char *const *patterns, int n, bool hangul, bool italic, char *out, size_t cap) {
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    if (!cfg) return -1;
    int found = -1;
    for (int i = 0; i < n && found < 0; i++) {
        FcPattern *pat = FcNameParse((const FcChar8 *)patterns[i]);
        if (!pat) continue;
        FcConfigSubstitute(cfg, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcPattern *m = FcFontMatch(cfg, pat, &res);
        FcPatternDestroy(pat);
        if (!m) continue;
        FcChar8 *file = NULL;
        FcCharSet *cs = NULL;
        int slant = FC_SLANT_ROMAN;
        if (FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
            FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch &&
            FcCharSetHasChar(cs, 'A') && (!hangul || FcCharSetHasChar(cs, 0xAC00)) &&
            (!italic || (FcPatternGetInteger(m, FC_SLANT, 0, &slant) == FcResultMatch && slant != FC_SLANT_ROMAN)) &&
            readable((const char *)file) && strlen((const char *)file) + 1 <= cap) {
            memcpy(out, file, strlen((const char *)file) + 1);
            found = 0;
        }
        FcPatternDestroy(m);
    }
    FcConfigDestroy(cfg);
    return found;
}

int font_find(const char *override_path, char *out, size_t cap, char *err) {
    if (err) err[0] = '\0';
    if (!out || cap == 0) {
        if (err) snprintf(err, FONT_ERR_CAP, "font_find: no output buffer");
        return -1;
    }
    /* 1. the user's file: no silent fallback when it is missing */
    if (override_path && override_path[0]) {
        if (!readable(override_path)) {
            if (err) snprintf(err, FONT_ERR_CAP, "font %s: cannot read the file", override_path);
            return -1;
        }
        return put(out, cap, override_path, err);
    }
    /* 2. fontconfig, 3. the usual paths */
    if (find_fontconfig(FC_PATTERNS, N_FC, true, false, out, cap) == 0) return 0;
    for (int i = 0; i < N_FIXED; i++)
        if (readable(FIXED_PATHS[i])) return put(out, cap, FIXED_PATHS[i], err);
    /* 4. Latin only */
    for (int i = 0; i < N_LAST; i++)
        if (readable(LAST_RESORT[i])) {
            fprintf(stderr, "attnviz: warning: no Korean font found (install fonts-nanum); using %s, "
                            "Hangul will not render\n", LAST_RESORT[i]);
            return put(out, cap, LAST_RESORT[i], err);
        }
    if (err)
        snprintf(err, FONT_ERR_CAP, "no usable font: fontconfig found no Hangul font, and neither %s nor %s "
                                    "exists (install fonts-nanum, or pass --font FILE.ttf)",
                 FIXED_PATHS[0], LAST_RESORT[0]);
    return -1;
}

int font_find_italic(char *out, size_t cap) {
    if (!out || cap == 0) return -1;
    if (find_fontconfig(FC_ITALIC, (int)(sizeof FC_ITALIC / sizeof *FC_ITALIC), false, true, out, cap) == 0) return 0;
    for (size_t i = 0; i < sizeof ITALIC_PATHS / sizeof *ITALIC_PATHS; i++)
        if (readable(ITALIC_PATHS[i])) return put(out, cap, ITALIC_PATHS[i], NULL);
    return -1;
}
