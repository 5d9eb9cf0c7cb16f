/*
 * fuzz_image — image_decode on arbitrary bytes: it must return a complete picture or a clean
 * error, never read or write out of bounds, never leak. A decoded picture is also scaled to
 * the package size, and re-encoded as PNG and decoded again, which must give it back.
 *
 * PNG chunks carry CRCs that random mutations almost never get right, so each input that
 * looks like a PNG is decoded twice: as is, and with every chunk CRC recomputed, so that the
 * fuzzer reaches libpng's chunk parser, zlib's inflate and the filters.
 */
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "image.h"

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size);

/* Rewrites the CRC of every whole chunk of a PNG in place. */
static void fix_crcs(uint8_t *d, size_t n)
{
    size_t pos = 8;
    while (n - pos >= 12) {
        uint32_t len = (uint32_t)d[pos] << 24 | (uint32_t)d[pos + 1] << 16 |
                       (uint32_t)d[pos + 2] << 8 | d[pos + 3];
        if (len > n - pos - 12)
            break;
        uint32_t crc = (uint32_t)crc32(0, d + pos + 4, (uInt)len + 4);
        uint8_t *c = d + pos + 8 + len;
        c[0] = (uint8_t)(crc >> 24);
        c[1] = (uint8_t)(crc >> 16);
        c[2] = (uint8_t)(crc >> 8);
        c[3] = (uint8_t)crc;
        pos += 12 + (size_t)len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size);
    if (size >= 8 && memcmp(data, "\x89PNG", 4) == 0) {
        uint8_t *copy = malloc(size);
        if (!copy)
            return 0;
        memcpy(copy, data, size);
        fix_crcs(copy, size);
        one(copy, size);
        free(copy);
    }
    return 0;
}

static void one(const uint8_t *data, size_t size)
{
    struct picture pic;
    struct err e;
    if (image_decode(data, size, &pic, &e) != 0) {
        if (pic.rgb || pic.w || pic.h)
            abort(); /* a failed decode must leave nothing behind */
        return;
    }
    if (!pic.rgb || pic.w == 0 || pic.h == 0)
        abort();
    if (image_fit(&pic, PICTURE_MAX_W, PICTURE_MAX_H, &e) == 0) {
        struct buf png;
        buf_init(&png);
        if (image_encode_png(pic.rgb, pic.w, pic.h, 3, (size_t)pic.w * 3, &png, &e) == 0) {
            struct picture back;
            if (image_decode(png.data, png.len, &back, &e) != 0 || back.w != pic.w ||
                back.h != pic.h || memcmp(back.rgb, pic.rgb, (size_t)pic.w * pic.h * 3) != 0)
                abort();
            free(back.rgb);
        }
        buf_free(&png);
    }
    free(pic.rgb);
}
