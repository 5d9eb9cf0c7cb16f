/*
 * vote — a voter's whole vote (struct vote in ballot.h: one ballot per definition) and its
 * canonical encoding, padded to one length per election so that sealed votes all have the
 * same size (docs/journal.md, "The vote encoding"). ballot.h includes this header.
 */
#ifndef ISOLOIR_VOTE_H
#define ISOLOIR_VOTE_H

#include "ballot.h"

void vote_init(struct vote *v);
/* Wipes a vote (sodium_memzero): call on cast, cancel and timeout. */
void vote_wipe(struct vote *v);

/* The fixed length of every encoded vote of this election (docs/journal.md). */
size_t vote_padded_len(const struct election *el);
/* Canonical padded encoding. Refuses an invalid vote (ERR_INVALID). */
int vote_encode(const struct election *el, const struct vote *v, struct buf *out, struct err *e);
/* Strict decoding and validation against the election (padding must be zeros). */
int vote_decode(const struct election *el, const uint8_t *p, size_t n, struct vote *out,
                struct err *e);

#endif
