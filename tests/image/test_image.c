/*
 * test_image — the image module's PNG side, scaling and loading: PNG fixtures made by
 * ImageMagick (make-fixtures.sh) decode to ImageMagick's own pixels; PNG files built here for
 * every colour type, bit depth and interlace decode to what a naive model says; encode ->
 * decode round trips; scaling; damaged input (every truncation, every flipped byte, bad CRCs,
 * huge sizes) is refused cleanly. The JPEG side is test_image_jpeg.c.
 */
#include <unistd.h>
#include <zlib.h>

#include "imgtest.h"

static void test_png_fixtures(void)
{
    static const char *exact[] = {"gray1",       "gray2",      "gray4",      "gray8",
                                  "gray16",      "rgb8",       "rgb16",      "pal2",
                                  "pal4",        "pal8",       "rgb8-adam7", "gray1-adam7",
                                  "gray2-adam7", "pal4-adam7", "tiny-adam7", "rgb8-nocompress",
                                  "pal8-trns",   "graya8",     "rgba8",      "graya8-adam7"};
    /* 16-bit transparency: ImageMagick composites in floating point before rounding down. */
    static const char *alpha[] = {"graya16", "rgba16", "rgba16-adam7"};
    char a[64], b[64];
    for (size_t i = 0; i < ARRAY_LEN(exact); i++) {
        snprintf(a, sizeof a, "%s.png", exact[i]);
        snprintf(b, sizeof b, "%s.rgb", exact[i]);
        compare_fixture(a, b, 0, 0.0);
    }
    for (size_t i = 0; i < ARRAY_LEN(alpha); i++) {
        snprintf(a, sizeof a, "%s.png", alpha[i]);
        snprintf(b, sizeof b, "%s.rgb", alpha[i]);
        compare_fixture(a, b, 1, 0.05);
    }
}

/* ---- PNG files built here from a naive model ------------------------------------------- */

/* Appends a zlib stream of in[0..len) to out (zlib's own compressor). */
static void zlib_compress(const uint8_t *in, size_t len, struct buf *out)
{
    uLongf n = compressBound((uLong)len);
    uint8_t *z = malloc(n);
    CHECK(z != NULL && compress2(z, &n, in, (uLong)len, 9) == Z_OK);
    buf_raw(out, z, n);
    free(z);
}

static void put_chunk(struct buf *out, const char *type, const uint8_t *d, size_t n)
{
    buf_u32(out, (uint32_t)n);
    size_t start = out->len;
    buf_raw(out, type, 4);
    buf_raw(out, d, n);
    buf_u32(out, (uint32_t)crc32(0, out->data + start, (uInt)(out->len - start)));
}

static void ihdr(struct buf *out, uint32_t w, uint32_t h, int depth, int ct, int interlace)
{
    uint8_t d[13] = {(uint8_t)(w >> 24),
                     (uint8_t)(w >> 16),
                     (uint8_t)(w >> 8),
                     (uint8_t)w,
                     (uint8_t)(h >> 24),
                     (uint8_t)(h >> 16),
                     (uint8_t)(h >> 8),
                     (uint8_t)h,
                     (uint8_t)depth,
                     (uint8_t)ct,
                     0,
                     0,
                     (uint8_t)interlace};
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    buf_raw(out, sig, 8);
    put_chunk(out, "IHDR", d, 13);
}

/* Writes sample value v (depth bits) at sample index i of a row. */
static void put_sample(uint8_t *row, size_t i, unsigned depth, unsigned v)
{
    if (depth == 16) {
        row[2 * i] = (uint8_t)(v >> 8);
        row[2 * i + 1] = (uint8_t)v;
    } else if (depth == 8) {
        row[i] = (uint8_t)v;
    } else {
        size_t bit = i * depth;
        row[bit / 8] |= (uint8_t)(v << (8 - depth - bit % 8));
    }
}

static uint8_t white(unsigned v, unsigned a, unsigned maxv)
{
    /* exact rational value, rounded down */
    uint64_t num = (uint64_t)v * a + (uint64_t)maxv * (maxv - a);
    return (uint8_t)(num * 255 / ((uint64_t)maxv * maxv));
}

static void model_case(int ct, unsigned depth, int interlace, bool trns, uint32_t w, uint32_t h)
{
    unsigned ch = ct == 0 || ct == 3 ? 1 : ct == 2 ? 3 : ct == 4 ? 2 : 4;
    unsigned maxv = (1u << depth) - 1, npal = ct == 3 ? 1u + rnd() % (maxv + 1) : 0;
    uint8_t pal[256][3], palpha[256];
    for (unsigned i = 0; i < npal; i++) {
        for (int c = 0; c < 3; c++)
            pal[i][c] = (uint8_t)rnd();
        palpha[i] = (uint8_t)(i % 3 == 0 ? 255 : rnd());
    }
    unsigned key[3] = {rnd() & maxv, rnd() & maxv, rnd() & maxv};
    /* samples[y][x][c], drawn so that tRNS keys occur */
    unsigned *s = calloc((size_t)w * h * ch, sizeof *s);
    uint8_t *want = malloc((size_t)w * h * 3);
    for (size_t p = 0; p < (size_t)w * h; p++) {
        bool k = trns && rnd() % 4 == 0;
        for (unsigned c = 0; c < ch; c++)
            s[p * ch + c] = ct == 3 ? rnd() % npal : k && c < 3 ? key[c] : rnd() & maxv;
        unsigned r, g, b, a = maxv, m = maxv;
        const unsigned *v = s + p * ch;
        if (ct == 3) {
            r = pal[v[0]][0], g = pal[v[0]][1], b = pal[v[0]][2], m = 255;
            a = trns ? palpha[v[0]] : 255;
        } else if (ct == 0 || ct == 4) {
            r = g = b = v[0];
            a = ct == 4 ? v[1] : trns && v[0] == key[0] ? 0 : maxv;
        } else {
            r = v[0], g = v[1], b = v[2];
            a = ct == 6 ? v[3] : trns && r == key[0] && g == key[1] && b == key[2] ? 0 : maxv;
        }
        want[p * 3] = white(r, a, m);
        want[p * 3 + 1] = white(g, a, m);
        want[p * 3 + 2] = white(b, a, m);
    }
    /* Raw scanlines with filter 0, per Adam7 pass when interlaced. */
    static const int x0[7] = {0, 4, 0, 2, 0, 1, 0}, y0[7] = {0, 0, 4, 0, 2, 0, 1};
    static const int dx[7] = {8, 8, 4, 4, 2, 2, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    struct buf raw, z, png;
    buf_init(&raw);
    buf_init(&z);
    buf_init(&png);
    for (int pass = 0; pass < (interlace ? 7 : 1); pass++) {
        int ox = interlace ? x0[pass] : 0, oy = interlace ? y0[pass] : 0;
        int sx = interlace ? dx[pass] : 1, sy = interlace ? dy[pass] : 1;
        for (uint32_t y = (uint32_t)oy; y < h; y += (uint32_t)sy) {
            size_t pw = w > (uint32_t)ox ? (w - (uint32_t)ox + (uint32_t)sx - 1) / (uint32_t)sx : 0;
            if (pw == 0)
                break;
            size_t rb = (pw * ch * depth + 7) / 8;
            uint8_t *row = calloc(rb + 1, 1);
            size_t i = 0;
            for (uint32_t x = (uint32_t)ox; x < w; x += (uint32_t)sx)
                for (unsigned c = 0; c < ch; c++)
                    put_sample(row + 1, i++, depth, s[((size_t)y * w + x) * ch + c]);
            buf_raw(&raw, row, rb + 1);
            free(row);
        }
    }
    zlib_compress(raw.data, raw.len, &z);
    ihdr(&png, w, h, (int)depth, ct, interlace);
    if (ct == 3) {
        put_chunk(&png, "PLTE", &pal[0][0], npal * 3);
        if (trns)
            put_chunk(&png, "tRNS", palpha, npal);
    } else if (trns && (ct == 0 || ct == 2)) {
        uint8_t t[6];
        for (int c = 0; c < 3; c++) {
            t[2 * c] = (uint8_t)(key[c] >> 8);
            t[2 * c + 1] = (uint8_t)key[c];
        }
        put_chunk(&png, "tRNS", t, ct == 0 ? 2 : 6);
    }
    /* Split the stream over two IDAT chunks, as encoders do. */
    size_t half = z.len / 2;
    put_chunk(&png, "IDAT", z.data, half);
    put_chunk(&png, "IDAT", z.data + half, z.len - half);
    put_chunk(&png, "IEND", NULL, 0);
    struct picture pic;
    struct err e;
    int rc = image_decode(png.data, png.len, &pic, &e);
    if (rc)
        fprintf(stderr, "ct %d depth %u interlace %d trns %d %ux%u: %s\n", ct, depth, interlace,
                trns, w, h, e.msg);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_INT(pic.w, w);
        CHECK_INT(pic.h, h);
        bool same = memcmp(pic.rgb, want, (size_t)w * h * 3) == 0;
        if (!same)
            fprintf(stderr, "ct %d depth %u interlace %d trns %d %ux%u: pixels differ\n", ct, depth,
                    interlace, trns, w, h);
        CHECK(same);
        free(pic.rgb);
    }
    free(s);
    free(want);
    buf_free(&raw);
    buf_free(&z);
    buf_free(&png);
}

static void test_png_model(void)
{
    static const struct {
        int ct;
        unsigned depth;
    } kinds[] = {{0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {2, 8}, {2, 16}, {3, 1},
                 {3, 2}, {3, 4}, {3, 8}, {4, 8}, {4, 16}, {6, 8}, {6, 16}};
    static const uint32_t sizes[][2] = {{1, 1}, {1, 9}, {9, 1}, {3, 2}, {13, 11}, {33, 17}};
    for (size_t k = 0; k < ARRAY_LEN(kinds); k++)
        for (size_t s = 0; s < ARRAY_LEN(sizes); s++)
            for (int il = 0; il < 2; il++)
                for (int t = 0; t < 2; t++)
                    model_case(kinds[k].ct, kinds[k].depth, il,
                               t && kinds[k].ct != 4 && kinds[k].ct != 6, sizes[s][0], sizes[s][1]);
}

/* ---- round trips -------------------------------------------------------------------------- */

static void roundtrip(unsigned w, unsigned h, unsigned ch, int kind)
{
    size_t pitch = (size_t)w * ch + (rnd() % 3) * 5;
    uint8_t *px = malloc(pitch * h);
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < pitch; x++) {
            uint8_t v;
            if (kind == 0)
                v = (uint8_t)rnd(); /* noise: stored blocks */
            else if (kind == 1)
                v = (uint8_t)(x * 3 + y * 2); /* smooth: filters + LZ77 */
            else
                v = (uint8_t)((x / 7 + y / 5) % 2 ? 200 : 30); /* flat areas, long matches */
            px[y * pitch + x] = v;
        }
    struct buf out;
    buf_init(&out);
    struct err e;
    CHECK_INT(image_encode_png(px, w, h, ch, pitch, &out, &e), 0);
    struct picture pic;
    int rc = image_decode(out.data, out.len, &pic, &e);
    if (rc)
        fprintf(stderr, "%ux%u ch %u kind %d: %s\n", w, h, ch, kind, e.msg);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_INT(pic.w, w);
        CHECK_INT(pic.h, h);
        bool same = true;
        for (size_t y = 0; y < h; y++)
            for (size_t x = 0; x < w; x++)
                for (size_t c = 0; c < 3; c++) {
                    const uint8_t *p = px + y * pitch + x * ch;
                    unsigned a = ch == 4 ? p[3] : 255;
                    unsigned v = (p[c] * a + 255 * (255 - a)) / 255;
                    same = same && pic.rgb[(y * w + x) * 3 + c] == v;
                }
        CHECK(same);
        free(pic.rgb);
    }
    /* Compressible pictures must shrink well below their raw size. */
    if (kind == 2 && w * h >= 4096)
        CHECK(out.len < (size_t)w * h * ch / 8);
    /* Noise grows by the PNG chunks and zlib's block headers only (5 bytes per block of at
     * most 16 KiB of input: under 0.1 %). */
    size_t rows = ((size_t)w * ch + 1) * h;
    if (kind == 0 && out.len >= rows + rows / 1000 + 200)
        fprintf(stderr, "noise %ux%u ch %u: %zu bytes of PNG for %zu bytes of rows\n", w, h, ch,
                out.len, rows);
    if (kind == 0)
        CHECK(out.len < rows + rows / 1000 + 200);
    buf_free(&out);
    free(px);
}

static void test_png_roundtrip(void)
{
    static const unsigned sizes[][2] = {{1, 1},   {1, 7},   {7, 1},   {17, 13},
                                        {64, 64}, {300, 5}, {257, 3}, {480, 320}};
    for (size_t s = 0; s < ARRAY_LEN(sizes); s++)
        for (unsigned ch = 3; ch <= 4; ch++)
            for (int kind = 0; kind < 3; kind++)
                roundtrip(sizes[s][0], sizes[s][1], ch, kind);
    struct buf out;
    buf_init(&out);
    struct err e;
    uint8_t px[12] = {0};
    CHECK_INT(image_encode_png(px, 0, 1, 3, 3, &out, &e), ERR_USAGE);
    CHECK_INT(image_encode_png(px, 2, 1, 2, 6, &out, &e), ERR_USAGE);
    CHECK_INT(image_encode_png(px, 2, 1, 3, 5, &out, &e), ERR_USAGE);
    CHECK_INT(out.len, 0);
    buf_free(&out);
}

/* ---- damaged input ------------------------------------------------------------------------ */

static void test_png_damage(void)
{
    uint8_t *data = NULL;
    size_t len = 0;
    CHECK(read_fixture("pal4-adam7.png", &data, &len));
    if (!data)
        return;
    struct picture pic;
    struct err e;
    CHECK_INT(image_decode(data, len, &pic, &e), 0);
    free(pic.rgb);
    /* Every truncation is refused (IEND is required), and leaves nothing allocated. */
    for (size_t n = 0; n < len; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, data, n);
        int rc = image_decode(cut, n, &pic, &e);
        CHECK_INT(rc, ERR_FORMAT);
        CHECK(pic.rgb == NULL && pic.w == 0 && pic.h == 0);
        free(cut);
    }
    /* Every changed byte is refused: signature, lengths, types, data and CRCs are all
     * covered by a check. */
    int accepted = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t saved = data[i];
        data[i] ^= (uint8_t)(1u << (i % 8));
        int rc = image_decode(data, len, &pic, &e);
        if (rc == 0) {
            accepted++;
            fprintf(stderr, "flip at byte %zu accepted\n", i);
            free(pic.rgb);
        }
        data[i] = saved;
    }
    CHECK_INT(accepted, 0);
    /* Bad CRC: the message says so. */
    data[len - 20] ^= 0xff;
    CHECK_INT(image_decode(data, len, &pic, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "CRC");
    free(data);

    /* Huge or empty sizes, with valid CRCs, are refused before any allocation. */
    static const uint32_t dims[][2] = {{100000, 100000}, {65536, 1}, {1, 70000},
                                       {40001, 1000},    {0, 5},     {0x80000000u, 1}};
    for (size_t i = 0; i < ARRAY_LEN(dims); i++) {
        struct buf png;
        buf_init(&png);
        ihdr(&png, dims[i][0], dims[i][1], 8, 2, 0);
        uint8_t z[] = {0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01};
        put_chunk(&png, "IDAT", z, sizeof z);
        put_chunk(&png, "IEND", NULL, 0);
        CHECK_INT(image_decode(png.data, png.len, &pic, &e), ERR_FORMAT);
        if (dims[i][0] > 0)
            CHECK_HAS(e.msg, "scale it down");
        buf_free(&png);
    }
    /* A zlib stream that inflates to far more than the header allows (a "bomb"). */
    {
        size_t big = 1 << 22;
        uint8_t *zeros = calloc(big, 1);
        struct buf z, png;
        buf_init(&z);
        buf_init(&png);
        zlib_compress(zeros, big, &z);
        ihdr(&png, 16, 16, 8, 2, 0);
        put_chunk(&png, "IDAT", z.data, z.len);
        put_chunk(&png, "IEND", NULL, 0);
        CHECK_INT(image_decode(png.data, png.len, &pic, &e), ERR_FORMAT);
        CHECK_HAS(e.msg, "longer than the picture");
        buf_free(&z);
        buf_free(&png);
        free(zeros);
    }
    /* Not an image at all. */
    CHECK_INT(image_decode((const uint8_t *)"hello", 5, &pic, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "neither PNG nor JPEG");
    CHECK_INT(image_decode((const uint8_t *)"GIF89a", 6, &pic, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "GIF");
    CHECK_INT(image_decode(NULL, 0, &pic, &e), ERR_FORMAT);
}

/* ---- scaling ------------------------------------------------------------------------------ */

static struct picture make_pic(unsigned w, unsigned h)
{
    struct picture p = {(uint16_t)w, (uint16_t)h, malloc((size_t)w * h * 3)};
    return p;
}

static void test_fit(void)
{
    struct err e;
    /* Aspect is kept; the longer side hits the limit. */
    static const unsigned cases[][4] = {
        {960, 640, 480, 320}, {1000, 100, 480, 48}, {100, 1000, 32, 320}, {481, 1, 480, 1},
        {1, 5000, 1, 320},    {480, 320, 480, 320}, {200, 100, 200, 100}, {4000, 3000, 427, 320}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct picture p = make_pic(cases[i][0], cases[i][1]);
        memset(p.rgb, 77, (size_t)p.w * p.h * 3);
        CHECK_INT(image_fit(&p, PICTURE_MAX_W, PICTURE_MAX_H, &e), 0);
        CHECK_INT(p.w, cases[i][2]);
        CHECK_INT(p.h, cases[i][3]);
        bool flat = true;
        for (size_t k = 0; k < (size_t)p.w * p.h * 3; k++)
            flat = flat && p.rgb[k] == 77;
        CHECK(flat); /* averaging a flat picture keeps it flat */
        free(p.rgb);
    }
    /* Exact area averages: 3 -> 2 pixels weighs 2/3 + 1/3. */
    struct picture p = make_pic(3, 1);
    uint8_t src[9] = {0, 30, 90, 90, 60, 0, 255, 120, 3};
    memcpy(p.rgb, src, 9);
    CHECK_INT(image_fit(&p, 2, 2, &e), 0);
    CHECK_INT(p.w, 2);
    CHECK_INT(p.h, 1);
    CHECK_INT(p.rgb[0], 30);  /* (0*2 + 90)/3 */
    CHECK_INT(p.rgb[1], 40);  /* (30*2 + 60)/3 */
    CHECK_INT(p.rgb[2], 60);  /* (90*2 + 0)/3 */
    CHECK_INT(p.rgb[3], 200); /* (90 + 255*2)/3 */
    CHECK_INT(p.rgb[4], 100); /* (60 + 120*2)/3 */
    CHECK_INT(p.rgb[5], 2);   /* (0 + 3*2)/3 */
    free(p.rgb);
    /* 2x2 -> 1x1 is the mean of four, rounded. */
    p = make_pic(4, 4);
    for (size_t k = 0; k < 48; k++)
        p.rgb[k] = (uint8_t)(k * 5);
    CHECK_INT(image_fit(&p, 2, 2, &e), 0);
    CHECK_INT(p.w, 2);
    /* top-left output = source pixels (0,0) (1,0) (0,1) (1,1), channel 0: 0, 15, 60, 75 */
    CHECK_INT(p.rgb[0], 38);
    free(p.rgb);
    /* Nothing to do for an empty picture. */
    struct picture none = {0, 0, NULL};
    CHECK_INT(image_fit(&none, 480, 320, &e), 0);
    CHECK_INT(image_fit(&none, 0, 320, &e), ERR_USAGE);
}

static void test_load_picture(void)
{
    const char *bdir = getenv("ISOLOIR_BUILD_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/test_image_%d.png", bdir ? bdir : ".", (int)getpid());
    unsigned w = 1200, h = 400;
    uint8_t *px = malloc((size_t)w * h * 3);
    for (size_t i = 0; i < (size_t)w * h * 3; i++)
        px[i] = (uint8_t)(i / 3 % w / 5);
    struct buf png;
    buf_init(&png);
    struct err e;
    CHECK_INT(image_encode_png(px, w, h, 3, (size_t)w * 3, &png, &e), 0);
    CHECK_INT(util_write_durable(path, png.data, png.len, 0644, &e), 0);
    struct picture pic;
    CHECK_INT(image_load_picture(path, 2u << 20, &pic, &e), 0);
    CHECK_INT(pic.w, 480);
    CHECK_INT(pic.h, 160);
    free(pic.rgb);
    /* Too large a file: refused, and the message names it. */
    CHECK_INT(image_load_picture(path, 100, &pic, &e), ERR_INVALID);
    CHECK_HAS(e.msg, path);
    CHECK(pic.rgb == NULL);
    /* Damaged: the message names the file. */
    png.data[png.len - 30] ^= 1;
    CHECK_INT(util_write_durable(path, png.data, png.len, 0644, &e), 0);
    CHECK_INT(image_load_picture(path, 2u << 20, &pic, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, path);
    unlink(path);
    CHECK(image_load_picture(path, 2u << 20, &pic, &e) < 0);
    CHECK_HAS(e.msg, path);
    buf_free(&png);
    free(px);
    /* JPEG through the same door, baseline and progressive; an arithmetic-coded one is
     * refused naming the file. */
    char *jp = fixture_path("jpeg-420.jpg");
    CHECK_INT(image_load_picture(jp, 2u << 20, &pic, &e), 0);
    CHECK_INT(pic.w, 61);
    CHECK_INT(pic.h, 45);
    free(pic.rgb);
    free(jp);
    jp = fixture_path("jpeg-progressive.jpg");
    CHECK_INT(image_load_picture(jp, 2u << 20, &pic, &e), 0);
    CHECK_INT(pic.w, 61);
    CHECK_INT(pic.h, 45);
    free(pic.rgb);
    free(jp);
    jp = fixture_path("refuse-sof9.jpg");
    CHECK_INT(image_load_picture(jp, 2u << 20, &pic, &e), ERR_FORMAT);
    char want[4200];
    snprintf(want, sizeof want,
             "%s is an arithmetic-coded JPEG; save it as a baseline JPEG or as PNG", jp);
    CHECK_STR(e.msg, want);
    free(jp);
}

int main(void)
{
    RUN(test_png_fixtures);
    RUN(test_png_model);
    RUN(test_png_roundtrip);
    RUN(test_png_damage);
    RUN(test_fit);
    RUN(test_load_picture);
    return check_done();
}
