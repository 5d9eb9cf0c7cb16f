/* pabulib — see pabulib.h. */
#include "pabulib.h"

#include "csv.h"
#include "util.h"

/* "1607513.56", "900000" -> cents; at most 2 decimals, no sign, no separators. */
static int parse_money(const char *s, int64_t *cents)
{
    int64_t whole = 0;
    const char *p = s;
    if (!*p)
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (whole > (INT64_MAX / 100 - 9) / 10)
            return -1;
        whole = whole * 10 + (*p - '0');
    }
    int64_t frac = 0;
    int nd = 0;
    if (*p == '.' || *p == ',') {
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (++nd > 2) {
                if (*p != '0')
                    return -1; /* more than cents would be rounding */
                continue;
            }
            frac = frac * 10 + (*p - '0');
        }
        if (nd == 0)
            return -1;
    }
    if (*p || p == s)
        return -1;
    if (nd == 1)
        frac *= 10;
    *cents = whole * 100 + frac;
    return 0;
}

static int find_col(const struct csv_row *hdr, const char *name)
{
    for (size_t i = 0; i < hdr->nfields; i++)
        if (strcmp(hdr->fields[i].text, name) == 0)
            return (int)i;
    return -1;
}

static const char *cell(const struct csv_row *r, int col)
{
    return col >= 0 && (size_t)col < r->nfields ? r->fields[col].text : "";
}

static int project_index(const struct profile *p, const char *id)
{
    for (size_t i = 0; i < p->nprojects; i++)
        if (strcmp(p->ids[i], id) == 0)
            return (int)i;
    return -1;
}

/* Splits "a,b,c" into items; returns the count or -1. */
static int split_list(char *s, char **out, int max)
{
    int n = 0;
    if (!*s)
        return 0;
    for (char *tok = s;; n++) {
        if (n == max)
            return -1;
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        while (*tok == ' ')
            tok++;
        out[n] = tok;
        if (!comma)
            return n + 1;
        tok = comma + 1;
    }
}

int pabulib_parse(const uint8_t *data, size_t len, const char *name, struct profile *p,
                  struct err *e)
{
    profile_init(p);
    struct csv c;
    int rc = csv_parse_sep(data, len, name, ';', &c, e);
    if (rc)
        return rc;
    enum { NONE, META, PROJECTS, VOTES } sec = NONE;
    const struct csv_row *phdr = NULL, *vhdr = NULL;
    int c_id = -1, c_cost = -1, c_name = -1, c_sel = -1, c_votes = -1, v_vote = -1, v_points = -1;
    bool have_budget = false;
    char vote_type[32] = "";
    size_t proj_cap = 0;
    uint32_t *items = NULL, *values = NULL;
    char **toks = NULL, **ptoks = NULL;
    size_t maxlist = 4096;
    items = malloc(maxlist * sizeof *items);
    values = malloc(maxlist * sizeof *values);
    toks = malloc(maxlist * sizeof *toks);
    ptoks = malloc(maxlist * sizeof *ptoks);
    if (!items || !values || !toks || !ptoks) {
        rc = err_set(e, ERR_NOMEM, "out of memory reading %s", name);
        goto done;
    }
    for (size_t r = 0; r < c.nrows && !rc; r++) {
        const struct csv_row *row = &c.rows[r];
        const char *f0 = row->fields[0].text;
        unsigned line = row->line;
        if (row->nfields == 1 &&
            (!strcmp(f0, "META") || !strcmp(f0, "PROJECTS") || !strcmp(f0, "VOTES"))) {
            sec = f0[0] == 'M' ? META : f0[0] == 'P' ? PROJECTS : VOTES;
            if (r + 1 >= c.nrows) {
                rc = err_set(e, ERR_FORMAT, "%s:%u: section %s has no header line", name, line, f0);
                break;
            }
            r++;
            if (sec == PROJECTS) {
                phdr = &c.rows[r];
                c_id = find_col(phdr, "project_id"), c_cost = find_col(phdr, "cost");
                c_name = find_col(phdr, "name"), c_sel = find_col(phdr, "selected");
                c_votes = find_col(phdr, "votes");
                if (c_id < 0 || c_cost < 0)
                    rc = err_set(e, ERR_FORMAT, "%s:%u: PROJECTS needs project_id and cost columns",
                                 name, phdr->line);
            } else if (sec == VOTES) {
                vhdr = &c.rows[r];
                v_vote = find_col(vhdr, "vote"), v_points = find_col(vhdr, "points");
                if (v_vote < 0)
                    rc = err_set(e, ERR_FORMAT, "%s:%u: VOTES needs a vote column", name,
                                 vhdr->line);
                if (!rc && p->nprojects == 0)
                    rc =
                        err_set(e, ERR_FORMAT, "%s:%u: VOTES comes before any project", name, line);
                if (!rc && p->kind == VOTE_CUMULATIVE && v_points < 0)
                    rc = err_set(e, ERR_FORMAT, "%s:%u: cumulative votes need a points column",
                                 name, vhdr->line);
                if (!rc && !have_budget)
                    rc = err_set(e, ERR_FORMAT, "%s: META has no budget", name);
            }
            continue;
        }
        switch (sec) {
        case NONE:
            rc = err_set(e, ERR_FORMAT, "%s:%u: expected META, PROJECTS or VOTES", name, line);
            break;
        case META: {
            const char *k = f0, *v = cell(row, 1);
            if (!strcmp(k, "budget")) {
                if (parse_money(v, &p->budget) || p->budget <= 0)
                    rc = err_set(e, ERR_FORMAT, "%s:%u: the budget \"%s\" is not a positive amount",
                                 name, line, v);
                have_budget = true;
            } else if (!strcmp(k, "vote_type")) {
                snprintf(vote_type, sizeof vote_type, "%s", v);
                if (!strcmp(v, "approval") || !strcmp(v, "choose-1"))
                    p->kind = VOTE_APPROVAL;
                else if (!strcmp(v, "cumulative"))
                    p->kind = VOTE_CUMULATIVE;
                else if (!strcmp(v, "ordinal"))
                    p->kind = VOTE_ORDINAL;
                else
                    rc = err_set(e, ERR_FORMAT,
                                 "%s:%u: vote type \"%s\" is not supported "
                                 "(approval, choose-1, cumulative, ordinal)",
                                 name, line, v);
            } else if (!strcmp(k, "rule")) {
                snprintf(p->rule, sizeof p->rule, "%s", v);
            } else if (!strcmp(k, "currency")) {
                snprintf(p->currency, sizeof p->currency, "%s", v);
            } else if (!strcmp(k, "comment")) {
                free(p->comment);
                p->comment = util_strdup(v);
            } else if (!strcmp(k, "num_votes") || !strcmp(k, "num_projects") ||
                       !strcmp(k, "min_project_score_threshold")) {
                int64_t n;
                if (util_parse_i64(v, &n) || n < 0) {
                    rc = err_set(e, ERR_FORMAT, "%s:%u: %s \"%s\" is not a whole number", name,
                                 line, k, v);
                    break;
                }
                if (!strcmp(k, "num_votes"))
                    p->declared_voters = n;
                else if (!strcmp(k, "num_projects"))
                    p->declared_projects = n;
                else
                    p->min_score = n;
            } else if (!strcmp(k, "max_length")) {
                int64_t n;
                if (!util_parse_i64(v, &n) && n > 0 && n < 100000)
                    p->max_rank = (uint32_t)n;
            }
            break;
        }
        case PROJECTS: {
            if (p->nprojects == proj_cap) {
                size_t cap = proj_cap ? proj_cap * 2 : 64;
                char **ids = realloc(p->ids, cap * sizeof *ids);
                if (ids)
                    p->ids = ids;
                char **names = realloc(p->names, cap * sizeof *names);
                if (names)
                    p->names = names;
                int64_t *cost = realloc(p->cost, cap * sizeof *cost);
                if (cost)
                    p->cost = cost;
                int8_t *pub = realloc(p->published, cap * sizeof *pub);
                if (pub)
                    p->published = pub;
                int64_t *dv = realloc(p->declared_votes, cap * sizeof *dv);
                if (dv)
                    p->declared_votes = dv;
                if (!ids || !names || !cost || !pub || !dv || cap > 100000) {
                    rc = err_set(e, ERR_NOMEM, "%s: too many projects", name);
                    break;
                }
                proj_cap = cap;
            }
            const char *id = cell(row, c_id);
            if (!*id || project_index(p, id) >= 0) {
                rc = err_set(e, ERR_FORMAT, "%s:%u: project id \"%s\" is empty or repeated", name,
                             line, id);
                break;
            }
            size_t i = p->nprojects;
            p->ids[i] = util_strdup(id);
            p->names[i] = c_name >= 0 ? util_strdup(cell(row, c_name)) : NULL;
            p->published[i] = -1;
            p->nprojects++;
            if (!p->ids[i]) {
                rc = err_set(e, ERR_NOMEM, "out of memory reading %s", name);
                break;
            }
            if (parse_money(cell(row, c_cost), &p->cost[i]) || p->cost[i] <= 0)
                rc = err_set(e, ERR_FORMAT,
                             "%s:%u: project %s: the cost \"%s\" is not a positive "
                             "amount with at most two decimals",
                             name, line, id, cell(row, c_cost));
            if (c_sel >= 0) {
                const char *s = cell(row, c_sel);
                p->published[i] = s[0] >= '0' && s[0] <= '3' && !s[1] ? (int8_t)(s[0] - '0') : -1;
            }
            int64_t dv;
            p->declared_votes[i] =
                c_votes >= 0 && !util_parse_i64(cell(row, c_votes), &dv) && dv >= 0 ? dv : -1;
            break;
        }
        case VOTES: {
            char *vote = util_strdup(cell(row, v_vote));
            char *pts = v_points >= 0 ? util_strdup(cell(row, v_points)) : NULL;
            if (!vote || (v_points >= 0 && !pts)) {
                free(vote);
                free(pts);
                rc = err_set(e, ERR_NOMEM, "out of memory reading %s", name);
                break;
            }
            int n = split_list(vote, toks, (int)maxlist);
            int np = pts ? split_list(pts, ptoks, (int)maxlist) : 0;
            if (n < 0 || (p->kind == VOTE_CUMULATIVE && np != n)) {
                rc = err_set(e, ERR_FORMAT, "%s:%u: the vote and its points do not match", name,
                             line);
            }
            int kept = 0;
            for (int k = 0; !rc && k < n; k++) {
                int idx = project_index(p, toks[k]);
                if (idx < 0) {
                    rc = err_set(e, ERR_FORMAT,
                                 "%s:%u: the vote names project \"%s\", which is "
                                 "not in PROJECTS",
                                 name, line, toks[k]);
                    break;
                }
                bool again = false;
                for (int j = 0; j < kept; j++)
                    again |= items[j] == (uint32_t)idx;
                if (again) {
                    /* a real quirk (Warszawa): the project counts once, first mention wins */
                    if (p->ndup++ == 0) {
                        p->dup_line = line;
                        p->dup_project = (uint32_t)idx;
                    }
                    continue;
                }
                int at = kept++;
                items[at] = (uint32_t)idx;
                values[at] = 1;
                if (p->kind == VOTE_ORDINAL)
                    values[at] = (uint32_t)at + 1;
                if (p->kind == VOTE_CUMULATIVE) {
                    int64_t v;
                    if (util_parse_i64(ptoks[k], &v) || v <= 0 || v > 1000000) {
                        rc = err_set(e, ERR_FORMAT,
                                     "%s:%u: points \"%s\" must be a positive "
                                     "whole number",
                                     name, line, ptoks[k]);
                        break;
                    }
                    values[at] = (uint32_t)v;
                }
            }
            if (!rc) {
                rc = profile_add_voter(p, items, values, (size_t)kept, e);
                if (rc)
                    err_prefix(e, "%s:%u: ", name, line);
            }
            free(vote);
            free(pts);
            break;
        }
        }
    }
    if (!rc && (!phdr || !vhdr))
        rc = err_set(e, ERR_FORMAT, "%s: the file needs META, PROJECTS and VOTES sections", name);
    if (!rc && !p->kind)
        rc = err_set(e, ERR_FORMAT, "%s: META has no vote_type", name);
    if (!rc && p->kind == VOTE_ORDINAL && p->max_rank == 0)
        for (size_t v = 0; v < p->nvoters; v++)
            if (p->offs[v + 1] - p->offs[v] > p->max_rank)
                p->max_rank = (uint32_t)(p->offs[v + 1] - p->offs[v]);
    (void)vote_type;
done:
    free(items);
    free(values);
    free(toks);
    free(ptoks);
    csv_free(&c);
    if (rc)
        profile_free(p);
    return rc;
}

int pabulib_read(const char *path, struct profile *out, struct err *e)
{
    uint8_t *data;
    size_t len;
    profile_init(out);
    int rc = util_read_file(path, PABULIB_MAX_BYTES, &data, &len, e);
    if (rc)
        return rc;
    const char *base = strrchr(path, '/');
    rc = pabulib_parse(data, len, base ? base + 1 : path, out, e);
    free(data);
    return rc;
}

static void money(FILE *f, int64_t cents)
{
    if (cents % 100)
        fprintf(f, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
    else
        fprintf(f, "%lld", (long long)(cents / 100));
}

/* A CSV cell: quoted if it holds ; " or a line break. */
static void cell_out(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ";\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int pabulib_write(FILE *f, const struct profile *p, const struct outcome *o,
                  const char *description, struct err *e)
{
    static const char *const KIND[] = {"", "approval", "cumulative", "ordinal"};
    fprintf(f, "META\nkey;value\ndescription;");
    cell_out(f, description);
    fprintf(f, "\nnum_projects;%zu\nnum_votes;%llu\nbudget;", p->nprojects,
            (unsigned long long)profile_voters(p));
    money(f, p->budget);
    fprintf(f, "\nvote_type;%s\n", KIND[p->kind]);
    if (p->rule[0]) {
        fprintf(f, "rule;");
        cell_out(f, p->rule);
        fputc('\n', f);
    }
    if (p->currency[0])
        fprintf(f, "currency;%s\n", p->currency);
    fprintf(f, "PROJECTS\nproject_id;cost;votes;name%s\n", o ? ";selected" : "");
    for (size_t i = 0; i < p->nprojects; i++) {
        cell_out(f, p->ids[i]);
        fputc(';', f);
        money(f, p->cost[i]);
        fprintf(f, ";%lld;", o ? (long long)o->res[i].votes : 0LL);
        cell_out(f, p->names ? p->names[i] : NULL);
        if (o)
            fprintf(f, ";%d", o->res[i].selected ? 1 : 0);
        fputc('\n', f);
    }
    fprintf(f, "VOTES\nvoter_id;vote%s\n", p->kind == VOTE_CUMULATIVE ? ";points" : "");
    uint64_t id = 0;
    for (size_t v = 0; v < p->nvoters; v++)
        for (uint32_t w = 0; w < (p->weight ? p->weight[v] : 1); w++) {
            fprintf(f, "%llu;", (unsigned long long)++id);
            for (size_t k = p->offs[v]; k < p->offs[v + 1]; k++) {
                if (k > p->offs[v])
                    fputc(',', f);
                cell_out(f, p->ids[p->items[k]]);
            }
            if (p->kind == VOTE_CUMULATIVE) {
                fputc(';', f);
                for (size_t k = p->offs[v]; k < p->offs[v + 1]; k++)
                    fprintf(f, "%s%u", k > p->offs[v] ? "," : "", p->values[k]);
            }
            fputc('\n', f);
        }
    if (ferror(f))
        return err_errno(e, "cannot write the pabulib file");
    return 0;
}
