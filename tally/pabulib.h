/*
 * pabulib — reads and writes participatory-budgeting elections in the pabulib format
 * (Participatory Budgeting Library, pabulib.org): UTF-8, `;`-separated with CSV quoting,
 * sections META, PROJECTS and VOTES. Costs and budgets may have up to two decimals; they
 * become cents. A malformed file is refused with its line number; nothing is guessed.
 *
 * What real files carry besides ballots is kept for the caller to check (struct profile):
 * num_votes, num_projects, min_project_score_threshold, comment, the votes column, and the
 * published outcome (`selected` 0 to 3). A ballot naming a project twice counts it once (the
 * first mention; for rankings its first place); such ballots are counted in `ndup` with the
 * first one's line.
 *
 * Supported vote types: approval and choose-1 (as approval), cumulative (with a `points`
 * column), ordinal (rankings, best first). Others (e.g. scoring) are refused by name.
 */
#ifndef ISOLOIR_TALLY_PABULIB_H
#define ISOLOIR_TALLY_PABULIB_H

#include <stdio.h>

#include "count.h"

#define PABULIB_MAX_BYTES (512u * 1024 * 1024)

int pabulib_parse(const uint8_t *data, size_t len, const char *name, struct profile *out,
                  struct err *e);
int pabulib_read(const char *path, struct profile *out, struct err *e);

/* Writes a profile as a .pb file (open data): META (description, budget, vote type, rule),
 * PROJECTS (id, cost, votes, name, selected from `o` if given) and VOTES (voter ids are
 * sequence numbers 1..n: they carry no information). */
int pabulib_write(FILE *f, const struct profile *p, const struct outcome *o,
                  const char *description, struct err *e);

#endif
