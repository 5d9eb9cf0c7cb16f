/* journal_verify — the verifier: walks a journal read-only and reports every problem with its
 * row and kind (docs/journal.md, "Verification"). Used by the tally, the inspector, export
 * and journal_open itself.
 *
 * One pass in seq order. Each row goes through the checks every row gets (sequence, field
 * types, context and signature, hash and chain, polls state) and then the one check of its
 * kind (check_genesis, check_polls, check_ballot, check_token, check_event); the checks on
 * the whole journal (missing close, rollback, duplicates) follow the last row. Ballot and
 * token-spend hashes are kept in memory (32 + 8 bytes a row) for the set commitments and the
 * duplicate check; nothing else per row is.
 *
 * Rows are read in batches by journal_rows.c, whose worker threads compute each batch's row
 * hashes and signatures while this file checks the batch before, row by row, in order.
 *
 * Never writes to the file: it is opened read-only (immutable when the medium is read-only). */
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "crypto.h"
#include "journal_int.h"
#include "util.h"

struct item {
    uint8_t h[HASH_LEN];
    uint64_t seq;
};

struct walk {
    const struct election *el;
    const uint8_t *package_hash;
    const struct journal_verify_opts *opts;
    struct journal_summary *sum;
    struct err *e;
    char first[ERR_MSG_MAX];
    struct item *ballots, *tokens;
    size_t nb, cb, nt, ct;
    bool oom;
    bool unreadable; /* the storage failed a read: nothing can be judged */
    char why[160];   /* what SQLite said of the failed read */
    /* From the genesis row. */
    bool have_key;
    uint8_t own_ctx[HASH_LEN], gen_pkg[HASH_LEN];
    char gen_id[ELECTION_ID_MAX + 1];
    size_t padded;
    /* Carried from row to row. */
    uint8_t expect_prev[HASH_LEN];
    uint64_t last;
    bool after_ballot_needs_token;
    int prev_kind;           /* kind of the row before (0: none, or skipped) */
    bool token_after_ballot; /* this row follows a ballot row */
};

static void problem(struct walk *w, uint64_t seq, enum journal_problem kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(struct walk *w, uint64_t seq, enum journal_problem kind, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (w->sum->nproblems++ == 0)
        snprintf(w->first, sizeof w->first, "row %llu: %s: %s", (unsigned long long)seq,
                 journal_problem_name(kind), msg);
    if (w->opts && w->opts->problem)
        w->opts->problem(w->opts->ctx, seq, kind, msg);
}

/* A result code of a failed read (the storage, not the file's content): SQLite's I/O errors,
 * also when they surface as "error code=N" in an integrity_check row. */
static bool read_failed(int code)
{
    return (code & 0xff) == SQLITE_IOERR;
}

/* After a failed statement: a read error marks the walk unreadable, anything else is a problem
 * of the file. */
static bool io_error(struct walk *w, sqlite3 *db, int code)
{
    if (!w->unreadable && (read_failed(code) || read_failed(sqlite3_extended_errcode(db)))) {
        w->unreadable = true;
        snprintf(w->why, sizeof w->why, "%s", sqlite3_errmsg(db));
    }
    return w->unreadable;
}

static bool push_item(struct walk *w, struct item **a, size_t *n, size_t *cap, const uint8_t *h,
                      size_t len, uint64_t seq)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        struct item *na = realloc(*a, nc * sizeof *na);
        if (!na) {
            w->oom = true;
            return false;
        }
        *a = na, *cap = nc;
    }
    memset((*a)[*n].h, 0, HASH_LEN);
    memcpy((*a)[*n].h, h, len);
    (*a)[*n].seq = seq;
    (*n)++;
    return true;
}

/* Commitment over the first n items (their h[0..len)). */
static int commit_items(uint8_t out[HASH_LEN], const char *label, const struct item *a, size_t n,
                        size_t len)
{
    uint8_t *flat = malloc(n ? n * len : 1);
    if (!flat)
        return ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        memcpy(flat + i * len, a[i].h, len);
    int rc = journal_set_commitment(out, label, flat, n, len);
    free(flat);
    return rc;
}

static int cmp_item(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    int c = memcmp(x->h, y->h, HASH_LEN);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static void report_duplicates(struct walk *w, struct item *a, size_t n, const char *what)
{
    if (n < 2)
        return;
    qsort(a, n, sizeof *a, cmp_item);
    for (size_t i = 1; i < n; i++)
        if (memcmp(a[i].h, a[i - 1].h, HASH_LEN) == 0)
            problem(w, a[i].seq, JP_DUPLICATE,
                    "this %s repeats row %llu: a row was copied; the journal was altered", what,
                    (unsigned long long)a[i - 1].seq);
}

/* Checks a counts row (open, pause, resume, close) against what the walk has seen. */
static void check_counts(struct walk *w, uint64_t seq, int kind, const struct journal_counts *c)
{
    if (c->ballots != w->sum->ballots || c->tokens != w->sum->tokens)
        problem(w, seq, JP_COUNT_MISMATCH,
                "the %s record says %llu ballots and %llu token spends, the journal holds %llu "
                "and %llu before it: rows were removed or added",
                journal_kind_name(kind), (unsigned long long)c->ballots,
                (unsigned long long)c->tokens, (unsigned long long)w->sum->ballots,
                (unsigned long long)w->sum->tokens);
}

/* Hands a timed row to the caller (times are checked by the tally, not here). */
static void timed(struct walk *w, const struct journal_row *r, int64_t t, uint16_t code)
{
    if (r->trusted && w->opts && w->opts->timed)
        w->opts->timed(w->opts->ctx, r->seq, r->kind, t, code);
}

/* Row 1: the genesis names the key every other row is checked against. */
static void read_genesis(struct walk *w, const struct journal_row *r)
{
    const struct election *el = w->el;
    struct journal_summary *s = w->sum;
    struct journal_genesis g = {0};
    if (r->kind != JROW_GENESIS || !journal_parse_genesis(r->payload, r->plen, &g)) {
        problem(w, r->seq, r->kind != JROW_GENESIS ? JP_STATE : JP_MALFORMED,
                "the journal does not start with a readable genesis record; no signature can be "
                "checked");
        return;
    }
    memcpy(s->kiosk_pk, g.kiosk_pk, SIGN_PK_LEN);
    s->created_at = g.created;
    s->kiosk_index = election_find_kiosk(el, g.kiosk_pk);
    w->have_key = true;
    char fp[FPR_TEXT_LEN + 1];
    fingerprint(fp, g.kiosk_pk, SIGN_PK_LEN);
    if (strcmp(g.election_id, el->id) != 0)
        problem(w, r->seq, JP_WRONG_ELECTION,
                "the journal is for election \"%s\", not \"%s\": bring the journal of this "
                "election",
                g.election_id, el->id);
    if (memcmp(g.package_hash, w->package_hash, HASH_LEN) != 0) {
        char a[FPR_TEXT_LEN + 1], b[FPR_TEXT_LEN + 1];
        fingerprint(a, g.package_hash, HASH_LEN);
        fingerprint(b, w->package_hash, HASH_LEN);
        problem(w, r->seq, JP_WRONG_PACKAGE,
                "the journal was made with package %s, not %s: use the package the kiosk ran", a,
                b);
    }
    if (s->kiosk_index < 0)
        problem(w, r->seq, JP_UNAUTHORISED_KEY,
                "the journal is signed by kiosk key %s, which the election does not authorise: "
                "its ballots cannot be counted",
                fp);
    if (g.padded != w->padded)
        problem(w, r->seq, JP_WRONG_PACKAGE,
                "the journal's votes are %u bytes, this election's are %zu", g.padded, w->padded);
    /* Rows are checked against their own genesis; a genesis for another election or package
     * is reported once above, not on every row. */
    journal_context(w->own_ctx, g.election_id, g.package_hash, g.kiosk_pk);
    snprintf(w->gen_id, sizeof w->gen_id, "%s", g.election_id);
    memcpy(w->gen_pkg, g.package_hash, HASH_LEN);
    free(g.election_id);
}

/* 1. The sequence number follows the one before. */
static void check_sequence(struct walk *w, bool seq_ok, uint64_t seq)
{
    const struct journal_summary *s = w->sum;
    if (!seq_ok) {
        problem(w, seq, JP_MALFORMED, "the sequence number is not a positive integer");
    } else if (s->rows == 1 && seq != 1) {
        problem(w, seq, JP_SEQUENCE, "the journal starts at row %llu, not 1: rows are missing",
                (unsigned long long)seq);
    } else if (s->rows > 1 && seq == w->last) {
        problem(w, seq, JP_SEQUENCE, "row %llu appears twice", (unsigned long long)seq);
    } else if (s->rows > 1 && seq != w->last + 1) {
        if (seq == w->last + 2)
            problem(w, seq, JP_SEQUENCE, "row %llu is missing", (unsigned long long)w->last + 1);
        else
            problem(w, seq, JP_SEQUENCE, "rows %llu to %llu are missing",
                    (unsigned long long)w->last + 1, (unsigned long long)seq - 1);
    }
}

/* 3-5. Context, signature, hash and chain. Sets r->trusted. */
static void check_signed(struct walk *w, struct journal_row *r)
{
    const struct election *el = w->el;
    const uint8_t *h = r->h;
    r->trusted = w->have_key;
    if (w->have_key && memcmp(r->ctx, w->own_ctx, HASH_LEN) != 0) {
        r->trusted = false;
        int other = -1;
        for (size_t k = 0; k < el->nkiosks && other < 0; k++) {
            uint8_t c2[HASH_LEN];
            journal_context(c2, w->gen_id, w->gen_pkg, el->kiosk_pks[k]);
            if (memcmp(c2, r->ctx, HASH_LEN) == 0)
                other = (int)k;
        }
        if (other >= 0)
            problem(w, r->seq, JP_FOREIGN_KIOSK,
                    "this %s row belongs to the journal of %s, another kiosk: it was copied here",
                    journal_kind_name(r->kind), el->kiosk_labels ? el->kiosk_labels[other] : "?");
        else
            problem(w, r->seq, JP_FOREIGN_JOURNAL,
                    "this %s row belongs to another journal (another election, package or key): "
                    "it was copied here",
                    journal_kind_name(r->kind));
    } else if (w->have_key &&
               (r->sig_state ? r->sig_state < 0
                             : sign_verify(r->sig, r->msg, r->msg_len, w->sum->kiosk_pk) != 0)) {
        r->trusted = false;
        problem(w, r->seq, JP_BAD_SIGNATURE,
                "the %s row's signature does not verify: the row was altered or forged",
                journal_kind_name(r->kind));
    }
    if (memcmp(r->hash, h, HASH_LEN) != 0)
        problem(w, r->seq, JP_BROKEN_CHAIN, "the stored row hash is not the hash of the row");
    if (memcmp(r->prev, w->expect_prev, HASH_LEN) != 0)
        problem(w, r->seq, JP_BROKEN_CHAIN,
                "the row does not follow the row before it (previous-hash mismatch): rows were "
                "removed, inserted or reordered");
    memcpy(w->expect_prev, h, HASH_LEN);
    memcpy(w->sum->head, h, HASH_LEN);
}

/* 7 (for every kind). A token spend after each ballot in token mode; nothing but events
 * after the close. */
static void check_order(struct walk *w, const struct journal_row *r)
{
    if (w->after_ballot_needs_token && r->kind != JROW_TOKEN)
        problem(w, r->seq, JP_STATE,
                "the ballot before this row has no token spend (token mode): rows removed");
    w->after_ballot_needs_token = false;
    w->token_after_ballot = w->prev_kind == JROW_BALLOT;
    if (w->sum->state == JOURNAL_CLOSED && r->kind != JROW_EVENT)
        problem(w, r->seq, JP_STATE, "a %s row after the close record", journal_kind_name(r->kind));
}

static void check_genesis(struct walk *w, const struct journal_row *r)
{
    if (w->sum->rows != 1)
        problem(w, r->seq, JP_STATE, "a second genesis record");
}

/* open, pause, resume, close: allowed in this state, counts as seen, the close's sets. */
static void check_polls(struct walk *w, const struct journal_row *r)
{
    struct journal_summary *s = w->sum;
    int kind = r->kind;
    struct journal_counts c = {0};
    if (!journal_parse_counts(r->payload, r->plen, kind == JROW_CLOSE, &c)) {
        problem(w, r->seq, JP_MALFORMED, "the %s record does not parse", journal_kind_name(kind));
        return;
    }
    if ((kind == JROW_OPEN && s->state != JOURNAL_NOT_OPENED) ||
        (kind == JROW_PAUSE && s->state != JOURNAL_OPEN) ||
        (kind == JROW_RESUME && s->state != JOURNAL_PAUSED) ||
        (kind == JROW_CLOSE && s->state != JOURNAL_OPEN && s->state != JOURNAL_PAUSED))
        problem(w, r->seq, JP_STATE, "a %s record while polls are %s", journal_kind_name(kind),
                journal_state_name(s->state));
    check_counts(w, r->seq, kind, &c);
    timed(w, r, c.time, 0);
    if (kind == JROW_OPEN) {
        s->state = JOURNAL_OPEN;
        s->opened_at = c.time;
        return;
    }
    if (kind == JROW_PAUSE) {
        s->state = JOURNAL_PAUSED;
        return;
    }
    if (kind == JROW_RESUME) {
        s->state = JOURNAL_OPEN;
        return;
    }
    s->state = JOURNAL_CLOSED;
    s->has_close = true;
    s->closed_at = c.time;
    s->close_ballots = c.ballots;
    s->close_tokens = c.tokens;
    memcpy(s->close_ballot_set, c.ballot_set, HASH_LEN);
    memcpy(s->close_token_set, c.token_set, HASH_LEN);
    memcpy(s->close_prev, r->prev, HASH_LEN);
    if (commit_items(s->ballot_set, BALLOT_SET, w->ballots, w->nb, HASH_LEN) ||
        commit_items(s->token_set, TOKEN_SET, w->tokens, w->nt, TOKEN_HASH_LEN)) {
        w->oom = true;
        return;
    }
    if (memcmp(s->ballot_set, c.ballot_set, HASH_LEN) != 0)
        problem(w, r->seq, JP_COUNT_MISMATCH,
                "the close record's ballot-set commitment does not match the ballots in the "
                "journal: ballots were changed, removed or added");
    if (memcmp(s->token_set, c.token_set, HASH_LEN) != 0)
        problem(w, r->seq, JP_COUNT_MISMATCH,
                "the close record's token-set commitment does not match the token spends in the "
                "journal");
}

/* A sealed vote of the election's length, while polls are open. Returns the callback's
 * value. */
static int check_ballot(struct walk *w, const struct journal_row *r)
{
    struct journal_summary *s = w->sum;
    if (s->state != JOURNAL_OPEN)
        problem(w, r->seq, JP_STATE, "a ballot while polls are %s", journal_state_name(s->state));
    struct rd rd;
    rd_init(&rd, r->payload, r->plen);
    size_t n = 0;
    const uint8_t *ct = rd_blob(&rd, r->plen, &n);
    if (!rd_done(&rd) || n != w->padded + SEAL_OVERHEAD) {
        problem(w, r->seq, JP_MALFORMED,
                "the ballot row holds %zu bytes of ciphertext, this election's hold %zu", n,
                w->padded + SEAL_OVERHEAD);
        return 0;
    }
    s->ballots++;
    w->after_ballot_needs_token = election_kiosk_eligibility(w->el, s->kiosk_index) == ELIG_TOKEN;
    uint8_t ch[HASH_LEN];
    hash32(ch, ct, n);
    if (!push_item(w, &w->ballots, &w->nb, &w->cb, ch, HASH_LEN, r->seq))
        return 0;
    if (r->trusted && w->opts && w->opts->ballot)
        return w->opts->ballot(w->opts->ctx, r->seq, ct, n, ch);
    return 0;
}

/* A 16-byte token hash, while polls are open. Returns the callback's value. */
static int check_token(struct walk *w, const struct journal_row *r)
{
    struct journal_summary *s = w->sum;
    if (r->plen != TOKEN_HASH_LEN) {
        problem(w, r->seq, JP_MALFORMED, "a token-spend row of %zu bytes", r->plen);
        return 0;
    }
    if (s->state != JOURNAL_OPEN)
        problem(w, r->seq, JP_STATE, "a token spend while polls are %s",
                journal_state_name(s->state));
    else if (election_kiosk_eligibility(w->el, s->kiosk_index) != ELIG_TOKEN)
        problem(w, r->seq, JP_STATE,
                "a token spend at a kiosk that takes no voter cards (attended): a row was added");
    else if (!w->token_after_ballot)
        problem(w, r->seq, JP_STATE,
                "a token spend that does not follow its ballot row: rows were moved or added");
    s->tokens++;
    if (!push_item(w, &w->tokens, &w->nt, &w->ct, r->payload, TOKEN_HASH_LEN, r->seq))
        return 0;
    if (r->trusted && w->opts && w->opts->token)
        return w->opts->token(w->opts->ctx, r->seq, r->payload);
    return 0;
}

static void check_event(struct walk *w, const struct journal_row *r)
{
    int64_t t;
    uint16_t code;
    if (!journal_parse_event(r->payload, r->plen, &t, &code))
        problem(w, r->seq, JP_MALFORMED, "the event record does not parse");
    else
        timed(w, r, t, code);
}

#define RS 0x1e /* ends a record of schema_objects */

/* The file's objects (tables, index, triggers) as "type name sql" records, each ended by
 * RS, sorted by name. */
static char *schema_objects(sqlite3 *db, int *step)
{
    sqlite3_stmt *st = NULL;
    struct buf b;
    buf_init(&b);
    *step = sqlite3_prepare_v2(db,
                               "SELECT type, name, coalesce(sql, '') FROM sqlite_schema"
                               " WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                               -1, &st, NULL);
    if (*step == SQLITE_OK)
        while ((*step = sqlite3_step(st)) == SQLITE_ROW) {
            for (int c = 0; c < 3; c++) {
                const char *t = (const char *)sqlite3_column_text(st, c);
                buf_raw(&b, t ? t : "", t ? strlen(t) : 0);
                buf_u8(&b, c < 2 ? ' ' : RS);
            }
        }
    sqlite3_finalize(st);
    buf_u8(&b, 0);
    char *out = buf_ok(&b) ? NULL : util_strdup((const char *)b.data);
    buf_free(&b);
    return out;
}

static int pragma_int(struct walk *w, sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int v = -1, src = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    else
        io_error(w, db, src);
    sqlite3_finalize(st);
    return v;
}

/* application_id, user_version, and every table, index and trigger exactly as the format
 * creates them (docs/journal.md, "Storage"): compared with a journal created in memory. */
static void check_schema(sqlite3 *db, struct walk *w)
{
    int app = pragma_int(w, db, "PRAGMA application_id"),
        ver = pragma_int(w, db, "PRAGMA user_version");
    if (w->unreadable)
        return;
    if (app != APPLICATION_ID)
        problem(w, 0, JP_SCHEMA,
                "the file's application_id is 0x%08x, a journal's is 0x%08x: it is not a journal, "
                "or it was changed",
                (unsigned)app, (unsigned)APPLICATION_ID);
    if (ver != SCHEMA_VERSION)
        problem(w, 0, JP_SCHEMA, "the file's user_version is %d, this format's is %d", ver,
                SCHEMA_VERSION);
    sqlite3 *ref = NULL;
    char *want = NULL, *have = NULL;
    if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_exec(ref, journal_schema, NULL, NULL, NULL) == SQLITE_OK) {
        int ws, hs;
        want = schema_objects(ref, &ws);
        have = schema_objects(db, &hs);
        if (hs != SQLITE_DONE && io_error(w, db, hs)) {
            free(want);
            free(have);
            sqlite3_close(ref);
            return;
        }
    }
    sqlite3_close(ref);
    if (!want || !have) {
        w->oom = true;
    } else {
        /* Each record of one list that the other lacks. */
        for (int side = 0; side < 2; side++) {
            const char *from = side ? have : want, *other = side ? want : have;
            for (const char *l = from; *l;) {
                const char *nl = strchr(l, RS);
                size_t n = (size_t)(nl - l) + 1;
                bool found = false;
                for (const char *o = other; *o && !found;) {
                    const char *onl = strchr(o, RS);
                    found = (size_t)(onl - o) + 1 == n && memcmp(o, l, n) == 0;
                    o = onl + 1;
                }
                if (!found) {
                    const char *sp = strchr(l, ' '), *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
                    int tn = sp ? (int)(sp - l) : 0, nn = sp2 ? (int)(sp2 - sp - 1) : 0;
                    if (side == 0)
                        problem(w, 0, JP_SCHEMA,
                                "the %.*s %.*s is missing or was changed: a guard of the journal "
                                "was dropped or altered (the file was edited outside the kiosk)",
                                tn, l, nn, sp ? sp + 1 : "");
                    else
                        problem(w, 0, JP_SCHEMA,
                                "the file holds a %.*s %.*s that is not part of the journal "
                                "format (the file was edited outside the kiosk)",
                                tn, l, nn, sp ? sp + 1 : "");
                }
                l = nl + 1;
            }
        }
    }
    free(want);
    free(have);
}

/* The checks of one row, in journal order. Returns the callbacks' value. */
static int check_row(struct walk *w, struct journal_brow *x)
{
    struct journal_summary *s = w->sum;
    struct journal_row *r = &x->r;
    s->rows++;
    if (s->rows == 1)
        s->first_seq = r->seq;
    check_sequence(w, x->seq_ok, r->seq);
    w->last = r->seq;
    s->last_seq = r->seq;
    if (!x->fields_ok) {
        problem(w, r->seq, JP_MALFORMED, "a field has the wrong type or size; the row is skipped");
        memset(w->expect_prev, 0, HASH_LEN);
        w->prev_kind = 0;
        return 0;
    }
    if (s->rows == 1)
        read_genesis(w, r);
    check_signed(w, r);
    if (s->rows == 1 && r->kind == JROW_GENESIS)
        timed(w, r, s->created_at, 0);
    check_order(w, r);
    int rc = 0;
    switch (r->kind) {
    case JROW_GENESIS:
        check_genesis(w, r);
        break;
    case JROW_OPEN:
    case JROW_PAUSE:
    case JROW_RESUME:
    case JROW_CLOSE:
        check_polls(w, r);
        break;
    case JROW_BALLOT:
        rc = check_ballot(w, r);
        break;
    case JROW_TOKEN:
        rc = check_token(w, r);
        break;
    case JROW_EVENT:
        check_event(w, r);
        break;
    default:
        problem(w, r->seq, JP_MALFORMED, "unknown row kind %d", r->kind);
    }
    w->prev_kind = r->kind;
    return rc;
}

/* Reads the rows in batches: row 1 alone (its genesis names the key), then JOURNAL_BATCH_ROWS at a
 * time. While the workers compute the hashes and signatures of one batch, this thread reads
 * the next one; then it checks the rows of the first one by one, in order, exactly as if each
 * were checked alone. A batch whose every row was checked ahead (opts->ahead, for the same
 * bytes and key) needs no workers. */
static int walk_rows(sqlite3 *db, struct walk *w)
{
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT seq, kind, ctx, prev, payload, hash, sig FROM rows ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        problem(w, 0, JP_UNREADABLE, "the file has no journal table (%s): it is not a journal",
                sqlite3_errmsg(db));
        return 0;
    }
    w->padded = vote_padded_len(w->el);
    struct journal_batch b[2] = {
        {.rows = malloc(JOURNAL_BATCH_ROWS * sizeof(struct journal_brow))},
        {.rows = malloc(JOURNAL_BATCH_ROWS * sizeof(struct journal_brow))}};
    buf_init(&b[0].arena);
    buf_init(&b[1].arena);
    struct journal_pool pool;
    journal_pool_start(&pool);
    if (!b[0].rows || !b[1].rows)
        w->oom = true;
    /* row 1, alone and inline */
    int step = w->oom ? SQLITE_DONE : journal_batch_read(st, &b[0], 1);
    if (buf_ok(&b[0].arena))
        w->oom = true;
    if (!w->oom && b[0].n) {
        journal_batch_check(&b[0], NULL, 0, b[0].n);
        rc = check_row(w, &b[0].rows[0]);
    }
    const uint8_t *pk = w->have_key ? w->sum->kiosk_pk : NULL;
    int cur = 0;
    b[cur].n = 0;
    struct journal_ahead *ahead = w->opts ? w->opts->ahead : NULL;
    if (!rc && !w->oom && step == SQLITE_ROW) {
        step = journal_batch_read(st, &b[cur], JOURNAL_BATCH_ROWS);
        if (buf_ok(&b[cur].arena))
            w->oom = true;
        else if (!journal_ahead_fill(ahead, &b[cur], pk))
            journal_pool_submit(&pool, &b[cur], pk);
    }
    while (!rc && !w->oom && b[cur].n) {
        struct journal_batch *next = &b[1 - cur];
        next->n = 0;
        if (step == SQLITE_ROW) /* read ahead while the workers check b[cur] */
            step = journal_batch_read(st, next, JOURNAL_BATCH_ROWS);
        journal_pool_wait(&pool);
        if (buf_ok(&next->arena)) {
            w->oom = true;
            break;
        }
        if (next->n && !journal_ahead_fill(ahead, next, pk))
            journal_pool_submit(&pool, next, pk);
        for (size_t i = 0; i < b[cur].n && !rc && !w->oom; i++)
            rc = check_row(w, &b[cur].rows[i]);
        cur = 1 - cur;
    }
    journal_pool_wait(&pool);
    journal_pool_stop(&pool);
    if (!rc && !w->oom && step != SQLITE_DONE && step != SQLITE_ROW && !io_error(w, db, step))
        problem(w, w->last, JP_UNREADABLE, "reading the rows failed: %s", sqlite3_errmsg(db));
    if (w->after_ballot_needs_token)
        problem(w, w->last, JP_STATE, "the last ballot has no token spend (token mode)");
    sqlite3_finalize(st);
    buf_free(&b[0].arena);
    buf_free(&b[1].arena);
    free(b[0].rows);
    free(b[1].rows);
    return rc;
}

int journal_verify_db(sqlite3 *db, const struct election *el, const uint8_t package_hash[HASH_LEN],
                      const struct journal_verify_opts *opts, bool integrity,
                      struct journal_summary *out, struct err *e)
{
    struct walk w = {.el = el, .package_hash = package_hash, .opts = opts, .sum = out, .e = e};
    memset(out, 0, sizeof *out);
    out->kiosk_index = -1;
    if (integrity) {
        sqlite3_stmt *st = NULL;
        int src = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL);
        if (src == SQLITE_OK)
            src = sqlite3_step(st);
        const char *txt = src == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        /* a page the storage could not read is reported in the row as "error code=N" */
        const char *code = txt ? strstr(txt, "error code=") : NULL;
        int n = 0;
        for (const char *d = code ? code + strlen("error code=") : "";
             *d >= '0' && *d <= '9' && n < 100000; d++)
            n = n * 10 + (*d - '0');
        if (code && read_failed(n)) {
            w.unreadable = true;
            snprintf(w.why, sizeof w.why, "%s", txt);
        }
        bool io = w.unreadable || (src != SQLITE_ROW && io_error(&w, db, src));
        if (!io && (!txt || strcmp(txt, "ok") != 0))
            problem(&w, 0, JP_UNREADABLE, "the database fails its integrity check (%s)",
                    txt ? txt : sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    if (!w.unreadable)
        check_schema(db, &w);
    int rc = w.oom || w.unreadable ? 0 : walk_rows(db, &w);
    if (!rc && !w.oom && !w.unreadable) {
        if (out->rows == 0)
            problem(&w, 0, JP_UNREADABLE, "the journal has no rows");
        if (opts && opts->require_close && !out->has_close)
            problem(&w, out->last_seq, JP_MISSING_CLOSE,
                    "there is no close record: the journal was cut short, rolled back to an "
                    "earlier copy, or polls were never closed");
        if (opts && opts->expect_ballots >= 0 && out->ballots != (uint64_t)opts->expect_ballots)
            problem(&w, out->last_seq, JP_ROLLBACK,
                    "the journal holds %llu ballots, %lld were expected (closing report): it is "
                    "an older or altered copy",
                    (unsigned long long)out->ballots, (long long)opts->expect_ballots);
        if (opts && opts->expect_head && memcmp(opts->expect_head, out->head, HASH_LEN) != 0)
            problem(&w, out->last_seq, JP_ROLLBACK,
                    "the journal's last row is not the one expected (another head hash): it is "
                    "an older or altered copy");
        if (!out->has_close &&
            (commit_items(out->ballot_set, BALLOT_SET, w.ballots, w.nb, HASH_LEN) ||
             commit_items(out->token_set, TOKEN_SET, w.tokens, w.nt, TOKEN_HASH_LEN)))
            w.oom = true;
        report_duplicates(&w, w.ballots, w.nb, "ballot");
        report_duplicates(&w, w.tokens, w.nt, "token spend");
    }
    free(w.ballots);
    free(w.tokens);
    if (w.unreadable)
        return err_set(e, ERR_IO,
                       "the journal could not be read (the storage failed a read: %s), so it "
                       "was not checked; the file itself may be sound: check the SD card or "
                       "stick, or copy the journal to other storage, and try again",
                       w.why);
    if (w.oom)
        return err_set(e, ERR_NOMEM, "out of memory verifying the journal");
    if (rc)
        return rc;
    if (out->nproblems)
        return err_set(e, ERR_TAMPER, "the journal does not verify: %llu problem%s, first %s",
                       (unsigned long long)out->nproblems, out->nproblems == 1 ? "" : "s", w.first);
    return 0;
}

/* true unless the database cannot even be opened for reading (as opposed to being damaged,
 * which verify_db reports). */
static bool readable(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    sqlite3_finalize(st);
    int base = src & 0xff;
    return base != SQLITE_CANTOPEN && base != SQLITE_READONLY;
}

/* "file:PATH?immutable=1" with the characters a URI path may not hold escaped. */
static char *immutable_uri(const char *path)
{
    size_t n = strlen(path);
    char *u = malloc(5 + 3 * n + 13);
    if (!u)
        return NULL;
    size_t o = 0;
    memcpy(u, "file:", 5);
    o = 5;
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#') {
            snprintf(u + o, 4, "%%%02X", (unsigned char)*p);
            o += 3;
        } else {
            u[o++] = *p;
        }
    }
    memcpy(u + o, "?immutable=1", 13);
    return u;
}

int journal_verify(const char *path, const struct election *el,
                   const uint8_t package_hash[HASH_LEN], const struct journal_verify_opts *opts,
                   struct journal_summary *out, struct err *e)
{
    sqlite3 *db = NULL;
    struct stat sb;
    memset(out, 0, sizeof *out);
    out->kiosk_index = -1;
    if (stat(path, &sb) != 0) {
        int rc = err_errno(e, "cannot read the journal %s", path);
        if (opts && opts->problem)
            opts->problem(opts->ctx, 0, JP_UNREADABLE, e->msg);
        out->nproblems = 1;
        return rc;
    }
    int src = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (src == SQLITE_OK && !readable(db)) {
        /* A WAL journal on read-only media (an export stick mounted read-only): SQLite cannot
         * create its shared-memory file there. Read the file as it is, without its WAL; an
         * uncheckpointed tail is then missing, which the close record and the expected
         * counts catch. */
        sqlite3_close(db);
        db = NULL;
        char *uri = immutable_uri(path);
        src = uri ? sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL)
                  : SQLITE_NOMEM;
        free(uri);
    }
    if (src != SQLITE_OK) {
        int rc = err_set(e, ERR_IO, "cannot open the journal %s: %s", path,
                         db ? sqlite3_errmsg(db) : "out of memory");
        if (opts && opts->problem)
            opts->problem(opts->ctx, 0, JP_UNREADABLE, e->msg);
        out->nproblems = 1;
        sqlite3_close(db);
        return rc;
    }
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_busy_timeout(db, 5000);
    int rc = journal_verify_db(db, el, package_hash, opts, true, out, e);
    sqlite3_close(db);
    if (rc && rc != ERR_NOMEM)
        err_prefix(e, "%s: ", path);
    return rc;
}
