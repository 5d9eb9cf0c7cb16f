/*
 * mounts — from a USB device to the filesystem the appliance mounted from it (Linux).
 *
 * The kiosk learns from libusb that a stick arrived: bus number and port path, i.e. the
 * device's sysfs name ("1-1.4"). The appliance's udev rule mounts the stick's filesystem under
 * a configured mount root (firmware/). This module joins the two, reading only text files:
 *
 *   1. <sysfs>/bus/usb/devices/<sysname> is the USB device; below it (interfaces, SCSI host,
 *      target, LUN) each disk the stick exposes appears as a directory block/<sdX> holding a
 *      file `dev` ("8:0") and one subdirectory per partition (<sdX1>/dev = "8:1").
 *   2. /proc/self/mountinfo lists every mount with its device number (field 3, "8:1") and
 *      mount point (field 5). The stick's mount is the first line whose device number belongs
 *      to step 1 and whose mount point is the mount root or below it.
 *
 * Matching by device number (not by /dev name) is what the kernel guarantees; docs/export.md
 * explains it with an example. Both roots are injectable so tests run on fixture trees.
 *
 * Never: follow symbolic links while walking below the USB device (sysfs is full of links
 * that loop), or report a mount outside the mount root (the kiosk never writes elsewhere).
 */
#ifndef ISOLOIR_MOUNTS_H
#define ISOLOIR_MOUNTS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define MOUNTS_SYSFS_DEFAULT     "/sys"
#define MOUNTS_MOUNTINFO_DEFAULT "/proc/self/mountinfo"
#define MOUNTS_ROOT_DEFAULT      "/media/isoloir"
#define MOUNTS_MAX_DEVS          32 /* disks + partitions under one USB device */

struct mounts_config {
    const char *sysfs_root;     /* NULL: MOUNTS_SYSFS_DEFAULT */
    const char *mountinfo_path; /* NULL: MOUNTS_MOUNTINFO_DEFAULT */
    const char *mount_root;     /* NULL: MOUNTS_ROOT_DEFAULT; "/" accepts any mount point */
};

struct mount_info {
    char dir[PATH_MAX]; /* mount point, unescaped */
    char fstype[32];    /* "vfat", "exfat", "ext4", ... */
    char source[256];   /* "/dev/sda1" (informational) */
    unsigned major, minor;
    bool read_only; /* "ro" in the mount or superblock options */
};

/* Block device numbers (disk and partitions) below the USB device `sysname` ("1-1.4").
 * Returns how many were written to majors/minors (at most max), 0 if none yet (the kernel
 * may still be probing), or ERR_NOTFOUND if the USB device is not in sysfs (it left). */
int mounts_usb_blockdevs(const struct mounts_config *c, const char *sysname, unsigned *majors,
                         unsigned *minors, int max, struct err *e);

/* The mount of the stick `sysname` under the mount root. ERR_NOTFOUND with a message saying
 * whether no disk or no mount was found (the caller retries a little later: mounting takes a
 * moment after the arrival). */
int mounts_find_stick(const struct mounts_config *c, const char *sysname, struct mount_info *out,
                      struct err *e);

/* The mount that holds directory `dir` (the longest mount point that is a prefix of its real
 * path). ERR_NOTFOUND if mountinfo has none. */
int mounts_lookup_dir(const struct mounts_config *c, const char *dir, struct mount_info *out,
                      struct err *e);

/* The first mount strictly below the mount root, whatever device it comes from: what the kiosk
 * uses when libusb cannot watch the bus (no permission, or no USB controller in a test rig).
 * ERR_NOTFOUND when nothing is mounted there. */
int mounts_find_any(const struct mounts_config *c, struct mount_info *out, struct err *e);

/* Filesystems the kiosk writes bundles to: "vfat", "exfat", "ext4". */
bool mounts_fstype_allowed(const char *fstype);

/* One mountinfo line parsed into *out (mount point unescaped: \040 etc.). ERR_FORMAT if the
 * line is not a mountinfo line. Exposed for tests. */
int mounts_parse_line(const char *line, struct mount_info *out, struct err *e);

#endif
