/*
 * isoloir-kiosk — the voting stand. Opens the election package (verified against the
 * authority key the kiosk was provisioned with), the kiosk's own key and its journal, then
 * runs the screens. Every error before the first screen is printed in words an official can
 * act on, and the program exits without showing a voter anything.
 *
 *   isoloir-kiosk --package PKG --authority AUTH.pub --kiosk-key KIOSK.key --journal FILE
 *                 [--passphrase-file F] [--demo] [--windowed] [--size WxH] [--font-dir DIR]
 *                 [--script FILE --shots DIR] [--exit-after MS] [--idle-seconds N]
 */
#include <sodium.h>
#include <stdio.h>
#include <sys/statvfs.h>
#include <time.h>

#include "app.h"
#include "catalog.h"
#include "cli.h"
#include "journal.h"
#include "keys.h"
#include "official.h"
#include "package.h"
#include "report.h"
#include "util.h"

#ifndef ISOLOIR_FONT_DIR
#define ISOLOIR_FONT_DIR "/usr/share/fonts/truetype/noto"
#endif

static const char *const PROG = "isoloir-kiosk";

static int usage(void)
{
    fprintf(stderr,
            "usage: isoloir-kiosk --package PKG --authority AUTH.pub --kiosk-key KIOSK.key\n"
            "                     --journal FILE [--passphrase-file F] [--demo] [--windowed]\n"
            "                     [--size WxH] [--font-dir DIR] [--script FILE --shots DIR]\n"
            "                     [--exit-after MS] [--idle-seconds N]\n");
    return 2;
}

static int cast(void *ctx, const struct vote *v, char *tracking, size_t size, struct err *e)
{
    char code[TRACKING_TEXT_MAX];
    int rc = journal_cast(ctx, v, NULL, code, e);
    if (!rc)
        snprintf(tracking, size, "%s", code);
    return rc;
}

/* ---- the officials' side: PIN, status, polls (journal rows and reports) ------------------ */

struct officials_ctx {
    struct journal *j;
    struct official *cred;
    const struct election *el;
    const uint8_t *package_hash;
    const char *journal_path;
};

static int officials_pin(void *ctx, const char *pin, enum lang lang, char *msg_out, size_t size)
{
    struct officials_ctx *c = ctx;
    struct official_result r;
    struct err e = {0};
    int rc = official_try(c->cred, pin, &r, &e);
    if (!r.ok && r.locked) {
        /* the supervisor PIN lifts a lockout */
        struct official_result sr;
        if (official_supervisor_unlock(c->cred, pin, &sr, &e) >= 0 && sr.ok) {
            journal_record_event(c->j, JEVENT_PIN_UNLOCKED, "supervisor", (int64_t)time(NULL), &e);
            return 1;
        }
    }
    if (r.ok)
        return 1;
    official_message(&r, OFFICIAL_PIN, lang, msg_out, size);
    if (rc < 0 && size > strlen(msg_out) + 2) /* the attempt count could not be saved */
        snprintf(msg_out + strlen(msg_out), size - strlen(msg_out), " (%s)", e.msg);
    return 0;
}

static void report_of(struct officials_ctx *c, enum report_kind kind, enum lang lang, char *out,
                      size_t size)
{
    struct journal_status st;
    journal_status(c->j, &st);
    struct report_input in = {
        .kind = kind,
        .state = (enum report_state)st.state,
        .election_name = text_get(&c->el->name, lang),
        .election_id = c->el->id,
        .kiosk_label = "",
        .token_mode = election_kiosk_eligibility(c->el, election_find_kiosk(c->el, st.kiosk_pk)) ==
                      ELIG_TOKEN,
        .ballots = st.ballots,
        .tokens_spent = st.tokens,
        .journal_rows = st.rows,
        .at = (int64_t)time(NULL)};
    int k = election_find_kiosk(c->el, st.kiosk_pk);
    in.kiosk_label = k >= 0 ? c->el->kiosk_labels[k] : "?";
    memcpy(in.kiosk_pk, st.kiosk_pk, SIGN_PK_LEN);
    memcpy(in.package_hash, c->package_hash, HASH_LEN);
    memcpy(in.chain_head, st.head, HASH_LEN);
    char *text = NULL;
    size_t len;
    struct err e = {0};
    if (report_render(&in, lang, 72, &text, &len, &e) == 0) {
        snprintf(out, size, "%s", text);
        free(text);
    } else {
        snprintf(out, size, "%s", e.msg);
    }
}

static void officials_status(void *ctx, enum lang lang, int *state, char lines[8][128])
{
    struct officials_ctx *c = ctx;
    struct journal_status st;
    journal_status(c->j, &st);
    *state = (int)st.state;
    char kfpr[FPR_TEXT_LEN + 1], pfpr[FPR_TEXT_LEN + 1];
    fingerprint(kfpr, st.kiosk_pk, SIGN_PK_LEN);
    fingerprint(pfpr, c->package_hash, HASH_LEN);
    struct statvfs vfs;
    unsigned long long free_mb = 0, more = 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", c->journal_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if (statvfs(slash ? dir : ".", &vfs) == 0) {
        unsigned long long bytes = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
        free_mb = bytes >> 20;
        more = bytes / 4096; /* a ballot row with its WAL and index pages: about 4 KiB */
    }
    time_t now = time(NULL);
    struct tm tm;
    char clock[32] = "?";
    if (localtime_r(&now, &tm))
        strftime(clock, sizeof clock, "%Y-%m-%d %H:%M", &tm);
    static const enum msg STATES[] = {M_STATE_NOT_OPENED, M_STATE_OPEN, M_STATE_PAUSED,
                                      M_STATE_CLOSED};
    snprintf(lines[0], 128, msg(M_ST_POLLS, lang), msg(STATES[st.state & 3], lang));
    snprintf(lines[1], 128, msg(M_ST_COUNTS, lang), (unsigned long long)st.ballots,
             (unsigned long long)st.tokens);
    snprintf(lines[2], 128, msg(M_ST_JOURNAL, lang), (unsigned long long)st.rows);
    snprintf(lines[3], 128, msg(M_ST_DISK, lang), free_mb, more);
    snprintf(lines[4], 128, msg(M_ST_KIOSK, lang), kfpr);
    snprintf(lines[5], 128, msg(M_ST_PACKAGE, lang), pfpr);
    snprintf(lines[6], 128, msg(M_ST_CLOCK, lang), clock);
    lines[7][0] = '\0';
}

static int officials_polls(void *ctx, enum polls_action a, enum lang lang, char *out, size_t size)
{
    struct officials_ctx *c = ctx;
    struct err e = {0};
    int64_t now = (int64_t)time(NULL);
    int rc;
    enum report_kind kind;
    switch (a) {
    case POLLS_OPEN:
        rc = journal_open_polls(c->j, now, &e), kind = REPORT_ZERO;
        break;
    case POLLS_PAUSE:
        rc = journal_pause(c->j, now, &e), kind = REPORT_PAUSE;
        break;
    case POLLS_RESUME:
        rc = journal_resume(c->j, now, &e), kind = REPORT_RESUME;
        break;
    case POLLS_CLOSE:
        rc = journal_close_polls(c->j, now, &e), kind = REPORT_CLOSING;
        break;
    default:
        return ERR_USAGE;
    }
    if (rc)
        snprintf(out, size, "%s", e.msg);
    else
        report_of(c, kind, lang, out, size);
    return rc;
}

int main(int argc, char **argv)
{
    const char *package = NULL, *authority = NULL, *kiosk_key = NULL, *journal_path = NULL,
               *passfile = NULL;
    struct app_config cfg = {
        .font_dir = ISOLOIR_FONT_DIR,
        .session = {.idle_ms = 90000, .idle_warn_ms = 30000, .done_ms = 30000}};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int64_t n;
        if (strcmp(a, "--demo") == 0) {
            cfg.demo = true;
        } else if (strcmp(a, "--windowed") == 0) {
            cfg.windowed = true;
        } else if (!v) {
            return usage();
        } else if (strcmp(a, "--package") == 0) {
            package = v, i++;
        } else if (strcmp(a, "--authority") == 0) {
            authority = v, i++;
        } else if (strcmp(a, "--kiosk-key") == 0) {
            kiosk_key = v, i++;
        } else if (strcmp(a, "--journal") == 0) {
            journal_path = v, i++;
        } else if (strcmp(a, "--passphrase-file") == 0) {
            passfile = v, i++;
        } else if (strcmp(a, "--font-dir") == 0) {
            cfg.font_dir = v, i++;
        } else if (strcmp(a, "--script") == 0) {
            cfg.script = v, i++;
        } else if (strcmp(a, "--shots") == 0) {
            cfg.shots_dir = v, i++;
        } else if (strcmp(a, "--size") == 0) {
            if (sscanf(v, "%dx%d", &cfg.width, &cfg.height) != 2)
                return usage();
            i++;
        } else if (strcmp(a, "--exit-after") == 0 && !util_parse_i64(v, &n) && n > 0) {
            cfg.exit_after_ms = (uint64_t)n, i++;
        } else if (strcmp(a, "--idle-seconds") == 0 && !util_parse_i64(v, &n) && n > 0) {
            cfg.session.idle_ms = (uint64_t)n * 1000, i++;
        } else {
            return usage();
        }
    }
    if (!package || !authority || !kiosk_key || !journal_path)
        return usage();
    struct err e = {0};
    if (crypto_setup(&e))
        return cli_fail(PROG, &e);

    struct public_key auth;
    struct election el;
    uint8_t hash[HASH_LEN];
    struct secret_key *key = NULL;
    struct journal *j = NULL;
    char *pass = NULL;
    int rc = key_load_public(authority, KEY_AUTHORITY, &auth, &e);
    if (!rc && auth.demo && !cfg.demo)
        rc = err_set(&e, ERR_STATE,
                     "%s is a DEMO authority key: start the kiosk with --demo for a "
                     "demonstration, or provision it with the real authority key",
                     authority);
    if (rc)
        return cli_fail(PROG, &e);
    rc = package_open(package, auth.pk, cfg.demo ? PACKAGE_ALLOW_DEMO : 0, &el, hash, &e);
    if (rc)
        return cli_fail(PROG, &e);
    cfg.el = &el;
    rc = cli_passphrase("Passphrase of the kiosk key: ", passfile, false, 0, &pass, &e);
    if (!rc)
        rc = key_load_secret(kiosk_key, KEY_KIOSK, pass, &key, &e);
    cli_passphrase_free(pass);
    if (!rc && key->demo && !cfg.demo)
        rc = err_set(&e, ERR_STATE, "%s is a DEMO kiosk key: it works only with --demo", kiosk_key);
    if (!rc)
        rc = journal_open(journal_path, &el, hash, key, &j, &e);
    struct official *cred = NULL;
    struct officials_ctx oc = {
        .j = j, .el = &el, .package_hash = hash, .journal_path = journal_path};
    struct app_officials officials = {
        .ctx = &oc, .pin = officials_pin, .status = officials_status, .polls = officials_polls};
    if (!rc) {
        char state_path[4096];
        snprintf(state_path, sizeof state_path, "%s.official", journal_path);
        rc = official_open(state_path, &el, hash, NULL, &cred, &e);
        oc.j = j;
        oc.cred = cred;
        cfg.officials = &officials;
        if (!rc && cfg.demo)
            fprintf(stderr,
                    "%s: demo: officials open the menu with F12 or a 3-second press in "
                    "the top-left corner; the demo PIN is in the README\n",
                    PROG);
    }
    if (!rc) {
        cfg.cast = cast;
        cfg.cast_ctx = j;
        rc = app_run(&cfg, &e);
    }
    if (rc)
        cli_fail(PROG, &e);
    official_close(cred);
    journal_close(j);
    key_free(key);
    election_free(&el);
    return rc ? 1 : 0;
}
