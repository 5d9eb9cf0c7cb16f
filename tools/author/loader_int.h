/*
 * loader_int — what the parts of the loader share: the run's context (the election being
 * filled, the report), the problem list, and the helpers for ids and texts. Private to
 * tools/author/loader*.c: loader.c (report, cross checks, keys, PINs, pictures, loader_load),
 * loader_conf.c (election.conf) and loader_csv.c (projects.csv).
 */
#ifndef ISOLOIR_LOADER_INT_H
#define ISOLOIR_LOADER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "election.h"
#include "loader.h"
#include "officials.h"

#define CONF_NAME             "election.conf"
#define CSV_NAME              "projects.csv"
#define FILE_MAX              (16u * 1024 * 1024)
#define PICTURE_FILE_MAX      (2u * 1024 * 1024)
#define NAME_MAX_CHARS        120
#define TITLE_MAX_CHARS       120
#define SUMMARY_MAX_CHARS     320
#define DESCRIPTION_MAX_CHARS 4000
#define SUPERVISOR_PIN_MIN    8 /* digits: a supervisor's PIN lifts a lockout */

extern const char *const LANG_NAMES[LANG_COUNT];

struct ctx {
    const char *folder;
    const struct loader_options *opt;
    struct election *el;
    struct loader_report *rep;
    bool nomem;
    bool lang_on[LANG_COUNT];
    unsigned ballot_line[64]; /* election.conf line of each [ballot] section */
};

/* A [kiosk LABEL] section, applied once the kiosk keys are read. */
struct kiosk_conf {
    char label[64];
    unsigned line;
    enum eligibility eligibility; /* 0: the election's */
    int vote_point;               /* -1: none */
    int receipts;                 /* -1: the election's default; 0 no; 1 yes */
    unsigned receipts_line;
    bool used;
};

/* An official from an [official ID] section (or the shared official_pin / supervisor_pin). */
struct official_conf {
    char name[OFFICIAL_NAME_MAX + 1];
    enum official_role role;
    char pin[OFFICIAL_PIN_MAX + 1]; /* wiped once sealed */
    int vote_point;                 /* -1: every kiosk */
    unsigned line;
};

struct paths {
    char tally_key[1024], kiosk_keys[1024];
    char official_pin[OFFICIAL_PIN_MAX + 1], supervisor_pin[OFFICIAL_PIN_MAX + 1];
    unsigned pin_line;
    struct official_conf *officials; /* every official, the shared PINs included */
    size_t nofficials;
    bool receipts;          /* [election] receipts: the kiosks' default */
    unsigned election_line; /* the [election] header */
    struct kiosk_conf *kiosks;
    size_t nkiosks;
};

/* Adds a problem at file:line:col (line and col 0: not known) to the report. */
__attribute__((format(printf, 5, 6))) void
loader_problem(struct ctx *c, const char *file, unsigned line, unsigned col, const char *fmt, ...);
/* util_strdup that notes out-of-memory in the context. */
char *loader_dup(struct ctx *c, const char *s);
/* rel inside folder (or rel itself when absolute). */
void loader_path_in(char *out, size_t size, const char *folder, const char *rel);
bool loader_valid_id(const char *s, size_t max, bool allow_upper);
/* Checks and stores a text for one language. */
void loader_put_text(struct ctx *c, struct text *t, enum lang l, const char *value,
                     size_t max_chars, const char *file, unsigned line, unsigned col,
                     const char *what);
/* A problem for each language of the election that t lacks. */
void loader_require_texts(struct ctx *c, const struct text *t, const char *file, unsigned line,
                          const char *what, const char *key);

/* election.conf (loader_conf.c): reads it into c->el and pa; -1 when it cannot be read at all. */
int loader_read_conf(struct ctx *c, struct paths *pa);
/* Applies the [kiosk LABEL] sections to the kiosks read from the key folder. */
void loader_apply_kiosk_sections(struct ctx *c, struct paths *pa);
/* projects.csv (loader_csv.c): the projects, and each one's picture file and line. */
void loader_read_projects(struct ctx *c, char (*pictures)[1024], unsigned *picture_lines);

#endif
