/*
 * count_mes — one run of the Method of Equal Shares (count_int.h), for count.c's mes().
 *
 * Voters with the same approval set form a group (real elections repeat ballots a lot). Groups
 * whose members hold the same budget form a class: at the start there is one class; when a
 * project is funded, each class holding supporters of it either pays as a whole or ends, split
 * into two new classes: its members who pay (their budget minus the price, or 0 for those who
 * pay all they have) and the others. A class never changes members, and which classes there
 * are depends only on the projects funded so far, never on the share; each project keeps the
 * list of classes approving it, in the order they were made. Prices are found class by class,
 * so pricing a project costs (its classes), not (its voters).
 *
 * So one run can follow the last: as long as it funds what the last run funded, round by
 * round, it finds the classes already made (tr[r], the classes approving each project at the
 * start of a round: mes_view) and only sets their budgets; no voter moves. At the first other
 * choice, the rounds after it are undone (mes_rollback) and the run goes on making its own
 * classes (mes_split). Add1 counts thousands of runs that differ late or not at all
 * (docs/perf-tally.md, "One run after another").
 *
 * Exactness (GMP): every budget is the share less the prices of the rounds in which its
 * members paid in full, and which rounds those are is a property of the class (a bit per round,
 * `hist`). So only each round's exact price is kept, as an integer over one common denominator
 * D (grown, when a price needs it, by the smallest factor that makes the price an integer over
 * D too); a class's exact budget is computed from its rounds where a decision needs it
 * (exact_budget, sum_budgets). Each class keeps its budget as a double-double (bud + blo), far
 * more precise than the 10^-7 within which a decision is taken again exactly: can the
 * supporters pay? who pays all he has? which project is cheapest per unit? The outcome is the
 * exact one.
 *
 * Within a run budgets only shrink, so a project's price per unit never falls from one round
 * to the next: the price found in an earlier round is a lower bound, and a round reprices only
 * the projects whose bound could beat the cheapest one found (lazy evaluation).
 *
 * The price on doubles is found by Newton's method, from the price the last run found for the
 * project in the same round (mes_view.rd).
 *
 * For Add1, count_mes_check replays a run's choices at a larger share and certifies that MES
 * makes the same choices at every share in between (docs/rules.md, "Raising without
 * stepping").
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "count_int.h"
#include "util.h"

#define MES_EPS 1e-7 /* relative gap below which a double comparison is redone exactly */

static bool near(double a, double b)
{
    if (isinf(a) || isinf(b)) /* an unpayable project (INFINITY) is near nothing finite */
        return a == b;
    double s = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= MES_EPS * s;
}

/* r = a · x, and r = r ± a · x, for counts of voters and costs in cents (x may not fit an
 * unsigned long where that is 32 bits: then through a temporary integer). */
static void mul_u64(mpz_t r, const mpz_t a, uint64_t x, int acc)
{
    if (x <= ULONG_MAX) {
        (acc > 0 ? mpz_addmul_ui : acc < 0 ? mpz_submul_ui : mpz_mul_ui)(r, a, (unsigned long)x);
        return;
    }
    mpz_t t;
    mpz_init(t);
    mpz_import(t, 1, 1, sizeof x, 0, 0, &x);
    (acc > 0 ? mpz_addmul : acc < 0 ? mpz_submul : mpz_mul)(r, a, t);
    mpz_clear(t);
}

/* A budget (num / D) as a double; num and D may both be out of a double's range. */
static double budget_d(const struct mes *m, const mpz_t num)
{
    long e;
    double d = mpz_get_d_2exp(&e, num);
    return ldexp(d / m->dd, (int)(e - m->de));
}

static void set_denominator(struct mes *m)
{
    m->dd = mpz_get_d_2exp(&m->de, m->D);
}

/* D becomes D · f: a new epoch. */
static void grow_denominator(struct mes *m, const mpz_t f)
{
    mpz_mul(m->D, m->D, f);
    set_denominator(m);
    for (uint32_t e = 0; e <= m->ep; e++)
        mpz_mul(m->F[e], m->F[e], f);
    mpz_set_ui(m->F[++m->ep], 1);
}

/* Room for n more entries of an array of `size`-byte entries holding *len of *cap. */
static bool room(void **a, size_t *cap, size_t len, size_t n, size_t size)
{
    if (len + n <= *cap)
        return true;
    size_t c = *cap ? *cap : 64;
    while (c < len + n)
        c *= 2;
    void *x = realloc(*a, c * size);
    if (!x)
        return false;
    *a = x;
    *cap = c;
    return true;
}

/* A new class split from `parent`, of `members` members. Returns its index, or -1 (out of
 * memory). */
static int32_t new_class(struct mes *m, int32_t parent, uint64_t members)
{
    if (m->ncls == m->capcls) {
        size_t cap = m->capcls ? m->capcls * 2 : 64;
        struct mes_class *c = realloc(m->cls, cap * sizeof *c);
        if (!c)
            return -1;
        m->cls = c;
        double *b = realloc(m->bud, cap * sizeof *b);
        if (!b)
            return -1;
        m->bud = b;
        double *lo = realloc(m->blo, cap * sizeof *lo);
        if (!lo)
            return -1;
        m->blo = lo;
        uint64_t *h = realloc(m->hist, cap * m->hw * sizeof *h);
        if (!h)
            return -1;
        m->hist = h;
        m->capcls = cap;
    }
    struct mes_class *k = &m->cls[m->ncls];
    k->parent = parent;
    k->rest = k->child = -1;
    k->members = members;
    k->nz0 = k->nz1 = m->nnz;
    memset(m->hist + m->ncls * m->hw, 0, m->hw * sizeof *m->hist);
    return (int32_t)m->ncls++;
}

/* The bits of a word below bit n (all of them from n = 64 on). */
static uint64_t below_mask(uint32_t n)
{
    return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
}

/* The index of the lowest bit set in x (x != 0). */
static uint32_t lowest_bit(uint64_t x)
{
#if defined(__GNUC__)
    return (uint32_t)__builtin_ctzll(x);
#else
    uint32_t i = 0;
    for (; !(x & 1); x >>= 1)
        i++;
    return i;
#endif
}

/* (h, l) = (ah + al) − (bh + bl) to about twice a double's precision (the sum of two doubles,
 * its error kept). */
static void dd_sub(double ah, double al, double bh, double bl, double *h, double *l)
{
    double s = ah - bh, v = s - ah;
    double e = (ah - (s - v)) - (bh + v);
    e += al - bl;
    *h = s + e;
    *l = e - (*h - s);
}

/* Class k's budget at the start of round r, exactly, times D: the share less the prices of
 * the rounds its members paid in full before r. */
static void exact_budget(struct mes *m, uint32_t k, uint32_t r, mpz_t out)
{
    mpz_mul(out, m->bnum, m->F[0]);
    const uint64_t *h = m->hist + (size_t)k * m->hw;
    for (uint32_t t0 = 0; t0 < r; t0 += 64)
        for (uint64_t x = h[t0 / 64] & below_mask(r - t0); x; x &= x - 1) {
            uint32_t t = t0 + lowest_bit(x);
            mpz_submul(out, m->zr[t], m->F[m->er[t]]);
        }
}

/* Class k (the last made) approves project j with n members: listed for j. */
static inline bool add_sup(struct mes *m, uint32_t k, uint32_t j, uint32_t n)
{
    if ((m->nsup[j] == m->capsup[j] &&
         !room((void **)&m->sup[j], &m->capsup[j], m->nsup[j], 1, sizeof **m->sup)) ||
        (m->nnz == m->capnz && !room((void **)&m->nz, &m->capnz, m->nnz, 1, sizeof *m->nz)))
        return false;
    m->sup[j][m->nsup[j]++] = (struct mes_sup){.k = k, .n = n};
    m->nz[m->nnz++] = (struct mes_cnt){.j = j, .n = n};
    m->cls[k].nz1 = m->nnz;
    return true;
}

static int cmp_sets(const struct profile *p, uint32_t a, uint32_t b)
{
    size_t na = p->offs[a + 1] - p->offs[a], nb = p->offs[b + 1] - p->offs[b];
    if (na != nb)
        return na < nb ? -1 : 1;
    return memcmp(p->items + p->offs[a], p->items + p->offs[b], na * sizeof(uint32_t));
}

/* Stable merge sort of n indexes by cmp(ctx, a, b); tmp holds n entries. */
static void sort_idx(uint32_t *a, size_t n, int (*cmp)(const void *, uint32_t, uint32_t),
                     const void *ctx, uint32_t *tmp)
{
    if (n < 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && cmp(ctx, a[j - 1], a[j]) > 0; j--) {
                uint32_t t = a[j];
                a[j] = a[j - 1];
                a[j - 1] = t;
            }
        return;
    }
    size_t h = n / 2;
    sort_idx(a, h, cmp, ctx, tmp);
    sort_idx(a + h, n - h, cmp, ctx, tmp);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp(ctx, a[j], a[i]) < 0 ? a[j++] : a[i++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static int cmp_voters_by_set(const void *ctx, uint32_t a, uint32_t b)
{
    return cmp_sets(ctx, a, b);
}

static uint32_t *uint_list(size_t n)
{
    return malloc((n ? n : 1) * sizeof(uint32_t));
}

/* Groups voters by approval set; lists each project's supporting groups. */
int count_mes_setup(struct mes *m)
{
    const struct profile *p = m->p;
    m->sorted = *p;
    m->sorted.items = uint_list(p->nitems);
    uint32_t *order = uint_list(p->nvoters);
    m->g = calloc(p->nvoters ? p->nvoters : 1, sizeof *m->g);
    m->supp = calloc(p->nprojects ? p->nprojects : 1, sizeof *m->supp);
    m->nsupp = calloc(p->nprojects ? p->nprojects : 1, sizeof *m->nsupp);
    m->pr = calloc(p->nprojects ? p->nprojects : 1, sizeof *m->pr);
    size_t np = p->nprojects ? p->nprojects : 1;
    m->lb = malloc(np * sizeof *m->lb);
    m->touched = calloc(np, sizeof *m->touched);
    m->cnt0 = calloc(np, sizeof *m->cnt0);
    m->tr = calloc(np + 2, sizeof *m->tr); /* a round funds a project, the last funds none */
    m->sup = calloc(np, sizeof *m->sup);
    m->nsup = calloc(np, sizeof *m->nsup);
    m->capsup = calloc(np, sizeof *m->capsup);
    m->funded = calloc(np, sizeof *m->funded);
    m->heap = calloc(np, sizeof *m->heap);
    m->rv = calloc(np + 2, sizeof *m->rv);
    m->hw = (np + 2 + 63) / 64; /* rounds 1 .. np + 1 */
    m->zr = malloc((np + 2) * sizeof *m->zr);
    m->er = calloc(np + 2, sizeof *m->er);
    m->rhi = calloc(np + 2, sizeof *m->rhi);
    m->rlo = calloc(np + 2, sizeof *m->rlo);
    m->w = calloc(np + 2, sizeof *m->w);
    m->covw = (np + 63) / 64;
    m->cov = calloc((np + 2) * m->covw, sizeof *m->cov);
    m->rho = malloc(np * sizeof *m->rho);
    m->F = malloc((np + 2) * sizeof *m->F);
    m->seq.c = uint_list(np);
    m->nseq.c = uint_list(np);
    m->seq.rho = malloc(np * sizeof(mpq_t));
    m->nseq.rho = malloc(np * sizeof(mpq_t));
    if (!m->sorted.items || !order || !m->g || !m->supp || !m->nsupp || !m->pr || !m->lb ||
        !m->touched || !m->cnt0 || !m->tr || !m->sup || !m->nsup || !m->capsup || !m->funded ||
        !m->cov || !m->rv || !m->rho || !m->F || !m->seq.c || !m->nseq.c || !m->seq.rho ||
        !m->nseq.rho) {
        free(order);
        free(m->rho), free(m->seq.rho), free(m->nseq.rho), free(m->F), free(m->zr);
        m->rho = m->seq.rho = m->nseq.rho = NULL;
        m->F = NULL;
        m->zr = NULL;
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    }
    for (size_t c = 0; c < p->nprojects; c++)
        mpq_inits(m->rho[c], m->seq.rho[c], m->nseq.rho[c], NULL);
    mpq_inits(m->a, m->b, NULL);
    mpz_inits(m->D, m->bnum, m->za, m->zb, NULL);
    for (size_t r = 0; r < np + 2; r++)
        mpz_init(m->zr[r]);
    for (size_t e = 0; e < np + 2; e++) /* a new epoch at most once a round */
        mpz_init(m->F[e]);
    if (p->nitems)
        memcpy(m->sorted.items, p->items, p->nitems * sizeof(uint32_t));
    for (size_t v = 0; v < p->nvoters; v++) {
        uint32_t *s = m->sorted.items + p->offs[v];
        size_t n = p->offs[v + 1] - p->offs[v];
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && s[j - 1] > s[j]; j--) {
                uint32_t t = s[j];
                s[j] = s[j - 1];
                s[j - 1] = t;
            }
        order[v] = (uint32_t)v;
    }
    uint32_t *tmp = uint_list(p->nvoters);
    if (!tmp) {
        free(order);
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    }
    sort_idx(order, p->nvoters, cmp_voters_by_set, &m->sorted, tmp);
    free(tmp);
    for (size_t i = 0; i < p->nvoters; i++) {
        if (m->ng && cmp_sets(&m->sorted, m->g[m->ng - 1].first, order[i]) == 0) {
            m->g[m->ng - 1].size += weight_of(p, order[i]);
            continue;
        }
        m->g[m->ng++] = (struct mes_group){.first = order[i], .size = weight_of(p, order[i])};
    }
    free(order);
    /* each group's projects, group after group (payments walk them in that order) */
    m->goff = malloc((m->ng + 1) * sizeof *m->goff);
    size_t ni = 0;
    for (size_t g = 0; g < m->ng; g++)
        ni += m->sorted.offs[m->g[g].first + 1] - m->sorted.offs[m->g[g].first];
    m->gitems = uint_list(ni);
    if (!m->goff || !m->gitems)
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    ni = 0;
    for (size_t g = 0; g < m->ng; g++) {
        m->goff[g] = ni;
        for (size_t k = m->sorted.offs[m->g[g].first]; k < m->sorted.offs[m->g[g].first + 1]; k++)
            m->gitems[ni++] = m->sorted.items[k];
    }
    m->goff[m->ng] = ni;
    free(m->sorted.items);
    m->sorted.items = NULL;
    for (size_t g = 0; g < m->ng; g++)
        for (size_t k = m->goff[g]; k < m->goff[g + 1]; k++)
            m->nsupp[m->gitems[k]]++;
    for (size_t c = 0; c < p->nprojects; c++) {
        /* at most one class per supporting group approves it */
        size_t n = m->nsupp[c] ? m->nsupp[c] : 1;
        m->supp[c] = uint_list(n);
        m->pr[c].it = malloc((n + 1) * sizeof *m->pr[c].it); /* (+1: mes_price writes ahead) */
        if (!m->supp[c] || !m->pr[c].it)
            return err_set(m->e, ERR_NOMEM, "out of memory counting");
        m->nsupp[c] = 0;
    }
    for (size_t g = 0; g < m->ng; g++)
        for (size_t k = m->goff[g]; k < m->goff[g + 1]; k++) {
            uint32_t c = m->gitems[k];
            m->supp[c][m->nsupp[c]++] = (uint32_t)g;
            m->cnt0[c] += m->g[g].size;
        }
    /* scratch for the exact budgets of a price's list (at most one class per group) */
    size_t most = 1;
    for (size_t c = 0; c < p->nprojects; c++)
        most = m->nsupp[c] > most ? m->nsupp[c] : most;
    m->xb = malloc(most * sizeof *m->xb);
    if (!m->xb)
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    for (; m->nxb < most; m->nxb++)
        mpz_init(m->xb[m->nxb]);
    /* class 0: everybody (every group is in it); no round run yet */
    uint64_t all = 0;
    for (size_t g = 0; g < m->ng; g++)
        all += m->g[g].size;
    if (new_class(m, -1, all) < 0)
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    for (uint32_t c = 0; c < p->nprojects; c++) {
        if (m->cnt0[c] && !add_sup(m, 0, c, m->cnt0[c]))
            return err_set(m->e, ERR_NOMEM, "out of memory counting");
    }
    return 0;
}

void count_mes_free(struct mes *m)
{
    for (size_t r = 0; m->zr && r < (m->p->nprojects ? m->p->nprojects : 1) + 2; r++)
        mpz_clear(m->zr[r]);
    free(m->zr);
    for (size_t i = 0; i < m->nxb; i++)
        mpz_clear(m->xb[i]);
    free(m->xb);
    free(m->er);
    free(m->rhi);
    free(m->rlo);
    free(m->w);
    free(m->blo);
    free(m->hist);
    free(m->cls);
    free(m->scr);
    free(m->bud);
    free(m->nz);
    free(m->tr);
    free(m->ent);
    free(m->funded);
    free(m->heap);
    free(m->cov);
    for (size_t r = 0; m->rv && r < (m->p->nprojects ? m->p->nprojects : 1) + 2; r++) {
        free(m->rv[r].v);
        free(m->rv[r].pool);
    }
    free(m->rv);
    for (size_t c = 0; m->p && c < m->p->nprojects; c++) {
        if (m->supp)
            free(m->supp[c]);
        if (m->pr) {
            free(m->pr[c].it);
        }
        if (m->sup)
            free(m->sup[c]);
        if (m->rho)
            mpq_clears(m->rho[c], m->seq.rho[c], m->nseq.rho[c], NULL);
    }
    if (m->rho) {
        mpq_clears(m->a, m->b, NULL);
        mpz_clears(m->D, m->bnum, m->za, m->zb, NULL);
        for (size_t e = 0; e < (m->p->nprojects ? m->p->nprojects : 1) + 2; e++)
            mpz_clear(m->F[e]);
    }
    free(m->F);
    free(m->rho);
    free(m->seq.rho);
    free(m->nseq.rho);
    free(m->seq.c);
    free(m->nseq.c);
    free(m->lb);
    free(m->touched);
    free(m->cnt0);
    free(m->sup);
    free(m->nsup);
    free(m->capsup);
    free(m->pr);
    free(m->supp);
    free(m->nsupp);
    free(m->g);
    free(m->sorted.items);
    free(m->gitems);
    free(m->goff);
}

/* out = Σ n_i · b_i, times D, over the classes of c's list whose budget (rounded) is below
 * `below`, at the start of round r; *n gets Σ n_i. Each budget is the share less the prices of
 * the rounds its members paid in full, so the sum is the share times Σ n_i less, for each
 * round, its price times the members among them who paid it. */
static void sum_budgets(struct mes *m, const struct mes_price *pr, uint32_t r, double below,
                        mpz_t out, uint64_t *n)
{
    uint64_t all = 0;
    memset(m->w, 0, (size_t)r * sizeof *m->w);
    for (uint32_t i = 0; i < pr->nlist; i++) {
        if (pr->it[i].b >= below)
            continue;
        all += pr->it[i].n;
        const uint64_t *h = m->hist + (size_t)pr->it[i].k * m->hw;
        for (uint32_t t0 = 0; t0 < r; t0 += 64) /* the bits set below r, word by word */
            for (uint64_t x = h[t0 / 64] & below_mask(r - t0); x; x &= x - 1)
                m->w[t0 + lowest_bit(x)] += pr->it[i].n;
    }
    mul_u64(out, m->bnum, all, 0);
    mpz_mul(out, out, m->F[0]);
    for (uint32_t t = 1; t < r; t++)
        if (m->w[t]) {
            mul_u64(m->zb, m->zr[t], m->w[t], 0);
            mpz_submul(out, m->zb, m->F[m->er[t]]);
        }
    *n = all;
}

#ifndef NDEBUG
/* Σ min(b, rho[c]) over c's supporters is its cost, exactly (checked after every exact price
 * in a debug build; the near ties of tests/tally/test_model.c reach the exact paths). */
static bool price_ok(struct mes *m, uint32_t c, uint32_t r)
{
    const struct mes_price *pr = &m->pr[c];
    mpq_t sum, b, t;
    mpq_inits(sum, b, t, NULL);
    for (uint32_t i = 0; i < pr->nlist; i++) {
        exact_budget(m, pr->it[i].k, r, m->zb);
        mpq_set_num(b, m->zb);
        mpq_set_den(b, m->D);
        mpq_canonicalize(b);
        mpq_set(t, mpq_cmp(b, m->rho[c]) < 0 ? b : m->rho[c]);
        mul_u64(mpq_numref(b), mpq_numref(t), pr->it[i].n, 0);
        mpz_set(mpq_denref(b), mpq_denref(t));
        mpq_canonicalize(b);
        mpq_add(sum, sum, b);
    }
    mpq_set_si(b, m->p->cost[c], 1);
    bool ok = mpq_equal(sum, b);
    mpq_clears(sum, b, t, NULL);
    return ok;
}
#endif

static void swap_entry(struct mes *m, struct mes_price *pr, uint32_t i, uint32_t j)
{
    struct mes_item t = pr->it[i];
    pr->it[i] = pr->it[j];
    pr->it[j] = t;
    mpz_swap(m->xb[i], m->xb[j]);
}

/* Exact price of project c over its list at round r: the smallest p with Σ min(b_i, p) = C.
 * Fills rho[c]. Who pays all he has (b_i < p) is known from the doubles when pr->sure, else
 * found exactly: each pass moves to the front those whose budget is below the price the
 * others would pay then (the price only rises, so nobody moved is wrong), until a pass moves
 * nobody. The project is affordable, so someone pays in full. */
static void mes_price_exact(struct mes *m, uint32_t c, uint32_t r)
{
    struct mes_price *pr = &m->pr[c];
    uint64_t k = 0; /* members not poor */
    for (uint32_t i = 0; i < pr->nlist; i++)
        k += pr->it[i].n;
    if (pr->sure) {
        uint64_t np;
        sum_budgets(m, pr, r, pr->rd, m->za, &np);
        mpz_neg(m->za, m->za);
        mul_u64(m->zb, m->D, (uint64_t)m->p->cost[c], 0);
        mpz_add(m->za, m->za, m->zb); /* rest = C − Σ poor budgets, times D */
        k -= np;
    } else {
        for (uint32_t i = 0; i < pr->nlist; i++)
            exact_budget(m, pr->it[i].k, r, m->xb[i]);
        mul_u64(m->za, m->D, (uint64_t)m->p->cost[c], 0);
        uint32_t np = 0;
        for (bool more = true; more;) {
            more = false;
            for (uint32_t i = np; i < pr->nlist; i++) {
                mul_u64(m->zb, m->xb[i], k, 0); /* poor iff rest > budget · k */
                if (mpz_cmp(m->za, m->zb) <= 0)
                    continue;
                mul_u64(m->za, m->xb[i], pr->it[i].n, -1);
                k -= pr->it[i].n;
                swap_entry(m, pr, i, np++);
                more = true;
            }
        }
    }
    mul_u64(m->zb, m->D, k ? k : 1, 0); /* rho = rest / (k · D) */
    mpq_set_num(m->rho[c], m->za);
    mpq_set_den(m->rho[c], m->zb);
    mpq_canonicalize(m->rho[c]);
    pr->rd = mpq_get_d(m->rho[c]);
    pr->exact = true;
    assert(price_ok(m, c, r));
}

/* The price on doubles, by Newton's method on f(p) = Σ min(b_i, p) − C from a guess g: those
 * below g pay all they have, the others share the rest; f is concave, so after the first step
 * the price is approached from below, and it is found when the step leaves everybody on his
 * side (with a good guess, the first pass). pr->sure unless a budget is too near the price
 * (or too much cancels out) for doubles to tell which side it is on. */
static void price_d(struct mes_price *pr, double C, double g)
{
    uint64_t all = 0;
    for (uint32_t i = 0; i < pr->nlist; i++)
        all += pr->it[i].n;
    pr->sure = false;
    if (!(g > 0))
        g = C / (double)all;
    for (int pass = 0; pass < 64; pass++) {
        double below = 0, lo = -1, hi = INFINITY;
        uint64_t k = all;
        for (uint32_t i = 0; i < pr->nlist; i++) {
            double b = pr->it[i].b;
            if (b < g) {
                below += (double)pr->it[i].n * b;
                k -= pr->it[i].n;
                lo = b > lo ? b : lo;
            } else {
                hi = b < hi ? b : hi;
            }
        }
        double rest = C - below;
        if (k == 0 || rest < 1e-4 * C)
            return;
        double rho = rest / (double)k;
        if (lo < rho && rho <= hi) { /* nobody changes side */
            if (near(lo, rho) || near(hi, rho))
                return;
            pr->rd = rho;
            pr->sure = true;
            return;
        }
        g = rho;
    }
}

/* The classes approving c at the start of round r, not split (mes_view): from the round's
 * views, found now if not there yet. *n gets their number. NULL if there is no memory for a
 * view: then the caller reads sup[c] itself. */
static const struct mes_sup *view(struct mes *m, uint32_t c, uint32_t r, uint32_t *n)
{
    struct mes_rview *rv = &m->rv[r];
    if (!rv->v) {
        rv->v = calloc(m->p->nprojects, sizeof *rv->v);
        if (!rv->v)
            return NULL;
        rv->gen = 1;
    }
    struct mes_view *w = &rv->v[c];
    if (w->gen != rv->gen) {
        /* from the view of an earlier round, if any (those split since are left out), and
         * the classes made since; else from all the classes approving c */
        uint32_t r0 = r;
        while (--r0 > 0 && !(m->rv[r0].v && m->rv[r0].v[c].gen == m->rv[r0].gen))
            ;
        const struct mes_view *w0 = r0 ? &m->rv[r0].v[c] : NULL;
        const struct mes_sup *sp = m->sup[c];
        size_t ns = m->nsup[c], i = 0;
        if (r0) { /* the first class made in round r0 or later */
            size_t hi = ns;
            while (i < hi) {
                size_t mid = i + (hi - i) / 2;
                if (sp[mid].k < m->tr[r0].cls0)
                    i = mid + 1;
                else
                    hi = mid;
            }
        }
        /* (one more: the pool exists even for an empty view) */
        if (!room((void **)&rv->pool, &rv->cap, rv->npool, (w0 ? w0->n : 0) + ns - i + 1,
                  sizeof *rv->pool))
            return NULL;
        struct mes_sup *out = rv->pool + rv->npool;
        uint32_t k = 0;
        for (uint32_t j = 0; w0 && j < w0->n; j++) {
            struct mes_sup x = m->rv[r0].pool[w0->off + j];
            if (m->bud[x.k] >= 0)
                out[k++] = x;
        }
        for (; i < ns && sp[i].k < m->lim; i++)
            if (m->bud[sp[i].k] >= 0)
                out[k++] = sp[i];
        w->off = rv->npool;
        w->n = k;
        w->gen = rv->gen;
        w->rd = 0;
        rv->npool += k;
    }
    *n = w->n;
    return rv->pool + w->off;
}

/* Views of rounds after r are no longer those of the last run. */
static void views_drop(struct mes *m, uint32_t r)
{
    for (size_t t = r + 1; t < m->p->nprojects + 2; t++) {
        if (!m->rv[t].v || m->rv[t].npool == 0)
            continue;
        m->rv[t].gen++;
        m->rv[t].npool = 0;
    }
}

/* Prices project c in round r (pr[c], lb[c]: INFINITY if its supporters cannot pay it). */
static void mes_price(struct mes *m, uint32_t c, uint32_t r)
{
    const struct profile *p = m->p;
    struct mes_price *pr = &m->pr[c];
    m->priced++;
    pr->round = r;
    pr->nlist = 0;
    pr->exact = false;
    pr->afford = false;
    m->lb[c] = INFINITY;
    double S = 0, C = (double)p->cost[c];
    uint32_t nv;
    const struct mes_sup *sp = view(m, c, r, &nv);
    size_t n = nv;
    if (!sp) /* no memory for a view: every class that ever approved c, up to this round's */
        for (sp = m->sup[c], n = 0; n < m->nsup[c] && sp[n].k < m->lim;)
            n++;
    /* those with a budget (not split, something left), written without a branch: about half
     * the classes of a view have nothing left, at random */
    uint32_t nl = 0;
    for (size_t i = 0; i < n; i++) {
        double b = m->bud[sp[i].k];
        pr->it[nl] = (struct mes_item){.k = sp[i].k, .n = sp[i].n, .b = b};
        uint64_t has = b > 0, bits;
        nl += (uint32_t)has;
        /* b, or 0 without a test: compilers make `has ? b : 0` a branch, which the processor
         * guesses wrong about half the time here */
        memcpy(&bits, &b, sizeof bits);
        bits &= -has;
        memcpy(&b, &bits, sizeof b);
        S += (double)sp[i].n * b;
    }
    pr->nlist = nl;
    if (pr->nlist == 0)
        return;
    /* can the supporters pay C? */
    if (near(S, C)) {
        uint64_t all;
        sum_budgets(m, pr, r, INFINITY, m->za, &all);
        mul_u64(m->zb, m->D, (uint64_t)p->cost[c], 0);
        pr->afford = mpz_cmp(m->za, m->zb) >= 0;
    } else {
        pr->afford = S > C;
    }
    if (!pr->afford)
        return;
    /* a guess: the last run's price here, else this run's last (prices only rise) */
    struct mes_view *w = m->rv[r].v ? &m->rv[r].v[c] : NULL;
    double g = w && w->gen == m->rv[r].gen && w->rd > 0 ? w->rd
               : m->lb[c] > 0 && m->lb[c] < INFINITY    ? m->lb[c] * C
                                                        : 0;
    price_d(pr, C, g);
    if (!pr->sure)
        mes_price_exact(m, c, r);
    if (w)
        w->rd = pr->rd;
    m->lb[c] = C > 0 ? pr->rd / C : 0;
}

/* Exact sign of key(c) − key(d), key = rho / C; both exact. */
static int key_cmp_exact(struct mes *m, uint32_t c, uint32_t d)
{
    mpq_set_si(m->a, m->p->cost[d], 1);
    mpq_mul(m->a, m->a, m->rho[c]);
    mpq_set_si(m->b, m->p->cost[c], 1);
    mpq_mul(m->b, m->b, m->rho[d]);
    return mpq_cmp(m->a, m->b);
}

/* Round r made for the first time (the last run did not fund c in it): every class holding
 * supporters of c either pays as a whole or is split into two new classes, its paying
 * groups and the others; each new class is listed for the projects its members approve that
 * are not funded yet. Recorded in tr[r]. Returns 0 or -1 (out of memory). */
static int mes_split(struct mes *m, uint32_t c, uint32_t r)
{
    size_t P = m->p->nprojects;
    struct mes_round *R = &m->tr[r];
    R->c = c;
    R->cls0 = (uint32_t)m->ncls;
    R->e0 = m->nent;
    const struct mes_sup *sp = m->sup[c];
    for (size_t i = 0, n = m->nsup[c]; i < n && sp[i].k < m->lim; i++) {
        uint32_t k = sp[i].k;
        if (m->bud[k] < 0)
            continue; /* split already */
        if (!room((void **)&m->ent, &m->capent, m->nent, 1, sizeof *m->ent))
            return -1;
        struct mes_entry e = {.k = k, .rest = -1, .child = -1};
        uint64_t all = m->cls[k].members;
        if (sp[i].n != all) {
            e.rest = new_class(m, (int32_t)k, all - sp[i].n);
            e.child = e.rest < 0 ? -1 : new_class(m, (int32_t)k, sp[i].n);
            if (e.child < 0)
                return -1;
            m->cls[k].child = e.child;
            /* the rest paid what it paid, the payers that and round r */
            memcpy(m->hist + (size_t)e.rest * m->hw, m->hist + (size_t)k * m->hw,
                   m->hw * sizeof *m->hist);
            memcpy(m->hist + (size_t)e.child * m->hw, m->hist + (size_t)k * m->hw,
                   m->hw * sizeof *m->hist);
        }
        m->hist[(size_t)(e.child < 0 ? k : (uint32_t)e.child) * m->hw + r / 64] |= (uint64_t)1
                                                                                   << (r % 64);
        m->ent[m->nent++] = e;
    }
    /* the paying groups move, their counts (of projects not funded yet) to their part's
     * scratch row: the i-th split made the classes cls0 + 2i (the rest), cls0 + 2i + 1 */
    size_t nsplit = (m->ncls - R->cls0) / 2;
    if (nsplit * P > m->capscr) {
        uint32_t *x = realloc(m->scr, nsplit * P * sizeof *x);
        if (!x)
            return -1;
        memset(x + m->capscr, 0, (nsplit * P - m->capscr) * sizeof *x);
        m->scr = x;
        m->capscr = nsplit * P;
    }
    for (size_t i = 0; i < m->nsupp[c]; i++) {
        uint32_t gi = m->supp[c][i];
        struct mes_group *g = &m->g[gi];
        uint32_t k = g->cls;
        while (m->cls[k].rest >= 0) /* a class split since: it stayed with the rest */
            k = (uint32_t)m->cls[k].rest;
        int32_t y = m->cls[k].child;
        g->cls = y < 0 ? k : (uint32_t)y;
        if (y < 0)
            continue; /* its class pays as a whole */
        uint32_t *cy = m->scr + (size_t)(y - R->cls0) / 2 * P;
        for (size_t j = m->goff[gi]; j < m->goff[gi + 1]; j++) { /* (no branch: see mes_price) */
            uint32_t it = m->gitems[j];
            cy[it] += g->size & -(uint32_t)((it != c) & !m->funded[it]);
        }
    }
    /* each split class's counts go to its two parts (the projects its payers approve are among
     * its own), which are listed for them */
    for (size_t e = R->e0; e < m->nent; e++) {
        const struct mes_entry *x = &m->ent[e];
        struct mes_class *K = &m->cls[x->k];
        K->child = -1;
        if (x->child < 0)
            continue;
        K->rest = x->rest;
        uint32_t *cy = m->scr + (size_t)(x->child - (int32_t)R->cls0) / 2 * P;
        m->cls[x->rest].nz0 = m->cls[x->rest].nz1 = m->nnz;
        for (size_t i = K->nz0; i < K->nz1; i++) {
            struct mes_cnt kc = m->nz[i];
            if (kc.j != c && !m->funded[kc.j] && kc.n > cy[kc.j] &&
                !add_sup(m, (uint32_t)x->rest, kc.j, kc.n - cy[kc.j]))
                return -1;
        }
        m->cls[x->child].nz0 = m->cls[x->child].nz1 = m->nnz;
        for (size_t i = K->nz0; i < K->nz1; i++) {
            uint32_t j = m->nz[i].j;
            if (cy[j] && !add_sup(m, (uint32_t)x->child, j, cy[j]))
                return -1;
            cy[j] = 0;
        }
    }
    /* the projects some payer approves (mes_pay) */
    uint64_t *cov = m->cov + (size_t)r * m->covw;
    memset(cov, 0, m->covw * sizeof *cov);
    for (size_t e = R->e0; e < m->nent; e++) {
        const struct mes_entry *x = &m->ent[e];
        const struct mes_class *y = &m->cls[x->child < 0 ? x->k : (uint32_t)x->child];
        for (size_t i = y->nz0; i < y->nz1; i++)
            cov[m->nz[i].j / 64] |= (uint64_t)1 << (m->nz[i].j % 64);
    }
    R->cls1 = (uint32_t)m->ncls;
    R->e1 = m->nent;
    m->ntr = r;
    views_drop(m, r);
    return 0;
}

/* Undoes rounds r .. ntr of the last run, whose choices are not this run's: each group goes
 * back to the class it was in before round r, the classes made since are dropped. The
 * budgets are already this run's up to round r - 1. */
static void mes_rollback(struct mes *m, uint32_t r)
{
    if (r > m->ntr)
        return;
    uint32_t cls0 = m->tr[r].cls0;
    for (uint32_t t = r; t <= m->ntr; t++)
        for (size_t e = m->tr[t].e0; e < m->tr[t].e1; e++) {
            const struct mes_entry *x = &m->ent[e];
            m->cls[x->k].rest = -1;
            if (x->child < 0) /* it paid as a whole in round t */
                m->hist[(size_t)x->k * m->hw + t / 64] &= ~((uint64_t)1 << (t % 64));
        }
    for (size_t g = 0; g < m->ng; g++) {
        uint32_t k = m->g[g].cls;
        while (k >= cls0)
            k = (uint32_t)m->cls[k].parent;
        m->g[g].cls = k;
    }
    for (size_t j = 0; j < m->p->nprojects; j++)
        while (m->nsup[j] && m->sup[j][m->nsup[j] - 1].k >= cls0)
            m->nsup[j]--;
    if (cls0 < m->ncls)
        m->nnz = m->cls[cls0].nz0;
    m->ncls = cls0;
    m->nent = m->tr[r].e0;
    m->ntr = r - 1;
    views_drop(m, r);
}

/* The supporters of c pay for it in round r: the classes split as the last run split them if
 * it funded c in round r too (no group moves), else made now (mes_split). Those who pay all
 * they have keep a class with no budget: the classes depend on the choices only, never on
 * the share. Returns 0 or -1 (out of memory). */
static int mes_pay(struct mes *m, uint32_t c, uint32_t r)
{
    size_t P = m->p->nprojects;
    struct mes_price *pr = &m->pr[c];
    if (!pr->exact)
        mes_price_exact(m, c, r);
    /* the price as an integer over D (in za): D grows by the smallest factor that makes it
     * one */
    mpz_srcptr q = mpq_denref(m->rho[c]);
    mpz_gcd(m->zb, q, m->D);
    mpz_divexact(m->zb, q, m->zb);
    if (mpz_cmp_ui(m->zb, 1) > 0)
        grow_denominator(m, m->zb);
    mpz_divexact(m->za, m->D, q);
    mpz_mul(m->za, m->za, mpq_numref(m->rho[c]));
    mpz_set(m->zr[r], m->za); /* the round's price, kept for the budgets it lowered */
    m->er[r] = m->ep;
    m->rhi[r] = pr->rd;
    mpq_set_d(m->a, pr->rd);
    mpq_sub(m->a, m->rho[c], m->a);
    m->rlo[r] = mpq_get_d(m->a);
    assert(r <= m->ntr + 1 && (r > m->ntr || m->tr[r].c == c));
    if (r > m->ntr && mes_split(m, c, r))
        return -1;
    const struct mes_round *R = &m->tr[r];
    /* the projects priced this round keep their price for the next one (mes_fund) unless one
     * of the payers approves them */
    const uint64_t *cov = m->cov + (size_t)r * m->covw;
    for (size_t j = 0; j < P; j++)
        if (m->pr[j].round == r && j != c && (cov[j / 64] >> (j % 64) & 1))
            m->touched[j] = r;
    /* budgets: the rest keep theirs, the payers' is less the price (0 if that is all they
     * have). Budgets are kept to twice a double's precision, so a few dozen rounds leave them
     * far within MES_EPS; the exact budget (exact_budget) decides when the doubles cannot,
     * and gives the double of a budget too small for them. */
    for (size_t e = R->e0; e < R->e1; e++) {
        const struct mes_entry *x = &m->ent[e];
        uint32_t k = x->k;
        m->cls[k].child = -1;
        double b = m->bud[k], bl = m->blo[k];
        if (x->rest >= 0) {
            m->bud[x->rest] = b;
            m->blo[x->rest] = bl;
            m->bud[k] = -1;
        }
        uint32_t to = x->child < 0 ? k : (uint32_t)x->child;
        m->bud[to] = m->blo[to] = 0;
        if (b == 0)
            continue;
        int left = b < pr->rd ? -1 : 1; /* sign of budget − price */
        if (near(b, pr->rd)) {
            exact_budget(m, k, r, m->zb);
            left = mpz_cmp(m->zb, m->za);
        }
        if (left <= 0)
            continue; /* pays all it has */
        double h, l;
        dd_sub(b, bl, m->rhi[r], m->rlo[r], &h, &l);
        if (!(h > 0x1p-40 * m->bhi)) {
            exact_budget(m, k, r, m->zb);
            mpz_sub(m->zb, m->zb, m->za);
            h = budget_d(m, m->zb), l = 0;
        }
        m->bud[to] = h;
        m->blo[to] = l;
    }
    m->lim = R->cls1;
    return 0;
}

/* Funds c in round r of the run: records it and its supporters pay. A project none of whose
 * supporters paid keeps its price, which is then still fresh in round r + 1. */
static int mes_fund(struct mes *m, uint32_t c, uint32_t r, struct outcome *o)
{
    if (r <= m->ntr && m->tr[r].c != c)
        mes_rollback(m, r); /* the last run's choices end here */
    if (!m->pr[c].exact)
        mes_price_exact(m, c, r);
    count_select(o, m->p, c, 1);
    double price = m->pr[c].rd;
    o->res[c].eff = price > 0 ? (double)m->p->cost[c] / price : 0;
    m->nseq.c[m->nseq.n] = c;
    mpq_set(m->nseq.rho[m->nseq.n++], m->rho[c]);
    if (mes_pay(m, c, r))
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    m->funded[c] = true;
    for (size_t j = 0; j < m->p->nprojects; j++)
        if (m->pr[j].round == r && m->touched[j] != r && !o->res[j].selected)
            m->pr[j].round = r + 1;
    return 0;
}

/* Start of a run: every voter holds beta, in class 0. The classes the last run made stay, to
 * be replayed as long as this run makes the same choices. */
static int mes_start(struct mes *m, const mpq_t beta, struct outcome *o)
{
    const struct profile *p = m->p;
    size_t P = p->nprojects;
    for (size_t c = 0; c < P; c++) {
        o->res[c].selected = false;
        o->res[c].round = 0;
        o->res[c].phase = 0;
        o->res[c].eff = 0;
        m->pr[c].round = 0;
        m->touched[c] = 0;
        m->lb[c] = -INFINITY;
        m->funded[c] = false;
    }
    o->nselected = 0;
    o->spent = 0;
    m->nseq.n = 0;
    mpz_set(m->D, mpq_denref(beta));
    set_denominator(m);
    m->ep = 0;
    mpz_set_ui(m->F[0], 1);
    mpz_set(m->bnum, mpq_numref(beta));
    m->bhi = mpq_get_d(beta);
    mpq_set_d(m->a, m->bhi);
    mpq_sub(m->a, beta, m->a);
    m->blo0 = mpq_get_d(m->a);
    m->bud[0] = m->bhi;
    m->blo[0] = m->blo0;
    m->lim = 1;
    return 0;
}

static void seq_swap(struct mes *m)
{
    struct mes_seq t = m->seq;
    m->seq = m->nseq;
    m->nseq = t;
}

/* Heap order of projects: the smaller bound first, then the smaller index. */
static bool heap_before(const double *lb, uint32_t a, uint32_t b)
{
    return lb[a] < lb[b] || (lb[a] == lb[b] && a < b);
}

static void heap_down(uint32_t *h, size_t n, size_t i, const double *lb)
{
    for (;;) {
        size_t l = 2 * i + 1, s = i;
        if (l < n && heap_before(lb, h[l], h[s]))
            s = l;
        if (l + 1 < n && heap_before(lb, h[l + 1], h[s]))
            s = l + 1;
        if (s == i)
            return;
        uint32_t t = h[i];
        h[i] = h[s];
        h[s] = t;
        i = s;
    }
}

/* The project MES funds in round r of the run (the cheapest per unit, exactly, ties by the
 * tie-break), or -1 when nothing left can be paid. Prices lazily: a bound from an earlier
 * round that cannot beat the cheapest priced this round needs no new price. */
static int mes_best(struct mes *m, const struct outcome *o, uint32_t r)
{
    size_t P = m->p->nprojects;
    int best = -1;
    for (;;) {
        /* the smallest bound (the first project among equal ones), priced until it is a price
         * of this round: a heap of the projects that may still be paid */
        uint32_t *h = m->heap;
        size_t n = 0;
        for (uint32_t c = 0; c < P; c++)
            if (!o->res[c].selected && m->lb[c] < INFINITY)
                h[n++] = c;
        for (size_t i = n / 2; i-- > 0;)
            heap_down(h, n, i, m->lb);
        while (n && m->pr[h[0]].round != r) {
            mes_price(m, h[0], r);
            if (m->lb[h[0]] == INFINITY) /* its supporters cannot pay it */
                h[0] = h[--n];
            heap_down(h, n, 0, m->lb);
        }
        if (n == 0)
            return -1;
        best = (int)h[0];
        /* those the doubles cannot tell from it are priced now too */
        double bk = m->lb[best];
        bool again = false;
        for (uint32_t c = 0; c < P; c++) {
            if (o->res[c].selected || (int)c == best || m->pr[c].round == r ||
                !(m->lb[c] <= bk || near(m->lb[c], bk)))
                continue;
            mes_price(m, c, r);
            again |= m->lb[c] < bk && !near(m->lb[c], bk);
        }
        if (!again)
            break;
    }
    /* exact choice among those the doubles cannot tell apart */
    double bestkey = m->lb[best];
    for (uint32_t c = 0; c < P; c++) {
        if (o->res[c].selected || (int)c == best || m->pr[c].round != r || !m->pr[c].afford ||
            !near(m->lb[c], bestkey))
            continue;
        if (!m->pr[c].exact)
            mes_price_exact(m, c, r);
        if (!m->pr[best].exact)
            mes_price_exact(m, (uint32_t)best, r);
        int s = key_cmp_exact(m, c, (uint32_t)best);
        if (s < 0 || (s == 0 && count_tie(m->t, c, (uint32_t)best) < 0))
            best = (int)c, bestkey = m->lb[c];
    }
    return best;
}

/* The rounds of a run from round r0 on, until nothing can be paid. */
static int mes_rounds(struct mes *m, struct outcome *o, uint32_t r0)
{
    for (uint32_t r = r0;; r++) {
        int best = mes_best(m, o, r);
        if (best < 0) {
            mes_rollback(m, r); /* the last run went further */
            break;
        }
        if (mes_fund(m, (uint32_t)best, r, o))
            return -1;
    }
    seq_swap(m);
    return 0;
}

int count_mes_run(struct mes *m, const mpq_t beta, struct outcome *o)
{
    if (mes_start(m, beta, o))
        return -1;
    return mes_rounds(m, o, 1);
}

int count_mes_check(struct mes *m, const mpq_t beta, struct outcome *o, bool *ok, bool run)
{
    const struct profile *p = m->p;
    size_t P = p->nprojects;
    *ok = false;
    if (mes_start(m, beta, o))
        return -1;
    for (uint32_t r = 1; r <= m->seq.n; r++) {
        uint32_t best = m->seq.c[r - 1];
        mes_price(m, best, r);
        if (!m->pr[best].afford) /* cannot happen: budgets only grow with the share */
            return run ? mes_rounds(m, o, r) : 0;
        /* every other project must be dearer per unit here than `best` was at β0 */
        double thr = mpq_get_d(m->seq.rho[r - 1]) / (double)p->cost[best];
        for (uint32_t c = 0; c < P; c++) {
            if (o->res[c].selected || c == best || m->lb[c] == INFINITY)
                continue;
            if (m->lb[c] > thr && !near(m->lb[c], thr))
                continue; /* its price (or a lower bound of it) is above */
            if (m->pr[c].round != r) {
                mes_price(m, c, r);
                if (m->lb[c] == INFINITY || (m->lb[c] > thr && !near(m->lb[c], thr)))
                    continue;
            }
            if (m->lb[c] < thr && !near(m->lb[c], thr))
                return run ? mes_rounds(m, o, r) : 0;
            if (!m->pr[c].exact)
                mes_price_exact(m, c, r);
            /* key(c) > rho0 / C_best exactly, or equal and `best` wins the tie: then at every
             * share between, key(c) >= its key here >= rho0 / C_best >= key(best), and a tie
             * goes to best */
            mpq_set_si(m->a, p->cost[best], 1);
            mpq_mul(m->a, m->a, m->rho[c]);
            mpq_set_si(m->b, p->cost[c], 1);
            mpq_mul(m->b, m->b, m->seq.rho[r - 1]);
            int s = mpq_cmp(m->a, m->b);
            if (s < 0 || (s == 0 && count_tie(m->t, best, c) > 0))
                return run ? mes_rounds(m, o, r) : 0;
        }
        if (mes_fund(m, best, r, o))
            return -1;
    }
    /* and nothing left that its supporters could pay */
    uint32_t r = (uint32_t)m->seq.n + 1;
    for (uint32_t c = 0; c < P; c++) {
        if (o->res[c].selected || m->lb[c] == INFINITY)
            continue;
        mes_price(m, c, r);
        if (m->pr[c].afford)
            return run ? mes_rounds(m, o, r) : 0;
    }
    seq_swap(m);
    *ok = true;
    return 0;
}
