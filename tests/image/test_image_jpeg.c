/*
 * test_image_jpeg — the image module's JPEG side (libjpeg-turbo): ImageMagick's fixtures decode
 * to its own pixels; baseline files built here decode the same whether their scans are
 * interleaved or not; progressive files work up to the scan limit; arithmetic-coded files and
 * damaged input (every truncation, every flipped byte) are refused cleanly.
 */
#include <stdio.h> /* before jpeglib.h, which needs FILE */
#include <string.h>
#include <unistd.h>

#include <jpeglib.h>

#include "imgtest.h"

static void test_jpeg_fixtures(void)
{
    static const char *names[] = {"jpeg-444",  "jpeg-420",        "jpeg-422",     "jpeg-440",
                                  "jpeg-gray", "jpeg-420-rst",    "jpeg-444-rst", "jpeg-420-q30",
                                  "jpeg-tiny", "jpeg-progressive"};
    char a[64], b[64];
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        snprintf(a, sizeof a, "%s.jpg", names[i]);
        snprintf(b, sizeof b, "%s.rgb", names[i]);
        compare_fixture(a, b, 4, 1.0);
    }
    /* Refused with a message saying what to do. */
    uint8_t *data;
    size_t len;
    struct picture pic;
    struct err e;
    CHECK(read_fixture("refuse-sof9.jpg", &data, &len));
    CHECK_INT(image_decode(data, len, &pic, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "arithmetic-coded JPEG");
    free(data);
}

/* ---- JPEG files built here ------------------------------------------------------------------
 * A small baseline encoder (random coefficients, one Huffman table pair with fixed-length
 * codes) writes the same blocks once as one interleaved scan and once as three one-component
 * scans; both must decode to the same pixels. */

struct jw {
    struct buf *out;
    uint32_t acc;
    unsigned n;
};

static void jw_bits(struct jw *w, unsigned v, unsigned n)
{
    for (unsigned i = n; i-- > 0;) {
        w->acc = w->acc << 1 | ((v >> i) & 1u);
        if (++w->n == 8) {
            buf_u8(w->out, (uint8_t)w->acc);
            if ((w->acc & 0xff) == 0xff)
                buf_u8(w->out, 0);
            w->acc = 0;
            w->n = 0;
        }
    }
}

static void jw_flush(struct jw *w)
{
    while (w->n)
        jw_bits(w, 1, 1);
}

static unsigned ac_sym_index(unsigned rs)
{
    if (rs == 0x00)
        return 0;
    if (rs == 0xF0)
        return 1;
    return 2 + (rs >> 4) * 10 + (rs & 15) - 1;
}

static unsigned category(int v)
{
    unsigned a = (unsigned)abs(v), s = 0;
    while (a) {
        s++;
        a >>= 1;
    }
    return s;
}

static void jw_value(struct jw *w, int v, unsigned s)
{
    if (s)
        jw_bits(w, (unsigned)(v < 0 ? v + (1 << s) - 1 : v), s);
}

/* Deterministic coefficients (zigzag order) of block (bx, by) of component c. */
static void block_coefs(unsigned c, unsigned bx, unsigned by, int z[64])
{
    uint32_t h = (c * 7919u + bx) * 104729u + by * 1299709u + 17u;
    memset(z, 0, 64 * sizeof z[0]);
    h ^= h >> 13;
    h *= 0x5bd1e995u;
    z[0] = (int)(h % 121) - 60;
    for (int k = 0; k < 4; k++) {
        h = h * 1103515245u + 12345u;
        z[1 + (h >> 8) % 40] = (int)((h >> 16) % 41) - 20;
    }
}

static void jw_block(struct jw *w, int *pred, const int z[64])
{
    int diff = z[0] - *pred;
    *pred = z[0];
    unsigned s = category(diff);
    jw_bits(w, s, 4);
    jw_value(w, diff, s);
    unsigned run = 0;
    for (int k = 1; k < 64; k++) {
        if (z[k] == 0) {
            run++;
            continue;
        }
        while (run >= 16) {
            jw_bits(w, ac_sym_index(0xF0), 8);
            run -= 16;
        }
        s = category(z[k]);
        jw_bits(w, ac_sym_index(run << 4 | s), 8);
        jw_value(w, z[k], s);
        run = 0;
    }
    if (run)
        jw_bits(w, ac_sym_index(0x00), 8);
}

static void seg(struct buf *b, unsigned marker, const uint8_t *d, size_t n)
{
    buf_u8(b, 0xFF);
    buf_u8(b, (uint8_t)marker);
    buf_u16(b, (uint16_t)(n + 2));
    buf_raw(b, d, n);
}

static void make_jpeg(struct buf *b, unsigned w, unsigned h, unsigned ysamp, bool interleaved,
                      unsigned restart)
{
    static const uint8_t soi[2] = {0xFF, 0xD8}, eoi[2] = {0xFF, 0xD9};
    buf_raw(b, soi, 2);
    uint8_t dqt[65];
    dqt[0] = 0;
    memset(dqt + 1, 4, 64);
    seg(b, 0xDB, dqt, 65);
    uint8_t sof[15] = {8,          (uint8_t)(h >> 8),
                       (uint8_t)h, (uint8_t)(w >> 8),
                       (uint8_t)w, 3,
                       1,          (uint8_t)ysamp,
                       0,          2,
                       0x11,       0,
                       3,          0x11,
                       0};
    seg(b, 0xC0, sof, 15);
    uint8_t dht[17 + 162];
    memset(dht, 0, sizeof dht);
    dht[0] = 0x00; /* DC 0: 12 symbols, 4-bit codes */
    dht[4] = 12;
    for (int i = 0; i < 12; i++)
        dht[17 + i] = (uint8_t)i;
    seg(b, 0xC4, dht, 17 + 12);
    memset(dht, 0, sizeof dht);
    dht[0] = 0x10; /* AC 0: 162 symbols, 8-bit codes */
    dht[8] = 162;
    dht[17] = 0x00;
    dht[18] = 0xF0;
    for (unsigned r = 0; r < 16; r++)
        for (unsigned s = 1; s <= 10; s++)
            dht[17 + ac_sym_index(r << 4 | s)] = (uint8_t)(r << 4 | s);
    seg(b, 0xC4, dht, 17 + 162);
    if (restart) {
        uint8_t dri[2] = {(uint8_t)(restart >> 8), (uint8_t)restart};
        seg(b, 0xDD, dri, 2);
    }
    unsigned hs = ysamp >> 4, vs = ysamp & 15;
    unsigned mcux = (w + 8 * hs - 1) / (8 * hs), mcuy = (h + 8 * vs - 1) / (8 * vs);
    int z[64];
    struct jw jw = {b, 0, 0};
    if (interleaved) {
        uint8_t sos[10] = {3, 1, 0, 2, 0, 3, 0, 0, 63, 0};
        seg(b, 0xDA, sos, 10);
        int pred[3] = {0, 0, 0};
        unsigned done = 0, rst = 0;
        for (unsigned my = 0; my < mcuy; my++)
            for (unsigned mx = 0; mx < mcux; mx++) {
                if (restart && done && done % restart == 0) {
                    jw_flush(&jw);
                    buf_u8(b, 0xFF);
                    buf_u8(b, (uint8_t)(0xD0 + rst++ % 8));
                    memset(pred, 0, sizeof pred);
                }
                for (unsigned v = 0; v < vs; v++)
                    for (unsigned u = 0; u < hs; u++) {
                        block_coefs(0, mx * hs + u, my * vs + v, z);
                        jw_block(&jw, &pred[0], z);
                    }
                for (unsigned c = 1; c < 3; c++) {
                    block_coefs(c, mx, my, z);
                    jw_block(&jw, &pred[c], z);
                }
                done++;
            }
        jw_flush(&jw);
    } else {
        for (unsigned c = 0; c < 3; c++) {
            uint8_t sos[6] = {1, (uint8_t)(c + 1), 0, 0, 63, 0};
            seg(b, 0xDA, sos, 6);
            unsigned cw = c ? (w + hs - 1) / hs : w, ch = c ? (h + vs - 1) / vs : h;
            unsigned nx = (cw + 7) / 8, ny = (ch + 7) / 8, done = 0, rst = 0;
            int pred = 0;
            for (unsigned by = 0; by < ny; by++)
                for (unsigned bx = 0; bx < nx; bx++) {
                    if (restart && done && done % restart == 0) {
                        jw_flush(&jw);
                        buf_u8(b, 0xFF);
                        buf_u8(b, (uint8_t)(0xD0 + rst++ % 8));
                        pred = 0;
                    }
                    block_coefs(c, bx, by, z);
                    jw_block(&jw, &pred, z);
                    done++;
                }
            jw_flush(&jw);
        }
    }
    buf_raw(b, eoi, 2);
}

static void test_jpeg_scans(void)
{
    static const unsigned sizes[][2] = {{45, 29}, {8, 8}, {1, 1}, {17, 33}};
    static const unsigned samp[] = {0x11, 0x22, 0x21, 0x12};
    for (size_t s = 0; s < ARRAY_LEN(sizes); s++)
        for (size_t k = 0; k < ARRAY_LEN(samp); k++)
            for (unsigned restart = 0; restart <= 2; restart++) {
                struct buf a, b;
                buf_init(&a);
                buf_init(&b);
                make_jpeg(&a, sizes[s][0], sizes[s][1], samp[k], true, restart);
                make_jpeg(&b, sizes[s][0], sizes[s][1], samp[k], false, restart);
                struct picture pa, pb;
                struct err e;
                int ra = image_decode(a.data, a.len, &pa, &e);
                if (ra)
                    fprintf(stderr, "interleaved %ux%u samp %x rst %u: %s\n", sizes[s][0],
                            sizes[s][1], samp[k], restart, e.msg);
                int rb = image_decode(b.data, b.len, &pb, &e);
                if (rb)
                    fprintf(stderr, "3 scans %ux%u samp %x rst %u: %s\n", sizes[s][0], sizes[s][1],
                            samp[k], restart, e.msg);
                CHECK_INT(ra, 0);
                CHECK_INT(rb, 0);
                if (ra == 0 && rb == 0) {
                    CHECK_INT(pa.w, sizes[s][0]);
                    CHECK_INT(pa.h, sizes[s][1]);
                    CHECK(pa.w == pb.w && pa.h == pb.h &&
                          memcmp(pa.rgb, pb.rgb, (size_t)pa.w * pa.h * 3) == 0);
                }
                if (ra == 0)
                    free(pa.rgb);
                if (rb == 0)
                    free(pb.rgb);
                /* Without the last scan, a component has no data: refused. */
                size_t cut = b.len;
                while (cut > 4 && !(b.data[cut - 2] == 0xFF && b.data[cut - 1] == 0xDA))
                    cut--;
                b.data[cut - 1] = 0xD9; /* EOI where the third scan started */
                CHECK_INT(image_decode(b.data, cut, &pb, &e), ERR_FORMAT);
                buf_free(&a);
                buf_free(&b);
            }
}

static void test_jpeg_damage(void)
{
    static const char *files[] = {"jpeg-420-rst.jpg", "jpeg-gray.jpg", "jpeg-tiny.jpg"};
    for (size_t f = 0; f < ARRAY_LEN(files); f++) {
        uint8_t *data = NULL;
        size_t len = 0;
        CHECK(read_fixture(files[f], &data, &len));
        if (!data)
            continue;
        struct picture pic;
        struct err e;
        /* Every truncation is refused (the scan data must be complete and EOI present). */
        for (size_t n = 0; n < len; n++) {
            uint8_t *cut = malloc(n ? n : 1);
            memcpy(cut, data, n);
            int rc = image_decode(cut, n, &pic, &e);
            if (rc != ERR_FORMAT)
                fprintf(stderr, "%s cut at %zu of %zu: rc %d\n", files[f], n, len, rc);
            CHECK_INT(rc, ERR_FORMAT);
            CHECK(pic.rgb == NULL && pic.w == 0 && pic.h == 0);
            if (rc == 0)
                free(pic.rgb);
            free(cut);
        }
        /* JPEG has no checksum: a changed byte may still decode, but must never crash,
         * and a picture that decodes is complete. Headers damaged this way are refused. */
        int refused = 0;
        for (size_t i = 0; i < len; i++) {
            for (unsigned bit = 0; bit < 8; bit += 3) {
                uint8_t saved = data[i];
                data[i] ^= (uint8_t)(1u << bit);
                int rc = image_decode(data, len, &pic, &e);
                if (rc == 0) {
                    CHECK(pic.rgb != NULL && pic.w > 0 && pic.h > 0);
                    free(pic.rgb);
                } else {
                    CHECK(pic.rgb == NULL);
                    refused++;
                }
                data[i] = saved;
            }
        }
        CHECK(refused > 0);
        /* Refused markers and sizes. */
        size_t sof = 0;
        for (size_t i = 0; i + 9 < len; i++)
            if (data[i] == 0xFF && data[i + 1] == 0xC0) {
                sof = i;
                break;
            }
        CHECK(sof > 0);
        uint8_t saved[4];
        memcpy(saved, data + sof + 5, 4);
        data[sof + 5] = 0xFF; /* height 65535 x width 65535: too many pixels */
        data[sof + 6] = 0xFF;
        data[sof + 7] = 0xFF;
        data[sof + 8] = 0xFF;
        CHECK_INT(image_decode(data, len, &pic, &e), ERR_FORMAT);
        CHECK_HAS(e.msg, "scale it down");
        data[sof + 5] = 0; /* height 0: defined later by DNL, refused */
        data[sof + 6] = 0;
        CHECK_INT(image_decode(data, len, &pic, &e), ERR_FORMAT);
        CHECK_HAS(e.msg, "DNL");
        memcpy(data + sof + 5, saved, 4);
        data[sof + 4] = 12; /* 12-bit samples */
        CHECK_INT(image_decode(data, len, &pic, &e), ERR_FORMAT);
        CHECK_HAS(e.msg, "12-bit");
        data[sof + 4] = 8;
        data[sof + 1] = 0xC2; /* a progressive frame with baseline scans: damaged */
        CHECK_INT(image_decode(data, len, &pic, &e), ERR_FORMAT);
        CHECK_HAS(e.msg, "damaged");
        data[sof + 1] = 0xC0;
        CHECK_INT(image_decode(data, len, &pic, &e), 0);
        free(pic.rgb);
        free(data);
    }
}

/* A progressive JPEG (what phones and cameras often write) decodes like a baseline one; cut
 * anywhere it is refused, and a changed byte never crashes the decoder. */
static void test_jpeg_progressive(void)
{
    uint8_t *data = NULL;
    size_t len = 0;
    CHECK(read_fixture("jpeg-progressive.jpg", &data, &len));
    if (!data)
        return;
    struct picture pic;
    struct err e;
    for (size_t n = 0; n < len; n++) {
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, data, n);
        int rc = image_decode(cut, n, &pic, &e);
        if (rc != ERR_FORMAT)
            fprintf(stderr, "progressive cut at %zu of %zu: rc %d\n", n, len, rc);
        CHECK_INT(rc, ERR_FORMAT);
        CHECK(pic.rgb == NULL && pic.w == 0 && pic.h == 0);
        if (rc == 0)
            free(pic.rgb);
        free(cut);
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t saved = data[i];
        data[i] ^= (uint8_t)(1u << (i % 8));
        if (image_decode(data, len, &pic, &e) == 0) {
            CHECK(pic.rgb != NULL && pic.w > 0 && pic.h > 0);
            free(pic.rgb);
        } else {
            CHECK(pic.rgb == NULL);
        }
        data[i] = saved;
    }
    free(data);
}

/* A grey progressive JPEG of 16x16 pixels whose 64 coefficients are sent bit plane by bit
 * plane from bit `al` down: 64 x (al + 1) scans, all valid. */
static void make_many_scans(int al, unsigned char **out, unsigned long *len)
{
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr jerr;
    ci.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&ci);
    *out = NULL;
    *len = 0;
    jpeg_mem_dest(&ci, out, len);
    ci.image_width = 16;
    ci.image_height = 16;
    ci.input_components = 1;
    ci.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&ci);
    int n = 64 * (al + 1);
    jpeg_scan_info *scans = calloc((size_t)n, sizeof *scans);
    int k = 0;
    for (int ss = 0; ss < 64; ss++)
        for (int a = al; a >= 0; a--) {
            scans[k].comps_in_scan = 1;
            scans[k].component_index[0] = 0;
            scans[k].Ss = ss;
            scans[k].Se = ss;
            scans[k].Ah = a == al ? 0 : a + 1;
            scans[k].Al = a;
            k++;
        }
    ci.scan_info = scans;
    ci.num_scans = n;
    jpeg_start_compress(&ci, TRUE);
    uint8_t row[16];
    for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++)
            row[x] = (uint8_t)(x * 13 + y * 7);
        JSAMPROW r = row;
        jpeg_write_scanlines(&ci, &r, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    free(scans);
}

/* Each scan of a progressive JPEG is a pass over the whole picture: at most 500 are decoded. */
static void test_jpeg_scan_limit(void)
{
    unsigned char *data;
    unsigned long len;
    struct picture pic;
    struct err e;
    make_many_scans(6, &data, &len); /* 448 scans */
    int rc = image_decode(data, len, &pic, &e);
    if (rc)
        fprintf(stderr, "448 scans: %s\n", e.msg);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_INT(pic.w, 16);
        free(pic.rgb);
    }
    free(data);
    make_many_scans(8, &data, &len); /* 576 scans */
    CHECK_INT(image_decode(data, len, &pic, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "progressive JPEG with more than 500 scans");
    CHECK(pic.rgb == NULL);
    free(data);
}

int main(void)
{
    RUN(test_jpeg_fixtures);
    RUN(test_jpeg_damage);
    RUN(test_jpeg_progressive);
    RUN(test_jpeg_scan_limit);
    RUN(test_jpeg_scans);
    return check_done();
}
