/*
 * isoloir — `tally verify` and `tally count` for isoloir elections; see isoloir.h and
 * docs/tally.md.
 *
 * A source is an export bundle directory (its manifest signature and file hashes are checked
 * first, then its journal) or a journal file. Several exports of one kiosk may be given (a
 * pause export and the closing one): a ballot is counted once, by the hash of its ciphertext.
 * Decrypted votes are sorted by their canonical bytes before counting or publishing, so
 * nothing downstream sees the order in which they were cast.
 */
#include "isoloir.h"

#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>

#include "bundle.h"
#include "cli.h"
#include "count.h"
#include "journal.h"
#include "keys.h"
#include "package.h"
#include "pabulib.h"
#include "util.h"

#define MAX_SOURCES 1024

struct opts {
    const char *package, *authority, *tally_key, *passfile, *format, *pb_dir;
    bool demo;
    const char *sources[MAX_SOURCES];
    int nsources;
};

static int parse(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = "table";
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **dst = !strcmp(a, "--package")           ? &o->package
                           : !strcmp(a, "--authority")       ? &o->authority
                           : !strcmp(a, "--tally-key")       ? &o->tally_key
                           : !strcmp(a, "--passphrase-file") ? &o->passfile
                           : !strcmp(a, "--format")          ? &o->format
                           : !strcmp(a, "--pb-dir")          ? &o->pb_dir
                                                             : NULL;
        if (dst) {
            if (!v)
                return -1;
            *dst = v;
            i++;
        } else if (!strcmp(a, "--demo")) {
            o->demo = true;
        } else if (a[0] == '-' || o->nsources == MAX_SOURCES) {
            return -1;
        } else {
            o->sources[o->nsources++] = a;
        }
    }
    return o->package && o->authority && o->nsources ? 0 : -1;
}

/* ---- one source --------------------------------------------------------------------------- */

struct seen {
    uint8_t (*h)[HASH_LEN]; /* ciphertext hashes of ballots already taken */
    size_t n, cap;
};

struct tokens {
    struct tok {
        uint8_t hash[TOKEN_HASH_LEN];
        int kiosk;
    } * t;
    size_t n, cap;
};

struct walk {
    const struct election *el;
    const char *name;
    int kiosk;
    unsigned problems;
    const struct secret_key *tally; /* NULL: verify only */
    struct seen *seen;
    struct tokens *tokens;
    FILE *out;          /* verification report */
    struct vote *votes; /* decrypted, appended */
    size_t nvotes, capvotes;
    struct err *e;
};

static void on_problem(void *c, uint64_t seq, enum journal_problem kind, const char *msg)
{
    struct walk *w = c;
    w->problems++;
    fprintf(w->out, "  %s: row %llu: %s: %s\n", w->name, (unsigned long long)seq,
            journal_problem_name(kind), msg);
}

static int on_token(void *c, uint64_t seq, const uint8_t hash[TOKEN_HASH_LEN])
{
    (void)seq;
    struct walk *w = c;
    struct tokens *t = w->tokens;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct tok *nt = realloc(t->t, cap * sizeof *nt);
        if (!nt)
            return ERR_NOMEM;
        t->t = nt;
        t->cap = cap;
    }
    memcpy(t->t[t->n].hash, hash, TOKEN_HASH_LEN);
    t->t[t->n++].kiosk = w->kiosk;
    return 0;
}

static int on_ballot(void *c, uint64_t seq, const uint8_t *ct, size_t n,
                     const char tracking[TRACKING_TEXT_MAX])
{
    (void)tracking;
    struct walk *w = c;
    if (!w->tally)
        return 0;
    uint8_t h[HASH_LEN];
    hash32(h, ct, n);
    for (size_t i = 0; i < w->seen->n; i++)
        if (memcmp(w->seen->h[i], h, HASH_LEN) == 0)
            return 0; /* the same ballot in an earlier export of this kiosk */
    struct seen *s = w->seen;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint8_t(*nh)[HASH_LEN] = realloc(s->h, cap * sizeof *nh);
        if (!nh)
            return ERR_NOMEM;
        s->h = nh;
        s->cap = cap;
    }
    memcpy(s->h[s->n++], h, HASH_LEN);
    if (w->nvotes == w->capvotes) {
        size_t cap = w->capvotes ? w->capvotes * 2 : 256;
        struct vote *nv = realloc(w->votes, cap * sizeof *nv);
        if (!nv)
            return ERR_NOMEM;
        w->votes = nv;
        w->capvotes = cap;
    }
    int rc = journal_open_ballot(ct, n, w->tally, w->el, &w->votes[w->nvotes], w->e);
    if (rc) {
        fprintf(w->out, "  %s: row %llu: the ballot cannot be opened: %s\n", w->name,
                (unsigned long long)seq, w->e->msg);
        w->problems++;
        return 0;
    }
    w->nvotes++;
    return 0;
}

/* Verifies one source; decrypts its ballots into w->votes when w->tally is set. */
static int check_source(const char *src, const uint8_t package_hash[HASH_LEN], struct walk *w)
{
    struct stat st;
    struct err e = {0};
    struct bundle b;
    bool is_bundle = stat(src, &st) == 0 && S_ISDIR(st.st_mode);
    const char *journal = src;
    w->name = src;
    if (is_bundle) {
        if (bundle_open(src, &b, &e)) {
            fprintf(w->out, "  %s: the export is not sound: %s\n", src, e.msg);
            w->problems++;
            return 0;
        }
        if (memcmp(b.manifest.package_hash, package_hash, HASH_LEN) != 0) {
            fprintf(w->out, "  %s: the export was made for another package\n", src);
            w->problems++;
        }
        journal = b.journal_path;
    }
    struct journal_verify_opts vo = {.ctx = w,
                                     .problem = on_problem,
                                     .ballot = on_ballot,
                                     .token = on_token,
                                     .expect_ballots = -1};
    struct journal_summary sum;
    size_t first_token = w->tokens->n;
    int rc = journal_verify(journal, w->el, package_hash, &vo, &sum, &e);
    char fpr[FPR_TEXT_LEN + 1];
    fingerprint(fpr, sum.kiosk_pk, SIGN_PK_LEN);
    w->kiosk = sum.kiosk_index;
    /* the kiosk is known once the walk has read the genesis row: label this source's spends */
    for (size_t i = first_token; i < w->tokens->n; i++)
        w->tokens->t[i].kiosk = sum.kiosk_index;
    if (is_bundle && memcmp(b.manifest.kiosk_pk, sum.kiosk_pk, SIGN_PK_LEN) != 0) {
        fprintf(w->out, "  %s: the manifest and the journal name different kiosks\n", src);
        w->problems++;
    }
    fprintf(w->out, "%s: kiosk %s (%s), polls %s, %llu ballots, %llu voter cards, %s\n", src, fpr,
            sum.kiosk_index >= 0 ? w->el->kiosk_labels[sum.kiosk_index] : "not authorised",
            journal_state_name(sum.state), (unsigned long long)sum.ballots,
            (unsigned long long)sum.tokens, rc == 0 && !w->problems ? "sound" : "PROBLEMS FOUND");
    if (rc && rc != ERR_TAMPER) {
        fprintf(w->out, "  %s: %s\n", src, e.msg);
        w->problems++;
    }
    if (is_bundle)
        bundle_close(&b);
    return 0;
}

static int open_package(const struct opts *o, struct election *el, uint8_t hash[HASH_LEN],
                        struct err *e)
{
    struct public_key auth;
    int rc = key_load_public(o->authority, KEY_AUTHORITY, &auth, e);
    if (!rc)
        rc = package_open(o->package, auth.pk, o->demo ? PACKAGE_ALLOW_DEMO : 0, el, hash, e);
    return rc;
}

static unsigned cross_tokens(const struct tokens *t, FILE *out)
{
    unsigned n = 0;
    for (size_t i = 0; i < t->n; i++)
        for (size_t j = i + 1; j < t->n; j++)
            if (t->t[i].kiosk != t->t[j].kiosk &&
                memcmp(t->t[i].hash, t->t[j].hash, TOKEN_HASH_LEN) == 0) {
                char hx[2 * TOKEN_HASH_LEN + 1];
                hex_encode(hx, t->t[i].hash, TOKEN_HASH_LEN);
                fprintf(out, "  voter card %s was used at two kiosks\n", hx);
                n++;
            }
    return n;
}

static int run(const struct opts *o, bool count);

int cmd_verify(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o)) {
        fprintf(stderr, "usage: tally verify --package PKG --authority AUTH.pub [--demo] "
                        "BUNDLE_OR_JOURNAL...\n");
        return 2;
    }
    return run(&o, false);
}

int cmd_count(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o) || !o.tally_key) {
        fprintf(stderr, "usage: tally count --package PKG --authority AUTH.pub --tally-key KEY\n"
                        "                   [--passphrase-file F] [--demo] [--format table|csv]\n"
                        "                   [--pb-dir DIR] BUNDLE_OR_JOURNAL...\n");
        return 2;
    }
    return run(&o, true);
}

/* ---- counting ----------------------------------------------------------------------------- */

static int cmp_ballot(const void *a, const void *b)
{
    const struct ballot *x = a, *y = b;
    if (x->nentries != y->nentries)
        return x->nentries < y->nentries ? -1 : 1;
    return memcmp(x->entries, y->entries, x->nentries * sizeof x->entries[0]);
}

/* Prints s in `cols` character columns: cut on a character boundary, padded with spaces. */
static void print_cols(const char *s, int cols)
{
    int n = 0;
    const char *p = s;
    while (*p && n < cols) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        n++;
    }
    printf("%.*s%*s", (int)(p - s), s, cols - n, "");
}

static int count_def(const struct election *el, uint32_t d, const struct vote *votes, size_t n,
                     const struct opts *o, struct err *e)
{
    const struct ballot_def *bd = &el->ballots[d];
    enum lang l = el->langs[0];
    struct profile p;
    profile_init(&p);
    p.nprojects = bd->nprojects;
    p.ids = calloc(bd->nprojects + 1, sizeof *p.ids);
    p.names = calloc(bd->nprojects + 1, sizeof *p.names);
    p.cost = calloc(bd->nprojects + 1, sizeof *p.cost);
    p.published = calloc(bd->nprojects + 1, sizeof *p.published);
    struct ballot *mine = calloc(n + 1, sizeof *mine);
    int rc = 0;
    if (!p.ids || !p.names || !p.cost || !p.published || !mine) {
        rc = err_set(e, ERR_NOMEM, "out of memory counting");
        goto done;
    }
    for (size_t i = 0; i < bd->nprojects; i++) {
        const struct project *pr = &el->projects[bd->projects[i]];
        p.ids[i] = util_strdup(pr->id);
        p.names[i] = util_strdup(text_get(&pr->title, l));
        p.cost[i] = pr->cost;
        p.published[i] = -1;
    }
    p.budget = bd->budget;
    p.kind = bd->rule.kind == RULE_CUMULATIVE ? VOTE_CUMULATIVE
             : bd->rule.kind == RULE_RANKING  ? VOTE_ORDINAL
                                              : VOTE_APPROVAL;
    p.max_rank = bd->rule.max;
    snprintf(p.rule, sizeof p.rule, "%s",
             bd->method == COUNT_MES ? "equalshares/add1+greedy" : "greedy");
    snprintf(p.currency, sizeof p.currency, "EUR");
    size_t m = 0;
    for (size_t v = 0; v < n; v++)
        for (uint32_t k = 0; k < votes[v].nballots; k++)
            if (votes[v].ballots[k].def == d)
                mine[m++] = votes[v].ballots[k];
    qsort(mine, m, sizeof *mine, cmp_ballot); /* an unordered set: no casting order survives */
    for (size_t v = 0; v < m && !rc; v++) {
        uint32_t items[BALLOT_MAX_CHOICES], values[BALLOT_MAX_CHOICES];
        for (uint32_t k = 0; k < mine[v].nentries; k++) {
            items[k] = 0;
            for (size_t i = 0; i < bd->nprojects; i++)
                if (bd->projects[i] == mine[v].entries[k].project)
                    items[k] = (uint32_t)i;
            values[k] = mine[v].entries[k].value;
        }
        rc = profile_add_voter(&p, items, values, mine[v].nentries, e);
    }
    struct outcome out;
    enum count_rule rule = bd->method == COUNT_MES   ? RULE_MES_ADD1_GREEDY
                           : p.kind == VOTE_APPROVAL ? RULE_GREEDY_VOTES
                                                     : RULE_GREEDY_SCORE;
    if (!rc)
        rc = count_run(&p, rule, el->tie_break, &out, e);
    if (rc)
        goto done;
    char money[64];
    util_format_euro(money, sizeof money, bd->budget, lang_code(l));
    bool csv = !strcmp(o->format, "csv");
    if (csv) {
        printf("ballot,project,title,cost_cents,votes,score,selected,round,phase\n");
    } else {
        printf("\n%s — %zu ballots, budget %s, %s\n", text_get(&bd->name, l), m, money,
               count_rule_name(rule));
        printf("%-8s %-44s %14s %7s %7s  %s\n", "project", "title", "cost", "votes", "score",
               "funded");
    }
    for (size_t i = 0; i < p.nprojects; i++) {
        const struct project_result *r = &out.res[i];
        if (csv) {
            printf("%s,%s,\"%s\",%lld,%lld,%lld,%d,%d,%d\n", bd->id, p.ids[i], p.names[i],
                   (long long)p.cost[i], (long long)r->votes, (long long)r->score, r->selected,
                   r->round, r->phase);
            continue;
        }
        util_format_euro(money, sizeof money, p.cost[i], lang_code(l));
        printf("%-8s ", p.ids[i]);
        print_cols(p.names[i], 44);
        printf(" %14s %7lld %7lld  %s\n", money, (long long)r->votes, (long long)r->score,
               !r->selected    ? "-"
               : r->phase == 2 ? "yes (completion)"
                               : "yes");
    }
    if (!csv) {
        util_format_euro(money, sizeof money, out.spent, lang_code(l));
        printf("spent %s; ties broken by the package's order of criteria, then project id\n",
               money);
    }
    if (o->pb_dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s-%s.pb", o->pb_dir, el->id, bd->id);
        FILE *f = fopen(path, "w");
        if (!f) {
            rc = err_errno(e, "cannot write %s", path);
        } else {
            char desc[256];
            snprintf(desc, sizeof desc, "%s — %s", text_get(&el->name, l), text_get(&bd->name, l));
            rc = pabulib_write(f, &p, &out, desc, e);
            if (fclose(f) != 0 && !rc)
                rc = err_errno(e, "cannot write %s", path);
        }
    }
    outcome_free(&out);
done:
    sodium_memzero(mine, (n + 1) * sizeof *mine);
    free(mine);
    profile_free(&p);
    return rc;
}

static int run(const struct opts *o, bool count)
{
    struct err e = {0};
    struct election el;
    uint8_t hash[HASH_LEN];
    if (open_package(o, &el, hash, &e)) {
        fprintf(stderr, "tally: %s\n", e.msg);
        return 1;
    }
    struct secret_key *tally = NULL;
    if (count) {
        char *pass = NULL;
        int rc = cli_passphrase("Passphrase of the tally key: ", o->passfile, false, 0, &pass, &e);
        if (!rc)
            rc = key_load_secret(o->tally_key, KEY_TALLY, pass, &tally, &e);
        cli_passphrase_free(pass);
        if (rc) {
            fprintf(stderr, "tally: %s\n", e.msg);
            election_free(&el);
            return 1;
        }
    }
    struct seen seen = {0};
    struct tokens tokens = {0};
    struct walk w = {.el = &el, .tally = tally, .seen = &seen, .tokens = &tokens, .e = &e};
    unsigned problems = 0;
    /* with a CSV count, the verification report goes to stderr and stdout holds only CSV */
    w.out = count && !strcmp(o->format, "csv") ? stderr : stdout;
    for (int i = 0; i < o->nsources; i++) {
        w.problems = 0;
        check_source(o->sources[i], hash, &w);
        problems += w.problems;
    }
    problems += cross_tokens(&tokens, w.out);
    fprintf(w.out, "%s: %d source%s, %s\n", el.id, o->nsources, o->nsources == 1 ? "" : "s",
            problems ? "PROBLEMS FOUND: the count must not be published as is" : "all sound");
    int rc = problems ? 1 : 0;
    if (count && !problems) {
        for (uint32_t d = 0; d < el.nballots && !rc; d++)
            if (count_def(&el, d, w.votes, w.nvotes, o, &e)) {
                fprintf(stderr, "tally: %s\n", e.msg);
                rc = 1;
            }
    } else if (count) {
        fprintf(stderr, "tally: nothing was counted: fix or explain the problems above first\n");
    }
    for (size_t v = 0; v < w.nvotes; v++)
        vote_wipe(&w.votes[v]);
    free(w.votes);
    free(seen.h);
    free(tokens.t);
    key_free(tally);
    election_free(&el);
    return rc;
}
