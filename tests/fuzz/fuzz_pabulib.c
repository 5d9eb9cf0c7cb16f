/* fuzz_pabulib — the pabulib reader on arbitrary bytes, then the counting rules on what it
 * accepts (greedy with and without skipping, with the file's threshold, with a reserve; MES,
 * and MES with Add1 in pieces of a few raises, on one core or two): no crash, no leak, and an
 * outcome that never spends more than the budget (but the reserve's). */
#include <stdint.h>
#include <stdlib.h>

#include "count.h"
#include "pabulib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct profile p;
    struct err e;
    if (pabulib_parse(data, size, "fuzz.pb", &p, &e) != 0)
        return 0;
    enum tie_break tb[] = {TIE_LOWEST_COST, TIE_END};
    enum count_rule rules[] = {COUNT_RULE_GREEDY_VOTES, COUNT_RULE_GREEDY_SCORE, COUNT_RULE_MES,
                               COUNT_RULE_GREEDY_RESERVE, COUNT_RULE_MES_ADD1};
    struct count_opts opts = {.no_skip = size & 1,
                              .min_score = p.min_score,
                              .reserve_pct = 80,
                              .single_thread = size & 2,
                              .add1_piece = 1 + size % 4};
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        struct outcome o;
        if (count_run_opts(&p, rules[r], tb, &opts, &o, &e) == 0) {
            /* only the reserve rule may go over the budget, by less than the last project */
            if (o.spent > p.budget && rules[r] != COUNT_RULE_GREEDY_RESERVE)
                abort();
            outcome_free(&o);
        }
    }
    profile_free(&p);
    return 0;
}
