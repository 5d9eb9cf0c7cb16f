/* test_token — voter-card codes: check character (exhaustive on single errors and swaps),
 * typo-tolerant parsing, hashing against an independent computation, lookup, spent codes,
 * and the tokens.tsv reader with its line-numbered errors. */
#include <sodium.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "package.h"
#include "token.h"
#include "util.h"

static const char ALPHA[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* 17 code characters (data + check), no dashes. */
static void code17(char out[TOKEN_CODE_CHARS + 1], const char data[TOKEN_DATA_CHARS])
{
    memcpy(out, data, TOKEN_DATA_CHARS);
    out[TOKEN_DATA_CHARS] = token_check_char(data);
    out[TOKEN_CODE_CHARS] = '\0';
}

static void test_generated_codes_parse(void)
{
    int seen[32] = {0};
    for (int i = 0; i < 2000; i++) {
        char data[TOKEN_DATA_CHARS + 1], text[TOKEN_TEXT_LEN + 1], back[TOKEN_DATA_CHARS + 1];
        token_generate(data);
        CHECK_INT(strlen(data), TOKEN_DATA_CHARS);
        for (int k = 0; k < TOKEN_DATA_CHARS; k++) {
            const char *at = strchr(ALPHA, data[k]);
            CHECK(at != NULL);
            if (at)
                seen[at - ALPHA]++;
        }
        token_format(text, data);
        CHECK_INT(strlen(text), TOKEN_TEXT_LEN);
        CHECK(text[4] == '-' && text[9] == '-' && text[14] == '-' && text[19] == '-');
        CHECK_INT(token_parse(text, back), TOKEN_VALID);
        CHECK_STR(back, data);
    }
    /* 32000 characters from 32 symbols: each one must turn up (expected 1000 times). */
    for (int k = 0; k < 32; k++)
        CHECK(seen[k] > 700 && seen[k] < 1300);
}

/* The check is linear over GF(32): a change is caught for every code iff it is caught for
 * one. So trying every position with every other symbol on a few codes is exhaustive; the
 * random codes below repeat it on more codes as a guard against a non-linear mistake. */
static void test_every_single_substitution_is_caught(void)
{
    int missed = 0, tried = 0;
    for (int round = 0; round < 300; round++) {
        char data[TOKEN_DATA_CHARS + 1], c[TOKEN_CODE_CHARS + 1], out[TOKEN_DATA_CHARS + 1];
        if (round == 0)
            memcpy(data, "0000000000000000", 17);
        else if (round == 1)
            memcpy(data, "ZZZZZZZZZZZZZZZZ", 17);
        else
            token_generate(data);
        code17(c, data);
        CHECK_INT(token_parse(c, out), TOKEN_VALID);
        for (int pos = 0; pos < TOKEN_CODE_CHARS; pos++) {
            char orig = c[pos];
            for (int s = 0; s < 32; s++) {
                if (ALPHA[s] == orig)
                    continue;
                c[pos] = ALPHA[s];
                tried++;
                if (token_parse(c, out) != TOKEN_MISTYPED)
                    missed++;
            }
            c[pos] = orig;
        }
    }
    CHECK_INT(tried, 300 * 17 * 31);
    CHECK_INT(missed, 0);
}

static void test_every_transposition_is_caught(void)
{
    int missed = 0, tried = 0;
    for (int round = 0; round < 300; round++) {
        char data[TOKEN_DATA_CHARS + 1], c[TOKEN_CODE_CHARS + 1], out[TOKEN_DATA_CHARS + 1];
        token_generate(data);
        if (round == 0)
            memcpy(data, "0123456789ABCDEF", 17);
        code17(c, data);
        for (int i = 0; i < TOKEN_CODE_CHARS; i++)
            for (int j = i + 1; j < TOKEN_CODE_CHARS; j++) {
                if (c[i] == c[j])
                    continue;
                char t = c[i];
                c[i] = c[j], c[j] = t;
                tried++;
                if (token_parse(c, out) != TOKEN_MISTYPED)
                    missed++;
                c[j] = c[i], c[i] = t;
            }
    }
    CHECK(tried > 300 * 100);
    CHECK_INT(missed, 0);
}

/* Exhaustive over every pair of symbols at every pair of positions on a zero code: a swap
 * of different symbols anywhere (adjacent or not) is caught, including the check character. */
static void test_swaps_exhaustive(void)
{
    int missed = 0;
    char data[TOKEN_DATA_CHARS + 1], out[TOKEN_DATA_CHARS + 1];
    for (int i = 0; i < TOKEN_CODE_CHARS; i++)
        for (int j = i + 1; j < TOKEN_CODE_CHARS; j++)
            for (int a = 0; a < 32; a++)
                for (int b = 0; b < 32; b++) {
                    if (a == b || j == TOKEN_DATA_CHARS)
                        continue; /* the check character is fixed by the data; below */
                    memset(data, '0', TOKEN_DATA_CHARS);
                    data[TOKEN_DATA_CHARS] = '\0';
                    data[i] = ALPHA[a];
                    data[j] = ALPHA[b];
                    char c[TOKEN_CODE_CHARS + 1];
                    code17(c, data);
                    c[i] = ALPHA[b], c[j] = ALPHA[a];
                    if (token_parse(c, out) != TOKEN_MISTYPED)
                        missed++;
                }
    /* with the check character: every data symbol at every position */
    for (int i = 0; i < TOKEN_DATA_CHARS; i++)
        for (int a = 0; a < 32; a++) {
            memset(data, '0', TOKEN_DATA_CHARS);
            data[TOKEN_DATA_CHARS] = '\0';
            data[i] = ALPHA[a];
            char c[TOKEN_CODE_CHARS + 1];
            code17(c, data);
            if (c[i] == c[TOKEN_DATA_CHARS])
                continue;
            char t = c[i];
            c[i] = c[TOKEN_DATA_CHARS], c[TOKEN_DATA_CHARS] = t;
            if (token_parse(c, out) != TOKEN_MISTYPED)
                missed++;
        }
    CHECK_INT(missed, 0);
}

static void test_typo_tolerance(void)
{
    char data[TOKEN_DATA_CHARS + 1] = "1010ABCDEFGHJKMN", text[TOKEN_TEXT_LEN + 1];
    char out[TOKEN_DATA_CHARS + 1];
    token_format(text, data);
    /* lower case, spaces and extra dashes, tabs */
    char v[64];
    for (size_t i = 0; i <= strlen(text); i++)
        v[i] = (char)((text[i] >= 'A' && text[i] <= 'Z') ? text[i] + 32 : text[i]);
    CHECK_INT(token_parse(v, out), TOKEN_VALID);
    CHECK_STR(out, data);
    /* I and L for 1, O for 0 */
    char look[64];
    snprintf(look, sizeof look, "%s", text);
    look[0] = 'I', look[1] = 'O', look[2] = 'l', look[3] = 'o';
    CHECK_INT(token_parse(look, out), TOKEN_VALID);
    CHECK_STR(out, data);
    char spaced[80];
    snprintf(spaced, sizeof spaced, "  %.4s %.4s--%.4s\t%.4s  %c \r\n", data, data + 4, data + 8,
             data + 12, text[20]);
    CHECK_INT(token_parse(spaced, out), TOKEN_VALID);
    CHECK_STR(out, data);
    /* prefixes are incomplete, not wrong */
    for (size_t n = 0; n < strlen(text); n++) {
        char pre[32];
        snprintf(pre, sizeof pre, "%.*s", (int)n, text);
        CHECK_INT(token_parse(pre, out), TOKEN_INCOMPLETE);
    }
    CHECK_INT(token_parse(NULL, out), TOKEN_INCOMPLETE);
    CHECK_INT(token_parse("", out), TOKEN_INCOMPLETE);
    /* U, punctuation, non-ASCII and one character too many are mistyped */
    char bad[64];
    snprintf(bad, sizeof bad, "%s", text);
    bad[5] = 'U';
    CHECK_INT(token_parse(bad, out), TOKEN_MISTYPED);
    bad[5] = '*';
    CHECK_INT(token_parse(bad, out), TOKEN_MISTYPED);
    CHECK_INT(token_parse("K7QF-\xc3\xa9", out), TOKEN_MISTYPED);
    snprintf(bad, sizeof bad, "%s0", text);
    CHECK_INT(token_parse(bad, out), TOKEN_MISTYPED);
}

/* The hash against a computation written here from the spec, not from token.c. */
static void test_hash_matches_spec(void)
{
    char data[TOKEN_DATA_CHARS + 1];
    token_generate(data);
    uint8_t h[TOKEN_HASH_LEN], full[32];
    token_hash(h, data);
    char msg[64];
    int n = snprintf(msg, sizeof msg, "isoloir/token%s", data);
    crypto_generichash(full, 32, (const uint8_t *)msg, (size_t)n, NULL, 0);
    CHECK(memcmp(h, full, TOKEN_HASH_LEN) == 0);
}

/* The worked example of docs/tokens.md (also computed there by an independent script). */
static void test_doc_vector(void)
{
    char text[TOKEN_TEXT_LEN + 1], hex[2 * TOKEN_HASH_LEN + 1];
    uint8_t h[TOKEN_HASH_LEN];
    token_format(text, "0123456789ABCDEF");
    token_hash(h, "0123456789ABCDEF");
    hex_encode(hex, h, TOKEN_HASH_LEN);
    printf("vector: %s %s\n", text, hex);
    CHECK_STR(text, "0123-4567-89AB-CDEF-P");
    CHECK_STR(hex, "b40c9219e63f48d0251ef65cda832aa5");
}

struct tokens {
    struct election el;
    char codes[6][TOKEN_TEXT_LEN + 1];
};

static int cmp_entry(const void *a, const void *b)
{
    return memcmp(a, b, TOKEN_HASH_LEN);
}

/* fixture election in token mode with 5 cards: 0,1 nord, 2 sud, 3,4 citywide; codes[5] is
 * a well-formed code not in the package. */
static void tokens_setup(struct tokens *t)
{
    fixture_election(&t->el);
    t->el.eligibility = ELIG_TOKEN;
    free(t->el.tokens); /* the fixture's placeholder hashes */
    t->el.ntokens = 5;
    t->el.tokens = calloc(5, sizeof *t->el.tokens);
    static const int32_t D[5] = {0, 0, 1, -1, -1};
    for (int i = 0; i < 6; i++) {
        char data[TOKEN_DATA_CHARS + 1];
        token_generate(data);
        token_format(t->codes[i], data);
        if (i < 5) {
            token_hash(t->el.tokens[i].hash, data);
            t->el.tokens[i].district = D[i];
        }
    }
    qsort(t->el.tokens, 5, sizeof *t->el.tokens, cmp_entry); /* entries keep their district */
}

struct spent_set {
    uint8_t hashes[4][TOKEN_HASH_LEN];
    int n;
    int fail;
    int calls;
};

static int spent_cb(void *ctx, const uint8_t hash[TOKEN_HASH_LEN], struct err *e)
{
    struct spent_set *s = ctx;
    s->calls++;
    if (s->fail)
        return err_set(e, ERR_IO, "journal unreadable");
    for (int i = 0; i < s->n; i++)
        if (memcmp(s->hashes[i], hash, TOKEN_HASH_LEN) == 0)
            return 1;
    return 0;
}

static void test_check_kinds(void)
{
    struct tokens t;
    tokens_setup(&t);
    struct token_result r;
    struct err e = {0};
    static const int32_t D[5] = {0, 0, 1, -1, -1};
    for (int i = 0; i < 5; i++) {
        CHECK_INT(token_check(&t.el, t.codes[i], NULL, NULL, &r, &e), 0);
        CHECK_INT(r.status, TOKEN_VALID);
        CHECK_INT(r.district, D[i]);
        CHECK(token_find(&t.el, r.hash) != NULL);
    }
    CHECK_INT(token_check(&t.el, t.codes[5], NULL, NULL, &r, &e), 0);
    CHECK_INT(r.status, TOKEN_UNKNOWN);
    CHECK_INT(r.district, -1);
    char typo[32];
    snprintf(typo, sizeof typo, "%s", t.codes[0]);
    typo[2] = typo[2] == 'A' ? 'B' : 'A';
    CHECK_INT(token_check(&t.el, typo, NULL, NULL, &r, &e), 0);
    CHECK_INT(r.status, TOKEN_MISTYPED);
    CHECK_INT(token_check(&t.el, "K7QF", NULL, NULL, &r, &e), 0);
    CHECK_INT(r.status, TOKEN_INCOMPLETE);

    /* spent: the callback decides, and is only asked about codes of this election */
    struct spent_set s = {0};
    CHECK_INT(token_check(&t.el, t.codes[2], spent_cb, &s, &r, &e), 0);
    CHECK_INT(r.status, TOKEN_VALID);
    memcpy(s.hashes[s.n++], r.hash, TOKEN_HASH_LEN);
    CHECK_INT(token_check(&t.el, t.codes[2], spent_cb, &s, &r, &e), 0);
    CHECK_INT(r.status, TOKEN_SPENT);
    CHECK_INT(r.district, 1);
    CHECK_INT(token_check(&t.el, t.codes[1], spent_cb, &s, &r, &e), 0);
    CHECK_INT(r.status, TOKEN_VALID);
    int calls = s.calls;
    CHECK_INT(token_check(&t.el, t.codes[5], spent_cb, &s, &r, &e), 0);
    CHECK_INT(token_check(&t.el, typo, spent_cb, &s, &r, &e), 0);
    CHECK_INT(s.calls, calls);
    s.fail = 1;
    CHECK_INT(token_check(&t.el, t.codes[1], spent_cb, &s, &r, &e), ERR_IO);
    CHECK(r.status != TOKEN_VALID);
    CHECK_HAS(e.msg, "journal");
    election_free(&t.el);

    /* an election with no codes knows none */
    struct election empty;
    election_init(&empty);
    CHECK_INT(token_check(&empty, t.codes[0], NULL, NULL, &r, &e), 0);
    CHECK_INT(r.status, TOKEN_UNKNOWN);
    election_free(&empty);
}

static void test_find_many(void)
{
    struct election el;
    election_init(&el);
    el.ntokens = 1000;
    el.tokens = calloc(el.ntokens, sizeof *el.tokens);
    for (size_t i = 0; i < el.ntokens; i++) {
        randombytes_buf(el.tokens[i].hash, TOKEN_HASH_LEN);
        el.tokens[i].district = (int32_t)i;
    }
    qsort(el.tokens, el.ntokens, sizeof *el.tokens, cmp_entry);
    for (size_t i = 0; i < el.ntokens; i++) {
        const struct token_entry *f = token_find(&el, el.tokens[i].hash);
        CHECK(f == &el.tokens[i]);
        uint8_t h[TOKEN_HASH_LEN];
        memcpy(h, el.tokens[i].hash, TOKEN_HASH_LEN);
        h[TOKEN_HASH_LEN - 1] ^= 1;
        f = token_find(&el, h);
        CHECK(f == NULL || memcmp(f->hash, h, TOKEN_HASH_LEN) == 0);
    }
    election_free(&el);
}

static void test_messages(void)
{
    for (int s = TOKEN_VALID; s <= TOKEN_SPENT; s++)
        for (int l = 0; l < LANG_COUNT; l++) {
            const char *m = token_status_message((enum token_status)s, (enum lang)l);
            CHECK(m && *m && utf8_valid(m, strlen(m)));
            for (int o = TOKEN_VALID; o < s; o++)
                CHECK(strcmp(m, token_status_message((enum token_status)o, (enum lang)l)));
        }
    CHECK_HAS(token_status_message(TOKEN_MISTYPED, LANG_EN), "check the code on your card");
    CHECK_HAS(token_status_message(TOKEN_MISTYPED, LANG_FR), "carte");
    CHECK_HAS(token_status_message(TOKEN_MISTYPED, LANG_NL), "kaart");
}

/* ---- tokens.tsv ---- */

struct text_buf {
    char s[8192];
    size_t n;
};

static void add(struct text_buf *b, const char *line)
{
    size_t l = strlen(line);
    memcpy(b->s + b->n, line, l);
    b->n += l;
}

static int parse(const struct text_buf *b, const struct election *el, struct token_entry **out,
                 size_t *n, struct err *e)
{
    return token_tsv_parse((const uint8_t *)b->s, b->n, el, out, n, e);
}

static void test_tsv_round_trip(void)
{
    struct election el;
    fixture_election(&el);
    struct text_buf b = {0};
    add(&b, TOKEN_TSV_HEADER "\n# district nord\n");
    uint8_t h[40][TOKEN_HASH_LEN];
    char line[128];
    for (int i = 0; i < 40; i++) {
        randombytes_buf(h[i], TOKEN_HASH_LEN);
        const char *id = i % 3 == 0 ? "nord" : i % 3 == 1 ? "sud" : NULL;
        CHECK(token_tsv_line(line, sizeof line, h[i], id) ==
              2 * TOKEN_HASH_LEN + 2 + (id ? strlen(id) : 1));
        add(&b, line);
        if (i == 20)
            add(&b, "\n" TOKEN_TSV_HEADER "\n"); /* files joined with cat */
    }
    struct token_entry *t;
    size_t n;
    struct err e = {0};
    CHECK_INT(parse(&b, &el, &t, &n, &e), 0);
    CHECK_INT(n, 40);
    for (size_t i = 1; i < n; i++)
        CHECK(memcmp(t[i - 1].hash, t[i].hash, TOKEN_HASH_LEN) < 0);
    for (int i = 0; i < 40; i++) {
        int found = 0;
        for (size_t k = 0; k < n; k++)
            if (memcmp(t[k].hash, h[i], TOKEN_HASH_LEN) == 0) {
                found++;
                CHECK_INT(t[k].district, i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : -1);
            }
        CHECK_INT(found, 1);
    }
    free(t);

    /* CRLF line ends and no final line end are accepted; upper-case hex too */
    struct text_buf c = {0};
    add(&c, TOKEN_TSV_HEADER "\r\n00112233445566778899AABBCCDDEEFF\tsud\r\n");
    add(&c, "ffeeddccbbaa99887766554433221100\t*");
    CHECK_INT(parse(&c, &el, &t, &n, &e), 0);
    CHECK_INT(n, 2);
    CHECK_INT(t[0].district, 1);
    CHECK_INT(t[0].hash[15], 0xff);
    CHECK_INT(t[1].district, -1);
    free(t);

    /* a file with only the header holds no codes */
    struct text_buf d = {0};
    add(&d, TOKEN_TSV_HEADER "\n");
    CHECK_INT(parse(&d, &el, &t, &n, &e), 0);
    CHECK_INT(n, 0);
    CHECK(t == NULL);

    /* ids the file cannot hold */
    CHECK_INT(token_tsv_line(line, sizeof line, h[0], "*"), 0);
    CHECK_INT(token_tsv_line(line, sizeof line, h[0], ""), 0);
    CHECK_INT(token_tsv_line(line, sizeof line, h[0], "a\tb"), 0);
    CHECK_INT(token_tsv_line(line, 20, h[0], "nord"), 0);
    election_free(&el);
}

static void test_tsv_errors(void)
{
    struct election el;
    fixture_election(&el);
    struct token_entry *t = (struct token_entry *)&el; /* must be reset to NULL */
    size_t n = 99;
    struct err e = {0};

    struct text_buf b = {0};
    add(&b, "00112233445566778899aabbccddeeff\tnord\n");
    CHECK_INT(parse(&b, &el, &t, &n, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "line 1");
    CHECK_HAS(e.msg, TOKEN_TSV_HEADER);
    CHECK(t == NULL && n == 0);

    struct text_buf z = {0};
    CHECK_INT(parse(&z, &el, &t, &n, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "empty");

    struct text_buf c = {0};
    add(&c, TOKEN_TSV_HEADER "\n");
    add(&c, "00112233445566778899aabbccddeeff\tnord\n"); /* 2 ok */
    add(&c, "00112233445566778899aabbccddeef\tnord\n");  /* 3 short hash */
    add(&c, "0011223344556677889gaabbccddeeff\tnord\n"); /* 4 not hex */
    add(&c, "# a comment\n\n");                          /* 5, 6 */
    add(&c, "10112233445566778899aabbccddeeff nord\n");  /* 7 no tab */
    add(&c, "20112233445566778899aabbccddeeff\test\n");  /* 8 unknown district */
    add(&c, "30112233445566778899aabbccddeeff\t\n");     /* 9 empty district */
    add(&c, "00112233445566778899aabbccddeeff\tsud\n");  /* 10 repeats line 2 */
    CHECK_INT(parse(&c, &el, &t, &n, &e), ERR_FORMAT);
    CHECK(t == NULL && n == 0);
    CHECK_HAS(e.msg, "6 bad lines");
    CHECK_HAS(e.msg, "line 3: the hash has 31 characters");
    CHECK_HAS(e.msg, "line 4: the hash is not 32 hex digits");
    CHECK_HAS(e.msg, "line 7: expected a hash, a tab");
    CHECK_HAS(e.msg, "line 8: district \"est\" is not a district");
    CHECK_HAS(e.msg, "line 9:");
    CHECK_HAS(e.msg, "...");

    /* only a repeat: ERR_INVALID naming both lines */
    struct text_buf d = {0};
    add(&d, TOKEN_TSV_HEADER "\n");
    add(&d, "00112233445566778899aabbccddeeff\tnord\n");
    add(&d, "ffffffffffffffffffffffffffffffff\tnord\n");
    add(&d, "00112233445566778899AABBCCDDEEFF\tsud\n");
    CHECK_INT(parse(&d, &el, &t, &n, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "1 bad line: line 4: the same code as line 2");

    /* a NUL byte */
    struct text_buf f = {0};
    add(&f, TOKEN_TSV_HEADER "\n");
    add(&f, "00112233445566778899aabbccddeeff\tnord\n");
    f.s[f.n - 3] = '\0';
    CHECK_INT(parse(&f, &el, &t, &n, &e), ERR_FORMAT);
    CHECK_HAS(e.msg, "line 2: a NUL byte");
    election_free(&el);
}

static void test_tsv_file(void)
{
    struct election el;
    fixture_election(&el);
    char dir[] = "/tmp/isoloir-token-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/tokens.tsv", dir);
    const char *txt = TOKEN_TSV_HEADER "\n00112233445566778899aabbccddeeff\tnordd\n";
    struct err e = {0};
    CHECK_INT(util_write_durable(path, txt, strlen(txt), 0644, &e), 0);
    struct token_entry *t;
    size_t n;
    CHECK_INT(token_tsv_read(path, &el, &t, &n, &e), ERR_INVALID);
    CHECK_HAS(e.msg, path);
    CHECK_HAS(e.msg, "line 2: district \"nordd\"");
    unlink(path);
    CHECK(token_tsv_read(path, &el, &t, &n, &e) < 0);
    CHECK(t == NULL);
    rmdir(dir);
    election_free(&el);
}

/* From cards to kiosk: codes -> tokens.tsv -> reader -> package content -> decoded election
 * -> token_check. Every card is found with its district; the package keeps the order. */
static void test_through_package(void)
{
    struct election el;
    fixture_election(&el);
    el.eligibility = ELIG_TOKEN;
    enum { N = 300 };
    static char codes[N][TOKEN_TEXT_LEN + 1];
    char *tsv = malloc(64 + (size_t)N * 64);
    size_t len = (size_t)snprintf(tsv, 64, "%s\n", TOKEN_TSV_HEADER);
    for (int i = 0; i < N; i++) {
        char data[TOKEN_DATA_CHARS + 1];
        uint8_t h[TOKEN_HASH_LEN];
        token_generate(data);
        token_format(codes[i], data);
        token_hash(h, data);
        len += token_tsv_line(tsv + len, 64, h, i % 3 == 0 ? "nord" : i % 3 == 1 ? "sud" : NULL);
    }
    free(el.tokens);
    struct err e = {0};
    CHECK_INT(token_tsv_parse((const uint8_t *)tsv, len, &el, &el.tokens, &el.ntokens, &e), 0);
    CHECK_INT(el.ntokens, N);
    struct buf content;
    buf_init(&content);
    CHECK_INT(package_encode(&el, &content, &e), 0);
    struct election back;
    int rc = package_decode(content.data, content.len, &back, &e);
    if (rc)
        fprintf(stderr, "package_decode: %s\n", e.msg);
    CHECK_INT(rc, 0);
    for (int i = 0; !rc && i < N; i++) {
        struct token_result r;
        CHECK_INT(token_check(&back, codes[i], NULL, NULL, &r, &e), 0);
        CHECK_INT(r.status, TOKEN_VALID);
        CHECK_INT(r.district, i % 3 == 0 ? 0 : i % 3 == 1 ? 1 : -1);
    }
    if (!rc)
        election_free(&back);
    buf_free(&content);
    free(tsv);
    election_free(&el);
}

int main(void)
{
    if (sodium_init() < 0)
        check_skip("libsodium did not start");
    RUN(test_generated_codes_parse);
    RUN(test_every_single_substitution_is_caught);
    RUN(test_every_transposition_is_caught);
    RUN(test_swaps_exhaustive);
    RUN(test_typo_tolerance);
    RUN(test_hash_matches_spec);
    RUN(test_doc_vector);
    RUN(test_check_kinds);
    RUN(test_find_many);
    RUN(test_messages);
    RUN(test_tsv_round_trip);
    RUN(test_tsv_errors);
    RUN(test_tsv_file);
    RUN(test_through_package);
    return check_done();
}
