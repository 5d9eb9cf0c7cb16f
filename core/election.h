/*
 * election — the in-memory model of one election: what the kiosk shows and enforces and what
 * the tally counts. It is built by the loader (from election.conf + projects.csv, in tools) or
 * decoded from a verified package (core/package), and is read-only after that.
 *
 * Ownership: an election owns every string, array and picture it points to; election_free
 * releases all of it. Indexes (district, category, ballot) are positions in the arrays here,
 * stable for the life of the value; ids are the authority's stable text identifiers.
 *
 * Money is always an int64 number of euro cents. Texts are UTF-8, one per language; a text is
 * NULL in a language the election does not use.
 */
#ifndef ISOLOIR_ELECTION_H
#define ISOLOIR_ELECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

enum lang { LANG_FR = 0, LANG_NL = 1, LANG_EN = 2, LANG_COUNT = 3 };

/* "fr", "nl", "en"; and back (-1 if unknown). */
const char *lang_code(enum lang l);
int lang_from_code(const char *code);

struct text {
    char *s[LANG_COUNT];
};

/* The text in `l`, else in the election's first language, else "". Never NULL. */
const char *text_get(const struct text *t, enum lang l);

enum rule_kind {
    RULE_APPROVAL = 1,   /* choose between min and max projects */
    RULE_KNAPSACK = 2,   /* choose projects whose total cost is at most the budget */
    RULE_CUMULATIVE = 3, /* spread `points`, at most `max_per_project` on one project */
    RULE_RANKING = 4,    /* rank between min and max projects, best first */
};

/* How the tally turns ballots into a winning set (the package states it; it is published). */
enum count_method {
    COUNT_GREEDY =
        1,         /* by score (approvals, points, or positional score), skip what no longer fits */
    COUNT_MES = 2, /* Method of Equal Shares, cost utilities, Add1 completion, then greedy */
};

enum tie_break {
    TIE_END = 0,         /* terminates the list */
    TIE_LOWEST_COST = 1, /* the cheaper project first */
    TIE_HIGHEST_COST = 2,
    TIE_MOST_VOTES = 3, /* more approvals (or voters who gave points/ranked it) first */
    TIE_ID = 4,         /* project id, byte-wise ascending (always last: ids are unique) */
};
#define TIE_MAX 4

/* "lowest-cost", "highest-cost", "most-votes", "id" (as election.conf and the tally write
 * them), or "?" for TIE_END and unknown values. */
const char *tie_break_name(enum tie_break t);
/* The criterion with that name, or TIE_END if there is none. */
enum tie_break tie_break_from_name(const char *name);

struct rule {
    enum rule_kind kind;
    uint32_t min;                /* approval/ranking: fewest projects (0 = blank allowed) */
    uint32_t max;                /* approval/ranking: most projects */
    uint32_t min_share_permille; /* knapsack: spend at least this share of the budget (0-1000) */
    uint32_t points;             /* cumulative: points to spread (at most) */
    uint32_t max_per_project;    /* cumulative: at most this many on one project */
};

struct district {
    char *id;
    struct text name;
};

struct category {
    char *id;
    struct text name;
};

struct vote_point {
    char *id;
    struct text name; /* e.g. "Maison communale de Schaerbeek" */
};

/* A picture as the kiosk shows it: 8-bit RGB, row-major, no padding. The package builder
 * decodes PNG/JPEG and scales to at most PICTURE_MAX_W x PICTURE_MAX_H, so the kiosk never
 * parses an image format. */
/* The largest project cost and ballot budget, in cents: 10 billion euro, far above any
 * participatory budget. With at most 1,000 projects, every sum of costs and every comparison
 * with a share of the budget (sum x 1000) fits in 64 bits. Checked by package_check_*. */
#define COST_MAX_CENTS 1000000000000LL

#define PICTURE_MAX_W 480
#define PICTURE_MAX_H 320
struct picture {
    uint16_t w, h; /* 0 x 0 when the project has none */
    uint8_t *rgb;  /* w * h * 3 bytes */
};

struct project {
    char *id;
    int district; /* index in election.districts, or -1 for a citywide project */
    int category; /* index in election.categories, or -1 */
    int64_t cost; /* cents, 1 to COST_MAX_CENTS */
    struct text title, summary, description;
    struct picture picture;
};

struct ballot_def {
    char *id;
    struct text name; /* "Budget régional", "Quartier Nord" */
    int district;     /* -1: citywide ballot, offered to every voter; else that district's */
    int64_t budget;   /* cents to allocate, 1 to COST_MAX_CENTS; also the knapsack limit */
    struct rule rule;
    enum count_method method;
    /* Projects on this ballot (indexes into election.projects), in display order:
     * the projects whose district equals this ballot's district. */
    size_t nprojects;
    uint32_t *projects;
};

enum eligibility {
    ELIG_ATTENDED = 1, /* an official enables each voter */
    ELIG_TOKEN = 2,    /* the voter types a one-time code from a voter card */
};

/* A voter card code, stored as BLAKE2b-256("isoloir/token" || code) truncated to 16 bytes,
 * so the package does not reveal valid codes. district: -1 = citywide only. */
#define TOKEN_HASH_LEN 16
struct token_entry {
    uint8_t hash[TOKEN_HASH_LEN];
    int32_t district;
};

/* A kiosk's sealed list of officials and their PIN verifiers (core/officials.h): only that
 * kiosk's secret key opens it. */
#define OFFICIALS_SEALED_LEN 3120

/* The address where results and the tracking-code list will be published (docs/package.md):
 * "" or http:// / https:// and printable ASCII, at most this many bytes. */
#define PUBLICATION_URL_MAX 200

struct election {
    char *id; /* stable slug, e.g. "bxl-2026" */
    struct text name;
    uint8_t nlangs;
    enum lang langs[LANG_COUNT];      /* in the order the welcome screen lists them */
    bool demo;                        /* a demo election: kiosks accept it only in demo mode */
    int64_t voting_start, voting_end; /* Unix seconds, UTC */
    char timezone[64];                /* for display, e.g. "Europe/Brussels" */
    enum eligibility eligibility;
    enum tie_break tie_break[TIE_MAX + 1];         /* ordered criteria, ending with TIE_END */
    char publication_url[PUBLICATION_URL_MAX + 1]; /* results and codes; "" = none given */

    size_t ndistricts, ncategories, nvote_points, nprojects, nballots;
    struct district *districts;
    struct category *categories;
    struct vote_point *vote_points;
    struct project *projects;
    struct ballot_def *ballots;

    uint8_t tally_pk[BOX_PK_LEN];      /* X25519: ballots are sealed to it */
    uint8_t authority_pk[SIGN_PK_LEN]; /* Ed25519: signed this package */
    size_t nkiosks;
    uint8_t (*kiosk_pks)[SIGN_PK_LEN]; /* Ed25519 kiosk keys the authority authorises */
    char (*kiosk_labels)[64];          /* e.g. "kiosk-03 Schaerbeek", for reports */
    uint8_t *kiosk_eligibility;        /* per kiosk: enum eligibility (the election's unless a
                                          [kiosk LABEL] section says otherwise) */
    int32_t *kiosk_vote_point;         /* per kiosk: index in vote_points, or -1 */
    uint8_t *kiosk_receipts;           /* per kiosk: 1 = prints voter receipts (NULL: none do) */
    uint8_t (*kiosk_officials)[OFFICIALS_SEALED_LEN]; /* per kiosk: its sealed officials' list
                                                         (NULL: none, no one can open the menu) */

    size_t ntokens;
    struct token_entry *tokens; /* sorted by hash, for binary search */
};

void election_init(struct election *el);
void election_free(struct election *el);

/* The one rule for an election id (docs/package.md): 1 to ELECTION_ID_LEN_MAX bytes of
 * a-z, 0-9 and '-'. The builder refuses to write, and the package reader refuses to read,
 * any other; the id names export bundle directories on any file system. */
#define ELECTION_ID_LEN_MAX 40
bool election_id_valid(const char *id);

/* Index of a district / category / ballot / project by id, or -1. */
int election_find_vote_point(const struct election *el, const char *id);
int election_find_district(const struct election *el, const char *id);
int election_find_category(const struct election *el, const char *id);
int election_find_ballot(const struct election *el, const char *id);
int election_find_project(const struct election *el, const char *id);
/* Index of an authorised kiosk key, or -1. */
int election_find_kiosk(const struct election *el, const uint8_t pk[SIGN_PK_LEN]);

/* How voters are enabled at kiosk `k` (an index from election_find_kiosk; -1 or an index out
 * of range gives the election's mode). */
enum eligibility election_kiosk_eligibility(const struct election *el, int k);

/* Fills every ballot's project list from the projects' districts (display order = order of
 * the projects in the election). Returns 0 or ERR_NOMEM. */
int election_link_ballots(struct election *el);

/* The ballots a voter of `district` (-1: no district) is offered: the citywide ballots plus
 * that district's. Writes up to `cap` indexes into out; returns how many there are. */
size_t election_ballots_for(const struct election *el, int district, uint32_t *out, size_t cap);

#endif
