/* The appliance recipe (firmware/) agrees with the code: the mount root and the writable
 * filesystem types of the USB mount helper are those of hw/mounts; the kiosk service has
 * its watchdog, restart and no-network settings; the root filesystem is read-only; the kiosk
 * user's group may write to USB printers; the shell scripts parse. */
#include <sys/wait.h>

#include "check.h"
#include "mounts.h"
#include "util.h"

static char *load(const char *rel)
{
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    if (!src)
        check_skip("ISOLOIR_SOURCE_DIR is not set (run through ctest)");
    char path[4096];
    snprintf(path, sizeof path, "%s/firmware/stage-isoloir/01-isoloir/%s", src, rel);
    uint8_t *d = NULL;
    size_t n = 0;
    struct err e;
    if (util_read_file(path, 1 << 20, &d, &n, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return util_strdup("");
    }
    return (char *)d;
}

static void test_usb_mount_helper(void)
{
    char *s = load("files/usr/lib/isoloir/usb-mount");
    char want[256];
    snprintf(want, sizeof want, "ROOT=%s\n", MOUNTS_ROOT_DEFAULT);
    CHECK_HAS(s, want);
    /* Each type mounted read-write is one the exporter accepts, and the other way round. */
    const char *types[] = {"vfat", "exfat", "ext4", "ntfs", "msdos", "btrfs"};
    for (size_t i = 0; i < ARRAY_LEN(types); i++) {
        char pat[64];
        snprintf(pat, sizeof pat, "  %s) ", types[i]);
        const char *at = strstr(s, pat);
        bool rw = at && strncmp(strstr(at, "-o \"") + 4, "rw,", 3) == 0;
        CHECK_INT(rw, mounts_fstype_allowed(types[i]));
    }
    CHECK_HAS(s, "base=nosuid,nodev,noexec");
    CHECK_HAS(s, "mount -o \"ro,$base\"");
    free(s);
    s = load("files/etc/tmpfiles.d/isoloir.conf");
    snprintf(want, sizeof want, "d %s ", MOUNTS_ROOT_DEFAULT);
    CHECK_HAS(s, want);
    free(s);
    s = load("files/etc/udev/rules.d/80-isoloir-usb.rules");
    CHECK_HAS(s, "ENV{SYSTEMD_WANTS}+=\"isoloir-usb-mount@%k.service\"");
    CHECK_HAS(s, "ENV{ID_BUS}==\"usb\"");
    /* receipt printers: the kiosk user's group may write to them (docs/printing.md) */
    CHECK_HAS(s, "ENV{ID_USB_INTERFACES}==\"*:0701*\", \\\n  GROUP=\"plugdev\", MODE=\"0660\"");
    free(s);
    s = load("files/etc/systemd/system/isoloir-kiosk.service");
    CHECK_HAS(s, "\nSupplementaryGroups=");
    CHECK_HAS(strstr(s, "\nSupplementaryGroups="), " plugdev\n");
    free(s);
}

static void test_kiosk_service(void)
{
    char *s = load("files/etc/systemd/system/isoloir-kiosk.service");
    CHECK_HAS(s, "\nType=notify\n");
    CHECK_HAS(s, "\nWatchdogSec=");
    CHECK_HAS(s, "\nRestart=always\n");
    CHECK_HAS(s, "\nPrivateNetwork=yes\n");
    CHECK_HAS(s, "\nProtectSystem=strict\n");
    char want[256];
    snprintf(want, sizeof want, "ReadWritePaths=/var/lib/isoloir %s\n", MOUNTS_ROOT_DEFAULT);
    CHECK_HAS(s, want);
    free(s);
    s = load("files/etc/systemd/system.conf.d/isoloir-watchdog.conf");
    CHECK_HAS(s, "RuntimeWatchdogSec=");
    free(s);
}

static void test_read_only_root(void)
{
    char *s = load("files/etc/fstab");
    CHECK_HAS(s, "\nLABEL=rootfs          /                 ext4   ro,");
    CHECK_HAS(s, "/boot/firmware    vfat   ro,");
    CHECK_HAS(s, "/media            tmpfs");
    free(s);
}

static void test_scripts_parse(void)
{
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    const char *scripts[] = {"01-isoloir/files/usr/lib/isoloir/usb-mount", "01-isoloir/01-run.sh",
                             "prerun.sh"};
    for (size_t i = 0; i < ARRAY_LEN(scripts); i++) {
        char cmd[4096];
        snprintf(cmd, sizeof cmd, "%s -n '%s/firmware/stage-isoloir/%s'", i == 0 ? "sh" : "bash",
                 src, scripts[i]);
        int st = system(cmd);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
}

int main(void)
{
    RUN(test_usb_mount_helper);
    RUN(test_kiosk_service);
    RUN(test_read_only_root);
    RUN(test_scripts_parse);
    return check_done();
}
