/*
 * image — turns the authority's project pictures (PNG or JPEG) into the plain RGB pictures a
 * package carries, and writes PNG (generated demo pictures, tests).
 *
 * Decoding happens only when a package is built, never on the kiosk: the kiosk shows RGB
 * from a signed package and parses no image format. The formats are read by libpng and
 * libjpeg(-turbo), used strictly and bounded: a picture larger than IMAGE_MAX_PIXELS, an
 * arithmetic-coded JPEG, a PNG chunk with a bad CRC, a warning from either library (damaged
 * data it would otherwise paper over) or any truncation is refused with ERR_FORMAT and a
 * sentence saying what to do.
 */
#ifndef ISOLOIR_IMAGE_H
#define ISOLOIR_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "election.h"
#include "err.h"

#define IMAGE_MAX_PIXELS (40u * 1000u * 1000u)

/* Decodes PNG or JPEG (detected by signature) to 8-bit RGB at full size; alpha is composited
 * on white. out->rgb is malloc'd. */
int image_decode(const uint8_t *data, size_t len, struct picture *out, struct err *e);

/* Scales down (area average) so that the picture fits max_w x max_h, keeping its aspect;
 * a picture that already fits is left as is. */
int image_fit(struct picture *pic, unsigned max_w, unsigned max_h, struct err *e);

/* Reads a file of at most max_file_bytes, decodes it and fits it to PICTURE_MAX_W x
 * PICTURE_MAX_H. Errors name the file. */
int image_load_picture(const char *path, size_t max_file_bytes, struct picture *out, struct err *e);

/* Encodes 8-bit RGB (channels 3) or RGBA (channels 4) pixels, row stride `pitch` bytes, as a
 * PNG file in `out`. */
int image_encode_png(const uint8_t *pixels, unsigned w, unsigned h, unsigned channels, size_t pitch,
                     struct buf *out, struct err *e);

#endif
