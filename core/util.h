/*
 * util — small helpers shared by every module: UTF-8 checks, strict integer parsing, whole-file
 * reads with a size limit, durable file writes, Crockford base32 and hex.
 *
 * Durable write (util_write_durable) follows the only order that survives a power cut: write a
 * temporary file beside the target, fsync it, rename it over the target, fsync the directory.
 * A crash at any point leaves either the old file or the new one, never a mix.
 */
#ifndef ISOLOIR_UTIL_H
#define ISOLOIR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* Before banned.h, so that the C library's own declarations are seen first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* true if s[0..n) is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF) with no NUL. */
bool utf8_valid(const char *s, size_t n);

/* Byte offset of the first invalid UTF-8 sequence in s[0..n), or n if valid. */
size_t utf8_first_invalid(const char *s, size_t n);

/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s, size_t n);
/* Bytes taken by the first k code points of s[0..n). */
size_t utf8_prefix(const char *s, size_t n, size_t k);
/* Word wrapping by code points, for fixed-width text (reports, paper): the next line of
 * s[*at..n), leading spaces skipped, as many whole words as fit in `width`; false at the end.
 * [*start, *end) are the line's bytes and *at moves past them. A word wider than the line is
 * cut at `width` code points, and *cut says so. */
bool util_wrap_next(const char *s, size_t n, size_t *at, size_t width, size_t *start, size_t *end,
                    bool *cut);

/* malloc'd copy of s (or of its first n bytes); NULL on out-of-memory. */
char *util_strdup(const char *s);
char *util_strndup(const char *s, size_t n);

/* Parses a whole decimal integer (optional sign, no spaces, no trailing text).
 * Returns 0 or ERR_FORMAT (not a number / out of range). */
int util_parse_i64(const char *s, int64_t *out);

/* Threads for work spread over the cores (the journal verifier, the tally's decryption): the
 * environment variable ISOLOIR_THREADS when it holds a number from 1 to UTIL_MAX_THREADS (1:
 * everything on the calling thread, the reference the tests compare with), else one per core,
 * at most UTIL_MAX_THREADS. */
#define UTIL_MAX_THREADS 8
int util_threads(void);

/* Parses an amount in euro written by people ("12500", "12 500,50", "12.500,50 €", "12500.5")
 * into cents. Returns 0 or ERR_FORMAT. */
int util_parse_euro_cents(const char *s, int64_t *cents);

/* Formats cents as euro for people: "€ 12,500" (en), "12 500 €" (fr), "€ 12.500" (nl).
 * `lang` is "fr", "nl" or "en". Cents are shown only when not zero. */
void util_format_euro(char *out, size_t size, int64_t cents, const char *lang);

/* Reads a whole file into a malloc'd buffer (NUL-terminated for convenience; *len excludes
 * it). Refuses files larger than max_len with ERR_INVALID. */
int util_read_file(const char *path, size_t max_len, uint8_t **data, size_t *len, struct err *e);

/* util_read_file for a secret file (`what`: "a secret key file", "a share file"): refused with
 * ERR_PERM, naming the mode and the chmod to run (then `hint`, may be ""), when other users can
 * read it. */
int util_read_private(const char *path, const char *what, const char *hint, size_t max_len,
                      uint8_t **data, size_t *len, struct err *e);

/* Writes data to path durably (temp file, fsync, rename, fsync directory) with file mode
 * `mode`. On failure the previous content of path, if any, is untouched and the temp file is
 * removed. */
int util_write_durable(const char *path, const void *data, size_t len, unsigned mode,
                       struct err *e);

/* fsyncs the directory that contains `path` (or `path` itself if it is a directory). */
int util_fsync_dir(const char *path, struct err *e);

/* Crockford base32 (0-9 A-Z without I L O U) of `len` bytes, most significant bit first;
 * writes ceil(len*8/5) characters and a NUL. out must hold that many + 1. */
void b32_encode(char *out, const uint8_t *in, size_t len);

/* Value of a Crockford base32 character (accepting lower case and the look-alikes
 * I/L -> 1, O -> 0), or -1. */
int b32_value(int c);

/* The Crockford base32 character of value v (0..31). */
char b32_char(unsigned v);

/* The check character of `n` Crockford base32 characters (voter-card codes, tracking codes),
 * the one implementation both use. The characters are read as elements of GF(32) built on the
 * primitive polynomial `poly` (0x25: x^5+x^2+1, 0x29: x^5+x^3+1), a character's value being
 * the element's bit pattern; with `a` a root of poly, the check value is
 * c = (sum data[i] * a^(n-1-i)) * a, which makes the same sum over data || c zero: every single
 * substitution and every swap of two different characters is caught (docs/tokens.md gives the
 * argument). A character that is not base32 counts as 0. */
char b32_check_char(const char *data, size_t n, unsigned poly);

/* Lower-case hex of len bytes; out must hold 2*len+1. */
void hex_encode(char *out, const uint8_t *in, size_t len);
/* Decodes exactly `len` bytes of hex; returns 0 or ERR_FORMAT. */
int hex_decode(uint8_t *out, size_t len, const char *hex);

#include "banned.h"

#endif
