/*
 * journal_int — what the journal's three parts share and nobody else sees: the format
 * constants, the schema, the signed bytes of a row, the journal context, and the payload
 * parsers (docs/journal.md), and the verifier's batch reader and worker threads. The writer
 * (journal.c) and the verifier (journal_verify.c) include it; the format itself lives in
 * journal_format.c, the batches in journal_rows.c.
 *
 * Never included outside core/journal*.c.
 */
#ifndef ISOLOIR_JOURNAL_INT_H
#define ISOLOIR_JOURNAL_INT_H

#include <pthread.h>

#include "buf.h"
#include "journal.h"

struct sqlite3;
struct sqlite3_stmt;

#define ROW_LABEL       "isoloir/journal-row"
#define CTX_LABEL       "isoloir/journal-context"
#define BALLOT_SET      "isoloir/ballot-set"
#define TOKEN_SET       "isoloir/token-set"
#define ROW_VERSION     1u
#define APPLICATION_ID  0x49534c4a /* "ISLJ" */
#define SCHEMA_VERSION  1
#define ELECTION_ID_MAX 256

/* The journal's tables and triggers (docs/journal.md, "Storage"). */
extern const char journal_schema[];

/* ctx = BLAKE2b-256(text CTX_LABEL || text election id || package hash || kiosk key). */
void journal_context(uint8_t out[HASH_LEN], const char *election_id,
                     const uint8_t package_hash[HASH_LEN], const uint8_t pk[SIGN_PK_LEN]);

/* Appends the signed bytes of a row (docs/journal.md, "Row") to b. */
void journal_row_message(struct buf *b, const uint8_t ctx[HASH_LEN], uint64_t seq, int kind,
                         const uint8_t prev[HASH_LEN], const uint8_t *payload, size_t n);

/* Payload of the genesis row. election_id is malloc'd by the parser (caller frees). */
struct journal_genesis {
    uint8_t kiosk_pk[SIGN_PK_LEN];
    uint8_t package_hash[HASH_LEN];
    char *election_id;
    uint32_t padded;
    int64_t created;
};
bool journal_parse_genesis(const uint8_t *p, size_t n, struct journal_genesis *g);

/* Payload of open, pause, resume (with_sets false) and close (with_sets true). */
struct journal_counts {
    int64_t time;
    uint64_t ballots, tokens;
    uint8_t ballot_set[HASH_LEN], token_set[HASH_LEN];
};
bool journal_parse_counts(const uint8_t *p, size_t n, bool with_sets, struct journal_counts *c);

/* An event detail may be written: printable ASCII, at most JOURNAL_EVENT_DETAIL_MAX bytes. */
bool journal_detail_ok(const char *s, size_t n);
/* Payload of an event row. */
bool journal_parse_event(const uint8_t *p, size_t n, int64_t *time, uint16_t *code);

/* The verifier on a connection already open (journal_open runs it on the kiosk's own
 * connection before writing). integrity: run PRAGMA integrity_check first. Same results as
 * journal_verify. */
int journal_verify_db(struct sqlite3 *db, const struct election *el,
                      const uint8_t package_hash[HASH_LEN], const struct journal_verify_opts *opts,
                      bool integrity, struct journal_summary *out, struct err *e);

/* ---- Reading rows in batches, hashes and signatures on every core (journal_rows.c) ---- */

/* One row as the verifier checks it. */
struct journal_row {
    uint64_t seq;
    int kind;
    const uint8_t *ctx, *prev, *hash, *sig, *payload;
    size_t plen;
    const uint8_t *msg; /* the signed bytes */
    size_t msg_len;
    uint8_t h[HASH_LEN]; /* Hash(msg), once computed */
    int sig_state;       /* 1 verifies, -1 does not, 0 not checked yet */
    bool trusted;        /* context and signature verified */
};

#define JOURNAL_BATCH_ROWS  1024 /* rows read into memory at a time (under a MB) */
#define JOURNAL_MAX_THREADS 8

/* A row read into memory: its fields and signed bytes live in the batch's arena. */
struct journal_brow {
    struct journal_row r;
    bool seq_ok, fields_ok; /* seq is an integer >= 1; every field has its type and size */
    size_t off, msg_off;
};

struct journal_batch {
    struct journal_brow *rows; /* JOURNAL_BATCH_ROWS of them, malloc'd by the caller */
    size_t n;
    struct buf arena;
};

/* Reads up to max rows of "SELECT seq, kind, ctx, prev, payload, hash, sig FROM rows ORDER BY
 * seq" into b (replacing what it held); returns SQLite's last step code (SQLITE_ROW if more
 * may follow). Out of memory: buf_ok(&b->arena) fails. */
int journal_batch_read(struct sqlite3_stmt *st, struct journal_batch *b, size_t max);
/* Computes the hash of rows [from, to) and, when pk is not NULL, checks their signatures. */
void journal_batch_check(const struct journal_batch *b, const uint8_t *pk, size_t from, size_t to);

/* Worker threads (one per core, none on one core) that check a submitted batch while the
 * caller reads the next one. */
struct journal_pool {
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    struct journal_batch *job; /* the batch being checked, or NULL */
    const uint8_t *pk;         /* the genesis key, or NULL: no signature is checked */
    size_t next;               /* its next row to take */
    unsigned busy;             /* chunks being worked on */
    bool quit;
    int nthreads;
    pthread_t th[JOURNAL_MAX_THREADS];
};
void journal_pool_start(struct journal_pool *p);
/* Starts checking b (inline when there are no workers). One batch at a time. */
void journal_pool_submit(struct journal_pool *p, struct journal_batch *b, const uint8_t *pk);
/* Waits until the batch submitted last is checked (the caller checks chunks meanwhile). */
void journal_pool_wait(struct journal_pool *p);
void journal_pool_stop(struct journal_pool *p);

/* Gives the rows of b the signature results checked ahead for the key pk (computing their
 * hashes from the bytes in b). false when a cannot vouch for every row (none, another key, a
 * row not checked or different): then the rows must be checked as usual. */
bool journal_ahead_fill(struct journal_ahead *a, struct journal_batch *b, const uint8_t *pk);

#endif
