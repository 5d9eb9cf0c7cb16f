/*
 * session — one voter's visit, as data: the screen they are on, their language and district,
 * the ballots they fill, and the overlays open. Input never draws and drawing never changes
 * the session (screen = f(session)); the SDL layer only turns events into actions.
 *
 * Invariant: everything a voter chose lives in this struct and nowhere else. session_reset
 * wipes it (sodium_memzero) on cast, cancel and idle timeout; nothing is logged or written
 * except the sealed ballot the journal records.
 */
#ifndef ISOLOIR_KIOSK_SESSION_H
#define ISOLOIR_KIOSK_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "ballot.h"
#include "election.h"

enum screen {
    SCR_WELCOME,  /* election name, language buttons */
    SCR_TOKEN,    /* token kiosks: the voter types the code of their voter card */
    SCR_DISTRICT, /* which district do you live in? (elections with districts) */
    SCR_HOWTO,    /* what may be chosen, the vote is secret */
    SCR_BALLOT,   /* project cards of the current ballot */
    SCR_REVIEW,   /* every ballot's choices, totals, change / confirm */
    SCR_DONE,     /* recorded, tracking code */
    SCR_OFFICIAL, /* officials' menu: status, polls actions (after the PIN) */
};

enum overlay {
    OV_NONE,
    OV_DETAIL,
    OV_CONFIRM,
    OV_CANCEL,
    OV_IDLE,
    OV_FAILED,
    OV_PIN,     /* the officials' PIN keypad */
    OV_CLOSE1,  /* closing the polls, first confirmation */
    OV_CLOSE2,  /* and second */
    OV_ENABLE,  /* attended kiosks: an official enables the next voter (key F9) */
    OV_UNKNOWN, /* the cast failed and the kiosk cannot tell whether the ballot is recorded */
    OV_CLOCK,   /* opening the polls with the clock outside the voting period: confirm */
};

/* What a cast attempt left in the journal, as checked there (kiosk/station.h). */
enum cast_outcome {
    CAST_RECORDED = 0,     /* the ballot is in the journal: its tracking code is shown */
    CAST_NOT_RECORDED = 1, /* it is not: the voter may vote again */
    CAST_UNKNOWN = 2,      /* the journal cannot be read: nobody can say yet */
    CAST_NONE = 3,         /* (after a restart) no cast was interrupted */
};

/* The district an official enabled the voter for (attended kiosks), besides an index. */
enum { ENABLE_CITYWIDE = -1, ENABLE_VOTER_CHOOSES = -2 };

/* What the session asks of the program after an action (it holds no journal itself). */
enum request {
    REQ_NONE,
    REQ_CAST,          /* cast s->vote */
    REQ_PIN,           /* check s->pin */
    REQ_POLLS,         /* run s->polls_action */
    REQ_TOKEN,         /* check s->token_input: the program calls session_token_result */
    REQ_EXPORT,        /* write an export bundle to the USB stick */
    REQ_REPRINT,       /* print the last polls report again */
    REQ_INSTALL_CHECK, /* look for a package on the stick and show what it is */
    REQ_INSTALL,       /* install the package shown (the kiosk then restarts) */
    REQ_ENABLE,        /* attended: count an enable (s->enable_district), then enable */
    REQ_RECEIPT,       /* print the voter's receipt of s->tracking, once */
};

/* The voter's receipt on the "recorded" screen (kiosks whose package switches receipts on,
 * with a printer): asked at most once per cast, never again once the voter has left. */
enum receipt_state {
    RECEIPT_NONE = 0, /* not asked (the button is offered when a printer is attached) */
    RECEIPT_PRINTING, /* sent to the printer */
    RECEIPT_PRINTED,  /* the printer took all of it and still had paper */
    RECEIPT_FAILED,   /* not printed (paper out, cover open, unplugged...): never retried */
    RECEIPT_OFF,      /* not offered for this cast (shown again after a restart) */
};

enum polls_action { POLLS_OPEN = 1, POLLS_PAUSE, POLLS_RESUME, POLLS_CLOSE };

enum act {
    ACT_NONE,
    ACT_LANG,     /* arg: enum lang */
    ACT_DISTRICT, /* arg: district index or -1 */
    ACT_START,
    ACT_TOGGLE,  /* arg: project index (approval, knapsack, ranking: append/remove) */
    ACT_PLUS,    /* arg: project (cumulative) */
    ACT_MINUS,   /* arg: project (cumulative) */
    ACT_DETAIL,  /* arg: project */
    ACT_CLOSE,   /* close the overlay */
    ACT_FILTER,  /* arg: category or -1 */
    ACT_NEXT,    /* next ballot, or review after the last */
    ACT_BACK,    /* previous screen */
    ACT_CHANGE,  /* arg: ballot position: go back to that ballot from review */
    ACT_CONFIRM, /* open the confirmation */
    ACT_CAST,    /* confirmed: the caller casts through the journal */
    ACT_FINISH,  /* done: back to welcome */
    ACT_CANCEL,  /* ask to cancel */
    ACT_CANCEL_YES,
    ACT_CONTINUE, /* idle warning answered */
    ACT_LARGER,   /* the next text size, back to normal after the largest */
    ACT_CONTRAST,
    ACT_SCROLL,    /* arg: pixels (positive = down) */
    ACT_OFFICIAL,  /* F12 or a 3-second press in the top-left corner: the PIN keypad */
    ACT_PIN_DIGIT, /* arg: 0-9 */
    ACT_PIN_ERASE,
    ACT_PIN_OK,
    ACT_POLLS,         /* arg: enum polls_action (closing asks twice first) */
    ACT_CLOSE_CONFIRM, /* a confirmation of closing */
    ACT_OFFICIAL_EXIT, /* back to the voters' screens */
    ACT_ENABLE_ASK,    /* attended: F9 between voters opens the enable dialog */
    ACT_ENABLE,        /* arg: district index, ENABLE_CITYWIDE or ENABLE_VOTER_CHOOSES */
    ACT_TOKEN_CHAR,    /* arg: a character typed or scanned (kept only if it can be in a code) */
    ACT_TOKEN_ERASE,
    ACT_TOKEN_OK,
    ACT_EXPORT,          /* officials' menu: export to the USB stick */
    ACT_INSTALL,         /* officials' menu: look for a package on the stick */
    ACT_INSTALL_CONFIRM, /* install the package shown */
    ACT_POLLS_CONFIRM,   /* the clock warning: open (or resume) the polls anyway */
    ACT_REPRINT,         /* officials' menu: print the last polls report again */
    ACT_RECEIPT,         /* recorded screen: print my receipt (once) */
};

struct action {
    enum act kind;
    int arg;
};

#define TRACKING_SHOWN_MAX 32
#define TEXT_SIZES         3
#define NOTICE_MAX         320
#define STATUS_LINES       11

struct session {
    enum screen screen;
    enum overlay overlay;
    enum lang lang;
    enum lang staff_lang; /* the language officials chose in their menu (kept across voters) */
    int district;         /* -1: none / not asked */
    uint32_t defs[VOTE_MAX_BALLOTS]; /* ballot definitions offered, in order */
    uint32_t ndefs;
    uint32_t cur;            /* position in defs on SCR_BALLOT */
    struct vote vote;        /* vote.ballots[i] fills defs[i] */
    int detail;              /* project shown in OV_DETAIL */
    int filter;              /* category filter on the ballot screen, -1 = all */
    int scroll;              /* ballot/review list scroll, pixels */
    int detail_scroll;       /* the project description in OV_DETAIL, pixels */
    char notice[NOTICE_MAX]; /* why the last tap was refused, in the voter's words */
    int notice_project;      /* on SCR_BALLOT: the project whose tap was refused (its card
                                shows the notice, so the card stays where the voter looked) */
    char tracking[TRACKING_SHOWN_MAX];
    int text_size; /* 0 normal, 1 large, 2 largest (TEXT_SIZES steps; A+ cycles them) */
    bool high_contrast;
    bool attended;        /* set by the program: an official enables each voter here */
    bool token_mode;      /* set by the program: voters type a voter-card code here */
    bool enabled;         /* attended: the next voter may vote (one enable, one ballot) */
    int enabled_district; /* with `enabled`: district index, ENABLE_CITYWIDE or _VOTER_CHOOSES */
    char token_input[40]; /* what the voter typed on SCR_TOKEN (wiped with the session) */
    bool token_ok;        /* the code was checked and is valid, not spent */
    uint8_t token_hash[TOKEN_HASH_LEN]; /* its hash: the cast spends it */
    bool install_ready;                 /* a verified package from the stick awaits confirmation */
    bool polls_confirmed;               /* with REQ_POLLS: the official confirmed the warning */
    bool enable_after_pin;              /* F9 outside an officials' session: PIN, then enable */
    int enable_district;                /* with REQ_ENABLE */
    uint64_t officials_until_ms;        /* the officials' session (PIN) lasts until then */
    bool polls_open;                    /* set by the program from the journal before each layout */
    int polls_state;      /* 0 not opened, 1 open, 2 paused, 3 closed (the journal's) */
    enum request request; /* set by session_apply, consumed by the program */
    enum polls_action polls_action;
    char pin[17];                   /* keypad digits (at most 16); wiped after each check */
    char official_msg[4096];        /* the last PIN answer, action result or report */
    char status[STATUS_LINES][128]; /* officials' status lines, set by the program */
    uint64_t last_input_ms, idle_since_ms, done_since_ms;
    uint32_t idle_left_s; /* the idle warning: seconds before the vote in progress is wiped */
    bool printing;        /* a printer is set up: the officials' menu offers a reprint */
    bool receipts;        /* set by the program: a receipt can be asked for now */
    int receipt;          /* enum receipt_state of this cast's receipt */
};

struct session_config {
    uint64_t idle_ms;      /* no input for this long: warning (default 90 s) */
    uint64_t idle_warn_ms; /* then this long to answer (default 30 s) */
    uint64_t done_ms;      /* the done screen returns to welcome after (default 30 s) */
};

/* How long the officials' session opened by a PIN lasts after the PIN or the last action in
 * the officials' menu: within it F9 enables a voter; after it F9 asks for the PIN first.
 * Enabling with F9 does not make it last longer. */
#define SESSION_OFFICIALS_MS (5 * 60 * 1000)

/* A fresh session on the welcome screen in the election's first language. Wipes the old. */
void session_reset(struct session *s, const struct election *el, uint64_t now_ms);

/* Applies an action. Returns true if the action is ACT_CAST and the vote is valid: the caller
 * then casts s->vote through the journal and calls session_cast_done or session_cast_failed. */
bool session_apply(struct session *s, const struct election *el, struct action a, uint64_t now_ms);

void session_cast_done(struct session *s, const char *tracking, uint64_t now_ms);
/* The cast failed and the journal says the ballot is not in it (known true) or cannot say
 * (known false): the voter sees which, and is asked to call staff. */
void session_cast_failed(struct session *s, bool known);

/* The PIN was right: the officials' session starts (or starts again) now. */
void session_officials_unlocked(struct session *s, uint64_t now_ms);
/* The answer to REQ_ENABLE: the enable was counted (ok) and the voter may vote. */
void session_enable_done(struct session *s, const struct election *el, bool ok, uint64_t now_ms);

/* The answer to REQ_TOKEN: status is an enum token_status (0 valid), district the card's
 * (-1 citywide), hash what the cast spends; message is the kind sentence to show otherwise. */
void session_token_result(struct session *s, const struct election *el, int status,
                          int32_t district, const uint8_t hash[TOKEN_HASH_LEN],
                          const char *message);

/* Time passes: idle warning, idle reset, done screen timeout. Returns true if the session was
 * reset (and wiped). */
bool session_tick(struct session *s, const struct election *el, const struct session_config *c,
                  uint64_t now_ms);

/* The ballot being filled on SCR_BALLOT, and its definition. */
struct ballot *session_ballot(struct session *s);
const struct ballot_def *session_def(const struct session *s, const struct election *el);

#endif
