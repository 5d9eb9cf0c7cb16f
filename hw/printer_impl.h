/*
 * printer_impl — what the backends of printer.h share: the handle, the job and the calls a
 * backend makes when a printer arrives or leaves. Private to hw/printer*.c.
 */
#ifndef ISOLOIR_PRINTER_IMPL_H
#define ISOLOIR_PRINTER_IMPL_H

#include "printer.h"

/* Results of a backend's write and read. */
enum {
    PRINTER_IO_OK = 0,   /* done, or timed out: *sent / *got says how much */
    PRINTER_IO_GONE = 1, /* the device is no longer there */
    PRINTER_IO_FAIL = 2, /* a USB error other than a timeout */
};

struct printer_ops {
    /* Handles hotplug events (at most timeout_ms); calls printer_arrived / printer_left. */
    int (*poll)(struct printer *p, int timeout_ms, struct err *e);
    /* Sends at most n bytes to the bulk OUT endpoint within timeout_ms (>= 1). */
    int (*write)(struct printer *p, const uint8_t *b, size_t n, int timeout_ms, size_t *sent);
    /* Reads at most n bytes from the bulk IN endpoint within timeout_ms (>= 1). */
    int (*read)(struct printer *p, uint8_t *b, size_t n, int timeout_ms, size_t *got);
    void (*close)(struct printer *p);
};

struct printer {
    enum printer_backend backend;
    const struct printer_ops *ops;
    struct printer_options opts;
    struct printer_info info;
    enum printer_state state;
    bool changed; /* arrival or departure since the last printer_poll */
    uint8_t *job; /* the running job's bytes, or NULL */
    size_t job_len, job_sent;
    long long job_moved_ms; /* when the job last made progress */
    bool last_done;
    bool answered;       /* the attached printer has answered a status request */
    unsigned unanswered; /* status requests it left unanswered, while it never answered */
    void *impl;          /* backend state */
};

/* A backend found a printer: info is filled (attached, ids, sysname, has_status); this
 * chooses its paper and model name and reads its state. */
void printer_arrived(struct printer *p, const struct printer_info *info);
/* The attached printer left (drops a running job: state UNPLUGGED, else ABSENT). */
void printer_left(struct printer *p);

int printer_libusb_open(struct printer *p, struct err *e);
int printer_fake_open(struct printer *p, struct err *e);

#endif
