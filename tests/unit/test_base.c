/* Unit tests of the base modules: util (UTF-8, numbers, euro, base32, durable write), buf
 * (canonical encoding round trips and bounds), crypto (fingerprints, signatures). */
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "check.h"
#include "crypto.h"
#include "election.h"
#include "util.h"

static void test_utf8(void)
{
    CHECK(utf8_valid("abc", 3));
    CHECK(utf8_valid("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xc5\x93", 12));
    CHECK(!utf8_valid("\xc3", 1));             /* truncated */
    CHECK(!utf8_valid("\xc0\xaf", 2));         /* overlong */
    CHECK(!utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    CHECK(!utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    CHECK(!utf8_valid("a\0b", 3));             /* NUL */
    CHECK_INT(utf8_first_invalid("ab\xff", 3), 2);
    CHECK_INT(utf8_length("\xc3\xa9t\xc3\xa9", 5), 3);
}

/* Wrapping by code points: whole words per line, accented letters count once, a word wider
 * than the line is cut and said so. */
static void test_wrap(void)
{
    const char *s = "  Clé de la borne : ABCDEFGHIJKLMNOP fin";
    size_t n = strlen(s), at = 0, a, b;
    bool cut;
    char line[64];
    const char *want[] = {"Clé de la", "borne :", "ABCDEFGHIJ", "KLMNOP fin"};
    const bool want_cut[] = {false, false, true, false};
    for (int k = 0; k < 4; k++) {
        CHECK(util_wrap_next(s, n, &at, 10, &a, &b, &cut));
        snprintf(line, sizeof line, "%.*s", (int)(b - a), s + a);
        CHECK(!strcmp(line, want[k]));
        CHECK_INT(cut, want_cut[k]);
    }
    CHECK(!util_wrap_next(s, n, &at, 10, &a, &b, &cut));
    CHECK_INT(utf8_prefix("éa", 3, 1), 2);
}

static void test_parse_i64(void)
{
    int64_t v = 0;
    CHECK_INT(util_parse_i64("42", &v), 0);
    CHECK_INT(v, 42);
    CHECK_INT(util_parse_i64("-9223372036854775808", &v), 0);
    CHECK(v == INT64_MIN);
    CHECK_INT(util_parse_i64("9223372036854775808", &v), ERR_FORMAT);
    CHECK_INT(util_parse_i64("12a", &v), ERR_FORMAT);
    CHECK_INT(util_parse_i64("", &v), ERR_FORMAT);
    CHECK_INT(util_parse_i64(" 1", &v), ERR_FORMAT);
}

static void test_euro(void)
{
    int64_t c = 0;
    CHECK_INT(util_parse_euro_cents("12500", &c), 0);
    CHECK_INT(c, 1250000);
    CHECK_INT(util_parse_euro_cents("12 500,50", &c), 0);
    CHECK_INT(c, 1250050);
    CHECK_INT(util_parse_euro_cents("12.500,5 \xe2\x82\xac", &c), 0);
    CHECK_INT(c, 1250050);
    CHECK_INT(util_parse_euro_cents("1,250,000", &c), 0);
    CHECK_INT(c, 125000000);
    CHECK_INT(util_parse_euro_cents("-5", &c), ERR_FORMAT);
    CHECK_INT(util_parse_euro_cents("abc", &c), ERR_FORMAT);
    char out[64];
    util_format_euro(out, sizeof out, 1250000, "en");
    CHECK_STR(out, "\xe2\x82\xac\xc2\xa0"
                   "12,500");
    util_format_euro(out, sizeof out, 1250050, "nl");
    CHECK_STR(out, "\xe2\x82\xac\xc2\xa0"
                   "12.500,50");
    util_format_euro(out, sizeof out, 40000000, "fr");
    CHECK_STR(out, "400\xe2\x80\xaf"
                   "000\xc2\xa0\xe2\x82\xac");
}

static void test_b32_hex(void)
{
    uint8_t in[5] = {0xff, 0x00, 0xaa, 0x55, 0x01};
    char out[16];
    b32_encode(out, in, 5);
    CHECK_INT(strlen(out), 8);
    for (int i = 0; i < 8; i++)
        CHECK(b32_value(out[i]) >= 0);
    CHECK_INT(b32_value('o'), 0);
    CHECK_INT(b32_value('L'), 1);
    CHECK_INT(b32_value('U'), -1);
    char hex[11];
    hex_encode(hex, in, 5);
    CHECK_STR(hex, "ff00aa5501");
    uint8_t back[5];
    CHECK_INT(hex_decode(back, 5, hex), 0);
    CHECK(memcmp(back, in, 5) == 0);
    CHECK_INT(hex_decode(back, 5, "ff00aa550"), ERR_FORMAT);
}

static void test_buf_roundtrip(void)
{
    struct buf b;
    buf_init(&b);
    buf_str(&b, "isoloir/test");
    buf_u16(&b, 1);
    buf_u8(&b, 7);
    buf_u32(&b, 0xdeadbeef);
    buf_i64(&b, -5);
    buf_str(&b, "\xc3\xa9");
    CHECK_INT(buf_ok(&b), 0);
    /* label length, label, u16, u8, u32, i64, text */
    CHECK_INT(b.len, 4 + 12 + 2 + 1 + 4 + 8 + 4 + 2);
    CHECK_INT(b.data[3], 12);
    struct rd r;
    rd_init(&r, b.data, b.len);
    CHECK(rd_label(&r, "isoloir/test"));
    CHECK_INT(rd_u16(&r), 1);
    CHECK_INT(rd_u8(&r), 7);
    CHECK(rd_u32(&r) == 0xdeadbeef);
    CHECK_INT(rd_i64(&r), -5);
    char *s = rd_str(&r, 10);
    CHECK_STR(s, "\xc3\xa9");
    free(s);
    CHECK(rd_done(&r));
    /* Truncated input: every read is bounded and the reader says so. */
    rd_init(&r, b.data, 10);
    CHECK(!rd_label(&r, "isoloir/test"));
    CHECK_INT(rd_u32(&r), 0);
    CHECK(!rd_ok(&r));
    /* A length prefix larger than the input. */
    uint8_t evil[6] = {0xff, 0xff, 0xff, 0xff, 'a', 'b'};
    size_t n;
    rd_init(&r, evil, sizeof evil);
    CHECK(rd_blob(&r, SIZE_MAX, &n) == NULL);
    CHECK(!rd_ok(&r));
    /* Invalid UTF-8 in a text. */
    uint8_t bad[6] = {0, 0, 0, 2, 0xc3, 0x28};
    rd_init(&r, bad, sizeof bad);
    CHECK(rd_str(&r, 10) == NULL);
    buf_free(&b);
}

static void test_crypto(void)
{
    uint8_t pk[SIGN_PK_LEN], sk[SIGN_SK_LEN], sig[SIG_LEN];
    crypto_sign_keypair(pk, sk);
    sign_detached(sig, "hello", 5, sk);
    CHECK_INT(sign_verify(sig, "hello", 5, pk), 0);
    CHECK_INT(sign_verify(sig, "hellp", 5, pk), ERR_CRYPTO);
    char f1[FPR_TEXT_LEN + 1], f2[FPR_TEXT_LEN + 1];
    fingerprint(f1, pk, sizeof pk);
    pk[0] ^= 1;
    fingerprint(f2, pk, sizeof pk);
    CHECK_INT(strlen(f1), FPR_TEXT_LEN);
    CHECK(f1[4] == '-' && f1[9] == '-');
    CHECK(strcmp(f1, f2) != 0);
    /* The vectors of docs/encoding.md: BLAKE2b-256 of the 19 raw bytes "isoloir/fingerprint"
     * (no length prefix) and the key, its first 13 bytes in Crockford base32. */
    uint8_t zero[32] = {0}, seq[32], in[19 + 32];
    fingerprint(f1, zero, sizeof zero);
    CHECK_STR(f1, "EHJ4-BNA9-YK2Y-MDQ0-5T50");
    for (int i = 0; i < 32; i++)
        seq[i] = (uint8_t)i;
    fingerprint(f2, seq, sizeof seq);
    CHECK_STR(f2, "DT9J-JPD3-1YQB-ZWM1-JS1P");
    memcpy(in, "isoloir/fingerprint", 19);
    memcpy(in + 19, seq, 32);
    uint8_t h[HASH_LEN];
    char hx[2 * HASH_LEN + 1];
    hash32(h, in, sizeof in);
    hex_encode(hx, h, sizeof h);
    CHECK_STR(hx, "6e932959a30faebff281964365608d6a26d58702d9397f02b7e8c05e0f993e66");
    hash32(h, "", 0);
    hex_encode(hx, h, sizeof h);
    CHECK_STR(hx, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

static void test_durable_write(void)
{
    char dir[] = "/tmp/isoloir-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/f", dir);
    struct err e = {0};
    CHECK_INT(util_write_durable(path, "abc", 3, 0600, &e), 0);
    CHECK_INT(util_write_durable(path, "defg", 4, 0600, &e), 0);
    uint8_t *d;
    size_t n;
    CHECK_INT(util_read_file(path, 100, &d, &n, &e), 0);
    CHECK_INT(n, 4);
    CHECK(memcmp(d, "defg", 4) == 0);
    free(d);
    struct stat st;
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(st.st_mode & 0777, 0600);
    CHECK_INT(util_read_file(path, 2, &d, &n, &e), ERR_INVALID);
    CHECK_HAS(e.msg, "too large");
    char nodir[300];
    snprintf(nodir, sizeof nodir, "%s/missing/f", dir);
    CHECK(util_write_durable(nodir, "x", 1, 0600, &e) < 0);
    CHECK_HAS(e.msg, "cannot create");
    unlink(path);
    rmdir(dir);
}

static void test_election_lookup(void)
{
    CHECK_INT(lang_from_code("nl"), LANG_NL);
    CHECK_INT(lang_from_code("de"), -1);
    struct text t = {{NULL, "Hallo", NULL}};
    CHECK_STR(text_get(&t, LANG_FR), "Hallo");
    struct election el;
    election_init(&el);
    CHECK_INT(election_find_project(&el, "x"), -1);
    election_free(&el);
}

/* The tie-break names election.conf, the tally and its reports share, both ways. */
static void test_tie_break_names(void)
{
    for (int t = TIE_LOWEST_COST; t <= TIE_ID; t++)
        CHECK_INT(tie_break_from_name(tie_break_name((enum tie_break)t)), t);
    CHECK_STR(tie_break_name(TIE_MOST_VOTES), "most-votes");
    CHECK_STR(tie_break_name(TIE_END), "?");
    CHECK_STR(tie_break_name((enum tie_break)9), "?");
    CHECK_INT(tie_break_from_name("cheapest"), TIE_END);
    CHECK_INT(tie_break_from_name(NULL), TIE_END);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_utf8);
    RUN(test_wrap);
    RUN(test_parse_i64);
    RUN(test_euro);
    RUN(test_b32_hex);
    RUN(test_buf_roundtrip);
    RUN(test_crypto);
    RUN(test_durable_write);
    RUN(test_election_lookup);
    RUN(test_tie_break_names);
    return check_done();
}
