/* Every text/background pair the screens use is readable: at least 4.5:1 in the normal theme
 * and 7:1 in high contrast (WCAG 2 contrast ratio); every non-text element that carries meaning
 * (budget bar, focus ring, chosen card's border, check box, button border) has at least 3:1
 * against what it touches, in both themes (WCAG 2.1 1.4.11). */
#include "check.h"
#include "theme.h"

static void test_contrast_function(void)
{
    struct rgb black = {0, 0, 0}, white = {255, 255, 255};
    CHECK(theme_contrast(black, white) > 20.9 && theme_contrast(black, white) < 21.1);
    CHECK(theme_contrast(white, white) < 1.01);
    struct rgb grey = {0x76, 0x76, 0x76}; /* the classic 4.5:1 grey on white */
    CHECK(theme_contrast(grey, white) > 4.4 && theme_contrast(grey, white) < 4.6);
}

static void test_pairs(void)
{
    for (unsigned i = 0; i < THEME_NPAIRS; i++) {
        double n = theme_contrast(theme_colour(THEME_PAIRS[i][0], false),
                                  theme_colour(THEME_PAIRS[i][1], false));
        double h = theme_contrast(theme_colour(THEME_PAIRS[i][0], true),
                                  theme_colour(THEME_PAIRS[i][1], true));
        if (n < 4.5 || h < 7.0)
            fprintf(stderr, "pair %u (%d on %d): %.2f normal, %.2f high contrast\n", i,
                    THEME_PAIRS[i][0], THEME_PAIRS[i][1], n, h);
        CHECK(n >= 4.5);
        CHECK(h >= 7.0);
    }
}

static void test_nontext(void)
{
    for (unsigned i = 0; i < THEME_NNONTEXT; i++) {
        for (int hc = 0; hc < 2; hc++) {
            double c = theme_contrast(theme_colour(THEME_NONTEXT[i].fg, hc),
                                      theme_colour(THEME_NONTEXT[i].bg, hc));
            printf("%-45s %-13s %5.2f:1\n", THEME_NONTEXT[i].what, hc ? "high contrast" : "normal",
                   c);
            if (c < 3.0)
                fprintf(stderr, "%s: %.2f:1 in the %s theme, 3:1 needed\n", THEME_NONTEXT[i].what,
                        c, hc ? "high-contrast" : "normal");
            CHECK(c >= 3.0);
        }
    }
}

int main(void)
{
    RUN(test_contrast_function);
    RUN(test_pairs);
    RUN(test_nontext);
    return check_done();
}
