/*
 * publish_query — the few facts `tally publish` reads from the tally database that report.h
 * does not give: ballots per kiosk, the overrides (with their day only) and the number of
 * sources. Read-only; nothing here ever reads a ciphertext, a token or a row's time.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "publish_int.h"
#include "util.h"

static int q_fail(sqlite3 *db, const char *what, struct err *e)
{
    return err_set(e, ERR_IO, "cannot read %s from the tally database: %s", what,
                   sqlite3_errmsg(db));
}

static const char *col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

int pubq_kiosks(struct tallydb *t, const struct election *el, struct pub_kiosk **out, size_t *n,
                struct err *e)
{
    sqlite3 *db = tallydb_handle(t);
    sqlite3_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT k.label, k.pk, k.state, k.last_seq,"
                           " (SELECT count(*) FROM ballots b WHERE b.kiosk = k.id)"
                           " FROM kiosks k ORDER BY k.label, k.pk",
                           -1, &st, NULL) != SQLITE_OK)
        return q_fail(db, "the kiosks", e);
    size_t cap = 0;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            struct pub_kiosk *k = realloc(*out, cap * sizeof *k);
            if (!k) {
                sqlite3_finalize(st);
                return err_set(e, ERR_NOMEM, "out of memory reading the kiosks");
            }
            *out = k;
        }
        struct pub_kiosk *k = &(*out)[(*n)++];
        memset(k, 0, sizeof *k);
        snprintf(k->label, sizeof k->label, "%s", col(st, 0));
        if (sqlite3_column_bytes(st, 1) == (int)sizeof k->pk)
            memcpy(k->pk, sqlite3_column_blob(st, 1), sizeof k->pk);
        snprintf(k->state, sizeof k->state, "%s", col(st, 2));
        k->last_seq = sqlite3_column_int64(st, 3);
        k->ballots = sqlite3_column_int64(st, 4);
        int i = election_find_kiosk(el, k->pk);
        k->vote_point = i >= 0 && el->kiosk_vote_point ? el->kiosk_vote_point[i] : -1;
        if (k->vote_point >= (int)el->nvote_points)
            k->vote_point = -1;
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return q_fail(db, "the kiosks", e);
    return 0;
}

void pubq_overrides_free(struct pub_override *ov, size_t n)
{
    for (size_t i = 0; ov && i < n; i++) {
        free(ov[i].who);
        free(ov[i].reason);
        free(ov[i].source);
        free(ov[i].problems);
    }
    free(ov);
}

int pubq_overrides(struct tallydb *t, struct pub_override **out, size_t *n, struct err *e)
{
    sqlite3 *db = tallydb_handle(t);
    sqlite3_stmt *st = NULL;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT at, who, reason, source, problems FROM overrides ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return q_fail(db, "the overrides", e);
    size_t cap = 0;
    int src, rc = 0;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            struct pub_override *o = realloc(*out, cap * sizeof *o);
            if (!o) {
                rc = err_set(e, ERR_NOMEM, "out of memory reading the overrides");
                break;
            }
            *out = o;
        }
        struct pub_override *o = &(*out)[(*n)++];
        memset(o, 0, sizeof *o);
        /* the day only: the time an override was typed says nothing the public needs */
        time_t at = (time_t)sqlite3_column_int64(st, 0);
        struct tm tm;
        if (gmtime_r(&at, &tm))
            strftime(o->day, sizeof o->day, "%Y-%m-%d", &tm);
        o->who = util_strdup(col(st, 1));
        o->reason = util_strdup(col(st, 2));
        o->source = util_strdup(col(st, 3));
        o->problems = util_strdup(col(st, 4));
        if (!o->who || !o->reason || !o->source || !o->problems) {
            rc = err_set(e, ERR_NOMEM, "out of memory reading the overrides");
            break;
        }
    }
    sqlite3_finalize(st);
    if (!rc && src != SQLITE_DONE)
        rc = q_fail(db, "the overrides", e);
    if (rc) {
        pubq_overrides_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int pubq_sources(struct tallydb *t, uint64_t *n, struct err *e)
{
    sqlite3 *db = tallydb_handle(t);
    sqlite3_stmt *st = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sources", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return q_fail(db, "the sources", e);
    }
    *n = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return 0;
}
