/*
 * image_int — private interface between the parts of the image module: checksums, the
 * zlib/DEFLATE decoder and encoder, and the PNG and JPEG decoders. Not for use outside
 * core/image*.c.
 *
 * Every decoder here takes a `name` (a file name, or "the picture") that starts its error
 * messages, reads only inside [data, data + len), and on failure leaves `out` empty
 * ({0, 0, NULL}) with nothing allocated.
 */
#ifndef ISOLOIR_IMAGE_INT_H
#define ISOLOIR_IMAGE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "election.h"
#include "err.h"
#include "image.h"

/* CRC-32 (ISO 3309, as PNG uses it); start with crc = 0. */
uint32_t image_crc32(uint32_t crc, const uint8_t *p, size_t n);
/* Adler-32 (RFC 1950); start with adler = 1. */
uint32_t image_adler32(uint32_t adler, const uint8_t *p, size_t n);

/* Inflates one zlib stream (RFC 1950 wrapper around RFC 1951 DEFLATE) and checks its
 * Adler-32. The output must be exactly `want` bytes: more or fewer is ERR_FORMAT. *out is
 * malloc'd (grown as data arrives, so a short input claiming a huge size costs little).
 * Bytes after the Adler-32 are ignored. */
int image_inflate_zlib(const uint8_t *in, size_t len, size_t want, uint8_t **out, const char *name,
                       struct err *e);

/* Appends a zlib stream holding `len` bytes to `out` (LZ77 + fixed Huffman codes, or stored
 * blocks when that is smaller). Failure is only out-of-memory, recorded in out->oom. */
void image_deflate_zlib(const uint8_t *in, size_t len, struct buf *out);

int image_png_decode(const uint8_t *data, size_t len, const char *name, struct picture *out,
                     struct err *e);
int image_jpeg_decode(const uint8_t *data, size_t len, const char *name, struct picture *out,
                      struct err *e);

/* Largest width or height a struct picture can hold. */
#define IMAGE_MAX_SIDE 65535u

#endif
