/* jtest — helpers shared by the journal tests: a fixture election and keys, a sample vote,
 * file copies, and a verifier run that records every problem kind. */
#ifndef ISOLOIR_JTEST_H
#define ISOLOIR_JTEST_H

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ballot.h"
#include "fixture.h"
#include "journal.h"
#include "journal_testing.h"
#include "sealed.h"
#include "util.h"

static const uint8_t JT_PACKAGE[HASH_LEN] = {0x5a, 0x5a, 0x01, 0x02};

/* A valid vote: citywide knapsack (project `a` of 0..2) plus the nord ballot. */
static inline void jt_vote(struct vote *v, unsigned a)
{
    vote_init(v);
    v->nballots = 2;
    ballot_init(&v->ballots[0], 0);
    v->ballots[0].nentries = 1;
    v->ballots[0].entries[0] = (struct ballot_entry){a % 3, 1};
    ballot_init(&v->ballots[1], 1);
    v->ballots[1].nentries = 1;
    v->ballots[1].entries[0] = (struct ballot_entry){3 + (a / 3) % 2, 1};
}

static inline int jt_copy(const char *from, const char *to)
{
    uint8_t *d = NULL;
    size_t n = 0;
    struct err e;
    if (util_read_file(from, 1u << 30, &d, &n, &e))
        return -1;
    unlink(to);
    int fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int ok = fd >= 0 && write(fd, d, n) == (ssize_t)n;
    if (fd >= 0)
        close(fd);
    free(d);
    return ok ? 0 : -1;
}

static inline void jt_remove(const char *path)
{
    char p[512];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

struct jt_report {
    unsigned kinds[JOURNAL_PROBLEM_MAX + 1];
    unsigned nproblems, nballots, ntokens;
    char codes[64][TRACKING_TEXT_MAX];
    uint64_t seqs[64];
};

static inline void jt_problem(void *ctx, uint64_t seq, enum journal_problem kind, const char *msg)
{
    struct jt_report *r = ctx;
    (void)seq, (void)msg;
    if (kind >= 1 && kind <= JOURNAL_PROBLEM_MAX)
        r->kinds[kind]++;
    r->nproblems++;
    if (getenv("JT_VERBOSE"))
        fprintf(stderr, "  row %llu %s: %s\n", (unsigned long long)seq, journal_problem_name(kind),
                msg);
}

static inline int jt_ballot(void *ctx, uint64_t seq, const uint8_t *ct, size_t n,
                            const uint8_t hash[HASH_LEN])
{
    (void)hash;
    struct jt_report *r = ctx;
    if (r->nballots < 64) {
        char tracking[TRACKING_TEXT_MAX];
        tracking_text(tracking, ct, n);
        snprintf(r->codes[r->nballots], TRACKING_TEXT_MAX, "%s", tracking);
        r->seqs[r->nballots] = seq;
    }
    r->nballots++;
    return 0;
}

static inline int jt_token(void *ctx, uint64_t seq, const uint8_t hash[TOKEN_HASH_LEN])
{
    struct jt_report *r = ctx;
    (void)seq, (void)hash;
    r->ntokens++;
    return 0;
}

static inline int jt_verify(const char *path, const struct election *el, const uint8_t *pkg,
                            struct jt_report *r, struct journal_summary *s, bool require_close,
                            int64_t expect_ballots, const uint8_t *expect_head)
{
    memset(r, 0, sizeof *r);
    struct journal_verify_opts o = {.ctx = r,
                                    .problem = jt_problem,
                                    .ballot = jt_ballot,
                                    .token = jt_token,
                                    .require_close = require_close,
                                    .expect_ballots = expect_ballots,
                                    .expect_head = expect_head};
    struct err e = {0};
    return journal_verify(path, el, pkg, &o, s, &e);
}

#endif
