/* fuzz_token — the voter-card code parser and the tokens.tsv reader on arbitrary bytes.
 * The first byte chooses: even = the bytes are a code as typed (token_check against a small
 * election whose codes come from the same input), odd = the bytes after it are a tokens.tsv
 * file read against an election with districts "nord" and "sud"; what it accepts must be
 * sorted, unique and findable. Neither may crash, leak or read out of bounds. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "token.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void districts(struct election *el)
{
    static const char *const ids[] = {"nord", "sud"};
    el->id = util_strdup("fuzz");
    el->ndistricts = 2;
    el->districts = calloc(2, sizeof *el->districts);
    if (!el->districts) {
        el->ndistricts = 0;
        return;
    }
    for (int i = 0; i < 2; i++)
        el->districts[i].id = util_strdup(ids[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0)
            return 0;
        ready = 1;
    }
    if (size == 0)
        return 0;
    struct election el;
    election_init(&el);
    districts(&el);
    struct err e;
    if (data[0] % 2 == 0) {
        char *s = malloc(size);
        if (!s)
            goto done;
        memcpy(s, data + 1, size - 1);
        s[size - 1] = '\0';
        char code[TOKEN_DATA_CHARS + 1];
        if (token_parse(s, code) == TOKEN_VALID) {
            /* make it a card of the election, then check it */
            el.tokens = calloc(1, sizeof *el.tokens);
            if (el.tokens) {
                el.ntokens = 1;
                token_hash(el.tokens[0].hash, code);
                el.tokens[0].district = data[0] % 4 == 0 ? -1 : 1;
            }
        }
        struct token_result r;
        if (token_check(&el, s, NULL, NULL, &r, &e) == 0 && el.ntokens == 1 &&
            r.status != TOKEN_VALID)
            abort(); /* a code that parses and is in the package must be found */
        (void)token_status_message(r.status, LANG_NL);
        free(s);
    } else {
        struct token_entry *t = NULL;
        size_t n = 0;
        if (token_tsv_parse(data + 1, size - 1, &el, &t, &n, &e) == 0) {
            el.tokens = t;
            el.ntokens = n;
            for (size_t i = 0; i < n; i++) {
                if (i > 0 && memcmp(t[i - 1].hash, t[i].hash, TOKEN_HASH_LEN) >= 0)
                    abort();
                if (t[i].district < -1 || t[i].district >= 2 || token_find(&el, t[i].hash) != &t[i])
                    abort();
            }
        } else if (t || n) {
            abort();
        }
    }
done:
    election_free(&el);
    return 0;
}
