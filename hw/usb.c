/*
 * usb — backend dispatch, the event queue and the present-stick table; see usb.h.
 *
 * Invariants: an arrival is queued once per stick until it leaves; a removal only for a
 * stick that arrived; the queue drops its oldest event when full (the kiosk re-reads the
 * present sticks from mounts anyway).
 */
#include "usb.h"

#include <stdio.h>

#include "usb_impl.h"
#include "util.h"

void usb_stick_name(struct usb_stick *s)
{
    if (s->nports <= 0) {
        snprintf(s->sysname, sizeof s->sysname, "usb%u", (unsigned)s->bus);
        return;
    }
    size_t off = (size_t)snprintf(s->sysname, sizeof s->sysname, "%u-", (unsigned)s->bus);
    for (int i = 0; i < s->nports && i < USB_MAX_PORTS && off < sizeof s->sysname; i++)
        off += (size_t)snprintf(s->sysname + off, sizeof s->sysname - off, "%s%u", i ? "." : "",
                                (unsigned)s->ports[i]);
}

static bool same_place(const struct usb_stick *a, const struct usb_stick *b)
{
    return a->bus == b->bus && a->nports == b->nports &&
           memcmp(a->ports, b->ports, (size_t)a->nports) == 0;
}

static void enqueue(struct usb *u, enum usb_event_kind kind, const struct usb_stick *s)
{
    if (u->count == USB_QUEUE) { /* drop the oldest */
        u->head = (u->head + 1) % USB_QUEUE;
        u->count--;
    }
    struct usb_event *ev = &u->queue[(u->head + u->count) % USB_QUEUE];
    ev->kind = kind;
    ev->stick = *s;
    u->count++;
}

void usb_note(struct usb *u, enum usb_event_kind kind, const struct usb_stick *s)
{
    int at = -1;
    for (int i = 0; i < u->npresent; i++)
        if (same_place(&u->present[i], s))
            at = i;
    if (kind == USB_ARRIVED) {
        if (at >= 0 || u->npresent >= USB_MAX_STICKS)
            return;
        u->present[u->npresent++] = *s;
        enqueue(u, USB_ARRIVED, s);
    } else {
        if (at < 0)
            return;
        struct usb_stick gone = u->present[at]; /* with the ids seen at arrival */
        u->present[at] = u->present[--u->npresent];
        enqueue(u, USB_LEFT, &gone);
    }
}

int usb_open(enum usb_backend backend, struct usb **out, struct err *e)
{
    *out = NULL;
    struct usb *u = calloc(1, sizeof *u);
    if (!u)
        return err_set(e, ERR_NOMEM, "out of memory");
    u->backend = backend;
    int rc;
    switch (backend) {
    case USB_BACKEND_LIBUSB:
        rc = usb_libusb_open(u, e);
        break;
    case USB_BACKEND_FAKE:
        rc = usb_fake_open(u, e);
        break;
    default:
        rc = err_set(e, ERR_USAGE, "unknown USB backend %d", (int)backend);
    }
    if (rc) {
        free(u);
        return rc;
    }
    *out = u;
    return 0;
}

int usb_poll(struct usb *u, int timeout_ms, struct usb_event *events, size_t max, struct err *e)
{
    if (timeout_ms < 0)
        timeout_ms = 0;
    int rc = u->ops->poll(u, u->count ? 0 : timeout_ms, e);
    if (rc)
        return rc;
    size_t n = 0;
    while (n < max && u->count > 0) {
        events[n++] = u->queue[u->head];
        u->head = (u->head + 1) % USB_QUEUE;
        u->count--;
    }
    return (int)n;
}

void usb_close(struct usb *u)
{
    if (!u)
        return;
    if (u->ops && u->ops->close)
        u->ops->close(u);
    free(u);
}

enum usb_backend usb_backend_of(const struct usb *u)
{
    return u->backend;
}
