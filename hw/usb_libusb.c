/*
 * usb_libusb — the real backend: libusb hotplug callbacks, serviced from usb_poll with
 * libusb_handle_events_timeout_completed (no thread of ours).
 *
 * The callback runs inside libusb's event handling, so it only reads descriptors libusb
 * already holds (device and configuration descriptors come from sysfs on Linux: no I/O to
 * the device) and records the event; it never opens the device.
 */
#include "usb.h"

#include <libusb.h>
#include <stdbool.h>
#include <sys/time.h>

#include "usb_impl.h"
#include "util.h"

struct lu {
    libusb_context *ctx;
    libusb_hotplug_callback_handle handle;
    bool registered;
};

/* Device class 0x08, or an interface (any alternate setting, any configuration) of class
 * 0x08. */
static bool is_mass_storage(libusb_device *dev)
{
    struct libusb_device_descriptor dd;
    if (libusb_get_device_descriptor(dev, &dd) != 0)
        return false;
    if (dd.bDeviceClass == LIBUSB_CLASS_MASS_STORAGE)
        return true;
    bool found = false;
    for (uint8_t c = 0; c < dd.bNumConfigurations && !found; c++) {
        struct libusb_config_descriptor *cfg = NULL;
        if (libusb_get_config_descriptor(dev, c, &cfg) != 0 || !cfg)
            continue;
        for (int i = 0; i < cfg->bNumInterfaces && !found; i++) {
            const struct libusb_interface *it = &cfg->interface[i];
            for (int a = 0; a < it->num_altsetting && !found; a++)
                found = it->altsetting[a].bInterfaceClass == LIBUSB_CLASS_MASS_STORAGE;
        }
        libusb_free_config_descriptor(cfg);
    }
    return found;
}

static void describe(libusb_device *dev, struct usb_stick *s)
{
    memset(s, 0, sizeof *s);
    s->bus = libusb_get_bus_number(dev);
    s->address = libusb_get_device_address(dev);
    int n = libusb_get_port_numbers(dev, s->ports, USB_MAX_PORTS);
    s->nports = n > 0 ? n : 0;
    struct libusb_device_descriptor dd;
    if (libusb_get_device_descriptor(dev, &dd) == 0) {
        s->vendor = dd.idVendor;
        s->product = dd.idProduct;
    }
    usb_stick_name(s);
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *user)
{
    (void)ctx;
    struct usb *u = user;
    struct usb_stick s;
    describe(dev, &s);
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) {
        if (s.nports > 0 && is_mass_storage(dev))
            usb_note(u, USB_ARRIVED, &s);
    } else if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT) {
        usb_note(u, USB_LEFT, &s); /* ignored unless it arrived as a stick */
    }
    return 0; /* stay registered */
}

static int lu_poll(struct usb *u, int timeout_ms, struct err *e)
{
    struct lu *l = u->impl;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int r = libusb_handle_events_timeout_completed(l->ctx, &tv, NULL);
    if (r != 0 && r != LIBUSB_ERROR_INTERRUPTED && r != LIBUSB_ERROR_TIMEOUT)
        return err_set(e, ERR_IO, "USB event handling failed: %s", libusb_strerror(r));
    return 0;
}

static void lu_close(struct usb *u)
{
    struct lu *l = u->impl;
    if (!l)
        return;
    if (l->registered)
        libusb_hotplug_deregister_callback(l->ctx, l->handle);
    if (l->ctx)
        libusb_exit(l->ctx);
    free(l);
    u->impl = NULL;
}

static const struct usb_ops lu_ops = {lu_poll, lu_close};

int usb_libusb_open(struct usb *u, struct err *e)
{
    struct lu *l = calloc(1, sizeof *l);
    if (!l)
        return err_set(e, ERR_NOMEM, "out of memory");
    u->impl = l;
    u->ops = &lu_ops;
    int rc = 0;
    int r = libusb_init(&l->ctx);
    if (r != 0) {
        l->ctx = NULL;
        rc = err_set(e, ERR_IO,
                     "cannot start USB detection (libusb: %s): USB sticks will not be seen; "
                     "check that /dev/bus/usb and /sys are available",
                     libusb_strerror(r));
        goto fail;
    }
    if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
        rc = err_set(e, ERR_IO, "this libusb has no hotplug support: USB sticks will not be seen");
        goto fail;
    }
    /* ENUMERATE: sticks already plugged in arrive now, through the same callback. */
    r = libusb_hotplug_register_callback(
        l->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
        LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, u, &l->handle);
    if (r != 0) {
        rc = err_set(e, ERR_IO, "cannot watch for USB sticks (libusb: %s)", libusb_strerror(r));
        goto fail;
    }
    l->registered = true;
    return 0;

fail:
    lu_close(u);
    return rc;
}
