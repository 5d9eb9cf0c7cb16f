/* fuzz_pabulib — the pabulib reader on arbitrary bytes, then every counting rule on what it
 * accepts: no crash, no leak, and an outcome that never spends more than the budget. */
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
    enum count_rule rules[] = {RULE_GREEDY_VOTES, RULE_GREEDY_SCORE, RULE_MES};
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        struct outcome o;
        if (count_run(&p, rules[r], tb, &o, &e) == 0) {
            if (o.spent > p.budget)
                abort();
            outcome_free(&o);
        }
    }
    profile_free(&p);
    return 0;
}
