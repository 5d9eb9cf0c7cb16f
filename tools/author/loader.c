/*
 * loader — reads and validates an election folder; see loader.h.
 *
 * Structure: read election.conf (sections in any order), then projects.csv, then check what
 * links them (districts, categories, ballots that can be satisfied), then keys, PINs and
 * pictures. Each step adds problems to the report and carries on with what it could read, so a
 * single run names every mistake. Only a file that cannot be parsed at all stops the run.
 */
#include "loader.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>

#include "conf.h"
#include "csv.h"
#include "image.h"
#include "keys.h"
#include "package.h"
#include "util.h"

#define CONF_NAME             "election.conf"
#define CSV_NAME              "projects.csv"
#define FILE_MAX              (16u * 1024 * 1024)
#define PICTURE_FILE_MAX      (2u * 1024 * 1024)
#define NAME_MAX_CHARS        120
#define TITLE_MAX_CHARS       120
#define SUMMARY_MAX_CHARS     320
#define DESCRIPTION_MAX_CHARS 4000

static const char *const LANG_NAMES[LANG_COUNT] = {"French", "Dutch", "English"};

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

struct ctx {
    const char *folder;
    const struct loader_options *opt;
    struct election *el;
    struct loader_report *rep;
    bool nomem;
    bool lang_on[LANG_COUNT];
    unsigned ballot_line[64]; /* election.conf line of each [ballot] section */
};

__attribute__((format(printf, 5, 6))) static void
problem(struct ctx *c, const char *file, unsigned line, unsigned col, const char *fmt, ...)
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

static char *dup(struct ctx *c, const char *s)
{
    char *d = util_strdup(s);
    if (!d)
        c->nomem = true;
    return d;
}

static void path_in(char *out, size_t size, const char *folder, const char *rel)
{
    if (rel[0] == '/')
        snprintf(out, size, "%s", rel);
    else
        snprintf(out, size, "%s/%s", folder, rel);
}

/* ---- small parsers ----------------------------------------------------------------------- */

static bool valid_id(const char *s, size_t max, bool allow_upper)
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

/* ---- texts ------------------------------------------------------------------------------- */

/* Checks and stores a text for one language. */
static void put_text(struct ctx *c, struct text *t, enum lang l, const char *value,
                     size_t max_chars, const char *file, unsigned line, unsigned col,
                     const char *what)
{
    size_t chars = utf8_length(value, strlen(value));
    if (chars == 0) {
        problem(c, file, line, col, "the %s %s is empty", LANG_NAMES[l], what);
        return;
    }
    if (chars > max_chars) {
        problem(c, file, line, col, "the %s %s has %zu characters; at most %zu fit on screen",
                LANG_NAMES[l], what, chars, max_chars);
        return;
    }
    free(t->s[l]);
    t->s[l] = dup(c, value);
}

static void require_texts(struct ctx *c, const struct text *t, const char *file, unsigned line,
                          const char *what, const char *key)
{
    for (int l = 0; l < LANG_COUNT; l++)
        if (c->lang_on[l] && !t->s[l])
            problem(c, file, line, 0, "the %s %s is missing (%s.%s)", LANG_NAMES[l], what, key,
                    lang_code((enum lang)l));
}

/* name.<lang> keys; returns true if the key was one. */
static bool name_key(struct ctx *c, const struct conf_entry *en, struct text *t, const char *what)
{
    if (strncmp(en->key, "name.", 5) != 0)
        return false;
    int l = lang_from_code(en->key + 5);
    if (l < 0) {
        problem(c, CONF_NAME, en->line, 0,
                "unknown language \"%s\" (use name.fr, name.nl or name.en)", en->key + 5);
        return true;
    }
    if (c->lang_on[l])
        put_text(c, t, (enum lang)l, en->value, NAME_MAX_CHARS, CONF_NAME, en->line, 0, what);
    return true;
}

/* ---- election.conf ----------------------------------------------------------------------- */

/* A [kiosk LABEL] section, applied once the kiosk keys are read. */
struct kiosk_conf {
    char label[64];
    unsigned line;
    enum eligibility eligibility; /* 0: the election's */
    int vote_point;               /* -1: none */
    bool used;
};

struct paths {
    char tally_key[1024], kiosk_keys[1024];
    char official_pin[32], supervisor_pin[32];
    unsigned pin_line;
    struct kiosk_conf *kiosks;
    size_t nkiosks;
};

static void unknown_key(struct ctx *c, const struct conf_entry *en, const char *section)
{
    problem(c, CONF_NAME, en->line, 0, "unknown setting \"%s\" in [%s] (a typo?)", en->key,
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
                problem(c, CONF_NAME, en->line, 0,
                        "unknown language \"%s\" in languages (use fr, nl and/or en)", tok);
            } else if (c->lang_on[l]) {
                problem(c, CONF_NAME, en->line, 0, "language %s is listed twice", tok);
            } else {
                c->lang_on[l] = true;
                c->el->langs[c->el->nlangs++] = (enum lang)l;
            }
        }
        return;
    }
    problem(c, CONF_NAME, s->line, 0,
            "languages is missing in [election] (e.g. languages = fr, nl, en)");
}

static void read_election(struct ctx *c, const struct conf *cf, size_t sec, struct paths *pa)
{
    struct election *el = c->el;
    const struct conf_section *s = &cf->sections[sec];
    bool have_start = false, have_end = false;
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
            if (!valid_id(v, 40, false))
                problem(c, CONF_NAME, en->line, 0,
                        "the election id \"%s\" must be 1 to 40 lower-case letters, digits or -",
                        v);
            else
                el->id = dup(c, v);
        } else if (strcmp(k, "demo") == 0) {
            if (strcmp(v, "yes") && strcmp(v, "no"))
                problem(c, CONF_NAME, en->line, 0, "demo must be yes or no");
            el->demo = strcmp(v, "yes") == 0;
        } else if (strcmp(k, "voting_start") == 0 || strcmp(k, "voting_end") == 0) {
            bool start = k[7] == 's';
            if (parse_time(v, start ? &el->voting_start : &el->voting_end))
                problem(c, CONF_NAME, en->line, 0,
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
                problem(c, CONF_NAME, en->line, 0, "eligibility must be attended or token");
        } else if (strcmp(k, "tie_break") == 0) {
            char buf[128];
            snprintf(buf, sizeof buf, "%s", v);
            int n = 0;
            bool has_id = false, bad = false;
            char *save = NULL;
            for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
                enum tie_break tb = tie_break_from_name(t);
                if (tb == TIE_END || n >= TIE_MAX || has_id) {
                    problem(c, CONF_NAME, en->line, 0,
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
        } else if (strcmp(k, "tally_key") == 0) {
            snprintf(pa->tally_key, sizeof pa->tally_key, "%s", v);
        } else if (strcmp(k, "kiosk_keys") == 0) {
            snprintf(pa->kiosk_keys, sizeof pa->kiosk_keys, "%s", v);
        } else if (strcmp(k, "official_pin") == 0 || strcmp(k, "supervisor_pin") == 0) {
            bool off = k[0] == 'o';
            size_t n = strlen(v), min = off ? 6 : 8;
            bool digits = n >= min && n <= 12;
            for (size_t j = 0; j < n; j++)
                digits = digits && isdigit((unsigned char)v[j]);
            if (!digits)
                problem(c, CONF_NAME, en->line, 0, "%s must be %zu to 12 digits", k, min);
            else
                snprintf(off ? pa->official_pin : pa->supervisor_pin, sizeof pa->official_pin, "%s",
                         v);
            pa->pin_line = en->line;
        } else {
            unknown_key(c, en, "election");
        }
    }
    require_texts(c, &el->name, CONF_NAME, s->line, "election name", "name");
    if (!el->id)
        problem(c, CONF_NAME, s->line, 0, "the election id is missing (id = ...)");
    if (!have_start || !have_end)
        problem(c, CONF_NAME, s->line, 0, "voting_start and voting_end are both required");
    else if (el->voting_end <= el->voting_start)
        problem(c, CONF_NAME, s->line, 0, "voting_end must come after voting_start");
    if (!pa->official_pin[0] || !pa->supervisor_pin[0])
        problem(c, CONF_NAME, s->line, 0, "official_pin and supervisor_pin are both required");
    else if (strcmp(pa->official_pin, pa->supervisor_pin) == 0)
        problem(c, CONF_NAME, pa->pin_line, 0, "supervisor_pin must differ from official_pin");
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
        if (!sec->id || !valid_id(sec->id, 32, false)) {
            problem(c, CONF_NAME, sec->line, 0,
                    "[%s] needs an id of lower-case letters, digits or - (e.g. [%s nord])", kind,
                    kind);
            continue;
        }
        bool dupl = false;
        for (size_t j = 0; j < *count; j++)
            if (strcmp(*(char **)(base + j * stride), sec->id) == 0)
                dupl = true;
        if (dupl) {
            problem(c, CONF_NAME, sec->line, 0, "[%s %s] is defined twice", kind, sec->id);
            continue;
        }
        char **id = (char **)(base + *count * stride);
        struct text *name = (struct text *)(base + *count * stride + sizeof(char *));
        *id = dup(c, sec->id);
        (*count)++;
        for (size_t i = sec->first; i < sec->first + sec->count; i++)
            if (!name_key(c, &cf->entries[i], name, "name"))
                unknown_key(c, &cf->entries[i], kind);
        require_texts(c, name, CONF_NAME, sec->line, "name", "name");
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
    problem(bl->c, CONF_NAME, line, 0, "%s", msg);
}

static void read_ballots(struct ctx *c, const struct conf *cf)
{
    struct election *el = c->el;
    size_t n = 0;
    for (size_t s = 0; s < cf->nsections; s++)
        n += strcmp(cf->sections[s].kind, "ballot") == 0;
    if (!n) {
        problem(c, CONF_NAME, 0, 0, "no [ballot ...] section: define at least one ballot");
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
        if (!sec->id || !valid_id(sec->id, 32, false) || election_find_ballot(el, sec->id) >= 0) {
            problem(c, CONF_NAME, sec->line, 0,
                    sec->id && election_find_ballot(el, sec->id) >= 0
                        ? "this ballot id is used twice"
                        : "[ballot] needs an id of lower-case letters, digits or -");
            continue;
        }
        if (el->nballots < ARRAY_LEN(c->ballot_line))
            c->ballot_line[el->nballots] = sec->line;
        struct ballot_def *bd = &el->ballots[el->nballots++];
        bd->id = dup(c, sec->id);
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
                    problem(c, CONF_NAME, en->line, 0,
                            "district \"%s\" does not exist (define it with [district %s])", v, v);
            } else if (strcmp(k, "budget") == 0) {
                budget_line = en->line;
                if (util_parse_euro_cents(v, &bd->budget) || bd->budget <= 0)
                    problem(c, CONF_NAME, en->line, 0,
                            "budget \"%s\" is not a positive amount in euro", v);
            } else if (strcmp(k, "budget_cents") == 0) {
                budget_line = en->line;
                if (util_parse_i64(v, &bd->budget) || bd->budget <= 0)
                    problem(c, CONF_NAME, en->line, 0,
                            "budget_cents must be a positive whole number of cents");
            } else if (strcmp(k, "rule") == 0) {
                bd->rule.kind = strcmp(v, "approval") == 0     ? RULE_APPROVAL
                                : strcmp(v, "knapsack") == 0   ? RULE_KNAPSACK
                                : strcmp(v, "cumulative") == 0 ? RULE_CUMULATIVE
                                : strcmp(v, "ranking") == 0    ? RULE_RANKING
                                                               : 0;
                if (!bd->rule.kind)
                    problem(c, CONF_NAME, en->line, 0,
                            "rule must be approval, knapsack, cumulative or ranking");
            } else if (strcmp(k, "min") == 0 || strcmp(k, "max") == 0) {
                uint32_t *dst = k[1] == 'i' ? &bd->rule.min : &bd->rule.max;
                if (parse_uint(v, 256, dst))
                    problem(c, CONF_NAME, en->line, 0, "%s must be a whole number from 0 to %d", k,
                            256);
            } else if (strcmp(k, "points") == 0) {
                if (parse_uint(v, 1000, &bd->rule.points))
                    problem(c, CONF_NAME, en->line, 0, "points must be a whole number up to 1000");
            } else if (strcmp(k, "max_per_project") == 0) {
                if (parse_uint(v, 1000, &bd->rule.max_per_project))
                    problem(c, CONF_NAME, en->line, 0,
                            "max_per_project must be a whole number up to 1000");
            } else if (strcmp(k, "min_share") == 0) {
                share_line = en->line;
                if (parse_share(v, &bd->rule.min_share_permille))
                    problem(c, CONF_NAME, en->line, 0,
                            "min_share \"%s\" must be a percentage from 0%% to 100%%", v);
            } else if (strcmp(k, "method") == 0) {
                method_line = en->line;
                if (strcmp(v, "greedy") == 0)
                    bd->method = COUNT_GREEDY;
                else if (strcmp(v, "mes") == 0)
                    bd->method = COUNT_MES;
                else
                    problem(c, CONF_NAME, en->line, 0, "method must be greedy or mes");
            } else {
                unknown_key(c, en, "ballot");
            }
        }
        require_texts(c, &bd->name, CONF_NAME, sec->line, "ballot name", "name");
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
 * eligibility (attended or token) and vote_point (a [vote_point] id). */
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
            problem(c, CONF_NAME, sec->line, 0,
                    "[kiosk] needs the name of a kiosk key file without .pub (e.g. [kiosk "
                    "kiosk-01]), at most 63 bytes");
            continue;
        }
        bool dupl = false;
        for (size_t j = 0; j < pa->nkiosks; j++)
            dupl = dupl || strcmp(pa->kiosks[j].label, sec->id) == 0;
        if (dupl) {
            problem(c, CONF_NAME, sec->line, 0, "[kiosk %s] is defined twice", sec->id);
            continue;
        }
        struct kiosk_conf *k = &pa->kiosks[pa->nkiosks++];
        snprintf(k->label, sizeof k->label, "%s", sec->id);
        k->line = sec->line;
        k->vote_point = -1;
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            const struct conf_entry *en = &cf->entries[i];
            if (strcmp(en->key, "eligibility") == 0) {
                if (strcmp(en->value, "attended") == 0)
                    k->eligibility = ELIG_ATTENDED;
                else if (strcmp(en->value, "token") == 0)
                    k->eligibility = ELIG_TOKEN;
                else
                    problem(c, CONF_NAME, en->line, 0, "eligibility must be attended or token");
            } else if (strcmp(en->key, "vote_point") == 0) {
                k->vote_point = election_find_vote_point(c->el, en->value);
                if (k->vote_point < 0)
                    problem(c, CONF_NAME, en->line, 0,
                            "vote_point \"%s\" is not defined: add a [vote_point %s] section or "
                            "fix the id",
                            en->value, en->value);
            } else {
                unknown_key(c, en, "kiosk");
            }
        }
    }
}

/* Gives every kiosk key its [kiosk] settings; a section naming no key file is a problem. */
static void apply_kiosk_sections(struct ctx *c, struct paths *pa)
{
    struct election *el = c->el;
    if (el->nkiosks == 0)
        return;
    el->kiosk_eligibility = calloc(el->nkiosks, sizeof *el->kiosk_eligibility);
    el->kiosk_vote_point = calloc(el->nkiosks, sizeof *el->kiosk_vote_point);
    if (!el->kiosk_eligibility || !el->kiosk_vote_point) {
        c->nomem = true;
        return;
    }
    for (size_t i = 0; i < el->nkiosks; i++) {
        el->kiosk_eligibility[i] = (uint8_t)el->eligibility;
        el->kiosk_vote_point[i] = -1;
        for (size_t j = 0; j < pa->nkiosks; j++) {
            struct kiosk_conf *k = &pa->kiosks[j];
            if (strcmp(k->label, el->kiosk_labels[i]) != 0)
                continue;
            k->used = true;
            if (k->eligibility)
                el->kiosk_eligibility[i] = (uint8_t)k->eligibility;
            el->kiosk_vote_point[i] = k->vote_point;
        }
    }
    for (size_t j = 0; j < pa->nkiosks; j++)
        if (!pa->kiosks[j].used)
            problem(c, CONF_NAME, pa->kiosks[j].line, 0,
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
                problem(c, CONF_NAME, again->line, 0,
                        "%s is given twice in [%s%s%s] (lines %u and %u); keep one", again->key,
                        sec->kind, sec->id ? " " : "", sec->id ? sec->id : "", first->line,
                        again->line);
            else
                problem(c, CONF_NAME, again->line, 0,
                        "%s and %s both give the %s in [%s%s%s] (lines %u and %u); keep one",
                        first->key, again->key, what, sec->kind, sec->id ? " " : "",
                        sec->id ? sec->id : "", first->line, again->line);
        }
    }
    free(sorted);
}

static int read_conf(struct ctx *c, struct paths *pa)
{
    char path[1024];
    path_in(path, sizeof path, c->folder, CONF_NAME);
    uint8_t *data;
    size_t len;
    struct err e = {0};
    if (util_read_file(path, FILE_MAX, &data, &len, &e)) {
        problem(c, CONF_NAME, 0, 0, "%s", e.msg);
        return -1;
    }
    struct conf cf;
    int rc = conf_parse(data, len, CONF_NAME, &cf, &e);
    free(data);
    if (rc) {
        /* conf messages already start with "election.conf:line: " */
        problem(c, "election", 0, 0, "%s", e.msg);
        return -1;
    }
    check_duplicate_keys(c, &cf);
    size_t election_sec = SIZE_MAX;
    for (size_t s = 0; s < cf.nsections; s++) {
        const char *k = cf.sections[s].kind;
        if (strcmp(k, "election") == 0) {
            if (election_sec != SIZE_MAX)
                problem(c, CONF_NAME, cf.sections[s].line, 0, "[election] appears twice");
            else
                election_sec = s;
        } else if (strcmp(k, "district") && strcmp(k, "category") && strcmp(k, "vote_point") &&
                   strcmp(k, "ballot") && strcmp(k, "kiosk")) {
            problem(c, CONF_NAME, cf.sections[s].line, 0,
                    "unknown section [%s] (election, district, category, vote_point, ballot, "
                    "kiosk)",
                    k);
        }
    }
    if (election_sec == SIZE_MAX) {
        problem(c, CONF_NAME, 0, 0, "the [election] section is missing");
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
    conf_free(&cf);
    return 0;
}

/* ---- projects.csv ------------------------------------------------------------------------ */

enum col {
    COL_ID,
    COL_DISTRICT,
    COL_CATEGORY,
    COL_COST_CENTS,
    COL_COST,
    COL_PICTURE,
    COL_TITLE,                   /* + lang */
    COL_SUMMARY = COL_TITLE + 3, /* + lang */
    COL_DESCRIPTION = COL_SUMMARY + 3,
    COL_COUNT = COL_DESCRIPTION + 3,
};

static const char *const COL_NAMES[COL_COUNT] = {
    "id",         "district",   "category",       "cost_cents",     "cost",
    "picture",    "title_fr",   "title_nl",       "title_en",       "summary_fr",
    "summary_nl", "summary_en", "description_fr", "description_nl", "description_en",
};

static void read_projects(struct ctx *c, char (*pictures)[1024], unsigned *picture_lines)
{
    struct election *el = c->el;
    char path[1024];
    path_in(path, sizeof path, c->folder, CSV_NAME);
    uint8_t *data;
    size_t len;
    struct err e = {0};
    if (util_read_file(path, FILE_MAX, &data, &len, &e)) {
        problem(c, CSV_NAME, 0, 0, "%s", e.msg);
        return;
    }
    struct csv csv;
    int rc = csv_parse(data, len, CSV_NAME, &csv, &e);
    free(data);
    if (rc) {
        problem(c, "projects", 0, 0, "%s", e.msg);
        return;
    }
    if (csv.nrows < 2) {
        problem(c, CSV_NAME, 1, 0, "there is no project (the first row names the columns)");
        csv_free(&csv);
        return;
    }
    int col[COL_COUNT];
    for (int i = 0; i < COL_COUNT; i++)
        col[i] = -1;
    const struct csv_row *hdr = &csv.rows[0];
    for (size_t f = 0; f < hdr->nfields; f++) {
        char name[64];
        snprintf(name, sizeof name, "%s", hdr->fields[f].text);
        for (char *p = name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        char *t = name;
        while (*t == ' ')
            t++;
        bool known = false;
        for (int i = 0; i < COL_COUNT; i++)
            if (strcmp(t, COL_NAMES[i]) == 0) {
                if (col[i] >= 0)
                    problem(c, CSV_NAME, 1, hdr->fields[f].col, "column %s appears twice", t);
                col[i] = (int)f;
                known = true;
            }
        if (!known && *t)
            problem(c, CSV_NAME, 1, hdr->fields[f].col,
                    "unknown column \"%s\" (see docs/election-input.md for the column names)",
                    hdr->fields[f].text);
    }
    bool fatal = false;
    static const enum col required[] = {COL_ID, COL_DISTRICT, COL_CATEGORY, COL_PICTURE};
    for (size_t i = 0; i < ARRAY_LEN(required); i++)
        if (col[required[i]] < 0) {
            problem(c, CSV_NAME, 1, 0, "the column %s is missing", COL_NAMES[required[i]]);
            fatal = true;
        }
    if (col[COL_COST_CENTS] < 0 && col[COL_COST] < 0) {
        problem(c, CSV_NAME, 1, 0, "the column cost_cents (or cost, in euro) is missing");
        fatal = true;
    }
    for (int l = 0; l < LANG_COUNT; l++)
        for (int k = 0; k < 3; k++) {
            int ci = COL_TITLE + k * 3 + l;
            if (c->lang_on[l] && col[ci] < 0) {
                problem(c, CSV_NAME, 1, 0,
                        "the column %s is missing (%s is a language of "
                        "the election)",
                        COL_NAMES[ci], LANG_NAMES[l]);
                fatal = true;
            }
        }
    if (fatal) {
        csv_free(&csv);
        return;
    }
    size_t n = csv.nrows - 1;
    el->projects = calloc(n, sizeof *el->projects);
    if (!el->projects) {
        c->nomem = true;
        csv_free(&csv);
        return;
    }
    static const char *const KINDS[3] = {"title", "summary", "description"};
    static const size_t LIMITS[3] = {TITLE_MAX_CHARS, SUMMARY_MAX_CHARS, DESCRIPTION_MAX_CHARS};
    for (size_t r = 1; r < csv.nrows; r++) {
        const struct csv_row *row = &csv.rows[r];
        struct project *p = &el->projects[el->nprojects];
        const struct csv_field *fld[COL_COUNT] = {0};
        static const struct csv_field empty = {.text = "", .len = 0};
        /* a short row: the missing cells are empty */
        for (int i = 0; i < COL_COUNT; i++)
            fld[i] = col[i] >= 0 && (size_t)col[i] < row->nfields ? &row->fields[col[i]] : &empty;
        unsigned line = row->line;
#define AT(i) line, (fld[i]->line == line ? fld[i]->col : (unsigned)col[i] + 1)
        const char *id = fld[COL_ID]->text;
        if (!valid_id(id, 32, true)) {
            problem(c, CSV_NAME, AT(COL_ID),
                    *id ? "the id \"%s\" must be 1 to 32 letters, digits, - or _"
                        : "the id is empty%s",
                    id);
            continue;
        }
        int other = election_find_project(el, id);
        if (other >= 0) {
            problem(c, CSV_NAME, AT(COL_ID), "the id %s is used twice (also on line %u)", id,
                    picture_lines[other]);
            continue;
        }
        p->id = dup(c, id);
        el->nprojects++;
        picture_lines[el->nprojects - 1] = line;
        const char *d = fld[COL_DISTRICT]->text;
        p->district = -1;
        if (*d && (p->district = election_find_district(el, d)) < 0)
            problem(c, CSV_NAME, AT(COL_DISTRICT),
                    "project %s: district \"%s\" does not exist in election.conf", id, d);
        const char *cat = fld[COL_CATEGORY]->text;
        p->category = -1;
        if (*cat && (p->category = election_find_category(el, cat)) < 0)
            problem(c, CSV_NAME, AT(COL_CATEGORY),
                    "project %s: category \"%s\" does not exist in election.conf", id, cat);
        if (col[COL_COST_CENTS] >= 0) {
            const char *v = fld[COL_COST_CENTS]->text;
            if (util_parse_i64(v, &p->cost) || p->cost <= 0)
                problem(c, CSV_NAME, AT(COL_COST_CENTS),
                        "project %s: the cost \"%s\" must be a positive whole number of euro "
                        "cents (e.g. 2500000 for 25 000 euro)",
                        id, v);
        } else {
            const char *v = fld[COL_COST]->text;
            if (util_parse_euro_cents(v, &p->cost) || p->cost <= 0)
                problem(c, CSV_NAME, AT(COL_COST),
                        "project %s: the cost \"%s\" is not a positive amount in euro", id, v);
        }
        if (p->cost > 0 && !package_cost_ok(p->cost)) {
            int ci = col[COL_COST_CENTS] >= 0 ? COL_COST_CENTS : COL_COST;
            problem(c, CSV_NAME, AT(ci),
                    "project %s: the cost \"%s\" is more than the largest accepted, %lld cents "
                    "(10 billion euro); check the amount and its unit",
                    id, fld[ci]->text, (long long)COST_MAX_CENTS);
        }
        for (int l = 0; l < LANG_COUNT; l++) {
            if (!c->lang_on[l])
                continue;
            struct text *texts[3] = {&p->title, &p->summary, &p->description};
            for (int k = 0; k < 3; k++) {
                int ci = COL_TITLE + k * 3 + l;
                const char *v = fld[ci]->text;
                char what[64];
                snprintf(what, sizeof what, "%s of project %s (column %s)", KINDS[k], id,
                         COL_NAMES[ci]);
                if (!*v)
                    problem(c, CSV_NAME, AT(ci), "the %s %s is missing", LANG_NAMES[l], what);
                else
                    put_text(c, texts[k], (enum lang)l, v, LIMITS[k], CSV_NAME, AT(ci), what);
            }
        }
        snprintf(pictures[el->nprojects - 1], sizeof pictures[0], "%s", fld[COL_PICTURE]->text);
#undef AT
    }
    csv_free(&csv);
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
            problem(c, CONF_NAME, line, 0,
                    "ballot %s has no project: no project in projects.csv has district \"%s\"",
                    bd->id, bd->district < 0 ? "" : where);
            continue;
        }
        int64_t cheapest = INT64_MAX;
        for (size_t i = 0; i < bd->nprojects; i++)
            if (el->projects[bd->projects[i]].cost < cheapest)
                cheapest = el->projects[bd->projects[i]].cost;
        char money[64], money2[64];
        if ((r->kind == RULE_APPROVAL || r->kind == RULE_RANKING) && r->min > bd->nprojects)
            problem(c, CONF_NAME, line, 0,
                    "ballot %s asks for at least %u projects but has only %zu: no ballot could "
                    "be valid",
                    bd->id, r->min, bd->nprojects);
        if (r->kind == RULE_KNAPSACK && bd->budget > 0 && bd->budget < cheapest) {
            util_format_euro(money, sizeof money, bd->budget, "en");
            util_format_euro(money2, sizeof money2, cheapest, "en");
            problem(c, CONF_NAME, line, 0,
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
                problem(c, CONF_NAME, line, 0,
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
            problem(c, CONF_NAME, 0, 0,
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
        problem(c, CONF_NAME, 0, 0, "tally_key is missing (the tally public key file)");
    } else {
        if (c->opt && c->opt->tally_key)
            snprintf(path, sizeof path, "%s", tk);
        else
            path_in(path, sizeof path, c->folder, tk);
        struct public_key pk;
        if (key_load_public(path, KEY_TALLY, &pk, &e))
            problem(c, tk, 0, 0, "%s", e.msg);
        else if (pk.demo && !el->demo)
            problem(c, tk, 0, 0,
                    "this is a demo key: demo keys can only be used in a demo "
                    "election (demo = yes)");
        else
            memcpy(el->tally_pk, pk.pk, sizeof el->tally_pk);
    }
    const char *kk = c->opt && c->opt->kiosk_keys ? c->opt->kiosk_keys : pa->kiosk_keys;
    if (!*kk) {
        problem(c, CONF_NAME, 0, 0, "kiosk_keys is missing (the folder of kiosk public keys)");
        return;
    }
    if (c->opt && c->opt->kiosk_keys)
        snprintf(path, sizeof path, "%s", kk);
    else
        path_in(path, sizeof path, c->folder, kk);
    struct dirent **list = NULL;
    int n = scandir(path, &list, NULL, alphasort);
    if (n < 0) {
        problem(c, kk, 0, 0, "cannot read the kiosk keys folder: %s", strerror(errno));
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
                problem(c, name, 0, 0, "%s", e.msg);
            } else if (pk.demo && !el->demo) {
                problem(c, name, 0, 0,
                        "this is a demo key: demo keys can only be used in a demo "
                        "election (demo = yes)");
            } else if (len - 4 >= sizeof el->kiosk_labels[0]) {
                problem(c, name, 0, 0, "the file name is too long for a kiosk label");
            } else if (election_find_kiosk(el, pk.pk) >= 0) {
                problem(c, name, 0, 0, "this kiosk key is listed twice");
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
        problem(c, kk, 0, 0, "no kiosk public key (*.pub) in this folder: no kiosk could vote");
}

static void hash_pins(struct ctx *c, const struct paths *pa)
{
    if (!pa->official_pin[0] || !pa->supervisor_pin[0])
        return;
    bool fast = c->opt && c->opt->fast_pin_hash;
    unsigned long long ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    if (crypto_pwhash_str_alg(c->el->official_pin_hash, pa->official_pin, strlen(pa->official_pin),
                              ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0 ||
        crypto_pwhash_str_alg(c->el->supervisor_pin_hash, pa->supervisor_pin,
                              strlen(pa->supervisor_pin), ops, mem,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        c->nomem = true;
}

static void read_pictures(struct ctx *c, char (*pictures)[1024], const unsigned *lines)
{
    struct election *el = c->el;
    for (size_t i = 0; i < el->nprojects; i++) {
        if (!pictures[i][0])
            continue;
        char path[2048];
        path_in(path, sizeof path, c->folder, pictures[i]);
        struct err e = {0};
        if (image_load_picture(path, PICTURE_FILE_MAX, &el->projects[i].picture, &e))
            problem(c, CSV_NAME, lines[i], 0, "project %s: picture %s: %s", el->projects[i].id,
                    pictures[i], e.msg);
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
    if (read_conf(&c, &pa) == 0) {
        read_projects(&c, pictures, lines);
        check_ballots(&c);
        read_keys(&c, &pa);
        apply_kiosk_sections(&c, &pa);
        if (rep->n == 0)
            hash_pins(&c, &pa);
        read_pictures(&c, pictures, lines);
    }
    free(pictures);
    free(lines);
    free(pa.kiosks);
    if (c.nomem)
        problem(&c, folder, 0, 0, "out of memory");
    if (rep->n) {
        election_free(out);
        return err_set(e, ERR_INVALID,
                       "%zu problem%s in %s; nothing was built: fix %s and try again", rep->n,
                       rep->n == 1 ? "" : "s", folder, rep->n == 1 ? "it" : "them");
    }
    return 0;
}
