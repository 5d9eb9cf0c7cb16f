/*
 * hwfix — fixtures shared by the hw tests: a scratch directory, a small WAL-mode journal
 * database standing in for the kiosk's journal (kept open by a writer connection, as on the
 * kiosk), a kiosk key, an export request, and helpers to hash and remove trees.
 */
#ifndef ISOLOIR_TEST_HWFIX_H
#define ISOLOIR_TEST_HWFIX_H

/* Test paths are short scratch paths; truncation would only make a test fail. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <dirent.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "check.h"
#include "export.h"
#include "key.h"
#include "util.h"

struct hwfix {
    char root[PATH_MAX];    /* scratch directory (absolute) */
    char journal[PATH_MAX]; /* root/journal.sqlite */
    char stick[PATH_MAX];   /* root/stick: the "mounted stick" */
    sqlite3 *writer;        /* keeps the journal open in WAL mode, like the kiosk */
    struct secret_key *key;
    struct export_file files[2];
    struct export_request rq;
};

static inline void fix_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char sub[PATH_MAX];
            snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
            fix_rmtree(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* BLAKE2b of a file's bytes, or zeros if it does not exist. */
static inline void fix_hash_file(const char *path, uint8_t out[HASH_LEN])
{
    uint64_t size;
    memset(out, 0, HASH_LEN);
    (void)bundle_hash_file(path, UINT64_MAX, out, &size, NULL);
}

static inline void fix_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s: %s\n", sql, msg ? msg : "?");
        exit(2);
    }
}

static inline const char *fix_report_zero(void)
{
    return "ZERO REPORT\nballots: 0\n";
}

/* Creates the scratch dir, the journal with `rows` rows, the stick dir, a kiosk key and a
 * request writing to the stick with EXPORT_ANY_FILESYSTEM. */
static inline void fix_setup(struct hwfix *f, const char *tag, int rows)
{
    memset(f, 0, sizeof *f);
    struct err e;
    if (crypto_setup(&e)) {
        fprintf(stderr, "%s\n", e.msg);
        exit(2);
    }
    char tmpl[PATH_MAX];
    snprintf(tmpl, sizeof tmpl, "hwtest-%s-XXXXXX", tag);
    if (!mkdtemp(tmpl) || !realpath(tmpl, f->root)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(f->journal, sizeof f->journal, "%s/journal.sqlite", f->root);
    snprintf(f->stick, sizeof f->stick, "%s/stick", f->root);
    mkdir(f->stick, 0755);
    if (sqlite3_open(f->journal, &f->writer) != SQLITE_OK)
        exit(2);
    fix_exec(f->writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                        "CREATE TABLE rows(seq INTEGER PRIMARY KEY, kind INTEGER, payload BLOB)"
                        " STRICT;");
    for (int i = 0; i < rows; i++)
        fix_exec(
            f->writer,
            "INSERT INTO rows(kind, payload) VALUES (2, randomblob(300 + abs(random()) % 200))");
    if (key_generate(KEY_KIOSK, true, &f->key, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        exit(2);
    }
    f->files[0] =
        (struct export_file){"report-zero.txt", fix_report_zero(), strlen(fix_report_zero())};
    f->files[1] = (struct export_file){"report-closing.txt", "CLOSING\nballots: 40\n", 21};
    struct export_request *rq = &f->rq;
    rq->dest_dir = f->stick;
    rq->journal_path = f->journal;
    rq->election_id = "bxl-2026";
    memset(rq->package_hash, 0xab, HASH_LEN);
    rq->kiosk_key = f->key;
    rq->export_seq = 3;
    rq->kind = BUNDLE_CLOSING;
    rq->journal_last_seq = (uint64_t)rows;
    memset(rq->journal_head, 0x5c, HASH_LEN);
    rq->files = f->files;
    rq->nfiles = 2;
    rq->flags = EXPORT_ANY_FILESYSTEM;
}

static inline void fix_teardown(struct hwfix *f)
{
    sqlite3_close(f->writer);
    key_free(f->key);
    fix_rmtree(f->root);
}

/* Number of entries in dir whose name starts with prefix. */
static inline int fix_count(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
            n++;
    if (d)
        closedir(d);
    return n;
}

#endif
