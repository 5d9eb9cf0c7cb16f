/*
 * key — key generation and key files; see key.h and docs/keys.md.
 *
 * Invariant: a secret key is never in ordinary heap memory. It is generated or decrypted
 * straight into sodium_malloc'd memory and wiped by key_free. The plaintext sealed in a key
 * file binds the kind and the demo flag, so editing the file's header lines cannot turn a
 * demo key into a real one or a tally key into a signing key.
 */
#include "key.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "util.h"

#define SECRET_HEADER "isoloir-secret-key 1"
#define PUBLIC_HEADER "isoloir-public-key 1"
#define KEY_FILE_MAX  4096
#define MAX_OPSLIMIT  16
#define MAX_MEMLIMIT  (2048ull * 1024 * 1024)

const char *key_kind_name(enum key_kind k)
{
    switch (k) {
    case KEY_AUTHORITY:
        return "authority";
    case KEY_TALLY:
        return "tally";
    case KEY_KIOSK:
        return "kiosk";
    }
    return "unknown";
}

static int kind_from_name(const char *s)
{
    for (int k = KEY_AUTHORITY; k <= KEY_KIOSK; k++)
        if (strcmp(s, key_kind_name((enum key_kind)k)) == 0)
            return k;
    return -1;
}

static size_t sk_len_for(enum key_kind kind)
{
    return kind == KEY_TALLY ? crypto_box_SECRETKEYBYTES : crypto_sign_SECRETKEYBYTES;
}

static int key_alloc(enum key_kind kind, bool demo, struct secret_key **out, struct err *e)
{
    *out = NULL;
    if (kind != KEY_AUTHORITY && kind != KEY_TALLY && kind != KEY_KIOSK)
        return err_set(e, ERR_USAGE, "unknown key kind %d", (int)kind);
    struct secret_key *k = calloc(1, sizeof *k);
    if (!k)
        return err_set(e, ERR_NOMEM, "out of memory for a key");
    k->kind = kind;
    k->demo = demo;
    k->sk_len = sk_len_for(kind);
    k->sk = sodium_malloc(k->sk_len);
    if (!k->sk) {
        free(k);
        return err_set(e, ERR_NOMEM, "cannot allocate protected memory for a secret key");
    }
    *out = k;
    return 0;
}

void key_free(struct secret_key *k)
{
    if (!k)
        return;
    sodium_free(k->sk); /* wipes */
    sodium_memzero(k, sizeof *k);
    free(k);
}

int key_generate(enum key_kind kind, bool demo, struct secret_key **out, struct err *e)
{
    int rc = key_alloc(kind, demo, out, e);
    if (rc)
        return rc;
    if (kind == KEY_TALLY)
        crypto_box_keypair((*out)->pk, (*out)->sk);
    else
        crypto_sign_keypair((*out)->pk, (*out)->sk);
    return 0;
}

int key_from_seed(enum key_kind kind, bool demo, const uint8_t seed[32], struct secret_key **out,
                  struct err *e)
{
    int rc = key_alloc(kind, demo, out, e);
    if (rc)
        return rc;
    if (kind == KEY_TALLY)
        crypto_box_seed_keypair((*out)->pk, (*out)->sk, seed);
    else
        crypto_sign_seed_keypair((*out)->pk, (*out)->sk, seed);
    return 0;
}

void key_public(const struct secret_key *k, struct public_key *out)
{
    out->kind = k->kind;
    out->demo = k->demo;
    memcpy(out->pk, k->pk, sizeof out->pk);
}

/* The public key that belongs to a secret key, to check a decrypted key is whole. */
static void derive_pk(const struct secret_key *k, uint8_t pk[32])
{
    if (k->kind == KEY_TALLY)
        crypto_scalarmult_base(pk, k->sk);
    else
        crypto_sign_ed25519_sk_to_pk(pk, k->sk);
}

static void cost_limits(enum key_cost cost, unsigned long long *ops, size_t *mem)
{
    switch (cost) {
    case KEY_COST_SENSITIVE:
        *ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
        *mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
        break;
    case KEY_COST_MODERATE:
        *ops = crypto_pwhash_OPSLIMIT_MODERATE;
        *mem = crypto_pwhash_MEMLIMIT_MODERATE;
        break;
    default:
        *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
        break;
    }
}

/* Derives the file key from the passphrase into protected memory. */
static int derive_file_key(uint8_t *key, const char *passphrase, const uint8_t *salt,
                           unsigned long long ops, size_t mem, struct err *e)
{
    if (crypto_pwhash(key, crypto_secretbox_KEYBYTES, passphrase, strlen(passphrase), salt, ops,
                      mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return err_set(e, ERR_NOMEM,
                       "not enough memory to derive the key from the passphrase (Argon2id needs "
                       "%zu MiB); close other programs and try again",
                       mem >> 20);
    return 0;
}

static int refuse_existing(const char *path, struct err *e)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        return err_set(e, ERR_STATE,
                       "%s already exists; a key file is never overwritten: choose another name "
                       "or move the old file away first",
                       path);
    return 0;
}

int key_save_secret(const char *path, const struct secret_key *k, const char *passphrase,
                    enum key_cost cost, struct err *e)
{
    int rc = refuse_existing(path, e);
    if (rc)
        return rc;
    unsigned long long ops;
    size_t mem;
    cost_limits(cost, &ops, &mem);
    uint8_t salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);

    /* plaintext = kind || demo || secret key */
    size_t plen = 2 + k->sk_len, clen = plen + crypto_secretbox_MACBYTES;
    uint8_t *plain = sodium_malloc(plen);
    uint8_t *fkey = sodium_malloc(crypto_secretbox_KEYBYTES);
    uint8_t *cipher = malloc(clen);
    char *hexc = malloc(2 * clen + 1);
    struct buf out;
    buf_init(&out);
    if (!plain || !fkey || !cipher || !hexc) {
        rc = err_set(e, ERR_NOMEM, "out of memory writing %s", path);
        goto done;
    }
    plain[0] = (uint8_t)k->kind;
    plain[1] = k->demo ? 1 : 0;
    memcpy(plain + 2, k->sk, k->sk_len);
    rc = derive_file_key(fkey, passphrase, salt, ops, mem, e);
    if (rc)
        goto done;
    crypto_secretbox_easy(cipher, plain, plen, nonce, fkey);

    char line[512], hx[2 * 32 + 1], fpr[FPR_TEXT_LEN + 1];
    hex_encode(hx, k->pk, 32);
    fingerprint(fpr, k->pk, 32);
    snprintf(line, sizeof line,
             "%s\nkind: %s\ndemo: %s\npublic: %s\nfingerprint: %s\nkdf: argon2id13\n"
             "opslimit: %llu\nmemlimit: %zu\n",
             SECRET_HEADER, key_kind_name(k->kind), k->demo ? "yes" : "no", hx, fpr, ops, mem);
    buf_raw(&out, line, strlen(line));
    char sh[2 * crypto_pwhash_SALTBYTES + 1], nh[2 * crypto_secretbox_NONCEBYTES + 1];
    hex_encode(sh, salt, sizeof salt);
    hex_encode(nh, nonce, sizeof nonce);
    hex_encode(hexc, cipher, clen);
    snprintf(line, sizeof line, "salt: %s\nnonce: %s\nsealed: ", sh, nh);
    buf_raw(&out, line, strlen(line));
    buf_raw(&out, hexc, strlen(hexc));
    buf_raw(&out, "\n", 1);
    rc = buf_ok(&out);
    if (rc) {
        err_set(e, rc, "out of memory writing %s", path);
        goto done;
    }
    rc = util_write_durable(path, out.data, out.len, 0600, e);

done:
    sodium_free(plain);
    sodium_free(fkey);
    free(cipher);
    free(hexc);
    buf_free(&out);
    return rc;
}

/* A parsed key file: the value of each "name: value" line we know. */
struct fields {
    char header[64];
    char kind[32], demo[8], pub[80], fpr[40], kdf[32], ops[24], mem[24], salt[80], nonce[80];
    char key[80];
    const char *sealed; /* points into the file buffer */
    size_t sealed_len;
};

static int parse_fields(const char *path, char *text, size_t len, struct fields *f, struct err *e)
{
    memset(f, 0, sizeof *f);
    if (!utf8_valid(text, len))
        return err_set(e, ERR_FORMAT, "%s is not a key file (it is not text)", path);
    char *p = text, *end = text + len;
    int lineno = 0;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        if (eol > p && eol[-1] == '\r')
            eol[-1] = '\0';
        *eol = '\0';
        lineno++;
        if (lineno == 1) {
            snprintf(f->header, sizeof f->header, "%s", p);
        } else if (*p) {
            char *colon = strstr(p, ": ");
            if (!colon)
                return err_set(e, ERR_FORMAT, "%s:%d: expected \"name: value\"", path, lineno);
            *colon = '\0';
            char *v = colon + 2;
            struct {
                const char *name;
                char *dst;
                size_t size;
            } known[] = {
                {"kind", f->kind, sizeof f->kind},    {"demo", f->demo, sizeof f->demo},
                {"public", f->pub, sizeof f->pub},    {"fingerprint", f->fpr, sizeof f->fpr},
                {"kdf", f->kdf, sizeof f->kdf},       {"opslimit", f->ops, sizeof f->ops},
                {"memlimit", f->mem, sizeof f->mem},  {"salt", f->salt, sizeof f->salt},
                {"nonce", f->nonce, sizeof f->nonce}, {"key", f->key, sizeof f->key},
            };
            bool found = false;
            for (size_t i = 0; i < ARRAY_LEN(known); i++) {
                if (strcmp(p, known[i].name) == 0) {
                    if (strlen(v) >= known[i].size)
                        return err_set(e, ERR_FORMAT, "%s:%d: the value of %s is too long", path,
                                       lineno, p);
                    snprintf(known[i].dst, known[i].size, "%s", v);
                    found = true;
                }
            }
            if (strcmp(p, "sealed") == 0) {
                f->sealed = v;
                f->sealed_len = strlen(v);
                found = true;
            }
            if (!found)
                return err_set(e, ERR_FORMAT, "%s:%d: unknown field \"%s\"", path, lineno, p);
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}

static int check_kind(const char *path, const struct fields *f, enum key_kind want, bool *demo,
                      struct err *e)
{
    int kind = kind_from_name(f->kind);
    if (kind < 0)
        return err_set(e, ERR_FORMAT, "%s: unknown key kind \"%s\"", path, f->kind);
    if (kind != (int)want)
        return err_set(e, ERR_INVALID, "%s holds a %s key, but a %s key is needed here", path,
                       f->kind, key_kind_name(want));
    if (strcmp(f->demo, "yes") != 0 && strcmp(f->demo, "no") != 0)
        return err_set(e, ERR_FORMAT, "%s: \"demo\" must be yes or no", path);
    *demo = strcmp(f->demo, "yes") == 0;
    return 0;
}

int key_load_secret(const char *path, enum key_kind kind, const char *passphrase,
                    struct secret_key **out, struct err *e)
{
    *out = NULL;
    uint8_t *data;
    size_t len;
    int rc = util_read_private(path, "a secret key file", "", KEY_FILE_MAX, &data, &len, e);
    if (rc)
        return rc;
    struct fields f;
    uint8_t *cipher = NULL, *plain = NULL, *fkey = NULL;
    struct secret_key *k = NULL;
    rc = parse_fields(path, (char *)data, len, &f, e);
    if (rc)
        goto done;
    if (strcmp(f.header, SECRET_HEADER) != 0) {
        rc = strncmp(f.header, "isoloir-secret-key ", 19) == 0
                 ? err_set(e, ERR_VERSION,
                           "%s was written by a newer isoloir (\"%s\"); use that version", path,
                           f.header)
                 : err_set(e, ERR_FORMAT, "%s is not an isoloir secret key file", path);
        goto done;
    }
    bool demo;
    rc = check_kind(path, &f, kind, &demo, e);
    if (rc)
        goto done;
    int64_t ops, mem;
    uint8_t salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES], pk[32];
    if (strcmp(f.kdf, "argon2id13") != 0 || util_parse_i64(f.ops, &ops) ||
        util_parse_i64(f.mem, &mem) || ops < 1 || ops > MAX_OPSLIMIT || mem < 8192 ||
        (uint64_t)mem > MAX_MEMLIMIT || hex_decode(salt, sizeof salt, f.salt) ||
        hex_decode(nonce, sizeof nonce, f.nonce) || hex_decode(pk, sizeof pk, f.pub) || !f.sealed) {
        rc = err_set(e, ERR_FORMAT, "%s is damaged: a field is missing or malformed", path);
        goto done;
    }
    size_t plen = 2 + sk_len_for(kind), clen = plen + crypto_secretbox_MACBYTES;
    cipher = malloc(clen);
    plain = sodium_malloc(plen);
    fkey = sodium_malloc(crypto_secretbox_KEYBYTES);
    if (!cipher || !plain || !fkey) {
        rc = err_set(e, ERR_NOMEM, "out of memory reading %s", path);
        goto done;
    }
    if (f.sealed_len != 2 * clen || hex_decode(cipher, clen, f.sealed)) {
        rc = err_set(e, ERR_FORMAT, "%s is damaged: the sealed key has the wrong length", path);
        goto done;
    }
    rc = derive_file_key(fkey, passphrase, salt, (unsigned long long)ops, (size_t)mem, e);
    if (rc)
        goto done;
    if (crypto_secretbox_open_easy(plain, cipher, clen, nonce, fkey) != 0) {
        rc = err_set(e, ERR_CRYPTO,
                     "the passphrase is wrong for %s (or the file was altered); type it again",
                     path);
        goto done;
    }
    if (plain[0] != (uint8_t)kind || plain[1] != (demo ? 1 : 0)) {
        rc = err_set(e, ERR_TAMPER, "%s was altered: its header does not match the key it protects",
                     path);
        goto done;
    }
    rc = key_alloc(kind, demo, &k, e);
    if (rc)
        goto done;
    memcpy(k->sk, plain + 2, k->sk_len);
    uint8_t derived[32];
    derive_pk(k, derived);
    if (sodium_memcmp(derived, pk, 32) != 0) {
        rc = err_set(e, ERR_TAMPER, "%s was altered: the public key does not match the secret key",
                     path);
        goto done;
    }
    memcpy(k->pk, pk, 32);
    *out = k;
    k = NULL;

done:
    key_free(k);
    if (plain)
        sodium_free(plain);
    if (fkey)
        sodium_free(fkey);
    free(cipher);
    sodium_memzero(data, len);
    free(data);
    return rc;
}

int key_save_public(const char *path, const struct public_key *pk, struct err *e)
{
    char hx[65], fpr[FPR_TEXT_LEN + 1], text[512];
    hex_encode(hx, pk->pk, 32);
    fingerprint(fpr, pk->pk, 32);
    int n = snprintf(text, sizeof text, "%s\nkind: %s\ndemo: %s\nkey: %s\nfingerprint: %s\n",
                     PUBLIC_HEADER, key_kind_name(pk->kind), pk->demo ? "yes" : "no", hx, fpr);
    return util_write_durable(path, text, (size_t)n, 0644, e);
}

int key_load_public(const char *path, enum key_kind kind, struct public_key *out, struct err *e)
{
    uint8_t *data;
    size_t len;
    int rc = util_read_file(path, KEY_FILE_MAX, &data, &len, e);
    if (rc)
        return rc;
    struct fields f;
    rc = parse_fields(path, (char *)data, len, &f, e);
    if (rc)
        goto done;
    if (strcmp(f.header, PUBLIC_HEADER) != 0) {
        rc = strcmp(f.header, SECRET_HEADER) == 0
                 ? err_set(e, ERR_USAGE,
                           "%s is a SECRET key file; give the public key file (.pub) instead, "
                           "and keep the secret one private",
                           path)
                 : err_set(e, ERR_FORMAT, "%s is not an isoloir public key file", path);
        goto done;
    }
    bool demo;
    rc = check_kind(path, &f, kind, &demo, e);
    if (rc)
        goto done;
    if (hex_decode(out->pk, 32, f.key)) {
        rc = err_set(e, ERR_FORMAT, "%s: the key must be 64 hexadecimal digits", path);
        goto done;
    }
    char fpr[FPR_TEXT_LEN + 1];
    fingerprint(fpr, out->pk, 32);
    if (f.fpr[0] && strcmp(fpr, f.fpr) != 0) {
        rc = err_set(e, ERR_TAMPER,
                     "%s: the fingerprint line (%s) does not match the key (%s); the file was "
                     "edited or damaged: get it again from the key ceremony",
                     path, f.fpr, fpr);
        goto done;
    }
    out->kind = kind;
    out->demo = demo;

done:
    free(data);
    return rc;
}

int key_alloc_secret(enum key_kind kind, bool demo, struct secret_key **out, struct err *e)
{
    return key_alloc(kind, demo, out, e);
}

void key_derive_public(const struct secret_key *k, uint8_t pk[32])
{
    derive_pk(k, pk);
}

void key_cost_limits(enum key_cost cost, unsigned long long *ops, size_t *mem)
{
    cost_limits(cost, ops, mem);
}

bool key_cost_acceptable(int64_t ops, int64_t mem)
{
    return ops >= 1 && ops <= MAX_OPSLIMIT && mem >= 8192 && (uint64_t)mem <= MAX_MEMLIMIT;
}

int key_passphrase_derive(uint8_t key[32], const char *passphrase, const uint8_t salt[16],
                          unsigned long long ops, size_t mem, struct err *e)
{
    return derive_file_key(key, passphrase, salt, ops, mem, e);
}
