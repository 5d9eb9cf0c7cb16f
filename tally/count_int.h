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

struct mes_class {
    mpz_t num;   /* each member's budget, times the common denominator of epoch `ep` */
    uint32_t ep; /* (mes.F) */
    double vd;   /* the budget, rounded */
    uint64_t members;
    int32_t child; /* during a payment: where paying members go (-1: not yet made) */
    bool poor;     /* during a payment: its members pay all they have */
    bool whole;    /* during a payment: all its members pay */
};

struct mes_group {
    uint32_t first; /* a voter of the group (row of `sorted`) */
    uint32_t size;
    int32_t cls; /* -1: budget exhausted */
};

/* Per project: its price at the round `round` (when it was last priced), on doubles, exactly
 * when needed. */
struct mes_price {
    bool afford;
    bool exact;     /* rho[c] is exact */
    double rd;      /* price per supporter who pays in full */
    uint32_t round; /* the round it was priced in (0: not yet in this run) */
    uint32_t nlist; /* supporting classes in list[], ascending budget */
    uint32_t *list;
    uint64_t *lcnt;
};

/* A run's choices: the projects in the order funded and the exact price each one's supporters
 * paid (per supporter paying in full). */
struct mes_seq {
    uint32_t *c;
    mpq_t *rho;
    size_t n;
};

struct mes {
    const struct profile *p;
    const struct tie_ctx *t;
    struct profile sorted; /* approval sets sorted, for grouping (setup only) */
    struct mes_group *g;
    size_t ng;
    uint32_t *gitems; /* each group's projects, ascending, group after group */
    size_t *goff;     /* group g's projects: gitems[goff[g] .. goff[g + 1]) */
    uint32_t **supp;  /* per project: the groups that approve it */
    size_t *nsupp;
    struct mes_class *cls;
    size_t ncls, capcls;
    size_t ninit;    /* classes whose rationals are initialised (kept from run to run) */
    uint32_t *freel; /* classes emptied, to be reused (their cnt rows are zero) */
    size_t nfree;
    uint32_t *cnt;   /* cnt[k * P + c]: members of class k approving project c */
    uint32_t *cnt0;  /* per project: its supporters (class 0's row at the start of a run) */
    uint32_t *order; /* live classes, ascending budget (twice capcls: the second half is scratch) */
    size_t norder;
    struct mes_price *pr;
    uint32_t *touched; /* per project priced in round r: r if a supporter paid in it */
    uint64_t *gpaid;   /* per group: the payment (mes.npaid) it last paid in */
    uint64_t npaid;    /* payments made since setup */
    double *lb;        /* per project: its price per unit at its last pricing (a lower bound now) */
    mpq_t *rho;        /* exact price per project (valid when pr[c].exact) */
    mpz_t D;           /* every budget of the run is an integer over D (it grows, never shrinks) */
    double dd;         /* D = dd · 2^de, dd in [0.5, 1) */
    long de;
    mpz_t *F;     /* F[e] = D / (D at epoch e), e <= ep (a budget is brought up when used) */
    uint32_t ep;  /* epochs: D grew ep times in this run */
    mpq_t a, b;   /* scratch */
    mpz_t za, zb; /* scratch */
    struct mes_seq seq, nseq;  /* the last run's choices; the one being made */
    unsigned long long priced; /* prices computed (statistics for the benchmark) */
    struct err *e;
};

int count_mes_setup(struct mes *m);
void count_mes_free(struct mes *m);
/* One run at starting share beta (cents, exact): o gets the outcome (allocated; selection
 * cleared here), m->seq its choices. */
int count_mes_run(struct mes *m, const mpq_t beta, struct outcome *o);
/* Certifies that the choices of the last run (m->seq, made at share β0) are MES's outcome at
 * every share from β0 to beta (> β0): replays them at beta and checks, round by round, that
 * every other project is dearer per unit at beta than the chosen one was at β0, and that
 * nothing is left that the supporters could pay at beta (docs/rules.md, "Raising without
 * stepping"). *ok tells; when true, o is the outcome at beta and m->seq its choices. When
 * false: with `run`, the run at beta goes on as count_mes_run from the round where the check
 * failed (the rounds before are MES's own at beta), so o is the outcome at beta and m->seq its
 * choices all the same; without, o is undefined and m->seq unchanged. */
int count_mes_check(struct mes *m, const mpq_t beta, struct outcome *o, bool *ok, bool run);

#endif
