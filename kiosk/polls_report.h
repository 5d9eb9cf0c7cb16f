/*
 * polls_report — the polls reports officials read, sign and keep: zero report (at opening), pause,
 * resume and closing reports, and a status report on demand. Plain text lines, laid out for a
 * width in columns (32, 42 or 48 for receipt printers, 72 for a screen or a file), in French,
 * Dutch or English. The texts are the catalogue's (M_RPT_* in catalog.h, translated in the po
 * files with every other message); the catalogue is compiled in, so a report never lacks them.
 *
 * The input is a plain struct the kiosk fills from its journal and package, so this module
 * does not depend on the journal. Rendering is a pure function of the input, language and
 * width: the same input gives the same bytes (golden-file tests hold it to that).
 *
 * Layout rules: every line holds at most `width` characters (code points) and ends with LF;
 * no trailing spaces; a "label: value" pair sits on one line when it fits, else the label is
 * on one line and the value, right-aligned, on the next; long texts wrap at spaces.
 *
 * Never prints a ballot, a voter-card code or a PIN: only counts and fingerprints.
 */
#ifndef ISOLOIR_KIOSK_POLLS_REPORT_H
#define ISOLOIR_KIOSK_POLLS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "election.h"
#include "err.h"

#define REPORT_MIN_WIDTH 32
#define REPORT_MAX_WIDTH 160

enum report_kind {
    REPORT_ZERO = 1,    /* polls opened: ballots 0 */
    REPORT_PAUSE = 2,   /* polls paused */
    REPORT_RESUME = 3,  /* polls open again */
    REPORT_CLOSING = 4, /* polls closed, for good */
    REPORT_STATUS = 5,  /* on demand, in any state (see report_input.state) */
};

enum report_state {
    REPORT_NOT_OPENED = 0,
    REPORT_OPEN = 1,
    REPORT_PAUSED = 2,
    REPORT_CLOSED = 3,
};

struct polls_report_input {
    enum report_kind kind;
    enum report_state state;   /* REPORT_STATUS only; the other kinds imply theirs */
    const char *election_name; /* in the report's language (text_get) */
    const char *election_id;
    const char *vote_point;  /* NULL or "" if the kiosk has none configured */
    const char *kiosk_label; /* e.g. "kiosk-03 Schaerbeek" */
    uint8_t kiosk_pk[SIGN_PK_LEN];
    uint8_t package_hash[HASH_LEN];
    bool token_mode;              /* print the voter cards used */
    uint64_t ballots;             /* ballots cast at this kiosk */
    uint64_t tokens_spent;        /* token mode: voter cards used at this kiosk */
    uint64_t journal_rows;        /* rows in the journal, the report's own row included */
    uint8_t chain_head[HASH_LEN]; /* hash of the journal's last row */
    int64_t at;                   /* Unix seconds, when the report is made */
    int32_t utc_offset;           /* seconds east of UTC at `at` (the kiosk's time zone) */
    unsigned signatures;          /* signature blocks for officials; 0 means 2 */
    bool attended;                /* an official enables each voter: print the enables */
    uint64_t enables;             /* attended: voters enabled so far (all but the zero report) */
    const char *official;         /* the official who acted (their PIN opened the menu), or
                                     NULL / "" when not known: then no line */
};

/* Renders the report as UTF-8 lines ending in LF, into a malloc'd NUL-terminated string
 * (*len excludes the NUL). Errors: ERR_USAGE (width outside REPORT_MIN_WIDTH..MAX, unknown
 * kind, state or language, NULL texts that are required: election name and kiosk label),
 * ERR_INVALID (a text is not valid UTF-8), ERR_NOMEM. */
int polls_report_render(const struct polls_report_input *in, enum lang lang, unsigned width,
                        char **out, size_t *len, struct err *e);

/* The file name under which the kiosk keeps a report (and exports it): "report-zero-N.txt",
 * "report-pause-N.txt", "report-resume-N.txt", "report-closing-N.txt", "report-status-N.txt",
 * N the journal's last row number when the report was made (so a second pause never replaces
 * the first). Always NUL-terminated; 40 bytes are enough. Returns the name. */
#define POLLS_REPORT_NAME_MAX 40
const char *polls_report_file_name(enum report_kind kind, uint64_t seq,
                                   char out[POLLS_REPORT_NAME_MAX]);

/* Writes a rendered report to path durably (temp file, fsync, rename, fsync directory),
 * mode 0600: the reports are the kiosk's own records, read only by the kiosk service (which
 * copies them into export bundles); nobody else on the appliance needs them. Refuses
 * (ERR_STATE) to replace a file that exists: a report once written is evidence. On failure
 * nothing is written. */
int polls_report_write(const char *path, const char *text, size_t len, struct err *e);

#endif
