/* journal — the kiosk's append-only writer; see journal.h, byte format in docs/journal.md.
 * The format shared with the verifier is in journal_format.c, the verifier in
 * journal_verify.c, sealing a vote in sealed.c.
 *
 * Storage: one SQLite database per kiosk, table `rows` (STRICT), one row per record. The
 * columns are the signed fields themselves (seq, kind, ctx, prev, payload) plus the row's hash
 * and signature; nothing else is stored, so the verifier can rebuild every signed byte from a
 * SELECT. Writing is always: BEGIN IMMEDIATE, INSERT row(s), COMMIT; the in-memory status is
 * updated only after COMMIT returned SQLITE_OK, and re-read from the file after any failure.
 *
 * This file never updates or deletes a row, never writes a plaintext vote, and never writes a
 * time, token or voter attribute into a ballot row. */
#include "journal.h"

#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>

#include "bundle.h"
#include "crypto.h"
#include "journal_int.h"
#include "journal_testing.h"
#include "sealed.h"
#include "util.h"

struct journal {
    sqlite3 *db;
    const struct election *el;
    const struct secret_key *key;
    uint8_t package_hash[HASH_LEN];
    uint8_t ctx[HASH_LEN];
    size_t padded;
    bool broken; /* the file could not be re-read after a failed write */
    struct journal_status st;
};

/* ---------------------------------------------------------------- the kiosk's connection */

/* After set-up the kiosk's connection may read and append rows, nothing else. */
static int authorize(void *u, int action, const char *a, const char *b, const char *db,
                     const char *trigger)
{
    (void)u, (void)db, (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_INSERT:
        return a && strcmp(a, "rows") == 0 ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_PRAGMA:
        /* Reading a setting is harmless; changing one is not. */
        return b == NULL ? SQLITE_OK : SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

static int exec(sqlite3 *db, const char *sql, struct err *e)
{
    char *msg = NULL;
    int src = sqlite3_exec(db, sql, NULL, NULL, &msg);
    int rc = 0;
    if (src != SQLITE_OK) {
        int code = (src & 0xff) == SQLITE_FULL ? ERR_FULL : ERR_IO;
        rc = err_set(e, code, "the journal database refused \"%.40s\": %s", sql,
                     msg ? msg : sqlite3_errstr(src));
    }
    sqlite3_free(msg);
    return rc;
}

static int sql_error(sqlite3 *db, int src, const char *what, struct err *e)
{
    int base = src & 0xff;
    if (base == SQLITE_FULL)
        return err_set(e, ERR_FULL,
                       "%s: the disk is full; nothing was recorded. Free space or replace the "
                       "storage, then retry",
                       what);
    return err_set(e, ERR_IO, "%s: the journal database failed (%s); nothing was recorded", what,
                   sqlite3_errmsg(db));
}

/* Appends one row inside the caller's transaction; st is the tentative status. */
static int append(struct journal *j, struct journal_status *st, int kind, const uint8_t *payload,
                  size_t n, struct err *e)
{
    struct buf msg;
    buf_init(&msg);
    uint64_t seq = st->last_seq + 1;
    journal_row_message(&msg, j->ctx, seq, kind, st->head, payload, n);
    if (buf_ok(&msg)) {
        buf_free(&msg);
        return err_set(e, ERR_NOMEM, "out of memory writing a journal row");
    }
    uint8_t h[HASH_LEN], sig[SIG_LEN];
    hash32(h, msg.data, msg.len);
    sign_detached(sig, msg.data, msg.len, j->key->sk);
    buf_free(&msg);
    sqlite3_stmt *ins = NULL;
    int src = sqlite3_prepare_v2(j->db,
                                 "INSERT INTO rows(seq, kind, ctx, prev, payload, hash, sig) "
                                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                 -1, &ins, NULL);
    if (src == SQLITE_OK) {
        static const uint8_t empty[1];
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)seq);
        sqlite3_bind_int(ins, 2, kind);
        sqlite3_bind_blob(ins, 3, j->ctx, HASH_LEN, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 4, st->head, HASH_LEN, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 5, n ? payload : empty, (int)n, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 6, h, HASH_LEN, SQLITE_STATIC);
        sqlite3_bind_blob(ins, 7, sig, SIG_LEN, SQLITE_STATIC);
        src = sqlite3_step(ins);
        if (src == SQLITE_DONE)
            src = SQLITE_OK;
    }
    int rc = 0;
    if (src != SQLITE_OK)
        rc = sql_error(j->db, src, "writing a journal row", e);
    sqlite3_finalize(ins);
    if (rc)
        return rc;
    st->last_seq = seq;
    st->rows = seq;
    memcpy(st->head, h, HASH_LEN);
    if (kind == JROW_BALLOT)
        st->ballots++;
    if (kind == JROW_TOKEN)
        st->tokens++;
    return 0;
}

/* Re-reads status from the file after a failed write (the transaction was rolled back, or
 * SQLite recovered it on its own). */
static void reload(struct journal *j)
{
    /* The file was fully verified when opened and only this connection appends to it, so the
     * status is read back from a few aggregates rather than by a full verification. */
    static const char sql[] =
        "SELECT (SELECT max(seq) FROM rows), (SELECT hash FROM rows ORDER BY seq DESC LIMIT 1),"
        " (SELECT count(*) FROM rows WHERE kind = 3), (SELECT count(*) FROM rows WHERE kind = 4),"
        " (SELECT kind FROM rows WHERE kind IN (2, 5, 6, 7) ORDER BY seq DESC LIMIT 1)";
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) == SQLITE_OK &&
              sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 1) == HASH_LEN;
    if (ok) {
        j->st.last_seq = (uint64_t)sqlite3_column_int64(st, 0);
        j->st.rows = j->st.last_seq;
        memcpy(j->st.head, sqlite3_column_blob(st, 1), HASH_LEN);
        j->st.ballots = (uint64_t)sqlite3_column_int64(st, 2);
        j->st.tokens = (uint64_t)sqlite3_column_int64(st, 3);
        switch (sqlite3_column_int(st, 4)) {
        case JROW_OPEN:
        case JROW_RESUME:
            j->st.state = JOURNAL_OPEN;
            break;
        case JROW_PAUSE:
            j->st.state = JOURNAL_PAUSED;
            break;
        case JROW_CLOSE:
            j->st.state = JOURNAL_CLOSED;
            break;
        default:
            j->st.state = JOURNAL_NOT_OPENED;
        }
    }
    sqlite3_finalize(st);
    j->broken = !ok;
}

static int begin(struct journal *j, struct err *e)
{
    if (j->broken)
        return err_set(e, ERR_STATE,
                       "the journal could not be re-read after a storage failure: restart the "
                       "kiosk (the journal is checked on start)");
    int src = sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    return src == SQLITE_OK ? 0 : sql_error(j->db, src, "starting a journal write", e);
}

/* Commits, or rolls back and re-reads the status. Returns 0 once durable. */
static int finish(struct journal *j, int rc, const struct journal_status *next, struct err *e)
{
    if (!rc) {
        int src = sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
        if (src == SQLITE_OK) {
            j->st = *next;
            return 0;
        }
        rc = sql_error(j->db, src, "committing to the journal", e);
    }
    if (!sqlite3_get_autocommit(j->db))
        sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
    reload(j);
    return rc;
}

static int write_one(struct journal *j, int kind, struct buf *payload, enum journal_state to,
                     struct err *e)
{
    if (buf_ok(payload)) {
        buf_free(payload);
        return err_set(e, ERR_NOMEM, "out of memory writing a journal row");
    }
    int rc = begin(j, e);
    if (rc) {
        buf_free(payload);
        return rc;
    }
    struct journal_status next = j->st;
    rc = append(j, &next, kind, payload->data, payload->len, e);
    next.state = to;
    buf_free(payload);
    return finish(j, rc, &next, e);
}

static void counts_payload(struct buf *b, const struct journal *j, int64_t now)
{
    buf_i64(b, now);
    buf_u64(b, j->st.ballots);
    buf_u64(b, j->st.tokens);
}

int journal_open_polls(struct journal *j, int64_t now, struct err *e)
{
    if (j->st.state != JOURNAL_NOT_OPENED)
        return err_set(e, ERR_STATE, "polls cannot be opened: they are %s",
                       journal_state_name(j->st.state));
    struct buf b;
    buf_init(&b);
    counts_payload(&b, j, now);
    return write_one(j, JROW_OPEN, &b, JOURNAL_OPEN, e);
}

int journal_pause(struct journal *j, int64_t now, struct err *e)
{
    if (j->st.state != JOURNAL_OPEN)
        return err_set(e, ERR_STATE, "polls cannot be paused: they are %s",
                       journal_state_name(j->st.state));
    struct buf b;
    buf_init(&b);
    counts_payload(&b, j, now);
    return write_one(j, JROW_PAUSE, &b, JOURNAL_PAUSED, e);
}

int journal_resume(struct journal *j, int64_t now, struct err *e)
{
    if (j->st.state != JOURNAL_PAUSED)
        return err_set(e, ERR_STATE, "polls cannot be resumed: they are %s",
                       journal_state_name(j->st.state));
    struct buf b;
    buf_init(&b);
    counts_payload(&b, j, now);
    return write_one(j, JROW_RESUME, &b, JOURNAL_OPEN, e);
}

/* Collects the set items of the kiosk's own journal for the close record. */
/* Commitments over the kiosk's own ballot and token-spend rows for the close record. The
 * journal was verified when opened and only this connection appended to it since. */
static int collect_sets(struct journal *j, uint8_t bset[HASH_LEN], uint8_t tset[HASH_LEN],
                        struct err *e)
{
    uint8_t *items[2] = {NULL, NULL};
    size_t n[2] = {0, 0};
    uint64_t want[2] = {j->st.ballots, j->st.tokens};
    static const size_t len[2] = {HASH_LEN, TOKEN_HASH_LEN};
    int rc = 0;
    for (int set = 0; set < 2 && !rc; set++) {
        items[set] = malloc(want[set] ? want[set] * len[set] : 1);
        if (!items[set]) {
            rc = err_set(e, ERR_NOMEM, "out of memory closing the polls");
            break;
        }
        sqlite3_stmt *st = NULL;
        int src = sqlite3_prepare_v2(j->db, "SELECT payload FROM rows WHERE kind = ?1 ORDER BY seq",
                                     -1, &st, NULL);
        if (src == SQLITE_OK)
            sqlite3_bind_int(st, 1, set == 0 ? JROW_BALLOT : JROW_TOKEN);
        while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW && n[set] < want[set]) {
            const uint8_t *p = sqlite3_column_blob(st, 0);
            size_t plen = (size_t)sqlite3_column_bytes(st, 0);
            src = SQLITE_OK;
            if (set == 0 && plen >= 4) {
                hash32(items[0] + n[0] * HASH_LEN, p + 4, plen - 4); /* the blob's bytes */
                n[0]++;
            } else if (set == 1 && plen == TOKEN_HASH_LEN) {
                memcpy(items[1] + n[1] * TOKEN_HASH_LEN, p, TOKEN_HASH_LEN);
                n[1]++;
            }
        }
        sqlite3_finalize(st);
        if (src != SQLITE_DONE && src != SQLITE_ROW && src != SQLITE_OK)
            rc = sql_error(j->db, src, "reading the journal to close the polls", e);
        else if (n[set] != want[set])
            rc =
                err_set(e, ERR_TAMPER,
                        "polls cannot be closed: the journal holds %zu %s rows, %llu expected; "
                        "restart the kiosk (the journal is checked on start)",
                        n[set], set == 0 ? "ballot" : "token-spend", (unsigned long long)want[set]);
    }
    if (!rc && (journal_set_commitment(bset, BALLOT_SET, items[0], n[0], HASH_LEN) ||
                journal_set_commitment(tset, TOKEN_SET, items[1], n[1], TOKEN_HASH_LEN)))
        rc = err_set(e, ERR_NOMEM, "out of memory closing the polls");
    free(items[0]);
    free(items[1]);
    return rc;
}

int journal_close_polls(struct journal *j, int64_t now, struct err *e)
{
    if (j->st.state != JOURNAL_OPEN && j->st.state != JOURNAL_PAUSED)
        return err_set(e, ERR_STATE, "polls cannot be closed: they are %s",
                       journal_state_name(j->st.state));
    uint8_t bset[HASH_LEN], tset[HASH_LEN];
    int rc = collect_sets(j, bset, tset, e);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b);
    counts_payload(&b, j, now);
    buf_raw(&b, bset, HASH_LEN);
    buf_raw(&b, tset, HASH_LEN);
    return write_one(j, JROW_CLOSE, &b, JOURNAL_CLOSED, e);
}

int journal_record_event(struct journal *j, uint16_t code, const char *detail, int64_t now,
                         struct err *e)
{
    size_t n = detail ? strlen(detail) : 0;
    if (!journal_detail_ok(detail ? detail : "", n))
        return err_set(e, ERR_USAGE, "an event detail must be printable ASCII of at most %d bytes",
                       JOURNAL_EVENT_DETAIL_MAX);
    struct buf b;
    buf_init(&b);
    buf_i64(&b, now);
    buf_u16(&b, code);
    buf_str(&b, detail);
    return write_one(j, JROW_EVENT, &b, j->st.state, e);
}

int journal_token_spent(void *jv, const uint8_t hash[TOKEN_HASH_LEN], struct err *e)
{
    struct journal *j = jv;
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(j->db, "SELECT 1 FROM rows WHERE kind = 4 AND payload = ?1", -1,
                                 &st, NULL);
    if (src == SQLITE_OK) {
        sqlite3_bind_blob(st, 1, hash, TOKEN_HASH_LEN, SQLITE_STATIC);
        src = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (src == SQLITE_ROW)
        return 1;
    if (src == SQLITE_DONE)
        return 0;
    return sql_error(j->db, src, "looking up a token", e);
}

int journal_cast(struct journal *j, const struct vote *v, const uint8_t *token_hash,
                 char tracking[TRACKING_TEXT_MAX], struct err *e)
{
    tracking[0] = '\0';
    if (j->st.state != JOURNAL_OPEN)
        return err_set(e, ERR_STATE, "a vote cannot be cast: polls are %s",
                       journal_state_name(j->st.state));
    bool token_mode =
        election_kiosk_eligibility(j->el, election_find_kiosk(j->el, j->st.kiosk_pk)) == ELIG_TOKEN;
    if (token_mode != (token_hash != NULL))
        return err_set(e, ERR_USAGE,
                       token_hash ? "this kiosk takes no voter cards, but a token was given"
                                  : "this kiosk takes voter cards: a cast needs the token");
    if (token_hash) {
        int spent = journal_token_spent(j, token_hash, e);
        if (spent < 0)
            return spent;
        if (spent)
            return err_set(e, ERR_STATE, "this voter card was already used at this kiosk");
    }
    struct buf row;
    buf_init(&row);
    size_t ctlen = sealed_size(j->el);
    uint8_t *ct = malloc(ctlen);
    int rc = 0;
    if (!ct) {
        rc = err_set(e, ERR_NOMEM, "out of memory sealing a vote");
        goto out;
    }
    rc = sealed_seal(j->el, v, ct, ctlen, e);
    if (rc)
        goto out;
    buf_blob(&row, ct, ctlen);
    if (buf_ok(&row)) {
        rc = err_set(e, ERR_NOMEM, "out of memory writing a ballot row");
        goto out;
    }
    rc = begin(j, e);
    if (rc)
        goto out;
    struct journal_status next = j->st;
    rc = append(j, &next, JROW_BALLOT, row.data, row.len, e);
    if (!rc && token_hash)
        rc = append(j, &next, JROW_TOKEN, token_hash, TOKEN_HASH_LEN, e);
    rc = finish(j, rc, &next, e);
    if (!rc)
        tracking_text(tracking, ct, ctlen);
out:
    buf_free(&row);
    free(ct);
    return rc;
}

/* ---------------------------------------------------------------- open / create */

static int configure(sqlite3 *db, struct err *e)
{
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    int rc = exec(db, "PRAGMA journal_mode=WAL", e);
    if (!rc)
        rc = exec(db, "PRAGMA synchronous=FULL", e);
    if (!rc)
        rc = exec(db, "PRAGMA cell_size_check=ON", e);
    return rc;
}

static int count_tables(sqlite3 *db, int *n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
    if (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        *n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (src != SQLITE_ROW)
        return err_set(e, ERR_FORMAT, "the file is not a readable SQLite database (%s)",
                       sqlite3_errstr(src));
    return 0;
}

static int create(struct journal *j, struct err *e)
{
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA application_id=%d; PRAGMA user_version=%d;", APPLICATION_ID,
             SCHEMA_VERSION);
    struct buf g;
    buf_init(&g);
    buf_raw(&g, j->key->pk, SIGN_PK_LEN);
    buf_raw(&g, j->package_hash, HASH_LEN);
    buf_str(&g, j->el->id);
    buf_u32(&g, (uint32_t)j->padded);
    buf_i64(&g, (int64_t)time(NULL));
    if (buf_ok(&g)) {
        buf_free(&g);
        return err_set(e, ERR_NOMEM, "out of memory creating the journal");
    }
    int rc = begin(j, e);
    if (!rc)
        rc = exec(j->db, sql, e);
    if (!rc)
        rc = exec(j->db, journal_schema, e);
    struct journal_status next = j->st;
    if (!rc)
        rc = append(j, &next, JROW_GENESIS, g.data, g.len, e);
    buf_free(&g);
    if (!rc) {
        int src = sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
        if (src == SQLITE_OK) {
            j->st = next;
            return 0;
        }
        rc = sql_error(j->db, src, "creating the journal", e);
    }
    if (!sqlite3_get_autocommit(j->db))
        sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
    return rc ? err_prefix(e, "creating the journal: ") : 0;
}

int journal_open(const char *path, const struct election *el, const uint8_t package_hash[HASH_LEN],
                 const struct secret_key *kiosk_key, struct journal **out, struct err *e)
{
    *out = NULL;
    if (!kiosk_key || kiosk_key->kind != KEY_KIOSK || kiosk_key->sk_len != SIGN_SK_LEN)
        return err_set(e, ERR_USAGE, "the journal needs the kiosk's signing key");
    if (election_find_kiosk(el, kiosk_key->pk) < 0) {
        char fp[FPR_TEXT_LEN + 1];
        fingerprint(fp, kiosk_key->pk, SIGN_PK_LEN);
        return err_set(e, ERR_PERM,
                       "this kiosk's key %s is not authorised by the election package: ask the "
                       "authority for a package that lists it, or use the right kiosk key",
                       fp);
    }
    struct journal *j = calloc(1, sizeof *j);
    if (!j)
        return err_set(e, ERR_NOMEM, "out of memory opening the journal");
    j->el = el;
    j->key = kiosk_key;
    j->padded = vote_padded_len(el);
    memcpy(j->package_hash, package_hash, HASH_LEN);
    memcpy(j->st.kiosk_pk, kiosk_key->pk, SIGN_PK_LEN);
    journal_context(j->ctx, el->id, package_hash, kiosk_key->pk);
    int rc = 0, ntables = 0;
    int src = sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (src != SQLITE_OK) {
        rc = err_set(e, ERR_IO, "cannot open the journal %s: %s", path,
                     j->db ? sqlite3_errmsg(j->db) : "out of memory");
        goto fail;
    }
    rc = configure(j->db, e);
    if (!rc)
        rc = count_tables(j->db, &ntables, e);
    if (rc)
        goto fail_path;
    if (ntables == 0) {
        rc = create(j, e);
        if (rc)
            goto fail_path;
    } else {
        struct journal_summary s;
        rc = journal_verify_db(j->db, el, package_hash, NULL, true, &s, e);
        if (!rc && memcmp(s.kiosk_pk, kiosk_key->pk, SIGN_PK_LEN) != 0) {
            char a[FPR_TEXT_LEN + 1], b[FPR_TEXT_LEN + 1];
            fingerprint(a, s.kiosk_pk, SIGN_PK_LEN);
            fingerprint(b, kiosk_key->pk, SIGN_PK_LEN);
            rc = err_set(e, ERR_PERM,
                         "the journal belongs to kiosk key %s, this kiosk's key is %s: use the "
                         "kiosk's own journal",
                         a, b);
        }
        if (rc) {
            if (rc == ERR_TAMPER)
                err_prefix(e, "refusing to continue: ");
            goto fail_path;
        }
        j->st.state = s.state;
        j->st.ballots = s.ballots;
        j->st.tokens = s.tokens;
        j->st.rows = s.rows;
        j->st.last_seq = s.last_seq;
        memcpy(j->st.head, s.head, HASH_LEN);
    }
    sqlite3_set_authorizer(j->db, authorize, NULL);
    *out = j;
    return 0;
fail_path:
    err_prefix(e, "%s: ", path);
fail:
    sqlite3_close(j->db);
    free(j);
    return rc;
}

void journal_close(struct journal *j)
{
    if (!j)
        return;
    sqlite3_close(j->db);
    free(j);
}

void journal_status(const struct journal *j, struct journal_status *out)
{
    *out = j->st;
}

int journal_snapshot(struct journal *j, uint8_t **out, size_t *len, struct err *e)
{
    return bundle_journal_snapshot_db(j->db, out, len, e);
}

struct sqlite3 *journal_db(struct journal *j)
{
    return j->db;
}
