/* simvfs — a SQLite VFS for the journal's storage tests: a shim over the default (unix) VFS,
 * registered as the default in the test program only, that passes every call through and
 * also
 *   - keeps, for every file, what a power cut would leave of it: the bytes as of the last
 *     completed xSync of that file (the "durable" image) and the writes and truncations made
 *     since (pending). Directory entries are modelled too: a file created or deleted is only
 *     durably so once its directory is synced. The unix VFS syncs the directory in the
 *     first sync of a WAL or rollback journal it created (os_unix.c, UNIXFILE_DIRSYNC:
 *     modelled here, as tracked files are never synced for real; the simulator decides what
 *     survives, and a thousand cuts need not wait for the disk), and when SQLite deletes a
 *     file asking for a directory sync (it opens the directory through its "openDirectory"
 *     system call, which this shim overrides to take note);
 *   - cuts the power at the Nth state-changing call (write, truncate, sync, delete): the files
 *     as they would be found after the cut are kept in memory (the durable images, plus, in
 *     the "reordering" mode, a random subset of the pending writes, as a disk that writes
 *     its cache out of order would leave), and every later write, sync or delete fails, as
 *     nothing more reaches the disk; sim_restore() then puts those images in place of the
 *     real files (the -shm index is dropped: it is rebuilt from the WAL), so that the journal
 *     can be reopened from the surviving bytes;
 *   - fails the Nth I/O call of one kind (read, write, sync, a full disk, or any I/O call)
 *     for fault injection.
 * One simulator per test program, for files in one directory; not thread-safe. */
#ifndef ISOLOIR_SIMVFS_H
#define ISOLOIR_SIMVFS_H

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum sim_fault {
    SIM_NONE = 0,
    SIM_WRITE, /* the Nth xWrite fails (I/O error) */
    SIM_SYNC,  /* the Nth xSync fails */
    SIM_READ,  /* the Nth xRead fails */
    SIM_FULL,  /* the Nth xWrite reports a full disk */
    SIM_ANY,   /* the Nth call of any I/O kind (open, read, write, truncate, sync, size,
                  lock, delete) fails with that call's error */
};

struct sim_op { /* a write (data != NULL) or a truncation (data == NULL, off = new size) */
    int64_t off;
    size_t len;
    uint8_t *data;
};

struct sim_inode {
    uint8_t *dur; /* durable bytes */
    size_t dur_len;
    struct sim_op *pend; /* since the last completed sync, in order */
    size_t npend, cap;
    int handles; /* open sim_files on it */
};

#define SIM_MAX_FILES 16
#define SIM_PATH_MAX  512

struct sim_entry {
    char path[SIM_PATH_MAX];
    struct sim_inode *cur; /* what the name refers to now (NULL: no file) */
    struct sim_inode *dur; /* what it refers to after a power cut (NULL: no file) */
    uint8_t *image;        /* after a cut: the surviving bytes (image_ok: the file exists) */
    size_t image_len;
    bool image_ok;
};

struct sim {
    sqlite3_vfs vfs, *real;
    int (*real_open_dir)(const char *, int *);
    struct sim_entry files[SIM_MAX_FILES];
    struct sim_inode *inodes[4 * SIM_MAX_FILES]; /* every inode, for freeing */
    size_t ninodes;
    /* power cut */
    long cut_countdown; /* > 0: cut at that state-changing call */
    bool dead;          /* the power is off: nothing reaches the disk any more */
    bool reorder;       /* keep a random subset of the pending writes at the cut */
    uint64_t rng;
    long changes; /* state-changing calls so far */
    /* fault injection */
    enum sim_fault fault;
    long fault_countdown;
    long fired;
    long ios;                /* I/O calls counted for SIM_ANY so far */
    long calls[SIM_ANY + 1]; /* of them, per kind (SIM_ANY: open, size, lock, delete, shm) */
};

/* The unix VFS's openDirectory system call has no context argument. */
static struct sim *sim_current;

static uint64_t sim_rand(struct sim *s)
{
    s->rng ^= s->rng << 13, s->rng ^= s->rng >> 7, s->rng ^= s->rng << 17;
    return s->rng;
}

static void *sim_xalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "simvfs: out of memory\n");
        abort();
    }
    return p;
}

static void sim_inode_free(struct sim_inode *i)
{
    for (size_t p = 0; p < i->npend; p++)
        free(i->pend[p].data);
    free(i->pend);
    free(i->dur);
    free(i);
}

/* Frees the inodes that no name and no open file refers to any more. */
static void sim_gc(struct sim *s)
{
    size_t kept = 0;
    for (size_t k = 0; k < s->ninodes; k++) {
        struct sim_inode *i = s->inodes[k];
        bool used = i->handles > 0;
        for (int f = 0; f < SIM_MAX_FILES && !used; f++)
            used = s->files[f].cur == i || s->files[f].dur == i;
        if (used)
            s->inodes[kept++] = i;
        else
            sim_inode_free(i);
    }
    s->ninodes = kept;
}

static struct sim_inode *sim_inode_new(struct sim *s, const uint8_t *bytes, size_t n)
{
    if (s->ninodes == sizeof s->inodes / sizeof s->inodes[0])
        sim_gc(s);
    if (s->ninodes == sizeof s->inodes / sizeof s->inodes[0]) {
        fprintf(stderr, "simvfs: too many files\n");
        abort();
    }
    struct sim_inode *i = sim_xalloc(sizeof *i);
    i->dur = sim_xalloc(n);
    if (n)
        memcpy(i->dur, bytes, n);
    i->dur_len = n;
    s->inodes[s->ninodes++] = i;
    return i;
}

static void sim_apply(uint8_t **buf, size_t *len, const struct sim_op *o)
{
    if (!o->data) { /* truncate or extend */
        size_t n = (size_t)o->off;
        uint8_t *b = sim_xalloc(n);
        memcpy(b, *buf, n < *len ? n : *len);
        free(*buf);
        *buf = b, *len = n;
        return;
    }
    size_t end = (size_t)o->off + o->len;
    if (end > *len) {
        uint8_t *b = sim_xalloc(end);
        memcpy(b, *buf, *len);
        free(*buf);
        *buf = b, *len = end;
    }
    memcpy(*buf + o->off, o->data, o->len);
}

static void sim_pend(struct sim_inode *i, int64_t off, const void *data, size_t len)
{
    if (i->npend == i->cap) {
        i->cap = i->cap ? 2 * i->cap : 16;
        i->pend = realloc(i->pend, i->cap * sizeof *i->pend);
        if (!i->pend)
            abort();
    }
    struct sim_op *o = &i->pend[i->npend++];
    o->off = off, o->len = len, o->data = NULL;
    if (data) {
        o->data = sim_xalloc(len);
        memcpy(o->data, data, len);
    }
}

static void sim_synced(struct sim_inode *i)
{
    for (size_t k = 0; k < i->npend; k++) {
        sim_apply(&i->dur, &i->dur_len, &i->pend[k]);
        free(i->pend[k].data);
    }
    i->npend = 0;
}

static struct sim_entry *sim_entry(struct sim *s, const char *path, bool add)
{
    for (int k = 0; k < SIM_MAX_FILES; k++)
        if (s->files[k].path[0] && strcmp(s->files[k].path, path) == 0)
            return &s->files[k];
    if (!add)
        return NULL;
    for (int k = 0; k < SIM_MAX_FILES; k++)
        if (!s->files[k].path[0]) {
            size_t n = strnlen(path, SIM_PATH_MAX);
            if (n == SIM_PATH_MAX) {
                fprintf(stderr, "simvfs: a path longer than %d bytes\n", SIM_PATH_MAX - 1);
                abort();
            }
            memcpy(s->files[k].path, path, n + 1);
            return &s->files[k];
        }
    fprintf(stderr, "simvfs: too many files\n");
    abort();
}

/* The directory of `file` is synced: from then on, the names in it refer durably to what
 * they refer to now. (If the power is off, nothing changes.) */
static void sim_dir_synced(struct sim *s, const char *file)
{
    if (!s || s->dead)
        return;
    const char *slash = strrchr(file, '/');
    size_t dirlen = slash ? (size_t)(slash - file) : 0;
    for (int k = 0; k < SIM_MAX_FILES; k++) {
        struct sim_entry *f = &s->files[k];
        const char *fs = strrchr(f->path, '/');
        if (f->path[0] && (size_t)(fs ? fs - f->path : 0) == dirlen &&
            strncmp(f->path, file, dirlen) == 0)
            f->dur = f->cur;
    }
}

/* The power goes off now: compute what each file holds after the cut. */
static void sim_cut_now(struct sim *s)
{
    for (int k = 0; k < SIM_MAX_FILES; k++) {
        struct sim_entry *f = &s->files[k];
        if (!f->path[0])
            continue;
        free(f->image);
        f->image = NULL, f->image_len = 0, f->image_ok = f->dur != NULL;
        if (!f->dur)
            continue;
        f->image = sim_xalloc(f->dur->dur_len);
        memcpy(f->image, f->dur->dur, f->dur->dur_len);
        f->image_len = f->dur->dur_len;
        if (s->reorder) /* some writes made it to the disk, others not, in any order */
            for (size_t p = 0; p < f->dur->npend; p++)
                if (sim_rand(s) & 1)
                    sim_apply(&f->image, &f->image_len, &f->dur->pend[p]);
    }
    s->dead = true;
}

/* A state-changing call: false if the power is (now) off and the call must fail. */
static bool sim_change(struct sim *s)
{
    if (s->dead)
        return false;
    s->changes++;
    if (s->cut_countdown > 0 && --s->cut_countdown == 0) {
        sim_cut_now(s);
        return false;
    }
    return true;
}

static bool sim_trip(struct sim *s, enum sim_fault kind)
{
    if (s->fault == SIM_NONE)
        return false;
    bool counts =
        s->fault == SIM_ANY || s->fault == kind || (s->fault == SIM_FULL && kind == SIM_WRITE);
    if (s->fault == SIM_ANY) {
        s->ios++;
        s->calls[kind]++;
    }
    if (counts && --s->fault_countdown == 0) {
        s->fired++;
        return true;
    }
    return false;
}

struct sim_file {
    sqlite3_file base;
    struct sim *s;
    struct sim_inode *ino; /* NULL: not tracked (temporary files) */
    bool dirsync;          /* its first sync also syncs its directory */
    const char *path;
    sqlite3_file *real;
};

#define SIM_REAL(p) (((struct sim_file *)(p))->real)
#define SIM_OF(p)   (((struct sim_file *)(p))->s)

static int sim_close(sqlite3_file *p)
{
    struct sim_file *f = (struct sim_file *)p;
    if (f->ino)
        f->ino->handles--;
    f->ino = NULL;
    return f->real->pMethods->xClose(f->real);
}
static int sim_read(sqlite3_file *p, void *b, int n, sqlite3_int64 off)
{
    if (sim_trip(SIM_OF(p), SIM_READ))
        return SQLITE_IOERR_READ;
    return SIM_REAL(p)->pMethods->xRead(SIM_REAL(p), b, n, off);
}
static int sim_write(sqlite3_file *p, const void *b, int n, sqlite3_int64 off)
{
    struct sim_file *f = (struct sim_file *)p;
    if (sim_trip(f->s, SIM_WRITE))
        return f->s->fault == SIM_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    if (f->ino && !sim_change(f->s))
        return SQLITE_IOERR_WRITE;
    int rc = f->real->pMethods->xWrite(f->real, b, n, off);
    if (rc == SQLITE_OK && f->ino)
        sim_pend(f->ino, off, b, (size_t)n);
    return rc;
}
static int sim_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    struct sim_file *f = (struct sim_file *)p;
    if (sim_trip(f->s, SIM_WRITE))
        return SQLITE_IOERR_TRUNCATE;
    if (f->ino && !sim_change(f->s))
        return SQLITE_IOERR_TRUNCATE;
    int rc = f->real->pMethods->xTruncate(f->real, size);
    if (rc == SQLITE_OK && f->ino)
        sim_pend(f->ino, size, NULL, 0);
    return rc;
}
static int sim_sync(sqlite3_file *p, int flags)
{
    struct sim_file *f = (struct sim_file *)p;
    if (sim_trip(f->s, SIM_SYNC))
        return SQLITE_IOERR_FSYNC;
    if (f->ino && !sim_change(f->s))
        return SQLITE_IOERR_FSYNC;
    /* Tracked files are not synced for real: the simulator decides what survives, and a
     * thousand cuts need not wait for the disk. The unix VFS syncs the directory in the
     * first sync of a WAL or journal it created (os_unix.c, UNIXFILE_DIRSYNC); that is
     * modelled here. Other files go to the real sync. */
    int rc = SQLITE_OK;
    if (!f->ino)
        rc = f->real->pMethods->xSync(f->real, flags);
    else if (f->dirsync)
        sim_dir_synced(f->s, f->path);
    f->dirsync = false;
    if (rc == SQLITE_OK && f->ino)
        sim_synced(f->ino);
    return rc;
}
static int sim_size(sqlite3_file *p, sqlite3_int64 *size)
{
    if (SIM_OF(p)->fault == SIM_ANY && sim_trip(SIM_OF(p), SIM_ANY))
        return SQLITE_IOERR_FSTAT;
    return SIM_REAL(p)->pMethods->xFileSize(SIM_REAL(p), size);
}
static int sim_lock(sqlite3_file *p, int level)
{
    if (SIM_OF(p)->fault == SIM_ANY && sim_trip(SIM_OF(p), SIM_ANY))
        return SQLITE_IOERR_LOCK;
    return SIM_REAL(p)->pMethods->xLock(SIM_REAL(p), level);
}
static int sim_unlock(sqlite3_file *p, int level)
{
    return SIM_REAL(p)->pMethods->xUnlock(SIM_REAL(p), level);
}
static int sim_check_lock(sqlite3_file *p, int *out)
{
    return SIM_REAL(p)->pMethods->xCheckReservedLock(SIM_REAL(p), out);
}
static int sim_fcntl(sqlite3_file *p, int op, void *arg)
{
    return SIM_REAL(p)->pMethods->xFileControl(SIM_REAL(p), op, arg);
}
static int sim_sector(sqlite3_file *p)
{
    return SIM_REAL(p)->pMethods->xSectorSize(SIM_REAL(p));
}
static int sim_caps(sqlite3_file *p)
{
    return SIM_REAL(p)->pMethods->xDeviceCharacteristics(SIM_REAL(p));
}
static int sim_shm_map(sqlite3_file *p, int pg, int sz, int ext, void volatile **out)
{
    if (SIM_OF(p)->fault == SIM_ANY && sim_trip(SIM_OF(p), SIM_ANY))
        return SQLITE_IOERR_SHMMAP;
    return SIM_REAL(p)->pMethods->xShmMap(SIM_REAL(p), pg, sz, ext, out);
}
static int sim_shm_lock(sqlite3_file *p, int off, int n, int flags)
{
    return SIM_REAL(p)->pMethods->xShmLock(SIM_REAL(p), off, n, flags);
}
static void sim_shm_barrier(sqlite3_file *p)
{
    SIM_REAL(p)->pMethods->xShmBarrier(SIM_REAL(p));
}
static int sim_shm_unmap(sqlite3_file *p, int del)
{
    return SIM_REAL(p)->pMethods->xShmUnmap(SIM_REAL(p), del);
}

/* Version 2: no memory-mapped I/O, so every byte SQLite writes goes through sim_write. */
static const sqlite3_io_methods SIM_METHODS = {
    2,        sim_close,   sim_read,     sim_write,       sim_truncate,  sim_sync,
    sim_size, sim_lock,    sim_unlock,   sim_check_lock,  sim_fcntl,     sim_sector,
    sim_caps, sim_shm_map, sim_shm_lock, sim_shm_barrier, sim_shm_unmap, NULL,
    NULL};

static int sim_xopen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
    struct sim *s = vfs->pAppData;
    struct sim_file *f = (struct sim_file *)file;
    f->s = s;
    f->real = (sqlite3_file *)(f + 1);
    f->ino = NULL;
    f->dirsync = false;
    f->path = NULL;
    f->base.pMethods = NULL;
    if (s->fault == SIM_ANY && sim_trip(s, SIM_ANY))
        return SQLITE_CANTOPEN;
    struct sim_entry *en = NULL;
    bool existed = false;
    if (name && !(flags & SQLITE_OPEN_DELETEONCLOSE)) {
        en = sim_entry(s, name, true);
        existed = access(name, F_OK) == 0;
        if (!existed && (flags & SQLITE_OPEN_CREATE) && !sim_change(s))
            return SQLITE_CANTOPEN; /* the power is off: no file is created */
    }
    int rc = s->real->xOpen(s->real, name, f->real, flags, out);
    if (rc != SQLITE_OK)
        return rc;
    f->base.pMethods = &SIM_METHODS;
    if (en) {
        if (!en->cur) {
            if (existed) { /* a file from before the simulation: durable as it is */
                struct stat sb;
                uint8_t *bytes = NULL;
                size_t n = 0;
                int fd = open(name, O_RDONLY);
                if (fd >= 0 && fstat(fd, &sb) == 0) {
                    n = (size_t)sb.st_size;
                    bytes = sim_xalloc(n);
                    if (pread(fd, bytes, n, 0) != (ssize_t)n)
                        n = 0;
                }
                if (fd >= 0)
                    close(fd);
                en->cur = en->dur = sim_inode_new(s, bytes, n);
                free(bytes);
            } else {
                en->cur = sim_inode_new(s, NULL, 0);
            }
        }
        f->ino = en->cur;
        f->ino->handles++;
        f->path = en->path;
        f->dirsync =
            !existed && (flags & SQLITE_OPEN_CREATE) &&
            (flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL));
    }
    return SQLITE_OK;
}

static int sim_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
    struct sim *s = vfs->pAppData;
    if (s->fault == SIM_ANY && sim_trip(s, SIM_ANY))
        return SQLITE_IOERR_DELETE;
    if (!sim_change(s))
        return SQLITE_IOERR_DELETE;
    struct sim_entry *en = sim_entry(s, name, false);
    if (en)
        en->cur = NULL; /* durably gone once the directory is synced */
    return s->real->xDelete(s->real, name, sync);
}
static int sim_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    struct sim *s = vfs->pAppData;
    return s->real->xAccess(s->real, name, flags, out);
}
static int sim_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    struct sim *s = vfs->pAppData;
    return s->real->xFullPathname(s->real, name, n, out);
}

/* The unix VFS opens a directory only to fsync it (deleting a file with a directory sync). */
static int sim_open_directory(const char *file, int *fd)
{
    sim_dir_synced(sim_current, file);
    return sim_current->real_open_dir(file, fd);
}

/* Registers the simulator as the default VFS. Returns 0, or -1 with a message. */
static inline int sim_install(struct sim *s, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->rng = seed ? seed : 1;
    s->real = sqlite3_vfs_find(NULL);
    if (!s->real || !s->real->xGetSystemCall) {
        fprintf(stderr, "simvfs: the default SQLite VFS has no system-call table\n");
        return -1;
    }
    s->real_open_dir =
        (int (*)(const char *, int *))s->real->xGetSystemCall(s->real, "openDirectory");
    if (!s->real_open_dir ||
        s->real->xSetSystemCall(s->real, "openDirectory",
                                (sqlite3_syscall_ptr)sim_open_directory) != SQLITE_OK) {
        fprintf(stderr, "simvfs: cannot observe directory syncs (no openDirectory call)\n");
        return -1;
    }
    sim_current = s;
    s->vfs = *s->real;
    s->vfs.zName = "isoloir-sim";
    s->vfs.szOsFile = (int)sizeof(struct sim_file) + s->real->szOsFile;
    s->vfs.pAppData = s;
    s->vfs.xOpen = sim_xopen;
    s->vfs.xDelete = sim_delete;
    s->vfs.xAccess = sim_access;
    s->vfs.xFullPathname = sim_full;
    s->vfs.xSetSystemCall = NULL;
    s->vfs.xGetSystemCall = NULL;
    s->vfs.xNextSystemCall = NULL;
    s->vfs.pNext = NULL;
    sqlite3_vfs_register(&s->vfs, 1);
    return 0;
}

/* Forgets every file (files still open stay known to their handles only). */
static void sim_forget(struct sim *s)
{
    for (int k = 0; k < SIM_MAX_FILES; k++)
        free(s->files[k].image);
    memset(s->files, 0, sizeof s->files);
    sim_gc(s);
}

/* The number of files open through the simulator (tracked ones). */
static inline int sim_open_files(const struct sim *s)
{
    int n = 0;
    for (size_t k = 0; k < s->ninodes; k++)
        n += s->inodes[k]->handles;
    return n;
}

static inline void sim_uninstall(struct sim *s)
{
    sim_forget(s);
    for (size_t k = 0; k < s->ninodes; k++) /* left open by the code under test */
        s->inodes[k]->handles = 0;
    sqlite3_vfs_unregister(&s->vfs);
    s->real->xSetSystemCall(s->real, "openDirectory", (sqlite3_syscall_ptr)s->real_open_dir);
    sim_current = NULL;
    sim_forget(s);
}

/* Cuts the power at the nth state-changing call from now (n >= 1). */
static inline void sim_arm_cut(struct sim *s, long n, bool reorder)
{
    s->cut_countdown = n;
    s->reorder = reorder;
}

/* Cuts the power now (if it is not off already). */
static inline void sim_cut(struct sim *s)
{
    if (!s->dead)
        sim_cut_now(s);
    s->cut_countdown = 0;
}

static int sim_write_file(const char *path, const uint8_t *b, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, b + done, n - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    close(fd);
    return done == n ? 0 : -1;
}

/* After a cut, with every connection closed: the files become what survived the cut, and the
 * power comes back. Returns 0 or -1 (a message printed). */
static inline int sim_restore(struct sim *s)
{
    if (!s->dead) {
        fprintf(stderr, "simvfs: restore without a cut\n");
        return -1;
    }
    int rc = 0;
    for (int k = 0; k < SIM_MAX_FILES; k++) {
        struct sim_entry *f = &s->files[k];
        if (!f->path[0])
            continue;
        unlink(f->path);
        char shm[SIM_PATH_MAX + 8];
        snprintf(shm, sizeof shm, "%s-shm", f->path);
        unlink(shm);
        if (f->image_ok && sim_write_file(f->path, f->image, f->image_len) != 0) {
            fprintf(stderr, "simvfs: cannot write %s: %s\n", f->path, strerror(errno));
            rc = -1;
        }
    }
    /* From now on the restored files are durable as they are. */
    struct sim_entry keep[SIM_MAX_FILES];
    memcpy(keep, s->files, sizeof keep);
    for (int k = 0; k < SIM_MAX_FILES; k++)
        s->files[k].image = NULL;
    sim_forget(s);
    for (int k = 0; k < SIM_MAX_FILES; k++) {
        if (!keep[k].path[0] || !keep[k].image_ok) {
            free(keep[k].image);
            continue;
        }
        struct sim_entry *en = sim_entry(s, keep[k].path, true);
        en->cur = en->dur = sim_inode_new(s, keep[k].image, keep[k].image_len);
        free(keep[k].image);
    }
    s->dead = false;
    s->cut_countdown = 0;
    return rc;
}

/* Forgets every file (after the test removed them). */
static inline void sim_reset(struct sim *s)
{
    sim_forget(s);
    s->dead = false;
    s->cut_countdown = 0;
}

#endif
