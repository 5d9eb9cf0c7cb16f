/*
 * image_deflate — a small DEFLATE (RFC 1951) compressor in a zlib wrapper (RFC 1950), for
 * the PNG writer: greedy LZ77 over a 32 KiB window with hash chains, coded with the fixed
 * Huffman codes. When that would be larger than the data itself (noise), it writes stored
 * blocks instead, so the output never grows by more than a few bytes per 64 KiB.
 *
 * Invariants: a match never reaches before the start of the input or past its end; the
 * output is a complete zlib stream (one final block, Adler-32 of the input). It never fails
 * halfway silently: out-of-memory is recorded in the buffer's `oom`.
 */
#include <stdbool.h>
#include <stdint.h>

#include "image_int.h"

#include "util.h"

#define WBITS     15
#define WSIZE     (1u << WBITS)
#define HBITS     15
#define MAX_CHAIN 48
#define MIN_MATCH 3
#define MAX_MATCH 258

struct bitw {
    struct buf *out;
    uint64_t acc;
    unsigned n;
};

static void put(struct bitw *w, unsigned bits, unsigned n)
{
    w->acc |= (uint64_t)bits << w->n;
    w->n += n;
    while (w->n >= 8) {
        buf_u8(w->out, (uint8_t)w->acc);
        w->acc >>= 8;
        w->n -= 8;
    }
}

static void flush(struct bitw *w)
{
    if (w->n > 0)
        put(w, 0, 8 - w->n);
}

static unsigned reverse(unsigned code, unsigned len)
{
    unsigned r = 0;
    for (unsigned i = 0; i < len; i++)
        r |= ((code >> i) & 1u) << (len - 1 - i);
    return r;
}

/* Writes literal/length symbol `sym` with the fixed code (RFC 1951 3.2.6). */
static void put_sym(struct bitw *w, unsigned sym)
{
    if (sym < 144)
        put(w, reverse(0x30 + sym, 8), 8);
    else if (sym < 256)
        put(w, reverse(0x190 + sym - 144, 9), 9);
    else if (sym < 280)
        put(w, reverse(sym - 256, 7), 7);
    else
        put(w, reverse(0xC0 + sym - 280, 8), 8);
}

static const uint16_t len_base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                      15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void put_match(struct bitw *w, unsigned len, unsigned dist)
{
    unsigned l = 28;
    while (len_base[l] > len)
        l--;
    put_sym(w, 257 + l);
    put(w, len - len_base[l], len_extra[l]);
    unsigned d = 29;
    while (dist_base[d] > dist)
        d--;
    put(w, reverse(d, 5), 5);
    put(w, dist - dist_base[d], dist_extra[d]);
}

static unsigned hash3(const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - HBITS);
}

/* One final fixed-Huffman block holding all of `in`. Returns false on out-of-memory. */
static bool compress_fixed(const uint8_t *in, size_t len, struct buf *out)
{
    int32_t *head = malloc(sizeof(int32_t) << HBITS);
    int32_t *prev = malloc(sizeof(int32_t) * WSIZE);
    if (!head || !prev) {
        free(head);
        free(prev);
        return false;
    }
    for (size_t i = 0; i < (1u << HBITS); i++)
        head[i] = -1;
    struct bitw w = {out, 0, 0};
    put(&w, 1, 1); /* BFINAL */
    put(&w, 1, 2); /* BTYPE = fixed */
    size_t i = 0;
    while (i < len) {
        unsigned best = 0, bestd = 0;
        if (len - i >= MIN_MATCH) {
            unsigned h = hash3(in + i);
            int32_t cand = head[h];
            size_t maxlen = len - i < MAX_MATCH ? len - i : MAX_MATCH;
            for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; chain++) {
                size_t d = i - (size_t)cand;
                if (d > WSIZE - 1 || d == 0)
                    break;
                const uint8_t *a = in + i, *b = in + cand;
                if (b[best] == a[best]) {
                    unsigned l = 0;
                    while (l < maxlen && a[l] == b[l])
                        l++;
                    if (l > best) {
                        best = l;
                        bestd = (unsigned)d;
                        if (l == maxlen)
                            break;
                    }
                }
                int32_t nx = prev[(size_t)cand & (WSIZE - 1)];
                if (nx >= cand)
                    break;
                cand = nx;
            }
            prev[i & (WSIZE - 1)] = head[h];
            head[h] = (int32_t)i;
        }
        if (best >= MIN_MATCH) {
            put_match(&w, best, bestd);
            for (size_t k = i + 1; k < i + best; k++) {
                if (len - k >= MIN_MATCH) {
                    unsigned h = hash3(in + k);
                    prev[k & (WSIZE - 1)] = head[h];
                    head[h] = (int32_t)k;
                }
            }
            i += best;
        } else {
            put_sym(&w, in[i]);
            i++;
        }
    }
    put_sym(&w, 256);
    flush(&w);
    free(head);
    free(prev);
    return true;
}

static void store(const uint8_t *in, size_t len, struct buf *out)
{
    size_t i = 0;
    do {
        size_t n = len - i < 65535 ? len - i : 65535;
        buf_u8(out, i + n == len ? 1 : 0);
        buf_u8(out, (uint8_t)n);
        buf_u8(out, (uint8_t)(n >> 8));
        buf_u8(out, (uint8_t)~n);
        buf_u8(out, (uint8_t)(~n >> 8));
        buf_raw(out, in + i, n);
        i += n;
    } while (i < len);
}

void image_deflate_zlib(const uint8_t *in, size_t len, struct buf *out)
{
    buf_u8(out, 0x78);
    buf_u8(out, 0x01);
    struct buf tmp;
    buf_init(&tmp);
    size_t stored_size = len + 5 * (len / 65535 + 1);
    if (len > 0 && len < ((size_t)1 << 31) && compress_fixed(in, len, &tmp) && !tmp.oom &&
        tmp.len < stored_size)
        buf_raw(out, tmp.data, tmp.len);
    else
        store(in, len, out);
    buf_free(&tmp);
    buf_u32(out, image_adler32(1, in, len));
}
