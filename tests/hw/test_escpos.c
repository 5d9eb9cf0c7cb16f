/* test_escpos — printed documents as ESC/POS streams: golden files for the zero report, the
 * closing report and a voter receipt; the printed text of every report kind, language and
 * paper and code page equals the report file's text; accents through Windows-1252 and PC858; no
 * line wider than the paper; the receipt's QR raster is the QR code of the address; package text
 * cannot inject a command; width errors. */
#include <qrencode.h>

#include "printfix.h"

static void test_golden(void)
{
    for (int k = 0; k < PF_DOC_COUNT; k++) {
        size_t n = 0;
        uint8_t *b = pf_doc((enum pf_doc)k, &n);
        CHECK(b != NULL);
        if (b)
            pf_golden_check(PF_GOLDEN[k], b, n);
        free(b);
    }
}

/* What PC858 prints for the fixture's characters it lacks: the en dash as '-', œ as '?'.
 * Every other character (« » é É ô ç ë ...) must come back as it is. */
static void as_pc858(char *s, size_t *n)
{
    size_t j = 0;
    for (size_t i = 0; i < *n; i++) {
        if (i + 2 < *n && memcmp(s + i, "\xE2\x80\x93", 3) == 0) {
            s[j++] = '-';
            i += 2;
        } else if (i + 1 < *n && memcmp(s + i, "\xC5\x93", 2) == 0) {
            s[j++] = '?';
            i += 1;
        } else {
            s[j++] = s[i];
        }
    }
    s[j] = '\0';
    *n = j;
}

/* The paper carries exactly the report file's text, for every kind, language, width and code
 * page (through PC858, the characters it lacks print as their stand-ins). */
static void test_same_text_as_file(void)
{
    struct escpos_paper papers[4] = {escpos_paper_58mm(), escpos_paper_80mm(), escpos_paper_58mm(),
                                     escpos_paper_80mm()};
    for (int p = 2; p < 4; p++) {
        papers[p].codepage = ESCPOS_CP858;
        papers[p].codepage_n = 19;
    }
    for (int p = 0; p < 4; p++)
        for (int l = 0; l < LANG_COUNT; l++)
            for (int k = REPORT_ZERO; k <= REPORT_STATUS; k++) {
                size_t tn = 0, bn = 0, pn = 0;
                char *text =
                    pf_report_text((enum report_kind)k, (enum lang)l, papers[p].columns, &tn);
                uint8_t *b = pf_report_stream((enum report_kind)k, (enum lang)l, &papers[p], &bn);
                char *printed = NULL;
                struct err e = {0};
                CHECK(text && b);
                if (text && papers[p].codepage == ESCPOS_CP858)
                    as_pc858(text, &tn);
                if (text && b) {
                    CHECK_INT(escpos_text(b, bn, &printed, &pn, &e), 0);
                    if (printed && (pn != tn || memcmp(printed, text, tn) != 0)) {
                        fprintf(stderr,
                                "kind %d lang %d %u columns page %d: printed\n%s\nfile\n%s\n", k, l,
                                papers[p].columns, (int)papers[p].codepage, printed, text);
                        check_st.cur_failed++;
                    }
                }
                free(printed);
                free(text);
                free(b);
            }
}

static void test_accents(void)
{
    static const char *s = "é è ë ï ç € à ô û ù É È Ç Ë Ï ÿ"; /* 31 columns */
    struct doc d;
    doc_init(&d);
    doc_line(&d, 0, s);
    struct escpos_paper paper = escpos_paper_58mm();
    for (int cp = ESCPOS_CP858; cp <= ESCPOS_CP1252; cp++) {
        paper.codepage = (enum escpos_codepage)cp;
        paper.codepage_n = cp == ESCPOS_CP858 ? 19 : 16;
        uint8_t *b = NULL;
        size_t n = 0;
        struct err e = {0};
        CHECK_INT(escpos_encode(&d, &paper, &b, &n, &e), 0);
        /* ESC @, ESC t n, then the line */
        CHECK(n > 8 && b[2] == 0x1B && b[3] == 't' && b[4] == paper.codepage_n);
        if (cp == ESCPOS_CP858) {
            static const uint8_t want[] = {0x82, ' ', 0x8A, ' ', 0x89, ' ',
                                           0x8B, ' ', 0x87, ' ', 0xD5};
            CHECK(n > 5 + sizeof want && memcmp(b + 5, want, sizeof want) == 0);
        } else {
            static const uint8_t want[] = {0xE9, ' ', 0xE8, ' ', 0xEB, ' ',
                                           0xEF, ' ', 0xE7, ' ', 0x80};
            CHECK(n > 5 + sizeof want && memcmp(b + 5, want, sizeof want) == 0);
        }
        char *t = NULL;
        size_t tn = 0;
        CHECK_INT(escpos_text(b, n, &t, &tn, &e), 0);
        if (t) {
            CHECK(strncmp(t, s, strlen(s)) == 0);
            CHECK(t[strlen(s)] == '\n');
        }
        free(t);
        free(b);
    }
    doc_free(&d);
    /* Every French and Dutch letter round-trips through both pages. */
    static const char *letters = "àâäæçéèêëîïôöœùûüÿÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ€";
    for (int cp = ESCPOS_CP858; cp <= ESCPOS_CP1252; cp++) {
        size_t i = 0, n = strlen(letters);
        while (i < n) {
            const unsigned char *u = (const unsigned char *)letters + i;
            uint32_t c = u[0] < 0xE0
                             ? ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu)
                             : ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
            i += u[0] < 0xE0 ? 2 : 3;
            bool found = false;
            for (unsigned b = 0x80; b <= 0xFF; b++)
                found = found || escpos_decode_byte((enum escpos_codepage)cp, (uint8_t)b) == c;
            /* œ and Œ are not in PC858: they print as '?' there (checked below) */
            if (!(cp == ESCPOS_CP858 && (c == 0x153 || c == 0x152)) && !found) {
                fprintf(stderr, "U+%04X missing from code page %d\n", (unsigned)c, cp);
                check_st.cur_failed++;
            }
        }
    }
}

struct width_check {
    const struct escpos_paper *paper;
    unsigned w, h, cols, lines_over;
};

static int width_cb(const struct escpos_cmd *c, void *user)
{
    struct width_check *s = user;
    if (c->op == ESCPOS_OP_INIT)
        s->w = s->h = 1;
    else if (c->op == ESCPOS_OP_SIZE)
        s->w = c->a, s->h = c->b;
    else if (c->op == ESCPOS_OP_TEXT)
        s->cols += (unsigned)c->n * s->w;
    else if (c->op == ESCPOS_OP_LF) {
        if (s->cols * ESCPOS_COL_DOTS > s->paper->dots)
            s->lines_over++;
        s->cols = 0;
    } else if (c->op == ESCPOS_OP_RASTER && c->a * 8 > s->paper->dots)
        s->lines_over++;
    return 0;
}

/* No line of any document is wider than its paper, at any character size. */
static void test_fits_paper(void)
{
    struct escpos_paper papers[2] = {escpos_paper_58mm(), escpos_paper_80mm()};
    for (int p = 0; p < 2; p++)
        for (int l = 0; l < LANG_COUNT; l++) {
            size_t n = 0;
            uint8_t *docs[2] = {pf_report_stream(REPORT_CLOSING, (enum lang)l, &papers[p], &n),
                                NULL};
            size_t lens[2] = {n, 0};
            docs[1] = pf_receipt_stream((enum lang)l, &papers[p], &lens[1]);
            for (int k = 0; k < 2; k++) {
                struct width_check s = {&papers[p], 1, 1, 0, 0};
                struct err e = {0};
                CHECK(docs[k] != NULL);
                if (docs[k])
                    CHECK_INT(escpos_parse(docs[k], lens[k], width_cb, &s, &e), 0);
                CHECK_INT(s.lines_over, 0);
                free(docs[k]);
            }
        }
}

struct raster {
    unsigned a, b;
    const uint8_t *data;
    int count;
    unsigned big; /* largest width multiplier seen */
};

static int raster_cb(const struct escpos_cmd *c, void *user)
{
    struct raster *r = user;
    if (c->op == ESCPOS_OP_RASTER) {
        r->a = c->a;
        r->b = c->b;
        r->data = c->data;
        r->count++;
    } else if (c->op == ESCPOS_OP_SIZE && c->a > r->big) {
        r->big = c->a;
    }
    return 0;
}

/* The receipt: its QR image is the address's QR code; the code is printed large; its text
 * holds the name, the code and the address, and no digit that is not in one of them. */
static void test_receipt(void)
{
    struct escpos_paper papers[2] = {escpos_paper_58mm(), escpos_paper_80mm()};
    for (int p = 0; p < 2; p++) {
        size_t n = 0;
        uint8_t *b = pf_receipt_stream(LANG_NL, &papers[p], &n);
        CHECK(b != NULL);
        if (!b)
            continue;
        struct raster r = {0};
        struct err e = {0};
        CHECK_INT(escpos_parse(b, n, raster_cb, &r, &e), 0);
        CHECK_INT(r.count, 1);
        CHECK_INT(r.big, p == 0 ? 2 : 3); /* 13 characters: 2x on 32 columns, 3x on 48 */
        QRcode *q = QRcode_encodeString(PF_ADDRESS, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        CHECK(q != NULL);
        if (q && r.data) {
            unsigned w = (unsigned)q->width, scale = r.b / w, left = (r.a * 8 - w * scale) / 2;
            CHECK_INT(r.b % w, 0);
            CHECK(scale >= 2);
            unsigned bad = 0;
            for (unsigned y = 0; y < w; y++)
                for (unsigned x = 0; x < w; x++) {
                    unsigned py = y * scale + scale / 2, px = left + x * scale + scale / 2;
                    bool dark = r.data[py * r.a + px / 8] & (0x80 >> (px % 8));
                    bad += dark != (bool)(q->data[y * w + x] & 1);
                }
            CHECK_INT(bad, 0);
        }
        QRcode_free(q);
        char *t = NULL;
        size_t tn = 0;
        CHECK_INT(escpos_text(b, n, &t, &tn, &e), 0);
        if (t) { /* lines joined: the address may wrap */
            size_t j = 0;
            for (size_t i = 0; i < tn; i++)
                if (t[i] != '\n')
                    t[j++] = t[i];
            t[j] = '\0';
            tn = j;
            CHECK_HAS(t, PF_TRACKING);
            CHECK_HAS(t, PF_ADDRESS);
            CHECK_HAS(t, "één stad");
            CHECK_HAS(t, "Uw volgcode");
            /* no time, no sequence number: the only digits are those of the name and code */
            for (size_t i = 0; i < tn; i++)
                if (t[i] >= '0' && t[i] <= '9') {
                    bool in_code = strchr(PF_TRACKING, t[i]) != NULL;
                    bool in_name = strchr("2026", t[i]) != NULL;
                    if (!in_code && !in_name) {
                        fprintf(stderr, "digit '%c' on the receipt at %zu\n", t[i], i);
                        check_st.cur_failed++;
                    }
                }
        }
        free(t);
        free(b);
    }
    struct doc d;
    doc_init(&d);
    struct err e = {0};
    struct escpos_receipt none = {"Budget", "", PF_ADDRESS};
    CHECK_INT(escpos_receipt(&none, LANG_FR, &d, &e), ERR_USAGE);
    CHECK_INT(d.n, 0);
    doc_free(&d);
}

static int count_cut(const struct escpos_cmd *c, void *user)
{
    int *n = user;
    if (c->op == ESCPOS_OP_CUT || c->op == ESCPOS_OP_INIT)
        (*n)++;
    return 0;
}

/* Control characters in package text print as spaces: no command comes out of them. */
static void test_no_injection(void)
{
    struct doc d;
    doc_init(&d);
    doc_text(&d, DOC_CENTER,
             "Projet \x1D"
             "V\x42"
             "\x00");
    doc_line(&d, 0, "ligne \x1B@ \x10\x04\x01 fin");
    struct escpos_paper paper = escpos_paper_58mm();
    uint8_t *b = NULL;
    size_t n = 0;
    struct err e = {0};
    CHECK_INT(escpos_encode(&d, &paper, &b, &n, &e), 0);
    int cmds = 0;
    CHECK_INT(escpos_parse(b, n, count_cut, &cmds, &e), 0);
    CHECK_INT(cmds, 2);                /* our ESC @ and our cut, nothing else */
    for (size_t i = 0; i + 1 < n; i++) /* no real-time status request either */
        CHECK(!(b[i] == 0x10 && b[i + 1] == 0x04));
    free(b);
    doc_free(&d);
}

/* A printer acts on real-time commands (DLE EOT, DLE ENQ, DLE DC4: status, clear the buffers,
 * power off) wherever they appear, even inside image data. No document may contain one: not
 * in its text (controls print as spaces), not in a command's parameters, and not in the QR
 * raster (modules are at least 2 dots wide, so the byte 0x10, a lone dot, cannot occur). */
static bool has_realtime(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (b[i] == 0x10 && (b[i + 1] == 0x04 || b[i + 1] == 0x05 || b[i + 1] == 0x14))
            return true;
    return false;
}

static int raster_dle(const struct escpos_cmd *c, void *user)
{
    int *n = user;
    if (c->op == ESCPOS_OP_RASTER)
        for (size_t i = 0; i < c->n; i++)
            *n += c->data[i] == 0x10;
    return 0;
}

static void test_no_realtime_commands(void)
{
    struct escpos_paper papers[2] = {escpos_paper_58mm(), escpos_paper_80mm()};
    for (int p = 0; p < 2; p++)
        for (int l = 0; l < LANG_COUNT; l++) {
            for (int k = REPORT_ZERO; k <= REPORT_STATUS; k++) {
                size_t n = 0;
                uint8_t *b = pf_report_stream((enum report_kind)k, (enum lang)l, &papers[p], &n);
                CHECK(b && !has_realtime(b, n));
                free(b);
            }
            size_t n = 0;
            uint8_t *b = pf_receipt_stream((enum lang)l, &papers[p], &n);
            CHECK(b && !has_realtime(b, n));
            free(b);
        }
    /* QR codes of many addresses, every size from 20 to 160 characters */
    char addr[200];
    int found = 0;
    for (int len = 20; len <= 160; len++) {
        int m = snprintf(addr, sizeof addr, "https://example.org/%d/", len);
        for (int i = m; i < len; i++)
            addr[i] = (char)('a' + (i * 7 + len) % 26);
        addr[len > m ? len : m] = '\0';
        struct doc d;
        doc_init(&d);
        doc_qr(&d, addr);
        for (int p = 0; p < 2; p++) {
            uint8_t *b = NULL;
            size_t n = 0;
            struct err e = {0};
            if (escpos_encode(&d, &papers[p], &b, &n, &e) == 0) {
                found += has_realtime(b, n);
                CHECK_INT(escpos_parse(b, n, raster_dle, &found, &e), 0);
            }
            free(b);
        }
        doc_free(&d);
    }
    CHECK_INT(found, 0);
    /* package text holding real-time commands */
    struct doc d;
    doc_init(&d);
    doc_line(&d, 0, "a\x10\x05\x02 b\x10\x14\x02\x01\x08 c\x10\x04\x01");
    doc_text(&d, DOC_BOLD, "a\x10\x05\x02 b\x10\x14\x02\x01\x08 c\x10\x04\x01");
    uint8_t *b = NULL;
    size_t n = 0;
    struct err e = {0};
    CHECK_INT(escpos_encode(&d, &papers[0], &b, &n, &e), 0);
    CHECK(b && !has_realtime(b, n));
    free(b);
    doc_free(&d);
}

static void test_errors(void)
{
    size_t n = 0;
    char *wide = pf_report_text(REPORT_ZERO, LANG_FR, 48, &n);
    struct doc d;
    doc_init(&d);
    struct err e = {0};
    CHECK_INT(escpos_report(wide, n, 32, &d, &e), ERR_USAGE);
    CHECK_HAS(e.msg, "32 columns");
    doc_free(&d);
    doc_init(&d);
    CHECK_INT(escpos_report("no line break", 13, 32, &d, &e), ERR_INVALID);
    CHECK_INT(escpos_report("\xC3\x28\n", 3, 32, &d, &e), ERR_INVALID);
    doc_free(&d);
    free(wide);
    /* a QR text too long for the paper */
    doc_init(&d);
    char big[4001];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    doc_qr(&d, big);
    struct escpos_paper paper = escpos_paper_58mm();
    uint8_t *b = NULL;
    CHECK_INT(escpos_encode(&d, &paper, &b, &n, &e), ERR_INVALID);
    CHECK(b == NULL);
    doc_free(&d);
    /* truncated and unknown commands */
    static const uint8_t cut_short[] = {0x1D, 'v', '0', 0, 4, 0, 10, 0, 1, 2};
    CHECK_INT(escpos_text(cut_short, sizeof cut_short, (char **)&b, &n, &e), ERR_FORMAT);
    static const uint8_t unknown[] = {'a', 0x1B, 'Z', 1};
    CHECK_INT(escpos_text(unknown, sizeof unknown, (char **)&b, &n, &e), ERR_FORMAT);
}

int main(void)
{
    RUN(test_golden);
    RUN(test_same_text_as_file);
    RUN(test_accents);
    RUN(test_fits_paper);
    RUN(test_receipt);
    RUN(test_no_injection);
    RUN(test_no_realtime_commands);
    RUN(test_errors);
    return check_done();
}
