/* report — counting from the tally database and the published reports; see report.h. */
#include "report.h"

#include <pthread.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

#include "ballot.h"
#include "count.h"
#include "journal.h"
#include "sealed.h"
#include "pabulib.h"
#include "progress.h"
#include "tracking.h"
#include "util.h"

/* One ballot definition being counted. */
struct def {
    struct profile p;
    uint32_t *pos; /* election project index -> position on this ballot, or UINT32_MAX */
    /* Distinct ballots: open addressing over the profile's rows (row index + 1; 0 = empty).
     * Identical ballots become one row with a weight, so memory grows with the number of
     * different ballots, not with the number of ballots. */
    uint32_t *slot;
    size_t nslot;
    struct outcome out;
    enum count_rule rule;
    bool counted;
};

static int def_init(struct def *d, const struct election *el, uint32_t i, struct err *e)
{
    const struct ballot_def *bd = &el->ballots[i];
    memset(d, 0, sizeof *d);
    profile_init(&d->p);
    struct profile *p = &d->p;
    p->ids = calloc(bd->nprojects + 1, sizeof *p->ids);
    p->names = calloc(bd->nprojects + 1, sizeof *p->names);
    p->cost = calloc(bd->nprojects + 1, sizeof *p->cost);
    p->published = calloc(bd->nprojects + 1, sizeof *p->published);
    d->pos = malloc((el->nprojects + 1) * sizeof *d->pos);
    if (!p->ids || !p->names || !p->cost || !p->published || !d->pos)
        return err_set(e, ERR_NOMEM, "out of memory counting");
    p->nprojects = bd->nprojects;
    for (size_t k = 0; k < el->nprojects; k++)
        d->pos[k] = UINT32_MAX;
    for (size_t k = 0; k < bd->nprojects; k++) {
        const struct project *pr = &el->projects[bd->projects[k]];
        p->ids[k] = util_strdup(pr->id);
        p->names[k] = util_strdup(text_get(&pr->title, el->langs[0]));
        p->cost[k] = pr->cost;
        p->published[k] = -1;
        d->pos[bd->projects[k]] = (uint32_t)k;
    }
    p->budget = bd->budget;
    p->kind = bd->rule.kind == RULE_CUMULATIVE ? VOTE_CUMULATIVE
              : bd->rule.kind == RULE_RANKING  ? VOTE_ORDINAL
                                               : VOTE_APPROVAL;
    p->max_rank = bd->rule.max;
    snprintf(p->rule, sizeof p->rule, "%s",
             bd->method == COUNT_MES ? "equalshares/add1+greedy" : "greedy");
    snprintf(p->currency, sizeof p->currency, "EUR");
    d->rule = bd->method == COUNT_MES    ? COUNT_RULE_MES_ADD1_GREEDY
              : p->kind == VOTE_APPROVAL ? COUNT_RULE_GREEDY_VOTES
                                         : COUNT_RULE_GREEDY_SCORE;
    return 0;
}

static void def_free(struct def *d)
{
    if (d->counted)
        outcome_free(&d->out);
    if (d->p.items)
        sodium_memzero(d->p.items, d->p.nitems * sizeof *d->p.items);
    if (d->p.values)
        sodium_memzero(d->p.values, d->p.nitems * sizeof *d->p.values);
    profile_free(&d->p);
    free(d->pos);
    free(d->slot);
}

static uint32_t row_hash(const uint32_t *items, const uint32_t *values, size_t n)
{
    uint32_t h = 2166136261u ^ (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ items[i]) * 16777619u;
        h = (h ^ values[i]) * 16777619u;
    }
    return h;
}

static bool row_is(const struct profile *p, size_t v, const uint32_t *items, const uint32_t *values,
                   size_t n)
{
    size_t o = p->offs[v];
    return p->offs[v + 1] - o == n &&
           (n == 0 || (!memcmp(p->items + o, items, n * sizeof *items) &&
                       !memcmp(p->values + o, values, n * sizeof *values)));
}

/* Re-inserts every row into a table of `size` slots (a power of two). */
static int rehash(struct def *d, size_t size, struct err *e)
{
    uint32_t *s = calloc(size, sizeof *s);
    if (!s)
        return err_set(e, ERR_NOMEM, "out of memory counting");
    const struct profile *p = &d->p;
    for (size_t v = 0; v < p->nvoters; v++) {
        size_t o = p->offs[v], n = p->offs[v + 1] - o;
        size_t h = row_hash(p->items + o, p->values + o, n) & (size - 1);
        while (s[h])
            h = (h + 1) & (size - 1);
        s[h] = (uint32_t)(v + 1);
    }
    free(d->slot);
    d->slot = s;
    d->nslot = size;
    return 0;
}

/* One more ballot with these entries: a new row, or one more on an identical row. */
static int add_ballot(struct def *d, const uint32_t *items, const uint32_t *values, size_t n,
                      struct err *e)
{
    struct profile *p = &d->p;
    if ((p->nvoters + 1) * 2 > d->nslot) {
        int rc = rehash(d, d->nslot ? d->nslot * 2 : 1024, e);
        if (rc)
            return rc;
    }
    size_t h = row_hash(items, values, n) & (d->nslot - 1);
    for (; d->slot[h]; h = (h + 1) & (d->nslot - 1)) {
        size_t v = d->slot[h] - 1;
        if (row_is(p, v, items, values, n)) {
            if (p->nweight >= UINT32_MAX)
                return err_set(e, ERR_INVALID, "more ballots than can be counted");
            p->weight[v]++;
            p->nweight++;
            return 0;
        }
    }
    int rc = profile_add_voters(p, items, values, n, 1, e);
    if (!rc)
        d->slot[h] = (uint32_t)p->nvoters;
    return rc;
}

static int add_vote(struct def *defs, const struct election *el, const struct vote *v,
                    struct err *e)
{
    for (uint32_t b = 0; b < v->nballots; b++) {
        const struct ballot *bl = &v->ballots[b];
        if (bl->def >= el->nballots)
            return err_set(e, ERR_INVALID, "a ballot names definition %u, which does not exist",
                           bl->def);
        struct def *d = &defs[bl->def];
        uint32_t items[BALLOT_MAX_CHOICES], values[BALLOT_MAX_CHOICES];
        uint32_t n = bl->nentries <= BALLOT_MAX_CHOICES ? bl->nentries : BALLOT_MAX_CHOICES;
        for (uint32_t k = 0; k < n; k++) {
            uint32_t pr = bl->entries[k].project;
            items[k] = pr < el->nprojects ? d->pos[pr] : UINT32_MAX;
            values[k] = bl->entries[k].value;
        }
        int rc = add_ballot(d, items, values, n, e);
        sodium_memzero(items, sizeof items);
        sodium_memzero(values, sizeof values);
        if (rc)
            return rc;
    }
    return 0;
}

/* Decryption runs on every core: workers take the next ciphertext from the (shared, locked)
 * statement, open it outside the lock, and add it to the profiles under the lock. The profiles
 * do not depend on the order ballots arrive in (count.c sorts voters by content), so the result
 * is the same with one thread or eight. */
#define DECRYPT_MAX_THREADS 8

struct decrypt {
    pthread_mutex_t lock;
    struct tallydb_ballots *cur;
    const struct election *el;
    const struct secret_key *tally;
    struct def *defs;
    struct progress *prog;
    uint8_t prev[HASH_LEN];
    bool have_prev, done;
    size_t ct_max;
    int rc;
    struct err *e;
};

/* Under the lock: the next ciphertext not seen yet, copied into ct. Returns false at the end
 * or after an error. */
static bool next_ciphertext(struct decrypt *d, uint8_t *ct, size_t *n, long long *seq,
                            char label[64])
{
    while (!d->done && !d->rc) {
        struct tallydb_ballot b;
        int got = tallydb_ballots_next(d->cur, &b, d->e);
        if (got <= 0) {
            d->done = true;
            if (got < 0)
                d->rc = got;
            break;
        }
        progress_step(d->prog, 1);
        if (!b.hash)
            continue;
        if (d->have_prev && memcmp(d->prev, b.hash, HASH_LEN) == 0)
            continue; /* the same ciphertext held twice (only possible by override) */
        memcpy(d->prev, b.hash, HASH_LEN);
        d->have_prev = true;
        if (b.n > d->ct_max) {
            d->rc = err_set(d->e, ERR_INVALID,
                            "a ballot in the tally database has %zu bytes of "
                            "ciphertext, more than this election's",
                            b.n);
            break;
        }
        if (b.n)
            memcpy(ct, b.ct, b.n);
        *n = b.n;
        *seq = (long long)b.seq;
        snprintf(label, 64, "%s", b.kiosk);
        return true;
    }
    return false;
}

static void *decrypt_worker(void *arg)
{
    struct decrypt *d = arg;
    struct vote *v = sodium_malloc(sizeof *v);
    uint8_t *ct = malloc(d->ct_max ? d->ct_max : 1);
    pthread_mutex_lock(&d->lock);
    if (!v || !ct) {
        if (!d->rc)
            d->rc = err_set(d->e, ERR_NOMEM, "out of memory opening the ballots");
    }
    size_t n;
    long long seq;
    char label[64];
    while (v && ct && next_ciphertext(d, ct, &n, &seq, label)) {
        pthread_mutex_unlock(&d->lock);
        struct err oe = {0};
        int orc = sealed_open(ct, n, d->tally, d->el, v, &oe);
        pthread_mutex_lock(&d->lock);
        if (d->rc)
            break;
        if (orc)
            d->rc = err_set(d->e, ERR_CRYPTO,
                            "the ballot in row %lld of kiosk %s cannot be opened (%s): check that "
                            "this is the election's tally key; nothing was counted",
                            seq, label, oe.msg);
        else
            d->rc = add_vote(d->defs, d->el, v, d->e);
        vote_wipe(v);
    }
    pthread_mutex_unlock(&d->lock);
    sodium_free(v);
    free(ct);
    return NULL;
}

/* Opens every ballot held (each ciphertext once) into the definitions' profiles. */
static int decrypt_all(struct tallydb *t, const struct election *el, const struct secret_key *tally,
                       struct def *defs, struct err *e)
{
    struct tallydb_totals tot;
    tallydb_totals(t, &tot);
    struct tallydb_ballots *cur = NULL;
    int orc = tallydb_ballots_open(t, &cur, e);
    if (orc)
        return orc;
    struct progress prog;
    progress_start(&prog, stderr, "decrypting", (uint64_t)tot.ballot_rows);
    struct decrypt d = {.cur = cur,
                        .el = el,
                        .tally = tally,
                        .defs = defs,
                        .prog = &prog,
                        .ct_max = vote_padded_len(el) + SEAL_OVERHEAD,
                        .e = e};
    pthread_mutex_init(&d.lock, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int nthreads = cores < 1 ? 1 : cores > DECRYPT_MAX_THREADS ? DECRYPT_MAX_THREADS : (int)cores;
    pthread_t th[DECRYPT_MAX_THREADS];
    int started = 0;
    for (int i = 1; i < nthreads; i++)
        if (pthread_create(&th[started], NULL, decrypt_worker, &d) == 0)
            started++;
    decrypt_worker(&d); /* this thread works too */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&d.lock);
    progress_end(&prog);
    tallydb_ballots_close(cur);
    return d.rc;
}

/* ---- output helpers --------------------------------------------------------------------- */

void report_json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* {"fr": "...", "nl": "..."} in the election's languages. */
static void json_text(FILE *f, const struct election *el, const struct text *t)
{
    fputc('{', f);
    for (int i = 0; i < el->nlangs; i++) {
        fprintf(f, "%s\"%s\":", i ? "," : "", lang_code(el->langs[i]));
        report_json_str(f, text_get(t, el->langs[i]));
    }
    fputc('}', f);
}

static void csv_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Prints s in `cols` character columns: cut on a character boundary, padded with spaces. */
static void print_cols(FILE *f, const char *s, int cols)
{
    int n = 0;
    const char *p = s;
    while (*p && n < cols) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        n++;
    }
    fprintf(f, "%.*s%*s", (int)(p - s), s, cols - n, "");
}

/* Why project i (selected) won, in one sentence; budget left before it was chosen. */
static void why(char *out, size_t size, const struct def *d, uint32_t i, enum lang l)
{
    char money[64];
    const struct project_result *r = &d->out.res[i];
    if (!r->selected) {
        int64_t spent_all = d->out.spent;
        if (r->votes == 0)
            snprintf(out, size, "not funded: no votes");
        else if (d->p.cost[i] > d->p.budget - spent_all) {
            util_format_euro(money, sizeof money, d->p.budget - spent_all, lang_code(l));
            snprintf(out, size, "not funded: its cost exceeds what was left (%s)", money);
        } else
            snprintf(out, size, "not funded");
        return;
    }
    int64_t left = d->p.budget;
    for (size_t k = 0; k < d->out.nselected && d->out.order[k] != i; k++)
        left -= d->p.cost[d->out.order[k]];
    util_format_euro(money, sizeof money, left, lang_code(l));
    bool mes = d->rule == COUNT_RULE_MES_ADD1_GREEDY || d->rule == COUNT_RULE_MES_ADD1 ||
               d->rule == COUNT_RULE_MES;
    if (mes && r->phase == 1)
        snprintf(out, size,
                 "equal shares, round %d: its supporters could pay it, at the lowest price per "
                 "supporter (effective votes %.1f)",
                 r->round, r->eff);
    else if (mes)
        snprintf(out, size,
                 "greedy completion after equal shares, round %d: %lld votes, fitted in the "
                 "%s left",
                 r->round, (long long)r->votes, money);
    else
        snprintf(out, size, "greedy, round %d: %lld %s, fitted in the %s left", r->round,
                 (long long)(d->rule == COUNT_RULE_GREEDY_SCORE ? r->score : r->votes),
                 d->rule == COUNT_RULE_GREEDY_SCORE ? "points" : "votes", money);
}

/* ---- verification summary ---------------------------------------------------------------- */

static void utc(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(out, 32, "%lld", (long long)t);
}

/* The callbacks below write to the FILE given as ctx; JSON lists keep a count beside it. */
struct json_list {
    FILE *f;
    int n;
};

static void override_text(void *ctx, const struct tallydb_override *o)
{
    char when[32];
    utc(when, o->at);
    fprintf(ctx, "OVERRIDE %s by %s for %s: \"%s\"; problems:\n%s", when, o->who, o->source,
            o->reason, o->problems);
}

static void kiosk_text(void *ctx, const struct tallydb_kiosk *k)
{
    fprintf(ctx, "  %-24s %8lld ballots (polls %s, rows 1..%lld)\n", k->label,
            (long long)k->ballots, k->state, (long long)k->last_seq);
}

static void unclosed_text(void *ctx, const struct tallydb_kiosk *k)
{
    if (k->closed || !k->accepted_reason)
        return;
    char when[32];
    utc(when, k->accepted_at);
    fprintf(ctx,
            "ACCEPTED WITHOUT A CLOSE RECORD: kiosk %s (polls %s, rows 1..%lld, %lld ballots), "
            "by %s at %s: \"%s\"\n",
            k->label, k->state, (long long)k->last_seq, (long long)k->ballots, k->accepted_by, when,
            k->accepted_reason);
}

static void time_text(void *ctx, const char *kiosk, const char *what)
{
    (void)kiosk;
    fprintf(ctx, "TIME: %s\n", what);
}

static void summary_text(struct tallydb *t, const struct election *el, FILE *f)
{
    struct tallydb_totals n;
    tallydb_totals(t, &n);
    fprintf(f, "verification: %lld source%s, %lld kiosk%s, %lld ballots, %lld override%s\n",
            (long long)n.sources, n.sources == 1 ? "" : "s", (long long)n.kiosks,
            n.kiosks == 1 ? "" : "s", (long long)n.ballots, (long long)n.overrides,
            n.overrides == 1 ? "" : "s");
    tallydb_each_override(t, override_text, f);
    tallydb_each_kiosk(t, unclosed_text, f);
    tallydb_each_time_note(t, time_text, f);
    fprintf(f, "turnout per kiosk:\n");
    tallydb_each_kiosk(t, kiosk_text, f);
    size_t missing = 0;
    for (size_t i = 0; i < el->nkiosks; i++)
        if (!tallydb_holds_kiosk(t, el->kiosk_pks[i]))
            fprintf(f, "%s %s",
                    missing++ ? ","
                              : "kiosks authorised by the package, none of whose "
                                "exports was imported:",
                    el->kiosk_labels[i]);
    if (missing)
        fputc('\n', f);
}

static void source_json(void *ctx, const struct tallydb_source *s)
{
    struct json_list *l = ctx;
    FILE *f = l->f;
    fprintf(f, "%s{\"name\":", l->n++ ? "," : "");
    report_json_str(f, s->name);
    fprintf(f, ",\"kind\":");
    report_json_str(f, s->kind);
    fprintf(f, ",\"kiosk\":");
    report_json_str(f, s->kiosk);
    fprintf(f,
            ",\"export_seq\":%lld,\"last_seq\":%lld,\"new_ballots\":%lld,\"problems\":%lld,"
            "\"override\":%s}",
            (long long)s->export_seq, (long long)s->last_seq, (long long)s->new_ballots,
            (long long)s->problems, s->override ? "true" : "false");
}

static void override_json(void *ctx, const struct tallydb_override *o)
{
    struct json_list *l = ctx;
    FILE *f = l->f;
    char when[32];
    utc(when, o->at);
    fprintf(f, "%s{\"at\":\"%s\",\"by\":", l->n++ ? "," : "", when);
    report_json_str(f, o->who);
    fprintf(f, ",\"reason\":");
    report_json_str(f, o->reason);
    fprintf(f, ",\"source\":");
    report_json_str(f, o->source);
    fprintf(f, ",\"problems\":");
    report_json_str(f, o->problems);
    fputc('}', f);
}

static void kiosk_json(void *ctx, const struct tallydb_kiosk *k)
{
    struct json_list *l = ctx;
    FILE *f = l->f;
    fprintf(f, "%s{\"kiosk\":", l->n++ ? "," : "");
    report_json_str(f, k->label);
    fprintf(f, ",\"polls\":");
    report_json_str(f, k->state);
    fprintf(f, ",\"last_seq\":%lld,\"ballots\":%lld}", (long long)k->last_seq,
            (long long)k->ballots);
}

static void unclosed_json(void *ctx, const struct tallydb_kiosk *k)
{
    if (k->closed || !k->accepted_reason)
        return;
    struct json_list *l = ctx;
    FILE *f = l->f;
    char when[32];
    utc(when, k->accepted_at);
    fprintf(f, "%s{\"kiosk\":", l->n++ ? "," : "");
    report_json_str(f, k->label);
    fprintf(f, ",\"polls\":");
    report_json_str(f, k->state);
    fprintf(f, ",\"last_seq\":%lld,\"ballots\":%lld,\"at\":\"%s\",\"by\":", (long long)k->last_seq,
            (long long)k->ballots, when);
    report_json_str(f, k->accepted_by);
    fprintf(f, ",\"reason\":");
    report_json_str(f, k->accepted_reason);
    fputc('}', f);
}

static void time_json(void *ctx, const char *kiosk, const char *what)
{
    struct json_list *l = ctx;
    fprintf(l->f, "%s{\"kiosk\":", l->n++ ? "," : "");
    report_json_str(l->f, kiosk);
    fprintf(l->f, ",\"note\":");
    report_json_str(l->f, what);
    fputc('}', l->f);
}

static void summary_json(struct tallydb *t, const struct election *el, FILE *f)
{
    struct json_list l = {f, 0};
    fprintf(f, "\"verification\":{\"sources\":[");
    tallydb_each_source(t, source_json, &l);
    fprintf(f, "],\"overrides\":[");
    l.n = 0;
    tallydb_each_override(t, override_json, &l);
    fprintf(f, "],\"accepted_without_close\":[");
    l.n = 0;
    tallydb_each_kiosk(t, unclosed_json, &l);
    fprintf(f, "],\"time_notes\":[");
    l.n = 0;
    tallydb_each_time_note(t, time_json, &l);
    fprintf(f, "]},\"turnout_per_kiosk\":[");
    l.n = 0;
    tallydb_each_kiosk(t, kiosk_json, &l);
    fprintf(f, "],\"kiosks_not_imported\":[");
    for (size_t i = 0, n = 0; i < el->nkiosks; i++)
        if (!tallydb_holds_kiosk(t, el->kiosk_pks[i])) {
            fprintf(f, "%s", n++ ? "," : "");
            report_json_str(f, el->kiosk_labels[i]);
        }
    fputc(']', f);
}

/* ---- the three formats ------------------------------------------------------------------- */

static void out_table(const struct election *el, struct def *defs, const struct report_opts *o)
{
    FILE *f = o->out;
    enum lang l = o->lang;
    fprintf(f, "\n%s (%s)\nties broken by:", text_get(&el->name, l), el->id);
    bool has_id = false;
    for (int i = 0; i < TIE_MAX && el->tie_break[i] != TIE_END; i++) {
        fprintf(f, "%s %s", i ? "," : "", tie_break_name(el->tie_break[i]));
        has_id |= el->tie_break[i] == TIE_ID;
    }
    fprintf(f, "%s\n", has_id ? "" : ", id");
    fprintf(f, "turnout per ballot:\n");
    for (uint32_t d = 0; d < el->nballots; d++)
        fprintf(f, "  %-24s %8llu ballots\n", text_get(&el->ballots[d].name, l),
                (unsigned long long)profile_voters(&defs[d].p));
    for (uint32_t d = 0; d < el->nballots; d++) {
        const struct ballot_def *bd = &el->ballots[d];
        struct def *df = &defs[d];
        char money[64];
        util_format_euro(money, sizeof money, bd->budget, lang_code(l));
        fprintf(f, "\n%s — %llu ballots, budget %s, %s\n", text_get(&bd->name, l),
                (unsigned long long)profile_voters(&df->p), money, count_rule_name(df->rule));
        fprintf(f, "%-8s %-40s %14s %7s %7s  %-6s %s\n", "project", "title", "cost", "votes",
                "score", "funded", "why");
        for (size_t k = 0; k < df->p.nprojects + df->out.nselected; k++) {
            /* funded projects first, in the order chosen, then the others */
            uint32_t i;
            if (k < df->out.nselected) {
                i = df->out.order[k];
            } else {
                i = (uint32_t)(k - df->out.nselected);
                if (df->out.res[i].selected)
                    continue;
            }
            const struct project_result *r = &df->out.res[i];
            util_format_euro(money, sizeof money, df->p.cost[i], lang_code(l));
            char reason[200];
            why(reason, sizeof reason, df, i, l);
            fprintf(f, "%-8s ", df->p.ids[i]);
            print_cols(f, text_get(&el->projects[bd->projects[i]].title, l), 40);
            fprintf(f, " %14s %7lld %7lld  %-6s %s\n", money, (long long)r->votes,
                    (long long)r->score, r->selected ? "yes" : "-", reason);
        }
        util_format_euro(money, sizeof money, df->out.spent, lang_code(l));
        fprintf(f, "spent %s\n", money);
    }
}

static void out_csv(const struct election *el, struct def *defs, const struct report_opts *o)
{
    FILE *f = o->out;
    fprintf(f, "ballot,project,title,cost_cents,votes,score,selected,round,phase,why");
    for (int i = 0; i < el->nlangs; i++)
        fprintf(f, ",title_%s", lang_code(el->langs[i]));
    fputc('\n', f);
    for (uint32_t d = 0; d < el->nballots; d++) {
        const struct ballot_def *bd = &el->ballots[d];
        struct def *df = &defs[d];
        for (size_t i = 0; i < df->p.nprojects; i++) {
            const struct project_result *r = &df->out.res[i];
            const struct project *pr = &el->projects[bd->projects[i]];
            char reason[200];
            why(reason, sizeof reason, df, (uint32_t)i, o->lang);
            fprintf(f, "%s,%s,", bd->id, pr->id);
            csv_str(f, text_get(&pr->title, o->lang));
            fprintf(f, ",%lld,%lld,%lld,%d,%d,%d,", (long long)pr->cost, (long long)r->votes,
                    (long long)r->score, r->selected, r->round, r->phase);
            csv_str(f, reason);
            for (int k = 0; k < el->nlangs; k++) {
                fputc(',', f);
                csv_str(f, text_get(&pr->title, el->langs[k]));
            }
            fputc('\n', f);
        }
    }
}

static void out_json(struct tallydb *t, const struct election *el, struct def *defs,
                     const struct report_opts *o)
{
    FILE *f = o->out;
    fprintf(f, "{\"election\":{\"id\":");
    report_json_str(f, el->id);
    fprintf(f, ",\"name\":");
    json_text(f, el, &el->name);
    fprintf(f, ",\"languages\":[");
    for (int i = 0; i < el->nlangs; i++)
        fprintf(f, "%s\"%s\"", i ? "," : "", lang_code(el->langs[i]));
    fprintf(f, "]},\"tie_break\":[");
    int n = 0;
    bool has_id = false;
    for (int i = 0; i < TIE_MAX && el->tie_break[i] != TIE_END; i++, n++) {
        fprintf(f, "%s\"%s\"", n ? "," : "", tie_break_name(el->tie_break[i]));
        has_id |= el->tie_break[i] == TIE_ID;
    }
    fprintf(f, "%s],", has_id ? "" : n ? ",\"id\"" : "\"id\"");
    summary_json(t, el, f);
    fprintf(f, ",\"ballots\":[");
    for (uint32_t d = 0; d < el->nballots; d++) {
        const struct ballot_def *bd = &el->ballots[d];
        struct def *df = &defs[d];
        fprintf(f, "%s{\"id\":", d ? "," : "");
        report_json_str(f, bd->id);
        fprintf(f, ",\"name\":");
        json_text(f, el, &bd->name);
        fprintf(f, ",\"district\":");
        if (bd->district >= 0)
            report_json_str(f, el->districts[bd->district].id);
        else
            fprintf(f, "null");
        fprintf(f, ",\"turnout\":%llu,\"budget_cents\":%lld,\"spent_cents\":%lld,\"rule\":",
                (unsigned long long)profile_voters(&df->p), (long long)bd->budget,
                (long long)df->out.spent);
        report_json_str(f, count_rule_name(df->rule));
        fprintf(f, ",\"projects\":[");
        for (size_t i = 0; i < df->p.nprojects; i++) {
            const struct project_result *r = &df->out.res[i];
            const struct project *pr = &el->projects[bd->projects[i]];
            char reason[200];
            why(reason, sizeof reason, df, (uint32_t)i, LANG_EN);
            fprintf(f, "%s{\"id\":", i ? "," : "");
            report_json_str(f, pr->id);
            fprintf(f, ",\"title\":");
            json_text(f, el, &pr->title);
            fprintf(f,
                    ",\"cost_cents\":%lld,\"votes\":%lld,\"score\":%lld,\"selected\":%s,"
                    "\"round\":%d,\"phase\":",
                    (long long)pr->cost, (long long)r->votes, (long long)r->score,
                    r->selected ? "true" : "false", r->round);
            report_json_str(f, !r->selected                  ? "none"
                               : r->phase == 2               ? "completion"
                               : count_rule_is_mes(df->rule) ? "equal-shares"
                                                             : "greedy");
            fprintf(f, ",\"why\":");
            report_json_str(f, reason);
            fputc('}', f);
        }
        fprintf(f, "]}");
    }
    fprintf(f, "]}\n");
}

int report_count(struct tallydb *t, const struct election *el, const struct secret_key *tally,
                 const struct report_opts *o, struct err *e)
{
    struct def *defs = calloc(el->nballots + 1, sizeof *defs);
    if (!defs)
        return err_set(e, ERR_NOMEM, "out of memory counting");
    int rc = 0;
    for (uint32_t d = 0; d < el->nballots && !rc; d++)
        rc = def_init(&defs[d], el, d, e);
    if (!rc)
        rc = decrypt_all(t, el, tally, defs, e);
    for (uint32_t d = 0; d < el->nballots && !rc; d++) {
        /* an unordered set: no casting order survives into the count or the open data */
        rc = profile_sort_voters(&defs[d].p, e);
        if (!rc)
            rc = count_run(&defs[d].p, defs[d].rule, el->tie_break, &defs[d].out, e);
        defs[d].counted = rc == 0;
    }
    if (!rc && o->pb_dir) {
        for (uint32_t d = 0; d < el->nballots && !rc; d++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s-%s.pb", o->pb_dir, el->id, el->ballots[d].id);
            FILE *f = fopen(path, "w");
            if (!f) {
                rc = err_errno(e, "cannot write %s", path);
                break;
            }
            char desc[256];
            snprintf(desc, sizeof desc, "%s — %s", text_get(&el->name, el->langs[0]),
                     text_get(&el->ballots[d].name, el->langs[0]));
            rc = pabulib_write(f, &defs[d].p, &defs[d].out, desc, e);
            if (fclose(f) != 0 && !rc)
                rc = err_errno(e, "cannot write %s", path);
        }
    }
    if (!rc) {
        if (o->format == REPORT_JSON) {
            out_json(t, el, defs, o);
        } else {
            summary_text(t, el, o->log ? o->log : o->out);
            if (o->format == REPORT_CSV) {
                FILE *lg = o->log ? o->log : stderr;
                for (uint32_t d = 0; d < el->nballots; d++)
                    fprintf(lg, "turnout %s: %llu ballots\n", el->ballots[d].id,
                            (unsigned long long)profile_voters(&defs[d].p));
                out_csv(el, defs, o);
            } else {
                out_table(el, defs, o);
            }
        }
        if (fflush(o->out) != 0 || ferror(o->out))
            rc = err_errno(e, "cannot write the report");
    }
    for (uint32_t d = 0; d < el->nballots; d++)
        def_free(&defs[d]);
    free(defs);
    return rc;
}

/* ---- tracking codes ---------------------------------------------------------------------- */

static void tracking_line(void *ctx, const char *code, const uint8_t hash[HASH_LEN])
{
    char hx[2 * HASH_LEN + 1];
    hex_encode(hx, hash, HASH_LEN);
    fprintf(ctx, "%s,%s\n", code, hx);
}

static void unclosed_tracking(void *ctx, const struct tallydb_kiosk *k)
{
    if (!k->closed && k->accepted_reason)
        fprintf(ctx,
                "# kiosk %s counted WITHOUT a close record (polls %s, %lld ballots), by %s: %s\n",
                k->label, k->state, (long long)k->ballots, k->accepted_by, k->accepted_reason);
}

int report_tracking(struct tallydb *t, const struct election *el, FILE *f, struct err *e)
{
    struct tallydb_totals n;
    tallydb_totals(t, &n);
    fprintf(f, "# isoloir tracking codes, election %s: %lld ballots\n", el->id,
            (long long)n.ballots);
    fprintf(f, "# tracking_code,ciphertext_blake2b256 (sorted by tracking code)\n");
    tallydb_each_kiosk(t, unclosed_tracking, f);
    return tallydb_each_tracking(t, tracking_line, f, e);
}
