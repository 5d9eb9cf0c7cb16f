/* test_session — the voter-entry rules of the session state machine, without SDL: at an
 * attended kiosk one enable is one ballot (cast, cancel and timeout spend it), enabling needs
 * an officials' session opened by the PIN that ends after SESSION_OFFICIALS_MS, F9 does
 * nothing on the "recorded" screen or during a vote, and the official's district choice skips
 * the district screen; a failed cast stays on screen until staff come; at a token kiosk the
 * card decides the district, a refused code shows the kind sentence, and the card hash is
 * wiped with the session; a receipt is asked once per cast, from its recorded screen. */
#include <sodium.h>

#include "check.h"
#include "fixture.h"
#include "session.h"

static const struct session_config CFG = {
    .idle_ms = 90000, .idle_warn_ms = 30000, .done_ms = 30000};

static void fresh(struct session *s, const struct election *el, bool attended, bool token)
{
    memset(s, 0, sizeof *s); /* as the program's session starts */
    session_reset(s, el, 0);
    s->attended = attended, s->token_mode = token, s->polls_open = true, s->polls_state = 1;
}

static uint64_t now_ms = 1000;
static unsigned enables; /* what the program counted */

static bool act(struct session *s, const struct election *el, enum act k, int arg)
{
    bool attended = s->attended, token = s->token_mode;
    bool r = session_apply(s, el, (struct action){k, arg}, now_ms);
    s->attended = attended, s->token_mode = token, s->polls_open = true, s->polls_state = 1;
    if (s->request == REQ_ENABLE) { /* as the program does: count, then enable */
        s->request = REQ_NONE;
        enables++;
        session_enable_done(s, el, true, now_ms);
        s->attended = attended, s->polls_open = true, s->polls_state = 1;
    }
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
    CHECK_INT(s.overlay, OV_PIN); /* no officials' session: F9 asks for the PIN first */
    CHECK(s.enable_after_pin);
    act(&s, &el, ACT_ENABLE, 1);
    CHECK(!s.enabled);
    act(&s, &el, ACT_OFFICIAL_EXIT, 0);
    session_officials_unlocked(&s, now_ms); /* the right PIN */
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
    /* F9 on the "recorded" screen does nothing: that screen is the last voter's */
    unsigned counted = enables;
    act(&s, &el, ACT_ENABLE_ASK, 0);
    CHECK_INT(s.screen, SCR_DONE);
    CHECK_INT(s.overlay, OV_NONE);
    CHECK(!s.enabled);
    CHECK_INT(enables, counted);
    /* F9 is refused in the middle of someone's vote */
    act(&s, &el, ACT_FINISH, 0);
    act(&s, &el, ACT_ENABLE_ASK, 0);
    act(&s, &el, ACT_ENABLE, 0);
    act(&s, &el, ACT_LANG, LANG_FR);
    act(&s, &el, ACT_ENABLE_ASK, 0);
    CHECK_INT(s.overlay, OV_NONE);
    CHECK_INT(s.screen, SCR_HOWTO);
    /* a second F9 while a voter is enabled and has not started does not count twice */
    act(&s, &el, ACT_CANCEL, 0);
    act(&s, &el, ACT_CANCEL_YES, 0);
    act(&s, &el, ACT_ENABLE_ASK, 0);
    act(&s, &el, ACT_ENABLE, 0);
    counted = enables;
    act(&s, &el, ACT_ENABLE_ASK, 0);
    CHECK_INT(s.overlay, OV_NONE);
    CHECK_INT(enables, counted);
    /* the officials' session ends SESSION_OFFICIALS_MS after the PIN; F9 does not extend it */
    act(&s, &el, ACT_CANCEL, 0);
    act(&s, &el, ACT_LANG, LANG_FR);
    act(&s, &el, ACT_CANCEL, 0);
    act(&s, &el, ACT_CANCEL_YES, 0);
    now_ms = 1000 + SESSION_OFFICIALS_MS - 1;
    act(&s, &el, ACT_ENABLE_ASK, 0);
    CHECK_INT(s.overlay, OV_ENABLE);
    act(&s, &el, ACT_ENABLE, 0);
    act(&s, &el, ACT_LANG, LANG_FR);
    act(&s, &el, ACT_CANCEL, 0);
    act(&s, &el, ACT_CANCEL_YES, 0);
    now_ms = 1000 + SESSION_OFFICIALS_MS;
    act(&s, &el, ACT_ENABLE_ASK, 0);
    CHECK_INT(s.overlay, OV_PIN);
    act(&s, &el, ACT_OFFICIAL_EXIT, 0);
    /* the officials' menu in use keeps the session open */
    session_officials_unlocked(&s, now_ms);
    s.screen = SCR_OFFICIAL;
    now_ms += SESSION_OFFICIALS_MS - 1;
    act(&s, &el, ACT_SCROLL, 0);
    act(&s, &el, ACT_OFFICIAL_EXIT, 0);
    now_ms += SESSION_OFFICIALS_MS - 1;
    act(&s, &el, ACT_ENABLE_ASK, 0);
    CHECK_INT(s.overlay, OV_ENABLE);
    act(&s, &el, ACT_CLOSE, 0);
    now_ms = 1000;
    election_free(&el);
}

static void test_failed_cast(void)
{
    struct election el;
    fixture_election(&el);
    struct session s;
    fresh(&s, &el, false, false);
    act(&s, &el, ACT_LANG, LANG_FR);
    session_cast_failed(&s, false); /* the journal cannot say */
    CHECK_INT(s.overlay, OV_UNKNOWN);
    act(&s, &el, ACT_CLOSE, 0); /* Escape: the voter cannot hide it, nor vote again */
    CHECK_INT(s.overlay, OV_UNKNOWN);
    session_tick(&s, &el, &CFG, now_ms + 10 * CFG.idle_ms);
    CHECK_INT(s.overlay, OV_UNKNOWN);
    act(&s, &el, ACT_OFFICIAL, 0); /* staff: the PIN keypad, the vote wiped */
    CHECK_INT(s.overlay, OV_PIN);
    CHECK_INT(s.screen, SCR_WELCOME);
    session_cast_failed(&s, true);
    CHECK_INT(s.overlay, OV_FAILED);
    act(&s, &el, ACT_CONTINUE, 0);
    CHECK_INT(s.overlay, OV_FAILED);
    election_free(&el);
}

/* The receipt is asked from the recorded screen only, where the program offers it, once per
 * cast; the next voter's recorded screen may ask for theirs, and nothing else can. */
static void test_receipt_request(void)
{
    struct election el;
    fixture_election(&el);
    struct session s;
    fresh(&s, &el, false, false);
    s.receipts = true;
    act(&s, &el, ACT_RECEIPT, 0); /* welcome: nothing to print */
    CHECK_INT(s.request, REQ_NONE);
    session_cast_done(&s, "AAAA-BBBB-CCC", 2000);
    s.receipts = false; /* no printer attached: not offered */
    act(&s, &el, ACT_RECEIPT, 0);
    CHECK_INT(s.request, REQ_NONE);
    s.receipts = true;
    act(&s, &el, ACT_RECEIPT, 0);
    CHECK_INT(s.request, REQ_RECEIPT);
    s.request = REQ_NONE, s.receipt = RECEIPT_FAILED; /* as the program answers */
    act(&s, &el, ACT_RECEIPT, 0); /* never again for this cast, not even after a failure */
    CHECK_INT(s.request, REQ_NONE);
    act(&s, &el, ACT_FINISH, 0);
    CHECK_INT(s.screen, SCR_WELCOME);
    CHECK_INT(s.receipt, RECEIPT_NONE);
    CHECK_STR(s.tracking, "");
    s.receipts = true;
    act(&s, &el, ACT_RECEIPT, 0); /* the next voter, before casting: nothing */
    CHECK_INT(s.request, REQ_NONE);
    session_cast_done(&s, "DDDD-EEEE-FFF", 3000);
    s.receipts = true;
    act(&s, &el, ACT_RECEIPT, 0);
    CHECK_INT(s.request, REQ_RECEIPT);
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
    RUN(test_failed_cast);
    RUN(test_receipt_request);
    return check_done();
}
