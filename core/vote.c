/* vote — a voter's whole vote (one ballot per definition they were given) and its canonical,
 * fixed-length encoding; see vote.h and docs/journal.md ("The vote encoding").
 *
 * The encoding (vote_encode) is: text "isoloir/vote", u16 version 1, u32 number of ballots,
 * then per ballot in ascending definition order u32 def, u32 nentries, nentries x (u32 project,
 * u32 value); then zero bytes up to vote_padded_len(el). A vote is encoded only if every
 * ballot passes ballot_check, and decoded only if it does. This module never logs choices. */
#include "vote.h"

#include <sodium.h>
#include <string.h>

#include "util.h"

#define VOTE_LABEL   "isoloir/vote"
#define VOTE_VERSION 1u

void vote_init(struct vote *v)
{
    memset(v, 0, sizeof *v);
}

void vote_wipe(struct vote *v)
{
    sodium_memzero(v, sizeof *v);
}

/* Most entries a ballot of this definition can hold once valid. */
static size_t max_entries(const struct ballot_def *d)
{
    size_t n = d->nprojects < BALLOT_MAX_CHOICES ? d->nprojects : BALLOT_MAX_CHOICES;
    if ((d->rule.kind == RULE_APPROVAL || d->rule.kind == RULE_RANKING) && d->rule.max &&
        d->rule.max < n)
        n = d->rule.max;
    if (d->rule.kind == RULE_CUMULATIVE && d->rule.points < n)
        n = d->rule.points;
    return n;
}

#define HEAD_LEN (4 + sizeof VOTE_LABEL - 1 + 2 + 4)

size_t vote_padded_len(const struct election *el)
{
    /* A voter holds the citywide ballots plus the ballots of at most one district. */
    size_t city = 0, best_district = 0;
    for (size_t dd = 0; dd < el->ndistricts; dd++) {
        size_t sum = 0;
        for (size_t i = 0; i < el->nballots; i++)
            if (el->ballots[i].district == (int)dd)
                sum += 8 + 8 * max_entries(&el->ballots[i]);
        if (sum > best_district)
            best_district = sum;
    }
    for (size_t i = 0; i < el->nballots; i++)
        if (el->ballots[i].district < 0)
            city += 8 + 8 * max_entries(&el->ballots[i]);
    return HEAD_LEN + city + best_district;
}

/* Vote-level rules: 1..VOTE_MAX_BALLOTS ballots, distinct definitions, district ballots of one
 * district only, every ballot valid. */
static int vote_check(const struct election *el, const struct vote *v, uint32_t order[],
                      struct err *e)
{
    if (v->nballots == 0 || v->nballots > VOTE_MAX_BALLOTS)
        return err_set(e, ERR_INVALID, "a vote holds %u ballots, it must hold 1 to %d", v->nballots,
                       VOTE_MAX_BALLOTS);
    int district = -1;
    for (uint32_t i = 0; i < v->nballots; i++) {
        int rc = ballot_check(el, &v->ballots[i], NULL, e);
        if (rc)
            return rc;
        const struct ballot_def *d = &el->ballots[v->ballots[i].def];
        if (d->district >= 0) {
            if (district >= 0 && district != d->district)
                return err_set(e, ERR_INVALID, "a vote holds ballots of two districts (%s and %s)",
                               el->districts[district].id, el->districts[d->district].id);
            district = d->district;
        }
        for (uint32_t k = 0; k < i; k++)
            if (v->ballots[k].def == v->ballots[i].def)
                return err_set(e, ERR_INVALID, "a vote holds ballot %s twice", d->id);
    }
    /* Ascending definition order (insertion sort of indexes; at most 8). */
    for (uint32_t i = 0; i < v->nballots; i++)
        order[i] = i;
    for (uint32_t i = 1; i < v->nballots; i++)
        for (uint32_t k = i; k > 0 && v->ballots[order[k - 1]].def > v->ballots[order[k]].def;
             k--) {
            uint32_t t = order[k];
            order[k] = order[k - 1];
            order[k - 1] = t;
        }
    return 0;
}

int vote_encode(const struct election *el, const struct vote *v, struct buf *out, struct err *e)
{
    uint32_t order[VOTE_MAX_BALLOTS];
    int rc = vote_check(el, v, order, e);
    if (rc)
        return err_prefix(e, "the vote cannot be cast: ");
    size_t start = out->len, padded = vote_padded_len(el);
    buf_str(out, VOTE_LABEL);
    buf_u16(out, VOTE_VERSION);
    buf_u32(out, v->nballots);
    for (uint32_t i = 0; i < v->nballots; i++) {
        const struct ballot *b = &v->ballots[order[i]];
        buf_u32(out, b->def);
        buf_u32(out, b->nentries);
        for (uint32_t k = 0; k < b->nentries; k++) {
            buf_u32(out, b->entries[k].project);
            buf_u32(out, b->entries[k].value);
        }
    }
    if (buf_ok(out))
        return err_set(e, ERR_NOMEM, "out of memory encoding a vote");
    size_t used = out->len - start;
    if (used > padded)
        return err_set(e, ERR_INTERNAL, "an encoded vote (%zu bytes) exceeds the padded length %zu",
                       used, padded);
    static const uint8_t zeros[256];
    for (size_t left = padded - used; left;) {
        size_t n = left < sizeof zeros ? left : sizeof zeros;
        buf_raw(out, zeros, n);
        left -= n;
    }
    if (buf_ok(out))
        return err_set(e, ERR_NOMEM, "out of memory encoding a vote");
    return 0;
}

int vote_decode(const struct election *el, const uint8_t *p, size_t n, struct vote *out,
                struct err *e)
{
    vote_init(out);
    size_t padded = vote_padded_len(el);
    if (n != padded)
        return err_set(e, ERR_FORMAT, "an encoded vote has %zu bytes, this election's have %zu", n,
                       padded);
    struct rd r;
    rd_init(&r, p, n);
    if (!rd_label(&r, VOTE_LABEL))
        return err_set(e, ERR_FORMAT, "not an encoded vote (label)");
    uint16_t version = rd_u16(&r);
    if (rd_ok(&r) && version != VOTE_VERSION)
        return err_set(e, ERR_VERSION, "vote encoding version %u, this build reads %u", version,
                       VOTE_VERSION);
    uint32_t nb = rd_u32(&r);
    if (!rd_ok(&r) || nb == 0 || nb > VOTE_MAX_BALLOTS)
        return err_set(e, ERR_FORMAT, "an encoded vote holds %u ballots (1 to %d allowed)", nb,
                       VOTE_MAX_BALLOTS);
    out->nballots = nb;
    for (uint32_t i = 0; i < nb; i++) {
        struct ballot *b = &out->ballots[i];
        b->def = rd_u32(&r);
        b->nentries = rd_u32(&r);
        if (!rd_ok(&r) || b->def >= el->nballots || (i && out->ballots[i - 1].def >= b->def) ||
            b->nentries > max_entries(&el->ballots[b->def])) {
            vote_wipe(out);
            return err_set(e, ERR_FORMAT, "an encoded vote has a bad ballot header (ballot %u)",
                           i + 1);
        }
        for (uint32_t k = 0; k < b->nentries; k++) {
            b->entries[k].project = rd_u32(&r);
            b->entries[k].value = rd_u32(&r);
        }
    }
    size_t left = rd_left(&r);
    const uint8_t *pad = rd_raw(&r, left);
    bool zero = rd_ok(&r);
    for (size_t i = 0; zero && i < left; i++)
        zero = pad[i] == 0;
    if (!zero) {
        vote_wipe(out);
        return err_set(e, ERR_FORMAT, "an encoded vote is truncated or its padding is not zero");
    }
    uint32_t order[VOTE_MAX_BALLOTS];
    int rc = vote_check(el, out, order, e);
    if (rc) {
        vote_wipe(out);
        return err_prefix(e, "a decoded vote breaks the rules: ");
    }
    return 0;
}
