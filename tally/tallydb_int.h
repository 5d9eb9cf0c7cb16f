/*
 * tallydb_int — what the tally database's two files share (tallydb.c: the file, its schema
 * and the queries; tallydb_import.c: importing a source). Never included elsewhere: the rest
 * of the tally reads the database through tallydb.h.
 */
#ifndef ISOLOIR_TALLY_TALLYDB_INT_H
#define ISOLOIR_TALLY_TALLYDB_INT_H

#include <sqlite3.h>

#include "tallydb.h"

struct tallydb {
    sqlite3 *db;
    const struct election *el;
    uint8_t package_hash[HASH_LEN];
    bool temporary;
};

/* ERR_IO naming what failed, with SQLite's message. */
int tdb_fail(sqlite3 *db, const char *what, struct err *e);
/* Runs SQL; ERR_IO with the message on failure. */
int tdb_exec(sqlite3 *db, const char *sql, struct err *e);
int tdb_prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql, struct err *e);
/* Runs a statement to its end; SQLITE_ROW results are ignored. */
int tdb_step_done(sqlite3 *db, sqlite3_stmt *st, const char *what, struct err *e);

#endif
