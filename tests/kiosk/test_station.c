/* test_station — the officials' station without screens: PIN, polls changes and their reports
 * (named by the journal's row, kept beside the journal, mode 0600, never replaced), status
 * lines with the voters enabled beside the ballots, a cast, an export to a directory, an
 * install refused while the polls run, and the station reopened on the same files. Then what
 * it must refuse or tell: a cast whose storage fails at every write and sync in turn (a
 * SQLite VFS) must be reported as the journal holds it; casting processes killed at random
 * moments must be reported truthfully at the next start; the clock outside the voting period
 * asks for a confirmation recorded in the journal; a second process on the same journal, a
 * journal missing beside the kiosk's records, a pipe named like a package, and export
 * failures in the official's language. Voter receipts with the fake printer: only where the
 * package says, never waited for, never sent twice, a report queued behind one. A fake clock;
 * nothing waits on time. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal_find.h"
#include "polls_report.h"

#include "catalog.h"
#include "check.h"
#include "fixture.h"
#include "journal.h"
#include "package.h"
#include "printer.h"
#include "station.h"
#include "util.h"

struct env {
    char dir[64], journal[128], package[128], exports[128];
    struct election el;
    uint8_t pkg[HASH_LEN];
    struct secret_key *kiosk;
    int64_t t;
    struct station_config cfg;
};

static int64_t fake_now(void *ctx)
{
    return *(int64_t *)ctx;
}

static void env_setup(struct env *v)
{
    memset(v, 0, sizeof *v);
    snprintf(v->dir, sizeof v->dir, "/tmp/isoloir-station-XXXXXX");
    if (!mkdtemp(v->dir))
        abort();
    snprintf(v->journal, sizeof v->journal, "%s/journal.sqlite", v->dir);
    snprintf(v->package, sizeof v->package, "%s/election.isoloir", v->dir);
    snprintf(v->exports, sizeof v->exports, "%s/stick", v->dir);
    mkdir(v->exports, 0700);
    fixture_election(&v->el); /* its officials: FIXTURE_*_PIN, sealed to each kiosk */
    randombytes_buf(v->pkg, HASH_LEN);
    v->kiosk = fixture_key(KEY_KIOSK, 3);
    v->t = v->el.voting_start + 3600;
    v->cfg = (struct station_config){.journal_path = v->journal,
                                     .package_path = v->package,
                                     .el = &v->el,
                                     .package_hash = v->pkg,
                                     .kiosk_key = v->kiosk,
                                     .authority_pk = v->el.authority_pk,
                                     .export_dir = v->exports,
                                     .clock = {fake_now, &v->t}};
}

static void env_free(struct env *v)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", v->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", v->dir);
    key_free(v->kiosk);
    election_free(&v->el);
}

/* How many entries of dir start with prefix. */
static int count_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static struct vote one_vote(const struct election *el)
{
    struct vote v;
    vote_init(&v);
    v.nballots = 1;
    ballot_init(&v.ballots[0], 0);
    (void)el;
    return v;
}

static void test_officials_day(void)
{
    struct env v;
    env_setup(&v);
    struct station *st = NULL;
    struct err e = {0};
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st) {
        fprintf(stderr, "%s\n", e.msg);
        env_free(&v);
        return;
    }
    CHECK_INT(station_eligibility(st), ELIG_ATTENDED);
    char out[4096];
    CHECK_INT(station_pin(st, "000000", LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "Wrong official PIN");
    CHECK_INT(station_pin(st, FIXTURE_OFFICIAL_PIN, LANG_EN, out, sizeof out), 1);

    int state = -1;
    char lines[STATUS_LINES][128];
    station_status(st, LANG_EN, &state, lines);
    CHECK_INT(state, 0);
    CHECK_HAS(lines[0], "not opened");

    CHECK_INT(station_polls(st, POLLS_OPEN, false, LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "ZERO REPORT");
    char path[256];
    snprintf(path, sizeof path, "%s.reports/report-zero-2.txt", v.journal);
    struct stat sb;
    CHECK_INT(stat(path, &sb), 0);
    CHECK_INT(sb.st_mode & 0777, 0600);

    /* two voters enabled, one ballot: the difference is named */
    CHECK_INT(station_enable(st, LANG_EN, out, sizeof out), 0);
    CHECK_INT(station_enable(st, LANG_EN, out, sizeof out), 0);
    CHECK_INT(station_enables(st), 2);
    struct vote vt = one_vote(&v.el);
    char code[64] = "";
    CHECK_INT(station_cast(st, &vt, NULL, code, sizeof code, &e), CAST_RECORDED);
    CHECK(strlen(code) > 10);

    CHECK_INT(station_polls(st, POLLS_PAUSE, false, LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "PAUSE REPORT");
    CHECK_HAS(out, "Ballots cast");
    CHECK_HAS(out, "Voters enabled");
    CHECK_HAS(out, "Enabled, no ballot");
    snprintf(path, sizeof path, "%s.reports/report-pause-4.txt", v.journal);
    CHECK_INT(stat(path, &sb), 0);
    station_status(st, LANG_FR, &state, lines);
    CHECK_INT(state, 2);
    CHECK_HAS(lines[1], "Bulletins : 1    Électeurs autorisés : 2 (1 autorisation sans bulletin)");

    /* an install while the polls run is refused, with the reason in the official's language */
    CHECK_INT(station_install(st, false, LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "the polls are open or paused");
    CHECK_INT(station_install(st, false, LANG_NL, out, sizeof out), 0);
    CHECK_STR(out, "Dit pakket kan niet worden geïnstalleerd: de stemming is open of onderbroken: "
                   "sluit ze (en exporteer) voor u een pakket installeert");
    CHECK(!station_installed(st));

    /* the export takes the journal and both reports */
    CHECK_INT(station_export(st, LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "Export");
    char bundle[512] = "";
    DIR *d = opendir(v.exports);
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strncmp(de->d_name, "isoloir-", 8) == 0)
            snprintf(bundle, sizeof bundle, "%s/%s", v.exports, de->d_name);
    if (d)
        closedir(d);
    CHECK_INT(count_files(bundle, "report-"), 2);
    CHECK_INT(station_close(st, &e), 0);

    /* the same files again: the state comes from the journal */
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (st) {
        station_status(st, LANG_EN, &state, NULL);
        CHECK_INT(state, 2);
        CHECK_INT(station_polls(st, POLLS_RESUME, false, LANG_EN, out, sizeof out), 0);
        CHECK_INT(station_enables(st), 2); /* the count survives the restart */
        CHECK_INT(station_polls(st, POLLS_CLOSE, false, LANG_EN, out, sizeof out), 0);
        CHECK_HAS(out, "CLOSING REPORT");
        CHECK_HAS(out, "Enabled, no ballot");
        CHECK_INT(count_files(v.exports, "isoloir-"), 2); /* exported at close */
        CHECK_INT(station_close(st, &e), 0);
    }
    snprintf(path, sizeof path, "%s.reports", v.journal);
    CHECK_INT(count_files(path, "report-"), 4);
    vote_wipe(&vt);
    env_free(&v);
}

/* ---- a VFS that fails the Nth write or sync ------------------------------------------ */

struct fault {
    sqlite3_vfs *real;
    int kind; /* 0 write, 1 sync */
    long countdown;
    long fired;
};
struct ffile {
    sqlite3_file base;
    struct fault *f;
    sqlite3_file *real;
};
#define REAL(p) (((struct ffile *)(p))->real)
static bool trip(struct fault *f, int kind)
{
    if (f->kind != kind || f->countdown <= 0)
        return false;
    if (--f->countdown == 0) {
        f->fired++;
        return true;
    }
    return false;
}
static int f_close(sqlite3_file *p)
{
    return REAL(p)->pMethods->xClose(REAL(p));
}
static int f_read(sqlite3_file *p, void *b, int n, sqlite3_int64 off)
{
    return REAL(p)->pMethods->xRead(REAL(p), b, n, off);
}
static int f_write(sqlite3_file *p, const void *b, int n, sqlite3_int64 off)
{
    if (trip(((struct ffile *)p)->f, 0))
        return SQLITE_IOERR_WRITE;
    return REAL(p)->pMethods->xWrite(REAL(p), b, n, off);
}
static int f_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    return REAL(p)->pMethods->xTruncate(REAL(p), size);
}
static int f_sync(sqlite3_file *p, int flags)
{
    /* the real sync first: the bytes are where a failing disk may or may not have put them */
    int rc = REAL(p)->pMethods->xSync(REAL(p), flags);
    return trip(((struct ffile *)p)->f, 1) ? SQLITE_IOERR_FSYNC : rc;
}
static int f_size(sqlite3_file *p, sqlite3_int64 *sz)
{
    return REAL(p)->pMethods->xFileSize(REAL(p), sz);
}
static int f_lock(sqlite3_file *p, int l)
{
    return REAL(p)->pMethods->xLock(REAL(p), l);
}
static int f_unlock(sqlite3_file *p, int l)
{
    return REAL(p)->pMethods->xUnlock(REAL(p), l);
}
static int f_check(sqlite3_file *p, int *o)
{
    return REAL(p)->pMethods->xCheckReservedLock(REAL(p), o);
}
static int f_fcntl(sqlite3_file *p, int op, void *arg)
{
    return REAL(p)->pMethods->xFileControl(REAL(p), op, arg);
}
static int f_sector(sqlite3_file *p)
{
    return REAL(p)->pMethods->xSectorSize(REAL(p));
}
static int f_caps(sqlite3_file *p)
{
    return REAL(p)->pMethods->xDeviceCharacteristics(REAL(p));
}
static int f_shm_map(sqlite3_file *p, int pg, int sz, int ext, void volatile **o)
{
    return REAL(p)->pMethods->xShmMap(REAL(p), pg, sz, ext, o);
}
static int f_shm_lock(sqlite3_file *p, int off, int n, int flags)
{
    return REAL(p)->pMethods->xShmLock(REAL(p), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *p)
{
    REAL(p)->pMethods->xShmBarrier(REAL(p));
}
static int f_shm_unmap(sqlite3_file *p, int del)
{
    return REAL(p)->pMethods->xShmUnmap(REAL(p), del);
}
static const sqlite3_io_methods METHODS = {
    2,          f_close,       f_read,      f_write, f_truncate, f_sync, f_size,
    f_lock,     f_unlock,      f_check,     f_fcntl, f_sector,   f_caps, f_shm_map,
    f_shm_lock, f_shm_barrier, f_shm_unmap, NULL,    NULL};
static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *o)
{
    struct fault *f = vfs->pAppData;
    struct ffile *ff = (struct ffile *)file;
    ff->f = f;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->base.pMethods = NULL;
    int rc = f->real->xOpen(f->real, name, ff->real, flags, o);
    if (rc == SQLITE_OK)
        ff->base.pMethods = &METHODS;
    return rc;
}
static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    struct fault *f = vfs->pAppData;
    return f->real->xDelete(f->real, name, sync);
}
static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *o)
{
    struct fault *f = vfs->pAppData;
    return f->real->xAccess(f->real, name, flags, o);
}
static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *o)
{
    struct fault *f = vfs->pAppData;
    return f->real->xFullPathname(f->real, name, n, o);
}
static sqlite3_vfs fault_vfs;
static struct fault fault;
static void fault_install(void)
{
    if (fault.real)
        return;
    fault.real = sqlite3_vfs_find(NULL);
    fault_vfs = *fault.real;
    fault_vfs.zName = "isoloir-station-fault";
    fault_vfs.szOsFile = (int)sizeof(struct ffile) + fault.real->szOsFile;
    fault_vfs.pAppData = &fault;
    fault_vfs.xOpen = v_open;
    fault_vfs.xDelete = v_delete;
    fault_vfs.xAccess = v_access;
    fault_vfs.xFullPathname = v_full;
    fault_vfs.pNext = NULL;
    sqlite3_vfs_register(&fault_vfs, 1);
}

/* Ballot rows in the journal file and the last one's code (journal_find, a fresh reader). */
static uint64_t ballots_in(struct env *v, char last[TRACKING_TEXT_MAX])
{
    struct journal_found f;
    struct err e = {0};
    int rc = journal_find_last_ballot(v->journal, &v->el, v->pkg, 0, &f, &e);
    CHECK(rc >= 0);
    if (rc < 0)
        fprintf(stderr, "%s\n", e.msg);
    if (last)
        snprintf(last, TRACKING_TEXT_MAX, "%s", rc == 1 ? f.tracking : "");
    return rc >= 0 ? f.ballots : 0;
}

static void test_cast_storage_fails(void)
{
    struct env v;
    env_setup(&v);
    fault_install();
    struct station *st = NULL;
    struct err e = {0};
    char out[4096];
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st)
        goto done;
    CHECK_INT(station_polls(st, POLLS_OPEN, false, LANG_EN, out, sizeof out), 0);
    int seen[3] = {0};
    for (int kind = 0; kind < 2; kind++) {
        for (long n = 1; n < 40; n++) {
            uint64_t before = ballots_in(&v, NULL);
            struct vote vt = one_vote(&v.el);
            char code[64] = "x", last[TRACKING_TEXT_MAX];
            fault = (struct fault){.real = fault.real, .kind = kind, .countdown = n};
            int outcome = station_cast(st, &vt, NULL, code, sizeof code, &e);
            bool fired = fault.fired > 0;
            fault.countdown = 0;
            vote_wipe(&vt);
            uint64_t after = ballots_in(&v, last);
            CHECK(outcome == CAST_RECORDED || outcome == CAST_NOT_RECORDED);
            if (outcome < 0 || outcome > 2)
                break;
            seen[outcome]++;
            if (outcome == CAST_RECORDED) { /* in the journal, with the code shown */
                CHECK_INT(after, before + 1);
                CHECK_STR(code, last);
            } else { /* not in it, and nothing shown */
                CHECK_INT(after, before);
                CHECK_STR(code, "");
            }
            char lines[STATUS_LINES][128];
            int state;
            station_status(st, LANG_EN, &state, lines);
            CHECK_INT(state, 1); /* the journal was opened again: voting goes on */
            if (fired && outcome == CAST_RECORDED)
                CHECK_HAS(lines[9], "IS in the journal");
            if (fired && outcome == CAST_NOT_RECORDED)
                CHECK_HAS(lines[9], "NOT recorded");
            if (!fired)
                break; /* the cast went through with no fault left to inject */
        }
    }
    printf("storage faults: %d casts recorded (with or without a fault), %d not recorded\n",
           seen[CAST_RECORDED], seen[CAST_NOT_RECORDED]);
    CHECK(seen[CAST_NOT_RECORDED] > 0);
    CHECK_INT(station_close(st, &e), 0);
done:
    env_free(&v);
}

/* A child casts until it is killed, telling the parent each code once the cast returned. */
static void caster(struct env *v, int fd)
{
    struct station *st = NULL;
    struct err e = {0};
    if (station_open(&v->cfg, &st, &e))
        _exit(3);
    for (;;) {
        struct vote vt = one_vote(&v->el);
        char code[64] = "";
        if (station_cast(st, &vt, NULL, code, sizeof code, &e) != CAST_RECORDED)
            _exit(4);
        char line[80];
        int n = snprintf(line, sizeof line, "%s\n", code);
        if (write(fd, line, (size_t)n) != n) /* the voter sees the code */
            _exit(5);
        station_cast_seen(st); /* and leaves the "recorded" screen */
    }
}

static void test_kill_during_cast(void)
{
    struct env v;
    env_setup(&v);
    struct station *st = NULL;
    struct err e = {0};
    char out[4096];
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st)
        goto done;
    CHECK_INT(station_polls(st, POLLS_OPEN, false, LANG_EN, out, sizeof out), 0);
    CHECK_INT(station_close(st, &e), 0);
    uint64_t acked = 0;
    int told[4] = {0};
    for (int k = 0; k < 25; k++) {
        int p[2];
        if (pipe(p))
            abort();
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            caster(&v, p[1]);
        }
        close(p[1]);
        usleep((useconds_t)(20000 + randombytes_uniform(150000))); /* a random moment */
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        char buf[8192];
        ssize_t n;
        uint64_t lines = 0;
        while ((n = read(p[0], buf, sizeof buf)) > 0)
            for (ssize_t i = 0; i < n; i++)
                lines += buf[i] == '\n';
        close(p[0]);
        acked += lines;
        /* the next start: what does it say of the cast the kill cut off? */
        CHECK_INT(station_open(&v.cfg, &st, &e), 0);
        if (!st)
            break;
        char code[64], last[TRACKING_TEXT_MAX];
        int said = station_interrupted(st, code, sizeof code);
        uint64_t in = ballots_in(&v, last);
        told[said & 3]++;
        CHECK(said != CAST_UNKNOWN);
        CHECK(in == acked || in == acked + 1);
        if (said == CAST_NOT_RECORDED) /* never "not recorded" for a ballot that is in */
            CHECK_INT(in, acked);
        if (said == CAST_RECORDED) /* "recorded" names the ballot that is in */
            CHECK_STR(code, last);
        if (in == acked + 1) /* in, never shown to the voter: the start must say so */
            CHECK_INT(said, CAST_RECORDED);
        acked = in; /* what the voter was or is now told */
        CHECK_INT(station_close(st, &e), 0);
    }
    printf("kills: %d starts found a cut cast recorded, %d not recorded, %d none\n",
           told[CAST_RECORDED], told[CAST_NOT_RECORDED], told[CAST_NONE]);
done:
    env_free(&v);
}

static void test_restart_record(void)
{
    struct env v;
    env_setup(&v);
    struct station *st = NULL;
    struct err e = {0};
    char out[4096], code[64], cast_path[160];
    snprintf(cast_path, sizeof cast_path, "%s.cast", v.journal);
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st)
        goto done;
    CHECK_INT(station_interrupted(st, code, sizeof code), CAST_NONE);
    CHECK_INT(station_polls(st, POLLS_OPEN, false, LANG_EN, out, sizeof out), 0);
    struct vote vt = one_vote(&v.el);
    char tracking[64];
    CHECK_INT(station_cast(st, &vt, NULL, tracking, sizeof tracking, &e), CAST_RECORDED);
    vote_wipe(&vt);
    station_cast_seen(st);
    CHECK_INT(station_close(st, &e), 0);
    /* stopped after "after 2" was written: the ballot of row 3 is the one cut off */
    FILE *f = fopen(cast_path, "w");
    fprintf(f, "%-63s\n", "isoloir-cast after 2");
    fclose(f);
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st)
        goto done;
    CHECK_INT(station_interrupted(st, code, sizeof code), CAST_RECORDED);
    CHECK_STR(code, tracking);
    char lines[STATUS_LINES][128];
    int state;
    station_status(st, LANG_FR, &state, lines);
    CHECK_HAS(lines[9], "EST dans le journal");
    CHECK_INT(station_close(st, &e), 0);
    /* stopped again before the voter saw it: said again */
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st)
        goto done;
    CHECK_INT(station_interrupted(st, code, sizeof code), CAST_RECORDED);
    station_cast_seen(st); /* the voter left the "recorded" screen */
    CHECK_INT(station_close(st, &e), 0);
    /* the record was set back to idle: the next start says nothing */
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (st) {
        CHECK_INT(station_interrupted(st, code, sizeof code), CAST_NONE);
        CHECK_INT(station_close(st, &e), 0);
    }
    /* stopped after the last row: nothing of it is in */
    f = fopen(cast_path, "w");
    fprintf(f, "%-63s\n", "isoloir-cast after 3");
    fclose(f);
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (st) {
        CHECK_INT(station_interrupted(st, code, sizeof code), CAST_NOT_RECORDED);
        station_status(st, LANG_NL, &state, lines);
        CHECK_HAS(lines[9], "NIET in het logboek");
        CHECK_INT(station_close(st, &e), 0);
    }
done:
    env_free(&v);
}

static void test_clock_outside_period(void)
{
    struct env v;
    env_setup(&v);
    v.t = v.el.voting_start - 6 * 365 * 86400LL; /* the clock six years back */
    struct station *st = NULL;
    struct err e = {0};
    char out[4096];
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st)
        goto done;
    CHECK_INT(station_polls(st, POLLS_OPEN, false, LANG_FR, out, sizeof out), 1);
    CHECK_HAS(out, "en dehors de la période de vote");
    CHECK_HAS(out, "2026-11-30 08:00 UTC");
    int state;
    station_status(st, LANG_EN, &state, NULL);
    CHECK_INT(state, 0); /* nothing changed */
    CHECK_INT(station_polls(st, POLLS_OPEN, true, LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "ZERO REPORT");
    CHECK_INT(station_close(st, &e), 0);
    /* the journal holds the event row, with the times, before the open row */
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open_v2(v.journal, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    struct journal_summary sum;
    CHECK_INT(journal_verify(v.journal, &v.el, v.pkg, NULL, &sum, &e), 0);
    CHECK_INT(sum.rows, 3); /* genesis, the clock event, open */
    sqlite3_close(db);
    /* inside the period: no question asked */
    v.t = v.el.voting_start + 60;
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (st) {
        CHECK_INT(station_polls(st, POLLS_PAUSE, false, LANG_EN, out, sizeof out), 0);
        CHECK_INT(station_polls(st, POLLS_RESUME, false, LANG_EN, out, sizeof out), 0);
        CHECK_HAS(out, "RESUME REPORT");
        v.t = v.el.voting_end + 60; /* and a resume after the end asks again */
        CHECK_INT(station_polls(st, POLLS_PAUSE, false, LANG_EN, out, sizeof out), 0);
        CHECK_INT(station_polls(st, POLLS_RESUME, false, LANG_NL, out, sizeof out), 1);
        CHECK_HAS(out, "buiten de stemperiode");
        CHECK_INT(station_close(st, &e), 0);
    }
    /* a demonstration package trains on any day: no question */
    v.el.demo = true;
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (st) {
        CHECK_INT(station_polls(st, POLLS_RESUME, false, LANG_EN, out, sizeof out), 0);
        CHECK_INT(station_close(st, &e), 0);
    }
done:
    env_free(&v);
}

static void test_refusals(void)
{
    struct env v;
    env_setup(&v);
    struct station *st = NULL;
    struct err e = {0};
    char out[4096];
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st)
        goto done;
    /* a second process on the same journal refuses, and says so */
    int p[2];
    if (pipe(p))
        abort();
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        struct station *other = NULL;
        struct err oe = {0};
        int rc = station_open(&v.cfg, &other, &oe);
        if (write(p[1], oe.msg, strlen(oe.msg)) < 0)
            _exit(9);
        _exit(rc == ERR_STATE && !other ? 0 : 1);
    }
    close(p[1]);
    char msg_[600] = "";
    ssize_t n = read(p[0], msg_, sizeof msg_ - 1);
    msg_[n > 0 ? n : 0] = '\0';
    close(p[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_HAS(msg_, "another kiosk program");

    /* a pipe named like a package: refused at once, never read */
    char fifo[200];
    snprintf(fifo, sizeof fifo, "%s/trap.isoloir", v.exports);
    CHECK_INT(mkfifo(fifo, 0600), 0);
    CHECK_INT(station_install(st, false, LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "trap.isoloir on the stick is not an ordinary file");
    CHECK_INT(station_install(st, false, LANG_FR, out, sizeof out), 0);
    CHECK_HAS(out, "Ce paquet ne peut pas être installé : trap.isoloir sur la clé n'est pas un "
                   "fichier ordinaire");
    unlink(fifo);

    /* an export that fails says why in the official's language, without English */
    CHECK_INT(station_polls(st, POLLS_OPEN, false, LANG_EN, out, sizeof out), 0);
    chmod(v.exports, 0500);
    bool root = access(v.exports, W_OK) == 0; /* root writes anyway: another failure then */
    if (root) {
        rmdir(v.exports);
        CHECK_INT(mkfifo(v.exports, 0600), 0);
    }
    CHECK(station_export(st, LANG_FR, out, sizeof out) < 0);
    CHECK_HAS(out, "L'export n'a pas abouti");
    CHECK(!strstr(out, " the ") && !strstr(out, "stick") && !strstr(out, "cannot"));
    CHECK(station_export(st, LANG_NL, out, sizeof out) < 0);
    CHECK_HAS(out, "De export is niet gelukt");
    CHECK(!strstr(out, " the ") && !strstr(out, "cannot"));
    if (root) {
        unlink(v.exports);
        mkdir(v.exports, 0700);
    }
    chmod(v.exports, 0700);
    CHECK_INT(station_close(st, &e), 0);

    /* the journal gone, the kiosk's records beside it: refused, nothing made or replaced */
    char moved[160], zero[200];
    snprintf(moved, sizeof moved, "%s.elsewhere", v.journal);
    snprintf(zero, sizeof zero, "%s.reports/report-zero-2.txt", v.journal);
    struct stat before, after;
    CHECK_INT(stat(zero, &before), 0);
    CHECK_INT(rename(v.journal, moved), 0);
    CHECK_INT(station_open(&v.cfg, &st, &e), ERR_STATE);
    CHECK(st == NULL);
    CHECK_HAS(e.msg, "is missing, but this kiosk's records of an earlier vote");
    CHECK_HAS(e.msg, ".reports");
    CHECK(access(v.journal, F_OK) != 0);
    CHECK_INT(stat(zero, &after), 0);
    CHECK(after.st_ino == before.st_ino && after.st_mtime == before.st_mtime);
    /* an empty journal file: refused too */
    int fd = open(v.journal, O_CREAT | O_WRONLY, 0600);
    close(fd);
    CHECK_INT(station_open(&v.cfg, &st, &e), ERR_STATE);
    CHECK_HAS(e.msg, "is empty");
    CHECK_INT(rename(moved, v.journal), 0);
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (st) {
        /* a report is never written over: the same name exists already */
        struct err we = {0};
        CHECK_INT(polls_report_write(zero, "x", 1, &we), ERR_STATE);
        CHECK_HAS(we.msg, "never replaced");
        /* a report file already there under the next name: kept, and the officials told */
        char pause[200];
        snprintf(pause, sizeof pause, "%s.reports/report-pause-3.txt", v.journal);
        FILE *f = fopen(pause, "w");
        fputs("earlier\n", f);
        fclose(f);
        CHECK_INT(station_polls(st, POLLS_PAUSE, false, LANG_FR, out, sizeof out), 0);
        CHECK_HAS(out, "RAPPORT DE SUSPENSION");
        CHECK_HAS(out, "Ce rapport n'a pas pu être gardé pour l'export");
        uint8_t *kept = NULL;
        size_t kn = 0;
        CHECK_INT(util_read_file(pause, 100, &kept, &kn, &we), 0);
        CHECK(kn == 8 && kept && memcmp(kept, "earlier\n", 8) == 0);
        free(kept);
        CHECK_INT(station_close(st, &e), 0);
    }
done:
    env_free(&v);
}

/* A line of a report that starts with `label` and ends with `value` (a "label  value" pair). */
static bool report_line(const char *report, const char *label, const char *value)
{
    size_t ll = strlen(label), vl = strlen(value);
    for (const char *l = report; l && *l;) {
        const char *end = strchr(l, '\n');
        size_t n = end ? (size_t)(end - l) : strlen(l);
        if (n >= ll + vl && strncmp(l, label, ll) == 0 && strncmp(l + n - vl, value, vl) == 0)
            return true;
        l = end ? end + 1 : NULL;
    }
    fprintf(stderr, "no line \"%s ... %s\" in:\n%s\n", label, value, report);
    return false;
}

/* Per-official PINs: each opens the menu and is named on the reports it makes; a 16-digit
 * PIN works; a supervisor's PIN opens the menu too. The lockout after OFFICIAL_LOCK_AFTER
 * wrong PINs survives a restart of the station, refuses every official's PIN, and only a
 * supervisor's PIN lifts it. */
static void test_pins_named_and_lockout(void)
{
    struct env v;
    env_setup(&v);
    struct station *st = NULL;
    struct err e = {0};
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st) {
        fprintf(stderr, "%s\n", e.msg);
        env_free(&v);
        return;
    }
    char out[4096];
    CHECK_STR(station_official(st), "");
    CHECK_INT(station_pin(st, FIXTURE_OFFICIAL2_PIN, LANG_EN, out, sizeof out), 1);
    CHECK_STR(station_official(st), FIXTURE_OFFICIAL2_NAME);
    CHECK_INT(station_polls(st, POLLS_OPEN, false, LANG_EN, out, sizeof out), 0);
    CHECK(report_line(out, "Official", FIXTURE_OFFICIAL2_NAME));
    CHECK_INT(station_pin(st, FIXTURE_SUPERVISOR_PIN, LANG_FR, out, sizeof out), 1);
    CHECK_INT(station_polls(st, POLLS_PAUSE, false, LANG_FR, out, sizeof out), 0);
    CHECK(report_line(out, "Responsable", FIXTURE_SUPERVISOR_NAME));
    CHECK_INT(station_pin(st, FIXTURE_OFFICIAL_PIN, LANG_NL, out, sizeof out), 1);
    CHECK_INT(station_polls(st, POLLS_RESUME, false, LANG_NL, out, sizeof out), 0);
    CHECK(report_line(out, "Verantwoordelijke", FIXTURE_OFFICIAL_NAME));
    /* the report kept on disk names them too */
    char path[256];
    snprintf(path, sizeof path, "%s.reports/report-zero-2.txt", v.journal);
    uint8_t *kept = NULL;
    size_t kn = 0;
    CHECK_INT(util_read_file(path, 1 << 16, &kept, &kn, &e), 0);
    CHECK(kept && strstr((const char *)kept, FIXTURE_OFFICIAL2_NAME));
    free(kept);

    /* 8 wrong PINs, waiting out each delay on the fake clock: locked */
    for (int i = 0; i < OFFICIAL_LOCK_AFTER; i++) {
        v.t += OFFICIAL_MAX_DELAY;
        CHECK_INT(station_pin(st, "000000", LANG_EN, out, sizeof out), 0);
    }
    CHECK_HAS(out, "locked");
    CHECK_INT(station_close(st, &e), 0);

    /* a restart keeps the lockout: an official's right PIN is refused */
    v.t += OFFICIAL_MAX_DELAY;
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (st) {
        CHECK_INT(station_pin(st, FIXTURE_OFFICIAL_PIN, LANG_EN, out, sizeof out), 0);
        CHECK_HAS(out, "locked");
        CHECK_INT(station_pin(st, FIXTURE_OFFICIAL2_PIN, LANG_EN, out, sizeof out), 0);
        /* the supervisor lifts it, and is named */
        CHECK_INT(station_pin(st, FIXTURE_SUPERVISOR_PIN, LANG_EN, out, sizeof out), 1);
        CHECK_STR(station_official(st), FIXTURE_SUPERVISOR_NAME);
        CHECK_INT(station_pin(st, FIXTURE_OFFICIAL_PIN, LANG_EN, out, sizeof out), 1);
        CHECK_STR(station_official(st), FIXTURE_OFFICIAL_NAME);
        CHECK_INT(station_close(st, &e), 0);
    }
    env_free(&v);
}

/* A kiosk whose package holds no list its key opens does not start: no one could open the
 * polls, and the message says what to do. */
static void test_no_officials_for_this_kiosk(void)
{
    struct env v;
    env_setup(&v);
    memset(v.el.kiosk_officials[0], 0, OFFICIALS_SEALED_LEN);
    struct station *st = NULL;
    struct err e = {0};
    CHECK_INT(station_open(&v.cfg, &st, &e), ERR_CRYPTO);
    CHECK_HAS(e.msg, "does not open with this kiosk's key");
    CHECK(st == NULL);
    /* kiosk 2's list in kiosk 1's place: sealed to another key, it does not open either */
    memcpy(v.el.kiosk_officials[0], v.el.kiosk_officials[1], OFFICIALS_SEALED_LEN);
    CHECK_INT(station_open(&v.cfg, &st, &e), ERR_CRYPTO);
    env_free(&v);
}

/* A package that no official could use on this kiosk (its list does not open with this
 * kiosk's key) is refused at install, before the kiosk would refuse to start on it. */
static void test_install_needs_this_kiosks_officials(void)
{
    struct env v;
    env_setup(&v);
    struct secret_key *auth = fixture_key(KEY_AUTHORITY, 1);
    memcpy(v.el.authority_pk, auth->pk, SIGN_PK_LEN);
    struct err e = {0};
    char path[256], out[4096];
    snprintf(path, sizeof path, "%s/next.isoloir", v.exports);
    struct station *st = NULL;
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    for (int round = 0; st && round < 2; round++) {
        struct election next;
        fixture_election(&next);
        free(next.id);
        next.id = util_strdup("next-2026");
        if (round == 0) /* kiosk 2's list where kiosk 1's belongs */
            memcpy(next.kiosk_officials[0], next.kiosk_officials[1], OFFICIALS_SEALED_LEN);
        unlink(path);
        CHECK_INT(package_write(path, &next, auth, NULL, &e), 0);
        election_free(&next);
        int rc = station_install(st, false, LANG_EN, out, sizeof out);
        if (round == 0) {
            CHECK_INT(rc, 0);
            CHECK_HAS(out, "no official could use it on this kiosk");
        } else {
            CHECK_INT(rc, 1); /* shown, ready to install */
        }
    }
    if (st)
        CHECK_INT(station_close(st, &e), 0);
    key_free(auth);
    env_free(&v);
}

/* Where needle is in the fake printer's paper from `from` on, or -1. */
static long paper_find(const struct printer *p, size_t from, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    const uint8_t *b = printer_fake_received(p, &n);
    for (size_t i = from; i + k <= n; i++)
        if (memcmp(b + i, needle, k) == 0)
            return (long)i;
    return -1;
}

/* Pumps the printer as the live loop would, until it is idle (or a bound). */
static void pump_all(struct station *st, struct printer *p)
{
    size_t sent = 0, total = 0;
    for (int guard = 0; guard < 10000; guard++) {
        station_printer_tick(st);
        printer_progress(p, &sent, &total);
        if (!total)
            return;
    }
}

/* Voter receipts at a live kiosk (no waiting: the printer takes 64 bytes a write): only where
 * the package switches them on; asking returns before the receipt is printed; a report that
 * comes meanwhile prints after it, whole; out of paper the receipt fails once and is never
 * sent again; without a printer attached none is offered. */
static void test_receipts(void)
{
    struct env v;
    env_setup(&v);
    struct printer *p = NULL;
    struct station *st = NULL;
    struct err e = {0};
    char out[4096];
    CHECK_INT(printer_open(PRINTER_BACKEND_FAKE, NULL, &p, &e), 0);
    CHECK_INT(printer_fake_attach(p, 0x0416, 0x5011, false, &e), 0);
    CHECK_INT(printer_fake_chunk(p, 64, &e), 0);
    CHECK(printer_poll(p, 0, &e) >= 0);
    v.cfg.printer = p;
    /* kiosk-1 (this key) prints none */
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st)
        goto done;
    CHECK(!station_receipts(st));
    CHECK_INT(station_receipt_state(st), RECEIPT_OFF);
    CHECK_INT(station_receipt(st, "ABCD-EFGH-JKL", LANG_FR), RECEIPT_FAILED);
    CHECK_INT(paper_find(p, 0, "ABCD-EFGH-JKL"), -1);
    CHECK_INT(station_close(st, &e), 0);
    st = NULL;
    /* kiosk-2 prints them: a fresh journal for it */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'.* '%s'", v.journal, v.journal);
    CHECK_INT(system(cmd), 0);
    key_free(v.kiosk);
    v.kiosk = fixture_key(KEY_KIOSK, 4);
    v.cfg.kiosk_key = v.kiosk;
    CHECK_INT(station_open(&v.cfg, &st, &e), 0);
    if (!st) {
        fprintf(stderr, "%s\n", e.msg);
        goto done;
    }
    CHECK(station_receipts(st));
    CHECK_INT(station_receipt_state(st), RECEIPT_NONE);
    CHECK_INT(station_pin(st, "482915", LANG_FR, out, sizeof out), 1);
    CHECK_INT(station_polls(st, POLLS_OPEN, false, LANG_FR, out, sizeof out), 0);
    pump_all(st, p);
    size_t mark = 0;
    printer_fake_received(p, &mark);
    CHECK(paper_find(p, 0, "RAPPORT Z") >= 0);

    /* asking returns at once: the receipt is not on paper yet */
    CHECK_INT(station_receipt(st, "ABCD-EFGH-JKL", LANG_NL), RECEIPT_PRINTING);
    size_t sent = 0, total = 0;
    printer_progress(p, &sent, &total);
    CHECK(total > 64 && sent < total);
    CHECK_INT(station_receipt_state(st), RECEIPT_PRINTING);
    /* the polls pause meanwhile: the slip waits for the receipt, and is not lost */
    CHECK_INT(station_polls(st, POLLS_PAUSE, false, LANG_FR, out, sizeof out), 0);
    pump_all(st, p);
    CHECK_INT(station_receipt_state(st), RECEIPT_PRINTED);
    long code = paper_find(p, mark, "ABCD-EFGH-JKL");
    long addr = paper_find(p, mark, "https://vote.example.org/");
    long slip = paper_find(p, mark, "RAPPORT DE SUSPENSION");
    CHECK(code >= 0 && addr > code && slip > addr);
    CHECK(paper_find(p, mark, "Uw volgcode") >= 0);
    CHECK_INT(paper_find(p, (size_t)code + 1, "ABCD-EFGH-JKL"), -1);
    station_printer_line(st, LANG_EN, out, sizeof out);
    CHECK(!strstr(out, "not printed"));
    CHECK_INT(station_polls(st, POLLS_RESUME, false, LANG_FR, out, sizeof out), 0);
    pump_all(st, p);

    /* out of paper: refused at once, never sent later */
    CHECK_INT(printer_fake_set_faults(p, PRINTER_FAKE_PAPER_OUT, &e), 0);
    printer_fake_received(p, &mark);
    CHECK_INT(station_receipt(st, "MNPQ-RSTV-WXY", LANG_FR), RECEIPT_FAILED);
    CHECK_INT(printer_fake_set_faults(p, 0, &e), 0);
    pump_all(st, p);
    CHECK_INT(paper_find(p, 0, "MNPQ-RSTV-WXY"), -1);
    CHECK_INT(station_receipt_state(st), RECEIPT_FAILED);
    /* the printer unplugged in the middle of a receipt: failed, not sent again once back */
    CHECK_INT(printer_fake_fault_after(p, 100, PRINTER_FAKE_UNPLUG, &e), 0);
    CHECK_INT(station_receipt(st, "2345-6789-ABC", LANG_EN), RECEIPT_PRINTING);
    pump_all(st, p);
    /* the next frame sees it gone: no receipt is offered meanwhile */
    station_printer_tick(st);
    CHECK_INT(station_receipt_state(st), RECEIPT_OFF);
    CHECK_INT(printer_fake_attach(p, 0x0416, 0x5011, false, &e), 0);
    CHECK(printer_poll(p, 0, &e) >= 0);
    CHECK_INT(station_receipt_state(st), RECEIPT_FAILED);
    printer_fake_received(p, &mark);
    pump_all(st, p);
    size_t after = 0;
    printer_fake_received(p, &after);
    CHECK(after == mark);
    /* no printer attached: no receipt offered */
    CHECK_INT(printer_fake_detach(p, &e), 0);
    CHECK(printer_poll(p, 0, &e) >= 0);
    CHECK_INT(station_receipt_state(st), RECEIPT_OFF);
    CHECK_INT(station_close(st, &e), 0);
done:
    printer_close(p);
    env_free(&v);
}

int main(void)
{
    if (sodium_init() < 0)
        check_skip("libsodium did not start");
    RUN(test_officials_day);
    RUN(test_pins_named_and_lockout);
    RUN(test_no_officials_for_this_kiosk);
    RUN(test_install_needs_this_kiosks_officials);
    RUN(test_cast_storage_fails);
    RUN(test_kill_during_cast);
    RUN(test_restart_record);
    RUN(test_clock_outside_period);
    RUN(test_refusals);
    RUN(test_receipts);
    return check_done();
}
