/* The bundle format and its reader: manifest encoding round trip and strict decoding, and a
 * written bundle damaged in every way the tally must notice (truncated, altered, extra,
 * missing, replaced files; edited manifest, text or signature; links). */
#include <fcntl.h>

#include "hwfix.h"

static void fill_manifest(struct bundle_manifest *m)
{
    bundle_manifest_init(m);
    m->election_id = util_strdup("bxl-2026");
    memset(m->package_hash, 1, HASH_LEN);
    memset(m->kiosk_pk, 2, SIGN_PK_LEN);
    m->export_seq = 7;
    m->kind = BUNDLE_INTERIM;
    m->journal_last_seq = 1234;
    memset(m->journal_head, 3, HASH_LEN);
    uint8_t h[HASH_LEN];
    memset(h, 4, HASH_LEN);
    struct err e;
    CHECK_INT(bundle_manifest_add(m, "report-zero.txt", 10, h, &e), 0);
    CHECK_INT(bundle_manifest_add(m, "journal.sqlite", 4096, h, &e), 0);
    CHECK_INT(bundle_manifest_add(m, "package-hash.txt", 65, h, &e), 0);
}

static void test_manifest_roundtrip(void)
{
    struct bundle_manifest m, d;
    fill_manifest(&m);
    struct err e;
    CHECK_STR(m.files[0].name, "journal.sqlite"); /* kept sorted */
    CHECK_STR(m.files[2].name, "report-zero.txt");
    uint8_t h[HASH_LEN] = {0};
    CHECK_INT(bundle_manifest_add(&m, "journal.sqlite", 1, h, &e), ERR_INVALID);
    CHECK_INT(bundle_manifest_add(&m, "manifest.bin", 1, h, &e), ERR_INVALID);
    CHECK_INT(bundle_manifest_add(&m, "../x", 1, h, &e), ERR_INVALID);
    CHECK_INT(bundle_manifest_add(&m, ".hidden", 1, h, &e), ERR_INVALID);
    struct buf b;
    buf_init(&b);
    CHECK_INT(bundle_manifest_encode(&m, &b, &e), 0);
    CHECK_INT(bundle_manifest_decode(b.data, b.len, &d, &e), 0);
    CHECK_STR(d.election_id, "bxl-2026");
    CHECK_INT(d.export_seq, 7);
    CHECK_INT(d.kind, BUNDLE_INTERIM);
    CHECK_INT(d.journal_last_seq, 1234);
    CHECK_INT(d.nfiles, 3);
    CHECK_STR(d.files[1].name, "package-hash.txt");
    CHECK_INT(d.files[1].size, 65);
    struct buf again;
    buf_init(&again);
    CHECK_INT(bundle_manifest_encode(&d, &again, &e), 0);
    CHECK(again.len == b.len && memcmp(again.data, b.data, b.len) == 0);
    bundle_manifest_free(&d);

    /* Every truncation is malformed, never a crash. */
    for (size_t n = 0; n < b.len; n++)
        CHECK(bundle_manifest_decode(b.data, n, &d, &e) < 0);
    /* Trailing bytes. */
    buf_u8(&b, 0);
    CHECK_INT(bundle_manifest_decode(b.data, b.len, &d, &e), ERR_FORMAT);
    b.len--;
    /* Another version: byte 4 + 23 (label) is the version's high byte. */
    size_t vat = 4 + strlen(BUNDLE_MANIFEST_LABEL);
    b.data[vat + 1] = 2;
    CHECK_INT(bundle_manifest_decode(b.data, b.len, &d, &e), ERR_VERSION);
    CHECK_HAS(e.msg, "version 2");
    b.data[vat + 1] = 1;
    /* Unsorted names: swap the first letters of the first two names. */
    struct bundle_manifest bad;
    fill_manifest(&bad);
    char *t = bad.files[0].name;
    bad.files[0].name = bad.files[1].name;
    bad.files[1].name = t;
    struct buf bb;
    buf_init(&bb);
    CHECK_INT(bundle_manifest_encode(&bad, &bb, &e), ERR_INVALID);
    bad.kind = (enum bundle_kind)3;
    CHECK_INT(bundle_manifest_encode(&bad, &bb, &e), ERR_INVALID);
    bundle_manifest_free(&bad);
    buf_free(&bb);

    struct buf txt;
    buf_init(&txt);
    CHECK_INT(bundle_manifest_text(&m, &txt, &e), 0);
    buf_u8(&txt, 0);
    CHECK_HAS((const char *)txt.data, "election: bxl-2026\n");
    CHECK_HAS((const char *)txt.data, "export: 7 (interim)\n");
    CHECK_HAS((const char *)txt.data, "journal last row: 1234\n");
    buf_free(&txt);
    buf_free(&b);
    buf_free(&again);
    bundle_manifest_free(&m);
}

/* The encoder and the text form against files made from docs/export.md by an independent
 * script (data/make_golden.py). */
static void test_golden(void)
{
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    if (!src) {
        CHECK(!"ISOLOIR_SOURCE_DIR set by ctest");
        return;
    }
    struct bundle_manifest m;
    bundle_manifest_init(&m);
    m.election_id = util_strdup("bxl-2026");
    memset(m.package_hash, 0x11, HASH_LEN);
    memset(m.kiosk_pk, 0x22, SIGN_PK_LEN);
    m.export_seq = 3;
    m.kind = BUNDLE_CLOSING;
    m.journal_last_seq = 41;
    memset(m.journal_head, 0x33, HASH_LEN);
    uint8_t h[HASH_LEN];
    memset(h, 0x44, HASH_LEN);
    struct err e;
    CHECK_INT(bundle_manifest_add(&m, "report-zero.txt", 640, h, &e), 0);
    CHECK_INT(bundle_manifest_add(&m, "journal.sqlite", 123456, h, &e), 0);
    CHECK_INT(bundle_manifest_add(&m, "report-closing.txt", 812, h, &e), 0);
    CHECK_INT(bundle_manifest_add(&m, "package-hash.txt", 65, h, &e), 0);
    const char *names[2] = {"manifest-golden.bin", "manifest-golden.txt"};
    for (int i = 0; i < 2; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/tests/hw/data/%s", src, names[i]);
        uint8_t *want = NULL;
        size_t n = 0;
        CHECK_INT(util_read_file(path, 1 << 16, &want, &n, &e), 0);
        struct buf b;
        buf_init(&b);
        CHECK_INT(i == 0 ? bundle_manifest_encode(&m, &b, &e) : bundle_manifest_text(&m, &b, &e),
                  0);
        CHECK_INT(b.len, n);
        CHECK(want && b.len == n && memcmp(b.data, want, n) == 0);
        if (i == 0 && want) {
            struct bundle_manifest d;
            CHECK_INT(bundle_manifest_decode(want, n, &d, &e), 0);
            bundle_manifest_free(&d);
        }
        buf_free(&b);
        free(want);
    }
    bundle_manifest_free(&m);
}

static void test_names(void)
{
    CHECK(bundle_id_valid("bxl-2026"));
    CHECK(!bundle_id_valid("Schaerbeek_2026.v2")); /* one rule: election_id_valid */
    CHECK(bundle_id_valid("0123456789012345678901234567890123456789"));
    CHECK(!bundle_id_valid("01234567890123456789012345678901234567890"));
    CHECK(!bundle_id_valid("a/b"));
    CHECK(!bundle_id_valid("a b"));
    CHECK(!bundle_id_valid(""));
    CHECK(!bundle_id_valid("\xc3\xa9t\xc3\xa9"));
    char name[BUNDLE_DIR_NAME_MAX + 1];
    uint8_t pk[SIGN_PK_LEN] = {0};
    struct err e;
    CHECK_INT(bundle_dir_name(name, sizeof name, "bxl-2026", pk, 12, &e), 0);
    char fpr[FPR_TEXT_LEN + 1];
    fingerprint(fpr, pk, SIGN_PK_LEN);
    char want[128];
    snprintf(want, sizeof want, "isoloir-bxl-2026-%.4s%.4s%.4s%.4s%.4s-0012", fpr, fpr + 5,
             fpr + 10, fpr + 15, fpr + 20);
    CHECK_STR(name, want);
    CHECK_INT(bundle_dir_name(name, sizeof name, "a/b", pk, 1, &e), ERR_INVALID);
}

/* ---- a real bundle, copied and damaged ---- */

static void copy_file(const char *from, const char *to)
{
    uint8_t *d = NULL;
    size_t n = 0;
    struct err e;
    if (util_read_file(from, 1 << 26, &d, &n, &e) == 0) {
        FILE *f = fopen(to, "wb");
        fwrite(d, 1, n, f);
        fclose(f);
    }
    free(d);
}

static void copy_dir(const char *from, const char *to)
{
    mkdir(to, 0755);
    DIR *d = opendir(from);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char a[PATH_MAX], b[PATH_MAX];
        snprintf(a, sizeof a, "%s/%s", from, de->d_name);
        snprintf(b, sizeof b, "%s/%s", to, de->d_name);
        copy_file(a, b);
    }
    if (d)
        closedir(d);
}

static void flip(const char *path, long at)
{
    int fd = open(path, O_RDWR);
    uint8_t c;
    off_t off = at >= 0 ? at : lseek(fd, 0, SEEK_END) + at;
    pread(fd, &c, 1, off);
    c ^= 0x20;
    pwrite(fd, &c, 1, off);
    close(fd);
}

static void truncate_to(const char *path, long drop)
{
    struct stat st;
    stat(path, &st);
    truncate(path, st.st_size - drop);
}

static void append(const char *path, const char *text)
{
    FILE *f = fopen(path, "ab");
    fputs(text, f);
    fclose(f);
}

enum damage {
    D_NONE,
    D_TRUNC_JOURNAL,
    D_FLIP_JOURNAL,
    D_GROW_REPORT,
    D_EXTRA_FILE,
    D_MISSING_REPORT,
    D_FLIP_MANIFEST,
    D_TRUNC_MANIFEST,
    D_NO_MANIFEST,
    D_SHORT_SIG,
    D_FLIP_SIG,
    D_EDIT_TEXT,
    D_NO_TEXT,
    D_SYMLINK,
    D_PACKAGE_TEXT,
    D_COUNT,
};

static const struct {
    int code;
    const char *phrase;
} expect[D_COUNT] = {
    [D_NONE] = {0, ""},
    [D_TRUNC_JOURNAL] = {ERR_TAMPER, "truncated"},
    [D_FLIP_JOURNAL] = {ERR_TAMPER, "does not match its hash"},
    [D_GROW_REPORT] = {ERR_TAMPER, "extended"},
    [D_EXTRA_FILE] = {ERR_TAMPER, "does not list: \"notes.txt\""},
    [D_MISSING_REPORT] = {ERR_TAMPER, "report-zero.txt listed in the manifest is missing"},
    [D_FLIP_MANIFEST] = {ERR_CRYPTO, "signature does not verify"},
    [D_TRUNC_MANIFEST] = {ERR_FORMAT, "manifest"},
    [D_NO_MANIFEST] = {ERR_NOTFOUND, "not an export bundle"},
    [D_SHORT_SIG] = {ERR_TAMPER, "manifest.sig"},
    [D_FLIP_SIG] = {ERR_CRYPTO, "signature does not verify"},
    [D_EDIT_TEXT] = {ERR_TAMPER, "manifest.txt does not say"},
    [D_NO_TEXT] = {ERR_TAMPER, "no manifest.txt"},
    [D_SYMLINK] = {ERR_TAMPER, "not a regular file"},
    [D_PACKAGE_TEXT] = {ERR_TAMPER, "package-hash.txt"},
};

static void damage(const char *dir, enum damage d)
{
    char p[PATH_MAX];
#define AT(name) (snprintf(p, sizeof p, "%s/%s", dir, name), p)
    switch (d) {
    case D_NONE:
    case D_COUNT:
        break;
    case D_TRUNC_JOURNAL:
        truncate_to(AT("journal.sqlite"), 100);
        break;
    case D_FLIP_JOURNAL:
        flip(AT("journal.sqlite"), 5000);
        break;
    case D_GROW_REPORT:
        append(AT("report-zero.txt"), "ballots: 3\n");
        break;
    case D_EXTRA_FILE:
        append(AT("notes.txt"), "hello\n");
        break;
    case D_MISSING_REPORT:
        unlink(AT("report-zero.txt"));
        break;
    case D_FLIP_MANIFEST:
        flip(AT("manifest.bin"),
             -5); /* a byte of the last hash: parses, then fails its signature */
        break;
    case D_TRUNC_MANIFEST:
        truncate_to(AT("manifest.bin"), 9);
        break;
    case D_NO_MANIFEST:
        unlink(AT("manifest.bin"));
        break;
    case D_SHORT_SIG:
        truncate_to(AT("manifest.sig"), 1);
        break;
    case D_FLIP_SIG:
        flip(AT("manifest.sig"), 3);
        break;
    case D_EDIT_TEXT:
        flip(AT("manifest.txt"), -3);
        break;
    case D_NO_TEXT:
        unlink(AT("manifest.txt"));
        break;
    case D_SYMLINK: {
        char target[PATH_MAX];
        snprintf(target, sizeof target, "%s/report-zero.txt", dir);
        char moved[PATH_MAX];
        snprintf(moved, sizeof moved, "%s.outside", dir);
        rename(target, moved);
        symlink(moved, target);
        break;
    }
    case D_PACKAGE_TEXT:
        break; /* handled by the caller: needs a re-signed manifest */
    }
#undef AT
}

static void test_damaged_bundles(void)
{
    struct hwfix f;
    fix_setup(&f, "tamper", 30);
    struct export_result res;
    struct err e;
    CHECK_INT(export_write(&f.rq, &res, &e), 0);
    for (int d = 0; d < D_COUNT; d++) {
        if (d == D_PACKAGE_TEXT)
            continue;
        char copy[PATH_MAX];
        snprintf(copy, sizeof copy, "%s/copy-%d", f.root, d);
        copy_dir(res.dir, copy);
        damage(copy, (enum damage)d);
        struct bundle b;
        err_clear(&e);
        int rc = bundle_open(copy, &b, &e);
        CHECK_INT(rc, expect[d].code);
        CHECK_HAS(e.msg, expect[d].phrase);
        if (rc != expect[d].code)
            fprintf(stderr, "damage %d: %s\n", d, e.msg);
        if (rc == 0)
            bundle_close(&b);
        CHECK(b.paths == NULL && b.dir == NULL); /* nothing handed out on failure */
    }
    struct bundle b;
    CHECK_INT(bundle_open(f.stick, &b, &e), ERR_NOTFOUND); /* not a bundle */
    char none[PATH_MAX];
    snprintf(none, sizeof none, "%s/none", f.root);
    CHECK_INT(bundle_open(none, &b, &e), ERR_NOTFOUND);
    fix_teardown(&f);
}

/* A manifest re-signed by another key opens (the tally then checks that key is authorised),
 * and names that key; a package-hash.txt that disagrees with a signed manifest is caught. */
static void test_resigned(void)
{
    struct hwfix f;
    fix_setup(&f, "resign", 5);
    struct export_result res;
    struct err e;
    CHECK_INT(export_write(&f.rq, &res, &e), 0);
    struct bundle b;
    CHECK_INT(bundle_open(res.dir, &b, &e), 0);
    struct secret_key *other = NULL;
    CHECK_INT(key_generate(KEY_KIOSK, true, &other, &e), 0);

    for (int variant = 0; variant < 2; variant++) {
        struct bundle_manifest m = b.manifest; /* shallow: only fields changed below */
        memcpy(m.kiosk_pk, other->pk, SIGN_PK_LEN);
        char pkgfile[PATH_MAX];
        snprintf(pkgfile, sizeof pkgfile, "%s/package-hash.txt", res.dir);
        if (variant == 1) {
            /* a different package hash in the manifest, same package-hash.txt */
            m.package_hash[0] ^= 1;
        }
        struct buf bin, txt;
        buf_init(&bin);
        buf_init(&txt);
        CHECK_INT(bundle_manifest_encode(&m, &bin, &e), 0);
        CHECK_INT(bundle_manifest_text(&m, &txt, &e), 0);
        uint8_t sig[SIG_LEN];
        sign_detached(sig, bin.data, bin.len, other->sk);
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/manifest.bin", res.dir);
        CHECK_INT(util_write_durable(p, bin.data, bin.len, 0644, &e), 0);
        snprintf(p, sizeof p, "%s/manifest.txt", res.dir);
        CHECK_INT(util_write_durable(p, txt.data, txt.len, 0644, &e), 0);
        snprintf(p, sizeof p, "%s/manifest.sig", res.dir);
        CHECK_INT(util_write_durable(p, sig, SIG_LEN, 0644, &e), 0);
        buf_free(&bin);
        buf_free(&txt);
        struct bundle b2;
        int rc = bundle_open(res.dir, &b2, &e);
        if (variant == 0) {
            CHECK_INT(rc, 0);
            if (rc == 0) {
                CHECK(memcmp(b2.manifest.kiosk_pk, other->pk, SIGN_PK_LEN) == 0);
                bundle_close(&b2);
            }
        } else {
            CHECK_INT(rc, expect[D_PACKAGE_TEXT].code);
            CHECK_HAS(e.msg, expect[D_PACKAGE_TEXT].phrase);
        }
    }
    key_free(other);
    bundle_close(&b);
    fix_teardown(&f);
}

/* Signs m with key and writes manifest.bin/.sig/.txt into dir. bin_patch, when not NULL,
 * edits the encoded bytes before signing (to write what the encoder refuses). */
static void write_manifest(const char *dir, const struct bundle_manifest *m,
                           const struct secret_key *key, void (*bin_patch)(struct buf *))
{
    struct err e;
    struct buf bin, txt;
    buf_init(&bin);
    buf_init(&txt);
    CHECK_INT(bundle_manifest_encode(m, &bin, &e), 0);
    CHECK_INT(bundle_manifest_text(m, &txt, &e), 0);
    if (bin_patch)
        bin_patch(&bin);
    uint8_t sig[SIG_LEN];
    sign_detached(sig, bin.data, bin.len, key->sk);
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/manifest.bin", dir);
    CHECK_INT(util_write_durable(p, bin.data, bin.len, 0644, &e), 0);
    snprintf(p, sizeof p, "%s/manifest.txt", dir);
    CHECK_INT(util_write_durable(p, txt.data, txt.len, 0644, &e), 0);
    snprintf(p, sizeof p, "%s/manifest.sig", dir);
    CHECK_INT(util_write_durable(p, sig, SIG_LEN, 0644, &e), 0);
    buf_free(&bin);
    buf_free(&txt);
}

/* The journal's listed size 0x3fffffff becomes 0x40000001: over the cap. */
static void oversize(struct buf *bin)
{
    static const uint8_t was[8] = {0, 0, 0, 0, 0x3f, 0xff, 0xff, 0xff};
    static const uint8_t now[8] = {0, 0, 0, 0, 0x40, 0, 0, 1};
    for (size_t i = 0; i + 8 <= bin->len; i++)
        if (memcmp(bin->data + i, was, 8) == 0) {
            memcpy(bin->data + i, now, 8);
            return;
        }
    CHECK(!"the size was not found in the manifest");
}

/* The tally's reader: the signing key is checked against the package's kiosk keys before any
 * listed file is opened, and listed sizes are capped before anything is read. */
static void test_trusted_keys_and_caps(void)
{
    struct hwfix f;
    fix_setup(&f, "trust", 5);
    struct export_result res;
    struct err e;
    CHECK_INT(export_write(&f.rq, &res, &e), 0);
    struct bundle b;
    const uint8_t(*mine)[SIGN_PK_LEN] = (const uint8_t(*)[SIGN_PK_LEN])f.key->pk;
    CHECK_INT(bundle_open_trusted(res.dir, mine, 1, &b, &e), 0);
    struct bundle_manifest m = b.manifest; /* shallow: only fields changed below */
    struct bundle_file files[BUNDLE_MAX_FILES];
    memcpy(files, m.files, m.nfiles * sizeof *files);
    m.files = files;
    struct secret_key *other = NULL;
    CHECK_INT(key_generate(KEY_KIOSK, true, &other, &e), 0);

    /* Signed by a key the package does not list, and journal.sqlite made unreadable (a
     * directory): the key is what is reported, so nothing was hashed first. */
    char jpath[PATH_MAX];
    snprintf(jpath, sizeof jpath, "%s/journal.sqlite", res.dir);
    CHECK_INT(unlink(jpath), 0);
    CHECK_INT(mkdir(jpath, 0700), 0);
    memcpy(m.kiosk_pk, other->pk, SIGN_PK_LEN);
    write_manifest(res.dir, &m, other, NULL);
    struct bundle b2;
    CHECK_INT(bundle_open_trusted(res.dir, mine, 1, &b2, &e), ERR_PERM);
    CHECK_HAS(e.msg, "does not authorise");
    CHECK_HAS(e.msg, "none of its files was read");
    /* Any key (the kiosk's read-back): the same bundle gets as far as the journal. */
    CHECK_INT(bundle_open(res.dir, &b2, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "not a regular file");

    /* A listed size over the cap: the encoder refuses it, and a manifest patched to say it
     * is refused by the decoder, signature valid or not, before any file is read. */
    memcpy(m.kiosk_pk, f.key->pk, SIGN_PK_LEN);
    for (size_t i = 0; i < m.nfiles; i++)
        if (strcmp(m.files[i].name, BUNDLE_JOURNAL_FILE) == 0)
            m.files[i].size = BUNDLE_JOURNAL_MAX + 1;
    struct buf bin;
    buf_init(&bin);
    CHECK_INT(bundle_manifest_encode(&m, &bin, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "more than");
    buf_free(&bin);
    for (size_t i = 0; i < m.nfiles; i++)
        if (strcmp(m.files[i].name, BUNDLE_JOURNAL_FILE) == 0)
            m.files[i].size = 0x3fffffff;
    write_manifest(res.dir, &m, f.key, oversize);
    CHECK_INT(bundle_open_trusted(res.dir, mine, 1, &b2, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "journal.sqlite with 1073741825 bytes, more than the 1073741824");
    /* A report over its cap. */
    CHECK_INT(bundle_file_max("report-closing-1.txt"), BUNDLE_REPORT_MAX);
    CHECK_INT(bundle_file_max(BUNDLE_PACKAGE_FILE), 65);

    key_free(other);
    bundle_close(&b);
    fix_teardown(&f);
}

int main(void)
{
    RUN(test_manifest_roundtrip);
    RUN(test_golden);
    RUN(test_names);
    RUN(test_damaged_bundles);
    RUN(test_resigned);
    RUN(test_trusted_keys_and_caps);
    return check_done();
}
