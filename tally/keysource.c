/*
 * keysource — the tally secret key from --tally-key or from trustees' --share files; see
 * keysource.h. The passphrases live in sodium_malloc'd memory (cli_passphrase) and are wiped
 * as soon as their share is opened.
 */
#include "keysource.h"

#include <sodium.h>
#include <stdio.h>

#include "cli.h"
#include "crypto.h"
#include "util.h"

int keysource_option(struct keysource *ks, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    bool share = !strcmp(a, "--share"), pass = !strcmp(a, "--share-passphrase-file");
    if (!share && !pass)
        return 0;
    if (*i + 1 >= argc)
        return -1;
    const char *v = argv[++*i];
    if (share && ks->nshares < SHARES_MAX)
        ks->shares[ks->nshares++] = v;
    else if (pass && ks->npassfiles < SHARES_MAX)
        ks->passfiles[ks->npassfiles++] = v;
    else
        ks->too_many = true;
    return 1;
}

bool keysource_given(const struct keysource *ks, const char *tally_key)
{
    return tally_key || ks->nshares;
}

/* A share's passphrase: from its file (once), else from the terminal (again after a typo). */
static int ask(void *ctx, const struct share *s, size_t i, unsigned retry, char **pass,
               struct err *e)
{
    const struct keysource *ks = ctx;
    const char *file = i < ks->npassfiles ? ks->passfiles[i] : NULL;
    return cli_share_passphrase(s, file, retry, pass, e);
}

static int not_this_election(const char *what, const uint8_t pk[32], const uint8_t expect[32],
                             struct err *e)
{
    char a[FPR_TEXT_LEN + 1], b[FPR_TEXT_LEN + 1];
    fingerprint(a, pk, 32);
    fingerprint(b, expect, 32);
    return err_set(e, ERR_INVALID,
                   "%s the tally key %s, but this election's ballots are sealed to %s: give "
                   "this election's key (or its trustees' shares)",
                   what, a, b);
}

int keysource_load(const struct keysource *ks, const char *tally_key, const char *passfile,
                   const uint8_t expect_pk[32], FILE *log, struct secret_key **out, struct err *e)
{
    *out = NULL;
    if (ks->too_many)
        return err_set(e, ERR_USAGE, "too many --share or --share-passphrase-file options");
    if (tally_key && ks->nshares)
        return err_set(e, ERR_USAGE,
                       "give either the whole tally key (--tally-key) or the trustees' shares "
                       "(--share), not both");
    if (!tally_key && !ks->nshares)
        return err_set(e, ERR_USAGE, "no tally key: give --tally-key KEY or --share FILE...");
    if (ks->nshares && passfile)
        return err_set(e, ERR_USAGE,
                       "--passphrase-file is for a whole key; give each share's passphrase "
                       "with --share-passphrase-file, in the order of the --share options (or "
                       "type them when asked)");
    if (ks->npassfiles > ks->nshares)
        return err_set(e, ERR_USAGE,
                       "%u --share-passphrase-file options for %u shares: give at most one per "
                       "share, in the same order",
                       ks->npassfiles, ks->nshares);
    if (tally_key) {
        char *pass = NULL;
        int rc = cli_passphrase("Passphrase of the tally key: ", passfile, false, 0, &pass, e);
        if (!rc)
            rc = key_load_secret(tally_key, KEY_TALLY, pass, out, e);
        cli_passphrase_free(pass);
        if (!rc && sodium_memcmp((*out)->pk, expect_pk, 32) != 0) {
            char what[4200];
            snprintf(what, sizeof what, "%s is", tally_key);
            rc = not_this_election(what, (*out)->pk, expect_pk, e);
            key_free(*out);
            *out = NULL;
        }
        return rc;
    }
    struct share_asker asker = {
        .ask = ask, .release = cli_passphrase_free, .ctx = (void *)ks, .tries = 3};
    int rc = shares_load(ks->shares, ks->nshares, expect_pk, &asker, out, e);
    if (!rc && log) {
        char fpr[FPR_TEXT_LEN + 1];
        fingerprint(fpr, (*out)->pk, 32);
        fprintf(log, "tally key %s joined in memory from %u trustee shares\n", fpr, ks->nshares);
    }
    return rc;
}
