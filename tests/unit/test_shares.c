/* Trustee shares of the tally key (core/shares): a 3-of-5 split where every 3 shares open
 * sealed ballots and every 2 are refused with a message that says how many are missing; and
 * every share a joiner may be handed by mistake or on purpose is named: a damaged file, an
 * edited header, a sealed value moved from another file, a value that is not the committed
 * one, the same share twice, a share of another key or of another split of the same key, a
 * wrong passphrase, a file others can read. The joined key is also checked against a naive
 * Lagrange interpolation over GF(2^8) written here, so the documented format is the one
 * libgfshare produces. */
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "crypto.h"
#include "key.h"
#include "shares.h"
#include "util.h"

#define N 5
#define K 3

static char dir[64];
static struct secret_key *key; /* the split key */
static char paths[N][256];     /* its shares */
static const char *pass[N] = {"ada lovelace", "bob the builder", "carla bruni", "dirk bouts",
                              "eva smits"};
static const char *names[N] = {"Ada", "Bob", "Carla", "Dirk", "Eva"};

/* A path in the scratch folder; the last 16 stay valid, so a test can list several. */
static const char *tmp(const char *name)
{
    static char path[16][256];
    static unsigned next;
    char *p = path[next++ % 16];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

/* ---- an asker that answers from a table: passes[x - 1] for share x ---------------------- */

struct table {
    const char *const *passes;
    const char *first_wrong; /* if set, given once before the right passphrase */
    unsigned asked;
};

static int ask_table(void *ctx, const struct share *s, size_t i, unsigned retry, char **out,
                     struct err *e)
{
    (void)i;
    struct table *t = ctx;
    const char *p = t->first_wrong && retry == 0 ? t->first_wrong : t->passes[s->x - 1];
    t->asked++;
    *out = sodium_malloc(strlen(p) + 1);
    if (!*out)
        return err_set(e, ERR_NOMEM, "no memory");
    memcpy(*out, p, strlen(p) + 1);
    return 0;
}

static void release(char *p)
{
    sodium_free(p);
}

static int load(const char *const *files, size_t count, const uint8_t *expect,
                const char *const *passes, struct secret_key **out, struct err *e)
{
    struct table t = {.passes = passes};
    struct share_asker a = {.ask = ask_table, .release = release, .ctx = &t, .tries = 1};
    return shares_load(files, count, expect, &a, out, e);
}

/* A sealed ballot opens with the key. */
static bool opens_ballot(const struct secret_key *k)
{
    const char msg[] = "ballot: P01 P07";
    uint8_t c[sizeof msg + crypto_box_SEALBYTES], m[sizeof msg];
    crypto_box_seal(c, (const uint8_t *)msg, sizeof msg, key->pk);
    return crypto_box_seal_open(m, c, sizeof c, k->pk, k->sk) == 0 &&
           memcmp(m, msg, sizeof msg) == 0;
}

/* ---- file surgery --------------------------------------------------------------------- */

static char *slurp(const char *path, size_t *n)
{
    uint8_t *d;
    struct err e;
    if (util_read_file(path, 1 << 16, &d, n, &e))
        return NULL;
    return (char *)d;
}

/* Writes text to path (mode 0600), with a fresh checksum line if `resum` (as an attacker who
 * knows the format would). */
static void put(const char *path, char *text, size_t n, bool resum)
{
    struct err e;
    char *ck = strstr(text, "\nchecksum: ");
    if (resum && ck) {
        uint8_t h[32];
        hash32(h, text, (size_t)(ck + 1 - text));
        hex_encode(ck + 11, h, 32);
        ck[11 + 64] = '\n';
    }
    unlink(path);
    util_write_durable(path, text, n, 0600, &e);
}

/* The value of "name: " in text (pointer into text) and its length. */
static char *field(char *text, const char *name, size_t *len)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s: ", name);
    char *at = strstr(text, pat);
    if (!at)
        return NULL;
    at += strlen(pat);
    *len = strcspn(at, "\n");
    return at;
}

static void copy_file(const char *from, const char *to, bool resum)
{
    size_t n;
    char *t = slurp(from, &n);
    if (t)
        put(to, t, n, resum);
    free(t);
}

/* ---- the tests ------------------------------------------------------------------------ */

static void make_split(void)
{
    struct err e = {0};
    CHECK_INT(key_generate(KEY_TALLY, false, &key, &e), 0);
    const char *p[N];
    for (int i = 0; i < N; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/t-%d.share", dir, i + 1);
        p[i] = paths[i];
    }
    uint8_t set[SHARE_SET_LEN];
    CHECK_INT(shares_split(key, K, N, p, pass, names, KEY_COST_INTERACTIVE, set, &e), 0);
    struct stat st;
    for (int i = 0; i < N; i++) {
        CHECK_INT(stat(paths[i], &st), 0);
        CHECK_INT(st.st_mode & 0777, 0600);
        struct share s;
        CHECK_INT(share_read(paths[i], &s, &e), 0);
        CHECK_INT(s.x, i + 1);
        CHECK_INT(s.k, K);
        CHECK_INT(s.n, N);
        CHECK_STR(s.trustee, names[i]);
        CHECK(memcmp(s.pk, key->pk, 32) == 0);
        CHECK(memcmp(s.set, set, SHARE_SET_LEN) == 0);
        share_free(&s);
    }
    /* no file holds the key or a share in clear */
    char hx[65];
    hex_encode(hx, key->sk, 32);
    for (int i = 0; i < N; i++) {
        size_t n;
        char *t = slurp(paths[i], &n);
        CHECK(t && !strstr(t, hx));
        free(t);
    }
}

/* Every 3 of the 5 shares open ballots; every 2 are refused, saying one more is needed. */
static void test_every_subset(void)
{
    int joined = 0, refused = 0;
    for (int a = 0; a < N; a++)
        for (int b = a + 1; b < N; b++) {
            struct err e = {0};
            struct secret_key *k = NULL;
            const char *two[2] = {paths[a], paths[b]};
            CHECK_INT(load(two, 2, key->pk, pass, &k, &e), ERR_INVALID);
            CHECK(k == NULL);
            CHECK_HAS(e.msg, "split 3 of 5");
            CHECK_HAS(e.msg, "1 more needed");
            CHECK_HAS(e.msg, names[a]);
            CHECK_HAS(e.msg, names[b]);
            refused++;
            for (int c = b + 1; c < N; c++) {
                const char *three[3] = {paths[a], paths[c], paths[b]}; /* any order */
                CHECK_INT(load(three, 3, key->pk, pass, &k, &e), 0);
                CHECK(k && memcmp(k->sk, key->sk, 32) == 0);
                CHECK(k && memcmp(k->pk, key->pk, 32) == 0);
                CHECK(k && opens_ballot(k));
                key_free(k);
                k = NULL;
                joined++;
            }
        }
    CHECK_INT(joined, 10);
    CHECK_INT(refused, 10);
    /* all five together join too; one alone is refused */
    struct err e = {0};
    struct secret_key *k = NULL;
    const char *all[N] = {paths[4], paths[3], paths[2], paths[1], paths[0]};
    CHECK_INT(load(all, N, key->pk, pass, &k, &e), 0);
    CHECK(k && opens_ballot(k));
    key_free(k);
    CHECK_INT(load(all, 1, key->pk, pass, &k, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "2 more needed");
}

/* GF(2^8) with x^8+x^4+x^3+x^2+1, the field docs/keys.md names. */
static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    while (b) {
        if (b & 1)
            r ^= a;
        a = (uint8_t)((a << 1) ^ (a & 0x80 ? 0x1d : 0));
        b >>= 1;
    }
    return r;
}

static uint8_t gf_inv(uint8_t a)
{
    for (int b = 1; b < 256; b++)
        if (gf_mul(a, (uint8_t)b) == 1)
            return (uint8_t)b;
    return 0;
}

/* The share values, read as the documentation says, interpolate to the key at 0. */
static void test_format_is_shamir_over_gf256(void)
{
    struct share s[K];
    struct err e = {0};
    int pick[K] = {1, 3, 4};
    for (int i = 0; i < K; i++) {
        CHECK_INT(share_read(paths[pick[i]], &s[i], &e), 0);
        CHECK_INT(share_open(&s[i], pass[pick[i]], &e), 0);
    }
    uint8_t secret[32] = {0};
    for (int i = 0; i < K; i++) {
        uint8_t l = 1; /* Lagrange basis at 0: prod x_j / (x_j - x_i), minus is xor */
        for (int j = 0; j < K; j++)
            if (j != i)
                l = gf_mul(l, gf_mul(s[j].x, gf_inv((uint8_t)(s[j].x ^ s[i].x))));
        for (int b = 0; b < 32; b++)
            secret[b] ^= gf_mul(l, s[i].value[b]);
    }
    CHECK(memcmp(secret, key->sk, 32) == 0);
    /* and each value is the one its commitment names (one commitment per share, in order) */
    for (int i = 0; i < K; i++) {
        CHECK(s[i].commit && s[i].n == N);
        share_free(&s[i]);
    }
}

static void test_wrong_passphrase_names_the_share(void)
{
    struct err e = {0};
    struct secret_key *k = NULL;
    const char *wrong[N] = {pass[0], "not bob", pass[2], pass[3], pass[4]};
    const char *three[3] = {paths[0], paths[1], paths[2]};
    CHECK_INT(load(three, 3, key->pk, wrong, &k, &e), ERR_CRYPTO);
    CHECK(k == NULL);
    CHECK_HAS(e.msg, "passphrase is wrong");
    CHECK_HAS(e.msg, "share 2 of 5 (Bob, t-2.share)");
    /* a second try is allowed when the asker offers one */
    struct table t = {.passes = pass, .first_wrong = "typo"};
    struct share_asker a = {.ask = ask_table, .release = release, .ctx = &t, .tries = 2};
    CHECK_INT(shares_load(three, 3, key->pk, &a, &k, &e), 0);
    CHECK_INT(t.asked, 6);
    key_free(k);
}

static void test_damaged_and_altered_are_named(void)
{
    struct err e = {0};
    struct secret_key *k = NULL;
    size_t n, len;
    /* one changed character anywhere: the checksum names it before any passphrase */
    char *t = slurp(paths[2], &n);
    char *v = field(t, "sealed", &len);
    v[10] = v[10] == 'a' ? 'b' : 'a';
    put(tmp("damaged.share"), t, n, false);
    free(t);
    const char *three[3] = {paths[0], paths[1], tmp("damaged.share")};
    struct table tb = {.passes = pass};
    struct share_asker a = {.ask = ask_table, .release = release, .ctx = &tb, .tries = 1};
    CHECK_INT(shares_load(three, 3, key->pk, &a, &k, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "damaged.share is damaged");
    CHECK_INT(tb.asked, 0);
    /* cut short */
    t = slurp(paths[2], &n);
    put(tmp("short.share"), t, n / 2, false);
    free(t);
    three[2] = tmp("short.share");
    CHECK_INT(load(three, 3, key->pk, pass, &k, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "short.share is damaged");

    /* the share number edited (checksum made again): the sealed header disagrees */
    t = slurp(paths[2], &n);
    v = field(t, "share", &len);
    *v = '4';
    put(tmp("renumbered.share"), t, n, true);
    free(t);
    const char *three2[3] = {paths[0], paths[1], tmp("renumbered.share")};
    const char *as4[N] = {pass[0], pass[1], pass[2], pass[2], pass[4]};
    CHECK_INT(load(three2, 3, key->pk, as4, &k, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "share 4 of 5 (Carla, renumbered.share) was altered");

    /* the whole sealed block of share 3 moved into share 4's file: opens with share 3's
     * passphrase, but it seals share 3 */
    char *from = slurp(paths[2], &n);
    size_t m;
    char *to = slurp(paths[3], &m);
    const char *block[] = {"salt", "nonce", "passcheck", "sealed"};
    for (size_t i = 0; i < 4; i++) {
        size_t l1 = 0, l2 = 0;
        char *src = field(from, block[i], &l1), *dst = field(to, block[i], &l2);
        CHECK_INT(l1, l2);
        memcpy(dst, src, l1);
    }
    put(tmp("swapped.share"), to, m, true);
    free(from);
    free(to);
    const char *three3[3] = {paths[0], paths[1], tmp("swapped.share")};
    const char *carla_as4[N] = {pass[0], pass[1], pass[2], pass[2], pass[4]};
    CHECK_INT(load(three3, 3, key->pk, carla_as4, &k, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "share 4 of 5 (Dirk, swapped.share) was altered");

    /* a value re-sealed by its trustee: the passphrase and the header are right, the value
     * is not the one committed at the split */
    t = slurp(paths[1], &n);
    struct share s;
    CHECK_INT(share_read(paths[1], &s, &e), 0);
    uint8_t *fkey = sodium_malloc(32), plain[128], sealed[128];
    CHECK_INT(key_passphrase_derive(fkey, pass[1], s.salt, s.ops, s.mem, &e), 0);
    CHECK_INT(crypto_secretbox_open_easy(plain, s.sealed, s.sealed_len, s.nonce, fkey), 0);
    size_t plen = s.sealed_len - crypto_secretbox_MACBYTES;
    plain[plen - 1] ^= 1;
    crypto_secretbox_easy(sealed, plain, plen, s.nonce, fkey);
    v = field(t, "sealed", &len);
    hex_encode(v, sealed, s.sealed_len);
    v[len] = '\n';
    put(tmp("resealed.share"), t, n, true);
    sodium_free(fkey);
    share_free(&s);
    free(t);
    const char *three4[3] = {paths[0], tmp("resealed.share"), paths[2]};
    CHECK_INT(load(three4, 3, key->pk, pass, &k, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "share 2 of 5 (Bob, resealed.share) holds a value that is not the one "
                     "committed");

    /* a header field edited without a new checksum */
    t = slurp(paths[0], &n);
    v = field(t, "threshold", &len);
    *v = '2';
    put(tmp("k2.share"), t, n, false);
    free(t);
    struct share s2;
    CHECK_INT(share_read(tmp("k2.share"), &s2, &e), ERR_TAMPER);
    share_free(&s2);
    /* ... and with one: the split id no longer matches */
    t = slurp(paths[0], &n);
    v = field(t, "threshold", &len);
    *v = '2';
    put(tmp("k2b.share"), t, n, true);
    free(t);
    CHECK_INT(share_read(tmp("k2b.share"), &s2, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "split id does not match");
    share_free(&s2);
}

static void test_duplicates_foreign_and_other_splits(void)
{
    struct err e = {0};
    struct secret_key *k = NULL;
    /* the same file twice, or a copy of it */
    const char *dup[3] = {paths[0], paths[1], paths[1]};
    CHECK_INT(load(dup, 3, key->pk, pass, &k, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "share 2 of 5 (Bob, t-2.share) and share 2 of 5 (Bob, t-2.share) are the "
                     "same share");
    copy_file(paths[1], tmp("bob-copy.share"), false);
    const char *dup2[4] = {paths[0], paths[1], tmp("bob-copy.share"), paths[2]};
    CHECK_INT(load(dup2, 4, key->pk, pass, &k, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "bob-copy.share) are the same share, given twice");

    /* a share of another key */
    struct secret_key *other;
    CHECK_INT(key_generate(KEY_TALLY, false, &other, &e), 0);
    const char *op[N] = {tmp("o-1.share"), tmp("o-2.share"), tmp("o-3.share"), tmp("o-4.share"),
                         tmp("o-5.share")};
    CHECK_INT(shares_split(other, K, N, op, pass, NULL, KEY_COST_INTERACTIVE, NULL, &e), 0);
    const char *foreign[3] = {paths[0], op[1], paths[2]};
    CHECK_INT(load(foreign, 3, key->pk, pass, &k, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "share 2 of 5 (o-2.share) is a share of another tally key");
    char fpr[FPR_TEXT_LEN + 1];
    fingerprint(fpr, key->pk, 32);
    CHECK_HAS(e.msg, fpr);
    /* without an expected key, two keys are still told apart */
    CHECK_INT(load(foreign, 3, NULL, pass, &k, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "are shares of different keys");
    /* three shares of the other key join into the other key, which is not this election's */
    const char *theirs[3] = {op[0], op[1], op[2]};
    CHECK_INT(load(theirs, 3, key->pk, pass, &k, &e), ERR_INVALID);
    CHECK_INT(load(theirs, 3, NULL, pass, &k, &e), 0);
    CHECK(k && memcmp(k->pk, other->pk, 32) == 0);
    key_free(k);
    key_free(other);

    /* a second split of the same key (a re-share): its shares do not mix with the first */
    const char *rp[4] = {tmp("r-1.share"), tmp("r-2.share"), tmp("r-3.share"), tmp("r-4.share")};
    CHECK_INT(shares_split(key, 2, 4, rp, pass, NULL, KEY_COST_INTERACTIVE, NULL, &e), 0);
    const char *mixed[3] = {paths[0], paths[1], rp[2]};
    CHECK_INT(load(mixed, 3, key->pk, pass, &k, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "two different splits of the same key");
    const char *two_new[2] = {rp[3], rp[0]};
    CHECK_INT(load(two_new, 2, key->pk, pass, &k, &e), 0);
    CHECK(k && opens_ballot(k));
    key_free(k);
}

static void test_refusals(void)
{
    struct err e = {0};
    struct share s;
    /* readable by others */
    copy_file(paths[0], tmp("open.share"), false);
    chmod(tmp("open.share"), 0644);
    CHECK_INT(share_read(tmp("open.share"), &s, &e), ERR_PERM);
    CHECK_HAS(e.msg, "chmod 600");
    /* not a share */
    CHECK_INT(key_save_secret(tmp("whole.key"), key, "whole key pass", KEY_COST_INTERACTIVE, &e),
              0);
    CHECK_INT(share_read(tmp("whole.key"), &s, &e), ERR_USAGE);
    CHECK_HAS(e.msg, "whole secret key file");
    char junk[] = "isoloir-key-share 2\nkind: tally\n";
    put(tmp("newer.share"), junk, strlen(junk), false);
    CHECK_INT(share_read(tmp("newer.share"), &s, &e), ERR_VERSION);
    /* bad splits, existing files, other kinds */
    const char *p[3] = {tmp("x-1"), tmp("x-2"), tmp("x-3")};
    CHECK_INT(shares_split(key, 1, 3, p, pass, NULL, KEY_COST_INTERACTIVE, NULL, &e), ERR_USAGE);
    CHECK_INT(shares_split(key, 4, 3, p, pass, NULL, KEY_COST_INTERACTIVE, NULL, &e), ERR_USAGE);
    const char *clash[3] = {tmp("x-1"), paths[0], tmp("x-3")};
    CHECK_INT(shares_split(key, 2, 3, clash, pass, NULL, KEY_COST_INTERACTIVE, NULL, &e),
              ERR_STATE);
    CHECK(access(tmp("x-1"), F_OK) != 0); /* nothing written */
    struct secret_key *auth;
    CHECK_INT(key_generate(KEY_AUTHORITY, false, &auth, &e), 0);
    CHECK_INT(shares_split(auth, 2, 3, p, pass, NULL, KEY_COST_INTERACTIVE, NULL, &e), ERR_USAGE);
    key_free(auth);
    /* share_parse never reads past what it is given, whatever the bytes */
    size_t n;
    char *t = slurp(paths[0], &n);
    for (size_t cut = 0; cut < n; cut += 7) {
        CHECK(share_parse("cut", t, cut, &s, &e) != 0);
        share_free(&s);
    }
    CHECK_INT(share_parse("whole", t, n, &s, &e), 0);
    share_free(&s);
    free(t);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    snprintf(dir, sizeof dir, "/tmp/isoloir-shares-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    RUN(make_split);
    RUN(test_every_subset);
    RUN(test_format_is_shamir_over_gf256);
    RUN(test_wrong_passphrase_names_the_share);
    RUN(test_damaged_and_altered_are_named);
    RUN(test_duplicates_foreign_and_other_splits);
    RUN(test_refusals);
    key_free(key);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
