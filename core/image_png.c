/*
 * image_png — the PNG reader (ISO/IEC 15948) and writer of the image module.
 *
 * Reader: checks the signature and every chunk's CRC-32, reads IHDR, PLTE, tRNS, the IDAT
 * stream and IEND (anything after IEND is ignored), refuses unknown critical chunks and
 * skips ancillary ones. It supports every colour type and bit depth, the five filters and
 * Adam7 interlace, and composites transparency on white. The size is checked (at most
 * IMAGE_MAX_PIXELS, 65535 on a side) before anything is allocated; the decompressed size is
 * computed from the header and the zlib stream must fill it exactly.
 *
 * Writer: 8-bit RGB or RGBA, one IDAT, each row filtered with the filter that gives the
 * smallest sum of absolute differences, compressed by image_deflate_zlib.
 *
 * Must never: read outside the input, write outside the picture it allocated, or return a
 * half-filled picture.
 */
#include <stdbool.h>
#include <stdint.h>

#include "image_int.h"

#include "util.h"

static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct png {
    uint32_t w, h;
    unsigned depth, ctype, interlace;
    unsigned channels;
    uint8_t pal[256][3];
    uint8_t pal_alpha[256];
    unsigned npal;
    bool has_key;
    uint16_t key[3];
};

static const uint8_t adam_x0[7] = {0, 4, 0, 2, 0, 1, 0};
static const uint8_t adam_y0[7] = {0, 0, 4, 0, 2, 0, 1};
static const uint8_t adam_dx[7] = {8, 8, 4, 4, 2, 2, 1};
static const uint8_t adam_dy[7] = {8, 8, 8, 4, 4, 2, 2};

static size_t row_bytes(const struct png *p, size_t w)
{
    return (w * p->channels * p->depth + 7) / 8;
}

/* Width and height of pass `pass` (0..6), or of the whole picture when not interlaced. */
static void pass_size(const struct png *p, int pass, size_t *pw, size_t *ph)
{
    if (!p->interlace) {
        *pw = p->w;
        *ph = p->h;
        return;
    }
    *pw = p->w > adam_x0[pass] ? (p->w - adam_x0[pass] + adam_dx[pass] - 1) / adam_dx[pass] : 0;
    *ph = p->h > adam_y0[pass] ? (p->h - adam_y0[pass] + adam_dy[pass] - 1) / adam_dy[pass] : 0;
}

static uint8_t paeth(uint8_t a, uint8_t b, uint8_t c)
{
    int pa = abs((int)b - c), pb = abs((int)a - c), pc = abs((int)a + b - 2 * c);
    if (pa <= pb && pa <= pc)
        return a;
    return pb <= pc ? b : c;
}

/* Undoes the filter of one row in place; prev is the row above (unfiltered; all zeros for
 * the first row of a pass). */
static int unfilter(uint8_t type, uint8_t *row, const uint8_t *prev, size_t n, size_t bpp)
{
    size_t first = bpp < n ? bpp : n;
    switch (type) {
    case 0:
        return 0;
    case 1:
        for (size_t i = bpp; i < n; i++)
            row[i] = (uint8_t)(row[i] + row[i - bpp]);
        return 0;
    case 2:
        for (size_t i = 0; i < n; i++)
            row[i] = (uint8_t)(row[i] + prev[i]);
        return 0;
    case 3:
        for (size_t i = 0; i < first; i++)
            row[i] = (uint8_t)(row[i] + (prev[i] >> 1));
        for (size_t i = bpp; i < n; i++)
            row[i] = (uint8_t)(row[i] + (((unsigned)row[i - bpp] + prev[i]) >> 1));
        return 0;
    case 4:
        for (size_t i = 0; i < first; i++)
            row[i] = (uint8_t)(row[i] + prev[i]); /* paeth(0, b, 0) = b */
        for (size_t i = bpp; i < n; i++)
            row[i] = (uint8_t)(row[i] + paeth(row[i - bpp], prev[i], prev[i - bpp]));
        return 0;
    default:
        return -1;
    }
}

/* Sample c of pixel x in an unfiltered row. */
static unsigned sample(const struct png *p, const uint8_t *row, size_t x, unsigned c)
{
    if (p->depth == 8)
        return row[x * p->channels + c];
    if (p->depth == 16) {
        const uint8_t *s = row + (x * p->channels + c) * 2;
        return (unsigned)s[0] << 8 | s[1];
    }
    size_t bit = x * p->depth; /* depth < 8 only for one channel */
    unsigned shift = 8 - p->depth - (unsigned)(bit & 7);
    return (row[bit >> 3] >> shift) & ((1u << p->depth) - 1);
}

/* v in [0, maxv] with alpha a in [0, maxv], composited on white, as 8 bits rounded down
 * (the exact value floor(255 * (v*a + maxv*(maxv-a)) / maxv^2); 16-bit samples thus become
 * floor(v / 257), as ImageMagick does). */
static uint8_t on_white(uint64_t v, uint64_t a, uint64_t maxv)
{
    uint64_t num = v * a + maxv * (maxv - a);
    uint64_t den = maxv * maxv;
    return (uint8_t)(num * 255 / den);
}

/* Converts one unfiltered row of pass pixels to RGB at their place in the picture. */
static int convert_row(const struct png *p, const uint8_t *row, size_t pw, uint8_t *rgb, size_t y,
                       size_t x0, size_t dx)
{
    uint8_t *dst = rgb + (y * p->w + x0) * 3;
    size_t step = dx * 3;
    unsigned maxv = (1u << p->depth) - 1;
    if (p->ctype == 2 && p->depth == 8 && !p->has_key && dx == 1) {
        memcpy(dst, row, pw * 3);
        return 0;
    }
    for (size_t x = 0; x < pw; x++, dst += step) {
        unsigned r, g, b, a = maxv, m = maxv;
        switch (p->ctype) {
        case 0:
            r = g = b = sample(p, row, x, 0);
            if (p->has_key && r == p->key[0])
                a = 0;
            break;
        case 2:
            r = sample(p, row, x, 0);
            g = sample(p, row, x, 1);
            b = sample(p, row, x, 2);
            if (p->has_key && r == p->key[0] && g == p->key[1] && b == p->key[2])
                a = 0;
            break;
        case 3: {
            unsigned i = sample(p, row, x, 0);
            if (i >= p->npal)
                return -1;
            r = p->pal[i][0];
            g = p->pal[i][1];
            b = p->pal[i][2];
            a = p->pal_alpha[i];
            m = 255;
            break;
        }
        case 4:
            r = g = b = sample(p, row, x, 0);
            a = sample(p, row, x, 1);
            break;
        default:
            r = sample(p, row, x, 0);
            g = sample(p, row, x, 1);
            b = sample(p, row, x, 2);
            a = sample(p, row, x, 3);
            break;
        }
        if (m == 255 && a == 255) {
            dst[0] = (uint8_t)r;
            dst[1] = (uint8_t)g;
            dst[2] = (uint8_t)b;
        } else {
            dst[0] = on_white(r, a, m);
            dst[1] = on_white(g, a, m);
            dst[2] = on_white(b, a, m);
        }
    }
    return 0;
}

static int read_ihdr(struct png *p, const uint8_t *d, uint32_t n, const char *name, struct err *e)
{
    if (n != 13)
        return err_set(e, ERR_FORMAT, "%s: the PNG header chunk has a wrong length", name);
    p->w = be32(d);
    p->h = be32(d + 4);
    p->depth = d[8];
    p->ctype = d[9];
    p->interlace = d[12];
    if (d[10] != 0 || d[11] != 0 || d[12] > 1)
        return err_set(e, ERR_FORMAT,
                       "%s: the PNG header names an unknown compression, filter or interlace "
                       "method; save the picture again as a standard PNG",
                       name);
    bool ok;
    switch (p->ctype) {
    case 0:
        p->channels = 1;
        ok = p->depth == 1 || p->depth == 2 || p->depth == 4 || p->depth == 8 || p->depth == 16;
        break;
    case 3:
        p->channels = 1;
        ok = p->depth == 1 || p->depth == 2 || p->depth == 4 || p->depth == 8;
        break;
    case 2:
    case 4:
    case 6:
        p->channels = p->ctype == 2 ? 3 : p->ctype == 4 ? 2 : 4;
        ok = p->depth == 8 || p->depth == 16;
        break;
    default:
        ok = false;
    }
    if (!ok)
        return err_set(e, ERR_FORMAT,
                       "%s: the PNG header has colour type %u with bit depth %u, which PNG "
                       "does not allow; the file is damaged: export the picture again",
                       name, p->ctype, p->depth);
    if (p->w == 0 || p->h == 0)
        return err_set(e, ERR_FORMAT, "%s: the PNG header says the picture is empty (%ux%u)", name,
                       (unsigned)p->w, (unsigned)p->h);
    if (p->w > IMAGE_MAX_SIDE || p->h > IMAGE_MAX_SIDE || (uint64_t)p->w * p->h > IMAGE_MAX_PIXELS)
        return err_set(e, ERR_FORMAT,
                       "%s: the picture is %lux%lu pixels; the largest accepted is %u pixels "
                       "on a side and %u pixels in all: scale it down first",
                       name, (unsigned long)p->w, (unsigned long)p->h, IMAGE_MAX_SIDE,
                       IMAGE_MAX_PIXELS);
    return 0;
}

static int read_trns(struct png *p, const uint8_t *d, uint32_t n, const char *name, struct err *e)
{
    unsigned maxv = (1u << p->depth) - 1;
    if (p->ctype == 3) {
        if (n > p->npal)
            return err_set(e, ERR_FORMAT,
                           "%s: the PNG transparency chunk has more entries than the palette",
                           name);
        memcpy(p->pal_alpha, d, n);
    } else if (p->ctype == 0) {
        if (n != 2)
            return err_set(e, ERR_FORMAT, "%s: the PNG transparency chunk has a wrong length",
                           name);
        p->key[0] = (uint16_t)((d[0] << 8 | d[1]) & maxv);
        p->has_key = true;
    } else if (p->ctype == 2) {
        if (n != 6)
            return err_set(e, ERR_FORMAT, "%s: the PNG transparency chunk has a wrong length",
                           name);
        for (int c = 0; c < 3; c++)
            p->key[c] = (uint16_t)((d[2 * c] << 8 | d[2 * c + 1]) & maxv);
        p->has_key = true;
    }
    /* Colour types with an alpha channel may not have tRNS; it is ignored. */
    return 0;
}

int image_png_decode(const uint8_t *data, size_t len, const char *name, struct picture *out,
                     struct err *e)
{
    int rc = 0;
    struct png *p = calloc(1, sizeof *p);
    struct buf idat;
    uint8_t *raw = NULL, *rgb = NULL, *zero = NULL;
    buf_init(&idat);
    memset(out, 0, sizeof *out);
    if (!p) {
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
        goto done;
    }
    memset(p->pal_alpha, 255, sizeof p->pal_alpha);
    if (len < 8 || memcmp(data, png_sig, 8) != 0) {
        rc = err_set(e, ERR_FORMAT, "%s: not a PNG file", name);
        goto done;
    }
    size_t pos = 8;
    bool have_ihdr = false, have_plte = false, seen_idat = false;
    for (;;) {
        if (len - pos < 12) {
            rc = err_set(e, ERR_FORMAT,
                         "%s: the PNG file ends before its IEND chunk (truncated file?); copy "
                         "or export the picture again",
                         name);
            goto done;
        }
        uint32_t n = be32(data + pos);
        const uint8_t *type = data + pos + 4, *cd = data + pos + 8;
        if (n > 0x7fffffffu || n > len - pos - 12) {
            rc = err_set(e, ERR_FORMAT,
                         "%s: a PNG chunk runs past the end of the file (truncated file?); "
                         "copy or export the picture again",
                         name);
            goto done;
        }
        char tname[5];
        for (int i = 0; i < 4; i++) {
            uint8_t c = type[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                rc = err_set(e, ERR_FORMAT,
                             "%s: a PNG chunk has an invalid type at byte %zu; the file is "
                             "damaged: export the picture again",
                             name, pos + 4);
                goto done;
            }
            tname[i] = (char)c;
        }
        tname[4] = 0;
        if (image_crc32(0, type, (size_t)n + 4) != be32(cd + n)) {
            rc = err_set(e, ERR_FORMAT,
                         "%s: the PNG chunk %s at byte %zu fails its CRC check; the file is "
                         "damaged: copy or export the picture again",
                         name, tname, pos);
            goto done;
        }
        pos += 12 + (size_t)n;
        if (!have_ihdr && strcmp(tname, "IHDR") != 0) {
            rc = err_set(e, ERR_FORMAT, "%s: the PNG file does not start with its header chunk",
                         name);
            goto done;
        }
        if (strcmp(tname, "IHDR") == 0) {
            if (have_ihdr) {
                rc = err_set(e, ERR_FORMAT, "%s: the PNG file has two header chunks", name);
                goto done;
            }
            rc = read_ihdr(p, cd, n, name, e);
            if (rc)
                goto done;
            have_ihdr = true;
        } else if (strcmp(tname, "PLTE") == 0) {
            if (have_plte || seen_idat || n % 3 != 0 || n == 0 || n > 768 ||
                (p->ctype == 3 && n / 3 > (1u << p->depth))) {
                rc = err_set(e, ERR_FORMAT,
                             "%s: the PNG palette chunk is misplaced or has a wrong length", name);
                goto done;
            }
            p->npal = n / 3;
            memcpy(p->pal, cd, n);
            have_plte = true;
        } else if (strcmp(tname, "tRNS") == 0) {
            if (seen_idat || (p->ctype == 3 && !have_plte)) {
                rc = err_set(e, ERR_FORMAT, "%s: the PNG transparency chunk is misplaced", name);
                goto done;
            }
            rc = read_trns(p, cd, n, name, e);
            if (rc)
                goto done;
        } else if (strcmp(tname, "IDAT") == 0) {
            seen_idat = true;
            buf_raw(&idat, cd, n);
            if (idat.oom) {
                rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
                goto done;
            }
        } else if (strcmp(tname, "IEND") == 0) {
            break;
        } else if (tname[0] >= 'A' && tname[0] <= 'Z') {
            rc = err_set(e, ERR_FORMAT,
                         "%s: the PNG file has a critical chunk %s this reader does not know; "
                         "save the picture again as a standard PNG",
                         name, tname);
            goto done;
        }
    }
    if (!seen_idat) {
        rc = err_set(e, ERR_FORMAT, "%s: the PNG file holds no image data", name);
        goto done;
    }
    if (p->ctype == 3 && !have_plte) {
        rc = err_set(e, ERR_FORMAT, "%s: the palette PNG file has no palette", name);
        goto done;
    }
    size_t want = 0;
    for (int pass = 0; pass < (p->interlace ? 7 : 1); pass++) {
        size_t pw, ph;
        pass_size(p, pass, &pw, &ph);
        if (pw && ph)
            want += ph * (1 + row_bytes(p, pw));
    }
    rc = image_inflate_zlib(idat.data, idat.len, want, &raw, name, e);
    if (rc)
        goto done;
    rgb = malloc((size_t)p->w * p->h * 3);
    if (!rgb) {
        rc = err_set(e, ERR_NOMEM, "%s: out of memory for a %lux%lu picture", name,
                     (unsigned long)p->w, (unsigned long)p->h);
        goto done;
    }
    size_t bpp = (p->channels * p->depth + 7) / 8;
    zero = calloc(row_bytes(p, p->w) + 1, 1);
    if (!zero) {
        rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
        goto done;
    }
    uint8_t *r = raw;
    for (int pass = 0; pass < (p->interlace ? 7 : 1); pass++) {
        size_t pw, ph;
        pass_size(p, pass, &pw, &ph);
        if (!pw || !ph)
            continue;
        size_t rb = row_bytes(p, pw);
        const uint8_t *prev = zero;
        for (size_t y = 0; y < ph; y++, r += 1 + rb) {
            if (unfilter(r[0], r + 1, prev, rb, bpp) != 0) {
                rc = err_set(e, ERR_FORMAT,
                             "%s: a PNG row uses unknown filter type %u; the file is "
                             "damaged: export the picture again",
                             name, r[0]);
                goto done;
            }
            prev = r + 1;
            size_t py = p->interlace ? adam_y0[pass] + y * adam_dy[pass] : y;
            size_t x0 = p->interlace ? adam_x0[pass] : 0, dx = p->interlace ? adam_dx[pass] : 1;
            if (convert_row(p, r + 1, pw, rgb, py, x0, dx) != 0) {
                rc = err_set(e, ERR_FORMAT,
                             "%s: a pixel uses a colour missing from the PNG palette; the file "
                             "is damaged: export the picture again",
                             name);
                goto done;
            }
        }
    }
    out->w = (uint16_t)p->w;
    out->h = (uint16_t)p->h;
    out->rgb = rgb;
    rgb = NULL;
done:
    free(zero);
    free(rgb);
    free(raw);
    buf_free(&idat);
    free(p);
    return rc;
}

/* ---- writer ---------------------------------------------------------------------------- */

static void chunk(struct buf *out, const char *type, const uint8_t *d, size_t n)
{
    buf_u32(out, (uint32_t)n);
    size_t start = out->len;
    buf_raw(out, type, 4);
    buf_raw(out, d, n);
    uint32_t crc = out->oom ? 0 : image_crc32(0, out->data + start, out->len - start);
    buf_u32(out, crc);
}

/* Filters one row with filter `type` into dst (without the type byte); returns the sum of
 * absolute values of the bytes as signed, the usual "which filter is best" guess. */
static size_t filter_row(uint8_t type, const uint8_t *row, const uint8_t *prev, size_t n,
                         size_t bpp, uint8_t *dst)
{
    size_t cost = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t a = i >= bpp ? row[i - bpp] : 0, b = prev ? prev[i] : 0;
        uint8_t c = prev && i >= bpp ? prev[i - bpp] : 0, pred = 0;
        switch (type) {
        case 1:
            pred = a;
            break;
        case 2:
            pred = b;
            break;
        case 3:
            pred = (uint8_t)((a + b) >> 1);
            break;
        case 4:
            pred = paeth(a, b, c);
            break;
        default:
            break;
        }
        uint8_t v = (uint8_t)(row[i] - pred);
        dst[i] = v;
        cost += v < 128 ? v : 256u - v;
    }
    return cost;
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
    size_t rb = (size_t)w * channels;
    uint8_t *filtered = malloc(((size_t)rb + 1) * h);
    uint8_t *trial = malloc(rb);
    if (!filtered || !trial) {
        free(filtered);
        free(trial);
        return err_set(e, ERR_NOMEM, "out of memory encoding a %ux%u PNG", w, h);
    }
    for (size_t y = 0; y < h; y++) {
        const uint8_t *row = pixels + y * pitch, *prev = y ? row - pitch : NULL;
        uint8_t *dst = filtered + y * (rb + 1);
        size_t best = (size_t)-1;
        for (uint8_t t = 0; t <= 4; t++) {
            size_t cost = filter_row(t, row, prev, rb, channels, trial);
            if (cost < best) {
                best = cost;
                dst[0] = t;
                memcpy(dst + 1, trial, rb);
            }
        }
    }
    free(trial);
    uint8_t ihdr[13];
    ihdr[0] = (uint8_t)(w >> 24);
    ihdr[1] = (uint8_t)(w >> 16);
    ihdr[2] = (uint8_t)(w >> 8);
    ihdr[3] = (uint8_t)w;
    ihdr[4] = (uint8_t)(h >> 24);
    ihdr[5] = (uint8_t)(h >> 16);
    ihdr[6] = (uint8_t)(h >> 8);
    ihdr[7] = (uint8_t)h;
    ihdr[8] = 8;
    ihdr[9] = channels == 3 ? 2 : 6;
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    struct buf z;
    buf_init(&z);
    image_deflate_zlib(filtered, (rb + 1) * h, &z);
    free(filtered);
    buf_raw(out, png_sig, 8);
    chunk(out, "IHDR", ihdr, 13);
    chunk(out, "IDAT", z.data, z.len);
    chunk(out, "IEND", NULL, 0);
    int oom = z.oom;
    buf_free(&z);
    if (oom || out->oom)
        return err_set(e, ERR_NOMEM, "out of memory encoding a %ux%u PNG", w, h);
    return 0;
}
