/*
 * loader_conf — the loader's reading of election.conf (docs/election-input.md): sections in any
 * order, each key checked where it is read and named by its line; a key given twice in a
 * section is refused; each ballot is checked by package_check_ballot, the validation every
 * package reader runs too. See loader_int.h.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "loader_int.h"
#include "package.h"
#include "util.h"

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* "2026-11-30T08:00:00+01:00", "2026-11-30T08:00+01:00", "...Z" -> Unix seconds. */
static int parse_time(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || n != 16)
        return -1;
    const char *p = s + n;
    if (*p == ':') {
        int m2 = 0;
        if (sscanf(p, ":%2d%n", &sec, &m2) != 1 || m2 != 3)
            return -1;
        p += 3;
    }
    int off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, m3 = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &m3) != 2 || m3 != 5 || oh > 14 || om > 59)
            return -1;
        off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 2000 ||
        y > 2200)
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
        return -1;
    *out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return 0;
}

static int parse_uint(const char *s, uint32_t max, uint32_t *out)
{
    int64_t v;
    if (util_parse_i64(s, &v) || v < 0 || v > (int64_t)max)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* "50%", "50", "12.5%" -> per mille */
static int parse_share(const char *s, uint32_t *permille)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%s", s);
    size_t n = strlen(buf);
    if (n && buf[n - 1] == '%')
        buf[--n] = '\0';
    while (n && buf[n - 1] == ' ')
        buf[--n] = '\0';
    int whole = 0, frac = 0, m = 0;
    char dot;
    if (sscanf(buf, "%d%n", &whole, &m) == 1 && buf[m] == '\0') {
        frac = 0;
    } else if (sscanf(buf, "%d%c%1d%n", &whole, &dot, &frac, &m) == 3 && buf[m] == '\0' &&
               (dot == '.' || dot == ',')) {
    } else {
        return -1;
    }
    if (whole < 0 || whole > 100 || (whole == 100 && frac))
        return -1;
    *permille = (uint32_t)(whole * 10 + frac);
    return 0;
}

/* name.<lang> keys; returns true if the key was one. */
static bool name_key(struct ctx *c, const struct conf_entry *en, struct text *t, const char *what)
{
    if (strncmp(en->key, "name.", 5) != 0)
        return false;
    int l = lang_from_code(en->key + 5);
    if (l < 0) {
        loader_problem(c, CONF_NAME, en->line, 0,
                       "unknown language \"%s\" (use name.fr, name.nl or name.en)", en->key + 5);
        return true;
    }
    if (c->lang_on[l])
        loader_put_text(c, t, (enum lang)l, en->value, NAME_MAX_CHARS, CONF_NAME, en->line, 0,
                        what);
    return true;
}

/* ---- election.conf ----------------------------------------------------------------------- */

static void unknown_key(struct ctx *c, const struct conf_entry *en, const char *section)
{
    loader_problem(c, CONF_NAME, en->line, 0, "unknown setting \"%s\" in [%s] (a typo?)", en->key,
                   section);
}

static void read_languages(struct ctx *c, const struct conf *cf, size_t sec)
{
    const struct conf_section *s = &cf->sections[sec];
    for (size_t i = s->first; i < s->first + s->count; i++) {
        const struct conf_entry *en = &cf->entries[i];
        if (strcmp(en->key, "languages") != 0)
            continue;
        char buf[64];
        snprintf(buf, sizeof buf, "%s", en->value);
        char *save = NULL;
        for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
            int l = lang_from_code(tok);
            if (l < 0) {
                loader_problem(c, CONF_NAME, en->line, 0,
                               "unknown language \"%s\" in languages (use fr, nl and/or en)", tok);
            } else if (c->lang_on[l]) {
                loader_problem(c, CONF_NAME, en->line, 0, "language %s is listed twice", tok);
            } else {
                c->lang_on[l] = true;
                c->el->langs[c->el->nlangs++] = (enum lang)l;
            }
        }
        return;
    }
    loader_problem(c, CONF_NAME, s->line, 0,
                   "languages is missing in [election] (e.g. languages = fr, nl, en)");
}

static void read_election(struct ctx *c, const struct conf *cf, size_t sec, struct paths *pa)
{
    struct election *el = c->el;
    const struct conf_section *s = &cf->sections[sec];
    bool have_start = false, have_end = false;
    pa->election_line = s->line;
    el->eligibility = ELIG_ATTENDED;
    snprintf(el->timezone, sizeof el->timezone, "Europe/Brussels");
    el->tie_break[0] = TIE_LOWEST_COST, el->tie_break[1] = TIE_MOST_VOTES;
    el->tie_break[2] = TIE_ID, el->tie_break[3] = TIE_END;
    for (size_t i = s->first; i < s->first + s->count; i++) {
        const struct conf_entry *en = &cf->entries[i];
        const char *k = en->key, *v = en->value;
        if (name_key(c, en, &el->name, "election name") || strcmp(k, "languages") == 0)
            continue;
        if (strcmp(k, "id") == 0) {
            if (!election_id_valid(v))
                loader_problem(
                    c, CONF_NAME, en->line, 0,
                    "the election id \"%s\" must be 1 to 40 lower-case letters, digits or -", v);
            else
                el->id = loader_dup(c, v);
        } else if (strcmp(k, "demo") == 0) {
            if (strcmp(v, "yes") && strcmp(v, "no"))
                loader_problem(c, CONF_NAME, en->line, 0, "demo must be yes or no");
            el->demo = strcmp(v, "yes") == 0;
        } else if (strcmp(k, "voting_start") == 0 || strcmp(k, "voting_end") == 0) {
            bool start = k[7] == 's';
            if (parse_time(v, start ? &el->voting_start : &el->voting_end))
                loader_problem(c, CONF_NAME, en->line, 0,
                               "\"%s\" is not a date and time like 2026-11-30T08:00:00+01:00", v);
            else
                *(start ? &have_start : &have_end) = true;
        } else if (strcmp(k, "timezone") == 0) {
            snprintf(el->timezone, sizeof el->timezone, "%s", v);
        } else if (strcmp(k, "eligibility") == 0) {
            if (strcmp(v, "attended") == 0)
                el->eligibility = ELIG_ATTENDED;
            else if (strcmp(v, "token") == 0)
                el->eligibility = ELIG_TOKEN;
            else
                loader_problem(c, CONF_NAME, en->line, 0, "eligibility must be attended or token");
        } else if (strcmp(k, "tie_break") == 0) {
            char buf[128];
            snprintf(buf, sizeof buf, "%s", v);
            int n = 0;
            bool has_id = false, bad = false;
            char *save = NULL;
            for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
                enum tie_break tb = tie_break_from_name(t);
                if (tb == TIE_END || n >= TIE_MAX || has_id) {
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "tie_break: \"%s\" is not allowed here (use lowest-cost, "
                                   "highest-cost, most-votes, id; each once, id last)",
                                   t);
                    bad = true;
                    break;
                }
                for (int j = 0; j < n; j++)
                    if (el->tie_break[j] == tb)
                        bad = true;
                has_id = tb == TIE_ID;
                el->tie_break[n++] = tb;
            }
            if (!bad && !has_id && n < TIE_MAX)
                el->tie_break[n++] = TIE_ID; /* ids are unique: the last word */
            el->tie_break[n] = TIE_END;
        } else if (strcmp(k, "publication_url") == 0) {
            const char *why = NULL;
            if (!package_publication_url_ok(v, &why))
                loader_problem(c, CONF_NAME, en->line, 0, "publication_url: %s", why);
            else
                snprintf(el->publication_url, sizeof el->publication_url, "%s", v);
        } else if (strcmp(k, "receipts") == 0) {
            if (strcmp(v, "yes") && strcmp(v, "no"))
                loader_problem(c, CONF_NAME, en->line, 0, "receipts must be yes or no");
            pa->receipts = strcmp(v, "yes") == 0;
        } else if (strcmp(k, "tally_key") == 0) {
            snprintf(pa->tally_key, sizeof pa->tally_key, "%s", v);
        } else if (strcmp(k, "kiosk_keys") == 0) {
            snprintf(pa->kiosk_keys, sizeof pa->kiosk_keys, "%s", v);
        } else if (strcmp(k, "official_pin") == 0 || strcmp(k, "supervisor_pin") == 0) {
            bool off = k[0] == 'o';
            size_t min = off ? OFFICIAL_PIN_MIN : SUPERVISOR_PIN_MIN;
            if (!officials_pin_ok(v) || strlen(v) < min)
                loader_problem(c, CONF_NAME, en->line, 0, "%s must be %zu to %d digits", k, min,
                               OFFICIAL_PIN_MAX);
            else
                snprintf(off ? pa->official_pin : pa->supervisor_pin, sizeof pa->official_pin, "%s",
                         v);
            pa->pin_line = en->line;
        } else {
            unknown_key(c, en, "election");
        }
    }
    loader_require_texts(c, &el->name, CONF_NAME, s->line, "election name", "name");
    if (!el->id)
        loader_problem(c, CONF_NAME, s->line, 0, "the election id is missing (id = ...)");
    if (!have_start || !have_end)
        loader_problem(c, CONF_NAME, s->line, 0, "voting_start and voting_end are both required");
    else if (el->voting_end <= el->voting_start)
        loader_problem(c, CONF_NAME, s->line, 0, "voting_end must come after voting_start");
}

/* Adds one official to pa->officials; false when out of memory. */
static bool add_official(struct ctx *c, struct paths *pa, const char *name, enum official_role role,
                         const char *pin, int vote_point, unsigned line)
{
    struct official_conf *grown =
        realloc(pa->officials, (pa->nofficials + 1) * sizeof *pa->officials);
    if (!grown) {
        c->nomem = true;
        return false;
    }
    pa->officials = grown;
    struct official_conf *o = &pa->officials[pa->nofficials++];
    memset(o, 0, sizeof *o);
    snprintf(o->name, sizeof o->name, "%s", name);
    o->role = role;
    snprintf(o->pin, sizeof o->pin, "%s", pin);
    o->vote_point = vote_point;
    o->line = line;
    return true;
}

/* [official ID]: name, role (official or supervisor), pin, and optionally vote_point (the
 * official's PIN then works only at that vote point's kiosks). official_pin and supervisor_pin
 * in [election] give one shared PIN each, named "official" and "supervisor". Checks what does
 * not depend on the kiosks: names, roles, PIN lengths, and that no two officials share a PIN
 * (a PIN names the official who acts). */
static void read_officials(struct ctx *c, const struct conf *cf, struct paths *pa)
{
    if (pa->official_pin[0])
        add_official(c, pa, "official", OFFICIAL_ROLE_OFFICIAL, pa->official_pin, -1, pa->pin_line);
    if (pa->supervisor_pin[0])
        add_official(c, pa, "supervisor", OFFICIAL_ROLE_SUPERVISOR, pa->supervisor_pin, -1,
                     pa->pin_line);
    sodium_memzero(pa->official_pin, sizeof pa->official_pin);
    sodium_memzero(pa->supervisor_pin, sizeof pa->supervisor_pin);
    for (size_t s = 0; s < cf->nsections; s++) {
        const struct conf_section *sec = &cf->sections[s];
        if (strcmp(sec->kind, "official") != 0)
            continue;
        if (!sec->id) {
            loader_problem(c, CONF_NAME, sec->line, 0,
                           "[official] needs a short id (e.g. [official anne]) and name = ...");
            continue;
        }
        const char *name = NULL, *pin = NULL;
        enum official_role role = OFFICIAL_ROLE_OFFICIAL;
        int vote_point = -1;
        bool bad = false;
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            const struct conf_entry *en = &cf->entries[i];
            const char *v = en->value;
            if (strcmp(en->key, "name") == 0) {
                bool printable = *v != '\0' && strlen(v) <= OFFICIAL_NAME_MAX;
                for (const char *p = v; printable && *p; p++)
                    printable = (unsigned char)*p >= 0x20 && *p != 0x7f;
                if (!printable) {
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "the official's name must be 1 to %d bytes of text (it is "
                                   "printed on the polls reports)",
                                   OFFICIAL_NAME_MAX);
                    bad = true;
                }
                name = v;
            } else if (strcmp(en->key, "role") == 0) {
                if (strcmp(v, "official") == 0) {
                    role = OFFICIAL_ROLE_OFFICIAL;
                } else if (strcmp(v, "supervisor") == 0) {
                    role = OFFICIAL_ROLE_SUPERVISOR;
                } else {
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "role must be official or supervisor");
                    bad = true;
                }
            } else if (strcmp(en->key, "pin") == 0) {
                pin = v;
            } else if (strcmp(en->key, "vote_point") == 0) {
                vote_point = election_find_vote_point(c->el, v);
                if (vote_point < 0) {
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "vote_point \"%s\" is not defined: add a [vote_point %s] "
                                   "section or fix the id",
                                   v, v);
                    bad = true;
                }
            } else {
                unknown_key(c, en, "official");
            }
        }
        if (!name || !pin) {
            loader_problem(c, CONF_NAME, sec->line, 0,
                           "[official %s] needs name = and pin =", sec->id);
            continue;
        }
        size_t min = role == OFFICIAL_ROLE_SUPERVISOR ? SUPERVISOR_PIN_MIN : OFFICIAL_PIN_MIN;
        if (!officials_pin_ok(pin) || strlen(pin) < min) {
            loader_problem(c, CONF_NAME, sec->line, 0,
                           "[official %s]: the %s's pin must be %zu to %d digits", sec->id,
                           role == OFFICIAL_ROLE_SUPERVISOR ? "supervisor" : "official", min,
                           OFFICIAL_PIN_MAX);
            bad = true;
        }
        if (!bad)
            add_official(c, pa, name, role, pin, vote_point, sec->line);
    }
    if (pa->nofficials == 0) {
        loader_problem(c, CONF_NAME, pa->election_line, 0,
                       "no officials: add an [official ID] section (name, role, pin) for each "
                       "official and supervisor, or official_pin and supervisor_pin in "
                       "[election]");
        return;
    }
    for (size_t i = 0; i < pa->nofficials; i++)
        for (size_t j = 0; j < i; j++) {
            const struct official_conf *a = &pa->officials[j], *b = &pa->officials[i];
            if (strcmp(a->pin, b->pin) == 0)
                loader_problem(c, CONF_NAME, b->line, 0,
                               "%s has the same PIN as %s (line %u): each official needs their "
                               "own PIN, which names them on the reports",
                               b->name, a->name, a->line);
            else if (strcmp(a->name, b->name) == 0)
                loader_problem(c, CONF_NAME, b->line, 0,
                               "two officials are named \"%s\" (lines %u and %u): the reports "
                               "could not tell them apart",
                               b->name, a->line, b->line);
        }
}

/* [district x], [category x], [vote_point x]: an id and a name in every language. */
static void read_named(struct ctx *c, const struct conf *cf, const char *kind, char ***ids,
                       struct text **names, size_t *count, size_t stride, void **arr)
{
    (void)ids;
    (void)names;
    size_t n = 0;
    for (size_t s = 0; s < cf->nsections; s++)
        n += strcmp(cf->sections[s].kind, kind) == 0;
    *count = 0;
    *arr = NULL;
    if (!n)
        return;
    char *base = calloc(n, stride);
    if (!base) {
        c->nomem = true;
        return;
    }
    *arr = base;
    for (size_t s = 0; s < cf->nsections; s++) {
        const struct conf_section *sec = &cf->sections[s];
        if (strcmp(sec->kind, kind) != 0)
            continue;
        if (!sec->id || !loader_valid_id(sec->id, 32, false)) {
            loader_problem(c, CONF_NAME, sec->line, 0,
                           "[%s] needs an id of lower-case letters, digits or - (e.g. [%s nord])",
                           kind, kind);
            continue;
        }
        bool dupl = false;
        for (size_t j = 0; j < *count; j++)
            if (strcmp(*(char **)(base + j * stride), sec->id) == 0)
                dupl = true;
        if (dupl) {
            loader_problem(c, CONF_NAME, sec->line, 0, "[%s %s] is defined twice", kind, sec->id);
            continue;
        }
        char **id = (char **)(base + *count * stride);
        struct text *name = (struct text *)(base + *count * stride + sizeof(char *));
        *id = loader_dup(c, sec->id);
        (*count)++;
        for (size_t i = sec->first; i < sec->first + sec->count; i++)
            if (!name_key(c, &cf->entries[i], name, "name"))
                unknown_key(c, &cf->entries[i], kind);
        loader_require_texts(c, name, CONF_NAME, sec->line, "name", "name");
    }
}

/* Lines of one [ballot] section, to point package_check_ballot's problems at. */
struct ballot_lines {
    struct ctx *c;
    unsigned section, share, method, budget;
};

static void ballot_problem(void *ctx, enum package_field where, const char *msg)
{
    const struct ballot_lines *bl = ctx;
    unsigned line = where == PACKAGE_FIELD_MIN_SHARE ? bl->share
                    : where == PACKAGE_FIELD_METHOD  ? bl->method
                    : where == PACKAGE_FIELD_BUDGET  ? bl->budget
                                                     : bl->section;
    loader_problem(bl->c, CONF_NAME, line, 0, "%s", msg);
}

static void read_ballots(struct ctx *c, const struct conf *cf)
{
    struct election *el = c->el;
    size_t n = 0;
    for (size_t s = 0; s < cf->nsections; s++)
        n += strcmp(cf->sections[s].kind, "ballot") == 0;
    if (!n) {
        loader_problem(c, CONF_NAME, 0, 0, "no [ballot ...] section: define at least one ballot");
        return;
    }
    el->ballots = calloc(n, sizeof *el->ballots);
    if (!el->ballots) {
        c->nomem = true;
        return;
    }
    for (size_t s = 0; s < cf->nsections; s++) {
        const struct conf_section *sec = &cf->sections[s];
        if (strcmp(sec->kind, "ballot") != 0)
            continue;
        if (!sec->id || !loader_valid_id(sec->id, 32, false) ||
            election_find_ballot(el, sec->id) >= 0) {
            loader_problem(c, CONF_NAME, sec->line, 0,
                           sec->id && election_find_ballot(el, sec->id) >= 0
                               ? "this ballot id is used twice"
                               : "[ballot] needs an id of lower-case letters, digits or -");
            continue;
        }
        if (el->nballots < ARRAY_LEN(c->ballot_line))
            c->ballot_line[el->nballots] = sec->line;
        struct ballot_def *bd = &el->ballots[el->nballots++];
        bd->id = loader_dup(c, sec->id);
        bd->district = -1;
        bd->method = COUNT_GREEDY;
        unsigned method_line = sec->line, share_line = sec->line, budget_line = sec->line;
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            const struct conf_entry *en = &cf->entries[i];
            const char *k = en->key, *v = en->value;
            if (name_key(c, en, &bd->name, "ballot name"))
                continue;
            if (strcmp(k, "district") == 0) {
                if (*v && (bd->district = election_find_district(el, v)) < 0)
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "district \"%s\" does not exist (define it with [district %s])",
                                   v, v);
            } else if (strcmp(k, "budget") == 0) {
                budget_line = en->line;
                if (util_parse_euro_cents(v, &bd->budget) || bd->budget <= 0)
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "budget \"%s\" is not a positive amount in euro", v);
            } else if (strcmp(k, "budget_cents") == 0) {
                budget_line = en->line;
                if (util_parse_i64(v, &bd->budget) || bd->budget <= 0)
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "budget_cents must be a positive whole number of cents");
            } else if (strcmp(k, "rule") == 0) {
                bd->rule.kind = strcmp(v, "approval") == 0     ? RULE_APPROVAL
                                : strcmp(v, "knapsack") == 0   ? RULE_KNAPSACK
                                : strcmp(v, "cumulative") == 0 ? RULE_CUMULATIVE
                                : strcmp(v, "ranking") == 0    ? RULE_RANKING
                                                               : 0;
                if (!bd->rule.kind)
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "rule must be approval, knapsack, cumulative or ranking");
            } else if (strcmp(k, "min") == 0 || strcmp(k, "max") == 0) {
                uint32_t *dst = k[1] == 'i' ? &bd->rule.min : &bd->rule.max;
                if (parse_uint(v, 256, dst))
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "%s must be a whole number from 0 to %d", k, 256);
            } else if (strcmp(k, "points") == 0) {
                if (parse_uint(v, 1000, &bd->rule.points))
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "points must be a whole number up to 1000");
            } else if (strcmp(k, "max_per_project") == 0) {
                if (parse_uint(v, 1000, &bd->rule.max_per_project))
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "max_per_project must be a whole number up to 1000");
            } else if (strcmp(k, "min_share") == 0) {
                share_line = en->line;
                if (parse_share(v, &bd->rule.min_share_permille))
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "min_share \"%s\" must be a percentage from 0%% to 100%%", v);
            } else if (strcmp(k, "method") == 0) {
                method_line = en->line;
                if (strcmp(v, "greedy") == 0)
                    bd->method = COUNT_GREEDY;
                else if (strcmp(v, "mes") == 0)
                    bd->method = COUNT_MES;
                else
                    loader_problem(c, CONF_NAME, en->line, 0, "method must be greedy or mes");
            } else {
                unknown_key(c, en, "ballot");
            }
        }
        loader_require_texts(c, &bd->name, CONF_NAME, sec->line, "ballot name", "name");
        /* The rules every package must satisfy are checked where the reader checks them. */
        struct ballot_lines bl = {.c = c,
                                  .section = sec->line,
                                  .share = share_line,
                                  .method = method_line,
                                  .budget = budget_line};
        package_check_ballot(bd, ballot_problem, &bl);
    }
}

/* [kiosk LABEL]: settings of one kiosk, named by its key file (LABEL.pub in kiosk_keys):
 * eligibility (attended or token), vote_point (a [vote_point] id) and receipts (yes or no). */
static void read_kiosk_sections(struct ctx *c, const struct conf *cf, struct paths *pa)
{
    size_t n = 0;
    for (size_t s = 0; s < cf->nsections; s++)
        n += strcmp(cf->sections[s].kind, "kiosk") == 0;
    if (!n)
        return;
    pa->kiosks = calloc(n, sizeof *pa->kiosks);
    if (!pa->kiosks) {
        c->nomem = true;
        return;
    }
    for (size_t s = 0; s < cf->nsections; s++) {
        const struct conf_section *sec = &cf->sections[s];
        if (strcmp(sec->kind, "kiosk") != 0)
            continue;
        if (!sec->id || !*sec->id || strlen(sec->id) >= sizeof pa->kiosks[0].label) {
            loader_problem(c, CONF_NAME, sec->line, 0,
                           "[kiosk] needs the name of a kiosk key file without .pub (e.g. [kiosk "
                           "kiosk-01]), at most 63 bytes");
            continue;
        }
        bool dupl = false;
        for (size_t j = 0; j < pa->nkiosks; j++)
            dupl = dupl || strcmp(pa->kiosks[j].label, sec->id) == 0;
        if (dupl) {
            loader_problem(c, CONF_NAME, sec->line, 0, "[kiosk %s] is defined twice", sec->id);
            continue;
        }
        struct kiosk_conf *k = &pa->kiosks[pa->nkiosks++];
        snprintf(k->label, sizeof k->label, "%s", sec->id);
        k->line = sec->line;
        k->vote_point = -1;
        k->receipts = -1;
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            const struct conf_entry *en = &cf->entries[i];
            if (strcmp(en->key, "eligibility") == 0) {
                if (strcmp(en->value, "attended") == 0)
                    k->eligibility = ELIG_ATTENDED;
                else if (strcmp(en->value, "token") == 0)
                    k->eligibility = ELIG_TOKEN;
                else
                    loader_problem(c, CONF_NAME, en->line, 0,
                                   "eligibility must be attended or token");
            } else if (strcmp(en->key, "vote_point") == 0) {
                k->vote_point = election_find_vote_point(c->el, en->value);
                if (k->vote_point < 0)
                    loader_problem(
                        c, CONF_NAME, en->line, 0,
                        "vote_point \"%s\" is not defined: add a [vote_point %s] section or "
                        "fix the id",
                        en->value, en->value);
            } else if (strcmp(en->key, "receipts") == 0) {
                if (strcmp(en->value, "yes") && strcmp(en->value, "no"))
                    loader_problem(c, CONF_NAME, en->line, 0, "receipts must be yes or no");
                k->receipts = strcmp(en->value, "yes") == 0;
                k->receipts_line = en->line;
            } else {
                unknown_key(c, en, "kiosk");
            }
        }
    }
}

/* Gives every kiosk key its [kiosk] settings; a section naming no key file is a problem. */
void loader_apply_kiosk_sections(struct ctx *c, struct paths *pa)
{
    struct election *el = c->el;
    if (el->nkiosks == 0)
        return;
    el->kiosk_eligibility = calloc(el->nkiosks, sizeof *el->kiosk_eligibility);
    el->kiosk_vote_point = calloc(el->nkiosks, sizeof *el->kiosk_vote_point);
    el->kiosk_receipts = calloc(el->nkiosks, sizeof *el->kiosk_receipts);
    if (!el->kiosk_eligibility || !el->kiosk_vote_point || !el->kiosk_receipts) {
        c->nomem = true;
        return;
    }
    bool receipts_problem = false;
    for (size_t i = 0; i < el->nkiosks; i++) {
        el->kiosk_eligibility[i] = (uint8_t)el->eligibility;
        el->kiosk_vote_point[i] = -1;
        el->kiosk_receipts[i] = pa->receipts;
        unsigned receipts_line = pa->election_line;
        for (size_t j = 0; j < pa->nkiosks; j++) {
            struct kiosk_conf *k = &pa->kiosks[j];
            if (strcmp(k->label, el->kiosk_labels[i]) != 0)
                continue;
            k->used = true;
            if (k->eligibility)
                el->kiosk_eligibility[i] = (uint8_t)k->eligibility;
            el->kiosk_vote_point[i] = k->vote_point;
            if (k->receipts >= 0) {
                el->kiosk_receipts[i] = (uint8_t)k->receipts;
                receipts_line = k->receipts_line;
            }
        }
        /* a receipt carries the publication address as a QR code: it needs one */
        if (el->kiosk_receipts[i] && !el->publication_url[0] && !receipts_problem) {
            loader_problem(c, CONF_NAME, receipts_line, 0,
                           "kiosk %s prints voter receipts, which show where the tracking codes "
                           "will be published: set publication_url = https://... in [election]",
                           el->kiosk_labels[i]);
            receipts_problem = true;
        }
    }
    for (size_t j = 0; j < pa->nkiosks; j++)
        if (!pa->kiosks[j].used)
            loader_problem(c, CONF_NAME, pa->kiosks[j].line, 0,
                           "[kiosk %s]: there is no key file %s.pub in the kiosk keys folder",
                           pa->kiosks[j].label, pa->kiosks[j].label);
}

/* The setting a key gives: two spellings of one setting count as the same key. */
static const char *setting_of(const char *key)
{
    return strcmp(key, "budget_cents") == 0 ? "budget" : key;
}

static int cmp_entry_key(const void *a, const void *b)
{
    const struct conf_entry *x = *(const struct conf_entry *const *)a;
    const struct conf_entry *y = *(const struct conf_entry *const *)b;
    int d = strcmp(setting_of(x->key), setting_of(y->key));
    return d ? d : (x->line > y->line) - (x->line < y->line);
}

/* A key given twice in one section is refused, naming both lines: otherwise the last one
 * would win silently. */
static void check_duplicate_keys(struct ctx *c, const struct conf *cf)
{
    const struct conf_entry **sorted = NULL;
    size_t cap = 0;
    for (size_t s = 0; s < cf->nsections; s++) {
        const struct conf_section *sec = &cf->sections[s];
        if (sec->count < 2)
            continue;
        if (sec->count > cap) {
            const struct conf_entry **p = realloc(sorted, sec->count * sizeof *p);
            if (!p) {
                c->nomem = true;
                break;
            }
            sorted = p;
            cap = sec->count;
        }
        for (size_t i = 0; i < sec->count; i++)
            sorted[i] = &cf->entries[sec->first + i];
        qsort(sorted, sec->count, sizeof *sorted, cmp_entry_key);
        for (size_t i = 1; i < sec->count; i++) {
            const struct conf_entry *again = sorted[i];
            const char *what = setting_of(again->key);
            if (strcmp(setting_of(sorted[i - 1]->key), what) != 0)
                continue;
            /* report each repeat against the first occurrence */
            size_t j = i - 1;
            while (j > 0 && strcmp(setting_of(sorted[j - 1]->key), what) == 0)
                j--;
            const struct conf_entry *first = sorted[j];
            if (strcmp(first->key, again->key) == 0)
                loader_problem(c, CONF_NAME, again->line, 0,
                               "%s is given twice in [%s%s%s] (lines %u and %u); keep one",
                               again->key, sec->kind, sec->id ? " " : "", sec->id ? sec->id : "",
                               first->line, again->line);
            else
                loader_problem(c, CONF_NAME, again->line, 0,
                               "%s and %s both give the %s in [%s%s%s] (lines %u and %u); keep one",
                               first->key, again->key, what, sec->kind, sec->id ? " " : "",
                               sec->id ? sec->id : "", first->line, again->line);
        }
    }
    free(sorted);
}

int loader_read_conf(struct ctx *c, struct paths *pa)
{
    char path[1024];
    loader_path_in(path, sizeof path, c->folder, CONF_NAME);
    uint8_t *data;
    size_t len;
    struct err e = {0};
    if (util_read_file(path, FILE_MAX, &data, &len, &e)) {
        loader_problem(c, CONF_NAME, 0, 0, "%s", e.msg);
        return -1;
    }
    struct conf cf;
    int rc = conf_parse(data, len, CONF_NAME, &cf, &e);
    sodium_memzero(data, len); /* it holds the officials' PINs */
    free(data);
    if (rc) {
        /* conf messages already start with "election.conf:line: " */
        loader_problem(c, "election", 0, 0, "%s", e.msg);
        return -1;
    }
    check_duplicate_keys(c, &cf);
    size_t election_sec = SIZE_MAX;
    for (size_t s = 0; s < cf.nsections; s++) {
        const char *k = cf.sections[s].kind;
        if (strcmp(k, "election") == 0) {
            if (election_sec != SIZE_MAX)
                loader_problem(c, CONF_NAME, cf.sections[s].line, 0, "[election] appears twice");
            else
                election_sec = s;
        } else if (strcmp(k, "district") && strcmp(k, "category") && strcmp(k, "vote_point") &&
                   strcmp(k, "ballot") && strcmp(k, "kiosk") && strcmp(k, "official")) {
            loader_problem(
                c, CONF_NAME, cf.sections[s].line, 0,
                "unknown section [%s] (election, district, category, vote_point, ballot, "
                "kiosk, official)",
                k);
        }
    }
    if (election_sec == SIZE_MAX) {
        loader_problem(c, CONF_NAME, 0, 0, "the [election] section is missing");
        conf_free(&cf);
        return -1;
    }
    read_languages(c, &cf, election_sec);
    read_election(c, &cf, election_sec, pa);
    struct election *el = c->el;
    read_named(c, &cf, "district", NULL, NULL, &el->ndistricts, sizeof *el->districts,
               (void **)&el->districts);
    read_named(c, &cf, "category", NULL, NULL, &el->ncategories, sizeof *el->categories,
               (void **)&el->categories);
    read_named(c, &cf, "vote_point", NULL, NULL, &el->nvote_points, sizeof *el->vote_points,
               (void **)&el->vote_points);
    read_ballots(c, &cf);
    read_kiosk_sections(c, &cf, pa);
    read_officials(c, &cf, pa);
    conf_free(&cf);
    return 0;
}
