/* fixture — a small, complete election built in memory for unit tests: two languages plus
 * English, two districts, a citywide knapsack ballot and one approval ballot per district,
 * keys derived from fixed seeds so that everything signed from it is reproducible. */
#ifndef ISOLOIR_TEST_FIXTURE_H
#define ISOLOIR_TEST_FIXTURE_H

#include "election.h"
#include "key.h"
#include "officials.h"

/* The officials of the fixture, in every kiosk's sealed list (core/officials.h): two
 * officials, one with the longest PIN, and a supervisor. Their verifiers use the cheapest
 * Argon2id cost (1 pass, 8 KiB) so that tests stay fast; a real package uses 64 MiB. */
#define FIXTURE_OFFICIAL_NAME   "Anne Martin"
#define FIXTURE_OFFICIAL_PIN    "482915"
#define FIXTURE_OFFICIAL2_NAME  "Bram Peeters"
#define FIXTURE_OFFICIAL2_PIN   "1234567890123456"
#define FIXTURE_SUPERVISOR_NAME "Chlo\xC3\xA9 Dubois"
#define FIXTURE_SUPERVISOR_PIN  "77031964"

/* Fills el (election_init'ed by the call). Pictures: a 4x2 gradient on the first project.
 * Each kiosk's officials' list is sealed with an ephemeral key from seed byte 0x10 + kiosk
 * index and the salt of 16 bytes 0x05, so the package is reproducible byte for byte. */
void fixture_election(struct election *el);
/* The fixture's officials' list for kiosk_pk (not sealed): what fixture_election seals. */
void fixture_officials(struct officials *o, const uint8_t kiosk_pk[32]);
/* Deterministic keys: seed byte `n` repeated. */
struct secret_key *fixture_key(enum key_kind kind, uint8_t n);

#endif
