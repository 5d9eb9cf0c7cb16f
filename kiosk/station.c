/* station — the officials' side of a kiosk; see station.h. This file: opening and closing
 * (the lock, the refusal of an orphaned journal), the PIN, the status lines, the polls changes
 * with their reports and the clock check, voter cards. Export and install are in
 * station_usb.c, casts and enables in station_cast.c; station_int.h holds what they share.
 *
 * One struct holds what an official's action needs: the journal, the credential, the package
 * and keys, where sticks are found, and the package an install is about to stage. */
#include "station_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sys/statvfs.h>

#include "package.h"
#include "polls_report.h"
#include "token.h"
#include "util.h"

int64_t station_now(const struct station *c)
{
    return c->clock.now ? c->clock.now(c->clock.ctx) : (int64_t)time(NULL);
}

void station_state_path(const struct station *c, const char *suffix, char *out, size_t size)
{
    snprintf(out, size, "%s%s", c->journal_path, suffix);
}

/* The journal could not be opened again after a failed cast: what each action says then. */
int station_no_journal(enum lang lang, char *out, size_t size)
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
        journal_record_event(c->j, JEVENT_PIN_LOCKOUT, "official PIN", station_now(c), &je);
    }
    /* while locked, a supervisor's PIN lifts the lockout (a PIN checked just now matched no
     * one, a supervisor included: it is not tried twice) */
    if (!r.ok && r.locked && !r.checked) {
        struct official_result sr;
        if (official_supervisor_unlock(c->cred, pin, &sr, &e) >= 0 && sr.ok) {
            if (c->j)
                journal_record_event(c->j, JEVENT_PIN_UNLOCKED, "supervisor", station_now(c), &e);
            c->who = sr.who;
            return 1;
        }
    }
    if (r.ok) {
        c->who = r.who;
        return 1;
    }
    official_message(&r, OFFICIAL_PIN, lang, msg_out, size);
    if (rc < 0 && size > strlen(msg_out) + 2) /* the attempt count could not be saved */
        snprintf(msg_out + strlen(msg_out), size - strlen(msg_out), " (%s)", e.msg);
    return 0;
}

const char *station_official(const struct station *c)
{
    return official_name(c->cred, c->who);
}

static void report_input(struct station *c, enum report_kind kind, enum lang lang,
                         struct polls_report_input *out)
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
        .at = station_now(c),
        .attended = c->mode == ELIG_ATTENDED,
        .enables = c->enables,
        .official = official_name(c->cred, c->who)};
    int k = election_find_kiosk(c->el, st.kiosk_pk);
    in.kiosk_label = k >= 0 ? c->el->kiosk_labels[k] : "?";
    memcpy(in.kiosk_pk, st.kiosk_pk, SIGN_PK_LEN);
    memcpy(in.package_hash, c->package_hash, HASH_LEN);
    memcpy(in.chain_head, st.head, HASH_LEN);
    *out = in;
}

static void report_of(struct station *c, enum report_kind kind, enum lang lang, char *out,
                      size_t size)
{
    struct polls_report_input in;
    report_input(c, kind, lang, &in);
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
    time_t now = (time_t)station_now(c);
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
            snprintf(lines[1] + at, 128 - at,
                     msg_n(M_ST_ENABLE_DIFF, lang, c->enables - st.ballots),
                     (unsigned long long)(c->enables - st.ballots));
        else if (st.ballots > c->enables)
            snprintf(lines[1] + at, 128 - at,
                     msg_n(M_ST_BALLOT_DIFF, lang, st.ballots - c->enables),
                     (unsigned long long)(st.ballots - c->enables));
    } else {
        snprintf(lines[1], 128, msg(M_ST_COUNTS, lang), (unsigned long long)st.ballots,
                 (unsigned long long)st.tokens);
    }
    snprintf(lines[2], 128, msg_n(M_ST_JOURNAL, lang, st.rows), (unsigned long long)st.rows);
    snprintf(lines[3], 128, msg_n(M_ST_DISK, lang, more), free_mb, more);
    snprintf(lines[4], 128, msg(M_ST_KIOSK, lang), kfpr);
    snprintf(lines[5], 128, msg(M_ST_PACKAGE, lang), pfpr);
    snprintf(lines[6], 128, msg(M_ST_CLOCK, lang), clock);
    snprintf(lines[7], 128, "%s",
             msg(c->mode == ELIG_TOKEN ? M_ST_MODE_TOKEN : M_ST_MODE_ATTENDED, lang));
    char stick[4096];
    struct err e = {0};
    if (station_find_target(c, stick, sizeof stick, &e) == 0)
        snprintf(lines[8], 128, msg(M_ST_STICK, lang), stick);
    else
        snprintf(lines[8], 128, "%s", msg(M_ST_NO_STICK, lang));
    lines[9][0] = '\0';
    if (c->note) /* what the officials must know of the last cast */
        snprintf(lines[9], 128, msg(c->note, lang), c->note_code);
    station_printer_line(c, lang, lines[10], 128);
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
    /* docs/journal.md, event 7: "clock <kiosk time> outside <start>/<end>", ISO 8601 UTC */
    char detail[JOURNAL_EVENT_DETAIL_MAX + 1], iso[3][24];
    const int64_t when[3] = {now, el->voting_start, el->voting_end};
    for (int i = 0; i < 3; i++) {
        time_t tt = (time_t)when[i];
        struct tm tm;
        if (!gmtime_r(&tt, &tm) || !strftime(iso[i], sizeof iso[i], "%Y-%m-%dT%H:%M:%SZ", &tm))
            snprintf(iso[i], sizeof iso[i], "%lld", (long long)when[i]);
    }
    snprintf(detail, sizeof detail, "clock %s outside %s/%s", iso[0], iso[1], iso[2]);
    return journal_record_event(c->j, JEVENT_CLOCK_CONFIRMED, detail, now, e);
}

int station_polls(struct station *c, enum polls_action a, bool confirmed, enum lang lang, char *out,
                  size_t size)
{
    if (!c->j)
        return station_no_journal(lang, out, size);
    struct err e = {0};
    int64_t now = station_now(c);
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
        fprintf(stderr, "isoloir-kiosk: %s\n", e.msg);
        snprintf(out + n, size - n, "\n%s", msg(M_REPORT_NOT_SAVED, lang));
    }
    /* and on paper, once the file is safe; a printer that fails leaves it printable later */
    struct polls_report_input in;
    report_input(c, kind, lang, &in);
    station_print_report(c, &in, lang);
    if (a == POLLS_CLOSE) {
        /* at close, a stick already inserted receives the closing bundle at once; without one,
         * the Export button stays (the closing report says the same numbers either way) */
        char dir[4096], done[1024];
        struct err te = {0};
        if (station_find_target(c, dir, sizeof dir, &te) == 0) {
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
        .printer = cfg->printer,
        .printer_sync = cfg->printer_sync,
        .mounts = {.mount_root = cfg->usb_root, .mountinfo_path = cfg->mountinfo_path},
        .export_dir = cfg->export_dir,
        .package_path = cfg->package_path,
        .authority_pk = cfg->authority_pk,
        .package_flags = cfg->package_flags,
        .clock = cfg->clock,
        .lock_fd = -1,
        .cast_fd = -1,
        .enables_fd = -1,
        .interrupted = CAST_NONE,
        .who = -1};
    snprintf(c->reports_dir, sizeof c->reports_dir, "%s.reports", cfg->journal_path);
    int rc = take_lock(cfg->journal_path, &c->lock_fd, e);
    if (!rc)
        rc = check_not_orphaned(cfg->journal_path, e);
    if (!rc)
        rc = journal_open(cfg->journal_path, cfg->el, cfg->package_hash, cfg->kiosk_key, &c->j, e);
    char cast_text[RECORD_LEN + 1] = "", enables_text[RECORD_LEN + 1] = "", p[4200];
    if (!rc) {
        station_state_path(c, ".cast", p, sizeof p);
        rc = station_record_open(p, &c->cast_fd, cast_text, e);
    }
    if (!rc) {
        station_state_path(c, ".enables", p, sizeof p);
        rc = station_record_open(p, &c->enables_fd, enables_text, e);
    }
    unsigned long long enables = 0;
    if (!rc && enables_text[0] && sscanf(enables_text, "isoloir-enables %llu", &enables) != 1)
        rc = err_set(e, ERR_FORMAT,
                     "%s does not read back (\"%.20s\"): the count of voters enabled is lost; "
                     "call your supervisor",
                     p, enables_text);
    c->enables = enables;
    /* the officials' PINs: only this kiosk's secret key opens its list in the package */
    if (!rc)
        rc = package_open_officials(cfg->el, cfg->kiosk_key, &c->officials, e);
    if (!rc) {
        char state[4096];
        snprintf(state, sizeof state, "%s.official", cfg->journal_path);
        rc = official_open(state, c->officials, cfg->package_hash,
                           cfg->clock.now ? &cfg->clock : NULL, &c->cred, e);
    }
    if (rc) {
        station_close(c, NULL);
        return rc;
    }
    /* a cast the last stop cut off: the journal says what became of it */
    unsigned long long before;
    char code[TRACKING_TEXT_MAX];
    if (sscanf(cast_text, "isoloir-cast after %llu", &before) == 1)
        c->interrupted = station_settle(c, before, true, code, sizeof code);
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
    officials_free(c->officials);
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
        rc = station_archive_journal(c->journal_path, c->package_hash, e);
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
