/* mes_bench — time of the counting rules on pabulib files, and peak memory.
 *   mes_bench FILE.pb [RUNS [mes]]    each rule on one file, best of RUNS (default 3); with
 *                                     "mes", greedy and MES only (no Add1)
 *   mes_bench --all FILE.pb...        MES and MES + Add1 (the default stop) once on every
 *                                     approval file given; one line per file, then totals
 * Figures and how to reproduce them: docs/perf-tally.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "count.h"
#include "pabulib.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Runs `rule` once; returns the seconds, or -1 on error. */
static double timed(const struct profile *p, enum count_rule rule, struct outcome *o)
{
    static const enum tie_break tb[] = {TIE_ID, TIE_END};
    struct err e = {0};
    double a = now_s();
    if (count_run(p, rule, tb, o, &e)) {
        fprintf(stderr, "mes_bench: %s\n", e.msg);
        return -1;
    }
    return now_s() - a;
}

static int all_files(int n, char **files)
{
    double total_mes = 0, total_add1 = 0, worst = 0;
    const char *worst_file = "";
    int counted = 0;
    printf("%-60s %7s %5s %9s %9s %7s %5s\n", "file", "voters", "proj", "MES s", "Add1 s", "raises",
           "runs");
    for (int i = 0; i < n; i++) {
        struct profile p;
        struct err e = {0};
        if (pabulib_read(files[i], &p, &e)) {
            fprintf(stderr, "mes_bench: %s\n", e.msg);
            continue;
        }
        if (p.kind != VOTE_APPROVAL) {
            profile_free(&p);
            continue;
        }
        struct outcome o;
        double tm = timed(&p, COUNT_RULE_MES, &o);
        outcome_free(&o);
        double ta = timed(&p, COUNT_RULE_MES_ADD1, &o);
        if (tm < 0 || ta < 0) {
            profile_free(&p);
            return 1;
        }
        const char *base = strrchr(files[i], '/');
        printf("%-60.60s %7zu %5zu %9.3f %9.3f %7u %5u\n", base ? base + 1 : files[i], p.nvoters,
               p.nprojects, tm, ta, o.add1_steps, o.add1_runs);
        fflush(stdout);
        total_mes += tm;
        total_add1 += ta;
        if (ta > worst)
            worst = ta, worst_file = files[i];
        counted++;
        outcome_free(&o);
        profile_free(&p);
    }
    printf("%d approval files: MES %.1f s, MES + Add1 %.1f s in all; slowest MES + Add1 %.3f s "
           "(%s); peak RSS %.1f MB\n",
           counted, total_mes, total_add1, worst, worst_file, peak_mb());
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mes_bench FILE.pb [RUNS] | mes_bench --all FILE.pb...\n");
        return 2;
    }
    if (!strcmp(argv[1], "--all"))
        return all_files(argc - 2, argv + 2);
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    struct profile p;
    struct err e = {0};
    double t0 = now_s();
    if (pabulib_read(argv[1], &p, &e)) {
        fprintf(stderr, "mes_bench: %s\n", e.msg);
        return 1;
    }
    printf("%s: %zu voters, %zu projects, read in %.3f s\n", argv[1], p.nvoters, p.nprojects,
           now_s() - t0);
    enum count_rule rules[] = {COUNT_RULE_GREEDY_VOTES, COUNT_RULE_MES, COUNT_RULE_MES_ADD1,
                               COUNT_RULE_MES_ADD1_GREEDY};
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        if (r && p.kind != VOTE_APPROVAL)
            break;
        if (argc > 3 && !strcmp(argv[3], "mes") && rules[r] != COUNT_RULE_GREEDY_VOTES &&
            rules[r] != COUNT_RULE_MES)
            continue;
        double best = 1e9;
        unsigned steps = 0, nruns = 0;
        for (int i = 0; i < runs; i++) {
            struct outcome o;
            double d = timed(&p, rules[r], &o);
            if (d < 0)
                return 1;
            best = d < best ? d : best;
            steps = o.add1_steps;
            nruns = o.add1_runs;
            outcome_free(&o);
        }
        printf("%-66s %8.3f s", count_rule_name(rules[r]), best);
        if (rules[r] == COUNT_RULE_MES_ADD1 || rules[r] == COUNT_RULE_MES_ADD1_GREEDY)
            printf("  (%u raises of 1 unit per voter, %u MES runs and range checks)", steps, nruns);
        printf("\n");
    }
    printf("peak RSS %.1f MB\n", peak_mb());
    profile_free(&p);
    return 0;
}
