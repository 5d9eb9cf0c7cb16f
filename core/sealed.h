/*
 * sealed — a vote sealed to the election's tally key, both ways: the kiosk seals (sealed.c),
 * the tally opens (sealed_open.c). docs/journal.md, "Sealing", is the format: the padded vote
 * encoding (core/ballot.h) in a libsodium sealed box, so every ciphertext of an election has
 * the same length, sealed_size.
 *
 * The two directions are separate objects on purpose: the kiosk links only the sealing side
 * and holds no code that opens a ballot (a test checks its binary). Neither side keeps a
 * plaintext vote beyond the call: sealing wipes the encoding, opening decodes from
 * sodium_malloc'd memory it wipes.
 */
#ifndef ISOLOIR_SEALED_H
#define ISOLOIR_SEALED_H

#include <stddef.h>
#include <stdint.h>

#include "ballot.h"
#include "election.h"
#include "err.h"
#include "key.h"

/* Bytes of every sealed vote of this election: vote_padded_len + SEAL_OVERHEAD. */
size_t sealed_size(const struct election *el);

/* Encodes v padded (vote_encode) and seals it to el->tally_pk into ct (n must be
 * sealed_size(el)). ERR_INVALID etc. from the encoder for a vote the rules refuse,
 * ERR_CRYPTO if sealing fails, ERR_USAGE for a wrong n. The plaintext is wiped. */
int sealed_seal(const struct election *el, const struct vote *v, uint8_t *ct, size_t n,
                struct err *e);

/* Opens one sealed vote with the tally key and decodes it strictly (vote_decode). ERR_USAGE
 * without a tally key, ERR_FORMAT for another length, ERR_CRYPTO when it does not open. */
int sealed_open(const uint8_t *ct, size_t n, const struct secret_key *tally,
                const struct election *el, struct vote *out, struct err *e);

#endif
