/* station_usb — the station's USB side: the export bundle (with every polls report) and
 * installing another package from a stick; see station.h.
 *
 * Install order (docs/kiosk.md): the new package is written durably beside the installed one as
 * <package>.new and an event row goes into the current journal; the loop ends; station_close
 * closes the journal, moves it (state files first, the journal last) to <journal dir>/archive/,
 * and renames <package>.new over <package>. A power cut at any point leaves either the old
 * package with its journal, or a <package>.new without a journal, which the next start
 * completes (station_finish_install). Journals are never deleted. */
#include "station_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "package.h"
#include "util.h"

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
int station_find_target(struct station *c, char *dir, size_t size, struct err *e)
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
        return station_no_journal(lang, out, size);
    struct err e = {0};
    char dest[4096];
    if (station_find_target(c, dest, sizeof dest, &e)) {
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
    if (journal_record_event(c->j, JEVENT_EXPORT, detail, station_now(c), &e)) {
        fprintf(stderr, "isoloir-kiosk: export: %s\n", e.msg);
        snprintf(out, size, msg(M_EXPORT_FAILED, lang), msg(M_EXPORT_WHY_JOURNAL, lang));
        return ERR_IO;
    }
    snprintf(out, size, msg_n(M_EXPORT_DONE, lang, st.ballots), res.dir,
             (unsigned long long)st.ballots);
    return 0;
}

/* The one *.isoloir file at the top of the stick, into path. Only regular files count: a
 * pipe, a device, a folder or a symbolic link with that name is named and refused (reading a
 * pipe would wait forever). On failure *why is the officials' reason, and odd (size 256) the
 * name it shows, if any. */
static int find_package_file(const char *dir, char *path, size_t size, enum msg *why, char *odd,
                             struct err *e)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort), found = 0;
    odd[0] = '\0';
    if (n < 0) {
        *why = M_INSTALL_WHY_UNREADABLE;
        return err_errno(e, "cannot read the stick %s", dir);
    }
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t len = strlen(name);
        if (name[0] != '.' && len > 8 && strcmp(name + len - 8, ".isoloir") == 0) {
            char p[4400];
            struct stat sb;
            snprintf(p, sizeof p, "%s/%s", dir, name);
            if (lstat(p, &sb) != 0 || !S_ISREG(sb.st_mode)) {
                if (!odd[0])
                    snprintf(odd, 256, "%s", name);
            } else if (!found++) {
                snprintf(path, size, "%s", p);
            }
        }
        free(list[i]);
    }
    free(list);
    if (found == 0 && odd[0]) {
        *why = M_INSTALL_WHY_NOT_FILE;
        return err_set(e, ERR_INVALID,
                       "%s on the stick is not an ordinary file (a pipe, a device, a folder or a "
                       "link): copy the package itself onto the stick",
                       odd);
    }
    if (found == 0) {
        *why = M_INSTALL_WHY_NO_PACKAGE;
        return err_set(e, ERR_NOTFOUND,
                       "there is no election package (a file ending in .isoloir) at the top of "
                       "the stick");
    }
    if (found > 1) {
        *why = M_INSTALL_WHY_SEVERAL;
        return err_set(e, ERR_INVALID,
                       "the stick holds %d packages (.isoloir files): keep only the one to install",
                       found);
    }
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

/* The officials' reason for a package that package_open_mem refused, from its error code. */
static enum msg package_reason(int rc)
{
    switch (rc) {
    case ERR_CRYPTO:
        return M_INSTALL_WHY_SIGNATURE;
    case ERR_VERSION:
        return M_INSTALL_WHY_VERSION;
    case ERR_STATE:
        return M_INSTALL_WHY_DEMO_PACKAGE;
    case ERR_FORMAT:
    case ERR_INVALID:
    case ERR_USAGE:
        return M_INSTALL_WHY_DAMAGED;
    default:
        return M_INSTALL_WHY_OTHER;
    }
}

int station_install(struct station *c, bool confirm, enum lang lang, char *out, size_t size)
{
    if (!c->j)
        return station_no_journal(lang, out, size), 0;
    struct err e = {0};
    struct journal_status st;
    journal_status(c->j, &st);
    char dir[4096], path[4400], odd[256] = "";
    uint8_t *data = NULL;
    size_t len = 0;
    struct election el;
    uint8_t hash[HASH_LEN];
    int rc = 0;
    bool have_el = false;
    /* the refusal shown to the official, in their language; e.msg (English, technical) goes to
     * the log */
    enum msg why = M_INSTALL_WHY_OTHER;
    if (st.state == JOURNAL_OPEN || st.state == JOURNAL_PAUSED) {
        why = M_INSTALL_WHY_RUNNING;
        rc = err_set(&e, ERR_STATE,
                     "the polls are running: close them (and export) before installing a package");
    }
    if (!rc && station_find_target(c, dir, sizeof dir, &e)) {
        why = M_INSTALL_WHY_NO_STICK;
        rc = ERR_NOTFOUND;
    }
    if (!rc)
        rc = find_package_file(dir, path, sizeof path, &why, odd, &e);
    if (!rc && (rc = read_regular(path, PACKAGE_MAX_BYTES, &data, &len, &e)))
        why = M_INSTALL_WHY_READ;
    if (!rc) {
        rc = package_open_mem(data, len, c->authority_pk, c->package_flags, &el, hash, &e);
        if (rc)
            why = package_reason(rc);
        else
            have_el = true;
    }
    if (!rc && (c->package_flags & PACKAGE_ALLOW_DEMO) && !el.demo) {
        why = M_INSTALL_WHY_REAL_PACKAGE;
        rc = err_set(&e, ERR_STATE,
                     "it is a real election package and this kiosk runs a demonstration "
                     "(--demo): a real package is installed only on a kiosk started without "
                     "--demo");
    }
    if (!rc && sodium_memcmp(hash, c->package_hash, HASH_LEN) == 0) {
        why = M_INSTALL_WHY_SAME;
        rc = err_set(&e, ERR_STATE, "it is the package this kiosk already has");
    }
    if (!rc && election_find_kiosk(&el, st.kiosk_pk) < 0) {
        why = M_INSTALL_WHY_NOT_AUTHORISED;
        rc = err_set(&e, ERR_INVALID,
                     "it does not authorise this kiosk's key: ask the authority "
                     "for a package that lists it");
    }
    if (!rc) { /* the officials must be able to open the polls with it */
        struct officials *o = NULL;
        struct err oe = {0};
        if (package_open_officials(&el, c->key, &o, &oe)) {
            why = M_INSTALL_WHY_NO_OFFICIALS;
            rc = err_set(&e, ERR_INVALID,
                         "no official could use it on this kiosk (%s); ask the authority for a "
                         "package built with this kiosk's officials",
                         oe.msg);
        }
        officials_free(o);
    }
    if (!rc && confirm && (!c->have_pending || sodium_memcmp(hash, c->pending, HASH_LEN) != 0)) {
        why = M_INSTALL_WHY_CHANGED;
        rc = err_set(&e, ERR_STATE,
                     "the package on the stick changed since it was shown: look "
                     "at it again");
    }
    if (rc) {
        c->have_pending = false;
    } else if (!confirm) {
        char pfpr[FPR_TEXT_LEN + 1], afpr[FPR_TEXT_LEN + 1];
        fingerprint(pfpr, hash, HASH_LEN);
        fingerprint(afpr, el.authority_pk, SIGN_PK_LEN);
        snprintf(out, size, msg_n(M_INSTALL_SHOW, lang, el.nprojects), text_get(&el.name, lang),
                 el.id, pfpr, afpr, el.nprojects);
        memcpy(c->pending, hash, HASH_LEN);
        c->have_pending = true;
    } else {
        char staged[4200], detail[JOURNAL_EVENT_DETAIL_MAX + 1], pfpr[FPR_TEXT_LEN + 1];
        snprintf(staged, sizeof staged, "%s.new", c->package_path);
        fingerprint(pfpr, hash, HASH_LEN);
        snprintf(detail, sizeof detail, "package %s (%s)", pfpr, el.id);
        rc = util_write_durable(staged, data, len, 0600, &e);
        if (!rc)
            rc = journal_record_event(c->j, JEVENT_PACKAGE_INSTALLED, detail, station_now(c), &e);
        if (rc) {
            unlink(staged); /* the kiosk stays as it was */
            why = M_INSTALL_WHY_NOT_SAVED;
        } else {
            snprintf(out, size, "%s", msg(M_INSTALL_DONE, lang));
            c->installed = true;
        }
        c->have_pending = false;
    }
    if (rc) {
        char reason[1024];
        fprintf(stderr, "isoloir-kiosk: install refused: %s\n", e.msg);
        snprintf(reason, sizeof reason, msg(why, lang), odd);
        snprintf(out, size, msg(M_INSTALL_REFUSED, lang), reason);
    }
    if (have_el)
        election_free(&el);
    free(data);
    return rc ? 0 : 1;
}

/* Moves the journal and what belongs to it into <journal dir>/archive/, stamped with the time
 * and the package it was for. */
int station_archive_journal(const char *journal_path, const uint8_t package_hash[HASH_LEN],
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
