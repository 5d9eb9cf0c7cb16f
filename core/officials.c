/* officials — see officials.h; the byte layout is in docs/package.md ("Officials").
 *
 * Plaintext of one kiosk's entry, OFFICIALS_PLAIN_LEN bytes:
 *   text "isoloir/officials", u16 1, raw[32] kiosk Ed25519 key, raw[16] salt, u32 opslimit,
 *   u32 memlimit in KiB, u8 n, then n times { text name, u8 role, raw[32] verifier },
 *   then zero bytes to the end.
 * The sealed entry, for the kiosk's X25519 key X (the Ed25519 key converted): a fresh ephemeral
 * X25519 key pair (e, E); k = BLAKE2b-256("isoloir/officials-seal" || X25519(e, X) || E || X);
 * then E (32) || XChaCha20-Poly1305-IETF(plain, key k, nonce 24 zero bytes, additional data
 * E || the kiosk's Ed25519 key) (3072 + 16). A key is used once (e is fresh), hence the fixed
 * nonce. Not crypto_box_seal: the kiosk binary must not link the ballot opener
 * (crypto_box_seal_open; tests/journal/no_decrypter.sh), and this needs none of it.
 *
 * The reader is strict: the label, the version, the kiosk key (it must be the kiosk's own), the
 * cost limits, every name (1..48 bytes of UTF-8), every role, distinct verifiers, and zero
 * padding; anything else is "malformed". */
#include "officials.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

#define LABEL      "isoloir/officials"
#define SEAL_LABEL "isoloir/officials-seal"
#define VERSION    1

_Static_assert(OFFICIALS_SEALED_LEN == crypto_scalarmult_BYTES + OFFICIALS_PLAIN_LEN +
                                           crypto_aead_xchacha20poly1305_ietf_ABYTES,
               "sealed entry size");
_Static_assert(OFFICIALS_SALT_LEN == crypto_pwhash_SALTBYTES, "salt size");
/* the longest list fits: header, then OFFICIALS_MAX entries of the longest name */
_Static_assert(4 + sizeof LABEL - 1 + 2 + 32 + 16 + 4 + 4 + 1 +
                       OFFICIALS_MAX * (4 + OFFICIAL_NAME_MAX + 1 + OFFICIALS_VERIFIER_LEN) <=
                   OFFICIALS_PLAIN_LEN,
               "padding size");

bool officials_pin_ok(const char *pin)
{
    size_t n = pin ? strlen(pin) : 0;
    if (n < OFFICIAL_PIN_MIN || n > OFFICIAL_PIN_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (pin[i] < '0' || pin[i] > '9')
            return false;
    return true;
}

static bool cost_ok(uint32_t ops, uint32_t mem_kib)
{
    return ops >= 1 && ops <= 16 && mem_kib >= 8 && mem_kib <= 1048576;
}

int officials_derive(uint8_t verifier[OFFICIALS_VERIFIER_LEN], const char *pin,
                     const struct officials *o, struct err *e)
{
    if (!cost_ok(o->opslimit, o->memlimit_kib))
        return err_set(e, ERR_INVALID, "the officials' PIN cost is out of range");
    if (crypto_pwhash(verifier, OFFICIALS_VERIFIER_LEN, pin, strlen(pin), o->salt, o->opslimit,
                      (size_t)o->memlimit_kib * 1024u, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return err_set(e, ERR_NOMEM,
                       "out of memory checking a PIN (Argon2id needs %u MiB); restart the kiosk",
                       o->memlimit_kib / 1024u);
    return 0;
}

/* The list's key from the X25519 shared secret, the ephemeral public key and the kiosk's X25519
 * key; -1 when the shared secret is degenerate (a low-order point). */
static int seal_key(uint8_t key[32], const uint8_t secret[32], const uint8_t point[32],
                    const uint8_t epk[32], const uint8_t xpk[32])
{
    uint8_t shared[crypto_scalarmult_BYTES];
    if (crypto_scalarmult(shared, secret, point) != 0)
        return -1;
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const uint8_t *)SEAL_LABEL, sizeof SEAL_LABEL - 1);
    crypto_generichash_update(&st, shared, sizeof shared);
    crypto_generichash_update(&st, epk, 32);
    crypto_generichash_update(&st, xpk, 32);
    crypto_generichash_final(&st, key, 32);
    sodium_memzero(shared, sizeof shared);
    sodium_memzero(&st, sizeof st);
    return 0;
}

/* A name the reports can print on one line: 1..48 bytes of UTF-8 without control characters. */
static bool entry_ok(const struct official_entry *en)
{
    size_t n = strnlen(en->name, sizeof en->name);
    if (n == 0 || n > OFFICIAL_NAME_MAX || !utf8_valid(en->name, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)en->name[i] < 0x20 || en->name[i] == 0x7f)
            return false;
    return en->role == OFFICIAL_ROLE_OFFICIAL || en->role == OFFICIAL_ROLE_SUPERVISOR;
}

int officials_seal(uint8_t out[OFFICIALS_SEALED_LEN], const struct officials *o,
                   const uint8_t *eph_seed, struct err *e)
{
    if (o->n == 0 || o->n > OFFICIALS_MAX)
        return err_set(e, ERR_INVALID, "a kiosk's list must hold 1 to %d officials, not %zu",
                       OFFICIALS_MAX, o->n);
    if (!cost_ok(o->opslimit, o->memlimit_kib))
        return err_set(e, ERR_INVALID, "the officials' PIN cost is out of range");
    for (size_t i = 0; i < o->n; i++)
        if (!entry_ok(&o->list[i]))
            return err_set(e, ERR_INVALID,
                           "official %zu: the name must be 1 to %d bytes of UTF-8 and the role "
                           "official or supervisor",
                           i + 1, OFFICIAL_NAME_MAX);
    uint8_t xpk[BOX_PK_LEN];
    if (crypto_sign_ed25519_pk_to_curve25519(xpk, o->kiosk_pk) != 0)
        return err_set(e, ERR_INVALID, "this kiosk key has no X25519 form: it is not a valid key");

    struct buf b;
    buf_init(&b);
    buf_str(&b, LABEL);
    buf_u16(&b, VERSION);
    buf_raw(&b, o->kiosk_pk, SIGN_PK_LEN);
    buf_raw(&b, o->salt, OFFICIALS_SALT_LEN);
    buf_u32(&b, o->opslimit);
    buf_u32(&b, o->memlimit_kib);
    buf_u8(&b, (uint8_t)o->n);
    for (size_t i = 0; i < o->n; i++) {
        buf_str(&b, o->list[i].name);
        buf_u8(&b, (uint8_t)o->list[i].role);
        buf_raw(&b, o->list[i].verifier, OFFICIALS_VERIFIER_LEN);
    }
    int rc = 0;
    uint8_t *plain = sodium_malloc(OFFICIALS_PLAIN_LEN);
    if (buf_ok(&b) || !plain) {
        rc = err_set(e, ERR_NOMEM, "out of memory sealing the officials' list");
        goto done;
    }
    memset(plain, 0, OFFICIALS_PLAIN_LEN);
    memcpy(plain, b.data, b.len); /* b.len <= OFFICIALS_PLAIN_LEN: the static assert above */
    uint8_t epk[32], esk[32], key[32], ad[64], nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    if (eph_seed)
        crypto_box_seed_keypair(epk, esk, eph_seed); /* test vectors only */
    else
        crypto_box_keypair(epk, esk);
    if (seal_key(key, esk, xpk, epk, xpk) != 0) {
        rc = err_set(e, ERR_INVALID, "this kiosk key has no usable X25519 form");
        goto wipe;
    }
    memcpy(ad, epk, 32);
    memcpy(ad + 32, o->kiosk_pk, 32);
    memset(nonce, 0, sizeof nonce); /* the key is used once */
    memcpy(out, epk, 32);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + 32, NULL, plain, OFFICIALS_PLAIN_LEN, ad,
                                               sizeof ad, NULL, nonce, key);
wipe:
    sodium_memzero(esk, sizeof esk);
    sodium_memzero(key, sizeof key);
done:
    if (b.data)
        sodium_memzero(b.data, b.len);
    buf_free(&b);
    sodium_free(plain);
    return rc;
}

static bool decode(const uint8_t *plain, struct officials *o);

int officials_decode(const uint8_t plain[OFFICIALS_PLAIN_LEN], struct officials *o)
{
    memset(o, 0, sizeof *o);
    return decode(plain, o) ? 0 : ERR_FORMAT;
}

/* Decodes an opened plaintext into o; false if it is not exactly what officials_seal writes. */
static bool decode(const uint8_t *plain, struct officials *o)
{
    struct rd r;
    rd_init(&r, plain, OFFICIALS_PLAIN_LEN);
    if (!rd_label(&r, LABEL) || rd_u16(&r) != VERSION)
        return false;
    const uint8_t *pk = rd_raw(&r, SIGN_PK_LEN), *salt = rd_raw(&r, OFFICIALS_SALT_LEN);
    if (!pk || !salt)
        return false;
    memcpy(o->kiosk_pk, pk, SIGN_PK_LEN);
    memcpy(o->salt, salt, OFFICIALS_SALT_LEN);
    o->opslimit = rd_u32(&r);
    o->memlimit_kib = rd_u32(&r);
    o->n = rd_u8(&r);
    if (!rd_ok(&r) || !cost_ok(o->opslimit, o->memlimit_kib) || o->n == 0 || o->n > OFFICIALS_MAX)
        return false;
    for (size_t i = 0; i < o->n; i++) {
        struct official_entry *en = &o->list[i];
        char *name = rd_str(&r, OFFICIAL_NAME_MAX);
        if (!name)
            return false;
        snprintf(en->name, sizeof en->name, "%s", name);
        free(name);
        en->role = (enum official_role)rd_u8(&r);
        const uint8_t *v = rd_raw(&r, OFFICIALS_VERIFIER_LEN);
        if (!v || !entry_ok(en))
            return false;
        memcpy(en->verifier, v, OFFICIALS_VERIFIER_LEN);
        for (size_t j = 0; j < i; j++)
            if (sodium_memcmp(o->list[j].verifier, v, OFFICIALS_VERIFIER_LEN) == 0)
                return false; /* two officials with one PIN: the PIN would not name one */
    }
    size_t left = rd_left(&r);
    const uint8_t *pad = rd_raw(&r, left);
    return left == 0 || (pad && sodium_is_zero(pad, left));
}

int officials_open(const uint8_t sealed[OFFICIALS_SEALED_LEN], const struct secret_key *kiosk,
                   struct officials **out, struct err *e)
{
    *out = NULL;
    if (!kiosk || kiosk->kind != KEY_KIOSK || kiosk->sk_len != SIGN_SK_LEN)
        return err_set(e, ERR_USAGE, "the officials' PINs open only with a kiosk key");
    uint8_t xpk[BOX_PK_LEN];
    uint8_t *xsk = sodium_malloc(32);
    uint8_t *plain = sodium_malloc(OFFICIALS_PLAIN_LEN);
    struct officials *o = sodium_malloc(sizeof *o);
    int rc = 0;
    if (!xsk || !plain || !o) {
        rc = err_set(e, ERR_NOMEM, "out of memory opening the officials' PINs");
        goto done;
    }
    memset(o, 0, sizeof *o);
    if (crypto_sign_ed25519_pk_to_curve25519(xpk, kiosk->pk) != 0 ||
        crypto_sign_ed25519_sk_to_curve25519(xsk, kiosk->sk) != 0) {
        rc = err_set(e, ERR_CRYPTO, "this kiosk key has no X25519 form: it is damaged");
        goto done;
    }
    uint8_t key[32], ad[64], nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = {0};
    memcpy(ad, sealed, 32);
    memcpy(ad + 32, kiosk->pk, 32);
    int bad = seal_key(key, xsk, sealed, sealed, xpk) != 0 ||
              crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, sealed + 32,
                                                         OFFICIALS_SEALED_LEN - 32, ad, sizeof ad,
                                                         nonce, key) != 0;
    sodium_memzero(key, sizeof key);
    if (bad) {
        rc = err_set(e, ERR_CRYPTO,
                     "the package's list of officials for this kiosk does not open with this "
                     "kiosk's key: the package was not built for this kiosk key; ask the "
                     "election authority for a package that lists it");
        goto done;
    }
    if (!decode(plain, o) || sodium_memcmp(o->kiosk_pk, kiosk->pk, SIGN_PK_LEN) != 0) {
        rc = err_set(e, ERR_FORMAT,
                     "the package's list of officials for this kiosk is malformed; rebuild the "
                     "package with isoloir-package");
        goto done;
    }
    *out = o;
    o = NULL;
done:
    sodium_free(xsk);
    sodium_free(plain);
    officials_free(o);
    return rc;
}

int officials_check(const struct officials *o, const char *pin, int *who, struct err *e)
{
    *who = -1;
    if (!o || !officials_pin_ok(pin))
        return 0;
    uint8_t v[OFFICIALS_VERIFIER_LEN];
    int rc = officials_derive(v, pin, o, e);
    if (rc)
        return rc;
    int found = -1;
    for (size_t i = 0; i < o->n; i++) /* no early exit: the time does not tell which one */
        if (sodium_memcmp(o->list[i].verifier, v, sizeof v) == 0)
            found = (int)i;
    sodium_memzero(v, sizeof v);
    *who = found;
    return 0;
}

void officials_free(struct officials *o)
{
    if (o)
        sodium_free(o); /* sodium_free wipes the memory */
}
