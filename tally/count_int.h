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

/* A class: voters who hold the same budget. A class never changes members: when some of its
 * members pay for a project and others do not, it ends and two new classes take them (the
 * payers and the rest), so what a run did to its classes can be replayed by a later run that
 * makes the same choices, without moving a voter (docs/perf-tally.md, "One run after another"). */
struct mes_class {
    int32_t parent; /* the class it was split from (-1: the first) */
    int32_t rest;   /* once it is split: the class of the members who did not pay (-1: not) */
    int32_t child;  /* during a split: the class of the members who pay */
    uint64_t members;
    size_t nz0, nz1; /* the projects its members approve, with how many: mes.nz[nz0 .. nz1) */
};

struct mes_group {
    uint32_t first; /* a voter of the group (row of `sorted`) */
    uint32_t size;
    uint32_t cls; /* its class at the end of the last run (or one split since: follow `rest`) */
};

/* A class approving a project, with how many of its members do (mes.sup). */
struct mes_sup {
    uint32_t k;
    uint32_t n;
};

/* The classes approving a project at the start of round r of the last run, not split yet
 * (those with no budget left too): found once, then read by every run that replays round r. */
struct mes_view {
    uint32_t gen; /* valid when the round's gen */
    uint32_t n;
    size_t off; /* in the round's pool */
    double rd;  /* the price found there by the last run that priced it (0: none) */
};

struct mes_rview {
    struct mes_view *v; /* per project (NULL: not made yet) */
    struct mes_sup *pool;
    size_t npool, cap;
    uint32_t gen;
};

/* How many members of a class approve project j. */
struct mes_cnt {
    uint32_t j;
    uint32_t n;
};

/* Round r of the last run, for the next run to replay while it makes the same choice: the
 * project funded, the classes made in it (cls0 .. cls1) and its payments (ent[e0 .. e1)). */
struct mes_round {
    uint32_t c;
    uint32_t cls0, cls1;
    size_t e0, e1;
};

/* One class's part in a payment: all its members pay (rest and child -1), or it is split into
 * `rest` and `child` (the payers). */
struct mes_entry {
    uint32_t k;
    int32_t rest, child;
};

/* A class in a price's list: its members approving the project, its budget rounded. */
struct mes_item {
    uint32_t k;
    uint32_t n;
    double b;
};

/* Per project: its price at the round `round` (when it was last priced), on doubles, exactly
 * when needed. */
struct mes_price {
    bool afford;
    bool exact;     /* rho[c] is exact */
    bool sure;      /* no budget is so near the price that doubles could misplace it: those
                       below rd pay all they have */
    double rd;      /* price per supporter who pays in full */
    uint32_t round; /* the round it was priced in (0: not yet in this run) */
    uint32_t nlist; /* supporting classes with a budget: */
    struct mes_item *it;
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
    double *bud;    /* per class made so far in this run (below `lim`): its budget, rounded; 0 when
                       none is left, -1 once split */
    double *blo;    /* with bud, the budget to twice a double's precision (bud + blo) */
    uint64_t *hist; /* per class, hw words: the rounds in which its members paid the price in
                       full (its budget is the share less those prices) */
    size_t hw;
    uint32_t lim;       /* classes made so far in this run */
    uint32_t *cnt0;     /* per project: its supporters (class 0's counts) */
    struct mes_cnt *nz; /* each class's projects not funded when it was made (mes_class.nz0) */
    size_t nnz, capnz;
    uint32_t *scr; /* during a split: per paying part, its counts per project (else all 0) */
    size_t capscr;
    struct mes_sup **sup; /* per project: the classes approving it, in the order made */
    size_t *nsup, *capsup;
    struct mes_round *tr; /* tr[r], r = 1 .. ntr: the last run's rounds */
    uint32_t ntr;
    struct mes_entry *ent;
    size_t nent, capent;
    bool *funded;         /* per project: funded in this run so far */
    uint32_t *heap;       /* scratch: projects by price bound (mes_best) */
    struct mes_rview *rv; /* per round r of the last run (and the round after it) */
    uint64_t *cov; /* per round r of the last run, covw words: the projects a payer approves */
    size_t covw;
    struct mes_price *pr;
    uint32_t *touched; /* per project priced in round r: r if a supporter paid in it */
    double *lb;        /* per project: its price per unit at its last pricing (a lower bound now) */
    mpq_t *rho;        /* exact price per project (valid when pr[c].exact) */
    mpz_t D;           /* every exact price of the run is an integer over D (it grows) */
    mpz_t bnum;        /* the share, times D at the start of the run */
    double bhi, blo0;  /* the share to twice a double's precision */
    mpz_t *zr;         /* per round of this run: its price, times D at epoch er[r] */
    uint32_t *er;
    double *rhi, *rlo; /* per round: its price to twice a double's precision */
    uint64_t *w;       /* scratch: per round, members who paid in it (mes_price_exact) */
    mpz_t *xb;         /* scratch: exact budgets of a price's list (mes_price_exact) */
    size_t nxb;
    double dd; /* D = dd · 2^de, dd in [0.5, 1) */
    long de;
    mpz_t *F;                  /* F[e] = D / (D at epoch e), e <= ep */
    uint32_t ep;               /* epochs: D grew ep times in this run */
    mpq_t a, b;                /* scratch */
    mpz_t za, zb;              /* scratch */
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
