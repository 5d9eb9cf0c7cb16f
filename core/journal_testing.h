/*
 * journal_testing — for tests only: the kiosk's own connection to its journal, so a test can
 * prove that the authorizer refuses a write through it, or empty its page cache. Production
 * code never includes this header: it reads and writes the journal through journal.h.
 */
#ifndef ISOLOIR_JOURNAL_TESTING_H
#define ISOLOIR_JOURNAL_TESTING_H

#include "journal.h"

struct sqlite3;
struct sqlite3 *journal_db(struct journal *j);

#endif
