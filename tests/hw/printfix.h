/*
 * printfix — the printed documents the printer tests share: a sample report input (fixed
 * keys, hashes and time, so the bytes never change), the ESC/POS streams of the zero report,
 * the closing report and a voter receipt, and golden-file comparison (tests/hw/golden/;
 * ISOLOIR_WRITE_GOLDEN=1 rewrites them after a deliberate change: then read the diff and look
 * at the pictures, tools/escpos_render).
 */
#ifndef ISOLOIR_TEST_PRINTFIX_H
#define ISOLOIR_TEST_PRINTFIX_H

#include "check.h"
#include "escpos.h"
#include "polls_report.h"
#include "util.h"

static inline struct polls_report_input pf_report_input(enum report_kind kind, enum lang lang)
{
    struct polls_report_input in = {0};
    in.kind = kind;
    in.election_name = lang == LANG_FR   ? "Budget participatif 2026 – « Cœur de ville »"
                       : lang == LANG_NL ? "Participatieve begroting 2026 – één stad"
                                         : "Participatory budget 2026";
    in.election_id = "bxl-2026";
    in.vote_point = lang == LANG_NL ? "Gemeentehuis van Schaarbeek" : "Maison communale d'Ixelles";
    in.kiosk_label = "kiosk-03 Schaerbeek";
    for (int i = 0; i < 32; i++) {
        in.kiosk_pk[i] = (uint8_t)(3 * i + 1);
        in.package_hash[i] = (uint8_t)(0xA0 ^ i);
        in.chain_head[i] = (uint8_t)(kind * 17 + i);
    }
    in.token_mode = kind != REPORT_ZERO;
    static const uint64_t ballots[] = {0, 0, 214, 214, 587, 12};
    in.ballots = ballots[kind];
    in.tokens_spent = kind == REPORT_ZERO ? 0 : in.ballots - 3;
    in.journal_rows = kind == REPORT_ZERO ? 1 : 2 * in.ballots + kind;
    in.at = 1796112000 + (int64_t)kind * 3 * 3600 + 125; /* 2026-12-01 08:02:05 UTC + 3 h/kind */
    in.utc_offset = 3600;
    in.state = REPORT_PAUSED;
    return in;
}

/* The report's text at the paper's width (what the kiosk writes to its file). */
static inline char *pf_report_text(enum report_kind kind, enum lang lang, unsigned columns,
                                   size_t *n)
{
    struct polls_report_input in = pf_report_input(kind, lang);
    char *s = NULL;
    struct err e = {0};
    if (polls_report_render(&in, lang, columns, &s, n, &e) != 0) {
        fprintf(stderr, "polls_report_render: %s\n", e.msg);
        check_st.cur_failed++;
        return NULL;
    }
    return s;
}

/* The report as ESC/POS for paper; NULL on failure (counted). */
static inline uint8_t *pf_report_stream(enum report_kind kind, enum lang lang,
                                        const struct escpos_paper *paper, size_t *len)
{
    size_t n;
    char *text = pf_report_text(kind, lang, paper->columns, &n);
    if (!text)
        return NULL;
    struct err e = {0};
    uint8_t *out = NULL;
    if (escpos_report_bytes(text, n, paper, &out, len, &e) != 0) {
        fprintf(stderr, "report stream: %s\n", e.msg);
        check_st.cur_failed++;
    }
    free(text);
    return out;
}

#define PF_ADDRESS  "https://vote.example.brussels/codes"
#define PF_TRACKING "7K3M-Q9XW-2PD"

static inline uint8_t *pf_receipt_stream(enum lang lang, const struct escpos_paper *paper,
                                         size_t *len)
{
    struct escpos_receipt r = {lang == LANG_NL ? "Participatieve begroting 2026 – één stad"
                                               : "Budget participatif 2026 – « Cœur de ville »",
                               PF_TRACKING, PF_ADDRESS};
    struct err e = {0};
    uint8_t *out = NULL;
    if (escpos_receipt_bytes(&r, lang, paper, &out, len, &e) != 0) {
        fprintf(stderr, "receipt stream: %s\n", e.msg);
        check_st.cur_failed++;
    }
    return out;
}

/* The golden documents: file name, and how to make the bytes. The first three are the
 * issue's (zero report, closing report, receipt); the pause slip and the Dutch receipt on
 * 80 mm show the other layouts. */
enum pf_doc { PF_ZERO_58, PF_CLOSING_80, PF_RECEIPT_58, PF_PAUSE_58, PF_RECEIPT_80, PF_DOC_COUNT };
static const char *const PF_GOLDEN[PF_DOC_COUNT] = {"zero-fr-58.bin", "closing-fr-80.bin",
                                                    "receipt-fr-58.bin", "pause-nl-58.bin",
                                                    "receipt-nl-80.bin"};

static inline uint8_t *pf_doc(enum pf_doc which, size_t *len)
{
    struct escpos_paper p58 = escpos_paper_58mm(), p80 = escpos_paper_80mm();
    switch (which) {
    case PF_ZERO_58:
        return pf_report_stream(REPORT_ZERO, LANG_FR, &p58, len);
    case PF_CLOSING_80:
        return pf_report_stream(REPORT_CLOSING, LANG_FR, &p80, len);
    case PF_PAUSE_58:
        return pf_report_stream(REPORT_PAUSE, LANG_NL, &p58, len);
    case PF_RECEIPT_80:
        return pf_receipt_stream(LANG_NL, &p80, len);
    default:
        return pf_receipt_stream(LANG_FR, &p58, len);
    }
}

static inline uint8_t *pf_golden_read(const char *name, size_t *len)
{
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/hw/golden/%s", src ? src : ".", name);
    uint8_t *data = NULL;
    struct err e = {0};
    if (util_read_file(path, 1 << 20, &data, len, &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return NULL;
    }
    return data;
}

/* Compares bytes with the golden file (rewriting it first under ISOLOIR_WRITE_GOLDEN). */
static inline void pf_golden_check(const char *name, const uint8_t *b, size_t n)
{
    const char *src = getenv("ISOLOIR_SOURCE_DIR");
    if (getenv("ISOLOIR_WRITE_GOLDEN") && src) {
        char path[1024];
        snprintf(path, sizeof path, "%s/tests/hw/golden/%s", src, name);
        struct err e = {0};
        CHECK_INT(util_write_durable(path, b, n, 0644, &e), 0);
    }
    size_t wn = 0;
    uint8_t *want = pf_golden_read(name, &wn);
    if (!want || wn != n || memcmp(want, b, n) != 0) {
        size_t at = 0;
        while (want && at < n && at < wn && want[at] == b[at])
            at++;
        fprintf(stderr, "%s: %zu bytes, golden %zu bytes; first difference at byte %zu\n", name, n,
                wn, at);
        check_st.cur_failed++;
    }
    free(want);
}

#endif
