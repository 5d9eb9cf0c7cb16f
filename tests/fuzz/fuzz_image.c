/*
 * fuzz_image — image_decode on arbitrary bytes: it must return a complete picture or a clean
 * error, never read or write out of bounds, never leak. A decoded picture is also scaled to
 * the package size, and re-encoded as PNG and decoded again, which must give it back.
 */
#include <stddef.h>
#include <stdint.h>

#include "image.h"

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct picture pic;
    struct err e;
    if (image_decode(data, size, &pic, &e) != 0) {
        if (pic.rgb || pic.w || pic.h)
            abort(); /* a failed decode must leave nothing behind */
        return 0;
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
    return 0;
}
