/* escpos — see escpos.h.
 *
 * The encoder keeps the printer's current mode (alignment, bold, size) and sends a command
 * only when an item needs another one; ESC @ at the start puts the printer in a known mode.
 * Every text byte sent is a printable character of the code page (0x20..0x7E, 0x80..0xFF):
 * nothing from a document can form a command. */
#include "escpos.h"

#include <qrencode.h>

#include "buf.h"
#include "util.h"

#define ESC 0x1B
#define GS  0x1D
#define LF  0x0A

/* PC858 bytes 0x80..0xFF as code points (IBM code page 858). */
static const uint16_t CP858[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, /* 80 */
    0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5, /* 88 */
    0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, /* 90 */
    0x00FF, 0x00D6, 0x00DC, 0x00F8, 0x00A3, 0x00D8, 0x00D7, 0x0192, /* 98 */
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA, /* A0 */
    0x00BF, 0x00AE, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB, /* A8 */
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00C1, 0x00C2, 0x00C0, /* B0 */
    0x00A9, 0x2563, 0x2551, 0x2557, 0x255D, 0x00A2, 0x00A5, 0x2510, /* B8 */
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x00E3, 0x00C3, /* C0 */
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x00A4, /* C8 */
    0x00F0, 0x00D0, 0x00CA, 0x00CB, 0x00C8, 0x20AC, 0x00CD, 0x00CE, /* D0 */
    0x00CF, 0x2518, 0x250C, 0x2588, 0x2584, 0x00A6, 0x00CC, 0x2580, /* D8 */
    0x00D3, 0x00DF, 0x00D4, 0x00D2, 0x00F5, 0x00D5, 0x00B5, 0x00FE, /* E0 */
    0x00DE, 0x00DA, 0x00DB, 0x00D9, 0x00FD, 0x00DD, 0x00AF, 0x00B4, /* E8 */
    0x00AD, 0x00B1, 0x2017, 0x00BE, 0x00B6, 0x00A7, 0x00F7, 0x00B8, /* F0 */
    0x00B0, 0x00A8, 0x00B7, 0x00B9, 0x00B3, 0x00B2, 0x25A0, 0x00A0, /* F8 */
};

/* Windows-1252 bytes 0x80..0x9F (0xA0..0xFF are Latin-1); 0 = unassigned. */
static const uint16_t CP1252_80[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80 */
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,      /* 88 */
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90 */
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178, /* 98 */
};

uint32_t escpos_decode_byte(enum escpos_codepage cp, uint8_t b)
{
    if (b < 0x80)
        return b;
    if (cp == ESCPOS_CP858)
        return CP858[b - 0x80];
    if (cp == ESCPOS_CP1252)
        return b < 0xA0 ? CP1252_80[b - 0x80] : b;
    return 0;
}

enum escpos_codepage escpos_codepage_of(unsigned n)
{
    return n == 19 ? ESCPOS_CP858 : n == 16 ? ESCPOS_CP1252 : 0;
}

struct escpos_paper escpos_paper_58mm(void)
{
    return (struct escpos_paper){32, 384, ESCPOS_CP1252, 16, true};
}

struct escpos_paper escpos_paper_80mm(void)
{
    return (struct escpos_paper){48, 576, ESCPOS_CP1252, 16, true};
}

/* Code point -> the byte printed for it: itself for ASCII, the code page's byte, an ASCII
 * look-alike for common typography, '?' otherwise. Controls become a space. */
static uint8_t encode_cp(enum escpos_codepage cp, uint32_t c)
{
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
        return ' ';
    if (c < 0x80)
        return (uint8_t)c;
    for (unsigned b = 0x80; b <= 0xFF; b++) {
        uint32_t d = escpos_decode_byte(cp, (uint8_t)b);
        if (d == c && !(cp == ESCPOS_CP858 && b == 0xF0)) /* never send a soft hyphen */
            return (uint8_t)b;
    }
    switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x2032:
        return '\'';
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x2033:
        return '"';
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2212:
    case 0x00AD:
        return '-';
    case 0x2026:
        return '.';
    case 0x00A0:
    case 0x2002:
    case 0x2003:
    case 0x2009:
    case 0x202F:
        return ' ';
    default:
        return '?';
    }
}

/* Next code point of valid UTF-8 s[*i..n); advances *i. */
static uint32_t next_cp(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[*i];
    size_t k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (k)
        c &= 0x3F >> k;
    (*i)++;
    for (size_t j = 0; j < k && *i < n; j++, (*i)++)
        c = (c << 6) | (u[*i] & 0x3F);
    return c;
}

/* ---- documents --------------------------------------------------------------------------- */

void doc_init(struct doc *d)
{
    memset(d, 0, sizeof *d);
}

void doc_free(struct doc *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->items[i].text);
    free(d->items);
    memset(d, 0, sizeof *d);
}

int doc_ok(const struct doc *d, struct err *e)
{
    if (d->oom)
        return err_set(e, ERR_NOMEM, "out of memory building a printed document");
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].text && !utf8_valid(d->items[i].text, strlen(d->items[i].text)))
            return err_set(e, ERR_INVALID, "a text of the printed document is not valid UTF-8");
    return 0;
}

static void add(struct doc *d, enum doc_kind kind, unsigned flags, const char *text, unsigned n)
{
    if (d->oom)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        struct doc_item *it = realloc(d->items, cap * sizeof *it);
        if (!it) {
            d->oom = true;
            return;
        }
        d->items = it;
        d->cap = cap;
    }
    char *copy = NULL;
    if (text && !(copy = strdup(text))) {
        d->oom = true;
        return;
    }
    d->items[d->n++] = (struct doc_item){kind, flags, copy, n};
}

void doc_line(struct doc *d, unsigned flags, const char *utf8)
{
    if (utf8)
        add(d, DOC_LINE, flags, utf8, 0);
}

void doc_text(struct doc *d, unsigned flags, const char *utf8)
{
    if (utf8)
        add(d, DOC_TEXT, flags, utf8, 0);
}

void doc_rule(struct doc *d, char c)
{
    add(d, DOC_RULE, 0, NULL, (unsigned char)c);
}

void doc_sign(struct doc *d, const char *label)
{
    if (label)
        add(d, DOC_SIGN, DOC_ROOM, label, 0);
}

void doc_qr(struct doc *d, const char *data)
{
    if (data)
        add(d, DOC_QR, 0, data, 0);
}

void doc_feed(struct doc *d, unsigned lines)
{
    add(d, DOC_FEED, 0, NULL, lines);
}

/* ---- encoding ---------------------------------------------------------------------------- */

struct enc {
    struct buf b;
    const struct escpos_paper *p;
    unsigned align, bold, size; /* current printer mode; size is the GS ! byte */
};

static void cmd(struct enc *en, uint8_t a, uint8_t b, uint8_t n)
{
    uint8_t c[3] = {a, b, n};
    buf_raw(&en->b, c, 3);
}

static void set_mode(struct enc *en, unsigned align, unsigned bold, unsigned size)
{
    if (align != en->align)
        cmd(en, ESC, 'a', (uint8_t)align);
    if (bold != en->bold)
        cmd(en, ESC, 'E', (uint8_t)bold);
    if (size != en->size)
        cmd(en, GS, '!', (uint8_t)size);
    en->align = align;
    en->bold = bold;
    en->size = size;
}

/* Sends at most `max` code points of s[0..n) through the code page. */
static void put_text(struct enc *en, const char *s, size_t n, size_t max)
{
    size_t i = 0;
    for (size_t k = 0; i < n && k < max; k++)
        buf_u8(&en->b, encode_cp(en->p->codepage, next_cp(s, n, &i)));
}

static size_t cps(const char *s, size_t n)
{
    return utf8_length(s, n);
}

/* Longest word, in code points. */
static size_t longest_word(const char *s)
{
    size_t best = 0, cur = 0, n = strlen(s), i = 0;
    while (i < n) {
        uint32_t c = next_cp(s, n, &i);
        cur = c == ' ' ? 0 : cur + 1;
        if (cur > best)
            best = cur;
    }
    return best;
}

/* A paragraph wrapped at spaces to `width` code points; a longer word is cut. */
static void put_wrapped(struct enc *en, const char *s, size_t width)
{
    size_t n = strlen(s), at = 0, i, fit;
    bool cut;
    while (util_wrap_next(s, n, &at, width, &i, &fit, &cut)) {
        if (cut) { /* one word wider than the line (an address): cut after a '/' or '.' */
            for (size_t k = fit; k > i + (fit - i) / 2; k--)
                if (s[k - 1] == '/' || s[k - 1] == '.') {
                    fit = at = k;
                    break;
                }
        }
        put_text(en, s + i, fit - i, width);
        buf_u8(&en->b, LF);
    }
}

/* The QR code of text as a raster image the paper's full width, centred; the vertical quiet
 * zone is paper fed. */
static int put_qr(struct enc *en, const char *text, struct err *e)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return err_set(e, ERR_INVALID, "cannot make a QR code of \"%.80s\" (too long?)", text);
    unsigned w = (unsigned)q->width;
    unsigned scale = en->p->dots / (w + 8); /* 4 modules of quiet zone on each side */
    if (scale > 6)
        scale = 6;
    if (scale < 2) {
        QRcode_free(q);
        return err_set(e, ERR_INVALID,
                       "the address \"%.80s\" is too long for a QR code on %u-dot paper: use a "
                       "shorter address",
                       text, en->p->dots);
    }
    unsigned row_bytes = en->p->dots / 8, rows = w * scale;
    unsigned left = (en->p->dots - w * scale) / 2;
    set_mode(en, 0, en->bold, en->size);
    cmd(en, ESC, 'J', (uint8_t)(4 * scale));
    uint8_t head[8] = {GS,
                       'v',
                       '0',
                       0,
                       (uint8_t)(row_bytes & 0xFF),
                       (uint8_t)(row_bytes >> 8),
                       (uint8_t)(rows & 0xFF),
                       (uint8_t)(rows >> 8)};
    buf_raw(&en->b, head, sizeof head);
    uint8_t *row = calloc(row_bytes, 1);
    if (!row) {
        QRcode_free(q);
        return err_set(e, ERR_NOMEM, "out of memory drawing a QR code");
    }
    for (unsigned y = 0; y < rows; y++) {
        memset(row, 0, row_bytes);
        for (unsigned x = 0; x < w * scale; x++)
            if (q->data[(y / scale) * w + x / scale] & 1) {
                unsigned dot = left + x;
                row[dot / 8] |= (uint8_t)(0x80 >> (dot % 8));
            }
        buf_raw(&en->b, row, row_bytes);
    }
    free(row);
    QRcode_free(q);
    cmd(en, ESC, 'J', (uint8_t)(4 * scale));
    return 0;
}

int escpos_encode(const struct doc *d, const struct escpos_paper *paper, uint8_t **out, size_t *len,
                  struct err *e)
{
    *out = NULL;
    *len = 0;
    if (paper->columns < 16 || paper->columns > 64 || paper->dots < 128 || paper->dots > 832)
        return err_set(e, ERR_USAGE,
                       "a receipt printer has 16 to 64 columns and 128 to 832 dots, "
                       "not %u and %u",
                       paper->columns, paper->dots);
    if (paper->codepage != ESCPOS_CP858 && paper->codepage != ESCPOS_CP1252)
        return err_set(e, ERR_USAGE, "unknown printer code page %d", (int)paper->codepage);
    int rc = doc_ok(d, e);
    if (rc)
        return rc;
    struct enc en = {.p = paper, .size = 0};
    buf_init(&en.b);
    buf_u8(&en.b, ESC);
    buf_u8(&en.b, '@');
    cmd(&en, ESC, 't', paper->codepage_n);
    for (size_t i = 0; i < d->n && rc == 0; i++) {
        const struct doc_item *it = &d->items[i];
        unsigned bold = it->flags & DOC_BOLD ? 1 : 0;
        unsigned mult = 1, tall = it->flags & DOC_TALL ? 1 : 0;
        if (it->flags & DOC_ROOM)
            cmd(&en, ESC, 'J', ESCPOS_SIGN_DOTS);
        switch (it->kind) {
        case DOC_LINE:
            set_mode(&en, 0, bold, tall);
            put_text(&en, it->text, strlen(it->text), paper->columns);
            buf_u8(&en.b, LF);
            break;
        case DOC_TEXT: {
            if (it->flags & DOC_LARGE) {
                size_t lw = longest_word(it->text);
                mult = ESCPOS_MAX_SCALE;
                while (mult > 1 && lw * mult > paper->columns)
                    mult--;
            }
            unsigned size = ((mult - 1) << 4) | (mult - 1 + tall);
            set_mode(&en, it->flags & DOC_CENTER ? 1 : 0, bold, size);
            put_wrapped(&en, it->text, paper->columns / mult);
            break;
        }
        case DOC_RULE:
            set_mode(&en, 0, 0, 0);
            for (unsigned c = 0; c < paper->columns; c++)
                buf_u8(&en.b, encode_cp(paper->codepage, it->n));
            buf_u8(&en.b, LF);
            break;
        case DOC_SIGN: {
            set_mode(&en, 0, bold, 0);
            size_t n = strlen(it->text), lc = cps(it->text, n);
            if (lc > paper->columns - 8)
                lc = paper->columns - 8;
            put_text(&en, it->text, n, lc);
            buf_u8(&en.b, ' ');
            for (size_t c = lc + 1; c < paper->columns; c++)
                buf_u8(&en.b, '_');
            buf_u8(&en.b, LF);
            break;
        }
        case DOC_QR:
            rc = put_qr(&en, it->text, e);
            break;
        case DOC_FEED:
            if (it->n)
                cmd(&en, ESC, 'd', (uint8_t)(it->n > 255 ? 255 : it->n));
            break;
        }
    }
    set_mode(&en, 0, 0, 0);
    cmd(&en, ESC, 'd', 3); /* past the tear bar when there is no cutter */
    if (paper->cut)
        cmd(&en, GS, 'V', 66), buf_u8(&en.b, 0);
    if (rc == 0 && buf_ok(&en.b) != 0)
        rc = err_set(e, ERR_NOMEM, "out of memory writing a printed document");
    if (rc) {
        buf_free(&en.b);
        return rc;
    }
    *out = buf_take(&en.b, len);
    return 0;
}

/* ---- reports and receipts ---------------------------------------------------------------- */

static bool all_of(const char *s, size_t n, char c)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] != c)
            return false;
    return true;
}

int escpos_report(const char *text, size_t len, unsigned columns, struct doc *d, struct err *e)
{
    if (!utf8_valid(text, len) || memchr(text, '\0', len))
        return err_set(e, ERR_INVALID, "the report's text is not valid UTF-8");
    if (len == 0 || text[len - 1] != '\n')
        return err_set(e, ERR_INVALID, "the report's text does not end with a line break");
    int rules = 0, lineno = 0;
    size_t i = 0;
    char *line = malloc(len + 1);
    if (!line)
        return err_set(e, ERR_NOMEM, "out of memory reading the report");
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = (size_t)(nl - (text + i));
        lineno++;
        if (cps(text + i, n) > columns) {
            free(line);
            return err_set(e, ERR_USAGE,
                           "line %d of the report is wider than the printer's %u columns: render "
                           "the report at the printer's width",
                           lineno, columns);
        }
        memcpy(line, text + i, n);
        line[n] = '\0';
        bool rule = all_of(line, n, '=');
        unsigned flags = 0;
        if (rule)
            rules++;
        else if (rules == 1)
            flags = DOC_BOLD | DOC_TALL; /* the title block */
        if (n >= 4 && memcmp(line + n - 4, "____", 4) == 0)
            flags |= DOC_ROOM; /* a line to sign on */
        add(d, DOC_LINE, flags, line, 0);
        i += n + 1;
    }
    free(line);
    return doc_ok(d, e);
}

enum { R_LABEL, R_HINT, R_COUNT };
static const char *const RECEIPT[LANG_COUNT][R_COUNT] = {
    [LANG_FR] = {"Votre code de suivi",
                 "Après le dépouillement, ce code figurera dans la liste publiée à cette adresse. "
                 "Il ne révèle pas votre vote."},
    [LANG_NL] = {"Uw volgcode",
                 "Na de telling staat deze code in de lijst die op dit adres gepubliceerd wordt. "
                 "Hij verraadt uw stem niet."},
    [LANG_EN] = {"Your tracking code",
                 "After the count, this code will be in the list published at this address. It "
                 "does not reveal your vote."},
};

int escpos_receipt(const struct escpos_receipt *r, enum lang lang, struct doc *d, struct err *e)
{
    if ((unsigned)lang >= LANG_COUNT)
        return err_set(e, ERR_USAGE, "no receipt texts in language %d", (int)lang);
    if (!r->election_name || !*r->election_name || !r->tracking || !*r->tracking || !r->address ||
        !*r->address)
        return err_set(e, ERR_USAGE,
                       "a receipt needs the election's name, the tracking code and the address "
                       "where the codes will be published");
    doc_text(d, DOC_BOLD | DOC_CENTER, r->election_name);
    doc_rule(d, '-');
    doc_text(d, DOC_CENTER, RECEIPT[lang][R_LABEL]);
    doc_text(d, DOC_LARGE | DOC_BOLD | DOC_CENTER, r->tracking);
    doc_qr(d, r->address);
    doc_text(d, DOC_CENTER, r->address);
    doc_feed(d, 1);
    doc_text(d, DOC_CENTER, RECEIPT[lang][R_HINT]);
    return doc_ok(d, e);
}

int escpos_report_bytes(const char *text, size_t len, const struct escpos_paper *paper,
                        uint8_t **out, size_t *out_len, struct err *e)
{
    *out = NULL;
    *out_len = 0;
    struct doc d;
    doc_init(&d);
    int rc = escpos_report(text, len, paper->columns, &d, e);
    if (rc == 0)
        rc = escpos_encode(&d, paper, out, out_len, e);
    doc_free(&d);
    return rc;
}

int escpos_receipt_bytes(const struct escpos_receipt *r, enum lang lang,
                         const struct escpos_paper *paper, uint8_t **out, size_t *out_len,
                         struct err *e)
{
    *out = NULL;
    *out_len = 0;
    struct doc d;
    doc_init(&d);
    int rc = escpos_receipt(r, lang, &d, e);
    if (rc == 0)
        rc = escpos_encode(&d, paper, out, out_len, e);
    doc_free(&d);
    return rc;
}

/* ---- reading back ------------------------------------------------------------------------ */

int escpos_parse(const uint8_t *p, size_t len, int (*fn)(const struct escpos_cmd *c, void *user),
                 void *user, struct err *e)
{
    size_t i = 0;
    while (i < len) {
        struct escpos_cmd c = {0};
        size_t start = i;
        uint8_t b = p[i];
        if (b == LF) {
            c.op = ESCPOS_OP_LF;
            i++;
        } else if (b == ESC || b == GS) {
            if (i + 1 >= len)
                goto truncated;
            uint8_t k = p[i + 1];
            if (b == ESC && k == '@') {
                c.op = ESCPOS_OP_INIT;
                i += 2;
            } else {
                if (i + 2 >= len)
                    goto truncated;
                uint8_t n = p[i + 2];
                i += 3;
                c.a = n;
                if (b == ESC && k == 't')
                    c.op = ESCPOS_OP_CODEPAGE;
                else if (b == ESC && k == 'a')
                    c.op = ESCPOS_OP_ALIGN, c.a = n & 3;
                else if (b == ESC && k == 'E')
                    c.op = ESCPOS_OP_BOLD, c.a = n & 1;
                else if (b == ESC && k == 'J')
                    c.op = ESCPOS_OP_FEED_DOTS;
                else if (b == ESC && k == 'd')
                    c.op = ESCPOS_OP_FEED_LINES;
                else if (b == GS && k == '!')
                    c.op = ESCPOS_OP_SIZE, c.a = ((n >> 4) & 7) + 1, c.b = (n & 7) + 1;
                else if (b == GS && k == 'V' && n == 66) {
                    if (i >= len)
                        goto truncated;
                    c.op = ESCPOS_OP_CUT;
                    c.a = p[i++];
                } else if (b == GS && k == 'v' && n == '0') {
                    if (i + 5 > len)
                        goto truncated;
                    c.op = ESCPOS_OP_RASTER;
                    c.a = p[i + 1] | (unsigned)p[i + 2] << 8;
                    c.b = p[i + 3] | (unsigned)p[i + 4] << 8;
                    i += 5;
                    c.n = (size_t)c.a * c.b;
                    if (c.n > len - i)
                        goto truncated;
                    c.data = p + i;
                    i += c.n;
                } else
                    return err_set(e, ERR_FORMAT, "unknown command %02X %02X at byte %zu", b, k,
                                   start);
            }
        } else if (b < 0x20 || b == 0x7F) {
            return err_set(e, ERR_FORMAT, "control byte %02X at byte %zu", b, start);
        } else {
            c.op = ESCPOS_OP_TEXT;
            while (i < len && p[i] >= 0x20 && p[i] != 0x7F)
                i++;
            c.data = p + start;
            c.n = i - start;
        }
        int rc = fn(&c, user);
        if (rc)
            return rc;
        continue;
    truncated:
        return err_set(e, ERR_FORMAT, "command at byte %zu is cut short", start);
    }
    return 0;
}

struct text_state {
    struct buf b;
    enum escpos_codepage cp;
};

static void put_utf8(struct buf *b, uint32_t c)
{
    if (c < 0x80) {
        buf_u8(b, (uint8_t)c);
    } else if (c < 0x800) {
        buf_u8(b, (uint8_t)(0xC0 | c >> 6));
        buf_u8(b, (uint8_t)(0x80 | (c & 0x3F)));
    } else {
        buf_u8(b, (uint8_t)(0xE0 | c >> 12));
        buf_u8(b, (uint8_t)(0x80 | ((c >> 6) & 0x3F)));
        buf_u8(b, (uint8_t)(0x80 | (c & 0x3F)));
    }
}

static int text_cb(const struct escpos_cmd *c, void *user)
{
    struct text_state *t = user;
    if (c->op == ESCPOS_OP_INIT)
        t->cp = ESCPOS_CP858; /* what ESC @ leaves is PC437; only ESC t matters to us */
    else if (c->op == ESCPOS_OP_CODEPAGE)
        t->cp = escpos_codepage_of(c->a);
    else if (c->op == ESCPOS_OP_LF)
        buf_u8(&t->b, '\n');
    else if (c->op == ESCPOS_OP_TEXT)
        for (size_t i = 0; i < c->n; i++) {
            uint32_t u = escpos_decode_byte(t->cp, c->data[i]);
            put_utf8(&t->b, u ? u : '?');
        }
    return 0;
}

int escpos_text(const uint8_t *p, size_t len, char **out, size_t *out_len, struct err *e)
{
    *out = NULL;
    *out_len = 0;
    struct text_state t = {.cp = ESCPOS_CP858};
    buf_init(&t.b);
    int rc = escpos_parse(p, len, text_cb, &t, e);
    buf_u8(&t.b, '\0');
    if (rc == 0 && buf_ok(&t.b) != 0)
        rc = err_set(e, ERR_NOMEM, "out of memory reading a printed document");
    if (rc) {
        buf_free(&t.b);
        return rc;
    }
    size_t n;
    *out = (char *)buf_take(&t.b, &n);
    *out_len = n - 1;
    return 0;
}
