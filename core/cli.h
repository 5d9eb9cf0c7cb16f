/*
 * cli — what the command-line tools share: reading a passphrase without echo (or from a file
 * for scripted set-ups), and printing an error the way every tool prints it.
 */
#ifndef ISOLOIR_CLI_H
#define ISOLOIR_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Reads a passphrase into a sodium_malloc'd string (free with cli_passphrase_free).
 * From `file` if given ("-" = first line of standard input), else from the terminal with echo
 * off; with `confirm`, asks twice and insists on at least `min_len` characters. */
int cli_passphrase(const char *prompt, const char *file, bool confirm, size_t min_len, char **out,
                   struct err *e);
void cli_passphrase_free(char *p);

struct share;
/* A trustee share's passphrase (core/shares.h asks through this): from `file` (once: on a retry
 * it returns ERR_CRYPTO so that the message naming the share stays), else from the terminal,
 * the prompt naming the share and its trustee, again after a wrong one. Without a terminal and
 * a file, ERR_USAGE names the share and --share-passphrase-file. */
int cli_share_passphrase(const struct share *s, const char *file, unsigned retry, char **out,
                         struct err *e);

/* Prints "<program>: <message>" to stderr and returns the exit code for the error (1). */
int cli_fail(const char *program, const struct err *e);

#endif
