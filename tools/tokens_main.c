/*
 * isoloir-tokens — voter-card codes for elections in token mode (docs/tokens.md).
 *
 *   isoloir-tokens generate (--district ID | --citywide) --count N --out DIR [--title TEXT]
 *       draws N new codes and writes, in DIR (created if missing, mode 0700):
 *         cards.csv   code,district  — SECRET: for printing the cards (mode 0600)
 *         cards.html  the same as printable cards, 8 per A4 page — SECRET (mode 0600)
 *         tokens.tsv  hash and district of each code, sorted by hash — for the package
 *                     builder (isoloir-package build --tokens FILE); reveals no code
 *       Refuses to replace any of these files.
 *   isoloir-tokens hash
 *       reads codes from standard input, one per line, and prints for each the hash that
 *       tokens.tsv holds for it ("mistyped" or "incomplete" instead), to check printed
 *       cards against a tokens.tsv. Never prints a code.
 *
 * Codes come from libsodium's randombytes_buf. The secret files are built in sodium_malloc'd
 * memory, written durably, and the memory is wiped.
 *
 * Exit codes: 0 done, 1 refused or failed (the message says why), 2 usage error.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "token.h"
#include "util.h"

#define PROGRAM   "isoloir-tokens"
#define MAX_COUNT 1000000L
#define MAX_TITLE 200

static const char *const USAGE =
    "usage:\n"
    "  isoloir-tokens generate (--district ID | --citywide) --count N --out DIR [--title TEXT]\n"
    "  isoloir-tokens hash < codes.txt\n";

static int usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

/* A fixed-capacity text buffer in guarded memory, for files that hold codes. */
struct sbuf {
    char *p;
    size_t len, cap;
    bool over;
};

static int sbuf_init(struct sbuf *b, size_t cap, struct err *e)
{
    b->p = sodium_malloc(cap);
    b->len = 0;
    b->cap = cap;
    b->over = false;
    return b->p ? 0 : err_set(e, ERR_NOMEM, "out of memory for %zu bytes of cards", cap);
}

static void sbuf_free(struct sbuf *b)
{
    if (b->p)
        sodium_free(b->p); /* wipes */
    b->p = NULL;
}

static void put(struct sbuf *b, const char *s, size_t n)
{
    if (b->over || n > b->cap - b->len) {
        b->over = true;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void puts_(struct sbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
static void put_csv(struct sbuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        puts_(b, s);
        return;
    }
    put(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            put(b, "\"", 1);
        put(b, s, 1);
    }
    put(b, "\"", 1);
}

static void put_html(struct sbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            puts_(b, "&amp;");
            break;
        case '<':
            puts_(b, "&lt;");
            break;
        case '>':
            puts_(b, "&gt;");
            break;
        case '"':
            puts_(b, "&quot;");
            break;
        case '\'':
            puts_(b, "&#39;");
            break;
        default:
            put(b, s, 1);
        }
    }
}

static const char HTML_HEAD[] =
    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>Cartes de vote / Stemkaarten / Voting cards</title>\n<style>\n"
    "@page { size: A4 portrait; margin: 10mm; }\n"
    "body { margin: 0; font-family: sans-serif; color: #000; }\n"
    ".page { display: grid; grid-template-columns: 1fr 1fr; grid-template-rows: repeat(4, 1fr);"
    " width: 190mm; height: 277mm; break-after: page; page-break-after: always; }\n"
    ".page:last-child { break-after: auto; page-break-after: auto; }\n"
    ".card { border: 0.3mm dashed #777; padding: 5mm; display: flex; flex-direction: column;"
    " justify-content: space-between; overflow: hidden; }\n"
    ".title { font-size: 11pt; font-weight: bold; }\n"
    ".kind { font-size: 10pt; }\n"
    ".district { font-size: 12pt; }\n"
    ".code { font-family: 'DejaVu Sans Mono', 'Courier New', monospace; font-size: 18pt;"
    " font-weight: bold; letter-spacing: 0.03em; white-space: nowrap; }\n"
    ".help { font-size: 8.5pt; line-height: 1.25; }\n"
    "</style>\n</head>\n<body>\n";

static const char HTML_HELP[] =
    "<div class=\"help\">Tapez ce code sur la borne de vote. Il ne sert qu'une fois.<br>"
    "Typ deze code in op de stemkiosk. Hij geldt maar één keer.<br>"
    "Type this code at the voting kiosk. It works only once.</div>\n";

static void html_card(struct sbuf *b, const char *code, const char *district, const char *title)
{
    puts_(b, "<div class=\"card\">\n");
    if (title) {
        puts_(b, "<div class=\"title\">");
        put_html(b, title);
        puts_(b, "</div>\n");
    }
    puts_(b, "<div class=\"kind\">Carte de vote · Stemkaart · Voting card</div>\n");
    puts_(b, "<div class=\"district\">");
    if (district) {
        puts_(b, "Quartier · Wijk · District : <b>");
        put_html(b, district);
        puts_(b, "</b>");
    } else {
        puts_(b, "Toute la ville · Hele stad · Citywide");
    }
    puts_(b, "</div>\n<div class=\"code\">");
    puts_(b, code);
    puts_(b, "</div>\n");
    puts_(b, HTML_HELP);
    puts_(b, "</div>\n");
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 || errno != ENOENT;
}

struct code_row {
    uint8_t hash[TOKEN_HASH_LEN];
    size_t index;
};

static int cmp_row(const void *a, const void *b)
{
    return memcmp(a, b, TOKEN_HASH_LEN);
}

static int cmd_generate(int argc, char **argv)
{
    const char *district = NULL, *out = NULL, *title = NULL;
    bool citywide = false;
    long count = -1;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--district") == 0 && i + 1 < argc) {
            district = argv[++i];
        } else if (strcmp(argv[i], "--citywide") == 0) {
            citywide = true;
        } else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
            int64_t v;
            if (util_parse_i64(argv[++i], &v) != 0 || v < 1 || v > MAX_COUNT) {
                fprintf(stderr, PROGRAM ": --count must be a whole number from 1 to %ld\n",
                        MAX_COUNT);
                return 2;
            }
            count = (long)v;
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--title") == 0 && i + 1 < argc) {
            title = argv[++i];
        } else {
            return usage();
        }
    }
    if ((district != NULL) == citywide || count < 0 || !out)
        return usage();
    struct err e = {0};
    char probe[128];
    if (district &&
        token_tsv_line(probe, sizeof probe, (const uint8_t *)"0123456789abcdef", district) == 0) {
        err_set(&e, ERR_USAGE,
                "\"%s\" cannot be a district id: ids are 1 to 63 bytes of UTF-8, with no tab "
                "or line break, and \"*\" means citywide (--citywide)",
                district);
        return cli_fail(PROGRAM, &e);
    }
    if (title && (strlen(title) > MAX_TITLE || !utf8_valid(title, strlen(title)))) {
        err_set(&e, ERR_USAGE, "--title must be UTF-8 text of at most %d bytes", MAX_TITLE);
        return cli_fail(PROGRAM, &e);
    }

    char csv_path[4096], html_path[4096], tsv_path[4096];
    snprintf(csv_path, sizeof csv_path, "%s/cards.csv", out);
    snprintf(html_path, sizeof html_path, "%s/cards.html", out);
    int plen = snprintf(tsv_path, sizeof tsv_path, "%s/tokens.tsv", out);
    if (plen < 0 || (size_t)plen >= sizeof tsv_path) {
        err_set(&e, ERR_USAGE, "the output directory path is too long");
        return cli_fail(PROGRAM, &e);
    }
    if (mkdir(out, 0700) != 0 && errno != EEXIST) {
        err_errno(&e, "cannot create the directory %s", out);
        return cli_fail(PROGRAM, &e);
    }
    const char *paths[] = {csv_path, html_path, tsv_path};
    for (size_t i = 0; i < ARRAY_LEN(paths); i++)
        if (exists(paths[i])) {
            err_set(&e, ERR_STATE,
                    "%s already exists; codes are never replaced: choose another --out "
                    "directory (or remove the old files if they were never printed)",
                    paths[i]);
            return cli_fail(PROGRAM, &e);
        }

    size_t n = (size_t)count;
    size_t idlen = district ? strlen(district) : 1, tlen = title ? strlen(title) : 0;
    char(*codes)[TOKEN_TEXT_LEN + 1] = sodium_allocarray(n, sizeof *codes);
    struct code_row *rows = calloc(n, sizeof *rows);
    struct sbuf csv = {0}, html = {0};
    char *tsv = NULL;
    int rc = 0;
    if (!codes || !rows) {
        rc = err_set(&e, ERR_NOMEM, "out of memory for %zu codes", n);
        goto cleanup;
    }
    /* Draw until all hashes differ (a repeat is a 1 in 2^60 event, but the package refuses
     * one, so it is checked). */
    for (int attempt = 0;; attempt++) {
        for (size_t i = 0; i < n; i++) {
            char data[TOKEN_DATA_CHARS + 1];
            token_generate(data);
            token_format(codes[i], data);
            token_hash(rows[i].hash, data);
            rows[i].index = i;
            sodium_memzero(data, sizeof data);
        }
        qsort(rows, n, sizeof *rows, cmp_row);
        bool repeat = false;
        for (size_t i = 1; i < n && !repeat; i++)
            repeat = memcmp(rows[i - 1].hash, rows[i].hash, TOKEN_HASH_LEN) == 0;
        if (!repeat)
            break;
        if (attempt == 3) {
            rc = err_set(&e, ERR_INTERNAL, "the random source keeps repeating codes");
            goto cleanup;
        }
    }

    /* cards.csv */
    if ((rc = sbuf_init(&csv, 32 + n * (TOKEN_TEXT_LEN + 2 * idlen + 5), &e)))
        goto cleanup;
    puts_(&csv, "code,district\n");
    for (size_t i = 0; i < n; i++) {
        put(&csv, codes[i], TOKEN_TEXT_LEN);
        put(&csv, ",", 1);
        put_csv(&csv, district ? district : TOKEN_TSV_CITYWIDE);
        put(&csv, "\n", 1);
    }
    /* cards.html: 8 cards per page. Every card has the same size (codes have a fixed
     * length), so one sample card sizes the whole file exactly. */
    struct sbuf sample = {0};
    if ((rc = sbuf_init(&sample, 4096 + 6 * (idlen + tlen), &e)))
        goto cleanup;
    html_card(&sample, "XXXX-XXXX-XXXX-XXXX-X", district, title);
    size_t per_card = sample.len;
    bool sample_over = sample.over;
    sbuf_free(&sample);
    if (sample_over) {
        rc = err_set(&e, ERR_INTERNAL, "a card is larger than computed");
        goto cleanup;
    }
    if ((rc = sbuf_init(&html, sizeof HTML_HEAD + n * per_card + (n / 8 + 1) * 64 + 64, &e)))
        goto cleanup;
    puts_(&html, HTML_HEAD);
    for (size_t i = 0; i < n; i++) {
        if (i % 8 == 0)
            puts_(&html, i ? "</div>\n<div class=\"page\">\n" : "<div class=\"page\">\n");
        html_card(&html, codes[i], district, title);
    }
    puts_(&html, "</div>\n</body>\n</html>\n");
    if (csv.over || html.over) {
        rc = err_set(&e, ERR_INTERNAL, "card files larger than computed");
        goto cleanup;
    }
    /* tokens.tsv, sorted by hash: its order says nothing about the order of the cards */
    size_t line_max = 2 * TOKEN_HASH_LEN + idlen + 3;
    size_t tsv_cap = 512 + n * line_max, tsv_len = 0;
    tsv = malloc(tsv_cap);
    if (!tsv) {
        rc = err_set(&e, ERR_NOMEM, "out of memory for tokens.tsv");
        goto cleanup;
    }
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    tsv_len = (size_t)snprintf(tsv, tsv_cap, "%s\n# %zu codes, district %s, made %s\n",
                               TOKEN_TSV_HEADER, n, district ? district : "* (citywide)", when);
    for (size_t i = 0; i < n; i++) {
        size_t w = token_tsv_line(tsv + tsv_len, tsv_cap - tsv_len, rows[i].hash, district);
        if (w == 0) {
            rc = err_set(&e, ERR_INTERNAL, "tokens.tsv larger than computed");
            goto cleanup;
        }
        tsv_len += w;
    }

    /* tokens.tsv last: a directory with it is complete */
    if ((rc = util_write_durable(csv_path, csv.p, csv.len, 0600, &e)) ||
        (rc = util_write_durable(html_path, html.p, html.len, 0600, &e)) ||
        (rc = util_write_durable(tsv_path, tsv, tsv_len, 0644, &e)))
        goto cleanup;
    printf("%zu voter-card codes for %s%s\n", n, district ? "district " : "the whole city",
           district ? district : "");
    printf("  %s   SECRET: print the cards from it, then destroy it\n", csv_path);
    printf("  %s  SECRET: the same as printable cards (8 per A4 page)\n", html_path);
    printf("  %s  for the package: isoloir-package build --tokens %s\n", tsv_path, tsv_path);

cleanup:
    sbuf_free(&csv);
    sbuf_free(&html);
    if (codes)
        sodium_free(codes);
    free(rows);
    free(tsv);
    return rc ? cli_fail(PROGRAM, &e) : 0;
}

static int cmd_hash(void)
{
    char *line = sodium_malloc(256);
    if (!line) {
        fputs(PROGRAM ": out of memory\n", stderr);
        return 1;
    }
    int bad = 0;
    while (fgets(line, 256, stdin)) {
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        char data[TOKEN_DATA_CHARS + 1];
        enum token_status s = token_parse(line, data);
        if (s == TOKEN_VALID) {
            uint8_t h[TOKEN_HASH_LEN];
            char hex[2 * TOKEN_HASH_LEN + 1];
            token_hash(h, data);
            hex_encode(hex, h, TOKEN_HASH_LEN);
            printf("%s\n", hex);
        } else {
            printf("%s\n", s == TOKEN_INCOMPLETE ? "incomplete" : "mistyped");
            bad++;
        }
        sodium_memzero(data, sizeof data);
        sodium_memzero(line, 256);
    }
    sodium_free(line);
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct err e = {0};
    if (crypto_setup(&e))
        return cli_fail(PROGRAM, &e);
    if (argc >= 2 && strcmp(argv[1], "generate") == 0)
        return cmd_generate(argc - 2, argv + 2);
    if (argc == 2 && strcmp(argv[1], "hash") == 0)
        return cmd_hash();
    return usage();
}
