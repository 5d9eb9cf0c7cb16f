/* csv — see csv.h. One pass over the bytes with a small state machine; fields are copied out
 * as they end, so the input buffer can be freed after parsing. */
#include "csv.h"

#include "buf.h"
#include "util.h"

struct parser {
    const char *p, *end;
    const char *name;
    unsigned line;
    const char *line_start;
    struct csv *out;
    struct err *e;
    struct buf field;
    struct csv_row row;
    bool lenient;
    size_t rows_cap, fields_cap;
    csv_row_fn fn; /* streaming: rows go to fn instead of out->rows */
    void *ctx;
};

static unsigned column(const struct parser *ps, const char *at)
{
    return (unsigned)utf8_length(ps->line_start, (size_t)(at - ps->line_start)) + 1;
}

static int nomem(struct parser *ps)
{
    return err_set(ps->e, ERR_NOMEM, "%s: out of memory", ps->name);
}

static void row_free(struct csv_row *r)
{
    for (size_t i = 0; i < r->nfields; i++)
        free(r->fields[i].text);
    free(r->fields);
    memset(r, 0, sizeof *r);
}

static int end_field(struct parser *ps, unsigned line, unsigned col)
{
    if (ps->row.nfields == CSV_MAX_FIELDS)
        return err_set(ps->e, ERR_INVALID, "%s:%u: more than %d columns in one row", ps->name, line,
                       CSV_MAX_FIELDS);
    if (ps->row.nfields == ps->fields_cap) {
        size_t cap = ps->fields_cap ? ps->fields_cap * 2 : 16;
        struct csv_field *f = realloc(ps->row.fields, cap * sizeof *f);
        if (!f)
            return nomem(ps);
        ps->row.fields = f;
        ps->fields_cap = cap;
    }
    if (buf_ok(&ps->field))
        return nomem(ps);
    if (ps->row.nfields == 0)
        ps->row.line = line;
    char *text = util_strndup(ps->field.len ? (const char *)ps->field.data : "", ps->field.len);
    if (!text)
        return nomem(ps);
    ps->row.fields[ps->row.nfields++] =
        (struct csv_field){.text = text, .len = ps->field.len, .line = line, .col = col};
    ps->field.len = 0;
    return 0;
}

static int end_row(struct parser *ps)
{
    bool blank = true;
    for (size_t i = 0; i < ps->row.nfields; i++)
        if (ps->row.fields[i].len)
            blank = false;
    if (blank) {
        row_free(&ps->row);
        ps->fields_cap = 0;
        return 0;
    }
    if (ps->fn) {
        int rc = ps->fn(ps->ctx, &ps->row);
        row_free(&ps->row);
        ps->fields_cap = 0;
        return rc;
    }
    struct csv *c = ps->out;
    if (c->nrows == CSV_MAX_ROWS)
        return err_set(ps->e, ERR_INVALID, "%s: more than %d rows", ps->name, CSV_MAX_ROWS);
    if (c->nrows == ps->rows_cap) {
        size_t cap = ps->rows_cap ? ps->rows_cap * 2 : 64;
        struct csv_row *r = realloc(c->rows, cap * sizeof *r);
        if (!r)
            return nomem(ps);
        c->rows = r;
        ps->rows_cap = cap;
    }
    c->rows[c->nrows++] = ps->row;
    memset(&ps->row, 0, sizeof ps->row);
    ps->fields_cap = 0;
    return 0;
}

/* The separator is whichever of ';' and ',' the header line uses more, outside quotes. */
static char detect_sep(const char *p, const char *end)
{
    size_t semi = 0, comma = 0;
    bool q = false;
    for (; p < end; p++) {
        if (*p == '"')
            q = !q;
        else if (!q && (*p == '\n' || *p == '\r'))
            break;
        else if (!q && *p == ';')
            semi++;
        else if (!q && *p == ',')
            comma++;
    }
    return semi >= comma && semi > 0 ? ';' : ',';
}

static void newline(struct parser *ps, const char *next)
{
    ps->line++;
    ps->line_start = next;
}

static int parse(struct parser *ps)
{
    char sep = ps->out->sep;
    while (ps->p < ps->end) {
        /* start of a field */
        unsigned fline = ps->line, fcol = column(ps, ps->p);
        int rc;
        if (*ps->p == '"') {
            const char *open = ps->p++;
            unsigned oline = ps->line, ocol = column(ps, open);
            for (;;) {
                if (ps->p >= ps->end)
                    return err_set(ps->e, ERR_FORMAT,
                                   "%s:%u:%u: this quoted field is never closed (a \" is missing "
                                   "at its end)",
                                   ps->name, oline, ocol);
                char c = *ps->p++;
                if (c == '"') {
                    if (ps->p < ps->end && *ps->p == '"') {
                        buf_u8(&ps->field, '"');
                        ps->p++;
                        continue;
                    }
                    break;
                }
                if (c == '\r' && ps->p < ps->end && *ps->p == '\n')
                    continue; /* CRLF inside a field becomes LF */
                buf_u8(&ps->field, (uint8_t)c);
                if (c == '\n')
                    newline(ps, ps->p);
                if (ps->field.len > CSV_MAX_FIELD)
                    return err_set(ps->e, ERR_INVALID, "%s:%u:%u: a field is longer than %d bytes",
                                   ps->name, fline, fcol, CSV_MAX_FIELD);
            }
            if (ps->p < ps->end && *ps->p != sep && *ps->p != '\n' && *ps->p != '\r' &&
                ps->lenient && memchr(open, '\n', (size_t)(ps->p - open)) == NULL) {
                /* not a quoted field after all: take it literally up to the separator */
                ps->field.len = 0;
                ps->p = open;
                while (ps->p < ps->end && *ps->p != sep && *ps->p != '\n' && *ps->p != '\r')
                    buf_u8(&ps->field, (uint8_t)*ps->p++);
            } else if (ps->p < ps->end && *ps->p != sep && *ps->p != '\n' && *ps->p != '\r')
                return err_set(ps->e, ERR_FORMAT,
                               "%s:%u:%u: unexpected text after a closing quote (write a quote "
                               "inside a quoted field as two quotes \"\")",
                               ps->name, ps->line, column(ps, ps->p));
        } else {
            while (ps->p < ps->end && *ps->p != sep && *ps->p != '\n' && *ps->p != '\r') {
                buf_u8(&ps->field, (uint8_t)*ps->p++);
                if (ps->field.len > CSV_MAX_FIELD)
                    return err_set(ps->e, ERR_INVALID, "%s:%u:%u: a field is longer than %d bytes",
                                   ps->name, fline, fcol, CSV_MAX_FIELD);
            }
        }
        rc = end_field(ps, fline, fcol);
        if (rc)
            return rc;
        if (ps->p >= ps->end)
            break;
        char c = *ps->p++;
        if (c == sep) {
            if (ps->p >= ps->end) { /* a trailing separator: one more empty field */
                rc = end_field(ps, ps->line, column(ps, ps->p));
                if (rc)
                    return rc;
            }
            continue;
        }
        if (c == '\r' && ps->p < ps->end && *ps->p == '\n')
            ps->p++;
        newline(ps, ps->p);
        rc = end_row(ps);
        if (rc)
            return rc;
    }
    if (ps->row.nfields)
        return end_row(ps);
    return 0;
}

static int parse_with(const uint8_t *data, size_t len, const char *name, char sep, struct csv *out,
                      csv_row_fn fn, void *ctx, struct err *e);

int csv_parse(const uint8_t *data, size_t len, const char *name, struct csv *out, struct err *e)
{
    return parse_with(data, len, name, 0, out, NULL, NULL, e);
}

int csv_parse_sep(const uint8_t *data, size_t len, const char *name, char sep, struct csv *out,
                  struct err *e)
{
    return parse_with(data, len, name, sep, out, NULL, NULL, e);
}

int csv_each(const uint8_t *data, size_t len, const char *name, char sep, csv_row_fn fn, void *ctx,
             struct err *e)
{
    struct csv none;
    return parse_with(data, len, name, sep, &none, fn, ctx, e);
}

static int parse_with(const uint8_t *data, size_t len, const char *name, char sep, struct csv *out,
                      csv_row_fn fn, void *ctx, struct err *e)
{
    memset(out, 0, sizeof *out);
    const char *p = (const char *)data, *end = p + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    size_t bad = utf8_first_invalid(p, (size_t)(end - p));
    if (bad != (size_t)(end - p)) {
        unsigned line = 1;
        const char *ls = p;
        for (const char *q = p; q < p + bad; q++)
            if (*q == '\n')
                line++, ls = q + 1;
        return err_set(e, ERR_FORMAT,
                       "%s:%u:%zu: the file is not valid UTF-8 here; save it as \"CSV UTF-8\" "
                       "(in Excel: Save As > CSV UTF-8; in LibreOffice: Character set Unicode "
                       "(UTF-8))",
                       name, line, utf8_length(ls, (size_t)(p + bad - ls)) + 1);
    }
    struct parser ps = {.p = p,
                        .end = end,
                        .name = name,
                        .line = 1,
                        .line_start = p,
                        .out = out,
                        .e = e,
                        .lenient = sep != 0,
                        .fn = fn,
                        .ctx = ctx};
    buf_init(&ps.field);
    out->sep = sep ? sep : detect_sep(p, end);
    int rc = parse(&ps);
    row_free(&ps.row);
    buf_free(&ps.field);
    if (rc)
        csv_free(out);
    return rc;
}

void csv_free(struct csv *c)
{
    for (size_t i = 0; i < c->nrows; i++)
        row_free(&c->rows[i]);
    free(c->rows);
    memset(c, 0, sizeof *c);
}
