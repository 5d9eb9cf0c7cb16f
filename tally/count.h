/*
 * count — the counting rules of the tally, on a profile: the projects of one ballot, its
 * budget and every voter's ballot. All arithmetic is exact: money in integer cents, the
 * Method of Equal Shares in rationals over a common big-integer denominator (big.h). The rules
 * are specified step by step in docs/rules.md; this file follows that text.
 *
 * A profile comes from decrypted ballots of an isoloir election, or from a pabulib .pb file
 * (pabulib.h), so any public participatory budget can be recounted with the same code.
 */
#ifndef ISOLOIR_TALLY_COUNT_H
#define ISOLOIR_TALLY_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "election.h"
#include "err.h"

enum vote_kind {
    VOTE_APPROVAL = 1,   /* a set of projects (approval, knapsack, choose-1) */
    VOTE_CUMULATIVE = 2, /* points per project */
    VOTE_ORDINAL = 3,    /* a ranking, best first */
};

struct profile {
    size_t nprojects;
    char **ids;
    char **names;      /* may hold NULLs */
    int64_t *cost;     /* cents, > 0 */
    int8_t *published; /* the published outcome if known: 1 selected, 0 not, -1 unknown */
    int64_t budget;    /* cents */
    enum vote_kind kind;
    uint32_t max_rank; /* ordinal: the longest allowed ranking (positional scores) */
    size_t nvoters;
    size_t *offs;     /* voter v's entries are [offs[v], offs[v+1]) */
    uint32_t *items;  /* project indexes */
    uint32_t *values; /* 1 (approval), points (cumulative), rank 1.. (ordinal) */
    size_t nitems, cap_items, cap_voters;
    /* NULL: each voter is one ballot. Else voter v stands for weight[v] identical ballots
     * (profile_add_voters), and nweight is their sum. */
    uint32_t *weight;
    uint64_t nweight;
    char rule[64]; /* the rule the source names (pabulib META "rule"), or "" */
    char currency[16];
};

void profile_init(struct profile *p);
void profile_free(struct profile *p);
/* Appends one voter. Entries must name distinct projects < nprojects. */
int profile_add_voter(struct profile *p, const uint32_t *items, const uint32_t *values, size_t n,
                      struct err *e);
/* Appends `weight` identical voters as one entry (weight >= 1). Counting gives the same
 * outcome as adding them one by one; memory holds one entry. ERR_INVALID if the total number
 * of voters would exceed UINT32_MAX. */
int profile_add_voters(struct profile *p, const uint32_t *items, const uint32_t *values, size_t n,
                       uint32_t weight, struct err *e);
/* The number of ballots in the profile (weights included). */
uint64_t profile_voters(const struct profile *p);
/* Reorders the voters by their ballots' content (number of entries, then each (project,
 * value) pair in order), so that nothing downstream (counting, open data) can depend on the
 * order in which ballots were added. Returns 0 or ERR_NOMEM (the profile is then unchanged). */
int profile_sort_voters(struct profile *p, struct err *e);

enum count_rule {
    RULE_GREEDY_VOTES = 1, /* greedy by the number of voters who support a project */
    RULE_GREEDY_SCORE,     /* greedy by score: points (cumulative), positional (ordinal) */
    RULE_MES,              /* Method of Equal Shares, cost utilities, no completion */
    RULE_MES_ADD1,         /* MES with Add1 completion (pabulib's "equalshares/add1") */
    RULE_MES_ADD1_GREEDY,  /* MES, Add1, then greedy by votes for what is left (isoloir's "mes") */
};

struct project_result {
    int64_t votes; /* voters supporting it (approving, giving points, ranking it) */
    int64_t score; /* approvals, points, or positional score */
    bool selected;
    int round;  /* 1-based order of selection; 0 if not selected */
    int phase;  /* 1 = main rule, 2 = completion (greedy after MES) */
    double eff; /* MES: effective vote count (cost / price per supporter) when chosen */
};

struct outcome {
    size_t nprojects;
    struct project_result *res;
    uint32_t *order; /* selected projects in the order chosen */
    size_t nselected;
    int64_t spent;
    unsigned add1_steps;      /* MES_ADD1: how many times the voters' budget was raised */
    int64_t per_voter_budget; /* MES_ADD1: final per-voter budget, cents (rounded down) */
};

void outcome_free(struct outcome *o);

/* Runs `rule` with the tie-break criteria `tb` (ending with TIE_END; TIE_ID is always added
 * last). Errors: ERR_USAGE (MES on a non-approval profile), ERR_INTERNAL (numbers too large). */
int count_run(const struct profile *p, enum count_rule rule, const enum tie_break *tb,
              struct outcome *out, struct err *e);

const char *count_rule_name(enum count_rule r);

#endif
