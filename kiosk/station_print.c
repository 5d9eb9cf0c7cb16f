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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
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
    if (before == PRINTER_PRINTING && c->print_state != PRINTER_PRINTING)
        c->unprinted = !printer_last_job_done(c->printer);
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
