/* USB detection with the fake backend (the same bookkeeping as the libusb one), and the
 * stick-to-mount matching on a sysfs tree and mountinfo files built as fixtures. */
#include "hwfix.h"
#include "mounts.h"
#include "usb.h"

static const uint8_t STORAGE[] = {0x08};
static const uint8_t HID[] = {0x03};

static void test_fake_events(void)
{
    struct usb *u = NULL;
    struct err e;
    CHECK_INT(usb_open(USB_BACKEND_FAKE, &u, &e), 0);
    CHECK_INT(usb_backend_of(u), USB_BACKEND_FAKE);
    struct usb_event ev[8];
    CHECK_INT(usb_poll(u, 0, ev, 8, &e), 0);

    const uint8_t p14[] = {1, 4}, p2[] = {2};
    CHECK_INT(usb_fake_arrive(u, 1, p14, 2, 0x0781, 0x5567, STORAGE, 1, &e), 0);
    CHECK_INT(usb_fake_arrive(u, 1, p14, 2, 0x0781, 0x5567, STORAGE, 1, &e), 0); /* again */
    CHECK_INT(usb_fake_arrive(u, 3, p2, 1, 0x046d, 0xc31c, HID, 1, &e), 0);      /* a keyboard */
    CHECK_INT(usb_fake_leave(u, 3, p2, 1, &e), 0); /* never arrived as a stick */
    int n = usb_poll(u, 0, ev, 8, &e);
    CHECK_INT(n, 1);
    CHECK_INT(ev[0].kind, USB_ARRIVED);
    CHECK_STR(ev[0].stick.sysname, "1-1.4");
    CHECK_INT(ev[0].stick.vendor, 0x0781);

    CHECK_INT(usb_fake_arrive(u, 2, p2, 1, 1, 2, STORAGE, 1, &e), 0);
    CHECK_INT(usb_fake_leave(u, 1, p14, 2, &e), 0);
    n = usb_poll(u, 0, ev, 1, &e); /* one at a time: the rest stays queued */
    CHECK_INT(n, 1);
    CHECK_INT(ev[0].kind, USB_ARRIVED);
    CHECK_STR(ev[0].stick.sysname, "2-2");
    n = usb_poll(u, 0, ev, 8, &e);
    CHECK_INT(n, 1);
    CHECK_INT(ev[0].kind, USB_LEFT);
    CHECK_STR(ev[0].stick.sysname, "1-1.4");
    CHECK_INT(ev[0].stick.vendor, 0x0781); /* ids as seen at arrival */
    CHECK_INT(usb_poll(u, 0, ev, 8, &e), 0);

    CHECK_INT(usb_fake_arrive(u, 1, p14, 0, 1, 2, STORAGE, 1, &e), ERR_USAGE);
    usb_close(u);
}

static void test_fake_queue_overflow(void)
{
    struct usb *u = NULL;
    struct err e;
    CHECK_INT(usb_open(USB_BACKEND_FAKE, &u, &e), 0);
    /* 8 sticks in and out 10 times: 160 events, the queue keeps the newest USB_QUEUE. */
    for (int round = 0; round < 10; round++)
        for (uint8_t p = 1; p <= 8; p++) {
            CHECK_INT(usb_fake_arrive(u, 1, &p, 1, 1, 1, STORAGE, 1, &e), 0);
            CHECK_INT(usb_fake_leave(u, 1, &p, 1, &e), 0);
        }
    struct usb_event ev[200];
    int n = usb_poll(u, 0, ev, 200, &e);
    CHECK_INT(n, USB_QUEUE);
    CHECK_INT(ev[n - 1].kind, USB_LEFT);
    CHECK_STR(ev[n - 1].stick.sysname, "1-8");
    usb_close(u);
}

static void test_stick_name(void)
{
    struct usb_stick s = {0};
    s.bus = 2;
    s.nports = 3;
    s.ports[0] = 1;
    s.ports[1] = 10;
    s.ports[2] = 3;
    usb_stick_name(&s);
    CHECK_STR(s.sysname, "2-1.10.3");
    s.nports = 0;
    usb_stick_name(&s);
    CHECK_STR(s.sysname, "usb2");
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void mkdirs(const char *path)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(tmp, 0755);
            *p = '/';
        }
    mkdir(tmp, 0755);
}

/* A sysfs tree like the kernel's for a stick at 1-1.4 with disk sdb and partition sdb1, plus
 * a symbolic link loop (sysfs has many) that the walk must not follow. */
static void make_sysfs(const char *root)
{
    char dev[PATH_MAX], p[PATH_MAX], link[PATH_MAX];
    snprintf(dev, sizeof dev, "%s/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.4", root);
    snprintf(p, sizeof p, "%s/1-1.4:1.0/host6/target6:0:0/6:0:0:0/block/sdb/sdb1", dev);
    mkdirs(p);
    snprintf(p, sizeof p, "%s/1-1.4:1.0/host6/target6:0:0/6:0:0:0/block/sdb/queue", dev);
    mkdirs(p);
    snprintf(p, sizeof p, "%s/1-1.4:1.0/host6/target6:0:0/6:0:0:0/block/sdb/dev", dev);
    put(p, "8:16\n");
    snprintf(p, sizeof p, "%s/1-1.4:1.0/host6/target6:0:0/6:0:0:0/block/sdb/sdb1/dev", dev);
    put(p, "8:17\n");
    snprintf(p, sizeof p, "%s/1-1.4:1.0/host6/target6:0:0/6:0:0:0/block/sdb/sdb1/partition", dev);
    put(p, "1\n");
    snprintf(p, sizeof p, "%s/1-1.4:1.0/subsystem", dev);
    symlink("../../../..", p); /* loop */
    /* A second USB device without any disk (a keyboard). */
    snprintf(p, sizeof p, "%s/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.2/1-1.2:1.0", root);
    mkdirs(p);
    snprintf(p, sizeof p, "%s/bus/usb/devices", root);
    mkdirs(p);
    snprintf(p, sizeof p, "%s/bus/usb/devices/1-1.4", root);
    snprintf(link, sizeof link, "../../../devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.4");
    symlink(link, p);
    snprintf(p, sizeof p, "%s/bus/usb/devices/1-1.2", root);
    snprintf(link, sizeof link, "../../../devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1.2");
    symlink(link, p);
}

static void test_mounts_match(void)
{
    struct hwfix f;
    fix_setup(&f, "mounts", 0);
    char sys[PATH_MAX], mi[PATH_MAX];
    snprintf(sys, sizeof sys, "%s/sys", f.root);
    snprintf(mi, sizeof mi, "%s/mountinfo", f.root);
    make_sysfs(sys);
    struct mounts_config c = {sys, mi, "/media/isoloir"};
    struct err e;

    unsigned maj[8], min[8];
    CHECK_INT(mounts_usb_blockdevs(&c, "1-1.4", maj, min, 8, &e), 2);
    CHECK_INT(mounts_usb_blockdevs(&c, "1-1.2", maj, min, 8, &e), 0);
    CHECK_INT(mounts_usb_blockdevs(&c, "1-1.9", maj, min, 8, &e), ERR_NOTFOUND);
    CHECK_INT(mounts_usb_blockdevs(&c, "../..", maj, min, 8, &e), ERR_USAGE);

    struct mount_info m;
    put(mi, "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n");
    CHECK_INT(mounts_find_stick(&c, "1-1.4", &m, &e), ERR_NOTFOUND);
    CHECK_HAS(e.msg, "not mounted");
    CHECK_INT(mounts_find_stick(&c, "1-1.2", &m, &e), ERR_NOTFOUND);
    CHECK_HAS(e.msg, "no disk");

    /* The same partition mounted outside the root first (ignored), then under it, with a
     * space in the label; a garbage line and a foreign disk on the way. */
    put(mi, "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
            "this is not a mountinfo line\n"
            "50 22 8:17 / /mnt/elsewhere rw - vfat /dev/sdb1 rw\n"
            "51 22 8:33 / /media/isoloir/other rw - vfat /dev/sdc1 rw\n"
            "52 22 8:17 / /media/isoloir/MY\\040STICK rw,nosuid,nodev,noexec shared:9 - vfat "
            "/dev/sdb1 rw,fmask=0077\n");
    CHECK_INT(mounts_find_stick(&c, "1-1.4", &m, &e), 0);
    CHECK_STR(m.dir, "/media/isoloir/MY STICK");
    CHECK_STR(m.fstype, "vfat");
    CHECK_STR(m.source, "/dev/sdb1");
    CHECK_INT(m.major, 8);
    CHECK_INT(m.minor, 17);
    CHECK(!m.read_only);

    /* A whole-disk filesystem (no partition table) mounted read-only. */
    put(mi, "53 22 8:16 / /media/isoloir/sdb ro,nosuid - exfat /dev/sdb ro\n");
    CHECK_INT(mounts_find_stick(&c, "1-1.4", &m, &e), 0);
    CHECK_STR(m.dir, "/media/isoloir/sdb");
    CHECK(m.read_only);

    /* A root of "/media/isoloir" does not take "/media/isoloir2". */
    put(mi, "54 22 8:17 / /media/isoloir2 rw - vfat /dev/sdb1 rw\n");
    CHECK_INT(mounts_find_stick(&c, "1-1.4", &m, &e), ERR_NOTFOUND);

    /* Without libusb: the first mount strictly below the root, from any device; not the root
     * itself, not a sibling with a longer name. */
    put(mi, "54 22 8:17 / /media/isoloir2 rw - vfat /dev/sdb1 rw\n"
            "55 22 0:40 / /media/isoloir rw - tmpfs tmpfs rw\n");
    CHECK_INT(mounts_find_any(&c, &m, &e), ERR_NOTFOUND);
    CHECK_HAS(e.msg, "insert a stick");
    put(mi, "55 22 0:40 / /media/isoloir rw - tmpfs tmpfs rw\n"
            "56 55 8:33 / /media/isoloir/sdc1 rw - exfat /dev/sdc1 rw\n");
    CHECK_INT(mounts_find_any(&c, &m, &e), 0);
    CHECK_STR(m.dir, "/media/isoloir/sdc1");
    CHECK_STR(m.fstype, "exfat");

    /* The mount that holds a directory: the longest prefix wins. */
    char line[2 * PATH_MAX];
    snprintf(line, sizeof line,
             "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n60 22 8:17 / %s rw - vfat /dev/sdb1 rw\n",
             f.stick);
    put(mi, line);
    CHECK_INT(mounts_lookup_dir(&c, f.stick, &m, &e), 0);
    CHECK_STR(m.fstype, "vfat");
    CHECK_INT(mounts_lookup_dir(&c, f.root, &m, &e), 0);
    CHECK_STR(m.fstype, "ext4");
    fix_teardown(&f);
}

static void test_mountinfo_lines(void)
{
    struct mount_info m;
    struct err e;
    CHECK_INT(mounts_parse_line("36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 "
                                "/dev/root rw,errors=continue\n",
                                &m, &e),
              0);
    CHECK_STR(m.dir, "/mnt/parent");
    CHECK_STR(m.fstype, "ext3");
    CHECK_INT(m.major, 98);
    CHECK(!m.read_only);
    CHECK_INT(mounts_parse_line("1 2 8:1 / /a ro - vfat /dev/x rw", &m, &e), 0);
    CHECK(m.read_only);
    CHECK_INT(mounts_parse_line("1 2 8:1 / /a rw,errors=remount-ro - ext4 /dev/x rw,ro", &m, &e),
              0);
    CHECK(m.read_only);
    CHECK_INT(mounts_parse_line("1 2 8:1 / /a rw - ext4 /dev/x rw,errors=remount-ro", &m, &e), 0);
    CHECK(!m.read_only);
    const char *bad[] = {
        "",
        "1 2 8:1 / /a rw ext4 /dev/x rw",          /* no separator */
        "1 2 8 / /a rw - ext4 /dev/x rw",          /* no minor */
        "1 2 8:x / /a rw - ext4 /dev/x rw",        /* not a number */
        "1 2 8:1 / relative rw - ext4 /dev/x rw",  /* not absolute */
        "1 2 8:1 / /a\\04 rw - ext4 /dev/x rw",    /* cut escape */
        "1 2 8:1 / /a\\000 rw - ext4 /dev/x rw",   /* NUL escape */
        "1 2 8:1 / /a rw -",                       /* nothing after the separator */
        "1 2 99999999:1 / /a rw - ext4 /dev/x rw", /* out of range */
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        CHECK_INT(mounts_parse_line(bad[i], &m, &e), ERR_FORMAT);
    CHECK(mounts_fstype_allowed("vfat") && mounts_fstype_allowed("exfat") &&
          mounts_fstype_allowed("ext4"));
    CHECK(!mounts_fstype_allowed("ntfs") && !mounts_fstype_allowed("fuseblk") &&
          !mounts_fstype_allowed("msdos") && !mounts_fstype_allowed(""));
}

int main(void)
{
    RUN(test_fake_events);
    RUN(test_fake_queue_overflow);
    RUN(test_stick_name);
    RUN(test_mounts_match);
    RUN(test_mountinfo_lines);
    return check_done();
}
