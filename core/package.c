/*
 * package — canonical encoding, signing and strict verification of election packages; see
 * package.h and docs/package.md (the byte-level specification this file implements).
 *
 * Invariant: package_open never hands out an election that was not verified. It checks, in
 * order, the magic, the label and format version (so a newer package gets a clear message),
 * that the authority key named inside is the trusted one (so a foreign package names both
 * fingerprints), the signature, and only then decodes — and the decoder still checks every
 * count, index and length, because a bug in the builder must not become a crash in a kiosk.
 */
#include "package.h"

#include <stdarg.h>
#include <stdio.h>

#include <sodium.h>
#include <stddef.h>

#include "util.h"

#define LABEL           "isoloir/package"
#define MAX_DISTRICTS   64
#define MAX_CATEGORIES  64
#define MAX_VOTE_POINTS 1024
#define MAX_PROJECTS    1000
#define MAX_BALLOTS     64
#define MAX_KIOSKS      10000
#define MAX_TOKENS      5000000
#define MAX_ID          64
#define MAX_TEXT        16384

/* A text in every language, fr nl en in that order; "" where absent. */
static void put_mtext(struct buf *b, const struct text *t)
{
    for (int l = 0; l < LANG_COUNT; l++)
        buf_str(b, t->s[l]);
}

static void put_index(struct buf *b, int idx)
{
    buf_u32(b, (uint32_t)(idx + 1)); /* 0 = none/citywide */
}

int package_encode(const struct election *el, struct buf *b, struct err *e)
{
    if (!election_id_valid(el->id))
        return err_set(e, ERR_INVALID,
                       "the election id \"%s\" must be 1 to %d lower-case letters, digits or -",
                       el->id ? el->id : "", ELECTION_ID_LEN_MAX);
    buf_str(b, LABEL);
    buf_u16(b, PACKAGE_FORMAT_VERSION);
    buf_raw(b, el->authority_pk, SIGN_PK_LEN);
    buf_str(b, el->id);
    buf_u8(b, el->nlangs);
    for (int i = 0; i < el->nlangs; i++)
        buf_u8(b, (uint8_t)el->langs[i]);
    put_mtext(b, &el->name);
    buf_u8(b, el->demo ? 1 : 0);
    buf_i64(b, el->voting_start);
    buf_i64(b, el->voting_end);
    buf_str(b, el->timezone);
    buf_u8(b, (uint8_t)el->eligibility);
    uint8_t ntie = 0;
    while (ntie < TIE_MAX && el->tie_break[ntie] != TIE_END)
        ntie++;
    buf_u8(b, ntie);
    for (int i = 0; i < ntie; i++)
        buf_u8(b, (uint8_t)el->tie_break[i]);
    const char *why = NULL;
    if (!package_publication_url_ok(el->publication_url, &why))
        return err_set(e, ERR_INVALID, "publication_url: %s", why);
    buf_str(b, el->publication_url);

    buf_u32(b, (uint32_t)el->ndistricts);
    for (size_t i = 0; i < el->ndistricts; i++) {
        buf_str(b, el->districts[i].id);
        put_mtext(b, &el->districts[i].name);
    }
    buf_u32(b, (uint32_t)el->ncategories);
    for (size_t i = 0; i < el->ncategories; i++) {
        buf_str(b, el->categories[i].id);
        put_mtext(b, &el->categories[i].name);
    }
    buf_u32(b, (uint32_t)el->nvote_points);
    for (size_t i = 0; i < el->nvote_points; i++) {
        buf_str(b, el->vote_points[i].id);
        put_mtext(b, &el->vote_points[i].name);
    }
    buf_u32(b, (uint32_t)el->nprojects);
    for (size_t i = 0; i < el->nprojects; i++) {
        const struct project *p = &el->projects[i];
        buf_str(b, p->id);
        put_index(b, p->district);
        put_index(b, p->category);
        buf_i64(b, p->cost);
        put_mtext(b, &p->title);
        put_mtext(b, &p->summary);
        put_mtext(b, &p->description);
        buf_u16(b, p->picture.w);
        buf_u16(b, p->picture.h);
        buf_blob(b, p->picture.rgb, (size_t)p->picture.w * p->picture.h * 3);
    }
    buf_u32(b, (uint32_t)el->nballots);
    for (size_t i = 0; i < el->nballots; i++) {
        const struct ballot_def *bd = &el->ballots[i];
        buf_str(b, bd->id);
        put_mtext(b, &bd->name);
        put_index(b, bd->district);
        buf_i64(b, bd->budget);
        buf_u8(b, (uint8_t)bd->rule.kind);
        buf_u32(b, bd->rule.min);
        buf_u32(b, bd->rule.max);
        buf_u32(b, bd->rule.min_share_permille);
        buf_u32(b, bd->rule.points);
        buf_u32(b, bd->rule.max_per_project);
        buf_u8(b, (uint8_t)bd->method);
    }
    buf_raw(b, el->tally_pk, BOX_PK_LEN);
    buf_u32(b, (uint32_t)el->nkiosks);
    for (size_t i = 0; i < el->nkiosks; i++) {
        buf_raw(b, el->kiosk_pks[i], SIGN_PK_LEN);
        buf_str(b, el->kiosk_labels ? el->kiosk_labels[i] : "");
        buf_u8(b, (uint8_t)election_kiosk_eligibility(el, (int)i));
        put_index(b, el->kiosk_vote_point ? el->kiosk_vote_point[i] : -1);
        buf_u8(b, package_kiosk_receipts(el, (int)i) ? 1 : 0);
        if (el->kiosk_officials) {
            buf_raw(b, el->kiosk_officials[i], OFFICIALS_SEALED_LEN);
        } else { /* no officials' list (benchmarks, some tests): no one opens the menu */
            static const uint8_t none[OFFICIALS_SEALED_LEN];
            buf_raw(b, none, sizeof none);
        }
    }
    buf_u32(b, (uint32_t)el->ntokens);
    for (size_t i = 0; i < el->ntokens; i++) {
        buf_raw(b, el->tokens[i].hash, TOKEN_HASH_LEN);
        put_index(b, el->tokens[i].district);
    }
    if (buf_ok(b))
        return err_set(e, ERR_NOMEM, "out of memory encoding the package");
    return 0;
}

/* ---- decoding ---------------------------------------------------------------------------- */

struct dec {
    struct rd r;
    struct election *el;
    struct err *e;
    int rc;
    bool langs[LANG_COUNT];
};

/* Records the first problem; later calls keep it. Returns the code. */
static int dec_fail(struct dec *d, const char *what)
{
    if (!d->rc)
        d->rc = err_set(d->e, ERR_FORMAT,
                        "the package is malformed (%s); it was not made by a correct builder: "
                        "rebuild it with isoloir-package",
                        what);
    return d->rc;
}

static char *get_id(struct dec *d, const char *what)
{
    char *s = rd_str(&d->r, MAX_ID);
    if (!s || !*s) {
        free(s);
        dec_fail(d, what);
        return NULL;
    }
    return s;
}

static void get_mtext(struct dec *d, struct text *t, bool required, const char *what)
{
    for (int l = 0; l < LANG_COUNT; l++) {
        char *s = rd_str(&d->r, MAX_TEXT);
        if (!s) {
            dec_fail(d, what);
            return;
        }
        if (!d->langs[l]) {
            if (*s)
                dec_fail(d, "a text in a language the election does not use");
            free(s);
            continue;
        }
        if (required && !*s)
            dec_fail(d, what);
        t->s[l] = s;
    }
}

/* An index stored as idx+1; -1 for 0 (none). Must be < n. */
static int get_index(struct dec *d, size_t n, bool allow_none, const char *what)
{
    uint32_t v = rd_u32(&d->r);
    if (v == 0 && allow_none)
        return -1;
    if (v == 0 || v > n) {
        dec_fail(d, what);
        return -1;
    }
    return (int)(v - 1);
}

static uint32_t get_count(struct dec *d, uint32_t max, const char *what)
{
    uint32_t n = rd_u32(&d->r);
    if (n > max || n > rd_left(&d->r)) {
        dec_fail(d, what);
        return 0;
    }
    return n;
}

static void *get_array(struct dec *d, size_t n, size_t size)
{
    if (n == 0 || d->rc)
        return NULL;
    void *p = calloc(n, size);
    if (!p)
        d->rc = err_set(d->e, ERR_NOMEM, "out of memory reading the package");
    return p;
}

static bool ids_unique(char *const *ids, size_t stride, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const char *a = *(char *const *)((const char *)ids + i * stride);
            const char *b = *(char *const *)((const char *)ids + j * stride);
            if (a && b && strcmp(a, b) == 0)
                return false;
        }
    return true;
}

/* districts, categories and vote points share the shape { char *id; struct text name; } */
_Static_assert(offsetof(struct district, name) == sizeof(char *), "district layout");
_Static_assert(offsetof(struct category, name) == sizeof(char *), "category layout");
_Static_assert(offsetof(struct vote_point, name) == sizeof(char *), "vote point layout");
_Static_assert(sizeof(struct district) == sizeof(struct category) &&
                   sizeof(struct district) == sizeof(struct vote_point),
               "named record layout");

static void decode_named(struct dec *d, size_t *count, void **arr, size_t size, uint32_t max,
                         const char *what)
{
    uint32_t n = get_count(d, max, what);
    char *base = get_array(d, n, size);
    *arr = base;
    *count = base ? n : 0;
    for (uint32_t i = 0; base && i < n && !d->rc; i++) {
        char **id = (char **)(base + i * size);
        struct text *name = (struct text *)(base + i * size + sizeof(char *));
        *id = get_id(d, what);
        get_mtext(d, name, true, what);
    }
    if (base && !d->rc && !ids_unique((char *const *)base, size, n))
        dec_fail(d, what);
}

static void decode_projects(struct dec *d)
{
    struct election *el = d->el;
    uint32_t n = get_count(d, MAX_PROJECTS, "project count");
    el->projects = get_array(d, n, sizeof *el->projects);
    if (!el->projects)
        return;
    el->nprojects = n;
    for (uint32_t i = 0; i < n && !d->rc; i++) {
        struct project *p = &el->projects[i];
        p->id = get_id(d, "project id");
        p->district = get_index(d, el->ndistricts, true, "project district");
        p->category = get_index(d, el->ncategories, true, "project category");
        p->cost = rd_i64(&d->r);
        if (!package_cost_ok(p->cost))
            dec_fail(d, "project cost");
        get_mtext(d, &p->title, true, "project title");
        get_mtext(d, &p->summary, true, "project summary");
        get_mtext(d, &p->description, true, "project description");
        uint16_t w = rd_u16(&d->r), h = rd_u16(&d->r);
        size_t len;
        const uint8_t *rgb = rd_blob(&d->r, (size_t)PICTURE_MAX_W * PICTURE_MAX_H * 3, &len);
        if (!rgb || w > PICTURE_MAX_W || h > PICTURE_MAX_H || (w == 0) != (h == 0) ||
            len != (size_t)w * h * 3) {
            dec_fail(d, "project picture");
            continue;
        }
        if (len) {
            p->picture.rgb = malloc(len);
            if (!p->picture.rgb) {
                d->rc = err_set(d->e, ERR_NOMEM, "out of memory reading the package");
                return;
            }
            memcpy(p->picture.rgb, rgb, len);
            p->picture.w = w;
            p->picture.h = h;
        }
    }
    if (!d->rc && !ids_unique(&el->projects[0].id, sizeof *el->projects, n))
        dec_fail(d, "two projects share an id");
}

/* ---- validation ------------------------------------------------------------------------- */

bool package_cost_ok(int64_t cents)
{
    return cents > 0 && cents <= COST_MAX_CENTS;
}

bool package_publication_url_ok(const char *url, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    size_t n = url ? strlen(url) : 0;
    if (n == 0)
        return true;
    if (n > PUBLICATION_URL_MAX) {
        *why = "the address is longer than 200 bytes; give a shorter one";
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if (url[i] < 0x21 || url[i] > 0x7e) {
            *why = "the address holds a space, a control character or a non-ASCII character; "
                   "write it as a plain https:// address (percent-encode other characters)";
            return false;
        }
    size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
    if (scheme == 0 || n == scheme) {
        *why = "the address must start with https:// (or http://) and name a site, e.g. "
               "https://example.org/results";
        return false;
    }
    return true;
}

bool package_kiosk_receipts(const struct election *el, int k)
{
    return k >= 0 && (size_t)k < el->nkiosks && el->kiosk_receipts && el->kiosk_receipts[k] == 1;
}

bool package_receipts_for(const struct election *el, const uint8_t kiosk_pk[SIGN_PK_LEN])
{
    return package_kiosk_receipts(el, election_find_kiosk(el, kiosk_pk));
}

int package_open_officials(const struct election *el, const struct secret_key *kiosk,
                           struct officials **out, struct err *e)
{
    *out = NULL;
    int k = kiosk ? election_find_kiosk(el, kiosk->pk) : -1;
    if (k < 0) {
        char fpr[FPR_TEXT_LEN + 1] = "?";
        if (kiosk)
            fingerprint(fpr, kiosk->pk, SIGN_PK_LEN);
        return err_set(e, ERR_STATE,
                       "this kiosk's key %s is not authorised by the package, so it holds no "
                       "officials' PINs for it; ask the authority for a package that lists it",
                       fpr);
    }
    if (!el->kiosk_officials)
        return err_set(e, ERR_CRYPTO, "the package holds no officials' PINs for this kiosk");
    return officials_open(el->kiosk_officials[k], kiosk, out, e);
}

__attribute__((format(printf, 5, 6))) static void report(package_problem_fn *problem, void *ctx,
                                                         enum package_field where, unsigned *n,
                                                         const char *fmt, ...)
{
    (*n)++;
    if (!problem)
        return;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    problem(ctx, where, msg);
}

unsigned package_check_ballot(const struct ballot_def *bd, package_problem_fn *problem, void *ctx)
{
    unsigned n = 0;
    const struct rule *r = &bd->rule;
    const char *id = bd->id ? bd->id : "?";
    if (bd->budget <= 0)
        report(problem, ctx, PACKAGE_FIELD_BALLOT, &n, "ballot %s: budget is missing", id);
    else if (bd->budget > COST_MAX_CENTS)
        report(problem, ctx, PACKAGE_FIELD_BUDGET, &n,
               "ballot %s: the budget is more than the largest accepted, %lld cents (10 billion "
               "euro)",
               id, (long long)COST_MAX_CENTS);
    switch (r->kind) {
    case RULE_APPROVAL:
    case RULE_RANKING:
        if (r->max == 0)
            report(problem, ctx, PACKAGE_FIELD_BALLOT, &n,
                   "ballot %s: max (the most projects a voter may choose) is missing or 0", id);
        else if (r->max < r->min)
            report(problem, ctx, PACKAGE_FIELD_BALLOT, &n,
                   "ballot %s: max (%u) is smaller than min (%u): no ballot could be valid", id,
                   r->max, r->min);
        break;
    case RULE_CUMULATIVE:
        if (r->points == 0)
            report(problem, ctx, PACKAGE_FIELD_BALLOT, &n, "ballot %s: points must be at least 1",
                   id);
        else if (r->max_per_project == 0 || r->max_per_project > r->points)
            report(problem, ctx, PACKAGE_FIELD_BALLOT, &n,
                   "ballot %s: max_per_project must be between 1 and points (%u)", id, r->points);
        break;
    case RULE_KNAPSACK:
        break;
    default:
        report(problem, ctx, PACKAGE_FIELD_BALLOT, &n, "ballot %s: rule is missing", id);
    }
    if (r->min_share_permille > 1000)
        report(problem, ctx, PACKAGE_FIELD_MIN_SHARE, &n,
               "ballot %s: min_share must be a percentage from 0%% to 100%%", id);
    else if (r->kind != RULE_KNAPSACK && r->min_share_permille > 0)
        report(problem, ctx, PACKAGE_FIELD_MIN_SHARE, &n,
               "min_share only applies to a knapsack ballot");
    if (bd->method != COUNT_GREEDY && bd->method != COUNT_MES)
        report(problem, ctx, PACKAGE_FIELD_METHOD, &n, "ballot %s: unknown counting method", id);
    else if (bd->method == COUNT_MES && (r->kind == RULE_CUMULATIVE || r->kind == RULE_RANKING))
        report(problem, ctx, PACKAGE_FIELD_METHOD, &n,
               "ballot %s: the Method of Equal Shares counts approval or knapsack ballots; use "
               "method = greedy for %s ballots",
               id, r->kind == RULE_CUMULATIVE ? "cumulative" : "ranking");
    return n;
}

static void decode_ballots(struct dec *d)
{
    struct election *el = d->el;
    uint32_t n = get_count(d, MAX_BALLOTS, "ballot count");
    el->ballots = get_array(d, n, sizeof *el->ballots);
    if (!el->ballots)
        return;
    el->nballots = n;
    for (uint32_t i = 0; i < n && !d->rc; i++) {
        struct ballot_def *bd = &el->ballots[i];
        bd->id = get_id(d, "ballot id");
        get_mtext(d, &bd->name, true, "ballot name");
        bd->district = get_index(d, el->ndistricts, true, "ballot district");
        bd->budget = rd_i64(&d->r);
        bd->rule.kind = rd_u8(&d->r);
        bd->rule.min = rd_u32(&d->r);
        bd->rule.max = rd_u32(&d->r);
        bd->rule.min_share_permille = rd_u32(&d->r);
        bd->rule.points = rd_u32(&d->r);
        bd->rule.max_per_project = rd_u32(&d->r);
        bd->method = rd_u8(&d->r);
        if (package_check_ballot(bd, NULL, NULL) != 0)
            dec_fail(d, "ballot rule");
    }
    if (!d->rc && !ids_unique(&el->ballots[0].id, sizeof *el->ballots, n))
        dec_fail(d, "two ballots share an id");
}

static void decode_keys_and_tokens(struct dec *d)
{
    struct election *el = d->el;
    const uint8_t *tpk = rd_raw(&d->r, BOX_PK_LEN);
    if (tpk)
        memcpy(el->tally_pk, tpk, BOX_PK_LEN);
    uint32_t n = get_count(d, MAX_KIOSKS, "kiosk count");
    el->kiosk_pks = get_array(d, n, sizeof *el->kiosk_pks);
    el->kiosk_labels = get_array(d, n, sizeof *el->kiosk_labels);
    el->kiosk_eligibility = get_array(d, n, sizeof *el->kiosk_eligibility);
    el->kiosk_vote_point = get_array(d, n, sizeof *el->kiosk_vote_point);
    el->kiosk_receipts = get_array(d, n, sizeof *el->kiosk_receipts);
    el->kiosk_officials = get_array(d, n, sizeof *el->kiosk_officials);
    if (el->kiosk_pks && el->kiosk_labels && el->kiosk_eligibility && el->kiosk_vote_point &&
        el->kiosk_receipts && el->kiosk_officials) {
        el->nkiosks = n;
        for (uint32_t i = 0; i < n && !d->rc; i++) {
            const uint8_t *pk = rd_raw(&d->r, SIGN_PK_LEN);
            char *label = rd_str(&d->r, sizeof el->kiosk_labels[i] - 1);
            if (!pk || !label) {
                free(label);
                dec_fail(d, "kiosk key");
                break;
            }
            memcpy(el->kiosk_pks[i], pk, SIGN_PK_LEN);
            snprintf(el->kiosk_labels[i], sizeof el->kiosk_labels[i], "%s", label);
            free(label);
            el->kiosk_eligibility[i] = rd_u8(&d->r);
            if (el->kiosk_eligibility[i] != ELIG_ATTENDED && el->kiosk_eligibility[i] != ELIG_TOKEN)
                dec_fail(d, "a kiosk's eligibility mode");
            el->kiosk_vote_point[i] = get_index(d, el->nvote_points, true, "a kiosk's vote point");
            el->kiosk_receipts[i] = rd_u8(&d->r);
            if (el->kiosk_receipts[i] > 1)
                dec_fail(d, "a kiosk's receipts flag");
            /* opaque here: only the kiosk's own secret key opens it (core/officials.h) */
            const uint8_t *sealed = rd_raw(&d->r, OFFICIALS_SEALED_LEN);
            if (sealed)
                memcpy(el->kiosk_officials[i], sealed, OFFICIALS_SEALED_LEN);
            else
                dec_fail(d, "a kiosk's officials");
        }
    }
    n = get_count(d, MAX_TOKENS, "token count");
    el->tokens = get_array(d, n, sizeof *el->tokens);
    if (el->tokens) {
        el->ntokens = n;
        for (uint32_t i = 0; i < n && !d->rc; i++) {
            const uint8_t *h = rd_raw(&d->r, TOKEN_HASH_LEN);
            if (h)
                memcpy(el->tokens[i].hash, h, TOKEN_HASH_LEN);
            el->tokens[i].district = get_index(d, el->ndistricts, true, "token district");
            if (i > 0 && memcmp(el->tokens[i - 1].hash, el->tokens[i].hash, TOKEN_HASH_LEN) >= 0)
                dec_fail(d, "voter card codes are not sorted or repeat");
        }
    }
}

int package_decode(const uint8_t *content, size_t n, struct election *el, struct err *e)
{
    election_init(el);
    struct dec d = {.el = el, .e = e};
    rd_init(&d.r, content, n);
    if (!rd_label(&d.r, LABEL)) {
        err_set(e, ERR_FORMAT, "this is not an election package");
        goto fail;
    }
    uint16_t version = rd_u16(&d.r);
    if (version != PACKAGE_FORMAT_VERSION) {
        err_set(e, ERR_VERSION, "the package is in format %u, this software reads format %u: %s",
                (unsigned)version, PACKAGE_FORMAT_VERSION,
                version > PACKAGE_FORMAT_VERSION
                    ? "update isoloir, or ask the authority for a package in this format"
                    : "rebuild the package with this version of isoloir-package");
        goto fail;
    }
    const uint8_t *apk = rd_raw(&d.r, SIGN_PK_LEN);
    if (apk)
        memcpy(el->authority_pk, apk, SIGN_PK_LEN);
    el->id = get_id(&d, "election id");
    if (el->id && !election_id_valid(el->id))
        dec_fail(&d, "election id: 1 to 40 of a-z, 0-9, -");
    el->nlangs = rd_u8(&d.r);
    if (el->nlangs == 0 || el->nlangs > LANG_COUNT)
        dec_fail(&d, "language list");
    for (int i = 0; i < el->nlangs && !d.rc; i++) {
        uint8_t l = rd_u8(&d.r);
        if (l >= LANG_COUNT || d.langs[l])
            dec_fail(&d, "language list");
        else
            d.langs[l] = true, el->langs[i] = (enum lang)l;
    }
    get_mtext(&d, &el->name, true, "election name");
    uint8_t demo = rd_u8(&d.r);
    if (demo > 1)
        dec_fail(&d, "demo flag");
    el->demo = demo == 1;
    el->voting_start = rd_i64(&d.r);
    el->voting_end = rd_i64(&d.r);
    if (el->voting_end <= el->voting_start)
        dec_fail(&d, "voting period");
    char *tz = rd_str(&d.r, sizeof el->timezone - 1);
    if (tz)
        snprintf(el->timezone, sizeof el->timezone, "%s", tz);
    else
        dec_fail(&d, "time zone");
    free(tz);
    el->eligibility = rd_u8(&d.r);
    if (el->eligibility != ELIG_ATTENDED && el->eligibility != ELIG_TOKEN)
        dec_fail(&d, "eligibility mode");
    uint8_t ntie = rd_u8(&d.r);
    if (ntie > TIE_MAX)
        dec_fail(&d, "tie-break list");
    for (int i = 0; i < ntie && !d.rc; i++) {
        uint8_t t = rd_u8(&d.r);
        if (t < TIE_LOWEST_COST || t > TIE_ID)
            dec_fail(&d, "tie-break rule");
        el->tie_break[i] = (enum tie_break)t;
    }
    el->tie_break[ntie <= TIE_MAX ? ntie : TIE_MAX] = TIE_END;
    char *url = rd_str(&d.r, PUBLICATION_URL_MAX);
    if (!url || !package_publication_url_ok(url, NULL))
        dec_fail(&d, "publication address");
    else
        snprintf(el->publication_url, sizeof el->publication_url, "%s", url);
    free(url);

    decode_named(&d, &el->ndistricts, (void **)&el->districts, sizeof *el->districts, MAX_DISTRICTS,
                 "district");
    decode_named(&d, &el->ncategories, (void **)&el->categories, sizeof *el->categories,
                 MAX_CATEGORIES, "category");
    decode_named(&d, &el->nvote_points, (void **)&el->vote_points, sizeof *el->vote_points,
                 MAX_VOTE_POINTS, "vote point");
    if (!d.rc)
        decode_projects(&d);
    if (!d.rc)
        decode_ballots(&d);
    if (!d.rc)
        decode_keys_and_tokens(&d);
    if (!d.rc && !rd_ok(&d.r))
        dec_fail(&d, "it ends too early");
    if (!d.rc && !rd_done(&d.r))
        dec_fail(&d, "unexpected bytes after the end");
    if (!d.rc && election_link_ballots(el))
        d.rc = err_set(e, ERR_NOMEM, "out of memory reading the package");
    if (!d.rc)
        return 0;
fail:
    election_free(el);
    return e ? e->code : ERR_FORMAT;
}

/* ---- files ------------------------------------------------------------------------------- */

int package_write(const char *path, struct election *el, const struct secret_key *authority,
                  uint8_t hash[HASH_LEN], struct err *e)
{
    if (authority->kind != KEY_AUTHORITY)
        return err_set(e, ERR_USAGE, "a package must be signed with the authority key");
    if (authority->demo && !el->demo)
        return err_set(e, ERR_USAGE,
                       "this is a demo authority key: it can only sign a demo election "
                       "(demo = yes); use the real authority key");
    memcpy(el->authority_pk, authority->pk, SIGN_PK_LEN);
    struct buf b;
    buf_init(&b);
    buf_raw(&b, PACKAGE_MAGIC, PACKAGE_MAGIC_LEN);
    int rc = package_encode(el, &b, e);
    if (rc)
        goto done;
    size_t clen = b.len - PACKAGE_MAGIC_LEN;
    uint8_t sig[SIG_LEN];
    sign_detached(sig, b.data + PACKAGE_MAGIC_LEN, clen, authority->sk);
    if (hash)
        hash32(hash, b.data + PACKAGE_MAGIC_LEN, clen);
    buf_raw(&b, sig, SIG_LEN);
    if (buf_ok(&b)) {
        rc = err_set(e, ERR_NOMEM, "out of memory writing the package");
        goto done;
    }
    if (b.len > PACKAGE_MAX_BYTES) {
        rc = err_set(e, ERR_INVALID,
                     "the package would be %zu MiB, more than the %u MiB a kiosk accepts: use "
                     "fewer or smaller pictures",
                     b.len >> 20, PACKAGE_MAX_BYTES >> 20);
        goto done;
    }
    rc = util_write_durable(path, b.data, b.len, 0644, e);
done:
    buf_free(&b);
    return rc;
}

int package_open_mem(const uint8_t *data, size_t n, const uint8_t trusted[SIGN_PK_LEN],
                     unsigned flags, struct election *out, uint8_t hash[HASH_LEN], struct err *e)
{
    election_init(out);
    if (n < PACKAGE_MAGIC_LEN || memcmp(data, PACKAGE_MAGIC, PACKAGE_MAGIC_LEN) != 0)
        return err_set(e, ERR_FORMAT,
                       "this file is not an isoloir election package; load the .pkg file the "
                       "election authority published");
    if (n < PACKAGE_MAGIC_LEN + SIG_LEN + 64)
        return err_set(e, ERR_FORMAT,
                       "the package is truncated (%zu bytes); copy it again from the original", n);
    const uint8_t *content = data + PACKAGE_MAGIC_LEN;
    size_t clen = n - PACKAGE_MAGIC_LEN - SIG_LEN;
    const uint8_t *sig = content + clen;

    /* Label, version and signer first: the only fields read before the signature is checked,
     * so that the refusal can say what is wrong. */
    struct rd r;
    rd_init(&r, content, clen);
    if (!rd_label(&r, LABEL))
        return err_set(e, ERR_FORMAT,
                       "the package is damaged or truncated (its header is unreadable); copy it "
                       "again from the original");
    uint16_t version = rd_u16(&r);
    if (version > PACKAGE_FORMAT_VERSION)
        return err_set(e, ERR_VERSION,
                       "the package is in format %u, newer than this software understands (%u): "
                       "update isoloir or ask the authority for a format-%u package",
                       (unsigned)version, PACKAGE_FORMAT_VERSION, PACKAGE_FORMAT_VERSION);
    const uint8_t *signer = rd_raw(&r, SIGN_PK_LEN);
    if (!signer)
        return err_set(e, ERR_FORMAT, "the package is truncated; copy it again from the original");
    if (sodium_memcmp(signer, trusted, SIGN_PK_LEN) != 0) {
        char a[FPR_TEXT_LEN + 1], b[FPR_TEXT_LEN + 1];
        fingerprint(a, signer, SIGN_PK_LEN);
        fingerprint(b, trusted, SIGN_PK_LEN);
        return err_set(e, ERR_CRYPTO,
                       "the package is signed by authority key %s, but this machine trusts %s; "
                       "load the package made for this election",
                       a, b);
    }
    if (sign_verify(sig, content, clen, trusted) != 0)
        return err_set(e, ERR_CRYPTO,
                       "the package signature does not match its content: the file was altered "
                       "or damaged after signing; do not use it, copy it again from the original");
    int rc = package_decode(content, clen, out, e);
    if (rc)
        return rc;
    if (out->demo && !(flags & PACKAGE_ALLOW_DEMO)) {
        election_free(out);
        return err_set(e, ERR_STATE,
                       "this is a DEMONSTRATION package; it is accepted only in demo mode "
                       "(--demo), never for a real vote");
    }
    if (hash)
        hash32(hash, content, clen);
    return 0;
}

int package_open(const char *path, const uint8_t trusted[SIGN_PK_LEN], unsigned flags,
                 struct election *out, uint8_t hash[HASH_LEN], struct err *e)
{
    election_init(out);
    uint8_t *data;
    size_t n;
    int rc = util_read_file(path, PACKAGE_MAX_BYTES, &data, &n, e);
    if (rc)
        return rc;
    rc = package_open_mem(data, n, trusted, flags, out, hash, e);
    if (rc)
        err_prefix(e, "%s: ", path);
    free(data);
    return rc;
}
