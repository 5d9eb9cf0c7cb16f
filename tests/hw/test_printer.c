/* test_printer — the printer module on its fake backend: detection, a whole document through
 * jobs and pumps, status read back, and every fault a real printer shows (paper out before
 * and during a document, paper low, cover open, offline, a printer that stops taking data,
 * one that never answers status requests, unplugged in the middle of a document, no printer
 * at all). After each failure the same document prints whole once the fault is gone: a
 * failing printer never loses a report. Each call returns at once (the fake never sleeps; the
 * stall limit is set to 1 ms so a stalled job fails on the next pumps). */
#include "printer.h"
#include "printfix.h"

#define EPSON 0x04B8, 0x0202
#define OTHER 0x1234, 0x0001

static struct printer *open_fake(void)
{
    struct printer_options o = {.stall_ms = 1};
    struct printer *p = NULL;
    struct err e = {0};
    CHECK_INT(printer_open(PRINTER_BACKEND_FAKE, &o, &p, &e), 0);
    return p;
}

/* Pumps until the job ends (at most `max` pumps); returns the final state. */
static enum printer_state run(struct printer *p, int max)
{
    enum printer_state s = PRINTER_PRINTING;
    for (int i = 0; i < max && s == PRINTER_PRINTING; i++)
        s = printer_pump(p, 10);
    return s;
}

/* The last document received (before the final status requests) is doc. */
static bool ends_with(struct printer *p, const uint8_t *doc, size_t len)
{
    size_t n = 0;
    const uint8_t *r = printer_fake_received(p, &n);
    while (n >= 3 && r[n - 3] == 0x10 && r[n - 2] == 0x04)
        n -= 3;
    return n >= len && memcmp(r + n - len, doc, len) == 0;
}

/* The received bytes are status requests (DLE EOT n), then (if whole) exactly doc, then
 * status requests again; returns how many bytes came between the requests. */
static size_t doc_bytes(struct printer *p, const uint8_t *doc, size_t len, bool whole)
{
    size_t n = 0;
    const uint8_t *r = printer_fake_received(p, &n);
    size_t i = 0;
    while (i + 3 <= n && r[i] == 0x10 && r[i + 1] == 0x04)
        i += 3;
    while (n >= i + 3 && r[n - 3] == 0x10 && r[n - 2] == 0x04) /* the state read afterwards */
        n -= 3;
    size_t tail = n - i;
    if (whole) {
        CHECK_INT(tail, len);
        CHECK(tail == len && memcmp(r + i, doc, len) == 0);
    } else {
        CHECK(tail < len || (tail == len && memcmp(r + i, doc, len) != 0) || len == 0);
    }
    return tail;
}

static void test_detect_and_print(void)
{
    struct printer *p = open_fake();
    struct err e = {0};
    CHECK_INT(printer_poll(p, 0, &e), 0);
    CHECK_INT(printer_state(p), PRINTER_ABSENT);
    CHECK_INT(printer_fake_attach(p, EPSON, false, &e), 0);
    CHECK_INT(printer_poll(p, 0, &e), 1);
    CHECK_INT(printer_poll(p, 0, &e), 0);
    CHECK_INT(printer_state(p), PRINTER_READY);
    struct printer_info info;
    printer_info(p, &info);
    CHECK(info.attached && info.has_status);
    CHECK_INT(info.paper.columns, 48); /* a known 80 mm model */
    CHECK_HAS(info.name, "Epson");

    size_t len = 0;
    uint8_t *doc = pf_doc(PF_CLOSING_80, &len);
    CHECK_INT(printer_fake_chunk(p, 512, &e), 0);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING); /* one job at a time */
    CHECK_INT(e.code, ERR_STATE);
    CHECK_INT(printer_pump(p, 10), PRINTER_PRINTING);
    size_t sent, total;
    printer_progress(p, &sent, &total);
    CHECK(sent > 0 && sent < total && total == len);
    CHECK_INT(run(p, 1000), PRINTER_READY);
    CHECK(printer_last_job_done(p));
    doc_bytes(p, doc, len, true);
    free(doc);

    /* an unknown class-7 printer gets the paper of the options (58 mm by default) */
    CHECK_INT(printer_fake_detach(p, &e), 0);
    CHECK_INT(printer_poll(p, 0, &e), 1);
    CHECK_INT(printer_state(p), PRINTER_ABSENT);
    CHECK_INT(printer_fake_attach(p, OTHER, false, &e), 0);
    CHECK_INT(printer_poll(p, 0, &e), 1);
    printer_info(p, &info);
    CHECK_INT(info.paper.columns, 32);
    CHECK_HAS(info.name, "1234:0001");
    printer_close(p);
}

/* A fault found before the document starts: the job is refused, nothing of it is sent; once
 * fixed, it prints whole. */
static void check_refused(unsigned fault, enum printer_state want)
{
    struct printer *p = open_fake();
    struct err e = {0};
    printer_fake_attach(p, EPSON, false, &e);
    printer_poll(p, 0, &e);
    CHECK_INT(printer_fake_set_faults(p, fault, &e), 0);
    CHECK_INT(printer_refresh(p), want);
    size_t len = 0;
    uint8_t *doc = pf_doc(PF_ZERO_58, &len);
    CHECK_INT(printer_submit(p, doc, len, &e), want);
    CHECK_HAS(e.msg, printer_message(want, LANG_EN));
    CHECK_INT(printer_state(p), want);
    CHECK_INT(doc_bytes(p, doc, len, false), 0);
    printer_fake_set_faults(p, 0, &e);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_READY);
    doc_bytes(p, doc, len, true);
    free(doc);
    printer_close(p);
}

static void test_refused(void)
{
    check_refused(PRINTER_FAKE_PAPER_OUT, PRINTER_PAPER_OUT);
    check_refused(PRINTER_FAKE_COVER_OPEN, PRINTER_COVER_OPEN);
    check_refused(PRINTER_FAKE_OFFLINE, PRINTER_OFFLINE);
}

/* The paper runs out in the middle of a document: the job fails with PAPER_OUT, the next
 * document waits for paper, and after a new roll the whole document prints again. */
static void test_paper_out_midway(void)
{
    struct printer *p = open_fake();
    struct err e = {0};
    printer_fake_attach(p, EPSON, false, &e);
    printer_poll(p, 0, &e);
    printer_fake_chunk(p, 256, &e);
    size_t len = 0;
    uint8_t *doc = pf_doc(PF_RECEIPT_58, &len);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(printer_pump(p, 10), PRINTER_PRINTING);
    printer_fake_set_faults(p, PRINTER_FAKE_PAPER_OUT, &e);
    CHECK_INT(run(p, 100000), PRINTER_PAPER_OUT);
    CHECK(!printer_last_job_done(p));
    size_t sent, total;
    printer_progress(p, &sent, &total);
    CHECK_INT(total, 0); /* dropped */
    size_t before = 0;
    printer_fake_received(p, &before);
    CHECK(before < len);

    printer_fake_set_faults(p, 0, &e);
    CHECK_INT(printer_refresh(p), PRINTER_READY);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_READY);
    CHECK(printer_last_job_done(p));
    CHECK(ends_with(p, doc, len));
    free(doc);
    printer_close(p);
}

/* Every byte was taken, but the roll ended while printing them: not done. A nearly
 * finished roll prints, and says so. */
static void test_paper_out_after_last_byte(void)
{
    struct printer *p = open_fake();
    struct err e = {0};
    printer_fake_attach(p, EPSON, false, &e);
    printer_poll(p, 0, &e);
    size_t len = 0;
    uint8_t *doc = pf_doc(PF_ZERO_58, &len);
    CHECK_INT(printer_fake_fault_after(p, len, PRINTER_FAKE_PAPER_OUT, &e), 0);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_PAPER_OUT);
    CHECK(!printer_last_job_done(p));
    doc_bytes(p, doc, len, true); /* all taken */
    printer_close(p);

    p = open_fake();
    printer_fake_attach(p, EPSON, false, &e);
    printer_poll(p, 0, &e);
    printer_fake_fault_after(p, len / 2, PRINTER_FAKE_PAPER_LOW, &e);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_PAPER_LOW);
    CHECK(printer_last_job_done(p));
    doc_bytes(p, doc, len, true);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING); /* it still prints */
    free(doc);
    printer_close(p);
}

/* Unplugged in the middle: UNPLUGGED (not just ABSENT) until a printer comes back; then the
 * document prints whole. */
static void test_unplug_midway(void)
{
    struct printer *p = open_fake();
    struct err e = {0};
    printer_fake_attach(p, EPSON, false, &e);
    printer_poll(p, 0, &e);
    size_t len = 0;
    uint8_t *doc = pf_doc(PF_CLOSING_80, &len);
    printer_fake_fault_after(p, len / 3, PRINTER_FAKE_UNPLUG, &e);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_UNPLUGGED);
    CHECK(!printer_last_job_done(p));
    CHECK_INT(printer_poll(p, 0, &e), 1);
    CHECK_INT(printer_state(p), PRINTER_UNPLUGGED);
    struct printer_info info;
    printer_info(p, &info);
    CHECK(!info.attached);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_UNPLUGGED);
    CHECK_INT(e.code, ERR_NOTFOUND);

    printer_fake_attach(p, EPSON, false, &e);
    CHECK_INT(printer_poll(p, 0, &e), 1);
    CHECK_INT(printer_state(p), PRINTER_READY);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_READY);
    CHECK(ends_with(p, doc, len));
    free(doc);
    printer_close(p);
}

/* A USB error in the middle (a failing cable): NO_ANSWER; when the device then leaves, the
 * state says the document was cut short. */
static void test_io_error_then_gone(void)
{
    struct printer *p = open_fake();
    struct err e = {0};
    printer_fake_attach(p, EPSON, false, &e);
    printer_poll(p, 0, &e);
    size_t len = 0;
    uint8_t *doc = pf_doc(PF_ZERO_58, &len);
    printer_fake_fault_after(p, len / 2, PRINTER_FAKE_IO_ERROR, &e);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_NO_ANSWER);
    CHECK(!printer_last_job_done(p));
    printer_fake_detach(p, &e);
    CHECK_INT(printer_poll(p, 0, &e), 1);
    CHECK_INT(printer_state(p), PRINTER_UNPLUGGED);
    printer_fake_set_faults(p, 0, &e);
    printer_fake_attach(p, EPSON, false, &e);
    printer_poll(p, 0, &e);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_READY);
    CHECK(ends_with(p, doc, len));
    /* idle and unplugged: just absent */
    printer_fake_detach(p, &e);
    printer_poll(p, 0, &e);
    CHECK_INT(printer_state(p), PRINTER_ABSENT);
    free(doc);
    printer_close(p);
}

/* Takes no data and says nothing is wrong: NO_ANSWER after the stall limit. A printer that
 * never answers status requests prints blind. No printer: refused at once. */
static void test_stall_silent_absent(void)
{
    struct printer *p = open_fake();
    struct err e = {0};
    size_t len = 0;
    uint8_t *doc = pf_doc(PF_RECEIPT_58, &len);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_ABSENT);
    CHECK_INT(e.code, ERR_NOTFOUND);
    CHECK_INT(printer_pump(p, 10), PRINTER_ABSENT);

    printer_fake_attach(p, EPSON, false, &e);
    printer_poll(p, 0, &e);
    printer_fake_set_faults(p, PRINTER_FAKE_STALL, &e);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 100000), PRINTER_NO_ANSWER);
    CHECK(!printer_last_job_done(p));

    printer_fake_set_faults(p, PRINTER_FAKE_SILENT | PRINTER_FAKE_PAPER_OUT, &e);
    CHECK_INT(printer_refresh(p), PRINTER_READY); /* it says nothing: we cannot know */
    struct printer_info info;
    printer_info(p, &info);
    CHECK(info.has_status); /* it answered before: keep asking */
    printer_fake_set_faults(p, PRINTER_FAKE_SILENT, &e);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_READY);
    CHECK(printer_last_job_done(p));
    printer_close(p);

    /* one that never answered is asked PRINTER_STATUS_TRIES times, then prints blind */
    p = open_fake();
    printer_fake_attach(p, OTHER, false, &e);
    printer_fake_set_faults(p, PRINTER_FAKE_SILENT, &e);
    printer_poll(p, 0, &e); /* 1 */
    for (int i = 1; i < PRINTER_STATUS_TRIES; i++) {
        printer_info(p, &info);
        CHECK(info.has_status);
        CHECK_INT(printer_refresh(p), PRINTER_READY);
    }
    printer_info(p, &info);
    CHECK(!info.has_status);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_READY);
    size_t got = 0, asked = 3 * PRINTER_STATUS_TRIES;
    const uint8_t *rcv = printer_fake_received(p, &got);
    CHECK(got == len + asked && memcmp(rcv + asked, doc, len) == 0);
    printer_close(p);

    /* no status endpoint at all: no status request is ever sent */
    p = open_fake();
    printer_fake_attach(p, OTHER, true, &e);
    printer_poll(p, 0, &e);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p, 1000), PRINTER_READY);
    size_t n = 0;
    const uint8_t *r = printer_fake_received(p, &n);
    CHECK(n == len && memcmp(r, doc, len) == 0);
    free(doc);
    printer_close(p);
}

/* One message per state and language, all different within a language; the fake-only calls
 * refuse another backend. */
static void test_messages(void)
{
    for (int l = 0; l < LANG_COUNT; l++)
        for (int s = 0; s < PRINTER_STATE_COUNT; s++) {
            const char *m = printer_message((enum printer_state)s, (enum lang)l);
            CHECK(m && strlen(m) > 5);
            CHECK(utf8_valid(m, strlen(m)));
            for (int t = 0; t < s; t++)
                CHECK(strcmp(m, printer_message((enum printer_state)t, (enum lang)l)) != 0);
            if (l > 0)
                CHECK(strcmp(m, printer_message((enum printer_state)s, LANG_FR)) != 0);
        }
    CHECK_HAS(printer_message(PRINTER_PAPER_OUT, LANG_FR), "papier");
    CHECK_HAS(printer_message(PRINTER_COVER_OPEN, LANG_NL), "klep");
    CHECK_STR(printer_state_name(PRINTER_PAPER_OUT), "paper-out");
    CHECK(printer_model_find(0x04B8, 0x0202) != NULL);
    CHECK(printer_model_find(0xFFFF, 0xFFFF) == NULL);
}

int main(void)
{
    RUN(test_detect_and_print);
    RUN(test_refused);
    RUN(test_paper_out_midway);
    RUN(test_paper_out_after_last_byte);
    RUN(test_unplug_midway);
    RUN(test_io_error_then_gone);
    RUN(test_stall_silent_absent);
    RUN(test_messages);
    return check_done();
}
