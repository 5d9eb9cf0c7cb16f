/* theme — see theme.h. Colours chosen for a calm public-service look: deep blue actions,
 * white cards on a light grey page, green for what the voter chose. */
#include "theme.h"

#include <math.h>

static const struct rgb NORMAL[C_COUNT] = {
    [C_BG] = {0xF2, 0xF4, 0xF7},       [C_SURFACE] = {0xFF, 0xFF, 0xFF},
    [C_TEXT] = {0x1A, 0x1F, 0x2B},     [C_MUTED] = {0x4A, 0x55, 0x68},
    [C_PRIMARY] = {0x1F, 0x4E, 0x9E},  [C_ON_PRIMARY] = {0xFF, 0xFF, 0xFF},
    [C_SELECTED] = {0xDD, 0xF3, 0xE4}, [C_ON_SELECTED] = {0x0E, 0x4D, 0x26},
    [C_BORDER] = {0xC4, 0xCC, 0xD8},   [C_FOCUS] = {0xE0, 0x7A, 0x00},
    [C_NOTICE] = {0xFF, 0xF1, 0xD6},   [C_ON_NOTICE] = {0x5C, 0x37, 0x00},
    [C_DEMO] = {0x8A, 0x1C, 0x1C},     [C_ON_DEMO] = {0xFF, 0xFF, 0xFF},
    [C_SCRIM] = {0x40, 0x46, 0x52},
};

static const struct rgb HIGH[C_COUNT] = {
    [C_BG] = {0x00, 0x00, 0x00},       [C_SURFACE] = {0x00, 0x00, 0x00},
    [C_TEXT] = {0xFF, 0xFF, 0xFF},     [C_MUTED] = {0xFF, 0xFF, 0x66},
    [C_PRIMARY] = {0xFF, 0xFF, 0x00},  [C_ON_PRIMARY] = {0x00, 0x00, 0x00},
    [C_SELECTED] = {0x00, 0x3A, 0x00}, [C_ON_SELECTED] = {0xFF, 0xFF, 0xFF},
    [C_BORDER] = {0xFF, 0xFF, 0xFF},   [C_FOCUS] = {0x00, 0xFF, 0xFF},
    [C_NOTICE] = {0x00, 0x00, 0x00},   [C_ON_NOTICE] = {0xFF, 0xFF, 0x66},
    [C_DEMO] = {0xFF, 0xFF, 0xFF},     [C_ON_DEMO] = {0x00, 0x00, 0x00},
    [C_SCRIM] = {0x20, 0x20, 0x20},
};

const enum colour THEME_PAIRS[][2] = {
    {C_TEXT, C_BG},          {C_TEXT, C_SURFACE},       {C_MUTED, C_SURFACE},
    {C_MUTED, C_BG},         {C_ON_PRIMARY, C_PRIMARY}, {C_ON_SELECTED, C_SELECTED},
    {C_ON_NOTICE, C_NOTICE}, {C_ON_DEMO, C_DEMO},       {C_PRIMARY, C_SURFACE},
    {C_TEXT, C_SELECTED},    {C_MUTED, C_SELECTED},
};
const unsigned THEME_NPAIRS = sizeof THEME_PAIRS / sizeof THEME_PAIRS[0];

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
