/* conf — see conf.h. */
#include "conf.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "util.h"

static char *trim(char *s, char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *end = '\0';
    return s;
}

static bool is_word(const char *s, bool dots)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || (dots && *s == '.')))
            return false;
    return true;
}

static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 32;
    void *p = realloc(*arr, nc * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

int conf_parse(const uint8_t *data, size_t len, const char *name, struct conf *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    const char *start = (const char *)data;
    if (len >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0)
        start += 3, len -= 3;
    if (!utf8_valid(start, len))
        return err_set(e, ERR_FORMAT, "%s: the file is not valid UTF-8; save it as UTF-8 text",
                       name);
    char *text = util_strndup(start, len);
    if (!text)
        return err_set(e, ERR_NOMEM, "%s: out of memory", name);
    size_t scap = 0, ecap = 0;
    int rc = 0;
    unsigned lineno = 0;
    char *p = text, *end = text + len;
    while (p < end && !rc) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        lineno++;
        if (eol - p > CONF_MAX_LINE) {
            rc = err_set(e, ERR_FORMAT, "%s:%u: the line is too long", name, lineno);
            break;
        }
        /* cut the comment: '#' at the start or after a blank */
        for (char *q = p; q < eol; q++)
            if (*q == '#' && (q == p || q[-1] == ' ' || q[-1] == '\t')) {
                eol = q;
                break;
            }
        char *line = trim(p, eol);
        p = nl ? nl + 1 : end;
        if (!*line)
            continue;
        if (*line == '[') {
            char *close = strchr(line, ']');
            if (!close || close[1] != '\0') {
                rc = err_set(e, ERR_FORMAT, "%s:%u: a section header must look like [ballot city]",
                             name, lineno);
                break;
            }
            char *inner = trim(line + 1, close);
            char *space = strpbrk(inner, " \t");
            char *id = NULL;
            if (space) {
                id = trim(space + 1, inner + strlen(inner));
                *space = '\0';
            }
            if (!is_word(inner, false) || (id && !is_word(id, false))) {
                rc = err_set(e, ERR_FORMAT,
                             "%s:%u: a section header must look like [ballot city] (letters, "
                             "digits, - and _)",
                             name, lineno);
                break;
            }
            if (grow((void **)&out->sections, &scap, out->nsections, sizeof *out->sections)) {
                rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
                break;
            }
            struct conf_section *s = &out->sections[out->nsections++];
            memset(s, 0, sizeof *s);
            s->kind = util_strdup(inner);
            s->id = id ? util_strdup(id) : NULL;
            s->line = lineno;
            s->first = out->nentries;
            if (!s->kind || (id && !s->id))
                rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq) {
            rc = err_set(e, ERR_FORMAT, "%s:%u: expected \"key = value\" or a [section]", name,
                         lineno);
            break;
        }
        char *key = trim(line, eq), *value = trim(eq + 1, eq + 1 + strlen(eq + 1));
        if (!is_word(key, true)) {
            rc = err_set(e, ERR_FORMAT, "%s:%u: \"%s\" is not a valid key name", name, lineno, key);
            break;
        }
        if (out->nsections == 0) {
            rc = err_set(e, ERR_FORMAT,
                         "%s:%u: \"%s\" comes before any [section]; start with "
                         "[election]",
                         name, lineno, key);
            break;
        }
        if (out->nentries == CONF_MAX_ENTRIES ||
            grow((void **)&out->entries, &ecap, out->nentries, sizeof *out->entries)) {
            rc = err_set(e, ERR_NOMEM, "%s: too many entries", name);
            break;
        }
        struct conf_entry *en = &out->entries[out->nentries++];
        en->key = util_strdup(key);
        en->value = util_strdup(value);
        en->line = lineno;
        en->section = out->nsections - 1;
        out->sections[out->nsections - 1].count++;
        if (!en->key || !en->value)
            rc = err_set(e, ERR_NOMEM, "%s: out of memory", name);
    }
    free(text);
    if (rc)
        conf_free(out);
    return rc;
}

void conf_free(struct conf *c)
{
    for (size_t i = 0; i < c->nsections; i++) {
        free(c->sections[i].kind);
        free(c->sections[i].id);
    }
    for (size_t i = 0; i < c->nentries; i++) {
        free(c->entries[i].key);
        if (c->entries[i].value) /* values include the officials' PINs */
            sodium_memzero(c->entries[i].value, strlen(c->entries[i].value));
        free(c->entries[i].value);
    }
    free(c->sections);
    free(c->entries);
    memset(c, 0, sizeof *c);
}
