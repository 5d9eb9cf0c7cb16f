/*
 * count_int — what the counting's two files share: count.c (profiles, greedy rules, Add1 and
 * the entry points) and count_mes.c (one run of the Method of Equal Shares on classes of
 * voters, exact in GMP). Never included outside tally/count*.c.
 */
#ifndef ISOLOIR_TALLY_COUNT_INT_H
#define ISOLOIR_TALLY_COUNT_INT_H

#include <gmp.h>

#include "count.h"

struct tie_ctx {
    const struct profile *p;
    const struct project_result *res;
    enum tie_break tb[TIE_MAX + 2];
};

/* How many voters a profile row stands for. */
static inline uint32_t weight_of(const struct profile *p, size_t v)
{
    return p->weight ? p->weight[v] : 1;
}

/* <0 if a wins the tie against b. */
int count_tie(const struct tie_ctx *t, uint32_t a, uint32_t b);
/* Marks project c funded in o, in the given phase. */
void count_select(struct outcome *o, const struct profile *p, uint32_t c, int phase);

/* ---- one run of MES (count_mes.c) ---- */

struct sw;

/* An event of a run: some F(x) = F0 + ..., concave, with F(x) <= F0 + slope·x, that must reach 0
 * for the outcome to change (a project becomes affordable, or as cheap as the chosen one). */
struct ev {
    double F0, slope;
    double rate; /* at most how fast F can grow past the affine piece, per unit of β */
};

struct mes_class {
    mpq_t val;   /* each member's budget at the current β */
    mpq_t slope; /* its derivative in β */
    double vd, sd;
    uint64_t members;
    int32_t child; /* during a payment: where paying members go (-1: not yet made) */
    bool poor;     /* during a payment: its members pay all they have */
};

struct mes_group {
    uint32_t first; /* a voter of the group (row of `sorted`) */
    uint32_t size;
    int32_t cls; /* -1: budget exhausted */
};

/* Per project and round: its price, found on doubles, exactly when needed. */
struct mes_price {
    bool afford;
    bool exact;     /* rho/srho are exact */
    double rd, srd; /* price per supporter who pays in full, and its slope */
    double flip;    /* where a supporting class would switch between paying in full and not */
    uint32_t nlist; /* supporting classes in list[], ascending budget */
    uint32_t *list;
    uint64_t *lcnt;
};

struct mes {
    const struct profile *p;
    const struct tie_ctx *t;
    struct profile sorted; /* approval sets sorted, for grouping */
    struct mes_group *g;
    size_t ng;
    uint32_t **supp; /* per project: the groups that approve it */
    size_t *nsupp;
    struct mes_class *cls;
    size_t ncls, capcls;
    size_t ninit;    /* classes whose rationals are initialised (kept from run to run) */
    uint64_t *cnt;   /* cnt[k * P + c]: members of class k approving project c */
    uint32_t *order; /* live classes, ascending budget */
    uint64_t live;   /* voters in live classes */
    size_t norder;
    struct mes_price *pr;
    mpq_t *rho, *srho; /* exact price and slope per project (valid when pr[c].exact) */
    mpq_t a, b, c2, d; /* scratch */
    struct sw *sw;     /* scratch for track_overtake, one per group */
    struct ev *ev;     /* events of this run: outcome changes need F >= 0 */
    size_t nev, capev;
    double next; /* smallest β − β0 at which a decision may change; INFINITY if none */
    struct err *e;
};

int count_mes_setup(struct mes *m);
void count_mes_free(struct mes *m);
/* One run at starting share beta: o gets the outcome, m->next the smallest raise of beta at
 * which a decision of the run may change (INFINITY if none). */
int count_mes_run(struct mes *m, const mpq_t beta, struct outcome *o);

#endif
