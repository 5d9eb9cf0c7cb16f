/*
 * export — the bundle writer: durable writes to a USB stick through an injectable I/O table,
 * then a full read-back; see export.h for the order of work and the guarantees.
 *
 * Invariants: the final directory name appears only through one rename, after every file in
 * it was fsynced and renamed into place and the directory itself fsynced; the journal is
 * opened read-only by bundle_journal_snapshot and by nothing else here; every failure sets
 * res->failure and a message that says what to do.
 */
#include "export.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"
#include "util.h"

#define STALE_PREFIX ".stale-"

static int px_open(void *ctx, const char *path, int flags, unsigned mode)
{
    (void)ctx;
    return open(path, flags, (mode_t)mode);
}
static ssize_t px_read(void *ctx, int fd, void *p, size_t n)
{
    (void)ctx;
    return read(fd, p, n);
}
static ssize_t px_write(void *ctx, int fd, const void *p, size_t n)
{
    (void)ctx;
    return write(fd, p, n);
}
static int px_fsync(void *ctx, int fd)
{
    (void)ctx;
    return fsync(fd);
}
static int px_close(void *ctx, int fd)
{
    (void)ctx;
    return close(fd);
}
static int px_rename(void *ctx, const char *from, const char *to)
{
    (void)ctx;
    return rename(from, to);
}
static int px_mkdir(void *ctx, const char *path, unsigned mode)
{
    (void)ctx;
    return mkdir(path, (mode_t)mode);
}
static int px_unlink(void *ctx, const char *path)
{
    (void)ctx;
    return unlink(path);
}
static int px_rmdir(void *ctx, const char *path)
{
    (void)ctx;
    return rmdir(path);
}

static const struct export_io posix_io = {
    NULL, px_open, px_read, px_write, px_fsync, px_close, px_rename, px_mkdir, px_unlink, px_rmdir,
};

const struct export_io *export_io_posix(void)
{
    return &posix_io;
}

struct writer {
    const struct export_io *io;
    const struct export_request *rq;
    struct export_result *res;
    struct err *e;
    char partial[PATH_MAX]; /* dest/.partial-<name> */
    char final[PATH_MAX];   /* dest/<name> */
    char stale[PATH_MAX];   /* dest/.stale-<name>: a previous bundle of the same name */
};

static int fail(struct writer *w, enum export_failure f, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct writer *w, enum export_failure f, int code, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    w->res->failure = f;
    return err_set(w->e, code, "%s", msg);
}

/* Turns the errno of a failed file operation into the message an official can act on. */
static int fail_errno(struct writer *w, int saved, const char *what)
{
    const char *why = strerror(saved);
    switch (saved) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
        return fail(w, EXPORT_FULL, ERR_FULL,
                    "the USB stick is full: %s failed (%s); use an empty stick and try again", what,
                    why);
    case ENODEV:
    case ENXIO:
    case EIO:
    case ENOENT:
    case ESHUTDOWN:
    case ENOTCONN:
    case ESTALE:
        return fail(w, EXPORT_REMOVED, ERR_IO,
                    "the stick was removed during the export (%s: %s): insert it again and retry; "
                    "if this happens with the stick in place, use another stick",
                    what, why);
    case EROFS:
        return fail(w, EXPORT_READ_ONLY, ERR_PERM,
                    "the USB stick is read-only (%s: %s): slide its write-protect switch off or "
                    "use another stick, then retry",
                    what, why);
    case EACCES:
    case EPERM:
        return fail(w, EXPORT_DENIED, ERR_PERM,
                    "the kiosk may not write to the USB stick (%s: %s): use a stick formatted as "
                    "FAT32 or exFAT",
                    what, why);
    default:
        return fail(w, EXPORT_OTHER, ERR_IO,
                    "the export to the USB stick failed (%s: %s): try again with another stick",
                    what, why);
    }
}

static int join(struct writer *w, char *out, const char *dir, const char *a, const char *b)
{
    if ((size_t)snprintf(out, PATH_MAX, "%s/%s%s", dir, a, b ? b : "") >= PATH_MAX)
        return fail(w, EXPORT_INVALID, ERR_USAGE, "the path of the stick is too long: %s", dir);
    return 0;
}

static int fsync_dir(struct writer *w, const char *dir, const char *what)
{
    const struct export_io *io = w->io;
    int fd = io->open(io->ctx, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0)
        return fail_errno(w, errno, what);
    int rc = 0;
    /* Some filesystems refuse fsync on a directory (EINVAL): nothing more can be done there. */
    if (io->fsync(io->ctx, fd) != 0 && errno != EINVAL && errno != ENOTSUP)
        rc = fail_errno(w, errno, what);
    if (io->close(io->ctx, fd) != 0 && !rc)
        rc = fail_errno(w, errno, what);
    return rc;
}

/* partial/<name> through a temp file, fsync, rename, fsync of the directory. */
static int write_file(struct writer *w, const char *name, const void *data, size_t len)
{
    const struct export_io *io = w->io;
    char tmp[PATH_MAX], path[PATH_MAX], what[BUNDLE_NAME_MAX + 64];
    int rc = join(w, tmp, w->partial, ".tmp-", name);
    if (!rc)
        rc = join(w, path, w->partial, name, NULL);
    if (rc)
        return rc;
    snprintf(what, sizeof what, "writing %s", name);
    int fd = io->open(io->ctx, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail_errno(w, errno, what);
    const uint8_t *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t n = io->write(io->ctx, fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = fail_errno(w, n < 0 ? errno : ENOSPC, what);
            goto fail_fd;
        }
        p += n;
        left -= (size_t)n;
    }
    if (io->fsync(io->ctx, fd) != 0) {
        snprintf(what, sizeof what, "flushing %s to the stick", name);
        rc = fail_errno(w, errno, what);
        goto fail_fd;
    }
    /* The bytes are on the stick: drop them from the page cache so the read-back reads the
     * stick. Advisory; its failure changes nothing. */
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    if (io->close(io->ctx, fd) != 0) {
        snprintf(what, sizeof what, "closing %s", name);
        rc = fail_errno(w, errno, what);
        goto fail_unlink;
    }
    if (io->rename(io->ctx, tmp, path) != 0) {
        snprintf(what, sizeof what, "putting %s in place", name);
        rc = fail_errno(w, errno, what);
        goto fail_unlink;
    }
    w->res->bytes += len;
    snprintf(what, sizeof what, "flushing the directory after %s", name);
    return fsync_dir(w, w->partial, what);

fail_fd:
    io->close(io->ctx, fd);
fail_unlink:
    io->unlink(io->ctx, tmp);
    return rc;
}

/* Removes dir and the files in it (a partial or stale bundle: files only, no subdirs). */
static int remove_dir(struct writer *w, const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return errno == ENOENT ? 0 : fail_errno(w, errno, "looking at a previous attempt");
    const struct export_io *io = w->io;
    DIR *d = opendir(dir);
    if (!d)
        return fail_errno(w, errno, "listing a previous attempt");
    int rc = 0;
    struct dirent *de;
    while (!rc && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char path[PATH_MAX];
        rc = join(w, path, dir, de->d_name, NULL);
        if (!rc && io->unlink(io->ctx, path) != 0)
            rc = fail_errno(w, errno, "removing a previous attempt");
    }
    closedir(d);
    if (!rc && io->rmdir(io->ctx, dir) != 0)
        rc = fail_errno(w, errno, "removing a previous attempt");
    return rc;
}

/* Re-reads one file through the I/O table and checks its size and hash. */
static int readback(struct writer *w, const char *name, uint64_t size, const uint8_t hash[HASH_LEN],
                    struct buf *keep)
{
    const struct export_io *io = w->io;
    char path[PATH_MAX], what[BUNDLE_NAME_MAX + 64];
    int rc = join(w, path, w->final, name, NULL);
    if (rc)
        return rc;
    snprintf(what, sizeof what, "reading back %s", name);
    int fd = io->open(io->ctx, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
    if (fd < 0)
        return fail_errno(w, errno, what);
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, HASH_LEN);
    uint8_t chunk[65536];
    uint64_t total = 0;
    for (;;) {
        ssize_t n = io->read(io->ctx, fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = fail_errno(w, errno, what);
            goto done;
        }
        if (n == 0)
            break;
        total += (uint64_t)n;
        if (total > size)
            break;
        crypto_generichash_update(&h, chunk, (size_t)n);
        if (keep)
            buf_raw(keep, chunk, (size_t)n);
    }
    uint8_t got[HASH_LEN];
    crypto_generichash_final(&h, got, HASH_LEN);
    if (total != size || sodium_memcmp(got, hash, HASH_LEN) != 0)
        rc = fail(w, EXPORT_VERIFY_FAILED, ERR_TAMPER,
                  "the stick gave back other bytes for %s than were written: it is damaged; "
                  "use another stick and export again",
                  name);
done:
    if (io->close(io->ctx, fd) != 0 && !rc)
        rc = fail_errno(w, errno, what);
    return rc;
}

static int check_request(struct writer *w)
{
    const struct export_request *rq = w->rq;
    if (!rq->dest_dir || (!rq->journal_path && !rq->journal && !rq->journal_db) || !rq->kiosk_key ||
        !rq->kiosk_key->sk || rq->kiosk_key->kind != KEY_KIOSK ||
        rq->kiosk_key->sk_len != SIGN_SK_LEN)
        return fail(w, EXPORT_INVALID, ERR_USAGE,
                    "export: destination, journal and the kiosk's signing key are required");
    if (rq->kind != BUNDLE_INTERIM && rq->kind != BUNDLE_CLOSING)
        return fail(w, EXPORT_INVALID, ERR_USAGE, "export: unknown export kind %d", (int)rq->kind);
    if (rq->nfiles > 0 && !rq->files)
        return fail(w, EXPORT_INVALID, ERR_USAGE, "export: files missing");
    for (size_t i = 0; i < rq->nfiles; i++) {
        const char *n = rq->files[i].name;
        if (!bundle_name_valid(n) || strcmp(n, BUNDLE_JOURNAL_FILE) == 0 ||
            strcmp(n, BUNDLE_PACKAGE_FILE) == 0 || strncmp(n, ".tmp-", 5) == 0)
            return fail(w, EXPORT_INVALID, ERR_USAGE, "export: \"%s\" cannot be a report name",
                        n ? n : "");
        if (rq->files[i].len > 0 && !rq->files[i].data)
            return fail(w, EXPORT_INVALID, ERR_USAGE, "export: %s has no content", n);
    }
    return 0;
}

static int check_filesystem(struct writer *w)
{
    const struct export_request *rq = w->rq;
    struct stat st;
    if (stat(rq->dest_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return fail(w, EXPORT_REMOVED, ERR_IO,
                    "the USB stick is not there any more (%s is missing): insert it again and "
                    "retry",
                    rq->dest_dir);
    if (rq->flags & EXPORT_ANY_FILESYSTEM)
        return 0;
    struct mounts_config mc = {NULL, rq->mountinfo_path, NULL};
    struct mount_info m;
    struct err me;
    err_clear(&me);
    int rc = mounts_lookup_dir(&mc, rq->dest_dir, &m, &me);
    if (rc)
        return fail(w, EXPORT_OTHER, rc, "cannot tell which filesystem holds %s: %s", rq->dest_dir,
                    me.msg);
    if (!mounts_fstype_allowed(m.fstype))
        return fail(w, EXPORT_FOREIGN_FS, ERR_INVALID,
                    "the USB stick's filesystem is %s; the kiosk writes only to FAT32 (vfat), "
                    "exFAT or ext4: use a stick formatted as FAT32 or exFAT",
                    m.fstype);
    if (m.read_only)
        return fail(w, EXPORT_READ_ONLY, ERR_PERM,
                    "the USB stick is mounted read-only (%s): slide its write-protect switch off "
                    "or use another stick, then retry",
                    m.dir);
    return 0;
}

int export_write(const struct export_request *rq, struct export_result *res, struct err *e)
{
    memset(res, 0, sizeof *res);
    struct writer w = {rq->io ? rq->io : export_io_posix(), rq, res, e, {0}, {0}, {0}};
    uint8_t *journal = NULL;
    size_t jlen = 0;
    struct bundle_manifest m;
    bundle_manifest_init(&m);
    struct buf mbin, mtxt, back;
    buf_init(&mbin);
    buf_init(&mtxt);
    buf_init(&back);
    bool renamed = false, set_aside = false;
    int rc = check_request(&w);
    if (rc)
        goto done;
    {
        struct err ne;
        err_clear(&ne);
        rc = bundle_dir_name(res->name, sizeof res->name, rq->election_id, rq->kiosk_key->pk,
                             rq->export_seq, &ne);
        if (rc) {
            rc = fail(&w, EXPORT_INVALID, rc, "%s", ne.msg);
            goto done;
        }
    }
    rc = join(&w, w.final, rq->dest_dir, res->name, NULL);
    if (!rc)
        rc = join(&w, w.partial, rq->dest_dir, BUNDLE_PARTIAL_PREFIX, res->name);
    if (!rc)
        rc = join(&w, w.stale, rq->dest_dir, STALE_PREFIX, res->name);
    if (rc)
        goto done;
    snprintf(res->dir, sizeof res->dir, "%s", w.final);
    rc = check_filesystem(&w);
    if (rc)
        goto done;

    /* 1. Everything that goes on the stick, in memory first. */
    {
        struct err je;
        err_clear(&je);
        rc = rq->journal      ? journal_snapshot(rq->journal, &journal, &jlen, &je)
             : rq->journal_db ? bundle_journal_snapshot_db(rq->journal_db, &journal, &jlen, &je)
                              : bundle_journal_snapshot(rq->journal_path, &journal, &jlen, &je);
        if (rc) {
            rc = fail(&w, EXPORT_JOURNAL, rc,
                      "the kiosk could not read its journal for the export: %s (nothing was "
                      "written; the journal is unchanged)",
                      je.msg);
            goto done;
        }
    }
    char pkg_hex[2 * HASH_LEN + 2];
    hex_encode(pkg_hex, rq->package_hash, HASH_LEN);
    pkg_hex[2 * HASH_LEN] = '\n';
    pkg_hex[2 * HASH_LEN + 1] = '\0';
    m.election_id = util_strdup(rq->election_id);
    if (!m.election_id) {
        rc = fail(&w, EXPORT_OTHER, ERR_NOMEM, "out of memory");
        goto done;
    }
    memcpy(m.package_hash, rq->package_hash, HASH_LEN);
    memcpy(m.kiosk_pk, rq->kiosk_key->pk, SIGN_PK_LEN);
    m.export_seq = rq->export_seq;
    m.kind = rq->kind;
    m.journal_last_seq = rq->journal_last_seq;
    memcpy(m.journal_head, rq->journal_head, HASH_LEN);
    {
        struct err me;
        err_clear(&me);
        uint8_t h[HASH_LEN];
        hash32(h, journal, jlen);
        rc = bundle_manifest_add(&m, BUNDLE_JOURNAL_FILE, jlen, h, &me);
        hash32(h, pkg_hex, 2 * HASH_LEN + 1);
        if (!rc)
            rc = bundle_manifest_add(&m, BUNDLE_PACKAGE_FILE, 2 * HASH_LEN + 1, h, &me);
        for (size_t i = 0; !rc && i < rq->nfiles; i++) {
            hash32(h, rq->files[i].data, rq->files[i].len);
            rc = bundle_manifest_add(&m, rq->files[i].name, rq->files[i].len, h, &me);
        }
        if (!rc)
            rc = bundle_manifest_encode(&m, &mbin, &me);
        if (!rc)
            rc = bundle_manifest_text(&m, &mtxt, &me);
        if (rc) {
            rc = fail(&w, EXPORT_INVALID, rc, "export: %s", me.msg);
            goto done;
        }
    }
    uint8_t sig[SIG_LEN];
    sign_detached(sig, mbin.data, mbin.len, rq->kiosk_key->sk);
    hash32(res->manifest_hash, mbin.data, mbin.len);

    /* 2. Leftovers of an earlier attempt, and an earlier bundle of the same name. A .stale-
     * directory is always a finished bundle (it only ever gets there from the final name):
     * if the final name is free, an earlier replacement was interrupted and the stale one is
     * the bundle to give back on failure; if not, the final one is newer and the stale one
     * goes. */
    rc = remove_dir(&w, w.partial);
    if (rc)
        goto done;
    struct stat st;
    bool have_final = lstat(w.final, &st) == 0, have_stale = lstat(w.stale, &st) == 0;
    if (have_stale && have_final)
        rc = remove_dir(&w, w.stale);
    else if (have_stale)
        set_aside = true;
    if (rc)
        goto done;
    if (have_final) {
        if (w.io->rename(w.io->ctx, w.final, w.stale) != 0) {
            rc = fail_errno(&w, errno, "setting an earlier export aside");
            goto done;
        }
        set_aside = true;
    }

    /* 3. Write under the partial name, manifest last. */
    if (w.io->mkdir(w.io->ctx, w.partial, 0755) != 0) {
        rc = fail_errno(&w, errno, "creating the bundle directory");
        goto cleanup_partial;
    }
    rc = write_file(&w, BUNDLE_JOURNAL_FILE, journal, jlen);
    if (!rc)
        rc = write_file(&w, BUNDLE_PACKAGE_FILE, pkg_hex, 2 * HASH_LEN + 1);
    for (size_t i = 0; !rc && i < rq->nfiles; i++)
        rc = write_file(&w, rq->files[i].name, rq->files[i].data, rq->files[i].len);
    if (!rc)
        rc = write_file(&w, BUNDLE_MANIFEST_TXT, mtxt.data, mtxt.len);
    if (!rc)
        rc = write_file(&w, BUNDLE_MANIFEST_FILE, mbin.data, mbin.len);
    if (!rc)
        rc = write_file(&w, BUNDLE_SIGNATURE_FILE, sig, SIG_LEN);
    if (!rc)
        rc = fsync_dir(&w, w.partial, "flushing the bundle directory");
    if (rc)
        goto cleanup_partial;

    /* 4. The one step that makes the bundle look complete. */
    if (w.io->rename(w.io->ctx, w.partial, w.final) != 0) {
        rc = fail_errno(&w, errno, "naming the finished bundle");
        goto cleanup_partial;
    }
    renamed = true;
    rc = fsync_dir(&w, rq->dest_dir, "flushing the stick's directory");
    if (rc)
        goto demote;

    /* 5. Read everything back from the stick. */
    for (size_t i = 0; !rc && i < m.nfiles; i++)
        rc = readback(&w, m.files[i].name, m.files[i].size, m.files[i].hash, NULL);
    if (!rc) {
        uint8_t h[HASH_LEN];
        hash32(h, mtxt.data, mtxt.len);
        rc = readback(&w, BUNDLE_MANIFEST_TXT, mtxt.len, h, NULL);
    }
    if (!rc)
        rc = readback(&w, BUNDLE_MANIFEST_FILE, mbin.len, res->manifest_hash, &back);
    if (!rc) {
        uint8_t h[HASH_LEN];
        hash32(h, sig, SIG_LEN);
        rc = readback(&w, BUNDLE_SIGNATURE_FILE, SIG_LEN, h, NULL);
    }
    if (!rc && (buf_ok(&back) || back.len != mbin.len ||
                sign_verify(sig, back.data, back.len, rq->kiosk_key->pk) != 0))
        rc = fail(&w, EXPORT_VERIFY_FAILED, ERR_TAMPER,
                  "the manifest read back from the stick does not verify: use another stick "
                  "and export again");
    if (!rc) {
        /* The tally's own reader, on exactly what is on the stick, trusting only this kiosk's
         * key (as the tally trusts only the package's kiosk keys). */
        struct bundle b;
        struct err be;
        err_clear(&be);
        const uint8_t(*own)[SIGN_PK_LEN] = &rq->kiosk_key->pk;
        rc = bundle_open_trusted(w.final, own, 1, &b, &be);
        if (rc == 0)
            bundle_close(&b);
        else
            rc = fail(&w, EXPORT_VERIFY_FAILED, rc,
                      "the bundle read back from the stick does not verify (%s): use another "
                      "stick and export again",
                      be.msg);
    }
    if (rc)
        goto demote;

    /* 6. The earlier bundle of the same name, if any, is now replaced. */
    (void)remove_dir(&w, w.stale);
    err_clear(e);
    res->failure = EXPORT_OK;
    goto done;

demote:
    /* Best effort: take the "complete" name away from a bundle that did not verify. If the
     * stick is gone this fails too, and what stays on it was fully written and synced. */
    if (renamed && w.io->rename(w.io->ctx, w.final, w.partial) == 0)
        renamed = false;
cleanup_partial:
    if (!renamed) {
        struct err ignored;
        struct writer quiet = w;
        struct export_result scratch = *res;
        quiet.e = &ignored;
        quiet.res = &scratch;
        (void)remove_dir(&quiet, w.partial);
        /* Give the earlier bundle its name back. */
        if (set_aside)
            (void)w.io->rename(w.io->ctx, w.stale, w.final);
    }
done:
    if (journal) {
        sodium_memzero(journal, jlen);
        free(journal);
    }
    bundle_manifest_free(&m);
    buf_free(&mbin);
    buf_free(&mtxt);
    buf_free(&back);
    return rc;
}
