/*
 * shares — the tally key split among trustees (k of n), and joined again only in memory.
 *
 * A split cuts the 32-byte X25519 tally secret key into n shares with Shamir secret sharing
 * over GF(2^8) (libgfshare: byte by byte, field polynomial x^8+x^4+x^3+x^2+1): any k shares
 * give the key back, k - 1 shares say nothing about it. Each share goes into its own share
 * file, sealed with its trustee's passphrase exactly as a secret key file is (Argon2id +
 * XSalsa20-Poly1305). Every file of a split carries the key's public half, its share number,
 * k and n, a commitment (BLAKE2b) to every share of the split and the split id that those
 * commitments define, so that a joiner can name any file that is damaged, altered, from
 * another key or another split, given twice, or opened with the wrong passphrase, and can
 * name a share whose value is not the one committed at the split. The format is in
 * docs/keys.md ("Trustees").
 *
 * Invariants: share values and the joined key are only ever in sodium_malloc'd (locked,
 * guarded, wiped on free) memory of ours. libgfshare keeps its own copies (the coefficients
 * when splitting, the given shares when joining) in ordinary heap memory for the duration of
 * one call; its gfshare_ctx_free (2.0.0, checked at configure time) overwrites them with
 * random bytes from the generator we install (libsodium's) before freeing them. The joined
 * key is never written anywhere.
 */
#ifndef ISOLOIR_SHARES_H
#define ISOLOIR_SHARES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "key.h"

#define SHARES_MAX        255 /* share numbers are 1..255 (the non-zero elements of GF(2^8)) */
#define SHARE_SET_LEN     16  /* the split id */
#define SHARE_TRUSTEE_MAX 64  /* bytes of a trustee's name, with its NUL */

/* One share file: the public part (read without a passphrase) and, once opened, the value. */
struct share {
    char path[512]; /* the file it came from, for messages */
    enum key_kind kind;
    bool demo;
    uint8_t pk[32];             /* the public key of the split key */
    uint8_t x, k, n;            /* share number (1..n), threshold, number of shares */
    uint8_t set[SHARE_SET_LEN]; /* split id: a hash of the key, k, n and every commitment */
    uint8_t (*commit)[32];      /* malloc'd: the n commitments, commit[i] for share i + 1 */
    char trustee[SHARE_TRUSTEE_MAX];
    unsigned long long ops;
    size_t mem;
    uint8_t salt[16], nonce[24], passcheck[16];
    uint8_t sealed[128];
    size_t sealed_len;
    uint8_t *value; /* sodium_malloc'd 32 bytes once share_open succeeded, else NULL */
};

/* Splits `key` (a tally key) into n shares, any k of which give it back (2 <= k <= n <= 255),
 * and writes share i (1..n) to paths[i-1], sealed with passphrases[i-1] at `cost`, with the
 * trustee's name trustees[i-1] (NULL or "" for none), mode 0600. Refuses if any of the files
 * exists, before writing any; if a write fails, the files already written are removed. On
 * success, the split id is in set_out (if not NULL). */
int shares_split(const struct secret_key *key, unsigned k, unsigned n, const char *const *paths,
                 const char *const *passphrases, const char *const *trustees, enum key_cost cost,
                 uint8_t set_out[SHARE_SET_LEN], struct err *e);

/* Reads the public part of a share file and checks it is whole (its checksum, the split id
 * its commitments define). Refuses a file readable by group or others. ERR_FORMAT for a file
 * that is not a share file, ERR_TAMPER for a damaged or edited one, ERR_VERSION for a newer
 * format. On success free with share_free. */
int share_read(const char *path, struct share *s, struct err *e);
/* Parses share-file text (no file access, no permission check; the fuzz target's entry). */
int share_parse(const char *name, const char *text, size_t len, struct share *s, struct err *e);

/* Opens the sealed value with the trustee's passphrase: ERR_CRYPTO if the passphrase is
 * wrong, ERR_TAMPER if the file was altered or the value is not the one committed at the
 * split. The message names the file and the share. */
int share_open(struct share *s, const char *passphrase, struct err *e);

/* Checks that shares s[0..count) can be joined, before any passphrase is asked: every one of
 * the same kind and key (and, if expect_pk is not NULL, of that key), of the same split, no
 * share number twice, and at least k of them. The message names the files at fault. */
int shares_check(const struct share *s, size_t count, const uint8_t *expect_pk, struct err *e);

/* Joins opened shares s[0..count) (shares_check passed, every one opened) into a new secret
 * key in sodium_malloc'd memory; checks its public key is the split's (and expect_pk, if not
 * NULL). Free the key with key_free. */
int shares_join(const struct share *s, size_t count, const uint8_t *expect_pk,
                struct secret_key **out, struct err *e);

/* Asks for the passphrase of share s (index i of the given ones); returns it in a buffer the
 * caller of shares_load frees with `release`. `retry` is the number of wrong tries so far. */
struct share_asker {
    int (*ask)(void *ctx, const struct share *s, size_t i, unsigned retry, char **pass,
               struct err *e);
    void (*release)(char *pass);
    void *ctx;
    unsigned tries; /* wrong passphrases accepted per share before giving up (at least 1) */
};

/* The whole way from share files to the key: share_read each path, shares_check, open each
 * with the passphrase the asker gives, shares_join. */
int shares_load(const char *const *paths, size_t count, const uint8_t *expect_pk,
                const struct share_asker *asker, struct secret_key **out, struct err *e);

/* One line naming a share for people: "share 2 of 5 (Alice, alice.share)". */
void share_describe(const struct share *s, char *out, size_t size);

void share_free(struct share *s);

#endif
