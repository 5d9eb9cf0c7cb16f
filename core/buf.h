/*
 * buf — canonical byte encoding, the one way isoloir turns a value into bytes that are hashed
 * or signed (see docs/encoding.md).
 *
 * Rules: integers are unsigned big-endian of fixed width (u8, u16, u32, u64; i64 is two's
 * complement in 8 bytes); a byte string is a u32 length followed by the bytes; a text is a byte
 * string holding UTF-8 without NUL; an absent text is the empty string. Every signed object
 * starts with a text label naming it (domain separation) and a u16 format version.
 *
 * Writing never fails halfway: on out-of-memory the buffer remembers it (`oom`) and every later
 * write is ignored, so a function can write all fields and check `buf_ok` once. Reading never
 * reads past the end: a short or malformed input sets `bad`, later reads return zeros, and the
 * caller checks `rd_ok`/`rd_done` once.
 */
#ifndef ISOLOIR_BUF_H
#define ISOLOIR_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
    uint8_t *data;
    size_t len, cap;
    bool oom;
};

void buf_init(struct buf *b);
/* Wipes and frees the contents; the buffer can be reused after buf_init. */
void buf_free(struct buf *b);
/* 0, or ERR_NOMEM if any write failed. */
int buf_ok(const struct buf *b);
/* Hands the bytes over to the caller (who frees them); the buffer is left empty. */
uint8_t *buf_take(struct buf *b, size_t *len);

void buf_raw(struct buf *b, const void *p, size_t n); /* bytes, no length prefix */
void buf_u8(struct buf *b, uint8_t v);
void buf_u16(struct buf *b, uint16_t v);
void buf_u32(struct buf *b, uint32_t v);
void buf_u64(struct buf *b, uint64_t v);
void buf_i64(struct buf *b, int64_t v);
void buf_blob(struct buf *b, const void *p, size_t n); /* u32 length + bytes */
void buf_str(struct buf *b, const char *s);            /* NULL is written as "" */

struct rd {
    const uint8_t *p;
    size_t len, off;
    bool bad;
};

void rd_init(struct rd *r, const void *p, size_t len);
bool rd_ok(const struct rd *r);
/* true if nothing went wrong and every byte was consumed. */
bool rd_done(const struct rd *r);
size_t rd_left(const struct rd *r);

const uint8_t *rd_raw(struct rd *r, size_t n); /* NULL (and bad) if fewer than n bytes left */
uint8_t rd_u8(struct rd *r);
uint16_t rd_u16(struct rd *r);
uint32_t rd_u32(struct rd *r);
uint64_t rd_u64(struct rd *r);
int64_t rd_i64(struct rd *r);
/* A length-prefixed byte string of at most max bytes; points into the input. */
const uint8_t *rd_blob(struct rd *r, size_t max, size_t *n);
/* A length-prefixed UTF-8 text of at most max bytes, copied into a malloc'd NUL-terminated
 * string; invalid UTF-8 or an embedded NUL sets bad. Returns NULL when bad. */
char *rd_str(struct rd *r, size_t max);
/* Like rd_str but checks the text equals `expect` (labels); returns false and sets bad if not. */
bool rd_label(struct rd *r, const char *expect);

#endif
