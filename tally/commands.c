/*
 * commands — `tally verify|import|count|tracking` for isoloir elections; see commands.h and
 * docs/tally.md.
 *
 * Every command works on a tally database (tallydb.h): `import --db` on a file kept between
 * runs, `verify` and `count SOURCES...` on a private temporary one that disappears with the
 * run. So the checks across exports (prefix, fork, ballots or voter cards at two kiosks) are
 * the same code in every command.
 */
#include "commands.h"

#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "cli.h"
#include "journal.h"
#include "key.h"
#include "keysource.h"
#include "package.h"
#include "progress.h"
#include "report.h"
#include "tallydb.h"
#include "util.h"

#define MAX_SOURCES  4096
#define MAX_ACCEPTED 64

struct opts {
    const char *package, *authority, *tally_key, *passfile, *format, *pb_dir, *db, *override, *by,
        *lang, *out;
    bool demo;
    struct keysource ks; /* --share, --share-passphrase-file */
    const char *sources[MAX_SOURCES];
    int nsources;
    /* --accept-unclosed KIOSK --reason WHY, each kiosk with its own reason */
    const char *accept[MAX_ACCEPTED], *reason[MAX_ACCEPTED];
    int naccept;
};

static int parse(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = "table";
    for (int i = 0; i < argc; i++) {
        int ks = keysource_option(&o->ks, argc, argv, &i);
        if (ks < 0)
            return -1;
        if (ks)
            continue;
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **dst = !strcmp(a, "--package")           ? &o->package
                           : !strcmp(a, "--authority")       ? &o->authority
                           : !strcmp(a, "--tally-key")       ? &o->tally_key
                           : !strcmp(a, "--passphrase-file") ? &o->passfile
                           : !strcmp(a, "--format")          ? &o->format
                           : !strcmp(a, "--pb-dir")          ? &o->pb_dir
                           : !strcmp(a, "--db")              ? &o->db
                           : !strcmp(a, "--override")        ? &o->override
                           : !strcmp(a, "--by")              ? &o->by
                           : !strcmp(a, "--lang")            ? &o->lang
                           : !strcmp(a, "--out")             ? &o->out
                                                             : NULL;
        if (dst) {
            if (!v)
                return -1;
            *dst = v;
            i++;
        } else if (!strcmp(a, "--demo")) {
            o->demo = true;
        } else if (!strcmp(a, "--accept-unclosed")) {
            if (!v || o->naccept == MAX_ACCEPTED || (o->naccept && !o->reason[o->naccept - 1]))
                return -1;
            o->accept[o->naccept++] = v;
            i++;
        } else if (!strcmp(a, "--reason")) {
            if (!v || !v[0] || !o->naccept || o->reason[o->naccept - 1])
                return -1;
            for (const char *c = v; *c; c++)
                if ((unsigned char)*c < 0x20) /* one line in every report */
                    return -1;
            o->reason[o->naccept - 1] = v;
            i++;
        } else if (a[0] == '-' || o->nsources == MAX_SOURCES) {
            return -1;
        } else {
            o->sources[o->nsources++] = a;
        }
    }
    if (strcmp(o->format, "table") && strcmp(o->format, "csv") && strcmp(o->format, "json"))
        return -1;
    if (o->override && !o->override[0])
        return -1;
    if (o->naccept && !o->reason[o->naccept - 1])
        return -1;
    return 0;
}

static const char *who_runs(const struct opts *o)
{
    if (o->by)
        return o->by;
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_name ? pw->pw_name : "unknown";
}

/* Records every --accept-unclosed KIOSK --reason WHY: KIOSK is a kiosk's label in the
 * package or its key's fingerprint. */
static int record_accepted(struct tallydb *t, const struct opts *o, const struct election *el,
                           struct err *e)
{
    for (int a = 0; a < o->naccept; a++) {
        int found = -1;
        for (size_t k = 0; k < el->nkiosks && found < 0; k++) {
            char fpr[FPR_TEXT_LEN + 1];
            fingerprint(fpr, el->kiosk_pks[k], SIGN_PK_LEN);
            if (!strcmp(o->accept[a], el->kiosk_labels[k]) || !strcmp(o->accept[a], fpr))
                found = (int)k;
        }
        if (found < 0) {
            char known[1024] = "";
            for (size_t k = 0; k < el->nkiosks; k++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s\"%s\"",
                         k ? ", " : "", el->kiosk_labels[k]);
            return err_set(e, ERR_USAGE,
                           "--accept-unclosed %s: the package has no kiosk of that name or key "
                           "fingerprint (its kiosks: %s)",
                           o->accept[a], known);
        }
        int rc = tallydb_accept_unclosed(t, el->kiosk_pks[found], el->kiosk_labels[found],
                                         o->reason[a], who_runs(o), e);
        if (rc)
            return rc;
    }
    return 0;
}

static int fail(const struct err *e)
{
    fprintf(stderr, "tally: %s\n", e->msg);
    return 1;
}

static int open_package(const struct opts *o, struct election *el, uint8_t hash[HASH_LEN],
                        struct err *e)
{
    struct public_key auth;
    int rc = key_load_public(o->authority, KEY_AUTHORITY, &auth, e);
    if (!rc)
        rc = package_open(o->package, auth.pk, o->demo ? PACKAGE_ALLOW_DEMO : 0, el, hash, e);
    return rc;
}

static int load_tally_key(const struct opts *o, const struct election *el, struct secret_key **out,
                          struct err *e)
{
    FILE *log = strcmp(o->format, "table") ? stderr : stdout;
    return keysource_load(&o->ks, o->tally_key, o->passfile, el->tally_pk, log, out, e);
}

static enum lang pick_lang(const struct opts *o, const struct election *el)
{
    int l = o->lang ? lang_from_code(o->lang) : -1;
    for (int i = 0; i < el->nlangs; i++)
        if ((int)el->langs[i] == l)
            return (enum lang)l;
    return el->langs[0];
}

static enum report_format pick_format(const struct opts *o)
{
    return !strcmp(o->format, "csv")    ? REPORT_CSV
           : !strcmp(o->format, "json") ? REPORT_JSON
                                        : REPORT_TABLE;
}

/* Imports every source; returns the number of problems (kept or refused). */
/* The signatures of a source (an export bundle's journal, or a journal) checked ahead. */
static struct journal_ahead *start_ahead(const char *src)
{
    struct stat st;
    if (stat(src, &st) != 0)
        return NULL;
    if (!S_ISDIR(st.st_mode))
        return journal_ahead_start(src);
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", src, BUNDLE_JOURNAL_FILE);
    return journal_ahead_start(path);
}

static int import_all(struct tallydb *t, const struct opts *o, bool keep, FILE *out,
                      unsigned *problems, unsigned *refused, struct err *e)
{
    const char *who = who_runs(o);
    struct progress prog;
    uint64_t total = 0;
    if (isatty(fileno(stderr)))
        for (int i = 0; i < o->nsources; i++)
            total += tallydb_source_rows(o->sources[i]);
    progress_start(&prog, stderr, keep ? "verifying" : "importing", total);
    struct tallydb_import im = {
        .out = out, .override = o->override, .who = who, .keep = keep, .progress = &prog};
    *problems = *refused = 0;
    int rc = 0;
    /* while one source is imported (SQLite, on this thread), the next one's signatures are
     * checked ahead on the other cores */
    struct journal_ahead *ahead = o->nsources ? start_ahead(o->sources[0]) : NULL;
    for (int i = 0; i < o->nsources && !rc; i++) {
        struct journal_ahead *next = i + 1 < o->nsources ? start_ahead(o->sources[i + 1]) : NULL;
        struct tallydb_result r;
        im.ahead = ahead;
        rc = tallydb_import_source(t, o->sources[i], &im, &r, e);
        journal_ahead_free(ahead);
        ahead = next;
        *problems += r.problems;
        *refused += r.refused;
    }
    journal_ahead_free(ahead);
    progress_end(&prog);
    return rc;
}

/* verify, and count from sources: a temporary database. */
static int run_sources(const struct opts *o, bool count)
{
    struct err e = {0};
    struct election el;
    uint8_t hash[HASH_LEN];
    if (open_package(o, &el, hash, &e))
        return fail(&e);
    struct secret_key *tally = NULL;
    if (count && load_tally_key(o, &el, &tally, &e)) {
        election_free(&el);
        return fail(&e);
    }
    struct tallydb *t = NULL;
    unsigned problems = 0, refused = 0;
    /* with a CSV or JSON count, the verification report goes to stderr: stdout holds only
     * the result */
    FILE *log = count && strcmp(o->format, "table") ? stderr : stdout;
    int rc = tallydb_open(NULL, &el, hash, NULL, 0, &t, &e);
    if (!rc)
        rc = record_accepted(t, o, &el, &e);
    if (!rc)
        rc = import_all(t, o, true, log, &problems, &refused, &e);
    if (rc) {
        rc = fail(&e);
        goto done;
    }
    unsigned accepted = 0;
    problems += tallydb_check_closed(t, log, &accepted);
    fprintf(log, "%s: %d source%s, %s", el.id, o->nsources, o->nsources == 1 ? "" : "s",
            problems ? "PROBLEMS FOUND: the count must not be published as is" : "all sound");
    if (accepted)
        fprintf(log,
                "%s %u kiosk%s ACCEPTED WITHOUT A CLOSE RECORD (see above, with the reason "
                "given)",
                problems ? "; and" : ", except", accepted, accepted == 1 ? "" : "s");
    fputc('\n', log);
    rc = problems ? 1 : 0;
    if (count && !problems) {
        struct report_opts ro = {.format = pick_format(o),
                                 .lang = pick_lang(o, &el),
                                 .pb_dir = o->pb_dir,
                                 .out = stdout,
                                 .log = log};
        if (report_count(t, &el, tally, &ro, &e))
            rc = fail(&e);
    } else if (count) {
        fprintf(stderr, "tally: nothing was counted: fix or explain the problems above first "
                        "(tally import --override records an explanation; --accept-unclosed "
                        "KIOSK --reason \"why\" accepts a kiosk without a close record)\n");
    }
done:
    tallydb_close(t);
    key_free(tally);
    election_free(&el);
    return rc;
}

int cmd_verify(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o) || !o.package || !o.authority || !o.nsources || o.db) {
        fprintf(stderr, "usage: tally verify --package PKG --authority AUTH.pub [--demo]\n"
                        "                    [--accept-unclosed KIOSK --reason \"why\"]... "
                        "BUNDLE_OR_JOURNAL...\n");
        return 2;
    }
    return run_sources(&o, false);
}

int cmd_import(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o) || !o.db || !o.package || !o.authority || !o.nsources) {
        fprintf(
            stderr,
            "usage: tally import --db TALLY.sqlite --package PKG --authority AUTH.pub [--demo]\n"
            "                    [--override \"why\" [--by NAME]]\n"
            "                    [--accept-unclosed KIOSK --reason \"why\"]... "
            "BUNDLE_OR_JOURNAL...\n");
        return 2;
    }
    struct err e = {0};
    struct election el;
    uint8_t hash[HASH_LEN];
    if (open_package(&o, &el, hash, &e))
        return fail(&e);
    uint8_t *pkg = NULL;
    size_t len = 0;
    struct tallydb *t = NULL;
    unsigned problems = 0, refused = 0;
    int rc =
        util_read_file(o.package, PACKAGE_MAX_BYTES + PACKAGE_MAGIC_LEN + SIG_LEN, &pkg, &len, &e);
    if (!rc)
        rc = tallydb_open(o.db, &el, hash, pkg, len, &t, &e);
    if (!rc)
        rc = record_accepted(t, &o, &el, &e);
    if (!rc)
        rc = import_all(t, &o, false, stdout, &problems, &refused, &e);
    if (rc) {
        rc = fail(&e);
    } else {
        printf("%s: %d source%s given, %u refused; the tally database %s holds:\n", el.id,
               o.nsources, o.nsources == 1 ? "" : "s", refused, o.db);
        if (tallydb_summary(t, stdout, &e))
            rc = fail(&e);
        else
            rc = refused ? 1 : 0;
        /* not a failure of the import: the closing exports may come later */
        if (!rc && tallydb_check_closed(t, stdout, NULL))
            printf("(the kiosks above are not counted until their closing export is imported or "
                   "they are accepted without it)\n");
    }
    tallydb_close(t);
    free(pkg);
    election_free(&el);
    return rc;
}

/* Opens the database of `count --db` / `tracking` with the package it holds. */
static int open_db_election(const struct opts *o, struct tallydb **t, struct election *el,
                            struct err *e)
{
    uint8_t *pkg = NULL, auth[SIGN_PK_LEN], hash[HASH_LEN];
    size_t len = 0;
    election_init(el);
    int rc = tallydb_open_existing(o->db, t, &pkg, &len, auth, e);
    if (rc)
        return rc;
    if (o->authority) {
        struct public_key pk;
        rc = key_load_public(o->authority, KEY_AUTHORITY, &pk, e);
        if (!rc && memcmp(pk.pk, auth, SIGN_PK_LEN) != 0)
            rc = err_set(e, ERR_INVALID,
                         "the tally database %s holds a package signed by another authority key "
                         "than %s: give the database of this election",
                         o->db, o->authority);
    }
    if (!rc)
        rc = package_open_mem(pkg, len, auth, PACKAGE_ALLOW_DEMO, el, hash, e);
    if (!rc && el->demo && !o->demo)
        rc = err_set(e, ERR_PERM,
                     "the tally database holds a demo election: add --demo to count it");
    free(pkg);
    if (rc) {
        election_free(el);
        tallydb_close(*t);
        *t = NULL;
        return rc;
    }
    tallydb_set_election(*t, el, hash);
    return 0;
}

int cmd_count(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o) || !keysource_given(&o.ks, o.tally_key) || (o.db && o.nsources) ||
        (!o.db && (!o.package || !o.authority || !o.nsources))) {
        fprintf(stderr,
                "usage: tally count --db TALLY.sqlite --tally-key KEY [--passphrase-file F] "
                "[--demo]\n"
                "                   [--format table|csv|json] [--lang fr|nl|en] [--pb-dir DIR]\n"
                "                   [--accept-unclosed KIOSK --reason \"why\"]...\n"
                "   or: tally count --package PKG --authority AUTH.pub --tally-key KEY [...] "
                "BUNDLE_OR_JOURNAL...\n"
                "   a key split among trustees: --share FILE [--share-passphrase-file F] for each "
                "share, in order, instead of --tally-key KEY\n");
        return 2;
    }
    if (!o.db)
        return run_sources(&o, true);
    struct err e = {0};
    struct election el;
    struct tallydb *t = NULL;
    if (open_db_election(&o, &t, &el, &e))
        return fail(&e);
    struct secret_key *tally = NULL;
    int rc = record_accepted(t, &o, &el, &e);
    if (!rc && tallydb_check_closed(t, stderr, NULL))
        rc = err_set(&e, ERR_TAMPER,
                     "nothing was counted: a kiosk has no close record (see above): import its "
                     "closing export, or accept it explicitly with --accept-unclosed KIOSK "
                     "--reason \"why\"");
    if (!rc)
        rc = load_tally_key(&o, &el, &tally, &e);
    if (!rc) {
        struct report_opts ro = {.format = pick_format(&o),
                                 .lang = pick_lang(&o, &el),
                                 .pb_dir = o.pb_dir,
                                 .out = stdout,
                                 .log = strcmp(o.format, "table") ? stderr : stdout};
        rc = report_count(t, &el, tally, &ro, &e);
    }
    if (rc)
        rc = fail(&e);
    key_free(tally);
    tallydb_close(t);
    election_free(&el);
    return rc;
}

int cmd_tracking(int argc, char **argv)
{
    struct opts o;
    if (parse(argc, argv, &o) || !o.db || o.nsources) {
        fprintf(stderr, "usage: tally tracking --db TALLY.sqlite [--demo] [--out FILE]\n");
        return 2;
    }
    struct err e = {0};
    struct election el;
    struct tallydb *t = NULL;
    if (open_db_election(&o, &t, &el, &e))
        return fail(&e);
    int rc = 0;
    if (tallydb_check_closed(t, stderr, NULL))
        rc = err_set(&e, ERR_TAMPER,
                     "no tracking list was written: a kiosk has no close record (see above): "
                     "import its closing export, or accept it with tally count --db ... "
                     "--accept-unclosed KIOSK --reason \"why\"");
    FILE *f = stdout;
    char tmp[4096];
    if (!rc && o.out) {
        snprintf(tmp, sizeof tmp, "%s.partial", o.out);
        f = fopen(tmp, "w");
        if (!f)
            rc = err_errno(&e, "cannot write %s", tmp);
    }
    if (!rc)
        rc = report_tracking(t, &el, f, &e);
    if (o.out && f && f != stdout) {
        /* a complete file or none: write, sync, rename, sync the directory */
        if (fflush(f) != 0 || fsync(fileno(f)) != 0)
            rc = rc ? rc : err_errno(&e, "cannot write %s", tmp);
        if (fclose(f) != 0)
            rc = rc ? rc : err_errno(&e, "cannot write %s", tmp);
        if (!rc && rename(tmp, o.out) != 0)
            rc = err_errno(&e, "cannot rename %s to %s", tmp, o.out);
        if (!rc) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s", o.out);
            char *slash = strrchr(dir, '/');
            if (slash)
                slash[slash == dir ? 1 : 0] = 0;
            rc = util_fsync_dir(slash ? dir : ".", &e);
        }
        if (rc)
            unlink(tmp);
    }
    if (rc)
        rc = fail(&e);
    tallydb_close(t);
    election_free(&el);
    return rc;
}
