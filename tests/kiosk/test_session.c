/* test_session — the voter-entry rules of the session state machine, without SDL: at an
 * attended kiosk one enable is one ballot (cast, cancel and timeout spend it) and the official's
 * district choice skips the district screen; at a token kiosk the card decides the district,
 * a refused code shows the kind sentence, and the card hash is wiped with the session. */
#include <sodium.h>

#include "check.h"
#include "fixture.h"
#include "session.h"

static const struct session_config CFG = {
    .idle_ms = 90000, .idle_warn_ms = 30000, .done_ms = 30000};

static void fresh(struct session *s, const struct election *el, bool attended, bool token)
{
    session_reset(s, el, 0);
    s->attended = attended, s->token_mode = token, s->polls_open = true, s->polls_state = 1;
}

static bool act(struct session *s, const struct election *el, enum act k, int arg)
{
    bool attended = s->attended, token = s->token_mode;
    bool r = session_apply(s, el, (struct action){k, arg}, 1000);
    s->attended = attended, s->token_mode = token, s->polls_open = true, s->polls_state = 1;
    return r;
}

static void test_attended_enable(void)
{
    struct election el;
    fixture_election(&el);
    struct session s;
    fresh(&s, &el, true, false);
    act(&s, &el, ACT_LANG, LANG_NL);
    CHECK_INT(s.screen, SCR_WELCOME); /* nobody enabled: no language, no vote */
    act(&s, &el, ACT_ENABLE, 1);
    CHECK(!s.enabled); /* enabling needs the officials' menu or the F9 dialog */
    act(&s, &el, ACT_ENABLE_ASK, 0);
    CHECK_INT(s.overlay, OV_ENABLE);
    act(&s, &el, ACT_ENABLE, 1);
    CHECK(s.enabled);
    CHECK_INT(s.overlay, OV_NONE);
    act(&s, &el, ACT_LANG, LANG_NL);
    CHECK_INT(s.screen, SCR_HOWTO); /* the official chose "sud": no district screen */
    CHECK_INT(s.district, 1);
    CHECK(s.ndefs >= 1);
    /* cancelling spends the enable */
    act(&s, &el, ACT_CANCEL, 0);
    act(&s, &el, ACT_CANCEL_YES, 0);
    CHECK(!s.enabled);
    act(&s, &el, ACT_LANG, LANG_FR);
    CHECK_INT(s.screen, SCR_WELCOME);
    /* "the voter chooses": the district screen comes back */
    act(&s, &el, ACT_ENABLE_ASK, 0);
    act(&s, &el, ACT_ENABLE, ENABLE_VOTER_CHOOSES);
    act(&s, &el, ACT_LANG, LANG_FR);
    CHECK_INT(s.screen, SCR_DISTRICT);
    /* a timeout spends it too */
    session_tick(&s, &el, &CFG, 1000 + CFG.idle_ms);
    CHECK_INT(s.overlay, OV_IDLE);
    session_tick(&s, &el, &CFG, 1000 + CFG.idle_ms + CFG.idle_warn_ms);
    CHECK(!s.enabled);
    CHECK_INT(s.screen, SCR_WELCOME);
    /* and a cast */
    s.attended = true, s.polls_open = true;
    act(&s, &el, ACT_ENABLE_ASK, 0);
    act(&s, &el, ACT_ENABLE, ENABLE_CITYWIDE);
    act(&s, &el, ACT_LANG, LANG_EN);
    CHECK_INT(s.district, -1);
    session_cast_done(&s, "TEST-CODE", 2000);
    CHECK(!s.enabled);
    CHECK_INT(s.screen, SCR_DONE);
    /* F9 is refused in the middle of someone's vote */
    act(&s, &el, ACT_FINISH, 0);
    act(&s, &el, ACT_ENABLE_ASK, 0);
    act(&s, &el, ACT_ENABLE, 0);
    act(&s, &el, ACT_LANG, LANG_FR);
    act(&s, &el, ACT_ENABLE_ASK, 0);
    CHECK_INT(s.overlay, OV_NONE);
    CHECK_INT(s.screen, SCR_HOWTO);
    election_free(&el);
}

static void test_token_entry(void)
{
    struct election el;
    fixture_election(&el);
    struct session s;
    fresh(&s, &el, false, true);
    act(&s, &el, ACT_LANG, LANG_FR);
    CHECK_INT(s.screen, SCR_TOKEN);
    const char *typed = "k7qf-3M2A é!";
    for (const char *p = typed; *p; p++)
        act(&s, &el, ACT_TOKEN_CHAR, (unsigned char)*p);
    CHECK_STR(s.token_input, "k7qf-3M2A "); /* what cannot be in a code is dropped */
    act(&s, &el, ACT_TOKEN_ERASE, 0);
    CHECK_STR(s.token_input, "k7qf-3M2A");
    CHECK(!act(&s, &el, ACT_TOKEN_OK, 0));
    CHECK_INT(s.request, REQ_TOKEN);
    uint8_t hash[TOKEN_HASH_LEN] = {1, 2, 3};
    session_token_result(&s, &el, 2 /* mistyped */, -1, hash, "check the code");
    CHECK_STR(s.notice, "check the code");
    CHECK_STR(s.token_input, "k7qf-3M2A"); /* kept, to be corrected */
    session_token_result(&s, &el, 4 /* spent */, -1, hash, "already used");
    CHECK_STR(s.token_input, ""); /* nothing to correct: start again */
    CHECK_INT(s.screen, SCR_TOKEN);
    session_token_result(&s, &el, 0, 0, hash, NULL);
    CHECK_INT(s.screen, SCR_HOWTO);
    CHECK_INT(s.district, 0); /* the card's */
    CHECK(s.token_ok);
    /* back from the how-to: the code is asked again */
    act(&s, &el, ACT_BACK, 0);
    CHECK_INT(s.screen, SCR_TOKEN);
    CHECK(!s.token_ok);
    session_token_result(&s, &el, 0, -1, hash, NULL);
    CHECK_INT(s.district, -1);
    session_cast_done(&s, "TEST-CODE", 2000);
    static const uint8_t zero[TOKEN_HASH_LEN];
    CHECK(memcmp(s.token_hash, zero, sizeof zero) == 0);
    CHECK(!s.token_ok);
    election_free(&el);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    RUN(test_attended_enable);
    RUN(test_token_entry);
    return check_done();
}
