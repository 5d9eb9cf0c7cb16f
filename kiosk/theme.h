/*
 * theme — the kiosk's colours, normal and high contrast, and the contrast arithmetic the tests
 * use to prove every text/background pair is readable (WCAG 2 relative luminance: at least
 * 4.5:1, and 7:1 in high contrast) and every non-text element that carries meaning stands out
 * from what it touches (WCAG 2.1 1.4.11: at least 3:1, in both themes).
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
    C_SCRIM,   /* behind dialogs */
    C_TRACK,   /* the empty part of a budget bar or scroll indicator */
    C_OUTLINE, /* the outline of a bar's track */
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

/* The non-text pairs as render.c draws them: the element's colour, the colour beside it, and
 * what it is (budget bar, focus ring, chosen card's border, check box, button border...). */
struct theme_nontext {
    enum colour fg, bg;
    const char *what;
};
extern const struct theme_nontext THEME_NONTEXT[];
extern const unsigned THEME_NNONTEXT;

#endif
