/*
 * usb — USB mass-storage sticks arriving and leaving, behind one small interface with two
 * backends chosen at run time (like SQLite's os_*.c): the real one on libusb hotplug, and a
 * scripted fake for tests above the driver.
 *
 * Use: usb_open once, then call usb_poll from the kiosk loop (timeout 0 never blocks); it
 * returns the arrivals and removals since the last call. Sticks already present when
 * usb_open runs are reported as arrivals by the first poll. A device counts as a stick when
 * one of its interfaces (or the device itself) has class 0x08 (mass storage); other devices
 * are ignored. A removal is reported only for a device whose arrival was reported. Which
 * filesystem a stick carries is the job of hw/mounts (usb_stick.sysname is its key).
 *
 * No thread of ours: libusb's events are handled inside usb_poll
 * (libusb_handle_events_timeout_completed); on Linux libusb itself runs a small thread that
 * watches udev and queues hotplug events until that call delivers them.
 * Never: open, claim or send anything to a device (the kernel's usb-storage driver owns it).
 */
#ifndef ISOLOIR_USB_H
#define ISOLOIR_USB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define USB_MAX_PORTS  7  /* USB 3 allows a depth of 7 */
#define USB_MAX_STICKS 16 /* sticks tracked at once; more are ignored */
#define USB_QUEUE      64 /* events kept between two polls; older ones are dropped */

enum usb_backend {
    USB_BACKEND_LIBUSB = 1,
    USB_BACKEND_FAKE = 2,
};

enum usb_event_kind {
    USB_ARRIVED = 1,
    USB_LEFT = 2,
};

struct usb_stick {
    uint8_t bus;
    uint8_t address;
    uint8_t ports[USB_MAX_PORTS];
    int nports;
    char sysname[32]; /* sysfs name: "<bus>-<port>.<port>...", e.g. "1-1.4" */
    uint16_t vendor, product;
};

struct usb_event {
    enum usb_event_kind kind;
    struct usb_stick stick;
};

struct usb;

/* Opens a backend. LIBUSB: ERR_IO if libusb cannot start or has no hotplug support here
 * (message says so). FAKE: always works. *out is freed with usb_close. */
int usb_open(enum usb_backend backend, struct usb **out, struct err *e);

/* Waits at most timeout_ms (0: do not wait) for USB events, then copies at most max pending
 * events into events, oldest first. Returns how many, or a negative ERR_* (libusb failure).
 * Events beyond max stay queued for the next call. */
int usb_poll(struct usb *u, int timeout_ms, struct usb_event *events, size_t max, struct err *e);

/* Releases everything; NULL is fine. */
void usb_close(struct usb *u);

/* Which backend u is. */
enum usb_backend usb_backend_of(const struct usb *u);

/* Fake backend only (ERR_USAGE on another backend): script a stick arriving or leaving. The
 * fake ignores a device whose interface classes (iface_class, n) hold no 0x08, exactly like
 * the real backend. sysname is derived from bus and ports. */
int usb_fake_arrive(struct usb *u, uint8_t bus, const uint8_t *ports, int nports, uint16_t vendor,
                    uint16_t product, const uint8_t *iface_class, int n, struct err *e);
int usb_fake_leave(struct usb *u, uint8_t bus, const uint8_t *ports, int nports, struct err *e);

/* Fills s->sysname from s->bus and s->ports ("1-1.4"); an empty port list gives "usb1". */
void usb_stick_name(struct usb_stick *s);

#endif
