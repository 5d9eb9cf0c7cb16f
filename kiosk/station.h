/*
 * station — the officials' side of a kiosk, in one place: the journal it writes, the officials'
 * credential (PIN state), the polls changes and their reports, voter cards, the export to a
 * USB stick, and installing another package (with the journal's archiving). The screens call
 * it through struct app_officials (kiosk/app.h); it draws nothing and needs no SDL, so its
 * tests drive it directly (tests/kiosk/test_station.c).
 *
 * Files beside the journal FILE (docs/kiosk.md): FILE.official (PIN state, kiosk/official.h),
 * FILE.reports/ (every polls report, kiosk/polls_report.h, exported with the journal), and
 * <journal dir>/archive/ (journals replaced by an install; never deleted).
 *
 * Every function that answers an official writes a sentence in their language into `out`
 * (always NUL-terminated). Nothing here logs or keeps a vote, a PIN or a voter-card code.
 */
#ifndef ISOLOIR_KIOSK_STATION_H
#define ISOLOIR_KIOSK_STATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballot.h"
#include "crypto.h"
#include "election.h"
#include "err.h"
#include "key.h"
#include "official.h"
#include "session.h"

struct station_config {
    const char *journal_path; /* the journal; FILE.official and FILE.reports/ go beside it */
    const char *package_path; /* the installed package (an install stages PACKAGE.new) */
    const struct election *el;
    const uint8_t *package_hash; /* HASH_LEN bytes */
    const struct secret_key *kiosk_key;
    const uint8_t *authority_pk; /* SIGN_PK_LEN bytes: packages from a stick must verify */
    unsigned package_flags;      /* PACKAGE_ALLOW_DEMO in demo mode */
    const char *usb_root;        /* where sticks are mounted (NULL: MOUNTS_ROOT_DEFAULT) */
    const char *mountinfo_path;  /* NULL: /proc/self/mountinfo */
    const char *export_dir;      /* demo and tests: a plain directory instead of a stick */
    bool libusb;                 /* follow stick arrivals with libusb hotplug */
    struct official_clock clock; /* Unix seconds for rows and PIN waits; now NULL: time() */
    struct printer *printer;     /* reports on paper (hw/printer), or NULL; owned by the caller */
    bool printer_sync;           /* scripts: wait for each document to be printed */
};

struct station;
struct printer;

/* A staged PACKAGE.new and no journal: an install was cut off after the journal was archived;
 * renames it over the package. Called before the package is opened. 0 if nothing to do. */
int station_finish_install(const char *package_path, const char *journal_path, struct err *e);

/* Opens (or creates) the journal, this kiosk's officials (package_open_officials: refused
 * when the package holds none this kiosk's key opens) and the PIN state. Everything in cfg must
 * outlive the station. Refuses (ERR_STATE, saying what to do) when another process holds the
 * journal (FILE.lock), and when the journal is empty, or missing while the kiosk's records of an
 * earlier vote (FILE.official, FILE.reports/, FILE.cast, FILE.enables) are beside it. Other
 * errors are those of journal_open and official_open; a libusb failure is not one (it is
 * printed, and sticks are then found by their mount alone). */
int station_open(const struct station_config *cfg, struct station **out, struct err *e);

/* Closes everything. If a package was installed (station_installed), then moves the journal
 * and what belongs to it to the archive and puts the new package in place: returns that
 * step's error. NULL is allowed. */
int station_close(struct station *st, struct err *e);

/* This kiosk's mode, from the package. */
enum eligibility station_eligibility(const struct station *st);

/* 1 if the PIN opens the officials' menu (any official's PIN, or while the keypad is locked a
 * supervisor's PIN, which lifts the lockout), 0 if refused (out says why). The PIN names the
 * official (station_official). */
int station_pin(struct station *st, const char *pin, enum lang lang, char *out, size_t size);

/* The name of the official whose PIN last opened the menu ("" before any): the polls reports
 * name them. */
const char *station_official(const struct station *st);

/* Counts one enable of a voter (attended kiosks) in FILE.enables, durably; 0, or ERR_IO
 * (out says the voter is not enabled). The count goes on the status and the reports. */
int station_enable(struct station *st, enum lang lang, char *out, size_t size);
uint64_t station_enables(const struct station *st);

/* Polls state (0 not opened, 1 open, 2 paused, 3 closed) and, unless lines is NULL, the
 * status lines of the officials' screen. */
void station_status(struct station *st, enum lang lang, int *state, char lines[STATUS_LINES][128]);

/* Opens, pauses, resumes or closes the polls: a journal row, then the report into out, kept
 * in FILE.reports/ (never over an existing report). Closing with a stick in exports at once.
 * Opening or resuming while the clock is outside the election's voting period returns 1 with
 * the warning in out and changes nothing, unless `confirmed`: then an event row
 * (JEVENT_CLOCK_CONFIRMED) records that an official opened anyway. 0, or the journal's error
 * (out says it). */
int station_polls(struct station *st, enum polls_action a, bool confirmed, enum lang lang,
                  char *out, size_t size);

/* The journal event code of "opened with the clock outside the voting period" (journal.md). */

/* Checks a voter-card code: an enum token_status (0 valid, not spent here) with the card's
 * district and hash, or the sentence to show in out. */
int station_token(struct station *st, const char *input, enum lang lang, int32_t *district,
                  uint8_t hash[TOKEN_HASH_LEN], char *out, size_t size);

/* Writes an export bundle (journal snapshot and reports) to the stick, verifies it and adds
 * an export row. 0, or an error (out says why, in lang). */
int station_export(struct station *st, enum lang lang, char *out, size_t size);

/* A package from the stick: confirm false checks it and describes it (returns 1 if it may be
 * installed); confirm true stages it and records the install (returns 1: the kiosk must end
 * its loop; station_close finishes the install). */
/* "Reprint the last report": lays it out again for the attached printer, in lang, and starts
 * printing it; out says what happened (started, or what the printer reports). 1 if printing. */
int station_reprint(struct station *st, enum lang lang, char *out, size_t size);

/* Live loop, every frame: printer hotplug and the next bytes of a document (10 ms at most). */
void station_printer_tick(struct station *st);

/* Voter receipts (docs/printing.md): true when the package switches them on for this kiosk,
 * gives a publication address, and a printer is set up (attached or not). */
bool station_receipts(const struct station *st);

/* Prints the voter's receipt: the election's name in lang, the tracking code, the QR code and
 * text of the publication address; nothing else. Starts the job and returns at once (scripts,
 * with printer_sync: waits for its end); the station keeps no copy, so it can never be printed
 * again. Returns an enum receipt_state: PRINTING, PRINTED (sync), or FAILED (no printer
 * attached, paper out, a job already running...: the code stays on the voter's screen). */
int station_receipt(struct station *st, const char *tracking, enum lang lang);

/* Where the last receipt stands (RECEIPT_NONE if none was asked), or RECEIPT_OFF when no
 * printer is attached now (the recorded screen then offers none). No I/O. */
int station_receipt_state(const struct station *st);

/* The officials' status line for the printer ("" without printing). */
void station_printer_line(struct station *st, enum lang lang, char *line, size_t size);

int station_install(struct station *st, bool confirm, enum lang lang, char *out, size_t size);

/* True once station_install(confirm) succeeded. */
bool station_installed(const struct station *st);

/* Casts a vote through the journal. Returns an enum cast_outcome, as the journal holds it:
 * CAST_RECORDED (tracking has the code) once the ballot is committed, and also when the cast
 * failed but the ballot turned out to be in the journal; CAST_NOT_RECORDED when it is not;
 * CAST_UNKNOWN when the journal cannot be read again (the station then has no journal: every
 * action says so; the next start answers). Before each cast FILE.cast says "after N" (the
 * cast began after row N), and "idle" only once the voter has seen the outcome
 * (station_cast_seen, or a cast checked as not recorded), so a stop in between is found and
 * answered at the next start. On a
 * failure e says what failed and the officials' status names the outcome and what to do. */
int station_cast(struct station *st, const struct vote *v, const uint8_t *token_hash,
                 char *tracking, size_t size, struct err *e);

/* The voter left the "recorded" screen: the last cast was seen; FILE.cast says "idle". */
void station_cast_seen(struct station *st);

/* At start: an enum cast_outcome for a cast the last stop cut off (CAST_NONE: there was
 * none); tracking gets its code when it is recorded. */
int station_interrupted(struct station *st, char *tracking, size_t size);

#endif
