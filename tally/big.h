/*
 * big — non-negative integers of up to BIG_BITS bits, for the exact arithmetic of the Method
 * of Equal Shares. Fixed size, no allocation; every operation reports overflow instead of
 * wrapping, and the caller turns it into a clear error. Limbs are 32-bit, least significant
 * first.
 */
#ifndef ISOLOIR_TALLY_BIG_H
#define ISOLOIR_TALLY_BIG_H

#include <stdbool.h>
#include <stdint.h>

#define BIG_LIMBS 64 /* 2048 bits */
#define BIG_BITS  (BIG_LIMBS * 32)

struct big {
    int n; /* limbs in use; 0 for zero; d[n-1] != 0 */
    uint32_t d[BIG_LIMBS];
};

void big_set(struct big *a, uint64_t v);
bool big_is_zero(const struct big *a);
int big_cmp(const struct big *a, const struct big *b);
/* r = a + b; r = a - b (requires a >= b); r = a * b; r = a * v. Return 0 or -1 on overflow.
 * r may alias a or b. */
int big_add(struct big *r, const struct big *a, const struct big *b);
int big_sub(struct big *r, const struct big *a, const struct big *b);
int big_mul(struct big *r, const struct big *a, const struct big *b);
int big_mul_u64(struct big *r, const struct big *a, uint64_t v);
/* q = a / v, returns a % v (v > 0 and < 2^32). q may alias a. */
uint32_t big_div_u32(struct big *q, const struct big *a, uint32_t v);
/* Approximate value, for display only. */
double big_to_double(const struct big *a);

#endif
