/* gif.h — an animated GIF built in memory, frame by frame, with giflib: one palette for the whole animation, and only what changed in each frame.
 *
 * The frames are RGB pictures of the app (960×540 by default). A GIF frame
 * has at most 256 colours, and the view uses few: flat backgrounds, panels,
 * theme colours and colormap cells, plus the antialiased edges of text. So
 * the one global palette (export_gif_begin) is: the seed colours the caller
 * names (the steps of the colour legends, so a scale never loses a step),
 * then the most frequent exact colours of a few sample frames (those pixels
 * come out exactly as rendered), 191 entries in all, then giflib's median
 * cut (GifQuantizeBuffer) over the pixels those colours leave out for the
 * other 64; the 256th is the transparent index. Measured on 512 frames of
 * a dates decoding (notes/class-c.md): 96% of the pixels exact, mean error
 * 0.15/255; a median cut alone is 4% smaller but shifts every flat colour
 * (mean error 6/255), and a palette per frame is 4 times the size. Every pixel of a frame is mapped to its nearest palette
 * colour (remembered per colour), without dithering: dithering would make
 * flat areas shimmer from frame to frame and defeat the differencing.
 *
 * Differencing: each frame after the first stores only the rectangle where
 * its indices differ from the frame before, with unchanged pixels inside it
 * transparent (long runs that LZW packs into little), and "do not dispose",
 * so the viewer keeps the rest. A frame identical to the one before is a
 * 1×1 transparent frame: the frame count and the timing stay exact.
 *
 * Timing: every frame lasts delay_cs hundredths of a second (the GIF's own
 * unit, so the rate is steady only for 100/delay frames a second: 10, 20,
 * 25, 50); the last one lasts hold_cs longer. loop: a NETSCAPE2.0 block with
 * count 0 (repeat forever); without it, viewers play the animation once.
 */
#ifndef EXPORT_GIF_H
#define EXPORT_GIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ExportGif ExportGif;

typedef struct {
    int w, h;          /* every frame, pixels                               */
    int delay_cs;      /* one frame's time, 1/100 s (≥ 2: browsers clamp less) */
    int hold_cs;       /* added to the last frame's time                    */
    bool loop;         /* repeat forever; false: play once                  */
    const uint8_t *seed;   /* colours the palette must hold, RGB triplets:  */
    int n_seed;            /* a colour scale's steps (at most 128)          */
} ExportGifDesc;

enum { EXPORT_GIF_COLORS = 255, EXPORT_GIF_TRANSPARENT = 255 };

/* Start an animation whose palette comes from n sample frames (w*h*3 RGB
 * bytes each, top row first). NULL with one line in err (AV_ERR_LEN). */
ExportGif *export_gif_begin(const ExportGifDesc *d, const uint8_t *const *samples, int n, char *err);
/* Add the next frame (w*h*3 RGB); last: it is the final one (it gets the
 * hold). 0, or -1 with err. */
int export_gif_add(ExportGif *g, const uint8_t *rgb, bool last, char *err);
/* Close the file: *data (malloc'd; the caller frees it) holds *n bytes.
 * g is freed either way. 0, or -1 with err. */
int export_gif_end(ExportGif *g, uint8_t **data, size_t *n, char *err);
void export_gif_free(ExportGif *g);

int export_gif_frames(const ExportGif *g);      /* frames added so far  */
size_t export_gif_bytes(const ExportGif *g);    /* bytes encoded so far */
/* The palette: *n colours, rgb[3*i ..]: for tests and measurements. */
const uint8_t *export_gif_palette(const ExportGif *g, int *n);

#endif
