/*
 * publish_query — the few facts `tally publish` reads from the tally database that report.h
 * does not give: ballots per kiosk, the overrides (with their day only) and the number of
 * sources, through tallydb's query functions (no SQL here). Nothing here ever reads a
 * ciphertext, a token or a row's time.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "publish_int.h"
#include "tallydb.h"
#include "util.h"

struct kiosks_ctx {
    const struct election *el;
    struct pub_kiosk *k;
    size_t n, cap;
    bool nomem;
};

static void one_kiosk(void *ctx, const struct tallydb_kiosk *tk)
{
    struct kiosks_ctx *c = ctx;
    if (c->nomem)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        struct pub_kiosk *k = realloc(c->k, cap * sizeof *k);
        if (!k) {
            c->nomem = true;
            return;
        }
        c->k = k, c->cap = cap;
    }
    struct pub_kiosk *k = &c->k[c->n++];
    memset(k, 0, sizeof *k);
    snprintf(k->label, sizeof k->label, "%s", tk->label ? tk->label : "");
    memcpy(k->pk, tk->pk, sizeof k->pk);
    snprintf(k->state, sizeof k->state, "%s", tk->state ? tk->state : "");
    k->last_seq = tk->last_seq;
    k->ballots = tk->ballots;
    int i = election_find_kiosk(c->el, k->pk);
    k->vote_point = i >= 0 && c->el->kiosk_vote_point ? c->el->kiosk_vote_point[i] : -1;
    if (k->vote_point >= (int)c->el->nvote_points)
        k->vote_point = -1;
}

int pubq_kiosks(struct tallydb *t, const struct election *el, struct pub_kiosk **out, size_t *n,
                struct err *e)
{
    struct kiosks_ctx c = {.el = el};
    tallydb_each_kiosk(t, one_kiosk, &c);
    if (c.nomem) {
        free(c.k);
        *out = NULL, *n = 0;
        return err_set(e, ERR_NOMEM, "out of memory reading the kiosks");
    }
    *out = c.k;
    *n = c.n;
    return 0;
}

void pubq_overrides_free(struct pub_override *ov, size_t n)
{
    for (size_t i = 0; ov && i < n; i++) {
        free(ov[i].who);
        free(ov[i].reason);
        free(ov[i].source);
        free(ov[i].problems);
    }
    free(ov);
}

struct overrides_ctx {
    struct pub_override *o;
    size_t n, cap;
    bool nomem;
};

static void one_override(void *ctx, const struct tallydb_override *to)
{
    struct overrides_ctx *c = ctx;
    if (c->nomem)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 8;
        struct pub_override *o = realloc(c->o, cap * sizeof *o);
        if (!o) {
            c->nomem = true;
            return;
        }
        c->o = o, c->cap = cap;
    }
    struct pub_override *o = &c->o[c->n++];
    memset(o, 0, sizeof *o);
    /* the day only: the time an override was typed says nothing the public needs */
    time_t at = (time_t)to->at;
    struct tm tm;
    if (gmtime_r(&at, &tm))
        strftime(o->day, sizeof o->day, "%Y-%m-%d", &tm);
    o->who = util_strdup(to->who ? to->who : "");
    o->reason = util_strdup(to->reason ? to->reason : "");
    o->source = util_strdup(to->source ? to->source : "");
    o->problems = util_strdup(to->problems ? to->problems : "");
    if (!o->who || !o->reason || !o->source || !o->problems)
        c->nomem = true;
}

int pubq_overrides(struct tallydb *t, struct pub_override **out, size_t *n, struct err *e)
{
    struct overrides_ctx c = {0};
    tallydb_each_override(t, one_override, &c);
    if (c.nomem) {
        pubq_overrides_free(c.o, c.n);
        *out = NULL, *n = 0;
        return err_set(e, ERR_NOMEM, "out of memory reading the overrides");
    }
    *out = c.o;
    *n = c.n;
    return 0;
}

int pubq_sources(struct tallydb *t, uint64_t *n, struct err *e)
{
    (void)e;
    struct tallydb_totals tot;
    tallydb_totals(t, &tot);
    *n = tot.sources > 0 ? (uint64_t)tot.sources : 0;
    return 0;
}
