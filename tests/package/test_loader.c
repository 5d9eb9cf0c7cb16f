/* The spreadsheet reader and the election folder loader: CSV as Belgian office suites write
 * it, and one test per validation error, each checking the place (file:line:column) and the
 * words a person reads. Folders are written into a temporary directory by each test. */
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "conf.h"
#include "csv.h"
#include "image.h"
#include "key.h"
#include "loader.h"
#include "package.h"
#include "util.h"

static char root[64];
static int folder_no;

/* ---- CSV ---------------------------------------------------------------------------------- */

static struct csv parse_ok(const char *text)
{
    struct csv c;
    struct err e = {0};
    int rc = csv_parse((const uint8_t *)text, strlen(text), "t.csv", &c, &e);
    if (rc)
        fprintf(stderr, "unexpected: %s\n", e.msg);
    CHECK_INT(rc, 0);
    return c;
}

static void test_csv_semicolon_bom_crlf(void)
{
    struct csv c = parse_ok("\xEF\xBB\xBFid;title\r\np1;\"Caf\xC3\xA9; terrasse\"\r\np2;x\r\n");
    CHECK_INT(c.sep, ';');
    CHECK_INT(c.nrows, 3);
    CHECK_STR(c.rows[0].fields[0].text, "id");
    CHECK_STR(c.rows[1].fields[1].text, "Caf\xC3\xA9; terrasse");
    CHECK_INT(c.rows[2].line, 3);
    csv_free(&c);
}

static void test_csv_comma_quotes_multiline(void)
{
    struct csv c = parse_ok("id,text\np1,\"He said \"\"yes\"\"\nand left\"\np2,\"\"\np3,last");
    CHECK_INT(c.sep, ',');
    CHECK_INT(c.nrows, 4);
    CHECK_STR(c.rows[1].fields[1].text, "He said \"yes\"\nand left");
    CHECK_STR(c.rows[2].fields[1].text, "");
    CHECK_INT(c.rows[2].line, 4); /* the multi-line field moved the line count */
    CHECK_STR(c.rows[3].fields[1].text, "last");
    CHECK_INT(c.rows[3].fields[1].col, 4);
    csv_free(&c);
}

static void test_csv_crlf_inside_quotes_and_blank_rows(void)
{
    struct csv c = parse_ok("a;b\r\n\"x\r\ny\";z\r\n;;\r\n\r\n");
    CHECK_INT(c.nrows, 2);
    CHECK_STR(c.rows[1].fields[0].text, "x\ny");
    csv_free(&c);
}

static void test_csv_errors(void)
{
    struct csv c;
    struct err e = {0};
    const char *bad = "id;t\np1;caf\xC3\n";
    CHECK_INT(csv_parse((const uint8_t *)bad, strlen(bad), "t.csv", &c, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "t.csv:2:7");
    CHECK_HAS(e.msg, "UTF-8");
    const char *open = "id;t\np1;\"never closed\n";
    CHECK_INT(csv_parse((const uint8_t *)open, strlen(open), "t.csv", &c, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "t.csv:2:4");
    CHECK_HAS(e.msg, "never closed");
    const char *after = "id;t\np1;\"x\"y\n";
    CHECK_INT(csv_parse((const uint8_t *)after, strlen(after), "t.csv", &c, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "after a closing quote");
}

static void test_conf(void)
{
    const char *text = "# comment\n[election]\nid = x # trailing\nname.fr = Caf\xC3\xA9 #1\n"
                       "[ballot city]\nmax=3\n";
    struct conf cf;
    struct err e = {0};
    CHECK_INT(conf_parse((const uint8_t *)text, strlen(text), "c", &cf, &e), 0);
    CHECK_INT(cf.nsections, 2);
    CHECK_STR(cf.entries[0].value, "x");
    CHECK_STR(cf.entries[1].value, "Caf\xC3\xA9");
    CHECK_STR(cf.sections[1].id, "city");
    CHECK_INT(cf.entries[2].line, 6);
    conf_free(&cf);
    const char *bad = "id = x\n";
    CHECK_INT(conf_parse((const uint8_t *)bad, strlen(bad), "c", &cf, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "before any [section]");
}

/* ---- folders ------------------------------------------------------------------------------ */

static const char *CONF =
    "[election]\n"
    "id = test-2026\n"
    "name.fr = Budget test\nname.nl = Begroting test\n"
    "languages = fr, nl\n"
    "voting_start = 2026-12-01T08:00:00+01:00\nvoting_end = 2026-12-13T20:00:00+01:00\n"
    "eligibility = attended\n"
    "tie_break = lowest-cost, most-votes\n"
    "tally_key = keys/tally.pub\nkiosk_keys = keys/kiosks\n"
    "official_pin = 246810\nsupervisor_pin = 97531086\n"
    "[district nord]\nname.fr = Nord\nname.nl = Noord\n"
    "[category green]\nname.fr = Nature\nname.nl = Natuur\n"
    "[ballot city]\nname.fr = R\xC3\xA9gion\nname.nl = Gewest\nbudget = 1 000 000\n"
    "rule = knapsack\nmethod = greedy\n"
    "[ballot nord]\nname.fr = Nord\nname.nl = Noord\ndistrict = nord\nbudget = 300000\n"
    "rule = approval\nmin = 0\nmax = 2\nmethod = mes\n";

static const char *CSV_HEADER = "id;district;category;cost_cents;title_fr;title_nl;summary_fr;"
                                "summary_nl;description_fr;description_nl;picture\r\n";

static const char *CSV_ROWS =
    "p1;;green;50000000;Parc;Park;Un parc.;Een park.;Long.;Lang.;pic.png\r\n"
    "p2;;;20000000;\"Caf\xC3\xA9 \"\"Central\"\"\";Caf\xC3\xA9;R.;S.;D.;B.;\r\n"
    "n1;nord;green;10000000;Arbres;Bomen;R.;S.;D.;\"Twee\r\nregels\";\r\n"
    "n2;nord;;5000000;Banc;Bank;R.;S.;D.;B.;\r\n";

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct err e;
    unlink(path);
    if (util_write_durable(path, text, strlen(text), 0644, &e))
        fprintf(stderr, "%s\n", e.msg);
}

/* The secret key of kiosk-01 of the last folder made. */
static struct secret_key *kiosk_key;

/* A complete valid folder; returns its path (static). conf/csv may replace the defaults. */
static const char *make_folder(const char *conf, const char *rows)
{
    static char dir[256];
    snprintf(dir, sizeof dir, "%s/f%d", root, ++folder_no);
    mkdir(dir, 0755);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/keys", dir);
    mkdir(sub, 0755);
    snprintf(sub, sizeof sub, "%s/keys/kiosks", dir);
    mkdir(sub, 0755);
    struct err e;
    struct secret_key *k;
    struct public_key pk;
    char path[400];
    key_generate(KEY_TALLY, false, &k, &e);
    key_public(k, &pk);
    snprintf(path, sizeof path, "%s/keys/tally.pub", dir);
    key_save_public(path, &pk, &e);
    key_free(k);
    key_generate(KEY_KIOSK, false, &k, &e);
    key_public(k, &pk);
    snprintf(path, sizeof path, "%s/keys/kiosks/kiosk-01.pub", dir);
    key_save_public(path, &pk, &e);
    key_free(kiosk_key); /* kept: the officials' lists open only with it */
    kiosk_key = k;
    write_file(dir, "election.conf", conf ? conf : CONF);
    char csv[4096];
    snprintf(csv, sizeof csv, "%s%s", CSV_HEADER, rows ? rows : CSV_ROWS);
    write_file(dir, "projects.csv", csv);
    /* a 600x300 picture: scaled down to 480x240 */
    uint8_t *px = malloc(600 * 300 * 3);
    for (int i = 0; i < 600 * 300 * 3; i++)
        px[i] = (uint8_t)(i % 251);
    struct buf png;
    buf_init(&png);
    image_encode_png(px, 600, 300, 3, 600 * 3, &png, &e);
    snprintf(path, sizeof path, "%s/pic.png", dir);
    util_write_durable(path, png.data, png.len, 0644, &e);
    buf_free(&png);
    free(px);
    return dir;
}

static const struct loader_options FAST = {.fast_pin_hash = true};

/* Loads a folder that must fail; returns the report (caller frees). */
static struct loader_report load_bad(const char *dir)
{
    struct election el;
    struct loader_report rep;
    loader_report_init(&rep);
    struct err e = {0};
    CHECK_INT(loader_load(dir, &FAST, &el, &rep, &e), ERR_INVALID);
    CHECK(rep.n > 0);
    CHECK_HAS(e.msg, "nothing was built");
    return rep;
}

/* The report holds a problem at `where` whose text contains `what`. */
static bool has_problem(const struct loader_report *rep, const char *where, const char *what)
{
    for (size_t i = 0; i < rep->n; i++)
        if (strcmp(rep->items[i].where, where) == 0 && strstr(rep->items[i].what, what))
            return true;
    fprintf(stderr, "  expected %s: ...%s... in:\n", where, what);
    loader_report_print(rep, stderr);
    return false;
}

static void test_valid_folder(void)
{
    struct election el;
    struct loader_report rep;
    loader_report_init(&rep);
    struct err e = {0};
    int rc = loader_load(make_folder(NULL, NULL), &FAST, &el, &rep, &e);
    loader_report_print(&rep, stderr);
    CHECK_INT(rc, 0);
    CHECK_STR(el.id, "test-2026");
    CHECK_INT(el.nlangs, 2);
    CHECK(el.name.s[LANG_EN] == NULL);
    CHECK_INT(el.nprojects, 4);
    CHECK_STR(el.projects[1].title.s[LANG_FR], "Caf\xC3\xA9 \"Central\"");
    CHECK_STR(el.projects[2].description.s[LANG_NL], "Twee\nregels");
    CHECK_INT(el.projects[2].district, 0);
    CHECK_INT(el.projects[0].category, 0);
    CHECK_INT(el.projects[1].category, -1);
    CHECK_INT(el.projects[0].cost, 50000000);
    CHECK_INT(el.projects[0].picture.w, 480);
    CHECK_INT(el.projects[0].picture.h, 240);
    CHECK_INT(el.projects[1].picture.w, 0);
    CHECK_INT(el.nballots, 2);
    CHECK_INT(el.ballots[0].budget, 100000000);
    CHECK_INT(el.ballots[0].nprojects, 2);
    CHECK_INT(el.ballots[1].nprojects, 2);
    CHECK_INT(el.ballots[1].rule.max, 2);
    CHECK_INT(el.ballots[1].method, COUNT_MES);
    CHECK_INT(el.tie_break[2], TIE_ID);
    CHECK_INT(el.voting_start, 1796108400); /* 2026-12-01T07:00:00Z */
    CHECK_INT(el.nkiosks, 1);
    CHECK_STR(el.kiosk_labels[0], "kiosk-01");
    /* official_pin and supervisor_pin: two shared PINs, sealed to the kiosk */
    struct officials *o = NULL;
    CHECK_INT(package_open_officials(&el, kiosk_key, &o, &e), 0);
    if (o) {
        CHECK_INT((int)o->n, 2);
        CHECK_STR(o->list[0].name, "official");
        CHECK_INT(o->list[1].role, OFFICIAL_ROLE_SUPERVISOR);
        int who = 9;
        CHECK_INT(officials_check(o, "246810", &who, &e), 0);
        CHECK_INT(who, 0);
        CHECK_INT(officials_check(o, "97531086", &who, &e), 0);
        CHECK_INT(who, 1);
        CHECK_INT(officials_check(o, "246811", &who, &e), 0);
        CHECK_INT(who, -1);
        officials_free(o);
    }
    election_free(&el);
    loader_report_free(&rep);
}

/* [kiosk LABEL]: a kiosk may take voter cards in an attended election, and stands at a vote
 * point; both survive the package encoding. A section for a kiosk without a key file, an
 * unknown vote point or mode are reported. */
static void test_kiosk_sections(void)
{
    char conf[4096];
    snprintf(conf, sizeof conf,
             "%s[vote_point hall]\nname.fr = Maison communale\nname.nl = Gemeentehuis\n"
             "[kiosk kiosk-01]\neligibility = token\nvote_point = hall\n",
             CONF);
    struct election el, back;
    struct loader_report rep;
    loader_report_init(&rep);
    struct err e = {0};
    int rc = loader_load(make_folder(conf, NULL), &FAST, &el, &rep, &e);
    loader_report_print(&rep, stderr);
    CHECK_INT(rc, 0);
    CHECK_INT(el.eligibility, ELIG_ATTENDED);
    CHECK_INT(election_kiosk_eligibility(&el, 0), ELIG_TOKEN);
    CHECK_INT(el.kiosk_vote_point[0], 0);
    CHECK_INT(election_kiosk_eligibility(&el, -1), ELIG_ATTENDED);
    struct buf b;
    buf_init(&b);
    CHECK_INT(package_encode(&el, &b, &e), 0);
    CHECK_INT(package_decode(b.data, b.len, &back, &e), 0);
    CHECK_INT(election_kiosk_eligibility(&back, 0), ELIG_TOKEN);
    CHECK_INT(back.kiosk_vote_point[0], 0);
    election_free(&back);
    buf_free(&b);
    election_free(&el);
    loader_report_free(&rep);

    snprintf(conf, sizeof conf,
             "%s[kiosk kiosk-09]\neligibility = token\n[kiosk kiosk-01]\neligibility = cards\n"
             "vote_point = nowhere\ncolour = red\n",
             CONF);
    rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:35", "no key file kiosk-09.pub"));
    CHECK(has_problem(&rep, "election.conf:38", "eligibility must be attended or token"));
    CHECK(has_problem(&rep, "election.conf:39", "vote_point \"nowhere\" is not defined"));
    CHECK(has_problem(&rep, "election.conf:40", "unknown setting \"colour\" in [kiosk]"));
    loader_report_free(&rep);
}

static void test_missing_translation(void)
{
    struct loader_report rep =
        load_bad(make_folder(NULL, "p1;;green;50000000;Parc;;Un parc.;Een park.;Long.;Lang.;\r\n"));
    CHECK(has_problem(&rep, "projects.csv:2:25",
                      "Dutch title of project p1 (column title_nl) is missing"));
    loader_report_free(&rep);
}

static void test_duplicate_id_and_bad_costs(void)
{
    struct loader_report rep = load_bad(make_folder(
        NULL, "p1;;;100;A;A;R;S;D;B;\r\np1;;;200;B;B;R;S;D;B;\r\np2;;;-5;C;C;R;S;D;B;\r\n"
              "p3;;;12.5;C;C;R;S;D;B;\r\np4;;;0;C;C;R;S;D;B;\r\n"));
    CHECK(has_problem(&rep, "projects.csv:3:1", "the id p1 is used twice (also on line 2)"));
    CHECK(has_problem(&rep, "projects.csv:4:6", "positive whole number of euro cents"));
    CHECK(has_problem(&rep, "projects.csv:5:6", "\"12.5\""));
    CHECK(has_problem(&rep, "projects.csv:6:6", "\"0\""));
    loader_report_free(&rep);
}

static void test_unknown_district_and_category(void)
{
    struct loader_report rep = load_bad(
        make_folder(NULL, "p1;;green;100;A;A;R;S;D;B;\r\nn1;zuid;sport;100;A;A;R;S;D;B;\r\n"));
    CHECK(has_problem(&rep, "projects.csv:3:4", "district \"zuid\" does not exist"));
    CHECK(has_problem(&rep, "projects.csv:3:9", "category \"sport\" does not exist"));
    loader_report_free(&rep);
}

static void replace(char *out, size_t size, const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at) {
        snprintf(out, size, "%s", text);
        return;
    }
    snprintf(out, size, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

/* publication_url and receipts (package format 3): receipts need an address, a [kiosk]
 * section overrides the election's default, and both survive the package encoding. */
static void test_publication_and_receipts(void)
{
    char conf[4096];
    snprintf(conf, sizeof conf, "%s[kiosk kiosk-01]\nreceipts = yes\n", CONF);
    struct loader_report rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:36", "prints voter receipts"));
    CHECK(has_problem(&rep, "election.conf:36", "publication_url = https://"));
    loader_report_free(&rep);

    replace(conf, sizeof conf, CONF, "eligibility = attended\n",
            "eligibility = attended\nreceipts = yes\n"
            "publication_url = https://vote.example.org/test-2026\n");
    struct election el, back;
    loader_report_init(&rep);
    struct err e = {0};
    int rc = loader_load(make_folder(conf, NULL), &FAST, &el, &rep, &e);
    loader_report_print(&rep, stderr);
    CHECK_INT(rc, 0);
    CHECK_STR(el.publication_url, "https://vote.example.org/test-2026");
    CHECK(package_kiosk_receipts(&el, 0));
    struct buf b;
    buf_init(&b);
    CHECK_INT(package_encode(&el, &b, &e), 0);
    CHECK_INT(package_decode(b.data, b.len, &back, &e), 0);
    CHECK_STR(back.publication_url, "https://vote.example.org/test-2026");
    CHECK(package_receipts_for(&back, el.kiosk_pks[0]));
    election_free(&back);
    buf_free(&b);
    election_free(&el);
    loader_report_free(&rep);

    /* the kiosk's own setting wins; without receipts no address is needed */
    char conf2[2048];
    replace(conf2, sizeof conf2, CONF, "eligibility = attended\n",
            "eligibility = attended\nreceipts = yes\n");
    snprintf(conf, sizeof conf, "%s[kiosk kiosk-01]\nreceipts = no\n", conf2);
    loader_report_init(&rep);
    rc = loader_load(make_folder(conf, NULL), &FAST, &el, &rep, &e);
    loader_report_print(&rep, stderr);
    CHECK_INT(rc, 0);
    CHECK(!package_kiosk_receipts(&el, 0));
    CHECK_STR(el.publication_url, "");
    election_free(&el);
    loader_report_free(&rep);

    replace(conf, sizeof conf, CONF, "eligibility = attended\n",
            "eligibility = attended\nreceipts = maybe\npublication_url = ftp://example.org\n");
    rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:9", "receipts must be yes or no"));
    CHECK(has_problem(&rep, "election.conf:10", "must start with https://"));
    loader_report_free(&rep);
}

/* "election.conf:N" for the line of conf where `needle` starts. */
static const char *where_in(const char *conf, const char *needle)
{
    static char out[32];
    const char *at = strstr(conf, needle);
    unsigned line = 1;
    for (const char *p = conf; at && p < at; p++)
        line += *p == '\n';
    snprintf(out, sizeof out, "election.conf:%u", at ? line : 0);
    return out;
}

/* [official ID] sections: per-official PINs (up to 16 digits), roles, vote points; every
 * kiosk's list is sealed to it and opens with its key only. */
static void test_officials(void)
{
    char base[2048], conf[4096];
    replace(base, sizeof base, CONF, "official_pin = 246810\nsupervisor_pin = 97531086\n", "");
    snprintf(conf, sizeof conf,
             "%s[vote_point hall]\nname.fr = Maison\nname.nl = Huis\n"
             "[vote_point other]\nname.fr = Autre\nname.nl = Ander\n"
             "[kiosk kiosk-01]\nvote_point = hall\n"
             "[official anne]\nname = Anne Martin\npin = 482915\n"
             "[official bram]\nname = Bram Peeters\npin = 1234567890123456\nvote_point = hall\n"
             "[official chloe]\nname = Chlo\xC3\xA9 Dubois\nrole = supervisor\npin = 77031964\n"
             "[official dirk]\nname = Dirk Janssens\npin = 555555\nvote_point = other\n",
             base);
    struct election el;
    struct loader_report rep;
    loader_report_init(&rep);
    struct err e = {0};
    int rc = loader_load(make_folder(conf, NULL), &FAST, &el, &rep, &e);
    loader_report_print(&rep, stderr);
    CHECK_INT(rc, 0);
    struct officials *o = NULL;
    if (rc == 0)
        CHECK_INT(package_open_officials(&el, kiosk_key, &o, &e), 0);
    if (o) {
        CHECK_INT((int)o->n, 3); /* Dirk works at another vote point */
        CHECK_STR(o->list[0].name, "Anne Martin");
        CHECK_STR(o->list[2].name, "Chlo\xC3\xA9 Dubois");
        CHECK_INT(o->list[2].role, OFFICIAL_ROLE_SUPERVISOR);
        CHECK_INT(o->list[1].role, OFFICIAL_ROLE_OFFICIAL);
        int who = -1;
        CHECK_INT(officials_check(o, "1234567890123456", &who, &e), 0);
        CHECK_INT(who, 1);
        CHECK_INT(officials_check(o, "555555", &who, &e), 0);
        CHECK_INT(who, -1);
        CHECK_INT(officials_check(o, "12345678901234567", &who, &e), 0);
        CHECK_INT(who, -1);
        officials_free(o);
    }
    if (rc == 0)
        election_free(&el);
    loader_report_free(&rep);

    /* mistakes, each named at its line */
    snprintf(conf, sizeof conf,
             "%s[official anne]\nname = Anne Martin\npin = 482915\n"
             "[official bram]\nname = Bram Peeters\npin = 482915\n"
             "[official chloe]\nname = Chlo\xC3\xA9 Dubois\nrole = supervisor\npin = 770319\n"
             "[official dirk]\nname = Dirk Janssens\npin = 12345678901234567\n"
             "[official eva]\nname = Eva\nrole = boss\npin = 424242\n"
             "[official fred]\npin = 434343\n",
             base);
    rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, where_in(conf, "[official bram]"), "same PIN as Anne Martin"));
    CHECK(has_problem(&rep, where_in(conf, "[official chloe]"),
                      "supervisor's pin must be 8 to 16 digits"));
    CHECK(has_problem(&rep, where_in(conf, "[official dirk]"),
                      "official's pin must be 6 to 16 digits"));
    CHECK(has_problem(&rep, where_in(conf, "role = boss"), "role must be official or supervisor"));
    CHECK(has_problem(&rep, where_in(conf, "[official fred]"), "needs name = and pin ="));
    loader_report_free(&rep);

    /* a kiosk without a supervisor could never lift a lockout */
    snprintf(conf, sizeof conf, "%s[official anne]\nname = Anne Martin\npin = 482915\n", base);
    rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:1", "kiosk kiosk-01 has no supervisor"));
    loader_report_free(&rep);
    /* and an election without officials, no one could open the polls */
    rep = load_bad(make_folder(base, NULL));
    CHECK(has_problem(&rep, "election.conf:1", "no officials"));
    loader_report_free(&rep);
}

static void test_unsatisfiable_rules(void)
{
    char conf[4096], conf2[4096];
    replace(conf, sizeof conf, CONF, "min = 0\nmax = 2", "min = 3\nmax = 2");
    replace(conf2, sizeof conf2, conf, "budget = 1 000 000", "budget = 1 000");
    struct loader_report rep = load_bad(make_folder(conf2, NULL));
    CHECK(has_problem(&rep, "election.conf:26", "max (2) is smaller than min (3)"));
    CHECK(has_problem(&rep, "election.conf:20", "below its cheapest project"));
    loader_report_free(&rep);

    replace(conf, sizeof conf, CONF, "rule = approval\nmin = 0\nmax = 2\nmethod = mes",
            "rule = cumulative\npoints = 5\nmax_per_project = 9\nmethod = mes");
    rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:26", "max_per_project must be between 1 and points"));
    CHECK(has_problem(&rep, "election.conf:34", "use method = greedy"));
    loader_report_free(&rep);
}

static void test_conf_mistakes(void)
{
    char conf[4096], conf2[4096], conf3[4096];
    replace(conf, sizeof conf, CONF, "eligibility = attended", "eligibilty = attended");
    replace(conf2, sizeof conf2, conf, "voting_end = 2026-12-13T20:00:00+01:00",
            "voting_end = 2026-11-13T20:00:00+01:00");
    replace(conf3, sizeof conf3, conf2, "name.nl = Noord\n[category", "\n[category");
    struct loader_report rep = load_bad(make_folder(conf3, NULL));
    CHECK(has_problem(&rep, "election.conf:8", "unknown setting \"eligibilty\""));
    CHECK(has_problem(&rep, "election.conf:1", "voting_end must come after voting_start"));
    CHECK(has_problem(&rep, "election.conf:14", "Dutch name is missing (name.nl)"));
    loader_report_free(&rep);
    replace(conf, sizeof conf, CONF, "supervisor_pin = 97531086", "supervisor_pin = 246810");
    rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:13", "supervisor_pin must be 8 to 16 digits"));
    loader_report_free(&rep);
}

static void test_pictures(void)
{
    const char *dir = make_folder(NULL, "p1;;;100;A;A;R;S;D;B;missing.png\r\n"
                                        "p2;;;100;A;A;R;S;D;B;not.png\r\n"
                                        "p3;;;100;A;A;R;S;D;B;big.png\r\n");
    write_file(dir, "not.png", "this is text, not a picture");
    char path[400];
    snprintf(path, sizeof path, "%s/big.png", dir);
    uint8_t *big = calloc(1, 3 * 1024 * 1024);
    struct err e;
    util_write_durable(path, big, 3 * 1024 * 1024, 0644, &e);
    free(big);
    struct loader_report rep = load_bad(dir);
    CHECK(has_problem(&rep, "projects.csv:2", "picture missing.png"));
    CHECK(has_problem(&rep, "projects.csv:3", "neither PNG nor JPEG"));
    CHECK(has_problem(&rep, "projects.csv:4", "too large"));
    loader_report_free(&rep);
}

static void test_everything_reported_at_once(void)
{
    /* three unrelated mistakes in two files: all three are named */
    char conf[4096];
    replace(conf, sizeof conf, CONF, "method = greedy", "method = random");
    struct loader_report rep =
        load_bad(make_folder(conf, "p1;;;100;A;;R;S;D;B;\r\np2;;;abc;B;B;R;S;D;B;\r\n"));
    CHECK(rep.n >= 3);
    CHECK(has_problem(&rep, "election.conf:25", "method must be greedy or mes"));
    CHECK(has_problem(&rep, "projects.csv:2:12", "Dutch title"));
    CHECK(has_problem(&rep, "projects.csv:3:6", "\"abc\""));
    loader_report_free(&rep);
}

/* Costs above COST_MAX_CENTS are refused with a clear message, and never overflow on the way
 * (this test runs under UBSan: two costs of 2^63 - 1 on a ballot with a min_share used to
 * overflow the total). */
static void test_huge_costs(void)
{
    char conf[4096];
    replace(conf, sizeof conf, CONF, "rule = knapsack\n", "rule = knapsack\nmin_share = 50%\n");
    struct loader_report rep =
        load_bad(make_folder(conf, "p1;;;9223372036854775807;A;A;R;S;D;B;\r\n"
                                   "p2;;;9223372036854775807;B;B;R;S;D;B;\r\n"
                                   "p3;;;1000000000001;C;C;R;S;D;B;\r\n"
                                   "n1;nord;;100;D;D;R;S;D;B;\r\n"));
    CHECK(has_problem(&rep, "projects.csv:2:6", "more than the largest accepted"));
    CHECK(has_problem(&rep, "projects.csv:3:6", "10 billion euro"));
    CHECK(has_problem(&rep, "projects.csv:4:6", "\"1000000000001\""));
    loader_report_free(&rep);
    /* the largest cost is accepted */
    rep = load_bad(make_folder(conf, "p1;;;1000000000000;A;A;R;S;D;B;\r\n"
                                     "n1;nord;;100;D;D;R;S;D;B;\r\n"));
    for (size_t i = 0; i < rep.n; i++)
        CHECK(!strstr(rep.items[i].what, "largest accepted"));
    loader_report_free(&rep);
    /* a budget too: in euro, and in cents */
    replace(conf, sizeof conf, CONF, "budget = 1 000 000", "budget = 92233720368547758.07");
    rep = load_bad(make_folder(conf, NULL));
    CHECK(rep.n > 0);
    loader_report_free(&rep);
    replace(conf, sizeof conf, CONF, "budget = 1 000 000", "budget_cents = 9223372036854775807");
    rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:23", "the budget is more than the largest accepted"));
    loader_report_free(&rep);
}

/* A key given twice in a section is refused with both line numbers (the last used to win). */
static void test_duplicate_keys(void)
{
    char conf[4096];
    replace(conf, sizeof conf, CONF, "budget = 300000\n", "budget = 300000\nmax = 3\n");
    struct loader_report rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:34",
                      "max is given twice in [ballot nord] (lines 31 and 34)"));
    loader_report_free(&rep);
    replace(conf, sizeof conf, CONF, "official_pin = 246810\n",
            "official_pin = 246810\nofficial_pin = 135791\n");
    rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:13",
                      "official_pin is given twice in [election] (lines 12 and 13)"));
    loader_report_free(&rep);
    /* two spellings of one setting */
    replace(conf, sizeof conf, CONF, "budget = 300000\n", "budget = 300000\nbudget_cents = 5\n");
    rep = load_bad(make_folder(conf, NULL));
    CHECK(has_problem(&rep, "election.conf:31",
                      "budget and budget_cents both give the budget in [ballot nord] (lines 30 "
                      "and 31)"));
    loader_report_free(&rep);
    /* the same key in two sections is fine */
    struct election el;
    struct loader_report ok;
    loader_report_init(&ok);
    struct err e = {0};
    CHECK_INT(loader_load(make_folder(NULL, NULL), &FAST, &el, &ok, &e), 0);
    CHECK_INT(ok.n, 0);
    election_free(&el);
    loader_report_free(&ok);
}

static void test_demo_keys_need_demo_election(void)
{
    const char *dir = make_folder(NULL, NULL);
    char path[400];
    snprintf(path, sizeof path, "%s/keys/tally.pub", dir);
    unlink(path);
    struct err e;
    struct secret_key *k;
    struct public_key pk;
    key_generate(KEY_TALLY, true, &k, &e);
    key_public(k, &pk);
    key_save_public(path, &pk, &e);
    key_free(k);
    struct loader_report rep = load_bad(dir);
    CHECK(has_problem(&rep, "keys/tally.pub", "demo keys can only be used in a demo election"));
    loader_report_free(&rep);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    snprintf(root, sizeof root, "/tmp/isoloir-loader-XXXXXX");
    if (!mkdtemp(root))
        return 1;
    RUN(test_csv_semicolon_bom_crlf);
    RUN(test_csv_comma_quotes_multiline);
    RUN(test_csv_crlf_inside_quotes_and_blank_rows);
    RUN(test_csv_errors);
    RUN(test_conf);
    RUN(test_valid_folder);
    RUN(test_kiosk_sections);
    RUN(test_publication_and_receipts);
    RUN(test_officials);
    RUN(test_missing_translation);
    RUN(test_duplicate_id_and_bad_costs);
    RUN(test_unknown_district_and_category);
    RUN(test_unsatisfiable_rules);
    RUN(test_conf_mistakes);
    RUN(test_pictures);
    RUN(test_everything_reported_at_once);
    RUN(test_demo_keys_need_demo_election);
    RUN(test_huge_costs);
    RUN(test_duplicate_keys);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    key_free(kiosk_key);
    return check_done();
}
