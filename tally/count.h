/*
 * count — the counting rules of the tally, on a profile: the projects of one ballot, its
 * budget and every voter's ballot. All arithmetic is exact: money in integer cents, the
 * Method of Equal Shares in exact rationals (GMP). The rules
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
    char **names;  /* may hold NULLs */
    int64_t *cost; /* cents, > 0 */
    /* the published outcome if known: -1 unknown, 0 not funded, 1 funded; pabulib also uses
     * 2 (funded from a reserve once the budget ran out) and 3 (funded later from additional
     * funds outside the budget) */
    int8_t *published;
    int64_t budget; /* cents */
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
    /* What a pabulib file declares besides its ballots (pabulib.c); zero/NULL otherwise. */
    char *comment;             /* META comment, or NULL */
    int64_t min_score;         /* META min_project_score_threshold; 0 if absent */
    int64_t declared_voters;   /* META num_votes; -1 if absent */
    int64_t declared_projects; /* META num_projects; -1 if absent */
    int64_t *declared_votes;   /* PROJECTS votes column per project (-1 where absent), or NULL */
    uint64_t ndup;             /* ballots that named a project more than once (counted once) */
    unsigned dup_line;         /* the line of the first such ballot */
    uint32_t dup_project;      /* the project it repeated */
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
    COUNT_RULE_GREEDY_VOTES = 1, /* greedy by the number of voters who support a project */
    COUNT_RULE_GREEDY_SCORE,     /* greedy by score: points (cumulative), positional (ordinal) */
    COUNT_RULE_MES,              /* Method of Equal Shares, cost utilities, no completion */
    COUNT_RULE_MES_ADD1,         /* MES with Add1 completion (pabulib's "equalshares/add1") */
    COUNT_RULE_MES_ADD1_GREEDY,  /* MES, Add1, then greedy by votes for what is left (isoloir's
                                    "mes") */
    COUNT_RULE_GREEDY_RESERVE,   /* greedy without skipping, then the first project that did not fit
                              if   what is left covers opts.reserve_pct % of it (pabulib choose-1
                              "greedy-custom") */
};

/* Which number greedy rules rank projects by. */
enum count_score {
    SCORE_DEFAULT = 0, /* COUNT_RULE_GREEDY_VOTES: votes; COUNT_RULE_GREEDY_SCORE: score */
    SCORE_VOTES,       /* voters supporting the project */
    SCORE_POINTS,      /* points (cumulative), positional points (ordinal), approvals */
};

/* When Add1 stops raising the voters' shares. */
enum add1_stop {
    ADD1_STOP_INFEASIBLE = 0, /* keep raising while the outcome fits the budget (pabutools'
                                 exhaustive_stop=False); the outcome is the last that fit */
    ADD1_STOP_EXHAUSTIVE,     /* also stop at the first exhaustive outcome (exhaustive_stop=True) */
};

#define COUNT_MAX_EXCLUSIVE 64

/* Options of count_run_opts; a zeroed struct gives count_run's behaviour. */
struct count_opts {
    enum count_score score;
    bool no_skip;         /* greedy: stop at the first project that does not fit */
    int64_t min_score;    /* greedy: a project needs at least this score (0: no threshold) */
    unsigned reserve_pct; /* COUNT_RULE_GREEDY_RESERVE: share of the next project's cost, in % */
    enum add1_stop add1_stop;
    bool comparison; /* MES: then compare with greedy by votes; the outcome more voters
                        prefer (more money spent on projects they approve) is kept */
    /* greedy: exclusive[c] != 0 puts project c in a group of which at most one is funded */
    const uint16_t *exclusive;
    bool single_thread;  /* Add1: count on one core (by default a counter per core,
                            util_threads(), counts pieces of the raises; the same outcome) */
    uint64_t add1_piece; /* Add1: raises in the first piece (0: 64; later pieces are a
                            sixteenth of the raise they start at, if more) */
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
    unsigned add1_steps; /* MES_ADD1: raises of 1 unit per voter from B/n to the kept outcome */
    unsigned add1_runs;  /* MES_ADD1: MES runs made, range checks included (rules.md) */
    int64_t per_voter_budget;           /* MES_ADD1: final per-voter budget, cents (rounded down) */
    bool add1_exhaustive;               /* MES_ADD1: the kept outcome is exhaustive */
    bool comparison_greedy;             /* comparison: greedy was preferred and is the outcome */
    uint64_t prefer_mes, prefer_greedy; /* comparison: voters preferring each outcome */
};

void outcome_free(struct outcome *o);

/* Runs `rule` with the tie-break criteria `tb` (ending with TIE_END; TIE_ID is always added
 * last). Errors: ERR_USAGE (MES on a non-approval profile), ERR_INTERNAL (numbers too large). */
int count_run(const struct profile *p, enum count_rule rule, const enum tie_break *tb,
              struct outcome *out, struct err *e);
/* The same with options (opts may be NULL). */
int count_run_opts(const struct profile *p, enum count_rule rule, const enum tie_break *tb,
                   const struct count_opts *opts, struct outcome *out, struct err *e);

const char *count_rule_name(enum count_rule r);
/* Whether the rule is one of the Method of Equal Shares' (with or without completion). */
bool count_rule_is_mes(enum count_rule r);

#endif
