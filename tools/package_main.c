/*
 * isoloir-package — builds, checks and shows election packages.
 *
 *   isoloir-package check FOLDER [--tally-key PUB] [--kiosk-keys DIR]
 *       validates the authority's folder (election.conf, projects.csv, pictures, keys) and
 *       prints every problem with file:line:column; writes nothing
 *   isoloir-package build FOLDER --authority-key KEY -o OUT.pkg [--passphrase-file F]
 *                         [--tally-key PUB] [--kiosk-keys DIR] [--tokens FILE.tsv]
 *       validates, then signs and writes the package; prints its fingerprints
 *   isoloir-package show PKG --authority AUTH.pub [--demo]
 *       verifies a package against the authority key and prints what it holds
 *
 * Exit codes: 0 done, 1 refused (the messages say what to fix), 2 usage error.
 */
#include <sodium.h>
#include <stdio.h>

#include "cli.h"
#include "crypto.h"
#include "election.h"
#include "key.h"
#include "loader.h"
#include "package.h"
#include "token.h"
#include "util.h"

static const char *const PROG = "isoloir-package";

static const char *const USAGE =
    "usage:\n"
    "  isoloir-package check FOLDER [--tally-key PUB] [--kiosk-keys DIR]\n"
    "  isoloir-package build FOLDER --authority-key KEY -o OUT.pkg [--passphrase-file FILE]\n"
    "                        [--tally-key PUB] [--kiosk-keys DIR] [--tokens FILE.tsv]\n"
    "  isoloir-package show PKG --authority AUTH.pub [--demo]\n";

static int usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

static const char *rule_name(enum rule_kind k)
{
    switch (k) {
    case RULE_APPROVAL:
        return "approval";
    case RULE_KNAPSACK:
        return "knapsack";
    case RULE_CUMULATIVE:
        return "cumulative";
    case RULE_RANKING:
        return "ranking";
    }
    return "?";
}

static void print_summary(const struct election *el, const uint8_t hash[HASH_LEN])
{
    char fpr[FPR_TEXT_LEN + 1], money[64];
    enum lang l0 = el->langs[0];
    printf("election:   %s (%s)%s\n", text_get(&el->name, l0), el->id, el->demo ? " DEMO" : "");
    printf("languages: ");
    for (int i = 0; i < el->nlangs; i++)
        printf(" %s", lang_code(el->langs[i]));
    printf("\n");
    if (hash) {
        fingerprint(fpr, hash, HASH_LEN);
        printf("package:    %s\n", fpr);
    }
    fingerprint(fpr, el->authority_pk, SIGN_PK_LEN);
    printf("authority:  %s\n", fpr);
    fingerprint(fpr, el->tally_pk, BOX_PK_LEN);
    printf("tally key:  %s\n", fpr);
    printf("published:  %s\n", el->publication_url[0] ? el->publication_url : "(no address given)");
    printf("voters:     %s (unless a kiosk below says otherwise)\n",
           el->eligibility == ELIG_TOKEN ? "voter cards (token mode)" : "enabled by an official");
    printf("projects:   %zu in %zu districts, %zu categories\n", el->nprojects, el->ndistricts,
           el->ncategories);
    for (size_t b = 0; b < el->nballots; b++) {
        const struct ballot_def *bd = &el->ballots[b];
        util_format_euro(money, sizeof money, bd->budget, "en");
        printf("ballot:     %-10s %-10s %2zu projects, budget %s, %s, counted by %s\n", bd->id,
               bd->district < 0 ? "citywide" : el->districts[bd->district].id, bd->nprojects, money,
               rule_name(bd->rule.kind), bd->method == COUNT_MES ? "equal shares" : "greedy");
    }
    for (size_t k = 0; k < el->nkiosks; k++) {
        fingerprint(fpr, el->kiosk_pks[k], SIGN_PK_LEN);
        int vp = el->kiosk_vote_point ? el->kiosk_vote_point[k] : -1;
        printf("kiosk:      %s  %s  %s%s%s%s\n", fpr, el->kiosk_labels[k],
               election_kiosk_eligibility(el, (int)k) == ELIG_TOKEN ? "voter cards" : "attended",
               vp >= 0 ? "  at " : "", vp >= 0 ? el->vote_points[vp].id : "",
               package_kiosk_receipts(el, (int)k) ? "  receipts" : "");
    }
    if (el->ntokens)
        printf("voter cards: %zu codes\n", el->ntokens);
}

struct args {
    const char *folder, *authority_key, *out, *passfile, *tally_key, *kiosk_keys, *tokens;
    const char *authority_pub;
    bool demo;
};

static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        const char **dst = NULL;
        if (strcmp(s, "--authority-key") == 0)
            dst = &a->authority_key;
        else if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0)
            dst = &a->out;
        else if (strcmp(s, "--passphrase-file") == 0)
            dst = &a->passfile;
        else if (strcmp(s, "--tally-key") == 0)
            dst = &a->tally_key;
        else if (strcmp(s, "--kiosk-keys") == 0)
            dst = &a->kiosk_keys;
        else if (strcmp(s, "--tokens") == 0)
            dst = &a->tokens;
        else if (strcmp(s, "--authority") == 0)
            dst = &a->authority_pub;
        else if (strcmp(s, "--demo") == 0)
            a->demo = true;
        else if (s[0] == '-')
            return -1;
        else if (!a->folder)
            a->folder = s;
        else
            return -1;
        if (dst) {
            if (i + 1 >= argc)
                return -1;
            *dst = argv[++i];
        }
    }
    return a->folder ? 0 : -1;
}

/* Loads and validates the folder; prints every problem. */
static int load_folder(const struct args *a, struct election *el, struct err *e)
{
    struct loader_options opt = {.tally_key = a->tally_key, .kiosk_keys = a->kiosk_keys};
    struct loader_report rep;
    loader_report_init(&rep);
    int rc = loader_load(a->folder, &opt, el, &rep, e);
    loader_report_print(&rep, stderr);
    loader_report_free(&rep);
    return rc;
}

static int cmd_check(const struct args *a)
{
    struct election el;
    struct err e = {0};
    int rc = load_folder(a, &el, &e);
    if (rc) {
        fprintf(stderr, "%s: %s\n", PROG, e.msg);
        return 1;
    }
    print_summary(&el, NULL);
    printf("the folder is valid\n");
    election_free(&el);
    return 0;
}

static int cmd_build(const struct args *a)
{
    if (!a->authority_key || !a->out)
        return usage();
    struct election el;
    struct err e = {0};
    char *pass = NULL;
    struct secret_key *auth = NULL;
    uint8_t hash[HASH_LEN];
    int rc = load_folder(a, &el, &e);
    if (rc) {
        fprintf(stderr, "%s: %s\nnothing was written\n", PROG, e.msg);
        return 1;
    }
    if (a->tokens) {
        free(el.tokens);
        el.tokens = NULL;
        el.ntokens = 0;
        rc = token_tsv_read(a->tokens, &el, &el.tokens, &el.ntokens, &e);
        if (rc)
            goto done;
    }
    rc = cli_passphrase("Passphrase of the authority key: ", a->passfile, false, 0, &pass, &e);
    if (!rc)
        rc = key_load_secret(a->authority_key, KEY_AUTHORITY, pass, &auth, &e);
    if (!rc)
        rc = package_write(a->out, &el, auth, hash, &e);
    if (!rc) {
        print_summary(&el, hash);
        printf("written: %s\n", a->out);
        if (!el.publication_url[0] && !el.demo)
            fprintf(stderr,
                    "%s: note: no publication_url in [election]: the kiosks cannot tell voters "
                    "where the results and the tracking codes will be published\n",
                    PROG);
    }
done:
    key_free(auth);
    cli_passphrase_free(pass);
    election_free(&el);
    return rc ? cli_fail(PROG, &e) : 0;
}

static int cmd_show(const struct args *a)
{
    if (!a->authority_pub)
        return usage();
    struct err e = {0};
    struct public_key auth;
    struct election el;
    uint8_t hash[HASH_LEN];
    int rc = key_load_public(a->authority_pub, KEY_AUTHORITY, &auth, &e);
    if (!rc)
        rc = package_open(a->folder, auth.pk, a->demo ? PACKAGE_ALLOW_DEMO : 0, &el, hash, &e);
    if (rc)
        return cli_fail(PROG, &e);
    print_summary(&el, hash);
    printf("signature: valid\n");
    election_free(&el);
    return 0;
}

int main(int argc, char **argv)
{
    struct err e = {0};
    if (crypto_setup(&e))
        return cli_fail(PROG, &e);
    if (argc < 3)
        return usage();
    struct args a;
    if (parse_args(argc - 2, argv + 2, &a) != 0)
        return usage();
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(&a);
    if (strcmp(argv[1], "build") == 0)
        return cmd_build(&a);
    if (strcmp(argv[1], "show") == 0)
        return cmd_show(&a);
    return usage();
}
