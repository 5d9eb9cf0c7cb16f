/* journal_votes — verifies a kiosk journal and prints its decrypted votes, one line each in
 * the form the kiosk tests use ("vote city:R01,R05 nord:N02"), then the tracking codes seen.
 * A test tool: the tally does the same through `tally decrypt`, keeping votes unordered. */
#include <sodium.h>
#include <stdio.h>

#include "cli.h"
#include "journal.h"
#include "key.h"
#include "package.h"
#include "sealed.h"
#include "util.h"

struct ctx {
    const struct election *el;
    const struct secret_key *tally;
    unsigned problems;
};

static void problem(void *c, uint64_t seq, enum journal_problem kind, const char *msg)
{
    struct ctx *x = c;
    x->problems++;
    fprintf(stderr, "row %llu: %s: %s\n", (unsigned long long)seq, journal_problem_name(kind), msg);
}

static int ballot(void *c, uint64_t seq, const uint8_t *ct, size_t n, const uint8_t hash[HASH_LEN])
{
    char tracking[TRACKING_TEXT_MAX];
    tracking_text(tracking, ct, n);
    (void)hash;
    struct ctx *x = c;
    struct vote v;
    struct err e = {0};
    if (sealed_open(ct, n, x->tally, x->el, &v, &e)) {
        fprintf(stderr, "row %llu: %s\n", (unsigned long long)seq, e.msg);
        return 1;
    }
    printf("vote");
    for (uint32_t i = 0; i < v.nballots; i++) {
        const struct ballot *b = &v.ballots[i];
        printf(" %s:", x->el->ballots[b->def].id);
        for (uint32_t k = 0; k < b->nentries; k++)
            printf("%s%s", k ? "," : "", x->el->projects[b->entries[k].project].id);
        if (x->el->ballots[b->def].rule.kind == RULE_CUMULATIVE)
            for (uint32_t k = 0; k < b->nentries; k++)
                printf("%s%u", k ? "," : "=", b->entries[k].value);
    }
    printf("\n");
    fprintf(stderr, "tracking %s\n", tracking);
    vote_wipe(&v);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: journal_votes JOURNAL PACKAGE AUTHORITY.pub TALLY.key PASSFILE\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    struct err e = {0};
    struct public_key auth;
    struct election el;
    uint8_t hash[HASH_LEN];
    char *pass = NULL;
    struct secret_key *tally = NULL;
    if (key_load_public(argv[3], KEY_AUTHORITY, &auth, &e) ||
        package_open(argv[2], auth.pk, PACKAGE_ALLOW_DEMO, &el, hash, &e) ||
        cli_passphrase("", argv[5], false, 0, &pass, &e) ||
        key_load_secret(argv[4], KEY_TALLY, pass, &tally, &e)) {
        fprintf(stderr, "journal_votes: %s\n", e.msg);
        return 1;
    }
    cli_passphrase_free(pass);
    struct ctx x = {.el = &el, .tally = tally};
    struct journal_verify_opts opts = {
        .ctx = &x, .problem = problem, .ballot = ballot, .expect_ballots = -1};
    struct journal_summary sum;
    int rc = journal_verify(argv[1], &el, hash, &opts, &sum, &e);
    if (rc)
        fprintf(stderr, "journal_votes: %s\n", e.msg);
    key_free(tally);
    election_free(&el);
    return rc || x.problems ? 1 : 0;
}
