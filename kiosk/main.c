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
#include <time.h>

#include "app.h"
#include "cli.h"
#include "journal.h"
#include "keys.h"
#include "package.h"
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
    struct journal_status st;
    if (!rc) {
        journal_status(j, &st);
        if (st.state == JOURNAL_NOT_OPENED && cfg.demo) {
            /* demo only: there is no official to open the polls */
            rc = journal_open_polls(j, (int64_t)time(NULL), &e);
            if (!rc)
                fprintf(stderr, "%s: demo: polls opened (zero report: 0 ballots)\n", PROG);
            journal_status(j, &st);
        }
        if (!rc && st.state != JOURNAL_OPEN)
            rc = err_set(&e, ERR_STATE,
                         "polls are %s on this kiosk: voters cannot vote; an official opens or "
                         "resumes them from the officials' menu",
                         journal_state_name(st.state));
    }
    if (!rc) {
        cfg.cast = cast;
        cfg.cast_ctx = j;
        rc = app_run(&cfg, &e);
    }
    if (rc)
        cli_fail(PROG, &e);
    journal_close(j);
    key_free(key);
    election_free(&el);
    return rc ? 1 : 0;
}
