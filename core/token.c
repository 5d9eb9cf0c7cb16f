/* token — see token.h and docs/tokens.md.
 *
 * The check character: read the 17 characters as elements of GF(32) (the field with 32
 * elements, polynomial x^5 + x^2 + 1; a character's Crockford value is the element's bit
 * pattern). A code is valid when s[0]*a^16 + s[1]*a^15 + ... + s[16]*a^0 = 0, with a = x. The
 * weights a^16 .. a^0 are distinct and non-zero (a has order 31), so changing one character
 * changes the sum (one substitution is always caught), and swapping the characters at i and j
 * changes it by (s[i] + s[j]) * (a^p + a^q), which is non-zero whenever they differ (a^d = 1
 * only when 31 divides d). The check character keeps the code within the same 32-character
 * alphabet as the data, so a keypad needs no extra symbols. */
#include "token.h"

#include <sodium.h>
#include <stdarg.h>

#include "util.h"

#define GF_POLY 0x25u /* x^5 + x^2 + 1 */

char token_check_char(const char data[TOKEN_DATA_CHARS])
{
    return b32_check_char(data, TOKEN_DATA_CHARS, GF_POLY);
}

void token_generate(char data[TOKEN_DATA_CHARS + 1])
{
    uint8_t raw[TOKEN_ENTROPY_BITS / 8];
    randombytes_buf(raw, sizeof raw);
    b32_encode(data, raw, sizeof raw); /* 80 bits -> exactly 16 characters */
    sodium_memzero(raw, sizeof raw);
}

void token_format(char out[TOKEN_TEXT_LEN + 1], const char data[TOKEN_DATA_CHARS])
{
    size_t o = 0;
    for (size_t i = 0; i < TOKEN_DATA_CHARS; i++) {
        if (i > 0 && i % 4 == 0)
            out[o++] = '-';
        out[o++] = data[i];
    }
    out[o++] = '-';
    out[o++] = token_check_char(data);
    out[o] = '\0';
}

void token_hash(uint8_t hash[TOKEN_HASH_LEN], const char data[TOKEN_DATA_CHARS])
{
    static const char label[] = TOKEN_LABEL;
    uint8_t full[HASH_LEN];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, HASH_LEN);
    crypto_generichash_update(&st, (const uint8_t *)label, sizeof label - 1);
    crypto_generichash_update(&st, (const uint8_t *)data, TOKEN_DATA_CHARS);
    crypto_generichash_final(&st, full, HASH_LEN);
    memcpy(hash, full, TOKEN_HASH_LEN);
    sodium_memzero(&st, sizeof st);
}

enum token_status token_parse(const char *input, char data[TOKEN_DATA_CHARS + 1])
{
    unsigned v[TOKEN_CODE_CHARS];
    size_t n = 0;
    enum token_status st = TOKEN_INCOMPLETE;
    for (const char *p = input; p && *p; p++) {
        if (*p == ' ' || *p == '-' || *p == '\t' || *p == '\r' || *p == '\n')
            continue;
        int x = b32_value((unsigned char)*p);
        if (x < 0 || n == TOKEN_CODE_CHARS) {
            st = TOKEN_MISTYPED;
            goto wipe;
        }
        v[n++] = (unsigned)x;
    }
    if (n < TOKEN_CODE_CHARS)
        goto wipe;
    for (size_t i = 0; i < TOKEN_DATA_CHARS; i++)
        data[i] = b32_char(v[i]);
    data[TOKEN_DATA_CHARS] = '\0';
    if (token_check_char(data) != b32_char(v[TOKEN_DATA_CHARS])) {
        sodium_memzero(data, TOKEN_DATA_CHARS + 1);
        st = TOKEN_MISTYPED;
        goto wipe;
    }
    st = TOKEN_VALID;
wipe:
    sodium_memzero(v, sizeof v);
    return st;
}

const struct token_entry *token_find(const struct election *el, const uint8_t hash[TOKEN_HASH_LEN])
{
    size_t lo = 0, hi = el->ntokens;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(el->tokens[mid].hash, hash, TOKEN_HASH_LEN);
        if (c == 0)
            return &el->tokens[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int token_check(const struct election *el, const char *input, token_spent_fn spent, void *ctx,
                struct token_result *out, struct err *e)
{
    char data[TOKEN_DATA_CHARS + 1];
    memset(out, 0, sizeof *out);
    out->district = -1;
    out->status = token_parse(input, data);
    if (out->status != TOKEN_VALID)
        goto wipe;
    token_hash(out->hash, data);
    const struct token_entry *t = token_find(el, out->hash);
    if (!t) {
        out->status = TOKEN_UNKNOWN;
        goto wipe;
    }
    out->district = t->district;
    int s = spent ? spent(ctx, out->hash, e) : 0;
    if (s < 0) {
        out->status = TOKEN_UNKNOWN;
        sodium_memzero(data, sizeof data);
        return s;
    }
    out->status = s ? TOKEN_SPENT : TOKEN_VALID;
wipe:
    sodium_memzero(data, sizeof data);
    return 0;
}

/* Kind words for the voter: say what to do, never blame. Indexed [status][lang]. */
static const char *const MESSAGES[5][LANG_COUNT] = {
    [TOKEN_VALID] = {"Code accepté. Vous pouvez voter.", "Code aanvaard. U kunt stemmen.",
                     "Code accepted. You can vote."},
    [TOKEN_INCOMPLETE] =
        {"Le code compte 17 caractères. Tapez-le en entier, tel qu'il figure sur votre carte.",
         "De code telt 17 tekens. Typ hem volledig, zoals hij op uw kaart staat.",
         "The code has 17 characters. Please type all of it, as printed on your card."},
    [TOKEN_MISTYPED] = {"Ce code ne semble pas correct. Vérifiez le code sur votre carte, "
                        "caractère par caractère, et réessayez.",
                        "Deze code lijkt niet te kloppen. Controleer de code op uw kaart, "
                        "teken per teken, en probeer opnieuw.",
                        "This code does not look right. Please check the code on your card, "
                        "character by character, and try again."},
    [TOKEN_UNKNOWN] = {"Ce code n'est pas valable pour ce vote. Vérifiez que la carte est bien "
                       "celle de ce vote, ou demandez de l'aide à un responsable.",
                       "Deze code is niet geldig voor deze stemming. Controleer of de kaart "
                       "voor deze stemming is, of vraag hulp aan een verantwoordelijke.",
                       "This code is not valid for this vote. Please check that the card is "
                       "for this vote, or ask an official for help."},
    [TOKEN_SPENT] = {"Cette carte a déjà servi à voter sur cette borne. Si vous n'avez pas "
                     "encore voté, adressez-vous à un responsable.",
                     "Met deze kaart is op deze kiosk al gestemd. Hebt u nog niet gestemd? "
                     "Spreek dan een verantwoordelijke aan.",
                     "This card has already been used to vote at this kiosk. If you have not "
                     "voted yet, please speak to an official."},
};

const char *token_status_message(enum token_status s, enum lang lang)
{
    if ((unsigned)s >= ARRAY_LEN(MESSAGES))
        s = TOKEN_MISTYPED;
    if ((unsigned)lang >= LANG_COUNT)
        lang = LANG_EN;
    return MESSAGES[s][lang];
}

/* ---- tokens.tsv ---- */

#define TSV_MAX_BYTES ((size_t)TOKEN_TSV_MAX * 100u)
#define TSV_SHOW_BAD  5
#define TSV_ID_MAX    63
#define TSV_HEX_LEN   (TOKEN_HASH_LEN * 2)

static bool id_ok(const char *s, size_t n)
{
    if (n == 0 || n > TSV_ID_MAX || (n == 1 && s[0] == '*'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\0')
            return false;
    return utf8_valid(s, n);
}

size_t token_tsv_line(char *out, size_t size, const uint8_t hash[TOKEN_HASH_LEN],
                      const char *district_id)
{
    if (district_id && !id_ok(district_id, strlen(district_id)))
        return 0;
    char hex[TSV_HEX_LEN + 1];
    hex_encode(hex, hash, TOKEN_HASH_LEN);
    int w = snprintf(out, size, "%s\t%s\n", hex, district_id ? district_id : TOKEN_TSV_CITYWIDE);
    if (w < 0 || (size_t)w >= size)
        return 0;
    return (size_t)w;
}

struct tsv_row {
    struct token_entry t;
    size_t line;
};

struct tsv {
    const struct election *el;
    struct tsv_row *rows;
    size_t n, cap;
    size_t nbad;
    int code; /* of the first bad line */
    char msg[768];
    size_t msg_len;
};

static void tsv_bad(struct tsv *t, size_t line, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void tsv_bad(struct tsv *t, size_t line, int code, const char *fmt, ...)
{
    if (t->nbad++ == 0)
        t->code = code;
    if (t->nbad > TSV_SHOW_BAD || t->msg_len >= sizeof t->msg - 1)
        return;
    int w = snprintf(t->msg + t->msg_len, sizeof t->msg - t->msg_len,
                     "%sline %zu: ", t->nbad > 1 ? "; " : "", line);
    if (w > 0)
        t->msg_len += (size_t)w;
    if (t->msg_len >= sizeof t->msg - 1) {
        t->msg_len = sizeof t->msg - 1;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    w = vsnprintf(t->msg + t->msg_len, sizeof t->msg - t->msg_len, fmt, ap);
    va_end(ap);
    if (w > 0)
        t->msg_len += (size_t)w;
    if (t->msg_len >= sizeof t->msg - 1)
        t->msg_len = sizeof t->msg - 1;
}

static int tsv_row(struct tsv *t, const char *s, size_t n, size_t line)
{
    const char *tab = memchr(s, '\t', n);
    if (!tab) {
        tsv_bad(t, line, ERR_FORMAT, "expected a hash, a tab and a district id");
        return 0;
    }
    size_t hl = (size_t)(tab - s);
    char hex[TSV_HEX_LEN + 1];
    uint8_t h[TOKEN_HASH_LEN];
    if (hl != TSV_HEX_LEN) {
        tsv_bad(t, line, ERR_FORMAT, "the hash has %zu characters, it must have %d hex digits", hl,
                TSV_HEX_LEN);
        return 0;
    }
    memcpy(hex, s, TSV_HEX_LEN);
    hex[TSV_HEX_LEN] = '\0';
    if (hex_decode(h, TOKEN_HASH_LEN, hex) != 0) {
        tsv_bad(t, line, ERR_FORMAT, "the hash is not %d hex digits", TSV_HEX_LEN);
        return 0;
    }
    const char *id = tab + 1;
    size_t idl = n - hl - 1;
    int32_t district = -1;
    if (!(idl == 1 && id[0] == '*')) {
        if (!id_ok(id, idl)) {
            tsv_bad(t, line, ERR_FORMAT,
                    "the district field must be a district id or \"*\" (citywide), "
                    "with no other tab");
            return 0;
        }
        char idz[TSV_ID_MAX + 1];
        memcpy(idz, id, idl);
        idz[idl] = '\0';
        int d = election_find_district(t->el, idz);
        if (d < 0) {
            tsv_bad(t, line, ERR_INVALID,
                    "district \"%s\" is not a district of election \"%s\" (%zu districts)", idz,
                    t->el->id ? t->el->id : "", t->el->ndistricts);
            return 0;
        }
        district = d;
    }
    if (t->n == TOKEN_TSV_MAX)
        return ERR_INVALID; /* too many codes */
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        if (cap > TOKEN_TSV_MAX)
            cap = TOKEN_TSV_MAX;
        struct tsv_row *r = realloc(t->rows, cap * sizeof *r);
        if (!r)
            return ERR_NOMEM;
        t->rows = r;
        t->cap = cap;
    }
    memcpy(t->rows[t->n].t.hash, h, TOKEN_HASH_LEN);
    t->rows[t->n].t.district = district;
    t->rows[t->n].line = line;
    t->n++;
    return 0;
}

static int row_cmp(const void *a, const void *b)
{
    const struct tsv_row *x = a, *y = b;
    int c = memcmp(x->t.hash, y->t.hash, TOKEN_HASH_LEN);
    if (c)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

int token_tsv_parse(const uint8_t *data, size_t len, const struct election *el,
                    struct token_entry **out, size_t *n, struct err *e)
{
    *out = NULL;
    *n = 0;
    struct tsv t = {.el = el};
    struct token_entry *res = NULL;
    int rc = 0;
    const char *p = (const char *)data, *end = p + len;
    size_t line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t ll = (size_t)(le - p);
        line++;
        if (ll > 0 && p[ll - 1] == '\r')
            ll--;
        if (memchr(p, '\0', ll)) {
            tsv_bad(&t, line, ERR_FORMAT, "a NUL byte (this is not a text file)");
        } else if (line == 1) {
            if (ll != strlen(TOKEN_TSV_HEADER) || memcmp(p, TOKEN_TSV_HEADER, ll) != 0) {
                rc = err_set(e, ERR_FORMAT,
                             "line 1: a tokens.tsv file starts with \"%s\"; make it with "
                             "isoloir-tokens generate",
                             TOKEN_TSV_HEADER);
                goto done;
            }
        } else if (ll > 0 && p[0] != '#') {
            rc = tsv_row(&t, p, ll, line);
            if (rc == ERR_NOMEM) {
                rc = err_set(e, ERR_NOMEM, "out of memory reading voter-card codes");
                goto done;
            }
            if (rc) {
                rc = err_set(e, ERR_INVALID,
                             "line %zu: more than %u voter-card codes; one package holds at "
                             "most %u",
                             line, TOKEN_TSV_MAX, TOKEN_TSV_MAX);
                goto done;
            }
        }
        p = nl ? nl + 1 : end;
    }
    if (line == 0) {
        rc = err_set(e, ERR_FORMAT, "the file is empty; a tokens.tsv file starts with \"%s\"",
                     TOKEN_TSV_HEADER);
        goto done;
    }
    if (t.n > 1)
        qsort(t.rows, t.n, sizeof *t.rows, row_cmp);
    for (size_t i = 1; i < t.n; i++)
        if (memcmp(t.rows[i - 1].t.hash, t.rows[i].t.hash, TOKEN_HASH_LEN) == 0)
            tsv_bad(&t, t.rows[i].line, ERR_INVALID, "the same code as line %zu",
                    t.rows[i - 1].line);
    if (t.nbad) {
        rc = err_set(e, t.code, "%zu bad line%s: %s%s; fix %s and try again", t.nbad,
                     t.nbad == 1 ? "" : "s", t.msg, t.nbad > TSV_SHOW_BAD ? "; ..." : "",
                     t.nbad == 1 ? "it" : "them");
        goto done;
    }
    if (t.n) {
        res = malloc(t.n * sizeof *res);
        if (!res) {
            rc = err_set(e, ERR_NOMEM, "out of memory reading voter-card codes");
            goto done;
        }
        for (size_t i = 0; i < t.n; i++)
            res[i] = t.rows[i].t;
    }
    *out = res;
    *n = t.n;
done:
    free(t.rows);
    return rc;
}

int token_tsv_read(const char *path, const struct election *el, struct token_entry **out, size_t *n,
                   struct err *e)
{
    uint8_t *data = NULL;
    size_t len = 0;
    *out = NULL;
    *n = 0;
    int rc = util_read_file(path, TSV_MAX_BYTES, &data, &len, e);
    if (rc)
        return rc;
    rc = token_tsv_parse(data, len, el, out, n, e);
    if (rc)
        err_prefix(e, "%s: ", path);
    free(data);
    return rc;
}
