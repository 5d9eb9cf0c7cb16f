/*
 * isoloir-kiosk — the voting stand. Opens the election package (verified against the
 * authority key the kiosk was provisioned with), the kiosk's own key and its journal, then
 * runs the screens. Every error before the first screen is printed in words an official can
 * act on, and the program exits without showing a voter anything.
 *
 *   isoloir-kiosk --package PKG --authority AUTH.pub --kiosk-key KIOSK.key --journal FILE
 *                 [--passphrase-file F] [--demo] [--windowed] [--size WxH] [--font-dir DIR]
 *                 [--script FILE --shots DIR] [--exit-after MS] [--idle-seconds N]
 */
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "catalog.h"
#include "cli.h"
#include "export.h"
#include "journal.h"
#include "keys.h"
#include "mounts.h"
#include "official.h"
#include "package.h"
#include "report.h"
#include "token.h"
#include "usb.h"
#include "watchdog.h"
#include "util.h"

#ifndef ISOLOIR_FONT_DIR
#define ISOLOIR_FONT_DIR "/usr/share/fonts/truetype/noto"
#endif

static const char *const PROG = "isoloir-kiosk";

static int usage(void)
{
    fprintf(stderr,
            "usage: isoloir-kiosk --package PKG --authority AUTH.pub --kiosk-key KIOSK.key\n"
            "                     --journal FILE [--passphrase-file F] [--demo] [--windowed]\n"
            "                     [--size WxH] [--font-dir DIR] [--script FILE --shots DIR]\n"
            "                     [--exit-after MS] [--idle-seconds N] [--usb-root DIR]\n"
            "                     [--export-dir DIR (with --demo)]\n");
    return 2;
}

static int cast(void *ctx, const struct vote *v, const uint8_t *token_hash, char *tracking,
                size_t size, struct err *e)
{
    char code[TRACKING_TEXT_MAX];
    int rc = journal_cast(ctx, v, token_hash, code, e);
    if (!rc)
        snprintf(tracking, size, "%s", code);
    return rc;
}

/* ---- the officials' side: PIN, status, polls (journal rows and reports) ------------------ */

struct officials_ctx {
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
    struct app_config *cfg; /* to end the loop once a package is installed */
};

static int officials_pin(void *ctx, const char *pin, enum lang lang, char *msg_out, size_t size)
{
    struct officials_ctx *c = ctx;
    struct official_result r;
    struct err e = {0};
    int rc = official_try(c->cred, pin, &r, &e);
    if (!r.ok && r.checked && r.locked) { /* this wrong PIN locked the keypad: on the record */
        struct err je = {0};
        journal_record_event(c->j, JEVENT_PIN_LOCKOUT, "official PIN", (int64_t)time(NULL), &je);
    }
    if (!r.ok && r.locked) {
        /* the supervisor PIN lifts a lockout */
        struct official_result sr;
        if (official_supervisor_unlock(c->cred, pin, &sr, &e) >= 0 && sr.ok) {
            journal_record_event(c->j, JEVENT_PIN_UNLOCKED, "supervisor", (int64_t)time(NULL), &e);
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

static void report_of(struct officials_ctx *c, enum report_kind kind, enum lang lang, char *out,
                      size_t size)
{
    struct journal_status st;
    journal_status(c->j, &st);
    struct report_input in = {
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
        .at = (int64_t)time(NULL)};
    int k = election_find_kiosk(c->el, st.kiosk_pk);
    in.kiosk_label = k >= 0 ? c->el->kiosk_labels[k] : "?";
    memcpy(in.kiosk_pk, st.kiosk_pk, SIGN_PK_LEN);
    memcpy(in.package_hash, c->package_hash, HASH_LEN);
    memcpy(in.chain_head, st.head, HASH_LEN);
    char *text = NULL;
    size_t len;
    struct err e = {0};
    if (report_render(&in, lang, 72, &text, &len, &e) == 0) {
        snprintf(out, size, "%s", text);
        free(text);
    } else {
        snprintf(out, size, "%s", e.msg);
    }
}

static int find_target(struct officials_ctx *c, char *dir, size_t size, struct err *e);
static int officials_export(void *ctx, enum lang lang, char *out, size_t size);

static void officials_status(void *ctx, enum lang lang, int *state, char lines[STATUS_LINES][128])
{
    struct officials_ctx *c = ctx;
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
    time_t now = time(NULL);
    struct tm tm;
    char clock[32] = "?";
    if (localtime_r(&now, &tm))
        strftime(clock, sizeof clock, "%Y-%m-%d %H:%M", &tm);
    static const enum msg STATES[] = {M_STATE_NOT_OPENED, M_STATE_OPEN, M_STATE_PAUSED,
                                      M_STATE_CLOSED};
    snprintf(lines[0], 128, msg(M_ST_POLLS, lang), msg(STATES[st.state & 3], lang));
    snprintf(lines[1], 128, msg(M_ST_COUNTS, lang), (unsigned long long)st.ballots,
             (unsigned long long)st.tokens);
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
}

static int officials_polls(void *ctx, enum polls_action a, enum lang lang, char *out, size_t size)
{
    struct officials_ctx *c = ctx;
    struct err e = {0};
    int64_t now = (int64_t)time(NULL);
    int rc;
    enum report_kind kind;
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
    static const char *const NAMES[] = {"", "report-zero", "report-pause", "report-resume",
                                        "report-closing"};
    char path[4200];
    snprintf(path, sizeof path, "%s/%s-%llu.txt", c->reports_dir, NAMES[a],
             (unsigned long long)st.last_seq);
    int saved = mkdir(c->reports_dir, 0700) == 0 || errno == EEXIST
                    ? util_write_durable(path, out, strlen(out), 0600, &e)
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
            officials_export(c, lang, done, sizeof done);
            size_t n = strlen(out);
            snprintf(out + n, size - n, "\n\n%s", done);
        }
    }
    return 0;
}

/* ---- voter cards ------------------------------------------------------------------------- */

static int officials_token(void *ctx, const char *input, enum lang lang, int32_t *district,
                           uint8_t hash[TOKEN_HASH_LEN], char *msg_out, size_t size)
{
    struct officials_ctx *c = ctx;
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
static void usb_follow(struct officials_ctx *c)
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
static int find_target(struct officials_ctx *c, char *dir, size_t size, struct err *e)
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
static size_t load_reports(struct officials_ctx *c, struct export_file *files, uint8_t **data,
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

static int officials_export(void *ctx, enum lang lang, char *out, size_t size)
{
    struct officials_ctx *c = ctx;
    struct err e = {0};
    char dest[4096];
    if (find_target(c, dest, sizeof dest, &e)) {
        snprintf(out, size, "%s\n(%s)", msg(M_EXPORT_NO_STICK, lang), e.msg);
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
        .journal = c->j,
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
    struct export_result res;
    int rc = export_write(&rq, &res, &e);
    for (size_t i = 0; i < nfiles; i++)
        free(data[i]);
    if (rc) {
        snprintf(out, size, msg(M_EXPORT_FAILED, lang), e.msg);
        return rc;
    }
    char detail[JOURNAL_EVENT_DETAIL_MAX + 1];
    snprintf(detail, sizeof detail, "%s rows 1-%llu", bundle_kind_name(rq.kind),
             (unsigned long long)st.last_seq);
    if (journal_record_event(c->j, JEVENT_EXPORT, detail, (int64_t)time(NULL), &e)) {
        snprintf(out, size, msg(M_EXPORT_FAILED, lang), e.msg);
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

/* The one *.isoloir file at the top of the stick, into path. */
static int find_package_file(const char *dir, char *path, size_t size, struct err *e)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort), found = 0;
    if (n < 0)
        return err_errno(e, "cannot read the stick %s", dir);
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t len = strlen(name);
        if (name[0] != '.' && len > 8 && strcmp(name + len - 8, ".isoloir") == 0) {
            if (!found++)
                snprintf(path, size, "%s/%s", dir, name);
        }
        free(list[i]);
    }
    free(list);
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

static int officials_install(void *ctx, bool confirm, enum lang lang, char *out, size_t size)
{
    struct officials_ctx *c = ctx;
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
        rc = util_read_file(path, PACKAGE_MAX_BYTES, &data, &len, &e);
    if (!rc &&
        !(rc = package_open_mem(data, len, c->authority_pk, c->package_flags, &el, hash, &e)))
        have_el = true;
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
            rc = journal_record_event(c->j, JEVENT_PACKAGE_INSTALLED, detail, (int64_t)time(NULL),
                                      &e);
        if (rc) {
            unlink(staged); /* the kiosk stays as it was */
            snprintf(out, size, msg(M_INSTALL_REFUSED, lang), e.msg);
        } else {
            snprintf(out, size, "%s", msg(M_INSTALL_DONE, lang));
            c->installed = true;
            c->cfg->quit = true;
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
    static const char *const SUFFIXES[] = {"", "-wal", "-shm", ".official", ".reports"};
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
static int finish_install(const char *package_path, const char *journal_path, struct err *e)
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

struct alive {
    struct watchdog w;
    bool ready;
};

/* After every frame: READY=1 after the first, WATCHDOG=1 after each. A failure to notify never
 * stops the vote (systemd restarts a kiosk that stays silent). */
static void tick(void *ctx)
{
    struct alive *a = ctx;
    struct err e = {0};
    if (!a->ready)
        a->ready = watchdog_ready(&a->w, &e) == 0;
    watchdog_ping(&a->w, &e);
}

/* The appliance starts the kiosk without options: its files are in $ISOLOIR_DATA
 * (docs/hardware.md). */
static const char *data_path(const char *given, const char *name, char *buf, size_t size)
{
    const char *data = getenv("ISOLOIR_DATA");
    if (given || !data || !*data)
        return given;
    snprintf(buf, size, "%s/%s", data, name);
    return buf;
}

int main(int argc, char **argv)
{
    const char *package = NULL, *authority = NULL, *kiosk_key = NULL, *journal_path = NULL,
               *passfile = NULL, *usb_root = NULL, *export_dir = NULL;
    struct app_config cfg = {
        .font_dir = ISOLOIR_FONT_DIR,
        .session = {.idle_ms = 90000, .idle_warn_ms = 30000, .done_ms = 30000}};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int64_t n;
        if (strcmp(a, "--demo") == 0) {
            cfg.demo = true;
        } else if (strcmp(a, "--windowed") == 0) {
            cfg.windowed = true;
        } else if (!v) {
            return usage();
        } else if (strcmp(a, "--package") == 0) {
            package = v, i++;
        } else if (strcmp(a, "--authority") == 0) {
            authority = v, i++;
        } else if (strcmp(a, "--kiosk-key") == 0) {
            kiosk_key = v, i++;
        } else if (strcmp(a, "--journal") == 0) {
            journal_path = v, i++;
        } else if (strcmp(a, "--passphrase-file") == 0) {
            passfile = v, i++;
        } else if (strcmp(a, "--usb-root") == 0) {
            usb_root = v, i++;
        } else if (strcmp(a, "--export-dir") == 0) {
            export_dir = v, i++;
        } else if (strcmp(a, "--font-dir") == 0) {
            cfg.font_dir = v, i++;
        } else if (strcmp(a, "--script") == 0) {
            cfg.script = v, i++;
        } else if (strcmp(a, "--shots") == 0) {
            cfg.shots_dir = v, i++;
        } else if (strcmp(a, "--size") == 0) {
            if (sscanf(v, "%dx%d", &cfg.width, &cfg.height) != 2)
                return usage();
            i++;
        } else if (strcmp(a, "--exit-after") == 0 && !util_parse_i64(v, &n) && n > 0) {
            cfg.exit_after_ms = (uint64_t)n, i++;
        } else if (strcmp(a, "--idle-seconds") == 0 && !util_parse_i64(v, &n) && n > 0) {
            cfg.session.idle_ms = (uint64_t)n * 1000, i++;
        } else {
            return usage();
        }
    }
    char dp[5][4096];
    package = data_path(package, "election.isoloir", dp[0], sizeof dp[0]);
    authority = data_path(authority, "authority.pub", dp[1], sizeof dp[1]);
    kiosk_key = data_path(kiosk_key, "kiosk.key", dp[2], sizeof dp[2]);
    journal_path = data_path(journal_path, "journal.sqlite", dp[3], sizeof dp[3]);
    if (!passfile && getenv("ISOLOIR_DATA"))
        passfile = data_path(NULL, "kiosk.passphrase", dp[4], sizeof dp[4]);
    if (!usb_root && getenv("ISOLOIR_USB_ROOT") && *getenv("ISOLOIR_USB_ROOT"))
        usb_root = getenv("ISOLOIR_USB_ROOT");
    if (!package || !authority || !kiosk_key || !journal_path)
        return usage();
    if (export_dir && !cfg.demo) {
        fprintf(stderr,
                "%s: --export-dir writes to any directory: it is for demonstrations "
                "and tests (--demo); a vote point exports to USB sticks\n",
                PROG);
        return 2;
    }
    struct err e = {0};
    if (crypto_setup(&e))
        return cli_fail(PROG, &e);

    struct public_key auth;
    struct election el;
    uint8_t hash[HASH_LEN];
    struct secret_key *key = NULL;
    struct journal *j = NULL;
    char *pass = NULL;
    int rc = finish_install(package, journal_path, &e);
    if (!rc)
        rc = key_load_public(authority, KEY_AUTHORITY, &auth, &e);
    if (!rc && auth.demo && !cfg.demo)
        rc = err_set(&e, ERR_STATE,
                     "%s is a DEMO authority key: start the kiosk with --demo for a "
                     "demonstration, or provision it with the real authority key",
                     authority);
    if (rc)
        return cli_fail(PROG, &e);
    rc = package_open(package, auth.pk, cfg.demo ? PACKAGE_ALLOW_DEMO : 0, &el, hash, &e);
    if (rc)
        return cli_fail(PROG, &e);
    cfg.el = &el;
    rc = cli_passphrase("Passphrase of the kiosk key: ", passfile, false, 0, &pass, &e);
    if (!rc)
        rc = key_load_secret(kiosk_key, KEY_KIOSK, pass, &key, &e);
    cli_passphrase_free(pass);
    if (!rc && key->demo && !cfg.demo)
        rc = err_set(&e, ERR_STATE, "%s is a DEMO kiosk key: it works only with --demo", kiosk_key);
    if (!rc)
        rc = journal_open(journal_path, &el, hash, key, &j, &e);
    struct official *cred = NULL;
    struct officials_ctx oc = {.j = j,
                               .el = &el,
                               .package_hash = hash,
                               .journal_path = journal_path,
                               .key = key,
                               .mounts = {.mount_root = usb_root},
                               .export_dir = export_dir,
                               .package_path = package,
                               .authority_pk = auth.pk,
                               .package_flags = cfg.demo ? PACKAGE_ALLOW_DEMO : 0,
                               .cfg = &cfg};
    snprintf(oc.reports_dir, sizeof oc.reports_dir, "%s.reports", journal_path);
    struct app_officials officials = {.ctx = &oc,
                                      .pin = officials_pin,
                                      .status = officials_status,
                                      .polls = officials_polls,
                                      .token = officials_token,
                                      .export = officials_export,
                                      .install = officials_install};
    if (!rc) {
        char state_path[4096];
        snprintf(state_path, sizeof state_path, "%s.official", journal_path);
        rc = official_open(state_path, &el, hash, NULL, &cred, &e);
        oc.j = j;
        oc.cred = cred;
        cfg.officials = &officials;
        struct journal_status st;
        journal_status(j, &st);
        oc.mode = cfg.eligibility =
            election_kiosk_eligibility(&el, election_find_kiosk(&el, st.kiosk_pk));
        struct err ue = {0};
        if (!export_dir && usb_open(USB_BACKEND_LIBUSB, &oc.usb, &ue))
            fprintf(stderr,
                    "%s: USB hotplug is not available (%s): sticks are found by their "
                    "mount below %s\n",
                    PROG, ue.msg, usb_root ? usb_root : MOUNTS_ROOT_DEFAULT);
        if (!rc && cfg.demo)
            fprintf(stderr,
                    "%s: demo: officials open the menu with F12 or a 3-second press in "
                    "the top-left corner; the demo PIN is in the README\n",
                    PROG);
    }
    struct alive alive = {0};
    if (!rc && watchdog_open(&alive.w, &e) == 0) {
        cfg.tick = tick;
        cfg.tick_ctx = &alive;
    }
    if (!rc) {
        cfg.cast = cast;
        cfg.cast_ctx = j;
        rc = app_run(&cfg, &e);
    }
    official_close(cred);
    if (oc.usb)
        usb_close(oc.usb);
    journal_close(j);
    if (!rc && oc.installed) {
        /* the journal is closed: move it aside, then put the new package in place */
        rc = archive_journal(journal_path, hash, &e);
        if (!rc)
            rc = finish_install(package, journal_path, &e);
        if (!rc)
            fprintf(stderr, "%s: a new package is installed; the kiosk starts again on it\n", PROG);
    }
    if (rc)
        cli_fail(PROG, &e);
    watchdog_close(&alive.w);
    key_free(key);
    election_free(&el);
    return rc ? 1 : 0;
}
