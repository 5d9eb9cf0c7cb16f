/*
 * image_inflate — a DEFLATE (RFC 1951) decoder inside a zlib wrapper (RFC 1950), used by the
 * PNG reader; plus the CRC-32 and Adler-32 checksums.
 *
 * Invariants: input bits are taken only from [in, in + len); output is written only below
 * the `want` bytes the caller expects (the buffer grows on demand, up to `want`); a back
 * reference never reaches before the start of the output. Huffman codes are decoded through
 * one lookup table per code, indexed by the next 15 (at most) input bits; an over-subscribed
 * code is refused, and a bit pattern that an incomplete code does not define is an error when
 * met. It never trusts a length field without checking it against what is left.
 */
#include <stdbool.h>
#include <stdint.h>

#include "image_int.h"

#include "util.h"

uint32_t image_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    static const uint32_t nibble[16] = {
        0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4,
        0x4DB26158, 0x5005713C, 0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C,
        0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
    };
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ nibble[crc & 15];
        crc = (crc >> 4) ^ nibble[crc & 15];
    }
    return ~crc;
}

uint32_t image_adler32(uint32_t adler, const uint8_t *p, size_t n)
{
    uint32_t a = adler & 0xffff, b = adler >> 16;
    while (n > 0) {
        /* 5552 is the most bytes before b can overflow 32 bits. */
        size_t chunk = n < 5552 ? n : 5552;
        n -= chunk;
        for (size_t i = 0; i < chunk; i++) {
            a += p[i];
            b += a;
        }
        p += chunk;
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

#define MAXBITS 15

/* One decoding table: entry = symbol << 4 | code length; length 0 = no such code. */
struct table {
    unsigned bits; /* index width: the longest code length */
    uint16_t e[1u << MAXBITS];
};

struct inflate {
    const uint8_t *in;
    size_t len, pos;
    uint64_t bitbuf;
    unsigned bitcnt;
    bool bad; /* read past the end of the input */
    uint8_t *out;
    size_t n, cap, want;
    struct table lit, dist;
};

static void refill(struct inflate *s)
{
    while (s->bitcnt <= 56 && s->pos < s->len) {
        s->bitbuf |= (uint64_t)s->in[s->pos++] << s->bitcnt;
        s->bitcnt += 8;
    }
}

static unsigned getbits(struct inflate *s, unsigned n)
{
    if (n == 0)
        return 0;
    if (s->bitcnt < n)
        refill(s);
    if (s->bitcnt < n) {
        s->bad = true;
        return 0;
    }
    unsigned v = (unsigned)(s->bitbuf & ((1u << n) - 1));
    s->bitbuf >>= n;
    s->bitcnt -= n;
    return v;
}

/* Returns the symbol, or -1 (bad code or end of input). */
static int decode(struct inflate *s, const struct table *t)
{
    if (s->bitcnt < t->bits)
        refill(s);
    unsigned idx = (unsigned)(s->bitbuf & ((1u << t->bits) - 1));
    unsigned ent = t->e[idx], l = ent & 15;
    if (l == 0 || l > s->bitcnt) {
        s->bad = s->bad || l > s->bitcnt;
        return -1;
    }
    s->bitbuf >>= l;
    s->bitcnt -= l;
    return (int)(ent >> 4);
}

/* Builds the table for n code lengths; returns -1 if the code is over-subscribed or empty. */
static int table_build(struct table *t, const uint8_t *lens, unsigned n)
{
    unsigned count[MAXBITS + 1] = {0}, next[MAXBITS + 1];
    unsigned maxlen = 0;
    for (unsigned i = 0; i < n; i++) {
        count[lens[i]]++;
        if (lens[i] > maxlen)
            maxlen = lens[i];
    }
    if (maxlen == 0)
        return -1;
    count[0] = 0;
    int left = 1;
    unsigned code = 0;
    for (unsigned l = 1; l <= MAXBITS; l++) {
        left = left * 2 - (int)count[l];
        if (left < 0)
            return -1;
        code = (code + count[l - 1]) << 1;
        next[l] = code;
    }
    t->bits = maxlen;
    size_t size = (size_t)1 << maxlen;
    memset(t->e, 0, size * sizeof t->e[0]);
    for (unsigned sym = 0; sym < n; sym++) {
        unsigned l = lens[sym];
        if (l == 0)
            continue;
        unsigned c = next[l]++, rev = 0;
        for (unsigned k = 0; k < l; k++)
            rev |= ((c >> k) & 1u) << (l - 1 - k);
        for (size_t j = rev; j < size; j += (size_t)1 << l)
            t->e[j] = (uint16_t)(sym << 4 | l);
    }
    return 0;
}

/* Makes room for `more` output bytes; -1 if that exceeds `want` or memory. */
static int reserve(struct inflate *s, size_t more)
{
    if (more > s->want - s->n)
        return -1;
    if (s->n + more <= s->cap)
        return 0;
    /* Start near a typical ratio so that a large picture is not copied many times. */
    size_t cap = s->cap ? s->cap : s->len < SIZE_MAX / 8 ? s->len * 4 + 65536 : SIZE_MAX;
    while (cap < s->n + more)
        cap = cap > s->want / 2 ? s->want : cap * 2;
    if (cap > s->want)
        cap = s->want;
    uint8_t *p = realloc(s->out, cap);
    if (!p)
        return -2;
    s->out = p;
    s->cap = cap;
    return 0;
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

/* Decodes the Huffman-coded data of one block with the tables in s. */
static int codes(struct inflate *s, const char *name, struct err *e)
{
    int rc;
    for (;;) {
        int sym = decode(s, &s->lit);
        if (sym < 0)
            goto bad_code;
        if (sym < 256) {
            rc = reserve(s, 1);
            if (rc)
                goto too_long;
            s->out[s->n++] = (uint8_t)sym;
            continue;
        }
        if (sym == 256)
            return 0;
        sym -= 257;
        if (sym >= 29)
            goto bad_code;
        size_t length = len_base[sym] + getbits(s, len_extra[sym]);
        int ds = decode(s, &s->dist);
        if (ds < 0 || ds >= 30)
            goto bad_code;
        size_t d = dist_base[ds] + getbits(s, dist_extra[ds]);
        if (s->bad)
            goto bad_code;
        if (d > s->n)
            return err_set(e, ERR_FORMAT,
                           "%s: the compressed image data refers before its own start; the "
                           "file is damaged: export the picture again",
                           name);
        rc = reserve(s, length);
        if (rc)
            goto too_long;
        uint8_t *o = s->out + s->n;
        const uint8_t *from = o - d;
        for (size_t i = 0; i < length; i++)
            o[i] = from[i];
        s->n += length;
    }
bad_code:
    if (s->bad)
        return err_set(e, ERR_FORMAT,
                       "%s: the compressed image data ends too soon (truncated file?); copy "
                       "or export the picture again",
                       name);
    return err_set(e, ERR_FORMAT,
                   "%s: the compressed image data holds an invalid code; the file is damaged: "
                   "export the picture again",
                   name);
too_long:
    if (rc == -1)
        return err_set(e, ERR_FORMAT,
                       "%s: the compressed image data is longer than the picture size in its "
                       "header; the file is damaged: export the picture again",
                       name);
    return err_set(e, ERR_NOMEM, "%s: out of memory while decompressing", name);
}

static int dynamic_tables(struct inflate *s, const char *name, struct err *e)
{
    static const uint8_t order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                      11, 4,  12, 3, 13, 2, 14, 1, 15};
    uint8_t lens[320];
    unsigned nlen = getbits(s, 5) + 257, ndist = getbits(s, 5) + 1, ncode = getbits(s, 4) + 4;
    if (s->bad)
        goto truncated;
    if (nlen > 286 || ndist > 30)
        goto bad;
    memset(lens, 0, sizeof lens);
    for (unsigned i = 0; i < ncode; i++)
        lens[order[i]] = (uint8_t)getbits(s, 3);
    if (s->bad)
        goto truncated;
    if (table_build(&s->lit, lens, 19) != 0)
        goto bad;
    unsigned i = 0;
    while (i < nlen + ndist) {
        int sym = decode(s, &s->lit);
        if (sym < 0)
            goto bad_or_truncated;
        if (sym < 16) {
            lens[i++] = (uint8_t)sym;
            continue;
        }
        uint8_t val = 0;
        unsigned rep;
        if (sym == 16) {
            if (i == 0)
                goto bad;
            val = lens[i - 1];
            rep = 3 + getbits(s, 2);
        } else if (sym == 17) {
            rep = 3 + getbits(s, 3);
        } else {
            rep = 11 + getbits(s, 7);
        }
        if (s->bad)
            goto truncated;
        if (i + rep > nlen + ndist)
            goto bad;
        while (rep--)
            lens[i++] = val;
    }
    if (lens[256] == 0)
        goto bad;
    if (table_build(&s->lit, lens, nlen) != 0)
        goto bad;
    /* A block of literals only may have no distance code at all. */
    bool anydist = false;
    for (unsigned k = 0; k < ndist; k++)
        anydist = anydist || lens[nlen + k] != 0;
    if (!anydist) {
        s->dist.bits = 1;
        s->dist.e[0] = s->dist.e[1] = 0;
    } else if (table_build(&s->dist, lens + nlen, ndist) != 0) {
        goto bad;
    }
    return 0;
bad_or_truncated:
    if (s->bad)
        goto truncated;
bad:
    return err_set(e, ERR_FORMAT,
                   "%s: the compressed image data has an invalid Huffman table; the file is "
                   "damaged: export the picture again",
                   name);
truncated:
    return err_set(e, ERR_FORMAT,
                   "%s: the compressed image data ends too soon (truncated file?); copy or "
                   "export the picture again",
                   name);
}

static void fixed_tables(struct inflate *s)
{
    uint8_t lens[288];
    unsigned i = 0;
    for (; i < 144; i++)
        lens[i] = 8;
    for (; i < 256; i++)
        lens[i] = 9;
    for (; i < 280; i++)
        lens[i] = 7;
    for (; i < 288; i++)
        lens[i] = 8;
    table_build(&s->lit, lens, 288);
    for (i = 0; i < 30; i++)
        lens[i] = 5;
    table_build(&s->dist, lens, 30);
}

static int stored(struct inflate *s, const char *name, struct err *e)
{
    /* Go back to whole bytes: drop the partial byte, return unread bytes to the input. */
    getbits(s, s->bitcnt & 7);
    s->pos -= s->bitcnt / 8;
    s->bitbuf = 0;
    s->bitcnt = 0;
    if (s->len - s->pos < 4)
        goto truncated;
    unsigned n = s->in[s->pos] | (unsigned)s->in[s->pos + 1] << 8;
    unsigned nn = s->in[s->pos + 2] | (unsigned)s->in[s->pos + 3] << 8;
    s->pos += 4;
    if ((n ^ 0xffffu) != nn)
        return err_set(e, ERR_FORMAT,
                       "%s: a stored block of the compressed image data has a bad length; the "
                       "file is damaged: export the picture again",
                       name);
    if (s->len - s->pos < n)
        goto truncated;
    int rc = reserve(s, n);
    if (rc == -1)
        return err_set(e, ERR_FORMAT,
                       "%s: the compressed image data is longer than the picture size in its "
                       "header; the file is damaged: export the picture again",
                       name);
    if (rc)
        return err_set(e, ERR_NOMEM, "%s: out of memory while decompressing", name);
    if (n)
        memcpy(s->out + s->n, s->in + s->pos, n);
    s->n += n;
    s->pos += n;
    return 0;
truncated:
    return err_set(e, ERR_FORMAT,
                   "%s: the compressed image data ends too soon (truncated file?); copy or "
                   "export the picture again",
                   name);
}

int image_inflate_zlib(const uint8_t *in, size_t len, size_t want, uint8_t **out, const char *name,
                       struct err *e)
{
    int rc = 0;
    *out = NULL;
    struct inflate *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(e, ERR_NOMEM, "%s: out of memory", name);
    s->in = in;
    s->len = len;
    s->want = want;
    if (len < 2) {
        rc = err_set(e, ERR_FORMAT, "%s: the compressed image data is missing or truncated", name);
        goto done;
    }
    unsigned cmf = in[0], flg = in[1];
    if ((cmf & 15) != 8 || (cmf >> 4) > 7 || (cmf * 256 + flg) % 31 != 0 || (flg & 0x20)) {
        rc = err_set(e, ERR_FORMAT,
                     "%s: the image data is not a valid zlib stream; the file is damaged: "
                     "export the picture again",
                     name);
        goto done;
    }
    s->pos = 2;
    unsigned last;
    do {
        last = getbits(s, 1);
        unsigned type = getbits(s, 2);
        if (s->bad) {
            rc = err_set(e, ERR_FORMAT,
                         "%s: the compressed image data ends too soon (truncated file?); copy "
                         "or export the picture again",
                         name);
            goto done;
        }
        if (type == 0) {
            rc = stored(s, name, e);
        } else if (type == 1) {
            fixed_tables(s);
            rc = codes(s, name, e);
        } else if (type == 2) {
            rc = dynamic_tables(s, name, e);
            if (rc == 0)
                rc = codes(s, name, e);
        } else {
            rc = err_set(e, ERR_FORMAT,
                         "%s: the compressed image data uses a reserved block type; the file "
                         "is damaged: export the picture again",
                         name);
        }
        if (rc)
            goto done;
    } while (!last);
    /* The Adler-32 follows on the next byte boundary. */
    getbits(s, s->bitcnt & 7);
    uint32_t sum = 0;
    for (int i = 0; i < 4; i++)
        sum = sum << 8 | getbits(s, 8);
    if (s->bad) {
        rc = err_set(e, ERR_FORMAT,
                     "%s: the compressed image data ends before its checksum (truncated "
                     "file?); copy or export the picture again",
                     name);
        goto done;
    }
    if (s->n != want) {
        rc = err_set(e, ERR_FORMAT,
                     "%s: the image data holds %zu bytes where the header announces %zu; the "
                     "file is damaged: export the picture again",
                     name, s->n, want);
        goto done;
    }
    if (sum != image_adler32(1, s->out, s->n)) {
        rc = err_set(e, ERR_FORMAT,
                     "%s: the image data fails its Adler-32 check; the file is damaged: copy "
                     "or export the picture again",
                     name);
        goto done;
    }
    *out = s->out;
    s->out = NULL;
done:
    free(s->out);
    free(s);
    return rc;
}
