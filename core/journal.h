/*
 * journal — one kiosk's append-only, signed, hash-chained log of everything that counts:
 * the journal's creation (genesis), polls opened, sealed ballots, token spends, pauses,
 * resumes, official events (exports, package installed, PIN lockouts) and the close.
 * The byte format is specified in docs/journal.md; docs/threat-model.md says what it protects.
 *
 * Invariants: a row is never updated or deleted (SQLite triggers, an authorizer on the kiosk's
 * connection, defensive mode). Each row is signed by the kiosk key over its canonical bytes,
 * which include the hash of the row before, so any change made outside SQLite is detected by
 * journal_verify. A ballot row holds only the sealed vote (padded, sealed to the tally key):
 * no time, no token, no voter attribute. A cast is one transaction (ballot row and, in token
 * mode, a separate token-spend row), durable (WAL, synchronous=FULL) before journal_cast
 * returns 0. The journal never holds or logs a plaintext vote.
 *
 * Failure behaviour: every function returns 0 or a negative ERR_* with `e` filled. A failed
 * write leaves the journal as it was before the call (the transaction is rolled back) and the
 * in-memory state unchanged, so the kiosk may retry or stop.
 */
#ifndef ISOLOIR_JOURNAL_H
#define ISOLOIR_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballot.h"
#include "election.h"
#include "err.h"
#include "key.h"
#include "tracking.h"

/* Row kinds (stored as an integer; docs/journal.md). */
enum journal_kind {
    JROW_GENESIS = 1, /* first row: binds kiosk key, package hash, election id */
    JROW_OPEN = 2,    /* polls opened (zero count) */
    JROW_BALLOT = 3,  /* one sealed vote */
    JROW_TOKEN = 4,   /* one voter-card code spent (its hash) */
    JROW_PAUSE = 5,
    JROW_RESUME = 6,
    JROW_CLOSE = 7, /* polls closed: counts and set commitments */
    JROW_EVENT = 8, /* an official action: code + short ASCII detail */
};
const char *journal_kind_name(int kind); /* "genesis", "open", ... or "unknown" */

/* Polls state, derived from the rows. */
enum journal_state {
    JOURNAL_NOT_OPENED = 0, /* created, polls never opened */
    JOURNAL_OPEN = 1,
    JOURNAL_PAUSED = 2,
    JOURNAL_CLOSED = 3,
};
const char *journal_state_name(enum journal_state s); /* "not opened", "open", ... */

/* Official event codes (JROW_EVENT). Other values are allowed and shown as numbers. */
enum journal_event {
    JEVENT_PACKAGE_INSTALLED = 1,
    JEVENT_EXPORT = 2,
    JEVENT_PIN_LOCKOUT = 3,
    JEVENT_PIN_UNLOCKED = 4,
    JEVENT_REPORT_PRINTED = 5,
    JEVENT_RESTART = 6,
    /* Polls were opened while the kiosk clock was outside the election's voting period, and
     * an official confirmed it (detail: docs/journal.md, "Event codes"). */
    JEVENT_CLOCK_CONFIRMED = 7,
};
#define JOURNAL_EVENT_DETAIL_MAX 200 /* printable ASCII only */

/* Counts and chain head, as the kiosk shows them and the export manifest records them. */
struct journal_status {
    enum journal_state state;
    uint64_t ballots, tokens; /* ballot rows, token-spend rows */
    uint64_t rows;            /* all rows, = last_seq */
    uint64_t last_seq;
    uint8_t head[HASH_LEN]; /* hash of the last row */
    uint8_t kiosk_pk[SIGN_PK_LEN];
};

struct journal;

/* Creates the journal at `path` (writing its genesis row) or reopens it. On reopen it runs
 * PRAGMA integrity_check and journal_verify on the file and refuses (ERR_TAMPER, naming the
 * first problems) a journal that does not verify, or that belongs to another election,
 * package or kiosk key. Refuses a kiosk key not listed in el->kiosk_pks (ERR_PERM). The
 * election and key must outlive the journal. On failure *out is NULL. */
int journal_open(const char *path, const struct election *el, const uint8_t package_hash[HASH_LEN],
                 const struct secret_key *kiosk_key, struct journal **out, struct err *e);
/* Closes the connection (NULL is allowed). Does not write a close record. */
void journal_close(struct journal *j);

void journal_status(const struct journal *j, struct journal_status *out);
/* A consistent snapshot of the journal as one complete SQLite file in memory, taken on the
 * kiosk's own connection (bundle_journal_snapshot_db: one read transaction, nothing written).
 * *out is malloc'd, the caller frees it. For the export bundle. */
int journal_snapshot(struct journal *j, uint8_t **out, size_t *len, struct err *e);

/* Polls actions; `now` is Unix seconds (wall clock, recorded in the row). ERR_STATE if the
 * action is not allowed now (open: only once, before anything; pause: when open; resume:
 * when paused; close: when open or paused). */
int journal_open_polls(struct journal *j, int64_t now, struct err *e);
int journal_pause(struct journal *j, int64_t now, struct err *e);
int journal_resume(struct journal *j, int64_t now, struct err *e);
int journal_close_polls(struct journal *j, int64_t now, struct err *e);

/* An official event (any state). detail: printable ASCII, at most JOURNAL_EVENT_DETAIL_MAX
 * bytes, may be NULL. */
int journal_record_event(struct journal *j, uint16_t code, const char *detail, int64_t now,
                         struct err *e);

/* Casts a vote: encodes it padded (vote_encode), seals it to el->tally_pk, signs and writes
 * the ballot row and, when token_hash is not NULL, a separate token-spend row, in one durable
 * transaction. tracking receives the printed tracking code. Requires polls open (ERR_STATE).
 * token_hash must be given in token mode and NULL in attended mode (ERR_USAGE); a token
 * already spent here is refused (ERR_STATE). On any error nothing is recorded and tracking is
 * "". The caller still wipes the vote. */
int journal_cast(struct journal *j, const struct vote *v, const uint8_t *token_hash,
                 char tracking[TRACKING_TEXT_MAX], struct err *e);

/* 1 if this token hash was spent at this kiosk, 0 if not, or a negative ERR_*. Its shape fits
 * token_spent_fn (core/token.h): pass the journal as ctx. */
int journal_token_spent(void *j, const uint8_t hash[TOKEN_HASH_LEN], struct err *e);

/* ---- Verification (tally, inspector, export, and journal_open itself) ---- */

enum journal_problem {
    JP_UNREADABLE = 1,   /* not a journal database, integrity_check fails, schema differs */
    JP_MALFORMED,        /* a row's fields or payload do not parse; unknown kind */
    JP_BAD_SIGNATURE,    /* the kiosk key did not sign these bytes */
    JP_BROKEN_CHAIN,     /* prev hash does not match the row before, or stored hash wrong */
    JP_SEQUENCE,         /* a sequence number missing, repeated or out of order */
    JP_DUPLICATE,        /* the same ballot ciphertext or token spent twice */
    JP_UNAUTHORISED_KEY, /* the journal's kiosk key is not authorised by the election */
    JP_WRONG_PACKAGE,    /* the journal was made for another package */
    JP_WRONG_ELECTION,   /* the journal was made for another election */
    JP_FOREIGN_KIOSK,    /* a row signed by another kiosk of this election */
    JP_FOREIGN_JOURNAL,  /* a row from a journal of another election or package */
    JP_STATE,            /* a row where it may not be (ballot while closed, second genesis) */
    JP_MISSING_CLOSE,    /* no close record (reported when the options require one) */
    JP_COUNT_MISMATCH,   /* a count or set commitment in a pause/resume/close row is wrong */
    JP_ROLLBACK,         /* fewer rows or another head than expected (paper report, manifest) */
    JP_SCHEMA,           /* application_id, user_version, tables, index or triggers differ from
                            the format (a guard was dropped or changed) */
};
#define JOURNAL_PROBLEM_MAX JP_SCHEMA
const char *journal_problem_name(enum journal_problem p); /* "bad-signature", ... */

/* Signatures checked ahead: journal_ahead_start begins reading the journal at path on a
 * thread of its own, with worker threads, computing every row's hash and signature check (with
 * the key its first row names) while the caller does something else, e.g. imports the journal
 * before. A later journal_verify of that file given it (opts->ahead) takes those results for
 * the rows it reads that are byte for byte the ones checked, with the key it trusts, and checks
 * every other row itself: the verdict is the same with or without it. Never fails (NULL when
 * out of memory, or with one thread (util_threads): nothing ahead). journal_ahead_free stops the
 * thread at its next batch (the results were not needed, e.g. the source was imported before) and
 * waits for it. */
struct journal_ahead;
struct journal_ahead *journal_ahead_start(const char *path);
void journal_ahead_free(struct journal_ahead *a);

struct journal_verify_opts {
    void *ctx;
    /* Every problem: row by row in order, then the checks on the whole journal (missing
     * close, rollback, duplicates, with the row concerned). seq 0: the file as a whole. */
    void (*problem)(void *ctx, uint64_t seq, enum journal_problem kind, const char *msg);
    /* Each ballot row whose signature verifies: the ciphertext and its hash32 (the tracking
     * code is tracking_text(ct, n), left to those who need it). A non-zero return stops the
     * walk and is returned by journal_verify. */
    int (*ballot)(void *ctx, uint64_t seq, const uint8_t *ct, size_t n,
                  const uint8_t hash[HASH_LEN]);
    /* Each token-spend row whose signature verifies. Same return convention. */
    int (*token)(void *ctx, uint64_t seq, const uint8_t hash[TOKEN_HASH_LEN]);
    /* Each row that carries a time (genesis: creation; open, pause, resume, close, event),
     * when its signature verifies; code is the event code (0 for other kinds). */
    void (*timed)(void *ctx, uint64_t seq, int kind, int64_t time, uint16_t code);
    bool require_close;          /* JP_MISSING_CLOSE when there is no close record (tally) */
    int64_t expect_ballots;      /* >= 0: JP_ROLLBACK unless exactly this many ballots */
    const uint8_t *expect_head;  /* not NULL: JP_ROLLBACK unless the last row hashes to it */
    struct journal_ahead *ahead; /* not NULL: signatures checked ahead (journal_ahead_start) */
};

struct journal_summary {
    uint8_t kiosk_pk[SIGN_PK_LEN];
    int kiosk_index; /* in el->kiosk_pks, or -1 */
    enum journal_state state;
    uint64_t rows, ballots, tokens, first_seq, last_seq;
    uint8_t head[HASH_LEN];                   /* hash of the last row: the final chain hash */
    int64_t created_at, opened_at, closed_at; /* 0 when absent */
    bool has_close;
    /* As written in the close record (zero without one). */
    uint64_t close_ballots, close_tokens;
    uint8_t close_ballot_set[HASH_LEN], close_token_set[HASH_LEN];
    uint8_t close_prev[HASH_LEN]; /* chain hash the close record extends */
    /* As computed from the rows. */
    uint8_t ballot_set[HASH_LEN], token_set[HASH_LEN];
    uint64_t nproblems;
};

/* Walks the journal file at `path` read-only and reports every problem through opts->problem
 * (not only the first), then fills `out`. Returns 0 if nothing was wrong, ERR_TAMPER if any
 * problem was reported (e names the count and the first), ERR_IO/ERR_FORMAT if the file cannot
 * be read as a journal at all (reported as JP_UNREADABLE too), or the callback's non-zero
 * value. opts may be NULL. */
int journal_verify(const char *path, const struct election *el,
                   const uint8_t package_hash[HASH_LEN], const struct journal_verify_opts *opts,
                   struct journal_summary *out, struct err *e);

/* Commitment to a set of byte strings of equal length `item_len` (order-independent):
 * BLAKE2b-256(text label || u64 count || items sorted bytewise). items is reordered. Used for
 * the ballot set (label "isoloir/ballot-set", items = BLAKE2b-256 of each ciphertext) and the
 * token set ("isoloir/token-set", items = spent token hashes). Returns 0 or ERR_NOMEM. */
int journal_set_commitment(uint8_t out[HASH_LEN], const char *label, uint8_t *items, size_t count,
                           size_t item_len);

#endif
