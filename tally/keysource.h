/*
 * keysource — where the tally gets the tally secret key: a whole key file (--tally-key, with
 * --passphrase-file or the terminal) or the trustees' shares (--share FILE, repeated; each
 * share's passphrase from --share-passphrase-file, repeated in the same order, or asked on
 * the terminal). Shares are joined only in locked memory (core/shares.h) and the joined key
 * is never written; either way the key must be the one the election's ballots are sealed to.
 */
#ifndef ISOLOIR_TALLY_KEYSOURCE_H
#define ISOLOIR_TALLY_KEYSOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "key.h"
#include "shares.h"

struct keysource {
    const char *shares[SHARES_MAX]; /* --share, in the order given */
    unsigned nshares;
    const char *passfiles[SHARES_MAX]; /* --share-passphrase-file, same order */
    unsigned npassfiles;
    bool too_many;
};

/* If argv[*i] is --share or --share-passphrase-file, takes it and its value (advancing *i)
 * and returns 1; returns 0 for any other argument, -1 if the value is missing. */
int keysource_option(struct keysource *ks, int argc, char **argv, int *i);

/* Whether a key or shares were given. */
bool keysource_given(const struct keysource *ks, const char *tally_key);

/* Loads the whole key file `tally_key` (passphrase from `passfile` or the terminal), or joins
 * the shares; refuses both at once, and a key that is not `expect_pk` (naming both
 * fingerprints). Says on `log` (may be NULL) which shares were joined. Free with key_free. */
int keysource_load(const struct keysource *ks, const char *tally_key, const char *passfile,
                   const uint8_t expect_pk[32], FILE *log, struct secret_key **out, struct err *e);

#endif
