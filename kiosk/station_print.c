/*
 * station_print — the polls reports on paper (hw/printer, hw/escpos).
 *
 * Every report the station makes (zero, pause, resume, closing) is also laid out at the
 * attached printer's width and printed; the last one is kept so that officials can print it
 * again ("Reprint the last report"), for instance after changing the paper roll. Printing
 * never blocks the polls: a missing or failing printer leaves the report saved beside the
 * journal and on screen, the officials' status says what the printer reports, and the report
 * can be printed later. The printed text is the report file's text (the same facts), only
 * narrower.
 *
 * Voter receipts, where the package switches them on for this kiosk: the voter asks on the
 * "recorded" screen, the receipt is laid out from the code on that screen and handed to the
 * printer, and nothing of it is kept here, so a receipt can never be printed twice nor reach
 * the next voter. A receipt that fails is not retried (the code stays on the voter's screen).
 * A report that comes while a receipt is printing waits for its end (the printer takes one job
 * at a time); it is never dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "catalog.h"
#include "package.h"
#include "station_int.h"

/* Starts printing the last report; sync (scripts, the fake printer) waits for the end. */
static enum printer_state print_last(struct station *c)
{
    if (!c->printer)
        return PRINTER_ABSENT;
    struct printer_info pi;
    printer_info(c->printer, &pi);
    if (!pi.attached)
        return c->print_state = PRINTER_ABSENT;
    if (c->receipt_job && c->receipt == RECEIPT_PRINTING) {
        /* one job at a time: station_printer_tick prints the report after the receipt */
        c->report_waiting = true;
        c->unprinted = true;
        return c->print_state = PRINTER_PRINTING;
    }
    c->report_waiting = false;
    char *text = NULL;
    uint8_t *bytes = NULL;
    size_t len = 0, n = 0;
    struct err e = {0};
    enum printer_state st;
    if (polls_report_render(&c->last, c->last_lang, pi.paper.columns, &text, &len, &e) != 0 ||
        escpos_report_bytes(text, len, &pi.paper, &bytes, &n, &e) != 0) {
        fprintf(stderr, "isoloir-kiosk: the report could not be laid out for the printer: %s\n",
                e.msg);
        st = PRINTER_OFFLINE;
    } else {
        st = printer_submit(c->printer, bytes, n, &e);
        for (int guard = 0; c->printer_sync && st == PRINTER_PRINTING && guard < 1000; guard++)
            st = printer_pump(c->printer, 50);
        if (e.msg[0])
            fprintf(stderr, "isoloir-kiosk: printer: %s\n", e.msg);
    }
    free(text);
    free(bytes);
    c->receipt_job = false;
    c->print_state = st;
    c->unprinted = !(st == PRINTER_PRINTING || printer_last_job_done(c->printer));
    return st;
}

void station_print_report(struct station *c, const struct polls_report_input *in, enum lang lang)
{
    c->last = *in;
    c->last_lang = lang;
    c->have_last = true;
    print_last(c);
}

int station_reprint(struct station *c, enum lang lang, char *out, size_t size)
{
    if (!c->printer) {
        snprintf(out, size, "%s", msg(M_PRINT_NO_PRINTER, lang));
        return 0;
    }
    if (!c->have_last) {
        snprintf(out, size, "%s", msg(M_PRINT_NOTHING, lang));
        return 0;
    }
    c->last_lang = lang; /* the officials' language now */
    enum printer_state st = print_last(c);
    snprintf(out, size, "%s",
             st == PRINTER_PRINTING || (!c->unprinted && printer_state_can_print(st))
                 ? msg(M_PRINT_STARTED, lang)
                 : printer_message(st, lang));
    return st == PRINTER_PRINTING || !c->unprinted;
}

void station_printer_tick(struct station *c)
{
    if (!c->printer)
        return;
    struct err e = {0};
    if (printer_poll(c->printer, 0, &e) < 0 || e.msg[0])
        fprintf(stderr, "isoloir-kiosk: printer: %s\n", e.msg);
    enum printer_state before = c->print_state;
    c->print_state = printer_pump(c->printer, 10);
    if (before != PRINTER_PRINTING || c->print_state == PRINTER_PRINTING)
        return;
    if (!c->receipt_job) {
        c->unprinted = !printer_last_job_done(c->printer);
        return;
    }
    c->receipt_job = false;
    c->receipt = printer_last_job_done(c->printer) ? RECEIPT_PRINTED : RECEIPT_FAILED;
    if (c->receipt == RECEIPT_FAILED)
        fprintf(stderr,
                "isoloir-kiosk: a voter's receipt was not printed (%s); it is not "
                "printed again\n",
                printer_state_name(c->print_state));
    if (c->report_waiting)
        print_last(c);
}

bool station_receipts(const struct station *c)
{
    return c->printer && c->el->publication_url[0] && package_receipts_for(c->el, c->key->pk);
}

int station_receipt(struct station *c, const char *tracking, enum lang lang)
{
    if (!station_receipts(c) || !tracking || !tracking[0])
        return c->receipt = RECEIPT_FAILED;
    struct printer_info pi;
    printer_info(c->printer, &pi);
    struct escpos_receipt r = {.election_name = text_get(&c->el->name, lang),
                               .tracking = tracking,
                               .address = c->el->publication_url};
    uint8_t *bytes = NULL;
    size_t n = 0;
    struct err e = {0};
    enum printer_state st = PRINTER_ABSENT;
    if (!pi.attached) {
        snprintf(e.msg, sizeof e.msg, "%s", printer_message(PRINTER_ABSENT, LANG_EN));
    } else if (escpos_receipt_bytes(&r, lang, &pi.paper, &bytes, &n, &e) != 0) {
        st = PRINTER_OFFLINE;
    } else {
        size_t sent = 0, total = 0;
        printer_progress(c->printer, &sent, &total);
        if (total) /* one job at a time; the voter is not kept waiting */
            snprintf(e.msg, sizeof e.msg, "the printer is still printing the previous document");
        else
            st = printer_submit(c->printer, bytes, n, &e);
    }
    if (bytes)
        sodium_memzero(bytes, n); /* the code leaves no copy here */
    free(bytes);
    if (st != PRINTER_PRINTING) {
        fprintf(stderr, "isoloir-kiosk: a voter's receipt cannot be printed: %s\n",
                e.msg[0] ? e.msg : printer_state_name(st));
        if (pi.attached && st != PRINTER_ABSENT)
            c->print_state = st;
        return c->receipt = RECEIPT_FAILED;
    }
    c->print_state = PRINTER_PRINTING;
    c->receipt_job = true;
    c->receipt = RECEIPT_PRINTING;
    for (int guard = 0; c->printer_sync && c->print_state == PRINTER_PRINTING && guard < 1000;
         guard++)
        station_printer_tick(c);
    return c->receipt;
}

int station_receipt_state(const struct station *c)
{
    if (!station_receipts(c))
        return RECEIPT_OFF;
    struct printer_info pi;
    printer_info(c->printer, &pi);
    if (c->receipt == RECEIPT_PRINTING || pi.attached)
        return c->receipt;
    return RECEIPT_OFF;
}

void station_printer_line(struct station *c, enum lang lang, char *line, size_t size)
{
    if (!c->printer) {
        line[0] = '\0';
        return;
    }
    enum printer_state st =
        c->print_state == PRINTER_PRINTING ? PRINTER_PRINTING : printer_state(c->printer);
    snprintf(line, size, msg(M_ST_PRINTER, lang), printer_message(st, lang));
    if (c->unprinted && c->have_last && st != PRINTER_PRINTING) {
        size_t k = strlen(line);
        snprintf(line + k, size - k, " %s", msg(M_ST_UNPRINTED, lang));
    }
}
