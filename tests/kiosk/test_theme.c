/* Every text/background pair the screens use is readable: at least 4.5:1 in the normal theme
 * and 7:1 in high contrast (WCAG 2 contrast ratio). */
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

int main(void)
{
    RUN(test_contrast_function);
    RUN(test_pairs);
    return check_done();
}
