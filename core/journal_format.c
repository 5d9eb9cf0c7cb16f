/* journal_format — the journal's byte format shared by the writer and the verifier: names of
 * row kinds, states and problems, the schema, the journal context, the signed bytes of a row,
 * set commitments and the payload parsers. docs/journal.md is the specification; this file
 * holds no state and does no I/O. */
#include <sodium.h>

#include "crypto.h"
#include "journal_int.h"
#include "util.h"

const char journal_schema[] =
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
        "state",         "missing-close",  "count-mismatch", "rollback",
        "schema"};
    return p >= 1 && p <= JOURNAL_PROBLEM_MAX ? N[p] : N[0];
}

/* ctx = BLAKE2b-256(text CTX_LABEL || text election id || package hash || kiosk key). */
void journal_context(uint8_t out[HASH_LEN], const char *election_id,
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
void journal_row_message(struct buf *b, const uint8_t ctx[HASH_LEN], uint64_t seq, int kind,
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

bool journal_parse_genesis(const uint8_t *p, size_t n, struct journal_genesis *g)
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

bool journal_parse_counts(const uint8_t *p, size_t n, bool with_sets, struct journal_counts *c)
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

bool journal_detail_ok(const char *s, size_t n)
{
    if (n > JOURNAL_EVENT_DETAIL_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            return false;
    return true;
}

bool journal_parse_event(const uint8_t *p, size_t n, int64_t *time, uint16_t *code)
{
    struct rd r;
    rd_init(&r, p, n);
    *time = rd_i64(&r);
    *code = rd_u16(&r);
    size_t len = 0;
    const uint8_t *d = rd_blob(&r, JOURNAL_EVENT_DETAIL_MAX, &len);
    return rd_done(&r) && d && journal_detail_ok((const char *)d, len);
}
