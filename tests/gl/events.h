/* events.h — SDL events as a user makes them (a key, typed text, a click, the pointer, the wheel), built once for every GL test. */
#ifndef TESTS_GL_EVENTS_H
#define TESTS_GL_EVENTS_H

#include <SDL.h>
#include <stdio.h>

#include "app/app.h"

static inline SDL_Event key_event(SDL_Keycode k, Uint16 mod) {
    return (SDL_Event){.key = {.type = SDL_KEYDOWN, .keysym = {.sym = k, .mod = mod}}};
}

static inline SDL_Event text_event(const char *s) {
    SDL_Event e = {.text = {.type = SDL_TEXTINPUT}};
    snprintf(e.text.text, sizeof e.text.text, "%s", s);
    return e;
}

/* Text an input method is still composing (SDL_TEXTEDITING). */
static inline SDL_Event composing_event(const char *s) {
    SDL_Event e = {.edit = {.type = SDL_TEXTEDITING}};
    snprintf(e.edit.text, sizeof e.edit.text, "%s", s);
    return e;
}

static inline SDL_Event button_event(Uint32 type, float x, float y) {
    return (SDL_Event){.button = {.type = type, .button = SDL_BUTTON_LEFT, .x = (int)x, .y = (int)y}};
}

static inline SDL_Event motion_event(float x, float y) {
    return (SDL_Event){.motion = {.type = SDL_MOUSEMOTION, .x = (int)x, .y = (int)y}};
}

static inline SDL_Event wheel_event(int y) { return (SDL_Event){.wheel = {.type = SDL_MOUSEWHEEL, .y = y}}; }

/* Sent straight to the app's event handler. */
static inline void send(App *a, SDL_Event e) { app_event(a, &e); }
static inline void send_key(App *a, SDL_Keycode k, Uint16 mod) { send(a, key_event(k, mod)); }
static inline void send_text(App *a, const char *s) { send(a, text_event(s)); }
static inline void send_composing(App *a, const char *s) { send(a, composing_event(s)); }
/* A left click: down, then up. */
static inline void send_click(App *a, float x, float y) {
    send(a, button_event(SDL_MOUSEBUTTONDOWN, x, y));
    send(a, button_event(SDL_MOUSEBUTTONUP, x, y));
}
static inline void send_motion(App *a, float x, float y) { send(a, motion_event(x, y)); }
/* The clock run out (every animation at its end) and a frame drawn; a key, then that. */
static inline void settle_app(App *a) {
    app_update(a, 60);
    app_draw(a);
}
static inline void press_key(App *a, SDL_Keycode k) {
    send_key(a, k, 0);
    settle_app(a);
}
static inline void send_wheel(App *a, int y) { send(a, wheel_event(y)); }

#endif
