/* colormap.h — colour scales shared by the visualizer and the exporters.
 * Pure functions, no GL, no SDL: the same weight gets the same colour on
 * screen and in a PNG.
 *   viridis   [0,1] → perceptually uniform, colour-blind safe (weights)
 *   diverging [-1,1] → blue–neutral–red, colour-blind safe (signed values)
 *   diverging_dark [-1,1] → light blue–dark neutral–light red, for dark
 *             backgrounds: brightness is |t| (the dark theme's signed values)
 *   gradient  [-1,1] → purple–neutral–orange, colour-blind safe (gradients
 *             ∂L/∂·, which must never pass for values: a different pair of hues)
 *   gradient_dark [-1,1] → the same hues rising out of the dark background
 */
#ifndef COLORMAP_H
#define COLORMAP_H

#include <stdint.h>

typedef struct { uint8_t r, g, b; } Rgb8;

enum { COLORMAP_STEPS = 256 };   /* both maps are tables of this many colours */

Rgb8 colormap_viridis(float t);     /* t clamped to [0,1]; t → entry round(t·255)  */
Rgb8 colormap_diverging(float t);   /* t clamped to [-1,1]; 0 → the neutral middle */
Rgb8 colormap_gradient(float t);    /* the same for gradients: −1 purple, +1 orange  */
/* Inverse of viridis by nearest entry: the t of the closest colour. Used by
 * tests to read a weight back from pixels. */
float colormap_viridis_inverse(Rgb8 c);
float colormap_diverging_inverse(Rgb8 c);
Rgb8 colormap_diverging_dark(float t);   /* t clamped to [-1,1]; 0 → the dark middle */
float colormap_diverging_dark_inverse(Rgb8 c);
/* The signed-value map of a theme: diverging_dark on dark, else diverging. */
static inline Rgb8 colormap_signed(float t, int dark) { return dark ? colormap_diverging_dark(t) : colormap_diverging(t); }
float colormap_gradient_inverse(Rgb8 c);
Rgb8 colormap_gradient_dark(float t);   /* t clamped to [-1,1]: the gradient hues out of the dark background */
float colormap_gradient_dark_inverse(Rgb8 c);
/* The gradient map of a theme (the view's and the exports'). */
static inline Rgb8 colormap_grad(float t, int dark) { return dark ? colormap_gradient_dark(t) : colormap_gradient(t); }

#endif
