/* test_fault — storage failures during a cast. A SQLite VFS wrapping the default one fails
 * the Nth write, sync or read (or reports a full disk) while one cast runs, for every N until
 * a cast gets through: each failed cast must report an error and acknowledge nothing, the
 * same connection must cast again once storage works, and the journal must reopen and verify
 * with every acknowledged ballot in it. Then a real full disk: a small tmpfs (when running as
 * root and mount works; otherwise that part is skipped with a message). */
#include <sys/mount.h>

#include "check.h"
#include "jtest.h"

enum fault_kind { F_WRITE, F_SYNC, F_READ, F_FULL };
static const char *const FAULT_NAME[] = {"write", "sync", "read", "full disk"};

struct fault {
    sqlite3_vfs *real;
    bool armed;
    enum fault_kind kind;
    long countdown;
    long fired;
};

struct ffile {
    sqlite3_file base;
    struct fault *f;
    sqlite3_file *real;
};

static bool trip(struct fault *f, enum fault_kind k)
{
    if (!f->armed || (f->kind != k && !(f->kind == F_FULL && k == F_WRITE)))
        return false;
    if (--f->countdown == 0) {
        f->fired++;
        return true;
    }
    return false;
}

#define REAL(p) (((struct ffile *)(p))->real)

static int f_close(sqlite3_file *p)
{
    return REAL(p)->pMethods->xClose(REAL(p));
}
static int f_read(sqlite3_file *p, void *b, int n, sqlite3_int64 off)
{
    if (trip(((struct ffile *)p)->f, F_READ))
        return SQLITE_IOERR_READ;
    return REAL(p)->pMethods->xRead(REAL(p), b, n, off);
}
static int f_write(sqlite3_file *p, const void *b, int n, sqlite3_int64 off)
{
    struct fault *f = ((struct ffile *)p)->f;
    if (trip(f, F_WRITE))
        return f->kind == F_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    return REAL(p)->pMethods->xWrite(REAL(p), b, n, off);
}
static int f_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    return REAL(p)->pMethods->xTruncate(REAL(p), size);
}
static int f_sync(sqlite3_file *p, int flags)
{
    if (trip(((struct ffile *)p)->f, F_SYNC))
        return SQLITE_IOERR_FSYNC;
    return REAL(p)->pMethods->xSync(REAL(p), flags);
}
static int f_size(sqlite3_file *p, sqlite3_int64 *s)
{
    return REAL(p)->pMethods->xFileSize(REAL(p), s);
}
static int f_lock(sqlite3_file *p, int l)
{
    return REAL(p)->pMethods->xLock(REAL(p), l);
}
static int f_unlock(sqlite3_file *p, int l)
{
    return REAL(p)->pMethods->xUnlock(REAL(p), l);
}
static int f_check(sqlite3_file *p, int *out)
{
    return REAL(p)->pMethods->xCheckReservedLock(REAL(p), out);
}
static int f_fcntl(sqlite3_file *p, int op, void *arg)
{
    return REAL(p)->pMethods->xFileControl(REAL(p), op, arg);
}
static int f_sector(sqlite3_file *p)
{
    return REAL(p)->pMethods->xSectorSize(REAL(p));
}
static int f_caps(sqlite3_file *p)
{
    return REAL(p)->pMethods->xDeviceCharacteristics(REAL(p));
}
static int f_shm_map(sqlite3_file *p, int pg, int sz, int ext, void volatile **out)
{
    return REAL(p)->pMethods->xShmMap(REAL(p), pg, sz, ext, out);
}
static int f_shm_lock(sqlite3_file *p, int off, int n, int flags)
{
    return REAL(p)->pMethods->xShmLock(REAL(p), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *p)
{
    REAL(p)->pMethods->xShmBarrier(REAL(p));
}
static int f_shm_unmap(sqlite3_file *p, int del)
{
    return REAL(p)->pMethods->xShmUnmap(REAL(p), del);
}

static const sqlite3_io_methods METHODS = {
    2,          f_close,       f_read,      f_write, f_truncate, f_sync, f_size,
    f_lock,     f_unlock,      f_check,     f_fcntl, f_sector,   f_caps, f_shm_map,
    f_shm_lock, f_shm_barrier, f_shm_unmap, NULL,    NULL};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
    struct fault *f = vfs->pAppData;
    struct ffile *ff = (struct ffile *)file;
    ff->f = f;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->base.pMethods = NULL;
    int rc = f->real->xOpen(f->real, name, ff->real, flags, out);
    if (rc == SQLITE_OK)
        ff->base.pMethods = &METHODS;
    return rc;
}
static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    struct fault *f = vfs->pAppData;
    return f->real->xDelete(f->real, name, sync);
}
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    struct fault *f = vfs->pAppData;
    return f->real->xAccess(f->real, name, flags, out);
}
static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    struct fault *f = vfs->pAppData;
    return f->real->xFullPathname(f->real, name, n, out);
}

static void install(sqlite3_vfs *vfs, struct fault *f)
{
    f->real = sqlite3_vfs_find(NULL);
    *vfs = *f->real;
    vfs->zName = "isoloir-fault";
    vfs->szOsFile = (int)sizeof(struct ffile) + f->real->szOsFile;
    vfs->pAppData = f;
    vfs->xOpen = v_open;
    vfs->xDelete = v_delete;
    vfs->xAccess = v_access;
    vfs->xFullPathname = v_full;
    vfs->pNext = NULL;
    sqlite3_vfs_register(vfs, 1);
}

static int collect(void *ctx, uint64_t seq, const uint8_t *ct, size_t n,
                   const char tracking[TRACKING_TEXT_MAX])
{
    (void)seq, (void)ct, (void)n;
    struct jt_report *r = ctx;
    return jt_ballot(r, seq, ct, n, tracking);
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

static void run_kind(struct fault *f, enum fault_kind kind)
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
        f->kind = kind;
        f->countdown = n;
        f->fired = 0;
        f->armed = true;
        int rc = journal_cast(j, &v, NULL, code, &e);
        f->armed = false;
        if (rc == 0) {
            CHECK_INT(f->fired, 0);
            snprintf(acked[nacked++], TRACKING_TEXT_MAX, "%s", code);
            break; /* the Nth operation was never reached: every N was tried */
        }
        failures++;
        CHECK_STR(code, "");
        CHECK(rc == ERR_IO || rc == ERR_FULL || rc == ERR_STATE);
        if (kind == F_FULL && rc == ERR_FULL)
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
    static sqlite3_vfs vfs;
    struct fault f = {0};
    install(&vfs, &f);
    static const char *const names[] = {"fault_write", "fault_sync", "fault_read", "fault_full"};
    for (int kind = F_WRITE; kind <= F_FULL; kind++) {
        check_st.cur = names[kind];
        check_st.cur_failed = 0;
        run_kind(&f, (enum fault_kind)kind);
        if (check_st.cur_failed) {
            check_st.failed++;
            fprintf(stderr, "FAIL %s\n", names[kind]);
        } else {
            check_st.passed++;
        }
    }
    sqlite3_vfs_unregister(&vfs);
    RUN(test_real_full_disk);
    return check_done();
}
