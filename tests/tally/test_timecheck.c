/* The tally's notes on kiosk clocks (tally/timecheck.c) on rows made up for each rule: inside
 * the voting period nothing is said; polls rows more than a day outside it, event rows more
 * than 30 days outside it, a clock stepping back more than a minute, and polls open longer
 * than the period are each named once with the first row; the genesis time is ignored. */
#include "check.h"
#include "journal.h"
#include "timecheck.h"
#include "util.h"

#define DAY 86400

static const int64_t S = 1796025600, E = 1796025600 + 12 * DAY;

static size_t run(const int64_t (*rows)[3], size_t n,
                  char notes[TIMECHECK_NOTES][TIMECHECK_NOTE_MAX])
{
    struct election el = {.voting_start = S, .voting_end = E};
    struct timecheck c;
    timecheck_init(&c, &el);
    for (size_t i = 0; i < n; i++)
        timecheck_row(&c, (uint64_t)(i + 1), (int)rows[i][0], rows[i][1], (uint16_t)rows[i][2]);
    return timecheck_notes(&c, "k1", notes);
}

static void test_inside(void)
{
    char notes[TIMECHECK_NOTES][TIMECHECK_NOTE_MAX];
    static const int64_t rows[][3] = {
        {JROW_GENESIS, S - 400 * DAY, 0}, /* ignored: the clock may not be set yet */
        {JROW_EVENT, S - 29 * DAY, JEVENT_PACKAGE_INSTALLED},
        {JROW_OPEN, S - DAY + 1, 0},
        {JROW_PAUSE, S + 3600, 0},
        {JROW_RESUME, S + 3600 - 59, 0}, /* a small step back (time sync) */
        {JROW_CLOSE, E + DAY, 0},
        {JROW_EVENT, E + 29 * DAY, JEVENT_EXPORT},
    };
    CHECK_INT(run(rows, ARRAY_LEN(rows), notes), 0);
}

static void test_each_rule(void)
{
    char notes[TIMECHECK_NOTES][TIMECHECK_NOTE_MAX];
    static const int64_t outside[][3] = {
        {JROW_GENESIS, S, 0},
        {JROW_OPEN, S - DAY - 1, 0}, /* just over a day early */
        {JROW_CLOSE, S + 3600, 0},
        {JROW_EVENT, E + 31 * DAY, JEVENT_EXPORT},
    };
    CHECK_INT(run(outside, ARRAY_LEN(outside), notes), 1);
    CHECK_HAS(notes[0], "kiosk k1: 2 rows dated outside the voting period");
    CHECK_HAS(notes[0], "(first: row 2, open at 2026-11-29T07:59:59Z)");
    static const int64_t back[][3] = {
        {JROW_OPEN, S + 7200, 0},
        {JROW_PAUSE, S + 9000, 0},
        {JROW_RESUME, S + 9000 - 61, 0},
        {JROW_CLOSE, S + 3600, 0},
    };
    CHECK_INT(run(back, ARRAY_LEN(back), notes), 1);
    CHECK_HAS(notes[0], "went backwards 2 times (first: row 3, resume at");
    CHECK_HAS(notes[0], "after row 2 at");
    static const int64_t longer[][3] = {
        {JROW_OPEN, S - DAY + 10, 0},
        {JROW_EVENT, S, JEVENT_CLOCK_CONFIRMED},
        {JROW_CLOSE, E + DAY - 10 + 2 * DAY, 0},
    };
    CHECK_INT(run(longer, ARRAY_LEN(longer), notes), 2);
    CHECK_HAS(notes[0], "outside the voting period");
    CHECK_HAS(notes[1], "longer than the voting period");
    CHECK_HAS(notes[1], "an official confirmed the kiosk clock at polls opening (row 2)");
}

int main(void)
{
    RUN(test_inside);
    RUN(test_each_rule);
    return check_done();
}
