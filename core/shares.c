/*
 * shares — trustee shares of the tally key; see shares.h and docs/keys.md ("Trustees").
 *
 * The file is text like a key file, one "name: value" per line, the last line a BLAKE2b
 * checksum of every byte before it (so an accidental change anywhere is told apart from a
 * wrong passphrase), and a passphrase check value (so a wrong passphrase is told apart from
 * a sealed value that was altered). The sealed plaintext repeats every header field that
 * matters, so editing the header is detected after opening.
 *
 * Never: a share value or a joined key outside sodium_malloc'd memory of ours; a joined key
 * written anywhere.
 */
#include "shares.h"

#include <errno.h>
#include <libgfshare.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "util.h"

#define SHARE_HEADER   "isoloir-key-share 1"
#define SHARE_FILE_MAX 32768
#define VALUE_LEN      32
/* kind, demo, x, k, n, split id, public key, value */
#define PLAIN_LEN  (5 + SHARE_SET_LEN + 32 + VALUE_LEN)
#define SEALED_LEN (PLAIN_LEN + crypto_secretbox_MACBYTES)

static const char LABEL_COMMIT[] = "isoloir/share-commit/1";
static const char LABEL_SET[] = "isoloir/share-split/1";
static const char LABEL_PASSCHECK[] = "isoloir/share-passcheck/1";

/* libgfshare draws its polynomial coefficients, and the bytes with which gfshare_ctx_free
 * overwrites its buffers, from this function; it must be set before any context is used. */
static void fill_random(unsigned char *buf, unsigned int n)
{
    randombytes_buf(buf, n);
}

static void use_sodium_random(void)
{
    gfshare_fill_rand = fill_random;
}

static void commitment(uint8_t out[32], const uint8_t pk[32], uint8_t x, const uint8_t *value)
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const uint8_t *)LABEL_COMMIT, sizeof LABEL_COMMIT - 1);
    crypto_generichash_update(&st, pk, 32);
    crypto_generichash_update(&st, &x, 1);
    crypto_generichash_update(&st, value, VALUE_LEN);
    crypto_generichash_final(&st, out, 32);
    sodium_memzero(&st, sizeof st);
}

static void split_id(uint8_t out[SHARE_SET_LEN], enum key_kind kind, bool demo,
                     const uint8_t pk[32], uint8_t k, uint8_t n, const uint8_t (*commit)[32])
{
    uint8_t head[4] = {(uint8_t)kind, demo ? 1 : 0, k, n};
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, SHARE_SET_LEN);
    crypto_generichash_update(&st, (const uint8_t *)LABEL_SET, sizeof LABEL_SET - 1);
    crypto_generichash_update(&st, head, sizeof head);
    crypto_generichash_update(&st, pk, 32);
    crypto_generichash_update(&st, &commit[0][0], (size_t)n * 32);
    crypto_generichash_final(&st, out, SHARE_SET_LEN);
}

static void passcheck(uint8_t out[16], const uint8_t *fkey)
{
    crypto_generichash(out, 16, (const uint8_t *)LABEL_PASSCHECK, sizeof LABEL_PASSCHECK - 1, fkey,
                       crypto_secretbox_KEYBYTES);
}

static void make_plain(uint8_t *p, const struct share *s, const uint8_t *value)
{
    p[0] = (uint8_t)s->kind;
    p[1] = s->demo ? 1 : 0;
    p[2] = s->x;
    p[3] = s->k;
    p[4] = s->n;
    memcpy(p + 5, s->set, SHARE_SET_LEN);
    memcpy(p + 5 + SHARE_SET_LEN, s->pk, 32);
    memcpy(p + 5 + SHARE_SET_LEN + 32, value, VALUE_LEN);
}

void share_describe(const struct share *s, char *out, size_t size)
{
    const char *base = strrchr(s->path, '/');
    base = base ? base + 1 : s->path;
    if (s->trustee[0])
        snprintf(out, size, "share %u of %u (%s, %s)", s->x, s->n, s->trustee, base);
    else
        snprintf(out, size, "share %u of %u (%s)", s->x, s->n, base);
}

void share_free(struct share *s)
{
    if (!s)
        return;
    free(s->commit);
    if (s->value)
        sodium_free(s->value); /* wipes */
    sodium_memzero(s, sizeof *s);
}

/* ---- writing ---------------------------------------------------------------------------- */

static int write_share(const char *path, const struct share *s, const uint8_t *value,
                       const char *passphrase, struct err *e)
{
    uint8_t *plain = sodium_malloc(PLAIN_LEN), *fkey = sodium_malloc(crypto_secretbox_KEYBYTES);
    char *commits = malloc((size_t)s->n * 64 + 1);
    struct buf out;
    buf_init(&out);
    int rc = 0;
    if (!plain || !fkey || !commits) {
        rc = err_set(e, ERR_NOMEM, "out of memory writing %s", path);
        goto done;
    }
    uint8_t salt[16], nonce[24], sealed[SEALED_LEN], check[16];
    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    rc = key_passphrase_derive(fkey, passphrase, salt, s->ops, s->mem, e);
    if (rc)
        goto done;
    make_plain(plain, s, value);
    crypto_secretbox_easy(sealed, plain, PLAIN_LEN, nonce, fkey);
    passcheck(check, fkey);

    char pkh[65], fpr[FPR_TEXT_LEN + 1], seth[2 * SHARE_SET_LEN + 1], sh[33], nh[49], ch[33],
        sealh[2 * SEALED_LEN + 1], line[1024];
    hex_encode(pkh, s->pk, 32);
    fingerprint(fpr, s->pk, 32);
    hex_encode(seth, s->set, SHARE_SET_LEN);
    for (unsigned i = 0; i < s->n; i++)
        hex_encode(commits + 64 * i, s->commit[i], 32);
    hex_encode(sh, salt, sizeof salt);
    hex_encode(nh, nonce, sizeof nonce);
    hex_encode(ch, check, sizeof check);
    hex_encode(sealh, sealed, sizeof sealed);
    snprintf(line, sizeof line,
             "%s\nkind: %s\ndemo: %s\npublic: %s\nfingerprint: %s\nsplit: %s\nshare: %u\n"
             "threshold: %u\nshares: %u\n",
             SHARE_HEADER, key_kind_name(s->kind), s->demo ? "yes" : "no", pkh, fpr, seth, s->x,
             s->k, s->n);
    buf_raw(&out, line, strlen(line));
    if (s->trustee[0]) {
        snprintf(line, sizeof line, "trustee: %s\n", s->trustee);
        buf_raw(&out, line, strlen(line));
    }
    buf_raw(&out, "commitments: ", 13);
    buf_raw(&out, commits, (size_t)s->n * 64);
    snprintf(line, sizeof line,
             "\nkdf: argon2id13\nopslimit: %llu\nmemlimit: %zu\nsalt: %s\nnonce: %s\n"
             "passcheck: %s\nsealed: %s\n",
             s->ops, s->mem, sh, nh, ch, sealh);
    buf_raw(&out, line, strlen(line));
    rc = buf_ok(&out);
    if (rc) {
        err_set(e, rc, "out of memory writing %s", path);
        goto done;
    }
    uint8_t sum[32];
    char sumh[65];
    hash32(sum, out.data, out.len);
    hex_encode(sumh, sum, 32);
    snprintf(line, sizeof line, "checksum: %s\n", sumh);
    buf_raw(&out, line, strlen(line));
    rc = buf_ok(&out);
    if (rc) {
        err_set(e, rc, "out of memory writing %s", path);
        goto done;
    }
    rc = util_write_durable(path, out.data, out.len, 0600, e);
done:
    if (plain)
        sodium_free(plain);
    if (fkey)
        sodium_free(fkey);
    free(commits);
    buf_free(&out);
    return rc;
}

int shares_split(const struct secret_key *key, unsigned k, unsigned n, const char *const *paths,
                 const char *const *passphrases, const char *const *trustees, enum key_cost cost,
                 uint8_t set_out[SHARE_SET_LEN], struct err *e)
{
    if (key->kind != KEY_TALLY || key->sk_len != VALUE_LEN)
        return err_set(e, ERR_USAGE, "only the tally key is split among trustees");
    if (k < 2 || n > SHARES_MAX || k > n)
        return err_set(e, ERR_USAGE,
                       "cannot split %u of %u: at least 2 trustees must be needed, at most %d "
                       "shares can be made, and no more trustees can be needed than there are "
                       "shares",
                       k, n, SHARES_MAX);
    for (unsigned i = 0; i < n; i++) {
        struct stat st;
        if (lstat(paths[i], &st) == 0)
            return err_set(e, ERR_STATE,
                           "%s already exists; a share file is never overwritten: choose another "
                           "name or move the old file away first",
                           paths[i]);
        if (trustees && trustees[i] &&
            (strlen(trustees[i]) >= SHARE_TRUSTEE_MAX ||
             !utf8_valid(trustees[i], strlen(trustees[i])) || strpbrk(trustees[i], "\r\n\t")))
            return err_set(e, ERR_USAGE,
                           "the trustee name \"%s\" is too long or not plain text (at most %d "
                           "bytes, one line)",
                           trustees[i], SHARE_TRUSTEE_MAX - 1);
    }
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = 0; j < i; j++)
            if (strcmp(paths[i], paths[j]) == 0)
                return err_set(e, ERR_USAGE, "two shares would be written to %s", paths[i]);

    struct share s;
    memset(&s, 0, sizeof s);
    uint8_t *values = sodium_malloc((size_t)n * VALUE_LEN);
    s.commit = malloc((size_t)n * 32);
    unsigned written = 0;
    int rc = 0;
    if (!values || !s.commit) {
        rc = err_set(e, ERR_NOMEM, "out of memory splitting the key");
        goto done;
    }
    unsigned char nrs[SHARES_MAX];
    for (unsigned i = 0; i < n; i++)
        nrs[i] = (unsigned char)(i + 1);
    use_sodium_random();
    gfshare_ctx *ctx = gfshare_ctx_init_enc(nrs, n, (unsigned char)k, VALUE_LEN);
    if (!ctx) {
        rc = err_set(e, ERR_NOMEM, "out of memory splitting the key");
        goto done;
    }
    gfshare_ctx_enc_setsecret(ctx, key->sk);
    for (unsigned i = 0; i < n; i++)
        gfshare_ctx_enc_getshare(ctx, (unsigned char)i, values + (size_t)i * VALUE_LEN);
    gfshare_ctx_free(ctx); /* overwrites the coefficients (and the key) with random bytes */

    s.kind = key->kind;
    s.demo = key->demo;
    memcpy(s.pk, key->pk, 32);
    s.k = (uint8_t)k;
    s.n = (uint8_t)n;
    key_cost_limits(cost, &s.ops, &s.mem);
    for (unsigned i = 0; i < n; i++)
        commitment(s.commit[i], s.pk, (uint8_t)(i + 1), values + (size_t)i * VALUE_LEN);
    split_id(s.set, s.kind, s.demo, s.pk, s.k, s.n, (const uint8_t(*)[32])s.commit);
    for (; written < n; written++) {
        s.x = (uint8_t)(written + 1);
        snprintf(s.trustee, sizeof s.trustee, "%s",
                 trustees && trustees[written] ? trustees[written] : "");
        rc = write_share(paths[written], &s, values + (size_t)written * VALUE_LEN,
                         passphrases[written], e);
        if (rc)
            break;
    }
    if (!rc && set_out)
        memcpy(set_out, s.set, SHARE_SET_LEN);
done:
    if (rc) /* a partial split is of no use: take back what was written */
        for (unsigned i = 0; i < written; i++)
            unlink(paths[i]);
    if (values)
        sodium_free(values);
    free(s.commit);
    sodium_memzero(&s, sizeof s);
    return rc;
}

/* ---- reading ---------------------------------------------------------------------------- */

static int parse_u8(const char *v, unsigned lo, unsigned hi, uint8_t *out)
{
    int64_t x;
    if (util_parse_i64(v, &x) || x < (int64_t)lo || x > (int64_t)hi)
        return -1;
    *out = (uint8_t)x;
    return 0;
}

int share_parse(const char *name, const char *text, size_t len, struct share *s, struct err *e)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", name);
    if (len == 0 || !utf8_valid(text, len))
        return err_set(e, ERR_FORMAT, "%s is not a share file (it is empty or not text)", name);
    size_t hl = strlen(SHARE_HEADER);
    if (len < hl + 1 || memcmp(text, SHARE_HEADER, hl) != 0 || text[hl] != '\n') {
        if (len > 18 && memcmp(text, "isoloir-key-share ", 18) == 0)
            return err_set(e, ERR_VERSION,
                           "%s is a share file of a newer isoloir; use that version to join it",
                           name);
        if (len > 19 && memcmp(text, "isoloir-secret-key ", 19) == 0)
            return err_set(e, ERR_USAGE,
                           "%s is a whole secret key file, not a trustee share: give it with "
                           "--tally-key instead",
                           name);
        return err_set(e, ERR_FORMAT, "%s is not an isoloir share file", name);
    }
    /* the checksum line ends the file and covers every byte before it */
    static const char CK[] = "\nchecksum: ";
    const char *ck = NULL;
    for (const char *p = text; (p = memchr(p, '\n', (size_t)(text + len - p))) != NULL; p++)
        if ((size_t)(text + len - p) >= sizeof CK - 1 && memcmp(p, CK, sizeof CK - 1) == 0)
            ck = p;
    if (!ck)
        return err_set(e, ERR_TAMPER,
                       "%s is damaged: its checksum line is missing (the file was cut short?); "
                       "use the trustee's backup copy",
                       name);
    const char *sumtext = ck + sizeof CK - 1;
    size_t sumlen = (size_t)(text + len - sumtext);
    if (sumlen > 0 && sumtext[sumlen - 1] == '\n')
        sumlen--;
    char sumh[65];
    uint8_t want[32], got[32];
    if (sumlen != 64)
        return err_set(e, ERR_TAMPER, "%s is damaged: its checksum line is malformed", name);
    memcpy(sumh, sumtext, 64);
    sumh[64] = '\0';
    if (hex_decode(want, 32, sumh))
        return err_set(e, ERR_TAMPER, "%s is damaged: its checksum line is malformed", name);
    hash32(got, text, (size_t)(ck + 1 - text));
    if (sodium_memcmp(want, got, 32) != 0)
        return err_set(e, ERR_TAMPER,
                       "%s is damaged: its content does not match its checksum (a change or a "
                       "transmission error); use the trustee's backup copy of this share",
                       name);

    /* the fields, between the header line and the checksum line */
    char kind[16] = "", demo[8] = "", pub[65] = "", fpr[32] = "", set[2 * SHARE_SET_LEN + 1] = "",
         x[8] = "", k[8] = "", n[8] = "", kdf[16] = "", ops[24] = "", mem[24] = "", salt[33] = "",
         nonce[49] = "", check[33] = "", sealed[2 * SEALED_LEN + 1] = "";
    const char *commits = NULL;
    size_t commits_len = 0;
    bool has_trustee = false;
    struct {
        const char *name;
        char *dst;
        size_t size;
        bool seen;
    } known[] = {
        {"kind", kind, sizeof kind, 0},
        {"demo", demo, sizeof demo, 0},
        {"public", pub, sizeof pub, 0},
        {"fingerprint", fpr, sizeof fpr, 0},
        {"split", set, sizeof set, 0},
        {"share", x, sizeof x, 0},
        {"threshold", k, sizeof k, 0},
        {"shares", n, sizeof n, 0},
        {"trustee", s->trustee, sizeof s->trustee, 0},
        {"kdf", kdf, sizeof kdf, 0},
        {"opslimit", ops, sizeof ops, 0},
        {"memlimit", mem, sizeof mem, 0},
        {"salt", salt, sizeof salt, 0},
        {"nonce", nonce, sizeof nonce, 0},
        {"passcheck", check, sizeof check, 0},
        {"sealed", sealed, sizeof sealed, 0},
    };
    const char *p = text + hl + 1, *end = ck + 1;
    int lineno = 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        lineno++;
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        if (!colon || colon + 1 >= eol || colon[1] != ' ')
            return err_set(e, ERR_FORMAT, "%s:%d: expected \"name: value\"", name, lineno);
        size_t nlen = (size_t)(colon - p);
        const char *v = colon + 2;
        size_t vlen = (size_t)(eol - v);
        bool found = false;
        if (nlen == 11 && memcmp(p, "commitments", 11) == 0) {
            if (commits)
                return err_set(e, ERR_FORMAT, "%s:%d: commitments given twice", name, lineno);
            commits = v;
            commits_len = vlen;
            found = true;
        }
        for (size_t i = 0; i < ARRAY_LEN(known) && !found; i++) {
            if (strlen(known[i].name) != nlen || memcmp(p, known[i].name, nlen) != 0)
                continue;
            if (known[i].seen)
                return err_set(e, ERR_FORMAT, "%s:%d: %s given twice", name, lineno, known[i].name);
            if (vlen >= known[i].size)
                return err_set(e, ERR_FORMAT, "%s:%d: the value of %s is too long", name, lineno,
                               known[i].name);
            memcpy(known[i].dst, v, vlen);
            known[i].dst[vlen] = '\0';
            known[i].seen = true;
            found = true;
            if (known[i].dst == s->trustee)
                has_trustee = true;
        }
        if (!found)
            return err_set(e, ERR_FORMAT, "%s:%d: unknown field \"%.*s\"", name, lineno,
                           (int)(nlen > 40 ? 40 : nlen), p);
        p = nl ? nl + 1 : end;
    }
    for (size_t i = 0; i < ARRAY_LEN(known); i++)
        if (!known[i].seen && known[i].dst != s->trustee)
            return err_set(e, ERR_FORMAT, "%s: the field \"%s\" is missing", name, known[i].name);
    if (!commits)
        return err_set(e, ERR_FORMAT, "%s: the field \"commitments\" is missing", name);
    if (has_trustee && strpbrk(s->trustee, "\r\t"))
        return err_set(e, ERR_FORMAT, "%s: the trustee name is not plain text", name);

    if (strcmp(kind, "tally") != 0)
        return err_set(e, ERR_FORMAT, "%s: \"%s\" keys are not split into shares", name, kind);
    s->kind = KEY_TALLY;
    if (strcmp(demo, "yes") != 0 && strcmp(demo, "no") != 0)
        return err_set(e, ERR_FORMAT, "%s: \"demo\" must be yes or no", name);
    s->demo = strcmp(demo, "yes") == 0;
    if (hex_decode(s->pk, 32, pub) || hex_decode(s->set, SHARE_SET_LEN, set) ||
        parse_u8(n, 2, SHARES_MAX, &s->n) || parse_u8(k, 2, s->n, &s->k) ||
        parse_u8(x, 1, s->n, &s->x))
        return err_set(e, ERR_FORMAT,
                       "%s: the key, split, share number, threshold or number of shares is "
                       "malformed",
                       name);
    char fp[FPR_TEXT_LEN + 1];
    fingerprint(fp, s->pk, 32);
    if (strcmp(fp, fpr) != 0)
        return err_set(e, ERR_TAMPER,
                       "%s: the fingerprint line (%s) does not match the key (%s); the file was "
                       "edited",
                       name, fpr, fp);
    int64_t o, m;
    if (strcmp(kdf, "argon2id13") != 0 || util_parse_i64(ops, &o) || util_parse_i64(mem, &m) ||
        !key_cost_acceptable(o, m) || hex_decode(s->salt, 16, salt) ||
        hex_decode(s->nonce, 24, nonce) || hex_decode(s->passcheck, 16, check) ||
        strlen(sealed) != 2 * SEALED_LEN || hex_decode(s->sealed, SEALED_LEN, sealed))
        return err_set(e, ERR_FORMAT, "%s: the passphrase protection fields are malformed", name);
    s->ops = (unsigned long long)o;
    s->mem = (size_t)m;
    s->sealed_len = SEALED_LEN;
    if (commits_len != (size_t)s->n * 64)
        return err_set(e, ERR_FORMAT, "%s: there must be %u commitments (one per share)", name,
                       s->n);
    s->commit = malloc((size_t)s->n * 32);
    if (!s->commit)
        return err_set(e, ERR_NOMEM, "out of memory reading %s", name);
    for (unsigned i = 0; i < s->n; i++) {
        char h[65];
        memcpy(h, commits + 64 * i, 64);
        h[64] = '\0';
        if (hex_decode(s->commit[i], 32, h)) {
            share_free(s);
            return err_set(e, ERR_FORMAT, "%s: the commitments are malformed", name);
        }
    }
    uint8_t id[SHARE_SET_LEN];
    split_id(id, s->kind, s->demo, s->pk, s->k, s->n, (const uint8_t(*)[32])s->commit);
    if (sodium_memcmp(id, s->set, SHARE_SET_LEN) != 0) {
        share_free(s);
        snprintf(s->path, sizeof s->path, "%s", name);
        return err_set(e, ERR_TAMPER,
                       "%s was edited: its split id does not match its key, threshold and "
                       "commitments",
                       name);
    }
    return 0;
}

int share_read(const char *path, struct share *s, struct err *e)
{
    memset(s, 0, sizeof *s);
    uint8_t *data;
    size_t len;
    int rc = util_read_private(path, "a share file",
                               " (from a USB stick that cannot keep permissions, copy it to a "
                               "private folder first)",
                               SHARE_FILE_MAX, &data, &len, e);
    if (rc)
        return rc;
    rc = share_parse(path, (const char *)data, len, s, e);
    free(data);
    return rc;
}

int share_open(struct share *s, const char *passphrase, struct err *e)
{
    char who[700];
    share_describe(s, who, sizeof who);
    uint8_t *fkey = sodium_malloc(crypto_secretbox_KEYBYTES), *plain = sodium_malloc(PLAIN_LEN);
    int rc = 0;
    if (!fkey || !plain) {
        rc = err_set(e, ERR_NOMEM, "out of memory opening %s", who);
        goto done;
    }
    rc = key_passphrase_derive(fkey, passphrase, s->salt, s->ops, s->mem, e);
    if (rc)
        goto done;
    uint8_t check[16];
    passcheck(check, fkey);
    if (sodium_memcmp(check, s->passcheck, 16) != 0) {
        rc = err_set(e, ERR_CRYPTO,
                     "the passphrase is wrong for %s; its trustee must type it again", who);
        goto done;
    }
    if (crypto_secretbox_open_easy(plain, s->sealed, s->sealed_len, s->nonce, fkey) != 0) {
        rc = err_set(e, ERR_TAMPER,
                     "%s was altered: the passphrase is right but the sealed share does not "
                     "open; use the trustee's backup copy",
                     who);
        goto done;
    }
    uint8_t want[PLAIN_LEN - VALUE_LEN];
    memset(want, 0, sizeof want);
    want[0] = (uint8_t)s->kind;
    want[1] = s->demo ? 1 : 0;
    want[2] = s->x;
    want[3] = s->k;
    want[4] = s->n;
    memcpy(want + 5, s->set, SHARE_SET_LEN);
    memcpy(want + 5 + SHARE_SET_LEN, s->pk, 32);
    if (sodium_memcmp(plain, want, sizeof want) != 0) {
        rc = err_set(e, ERR_TAMPER,
                     "%s was altered: its header (share number, threshold, key or split) does "
                     "not match the share it seals; use the trustee's backup copy",
                     who);
        goto done;
    }
    const uint8_t *value = plain + sizeof want;
    uint8_t c[32];
    commitment(c, s->pk, s->x, value);
    if (sodium_memcmp(c, s->commit[s->x - 1], 32) != 0) {
        rc = err_set(e, ERR_TAMPER,
                     "%s holds a value that is not the one committed at the split: the file "
                     "was made wrong or on purpose; do not use it, and ask how it was made",
                     who);
        goto done;
    }
    if (!s->value)
        s->value = sodium_malloc(VALUE_LEN);
    if (!s->value) {
        rc = err_set(e, ERR_NOMEM, "out of memory opening %s", who);
        goto done;
    }
    memcpy(s->value, value, VALUE_LEN);
done:
    if (fkey)
        sodium_free(fkey);
    if (plain)
        sodium_free(plain);
    return rc;
}

/* ---- joining ---------------------------------------------------------------------------- */

int shares_check(const struct share *s, size_t count, const uint8_t *expect_pk, struct err *e)
{
    if (count == 0)
        return err_set(e, ERR_USAGE, "no share was given");
    char a[700], b[700], fa[FPR_TEXT_LEN + 1], fb[FPR_TEXT_LEN + 1];
    for (size_t i = 0; i < count; i++) {
        share_describe(&s[i], a, sizeof a);
        if (s[i].kind != KEY_TALLY)
            return err_set(e, ERR_INVALID, "%s is not a share of a tally key", a);
        if (expect_pk && sodium_memcmp(s[i].pk, expect_pk, 32) != 0) {
            fingerprint(fa, s[i].pk, 32);
            fingerprint(fb, expect_pk, 32);
            return err_set(e, ERR_INVALID,
                           "%s is a share of another tally key (%s), not of this election's "
                           "(%s): it belongs to another election or key ceremony; bring this "
                           "election's share",
                           a, fa, fb);
        }
    }
    for (size_t i = 1; i < count; i++) {
        share_describe(&s[0], a, sizeof a);
        share_describe(&s[i], b, sizeof b);
        if (sodium_memcmp(s[i].pk, s[0].pk, 32) != 0) {
            fingerprint(fa, s[0].pk, 32);
            fingerprint(fb, s[i].pk, 32);
            return err_set(e, ERR_INVALID,
                           "%s and %s are shares of different keys (%s and %s): only shares of "
                           "one key can be joined",
                           a, b, fa, fb);
        }
        if (sodium_memcmp(s[i].set, s[0].set, SHARE_SET_LEN) != 0 || s[i].k != s[0].k ||
            s[i].n != s[0].n) {
            char ia[2 * SHARE_SET_LEN + 1], ib[2 * SHARE_SET_LEN + 1];
            hex_encode(ia, s[0].set, 4);
            hex_encode(ib, s[i].set, 4);
            return err_set(e, ERR_INVALID,
                           "%s and %s come from two different splits of the same key (split "
                           "%s…, %u of %u, and split %s…, %u of %u); shares of different splits "
                           "cannot be joined: use shares of one split only (the newest)",
                           a, b, ia, s[0].k, s[0].n, ib, s[i].k, s[i].n);
        }
    }
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < i; j++)
            if (s[i].x == s[j].x) {
                share_describe(&s[j], a, sizeof a);
                share_describe(&s[i], b, sizeof b);
                return err_set(e, ERR_INVALID,
                               "%s and %s are the same share, given twice; bring another "
                               "trustee's share instead",
                               a, b);
            }
    if (count < s[0].k) {
        char list[ERR_MSG_MAX / 2] = "";
        size_t used = 0;
        for (size_t i = 0; i < count && used < sizeof list; i++) {
            share_describe(&s[i], a, sizeof a);
            int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", a);
            used += w > 0 ? (size_t)w : 0;
        }
        return err_set(e, ERR_INVALID,
                       "%zu share%s given, but this key is split %u of %u: %u trustees must "
                       "bring their shares (%zu more needed). Given: %s",
                       count, count == 1 ? "" : "s", s[0].k, s[0].n, s[0].k, s[0].k - count, list);
    }
    return 0;
}

int shares_join(const struct share *s, size_t count, const uint8_t *expect_pk,
                struct secret_key **out, struct err *e)
{
    *out = NULL;
    int rc = shares_check(s, count, expect_pk, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < count; i++)
        if (!s[i].value)
            return err_set(e, ERR_INTERNAL, "share %u was not opened before joining", s[i].x);
    struct secret_key *k = NULL;
    rc = key_alloc_secret(KEY_TALLY, s[0].demo, &k, e);
    if (rc)
        return rc;
    unsigned char nrs[SHARES_MAX];
    for (size_t i = 0; i < count; i++)
        nrs[i] = s[i].x;
    use_sodium_random();
    gfshare_ctx *ctx = gfshare_ctx_init_dec(nrs, (unsigned)count, VALUE_LEN);
    if (!ctx) {
        key_free(k);
        return err_set(e, ERR_NOMEM, "out of memory joining the shares");
    }
    for (size_t i = 0; i < count; i++)
        gfshare_ctx_dec_giveshare(ctx, (unsigned char)i, s[i].value);
    gfshare_ctx_dec_extract(ctx, k->sk);
    gfshare_ctx_free(ctx); /* overwrites its copies of the shares with random bytes */
    key_derive_public(k, k->pk);
    if (sodium_memcmp(k->pk, s[0].pk, 32) != 0 ||
        (expect_pk && sodium_memcmp(k->pk, expect_pk, 32) != 0)) {
        char fa[FPR_TEXT_LEN + 1];
        fingerprint(fa, s[0].pk, 32);
        key_free(k);
        return err_set(e, ERR_TAMPER,
                       "the shares open and match their commitments but do not join into the "
                       "key they name (%s): the split itself was made wrong; the ballots cannot "
                       "be opened with these shares",
                       fa);
    }
    *out = k;
    return 0;
}

int shares_load(const char *const *paths, size_t count, const uint8_t *expect_pk,
                const struct share_asker *asker, struct secret_key **out, struct err *e)
{
    *out = NULL;
    if (count == 0)
        return err_set(e, ERR_USAGE, "no share was given");
    if (count > SHARES_MAX)
        return err_set(e, ERR_USAGE, "too many shares given (at most %d)", SHARES_MAX);
    struct share *s = calloc(count, sizeof *s);
    if (!s)
        return err_set(e, ERR_NOMEM, "out of memory for the shares");
    int rc = 0;
    for (size_t i = 0; i < count && !rc; i++)
        rc = share_read(paths[i], &s[i], e);
    if (!rc)
        rc = shares_check(s, count, expect_pk, e);
    unsigned tries = asker->tries ? asker->tries : 1;
    for (size_t i = 0; i < count && !rc; i++) {
        for (unsigned t = 0; t < tries; t++) {
            char *pass = NULL;
            rc = asker->ask(asker->ctx, &s[i], i, t, &pass, e);
            if (rc)
                break;
            rc = share_open(&s[i], pass, e);
            asker->release(pass);
            if (rc != ERR_CRYPTO)
                break;
        }
    }
    if (!rc)
        rc = shares_join(s, count, expect_pk, out, e);
    for (size_t i = 0; i < count; i++)
        share_free(&s[i]);
    free(s);
    return rc;
}
