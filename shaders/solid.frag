#version 330 core
// Opaque shapes, drawn first without blending or texture: the cheapest
// pixels a software rasteriser can fill.
in vec2 v_uv;
in vec4 v_color;
out vec4 frag;
void main() {
    frag = vec4(v_color.rgb, 1.0);
}
