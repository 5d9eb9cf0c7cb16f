/* report — counting from the tally database and the published reports; see report.h. */
#include "report.h"

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
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
    d->rule = bd->method == COUNT_MES    ? RULE_MES_ADD1_GREEDY
              : p->kind == VOTE_APPROVAL ? RULE_GREEDY_VOTES
                                         : RULE_GREEDY_SCORE;
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
    sqlite3 *db;
    sqlite3_stmt *st;
    const struct election *el;
    const struct secret_key *tally;
    struct def *defs;
    struct progress *prog;
    uint8_t prev[HASH_LEN];
    bool have_prev, done;
    size_t ct_max;
    int rc, src;
    struct err *e;
};

/* Under the lock: the next ciphertext not seen yet, copied into ct. Returns false at the end
 * or after an error. */
static bool next_ciphertext(struct decrypt *d, uint8_t *ct, size_t *n, long long *seq,
                            char label[64])
{
    while (!d->done && !d->rc) {
        d->src = sqlite3_step(d->st);
        if (d->src != SQLITE_ROW) {
            d->done = true;
            break;
        }
        progress_step(d->prog, 1);
        const void *h = sqlite3_column_blob(d->st, 0);
        int len = sqlite3_column_bytes(d->st, 1);
        if (sqlite3_column_bytes(d->st, 0) != HASH_LEN)
            continue;
        if (d->have_prev && memcmp(d->prev, h, HASH_LEN) == 0)
            continue; /* the same ciphertext held twice (only possible by override) */
        memcpy(d->prev, h, HASH_LEN);
        d->have_prev = true;
        if (len < 0 || (size_t)len > d->ct_max) {
            d->rc = err_set(d->e, ERR_INVALID,
                            "a ballot in the tally database has %d bytes of "
                            "ciphertext, more than this election's",
                            len);
            break;
        }
        if (len)
            memcpy(ct, sqlite3_column_blob(d->st, 1), (size_t)len);
        *n = (size_t)len;
        *seq = (long long)sqlite3_column_int64(d->st, 2);
        const char *l = (const char *)sqlite3_column_text(d->st, 3);
        snprintf(label, 64, "%s", l ? l : "?");
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
    sqlite3 *db = tallydb_handle(t);
    sqlite3_stmt *st = NULL;
    uint64_t total = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM ballots", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        total = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT b.ct_hash, b.ct, b.seq, k.label FROM ballots b"
                           " JOIN kiosks k ON k.id = b.kiosk ORDER BY b.ct_hash",
                           -1, &st, NULL) != SQLITE_OK)
        return err_set(e, ERR_IO, "cannot read the ballots from the tally database: %s",
                       sqlite3_errmsg(db));
    struct progress prog;
    progress_start(&prog, stderr, "decrypting", total);
    struct decrypt d = {.db = db,
                        .st = st,
                        .el = el,
                        .tally = tally,
                        .defs = defs,
                        .prog = &prog,
                        .ct_max = vote_padded_len(el) + SEAL_OVERHEAD,
                        .src = SQLITE_DONE,
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
    int rc = d.rc;
    if (!rc && d.src != SQLITE_DONE)
        rc = err_set(e, ERR_IO, "reading the ballots from the tally database failed: %s",
                     sqlite3_errmsg(db));
    progress_end(&prog);
    sqlite3_finalize(st);
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
    bool mes = d->rule == RULE_MES_ADD1_GREEDY || d->rule == RULE_MES_ADD1 || d->rule == RULE_MES;
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
                 (long long)(d->rule == RULE_GREEDY_SCORE ? r->score : r->votes),
                 d->rule == RULE_GREEDY_SCORE ? "points" : "votes", money);
}

/* ---- verification summary ---------------------------------------------------------------- */

static int scalar(sqlite3 *db, const char *sql, int64_t *v)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

static void utc(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(out, 32, "%lld", (long long)t);
}

/* Whether the database holds rows of the authorised kiosk i. */
static bool kiosk_held(sqlite3 *db, const struct election *el, size_t i)
{
    sqlite3_stmt *st = NULL;
    bool held = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM kiosks WHERE pk = ?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_blob(st, 1, el->kiosk_pks[i], SIGN_PK_LEN, SQLITE_STATIC);
        held = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return held;
}

static void summary_text(sqlite3 *db, const struct election *el, FILE *f)
{
    int64_t nsrc = 0, nk = 0, nb = 0, nov = 0;
    scalar(db, "SELECT count(*) FROM sources", &nsrc);
    scalar(db, "SELECT count(*) FROM kiosks", &nk);
    scalar(db, "SELECT count(DISTINCT ct_hash) FROM ballots", &nb);
    scalar(db, "SELECT count(*) FROM overrides", &nov);
    fprintf(f, "verification: %lld source%s, %lld kiosk%s, %lld ballots, %lld override%s\n",
            (long long)nsrc, nsrc == 1 ? "" : "s", (long long)nk, nk == 1 ? "" : "s", (long long)nb,
            (long long)nov, nov == 1 ? "" : "s");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT at, who, reason, source, problems FROM overrides ORDER BY id",
                           -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            char when[32];
            utc(when, sqlite3_column_int64(st, 0));
            fprintf(
                f, "OVERRIDE %s by %s for %s: \"%s\"; problems:\n%s", when,
                (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 3),
                (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 4));
        }
    }
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db,
                           "SELECT k.label, k.state, k.last_seq, (SELECT count(*) FROM ballots b"
                           " WHERE b.kiosk = k.id) FROM kiosks k ORDER BY k.label",
                           -1, &st, NULL) == SQLITE_OK) {
        fprintf(f, "turnout per kiosk:\n");
        while (sqlite3_step(st) == SQLITE_ROW)
            fprintf(
                f, "  %-24s %8lld ballots (polls %s, rows 1..%lld)\n",
                (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 3),
                (const char *)sqlite3_column_text(st, 1), (long long)sqlite3_column_int64(st, 2));
    }
    sqlite3_finalize(st);
    size_t missing = 0;
    for (size_t i = 0; i < el->nkiosks; i++)
        if (!kiosk_held(db, el, i))
            fprintf(f, "%s %s",
                    missing++ ? ","
                              : "kiosks authorised by the package, none of whose "
                                "exports was imported:",
                    el->kiosk_labels[i]);
    if (missing)
        fputc('\n', f);
}

static void summary_json(sqlite3 *db, const struct election *el, FILE *f)
{
    sqlite3_stmt *st = NULL;
    fprintf(f, "\"verification\":{\"sources\":[");
    if (sqlite3_prepare_v2(db,
                           "SELECT s.name, s.kind, s.export_seq, s.last_seq, s.new_ballots,"
                           " s.problems, s.override, k.label FROM sources s"
                           " LEFT JOIN kiosks k ON k.id = s.kiosk ORDER BY s.id",
                           -1, &st, NULL) == SQLITE_OK) {
        for (int n = 0; sqlite3_step(st) == SQLITE_ROW; n++) {
            fprintf(f, "%s{\"name\":", n ? "," : "");
            report_json_str(f, (const char *)sqlite3_column_text(st, 0));
            fprintf(f, ",\"kind\":");
            report_json_str(f, (const char *)sqlite3_column_text(st, 1));
            fprintf(f, ",\"kiosk\":");
            report_json_str(f, (const char *)sqlite3_column_text(st, 7));
            fprintf(f,
                    ",\"export_seq\":%lld,\"last_seq\":%lld,\"new_ballots\":%lld,\"problems\":%lld,"
                    "\"override\":%s}",
                    (long long)sqlite3_column_int64(st, 2), (long long)sqlite3_column_int64(st, 3),
                    (long long)sqlite3_column_int64(st, 4), (long long)sqlite3_column_int64(st, 5),
                    sqlite3_column_type(st, 6) == SQLITE_NULL ? "false" : "true");
        }
    }
    sqlite3_finalize(st);
    fprintf(f, "],\"overrides\":[");
    if (sqlite3_prepare_v2(db,
                           "SELECT at, who, reason, source, problems FROM overrides ORDER BY id",
                           -1, &st, NULL) == SQLITE_OK) {
        for (int n = 0; sqlite3_step(st) == SQLITE_ROW; n++) {
            char when[32];
            utc(when, sqlite3_column_int64(st, 0));
            fprintf(f, "%s{\"at\":\"%s\",\"by\":", n ? "," : "", when);
            report_json_str(f, (const char *)sqlite3_column_text(st, 1));
            fprintf(f, ",\"reason\":");
            report_json_str(f, (const char *)sqlite3_column_text(st, 2));
            fprintf(f, ",\"source\":");
            report_json_str(f, (const char *)sqlite3_column_text(st, 3));
            fprintf(f, ",\"problems\":");
            report_json_str(f, (const char *)sqlite3_column_text(st, 4));
            fputc('}', f);
        }
    }
    sqlite3_finalize(st);
    fprintf(f, "]},\"turnout_per_kiosk\":[");
    if (sqlite3_prepare_v2(db,
                           "SELECT k.label, k.state, k.last_seq, (SELECT count(*) FROM ballots b"
                           " WHERE b.kiosk = k.id) FROM kiosks k ORDER BY k.label",
                           -1, &st, NULL) == SQLITE_OK) {
        for (int n = 0; sqlite3_step(st) == SQLITE_ROW; n++) {
            fprintf(f, "%s{\"kiosk\":", n ? "," : "");
            report_json_str(f, (const char *)sqlite3_column_text(st, 0));
            fprintf(f, ",\"polls\":");
            report_json_str(f, (const char *)sqlite3_column_text(st, 1));
            fprintf(f, ",\"last_seq\":%lld,\"ballots\":%lld}",
                    (long long)sqlite3_column_int64(st, 2), (long long)sqlite3_column_int64(st, 3));
        }
    }
    sqlite3_finalize(st);
    fprintf(f, "],\"kiosks_not_imported\":[");
    for (size_t i = 0, n = 0; i < el->nkiosks; i++)
        if (!kiosk_held(db, el, i)) {
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

static void out_json(sqlite3 *db, const struct election *el, struct def *defs,
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
    summary_json(db, el, f);
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
            report_json_str(f, !r->selected           ? "none"
                               : r->phase == 2        ? "completion"
                               : df->rule >= RULE_MES ? "equal-shares"
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
        sqlite3 *db = tallydb_handle(t);
        if (o->format == REPORT_JSON) {
            out_json(db, el, defs, o);
        } else {
            summary_text(db, el, o->log ? o->log : o->out);
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

static void sql_tracking(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char code[TRACKING_TEXT_MAX];
    tracking_text(code, sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]));
    sqlite3_result_text(cx, code, -1, SQLITE_TRANSIENT);
}

int report_tracking(struct tallydb *t, const struct election *el, FILE *f, struct err *e)
{
    sqlite3 *db = tallydb_handle(t);
    if (sqlite3_create_function(db, "tracking_code", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                sql_tracking, NULL, NULL) != SQLITE_OK)
        return err_set(e, ERR_INTERNAL, "cannot set up the tracking codes: %s", sqlite3_errmsg(db));
    /* the sort spills to temporary files beyond the page cache: keep it small here */
    sqlite3_exec(db, "PRAGMA cache_size=-2000", NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    /* sorted by code (then hash): the casting order is not revealed; SQLite sorts on disk */
    if (sqlite3_prepare_v2(db,
                           "SELECT DISTINCT tracking_code(ct) AS c, ct_hash FROM ballots"
                           " ORDER BY c, ct_hash",
                           -1, &st, NULL) != SQLITE_OK)
        return err_set(e, ERR_IO, "cannot read the ballots from the tally database: %s",
                       sqlite3_errmsg(db));
    int64_t n = 0;
    scalar(db, "SELECT count(DISTINCT ct_hash) FROM ballots", &n);
    fprintf(f, "# isoloir tracking codes, election %s: %lld ballots\n", el->id, (long long)n);
    fprintf(f, "# tracking_code,ciphertext_blake2b256 (sorted by tracking code)\n");
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        char hx[2 * HASH_LEN + 1];
        if (sqlite3_column_bytes(st, 1) != HASH_LEN)
            continue;
        hex_encode(hx, sqlite3_column_blob(st, 1), HASH_LEN);
        fprintf(f, "%s,%s\n", (const char *)sqlite3_column_text(st, 0), hx);
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return err_set(e, ERR_IO, "reading the ballots from the tally database failed: %s",
                       sqlite3_errmsg(db));
    return 0;
}
