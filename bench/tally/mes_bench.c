/* mes_bench — time of each counting rule on a pabulib file (default: the largest shared one,
 * Swiecie 2023), best of N runs, and peak memory.
 *   mes_bench FILE.pb [RUNS] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "count.h"
#include "pabulib.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mes_bench FILE.pb [RUNS]\n");
        return 2;
    }
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
    enum count_rule rules[] = {RULE_GREEDY_VOTES, RULE_MES, RULE_MES_ADD1, RULE_MES_ADD1_GREEDY};
    enum tie_break tb[] = {TIE_ID, TIE_END};
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        double best = 1e9;
        unsigned steps = 0;
        for (int i = 0; i < runs; i++) {
            struct outcome o;
            double a = now_s();
            if (count_run(&p, rules[r], tb, &o, &e)) {
                fprintf(stderr, "mes_bench: %s\n", e.msg);
                return 1;
            }
            double d = now_s() - a;
            best = d < best ? d : best;
            steps = o.add1_steps;
            outcome_free(&o);
        }
        printf("%-58s %8.3f s", count_rule_name(rules[r]), best);
        if (steps)
            printf("  (%u Add1 raises)", steps);
        printf("\n");
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB\n", ru.ru_maxrss / 1024.0);
    profile_free(&p);
    return 0;
}
