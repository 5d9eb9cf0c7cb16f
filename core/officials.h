/*
 * officials — who may open a kiosk's officials' menu, sealed so that only that kiosk can check a
 * PIN (docs/package.md, "Officials"; docs/threat-model.md).
 *
 * The authority lists its officials (name, role, PIN of 6 to 16 digits) in election.conf. For
 * each authorised kiosk the package builder writes one sealed entry: the list below, with an
 * Argon2id verifier of each PIN, encoded and zero-padded to OFFICIALS_PLAIN_LEN bytes (so an
 * entry does not tell how many officials there are), then sealed to the X25519 form of the
 * kiosk's Ed25519 public key (an ephemeral X25519 key agreement and XChaCha20-Poly1305; not
 * crypto_box_seal, whose opener the kiosk binary must not link). Whoever holds the package alone
 * sees only ciphertext: no PIN can be tested offline without a kiosk's secret key. The kiosk opens
 * its own entry with its secret key (converted in sodium_malloc memory) and keeps the list in
 * sodium_malloc memory.
 *
 * All verifiers of an entry share one salt and one cost, so a PIN attempt costs one Argon2id
 * whatever the number of officials; the builder therefore refuses two officials with the same
 * PIN (the PIN names the official). Roles: an official opens the menu; a supervisor opens it
 * too and is the only one whose PIN lifts a PIN lockout (kiosk/official.h).
 *
 * Never stores, logs or copies a PIN; verifiers are wiped when freed.
 */
#ifndef ISOLOIR_OFFICIALS_H
#define ISOLOIR_OFFICIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "election.h"
#include "err.h"
#include "key.h"

#define OFFICIALS_MAX          32 /* per kiosk entry */
#define OFFICIAL_NAME_MAX      48 /* bytes of UTF-8 */
#define OFFICIAL_PIN_MIN       6  /* digits */
#define OFFICIAL_PIN_MAX       16
#define OFFICIALS_SALT_LEN     16 /* crypto_pwhash_SALTBYTES */
#define OFFICIALS_VERIFIER_LEN 32
#define OFFICIALS_PLAIN_LEN    3072 /* OFFICIALS_SEALED_LEN (election.h) minus the seal's 48 */

enum official_role { OFFICIAL_ROLE_OFFICIAL = 1, OFFICIAL_ROLE_SUPERVISOR = 2 };

struct official_entry {
    char name[OFFICIAL_NAME_MAX + 1]; /* as the reports print it, e.g. "Anne Martin" */
    enum official_role role;
    uint8_t verifier[OFFICIALS_VERIFIER_LEN]; /* Argon2id(PIN, salt, opslimit, memlimit) */
};

/* One kiosk's list. Opened by a kiosk, it lives in sodium_malloc memory (officials_open). */
struct officials {
    uint8_t kiosk_pk[SIGN_PK_LEN]; /* the kiosk the entry is for */
    uint8_t salt[OFFICIALS_SALT_LEN];
    uint32_t opslimit;     /* Argon2id passes, 1..16 */
    uint32_t memlimit_kib; /* Argon2id memory in KiB, 8..1048576 */
    size_t n;              /* 1..OFFICIALS_MAX */
    struct official_entry list[OFFICIALS_MAX];
};

/* A PIN is 6 to 16 ASCII digits. */
bool officials_pin_ok(const char *pin);

/* The verifier of a PIN under a list's salt and cost. 0, or ERR_NOMEM (Argon2id could not get
 * its memory) or ERR_INVALID (a cost out of range). */
int officials_derive(uint8_t verifier[OFFICIALS_VERIFIER_LEN], const char *pin,
                     const struct officials *o, struct err *e);

/* Seals `o` (o->kiosk_pk must be the kiosk's Ed25519 key) into out. eph_seed NULL: a random
 * ephemeral key; else the ephemeral X25519 key pair derived from the 32-byte seed
 * (crypto_box_seed_keypair), so that test vectors are reproducible: never for a real package.
 * Errors: ERR_INVALID (an empty or oversized list, a name that is empty, too long or not UTF-8, an
 * unknown role, a cost out of range, a key that has no X25519 form), ERR_CRYPTO. */
int officials_seal(uint8_t out[OFFICIALS_SEALED_LEN], const struct officials *o,
                   const uint8_t *eph_seed, struct err *e);

/* Opens a kiosk's sealed entry with its secret key (KEY_KIOSK). *out is sodium_malloc'd (free
 * with officials_free). ERR_CRYPTO when the entry does not open with this key (another
 * kiosk's entry, or a package without officials), ERR_FORMAT when it opens but is malformed or
 * names another kiosk, ERR_NOMEM. */
int officials_open(const uint8_t sealed[OFFICIALS_SEALED_LEN], const struct secret_key *kiosk,
                   struct officials **out, struct err *e);

/* Decodes an opened plaintext (exactly what officials_seal encrypts) into o. 0, or ERR_FORMAT
 * when it is not exactly such a list: another label or version, costs out of range, a bad
 * name or role, two equal verifiers, padding that is not zero. Does not check o->kiosk_pk
 * (officials_open does). For the fuzzer; the kiosk calls officials_open. */
int officials_decode(const uint8_t plain[OFFICIALS_PLAIN_LEN], struct officials *o);

/* *who gets the index of the official whose PIN `pin` is, or -1 (also for a PIN that is not
 * 6 to 16 digits, which is not derived). One Argon2id derivation; the comparison runs over
 * every entry. 0, or ERR_NOMEM if the derivation could not run (*who is then -1). */
int officials_check(const struct officials *o, const char *pin, int *who, struct err *e);

/* Wipes and frees. NULL is allowed. */
void officials_free(struct officials *o);

#endif
