/* fixture — a small, complete election built in memory for unit tests: two languages plus
 * English, two districts, a citywide knapsack ballot and one approval ballot per district,
 * keys derived from fixed seeds so that everything signed from it is reproducible. */
#ifndef ISOLOIR_TEST_FIXTURE_H
#define ISOLOIR_TEST_FIXTURE_H

#include "election.h"
#include "key.h"

/* Fills el (election_init'ed by the call). Pictures: a 4x2 gradient on the first project. */
void fixture_election(struct election *el);
/* Deterministic keys: seed byte `n` repeated. */
struct secret_key *fixture_key(enum key_kind kind, uint8_t n);

#endif
