/*
 * count_mes — one run of the Method of Equal Shares (count_int.h), for count.c's mes().
 *
 * Voters with the same approval set form a group (real elections repeat ballots a lot). Groups
 * whose members hold the same budget form a class: at the start there is one class; when a
 * project is funded, the members of each class that support it move to a new class (their
 * budget minus the price), or leave for good if they paid everything they had. Prices are
 * found class by class, so a round costs (projects x classes), not (projects x voters).
 *
 * Budgets are exact rationals (GMP). Every decision (can the supporters pay? who pays all he
 * has? which project is cheapest per unit?) is first taken on double approximations and
 * redone exactly whenever the two sides are closer than the doubles can tell apart, so the
 * outcome is the exact one.
 *
 * For Add1, the run also tells from what per-voter budget on its outcome can change. Every
 * budget and price is an affine function of the starting share β as long as the decisions
 * above stay the same, so each decision holds up to the point where its two sides cross; the
 * smallest such point over the run (taken conservatively) is the next β worth trying. Raising
 * the share one unit at a time and jumping to that point give the same outcome.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "count_int.h"
#include "util.h"

#define MES_EPS 1e-7 /* relative gap below which a double comparison is redone exactly */

static void add_event(struct mes *m, double F0, double slope, double rate)
{
    if (m->nev == m->capev) {
        size_t cap = m->capev ? m->capev * 2 : 256;
        struct ev *e = realloc(m->ev, cap * sizeof *e);
        if (!e) {
            m->next = 0; /* no memory to remember it: be safe, look again at the next raise */
            return;
        }
        m->ev = e;
        m->capev = cap;
    }
    m->ev[m->nev++] = (struct ev){F0, slope, rate};
}

static void track_cross(struct mes *m, double dv, double ds)
{
    /* f − g = dv + ds·x; the decision depends on its sign; it may change where it crosses 0 */
    if (dv == 0) {
        if (ds != 0)
            m->next = 0;
        return;
    }
    if ((dv > 0 && ds < 0) || (dv < 0 && ds > 0)) {
        double x = -dv / ds * (1 - 1e-6);
        if (x < m->next)
            m->next = x > 0 ? x : 0;
    }
}

/* Exact variant: dv and ds exact rationals; a tie (dv == 0) that ds breaks against the
 * current decision is a change right after β0 (`keep_if_pos`: the tie was resolved as if
 * dv > 0, so a change happens when ds < 0; resolved as if dv < 0: when ds > 0). */
static void track_exact(struct mes *m, const mpq_t dv, const mpq_t ds, bool keep_if_pos)
{
    int sv = mpq_sgn(dv), ss = mpq_sgn(ds);
    if (sv == 0) {
        if ((keep_if_pos && ss < 0) || (!keep_if_pos && ss > 0))
            m->next = 0;
        return;
    }
    if (sv * ss < 0) {
        double x = -mpq_get_d(dv) / mpq_get_d(ds) * (1 - 1e-6);
        if (x < m->next)
            m->next = x > 0 ? x : 0;
    }
}

/* How fast the budgets of a project's supporters can grow together, per unit of β, while the
 * choices stay the same: every budget only grows, all of them together by n; and a voter who
 * still has money (a live class) keeps it and gains at least 1 per unit (he pays prices that
 * only fall). So the supporters gain at most n minus the live voters who do not support it. */
static double mes_rate(const struct mes *m, const struct mes_price *pr)
{
    uint64_t live_supp = 0;
    for (uint32_t i = 0; i < pr->nlist; i++)
        live_supp += pr->lcnt[i];
    return (double)(profile_voters(m->p) - m->live + live_supp);
}

static bool near(double a, double b)
{
    double s = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= MES_EPS * s;
}

static int mes_new_class(struct mes *m)
{
    if (m->ncls == m->capcls) {
        size_t cap = m->capcls ? m->capcls * 2 : 64;
        struct mes_class *c = realloc(m->cls, cap * sizeof *c);
        if (!c)
            return -1;
        m->cls = c;
        uint64_t *cnt = realloc(m->cnt, cap * m->p->nprojects * sizeof *cnt);
        if (!cnt && m->p->nprojects)
            return -1;
        m->cnt = cnt;
        uint32_t *o = realloc(m->order, 2 * cap * sizeof *o);
        if (!o)
            return -1;
        m->order = o;
        m->capcls = cap;
    }
    struct mes_class *k = &m->cls[m->ncls];
    if (m->ncls == m->ninit) {
        mpq_init(k->val);
        mpq_init(k->slope);
        m->ninit++;
    }
    k->vd = k->sd = 0;
    k->members = 0;
    k->child = -1;
    k->poor = false;
    if (m->p->nprojects)
        memset(m->cnt + m->ncls * m->p->nprojects, 0, m->p->nprojects * sizeof *m->cnt);
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
    m->rho = malloc((p->nprojects ? p->nprojects : 1) * sizeof *m->rho);
    m->srho = malloc((p->nprojects ? p->nprojects : 1) * sizeof *m->srho);
    if (!m->sorted.items || !order || !m->g || !m->supp || !m->nsupp || !m->pr || !m->rho ||
        !m->srho) {
        free(order);
        free(m->rho), free(m->srho);
        m->rho = m->srho = NULL;
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    }
    for (size_t c = 0; c < p->nprojects; c++)
        mpq_init(m->rho[c]), mpq_init(m->srho[c]);
    mpq_inits(m->a, m->b, m->c2, m->d, NULL);
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
    for (size_t g = 0; g < m->ng; g++)
        for (size_t k = m->sorted.offs[m->g[g].first]; k < m->sorted.offs[m->g[g].first + 1]; k++)
            m->nsupp[m->sorted.items[k]]++;
    for (size_t c = 0; c < p->nprojects; c++) {
        m->supp[c] = uint_list(m->nsupp[c]);
        m->pr[c].list = uint_list(m->ng);
        m->pr[c].lcnt = malloc((m->ng ? m->ng : 1) * sizeof(uint64_t));
        if (!m->supp[c] || !m->pr[c].list || !m->pr[c].lcnt)
            return err_set(m->e, ERR_NOMEM, "out of memory counting");
        m->nsupp[c] = 0;
    }
    for (size_t g = 0; g < m->ng; g++)
        for (size_t k = m->sorted.offs[m->g[g].first]; k < m->sorted.offs[m->g[g].first + 1]; k++) {
            uint32_t c = m->sorted.items[k];
            m->supp[c][m->nsupp[c]++] = (uint32_t)g;
        }
    m->sw = malloc((m->ng ? m->ng : 1) * 2 * sizeof(double));
    if (!m->sw)
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    return 0;
}

void count_mes_free(struct mes *m)
{
    for (size_t k = 0; k < m->ninit; k++)
        mpq_clears(m->cls[k].val, m->cls[k].slope, NULL);
    free(m->cls);
    free(m->cnt);
    free(m->order);
    for (size_t c = 0; m->p && c < m->p->nprojects; c++) {
        if (m->supp)
            free(m->supp[c]);
        if (m->pr) {
            free(m->pr[c].list);
            free(m->pr[c].lcnt);
        }
        if (m->rho)
            mpq_clears(m->rho[c], m->srho[c], NULL);
    }
    if (m->rho)
        mpq_clears(m->a, m->b, m->c2, m->d, NULL);
    free(m->rho);
    free(m->srho);
    free(m->sw);
    free(m->ev);
    free(m->pr);
    free(m->supp);
    free(m->nsupp);
    free(m->g);
    free(m->sorted.items);
}

/* Order of the live classes by budget: exact comparisons, doubles first. */
static int cmp_class(const void *ctx, uint32_t a, uint32_t b)
{
    const struct mes *m = ctx;
    const struct mes_class *x = &m->cls[a], *y = &m->cls[b];
    if (!near(x->vd, y->vd))
        return x->vd < y->vd ? -1 : 1;
    return mpq_cmp(x->val, y->val);
}

/* Exact price of project c over its list: the smallest p with Σ min(b_i, p) = C, and its
 * slope. Fills rho[c], srho[c]. The list is in exact ascending order (cmp_class). */
static void mes_price_exact(struct mes *m, uint32_t c)
{
    struct mes_price *pr = &m->pr[c];
    /* rest = C − Σ poor budgets; k = members not poor; slope sum of the poor */
    mpq_set_si(m->a, m->p->cost[c], 1); /* rest */
    mpq_set_ui(m->b, 0, 1);             /* Σ poor slopes (weighted) */
    uint64_t k = 0;
    for (uint32_t i = 0; i < pr->nlist; i++)
        k += pr->lcnt[i];
    for (uint32_t i = 0; i < pr->nlist; i++) {
        struct mes_class *x = &m->cls[pr->list[i]];
        /* poor iff rest > val · k */
        mpq_set_ui(m->c2, k, 1);
        mpq_mul(m->c2, m->c2, x->val);
        if (mpq_cmp(m->a, m->c2) > 0) {
            mpq_set_ui(m->c2, pr->lcnt[i], 1);
            mpq_mul(m->d, m->c2, x->val);
            mpq_sub(m->a, m->a, m->d);
            mpq_mul(m->d, m->c2, x->slope);
            mpq_add(m->b, m->b, m->d);
            k -= pr->lcnt[i];
            continue;
        }
        break;
    }
    /* rho = rest / k; srho = −(Σ poor slopes) / k */
    mpq_set_ui(m->c2, k ? k : 1, 1);
    mpq_div(m->rho[c], m->a, m->c2);
    mpq_div(m->srho[c], m->b, m->c2);
    mpq_neg(m->srho[c], m->srho[c]);
    pr->rd = mpq_get_d(m->rho[c]);
    pr->srd = mpq_get_d(m->srho[c]);
    pr->exact = true;
}

/* Prices project c this round (pr[c]); records where its decisions may change. */
static void mes_price(struct mes *m, uint32_t c)
{
    const struct profile *p = m->p;
    struct mes_price *pr = &m->pr[c];
    size_t P = p->nprojects;
    pr->nlist = 0;
    pr->exact = false;
    pr->afford = false;
    double S = 0, sig = 0, C = (double)p->cost[c];
    for (size_t i = 0; i < m->norder; i++) {
        uint32_t k = m->order[i];
        uint64_t n = m->cnt[(size_t)k * P + c];
        if (!n)
            continue;
        pr->list[pr->nlist] = k;
        pr->lcnt[pr->nlist++] = n;
        S += (double)n * m->cls[k].vd;
        sig += (double)n * m->cls[k].sd;
    }
    if (pr->nlist == 0)
        return;
    /* can the supporters pay C? */
    if (near(S, C)) {
        mpq_set_ui(m->a, 0, 1);
        mpq_set_ui(m->b, 0, 1);
        for (uint32_t i = 0; i < pr->nlist; i++) {
            mpq_set_ui(m->c2, pr->lcnt[i], 1);
            mpq_mul(m->d, m->c2, m->cls[pr->list[i]].val);
            mpq_add(m->a, m->a, m->d);
            mpq_mul(m->d, m->c2, m->cls[pr->list[i]].slope);
            mpq_add(m->b, m->b, m->d);
        }
        mpq_set_si(m->c2, p->cost[c], 1);
        mpq_sub(m->a, m->a, m->c2); /* S − C */
        pr->afford = mpq_sgn(m->a) >= 0;
        track_exact(m, m->a, m->b, true);
    } else {
        pr->afford = S > C;
        track_cross(m, S - C, sig);
        if (!pr->afford)
            add_event(m, S - C + MES_EPS * C, sig, mes_rate(m, pr));
    }
    if (!pr->afford)
        return;
    /* the price, on doubles */
    uint64_t k = 0;
    for (uint32_t i = 0; i < pr->nlist; i++)
        k += pr->lcnt[i];
    double rest = C, spoor = 0;
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
            spoor += (double)pr->lcnt[i] * x->sd;
            k -= pr->lcnt[i];
            continue;
        }
        break;
    }
    if (exact || k == 0) {
        mes_price_exact(m, c);
    } else {
        pr->rd = rest / (double)k;
        pr->srd = -spoor / (double)k;
    }
    /* who pays all he has: class budget vs price */
    double keep = m->next;
    m->next = INFINITY;
    for (uint32_t i = 0; i < pr->nlist; i++) {
        const struct mes_class *x = &m->cls[pr->list[i]];
        if (near(x->vd, pr->rd)) {
            if (!pr->exact)
                mes_price_exact(m, c);
            mpq_sub(m->a, x->val, m->rho[c]);
            mpq_sub(m->b, x->slope, m->srho[c]);
            track_exact(m, m->a, m->b, true); /* val >= rho pays in full: a tie keeps that */
        } else {
            track_cross(m, x->vd - pr->rd, x->sd - pr->srd);
        }
    }
    pr->flip = m->next;
    m->next = keep;
}

/* key(c) − key(best) where key = rho / C, exact, in m->a (value) and m->b (slope). */
static void key_diff_exact(struct mes *m, uint32_t c, uint32_t best)
{
    mpq_set_si(m->c2, m->p->cost[c], 1);
    mpq_div(m->a, m->rho[c], m->c2);
    mpq_div(m->b, m->srho[c], m->c2);
    mpq_set_si(m->c2, m->p->cost[best], 1);
    mpq_div(m->d, m->rho[best], m->c2);
    mpq_sub(m->a, m->a, m->d);
    mpq_div(m->d, m->srho[best], m->c2);
    mpq_sub(m->b, m->b, m->d);
}

struct sw {
    double x;   /* where the term switches from the budget to the price */
    double dsl; /* the change of slope there */
};

static int cmp_sw(const void *a, const void *b)
{
    double x = ((const struct sw *)a)->x, y = ((const struct sw *)b)->x;
    return x < y ? -1 : x > y;
}

/* Where may project c (not chosen) become at least as cheap per unit as `best`? While budgets
 * and best's price are affine in x = β − β0, c is as cheap as best exactly when its supporters
 * can pay its cost at the price p(x) = rho_best(x) · C_c / C_best, i.e. when
 *     F(x) = Σ_K cnt_K · min(b_K(x), p(x)) − C_c >= 0.
 * F is concave and piecewise affine; walk its pieces to its first zero. `sw` has room for the
 * project's list. */
static void track_overtake(struct mes *m, uint32_t c, uint32_t best, struct sw *sw)
{
    const struct mes_price *pr = &m->pr[c], *pb = &m->pr[best];
    double Cc = (double)m->p->cost[c], ratio = Cc / (double)m->p->cost[best];
    double p0 = pb->rd * ratio, ps = pb->srd * ratio;
    double F = -Cc, slope = 0;
    size_t nsw = 0;
    for (uint32_t i = 0; i < pr->nlist; i++) {
        const struct mes_class *x = &m->cls[pr->list[i]];
        double n = (double)pr->lcnt[i];
        bool budget = x->vd < p0 || (x->vd == p0 && x->sd <= ps);
        F += n * (budget ? x->vd : p0);
        slope += n * (budget ? x->sd : ps);
        if (budget && x->sd > ps) /* the budget overtakes the price */
            sw[nsw++] = (struct sw){(p0 - x->vd) / (x->sd - ps), n * (ps - x->sd)};
        else if (!budget && x->sd < ps)
            sw[nsw++] = (struct sw){(x->vd - p0) / (ps - x->sd), n * (x->sd - ps)};
    }
    double tol = MES_EPS * Cc;
    if (F > -tol) { /* the doubles cannot tell: c may overtake right away */
        m->next = 0;
        return;
    }
    add_event(m, F + tol, slope, mes_rate(m, pr));
    /* F is concave: it stays under its tangent at 0, so if the tangent does not reach 0
     * before the next change already known, neither does F (no need to walk its pieces) */
    if (slope <= 0 || (isfinite(m->next) && F + tol + slope * m->next < 0))
        return;
    qsort(sw, nsw, sizeof *sw, cmp_sw);
    double at = 0;
    for (size_t i = 0;; i++) {
        if (slope <= 0)
            return; /* concave: once F stops rising it never comes back */
        double end = i < nsw ? sw[i].x : INFINITY;
        double root = at + (-tol - F) / slope; /* reaching −tol counts as reaching 0 */
        if (root <= end) {
            root *= 1 - 1e-6;
            if (root < m->next)
                m->next = root > 0 ? root : 0;
            return;
        }
        if (end >= m->next)
            return; /* nothing to learn past the next known change */
        F += slope * (end - at);
        at = end;
        slope += sw[i].dsl;
    }
}

/* The supporters of c pay for it; classes split. Returns 0 or -1 (out of memory). */
static int mes_pay(struct mes *m, uint32_t c)
{
    const struct profile *p = m->p;
    size_t P = p->nprojects;
    struct mes_price *pr = &m->pr[c];
    if (!pr->exact)
        mes_price_exact(m, c);
    for (uint32_t i = 0; i < pr->nlist; i++) {
        struct mes_class *x = &m->cls[pr->list[i]];
        x->poor = mpq_cmp(x->val, m->rho[c]) < 0;
        x->child = -1;
    }
    for (size_t i = 0; i < m->nsupp[c]; i++) {
        struct mes_group *g = &m->g[m->supp[c][i]];
        if (g->cls < 0)
            continue;
        int32_t from = g->cls, to = -1;
        if (!m->cls[from].poor) {
            if (m->cls[from].child < 0) {
                int k = mes_new_class(m);
                if (k < 0)
                    return -1;
                struct mes_class *y = &m->cls[k], *x = &m->cls[from];
                mpq_sub(y->val, x->val, m->rho[c]);
                mpq_sub(y->slope, x->slope, m->srho[c]);
                y->vd = mpq_get_d(y->val);
                y->sd = mpq_get_d(y->slope);
                x->child = k;
            }
            to = m->cls[from].child;
        }
        uint32_t v = g->first;
        for (size_t k = m->sorted.offs[v]; k < m->sorted.offs[v + 1]; k++) {
            uint32_t it = m->sorted.items[k];
            m->cnt[(size_t)from * P + it] -= g->size;
            if (to >= 0)
                m->cnt[(size_t)to * P + it] += g->size;
        }
        m->cls[from].members -= g->size;
        if (to >= 0)
            m->cls[to].members += g->size;
        g->cls = to;
    }
    return 0;
}

/* One run of MES where every voter starts with `beta` (cents, exact). Fills o (allocated;
 * selection cleared here) and m->next. */
int count_mes_run(struct mes *m, const mpq_t beta, struct outcome *o)
{
    const struct profile *p = m->p;
    size_t P = p->nprojects;
    for (size_t c = 0; c < P; c++) {
        o->res[c].selected = false;
        o->res[c].round = 0;
        o->res[c].phase = 0;
        o->res[c].eff = 0;
    }
    o->nselected = 0;
    o->spent = 0;
    m->next = INFINITY;
    m->nev = 0;
    m->ncls = 0; /* the classes' rationals are reused */
    if (mes_new_class(m) < 0)
        return err_set(m->e, ERR_NOMEM, "out of memory counting");
    struct mes_class *k0 = &m->cls[0];
    mpq_set(k0->val, beta);
    mpq_set_ui(k0->slope, 1, 1);
    k0->vd = mpq_get_d(beta);
    k0->sd = 1;
    for (size_t g = 0; g < m->ng; g++) {
        m->g[g].cls = 0;
        k0->members += m->g[g].size;
    }
    for (size_t c = 0; c < P; c++)
        for (size_t i = 0; i < m->nsupp[c]; i++)
            m->cnt[c] += m->g[m->supp[c][i]].size;
    for (;;) {
        m->norder = 0;
        m->live = 0;
        for (size_t k = 0; k < m->ncls; k++)
            if (m->cls[k].members) {
                m->order[m->norder++] = (uint32_t)k;
                m->live += m->cls[k].members;
            }
        sort_idx(m->order, m->norder, cmp_class, m, m->order + m->capcls);
        int best = -1;
        double bestkey = 0;
        for (uint32_t c = 0; c < P; c++) {
            if (o->res[c].selected)
                continue;
            mes_price(m, c);
            if (!m->pr[c].afford)
                continue;
            double key = m->pr[c].rd / (double)p->cost[c];
            if (best < 0 || key < bestkey)
                best = (int)c, bestkey = key;
        }
        if (best < 0) {
            /* Past the first change of structure G = next, prices and budgets are no longer
             * affine, but as long as the choices stay the same an event's F grows at most as
             * fast as its supporters' budgets (mes_rate): no event can reach 0 before
             * −F(G)/rate more. */
            double G = m->next, L = INFINITY;
            for (size_t i = 0; isfinite(G) && i < m->nev; i++) {
                double FG = m->ev[i].F0 + m->ev[i].slope * G;
                double x = FG < 0 ? -FG / m->ev[i].rate * (1 - 1e-6) : 0;
                if (x < L)
                    L = x;
            }
            if (isfinite(G) && L > 0)
                m->next = G + L;
            return 0;
        }
        /* exact choice among those the doubles cannot tell apart */
        for (uint32_t c = 0; c < P; c++) {
            if (o->res[c].selected || !m->pr[c].afford || (int)c == best)
                continue;
            double key = m->pr[c].rd / (double)p->cost[c];
            if (!near(key, bestkey))
                continue;
            if (!m->pr[c].exact)
                mes_price_exact(m, c);
            if (!m->pr[best].exact)
                mes_price_exact(m, (uint32_t)best);
            key_diff_exact(m, c, (uint32_t)best);
            int s = mpq_sgn(m->a);
            if (s < 0 || (s == 0 && count_tie(m->t, c, (uint32_t)best) < 0))
                best = (int)c, bestkey = m->pr[c].rd / (double)p->cost[c];
        }
        /* where would another project become the cheaper one? */
        const struct mes_price *pb = &m->pr[best];
        double bk = pb->rd / (double)p->cost[best], bs = pb->srd / (double)p->cost[best];
        for (uint32_t c = 0; c < P; c++) {
            if (o->res[c].selected || !m->pr[c].afford || (int)c == best)
                continue;
            const struct mes_price *pc = &m->pr[c];
            double key = pc->rd / (double)p->cost[c], ks = pc->srd / (double)p->cost[c];
            if (near(key, bk)) {
                if (!m->pr[c].exact)
                    mes_price_exact(m, c);
                if (!m->pr[best].exact)
                    mes_price_exact(m, (uint32_t)best);
                key_diff_exact(m, c, (uint32_t)best);
                track_exact(m, m->a, m->b, true);
                if (pc->flip < m->next) /* the affine view of c's price holds until there */
                    m->next = pc->flip;
            } else {
                (void)ks, (void)bs;
                track_overtake(m, c, (uint32_t)best, m->sw);
            }
        }
        if (!m->pr[best].exact)
            mes_price_exact(m, (uint32_t)best);
        if (m->pr[best].flip < m->next)
            m->next = m->pr[best].flip;
        count_select(o, p, (uint32_t)best, 1);
        double price = m->pr[best].rd;
        o->res[best].eff = price > 0 ? (double)p->cost[best] / price : 0;
        if (mes_pay(m, (uint32_t)best))
            return err_set(m->e, ERR_NOMEM, "out of memory counting");
    }
}

/* No unselected project that someone supports still fits the money left. Projects nobody
 * supports are left out: MES can never fund them. */
