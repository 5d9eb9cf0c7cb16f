/* test_ballot — the ballot rules, every refusal, and the padded vote encoding (round trips,
 * strict decoding, fixed length, and a vector). */
#include <sodium.h>

#include "ballot.h"
#include "check.h"
#include "fixture.h"
#include "util.h"

/* Fixture: ballot 0 "city" knapsack, budget 50,000,000 cents, projects 0 (40M), 1 (25M),
 * 2 (0.5M); ballots 1 "nord" (projects 3, 4) and 2 "sud" (5, 6): approval, max 2. */

static void test_approval(void)
{
    struct election el;
    fixture_election(&el);
    struct ballot b;
    ballot_init(&b, 1);
    struct ballot_status st;
    struct err e;
    CHECK_INT(ballot_check(&el, &b, &st, &e), 0);
    CHECK(st.blank && st.under_vote && st.complete);
    CHECK_INT(ballot_toggle(&el, &b, 5, NULL), BALLOT_NOT_ON_BALLOT);
    CHECK_INT(ballot_toggle(&el, &b, 99, NULL), BALLOT_NOT_ON_BALLOT);
    CHECK_INT(ballot_toggle(&el, &b, 4, NULL), BALLOT_OK);
    CHECK_INT(ballot_toggle(&el, &b, 3, NULL), BALLOT_OK);
    CHECK_INT(b.nentries, 2);
    CHECK_INT(b.entries[0].project, 3); /* ascending whatever the click order */
    CHECK_INT(b.entries[1].project, 4);
    CHECK(ballot_has(&b, 4) && ballot_value(&b, 4) == 1 && ballot_value(&b, 5) == 0);
    CHECK_INT(ballot_check(&el, &b, &st, &e), 0);
    CHECK(!st.under_vote && !st.blank && st.chosen == 2);
    el.ballots[1].rule.max = 1;
    CHECK_INT(ballot_check(&el, &b, &st, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "at most 1");
    CHECK(!st.complete);
    CHECK_INT(ballot_toggle(&el, &b, 4, NULL), BALLOT_OK); /* removes */
    CHECK_INT(ballot_can_add(&el, &b, 4, NULL), BALLOT_TOO_MANY);
    CHECK_INT(ballot_toggle(&el, &b, 4, NULL), BALLOT_TOO_MANY);
    CHECK_INT(b.nentries, 1);
    el.ballots[1].rule.max = 2;
    el.ballots[1].rule.min = 2;
    CHECK_INT(ballot_check(&el, &b, &st, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "at least 2");
    CHECK_INT(ballot_remove_point(&el, &b, 3), BALLOT_OK);
    CHECK_INT(ballot_remove_point(&el, &b, 3), BALLOT_NOTHING_TO_REMOVE);
    /* Malformed shapes are refused by the check. */
    el.ballots[1].rule.min = 0;
    b.nentries = 2;
    b.entries[0] = (struct ballot_entry){4, 1};
    b.entries[1] = (struct ballot_entry){3, 1};
    CHECK_INT(ballot_check(&el, &b, NULL, &e), ERR_INVALID);
    b.entries[0] = (struct ballot_entry){3, 2};
    b.entries[1] = (struct ballot_entry){4, 1};
    CHECK_INT(ballot_check(&el, &b, NULL, &e), ERR_INVALID);
    b.entries[0] = (struct ballot_entry){3, 1};
    b.entries[1] = (struct ballot_entry){3, 1};
    CHECK_INT(ballot_check(&el, &b, NULL, &e), ERR_INVALID);
    b.def = 7;
    CHECK_INT(ballot_check(&el, &b, NULL, &e), ERR_INVALID);
    election_free(&el);
}

static void test_knapsack(void)
{
    struct election el;
    fixture_election(&el);
    struct ballot b;
    ballot_init(&b, 0);
    struct ballot_status st;
    struct err e;
    int64_t short_by = 0;
    CHECK_INT(ballot_toggle(&el, &b, 0, &short_by), BALLOT_OK);
    CHECK_INT(ballot_can_add(&el, &b, 1, &short_by), BALLOT_OVER_BUDGET);
    CHECK_INT(short_by, 15000000);
    CHECK_INT(ballot_toggle(&el, &b, 1, &short_by), BALLOT_OVER_BUDGET);
    CHECK_INT(ballot_toggle(&el, &b, 2, NULL), BALLOT_OK);
    CHECK_INT(ballot_check(&el, &b, &st, &e), 0);
    CHECK_INT(st.spent, 40500000);
    CHECK_INT(st.left, 9500000);
    CHECK(!st.under_vote); /* p2 does not fit any more */
    CHECK_INT(ballot_toggle(&el, &b, 0, NULL), BALLOT_OK);
    CHECK_INT(ballot_check(&el, &b, &st, &e), 0);
    CHECK(st.under_vote);
    el.ballots[0].rule.min_share_permille = 500;
    CHECK_INT(ballot_check(&el, &b, &st, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "per mille");
    /* Over budget built by hand. */
    el.ballots[0].rule.min_share_permille = 0;
    b.nentries = 2;
    b.entries[0] = (struct ballot_entry){0, 1};
    b.entries[1] = (struct ballot_entry){1, 1};
    CHECK_INT(ballot_check(&el, &b, &st, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "budget");
    election_free(&el);
}

static void test_cumulative(void)
{
    struct election el;
    fixture_election(&el);
    el.ballots[0].rule = (struct rule){.kind = RULE_CUMULATIVE, .points = 3, .max_per_project = 2};
    struct ballot b;
    ballot_init(&b, 0);
    struct ballot_status st;
    struct err e;
    CHECK_INT(ballot_add_point(&el, &b, 1), BALLOT_OK);
    CHECK_INT(ballot_add_point(&el, &b, 1), BALLOT_OK);
    CHECK_INT(ballot_add_point(&el, &b, 1), BALLOT_PROJECT_MAX);
    CHECK_INT(ballot_add_point(&el, &b, 0), BALLOT_OK);
    CHECK_INT(ballot_add_point(&el, &b, 2), BALLOT_NO_POINTS_LEFT);
    CHECK_INT(ballot_value(&b, 1), 2);
    CHECK_INT(b.entries[0].project, 0);
    CHECK_INT(ballot_check(&el, &b, &st, &e), 0);
    CHECK_INT(st.points_used, 3);
    CHECK_INT(st.points_left, 0);
    CHECK(!st.under_vote);
    CHECK_INT(ballot_remove_point(&el, &b, 1), BALLOT_OK);
    CHECK_INT(ballot_value(&b, 1), 1);
    CHECK_INT(ballot_remove_point(&el, &b, 1), BALLOT_OK);
    CHECK(!ballot_has(&b, 1));
    CHECK_INT(ballot_remove_point(&el, &b, 1), BALLOT_NOTHING_TO_REMOVE);
    CHECK_INT(ballot_check(&el, &b, &st, &e), 0);
    CHECK(st.under_vote && st.points_left == 2);
    /* Toggle: one point on a project without points, all points off one that has some. */
    CHECK_INT(ballot_toggle(&el, &b, 2, NULL), BALLOT_OK);
    CHECK_INT(ballot_value(&b, 2), 1);
    CHECK_INT(ballot_add_point(&el, &b, 2), BALLOT_OK);
    CHECK_INT(ballot_value(&b, 2), 2);
    CHECK_INT(ballot_toggle(&el, &b, 2, NULL), BALLOT_OK);
    CHECK(!ballot_has(&b, 2));
    b.entries[0].value = 3;
    CHECK_INT(ballot_check(&el, &b, &st, &e), ERR_INVALID);
    b.entries[0].value = 0;
    CHECK_INT(ballot_check(&el, &b, &st, &e), ERR_INVALID);
    election_free(&el);
}

static void test_ranking(void)
{
    struct election el;
    fixture_election(&el);
    el.ballots[0].rule = (struct rule){.kind = RULE_RANKING, .min = 1, .max = 2};
    struct ballot b;
    ballot_init(&b, 0);
    struct err e;
    CHECK_INT(ballot_check(&el, &b, NULL, &e), ERR_INVALID); /* min 1 */
    CHECK_INT(ballot_rank_append(&el, &b, 2), BALLOT_OK);
    CHECK_INT(ballot_rank_append(&el, &b, 0), BALLOT_OK);
    CHECK_INT(ballot_rank_append(&el, &b, 1), BALLOT_TOO_MANY);
    CHECK_INT(ballot_rank_append(&el, &b, 5), BALLOT_NOT_ON_BALLOT);
    CHECK_INT(b.entries[0].project, 2);
    CHECK_INT(ballot_value(&b, 0), 2);
    /* re-ranking is a removal (later ranks move up) then an append */
    CHECK_INT(ballot_rank_remove(&el, &b, 2), BALLOT_OK);
    CHECK_INT(ballot_value(&b, 0), 1);
    CHECK_INT(ballot_rank_append(&el, &b, 2), BALLOT_OK);
    CHECK_INT(b.entries[0].project, 0);
    CHECK_INT(ballot_value(&b, 0), 1);
    CHECK_INT(ballot_value(&b, 2), 2);
    CHECK_INT(ballot_rank_remove(&el, &b, 1), BALLOT_NOTHING_TO_REMOVE);
    CHECK_INT(ballot_check(&el, &b, NULL, &e), 0);
    CHECK_INT(ballot_rank_remove(&el, &b, 0), BALLOT_OK);
    CHECK_INT(b.nentries, 1);
    CHECK_INT(ballot_value(&b, 2), 1);
    CHECK_INT(ballot_rank_remove(&el, &b, 0), BALLOT_NOTHING_TO_REMOVE);
    CHECK_INT(ballot_toggle(&el, &b, 1, NULL), BALLOT_OK); /* appends */
    CHECK_INT(ballot_value(&b, 1), 2);
    CHECK_INT(ballot_toggle(&el, &b, 2, NULL), BALLOT_OK); /* removes, 1 moves up */
    CHECK_INT(ballot_value(&b, 1), 1);
    b.entries[0].value = 2;
    CHECK_INT(ballot_check(&el, &b, NULL, &e), ERR_INVALID);
    election_free(&el);
}

static void sample_vote(struct vote *v)
{
    vote_init(v);
    v->nballots = 2;
    ballot_init(&v->ballots[0], 2); /* sud first: the encoding sorts */
    v->ballots[0].nentries = 1;
    v->ballots[0].entries[0] = (struct ballot_entry){6, 1};
    ballot_init(&v->ballots[1], 0);
    v->ballots[1].nentries = 2;
    v->ballots[1].entries[0] = (struct ballot_entry){0, 1};
    v->ballots[1].entries[1] = (struct ballot_entry){2, 1};
}

static void test_encoding(void)
{
    struct election el;
    fixture_election(&el);
    /* label 16 + version 2 + count 4; city 8+3*8; one district 8+2*8. */
    CHECK_INT(vote_padded_len(&el), 22 + 32 + 24);
    static struct vote v, w, x;
    sample_vote(&v);
    struct buf b;
    buf_init(&b);
    struct err e;
    CHECK_INT(vote_encode(&el, &v, &b, &e), 0);
    CHECK_INT(b.len, vote_padded_len(&el));
    char hex[2 * 78 + 1];
    hex_encode(hex, b.data, b.len < 78 ? b.len : 78);
    /* Vector (docs/journal.md): written out by hand from the format. */
    CHECK_STR(hex, "0000000c69736f6c6f69722f766f7465"
                   "0001"
                   "00000002"
                   "00000000"
                   "00000002"
                   "0000000000000001"
                   "0000000200000001"
                   "00000002"
                   "00000001"
                   "0000000600000001"
                   "00000000000000000000000000000000");
    CHECK_INT(vote_decode(&el, b.data, b.len, &w, &e), 0);
    CHECK_INT(w.nballots, 2);
    CHECK_INT(w.ballots[0].def, 0);
    CHECK_INT(w.ballots[1].entries[0].project, 6);
    /* Re-encoding the decoded vote gives the same bytes. */
    struct buf b2;
    buf_init(&b2);
    CHECK_INT(vote_encode(&el, &w, &b2, &e), 0);
    CHECK(b2.len == b.len && memcmp(b.data, b2.data, b.len) == 0);
    buf_free(&b2);
    /* Strictness: any non-zero padding byte, wrong length, bad label, bad version. */
    b.data[b.len - 1] = 1;
    CHECK_INT(vote_decode(&el, b.data, b.len, &x, &e), ERR_FORMAT);
    b.data[b.len - 1] = 0;
    CHECK_INT(vote_decode(&el, b.data, b.len - 1, &x, &e), ERR_FORMAT);
    b.data[5] ^= 1;
    CHECK_INT(vote_decode(&el, b.data, b.len, &x, &e), ERR_FORMAT);
    b.data[5] ^= 1;
    b.data[17] = 2;
    CHECK_INT(vote_decode(&el, b.data, b.len, &x, &e), ERR_VERSION);
    b.data[17] = 1;
    /* Breaking a rule inside valid framing: both p1 and p2 (over budget). */
    b.data[22 + 8 + 8 + 3] = 1;
    CHECK_INT(vote_decode(&el, b.data, b.len, &x, &e), ERR_INVALID);
    /* Every single-byte change of the meaningful part is refused or decodes to a different
     * valid vote that re-encodes to exactly those bytes. */
    b.data[22 + 8 + 8 + 3] = 2;
    CHECK_INT(vote_decode(&el, b.data, b.len, &x, &e), 0);
    for (size_t i = 0; i < b.len; i++)
        for (int bit = 0; bit < 8; bit++) {
            b.data[i] ^= (uint8_t)(1u << bit);
            if (vote_decode(&el, b.data, b.len, &x, &e) == 0) {
                struct buf b3;
                buf_init(&b3);
                CHECK_INT(vote_encode(&el, &x, &b3, &e), 0);
                CHECK(b3.len == b.len && memcmp(b3.data, b.data, b.len) == 0);
                buf_free(&b3);
            }
            b.data[i] ^= (uint8_t)(1u << bit);
        }
    buf_free(&b);
    election_free(&el);
}

static void test_vote_refusals(void)
{
    struct election el;
    fixture_election(&el);
    static struct vote v;
    struct buf b;
    buf_init(&b);
    struct err e;
    vote_init(&v);
    CHECK_INT(vote_encode(&el, &v, &b, &e), ERR_INVALID); /* empty */
    v.nballots = 2;
    ballot_init(&v.ballots[0], 1);
    ballot_init(&v.ballots[1], 2);
    CHECK_INT(vote_encode(&el, &v, &b, &e), ERR_INVALID); /* two districts */
    CHECK_HAS(e.msg, "two districts");
    ballot_init(&v.ballots[1], 1);
    CHECK_INT(vote_encode(&el, &v, &b, &e), ERR_INVALID); /* twice */
    v.nballots = VOTE_MAX_BALLOTS + 1;
    CHECK_INT(vote_encode(&el, &v, &b, &e), ERR_INVALID);
    CHECK_INT(b.len, 0);
    /* Blank citywide ballot alone is a valid vote. */
    v.nballots = 1;
    ballot_init(&v.ballots[0], 0);
    CHECK_INT(vote_encode(&el, &v, &b, &e), 0);
    vote_wipe(&v);
    CHECK_INT(v.nballots, 0);
    buf_free(&b);
    election_free(&el);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_approval);
    RUN(test_knapsack);
    RUN(test_cumulative);
    RUN(test_ranking);
    RUN(test_encoding);
    RUN(test_vote_refusals);
    return check_done();
}
