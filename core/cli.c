/* cli — see cli.h. */
#include "cli.h"

#include "shares.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "util.h"

#define PASS_MAX 1024

void cli_passphrase_free(char *p)
{
    if (p)
        sodium_free(p); /* wipes */
}

static int read_line(FILE *f, char *buf, size_t size)
{
    if (!fgets(buf, (int)size, f))
        return -1;
    size_t n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    return 0;
}

static int read_tty(const char *prompt, char *buf, size_t size, struct err *e)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return err_set(e, ERR_USAGE,
                       "no terminal to ask for the passphrase; give it with --passphrase-file");
    struct termios old, quiet;
    bool restore = tcgetattr(fileno(tty), &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    }
    fprintf(tty, "%s", prompt);
    fflush(tty);
    int rc = read_line(tty, buf, size);
    fprintf(tty, "\n");
    if (restore)
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fclose(tty);
    return rc ? err_set(e, ERR_USAGE, "no passphrase was typed") : 0;
}

int cli_passphrase(const char *prompt, const char *file, bool confirm, size_t min_len, char **out,
                   struct err *e)
{
    *out = NULL;
    char *p = sodium_malloc(PASS_MAX), *again = NULL;
    if (!p)
        return err_set(e, ERR_NOMEM, "out of memory for the passphrase");
    int rc = 0;
    if (file) {
        FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
        if (!f) {
            rc = err_errno(e, "cannot open the passphrase file %s", file);
            goto done;
        }
        if (read_line(f, p, PASS_MAX) != 0)
            rc = err_set(e, ERR_USAGE, "the passphrase file %s is empty", file);
        if (f != stdin)
            fclose(f);
        if (rc)
            goto done;
    } else {
        rc = read_tty(prompt, p, PASS_MAX, e);
        if (rc)
            goto done;
        if (confirm) {
            again = sodium_malloc(PASS_MAX);
            if (!again) {
                rc = err_set(e, ERR_NOMEM, "out of memory for the passphrase");
                goto done;
            }
            rc = read_tty("Type it again: ", again, PASS_MAX, e);
            if (!rc && strcmp(p, again) != 0)
                rc = err_set(e, ERR_USAGE, "the two passphrases differ; nothing was written");
            if (rc)
                goto done;
        }
    }
    if (confirm && utf8_length(p, strlen(p)) < min_len) {
        rc = err_set(e, ERR_USAGE,
                     "the passphrase is too short (at least %zu characters; a few random words "
                     "are easiest to remember)",
                     min_len);
        goto done;
    }
    *out = p;
    p = NULL;
done:
    cli_passphrase_free(p);
    cli_passphrase_free(again);
    return rc;
}

int cli_fail(const char *program, const struct err *e)
{
    fprintf(stderr, "%s: %s\n", program, e->msg);
    return 1;
}

int cli_share_passphrase(const struct share *s, const char *file, unsigned retry, char **out,
                         struct err *e)
{
    if (file && retry)
        return ERR_CRYPTO; /* a file gives the same passphrase again: keep the first message */
    char who[700], prompt[800];
    share_describe(s, who, sizeof who);
    snprintf(prompt, sizeof prompt,
             "%s %s: ", retry ? "Wrong passphrase; type it again for" : "Passphrase of", who);
    int rc = cli_passphrase(prompt, file, false, 0, out, e);
    if (rc == ERR_USAGE && !file && strstr(e->msg, "no terminal"))
        rc = err_set(e, ERR_USAGE,
                     "no terminal to ask the passphrase of %s: give it with "
                     "--share-passphrase-file (one per --share, in the same order)",
                     who);
    return rc;
}
