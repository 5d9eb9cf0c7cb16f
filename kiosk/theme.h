/*
 * theme — the kiosk's colours, normal and high contrast, and the contrast arithmetic the tests
 * use to prove every text/background pair is readable (WCAG 2 relative luminance: at least
 * 4.5:1, and 7:1 in high contrast).
 */
#ifndef ISOLOIR_KIOSK_THEME_H
#define ISOLOIR_KIOSK_THEME_H

#include <stdbool.h>
#include <stdint.h>

enum colour {
    C_BG,          /* page background */
    C_SURFACE,     /* cards, panels */
    C_TEXT,        /* body text */
    C_MUTED,       /* secondary text */
    C_PRIMARY,     /* main buttons */
    C_ON_PRIMARY,  /* text on primary */
    C_SELECTED,    /* a chosen card */
    C_ON_SELECTED, /* text on a chosen card */
    C_BORDER,
    C_FOCUS,  /* keyboard focus ring */
    C_NOTICE, /* refusal notices background */
    C_ON_NOTICE,
    C_DEMO, /* demo banner background */
    C_ON_DEMO,
    C_SCRIM, /* behind dialogs */
    C_COUNT
};

struct rgb {
    uint8_t r, g, b;
};

struct rgb theme_colour(enum colour c, bool high_contrast);

/* WCAG contrast ratio of two colours, 1.0 to 21.0. */
double theme_contrast(struct rgb a, struct rgb b);

/* The text/background pairs the screens use, for the contrast test: pairs[i][0] on pairs[i][1]. */
extern const enum colour THEME_PAIRS[][2];
extern const unsigned THEME_NPAIRS;

#endif
