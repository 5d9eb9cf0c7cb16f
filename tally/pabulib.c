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

enum pb_section { PB_NONE, PB_META, PB_PROJECTS, PB_VOTES };

/* What the row handler keeps between rows while the file streams through it. */
struct pb_reader {
    struct profile *p;
    const char *name;
    struct err *e;
    enum pb_section sec;
    const char *want_header; /* the section whose header line comes next, or NULL */
    unsigned want_line;
    bool have_phdr, have_vhdr, have_budget;
    int c_id, c_cost, c_name, c_sel, c_votes, v_vote, v_points;
    size_t proj_cap, maxlist;
    uint32_t *items, *values;
    char **toks, **ptoks;
};

static int section_header(struct pb_reader *r, const struct csv_row *row)
{
    struct profile *p = r->p;
    const char *name = r->name;
    struct err *e = r->e;
    int rc = 0;
    r->want_header = NULL;
    if (r->sec == PB_PROJECTS) {
        r->have_phdr = true;
        r->c_id = find_col(row, "project_id"), r->c_cost = find_col(row, "cost");
        r->c_name = find_col(row, "name"), r->c_sel = find_col(row, "selected");
        r->c_votes = find_col(row, "votes");
        if (r->c_id < 0 || r->c_cost < 0)
            rc = err_set(e, ERR_FORMAT, "%s:%u: PROJECTS needs project_id and cost columns", name,
                         row->line);
    } else if (r->sec == PB_VOTES) {
        r->have_vhdr = true;
        r->v_vote = find_col(row, "vote"), r->v_points = find_col(row, "points");
        if (r->v_vote < 0)
            rc = err_set(e, ERR_FORMAT, "%s:%u: VOTES needs a vote column", name, row->line);
        if (!rc && p->nprojects == 0)
            rc =
                err_set(e, ERR_FORMAT, "%s:%u: VOTES comes before any project", name, r->want_line);
        if (!rc && p->kind == VOTE_CUMULATIVE && r->v_points < 0)
            rc = err_set(e, ERR_FORMAT, "%s:%u: cumulative votes need a points column", name,
                         row->line);
        if (!rc && !r->have_budget)
            rc = err_set(e, ERR_FORMAT, "%s: META has no budget", name);
    }
    return rc;
}

/* One row of the file: a section name, a section's header line, or a line of a section. */
static int pb_row(void *ctx, const struct csv_row *row)
{
    struct pb_reader *r = ctx;
    const char *f0 = row->fields[0].text;
    unsigned line = row->line;
    int rc = 0;
    if (r->want_header)
        return section_header(r, row);
    if (row->nfields == 1 &&
        (!strcmp(f0, "META") || !strcmp(f0, "PROJECTS") || !strcmp(f0, "VOTES"))) {
        r->sec = f0[0] == 'M' ? PB_META : f0[0] == 'P' ? PB_PROJECTS : PB_VOTES;
        r->want_header = f0[0] == 'M' ? "META" : f0[0] == 'P' ? "PROJECTS" : "VOTES";
        r->want_line = line;
        return 0;
    }
    switch (r->sec) {
    case PB_NONE:
        rc = err_set(r->e, ERR_FORMAT, "%s:%u: expected META, PROJECTS or VOTES", r->name, line);
        break;
    case PB_META: {
        const char *k = f0, *v = cell(row, 1);
        if (!strcmp(k, "budget")) {
            if (parse_money(v, &r->p->budget) || r->p->budget <= 0)
                rc = err_set(r->e, ERR_FORMAT, "%s:%u: the budget \"%s\" is not a positive amount",
                             r->name, line, v);
            r->have_budget = true;
        } else if (!strcmp(k, "vote_type")) {
            if (!strcmp(v, "approval") || !strcmp(v, "choose-1"))
                r->p->kind = VOTE_APPROVAL;
            else if (!strcmp(v, "cumulative"))
                r->p->kind = VOTE_CUMULATIVE;
            else if (!strcmp(v, "ordinal"))
                r->p->kind = VOTE_ORDINAL;
            else
                rc = err_set(r->e, ERR_FORMAT,
                             "%s:%u: vote type \"%s\" is not supported "
                             "(approval, choose-1, cumulative, ordinal)",
                             r->name, line, v);
        } else if (!strcmp(k, "rule")) {
            snprintf(r->p->rule, sizeof r->p->rule, "%s", v);
        } else if (!strcmp(k, "currency")) {
            snprintf(r->p->currency, sizeof r->p->currency, "%s", v);
        } else if (!strcmp(k, "comment")) {
            free(r->p->comment);
            r->p->comment = util_strdup(v);
        } else if (!strcmp(k, "num_votes") || !strcmp(k, "num_projects") ||
                   !strcmp(k, "min_project_score_threshold")) {
            int64_t n;
            if (util_parse_i64(v, &n) || n < 0) {
                rc = err_set(r->e, ERR_FORMAT, "%s:%u: %s \"%s\" is not a whole number", r->name,
                             line, k, v);
                break;
            }
            if (!strcmp(k, "num_votes"))
                r->p->declared_voters = n;
            else if (!strcmp(k, "num_projects"))
                r->p->declared_projects = n;
            else
                r->p->min_score = n;
        } else if (!strcmp(k, "max_length")) {
            int64_t n;
            if (!util_parse_i64(v, &n) && n > 0 && n < 100000)
                r->p->max_rank = (uint32_t)n;
        }
        break;
    }
    case PB_PROJECTS: {
        if (r->p->nprojects == r->proj_cap) {
            size_t cap = r->proj_cap ? r->proj_cap * 2 : 64;
            char **ids = realloc(r->p->ids, cap * sizeof *ids);
            if (ids)
                r->p->ids = ids;
            char **names = realloc(r->p->names, cap * sizeof *names);
            if (names)
                r->p->names = names;
            int64_t *cost = realloc(r->p->cost, cap * sizeof *cost);
            if (cost)
                r->p->cost = cost;
            int8_t *pub = realloc(r->p->published, cap * sizeof *pub);
            if (pub)
                r->p->published = pub;
            int64_t *dv = realloc(r->p->declared_votes, cap * sizeof *dv);
            if (dv)
                r->p->declared_votes = dv;
            if (!ids || !names || !cost || !pub || !dv || cap > 100000) {
                rc = err_set(r->e, ERR_NOMEM, "%s: too many projects", r->name);
                break;
            }
            r->proj_cap = cap;
        }
        const char *id = cell(row, r->c_id);
        if (!*id || project_index(r->p, id) >= 0) {
            rc = err_set(r->e, ERR_FORMAT, "%s:%u: project id \"%s\" is empty or repeated", r->name,
                         line, id);
            break;
        }
        size_t i = r->p->nprojects;
        r->p->ids[i] = util_strdup(id);
        r->p->names[i] = r->c_name >= 0 ? util_strdup(cell(row, r->c_name)) : NULL;
        r->p->published[i] = -1;
        r->p->nprojects++;
        if (!r->p->ids[i]) {
            rc = err_set(r->e, ERR_NOMEM, "out of memory reading %s", r->name);
            break;
        }
        if (parse_money(cell(row, r->c_cost), &r->p->cost[i]) || r->p->cost[i] <= 0)
            rc = err_set(r->e, ERR_FORMAT,
                         "%s:%u: project %s: the cost \"%s\" is not a positive "
                         "amount with at most two decimals",
                         r->name, line, id, cell(row, r->c_cost));
        if (r->c_sel >= 0) {
            const char *s = cell(row, r->c_sel);
            r->p->published[i] = s[0] >= '0' && s[0] <= '3' && !s[1] ? (int8_t)(s[0] - '0') : -1;
        }
        int64_t dv;
        r->p->declared_votes[i] =
            r->c_votes >= 0 && !util_parse_i64(cell(row, r->c_votes), &dv) && dv >= 0 ? dv : -1;
        break;
    }
    case PB_VOTES: {
        char *vote = util_strdup(cell(row, r->v_vote));
        char *pts = r->v_points >= 0 ? util_strdup(cell(row, r->v_points)) : NULL;
        if (!vote || (r->v_points >= 0 && !pts)) {
            free(vote);
            free(pts);
            rc = err_set(r->e, ERR_NOMEM, "out of memory reading %s", r->name);
            break;
        }
        int n = split_list(vote, r->toks, (int)r->maxlist);
        int np = pts ? split_list(pts, r->ptoks, (int)r->maxlist) : 0;
        if (n < 0 || (r->p->kind == VOTE_CUMULATIVE && np != n)) {
            rc = err_set(r->e, ERR_FORMAT, "%s:%u: the vote and its points do not match", r->name,
                         line);
        }
        int kept = 0;
        for (int k = 0; !rc && k < n; k++) {
            int idx = project_index(r->p, r->toks[k]);
            if (idx < 0) {
                rc = err_set(r->e, ERR_FORMAT,
                             "%s:%u: the vote names project \"%s\", which is "
                             "not in PROJECTS",
                             r->name, line, r->toks[k]);
                break;
            }
            bool again = false;
            for (int j = 0; j < kept; j++)
                again |= r->items[j] == (uint32_t)idx;
            if (again) {
                /* a real quirk (Warszawa): the project counts once, first mention wins */
                if (r->p->ndup++ == 0) {
                    r->p->dup_line = line;
                    r->p->dup_project = (uint32_t)idx;
                }
                continue;
            }
            int at = kept++;
            r->items[at] = (uint32_t)idx;
            r->values[at] = 1;
            if (r->p->kind == VOTE_ORDINAL)
                r->values[at] = (uint32_t)at + 1;
            if (r->p->kind == VOTE_CUMULATIVE) {
                int64_t v;
                if (util_parse_i64(r->ptoks[k], &v) || v <= 0 || v > 1000000) {
                    rc = err_set(r->e, ERR_FORMAT,
                                 "%s:%u: points \"%s\" must be a positive "
                                 "whole number",
                                 r->name, line, r->ptoks[k]);
                    break;
                }
                r->values[at] = (uint32_t)v;
            }
        }
        if (!rc) {
            rc = profile_add_voter(r->p, r->items, r->values, (size_t)kept, r->e);
            if (rc)
                err_prefix(r->e, "%s:%u: ", r->name, line);
        }
        free(vote);
        free(pts);
        break;
    }
    }
    return rc;
}

int pabulib_parse(const uint8_t *data, size_t len, const char *name, struct profile *p,
                  struct err *e)
{
    profile_init(p);
    struct pb_reader r = {.p = p, .name = name, .e = e, .maxlist = 4096};
    r.items = malloc(r.maxlist * sizeof *r.items);
    r.values = malloc(r.maxlist * sizeof *r.values);
    r.toks = malloc(r.maxlist * sizeof *r.toks);
    r.ptoks = malloc(r.maxlist * sizeof *r.ptoks);
    int rc = 0;
    if (!r.items || !r.values || !r.toks || !r.ptoks)
        rc = err_set(e, ERR_NOMEM, "out of memory reading %s", name);
    if (!rc)
        rc = csv_each(data, len, name, ';', pb_row, &r, e);
    if (!rc && r.want_header)
        rc = err_set(e, ERR_FORMAT, "%s:%u: section %s has no header line", name, r.want_line,
                     r.want_header);
    if (!rc && (!r.have_phdr || !r.have_vhdr))
        rc = err_set(e, ERR_FORMAT, "%s: the file needs META, PROJECTS and VOTES sections", name);
    if (!rc && !p->kind)
        rc = err_set(e, ERR_FORMAT, "%s: META has no vote_type", name);
    if (!rc && p->kind == VOTE_ORDINAL && p->max_rank == 0)
        for (size_t v = 0; v < p->nvoters; v++)
            if (p->offs[v + 1] - p->offs[v] > p->max_rank)
                p->max_rank = (uint32_t)(p->offs[v + 1] - p->offs[v]);
    free(r.items);
    free(r.values);
    free(r.toks);
    free(r.ptoks);
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
