/*
 * image_jpeg — JPEG reader (placeholder until the baseline decoder lands): refuses every
 * JPEG with a message saying to use PNG.
 */
#include "image_int.h"

#include "util.h"

int image_jpeg_decode(const uint8_t *data, size_t len, const char *name, struct picture *out,
                      struct err *e)
{
    (void)data;
    (void)len;
    memset(out, 0, sizeof *out);
    return err_set(e, ERR_FORMAT, "%s is a JPEG; JPEG is not read yet: save it as PNG", name);
}
