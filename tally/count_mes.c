/*
 * count_mes — one run of the Method of Equal Shares (count_int.h), for count.c's mes().
 *
 * Voters with the same approval set form a group (real elections repeat ballots a lot). Groups
 * whose members hold the same budget form a class: at the start there is one class; when a
 * project is funded, the members of each class that support it move to a new class (their
 * budget minus the price), or leave for good if they paid everything they had. Prices are
 * found class by class, so pricing a project costs (live classes), not (voters).
 *
 * Budgets are exact (GMP): within a run, every budget is an integer over one common
 * denominator D, so budgets are compared, summed and lowered without a gcd; when a price
 * needs a larger denominator, D is multiplied by the smallest factor that makes the price an
 * integer over D too, and each budget by the same factors when it is next used. Prices are exact
 * rationals. Every decision (can the supporters pay? who pays all he has? which project is cheapest
 * per unit?) is first taken on double approximations and redone exactly whenever the two sides are
 * closer than the doubles can tell apart, so the outcome is the exact one.
 *
 * Within a run budgets only shrink, so a project's price per unit never falls from one round
 * to the next: the price found in an earlier round is a lower bound, and a round reprices only
 * the projects whose bound could beat the cheapest one found (lazy evaluation).
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

/* Class k's budget over the current D. */
static mpz_srcptr fresh(struct mes *m, uint32_t k)
{
    struct mes_class *x = &m->cls[k];
    if (x->ep != m->ep) {
        mpz_mul(x->num, x->num, m->F[x->ep]);
        x->ep = m->ep;
    }
    return x->num;
}

/* A new class (members 0, cnt row zero): an emptied one if any, else a fresh one. */
static int mes_new_class(struct mes *m)
{
    if (m->nfree) {
        int k = (int)m->freel[--m->nfree];
        m->cls[k].members = 0;
        m->cls[k].child = -1;
        m->cls[k].poor = m->cls[k].whole = false;
        return k;
    }
    if (m->ncls == m->capcls) {
        size_t cap = m->capcls ? m->capcls * 2 : 64;
        struct mes_class *c = realloc(m->cls, cap * sizeof *c);
        if (!c)
            return -1;
        m->cls = c;
        size_t P = m->p->nprojects;
        uint32_t *cnt = realloc(m->cnt, (P ? P : 1) * cap * sizeof *cnt);
        if (!cnt)
            return -1;
        m->cnt = cnt;
        uint32_t *o = realloc(m->order, 2 * cap * sizeof *o);
        if (!o)
            return -1;
        m->order = o;
        uint32_t *f = realloc(m->freel, cap * sizeof *f);
        if (!f)
            return -1;
        m->freel = f;
        m->capcls = cap;
    }
    struct mes_class *k = &m->cls[m->ncls];
    if (m->ncls == m->ninit) {
        mpz_init(k->num);
        m->ninit++;
    }
    k->vd = 0;
    k->members = 0;
    k->child = -1;
    k->poor = k->whole = false;
    for (size_t c = 0; c < m->p->nprojects; c++)
        m->cnt[m->ncls * m->p->nprojects + c] = 0;
    return (int)m->ncls++;
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
    m->gpaid = calloc(p->nvoters ? p->nvoters : 1, sizeof *m->gpaid);
    m->rho = malloc(np * sizeof *m->rho);
    m->F = malloc((np + 2) * sizeof *m->F);
    m->seq.c = uint_list(np);
    m->nseq.c = uint_list(np);
    m->seq.rho = malloc(np * sizeof(mpq_t));
    m->nseq.rho = malloc(np * sizeof(mpq_t));
    if (!m->sorted.items || !order || !m->g || !m->supp || !m->nsupp || !m->pr || !m->lb ||
        !m->touched || !m->cnt0 || !m->gpaid || !m->rho || !m->F || !m->seq.c || !m->nseq.c ||
        !m->seq.rho || !m->nseq.rho) {
        free(order);
        free(m->rho), free(m->seq.rho), free(m->nseq.rho), free(m->F);
        m->rho = m->seq.rho = m->nseq.rho = NULL;
        m->F = NULL;
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    }
    for (size_t c = 0; c < p->nprojects; c++)
        mpq_inits(m->rho[c], m->seq.rho[c], m->nseq.rho[c], NULL);
    mpq_inits(m->a, m->b, NULL);
    mpz_inits(m->D, m->za, m->zb, NULL);
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
        m->supp[c] = uint_list(m->nsupp[c]);
        m->pr[c].list = uint_list(m->ng);
        m->pr[c].lcnt = malloc((m->ng ? m->ng : 1) * sizeof(uint64_t));
        if (!m->supp[c] || !m->pr[c].list || !m->pr[c].lcnt)
            return err_set(m->e, ERR_NOMEM, "out of memory counting");
        m->nsupp[c] = 0;
    }
    for (size_t g = 0; g < m->ng; g++)
        for (size_t k = m->goff[g]; k < m->goff[g + 1]; k++) {
            uint32_t c = m->gitems[k];
            m->supp[c][m->nsupp[c]++] = (uint32_t)g;
            m->cnt0[c] += m->g[g].size;
        }
    return 0;
}

void count_mes_free(struct mes *m)
{
    for (size_t k = 0; k < m->ninit; k++)
        mpz_clear(m->cls[k].num);
    free(m->cls);
    free(m->cnt);
    free(m->order);
    free(m->freel);
    for (size_t c = 0; m->p && c < m->p->nprojects; c++) {
        if (m->supp)
            free(m->supp[c]);
        if (m->pr) {
            free(m->pr[c].list);
            free(m->pr[c].lcnt);
        }
        if (m->rho)
            mpq_clears(m->rho[c], m->seq.rho[c], m->nseq.rho[c], NULL);
    }
    if (m->rho) {
        mpq_clears(m->a, m->b, NULL);
        mpz_clears(m->D, m->za, m->zb, NULL);
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
    free(m->gpaid);
    free(m->pr);
    free(m->supp);
    free(m->nsupp);
    free(m->g);
    free(m->sorted.items);
    free(m->gitems);
    free(m->goff);
}

/* Order of classes by budget: exact comparisons, doubles first. */
static int cmp_class(struct mes *m, uint32_t a, uint32_t b)
{
    const struct mes_class *x = &m->cls[a], *y = &m->cls[b];
    if (!near(x->vd, y->vd))
        return x->vd < y->vd ? -1 : 1;
    return mpz_cmp(fresh(m, a), fresh(m, b));
}

#ifndef NDEBUG
/* The live classes are in ascending order of budget, exactly (checked after every payment in
 * a debug build; the near ties of tests/tally/test_model.c reach the exact comparisons). */
static bool order_sorted(const struct mes *m)
{
    bool ok = true;
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    for (size_t i = 1; ok && i < m->norder; i++) {
        const struct mes_class *x = &m->cls[m->order[i - 1]], *y = &m->cls[m->order[i]];
        if (!near(x->vd, y->vd)) {
            ok = x->vd < y->vd;
            continue;
        }
        mpz_mul(a, x->num, m->F[x->ep]);
        mpz_mul(b, y->num, m->F[y->ep]);
        ok = mpz_cmp(a, b) <= 0;
    }
    mpz_clears(a, b, NULL);
    return ok;
}
#endif

/* Exact price of project c over its list: the smallest p with Σ min(b_i, p) = C. Fills
 * rho[c]. The list is in exact ascending order. The project is affordable, so someone pays
 * in full. */
static void mes_price_exact(struct mes *m, uint32_t c)
{
    struct mes_price *pr = &m->pr[c];
    mul_u64(m->za, m->D, (uint64_t)m->p->cost[c], 0); /* rest = C − Σ poor budgets, times D */
    uint64_t k = 0;                                   /* members not poor */
    for (uint32_t i = 0; i < pr->nlist; i++)
        k += pr->lcnt[i];
    for (uint32_t i = 0; i < pr->nlist; i++) {
        mpz_srcptr x = fresh(m, pr->list[i]);
        /* poor iff rest > budget · k */
        mul_u64(m->zb, x, k, 0);
        if (mpz_cmp(m->za, m->zb) <= 0)
            break;
        mul_u64(m->za, x, pr->lcnt[i], -1);
        k -= pr->lcnt[i];
    }
    mul_u64(m->zb, m->D, k ? k : 1, 0); /* rho = rest / (k · D) */
    mpq_set_num(m->rho[c], m->za);
    mpq_set_den(m->rho[c], m->zb);
    mpq_canonicalize(m->rho[c]);
    pr->rd = mpq_get_d(m->rho[c]);
    pr->exact = true;
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
    const uint32_t *col = m->cnt + c;
    size_t P = p->nprojects;
    for (size_t i = 0; i < m->norder; i++) {
        uint32_t k = m->order[i];
        uint64_t n = col[(size_t)k * P];
        if (!n)
            continue;
        pr->list[pr->nlist] = k;
        pr->lcnt[pr->nlist++] = n;
        S += (double)n * m->cls[k].vd;
    }
    if (pr->nlist == 0)
        return;
    /* can the supporters pay C? */
    if (near(S, C)) {
        mpz_set_ui(m->za, 0);
        for (uint32_t i = 0; i < pr->nlist; i++)
            mul_u64(m->za, fresh(m, pr->list[i]), pr->lcnt[i], 1);
        mul_u64(m->zb, m->D, (uint64_t)p->cost[c], 0);
        pr->afford = mpz_cmp(m->za, m->zb) >= 0;
    } else {
        pr->afford = S > C;
    }
    if (!pr->afford)
        return;
    /* the price, on doubles */
    uint64_t k = 0;
    for (uint32_t i = 0; i < pr->nlist; i++)
        k += pr->lcnt[i];
    double rest = C;
    bool exact = false;
    for (uint32_t i = 0; i < pr->nlist; i++) {
        const struct mes_class *x = &m->cls[pr->list[i]];
        double need = x->vd * (double)k;
        if (near(rest, need) || rest < 1e-4 * C) {
            exact = true;
            break;
        }
        if (rest > need) {
            rest -= (double)pr->lcnt[i] * x->vd;
            k -= pr->lcnt[i];
            continue;
        }
        break;
    }
    if (exact || k == 0)
        mes_price_exact(m, c);
    else
        pr->rd = rest / (double)k;
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

/* The supporters of c pay for it; classes split, emptied ones are freed and the live ones
 * kept in ascending order. A class whose members all support c moves as a whole (its budget
 * lowered in place, or emptied). Returns 0 or -1 (out of memory). */
static int mes_pay(struct mes *m, uint32_t c, uint32_t r)
{
    size_t P = m->p->nprojects;
    struct mes_price *pr = &m->pr[c];
    if (!pr->exact)
        mes_price_exact(m, c);
    /* the price as an integer over D (in za): D grows by the smallest factor that makes it
     * one */
    mpz_srcptr q = mpq_denref(m->rho[c]);
    mpz_gcd(m->zb, q, m->D);
    mpz_divexact(m->zb, q, m->zb);
    if (mpz_cmp_ui(m->zb, 1) > 0)
        grow_denominator(m, m->zb);
    mpz_divexact(m->za, m->D, q);
    mpz_mul(m->za, m->za, mpq_numref(m->rho[c]));
    m->npaid++;
    for (uint32_t i = 0; i < pr->nlist; i++) {
        uint32_t k = pr->list[i];
        struct mes_class *x = &m->cls[k];
        x->poor = near(x->vd, pr->rd) ? mpz_cmp(fresh(m, k), m->za) < 0 : x->vd < pr->rd;
        x->child = -1;
        x->whole = pr->lcnt[i] == x->members;
        if (x->whole && x->poor) {
            for (size_t j = 0; j < P; j++)
                m->cnt[(size_t)k * P + j] = 0;
            x->members = 0;
        } else if (x->whole) {
            mpz_sub(x->num, fresh(m, k), m->za);
            x->vd = budget_d(m, x->num);
            x->child = (int32_t)k;
        }
    }
    for (size_t i = 0; i < m->nsupp[c]; i++) {
        struct mes_group *g = &m->g[m->supp[c][i]];
        if (g->cls < 0)
            continue;
        m->gpaid[g - m->g] = m->npaid;
        int32_t from = g->cls, to = -1;
        if (m->cls[from].whole) {
            if (m->cls[from].poor)
                g->cls = -1;
            continue;
        }
        if (!m->cls[from].poor) {
            if (m->cls[from].child < 0) {
                int k = mes_new_class(m);
                if (k < 0)
                    return -1;
                struct mes_class *y = &m->cls[k], *x = &m->cls[from];
                mpz_sub(y->num, fresh(m, (uint32_t)from), m->za);
                y->ep = m->ep;
                y->vd = budget_d(m, y->num);
                x->child = k;
            }
            to = m->cls[from].child;
        }
        size_t gi = (size_t)(g - m->g);
        uint32_t *cf = m->cnt + (size_t)from * P;
        uint32_t *ct = to >= 0 ? m->cnt + (size_t)to * P : NULL;
        for (size_t k = m->goff[gi]; k < m->goff[gi + 1]; k++) {
            uint32_t it = m->gitems[k];
            cf[it] -= g->size;
            if (ct)
                ct[it] += g->size;
        }
        m->cls[from].members -= g->size;
        if (to >= 0)
            m->cls[to].members += g->size;
        g->cls = to;
    }
    /* the projects priced this round keep their price for the next one (mes_fund) unless a
     * supporter paid: only they need to know */
    for (size_t j = 0; j < P; j++) {
        if (m->pr[j].round != r || j == c)
            continue;
        for (size_t i = 0; i < m->nsupp[j]; i++)
            if (m->gpaid[m->supp[j][i]] == m->npaid) {
                m->touched[j] = r;
                break;
            }
    }
    /* new order: the old live classes (minus those emptied or moved whole) merged with the
     * children and the classes moved whole, which are in the order of their parents (all
     * lowered by the same price) */
    uint32_t *out = m->order + m->capcls;
    size_t n = 0, i = 0, j = 0;
    for (;;) {
        while (i < m->norder) {
            struct mes_class *x = &m->cls[m->order[i]];
            if (x->members == 0)
                m->freel[m->nfree++] = m->order[i++];
            else if (x->whole && x->child >= 0)
                i++; /* comes back from the children */
            else
                break;
        }
        while (j < pr->nlist && m->cls[pr->list[j]].child < 0)
            j++;
        if (i == m->norder && j == pr->nlist)
            break;
        if (j == pr->nlist) {
            out[n++] = m->order[i++];
            continue;
        }
        uint32_t ch = (uint32_t)m->cls[pr->list[j]].child;
        if (i < m->norder && cmp_class(m, m->order[i], ch) <= 0) {
            out[n++] = m->order[i++];
            continue;
        }
        out[n++] = ch;
        j++;
    }
    for (uint32_t k = 0; k < pr->nlist; k++) {
        m->cls[pr->list[k]].child = -1;
        m->cls[pr->list[k]].whole = false;
    }
    memcpy(m->order, out, n * sizeof *out);
    m->norder = n;
    assert(order_sorted(m));
    return 0;
}

/* Funds c in round r of the run: records it and its supporters pay. A project none of whose
 * supporters paid keeps its price, which is then still fresh in round r + 1. */
static int mes_fund(struct mes *m, uint32_t c, uint32_t r, struct outcome *o)
{
    if (!m->pr[c].exact)
        mes_price_exact(m, c);
    count_select(o, m->p, c, 1);
    double price = m->pr[c].rd;
    o->res[c].eff = price > 0 ? (double)m->p->cost[c] / price : 0;
    m->nseq.c[m->nseq.n] = c;
    mpq_set(m->nseq.rho[m->nseq.n++], m->rho[c]);
    if (mes_pay(m, c, r))
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    for (size_t j = 0; j < m->p->nprojects; j++)
        if (m->pr[j].round == r && m->touched[j] != r && !o->res[j].selected)
            m->pr[j].round = r + 1;
    return 0;
}

/* Start of a run: every voter holds beta. */
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
    }
    o->nselected = 0;
    o->spent = 0;
    m->nseq.n = 0;
    /* the classes of the last run are all reused: zero the counts of those still live (row by
     * row, or through their groups' projects if that is less), and hand them out again from 0
     * up */
    if (m->norder * P <= m->goff[m->ng])
        for (size_t i = 0; i < m->norder; i++)
            memset(m->cnt + (size_t)m->order[i] * P, 0, P * sizeof *m->cnt);
    else
        for (size_t g = 0; m->ncls && g < m->ng; g++) {
            int32_t k = m->g[g].cls;
            for (size_t i = m->goff[g]; k >= 0 && i < m->goff[g + 1]; i++)
                m->cnt[(size_t)k * P + m->gitems[i]] = 0;
        }
    m->norder = 0;
    m->nfree = 0;
    for (size_t k = m->ncls; k-- > 0;)
        m->freel[m->nfree++] = (uint32_t)k;
    if (mes_new_class(m) < 0)
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    struct mes_class *k0 = &m->cls[0];
    mpz_set(m->D, mpq_denref(beta));
    set_denominator(m);
    m->ep = 0;
    mpz_set_ui(m->F[0], 1);
    mpz_set(k0->num, mpq_numref(beta));
    k0->ep = 0;
    k0->vd = mpq_get_d(beta);
    for (size_t g = 0; g < m->ng; g++) {
        m->g[g].cls = 0;
        k0->members += m->g[g].size;
    }
    if (P)
        memcpy(m->cnt, m->cnt0, P * sizeof *m->cnt);
    m->order[0] = 0;
    m->norder = k0->members ? 1 : 0;
    return 0;
}

static void seq_swap(struct mes *m)
{
    struct mes_seq t = m->seq;
    m->seq = m->nseq;
    m->nseq = t;
}

/* The project MES funds in round r of the run (the cheapest per unit, exactly, ties by the
 * tie-break), or -1 when nothing left can be paid. Prices lazily: a bound from an earlier
 * round that cannot beat the cheapest priced this round needs no new price. */
static int mes_best(struct mes *m, const struct outcome *o, uint32_t r)
{
    size_t P = m->p->nprojects;
    int best = -1;
    for (;;) {
        best = -1;
        for (uint32_t c = 0; c < P; c++)
            if (!o->res[c].selected && m->lb[c] < INFINITY && (best < 0 || m->lb[c] < m->lb[best]))
                best = (int)c;
        if (best < 0)
            return -1;
        if (m->pr[best].round != r) {
            mes_price(m, (uint32_t)best, r);
            continue;
        }
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
            mes_price_exact(m, c);
        if (!m->pr[best].exact)
            mes_price_exact(m, (uint32_t)best);
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
        if (best < 0)
            break;
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
                mes_price_exact(m, c);
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
