/*
 * image_png — PNG through libpng: the strict reader behind image_decode and the writer
 * image_encode_png.
 *
 * Reading: every CRC error (critical or ancillary chunk) and every "benign" error (extra
 * image data, a palette index beyond the palette, too many IDATs) is an error here, not a
 * warning; ancillary chunks libpng would interpret (colour profiles, text, time) are skipped
 * unread apart from their CRC; an unknown critical chunk is refused. libpng expands every
 * colour type to 8- or 16-bit RGB(A); this file composites alpha on white with exact integer
 * arithmetic (16-bit samples become floor(v / 257), as ImageMagick does). The size is checked
 * against IMAGE_MAX_PIXELS before any buffer for pixels is allocated, and a file that ends
 * before IEND is refused.
 *
 * libpng reports errors by longjmp: each setjmp sits in a function whose own locals are not
 * changed after it (all state lives in the struct its argument points to).
 */
#include <png.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "image.h"
#include "image_int.h"

/* ---- reading ----------------------------------------------------------------------------- */

struct png_in {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t len, pos;
    const char *name;
    struct err *e;
    bool truncated;
    char msg[200];
    png_bytep raw;   /* libpng's output: 8/16-bit RGB or RGBA rows */
    png_bytepp rows; /* row pointers into raw */
    uint8_t *rgb;    /* the result */
    png_uint_32 w, h;
};

static void png_in_error(png_structp png, png_const_charp msg)
{
    struct png_in *in = png_get_error_ptr(png);
    snprintf(in->msg, sizeof in->msg, "%s", msg);
    png_longjmp(png, 1);
}

/* A warning means libpng met something wrong and carried on: refuse instead of guessing. */
static void png_in_warning(png_structp png, png_const_charp msg)
{
    png_in_error(png, msg);
}

static void png_in_read(png_structp png, png_bytep out, size_t n)
{
    struct png_in *in = png_get_io_ptr(png);
    if (n > in->len - in->pos) {
        in->truncated = true;
        png_error(png, "the file ends too soon");
    }
    memcpy(out, in->data + in->pos, n);
    in->pos += n;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* v in [0, maxv] with alpha a in [0, maxv], composited on white, as 8 bits rounded down
 * (the exact value floor(255 * (v*a + maxv*(maxv-a)) / maxv^2)). */
static uint8_t on_white(uint64_t v, uint64_t a, uint64_t maxv)
{
    uint64_t num = v * a + maxv * (maxv - a);
    uint64_t den = maxv * maxv;
    return (uint8_t)(num * 255 / den);
}

/* Everything that may longjmp. Returns normally only on success. */
static void png_in_run(struct png_in *in)
{
    png_set_read_fn(in->png, in, png_in_read);
    png_set_crc_action(in->png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_set_benign_errors(in->png, 0);
    /* Skip every ancillary chunk but tRNS (its CRC is still checked); unknown critical
     * chunks stay an error. */
    png_set_keep_unknown_chunks(in->png, PNG_HANDLE_CHUNK_NEVER, NULL, 0);
    static const png_byte skip[] = "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0"
                                   "sBIT\0sCAL\0sPLT\0sTER\0sRGB\0tEXt\0tIME\0zTXt";
    png_set_keep_unknown_chunks(in->png, PNG_HANDLE_CHUNK_NEVER, skip, (int)(sizeof skip / 5));
    png_set_user_limits(in->png, IMAGE_MAX_SIDE, IMAGE_MAX_SIDE);
    png_read_info(in->png, in->info);
    int depth, ctype, interlace;
    png_get_IHDR(in->png, in->info, &in->w, &in->h, &depth, &ctype, &interlace, NULL, NULL);
    png_set_expand(in->png);
    png_set_gray_to_rgb(in->png);
    png_set_interlace_handling(in->png);
    png_read_update_info(in->png, in->info);
    unsigned ch = png_get_channels(in->png, in->info);
    unsigned bytes = png_get_bit_depth(in->png, in->info) == 16 ? 2 : 1;
    size_t rowbytes = png_get_rowbytes(in->png, in->info);
    if ((ch != 3 && ch != 4) || rowbytes != (size_t)in->w * ch * bytes)
        png_error(in->png, "unexpected pixel layout");
    in->raw = malloc(rowbytes * in->h);
    in->rows = malloc(in->h * sizeof *in->rows);
    in->rgb = malloc((size_t)in->w * in->h * 3);
    if (!in->raw || !in->rows || !in->rgb)
        png_error(in->png, "out of memory");
    for (size_t y = 0; y < in->h; y++)
        in->rows[y] = in->raw + y * rowbytes;
    png_read_image(in->png, in->rows);
    png_read_end(in->png, NULL); /* reads up to IEND, checking every CRC */
    uint64_t maxv = bytes == 2 ? 65535 : 255;
    for (size_t y = 0; y < in->h; y++) {
        const uint8_t *s = in->rows[y];
        uint8_t *d = in->rgb + y * in->w * 3;
        for (size_t x = 0; x < in->w; x++, d += 3, s += ch * bytes) {
            uint64_t v[4];
            for (unsigned c = 0; c < ch; c++)
                v[c] = bytes == 2 ? (uint64_t)s[2 * c] << 8 | s[2 * c + 1] : s[c];
            uint64_t a = ch == 4 ? v[3] : maxv;
            if (bytes == 1 && a == 255) {
                d[0] = (uint8_t)v[0];
                d[1] = (uint8_t)v[1];
                d[2] = (uint8_t)v[2];
            } else {
                for (unsigned c = 0; c < 3; c++)
                    d[c] = on_white(v[c], a, maxv);
            }
        }
    }
}

static int png_in_protected(struct png_in *in)
{
    if (setjmp(png_jmpbuf(in->png)))
        return -1;
    png_in_run(in);
    return 0;
}

int image_png_decode(const uint8_t *data, size_t len, const char *name, struct picture *out,
                     struct err *e)
{
    memset(out, 0, sizeof *out);
    /* Every chunk's CRC is checked before libpng uses its data (libpng checks it only after
     * inflating it), so that damage gets the message that names it. */
    for (size_t pos = 8; len >= 8 && len - pos >= 12;) {
        uint32_t n = be32(data + pos);
        if (n > len - pos - 12)
            break; /* truncated: libpng says so */
        if ((uint32_t)crc32(0, data + pos + 4, (uInt)n + 4) != be32(data + pos + 8 + n)) {
            char type[5];
            for (int i = 0; i < 4; i++) {
                uint8_t c = data[pos + 4 + i];
                type[i] = (char)((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ? c : '?');
            }
            type[4] = 0;
            return err_set(e, ERR_FORMAT,
                           "%s: the PNG chunk %s fails its CRC check; the file is damaged: copy or "
                           "export the picture again",
                           name, type);
        }
        if (memcmp(data + pos + 4, "IEND", 4) == 0)
            break;
        pos += 12 + (size_t)n;
    }
    /* The size in the header is checked before libpng sees the file, so that an oversized
     * picture gets the message that says what to do. */
    if (len >= 33 && memcmp(data + 12, "IHDR", 4) == 0 && be32(data + 8) == 13) {
        uint32_t w = be32(data + 16), h = be32(data + 20);
        if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE || (uint64_t)w * h > IMAGE_MAX_PIXELS)
            return image_too_large(name, w, h, e);
    }
    struct png_in in = {.data = data, .len = len, .name = name, .e = e};
    in.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &in, png_in_error, png_in_warning);
    if (in.png)
        in.info = png_create_info_struct(in.png);
    if (!in.png || !in.info) {
        png_destroy_read_struct(in.png ? &in.png : NULL, NULL, NULL);
        return err_set(e, ERR_NOMEM, "%s: out of memory", name);
    }
    int rc = 0;
    if (png_in_protected(&in) != 0) {
        if (in.truncated)
            rc = err_set(e, ERR_FORMAT,
                         "%s: the PNG file ends too soon (truncated file?); copy or export the "
                         "picture again",
                         name);
        else if (strcmp(in.msg, "out of memory") == 0)
            rc = err_set(e, ERR_NOMEM, "%s: out of memory for a %lux%lu picture", name,
                         (unsigned long)in.w, (unsigned long)in.h);
        else if (strstr(in.msg, "Extra compress") || strstr(in.msg, "Too much image data"))
            rc = err_set(e, ERR_FORMAT,
                         "%s: the PNG image data is longer than the picture its header "
                         "announces; the file is damaged: export the picture again",
                         name);
        else
            rc = err_set(e, ERR_FORMAT,
                         "%s: the PNG file is damaged (%s); copy or export the picture again", name,
                         in.msg);
    }
    png_destroy_read_struct(&in.png, &in.info, NULL);
    free(in.raw);
    free(in.rows);
    if (rc) {
        free(in.rgb);
        return rc;
    }
    if (in.w == 0 || in.h == 0 || in.w > IMAGE_MAX_SIDE || in.h > IMAGE_MAX_SIDE) {
        free(in.rgb);
        return image_too_large(name, in.w, in.h, e);
    }
    out->rgb = in.rgb;
    out->w = (uint16_t)in.w;
    out->h = (uint16_t)in.h;
    return 0;
}

/* ---- writing ----------------------------------------------------------------------------- */

struct png_out {
    png_structp png;
    png_infop info;
    struct buf *out;
    const uint8_t *pixels;
    unsigned w, h, channels;
    size_t pitch;
};

static void png_out_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void png_out_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static void png_out_write(png_structp png, png_bytep data, size_t n)
{
    struct png_out *o = png_get_io_ptr(png);
    buf_raw(o->out, data, n);
    if (o->out->oom)
        png_error(png, "out of memory");
}

static void png_out_flush(png_structp png)
{
    (void)png;
}

static int png_out_protected(struct png_out *o)
{
    if (setjmp(png_jmpbuf(o->png)))
        return -1;
    png_set_write_fn(o->png, o, png_out_write, png_out_flush);
    /* One IDAT for pictures up to 1 MiB of compressed data. */
    png_set_compression_buffer_size(o->png, 1u << 20);
    png_set_IHDR(o->png, o->info, o->w, o->h, 8,
                 o->channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(o->png, o->info);
    for (size_t y = 0; y < o->h; y++)
        png_write_row(o->png, o->pixels + y * o->pitch);
    png_write_end(o->png, NULL);
    return 0;
}

int image_encode_png(const uint8_t *pixels, unsigned w, unsigned h, unsigned channels, size_t pitch,
                     struct buf *out, struct err *e)
{
    if (!pixels || w == 0 || h == 0 || (channels != 3 && channels != 4) ||
        pitch < (size_t)w * channels)
        return err_set(e, ERR_USAGE,
                       "image_encode_png: needs pixels, a size above 0, 3 or 4 channels and a "
                       "pitch of at least width x channels");
    if ((uint64_t)w * h > IMAGE_MAX_PIXELS || w > 0x7fffffffu || h > 0x7fffffffu)
        return err_set(e, ERR_USAGE, "image_encode_png: %ux%u is more than %u pixels", w, h,
                       IMAGE_MAX_PIXELS);
    size_t start = out->len;
    struct png_out o = {
        .out = out, .pixels = pixels, .w = w, .h = h, .channels = channels, .pitch = pitch};
    o.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &o, png_out_error, png_out_warning);
    if (o.png)
        o.info = png_create_info_struct(o.png);
    int rc = 0;
    if (!o.png || !o.info || png_out_protected(&o) != 0 || out->oom) {
        out->len = start;
        rc = err_set(e, ERR_NOMEM, "out of memory encoding a %ux%u PNG", w, h);
    }
    png_destroy_write_struct(o.png ? &o.png : NULL, o.info ? &o.info : NULL);
    return rc;
}
