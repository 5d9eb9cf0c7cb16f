/*
 * usb_fake — the scripted backend: tests (and the headless kiosk) call usb_fake_arrive and
 * usb_fake_leave, and usb_poll reports exactly what a real libusb backend would, with the
 * same mass-storage filter and the same arrival/removal bookkeeping (usb.c).
 */
#include "usb.h"

#include "usb_impl.h"
#include "util.h"

static int fake_poll(struct usb *u, int timeout_ms, struct err *e)
{
    (void)u;
    (void)timeout_ms; /* nothing can arrive while we wait: never sleep */
    (void)e;
    return 0;
}

static void fake_close(struct usb *u)
{
    (void)u;
}

static const struct usb_ops fake_ops = {fake_poll, fake_close};

int usb_fake_open(struct usb *u, struct err *e)
{
    (void)e;
    u->ops = &fake_ops;
    return 0;
}

static int fill(struct usb_stick *s, uint8_t bus, const uint8_t *ports, int nports, struct err *e)
{
    memset(s, 0, sizeof *s);
    if (nports < 1 || nports > USB_MAX_PORTS || !ports)
        return err_set(e, ERR_USAGE, "a USB device has 1 to %d port numbers", USB_MAX_PORTS);
    s->bus = bus;
    s->nports = nports;
    memcpy(s->ports, ports, (size_t)nports);
    usb_stick_name(s);
    return 0;
}

int usb_fake_arrive(struct usb *u, uint8_t bus, const uint8_t *ports, int nports, uint16_t vendor,
                    uint16_t product, const uint8_t *iface_class, int n, struct err *e)
{
    if (u->backend != USB_BACKEND_FAKE)
        return err_set(e, ERR_USAGE, "usb_fake_arrive needs the fake USB backend");
    struct usb_stick s;
    int rc = fill(&s, bus, ports, nports, e);
    if (rc)
        return rc;
    s.vendor = vendor;
    s.product = product;
    bool storage = false;
    for (int i = 0; i < n; i++)
        storage = storage || iface_class[i] == 0x08;
    if (storage)
        usb_note(u, USB_ARRIVED, &s);
    return 0;
}

int usb_fake_leave(struct usb *u, uint8_t bus, const uint8_t *ports, int nports, struct err *e)
{
    if (u->backend != USB_BACKEND_FAKE)
        return err_set(e, ERR_USAGE, "usb_fake_leave needs the fake USB backend");
    struct usb_stick s;
    int rc = fill(&s, bus, ports, nports, e);
    if (rc)
        return rc;
    usb_note(u, USB_LEFT, &s);
    return 0;
}
