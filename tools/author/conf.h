/*
 * conf — reads election.conf: `[section]` or `[section id]` headers, `key = value` lines,
 * `#` comments (at the start of a line or after a space), blank lines. Keys are ASCII words
 * with dots (`name.fr`); values are trimmed UTF-8. Each entry remembers its line. The reader
 * only splits; what keys mean and which are required is the loader's business.
 */
#ifndef ISOLOIR_CONF_H
#define ISOLOIR_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct conf_section {
    char *kind; /* "election", "district", ... */
    char *id;   /* "nord", or NULL for [election] */
    unsigned line;
    size_t first, count; /* entries [first, first+count) */
};

struct conf_entry {
    char *key, *value;
    unsigned line;
    size_t section; /* index in sections */
};

struct conf {
    struct conf_section *sections;
    size_t nsections;
    struct conf_entry *entries;
    size_t nentries;
};

#define CONF_MAX_LINE    8192
#define CONF_MAX_ENTRIES 20000

/* Parses data[0..len); `name` is used in messages. On failure nothing stays allocated. */
int conf_parse(const uint8_t *data, size_t len, const char *name, struct conf *out, struct err *e);
/* Frees everything; values are wiped first (election.conf holds the officials' PINs). */
void conf_free(struct conf *c);

#endif
