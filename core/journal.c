/* journal — see journal.h; byte format in docs/journal.md.
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
#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "util.h"

#define ROW_LABEL       "isoloir/journal-row"
#define CTX_LABEL       "isoloir/journal-context"
#define BALLOT_SET      "isoloir/ballot-set"
#define TOKEN_SET       "isoloir/token-set"
#define ROW_VERSION     1u
#define APPLICATION_ID  0x49534c4a /* "ISLJ" */
#define SCHEMA_VERSION  1
#define ELECTION_ID_MAX 256

static const char SCHEMA[] =
    "CREATE TABLE rows(\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  kind INTEGER NOT NULL,\n"
    "  ctx BLOB NOT NULL,\n"
    "  prev BLOB NOT NULL,\n"
    "  payload BLOB NOT NULL,\n"
    "  hash BLOB NOT NULL,\n"
    "  sig BLOB NOT NULL) STRICT;\n"
    "CREATE INDEX rows_token ON rows(payload) WHERE kind = 4;\n"
    "CREATE TRIGGER rows_no_update BEFORE UPDATE ON rows BEGIN\n"
    "  SELECT RAISE(ABORT, 'the journal is append-only: rows are never updated'); END;\n"
    "CREATE TRIGGER rows_no_delete BEFORE DELETE ON rows BEGIN\n"
    "  SELECT RAISE(ABORT, 'the journal is append-only: rows are never deleted'); END;\n"
    "CREATE TRIGGER rows_append_only BEFORE INSERT ON rows\n"
    "  WHEN NEW.seq IS NOT coalesce((SELECT max(seq) FROM rows), 0) + 1 BEGIN\n"
    "  SELECT RAISE(ABORT, 'the journal is append-only: a row must take the next sequence "
    "number'); END;\n";

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

const char *journal_kind_name(int kind)
{
    static const char *const N[] = {"unknown", "genesis", "open",  "ballot", "token",
                                    "pause",   "resume",  "close", "event"};
    return kind >= 1 && kind <= JROW_EVENT ? N[kind] : N[0];
}

const char *journal_state_name(enum journal_state s)
{
    switch (s) {
    case JOURNAL_NOT_OPENED:
        return "not opened";
    case JOURNAL_OPEN:
        return "open";
    case JOURNAL_PAUSED:
        return "paused";
    case JOURNAL_CLOSED:
        return "closed";
    }
    return "unknown";
}

const char *journal_problem_name(enum journal_problem p)
{
    static const char *const N[] = {
        "unknown",       "unreadable",     "malformed",      "bad-signature",
        "broken-chain",  "sequence",       "duplicate",      "unauthorised-key",
        "wrong-package", "wrong-election", "foreign-kiosk",  "foreign-journal",
        "state",         "missing-close",  "count-mismatch", "rollback"};
    return p >= 1 && p <= JP_ROLLBACK ? N[p] : N[0];
}

/* ctx = BLAKE2b-256(text CTX_LABEL || text election id || package hash || kiosk key). */
static void journal_context(uint8_t out[HASH_LEN], const char *election_id,
                            const uint8_t package_hash[HASH_LEN], const uint8_t pk[SIGN_PK_LEN])
{
    struct buf b;
    buf_init(&b);
    buf_str(&b, CTX_LABEL);
    buf_str(&b, election_id);
    buf_raw(&b, package_hash, HASH_LEN);
    buf_raw(&b, pk, SIGN_PK_LEN);
    if (buf_ok(&b) == 0)
        hash32(out, b.data, b.len);
    else
        memset(out, 0, HASH_LEN);
    buf_free(&b);
}

/* The signed bytes of a row (docs/journal.md, "Row"). */
static void row_message(struct buf *b, const uint8_t ctx[HASH_LEN], uint64_t seq, int kind,
                        const uint8_t prev[HASH_LEN], const uint8_t *payload, size_t n)
{
    buf_str(b, ROW_LABEL);
    buf_u16(b, ROW_VERSION);
    buf_raw(b, ctx, HASH_LEN);
    buf_u64(b, seq);
    buf_u8(b, (uint8_t)kind);
    buf_raw(b, prev, HASH_LEN);
    buf_blob(b, payload, n);
}

static int cmp_items(const void *a, const void *b, void *len)
{
    return memcmp(a, b, *(size_t *)len);
}

/* Sorting items of a run-time size: a small insertion-merge would do, but qsort_r is not
 * portable C17; use a plain shell sort on indexes of the byte array. */
static void sort_items(uint8_t *items, size_t count, size_t len)
{
    uint8_t tmp[HASH_LEN];
    for (size_t gap = count / 2; gap > 0; gap /= 2)
        for (size_t i = gap; i < count; i++) {
            memcpy(tmp, items + i * len, len);
            size_t k = i;
            while (k >= gap && cmp_items(items + (k - gap) * len, tmp, &len) > 0) {
                memcpy(items + k * len, items + (k - gap) * len, len);
                k -= gap;
            }
            memcpy(items + k * len, tmp, len);
        }
}

int journal_set_commitment(uint8_t out[HASH_LEN], const char *label, uint8_t *items, size_t count,
                           size_t item_len)
{
    if (item_len > HASH_LEN)
        return ERR_INTERNAL;
    sort_items(items, count, item_len);
    crypto_generichash_state st;
    struct buf head;
    buf_init(&head);
    buf_str(&head, label);
    buf_u64(&head, count);
    if (buf_ok(&head)) {
        buf_free(&head);
        return ERR_NOMEM;
    }
    crypto_generichash_init(&st, NULL, 0, HASH_LEN);
    crypto_generichash_update(&st, head.data, head.len);
    if (count)
        crypto_generichash_update(&st, items, count * item_len);
    crypto_generichash_final(&st, out, HASH_LEN);
    buf_free(&head);
    return 0;
}

/* ---------------------------------------------------------------- payload parsing */

struct genesis {
    uint8_t kiosk_pk[SIGN_PK_LEN];
    uint8_t package_hash[HASH_LEN];
    char *election_id;
    uint32_t padded;
    int64_t created;
};

static bool parse_genesis(const uint8_t *p, size_t n, struct genesis *g)
{
    struct rd r;
    rd_init(&r, p, n);
    const uint8_t *pk = rd_raw(&r, SIGN_PK_LEN);
    const uint8_t *ph = rd_raw(&r, HASH_LEN);
    g->election_id = rd_str(&r, ELECTION_ID_MAX);
    g->padded = rd_u32(&r);
    g->created = rd_i64(&r);
    if (!rd_done(&r)) {
        free(g->election_id);
        g->election_id = NULL;
        return false;
    }
    memcpy(g->kiosk_pk, pk, SIGN_PK_LEN);
    memcpy(g->package_hash, ph, HASH_LEN);
    return true;
}

struct counts {
    int64_t time;
    uint64_t ballots, tokens;
    uint8_t ballot_set[HASH_LEN], token_set[HASH_LEN];
};

static bool parse_counts(const uint8_t *p, size_t n, bool with_sets, struct counts *c)
{
    struct rd r;
    rd_init(&r, p, n);
    c->time = rd_i64(&r);
    c->ballots = rd_u64(&r);
    c->tokens = rd_u64(&r);
    if (with_sets) {
        const uint8_t *a = rd_raw(&r, HASH_LEN), *b = rd_raw(&r, HASH_LEN);
        if (a && b) {
            memcpy(c->ballot_set, a, HASH_LEN);
            memcpy(c->token_set, b, HASH_LEN);
        }
    }
    return rd_done(&r);
}

static bool detail_ok(const char *s, size_t n)
{
    if (n > JOURNAL_EVENT_DETAIL_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            return false;
    return true;
}

static bool parse_event(const uint8_t *p, size_t n, int64_t *time, uint16_t *code)
{
    struct rd r;
    rd_init(&r, p, n);
    *time = rd_i64(&r);
    *code = rd_u16(&r);
    size_t len = 0;
    const uint8_t *d = rd_blob(&r, JOURNAL_EVENT_DETAIL_MAX, &len);
    return rd_done(&r) && d && detail_ok((const char *)d, len);
}

/* ---------------------------------------------------------------- verification */

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

static bool blob_is(sqlite3_stmt *st, int col, size_t len)
{
    return sqlite3_column_type(st, col) == SQLITE_BLOB &&
           (size_t)sqlite3_column_bytes(st, col) == len;
}

/* Checks a counts row (open, pause, resume, close) against what the walk has seen. */
static void check_counts(struct walk *w, uint64_t seq, int kind, const struct counts *c)
{
    if (c->ballots != w->sum->ballots || c->tokens != w->sum->tokens)
        problem(w, seq, JP_COUNT_MISMATCH,
                "the %s record says %llu ballots and %llu token spends, the journal holds %llu "
                "and %llu before it: rows were removed or added",
                journal_kind_name(kind), (unsigned long long)c->ballots,
                (unsigned long long)c->tokens, (unsigned long long)w->sum->ballots,
                (unsigned long long)w->sum->tokens);
}

static int walk_rows(sqlite3 *db, struct walk *w)
{
    const struct election *el = w->el;
    struct journal_summary *s = w->sum;
    sqlite3_stmt *st = NULL;
    struct buf msg;
    buf_init(&msg);
    int rc = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT seq, kind, ctx, prev, payload, hash, sig FROM rows ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        problem(w, 0, JP_UNREADABLE, "the file has no journal table (%s): it is not a journal",
                sqlite3_errmsg(db));
        return 0;
    }
    uint8_t own_ctx[HASH_LEN] = {0}, expect_prev[HASH_LEN] = {0}, gen_pkg[HASH_LEN] = {0};
    char gen_id[ELECTION_ID_MAX + 1] = "";
    bool have_key = false, after_ballot_needs_token = false;
    size_t padded = vote_padded_len(el);
    uint64_t last = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0);
        int kind = sqlite3_column_int(st, 1);
        s->rows++;
        if (s->rows == 1)
            s->first_seq = seq;
        if (sqlite3_column_type(st, 0) != SQLITE_INTEGER || sqlite3_column_int64(st, 0) < 1) {
            problem(w, seq, JP_MALFORMED, "the sequence number is not a positive integer");
        } else if (s->rows == 1 && seq != 1) {
            problem(w, seq, JP_SEQUENCE, "the journal starts at row %llu, not 1: rows are missing",
                    (unsigned long long)seq);
        } else if (s->rows > 1 && seq == last) {
            problem(w, seq, JP_SEQUENCE, "row %llu appears twice", (unsigned long long)seq);
        } else if (s->rows > 1 && seq != last + 1) {
            if (seq == last + 2)
                problem(w, seq, JP_SEQUENCE, "row %llu is missing", (unsigned long long)last + 1);
            else
                problem(w, seq, JP_SEQUENCE, "rows %llu to %llu are missing",
                        (unsigned long long)last + 1, (unsigned long long)seq - 1);
        }
        last = seq;
        s->last_seq = seq;
        if (sqlite3_column_type(st, 1) != SQLITE_INTEGER || !blob_is(st, 2, HASH_LEN) ||
            !blob_is(st, 3, HASH_LEN) || !blob_is(st, 5, HASH_LEN) || !blob_is(st, 6, SIG_LEN) ||
            (sqlite3_column_type(st, 4) != SQLITE_BLOB && sqlite3_column_bytes(st, 4) != 0)) {
            problem(w, seq, JP_MALFORMED, "a field has the wrong type or size; the row is skipped");
            memset(expect_prev, 0, HASH_LEN);
            continue;
        }
        const uint8_t *ctx = sqlite3_column_blob(st, 2), *prev = sqlite3_column_blob(st, 3),
                      *hash = sqlite3_column_blob(st, 5), *sig = sqlite3_column_blob(st, 6);
        const uint8_t *payload = sqlite3_column_blob(st, 4);
        size_t plen = (size_t)sqlite3_column_bytes(st, 4);
        static const uint8_t empty[1];
        if (!payload)
            payload = empty;

        if (s->rows == 1) {
            /* The genesis row names the key every other row is checked against. */
            struct genesis g = {0};
            if (kind != JROW_GENESIS || !parse_genesis(payload, plen, &g)) {
                problem(w, seq, kind != JROW_GENESIS ? JP_STATE : JP_MALFORMED,
                        "the journal does not start with a readable genesis record; no "
                        "signature can be checked");
            } else {
                memcpy(s->kiosk_pk, g.kiosk_pk, SIGN_PK_LEN);
                s->created_at = g.created;
                s->kiosk_index = election_find_kiosk(el, g.kiosk_pk);
                have_key = true;
                char fp[FPR_TEXT_LEN + 1];
                fingerprint(fp, g.kiosk_pk, SIGN_PK_LEN);
                if (strcmp(g.election_id, el->id) != 0)
                    problem(w, seq, JP_WRONG_ELECTION,
                            "the journal is for election \"%s\", not \"%s\": bring the journal "
                            "of this election",
                            g.election_id, el->id);
                if (memcmp(g.package_hash, w->package_hash, HASH_LEN) != 0) {
                    char a[FPR_TEXT_LEN + 1], b[FPR_TEXT_LEN + 1];
                    fingerprint(a, g.package_hash, HASH_LEN);
                    fingerprint(b, w->package_hash, HASH_LEN);
                    problem(w, seq, JP_WRONG_PACKAGE,
                            "the journal was made with package %s, not %s: use the package the "
                            "kiosk ran",
                            a, b);
                }
                if (s->kiosk_index < 0)
                    problem(w, seq, JP_UNAUTHORISED_KEY,
                            "the journal is signed by kiosk key %s, which the election does not "
                            "authorise: its ballots cannot be counted",
                            fp);
                if (g.padded != padded)
                    problem(w, seq, JP_WRONG_PACKAGE,
                            "the journal's votes are %u bytes, this election's are %zu", g.padded,
                            padded);
                /* Rows are checked against their own genesis; a genesis for another election
                 * or package is reported once above, not on every row. */
                journal_context(own_ctx, g.election_id, g.package_hash, g.kiosk_pk);
                snprintf(gen_id, sizeof gen_id, "%s", g.election_id);
                memcpy(gen_pkg, g.package_hash, HASH_LEN);
                free(g.election_id);
            }
        }

        /* Context, signature, hash and chain. */
        msg.len = 0;
        row_message(&msg, ctx, seq, kind, prev, payload, plen);
        if (buf_ok(&msg)) {
            w->oom = true;
            break;
        }
        uint8_t h[HASH_LEN];
        hash32(h, msg.data, msg.len);
        bool trusted = have_key;
        if (have_key && memcmp(ctx, own_ctx, HASH_LEN) != 0) {
            trusted = false;
            int other = -1;
            for (size_t k = 0; k < el->nkiosks && other < 0; k++) {
                uint8_t c2[HASH_LEN];
                journal_context(c2, gen_id, gen_pkg, el->kiosk_pks[k]);
                if (memcmp(c2, ctx, HASH_LEN) == 0)
                    other = (int)k;
            }
            if (other >= 0)
                problem(w, seq, JP_FOREIGN_KIOSK,
                        "this %s row belongs to the journal of %s, another kiosk: it was copied "
                        "here",
                        journal_kind_name(kind), el->kiosk_labels ? el->kiosk_labels[other] : "?");
            else
                problem(w, seq, JP_FOREIGN_JOURNAL,
                        "this %s row belongs to another journal (another election, package or "
                        "key): it was copied here",
                        journal_kind_name(kind));
        } else if (have_key && sign_verify(sig, msg.data, msg.len, s->kiosk_pk) != 0) {
            trusted = false;
            problem(w, seq, JP_BAD_SIGNATURE,
                    "the %s row's signature does not verify: the row was altered or forged",
                    journal_kind_name(kind));
        }
        if (memcmp(hash, h, HASH_LEN) != 0)
            problem(w, seq, JP_BROKEN_CHAIN, "the stored row hash is not the hash of the row");
        if (memcmp(prev, expect_prev, HASH_LEN) != 0)
            problem(w, seq, JP_BROKEN_CHAIN,
                    "the row does not follow the row before it (previous-hash mismatch): rows "
                    "were removed, inserted or reordered");
        memcpy(expect_prev, h, HASH_LEN);
        memcpy(s->head, h, HASH_LEN);

        if (after_ballot_needs_token && kind != JROW_TOKEN)
            problem(w, seq, JP_STATE,
                    "the ballot before this row has no token spend (token mode): rows removed");
        after_ballot_needs_token = false;

        if (s->state == JOURNAL_CLOSED && kind != JROW_EVENT)
            problem(w, seq, JP_STATE, "a %s row after the close record", journal_kind_name(kind));
        struct counts c = {0};
        switch (kind) {
        case JROW_GENESIS:
            if (s->rows != 1)
                problem(w, seq, JP_STATE, "a second genesis record");
            break;
        case JROW_OPEN:
        case JROW_PAUSE:
        case JROW_RESUME:
        case JROW_CLOSE:
            if (!parse_counts(payload, plen, kind == JROW_CLOSE, &c)) {
                problem(w, seq, JP_MALFORMED, "the %s record does not parse",
                        journal_kind_name(kind));
                break;
            }
            if ((kind == JROW_OPEN && s->state != JOURNAL_NOT_OPENED) ||
                (kind == JROW_PAUSE && s->state != JOURNAL_OPEN) ||
                (kind == JROW_RESUME && s->state != JOURNAL_PAUSED) ||
                (kind == JROW_CLOSE && s->state != JOURNAL_OPEN && s->state != JOURNAL_PAUSED))
                problem(w, seq, JP_STATE, "a %s record while polls are %s", journal_kind_name(kind),
                        journal_state_name(s->state));
            check_counts(w, seq, kind, &c);
            if (kind == JROW_OPEN) {
                s->state = JOURNAL_OPEN;
                s->opened_at = c.time;
            } else if (kind == JROW_PAUSE) {
                s->state = JOURNAL_PAUSED;
            } else if (kind == JROW_RESUME) {
                s->state = JOURNAL_OPEN;
            } else {
                s->state = JOURNAL_CLOSED;
                s->has_close = true;
                s->closed_at = c.time;
                s->close_ballots = c.ballots;
                s->close_tokens = c.tokens;
                memcpy(s->close_ballot_set, c.ballot_set, HASH_LEN);
                memcpy(s->close_token_set, c.token_set, HASH_LEN);
                memcpy(s->close_prev, prev, HASH_LEN);
                if (commit_items(s->ballot_set, BALLOT_SET, w->ballots, w->nb, HASH_LEN) ||
                    commit_items(s->token_set, TOKEN_SET, w->tokens, w->nt, TOKEN_HASH_LEN)) {
                    w->oom = true;
                    break;
                }
                if (memcmp(s->ballot_set, c.ballot_set, HASH_LEN) != 0)
                    problem(w, seq, JP_COUNT_MISMATCH,
                            "the close record's ballot-set commitment does not match the "
                            "ballots in the journal: ballots were changed, removed or added");
                if (memcmp(s->token_set, c.token_set, HASH_LEN) != 0)
                    problem(w, seq, JP_COUNT_MISMATCH,
                            "the close record's token-set commitment does not match the token "
                            "spends in the journal");
            }
            break;
        case JROW_BALLOT: {
            if (s->state != JOURNAL_OPEN)
                problem(w, seq, JP_STATE, "a ballot while polls are %s",
                        journal_state_name(s->state));
            struct rd r;
            rd_init(&r, payload, plen);
            size_t n = 0;
            const uint8_t *ct = rd_blob(&r, plen, &n);
            if (!rd_done(&r) || n != padded + SEAL_OVERHEAD) {
                problem(w, seq, JP_MALFORMED,
                        "the ballot row holds %zu bytes of ciphertext, this election's hold %zu", n,
                        padded + SEAL_OVERHEAD);
                break;
            }
            s->ballots++;
            after_ballot_needs_token = election_kiosk_eligibility(el, s->kiosk_index) == ELIG_TOKEN;
            uint8_t ch[HASH_LEN];
            hash32(ch, ct, n);
            if (!push_item(w, &w->ballots, &w->nb, &w->cb, ch, HASH_LEN, seq))
                break;
            if (trusted && w->opts && w->opts->ballot) {
                char code[TRACKING_TEXT_MAX];
                tracking_text(code, ct, n);
                rc = w->opts->ballot(w->opts->ctx, seq, ct, n, code);
            }
            break;
        }
        case JROW_TOKEN:
            if (plen != TOKEN_HASH_LEN) {
                problem(w, seq, JP_MALFORMED, "a token-spend row of %zu bytes", plen);
                break;
            }
            if (s->state != JOURNAL_OPEN)
                problem(w, seq, JP_STATE, "a token spend while polls are %s",
                        journal_state_name(s->state));
            s->tokens++;
            if (!push_item(w, &w->tokens, &w->nt, &w->ct, payload, TOKEN_HASH_LEN, seq))
                break;
            if (trusted && w->opts && w->opts->token)
                rc = w->opts->token(w->opts->ctx, seq, payload);
            break;
        case JROW_EVENT: {
            int64_t t;
            uint16_t code;
            if (!parse_event(payload, plen, &t, &code))
                problem(w, seq, JP_MALFORMED, "the event record does not parse");
            break;
        }
        default:
            problem(w, seq, JP_MALFORMED, "unknown row kind %d", kind);
        }
        if (rc || w->oom)
            break;
    }
    if (!rc && !w->oom && step != SQLITE_DONE && step != SQLITE_ROW)
        problem(w, last, JP_UNREADABLE, "reading the rows failed: %s", sqlite3_errmsg(db));
    if (after_ballot_needs_token)
        problem(w, last, JP_STATE, "the last ballot has no token spend (token mode)");
    sqlite3_finalize(st);
    buf_free(&msg);
    return rc;
}

static int verify_db(sqlite3 *db, const struct election *el, const uint8_t package_hash[HASH_LEN],
                     const struct journal_verify_opts *opts, bool integrity,
                     struct journal_summary *out, struct err *e)
{
    struct walk w = {.el = el, .package_hash = package_hash, .opts = opts, .sum = out, .e = e};
    memset(out, 0, sizeof *out);
    out->kiosk_index = -1;
    if (integrity) {
        sqlite3_stmt *st = NULL;
        bool ok = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
                  sqlite3_step(st) == SQLITE_ROW &&
                  strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
        if (!ok)
            problem(&w, 0, JP_UNREADABLE, "the database fails its integrity check (%s)",
                    st && sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0)
                                                     : sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    int rc = walk_rows(db, &w);
    if (!rc && !w.oom) {
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
    int rc = verify_db(db, el, package_hash, opts, true, out, e);
    sqlite3_close(db);
    if (rc && rc != ERR_NOMEM)
        err_prefix(e, "%s: ", path);
    return rc;
}

int journal_open_ballot(const uint8_t *ct, size_t n, const struct secret_key *tally,
                        const struct election *el, struct vote *out, struct err *e)
{
    size_t padded = vote_padded_len(el);
    vote_init(out);
    if (!tally || tally->kind != KEY_TALLY || tally->sk_len != BOX_SK_LEN)
        return err_set(e, ERR_USAGE, "opening a ballot needs the tally key");
    if (n != padded + SEAL_OVERHEAD)
        return err_set(e, ERR_FORMAT, "a sealed ballot of %zu bytes, this election's have %zu", n,
                       padded + SEAL_OVERHEAD);
    /* The plaintext lives only for the decode and is wiped at once. A guarded sodium_malloc
     * block per ballot costs an mmap, three mprotects and a munmap, i.e. TLB shootdowns across
     * the decrypting threads: about half of `tally count`'s time. Usual sizes use the stack. */
    uint8_t stack[4096];
    uint8_t *m = padded <= sizeof stack ? stack : sodium_malloc(padded ? padded : 1);
    if (!m)
        return err_set(e, ERR_NOMEM, "out of memory opening a ballot");
    int rc = 0;
    if (crypto_box_seal_open(m, ct, n, tally->pk, tally->sk) != 0)
        rc = err_set(e, ERR_CRYPTO,
                     "a ballot does not open with this tally key: wrong key, or the ciphertext "
                     "was altered");
    else
        rc = vote_decode(el, m, padded, out, e);
    if (m == stack)
        sodium_memzero(stack, padded);
    else
        sodium_free(m);
    return rc;
}

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
    row_message(&msg, j->ctx, seq, kind, st->head, payload, n);
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
    if (!detail_ok(detail ? detail : "", n))
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
    struct buf plain, row;
    buf_init(&plain);
    buf_init(&row);
    uint8_t *ct = NULL;
    size_t ctlen = j->padded + SEAL_OVERHEAD;
    int rc = vote_encode(j->el, v, &plain, e);
    if (rc)
        goto out;
    if (plain.len != j->padded) {
        rc = err_set(e, ERR_INTERNAL, "an encoded vote is not of the padded length");
        goto out;
    }
    ct = malloc(ctlen);
    if (!ct) {
        rc = err_set(e, ERR_NOMEM, "out of memory sealing a vote");
        goto out;
    }
    if (crypto_box_seal(ct, plain.data, plain.len, j->el->tally_pk) != 0) {
        rc = err_set(e, ERR_CRYPTO, "the vote could not be sealed to the tally key");
        goto out;
    }
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
    buf_free(&plain); /* wipes the plaintext */
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
        rc = exec(j->db, SCHEMA, e);
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
        rc = verify_db(j->db, el, package_hash, NULL, true, &s, e);
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

struct sqlite3 *journal_db(struct journal *j)
{
    return j->db;
}
