/* imgtest — what the image tests share: a seeded generator and the ImageMagick fixtures. */
#ifndef ISOLOIR_TESTS_IMGTEST_H
#define ISOLOIR_TESTS_IMGTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "image.h"
#include "util.h"

/* not inline: a variable */
static uint32_t rng_state = 12345;
static inline uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static inline char *fixture_path(const char *name)
{
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    if (!src)
        check_skip("ISOLOIR_SOURCE_DIR is not set (run under ctest)");
    size_t n = strlen(src) + strlen(name) + 40;
    char *p = malloc(n);
    snprintf(p, n, "%s/tests/image/fixtures/%s", src, name);
    return p;
}

static inline bool read_fixture(const char *name, uint8_t **data, size_t *len)
{
    char *p = fixture_path(name);
    struct err e;
    int rc = util_read_file(p, 1 << 20, data, len, &e);
    if (rc)
        fprintf(stderr, "%s\n", e.msg);
    free(p);
    return rc == 0;
}

/* Decodes fixture `name`.png/.jpg and compares with `name`.rgb: max and mean abs diff. */
static inline void compare_fixture(const char *file, const char *rgbname, unsigned max_tol,
                                   double mean_tol)
{
    uint8_t *data = NULL, *want = NULL;
    size_t len = 0, wlen = 0;
    CHECK(read_fixture(file, &data, &len));
    CHECK(read_fixture(rgbname, &want, &wlen));
    struct picture pic;
    struct err e;
    int rc = image_decode(data, len, &pic, &e);
    if (rc)
        fprintf(stderr, "%s: %s\n", file, e.msg);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_INT((size_t)pic.w * pic.h * 3, wlen);
        if ((size_t)pic.w * pic.h * 3 == wlen) {
            unsigned maxd = 0;
            double sum = 0;
            for (size_t i = 0; i < wlen; i++) {
                unsigned d = (unsigned)abs((int)pic.rgb[i] - want[i]);
                maxd = d > maxd ? d : maxd;
                sum += d;
            }
            double mean = sum / (double)wlen;
            if (max_tol > 0)
                printf("%s: max diff %u, mean %.3f\n", file, maxd, mean);
            if (maxd > max_tol || mean > mean_tol)
                fprintf(stderr, "%s: max diff %u, mean %.3f (allowed %u, %.3f)\n", file, maxd, mean,
                        max_tol, mean_tol);
            CHECK(maxd <= max_tol);
            CHECK(mean <= mean_tol);
        }
    }
    free(pic.rgb);
    free(data);
    free(want);
}

#endif
