/* test_tokens_tool — isoloir-tokens end to end: the files it writes (modes, formats, 8 cards
 * per page), that every printed code is in tokens.tsv with its district and nothing else is,
 * that it never replaces codes, its usage errors, and the hash command.
 * Usage: test_tokens_tool PATH-TO-isoloir-tokens */
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "token.h"
#include "util.h"

static const char *tool;
static char dir[64];

/* Runs the tool with args; stdin from in_path (or /dev/null), stdout to out_path (or
 * /dev/null). Returns the exit code, or -1. */
static int run(const char *const *args, const char *in_path, const char *out_path)
{
    char *argv[16];
    size_t n = 0;
    argv[n++] = (char *)tool;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
        int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int nul = open("/dev/null", O_WRONLY);
        if (in < 0 || out < 0 || nul < 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(nul, 2);
        execv(tool, argv);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
        return -1;
    return WEXITSTATUS(st);
}

static char *slurp(const char *path, size_t *n)
{
    uint8_t *d = NULL;
    struct err e = {0};
    if (util_read_file(path, 1 << 24, &d, n, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return NULL;
    }
    return (char *)d;
}

static int count_of(const char *hay, const char *needle)
{
    int c = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        c++;
    return c;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_mode & 0777 : 0;
}

static void rm_out(const char *sub)
{
    static const char *const files[] = {"cards.csv", "cards.html", "tokens.tsv"};
    char p[256];
    for (size_t i = 0; i < ARRAY_LEN(files); i++) {
        snprintf(p, sizeof p, "%s/%s/%s", dir, sub, files[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/%s", dir, sub);
    rmdir(p);
}

static void test_generate_district(void)
{
    char out[128], p[256];
    snprintf(out, sizeof out, "%s/nord", dir);
    const char *args[] = {"generate", "--district", "nord",
                          "--count",  "20",         "--out",
                          out,        "--title",    "Budget <participatif> & co",
                          NULL};
    CHECK_INT(run(args, NULL, NULL), 0);
    CHECK_INT(mode_of(out), 0700);
    snprintf(p, sizeof p, "%s/cards.csv", out);
    CHECK_INT(mode_of(p), 0600);
    size_t n;
    char *csv = slurp(p, &n);
    snprintf(p, sizeof p, "%s/cards.html", out);
    CHECK_INT(mode_of(p), 0600);
    char *html = slurp(p, &n);
    snprintf(p, sizeof p, "%s/tokens.tsv", out);
    CHECK_INT(mode_of(p), 0644);
    char *tsv = slurp(p, &n);
    if (!csv || !html || !tsv)
        goto out;

    struct election el;
    fixture_election(&el);
    free(el.tokens);
    struct err e = {0};
    CHECK_INT(token_tsv_read(p, &el, &el.tokens, &el.ntokens, &e), 0);
    CHECK_INT(el.ntokens, 20);

    /* the raw file is already sorted by hash: its order is not the cards' order */
    const char *prev = NULL;
    for (const char *l = strchr(tsv, '\n') + 1; *l; l = strchr(l, '\n') + 1) {
        if (*l == '#')
            continue;
        if (prev)
            CHECK(memcmp(prev, l, 32) < 0);
        prev = l;
    }

    CHECK(strncmp(csv, "code,district\n", 14) == 0);
    CHECK_INT(count_of(csv, "\n"), 21);
    int found = 0;
    for (char *l = strchr(csv, '\n') + 1; *l; l = strchr(l, '\n') + 1) {
        char code[64];
        CHECK(sscanf(l, "%63[^,],", code) == 1);
        CHECK(strncmp(l + TOKEN_TEXT_LEN, ",nord\n", 6) == 0);
        struct token_result r;
        CHECK_INT(token_check(&el, code, NULL, NULL, &r, &e), 0);
        CHECK_INT(r.status, TOKEN_VALID);
        CHECK_INT(r.district, 0);
        found += r.status == TOKEN_VALID;
        CHECK_INT(count_of(html, code), 1);
    }
    CHECK_INT(found, 20);
    CHECK_INT(count_of(html, "<div class=\"page\">"), 3); /* 8 + 8 + 4 */
    CHECK_INT(count_of(html, "<div class=\"card\">"), 20);
    CHECK_INT(count_of(html, "Budget &lt;participatif&gt; &amp; co"), 20);
    CHECK(!strstr(html, "<participatif>"));
    CHECK(strstr(html, "<b>nord</b>") != NULL);

    /* never replaces codes */
    CHECK_INT(run(args, NULL, NULL), 1);
    size_t n2;
    snprintf(p, sizeof p, "%s/cards.csv", out);
    char *again = slurp(p, &n2);
    CHECK(again && strcmp(again, csv) == 0);
    free(again);
    election_free(&el);
out:
    free(csv);
    free(html);
    free(tsv);
    rm_out("nord");
}

static void test_generate_citywide(void)
{
    char out[128], p[256];
    snprintf(out, sizeof out, "%s/city", dir);
    const char *args[] = {"generate", "--citywide", "--count", "9", "--out", out, NULL};
    CHECK_INT(run(args, NULL, NULL), 0);
    size_t n;
    snprintf(p, sizeof p, "%s/cards.html", out);
    char *html = slurp(p, &n);
    CHECK(html && count_of(html, "<div class=\"page\">") == 2);
    CHECK(html && count_of(html, "Toute la ville") == 9);
    free(html);
    snprintf(p, sizeof p, "%s/cards.csv", out);
    char *csv = slurp(p, &n);
    CHECK(csv && count_of(csv, ",*\n") == 9);
    snprintf(p, sizeof p, "%s/tokens.tsv", out);
    struct election el;
    fixture_election(&el);
    free(el.tokens);
    struct err e = {0};
    CHECK_INT(token_tsv_read(p, &el, &el.tokens, &el.ntokens, &e), 0);
    CHECK_INT(el.ntokens, 9);
    for (size_t i = 0; i < el.ntokens; i++)
        CHECK_INT(el.tokens[i].district, -1);

    /* hash: one line per code, in order; a mistyped code says so and fails the run */
    char in[256], res[256];
    snprintf(in, sizeof in, "%s/codes.txt", dir);
    snprintf(res, sizeof res, "%s/hashes.txt", dir);
    char text[2048];
    size_t tl = 0;
    int k = 0;
    for (char *l = strchr(csv, '\n') + 1; csv && *l && k < 3; l = strchr(l, '\n') + 1, k++)
        tl += (size_t)snprintf(text + tl, sizeof text - tl, "%.*s\n", TOKEN_TEXT_LEN, l);
    const char *hash_args[] = {"hash", NULL};
    CHECK_INT(util_write_durable(in, text, tl, 0600, &e), 0);
    CHECK_INT(run(hash_args, in, res), 0);
    char *hashes = slurp(res, &n);
    CHECK(hashes && n == 3 * 33);
    for (int i = 0; hashes && i < 3; i++) {
        uint8_t h[TOKEN_HASH_LEN];
        char hx[33];
        memcpy(hx, hashes + 33 * i, 32);
        hx[32] = '\0';
        CHECK_INT(hex_decode(h, TOKEN_HASH_LEN, hx), 0);
        CHECK(token_find(&el, h) != NULL);
    }
    free(hashes);
    tl += (size_t)snprintf(text + tl, sizeof text - tl, "K7QF-3M2A\nK7QF-3M2A-9C41-X2NB-0\n");
    CHECK_INT(util_write_durable(in, text, tl, 0600, &e), 0);
    CHECK_INT(run(hash_args, in, res), 1);
    hashes = slurp(res, &n);
    CHECK(hashes && strstr(hashes, "\nincomplete\nmistyped\n"));
    CHECK(hashes && !strstr(hashes, "K7QF"));
    free(hashes);
    unlink(in);
    unlink(res);
    free(csv);
    election_free(&el);
    rm_out("city");
}

static void test_odd_district_id(void)
{
    char out[128], p[256];
    snprintf(out, sizeof out, "%s/odd", dir);
    const char *args[] = {"generate", "--district", "a,\"b\"", "--count", "1", "--out", out, NULL};
    CHECK_INT(run(args, NULL, NULL), 0);
    snprintf(p, sizeof p, "%s/cards.csv", out);
    size_t n;
    char *csv = slurp(p, &n);
    CHECK(csv && strstr(csv, ",\"a,\"\"b\"\"\"\n"));
    free(csv);
    rm_out("odd");
}

static void test_usage(void)
{
    char out[128];
    snprintf(out, sizeof out, "%s/bad", dir);
    const char *none[] = {NULL};
    const char *both[] = {"generate", "--district", "nord", "--citywide", "--count",
                          "1",        "--out",      out,    NULL};
    const char *neither[] = {"generate", "--count", "1", "--out", out, NULL};
    const char *zero[] = {"generate", "--citywide", "--count", "0", "--out", out, NULL};
    const char *huge[] = {"generate", "--citywide", "--count", "1000001", "--out", out, NULL};
    const char *notnum[] = {"generate", "--citywide", "--count", "12x", "--out", out, NULL};
    const char *noout[] = {"generate", "--citywide", "--count", "1", NULL};
    const char *star[] = {"generate", "--district", "*", "--count", "1", "--out", out, NULL};
    CHECK_INT(run(none, NULL, NULL), 2);
    CHECK_INT(run(both, NULL, NULL), 2);
    CHECK_INT(run(neither, NULL, NULL), 2);
    CHECK_INT(run(zero, NULL, NULL), 2);
    CHECK_INT(run(huge, NULL, NULL), 2);
    CHECK_INT(run(notnum, NULL, NULL), 2);
    CHECK_INT(run(noout, NULL, NULL), 2);
    CHECK_INT(run(star, NULL, NULL), 1);
    struct stat st;
    CHECK(stat(out, &st) != 0); /* nothing was created */
}

int main(int argc, char **argv)
{
    if (argc != 2)
        check_skip("usage: test_tokens_tool PATH-TO-isoloir-tokens");
    tool = argv[1];
    if (access(tool, X_OK) != 0)
        check_skip("isoloir-tokens is not built");
    if (sodium_init() < 0)
        check_skip("libsodium did not start");
    snprintf(dir, sizeof dir, "/tmp/isoloir-tokens-XXXXXX");
    if (!mkdtemp(dir))
        check_skip("cannot make a temporary directory");
    RUN(test_generate_district);
    RUN(test_generate_citywide);
    RUN(test_odd_district_id);
    RUN(test_usage);
    rmdir(dir);
    return check_done();
}
