/*
 * image — the public face of the image module (see image.h): format detection, area-average
 * downscaling and loading a picture file for a package. The formats are read in image_png.c
 * (libpng) and image_jpeg.c (libjpeg); the PNG writer is in image_png.c.
 *
 * Invariants: a returned picture is either complete (w * h * 3 bytes of RGB) or empty
 * ({0, 0, NULL}); scaling never enlarges and keeps the aspect ratio to the nearest pixel.
 * This code runs when a package is built, never on the kiosk.
 */
#include <stdbool.h>
#include <stdint.h>

#include "image.h"
#include "image_int.h"

#include "util.h"

static bool starts(const uint8_t *d, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

/* image_decode with a name for messages. */
static int decode_named(const uint8_t *data, size_t len, const char *name, struct picture *out,
                        struct err *e)
{
    memset(out, 0, sizeof *out);
    if (!data)
        len = 0;
    if (starts(data, len, "\x89PNG\r\n\x1a\n", 8))
        return image_png_decode(data, len, name, out, e);
    if (starts(data, len, "\xff\xd8\xff", 3))
        return image_jpeg_decode(data, len, name, out, e);
    const char *kind = NULL;
    if (starts(data, len, "GIF8", 4))
        kind = "a GIF";
    else if (starts(data, len, "RIFF", 4) && len >= 12 && memcmp(data + 8, "WEBP", 4) == 0)
        kind = "a WebP";
    else if (len >= 12 && memcmp(data + 4, "ftyp", 4) == 0)
        kind = "a HEIF/HEIC or AVIF";
    else if (starts(data, len, "BM", 2))
        kind = "a BMP";
    else if (starts(data, len, "II*\0", 4) || starts(data, len, "MM\0*", 4))
        kind = "a TIFF";
    if (kind)
        return err_set(e, ERR_FORMAT,
                       "%s is %s file; only PNG and JPEG are accepted: save it as PNG or JPEG",
                       name, kind);
    return err_set(e, ERR_FORMAT, "%s is neither PNG nor JPEG; save the picture as PNG or JPEG",
                   name);
}

int image_too_large(const char *name, unsigned long w, unsigned long h, struct err *e)
{
    return err_set(e, ERR_FORMAT,
                   "%s: the picture is %lux%lu pixels; the largest accepted is %u pixels on a "
                   "side and %u pixels in all: scale it down first",
                   name, w, h, IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS);
}

int image_decode(const uint8_t *data, size_t len, struct picture *out, struct err *e)
{
    return decode_named(data, len, "the picture", out, e);
}

int image_fit(struct picture *pic, unsigned max_w, unsigned max_h, struct err *e)
{
    if (max_w == 0 || max_h == 0)
        return err_set(e, ERR_USAGE, "image_fit: the target size must be at least 1x1");
    size_t w = pic->w, h = pic->h;
    if (w == 0 || h == 0 || !pic->rgb || (w <= max_w && h <= max_h))
        return 0;
    size_t nw, nh;
    if ((uint64_t)w * max_h >= (uint64_t)h * max_w) { /* width is the limit */
        nw = max_w;
        nh = (h * max_w + w / 2) / w;
    } else {
        nh = max_h;
        nw = (w * max_h + h / 2) / h;
    }
    if (nw == 0)
        nw = 1;
    if (nh == 0)
        nh = 1;
    if (nw > w)
        nw = w;
    if (nh > h)
        nh = h;
    /* Output pixel (ox, oy) covers source [ox*w/nw, (ox+1)*w/nw) x [oy*h/nh, (oy+1)*h/nh).
     * Working in units of 1/nw source pixel horizontally (1/nh vertically), every overlap is
     * a whole number, so the average is exact before the final rounding. */
    uint8_t *dst = malloc(nw * nh * 3);
    uint32_t *row = malloc(nw * 3 * sizeof *row);
    uint64_t *acc = malloc(nw * 3 * sizeof *acc);
    if (!dst || !row || !acc) {
        free(dst);
        free(row);
        free(acc);
        return err_set(e, ERR_NOMEM, "out of memory scaling a %zux%zu picture", w, h);
    }
    for (size_t oy = 0; oy < nh; oy++) {
        memset(acc, 0, nw * 3 * sizeof *acc);
        size_t y_lo = oy * h, y_hi = (oy + 1) * h; /* in units of 1/nh */
        for (size_t sy = y_lo / nh; sy * nh < y_hi; sy++) {
            size_t a = sy * nh > y_lo ? sy * nh : y_lo;
            size_t b = (sy + 1) * nh < y_hi ? (sy + 1) * nh : y_hi;
            uint64_t wy = b - a;
            const uint8_t *src = pic->rgb + sy * w * 3;
            /* Horizontal reduction of source row sy, unnormalised (sum of weights = w). */
            for (size_t ox = 0; ox < nw; ox++) {
                uint32_t s0 = 0, s1 = 0, s2 = 0;
                size_t x_lo = ox * w, x_hi = (ox + 1) * w;
                for (size_t sx = x_lo / nw; sx * nw < x_hi; sx++) {
                    size_t c = sx * nw > x_lo ? sx * nw : x_lo;
                    size_t d = (sx + 1) * nw < x_hi ? (sx + 1) * nw : x_hi;
                    uint32_t wx = (uint32_t)(d - c);
                    s0 += wx * src[sx * 3];
                    s1 += wx * src[sx * 3 + 1];
                    s2 += wx * src[sx * 3 + 2];
                }
                row[ox * 3] = s0;
                row[ox * 3 + 1] = s1;
                row[ox * 3 + 2] = s2;
            }
            for (size_t i = 0; i < nw * 3; i++)
                acc[i] += wy * row[i];
        }
        uint64_t den = (uint64_t)w * h;
        for (size_t i = 0; i < nw * 3; i++)
            dst[oy * nw * 3 + i] = (uint8_t)((acc[i] + den / 2) / den);
    }
    free(row);
    free(acc);
    free(pic->rgb);
    pic->rgb = dst;
    pic->w = (uint16_t)nw;
    pic->h = (uint16_t)nh;
    return 0;
}

int image_load_picture(const char *path, size_t max_file_bytes, struct picture *out, struct err *e)
{
    uint8_t *data = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    int rc = util_read_file(path, max_file_bytes, &data, &len, e);
    if (rc)
        return rc;
    rc = decode_named(data, len, path, out, e);
    free(data);
    if (rc)
        return rc;
    rc = image_fit(out, PICTURE_MAX_W, PICTURE_MAX_H, e);
    if (rc) {
        err_prefix(e, "%s: ", path);
        free(out->rgb);
        memset(out, 0, sizeof *out);
    }
    return rc;
}
