/* big — see big.h. Schoolbook algorithms; sizes are small (a few hundred bits in practice). */
#include "big.h"

#include <string.h>

static void trim(struct big *a)
{
    while (a->n > 0 && a->d[a->n - 1] == 0)
        a->n--;
}

void big_set(struct big *a, uint64_t v)
{
    a->d[0] = (uint32_t)v;
    a->d[1] = (uint32_t)(v >> 32);
    a->n = 2;
    trim(a);
}

bool big_is_zero(const struct big *a)
{
    return a->n == 0;
}

int big_cmp(const struct big *a, const struct big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

int big_add(struct big *r, const struct big *a, const struct big *b)
{
    int n = a->n > b->n ? a->n : b->n;
    uint64_t carry = 0;
    struct big t;
    for (int i = 0; i < n; i++) {
        uint64_t s = carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
        t.d[i] = (uint32_t)s;
        carry = s >> 32;
    }
    if (carry) {
        if (n == BIG_LIMBS)
            return -1;
        t.d[n++] = (uint32_t)carry;
    }
    t.n = n;
    trim(&t);
    *r = t;
    return 0;
}

int big_sub(struct big *r, const struct big *a, const struct big *b)
{
    if (big_cmp(a, b) < 0)
        return -1;
    struct big t;
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t s = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        borrow = s < 0;
        t.d[i] = (uint32_t)(s + (borrow ? ((int64_t)1 << 32) : 0));
    }
    t.n = a->n;
    trim(&t);
    *r = t;
    return 0;
}

int big_mul(struct big *r, const struct big *a, const struct big *b)
{
    if (a->n == 0 || b->n == 0) {
        r->n = 0;
        return 0;
    }
    if (a->n + b->n > BIG_LIMBS + 1)
        return -1;
    uint32_t t[2 * BIG_LIMBS + 1];
    memset(t, 0, sizeof(uint32_t) * (size_t)(a->n + b->n + 1));
    for (int i = 0; i < a->n; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < b->n; j++) {
            uint64_t p = (uint64_t)a->d[i] * b->d[j] + t[i + j] + carry;
            t[i + j] = (uint32_t)p;
            carry = p >> 32;
        }
        t[i + b->n] = (uint32_t)carry;
    }
    int n = a->n + b->n;
    while (n > 0 && t[n - 1] == 0)
        n--;
    if (n > BIG_LIMBS)
        return -1;
    memcpy(r->d, t, sizeof(uint32_t) * (size_t)n);
    r->n = n;
    return 0;
}

int big_mul_u64(struct big *r, const struct big *a, uint64_t v)
{
    struct big b;
    big_set(&b, v);
    return big_mul(r, a, &b);
}

uint32_t big_div_u32(struct big *q, const struct big *a, uint32_t v)
{
    uint64_t rem = 0;
    struct big t;
    t.n = a->n;
    for (int i = a->n - 1; i >= 0; i--) {
        uint64_t cur = rem << 32 | a->d[i];
        t.d[i] = (uint32_t)(cur / v);
        rem = cur % v;
    }
    trim(&t);
    *q = t;
    return (uint32_t)rem;
}

double big_to_double(const struct big *a)
{
    double v = 0;
    for (int i = a->n - 1; i >= 0; i--)
        v = v * 4294967296.0 + a->d[i];
    return v;
}
