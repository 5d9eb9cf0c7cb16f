/* The real libusb backend under umockdev: a USB mass-storage stick described by hand in
 * data/usb-stick.umockdev (device and configuration descriptors with an interface of class
 * 0x08, its SCSI disk and partition) arrives in a mock sysfs; libusb's hotplug reports it
 * through usb_poll; hw/mounts finds its partition in the same mock sysfs and matches it to a
 * mountinfo fixture; a "remove" uevent makes it leave. A second device that is not mass
 * storage (a keyboard) must not be reported.
 *
 * Runs under umockdev-wrapper (CTest does that); exits 77 if umockdev is missing or the
 * preload library is not active. */
#include "hwfix.h"
#include "mounts.h"
#include "usb.h"

#ifdef ISOLOIR_HAVE_UMOCKDEV
#include <umockdev.h>

#define STICK "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"

static UMockdevTestbed *tb;

/* Polls for up to tries x 10 ms (the uevent goes through libusb's monitor thread) until
 * `want` events came. */
static int wait_events(struct usb *u, struct usb_event *ev, int want, int tries)
{
    struct err e;
    int got = 0;
    for (int i = 0; i < tries && got < want; i++) {
        int n = usb_poll(u, 10, ev + got, (size_t)(8 - got), &e);
        if (n < 0) {
            fprintf(stderr, "usb_poll: %s\n", e.msg);
            return n;
        }
        got += n;
    }
    return got;
}

static void add_keyboard(void)
{
    /* HID device: interface class 0x03 only. */
    umockdev_testbed_add_from_string(
        tb,
        "P: /devices/pci0000:00/0000:00:14.0/usb1/1-2\n"
        "N: bus/usb/001/003\n"
        "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\nE: BUSNUM=001\nE: DEVNUM=003\n"
        "E: DEVNAME=/dev/bus/usb/001/003\n"
        "A: busnum=1\\n\nA: devnum=3\\n\nA: devpath=2\\n\nA: bConfigurationValue=1\\n\n"
        "A: speed=12\\n\n"
        "H: descriptors=12010002000000086d041cc30001010200010902220001010080320904000001030101"
        "000921100100012241000705810308000a\n",
        NULL);
}

static void test_arrival_and_removal(void)
{
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/hw/data/usb-stick.umockdev", src ? src : ".");
    struct usb *u = NULL;
    struct err e;
    int rc = usb_open(USB_BACKEND_LIBUSB, &u, &e);
    CHECK_INT(rc, 0);
    if (rc) {
        fprintf(stderr, "%s\n", e.msg);
        return;
    }
    struct usb_event ev[8];
    CHECK_INT(wait_events(u, ev, 1, 30), 0); /* nothing plugged in yet */

    add_keyboard();
    GError *gerr = NULL;
    CHECK(umockdev_testbed_add_from_file(tb, path, &gerr));
    if (gerr) {
        fprintf(stderr, "umockdev: %s\n", gerr->message);
        g_error_free(gerr);
    }
    int n = wait_events(u, ev, 1, 300);
    CHECK_INT(n, 1);
    if (n >= 1) {
        CHECK_INT(ev[0].kind, USB_ARRIVED);
        CHECK_STR(ev[0].stick.sysname, "1-1");
        CHECK_INT(ev[0].stick.vendor, 0x0781);
        CHECK_INT(ev[0].stick.product, 0x5567);
        CHECK_INT(ev[0].stick.bus, 1);
    }

    /* The mount: mock sysfs from the testbed, mountinfo from a fixture. */
    struct hwfix f;
    fix_setup(&f, "umockdev", 0);
    char mi[PATH_MAX];
    snprintf(mi, sizeof mi, "%s/mountinfo", f.root);
    FILE *fp = fopen(mi, "w");
    fputs("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
          "70 22 8:17 / /media/isoloir/sdb1 rw,nosuid,nodev,noexec - vfat /dev/sdb1 rw\n",
          fp);
    fclose(fp);
    struct mounts_config mc = {"/sys", mi, "/media/isoloir"};
    struct mount_info m;
    rc = mounts_find_stick(&mc, "1-1", &m, &e);
    CHECK_INT(rc, 0);
    if (rc)
        fprintf(stderr, "%s\n", e.msg);
    else
        CHECK_STR(m.dir, "/media/isoloir/sdb1");
    fix_teardown(&f);

    umockdev_testbed_uevent(tb, STICK, "remove");
    n = wait_events(u, ev, 1, 300);
    CHECK_INT(n, 1);
    if (n >= 1) {
        CHECK_INT(ev[0].kind, USB_LEFT);
        CHECK_STR(ev[0].stick.sysname, "1-1");
    }
    usb_close(u);
}

/* A stick already plugged in when the kiosk starts arrives with the first poll. */
static void test_present_at_start(void)
{
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/tests/hw/data/usb-stick.umockdev", src ? src : ".");
    GError *gerr = NULL;
    CHECK(umockdev_testbed_add_from_file(tb, path, &gerr));
    if (gerr)
        g_error_free(gerr);
    struct usb *u = NULL;
    struct err e;
    CHECK_INT(usb_open(USB_BACKEND_LIBUSB, &u, &e), 0);
    if (!u)
        return;
    struct usb_event ev[8];
    CHECK_INT(usb_poll(u, 0, ev, 8, &e), 1);
    CHECK_INT(ev[0].kind, USB_ARRIVED);
    CHECK_STR(ev[0].stick.sysname, "1-1");
    usb_close(u);
}

int main(void)
{
    const char *pre = getenv("LD_PRELOAD");
    if (!pre || !strstr(pre, "umockdev-preload"))
        check_skip("not running under umockdev-wrapper (the preload library is not active)");
    tb = umockdev_testbed_new();
    RUN(test_arrival_and_removal);
    g_object_unref(tb);
    tb = umockdev_testbed_new();
    RUN(test_present_at_start);
    g_object_unref(tb);
    return check_done();
}
#else
int main(void)
{
    check_skip("umockdev (libumockdev-dev, umockdev-wrapper) is not installed");
}
#endif
