/*
 * report — decrypts the ballots held in a tally database, counts every ballot definition with
 * the package's method and writes the result (table, CSV or JSON), and writes the published
 * list of tracking codes. Formats are specified in docs/tally.md.
 *
 * Decryption streams the ciphertexts in the order of their hashes (not the casting order) in
 * batches to worker threads, one per core, that open each one, append its ballots to profiles
 * of their own and wipe it; the profiles are then added together and sorted by content, so
 * no casting order survives into a count or into the open data. What stays in memory is one
 * row per *distinct* ballot of each definition, with the number of ballots identical to it:
 * MES needs every voter's approval set, and identical sets are one group anyway
 * (docs/perf-tally.md).
 */
#ifndef ISOLOIR_TALLY_REPORT_H
#define ISOLOIR_TALLY_REPORT_H

#include <stdio.h>

#include "election.h"
#include "err.h"
#include "key.h"
#include "tallydb.h"
#include "tracking.h"

enum report_format { REPORT_TABLE = 0, REPORT_CSV = 1, REPORT_JSON = 2 };

/* A tracking code and the BLAKE2b-256 of its ciphertext. */
struct report_code {
    char code[TRACKING_CODE_CHARS]; /* the 11 code characters, no NUL */
    uint8_t hash[HASH_LEN];
};

struct report_opts {
    enum report_format format;
    enum lang lang;     /* table: the language of titles and names */
    const char *pb_dir; /* not NULL: write one pabulib file per ballot definition there */
    FILE *out;          /* the result */
    FILE *log;          /* the verification summary in table and CSV formats */
    int threads;        /* threads that open ballots; 0: util_threads() */
    /* Not NULL: *codes receives every distinct ciphertext's tracking code and hash, sorted by
     * code then hash (the order of report_tracking), taken in the same pass that opened the
     * ballots counted; *ncodes their number. The caller frees *codes. */
    struct report_code **codes;
    uint64_t *ncodes;
};

/* Counts and prints. Returns 0, or a negative ERR_* (a ballot that cannot be opened is an
 * ERR_CRYPTO naming its kiosk and row: nothing is printed then). */
int report_count(struct tallydb *t, const struct election *el, const struct secret_key *tally,
                 const struct report_opts *o, struct err *e);

/* Writes the tracking-code list (docs/tally.md, "Tracking codes") to f. */
int report_tracking(struct tallydb *t, const struct election *el, FILE *f, struct err *e);
/* The same list, byte for byte, from codes as report_count gives them (report_opts.codes):
 * the codes of the ballots just counted, with no second pass over the database. ERR_INTERNAL
 * if they are not sorted. */
int report_tracking_codes(struct tallydb *t, const struct election *el,
                          const struct report_code *codes, uint64_t n, FILE *f, struct err *e);

/* s as a JSON string (quotes, backslashes and control characters escaped; UTF-8 as is). */
void report_json_str(FILE *f, const char *s);

#endif
