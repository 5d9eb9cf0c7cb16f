/*
 * catalog — every sentence a voter or official reads on the kiosk, in French, Dutch and
 * English. Screens name a message by its id and never hold text of their own. The texts are in
 * po/fr.po, po/nl.po and po/en.po (gettext), one entry per id below with the id as msgctxt;
 * the build compiles them in (docs/translating.md). Messages with %s/%u take printf arguments
 * in the order the comment gives; the comments are shown to translators.
 */
#ifndef ISOLOIR_KIOSK_CATALOG_H
#define ISOLOIR_KIOSK_CATALOG_H

#include "election.h"

enum msg {
    M_CHOOSE_LANGUAGE,
    M_LANGUAGE_NAME, /* the language's own name: Français, Nederlands, English */
    M_DEMO_BANNER,
    M_START,
    M_HOWTO_TITLE,
    M_HOWTO_SECRET,
    M_HOWTO_BALLOTS,     /* %u number of ballots */
    M_RULE_APPROVAL,     /* %u min, %u max (plural by max) */
    M_RULE_APPROVAL_MAX, /* %u max (plural by max) */
    M_RULE_KNAPSACK,     /* %s budget */
    M_RULE_CUMULATIVE,   /* %u points, %u max per project (plural by points) */
    M_RULE_RANKING,      /* %u max (plural by max) */
    M_DISTRICT_TITLE,
    M_DISTRICT_NONE,
    M_CHOSEN_OF,       /* %u chosen, %u max (plural by chosen) */
    M_BUDGET_LEFT,     /* %s left */
    M_POINTS_LEFT,     /* %u left (plural) */
    M_RANKED_OF,       /* %u ranked, %u max (plural by ranked) */
    M_REFUSE_TOO_MANY, /* %u max (plural) */
    M_REFUSE_BUDGET,   /* %s missing */
    M_REFUSE_POINTS,
    M_REFUSE_PROJECT_MAX, /* %u max (plural) */
    M_SELECTED,
    M_CHOOSE,
    M_DETAILS,
    M_CLOSE,
    M_NEXT,
    M_BACK,
    M_REVIEW,
    M_REVIEW_TITLE,
    M_REVIEW_BLANK,
    M_REVIEW_BLANK_RANKED, /* a ranking ballot with nothing ranked */
    M_REVIEW_UNDER,        /* %u chosen, %u max */
    M_REVIEW_UNDER_RANKED, /* %u ranked, %u max */
    M_REVIEW_TOTAL,        /* %s total */
    M_CHANGE,
    M_CONFIRM,
    M_CONFIRM_QUESTION,
    M_YES_CAST,
    M_NO_BACK,
    M_RECORDED,
    M_TRACKING_INTRO,
    M_TRACKING_HOW,
    M_FINISH,
    M_IDLE_TITLE,
    M_IDLE_BODY, /* %u seconds */
    M_IDLE_CONTINUE,
    M_CANCEL,
    M_CANCEL_QUESTION,
    M_CANCEL_YES,
    M_LARGER_TEXT,
    M_CONTRAST,
    M_CAST_FAILED,
    M_ALL_CATEGORIES,
    M_POINTS_ON, /* %u points (plural) */
    M_RANK,      /* %u rank */
    M_CLOSED_TITLE,
    M_CLOSED_BODY,
    M_OFFICIAL_TITLE,
    M_PIN_TITLE,
    M_PIN_ERASE,
    M_PIN_OK,
    M_POLLS_OPEN,
    M_POLLS_PAUSE,
    M_POLLS_RESUME,
    M_POLLS_CLOSE,
    M_CLOSE_Q1,
    M_CLOSE_Q2,
    M_CLOSE_YES,
    M_BACK_TO_VOTERS,
    M_ST_POLLS,   /* %s state */
    M_ST_COUNTS,  /* %llu ballots, %llu cards */
    M_ST_JOURNAL, /* %llu rows */
    M_ST_DISK,    /* %llu MB, %llu ballots (plural by ballots) */
    M_ST_KIOSK,   /* %s fingerprint */
    M_ST_PACKAGE, /* %s fingerprint */
    M_ST_CLOCK,   /* %s */
    M_STATE_NOT_OPENED,
    M_STATE_OPEN,
    M_STATE_PAUSED,
    M_STATE_CLOSED,
    M_WAIT_OFFICIAL, /* attended kiosk between voters */
    M_ENABLE_TITLE,  /* officials' menu: enable the next voter */
    M_ENABLE_VOTER,  /* no districts: one button */
    M_ENABLE_CITY,   /* with districts: citywide ballots only */
    M_ENABLE_ANY,    /* with districts: the voter chooses */
    M_ENABLE_HINT,   /* the dedicated key */
    M_TOKEN_TITLE,   /* the voter-card code screen */
    M_TOKEN_BODY,
    M_TOKEN_ERASE,
    M_EXPORT, /* officials' menu button */
    M_EXPORT_NO_STICK,
    M_INSTALL,         /* officials' menu button */
    M_INSTALL_CONFIRM, /* the second button */
    M_INSTALL_SHOW,    /* %s name, %s id, %s package fpr, %s authority fpr, %zu projects (plural by
                          projects) */
    M_INSTALL_REFUSED, /* %s reason: one of M_INSTALL_WHY_* */
    M_INSTALL_WHY_RUNNING,
    M_INSTALL_WHY_NO_STICK,
    M_INSTALL_WHY_UNREADABLE,
    M_INSTALL_WHY_NOT_FILE, /* %s name */
    M_INSTALL_WHY_NO_PACKAGE,
    M_INSTALL_WHY_SEVERAL,
    M_INSTALL_WHY_READ,
    M_INSTALL_WHY_SIGNATURE,
    M_INSTALL_WHY_VERSION,
    M_INSTALL_WHY_DAMAGED,
    M_INSTALL_WHY_DEMO_PACKAGE,
    M_INSTALL_WHY_REAL_PACKAGE,
    M_INSTALL_WHY_SAME,
    M_INSTALL_WHY_NOT_AUTHORISED,
    M_INSTALL_WHY_NO_OFFICIALS,
    M_INSTALL_WHY_CHANGED,
    M_INSTALL_WHY_NOT_SAVED,
    M_INSTALL_WHY_OTHER,
    M_INSTALL_DONE,
    M_EXPORT_DONE,   /* %s bundle directory, %llu ballots (plural by ballots) */
    M_EXPORT_FAILED, /* %s the reason */
    M_ST_STICK,      /* %s mount point */
    M_ST_NO_STICK,
    M_ST_MODE_ATTENDED,
    M_ST_MODE_TOKEN,
    M_CAST_UNKNOWN,      /* the voter: nobody can tell yet whether the vote is recorded */
    M_NOTE_NOT_RECORDED, /* officials' status: the last cast, checked, is not in */
    M_NOTE_RECORDED_ERR, /* %s tracking code: a storage error, but the ballot is in */
    M_NOTE_UNKNOWN,      /* the journal cannot say */
    M_NOTE_RESTART_REC,  /* %s tracking code: a cast cut off by a stop is in */
    M_NOTE_RESTART_NOT,  /* a cast cut off by a stop is not in */
    M_NOTE_RESTART_UNK,  /* a cast cut off by a stop: the journal cannot say */
    M_ST_NO_JOURNAL,     /* the journal could not be opened again */
    M_ST_COUNTS_ENABLES, /* %llu ballots, %llu voters enabled */
    M_ST_ENABLE_DIFF,    /* %llu enabled without a ballot */
    M_ST_BALLOT_DIFF,    /* %llu ballots more than enables */
    M_ENABLE_FAILED,     /* the enable could not be counted */
    M_CLOCK_WARNING,     /* %s kiosk clock, %s period start, %s period end */
    M_CLOCK_OPEN_ANYWAY, /* the button */
    M_EXPORT_WHY_FULL,   /* export failure reasons, in the official's language */
    M_EXPORT_WHY_REMOVED,
    M_EXPORT_WHY_READ_ONLY,
    M_EXPORT_WHY_FOREIGN_FS,
    M_EXPORT_WHY_DENIED,
    M_EXPORT_WHY_VERIFY,
    M_EXPORT_WHY_JOURNAL,
    M_EXPORT_WHY_OTHER,
    M_REPORT_NOT_SAVED, /* under a report that could not be kept for the export */
    /* The polls reports (kiosk/polls_report.c), on paper and in the export: */
    M_RPT_ELECTION,
    M_RPT_ELECTION_ID,
    M_RPT_VOTE_POINT,
    M_RPT_KIOSK,
    M_RPT_KIOSK_KEY,
    M_RPT_PACKAGE,
    M_RPT_STATE,
    M_RPT_BALLOTS,
    M_RPT_TOKENS,
    M_RPT_ROWS,
    M_RPT_JOURNAL,
    M_RPT_DATE,
    M_RPT_SIGNATURES,
    M_RPT_NAME,
    M_RPT_SIGNATURE,
    M_RPT_ENABLES,
    M_RPT_ENABLED_NO_BALLOT,
    M_RPT_BALLOT_NO_ENABLE,
    M_RPT_OFFICIAL, /* report label: the official whose PIN opened the menu */
    M_RPT_ZERO_TITLE,
    M_RPT_ZERO_SUBTITLE,
    M_RPT_ZERO_NOTE,
    M_RPT_PAUSE_TITLE,
    M_RPT_PAUSE_SUBTITLE,
    M_RPT_PAUSE_NOTE,
    M_RPT_RESUME_TITLE,
    M_RPT_RESUME_SUBTITLE,
    M_RPT_RESUME_NOTE,
    M_RPT_CLOSING_TITLE,
    M_RPT_CLOSING_SUBTITLE,
    M_RPT_CLOSING_NOTE,
    M_RPT_STATUS_TITLE,
    M_RPT_STATUS_SUBTITLE,
    M_RPT_STATUS_NOTE,
    /* Spoken only (kiosk/voice, the keypad): */
    M_SAY_SELECTED,    /* after a chosen project or a selected button */
    M_SAY_UNAVAILABLE, /* after a button that cannot be pressed now */
    M_SAY_HINT,        /* the keys, in one short sentence, after each new screen */
    M_SAY_HELP,        /* key 0: what every key does */
    M_SAY_VOLUME,      /* %u percent */
    M_SAY_RATE,        /* %u words a minute */
    M_SAY_SCREEN_OFF,
    M_SAY_SCREEN_ON,
    M_SAY_SPEECH_ON,
    M_SAY_NO_NEXT,        /* key 6 where no step follows */
    M_REVIEW_MONEY_LEFT,  /* %s left, %s the cheapest project not chosen that fits, %s its cost */
    M_REVIEW_POINTS_LEFT, /* %u points not given (plural) */
    M_RULE_KNAPSACK_MIN,  /* %s the least to spend, %s budget */
    M_RULE_RANKING_MIN,   /* %u min, %u max (plural by max) */
    M_NEED_MORE_CHOICES,  /* %u more projects to choose (plural): why Next waits */
    M_NEED_MORE_RANKED,   /* %u more projects to rank (plural): why Next waits */
    M_NEED_MORE_MONEY,    /* %s more to spend: why Next waits */
    M_NEED_FIX,           /* the ballot breaks its rule otherwise */
    M_NEED_FIX_BALLOT,    /* %s ballot name: why the vote cannot be cast yet */
    M_REPRINT,            /* officials' menu button */
    M_PRINT_STARTED,
    M_PRINT_NOTHING,
    M_PRINT_NO_PRINTER,
    M_ST_PRINTER,   /* %s the printer's state sentence (hw/printer) */
    M_ST_UNPRINTED, /* after it: the last report is not on paper yet */
    /* Spoken only (kiosk/voice): */
    M_SAY_LANG_KEY,     /* %u the keypad key that chooses this language on the welcome screen */
    M_SAY_ADD_POINT,    /* the "+" of a cumulative ballot's card */
    M_SAY_REMOVE_POINT, /* its "–" */
    M_SAY_POINTS_ON,    /* %u points, %s project title (plural) */
    M_SAY_RANKED,       /* %s project title, %u its rank */
    M_SAY_UNRANKED,     /* %s project title: taken out of the ranking */
    M_PUBLISHED_AT,     /* done screen, above the publication address */
    M_RECEIPT,          /* done screen button: print a receipt with the tracking code */
    M_RECEIPT_PRINTING, /* the receipt was sent to the printer */
    M_RECEIPT_PRINTED,  /* the printer took all of it */
    M_RECEIPT_FAILED,   /* no receipt (paper out, printer gone): the code stays on screen */
    M_TOUCH_TO_REMOVE,  /* on a chosen project's card: touching "Chosen" again removes it */
    M_LIST_POSITION,    /* %u first, %u last project in view, %u projects in the list */
    M_MSG_COUNT
};

/* The message in `l` (never NULL). */
const char *msg(enum msg m, enum lang l);

/* The message for a count n, with the language's plural rule (the Plural-Forms of its .po
 * file; French: plural from 2; Dutch and English: plural for every n but 1). Messages without
 * a plural form are msg(m, l). A message with plural forms (msgid_plural in the .po files) is
 * always fetched with msg_n: msg would give its singular, and catalog_po refuses that call. */
const char *msg_n(enum msg m, enum lang l, unsigned long long n);

/* The language code of the .po file that holds language l ("fr", "nl", "en"). */
const char *catalog_lang_code(enum lang l);

#endif
