/*
 * count — greedy rules and the Method of Equal Shares; see count.h and docs/rules.md.
 *
 * MES works on groups of voters with the same approval set (real elections repeat ballots a
 * lot): every member of a group always holds the same budget, so one number per group is
 * enough. Budgets are integers over one common denominator D: the per-voter budget B/n starts
 * as B over D = n, and when a price ρ = N/k is not a whole number of 1/D units, D is
 * multiplied by k and every budget with it. Comparisons are then exact integer comparisons.
 */
#include "count.h"

#include <sodium.h>

#include "big.h"
#include "util.h"

void profile_init(struct profile *p)
{
    memset(p, 0, sizeof *p);
}

void profile_free(struct profile *p)
{
    for (size_t i = 0; i < p->nprojects; i++) {
        free(p->ids ? p->ids[i] : NULL);
        free(p->names ? p->names[i] : NULL);
    }
    free(p->ids);
    free(p->names);
    free(p->cost);
    free(p->published);
    free(p->offs);
    free(p->items);
    free(p->values);
    free(p->weight);
    profile_init(p);
}

uint64_t profile_voters(const struct profile *p)
{
    return p->weight ? p->nweight : p->nvoters;
}

static uint32_t weight_of(const struct profile *p, size_t v)
{
    return p->weight ? p->weight[v] : 1;
}

int profile_add_voters(struct profile *p, const uint32_t *items, const uint32_t *values, size_t n,
                       uint32_t weight, struct err *e)
{
    if (weight == 0 || profile_voters(p) + weight > UINT32_MAX)
        return err_set(e, ERR_INVALID, "%llu ballots are more than can be counted",
                       (unsigned long long)profile_voters(p) + weight);
    size_t cap = p->cap_voters;
    int rc = profile_add_voter(p, items, values, n, e);
    if (rc)
        return rc;
    if (!p->weight || cap != p->cap_voters) {
        uint32_t *w = realloc(p->weight, p->cap_voters * sizeof *w);
        if (!w) {
            p->nvoters--; /* as if the voter had not been added */
            p->nitems = p->offs[p->nvoters];
            return err_set(e, ERR_NOMEM, "out of memory reading ballots");
        }
        if (!p->weight) {
            for (size_t v = 0; v + 1 < p->nvoters; v++)
                w[v] = 1;
            p->nweight = p->nvoters - 1;
        }
        p->weight = w;
    }
    p->weight[p->nvoters - 1] = weight;
    p->nweight += weight;
    return 0;
}

int profile_add_voter(struct profile *p, const uint32_t *items, const uint32_t *values, size_t n,
                      struct err *e)
{
    if (p->nvoters + 2 > p->cap_voters) {
        size_t cap = p->cap_voters ? p->cap_voters * 2 : 1024;
        size_t *o = realloc(p->offs, cap * sizeof *o);
        if (!o)
            return err_set(e, ERR_NOMEM, "out of memory reading ballots");
        p->offs = o;
        p->cap_voters = cap;
        if (p->nvoters == 0)
            p->offs[0] = 0;
    }
    if (p->nitems + n > p->cap_items) {
        size_t cap = p->cap_items ? p->cap_items * 2 : 4096;
        while (cap < p->nitems + n)
            cap *= 2;
        uint32_t *it = realloc(p->items, cap * sizeof *it);
        if (!it)
            return err_set(e, ERR_NOMEM, "out of memory reading ballots");
        p->items = it;
        uint32_t *va = realloc(p->values, cap * sizeof *va);
        if (!va)
            return err_set(e, ERR_NOMEM, "out of memory reading ballots");
        p->values = va;
        p->cap_items = cap;
    }
    for (size_t i = 0; i < n; i++) {
        if (items[i] >= p->nprojects)
            return err_set(e, ERR_INVALID, "a ballot names project %u, which does not exist",
                           items[i]);
        for (size_t j = 0; j < i; j++)
            if (items[j] == items[i])
                return err_set(e, ERR_INVALID, "a ballot names project %s twice", p->ids[items[i]]);
        p->items[p->nitems + i] = items[i];
        p->values[p->nitems + i] = values ? values[i] : 1;
    }
    p->nitems += n;
    p->nvoters++;
    p->offs[p->nvoters] = p->nitems;
    return 0;
}

struct voter_key {
    const uint32_t *items, *values;
    size_t n;
    uint32_t weight;
};

static int cmp_voter(const void *a, const void *b)
{
    const struct voter_key *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    for (size_t i = 0; i < x->n; i++) {
        if (x->items[i] != y->items[i])
            return x->items[i] < y->items[i] ? -1 : 1;
        if (x->values[i] != y->values[i])
            return x->values[i] < y->values[i] ? -1 : 1;
    }
    return 0;
}

int profile_sort_voters(struct profile *p, struct err *e)
{
    if (p->nvoters < 2)
        return 0;
    struct voter_key *k = malloc(p->nvoters * sizeof *k);
    uint32_t *items = malloc((p->nitems + 1) * sizeof *items);
    uint32_t *values = malloc((p->nitems + 1) * sizeof *values);
    if (!k || !items || !values) {
        free(k);
        free(items);
        free(values);
        return err_set(e, ERR_NOMEM, "out of memory sorting the ballots");
    }
    for (size_t v = 0; v < p->nvoters; v++)
        k[v] = (struct voter_key){p->items + p->offs[v], p->values + p->offs[v],
                                  p->offs[v + 1] - p->offs[v], weight_of(p, v)};
    qsort(k, p->nvoters, sizeof *k, cmp_voter);
    size_t o = 0;
    for (size_t v = 0; v < p->nvoters; v++) {
        p->offs[v] = o;
        if (p->weight)
            p->weight[v] = k[v].weight;
        if (k[v].n) {
            memcpy(items + o, k[v].items, k[v].n * sizeof *items);
            memcpy(values + o, k[v].values, k[v].n * sizeof *values);
        }
        o += k[v].n;
    }
    p->offs[p->nvoters] = o;
    sodium_memzero(p->items, p->nitems * sizeof *p->items);
    sodium_memzero(p->values, p->nitems * sizeof *p->values);
    free(p->items);
    free(p->values);
    free(k);
    p->items = items;
    p->values = values;
    p->cap_items = p->nitems + 1;
    return 0;
}

void outcome_free(struct outcome *o)
{
    free(o->res);
    free(o->order);
    memset(o, 0, sizeof *o);
}

const char *count_rule_name(enum count_rule r)
{
    switch (r) {
    case RULE_GREEDY_VOTES:
        return "greedy by votes";
    case RULE_GREEDY_SCORE:
        return "greedy by score";
    case RULE_MES:
        return "Method of Equal Shares";
    case RULE_MES_ADD1:
        return "Method of Equal Shares with Add1 completion";
    case RULE_MES_ADD1_GREEDY:
        return "Method of Equal Shares with Add1 completion, then greedy by votes";
    }
    return "?";
}

/* ---- totals and ties ------------------------------------------------------------------- */

static void totals(const struct profile *p, struct project_result *res)
{
    for (size_t v = 0; v < p->nvoters; v++) {
        int64_t w = weight_of(p, v);
        for (size_t k = p->offs[v]; k < p->offs[v + 1]; k++) {
            struct project_result *r = &res[p->items[k]];
            r->votes += w;
            if (p->kind == VOTE_CUMULATIVE)
                r->score += (int64_t)p->values[k] * w;
            else if (p->kind == VOTE_ORDINAL)
                r->score += (p->values[k] <= p->max_rank ? p->max_rank - p->values[k] + 1 : 0) * w;
            else
                r->score += w;
        }
    }
}

struct tie_ctx {
    const struct profile *p;
    const struct project_result *res;
    enum tie_break tb[TIE_MAX + 2];
};

/* <0 if a wins the tie against b. */
static int tie(const struct tie_ctx *t, uint32_t a, uint32_t b)
{
    for (int i = 0; t->tb[i] != TIE_END; i++) {
        switch (t->tb[i]) {
        case TIE_LOWEST_COST:
            if (t->p->cost[a] != t->p->cost[b])
                return t->p->cost[a] < t->p->cost[b] ? -1 : 1;
            break;
        case TIE_HIGHEST_COST:
            if (t->p->cost[a] != t->p->cost[b])
                return t->p->cost[a] > t->p->cost[b] ? -1 : 1;
            break;
        case TIE_MOST_VOTES:
            if (t->res[a].votes != t->res[b].votes)
                return t->res[a].votes > t->res[b].votes ? -1 : 1;
            break;
        case TIE_ID: {
            int c = strcmp(t->p->ids[a], t->p->ids[b]);
            if (c)
                return c;
            break;
        }
        case TIE_END:
            break;
        }
    }
    return a < b ? -1 : a > b;
}

static void tie_init(struct tie_ctx *t, const struct profile *p, const struct project_result *res,
                     const enum tie_break *tb)
{
    t->p = p;
    t->res = res;
    int n = 0;
    bool has_id = false;
    for (int i = 0; tb && tb[i] != TIE_END && n < TIE_MAX; i++) {
        t->tb[n++] = tb[i];
        has_id |= tb[i] == TIE_ID;
    }
    if (!has_id)
        t->tb[n++] = TIE_ID;
    t->tb[n] = TIE_END;
}

static void select_project(struct outcome *o, const struct profile *p, uint32_t c, int phase)
{
    o->res[c].selected = true;
    o->res[c].round = (int)o->nselected + 1;
    o->res[c].phase = phase;
    o->order[o->nselected++] = c;
    o->spent += p->cost[c];
}

/* Greedy over the projects not yet selected, by `key` (higher first) then the tie-break. */
static void greedy(const struct profile *p, struct outcome *o, const struct tie_ctx *t,
                   bool by_score, int phase)
{
    size_t n = p->nprojects;
    uint32_t *idx = malloc(n * sizeof *idx);
    if (!idx)
        return;
    size_t m = 0;
    for (uint32_t c = 0; c < n; c++)
        if (!o->res[c].selected)
            idx[m++] = c;
    /* insertion sort: few projects, and stable with respect to the tie-break */
    for (size_t i = 1; i < m; i++) {
        uint32_t x = idx[i];
        size_t j = i;
        while (j > 0) {
            uint32_t y = idx[j - 1];
            int64_t kx = by_score ? o->res[x].score : o->res[x].votes;
            int64_t ky = by_score ? o->res[y].score : o->res[y].votes;
            bool before = kx > ky || (kx == ky && tie(t, x, y) < 0);
            if (!before)
                break;
            idx[j] = y;
            j--;
        }
        idx[j] = x;
    }
    for (size_t i = 0; i < m; i++) {
        uint32_t c = idx[i];
        int64_t key = by_score ? o->res[c].score : o->res[c].votes;
        if (key > 0 && o->spent + p->cost[c] <= p->budget)
            select_project(o, p, c, phase);
    }
    free(idx);
}

/* ---- Method of Equal Shares ------------------------------------------------------------ */

struct group {
    uint32_t first; /* a voter of the group, to read its approval set */
    uint32_t size;
    struct big b; /* each member's budget, over the common denominator D */
};

struct mes {
    const struct profile *p;
    struct group *g;
    size_t ng;
    uint32_t **supp; /* per project: the groups that approve it */
    size_t *nsupp;
    struct big D;
    struct err *e;
    bool overflow;
};

static int cmp_sets(const struct profile *p, uint32_t a, uint32_t b)
{
    size_t na = p->offs[a + 1] - p->offs[a], nb = p->offs[b + 1] - p->offs[b];
    if (na != nb)
        return na < nb ? -1 : 1;
    return memcmp(p->items + p->offs[a], p->items + p->offs[b], na * sizeof(uint32_t));
}

/* Groups voters by approval set (items sorted per voter first). */
static int mes_groups(struct mes *m, struct profile *sorted)
{
    const struct profile *p = m->p;
    /* a copy of the items with each voter's set sorted */
    *sorted = *p;
    sorted->items = malloc((p->nitems ? p->nitems : 1) * sizeof(uint32_t));
    uint32_t *order = malloc((p->nvoters ? p->nvoters : 1) * sizeof(uint32_t));
    m->g = calloc(p->nvoters ? p->nvoters : 1, sizeof *m->g);
    if (!sorted->items || !order || !m->g) {
        free(order);
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    }
    if (p->nitems) /* every ballot may be blank: then there are no items at all */
        memcpy(sorted->items, p->items, p->nitems * sizeof(uint32_t));
    for (size_t v = 0; v < p->nvoters; v++) {
        uint32_t *s = sorted->items + p->offs[v];
        size_t n = p->offs[v + 1] - p->offs[v];
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && s[j - 1] > s[j]; j--) {
                uint32_t t = s[j];
                s[j] = s[j - 1];
                s[j - 1] = t;
            }
        order[v] = (uint32_t)v;
    }
    /* sort voters by set (shell sort keeps this dependency-free and fast enough) */
    size_t nv = p->nvoters;
    for (size_t gap = nv / 2; gap > 0; gap /= 2)
        for (size_t i = gap; i < nv; i++)
            for (size_t j = i; j >= gap && cmp_sets(sorted, order[j - gap], order[j]) > 0;
                 j -= gap) {
                uint32_t t = order[j];
                order[j] = order[j - gap];
                order[j - gap] = t;
            }
    for (size_t i = 0; i < nv; i++) {
        if (m->ng && cmp_sets(sorted, m->g[m->ng - 1].first, order[i]) == 0) {
            m->g[m->ng - 1].size += weight_of(p, order[i]);
            continue;
        }
        m->g[m->ng++] = (struct group){.first = order[i], .size = weight_of(p, order[i])};
    }
    free(order);
    return 0;
}

static int mes_supporters(struct mes *m, const struct profile *sorted)
{
    size_t n = m->p->nprojects;
    m->supp = calloc(n, sizeof *m->supp);
    m->nsupp = calloc(n, sizeof *m->nsupp);
    if (!m->supp || !m->nsupp)
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    for (size_t g = 0; g < m->ng; g++) {
        uint32_t v = m->g[g].first;
        for (size_t k = sorted->offs[v]; k < sorted->offs[v + 1]; k++)
            m->nsupp[sorted->items[k]]++;
    }
    for (size_t c = 0; c < n; c++) {
        m->supp[c] = malloc((m->nsupp[c] ? m->nsupp[c] : 1) * sizeof(uint32_t));
        if (!m->supp[c])
            return err_set(m->e, ERR_NOMEM, "out of memory counting");
        m->nsupp[c] = 0;
    }
    for (size_t g = 0; g < m->ng; g++) {
        uint32_t v = m->g[g].first;
        for (size_t k = sorted->offs[v]; k < sorted->offs[v + 1]; k++) {
            uint32_t c = sorted->items[k];
            m->supp[c][m->nsupp[c]++] = (uint32_t)g;
        }
    }
    return 0;
}

static void ovf(struct mes *m, int rc)
{
    if (rc)
        m->overflow = true;
}

/* The price per supporter of project c as N/k (in 1/D units); false if it cannot be paid. */
static bool mes_price(struct mes *m, uint32_t c, uint32_t *tmp, struct big *N, uint64_t *k)
{
    const struct profile *p = m->p;
    size_t ns = m->nsupp[c];
    /* supporting groups by budget, poorest first */
    memcpy(tmp, m->supp[c], ns * sizeof *tmp);
    for (size_t i = 1; i < ns; i++)
        for (size_t j = i; j > 0 && big_cmp(&m->g[tmp[j - 1]].b, &m->g[tmp[j]].b) > 0; j--) {
            uint32_t t = tmp[j];
            tmp[j] = tmp[j - 1];
            tmp[j - 1] = t;
        }
    struct big costD, total, x;
    ovf(m, big_mul_u64(&costD, &m->D, (uint64_t)p->cost[c]));
    big_set(&total, 0);
    uint64_t members = 0;
    for (size_t i = 0; i < ns; i++) {
        const struct group *g = &m->g[tmp[i]];
        ovf(m, big_mul_u64(&x, &g->b, g->size));
        ovf(m, big_add(&total, &total, &x));
        members += g->size;
    }
    if (big_cmp(&total, &costD) < 0 || members == 0)
        return false;
    /* walk up: groups that cannot pay the equal share pay all they have */
    struct big paid;
    big_set(&paid, 0);
    uint64_t denom = members;
    for (size_t i = 0; i < ns; i++) {
        const struct group *g = &m->g[tmp[i]];
        struct big rest, need;
        ovf(m, big_sub(&rest, &costD, &paid));
        ovf(m, big_mul_u64(&need, &g->b, denom));
        if (big_cmp(&rest, &need) > 0) { /* the share (rest/denom) is more than g holds */
            ovf(m, big_mul_u64(&x, &g->b, g->size));
            ovf(m, big_add(&paid, &paid, &x));
            denom -= g->size;
            continue;
        }
        *N = rest;
        *k = denom;
        return true;
    }
    return false; /* not reached: total >= cost */
}

/* a = N_a / (k_a cost_a) < b ?  (price per unit of utility: lower is better) */
static int price_cmp(struct mes *m, const struct big *Na, uint64_t ka, int64_t ca,
                     const struct big *Nb, uint64_t kb, int64_t cb)
{
    struct big l, r, t;
    ovf(m, big_mul_u64(&t, Na, kb));
    ovf(m, big_mul_u64(&l, &t, (uint64_t)cb));
    ovf(m, big_mul_u64(&t, Nb, ka));
    ovf(m, big_mul_u64(&r, &t, (uint64_t)ca));
    return big_cmp(&l, &r);
}

static void mes_pay(struct mes *m, uint32_t c, const struct big *N, uint64_t k)
{
    struct big rho = *N;
    struct big q;
    if (k < UINT32_MAX && big_div_u32(&q, N, (uint32_t)k) == 0) {
        rho = q; /* a whole number of 1/D units: no need to refine D */
    } else {
        ovf(m, big_mul_u64(&m->D, &m->D, k));
        for (size_t g = 0; g < m->ng; g++)
            ovf(m, big_mul_u64(&m->g[g].b, &m->g[g].b, k));
    }
    for (size_t i = 0; i < m->nsupp[c]; i++) {
        struct group *g = &m->g[m->supp[c][i]];
        if (big_cmp(&g->b, &rho) <= 0)
            big_set(&g->b, 0);
        else
            ovf(m, big_sub(&g->b, &g->b, &rho));
    }
}

/* One run of MES with a per-voter budget of `per_voter` cents (a fraction when `over_n`:
 * budget B spread as B/n). Fills `o` (already allocated, cleared here). */
static int mes_run(struct mes *m, const struct tie_ctx *t, int64_t total_budget, struct outcome *o,
                   uint32_t *tmp)
{
    const struct profile *p = m->p;
    for (size_t c = 0; c < p->nprojects; c++) {
        o->res[c].selected = false;
        o->res[c].round = 0;
        o->res[c].phase = 0;
        o->res[c].eff = 0;
    }
    o->nselected = 0;
    o->spent = 0;
    big_set(&m->D, profile_voters(p));
    for (size_t g = 0; g < m->ng; g++)
        big_set(&m->g[g].b, (uint64_t)total_budget);
    m->overflow = false;
    for (;;) {
        int best = -1;
        struct big bestN;
        uint64_t bestk = 0;
        for (uint32_t c = 0; c < p->nprojects; c++) {
            if (o->res[c].selected || m->nsupp[c] == 0)
                continue;
            struct big N;
            uint64_t k;
            if (!mes_price(m, c, tmp, &N, &k))
                continue;
            int cmp = best < 0 ? -1 : price_cmp(m, &N, k, p->cost[c], &bestN, bestk, p->cost[best]);
            if (cmp < 0 || (cmp == 0 && tie(t, c, (uint32_t)best) < 0)) {
                best = (int)c;
                bestN = N;
                bestk = k;
            }
        }
        if (m->overflow)
            return err_set(m->e, ERR_INTERNAL,
                           "the exact arithmetic of the Method of Equal Shares outgrew %d bits "
                           "on this election; please report it",
                           BIG_BITS);
        if (best < 0)
            return 0;
        /* effective vote count = cost / price per supporter = cost k D / N */
        double price = big_to_double(&bestN) / (double)bestk / big_to_double(&m->D);
        select_project(o, p, (uint32_t)best, 1);
        o->res[best].eff = price > 0 ? (double)p->cost[best] / price : 0;
        mes_pay(m, (uint32_t)best, &bestN, bestk);
    }
}

/* No unselected project that someone supports still fits the money left. Projects nobody
 * supports are left out: MES can never fund them, so raising budgets for them would not end. */
static bool exhaustive(const struct profile *p, const struct outcome *o)
{
    for (size_t c = 0; c < p->nprojects; c++)
        if (!o->res[c].selected && o->res[c].votes > 0 && o->spent + p->cost[c] <= p->budget)
            return false;
    return true;
}

static int mes(const struct profile *p, const struct tie_ctx *t, bool add1, bool then_greedy,
               struct outcome *o, struct err *e)
{
    if (p->kind != VOTE_APPROVAL)
        return err_set(e, ERR_USAGE,
                       "the Method of Equal Shares counts approval ballots; use a greedy rule "
                       "for cumulative or ranked ballots");
    struct mes m = {.p = p, .e = e};
    struct profile sorted;
    uint32_t *tmp = NULL;
    struct outcome next = {0};
    int rc = mes_groups(&m, &sorted);
    if (!rc)
        rc = mes_supporters(&m, &sorted);
    tmp = malloc((m.ng ? m.ng : 1) * sizeof *tmp);
    if (!rc && !tmp)
        rc = err_set(e, ERR_NOMEM, "out of memory counting");
    if (!rc)
        rc = mes_run(&m, t, p->budget, o, tmp);
    int64_t nv = (int64_t)profile_voters(p);
    o->per_voter_budget = nv ? p->budget / nv : 0;
    if (!rc && add1) {
        /* Add1: raise every voter's budget by one currency unit (100 cents) at a time, as long
         * as the outcome is not exhaustive and the raised outcome still fits the budget. */
        next.nprojects = p->nprojects;
        next.res = calloc(p->nprojects, sizeof *next.res);
        next.order = calloc(p->nprojects, sizeof *next.order);
        if (!next.res || !next.order)
            rc = err_set(e, ERR_NOMEM, "out of memory counting");
        int64_t total = p->budget, max_cost = 0;
        for (size_t c = 0; c < p->nprojects; c++)
            if (p->cost[c] > max_cost)
                max_cost = p->cost[c];
        /* Once every voter alone could pay the dearest project, more money changes nothing. */
        while (!rc && !exhaustive(p, o) && total / nv < max_cost) {
            total += nv * 100;
            rc = mes_run(&m, t, total, &next, tmp);
            if (rc || next.spent > p->budget)
                break;
            for (size_t c = 0; c < p->nprojects; c++)
                next.res[c].votes = o->res[c].votes, next.res[c].score = o->res[c].score;
            struct outcome swap = *o;
            *o = next;
            next = swap;
            o->add1_steps++;
            o->per_voter_budget = total / nv;
        }
        if (!rc && then_greedy)
            greedy(p, o, t, false, 2);
    }
    outcome_free(&next);
    free(tmp);
    free(sorted.items);
    for (size_t c = 0; m.supp && c < p->nprojects; c++)
        free(m.supp[c]);
    free(m.supp);
    free(m.nsupp);
    free(m.g);
    return rc;
}

int count_run(const struct profile *p, enum count_rule rule, const enum tie_break *tb,
              struct outcome *o, struct err *e)
{
    memset(o, 0, sizeof *o);
    o->nprojects = p->nprojects;
    o->res = calloc(p->nprojects ? p->nprojects : 1, sizeof *o->res);
    o->order = calloc(p->nprojects ? p->nprojects : 1, sizeof *o->order);
    if (!o->res || !o->order) {
        outcome_free(o);
        return err_set(e, ERR_NOMEM, "out of memory counting");
    }
    totals(p, o->res);
    struct tie_ctx t;
    tie_init(&t, p, o->res, tb);
    int rc = 0;
    switch (rule) {
    case RULE_GREEDY_VOTES:
        greedy(p, o, &t, false, 1);
        break;
    case RULE_GREEDY_SCORE:
        greedy(p, o, &t, true, 1);
        break;
    case RULE_MES:
        rc = mes(p, &t, false, false, o, e);
        break;
    case RULE_MES_ADD1:
        rc = mes(p, &t, true, false, o, e);
        break;
    case RULE_MES_ADD1_GREEDY:
        rc = mes(p, &t, true, true, o, e);
        break;
    default:
        rc = err_set(e, ERR_USAGE, "unknown counting rule");
    }
    if (rc) {
        outcome_free(o);
        return rc;
    }
    /* keep the totals after MES runs overwrote the per-run fields */
    return 0;
}
