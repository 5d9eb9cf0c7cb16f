/*
 * publish_int — what the parts of `tally publish` share (publish.c runs the steps,
 * publish_query.c reads the tally database, publish_html.c writes the pages,
 * publish_assets.c holds the style sheet and the lookup script). Not used outside publish*.c.
 */
#ifndef ISOLOIR_TALLY_PUBLISH_INT_H
#define ISOLOIR_TALLY_PUBLISH_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "count.h"
#include "election.h"
#include "err.h"
#include "tallydb.h"

/* Tracking codes are split into files by their first PUB_PREFIX characters. */
#define PUB_PREFIX 2

/* One ballot definition, counted again from its published pabulib file. */
struct pub_ballot {
    const struct ballot_def *bd;
    struct profile p; /* identical ballots held once with their number, sorted by content */
    struct outcome o;
    enum count_rule rule;
    bool counted;
    char pb[160]; /* file name of its pabulib file in data/ */
};

/* One kiosk as the tally database holds it (no time: only counts). */
struct pub_kiosk {
    char label[64];
    uint8_t pk[32];
    char state[24]; /* polls state of its last row: open, paused, closed */
    int64_t last_seq, ballots;
    int vote_point; /* index in el->vote_points, or -1 */
};

/* An override logged at import: published with its day only. */
struct pub_override {
    char day[16];
    char *who, *reason, *source, *problems;
};

/* A published data file, with its BLAKE2b-256 and size (the auditors' page, B2SUMS). */
struct pub_file {
    char name[192];
    uint8_t hash[32];
    uint64_t size;
};

#define PUB_MAX_FILES 64

struct pub {
    const struct election *el;
    uint8_t pkg_hash[32];
    char root[4096]; /* the folder being written (DIR.partial) */
    char day[16];    /* publication date, YYYY-MM-DD (SOURCE_DATE_EPOCH if set) */
    struct pub_ballot *b;
    struct pub_kiosk *k;
    size_t nk;
    struct pub_override *ov;
    size_t nov;
    uint64_t nsources, ncodes;
    struct pub_file files[PUB_MAX_FILES];
    size_t nfiles;
};

/* publish_query.c: what the pages need from the tally database beyond report.h. */
int pubq_kiosks(struct tallydb *t, const struct election *el, struct pub_kiosk **out, size_t *n,
                struct err *e);
int pubq_overrides(struct tallydb *t, struct pub_override **out, size_t *n, struct err *e);
int pubq_sources(struct tallydb *t, uint64_t *n, struct err *e);
void pubq_overrides_free(struct pub_override *ov, size_t n);

/* publish_html.c: every page, in every language. */
int pub_write_pages(const struct pub *pb, struct err *e);
/* publish_assets.c */
extern const char PUB_CSS[];
extern const char PUB_JS[];

/* publish.c: opens root/rel for writing (the folder exists). */
FILE *pub_open(const struct pub *pb, const char *rel, struct err *e);
/* Closes f; an error naming rel if anything failed. */
int pub_close(FILE *f, const char *rel, struct err *e);

/* Text helpers (publish_html.c). */
void pub_html(FILE *f, const char *s);
void pub_json_str(FILE *f, const char *s);

#endif
