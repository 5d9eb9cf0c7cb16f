/*
 * tally — what the tally team and auditors run on an offline laptop.
 *
 *   tally pb-count FILE.pb [--rule greedy|greedy-score|mes|mes-add1|mes-add1-greedy] [--format
 * table|csv|json]
 *                          [--tie lowest-cost,most-votes,id]
 *       recounts a public participatory-budgeting election (pabulib format) with our rules and,
 *       when the file publishes an outcome, says whether ours is the same
 *
 * Exit codes: 0 done (and, for pb-count, the same outcome as published), 1 a problem was found
 * (e.g. a different outcome), 2 usage error. More subcommands are listed in docs/tally.md.
 */
#include <sodium.h>
#include <stdio.h>
#include <unistd.h>

#include "count.h"
#include "isoloir.h"
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

static int parse_rule(const char *s, enum count_rule *r)
{
    if (!strcmp(s, "greedy"))
        *r = RULE_GREEDY_VOTES;
    else if (!strcmp(s, "greedy-score"))
        *r = RULE_GREEDY_SCORE;
    else if (!strcmp(s, "mes"))
        *r = RULE_MES;
    else if (!strcmp(s, "mes-add1"))
        *r = RULE_MES_ADD1;
    else if (!strcmp(s, "mes-add1-greedy"))
        *r = RULE_MES_ADD1_GREEDY;
    else
        return -1;
    return 0;
}

/* The rule a pabulib file names, mapped to ours (greedy by score for points and rankings). */
static enum count_rule rule_of(const struct profile *p)
{
    if (!strncmp(p->rule, "equalshares", 11))
        return strstr(p->rule, "add1") ? RULE_MES_ADD1 : RULE_MES;
    if (p->kind == VOTE_CUMULATIVE)
        return RULE_GREEDY_SCORE;
    return RULE_GREEDY_VOTES;
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

static int cmd_pb_count(int argc, char **argv)
{
    const char *file = NULL, *format = "table";
    enum count_rule rule = 0;
    enum tie_break tb[TIE_MAX + 1] = {TIE_ID, TIE_END};
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--rule") && i + 1 < argc) {
            if (parse_rule(argv[++i], &rule))
                return usage();
        } else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            format = argv[++i];
        } else if (!strcmp(argv[i], "--tie") && i + 1 < argc) {
            if (parse_ties(argv[++i], tb))
                return usage();
        } else if (argv[i][0] != '-' && !file) {
            file = argv[i];
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
    if (!rule)
        rule = rule_of(&p);
    if (count_run(&p, rule, tb, &o, &e)) {
        fprintf(stderr, "%s: %s\n", PROG, e.msg);
        profile_free(&p);
        return 1;
    }
    bool published = false, same = true;
    for (size_t i = 0; i < p.nprojects; i++)
        if (p.published[i] >= 0) {
            published = true;
            if ((p.published[i] == 1) != o.res[i].selected)
                same = false;
        }
    if (!strcmp(format, "json")) {
        printf("{\"rule\":");
        report_json_str(stdout, count_rule_name(rule));
        printf(",\"budget\":");
        print_money(stdout, p.budget);
        printf(",\"spent\":");
        print_money(stdout, o.spent);
        printf(",\"voters\":%zu,\"projects\":[", p.nvoters);
        for (size_t i = 0; i < p.nprojects; i++) {
            printf("%s{\"id\":", i ? "," : "");
            report_json_str(stdout, p.ids[i]);
            printf(",\"cost\":");
            print_money(stdout, p.cost[i]);
            printf(",\"votes\":%lld,\"score\":%lld,\"selected\":%s,\"round\":%d}",
                   (long long)o.res[i].votes, (long long)o.res[i].score,
                   o.res[i].selected ? "true" : "false", o.res[i].round);
        }
        printf("],\"matches_published\":%s}\n", !published ? "null" : same ? "true" : "false");
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
        printf("\nrule: %s", count_rule_name(rule));
        if (rule == RULE_MES_ADD1)
            printf(" (%u raises of 1 unit per voter)", o.add1_steps);
        printf("\n%-14s %14s %8s %8s  %-9s %s\n", "project", "cost", "votes", "score", "selected",
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
            printf("%-14.14s %14lld.%02lld %8lld %8lld  %-9s %s\n", p.ids[i],
                   (long long)(p.cost[i] / 100), (long long)(p.cost[i] % 100),
                   (long long)o.res[i].votes, (long long)o.res[i].score,
                   o.res[i].selected ? (o.res[i].phase == 2 ? "yes (c)" : "yes") : "-",
                   p.published[i] < 0 ? "?"
                   : p.published[i]   ? "yes"
                                      : "-");
        }
        printf("spent ");
        print_money(stdout, o.spent);
        printf(" of ");
        print_money(stdout, p.budget);
        printf("\n%s\n", !published ? "the file publishes no outcome"
                         : same     ? "same outcome as published"
                                    : "DIFFERENT from the published outcome");
    }
    outcome_free(&o);
    profile_free(&p);
    return published && !same ? 1 : 0;
}

static const struct command COMMANDS[] = {
    {"pb-count",
     "FILE.pb [--rule greedy|greedy-score|mes|mes-add1|mes-add1-greedy] [--format table|csv|json] "
     "[--tie CRITERIA]",
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
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return usage();
    for (size_t i = 0; i < ARRAY_LEN(COMMANDS); i++)
        if (!strcmp(argv[1], COMMANDS[i].name))
            return COMMANDS[i].run(argc - 2, argv + 2);
    fprintf(stderr, "%s: unknown command \"%s\"\n", PROG, argv[1]);
    return usage();
}
