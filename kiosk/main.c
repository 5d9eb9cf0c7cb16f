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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cli.h"
#include "key.h"
#include "package.h"
#include "printer.h"
#include "station.h"
#include "speech.h"
#include "util.h"
#include "watchdog.h"

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
            "                     [--exit-after MS] [--idle-seconds N] [--usb-root DIR]\n"
            "                     [--export-dir DIR (with --demo)] [--speech | --no-speech]\n"
            "                     [--speech-transcript FILE (with --demo)]\n"
            "                     [--printer usb|none | --printer fake [--printer-out FILE]\n"
            "                      [--printer-fault paper-out|cover-open|offline|unplugged]\n"
            "                      (with --demo)]\n");
    return 2;
}

/* ---- wiring: the screens call the station ------------------------------------------------ */

struct wiring {
    struct station *st;
    struct app_config *cfg; /* its loop ends once a package is installed */
};

static int w_cast(void *ctx, const struct vote *v, const uint8_t *token_hash, char *tracking,
                  size_t size, struct err *e)
{
    return station_cast(((struct wiring *)ctx)->st, v, token_hash, tracking, size, e);
}

static int w_pin(void *ctx, const char *pin, enum lang lang, char *out, size_t size)
{
    return station_pin(((struct wiring *)ctx)->st, pin, lang, out, size);
}

static void w_status(void *ctx, enum lang lang, int *state, char lines[STATUS_LINES][128])
{
    station_status(((struct wiring *)ctx)->st, lang, state, lines);
}

static int w_polls(void *ctx, enum polls_action a, bool confirmed, enum lang lang, char *out,
                   size_t size)
{
    return station_polls(((struct wiring *)ctx)->st, a, confirmed, lang, out, size);
}

static int w_enable(void *ctx, enum lang lang, char *out, size_t size)
{
    return station_enable(((struct wiring *)ctx)->st, lang, out, size);
}

static void w_cast_seen(void *ctx)
{
    station_cast_seen(((struct wiring *)ctx)->st);
}

static int w_interrupted(void *ctx, char *tracking, size_t size)
{
    return station_interrupted(((struct wiring *)ctx)->st, tracking, size);
}

static int w_token(void *ctx, const char *input, enum lang lang, int32_t *district,
                   uint8_t hash[TOKEN_HASH_LEN], char *out, size_t size)
{
    return station_token(((struct wiring *)ctx)->st, input, lang, district, hash, out, size);
}

static int w_export(void *ctx, enum lang lang, char *out, size_t size)
{
    return station_export(((struct wiring *)ctx)->st, lang, out, size);
}

static int w_reprint(void *ctx, enum lang lang, char *out, size_t size)
{
    return station_reprint(((struct wiring *)ctx)->st, lang, out, size);
}

static int w_receipt(void *ctx, const char *tracking, enum lang lang)
{
    return station_receipt(((struct wiring *)ctx)->st, tracking, lang);
}

static int w_receipt_state(void *ctx)
{
    return station_receipt_state(((struct wiring *)ctx)->st);
}

static int w_install(void *ctx, bool confirm, enum lang lang, char *out, size_t size)
{
    struct wiring *w = ctx;
    int rc = station_install(w->st, confirm, lang, out, size);
    if (station_installed(w->st))
        w->cfg->quit = true;
    return rc;
}

struct alive {
    struct watchdog w;
    bool watchdog, ready;
    struct station *st; /* the printer's next bytes */
};

/* After every frame: READY=1 after the first, WATCHDOG=1 after each, and the printer's
 * hotplug and next bytes. A failure to notify never stops the vote (systemd restarts a kiosk
 * that stays silent). */
static void tick(void *ctx)
{
    struct alive *a = ctx;
    struct err e = {0};
    if (a->watchdog) {
        if (!a->ready)
            a->ready = watchdog_ready(&a->w, &e) == 0;
        watchdog_ping(&a->w, &e);
    }
    if (a->st)
        station_printer_tick(a->st);
}

/* The fake printer's faults by name (--printer-fault), for demonstrations and tests. */
static int fake_fault(const char *name, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bits;
    } F[] = {{"none", 0},
             {"paper-out", PRINTER_FAKE_PAPER_OUT},
             {"paper-low", PRINTER_FAKE_PAPER_LOW},
             {"cover-open", PRINTER_FAKE_COVER_OPEN},
             {"offline", PRINTER_FAKE_OFFLINE},
             {"unplugged", 0}};
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++)
        if (!strcmp(name, F[i].name)) {
            *out = F[i].bits;
            return 0;
        }
    return -1;
}

/* The appliance starts the kiosk without options: its files are in $ISOLOIR_DATA
 * (docs/hardware.md). */
static const char *data_path(const char *given, const char *name, char *buf, size_t size)
{
    const char *data = getenv("ISOLOIR_DATA");
    if (given || !data || !*data)
        return given;
    snprintf(buf, size, "%s/%s", data, name);
    return buf;
}

int main(int argc, char **argv)
{
    const char *package = NULL, *authority = NULL, *kiosk_key = NULL, *journal_path = NULL,
               *passfile = NULL, *usb_root = NULL, *export_dir = NULL, *transcript = NULL,
               *printer_kind = NULL, *printer_out = NULL, *printer_fault = NULL;
    int speech_wanted = -1; /* -1: on for a live kiosk, off for a script */
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
        } else if (strcmp(a, "--speech") == 0) {
            speech_wanted = 1;
        } else if (strcmp(a, "--no-speech") == 0) {
            speech_wanted = 0;
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
        } else if (strcmp(a, "--usb-root") == 0) {
            usb_root = v, i++;
        } else if (strcmp(a, "--export-dir") == 0) {
            export_dir = v, i++;
        } else if (strcmp(a, "--printer") == 0) {
            printer_kind = v, i++;
        } else if (strcmp(a, "--printer-out") == 0) {
            printer_out = v, i++;
        } else if (strcmp(a, "--printer-fault") == 0) {
            printer_fault = v, i++;
        } else if (strcmp(a, "--speech-transcript") == 0) {
            transcript = v, speech_wanted = 1, i++;
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
    char dp[5][4096];
    package = data_path(package, "election.isoloir", dp[0], sizeof dp[0]);
    authority = data_path(authority, "authority.pub", dp[1], sizeof dp[1]);
    kiosk_key = data_path(kiosk_key, "kiosk.key", dp[2], sizeof dp[2]);
    journal_path = data_path(journal_path, "journal.sqlite", dp[3], sizeof dp[3]);
    if (!passfile && getenv("ISOLOIR_DATA"))
        passfile = data_path(NULL, "kiosk.passphrase", dp[4], sizeof dp[4]);
    if (!usb_root && getenv("ISOLOIR_USB_ROOT") && *getenv("ISOLOIR_USB_ROOT"))
        usb_root = getenv("ISOLOIR_USB_ROOT");
    if (!package || !authority || !kiosk_key || !journal_path)
        return usage();
    if (export_dir && !cfg.demo) {
        fprintf(stderr,
                "%s: --export-dir writes to any directory: it is for demonstrations "
                "and tests (--demo); a vote point exports to USB sticks\n",
                PROG);
        return 2;
    }
    if (!printer_kind)
        printer_kind = cfg.script ? "none" : "usb";
    unsigned faults = 0;
    if ((strcmp(printer_kind, "usb") && strcmp(printer_kind, "none") &&
         strcmp(printer_kind, "fake")) ||
        (printer_fault && fake_fault(printer_fault, &faults)))
        return usage();
    if (!strcmp(printer_kind, "fake") && !cfg.demo) {
        fprintf(stderr,
                "%s: --printer fake prints nothing: it is for demonstrations and tests "
                "(--demo)\n",
                PROG);
        return 2;
    }
    if (transcript && !cfg.demo) {
        fprintf(stderr,
                "%s: --speech-transcript writes down what the kiosk says, a voter's choices "
                "included: it is for demonstrations and tests (--demo)\n",
                PROG);
        return 2;
    }
    struct err e = {0};
    if (crypto_setup(&e))
        return cli_fail(PROG, &e);

    struct public_key auth;
    struct election el;
    uint8_t hash[HASH_LEN];
    struct secret_key *key = NULL;
    char *pass = NULL;
    int rc = station_finish_install(package, journal_path, &e);
    if (!rc)
        rc = key_load_public(authority, KEY_AUTHORITY, &auth, &e);
    if (!rc && auth.demo && !cfg.demo)
        rc = err_set(&e, ERR_STATE,
                     "%s is a DEMO authority key: start the kiosk with --demo for a "
                     "demonstration, or provision it with the real authority key",
                     authority);
    if (!rc && !auth.demo && cfg.demo)
        rc = err_set(&e, ERR_STATE,
                     "%s is a REAL authority key: --demo runs only demonstration packages and "
                     "keys, so that no real ballot goes into a journal whose screens say it does "
                     "not count. Start the kiosk without --demo for a real vote",
                     authority);
    if (rc)
        return cli_fail(PROG, &e);
    rc = package_open(package, auth.pk, cfg.demo ? PACKAGE_ALLOW_DEMO : 0, &el, hash, &e);
    if (rc)
        return cli_fail(PROG, &e);
    if (cfg.demo && !el.demo) {
        err_set(&e, ERR_STATE,
                "%s is a REAL election package: --demo runs only demonstration packages. "
                "Start the kiosk without --demo for a real vote",
                package);
        election_free(&el);
        return cli_fail(PROG, &e);
    }
    cfg.el = &el;
    rc = cli_passphrase("Passphrase of the kiosk key: ", passfile, false, 0, &pass, &e);
    if (!rc)
        rc = key_load_secret(kiosk_key, KEY_KIOSK, pass, &key, &e);
    cli_passphrase_free(pass);
    if (!rc && key->demo && !cfg.demo)
        rc = err_set(&e, ERR_STATE, "%s is a DEMO kiosk key: it works only with --demo", kiosk_key);
    if (!rc && !key->demo && cfg.demo)
        rc = err_set(&e, ERR_STATE,
                     "%s is a REAL kiosk key: --demo runs only with demonstration keys. Start "
                     "the kiosk without --demo for a real vote",
                     kiosk_key);
    /* The polls reports on paper: a receipt printer on USB, found when plugged in. Without
     * libusb hotplug the kiosk goes on without printing (the reports are saved and exported). */
    struct printer *printer = NULL;
    if (!rc && strcmp(printer_kind, "none") != 0) {
        struct err pe = {0};
        bool fake = !strcmp(printer_kind, "fake");
        if (printer_open(fake ? PRINTER_BACKEND_FAKE : PRINTER_BACKEND_LIBUSB, NULL, &printer,
                         &pe) != 0) {
            fprintf(stderr, "%s: no printing: %s\n", PROG, pe.msg);
        } else if (fake && !(printer_fault && !strcmp(printer_fault, "unplugged"))) {
            if (printer_fake_attach(printer, 0x0416, 0x5011, false, &pe) ||
                printer_fake_set_faults(printer, faults, &pe) || printer_poll(printer, 0, &pe) < 0)
                fprintf(stderr, "%s: the fake printer: %s\n", PROG, pe.msg);
        }
    }
    struct station *st = NULL;
    struct station_config sc = {.printer = printer,
                                .printer_sync = cfg.script != NULL,
                                .journal_path = journal_path,
                                .package_path = package,
                                .el = &el,
                                .package_hash = hash,
                                .kiosk_key = key,
                                .authority_pk = auth.pk,
                                .package_flags = cfg.demo ? PACKAGE_ALLOW_DEMO : 0,
                                .usb_root = usb_root,
                                .export_dir = export_dir,
                                .libusb = true};
    if (!rc)
        rc = station_open(&sc, &st, &e);
    struct wiring wiring = {.st = st, .cfg = &cfg};
    struct app_officials officials = {.ctx = &wiring,
                                      .pin = w_pin,
                                      .status = w_status,
                                      .polls = w_polls,
                                      .token = w_token,
                                      .export = w_export,
                                      .reprint = printer ? w_reprint : NULL,
                                      .install = w_install,
                                      .enable = w_enable,
                                      .interrupted = w_interrupted,
                                      .cast_seen = w_cast_seen};
    if (!rc && !printer && package_receipts_for(&el, key->pk))
        fprintf(stderr,
                "%s: the package has this kiosk print voter receipts, but printing is "
                "off: voters see their code on screen only\n",
                PROG);
    if (!rc && station_receipts(st)) { /* the package switches receipts on here */
        officials.receipt = w_receipt;
        officials.receipt_state = w_receipt_state;
    }
    if (!rc) {
        cfg.officials = &officials;
        cfg.eligibility = station_eligibility(st);
        if (cfg.demo)
            fprintf(stderr,
                    "%s: demo: officials open the menu with F12 or a 3-second press in "
                    "the top-left corner; the demo PIN is in the README\n",
                    PROG);
    }
    struct alive alive = {.st = st};
    struct err we = {0};
    alive.watchdog = !rc && watchdog_open(&alive.w, &we) == 0;
    cfg.tick = tick;
    cfg.tick_ctx = &alive;
    /* Speech for voters who cannot see the screen: headphones at a live kiosk; a script hears
     * it through a transcript. Without a sound output the kiosk still serves every other voter,
     * so a failure is said and the kiosk goes on silent. */
    struct speech *speech = NULL;
    FILE *transcript_file = NULL;
    if (!rc && (speech_wanted == 1 || (speech_wanted < 0 && !cfg.script))) {
        struct err se = {0};
        if (transcript && !(transcript_file = fopen(transcript, "w")))
            fprintf(stderr, "%s: cannot write the speech transcript %s: %s\n", PROG, transcript,
                    strerror(errno));
        struct speech_config spc = {
            .audio = !cfg.script, .transcript = transcript_file, .transcript_allowed = cfg.demo};
        if (speech_open(&speech, &spc, &se) != 0)
            fprintf(stderr, "%s: no spoken guidance: %s\n", PROG, se.msg);
        cfg.speech = speech;
    }
    if (!rc) {
        cfg.cast = w_cast;
        cfg.cast_ctx = &wiring;
        rc = app_run(&cfg, &e);
    }
    speech_close(speech);
    if (transcript_file)
        fclose(transcript_file);
    bool installed = st && station_installed(st);
    struct err ce = {0};
    int crc = station_close(st, &ce);
    if (!rc && crc) {
        rc = crc;
        e = ce;
    } else if (!rc && installed) {
        fprintf(stderr, "%s: a new package is installed; the kiosk starts again on it\n", PROG);
    }
    if (rc)
        cli_fail(PROG, &e);
    if (alive.watchdog)
        watchdog_close(&alive.w);
    if (printer && printer_out) { /* what the fake printer received, for tests */
        size_t n = 0;
        const uint8_t *bytes = printer_fake_received(printer, &n);
        FILE *f = fopen(printer_out, "wb");
        if (!f || (n && fwrite(bytes, 1, n, f) != n) || fclose(f) != 0)
            fprintf(stderr, "%s: cannot write %s\n", PROG, printer_out);
    }
    printer_close(printer);
    key_free(key);
    election_free(&el);
    return rc ? 1 : 0;
}
