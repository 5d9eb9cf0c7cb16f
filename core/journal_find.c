/* journal_find — see journal_find.h. One walk of journal_verify, remembering the ballot rows
 * that answer the question. */
#include "journal_find.h"

#include <stdio.h>
#include <string.h>

#include "journal.h"

struct search {
    uint64_t after;       /* last ballot after this row */
    const char *tracking; /* or this code */
    struct journal_found *out;
    int found;
};

static int on_ballot(void *ctx, uint64_t seq, const uint8_t *ct, size_t n,
                     const uint8_t hash[HASH_LEN])
{
    char tracking[TRACKING_TEXT_MAX];
    tracking_text(tracking, ct, n);
    (void)hash; /* the tracking code is a hash of its own */
    struct search *s = ctx;
    s->out->ballots++;
    bool match = s->tracking ? strcmp(tracking, s->tracking) == 0 : seq > s->after;
    if (match) {
        s->out->seq = seq;
        snprintf(s->out->tracking, sizeof s->out->tracking, "%s", tracking);
        s->found = 1;
    }
    return 0;
}

static int search(const char *path, const struct election *el, const uint8_t package_hash[HASH_LEN],
                  struct search *s, struct err *e)
{
    memset(s->out, 0, sizeof *s->out);
    struct journal_verify_opts o = {.ctx = s, .ballot = on_ballot, .expect_ballots = -1};
    struct journal_summary sum;
    int rc = journal_verify(path, el, package_hash, &o, &sum, e);
    if (rc)
        return err_prefix(e, "cannot tell what the journal holds: ");
    s->out->last_seq = sum.last_seq;
    if (!s->found)
        s->out->seq = 0, s->out->tracking[0] = '\0';
    return s->found;
}

int journal_find_last_ballot(const char *path, const struct election *el,
                             const uint8_t package_hash[HASH_LEN], uint64_t after,
                             struct journal_found *out, struct err *e)
{
    struct search s = {.after = after, .out = out};
    return search(path, el, package_hash, &s, e);
}

int journal_find_tracking(const char *path, const struct election *el,
                          const uint8_t package_hash[HASH_LEN], const char *tracking,
                          struct journal_found *out, struct err *e)
{
    if (!tracking || !*tracking)
        return err_set(e, ERR_USAGE, "journal_find_tracking: no tracking code");
    struct search s = {.tracking = tracking, .out = out};
    return search(path, el, package_hash, &s, e);
}
