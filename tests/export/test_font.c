/* test_font.c — font_find: the override wins or fails loudly; the default
 * covers Hangul when fonts-nanum is installed (tools/setup.sh installs it). */
#include <criterion/criterion.h>
#include <fontconfig/fontconfig.h>
#include <string.h>

#include "text/font_find.h"

Test(font, override_must_exist) {
    char out[256], err[FONT_ERR_CAP];
    cr_expect_eq(font_find("/nonexistent/x.ttf", out, sizeof out, err), -1);
    cr_expect(strstr(err, "/nonexistent/x.ttf"), "%s", err);
    cr_expect_eq(font_find("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", out, sizeof out, err), 0, "%s", err);
    cr_expect_str_eq(out, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
}

Test(font, default_covers_latin_and_hangul) {
    char out[1024], err[FONT_ERR_CAP];
    cr_assert_eq(font_find(NULL, out, sizeof out, err), 0, "%s", err);
    /* ask FreeType (through fontconfig) what the file really holds */
    int count = 0;
    FcBlanks *blanks = NULL;
    FcPattern *p = FcFreeTypeQuery((const FcChar8 *)out, 0, blanks, &count);
    cr_assert_not_null(p, "cannot read %s", out);
    FcCharSet *cs;
    cr_assert_eq(FcPatternGetCharSet(p, FC_CHARSET, 0, &cs), FcResultMatch);
    cr_expect(FcCharSetHasChar(cs, 'A'), "%s has no Latin", out);
    cr_expect(FcCharSetHasChar(cs, 0xD55C), "%s has no 한", out);
    FcPatternDestroy(p);
}

Test(font, small_buffer_is_an_error_not_an_overflow) {
    char out[8], err[FONT_ERR_CAP];
    cr_expect_eq(font_find("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", out, sizeof out, err), -1);
    cr_expect_gt(strlen(err), 0);
}
