/*
 * token — voter-card codes for elections in token mode (docs/tokens.md).
 *
 * A code is 80 random bits written as 16 Crockford base32 characters plus one check
 * character, printed in groups of four: "K7QF-3M2A-9C41-X2NB-5". People type it on the
 * kiosk keypad or scan it with a scanner that acts as a keyboard, so parsing forgives what
 * people and scanners do: lower case, I and L for 1, O for 0, spaces and dashes anywhere. The
 * check character catches every single wrong character and every swap of two characters
 * (adjacent or not) before the code is looked up.
 *
 * The package never holds a code, only BLAKE2b-256("isoloir/token" || the 16 data characters
 * in upper case) truncated to TOKEN_HASH_LEN bytes, with the district the card is for
 * (el->tokens, sorted by hash). A code is spent once per kiosk; whether it is spent is the
 * journal's business, asked through a callback so this module does not depend on the journal.
 *
 * This module never writes a code to a log or an error message, and never keeps one: codes
 * live in caller buffers only.
 */
#ifndef ISOLOIR_TOKEN_H
#define ISOLOIR_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "election.h"
#include "err.h"

#define TOKEN_DATA_CHARS   16 /* 80 bits */
#define TOKEN_CODE_CHARS   17 /* data + check character */
#define TOKEN_TEXT_LEN     21 /* "XXXX-XXXX-XXXX-XXXX-C" */
#define TOKEN_ENTROPY_BITS 80
#define TOKEN_LABEL        "isoloir/token"

/* tokens.tsv (docs/tokens.md): first line, and the district field of a citywide card. */
#define TOKEN_TSV_HEADER   "# isoloir-tokens 1"
#define TOKEN_TSV_CITYWIDE "*"
#define TOKEN_TSV_MAX      5000000u /* codes in one file, as many as a package may hold */

/* The check character (a Crockford base32 character) of 16 data characters, which must be
 * upper-case characters of the Crockford alphabet (as token_generate and token_parse give). */
char token_check_char(const char data[TOKEN_DATA_CHARS]);

/* Draws a new code from the system's random source (randombytes_buf; libsodium must be
 * initialised). data receives the 16 data characters and a NUL. */
void token_generate(char data[TOKEN_DATA_CHARS + 1]);

/* The printed form "XXXX-XXXX-XXXX-XXXX-C" of 16 data characters, with a NUL. */
void token_format(char out[TOKEN_TEXT_LEN + 1], const char data[TOKEN_DATA_CHARS]);

/* hash = BLAKE2b-256(TOKEN_LABEL || data[0..16)) truncated to TOKEN_HASH_LEN bytes. */
void token_hash(uint8_t hash[TOKEN_HASH_LEN], const char data[TOKEN_DATA_CHARS]);

enum token_status {
    TOKEN_VALID = 0,      /* in the package, not spent at this kiosk */
    TOKEN_INCOMPLETE = 1, /* fewer than 17 characters so far (nothing wrong yet) */
    TOKEN_MISTYPED = 2,   /* a character that is not in a code, too many, or check fails */
    TOKEN_UNKNOWN = 3,    /* well formed but not a card of this election */
    TOKEN_SPENT = 4,      /* a card of this election already used at this kiosk */
};

/* Normalises what a person typed: skips spaces, tabs, line ends (a scanner's Enter) and
 * dashes, upper-cases, reads I and L as 1 and O as 0. Returns TOKEN_VALID when it is exactly 17
 * code characters whose check character is right (data then holds the 16 data characters and a
 * NUL), TOKEN_INCOMPLETE when it is a correct beginning shorter than 17 characters (data is then
 * undefined), and TOKEN_MISTYPED otherwise. Never looks anything up. input may be NULL
 * (INCOMPLETE). */
enum token_status token_parse(const char *input, char data[TOKEN_DATA_CHARS + 1]);

/* The package entry for a hash (binary search in el->tokens, which is sorted), or NULL. */
const struct token_entry *token_find(const struct election *el, const uint8_t hash[TOKEN_HASH_LEN]);

/* Asks whether a code hash was already spent at this kiosk (the kiosk passes a wrapper around
 * the journal). Returns 1 spent, 0 not spent, or a negative ERR_* code with e filled. */
typedef int (*token_spent_fn)(void *ctx, const uint8_t hash[TOKEN_HASH_LEN], struct err *e);

struct token_result {
    enum token_status status;
    int32_t district;             /* TOKEN_VALID / TOKEN_SPENT: the card's district, -1 citywide */
    uint8_t hash[TOKEN_HASH_LEN]; /* set from TOKEN_UNKNOWN on: what a token-spend row holds */
};

/* Parses `input`, looks it up in the package and asks `spent` (may be NULL: nothing is spent).
 * Returns 0 with out->status filled, or the callback's negative code (e filled by it; out is
 * then TOKEN_UNKNOWN and must not be used to enable a voter). The caller wipes `input`. */
int token_check(const struct election *el, const char *input, token_spent_fn spent, void *ctx,
                struct token_result *out, struct err *e);

/* A short kind sentence for the voter, in `lang`, for each status (never NULL). */
const char *token_status_message(enum token_status s, enum lang lang);

/* Reads a tokens.tsv file (docs/tokens.md) into a malloc'd array of entries sorted by hash
 * (free with free()), resolving district ids against `el`. Every bad line is counted and the
 * first ones are named in the message with their line numbers ("line 7: ..."), so a person
 * can fix them all in one go; a repeated hash names both lines. On failure *out is NULL and
 * *n is 0. Errors: ERR_FORMAT (bad lines, wrong header), ERR_INVALID (unknown district,
 * repeated code, too many codes), ERR_IO, ERR_NOMEM. */
int token_tsv_read(const char *path, const struct election *el, struct token_entry **out, size_t *n,
                   struct err *e);
/* The same on bytes in memory (tests, fuzzing). */
int token_tsv_parse(const uint8_t *data, size_t len, const struct election *el,
                    struct token_entry **out, size_t *n, struct err *e);

/* One tokens.tsv data line (with its LF) for a hash and a district id (NULL = citywide).
 * Returns the length written, or 0 if out (size bytes) is too small or the id is not a valid
 * district id for the file (empty, "*", a tab, a line break, or 64 bytes or more). */
size_t token_tsv_line(char *out, size_t size, const uint8_t hash[TOKEN_HASH_LEN],
                      const char *district_id);

#endif
