/*
 * count — greedy rules and the Method of Equal Shares; see count.h and docs/rules.md.
 *
 * Greedy rules walk the projects once in score order. MES (count_mes.c) works on classes of
 * voters with the same budget, in exact rationals (GMP) behind a floating-point filter; Add1
 * (below) certifies whole ranges of raises with the same outcome instead of counting each.
 * Nothing here keeps state between calls; Add1 may run threads of its own (a counter per
 * core).
 */
#include "count_int.h"

#include <math.h>
#include <pthread.h>

#include <sodium.h>

#include "util.h"

void profile_init(struct profile *p)
{
    memset(p, 0, sizeof *p);
    p->declared_voters = -1;
    p->declared_projects = -1;
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
    free(p->comment);
    free(p->declared_votes);
    profile_init(p);
}

uint64_t profile_voters(const struct profile *p)
{
    return p->weight ? p->nweight : p->nvoters;
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

bool count_rule_is_mes(enum count_rule r)
{
    return r == COUNT_RULE_MES || r == COUNT_RULE_MES_ADD1 || r == COUNT_RULE_MES_ADD1_GREEDY;
}

const char *count_rule_name(enum count_rule r)
{
    switch (r) {
    case COUNT_RULE_GREEDY_VOTES:
        return "greedy by votes";
    case COUNT_RULE_GREEDY_SCORE:
        return "greedy by score";
    case COUNT_RULE_MES:
        return "Method of Equal Shares";
    case COUNT_RULE_MES_ADD1:
        return "Method of Equal Shares with Add1 completion";
    case COUNT_RULE_MES_ADD1_GREEDY:
        return "Method of Equal Shares with Add1 completion, then greedy by votes";
    case COUNT_RULE_GREEDY_RESERVE:
        return "greedy by votes without skipping, then the next project from a reserve";
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

/* <0 if a wins the tie against b. */
int count_tie(const struct tie_ctx *t, uint32_t a, uint32_t b)
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

void count_select(struct outcome *o, const struct profile *p, uint32_t c, int phase)
{
    o->res[c].selected = true;
    o->res[c].round = (int)o->nselected + 1;
    o->res[c].phase = phase;
    o->order[o->nselected++] = c;
    o->spent += p->cost[c];
}

/* Greedy over the projects not yet selected, by score (votes or points, higher first) then the
 * tie-break. Only projects whose key is above zero and reaches opts->min_score are eligible; a
 * project in an exclusive group of which one is already funded is passed over. Without
 * no_skip, a project that does not fit is skipped and the walk goes on; with no_skip the walk
 * stops there, and with reserve_pct that project is still funded (phase 2) when what is left
 * covers reserve_pct % of its cost. Returns 0 or ERR_NOMEM. */
static int greedy(const struct profile *p, struct outcome *o, const struct tie_ctx *t,
                  bool by_score, const struct count_opts *opts, int phase, struct err *e)
{
    size_t n = p->nprojects;
    uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return err_set(e, ERR_NOMEM, "out of memory counting");
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
            bool before = kx > ky || (kx == ky && count_tie(t, x, y) < 0);
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
        if (key <= 0 || (opts && key < opts->min_score))
            continue;
        if (opts && opts->exclusive && opts->exclusive[c]) {
            bool taken = false;
            for (size_t k = 0; k < o->nselected; k++)
                taken |= opts->exclusive[o->order[k]] == opts->exclusive[c];
            if (taken)
                continue;
        }
        if (o->spent + p->cost[c] <= p->budget) {
            count_select(o, p, c, phase);
            continue;
        }
        if (opts && opts->no_skip) {
            /* what is left covers reserve_pct % of the cost: left * 100 >= cost * pct */
            if (opts->reserve_pct &&
                (p->budget - o->spent) * 100 >= p->cost[c] * (int64_t)opts->reserve_pct)
                count_select(o, p, c, phase + 1);
            break;
        }
    }
    free(idx);
    return 0;
}

/* ---- Add1: raising the shares (MES itself is in count_mes.c) ---- */

static bool exhaustive(const struct profile *p, const struct outcome *o)
{
    for (size_t c = 0; c < p->nprojects; c++)
        if (!o->res[c].selected && o->res[c].votes > 0 && o->spent + p->cost[c] <= p->budget)
            return false;
    return true;
}

/* β_t = (B + t · n · 100) / n cents: the share after t raises of one unit per voter. */
static void beta_at(mpq_t beta, const struct profile *p, uint64_t t)
{
    uint64_t n = profile_voters(p);
    mpz_t num;
    mpz_init_set_ui(num, (unsigned long)t);
    mpz_mul_ui(num, num, (unsigned long)n);
    mpz_mul_ui(num, num, 100);
    mpz_add_ui(num, num, (unsigned long)p->budget);
    mpq_set_num(beta, num);
    mpz_set_ui(num, (unsigned long)n);
    mpq_set_den(beta, num);
    mpq_canonicalize(beta);
    mpz_clear(num);
}

static void swap_outcomes(struct outcome *a, struct outcome *b)
{
    struct outcome t = *a;
    *a = *b;
    *b = t;
}

static int outcome_alloc(struct outcome *o, size_t n, struct err *e)
{
    o->nprojects = n;
    o->res = calloc(n ? n : 1, sizeof *o->res);
    o->order = calloc(n ? n : 1, sizeof *o->order);
    if (!o->res || !o->order)
        return err_set(e, ERR_NOMEM, "out of memory counting");
    return 0;
}

/* A counter: one MES state (count_mes.c), on one thread. */
struct counter {
    struct mes m;
    struct err e;
    mpq_t beta;
    struct outcome cur, next; /* the outcome at the raise reached, and the one being counted */
};

/* A piece of Add1's raises, a .. b - 1, counted by one counter from a run at a (docs/rules.md,
 * "On more than one core"). How it ended: */
enum piece_end {
    PIECE_OPEN,    /* not counted yet, or given up (a piece before it stopped) */
    PIECE_END,     /* its last raise reached, no stop */
    PIECE_STOP,    /* stop at tlast: outcome and raises are tlast's */
    PIECE_REACHED, /* stop at tlast (a voter alone pays everything): raises are the last change */
    PIECE_BEFORE,  /* the outcome at a spends more than the budget: the stop is at a - 1 */
};

struct piece {
    uint64_t a, b;
    enum piece_end end;
    int rc;
    struct err e;
    unsigned runs;
    uint64_t tlast;      /* the last raise counted */
    uint64_t tchange;    /* the last raise in a + 1 .. tlast whose outcome changed (a: none) */
    bool *first;         /* the selection at a */
    struct outcome last; /* the outcome at tlast */
};

/* What the counters share: the pieces, handed out in order. */
struct add1_ctx {
    const struct profile *p;
    const struct count_opts *opts;
    const struct outcome *o0; /* MES's outcome (votes and scores for every outcome) */
    double all;               /* every project's cost together, cents */
    uint64_t first_len;       /* raises in the first piece */
    pthread_mutex_t mu;
    struct piece **pc;
    size_t npc, cap;
    size_t stopped; /* the first piece known to stop (SIZE_MAX: none yet) */
    int rc;         /* out of memory making a piece */
};

/* The next piece to count, or NULL when a piece before it stops. Pieces grow with the raise
 * they start at (a sixteenth of it), so a long way to the end takes few of them. */
static struct piece *next_piece(struct add1_ctx *x, size_t *idx)
{
    pthread_mutex_lock(&x->mu);
    struct piece *pc = NULL;
    if (x->rc || x->npc > x->stopped)
        goto out;
    if (x->npc == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        struct piece **a = realloc(x->pc, cap * sizeof *a);
        if (!a) {
            x->rc = -1;
            goto out;
        }
        x->pc = a, x->cap = cap;
    }
    pc = calloc(1, sizeof *pc);
    if (pc)
        pc->first = calloc(x->p->nprojects ? x->p->nprojects : 1, sizeof *pc->first);
    if (!pc || !pc->first || outcome_alloc(&pc->last, x->p->nprojects, &pc->e)) {
        if (pc)
            outcome_free(&pc->last), free(pc->first), free(pc);
        pc = NULL;
        x->rc = -1;
        goto out;
    }
    for (size_t c = 0; c < x->p->nprojects; c++) /* (it goes to a counter, swapped) */
        pc->last.res[c].votes = x->o0->res[c].votes, pc->last.res[c].score = x->o0->res[c].score;
    pc->a = x->npc ? x->pc[x->npc - 1]->b : 0;
    uint64_t len = pc->a / 16 > x->first_len ? pc->a / 16 : x->first_len;
    pc->b = pc->a + len;
    *idx = x->npc;
    x->pc[x->npc++] = pc;
out:
    pthread_mutex_unlock(&x->mu);
    return pc;
}

/* Whether a piece before piece i stops (piece i is then not needed). */
static bool given_up(struct add1_ctx *x, size_t i)
{
    pthread_mutex_lock(&x->mu);
    bool r = x->stopped < i;
    pthread_mutex_unlock(&x->mu);
    return r;
}

/* Counts piece i: a run at a, then the raises after it as add1 does (galloping, ranges
 * certified), up to b - 1 or the first stop. */
static int piece_count(struct add1_ctx *x, struct counter *k, struct piece *pc, size_t i)
{
    const struct profile *p = x->p;
    beta_at(k->beta, p, pc->a);
    if (count_mes_run(&k->m, k->beta, &k->cur))
        return -1;
    pc->runs++;
    if (pc->a > 0 && k->cur.spent > p->budget) {
        pc->end = PIECE_BEFORE;
        return 0;
    }
    for (size_t c = 0; c < p->nprojects; c++)
        pc->first[c] = k->cur.res[c].selected;
    uint64_t tcur = pc->a, step = 1;
    uint64_t tfail = UINT64_MAX; /* the end of the last range that failed */
    int64_t nv = (int64_t)profile_voters(p);
    pc->tchange = pc->a;
    for (;;) {
        pc->tlast = tcur;
        if (x->opts->add1_stop == ADD1_STOP_EXHAUSTIVE && exhaustive(p, &k->cur)) {
            pc->end = PIECE_STOP;
            break;
        }
        if ((double)p->budget / (double)nv + (double)tcur * 100 > x->all + 100) {
            /* a voter alone could pay every project: no raise changes this outcome any more */
            pc->end = PIECE_REACHED;
            break;
        }
        if (tcur + 1 >= pc->b) {
            pc->end = PIECE_END;
            break;
        }
        if (given_up(x, i))
            return 0; /* PIECE_OPEN */
        if (tfail <= tcur)
            tfail = UINT64_MAX;
        if (tfail != UINT64_MAX && tcur + step >= tfail) /* the same failure again: shorter */
            step = tfail - tcur > 1 ? (tfail - tcur) / 2 : 1;
        if (tcur + step > pc->b - 1)
            step = pc->b - 1 - tcur;
        uint64_t t1 = tcur + step;
        bool ok;
        beta_at(k->beta, p, t1);
        /* a range: certified or not; one raise: the last choices replayed as long as they
         * hold, then counted */
        if (count_mes_check(&k->m, k->beta, &k->next, &ok, step == 1))
            return -1;
        pc->runs++;
        if (step > 1 && !ok) { /* the choices may change within the range: a shorter one */
            tfail = t1;
            step /= 2;
            continue;
        }
        if (k->next.spent > p->budget) { /* only a plain run (step 1) can change the outcome */
            pc->end = PIECE_STOP;
            break;
        }
        bool same = true;
        for (size_t c = 0; c < p->nprojects; c++)
            same &= k->next.res[c].selected == k->cur.res[c].selected;
        if (!same)
            pc->tchange = t1;
        swap_outcomes(&k->cur, &k->next);
        tcur = t1;
        step = !same ? 1 : step < ((uint64_t)1 << 40) ? step * 2 : step;
    }
    swap_outcomes(&pc->last, &k->cur);
    pc->last.nprojects = p->nprojects;
    return 0;
}

/* A counter's loop: pieces, one after another, until none is needed. */
static void counter_loop(struct add1_ctx *x, struct counter *k)
{
    size_t i;
    struct piece *pc;
    while ((pc = next_piece(x, &i)) != NULL) {
        pc->rc = piece_count(x, k, pc, i);
        if (pc->rc && k->e.code)
            err_set(&pc->e, k->e.code, "%s", k->e.msg);
        bool stops = pc->rc || (pc->end != PIECE_OPEN && pc->end != PIECE_END);
        pthread_mutex_lock(&x->mu);
        if (stops && i < x->stopped)
            x->stopped = i;
        pthread_mutex_unlock(&x->mu);
    }
}

static void *counter_thread(void *arg)
{
    void **a = arg;
    counter_loop(a[0], a[1]);
    return NULL;
}

/* Add1 from the MES outcome o at t = 0 (docs/rules.md, "Add1 completion" and "Raising
 * without stepping"): the outcome of every raise t in order, as if each were counted, but
 * whole ranges of raises are certified at once. The raises are cut into pieces, each counted
 * from a run at its first raise, by one counter per core (k[0 .. nk)); then the pieces are
 * read in order up to the first stop. */
static int add1(const struct profile *p, const struct count_opts *opts, struct counter *k, int nk,
                struct outcome *o, struct err *e)
{
    struct add1_ctx x = {.p = p, .opts = opts, .o0 = o, .stopped = SIZE_MAX};
    for (size_t c = 0; c < p->nprojects; c++)
        x.all += (double)p->cost[c];
    x.first_len = opts->add1_piece ? opts->add1_piece : 64;
    if (pthread_mutex_init(&x.mu, NULL))
        return err_set(e, ERR_NOMEM, "cannot start counting: no mutex");
    int rc = 0;
    for (int i = 0; i < nk && !rc; i++) /* every outcome carries MES's votes and scores */
        for (int j = 0; j < 2 && !rc; j++) {
            struct outcome *t = j ? &k[i].next : &k[i].cur;
            rc = outcome_alloc(t, p->nprojects, e);
            for (size_t c = 0; !rc && c < p->nprojects; c++)
                t->res[c].votes = o->res[c].votes, t->res[c].score = o->res[c].score;
        }
    pthread_t th[UTIL_MAX_THREADS];
    void *arg[UTIL_MAX_THREADS][2];
    int started = 0; /* the other counters, each on a thread of its own */
    for (int i = 1; !rc && i < nk; i++) {
        arg[i][0] = &x, arg[i][1] = &k[i];
        if (pthread_create(&th[started + 1], NULL, counter_thread, arg[i]) != 0)
            break; /* the pieces are counted by those started */
        started++;
    }
    if (!rc)
        counter_loop(&x, &k[0]);
    for (int i = 1; i <= started; i++)
        pthread_join(th[i], NULL);
    /* the pieces in order: the first stop is Add1's */
    uint64_t treached = 0;
    const struct piece *prev = NULL;
    bool kept = false;
    for (size_t i = 0; !rc && i < x.npc; i++) {
        struct piece *pc = x.pc[i];
        if (pc->rc) {
            rc = err_set(e, pc->e.code ? pc->e.code : ERR_NOMEM, "%s",
                         pc->e.code ? pc->e.msg : "out of memory counting");
            break;
        }
        o->add1_runs += pc->runs;
        const struct outcome *keep = NULL;
        uint64_t steps = 0;
        if (pc->end == PIECE_BEFORE) { /* the raise before it is kept (a > 0) */
            keep = &prev->last, steps = pc->a - 1;
        } else {
            bool moved = false;
            for (size_t c = 0; prev && c < p->nprojects; c++)
                moved |= pc->first[c] != prev->last.res[c].selected;
            if (moved)
                treached = pc->a;
            if (pc->tchange > pc->a)
                treached = pc->tchange;
            if (pc->end == PIECE_STOP)
                keep = &pc->last, steps = pc->tlast;
            else if (pc->end == PIECE_REACHED)
                keep = &pc->last, steps = treached;
        }
        if (keep) {
            kept = true;
            for (size_t c = 0; c < p->nprojects; c++) {
                int64_t votes = o->res[c].votes, score = o->res[c].score;
                o->res[c] = keep->res[c];
                o->res[c].votes = votes, o->res[c].score = score;
            }
            memcpy(o->order, keep->order, keep->nselected * sizeof *o->order);
            o->nselected = keep->nselected;
            o->spent = keep->spent;
            o->add1_steps = (unsigned)(steps > UINT_MAX ? UINT_MAX : steps);
            int64_t nv = (int64_t)profile_voters(p);
            o->per_voter_budget = (int64_t)((p->budget + (int64_t)steps * nv * 100) / nv);
            o->add1_exhaustive = exhaustive(p, o);
            break;
        }
        if (pc->end != PIECE_END) { /* given up: cannot be, a piece before it stops */
            rc = err_set(e, ERR_INTERNAL, "Add1 lost a piece of its raises (internal error)");
            break;
        }
        prev = pc;
    }
    if (!rc && x.rc)
        rc = err_set(e, ERR_NOMEM, "out of memory counting");
    else if (!rc && !kept) /* the last piece is always a stop (a voter alone pays everything) */
        rc = err_set(e, ERR_INTERNAL, "Add1 ended without a stop (internal error)");
    for (size_t i = 0; i < x.npc; i++) {
        outcome_free(&x.pc[i]->last);
        free(x.pc[i]->first);
        free(x.pc[i]);
    }
    free(x.pc);
    pthread_mutex_destroy(&x.mu);
    return rc;
}

static int mes(const struct profile *p, const struct tie_ctx *t, enum count_rule rule,
               const struct count_opts *opts, struct outcome *o, struct err *e)
{
    if (p->kind != VOTE_APPROVAL)
        return err_set(e, ERR_USAGE,
                       "the Method of Equal Shares counts approval ballots; use a greedy rule "
                       "for cumulative or ranked ballots");
    bool add1_rule = rule == COUNT_RULE_MES_ADD1 || rule == COUNT_RULE_MES_ADD1_GREEDY;
    struct counter *k = calloc(UTIL_MAX_THREADS, sizeof *k);
    if (!k)
        return err_set(e, ERR_NOMEM, "out of memory counting");
    for (int i = 0; i < UTIL_MAX_THREADS; i++) {
        k[i].m = (struct mes){.p = p, .t = t, .e = &k[i].e};
        mpq_init(k[i].beta);
    }
    int64_t nv = (int64_t)profile_voters(p);
    o->per_voter_budget = nv ? p->budget / nv : 0;
    int rc = count_mes_setup(&k[0].m), nk = 1;
    /* Add1: a counter per core (ISOLOIR_THREADS), as many as there is memory for */
    int want = add1_rule && !opts->single_thread && nv > 0 ? util_threads() : 1;
    while (!rc && nk < want && count_mes_setup(&k[nk].m) == 0)
        nk++;
    if (!rc && nv > 0) { /* nobody voted: nothing can be funded */
        beta_at(k[0].beta, p, 0);
        rc = count_mes_run(&k[0].m, k[0].beta, o);
        o->add1_runs = 1;
        if (!rc && add1_rule)
            rc = add1(p, opts, k, nk, o, e);
        if (!rc && rule == COUNT_RULE_MES_ADD1_GREEDY)
            rc = greedy(p, o, t, false, NULL, 2, e);
    }
    if (rc && k[0].e.code && !e->code)
        err_set(e, k[0].e.code, "%s", k[0].e.msg);
    for (int i = 0; i < UTIL_MAX_THREADS; i++) {
        outcome_free(&k[i].cur);
        outcome_free(&k[i].next);
        mpq_clear(k[i].beta);
        count_mes_free(&k[i].m);
    }
    free(k);
    return rc;
}

/* The comparison step: greedy by votes against the MES outcome `o`; every voter prefers the
 * outcome that spends more on projects he approves; if more voters prefer greedy, greedy is
 * the outcome. */
static int compare_with_greedy(const struct profile *p, const struct tie_ctx *t, struct outcome *o,
                               struct err *e)
{
    struct outcome g = {0};
    g.nprojects = p->nprojects;
    g.res = calloc(p->nprojects ? p->nprojects : 1, sizeof *g.res);
    g.order = calloc(p->nprojects ? p->nprojects : 1, sizeof *g.order);
    if (!g.res || !g.order) {
        outcome_free(&g);
        return err_set(e, ERR_NOMEM, "out of memory counting");
    }
    for (size_t c = 0; c < p->nprojects; c++)
        g.res[c].votes = o->res[c].votes, g.res[c].score = o->res[c].score;
    int rc = greedy(p, &g, t, false, NULL, 1, e);
    uint64_t pm = 0, pg = 0;
    for (size_t v = 0; !rc && v < p->nvoters; v++) {
        int64_t um = 0, ug = 0;
        for (size_t k = p->offs[v]; k < p->offs[v + 1]; k++) {
            uint32_t c = p->items[k];
            um += o->res[c].selected ? p->cost[c] : 0;
            ug += g.res[c].selected ? p->cost[c] : 0;
        }
        if (um > ug)
            pm += weight_of(p, v);
        else if (ug > um)
            pg += weight_of(p, v);
    }
    if (!rc) {
        o->prefer_mes = pm;
        o->prefer_greedy = pg;
        if (pg > pm) {
            unsigned steps = o->add1_steps, runs = o->add1_runs;
            int64_t pvb = o->per_voter_budget;
            swap_outcomes(o, &g);
            o->add1_steps = steps, o->add1_runs = runs, o->per_voter_budget = pvb;
            o->comparison_greedy = true;
            o->prefer_mes = pm;
            o->prefer_greedy = pg;
        }
    }
    outcome_free(&g);
    return rc;
}

int count_run(const struct profile *p, enum count_rule rule, const enum tie_break *tb,
              struct outcome *o, struct err *e)
{
    return count_run_opts(p, rule, tb, NULL, o, e);
}

int count_run_opts(const struct profile *p, enum count_rule rule, const enum tie_break *tb,
                   const struct count_opts *opts, struct outcome *o, struct err *e)
{
    static const struct count_opts none = {0};
    if (!opts)
        opts = &none;
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
    bool by_score = opts->score == SCORE_POINTS ||
                    (opts->score == SCORE_DEFAULT && rule == COUNT_RULE_GREEDY_SCORE);
    int rc = 0;
    switch (rule) {
    case COUNT_RULE_GREEDY_VOTES:
    case COUNT_RULE_GREEDY_SCORE: {
        struct count_opts g = *opts;
        g.reserve_pct = 0; /* only greedy-reserve may take money beyond the budget */
        rc = greedy(p, o, &t, by_score, &g, 1, e);
        break;
    }
    case COUNT_RULE_GREEDY_RESERVE: {
        struct count_opts r = *opts;
        r.no_skip = true;
        rc = greedy(p, o, &t, by_score, &r, 1, e);
        break;
    }
    case COUNT_RULE_MES:
    case COUNT_RULE_MES_ADD1:
    case COUNT_RULE_MES_ADD1_GREEDY:
        rc = mes(p, &t, rule, opts, o, e);
        if (!rc && opts->comparison)
            rc = compare_with_greedy(p, &t, o, e);
        break;
    default:
        rc = err_set(e, ERR_USAGE, "unknown counting rule");
    }
    if (rc) {
        outcome_free(o);
        return rc;
    }
    return 0;
}
