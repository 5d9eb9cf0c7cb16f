/* theme — see theme.h. Colours chosen for a calm public-service look: deep blue actions,
 * white cards on a light grey page, green for what the voter chose, a dark orange focus ring.
 * Bars and scroll indicators: a white (black in high contrast) track with a dark (white)
 * outline, filled in the action colour. */
#include "theme.h"

#include <math.h>

static const struct rgb NORMAL[C_COUNT] = {
    [C_BG] = {0xF2, 0xF4, 0xF7},       [C_SURFACE] = {0xFF, 0xFF, 0xFF},
    [C_TEXT] = {0x1A, 0x1F, 0x2B},     [C_MUTED] = {0x4A, 0x55, 0x68},
    [C_PRIMARY] = {0x1F, 0x4E, 0x9E},  [C_ON_PRIMARY] = {0xFF, 0xFF, 0xFF},
    [C_SELECTED] = {0xDD, 0xF3, 0xE4}, [C_ON_SELECTED] = {0x0E, 0x4D, 0x26},
    [C_BORDER] = {0xC4, 0xCC, 0xD8},   [C_FOCUS] = {0xB3, 0x59, 0x00},
    [C_NOTICE] = {0xFF, 0xF1, 0xD6},   [C_ON_NOTICE] = {0x5C, 0x37, 0x00},
    [C_DEMO] = {0x8A, 0x1C, 0x1C},     [C_ON_DEMO] = {0xFF, 0xFF, 0xFF},
    [C_SCRIM] = {0x40, 0x46, 0x52},    [C_TRACK] = {0xFF, 0xFF, 0xFF},
    [C_OUTLINE] = {0x4A, 0x55, 0x68},
};

static const struct rgb HIGH[C_COUNT] = {
    [C_BG] = {0x00, 0x00, 0x00},       [C_SURFACE] = {0x00, 0x00, 0x00},
    [C_TEXT] = {0xFF, 0xFF, 0xFF},     [C_MUTED] = {0xFF, 0xFF, 0x66},
    [C_PRIMARY] = {0xFF, 0xFF, 0x00},  [C_ON_PRIMARY] = {0x00, 0x00, 0x00},
    [C_SELECTED] = {0x00, 0x3A, 0x00}, [C_ON_SELECTED] = {0xFF, 0xFF, 0xFF},
    [C_BORDER] = {0xFF, 0xFF, 0xFF},   [C_FOCUS] = {0x00, 0xFF, 0xFF},
    [C_NOTICE] = {0x00, 0x00, 0x00},   [C_ON_NOTICE] = {0xFF, 0xFF, 0x66},
    [C_DEMO] = {0xFF, 0xFF, 0xFF},     [C_ON_DEMO] = {0x00, 0x00, 0x00},
    [C_SCRIM] = {0x20, 0x20, 0x20},    [C_TRACK] = {0x00, 0x00, 0x00},
    [C_OUTLINE] = {0xFF, 0xFF, 0xFF},
};

const enum colour THEME_PAIRS[][2] = {
    {C_TEXT, C_BG},          {C_TEXT, C_SURFACE},       {C_MUTED, C_SURFACE},
    {C_MUTED, C_BG},         {C_ON_PRIMARY, C_PRIMARY}, {C_ON_SELECTED, C_SELECTED},
    {C_ON_NOTICE, C_NOTICE}, {C_ON_DEMO, C_DEMO},       {C_PRIMARY, C_SURFACE},
    {C_TEXT, C_SELECTED},    {C_MUTED, C_SELECTED},
};
const unsigned THEME_NPAIRS = sizeof THEME_PAIRS / sizeof THEME_PAIRS[0];

const struct theme_nontext THEME_NONTEXT[] = {
    {C_PRIMARY, C_TRACK, "budget bar and scroll thumb on their track"},
    {C_OUTLINE, C_BG, "outline of a bar's track on the page"},
    {C_FOCUS, C_BG, "focus ring on the page"},
    {C_FOCUS, C_SURFACE, "focus ring on a card or dialog"},
    {C_FOCUS, C_SELECTED, "focus ring on a chosen card"},
    {C_ON_SELECTED, C_BG, "chosen card's border on the page"},
    {C_ON_SELECTED, C_SELECTED, "check mark and box on a chosen card"},
    {C_TEXT, C_SURFACE, "check box on a card"},
    {C_PRIMARY, C_BG, "button border on the page"},
    {C_PRIMARY, C_SURFACE, "button border on a card or dialog"},
    {C_PRIMARY, C_SELECTED, "button border on a chosen card"},
};
const unsigned THEME_NNONTEXT = sizeof THEME_NONTEXT / sizeof THEME_NONTEXT[0];

struct rgb theme_colour(enum colour c, bool high_contrast)
{
    if ((unsigned)c >= C_COUNT)
        c = C_TEXT;
    return high_contrast ? HIGH[c] : NORMAL[c];
}

static double channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(struct rgb x)
{
    return 0.2126 * channel(x.r) + 0.7152 * channel(x.g) + 0.0722 * channel(x.b);
}

double theme_contrast(struct rgb a, struct rgb b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}
