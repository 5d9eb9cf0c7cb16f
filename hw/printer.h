/*
 * printer — one ESC/POS receipt printer on USB, behind a small interface with two backends
 * chosen at run time (like hw/usb): the real one on libusb (hotplug, bulk OUT for the
 * document, bulk IN for the real-time status), and a fake for tests that records the bytes it
 * receives and lets a test inject the faults of a real printer (paper out, cover open,
 * offline, unplugged in the middle of a document, a printer that never answers).
 *
 * A printer is a USB device with an interface of class 7 (printer) that has a bulk OUT
 * endpoint; a bulk IN endpoint, when present, carries the status bytes of DLE EOT n. The
 * first such device seen is used; others wait until it leaves. Its paper (58 or 80 mm, code
 * page) comes from the table of known models (printer_model_find), else from the options.
 *
 * Never blocks the caller: every call returns within the time budget it is given (plus one
 * USB round trip), with a state. Printing is a job: printer_submit copies the document and
 * returns at once; printer_pump sends what the printer accepts within its budget (call it
 * from the UI loop, e.g. 10 ms per frame) and says where the job stands. A job that fails
 * (paper out, cover open, unplugged) is dropped and its state says why; the caller keeps the
 * document (the report file) and submits it again once the official has fixed the printer:
 * a document is printed whole or reprinted whole, never resumed in the middle.
 *
 * No thread of ours: libusb's events are handled inside printer_poll, as in hw/usb.
 * Never: send a status request in the middle of a document (it would be printed as text by
 * printers that do not know it), or keep the device claimed after it has left.
 */
#ifndef ISOLOIR_PRINTER_H
#define ISOLOIR_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "election.h"
#include "err.h"
#include "escpos.h"

enum printer_backend {
    PRINTER_BACKEND_LIBUSB = 1,
    PRINTER_BACKEND_FAKE = 2,
};

/* What the officials' screen says about the printer: one message each (printer_message). */
enum printer_state {
    PRINTER_ABSENT = 0, /* no printer attached */
    PRINTER_READY,      /* attached, nothing wrong reported (or it reports nothing) */
    PRINTER_PRINTING,   /* a job is being sent */
    PRINTER_PAPER_LOW,  /* the roll is nearly finished: it prints, change it soon */
    PRINTER_PAPER_OUT,  /* no paper: the job was dropped */
    PRINTER_COVER_OPEN, /* the cover is open: the job was dropped */
    PRINTER_OFFLINE,    /* offline or in error for another reason: the job was dropped */
    PRINTER_NO_ANSWER,  /* it stopped taking data: the job was dropped */
    PRINTER_UNPLUGGED,  /* it left (or failed) in the middle of a job: the job was dropped */
    PRINTER_STATE_COUNT,
};

/* One sentence for the officials' screen, in FR, NL or EN: what happened and what to do.
 * Never NULL (an unknown state or language gives the English text of PRINTER_OFFLINE). */
const char *printer_message(enum printer_state s, enum lang lang);
/* A short stable name ("ready", "paper-out", ...) for logs and tests. */
const char *printer_state_name(enum printer_state s);
/* True when a job could be sent now (READY or PAPER_LOW). */
bool printer_state_can_print(enum printer_state s);

/* A printer model we know: USB ids, and how to lay documents out for it. */
struct printer_model {
    uint16_t vendor, product;
    const char *name;
    unsigned paper_mm; /* 58 or 80 */
    enum escpos_codepage codepage;
    uint8_t codepage_n; /* n of ESC t n */
    bool cut;           /* has a cutter */
};

/* The known model with these ids, or NULL. */
const struct printer_model *printer_model_find(uint16_t vendor, uint16_t product);

/* Status requests a printer that never answers gets before it prints blind. */
#define PRINTER_STATUS_TRIES 3

struct printer_options {
    struct escpos_paper paper; /* for a printer not in the model table; zeroed: 58 mm */
    int status_timeout_ms;     /* how long to wait for one status byte; 0: 200 */
    int stall_ms;              /* a job that sends nothing for this long fails; 0: 5000 */
};

/* What is attached. */
struct printer_info {
    bool attached;
    uint16_t vendor, product;
    char sysname[32]; /* "1-1.4", as hw/usb names sticks */
    char name[64];    /* the model's name, or "USB printer 0416:5011" */
    bool has_status;  /* status is read back: it has a bulk IN endpoint, and has answered
                       * or not yet ignored PRINTER_STATUS_TRIES requests */
    struct escpos_paper paper;
};

struct printer;

/* Opens a backend. LIBUSB: ERR_IO if libusb cannot start or has no hotplug here (the message
 * says printing is off; the polls work without it). FAKE: always works. opts may be NULL.
 * Printers already plugged in are found by the first printer_poll. */
int printer_open(enum printer_backend backend, const struct printer_options *opts,
                 struct printer **out, struct err *e);
/* Drops any job, releases the device; NULL is fine. */
void printer_close(struct printer *p);
enum printer_backend printer_backend_of(const struct printer *p);

/* Handles hotplug events, waiting at most timeout_ms (0: do not wait). Returns 1 if a printer
 * arrived or left since the last call, 0 if not, or a negative ERR_* (libusb failed). A
 * printer that arrives is opened and its state read; one that cannot be opened (permissions,
 * claimed by another program) stays ABSENT and e says why once. */
int printer_poll(struct printer *p, int timeout_ms, struct err *e);

/* What is attached now. */
void printer_info(const struct printer *p, struct printer_info *out);

/* The last known state (no I/O). */
enum printer_state printer_state(const struct printer *p);

/* Asks the printer for its state (DLE EOT 1, 2, 4) when it is idle and has a status endpoint;
 * returns the new state (READY if it does not report status). Takes at most about three
 * status timeouts. While a job is running, returns PRINTING without asking. */
enum printer_state printer_refresh(struct printer *p);

/* Starts a job: asks the state first (printer_refresh) and refuses, with that state, unless
 * the printer can print; copies doc. Returns the state: PRINTING when the job started. e says
 * why when it did not (including ERR_STATE if a job is already running). */
enum printer_state printer_submit(struct printer *p, const uint8_t *doc, size_t len, struct err *e);

/* Sends the job's next bytes for at most budget_ms. Returns PRINTING while bytes remain, the
 * final state when the job ends (READY or PAPER_LOW: all bytes were taken by the printer; a
 * failure state: the job was dropped). Without a job, returns printer_state(). */
enum printer_state printer_pump(struct printer *p, int budget_ms);

/* Job progress: bytes sent and total (0, 0 without a job); whether the last job ended with
 * every byte sent. */
void printer_progress(const struct printer *p, size_t *sent, size_t *total);
bool printer_last_job_done(const struct printer *p);

/* Drops the running job (the printer prints what it already received). */
void printer_cancel(struct printer *p);

/* --- fake backend only (ERR_USAGE on another backend) --- */

/* Faults of the fake printer, as a real one would show them. */
enum {
    PRINTER_FAKE_PAPER_OUT = 1 << 0,  /* status says paper end; it takes no more data */
    PRINTER_FAKE_PAPER_LOW = 1 << 1,  /* status says near end; it prints */
    PRINTER_FAKE_COVER_OPEN = 1 << 2, /* status says cover open, offline; takes no data */
    PRINTER_FAKE_OFFLINE = 1 << 3,    /* status says offline (error); takes no data */
    PRINTER_FAKE_SILENT = 1 << 4,     /* never answers a status request */
    PRINTER_FAKE_STALL = 1 << 5,      /* takes no data, status says nothing wrong */
    PRINTER_FAKE_UNPLUG = 1 << 6,     /* printer_fake_fault_after only: the device leaves */
    PRINTER_FAKE_IO_ERROR = 1 << 7,   /* writes fail with a USB error (a failing cable) */
};

/* A printer arrives (with a status endpoint unless no_status) or leaves. */
int printer_fake_attach(struct printer *p, uint16_t vendor, uint16_t product, bool no_status,
                        struct err *e);
int printer_fake_detach(struct printer *p, struct err *e);
/* Sets the faults (PRINTER_FAKE_* bits) from now on. */
int printer_fake_set_faults(struct printer *p, unsigned faults, struct err *e);
/* Once it has taken `bytes` more bytes of document (at least 1), the faults `faults` are added
 * (PRINTER_FAKE_UNPLUG: the device disappears, the write fails as an unplugged device's). */
int printer_fake_fault_after(struct printer *p, size_t bytes, unsigned faults, struct err *e);
/* Each write takes at most this many bytes (0: no limit): shows jobs spread over pumps. */
int printer_fake_chunk(struct printer *p, size_t bytes, struct err *e);
/* Everything the fake printer received (documents and status requests), in order. Valid
 * until the next call on p. */
const uint8_t *printer_fake_received(const struct printer *p, size_t *len);

#endif
