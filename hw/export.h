/*
 * export — writes an export bundle (core/bundle.h, docs/export.md) to a USB stick, then reads
 * it back and verifies it before the kiosk may say "you may remove the stick".
 *
 * Order of work: check the target's filesystem (mountinfo: vfat, exfat or ext4, mounted
 * read-write), snapshot the journal into memory (SQLite backup API, the journal is only read),
 * remove any leftover .partial-<name> directory, create .partial-<name>, write every file there
 * (temp name, write, fsync, close, rename, fsync the directory), the manifest files last,
 * rename .partial-<name> to <name>, fsync the stick's root, and finally re-open every file,
 * re-hash it against the manifest and check the signature, and run the tally's reader
 * (bundle_open) on the result. Before re-reading, the writer asks the kernel to drop the
 * file's cached pages (posix_fadvise DONTNEED after fsync) so the bytes come from the stick.
 *
 * Every file operation goes through a `struct export_io` table so that tests can fail any
 * one of them (EIO, ENOSPC, a stick pulled out). Whatever fails: the kiosk's journal is not
 * touched, no directory named like a finished bundle holds anything but a finished bundle
 * (a failure before the final rename leaves only .partial-<name>, which the next attempt
 * removes; a read-back that finds different bytes renames the bundle back to .partial-), and
 * calling export_write again is the way to retry.
 *
 * Never: write outside dest_dir, write to the journal, or return success before the read-back.
 */
#ifndef ISOLOIR_EXPORT_H
#define ISOLOIR_EXPORT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bundle.h"
#include "crypto.h"
#include "err.h"
#include "journal.h"
#include "key.h"

struct sqlite3;

/* The file operations the writer uses. Each returns what the POSIX call returns (-1 and errno
 * on failure). ctx is passed through. */
struct export_io {
    void *ctx;
    int (*open)(void *ctx, const char *path, int flags, unsigned mode);
    ssize_t (*read)(void *ctx, int fd, void *p, size_t n);
    ssize_t (*write)(void *ctx, int fd, const void *p, size_t n);
    int (*fsync)(void *ctx, int fd);
    int (*close)(void *ctx, int fd);
    int (*rename)(void *ctx, const char *from, const char *to);
    int (*mkdir)(void *ctx, const char *path, unsigned mode);
    int (*unlink)(void *ctx, const char *path);
    int (*rmdir)(void *ctx, const char *path);
};

/* The real system calls (ctx unused). */
const struct export_io *export_io_posix(void);

/* A text file added to the bundle (a polls report). name satisfies bundle_name_valid. */
struct export_file {
    const char *name;
    const void *data;
    size_t len;
};

enum export_flags {
    /* Skip the filesystem check (tools and tests writing to a plain directory). The kiosk
     * never sets it. */
    EXPORT_ANY_FILESYSTEM = 1,
};

struct export_request {
    const char *dest_dir;       /* the stick's mount point (the bundle goes right inside) */
    const char *journal_path;   /* the kiosk's journal; read only, through the backup API */
    struct journal *journal;    /* optional: the kiosk's open journal (journal_snapshot), used
                                   instead of opening journal_path (which may then be NULL) */
    struct sqlite3 *journal_db; /* optional: a connection of the caller's own on a journal
                                   file (tools, tests), used likewise */
    const char *election_id;    /* must satisfy bundle_id_valid */
    uint8_t package_hash[HASH_LEN];
    const struct secret_key *kiosk_key; /* KEY_KIOSK: signs the manifest */
    uint32_t export_seq;
    enum bundle_kind kind;
    uint64_t journal_last_seq; /* as the journal reports them, for the manifest */
    uint8_t journal_head[HASH_LEN];
    const struct export_file *files; /* reports; may be NULL when nfiles is 0 */
    size_t nfiles;
    unsigned flags;             /* enum export_flags */
    const char *mountinfo_path; /* NULL: /proc/self/mountinfo */
    const struct export_io *io; /* NULL: export_io_posix() */
};

/* What went wrong, so the kiosk can show the message in the voter's language. */
enum export_failure {
    EXPORT_OK = 0,
    EXPORT_FULL = 1,          /* no space left: use an empty stick */
    EXPORT_REMOVED = 2,       /* the stick went away or failed (ENODEV, ENXIO, EIO, ENOENT) */
    EXPORT_READ_ONLY = 3,     /* read-only mount or write-protected stick (EROFS) */
    EXPORT_FOREIGN_FS = 4,    /* not vfat/exfat/ext4 */
    EXPORT_DENIED = 5,        /* permissions (EACCES, EPERM) */
    EXPORT_VERIFY_FAILED = 6, /* the read-back found other bytes than were written */
    EXPORT_JOURNAL = 7,       /* the journal could not be read */
    EXPORT_INVALID = 8,       /* the request itself is wrong (a bug in the caller) */
    EXPORT_OTHER = 9,
};

struct export_result {
    enum export_failure failure;
    char name[BUNDLE_DIR_NAME_MAX + 1]; /* bundle directory name */
    char dir[PATH_MAX];                 /* dest_dir/name */
    uint64_t bytes;                     /* bytes written, all files */
    uint8_t manifest_hash[HASH_LEN];    /* BLAKE2b-256 of manifest.bin */
};

/* Writes the bundle, reads it back, verifies it. Returns 0 only when the bundle on the stick
 * verified; otherwise a negative ERR_* with res->failure set and a message a person can act
 * on (ERR_FULL: "the USB stick is full: ... use an empty stick and try again"; ERR_IO with
 * EXPORT_REMOVED: "the stick was removed during the export: insert it again and retry"). */
int export_write(const struct export_request *rq, struct export_result *res, struct err *e);

#endif
