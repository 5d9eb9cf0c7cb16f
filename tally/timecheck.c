/* timecheck — notes on a kiosk's recorded times; see timecheck.h. */
#include "timecheck.h"

#include <stdio.h>
#include <time.h>

#include "journal.h"

static void utc(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "%lld", (long long)t);
}

void timecheck_init(struct timecheck *c, const struct election *el)
{
    *c = (struct timecheck){.start = el->voting_start, .end = el->voting_end};
}

static bool polls_kind(int kind)
{
    return kind == JROW_OPEN || kind == JROW_PAUSE || kind == JROW_RESUME || kind == JROW_CLOSE;
}

void timecheck_row(struct timecheck *c, uint64_t seq, int kind, int64_t t, uint16_t code)
{
    if (kind == JROW_GENESIS)
        return; /* made when the package was installed, maybe before the clock was set */
    int64_t slack = polls_kind(kind) ? TIMECHECK_POLLS_SLACK : TIMECHECK_SETUP_SLACK;
    if ((t < c->start && c->start - t > slack) || (t > c->end && t - c->end > slack)) {
        if (c->outside++ == 0) {
            c->outside_seq = seq;
            c->outside_kind = kind;
            c->outside_t = t;
        }
    }
    if (c->have_prev && t < c->prev_t && c->prev_t - t > TIMECHECK_BACKWARDS) {
        if (c->backwards++ == 0) {
            c->back_seq = seq;
            c->back_kind = kind;
            c->back_t = t;
            c->back_prev_seq = c->prev_seq;
            c->back_prev_t = c->prev_t;
        }
    }
    c->have_prev = true;
    c->prev_t = t;
    c->prev_seq = seq;
    if (kind == JROW_OPEN)
        c->opened = t;
    if (kind == JROW_CLOSE)
        c->closed = t;
    if (kind == JROW_EVENT && code == JEVENT_CLOCK_CONFIRMED && !c->confirmed_seq)
        c->confirmed_seq = seq;
}

size_t timecheck_notes(const struct timecheck *c, const char *kiosk,
                       char notes[TIMECHECK_NOTES][TIMECHECK_NOTE_MAX])
{
    size_t n = 0;
    char a[32], b[32], confirmed[96] = "";
    if (c->confirmed_seq)
        snprintf(confirmed, sizeof confirmed,
                 "; an official confirmed the kiosk clock at polls opening (row %llu)",
                 (unsigned long long)c->confirmed_seq);
    if (c->outside) {
        char s[32], t[32];
        utc(s, c->start);
        utc(t, c->end);
        utc(a, c->outside_t);
        snprintf(notes[n++], TIMECHECK_NOTE_MAX,
                 "kiosk %s: %u row%s dated outside the voting period %s to %s (first: row %llu, "
                 "%s at %s): the kiosk clock was wrong%s",
                 kiosk, c->outside, c->outside == 1 ? "" : "s", s, t,
                 (unsigned long long)c->outside_seq, journal_kind_name(c->outside_kind), a,
                 confirmed);
    }
    if (c->backwards) {
        utc(a, c->back_t);
        utc(b, c->back_prev_t);
        snprintf(notes[n++], TIMECHECK_NOTE_MAX,
                 "kiosk %s: the kiosk clock went backwards %u time%s (first: row %llu, %s at %s, "
                 "after row %llu at %s)",
                 kiosk, c->backwards, c->backwards == 1 ? "" : "s", (unsigned long long)c->back_seq,
                 journal_kind_name(c->back_kind), a, (unsigned long long)c->back_prev_seq, b);
    }
    if (c->opened && c->closed && c->closed - c->opened > c->end - c->start + 2 * TIMECHECK_DAY) {
        utc(a, c->opened);
        utc(b, c->closed);
        snprintf(notes[n++], TIMECHECK_NOTE_MAX,
                 "kiosk %s: polls were open from %s to %s, longer than the voting period: the "
                 "kiosk clock was wrong%s",
                 kiosk, a, b, confirmed);
    }
    return n;
}
