/*
 * timecheck — what the tally says about a kiosk's clock (docs/tally.md, "Time notes").
 *
 * Ballot rows carry no time; the other rows carry the kiosk's wall-clock time (genesis,
 * open, pause, resume, close, events). The tally cannot know the true time, but it can say
 * when the recorded times do not fit the election: polls rows (open, pause, resume, close)
 * more than a day outside the package's voting period, event rows (package installed,
 * exports...) more than 30 days outside it, a time earlier than the row
 * before it by more than a minute (the clock went backwards), and polls open for longer than
 * the voting period plus two days. These are notes for the tally team and the report, not
 * problems: a wrong clock does not make a signed ballot false. A clock-confirmed event
 * (JEVENT_CLOCK_CONFIRMED) is named in the note. The genesis time is not checked: the
 * journal is made when the package is installed, possibly before the clock was set.
 *
 * Feed every timed row of one journal, in order, then read the notes. No I/O, no allocation.
 */
#ifndef ISOLOIR_TALLY_TIMECHECK_H
#define ISOLOIR_TALLY_TIMECHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "election.h"

#define TIMECHECK_DAY         86400
#define TIMECHECK_POLLS_SLACK TIMECHECK_DAY        /* open/pause/resume/close */
#define TIMECHECK_SETUP_SLACK (30 * TIMECHECK_DAY) /* events */
#define TIMECHECK_BACKWARDS   60                   /* seconds a clock may step back */
#define TIMECHECK_NOTE_MAX    400
#define TIMECHECK_NOTES       3

struct timecheck {
    int64_t start, end; /* the package's voting period */
    bool have_prev;
    int64_t prev_t;
    uint64_t prev_seq;
    unsigned outside, backwards;
    uint64_t outside_seq, back_seq, back_prev_seq, confirmed_seq;
    int outside_kind, back_kind;
    int64_t outside_t, back_t, back_prev_t;
    int64_t opened, closed; /* 0 when absent */
};

void timecheck_init(struct timecheck *c, const struct election *el);
/* One timed row (kind: enum journal_kind; code: the event code, 0 for other kinds). */
void timecheck_row(struct timecheck *c, uint64_t seq, int kind, int64_t t, uint16_t code);
/* Writes up to TIMECHECK_NOTES notes (each one line of text, no newline) for the kiosk named
 * `kiosk`; returns how many. */
size_t timecheck_notes(const struct timecheck *c, const char *kiosk,
                       char notes[TIMECHECK_NOTES][TIMECHECK_NOTE_MAX]);

#endif
