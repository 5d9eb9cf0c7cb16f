/*
 * package — the signed election package: everything a kiosk shows and enforces.
 *
 * File: the 8 bytes "ISOLPKG\n", then the canonical content (docs/package.md), then a 64-byte
 * Ed25519 signature by the authority over the content. The content starts with the label
 * "isoloir/package" and the format version. The package hash (BLAKE2b-256 of the content)
 * identifies the election everywhere else (journal, exports, tally).
 *
 * package_open verifies before it decodes: a flipped bit, a truncation, another authority's
 * signature or a newer format is refused with a message that says which and what to do.
 */
#ifndef ISOLOIR_PACKAGE_H
#define ISOLOIR_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "election.h"
#include "err.h"
#include "key.h"
#include "officials.h"

#define PACKAGE_MAGIC          "ISOLPKG\n"
#define PACKAGE_MAGIC_LEN      8
#define PACKAGE_FORMAT_VERSION 3
#define PACKAGE_MAX_BYTES      (96u * 1024u * 1024u)

enum package_flags {
    PACKAGE_ALLOW_DEMO = 1, /* accept a package marked demo (kiosk --demo, tests) */
};

/* ---- the one validation, used by the package builder and by package_decode ---- */

/* Where a ballot problem lies, so that the builder can point at the line that causes it. */
enum package_field {
    PACKAGE_FIELD_BALLOT,    /* the ballot as a whole (its section) */
    PACKAGE_FIELD_BUDGET,    /* budget */
    PACKAGE_FIELD_MIN_SHARE, /* min_share */
    PACKAGE_FIELD_METHOD,    /* the counting method */
};
typedef void package_problem_fn(void *ctx, enum package_field where, const char *msg);

/* Checks what every package's ballot must satisfy: a budget of 1 to COST_MAX_CENTS, a known
 * rule with consistent limits (approval/ranking: 1 <= max, min <= max; cumulative:
 * 1 <= max_per_project <= points; min_share at most 100 % and only on knapsack ballots), and
 * a counting method the rule allows (the Method of Equal Shares counts approval and knapsack
 * ballots only). Calls `problem` (may be NULL) once per problem with a sentence naming the
 * ballot; returns the number of problems. */
unsigned package_check_ballot(const struct ballot_def *bd, package_problem_fn *problem, void *ctx);

/* A project cost is valid when it is 1 to COST_MAX_CENTS cents. */
bool package_cost_ok(int64_t cents);

/* A publication address is valid when it is "" (none given) or starts with https:// or
 * http:// followed by at least one byte, is at most PUBLICATION_URL_MAX bytes and holds only
 * printable ASCII (0x21-0x7e: no space, no control byte). If not, and why is not NULL, *why
 * gets the reason as a sentence. */
bool package_publication_url_ok(const char *url, const char **why);

/* Whether kiosk `k` (an index from election_find_kiosk) prints voter receipts: the per-kiosk
 * flag of the package. -1 or an index out of range: false. */
bool package_kiosk_receipts(const struct election *el, int k);
/* The same for the running kiosk, named by its Ed25519 public key. */
bool package_receipts_for(const struct election *el, const uint8_t kiosk_pk[SIGN_PK_LEN]);

/* The running kiosk's officials: opens its sealed entry with its secret key (officials_open).
 * ERR_STATE when the key is not authorised by the package; otherwise officials_open's errors.
 * Nothing else can check a PIN: the package alone holds no usable verifier. */
int package_open_officials(const struct election *el, const struct secret_key *kiosk,
                           struct officials **out, struct err *e);

/* Canonical content bytes of an election (without magic and signature). */
int package_encode(const struct election *el, struct buf *out, struct err *e);
/* Decodes canonical content into `out` (initialised by the call). Strict: every field is
 * checked (ranges, UTF-8, indexes, package_check_ballot, package_cost_ok), trailing bytes are
 * refused. */
int package_decode(const uint8_t *content, size_t n, struct election *out, struct err *e);

/* Signs the election with the authority key and writes the package file durably. Sets
 * el->authority_pk from the key. hash (may be NULL) receives the package hash. */
int package_write(const char *path, struct election *el, const struct secret_key *authority,
                  uint8_t hash[HASH_LEN], struct err *e);

/* Reads, verifies against trusted_authority (32-byte Ed25519 key) and decodes a package.
 * hash (may be NULL) receives the package hash. */
int package_open(const char *path, const uint8_t trusted_authority[SIGN_PK_LEN], unsigned flags,
                 struct election *out, uint8_t hash[HASH_LEN], struct err *e);
/* The same on bytes in memory (fuzzing, USB install before copying). */
int package_open_mem(const uint8_t *data, size_t n, const uint8_t trusted_authority[SIGN_PK_LEN],
                     unsigned flags, struct election *out, uint8_t hash[HASH_LEN], struct err *e);

#endif
