/*
 * bundle — the export bundle: what a kiosk writes to a USB stick and what the tally reads.
 *
 * A bundle is one directory, isoloir-<election id>-<kiosk fingerprint>-<export seq>, holding
 * journal.sqlite (a consistent snapshot of the kiosk's journal), package-hash.txt, the reports
 * the kiosk chose to add (zero, pause, closing: plain text), and the manifest: manifest.bin
 * (canonical bytes, docs/export.md), manifest.sig (64-byte Ed25519 signature by the kiosk key
 * over manifest.bin) and manifest.txt (the same fields for people, regenerated and compared
 * by the reader, so it cannot say something else than the signed bytes).
 *
 * This module owns the format: manifest encoding and decoding, the text form, directory and
 * file naming rules, the journal snapshot (SQLite online backup into memory), and the reader
 * that verifies a bundle directory. The writer that puts a bundle on a stick (durable writes,
 * read-back, fault handling) is hw/export; it uses these functions.
 *
 * The reader trusts nothing on the stick: a bundle is accepted only when the manifest decodes
 * strictly, its signature verifies under the kiosk key it names, and the directory holds
 * exactly the files listed (no more, no fewer) with the listed sizes and hashes, each within
 * its cap (bundle_file_max). The tally also gives the kiosk keys the package authorises: a
 * manifest signed by another key is refused before any file is hashed. Whether the journal
 * inside is sound is the tally's job (it reads the journal with core/journal).
 *
 * Never: follow a symbolic link inside a bundle, read a file without a size bound, or hand
 * out a path to a file that was not verified.
 */
#ifndef ISOLOIR_BUNDLE_H
#define ISOLOIR_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "crypto.h"
#include "err.h"

#define BUNDLE_MANIFEST_LABEL "isoloir/export-manifest"
#define BUNDLE_FORMAT_VERSION 1
#define BUNDLE_MAX_FILES      32
#define BUNDLE_NAME_MAX       64    /* bytes in a file name inside a bundle */
#define BUNDLE_ID_MAX         40    /* bytes in an election id (ELECTION_ID_LEN_MAX) */
#define BUNDLE_MANIFEST_MAX   65536 /* bytes in manifest.bin */
#define BUNDLE_DIR_PREFIX     "isoloir-"
#define BUNDLE_PARTIAL_PREFIX ".partial-" /* a bundle being written: never a whole one */
#define BUNDLE_DIR_NAME_MAX   (8 + BUNDLE_ID_MAX + 1 + 20 + 1 + 10 + 1)
#define BUNDLE_JOURNAL_FILE   "journal.sqlite"
#define BUNDLE_PACKAGE_FILE   "package-hash.txt"
#define BUNDLE_MANIFEST_FILE  "manifest.bin"
#define BUNDLE_SIGNATURE_FILE "manifest.sig"
#define BUNDLE_MANIFEST_TXT   "manifest.txt"
#define BUNDLE_JOURNAL_MAX    (1024ull * 1024u * 1024u) /* bytes of journal.sqlite */
#define BUNDLE_REPORT_MAX     (1024u * 1024u)           /* bytes of any other listed file */

/* Why the kiosk exported. */
enum bundle_kind {
    BUNDLE_INTERIM = 1, /* polls open or paused: a copy on demand */
    BUNDLE_CLOSING = 2, /* polls closed: the final export */
};

const char *bundle_kind_name(enum bundle_kind k); /* "interim", "closing", or "unknown" */

struct bundle_file {
    char *name; /* malloc'd; satisfies bundle_name_valid */
    uint64_t size;
    uint8_t hash[HASH_LEN]; /* BLAKE2b-256 of the whole file */
};

/* The signed content of manifest.bin. Files are sorted by name, byte-wise ascending, with no
 * duplicates (the encoder refuses anything else). */
struct bundle_manifest {
    char *election_id; /* malloc'd */
    uint8_t package_hash[HASH_LEN];
    uint8_t kiosk_pk[SIGN_PK_LEN];
    uint32_t export_seq; /* the journal's last row number when exported (the kiosk's choice;
                            not a counter) */
    enum bundle_kind kind;
    uint64_t journal_last_seq;      /* sequence number of the journal's last row */
    uint8_t journal_head[HASH_LEN]; /* chain hash of that row */
    struct bundle_file *files;      /* malloc'd array of nfiles */
    size_t nfiles;
};

void bundle_manifest_init(struct bundle_manifest *m);
/* Frees every string and the file array; m can be reused after bundle_manifest_init. */
void bundle_manifest_free(struct bundle_manifest *m);

/* Adds a file entry (copies name), keeping the list sorted. Refuses an invalid or duplicate
 * name, or more than BUNDLE_MAX_FILES (ERR_INVALID). */
int bundle_manifest_add(struct bundle_manifest *m, const char *name, uint64_t size,
                        const uint8_t hash[HASH_LEN], struct err *e);

/* Canonical bytes of the manifest (appended to out). Refuses invalid fields (ERR_INVALID). */
int bundle_manifest_encode(const struct bundle_manifest *m, struct buf *out, struct err *e);
/* Strict decode into out (initialised by the call; freed by it on failure). ERR_FORMAT for
 * malformed bytes, ERR_VERSION for another format version, ERR_INVALID for a rule broken
 * (unsorted or duplicate names, bad name, unknown kind). */
int bundle_manifest_decode(const uint8_t *p, size_t n, struct bundle_manifest *out, struct err *e);
/* The text form written as manifest.txt (appended to out): deterministic, ASCII plus the
 * election id. */
int bundle_manifest_text(const struct bundle_manifest *m, struct buf *out, struct err *e);

/* The most bytes the file `name` may have in a bundle: BUNDLE_JOURNAL_MAX for the journal,
 * 65 for package-hash.txt, BUNDLE_REPORT_MAX for any other (docs/export.md). The encoder and
 * the decoder refuse a manifest that lists more. */
uint64_t bundle_file_max(const char *name);

/* true if `name` may be a file in a bundle: 1..BUNDLE_NAME_MAX bytes of [a-z0-9._-], first
 * character a letter or digit, and not one of the three manifest files. */
bool bundle_name_valid(const char *name);
/* true if `id` is an election id (election_id_valid: 1 to 40 bytes of a-z, 0-9 and -), which
 * can then appear in a directory name. */
bool bundle_id_valid(const char *id);

/* The bundle's directory name "isoloir-<id>-<fpr>-<seq>", the fingerprint of the kiosk key
 * without its dashes and seq in decimal with at least 4 digits. out holds
 * BUNDLE_DIR_NAME_MAX + 1. ERR_INVALID if the election id cannot be part of a name. */
int bundle_dir_name(char *out, size_t size, const char *election_id,
                    const uint8_t kiosk_pk[SIGN_PK_LEN], uint32_t export_seq, struct err *e);

/* A consistent snapshot of the SQLite database at journal_path, taken with the online backup
 * API into memory (one read transaction, so concurrent writers are neither blocked for long
 * nor seen half-way). The database is opened read-only and is never written. The bytes are a
 * complete database file in rollback-journal mode (no -wal file needed). *out is malloc'd
 * (sqlite3_malloc'd memory copied into malloc), caller frees. ERR_IO / ERR_FORMAT with the
 * SQLite message on failure; ERR_INVALID beyond BUNDLE_JOURNAL_MAX bytes. */
int bundle_journal_snapshot(const char *journal_path, uint8_t **out, size_t *len, struct err *e);
/* The same from a connection the caller already has open on the journal (the kiosk's own
 * handle: no second open, works whatever locking mode the journal uses). src is only read. */
struct sqlite3;
int bundle_journal_snapshot_db(struct sqlite3 *src, uint8_t **out, size_t *len, struct err *e);

/* A bundle read from a directory and verified. */
struct bundle {
    char *dir; /* as given */
    struct bundle_manifest manifest;
    char **paths;       /* paths[i] is dir/manifest.files[i].name */
    char *journal_path; /* dir/journal.sqlite */
};

/* Opens and verifies the bundle in directory `dir` (see the top of this file and
 * docs/export.md for the checks, in order), signed by one of the npks kiosk keys in pks: a
 * manifest signed by any other key is refused (ERR_PERM) before any listed file is opened.
 * pks NULL accepts any key (the kiosk reading back its own export). The tally passes the
 * package's kiosk keys. On success *out owns everything (bundle_close).
 * Failures name the file and the kind: ERR_NOTFOUND (no manifest: not a bundle), ERR_FORMAT
 * (manifest malformed), ERR_VERSION, ERR_CRYPTO (signature does not verify), ERR_TAMPER (a
 * file missing, extra, truncated, grown, or with another hash; manifest.txt or
 * package-hash.txt disagreeing with the manifest), ERR_IO. */
int bundle_open_trusted(const char *dir, const uint8_t (*pks)[SIGN_PK_LEN], size_t npks,
                        struct bundle *out, struct err *e);
/* bundle_open_trusted with any key. */
int bundle_open(const char *dir, struct bundle *out, struct err *e);
void bundle_close(struct bundle *b);

/* Path of the verified file `name` in the bundle, or NULL if the bundle has none. */
const char *bundle_path(const struct bundle *b, const char *name);

/* Hashes (BLAKE2b-256) and sizes the regular file at path, without following a final
 * symbolic link; refuses more than max_size bytes (ERR_TAMPER). */
int bundle_hash_file(const char *path, uint64_t max_size, uint8_t hash[HASH_LEN], uint64_t *size,
                     struct err *e);

#endif
