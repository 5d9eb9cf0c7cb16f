/* The export writer: a bundle written to a directory reads back and verifies; every file
 * operation failed in turn (EIO, ENOSPC, the stick pulled out) gives the right message,
 * leaves the journal untouched and nothing that looks like a finished bundle, and a retry
 * succeeds; read-only and foreign filesystems are refused before anything is written. */
#include <errno.h>
#include <fcntl.h>

#include "hwfix.h"
#include "mounts.h"

/* ---- fault-injecting I/O table ---- */

enum fault_mode { FAULT_NONE, FAULT_EIO, FAULT_ENOSPC, FAULT_REMOVED, FAULT_EROFS_MKDIR };

struct faulty {
    enum fault_mode mode;
    int at;    /* index of the operation that fails (FAULT_REMOVED: and all later ones) */
    int count; /* operations seen */
    bool hit;
};

/* true if this operation must fail; sets errno. */
static bool fault(struct faulty *f, bool fd_op)
{
    int i = f->count++;
    switch (f->mode) {
    case FAULT_NONE:
    case FAULT_EROFS_MKDIR:
        return false;
    case FAULT_EIO:
    case FAULT_ENOSPC:
        if (i != f->at)
            return false;
        errno = f->mode == FAULT_EIO ? EIO : ENOSPC;
        f->hit = true;
        return true;
    case FAULT_REMOVED:
        if (i < f->at)
            return false;
        errno = fd_op ? EIO : ENODEV;
        f->hit = true;
        return true;
    }
    return false;
}

static int f_open(void *ctx, const char *path, int flags, unsigned mode)
{
    if (fault(ctx, false))
        return -1;
    return open(path, flags, (mode_t)mode);
}
static ssize_t f_read(void *ctx, int fd, void *p, size_t n)
{
    if (fault(ctx, true))
        return -1;
    return read(fd, p, n);
}
static ssize_t f_write(void *ctx, int fd, const void *p, size_t n)
{
    if (fault(ctx, true))
        return -1;
    return write(fd, p, n);
}
static int f_fsync(void *ctx, int fd)
{
    if (fault(ctx, true))
        return -1;
    (void)fd; /* durability is not what this test measures: skip the real flush for speed */
    return 0;
}
static int f_close(void *ctx, int fd)
{
    if (fault(ctx, true)) {
        close(fd); /* a failed close still releases the descriptor */
        return -1;
    }
    return close(fd);
}
static int f_rename(void *ctx, const char *a, const char *b)
{
    if (fault(ctx, false))
        return -1;
    return rename(a, b);
}
static int f_mkdir(void *ctx, const char *path, unsigned mode)
{
    struct faulty *f = ctx;
    if (fault(ctx, false))
        return -1;
    if (f->mode == FAULT_EROFS_MKDIR) {
        errno = EROFS;
        return -1;
    }
    return mkdir(path, (mode_t)mode);
}
static int f_unlink(void *ctx, const char *path)
{
    if (fault(ctx, false))
        return -1;
    return unlink(path);
}
static int f_rmdir(void *ctx, const char *path)
{
    if (fault(ctx, false))
        return -1;
    return rmdir(path);
}

static struct export_io faulty_io(struct faulty *f)
{
    return (struct export_io){f,       f_open,   f_read,  f_write,  f_fsync,
                              f_close, f_rename, f_mkdir, f_unlink, f_rmdir};
}

/* Hash of the journal's main file and WAL: the export must leave both as they were. */
static void journal_state(const struct hwfix *f, uint8_t out[2][HASH_LEN])
{
    char wal[PATH_MAX];
    snprintf(wal, sizeof wal, "%s-wal", f->journal);
    fix_hash_file(f->journal, out[0]);
    fix_hash_file(wal, out[1]);
}

static void test_roundtrip(void)
{
    struct hwfix f;
    fix_setup(&f, "rt", 40);
    uint8_t before[2][HASH_LEN], after[2][HASH_LEN];
    journal_state(&f, before);
    struct export_result res;
    struct err e;
    err_clear(&e);
    int rc = export_write(&f.rq, &res, &e);
    CHECK_INT(rc, 0);
    if (rc)
        fprintf(stderr, "%s\n", e.msg);
    CHECK_INT(res.failure, EXPORT_OK);
    CHECK(strncmp(res.name, "isoloir-bxl-2026-", 17) == 0);
    CHECK_INT(strlen(res.name), 17 + 20 + 1 + 4);
    CHECK(strcmp(res.name + strlen(res.name) - 5, "-0003") == 0);
    CHECK(res.bytes > 40 * 300);
    journal_state(&f, after);
    CHECK(memcmp(before, after, sizeof before) == 0);

    struct bundle b;
    rc = bundle_open(res.dir, &b, &e);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_STR(b.manifest.election_id, "bxl-2026");
        CHECK_INT(b.manifest.export_seq, 3);
        CHECK_INT(b.manifest.kind, BUNDLE_CLOSING);
        CHECK_INT(b.manifest.journal_last_seq, 40);
        CHECK(memcmp(b.manifest.kiosk_pk, f.key->pk, SIGN_PK_LEN) == 0);
        CHECK(memcmp(b.manifest.package_hash, f.rq.package_hash, HASH_LEN) == 0);
        CHECK(memcmp(b.manifest.journal_head, f.rq.journal_head, HASH_LEN) == 0);
        CHECK_INT(b.manifest.nfiles, 4);
        CHECK(bundle_path(&b, "report-zero.txt") != NULL);
        CHECK(bundle_path(&b, "report-closing.txt") != NULL);
        /* The snapshot is a complete database on its own, in rollback mode. */
        sqlite3 *db = NULL;
        CHECK_INT(sqlite3_open_v2(b.journal_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        sqlite3_stmt *st = NULL;
        CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM rows", -1, &st, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_step(st), SQLITE_ROW);
        CHECK_INT(sqlite3_column_int(st, 0), 40);
        sqlite3_finalize(st);
        CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_step(st), SQLITE_ROW);
        CHECK_STR((const char *)sqlite3_column_text(st, 0), "delete");
        sqlite3_finalize(st);
        CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_step(st), SQLITE_ROW);
        CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
        sqlite3_finalize(st);
        sqlite3_close(db);
        bundle_close(&b);
    }
    CHECK_INT(fix_count(f.stick, ".partial-") + fix_count(f.stick, ".stale-"),
              0); /* no .partial- or .stale- leftovers */
    CHECK_INT(fix_count(f.stick, "isoloir-"), 1);
    fix_teardown(&f);
}

/* Rows written by the kiosk after an export appear in the next export, not in the first. */
/* The kiosk may hand over its own open connection instead of the path. */
static void test_from_open_connection(void)
{
    struct hwfix f;
    fix_setup(&f, "conn", 7);
    f.rq.journal_path = NULL;
    f.rq.journal_db = f.writer;
    struct export_result res;
    struct err e;
    CHECK_INT(export_write(&f.rq, &res, &e), 0);
    struct bundle b;
    CHECK_INT(bundle_open(res.dir, &b, &e), 0);
    if (b.journal_path) {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        sqlite3_open_v2(b.journal_path, &db, SQLITE_OPEN_READONLY, NULL);
        CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM rows", -1, &st, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_step(st), SQLITE_ROW);
        CHECK_INT(sqlite3_column_int(st, 0), 7);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    bundle_close(&b);
    fix_exec(f.writer, "INSERT INTO rows(kind, payload) VALUES (2, x'01')"); /* still usable */
    fix_teardown(&f);
}

static void test_snapshot_is_a_point_in_time(void)
{
    struct hwfix f;
    fix_setup(&f, "pit", 10);
    struct export_result r1, r2;
    struct err e;
    CHECK_INT(export_write(&f.rq, &r1, &e), 0);
    fix_exec(f.writer, "INSERT INTO rows(kind, payload) VALUES (2, x'01')");
    f.rq.export_seq = 4;
    CHECK_INT(export_write(&f.rq, &r2, &e), 0);
    const char *dirs[2] = {r1.dir, r2.dir};
    for (int i = 0; i < 2; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/journal.sqlite", dirs[i]);
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
        CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM rows", -1, &st, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_step(st), SQLITE_ROW);
        CHECK_INT(sqlite3_column_int(st, 0), 10 + i);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    fix_teardown(&f);
}

/* After a failed export: nothing named like a bundle unless it fully verifies. */
static void check_no_fake_bundle(const struct hwfix *f, const char *name, bool removal)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", f->stick, name);
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    /* Only a removal after the final rename may leave the finished bundle in place. */
    CHECK(removal);
    struct bundle b;
    struct err e;
    int rc = bundle_open(path, &b, &e);
    CHECK_INT(rc, 0);
    if (rc == 0)
        bundle_close(&b);
    else
        fprintf(stderr, "left behind: %s\n", e.msg);
}

static void run_fault_mode(enum fault_mode mode, enum export_failure want, const char *phrase,
                           bool existing)
{
    struct hwfix f;
    fix_setup(&f, "fault", 12);
    uint8_t before[2][HASH_LEN], after[2][HASH_LEN];
    int triggered = 0;
    for (int at = 0; at < 1000; at++) {
        fix_rmtree(f.stick);
        mkdir(f.stick, 0755);
        struct export_result res;
        struct err e;
        if (existing) { /* an earlier bundle of the same name is on the stick */
            f.rq.io = NULL;
            CHECK_INT(export_write(&f.rq, &res, &e), 0);
        }
        journal_state(&f, before);
        struct faulty fl = {mode, at, 0, false};
        struct export_io io = faulty_io(&fl);
        f.rq.io = &io;
        err_clear(&e);
        int rc = export_write(&f.rq, &res, &e);
        journal_state(&f, after);
        CHECK(memcmp(before, after, sizeof before) == 0);
        if (!fl.hit) {
            CHECK_INT(rc, 0); /* past the last operation: the export succeeds */
            break;
        }
        triggered++;
        if (rc == 0) {
            /* The only operations whose failure is harmless: removing the set-aside earlier
             * bundle once the new one verified. */
            CHECK(existing);
            CHECK_INT(fix_count(f.stick, "isoloir-"), 1);
        } else {
            CHECK_INT(res.failure, want);
            CHECK_HAS(e.msg, phrase);
            if (res.failure != want)
                fprintf(stderr, "op %d: %s\n", at, e.msg);
            if (existing && mode != FAULT_REMOVED) {
                /* The earlier bundle keeps its name and still verifies. */
                CHECK_INT(fix_count(f.stick, "isoloir-"), 1);
                if (fix_count(f.stick, "isoloir-") != 1)
                    fprintf(stderr, "op %d: %s\n", at, e.msg);
            }
            check_no_fake_bundle(&f, res.name, mode == FAULT_REMOVED || existing);
            if (existing) /* the earlier bundle is never lost: in place, or set aside */
                CHECK(fix_count(f.stick, "isoloir-") + fix_count(f.stick, ".stale-") >= 1);
        }
        /* Retry on a healthy stick. */
        f.rq.io = NULL;
        err_clear(&e);
        rc = export_write(&f.rq, &res, &e);
        CHECK_INT(rc, 0);
        if (rc)
            fprintf(stderr, "retry after op %d: %s\n", at, e.msg);
        struct bundle b;
        if (bundle_open(res.dir, &b, &e) == 0)
            bundle_close(&b);
        else
            CHECK(!"retried bundle verifies");
        CHECK_INT(fix_count(f.stick, ".partial-") + fix_count(f.stick, ".stale-"), 0);
        CHECK_INT(fix_count(f.stick, "isoloir-"), 1);
    }
    CHECK(triggered > 40); /* every operation of the export was failed once */
    printf("mode %d%s: %d operations failed in turn\n", (int)mode, existing ? " (replace)" : "",
           triggered);
    fix_teardown(&f);
}

static void test_fault_eio(void)
{
    run_fault_mode(FAULT_EIO, EXPORT_REMOVED, "the stick was removed during the export", false);
}

static void test_fault_enospc(void)
{
    run_fault_mode(FAULT_ENOSPC, EXPORT_FULL, "the USB stick is full", false);
    run_fault_mode(FAULT_ENOSPC, EXPORT_FULL, "use an empty stick and try again", true);
}

static void test_fault_removed(void)
{
    run_fault_mode(FAULT_REMOVED, EXPORT_REMOVED, "insert it again and retry", false);
    run_fault_mode(FAULT_REMOVED, EXPORT_REMOVED, "insert it again and retry", true);
}

static void test_read_only_stick(void)
{
    struct hwfix f;
    fix_setup(&f, "rofs", 5);
    struct faulty fl = {FAULT_EROFS_MKDIR, 0, 0, false};
    struct export_io io = faulty_io(&fl);
    f.rq.io = &io;
    struct export_result res;
    struct err e;
    CHECK_INT(export_write(&f.rq, &res, &e), ERR_PERM);
    CHECK_INT(res.failure, EXPORT_READ_ONLY);
    CHECK_HAS(e.msg, "read-only");
    CHECK_INT(fix_count(f.stick, ""), 2); /* . and .. only */
    fix_teardown(&f);
}

static void write_mountinfo(const char *path, const char *dir, const char *fstype, const char *opts)
{
    FILE *fp = fopen(path, "w");
    fprintf(fp, "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n");
    fprintf(fp, "40 22 8:17 / %s %s,nosuid,nodev shared:7 - %s /dev/sdb1 rw\n", dir, opts, fstype);
    fclose(fp);
}

static void test_filesystem_checks(void)
{
    struct hwfix f;
    fix_setup(&f, "fs", 5);
    char mi[PATH_MAX];
    snprintf(mi, sizeof mi, "%s/mountinfo", f.root);
    f.rq.flags = 0;
    f.rq.mountinfo_path = mi;
    struct export_result res;
    struct err e;

    const char *foreign[] = {"ntfs", "fuseblk", "btrfs", "iso9660", "tmpfs"};
    for (size_t i = 0; i < ARRAY_LEN(foreign); i++) {
        write_mountinfo(mi, f.stick, foreign[i], "rw");
        CHECK_INT(export_write(&f.rq, &res, &e), ERR_INVALID);
        CHECK_INT(res.failure, EXPORT_FOREIGN_FS);
        CHECK_HAS(e.msg, foreign[i]);
        CHECK_HAS(e.msg, "FAT32");
        CHECK_INT(fix_count(f.stick, ""), 2);
    }
    write_mountinfo(mi, f.stick, "vfat", "ro");
    CHECK_INT(export_write(&f.rq, &res, &e), ERR_PERM);
    CHECK_INT(res.failure, EXPORT_READ_ONLY);
    CHECK_HAS(e.msg, "read-only");
    CHECK_INT(fix_count(f.stick, ""), 2);

    const char *allowed[] = {"vfat", "exfat", "ext4"};
    for (size_t i = 0; i < ARRAY_LEN(allowed); i++) {
        write_mountinfo(mi, f.stick, allowed[i], "rw,noatime");
        f.rq.export_seq = (uint32_t)(10 + i);
        CHECK_INT(export_write(&f.rq, &res, &e), 0);
    }
    CHECK_INT(fix_count(f.stick, "isoloir-"), 3);
    fix_teardown(&f);
}

static void test_stick_gone_before(void)
{
    struct hwfix f;
    fix_setup(&f, "gone", 5);
    fix_rmtree(f.stick);
    struct export_result res;
    struct err e;
    CHECK_INT(export_write(&f.rq, &res, &e), ERR_IO);
    CHECK_INT(res.failure, EXPORT_REMOVED);
    CHECK_HAS(e.msg, "insert it again");
    fix_teardown(&f);
}

static void test_journal_unreadable(void)
{
    struct hwfix f;
    fix_setup(&f, "nojournal", 5);
    char bad[PATH_MAX];
    snprintf(bad, sizeof bad, "%s/none.sqlite", f.root);
    f.rq.journal_path = bad;
    struct export_result res;
    struct err e;
    CHECK(export_write(&f.rq, &res, &e) < 0);
    CHECK_INT(res.failure, EXPORT_JOURNAL);
    CHECK_HAS(e.msg, "journal");
    CHECK_INT(fix_count(f.stick, ""), 2);
    struct stat st;
    CHECK(stat(bad, &st) != 0); /* not created by the attempt */

    /* Not a database at all. */
    FILE *fp = fopen(bad, "w");
    fputs("this is not sqlite, just text long enough to be read as a header......\n", fp);
    fclose(fp);
    CHECK(export_write(&f.rq, &res, &e) < 0);
    CHECK_INT(res.failure, EXPORT_JOURNAL);
    CHECK_INT(fix_count(f.stick, ""), 2);
    fix_teardown(&f);
}

static void test_bad_requests(void)
{
    struct hwfix f;
    fix_setup(&f, "bad", 2);
    struct export_result res;
    struct err e;
    struct export_request rq = f.rq;
    rq.election_id = "../etc";
    CHECK_INT(export_write(&rq, &res, &e), ERR_INVALID);
    CHECK_INT(res.failure, EXPORT_INVALID);
    rq = f.rq;
    struct export_file bad[] = {{"Report.txt", "x", 1}};
    rq.files = bad;
    rq.nfiles = 1;
    CHECK_INT(export_write(&rq, &res, &e), ERR_USAGE);
    struct export_file dup[] = {{"a.txt", "x", 1}, {"a.txt", "y", 1}};
    rq.files = dup;
    rq.nfiles = 2;
    CHECK(export_write(&rq, &res, &e) < 0);
    struct export_file reserved[] = {{"journal.sqlite", "x", 1}};
    rq.files = reserved;
    rq.nfiles = 1;
    CHECK_INT(export_write(&rq, &res, &e), ERR_USAGE);
    rq = f.rq;
    rq.kind = (enum bundle_kind)7;
    CHECK_INT(export_write(&rq, &res, &e), ERR_USAGE);
    CHECK_INT(fix_count(f.stick, ""), 2);
    fix_teardown(&f);
}

int main(void)
{
    RUN(test_roundtrip);
    RUN(test_snapshot_is_a_point_in_time);
    RUN(test_from_open_connection);
    RUN(test_fault_eio);
    RUN(test_fault_enospc);
    RUN(test_fault_removed);
    RUN(test_read_only_stick);
    RUN(test_filesystem_checks);
    RUN(test_stick_gone_before);
    RUN(test_journal_unreadable);
    RUN(test_bad_requests);
    return check_done();
}
