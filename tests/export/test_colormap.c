/* test_colormap.c — the colour scales: published anchors, inverses, order. */
#include <criterion/criterion.h>
#include <math.h>

#include "base/colormap.h"

static int near(Rgb8 c, int r, int g, int b) { return abs(c.r - r) <= 1 && abs(c.g - g) <= 1 && abs(c.b - b) <= 1; }

Test(colormap, viridis_matches_the_published_anchors) {
    /* matplotlib's viridis table, entries 0, 64, 128, 192, 255 as hex (what
     * plt.cm.viridis(np.linspace(0, 1, 5)) prints): #440154 #3b528b #21918c
     * #5ec962 #fde725. Entry i is t = i/255 here (header: round(t·255)). */
    cr_expect(near(colormap_viridis(0 / 255.0f), 0x44, 0x01, 0x54));
    cr_expect(near(colormap_viridis(64 / 255.0f), 0x3b, 0x52, 0x8b));
    cr_expect(near(colormap_viridis(128 / 255.0f), 0x21, 0x91, 0x8c));
    cr_expect(near(colormap_viridis(192 / 255.0f), 0x5e, 0xc9, 0x62));
    cr_expect(near(colormap_viridis(255 / 255.0f), 0xfd, 0xe7, 0x25));
}

Test(colormap, viridis_clamps_and_survives_nan) {
    Rgb8 lo = colormap_viridis(0.0f), hi = colormap_viridis(1.0f);
    cr_expect(near(colormap_viridis(-3.0f), lo.r, lo.g, lo.b));
    cr_expect(near(colormap_viridis(7.0f), hi.r, hi.g, hi.b));
    Rgb8 n = colormap_viridis(NAN);
    cr_expect(near(n, lo.r, lo.g, lo.b));
}

Test(colormap, viridis_inverse_gives_back_every_entry) {
    /* In 8 bits a few neighbouring entries share a colour (e.g. 112 and
     * 113), so the inverse is exact for most and one step off at worst. */
    int exact = 0;
    for (int i = 0; i < COLORMAP_STEPS; i++) {
        float t = i / 255.0f, back = colormap_viridis_inverse(colormap_viridis(t));
        cr_expect(fabsf(back - t) <= 1.0f / 255.0f + 1e-6f, "entry %d came back as %g", i, back * 255);
        exact += fabsf(back - t) < 1e-6f;
    }
    cr_expect_geq(exact, 240, "only %d of 256 entries are told apart", exact);
}

Test(colormap, viridis_lightness_increases) {
    /* perceptually uniform and monotone: luma rises along the map */
    float prev = -1;
    for (int i = 0; i < COLORMAP_STEPS; i += 5) {
        Rgb8 c = colormap_viridis(i / 255.0f);
        float y = 0.299f * c.r + 0.587f * c.g + 0.114f * c.b;
        cr_expect_gt(y, prev - 0.5f, "luma falls at entry %d", i);
        prev = y;
    }
}

Test(colormap, diverging_is_neutral_at_zero_blue_below_red_above) {
    Rgb8 z = colormap_diverging(0.0f), neg = colormap_diverging(-1.0f), pos = colormap_diverging(1.0f);
    cr_expect(z.r == z.g && z.g == z.b && z.r > 200, "zero is not a light neutral: %d %d %d", z.r, z.g, z.b);
    cr_expect_gt(neg.b, neg.r);
    cr_expect_gt(pos.r, pos.b);
    cr_expect_float_eq(colormap_diverging_inverse(z), 0.0f, 1e-6);
    cr_expect_float_eq(colormap_diverging_inverse(neg), -1.0f, 1e-6);
    cr_expect_float_eq(colormap_diverging_inverse(pos), 1.0f, 1e-6);
}

Test(colormap, diverging_inverse_within_one_step) {
    for (int i = -100; i <= 100; i++) {
        float t = i / 100.0f;
        cr_expect(fabsf(colormap_diverging_inverse(colormap_diverging(t)) - t) <= 1.0f / 127.0f,
                  "t=%g came back as %g", t, colormap_diverging_inverse(colormap_diverging(t)));
    }
}

Test(colormap, diverging_darkens_away_from_zero) {
    for (int i = 1; i <= 100; i++) {
        Rgb8 a = colormap_diverging((i - 1) / 100.0f), b = colormap_diverging(i / 100.0f);
        Rgb8 c = colormap_diverging(-(i - 1) / 100.0f), d = colormap_diverging(-i / 100.0f);
        cr_expect_leq(b.r + b.g + b.b, a.r + a.g + a.b + 1, "positive side at %d", i);
        cr_expect_leq(d.r + d.g + d.b, c.r + c.g + c.b + 1, "negative side at %d", i);
    }
}

/* The dark theme's map: a dark neutral at zero, light blue below, light
 * red-orange above, brightness rising with |t| on both sides, the same
 * brightness at ±t (the sign is the hue, not the lightness). */
static float luma(Rgb8 c) { return 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b; }

Test(colormap, dark_diverging_is_dark_at_zero_and_light_at_the_ends) {
    Rgb8 z = colormap_diverging_dark(0.0f), neg = colormap_diverging_dark(-1.0f), pos = colormap_diverging_dark(1.0f);
    cr_expect(abs(z.r - z.g) <= 2 && abs(z.g - z.b) <= 2, "zero is not neutral: %d %d %d", z.r, z.g, z.b);
    cr_expect_lt(luma(z), 60, "zero is not dark: %d %d %d", z.r, z.g, z.b);
    cr_expect_gt(luma(neg), 150);
    cr_expect_gt(luma(pos), 150);
    cr_expect_gt(neg.b, neg.r + 60, "-1 is not blue");
    cr_expect_gt(pos.r, pos.b + 60, "+1 is not red-orange");
    cr_expect_float_eq(colormap_diverging_dark_inverse(z), 0.0f, 1e-6);
    cr_expect_float_eq(colormap_diverging_dark_inverse(neg), -1.0f, 1e-6);
    cr_expect_float_eq(colormap_diverging_dark_inverse(pos), 1.0f, 1e-6);
}

Test(colormap, dark_diverging_brightens_away_from_zero_evenly) {
    for (int i = 1; i <= 100; i++) {
        float a = (i - 1) / 100.0f, b = i / 100.0f;
        cr_expect_geq(luma(colormap_diverging_dark(b)), luma(colormap_diverging_dark(a)) - 0.5f, "positive side at %d", i);
        cr_expect_geq(luma(colormap_diverging_dark(-b)), luma(colormap_diverging_dark(-a)) - 0.5f, "negative side at %d", i);
        /* ±t about as bright: magnitude reads the same either side */
        cr_expect_lt(fabsf(luma(colormap_diverging_dark(b)) - luma(colormap_diverging_dark(-b))), 25, "at ±%g", b);
    }
}

Test(colormap, dark_diverging_inverse_within_one_step) {
    /* one step, but for the two entries beside zero: ±1/128 are both grey
     * (37, 37, 37) in 8 bits, so t = ±0.01 may come back as ∓1/128 */
    for (int i = -100; i <= 100; i++) {
        float t = i / 100.0f, back = colormap_diverging_dark_inverse(colormap_diverging_dark(t));
        float tol = fabsf(t) < 0.02f ? 3.0f / 127.0f : 1.0f / 127.0f;
        cr_expect(fabsf(back - t) <= tol + 1e-6f, "t=%g came back as %g", t, back);
    }
    Rgb8 n = colormap_diverging_dark(NAN), z = colormap_diverging_dark(0);
    cr_expect(n.r == z.r && n.g == z.g && n.b == z.b, "NaN is not the neutral middle");
    Rgb8 lo = colormap_diverging_dark(-5), hi = colormap_diverging_dark(5), m1 = colormap_diverging_dark(-1),
         p1 = colormap_diverging_dark(1);
    cr_expect(lo.r == m1.r && lo.g == m1.g && lo.b == m1.b && hi.r == p1.r && hi.g == p1.g && hi.b == p1.b, "not clamped");
}

Test(colormap, each_theme_has_its_signed_map) {
    for (int i = -10; i <= 10; i++) {
        float t = i / 10.0f;
        Rgb8 l = colormap_signed(t, 0), d = colormap_signed(t, 1), L = colormap_diverging(t), D = colormap_diverging_dark(t);
        cr_expect(l.r == L.r && l.g == L.g && l.b == L.b && d.r == D.r && d.g == D.g && d.b == D.b, "at %g", t);
    }
}

/* The gradient map: neutral at zero, purple below, orange above, invertible,
 * darker away from zero; and no colour of it passes for a value's colour
 * (from |t| = 0.35 on, every entry is far from every
 * entry of the diverging map). */
Test(colormap, gradient_is_purple_below_orange_above_and_never_a_value) {
    Rgb8 z = colormap_gradient(0.0f), neg = colormap_gradient(-1.0f), pos = colormap_gradient(1.0f);
    cr_expect(z.r == z.g && z.g == z.b && z.r > 200, "zero is not a light neutral: %d %d %d", z.r, z.g, z.b);
    cr_expect(neg.b > neg.g && neg.r > neg.g, "−1 is not purple: %d %d %d", neg.r, neg.g, neg.b);
    cr_expect(pos.r > pos.g && pos.g > pos.b, "+1 is not orange: %d %d %d", pos.r, pos.g, pos.b);
    for (int i = -100; i <= 100; i++) {
        float t = i / 100.0f;
        Rgb8 g = colormap_gradient(t);
        cr_expect(fabsf(colormap_gradient_inverse(g) - t) <= 1.0f / 127.0f, "t=%g came back as %g", t,
                  colormap_gradient_inverse(g));
        if (i != 0) {
            Rgb8 a = colormap_gradient(t + (i > 0 ? -0.01f : 0.01f));   /* one step nearer zero */
            cr_expect_leq(g.r + g.g + g.b, a.r + a.g + a.b + 1, "lighter away from zero at %g", t);
        }
        if (fabsf(t) < 0.35f) continue;   /* the palest tints of both are near-white */
        for (int j = -100; j <= 100; j++) {
            Rgb8 d = colormap_diverging(j / 100.0f);
            int dr = g.r - d.r, dg = g.g - d.g, db = g.b - d.b;
            cr_expect_gt(dr * dr + dg * dg + db * db, 30 * 30, "gradient %g looks like value %g", t, j / 100.0f);
        }
    }
}

/* The dark theme's gradient map: a dark middle, the same purple and orange
 * hues rising with |t| (brighter away from zero), invertible within a few
 * steps up to |t| = 0.96, where it reaches full colour; the view's cells and
 * the exported figure both use it (colormap_grad). */
Test(colormap, gradient_dark_rises_out_of_the_background) {
    Rgb8 z = colormap_gradient_dark(0.0f), neg = colormap_gradient_dark(-1.0f), pos = colormap_gradient_dark(1.0f);
    cr_expect(z.r < 60 && z.g < 60 && z.b < 60, "zero is not dark: %d %d %d", z.r, z.g, z.b);
    cr_expect(neg.b > neg.g && neg.r > neg.g, "−1 is not purple: %d %d %d", neg.r, neg.g, neg.b);
    cr_expect(pos.r > pos.g && pos.g > pos.b, "+1 is not orange: %d %d %d", pos.r, pos.g, pos.b);
    for (int i = -100; i <= 100; i++) {
        float t = i / 100.0f;
        Rgb8 g = colormap_gradient_dark(t);
        float back = colormap_gradient_dark_inverse(g);   /* full colour from |t| = 0.97 on */
        cr_expect(fabsf(t) >= 0.96f ? back * t > 0 && fabsf(back) >= 0.96f : fabsf(back - t) <= 3.0f / 127.0f,
                  "t=%g came back as %g", t, back);
        if (i != 0) {
            Rgb8 a = colormap_gradient_dark(t + (i > 0 ? -0.01f : 0.01f));
            cr_expect_geq(g.r + g.g + g.b, a.r + a.g + a.b, "brighter away from zero at %g", t);
        }
        Rgb8 l = colormap_grad(t, 0), d = colormap_grad(t, 1), L = colormap_gradient(t);
        cr_expect(l.r == L.r && l.g == L.g && l.b == L.b && d.r == g.r && d.g == g.g && d.b == g.b, "at %g", t);
    }
}
