/* fuzz_escpos — printed documents on arbitrary bytes. The bytes are read as an ESC/POS stream
 * (escpos_text: what tools/escpos_render and the tests read back), then as a report's text
 * laid out for 32 and 48 columns (escpos_report, which the kiosk feeds with report files) and
 * as the fields of a receipt. Whatever it accepts must encode to a stream that parses back and
 * holds no real-time command (DLE EOT, ENQ, DC4). Nothing may crash, leak or read out of
 * bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escpos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_stream(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (b[i] == 0x10 && (b[i + 1] == 0x04 || b[i + 1] == 0x05 || b[i + 1] == 0x14))
            abort();
    char *t = NULL;
    size_t tn = 0;
    if (escpos_text(b, n, &t, &tn, NULL) != 0)
        abort(); /* our own streams always parse */
    free(t);
}

static void encode(const struct doc *d, unsigned columns)
{
    struct escpos_paper paper = columns == 48 ? escpos_paper_80mm() : escpos_paper_58mm();
    uint8_t *b = NULL;
    size_t n = 0;
    if (escpos_encode(d, &paper, &b, &n, NULL) == 0)
        check_stream(b, n);
    free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *t = NULL;
    size_t tn = 0;
    if (escpos_text(data, size, &t, &tn, NULL) == 0)
        free(t);

    static const unsigned widths[2] = {32, 48};
    for (int w = 0; w < 2; w++) {
        struct doc d;
        doc_init(&d);
        if (escpos_report((const char *)data, size, widths[w], &d, NULL) == 0)
            encode(&d, widths[w]);
        doc_free(&d);
    }

    /* a receipt: name, code and address separated by NUL bytes */
    char *copy = malloc(size + 3);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    copy[size] = copy[size + 1] = copy[size + 2] = '\0';
    const char *name = copy;
    const char *code = name + strlen(name) + 1;
    const char *addr = code <= copy + size ? code + strlen(code) + 1 : copy + size + 2;
    struct escpos_receipt r = {name, code, addr};
    struct doc d;
    doc_init(&d);
    if (escpos_receipt(&r, (enum lang)(size % LANG_COUNT), &d, NULL) == 0)
        for (int w = 0; w < 2; w++)
            encode(&d, widths[w]);
    doc_free(&d);
    free(copy);
    return 0;
}
