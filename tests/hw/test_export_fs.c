/* The export on real filesystems: small vfat and ext4 images, loop-mounted, formatted with
 * dosfstools/e2fsprogs. The writer's own filesystem check runs on the real mountinfo; the
 * bundle is read back after an unmount and a fresh mount (so from the image, not a cache);
 * a stick too small gives the "full" message and leaves no bundle; a read-only mount is
 * refused before writing. Needs root and a kernel that mounts the type: each filesystem not
 * available is skipped, and the whole test exits 77 if none is. */
#include <sys/wait.h>

#include "hwfix.h"
#include "mounts.h"

static int sh(const char *fmt, const char *a, const char *b, const char *c)
{
    char cmd[4 * PATH_MAX];
    snprintf(cmd, sizeof cmd, fmt, a, b, c);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Makes an image of size_mb and mounts it at mnt with opts; 0 if it worked. */
static int make_mount(const char *fs, const char *img, const char *mnt, int size_mb,
                      const char *opts)
{
    char size[32];
    snprintf(size, sizeof size, "%d", size_mb);
    if (sh("truncate -s %sM '%s' 2>/dev/null", size, img, "") != 0)
        return -1;
    int rc = strcmp(fs, "vfat") == 0 ? sh("mkfs.vfat '%s' >/dev/null 2>&1", img, "", "")
                                     : sh("mkfs.ext4 -q -F '%s' >/dev/null 2>&1", img, "", "");
    if (rc != 0)
        return -1;
    mkdir(mnt, 0755);
    return sh("mount -o loop,%s '%s' '%s' >/dev/null 2>&1", opts, img, mnt);
}

static void unmount(const char *mnt)
{
    sh("umount '%s' >/dev/null 2>&1", mnt, "", "");
}

static void add_big_rows(struct hwfix *f, int n)
{
    fix_exec(f->writer, "BEGIN");
    for (int i = 0; i < n; i++)
        fix_exec(f->writer, "INSERT INTO rows(kind, payload) VALUES (2, randomblob(65536))");
    fix_exec(f->writer, "COMMIT");
}

/* Returns true if the filesystem could be tried. */
static bool run_fs(const char *fs)
{
    struct hwfix f;
    fix_setup(&f, fs, 50);
    char img[PATH_MAX], mnt[PATH_MAX];
    snprintf(img, sizeof img, "%s/stick.img", f.root);
    snprintf(mnt, sizeof mnt, "%s/mnt", f.root);
    if (make_mount(fs, img, mnt, 16, "rw") != 0) {
        printf("%s: cannot format and loop-mount an image here: skipped\n", fs);
        fix_teardown(&f);
        return false;
    }
    f.rq.dest_dir = mnt;
    f.rq.flags = 0; /* the real filesystem check, on /proc/self/mountinfo */
    struct export_result res;
    struct err e;
    err_clear(&e);
    int rc = export_write(&f.rq, &res, &e);
    CHECK_INT(rc, 0);
    if (rc)
        fprintf(stderr, "%s: %s\n", fs, e.msg);
    unmount(mnt);
    /* Remount: what the reader sees now comes from the image. */
    CHECK_INT(sh("mount -o loop,ro '%s' '%s' >/dev/null 2>&1", img, mnt, ""), 0);
    struct bundle b;
    rc = bundle_open(res.dir, &b, &e);
    CHECK_INT(rc, 0);
    if (rc == 0) {
        CHECK_INT(b.manifest.journal_last_seq, 50);
        bundle_close(&b);
    } else {
        fprintf(stderr, "%s: %s\n", fs, e.msg);
    }
    /* Read-only mount: refused before writing. */
    f.rq.export_seq = 4;
    CHECK_INT(export_write(&f.rq, &res, &e), ERR_PERM);
    CHECK_INT(res.failure, EXPORT_READ_ONLY);
    unmount(mnt);
    unlink(img);

    /* A stick too small for the journal. */
    add_big_rows(&f, 40); /* about 2.6 MB */
    CHECK_INT(make_mount(fs, img, mnt, 2, "rw"), 0);
    f.rq.export_seq = 5;
    err_clear(&e);
    rc = export_write(&f.rq, &res, &e);
    CHECK_INT(rc, ERR_FULL);
    CHECK_INT(res.failure, EXPORT_FULL);
    CHECK_HAS(e.msg, "the USB stick is full");
    CHECK_INT(fix_count(mnt, "isoloir-") + fix_count(mnt, ".partial-"), 0);
    unmount(mnt);
    unlink(img);
    printf("%s: export, remount and read back, read-only and full stick: checked\n", fs);
    fix_teardown(&f);
    return true;
}

static bool tried;

static void test_vfat(void)
{
    tried |= run_fs("vfat");
}

static void test_ext4(void)
{
    tried |= run_fs("ext4");
}

int main(void)
{
    if (geteuid() != 0)
        check_skip("needs root to loop-mount filesystem images");
    RUN(test_vfat);
    RUN(test_ext4);
    if (!tried)
        check_skip("neither vfat nor ext4 images can be loop-mounted here");
    return check_done();
}
