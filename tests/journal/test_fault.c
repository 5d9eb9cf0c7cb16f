/* test_fault — storage failures during every journal operation, through the simulated
 * disk of simvfs.h (a SQLite VFS wrapping the default one, registered in this test only).
 *
 * Casts: the Nth write, sync or read fails (or the disk is full) while one cast runs, for
 * every N until a cast gets through: each failed cast must report an error and acknowledge
 * nothing, the same connection must cast again once storage works, and the journal must
 * reopen and verify with every acknowledged ballot in it.
 *
 * Every operation (create, reopen, open polls, cast, event, pause, resume, close polls,
 * export snapshot), from a cold start on a journal in the state the operation needs: the
 * k-th I/O call of any kind (open, read, write, truncate, sync, size, lock, delete, shared
 * memory) fails, for k = 1, 2, ... until the operation no longer reaches the k-th call.
 * After each: either the operation reported failure, its status is the one before, and the
 * journal, closed, verifies and is unchanged (same rows, same head); or it reported success
 * and its rows are durable: the power is cut at once, only what was fsynced survives, and
 * the journal verifies with the new rows (and the ballot's tracking code) in it.
 *
 * Then a real full disk: a small tmpfs (when running as root and mount works; otherwise that
 * part is skipped with a message). */
#include <sys/mount.h>

#include "bundle.h"
#include "check.h"
#include "jtest.h"
#include "simvfs.h"

static const char *const FAULT_NAME[] = {"none", "write", "sync", "read", "full disk", "any"};

static int collect(void *ctx, uint64_t seq, const uint8_t *ct, size_t n,
                   const uint8_t hash[HASH_LEN])
{
    struct jt_report *r = ctx;
    return jt_ballot(r, seq, ct, n, hash);
}

static void check_file(const char *path, const struct election *el,
                       char (*acked)[TRACKING_TEXT_MAX], size_t nacked, unsigned failures)
{
    static struct jt_report r;
    memset(&r, 0, sizeof r);
    struct journal_verify_opts o = {.ctx = &r, .ballot = collect, .expect_ballots = -1};
    struct journal_summary s;
    struct err e;
    if (journal_verify(path, el, JT_PACKAGE, &o, &s, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        check_st.cur_failed++;
    }
    CHECK(r.nballots >= nacked && r.nballots <= nacked + failures);
    for (size_t i = 0; i < nacked; i++) {
        bool found = false;
        for (unsigned k = 0; k < r.nballots && k < 64; k++)
            found = found || strcmp(r.codes[k], acked[i]) == 0;
        if (r.nballots <= 64 && !found) {
            fprintf(stderr, "acknowledged ballot %s missing\n", acked[i]);
            check_st.cur_failed++;
        }
    }
}

static void run_kind(struct sim *f, enum sim_fault kind)
{
    struct election el;
    fixture_election(&el);
    struct secret_key *k = fixture_key(KEY_KIOSK, 3);
    char path[128];
    snprintf(path, sizeof path, "fault-%d-%d.journal", (int)getpid(), (int)kind);
    jt_remove(path);
    struct journal *j = NULL;
    struct err e;
    static struct vote v;
    char acked[64][TRACKING_TEXT_MAX], code[TRACKING_TEXT_MAX];
    size_t nacked = 0;
    unsigned failures = 0;
    CHECK_INT(journal_open(path, &el, JT_PACKAGE, k, &j, &e), 0);
    CHECK_INT(journal_open_polls(j, 1, &e), 0);
    long n;
    for (n = 1; n < 200 && nacked < 60; n++) {
        /* A cold start for every N, so reads reach the file too. */
        journal_close(j);
        CHECK_INT(journal_open(path, &el, JT_PACKAGE, k, &j, &e), 0);
        if (!j)
            break;
        jt_vote(&v, (unsigned)n);
        sqlite3_db_release_memory(journal_db(j)); /* empty the page cache: reads go to the file */
        f->fault = kind;
        f->fault_countdown = n;
        f->fired = 0;
        int rc = journal_cast(j, &v, NULL, code, &e);
        f->fault = SIM_NONE;
        if (rc == 0) {
            CHECK_INT(f->fired, 0);
            snprintf(acked[nacked++], TRACKING_TEXT_MAX, "%s", code);
            break; /* the Nth operation was never reached: every N was tried */
        }
        failures++;
        CHECK_STR(code, "");
        CHECK(rc == ERR_IO || rc == ERR_FULL || rc == ERR_STATE);
        if (kind == SIM_FULL && rc == ERR_FULL)
            CHECK_HAS(e.msg, "disk is full");
        /* The same connection casts again once storage works. */
        rc = journal_cast(j, &v, NULL, code, &e);
        if (rc == ERR_STATE) { /* it asked for a restart: do that */
            journal_close(j);
            CHECK_INT(journal_open(path, &el, JT_PACKAGE, k, &j, &e), 0);
            rc = journal_cast(j, &v, NULL, code, &e);
        }
        CHECK_INT(rc, 0);
        if (!rc)
            snprintf(acked[nacked++], TRACKING_TEXT_MAX, "%s", code);
    }
    journal_close(j);
    printf("%s faults: %u casts failed, the cast passed at N = %ld\n", FAULT_NAME[kind], failures,
           n);
    CHECK(failures > 0);
    check_file(path, &el, acked, nacked, failures);
    jt_remove(path);
    key_free(k);
    election_free(&el);
}

/* ---- every I/O call of every operation */

enum op {
    OP_CREATE,
    OP_REOPEN,
    OP_POLLS,
    OP_CAST,
    OP_EVENT,
    OP_PAUSE,
    OP_RESUME,
    OP_CLOSE,
    OP_SNAPSHOT
};
static const char *const OP_NAME[] = {"create", "reopen", "open_polls",  "cast",           "event",
                                      "pause",  "resume", "close_polls", "export_snapshot"};

/* A journal in the state `op` starts from, closed (so that its main file holds everything):
 * created; polls open with 3 ballots and an event; or paused. */
static int make_template(const char *path, enum op op, const struct election *el,
                         const struct secret_key *k)
{
    struct journal *j = NULL;
    struct err e;
    static struct vote v;
    jt_remove(path);
    int rc = journal_open(path, el, JT_PACKAGE, k, &j, &e);
    if (!rc && op != OP_POLLS)
        rc = journal_open_polls(j, 10, &e);
    for (unsigned i = 0; !rc && op != OP_POLLS && i < 3; i++) {
        char code[TRACKING_TEXT_MAX];
        jt_vote(&v, i);
        rc = journal_cast(j, &v, NULL, code, &e);
    }
    if (!rc && op != OP_POLLS)
        rc = journal_record_event(j, JEVENT_REPORT_PRINTED, "zero report", 11, &e);
    if (!rc && op == OP_RESUME)
        rc = journal_pause(j, 12, &e);
    if (rc)
        fprintf(stderr, "making the journal for %s: %s\n", OP_NAME[op], e.msg);
    journal_close(j);
    return rc;
}

static int run_op(struct journal **j, enum op op, const char *path, const struct election *el,
                  const struct secret_key *k, char code[TRACKING_TEXT_MAX], struct err *e)
{
    static struct vote v;
    code[0] = '\0';
    switch (op) {
    case OP_CREATE:
    case OP_REOPEN:
        return journal_open(path, el, JT_PACKAGE, k, j, e);
    case OP_POLLS:
        return journal_open_polls(*j, 20, e);
    case OP_CAST: {
        jt_vote(&v, 7);
        int rc = journal_cast(*j, &v, NULL, code, e);
        vote_wipe(&v);
        return rc;
    }
    case OP_EVENT:
        return journal_record_event(*j, JEVENT_EXPORT, "fault test", 20, e);
    case OP_PAUSE:
        return journal_pause(*j, 20, e);
    case OP_RESUME:
        return journal_resume(*j, 20, e);
    case OP_CLOSE:
        return journal_close_polls(*j, 20, e);
    case OP_SNAPSHOT: {
        uint8_t *snap = NULL;
        size_t len = 0;
        int rc = bundle_journal_snapshot_db(journal_db(*j), &snap, &len, e);
        free(snap);
        return rc;
    }
    }
    return ERR_INTERNAL;
}

/* Verifies the journal at path: 0 problems; fills the summary and whether `code` is in it. */
static bool sound(const char *path, const struct election *el, struct journal_summary *s,
                  const char *code, bool *has_code)
{
    static struct jt_report r;
    int rc = jt_verify(path, el, JT_PACKAGE, &r, s, false, -1, NULL);
    *has_code = false;
    for (unsigned i = 0; code && i < r.nballots && i < 64; i++)
        *has_code = *has_code || strcmp(r.codes[i], code) == 0;
    if (rc || r.nproblems) {
        fprintf(stderr, "  the journal does not verify (%u problems, rc %d)\n", r.nproblems, rc);
        return false;
    }
    return true;
}

static void every_io_call(struct sim *sim, enum op op)
{
    struct election el;
    fixture_election(&el);
    struct secret_key *key = fixture_key(KEY_KIOSK, 3);
    char tmpl[128], path[128];
    snprintf(tmpl, sizeof tmpl, "fault-%d-template.journal", (int)getpid());
    snprintf(path, sizeof path, "fault-%d-%s.journal", (int)getpid(), OP_NAME[op]);
    if (op != OP_CREATE && make_template(tmpl, op, &el, key) != 0) {
        check_st.cur_failed++;
        goto out;
    }
    unsigned failed = 0, succeeded_after_fault = 0;
    int leaked = 0;
    char msg[sizeof(struct err){0}.msg];
    long k;
    for (k = 1; k < 2000; k++) {
        struct err e = {0};
        struct journal *j = NULL;
        struct journal_status before = {0}, after;
        char code[TRACKING_TEXT_MAX];
        jt_remove(path);
        sim_reset(sim);
        if (op != OP_CREATE && jt_copy(tmpl, path) != 0) {
            fprintf(stderr, "cannot copy the journal\n");
            check_st.cur_failed++;
            break;
        }
        if (op != OP_CREATE && op != OP_REOPEN) {
            if (journal_open(path, &el, JT_PACKAGE, key, &j, &e) != 0) {
                fprintf(stderr, "%s\n", e.msg);
                check_st.cur_failed++;
                break;
            }
            journal_status(j, &before);
            sqlite3_db_release_memory(journal_db(j)); /* reads go to the file */
        } else if (op == OP_REOPEN) {
            struct journal_summary s0;
            bool unused;
            if (!sound(tmpl, &el, &s0, NULL, &unused)) {
                check_st.cur_failed++;
                break;
            }
            before.rows = s0.rows;
            memcpy(before.head, s0.head, HASH_LEN);
        }
        sim->fault = SIM_ANY;
        sim->fault_countdown = k;
        sim->fired = 0;
        memset(sim->calls, 0, sizeof sim->calls);
        int rc = run_op(&j, op, path, &el, key, code, &e);
        sim->fault = SIM_NONE;
        snprintf(msg, sizeof msg, "%s", rc ? e.msg : "success");
        bool done = rc == 0 && sim->fired == 0; /* the k-th call was never reached */
        struct journal_summary s;
        bool has_code;
        if (rc != 0) {
            failed++;
            if (rc == ERR_TAMPER) {
                /* a read error is not tampering: the journal cannot be judged, and says so */
                fprintf(stderr, "%s, I/O call %ld failing: reported as tampering (%s)\n",
                        OP_NAME[op], k, e.msg);
                check_st.cur_failed++;
            } else if (!(rc == ERR_IO || rc == ERR_FULL || rc == ERR_STATE || rc == ERR_FORMAT)) {
                fprintf(stderr, "%s, I/O call %ld failing: error %d (%s)\n", OP_NAME[op], k, rc,
                        e.msg);
                check_st.cur_failed++;
            }
            CHECK_STR(code, "");
            if (j && op != OP_CREATE && op != OP_REOPEN) { /* its status is the one before */
                journal_status(j, &after);
                if (after.rows != before.rows || memcmp(after.head, before.head, HASH_LEN) != 0 ||
                    after.state != before.state) {
                    fprintf(stderr, "%s failed at I/O call %ld (%s) but its status moved\n",
                            OP_NAME[op], k, e.msg);
                    check_st.cur_failed++;
                }
            }
            journal_close(j);
            j = NULL;
            if (op == OP_CREATE) { /* nothing, or a journal that opens as a new one */
                if (journal_open(path, &el, JT_PACKAGE, key, &j, &e) != 0) {
                    fprintf(stderr, "create failed at I/O call %ld, then: %s\n", k, e.msg);
                    check_st.cur_failed++;
                }
                if (j) {
                    journal_status(j, &after);
                    CHECK_INT(after.rows, 1);
                }
                journal_close(j);
                j = NULL;
            } else if (!sound(path, &el, &s, NULL, &has_code) || s.rows != before.rows ||
                       memcmp(s.head, before.head, HASH_LEN) != 0) {
                fprintf(stderr, "%s failed at I/O call %ld (%s) but the journal changed\n",
                        OP_NAME[op], k, e.msg);
                check_st.cur_failed++;
            }
        } else { /* success (perhaps although a call failed: retried, or after the commit) */
            succeeded_after_fault += !done;
            journal_status(j, &after);
            sim_cut(sim); /* the power goes off at once: is it durable? */
            journal_close(j);
            j = NULL;
            if (sim_restore(sim) != 0) {
                check_st.cur_failed++;
                break;
            }
            if (!sound(path, &el, &s, code[0] ? code : NULL, &has_code) || s.rows != after.rows ||
                memcmp(s.head, after.head, HASH_LEN) != 0 || (code[0] && !has_code)) {
                fprintf(stderr, "%s succeeded with I/O call %ld failing, but it is not durable\n",
                        OP_NAME[op], k);
                check_st.cur_failed++;
            }
            if (done) {
                printf("%s makes %ld reads, %ld writes, %ld syncs and %ld other I/O calls\n",
                       OP_NAME[op], sim->calls[SIM_READ], sim->calls[SIM_WRITE],
                       sim->calls[SIM_SYNC], sim->calls[SIM_ANY]);
                break; /* every call was tried */
            }
        }
        /* and the kiosk starts again on it */
        if (journal_open(path, &el, JT_PACKAGE, key, &j, &e) != 0) {
            fprintf(stderr, "%s, I/O call %ld failing: the journal does not reopen: %s\n",
                    OP_NAME[op], k, e.msg);
            check_st.cur_failed++;
        }
        journal_close(j);
        if (sim_open_files(sim) > leaked) {
            fprintf(stderr, "%s, I/O call %ld failing (%s): the journal's file is left open\n",
                    OP_NAME[op], k, msg);
            leaked = sim_open_files(sim);
            for (size_t q = 0; q < sim->ninodes; q++)
                for (int f = 0; f < SIM_MAX_FILES; f++)
                    if (sim->files[f].cur == sim->inodes[q] && sim->inodes[q]->handles)
                        fprintf(stderr, "  %s open %d\n", sim->files[f].path,
                                sim->inodes[q]->handles);
            check_st.cur_failed++;
        }
    }
    printf("%s: %ld I/O calls, each failed in turn: %u times the operation failed, %u times it "
           "succeeded anyway (and was durable)\n",
           OP_NAME[op], k - 1, failed, succeeded_after_fault);
    CHECK(k > 1 && k < 2000);
    CHECK(failed > 0);
out:
    jt_remove(path);
    jt_remove(tmpl);
    sim_reset(sim);
    key_free(key);
    election_free(&el);
}

/* A real file system that fills up: a 320 KiB tmpfs. */
static void test_real_full_disk(void)
{
    char dir[128];
    snprintf(dir, sizeof dir, "tmpfs-%d", (int)getpid());
    if (geteuid() != 0) {
        printf("real full disk: skipped (needs root to mount a small tmpfs)\n");
        return;
    }
    mkdir(dir, 0700);
    if (mount("tmpfs", dir, "tmpfs", 0, "size=320k") != 0) {
        printf("real full disk: skipped (mounting a tmpfs failed: %s)\n", strerror(errno));
        rmdir(dir);
        return;
    }
    struct election el;
    fixture_election(&el);
    struct secret_key *k = fixture_key(KEY_KIOSK, 3);
    char path[200], filler[200];
    snprintf(path, sizeof path, "%s/j.journal", dir);
    snprintf(filler, sizeof filler, "%s/filler", dir);
    struct journal *j = NULL;
    struct err e;
    static struct vote v;
    char acked[64][TRACKING_TEXT_MAX], code[TRACKING_TEXT_MAX];
    size_t nacked = 0;
    CHECK_INT(journal_open(path, &el, JT_PACKAGE, k, &j, &e), 0);
    CHECK_INT(journal_open_polls(j, 1, &e), 0);
    /* Fill the rest of the disk. */
    int fd = open(filler, O_WRONLY | O_CREAT, 0600);
    static char block[4096];
    off_t filled = 0;
    while (fd >= 0 && write(fd, block, sizeof block) == (ssize_t)sizeof block)
        filled += (off_t)sizeof block;
    /* Leave room for a few casts, so that the disk fills up while casting. */
    if (fd >= 0 && (filled < 16384 || ftruncate(fd, filled - 16384) != 0))
        printf("real full disk: could not leave room for casts\n");
    if (fd >= 0)
        close(fd);
    int rc = 0;
    unsigned casts = 0;
    for (; casts < 10000; casts++) {
        jt_vote(&v, casts);
        rc = journal_cast(j, &v, NULL, code, &e);
        if (rc)
            break;
        if (nacked < 64)
            snprintf(acked[nacked++], TRACKING_TEXT_MAX, "%s", code);
    }
    printf("real full disk: %u casts, then \"%s\"\n", casts, e.msg);
    CHECK_INT(rc, ERR_FULL);
    CHECK_HAS(e.msg, "disk is full");
    CHECK_STR(code, "");
    /* Space comes back: casting works again, on the same connection. */
    unlink(filler);
    rc = journal_cast(j, &v, NULL, code, &e);
    if (rc == ERR_STATE) {
        journal_close(j);
        CHECK_INT(journal_open(path, &el, JT_PACKAGE, k, &j, &e), 0);
        rc = journal_cast(j, &v, NULL, code, &e);
    }
    CHECK_INT(rc, 0);
    if (!rc && nacked < 64)
        snprintf(acked[nacked++], TRACKING_TEXT_MAX, "%s", code);
    journal_close(j);
    if (casts + 1 <= 64)
        check_file(path, &el, acked, nacked, 1);
    else
        check_file(path, &el, acked, 0, 1000000);
    key_free(k);
    election_free(&el);
    umount(dir);
    rmdir(dir);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    static struct sim sim;
    if (sim_install(&sim, 1))
        return 1;
    static const char *const names[] = {"", "fault_write", "fault_sync", "fault_read",
                                        "fault_full"};
    for (int kind = SIM_WRITE; kind <= SIM_FULL; kind++) {
        check_st.cur = names[kind];
        check_st.cur_failed = 0;
        run_kind(&sim, (enum sim_fault)kind);
        sim_reset(&sim);
        if (check_st.cur_failed) {
            check_st.failed++;
            fprintf(stderr, "FAIL %s\n", names[kind]);
        } else {
            check_st.passed++;
        }
    }
    for (int op = OP_CREATE; op <= OP_SNAPSHOT; op++) {
        check_st.cur = OP_NAME[op];
        check_st.cur_failed = 0;
        every_io_call(&sim, (enum op)op);
        if (check_st.cur_failed) {
            check_st.failed++;
            fprintf(stderr, "FAIL every I/O call of %s\n", OP_NAME[op]);
        } else {
            check_st.passed++;
        }
    }
    sim_uninstall(&sim);
    RUN(test_real_full_disk);
    return check_done();
}
