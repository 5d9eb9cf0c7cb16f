/* tally_bench — the tally pipeline at scale (docs/perf-tally.md), and the generator that the
 * tally tests use to make kiosk exports.
 *
 *   tally_bench gen DIR [--kiosks N] [--ballots M] [--jobs J] [--interim] [--fork K]
 *                       [--replay] [--relabel] [--clock K]
 *       makes an election (the unit-test fixture with N authorised kiosks), its keys (DIR/pp
 *       holds the passphrase) and DIR/election.pkg, then for each kiosk a real journal
 *       (journal_cast: sealed, signed, durable) with its share of M ballots, closed polls and
 *       a closing export in DIR/bundles (hw/export, read back and verified). Defaults: 100
 *       kiosks, 1,000,000 ballots, 2 jobs.
 *       --interim   each kiosk also pauses half-way and exports (export 1), then resumes
 *       --fork K    kiosk K's journal is copied at the pause; the copy takes other ballots and
 *                   its closing export goes to DIR/fork (a fork of the real closing export)
 *       --replay    kiosk 2 re-signs a ciphertext of kiosk 1 as its own row (a shared ballot)
 *       --relabel   (with --interim) kiosk 1 also writes, to DIR/relabel, its interim export
 *                   labelled closing and its closing export labelled interim, validly signed
 *       --clock K   kiosk K's clock is six years behind until the close, when it is right
 *                   again: its open (pause, resume) rows are dated six years back
 *
 *   tally_bench run TALLY_BIN DIR [--no-publish]
 *       times, on DIR from `gen`, each as its own process: `tally verify`, `tally import` into
 *       a new DIR/tally.sqlite, `tally count --db`, `tally tracking` and `tally publish` (into
 *       DIR/site, its steps in DIR/publish.err): wall time, CPU time (user + sys), %CPU, peak
 *       resident memory and peak private memory, and the load average when each started; then
 *       the bare cost of as many Ed25519 verifications and sealed-box openings as there are
 *       ballots, on one thread and split over one thread per core. The machine's load changes
 *       the wall times; compare CPU times, and wall times only within one run. A shared
 *       machine's speed drifts too: short probes just before import, just after count and
 *       just before the bare run scale the bare cost to the speed during import and count.
 */
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "export.h"
#include "fixture.h"
#include "journal.h"
#include "key.h"
#include "package.h"
#include "util.h"

static const char PASS[] = "isoloir-bench";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct err *e)
{
    fprintf(stderr, "tally_bench: %s: %s\n", what, e ? e->msg : "failed");
    exit(1);
}

static struct secret_key *kiosk_key(unsigned k)
{
    uint8_t seed[32];
    memset(seed, 0x5a, sizeof seed);
    seed[0] = (uint8_t)(k & 0xff);
    seed[1] = (uint8_t)(k >> 8);
    struct secret_key *key = NULL;
    struct err e = {0};
    if (key_from_seed(KEY_KIOSK, false, seed, &key, &e))
        die("kiosk key", &e);
    return key;
}

/* A valid vote of the fixture election: a citywide knapsack ballot and one district's. On the
 * citywide ballot p1 gets the most votes, then p2, then p3; p1 and p2 do not fit together, so
 * greedy funds p1 and p3 and leaves p2, more popular than p3, unfunded (the published pages
 * must explain such a case). */
static void make_vote(struct vote *v, uint64_t r)
{
    static const uint32_t city[6][2] = {{0, 0}, {1, 0}, {1, 0}, {2, 0}, {2, 0}, {1, 3}};
    vote_init(v);
    v->nballots = 2;
    ballot_init(&v->ballots[0], 0);
    const uint32_t *c = city[r % 6];
    uint32_t n = 0;
    for (int i = 0; i < 2; i++)
        if (c[i])
            v->ballots[0].entries[n++] = (struct ballot_entry){c[i] - 1, 1};
    v->ballots[0].nentries = n;
    unsigned d = (unsigned)(r / 6 % 2);
    ballot_init(&v->ballots[1], 1 + d);
    unsigned pick = (unsigned)(r / 12 % 4); /* none, first, second, both */
    n = 0;
    for (unsigned i = 0; i < 2; i++)
        if (pick & (1u << i))
            v->ballots[1].entries[n++] = (struct ballot_entry){3 + 2 * d + i, 1};
    v->ballots[1].nentries = n;
}

static uint64_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

static void cast_n(struct journal *j, uint64_t n, uint64_t *seed)
{
    struct vote *v = malloc(sizeof *v);
    char code[TRACKING_TEXT_MAX];
    struct err e = {0};
    for (uint64_t i = 0; i < n; i++) {
        make_vote(v, rnd(seed));
        if (journal_cast(j, v, NULL, code, &e))
            die("cast", &e);
    }
    free(v);
}

static void export_now(struct journal *j, const char *dest, const struct election *el,
                       const uint8_t pkg[HASH_LEN], const struct secret_key *key, uint32_t seq,
                       enum bundle_kind kind)
{
    struct journal_status st;
    journal_status(j, &st);
    struct export_request rq = {.dest_dir = dest,
                                .journal = j,
                                .election_id = el->id,
                                .kiosk_key = key,
                                .export_seq = seq,
                                .kind = kind,
                                .journal_last_seq = st.last_seq,
                                .flags = EXPORT_ANY_FILESYSTEM};
    memcpy(rq.package_hash, pkg, HASH_LEN);
    memcpy(rq.journal_head, st.head, HASH_LEN);
    struct export_result res;
    struct err e = {0};
    if (export_write(&rq, &res, &e))
        die("export", &e);
}

static void copy_file(const char *from, const char *to)
{
    uint8_t *d = NULL;
    size_t n = 0;
    struct err e = {0};
    if (util_read_file(from, (size_t)1 << 32, &d, &n, &e) || util_write_durable(to, d, n, 0600, &e))
        die("copy", &e);
    free(d);
}

/* Appends to a closed-over journal file a ballot row with ciphertext ct, signed by key. */
static void append_foreign(const char *path, const uint8_t *ct, size_t n,
                           const struct secret_key *key)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT seq, ctx, hash FROM rows ORDER BY seq DESC LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        die("replay: read the journal", NULL);
    uint64_t seq = (uint64_t)sqlite3_column_int64(st, 0) + 1;
    uint8_t ctx[HASH_LEN], prev[HASH_LEN];
    memcpy(ctx, sqlite3_column_blob(st, 1), HASH_LEN);
    memcpy(prev, sqlite3_column_blob(st, 2), HASH_LEN);
    sqlite3_finalize(st);
    struct buf payload, msg;
    buf_init(&payload);
    buf_init(&msg);
    buf_blob(&payload, ct, n);
    buf_str(&msg, "isoloir/journal-row");
    buf_u16(&msg, 1);
    buf_raw(&msg, ctx, HASH_LEN);
    buf_u64(&msg, seq);
    buf_u8(&msg, JROW_BALLOT);
    buf_raw(&msg, prev, HASH_LEN);
    buf_blob(&msg, payload.data, payload.len);
    uint8_t h[HASH_LEN], sig[SIG_LEN];
    hash32(h, msg.data, msg.len);
    sign_detached(sig, msg.data, msg.len, key->sk);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO rows(seq, kind, ctx, prev, payload, hash, sig) "
                           "VALUES(?1, 3, ?2, ?3, ?4, ?5, ?6)",
                           -1, &st, NULL) != SQLITE_OK)
        die("replay: insert", NULL);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    sqlite3_bind_blob(st, 2, ctx, HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, prev, HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, payload.data, (int)payload.len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, h, HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, sig, SIG_LEN, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        die("replay: insert", NULL);
    sqlite3_finalize(st);
    sqlite3_close(db);
    buf_free(&payload);
    buf_free(&msg);
}

/* The first ballot ciphertext of a journal file. */
static uint8_t *first_ballot(const char *path, size_t *n)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT payload FROM rows WHERE kind = 3 ORDER BY seq LIMIT 1", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) < 4)
        die("replay: no ballot at kiosk 1", NULL);
    *n = (size_t)sqlite3_column_bytes(st, 0) - 4;
    uint8_t *ct = malloc(*n);
    memcpy(ct, (const uint8_t *)sqlite3_column_blob(st, 0) + 4, *n);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ct;
}

struct gen {
    const char *dir;
    unsigned kiosks, jobs;
    uint64_t ballots;
    bool interim, replay, relabel;
    int fork;  /* kiosk number (1-based) or 0 */
    int clock; /* kiosk number (1-based) whose clock is wrong, or 0 */
};

static void gen_kiosk(const struct gen *g, const struct election *el, const uint8_t pkg[HASH_LEN],
                      unsigned k)
{
    struct err e = {0};
    char path[4096], bundles[4096];
    snprintf(path, sizeof path, "%s/journals/kiosk-%03u.sqlite", g->dir, k + 1);
    snprintf(bundles, sizeof bundles, "%s/bundles", g->dir);
    struct secret_key *key = kiosk_key(k);
    struct journal *j = NULL;
    uint64_t n = g->ballots / g->kiosks + (k < g->ballots % g->kiosks ? 1 : 0);
    uint64_t seed = 0x9e3779b97f4a7c15ull * (k + 1);
    const int64_t t0 = el->voting_start + 3600 - ((int)k + 1 == g->clock ? 6 * 365 * 86400ll : 0);
    const int64_t t_close = el->voting_start + 3600 + 36000;
    char relabel[4096];
    snprintf(relabel, sizeof relabel, "%s/relabel", g->dir);
    bool relabelled = g->relabel && k == 0;
    if (journal_open(path, el, pkg, key, &j, &e) || journal_open_polls(j, t0, &e))
        die("journal", &e);
    uint64_t half = g->interim || (int)k + 1 == g->fork ? n / 2 : 0;
    cast_n(j, half, &seed);
    char forked[4096] = "";
    if (half) {
        if (journal_pause(j, t0 + 600, &e))
            die("pause", &e);
        export_now(j, bundles, el, pkg, key, 1, BUNDLE_INTERIM);
        if (relabelled)
            export_now(j, relabel, el, pkg, key, 1, BUNDLE_CLOSING);
        if ((int)k + 1 == g->fork) {
            snprintf(forked, sizeof forked, "%s/journals/kiosk-%03u-fork.sqlite", g->dir, k + 1);
            journal_close(j);
            copy_file(path, forked);
            if (journal_open(path, el, pkg, key, &j, &e))
                die("journal", &e);
        }
        if (journal_resume(j, t0 + 700, &e))
            die("resume", &e);
    }
    cast_n(j, n - half, &seed);
    if (g->replay && k == 1) {
        char first[4096];
        snprintf(first, sizeof first, "%s/journals/kiosk-001.sqlite", g->dir);
        size_t len = 0;
        uint8_t *ct = first_ballot(first, &len);
        journal_close(j);
        append_foreign(path, ct, len, key);
        free(ct);
        if (journal_open(path, el, pkg, key, &j, &e))
            die("journal after replay", &e);
    }
    if (journal_close_polls(j, t_close, &e))
        die("close", &e);
    export_now(j, bundles, el, pkg, key, half ? 2 : 1, BUNDLE_CLOSING);
    if (relabelled)
        export_now(j, relabel, el, pkg, key, half ? 2 : 1, BUNDLE_INTERIM);
    journal_close(j);
    if (forked[0]) {
        char fdir[4096];
        snprintf(fdir, sizeof fdir, "%s/fork", g->dir);
        if (journal_open(forked, el, pkg, key, &j, &e) || journal_resume(j, t0 + 700, &e))
            die("fork", &e);
        seed ^= 0xdeadbeef;
        cast_n(j, n - half, &seed);
        if (journal_close_polls(j, t_close, &e))
            die("close", &e);
        export_now(j, fdir, el, pkg, key, 2, BUNDLE_CLOSING);
        journal_close(j);
    }
    key_free(key);
}

static int gen_main(int argc, char **argv)
{
    struct gen g = {.kiosks = 100, .ballots = 1000000, .jobs = 2};
    for (int i = 0; i < argc; i++) {
        int64_t v = 0;
        const char *a = argv[i];
        bool val = i + 1 < argc && util_parse_i64(argv[i + 1], &v) == 0 && v > 0;
        if (!strcmp(a, "--kiosks") && val)
            g.kiosks = (unsigned)v, i++;
        else if (!strcmp(a, "--ballots") && val)
            g.ballots = (uint64_t)v, i++;
        else if (!strcmp(a, "--jobs") && val)
            g.jobs = (unsigned)v, i++;
        else if (!strcmp(a, "--fork") && val)
            g.fork = (int)v, i++;
        else if (!strcmp(a, "--interim"))
            g.interim = true;
        else if (!strcmp(a, "--replay"))
            g.replay = true;
        else if (!strcmp(a, "--relabel"))
            g.relabel = true;
        else if (!strcmp(a, "--clock") && val)
            g.clock = (int)v, i++;
        else if (a[0] != '-' && !g.dir)
            g.dir = a;
        else
            return fprintf(stderr, "tally_bench gen: unknown option %s\n", a), 2;
    }
    if (!g.dir || g.kiosks < 1 || g.kiosks > 60000 || (g.replay && g.kiosks < 2))
        return fprintf(stderr, "usage: tally_bench gen DIR [--kiosks N] [--ballots M] "
                               "[--jobs J] [--interim] [--fork K] [--replay] [--relabel] "
                               "[--clock K]\n"),
               2;
    char p[4096];
    mkdir(g.dir, 0700);
    snprintf(p, sizeof p, "%s/journals", g.dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/bundles", g.dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/fork", g.dir);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/relabel", g.dir);
    mkdir(p, 0700);
    struct err e = {0};
    struct election el;
    fixture_election(&el);
    free(el.kiosk_pks);
    free(el.kiosk_labels);
    free(el.kiosk_receipts); /* the fixture's per-kiosk arrays are for its two kiosks */
    free(el.kiosk_officials);
    el.kiosk_receipts = NULL;
    el.kiosk_officials = NULL;
    el.nkiosks = g.kiosks;
    el.kiosk_pks = calloc(g.kiosks, sizeof *el.kiosk_pks);
    el.kiosk_labels = calloc(g.kiosks, sizeof *el.kiosk_labels);
    for (unsigned k = 0; k < g.kiosks; k++) {
        struct secret_key *key = kiosk_key(k);
        memcpy(el.kiosk_pks[k], key->pk, SIGN_PK_LEN);
        snprintf(el.kiosk_labels[k], sizeof el.kiosk_labels[k], "kiosk-%03u", k + 1);
        key_free(key);
    }
    struct secret_key *auth = NULL, *tally = NULL;
    if (key_generate(KEY_AUTHORITY, false, &auth, &e) || key_generate(KEY_TALLY, false, &tally, &e))
        die("keys", &e);
    memcpy(el.tally_pk, tally->pk, BOX_PK_LEN);
    struct public_key pa, pt;
    key_public(auth, &pa);
    key_public(tally, &pt);
    uint8_t pkg[HASH_LEN];
    char pp[4096], ap[4096], tk[4096], tp[4096], pk[4096];
    snprintf(pp, sizeof pp, "%s/pp", g.dir);
    snprintf(ap, sizeof ap, "%s/auth.pub", g.dir);
    snprintf(tk, sizeof tk, "%s/tally.key", g.dir);
    snprintf(tp, sizeof tp, "%s/tally.pub", g.dir);
    snprintf(pk, sizeof pk, "%s/election.pkg", g.dir);
    if (util_write_durable(pp, PASS, strlen(PASS), 0600, &e) || key_save_public(ap, &pa, &e) ||
        key_save_public(tp, &pt, &e) ||
        key_save_secret(tk, tally, PASS, KEY_COST_INTERACTIVE, &e) ||
        package_write(pk, &el, auth, pkg, &e))
        die("election", &e);
    key_free(auth);
    key_free(tally);
    double t = now_s();
    /* the kiosk journals, in `jobs` processes (kiosk 2 waits for kiosk 1 when replaying) */
    unsigned jobs = g.jobs > g.kiosks ? g.kiosks : g.jobs;
    fflush(stdout);
    if (g.replay) {
        gen_kiosk(&g, &el, pkg, 0);
    }
    for (unsigned w = 0; w < jobs; w++) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork", NULL);
        if (pid == 0) {
            for (unsigned k = w; k < g.kiosks; k += jobs)
                if (!(g.replay && k == 0))
                    gen_kiosk(&g, &el, pkg, k);
            _exit(0);
        }
    }
    int status, bad = 0;
    while (wait(&status) > 0)
        bad |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    election_free(&el);
    if (bad)
        return fprintf(stderr, "tally_bench gen: a kiosk job failed\n"), 1;
    printf("generated %u kiosks, %llu ballots in %.1f s\n", g.kiosks, (unsigned long long)g.ballots,
           now_s() - t);
    return 0;
}

/* ---- run ------------------------------------------------------------------------------- */

/* What one timed command used. */
struct usage {
    double wall, user, sys; /* seconds */
    long rss_kb;            /* peak resident set (ru_maxrss): private memory and mapped files */
    long anon_kb;           /* peak private memory (RssAnon, sampled every 20 ms) */
    double load;            /* 1-minute load average when it started */
    int code;
};

static double loadavg(void)
{
    double l = -1;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = -1;
        fclose(f);
    }
    return l;
}

static long rss_anon(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "RssAnon:", 8))
            kb = strtol(line + 8, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* Runs argv with stdout to /dev/null and stderr to DIR/NAME.err. */
static struct usage timed(char *const argv[], const char *errpath)
{
    struct usage u = {.load = loadavg()};
    fflush(stdout);
    double t = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        FILE *f = freopen("/dev/null", "w", stdout);
        (void)f;
        if (errpath)
            f = freopen(errpath, "w", stderr);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    for (;;) {
        long a = rss_anon(pid);
        if (a > u.anon_kb)
            u.anon_kb = a;
        pid_t w = wait4(pid, &status, WNOHANG, &ru);
        if (w == pid || w < 0)
            break;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    u.wall = now_s() - t;
    u.user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    u.sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    u.rss_kb = ru.ru_maxrss;
    u.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return u;
}

static void show(const char *what, const struct usage *u)
{
    double cpu = u->user + u->sys;
    printf("%-15s %7.1f s wall %7.1f s CPU (%6.1f user %5.1f sys) %4.0f %%CPU  RSS %4ld MB "
           "(private %4ld MB)  load %4.1f  exit %d\n",
           what, u->wall, cpu, u->user, u->sys, u->wall > 0 ? 100 * cpu / u->wall : 0,
           u->rss_kb / 1024, u->anon_kb / 1024, u->load, u->code);
}

/* The bare crypto: n Ed25519 verifications and n sealed-box openings of ctlen bytes, on one
 * thread (CPU seconds of each in *sig and *box). The inputs are BARE_RING different messages,
 * signatures and ciphertexts taken in turn, as a journal's rows are all different: verifying
 * one signature again and again let the processor learn the branches of the variable-time
 * verification, and took 42.1 us where different ones took 44.4 us (docs/perf-tally.md). */
#define BARE_RING 1024
struct bare {
    int64_t n;
    size_t ctlen;
    double sig, box; /* CPU seconds of the thread */
    int ok;
};

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *bare_run(void *arg)
{
    struct bare *b = arg;
    enum { MSG = 256 };
    uint8_t spk[crypto_sign_PUBLICKEYBYTES], ssk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(spk, ssk);
    size_t plen = b->ctlen - crypto_box_SEALBYTES;
    uint8_t *msg = malloc((size_t)BARE_RING * MSG), *sig = malloc(BARE_RING * crypto_sign_BYTES),
            *ct = malloc(BARE_RING * b->ctlen), *plain = calloc(1, plen);
    if (!msg || !sig || !ct || !plain)
        exit(1);
    randombytes_buf(msg, (size_t)BARE_RING * MSG);
    for (size_t i = 0; i < BARE_RING; i++)
        crypto_sign_detached(sig + i * crypto_sign_BYTES, NULL, msg + i * MSG, MSG, ssk);
    double t0 = thread_cpu();
    for (int64_t i = 0; i < b->n; i++) {
        size_t k = (size_t)i % BARE_RING;
        b->ok +=
            crypto_sign_verify_detached(sig + k * crypto_sign_BYTES, msg + k * MSG, MSG, spk) == 0;
    }
    b->sig = thread_cpu() - t0;
    uint8_t bpk[crypto_box_PUBLICKEYBYTES], bsk[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(bpk, bsk);
    for (size_t i = 0; i < BARE_RING; i++) {
        randombytes_buf(plain, plen);
        crypto_box_seal(ct + i * b->ctlen, plain, plen, bpk);
    }
    t0 = thread_cpu();
    for (int64_t i = 0; i < b->n; i++)
        b->ok += crypto_box_seal_open(plain, ct + (size_t)(i % BARE_RING) * b->ctlen, b->ctlen, bpk,
                                      bsk) == 0;
    b->box = thread_cpu() - t0;
    free(msg);
    free(sig);
    free(ct);
    free(plain);
    return NULL;
}

/* n verifications and openings of ctlen bytes split over nt threads (at most 8): returns the
 * wall seconds, *cpu the CPU seconds of all threads together (-1: a thread did not start). */
static double bare_parallel(int nt, int64_t n, size_t ctlen, double *cpu)
{
    struct bare par[8];
    pthread_t tid[8];
    int started = 0;
    double t0 = now_s();
    *cpu = 0;
    for (int i = 0; i < nt; i++) {
        par[i] = (struct bare){.n = n / nt + (i < n % nt), .ctlen = ctlen};
        if (pthread_create(&tid[i], NULL, bare_run, &par[i]) != 0)
            break;
        started++;
    }
    for (int i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
        *cpu += par[i].sig + par[i].box;
    }
    double wall = now_s() - t0;
    if (started < nt)
        *cpu = -1;
    return wall;
}

/* The machine's speed now: the wall seconds of PROBE_N verifications and openings on every
 * core (a shared VM's speed drifts by 10 % within minutes, and more for work on every core
 * than for one thread); probes taken around import and count and just before the bare run
 * scale the bare cost on all cores to what it was during them. */
#define PROBE_N 40000
static double probe(int nt)
{
    double cpu;
    return bare_parallel(nt, PROBE_N, 126, &cpu);
}

static int run_main(int argc, char **argv)
{
    if (argc < 2)
        return fprintf(stderr, "usage: tally_bench run TALLY_BIN DIR [--no-publish]\n"), 2;
    const char *tally = argv[0], *dir = argv[1];
    bool publish = !(argc > 2 && !strcmp(argv[2], "--no-publish"));
    char pk[4096], ap[4096], tk[4096], pp[4096], db[4096], bglob[4096], site[4096];
    snprintf(pk, sizeof pk, "%s/election.pkg", dir);
    snprintf(ap, sizeof ap, "%s/auth.pub", dir);
    snprintf(tk, sizeof tk, "%s/tally.key", dir);
    snprintf(pp, sizeof pp, "%s/pp", dir);
    snprintf(db, sizeof db, "%s/tally.sqlite", dir);
    snprintf(bglob, sizeof bglob, "%s/bundles", dir);
    snprintf(site, sizeof site, "%s/site", dir);
    unlink(db);
    char w[4200];
    snprintf(w, sizeof w, "%s-wal", db);
    unlink(w);
    snprintf(w, sizeof w, "%s-shm", db);
    unlink(w);
    {
        char cmd[4300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", site);
        if (system(cmd) != 0)
            return fprintf(stderr, "tally_bench run: cannot remove %s\n", site), 1;
    }
    /* the bundles */
    char **av = calloc(8 + 65000, sizeof *av);
    if (!av)
        return 1;
    int nb = 0;
    {
        char cmd[4300];
        snprintf(cmd, sizeof cmd, "ls -1 '%s'", bglob);
        FILE *ls = popen(cmd, "r");
        char line[4096];
        while (ls && fgets(line, sizeof line, ls) && nb < 65000) {
            line[strcspn(line, "\n")] = 0;
            char full[8300];
            snprintf(full, sizeof full, "%s/%s", bglob, line);
            av[8 + nb++] = util_strdup(full);
        }
        if (ls)
            pclose(ls);
    }
    const char *th = getenv("ISOLOIR_THREADS");
    printf("%d bundles, %ld cores online, ISOLOIR_THREADS=%s\n", nb, sysconf(_SC_NPROCESSORS_ONLN),
           th ? th : "(unset: one thread per core)");
    char errp[4200];
    /* verify */
    static char *verify[16 + 65000];
    int n = 0;
    verify[n++] = (char *)tally, verify[n++] = "verify", verify[n++] = "--package",
    verify[n++] = pk, verify[n++] = "--authority", verify[n++] = ap;
    for (int i = 0; i < nb; i++)
        verify[n++] = av[8 + i];
    verify[n] = NULL;
    snprintf(errp, sizeof errp, "%s/verify.err", dir);
    struct usage uv = timed(verify, errp);
    show("tally verify", &uv);
    n = 0;
    verify[n++] = (char *)tally, verify[n++] = "import", verify[n++] = "--db", verify[n++] = db,
    verify[n++] = "--package", verify[n++] = pk, verify[n++] = "--authority", verify[n++] = ap;
    for (int i = 0; i < nb; i++)
        verify[n++] = av[8 + i];
    verify[n] = NULL;
    snprintf(errp, sizeof errp, "%s/import.err", dir);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int nt = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int)ncpu;
    double probe_before = probe(nt);
    struct usage ui = timed(verify, errp);
    show("tally import", &ui);
    char *count[] = {(char *)tally,       "count", "--db",     db,     "--tally-key", tk,
                     "--passphrase-file", pp,      "--format", "json", NULL};
    snprintf(errp, sizeof errp, "%s/count.err", dir);
    struct usage uc = timed(count, errp);
    double probe_after = probe(nt);
    show("tally count", &uc);
    char out[4200];
    snprintf(out, sizeof out, "%s/tracking.csv", dir);
    char *track[] = {(char *)tally, "tracking", "--db", db, "--out", out, NULL};
    snprintf(errp, sizeof errp, "%s/tracking.err", dir);
    struct usage ut = timed(track, errp);
    show("tally tracking", &ut);
    if (publish) {
        char *pub[] = {(char *)tally,       "publish", "--db",  db,   "--tally-key", tk,
                       "--passphrase-file", pp,        "--out", site, NULL};
        snprintf(errp, sizeof errp, "%s/publish.err", dir);
        struct usage up = timed(pub, errp);
        show("tally publish", &up);
        char cmd[4300];
        snprintf(cmd, sizeof cmd, "du -sm --apparent-size '%s' | cut -f1", site);
        FILE *du = popen(cmd, "r");
        char line[64] = "?\n";
        if (du && !fgets(line, sizeof line, du))
            snprintf(line, sizeof line, "?\n");
        if (du)
            pclose(du);
        line[strcspn(line, "\n")] = 0;
        printf("published site: %s MB (apparent size); steps in %s\n", line, errp);
    }

    /* the bare cost: as many Ed25519 verifications and sealed-box openings as ballots, on one
     * thread, then split over one thread per core */
    sqlite3 *d = NULL;
    sqlite3_stmt *st = NULL;
    int64_t nballots = 0, ctlen = 0;
    if (sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, "SELECT count(*), max(length(ct)) FROM ballots", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        nballots = sqlite3_column_int64(st, 0);
        ctlen = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    sqlite3_close(d);
    if (nballots <= 0 || ctlen <= crypto_box_SEALBYTES)
        return fprintf(stderr, "tally_bench run: no ballots imported\n"), 1;
    double probe_bare = probe(nt);
    double load = loadavg(), t0 = now_s();
    struct bare one = {.n = nballots, .ctlen = (size_t)ctlen};
    bare_run(&one);
    double w1 = now_s() - t0;
    printf("bare, one thread: %lld Ed25519 verifications %.1f s CPU, %lld sealed-box openings "
           "(%lld bytes) %.1f s CPU; %.1f s wall, load %.1f (%d/%lld ok)\n",
           (long long)nballots, one.sig, (long long)nballots, (long long)ctlen, one.box, w1, load,
           one.ok, (long long)(2 * nballots));
    load = loadavg();
    double cpu_par;
    double wpar = bare_parallel(nt, nballots, (size_t)ctlen, &cpu_par);
    if (cpu_par < 0)
        return fprintf(stderr, "tally_bench run: cannot start a thread\n"), 1;
    double bare = one.sig + one.box;
    printf("bare, %d threads: %.1f s wall, %.1f s CPU, load %.1f\n", nt, wpar, cpu_par, load);
    double ic_wall = ui.wall + uc.wall, ic_cpu = ui.user + ui.sys + uc.user + uc.sys;
    printf("import + count: %.1f s wall, %.1f s CPU\n", ic_wall, ic_cpu);
    printf("  wall = %.2f x bare crypto CPU / %d cores (the target: <= 1.3 on an idle machine)\n",
           ic_wall / (bare / nt), nt);
    printf("  wall = %.2f x bare crypto wall on %d threads (both under the same load)\n",
           ic_wall / wpar, nt);
    printf("  CPU  = %.2f x bare crypto CPU (the work beyond the crypto; the wall ratio on an "
           "idle machine if the work were evenly split over the cores)\n",
           ic_cpu / bare);
    /* the bare cost on every core at the machine's speed during import and count */
    double scale = (probe_before + probe_after) / 2 / probe_bare;
    printf("speed probes (%d verifications and openings on %d threads, wall s): %.2f before "
           "import, %.2f after count, %.2f before the bare run\n",
           PROBE_N, nt, probe_before, probe_after, probe_bare);
    printf("  wall = %.2f x bare crypto wall on %d threads scaled by %.3f to the machine's speed "
           "during import and count%s\n",
           ic_wall / (wpar * scale), nt, scale,
           fabs(probe_after / probe_before - 1) > 0.05
               ? " (the speed drifted by more than 5 % during them: run again)"
               : "");
    for (int i = 0; i < nb; i++)
        free(av[8 + i]);
    free(av);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    if (argc >= 2 && !strcmp(argv[1], "gen"))
        return gen_main(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "run"))
        return run_main(argc - 2, argv + 2);
    fprintf(stderr, "usage: tally_bench gen DIR [options] | tally_bench run TALLY_BIN DIR\n");
    return 2;
}
