/* crypto — see crypto.h. */
#include "crypto.h"

#include <sodium.h>
#include <string.h>

#include "util.h"

int crypto_setup(struct err *e)
{
    if (sodium_init() < 0)
        return err_set(e, ERR_INTERNAL, "libsodium could not start (no random source?)");
    return 0;
}

void hash32(uint8_t out[HASH_LEN], const void *p, size_t n)
{
    crypto_generichash(out, HASH_LEN, p, n, NULL, 0);
}

void fingerprint(char out[FPR_TEXT_LEN + 1], const uint8_t *key, size_t n)
{
    static const char label[] = "isoloir/fingerprint";
    uint8_t h[HASH_LEN];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, HASH_LEN);
    crypto_generichash_update(&st, (const uint8_t *)label, sizeof label - 1);
    crypto_generichash_update(&st, key, n);
    crypto_generichash_final(&st, h, HASH_LEN);
    char b32[40];
    b32_encode(b32, h, 13); /* 104 bits -> 21 characters; the first 20 are shown */
    size_t o = 0;
    for (int i = 0; i < 20; i++) {
        if (i > 0 && i % 4 == 0)
            out[o++] = '-';
        out[o++] = b32[i];
    }
    out[o] = '\0';
}

void sign_detached(uint8_t sig[SIG_LEN], const void *msg, size_t n, const uint8_t sk[SIGN_SK_LEN])
{
    crypto_sign_detached(sig, NULL, msg, n, sk);
}

int sign_verify(const uint8_t sig[SIG_LEN], const void *msg, size_t n,
                const uint8_t pk[SIGN_PK_LEN])
{
    return crypto_sign_verify_detached(sig, msg, n, pk) == 0 ? 0 : ERR_CRYPTO;
}
