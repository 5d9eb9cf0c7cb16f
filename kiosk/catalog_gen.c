/* catalog_gen — turns the translations (po/fr.po, po/nl.po, po/en.po) into the table the kiosk
 * compiles in (catalog_table.c, linked with catalog.c), and checks them.
 *
 * Each message is one gettext entry whose msgctxt is its id in kiosk/catalog.h (M_...) and whose
 * msgid is the English source text; a message with a count has msgid_plural and one msgstr[n] per
 * plural form. The kiosk never reads locale files: the table is built in, and every language is
 * there at every moment.
 *
 *   catalog_gen --header catalog.h --out catalog_table.c fr.po nl.po en.po
 *       writes the table. A message missing, empty or fuzzy in one language falls back to English
 *       (with a warning); a translation whose printf conversions differ from the English ones
 *       stops the build, since printf would read the wrong arguments.
 *   catalog_gen --check --header catalog.h --sources DIR fr.po nl.po en.po
 *       fails on any problem a translator or a developer must fix: a message missing, empty or
 *       fuzzy in one language; an id in a .po file that catalog.h does not have, or that no file
 *       in DIR uses; conversions that differ between languages; a plural message without every
 *       form; a missing `#, c-format`; a translation made from an older English text; a
 *       Plural-Forms rule the kiosk does not implement; a message with plural forms that the
 *       code fetches with msg() rather than msg_n().
 *
 * The files are given in the order of enum lang (fr, nl, en); the last one is the English
 * source. Never used on the kiosk: it runs at build time and in the tests. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum { MAX_LANGS = 8, MAX_FORMS = 2, MAX_IDS = 1024, MISUSE_MAX = 4200 };

struct entry {
    char *ctxt, *id, *id_plural;
    char *str[MAX_FORMS]; /* msgstr, or msgstr[0], msgstr[1] */
    int nstr;             /* how many msgstr lines the entry had (absent forms stay NULL) */
    bool fuzzy, c_format, plural;
    int line;
};

struct po {
    const char *path;
    char lang[16];
    int rule; /* 0: plural for n != 1; 1: plural for n > 1; -1: unknown */
    struct entry *e;
    size_t n, cap;
};

struct ids {
    char *name[MAX_IDS];
    size_t n;
};

static int problems;

__attribute__((format(printf, 1, 2))) static void problem(const char *fmt, ...);

static void problem(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("catalog: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    problems++;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d) {
        fputs("catalog: out of memory\n", stderr);
        exit(2);
    }
    memcpy(d, s, n);
    return d;
}

/* Appends the unescaped content of a quoted po string (starting at the opening quote) to *acc. */
static int append_quoted(const char *p, char **acc, const char *path, int line)
{
    if (*p != '"') {
        problem("%s:%d: a quoted string was expected", path, line);
        return -1;
    }
    p++;
    size_t old = *acc ? strlen(*acc) : 0, cap = old + strlen(p) + 1;
    char *out = realloc(*acc, cap);
    if (!out) {
        fputs("catalog: out of memory\n", stderr);
        exit(2);
    }
    *acc = out;
    size_t k = old;
    for (; *p && *p != '"'; p++) {
        if (*p != '\\') {
            out[k++] = *p;
            continue;
        }
        p++;
        switch (*p) {
        case 'n':
            out[k++] = '\n';
            break;
        case 't':
            out[k++] = '\t';
            break;
        case '"':
        case '\\':
            out[k++] = *p;
            break;
        default:
            problem("%s:%d: the escape \\%c is not one a .po file may hold here", path, line,
                    *p ? *p : '0');
            out[k] = '\0';
            return -1;
        }
    }
    out[k] = '\0';
    if (*p != '"') {
        problem("%s:%d: the string is not closed", path, line);
        return -1;
    }
    for (p++; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
        ;
    if (*p) {
        problem("%s:%d: text after the closing quote", path, line);
        return -1;
    }
    return 0;
}

static struct entry *new_entry(struct po *po, int line)
{
    if (po->n == po->cap) {
        po->cap = po->cap ? 2 * po->cap : 256;
        struct entry *e = realloc(po->e, po->cap * sizeof *e);
        if (!e) {
            fputs("catalog: out of memory\n", stderr);
            exit(2);
        }
        po->e = e;
    }
    struct entry *e = &po->e[po->n++];
    memset(e, 0, sizeof *e);
    e->line = line;
    return e;
}

/* Reads a .po file: entries, flags (fuzzy, c-format); obsolete entries (#~) are skipped. */
static int po_read(struct po *po, const char *path)
{
    po->path = path;
    FILE *f = fopen(path, "r");
    if (!f) {
        problem("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    int no = 0, rc = 0;
    struct entry *cur = NULL;
    char **target = NULL; /* the string continuation lines append to */
    bool fuzzy = false, cfmt = false, after_str = true;
    while (getline(&line, &cap, f) >= 0) {
        no++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\n' || *p == '\r' || *p == '\0') {
            target = NULL;
            continue;
        }
        if (*p == '#') {
            if (p[1] == ',') {
                fuzzy |= strstr(p, "fuzzy") != NULL;
                cfmt |= strstr(p, "c-format") != NULL && strstr(p, "no-c-format") == NULL;
            }
            target = NULL;
            after_str = true;
            continue;
        }
        if (*p == '"') {
            if (!target) {
                problem("%s:%d: a string continues nothing", path, no);
                rc = -1;
                break;
            }
            if (append_quoted(p, target, path, no)) {
                rc = -1;
                break;
            }
            continue;
        }
        char kw[32];
        size_t k = 0;
        while (p[k] && p[k] != ' ' && k + 1 < sizeof kw) {
            kw[k] = p[k];
            k++;
        }
        kw[k] = '\0';
        const char *q = p + k;
        while (*q == ' ')
            q++;
        bool starts = strcmp(kw, "msgctxt") == 0 || strcmp(kw, "msgid") == 0;
        if (starts && (after_str || !cur)) {
            cur = new_entry(po, no);
            cur->fuzzy = fuzzy, cur->c_format = cfmt;
            fuzzy = cfmt = after_str = false;
        }
        if (!cur) {
            problem("%s:%d: \"%s\" before any msgid", path, no, kw);
            rc = -1;
            break;
        }
        if (strcmp(kw, "msgctxt") == 0 && !cur->ctxt && !cur->id)
            target = &cur->ctxt;
        else if (strcmp(kw, "msgid") == 0 && !cur->id)
            target = &cur->id;
        else if (strcmp(kw, "msgid_plural") == 0 && cur->id && !cur->id_plural) {
            target = &cur->id_plural;
            cur->plural = true;
        } else if (strcmp(kw, "msgstr") == 0 && cur->nstr == 0 && !cur->plural) {
            target = &cur->str[0];
            cur->nstr = 1;
            after_str = true;
        } else if (strncmp(kw, "msgstr[", 7) == 0 && cur->plural && isdigit((unsigned char)kw[7]) &&
                   kw[8] == ']' && kw[9] == '\0') {
            int form = kw[7] - '0';
            if (form >= MAX_FORMS || cur->str[form]) {
                problem("%s:%d: msgstr[%d]: the kiosk's languages have at most %d plural forms",
                        path, no, form, MAX_FORMS);
                rc = -1;
                break;
            }
            target = &cur->str[form];
            cur->nstr++;
            after_str = true;
        } else {
            problem("%s:%d: \"%s\" is not expected here", path, no, kw);
            rc = -1;
            break;
        }
        *target = xstrdup("");
        if (append_quoted(q, target, path, no)) {
            rc = -1;
            break;
        }
    }
    free(line);
    fclose(f);
    for (size_t i = 0; !rc && i < po->n; i++)
        if (!po->e[i].id) {
            problem("%s:%d: an entry without msgid", path, po->e[i].line);
            rc = -1;
        }
    return rc;
}

static const char *header_field(const struct po *po, const char *name)
{
    for (size_t i = 0; i < po->n; i++)
        if (!po->e[i].ctxt && po->e[i].id[0] == '\0' && po->e[i].str[0]) {
            const char *h = po->e[i].str[0];
            size_t n = strlen(name);
            for (const char *l = h; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                if (strncmp(l, name, n) == 0 && l[n] == ':') {
                    l += n + 1;
                    while (*l == ' ')
                        l++;
                    return l;
                }
        }
    return NULL;
}

/* The header: Language and a Plural-Forms rule that catalog.c implements. */
static int po_header(struct po *po, const char *want_lang)
{
    const char *l = header_field(po, "Language");
    size_t n = l ? strcspn(l, "\n") : 0;
    if (!l || n == 0 || n >= sizeof po->lang) {
        problem("%s: the header has no Language field", po->path);
        return -1;
    }
    memcpy(po->lang, l, n);
    po->lang[n] = '\0';
    if (want_lang && strcmp(po->lang, want_lang) != 0)
        problem("%s: Language is \"%s\", expected \"%s\" here (files go in the order fr, nl, en)",
                po->path, po->lang, want_lang);
    const char *pf = header_field(po, "Plural-Forms");
    char norm[128];
    size_t k = 0;
    for (; pf && *pf && *pf != '\n' && k + 1 < sizeof norm; pf++)
        if (*pf != ' ')
            norm[k++] = *pf;
    norm[k] = '\0';
    po->rule = -1;
    if (strcmp(norm, "nplurals=2;plural=(n!=1);") == 0 ||
        strcmp(norm, "nplurals=2;plural=n!=1;") == 0)
        po->rule = 0;
    else if (strcmp(norm, "nplurals=2;plural=(n>1);") == 0 ||
             strcmp(norm, "nplurals=2;plural=n>1;") == 0)
        po->rule = 1;
    if (po->rule < 0) {
        problem("%s: Plural-Forms \"%s\" is not a rule the kiosk implements (nplurals=2; "
                "plural=(n != 1); or plural=(n > 1);): add the rule to catalog.c and catalog_gen.c",
                po->path, norm);
        return -1;
    }
    return 0;
}

/* The ids of enum msg in catalog.h, in order. */
static int read_ids(const char *path, struct ids *ids)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        problem("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    bool in = false;
    while (getline(&line, &cap, f) >= 0) {
        if (!in) {
            in = strncmp(line, "enum msg {", 10) == 0;
            continue;
        }
        char *p = line;
        while (*p == ' ')
            p++;
        if (strncmp(p, "M_", 2) != 0)
            continue;
        size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
        p[n] = '\0';
        if (strcmp(p, "M_MSG_COUNT") == 0)
            break;
        if (ids->n == MAX_IDS) {
            problem("%s: more than %d messages", path, MAX_IDS);
            break;
        }
        ids->name[ids->n++] = xstrdup(p);
    }
    free(line);
    fclose(f);
    if (!in || ids->n == 0)
        problem("%s: no enum msg found", path);
    return ids->n ? 0 : -1;
}

static const struct entry *find(const struct po *po, const char *ctxt)
{
    for (size_t i = 0; i < po->n; i++)
        if (po->e[i].ctxt && strcmp(po->e[i].ctxt, ctxt) == 0)
            return &po->e[i];
    return NULL;
}

/* The printf conversions of s, as "llu,s,u" (flags and widths dropped, %% skipped). */
static void conversions(const char *s, char *out, size_t size)
{
    size_t k = 0;
    out[0] = '\0';
    for (const char *p = s; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        while (*p && strchr("-+ #0123456789.*", *p))
            p++;
        const char *start = p;
        while (*p && strchr("hljztL", *p))
            p++;
        if (!*p)
            break;
        int n = snprintf(out + k, size - k, "%s%.*s", k ? "," : "", (int)(p - start + 1), start);
        if (n < 0 || (size_t)n >= size - k)
            break;
        k += (size_t)n;
    }
}

/* Whether a usable translation exists (present, not fuzzy, every form non-empty). */
static bool usable(const struct entry *e)
{
    if (!e || e->fuzzy)
        return false;
    for (int f = 0; f < (e->plural ? MAX_FORMS : 1); f++)
        if (!e->str[f] || !e->str[f][0])
            return false;
    return true;
}

/* Checks one language's entry against the English one. strict: every problem counts (--check);
 * otherwise only what would make the table unsafe. Returns whether the entry can be used. */
static bool check_entry(const struct po *po, const struct entry *e, const struct entry *en,
                        const char *id, bool strict)
{
    if (!e) {
        if (strict)
            problem("%s: %s is missing (add it: msgctxt \"%s\")", po->path, id, id);
        return false;
    }
    bool ok = true;
    if (e->fuzzy) {
        if (strict)
            problem("%s:%d: %s is marked fuzzy: check the translation and remove the flag",
                    po->path, e->line, id);
        ok = false;
    }
    if (en && e->plural != en->plural) {
        problem("%s:%d: %s %s, and the English %s", po->path, e->line, id,
                e->plural ? "has plural forms" : "has no plural form",
                en->plural ? "has them" : "has none");
        ok = false;
    }
    for (int f = 0; f < (e->plural ? MAX_FORMS : 1); f++) {
        if (!e->str[f]) {
            if (strict)
                problem("%s:%d: %s has no msgstr[%d]: a count message needs every plural form",
                        po->path, e->line, id, f);
            ok = false;
        } else if (!e->str[f][0]) {
            if (strict)
                problem("%s:%d: %s: the translation%s is empty", po->path, e->line, id,
                        e->plural ? (f ? " msgstr[1]" : " msgstr[0]") : "");
            ok = false;
        }
    }
    if (strict && en &&
        (strcmp(e->id, en->id) != 0 ||
         (e->id_plural && en->id_plural && strcmp(e->id_plural, en->id_plural))))
        problem("%s:%d: %s was translated from an older English text (msgid differs from "
                "en.po): update it (msgmerge) and review the translation",
                po->path, e->line, id);
    /* conversions: every form, the msgid and the English text must agree */
    char want[256], got[256];
    conversions(en ? en->id : e->id, want, sizeof want);
    const char *texts[2 + MAX_FORMS] = {e->id, e->id_plural, e->str[0], e->str[1]};
    for (int t = 0; t < 2 + MAX_FORMS; t++) {
        if (!texts[t] || (t >= 2 && !texts[t][0]))
            continue;
        conversions(texts[t], got, sizeof got);
        if (strcmp(got, want) != 0) {
            problem("%s:%d: %s has the conversions \"%s\" where English has \"%s\"%s", po->path,
                    e->line, id, got, want,
                    strict ? "" : ": printf would read the wrong arguments");
            ok = false;
        }
    }
    if (strict && want[0] && !e->c_format)
        problem("%s:%d: %s has printf conversions but no \"#, c-format\" flag (msgfmt --check "
                "checks only flagged messages)",
                po->path, e->line, id);
    return ok;
}

/* Whether text[0..at) ends with the call "msg(" (spaces allowed before the argument). */
static bool after_msg_call(const char *text, size_t at)
{
    while (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t' || text[at - 1] == '\n'))
        at--;
    if (at < 4 || memcmp(text + at - 4, "msg(", 4) != 0)
        return false;
    return at == 4 || !(isalnum((unsigned char)text[at - 5]) || text[at - 5] == '_');
}

/* Whether the word `id` appears in a .c or .h file of dir other than the catalogue's own files.
 * If *misuse is not NULL, also looks for "msg(id" (a plural message fetched without its count)
 * and writes the first place into misuse (MISUSE_MAX bytes), else leaves it empty. */
static bool used_in(const char *dir, const char *id, char *misuse)
{
    if (misuse)
        misuse[0] = '\0';
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool found = false;
    struct dirent *de;
    size_t idn = strlen(id);
    while ((de = readdir(d)) && (!found || (misuse && !misuse[0]))) {
        const char *n = de->d_name;
        size_t len = strlen(n);
        if (len < 3 || (strcmp(n + len - 2, ".c") && strcmp(n + len - 2, ".h")) ||
            strncmp(n, "catalog", 7) == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, n);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        /* the whole file, so that a call split over two lines is seen */
        char *text = NULL;
        size_t cap = 0, tl = 0;
        char chunk[4096];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (tl + got + 1 > cap) {
                cap = 2 * (tl + got + 1);
                char *t = realloc(text, cap);
                if (!t) {
                    fputs("catalog: out of memory\n", stderr);
                    exit(2);
                }
                text = t;
            }
            memcpy(text + tl, chunk, got);
            tl += got;
        }
        fclose(f);
        if (!text)
            continue;
        text[tl] = '\0';
        for (char *p = strstr(text, id); p; p = strstr(p + 1, id)) {
            char before = p == text ? ' ' : p[-1], after = p[idn];
            if (isalnum((unsigned char)before) || before == '_' || isalnum((unsigned char)after) ||
                after == '_')
                continue;
            found = true;
            if (misuse && !misuse[0] && after_msg_call(text, (size_t)(p - text))) {
                int line = 1;
                for (const char *q = text; q < p; q++)
                    line += *q == '\n';
                snprintf(misuse, MISUSE_MAX, "%s:%d", path, line);
            }
        }
        free(text);
    }
    closedir(d);
    return found;
}

static void emit_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("NULL", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\' || *p == '?')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7F)
            fprintf(f, "\\%03o", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static int write_table(const char *out, const struct ids *ids, struct po *po, size_t npo)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        problem("cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    fputs("/* Generated by catalog_gen from the po files: edit those, not this file. */\n", f);
    fputs("#include \"catalog.h\"\n\n", f);
    fprintf(f, "_Static_assert(LANG_COUNT == %zu, \"one .po file per language of enum lang\");\n",
            npo);
    fputs("const char *const catalog_lang_codes[LANG_COUNT] = {", f);
    for (size_t l = 0; l < npo; l++)
        fprintf(f, "%s\"%s\"", l ? ", " : "", po[l].lang);
    fputs("};\n/* 0: plural for every n but 1; 1: plural from 2 on */\n", f);
    fputs("const unsigned char catalog_plural_rule[LANG_COUNT] = {", f);
    for (size_t l = 0; l < npo; l++)
        fprintf(f, "%s%d", l ? ", " : "", po[l].rule);
    fputs("};\n/* [message][language]: the text, and the plural form or NULL */\n", f);
    fputs("const char *const catalog_table[M_MSG_COUNT][LANG_COUNT][2] = {\n", f);
    const struct po *en = &po[npo - 1];
    for (size_t i = 0; i < ids->n; i++) {
        const struct entry *ee = find(en, ids->name[i]);
        fprintf(f, "    [%s] = {", ids->name[i]);
        for (size_t l = 0; l < npo; l++) {
            const struct entry *e = find(&po[l], ids->name[i]);
            if (!check_entry(&po[l], e, l + 1 < npo ? ee : NULL, ids->name[i], false) ||
                !usable(e)) {
                fprintf(stderr,
                        "catalog: warning: %s: %s has no usable translation; the kiosk "
                        "shows the English text\n",
                        po[l].path, ids->name[i]);
                e = usable(ee) ? ee : NULL;
            }
            fputs(l ? ", {" : "{", f);
            emit_string(f, e ? e->str[0] : NULL);
            fputs(", ", f);
            emit_string(f, e && e->plural ? e->str[1] : NULL);
            fputc('}', f);
        }
        fputs("},\n", f);
    }
    fputs("};\n", f);
    if (fclose(f) != 0 || problems) {
        remove(tmp);
        if (!problems)
            problem("cannot write %s", tmp);
        return -1;
    }
    if (rename(tmp, out) != 0) {
        problem("cannot rename %s to %s: %s", tmp, out, strerror(errno));
        return -1;
    }
    return 0;
}

static int check_all(const struct ids *ids, const struct po *po, size_t npo, const char *sources);

static void po_free(struct po *po)
{
    for (size_t i = 0; i < po->n; i++) {
        struct entry *e = &po->e[i];
        free(e->ctxt), free(e->id), free(e->id_plural);
        for (int f = 0; f < MAX_FORMS; f++)
            free(e->str[f]);
    }
    free(po->e);
}

static int usage(void)
{
    fputs("usage: catalog_gen --header catalog.h --out table.h fr.po nl.po en.po\n"
          "       catalog_gen --check --header catalog.h --sources DIR fr.po nl.po en.po\n",
          stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *header = NULL, *out = NULL, *sources = NULL;
    bool check = false;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--check") == 0)
            check = true;
        else if (strcmp(argv[i], "--header") == 0 && i + 1 < argc)
            header = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--sources") == 0 && i + 1 < argc)
            sources = argv[++i];
        else
            return usage();
    }
    size_t npo = (size_t)(argc - i);
    if (!header || npo < 1 || npo > MAX_LANGS || (check ? !sources : !out))
        return usage();
    static const char *const WANT[] = {"fr", "nl", "en"};
    struct ids ids = {0};
    struct po po[MAX_LANGS] = {0};
    int rc = read_ids(header, &ids) ? 1 : 0;
    for (size_t l = 0; !rc && l < npo; l++)
        if (po_read(&po[l], argv[i + (int)l]) || po_header(&po[l], npo == 3 ? WANT[l] : NULL))
            rc = 1;
    if (!rc)
        rc = check ? check_all(&ids, po, npo, sources) : write_table(out, &ids, po, npo) ? 1 : 0;
    for (size_t l = 0; l < npo; l++)
        po_free(&po[l]);
    for (size_t k = 0; k < ids.n; k++)
        free(ids.name[k]);
    return rc;
}

/* --check: every problem of every message, then a summary. */
static int check_all(const struct ids *ids, const struct po *po, size_t npo, const char *sources)
{
    const struct po *en = &po[npo - 1];
    for (size_t k = 0; k < ids->n; k++) {
        const struct entry *ee = find(en, ids->name[k]);
        for (size_t l = 0; l < npo; l++)
            check_entry(&po[l], find(&po[l], ids->name[k]), l + 1 < npo ? ee : NULL, ids->name[k],
                        true);
        char misuse[MISUSE_MAX];
        if (!used_in(sources, ids->name[k], ee && ee->plural ? misuse : NULL))
            problem("%s is in catalog.h and the .po files but no file in %s uses it: remove it "
                    "from both",
                    ids->name[k], sources);
        else if (ee && ee->plural && misuse[0])
            problem("%s: %s has plural forms but is fetched with msg(): use msg_n(%s, lang, "
                    "count), so the count picks the form",
                    misuse, ids->name[k], ids->name[k]);
    }
    for (size_t l = 0; l < npo; l++)
        for (size_t j = 0; j < po[l].n; j++) {
            const struct entry *e = &po[l].e[j];
            if (!e->ctxt && e->id[0] == '\0')
                continue;
            if (!e->ctxt) {
                problem("%s:%d: an entry without msgctxt: every message has its id (M_...) as "
                        "msgctxt",
                        po[l].path, e->line);
                continue;
            }
            bool known = false;
            for (size_t k = 0; k < ids->n && !known; k++)
                known = strcmp(ids->name[k], e->ctxt) == 0;
            if (!known)
                problem("%s:%d: %s is not a message of catalog.h, so the kiosk never shows it: "
                        "remove it",
                        po[l].path, e->line, e->ctxt);
            if (find(&po[l], e->ctxt) != e)
                problem("%s:%d: %s appears twice", po[l].path, e->line, e->ctxt);
        }
    if (problems) {
        fprintf(stderr, "catalog: %d problem%s\n", problems, problems == 1 ? "" : "s");
        return 1;
    }
    printf("catalog: %zu messages in %zu languages, all translated and used\n", ids->n, npo);
    return 0;
}
