/*
 * loader_csv — the loader's reading of projects.csv (docs/election-input.md): the columns by
 * name, each cell checked and named by line and column. See loader_int.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "loader_int.h"
#include "package.h"
#include "util.h"

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

void loader_read_projects(struct ctx *c, char (*pictures)[1024], unsigned *picture_lines)
{
    struct election *el = c->el;
    char path[1024];
    loader_path_in(path, sizeof path, c->folder, CSV_NAME);
    uint8_t *data;
    size_t len;
    struct err e = {0};
    if (util_read_file(path, FILE_MAX, &data, &len, &e)) {
        loader_problem(c, CSV_NAME, 0, 0, "%s", e.msg);
        return;
    }
    struct csv csv;
    int rc = csv_parse(data, len, CSV_NAME, &csv, &e);
    free(data);
    if (rc) {
        loader_problem(c, "projects", 0, 0, "%s", e.msg);
        return;
    }
    if (csv.nrows < 2) {
        loader_problem(c, CSV_NAME, 1, 0, "there is no project (the first row names the columns)");
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
                    loader_problem(c, CSV_NAME, 1, hdr->fields[f].col, "column %s appears twice",
                                   t);
                col[i] = (int)f;
                known = true;
            }
        if (!known && *t)
            loader_problem(
                c, CSV_NAME, 1, hdr->fields[f].col,
                "unknown column \"%s\" (see docs/election-input.md for the column names)",
                hdr->fields[f].text);
    }
    bool fatal = false;
    static const enum col required[] = {COL_ID, COL_DISTRICT, COL_CATEGORY, COL_PICTURE};
    for (size_t i = 0; i < ARRAY_LEN(required); i++)
        if (col[required[i]] < 0) {
            loader_problem(c, CSV_NAME, 1, 0, "the column %s is missing", COL_NAMES[required[i]]);
            fatal = true;
        }
    if (col[COL_COST_CENTS] < 0 && col[COL_COST] < 0) {
        loader_problem(c, CSV_NAME, 1, 0, "the column cost_cents (or cost, in euro) is missing");
        fatal = true;
    }
    for (int l = 0; l < LANG_COUNT; l++)
        for (int k = 0; k < 3; k++) {
            int ci = COL_TITLE + k * 3 + l;
            if (c->lang_on[l] && col[ci] < 0) {
                loader_problem(c, CSV_NAME, 1, 0,
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
        if (!loader_valid_id(id, 32, true)) {
            loader_problem(c, CSV_NAME, AT(COL_ID),
                           *id ? "the id \"%s\" must be 1 to 32 letters, digits, - or _"
                               : "the id is empty%s",
                           id);
            continue;
        }
        int other = election_find_project(el, id);
        if (other >= 0) {
            loader_problem(c, CSV_NAME, AT(COL_ID), "the id %s is used twice (also on line %u)", id,
                           picture_lines[other]);
            continue;
        }
        p->id = loader_dup(c, id);
        el->nprojects++;
        picture_lines[el->nprojects - 1] = line;
        const char *d = fld[COL_DISTRICT]->text;
        p->district = -1;
        if (*d && (p->district = election_find_district(el, d)) < 0)
            loader_problem(c, CSV_NAME, AT(COL_DISTRICT),
                           "project %s: district \"%s\" does not exist in election.conf", id, d);
        const char *cat = fld[COL_CATEGORY]->text;
        p->category = -1;
        if (*cat && (p->category = election_find_category(el, cat)) < 0)
            loader_problem(c, CSV_NAME, AT(COL_CATEGORY),
                           "project %s: category \"%s\" does not exist in election.conf", id, cat);
        if (col[COL_COST_CENTS] >= 0) {
            const char *v = fld[COL_COST_CENTS]->text;
            if (util_parse_i64(v, &p->cost) || p->cost <= 0)
                loader_problem(
                    c, CSV_NAME, AT(COL_COST_CENTS),
                    "project %s: the cost \"%s\" must be a positive whole number of euro "
                    "cents (e.g. 2500000 for 25 000 euro)",
                    id, v);
        } else {
            const char *v = fld[COL_COST]->text;
            if (util_parse_euro_cents(v, &p->cost) || p->cost <= 0)
                loader_problem(c, CSV_NAME, AT(COL_COST),
                               "project %s: the cost \"%s\" is not a positive amount in euro", id,
                               v);
        }
        if (p->cost > 0 && !package_cost_ok(p->cost)) {
            int ci = col[COL_COST_CENTS] >= 0 ? COL_COST_CENTS : COL_COST;
            loader_problem(
                c, CSV_NAME, AT(ci),
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
                    loader_problem(c, CSV_NAME, AT(ci), "the %s %s is missing", LANG_NAMES[l],
                                   what);
                else
                    loader_put_text(c, texts[k], (enum lang)l, v, LIMITS[k], CSV_NAME, AT(ci),
                                    what);
            }
        }
        snprintf(pictures[el->nprojects - 1], sizeof pictures[0], "%s", fld[COL_PICTURE]->text);
#undef AT
    }
    csv_free(&csv);
}
