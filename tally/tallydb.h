/*
 * tallydb — the tally database: every verified row of every kiosk, merged once, kept on disk.
 *
 * One SQLite file (STRICT tables, WAL, synchronous=FULL) per election package. It holds the
 * package itself (so a later count needs no other file), the kiosks seen, every source
 * imported (export bundle or bare journal, by the hash of its manifest or file), the hash of
 * every journal row per (kiosk, seq), the ballot ciphertexts and token spends keyed by
 * (kiosk, seq), and the overrides log. The schema is in docs/tally.md.
 *
 * Invariants: for each kiosk the rows held are exactly rows 1..last_seq of one journal; a
 * source is imported in one transaction, all or nothing. Importing a source already imported
 * changes nothing. A later export of a kiosk must extend the rows already held (its row at the
 * earlier last seq has the same chain hash; the chain then fixes every row before it byte for
 * byte); an earlier export must be a prefix of them. Anything else is a fork.
 *
 * A source with any problem (journal_verify, manifest, fork, a ciphertext or voter card also
 * present at another kiosk) is refused and nothing is written, unless an override reason is
 * given: then what verifies is imported and the override (who, when, why, which source, the
 * problems) is logged and shown by every later report. Only ballot and token rows whose
 * signature verified are ever imported.
 *
 * Memory: a source is streamed row by row through temporary tables; nothing per ballot is held
 * in memory.
 */
#ifndef ISOLOIR_TALLY_TALLYDB_H
#define ISOLOIR_TALLY_TALLYDB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto.h"
#include "election.h"
#include "err.h"

struct tallydb;
struct progress;

#define TALLYDB_APP_ID  0x49534c54 /* "ISLT" */
#define TALLYDB_VERSION 1

/* Opens (creating it if needed) the tally database at `path`, or a private temporary one
 * when path is NULL (verify and count of sources given on the command line). A new database
 * records the package bytes and the authority key; an existing one must hold the same package
 * (ERR_INVALID otherwise: use a new file for another election). package_bytes may be NULL
 * for a temporary database. */
int tallydb_open(const char *path, const struct election *el, const uint8_t package_hash[HASH_LEN],
                 const uint8_t *package_bytes, size_t package_len, struct tallydb **out,
                 struct err *e);
/* Opens an existing database only (ERR_NOTFOUND if there is none), with the package it holds:
 * *pkg and *len are malloc'd copies of the package file, *auth the authority key recorded. */
int tallydb_open_existing(const char *path, struct tallydb **out, uint8_t **pkg, size_t *len,
                          uint8_t auth[SIGN_PK_LEN], struct err *e);
/* After tallydb_open_existing: the election it is for (decoded by the caller). */
void tallydb_set_election(struct tallydb *t, const struct election *el,
                          const uint8_t package_hash[HASH_LEN]);
void tallydb_close(struct tallydb *t);

struct tallydb_import {
    FILE *out;                 /* the verification report: one line per source and per problem */
    const char *override;      /* NULL: refuse a source with problems; else the logged reason */
    const char *who;           /* for the override log */
    bool keep;                 /* temporary database: import what verifies, only report problems */
    struct progress *progress; /* NULL: none; else stepped once per row of the source */
    struct journal_ahead *ahead; /* NULL, or the source's signatures checked ahead */
};

struct tallydb_result {
    unsigned problems;
    bool refused;  /* problems and no override: nothing was written */
    bool already;  /* this very source was imported before: nothing was written */
    bool fork;     /* the source does not extend (nor is a prefix of) what the kiosk had */
    uint64_t rows; /* new rows of its kiosk taken from this source */
    uint64_t ballots;
};

/* Verifies one source (bundle directory or journal file) and merges it; see the top of the
 * file. Returns 0 when the source was handled (look at r for what happened), a negative
 * ERR_* when the database itself failed (nothing of the source is then written). */
int tallydb_import_source(struct tallydb *t, const char *src, const struct tallydb_import *o,
                          struct tallydb_result *r, struct err *e);

/* The number of rows a source holds, read cheaply (a bundle's manifest, or the journal's last
 * sequence number) to size a progress bar; 0 when it cannot be told. */
uint64_t tallydb_source_rows(const char *src);

/* Prints the verification summary (sources, kiosks, overrides) in text form. */
int tallydb_summary(struct tallydb *t, FILE *f, struct err *e);

/* ---- What the reports read (no other module knows the schema) ---- */

struct tallydb_totals {
    int64_t sources, kiosks, overrides;
    int64_t ballots;     /* distinct ciphertexts */
    int64_t ballot_rows; /* ballot rows held (a ciphertext held twice, by override, twice) */
};
void tallydb_totals(struct tallydb *t, struct tallydb_totals *out);

/* The strings passed to the callbacks below are valid during the call only. */
struct tallydb_override {
    int64_t at; /* Unix seconds */
    const char *who, *reason, *source, *problems;
};
/* Each logged override, oldest first. */
void tallydb_each_override(struct tallydb *t,
                           void (*fn)(void *ctx, const struct tallydb_override *o), void *ctx);

struct tallydb_source {
    const char *name, *kind, *kiosk; /* kiosk: its label, "" when none */
    int64_t export_seq, last_seq, new_ballots, problems;
    bool override;
};
/* Each source imported, in the order of import. */
void tallydb_each_source(struct tallydb *t, void (*fn)(void *ctx, const struct tallydb_source *s),
                         void *ctx);

struct tallydb_kiosk {
    const char *label, *state; /* state: journal_state_name of its last row held */
    bool closed;               /* the rows held end after a close record */
    uint8_t pk[SIGN_PK_LEN];
    int64_t last_seq, ballots;
    /* Set when the tally team accepted the kiosk without a close record (else NULL). */
    const char *accepted_reason, *accepted_by;
    int64_t accepted_at;
};
/* Each kiosk held, by label. */
void tallydb_each_kiosk(struct tallydb *t, void (*fn)(void *ctx, const struct tallydb_kiosk *k),
                        void *ctx);
/* Whether rows of the kiosk with this key are held. */
bool tallydb_holds_kiosk(struct tallydb *t, const uint8_t pk[SIGN_PK_LEN]);

/* Records that the tally team accepts the kiosk with key pk without a close record, why and
 * who (kept in the database; every report prints it). Replaces an earlier acceptance. */
int tallydb_accept_unclosed(struct tallydb *t, const uint8_t pk[SIGN_PK_LEN], const char *label,
                            const char *reason, const char *who, struct err *e);
/* A kiosk's ballots are counted only when the rows held end after its close record, or when
 * it was accepted without one. Prints one line per kiosk held without a close record to out
 * (a missing-close problem naming the kiosk, or the acceptance with its reason); returns how
 * many are not accepted, and the number accepted in *accepted (may be NULL). */
unsigned tallydb_check_closed(struct tallydb *t, FILE *out, unsigned *accepted);
/* Each time note recorded at import (the kiosk clock: rows outside the voting period, going
 * backwards, an implausible polls period), by kiosk label. */
void tallydb_each_time_note(struct tallydb *t,
                            void (*fn)(void *ctx, const char *kiosk, const char *what), void *ctx);

/* The ballots held, in the order of their ciphertext hashes (not the casting order), for
 * decryption. One cursor at a time; the caller serialises calls on it. */
struct tallydb_ballots;
struct tallydb_ballot {
    const uint8_t *hash; /* BLAKE2b-256 of ct, or NULL when the stored hash is malformed */
    const uint8_t *ct;
    size_t n;
    int64_t seq;       /* its row in its kiosk's journal */
    const char *kiosk; /* the kiosk's label */
};
int tallydb_ballots_open(struct tallydb *t, struct tallydb_ballots **out, struct err *e);
/* 1 and *b filled (valid until the next call), 0 at the end, or a negative ERR_*. */
int tallydb_ballots_next(struct tallydb_ballots *c, struct tallydb_ballot *b, struct err *e);
void tallydb_ballots_close(struct tallydb_ballots *c);

/* Each distinct ciphertext's tracking code with its hash, sorted by code then hash (SQLite
 * sorts on disk). */
int tallydb_each_tracking(struct tallydb *t,
                          void (*fn)(void *ctx, const char *code, const uint8_t hash[HASH_LEN]),
                          void *ctx, struct err *e);

#endif
