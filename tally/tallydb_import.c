/*
 * tallydb_import — importing one source into the tally database; see tallydb.h and
 * docs/tally.md ("The tally database").
 *
 * Import of one source, in one transaction:
 *   1. the source's identity: BLAKE2b-256 of manifest.bin (bundle) or of the journal file;
 *      a source already recorded is skipped before anything is written;
 *   2. bundle_open, then journal_verify streaming the verified ballot and token rows into
 *      temporary staging tables (nothing per ballot stays in memory);
 *   3. manifest against journal (kiosk, package, last seq, chain head);
 *   4. prefix check against the rows already held for that kiosk, at the smaller of the two
 *      last sequence numbers; on a mismatch the first differing row is found and named;
 *   5. new rows (seq above what was held) are copied from staging into the main tables;
 *   6. ciphertexts and voter cards of the new rows also held by another kiosk are problems;
 *   7. no problem, or an override (logged): COMMIT; otherwise ROLLBACK.
 */
#include <sodium.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>

#include "bundle.h"
#include "journal.h"
#include "progress.h"
#include "tallydb_int.h"
#include "timecheck.h"
#include "util.h"

/* Problems of one source, kept as text for the report and the override log. Only the first
 * PROBLEMS_SHOWN of each kind are kept; the others are counted and summarised in one line per
 * kind (a journal of junk rows would otherwise print several lines per row). */
#define PROBLEMS_SHOWN 10
#define PROBLEM_KINDS  32
struct problems {
    char *text;
    size_t len, cap;
    unsigned n;
    struct {
        const char *kind; /* a static string */
        unsigned n;
    } kinds[PROBLEM_KINDS];
    size_t nkinds;
};

static void add_line(struct problems *p, const char *line)
{
    size_t n = strlen(line);
    if (p->len + n + 2 > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        while (cap < p->len + n + 2)
            cap *= 2;
        char *t = realloc(p->text, cap);
        if (!t)
            return; /* the count and the printed report stay right; the log text is cut */
        p->text = t;
        p->cap = cap;
    }
    memcpy(p->text + p->len, line, n);
    p->len += n;
    p->text[p->len++] = '\n';
    p->text[p->len] = 0;
}

/* One problem of kind `kind` (a static string such as "fork" or journal_problem_name). */
static void add_problem(struct problems *p, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_problem(struct problems *p, const char *kind, const char *fmt, ...)
{
    p->n++;
    size_t k = 0;
    while (k < p->nkinds && strcmp(p->kinds[k].kind, kind) != 0)
        k++;
    if (k == p->nkinds && k < PROBLEM_KINDS)
        p->kinds[p->nkinds++].kind = kind;
    if (k < PROBLEM_KINDS && ++p->kinds[k].n > PROBLEMS_SHOWN)
        return;
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    add_line(p, line);
}

/* After the last problem of a source: one line per kind with more than were shown. */
static void summarise_problems(struct problems *p, const char *src)
{
    for (size_t k = 0; k < p->nkinds; k++)
        if (p->kinds[k].n > PROBLEMS_SHOWN) {
            char line[600];
            snprintf(line, sizeof line,
                     "%s: %s: %u more problems of this kind not shown (%u in all)", src,
                     p->kinds[k].kind, p->kinds[k].n - PROBLEMS_SHOWN, p->kinds[k].n);
            add_line(p, line);
        }
}

static void print_problems(const struct problems *p, FILE *out)
{
    for (const char *l = p->text; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        fprintf(out, "  %.*s\n", (int)n, l);
        l += n + (nl ? 1 : 0);
    }
}

struct walk {
    struct tallydb *t;
    const char *name;
    struct problems *pr;
    sqlite3_stmt *ins_ballot, *ins_token;
    int rc; /* database failure inside a callback */
    struct err *e;
    struct progress *prog;
    struct timecheck clock;
};

static void on_timed(void *c, uint64_t seq, int kind, int64_t t, uint16_t code)
{
    struct walk *w = c;
    timecheck_row(&w->clock, seq, kind, t, code);
}

static void on_problem(void *c, uint64_t seq, enum journal_problem kind, const char *msg)
{
    struct walk *w = c;
    add_problem(w->pr, journal_problem_name(kind), "%s: row %llu: %s: %s", w->name,
                (unsigned long long)seq, journal_problem_name(kind), msg);
}

static int on_ballot(void *c, uint64_t seq, const uint8_t *ct, size_t n,
                     const uint8_t hash[HASH_LEN])
{
    struct walk *w = c;
    sqlite3_stmt *st = w->ins_ballot;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    sqlite3_bind_blob(st, 2, ct, (int)n, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, hash, HASH_LEN, SQLITE_STATIC);
    if (tdb_step_done(w->t->db, st, "staging a ballot", w->e))
        return w->rc = ERR_IO;
    if (w->prog)
        progress_step(w->prog, 1);
    return 0;
}

static int on_token(void *c, uint64_t seq, const uint8_t hash[TOKEN_HASH_LEN])
{
    struct walk *w = c;
    sqlite3_stmt *st = w->ins_token;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    sqlite3_bind_blob(st, 2, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
    if (tdb_step_done(w->t->db, st, "staging a token spend", w->e))
        return w->rc = ERR_IO;
    return 0;
}

/* The source's journal opened read-only for its row hashes (it was verified just before). */
static int open_source(const char *path, sqlite3 **out)
{
    *out = NULL;
    if (sqlite3_open_v2(path, out, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(*out);
        *out = NULL;
        return -1;
    }
    sqlite3_db_config(*out, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(*out, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    return 0;
}

/* Hash of row `seq` in a journal (src) or in the tally database (kiosk >= 0). 0 if found. */
static int row_hash(sqlite3 *db, int64_t kiosk, uint64_t seq, uint8_t out[HASH_LEN])
{
    sqlite3_stmt *st = NULL;
    const char *sql = kiosk >= 0 ? "SELECT hash FROM rows WHERE seq = ?1 AND kiosk = ?2"
                                 : "SELECT hash FROM rows WHERE seq = ?1";
    int rc = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
        if (kiosk >= 0)
            sqlite3_bind_int64(st, 2, kiosk);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == HASH_LEN) {
            memcpy(out, sqlite3_column_blob(st, 0), HASH_LEN);
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* The first row (1..upto) where the journal and the rows held for the kiosk differ, or 0. */
static uint64_t first_difference(sqlite3 *db, int64_t kiosk, sqlite3 *src, uint64_t upto)
{
    sqlite3_stmt *a = NULL, *b = NULL;
    uint64_t found = 0;
    if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM rows WHERE kiosk = ?1 ORDER BY seq", -1, &a,
                           NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(src, "SELECT seq, hash FROM rows ORDER BY seq", -1, &b, NULL) ==
            SQLITE_OK) {
        sqlite3_bind_int64(a, 1, kiosk);
        for (uint64_t s = 1; s <= upto && !found; s++) {
            bool ra = sqlite3_step(a) == SQLITE_ROW, rb = sqlite3_step(b) == SQLITE_ROW;
            if (!ra || !rb || (uint64_t)sqlite3_column_int64(a, 0) != s ||
                (uint64_t)sqlite3_column_int64(b, 0) != s ||
                sqlite3_column_bytes(a, 1) != HASH_LEN || sqlite3_column_bytes(b, 1) != HASH_LEN ||
                memcmp(sqlite3_column_blob(a, 1), sqlite3_column_blob(b, 1), HASH_LEN) != 0)
                found = s;
        }
    }
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    return found ? found : upto;
}

struct kiosk_row {
    int64_t id;
    uint64_t last_seq;
    uint8_t head[HASH_LEN];
};

static int find_kiosk(struct tallydb *t, const uint8_t pk[SIGN_PK_LEN], const char *label,
                      struct kiosk_row *k, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(t->db, &st, "SELECT id, last_seq, head FROM kiosks WHERE pk = ?1", e);
    if (rc)
        return rc;
    sqlite3_bind_blob(st, 1, pk, SIGN_PK_LEN, SQLITE_STATIC);
    int src = sqlite3_step(st);
    memset(k, 0, sizeof *k);
    if (src == SQLITE_ROW) {
        k->id = sqlite3_column_int64(st, 0);
        k->last_seq = (uint64_t)sqlite3_column_int64(st, 1);
        if (sqlite3_column_bytes(st, 2) == HASH_LEN)
            memcpy(k->head, sqlite3_column_blob(st, 2), HASH_LEN);
    } else if (src != SQLITE_DONE) {
        rc = tdb_fail(t->db, "reading the kiosks", e);
    }
    sqlite3_finalize(st);
    if (rc || src == SQLITE_ROW)
        return rc;
    rc = tdb_prepare(t->db, &st,
                     "INSERT INTO kiosks(pk, label, last_seq, head, state) VALUES(?1, ?2, 0, ?3, "
                     "'not opened')",
                     e);
    if (!rc) {
        sqlite3_bind_blob(st, 1, pk, SIGN_PK_LEN, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, k->head, HASH_LEN, SQLITE_STATIC);
        rc = tdb_step_done(t->db, st, "recording a kiosk", e);
        k->id = sqlite3_last_insert_rowid(t->db);
    }
    sqlite3_finalize(st);
    return rc;
}

static void short_hex(char out[17], const uint8_t *h)
{
    hex_encode(out, h, 8);
}

/* Copies the new rows (seq > from) of the kiosk from the source and the staging tables. */
/* Runs an INSERT ... SELECT from a staging table for the rows of `kiosk` after `from`;
 * *changes receives how many rows it added. */
static int copy_staged(struct tallydb *t, int64_t kiosk, uint64_t from, const char *sql,
                       const char *what, uint64_t *changes, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(t->db, &st, sql, e);
    if (!rc) {
        sqlite3_bind_int64(st, 1, kiosk);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)from);
        rc = tdb_step_done(t->db, st, what, e);
        *changes = (uint64_t)sqlite3_changes(t->db);
    }
    sqlite3_finalize(st);
    return rc;
}

static int take_rows(struct tallydb *t, sqlite3 *src, int64_t kiosk, uint64_t from,
                     struct tallydb_result *r, struct err *e)
{
    sqlite3_stmt *rd = NULL, *ins = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(src, "SELECT seq, kind, hash FROM rows WHERE seq > ?1 ORDER BY seq", -1,
                           &rd, NULL) != SQLITE_OK)
        rc = err_set(e, ERR_IO, "cannot read the rows of the journal again: %s",
                     sqlite3_errmsg(src));
    if (!rc)
        rc = tdb_prepare(
            t->db, &ins,
            "INSERT OR IGNORE INTO rows(kiosk, seq, kind, hash) VALUES(?1, ?2, ?3, ?4)", e);
    if (!rc) {
        sqlite3_bind_int64(rd, 1, (sqlite3_int64)from);
        int s;
        while (!rc && (s = sqlite3_step(rd)) == SQLITE_ROW) {
            static const uint8_t zero[HASH_LEN];
            const void *h =
                sqlite3_column_bytes(rd, 2) == HASH_LEN ? sqlite3_column_blob(rd, 2) : zero;
            sqlite3_reset(ins);
            sqlite3_bind_int64(ins, 1, kiosk);
            sqlite3_bind_int64(ins, 2, sqlite3_column_int64(rd, 0));
            sqlite3_bind_int64(ins, 3, sqlite3_column_int64(rd, 1));
            sqlite3_bind_blob(ins, 4, h, HASH_LEN, SQLITE_TRANSIENT);
            rc = tdb_step_done(t->db, ins, "recording a row", e);
            if (!rc)
                r->rows += (uint64_t)sqlite3_changes(t->db);
        }
    }
    sqlite3_finalize(rd);
    sqlite3_finalize(ins);
    if (!rc)
        rc = copy_staged(t, kiosk, from,
                         "INSERT OR IGNORE INTO ballots(kiosk, seq, ct, ct_hash) "
                         "SELECT ?1, seq, ct, ct_hash FROM temp.stage_ballots WHERE seq > ?2",
                         "recording the ballots", &r->ballots, e);
    uint64_t tokens;
    if (!rc)
        rc = copy_staged(t, kiosk, from,
                         "INSERT OR IGNORE INTO tokens(kiosk, seq, hash) "
                         "SELECT ?1, seq, hash FROM temp.stage_tokens WHERE seq > ?2",
                         "recording the voter cards", &tokens, e);
    return rc;
}

/* Ciphertexts and voter cards of this kiosk's new rows that another kiosk also holds. */
static int cross_checks(struct tallydb *t, const char *name, int64_t kiosk, uint64_t from,
                        struct problems *pr, struct err *e)
{
    static const char *const SQL[2] = {
        "SELECT b.seq, o.seq, k.label, b.ct_hash FROM ballots b"
        " JOIN ballots o ON o.ct_hash = b.ct_hash AND o.kiosk <> b.kiosk"
        " JOIN kiosks k ON k.id = o.kiosk WHERE b.kiosk = ?1 AND b.seq > ?2 ORDER BY b.seq",
        "SELECT b.seq, o.seq, k.label, b.hash FROM tokens b"
        " JOIN tokens o ON o.hash = b.hash AND o.kiosk <> b.kiosk"
        " JOIN kiosks k ON k.id = o.kiosk WHERE b.kiosk = ?1 AND b.seq > ?2 ORDER BY b.seq"};
    for (int q = 0; q < 2; q++) {
        sqlite3_stmt *st = NULL;
        int rc = tdb_prepare(t->db, &st, SQL[q], e);
        if (rc)
            return rc;
        sqlite3_bind_int64(st, 1, kiosk);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)from);
        int src;
        while ((src = sqlite3_step(st)) == SQLITE_ROW) {
            char hx[2 * HASH_LEN + 1];
            int n = sqlite3_column_bytes(st, 3);
            hex_encode(hx, sqlite3_column_blob(st, 3), (size_t)(n > HASH_LEN ? HASH_LEN : n));
            if (q == 0)
                add_problem(pr, "shared-ballot",
                            "%s: row %lld: shared-ballot: kiosk %s holds the same ballot "
                            "(ciphertext hash %s) as its row %lld: one of the two kiosks "
                            "replayed it",
                            name, (long long)sqlite3_column_int64(st, 0),
                            (const char *)sqlite3_column_text(st, 2), hx,
                            (long long)sqlite3_column_int64(st, 1));
            else
                add_problem(pr, "voter-card",
                            "%s: row %lld: voter-card: voter card %s was also used at kiosk %s "
                            "(its row %lld): it voted twice",
                            name, (long long)sqlite3_column_int64(st, 0), hx,
                            (const char *)sqlite3_column_text(st, 2),
                            (long long)sqlite3_column_int64(st, 1));
        }
        sqlite3_finalize(st);
        if (src != SQLITE_DONE)
            return tdb_fail(t->db, "comparing kiosks", e);
    }
    return 0;
}

static int log_override(struct tallydb *t, const struct tallydb_import *o, const char *src,
                        const struct problems *pr, int64_t *id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(t->db, &st,
                         "INSERT INTO overrides(at, who, reason, source, problems) "
                         "VALUES(?1, ?2, ?3, ?4, ?5)",
                         e);
    if (!rc) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
        sqlite3_bind_text(st, 2, o->who ? o->who : "unknown", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, o->override, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, src, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, pr->text ? pr->text : "", -1, SQLITE_STATIC);
        rc = tdb_step_done(t->db, st, "logging the override", e);
        *id = sqlite3_last_insert_rowid(t->db);
    }
    sqlite3_finalize(st);
    return rc;
}

struct source_row {
    const char *name, *kind;
    uint8_t hash[HASH_LEN];
    int64_t kiosk, export_seq, override;
    uint64_t last_seq;
    uint8_t head[HASH_LEN];
};

static int record_source(struct tallydb *t, const struct source_row *s,
                         const struct tallydb_result *r, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc =
        tdb_prepare(t->db, &st,
                    "INSERT INTO sources(name, source_hash, kind, kiosk, export_seq, last_seq, "
                    "head, new_rows, new_ballots, problems, override, imported_at) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    e);
    if (!rc) {
        sqlite3_bind_text(st, 1, s->name, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, s->hash, HASH_LEN, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, s->kind, -1, SQLITE_STATIC);
        if (s->kiosk > 0)
            sqlite3_bind_int64(st, 4, s->kiosk);
        if (s->export_seq > 0)
            sqlite3_bind_int64(st, 5, s->export_seq);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)s->last_seq);
        sqlite3_bind_blob(st, 7, s->head, HASH_LEN, SQLITE_STATIC);
        sqlite3_bind_int64(st, 8, (sqlite3_int64)r->rows);
        sqlite3_bind_int64(st, 9, (sqlite3_int64)r->ballots);
        sqlite3_bind_int64(st, 10, r->problems);
        if (s->override > 0)
            sqlite3_bind_int64(st, 11, s->override);
        sqlite3_bind_int64(st, 12, (sqlite3_int64)time(NULL));
        rc = tdb_step_done(t->db, st, "recording the source", e);
    }
    sqlite3_finalize(st);
    return rc;
}

/* 1 if a source with this hash was imported already (its name in *when), 0 if not. */
static int imported_before(struct tallydb *t, const uint8_t hash[HASH_LEN], char *name, size_t size,
                           struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(t->db, &st, "SELECT name FROM sources WHERE source_hash = ?1", e);
    if (rc)
        return rc;
    sqlite3_bind_blob(st, 1, hash, HASH_LEN, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        snprintf(name, size, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = 1;
    } else if (src != SQLITE_DONE) {
        rc = tdb_fail(t->db, "reading the sources", e);
    }
    sqlite3_finalize(st);
    return rc;
}

static int update_kiosk(struct tallydb *t, int64_t kiosk, const struct journal_summary *sum,
                        struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(t->db, &st,
                         "UPDATE kiosks SET last_seq = ?2, head = ?3, state = ?4 WHERE id = ?1 AND "
                         "last_seq < ?2",
                         e);
    if (!rc) {
        sqlite3_bind_int64(st, 1, kiosk);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)sum->last_seq);
        sqlite3_bind_blob(st, 3, sum->head, HASH_LEN, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, journal_state_name(sum->state), -1, SQLITE_STATIC);
        rc = tdb_step_done(t->db, st, "recording the kiosk's rows", e);
    }
    sqlite3_finalize(st);
    return rc;
}

static int record_time_notes(struct tallydb *t, int64_t kiosk,
                             char notes[TIMECHECK_NOTES][TIMECHECK_NOTE_MAX], size_t n,
                             struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = tdb_prepare(t->db, &st, "DELETE FROM time_notes WHERE kiosk = ?1", e);
    if (!rc) {
        sqlite3_bind_int64(st, 1, kiosk);
        rc = tdb_step_done(t->db, st, "recording the time notes", e);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!rc && n)
        rc = tdb_prepare(t->db, &st, "INSERT INTO time_notes(kiosk, what) VALUES(?1, ?2)", e);
    for (size_t i = 0; !rc && i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, kiosk);
        sqlite3_bind_text(st, 2, notes[i], -1, SQLITE_STATIC);
        rc = tdb_step_done(t->db, st, "recording the time notes", e);
    }
    sqlite3_finalize(st);
    return rc;
}

static int import_txn(struct tallydb *t, const char *src, const char *journal,
                      const struct bundle *b, const struct tallydb_import *o, struct problems *pr,
                      struct source_row *s, struct tallydb_result *r, struct err *e)
{
    int rc = tdb_exec(t->db, "DELETE FROM temp.stage_ballots; DELETE FROM temp.stage_tokens;", e);
    struct walk w = {.t = t, .name = src, .pr = pr, .e = e};
    timecheck_init(&w.clock, t->el);
    sqlite3 *raw = NULL;
    if (open_source(journal, &raw) != 0)
        raw = NULL;
    w.prog = o->progress;
    if (!rc)
        rc = tdb_prepare(t->db, &w.ins_ballot,
                         "INSERT OR IGNORE INTO temp.stage_ballots(seq, ct, ct_hash) "
                         "VALUES(?1, ?2, ?3)",
                         e);
    if (!rc)
        rc = tdb_prepare(t->db, &w.ins_token,
                         "INSERT OR IGNORE INTO temp.stage_tokens(seq, hash) VALUES(?1, ?2)", e);
    struct journal_summary sum;
    memset(&sum, 0, sizeof sum);
    if (!rc) {
        struct journal_verify_opts vo = {.ctx = &w,
                                         .problem = on_problem,
                                         .ballot = on_ballot,
                                         .token = on_token,
                                         .timed = on_timed,
                                         .expect_ballots = -1,
                                         .expect_head = b ? b->manifest.journal_head : NULL,
                                         .ahead = o->ahead};
        struct err ve = {0};
        int vrc = journal_verify(journal, t->el, t->package_hash, &vo, &sum, &ve);
        if (w.rc)
            rc = w.rc;
        else if (vrc && vrc != ERR_TAMPER && sum.nproblems == 0)
            add_problem(pr, "unreadable", "%s: %s", src, ve.msg);
    }
    if (o->progress) /* the rows that are not ballots */
        progress_step(o->progress, sum.last_seq > sum.ballots ? sum.last_seq - sum.ballots : 0);
    sqlite3_finalize(w.ins_ballot);
    sqlite3_finalize(w.ins_token);
    char fpr[FPR_TEXT_LEN + 1];
    fingerprint(fpr, sum.kiosk_pk, SIGN_PK_LEN);
    const char *label =
        sum.kiosk_index >= 0 ? t->el->kiosk_labels[sum.kiosk_index] : "not authorised";
    if (!rc && b) {
        if (memcmp(b->manifest.package_hash, t->package_hash, HASH_LEN) != 0)
            add_problem(pr, "wrong-package",
                        "%s: wrong-package: the export was made for another package", src);
        if (memcmp(b->manifest.kiosk_pk, sum.kiosk_pk, SIGN_PK_LEN) != 0)
            add_problem(pr, "foreign-kiosk",
                        "%s: foreign-kiosk: the manifest and the journal name different kiosks",
                        src);
        if (b->manifest.journal_last_seq != sum.last_seq)
            add_problem(pr, "rollback",
                        "%s: rollback: the manifest says the journal ends at row %llu, it ends "
                        "at row %llu",
                        src, (unsigned long long)b->manifest.journal_last_seq,
                        (unsigned long long)sum.last_seq);
    }
    if (!rc && b && sum.rows > 0) {
        /* interim: polls not opened, open or paused; closing: polls closed */
        bool closed = sum.state == JOURNAL_CLOSED;
        if (b->manifest.kind == BUNDLE_CLOSING && !closed)
            add_problem(pr, "wrong-kind",
                        "%s: wrong-kind: the manifest calls this a closing export, but the "
                        "journal's polls are %s (a closing export needs them closed): the "
                        "manifest was relabelled, or the journal is not the closed one",
                        src, journal_state_name(sum.state));
        if (b->manifest.kind == BUNDLE_INTERIM && closed)
            add_problem(pr, "wrong-kind",
                        "%s: wrong-kind: the manifest calls this an interim export, but the "
                        "journal's polls are closed (an interim export is made before the close): "
                        "the manifest was relabelled",
                        src);
    }
    char notes[TIMECHECK_NOTES][TIMECHECK_NOTE_MAX];
    size_t nnotes = rc ? 0 : timecheck_notes(&w.clock, label, notes);
    struct kiosk_row k = {0};
    uint64_t from = 0;
    if (!rc && sum.rows > 0 && !sodium_is_zero(sum.kiosk_pk, SIGN_PK_LEN))
        rc = find_kiosk(t, sum.kiosk_pk, label, &k, e);
    if (!rc && k.id > 0 && raw) {
        uint64_t m = k.last_seq < sum.last_seq ? k.last_seq : sum.last_seq;
        uint8_t held[HASH_LEN], here[HASH_LEN];
        from = k.last_seq;
        if (m > 0 && (row_hash(t->db, k.id, m, held) || row_hash(raw, -1, m, here) ||
                      memcmp(held, here, HASH_LEN) != 0)) {
            uint64_t d = first_difference(t->db, k.id, raw, m);
            char a[17], c[17];
            if (row_hash(t->db, k.id, d, held))
                memset(held, 0, HASH_LEN);
            if (row_hash(raw, -1, d, here))
                memset(here, 0, HASH_LEN);
            short_hex(a, held);
            short_hex(c, here);
            r->fork = true;
            add_problem(pr, "fork",
                        "%s: row %llu: fork: kiosk %s (%s): this export and the rows already "
                        "imported from that kiosk differ from row %llu on (held %s…, here %s…): "
                        "one of them is not the kiosk's real journal",
                        src, (unsigned long long)d, fpr, label, (unsigned long long)d, a, c);
        }
    } else if (!rc && k.id > 0 && !raw) {
        add_problem(pr, "unreadable", "%s: unreadable: the journal cannot be read again", src);
    }
    if (!rc && k.id > 0 && raw && sum.last_seq > from) {
        rc = take_rows(t, raw, k.id, from, r, e);
        if (!rc)
            rc = update_kiosk(t, k.id, &sum, e);
        if (!rc)
            rc = cross_checks(t, src, k.id, from, pr, e);
        if (!rc) /* the notes of the longest journal held for the kiosk */
            rc = record_time_notes(t, k.id, notes, nnotes, e);
    }
    sqlite3_close(raw);
    s->kiosk = k.id;
    s->last_seq = sum.last_seq;
    memcpy(s->head, sum.head, HASH_LEN);
    progress_clear(o->progress);
    if (!rc && sum.rows == 0)
        fprintf(o->out ? o->out : stdout, "%s: not a readable journal, PROBLEMS FOUND\n", src);
    else if (!rc)
        fprintf(o->out ? o->out : stdout,
                "%s: kiosk %s (%s), polls %s, rows 1..%llu, %llu ballots, %llu new, %s\n", src, fpr,
                label, journal_state_name(sum.state), (unsigned long long)sum.last_seq,
                (unsigned long long)sum.ballots, (unsigned long long)r->ballots,
                pr->n                         ? "PROBLEMS FOUND"
                : sum.state == JOURNAL_CLOSED ? "sound"
                                              : "sound so far (no close record)");
    for (size_t i = 0; !rc && i < nnotes; i++)
        fprintf(o->out ? o->out : stdout, "%s: time: %s\n", src, notes[i]);
    return rc;
}

/* A source that cannot even be read: one problem, reported like the others; refused unless
 * the caller keeps going (verify). Returns 0: the problem is in *r, not an error of the run. */
static int unreadable(const char *src, const char *what, const char *why,
                      const struct tallydb_import *o, struct tallydb_result *r, FILE *out)
{
    struct problems pr = {0};
    fprintf(out, "%s: PROBLEMS FOUND\n", src);
    add_problem(&pr, "unreadable", "%s: %s%s", src, what, why);
    print_problems(&pr, out);
    r->problems = pr.n;
    r->refused = !o->keep;
    free(pr.text);
    return 0;
}

int tallydb_import_source(struct tallydb *t, const char *src, const struct tallydb_import *o,
                          struct tallydb_result *r, struct err *e)
{
    memset(r, 0, sizeof *r);
    FILE *out = o->out ? o->out : stdout;
    struct problems pr = {0};
    struct stat st;
    bool is_bundle = stat(src, &st) == 0 && S_ISDIR(st.st_mode);
    struct bundle b;
    struct source_row s = {.name = src, .kind = "journal"};
    const char *journal = src;
    struct err be = {0};
    if (is_bundle) {
        char mpath[4096];
        snprintf(mpath, sizeof mpath, "%s/%s", src, BUNDLE_MANIFEST_FILE);
        uint64_t size;
        if (bundle_open_trusted(src, (const uint8_t(*)[SIGN_PK_LEN])t->el->kiosk_pks,
                                t->el->nkiosks, &b, &be))
            return unreadable(src, "the export is not sound: ", be.msg, o, r, out);
        if (bundle_hash_file(mpath, BUNDLE_MANIFEST_MAX, s.hash, &size, &be)) {
            bundle_close(&b);
            return unreadable(src, "", be.msg, o, r, out);
        }
        journal = b.journal_path;
        s.kind = bundle_kind_name(b.manifest.kind);
        s.export_seq = b.manifest.export_seq;
    } else {
        uint64_t size;
        if (bundle_hash_file(src, BUNDLE_JOURNAL_MAX, s.hash, &size, &be))
            return unreadable(src, "unreadable: ", be.msg, o, r, out);
    }
    char before[512];
    int rc = imported_before(t, s.hash, before, sizeof before, e);
    if (rc == 1) {
        fprintf(out, "%s: already imported (as %s): nothing changed\n", src, before);
        r->already = true;
        rc = 0;
        goto done;
    }
    if (!rc)
        rc = tdb_exec(t->db, "BEGIN IMMEDIATE", e);
    if (rc)
        goto done;
    rc = import_txn(t, src, journal, is_bundle ? &b : NULL, o, &pr, &s, r, e);
    r->problems = pr.n;
    summarise_problems(&pr, src);
    print_problems(&pr, out);
    if (!rc && pr.n && !o->keep && !o->override) {
        r->refused = true;
        tdb_exec(t->db, "ROLLBACK", NULL);
        fprintf(out,
                "%s: REFUSED: nothing of it was imported; find out what happened (see the "
                "problems above), or import it anyway with --override \"why\" (the override is "
                "logged and printed in every report)\n",
                src);
        goto done;
    }
    if (!rc && pr.n && o->override && !o->keep)
        rc = log_override(t, o, src, &pr, &s.override, e);
    if (!rc)
        rc = record_source(t, &s, r, e);
    if (!rc)
        rc = tdb_exec(t->db, "COMMIT", e);
    if (rc)
        tdb_exec(t->db, "ROLLBACK", NULL);
    else if (pr.n && o->override && !o->keep)
        fprintf(out, "%s: imported DESPITE %u problem%s, by override: %s\n", src, pr.n,
                pr.n == 1 ? "" : "s", o->override);
done:
    if (is_bundle)
        bundle_close(&b);
    free(pr.text);
    return rc;
}

uint64_t tallydb_source_rows(const char *src)
{
    struct stat sb;
    uint64_t n = 0;
    if (stat(src, &sb) != 0)
        return 0;
    if (S_ISDIR(sb.st_mode)) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", src, BUNDLE_MANIFEST_FILE);
        uint8_t *d = NULL;
        size_t len = 0;
        struct bundle_manifest m;
        if (util_read_file(path, BUNDLE_MANIFEST_MAX, &d, &len, NULL) == 0 &&
            bundle_manifest_decode(d, len, &m, NULL) == 0) {
            n = m.journal_last_seq;
            bundle_manifest_free(&m);
        }
        free(d);
        return n;
    }
    sqlite3 *db = NULL;
    if (open_source(src, &db) == 0) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT max(seq) FROM rows", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = (uint64_t)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}
