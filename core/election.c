/* election — lifetime and look-ups of the election model; see election.h. */
#include "election.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const LANG_CODES[LANG_COUNT] = {"fr", "nl", "en"};

const char *lang_code(enum lang l)
{
    return (unsigned)l < LANG_COUNT ? LANG_CODES[l] : "?";
}

int lang_from_code(const char *code)
{
    for (int i = 0; i < LANG_COUNT; i++)
        if (code && strcmp(code, LANG_CODES[i]) == 0)
            return i;
    return -1;
}

const char *text_get(const struct text *t, enum lang l)
{
    if ((unsigned)l < LANG_COUNT && t->s[l])
        return t->s[l];
    for (int i = 0; i < LANG_COUNT; i++)
        if (t->s[i])
            return t->s[i];
    return "";
}

static void text_free(struct text *t)
{
    for (int i = 0; i < LANG_COUNT; i++) {
        free(t->s[i]);
        t->s[i] = NULL;
    }
}

bool election_id_valid(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > ELECTION_ID_LEN_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

void election_init(struct election *el)
{
    memset(el, 0, sizeof *el);
    el->tie_break[0] = TIE_END;
}

void election_free(struct election *el)
{
    free(el->id);
    text_free(&el->name);
    for (size_t i = 0; i < el->ndistricts; i++) {
        free(el->districts[i].id);
        text_free(&el->districts[i].name);
    }
    for (size_t i = 0; i < el->ncategories; i++) {
        free(el->categories[i].id);
        text_free(&el->categories[i].name);
    }
    for (size_t i = 0; i < el->nvote_points; i++) {
        free(el->vote_points[i].id);
        text_free(&el->vote_points[i].name);
    }
    for (size_t i = 0; i < el->nprojects; i++) {
        struct project *p = &el->projects[i];
        free(p->id);
        text_free(&p->title);
        text_free(&p->summary);
        text_free(&p->description);
        free(p->picture.rgb);
    }
    for (size_t i = 0; i < el->nballots; i++) {
        free(el->ballots[i].id);
        text_free(&el->ballots[i].name);
        free(el->ballots[i].projects);
    }
    free(el->districts);
    free(el->categories);
    free(el->vote_points);
    free(el->projects);
    free(el->ballots);
    free(el->kiosk_pks);
    free(el->kiosk_labels);
    free(el->kiosk_eligibility);
    free(el->kiosk_vote_point);
    free(el->kiosk_receipts);
    free(el->kiosk_officials);
    free(el->tokens);
    election_init(el);
}

#define FIND_BY_ID(arr, n)                                         \
    do {                                                           \
        for (size_t i = 0; i < (n); i++)                           \
            if ((arr)[i].id && id && strcmp((arr)[i].id, id) == 0) \
                return (int)i;                                     \
        return -1;                                                 \
    } while (0)

int election_find_district(const struct election *el, const char *id)
{
    FIND_BY_ID(el->districts, el->ndistricts);
}

int election_find_category(const struct election *el, const char *id)
{
    FIND_BY_ID(el->categories, el->ncategories);
}

int election_find_vote_point(const struct election *el, const char *id)
{
    FIND_BY_ID(el->vote_points, el->nvote_points);
}

int election_find_ballot(const struct election *el, const char *id)
{
    FIND_BY_ID(el->ballots, el->nballots);
}

int election_find_project(const struct election *el, const char *id)
{
    FIND_BY_ID(el->projects, el->nprojects);
}

int election_find_kiosk(const struct election *el, const uint8_t pk[SIGN_PK_LEN])
{
    for (size_t i = 0; i < el->nkiosks; i++)
        if (sodium_memcmp(el->kiosk_pks[i], pk, SIGN_PK_LEN) == 0)
            return (int)i;
    return -1;
}

enum eligibility election_kiosk_eligibility(const struct election *el, int k)
{
    if (k >= 0 && (size_t)k < el->nkiosks && el->kiosk_eligibility && el->kiosk_eligibility[k])
        return (enum eligibility)el->kiosk_eligibility[k];
    return el->eligibility;
}

int election_link_ballots(struct election *el)
{
    for (size_t b = 0; b < el->nballots; b++) {
        struct ballot_def *bd = &el->ballots[b];
        free(bd->projects);
        bd->projects = NULL;
        bd->nprojects = 0;
        size_t n = 0;
        for (size_t p = 0; p < el->nprojects; p++)
            if (el->projects[p].district == bd->district)
                n++;
        if (n == 0)
            continue;
        bd->projects = calloc(n, sizeof *bd->projects);
        if (!bd->projects)
            return ERR_NOMEM;
        for (size_t p = 0; p < el->nprojects; p++)
            if (el->projects[p].district == bd->district)
                bd->projects[bd->nprojects++] = (uint32_t)p;
    }
    return 0;
}

size_t election_ballots_for(const struct election *el, int district, uint32_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t b = 0; b < el->nballots; b++) {
        int d = el->ballots[b].district;
        if (d == -1 || (district >= 0 && d == district)) {
            if (n < cap)
                out[n] = (uint32_t)b;
            n++;
        }
    }
    return n;
}

static const char *const TIE_NAMES[] = {
    [TIE_LOWEST_COST] = "lowest-cost",
    [TIE_HIGHEST_COST] = "highest-cost",
    [TIE_MOST_VOTES] = "most-votes",
    [TIE_ID] = "id",
};

const char *tie_break_name(enum tie_break t)
{
    return (unsigned)t < sizeof TIE_NAMES / sizeof *TIE_NAMES && TIE_NAMES[t] ? TIE_NAMES[t] : "?";
}

enum tie_break tie_break_from_name(const char *name)
{
    for (unsigned t = 1; t < sizeof TIE_NAMES / sizeof *TIE_NAMES; t++)
        if (name && strcmp(name, TIE_NAMES[t]) == 0)
            return (enum tie_break)t;
    return TIE_END;
}
