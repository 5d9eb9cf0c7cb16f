/*
 * journal_int — what the journal's three parts share and nobody else sees: the format
 * constants, the schema, the signed bytes of a row, the journal context, and the payload
 * parsers (docs/journal.md). The writer (journal.c) and the verifier (journal_verify.c)
 * include it; the format itself lives in journal_format.c.
 *
 * Never included outside core/journal*.c.
 */
#ifndef ISOLOIR_JOURNAL_INT_H
#define ISOLOIR_JOURNAL_INT_H

#include "buf.h"
#include "journal.h"

struct sqlite3;

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

#endif
