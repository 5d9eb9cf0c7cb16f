/* journal_rows — the verifier's reader: a journal's rows read in batches, and their hashes
 * and signatures computed by worker threads (one per core, at most JOURNAL_MAX_THREADS) while
 * the verifier reads the next batch and checks the rows of the one before in order. The
 * checks themselves, and their order, are journal_verify.c's; this file only computes. */
#include <sqlite3.h>
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

static void *worker(void *arg)
{
    struct journal_pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->quit && (!p->job || p->next >= p->job->n))
            pthread_cond_wait(&p->work, &p->lock);
        if (p->quit)
            break;
        struct journal_batch *b = p->job;
        size_t from = p->next, to = from + CHUNK < b->n ? from + CHUNK : b->n;
        p->next = to;
        p->busy++;
        pthread_mutex_unlock(&p->lock);
        journal_batch_check(b, p->pk, from, to);
        pthread_mutex_lock(&p->lock);
        if (--p->busy == 0 && p->next >= b->n)
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
        struct journal_batch *b = p->job;
        size_t from = p->next, to = from + CHUNK < b->n ? from + CHUNK : b->n;
        p->next = to;
        p->busy++;
        pthread_mutex_unlock(&p->lock);
        journal_batch_check(b, p->pk, from, to);
        pthread_mutex_lock(&p->lock);
        p->busy--;
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
