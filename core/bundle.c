/*
 * bundle — export bundle format: manifest encoding, naming, journal snapshot and the
 * verifying reader; see bundle.h and docs/export.md (the byte-level specification this file
 * implements).
 *
 * Invariants: the encoder writes only manifests the decoder accepts (same checks on both
 * sides); bundle_open verifies the signature before it trusts any field for anything but
 * error messages, and hands out paths only of files whose size and hash it checked.
 * The journal snapshot opens the kiosk's journal read-only and never writes to it.
 */
#include "bundle.h"

#include "election.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

const char *bundle_kind_name(enum bundle_kind k)
{
    switch (k) {
    case BUNDLE_INTERIM:
        return "interim";
    case BUNDLE_CLOSING:
        return "closing";
    }
    return "unknown";
}

static bool kind_valid(unsigned k)
{
    return k == BUNDLE_INTERIM || k == BUNDLE_CLOSING;
}

void bundle_manifest_init(struct bundle_manifest *m)
{
    memset(m, 0, sizeof *m);
}

void bundle_manifest_free(struct bundle_manifest *m)
{
    if (!m)
        return;
    free(m->election_id);
    for (size_t i = 0; i < m->nfiles; i++)
        free(m->files[i].name);
    free(m->files);
    bundle_manifest_init(m);
}

static bool is_alnum_lower(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool bundle_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > BUNDLE_NAME_MAX || !is_alnum_lower((unsigned char)name[0]))
        return false;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)name[i];
        if (!is_alnum_lower(c) && c != '.' && c != '_' && c != '-')
            return false;
    }
    return strcmp(name, BUNDLE_MANIFEST_FILE) != 0 && strcmp(name, BUNDLE_SIGNATURE_FILE) != 0 &&
           strcmp(name, BUNDLE_MANIFEST_TXT) != 0;
}

bool bundle_id_valid(const char *id)
{
    return election_id_valid(id); /* one rule for the election id: docs/package.md */
}

int bundle_dir_name(char *out, size_t size, const char *election_id,
                    const uint8_t kiosk_pk[SIGN_PK_LEN], uint32_t export_seq, struct err *e)
{
    if (!bundle_id_valid(election_id))
        return err_set(e, ERR_INVALID,
                       "the election id \"%s\" is not 1 to %d lower-case letters, digits or "
                       "'-': fix it in the election package",
                       election_id ? election_id : "", ELECTION_ID_LEN_MAX);
    char fpr[FPR_TEXT_LEN + 1], compact[FPR_TEXT_LEN + 1];
    fingerprint(fpr, kiosk_pk, SIGN_PK_LEN);
    size_t j = 0;
    for (size_t i = 0; fpr[i]; i++)
        if (fpr[i] != '-')
            compact[j++] = fpr[i];
    compact[j] = '\0';
    int w = snprintf(out, size, "%s%s-%s-%04" PRIu32, BUNDLE_DIR_PREFIX, election_id, compact,
                     export_seq);
    if (w < 0 || (size_t)w >= size)
        return err_set(e, ERR_USAGE, "bundle directory name does not fit in %zu bytes", size);
    return 0;
}

int bundle_manifest_add(struct bundle_manifest *m, const char *name, uint64_t size,
                        const uint8_t hash[HASH_LEN], struct err *e)
{
    if (!bundle_name_valid(name))
        return err_set(e, ERR_INVALID,
                       "\"%s\" cannot be a file name in an export bundle (a-z, 0-9, '.', '_', "
                       "'-', at most %d bytes, not a manifest name)",
                       name ? name : "", BUNDLE_NAME_MAX);
    if (m->nfiles >= BUNDLE_MAX_FILES)
        return err_set(e, ERR_INVALID, "an export bundle holds at most %d files", BUNDLE_MAX_FILES);
    size_t at = 0;
    while (at < m->nfiles && strcmp(m->files[at].name, name) < 0)
        at++;
    if (at < m->nfiles && strcmp(m->files[at].name, name) == 0)
        return err_set(e, ERR_INVALID, "the file %s is in the export bundle twice", name);
    struct bundle_file *nf = realloc(m->files, (m->nfiles + 1) * sizeof *nf);
    if (!nf)
        return err_set(e, ERR_NOMEM, "out of memory");
    m->files = nf;
    char *copy = util_strdup(name);
    if (!copy)
        return err_set(e, ERR_NOMEM, "out of memory");
    memmove(&nf[at + 1], &nf[at], (m->nfiles - at) * sizeof *nf);
    nf[at].name = copy;
    nf[at].size = size;
    memcpy(nf[at].hash, hash, HASH_LEN);
    m->nfiles++;
    return 0;
}

uint64_t bundle_file_max(const char *name)
{
    if (strcmp(name, BUNDLE_JOURNAL_FILE) == 0)
        return BUNDLE_JOURNAL_MAX;
    if (strcmp(name, BUNDLE_PACKAGE_FILE) == 0)
        return 2 * HASH_LEN + 1;
    return BUNDLE_REPORT_MAX;
}

/* The rules both the encoder and the decoder hold a manifest to. */
static int manifest_check(const struct bundle_manifest *m, struct err *e)
{
    if (!election_id_valid(m->election_id))
        return err_set(e, ERR_INVALID,
                       "the manifest's election id is not 1 to %d lower-case letters, digits or "
                       "'-' (docs/package.md)",
                       ELECTION_ID_LEN_MAX);
    if (!kind_valid(m->kind))
        return err_set(e, ERR_INVALID, "the manifest's export kind %u is unknown",
                       (unsigned)m->kind);
    if (m->nfiles > BUNDLE_MAX_FILES)
        return err_set(e, ERR_INVALID, "the manifest lists %zu files, at most %d are allowed",
                       m->nfiles, BUNDLE_MAX_FILES);
    for (size_t i = 0; i < m->nfiles; i++) {
        if (!bundle_name_valid(m->files[i].name))
            return err_set(e, ERR_INVALID, "the manifest lists an invalid file name");
        if (i > 0 && strcmp(m->files[i - 1].name, m->files[i].name) >= 0)
            return err_set(e, ERR_INVALID,
                           "the manifest's files are not sorted by name or repeat one (%s)",
                           m->files[i].name);
        if (m->files[i].size > bundle_file_max(m->files[i].name))
            return err_set(e, ERR_INVALID,
                           "the manifest lists %s with %" PRIu64 " bytes, more than the %" PRIu64
                           " a bundle may hold: it is not a kiosk's export",
                           m->files[i].name, m->files[i].size, bundle_file_max(m->files[i].name));
    }
    return 0;
}

int bundle_manifest_encode(const struct bundle_manifest *m, struct buf *b, struct err *e)
{
    int rc = manifest_check(m, e);
    if (rc)
        return rc;
    buf_str(b, BUNDLE_MANIFEST_LABEL);
    buf_u16(b, BUNDLE_FORMAT_VERSION);
    buf_str(b, m->election_id);
    buf_raw(b, m->package_hash, HASH_LEN);
    buf_raw(b, m->kiosk_pk, SIGN_PK_LEN);
    buf_u32(b, m->export_seq);
    buf_u8(b, (uint8_t)m->kind);
    buf_u64(b, m->journal_last_seq);
    buf_raw(b, m->journal_head, HASH_LEN);
    buf_u32(b, (uint32_t)m->nfiles);
    for (size_t i = 0; i < m->nfiles; i++) {
        buf_str(b, m->files[i].name);
        buf_u64(b, m->files[i].size);
        buf_raw(b, m->files[i].hash, HASH_LEN);
    }
    if (buf_ok(b))
        return err_set(e, ERR_NOMEM, "out of memory encoding the export manifest");
    return 0;
}

int bundle_manifest_decode(const uint8_t *p, size_t n, struct bundle_manifest *m, struct err *e)
{
    bundle_manifest_init(m);
    if (n > BUNDLE_MANIFEST_MAX)
        return err_set(e, ERR_FORMAT, "the manifest is %zu bytes, more than the %d allowed", n,
                       BUNDLE_MANIFEST_MAX);
    struct rd r;
    rd_init(&r, p, n);
    int rc = 0;
    if (!rd_label(&r, BUNDLE_MANIFEST_LABEL)) {
        rc = err_set(e, ERR_FORMAT, "this is not an isoloir export manifest (wrong label)");
        goto fail;
    }
    uint16_t version = rd_u16(&r);
    if (rd_ok(&r) && version != BUNDLE_FORMAT_VERSION) {
        rc = err_set(e, ERR_VERSION,
                     "the manifest has format version %u; this program reads version %d: use "
                     "the tally that matches the kiosks' software",
                     version, BUNDLE_FORMAT_VERSION);
        goto fail;
    }
    m->election_id = rd_str(&r, BUNDLE_ID_MAX);
    const uint8_t *raw = rd_raw(&r, HASH_LEN);
    if (raw)
        memcpy(m->package_hash, raw, HASH_LEN);
    raw = rd_raw(&r, SIGN_PK_LEN);
    if (raw)
        memcpy(m->kiosk_pk, raw, SIGN_PK_LEN);
    m->export_seq = rd_u32(&r);
    m->kind = (enum bundle_kind)rd_u8(&r);
    m->journal_last_seq = rd_u64(&r);
    raw = rd_raw(&r, HASH_LEN);
    if (raw)
        memcpy(m->journal_head, raw, HASH_LEN);
    uint32_t count = rd_u32(&r);
    if (!rd_ok(&r)) {
        rc = err_set(e, ERR_FORMAT, "the manifest is truncated or malformed");
        goto fail;
    }
    if (count > BUNDLE_MAX_FILES) {
        rc = err_set(e, ERR_FORMAT, "the manifest lists %" PRIu32 " files, at most %d allowed",
                     count, BUNDLE_MAX_FILES);
        goto fail;
    }
    m->files = calloc(count ? count : 1, sizeof *m->files);
    if (!m->files) {
        rc = err_set(e, ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (uint32_t i = 0; i < count && rd_ok(&r); i++) {
        m->files[i].name = rd_str(&r, BUNDLE_NAME_MAX);
        m->files[i].size = rd_u64(&r);
        raw = rd_raw(&r, HASH_LEN);
        if (raw)
            memcpy(m->files[i].hash, raw, HASH_LEN);
        m->nfiles = i + 1;
    }
    if (!rd_done(&r)) {
        rc = err_set(e, ERR_FORMAT, "the manifest is truncated, malformed or has extra bytes");
        goto fail;
    }
    rc = manifest_check(m, e);
    if (rc)
        goto fail;
    return 0;

fail:
    bundle_manifest_free(m);
    return rc;
}

static void text_line(struct buf *b, const char *label, const char *value)
{
    buf_raw(b, label, strlen(label));
    buf_raw(b, ": ", 2);
    buf_raw(b, value, strlen(value));
    buf_raw(b, "\n", 1);
}

static void text_hash(struct buf *b, const char *label, const uint8_t *h)
{
    char hex[2 * HASH_LEN + 1], fpr[FPR_TEXT_LEN + 1], line[2 * HASH_LEN + FPR_TEXT_LEN + 8];
    hex_encode(hex, h, HASH_LEN);
    fingerprint(fpr, h, HASH_LEN);
    snprintf(line, sizeof line, "%s (%s)", hex, fpr);
    text_line(b, label, line);
}

int bundle_manifest_text(const struct bundle_manifest *m, struct buf *b, struct err *e)
{
    int rc = manifest_check(m, e);
    if (rc)
        return rc;
    char num[64];
    text_line(b, "isoloir export manifest", "see manifest.bin (signed) and docs/export.md");
    snprintf(num, sizeof num, "%d", BUNDLE_FORMAT_VERSION);
    text_line(b, "format", num);
    text_line(b, "election", m->election_id);
    text_hash(b, "package hash", m->package_hash);
    text_hash(b, "kiosk key", m->kiosk_pk);
    snprintf(num, sizeof num, "%" PRIu32 " (%s)", m->export_seq, bundle_kind_name(m->kind));
    text_line(b, "export", num);
    snprintf(num, sizeof num, "%" PRIu64, m->journal_last_seq);
    text_line(b, "journal last row", num);
    text_hash(b, "journal chain head", m->journal_head);
    snprintf(num, sizeof num, "%zu", m->nfiles);
    text_line(b, "files", num);
    for (size_t i = 0; i < m->nfiles; i++) {
        char hex[2 * HASH_LEN + 1], line[2 * HASH_LEN + BUNDLE_NAME_MAX + 40];
        hex_encode(hex, m->files[i].hash, HASH_LEN);
        snprintf(line, sizeof line, "  %s %12" PRIu64 " %s\n", hex, m->files[i].size,
                 m->files[i].name);
        buf_raw(b, line, strlen(line));
    }
    if (buf_ok(b))
        return err_set(e, ERR_NOMEM, "out of memory writing the manifest text");
    return 0;
}

int bundle_journal_snapshot_db(struct sqlite3 *src, uint8_t **out, size_t *len, struct err *e)
{
    *out = NULL;
    *len = 0;
    sqlite3 *dst = NULL;
    sqlite3_backup *bk = NULL;
    unsigned char *ser = NULL;
    int rc = 0;
    if (sqlite3_open_v2(":memory:", &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = err_set(e, ERR_NOMEM, "cannot open an in-memory database for the snapshot");
        goto done;
    }
    bk = sqlite3_backup_init(dst, "main", src, "main");
    if (!bk) {
        rc = err_set(e, ERR_IO, "cannot start the journal backup: %s", sqlite3_errmsg(dst));
        goto done;
    }
    /* -1: all pages in one step, inside one read transaction on the source, so the copy is
     * one consistent state even while the kiosk keeps writing. */
    int step = sqlite3_backup_step(bk, -1);
    int fin = sqlite3_backup_finish(bk);
    bk = NULL;
    if (step != SQLITE_DONE || fin != SQLITE_OK) {
        int code = (step == SQLITE_NOTADB || step == SQLITE_CORRUPT) ? ERR_FORMAT : ERR_IO;
        rc = err_set(e, code, "cannot copy the journal: %s",
                     sqlite3_errstr(step != SQLITE_DONE ? step : fin));
        goto done;
    }
    sqlite3_int64 size = 0;
    ser = sqlite3_serialize(dst, "main", &size, 0);
    if (!ser || size <= 0) {
        rc = err_set(e, ERR_NOMEM, "cannot serialise the journal snapshot (out of memory?)");
        goto done;
    }
    if ((unsigned long long)size > BUNDLE_JOURNAL_MAX) {
        rc = err_set(e, ERR_INVALID, "the journal is %lld bytes, more than an export holds",
                     (long long)size);
        goto done;
    }
    *out = malloc((size_t)size);
    if (!*out) {
        rc = err_set(e, ERR_NOMEM, "out of memory copying the journal snapshot");
        goto done;
    }
    memcpy(*out, ser, (size_t)size);
    /* Header bytes 18 and 19 (write and read format versions) say 2 when the source is in
     * WAL mode; the snapshot is a self-contained file, so mark it as rollback mode (1). */
    if (size >= 100) {
        (*out)[18] = 1;
        (*out)[19] = 1;
    }
    *len = (size_t)size;

done:
    sqlite3_free(ser);
    if (bk)
        sqlite3_backup_finish(bk);
    sqlite3_close(dst);
    return rc;
}

int bundle_journal_snapshot(const char *journal_path, uint8_t **out, size_t *len, struct err *e)
{
    *out = NULL;
    *len = 0;
    struct stat st;
    if (stat(journal_path, &st) != 0)
        return err_errno(e, "cannot find the journal %s", journal_path);
    sqlite3 *src = NULL;
    int rc = 0;
    if (sqlite3_open_v2(journal_path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = err_set(e, ERR_IO, "cannot open the journal %s: %s", journal_path,
                     src ? sqlite3_errmsg(src) : "out of memory");
        goto done;
    }
    rc = bundle_journal_snapshot_db(src, out, len, e);
    if (rc)
        err_prefix(e, "%s: ", journal_path);

done:
    sqlite3_close(src);
    return rc;
}

int bundle_hash_file(const char *path, uint64_t max_size, uint8_t hash[HASH_LEN], uint64_t *size,
                     struct err *e)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return err_errno(e, "cannot open %s", path);
    int rc = 0;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = err_errno(e, "cannot read %s", path);
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = err_set(e, ERR_TAMPER, "%s is not a regular file", path);
        goto done;
    }
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, HASH_LEN);
    uint8_t chunk[65536];
    uint64_t total = 0;
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = err_errno(e, "cannot read %s", path);
            goto done;
        }
        if (got == 0)
            break;
        total += (uint64_t)got;
        if (total > max_size) {
            rc = err_set(e, ERR_TAMPER, "%s is larger than %" PRIu64 " bytes", path, max_size);
            goto done;
        }
        crypto_generichash_update(&h, chunk, (size_t)got);
    }
    crypto_generichash_final(&h, hash, HASH_LEN);
    *size = total;

done:
    close(fd);
    return rc;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + 1 + strlen(name) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Reads dir/name completely, at most max bytes, refusing links and non-regular files. */
static int read_small(const char *dir, const char *name, size_t max, uint8_t **data, size_t *len,
                      struct err *e)
{
    char *path = join(dir, name);
    if (!path)
        return err_set(e, ERR_NOMEM, "out of memory");
    struct stat st;
    int rc = 0;
    if (lstat(path, &st) != 0) {
        rc = err_errno(e, "cannot read %s", path);
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = err_set(e, ERR_TAMPER, "%s is not a regular file", path);
        goto done;
    }
    rc = util_read_file(path, max, data, len, e);
    if (rc == ERR_INVALID)
        rc = err_set(e, ERR_TAMPER, "%s is larger than the %zu bytes it may have", path, max);

done:
    free(path);
    return rc;
}

static bool is_manifest_name(const char *n)
{
    return strcmp(n, BUNDLE_MANIFEST_FILE) == 0 || strcmp(n, BUNDLE_SIGNATURE_FILE) == 0 ||
           strcmp(n, BUNDLE_MANIFEST_TXT) == 0;
}

/* Every entry of the directory is a listed file or a manifest file. */
static int check_entries(const char *dir, const struct bundle_manifest *m, struct err *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return err_errno(e, "cannot list the bundle directory %s", dir);
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || is_manifest_name(n))
            continue;
        bool listed = false;
        for (size_t i = 0; i < m->nfiles && !listed; i++)
            listed = strcmp(m->files[i].name, n) == 0;
        if (!listed) {
            rc = err_set(e, ERR_TAMPER,
                         "the bundle %s holds a file the manifest does not list: \"%s\" (it was "
                         "added after the export; remove it or copy the bundle again from the "
                         "kiosk's stick)",
                         dir, n);
            break;
        }
    }
    closedir(d);
    return rc;
}

int bundle_open(const char *dir, struct bundle *out, struct err *e)
{
    return bundle_open_trusted(dir, NULL, 0, out, e);
}

int bundle_open_trusted(const char *dir, const uint8_t (*pks)[SIGN_PK_LEN], size_t npks,
                        struct bundle *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    bundle_manifest_init(&out->manifest);
    uint8_t *mbin = NULL, *sig = NULL, *txt = NULL, *pkg = NULL;
    size_t mlen = 0, slen = 0, tlen = 0, plen = 0;
    struct buf want;
    buf_init(&want);
    int rc = 0;

    out->dir = util_strdup(dir);
    if (!out->dir) {
        rc = err_set(e, ERR_NOMEM, "out of memory");
        goto fail;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rc = err_set(e, ERR_NOTFOUND, "%s is not a directory: give the path of an export bundle",
                     dir);
        goto fail;
    }
    rc = read_small(dir, BUNDLE_MANIFEST_FILE, BUNDLE_MANIFEST_MAX, &mbin, &mlen, e);
    if (rc) {
        if (rc == ERR_NOTFOUND)
            err_set(e, ERR_NOTFOUND,
                    "%s has no manifest.bin: it is not an export bundle, or its export did not "
                    "finish (export again from the kiosk)",
                    dir);
        goto fail;
    }
    rc = read_small(dir, BUNDLE_SIGNATURE_FILE, SIG_LEN, &sig, &slen, e);
    if (rc) {
        if (rc == ERR_NOTFOUND)
            rc = err_set(e, ERR_TAMPER, "%s has no manifest.sig: the bundle is incomplete", dir);
        goto fail;
    }
    if (slen != SIG_LEN) {
        rc = err_set(e, ERR_TAMPER, "%s/manifest.sig is %zu bytes, a signature is %d", dir, slen,
                     SIG_LEN);
        goto fail;
    }
    rc = bundle_manifest_decode(mbin, mlen, &out->manifest, e);
    if (rc) {
        err_prefix(e, "%s/manifest.bin: ", dir);
        goto fail;
    }
    struct bundle_manifest *m = &out->manifest;
    if (sign_verify(sig, mbin, mlen, m->kiosk_pk) != 0) {
        char fpr[FPR_TEXT_LEN + 1];
        fingerprint(fpr, m->kiosk_pk, SIGN_PK_LEN);
        rc = err_set(e, ERR_CRYPTO,
                     "%s: the manifest signature does not verify under the kiosk key it names "
                     "(%s): the manifest was altered or damaged after the export",
                     dir, fpr);
        goto fail;
    }
    if (pks) {
        bool known = false;
        for (size_t k = 0; k < npks && !known; k++)
            known = sodium_memcmp(pks[k], m->kiosk_pk, SIGN_PK_LEN) == 0;
        if (!known) {
            char fpr[FPR_TEXT_LEN + 1];
            fingerprint(fpr, m->kiosk_pk, SIGN_PK_LEN);
            rc = err_set(e, ERR_PERM,
                         "%s is signed by kiosk key %s, which the election package does not "
                         "authorise: none of its files was read (bring the exports of this "
                         "election's kiosks)",
                         dir, fpr);
            goto fail;
        }
    }
    rc = check_entries(dir, m, e);
    if (rc)
        goto fail;
    out->paths = calloc(m->nfiles ? m->nfiles : 1, sizeof *out->paths);
    if (!out->paths) {
        rc = err_set(e, ERR_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < m->nfiles; i++) {
        const struct bundle_file *f = &m->files[i];
        out->paths[i] = join(dir, f->name);
        if (!out->paths[i]) {
            rc = err_set(e, ERR_NOMEM, "out of memory");
            goto fail;
        }
        uint8_t h[HASH_LEN];
        uint64_t size = 0;
        struct stat fst;
        if (lstat(out->paths[i], &fst) != 0) {
            rc = err_set(e, ERR_TAMPER,
                         "%s: the file %s listed in the manifest is missing (copy the bundle "
                         "again from the kiosk's stick)",
                         dir, f->name);
            goto fail;
        }
        if (!S_ISREG(fst.st_mode)) {
            rc = err_set(e, ERR_TAMPER, "%s: %s is not a regular file", dir, f->name);
            goto fail;
        }
        if ((uint64_t)fst.st_size != f->size) {
            rc = err_set(e, ERR_TAMPER,
                         "%s: %s is %lld bytes but the manifest says %" PRIu64
                         " bytes: the file was %s after the export",
                         dir, f->name, (long long)fst.st_size, f->size,
                         (uint64_t)fst.st_size < f->size ? "truncated" : "extended");
            goto fail;
        }
        rc = bundle_hash_file(out->paths[i], f->size, h, &size, e);
        if (rc)
            goto fail;
        if (size != f->size || sodium_memcmp(h, f->hash, HASH_LEN) != 0) {
            rc = err_set(e, ERR_TAMPER,
                         "%s: the content of %s does not match its hash in the manifest: the "
                         "file was altered or damaged after the export",
                         dir, f->name);
            goto fail;
        }
    }
    if (!bundle_path(out, BUNDLE_JOURNAL_FILE) || !bundle_path(out, BUNDLE_PACKAGE_FILE)) {
        rc = err_set(e, ERR_TAMPER, "%s: the manifest does not list %s and %s", dir,
                     BUNDLE_JOURNAL_FILE, BUNDLE_PACKAGE_FILE);
        goto fail;
    }
    out->journal_path = util_strdup(bundle_path(out, BUNDLE_JOURNAL_FILE));
    if (!out->journal_path) {
        rc = err_set(e, ERR_NOMEM, "out of memory");
        goto fail;
    }
    rc = read_small(dir, BUNDLE_PACKAGE_FILE, 2 * HASH_LEN + 1, &pkg, &plen, e);
    if (rc)
        goto fail;
    char hex[2 * HASH_LEN + 2];
    hex_encode(hex, m->package_hash, HASH_LEN);
    hex[2 * HASH_LEN] = '\n';
    hex[2 * HASH_LEN + 1] = '\0';
    if (plen != 2 * HASH_LEN + 1 || memcmp(pkg, hex, plen) != 0) {
        rc = err_set(e, ERR_TAMPER, "%s: %s does not hold the package hash the manifest names", dir,
                     BUNDLE_PACKAGE_FILE);
        goto fail;
    }
    rc = bundle_manifest_text(m, &want, e);
    if (rc)
        goto fail;
    rc = read_small(dir, BUNDLE_MANIFEST_TXT, want.len, &txt, &tlen, e);
    if (rc == ERR_NOTFOUND) {
        rc = err_set(e, ERR_TAMPER, "%s has no manifest.txt: the bundle is incomplete", dir);
        goto fail;
    }
    if (rc == ERR_TAMPER || (!rc && (tlen != want.len || memcmp(txt, want.data, tlen) != 0))) {
        rc = err_set(e, ERR_TAMPER,
                     "%s: manifest.txt does not say what the signed manifest.bin says: it was "
                     "altered after the export",
                     dir);
        goto fail;
    }
    if (rc)
        goto fail;
    goto done;

fail:
    bundle_close(out);
done:
    buf_free(&want);
    free(mbin);
    free(sig);
    free(txt);
    free(pkg);
    return rc;
}

void bundle_close(struct bundle *b)
{
    if (!b)
        return;
    if (b->paths)
        for (size_t i = 0; i < b->manifest.nfiles; i++)
            free(b->paths[i]);
    free(b->paths);
    free(b->journal_path);
    free(b->dir);
    bundle_manifest_free(&b->manifest);
    memset(b, 0, sizeof *b);
}

const char *bundle_path(const struct bundle *b, const char *name)
{
    if (!b->paths)
        return NULL;
    for (size_t i = 0; i < b->manifest.nfiles; i++)
        if (strcmp(b->manifest.files[i].name, name) == 0)
            return b->paths[i];
    return NULL;
}
