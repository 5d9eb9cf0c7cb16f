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

/* `weight` more ballots with these entries: a new row, or more on an identical row. */
static int add_ballot(struct def *d, const uint32_t *items, const uint32_t *values, size_t n,
                      uint32_t weight, struct err *e)
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
            if (p->nweight + weight > UINT32_MAX)
                return err_set(e, ERR_INVALID, "more ballots than can be counted");
            p->weight[v] += weight;
            p->nweight += weight;
            return 0;
        }
    }
    int rc = profile_add_voters(p, items, values, n, weight, e);
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
        int rc = add_ballot(d, items, values, n, 1, e);
        sodium_memzero(items, sizeof items);
        sodium_memzero(values, sizeof values);
        if (rc)
            return rc;
    }
    return 0;
}

/* Adds every row of `from` (with its number) to `to`: the profiles of two workers become one. */
static int merge_def(struct def *to, const struct def *from, struct err *e)
{
    const struct profile *p = &from->p;
    for (size_t v = 0; v < p->nvoters; v++) {
        size_t o = p->offs[v];
        int rc = add_ballot(to, p->items + o, p->values + o, p->offs[v + 1] - o,
                            p->weight ? p->weight[v] : 1, e);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- decryption on every core ------------------------------------------------------------
 *
 * The calling thread reads the ciphertexts from SQLite (in the order of their hashes, each
 * distinct one once) into batches of DECRYPT_BATCH; worker threads (util_threads(), one per
 * core) take whole batches, open every ballot and add it to profiles of their own, with no
 * lock per ballot; at the end the workers' profiles are added together. The profiles do not
 * depend on the order ballots arrive in (identical ballots are one row with a number, and
 * count.c sorts the rows by content), so the result is the same with one thread or eight.
 * With one thread (ISOLOIR_THREADS=1) the calling thread opens each batch itself: the
 * reference the tests compare with.
 *
 * Every ciphertext has its place in the stream (0, 1, ...). A failure is kept with its place,
 * and only the batches starting after the earliest failure known are skipped, so the ballot
 * named in the error is always the first one in the stream that fails, whatever the threads. */
#define DECRYPT_BATCH 256
#define DECRYPT_QUEUE (2 * UTIL_MAX_THREADS + 2)
#define NO_FAILURE    UINT64_MAX

struct dbatch {
    size_t n;
    uint64_t first; /* place of its first ciphertext in the stream */
    bool busy;      /* filled, not yet done */
    uint8_t *ct;    /* n ciphertexts of ct_len bytes */
    uint8_t hash[DECRYPT_BATCH][HASH_LEN];
    int64_t seq[DECRYPT_BATCH];
    char kiosk[DECRYPT_BATCH][64];
};

struct dworker {
    struct def *defs; /* its own profiles; worker 0 has the caller's */
    struct vote *v;   /* sodium_malloc'd: the plaintext vote, wiped after each ballot */
    uint64_t failed;  /* place of its first failure, or NO_FAILURE */
    int rc;
    struct err e;
    pthread_t th;
    struct decrypt *d;
};

struct decrypt {
    pthread_mutex_t lock;
    pthread_cond_t filled, freed;
    struct dbatch q[DECRYPT_QUEUE];
    uint64_t nfilled, ntaken; /* batches filled by the reader, taken by a worker */
    bool end;                 /* the reader reads no more */
    uint64_t stop;            /* the earliest failure known (skip batches after it) */
    const struct election *el;
    const struct secret_key *tally;
    size_t ct_len;
    struct report_code *codes; /* codes[place], or NULL */
};

/* Opens the ballots of one batch into w's profiles (and their codes). */
static void open_batch(struct decrypt *d, struct dworker *w, const struct dbatch *b)
{
    for (size_t i = 0; i < b->n && w->failed == NO_FAILURE; i++) {
        const uint8_t *ct = b->ct + i * d->ct_len;
        struct err oe = {0};
        int rc = sealed_open(ct, d->ct_len, d->tally, d->el, w->v, &oe);
        if (rc)
            w->rc = err_set(&w->e, ERR_CRYPTO,
                            "the ballot in row %lld of kiosk %s cannot be opened (%s): check "
                            "that this is the election's tally key; nothing was counted",
                            (long long)b->seq[i], b->kiosk[i], oe.msg);
        else
            w->rc = add_vote(w->defs, d->el, w->v, &w->e);
        vote_wipe(w->v);
        if (w->rc) {
            w->failed = b->first + i;
            break;
        }
        if (d->codes) {
            struct report_code *c = &d->codes[b->first + i];
            char code[TRACKING_CODE_CHARS + 1];
            tracking_code(code, ct, d->ct_len);
            memcpy(c->code, code, TRACKING_CODE_CHARS);
            memcpy(c->hash, b->hash[i], HASH_LEN);
        }
    }
}

static void *decrypt_worker(void *arg)
{
    struct dworker *w = arg;
    struct decrypt *d = w->d;
    pthread_mutex_lock(&d->lock);
    for (;;) {
        while (!d->end && d->ntaken == d->nfilled)
            pthread_cond_wait(&d->filled, &d->lock);
        if (d->ntaken == d->nfilled)
            break; /* the end, and every batch taken */
        struct dbatch *b = &d->q[d->ntaken++ % DECRYPT_QUEUE];
        bool skip = b->first >= d->stop;
        pthread_mutex_unlock(&d->lock);
        if (!skip)
            open_batch(d, w, b);
        pthread_mutex_lock(&d->lock);
        if (w->failed < d->stop)
            d->stop = w->failed;
        b->busy = false;
        pthread_cond_broadcast(&d->freed);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

/* Reads the next batch from the cursor into b. Returns its size; *eof is set at the end. A
 * failure sets *rc and e and its place in *failed. */
static size_t read_batch(struct decrypt *d, struct tallydb_ballots *cur, struct dbatch *b,
                         uint64_t first, uint8_t prev[HASH_LEN], bool *have_prev, uint64_t cap,
                         uint64_t *rows, bool *eof, int *rc, uint64_t *failed, struct err *e)
{
    b->n = 0;
    b->first = first;
    while (b->n < DECRYPT_BATCH) {
        struct tallydb_ballot x;
        int got = tallydb_ballots_next(cur, &x, e);
        if (got < 0)
            *rc = got;
        if (got <= 0) {
            *eof = true; /* SQLite would start the statement again */
            break;
        }
        (*rows)++;
        if (!x.hash)
            continue;
        if (*have_prev && memcmp(prev, x.hash, HASH_LEN) == 0)
            continue; /* the same ciphertext held twice (only possible by override) */
        memcpy(prev, x.hash, HASH_LEN);
        *have_prev = true;
        if (x.n != d->ct_len) {
            *rc = err_set(e, ERR_FORMAT,
                          "the ballot in row %lld of kiosk %s has %zu bytes of ciphertext, this "
                          "election's have %zu: the tally database is damaged; nothing was "
                          "counted",
                          (long long)x.seq, x.kiosk, x.n, d->ct_len);
            break;
        }
        if (first + b->n >= cap) {
            *rc = err_set(e, ERR_IO, "the tally database changed while it was read: count again");
            break;
        }
        size_t i = b->n++;
        memcpy(b->ct + i * d->ct_len, x.ct, x.n);
        memcpy(b->hash[i], x.hash, HASH_LEN);
        b->seq[i] = (int64_t)x.seq;
        snprintf(b->kiosk[i], sizeof b->kiosk[i], "%s", x.kiosk);
    }
    if (*rc)
        *failed = first + b->n;
    return b->n;
}

/* Opens every ballot held (each ciphertext once) into the definitions' profiles, with
 * `threads` threads; codes (may be NULL, else room for cap) receives each one's tracking code
 * and hash in stream order, *ncodes how many; cap (the ballot rows held) also sizes the
 * progress bar. */
static int decrypt_all(struct tallydb *t, const struct election *el, const struct secret_key *tally,
                       struct def *defs, int threads, struct report_code *codes, uint64_t cap,
                       uint64_t *ncodes, struct err *e)
{
    struct tallydb_ballots *cur = NULL;
    int rc = tallydb_ballots_open(t, &cur, e);
    if (rc)
        return rc;
    struct decrypt *d = calloc(1, sizeof *d);
    int nw = threads <= 1 ? 1 : threads > UTIL_MAX_THREADS ? UTIL_MAX_THREADS : threads;
    struct dworker *w = calloc((size_t)nw, sizeof *w);
    if (!d || !w) {
        free(d);
        free(w);
        tallydb_ballots_close(cur);
        return err_set(e, ERR_NOMEM, "out of memory opening the ballots");
    }
    d->el = el;
    d->tally = tally;
    d->ct_len = sealed_size(el);
    d->codes = codes;
    d->stop = NO_FAILURE;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->filled, NULL);
    pthread_cond_init(&d->freed, NULL);
    for (int i = 0; i < DECRYPT_QUEUE && !rc; i++)
        if (!(d->q[i].ct = malloc(DECRYPT_BATCH * d->ct_len)))
            rc = err_set(e, ERR_NOMEM, "out of memory opening the ballots");
    for (int i = 0; i < nw && !rc; i++) {
        w[i].d = d;
        w[i].failed = NO_FAILURE;
        w[i].defs = i == 0 ? defs : calloc(el->nballots + 1, sizeof *w[i].defs);
        w[i].v = sodium_malloc(sizeof *w[i].v);
        if (!w[i].defs || !w[i].v)
            rc = err_set(e, ERR_NOMEM, "out of memory opening the ballots");
        for (uint32_t b = 0; i > 0 && b < el->nballots && !rc; b++)
            rc = def_init(&w[i].defs[b], el, b, e);
    }
    int started = 0;
    if (!rc && nw > 1)
        for (; started < nw; started++)
            if (pthread_create(&w[started].th, NULL, decrypt_worker, &w[started]) != 0)
                break;
    struct progress prog;
    progress_start(&prog, stderr, "decrypting", cap);
    uint8_t prev[HASH_LEN];
    bool have_prev = false;
    uint64_t placed = 0, rows = 0, read_failed = NO_FAILURE;
    int read_rc = 0;
    bool eof = false;
    struct err read_e = {0};
    while (!rc && !read_rc && !eof) {
        struct dbatch *b = &d->q[d->nfilled % DECRYPT_QUEUE];
        if (started) {
            pthread_mutex_lock(&d->lock);
            while (b->busy)
                pthread_cond_wait(&d->freed, &d->lock);
            bool stop = d->stop != NO_FAILURE;
            pthread_mutex_unlock(&d->lock);
            if (stop)
                break;
        } else if (w[0].failed != NO_FAILURE) {
            break;
        }
        uint64_t before = rows;
        size_t n = read_batch(d, cur, b, placed, prev, &have_prev, cap, &rows, &eof, &read_rc,
                              &read_failed, &read_e);
        progress_step(&prog, rows - before);
        if (n == 0)
            break;
        placed += n;
        if (started) {
            pthread_mutex_lock(&d->lock);
            b->busy = true;
            d->nfilled++;
            pthread_cond_signal(&d->filled);
            pthread_mutex_unlock(&d->lock);
        } else {
            open_batch(d, &w[0], b);
        }
    }
    if (started) {
        pthread_mutex_lock(&d->lock);
        d->end = true;
        pthread_cond_broadcast(&d->filled);
        pthread_mutex_unlock(&d->lock);
        for (int i = 0; i < started; i++)
            pthread_join(w[i].th, NULL);
    } else if (!rc && nw > 1) {
        rc = err_set(e, ERR_INTERNAL, "cannot start the decrypting threads");
    }
    progress_end(&prog);
    tallydb_ballots_close(cur);
    /* the earliest failure in the stream, whoever met it */
    if (!rc) {
        uint64_t first_fail = NO_FAILURE;
        if (read_rc) {
            first_fail = read_failed;
            *e = read_e;
            rc = read_rc;
        }
        for (int i = 0; i < nw; i++)
            if (w[i].failed < first_fail) {
                first_fail = w[i].failed;
                *e = w[i].e;
                rc = w[i].rc;
            }
    }
    for (int i = 1; i < nw && !rc; i++)
        for (uint32_t b = 0; b < el->nballots && !rc; b++)
            rc = merge_def(&defs[b], &w[i].defs[b], e);
    for (int i = 0; i < nw; i++) {
        for (uint32_t b = 0; i > 0 && w[i].defs && b < el->nballots; b++)
            def_free(&w[i].defs[b]);
        if (i > 0)
            free(w[i].defs);
        sodium_free(w[i].v);
    }
    for (int i = 0; i < DECRYPT_QUEUE; i++)
        free(d->q[i].ct);
    pthread_cond_destroy(&d->filled);
    pthread_cond_destroy(&d->freed);
    pthread_mutex_destroy(&d->lock);
    free(d);
    free(w);
    if (ncodes)
        *ncodes = placed;
    return rc;
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

static int code_cmp(const void *a, const void *b)
{
    const struct report_code *x = a, *y = b;
    int c = memcmp(x->code, y->code, sizeof x->code);
    return c ? c : memcmp(x->hash, y->hash, sizeof x->hash);
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
    struct tallydb_totals tot;
    tallydb_totals(t, &tot);
    uint64_t cap = tot.ballot_rows > 0 ? (uint64_t)tot.ballot_rows : 0, ncodes = 0;
    struct report_code *codes = NULL;
    if (!rc && o->codes && cap && !(codes = malloc(cap * sizeof *codes)))
        rc =
            err_set(e, ERR_NOMEM, "out of memory for %llu tracking codes", (unsigned long long)cap);
    if (!rc)
        rc = decrypt_all(t, el, tally, defs, o->threads > 0 ? o->threads : util_threads(), codes,
                         cap, &ncodes, e);
    if (!rc && codes) {
        /* the published order: by code, then hash; nothing of the casting order */
        qsort(codes, ncodes, sizeof *codes, code_cmp);
        *o->codes = codes;
        *o->ncodes = ncodes;
        codes = NULL;
    }
    free(codes);
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

static void tracking_header(struct tallydb *t, const struct election *el, FILE *f)
{
    struct tallydb_totals n;
    tallydb_totals(t, &n);
    fprintf(f, "# isoloir tracking codes, election %s: %lld ballots\n", el->id,
            (long long)n.ballots);
    fprintf(f, "# tracking_code,ciphertext_blake2b256 (sorted by tracking code)\n");
    tallydb_each_kiosk(t, unclosed_tracking, f);
}

int report_tracking(struct tallydb *t, const struct election *el, FILE *f, struct err *e)
{
    tracking_header(t, el, f);
    return tallydb_each_tracking(t, tracking_line, f, e);
}

int report_tracking_codes(struct tallydb *t, const struct election *el,
                          const struct report_code *codes, uint64_t n, FILE *f, struct err *e)
{
    tracking_header(t, el, f);
    char line[TRACKING_TEXT_MAX + 2 * HASH_LEN + 2];
    for (uint64_t i = 0; i < n; i++) {
        if (i && code_cmp(&codes[i - 1], &codes[i]) >= 0)
            return err_set(e, ERR_INTERNAL, "the tracking codes are not sorted");
        tracking_format(line, codes[i].code);
        line[TRACKING_TEXT_LEN] = ',';
        hex_encode(line + TRACKING_TEXT_LEN + 1, codes[i].hash, HASH_LEN);
        line[TRACKING_TEXT_LEN + 1 + 2 * HASH_LEN] = '\n';
        fwrite(line, 1, TRACKING_TEXT_LEN + 2 * HASH_LEN + 2, f);
    }
    return 0;
}
