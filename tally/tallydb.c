/*
 * tallydb — the tally database; see tallydb.h and docs/tally.md ("The tally database").
 *
 * This file: the database file, its schema, the election it is for, and the queries the
 * reports make (tallydb.h). Importing a source is in tallydb_import.c.
 */
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>

#include "journal.h"
#include "tallydb_int.h"
#include "tracking.h"
#include "util.h"

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS kiosks("
    "  id INTEGER PRIMARY KEY, pk BLOB NOT NULL UNIQUE, label TEXT NOT NULL,"
    "  last_seq INTEGER NOT NULL, head BLOB NOT NULL, state TEXT NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS overrides("
    "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, who TEXT NOT NULL, reason TEXT NOT NULL,"
    "  source TEXT NOT NULL, problems TEXT NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS sources("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL, source_hash BLOB NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL, kiosk INTEGER REFERENCES kiosks(id), export_seq INTEGER,"
    "  last_seq INTEGER NOT NULL, head BLOB NOT NULL, new_rows INTEGER NOT NULL,"
    "  new_ballots INTEGER NOT NULL, problems INTEGER NOT NULL,"
    "  override INTEGER REFERENCES overrides(id), imported_at INTEGER NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS rows(kiosk INTEGER NOT NULL, seq INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY(kiosk, seq)) STRICT, WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS ballots(kiosk INTEGER NOT NULL, seq INTEGER NOT NULL,"
    "  ct BLOB NOT NULL, ct_hash BLOB NOT NULL, PRIMARY KEY(kiosk, seq)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS ballots_hash ON ballots(ct_hash);"
    "CREATE TABLE IF NOT EXISTS tokens(kiosk INTEGER NOT NULL, seq INTEGER NOT NULL,"
    "  hash BLOB NOT NULL, PRIMARY KEY(kiosk, seq)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS tokens_hash ON tokens(hash);"
    "CREATE TABLE IF NOT EXISTS accepted_unclosed(pk BLOB PRIMARY KEY, label TEXT NOT NULL,"
    "  reason TEXT NOT NULL, who TEXT NOT NULL, at INTEGER NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS time_notes(id INTEGER PRIMARY KEY,"
    "  kiosk INTEGER NOT NULL REFERENCES kiosks(id), what TEXT NOT NULL) STRICT;";

static const char STAGING[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_ballots(seq INTEGER PRIMARY KEY, ct BLOB NOT NULL,"
    "  ct_hash BLOB NOT NULL) STRICT;"
    "CREATE TEMP TABLE IF NOT EXISTS stage_tokens(seq INTEGER PRIMARY KEY, hash BLOB NOT NULL)"
    "  STRICT;";

int tdb_fail(sqlite3 *db, const char *what, struct err *e)
{
    return err_set(e, ERR_IO, "the tally database failed %s (%s); nothing of it was written", what,
                   sqlite3_errmsg(db));
}

int tdb_exec(sqlite3 *db, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    int rc = err_set(e, ERR_IO, "the tally database failed (%s): check the file and the disk",
                     msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return rc;
}

int tdb_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct err *e)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return tdb_fail(db, "preparing a statement", e);
    return 0;
}

/* Runs a statement to its end; SQLITE_ROW results are ignored. */
int tdb_step_done(sqlite3 *db, sqlite3_stmt *st, const char *what, struct err *e)
{
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (src != SQLITE_DONE)
        return tdb_fail(db, what, e);
    return 0;
}

static int meta_put(sqlite3 *db, const char *key, const void *v, size_t n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(db, &st, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)", e);
    if (!rc) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, n ? v : "", (int)n, SQLITE_STATIC);
        rc = tdb_step_done(db, st, "recording the election", e);
    }
    sqlite3_finalize(st);
    return rc;
}

/* 1 and *out malloc'd when the key exists, 0 when not, <0 on error. */
static int meta_get(sqlite3 *db, const char *key, uint8_t **out, size_t *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(db, &st, "SELECT value FROM meta WHERE key = ?1", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    rc = 0;
    if (src == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        *out = malloc(len + 1);
        if (!*out) {
            rc = err_set(e, ERR_NOMEM, "out of memory reading the tally database");
        } else {
            if (len)
                memcpy(*out, sqlite3_column_blob(st, 0), len);
            (*out)[len] = 0;
            *n = len;
            rc = 1;
        }
    } else if (src != SQLITE_DONE) {
        rc = tdb_fail(db, "reading the election", e);
    }
    sqlite3_finalize(st);
    return rc;
}

static int configure(sqlite3 *db, bool temporary, struct err *e)
{
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_busy_timeout(db, 10000);
    /* A 64 MB page cache: the indexes on ciphertext and token hashes take their inserts in
     * random order, which the default 2 MB cache turns into page reads and writes. */
    int rc = tdb_exec(db,
                      temporary ? "PRAGMA foreign_keys=ON; PRAGMA temp_store=FILE;"
                                  "PRAGMA cache_size=-65536;"
                                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                  "PRAGMA foreign_keys=ON; PRAGMA temp_store=FILE;"
                                  "PRAGMA cache_size=-65536;",
                      e);
    if (!rc)
        rc = tdb_exec(db, STAGING, e);
    return rc;
}

static int open_db(const char *path, int flags, bool temporary, sqlite3 **out, struct err *e)
{
    *out = NULL;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(temporary ? "" : path, &db, flags, NULL) != SQLITE_OK) {
        int rc = err_set(e, ERR_IO, "cannot open the tally database %s: %s",
                         temporary ? "(temporary)" : path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return rc;
    }
    int app = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        app = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    int ntables = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        ntables = sqlite3_column_int(st, 0);
    else
        ntables = -1;
    sqlite3_finalize(st);
    if (ntables < 0 || (ntables > 0 && app != TALLYDB_APP_ID)) {
        sqlite3_close(db);
        return err_set(e, ERR_FORMAT,
                       "%s is not a tally database (another SQLite file, or not SQLite at all): "
                       "give the tally database, or a new file name to create one",
                       path);
    }
    /* A new database takes 64 kB pages, SQLite's largest (set before WAL mode, which fixes
     * the size). Each source's ciphertext hashes land at random places in the hash index, so
     * one commit dirties most of its pages: importing a 10,000-ballot source into a database
     * of 810,000 made 22,262 writes (61 MB) with 4 kB pages, 1,860 (81 MB) with 64 kB, and
     * the import of the last fifth of a million ballots took 7.4-7.8 s against 6.4 s
     * (docs/perf-tally.md, "Pages of 64 kB"). */
    int rc = ntables == 0 ? tdb_exec(db, "PRAGMA page_size=65536;", e) : 0;
    if (!rc)
        rc = configure(db, temporary, e);
    if (!rc && ntables == 0) {
        char sql[128];
        snprintf(sql, sizeof sql, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
                 TALLYDB_APP_ID, TALLYDB_VERSION);
        rc = tdb_exec(db, sql, e);
    }
    if (!rc)
        rc = tdb_exec(db, SCHEMA, e);
    if (rc) {
        sqlite3_close(db);
        return rc;
    }
    *out = db;
    return 0;
}

int tallydb_open(const char *path, const struct election *el, const uint8_t package_hash[HASH_LEN],
                 const uint8_t *package_bytes, size_t package_len, struct tallydb **out,
                 struct err *e)
{
    *out = NULL;
    struct tallydb *t = calloc(1, sizeof *t);
    if (!t)
        return err_set(e, ERR_NOMEM, "out of memory opening the tally database");
    t->temporary = path == NULL;
    t->el = el;
    memcpy(t->package_hash, package_hash, HASH_LEN);
    int rc = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, t->temporary, &t->db, e);
    uint8_t *v = NULL;
    size_t n = 0;
    if (!rc)
        rc = meta_get(t->db, "package_hash", &v, &n, e);
    if (rc == 1) {
        rc = 0;
        if (n != HASH_LEN || memcmp(v, package_hash, HASH_LEN) != 0) {
            char have[FPR_TEXT_LEN + 1], want[FPR_TEXT_LEN + 1];
            fingerprint(have, v, n < HASH_LEN ? n : HASH_LEN);
            fingerprint(want, package_hash, HASH_LEN);
            rc = err_set(e, ERR_INVALID,
                         "the tally database %s holds the tally of package %s, not of this "
                         "package (%s): use a new database file for another election",
                         path, have, want);
        }
    } else if (!rc && package_bytes) {
        rc = tdb_exec(t->db, "BEGIN IMMEDIATE", e);
        if (!rc)
            rc = meta_put(t->db, "package_hash", package_hash, HASH_LEN, e);
        if (!rc)
            rc = meta_put(t->db, "package", package_bytes, package_len, e);
        if (!rc)
            rc = meta_put(t->db, "authority", el->authority_pk, SIGN_PK_LEN, e);
        if (!rc)
            rc = meta_put(t->db, "election", el->id, strlen(el->id), e);
        rc = rc ? (tdb_exec(t->db, "ROLLBACK", NULL), rc) : tdb_exec(t->db, "COMMIT", e);
    }
    free(v);
    if (rc) {
        tallydb_close(t);
        return rc;
    }
    *out = t;
    return 0;
}

int tallydb_open_existing(const char *path, struct tallydb **out, uint8_t **pkg, size_t *len,
                          uint8_t auth[SIGN_PK_LEN], struct err *e)
{
    *out = NULL;
    *pkg = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return err_set(e, ERR_NOTFOUND,
                       "there is no tally database %s: import the exports first (tally import "
                       "--db %s ...)",
                       path, path);
    struct tallydb *t = calloc(1, sizeof *t);
    if (!t)
        return err_set(e, ERR_NOMEM, "out of memory opening the tally database");
    int rc = open_db(path, SQLITE_OPEN_READWRITE, false, &t->db, e);
    uint8_t *a = NULL;
    size_t an = 0;
    if (!rc)
        rc = meta_get(t->db, "package", pkg, len, e);
    if (rc == 1)
        rc = meta_get(t->db, "authority", &a, &an, e);
    if (rc == 1 && an == SIGN_PK_LEN) {
        memcpy(auth, a, SIGN_PK_LEN);
        rc = 0;
    } else if (rc >= 0) {
        rc = err_set(e, ERR_FORMAT,
                     "the tally database %s holds no election package: nothing was imported "
                     "into it yet",
                     path);
    }
    free(a);
    if (rc) {
        free(*pkg);
        *pkg = NULL;
        tallydb_close(t);
        return rc;
    }
    *out = t;
    return 0;
}

void tallydb_set_election(struct tallydb *t, const struct election *el,
                          const uint8_t package_hash[HASH_LEN])
{
    t->el = el;
    memcpy(t->package_hash, package_hash, HASH_LEN);
}

void tallydb_close(struct tallydb *t)
{
    if (!t)
        return;
    sqlite3_close(t->db);
    free(t);
}

/* ---- summary ----------------------------------------------------------------------------- */

int tallydb_summary(struct tallydb *t, FILE *f, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(t->db, &st,
                         "SELECT k.label, k.pk, k.state, k.last_seq,"
                         " (SELECT count(*) FROM ballots b WHERE b.kiosk = k.id),"
                         " (SELECT count(*) FROM sources s WHERE s.kiosk = k.id)"
                         " FROM kiosks k ORDER BY k.label, k.pk",
                         e);
    if (rc)
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char fpr[FPR_TEXT_LEN + 1];
        fingerprint(fpr, sqlite3_column_blob(st, 1), SIGN_PK_LEN);
        fprintf(f, "kiosk %s (%s): polls %s, rows 1..%lld, %lld ballots, from %lld source%s\n",
                (const char *)sqlite3_column_text(st, 0), fpr,
                (const char *)sqlite3_column_text(st, 2), (long long)sqlite3_column_int64(st, 3),
                (long long)sqlite3_column_int64(st, 4), (long long)sqlite3_column_int64(st, 5),
                sqlite3_column_int64(st, 5) == 1 ? "" : "s");
    }
    sqlite3_finalize(st);
    return 0;
}

/* ---- queries for the reports ------------------------------------------------------------- */

static int64_t scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

void tallydb_totals(struct tallydb *t, struct tallydb_totals *out)
{
    out->sources = scalar(t->db, "SELECT count(*) FROM sources");
    out->kiosks = scalar(t->db, "SELECT count(*) FROM kiosks");
    out->ballots = scalar(t->db, "SELECT count(DISTINCT ct_hash) FROM ballots");
    out->ballot_rows = scalar(t->db, "SELECT count(*) FROM ballots");
    out->overrides = scalar(t->db, "SELECT count(*) FROM overrides");
}

static const char *text(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return s ? s : "";
}

void tallydb_each_override(struct tallydb *t,
                           void (*fn)(void *ctx, const struct tallydb_override *o), void *ctx)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(t->db,
                           "SELECT at, who, reason, source, problems FROM overrides ORDER BY id",
                           -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            struct tallydb_override o = {sqlite3_column_int64(st, 0), text(st, 1), text(st, 2),
                                         text(st, 3), text(st, 4)};
            fn(ctx, &o);
        }
    sqlite3_finalize(st);
}

void tallydb_each_source(struct tallydb *t, void (*fn)(void *ctx, const struct tallydb_source *s),
                         void *ctx)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(t->db,
                           "SELECT s.name, s.kind, s.export_seq, s.last_seq, s.new_ballots,"
                           " s.problems, s.override, k.label FROM sources s"
                           " LEFT JOIN kiosks k ON k.id = s.kiosk ORDER BY s.id",
                           -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            struct tallydb_source s = {.name = text(st, 0),
                                       .kind = text(st, 1),
                                       .kiosk = text(st, 7),
                                       .export_seq = sqlite3_column_int64(st, 2),
                                       .last_seq = sqlite3_column_int64(st, 3),
                                       .new_ballots = sqlite3_column_int64(st, 4),
                                       .problems = sqlite3_column_int64(st, 5),
                                       .override = sqlite3_column_type(st, 6) != SQLITE_NULL};
            fn(ctx, &s);
        }
    sqlite3_finalize(st);
}

void tallydb_each_kiosk(struct tallydb *t, void (*fn)(void *ctx, const struct tallydb_kiosk *k),
                        void *ctx)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(t->db,
                           "SELECT k.label, k.state, k.last_seq, (SELECT count(*) FROM ballots b"
                           " WHERE b.kiosk = k.id), k.pk, a.reason, a.who, a.at FROM kiosks k"
                           " LEFT JOIN accepted_unclosed a ON a.pk = k.pk ORDER BY k.label",
                           -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            struct tallydb_kiosk k = {.label = text(st, 0),
                                      .state = text(st, 1),
                                      .last_seq = sqlite3_column_int64(st, 2),
                                      .ballots = sqlite3_column_int64(st, 3)};
            if (sqlite3_column_bytes(st, 4) == SIGN_PK_LEN)
                memcpy(k.pk, sqlite3_column_blob(st, 4), SIGN_PK_LEN);
            k.closed = strcmp(k.state, journal_state_name(JOURNAL_CLOSED)) == 0;
            if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
                k.accepted_reason = text(st, 5);
                k.accepted_by = text(st, 6);
                k.accepted_at = sqlite3_column_int64(st, 7);
            }
            fn(ctx, &k);
        }
    sqlite3_finalize(st);
}

bool tallydb_holds_kiosk(struct tallydb *t, const uint8_t pk[SIGN_PK_LEN])
{
    sqlite3_stmt *st = NULL;
    bool held = false;
    if (sqlite3_prepare_v2(t->db, "SELECT 1 FROM kiosks WHERE pk = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_blob(st, 1, pk, SIGN_PK_LEN, SQLITE_STATIC);
        held = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return held;
}

struct tallydb_ballots {
    struct tallydb *t;
    sqlite3_stmt *st;
};

int tallydb_ballots_open(struct tallydb *t, struct tallydb_ballots **out, struct err *e)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return err_set(e, ERR_NOMEM, "out of memory reading the ballots");
    (*out)->t = t;
    /* the rows are read in the order of the hash index, so each is a seek into the table:
     * mapped pages cost no read() and no copy (SQLite reads as before where mapping fails) */
    if (sizeof(void *) >= 8)
        sqlite3_exec(t->db, "PRAGMA mmap_size=4294967296", NULL, NULL, NULL);
    if (sqlite3_prepare_v2(t->db,
                           "SELECT b.ct_hash, b.ct, b.seq, k.label FROM ballots b"
                           " JOIN kiosks k ON k.id = b.kiosk ORDER BY b.ct_hash",
                           -1, &(*out)->st, NULL) != SQLITE_OK) {
        int rc = err_set(e, ERR_IO, "cannot read the ballots from the tally database: %s",
                         sqlite3_errmsg(t->db));
        tallydb_ballots_close(*out);
        *out = NULL;
        return rc;
    }
    return 0;
}

int tallydb_ballots_next(struct tallydb_ballots *c, struct tallydb_ballot *b, struct err *e)
{
    int src = sqlite3_step(c->st);
    if (src == SQLITE_DONE)
        return 0;
    if (src != SQLITE_ROW)
        return err_set(e, ERR_IO, "reading the ballots from the tally database failed: %s",
                       sqlite3_errmsg(c->t->db));
    b->hash = sqlite3_column_bytes(c->st, 0) == HASH_LEN ? sqlite3_column_blob(c->st, 0) : NULL;
    b->ct = sqlite3_column_blob(c->st, 1);
    b->n = (size_t)sqlite3_column_bytes(c->st, 1);
    b->seq = sqlite3_column_int64(c->st, 2);
    b->kiosk = text(c->st, 3);
    return 1;
}

void tallydb_ballots_close(struct tallydb_ballots *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->st);
    free(c);
}

static void sql_tracking(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char code[TRACKING_TEXT_MAX];
    tracking_text(code, sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]));
    sqlite3_result_text(cx, code, -1, SQLITE_TRANSIENT);
}

int tallydb_each_tracking(struct tallydb *t,
                          void (*fn)(void *ctx, const char *code, const uint8_t hash[HASH_LEN]),
                          void *ctx, struct err *e)
{
    sqlite3 *db = t->db;
    if (sqlite3_create_function(db, "tracking_code", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                sql_tracking, NULL, NULL) != SQLITE_OK)
        return err_set(e, ERR_INTERNAL, "cannot set up the tracking codes: %s", sqlite3_errmsg(db));
    /* the sort spills to temporary files beyond the page cache: keep it small here */
    sqlite3_exec(db, "PRAGMA cache_size=-2000", NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    /* sorted by code (then hash): the casting order is not revealed; SQLite sorts on disk */
    if (sqlite3_prepare_v2(db,
                           "SELECT DISTINCT tracking_code(ct) AS c, ct_hash FROM ballots"
                           " ORDER BY c, ct_hash",
                           -1, &st, NULL) != SQLITE_OK)
        return err_set(e, ERR_IO, "cannot read the ballots from the tally database: %s",
                       sqlite3_errmsg(db));
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 1) != HASH_LEN)
            continue;
        fn(ctx, text(st, 0), sqlite3_column_blob(st, 1));
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return err_set(e, ERR_IO, "reading the ballots from the tally database failed: %s",
                       sqlite3_errmsg(db));
    return 0;
}

/* ---- polls never closed, and time notes --------------------------------------------------- */

int tallydb_accept_unclosed(struct tallydb *t, const uint8_t pk[SIGN_PK_LEN], const char *label,
                            const char *reason, const char *who, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(t->db, &st,
                         "INSERT OR REPLACE INTO accepted_unclosed(pk, label, reason, who, at)"
                         " VALUES(?1, ?2, ?3, ?4, ?5)",
                         e);
    if (!rc) {
        sqlite3_bind_blob(st, 1, pk, SIGN_PK_LEN, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, who ? who : "unknown", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
        rc = tdb_step_done(t->db, st, "recording that a kiosk is accepted without a close record",
                           e);
    }
    sqlite3_finalize(st);
    return rc;
}

struct unclosed {
    FILE *out;
    unsigned refused, accepted;
};

static void check_one(void *ctx, const struct tallydb_kiosk *k)
{
    struct unclosed *u = ctx;
    if (k->closed)
        return;
    char fpr[FPR_TEXT_LEN + 1];
    fingerprint(fpr, k->pk, SIGN_PK_LEN);
    if (k->accepted_reason) {
        u->accepted++;
        fprintf(u->out,
                "kiosk %s (%s): ACCEPTED WITHOUT A CLOSE RECORD (polls %s, rows 1..%lld, %lld "
                "ballots), by %s: \"%s\"\n",
                k->label, fpr, k->state, (long long)k->last_seq, (long long)k->ballots,
                k->accepted_by, k->accepted_reason);
        return;
    }
    u->refused++;
    fprintf(u->out,
            "kiosk %s (%s): missing-close: its journal ends at row %lld with polls %s and no close "
            "record: it was cut short, rolled back to an earlier copy, or polls were never closed; "
            "its %lld ballots are not counted. Bring its closing export, or, if its polls were "
            "really never closed, say why: --accept-unclosed %s --reason \"...\"\n",
            k->label, fpr, (long long)k->last_seq, k->state, (long long)k->ballots, k->label);
}

unsigned tallydb_check_closed(struct tallydb *t, FILE *out, unsigned *accepted)
{
    struct unclosed u = {out, 0, 0};
    tallydb_each_kiosk(t, check_one, &u);
    if (accepted)
        *accepted = u.accepted;
    return u.refused;
}

void tallydb_each_time_note(struct tallydb *t,
                            void (*fn)(void *ctx, const char *kiosk, const char *what), void *ctx)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            t->db,
            "SELECT k.label, n.what FROM time_notes n JOIN kiosks k ON k.id = n.kiosk"
            " ORDER BY k.label, n.id",
            -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW)
            fn(ctx, text(st, 0), text(st, 1));
    sqlite3_finalize(st);
}
