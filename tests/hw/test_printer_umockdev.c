/* The real libusb printer backend against a USB printer emulated in umockdev: the device
 * (data/usb-printer.umockdev: a POS-58 printer, 0416:5011, interface class 7 with bulk OUT
 * 0x01 and bulk IN 0x82) arrives in a mock sysfs, libusb's hotplug finds it, and every usbdevfs
 * ioctl libusb sends to its device node (claim, URB submit, reap, discard) is answered by the
 * handler below, which plays the printer: it keeps the bytes of the bulk OUT transfers, answers
 * DLE EOT 1/2/4 on the bulk IN endpoint with the status bytes a test sets, can stop taking
 * data (paper out: libusb's transfer times out and is discarded) and can vanish in the middle
 * of a document (the URB ends with -ESHUTDOWN, later ones fail with ENODEV, then a "remove"
 * uevent), or be held by another program (claiming fails with EBUSY). A second printer (1-4)
 * waits until the first leaves. The documents received must be the golden streams byte for
 * byte.
 *
 * Runs under umockdev-wrapper (CTest does that); exits 77 if umockdev is missing or its
 * preload library is not active. */
#include "printer.h"
#include "printfix.h"

#ifdef ISOLOIR_HAVE_UMOCKDEV
#include <errno.h>
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <stddef.h>
#include <umockdev.h>

#define SYSPATH  "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3"
#define DEVNODE  "/dev/bus/usb/001/004"
#define SYSPATH2 "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4"
#define DEVNODE2 "/dev/bus/usb/001/005"

struct urb {
    UMockdevIoctlData *urb; /* the client's struct usbdevfs_urb, referenced */
    int status, actual;
};

/* The emulated printer. Touched by umockdev's ioctl thread and by the test: under lock. */
static struct mock {
    GMutex lock;
    GByteArray *received; /* every byte of every bulk OUT transfer */
    uint8_t status[5];    /* answers to DLE EOT n, n = 1..4 */
    bool silent;          /* answers no status request */
    bool stalled;         /* takes no document data (paper out) */
    long stall_after;     /* takes this many more document bytes, then stalls (-1: never) */
    long gone_after;      /* takes this many more bytes, then is unplugged (-1: never) */
    bool gone;
    bool busy;      /* another program holds it: claiming fails with EBUSY */
    GQueue replies; /* status bytes waiting for a bulk IN transfer (GUINT_TO_POINTER) */
    GQueue reading; /* bulk IN URBs waiting for a reply (struct urb *) */
    GQueue held;    /* bulk OUT URBs not taken (stalled) */
    GQueue done;    /* URBs to reap */
} m;

static UMockdevTestbed *tb;

static void set_status(uint8_t s1, uint8_t s2, uint8_t s4)
{
    g_mutex_lock(&m.lock);
    m.status[1] = s1;
    m.status[2] = s2;
    m.status[3] = 0x12;
    m.status[4] = s4;
    g_mutex_unlock(&m.lock);
}

static void finish(struct urb *u, int status, int actual)
{
    u->status = status;
    u->actual = actual;
    g_queue_push_tail(&m.done, u);
}

/* Answers waiting status requests with waiting IN URBs. */
static void match_replies(void)
{
    while (!g_queue_is_empty(&m.replies) && !g_queue_is_empty(&m.reading)) {
        struct urb *u = g_queue_pop_head(&m.reading);
        uint8_t b = (uint8_t)GPOINTER_TO_UINT(g_queue_pop_head(&m.replies));
        struct usbdevfs_urb *urb = (struct usbdevfs_urb *)u->urb->data;
        memcpy(urb->buffer, &b, 1);
        finish(u, 0, 1);
    }
}

static void submit(UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    UMockdevIoctlData *ud = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)ud->data;
    UMockdevIoctlData *bd = umockdev_ioctl_data_resolve(ud, offsetof(struct usbdevfs_urb, buffer),
                                                        (gsize)urb->buffer_length, NULL);
    if (m.gone || urb->type != USBDEVFS_URB_TYPE_BULK) {
        umockdev_ioctl_data_unref(bd);
        umockdev_ioctl_data_unref(ud);
        umockdev_ioctl_client_complete(client, -1, m.gone ? ENODEV : EINVAL);
        return;
    }
    struct urb *u = g_new0(struct urb, 1);
    u->urb = ud; /* keeps bd alive as its child */
    const uint8_t *data = bd->data;
    int n = urb->buffer_length;
    if (urb->endpoint & 0x80) {
        g_queue_push_tail(&m.reading, u);
    } else if (n == 3 && data[0] == 0x10 && data[1] == 0x04) { /* real time: always taken */
        g_byte_array_append(m.received, data, 3);
        if (!m.silent && data[2] >= 1 && data[2] <= 4)
            g_queue_push_tail(&m.replies, GUINT_TO_POINTER(m.status[data[2]]));
        finish(u, 0, 3);
    } else if (m.stalled) {
        g_queue_push_tail(&m.held, u);
    } else {
        int take = n;
        if (m.gone_after >= 0 && take >= m.gone_after)
            take = (int)m.gone_after;
        if (m.stall_after >= 0 && take >= m.stall_after)
            take = (int)m.stall_after;
        g_byte_array_append(m.received, data, (guint)take);
        if (m.gone_after >= 0) {
            m.gone_after -= take;
            if (m.gone_after == 0)
                m.gone = true;
        }
        if (m.stall_after >= 0) {
            m.stall_after -= take;
            if (m.stall_after == 0)
                m.stalled = true;
        }
        if (m.gone)
            finish(u, -ESHUTDOWN, take);
        else if (take < n) /* the rest stays in the pipe until libusb gives up */
            u->actual = take, g_queue_push_tail(&m.held, u);
        else
            finish(u, 0, take);
    }
    match_replies();
    umockdev_ioctl_data_unref(bd);
    umockdev_ioctl_client_complete(client, 0, 0);
}

static void reap(UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    struct urb *u = g_queue_pop_head(&m.done);
    if (!u) {
        umockdev_ioctl_client_complete(client, -1, EAGAIN);
        return;
    }
    struct usbdevfs_urb *urb = (struct usbdevfs_urb *)u->urb->data;
    urb->status = u->status;
    urb->actual_length = u->actual;
    UMockdevIoctlData *pp = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
    umockdev_ioctl_data_set_ptr(pp, 0, u->urb);
    umockdev_ioctl_data_unref(pp);
    umockdev_ioctl_data_unref(u->urb);
    g_free(u);
    umockdev_ioctl_client_complete(client, 0, 0);
}

static gint by_addr(gconstpointer a, gconstpointer b)
{
    const struct urb *u = a;
    return u->urb->client_addr == (gulong)b ? 0 : 1;
}

static void discard(UMockdevIoctlClient *client, UMockdevIoctlData *arg)
{
    gulong addr = (gulong) * (void **)arg->data;
    GQueue *qs[2] = {&m.held, &m.reading};
    for (int i = 0; i < 2; i++) {
        GList *l = g_queue_find_custom(qs[i], (gconstpointer)addr, by_addr);
        if (l) {
            struct urb *u = l->data;
            g_queue_delete_link(qs[i], l);
            finish(u, -ENOENT, u->actual);
            umockdev_ioctl_client_complete(client, 0, 0);
            return;
        }
    }
    umockdev_ioctl_client_complete(client, -1, EINVAL);
}

static gboolean on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
    (void)handler;
    (void)data;
    gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    g_mutex_lock(&m.lock);
    gboolean handled = TRUE;
    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
        *(guint32 *)d->data = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
        umockdev_ioctl_data_unref(d);
        umockdev_ioctl_client_complete(client, 0, 0);
        break;
    }
    case USBDEVFS_GETDRIVER:
        umockdev_ioctl_client_complete(client, -1, ENODATA); /* no kernel driver bound */
        break;
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_DISCONNECT_CLAIM:
        if (m.busy) {
            umockdev_ioctl_client_complete(client, -1, EBUSY);
            break;
        }
        umockdev_ioctl_client_complete(client, m.gone ? -1 : 0, m.gone ? ENODEV : 0);
        break;
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
        umockdev_ioctl_client_complete(client, m.gone ? -1 : 0, m.gone ? ENODEV : 0);
        break;
    case USBDEVFS_SUBMITURB:
        submit(client, arg);
        break;
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY:
        reap(client, arg);
        break;
    case USBDEVFS_DISCARDURB:
        discard(client, arg);
        break;
    default:
        handled = FALSE;
    }
    g_mutex_unlock(&m.lock);
    return handled;
}

static void mock_reset(void)
{
    g_mutex_lock(&m.lock);
    if (!m.received)
        m.received = g_byte_array_new();
    g_byte_array_set_size(m.received, 0);
    m.silent = m.stalled = m.gone = m.busy = false;
    m.stall_after = m.gone_after = -1;
    g_mutex_unlock(&m.lock);
    set_status(0x12, 0x12, 0x12);
}

/* The document bytes received: everything but the status requests before and after. */
static GByteArray *received_doc(void)
{
    g_mutex_lock(&m.lock);
    const uint8_t *r = m.received->data;
    size_t n = m.received->len, i = 0;
    while (i + 3 <= n && r[i] == 0x10 && r[i + 1] == 0x04)
        i += 3;
    while (n >= i + 3 && r[n - 3] == 0x10 && r[n - 2] == 0x04)
        n -= 3;
    GByteArray *out = g_byte_array_new();
    g_byte_array_append(out, r + i, (guint)(n - i));
    g_byte_array_set_size(m.received, 0);
    g_mutex_unlock(&m.lock);
    return out;
}

/* Polls until a printer arrives or leaves (the uevent goes through libusb's thread). */
static int wait_change(struct printer *p, int tries)
{
    struct err e = {0};
    for (int i = 0; i < tries; i++) {
        int rc = printer_poll(p, 10, &e);
        if (rc != 0) {
            if (rc < 0)
                fprintf(stderr, "printer_poll: %s\n", e.msg);
            return rc;
        }
    }
    return 0;
}

static enum printer_state run(struct printer *p)
{
    enum printer_state s = PRINTER_PRINTING;
    for (int i = 0; i < 100000 && s == PRINTER_PRINTING; i++)
        s = printer_pump(p, 20);
    return s;
}

static struct printer *plug_in(void)
{
    /* generous limits: only a stalled document waits them out, and a loaded CI machine must
     * not make a slow answer look like a silent printer */
    struct printer_options o = {.stall_ms = 2000, .status_timeout_ms = 2000};
    struct printer *p = NULL;
    struct err e = {0};
    CHECK_INT(printer_open(PRINTER_BACKEND_LIBUSB, &o, &p, &e), 0);
    if (!p) {
        fprintf(stderr, "%s\n", e.msg);
        return NULL;
    }
    CHECK_INT(wait_change(p, 20), 0); /* nothing plugged in yet */
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/hw/data/usb-printer.umockdev", src ? src : ".");
    GError *gerr = NULL;
    CHECK(umockdev_testbed_add_from_file(tb, path, &gerr));
    if (gerr) {
        fprintf(stderr, "umockdev: %s\n", gerr->message);
        g_error_free(gerr);
    }
    CHECK_INT(wait_change(p, 300), 1);
    struct printer_info info;
    printer_info(p, &info);
    CHECK(info.attached);
    CHECK(info.has_status);
    CHECK_STR(info.sysname, "1-3");
    CHECK_INT(info.vendor, 0x0416);
    CHECK_INT(info.paper.columns, 32); /* a known 58 mm model */
    return p;
}

/* The three golden documents through libusb, byte for byte. */
static void test_documents(void)
{
    mock_reset();
    struct printer *p = plug_in();
    if (!p)
        return;
    CHECK_INT(printer_state(p), PRINTER_READY);
    for (int k = 0; k < PF_DOC_COUNT; k++) {
        size_t len = 0;
        uint8_t *want = pf_golden_read(PF_GOLDEN[k], &len);
        CHECK(want != NULL);
        if (!want)
            continue;
        struct err e = {0};
        CHECK_INT(printer_submit(p, want, len, &e), PRINTER_PRINTING);
        CHECK_INT(run(p), PRINTER_READY);
        CHECK(printer_last_job_done(p));
        GByteArray *got = received_doc();
        CHECK_INT(got->len, len);
        CHECK(got->len == len && memcmp(got->data, want, len) == 0);
        g_byte_array_unref(got);
        free(want);
    }
    printer_close(p);
    umockdev_testbed_uevent(tb, SYSPATH, "remove");
}

/* Paper out, reported by the printer before a document (refused, nothing sent) and during
 * one (the printer stops taking data: the job fails with PAPER_OUT); a new roll, and the
 * whole document prints. Cover open is told apart. */
static void test_paper_out(void)
{
    mock_reset();
    struct printer *p = plug_in();
    if (!p)
        return;
    size_t len = 0;
    uint8_t *doc = pf_golden_read(PF_GOLDEN[PF_ZERO_58], &len);
    struct err e = {0};
    set_status(0x1A, 0x32, 0x72); /* offline; stopped by paper end; roll sensor: no paper */
    CHECK_INT(printer_refresh(p), PRINTER_PAPER_OUT);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PAPER_OUT);
    GByteArray *got = received_doc();
    CHECK_INT(got->len, 0);
    g_byte_array_unref(got);
    set_status(0x1A, 0x16, 0x12); /* cover open */
    CHECK_INT(printer_refresh(p), PRINTER_COVER_OPEN);

    set_status(0x12, 0x12, 0x12);
    g_mutex_lock(&m.lock);
    m.stall_after = (long)len / 2;
    g_mutex_unlock(&m.lock);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    set_status(0x1A, 0x32, 0x72);
    CHECK_INT(run(p), PRINTER_PAPER_OUT);
    CHECK(!printer_last_job_done(p));
    got = received_doc();
    CHECK_INT(got->len, len / 2);
    g_byte_array_unref(got);

    mock_reset();
    CHECK_INT(printer_refresh(p), PRINTER_READY);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p), PRINTER_READY);
    got = received_doc();
    CHECK(got->len == len && memcmp(got->data, doc, len) == 0);
    g_byte_array_unref(got);
    free(doc);
    printer_close(p);
    umockdev_testbed_uevent(tb, SYSPATH, "remove");
}

/* Unplugged in the middle of the closing report: UNPLUGGED, the device leaves; plugged back,
 * the report prints whole. */
static void test_unplug(void)
{
    mock_reset();
    struct printer *p = plug_in();
    if (!p)
        return;
    size_t len = 0;
    uint8_t *doc = pf_golden_read(PF_GOLDEN[PF_CLOSING_80], &len);
    struct err e = {0};
    g_mutex_lock(&m.lock);
    m.gone_after = (long)len / 3;
    g_mutex_unlock(&m.lock);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p), PRINTER_UNPLUGGED);
    CHECK(!printer_last_job_done(p));
    umockdev_testbed_uevent(tb, SYSPATH, "remove");
    CHECK_INT(wait_change(p, 300), 1);
    CHECK_INT(printer_state(p), PRINTER_UNPLUGGED);
    struct printer_info info;
    printer_info(p, &info);
    CHECK(!info.attached);
    GByteArray *got = received_doc();
    CHECK_INT(got->len, len / 3);
    g_byte_array_unref(got);

    mock_reset();
    umockdev_testbed_uevent(tb, SYSPATH, "add");
    CHECK_INT(wait_change(p, 300), 1);
    CHECK_INT(printer_state(p), PRINTER_READY);
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p), PRINTER_READY);
    got = received_doc();
    CHECK(got->len == len && memcmp(got->data, doc, len) == 0);
    g_byte_array_unref(got);
    free(doc);
    printer_close(p);
}

/* A printer held by another program cannot be claimed: printer_poll says so once, the state
 * stays ABSENT, and it is taken when plugged again. */
static void test_busy(void)
{
    mock_reset();
    struct printer_options o = {.stall_ms = 2000, .status_timeout_ms = 2000};
    struct printer *p = NULL;
    struct err e = {0};
    CHECK_INT(printer_open(PRINTER_BACKEND_LIBUSB, &o, &p, &e), 0);
    if (!p)
        return;
    g_mutex_lock(&m.lock);
    m.busy = true;
    g_mutex_unlock(&m.lock);
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/hw/data/usb-printer.umockdev", src ? src : ".");
    CHECK(umockdev_testbed_add_from_file(tb, path, NULL));
    int rc = 0;
    for (int i = 0; i < 300 && rc == 0; i++)
        rc = printer_poll(p, 10, &e);
    CHECK_INT(rc, ERR_PERM);
    CHECK_HAS(e.msg, "cannot be used");
    CHECK_INT(printer_state(p), PRINTER_ABSENT);
    CHECK_INT(wait_change(p, 20), 0); /* reported once, not retried every frame */

    g_mutex_lock(&m.lock);
    m.busy = false;
    g_mutex_unlock(&m.lock);
    umockdev_testbed_uevent(tb, SYSPATH, "remove");
    CHECK_INT(wait_change(p, 30), 0);
    umockdev_testbed_uevent(tb, SYSPATH, "add");
    CHECK_INT(wait_change(p, 300), 1);
    CHECK_INT(printer_state(p), PRINTER_READY);
    printer_close(p);
}

/* Two printers: the second waits, and is taken when the first leaves. */
static void test_second_printer(void)
{
    mock_reset();
    struct printer *p = plug_in();
    if (!p)
        return;
    umockdev_testbed_add_from_string(
        tb,
        "P: /devices/pci0000:00/0000:00:14.0/usb1/1-4\n"
        "N: bus/usb/001/005\n"
        "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\nE: BUSNUM=001\nE: DEVNUM=005\n"
        "E: DEVNAME=/dev/bus/usb/001/005\n"
        "A: busnum=1\\n\nA: devnum=5\\n\nA: devpath=4\\n\nA: bConfigurationValue=1\\n\n"
        "A: speed=12\\n\n"
        "H: descriptors=12010002000000403412010000010102030109022000010100c032090400000207010200"
        "0705010240000007058202400000\n",
        NULL);
    CHECK_INT(wait_change(p, 50), 0); /* the first one stays in use */
    struct printer_info info;
    printer_info(p, &info);
    CHECK_STR(info.sysname, "1-3");
    umockdev_testbed_uevent(tb, SYSPATH, "remove");
    CHECK_INT(wait_change(p, 300), 1);
    printer_info(p, &info);
    CHECK(info.attached);
    CHECK_STR(info.sysname, "1-4");
    CHECK_INT(info.vendor, 0x1234);
    CHECK_INT(printer_state(p), PRINTER_READY);
    size_t len = 0;
    uint8_t *doc = pf_golden_read(PF_GOLDEN[PF_RECEIPT_58], &len);
    struct err e = {0};
    CHECK_INT(printer_submit(p, doc, len, &e), PRINTER_PRINTING);
    CHECK_INT(run(p), PRINTER_READY);
    GByteArray *got = received_doc();
    CHECK(got->len == len && memcmp(got->data, doc, len) == 0);
    g_byte_array_unref(got);
    free(doc);
    printer_close(p);
    umockdev_testbed_uevent(tb, SYSPATH2, "remove");
}

static UMockdevIoctlBase *handler;

static void setup(void)
{
    tb = umockdev_testbed_new();
    handler = umockdev_ioctl_base_new();
    g_signal_connect(handler, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
    GError *gerr = NULL;
    const char *nodes[2] = {DEVNODE, DEVNODE2};
    for (int i = 0; i < 2; i++) {
        if (!umockdev_testbed_attach_ioctl(tb, nodes[i], handler, &gerr)) {
            fprintf(stderr, "umockdev: cannot emulate %s: %s\n", nodes[i],
                    gerr ? gerr->message : "?");
            check_st.failed++;
        }
        if (gerr)
            g_error_free(gerr);
        gerr = NULL;
    }
}

static void teardown(void)
{
    g_object_unref(handler);
    g_object_unref(tb);
}

int main(void)
{
    const char *pre = getenv("LD_PRELOAD");
    if (!pre || !strstr(pre, "umockdev-preload"))
        check_skip("not running under umockdev-wrapper (the preload library is not active)");
    g_mutex_init(&m.lock);
    setup();
    RUN(test_documents);
    teardown();
    setup();
    RUN(test_paper_out);
    teardown();
    setup();
    RUN(test_unplug);
    teardown();
    setup();
    RUN(test_busy);
    teardown();
    setup();
    RUN(test_second_printer);
    teardown();
    return check_done();
}
#else
int main(void)
{
    check_skip("umockdev (libumockdev-dev, umockdev-wrapper) is not installed");
}
#endif
