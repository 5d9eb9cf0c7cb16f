/*
 * isoloir-inspect — shows what a kiosk journal holds, for officials, the tally team and
 * auditors: every row (sequence, kind, sizes, hash prefixes, the readable fields of the
 * non-ballot records), the tracking code of every ballot, and the verification result with
 * every problem found (journal_verify). It never decrypts a ballot: it does not take the tally
 * key. It opens the journal read-only and never changes it.
 *
 *   isoloir-inspect JOURNAL --package PKG --authority AUTH.pub [--demo] [--require-close]
 *                   [--expect-ballots N]
 *
 * Exit status: 0 when the journal verifies, 1 when problems were found or it cannot be read,
 * 2 on a usage error.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

#include "buf.h"
#include "cli.h"
#include "journal.h"
#include "key.h"
#include "package.h"
#include "util.h"

static const char *const PROG = "isoloir-inspect";

static int usage(void)
{
    fprintf(stderr, "usage: isoloir-inspect JOURNAL --package PKG --authority AUTH.pub [--demo]\n"
                    "                       [--require-close] [--expect-ballots N]\n");
    return 2;
}

static void utc(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "%lld", (long long)t);
}

static void prefix(char out[9], const void *p, int n)
{
    if (n >= 4)
        hex_encode(out, p, 4);
    else
        snprintf(out, 9, "--------");
}

static const char *event_name(unsigned code)
{
    switch (code) {
    case JEVENT_PACKAGE_INSTALLED:
        return "package installed";
    case JEVENT_EXPORT:
        return "export";
    case JEVENT_PIN_LOCKOUT:
        return "PIN lockout";
    case JEVENT_PIN_UNLOCKED:
        return "PIN unlocked";
    case JEVENT_REPORT_PRINTED:
        return "report printed";
    case JEVENT_RESTART:
        return "restart";
    case JEVENT_CLOCK_CONFIRMED:
        return "clock confirmed";
    }
    return NULL;
}

/* The readable fields of a row's payload (docs/journal.md), or "(does not parse)". */
static void describe(char *out, size_t size, const struct election *el, int kind, const uint8_t *p,
                     size_t n)
{
    struct rd r;
    rd_init(&r, p, n);
    char t[32];
    switch (kind) {
    case JROW_GENESIS: {
        const uint8_t *pk = rd_raw(&r, SIGN_PK_LEN);
        const uint8_t *ph = rd_raw(&r, HASH_LEN);
        char *id = rd_str(&r, 256);
        uint32_t padded = rd_u32(&r);
        int64_t created = rd_i64(&r);
        if (rd_done(&r)) {
            char fk[FPR_TEXT_LEN + 1], fp[FPR_TEXT_LEN + 1];
            fingerprint(fk, pk, SIGN_PK_LEN);
            fingerprint(fp, ph, HASH_LEN);
            int k = election_find_kiosk(el, pk);
            utc(t, created);
            snprintf(out, size, "kiosk %s (%s), election \"%s\", package %s, votes %u bytes, %s",
                     fk, k >= 0 && el->kiosk_labels ? el->kiosk_labels[k] : "not authorised", id,
                     fp, padded, t);
            free(id);
            return;
        }
        free(id);
        break;
    }
    case JROW_OPEN:
    case JROW_PAUSE:
    case JROW_RESUME:
    case JROW_CLOSE: {
        int64_t when = rd_i64(&r);
        uint64_t b = rd_u64(&r), tk = rd_u64(&r);
        char sets[80] = "";
        if (kind == JROW_CLOSE) {
            const uint8_t *bs = rd_raw(&r, HASH_LEN), *ts = rd_raw(&r, HASH_LEN);
            if (bs && ts) {
                char a[9], c[9];
                prefix(a, bs, HASH_LEN);
                prefix(c, ts, HASH_LEN);
                snprintf(sets, sizeof sets, ", ballot set %s.., token set %s..", a, c);
            }
        }
        if (rd_done(&r)) {
            utc(t, when);
            snprintf(out, size, "%s, %llu ballots, %llu token spends%s", t, (unsigned long long)b,
                     (unsigned long long)tk, sets);
            return;
        }
        break;
    }
    case JROW_BALLOT: {
        size_t len = 0;
        const uint8_t *ct = rd_blob(&r, n, &len);
        if (rd_done(&r)) {
            char code[TRACKING_TEXT_MAX];
            tracking_text(code, ct, len);
            snprintf(out, size, "sealed vote of %zu bytes, tracking code %s", len, code);
            return;
        }
        break;
    }
    case JROW_TOKEN:
        if (n == TOKEN_HASH_LEN) {
            char h[2 * TOKEN_HASH_LEN + 1];
            hex_encode(h, p, TOKEN_HASH_LEN);
            snprintf(out, size, "token hash %s", h);
            return;
        }
        break;
    case JROW_EVENT: {
        int64_t when = rd_i64(&r);
        uint16_t code = rd_u16(&r);
        char *detail = rd_str(&r, JOURNAL_EVENT_DETAIL_MAX);
        if (rd_done(&r)) {
            utc(t, when);
            const char *name = event_name(code);
            if (name)
                snprintf(out, size, "%s, %s \"%s\"", t, name, detail);
            else
                snprintf(out, size, "%s, event %u \"%s\"", t, code, detail);
            free(detail);
            return;
        }
        free(detail);
        break;
    }
    }
    snprintf(out, size, "(does not parse)");
}

static int print_rows(const char *path, const struct election *el, struct err *e)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT seq, kind, length(payload), prev, hash, payload FROM rows "
                           "ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = err_set(e, ERR_FORMAT, "%s: cannot list the rows: %s", path,
                     db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    printf("%6s  %-7s  %6s  %-8s  %-8s  %s\n", "seq", "kind", "bytes", "prev", "hash", "content");
    while (sqlite3_step(st) == SQLITE_ROW) {
        char pv[9], hh[9], what[512];
        prefix(pv, sqlite3_column_blob(st, 3), sqlite3_column_bytes(st, 3));
        prefix(hh, sqlite3_column_blob(st, 4), sqlite3_column_bytes(st, 4));
        int kind = sqlite3_column_int(st, 1);
        const uint8_t *p = sqlite3_column_blob(st, 5);
        static const uint8_t none[1];
        describe(what, sizeof what, el, kind, p ? p : none, (size_t)sqlite3_column_bytes(st, 5));
        printf("%6lld  %-7s  %6d  %-8s  %-8s  %s\n", (long long)sqlite3_column_int64(st, 0),
               journal_kind_name(kind), sqlite3_column_int(st, 2), pv, hh, what);
    }
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* Problems shown per kind; the others are counted and summed up after the list. */
#define PROBLEMS_SHOWN 20

static void on_problem(void *ctx, uint64_t seq, enum journal_problem kind, const char *msg)
{
    unsigned *seen = ctx;
    if (kind >= 1 && kind <= JOURNAL_PROBLEM_MAX && ++seen[kind] > PROBLEMS_SHOWN)
        return;
    printf("  row %llu: %s: %s\n", (unsigned long long)seq, journal_problem_name(kind), msg);
}

int main(int argc, char **argv)
{
    const char *journal = NULL, *package = NULL, *authority = NULL;
    bool demo = false, require_close = false;
    int64_t expect = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--demo") == 0)
            demo = true;
        else if (strcmp(a, "--require-close") == 0)
            require_close = true;
        else if (strcmp(a, "--package") == 0 && v)
            package = v, i++;
        else if (strcmp(a, "--authority") == 0 && v)
            authority = v, i++;
        else if (strcmp(a, "--expect-ballots") == 0 && v && !util_parse_i64(v, &expect) &&
                 expect >= 0)
            i++;
        else if (a[0] != '-' && !journal)
            journal = a;
        else
            return usage();
    }
    if (!journal || !package || !authority)
        return usage();
    struct err e = {0};
    if (crypto_setup(&e))
        return cli_fail(PROG, &e);
    struct public_key auth;
    struct election el;
    uint8_t hash[HASH_LEN];
    if (key_load_public(authority, KEY_AUTHORITY, &auth, &e))
        return cli_fail(PROG, &e);
    if (package_open(package, auth.pk, demo ? PACKAGE_ALLOW_DEMO : 0, &el, hash, &e))
        return cli_fail(PROG, &e);
    char fp[FPR_TEXT_LEN + 1];
    fingerprint(fp, hash, HASH_LEN);
    printf("journal %s\nelection \"%s\", package %s\n\n", journal, el.id, fp);
    int rc = print_rows(journal, &el, &e);
    if (rc)
        printf("(%s)\n", e.msg);
    printf("\nverification:\n");
    unsigned seen[JOURNAL_PROBLEM_MAX + 1] = {0};
    struct journal_verify_opts o = {.ctx = seen,
                                    .problem = on_problem,
                                    .require_close = require_close,
                                    .expect_ballots = expect};
    struct journal_summary s;
    int vrc = journal_verify(journal, &el, hash, &o, &s, &e);
    for (int k = 1; k <= JOURNAL_PROBLEM_MAX; k++)
        if (seen[k] > PROBLEMS_SHOWN)
            printf("  %s: %u more problems of this kind not shown (%u in all)\n",
                   journal_problem_name((enum journal_problem)k), seen[k] - PROBLEMS_SHOWN,
                   seen[k]);
    if (vrc == 0) {
        printf("  no problem found\n");
    } else {
        printf("  %llu problem%s\n", (unsigned long long)s.nproblems, s.nproblems == 1 ? "" : "s");
    }
    char kp[FPR_TEXT_LEN + 1], head[2 * HASH_LEN + 1], bset[2 * HASH_LEN + 1],
        tset[2 * HASH_LEN + 1];
    fingerprint(kp, s.kiosk_pk, SIGN_PK_LEN);
    hex_encode(head, s.head, HASH_LEN);
    hex_encode(bset, s.ballot_set, HASH_LEN);
    hex_encode(tset, s.token_set, HASH_LEN);
    printf("\nsummary:\n  kiosk key %s (%s)\n  polls %s\n  rows %llu (seq %llu to %llu)\n"
           "  ballots %llu, token spends %llu\n  close record: %s\n  head %s\n"
           "  ballot set %s\n  token set %s\n",
           kp,
           s.kiosk_index >= 0 && el.kiosk_labels ? el.kiosk_labels[s.kiosk_index]
                                                 : "not authorised",
           journal_state_name(s.state), (unsigned long long)s.rows, (unsigned long long)s.first_seq,
           (unsigned long long)s.last_seq, (unsigned long long)s.ballots,
           (unsigned long long)s.tokens, s.has_close ? "yes" : "no", head, bset, tset);
    election_free(&el);
    return rc || vrc ? 1 : 0;
}
