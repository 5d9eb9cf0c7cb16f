/*
 * mounts — USB device to mounted filesystem, through sysfs and mountinfo; see mounts.h.
 *
 * Invariants: the walk below the USB device never follows a symbolic link and stops at a
 * fixed depth; mountinfo lines are read with a length bound and parsed strictly (a line that
 * does not parse is skipped, never guessed at).
 */
#include "mounts.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "util.h"

#define WALK_DEPTH 10

static const char *or_default(const char *s, const char *d)
{
    return s && *s ? s : d;
}

bool mounts_fstype_allowed(const char *fstype)
{
    return strcmp(fstype, "vfat") == 0 || strcmp(fstype, "exfat") == 0 ||
           strcmp(fstype, "ext4") == 0;
}

/* Reads "MAJ:MIN\n" from path. */
static bool read_devnum(const char *path, unsigned *maj, unsigned *min)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return false;
    char line[64];
    bool ok = false;
    if (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = '\0';
            char *nl = strchr(colon + 1, '\n');
            if (nl)
                *nl = '\0';
            int64_t a, b;
            ok = util_parse_i64(line, &a) == 0 && util_parse_i64(colon + 1, &b) == 0 && a >= 0 &&
                 b >= 0 && a <= 0xfffff && b <= 0xfffff;
            if (ok) {
                *maj = (unsigned)a;
                *min = (unsigned)b;
            }
        }
    }
    fclose(f);
    return ok;
}

struct devset {
    unsigned *majors, *minors;
    int n, max;
};

static void devset_add(struct devset *s, unsigned maj, unsigned min)
{
    for (int i = 0; i < s->n; i++)
        if (s->majors[i] == maj && s->minors[i] == min)
            return;
    if (s->n < s->max) {
        s->majors[s->n] = maj;
        s->minors[s->n] = min;
        s->n++;
    }
}

static bool is_real_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dir is ".../block": each entry is a disk; its subdirectories with a `partition` file are
 * its partitions. */
static void collect_block(const char *dir, struct devset *s)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char disk[PATH_MAX], file[PATH_MAX];
        if ((size_t)snprintf(disk, sizeof disk, "%s/%s", dir, de->d_name) >= sizeof disk)
            continue;
        unsigned maj, min;
        if ((size_t)snprintf(file, sizeof file, "%s/dev", disk) < sizeof file &&
            read_devnum(file, &maj, &min))
            devset_add(s, maj, min);
        DIR *pd = opendir(disk);
        if (!pd)
            continue;
        struct dirent *pe;
        while ((pe = readdir(pd)) != NULL) {
            if (pe->d_name[0] == '.')
                continue;
            char part[PATH_MAX];
            if ((size_t)snprintf(part, sizeof part, "%s/%s", disk, pe->d_name) >= sizeof part ||
                !is_real_dir(part))
                continue;
            struct stat st;
            if ((size_t)snprintf(file, sizeof file, "%s/partition", part) >= sizeof file ||
                stat(file, &st) != 0)
                continue;
            if ((size_t)snprintf(file, sizeof file, "%s/dev", part) < sizeof file &&
                read_devnum(file, &maj, &min))
                devset_add(s, maj, min);
        }
        closedir(pd);
    }
    closedir(d);
}

static void walk(const char *dir, int depth, struct devset *s)
{
    if (depth > WALK_DEPTH)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char sub[PATH_MAX];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", dir, de->d_name) >= sizeof sub ||
            !is_real_dir(sub))
            continue;
        if (strcmp(de->d_name, "block") == 0)
            collect_block(sub, s);
        else
            walk(sub, depth + 1, s);
    }
    closedir(d);
}

static bool sysname_valid(const char *s)
{
    if (!s || !*s || strlen(s) > 32)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
            return false;
    return true;
}

int mounts_usb_blockdevs(const struct mounts_config *c, const char *sysname, unsigned *majors,
                         unsigned *minors, int max, struct err *e)
{
    if (!sysname_valid(sysname))
        return err_set(e, ERR_USAGE, "\"%s\" is not a USB device name like 1-1.4",
                       sysname ? sysname : "");
    char dev[PATH_MAX];
    const char *sys = or_default(c ? c->sysfs_root : NULL, MOUNTS_SYSFS_DEFAULT);
    if ((size_t)snprintf(dev, sizeof dev, "%s/bus/usb/devices/%s", sys, sysname) >= sizeof dev)
        return err_set(e, ERR_USAGE, "sysfs path too long");
    struct stat st;
    if (stat(dev, &st) != 0 || !S_ISDIR(st.st_mode))
        return err_set(e, ERR_NOTFOUND, "the USB device %s is not in %s (was it removed?)", sysname,
                       sys);
    struct devset s = {majors, minors, 0, max};
    walk(dev, 0, &s);
    return s.n;
}

/* Undoes mountinfo's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash). */
static bool unescape(char *out, size_t size, const char *in, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (c == '\\') {
            if (i + 3 >= n)
                return false;
            int v = 0;
            for (size_t k = 1; k <= 3; k++) {
                char d = in[i + k];
                if (d < '0' || d > '7')
                    return false;
                v = v * 8 + (d - '0');
            }
            if (v == 0 || v > 255)
                return false;
            c = (char)v;
            i += 3;
        }
        if (j + 1 >= size)
            return false;
        out[j++] = c;
    }
    out[j] = '\0';
    return true;
}

int mounts_parse_line(const char *line, struct mount_info *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    const char *f[12];
    size_t len[12];
    int nf = 0, sep = -1;
    const char *p = line;
    while (*p && *p != '\n') {
        while (*p == ' ')
            p++;
        if (!*p || *p == '\n')
            break;
        const char *start = p;
        while (*p && *p != ' ' && *p != '\n')
            p++;
        if (sep < 0 && nf >= 6 && p - start == 1 && *start == '-')
            sep = nf;
        if (nf < 12) {
            f[nf] = start;
            len[nf] = (size_t)(p - start);
        }
        nf++;
        if (sep >= 0 && nf >= sep + 4)
            break;
    }
    if (sep < 0 || nf < sep + 4 || sep >= 12 || sep + 3 >= 12)
        return err_set(e, ERR_FORMAT, "not a mountinfo line");
    /* field 2 (0-based): major:minor */
    char num[32];
    if (len[2] >= sizeof num)
        return err_set(e, ERR_FORMAT, "bad device number in mountinfo");
    memcpy(num, f[2], len[2]);
    num[len[2]] = '\0';
    char *colon = strchr(num, ':');
    int64_t a, b;
    if (!colon)
        return err_set(e, ERR_FORMAT, "bad device number in mountinfo");
    *colon = '\0';
    if (util_parse_i64(num, &a) || util_parse_i64(colon + 1, &b) || a < 0 || b < 0 || a > 0xfffff ||
        b > 0xfffff)
        return err_set(e, ERR_FORMAT, "bad device number in mountinfo");
    out->major = (unsigned)a;
    out->minor = (unsigned)b;
    if (!unescape(out->dir, sizeof out->dir, f[4], len[4]) || out->dir[0] != '/')
        return err_set(e, ERR_FORMAT, "bad mount point in mountinfo");
    if (len[sep + 1] >= sizeof out->fstype || len[sep + 2] >= sizeof out->source)
        return err_set(e, ERR_FORMAT, "bad filesystem type in mountinfo");
    memcpy(out->fstype, f[sep + 1], len[sep + 1]);
    if (!unescape(out->source, sizeof out->source, f[sep + 2], len[sep + 2]))
        return err_set(e, ERR_FORMAT, "bad mount source in mountinfo");
    /* "ro" as a whole option in the mount options (field 5) or the superblock options. */
    const size_t optf[2] = {5, (size_t)sep + 3};
    for (int k = 0; k < 2; k++) {
        const char *o = f[optf[k]];
        size_t n = len[optf[k]];
        if ((n >= 2 && memcmp(o, "ro", 2) == 0 && (n == 2 || o[2] == ',')))
            out->read_only = true;
        for (size_t i = 0; i + 3 <= n; i++)
            if (o[i] == ',' && o[i + 1] == 'r' && o[i + 2] == 'o' &&
                (i + 3 == n || o[i + 3] == ','))
                out->read_only = true;
    }
    return 0;
}

/* true if path is root or below it (component boundary). */
static bool under(const char *path, const char *root)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    if (n == 1 && root[0] == '/')
        return true;
    return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

typedef bool (*mount_pick)(const struct mount_info *m, void *arg);

/* Calls pick on every parseable line; stops at the first true. Returns 0 if found. */
static int scan(const struct mounts_config *c, mount_pick pick, void *arg, struct mount_info *out,
                bool want_longest, struct err *e)
{
    const char *path = or_default(c ? c->mountinfo_path : NULL, MOUNTS_MOUNTINFO_DEFAULT);
    FILE *f = fopen(path, "re");
    if (!f)
        return err_errno(e, "cannot read the list of mounts %s", path);
    char line[3 * PATH_MAX];
    bool found = false;
    size_t best = 0;
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            int ch; /* overlong line: skip the rest of it */
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            continue;
        }
        struct mount_info m;
        if (mounts_parse_line(line, &m, NULL) != 0 || !pick(&m, arg))
            continue;
        if (!want_longest) {
            *out = m;
            found = true;
            break;
        }
        /* Later lines over-mount earlier ones: >= keeps the last of equal length. */
        if (!found || strlen(m.dir) >= best) {
            best = strlen(m.dir);
            *out = m;
            found = true;
        }
    }
    fclose(f);
    return found ? 0 : ERR_NOTFOUND;
}

struct stick_arg {
    const struct devset *s;
    const char *root;
};

static bool pick_stick(const struct mount_info *m, void *arg)
{
    const struct stick_arg *a = arg;
    if (!under(m->dir, a->root))
        return false;
    for (int i = 0; i < a->s->n; i++)
        if (a->s->majors[i] == m->major && a->s->minors[i] == m->minor)
            return true;
    return false;
}

int mounts_find_stick(const struct mounts_config *c, const char *sysname, struct mount_info *out,
                      struct err *e)
{
    unsigned majors[MOUNTS_MAX_DEVS], minors[MOUNTS_MAX_DEVS];
    int n = mounts_usb_blockdevs(c, sysname, majors, minors, MOUNTS_MAX_DEVS, e);
    if (n < 0)
        return n;
    if (n == 0)
        return err_set(e, ERR_NOTFOUND,
                       "the USB device %s shows no disk (yet): wait a moment, or use another "
                       "stick",
                       sysname);
    struct devset s = {majors, minors, n, n};
    const char *root = or_default(c ? c->mount_root : NULL, MOUNTS_ROOT_DEFAULT);
    struct stick_arg a = {&s, root};
    int rc = scan(c, pick_stick, &a, out, false, e);
    if (rc == ERR_NOTFOUND)
        return err_set(e, ERR_NOTFOUND,
                       "the USB stick %s is not mounted under %s (yet): wait a moment; if it "
                       "stays so, its filesystem may be unreadable: use a stick formatted as "
                       "FAT32 or exFAT",
                       sysname, root);
    return rc;
}

static bool pick_dir(const struct mount_info *m, void *arg)
{
    return under((const char *)arg, m->dir);
}

int mounts_lookup_dir(const struct mounts_config *c, const char *dir, struct mount_info *out,
                      struct err *e)
{
    char real[PATH_MAX];
    if (!realpath(dir, real))
        return err_errno(e, "cannot find the directory %s", dir);
    int rc = scan(c, pick_dir, real, out, true, e);
    if (rc == ERR_NOTFOUND)
        return err_set(e, ERR_NOTFOUND, "no mounted filesystem holds %s", dir);
    return rc;
}

static bool pick_below_root(const struct mount_info *m, void *arg)
{
    const char *root = arg;
    return under(m->dir, root) && strcmp(m->dir, root) != 0;
}

int mounts_find_any(const struct mounts_config *c, struct mount_info *out, struct err *e)
{
    const char *root = or_default(c ? c->mount_root : NULL, MOUNTS_ROOT_DEFAULT);
    int rc = scan(c, pick_below_root, (void *)root, out, false, e);
    if (rc == ERR_NOTFOUND)
        return err_set(e, ERR_NOTFOUND,
                       "no USB stick is mounted under %s: insert a stick and wait a moment", root);
    return rc;
}
