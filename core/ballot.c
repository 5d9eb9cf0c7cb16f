/* ballot — see ballot.h and docs/journal.md ("The vote encoding").
 *
 * Invariants kept by every edit: approval/knapsack entries have value 1 and strictly ascending
 * projects; cumulative entries have value >= 1 and strictly ascending projects; ranking entries
 * are in rank order with values 1..n and no project twice. ballot_check accepts exactly the
 * ballots of that shape that satisfy the rule, so an edit never produces a ballot the check
 * refuses except for a lower bound (min projects, min share of the budget) not yet reached.
 *
 * A rule's `max` of 0 means "no upper bound" (every project of the ballot may be chosen).
 * ballot_toggle adds or removes a project: for cumulative ballots it adds one point to a
 * project without points and removes all points of a project that has some; for ranking
 * ballots it appends at the end or removes (later ranks move up). ballot_add_point on an
 * approval or knapsack ballot is an add (no change if already chosen).
 *
 * A voter's whole vote (every ballot) and its encoding are in vote.c. This module never logs
 * choices. */
#include "ballot.h"

#include <string.h>

#include "util.h"

static const struct ballot_def *def_of(const struct election *el, const struct ballot *b)
{
    return b->def < el->nballots ? &el->ballots[b->def] : NULL;
}

static bool on_ballot(const struct ballot_def *d, uint32_t project)
{
    for (size_t i = 0; i < d->nprojects; i++)
        if (d->projects[i] == project)
            return true;
    return false;
}

static uint32_t rule_max(const struct ballot_def *d)
{
    size_t n = d->nprojects < BALLOT_MAX_CHOICES ? d->nprojects : BALLOT_MAX_CHOICES;
    if (d->rule.max && d->rule.max < n)
        return d->rule.max;
    return (uint32_t)n;
}

/* Money here is clamped to [0, MONEY_CAP]: a package holds costs and budgets of at most
 * COST_MAX_CENTS and at most 1,000 projects, far below the cap, so for any real election the
 * arithmetic is exact; for an election built by other means (a tally import, a test) with
 * absurd costs nothing overflows: the sum stays at the cap, which is over any budget, and
 * cap x 1000 still fits in 64 bits. */
#define MONEY_CAP (INT64_MAX / 1000)

static int64_t money(int64_t v)
{
    return v < 0 ? 0 : v > MONEY_CAP ? MONEY_CAP : v;
}

static int64_t spent_of(const struct election *el, const struct ballot *b)
{
    int64_t s = 0;
    for (uint32_t i = 0; i < b->nentries; i++)
        if (b->entries[i].project < el->nprojects)
            s = money(s + money(el->projects[b->entries[i].project].cost));
    return s;
}

static uint32_t points_of(const struct ballot *b)
{
    uint64_t s = 0;
    for (uint32_t i = 0; i < b->nentries; i++)
        s += b->entries[i].value;
    return s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

static int find(const struct ballot *b, uint32_t project)
{
    for (uint32_t i = 0; i < b->nentries; i++)
        if (b->entries[i].project == project)
            return (int)i;
    return -1;
}

void ballot_init(struct ballot *b, uint32_t def)
{
    memset(b, 0, sizeof *b);
    b->def = def;
}

bool ballot_has(const struct ballot *b, uint32_t project)
{
    return find(b, project) >= 0;
}

uint32_t ballot_value(const struct ballot *b, uint32_t project)
{
    int i = find(b, project);
    return i < 0 ? 0 : b->entries[i].value;
}

/* Shape checks shared by ballot_check: every entry names a project of this ballot, in the
 * order and with the values its rule requires. */
static int check_shape(const struct election *el, const struct ballot_def *d,
                       const struct ballot *b, struct err *e)
{
    if (b->nentries > BALLOT_MAX_CHOICES)
        return err_set(e, ERR_INVALID, "ballot %s has %u entries, at most %u are possible", d->id,
                       b->nentries, BALLOT_MAX_CHOICES);
    for (uint32_t i = 0; i < b->nentries; i++) {
        const struct ballot_entry *x = &b->entries[i];
        if (x->project >= el->nprojects || !on_ballot(d, x->project))
            return err_set(e, ERR_INVALID, "ballot %s: entry %u names project %u, not on it", d->id,
                           i + 1, x->project);
        switch (d->rule.kind) {
        case RULE_APPROVAL:
        case RULE_KNAPSACK:
            if (x->value != 1)
                return err_set(e, ERR_INVALID, "ballot %s: entry %u has value %u, expected 1",
                               d->id, i + 1, x->value);
            /* fall through */
        case RULE_CUMULATIVE:
            if (x->value == 0)
                return err_set(e, ERR_INVALID, "ballot %s: entry %u has no points", d->id, i + 1);
            if (i && b->entries[i - 1].project >= x->project)
                return err_set(e, ERR_INVALID,
                               "ballot %s: entries are not in ascending project order or repeat "
                               "a project",
                               d->id);
            break;
        case RULE_RANKING:
            if (x->value != i + 1)
                return err_set(e, ERR_INVALID, "ballot %s: entry %u has rank %u, expected %u",
                               d->id, i + 1, x->value, i + 1);
            for (uint32_t k = 0; k < i; k++)
                if (b->entries[k].project == x->project)
                    return err_set(e, ERR_INVALID, "ballot %s: project %s is ranked twice", d->id,
                                   el->projects[x->project].id);
            break;
        default:
            return err_set(e, ERR_INVALID, "ballot %s has an unknown rule %d", d->id,
                           (int)d->rule.kind);
        }
    }
    return 0;
}

/* Could one more project (cost `cost`) still be chosen, for the under-vote flag? */
static bool knapsack_room(const struct election *el, const struct ballot_def *d,
                          const struct ballot *b, int64_t left)
{
    for (size_t i = 0; i < d->nprojects; i++)
        if (!ballot_has(b, d->projects[i]) && el->projects[d->projects[i]].cost <= left)
            return true;
    return false;
}

int ballot_check(const struct election *el, const struct ballot *b, struct ballot_status *st,
                 struct err *e)
{
    struct ballot_status s = {0};
    const struct ballot_def *d = def_of(el, b);
    if (st)
        *st = s;
    if (!d)
        return err_set(e, ERR_INVALID, "the ballot names definition %u, the election has %zu",
                       b->def, el->nballots);
    int rc = check_shape(el, d, b, e);
    if (rc)
        return rc;
    s.chosen = b->nentries;
    s.spent = spent_of(el, b);
    int64_t budget = money(d->budget);
    s.left = budget - s.spent;
    s.blank = b->nentries == 0;
    const struct rule *r = &d->rule;
    switch (r->kind) {
    case RULE_APPROVAL:
    case RULE_RANKING: {
        uint32_t max = rule_max(d);
        if (s.chosen > max)
            rc = err_set(e, ERR_INVALID, "ballot %s: %u projects chosen, at most %u allowed", d->id,
                         s.chosen, max);
        else if (s.chosen < r->min)
            rc = err_set(e, ERR_INVALID, "ballot %s: %u projects chosen, at least %u required",
                         d->id, s.chosen, r->min);
        s.under_vote = s.chosen < max;
        break;
    }
    case RULE_KNAPSACK:
        if (s.spent > budget)
            rc = err_set(e, ERR_INVALID, "ballot %s: chosen projects cost %lld cents, budget %lld",
                         d->id, (long long)s.spent, (long long)d->budget);
        else if (s.spent * 1000 <
                 budget * (int64_t)(r->min_share_permille > 1000 ? 1000 : r->min_share_permille))
            rc = err_set(e, ERR_INVALID,
                         "ballot %s: chosen projects cost %lld cents, at least %u per mille of "
                         "the budget %lld is required",
                         d->id, (long long)s.spent, r->min_share_permille, (long long)d->budget);
        s.under_vote = knapsack_room(el, d, b, s.left);
        break;
    case RULE_CUMULATIVE:
        s.points_used = points_of(b);
        s.points_left = s.points_used < r->points ? r->points - s.points_used : 0;
        if (s.points_used > r->points)
            rc = err_set(e, ERR_INVALID, "ballot %s: %u points given, %u available", d->id,
                         s.points_used, r->points);
        for (uint32_t i = 0; !rc && i < b->nentries; i++)
            if (r->max_per_project && b->entries[i].value > r->max_per_project)
                rc = err_set(e, ERR_INVALID, "ballot %s: %u points on project %s, at most %u",
                             d->id, b->entries[i].value, el->projects[b->entries[i].project].id,
                             r->max_per_project);
        s.under_vote = s.points_left > 0;
        break;
    }
    s.complete = rc == 0;
    if (s.blank)
        s.under_vote = s.under_vote && d->nprojects > 0;
    if (st)
        *st = s;
    return rc;
}

enum ballot_refusal ballot_can_add(const struct election *el, const struct ballot *b,
                                   uint32_t project, int64_t *short_by)
{
    const struct ballot_def *d = def_of(el, b);
    if (!d || project >= el->nprojects || !on_ballot(d, project))
        return BALLOT_NOT_ON_BALLOT;
    int at = find(b, project);
    switch (d->rule.kind) {
    case RULE_APPROVAL:
    case RULE_RANKING:
        if (at >= 0)
            return BALLOT_OK;
        return b->nentries >= rule_max(d) ? BALLOT_TOO_MANY : BALLOT_OK;
    case RULE_KNAPSACK: {
        if (at >= 0)
            return BALLOT_OK;
        int64_t over =
            money(spent_of(el, b) + money(el->projects[project].cost)) - money(d->budget);
        if (over > 0) {
            if (short_by)
                *short_by = over;
            return BALLOT_OVER_BUDGET;
        }
        return b->nentries >= BALLOT_MAX_CHOICES ? BALLOT_TOO_MANY : BALLOT_OK;
    }
    case RULE_CUMULATIVE:
        if (points_of(b) >= d->rule.points)
            return BALLOT_NO_POINTS_LEFT;
        if (at >= 0 && d->rule.max_per_project && b->entries[at].value >= d->rule.max_per_project)
            return BALLOT_PROJECT_MAX;
        if (at < 0 && b->nentries >= BALLOT_MAX_CHOICES)
            return BALLOT_TOO_MANY;
        return BALLOT_OK;
    }
    return BALLOT_NOT_ON_BALLOT;
}

/* Inserts (project, value) keeping ascending project order. */
static void insert_sorted(struct ballot *b, uint32_t project, uint32_t value)
{
    uint32_t i = b->nentries;
    while (i > 0 && b->entries[i - 1].project > project) {
        b->entries[i] = b->entries[i - 1];
        i--;
    }
    b->entries[i] = (struct ballot_entry){project, value};
    b->nentries++;
}

static void remove_at(struct ballot *b, uint32_t i)
{
    for (uint32_t k = i; k + 1 < b->nentries; k++)
        b->entries[k] = b->entries[k + 1];
    b->nentries--;
    b->entries[b->nentries] = (struct ballot_entry){0, 0};
}

/* Ranking: ranks are positions; renumber after any change. */
static void renumber(struct ballot *b)
{
    for (uint32_t i = 0; i < b->nentries; i++)
        b->entries[i].value = i + 1;
}

enum ballot_refusal ballot_toggle(const struct election *el, struct ballot *b, uint32_t project,
                                  int64_t *short_by)
{
    const struct ballot_def *d = def_of(el, b);
    if (!d || project >= el->nprojects || !on_ballot(d, project))
        return BALLOT_NOT_ON_BALLOT;
    int at = find(b, project);
    if (at >= 0) {
        remove_at(b, (uint32_t)at);
        if (d->rule.kind == RULE_RANKING)
            renumber(b);
        return BALLOT_OK;
    }
    if (d->rule.kind == RULE_RANKING)
        return ballot_rank_append(el, b, project);
    enum ballot_refusal r = ballot_can_add(el, b, project, short_by);
    if (r == BALLOT_OK)
        insert_sorted(b, project, 1);
    return r;
}

enum ballot_refusal ballot_add_point(const struct election *el, struct ballot *b, uint32_t project)
{
    const struct ballot_def *d = def_of(el, b);
    if (!d || project >= el->nprojects || !on_ballot(d, project))
        return BALLOT_NOT_ON_BALLOT;
    if (d->rule.kind == RULE_RANKING)
        return ballot_rank_append(el, b, project);
    enum ballot_refusal r = ballot_can_add(el, b, project, NULL);
    if (r != BALLOT_OK)
        return r;
    int at = find(b, project);
    if (at < 0)
        insert_sorted(b, project, 1);
    else if (d->rule.kind == RULE_CUMULATIVE)
        b->entries[at].value++;
    return BALLOT_OK;
}

enum ballot_refusal ballot_remove_point(const struct election *el, struct ballot *b,
                                        uint32_t project)
{
    const struct ballot_def *d = def_of(el, b);
    if (!d || project >= el->nprojects || !on_ballot(d, project))
        return BALLOT_NOT_ON_BALLOT;
    int at = find(b, project);
    if (at < 0)
        return BALLOT_NOTHING_TO_REMOVE;
    if (d->rule.kind == RULE_CUMULATIVE && b->entries[at].value > 1) {
        b->entries[at].value--;
        return BALLOT_OK;
    }
    remove_at(b, (uint32_t)at);
    if (d->rule.kind == RULE_RANKING)
        renumber(b);
    return BALLOT_OK;
}

enum ballot_refusal ballot_rank_append(const struct election *el, struct ballot *b,
                                       uint32_t project)
{
    const struct ballot_def *d = def_of(el, b);
    if (!d || project >= el->nprojects || !on_ballot(d, project))
        return BALLOT_NOT_ON_BALLOT;
    if (find(b, project) >= 0)
        return BALLOT_OK;
    enum ballot_refusal r = ballot_can_add(el, b, project, NULL);
    if (r != BALLOT_OK)
        return r;
    b->entries[b->nentries] = (struct ballot_entry){project, b->nentries + 1};
    b->nentries++;
    return BALLOT_OK;
}

enum ballot_refusal ballot_rank_remove(const struct election *el, struct ballot *b,
                                       uint32_t project)
{
    const struct ballot_def *d = def_of(el, b);
    if (!d || project >= el->nprojects || !on_ballot(d, project))
        return BALLOT_NOT_ON_BALLOT;
    int at = find(b, project);
    if (at < 0)
        return BALLOT_NOTHING_TO_REMOVE;
    remove_at(b, (uint32_t)at);
    if (d->rule.kind == RULE_RANKING)
        renumber(b);
    return BALLOT_OK;
}
