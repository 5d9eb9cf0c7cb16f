/*
 * csv — reads the project spreadsheet as LibreOffice and Excel write it in Belgium: UTF-8 with
 * or without BOM, `,` or `;` between fields (whichever the header line uses), fields in double
 * quotes that may hold separators, doubled quotes and line breaks, CRLF or LF line ends.
 *
 * Every field remembers where it started (line and column, 1-based, the column counted in
 * characters) so that validation can say "projects.csv:14:3". Blank rows are skipped. The
 * reader is bounded (CSV_MAX_* below) and never reads outside its input.
 */
#ifndef ISOLOIR_CSV_H
#define ISOLOIR_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CSV_MAX_FIELDS 256         /* per row */
#define CSV_MAX_FIELD  (64 * 1024) /* bytes in one field */
#define CSV_MAX_ROWS   100000      /* csv_parse / csv_parse_sep only: csv_each has no limit */

struct csv_field {
    char *text; /* NUL-terminated UTF-8, quotes removed */
    size_t len;
    unsigned line, col;
};

struct csv_row {
    struct csv_field *fields;
    size_t nfields;
    unsigned line;
};

struct csv {
    struct csv_row *rows; /* rows[0] is the header when the file has one */
    size_t nrows;
    char sep; /* ',' or ';' */
};

/* Parses data[0..len). `name` is used in messages ("projects.csv:3:7: ..."). On failure
 * nothing is left allocated in `out`. */
int csv_parse(const uint8_t *data, size_t len, const char *name, struct csv *out, struct err *e);
/* The same with a fixed separator (files whose first line has none, like pabulib's "META"),
 * and tolerant of a quote that does not close its field (`"Odkupmy" i my`, seen in real
 * pabulib files): such a field is taken literally, quotes included, up to the separator. */
int csv_parse_sep(const uint8_t *data, size_t len, const char *name, char sep, struct csv *out,
                  struct err *e);
void csv_free(struct csv *c);

/* Streams the rows instead of keeping them: calls fn(ctx, row) for every non-blank row as it
 * ends (the row and its fields are valid only during the call), with the tolerance and fixed
 * separator of csv_parse_sep. A non-zero return from fn stops the parse and is returned (fn
 * sets e). Memory stays that of one row, so there is no row limit: for files too long to hold
 * whole, such as pabulib files of a million ballots. */
typedef int (*csv_row_fn)(void *ctx, const struct csv_row *row);
int csv_each(const uint8_t *data, size_t len, const char *name, char sep, csv_row_fn fn, void *ctx,
             struct err *e);

#endif
