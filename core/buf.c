/* buf — see buf.h. */
#include "buf.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "util.h"

void buf_init(struct buf *b)
{
    memset(b, 0, sizeof *b);
}

void buf_free(struct buf *b)
{
    if (b->data) {
        sodium_memzero(b->data, b->cap);
        free(b->data);
    }
    buf_init(b);
}

int buf_ok(const struct buf *b)
{
    return b->oom ? ERR_NOMEM : 0;
}

uint8_t *buf_take(struct buf *b, size_t *len)
{
    uint8_t *d = b->data;
    *len = b->len;
    buf_init(b);
    return d;
}

static bool grow(struct buf *b, size_t n)
{
    if (b->oom)
        return false;
    if (n > SIZE_MAX - b->len) {
        b->oom = true;
        return false;
    }
    if (b->len + n <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n)
        cap = cap > SIZE_MAX / 2 ? b->len + n : cap * 2;
    /* Grow by copy so that no stale copy of sensitive bytes is left unwiped by realloc. */
    uint8_t *d = malloc(cap);
    if (!d) {
        b->oom = true;
        return false;
    }
    if (b->data) {
        memcpy(d, b->data, b->len);
        sodium_memzero(b->data, b->cap);
        free(b->data);
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void buf_raw(struct buf *b, const void *p, size_t n)
{
    if (n == 0 || !grow(b, n))
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void buf_u8(struct buf *b, uint8_t v)
{
    buf_raw(b, &v, 1);
}

void buf_u16(struct buf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    buf_raw(b, x, 2);
}

void buf_u32(struct buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    buf_raw(b, x, 4);
}

void buf_u64(struct buf *b, uint64_t v)
{
    buf_u32(b, (uint32_t)(v >> 32));
    buf_u32(b, (uint32_t)v);
}

void buf_i64(struct buf *b, int64_t v)
{
    buf_u64(b, (uint64_t)v);
}

void buf_blob(struct buf *b, const void *p, size_t n)
{
    if (n > UINT32_MAX) {
        b->oom = true;
        return;
    }
    buf_u32(b, (uint32_t)n);
    buf_raw(b, p, n);
}

void buf_str(struct buf *b, const char *s)
{
    buf_blob(b, s ? s : "", s ? strlen(s) : 0);
}

void rd_init(struct rd *r, const void *p, size_t len)
{
    r->p = p;
    r->len = len;
    r->off = 0;
    r->bad = false;
}

bool rd_ok(const struct rd *r)
{
    return !r->bad;
}

bool rd_done(const struct rd *r)
{
    return !r->bad && r->off == r->len;
}

size_t rd_left(const struct rd *r)
{
    return r->bad ? 0 : r->len - r->off;
}

const uint8_t *rd_raw(struct rd *r, size_t n)
{
    if (r->bad || n > r->len - r->off) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = r->p + r->off;
    r->off += n;
    return p;
}

uint8_t rd_u8(struct rd *r)
{
    const uint8_t *p = rd_raw(r, 1);
    return p ? p[0] : 0;
}

uint16_t rd_u16(struct rd *r)
{
    const uint8_t *p = rd_raw(r, 2);
    return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

uint32_t rd_u32(struct rd *r)
{
    const uint8_t *p = rd_raw(r, 4);
    return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

uint64_t rd_u64(struct rd *r)
{
    uint64_t hi = rd_u32(r);
    return hi << 32 | rd_u32(r);
}

int64_t rd_i64(struct rd *r)
{
    return (int64_t)rd_u64(r);
}

const uint8_t *rd_blob(struct rd *r, size_t max, size_t *n)
{
    uint32_t len = rd_u32(r);
    *n = 0;
    if (r->bad || len > max) {
        r->bad = true;
        return NULL;
    }
    const uint8_t *p = rd_raw(r, len);
    if (p)
        *n = len;
    return p;
}

char *rd_str(struct rd *r, size_t max)
{
    size_t n;
    const uint8_t *p = rd_blob(r, max, &n);
    if (!p)
        return NULL;
    if (!utf8_valid((const char *)p, n)) {
        r->bad = true;
        return NULL;
    }
    char *s = util_strndup((const char *)p, n);
    if (!s)
        r->bad = true;
    return s;
}

bool rd_label(struct rd *r, const char *expect)
{
    size_t n;
    const uint8_t *p = rd_blob(r, 256, &n);
    if (!p || n != strlen(expect) || memcmp(p, expect, n) != 0) {
        r->bad = true;
        return false;
    }
    return true;
}
