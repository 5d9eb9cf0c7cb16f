/*
 * escpos — printed documents as ESC/POS byte streams for thermal receipt printers.
 *
 * A document (struct doc) is a list of items: lines kept as they are, paragraphs wrapped to
 * the paper, rules, signature lines with room to write, a QR code, blank feed. It does not
 * know the paper; escpos_encode lays it out for one (columns of font A, dots per line, code
 * page) and writes the bytes. The same document prints on 58 mm (32 columns, 384 dots) and
 * 80 mm (48 columns, 576 dots) paper.
 *
 * Text is UTF-8 in, one code page byte out per code point: the letters of French and Dutch
 * (é è ê ë ï î ô û ù ç à â ÿ and the other Latin-1 letters) and € go through the printer's
 * code page (Windows-1252 by default, which also has œ Œ and typographic quotes and dashes;
 * or PC858 for a printer without it; selected with ESC t n), so every
 * printed line keeps the width the layout counted. A code point the page lacks prints as '?';
 * typographic quotes and dashes print as their ASCII look-alikes; control characters print as
 * a space, so package text can never inject a command.
 *
 * The documents of a vote point:
 *   - reports (zero, pause, resume, closing, status): escpos_report takes the very text
 *     kiosk/polls_report.c writes to the report file, rendered at the printer's column count, and
 *     keeps every character of it; only emphasis (bold double-height titles) and extra paper
 *     above each signature line are added. escpos_text reads a stream back into that text,
 *     which is how tests hold the paper to the file;
 *   - the voter receipt (escpos_receipt): election name, tracking code in large letters, a QR
 *     code of the address where the codes will be published, and that address in text.
 *     Nothing else: no choice, no time, no sequence number.
 *
 * Commands emitted (and the only ones escpos_parse accepts): ESC @, ESC t n, ESC a n,
 * ESC E n, GS ! n, ESC J n, ESC d n, LF, GS v 0 (raster bit image, for the QR code), GS V 66 n.
 * Real-time status requests (DLE EOT n) belong to hw/printer, never to a document: no
 * stream holds a real-time command (DLE EOT, DLE ENQ, DLE DC4), which printers obey even
 * inside image data. Text bytes are never below 0x20, parameters never pair 0x10 with one of
 * those, and QR modules are at least 2 dots wide, so no raster byte is 0x10 (a lone dot).
 *
 * Pure functions: the same document and paper give the same bytes (golden files hold it).
 */
#ifndef ISOLOIR_ESCPOS_H
#define ISOLOIR_ESCPOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "election.h"
#include "err.h"

#define ESCPOS_COL_DOTS  12 /* width of one font-A character, in dots */
#define ESCPOS_CHAR_DOTS 24 /* height of one font-A character */
#define ESCPOS_LINE_DOTS 30 /* default line pitch (ESC 2) of the printers we target */
#define ESCPOS_SIGN_DOTS 64 /* extra paper above a signature line: about 8 mm at 203 dpi */
#define ESCPOS_MAX_SCALE 4  /* largest character magnification used (GS !) */

enum escpos_codepage {
    ESCPOS_CP858 = 1, /* PC858: PC850 (multilingual Latin-1) with the euro sign at 0xD5 */
    ESCPOS_CP1252 = 2, /* Windows-1252: Latin-1 letters, € œ Œ ‘ ’ “ ” – — … (the default) */
};

/* The paper and character set of one printer model. */
struct escpos_paper {
    unsigned columns;              /* font-A characters per line: 32 or 48 (or 42) */
    unsigned dots;                 /* printable dots per line: 384 or 576 */
    enum escpos_codepage codepage; /* how letters with accents are sent */
    uint8_t codepage_n;            /* n of ESC t n for that page on this model */
    bool cut;                      /* end with a partial cut (GS V 66 0) */
};

/* 58 mm paper: 32 columns, 384 dots, Windows-1252 as ESC t 16 (Epson numbering), cut. */
struct escpos_paper escpos_paper_58mm(void);
/* 80 mm paper: 48 columns, 576 dots, Windows-1252 as ESC t 16, cut. */
struct escpos_paper escpos_paper_80mm(void);

/* Item flags. */
enum {
    DOC_BOLD = 1 << 0,
    DOC_TALL = 1 << 1,   /* double height, same width: keeps the columns of a laid-out line */
    DOC_LARGE = 1 << 2,  /* as large as the longest word allows, up to ESCPOS_MAX_SCALE */
    DOC_CENTER = 1 << 3, /* centred (wrapped paragraphs only) */
    DOC_ROOM = 1 << 4,   /* ESCPOS_SIGN_DOTS of paper before the item: room to write */
};

enum doc_kind {
    DOC_LINE = 1, /* one line as it is; cut at the paper's width */
    DOC_TEXT,     /* a paragraph wrapped at spaces to the paper's width at its size */
    DOC_RULE,     /* a character repeated over the whole line */
    DOC_SIGN,     /* room to write, then "label ______" to the end of the line */
    DOC_QR,       /* a QR code of the text, centred, as large as fits (at most 8 dots a module) */
    DOC_FEED,     /* n empty lines */
};

struct doc_item {
    enum doc_kind kind;
    unsigned flags;
    char *text; /* UTF-8; NULL for RULE and FEED */
    unsigned n; /* RULE: the character; FEED: lines */
};

struct doc {
    struct doc_item *items;
    size_t n, cap;
    bool oom; /* an add failed: doc_ok reports it once */
};

void doc_init(struct doc *d);
/* Frees the items; d can be reused after doc_init. */
void doc_free(struct doc *d);
/* 0, ERR_NOMEM if an add failed, ERR_INVALID if a text was not valid UTF-8. */
int doc_ok(const struct doc *d, struct err *e);

/* Adders copy their text. A NULL text adds nothing. */
void doc_line(struct doc *d, unsigned flags, const char *utf8);
void doc_text(struct doc *d, unsigned flags, const char *utf8);
void doc_rule(struct doc *d, char c);
void doc_sign(struct doc *d, const char *label);
void doc_qr(struct doc *d, const char *data);
void doc_feed(struct doc *d, unsigned lines);

/* Lays d out for paper and writes the ESC/POS stream into a malloc'd buffer (*out, *len).
 * Errors: ERR_USAGE (paper outside 16..64 columns or 128..832 dots, unknown code page),
 * ERR_INVALID (a QR text too long for a QR code that fits the paper; a text not UTF-8),
 * ERR_NOMEM. */
int escpos_encode(const struct doc *d, const struct escpos_paper *paper, uint8_t **out, size_t *len,
                  struct err *e);

/* Turns a report's text (polls_report_render's output, UTF-8 lines ending in LF) into a document
 * that prints every one of its characters: the title block between the first two "====="
 * rules in bold double height, an extra ESCPOS_SIGN_DOTS of paper above each line ending in
 * "____" (signature lines). Errors: ERR_USAGE (a line wider than `columns`: render the report
 * at the printer's width), ERR_INVALID (not UTF-8, or a missing final LF), ERR_NOMEM. d must
 * be initialised; items are appended. */
int escpos_report(const char *text, size_t len, unsigned columns, struct doc *d, struct err *e);

/* The voter receipt. */
struct escpos_receipt {
    const char *election_name; /* in the voter's language */
    const char *tracking;      /* "XXXX-XXXX-XXX" */
    const char *address;       /* where the codes will be published, e.g. https://... */
};

/* Appends the receipt in the voter's language to d. Errors: ERR_USAGE (a field missing or
 * empty, unknown language). */
int escpos_receipt(const struct escpos_receipt *r, enum lang lang, struct doc *d, struct err *e);

/* One call each for the kiosk: the report's text (as for escpos_report) or the receipt, laid
 * out and encoded for paper into a malloc'd stream. Errors as escpos_report / escpos_receipt
 * and escpos_encode. */
int escpos_report_bytes(const char *text, size_t len, const struct escpos_paper *paper,
                        uint8_t **out, size_t *out_len, struct err *e);
int escpos_receipt_bytes(const struct escpos_receipt *r, enum lang lang,
                         const struct escpos_paper *paper, uint8_t **out, size_t *out_len,
                         struct err *e);

/* --- Reading a stream back: for tests and the PNG renderer (tools/escpos_render). --- */

enum escpos_op {
    ESCPOS_OP_INIT = 1,   /* ESC @ */
    ESCPOS_OP_CODEPAGE,   /* ESC t n: a = n */
    ESCPOS_OP_ALIGN,      /* ESC a n: a = 0 left, 1 centre, 2 right */
    ESCPOS_OP_BOLD,       /* ESC E n: a = 0 or 1 */
    ESCPOS_OP_SIZE,       /* GS ! n: a = width multiplier, b = height multiplier (1..8) */
    ESCPOS_OP_FEED_DOTS,  /* ESC J n: a = dots */
    ESCPOS_OP_FEED_LINES, /* ESC d n: a = lines (printing what is buffered first) */
    ESCPOS_OP_TEXT,       /* printable bytes up to the next command: data, n; cp = code page */
    ESCPOS_OP_LF,         /* LF */
    ESCPOS_OP_RASTER,     /* GS v 0: a = bytes per row, b = rows, data = a*b bytes, MSB left */
    ESCPOS_OP_CUT,        /* GS V 66 n */
};

struct escpos_cmd {
    enum escpos_op op;
    unsigned a, b;
    const uint8_t *data;
    size_t n;
};

/* Calls fn for each command of the stream in order; stops at the first non-zero return and
 * returns it. ERR_FORMAT (with the byte offset) on a truncated or unknown command. */
int escpos_parse(const uint8_t *p, size_t len, int (*fn)(const struct escpos_cmd *c, void *user),
                 void *user, struct err *e);

/* The text a stream prints, as UTF-8: characters decoded through the code page selected by
 * ESC t (19 or 16: PC858 or Windows-1252; PC858 until the first ESC t), LF as LF, feeds and
 * images as nothing. Errors as
 * escpos_parse, and ERR_NOMEM. */
int escpos_text(const uint8_t *p, size_t len, char **out, size_t *out_len, struct err *e);

/* Code point of byte b in code page cp (bytes below 0x80 are ASCII); 0 if unassigned. */
uint32_t escpos_decode_byte(enum escpos_codepage cp, uint8_t b);
/* The code page an ESC t n selects on the printers we know (19: PC858, 16: Windows-1252), or
 * 0. */
enum escpos_codepage escpos_codepage_of(unsigned n);

#endif
