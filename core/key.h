/*
 * key — key generation and key files for the key ceremony and the kiosk.
 *
 * Kinds: the authority signs packages (Ed25519); the tally key receives sealed ballots
 * (X25519); each kiosk signs its journal (Ed25519). Secret keys live only in sodium_malloc'd
 * memory (guarded pages, wiped on free) and are written to disk only encrypted with a
 * passphrase (Argon2id crypto_pwhash + XSalsa20-Poly1305 secretbox), in files of mode 0600.
 * Reading a secret key file that others can read is refused. The kiosk key uses the same file
 * format; on the appliance its passphrase comes from the kiosk's provisioning (docs/keys.md).
 *
 * File formats (text, one "name: value" per line) are specified in docs/keys.md.
 */
#ifndef ISOLOIR_KEY_H
#define ISOLOIR_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "err.h"

enum key_kind {
    KEY_AUTHORITY = 1, /* Ed25519: signs election packages and kiosk authorisations */
    KEY_TALLY = 2,     /* X25519: opens sealed ballots */
    KEY_KIOSK = 3,     /* Ed25519: signs one kiosk's journal and exports */
};

const char *key_kind_name(enum key_kind k); /* "authority", "tally", "kiosk" */

struct secret_key {
    enum key_kind kind;
    bool demo;      /* made for demonstrations; refused outside demo mode */
    uint8_t pk[32]; /* Ed25519 or X25519 public key */
    uint8_t *sk;    /* sodium_malloc'd: 64 bytes (Ed25519) or 32 bytes (X25519) */
    size_t sk_len;
};

struct public_key {
    enum key_kind kind;
    bool demo;
    uint8_t pk[32];
};

/* Argon2id cost for key files: interactive limits keep tests fast; SENSITIVE for real keys. */
enum key_cost { KEY_COST_INTERACTIVE = 0, KEY_COST_MODERATE = 1, KEY_COST_SENSITIVE = 2 };

/* Generates a key pair. The caller frees it with key_free. */
int key_generate(enum key_kind kind, bool demo, struct secret_key **out, struct err *e);
/* Derives the key deterministically from a 32-byte seed (test vectors only). */
int key_from_seed(enum key_kind kind, bool demo, const uint8_t seed[32], struct secret_key **out,
                  struct err *e);
void key_free(struct secret_key *k);

/* Writes the secret key encrypted with `passphrase` (durably, mode 0600). Refuses to replace
 * an existing file. */
int key_save_secret(const char *path, const struct secret_key *k, const char *passphrase,
                    enum key_cost cost, struct err *e);
/* Reads and decrypts a secret key file. Refuses a file readable by group or others, a wrong
 * passphrase (ERR_CRYPTO, "the passphrase is wrong"), or a kind other than `kind`. */
int key_load_secret(const char *path, enum key_kind kind, const char *passphrase,
                    struct secret_key **out, struct err *e);

/* Public key file: kind, demo flag, key in hex, fingerprint. */
int key_save_public(const char *path, const struct public_key *pk, struct err *e);
int key_load_public(const char *path, enum key_kind kind, struct public_key *out, struct err *e);
/* The public half of a secret key. */
void key_public(const struct secret_key *k, struct public_key *out);

/* For modules that rebuild a secret key in memory (core/shares.c joins trustee shares):
 * key_alloc_secret gives an empty key of `kind` whose sk buffer (k->sk_len bytes) is
 * sodium_malloc'd, to be filled by the caller; key_derive_public computes the public key that
 * belongs to k->sk (it does not change k). Free with key_free. */
int key_alloc_secret(enum key_kind kind, bool demo, struct secret_key **out, struct err *e);
void key_derive_public(const struct secret_key *k, uint8_t pk[32]);

/* The passphrase protection every secret file shares (key files, trustee share files):
 * key_cost_limits gives the Argon2id limits of a cost; key_cost_acceptable says whether limits
 * read from a file are within what readers accept (opslimit <= 16, memlimit 8 KiB..2 GiB);
 * key_passphrase_derive writes the 32-byte file key crypto_pwhash(passphrase, salt, ops, mem,
 * Argon2id13) into `key` (give sodium_malloc'd memory). ERR_NOMEM if Argon2id cannot get its
 * memory. */
void key_cost_limits(enum key_cost cost, unsigned long long *ops, size_t *mem);
bool key_cost_acceptable(int64_t ops, int64_t mem);
int key_passphrase_derive(uint8_t key[32], const char *passphrase, const uint8_t salt[16],
                          unsigned long long ops, size_t mem, struct err *e);

#endif
