/* station — the officials' side of a kiosk; see station.h.
 *
 * One struct holds what an official's action needs: the journal, the credential, the package
 * and keys, where sticks are found, and the package an install is about to stage. */
#include "station.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "export.h"
#include "journal.h"
#include "journal_find.h"
#include "mounts.h"
#include "package.h"
#include "polls_report.h"
#include "token.h"
#include "usb.h"
#include "util.h"

/* ---- the officials' side: PIN, status, polls (journal rows and reports) ------------------ */

struct station {
    struct journal *j;
    struct official *cred;
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
};

static int64_t now_of(const struct station *c)
{
    return c->clock.now ? c->clock.now(c->clock.ctx) : (int64_t)time(NULL);
}

/* ---- small state files beside the journal ----------------------------------------------
 * FILE.cast and FILE.enables hold one fixed-length line each (RECORD_LEN bytes, padded with
 * spaces, ending in LF), rewritten in place and fdatasync'ed: one sync per change, and a
 * record of one sector is written whole or not at all. */

#define RECORD_LEN 64

static int record_open(const char *path, int *fd, char text[RECORD_LEN + 1], struct err *e)
{
    text[0] = '\0';
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (*fd < 0)
        return err_errno(e, "cannot open %s", path);
    ssize_t n = pread(*fd, text, RECORD_LEN, 0);
    text[n > 0 ? n : 0] = '\0';
    return 0;
}

static int record_put(int fd, const char *path, const char *text, struct err *e)
{
    char line[RECORD_LEN];
    memset(line, ' ', sizeof line);
    size_t n = strlen(text);
    memcpy(line, text, n < RECORD_LEN - 1 ? n : RECORD_LEN - 1);
    line[RECORD_LEN - 1] = '\n';
    if (pwrite(fd, line, RECORD_LEN, 0) != RECORD_LEN || fdatasync(fd) != 0)
        return err_errno(e, "cannot write %s", path);
    return 0;
}

static void state_path(const struct station *c, const char *suffix, char *out, size_t size)
{
    snprintf(out, size, "%s%s", c->journal_path, suffix);
}

/* The journal could not be opened again after a failed cast: what each action says then. */
static int no_journal(enum lang lang, char *out, size_t size)
{
    snprintf(out, size, "%s", msg(M_ST_NO_JOURNAL, lang));
    return ERR_IO;
}

int station_pin(struct station *c, const char *pin, enum lang lang, char *msg_out, size_t size)
{
    struct official_result r;
    struct err e = {0};
    int rc = official_try(c->cred, pin, &r, &e);
    if (!r.ok && r.checked && r.locked && c->j) { /* this wrong PIN locked the keypad */
        struct err je = {0};
        journal_record_event(c->j, JEVENT_PIN_LOCKOUT, "official PIN", now_of(c), &je);
    }
    if (!r.ok && r.locked) {
        /* the supervisor PIN lifts a lockout */
        struct official_result sr;
        if (official_supervisor_unlock(c->cred, pin, &sr, &e) >= 0 && sr.ok) {
            if (c->j)
                journal_record_event(c->j, JEVENT_PIN_UNLOCKED, "supervisor", now_of(c), &e);
            return 1;
        }
    }
    if (r.ok)
        return 1;
    official_message(&r, OFFICIAL_PIN, lang, msg_out, size);
    if (rc < 0 && size > strlen(msg_out) + 2) /* the attempt count could not be saved */
        snprintf(msg_out + strlen(msg_out), size - strlen(msg_out), " (%s)", e.msg);
    return 0;
}

static void report_of(struct station *c, enum report_kind kind, enum lang lang, char *out,
                      size_t size)
{
    struct journal_status st;
    journal_status(c->j, &st);
    struct polls_report_input in = {
        .kind = kind,
        .state = (enum report_state)st.state,
        .election_name = text_get(&c->el->name, lang),
        .election_id = c->el->id,
        .kiosk_label = "",
        .token_mode = election_kiosk_eligibility(c->el, election_find_kiosk(c->el, st.kiosk_pk)) ==
                      ELIG_TOKEN,
        .ballots = st.ballots,
        .tokens_spent = st.tokens,
        .journal_rows = st.rows,
        .at = now_of(c),
        .attended = c->mode == ELIG_ATTENDED,
        .enables = c->enables};
    int k = election_find_kiosk(c->el, st.kiosk_pk);
    in.kiosk_label = k >= 0 ? c->el->kiosk_labels[k] : "?";
    memcpy(in.kiosk_pk, st.kiosk_pk, SIGN_PK_LEN);
    memcpy(in.package_hash, c->package_hash, HASH_LEN);
    memcpy(in.chain_head, st.head, HASH_LEN);
    char *text = NULL;
    size_t len;
    struct err e = {0};
    if (polls_report_render(&in, lang, 72, &text, &len, &e) == 0) {
        snprintf(out, size, "%s", text);
        free(text);
    } else {
        snprintf(out, size, "%s", e.msg);
    }
}

static int find_target(struct station *c, char *dir, size_t size, struct err *e);

void station_status(struct station *c, enum lang lang, int *state, char lines[STATUS_LINES][128])
{
    if (!c->j) { /* nobody may vote: the polls are shown as not open */
        *state = JOURNAL_PAUSED;
        if (lines) {
            memset(lines, 0, STATUS_LINES * sizeof *lines);
            snprintf(lines[0], 128, "%s", msg(M_ST_NO_JOURNAL, lang));
            snprintf(lines[9], 128, "%s", c->note ? msg(c->note, lang) : "");
        }
        return;
    }
    struct journal_status st;
    journal_status(c->j, &st);
    *state = (int)st.state;
    if (!lines)
        return;
    char kfpr[FPR_TEXT_LEN + 1], pfpr[FPR_TEXT_LEN + 1];
    fingerprint(kfpr, st.kiosk_pk, SIGN_PK_LEN);
    fingerprint(pfpr, c->package_hash, HASH_LEN);
    struct statvfs vfs;
    unsigned long long free_mb = 0, more = 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", c->journal_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if (statvfs(slash ? dir : ".", &vfs) == 0) {
        unsigned long long bytes = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
        free_mb = bytes >> 20;
        more = bytes / 4096; /* a ballot row with its WAL and index pages: about 4 KiB */
    }
    time_t now = (time_t)now_of(c);
    struct tm tm;
    char clock[32] = "?";
    if (localtime_r(&now, &tm))
        strftime(clock, sizeof clock, "%Y-%m-%d %H:%M", &tm);
    static const enum msg STATES[] = {M_STATE_NOT_OPENED, M_STATE_OPEN, M_STATE_PAUSED,
                                      M_STATE_CLOSED};
    snprintf(lines[0], 128, msg(M_ST_POLLS, lang), msg(STATES[st.state & 3], lang));
    if (c->mode == ELIG_ATTENDED) {
        /* the enables beside the ballots, and a difference named */
        int n = snprintf(lines[1], 128, msg(M_ST_COUNTS_ENABLES, lang),
                         (unsigned long long)st.ballots, (unsigned long long)c->enables);
        size_t at = n > 0 && n < 128 ? (size_t)n : 127;
        if (c->enables > st.ballots)
            snprintf(lines[1] + at, 128 - at, msg(M_ST_ENABLE_DIFF, lang),
                     (unsigned long long)(c->enables - st.ballots));
        else if (st.ballots > c->enables)
            snprintf(lines[1] + at, 128 - at, msg(M_ST_BALLOT_DIFF, lang),
                     (unsigned long long)(st.ballots - c->enables));
    } else {
        snprintf(lines[1], 128, msg(M_ST_COUNTS, lang), (unsigned long long)st.ballots,
                 (unsigned long long)st.tokens);
    }
    snprintf(lines[2], 128, msg(M_ST_JOURNAL, lang), (unsigned long long)st.rows);
    snprintf(lines[3], 128, msg(M_ST_DISK, lang), free_mb, more);
    snprintf(lines[4], 128, msg(M_ST_KIOSK, lang), kfpr);
    snprintf(lines[5], 128, msg(M_ST_PACKAGE, lang), pfpr);
    snprintf(lines[6], 128, msg(M_ST_CLOCK, lang), clock);
    snprintf(lines[7], 128, "%s",
             msg(c->mode == ELIG_TOKEN ? M_ST_MODE_TOKEN : M_ST_MODE_ATTENDED, lang));
    char stick[4096];
    struct err e = {0};
    if (find_target(c, stick, sizeof stick, &e) == 0)
        snprintf(lines[8], 128, msg(M_ST_STICK, lang), stick);
    else
        snprintf(lines[8], 128, "%s", msg(M_ST_NO_STICK, lang));
    lines[9][0] = '\0';
    if (c->note) /* what the officials must know of the last cast */
        snprintf(lines[9], 128, msg(c->note, lang), c->note_code);
}

/* "2026-11-30 08:00 UTC" */
static void utc_text(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm))
        snprintf(out, 32, "%lld", (long long)t);
}

/* Opening or resuming with the clock outside the election's voting period: 1 and the warning
 * in out unless the official confirmed; once confirmed, an event row says so. */
static int check_clock(struct station *c, bool confirmed, int64_t now, enum lang lang, char *out,
                       size_t size, struct err *e)
{
    const struct election *el = c->el;
    /* a demonstration package trains officials on any day: its period is only an example */
    if (el->demo || el->voting_end <= el->voting_start ||
        (now >= el->voting_start && now <= el->voting_end))
        return 0;
    char at[32], from[32], to[32];
    utc_text(at, now);
    utc_text(from, el->voting_start);
    utc_text(to, el->voting_end);
    if (!confirmed) {
        snprintf(out, size, msg(M_CLOCK_WARNING, lang), at, from, to);
        return 1;
    }
    char detail[JOURNAL_EVENT_DETAIL_MAX + 1];
    snprintf(detail, sizeof detail,
             "clock %s outside the voting period %s to %s; opened after an official confirmed", at,
             from, to);
    return journal_record_event(c->j, STATION_EVENT_CLOCK, detail, now, e);
}

int station_polls(struct station *c, enum polls_action a, bool confirmed, enum lang lang, char *out,
                  size_t size)
{
    if (!c->j)
        return no_journal(lang, out, size);
    struct err e = {0};
    int64_t now = now_of(c);
    int rc;
    enum report_kind kind;
    struct journal_status before;
    journal_status(c->j, &before);
    bool opening = (a == POLLS_OPEN && before.state == JOURNAL_NOT_OPENED) ||
                   (a == POLLS_RESUME && before.state == JOURNAL_PAUSED);
    if (opening && (rc = check_clock(c, confirmed, now, lang, out, size, &e)) != 0) {
        if (rc < 0)
            snprintf(out, size, "%s", e.msg);
        return rc;
    }
    switch (a) {
    case POLLS_OPEN:
        rc = journal_open_polls(c->j, now, &e), kind = REPORT_ZERO;
        break;
    case POLLS_PAUSE:
        rc = journal_pause(c->j, now, &e), kind = REPORT_PAUSE;
        break;
    case POLLS_RESUME:
        rc = journal_resume(c->j, now, &e), kind = REPORT_RESUME;
        break;
    case POLLS_CLOSE:
        rc = journal_close_polls(c->j, now, &e), kind = REPORT_CLOSING;
        break;
    default:
        return ERR_USAGE;
    }
    if (rc) {
        snprintf(out, size, "%s", e.msg);
        return rc;
    }
    report_of(c, kind, lang, out, size);
    /* kept beside the journal, exported with it; a failure here loses no ballot: it is said */
    struct journal_status st;
    journal_status(c->j, &st);
    char name[POLLS_REPORT_NAME_MAX], path[4200];
    snprintf(path, sizeof path, "%s/%s", c->reports_dir,
             polls_report_file_name(kind, st.last_seq, name));
    int saved = mkdir(c->reports_dir, 0700) == 0 || errno == EEXIST
                    ? polls_report_write(path, out, strlen(out), &e)
                    : err_errno(&e, "cannot create %s", c->reports_dir);
    if (saved) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "\n(the report could not be saved for the export: %s)", e.msg);
    }
    if (a == POLLS_CLOSE) {
        /* at close, a stick already inserted receives the closing bundle at once; without one,
         * the Export button stays (the closing report says the same numbers either way) */
        char dir[4096], done[1024];
        struct err te = {0};
        if (find_target(c, dir, sizeof dir, &te) == 0) {
            station_export(c, lang, done, sizeof done);
            size_t n = strlen(out);
            snprintf(out + n, size - n, "\n\n%s", done);
        }
    }
    return 0;
}

/* ---- voter cards ------------------------------------------------------------------------- */

int station_token(struct station *c, const char *input, enum lang lang, int32_t *district,
                  uint8_t hash[TOKEN_HASH_LEN], char *msg_out, size_t size)
{
    if (!c->j) {
        snprintf(msg_out, size, "%s", msg(M_CAST_FAILED, lang));
        return TOKEN_UNKNOWN;
    }
    struct token_result r;
    struct err e = {0};
    if (token_check(c->el, input, journal_token_spent, c->j, &r, &e) < 0) {
        fprintf(stderr, "isoloir-kiosk: a voter card could not be checked: %s\n", e.msg);
        snprintf(msg_out, size, "%s", msg(M_CAST_FAILED, lang));
        return TOKEN_UNKNOWN;
    }
    if (r.status == TOKEN_VALID) {
        *district = r.district;
        memcpy(hash, r.hash, TOKEN_HASH_LEN);
    } else {
        snprintf(msg_out, size, "%s", token_status_message(r.status, lang));
    }
    int status = (int)r.status;
    sodium_memzero(&r, sizeof r);
    return status;
}

/* ---- USB export --------------------------------------------------------------------------- */

/* Follows libusb's arrivals and removals (non-blocking). */
static void usb_follow(struct station *c)
{
    if (!c->usb)
        return;
    struct usb_event ev[8];
    struct err e = {0};
    int n = usb_poll(c->usb, 0, ev, 8, &e);
    for (int i = 0; i < n; i++) {
        if (ev[i].kind == USB_ARRIVED)
            snprintf(c->stick, sizeof c->stick, "%s", ev[i].stick.sysname);
        else if (strcmp(c->stick, ev[i].stick.sysname) == 0)
            c->stick[0] = '\0';
    }
}

/* Where the bundle goes: the stick libusb saw (its mount), else any mount below the root. */
static int find_target(struct station *c, char *dir, size_t size, struct err *e)
{
    if (c->export_dir) {
        snprintf(dir, size, "%s", c->export_dir);
        return 0;
    }
    usb_follow(c);
    struct mount_info m;
    int rc = c->stick[0] ? mounts_find_stick(&c->mounts, c->stick, &m, e)
                         : mounts_find_any(&c->mounts, &m, e);
    if (!rc)
        snprintf(dir, size, "%s", m.dir);
    return rc;
}

/* The saved reports, read into files[] (names point into names[]); returns how many. */
static size_t load_reports(struct station *c, struct export_file *files, uint8_t **data,
                           char (*names)[BUNDLE_NAME_MAX + 1], size_t max)
{
    size_t n = 0;
    struct dirent **list = NULL;
    int k = scandir(c->reports_dir, &list, NULL, alphasort);
    for (int i = 0; i < k; i++) {
        const char *name = list[i]->d_name;
        size_t len;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", c->reports_dir, name);
        struct err e = {0};
        if (n < max && strlen(name) <= BUNDLE_NAME_MAX && bundle_name_valid(name) &&
            strncmp(name, "report-", 7) == 0 &&
            util_read_file(path, 1u << 20, &data[n], &len, &e) == 0) {
            memcpy(names[n], name, strlen(name) + 1);
            files[n] = (struct export_file){names[n], data[n], len};
            n++;
        }
        free(list[i]);
    }
    free(list);
    return n;
}

/* Why an export failed, in the official's language (the technical detail goes to the log). */
static const char *export_reason(enum export_failure f, enum lang lang)
{
    switch (f) {
    case EXPORT_FULL:
        return msg(M_EXPORT_WHY_FULL, lang);
    case EXPORT_REMOVED:
        return msg(M_EXPORT_WHY_REMOVED, lang);
    case EXPORT_READ_ONLY:
        return msg(M_EXPORT_WHY_READ_ONLY, lang);
    case EXPORT_FOREIGN_FS:
        return msg(M_EXPORT_WHY_FOREIGN_FS, lang);
    case EXPORT_DENIED:
        return msg(M_EXPORT_WHY_DENIED, lang);
    case EXPORT_VERIFY_FAILED:
        return msg(M_EXPORT_WHY_VERIFY, lang);
    case EXPORT_JOURNAL:
        return msg(M_EXPORT_WHY_JOURNAL, lang);
    default:
        return msg(M_EXPORT_WHY_OTHER, lang);
    }
}

int station_export(struct station *c, enum lang lang, char *out, size_t size)
{
    if (!c->j)
        return no_journal(lang, out, size);
    struct err e = {0};
    char dest[4096];
    if (find_target(c, dest, sizeof dest, &e)) {
        fprintf(stderr, "isoloir-kiosk: export: %s\n", e.msg);
        snprintf(out, size, "%s", msg(M_EXPORT_NO_STICK, lang));
        return ERR_NOTFOUND;
    }
    struct journal_status st;
    journal_status(c->j, &st);
    enum { MAX_REPORTS = BUNDLE_MAX_FILES - 8 };
    struct export_file files[MAX_REPORTS];
    uint8_t *data[MAX_REPORTS] = {0};
    char names[MAX_REPORTS][BUNDLE_NAME_MAX + 1];
    size_t nfiles = load_reports(c, files, data, names, MAX_REPORTS);
    struct export_request rq = {
        .dest_dir = dest,
        .journal_db = journal_db(c->j),
        .election_id = c->el->id,
        .kiosk_key = c->key,
        .export_seq = (uint32_t)st.last_seq,
        .kind = st.state == JOURNAL_CLOSED ? BUNDLE_CLOSING : BUNDLE_INTERIM,
        .journal_last_seq = st.last_seq,
        .files = files,
        .nfiles = nfiles,
        .flags = c->export_dir ? EXPORT_ANY_FILESYSTEM : 0,
        .mountinfo_path = c->mounts.mountinfo_path,
    };
    memcpy(rq.package_hash, c->package_hash, HASH_LEN);
    memcpy(rq.journal_head, st.head, HASH_LEN);
    struct export_result res = {0};
    int rc = export_write(&rq, &res, &e);
    for (size_t i = 0; i < nfiles; i++)
        free(data[i]);
    if (rc) {
        fprintf(stderr, "isoloir-kiosk: export: %s\n", e.msg);
        snprintf(out, size, msg(M_EXPORT_FAILED, lang), export_reason(res.failure, lang));
        return rc;
    }
    char detail[JOURNAL_EVENT_DETAIL_MAX + 1];
    snprintf(detail, sizeof detail, "%s rows 1-%llu", bundle_kind_name(rq.kind),
             (unsigned long long)st.last_seq);
    if (journal_record_event(c->j, JEVENT_EXPORT, detail, now_of(c), &e)) {
        fprintf(stderr, "isoloir-kiosk: export: %s\n", e.msg);
        snprintf(out, size, msg(M_EXPORT_FAILED, lang), msg(M_EXPORT_WHY_JOURNAL, lang));
        return ERR_IO;
    }
    snprintf(out, size, msg(M_EXPORT_DONE, lang), res.dir, (unsigned long long)st.ballots);
    return 0;
}

/* ---- installing another package ------------------------------------------------------------
 * Order (docs/kiosk.md): the new package is written durably beside the installed one as
 * <package>.new and an event row goes into the current journal; the loop ends; main closes the
 * journal, moves it (with its PIN state and reports) to <journal dir>/archive/, and renames
 * <package>.new over <package>. A power cut at any point leaves either the old package with its
 * journal, or a <package>.new without a journal, which the next start completes
 * (finish_install). Journals are never deleted. */

/* The one *.isoloir file at the top of the stick, into path. Only regular files count: a
 * pipe, a device, a folder or a symbolic link with that name is named and refused (reading a
 * pipe would wait forever). */
static int find_package_file(const char *dir, char *path, size_t size, struct err *e)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort), found = 0;
    if (n < 0)
        return err_errno(e, "cannot read the stick %s", dir);
    char odd[256] = "";
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t len = strlen(name);
        if (name[0] != '.' && len > 8 && strcmp(name + len - 8, ".isoloir") == 0) {
            char p[4400];
            struct stat sb;
            snprintf(p, sizeof p, "%s/%s", dir, name);
            if (lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
                if (!odd[0])
                    snprintf(odd, sizeof odd, "%s", name);
            } else if (!found++) {
                snprintf(path, size, "%s", p);
            }
        }
        free(list[i]);
    }
    free(list);
    if (found == 0 && odd[0])
        return err_set(e, ERR_INVALID,
                       "%s on the stick is not an ordinary file (a pipe, a device, a folder or a "
                       "link): copy the package itself onto the stick",
                       odd);
    if (found == 0)
        return err_set(e, ERR_NOTFOUND,
                       "there is no election package (a file ending in .isoloir) at the top of "
                       "the stick");
    if (found > 1)
        return err_set(e, ERR_INVALID,
                       "the stick holds %d packages (.isoloir files): keep only the one to install",
                       found);
    return 0;
}

/* Reads a regular file without ever blocking: opened O_NONBLOCK | O_NOFOLLOW and checked
 * after opening (the name may have changed since it was listed). */
static int read_regular(const char *path, size_t max, uint8_t **data, size_t *len, struct err *e)
{
    *data = NULL, *len = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return err_errno(e, "cannot open %s", path);
    struct stat sb;
    int rc = 0;
    if (fstat(fd, &sb) != 0)
        rc = err_errno(e, "cannot read %s", path);
    else if (!S_ISREG(sb.st_mode))
        rc = err_set(e, ERR_INVALID, "%s is not an ordinary file", path);
    else if ((uint64_t)sb.st_size > max)
        rc = err_set(e, ERR_INVALID, "%s is larger than a package may be (%zu bytes)", path, max);
    uint8_t *buf = NULL;
    size_t got = 0;
    if (!rc && !(buf = malloc((size_t)sb.st_size + 1)))
        rc = err_set(e, ERR_NOMEM, "out of memory");
    while (!rc && got < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            rc = r < 0 ? err_errno(e, "cannot read %s", path)
                       : err_set(e, ERR_IO, "%s became shorter while it was read", path);
        else
            got += (size_t)r;
    }
    close(fd);
    if (rc) {
        free(buf);
        return rc;
    }
    *data = buf, *len = got;
    return 0;
}

int station_install(struct station *c, bool confirm, enum lang lang, char *out, size_t size)
{
    if (!c->j)
        return no_journal(lang, out, size), 0;
    struct err e = {0};
    struct journal_status st;
    journal_status(c->j, &st);
    char dir[4096], path[4400];
    uint8_t *data = NULL;
    size_t len = 0;
    struct election el;
    uint8_t hash[HASH_LEN];
    int rc = 0;
    bool have_el = false;
    if (st.state == JOURNAL_OPEN || st.state == JOURNAL_PAUSED)
        rc = err_set(&e, ERR_STATE,
                     "the polls are running: close them (and export) before installing a package");
    if (!rc && find_target(c, dir, sizeof dir, &e))
        rc = ERR_NOTFOUND;
    if (!rc)
        rc = find_package_file(dir, path, sizeof path, &e);
    if (!rc)
        rc = read_regular(path, PACKAGE_MAX_BYTES, &data, &len, &e);
    if (!rc &&
        !(rc = package_open_mem(data, len, c->authority_pk, c->package_flags, &el, hash, &e)))
        have_el = true;
    if (!rc && (c->package_flags & PACKAGE_ALLOW_DEMO) && !el.demo)
        rc = err_set(&e, ERR_STATE,
                     "it is a real election package and this kiosk runs a demonstration "
                     "(--demo): a real package is installed only on a kiosk started without "
                     "--demo");
    if (!rc && sodium_memcmp(hash, c->package_hash, HASH_LEN) == 0)
        rc = err_set(&e, ERR_STATE, "it is the package this kiosk already has");
    if (!rc && election_find_kiosk(&el, st.kiosk_pk) < 0)
        rc = err_set(&e, ERR_INVALID,
                     "it does not authorise this kiosk's key: ask the authority "
                     "for a package that lists it");
    if (!rc && confirm && (!c->have_pending || sodium_memcmp(hash, c->pending, HASH_LEN) != 0))
        rc = err_set(&e, ERR_STATE,
                     "the package on the stick changed since it was shown: look "
                     "at it again");
    if (rc) {
        snprintf(out, size, msg(M_INSTALL_REFUSED, lang), e.msg);
        c->have_pending = false;
    } else if (!confirm) {
        char pfpr[FPR_TEXT_LEN + 1], afpr[FPR_TEXT_LEN + 1];
        fingerprint(pfpr, hash, HASH_LEN);
        fingerprint(afpr, el.authority_pk, SIGN_PK_LEN);
        snprintf(out, size, msg(M_INSTALL_SHOW, lang), text_get(&el.name, lang), el.id, pfpr, afpr,
                 el.nprojects);
        memcpy(c->pending, hash, HASH_LEN);
        c->have_pending = true;
    } else {
        char staged[4200], detail[JOURNAL_EVENT_DETAIL_MAX + 1], pfpr[FPR_TEXT_LEN + 1];
        snprintf(staged, sizeof staged, "%s.new", c->package_path);
        fingerprint(pfpr, hash, HASH_LEN);
        snprintf(detail, sizeof detail, "package %s (%s)", pfpr, el.id);
        rc = util_write_durable(staged, data, len, 0600, &e);
        if (!rc)
            rc = journal_record_event(c->j, JEVENT_PACKAGE_INSTALLED, detail, now_of(c), &e);
        if (rc) {
            unlink(staged); /* the kiosk stays as it was */
            snprintf(out, size, msg(M_INSTALL_REFUSED, lang), e.msg);
        } else {
            snprintf(out, size, "%s", msg(M_INSTALL_DONE, lang));
            c->installed = true;
        }
        c->have_pending = false;
    }
    if (have_el)
        election_free(&el);
    free(data);
    return rc ? 0 : 1;
}

/* Moves the journal and what belongs to it into <journal dir>/archive/, stamped with the time
 * and the package it was for. */
static int archive_journal(const char *journal_path, const uint8_t package_hash[HASH_LEN],
                           struct err *e)
{
    char dir[4096], archive[4200], base[4400];
    snprintf(dir, sizeof dir, "%s", journal_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    snprintf(archive, sizeof archive, "%s/archive", dir);
    if (mkdir(archive, 0700) && errno != EEXIST)
        return err_errno(e, "cannot create %s", archive);
    char fpr[FPR_TEXT_LEN + 1], stamp[32] = "0";
    fingerprint(fpr, package_hash, HASH_LEN);
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    const char *name = slash ? slash + 1 : journal_path;
    snprintf(base, sizeof base, "%s/%s-%s-%s", archive, stamp, fpr, name);
    /* the kiosk's state first and the journal last: a power cut in between leaves the journal
     * in place (the old package goes on) or gone with its state (the next start finishes) */
    static const char *const SUFFIXES[] = {".cast", ".enables", ".official", ".reports",
                                           "",      "-wal",     "-shm"};
    for (size_t i = 0; i < sizeof SUFFIXES / sizeof *SUFFIXES; i++) {
        char from[4400], to[4500];
        snprintf(from, sizeof from, "%s%s", journal_path, SUFFIXES[i]);
        snprintf(to, sizeof to, "%s%s", base, SUFFIXES[i]);
        if (rename(from, to) && errno != ENOENT)
            return err_errno(e, "cannot move %s to %s", from, to);
    }
    if (util_fsync_dir(archive, e) || util_fsync_dir(dir, e))
        return e->code;
    return 0;
}

/* A staged <package>.new and no journal: an install was cut off after the journal was archived;
 * completes it. */
int station_finish_install(const char *package_path, const char *journal_path, struct err *e)
{
    char staged[4200];
    snprintf(staged, sizeof staged, "%s.new", package_path);
    struct stat sb;
    if (stat(staged, &sb) != 0 || stat(journal_path, &sb) == 0)
        return 0;
    if (rename(staged, package_path))
        return err_errno(e, "cannot install %s", staged);
    return util_fsync_dir(package_path, e);
}

/* ---- the station as a whole ------------------------------------------------------------ */

/* Refuses a missing or empty journal beside the kiosk's records of an earlier vote: a new
 * journal would let the polls open again, show zero ballots and lose the ballots of the one
 * that went missing. */
static int check_not_orphaned(const char *journal_path, struct err *e)
{
    struct stat sb;
    bool missing = false;
    if (stat(journal_path, &sb) != 0) {
        if (errno != ENOENT)
            return 0; /* unreadable for another reason: journal_open says which */
        missing = true;
    } else if (sb.st_size > 0) {
        return 0;
    }
    static const char *const STATE[] = {".official", ".reports", ".cast", ".enables", "-wal"};
    char found[600] = "";
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_LEN(STATE); i++) {
        char p[4200];
        struct stat ss;
        snprintf(p, sizeof p, "%s%s", journal_path, STATE[i]);
        if (stat(p, &ss) == 0 && n < sizeof found)
            n += (size_t)snprintf(found + n, sizeof found - n, "%s%s", n ? ", " : "", p);
    }
    if (!missing && !found[0])
        return err_set(e, ERR_STATE,
                       "the journal %s is empty (0 bytes): it was cut or replaced. Put back the "
                       "journal (from a copy or the last export) and call your supervisor; the "
                       "kiosk does not start a new one over it",
                       journal_path);
    if (!found[0])
        return 0; /* a new kiosk: nothing from an earlier vote */
    return err_set(e, ERR_STATE,
                   "the journal %s is %s, but this kiosk's records of an earlier vote are beside "
                   "it (%s). A new journal would let the polls open again and would lose the "
                   "ballots of the missing one. Put the journal back (from a copy or the last "
                   "export) and call your supervisor; only for a new election, move these files "
                   "to the archive folder first",
                   journal_path, missing ? "missing" : "empty (0 bytes)", found);
}

/* Only one kiosk process per journal: a write lock on FILE.lock, held while the station is
 * open (the system drops it when the process ends, however it ends). */
static int take_lock(const char *journal_path, int *fd, struct err *e)
{
    char p[4200];
    snprintf(p, sizeof p, "%s.lock", journal_path);
    *fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (*fd < 0)
        return err_errno(e, "cannot open the lock file %s", p);
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(*fd, F_SETLK, &fl) == 0)
        return 0;
    int err = errno;
    struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    long pid = fcntl(*fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK ? (long)who.l_pid : 0;
    close(*fd);
    *fd = -1;
    if (err != EACCES && err != EAGAIN)
        return err_set(e, ERR_IO, "cannot lock %s: %s", p, strerror(err));
    return err_set(e, ERR_STATE,
                   "another kiosk program (process %ld) already runs on the journal %s: a "
                   "journal has one writer. Stop the other one first (on the appliance: "
                   "systemctl stop isoloir-kiosk), or give this one its own --journal",
                   pid, journal_path);
}

/* What the journal holds of a cast that began after row `before`: reopens the journal (its
 * connection may be in any state after a failure) and looks. Sets the officials' note. */
static int settle(struct station *c, uint64_t before, bool restart, char *tracking, size_t size)
{
    struct err e = {0};
    int rc = 0;
    if (!restart) {
        journal_close(c->j);
        c->j = NULL;
        rc = journal_open(c->journal_path, c->el, c->package_hash, c->key, &c->j, &e);
    }
    struct journal_found f;
    int found =
        rc ? rc : journal_find_last_ballot(c->journal_path, c->el, c->package_hash, before, &f, &e);
    c->note_code[0] = '\0';
    if (found < 0) {
        fprintf(stderr, "isoloir-kiosk: cannot tell whether the last ballot is recorded: %s\n",
                e.msg);
        c->note = restart ? M_NOTE_RESTART_UNK : M_NOTE_UNKNOWN;
        return CAST_UNKNOWN; /* FILE.cast keeps the question for the next start */
    }
    if (found == 1) { /* FILE.cast is cleared once the voter has seen the code */
        snprintf(c->note_code, sizeof c->note_code, "%s", f.tracking);
        snprintf(tracking, size, "%s", f.tracking);
        c->note = restart ? M_NOTE_RESTART_REC : M_NOTE_RECORDED_ERR;
        return CAST_RECORDED;
    }
    char cp[4200];
    state_path(c, ".cast", cp, sizeof cp);
    if (record_put(c->cast_fd, cp, "isoloir-cast idle", &e))
        fprintf(stderr, "isoloir-kiosk: %s\n", e.msg);
    c->note = restart ? M_NOTE_RESTART_NOT : M_NOTE_NOT_RECORDED;
    return CAST_NOT_RECORDED;
}

int station_open(const struct station_config *cfg, struct station **out, struct err *e)
{
    *out = NULL;
    struct station *c = calloc(1, sizeof *c);
    if (!c)
        return err_set(e, ERR_NOMEM, "out of memory");
    *c = (struct station){
        .el = cfg->el,
        .package_hash = cfg->package_hash,
        .journal_path = cfg->journal_path,
        .key = cfg->kiosk_key,
        .mounts = {.mount_root = cfg->usb_root, .mountinfo_path = cfg->mountinfo_path},
        .export_dir = cfg->export_dir,
        .package_path = cfg->package_path,
        .authority_pk = cfg->authority_pk,
        .package_flags = cfg->package_flags,
        .clock = cfg->clock,
        .lock_fd = -1,
        .cast_fd = -1,
        .enables_fd = -1,
        .interrupted = CAST_NONE};
    snprintf(c->reports_dir, sizeof c->reports_dir, "%s.reports", cfg->journal_path);
    int rc = take_lock(cfg->journal_path, &c->lock_fd, e);
    if (!rc)
        rc = check_not_orphaned(cfg->journal_path, e);
    if (!rc)
        rc = journal_open(cfg->journal_path, cfg->el, cfg->package_hash, cfg->kiosk_key, &c->j, e);
    char cast_text[RECORD_LEN + 1] = "", enables_text[RECORD_LEN + 1] = "", p[4200];
    if (!rc) {
        state_path(c, ".cast", p, sizeof p);
        rc = record_open(p, &c->cast_fd, cast_text, e);
    }
    if (!rc) {
        state_path(c, ".enables", p, sizeof p);
        rc = record_open(p, &c->enables_fd, enables_text, e);
    }
    unsigned long long enables = 0;
    if (!rc && enables_text[0] && sscanf(enables_text, "isoloir-enables %llu", &enables) != 1)
        rc = err_set(e, ERR_FORMAT,
                     "%s does not read back (\"%.20s\"): the count of voters enabled is lost; "
                     "call your supervisor",
                     p, enables_text);
    c->enables = enables;
    if (!rc) {
        char state[4096];
        snprintf(state, sizeof state, "%s.official", cfg->journal_path);
        rc = official_open(state, cfg->el, cfg->package_hash, cfg->clock.now ? &cfg->clock : NULL,
                           &c->cred, e);
    }
    if (rc) {
        station_close(c, NULL);
        return rc;
    }
    /* a cast the last stop cut off: the journal says what became of it */
    unsigned long long before;
    char code[TRACKING_TEXT_MAX];
    if (sscanf(cast_text, "isoloir-cast after %llu", &before) == 1)
        c->interrupted = settle(c, before, true, code, sizeof code);
    else if (cast_text[0] && strncmp(cast_text, "isoloir-cast idle", 17) != 0)
        c->interrupted = CAST_UNKNOWN, c->note = M_NOTE_RESTART_UNK;
    struct journal_status st;
    journal_status(c->j, &st);
    c->mode = election_kiosk_eligibility(c->el, election_find_kiosk(c->el, st.kiosk_pk));
    struct err ue = {0};
    if (cfg->libusb && !cfg->export_dir && usb_open(USB_BACKEND_LIBUSB, &c->usb, &ue))
        fprintf(stderr,
                "isoloir-kiosk: USB hotplug is not available (%s): sticks are found by their "
                "mount below %s\n",
                ue.msg, cfg->usb_root ? cfg->usb_root : MOUNTS_ROOT_DEFAULT);
    *out = c;
    return 0;
}

int station_close(struct station *c, struct err *e)
{
    if (!c)
        return 0;
    official_close(c->cred);
    if (c->usb)
        usb_close(c->usb);
    journal_close(c->j);
    if (c->cast_fd >= 0)
        close(c->cast_fd);
    if (c->enables_fd >= 0)
        close(c->enables_fd);
    int rc = 0;
    if (c->installed) {
        /* the journal is closed: move it aside, then put the new package in place */
        rc = archive_journal(c->journal_path, c->package_hash, e);
        if (!rc)
            rc = station_finish_install(c->package_path, c->journal_path, e);
    }
    if (c->lock_fd >= 0)
        close(c->lock_fd); /* last: another kiosk may start now */
    free(c);
    return rc;
}

enum eligibility station_eligibility(const struct station *c)
{
    return c->mode;
}

bool station_installed(const struct station *c)
{
    return c->installed;
}

int station_interrupted(struct station *c, char *tracking, size_t size)
{
    tracking[0] = '\0';
    if (c->interrupted == CAST_RECORDED)
        snprintf(tracking, size, "%s", c->note_code);
    return c->interrupted;
}

void station_cast_seen(struct station *c)
{
    char p[4200];
    struct err e = {0};
    state_path(c, ".cast", p, sizeof p);
    if (c->cast_fd >= 0 && record_put(c->cast_fd, p, "isoloir-cast idle", &e))
        fprintf(stderr, "isoloir-kiosk: %s\n", e.msg);
}

uint64_t station_enables(const struct station *c)
{
    return c->enables;
}

int station_enable(struct station *c, enum lang lang, char *out, size_t size)
{
    char text[RECORD_LEN], p[4200];
    struct err e = {0};
    state_path(c, ".enables", p, sizeof p);
    snprintf(text, sizeof text, "isoloir-enables %llu", (unsigned long long)c->enables + 1);
    if (record_put(c->enables_fd, p, text, &e)) {
        fprintf(stderr, "isoloir-kiosk: %s\n", e.msg);
        snprintf(out, size, "%s", msg(M_ENABLE_FAILED, lang));
        return ERR_IO;
    }
    c->enables++;
    return 0;
}

int station_cast(struct station *c, const struct vote *v, const uint8_t *token_hash, char *tracking,
                 size_t size, struct err *e)
{
    tracking[0] = '\0';
    if (!c->j) {
        err_set(e, ERR_IO, "the journal cannot be read");
        return CAST_NOT_RECORDED;
    }
    /* first on disk: a cast begins after this row (a stop from here on is found at start) */
    struct journal_status st;
    journal_status(c->j, &st);
    char mark[RECORD_LEN], p[4200];
    state_path(c, ".cast", p, sizeof p);
    snprintf(mark, sizeof mark, "isoloir-cast after %llu", (unsigned long long)st.last_seq);
    if (record_put(c->cast_fd, p, mark, e))
        return CAST_NOT_RECORDED; /* nothing was written to the journal */
    char code[TRACKING_TEXT_MAX];
    int rc = journal_cast(c->j, v, token_hash, code, e);
    if (!rc) {
        /* FILE.cast stays "after N" until the voter has seen the code (station_cast_seen): a
         * stop before that is found at the next start, which shows the code */
        snprintf(tracking, size, "%s", code);
        c->note = 0;
        return CAST_RECORDED;
    }
    /* the cast failed, perhaps after the row reached the file: the journal says which */
    fprintf(stderr, "isoloir-kiosk: a cast failed: %s\n", e->msg);
    return settle(c, st.last_seq, false, tracking, size);
}
