/*
 * ballot — a voter's choices on one ballot, the rules that constrain them, and the canonical,
 * fixed-length encoding that is sealed to the tally key.
 *
 * A `vote` is everything one voter casts in one session: one `ballot` per ballot definition
 * they were offered and filled (citywide, their district). It is encoded, padded to
 * vote_padded_len(election) — the same length for every vote of an election, so the size of a
 * ciphertext says nothing — sealed, and written as one journal row.
 *
 * Entries name projects by their index in election.projects:
 *   approval / knapsack: one entry per chosen project, value 1, in ascending project order;
 *   cumulative:          one entry per project with points, value = points (>= 1), ascending;
 *   ranking:             entries in rank order, best first, value = rank (1, 2, ...).
 * The edit functions keep that shape, so that two equal choices encode to equal bytes.
 *
 * The rule checks here are the single source of truth: the kiosk uses them for live feedback
 * and to refuse an invalid cast, the tally uses them to reject an invalid decrypted ballot.
 */
#ifndef ISOLOIR_BALLOT_H
#define ISOLOIR_BALLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "election.h"
#include "err.h"

#define BALLOT_MAX_CHOICES 256
#define VOTE_MAX_BALLOTS   8

struct ballot_entry {
    uint32_t project; /* index in election.projects */
    uint32_t value;   /* 1 (approval/knapsack), points (cumulative), rank (ranking) */
};

struct ballot {
    uint32_t def; /* index in election.ballots */
    uint32_t nentries;
    struct ballot_entry entries[BALLOT_MAX_CHOICES];
};

struct vote {
    uint32_t nballots;
    struct ballot ballots[VOTE_MAX_BALLOTS];
};

/* Why a change is refused, in terms the kiosk turns into a sentence for the voter. */
enum ballot_refusal {
    BALLOT_OK = 0,
    BALLOT_NOT_ON_BALLOT,  /* the project is not on this ballot */
    BALLOT_TOO_MANY,       /* approval/ranking: `max` already chosen */
    BALLOT_OVER_BUDGET,    /* knapsack: does not fit; `short_by` cents missing */
    BALLOT_NO_POINTS_LEFT, /* cumulative: all points spent */
    BALLOT_PROJECT_MAX,    /* cumulative: `max_per_project` reached on this project */
    BALLOT_NOTHING_TO_REMOVE,
};

/* Live state of a ballot for the screen and the review. */
struct ballot_status {
    uint32_t chosen;      /* projects chosen / ranked / with points */
    int64_t spent;        /* knapsack and all: total cost of chosen projects (cents) */
    int64_t left;         /* knapsack: budget - spent */
    uint32_t points_used; /* cumulative */
    uint32_t points_left;
    bool complete;   /* valid to cast as it is */
    bool under_vote; /* valid, but fewer than the most allowed (named on review) */
    bool blank;      /* nothing chosen */
};

void ballot_init(struct ballot *b, uint32_t def);

/* Status and validity; returns 0 if the ballot may be cast, else ERR_INVALID with a
 * sentence in English in e (for logs and the tally; the kiosk uses `status` and refusals). */
int ballot_check(const struct election *el, const struct ballot *b, struct ballot_status *st,
                 struct err *e);

/* Edits. Each returns BALLOT_OK after changing the ballot, or a refusal and leaves it as is.
 * short_by (may be NULL) receives the missing cents on BALLOT_OVER_BUDGET. */
enum ballot_refusal ballot_toggle(const struct election *el, struct ballot *b, uint32_t project,
                                  int64_t *short_by);
bool ballot_has(const struct ballot *b, uint32_t project);
uint32_t ballot_value(const struct ballot *b, uint32_t project); /* 0 if absent */
enum ballot_refusal ballot_add_point(const struct election *el, struct ballot *b, uint32_t project);
enum ballot_refusal ballot_remove_point(const struct election *el, struct ballot *b,
                                        uint32_t project);
/* Ranking: append at the end; remove (later ranks move up). */
enum ballot_refusal ballot_rank_append(const struct election *el, struct ballot *b,
                                       uint32_t project);
enum ballot_refusal ballot_rank_remove(const struct election *el, struct ballot *b,
                                       uint32_t project);
/* Would adding this project (one point) be refused, and why (without changing anything)? */
enum ballot_refusal ballot_can_add(const struct election *el, const struct ballot *b,
                                   uint32_t project, int64_t *short_by);

#include "vote.h" /* a whole vote, its encoding (core/vote.c) */

#endif
