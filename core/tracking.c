/* tracking — see tracking.h and docs/journal.md ("Tracking code").
 *
 * The check character: the 11 characters are read as elements of GF(32) built on the
 * primitive polynomial x^5 + x^3 + 1 (a character's Crockford value is the element's bit
 * pattern). A code is valid when c[0]*a^10 + c[1]*a^9 + ... + c[10]*a^0 = 0 with a = x. The
 * weights are distinct and non-zero (a has order 31 > 11), so one wrong character always
 * changes the sum, and exchanging two different characters at positions p and q changes it by
 * (c[p] + c[q]) * (a^p + a^q), never zero. This module keeps no state and logs nothing. */
#include "tracking.h"

#include <sodium.h>

#include "crypto.h"
#include "util.h"

#define TRACK_POLY 0x29u /* x^5 + x^3 + 1 */

/* The check character of 10 upper-case Crockford data characters. */
static char tracking_check_char(const char data[TRACKING_DATA_CHARS])
{
    return b32_check_char(data, TRACKING_DATA_CHARS, TRACK_POLY);
}

void tracking_code(char code[TRACKING_CODE_CHARS + 1], const uint8_t *ct, size_t n)
{
    static const char label[] = TRACKING_LABEL;
    uint8_t h[HASH_LEN];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, HASH_LEN);
    crypto_generichash_update(&st, (const uint8_t *)label, sizeof label - 1);
    crypto_generichash_update(&st, ct, n);
    crypto_generichash_final(&st, h, HASH_LEN);
    char b32[16]; /* 7 bytes -> 12 characters; the first 10 carry the first 50 bits */
    b32_encode(b32, h, 7);
    memcpy(code, b32, TRACKING_DATA_CHARS);
    code[TRACKING_DATA_CHARS] = tracking_check_char(code);
    code[TRACKING_CODE_CHARS] = '\0';
}

void tracking_format(char out[TRACKING_TEXT_MAX], const char code[TRACKING_CODE_CHARS])
{
    size_t o = 0;
    for (size_t i = 0; i < TRACKING_CODE_CHARS; i++) {
        if (i == 4 || i == 8)
            out[o++] = '-';
        out[o++] = code[i];
    }
    out[o] = '\0';
}

void tracking_text(char out[TRACKING_TEXT_MAX], const uint8_t *ct, size_t n)
{
    char code[TRACKING_CODE_CHARS + 1];
    tracking_code(code, ct, n);
    tracking_format(out, code);
}

int tracking_parse(const char *input, char code[TRACKING_CODE_CHARS + 1])
{
    size_t n = 0;
    code[0] = '\0';
    if (!input)
        return ERR_FORMAT;
    for (const char *p = input; *p; p++) {
        if (*p == ' ' || *p == '-' || *p == '\t' || *p == '\n' || *p == '\r')
            continue;
        int v = b32_value((unsigned char)*p);
        if (v < 0 || n == TRACKING_CODE_CHARS) {
            code[0] = '\0';
            return ERR_FORMAT;
        }
        code[n++] = b32_char((unsigned)v);
    }
    code[n] = '\0';
    if (n != TRACKING_CODE_CHARS) {
        code[0] = '\0';
        return ERR_FORMAT;
    }
    if (tracking_check_char(code) != code[TRACKING_DATA_CHARS])
        return ERR_INVALID;
    return 0;
}
