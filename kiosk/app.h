/*
 * app — the kiosk program around the screens: the SDL window, the event loop, the scripted
 * input used by tests and documentation, and the cast through the journal. main.c only parses
 * options and opens the package, keys and journal.
 *
 * Kiosk mode: outside --windowed, no key, gesture or window event closes the program or
 * reaches anything but the voter flow (SDL_QUIT and window-close are ignored; the only exits
 * are the officials' menu and a signal from the system service).
 */
#ifndef ISOLOIR_KIOSK_APP_H
#define ISOLOIR_KIOSK_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "ballot.h"
#include "election.h"
#include "err.h"
#include "session.h"
#include "speech.h"

/* Records a vote durably (spending the voter card token_hash, NULL at an attended kiosk).
 * Returns an enum cast_outcome, as checked in the journal: CAST_RECORDED (tracking holds the
 * code; also after an error, when the ballot turned out to be in), CAST_NOT_RECORDED, or
 * CAST_UNKNOWN; e says what failed. */
typedef int (*app_cast_fn)(void *ctx, const struct vote *v, const uint8_t *token_hash,
                           char *tracking, size_t size, struct err *e);

/* The officials' side of the program (main.c wires it to kiosk/station). */
struct app_officials {
    void *ctx;
    /* 1 if the PIN opens the officials' menu, 0 if refused (msg says why, in lang). */
    int (*pin)(void *ctx, const char *pin, enum lang lang, char *msg, size_t size);
    /* Polls state (0 not opened, 1 open, 2 paused, 3 closed) and, unless lines is NULL,
     * the status lines. */
    void (*status)(void *ctx, enum lang lang, int *state, char lines[STATUS_LINES][128]);
    /* Opens, pauses, resumes or closes the polls; msg gets the report or the error. Returns
     * 1 (and nothing changed) when the official must confirm first: msg holds the warning,
     * and the call is made again with confirmed true. */
    int (*polls)(void *ctx, enum polls_action a, bool confirmed, enum lang lang, char *msg,
                 size_t size);
    /* Counts one enable (attended kiosks); 0 if counted, else msg says why not. */
    int (*enable)(void *ctx, enum lang lang, char *msg, size_t size);
    /* At start: whether a cast was cut off by the last stop, and what the journal holds of it
     * (an enum cast_outcome; CAST_NONE if no cast was cut off); tracking gets its code. */
    int (*interrupted)(void *ctx, char *tracking, size_t size);
    /* The voter left the "recorded" screen: they have seen their tracking code. */
    void (*cast_seen)(void *ctx);
    /* Checks a voter-card code: returns an enum token_status (0 valid, not spent here) with
     * the card's district and hash, or writes the kind sentence to show into msg. */
    int (*token)(void *ctx, const char *input, enum lang lang, int32_t *district,
                 uint8_t hash[TOKEN_HASH_LEN], char *msg, size_t size);
    /* Writes an export bundle to the USB stick and verifies it; msg says the outcome. */
    int (*export)(void *ctx, enum lang lang, char *msg, size_t size);
    /* Prints the last polls report again; msg says the outcome. May be NULL (no button). */
    int (*reprint)(void *ctx, enum lang lang, char *msg, size_t size);
    /* Voter receipts (NULL: this kiosk prints none). receipt prints the receipt of the code
     * shown, in lang, and returns an enum receipt_state (PRINTING, or already PRINTED or
     * FAILED); receipt_state says where the last one stands, or RECEIPT_OFF when no printer
     * is attached now (the recorded screen then offers no receipt). */
    int (*receipt)(void *ctx, const char *tracking, enum lang lang);
    int (*receipt_state)(void *ctx);
    /* Package from the stick: confirm false checks it and describes it in msg (returns 1 if it
     * may be installed); confirm true installs it (returns 1 when done: the kiosk restarts). */
    int (*install)(void *ctx, bool confirm, enum lang lang, char *msg, size_t size);
};

struct app_config {
    const struct election *el;
    bool demo, windowed;
    int width, height; /* window size (0: the display's) */
    const char *font_dir;
    const char *script;     /* scripted input file, or NULL for live input */
    const char *shots_dir;  /* where `shot` writes PNG + description */
    uint64_t exit_after_ms; /* live mode: leave after this long (0: never) */
    struct session_config session;
    app_cast_fn cast;
    void *cast_ctx;
    const struct app_officials *officials; /* NULL: no officials' menu, polls taken as open */
    enum eligibility eligibility;          /* this kiosk's: how voters are enabled */
    /* Live mode: called after every frame (the first call means the first screen is up): the
     * program tells systemd's watchdog the loop is alive. May be NULL. */
    void (*tick)(void *ctx);
    void *tick_ctx;
    bool quit; /* set by a callback (a package was installed): the loop ends after the frame */
    struct speech *speech; /* spoken guidance and the keypad's sound keys; NULL: silent */
};

/* Runs until the script ends (or exit_after_ms). Returns 0, or 1 if a script expectation
 * failed (the message is in e), or a negative error. */
int app_run(const struct app_config *cfg, struct err *e);

#endif
