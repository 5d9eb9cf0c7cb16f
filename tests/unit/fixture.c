/* fixture — see fixture.h. */
#include "fixture.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void text3(struct text *t, const char *fr, const char *nl, const char *en)
{
    t->s[LANG_FR] = util_strdup(fr);
    t->s[LANG_NL] = util_strdup(nl);
    t->s[LANG_EN] = util_strdup(en);
}

struct secret_key *fixture_key(enum key_kind kind, uint8_t n)
{
    uint8_t seed[32];
    memset(seed, n, sizeof seed);
    struct secret_key *k = NULL;
    struct err e;
    if (key_from_seed(kind, false, seed, &k, &e) != 0)
        abort();
    return k;
}

void fixture_officials(struct officials *o, const uint8_t kiosk_pk[32])
{
    memset(o, 0, sizeof *o);
    memcpy(o->kiosk_pk, kiosk_pk, 32);
    memset(o->salt, 0x05, sizeof o->salt);
    o->opslimit = 1;
    o->memlimit_kib = 8;
    static const struct {
        const char *name, *pin;
        enum official_role role;
    } who[] = {{FIXTURE_OFFICIAL_NAME, FIXTURE_OFFICIAL_PIN, OFFICIAL_ROLE_OFFICIAL},
               {FIXTURE_OFFICIAL2_NAME, FIXTURE_OFFICIAL2_PIN, OFFICIAL_ROLE_OFFICIAL},
               {FIXTURE_SUPERVISOR_NAME, FIXTURE_SUPERVISOR_PIN, OFFICIAL_ROLE_SUPERVISOR}};
    struct err e;
    for (size_t i = 0; i < 3; i++) {
        snprintf(o->list[i].name, sizeof o->list[i].name, "%s", who[i].name);
        o->list[i].role = who[i].role;
        if (officials_derive(o->list[i].verifier, who[i].pin, o, &e) != 0)
            abort();
    }
    o->n = 3;
}

void fixture_election(struct election *el)
{
    election_init(el);
    el->id = util_strdup("test-2026");
    text3(&el->name, "Budget participatif test", "Participatieve begroting test",
          "Test participatory budget");
    el->nlangs = 3;
    el->langs[0] = LANG_FR, el->langs[1] = LANG_NL, el->langs[2] = LANG_EN;
    el->voting_start = 1796025600; /* 2026-11-30T08:00:00Z */
    el->voting_end = el->voting_start + 12 * 86400;
    snprintf(el->timezone, sizeof el->timezone, "Europe/Brussels");
    el->eligibility = ELIG_ATTENDED;
    el->tie_break[0] = TIE_LOWEST_COST;
    el->tie_break[1] = TIE_MOST_VOTES;
    el->tie_break[2] = TIE_ID;
    el->tie_break[3] = TIE_END;

    el->ndistricts = 2;
    el->districts = calloc(2, sizeof *el->districts);
    el->districts[0].id = util_strdup("nord");
    text3(&el->districts[0].name, "Nord", "Noord", "North");
    el->districts[1].id = util_strdup("sud");
    text3(&el->districts[1].name, "Sud", "Zuid", "South");
    el->ncategories = 1;
    el->categories = calloc(1, sizeof *el->categories);
    el->categories[0].id = util_strdup("green");
    text3(&el->categories[0].name, "Nature", "Natuur", "Nature");
    el->nvote_points = 1;
    el->vote_points = calloc(1, sizeof *el->vote_points);
    el->vote_points[0].id = util_strdup("hall");
    text3(&el->vote_points[0].name, "Hôtel de ville", "Stadhuis", "City hall");

    static const struct {
        const char *id;
        int district;
        int64_t cost;
    } P[] = {{"p1", -1, 40000000}, {"p2", -1, 25000000}, {"p3", -1, 500000}, {"n1", 0, 10000000},
             {"n2", 0, 8000000},   {"s1", 1, 12000000},  {"s2", 1, 3000000}};
    el->nprojects = ARRAY_LEN(P);
    el->projects = calloc(el->nprojects, sizeof *el->projects);
    for (size_t i = 0; i < el->nprojects; i++) {
        struct project *p = &el->projects[i];
        p->id = util_strdup(P[i].id);
        p->district = P[i].district;
        p->category = i % 2 ? 0 : -1;
        p->cost = P[i].cost;
        char fr[64], nl[96], en[64];
        snprintf(fr, sizeof fr, "Projet %s : été à l'école", P[i].id);
        snprintf(nl, sizeof nl, "Project %s: buurtsportinfrastructuurvernieuwing", P[i].id);
        snprintf(en, sizeof en, "Project %s", P[i].id);
        text3(&p->title, fr, nl, en);
        text3(&p->summary, "Résumé.", "Samenvatting.", "Summary.");
        text3(&p->description, "Description longue, œuvre à 5 000 €.", "Beschrijving.",
              "Description.");
    }
    struct picture *pic = &el->projects[0].picture;
    pic->w = 4, pic->h = 2;
    pic->rgb = malloc(4 * 2 * 3);
    for (int i = 0; i < 24; i++)
        pic->rgb[i] = (uint8_t)(i * 10);

    el->nballots = 3;
    el->ballots = calloc(3, sizeof *el->ballots);
    struct ballot_def *b = el->ballots;
    b[0].id = util_strdup("city");
    text3(&b[0].name, "Régional", "Gewestelijk", "Citywide");
    b[0].district = -1;
    b[0].budget = 50000000;
    b[0].rule = (struct rule){.kind = RULE_KNAPSACK};
    b[0].method = COUNT_GREEDY;
    for (int d = 0; d < 2; d++) {
        b[1 + d].id = util_strdup(d ? "sud" : "nord");
        text3(&b[1 + d].name, d ? "Sud" : "Nord", d ? "Zuid" : "Noord", d ? "South" : "North");
        b[1 + d].district = d;
        b[1 + d].budget = 15000000;
        b[1 + d].rule = (struct rule){.kind = RULE_APPROVAL, .min = 0, .max = 2};
        b[1 + d].method = COUNT_MES;
    }
    election_link_ballots(el);

    struct secret_key *tally = fixture_key(KEY_TALLY, 2);
    memcpy(el->tally_pk, tally->pk, 32);
    key_free(tally);
    el->nkiosks = 2;
    el->kiosk_pks = calloc(2, sizeof *el->kiosk_pks);
    el->kiosk_labels = calloc(2, sizeof *el->kiosk_labels);
    for (int k = 0; k < 2; k++) {
        struct secret_key *kk = fixture_key(KEY_KIOSK, (uint8_t)(3 + k));
        memcpy(el->kiosk_pks[k], kk->pk, 32);
        snprintf(el->kiosk_labels[k], sizeof el->kiosk_labels[k], "kiosk-%d", k + 1);
        key_free(kk);
    }
    /* the second kiosk prints voter receipts, which point to the publication address */
    el->kiosk_receipts = calloc(2, sizeof *el->kiosk_receipts);
    el->kiosk_receipts[1] = 1;
    snprintf(el->publication_url, sizeof el->publication_url, "https://vote.example.org/test-2026");
    el->kiosk_officials = calloc(2, sizeof *el->kiosk_officials);
    for (int k = 0; k < 2; k++) {
        struct officials o;
        fixture_officials(&o, el->kiosk_pks[k]);
        uint8_t seed[32];
        memset(seed, 0x10 + k, sizeof seed);
        struct err e;
        if (officials_seal(el->kiosk_officials[k], &o, seed, &e) != 0)
            abort();
        sodium_memzero(&o, sizeof o);
    }
    el->ntokens = 2;
    el->tokens = calloc(2, sizeof *el->tokens);
    memset(el->tokens[0].hash, 0x11, TOKEN_HASH_LEN);
    el->tokens[0].district = 0;
    memset(el->tokens[1].hash, 0x22, TOKEN_HASH_LEN);
    el->tokens[1].district = -1;
}
