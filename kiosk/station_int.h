/*
 * station_int — what the station's files share (kiosk/station.c: opening, PIN, status,
 * polls; station_usb.c: export and install; station_cast.c: casts, their truth after a
 * failure or a stop, and enables). Not a public interface: kiosk/station.h is.
 */
#ifndef ISOLOIR_KIOSK_STATION_INT_H
#define ISOLOIR_KIOSK_STATION_INT_H

#include "catalog.h"
#include "journal.h"
#include "mounts.h"
#include "printer.h"
#include "polls_report.h"
#include "station.h"
#include "usb.h"

struct station {
    struct journal *j;
    struct official *cred;
    struct officials *officials; /* this kiosk's, opened from the package with its key */
    int who;                     /* the official who last opened the menu (index), or -1 */
    const struct election *el;
    const uint8_t *package_hash;
    const char *journal_path;
    const struct secret_key *key;
    enum eligibility mode;  /* this kiosk's */
    char reports_dir[4096]; /* <journal>.reports: every polls report, exported with the journal */
    struct mounts_config mounts;
    const char *export_dir;   /* demo: a plain directory instead of a stick */
    struct usb *usb;          /* libusb hotplug, or NULL (then the mounts alone are read) */
    char stick[32];           /* sysfs name of the stick libusb last saw arrive, or "" */
    const char *package_path; /* the installed package */
    const uint8_t *authority_pk;
    unsigned package_flags;    /* PACKAGE_ALLOW_DEMO in demo mode */
    uint8_t pending[HASH_LEN]; /* the package shown by the last check, to install */
    bool have_pending, installed;
    struct official_clock clock;
    int lock_fd;    /* FILE.lock, write-locked while the station is open */
    int cast_fd;    /* FILE.cast: "idle" or "after N" around each cast */
    int enables_fd; /* FILE.enables: voters enabled so far */
    uint64_t enables;
    int interrupted;                   /* enum cast_outcome of a cast the last stop cut off */
    enum msg note;                     /* what the officials must know of the last cast, or 0 */
    char note_code[TRACKING_TEXT_MAX]; /* its tracking code, for the note */
    struct printer *printer;        /* the polls reports on paper, or NULL (kiosk/station_print) */
    bool printer_sync;              /* wait for each document (scripts) */
    enum printer_state print_state; /* as last seen */
    bool unprinted;                 /* the last report did not reach the paper */
    struct polls_report_input last; /* the last report, to print again */
    enum lang last_lang;
    bool have_last;
    bool receipt_job;    /* the printer's job is a voter receipt, not a report */
    int receipt;         /* enum receipt_state of the last receipt asked */
    bool report_waiting; /* a report came while a receipt was printing: printed after it */
};

/* kiosk/station_print.c: the report is kept as the last and printed; never blocks. */
void station_print_report(struct station *c, const struct polls_report_input *in, enum lang lang);

/* Unix seconds from the configured clock. */
int64_t station_now(const struct station *c);

/* FILE.cast and FILE.enables hold one fixed-length line each (RECORD_LEN bytes, padded with
 * spaces, ending in LF), rewritten in place and fdatasync'ed: one sync per change, and a
 * record of one sector is written whole or not at all. */
#define RECORD_LEN 64
int station_record_open(const char *path, int *fd, char text[RECORD_LEN + 1], struct err *e);
int station_record_put(int fd, const char *path, const char *text, struct err *e);
/* FILE + suffix into out. */
void station_state_path(const struct station *c, const char *suffix, char *out, size_t size);
/* The journal could not be opened again after a failed cast: what each action says then. */
int station_no_journal(enum lang lang, char *out, size_t size);

/* Where a bundle goes: the stick libusb saw (its mount), else any mount below the root. */
int station_find_target(struct station *c, char *dir, size_t size, struct err *e);
/* Moves the closed journal and its state files to <journal dir>/archive/. */
int station_archive_journal(const char *journal_path, const uint8_t package_hash[HASH_LEN],
                            struct err *e);
/* What the journal holds of a cast that began after row `before` (restart: found at start). */
int station_settle(struct station *c, uint64_t before, bool restart, char *tracking, size_t size);

#endif
