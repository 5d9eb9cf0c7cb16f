/*
 * publish_int — what the parts of `tally publish` share (publish.c runs the steps,
 * publish_query.c reads the tally database, publish_html.c writes the pages,
 * publish_assets.c holds the style sheet and the lookup script). Not used outside publish*.c.
 */
#ifndef ISOLOIR_TALLY_PUBLISH_INT_H
#define ISOLOIR_TALLY_PUBLISH_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "count.h"
#include "election.h"
#include "err.h"
#include "tallydb.h"

/* Tracking codes are split into files by their first PUB_PREFIX characters. */
#define PUB_PREFIX 2

/* One ballot definition, counted again from its published pabulib file. */
struct pub_ballot {
    const struct ballot_def *bd;
    struct profile p; /* identical ballots held once with their number, sorted by content */
    struct outcome o;
    enum count_rule rule;
    bool counted;
    char pb[160]; /* file name of its pabulib file in data/ */
};

/* One kiosk as the tally database holds it (no time: only counts). */
struct pub_kiosk {
    char label[64];
    uint8_t pk[32];
    char state[24]; /* polls state of its last row: open, paused, closed */
    int64_t last_seq, ballots;
    int vote_point; /* index in el->vote_points, or -1 */
};

/* An override logged at import: published with its day only. */
struct pub_override {
    char day[16];
    char *who, *reason, *source, *problems;
};

/* A published data file, with its BLAKE2b-256 and size (the auditors' page, B2SUMS). */
struct pub_file {
    char name[192];
    uint8_t hash[32];
    uint64_t size;
};

#define PUB_MAX_FILES 64

struct pub {
    const struct election *el;
    uint8_t pkg_hash[32];
    char root[4096]; /* the folder being written (DIR.partial) */
    char day[16];    /* publication date, YYYY-MM-DD (SOURCE_DATE_EPOCH if set) */
    struct pub_ballot *b;
    struct pub_kiosk *k;
    size_t nk;
    struct pub_override *ov;
    size_t nov;
    uint64_t nsources, ncodes;
    struct pub_file files[PUB_MAX_FILES];
    size_t nfiles;
};

/* publish_query.c: what the pages need from the tally database beyond report.h. */
int pubq_kiosks(struct tallydb *t, const struct election *el, struct pub_kiosk **out, size_t *n,
                struct err *e);
int pubq_overrides(struct tallydb *t, struct pub_override **out, size_t *n, struct err *e);
int pubq_sources(struct tallydb *t, uint64_t *n, struct err *e);
void pubq_overrides_free(struct pub_override *ov, size_t n);

/* publish_html.c: every page, in every language. */
int pub_write_pages(const struct pub *pb, struct err *e);
/* publish_assets.c */
extern const char PUB_CSS[];
extern const char PUB_JS[];

/* publish.c: opens root/rel for writing (the folder exists). */
FILE *pub_open(const struct pub *pb, const char *rel, struct err *e);
/* Closes f; an error naming rel if anything failed. */
int pub_close(FILE *f, const char *rel, struct err *e);

/* Text helpers (publish_html.c). */
void pub_html(FILE *f, const char *s);

/* ---- the pages' shared pieces (publish_words.c, publish_html.c, publish_ballot.c) ---- */

enum pub_msg {
    M_SITE,
    M_RESULTS,
    M_TURNOUT,
    M_TRACK,
    M_DATA,
    M_AUDIT,
    M_SKIP,
    M_LANGNAV,
    M_MAINNAV,
    M_INTRO,
    M_BALLOTS_N,
    M_BUDGET,
    M_SPENT,
    M_FUNDED_N,
    M_DETAILS,
    M_TRACK_CALL,
    M_RULE,
    M_RULE_GREEDY,
    M_RULE_SCORE,
    M_RULE_MES,
    M_TIES,
    M_CHART_VOTES,
    M_CHART_DESC,
    M_BUDGET_USED,
    M_BUDGET_DESC,
    M_ALL_PROJECTS,
    M_PROJECT,
    M_COST,
    M_VOTES,
    M_SCORE,
    M_FUNDED,
    M_WHY,
    M_YES,
    M_NO,
    M_FUNDED_WORD,
    W_GREEDY,
    W_GREEDY_SCORE,
    W_MES,
    W_COMPL,
    W_NOVOTES,
    W_TOOBIG,
    W_MES_SHARE,
    W_MES_SPENT,
    W_OTHER,
    M_WHY_MES,
    M_WHY_MES_INTRO,
    M_POPULAR,
    M_POPULAR_ONE,
    M_POPULAR_NONE,
    M_SUPPORTERS,
    M_PAID_MAX,
    M_PAID_AVG,
    M_SHARE,
    M_TURNOUT_TITLE,
    M_TURNOUT_INTRO,
    M_VOTE_POINT,
    M_KIOSKS,
    M_VOTES_CAST,
    M_NO_POINT,
    M_PER_KIOSK,
    M_KIOSK,
    M_POLLS,
    M_PER_BALLOT,
    M_BALLOT,
    M_TRACK_TITLE,
    M_TRACK_INTRO,
    M_TRACK_FORGIVING,
    M_TRACK_LABEL,
    M_TRACK_BUTTON,
    M_TRACK_PRIVATE,
    M_TRACK_NOSCRIPT,
    R_FOUND,
    R_NOTFOUND,
    R_TYPO,
    R_FORMAT,
    R_ERROR,
    M_DATA_TITLE,
    M_DATA_INTRO,
    M_DATA_NOT,
    M_FILE,
    M_CONTENT,
    M_SIZE,
    D_PB,
    D_BALLOTS_CSV,
    D_BALLOTS_JSON,
    D_RESULTS,
    D_CODES,
    D_PKG,
    D_VERIF,
    D_SUMS,
    M_AUDIT_TITLE,
    M_AUDIT_INTRO,
    M_FPR,
    M_PKG_HASH,
    M_AUTH_KEY,
    M_TALLY_KEY,
    M_KIOSK_KEYS,
    M_FILES,
    M_COMMANDS,
    M_CMD_SUMS,
    M_CMD_RECOUNT,
    M_CMD_IMPORT,
    M_CMD_REPUBLISH,
    M_OVERRIDES,
    M_NO_OVERRIDES,
    M_FOOTER,
    M_CHOOSE,
    M_PROJECTS_OF,
    M_TOTAL,
    M_SHARE_ADD1,
    M_FPR1,
    TB_LOW,
    TB_HIGH,
    TB_VOTES,
    TB_ID,
    M_COLON,
    S_OPEN,
    S_PAUSED,
    S_CLOSED,
    M_COUNT
};
enum page { P_INDEX, P_BALLOT, P_TURNOUT, P_TRACK, P_DATA, P_AUDIT };
extern const char *const PUB_LANG_NAME[LANG_COUNT];
void pub_htmlf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *pub_num(char *buf, size_t size, int64_t v, enum lang l);
const char *pub_money(char *buf, size_t size, int64_t cents, enum lang l);
void pub_cut(char *out, size_t size, const char *s, size_t max);
const char *pub_state_text(const char *s, enum lang l);
void pub_page_begin(FILE *f, const struct pub *pb, enum lang l, enum page pg, const char *file,
                    const char *title);
void pub_page_end(FILE *f, const struct pub *pb, enum lang l);
const char *pub_ballot_title(const struct pub *pb, size_t d, enum lang l);
const char *pub_project_title(const struct pub *pb, const struct pub_ballot *b, size_t i,
                              enum lang l);
void pub_ties_text(char *out, size_t size, const struct election *el);
void pub_ties_words(char *out, size_t size, const struct election *el, enum lang l);
void pub_write_ballot(FILE *f, const struct pub *pb, size_t d, enum lang l);
const char *pub_t(enum pub_msg m, enum lang l);

/* A chart bar: a project or a vote point, its value, and whether it is marked (funded). */
struct bar {
    char label[160];
    int64_t value;
    bool mark; /* funded */
};
/* Horizontal bars with the value written after each (and "funded" when marked); the budget
 * used, as a bar. SVG inline, with a title and a description. */
void pub_svg_bars(FILE *f, enum lang l, const char *id, const char *title, const char *desc,
                  const struct bar *bars, size_t n);
void pub_svg_budget(FILE *f, enum lang l, const char *id, int64_t spent, int64_t budget);

/* Counts the ballot again from its published pabulib file (publish_recount.c); ERR_TAMPER
 * when the outcome differs from the file's. */
int pub_recount(struct pub *pb, struct pub_ballot *b, struct err *e);

#endif
