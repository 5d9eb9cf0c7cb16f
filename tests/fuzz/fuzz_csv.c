/* fuzz_csv — the spreadsheet reader on arbitrary bytes: it must parse or refuse with a
 * message, never read out of bounds, leak or loop. Every parsed field must be valid UTF-8
 * (the reader checks the whole input first) and carry a position. */
#include <stdint.h>
#include <stdlib.h>

#include "csv.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv c;
    struct err e;
    if (csv_parse(data, size, "fuzz.csv", &c, &e) != 0)
        return 0;
    for (size_t r = 0; r < c.nrows; r++)
        for (size_t f = 0; f < c.rows[r].nfields; f++) {
            const struct csv_field *fl = &c.rows[r].fields[f];
            if (!utf8_valid(fl->text, fl->len) || fl->line == 0 || fl->col == 0)
                abort();
        }
    csv_free(&c);
    return 0;
}
