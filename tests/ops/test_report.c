/* test_report — polls reports: golden files (tests/ops/golden/, compared byte for byte; set
 * ISOLOIR_WRITE_GOLDEN=1 to rewrite them after a deliberate change, then read the diff), and
 * layout properties on every kind, language and width, with long names that must wrap. */
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "polls_report.h"
#include "util.h"

static const char *const KIND_NAME[] = {"", "zero", "pause", "resume", "closing", "status"};

static struct polls_report_input sample(enum report_kind kind, enum lang lang)
{
    struct polls_report_input in = {0};
    in.kind = kind;
    in.election_name = lang == LANG_FR   ? "Budget participatif 2026"
                       : lang == LANG_NL ? "Participatieve begroting 2026"
                                         : "Participatory budget 2026";
    in.election_id = "bxl-2026";
    in.vote_point = lang == LANG_NL ? "Gemeentehuis van Schaarbeek" : "Maison communale";
    in.kiosk_label = "kiosk-03 Schaerbeek";
    for (int i = 0; i < 32; i++) {
        in.kiosk_pk[i] = (uint8_t)(3 * i + 1);
        in.package_hash[i] = (uint8_t)(0xA0 ^ i);
        in.chain_head[i] = (uint8_t)(kind * 17 + i);
    }
    in.token_mode = kind != REPORT_ZERO; /* both layouts appear in the golden set */
    static const uint64_t ballots[] = {0, 0, 214, 214, 587, 12};
    in.ballots = ballots[kind];
    in.tokens_spent = kind == REPORT_ZERO ? 0 : in.ballots - 3;
    in.journal_rows = kind == REPORT_ZERO ? 1 : 2 * in.ballots + kind;
    in.at =
        1796112000 + (int64_t)kind * 3 * 3600 + 125; /* 2026-12-01 08:02:05 UTC + 3 h per kind */
    in.utc_offset = 3600;
    in.state = REPORT_PAUSED;
    return in;
}

static char *render(const struct polls_report_input *in, enum lang lang, unsigned w, size_t *n)
{
    char *s = NULL;
    struct err e = {0};
    int rc = polls_report_render(in, lang, w, &s, n, &e);
    if (rc)
        fprintf(stderr, "report_render: %s\n", e.msg);
    CHECK_INT(rc, 0);
    return s;
}

static void golden(const char *name, const char *text, size_t n)
{
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    if (!src) {
        fprintf(stderr, "ISOLOIR_SOURCE_DIR not set; run under ctest\n");
        check_st.cur_failed++;
        return;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/ops/golden/%s", src, name);
    struct err e = {0};
    if (getenv("ISOLOIR_WRITE_GOLDEN"))
        CHECK_INT(util_write_durable(path, text, n, 0644, &e), 0);
    uint8_t *want;
    size_t wn;
    if (util_read_file(path, 1 << 20, &want, &wn, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        check_st.cur_failed++;
        return;
    }
    if (wn != n || memcmp(want, text, n) != 0) {
        fprintf(stderr, "%s differs; got:\n%s", name, text);
        check_st.cur_failed++;
    }
    free(want);
}

static void test_golden(void)
{
    static const enum lang langs[] = {LANG_FR, LANG_NL};
    for (size_t l = 0; l < ARRAY_LEN(langs); l++)
        for (int k = REPORT_ZERO; k <= REPORT_CLOSING; k++) {
            struct polls_report_input in = sample((enum report_kind)k, langs[l]);
            size_t n;
            char *s = render(&in, langs[l], 42, &n);
            char name[64];
            snprintf(name, sizeof name, "%s-%s-42.txt", KIND_NAME[k], lang_code(langs[l]));
            if (s)
                golden(name, s, n);
            free(s);
        }
    /* the narrowest and the screen width, in English, with the status kind */
    struct polls_report_input in = sample(REPORT_STATUS, LANG_EN);
    size_t n;
    char *s = render(&in, LANG_EN, 32, &n);
    if (s)
        golden("status-en-32.txt", s, n);
    free(s);
    in = sample(REPORT_CLOSING, LANG_EN);
    s = render(&in, LANG_EN, 72, &n);
    if (s)
        golden("closing-en-72.txt", s, n);
    free(s);
}

/* Every line: at most `w` code points, no trailing space, LF-terminated, valid UTF-8. */
static void check_layout(const char *s, size_t n, unsigned w)
{
    CHECK(n > 0 && s[n - 1] == '\n');
    CHECK(utf8_valid(s, n));
    CHECK_INT(strlen(s), n);
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        size_t len = (size_t)(nl - p);
        size_t cols = utf8_length(p, len);
        if (cols > w)
            fprintf(stderr, "too wide (%zu > %u): %.*s\n", cols, w, (int)len, p);
        CHECK(cols <= w);
        CHECK(len == 0 || p[len - 1] != ' ');
        CHECK(memchr(p, '\r', len) == NULL);
        p = nl + 1;
    }
}

static void test_layout_every_width(void)
{
    const char *long_name =
        "Budget participatif de la Région de Bruxelles-Capitale pour les quartiers durables, "
        "édition deux mille vingt-six, avec un mot "
        "extraordinairementtroplongpourunelignederecuqueonnepeutpascouper";
    for (int l = 0; l < LANG_COUNT; l++)
        for (int k = REPORT_ZERO; k <= REPORT_STATUS; k++)
            for (unsigned w = REPORT_MIN_WIDTH; w <= 80; w++) {
                struct polls_report_input in = sample((enum report_kind)k, (enum lang)l);
                if (w % 2)
                    in.election_name = long_name;
                in.ballots = UINT64_MAX;
                size_t n;
                char *s = render(&in, (enum lang)l, w, &n);
                if (!s)
                    continue;
                check_layout(s, n, w);
                CHECK_HAS(s, "18446744073709551615");
                CHECK_HAS(s, "kiosk-03");
                char f[FPR_TEXT_LEN + 1];
                fingerprint(f, in.package_hash, HASH_LEN);
                CHECK_HAS(s, f);
                fingerprint(f, in.kiosk_pk, SIGN_PK_LEN);
                CHECK_HAS(s, f);
                fingerprint(f, in.chain_head, HASH_LEN);
                CHECK_HAS(s, f);
                free(s);
            }
}

static void test_contents(void)
{
    struct polls_report_input in = sample(REPORT_PAUSE, LANG_EN);
    in.token_mode = false;
    size_t n;
    char *s = render(&in, LANG_EN, 48, &n);
    CHECK(s && !strstr(s, "Voter cards used"));
    CHECK_HAS(s, "PAUSE REPORT");
    CHECK_HAS(s, "paused");
    CHECK_HAS(s, "2026-12-01 15:02 UTC+01:00");
    free(s);
    in.token_mode = true;
    in.tokens_spent = 4242;
    s = render(&in, LANG_EN, 48, &n);
    CHECK_HAS(s, "Voter cards used");
    CHECK_HAS(s, "4242");
    free(s);
    /* status: the state comes from the input; negative offsets; no vote point; 3 signatures */
    in = sample(REPORT_STATUS, LANG_NL);
    in.state = REPORT_NOT_OPENED;
    in.utc_offset = -(4 * 3600 + 30 * 60);
    in.vote_point = NULL;
    in.signatures = 3;
    s = render(&in, LANG_NL, 42, &n);
    CHECK_HAS(s, "niet geopend");
    CHECK_HAS(s, "UTC-04:30");
    CHECK(!strstr(s, "Stemlocatie"));
    int names = 0;
    for (const char *p = s; (p = strstr(p, "\nNaam ")); p++)
        names++;
    CHECK_INT(names, 3);
    free(s);
    /* control characters from the package never reach the printer */
    in = sample(REPORT_ZERO, LANG_EN);
    in.election_name = "Budget\nparticipatif\t2026\r\x1b@";
    in.kiosk_label = "kiosk\x07-03";
    s = render(&in, LANG_EN, 32, &n);
    check_layout(s, n, 32);
    for (size_t i = 0; s && i < n; i++)
        CHECK(s[i] == '\n' || ((unsigned char)s[i] >= 0x20 && s[i] != 0x7F));
    CHECK_HAS(s, "Budget participatif 2026");
    free(s);
    /* the same input gives the same bytes */
    in = sample(REPORT_CLOSING, LANG_FR);
    char *a = render(&in, LANG_FR, 42, &n), *b = render(&in, LANG_FR, 42, &n);
    CHECK(a && b && strcmp(a, b) == 0);
    CHECK_HAS(a, "clos");
    CHECK_HAS(a, "définitif");
    free(a);
    free(b);
}

static void test_refusals(void)
{
    struct polls_report_input in = sample(REPORT_ZERO, LANG_FR);
    char *s = (char *)1;
    size_t n = 7;
    struct err e = {0};
    CHECK_INT(polls_report_render(&in, LANG_FR, 31, &s, &n, &e), ERR_USAGE);
    CHECK(s == NULL && n == 0);
    CHECK_HAS(e.msg, "31");
    CHECK_INT(polls_report_render(&in, LANG_FR, 161, &s, &n, &e), ERR_USAGE);
    CHECK_INT(polls_report_render(&in, (enum lang)3, 42, &s, &n, &e), ERR_USAGE);
    in.kind = (enum report_kind)9;
    CHECK_INT(polls_report_render(&in, LANG_FR, 42, &s, &n, &e), ERR_USAGE);
    in = sample(REPORT_STATUS, LANG_FR);
    in.state = (enum report_state)7;
    CHECK_INT(polls_report_render(&in, LANG_FR, 42, &s, &n, &e), ERR_USAGE);
    in = sample(REPORT_ZERO, LANG_FR);
    in.kiosk_label = NULL;
    CHECK_INT(polls_report_render(&in, LANG_FR, 42, &s, &n, &e), ERR_USAGE);
    in = sample(REPORT_ZERO, LANG_FR);
    in.vote_point = "caf\xe9";
    CHECK_INT(polls_report_render(&in, LANG_FR, 42, &s, &n, &e), ERR_INVALID);
    CHECK(s == NULL);
}

/* At an attended kiosk every report after the zero one shows the voters enabled beside the
 * ballots, and names a difference either way; a token kiosk's report does not. */
static void test_enables(void)
{
    struct polls_report_input in = sample(REPORT_PAUSE, LANG_EN);
    in.attended = true;
    in.ballots = 41;
    in.enables = 43;
    size_t n;
    char *s = render(&in, LANG_EN, 42, &n);
    CHECK_HAS(s, "Voters enabled");
    CHECK_HAS(s, "Enabled, no ballot                       2");
    free(s);
    in.kind = REPORT_CLOSING;
    in.enables = 40;
    s = render(&in, LANG_FR, 42, &n);
    CHECK_HAS(s, "Bulletins sans autorisation");
    free(s);
    in.enables = 41;
    s = render(&in, LANG_NL, 42, &n);
    CHECK_HAS(s, "Toegelaten kiezers");
    CHECK(!strstr(s, "zonder"));
    free(s);
    in.kind = REPORT_ZERO;
    s = render(&in, LANG_EN, 42, &n);
    CHECK(!strstr(s, "enabled"));
    free(s);
    in.kind = REPORT_PAUSE;
    in.attended = false;
    s = render(&in, LANG_EN, 42, &n);
    CHECK(!strstr(s, "enabled"));
    free(s);
}

static void test_file(void)
{
    char dir[] = "/tmp/isoloir-report-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    char name[POLLS_REPORT_NAME_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, polls_report_file_name(REPORT_CLOSING, 57, name));
    CHECK_HAS(path, "report-closing-57.txt");
    CHECK_STR(polls_report_file_name(REPORT_ZERO, 2, name), "report-zero-2.txt");
    CHECK_STR(polls_report_file_name(REPORT_PAUSE, UINT64_MAX, name),
              "report-pause-18446744073709551615.txt");
    CHECK_STR(polls_report_file_name((enum report_kind)0, 1, name), "report-other-1.txt");
    struct polls_report_input in = sample(REPORT_CLOSING, LANG_FR);
    size_t n;
    char *s = render(&in, LANG_FR, 72, &n);
    struct err e = {0};
    CHECK_INT(polls_report_write(path, s, n, &e), 0);
    uint8_t *back;
    size_t bn;
    CHECK_INT(util_read_file(path, 1 << 16, &back, &bn, &e), 0);
    CHECK(bn == n && memcmp(back, s, n) == 0);
    free(back);
    struct stat st;
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0600); /* the kiosk's own records (polls_report.h) */
    unlink(path);
    snprintf(path, sizeof path, "%s/no-such-dir/r.txt", dir);
    CHECK(polls_report_write(path, s, n, &e) < 0);
    CHECK_HAS(e.msg, "writing the report");
    free(s);
    rmdir(dir);
}

int main(void)
{
    if (sodium_init() < 0)
        check_skip("libsodium did not start");
    RUN(test_golden);
    RUN(test_layout_every_width);
    RUN(test_contents);
    RUN(test_refusals);
    RUN(test_enables);
    RUN(test_file);
    return check_done();
}
