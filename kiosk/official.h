/*
 * official — the officials' credential: PIN checks with growing delays and a lockout that
 * survives reboots and power cuts. No screens here: the kiosk draws the keypad and calls this.
 *
 * Rules (docs/operations.md tells officials the same):
 *   - each official has their own PIN (6 to 16 digits), checked against this kiosk's list of
 *     officials (core/officials.h): the package seals it to the kiosk's key, so only this
 *     kiosk, holding its secret key, can check a PIN at all. A right PIN names the official;
 *   - the first OFFICIAL_FREE_TRIES consecutive wrong PINs cost nothing; after that, each
 *     wrong PIN makes the keypad wait, OFFICIAL_FIRST_DELAY seconds and twice as long each
 *     time (30 s, 60 s, 120 s, 240 s); a PIN typed while waiting is not checked;
 *   - after OFFICIAL_LOCK_AFTER consecutive wrong PINs the keypad is locked for officials:
 *     only a supervisor's PIN or a different package (another package hash) lifts it. A right
 *     PIN resets the count;
 *   - while not locked, any official's PIN opens the menu, a supervisor's included; while
 *     locked, only a supervisor's, throttled the same way (own count, same delays, capped at
 *     OFFICIAL_MAX_DELAY) but never locked, so a lockout can always be lifted.
 *
 * Persistence: a small text state file (docs/operations.md, "PIN state file") written with
 * util_write_durable. Before a PIN is checked, the attempt is recorded as a failure on disk,
 * so cutting the power during the (slow) check costs the attacker an attempt; a right PIN
 * then clears it. The file names the package hash it belongs to; a file for another package
 * is ignored (fresh count). A damaged file (bad checksum or syntax) is read as "locked": the
 * supervisor PIN lifts it.
 *
 * Time comes from an injectable clock so tests never sleep. If the clock goes backwards
 * (a reset real-time clock), the current wait starts again from the new time; it never ends
 * early.
 *
 * Never stores, logs or copies a PIN.
 */
#ifndef ISOLOIR_KIOSK_OFFICIAL_H
#define ISOLOIR_KIOSK_OFFICIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "election.h"
#include "err.h"
#include "officials.h"

#define OFFICIAL_FREE_TRIES  3
#define OFFICIAL_LOCK_AFTER  8
#define OFFICIAL_FIRST_DELAY 30   /* seconds */
#define OFFICIAL_MAX_DELAY   3600 /* seconds, cap for supervisor delays */

/* Unix seconds. NULL `now` means the system clock (time()). */
struct official_clock {
    int64_t (*now)(void *ctx);
    void *ctx;
};

struct official;

enum official_who { OFFICIAL_PIN = 0, OFFICIAL_SUPERVISOR = 1 };

struct official_result {
    bool ok;              /* the PIN was checked and is right */
    int who;              /* ok: the official's index in the list (official_name); else -1 */
    bool checked;         /* the PIN was checked (false while waiting or locked) */
    bool locked;          /* the official PIN is locked (after this attempt) */
    bool damaged;         /* the state file was unreadable and was taken as a lockout */
    int64_t wait_seconds; /* > 0: the next PIN of this kind is not checked before then */
    unsigned failures;    /* consecutive wrong PINs of this kind so far */
    unsigned tries_left;  /* official PIN: wrong PINs still allowed before the lockout */
};

/* The seconds to wait after `failures` consecutive wrong PINs (0 for the first ones). */
int64_t official_delay(unsigned failures);

/* Opens the credential state for this package: reads state_path if it exists and belongs to
 * package_hash. `list` is this kiosk's opened list of officials (package_open_officials); it
 * must outlive the handle; NULL means there is none (every PIN is then refused with
 * ERR_INVALID). clock may be NULL. Errors: ERR_USAGE (NULL path or package hash), ERR_NOMEM,
 * ERR_IO (the file exists but cannot be read). */
int official_open(const char *state_path, const struct officials *list,
                  const uint8_t package_hash[HASH_LEN], const struct official_clock *clock,
                  struct official **out, struct err *e);

/* The name of official `who` (an index from a result), or "" for -1 or an unknown index. */
const char *official_name(const struct official *o, int who);

/* The current state for the official PIN (who = OFFICIAL_PIN) or the supervisor PIN, without
 * an attempt: for the keypad's countdown and the "locked" screen. out->ok and out->checked
 * are false. */
void official_status(const struct official *o, enum official_who who, struct official_result *out);

/* Checks a PIN against every official's (any role). While waiting or locked the PIN is not
 * checked (checked = false). One Argon2id derivation whatever the number of officials.
 * Returns 0 with *out filled. If the state file cannot be written, the count still applies in
 * memory: *out is filled and valid all the same, and the return is the write's error (ERR_IO,
 * ERR_FULL, ERR_PERM or ERR_NOTFOUND) with e saying so (the kiosk shows a warning and acts on
 * *out). ERR_INVALID (and ok = false):
 * there is no list of officials. ERR_NOMEM when the derivation could not get its memory: the
 * attempt is then not counted. */
int official_try(struct official *o, const char *pin, struct official_result *out, struct err *e);

/* Checks a supervisor's PIN (officials of the supervisor role only); if right, clears the
 * lockout and both counts (out->ok: the kiosk may open the official menu). Same return rules as
 * official_try; supervisor attempts wait after too many failures but are never locked. */
int official_supervisor_unlock(struct official *o, const char *pin, struct official_result *out,
                               struct err *e);

/* The sentence the PIN keypad shows for a result, in `lang` (fr, nl, en), into out (always
 * NUL-terminated; 200 bytes are enough). `who` is the PIN that was typed. The same words as
 * docs/operations*.md, section 9. */
void official_message(const struct official_result *r, enum official_who who, enum lang lang,
                      char *out, size_t size);

void official_close(struct official *o);

#endif
