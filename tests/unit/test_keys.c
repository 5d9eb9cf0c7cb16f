/* Key files: round trips for every kind, and every refusal a person may meet — wrong
 * passphrase, a file others can read, the wrong kind of key, an edited header or key, a
 * secret file given where a public one is expected, an existing file, a newer format. */
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "key.h"
#include "util.h"

static char dir[64];

static const char *tmp(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void edit_file(const char *path, const char *from, const char *to)
{
    uint8_t *d;
    size_t n;
    struct err e;
    if (util_read_file(path, 1 << 16, &d, &n, &e))
        return;
    char *at = strstr((char *)d, from);
    if (at) {
        size_t fl = strlen(from), tl = strlen(to);
        char out[8192];
        size_t pre = (size_t)(at - (char *)d);
        memcpy(out, d, pre);
        memcpy(out + pre, to, tl);
        memcpy(out + pre + tl, at + fl, n - pre - fl);
        unlink(path);
        util_write_durable(path, out, n - fl + tl, 0600, &e);
    }
    free(d);
}

static void test_roundtrip_every_kind(void)
{
    enum key_kind kinds[] = {KEY_AUTHORITY, KEY_TALLY, KEY_KIOSK};
    for (size_t i = 0; i < 3; i++) {
        struct err e = {0};
        struct secret_key *k, *back;
        CHECK_INT(key_generate(kinds[i], i == 1, &k, &e), 0);
        char name[32];
        snprintf(name, sizeof name, "k%zu.key", i);
        CHECK_INT(key_save_secret(tmp(name), k, "correct horse", KEY_COST_INTERACTIVE, &e), 0);
        struct stat st;
        CHECK_INT(stat(tmp(name), &st), 0);
        CHECK_INT(st.st_mode & 0777, 0600);
        CHECK_INT(key_load_secret(tmp(name), kinds[i], "correct horse", &back, &e), 0);
        CHECK(back && memcmp(back->pk, k->pk, 32) == 0);
        CHECK(back && back->sk_len == k->sk_len && memcmp(back->sk, k->sk, k->sk_len) == 0);
        CHECK(back && back->demo == (i == 1));
        struct public_key pub, pub2;
        key_public(k, &pub);
        snprintf(name, sizeof name, "k%zu.pub", i);
        CHECK_INT(key_save_public(tmp(name), &pub, &e), 0);
        CHECK_INT(key_load_public(tmp(name), kinds[i], &pub2, &e), 0);
        CHECK(memcmp(pub.pk, pub2.pk, 32) == 0 && pub2.demo == pub.demo);
        key_free(k);
        key_free(back);
    }
}

static void test_refusals(void)
{
    struct err e = {0};
    struct secret_key *k, *back = NULL;
    CHECK_INT(key_generate(KEY_AUTHORITY, false, &k, &e), 0);
    CHECK_INT(key_save_secret(tmp("a.key"), k, "pass phrase", KEY_COST_INTERACTIVE, &e), 0);

    /* an existing file is never overwritten */
    CHECK_INT(key_save_secret(tmp("a.key"), k, "x", KEY_COST_INTERACTIVE, &e), ERR_STATE);
    CHECK_HAS(e.msg, "already exists");

    CHECK_INT(key_load_secret(tmp("a.key"), KEY_AUTHORITY, "wrong", &back, &e), ERR_CRYPTO);
    CHECK_HAS(e.msg, "passphrase is wrong");
    CHECK(back == NULL);

    CHECK_INT(key_load_secret(tmp("a.key"), KEY_TALLY, "pass phrase", &back, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "authority key, but a tally key is needed");

    chmod(tmp("a.key"), 0644);
    CHECK_INT(key_load_secret(tmp("a.key"), KEY_AUTHORITY, "pass phrase", &back, &e), ERR_PERM);
    CHECK_HAS(e.msg, "chmod 600");
    chmod(tmp("a.key"), 0600);

    /* turning the key into a demo key (or back) by editing the header is detected */
    edit_file(tmp("a.key"), "demo: no", "demo: yes");
    CHECK_INT(key_load_secret(tmp("a.key"), KEY_AUTHORITY, "pass phrase", &back, &e), ERR_TAMPER);
    edit_file(tmp("a.key"), "demo: yes", "demo: no");
    CHECK_INT(key_load_secret(tmp("a.key"), KEY_AUTHORITY, "pass phrase", &back, &e), 0);
    key_free(back);
    back = NULL;

    /* a newer format */
    edit_file(tmp("a.key"), "isoloir-secret-key 1", "isoloir-secret-key 2");
    CHECK_INT(key_load_secret(tmp("a.key"), KEY_AUTHORITY, "pass phrase", &back, &e), ERR_VERSION);
    CHECK_HAS(e.msg, "newer");

    /* a secret file where a public key is expected */
    struct public_key pub;
    CHECK_INT(key_save_secret(tmp("b.key"), k, "p", KEY_COST_INTERACTIVE, &e), 0);
    CHECK_INT(key_load_public(tmp("b.key"), KEY_AUTHORITY, &pub, &e), ERR_USAGE);
    CHECK_HAS(e.msg, "SECRET");

    /* an edited public key no longer matches its fingerprint line */
    key_public(k, &pub);
    CHECK_INT(key_save_public(tmp("a.pub"), &pub, &e), 0);
    char hx[65];
    hex_encode(hx, pub.pk, 32);
    char edited[65];
    memcpy(edited, hx, 65);
    edited[0] = edited[0] == '0' ? '1' : '0';
    edit_file(tmp("a.pub"), hx, edited);
    CHECK_INT(key_load_public(tmp("a.pub"), KEY_AUTHORITY, &pub, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "fingerprint");

    CHECK(key_load_public(tmp("missing.pub"), KEY_AUTHORITY, &pub, &e) < 0);
    CHECK_HAS(e.msg, "missing.pub");
    key_free(k);
}

static void test_seed_is_deterministic(void)
{
    uint8_t seed[32] = {1, 2, 3};
    struct secret_key *a, *b;
    struct err e;
    CHECK_INT(key_from_seed(KEY_KIOSK, false, seed, &a, &e), 0);
    CHECK_INT(key_from_seed(KEY_KIOSK, false, seed, &b, &e), 0);
    CHECK(memcmp(a->pk, b->pk, 32) == 0);
    key_free(a);
    key_free(b);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    snprintf(dir, sizeof dir, "/tmp/isoloir-keys-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    RUN(test_roundtrip_every_kind);
    RUN(test_refusals);
    RUN(test_seed_is_deterministic);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
