/*
 * image_jpeg — the baseline JPEG reader of the image module (ITU T.81, JFIF): sequential DCT
 * with Huffman coding (SOF0, and SOF1 with 8-bit samples), one grey component or three
 * (YCbCr, or RGB when an Adobe marker says so), sampling factors 1 or 2 in each direction
 * (4:4:4, 4:2:2, 4:2:0, 4:4:0), interleaved or one-component scans, restart markers. APPn
 * and COM segments are skipped; EXIF orientation is ignored (the picture is shown as
 * stored). Progressive, lossless, hierarchical and arithmetic-coded files, 12-bit samples
 * and CMYK are refused with a message saying how to save the picture instead.
 *
 * Decoding: Huffman codes through a 9-bit lookup with a canonical slow path, dequantisation
 * and a separable floating-point IDCT into one plane per component, then chroma upsampled
 * with the triangle filter most decoders use ("fancy upsampling") and converted to RGB with
 * the JFIF equations.
 *
 * Invariants: bytes are read only inside [data, data + len); an entropy-coded segment that
 * runs out of bits is an error, never silently padded; block coordinates are computed from
 * the frame header and never exceed the planes allocated from it. Must never return a
 * partial picture.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "image_int.h"

#include "util.h"

struct jhuff {
    bool present;
    uint8_t vals[256];
    uint16_t lookup[512]; /* 9-bit prefix -> length << 8 | value; 0 = longer code */
    int32_t maxcode[17];  /* largest code of each length, -1 if none */
    int32_t valptr[17], mincode[17];
};

struct jcomp {
    unsigned id, h, v, tq, td, ta;
    unsigned bw, bh; /* blocks per row / column in the plane (whole MCUs) */
    unsigned cw, ch; /* the component's own size in samples */
    uint8_t *plane;  /* bw*8 x bh*8 samples */
    float q[64];     /* quantisation table latched at the scan start, zigzag order */
    int pred;
    bool seen;
};

struct jpeg {
    const uint8_t *d;
    size_t len, pos;
    const char *name;
    struct err *e;
    uint16_t qt[4][64];
    bool qok[4];
    struct jhuff dc[4], ac[4];
    bool have_frame;
    unsigned w, h, ncomp, hmax, vmax, mcux, mcuy;
    struct jcomp c[3];
    unsigned restart;
    int adobe; /* Adobe APP14 transform flag, -1 if absent */
    bool jfif;
    /* entropy decoder */
    uint32_t bitbuf;
    unsigned bitcnt, pad;
    bool marker_hit, bad;
    float cosine[8][8];
};

static const uint8_t zigzag[64] = {0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,
                                   12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6,  7,  14, 21, 28,
                                   35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
                                   58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

static int damaged(struct jpeg *j, const char *what)
{
    return err_set(j->e, ERR_FORMAT,
                   "%s: the JPEG file is damaged (%s); copy or export the picture again", j->name,
                   what);
}

static int truncated(struct jpeg *j)
{
    return err_set(j->e, ERR_FORMAT,
                   "%s: the JPEG file ends too soon (truncated file?); copy or export the "
                   "picture again",
                   j->name);
}

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* ---- tables ------------------------------------------------------------------------------ */

static int read_dqt(struct jpeg *j, const uint8_t *s, size_t n)
{
    while (n > 0) {
        unsigned pq = s[0] >> 4, tq = s[0] & 15;
        size_t need = 1 + 64 * (pq ? 2u : 1u);
        if (pq > 1 || tq > 3 || n < need)
            return damaged(j, "bad quantisation table");
        for (int k = 0; k < 64; k++)
            j->qt[tq][k] = pq ? (uint16_t)be16(s + 1 + 2 * k) : s[1 + k];
        j->qok[tq] = true;
        s += need;
        n -= need;
    }
    return 0;
}

static int read_dht(struct jpeg *j, const uint8_t *s, size_t n)
{
    while (n > 0) {
        if (n < 17)
            return damaged(j, "bad Huffman table");
        unsigned tc = s[0] >> 4, th = s[0] & 15;
        if (tc > 1 || th > 3)
            return damaged(j, "bad Huffman table");
        unsigned total = 0, counts[17];
        for (int l = 1; l <= 16; l++)
            total += counts[l] = s[l];
        if (total > 256 || n < 17 + total)
            return damaged(j, "bad Huffman table");
        struct jhuff *t = tc ? &j->ac[th] : &j->dc[th];
        memset(t, 0, sizeof *t);
        memcpy(t->vals, s + 17, total);
        int32_t code = 0, k = 0;
        for (int l = 1; l <= 16; l++) {
            t->valptr[l] = k;
            t->mincode[l] = code;
            code += (int32_t)counts[l];
            k += (int32_t)counts[l];
            if (code > (1 << l))
                return damaged(j, "over-full Huffman table");
            t->maxcode[l] = counts[l] ? code - 1 : -1;
            if (l <= 9) {
                for (int32_t c = t->mincode[l]; c < code; c++) {
                    unsigned first = (unsigned)c << (9 - l), span = 1u << (9 - l);
                    for (unsigned x = 0; x < span; x++)
                        t->lookup[first + x] =
                            (uint16_t)(l << 8 | t->vals[t->valptr[l] + c - t->mincode[l]]);
                }
            }
            code <<= 1;
        }
        t->present = true;
        s += 17 + total;
        n -= 17 + total;
    }
    return 0;
}

/* ---- entropy-coded data ------------------------------------------------------------------ */

/* Keeps at least 25 bits in the buffer; past a marker or the end of the input it adds zero
 * bits counted in `pad`, and consuming any of those is an error (truncated data). */
static void fill(struct jpeg *j)
{
    while (j->bitcnt <= 24) {
        unsigned b = 0;
        bool real = false;
        if (!j->marker_hit && j->pos < j->len) {
            if (j->d[j->pos] != 0xFF) {
                b = j->d[j->pos++];
                real = true;
            } else if (j->pos + 1 < j->len && j->d[j->pos + 1] == 0x00) {
                b = 0xFF; /* stuffed byte */
                j->pos += 2;
                real = true;
            } else {
                j->marker_hit = true; /* stay before the marker */
            }
        }
        if (!real)
            j->pad += 8;
        j->bitbuf |= (uint32_t)b << (24 - j->bitcnt);
        j->bitcnt += 8;
    }
}

static void consume(struct jpeg *j, unsigned n)
{
    if (n > j->bitcnt - j->pad)
        j->bad = true;
    j->bitbuf <<= n;
    j->bitcnt -= n;
    if (j->pad > j->bitcnt)
        j->pad = j->bitcnt;
}

static int getbits(struct jpeg *j, unsigned n)
{
    if (n == 0)
        return 0;
    fill(j);
    int v = (int)(j->bitbuf >> (32 - n));
    consume(j, n);
    return v;
}

/* Value of an n-bit magnitude category (T.81 F.2.2.1 EXTEND). */
static int extend(int v, unsigned n)
{
    return n && v < (1 << (n - 1)) ? v - (1 << n) + 1 : v;
}

static int huff(struct jpeg *j, const struct jhuff *t)
{
    fill(j);
    unsigned e = t->lookup[j->bitbuf >> 23];
    if (e) {
        consume(j, e >> 8);
        return (int)(e & 255);
    }
    for (int l = 10; l <= 16; l++) {
        int32_t code = (int32_t)(j->bitbuf >> (32 - l));
        if (code <= t->maxcode[l]) {
            consume(j, (unsigned)l);
            return t->vals[t->valptr[l] + code - t->mincode[l]];
        }
    }
    return -1;
}

static void idct_store(struct jpeg *j, const float *coef, uint8_t *dst, size_t stride)
{
    float tmp[64];
    for (int y = 0; y < 8; y++) /* rows: tmp[y][x] = sum_u c[x][u] F[y][u] */
        for (int x = 0; x < 8; x++) {
            float s = 0;
            for (int u = 0; u < 8; u++)
                s += j->cosine[x][u] * coef[y * 8 + u];
            tmp[y * 8 + x] = s;
        }
    for (int x = 0; x < 8; x++)
        for (int y = 0; y < 8; y++) {
            float s = 0;
            for (int v = 0; v < 8; v++)
                s += j->cosine[y][v] * tmp[v * 8 + x];
            float val = s + 128.5f;
            dst[(size_t)y * stride + (size_t)x] = (uint8_t)(val < 0     ? 0
                                                            : val > 255 ? 255
                                                                        : (int)val);
        }
}

static int decode_block(struct jpeg *j, struct jcomp *c, unsigned bx, unsigned by)
{
    float coef[64] = {0};
    int t = huff(j, &j->dc[c->td]);
    if (t < 0 || t > 11)
        return j->bad ? truncated(j) : damaged(j, "bad Huffman code");
    int diff = extend(getbits(j, (unsigned)t), (unsigned)t);
    c->pred += diff;
    if (c->pred < -65536 || c->pred > 65536)
        return damaged(j, "DC value out of range");
    coef[0] = (float)c->pred * c->q[0];
    for (int k = 1; k < 64;) {
        int rs = huff(j, &j->ac[c->ta]);
        if (rs < 0)
            return j->bad ? truncated(j) : damaged(j, "bad Huffman code");
        unsigned r = (unsigned)rs >> 4, s = (unsigned)rs & 15;
        if (s == 0) {
            if (r != 15)
                break; /* end of block */
            k += 16;
            continue;
        }
        k += (int)r;
        if (k > 63 || s > 10)
            return damaged(j, "coefficient out of range");
        coef[zigzag[k]] = (float)extend(getbits(j, s), s) * c->q[k];
        k++;
    }
    if (j->bad)
        return truncated(j);
    size_t stride = (size_t)c->bw * 8;
    idct_store(j, coef, c->plane + (size_t)by * 8 * stride + (size_t)bx * 8, stride);
    return 0;
}

/* After the entropy-coded data: drops the bit buffer and returns to byte reading. */
static void end_of_data(struct jpeg *j)
{
    j->bitbuf = 0;
    j->bitcnt = 0;
    j->pad = 0;
    j->marker_hit = false;
    j->bad = false;
}

static int read_restart(struct jpeg *j, unsigned n)
{
    end_of_data(j);
    if (j->len - j->pos < 2)
        return truncated(j);
    if (j->d[j->pos] != 0xFF || j->d[j->pos + 1] != 0xD0 + (n & 7))
        return damaged(j, "missing restart marker");
    j->pos += 2;
    for (int i = 0; i < 3; i++)
        j->c[i].pred = 0;
    return 0;
}

static int read_sos(struct jpeg *j, const uint8_t *s, size_t n)
{
    if (!j->have_frame)
        return damaged(j, "scan before frame header");
    if (n < 1 || s[0] < 1 || s[0] > j->ncomp || n != 4u + 2u * s[0])
        return damaged(j, "bad scan header");
    unsigned ns = s[0];
    struct jcomp *sc[3];
    unsigned blocks = 0;
    for (unsigned i = 0; i < ns; i++) {
        unsigned id = s[1 + 2 * i], tables = s[2 + 2 * i];
        sc[i] = NULL;
        for (unsigned k = 0; k < j->ncomp; k++)
            if (j->c[k].id == id)
                sc[i] = &j->c[k];
        for (unsigned k = 0; k < i; k++)
            if (sc[k] == sc[i])
                sc[i] = NULL;
        if (!sc[i])
            return damaged(j, "scan names an unknown component");
        sc[i]->td = tables >> 4;
        sc[i]->ta = tables & 15;
        if (sc[i]->td > 3 || sc[i]->ta > 3 || !j->dc[sc[i]->td].present ||
            !j->ac[sc[i]->ta].present)
            return damaged(j, "scan uses a missing Huffman table");
        if (!j->qok[sc[i]->tq])
            return damaged(j, "component uses a missing quantisation table");
        for (int k = 0; k < 64; k++)
            sc[i]->q[k] = j->qt[sc[i]->tq][k];
        sc[i]->pred = 0;
        sc[i]->seen = true;
        blocks += sc[i]->h * sc[i]->v;
    }
    const uint8_t *t = s + 1 + 2 * ns;
    if (t[0] != 0 || t[1] != 63 || t[2] != 0)
        return damaged(j, "scan is not sequential baseline");
    if (ns > 1 && blocks > 10)
        return damaged(j, "too many blocks in an MCU");
    for (unsigned i = 0; i < ns; i++) {
        if (!sc[i]->plane) {
            sc[i]->plane = calloc((size_t)sc[i]->bw * 8, (size_t)sc[i]->bh * 8);
            if (!sc[i]->plane)
                return err_set(j->e, ERR_NOMEM, "%s: out of memory", j->name);
        }
    }
    end_of_data(j);
    unsigned nx, ny; /* MCUs per row and column */
    if (ns == 1) {
        nx = (sc[0]->cw + 7) / 8;
        ny = (sc[0]->ch + 7) / 8;
    } else {
        nx = j->mcux;
        ny = j->mcuy;
    }
    unsigned long done = 0;
    unsigned rst = 0;
    for (unsigned my = 0; my < ny; my++)
        for (unsigned mx = 0; mx < nx; mx++) {
            if (j->restart && done > 0 && done % j->restart == 0) {
                int rc = read_restart(j, rst++);
                if (rc)
                    return rc;
            }
            if (ns == 1) {
                int rc = decode_block(j, sc[0], mx, my);
                if (rc)
                    return rc;
            } else {
                for (unsigned i = 0; i < ns; i++)
                    for (unsigned v = 0; v < sc[i]->v; v++)
                        for (unsigned h = 0; h < sc[i]->h; h++) {
                            int rc = decode_block(j, sc[i], mx * sc[i]->h + h, my * sc[i]->v + v);
                            if (rc)
                                return rc;
                        }
            }
            done++;
        }
    /* Skip to the next marker (the rest of the last byte is padding). */
    end_of_data(j);
    while (j->pos + 1 < j->len && !(j->d[j->pos] == 0xFF && j->d[j->pos + 1] != 0x00 &&
                                    (j->d[j->pos + 1] < 0xD0 || j->d[j->pos + 1] > 0xD7)))
        j->pos++;
    return 0;
}

static int read_sof(struct jpeg *j, const uint8_t *s, size_t n)
{
    if (j->have_frame)
        return damaged(j, "two frame headers");
    if (n < 6)
        return damaged(j, "short frame header");
    unsigned p = s[0];
    j->h = be16(s + 1);
    j->w = be16(s + 3);
    j->ncomp = s[5];
    if (p != 8)
        return err_set(j->e, ERR_FORMAT,
                       "%s is a %u-bit JPEG; only 8-bit JPEG is accepted: save it as a baseline "
                       "JPEG or as PNG",
                       j->name, p);
    if (j->h == 0)
        return err_set(j->e, ERR_FORMAT,
                       "%s: the JPEG gives its height at the end of the file (DNL), which is "
                       "not supported; save it again as a baseline JPEG or as PNG",
                       j->name);
    if (j->w == 0)
        return damaged(j, "width 0");
    if ((uint64_t)j->w * j->h > IMAGE_MAX_PIXELS)
        return err_set(j->e, ERR_FORMAT,
                       "%s: the picture is %ux%u pixels; the largest accepted is %u pixels in "
                       "all: scale it down first",
                       j->name, j->w, j->h, IMAGE_MAX_PIXELS);
    if (j->ncomp != 1 && j->ncomp != 3)
        return err_set(j->e, ERR_FORMAT,
                       "%s is a JPEG with %u colour components (CMYK?); only grey or colour "
                       "(YCbCr) JPEG is accepted: save it as an RGB JPEG or as PNG",
                       j->name, j->ncomp);
    if (n != 6u + 3u * j->ncomp)
        return damaged(j, "bad frame header length");
    j->hmax = j->vmax = 1;
    for (unsigned i = 0; i < j->ncomp; i++) {
        struct jcomp *c = &j->c[i];
        c->id = s[6 + 3 * i];
        c->h = s[7 + 3 * i] >> 4;
        c->v = s[7 + 3 * i] & 15;
        c->tq = s[8 + 3 * i];
        for (unsigned k = 0; k < i; k++)
            if (j->c[k].id == c->id)
                return damaged(j, "two components with one id");
        if (c->h < 1 || c->h > 2 || c->v < 1 || c->v > 2)
            return err_set(j->e, ERR_FORMAT,
                           "%s: the JPEG uses %ux%u chroma sampling; only 1 or 2 in each "
                           "direction is accepted (4:4:4, 4:2:2, 4:2:0): save it again with "
                           "standard settings",
                           j->name, c->h, c->v);
        if (c->tq > 3)
            return damaged(j, "bad quantisation table number");
        j->hmax = c->h > j->hmax ? c->h : j->hmax;
        j->vmax = c->v > j->vmax ? c->v : j->vmax;
    }
    j->mcux = (j->w + 8 * j->hmax - 1) / (8 * j->hmax);
    j->mcuy = (j->h + 8 * j->vmax - 1) / (8 * j->vmax);
    for (unsigned i = 0; i < j->ncomp; i++) {
        struct jcomp *c = &j->c[i];
        c->bw = j->mcux * c->h;
        c->bh = j->mcuy * c->v;
        c->cw = (j->w * c->h + j->hmax - 1) / j->hmax;
        c->ch = (j->h * c->v + j->vmax - 1) / j->vmax;
    }
    j->have_frame = true;
    return 0;
}

/* ---- output ------------------------------------------------------------------------------ */

/* Sample of component c at output pixel (x, y), upsampled with the triangle filter; the
 * result is 16 times the value (the caller rounds). */
static unsigned up16(const struct jpeg *j, const struct jcomp *c, unsigned x, unsigned y)
{
    unsigned sx = j->hmax / c->h, sy = j->vmax / c->v;
    size_t stride = (size_t)c->bw * 8;
    unsigned cy = y / sy, ny = cy, cx = x / sx, nx = cx;
    if (sy == 2)
        ny = (y & 1) ? (cy + 1 < c->ch ? cy + 1 : cy) : (cy > 0 ? cy - 1 : 0);
    if (sx == 2)
        nx = (x & 1) ? (cx + 1 < c->cw ? cx + 1 : cx) : (cx > 0 ? cx - 1 : 0);
    const uint8_t *r0 = c->plane + cy * stride, *r1 = c->plane + ny * stride;
    unsigned col_c = sy == 2 ? 3u * r0[cx] + r1[cx] : 4u * r0[cx];
    unsigned col_n = sy == 2 ? 3u * r0[nx] + r1[nx] : 4u * r0[nx];
    return sx == 2 ? 3u * col_c + col_n : 4u * col_c;
}

static uint8_t clamp255(int v)
{
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static int make_rgb(struct jpeg *j, struct picture *out)
{
    uint8_t *rgb = malloc((size_t)j->w * j->h * 3);
    if (!rgb)
        return err_set(j->e, ERR_NOMEM, "%s: out of memory for a %ux%u picture", j->name, j->w,
                       j->h);
    bool rgb_space =
        j->ncomp == 3 && (j->adobe == 0 || (j->adobe < 0 && !j->jfif && j->c[0].id == 'R' &&
                                            j->c[1].id == 'G' && j->c[2].id == 'B'));
    for (unsigned y = 0; y < j->h; y++) {
        uint8_t *o = rgb + (size_t)y * j->w * 3;
        for (unsigned x = 0; x < j->w; x++, o += 3) {
            if (j->ncomp == 1) {
                const struct jcomp *c = &j->c[0];
                o[0] = o[1] = o[2] = c->plane[(size_t)y * c->bw * 8 + x];
                continue;
            }
            /* Rounded values, times 16. */
            int v0 = (int)up16(j, &j->c[0], x, y), v1 = (int)up16(j, &j->c[1], x, y),
                v2 = (int)up16(j, &j->c[2], x, y);
            if (rgb_space) {
                o[0] = clamp255((v0 + 8) >> 4);
                o[1] = clamp255((v1 + 8) >> 4);
                o[2] = clamp255((v2 + 8) >> 4);
                continue;
            }
            /* JFIF: fixed point with 16 fractional bits (values are x16 already). */
            int yy = v0 << 12, cb = v1 - 128 * 16, cr = v2 - 128 * 16;
            int half = 1 << 15;
            o[0] = clamp255((yy + 5743 * cr + half) >> 16);             /* 1.402 * 4096 */
            o[1] = clamp255((yy - 1410 * cb - 2925 * cr + half) >> 16); /* .34414, .71414 */
            o[2] = clamp255((yy + 7258 * cb + half) >> 16);             /* 1.772 */
        }
    }
    out->w = (uint16_t)j->w;
    out->h = (uint16_t)j->h;
    out->rgb = rgb;
    return 0;
}

/* ---- markers ----------------------------------------------------------------------------- */

static int refuse_sof(struct jpeg *j, unsigned m)
{
    if (m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE)
        return err_set(j->e, ERR_FORMAT,
                       "%s is a progressive JPEG; save it as a baseline JPEG or as PNG", j->name);
    if (m >= 0xC9)
        return err_set(j->e, ERR_FORMAT,
                       "%s is an arithmetic-coded JPEG; save it as a baseline JPEG or as PNG",
                       j->name);
    if (m == 0xC3 || m == 0xC7)
        return err_set(j->e, ERR_FORMAT,
                       "%s is a lossless JPEG; save it as a baseline JPEG or as PNG", j->name);
    return err_set(j->e, ERR_FORMAT,
                   "%s is a hierarchical JPEG; save it as a baseline JPEG or as PNG", j->name);
}

int image_jpeg_decode(const uint8_t *data, size_t len, const char *name, struct picture *out,
                      struct err *e)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    struct jpeg *j = calloc(1, sizeof *j);
    if (!j)
        return err_set(e, ERR_NOMEM, "%s: out of memory", name);
    j->d = data;
    j->len = len;
    j->name = name;
    j->e = e;
    j->adobe = -1;
    for (int x = 0; x < 8; x++)
        for (int u = 0; u < 8; u++)
            j->cosine[x][u] =
                (float)((u == 0 ? sqrt(0.5) : 1.0) / 2.0 * cos((2.0 * x + 1.0) * u * M_PI / 16.0));
    if (len < 2 || data[0] != 0xFF || data[1] != 0xD8) {
        rc = err_set(e, ERR_FORMAT, "%s: not a JPEG file", name);
        goto done;
    }
    j->pos = 2;
    bool scanned = false;
    for (;;) {
        if (j->len - j->pos < 2) {
            rc = truncated(j);
            goto done;
        }
        if (j->d[j->pos] != 0xFF) {
            rc = damaged(j, "data where a marker should be");
            goto done;
        }
        while (j->pos < j->len && j->d[j->pos] == 0xFF)
            j->pos++; /* fill bytes */
        if (j->pos >= j->len) {
            rc = truncated(j);
            goto done;
        }
        unsigned m = j->d[j->pos++];
        if (m == 0xD9) { /* EOI */
            break;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8) || m == 0x00) {
            rc = damaged(j, "unexpected marker");
            goto done;
        }
        if (j->len - j->pos < 2) {
            rc = truncated(j);
            goto done;
        }
        size_t seglen = be16(j->d + j->pos);
        if (seglen < 2) {
            rc = damaged(j, "bad segment length");
            goto done;
        }
        if (seglen > j->len - j->pos) {
            rc = truncated(j);
            goto done;
        }
        const uint8_t *s = j->d + j->pos + 2;
        size_t n = seglen - 2;
        j->pos += seglen;
        if (m == 0xC0 || m == 0xC1) {
            rc = read_sof(j, s, n);
        } else if (m == 0xC4) {
            rc = read_dht(j, s, n);
        } else if (m == 0xCC) {
            rc = refuse_sof(j, 0xC9);
        } else if (m >= 0xC2 && m <= 0xCF && m != 0xC8) {
            rc = refuse_sof(j, m);
        } else if (m == 0xDB) {
            rc = read_dqt(j, s, n);
        } else if (m == 0xDD) {
            if (n != 2)
                rc = damaged(j, "bad restart interval");
            else
                j->restart = be16(s);
        } else if (m == 0xDA) {
            rc = read_sos(j, s, n);
            scanned = true;
        } else if (m == 0xDC) {
            rc = damaged(j, "unexpected DNL marker");
        } else if (m == 0xE0) {
            if (n >= 5 && memcmp(s, "JFIF\0", 5) == 0)
                j->jfif = true;
        } else if (m == 0xEE) {
            if (n >= 12 && memcmp(s, "Adobe", 5) == 0)
                j->adobe = s[11];
        } else if ((m >= 0xE1 && m <= 0xEF) || m == 0xFE || m == 0xC8 || (m >= 0xF0 && m <= 0xFD)) {
            /* APPn (EXIF, ICC...), COM and extensions: skipped. */
        } else {
            rc = damaged(j, "unknown marker");
        }
        if (rc)
            goto done;
    }
    if (!j->have_frame || !scanned) {
        rc = damaged(j, "no image data");
        goto done;
    }
    for (unsigned i = 0; i < j->ncomp; i++)
        if (!j->c[i].seen) {
            rc = damaged(j, "a colour component has no data");
            goto done;
        }
    rc = make_rgb(j, out);
done:
    for (int i = 0; i < 3; i++)
        free(j->c[i].plane);
    free(j);
    return rc;
}
