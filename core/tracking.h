/*
 * tracking — the short code a voter notes after casting, to find their sealed ballot in the
 * published list after the count (docs/journal.md, "Tracking code").
 *
 * A code is 10 Crockford base32 data characters (the first 50 bits of
 * BLAKE2b-256("isoloir/tracking" || ciphertext)) plus one check character, shown in three
 * groups "XXXX-XXXX-XXX" to read aloud. It is computed from the ciphertext only, so it says
 * nothing about the choices. The check character catches every single wrong character and
 * every swap of two characters before a lookup.
 *
 * Parsing forgives what people do: lower case, I and L for 1, O for 0, spaces and dashes.
 */
#ifndef ISOLOIR_TRACKING_H
#define ISOLOIR_TRACKING_H

#include <stddef.h>
#include <stdint.h>

#define TRACKING_DATA_CHARS 10
#define TRACKING_CODE_CHARS 11 /* data + check character */
#define TRACKING_TEXT_LEN   13 /* "XXXX-XXXX-XXX" */
#define TRACKING_TEXT_MAX   16 /* buffer size for the printed form and its NUL */
#define TRACKING_LABEL      "isoloir/tracking"

/* The 11 code characters (and a NUL) of a ballot row's ciphertext. */
void tracking_code(char code[TRACKING_CODE_CHARS + 1], const uint8_t *ct, size_t n);

/* The printed form "XXXX-XXXX-XXX" (and a NUL) of 11 code characters. */
void tracking_format(char out[TRACKING_TEXT_MAX], const char code[TRACKING_CODE_CHARS]);

/* tracking_code then tracking_format. */
void tracking_text(char out[TRACKING_TEXT_MAX], const uint8_t *ct, size_t n);

/* Normalises what a person typed into the 11 code characters (and a NUL). Returns 0, ERR_FORMAT
 * (a character that is not in a code, or not exactly 11 of them) or ERR_INVALID (the check
 * character does not match: a typo). */
int tracking_parse(const char *input, char code[TRACKING_CODE_CHARS + 1]);

#endif
