/*
 * err — one error value for the whole project.
 *
 * Every fallible function returns 0 on success or a negative ERR_* code, and fills a
 * caller-owned `struct err` with a sentence a person can act on: what was wrong, where, and
 * what to do. Messages never contain secrets or ballot contents. `err_set` returns the code so
 * that `return err_set(e, ERR_IO, "...")` reads as one step. A NULL `struct err *` is allowed
 * and means "the caller only wants the code".
 */
#ifndef ISOLOIR_ERR_H
#define ISOLOIR_ERR_H

#include <stddef.h>

enum err_code {
    ERR_OK = 0,
    ERR_USAGE = -1,    /* the caller asked for something invalid (bad option, wrong state) */
    ERR_IO = -2,       /* the operating system refused a read or write */
    ERR_FORMAT = -3,   /* input is malformed: cannot be parsed */
    ERR_INVALID = -4,  /* input parses but breaks a rule (validation) */
    ERR_CRYPTO = -5,   /* a signature or MAC does not verify, or decryption failed */
    ERR_NOMEM = -6,    /* out of memory */
    ERR_FULL = -7,     /* no space left on the device */
    ERR_TAMPER = -8,   /* evidence of modification (chain, count or signature mismatch) */
    ERR_STATE = -9,    /* the operation is not allowed in the current state */
    ERR_VERSION = -10, /* a format version this build does not understand */
    ERR_PERM = -11,    /* file permissions are unsafe or access is denied */
    ERR_NOTFOUND = -12,
    ERR_INTERNAL = -13, /* a bug: an invariant did not hold */
};

#define ERR_MSG_MAX 1024

struct err {
    int code;
    char msg[ERR_MSG_MAX];
};

/* Sets code and message (printf-style); returns `code`. */
int err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prepends context ("reading projects.csv: ") to the message already set; returns e->code. */
int err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets ERR_IO or ERR_FULL from errno, as "<what>: <strerror>"; returns the code. */
int err_errno(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clears the error. */
void err_clear(struct err *e);

#endif
