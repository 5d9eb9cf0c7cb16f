/* Model-based test of the counting rules: a naive reference written straight from the
 * definitions (per voter, exact rationals as reduced __int128 fractions, no classes, no
 * floating point, Add1 raising one unit per voter at a time) is compared with count.c on
 * thousands of random small elections with a fixed seed: greedy by votes (with skipping,
 * without, with a threshold, with a reserve), greedy by score, MES, MES + Add1 with both
 * stopping conditions, MES + Add1 + greedy. Costs come from a few values so that ties are
 * frequent; a second family of elections, with costs a few cents apart in a billion, makes MES
 * take exactly the decisions it first takes on doubles. */
#include <sodium.h>

#include "check.h"
#include "count.h"
#include "util.h"

typedef __int128 i128;

struct q {
    i128 n, d; /* d > 0, reduced */
};

static i128 gcd(i128 a, i128 b)
{
    if (a < 0)
        a = -a;
    while (b) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

static struct q mk(i128 n, i128 d)
{
    i128 g = gcd(n, d);
    return (struct q){n / g, d / g};
}

static struct q add(struct q a, struct q b)
{
    return mk(a.n * b.d + b.n * a.d, a.d * b.d);
}

static struct q sub(struct q a, struct q b)
{
    return mk(a.n * b.d - b.n * a.d, a.d * b.d);
}

static int cmp(struct q a, struct q b)
{
    i128 l = a.n * b.d, r = b.n * a.d;
    return l < r ? -1 : l > r;
}

#define MAXP 6
#define MAXV 8

struct elec {
    int m, n;
    int64_t cost[MAXP], budget;
    bool appr[MAXV][MAXP];
    int points[MAXV][MAXP];
};

static uint32_t rng_state = 12345;
static uint32_t rnd(uint32_t k)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) % k;
}

static void random_election(struct elec *x)
{
    memset(x, 0, sizeof *x);
    x->m = 2 + (int)rnd(MAXP - 1);
    x->n = 1 + (int)rnd(MAXV);
    int64_t total = 0;
    for (int c = 0; c < x->m; c++) {
        x->cost[c] = (1 + rnd(12)) * 100;
        total += x->cost[c];
    }
    x->budget = 100 + rnd((uint32_t)total);
    for (int v = 0; v < x->n; v++)
        for (int c = 0; c < x->m; c++) {
            x->appr[v][c] = rnd(3) == 0;
            x->points[v][c] = x->appr[v][c] ? 1 + (int)rnd(4) : 0;
        }
}

/* Voter v's ballot as the counting library takes it: project indexes and their values. */
static size_t ballot_of(const struct elec *x, int v, enum vote_kind kind, uint32_t *items,
                        uint32_t *values)
{
    size_t k = 0;
    for (int c = 0; c < x->m; c++)
        if (x->appr[v][c]) {
            items[k] = (uint32_t)c;
            values[k++] = kind == VOTE_CUMULATIVE ? (uint32_t)x->points[v][c] : 1;
        }
    return k;
}

static void to_profile(const struct elec *x, enum vote_kind kind, struct profile *p)
{
    profile_init(p);
    p->nprojects = (size_t)x->m;
    p->ids = calloc((size_t)x->m, sizeof *p->ids);
    p->names = calloc((size_t)x->m, sizeof *p->names);
    p->cost = calloc((size_t)x->m, sizeof *p->cost);
    p->published = calloc((size_t)x->m, sizeof *p->published);
    for (int c = 0; c < x->m; c++) {
        char id[16];
        snprintf(id, sizeof id, "p%d", c);
        p->ids[c] = util_strdup(id);
        p->cost[c] = x->cost[c];
        p->published[c] = -1;
    }
    p->budget = x->budget;
    p->kind = kind;
    struct err e;
    for (int v = 0; v < x->n; v++) {
        uint32_t items[MAXP], values[MAXP];
        size_t k = ballot_of(x, v, kind, items, values);
        profile_add_voter(p, items, values, k, &e);
    }
}

/* The same election with identical ballots given once, with their number as a weight. */
static void to_weighted_profile(const struct elec *x, enum vote_kind kind, struct profile *p)
{
    struct elec none = *x;
    none.n = 0;
    to_profile(&none, kind, p);
    struct err e;
    bool done[MAXV] = {0};
    for (int v = 0; v < x->n; v++) {
        if (done[v])
            continue;
        uint32_t weight = 0;
        for (int u = v; u < x->n; u++)
            if (!memcmp(x->appr[u], x->appr[v], sizeof x->appr[v]) &&
                (kind != VOTE_CUMULATIVE ||
                 !memcmp(x->points[u], x->points[v], sizeof x->points[v]))) {
                done[u] = true;
                weight++;
            }
        uint32_t items[MAXP], values[MAXP];
        size_t k = ballot_of(x, v, kind, items, values);
        CHECK_INT(profile_add_voters(p, items, values, k, weight, &e), 0);
    }
    CHECK_INT((int)profile_voters(p), x->n);
}

/* ---- naive rules ---- */

struct gopts {
    bool no_skip;
    int64_t min_score;
    unsigned reserve_pct;
};

static void naive_greedy_opts(const struct elec *x, bool by_points, bool *sel, const bool *pre,
                              int64_t spent, struct gopts g)
{
    int64_t score[MAXP] = {0};
    for (int v = 0; v < x->n; v++)
        for (int c = 0; c < x->m; c++)
            score[c] += by_points ? x->points[v][c] : x->appr[v][c];
    bool used[MAXP] = {0};
    for (int c = 0; c < x->m; c++)
        used[c] = pre && pre[c];
    for (int round = 0; round < x->m; round++) {
        int best = -1;
        for (int c = 0; c < x->m; c++)
            if (!used[c] && (best < 0 || score[c] > score[best]))
                best = c; /* ties: the lower index, i.e. the lower id */
        if (best < 0)
            break;
        used[best] = true;
        if (score[best] <= 0 || score[best] < g.min_score)
            continue;
        if (spent + x->cost[best] <= x->budget) {
            sel[best] = true;
            spent += x->cost[best];
        } else if (g.no_skip) {
            if (g.reserve_pct && (x->budget - spent) * 100 >= x->cost[best] * g.reserve_pct)
                sel[best] = true;
            break;
        }
    }
}

static void naive_greedy(const struct elec *x, bool by_points, bool *sel, const bool *pre,
                         int64_t spent)
{
    naive_greedy_opts(x, by_points, sel, pre, spent, (struct gopts){0});
}

/* MES with cost utilities from the definition; total = the money spread over the voters. */
static void naive_mes(const struct elec *x, int64_t total, bool *sel)
{
    struct q b[MAXV];
    for (int v = 0; v < x->n; v++)
        b[v] = mk(total, x->n);
    for (int c = 0; c < x->m; c++)
        sel[c] = false;
    for (;;) {
        int best = -1;
        struct q best_rho = {0, 1};
        for (int c = 0; c < x->m; c++) {
            if (sel[c])
                continue;
            /* supporters by budget ascending (insertion sort on indexes) */
            int s[MAXV], k = 0;
            struct q have = {0, 1};
            for (int v = 0; v < x->n; v++)
                if (x->appr[v][c]) {
                    s[k++] = v;
                    have = add(have, b[v]);
                }
            if (k == 0 || cmp(have, mk(x->cost[c], 1)) < 0)
                continue;
            for (int i = 1; i < k; i++)
                for (int j = i; j > 0 && cmp(b[s[j - 1]], b[s[j]]) > 0; j--) {
                    int t = s[j];
                    s[j] = s[j - 1];
                    s[j - 1] = t;
                }
            /* the smallest payment p with sum min(b_i, p) = cost */
            struct q paid = {0, 1}, p = {0, 1};
            for (int i = 0; i < k; i++) {
                struct q share = mk(0, 1);
                struct q rest = sub(mk(x->cost[c], 1), paid);
                share = mk(rest.n, rest.d * (k - i));
                if (cmp(share, b[s[i]]) > 0) {
                    paid = add(paid, b[s[i]]);
                    continue;
                }
                p = share;
                break;
            }
            struct q rho = mk(p.n, p.d * x->cost[c]); /* price per unit of utility */
            if (best < 0 || cmp(rho, best_rho) < 0) {
                best = c;
                best_rho = rho;
            }
        }
        if (best < 0)
            return;
        sel[best] = true;
        struct q p = mk(best_rho.n * x->cost[best], best_rho.d);
        for (int v = 0; v < x->n; v++)
            if (x->appr[v][best])
                b[v] = cmp(b[v], p) <= 0 ? mk(0, 1) : sub(b[v], p);
    }
}

static int64_t cost_of(const struct elec *x, const bool *sel)
{
    int64_t s = 0;
    for (int c = 0; c < x->m; c++)
        s += sel[c] ? x->cost[c] : 0;
    return s;
}

/* Add1 as the definition says: raise every voter's share by one unit (100 cents) at a time
 * and run MES again; stop before an outcome that costs more than the budget, or (stop_exh) at
 * the first exhaustive outcome. Once a voter alone could pay every project, no raise changes
 * anything: stop there too. Returns the raises made. */
static int naive_add1(const struct elec *x, bool *sel, bool stop_exh, bool then_greedy)
{
    int64_t total = x->budget, all = 0;
    bool supported[MAXP] = {0};
    for (int c = 0; c < x->m; c++) {
        all += x->cost[c];
        for (int v = 0; v < x->n; v++)
            supported[c] |= x->appr[v][c];
    }
    naive_mes(x, total, sel);
    int raises = 0, reached = 0;
    for (;;) {
        bool exhaustive = true;
        for (int c = 0; c < x->m; c++)
            if (!sel[c] && supported[c] && cost_of(x, sel) + x->cost[c] <= x->budget)
                exhaustive = false;
        if (stop_exh && exhaustive)
            break;
        if (total / x->n > all) { /* never stops: count the raises that reached the outcome */
            raises = reached;
            break;
        }
        bool next[MAXP];
        total += (int64_t)x->n * 100;
        naive_mes(x, total, next);
        if (cost_of(x, next) > x->budget)
            break;
        if (memcmp(sel, next, (size_t)x->m * sizeof *next))
            reached = raises + 1;
        memcpy(sel, next, sizeof next);
        raises++;
    }
    if (then_greedy) {
        bool pre[MAXP];
        memcpy(pre, sel, sizeof pre);
        naive_greedy(x, false, sel, pre, cost_of(x, sel));
    }
    return raises;
}

static void compare_opts(const struct elec *x, enum count_rule rule, enum vote_kind kind,
                         const struct count_opts *opts)
{
    struct profile p;
    to_profile(x, kind, &p);
    struct outcome o;
    struct err e = {0};
    enum tie_break tb[] = {TIE_ID, TIE_END};
    CHECK_INT(count_run_opts(&p, rule, tb, opts, &o, &e), 0);
    bool want[MAXP] = {0};
    struct gopts g = {0};
    bool stop_exh = opts && opts->add1_stop == ADD1_STOP_EXHAUSTIVE;
    int raises = -1;
    if (opts)
        g = (struct gopts){opts->no_skip, opts->min_score, opts->reserve_pct};
    switch (rule) {
    case COUNT_RULE_GREEDY_VOTES:
        naive_greedy_opts(x, false, want, NULL, 0, g);
        break;
    case COUNT_RULE_GREEDY_SCORE:
        naive_greedy_opts(x, true, want, NULL, 0, g);
        break;
    case COUNT_RULE_GREEDY_RESERVE:
        g.no_skip = true;
        naive_greedy_opts(x, false, want, NULL, 0, g);
        break;
    case COUNT_RULE_MES:
        naive_mes(x, x->budget, want);
        break;
    case COUNT_RULE_MES_ADD1:
        raises = naive_add1(x, want, stop_exh, false);
        break;
    case COUNT_RULE_MES_ADD1_GREEDY:
        raises = naive_add1(x, want, stop_exh, true);
        break;
    }
    int diff = 0;
    for (int c = 0; c < x->m; c++)
        diff += want[c] != o.res[c].selected;
    if (diff) {
        fprintf(stderr, "rule %s: %d voters, budget %lld:", count_rule_name(rule), x->n,
                (long long)x->budget);
        for (int c = 0; c < x->m; c++)
            fprintf(stderr, " p%d(%lld)%s/%s", c, (long long)x->cost[c], want[c] ? "W" : "-",
                    o.res[c].selected ? "W" : "-");
        fprintf(stderr, "\n");
    }
    CHECK_INT(diff, 0);
    if (raises >= 0 && (int)o.add1_steps != raises) {
        fprintf(stderr, "raises: %d voters, budget %lld:", x->n, (long long)x->budget);
        for (int c = 0; c < x->m; c++) {
            fprintf(stderr, " p%d(%lld)%s/%s[", c, (long long)x->cost[c], want[c] ? "W" : "-",
                    o.res[c].selected ? "W" : "-");
            for (int v = 0; v < x->n; v++)
                fprintf(stderr, "%s", x->appr[v][c] ? "x" : ".");
            fprintf(stderr, "]");
        }
        fprintf(stderr, " stop_exh=%d\n", stop_exh);
    }
    if (raises >= 0)
        CHECK_INT((int)o.add1_steps, raises);
    if (rule != COUNT_RULE_GREEDY_RESERVE)
        CHECK(o.spent <= x->budget);
    /* weighted: the same outcome, round by round, with the same totals */
    struct profile pw;
    struct outcome ow;
    to_weighted_profile(x, kind, &pw);
    CHECK_INT(profile_sort_voters(&pw, &e), 0);
    CHECK_INT(count_run_opts(&pw, rule, tb, opts, &ow, &e), 0);
    for (int c = 0; c < x->m; c++) {
        CHECK_INT(ow.res[c].selected, o.res[c].selected);
        CHECK_INT(ow.res[c].round, o.res[c].round);
        CHECK_INT(ow.res[c].phase, o.res[c].phase);
        CHECK_INT((int)ow.res[c].votes, (int)o.res[c].votes);
        CHECK_INT((int)ow.res[c].score, (int)o.res[c].score);
    }
    CHECK_INT((int)ow.spent, (int)o.spent);
    CHECK_INT((int)ow.add1_steps, (int)o.add1_steps);
    /* Add1 on one core, and with its raises cut into pieces of 1, 2 and 3 (on one core, on a
     * counter per core, on four counters; pieces counted each from a run at its start and
     * read in order): the same, round by round */
    if (rule == COUNT_RULE_MES_ADD1 || rule == COUNT_RULE_MES_ADD1_GREEDY) {
        for (int v = 0; v < 4; v++) {
            struct count_opts one = opts ? *opts : (struct count_opts){0};
            one.single_thread = v % 2 == 0;
            one.add1_piece = (uint64_t)v;
            struct outcome o1;
            if (v == 3) /* four counters, whatever the machine */
                setenv("ISOLOIR_THREADS", "4", 1);
            CHECK_INT(count_run_opts(&p, rule, tb, &one, &o1, &e), 0);
            if (v == 3)
                unsetenv("ISOLOIR_THREADS");
            for (int c = 0; c < x->m; c++) {
                CHECK_INT(o1.res[c].selected, o.res[c].selected);
                CHECK_INT(o1.res[c].round, o.res[c].round);
            }
            CHECK_INT((int)o1.add1_steps, (int)o.add1_steps);
            CHECK_INT((int)o1.per_voter_budget, (int)o.per_voter_budget);
            CHECK_INT(o1.add1_exhaustive, o.add1_exhaustive);
            outcome_free(&o1);
        }
    }
    outcome_free(&ow);
    profile_free(&pw);
    outcome_free(&o);
    profile_free(&p);
}

static void compare(const struct elec *x, enum count_rule rule, enum vote_kind kind)
{
    compare_opts(x, rule, kind, NULL);
}

static void test_random_elections(void)
{
    static const enum count_rule RULES[] = {COUNT_RULE_GREEDY_VOTES, COUNT_RULE_MES,
                                            COUNT_RULE_MES_ADD1, COUNT_RULE_MES_ADD1_GREEDY};
    const struct count_opts exh = {.add1_stop = ADD1_STOP_EXHAUSTIVE};
    const struct count_opts noskip = {.no_skip = true};
    const struct count_opts thr = {.min_score = 2};
    const struct count_opts reserve = {.reserve_pct = 80};
    for (int t = 0; t < 3000 && check_st.cur_failed < 5; t++) {
        struct elec x;
        random_election(&x);
        for (size_t r = 0; r < ARRAY_LEN(RULES); r++)
            compare(&x, RULES[r], VOTE_APPROVAL);
        compare_opts(&x, COUNT_RULE_MES_ADD1, VOTE_APPROVAL, &exh);
        compare_opts(&x, COUNT_RULE_MES_ADD1_GREEDY, VOTE_APPROVAL, &exh);
        compare_opts(&x, COUNT_RULE_GREEDY_VOTES, VOTE_APPROVAL, &noskip);
        compare_opts(&x, COUNT_RULE_GREEDY_VOTES, VOTE_APPROVAL, &thr);
        compare_opts(&x, COUNT_RULE_GREEDY_RESERVE, VOTE_APPROVAL, &reserve);
        compare(&x, COUNT_RULE_GREEDY_SCORE, VOTE_CUMULATIVE);
        compare_opts(&x, COUNT_RULE_GREEDY_SCORE, VOTE_CUMULATIVE, &thr);
    }
}

/* Elections whose prices and budgets differ by a few cents in a billion: every decision
 * the counting takes on doubles first (the order of budgets, who pays all he has, which
 * project is cheapest, whether the supporters can pay) is then too close for them and is
 * taken exactly. MES only: Add1 would need about a billion raises of one unit here. */
static void test_near_ties(void)
{
    const int64_t base = 1000000000; /* cents */
    for (int t = 0; t < 3000 && check_st.cur_failed < 5; t++) {
        struct elec x;
        random_election(&x);
        int64_t total = 0;
        for (int c = 0; c < x.m; c++) {
            x.cost[c] = base * (1 + rnd(3)) + rnd(5);
            total += x.cost[c];
        }
        x.budget = base * (1 + (int64_t)rnd((uint32_t)(total / base))) + rnd(9);
        compare(&x, COUNT_RULE_MES, VOTE_APPROVAL);
    }
}

/* Shares of a unit or less: every budget is a fraction from the start, so whether the
 * supporters of a project can pay depends on adding up fractions (and on the smallest of
 * them), and Add1's raises of one unit per voter each change the outcome a lot. */
static void test_small_shares(void)
{
    for (int t = 0; t < 3000 && check_st.cur_failed < 5; t++) {
        struct elec x;
        random_election(&x);
        for (int c = 0; c < x.m; c++)
            x.cost[c] = 1 + rnd(4);
        x.budget = 1 + rnd((uint32_t)(2 * x.n));
        compare(&x, COUNT_RULE_MES, VOTE_APPROVAL);
        compare(&x, COUNT_RULE_MES_ADD1, VOTE_APPROVAL);
    }
}

/* Add1 must not stop while a raise can still change the outcome: 2 voters, budget 100;
 * voter 1 approves A (40) and q (30), voter 2 approves C (30). MES alone funds A and C (30
 * left); raising the shares funds q too, which fits: {A, C, q} under both stops. */
static void test_add1_counterexample(void)
{
    struct elec x;
    memset(&x, 0, sizeof x);
    x.m = 3;
    x.n = 2;
    x.cost[0] = 4000, x.cost[1] = 3000, x.cost[2] = 3000; /* A, q, C */
    x.budget = 10000;
    x.appr[0][0] = x.appr[0][1] = true;
    x.appr[1][2] = true;
    bool want[MAXP] = {0};
    naive_add1(&x, want, false, false);
    CHECK(want[0] && want[1] && want[2]);
    const struct count_opts exh = {.add1_stop = ADD1_STOP_EXHAUSTIVE};
    compare(&x, COUNT_RULE_MES_ADD1, VOTE_APPROVAL);
    compare_opts(&x, COUNT_RULE_MES_ADD1, VOTE_APPROVAL, &exh);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_add1_counterexample);
    RUN(test_random_elections);
    RUN(test_near_ties);
    RUN(test_small_shares);
    return check_done();
}
