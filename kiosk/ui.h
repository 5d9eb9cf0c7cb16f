/*
 * ui — lays out one frame: from the session, the election and the window size, a flat list
 * of widgets (role, id, text, rectangle, colours, state, action). The same list is drawn by
 * render.c, hit-tested for taps, walked for keyboard focus, and printed as the text
 * description that headless tests assert on. Building it never changes the session.
 *
 * Sizes derive from the window: a unit of 1/100 of the shorter side, with floors in pixels so
 * that an 800x480 panel keeps touch targets of at least 48 px (9 mm on a 7" panel) and body
 * text of at least 22 px; the voter's text size (three steps) scales text by 1, 4/3 or 5/3 and
 * buttons by 1, 5/4 or 3/2. Text is measured through a callback (SDL_ttf in the kiosk and its
 * tests), so boxes grow to fit wrapped text: button labels wrap and never shrink, bars flow
 * onto more rows, and what does not fit between the bars scrolls. tests/kiosk/test_layout.c
 * checks every screen for overlap, clipped text and controls off-screen.
 */
#ifndef ISOLOIR_KIOSK_UI_H
#define ISOLOIR_KIOSK_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "election.h"
#include "session.h"
#include "theme.h"

enum role {
    R_PANEL,   /* a background box */
    R_TEXT,    /* wrapped text */
    R_BUTTON,  /* a touch target with a label */
    R_CARD,    /* a project card (touch target) */
    R_PICTURE, /* a project's picture */
    R_BAR,     /* a progress bar: value / max */
    R_CHECK,   /* a check box, ticked when W_SELECTED (a drawn mark, not a glyph) */
    R_SCROLL,  /* a scroll indicator: `span` of `max` pixels shown from `value` */
};

enum wflag {
    W_SELECTED = 1 << 0,
    W_DISABLED = 1 << 1,
    W_FOCUSABLE = 1 << 2,
    W_CLIPPED = 1 << 3, /* inside the scrolling list: drawn and hit only within `clip` */
    W_CENTER = 1 << 4,
    W_BOLD = 1 << 5,
    W_TICKING = 1 << 6, /* a countdown: read aloud when its screen opens, not at every tick */
};

struct rect {
    int x, y, w, h;
};

struct widget {
    char id[64];
    enum role role;
    struct rect r;
    const char *text; /* in the ui's arena or the catalogue */
    int px;           /* font size */
    enum colour fg, bg;
    unsigned flags;
    struct action act;
    int project;     /* R_PICTURE */
    long value, max; /* R_BAR, R_SCROLL */
    long span;       /* R_SCROLL: the height in view */
};

/* A project card takes up to ten widgets: room for ballots of about 200 projects (beyond, the
 * last widgets would be lost; test_layout reports a frame that reaches the limit). */
#define UI_MAX_WIDGETS 2048
#define UI_ARENA       131072

/* Height in pixels of `text` wrapped to `wrap_w` at `px` (bold or not); the width of its
 * widest line goes to *width when width is not NULL. */
typedef int (*ui_measure_fn)(void *ctx, const char *text, int px, bool bold, int wrap_w,
                             int *width);

struct ui {
    struct widget w[UI_MAX_WIDGETS];
    size_t n;
    char arena[UI_ARENA];
    size_t used;
    struct rect clip; /* the scrolling list's viewport */
    int content_h;    /* full height of the scrolling content */
    int unit, body_px, button_h, pad;
    int text_size; /* the session's, 0 to TEXT_SIZES - 1 */
    bool demo;
    bool overflow; /* a text did not fit its box (a bug: tests assert it never happens) */
};

void ui_build(struct ui *u, const struct session *s, const struct election *el, int w, int h,
              bool demo, ui_measure_fn measure, void *ctx);

/* The topmost widget with an action at (x, y), or -1. */
int ui_hit(const struct ui *u, int x, int y);
/* The widget with this id, or -1. */
int ui_find(const struct ui *u, const char *id);
/* The scroll that shows widget i of the scrolling list whole, or from its top when it is
 * taller than the list's viewport (`scroll` when it is in view already). */
int ui_reveal(const struct ui *u, int i, int scroll);
/* Next / previous focusable widget after `from` (-1: first), wrapping; -1 if none. */
int ui_focus_step(const struct ui *u, int from, int dir);

/* One line per widget: role id "label" x,y,w,h [selected] [disabled] [focused]. */
void ui_describe(const struct ui *u, int focused, FILE *f);

#endif
