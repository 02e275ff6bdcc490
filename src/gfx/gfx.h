/* gfx.h — the only code that speaks OpenGL (3.3 core, through libepoxy).
 *
 * A frame is one DrawList (base/drawlist.h): it becomes one vertex buffer and
 * one draw call, with the glyph atlas as the only texture. Layout is in
 * window units; the viewport is in drawable pixels (HiDPI). Shaders are
 * files in shaders/, compiled at init; a failed compile prints the info log
 * with the file's path.
 */
#ifndef GFX_H
#define GFX_H

#include <stdbool.h>
#include <stdint.h>

#include "../text/text.h"
#include "../base/drawlist.h"

typedef struct {
    float x, y, u, v;
    uint8_t r, g, b, a;
} GfxVertex;

/* A frame is drawn in three batches: opaque shapes with no blending and no
 * texture (cheap pixels for a software rasteriser), then text and
 * translucent shapes blended, then overlays (DrawList.overlay_from) in
 * their own order. */
enum { GFX_SOLID, GFX_BLEND, GFX_OVER, GFX_BATCHES };

typedef struct {
    GfxVertex *v;
    int n, cap;
} GfxBatch;

typedef struct {
    unsigned prog, prog_solid, vao, vbo, tex;
    int u_proj, u_atlas, u_proj_solid;
    unsigned atlas_gen;       /* text_atlas_generation of the uploaded atlas */
    GfxBatch batch[GFX_BATCHES];
    GfxVertex *verts;         /* the batches one after the other, for the VBO */
    int nverts, cap;
    size_t vbo_bytes;
    unsigned fbo, fbo_color;  /* offscreen target (screenshots), 0 when none */
    int fbo_w, fbo_h;
    char shader_dir[1024];
} Gfx;

enum { GFX_ERR_CAP = 1024 };

/* Needs a current GL 3.3 core context. Returns 0, or -1 with err. */
int gfx_init(Gfx *g, const char *shader_dir, char *err);
/* Recompile the shaders; on failure keep the old program. */
int gfx_reload(Gfx *g, char *err);
void gfx_shutdown(Gfx *g);

/* Draw one frame: the list in window units (win_w × win_h) into the bound
 * framebuffer of fb_w × fb_h pixels, after clearing it to `clear`. */
void gfx_draw(Gfx *g, const DrawList *dl, Text *text, float win_w, float win_h,
              int fb_w, int fb_h, Color clear);

/* An offscreen framebuffer of w × h pixels, bound until gfx_offscreen_end. */
int gfx_offscreen_begin(Gfx *g, int w, int h, char *err);
/* Read it back as w × h RGB rows, top row first (w*h*3 bytes into out). */
void gfx_offscreen_read(Gfx *g, uint8_t *out);
void gfx_offscreen_end(Gfx *g);

/* The first GL error since the last call, as text, or NULL. */
const char *gfx_error(void);

#endif
