/*
 * image_int — private interface between the parts of the image module: the PNG reader and
 * writer (libpng) and the JPEG reader (libjpeg). Not for use outside tools/author/image*.c.
 *
 * Every decoder here takes a `name` (a file name, or "the picture") that starts its error
 * messages, reads only inside [data, data + len), and on failure leaves `out` empty
 * ({0, 0, NULL}) with nothing allocated.
 */
#ifndef ISOLOIR_IMAGE_INT_H
#define ISOLOIR_IMAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "election.h"
#include "err.h"
#include "image.h"

int image_png_decode(const uint8_t *data, size_t len, const char *name, struct picture *out,
                     struct err *e);
int image_jpeg_decode(const uint8_t *data, size_t len, const char *name, struct picture *out,
                      struct err *e);

/* Largest width or height a struct picture can hold. */
#define IMAGE_MAX_SIDE 65535u

/* The refusal of a picture too large to hold, shared by both decoders. */
int image_too_large(const char *name, unsigned long w, unsigned long h, struct err *e);

#endif
