/* printer — backend dispatch, jobs, status decoding, the model table and the officials'
 * messages; see printer.h.
 *
 * Invariants: at most one job; a job exists only while a printer is attached; a status
 * request (DLE EOT n) is sent only between jobs, as its own write; a job ends with every byte
 * taken by the printer, or is dropped with a failure state. */
#include "printer.h"

#include <stdio.h>
#include <time.h>

#include "printer_impl.h"
#include "util.h"

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- messages ---------------------------------------------------------------------------- */

static const char *const MSG[PRINTER_STATE_COUNT][LANG_COUNT] = {
    [PRINTER_ABSENT] = {"Aucune imprimante branchée : les rapports sont enregistrés et pourront "
                        "être imprimés plus tard.",
                        "Geen printer aangesloten: de rapporten worden bewaard en kunnen later "
                        "afgedrukt worden.",
                        "No printer connected: reports are saved and can be printed later."},
    [PRINTER_READY] = {"Imprimante prête.", "Printer klaar.", "Printer ready."},
    [PRINTER_PRINTING] = {"Impression en cours.", "Bezig met afdrukken.", "Printing."},
    [PRINTER_PAPER_LOW] = {"Le rouleau de papier est presque fini : remplacez-le bientôt.",
                           "De papierrol is bijna op: vervang hem binnenkort.",
                           "The paper roll is nearly finished: replace it soon."},
    [PRINTER_PAPER_OUT] = {"Plus de papier : mettez un nouveau rouleau, puis réimprimez le "
                           "rapport.",
                           "Het papier is op: plaats een nieuwe rol en druk het rapport "
                           "opnieuw af.",
                           "Out of paper: load a new roll, then reprint the report."},
    [PRINTER_COVER_OPEN] = {"Le capot de l'imprimante est ouvert : fermez-le, puis réimprimez "
                            "le rapport.",
                            "De klep van de printer is open: sluit ze en druk het rapport "
                            "opnieuw af.",
                            "The printer's cover is open: close it, then reprint the report."},
    [PRINTER_OFFLINE] = {"L'imprimante est hors ligne ou en erreur : vérifiez le papier et le "
                         "capot, éteignez-la et rallumez-la, puis réimprimez le rapport.",
                         "De printer is offline of in fout: controleer papier en klep, zet hem "
                         "uit en weer aan en druk het rapport opnieuw af.",
                         "The printer is offline or in error: check the paper and the cover, "
                         "switch it off and on, then reprint the report."},
    [PRINTER_NO_ANSWER] = {"L'imprimante ne prend plus rien : vérifiez son câble et son "
                           "alimentation, puis réimprimez le rapport.",
                           "De printer neemt niets meer aan: controleer kabel en voeding en "
                           "druk het rapport opnieuw af.",
                           "The printer stopped taking data: check its cable and power, then "
                           "reprint the report."},
    [PRINTER_UNPLUGGED] = {"L'imprimante a été débranchée pendant l'impression : rebranchez-la, "
                           "puis réimprimez le rapport.",
                           "De printer werd losgekoppeld tijdens het afdrukken: sluit hem weer "
                           "aan en druk het rapport opnieuw af.",
                           "The printer was disconnected while printing: reconnect it, then "
                           "reprint the report."},
};

const char *printer_message(enum printer_state s, enum lang lang)
{
    if ((unsigned)s >= PRINTER_STATE_COUNT || (unsigned)lang >= LANG_COUNT)
        return MSG[PRINTER_OFFLINE][LANG_EN];
    return MSG[s][lang];
}

const char *printer_state_name(enum printer_state s)
{
    static const char *const names[PRINTER_STATE_COUNT] = {"absent",    "ready",     "printing",
                                                           "paper-low", "paper-out", "cover-open",
                                                           "offline",   "no-answer", "unplugged"};
    return (unsigned)s < PRINTER_STATE_COUNT ? names[s] : "unknown";
}

bool printer_state_can_print(enum printer_state s)
{
    return s == PRINTER_READY || s == PRINTER_PAPER_LOW;
}

/* ---- models ------------------------------------------------------------------------------ */

/* Printers whose paper we know from their USB ids; any other class-7 printer uses the paper
 * of printer_options. hw/README.md says how to add one. */
static const struct printer_model MODELS[] = {
    {0x04B8, 0x0202, "Epson TM receipt printer (TM-T20/T70/T88)", 80, ESCPOS_CP1252, 16, true},
    {0x0416, 0x5011, "POS-58 thermal printer (POS-5890 family)", 58, ESCPOS_CP1252, 16, false},
};

const struct printer_model *printer_model_find(uint16_t vendor, uint16_t product)
{
    for (size_t i = 0; i < ARRAY_LEN(MODELS); i++)
        if (MODELS[i].vendor == vendor && MODELS[i].product == product)
            return &MODELS[i];
    return NULL;
}

/* ---- status ------------------------------------------------------------------------------ */

/* One real-time status byte (DLE EOT n): 0..255, or -1 if none came (or not a status byte),
 * or -2 if the device is gone. Stale bytes waiting on the IN endpoint are read first. */
static int status_byte(struct printer *p, uint8_t n)
{
    uint8_t junk[64];
    size_t got = 0;
    for (int i = 0; i < 8; i++) { /* drain: at most 512 stale bytes */
        int rc = p->ops->read(p, junk, sizeof junk, 1, &got);
        if (rc == PRINTER_IO_GONE)
            return -2;
        if (rc || got == 0)
            break;
    }
    const uint8_t q[3] = {0x10, 0x04, n};
    size_t sent = 0;
    int rc = p->ops->write(p, q, sizeof q, p->opts.status_timeout_ms, &sent);
    if (rc == PRINTER_IO_GONE)
        return -2;
    if (rc || sent != sizeof q)
        return -1;
    uint8_t b[64];
    rc = p->ops->read(p, b, sizeof b, p->opts.status_timeout_ms, &got);
    if (rc == PRINTER_IO_GONE)
        return -2;
    if (rc || got == 0)
        return -1;
    uint8_t s = b[got - 1];
    if ((s & 0x93) != 0x12) /* bits 1 and 4 are always on, 0 and 7 always off */
        return -1;
    return s;
}

enum printer_state printer_refresh(struct printer *p)
{
    if (p->job)
        return PRINTER_PRINTING;
    if (!p->info.attached)
        return p->state;
    if (!p->info.has_status) {
        p->state = PRINTER_READY;
        return p->state;
    }
    int s1 = status_byte(p, 1);
    int s2 = s1 >= 0 ? status_byte(p, 2) : s1;
    int s4 = s2 >= 0 ? status_byte(p, 4) : s2;
    if (s1 == -2 || s2 == -2 || s4 == -2) {
        /* the hotplug event that follows turns this into ABSENT */
        p->state = PRINTER_NO_ANSWER;
        return p->state;
    }
    if (s1 < 0 || s2 < 0 || s4 < 0) {
        /* has an IN endpoint but does not answer DLE EOT: print blind; if it has never
         * answered three times running, stop asking (each request costs a status timeout;
         * a printer still starting up gets more than one chance) */
        if (!p->answered && ++p->unanswered >= PRINTER_STATUS_TRIES)
            p->info.has_status = false;
        p->state = PRINTER_READY;
        return p->state;
    }
    p->answered = true;
    if (s2 & 0x04)
        p->state = PRINTER_COVER_OPEN;
    else if ((s4 & 0x60) == 0x60 || (s2 & 0x20))
        p->state = PRINTER_PAPER_OUT;
    else if ((s1 & 0x08) || (s2 & 0x40))
        p->state = PRINTER_OFFLINE;
    else if (s4 & 0x0C)
        p->state = PRINTER_PAPER_LOW;
    else
        p->state = PRINTER_READY;
    return p->state;
}

/* ---- lifecycle --------------------------------------------------------------------------- */

int printer_open(enum printer_backend backend, const struct printer_options *opts,
                 struct printer **out, struct err *e)
{
    *out = NULL;
    struct printer *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(e, ERR_NOMEM, "out of memory");
    p->backend = backend;
    if (opts)
        p->opts = *opts;
    if (p->opts.paper.columns == 0)
        p->opts.paper = escpos_paper_58mm();
    if (p->opts.status_timeout_ms <= 0)
        p->opts.status_timeout_ms = 200;
    if (p->opts.stall_ms <= 0)
        p->opts.stall_ms = 5000;
    p->state = PRINTER_ABSENT;
    int rc;
    switch (backend) {
    case PRINTER_BACKEND_LIBUSB:
        rc = printer_libusb_open(p, e);
        break;
    case PRINTER_BACKEND_FAKE:
        rc = printer_fake_open(p, e);
        break;
    default:
        rc = err_set(e, ERR_USAGE, "unknown printer backend %d", (int)backend);
    }
    if (rc) {
        free(p);
        return rc;
    }
    *out = p;
    return 0;
}

static void drop_job(struct printer *p)
{
    free(p->job);
    p->job = NULL;
    p->job_len = p->job_sent = 0;
}

void printer_close(struct printer *p)
{
    if (!p)
        return;
    drop_job(p);
    if (p->ops && p->ops->close)
        p->ops->close(p);
    free(p);
}

enum printer_backend printer_backend_of(const struct printer *p)
{
    return p->backend;
}

void printer_arrived(struct printer *p, const struct printer_info *info)
{
    drop_job(p);
    p->info = *info;
    p->info.attached = true;
    p->answered = false;
    p->unanswered = 0;
    const struct printer_model *m = printer_model_find(info->vendor, info->product);
    if (m) {
        p->info.paper = m->paper_mm == 80 ? escpos_paper_80mm() : escpos_paper_58mm();
        p->info.paper.codepage = m->codepage;
        p->info.paper.codepage_n = m->codepage_n;
        p->info.paper.cut = m->cut;
        snprintf(p->info.name, sizeof p->info.name, "%s", m->name);
    } else {
        p->info.paper = p->opts.paper;
        snprintf(p->info.name, sizeof p->info.name, "USB printer %04x:%04x", (unsigned)info->vendor,
                 (unsigned)info->product);
    }
    p->changed = true;
    p->state = PRINTER_READY;
    printer_refresh(p);
}

void printer_left(struct printer *p)
{
    bool had_job = p->job != NULL;
    drop_job(p);
    memset(&p->info, 0, sizeof p->info);
    p->changed = true;
    if (had_job)
        p->last_done = false;
    /* a job cut short stays visible until a printer comes back; some USB hosts report the
     * loss as an I/O error (NO_ANSWER) before the device leaves */
    bool cut_short = had_job || p->state == PRINTER_UNPLUGGED ||
                     (p->state == PRINTER_NO_ANSWER && !p->last_done);
    p->state = cut_short ? PRINTER_UNPLUGGED : PRINTER_ABSENT;
}

int printer_poll(struct printer *p, int timeout_ms, struct err *e)
{
    if (timeout_ms < 0)
        timeout_ms = 0;
    int rc = p->ops->poll(p, timeout_ms, e);
    if (rc)
        return rc;
    bool changed = p->changed;
    p->changed = false;
    return changed ? 1 : 0;
}

void printer_info(const struct printer *p, struct printer_info *out)
{
    *out = p->info;
    if (!p->info.attached)
        out->paper = p->opts.paper;
}

enum printer_state printer_state(const struct printer *p)
{
    return p->job ? PRINTER_PRINTING : p->state;
}

/* ---- jobs -------------------------------------------------------------------------------- */

enum printer_state printer_submit(struct printer *p, const uint8_t *doc, size_t len, struct err *e)
{
    if (p->job) {
        err_set(e, ERR_STATE, "the printer is still printing the previous document");
        return PRINTER_PRINTING;
    }
    if (!p->info.attached) {
        err_set(e, ERR_NOTFOUND, "%s", printer_message(p->state, LANG_EN));
        return p->state;
    }
    enum printer_state s = printer_refresh(p);
    if (!printer_state_can_print(s)) {
        err_set(e, ERR_IO, "%s", printer_message(s, LANG_EN));
        return s;
    }
    if (len == 0) {
        err_set(e, ERR_USAGE, "nothing to print");
        return s;
    }
    p->job = malloc(len);
    if (!p->job) {
        err_set(e, ERR_NOMEM, "out of memory queueing a printed document");
        return s;
    }
    memcpy(p->job, doc, len);
    p->job_len = len;
    p->job_sent = 0;
    p->job_moved_ms = now_ms();
    p->last_done = false;
    return PRINTER_PRINTING;
}

#define CHUNK 4096

enum printer_state printer_pump(struct printer *p, int budget_ms)
{
    if (!p->job)
        return p->state;
    if (budget_ms < 1)
        budget_ms = 1;
    long long start = now_ms(), deadline = start + budget_ms;
    for (;;) {
        size_t n = p->job_len - p->job_sent;
        if (n == 0)
            break;
        if (n > CHUNK)
            n = CHUNK;
        long long left = deadline - now_ms();
        if (left < 1)
            left = 1;
        size_t sent = 0;
        int rc = p->ops->write(p, p->job + p->job_sent, n, (int)left, &sent);
        p->job_sent += sent;
        if (sent > 0)
            p->job_moved_ms = now_ms();
        if (rc == PRINTER_IO_GONE) {
            drop_job(p);
            p->last_done = false;
            p->state = PRINTER_UNPLUGGED;
            return p->state;
        }
        if (rc) {
            drop_job(p);
            p->last_done = false;
            p->state = PRINTER_NO_ANSWER;
            return p->state;
        }
        if (sent < n || now_ms() >= deadline)
            break;
    }
    if (p->job_sent == p->job_len) {
        drop_job(p);
        /* every byte was taken; the paper may still have run out while it printed them */
        enum printer_state s = printer_refresh(p);
        p->last_done = printer_state_can_print(s);
        return s;
    }
    if (now_ms() - p->job_moved_ms >= p->opts.stall_ms) {
        drop_job(p);
        p->last_done = false;
        enum printer_state s = printer_refresh(p);
        if (printer_state_can_print(s) || s == PRINTER_NO_ANSWER)
            p->state = PRINTER_NO_ANSWER;
        return p->state;
    }
    return PRINTER_PRINTING;
}

void printer_progress(const struct printer *p, size_t *sent, size_t *total)
{
    *sent = p->job ? p->job_sent : 0;
    *total = p->job ? p->job_len : 0;
}

bool printer_last_job_done(const struct printer *p)
{
    return p->last_done;
}

void printer_cancel(struct printer *p)
{
    if (!p->job)
        return;
    drop_job(p);
    p->last_done = false;
    printer_refresh(p);
}
