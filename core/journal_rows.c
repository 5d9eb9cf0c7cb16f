/* journal_rows — the verifier's reader: a journal's rows read in batches, and their hashes
 * and signatures computed by worker threads (one per core, at most JOURNAL_MAX_THREADS) while
 * the verifier reads the next batch and checks the rows of the one before in order. The
 * checks themselves, and their order, are journal_verify.c's; this file only computes. */
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "journal_int.h"
#include "util.h"

#define CHUNK 32 /* rows a worker takes at a time */

static bool blob_is(sqlite3_stmt *st, int col, size_t len)
{
    return sqlite3_column_type(st, col) == SQLITE_BLOB &&
           (size_t)sqlite3_column_bytes(st, col) == len;
}

/* Reads up to max rows; returns SQLite's last step code (SQLITE_ROW if more may follow). */
int journal_batch_read(sqlite3_stmt *st, struct journal_batch *b, size_t max)
{
    b->n = 0;
    b->arena.len = 0;
    int step = SQLITE_ROW;
    while (b->n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct journal_brow *x = &b->rows[b->n++];
        memset(x, 0, sizeof *x);
        x->r.seq = (uint64_t)sqlite3_column_int64(st, 0);
        x->r.kind = sqlite3_column_int(st, 1);
        x->seq_ok =
            sqlite3_column_type(st, 0) == SQLITE_INTEGER && sqlite3_column_int64(st, 0) >= 1;
        x->fields_ok =
            sqlite3_column_type(st, 1) == SQLITE_INTEGER && blob_is(st, 2, HASH_LEN) &&
            blob_is(st, 3, HASH_LEN) && blob_is(st, 5, HASH_LEN) && blob_is(st, 6, SIG_LEN) &&
            (sqlite3_column_type(st, 4) == SQLITE_BLOB || sqlite3_column_bytes(st, 4) == 0);
        if (!x->fields_ok)
            continue;
        x->r.plen = (size_t)sqlite3_column_bytes(st, 4);
        x->off = b->arena.len;
        buf_raw(&b->arena, sqlite3_column_blob(st, 2), HASH_LEN);
        buf_raw(&b->arena, sqlite3_column_blob(st, 3), HASH_LEN);
        buf_raw(&b->arena, sqlite3_column_blob(st, 5), HASH_LEN);
        buf_raw(&b->arena, sqlite3_column_blob(st, 6), SIG_LEN);
        if (x->r.plen)
            buf_raw(&b->arena, sqlite3_column_blob(st, 4), x->r.plen);
        x->msg_off = b->arena.len;
        if (buf_ok(&b->arena))
            break;
        /* from SQLite's copies: appending may move the arena */
        static const uint8_t empty[1];
        const uint8_t *payload = x->r.plen ? sqlite3_column_blob(st, 4) : empty;
        journal_row_message(&b->arena, sqlite3_column_blob(st, 2), x->r.seq, x->r.kind,
                            sqlite3_column_blob(st, 3), payload, x->r.plen);
        x->r.msg_len = b->arena.len - x->msg_off;
    }
    if (!buf_ok(&b->arena)) /* the arena is complete: its pointers are now fixed */
        for (size_t i = 0; i < b->n; i++) {
            struct journal_brow *x = &b->rows[i];
            if (!x->fields_ok)
                continue;
            const uint8_t *base = b->arena.data + x->off;
            x->r.ctx = base;
            x->r.prev = base + HASH_LEN;
            x->r.hash = base + 2 * HASH_LEN;
            x->r.sig = base + 3 * HASH_LEN;
            x->r.payload = base + 3 * HASH_LEN + SIG_LEN;
            x->r.msg = b->arena.data + x->msg_off;
        }
    return step;
}

/* Worker threads that compute the hashes and check the signatures of one batch while the
 * calling thread reads the next batch and checks the rows of the one before, in order. */

void journal_batch_check(const struct journal_batch *b, const uint8_t *pk, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        struct journal_row *r = &b->rows[i].r;
        if (!b->rows[i].fields_ok)
            continue;
        hash32(r->h, r->msg, r->msg_len);
        if (pk)
            r->sig_state = sign_verify(r->sig, r->msg, r->msg_len, pk) == 0 ? 1 : -1;
    }
}

/* With p->lock held and a chunk of p->job left: takes the next chunk, checks it with the lock
 * released, and returns how many chunks are still being checked by others. */
static unsigned check_chunk(struct journal_pool *p)
{
    struct journal_batch *b = p->job;
    size_t from = p->next, to = from + CHUNK < b->n ? from + CHUNK : b->n;
    p->next = to;
    p->busy++;
    pthread_mutex_unlock(&p->lock);
    journal_batch_check(b, p->pk, from, to);
    pthread_mutex_lock(&p->lock);
    return --p->busy;
}

static void *worker(void *arg)
{
    struct journal_pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && (!p->job || p->next >= p->job->n))
            pthread_cond_wait(&p->work, &p->lock);
        if (p->quit)
            break;
        if (check_chunk(p) == 0 && p->next >= p->job->n)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* One worker per core but the caller's (none on one core: batches are checked inline). */
void journal_pool_start(struct journal_pool *p)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    int threads = util_threads();
    int want = threads <= 1 ? 0 : threads > JOURNAL_MAX_THREADS ? JOURNAL_MAX_THREADS : threads;
    for (int i = 0; i < want; i++)
        if (pthread_create(&p->th[p->nthreads], NULL, worker, p) == 0)
            p->nthreads++;
}

void journal_pool_submit(struct journal_pool *p, struct journal_batch *b, const uint8_t *pk)
{
    if (!p->nthreads) {
        journal_batch_check(b, pk, 0, b->n);
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->job = b;
    p->pk = pk;
    p->next = 0;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
}

/* Waits until the batch submitted last is checked, checking chunks of it meanwhile: the
 * calling thread has nothing else to do then (at the end of a journal above all). */
void journal_pool_wait(struct journal_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->job && p->next < p->job->n) {
        (void)check_chunk(p);
    }
    while (p->job && p->busy)
        pthread_cond_wait(&p->done, &p->lock);
    p->job = NULL;
    pthread_mutex_unlock(&p->lock);
}

void journal_pool_stop(struct journal_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->th[i], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
}

/* ---- Signatures checked ahead ------------------------------------------------------------
 * A thread of its own (with its own workers) reads a journal that will be verified next and
 * keeps, for each row from 2 on, BLAKE2b(hash of the signed bytes || signature) and whether
 * the signature verifies with the key row 1 names. The verifier later reads the rows itself,
 * computes the same value from what it read, and takes the result only where both agree and
 * the key is the one it trusts: anything else it checks itself. */

#define AHEAD_MAX_ROWS (1u << 17) /* 4.3 MB of results at most; later rows: checked as usual */

struct journal_ahead {
    pthread_t th;
    bool started;
    atomic_bool stop; /* journal_ahead_free: the results are no longer wanted */
    char *path;
    uint8_t pk[SIGN_PK_LEN];
    bool have_pk;
    uint64_t n;               /* rows 2 .. n + 1 have their result */
    uint8_t (*key)[HASH_LEN]; /* [seq - 2] */
    int8_t *state;            /* [seq - 2]: 1 verifies, -1 does not */
};

static void ahead_key(uint8_t out[HASH_LEN], const struct journal_row *r)
{
    uint8_t m[HASH_LEN + SIG_LEN];
    memcpy(m, r->h, HASH_LEN);
    memcpy(m + HASH_LEN, r->sig, SIG_LEN);
    hash32(out, m, sizeof m);
}

static void *ahead_run(void *arg)
{
    struct journal_ahead *a = arg;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    struct journal_batch b = {.rows = malloc(JOURNAL_BATCH_ROWS * sizeof(struct journal_brow))};
    buf_init(&b.arena);
    a->key = malloc(AHEAD_MAX_ROWS * sizeof *a->key);
    a->state = malloc(AHEAD_MAX_ROWS * sizeof *a->state);
    if (!b.rows || !a->key || !a->state ||
        sqlite3_open_v2(a->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT seq, kind, ctx, prev, payload, hash, sig FROM rows ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    int step = journal_batch_read(st, &b, 1);
    const struct journal_row *g = &b.rows[0].r;
    struct journal_genesis gen;
    if (buf_ok(&b.arena) || b.n != 1 || !b.rows[0].fields_ok || g->seq != 1 ||
        g->kind != JROW_GENESIS || !journal_parse_genesis(g->payload, g->plen, &gen))
        goto out;
    memcpy(a->pk, gen.kiosk_pk, SIGN_PK_LEN);
    free(gen.election_id);
    a->have_pk = true;
    struct journal_pool pool;
    journal_pool_start(&pool);
    while (step == SQLITE_ROW && a->n < AHEAD_MAX_ROWS && !atomic_load(&a->stop)) {
        step = journal_batch_read(st, &b, JOURNAL_BATCH_ROWS);
        if (buf_ok(&b.arena) || b.n == 0)
            break;
        journal_pool_submit(&pool, &b, a->pk);
        journal_pool_wait(&pool);
        size_t i = 0;
        for (; i < b.n && a->n < AHEAD_MAX_ROWS; i++) {
            const struct journal_row *r = &b.rows[i].r;
            if (!b.rows[i].fields_ok || r->seq != a->n + 2)
                break; /* rows out of order or damaged: the verifier sees to them */
            ahead_key(a->key[a->n], r);
            a->state[a->n++] = (int8_t)r->sig_state;
        }
        if (i < b.n)
            break;
    }
    journal_pool_stop(&pool);
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    buf_free(&b.arena);
    free(b.rows);
    return NULL;
}

struct journal_ahead *journal_ahead_start(const char *path)
{
    if (util_threads() <= 1)
        return NULL; /* one thread: the calling thread checks everything itself */
    struct journal_ahead *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    atomic_init(&a->stop, false);
    a->path = util_strdup(path);
    if (a->path && pthread_create(&a->th, NULL, ahead_run, a) == 0)
        a->started = true;
    return a;
}

/* Waits for the thread: its results are complete and no longer change. */
static void ahead_join(struct journal_ahead *a)
{
    if (a && a->started) {
        pthread_join(a->th, NULL);
        a->started = false;
    }
}

void journal_ahead_free(struct journal_ahead *a)
{
    if (!a)
        return;
    atomic_store(&a->stop, true); /* e.g. a source already imported: stop at the next batch */
    ahead_join(a);
    free(a->path);
    free(a->key);
    free(a->state);
    free(a);
}

bool journal_ahead_fill(struct journal_ahead *a, struct journal_batch *b, const uint8_t *pk)
{
    ahead_join(a);
    if (!a || !pk || !a->have_pk || memcmp(a->pk, pk, SIGN_PK_LEN) != 0)
        return false;
    journal_batch_check(b, NULL, 0, b->n); /* the hashes, from the bytes read here */
    for (size_t i = 0; i < b->n; i++) {
        struct journal_row *r = &b->rows[i].r;
        if (!b->rows[i].fields_ok)
            continue;
        uint8_t k[HASH_LEN];
        if (r->seq < 2 || r->seq - 2 >= a->n)
            return false;
        ahead_key(k, r);
        if (memcmp(k, a->key[r->seq - 2], HASH_LEN) != 0)
            return false;
        r->sig_state = a->state[r->seq - 2];
    }
    return true;
}
