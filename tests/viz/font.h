/* font.h — the font the screen uses, opened for the tests that measure text as the app does. */
#ifndef TESTS_VIZ_FONT_H
#define TESTS_VIZ_FONT_H

#include <SDL_ttf.h>
#include <criterion/criterion.h>

#include "text/font_find.h"
#include "text/text.h"

/* The font the screen uses (fontconfig's choice), after TTF_Init; as the
 * app does, a real italic face when one is installed. */
static Text *test_font_open(TextMeasure *m) {
    cr_assert_eq(TTF_Init(), 0, "TTF_Init: %s", TTF_GetError());
    char path[1024], err[FONT_ERR_CAP];
    cr_assert_eq(font_find(NULL, path, sizeof path, err), 0, "%s", err);
    char terr[TEXT_ERR_CAP];
    Text *t = text_create(path, terr);
    cr_assert_not_null(t, "%s", terr);
    char italic[1024];
    if (font_find_italic(italic, sizeof italic) == 0) cr_assert_eq(text_set_italic_font(t, italic, terr), 0, "%s", terr);
    *m = text_measure(t);
    return t;
}

static void test_font_close(Text *t) {
    text_destroy(t);
    TTF_Quit();
}

#endif
