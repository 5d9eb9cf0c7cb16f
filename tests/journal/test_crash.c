/* test_crash — process crashes while casting (test_powercut covers power loss, where the page
 * cache is lost too): a child process casts ballots and writes each
 * acknowledged tracking code to a pipe; the parent kills it with SIGKILL at a random moment
 * (during start-up and creation for half of the runs, during casting for the other half),
 * then reopens the journal (integrity check and full verification) and checks that every
 * acknowledged ballot is present, that at most one unacknowledged ballot per kill appeared,
 * and that casting resumes. ISOLOIR_CRASH_KILLS sets the number of kills (default 1000). */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "check.h"
#include "jtest.h"

#define PER_FILE 40 /* kills on one journal before starting a fresh one (keeps runs short) */

struct codes {
    char (*c)[TRACKING_TEXT_MAX];
    size_t n, cap;
};

static void codes_add(struct codes *s, const char *code)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->c = realloc(s->c, s->cap * sizeof *s->c);
        if (!s->c)
            abort();
    }
    size_t len = strnlen(code, TRACKING_TEXT_MAX - 1);
    memcpy(s->c[s->n], code, len);
    s->c[s->n++][len] = '\0';
}

static bool codes_has(const struct codes *s, const char *code)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->c[i], code) == 0)
            return true;
    return false;
}

static void child(const char *path, int fd)
{
    struct election el;
    fixture_election(&el);
    struct secret_key *k = fixture_key(KEY_KIOSK, 3);
    struct journal *j = NULL;
    struct err e;
    if (journal_open(path, &el, JT_PACKAGE, k, &j, &e)) {
        fprintf(stderr, "child: %s\n", e.msg);
        _exit(3);
    }
    struct journal_status st;
    journal_status(j, &st);
    if (st.state == JOURNAL_NOT_OPENED && journal_open_polls(j, 1, &e)) {
        fprintf(stderr, "child: %s\n", e.msg);
        _exit(3);
    }
    if (write(fd, "R\n", 2) != 2)
        _exit(4);
    static struct vote v;
    for (unsigned i = 0;; i++) {
        char code[TRACKING_TEXT_MAX + 1];
        jt_vote(&v, i);
        if (journal_cast(j, &v, NULL, code, &e)) {
            fprintf(stderr, "child: %s\n", e.msg);
            _exit(3);
        }
        size_t n = strlen(code);
        code[n] = '\n';
        if (write(fd, code, n + 1) != (ssize_t)(n + 1))
            _exit(4);
    }
}

struct seen {
    struct codes all;
};

static int seen_ballot(void *ctx, uint64_t seq, const uint8_t *ct, size_t n,
                       const uint8_t hash[HASH_LEN])
{
    char tracking[TRACKING_TEXT_MAX];
    tracking_text(tracking, ct, n);
    (void)hash;
    (void)seq, (void)ct, (void)n;
    codes_add(ctx, tracking);
    return 0;
}

static void test_kills(void)
{
    const char *env = getenv("ISOLOIR_CRASH_KILLS");
    long kills = env ? strtol(env, NULL, 10) : 1000;
    if (kills <= 0)
        kills = 1000;
    struct election el;
    fixture_election(&el);
    struct secret_key *k = fixture_key(KEY_KIOSK, 3);
    char path[128];
    struct codes acked = {0};
    unsigned file_kills = 0, total_acked = 0, during_cast = 0, unacked_present = 0;
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    printf("seed-free run: %ld kills\n", kills);
    for (long kill_no = 0; kill_no < kills; kill_no++) {
        if (kill_no % PER_FILE == 0) {
            snprintf(path, sizeof path, "crash-%d-%ld.journal", (int)getpid(), kill_no / PER_FILE);
            if (kill_no) {
                char old[128];
                snprintf(old, sizeof old, "crash-%d-%ld.journal", (int)getpid(),
                         kill_no / PER_FILE - 1);
                jt_remove(old);
            }
            acked.n = 0;
            file_kills = 0;
        }
        int fd[2];
        if (pipe(fd) != 0)
            abort();
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            close(fd[0]);
            child(path, fd[1]);
            _exit(5);
        }
        close(fd[1]);
        /* Mode 0: kill at any moment from start-up; 1: once ready to cast; 2: after its first
         * acknowledged cast, so that kills land inside later casts. */
        int mode = (int)(kill_no % 3);
        size_t need = mode == 0 ? 0 : mode == 1 ? 2 : 2 + TRACKING_TEXT_LEN + 1;
        char buf[4096];
        size_t have = 0;
        if (mode) {
            while (have < need) {
                ssize_t r = read(fd[0], buf + have, sizeof buf - have);
                if (r <= 0)
                    break;
                have += (size_t)r;
            }
            during_cast++;
        }
        struct timespec ts = {0, (long)(rand() % 3001) * 1000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFSIGNALED(status)) {
            fprintf(stderr, "kill %ld: the child stopped by itself (status %d)\n", kill_no, status);
            check_st.cur_failed++;
            close(fd[0]);
            break;
        }
        for (;;) {
            ssize_t r = read(fd[0], buf + have, sizeof buf - 1 - have);
            if (r <= 0)
                break;
            have += (size_t)r;
            if (have >= sizeof buf - 1)
                break;
        }
        close(fd[0]);
        buf[have] = '\0';
        file_kills++;
        for (char *line = buf, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
            *nl = '\0';
            if (strcmp(line, "R") != 0) {
                codes_add(&acked, line);
                total_acked++;
            }
        }
        /* Reopen as the kiosk would (integrity check + full verification). */
        struct journal *j = NULL;
        struct err e;
        if (journal_open(path, &el, JT_PACKAGE, k, &j, &e) != 0) {
            fprintf(stderr, "kill %ld: reopening failed: %s\n", kill_no, e.msg);
            check_st.cur_failed++;
            break;
        }
        journal_close(j);
        struct codes found = {0};
        struct journal_verify_opts o = {.ctx = &found, .ballot = seen_ballot, .expect_ballots = -1};
        struct journal_summary s;
        int rc = journal_verify(path, &el, JT_PACKAGE, &o, &s, &e);
        if (rc) {
            fprintf(stderr, "kill %ld: %s\n", kill_no, e.msg);
            check_st.cur_failed++;
        }
        for (size_t i = 0; i < acked.n; i++)
            if (!codes_has(&found, acked.c[i])) {
                fprintf(stderr, "kill %ld: acknowledged ballot %s is missing\n", kill_no,
                        acked.c[i]);
                check_st.cur_failed++;
            }
        if (found.n > acked.n + file_kills) {
            fprintf(stderr, "kill %ld: %zu ballots for %zu acknowledged and %u kills\n", kill_no,
                    found.n, acked.n, file_kills);
            check_st.cur_failed++;
        }
        unacked_present += (unsigned)(found.n > acked.n);
        /* From now on the unacknowledged ballots (if any) are part of the journal. */
        for (size_t i = 0; i < found.n; i++)
            if (!codes_has(&acked, found.c[i]))
                codes_add(&acked, found.c[i]);
        free(found.c);
        if (check_st.cur_failed)
            break;
    }
    /* Casting resumes after the last kill. */
    struct journal *j = NULL;
    struct err e;
    static struct vote v;
    char code[TRACKING_TEXT_MAX];
    CHECK_INT(journal_open(path, &el, JT_PACKAGE, k, &j, &e), 0);
    if (j) {
        struct journal_status st;
        journal_status(j, &st);
        if (st.state == JOURNAL_NOT_OPENED)
            CHECK_INT(journal_open_polls(j, 1, &e), 0);
        jt_vote(&v, 1);
        CHECK_INT(journal_cast(j, &v, NULL, code, &e), 0);
        journal_close(j);
    }
    jt_remove(path);
    printf("%ld kills (%u while casting or ready to), %u acknowledged ballots, %u runs left an "
           "unacknowledged ballot\n",
           kills, during_cast, total_acked, unacked_present);
    /* The kills must have hit casts, not only start-up. */
    CHECK(total_acked > 0);
    free(acked.c);
    key_free(k);
    election_free(&el);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_kills);
    return check_done();
}
