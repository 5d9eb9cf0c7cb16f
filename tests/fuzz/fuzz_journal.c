/* fuzz_journal — journal_verify on an arbitrary file: the input is written to a temporary
 * file and verified against the unit-test fixture election. A crafted SQLite file (any schema,
 * any column types, any payload) must give problems or an error, never a crash, a leak or an
 * out-of-bounds read. Seeds: the journal test vectors. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "journal.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_problem(void *ctx, uint64_t seq, enum journal_problem kind, const char *msg)
{
    (void)seq;
    if (kind < JP_UNREADABLE || kind > JOURNAL_PROBLEM_MAX || !msg[0])
        abort();
    (*(unsigned *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (sodium_init() < 0)
        return 0;
    char path[64], side[80];
    snprintf(path, sizeof path, "fuzz-journal-%d.db", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return 0;
    }
    fclose(f);
    struct election el;
    fixture_election(&el);
    static const uint8_t pkg[HASH_LEN];
    unsigned n = 0;
    struct journal_verify_opts o = {
        .ctx = &n, .problem = on_problem, .require_close = true, .expect_ballots = 3};
    struct journal_summary s;
    struct err e;
    int rc = journal_verify(path, &el, pkg, &o, &s, &e);
    if (rc == 0 && n != 0)
        abort();
    election_free(&el);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return 0;
}
