#!/usr/bin/python3
"""make_colormap.py — the dark theme's diverging colour map for src/base/colormap.c.

The light theme's map (ColorBrewer RdBu) is light in the middle: on a dark
background the smallest values become the brightest cells, and mixing them
into the background turns them grey. The dark theme needs the opposite: a
map whose middle is dark and whose ends are light, so that brightness means
magnitude and the hue means the sign (the idea of Crameri's "berlin").

This script designs one instead of copying a published table: a straight
line in OKLab (Björn Ottosson, 2020: a perceptual colour space in which
equal distances look about equally different) from a light blue through a
dark neutral to a light red-orange. Along each half, lightness and chroma
grow linearly with |t| at a fixed hue, so equal steps in t are equal steps
in OKLab: the map is perceptually uniform on each side, lightness rises
monotonically away from zero (it reads in grey scale as magnitude), and the
two hues lie on the blue–yellow axis that red-green colour-blind viewers
still see. Entry 128 is exactly t = 0, as in the light map.

Run:  /usr/bin/python3 tools/make_colormap.py > /tmp/dark.inc
and paste the table into src/base/colormap.c (DIV_DARK).
"""
import math

L_MID, L_END = 0.26, 0.80     # OKLab lightness at t = 0 and at |t| = 1
C_END = 0.105                 # chroma at |t| = 1 (the blue end keeps it in sRGB)
HUE_NEG, HUE_POS = 245.0, 38.0  # degrees: light blue below zero, red-orange above


def oklab_to_srgb(L, a, b):
    l_ = L + 0.3963377774 * a + 0.2158037573 * b
    m_ = L - 0.1055613458 * a - 0.0638541728 * b
    s_ = L - 0.0894841775 * a - 1.2914855480 * b
    l, m, s = l_ ** 3, m_ ** 3, s_ ** 3
    lin = (4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
           -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
           -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s)
    def gamma(x):
        return 12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055
    return tuple(gamma(x) for x in lin)


def t_of(i):  # as div_t_of in colormap.c
    return (i - 128) / 128.0 if i <= 128 else (i - 128) / 127.0


def entry(i):
    t = t_of(i)
    k = abs(t)
    L = L_MID + (L_END - L_MID) * k
    c = C_END * k
    h = math.radians(HUE_NEG if t < 0 else HUE_POS)
    rgb = oklab_to_srgb(L, c * math.cos(h), c * math.sin(h))
    for x in rgb:
        if x < -1e-6 or x > 1 + 1e-6:
            raise SystemExit("entry %d is outside sRGB (%s): lower C_END" % (i, rgb))
    return tuple(int(round(min(max(x, 0.0), 1.0) * 255)) for x in rgb)


def main():
    rows = [entry(i) for i in range(256)]
    for i in range(0, 256, 8):
        print("    " + " ".join("{%d, %d, %d}," % r for r in rows[i:i + 8]))


if __name__ == "__main__":
    main()
