/* test_official — the official PIN: every transition (free tries, growing waits, lockout,
 * supervisor unlock, new package), reboots between and during attempts, a damaged state
 * file, a clock set back, and a state file that cannot be written. A fake clock makes time
 * pass; nothing sleeps. The officials are the fixture's (core/officials.h), whose verifiers use
 * libsodium's minimum Argon2id cost to stay fast. */
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "official.h"
#include "util.h"

struct fake_clock {
    int64_t t;
    int calls;
    int snapshot_at; /* on this call, copy the state file to `snapshot` (power cut) */
    const char *state, *snapshot;
};

static int64_t fake_now(void *ctx)
{
    struct fake_clock *c = ctx;
    if (++c->calls == c->snapshot_at) {
        uint8_t *d;
        size_t n;
        struct err e;
        if (util_read_file(c->state, 4096, &d, &n, &e) == 0) {
            util_write_durable(c->snapshot, d, n, 0600, &e);
            free(d);
        }
    }
    return c->t;
}

struct env {
    char dir[64], state[128], snapshot[128];
    struct election el;
    struct officials list; /* the fixture's, as kiosk 1 opens it */
    uint8_t pkg[HASH_LEN];
    struct fake_clock clk;
    struct official_clock clock;
};

static void env_setup(struct env *v)
{
    memset(v, 0, sizeof *v);
    snprintf(v->dir, sizeof v->dir, "/tmp/isoloir-official-XXXXXX");
    if (!mkdtemp(v->dir))
        abort();
    snprintf(v->state, sizeof v->state, "%s/official.state", v->dir);
    snprintf(v->snapshot, sizeof v->snapshot, "%s/snapshot.state", v->dir);
    fixture_election(&v->el);
    fixture_officials(&v->list, v->el.kiosk_pks[0]);
    memset(v->pkg, 0xA5, sizeof v->pkg);
    v->clk.t = 1796025600;
    v->clk.state = v->state;
    v->clk.snapshot = v->snapshot;
    v->clock = (struct official_clock){fake_now, &v->clk};
}

static void env_free(struct env *v)
{
    unlink(v->state);
    unlink(v->snapshot);
    rmdir(v->dir);
    election_free(&v->el);
}

static struct official *open_ok(struct env *v, const char *path)
{
    struct official *o = NULL;
    struct err e = {0};
    int rc = official_open(path, &v->list, v->pkg, &v->clock, &o, &e);
    if (rc)
        fprintf(stderr, "official_open: %s\n", e.msg);
    CHECK_INT(rc, 0);
    return o;
}

static struct official_result try_pin(struct official *o, const char *pin)
{
    struct official_result r;
    struct err e = {0};
    int rc = official_try(o, pin, &r, &e);
    if (rc)
        fprintf(stderr, "official_try: %s\n", e.msg);
    CHECK_INT(rc, 0);
    return r;
}

static struct official_result try_sup(struct official *o, const char *pin)
{
    struct official_result r;
    struct err e = {0};
    CHECK_INT(official_supervisor_unlock(o, pin, &r, &e), 0);
    return r;
}

static void test_delays(void)
{
    static const int64_t want[] = {0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600};
    for (unsigned f = 0; f < ARRAY_LEN(want); f++)
        CHECK_INT(official_delay(f), want[f]);
    CHECK_INT(official_delay(1000), OFFICIAL_MAX_DELAY);
    CHECK_INT(official_delay(UINT32_MAX), OFFICIAL_MAX_DELAY);
}

static void test_right_pin(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = open_ok(&v, v.state);
    struct official_result r = try_pin(o, "482915");
    CHECK(r.ok && r.checked && !r.locked && !r.damaged);
    CHECK_INT(r.failures, 0);
    CHECK_INT(r.wait_seconds, 0);
    CHECK_INT(r.tries_left, OFFICIAL_LOCK_AFTER);
    CHECK_INT(r.who, 0);
    CHECK_STR(official_name(o, r.who), FIXTURE_OFFICIAL_NAME);
    /* each official has their own PIN, up to 16 digits, and is named by it */
    r = try_pin(o, FIXTURE_OFFICIAL2_PIN);
    CHECK(r.ok);
    CHECK_STR(official_name(o, r.who), FIXTURE_OFFICIAL2_NAME);
    /* a supervisor is an official too: their PIN opens the menu while nothing is locked */
    r = try_pin(o, FIXTURE_SUPERVISOR_PIN);
    CHECK(r.ok);
    CHECK_STR(official_name(o, r.who), FIXTURE_SUPERVISOR_NAME);
    CHECK_STR(official_name(o, -1), "");
    CHECK_STR(official_name(o, 3), "");
    /* a PIN one digit off, or one digit longer, is wrong */
    r = try_pin(o, "1234567890123457");
    CHECK(!r.ok && r.checked);
    CHECK_INT(r.who, -1);
    CHECK_INT(r.failures, 1);
    r = try_pin(o, FIXTURE_OFFICIAL2_PIN "7");
    CHECK(!r.ok && r.checked);
    CHECK_INT(r.failures, 2);
    struct stat st;
    CHECK_INT(stat(v.state, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    official_close(o);
    env_free(&v);
}

static void test_waits_grow_and_reset(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = open_ok(&v, v.state);
    struct official_result r;
    for (unsigned i = 1; i <= 3; i++) {
        r = try_pin(o, "000000");
        CHECK(r.checked && !r.ok);
        CHECK_INT(r.failures, i);
        CHECK_INT(r.wait_seconds, i < 3 ? 0 : 30);
        CHECK_INT(r.tries_left, OFFICIAL_LOCK_AFTER - i);
    }
    /* while waiting, even the right PIN is not checked and costs nothing */
    v.clk.t += 29;
    r = try_pin(o, "482915");
    CHECK(!r.checked && !r.ok);
    CHECK_INT(r.wait_seconds, 1);
    CHECK_INT(r.failures, 3);
    official_status(o, OFFICIAL_PIN, &r);
    CHECK_INT(r.wait_seconds, 1);
    v.clk.t += 1;
    official_status(o, OFFICIAL_PIN, &r);
    CHECK_INT(r.wait_seconds, 0);
    r = try_pin(o, "111111");
    CHECK(r.checked && !r.ok);
    CHECK_INT(r.failures, 4);
    CHECK_INT(r.wait_seconds, 60);
    v.clk.t += 60;
    r = try_pin(o, "482915");
    CHECK(r.checked && r.ok);
    CHECK_INT(r.failures, 0);
    CHECK_INT(r.wait_seconds, 0);
    /* the count starts again from zero */
    r = try_pin(o, "000000");
    CHECK_INT(r.failures, 1);
    CHECK_INT(r.wait_seconds, 0);
    official_close(o);
    env_free(&v);
}

/* Wrong PINs until the lockout, walking through every wait. */
static void fail_until_locked(struct env *v, struct official *o)
{
    struct official_result r;
    for (unsigned i = 1; i <= OFFICIAL_LOCK_AFTER; i++) {
        official_status(o, OFFICIAL_PIN, &r);
        v->clk.t += r.wait_seconds;
        r = try_pin(o, "999999");
        CHECK(r.checked && !r.ok);
        CHECK_INT(r.failures, i);
        CHECK(r.locked == (i == OFFICIAL_LOCK_AFTER));
    }
}

static void test_lockout_and_supervisor(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = open_ok(&v, v.state);
    fail_until_locked(&v, o);
    struct official_result r;
    official_status(o, OFFICIAL_PIN, &r);
    CHECK(r.locked);
    CHECK_INT(r.tries_left, 0);
    /* time does not lift a lockout, nor does the right PIN */
    v.clk.t += 30 * 86400;
    r = try_pin(o, "482915");
    CHECK(r.locked && !r.checked && !r.ok);
    /* a reboot does not lift it either */
    official_close(o);
    o = open_ok(&v, v.state);
    official_status(o, OFFICIAL_PIN, &r);
    CHECK(r.locked);
    CHECK_INT(r.failures, OFFICIAL_LOCK_AFTER);
    /* a wrong supervisor PIN leaves it locked */
    r = try_sup(o, "482915");
    CHECK(r.checked && !r.ok && r.locked);
    CHECK_INT(r.failures, 1);
    /* the right one lifts it and clears both counts */
    r = try_sup(o, "77031964");
    CHECK(r.checked && r.ok && !r.locked);
    CHECK_INT(r.failures, 0);
    official_status(o, OFFICIAL_PIN, &r);
    CHECK(!r.locked);
    CHECK_INT(r.failures, 0);
    CHECK_INT(r.tries_left, OFFICIAL_LOCK_AFTER);
    official_close(o);
    o = open_ok(&v, v.state); /* and that survives a reboot */
    r = try_pin(o, "482915");
    CHECK(r.ok);
    official_close(o);
    env_free(&v);
}

static void test_supervisor_throttled_never_locked(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = open_ok(&v, v.state);
    struct official_result r;
    for (unsigned i = 1; i <= 12; i++) {
        official_status(o, OFFICIAL_SUPERVISOR, &r);
        CHECK_INT(r.wait_seconds, official_delay(i - 1));
        v.clk.t += r.wait_seconds;
        r = try_sup(o, "00000000");
        CHECK(r.checked && !r.ok && !r.locked);
        CHECK_INT(r.failures, i);
        CHECK_INT(r.wait_seconds, official_delay(i));
    }
    /* waiting: not checked */
    r = try_sup(o, "77031964");
    CHECK(!r.checked && !r.ok);
    /* supervisor failures do not touch the official count */
    official_status(o, OFFICIAL_PIN, &r);
    CHECK_INT(r.failures, 0);
    v.clk.t += OFFICIAL_MAX_DELAY;
    r = try_sup(o, "77031964");
    CHECK(r.ok);
    official_close(o);
    env_free(&v);
}

static void test_reboot_between_attempts(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = open_ok(&v, v.state);
    struct official_result r;
    for (int i = 0; i < 4; i++) {
        official_status(o, OFFICIAL_PIN, &r);
        v.clk.t += r.wait_seconds;
        try_pin(o, "123123");
    }
    official_close(o);
    v.clk.t += 20; /* 40 of the 60 seconds left */
    o = open_ok(&v, v.state);
    official_status(o, OFFICIAL_PIN, &r);
    CHECK_INT(r.failures, 4);
    CHECK_INT(r.wait_seconds, 40);
    CHECK_INT(r.tries_left, OFFICIAL_LOCK_AFTER - 4);
    r = try_pin(o, "482915");
    CHECK(!r.checked);
    official_close(o);
    env_free(&v);
}

/* Power cut while the PIN is being checked: the copy of the state file taken then (the
 * clock's second call in an attempt happens after the check) already counts the attempt,
 * even when the PIN was right. */
static void test_power_cut_during_check(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = open_ok(&v, v.state);
    for (int round = 0; round < 2; round++) {
        const char *pin = round == 0 ? "482915" : "555555";
        v.clk.calls = 0;
        v.clk.snapshot_at = 2;
        struct official_result r = try_pin(o, pin);
        CHECK(r.checked && r.ok == (round == 0));
        struct official *after = open_ok(&v, v.snapshot);
        official_status(after, OFFICIAL_PIN, &r);
        CHECK_INT(r.failures, 1);
        official_close(after);
    }
    /* at the eighth failure the lock is on disk before the answer */
    struct official_result r;
    for (int i = 0; i < 5; i++) {
        official_status(o, OFFICIAL_PIN, &r);
        v.clk.t += r.wait_seconds;
        try_pin(o, "000000");
    }
    official_status(o, OFFICIAL_PIN, &r);
    CHECK_INT(r.failures, 6);
    v.clk.t += r.wait_seconds;
    try_pin(o, "000000");
    official_status(o, OFFICIAL_PIN, &r);
    v.clk.t += r.wait_seconds;
    v.clk.calls = 0;
    v.clk.snapshot_at = 2;
    r = try_pin(o, "482915"); /* the eighth attempt, right: no lockout */
    CHECK(r.ok && !r.locked);
    struct official *after = open_ok(&v, v.snapshot);
    official_status(after, OFFICIAL_PIN, &r);
    CHECK(r.locked);
    official_close(after);
    official_close(o);
    env_free(&v);
}

static void test_new_package_lifts_lockout(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = open_ok(&v, v.state);
    fail_until_locked(&v, o);
    official_close(o);
    uint8_t old[HASH_LEN];
    memcpy(old, v.pkg, HASH_LEN);
    v.pkg[0] ^= 1;
    o = open_ok(&v, v.state);
    struct official_result r;
    official_status(o, OFFICIAL_PIN, &r);
    CHECK(!r.locked);
    CHECK_INT(r.failures, 0);
    r = try_pin(o, "482915");
    CHECK(r.ok);
    official_close(o);
    /* going back to the old package does not bring the old lockout back: the file now
     * belongs to the new one */
    memcpy(v.pkg, old, HASH_LEN);
    o = open_ok(&v, v.state);
    official_status(o, OFFICIAL_PIN, &r);
    CHECK(!r.locked);
    official_close(o);
    env_free(&v);
}

static void write_file(const char *path, const void *d, size_t n)
{
    struct err e;
    CHECK_INT(util_write_durable(path, d, n, 0600, &e), 0);
}

static void test_damaged_state_locks(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = open_ok(&v, v.state);
    try_pin(o, "000000");
    official_close(o);
    uint8_t *d;
    size_t n;
    struct err e;
    CHECK_INT(util_read_file(v.state, 4096, &d, &n, &e), 0);
    int refused = 0;
    /* every changed byte is caught: by the syntax, by the re-rendering or by the checksum */
    for (size_t i = 0; i < n; i++) {
        d[i] ^= 0x04;
        write_file(v.state, d, n);
        d[i] ^= 0x04;
        o = open_ok(&v, v.state);
        struct official_result r;
        official_status(o, OFFICIAL_PIN, &r);
        if (r.damaged && r.locked)
            refused++;
        official_close(o);
    }
    CHECK_INT(refused, (long long)n);
    /* truncated, empty, too big */
    size_t cut[] = {n - 1, n / 2, 0};
    for (size_t k = 0; k < ARRAY_LEN(cut); k++) {
        write_file(v.state, d, cut[k]);
        o = open_ok(&v, v.state);
        struct official_result r;
        official_status(o, OFFICIAL_PIN, &r);
        CHECK(r.damaged && r.locked);
        official_close(o);
    }
    char big[5000];
    memset(big, 'x', sizeof big);
    write_file(v.state, big, sizeof big);
    o = open_ok(&v, v.state);
    struct official_result r = try_pin(o, "482915");
    CHECK(r.damaged && r.locked && !r.checked);
    r = try_sup(o, "77031964");
    CHECK(r.ok && !r.locked && !r.damaged);
    r = try_pin(o, "482915");
    CHECK(r.ok);
    official_close(o);
    /* the untouched file still reads */
    write_file(v.state, d, n);
    o = open_ok(&v, v.state);
    official_status(o, OFFICIAL_PIN, &r);
    CHECK(!r.damaged && !r.locked);
    CHECK_INT(r.failures, 1);
    official_close(o);
    free(d);
    env_free(&v);
}

static void test_clock_set_back(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = open_ok(&v, v.state);
    for (int i = 0; i < 3; i++)
        try_pin(o, "000000");
    struct official_result r;
    official_status(o, OFFICIAL_PIN, &r);
    CHECK_INT(r.wait_seconds, 30);
    v.clk.t -= 100000; /* the real-time clock lost its time: the wait restarts, whole */
    official_status(o, OFFICIAL_PIN, &r);
    CHECK_INT(r.wait_seconds, 30);
    r = try_pin(o, "482915");
    CHECK(!r.checked);
    CHECK_INT(r.wait_seconds, 30);
    v.clk.t += 10;
    official_status(o, OFFICIAL_PIN, &r);
    CHECK_INT(r.wait_seconds, 20);
    v.clk.t += 20;
    r = try_pin(o, "482915");
    CHECK(r.ok);
    official_close(o);
    env_free(&v);
}

static void test_unwritable_state(void)
{
    struct env v;
    env_setup(&v);
    char path[256];
    snprintf(path, sizeof path, "%s/missing-dir/official.state", v.dir);
    struct official *o = open_ok(&v, path);
    struct official_result r;
    struct err e = {0};
    for (int i = 1; i <= 3; i++) {
        int rc = official_try(o, "000000", &r, &e);
        CHECK_INT(rc, ERR_NOTFOUND); /* the directory is missing */
        CHECK_HAS(e.msg, "cannot record the PIN attempt");
        CHECK(r.checked && !r.ok);
        CHECK_INT(r.failures, i);
    }
    CHECK_INT(r.wait_seconds, 30); /* counted in memory all the same */
    v.clk.t += 30;
    CHECK_INT(official_try(o, "482915", &r, &e), ERR_NOTFOUND);
    CHECK(r.ok);
    official_close(o);
    env_free(&v);
}

static void test_no_pin_in_package(void)
{
    struct env v;
    env_setup(&v);
    struct official *o = NULL;
    struct err e = {0};
    CHECK_INT(official_open(v.state, NULL, v.pkg, &v.clock, &o, &e), 0);
    struct official_result r;
    CHECK_INT(official_try(o, "482915", &r, &e), ERR_INVALID);
    CHECK(!r.ok && !r.checked);
    CHECK_HAS(e.msg, "no officials' PINs");
    struct official *none = o;
    CHECK_INT(official_open(NULL, &v.list, v.pkg, NULL, &none, &e), ERR_USAGE);
    CHECK(none == NULL);
    official_close(NULL);
    official_close(o);
    env_free(&v);
}

static void test_messages(void)
{
    char m[256];
    struct official_result r = {.checked = true, .failures = 1, .tries_left = 7};
    official_message(&r, OFFICIAL_PIN, LANG_EN, m, sizeof m);
    CHECK_STR(m, "Wrong official PIN. Tries left: 7.");
    official_message(&r, OFFICIAL_PIN, LANG_FR, m, sizeof m);
    CHECK_STR(m, "Code PIN des responsables erroné. Essais restants : 7.");
    official_message(&r, OFFICIAL_PIN, LANG_NL, m, sizeof m);
    CHECK_STR(m, "Foute pincode voor verantwoordelijken. Resterende pogingen: 7.");
    official_message(&r, OFFICIAL_SUPERVISOR, LANG_EN, m, sizeof m);
    CHECK_STR(m, "Wrong supervisor PIN. Try again.");
    r.wait_seconds = 30;
    official_message(&r, OFFICIAL_PIN, LANG_EN, m, sizeof m);
    CHECK_STR(m, "Wrong official PIN. Next try possible in 30 s.");
    r.checked = false;
    official_message(&r, OFFICIAL_SUPERVISOR, LANG_NL, m, sizeof m);
    CHECK_STR(m, "Volgende poging mogelijk over 30 s.");
    r = (struct official_result){.locked = true, .failures = 8};
    official_message(&r, OFFICIAL_PIN, LANG_FR, m, sizeof m);
    CHECK_HAS(m, "bloqué après 8 codes erronés");
    /* a locked official PIN does not stop the supervisor keypad */
    official_message(&r, OFFICIAL_SUPERVISOR, LANG_EN, m, sizeof m);
    CHECK_STR(m, "Type the supervisor PIN.");
    r.damaged = true;
    official_message(&r, OFFICIAL_PIN, LANG_NL, m, sizeof m);
    CHECK_HAS(m, "onleesbaar");
    r = (struct official_result){.ok = true, .checked = true};
    official_message(&r, OFFICIAL_SUPERVISOR, LANG_FR, m, sizeof m);
    CHECK_STR(m, "Code PIN accepté.");
    r = (struct official_result){0};
    official_message(&r, OFFICIAL_PIN, (enum lang)9, m, sizeof m);
    CHECK_STR(m, "Type the official PIN.");
    official_message(&r, OFFICIAL_PIN, LANG_FR, m, 8); /* cut, still a string */
    CHECK_INT(strlen(m), 7);
    /* every message fits the documented 200 bytes */
    for (int l = 0; l < LANG_COUNT; l++)
        for (int w = 0; w < 2; w++)
            for (int k = 0; k < 64; k++) {
                struct official_result x = {.ok = k & 1,
                                            .checked = k & 2,
                                            .locked = k & 4,
                                            .damaged = k & 8,
                                            .failures = UINT32_MAX,
                                            .tries_left = UINT32_MAX};
                x.wait_seconds = k & 16 ? INT64_MAX : 0;
                char big[512];
                official_message(&x, (enum official_who)w, (enum lang)l, big, sizeof big);
                CHECK(strlen(big) < 200 && strlen(big) > 5);
                CHECK(utf8_valid(big, strlen(big)));
            }
}

int main(void)
{
    if (sodium_init() < 0)
        check_skip("libsodium did not start");
    RUN(test_delays);
    RUN(test_right_pin);
    RUN(test_waits_grow_and_reset);
    RUN(test_lockout_and_supervisor);
    RUN(test_supervisor_throttled_never_locked);
    RUN(test_reboot_between_attempts);
    RUN(test_power_cut_during_check);
    RUN(test_new_package_lifts_lockout);
    RUN(test_damaged_state_locks);
    RUN(test_clock_set_back);
    RUN(test_unwritable_state);
    RUN(test_no_pin_in_package);
    RUN(test_messages);
    return check_done();
}
