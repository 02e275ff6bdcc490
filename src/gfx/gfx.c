/* gfx.c — DrawList → one VBO → one draw call (see gfx.h).
 *
 * llvmpipe, the software GL of a classroom laptop without drivers and of our
 * tests, is bound by pixels filled: so one pass, no full-screen effects, and
 * every primitive batched into a single glDrawArrays with blending.
 */
#include "gfx.h"

#include <cglm/cglm.h>
#include <epoxy/gl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *gfx_error(void) {
    switch (glGetError()) {
    case GL_NO_ERROR: return NULL;
    case GL_INVALID_ENUM: return "GL_INVALID_ENUM";
    case GL_INVALID_VALUE: return "GL_INVALID_VALUE";
    case GL_INVALID_OPERATION: return "GL_INVALID_OPERATION";
    case GL_INVALID_FRAMEBUFFER_OPERATION: return "GL_INVALID_FRAMEBUFFER_OPERATION";
    case GL_OUT_OF_MEMORY: return "GL_OUT_OF_MEMORY";
    default: return "unknown GL error";
    }
}

static char *read_file(const char *path, char *err) {
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, GFX_ERR_CAP, "%.900s: cannot open shader", path); return NULL; }
    char *buf = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0) n = ftell(f);
    if (n >= 0 && n < (1 << 20) && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
        else buf[n] = 0;
    }
    fclose(f);
    if (!buf) snprintf(err, GFX_ERR_CAP, "%.900s: cannot read shader", path);
    return buf;
}

static unsigned compile(const char *dir, const char *name, GLenum type, char *err) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *src = read_file(path, err);
    if (!src) return 0;
    GLuint s = glCreateShader(type);
    const char *srcs[1] = {src};
    glShaderSource(s, 1, srcs, NULL);
    glCompileShader(s);
    free(src);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[768];
        glGetShaderInfoLog(s, sizeof log, NULL, log);
        snprintf(err, GFX_ERR_CAP, "%.300s: compile failed: %.700s", path, log);
        glDeleteShader(s);
        return 0;
    }
    return s;
}

static unsigned build_program(const char *dir, const char *frag, char *err) {
    GLuint vs = compile(dir, "quad.vert", GL_VERTEX_SHADER, err);
    if (!vs) return 0;
    GLuint fs = compile(dir, frag, GL_FRAGMENT_SHADER, err);
    if (!fs) { glDeleteShader(vs); return 0; }
    GLuint p = glCreateProgram();
    glAttachShader(p, vs);
    glAttachShader(p, fs);
    glLinkProgram(p);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[768];
        glGetProgramInfoLog(p, sizeof log, NULL, log);
        snprintf(err, GFX_ERR_CAP, "%.250s/quad.vert + %s: link failed: %.700s", dir, frag, log);
        glDeleteProgram(p);
        return 0;
    }
    return p;
}

int gfx_reload(Gfx *g, char *err) {
    GLuint p = build_program(g->shader_dir, "quad.frag", err);
    if (!p) return -1;   /* keep the old programs */
    GLuint ps = build_program(g->shader_dir, "solid.frag", err);
    if (!ps) { glDeleteProgram(p); return -1; }
    if (g->prog) glDeleteProgram(g->prog);
    if (g->prog_solid) glDeleteProgram(g->prog_solid);
    g->prog = p;
    g->u_proj = glGetUniformLocation(p, "u_proj");
    g->u_atlas = glGetUniformLocation(p, "u_atlas");
    g->prog_solid = ps;
    g->u_proj_solid = glGetUniformLocation(ps, "u_proj");
    return 0;
}

int gfx_init(Gfx *g, const char *shader_dir, char *err) {
    memset(g, 0, sizeof *g);
    if (strlen(shader_dir) >= sizeof g->shader_dir) {
        snprintf(err, GFX_ERR_CAP, "%.300s...: shader path too long", shader_dir);
        return -1;
    }
    strcpy(g->shader_dir, shader_dir);
    if (epoxy_gl_version() < 33) {
        snprintf(err, GFX_ERR_CAP, "OpenGL 3.3 needed, this context has %d.%d",
                 epoxy_gl_version() / 10, epoxy_gl_version() % 10);
        return -1;
    }
    if (gfx_reload(g, err) != 0) return -1;

    glGenVertexArrays(1, &g->vao);
    glGenBuffers(1, &g->vbo);
    glBindVertexArray(g->vao);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(GfxVertex), (void *)offsetof(GfxVertex, x));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(GfxVertex), (void *)offsetof(GfxVertex, u));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(GfxVertex), (void *)offsetof(GfxVertex, r));

    glGenTextures(1, &g->tex);
    glBindTexture(GL_TEXTURE_2D, g->tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    g->atlas_gen = (unsigned)-1;
    const char *e = gfx_error();
    if (e) { snprintf(err, GFX_ERR_CAP, "OpenGL setup failed: %s", e); return -1; }
    return 0;
}

void gfx_shutdown(Gfx *g) {
    gfx_offscreen_end(g);
    if (g->tex) glDeleteTextures(1, &g->tex);
    if (g->vbo) glDeleteBuffers(1, &g->vbo);
    if (g->vao) glDeleteVertexArrays(1, &g->vao);
    if (g->prog) glDeleteProgram(g->prog);
    if (g->prog_solid) glDeleteProgram(g->prog_solid);
    for (int i = 0; i < GFX_BATCHES; i++) free(g->batch[i].v);
    free(g->verts);
    memset(g, 0, sizeof *g);
}

/* ---- building the vertex array ---- */

static GfxVertex *grow(GfxBatch *b, int n) {
    if (b->n + n > b->cap) {
        int cap = b->cap ? b->cap : 8192;
        while (cap < b->n + n) cap *= 2;
        GfxVertex *p = realloc(b->v, (size_t)cap * sizeof *p);
        if (!p) return NULL;
        b->v = p;
        b->cap = cap;
    }
    GfxVertex *v = b->v + b->n;
    b->n += n;
    return v;
}

static void vert(GfxVertex *v, float x, float y, float u, float w, Color c) {
    v->x = x; v->y = y; v->u = u; v->v = w;
    v->r = c.r; v->g = c.g; v->b = c.b; v->a = c.a;
}

typedef struct { GfxBatch *b; Color c; } QuadCtx;

static void emit_quad(void *ud, float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1) {
    QuadCtx *q = ud;
    GfxVertex *v = grow(q->b, 6);
    if (!v) return;
    vert(v + 0, x0, y0, u0, v0, q->c);
    vert(v + 1, x1, y0, u1, v0, q->c);
    vert(v + 2, x1, y1, u1, v1, q->c);
    vert(v + 3, x0, y0, u0, v0, q->c);
    vert(v + 4, x1, y1, u1, v1, q->c);
    vert(v + 5, x0, y1, u0, v1, q->c);
}

static void build(Gfx *g, const DrawList *dl, Text *text) {
    float wu, wv;
    text_white_uv(text, &wu, &wv);
    for (int b = 0; b < GFX_BATCHES; b++) g->batch[b].n = 0;
    for (int i = 0; i < dl->n; i++) {
        const DlCmd *c = &dl->cmds[i];
        int b = dl->overlay_from >= 0 && i >= dl->overlay_from ? GFX_OVER
              : c->kind != DL_TEXT && c->color.a == 255 ? GFX_SOLID : GFX_BLEND;
        QuadCtx q = {&g->batch[b], c->color};
        switch (c->kind) {
        case DL_RECT:
            emit_quad(&q, c->x, c->y, c->x + c->w, c->y + c->h, wu, wv, wu, wv);
            break;
        case DL_TRI: {
            GfxVertex *v = grow(q.b, 3);
            if (!v) break;
            vert(v + 0, c->x, c->y, wu, wv, c->color);
            vert(v + 1, c->x1, c->y1, wu, wv, c->color);
            vert(v + 2, c->x2, c->y2, wu, wv, c->color);
            break;
        }
        case DL_TEXT:
            text_layout(text, dl_str(dl, c), c->x, c->y, c->size, c->flags, emit_quad, &q);
            break;
        }
    }
    /* one array for the VBO: the batches in drawing order */
    int n = 0;
    for (int b = 0; b < GFX_BATCHES; b++) n += g->batch[b].n;
    if (n > g->cap) {
        GfxVertex *p = realloc(g->verts, (size_t)n * sizeof *p);
        if (!p) { g->nverts = 0; return; }
        g->verts = p;
        g->cap = n;
    }
    g->nverts = 0;
    for (int b = 0; b < GFX_BATCHES; b++) {
        if (g->batch[b].n) memcpy(g->verts + g->nverts, g->batch[b].v, (size_t)g->batch[b].n * sizeof *g->verts);
        g->nverts += g->batch[b].n;
    }
}

void gfx_draw(Gfx *g, const DrawList *dl, Text *text, float win_w, float win_h,
              int fb_w, int fb_h, Color clear) {
    text_set_scale(text, (float)fb_w / win_w);
    unsigned gen = text_atlas_generation(text);
    build(g, dl, text);
    if (text_atlas_generation(text) != gen) build(g, dl, text);   /* the atlas was refilled mid-frame */

    glBindTexture(GL_TEXTURE_2D, g->tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    int aw, ah, y0, y1;
    const uint8_t *atlas = text_atlas(text, &aw, &ah);
    if (g->atlas_gen != text_atlas_generation(text)) {
        /* a new (or refilled) atlas: allocate, then upload only its used rows below */
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, aw, ah, 0, GL_RED, GL_UNSIGNED_BYTE, NULL);
        g->atlas_gen = text_atlas_generation(text);
    }
    if (text_atlas_take_dirty(text, &y0, &y1)) {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, y0, aw, y1 - y0, GL_RED, GL_UNSIGNED_BYTE, atlas + (size_t)y0 * aw);
    }

    glViewport(0, 0, fb_w, fb_h);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glClearColor(clear.r / 255.0f, clear.g / 255.0f, clear.b / 255.0f, 1);
    glClear(GL_COLOR_BUFFER_BIT);

    mat4 proj;
    glm_ortho(0, win_w, win_h, 0, -1, 1, proj);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(g->vao);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    size_t bytes = (size_t)g->nverts * sizeof(GfxVertex);
    if (bytes > g->vbo_bytes) {
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)bytes, g->verts, GL_STREAM_DRAW);
        g->vbo_bytes = bytes;
    } else {
        glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)g->vbo_bytes, NULL, GL_STREAM_DRAW);   /* orphan */
        glBufferSubData(GL_ARRAY_BUFFER, 0, (GLsizeiptr)bytes, g->verts);
    }
    /* opaque first, no blending; then the blended batches in order */
    int solid = g->batch[GFX_SOLID].n;
    glDisable(GL_BLEND);
    glUseProgram(g->prog_solid);
    glUniformMatrix4fv(g->u_proj_solid, 1, GL_FALSE, (const float *)proj);
    if (solid) glDrawArrays(GL_TRIANGLES, 0, solid);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glUseProgram(g->prog);
    glUniformMatrix4fv(g->u_proj, 1, GL_FALSE, (const float *)proj);
    glUniform1i(g->u_atlas, 0);
    if (g->nverts > solid) glDrawArrays(GL_TRIANGLES, solid, g->nverts - solid);
    const char *e = gfx_error();
    if (e) fprintf(stderr, "attnviz: OpenGL error while drawing: %s\n", e);
}

/* ---- offscreen ---- */

int gfx_offscreen_begin(Gfx *g, int w, int h, char *err) {
    gfx_offscreen_end(g);
    glGenFramebuffers(1, &g->fbo);
    glGenRenderbuffers(1, &g->fbo_color);
    glBindRenderbuffer(GL_RENDERBUFFER, g->fbo_color);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
    glBindFramebuffer(GL_FRAMEBUFFER, g->fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, g->fbo_color);
    GLenum st = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    if (st != GL_FRAMEBUFFER_COMPLETE) {
        snprintf(err, GFX_ERR_CAP, "offscreen framebuffer %dx%d incomplete (0x%x)", w, h, st);
        gfx_offscreen_end(g);
        return -1;
    }
    g->fbo_w = w;
    g->fbo_h = h;
    return 0;
}

void gfx_offscreen_read(Gfx *g, uint8_t *out) {
    int w = g->fbo_w, h = g->fbo_h;
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGB, GL_UNSIGNED_BYTE, out);
    /* GL's rows run bottom to top; flip in place */
    size_t row = (size_t)w * 3;
    uint8_t *tmp = malloc(row);
    if (!tmp) return;
    for (int y = 0; y < h / 2; y++) {
        memcpy(tmp, out + (size_t)y * row, row);
        memcpy(out + (size_t)y * row, out + (size_t)(h - 1 - y) * row, row);
        memcpy(out + (size_t)(h - 1 - y) * row, tmp, row);
    }
    free(tmp);
}

void gfx_offscreen_end(Gfx *g) {
    if (!g->fbo) return;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteFramebuffers(1, &g->fbo);
    glDeleteRenderbuffers(1, &g->fbo_color);
    g->fbo = g->fbo_color = 0;
}
