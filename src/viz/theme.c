/* theme.c — the light and the dark Theme (theme.h). */
#include "theme.h"

#include "view.h"

Theme viz_theme(bool dark) {
    if (dark)
        return (Theme){.bg = {22, 24, 30, 255}, .text = {236, 236, 240, 255}, .faint = {70, 74, 88, 255},
                       .accent = {255, 110, 190, 255},
                       .panel = {34, 37, 46, 255}, .dim = {150, 153, 166, 255}, .grid = {52, 56, 68, 255},
                       .warn = {255, 160, 40, 255}, .good = {90, 200, 120, 255}, .neutral = {120, 124, 140, 255},
                       .prose_panel = {30, 33, 41, 255}, .prose_dim = {160, 163, 176, 255},
                       .prose_warn = {255, 160, 40, 255}, .code = {120, 196, 245, 255}, .code_bg = {44, 48, 60, 255},
                       .math = {250, 190, 110, 255}, .select = {66, 40, 62, 255}};
    return (Theme){.bg = {250, 250, 247, 255}, .text = {24, 24, 30, 255}, .faint = {200, 200, 196, 255},
                   .accent = {196, 30, 130, 255},
                   .panel = {238, 238, 233, 255}, .dim = {100, 100, 112, 255}, .grid = {222, 222, 216, 255},
                   .warn = {214, 100, 0, 255}, .good = {20, 140, 60, 255}, .neutral = {150, 150, 160, 255},
                   .prose_panel = {242, 242, 237, 255}, .prose_dim = {90, 90, 102, 255},
                   .prose_warn = {180, 60, 0, 255}, .code = {0, 98, 160, 255}, .code_bg = {228, 228, 222, 255},
                   .math = {150, 60, 0, 255}, .select = {250, 222, 238, 255}};
}

Color viz_background(bool dark) { return viz_theme(dark).bg; }
