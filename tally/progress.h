/*
 * progress — a one-line progress bar on standard error for long tally jobs (import, count).
 *
 * It draws only when standard error is a terminal and the job has at least PROGRESS_MIN
 * steps; otherwise every call does nothing, so logs, pipes and tests stay clean. It redraws
 * at most ten times a second and erases itself when done. All state is in the struct the
 * caller owns.
 */
#ifndef ISOLOIR_TALLY_PROGRESS_H
#define ISOLOIR_TALLY_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_MIN 20000

struct progress {
    bool on;
    FILE *f;
    const char *label;
    uint64_t total, done;
    double last, start; /* seconds, monotonic clock */
};

/* Starts a bar for `total` steps named `label` (kept by pointer). Silent unless f is a
 * terminal and total >= PROGRESS_MIN. */
void progress_start(struct progress *p, FILE *f, const char *label, uint64_t total);
/* Adds n steps done; redraws when a tenth of a second has passed. */
void progress_step(struct progress *p, uint64_t n);
/* Erases the bar so a line of text can be printed; the next step draws it again. */
void progress_clear(struct progress *p);
/* Erases the bar for good. */
void progress_end(struct progress *p);

#endif
