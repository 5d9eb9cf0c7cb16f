/*
 * usb_impl — what the backends of usb.h share: the handle layout, the event queue and the
 * table of present sticks. Private to hw/usb*.c.
 */
#ifndef ISOLOIR_USB_IMPL_H
#define ISOLOIR_USB_IMPL_H

#include <stdbool.h>

#include "usb.h"

struct usb_ops {
    int (*poll)(struct usb *u, int timeout_ms, struct err *e); /* fills the queue */
    void (*close)(struct usb *u);
};

struct usb {
    enum usb_backend backend;
    const struct usb_ops *ops;
    struct usb_event queue[USB_QUEUE];
    size_t head, count; /* ring buffer */
    struct usb_stick present[USB_MAX_STICKS];
    int npresent;
    void *impl; /* backend state */
};

/* Queues an arrival (if not already present) or a removal (if present). */
void usb_note(struct usb *u, enum usb_event_kind kind, const struct usb_stick *s);

int usb_libusb_open(struct usb *u, struct err *e);
int usb_fake_open(struct usb *u, struct err *e);

#endif
