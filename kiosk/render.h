/*
 * render — draws a laid-out frame with SDL2 and SDL2_ttf, and measures text for the layout.
 *
 * Text goes through a cache keyed by (text, size, weight, colour, wrap width): a steady frame
 * renders no text at all (render_text_misses counts what the cache had to render, and a test
 * asserts it stays at zero on a repeated frame). Project pictures become one texture each, on
 * first use. Nothing here changes the session.
 */
#ifndef ISOLOIR_KIOSK_RENDER_H
#define ISOLOIR_KIOSK_RENDER_H

#include <SDL.h>
#include <stdbool.h>

#include "election.h"
#include "err.h"
#include "ui.h"

struct render;

int render_open(SDL_Renderer *sdl, const char *font_dir, const struct election *el,
                struct render **out, struct err *e);
void render_close(struct render *r);

/* ui_measure_fn for ui_build: height of wrapped text. */
int render_measure(void *render, const char *text, int px, bool bold, int wrap_w, int *width);

/* Renders every text of the frame into the cache, including texts scrolled out of view, so
 * that scrolling never waits for the font engine. Cheap when they are cached already. */
void render_prepare(struct render *r, const struct ui *u, bool high_contrast);

/* Draws the frame; `focused` is the widget with keyboard focus (-1: none). */
void render_frame(struct render *r, const struct ui *u, int focused, bool high_contrast);

/* Texts the cache had to render since render_open, and texts wider than their box. */
unsigned long render_text_misses(const struct render *r);
unsigned long render_text_overflows(const struct render *r);

/* Writes the current frame as PNG. */
int render_screenshot(SDL_Renderer *sdl, const char *path, struct err *e);

#endif
