/* test_powercut — power loss during every journal operation. A simulated disk (simvfs.h)
 * keeps only what was covered by a completed fsync of each file (and directory entries only
 * once their directory was synced); the power is cut at a random write, truncate, sync or
 * delete while a kiosk opens the journal, opens the polls, casts, records events, pauses,
 * resumes, exports a snapshot, restarts or closes the polls. The journal is then reopened
 * from the surviving bytes and must
 *   - verify with no problem at all (chain, signatures, counts, state);
 *   - hold every row that was acknowledged (the head and polls state of the last
 *     acknowledged operation, every ballot whose cast returned success, by tracking code);
 *   - hold at most the rows of the one operation the cut interrupted, once;
 *   - open again and carry on.
 * Half of the cuts also keep a random subset of the writes not yet synced (a disk writing its
 * cache out of order). Journals are restarted from nothing every few cuts, so creation is cut
 * too; half of them are voter-card journals, where a cast writes a ballot row and a
 * token-spend row in one transaction: after a cut, both or neither. ISOLOIR_POWERCUT_CUTS sets the
 * number of cuts (default 1000) and ISOLOIR_POWERCUT_SEED replays a run (the seed is printed
 * first). */
#include <time.h>

#include "bundle.h"
#include "check.h"
#include "jtest.h"
#include "simvfs.h"

#define CUTS_PER_JOURNAL 10 /* cuts on one journal before starting a fresh one */

enum op {
    OP_OPEN,
    OP_POLLS,
    OP_CAST,
    OP_EVENT,
    OP_SNAPSHOT,
    OP_RESTART,
    OP_PAUSE,
    OP_RESUME,
    OP_CLOSE
};
static const char *const OP_NAME[] = {"open",  "open polls",      "cast",
                                      "event", "export snapshot", "restart",
                                      "pause", "resume",          "close polls"};

/* What the kiosk was told succeeded. */
struct acked {
    uint64_t rows;
    uint8_t head[HASH_LEN];
    enum journal_state state;
    uint64_t ballots;
    char (*codes)[TRACKING_TEXT_MAX];
    size_t ncodes, cap;
};

static void add_code(struct acked *a, const char *code)
{
    if (a->ncodes == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 64;
        a->codes = realloc(a->codes, a->cap * sizeof *a->codes);
        if (!a->codes)
            abort();
    }
    snprintf(a->codes[a->ncodes++], TRACKING_TEXT_MAX, "%s", code);
}

static bool has_code(char (*codes)[TRACKING_TEXT_MAX], size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(codes[i], code) == 0)
            return true;
    return false;
}

static void ack_status(struct acked *a, struct journal *j)
{
    struct journal_status st;
    journal_status(j, &st);
    a->rows = st.rows;
    memcpy(a->head, st.head, HASH_LEN);
    a->state = st.state;
    a->ballots = st.ballots;
}

/* The ballots found in the journal after a cut. */
struct found {
    char (*codes)[TRACKING_TEXT_MAX];
    size_t n, cap;
    unsigned problems;
};

static int found_ballot(void *ctx, uint64_t seq, const uint8_t *ct, size_t n,
                        const uint8_t hash[HASH_LEN])
{
    char tracking[TRACKING_TEXT_MAX];
    tracking_text(tracking, ct, n);
    (void)hash;
    (void)seq, (void)ct, (void)n;
    struct found *f = ctx;
    if (f->n == f->cap) {
        f->cap = f->cap ? 2 * f->cap : 64;
        f->codes = realloc(f->codes, f->cap * sizeof *f->codes);
        if (!f->codes)
            abort();
    }
    snprintf(f->codes[f->n++], TRACKING_TEXT_MAX, "%s", tracking);
    return 0;
}

static void found_problem(void *ctx, uint64_t seq, enum journal_problem kind, const char *msg)
{
    struct found *f = ctx;
    f->problems++;
    fprintf(stderr, "  after the cut: row %llu %s: %s\n", (unsigned long long)seq,
            journal_problem_name(kind), msg);
}

struct run {
    struct sim *sim;
    uint64_t rng;
    const char *path;
    struct election el;
    struct secret_key *key;
    struct journal *j;
    struct acked ack;
    bool small_wal; /* checkpoint every few pages, so that cuts fall into checkpoints */
    bool token;     /* voter cards: each cast writes a ballot row and a token-spend row */
    unsigned cuts, reordered, interrupted[OP_CLOSE + 1], landed[OP_CLOSE + 1];
    unsigned journals, tokens; /* journals started, of them with voter cards */
    unsigned long long ops;
};

static uint64_t rnd(struct run *r)
{
    r->rng ^= r->rng << 13, r->rng ^= r->rng >> 7, r->rng ^= r->rng << 17;
    return r->rng;
}

static int do_open(struct run *r, struct err *e)
{
    int rc = journal_open(r->path, &r->el, JT_PACKAGE, r->key, &r->j, e);
    if (!rc && r->small_wal)
        sqlite3_wal_autocheckpoint(journal_db(r->j), 3);
    return rc;
}

static enum op pick(struct run *r)
{
    if (!r->j)
        return OP_OPEN;
    struct journal_status st;
    journal_status(r->j, &st);
    unsigned x = (unsigned)(rnd(r) % 100);
    switch (st.state) {
    case JOURNAL_NOT_OPENED:
        return x < 80 ? OP_POLLS : OP_EVENT;
    case JOURNAL_OPEN:
        return x < 60   ? OP_CAST
               : x < 68 ? OP_EVENT
               : x < 76 ? OP_SNAPSHOT
               : x < 84 ? OP_RESTART
               : x < 94 ? OP_PAUSE
                        : OP_CLOSE;
    case JOURNAL_PAUSED:
        return x < 50   ? OP_RESUME
               : x < 65 ? OP_EVENT
               : x < 80 ? OP_SNAPSHOT
               : x < 90 ? OP_RESTART
                        : OP_CLOSE;
    case JOURNAL_CLOSED:
    default:
        return x < 40 ? OP_EVENT : x < 70 ? OP_SNAPSHOT : OP_RESTART;
    }
}

/* Runs one operation; returns its result and the rows it writes when it succeeds. */
static int run_op(struct run *r, enum op op, unsigned *rows, char code[TRACKING_TEXT_MAX],
                  struct err *e)
{
    static struct vote v;
    int64_t now = 1700000000 + (int64_t)r->ops;
    *rows = 1;
    code[0] = '\0';
    switch (op) {
    case OP_OPEN:
        *rows = r->ack.rows == 0 ? 1 : 0;
        return do_open(r, e);
    case OP_POLLS:
        return journal_open_polls(r->j, now, e);
    case OP_CAST: {
        uint8_t card[TOKEN_HASH_LEN];
        for (size_t i = 0; i < sizeof card; i++)
            card[i] = (uint8_t)rnd(r);
        *rows = r->token ? 2 : 1;
        jt_vote(&v, (unsigned)rnd(r));
        int rc = journal_cast(r->j, &v, r->token ? card : NULL, code, e);
        vote_wipe(&v);
        return rc;
    }
    case OP_EVENT:
        return journal_record_event(r->j, JEVENT_EXPORT, "power cut test", now, e);
    case OP_SNAPSHOT: {
        *rows = 0;
        uint8_t *snap = NULL;
        size_t len = 0;
        int rc = bundle_journal_snapshot_db(journal_db(r->j), &snap, &len, e);
        free(snap);
        return rc;
    }
    case OP_RESTART:
        *rows = 0;
        journal_close(r->j);
        r->j = NULL;
        return do_open(r, e);
    case OP_PAUSE:
        return journal_pause(r->j, now, e);
    case OP_RESUME:
        return journal_resume(r->j, now, e);
    case OP_CLOSE:
        return journal_close_polls(r->j, now, e);
    }
    return -1;
}

/* After a cut: the journal as it survived. Returns false (with a message) on any breach. */
static bool check_after_cut(struct run *r, enum op inflight, unsigned inflight_rows)
{
    bool ok = true;
    struct err e = {0};
    struct found f = {0};
    if (r->ack.rows > 0) {
        struct journal_verify_opts o = {
            .ctx = &f, .problem = found_problem, .ballot = found_ballot, .expect_ballots = -1};
        struct journal_summary s;
        int rc = journal_verify(r->path, &r->el, JT_PACKAGE, &o, &s, &e);
        if (rc || f.problems) {
            fprintf(stderr, "the journal does not verify after a cut during %s: %s\n",
                    OP_NAME[inflight], rc ? e.msg : "problems reported");
            ok = false;
        } else if (s.rows < r->ack.rows || s.rows > r->ack.rows + inflight_rows) {
            fprintf(stderr, "after a cut during %s: %llu rows, %llu acknowledged (+%u in flight)\n",
                    OP_NAME[inflight], (unsigned long long)s.rows, (unsigned long long)r->ack.rows,
                    inflight_rows);
            ok = false;
        } else if (s.rows == r->ack.rows &&
                   (memcmp(s.head, r->ack.head, HASH_LEN) != 0 || s.state != r->ack.state)) {
            fprintf(stderr, "after a cut during %s: the last acknowledged row differs\n",
                    OP_NAME[inflight]);
            ok = false;
        } else if (r->token && s.tokens != s.ballots) {
            fprintf(stderr, "after a cut during %s: %llu ballots but %llu cards spent\n",
                    OP_NAME[inflight], (unsigned long long)s.ballots, (unsigned long long)s.tokens);
            ok = false;
        } else if (s.ballots > r->ack.ballots + (inflight == OP_CAST)) {
            fprintf(stderr, "after a cut during %s: %llu ballots, %llu acknowledged\n",
                    OP_NAME[inflight], (unsigned long long)s.ballots,
                    (unsigned long long)r->ack.ballots);
            ok = false;
        }
        if (s.rows > r->ack.rows)
            r->landed[inflight]++;
        for (size_t i = 0; i < r->ack.ncodes; i++)
            if (!has_code(f.codes, f.n, r->ack.codes[i])) {
                fprintf(stderr, "after a cut during %s: acknowledged ballot %s lost\n",
                        OP_NAME[inflight], r->ack.codes[i]);
                ok = false;
            }
        for (size_t i = 0; i < f.n; i++)
            if (has_code(f.codes + i + 1, f.n - i - 1, f.codes[i])) {
                fprintf(stderr, "after a cut: ballot %s is in the journal twice\n", f.codes[i]);
                ok = false;
            }
    }
    /* The kiosk starts again on what is there. */
    int rc = do_open(r, &e);
    if (rc) {
        fprintf(stderr, "the journal does not open after a cut during %s: %s\n", OP_NAME[inflight],
                e.msg);
        ok = false;
    } else {
        ack_status(&r->ack, r->j);
        for (size_t i = 0; i < f.n; i++) /* a ballot found now must never vanish later */
            if (!has_code(r->ack.codes, r->ack.ncodes, f.codes[i]))
                add_code(&r->ack, f.codes[i]);
    }
    free(f.codes);
    return ok;
}

static void fresh(struct run *r)
{
    journal_close(r->j);
    r->j = NULL;
    jt_remove(r->path);
    sim_reset(r->sim);
    r->ack.rows = r->ack.ballots = 0;
    r->ack.state = JOURNAL_NOT_OPENED;
    r->ack.ncodes = 0;
    r->small_wal = rnd(r) & 1;
    r->token = rnd(r) & 1; /* the journal is closed: the election may change */
    r->el.eligibility = r->token ? ELIG_TOKEN : ELIG_ATTENDED;
    r->tokens += r->token;
    r->journals++;
}

static void test_power_cuts(void)
{
    unsigned target = 1000;
    const char *env = getenv("ISOLOIR_POWERCUT_CUTS");
    int64_t n;
    if (env && util_parse_i64(env, &n) == 0 && n > 0 && n < 10000000)
        target = (unsigned)n;
    uint64_t seed = ((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20)) & INT64_MAX;
    env = getenv("ISOLOIR_POWERCUT_SEED");
    if (env && util_parse_i64(env, &n) == 0)
        seed = (uint64_t)n;
    printf("power cuts: %u, seed %llu (replay with ISOLOIR_POWERCUT_SEED=%llu)\n", target,
           (unsigned long long)seed, (unsigned long long)seed);
    fflush(stdout);

    static struct sim sim;
    if (sim_install(&sim, seed ^ 0x9e3779b97f4a7c15ull)) {
        check_st.cur_failed++;
        return;
    }
    char path[128];
    snprintf(path, sizeof path, "powercut-%d.journal", (int)getpid());
    struct run r = {.sim = &sim, .rng = seed ? seed : 1, .path = path};
    fixture_election(&r.el);
    r.key = fixture_key(KEY_KIOSK, 3);
    unsigned failures = 0, on_this = 0;
    fresh(&r);
    while (r.cuts < target && failures < 5) {
        if (on_this >= CUTS_PER_JOURNAL || (r.ack.state == JOURNAL_CLOSED && (rnd(&r) & 1))) {
            fresh(&r);
            on_this = 0;
        }
        if (r.j && rnd(&r) % 3 == 0) { /* cut the start-up too */
            journal_close(r.j);
            r.j = NULL;
        }
        bool reorder = rnd(&r) & 1;
        sim_arm_cut(&sim, 1 + (long)(rnd(&r) % 40), reorder);
        enum op op = OP_OPEN;
        unsigned rows = 0;
        for (int k = 0; k < 1000 && !sim.dead; k++) {
            struct err e = {0};
            char code[TRACKING_TEXT_MAX];
            op = pick(&r);
            r.ops++;
            int rc = run_op(&r, op, &rows, code, &e);
            if (rc == 0) { /* acknowledged: from now on it must survive */
                ack_status(&r.ack, r.j);
                if (op == OP_CAST)
                    add_code(&r.ack, code);
            } else if (!sim.dead) {
                fprintf(stderr, "%s failed with the power on: %s\n", OP_NAME[op], e.msg);
                failures++;
                break;
            }
        }
        if (!sim.dead) /* never reached the armed call: cut now */
            sim_cut(&sim);
        journal_close(r.j);
        r.j = NULL;
        r.interrupted[op]++;
        r.reordered += reorder;
        if (sim_restore(&sim) != 0) {
            failures++;
            break;
        }
        r.cuts++;
        on_this++;
        if (!check_after_cut(&r, op, rows)) {
            fprintf(stderr, "  cut %u (seed %llu) during %s\n", r.cuts, (unsigned long long)seed,
                    OP_NAME[op]);
            failures++;
        }
    }
    printf("%u cuts (%u with out-of-order writes) on %u journals (%u with voter cards), %llu "
           "operations; interrupted:",
           r.cuts, r.reordered, r.journals, r.tokens, r.ops);
    for (int k = 0; k <= OP_CLOSE; k++)
        printf(" %s %u (landed %u)%s", OP_NAME[k], r.interrupted[k], r.landed[k],
               k < OP_CLOSE ? "," : "\n");
    CHECK_INT(failures, 0);
    CHECK(r.cuts >= target);
    /* The cuts fell on both sides of commits: some interrupted operations were lost, some had
     * reached the disk (about 2 % of cuts; only checked on long runs, where missing them all
     * would be a sign that the simulator is not cutting where it should). */
    unsigned landed = 0;
    for (int k = 0; k <= OP_CLOSE; k++)
        landed += r.landed[k];
    CHECK(r.interrupted[OP_CAST] > 0);
    CHECK(target < 500 || landed > 0);
    journal_close(r.j);
    jt_remove(path);
    free(r.ack.codes);
    key_free(r.key);
    election_free(&r.el);
    sim_uninstall(&sim);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_power_cuts);
    return check_done();
}
