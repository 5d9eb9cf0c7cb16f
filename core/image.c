/*
 * image — PNG decoding (with its own DEFLATE decoder), PNG encoding and downscaling; see
 * image.h. Written for the package builder, which runs on the authority's machine: the kiosk
 * never decodes an image.
 *
 * Bounds: the decoder never reads outside its input (every bit read is checked), never writes
 * outside the exact-size output it allocated from the header, and refuses pictures over
 * IMAGE_MAX_PIXELS before allocating. Chunk CRCs and the zlib Adler-32 are checked.
 */
#include "image.h"

#include "util.h"

/* ---- checksums --------------------------------------------------------------------------- */

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static uint32_t adler32(const uint8_t *p, size_t n)
{
    uint32_t a = 1, b = 0;
    while (n > 0) {
        size_t chunk = n < 5552 ? n : 5552;
        n -= chunk;
        while (chunk--) {
            a += *p++;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- inflate (RFC 1951) ------------------------------------------------------------------ */

struct bits {
    const uint8_t *p;
    size_t n, pos; /* pos in bits */
    bool bad;
};

static unsigned getbits(struct bits *b, unsigned count)
{
    unsigned v = 0;
    for (unsigned i = 0; i < count; i++) {
        if (b->pos >= b->n * 8) {
            b->bad = true;
            return 0;
        }
        v |= (unsigned)((b->p[b->pos >> 3] >> (b->pos & 7)) & 1) << i;
        b->pos++;
    }
    return v;
}

struct huff {
    uint16_t count[16];
    uint16_t symbol[288];
};

/* Builds a canonical Huffman decoder; returns -1 for an over-subscribed code. */
static int huff_build(struct huff *h, const uint8_t *lengths, unsigned n)
{
    memset(h->count, 0, sizeof h->count);
    for (unsigned i = 0; i < n; i++)
        h->count[lengths[i]]++;
    h->count[0] = 0;
    int left = 1;
    for (int len = 1; len < 16; len++) {
        left <<= 1;
        left -= h->count[len];
        if (left < 0)
            return -1;
    }
    uint16_t offs[16];
    offs[1] = 0;
    for (int len = 1; len < 15; len++)
        offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
    for (unsigned i = 0; i < n; i++)
        if (lengths[i])
            h->symbol[offs[lengths[i]]++] = (uint16_t)i;
    return 0;
}

static int huff_decode(struct bits *b, const struct huff *h)
{
    int code = 0, first = 0, index = 0;
    for (int len = 1; len < 16; len++) {
        code |= (int)getbits(b, 1);
        if (b->bad)
            return -1;
        int count = h->count[len];
        if (code - count < first)
            return h->symbol[index + (code - first)];
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    return -1;
}

static const uint16_t LEN_BASE[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                      15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t LEN_EXTRA[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t DIST_BASE[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t DIST_EXTRA[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

/* Inflates into out[0..cap); *len receives the size. Returns 0 or -1 (malformed/overflow). */
static int inflate_raw(struct bits *b, uint8_t *out, size_t cap, size_t *len)
{
    size_t o = 0;
    int last;
    do {
        last = (int)getbits(b, 1);
        unsigned type = getbits(b, 2);
        if (b->bad)
            return -1;
        if (type == 0) {
            b->pos = (b->pos + 7) & ~(size_t)7;
            size_t at = b->pos / 8;
            if (at + 4 > b->n)
                return -1;
            unsigned n = b->p[at] | b->p[at + 1] << 8, nn = b->p[at + 2] | b->p[at + 3] << 8;
            if ((n ^ 0xFFFFu) != nn || at + 4 + n > b->n || o + n > cap)
                return -1;
            memcpy(out + o, b->p + at + 4, n);
            o += n;
            b->pos = (at + 4 + n) * 8;
            continue;
        }
        struct huff lit, dist;
        uint8_t lengths[320];
        if (type == 1) {
            unsigned i = 0;
            for (; i < 144; i++)
                lengths[i] = 8;
            for (; i < 256; i++)
                lengths[i] = 9;
            for (; i < 280; i++)
                lengths[i] = 7;
            for (; i < 288; i++)
                lengths[i] = 8;
            huff_build(&lit, lengths, 288);
            for (i = 0; i < 30; i++)
                lengths[i] = 5;
            huff_build(&dist, lengths, 30);
        } else if (type == 2) {
            unsigned nlen = getbits(b, 5) + 257, ndist = getbits(b, 5) + 1,
                     ncode = getbits(b, 4) + 4;
            if (b->bad || nlen > 286 || ndist > 30)
                return -1;
            static const uint8_t ORDER[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                              11, 4,  12, 3, 13, 2, 14, 1, 15};
            uint8_t cl[19] = {0};
            for (unsigned i = 0; i < ncode; i++)
                cl[ORDER[i]] = (uint8_t)getbits(b, 3);
            struct huff clh;
            if (b->bad || huff_build(&clh, cl, 19))
                return -1;
            unsigned i = 0;
            while (i < nlen + ndist) {
                int sym = huff_decode(b, &clh);
                if (sym < 0)
                    return -1;
                if (sym < 16) {
                    lengths[i++] = (uint8_t)sym;
                    continue;
                }
                unsigned rep;
                uint8_t val = 0;
                if (sym == 16) {
                    if (i == 0)
                        return -1;
                    val = lengths[i - 1];
                    rep = 3 + getbits(b, 2);
                } else if (sym == 17) {
                    rep = 3 + getbits(b, 3);
                } else {
                    rep = 11 + getbits(b, 7);
                }
                if (b->bad || i + rep > nlen + ndist)
                    return -1;
                while (rep--)
                    lengths[i++] = val;
            }
            if (lengths[256] == 0 || huff_build(&lit, lengths, nlen) ||
                huff_build(&dist, lengths + nlen, ndist))
                return -1;
        } else {
            return -1;
        }
        for (;;) {
            int sym = huff_decode(b, &lit);
            if (sym < 0)
                return -1;
            if (sym < 256) {
                if (o >= cap)
                    return -1;
                out[o++] = (uint8_t)sym;
            } else if (sym == 256) {
                break;
            } else {
                sym -= 257;
                if (sym >= 29)
                    return -1;
                size_t l = LEN_BASE[sym] + getbits(b, LEN_EXTRA[sym]);
                int ds = huff_decode(b, &dist);
                if (ds < 0 || ds >= 30)
                    return -1;
                size_t d = DIST_BASE[ds] + getbits(b, DIST_EXTRA[ds]);
                if (b->bad || d > o || o + l > cap)
                    return -1;
                for (size_t k = 0; k < l; k++, o++)
                    out[o] = out[o - d];
            }
        }
    } while (!last);
    *len = o;
    return 0;
}

/* zlib stream (RFC 1950) of exactly `expect` bytes. */
static int zlib_inflate(const uint8_t *p, size_t n, uint8_t *out, size_t expect)
{
    if (n < 6 || (p[0] & 0x0F) != 8 || ((p[0] << 8) | p[1]) % 31 != 0 || (p[1] & 0x20))
        return -1;
    struct bits b = {.p = p + 2, .n = n - 6};
    size_t len = 0;
    if (inflate_raw(&b, out, expect, &len) != 0 || len != expect)
        return -1;
    size_t end = (b.pos + 7) / 8 + 2;
    if (end + 4 > n)
        return -1;
    return be32(p + end) == adler32(out, len) ? 0 : -1;
}

/* ---- PNG --------------------------------------------------------------------------------- */

static const uint8_t PNG_SIG[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

static uint8_t paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return (uint8_t)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

static int png_decode(const uint8_t *d, size_t n, struct picture *out, struct err *e)
{
    size_t pos = 8;
    uint32_t w = 0, h = 0;
    unsigned depth = 0, ctype = 0, interlace = 0;
    uint8_t palette[256 * 3], trns[256];
    unsigned npal = 0, ntrns = 0;
    uint16_t trns_key[3] = {0};
    bool has_key = false, seen_ihdr = false, seen_end = false;
    struct buf idat;
    buf_init(&idat);
    int rc = 0;
    while (pos + 12 <= n) {
        uint32_t len = be32(d + pos);
        const uint8_t *type = d + pos + 4, *data = d + pos + 8;
        if (len > n - pos - 12) {
            rc = err_set(e, ERR_FORMAT, "the PNG file is truncated; export it again");
            goto done;
        }
        if (crc32_update(0, type, len + 4) != be32(data + len)) {
            rc = err_set(e, ERR_FORMAT, "the PNG file is damaged (a checksum does not match)");
            goto done;
        }
        if (memcmp(type, "IHDR", 4) == 0 && len == 13 && !seen_ihdr) {
            w = be32(data), h = be32(data + 4);
            depth = data[8], ctype = data[9], interlace = data[12];
            seen_ihdr = true;
        } else if (!seen_ihdr) {
            rc = err_set(e, ERR_FORMAT, "the PNG file does not start with its header");
            goto done;
        } else if (memcmp(type, "PLTE", 4) == 0) {
            if (len % 3 || len > sizeof palette) {
                rc = err_set(e, ERR_FORMAT, "the PNG palette is malformed");
                goto done;
            }
            memcpy(palette, data, len);
            npal = len / 3;
        } else if (memcmp(type, "tRNS", 4) == 0) {
            if (ctype == 3 && len <= 256) {
                memcpy(trns, data, len);
                ntrns = len;
            } else if (ctype == 0 && len == 2) {
                trns_key[0] = (uint16_t)(data[0] << 8 | data[1]);
                has_key = true;
            } else if (ctype == 2 && len == 6) {
                for (int k = 0; k < 3; k++)
                    trns_key[k] = (uint16_t)(data[2 * k] << 8 | data[2 * k + 1]);
                has_key = true;
            }
        } else if (memcmp(type, "IDAT", 4) == 0) {
            buf_raw(&idat, data, len);
        } else if (memcmp(type, "IEND", 4) == 0) {
            seen_end = true;
            break;
        } else if (!(type[0] & 0x20)) {
            rc = err_set(e, ERR_FORMAT,
                         "the PNG file uses a feature this reader does not know "
                         "(chunk %.4s); save it again as a plain PNG",
                         (const char *)type);
            goto done;
        }
        pos += 12 + len;
    }
    if (!seen_ihdr || !seen_end || buf_ok(&idat)) {
        rc = err_set(e, ERR_FORMAT, "the PNG file is truncated; export it again");
        goto done;
    }
    static const unsigned CHANNELS[7] = {1, 0, 3, 1, 2, 0, 4};
    bool depth_ok = ctype == 0
                        ? (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)
                    : ctype == 3 ? (depth >= 1 && depth <= 8 && (depth & (depth - 1)) == 0)
                    : (ctype == 2 || ctype == 4 || ctype == 6) ? (depth == 8 || depth == 16)
                                                               : false;
    if (!depth_ok || w == 0 || h == 0) {
        rc = err_set(e, ERR_FORMAT, "the PNG header is invalid (size or colour type)");
        goto done;
    }
    if ((uint64_t)w * h > IMAGE_MAX_PIXELS) {
        rc = err_set(e, ERR_INVALID,
                     "the picture is %u x %u pixels; at most %u million are "
                     "accepted: make it smaller",
                     w, h, IMAGE_MAX_PIXELS / 1000000);
        goto done;
    }
    if (interlace) {
        rc = err_set(e, ERR_FORMAT, "the PNG is interlaced; save it again without interlacing");
        goto done;
    }
    if (ctype == 3 && npal == 0) {
        rc = err_set(e, ERR_FORMAT, "the PNG has no palette");
        goto done;
    }
    unsigned ch = CHANNELS[ctype];
    size_t bpp = (ch * depth + 7) / 8; /* bytes per complete pixel, >= 1 */
    size_t stride = ((size_t)w * ch * depth + 7) / 8;
    size_t raw_len = (stride + 1) * h;
    uint8_t *raw = malloc(raw_len);
    out->rgb = malloc((size_t)w * h * 3);
    if (!raw || !out->rgb) {
        free(raw);
        free(out->rgb);
        out->rgb = NULL;
        rc = err_set(e, ERR_NOMEM, "out of memory decoding the picture");
        goto done;
    }
    if (zlib_inflate(idat.data, idat.len, raw, raw_len)) {
        free(raw);
        free(out->rgb);
        out->rgb = NULL;
        rc = err_set(e, ERR_FORMAT, "the PNG image data is damaged; export it again");
        goto done;
    }
    /* unfilter in place */
    for (size_t y = 0; y < h; y++) {
        uint8_t *row = raw + y * (stride + 1), *cur = row + 1;
        const uint8_t *prev = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;
        unsigned f = row[0];
        for (size_t x = 0; x < stride; x++) {
            int a = x >= bpp ? cur[x - bpp] : 0, b = prev ? prev[x] : 0,
                c = (prev && x >= bpp) ? prev[x - bpp] : 0;
            switch (f) {
            case 0:
                break;
            case 1:
                cur[x] = (uint8_t)(cur[x] + a);
                break;
            case 2:
                cur[x] = (uint8_t)(cur[x] + b);
                break;
            case 3:
                cur[x] = (uint8_t)(cur[x] + ((a + b) >> 1));
                break;
            case 4:
                cur[x] = (uint8_t)(cur[x] + paeth(a, b, c));
                break;
            default:
                free(raw);
                free(out->rgb);
                out->rgb = NULL;
                rc = err_set(e, ERR_FORMAT, "the PNG image data is damaged (filter %u)", f);
                goto done;
            }
        }
    }
    /* convert to RGB on white */
    unsigned maxv = (1u << depth) - 1;
    for (size_t y = 0; y < h; y++) {
        const uint8_t *cur = raw + y * (stride + 1) + 1;
        for (size_t x = 0; x < w; x++) {
            unsigned s[4];
            for (unsigned k = 0; k < ch; k++) {
                size_t bit = (x * ch + k) * depth;
                if (depth == 16)
                    s[k] = (unsigned)(cur[bit / 8] << 8 | cur[bit / 8 + 1]);
                else if (depth == 8)
                    s[k] = cur[bit / 8];
                else
                    s[k] = (cur[bit / 8] >> (8 - depth - bit % 8)) & maxv;
            }
            unsigned r, g, bl, a = 255;
            if (ctype == 3) {
                if (s[0] >= npal) {
                    s[0] = 0;
                }
                r = palette[3 * s[0]], g = palette[3 * s[0] + 1], bl = palette[3 * s[0] + 2];
                a = s[0] < ntrns ? trns[s[0]] : 255;
            } else {
                unsigned scale = depth == 16 ? 257 : 0;
                unsigned v[4];
                for (unsigned k = 0; k < ch; k++)
                    v[k] = depth == 16 ? s[k] / scale : depth == 8 ? s[k] : s[k] * 255 / maxv;
                if (ctype == 0 || ctype == 4) {
                    r = g = bl = v[0];
                    if (ctype == 4)
                        a = v[1];
                    else if (has_key && s[0] == trns_key[0])
                        a = 0;
                } else {
                    r = v[0], g = v[1], bl = v[2];
                    if (ctype == 6)
                        a = v[3];
                    else if (has_key && s[0] == trns_key[0] && s[1] == trns_key[1] &&
                             s[2] == trns_key[2])
                        a = 0;
                }
            }
            uint8_t *o = out->rgb + (y * w + x) * 3;
            o[0] = (uint8_t)((r * a + 255 * (255 - a) + 127) / 255);
            o[1] = (uint8_t)((g * a + 255 * (255 - a) + 127) / 255);
            o[2] = (uint8_t)((bl * a + 255 * (255 - a) + 127) / 255);
        }
    }
    free(raw);
    out->w = (uint16_t)(w > 65535 ? 65535 : w);
    out->h = (uint16_t)(h > 65535 ? 65535 : h);
    if (w > 65535 || h > 65535) {
        free(out->rgb);
        out->rgb = NULL;
        rc = err_set(e, ERR_INVALID, "the picture is wider or taller than 65535 pixels");
    }
done:
    buf_free(&idat);
    return rc;
}

int image_decode(const uint8_t *data, size_t len, struct picture *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    if (len >= 8 && memcmp(data, PNG_SIG, 8) == 0)
        return png_decode(data, len, out, e);
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return err_set(e, ERR_FORMAT,
                       "JPEG pictures are not read by this version yet; save the picture as PNG");
    return err_set(e, ERR_FORMAT, "the file is neither PNG nor JPEG; save the picture as PNG");
}

int image_fit(struct picture *pic, unsigned max_w, unsigned max_h, struct err *e)
{
    if (pic->w <= max_w && pic->h <= max_h)
        return 0;
    /* the largest size that fits, keeping the aspect ratio */
    uint64_t nw = max_w, nh = (uint64_t)pic->h * max_w / pic->w;
    if (nh > max_h) {
        nh = max_h;
        nw = (uint64_t)pic->w * max_h / pic->h;
    }
    if (nw == 0)
        nw = 1;
    if (nh == 0)
        nh = 1;
    uint8_t *dst = malloc((size_t)(nw * nh * 3));
    if (!dst)
        return err_set(e, ERR_NOMEM, "out of memory scaling the picture");
    for (uint64_t y = 0; y < nh; y++) {
        uint64_t y0 = y * pic->h / nh, y1 = (y + 1) * pic->h / nh;
        if (y1 <= y0)
            y1 = y0 + 1;
        for (uint64_t x = 0; x < nw; x++) {
            uint64_t x0 = x * pic->w / nw, x1 = (x + 1) * pic->w / nw;
            if (x1 <= x0)
                x1 = x0 + 1;
            uint64_t sum[3] = {0}, cnt = (x1 - x0) * (y1 - y0);
            for (uint64_t yy = y0; yy < y1; yy++)
                for (uint64_t xx = x0; xx < x1; xx++)
                    for (int k = 0; k < 3; k++)
                        sum[k] += pic->rgb[(yy * pic->w + xx) * 3 + (uint64_t)k];
            for (int k = 0; k < 3; k++)
                dst[(y * nw + x) * 3 + (uint64_t)k] = (uint8_t)((sum[k] + cnt / 2) / cnt);
        }
    }
    free(pic->rgb);
    pic->rgb = dst;
    pic->w = (uint16_t)nw;
    pic->h = (uint16_t)nh;
    return 0;
}

int image_load_picture(const char *path, size_t max_file_bytes, struct picture *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    uint8_t *data;
    size_t len;
    int rc = util_read_file(path, max_file_bytes, &data, &len, e);
    if (rc)
        return rc;
    rc = image_decode(data, len, out, e);
    free(data);
    if (!rc)
        rc = image_fit(out, PICTURE_MAX_W, PICTURE_MAX_H, e);
    if (rc) {
        free(out->rgb);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

/* ---- PNG writer -------------------------------------------------------------------------- */

static void chunk(struct buf *out, const char *type, const uint8_t *data, size_t len)
{
    buf_u32(out, (uint32_t)len);
    size_t start = out->len;
    buf_raw(out, type, 4);
    buf_raw(out, data, len);
    uint32_t crc = out->oom ? 0 : crc32_update(0, out->data + start, len + 4);
    buf_u32(out, crc);
}

int image_encode_png(const uint8_t *pixels, unsigned w, unsigned h, unsigned channels, size_t pitch,
                     struct buf *out, struct err *e)
{
    if ((channels != 3 && channels != 4) || w == 0 || h == 0 || pitch < (size_t)w * channels)
        return err_set(e, ERR_USAGE, "image_encode_png: bad dimensions");
    size_t stride = (size_t)w * channels + 1, raw_len = stride * h;
    uint8_t *raw = malloc(raw_len);
    if (!raw)
        return err_set(e, ERR_NOMEM, "out of memory writing a PNG");
    for (size_t y = 0; y < h; y++) {
        uint8_t *row = raw + y * stride;
        const uint8_t *src = pixels + y * pitch;
        row[0] = 1; /* Sub filter: cheap and helps the stored blocks not at all, but keeps rows
                       small in any later compressor */
        for (size_t x = 0; x < stride - 1; x++)
            row[1 + x] = (uint8_t)(src[x] - (x >= channels ? src[x - channels] : 0));
    }
    /* zlib stream of stored blocks (no compression): simple and obviously correct */
    struct buf z;
    buf_init(&z);
    buf_u8(&z, 0x78);
    buf_u8(&z, 0x01);
    for (size_t off = 0; off < raw_len || raw_len == 0;) {
        size_t n = raw_len - off > 65535 ? 65535 : raw_len - off;
        bool last = off + n == raw_len;
        buf_u8(&z, last ? 1 : 0);
        uint8_t hdr[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)~n, (uint8_t)(~n >> 8)};
        buf_raw(&z, hdr, 4);
        buf_raw(&z, raw + off, n);
        off += n;
        if (last)
            break;
    }
    buf_u32(&z, adler32(raw, raw_len));
    free(raw);
    uint8_t ihdr[13];
    uint32_t ww = w, hh = h;
    for (int k = 0; k < 4; k++) {
        ihdr[k] = (uint8_t)(ww >> (24 - 8 * k));
        ihdr[4 + k] = (uint8_t)(hh >> (24 - 8 * k));
    }
    ihdr[8] = 8;
    ihdr[9] = channels == 4 ? 6 : 2;
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    buf_raw(out, PNG_SIG, 8);
    chunk(out, "IHDR", ihdr, 13);
    chunk(out, "IDAT", z.data, z.len);
    chunk(out, "IEND", NULL, 0);
    int rc = buf_ok(&z) || buf_ok(out) ? err_set(e, ERR_NOMEM, "out of memory writing a PNG") : 0;
    buf_free(&z);
    return rc;
}
