/* fuzz_share — the trustee share-file parser (core/shares.c) on arbitrary bytes. The first
 * byte chooses: even = the bytes after it are a whole file; odd = they are a file without its
 * last line, and the fuzzer appends a correct checksum line, so that mutations reach the
 * field parser behind the checksum. Whatever it accepts must describe a consistent share
 * (1 <= x <= n, 2 <= k <= n, n commitments). Nothing may crash, leak or read out of bounds. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "shares.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 40000)
        return 0;
    if (sodium_init() < 0)
        abort();
    bool add_sum = data[0] & 1;
    const char *body = (const char *)data + 1;
    size_t n = size - 1;
    char *text = malloc(n + 80);
    if (!text)
        return 0;
    memcpy(text, body, n);
    if (add_sum) {
        uint8_t h[HASH_LEN];
        char hx[2 * HASH_LEN + 1];
        hash32(h, text, n);
        hex_encode(hx, h, HASH_LEN);
        int w = snprintf(text + n, 80, "checksum: %s\n", hx);
        n += (size_t)w;
    }
    struct share s;
    struct err e;
    if (share_parse("fuzz.share", text, n, &s, &e) == 0) {
        if (s.x < 1 || s.x > s.n || s.k < 2 || s.k > s.n || !s.commit || s.value)
            abort();
        char who[700];
        share_describe(&s, who, sizeof who);
    } else if (!e.msg[0]) {
        abort(); /* every refusal says why */
    }
    share_free(&s);
    free(text);
    return 0;
}
