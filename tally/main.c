/*
 * tally — what the tally team and auditors run on an offline laptop.
 *
 *   tally pb-count FILE.pb [--rule RULE] [options]   (docs/tally.md)
 *       recounts a public participatory-budgeting election (pabulib format) with our rules and,
 *       when the file publishes an outcome, says whether ours is the same
 *
 * Exit codes: 0 done (and, for pb-count, the same outcome as published), 1 a problem was found
 * (e.g. a different outcome), 2 usage error. More subcommands are listed in docs/tally.md.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

#include "count.h"
#include "commands.h"
#include "pabulib.h"
#include "publish.h"
#include "report.h"
#include "util.h"

static const char *const PROG = "tally";

struct command {
    const char *name, *args, *help;
    int (*run)(int argc, char **argv);
};

static int usage(void);

/* ---- pb-count ---------------------------------------------------------------------------- */

/* What pb-count runs: a rule, its options, and in words why. */
struct pb_plan {
    enum count_rule rule;
    struct count_opts opts;
    char why[384];
};

static int parse_rule(const char *s, struct pb_plan *pl)
{
    static const struct {
        const char *name;
        enum count_rule rule;
    } RULES[] = {
        {"greedy", COUNT_RULE_GREEDY_VOTES},
        {"greedy-no-skip", COUNT_RULE_GREEDY_VOTES},
        {"greedy-threshold", COUNT_RULE_GREEDY_VOTES},
        {"greedy-reserve", COUNT_RULE_GREEDY_RESERVE},
        {"greedy-score", COUNT_RULE_GREEDY_SCORE},
        {"mes", COUNT_RULE_MES},
        {"mes-add1", COUNT_RULE_MES_ADD1},
        {"mes-add1-greedy", COUNT_RULE_MES_ADD1_GREEDY},
    };
    for (size_t i = 0; i < ARRAY_LEN(RULES); i++)
        if (!strcmp(s, RULES[i].name)) {
            pl->rule = RULES[i].rule;
            pl->opts.no_skip = !strcmp(s, "greedy-no-skip");
            if (pl->rule == COUNT_RULE_GREEDY_RESERVE && !pl->opts.reserve_pct)
                pl->opts.reserve_pct = 80;
            return 0;
        }
    return -1;
}

/* The rule a pabulib file names (META rule, vote_type), mapped to ours. */
static void plan_from_file(const struct profile *p, struct pb_plan *pl)
{
    const char *r = p->rule;
    bool points = p->kind != VOTE_APPROVAL;
    pl->rule = points ? COUNT_RULE_GREEDY_SCORE : COUNT_RULE_GREEDY_VOTES;
    const char *score = p->kind == VOTE_CUMULATIVE ? "by points"
                        : p->kind == VOTE_ORDINAL  ? "by positional points"
                                                   : "by votes";
    if (!strncmp(r, "equalshares", 11)) {
        pl->rule = strstr(r, "add1") ? COUNT_RULE_MES_ADD1 : COUNT_RULE_MES;
        pl->opts.comparison = strstr(r, "comparison") != NULL;
        snprintf(pl->why, sizeof pl->why, "the file names \"%s\"", r);
    } else if (!strcmp(r, "greedy-no-skip")) {
        pl->opts.no_skip = true;
        snprintf(pl->why, sizeof pl->why,
                 "the file names \"%s\": greedy %s, stopping at the first "
                 "project that does not fit",
                 r, score);
    } else if (!strcmp(r, "greedy-threshold")) {
        pl->opts.min_score = p->min_score;
        snprintf(pl->why, sizeof pl->why,
                 "the file names \"%s\": greedy %s among projects with a score of at least %lld "
                 "(min_project_score_threshold)",
                 r, score, (long long)p->min_score);
    } else if (!strcmp(r, "greedy-custom") && p->comment &&
               strstr(p->comment, "does not fit within the budget") && strstr(p->comment, "80%")) {
        pl->rule = COUNT_RULE_GREEDY_RESERVE;
        pl->opts.reserve_pct = 80;
        snprintf(pl->why, sizeof pl->why,
                 "the file names \"%s\" and its comment describes greedy-reserve: greedy %s until "
                 "the next project does not fit, then that project if what is left covers 80%% "
                 "of it",
                 r, score);
    } else if (!strcmp(r, "greedy")) {
        snprintf(pl->why, sizeof pl->why,
                 "the file names \"greedy\": greedy %s, skipping projects "
                 "that do not fit",
                 score);
    } else {
        snprintf(pl->why, sizeof pl->why,
                 "the file names \"%s\", which is no defined rule: greedy "
                 "%s, skipping projects that do not fit, is counted",
                 r[0] ? r : "(none)", score);
    }
    if (p->kind == VOTE_APPROVAL && p->min_score && strcmp(r, "greedy-threshold") &&
        pl->rule != COUNT_RULE_MES && pl->rule != COUNT_RULE_MES_ADD1) {
        pl->opts.min_score = p->min_score; /* a threshold in META applies to greedy rules */
        size_t n = strlen(pl->why);
        snprintf(pl->why + n, sizeof pl->why - n, "; min_project_score_threshold %lld",
                 (long long)p->min_score);
    }
}

static int parse_ties(const char *s, enum tie_break *tb)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (n >= TIE_MAX)
            return -1;
        tb[n++] = tie_break_from_name(t);
        if (tb[n - 1] == TIE_END)
            return -1;
    }
    tb[n] = TIE_END;
    return 0;
}

static void print_money(FILE *f, int64_t cents)
{
    fprintf(f, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

static int project_by_id(const struct profile *p, const char *id)
{
    for (size_t i = 0; i < p->nprojects; i++)
        if (!strcmp(p->ids[i], id))
            return (int)i;
    return -1;
}

/* --exclusive lists: each a group of project ids of which at most one can be funded. */
static int set_exclusive(const struct profile *p, char **lists, int nlists, uint16_t *group)
{
    for (int g = 0; g < nlists; g++) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", lists[g]);
        char *save = NULL;
        int n = 0;
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save), n++) {
            int c = project_by_id(p, t);
            if (c < 0) {
                fprintf(stderr,
                        "%s: --exclusive names project \"%s\", which the file does not "
                        "have\n",
                        PROG, t);
                return -1;
            }
            if (group[c]) {
                fprintf(stderr, "%s: project %s is in two --exclusive groups\n", PROG, t);
                return -1;
            }
            group[c] = (uint16_t)(g + 1);
        }
        if (n < 2) {
            fprintf(stderr, "%s: --exclusive needs at least two project ids, comma-separated\n",
                    PROG);
            return -1;
        }
    }
    return 0;
}

enum pb_verdict { PB_NONE, PB_SAME, PB_DIFFERENT, PB_INCOMPLETE };

static const char *const VERDICT[] = {"no-published-outcome", "same", "different", "incomplete"};

/* What the file says beside its ballots, checked against them. */
struct pb_check {
    bool incomplete;   /* num_votes (or num_projects) disagrees with what was read */
    size_t nvotes_bad; /* projects whose votes column disagrees with the ballots */
    size_t first_bad;
    size_t noutside; /* projects the file marks as funded outside the rule (selected 2 or 3) */
    bool outside_ok; /* selected=3 projects are the best-voted ones left, as the comment says */
    size_t ndiff;
};

static bool outside_rule(const struct profile *p, enum count_rule rule, size_t i)
{
    return p->published[i] == 3 || (p->published[i] == 2 && rule != COUNT_RULE_GREEDY_RESERVE);
}

static enum pb_verdict pb_compare(const struct profile *p, const struct outcome *o,
                                  enum count_rule rule, struct pb_check *ck)
{
    memset(ck, 0, sizeof *ck);
    ck->incomplete = (p->declared_voters >= 0 && (uint64_t)p->declared_voters != p->nvoters) ||
                     (p->declared_projects >= 0 && (size_t)p->declared_projects != p->nprojects);
    for (size_t i = 0; p->declared_votes && i < p->nprojects; i++)
        if (p->declared_votes[i] >= 0 && p->declared_votes[i] != o->res[i].votes &&
            ck->nvotes_bad++ == 0)
            ck->first_bad = i;
    bool published = false;
    ck->outside_ok = true;
    for (size_t i = 0; i < p->nprojects; i++) {
        if (p->published[i] < 0)
            continue;
        published = true;
        if (outside_rule(p, rule, i)) {
            ck->noutside++;
            if (o->res[i].selected)
                ck->ndiff++; /* the rule funds what the city funded from elsewhere */
            /* selected=3: funded later, best-voted first, among what the rule left */
            for (size_t j = 0; p->published[i] == 3 && j < p->nprojects; j++)
                if (!o->res[j].selected && p->published[j] == 0 &&
                    o->res[j].votes > o->res[i].votes)
                    ck->outside_ok = false;
            continue;
        }
        if ((p->published[i] >= 1) != o->res[i].selected)
            ck->ndiff++;
    }
    if (!published)
        return ck->incomplete ? PB_INCOMPLETE : PB_NONE;
    if (ck->incomplete)
        return PB_INCOMPLETE;
    return ck->ndiff ? PB_DIFFERENT : PB_SAME;
}

static void print_notes(FILE *f, const struct profile *p, const struct outcome *o,
                        const struct pb_plan *pl, const struct pb_check *ck)
{
    if (p->declared_voters >= 0 && (uint64_t)p->declared_voters != p->nvoters)
        fprintf(f,
                "note: the file declares num_votes %lld but holds %zu ballots: it is incomplete "
                "or altered, so it cannot confirm the published outcome\n",
                (long long)p->declared_voters, p->nvoters);
    if (p->declared_projects >= 0 && (size_t)p->declared_projects != p->nprojects)
        fprintf(f, "note: the file declares num_projects %lld but lists %zu projects\n",
                (long long)p->declared_projects, p->nprojects);
    if (p->ndup)
        fprintf(f,
                "note: %llu ballot%s named a project more than once (first: line %u, project "
                "%s); each counts it once\n",
                (unsigned long long)p->ndup, p->ndup > 1 ? "s" : "", p->dup_line,
                p->ids[p->dup_project]);
    if (ck->nvotes_bad)
        fprintf(f,
                "note: the votes column disagrees with the ballots for %zu project%s (first: %s, "
                "column %lld, ballots %lld)\n",
                ck->nvotes_bad, ck->nvotes_bad > 1 ? "s" : "", p->ids[ck->first_bad],
                (long long)p->declared_votes[ck->first_bad],
                (long long)o->res[ck->first_bad].votes);
    for (size_t i = 0; i < p->nprojects; i++)
        if (p->cost[i] > p->budget)
            fprintf(f,
                    "note: project %s costs more than the whole budget%s: it cannot be funded "
                    "(withdrawn or not eligible; see the comment)\n",
                    p->ids[i], p->cost[i] == 99999999900 ? " (re-costed to 999999999)" : "");
    for (size_t i = 0; i < p->nprojects; i++)
        if (p->published[i] >= 0 && outside_rule(p, pl->rule, i))
            fprintf(f, "note: project %s is marked selected=%d: funded outside the rule (%s)\n",
                    p->ids[i], p->published[i],
                    p->published[i] == 3 ? "additional funds, best-voted projects first"
                                         : "see the comment");
    if (ck->noutside && !ck->outside_ok)
        fprintf(f, "note: the projects marked selected=3 are not the best-voted ones left\n");
}

struct pb_alt {
    const char *flags;
    struct pb_plan plan;
    const enum tie_break *tb;
};

/* When the outcome differs: which single change of rule option would give the published one?
 * Printed as a hint, never applied. */
static void print_hints(const struct profile *p, const struct pb_plan *pl, const enum tie_break *tb,
                        bool ties_given)
{
    static const enum tie_break LOWEST[] = {TIE_LOWEST_COST, TIE_ID, TIE_END};
    static const enum tie_break HIGHEST[] = {TIE_HIGHEST_COST, TIE_ID, TIE_END};
    struct pb_alt alt[7];
    int n = 0;
    bool mes = pl->rule == COUNT_RULE_MES || pl->rule == COUNT_RULE_MES_ADD1 ||
               pl->rule == COUNT_RULE_MES_ADD1_GREEDY;
    if (!ties_given) {
        alt[n++] = (struct pb_alt){"--tie lowest-cost", *pl, LOWEST};
        alt[n++] = (struct pb_alt){"--tie highest-cost", *pl, HIGHEST};
    }
    if (mes) {
        alt[n] = (struct pb_alt){"--add1-stop exhaustive", *pl, tb};
        if (pl->opts.add1_stop == ADD1_STOP_EXHAUSTIVE)
            alt[n].flags = "--add1-stop budget";
        alt[n].plan.opts.add1_stop = !pl->opts.add1_stop;
        n += pl->rule != COUNT_RULE_MES;
    } else {
        bool points = pl->opts.score == SCORE_POINTS ||
                      (pl->opts.score == SCORE_DEFAULT && pl->rule == COUNT_RULE_GREEDY_SCORE);
        if (p->kind != VOTE_APPROVAL) {
            alt[n] = (struct pb_alt){points ? "--score votes" : "--score points", *pl, tb};
            alt[n++].plan.opts.score = points ? SCORE_VOTES : SCORE_POINTS;
        }
        alt[n] = (struct pb_alt){
            pl->opts.no_skip ? "--rule greedy (skipping)" : "--rule greedy-no-skip", *pl, tb};
        alt[n++].plan.opts.no_skip = !pl->opts.no_skip;
        if (pl->opts.min_score) {
            alt[n] = (struct pb_alt){"--threshold 0", *pl, tb};
            alt[n++].plan.opts.min_score = 0;
        }
    }
    for (int i = 0; i < n; i++) {
        struct outcome o;
        struct err e;
        if (count_run_opts(p, alt[i].plan.rule, alt[i].tb, &alt[i].plan.opts, &o, &e))
            continue;
        struct pb_check ck;
        if (pb_compare(p, &o, alt[i].plan.rule, &ck) == PB_SAME)
            printf("hint: the published outcome is reproduced with %s\n", alt[i].flags);
        outcome_free(&o);
    }
}

static int cmd_pb_count(int argc, char **argv)
{
    const char *file = NULL, *format = "table";
    struct pb_plan pl = {0};
    bool rule_given = false, stop_given = false, threshold_given = false, score_given = false;
    int64_t threshold = 0;
    enum add1_stop stop = ADD1_STOP_INFEASIBLE;
    char *excl[COUNT_MAX_EXCLUSIVE];
    int nexcl = 0;
    enum tie_break tb[TIE_MAX + 1] = {TIE_ID, TIE_END};
    bool ties_given = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--rule") && v) {
            if (parse_rule(v, &pl)) {
                fprintf(stderr, "%s: unknown rule \"%s\"\n", PROG, v);
                return usage();
            }
            rule_given = true, i++;
        } else if (!strcmp(a, "--format") && v) {
            format = v, i++;
            if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
                fprintf(stderr, "%s: unknown format \"%s\" (table, csv or json)\n", PROG, format);
                return usage();
            }
        } else if (!strcmp(a, "--tie") && v) {
            if (parse_ties(v, tb))
                return usage();
            ties_given = true, i++;
        } else if (!strcmp(a, "--score") && v) {
            if (!strcmp(v, "votes"))
                pl.opts.score = SCORE_VOTES;
            else if (!strcmp(v, "points"))
                pl.opts.score = SCORE_POINTS;
            else
                return usage();
            score_given = true, i++;
        } else if (!strcmp(a, "--add1-stop") && v) {
            if (!strcmp(v, "exhaustive"))
                stop = ADD1_STOP_EXHAUSTIVE;
            else if (!strcmp(v, "budget"))
                stop = ADD1_STOP_INFEASIBLE;
            else
                return usage();
            stop_given = true, i++;
        } else if (!strcmp(a, "--comparison")) {
            pl.opts.comparison = true;
        } else if (!strcmp(a, "--threshold") && v) {
            if (util_parse_i64(v, &threshold) || threshold < 0)
                return usage();
            threshold_given = true, i++;
        } else if (!strcmp(a, "--reserve") && v) {
            int64_t pct;
            if (util_parse_i64(v, &pct) || pct < 1 || pct > 100)
                return usage();
            pl.opts.reserve_pct = (unsigned)pct, i++;
        } else if (!strcmp(a, "--exclusive") && v) {
            if (nexcl == COUNT_MAX_EXCLUSIVE)
                return usage();
            excl[nexcl++] = argv[++i];
        } else if (a[0] != '-' && !file) {
            file = a;
        } else {
            return usage();
        }
    }
    if (!file)
        return usage();
    struct err e = {0};
    struct profile p;
    struct outcome o;
    if (pabulib_read(file, &p, &e)) {
        fprintf(stderr, "%s: %s\n", PROG, e.msg);
        return 1;
    }
    struct pb_plan from_file = {0};
    plan_from_file(&p, &from_file);
    if (!rule_given) {
        struct count_opts given = pl.opts;
        pl.rule = from_file.rule;
        pl.opts = from_file.opts;
        snprintf(pl.why, sizeof pl.why, "%s", from_file.why);
        pl.opts.score = given.score;
        if (given.reserve_pct)
            pl.opts.reserve_pct = given.reserve_pct;
        pl.opts.comparison |= given.comparison;
    } else {
        snprintf(pl.why, sizeof pl.why, "--rule given (the file names \"%s\")", p.rule);
    }
    if (stop_given)
        pl.opts.add1_stop = stop;
    if (threshold_given)
        pl.opts.min_score = threshold;
    uint16_t *group = calloc(p.nprojects ? p.nprojects : 1, sizeof *group);
    if (!group || set_exclusive(&p, excl, nexcl, group)) {
        free(group);
        profile_free(&p);
        return group ? 2 : 1;
    }
    if (nexcl)
        pl.opts.exclusive = group;
    bool is_mes = pl.rule == COUNT_RULE_MES || pl.rule == COUNT_RULE_MES_ADD1 ||
                  pl.rule == COUNT_RULE_MES_ADD1_GREEDY;
    if (is_mes && (score_given || threshold_given || nexcl)) {
        fprintf(stderr, "%s: --score, --threshold and --exclusive apply to greedy rules only\n",
                PROG);
        free(group);
        profile_free(&p);
        return 2;
    }
    int rc = count_run_opts(&p, pl.rule, tb, &pl.opts, &o, &e);
    if (rc) {
        fprintf(stderr, "%s: %s\n", PROG, e.msg);
        free(group);
        profile_free(&p);
        return rc == ERR_USAGE ? 2 : 1;
    }
    struct pb_check ck;
    enum pb_verdict verdict = pb_compare(&p, &o, pl.rule, &ck);
    bool by_points = pl.opts.score == SCORE_POINTS ||
                     (pl.opts.score == SCORE_DEFAULT && pl.rule == COUNT_RULE_GREEDY_SCORE);
    char variant[512] = "";
    if (pl.rule == COUNT_RULE_MES_ADD1 || pl.rule == COUNT_RULE_MES_ADD1_GREEDY)
        snprintf(variant, sizeof variant,
                 "Add1 stop: %s%s; %u raises of 1 unit per voter, %u MES runs; per-voter share "
                 "%lld.%02lld",
                 pl.opts.add1_stop == ADD1_STOP_EXHAUSTIVE
                     ? "first exhaustive outcome (pabutools exhaustive_stop=True)"
                     : "keep raising while the outcome fits the budget (pabutools "
                       "exhaustive_stop=False)",
                 stop_given ? ", as asked"
                            : ", the default: it reproduces every published MES "
                              "outcome we know",
                 o.add1_steps, o.add1_runs, (long long)(o.per_voter_budget / 100),
                 (long long)(o.per_voter_budget % 100));
    if (pl.opts.comparison) {
        size_t n = strlen(variant);
        snprintf(variant + n, sizeof variant - n,
                 "%scomparison with greedy by votes: %llu voters prefer equal shares, %llu "
                 "greedy; kept: %s",
                 n ? "; " : "", (unsigned long long)o.prefer_mes,
                 (unsigned long long)o.prefer_greedy,
                 o.comparison_greedy ? "greedy" : "equal shares");
    }
    if (!strcmp(format, "json")) {
        printf("{\"rule\":");
        report_json_str(stdout, count_rule_name(pl.rule));
        printf(",\"why\":");
        report_json_str(stdout, pl.why);
        printf(",\"variant\":");
        report_json_str(stdout, variant);
        printf(",\"score\":\"%s\",\"budget\":", by_points ? "points" : "votes");
        print_money(stdout, p.budget);
        printf(",\"spent\":");
        print_money(stdout, o.spent);
        printf(",\"voters\":%zu,\"declared_voters\":%lld,\"duplicates\":%llu,"
               "\"votes_column_disagrees\":%zu,\"projects\":[",
               p.nvoters, (long long)p.declared_voters, (unsigned long long)p.ndup, ck.nvotes_bad);
        for (size_t i = 0; i < p.nprojects; i++) {
            printf("%s{\"id\":", i ? "," : "");
            report_json_str(stdout, p.ids[i]);
            printf(",\"cost\":");
            print_money(stdout, p.cost[i]);
            printf(",\"votes\":%lld,\"score\":%lld,\"selected\":%s,\"round\":%d,\"published\":%d}",
                   (long long)o.res[i].votes, (long long)o.res[i].score,
                   o.res[i].selected ? "true" : "false", o.res[i].round, p.published[i]);
        }
        printf("],\"matches_published\":%s,\"verdict\":\"%s\"}\n",
               verdict == PB_NONE || verdict == PB_INCOMPLETE ? "null"
               : verdict == PB_SAME                           ? "true"
                                                              : "false",
               VERDICT[verdict]);
    } else if (!strcmp(format, "csv")) {
        printf("project_id,cost,votes,score,selected,round,published\n");
        for (size_t i = 0; i < p.nprojects; i++) {
            printf("%s,", p.ids[i]);
            print_money(stdout, p.cost[i]);
            printf(",%lld,%lld,%d,%d,%d\n", (long long)o.res[i].votes, (long long)o.res[i].score,
                   o.res[i].selected, o.res[i].round, p.published[i]);
        }
    } else {
        printf("%s — %zu voters, %zu projects, budget ", file, p.nvoters, p.nprojects);
        print_money(stdout, p.budget);
        printf("\nrule: %s%s (%s)\n", count_rule_name(pl.rule),
               pl.rule <= COUNT_RULE_GREEDY_SCORE || pl.rule == COUNT_RULE_GREEDY_RESERVE
                   ? (by_points ? ", ranked by points" : ", ranked by votes")
                   : "",
               pl.why);
        if (variant[0])
            printf("%s\n", variant);
        print_notes(stdout, &p, &o, &pl, &ck);
        printf("%-14s %14s %8s %8s  %-9s %s\n", "project", "cost", "votes", "score", "selected",
               "published");
        for (size_t k = 0; k < p.nprojects; k++) {
            /* selected first, in order, then the rest by votes */
            size_t i = k < o.nselected ? o.order[k] : 0;
            if (k >= o.nselected) {
                size_t seen = 0;
                for (size_t j = 0; j < p.nprojects; j++)
                    if (!o.res[j].selected && seen++ == k - o.nselected)
                        i = j;
            }
            static const char *const PUB[] = {"-", "yes", "yes (2)", "yes (3)"};
            printf("%-14.14s %14lld.%02lld %8lld %8lld  %-9s %s\n", p.ids[i],
                   (long long)(p.cost[i] / 100), (long long)(p.cost[i] % 100),
                   (long long)o.res[i].votes, (long long)o.res[i].score,
                   o.res[i].selected ? (o.res[i].phase == 2 ? "yes (c)" : "yes") : "-",
                   p.published[i] < 0 ? "?" : PUB[p.published[i]]);
        }
        printf("spent ");
        print_money(stdout, o.spent);
        printf(" of ");
        print_money(stdout, p.budget);
        printf("\n");
        switch (verdict) {
        case PB_NONE:
            printf("the file publishes no outcome\n");
            break;
        case PB_SAME:
            printf("same outcome as published");
            if (ck.noutside)
                printf(" (apart from %zu project%s funded outside the rule, see the notes)",
                       ck.noutside, ck.noutside > 1 ? "s" : "");
            printf("\n");
            break;
        case PB_INCOMPLETE:
            printf(
                "CANNOT CONFIRM the published outcome: the file is incomplete (see the notes)\n");
            break;
        case PB_DIFFERENT:
            printf("DIFFERENT from the published outcome:");
            for (size_t i = 0; i < p.nprojects; i++) {
                bool want = p.published[i] >= 1 && !outside_rule(&p, pl.rule, i);
                if (p.published[i] >= 0 && want != o.res[i].selected)
                    printf(" %s (%s)", p.ids[i],
                           o.res[i].selected ? "we fund it, the city did not"
                                             : "the city funded it, we do not");
            }
            printf("\n");
            print_hints(&p, &pl, tb, ties_given);
            if (p.comment)
                printf("the file's comment: %s\n", p.comment);
            break;
        }
    }
    outcome_free(&o);
    free(group);
    profile_free(&p);
    return verdict == PB_DIFFERENT || verdict == PB_INCOMPLETE ? 1 : 0;
}

static const struct command COMMANDS[] = {
    {"pb-count",
     "FILE.pb [--rule greedy|greedy-no-skip|greedy-threshold|greedy-reserve|greedy-score|mes|"
     "mes-add1|mes-add1-greedy] [--score votes|points] [--threshold N] [--reserve PCT] "
     "[--exclusive ID,ID,...]... [--add1-stop budget|exhaustive] [--comparison] "
     "[--format table|csv|json] [--tie CRITERIA]",
     "recount a pabulib election and compare with its published outcome", cmd_pb_count},
    {"verify", "--package PKG --authority AUTH.pub [--demo] BUNDLE_OR_JOURNAL...",
     "check exports (or journals) of the kiosks against the signed package and each other",
     cmd_verify},
    {"import",
     "--db TALLY.sqlite --package PKG --authority AUTH.pub [--demo] [--override \"why\" "
     "[--by NAME]] BUNDLE_OR_JOURNAL...",
     "verify exports and merge them into the tally database (refused on a problem unless "
     "overridden)",
     cmd_import},
    {"count",
     "--db TALLY.sqlite | --package PKG --authority AUTH.pub BUNDLE_OR_JOURNAL...; --tally-key "
     "KEY [--passphrase-file F] | (--share FILE [--share-passphrase-file F])... [--demo] "
     "[--format table|csv|json] [--lang fr|nl|en] "
     "[--pb-dir DIR]",
     "decrypt and count every ballot with the package's rule", cmd_count},
    {"tracking", "--db TALLY.sqlite [--demo] [--out FILE]",
     "write the list of tracking codes with their ciphertext hashes, sorted", cmd_tracking},
    {"publish",
     "--db TALLY.sqlite --tally-key KEY [--passphrase-file F] [--demo] [--authority AUTH.pub] "
     "--out DIR",
     "write the results website (FR/NL/EN), the tracking-code lookup and the open data",
     cmd_publish},
};

static int usage(void)
{
    fprintf(stderr, "usage:\n");
    for (size_t i = 0; i < ARRAY_LEN(COMMANDS); i++)
        fprintf(stderr, "  tally %s %s\n      %s\n", COMMANDS[i].name, COMMANDS[i].args,
                COMMANDS[i].help);
    return 2;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "%s: libsodium could not start\n", PROG);
        return 1;
    }
    /* No memory statistics in SQLite: they take one lock around every allocation of every
     * connection, which the threads reading sources ahead and the import contend for. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return usage();
    for (size_t i = 0; i < ARRAY_LEN(COMMANDS); i++)
        if (!strcmp(argv[1], COMMANDS[i].name))
            return COMMANDS[i].run(argc - 2, argv + 2);
    fprintf(stderr, "%s: unknown command \"%s\"\n", PROG, argv[1]);
    return usage();
}
