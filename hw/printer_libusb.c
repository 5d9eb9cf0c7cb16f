/* printer_libusb — the real backend: libusb hotplug finds USB printers (an interface of class
 * 7 with a bulk OUT endpoint), and synchronous bulk transfers with a timeout carry documents
 * and status bytes.
 *
 * The hotplug callback runs inside libusb's event handling, where synchronous I/O is not
 * allowed: it only reads the descriptors libusb already holds and remembers the device (one
 * reference). printer_poll then opens it, detaching the kernel's usblp driver if it is bound
 * (libusb's auto-detach gives it back when we release the interface), and claims the
 * interface. A device that leaves is closed at once. */
#include "printer.h"

#include <libusb.h>
#include <stdio.h>
#include <sys/time.h>

#include "printer_impl.h"
#include "usb.h"
#include "util.h"

struct lp {
    libusb_context *ctx;
    libusb_hotplug_callback_handle handle;
    bool registered;
    libusb_device *pending[8]; /* arrived, not yet opened (referenced) */
    int npending;
    libusb_device *dev; /* the printer in use (referenced), or NULL */
    libusb_device_handle *h;
    int iface, alt;
    uint8_t ep_out, ep_in; /* ep_in 0: no status */
    bool left;             /* dev left: close it in poll */
    char open_error[200];
};

struct found {
    int iface, alt;
    uint8_t ep_out, ep_in;
};

/* The first interface setting of class 7 with a bulk OUT endpoint. */
static bool find_printer_iface(libusb_device *dev, struct found *f)
{
    struct libusb_config_descriptor *cfg = NULL;
    if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
        libusb_get_config_descriptor(dev, 0, &cfg) != 0)
        return false;
    bool ok = false;
    for (int i = 0; i < cfg->bNumInterfaces && !ok; i++) {
        const struct libusb_interface *it = &cfg->interface[i];
        for (int a = 0; a < it->num_altsetting && !ok; a++) {
            const struct libusb_interface_descriptor *d = &it->altsetting[a];
            if (d->bInterfaceClass != LIBUSB_CLASS_PRINTER)
                continue;
            f->ep_out = f->ep_in = 0;
            for (int k = 0; k < d->bNumEndpoints; k++) {
                const struct libusb_endpoint_descriptor *ep = &d->endpoint[k];
                if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_BULK)
                    continue;
                if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) {
                    if (!f->ep_in)
                        f->ep_in = ep->bEndpointAddress;
                } else if (!f->ep_out) {
                    f->ep_out = ep->bEndpointAddress;
                }
            }
            if (f->ep_out) {
                f->iface = d->bInterfaceNumber;
                f->alt = d->bAlternateSetting;
                ok = true;
            }
        }
    }
    libusb_free_config_descriptor(cfg);
    return ok;
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
                                  libusb_hotplug_event event, void *user)
{
    (void)ctx;
    struct printer *p = user;
    struct lp *l = p->impl;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) {
        struct found f;
        if (l->npending < (int)ARRAY_LEN(l->pending) && find_printer_iface(dev, &f))
            l->pending[l->npending++] = libusb_ref_device(dev);
    } else if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT) {
        if (dev == l->dev)
            l->left = true;
        for (int i = 0; i < l->npending; i++)
            if (l->pending[i] == dev) {
                libusb_unref_device(dev);
                l->pending[i] = l->pending[--l->npending];
                break;
            }
    }
    return 0;
}

static void release(struct lp *l)
{
    if (l->h) {
        libusb_release_interface(l->h, l->iface); /* fails harmlessly if it left */
        libusb_close(l->h);
        l->h = NULL;
    }
    if (l->dev) {
        libusb_unref_device(l->dev);
        l->dev = NULL;
    }
    l->left = false;
}

/* Opens and claims dev; on failure says why in l->open_error. */
static bool take(struct printer *p, libusb_device *dev)
{
    struct lp *l = p->impl;
    struct found f;
    if (!find_printer_iface(dev, &f))
        return false;
    libusb_device_handle *h = NULL;
    int r = libusb_open(dev, &h);
    if (r == 0) {
        libusb_set_auto_detach_kernel_driver(h, 1);
        r = libusb_claim_interface(h, f.iface);
        if (r == 0 && f.alt != 0)
            r = libusb_set_interface_alt_setting(h, f.iface, f.alt);
        if (r != 0) {
            libusb_close(h);
            h = NULL;
        }
    }
    if (r != 0) {
        snprintf(l->open_error, sizeof l->open_error,
                 "a USB printer was found but cannot be used (libusb: %s): check the udev rule "
                 "that gives the kiosk access to printers",
                 libusb_strerror(r));
        return false;
    }
    l->dev = libusb_ref_device(dev);
    l->h = h;
    l->iface = f.iface;
    l->alt = f.alt;
    l->ep_out = f.ep_out;
    l->ep_in = f.ep_in;
    l->left = false;

    struct printer_info info;
    memset(&info, 0, sizeof info);
    info.attached = true;
    struct libusb_device_descriptor dd;
    if (libusb_get_device_descriptor(dev, &dd) == 0) {
        info.vendor = dd.idVendor;
        info.product = dd.idProduct;
    }
    struct usb_stick where; /* hw/usb names places the same way for sticks */
    memset(&where, 0, sizeof where);
    where.bus = libusb_get_bus_number(dev);
    int n = libusb_get_port_numbers(dev, where.ports, USB_MAX_PORTS);
    where.nports = n > 0 ? n : 0;
    usb_stick_name(&where);
    snprintf(info.sysname, sizeof info.sysname, "%s", where.sysname);
    info.has_status = f.ep_in != 0;
    printer_arrived(p, &info);
    return true;
}

static int lp_poll(struct printer *p, int timeout_ms, struct err *e)
{
    struct lp *l = p->impl;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int r = libusb_handle_events_timeout_completed(l->ctx, &tv, NULL);
    if (r != 0 && r != LIBUSB_ERROR_INTERRUPTED && r != LIBUSB_ERROR_TIMEOUT)
        return err_set(e, ERR_IO, "USB event handling failed: %s", libusb_strerror(r));
    if (l->left) {
        release(l);
        printer_left(p);
    }
    l->open_error[0] = '\0';
    /* oldest first; while a printer is in use, the others wait for it to leave; one that
     * cannot be opened is forgotten (its error is reported once) until it is plugged again */
    int keep = 0;
    for (int i = 0; i < l->npending; i++) {
        libusb_device *dev = l->pending[i];
        if (l->dev) {
            l->pending[keep++] = dev;
            continue;
        }
        take(p, dev);
        libusb_unref_device(dev);
    }
    l->npending = keep;
    if (l->open_error[0])
        return err_set(e, ERR_PERM, "%s", l->open_error);
    return 0;
}

static int map_error(int r)
{
    if (r == 0 || r == LIBUSB_ERROR_TIMEOUT)
        return PRINTER_IO_OK;
    if (r == LIBUSB_ERROR_NO_DEVICE)
        return PRINTER_IO_GONE;
    return PRINTER_IO_FAIL;
}

static int lp_write(struct printer *p, const uint8_t *b, size_t n, int timeout_ms, size_t *sent)
{
    struct lp *l = p->impl;
    *sent = 0;
    if (!l->h || l->left)
        return PRINTER_IO_GONE;
    int done = 0;
    int r = libusb_bulk_transfer(l->h, l->ep_out, (unsigned char *)b, (int)n, &done,
                                 (unsigned)(timeout_ms > 0 ? timeout_ms : 1));
    *sent = done > 0 ? (size_t)done : 0;
    return map_error(r);
}

static int lp_read(struct printer *p, uint8_t *b, size_t n, int timeout_ms, size_t *got)
{
    struct lp *l = p->impl;
    *got = 0;
    if (!l->h || l->left)
        return PRINTER_IO_GONE;
    if (!l->ep_in)
        return PRINTER_IO_OK;
    int done = 0;
    int r = libusb_bulk_transfer(l->h, l->ep_in, b, (int)n, &done,
                                 (unsigned)(timeout_ms > 0 ? timeout_ms : 1));
    *got = done > 0 ? (size_t)done : 0;
    if (r == LIBUSB_ERROR_OVERFLOW)
        return PRINTER_IO_OK;
    return map_error(r);
}

static void lp_close(struct printer *p)
{
    struct lp *l = p->impl;
    if (!l)
        return;
    release(l);
    for (int i = 0; i < l->npending; i++)
        libusb_unref_device(l->pending[i]);
    if (l->registered)
        libusb_hotplug_deregister_callback(l->ctx, l->handle);
    if (l->ctx)
        libusb_exit(l->ctx);
    free(l);
    p->impl = NULL;
}

static const struct printer_ops lp_ops = {lp_poll, lp_write, lp_read, lp_close};

int printer_libusb_open(struct printer *p, struct err *e)
{
    struct lp *l = calloc(1, sizeof *l);
    if (!l)
        return err_set(e, ERR_NOMEM, "out of memory");
    p->impl = l;
    p->ops = &lp_ops;
    int rc = 0;
    int r = libusb_init(&l->ctx);
    if (r != 0) {
        l->ctx = NULL;
        rc = err_set(e, ERR_IO,
                     "cannot start USB for the printer (libusb: %s): printing is off, the polls "
                     "work without it",
                     libusb_strerror(r));
        goto fail;
    }
    if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
        rc = err_set(e, ERR_IO, "this libusb has no hotplug support: printing is off");
        goto fail;
    }
    r = libusb_hotplug_register_callback(
        l->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
        LIBUSB_HOTPLUG_ENUMERATE, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, p, &l->handle);
    if (r != 0) {
        rc = err_set(e, ERR_IO, "cannot watch for USB printers (libusb: %s)", libusb_strerror(r));
        goto fail;
    }
    l->registered = true;
    return 0;

fail:
    lp_close(p);
    return rc;
}
