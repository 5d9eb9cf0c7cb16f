/*
 * publish_recount — what `tally publish` publishes about ballots is counted again from the
 * pabulib files it publishes: each file is read back with a streaming reader (identical
 * ballots, adjacent in the sorted file, folded into one row with their number), counted with
 * the ballot's rule, and an outcome that differs from the one the file records stops the
 * publication.
 */
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "publish_int.h"
#include "util.h"

static enum count_rule rule_of(const struct ballot_def *bd)
{
    if (bd->method == COUNT_MES)
        return COUNT_RULE_MES_ADD1_GREEDY;
    return bd->rule.kind == RULE_CUMULATIVE || bd->rule.kind == RULE_RANKING
               ? COUNT_RULE_GREEDY_SCORE
               : COUNT_RULE_GREEDY_VOTES;
}

/* The project of this ballot named `id` (n characters), or -1. */
static int project_of(const struct profile *q, const char *id, size_t n)
{
    for (size_t i = 0; i < q->nprojects; i++)
        if (strlen(q->ids[i]) == n && !memcmp(q->ids[i], id, n))
            return (int)i;
    return -1;
}

/* One VOTES row's choices ("p1,p2" and, for points, "3,2") into items and values. */
static int parse_row(const struct profile *q, char *votes, char *points, uint32_t *items,
                     uint32_t *values, size_t *n, struct err *e)
{
    *n = 0;
    char *save = NULL, *psave = NULL;
    for (char *t = strtok_r(votes, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int i = project_of(q, t, strlen(t));
        if (i < 0 || *n == BALLOT_MAX_CHOICES)
            return err_set(e, ERR_INTERNAL, "the published ballots name an unknown project %s", t);
        items[*n] = (uint32_t)i;
        values[*n] = q->kind == VOTE_ORDINAL ? (uint32_t)*n + 1 : 1;
        if (q->kind == VOTE_CUMULATIVE) {
            char *pt = points ? strtok_r(points, ",", &psave) : NULL;
            int64_t v = 0;
            points = NULL;
            if (!pt || util_parse_i64(pt, &v) || v <= 0 || v > UINT32_MAX)
                return err_set(e, ERR_INTERNAL, "the published ballots have bad points");
            values[*n] = (uint32_t)v;
        }
        (*n)++;
    }
    return 0;
}

/* Reads back data/<pb> as report_count wrote it (pabulib_write: PROJECTS with `selected`, then
 * VOTES sorted by content, so identical ballots are adjacent lines), folds identical ballots
 * into one row with their number, counts with the package's rule and checks the outcome
 * against `selected`. The file is read here rather than with pabulib_read so that any number
 * of ballots can be read back. */
int pub_recount(struct pub *pb, struct pub_ballot *b, struct err *e)
{
    const struct election *el = pb->el;
    const struct ballot_def *bd = b->bd;
    struct profile *q = &b->p;
    profile_init(q);
    q->nprojects = bd->nprojects;
    q->ids = calloc(bd->nprojects + 1, sizeof *q->ids);
    q->names = calloc(bd->nprojects + 1, sizeof *q->names);
    q->cost = calloc(bd->nprojects + 1, sizeof *q->cost);
    q->published = calloc(bd->nprojects + 1, sizeof *q->published);
    if (!q->ids || !q->names || !q->cost || !q->published)
        return err_set(e, ERR_NOMEM, "out of memory publishing");
    for (size_t i = 0; i < bd->nprojects; i++) {
        q->ids[i] = util_strdup(el->projects[bd->projects[i]].id);
        if (!q->ids[i])
            return err_set(e, ERR_NOMEM, "out of memory publishing");
        q->cost[i] = el->projects[bd->projects[i]].cost;
        q->published[i] = -1;
    }
    q->budget = bd->budget;
    q->kind = bd->rule.kind == RULE_CUMULATIVE ? VOTE_CUMULATIVE
              : bd->rule.kind == RULE_RANKING  ? VOTE_ORDINAL
                                               : VOTE_APPROVAL;
    q->max_rank = bd->rule.max;

    char path[4400];
    snprintf(path, sizeof path, "%s/data/%s", pb->root, b->pb);
    FILE *f = fopen(path, "r");
    if (!f)
        return err_errno(e, "cannot read back %s", path);
    char *line = NULL, *prev = NULL;
    size_t cap = 0, pcap = 0;
    ssize_t len;
    int rc = 0, section = 0; /* 1 PROJECTS, 2 VOTES */
    bool header = false;
    uint64_t weight = 0;
    uint32_t items[BALLOT_MAX_CHOICES], values[BALLOT_MAX_CHOICES];
    while (!rc && (len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (!strcmp(line, "PROJECTS") || !strcmp(line, "VOTES")) {
            section = line[0] == 'P' ? 1 : 2;
            header = true;
            continue;
        }
        if (header) { /* the column names */
            header = false;
            continue;
        }
        if (section == 1) {
            char *semi = strchr(line, ';'), *last = strrchr(line, ';');
            int i = semi ? project_of(q, line, (size_t)(semi - line)) : -1;
            if (i >= 0 && last && (last[1] == '0' || last[1] == '1') && !last[2])
                q->published[i] = last[1] == '1';
        } else if (section == 2) {
            char *row = strchr(line, ';');
            row = row ? row + 1 : line + len;
            if (prev && weight && !strcmp(prev, row) && weight < UINT32_MAX) {
                weight++;
                continue;
            }
            if (prev && weight) {
                char *pts = q->kind == VOTE_CUMULATIVE ? strchr(prev, ';') : NULL;
                if (pts)
                    *pts++ = 0;
                size_t n;
                rc = parse_row(q, prev, pts, items, values, &n, e);
                if (!rc)
                    rc = profile_add_voters(q, items, values, n, (uint32_t)weight, e);
            }
            size_t rl = strlen(row) + 1;
            if (rl > pcap) {
                char *np = realloc(prev, rl);
                if (!np) {
                    rc = err_set(e, ERR_NOMEM, "out of memory publishing");
                    break;
                }
                prev = np;
                pcap = rl;
            }
            memcpy(prev, row, rl);
            weight = 1;
        }
    }
    if (!rc && prev && weight) {
        char *pts = q->kind == VOTE_CUMULATIVE ? strchr(prev, ';') : NULL;
        if (pts)
            *pts++ = 0;
        size_t n;
        rc = parse_row(q, prev, pts, items, values, &n, e);
        if (!rc)
            rc = profile_add_voters(q, items, values, n, (uint32_t)weight, e);
    }
    if (!rc && ferror(f))
        rc = err_errno(e, "cannot read back %s", path);
    fclose(f);
    free(line);
    free(prev);
    if (rc)
        return rc;
    b->rule = rule_of(bd);
    rc = count_run(q, b->rule, el->tie_break, &b->o, e);
    if (rc)
        return rc;
    b->counted = true;
    for (size_t i = 0; i < q->nprojects; i++)
        if (q->published[i] < 0 || (q->published[i] == 1) != b->o.res[i].selected)
            return err_set(e, ERR_INTERNAL,
                           "counting %s again gives another outcome for project %s than the "
                           "count: nothing is published; report this as a bug",
                           b->pb, q->ids[i]);
    return 0;
}
