/*
 * loader — reads and validates an election folder; see loader.h.
 *
 * Structure: read election.conf (sections in any order; loader_conf.c), then projects.csv
 * (loader_csv.c), then check what links them (districts, categories, ballots that can be
 * satisfied), then keys, PINs and pictures (here). Each step adds problems to the report and
 * carries on with what it could read, so a single run names every mistake. Only a file that cannot
 * be parsed at all stops the run.
 */
#include "loader.h"
#include "loader_int.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>

#include "conf.h"
#include "csv.h"
#include "image.h"
#include "key.h"
#include "package.h"
#include "util.h"

const char *const LANG_NAMES[LANG_COUNT] = {"French", "Dutch", "English"};

/* ---- report ------------------------------------------------------------------------------ */

void loader_report_init(struct loader_report *r)
{
    memset(r, 0, sizeof *r);
}

void loader_report_free(struct loader_report *r)
{
    free(r->items);
    loader_report_init(r);
}

void loader_report_print(const struct loader_report *r, FILE *f)
{
    for (size_t i = 0; i < r->n; i++)
        fprintf(f, "%s: %s\n", r->items[i].where, r->items[i].what);
    if (r->n)
        fprintf(f, "%zu problem%s found\n", r->n, r->n == 1 ? "" : "s");
}

void loader_problem(struct ctx *c, const char *file, unsigned line, unsigned col, const char *fmt,
                    ...)
{
    struct loader_report *r = c->rep;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        struct loader_problem *p = realloc(r->items, cap * sizeof *p);
        if (!p) {
            c->nomem = true;
            return;
        }
        r->items = p;
        r->cap = cap;
    }
    struct loader_problem *p = &r->items[r->n++];
    if (line && col)
        snprintf(p->where, sizeof p->where, "%s:%u:%u", file, line, col);
    else if (line)
        snprintf(p->where, sizeof p->where, "%s:%u", file, line);
    else
        snprintf(p->where, sizeof p->where, "%s", file);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->what, sizeof p->what, fmt, ap);
    va_end(ap);
}

char *loader_dup(struct ctx *c, const char *s)
{
    char *d = util_strdup(s);
    if (!d)
        c->nomem = true;
    return d;
}

void loader_path_in(char *out, size_t size, const char *folder, const char *rel)
{
    if (rel[0] == '/')
        snprintf(out, size, "%s", rel);
    else
        snprintf(out, size, "%s/%s", folder, rel);
}

/* ---- small parsers ----------------------------------------------------------------------- */

bool loader_valid_id(const char *s, size_t max, bool allow_upper)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        bool ok = (ch >= 'a' && ch <= 'z') || isdigit(ch) || ch == '-' ||
                  (allow_upper && ((ch >= 'A' && ch <= 'Z') || ch == '_'));
        if (!ok)
            return false;
    }
    return true;
}

/* ---- texts ------------------------------------------------------------------------------- */

/* Checks and stores a text for one language. */
void loader_put_text(struct ctx *c, struct text *t, enum lang l, const char *value,
                     size_t max_chars, const char *file, unsigned line, unsigned col,
                     const char *what)
{
    size_t chars = utf8_length(value, strlen(value));
    if (chars == 0) {
        loader_problem(c, file, line, col, "the %s %s is empty", LANG_NAMES[l], what);
        return;
    }
    if (chars > max_chars) {
        loader_problem(c, file, line, col,
                       "the %s %s has %zu characters; at most %zu fit on screen", LANG_NAMES[l],
                       what, chars, max_chars);
        return;
    }
    free(t->s[l]);
    t->s[l] = loader_dup(c, value);
}

void loader_require_texts(struct ctx *c, const struct text *t, const char *file, unsigned line,
                          const char *what, const char *key)
{
    for (int l = 0; l < LANG_COUNT; l++)
        if (c->lang_on[l] && !t->s[l])
            loader_problem(c, file, line, 0, "the %s %s is missing (%s.%s)", LANG_NAMES[l], what,
                           key, lang_code((enum lang)l));
}

/* ---- cross checks, keys, PINs, pictures -------------------------------------------------- */

static void check_ballots(struct ctx *c)
{
    struct election *el = c->el;
    if (election_link_ballots(el)) {
        c->nomem = true;
        return;
    }
    for (size_t b = 0; b < el->nballots; b++) {
        const struct ballot_def *bd = &el->ballots[b];
        const struct rule *r = &bd->rule;
        const char *where = bd->district < 0 ? "citywide" : el->districts[bd->district].id;
        unsigned line = b < ARRAY_LEN(c->ballot_line) ? c->ballot_line[b] : 0;
        if (bd->nprojects == 0) {
            loader_problem(
                c, CONF_NAME, line, 0,
                "ballot %s has no project: no project in projects.csv has district \"%s\"", bd->id,
                bd->district < 0 ? "" : where);
            continue;
        }
        int64_t cheapest = INT64_MAX;
        for (size_t i = 0; i < bd->nprojects; i++)
            if (el->projects[bd->projects[i]].cost < cheapest)
                cheapest = el->projects[bd->projects[i]].cost;
        char money[64], money2[64];
        if ((r->kind == RULE_APPROVAL || r->kind == RULE_RANKING) && r->min > bd->nprojects)
            loader_problem(
                c, CONF_NAME, line, 0,
                "ballot %s asks for at least %u projects but has only %zu: no ballot could "
                "be valid",
                bd->id, r->min, bd->nprojects);
        if (r->kind == RULE_KNAPSACK && bd->budget > 0 && bd->budget < cheapest) {
            util_format_euro(money, sizeof money, bd->budget, "en");
            util_format_euro(money2, sizeof money2, cheapest, "en");
            loader_problem(c, CONF_NAME, line, 0,
                           "ballot %s: its budget (%s) is below its cheapest project (%s): a voter "
                           "could choose nothing",
                           bd->id, money, money2);
        }
        if (r->kind == RULE_KNAPSACK && r->min_share_permille > 0) {
            /* Costs and budget are at most COST_MAX_CENTS (else refused above): the sum stops
             * as soon as it reaches the budget, so total * 1000 cannot overflow. */
            int64_t total = 0;
            for (size_t i = 0; i < bd->nprojects && total < bd->budget; i++)
                if (package_cost_ok(el->projects[bd->projects[i]].cost))
                    total += el->projects[bd->projects[i]].cost;
            if (package_cost_ok(bd->budget) &&
                total * 1000 < bd->budget * (int64_t)r->min_share_permille)
                loader_problem(c, CONF_NAME, line, 0,
                               "ballot %s: even choosing every project does not reach min_share of "
                               "the budget",
                               bd->id);
        }
    }
    for (size_t d = 0; d < el->ndistricts; d++) {
        bool has = false;
        for (size_t b = 0; b < el->nballots; b++)
            has |= el->ballots[b].district == (int)d;
        bool used = false;
        for (size_t p = 0; p < el->nprojects; p++)
            used |= el->projects[p].district == (int)d;
        if (used && !has)
            loader_problem(
                c, CONF_NAME, 0, 0,
                "district %s has projects but no ballot: add a [ballot] with district = %s",
                el->districts[d].id, el->districts[d].id);
    }
}

static void read_keys(struct ctx *c, const struct paths *pa)
{
    struct election *el = c->el;
    struct err e = {0};
    char path[2048];
    const char *tk = c->opt && c->opt->tally_key ? c->opt->tally_key : pa->tally_key;
    if (!*tk) {
        loader_problem(c, CONF_NAME, 0, 0, "tally_key is missing (the tally public key file)");
    } else {
        if (c->opt && c->opt->tally_key)
            snprintf(path, sizeof path, "%s", tk);
        else
            loader_path_in(path, sizeof path, c->folder, tk);
        struct public_key pk;
        if (key_load_public(path, KEY_TALLY, &pk, &e))
            loader_problem(c, tk, 0, 0, "%s", e.msg);
        else if (pk.demo && !el->demo)
            loader_problem(c, tk, 0, 0,
                           "this is a demo key: demo keys can only be used in a demo "
                           "election (demo = yes)");
        else
            memcpy(el->tally_pk, pk.pk, sizeof el->tally_pk);
    }
    const char *kk = c->opt && c->opt->kiosk_keys ? c->opt->kiosk_keys : pa->kiosk_keys;
    if (!*kk) {
        loader_problem(c, CONF_NAME, 0, 0,
                       "kiosk_keys is missing (the folder of kiosk public keys)");
        return;
    }
    if (c->opt && c->opt->kiosk_keys)
        snprintf(path, sizeof path, "%s", kk);
    else
        loader_path_in(path, sizeof path, c->folder, kk);
    struct dirent **list = NULL;
    int n = scandir(path, &list, NULL, alphasort);
    if (n < 0) {
        loader_problem(c, kk, 0, 0, "cannot read the kiosk keys folder: %s", strerror(errno));
        return;
    }
    el->kiosk_pks = calloc((size_t)n + 1, sizeof *el->kiosk_pks);
    el->kiosk_labels = calloc((size_t)n + 1, sizeof *el->kiosk_labels);
    if (!el->kiosk_pks || !el->kiosk_labels)
        c->nomem = true;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t len = strlen(name);
        if (!c->nomem && len > 4 && strcmp(name + len - 4, ".pub") == 0) {
            char file[4096];
            snprintf(file, sizeof file, "%s/%s", path, name);
            struct public_key pk;
            if (key_load_public(file, KEY_KIOSK, &pk, &e)) {
                loader_problem(c, name, 0, 0, "%s", e.msg);
            } else if (pk.demo && !el->demo) {
                loader_problem(c, name, 0, 0,
                               "this is a demo key: demo keys can only be used in a demo "
                               "election (demo = yes)");
            } else if (len - 4 >= sizeof el->kiosk_labels[0]) {
                loader_problem(c, name, 0, 0, "the file name is too long for a kiosk label");
            } else if (election_find_kiosk(el, pk.pk) >= 0) {
                loader_problem(c, name, 0, 0, "this kiosk key is listed twice");
            } else {
                memcpy(el->kiosk_pks[el->nkiosks], pk.pk, SIGN_PK_LEN);
                snprintf(el->kiosk_labels[el->nkiosks], sizeof el->kiosk_labels[0], "%.*s",
                         (int)(len - 4), name);
                el->nkiosks++;
            }
        }
        free(list[i]);
    }
    free(list);
    if (el->nkiosks == 0)
        loader_problem(c, kk, 0, 0,
                       "no kiosk public key (*.pub) in this folder: no kiosk could vote");
}

/* Seals each kiosk's officials' list to that kiosk's key (core/officials.h): the officials
 * without a vote point and those of the kiosk's vote point. One salt and cost for the whole
 * election; every PIN is derived once. Each kiosk needs a supervisor (who lifts a lockout). */
static void seal_officials(struct ctx *c, struct paths *pa)
{
    struct election *el = c->el;
    if (pa->nofficials == 0 || el->nkiosks == 0)
        return;
    bool fast = c->opt && c->opt->fast_pin_hash;
    struct officials *all = sodium_malloc(sizeof *all), *one = sodium_malloc(sizeof *one);
    el->kiosk_officials = calloc(el->nkiosks, sizeof *el->kiosk_officials);
    struct official_entry *entries = sodium_malloc(pa->nofficials * sizeof *entries);
    if (!all || !one || !entries || !el->kiosk_officials) {
        c->nomem = true;
        goto done;
    }
    memset(all, 0, sizeof *all);
    randombytes_buf(all->salt, sizeof all->salt);
    all->opslimit = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    all->memlimit_kib =
        (uint32_t)((fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) / 1024);
    struct err e = {0};
    for (size_t i = 0; i < pa->nofficials; i++) {
        struct official_entry *en = &entries[i];
        snprintf(en->name, sizeof en->name, "%s", pa->officials[i].name);
        en->role = pa->officials[i].role;
        if (officials_derive(en->verifier, pa->officials[i].pin, all, &e)) {
            loader_problem(c, CONF_NAME, pa->officials[i].line, 0, "%s", e.msg);
            goto done;
        }
    }
    for (size_t k = 0; k < el->nkiosks; k++) {
        *one = *all;
        memcpy(one->kiosk_pk, el->kiosk_pks[k], SIGN_PK_LEN);
        one->n = 0;
        bool supervisor = false;
        int vp = el->kiosk_vote_point ? el->kiosk_vote_point[k] : -1;
        for (size_t i = 0; i < pa->nofficials; i++) {
            int ovp = pa->officials[i].vote_point;
            if (ovp >= 0 && ovp != vp)
                continue;
            if (one->n == OFFICIALS_MAX) {
                loader_problem(c, CONF_NAME, pa->officials[i].line, 0,
                               "kiosk %s would know more than %d officials: give some of them "
                               "a vote_point",
                               el->kiosk_labels[k], OFFICIALS_MAX);
                break;
            }
            one->list[one->n++] = entries[i];
            supervisor = supervisor || entries[i].role == OFFICIAL_ROLE_SUPERVISOR;
        }
        if (!supervisor)
            loader_problem(c, CONF_NAME, pa->election_line, 0,
                           "kiosk %s has no supervisor among its officials: no one could lift a "
                           "PIN lockout there; add a supervisor without a vote_point or at its "
                           "vote point",
                           el->kiosk_labels[k]);
        else if (officials_seal(el->kiosk_officials[k], one, NULL, &e))
            loader_problem(c, CONF_NAME, pa->election_line, 0, "kiosk %s: %s", el->kiosk_labels[k],
                           e.msg);
    }
done:
    sodium_free(all);
    sodium_free(one);
    if (entries)
        sodium_free(entries);
}

static void read_pictures(struct ctx *c, char (*pictures)[1024], const unsigned *lines)
{
    struct election *el = c->el;
    for (size_t i = 0; i < el->nprojects; i++) {
        if (!pictures[i][0])
            continue;
        char path[2048];
        loader_path_in(path, sizeof path, c->folder, pictures[i]);
        struct err e = {0};
        if (image_load_picture(path, PICTURE_FILE_MAX, &el->projects[i].picture, &e))
            loader_problem(c, CSV_NAME, lines[i], 0, "project %s: picture %s: %s",
                           el->projects[i].id, pictures[i], e.msg);
    }
}

int loader_load(const char *folder, const struct loader_options *opt, struct election *out,
                struct loader_report *rep, struct err *e)
{
    election_init(out);
    struct ctx c = {.folder = folder, .opt = opt, .el = out, .rep = rep};
    struct paths pa;
    memset(&pa, 0, sizeof pa);
    char(*pictures)[1024] = calloc(CSV_MAX_ROWS, sizeof *pictures);
    unsigned *lines = calloc(CSV_MAX_ROWS, sizeof *lines);
    if (!pictures || !lines) {
        free(pictures);
        free(lines);
        return err_set(e, ERR_NOMEM, "out of memory loading %s", folder);
    }
    if (loader_read_conf(&c, &pa) == 0) {
        loader_read_projects(&c, pictures, lines);
        check_ballots(&c);
        read_keys(&c, &pa);
        loader_apply_kiosk_sections(&c, &pa);
        if (rep->n == 0)
            seal_officials(&c, &pa);
        read_pictures(&c, pictures, lines);
    }
    free(pictures);
    free(lines);
    free(pa.kiosks);
    if (pa.officials)
        sodium_memzero(pa.officials, pa.nofficials * sizeof *pa.officials);
    free(pa.officials);
    if (c.nomem)
        loader_problem(&c, folder, 0, 0, "out of memory");
    if (rep->n) {
        election_free(out);
        return err_set(e, ERR_INVALID,
                       "%zu problem%s in %s; nothing was built: fix %s and try again", rep->n,
                       rep->n == 1 ? "" : "s", folder, rep->n == 1 ? "it" : "them");
    }
    return 0;
}
