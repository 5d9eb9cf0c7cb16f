/*
 * loader — turns the election authority's folder (election.conf, projects.csv, pictures, key
 * files; see docs/election-input.md) into a validated `struct election`, ready to be signed.
 *
 * Validation reports every problem at once, each with file, line and column and a sentence
 * saying what to fix ("projects.csv:14:3: the Dutch title is missing (column title_nl)"), so
 * that the authority can correct the spreadsheet in one go. The loader never signs or writes
 * anything; it runs on the authority's machine, not on kiosks.
 */
#ifndef ISOLOIR_LOADER_H
#define ISOLOIR_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "election.h"
#include "err.h"

struct loader_options {
    const char *tally_key;  /* overrides election.conf's tally_key (path as given) */
    const char *kiosk_keys; /* overrides election.conf's kiosk_keys folder */
    bool fast_pin_hash;     /* tests: hash PINs with the minimum Argon2id cost */
};

struct loader_problem {
    char where[160]; /* "projects.csv:14:3", "election.conf:7", or a file name */
    char what[480];
};

struct loader_report {
    struct loader_problem *items;
    size_t n, cap;
};

void loader_report_init(struct loader_report *r);
void loader_report_free(struct loader_report *r);
/* Prints one problem a line ("where: what") and a count; nothing when there is none. */
void loader_report_print(const struct loader_report *r, FILE *f);

/* Loads and validates `folder`. On success fills `out` (the caller frees it with
 * election_free) and returns 0 with an empty report. If anything is wrong, returns
 * ERR_INVALID with every problem in `rep` and a summary in `e`; `out` is left empty.
 * opt may be NULL. */
int loader_load(const char *folder, const struct loader_options *opt, struct election *out,
                struct loader_report *rep, struct err *e);

#endif
