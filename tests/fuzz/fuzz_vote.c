/* fuzz_vote — vote_decode on arbitrary bytes. The first byte picks the rule of the citywide
 * ballot (knapsack, approval, cumulative, ranking) of the unit-test fixture election; the rest
 * is the encoded vote. Whatever decodes must pass the rule checks and re-encode to exactly the
 * same bytes (the encoding is canonical); nothing may crash, leak or read out of bounds. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballot.h"
#include "fixture.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (sodium_init() < 0 || size < 1)
        return 0;
    struct election el;
    fixture_election(&el);
    static const struct rule rules[] = {
        {.kind = RULE_KNAPSACK},
        {.kind = RULE_APPROVAL, .min = 1, .max = 2},
        {.kind = RULE_CUMULATIVE, .points = 5, .max_per_project = 3},
        {.kind = RULE_RANKING, .min = 0, .max = 3},
    };
    el.ballots[0].rule = rules[data[0] % 4];
    static struct vote v;
    struct err e;
    if (vote_decode(&el, data + 1, size - 1, &v, &e) == 0) {
        struct buf b;
        buf_init(&b);
        if (vote_encode(&el, &v, &b, &e) != 0 || b.len != size - 1 ||
            memcmp(b.data, data + 1, b.len) != 0)
            abort();
        for (uint32_t i = 0; i < v.nballots; i++)
            if (ballot_check(&el, &v.ballots[i], NULL, &e) != 0)
                abort();
        buf_free(&b);
    }
    election_free(&el);
    return 0;
}
