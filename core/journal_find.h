/*
 * journal_find — questions about one journal file, asked after the fact: is the ballot with
 * this tracking code in it, and which is the last ballot row after a given row. The kiosk
 * asks them after a cast failed and after a restart that interrupted a cast, to tell the voter
 * and the officials the truth (docs/kiosk.md, "When a cast fails").
 *
 * Built on journal_verify: only rows whose signature and chain verify count as being in the
 * journal. The file is read through a new read-only connection, so the answer is what the
 * file holds now, whatever an open writer believes. A whole verification per question: meant
 * for the rare failure and restart paths, not for every cast.
 */
#ifndef ISOLOIR_JOURNAL_FIND_H
#define ISOLOIR_JOURNAL_FIND_H

#include <stdint.h>

#include "crypto.h"
#include "election.h"
#include "err.h"
#include "tracking.h"

struct journal_found {
    uint64_t seq;                     /* the ballot's row number */
    char tracking[TRACKING_TEXT_MAX]; /* its tracking code */
    uint64_t ballots;                 /* ballot rows in the whole journal */
    uint64_t last_seq;                /* the journal's last row */
};

/* The last ballot row with a row number greater than `after`. Returns 1 (found, *out filled),
 * 0 (no such row; out->ballots and out->last_seq still filled), or a negative ERR_*: the file
 * cannot be read as a journal of this election and package, or it does not verify (ERR_TAMPER)
 * — then nobody can say from it whether a ballot is in. */
int journal_find_last_ballot(const char *path, const struct election *el,
                             const uint8_t package_hash[HASH_LEN], uint64_t after,
                             struct journal_found *out, struct err *e);

/* The ballot whose tracking code is `tracking` (as printed, dashes included). Same returns. */
int journal_find_tracking(const char *path, const struct election *el,
                          const uint8_t package_hash[HASH_LEN], const char *tracking,
                          struct journal_found *out, struct err *e);

#endif
