/* test_station — the officials' station without screens: PIN, polls changes and their reports
 * (named by the journal's row, kept beside the journal, mode 0600), status lines, a cast,
 * an export to a directory, an install refused while the polls run, and the station
 * reopened on the same files. A fake clock inside the election's voting period. */
#include <dirent.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "check.h"
#include "fixture.h"
#include "journal.h"
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
    fixture_election(&v->el);
    if (crypto_pwhash_str(v->el.official_pin_hash, "482915", 6, crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN) != 0 ||
        crypto_pwhash_str(v->el.supervisor_pin_hash, "777777", 6, crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN) != 0)
        abort();
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
    CHECK_INT(station_pin(st, "482915", LANG_EN, out, sizeof out), 1);

    int state = -1;
    char lines[STATUS_LINES][128];
    station_status(st, LANG_EN, &state, lines);
    CHECK_INT(state, 0);
    CHECK_HAS(lines[0], "not opened");

    CHECK_INT(station_polls(st, POLLS_OPEN, LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "ZERO REPORT");
    char path[256];
    snprintf(path, sizeof path, "%s.reports/report-zero-2.txt", v.journal);
    struct stat sb;
    CHECK_INT(stat(path, &sb), 0);
    CHECK_INT(sb.st_mode & 0777, 0600);

    struct vote vt = one_vote(&v.el);
    char code[64] = "";
    CHECK_INT(station_cast(st, &vt, NULL, code, sizeof code, &e), 0);
    CHECK(strlen(code) > 10);

    CHECK_INT(station_polls(st, POLLS_PAUSE, LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "PAUSE REPORT");
    CHECK_HAS(out, "Ballots cast");
    snprintf(path, sizeof path, "%s.reports/report-pause-4.txt", v.journal);
    CHECK_INT(stat(path, &sb), 0);
    station_status(st, LANG_FR, &state, lines);
    CHECK_INT(state, 2);
    CHECK_HAS(lines[1], "Bulletins : 1");

    /* an install while the polls run is refused, with the reason */
    CHECK_INT(station_install(st, false, LANG_EN, out, sizeof out), 0);
    CHECK_HAS(out, "the polls are running");
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
        CHECK_INT(station_polls(st, POLLS_RESUME, LANG_EN, out, sizeof out), 0);
        CHECK_INT(station_polls(st, POLLS_CLOSE, LANG_EN, out, sizeof out), 0);
        CHECK_HAS(out, "CLOSING REPORT");
        CHECK_INT(count_files(v.exports, "isoloir-"), 2); /* exported at close */
        CHECK_INT(station_close(st, &e), 0);
    }
    snprintf(path, sizeof path, "%s.reports", v.journal);
    CHECK_INT(count_files(path, "report-"), 4);
    vote_wipe(&vt);
    env_free(&v);
}

int main(void)
{
    if (sodium_init() < 0)
        check_skip("libsodium did not start");
    RUN(test_officials_day);
    return check_done();
}
