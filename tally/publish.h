/*
 * publish — `tally publish`: the static website residents, voters and auditors read after the
 * count (docs/publish.md).
 *
 * It decrypts and counts exactly as `tally count --db` does (report_count, which also writes
 * the pabulib open data), reads those pabulib files back, counts them again and checks the two
 * outcomes agree, then writes one folder: pages in French, Dutch and English (results per
 * ballot with SVG charts and tables, why each project was or was not funded, turnout per vote
 * point, a tracking-code lookup that works offline, open data, a page for auditors), the open
 * data files and the tracking codes split by prefix into small script files.
 *
 * What it must never do: write anything that links a tracking code (or a ciphertext) to a
 * ballot's content, keep any order of casting (ballots are published sorted by content), or
 * write a time finer than the day. The folder is written under DIR.partial and renamed to DIR
 * once complete and synced, so DIR is either the whole site or absent.
 */
#ifndef ISOLOIR_TALLY_PUBLISH_H
#define ISOLOIR_TALLY_PUBLISH_H

#include <stdint.h>
#include <stdio.h>

#include "election.h"
#include "err.h"
#include "key.h"
#include "tallydb.h"

/* Writes the site for the election held in `t` into the new folder `dir` (which must not
 * exist). package_hash: the package hash (of its content, as journals name it); pkg/pkg_len:
 * the signed package file as the database holds it (published as is).
 * `log` (may be NULL) receives one line per step. Returns 0 or a negative ERR_*; on failure
 * nothing is left at `dir` (the partial folder is named in the message). */
int publish_site(struct tallydb *t, const struct election *el, const uint8_t package_hash[HASH_LEN],
                 const uint8_t *pkg, size_t pkg_len, const struct secret_key *tally,
                 const char *dir, FILE *log, struct err *e);

/* `tally publish --db TALLY.sqlite --tally-key KEY [--passphrase-file F] [--demo]
 *  [--authority AUTH.pub] --out DIR`: exit 0 published, 1 failed, 2 usage. */
int cmd_publish(int argc, char **argv);

#endif
