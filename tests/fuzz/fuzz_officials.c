/* fuzz_officials — the decoder of a kiosk's opened list of officials (core/officials.c). The
 * list is authenticated before it is decoded, but a builder bug must not become a kiosk crash:
 * any 3072 bytes (the input, zero-padded or cut) are decoded, and a list that decodes is
 * sealed again and must open to the same names, roles and verifiers. */
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "officials.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    static struct secret_key *kiosk;
    if (!ready) {
        uint8_t seed[32];
        memset(seed, 3, sizeof seed);
        struct err e;
        if (sodium_init() < 0 || key_from_seed(KEY_KIOSK, false, seed, &kiosk, &e) != 0)
            return 0;
        ready = 1;
    }
    static uint8_t plain[OFFICIALS_PLAIN_LEN], sealed[OFFICIALS_SEALED_LEN];
    memset(plain, 0, sizeof plain);
    memcpy(plain, data, size < sizeof plain ? size : sizeof plain);
    static struct officials o;
    if (officials_decode(plain, &o) != 0)
        return 0;
    memcpy(o.kiosk_pk, kiosk->pk, sizeof o.kiosk_pk);
    struct err e;
    struct officials *back = NULL;
    if (officials_seal(sealed, &o, NULL, &e) != 0 || officials_open(sealed, kiosk, &back, &e) != 0)
        __builtin_trap();
    if (back->n != o.n)
        __builtin_trap();
    for (size_t i = 0; i < o.n; i++)
        if (strcmp(back->list[i].name, o.list[i].name) != 0 ||
            back->list[i].role != o.list[i].role ||
            memcmp(back->list[i].verifier, o.list[i].verifier, OFFICIALS_VERIFIER_LEN) != 0)
            __builtin_trap();
    officials_free(back);
    return 0;
}
