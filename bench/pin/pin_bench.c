/* pin_bench — what one officials' PIN check costs on this machine, and what guessing costs
 * whoever holds a kiosk's opened list (docs/threat-model.md, "The officials' PINs").
 *
 * Measures, at the cost isoloir-package uses (Argon2id, crypto_pwhash_OPSLIMIT_INTERACTIVE
 * passes over crypto_pwhash_MEMLIMIT_INTERACTIVE bytes): one derivation (a kiosk's PIN check,
 * and one offline guess), and one officials_open (X25519 conversion and unsealing). Prints the
 * single-core time to try every PIN of 6, 8, 10 and 16 digits.
 *
 *   pin_bench [ROUNDS]      (default 10) */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "key.h"
#include "officials.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    if (rounds < 1)
        rounds = 1;
    struct err e = {0};
    struct secret_key *kiosk = NULL;
    if (key_generate(KEY_KIOSK, false, &kiosk, &e))
        return fprintf(stderr, "%s\n", e.msg), 1;
    static struct officials o;
    memcpy(o.kiosk_pk, kiosk->pk, sizeof o.kiosk_pk);
    randombytes_buf(o.salt, sizeof o.salt);
    o.opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    o.memlimit_kib = (uint32_t)(crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024);
    o.n = 1;
    snprintf(o.list[0].name, sizeof o.list[0].name, "bench");
    o.list[0].role = OFFICIAL_ROLE_SUPERVISOR;
    if (officials_derive(o.list[0].verifier, "24681012", &o, &e))
        return fprintf(stderr, "%s\n", e.msg), 1;
    static uint8_t sealed[OFFICIALS_SEALED_LEN];
    if (officials_seal(sealed, &o, NULL, &e))
        return fprintf(stderr, "%s\n", e.msg), 1;

    double t0 = now_s();
    for (int i = 0; i < rounds; i++) {
        int who;
        if (officials_check(&o, "13579246", &who, &e) || who != -1)
            return fprintf(stderr, "check failed\n"), 1;
    }
    double check = (now_s() - t0) / rounds;
    t0 = now_s();
    for (int i = 0; i < rounds; i++) {
        struct officials *opened = NULL;
        if (officials_open(sealed, kiosk, &opened, &e))
            return fprintf(stderr, "%s\n", e.msg), 1;
        officials_free(opened);
    }
    double open = (now_s() - t0) / rounds;
    printf("Argon2id: %u passes, %u MiB\n", o.opslimit, o.memlimit_kib / 1024);
    printf("one PIN check (one guess):   %.3f s\n", check);
    printf("opening a kiosk's list:      %.6f s\n", open);
    const int digits[] = {6, 8, 10, 16};
    for (size_t i = 0; i < sizeof digits / sizeof *digits; i++) {
        double pins = 1;
        for (int d = 0; d < digits[i]; d++)
            pins *= 10;
        double hours = pins * check / 3600;
        printf("every %2d-digit PIN, one core: %.3g core-hours (%.3g core-years)\n", digits[i],
               hours, hours / (24 * 365.25));
    }
    key_free(kiosk);
    return 0;
}
