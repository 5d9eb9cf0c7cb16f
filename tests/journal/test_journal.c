/* test_journal — the journal's life (create, polls, casts, events, close, reopen), its
 * append-only guards, the tracking code, and the verifier on a generated set of damaged
 * copies: each damage must be reported with the right kind. */
#include <sys/mount.h>

#include "check.h"
#include "jtest.h"

static char DIR_[256];

static const char *path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", DIR_, name);
    return buf;
}

static void test_tracking(void)
{
    uint8_t ct[100];
    for (size_t i = 0; i < sizeof ct; i++)
        ct[i] = (uint8_t)i;
    char code[TRACKING_CODE_CHARS + 1], text[TRACKING_TEXT_MAX], back[TRACKING_CODE_CHARS + 1];
    tracking_code(code, ct, sizeof ct);
    tracking_format(text, code);
    CHECK_INT(strlen(code), TRACKING_CODE_CHARS);
    CHECK_INT(strlen(text), TRACKING_TEXT_LEN);
    CHECK(text[4] == '-' && text[9] == '-');
    CHECK_INT(tracking_parse(text, back), 0);
    CHECK_STR(back, code);
    /* People's typing: lower case, spaces, O for 0, I and L for 1. */
    char typed[64];
    size_t o = 0;
    for (size_t i = 0; code[i]; i++) {
        char c = code[i];
        if (c == '0')
            c = 'o';
        else if (c == '1')
            c = i % 2 ? 'l' : 'I';
        else if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        typed[o++] = c;
        if (i % 3 == 2)
            typed[o++] = ' ';
    }
    typed[o] = '\0';
    CHECK_INT(tracking_parse(typed, back), 0);
    CHECK_STR(back, code);
    CHECK_INT(tracking_parse("", back), ERR_FORMAT);
    CHECK_INT(tracking_parse(NULL, back), ERR_FORMAT);
    CHECK_INT(tracking_parse("ABCD-EFGH-JKU", back), ERR_FORMAT); /* U is not a code character */
    CHECK_INT(tracking_parse("ABCD-EFGH-JKMN", back), ERR_FORMAT);
    /* Every single substitution and every swap of two different characters is caught, over
     * many codes. */
    static const char A[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    unsigned missed = 0, tried = 0;
    for (int round = 0; round < 200; round++) {
        ct[0] = (uint8_t)round;
        ct[1] = (uint8_t)(round >> 8);
        tracking_code(code, ct, sizeof ct);
        for (int i = 0; i < TRACKING_CODE_CHARS; i++)
            for (int k = 0; k < 32; k++) {
                if (A[k] == code[i])
                    continue;
                char t[TRACKING_CODE_CHARS + 1];
                memcpy(t, code, sizeof t);
                t[i] = A[k];
                tried++;
                missed += tracking_parse(t, back) != ERR_INVALID;
            }
        for (int i = 0; i < TRACKING_CODE_CHARS; i++)
            for (int k = i + 1; k < TRACKING_CODE_CHARS; k++) {
                if (code[i] == code[k])
                    continue;
                char t[TRACKING_CODE_CHARS + 1];
                memcpy(t, code, sizeof t);
                t[i] = code[k];
                t[k] = code[i];
                tried++;
                missed += tracking_parse(t, back) != ERR_INVALID;
            }
    }
    CHECK(tried > 70000);
    CHECK_INT(missed, 0);
}

struct env {
    struct election el;
    struct secret_key *k3, *k4, *k9, *tally;
};

static void env_init(struct env *v)
{
    fixture_election(&v->el);
    v->k3 = fixture_key(KEY_KIOSK, 3);
    v->k4 = fixture_key(KEY_KIOSK, 4);
    v->k9 = fixture_key(KEY_KIOSK, 9);
    v->tally = fixture_key(KEY_TALLY, 2);
}

static void env_free(struct env *v)
{
    key_free(v->k3);
    key_free(v->k4);
    key_free(v->k9);
    key_free(v->tally);
    election_free(&v->el);
}

struct open_ctx {
    const struct env *v;
    unsigned n;
    unsigned bad;
};

static int open_each(void *ctx, uint64_t seq, const uint8_t *ct, size_t n,
                     const uint8_t hash[HASH_LEN])
{
    struct open_ctx *c = ctx;
    (void)seq, (void)hash;
    static struct vote got, want;
    struct err e;
    if (sealed_open(ct, n, c->v->tally, &c->v->el, &got, &e) != 0) {
        c->bad++;
        return 0;
    }
    /* Votes were cast in order with jt_vote(i); the encoding sorts nothing away. */
    jt_vote(&want, c->n);
    c->bad += got.nballots != 2 ||
              got.ballots[0].entries[0].project != want.ballots[0].entries[0].project ||
              got.ballots[1].entries[0].project != want.ballots[1].entries[0].project;
    c->n++;
    return 0;
}

static void test_lifecycle(void)
{
    struct env v;
    env_init(&v);
    char path[300];
    path_in(path, sizeof path, "life.journal");
    jt_remove(path);
    struct journal *j = NULL;
    struct err e;
    struct journal_status st;
    static struct vote vote;
    char codes[8][TRACKING_TEXT_MAX], code[TRACKING_TEXT_MAX];
    CHECK_INT(journal_open(path, &v.el, JT_PACKAGE, v.k3, &j, &e), 0);
    journal_status(j, &st);
    CHECK_INT(st.state, JOURNAL_NOT_OPENED);
    CHECK_INT(st.rows, 1);
    jt_vote(&vote, 0);
    CHECK_INT(journal_cast(j, &vote, NULL, code, &e), ERR_STATE);
    CHECK_STR(code, "");
    CHECK_INT(journal_pause(j, 10, &e), ERR_STATE);
    CHECK_INT(journal_close_polls(j, 10, &e), ERR_STATE);
    CHECK_INT(journal_open_polls(j, 100, &e), 0);
    CHECK_INT(journal_open_polls(j, 100, &e), ERR_STATE);
    for (unsigned i = 0; i < 3; i++) {
        jt_vote(&vote, i);
        CHECK_INT(journal_cast(j, &vote, NULL, codes[i], &e), 0);
        CHECK_INT(strlen(codes[i]), TRACKING_TEXT_LEN);
    }
    /* Same vote twice: different ciphertexts, different codes. */
    CHECK(strcmp(codes[0], codes[1]) != 0);
    /* A token in attended mode, an invalid vote: refused, nothing written. */
    uint8_t tok[TOKEN_HASH_LEN] = {1};
    CHECK_INT(journal_cast(j, &vote, tok, code, &e), ERR_USAGE);
    struct vote bad;
    vote_init(&bad);
    CHECK_INT(journal_cast(j, &bad, NULL, code, &e), ERR_INVALID);
    journal_status(j, &st);
    CHECK_INT(st.ballots, 3);
    CHECK_INT(st.rows, 5);
    CHECK_INT(journal_pause(j, 200, &e), 0);
    CHECK_INT(journal_cast(j, &vote, NULL, code, &e), ERR_STATE);
    CHECK_INT(journal_resume(j, 300, &e), 0);
    CHECK_INT(journal_resume(j, 300, &e), ERR_STATE);
    for (unsigned i = 3; i < 6; i++) {
        jt_vote(&vote, i);
        CHECK_INT(journal_cast(j, &vote, NULL, codes[i], &e), 0);
    }
    CHECK_INT(journal_record_event(j, JEVENT_EXPORT, "usb stick 1", 400, &e), 0);
    CHECK_INT(journal_record_event(j, JEVENT_EXPORT, "bad\nline", 400, &e), ERR_USAGE);
    /* Close in the middle of a reopen: the state survives. */
    journal_close(j);
    CHECK_INT(journal_open(path, &v.el, JT_PACKAGE, v.k3, &j, &e), 0);
    journal_status(j, &st);
    CHECK_INT(st.state, JOURNAL_OPEN);
    CHECK_INT(st.ballots, 6);
    CHECK_INT(journal_close_polls(j, 500, &e), 0);
    CHECK_INT(journal_cast(j, &vote, NULL, code, &e), ERR_STATE);
    CHECK_INT(journal_record_event(j, JEVENT_EXPORT, NULL, 600, &e), 0);
    journal_status(j, &st);
    CHECK_INT(st.state, JOURNAL_CLOSED);
    CHECK_INT(st.rows, 13);
    uint8_t head[HASH_LEN];
    memcpy(head, st.head, HASH_LEN);
    journal_close(j);

    struct jt_report r;
    struct journal_summary s;
    CHECK_INT(jt_verify(path, &v.el, JT_PACKAGE, &r, &s, true, 6, head), 0);
    CHECK_INT(r.nproblems, 0);
    CHECK_INT(s.nproblems, 0);
    CHECK_INT(r.nballots, 6);
    for (unsigned i = 0; i < 6; i++)
        CHECK_STR(r.codes[i], codes[i]);
    CHECK_INT(s.state, JOURNAL_CLOSED);
    CHECK(s.has_close);
    CHECK_INT(s.close_ballots, 6);
    CHECK_INT(s.ballots, 6);
    CHECK_INT(s.rows, 13);
    CHECK_INT(s.first_seq, 1);
    CHECK_INT(s.last_seq, 13);
    CHECK_INT(s.kiosk_index, 0);
    CHECK_INT(s.opened_at, 100);
    CHECK_INT(s.closed_at, 500);
    CHECK(memcmp(s.head, head, HASH_LEN) == 0);
    CHECK(memcmp(s.ballot_set, s.close_ballot_set, HASH_LEN) == 0);
    CHECK(memcmp(s.kiosk_pk, v.k3->pk, SIGN_PK_LEN) == 0);
    /* Opening every ballot with the tally key gives back the votes. */
    struct open_ctx oc = {.v = &v};
    struct journal_verify_opts o = {.ctx = &oc, .ballot = open_each, .expect_ballots = -1};
    CHECK_INT(journal_verify(path, &v.el, JT_PACKAGE, &o, &s, &e), 0);
    CHECK_INT(oc.n, 6);
    CHECK_INT(oc.bad, 0);
    /* The wrong key does not open a ballot. */
    struct secret_key *wrong = fixture_key(KEY_TALLY, 7);
    uint8_t junk[200] = {0};
    static struct vote out;
    CHECK_INT(sealed_open(junk, vote_padded_len(&v.el) + SEAL_OVERHEAD, wrong, &v.el, &out, &e),
              ERR_CRYPTO);
    CHECK_INT(sealed_open(junk, 5, v.tally, &v.el, &out, &e), ERR_FORMAT);
    key_free(wrong);
    env_free(&v);
}

static void test_token_mode(void)
{
    struct env v;
    env_init(&v);
    v.el.eligibility = ELIG_TOKEN;
    char path[300];
    path_in(path, sizeof path, "token.journal");
    jt_remove(path);
    struct journal *j = NULL;
    struct err e;
    static struct vote vote;
    char code[TRACKING_TEXT_MAX];
    uint8_t t1[TOKEN_HASH_LEN], t2[TOKEN_HASH_LEN];
    memset(t1, 0x11, sizeof t1);
    memset(t2, 0x22, sizeof t2);
    CHECK_INT(journal_open(path, &v.el, JT_PACKAGE, v.k3, &j, &e), 0);
    CHECK_INT(journal_open_polls(j, 1, &e), 0);
    jt_vote(&vote, 1);
    CHECK_INT(journal_cast(j, &vote, NULL, code, &e), ERR_USAGE);
    CHECK_INT(journal_token_spent(j, t1, &e), 0);
    CHECK_INT(journal_cast(j, &vote, t1, code, &e), 0);
    CHECK_INT(journal_token_spent(j, t1, &e), 1);
    CHECK_INT(journal_token_spent(j, t2, &e), 0);
    CHECK_INT(journal_cast(j, &vote, t1, code, &e), ERR_STATE);
    CHECK_HAS(e.msg, "already used");
    CHECK_INT(journal_cast(j, &vote, t2, code, &e), 0);
    CHECK_INT(journal_close_polls(j, 2, &e), 0);
    struct journal_status st;
    journal_status(j, &st);
    CHECK_INT(st.tokens, 2);
    CHECK_INT(st.ballots, 2);
    CHECK_INT(st.rows, 7);
    journal_close(j);
    struct jt_report r;
    struct journal_summary s;
    CHECK_INT(jt_verify(path, &v.el, JT_PACKAGE, &r, &s, true, 2, NULL), 0);
    CHECK_INT(r.ntokens, 2);
    CHECK_INT(s.close_tokens, 2);
    /* The token set commitment is the documented one. */
    uint8_t items[2 * TOKEN_HASH_LEN], c[HASH_LEN];
    memcpy(items, t2, TOKEN_HASH_LEN);
    memcpy(items + TOKEN_HASH_LEN, t1, TOKEN_HASH_LEN);
    CHECK_INT(journal_set_commitment(c, "isoloir/token-set", items, 2, TOKEN_HASH_LEN), 0);
    CHECK(memcmp(c, s.close_token_set, HASH_LEN) == 0);
    env_free(&v);
}

static int raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static void test_append_only(void)
{
    struct env v;
    env_init(&v);
    char path[300];
    path_in(path, sizeof path, "guard.journal");
    jt_remove(path);
    struct journal *j = NULL;
    struct err e;
    CHECK_INT(journal_open(path, &v.el, JT_PACKAGE, v.k3, &j, &e), 0);
    CHECK_INT(journal_open_polls(j, 1, &e), 0);
    sqlite3 *db = journal_db(j);
    /* The kiosk's own connection: the authorizer refuses. */
    static const char *const denied[] = {
        "UPDATE rows SET kind = 9",
        "DELETE FROM rows",
        "DROP TRIGGER rows_no_update",
        "DROP TABLE rows",
        "CREATE TABLE x(a)",
        "ALTER TABLE rows ADD COLUMN z",
        "ATTACH ':memory:' AS other",
        "PRAGMA writable_schema = 1",
        "INSERT OR REPLACE INTO rows SELECT * FROM rows WHERE seq = 1",
    };
    for (size_t i = 0; i < ARRAY_LEN(denied); i++)
        CHECK(sqlite3_exec(db, denied[i], NULL, NULL, NULL) != SQLITE_OK);
    journal_close(j);
    /* Another connection without the authorizer: the triggers refuse. */
    CHECK(raw_exec(path, "UPDATE rows SET kind = 9 WHERE seq = 2") != SQLITE_OK);
    CHECK(raw_exec(path, "DELETE FROM rows WHERE seq = 2") != SQLITE_OK);
    CHECK(raw_exec(path, "INSERT OR REPLACE INTO rows SELECT * FROM rows WHERE seq = 2") !=
          SQLITE_OK);
    CHECK(raw_exec(path, "REPLACE INTO rows SELECT * FROM rows WHERE seq = 1") != SQLITE_OK);
    CHECK(raw_exec(path, "INSERT INTO rows SELECT 7, kind, ctx, prev, payload, hash, sig FROM rows "
                         "WHERE seq = 2") != SQLITE_OK);
    struct jt_report r;
    struct journal_summary s;
    CHECK_INT(jt_verify(path, &v.el, JT_PACKAGE, &r, &s, false, -1, NULL), 0);
    CHECK_INT(s.rows, 2);
    env_free(&v);
}

static void test_refusals(void)
{
    struct env v;
    env_init(&v);
    char path[300];
    path_in(path, sizeof path, "refuse.journal");
    jt_remove(path);
    struct journal *j = NULL;
    struct err e;
    CHECK_INT(journal_open(path, &v.el, JT_PACKAGE, v.k9, &j, &e), ERR_PERM);
    CHECK_HAS(e.msg, "not authorised");
    CHECK(j == NULL);
    CHECK_INT(journal_open(path, &v.el, JT_PACKAGE, v.tally, &j, &e), ERR_USAGE);
    CHECK_INT(journal_open(path, &v.el, JT_PACKAGE, v.k3, &j, &e), 0);
    journal_close(j);
    /* Another authorised kiosk's key on this journal; another package. */
    CHECK_INT(journal_open(path, &v.el, JT_PACKAGE, v.k4, &j, &e), ERR_PERM);
    CHECK_HAS(e.msg, "own journal");
    uint8_t other[HASH_LEN] = {9};
    CHECK_INT(journal_open(path, &v.el, other, v.k3, &j, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "package");
    /* Not a database at all. */
    char junk[300];
    path_in(junk, sizeof junk, "junk.journal");
    jt_remove(junk);
    CHECK_INT(util_write_durable(junk, "this is not sqlite, just text; long enough to look", 50,
                                 0600, &e),
              0);
    CHECK(journal_open(junk, &v.el, JT_PACKAGE, v.k3, &j, &e) < 0);
    struct jt_report r;
    struct journal_summary s;
    CHECK(jt_verify(junk, &v.el, JT_PACKAGE, &r, &s, false, -1, NULL) < 0);
    CHECK(r.kinds[JP_UNREADABLE] >= 1);
    path_in(junk, sizeof junk, "absent.journal");
    CHECK(jt_verify(junk, &v.el, JT_PACKAGE, &r, &s, false, -1, NULL) < 0);
    CHECK(r.kinds[JP_UNREADABLE] == 1);
    env_free(&v);
}

/* ---- tampering ---- */

/* Builds a journal: genesis, open, 3 ballots, pause, resume, 3 ballots, event, close (12 rows).
 * If `midway` is not NULL, a copy of the file after the first 3 ballots is kept there. */
static void build(const char *path, const struct election *el, const struct secret_key *key,
                  const char *midway, uint8_t head[HASH_LEN])
{
    jt_remove(path);
    struct journal *j = NULL;
    struct err e;
    static struct vote vote;
    char code[TRACKING_TEXT_MAX];
    if (journal_open(path, el, JT_PACKAGE, key, &j, &e) || journal_open_polls(j, 10, &e)) {
        fprintf(stderr, "build: %s\n", e.msg);
        abort();
    }
    for (unsigned i = 0; i < 6; i++) {
        if (i == 3) {
            if (midway) {
                journal_close(j);
                jt_remove(midway);
                CHECK_INT(jt_copy(path, midway), 0);
                CHECK_INT(journal_open(path, el, JT_PACKAGE, key, &j, &e), 0);
            }
            CHECK_INT(journal_pause(j, 20, &e), 0);
            CHECK_INT(journal_resume(j, 30, &e), 0);
        }
        jt_vote(&vote, i);
        CHECK_INT(journal_cast(j, &vote, NULL, code, &e), 0);
    }
    CHECK_INT(journal_record_event(j, JEVENT_EXPORT, "stick", 40, &e), 0);
    CHECK_INT(journal_close_polls(j, 50, &e), 0);
    struct journal_status st;
    journal_status(j, &st);
    if (head)
        memcpy(head, st.head, HASH_LEN);
    journal_close(j);
}

/* Drops the append-only triggers on this connection, keeping their SQL in a temporary
 * table for guards_on. */
static void guards_off(sqlite3 *db)
{
    CHECK_INT(sqlite3_exec(db,
                           "CREATE TEMP TABLE guards AS SELECT sql FROM sqlite_schema"
                           " WHERE type = 'trigger';"
                           "DROP TRIGGER rows_no_update; DROP TRIGGER rows_no_delete;"
                           "DROP TRIGGER rows_append_only;",
                           NULL, NULL, NULL),
              SQLITE_OK);
}

/* Puts the triggers back exactly as they were. */
static void guards_on(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    char guards[3][512];
    int n = 0;
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT sql FROM temp.guards", -1, &st, NULL), SQLITE_OK);
    while (n < 3 && sqlite3_step(st) == SQLITE_ROW)
        snprintf(guards[n++], sizeof guards[0], "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    CHECK_INT(n, 3);
    for (int i = 0; i < n; i++)
        CHECK_INT(sqlite3_exec(db, guards[i], NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "DROP TABLE temp.guards", NULL, NULL, NULL), SQLITE_OK);
}

/* Applies SQL to a copy with the guards removed, then puts the guards back as they were, as
 * an attacker with the file and the format would: each damage is then seen for itself (a
 * dropped guard is a damage of its own, "guards dropped" below). */
static void damage(const char *from, const char *to, const char *sql)
{
    jt_remove(to);
    CHECK_INT(jt_copy(from, to), 0);
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(to, &db), SQLITE_OK);
    guards_off(db);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "damage: %s: %s\n", sql, sqlite3_errmsg(db));
    CHECK_INT(rc, SQLITE_OK);
    guards_on(db);
    sqlite3_close(db);
}

/* XORs one byte of a blob column of one row. */
static void flip(const char *path, uint64_t seq, const char *col, int byte)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char sql[128];
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    guards_off(db);
    snprintf(sql, sizeof sql, "SELECT %s FROM rows WHERE seq = %llu", col, (unsigned long long)seq);
    CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_bytes(st, 0);
    uint8_t *b = malloc((size_t)n);
    memcpy(b, sqlite3_column_blob(st, 0), (size_t)n);
    sqlite3_finalize(st);
    b[byte < 0 ? n + byte : byte] ^= 0x10;
    snprintf(sql, sizeof sql, "UPDATE rows SET %s = ?1 WHERE seq = %llu", col,
             (unsigned long long)seq);
    CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, b, n, SQLITE_TRANSIENT);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    free(b);
    guards_on(db);
    sqlite3_close(db);
}

/* Re-signs row `seq` with `key` over the documented row bytes (docs/journal.md). */
static void resign(const char *path, uint64_t seq, const struct secret_key *key)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    guards_off(db);
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT kind, ctx, prev, payload FROM rows WHERE seq = ?1", -1,
                                 &st, NULL),
              SQLITE_OK);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    struct buf m;
    buf_init(&m);
    buf_str(&m, "isoloir/journal-row");
    buf_u16(&m, 1);
    buf_raw(&m, sqlite3_column_blob(st, 1), HASH_LEN);
    buf_u64(&m, seq);
    buf_u8(&m, (uint8_t)sqlite3_column_int(st, 0));
    buf_raw(&m, sqlite3_column_blob(st, 2), HASH_LEN);
    buf_blob(&m, sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3));
    sqlite3_finalize(st);
    uint8_t sig[SIG_LEN];
    sign_detached(sig, m.data, m.len, key->sk);
    buf_free(&m);
    CHECK_INT(sqlite3_prepare_v2(db, "UPDATE rows SET sig = ?1 WHERE seq = ?2", -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_blob(st, 1, sig, SIG_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    CHECK_INT(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    guards_on(db);
    sqlite3_close(db);
}

/* Verifies and checks the problem `kind` was reported (and, when `only`, nothing else). */
static void expect(const char *what, const char *path, const struct election *el,
                   enum journal_problem kind, bool only, int64_t expect_ballots,
                   const uint8_t *head)
{
    struct jt_report r;
    struct journal_summary s;
    int rc = jt_verify(path, el, JT_PACKAGE, &r, &s, true, expect_ballots, head);
    if (!r.kinds[kind] || (only && r.nproblems != r.kinds[kind]) || rc != ERR_TAMPER) {
        fprintf(stderr, "%s: expected %s%s, got rc %d and %u problems:\n", what,
                journal_problem_name(kind), only ? " only" : "", rc, r.nproblems);
        for (int k = 1; k <= JOURNAL_PROBLEM_MAX; k++)
            if (r.kinds[k])
                fprintf(stderr, "  %s x%u\n", journal_problem_name((enum journal_problem)k),
                        r.kinds[k]);
        check_st.cur_failed++;
    }
    CHECK_INT(s.nproblems, r.nproblems);
}

static void test_tamper(void)
{
    struct env v;
    env_init(&v);
    char base[300], mid[300], tmp[300], kiosk4[300], other[300], rogue[300];
    path_in(base, sizeof base, "base.journal");
    path_in(mid, sizeof mid, "midway.journal");
    path_in(tmp, sizeof tmp, "damaged.journal");
    path_in(kiosk4, sizeof kiosk4, "kiosk4.journal");
    path_in(other, sizeof other, "other-election.journal");
    path_in(rogue, sizeof rogue, "rogue.journal");
    uint8_t head[HASH_LEN];
    build(base, &v.el, v.k3, mid, head);
    /* Rows: 1 genesis, 2 open, 3-5 ballots, 6 pause, 7 resume, 8-10 ballots, 11 event, 12 close */
    struct jt_report r;
    struct journal_summary s;
    CHECK_INT(jt_verify(base, &v.el, JT_PACKAGE, &r, &s, true, 6, head), 0);
    CHECK_INT(r.nproblems, 0);

    damage(base, tmp, "");
    flip(tmp, 4, "payload", 20);
    expect("ciphertext bit", tmp, &v.el, JP_BAD_SIGNATURE, false, 6, head);
    struct journal *j = NULL;
    struct err e;
    CHECK_INT(journal_open(tmp, &v.el, JT_PACKAGE, v.k3, &j, &e), ERR_TAMPER);
    CHECK_HAS(e.msg, "refusing to continue");

    damage(base, tmp, "");
    flip(tmp, 4, "sig", 5);
    expect("signature bit", tmp, &v.el, JP_BAD_SIGNATURE, true, 6, head);

    damage(base, tmp, "DELETE FROM rows WHERE seq = 4");
    expect("row deleted (sequence)", tmp, &v.el, JP_SEQUENCE, false, -1, NULL);
    expect("row deleted (chain)", tmp, &v.el, JP_BROKEN_CHAIN, false, -1, NULL);
    expect("row deleted (counts)", tmp, &v.el, JP_COUNT_MISMATCH, false, -1, NULL);

    damage(base, tmp,
           "CREATE TEMP TABLE t AS SELECT seq, payload FROM rows WHERE seq IN (3, 4);"
           "UPDATE rows SET payload = (SELECT payload FROM t WHERE seq = 4) WHERE seq = 3;"
           "UPDATE rows SET payload = (SELECT payload FROM t WHERE seq = 3) WHERE seq = 4;");
    expect("rows swapped", tmp, &v.el, JP_BAD_SIGNATURE, false, -1, NULL);

    damage(base, tmp,
           "INSERT INTO rows SELECT 13, kind, ctx, prev, payload, hash, sig FROM rows "
           "WHERE seq = 4");
    expect("row duplicated", tmp, &v.el, JP_DUPLICATE, false, -1, NULL);

    damage(base, tmp, "DELETE FROM rows WHERE seq >= 11");
    expect("tail cut (close gone)", tmp, &v.el, JP_MISSING_CLOSE, true, 6, NULL);
    damage(base, tmp, "DELETE FROM rows WHERE seq >= 9");
    expect("tail cut (ballots gone)", tmp, &v.el, JP_ROLLBACK, false, 6, NULL);

    expect("rollback to an earlier copy", mid, &v.el, JP_MISSING_CLOSE, false, 6, head);
    expect("rollback to an earlier copy", mid, &v.el, JP_ROLLBACK, false, 6, head);
    expect("rollback (head only)", mid, &v.el, JP_ROLLBACK, false, -1, head);

    /* Another kiosk of the same election. */
    build(kiosk4, &v.el, v.k4, NULL, NULL);
    char sql[700];
    snprintf(sql, sizeof sql,
             "ATTACH '%s' AS o; DELETE FROM rows WHERE seq = 4; "
             "INSERT INTO rows SELECT * FROM o.rows WHERE seq = 4;",
             kiosk4);
    damage(base, tmp, sql);
    expect("row from another kiosk", tmp, &v.el, JP_FOREIGN_KIOSK, false, -1, NULL);

    /* The same kiosk key, another election. */
    struct election el2;
    fixture_election(&el2);
    free(el2.id);
    el2.id = util_strdup("other-2026");
    build(other, &el2, v.k3, NULL, NULL);
    snprintf(sql, sizeof sql,
             "ATTACH '%s' AS o; DELETE FROM rows WHERE seq = 4; "
             "INSERT INTO rows SELECT * FROM o.rows WHERE seq = 4;",
             other);
    damage(base, tmp, sql);
    expect("row from another election", tmp, &v.el, JP_FOREIGN_JOURNAL, false, -1, NULL);
    /* The whole journal of another election. */
    expect("journal of another election", other, &v.el, JP_WRONG_ELECTION, true, -1, NULL);
    election_free(&el2);

    /* A row signed by a key the election does not authorise. */
    damage(base, tmp, "");
    resign(tmp, 4, v.k9);
    expect("row signed by an unauthorised key", tmp, &v.el, JP_BAD_SIGNATURE, true, -1, NULL);
    /* A whole journal by an unauthorised kiosk (made with an election that lists its key). */
    struct election el3;
    fixture_election(&el3);
    memcpy(el3.kiosk_pks[1], v.k9->pk, SIGN_PK_LEN);
    build(rogue, &el3, v.k9, NULL, NULL);
    expect("journal of an unauthorised kiosk", rogue, &v.el, JP_UNAUTHORISED_KEY, true, -1, NULL);
    election_free(&el3);

    /* Verified against another package. */
    uint8_t pkg2[HASH_LEN] = {1};
    CHECK_INT(jt_verify(base, &v.el, pkg2, &r, &s, true, -1, NULL), ERR_TAMPER);
    CHECK(r.kinds[JP_WRONG_PACKAGE] == 1 && r.nproblems == 1);

    /* A stored hash changed. */
    damage(base, tmp, "");
    flip(tmp, 6, "hash", 0);
    expect("stored hash", tmp, &v.el, JP_BROKEN_CHAIN, true, -1, NULL);
    /* A field of the wrong size, an unknown kind. */
    damage(base, tmp, "UPDATE rows SET sig = x'00' WHERE seq = 5");
    expect("short signature", tmp, &v.el, JP_MALFORMED, false, -1, NULL);
    damage(base, tmp, "UPDATE rows SET kind = 42 WHERE seq = 11");
    expect("unknown kind", tmp, &v.el, JP_MALFORMED, false, -1, NULL);
    /* The guards themselves: a trigger dropped, another added, the ids changed. */
    damage(base, tmp, "");
    CHECK_INT(raw_exec(tmp, "DROP TRIGGER rows_no_delete"), SQLITE_OK);
    expect("guards dropped", tmp, &v.el, JP_SCHEMA, true, -1, NULL);
    damage(base, tmp, "CREATE TABLE notes(x)");
    expect("a table added", tmp, &v.el, JP_SCHEMA, true, -1, NULL);
    damage(base, tmp, "PRAGMA application_id = 7");
    expect("application_id", tmp, &v.el, JP_SCHEMA, true, -1, NULL);
    damage(base, tmp, "PRAGMA user_version = 2");
    expect("user_version", tmp, &v.el, JP_SCHEMA, true, -1, NULL);
    env_free(&v);
}

/* Token-spend rows only where the writer puts them: at a kiosk that takes voter cards, each
 * right after its ballot row. */
static void test_token_rows(void)
{
    struct env v;
    env_init(&v);
    v.el.eligibility = ELIG_TOKEN;
    char path[300], tmp[300];
    path_in(path, sizeof path, "token-rows.journal");
    path_in(tmp, sizeof tmp, "token-rows-damaged.journal");
    jt_remove(path);
    struct journal *j = NULL;
    struct err e;
    static struct vote vote;
    char code[TRACKING_TEXT_MAX];
    uint8_t t1[TOKEN_HASH_LEN], t2[TOKEN_HASH_LEN];
    memset(t1, 0x11, sizeof t1);
    memset(t2, 0x22, sizeof t2);
    jt_vote(&vote, 1);
    CHECK_INT(journal_open(path, &v.el, JT_PACKAGE, v.k3, &j, &e), 0);
    CHECK_INT(journal_open_polls(j, 1, &e), 0);
    CHECK_INT(journal_cast(j, &vote, t1, code, &e), 0); /* rows 3, 4 */
    CHECK_INT(journal_cast(j, &vote, t2, code, &e), 0); /* rows 5, 6 */
    CHECK_INT(journal_close_polls(j, 2, &e), 0);
    journal_close(j);
    struct jt_report r;
    struct journal_summary s;
    CHECK_INT(jt_verify(path, &v.el, JT_PACKAGE, &r, &s, true, 2, NULL), 0);
    /* The same journal read as one of an attended kiosk: its token rows do not belong. */
    v.el.eligibility = ELIG_ATTENDED;
    expect("token rows at an attended kiosk", path, &v.el, JP_STATE, true, 2, NULL);
    CHECK_INT(r.kinds[JP_STATE], 0);
    v.el.eligibility = ELIG_TOKEN;
    /* A validly signed token row right after the open row, not after a ballot. */
    damage(path, tmp,
           "UPDATE rows SET kind = 4, payload = x'33333333333333333333333333333333' WHERE seq = 3");
    resign(tmp, 3, v.k3);
    expect("a token row not after its ballot", tmp, &v.el, JP_STATE, false, -1, NULL);
    env_free(&v);
}

/* A journal on read-only media (an export stick mounted read-only) still verifies. */
static void test_read_only_media(void)
{
    if (geteuid() != 0) {
        printf("read-only media: skipped (needs root for a read-only bind mount)\n");
        return;
    }
    struct env v;
    env_init(&v);
    char src[300], ro[300], path[400], inside[400];
    path_in(src, sizeof src, "ro-src");
    path_in(ro, sizeof ro, "ro-mnt");
    mkdir(src, 0700);
    mkdir(ro, 0700);
    snprintf(path, sizeof path, "%s/j.journal", src);
    snprintf(inside, sizeof inside, "%s/j.journal", ro);
    build(path, &v.el, v.k3, NULL, NULL);
    if (mount(src, ro, NULL, MS_BIND, NULL) != 0 ||
        mount(NULL, ro, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0) {
        printf("read-only media: skipped (bind mount failed: %s)\n", strerror(errno));
        umount(ro);
    } else {
        struct jt_report r;
        struct journal_summary s;
        CHECK_INT(jt_verify(inside, &v.el, JT_PACKAGE, &r, &s, true, 6, NULL), 0);
        CHECK_INT(r.nballots, 6);
        CHECK_INT(umount(ro), 0);
    }
    env_free(&v);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    snprintf(DIR_, sizeof DIR_, "journal-test-%d", (int)getpid());
    mkdir(DIR_, 0700);
    RUN(test_tracking);
    RUN(test_lifecycle);
    RUN(test_token_mode);
    RUN(test_append_only);
    RUN(test_refusals);
    RUN(test_tamper);
    RUN(test_token_rows);
    RUN(test_read_only_media);
    int rc = check_done();
    if (rc == 0) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", DIR_);
    }
    return rc;
}
