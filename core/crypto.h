/*
 * crypto — the few cryptographic operations isoloir uses, named for what they mean here.
 *
 * Hash: BLAKE2b-256 (crypto_generichash, 32 bytes). Signatures: Ed25519 (crypto_sign).
 * Encryption to the tally: X25519 sealed boxes (crypto_box_seal). Fingerprints: the first
 * 100 bits of BLAKE2b-256("isoloir/fingerprint" label || key) in Crockford base32, in five
 * groups of four characters ("K7QF-3M2A-9C41-X2NB-5RTE"), short enough to read aloud.
 */
#ifndef ISOLOIR_CRYPTO_H
#define ISOLOIR_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define HASH_LEN      32
#define SIGN_PK_LEN   32
#define SIGN_SK_LEN   64
#define SIG_LEN       64
#define BOX_PK_LEN    32
#define BOX_SK_LEN    32
#define SEAL_OVERHEAD 48
#define FPR_TEXT_LEN  24 /* 20 characters + 4 dashes */

/* Initialises libsodium once; call from main() before anything else. */
int crypto_setup(struct err *e);

void hash32(uint8_t out[HASH_LEN], const void *p, size_t n);

/* Fingerprint text of a public key or hash; out holds FPR_TEXT_LEN + 1. */
void fingerprint(char out[FPR_TEXT_LEN + 1], const uint8_t *key, size_t n);

/* Ed25519 detached signature / verification. verify returns 0 or ERR_CRYPTO. */
void sign_detached(uint8_t sig[SIG_LEN], const void *msg, size_t n, const uint8_t sk[SIGN_SK_LEN]);
int sign_verify(const uint8_t sig[SIG_LEN], const void *msg, size_t n,
                const uint8_t pk[SIGN_PK_LEN]) __attribute__((warn_unused_result));

#endif
