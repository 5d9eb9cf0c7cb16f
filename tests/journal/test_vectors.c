/* test_vectors — the journal test vector in tests/vectors/journal/: a package (the unit-test
 * fixture signed by the fixture authority), its authority key, and a small journal made from
 * fixed keys (kiosk seed 3, tally seed 2) with fixed times. Sealed boxes are random, so the
 * journal file itself is the vector: this test checks that it verifies, that its ballots open
 * with the tally key to the votes that were cast, and that the tracking codes are those listed
 * in tracking.txt. inspect.txt (the inspector's output) is compared by a separate test.
 *
 *   test_journal_vectors DIR            check the vector in DIR
 *   test_journal_vectors --generate DIR write a new one (then regenerate inspect.txt) */
#include "check.h"
#include "jtest.h"
#include "package.h"

#define NVOTES 4

struct ctx {
    const struct election *el;
    const struct secret_key *tally;
    unsigned n, bad;
    char codes[NVOTES + 1][TRACKING_TEXT_MAX];
};

static int each(void *vp, uint64_t seq, const uint8_t *ct, size_t n, const uint8_t hash[HASH_LEN])
{
    char tracking[TRACKING_TEXT_MAX];
    tracking_text(tracking, ct, n);
    struct ctx *c = vp;
    static struct vote got, want;
    struct err e;
    (void)seq;
    uint8_t h[HASH_LEN]; /* the hash the walk hands over is the ciphertext's */
    hash32(h, ct, n);
    c->bad += memcmp(h, hash, HASH_LEN) != 0;
    if (c->n >= NVOTES || sealed_open(ct, n, c->tally, c->el, &got, &e)) {
        c->bad++;
        return 0;
    }
    jt_vote(&want, c->n);
    for (unsigned b = 0; b < 2; b++)
        c->bad += got.ballots[b].def != want.ballots[b].def ||
                  got.ballots[b].entries[0].project != want.ballots[b].entries[0].project;
    snprintf(c->codes[c->n++], TRACKING_TEXT_MAX, "%s", tracking);
    return 0;
}

static int generate(const char *dir)
{
    struct election el;
    fixture_election(&el);
    struct secret_key *auth = fixture_key(KEY_AUTHORITY, 1), *k = fixture_key(KEY_KIOSK, 3);
    char p[512];
    uint8_t hash[HASH_LEN];
    struct err e;
    struct public_key pub;
    key_public(auth, &pub);
    snprintf(p, sizeof p, "%s/package.isoloir", dir);
    unlink(p);
    if (package_write(p, &el, auth, hash, &e))
        goto fail;
    snprintf(p, sizeof p, "%s/authority.pub", dir);
    unlink(p);
    if (key_save_public(p, &pub, &e))
        goto fail;
    snprintf(p, sizeof p, "%s/small.journal", dir);
    jt_remove(p);
    struct journal *j = NULL;
    static struct vote v;
    char code[TRACKING_TEXT_MAX], list[NVOTES * TRACKING_TEXT_MAX + 16] = "";
    const int64_t t0 = el.voting_start;
    if (journal_open(p, &el, hash, k, &j, &e) || journal_open_polls(j, t0, &e))
        goto fail;
    for (unsigned i = 0; i < NVOTES; i++) {
        if (i == 3 && (journal_pause(j, t0 + 3600, &e) || journal_resume(j, t0 + 4000, &e)))
            goto fail;
        jt_vote(&v, i);
        if (journal_cast(j, &v, NULL, code, &e))
            goto fail;
        size_t at = strlen(list);
        snprintf(list + at, sizeof list - at, "%s\n", code);
    }
    if (journal_record_event(j, JEVENT_EXPORT, "vector", t0 + 5000, &e) ||
        journal_close_polls(j, t0 + 6000, &e))
        goto fail;
    journal_close(j);
    snprintf(p, sizeof p, "%s/tracking.txt", dir);
    if (util_write_durable(p, list, strlen(list), 0644, &e))
        goto fail;
    key_free(auth);
    key_free(k);
    election_free(&el);
    return 0;
fail:
    fprintf(stderr, "generate: %s\n", e.msg);
    return 1;
}

static const char *DIR_;

static void test_vector(void)
{
    char p[512];
    struct err e;
    struct public_key pub;
    snprintf(p, sizeof p, "%s/authority.pub", DIR_);
    CHECK_INT(key_load_public(p, KEY_AUTHORITY, &pub, &e), 0);
    struct election el;
    uint8_t hash[HASH_LEN];
    snprintf(p, sizeof p, "%s/package.isoloir", DIR_);
    int rc = package_open(p, pub.pk, 0, &el, hash, &e);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", e.msg);
        return;
    }
    /* Work on a copy: opening a WAL database may write beside it. */
    char copy[128];
    snprintf(copy, sizeof copy, "vector-%d.journal", (int)getpid());
    snprintf(p, sizeof p, "%s/small.journal", DIR_);
    CHECK_INT(jt_copy(p, copy), 0);
    struct secret_key *tally = fixture_key(KEY_TALLY, 2);
    struct ctx c = {.el = &el, .tally = tally};
    struct journal_verify_opts o = {
        .ctx = &c, .ballot = each, .require_close = true, .expect_ballots = NVOTES};
    struct journal_summary s;
    rc = journal_verify(copy, &el, hash, &o, &s, &e);
    if (rc)
        fprintf(stderr, "%s\n", e.msg);
    CHECK_INT(rc, 0);
    CHECK_INT(c.n, NVOTES);
    CHECK_INT(c.bad, 0);
    CHECK_INT(s.rows, 10);
    CHECK_INT(s.state, JOURNAL_CLOSED);
    CHECK_INT(s.kiosk_index, 0);
    uint8_t *list = NULL;
    size_t n = 0;
    snprintf(p, sizeof p, "%s/tracking.txt", DIR_);
    CHECK_INT(util_read_file(p, 4096, &list, &n, &e), 0);
    char got[NVOTES * TRACKING_TEXT_MAX + 16] = "";
    for (unsigned i = 0; i < c.n; i++) {
        size_t at = strlen(got);
        snprintf(got + at, sizeof got - at, "%s\n", c.codes[i]);
    }
    CHECK_STR(got, (const char *)list);
    free(list);
    jt_remove(copy);
    key_free(tally);
    election_free(&el);
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    if (argc == 3 && strcmp(argv[1], "--generate") == 0)
        return generate(argv[2]);
    if (argc != 2) {
        fprintf(stderr, "usage: test_journal_vectors [--generate] DIR\n");
        return 2;
    }
    DIR_ = argv[1];
    RUN(test_vector);
    return check_done();
}
