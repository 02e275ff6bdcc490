#version 330 core
// The atlas holds glyph coverage in its red channel; solid shapes sample a
// white texel, so text and rectangles share one draw call.
in vec2 v_uv;
in vec4 v_color;
uniform sampler2D u_atlas;
out vec4 frag;
void main() {
    frag = vec4(v_color.rgb, v_color.a * texture(u_atlas, v_uv).r);
}
