/* printer_fake — a scripted ESC/POS printer for tests: it records every byte it receives,
 * answers DLE EOT n from its faults as a real printer would, and can stop taking data, go
 * silent, or disappear after a given number of bytes. Arrivals and departures are delivered
 * by printer_poll, as the real backend's hotplug events are. Never sleeps: a write it does
 * not take returns at once with nothing sent (the job's stall timer does the rest). */
#include "printer.h"

#include <stdio.h>

#include "buf.h"
#include "printer_impl.h"
#include "util.h"

struct fake {
    bool present;             /* the device is there */
    bool arrive, leave;       /* events not yet delivered */
    struct printer_info info; /* what arrives */
    unsigned faults;
    size_t after; /* document bytes before after_faults apply; 0: not armed */
    unsigned after_faults;
    size_t chunk;
    struct buf received;
    uint8_t reply[16];
    size_t nreply;
};

static int fake_poll(struct printer *p, int timeout_ms, struct err *e)
{
    (void)timeout_ms;
    (void)e;
    struct fake *f = p->impl;
    if (f->leave) {
        f->leave = false;
        if (p->info.attached)
            printer_left(p);
    }
    if (f->arrive) {
        f->arrive = false;
        printer_arrived(p, &f->info);
    }
    return 0;
}

static uint8_t status_of(unsigned faults, uint8_t n)
{
    bool cover = faults & PRINTER_FAKE_COVER_OPEN, out = faults & PRINTER_FAKE_PAPER_OUT;
    bool offline = cover || out || (faults & PRINTER_FAKE_OFFLINE);
    uint8_t s = 0x12;
    if (n == 1 && offline)
        s |= 0x08;
    if (n == 2)
        s |= (cover ? 0x04 : 0) | (out ? 0x20 : 0) | (faults & PRINTER_FAKE_OFFLINE ? 0x40 : 0);
    if (n == 4)
        s |= (out ? 0x60 : 0) | (faults & PRINTER_FAKE_PAPER_LOW ? 0x0C : 0);
    return s;
}

static int fake_write(struct printer *p, const uint8_t *b, size_t n, int timeout_ms, size_t *sent)
{
    (void)timeout_ms;
    struct fake *f = p->impl;
    *sent = 0;
    if (!f->present)
        return PRINTER_IO_GONE;
    if (n == 3 && b[0] == 0x10 && b[1] == 0x04) { /* real time: taken even when stopped */
        buf_raw(&f->received, b, n);
        *sent = n;
        if (!(f->faults & PRINTER_FAKE_SILENT) && f->nreply < sizeof f->reply && f->info.has_status)
            f->reply[f->nreply++] = status_of(f->faults, b[2]);
        return PRINTER_IO_OK;
    }
    if (f->faults & PRINTER_FAKE_IO_ERROR)
        return PRINTER_IO_FAIL;
    if (f->faults & (PRINTER_FAKE_PAPER_OUT | PRINTER_FAKE_COVER_OPEN | PRINTER_FAKE_OFFLINE |
                     PRINTER_FAKE_STALL))
        return PRINTER_IO_OK; /* timed out, nothing taken */
    size_t take = n;
    if (f->chunk && take > f->chunk)
        take = f->chunk;
    bool fire = false;
    if (f->after) {
        if (take >= f->after) {
            take = f->after;
            fire = true;
        }
        f->after -= take;
    }
    buf_raw(&f->received, b, take);
    *sent = take;
    if (fire) {
        f->faults |= f->after_faults & ~(unsigned)PRINTER_FAKE_UNPLUG;
        if (f->after_faults & PRINTER_FAKE_UNPLUG) {
            f->present = false;
            f->leave = true;
            return PRINTER_IO_GONE;
        }
    }
    return PRINTER_IO_OK;
}

static int fake_read(struct printer *p, uint8_t *b, size_t n, int timeout_ms, size_t *got)
{
    (void)timeout_ms;
    struct fake *f = p->impl;
    *got = 0;
    if (!f->present)
        return PRINTER_IO_GONE;
    size_t k = f->nreply < n ? f->nreply : n;
    memcpy(b, f->reply, k);
    memmove(f->reply, f->reply + k, f->nreply - k);
    f->nreply -= k;
    *got = k;
    return PRINTER_IO_OK;
}

static void fake_close(struct printer *p)
{
    struct fake *f = p->impl;
    if (!f)
        return;
    buf_free(&f->received);
    free(f);
    p->impl = NULL;
}

static const struct printer_ops fake_ops = {fake_poll, fake_write, fake_read, fake_close};

int printer_fake_open(struct printer *p, struct err *e)
{
    struct fake *f = calloc(1, sizeof *f);
    if (!f)
        return err_set(e, ERR_NOMEM, "out of memory");
    buf_init(&f->received);
    p->impl = f;
    p->ops = &fake_ops;
    return 0;
}

static struct fake *fake_of(struct printer *p, const char *what, struct err *e)
{
    if (p->backend != PRINTER_BACKEND_FAKE) {
        err_set(e, ERR_USAGE, "%s needs the fake printer backend", what);
        return NULL;
    }
    return p->impl;
}

int printer_fake_attach(struct printer *p, uint16_t vendor, uint16_t product, bool no_status,
                        struct err *e)
{
    struct fake *f = fake_of(p, "printer_fake_attach", e);
    if (!f)
        return ERR_USAGE;
    memset(&f->info, 0, sizeof f->info);
    f->info.attached = true;
    f->info.vendor = vendor;
    f->info.product = product;
    f->info.has_status = !no_status;
    snprintf(f->info.sysname, sizeof f->info.sysname, "1-2");
    f->present = true;
    f->arrive = true;
    f->nreply = 0;
    return 0;
}

int printer_fake_detach(struct printer *p, struct err *e)
{
    struct fake *f = fake_of(p, "printer_fake_detach", e);
    if (!f)
        return ERR_USAGE;
    f->present = false;
    f->arrive = false;
    f->leave = true;
    return 0;
}

int printer_fake_set_faults(struct printer *p, unsigned faults, struct err *e)
{
    struct fake *f = fake_of(p, "printer_fake_set_faults", e);
    if (!f)
        return ERR_USAGE;
    f->faults = faults;
    return 0;
}

int printer_fake_fault_after(struct printer *p, size_t bytes, unsigned faults, struct err *e)
{
    struct fake *f = fake_of(p, "printer_fake_fault_after", e);
    if (!f)
        return ERR_USAGE;
    f->after = bytes;
    f->after_faults = faults;
    return 0;
}

int printer_fake_chunk(struct printer *p, size_t bytes, struct err *e)
{
    struct fake *f = fake_of(p, "printer_fake_chunk", e);
    if (!f)
        return ERR_USAGE;
    f->chunk = bytes;
    return 0;
}

const uint8_t *printer_fake_received(const struct printer *p, size_t *len)
{
    *len = 0;
    if (p->backend != PRINTER_BACKEND_FAKE)
        return NULL;
    const struct fake *f = p->impl;
    *len = f->received.len;
    return f->received.data;
}
