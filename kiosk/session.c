/* session — the voter's visit as a state machine; see session.h. */
#include "session.h"

#include <sodium.h>
#include <stdio.h>

#include "catalog.h"
#include "util.h"

void session_reset(struct session *s, const struct election *el, uint64_t now_ms)
{
    enum lang staff = el->nlangs ? el->langs[0] : LANG_FR;
    for (int i = 0; i < el->nlangs; i++)
        if (el->langs[i] == s->staff_lang)
            staff = s->staff_lang;
    uint64_t officials_until = s->officials_until_ms;
    sodium_memzero(s, sizeof *s);
    s->screen = SCR_WELCOME;
    s->staff_lang = staff; /* the officials', chosen in their menu: not a voter's */
    s->officials_until_ms = officials_until; /* the officials' session outlives voters' */
    s->lang = staff;
    s->district = -1;
    s->detail = -1;
    s->filter = -1;
    s->last_input_ms = now_ms;
}

struct ballot *session_ballot(struct session *s)
{
    return &s->vote.ballots[s->cur];
}

const struct ballot_def *session_def(const struct session *s, const struct election *el)
{
    return &el->ballots[s->defs[s->cur]];
}

static void start_ballots(struct session *s, const struct election *el)
{
    s->ndefs = (uint32_t)election_ballots_for(el, s->district, s->defs, VOTE_MAX_BALLOTS);
    if (s->ndefs > VOTE_MAX_BALLOTS)
        s->ndefs = VOTE_MAX_BALLOTS;
    vote_init(&s->vote);
    s->vote.nballots = s->ndefs;
    for (uint32_t i = 0; i < s->ndefs; i++)
        ballot_init(&s->vote.ballots[i], s->defs[i]);
    s->cur = 0;
    s->screen = SCR_HOWTO;
}

/* Where a voter goes once they chose their language. */
static void after_language(struct session *s, const struct election *el)
{
    if (s->token_mode && !s->token_ok) {
        s->screen = SCR_TOKEN;
    } else if (s->token_mode) {
        start_ballots(s, el); /* the card says the district */
    } else if (el->ndistricts && s->attended && s->enabled_district != ENABLE_VOTER_CHOOSES) {
        s->district = s->enabled_district;
        start_ballots(s, el);
    } else if (el->ndistricts) {
        s->screen = SCR_DISTRICT;
    } else {
        start_ballots(s, el);
    }
}

/* Resets the session between voters, keeping the accessibility choices of the screen. */
static void reset_keep_display(struct session *s, const struct election *el, uint64_t now_ms)
{
    int size = s->text_size;
    bool contrast = s->high_contrast;
    session_reset(s, el, now_ms);
    s->text_size = size, s->high_contrast = contrast;
}

static bool token_char_ok(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
           c == ' ';
}

static void refusal_notice(struct session *s, const struct election *el, enum ballot_refusal r,
                           int64_t short_by)
{
    const struct ballot_def *bd = session_def(s, el);
    char money[64];
    switch (r) {
    case BALLOT_TOO_MANY:
        snprintf(s->notice, sizeof s->notice, msg_n(M_REFUSE_TOO_MANY, s->lang, bd->rule.max),
                 bd->rule.max);
        break;
    case BALLOT_OVER_BUDGET:
        util_format_euro(money, sizeof money, short_by, lang_code(s->lang));
        snprintf(s->notice, sizeof s->notice, msg(M_REFUSE_BUDGET, s->lang), money);
        break;
    case BALLOT_NO_POINTS_LEFT:
        snprintf(s->notice, sizeof s->notice, "%s", msg(M_REFUSE_POINTS, s->lang));
        break;
    case BALLOT_PROJECT_MAX:
        snprintf(s->notice, sizeof s->notice,
                 msg_n(M_REFUSE_PROJECT_MAX, s->lang, bd->rule.max_per_project),
                 bd->rule.max_per_project);
        break;
    default:
        s->notice[0] = '\0';
    }
}

static bool on_ballot(const struct ballot_def *bd, int project)
{
    for (size_t i = 0; i < bd->nprojects; i++)
        if ((int)bd->projects[i] == project)
            return true;
    return false;
}

static void edit(struct session *s, const struct election *el, struct action a)
{
    const struct ballot_def *bd = session_def(s, el);
    if (a.arg < 0 || !on_ballot(bd, a.arg))
        return;
    struct ballot *b = session_ballot(s);
    uint32_t p = (uint32_t)a.arg;
    int64_t short_by = 0;
    enum ballot_refusal r = BALLOT_OK;
    if (a.kind == ACT_TOGGLE) {
        if (bd->rule.kind == RULE_RANKING)
            r = ballot_has(b, p) ? ballot_rank_remove(el, b, p) : ballot_rank_append(el, b, p);
        else if (bd->rule.kind == RULE_CUMULATIVE)
            r = ballot_has(b, p) ? ballot_remove_point(el, b, p) : ballot_add_point(el, b, p);
        else
            r = ballot_toggle(el, b, p, &short_by);
    } else if (a.kind == ACT_PLUS) {
        r = ballot_add_point(el, b, p);
    } else {
        r = ballot_remove_point(el, b, p);
    }
    refusal_notice(s, el, r, short_by);
    s->notice_project = a.arg;
}

bool session_apply(struct session *s, const struct election *el, struct action a, uint64_t now_ms)
{
    s->last_input_ms = now_ms;
    if (a.kind != ACT_TOGGLE && a.kind != ACT_PLUS && a.kind != ACT_SCROLL)
        s->notice[0] = '\0';
    bool officials = now_ms < s->officials_until_ms; /* an officials' session is open */
    if (officials && s->screen == SCR_OFFICIAL)
        s->officials_until_ms = now_ms + SESSION_OFFICIALS_MS; /* the menu is in use */
    enum screen was = s->screen;
    switch (a.kind) {
    case ACT_NONE:
        break;
    case ACT_LANG:
        if (s->screen == SCR_WELCOME &&
            (!s->polls_open || (s->attended && !s->enabled) || s->overlay != OV_NONE))
            break; /* not open, or waiting for an official: the welcome screen says so */
        for (int i = 0; i < el->nlangs; i++)
            if ((int)el->langs[i] == a.arg)
                s->lang = (enum lang)a.arg;
        if (s->screen == SCR_OFFICIAL)
            s->staff_lang = s->lang;
        if (s->screen == SCR_WELCOME)
            after_language(s, el);
        break;
    case ACT_ENABLE_ASK:
        /* only between voters: on the welcome screen with nobody enabled (never on the
         * "recorded" screen, which belongs to the voter who just cast) */
        if (!s->attended || !s->polls_open || s->screen != SCR_WELCOME || s->overlay != OV_NONE ||
            s->enabled)
            break;
        reset_keep_display(s, el, now_ms);
        if (!officials) {
            s->overlay = OV_PIN; /* the officials' session ended: the PIN first */
            s->enable_after_pin = true;
        } else if (el->ndistricts) {
            s->overlay = OV_ENABLE;
        } else {
            s->request = REQ_ENABLE, s->enable_district = ENABLE_CITYWIDE;
        }
        break;
    case ACT_ENABLE:
        if (s->attended && s->polls_open && officials &&
            (s->overlay == OV_ENABLE || s->screen == SCR_OFFICIAL) &&
            a.arg >= ENABLE_VOTER_CHOOSES && a.arg < (int)el->ndistricts) {
            s->request = REQ_ENABLE;
            s->enable_district = el->ndistricts ? a.arg : ENABLE_CITYWIDE;
        }
        break;
    case ACT_TOKEN_CHAR:
        if (s->screen == SCR_TOKEN && token_char_ok(a.arg)) {
            size_t n = strlen(s->token_input);
            if (n + 1 < sizeof s->token_input) {
                s->token_input[n] = (char)a.arg;
                s->token_input[n + 1] = '\0';
            }
        }
        break;
    case ACT_TOKEN_ERASE:
        if (s->screen == SCR_TOKEN && s->token_input[0])
            s->token_input[strlen(s->token_input) - 1] = '\0';
        break;
    case ACT_TOKEN_OK:
        if (s->screen == SCR_TOKEN)
            s->request = REQ_TOKEN;
        break;
    case ACT_EXPORT:
        if (s->screen == SCR_OFFICIAL)
            s->request = REQ_EXPORT, s->install_ready = false;
        break;
    case ACT_REPRINT:
        if (s->screen == SCR_OFFICIAL)
            s->request = REQ_REPRINT, s->install_ready = false;
        break;
    case ACT_INSTALL:
        if (s->screen == SCR_OFFICIAL)
            s->request = REQ_INSTALL_CHECK, s->install_ready = false;
        break;
    case ACT_INSTALL_CONFIRM:
        if (s->screen == SCR_OFFICIAL && s->install_ready)
            s->request = REQ_INSTALL, s->install_ready = false;
        break;
    case ACT_DISTRICT:
        if (s->screen == SCR_DISTRICT && a.arg >= -1 && a.arg < (int)el->ndistricts) {
            s->district = a.arg;
            start_ballots(s, el);
        }
        break;
    case ACT_START:
        if (s->screen == SCR_HOWTO && s->ndefs > 0) {
            s->screen = SCR_BALLOT;
            s->cur = 0;
            s->scroll = 0;
        }
        break;
    case ACT_TOGGLE:
    case ACT_PLUS:
    case ACT_MINUS:
        if (s->screen == SCR_BALLOT)
            edit(s, el, a);
        break;
    case ACT_DETAIL:
        if (a.arg >= 0 && (size_t)a.arg < el->nprojects) {
            s->detail = a.arg;
            s->detail_scroll = 0;
            s->overlay = OV_DETAIL;
        }
        break;
    case ACT_CLOSE:
    case ACT_CONTINUE:
        if (s->overlay != OV_FAILED && s->overlay != OV_UNKNOWN) /* staff clear these */
            s->overlay = OV_NONE;
        break;
    case ACT_FILTER:
        s->filter = a.arg >= -1 && a.arg < (int)el->ncategories ? a.arg : -1;
        s->scroll = 0;
        break;
    case ACT_NEXT:
        /* the screen disables Next with the reason while a minimum is not reached */
        if (s->screen == SCR_BALLOT &&
            ballot_check(el, &s->vote.ballots[s->cur], NULL, NULL) == 0) {
            s->scroll = 0;
            s->filter = -1;
            if (s->cur + 1 < s->ndefs)
                s->cur++;
            else
                s->screen = SCR_REVIEW;
        }
        break;
    case ACT_BACK:
        s->scroll = 0;
        if (s->screen == SCR_BALLOT && s->cur > 0)
            s->cur--;
        else if (s->screen == SCR_BALLOT)
            s->screen = SCR_HOWTO;
        else if (s->screen == SCR_REVIEW)
            s->screen = SCR_BALLOT;
        else if (s->screen == SCR_HOWTO && s->token_mode)
            s->screen = SCR_TOKEN, s->token_ok = false, s->ndefs = 0;
        else if (s->screen == SCR_HOWTO)
            s->screen =
                el->ndistricts && !(s->attended && s->enabled_district != ENABLE_VOTER_CHOOSES)
                    ? SCR_DISTRICT
                    : SCR_WELCOME;
        else if (s->screen == SCR_DISTRICT || s->screen == SCR_TOKEN)
            s->screen = SCR_WELCOME;
        break;
    case ACT_CHANGE:
        if (s->screen == SCR_REVIEW && a.arg >= 0 && (uint32_t)a.arg < s->ndefs) {
            s->cur = (uint32_t)a.arg;
            s->screen = SCR_BALLOT;
            s->scroll = 0;
        }
        break;
    case ACT_CONFIRM:
        if (s->screen == SCR_REVIEW) {
            /* the review disables Confirm and names an incomplete ballot */
            for (uint32_t i = 0; i < s->ndefs; i++)
                if (ballot_check(el, &s->vote.ballots[i], NULL, NULL) != 0)
                    return false;
            s->overlay = OV_CONFIRM;
        }
        break;
    case ACT_CAST:
        if (s->screen == SCR_REVIEW && s->overlay == OV_CONFIRM) {
            for (uint32_t i = 0; i < s->ndefs; i++)
                if (ballot_check(el, &s->vote.ballots[i], NULL, NULL) != 0)
                    return false;
            s->overlay = OV_NONE;
            s->request = REQ_CAST;
            return true;
        }
        break;
    case ACT_RECEIPT:
        /* once per cast, by the voter who cast it: the button goes once it is pressed */
        if (s->screen == SCR_DONE && s->overlay == OV_NONE && s->receipts &&
            s->receipt == RECEIPT_NONE && s->tracking[0])
            s->request = REQ_RECEIPT;
        break;
    case ACT_FINISH:
        if (s->screen == SCR_DONE)
            session_reset(s, el, now_ms);
        break;
    case ACT_CANCEL:
        if (s->screen != SCR_WELCOME && s->screen != SCR_DONE)
            s->overlay = OV_CANCEL;
        break;
    case ACT_CANCEL_YES:
        if (s->overlay == OV_CANCEL)
            reset_keep_display(s, el, now_ms); /* an enable is spent: the official enables again */
        break;
    case ACT_LARGER:
        s->text_size = (s->text_size + 1) % TEXT_SIZES;
        break;
    case ACT_CONTRAST:
        s->high_contrast = !s->high_contrast;
        break;
    case ACT_OFFICIAL:
        /* only between voters: never in the middle of someone's vote (a failed cast ends it) */
        if (((s->screen == SCR_WELCOME || s->screen == SCR_DONE) && s->overlay != OV_ENABLE) ||
            s->overlay == OV_FAILED || s->overlay == OV_UNKNOWN) {
            reset_keep_display(s, el, now_ms);
            s->overlay = OV_PIN;
        }
        break;
    case ACT_PIN_DIGIT:
        if (s->overlay == OV_PIN && a.arg >= 0 && a.arg <= 9) {
            size_t n = strlen(s->pin);
            if (n + 1 < sizeof s->pin && n < 16) { /* OFFICIAL_PIN_MAX digits */
                s->pin[n] = (char)('0' + a.arg);
                s->pin[n + 1] = '\0';
            }
        }
        break;
    case ACT_PIN_ERASE:
        if (s->overlay == OV_PIN && s->pin[0])
            s->pin[strlen(s->pin) - 1] = '\0';
        break;
    case ACT_PIN_OK:
        if (s->overlay == OV_PIN && s->pin[0])
            s->request = REQ_PIN;
        break;
    case ACT_POLLS:
        if (s->screen != SCR_OFFICIAL)
            break;
        if (a.arg == POLLS_CLOSE) {
            s->overlay = OV_CLOSE1;
        } else if (a.arg >= POLLS_OPEN && a.arg <= POLLS_RESUME) {
            s->polls_action = (enum polls_action)a.arg;
            s->polls_confirmed = false;
            s->request = REQ_POLLS;
        }
        break;
    case ACT_POLLS_CONFIRM:
        if (s->overlay == OV_CLOCK && s->screen == SCR_OFFICIAL) {
            s->overlay = OV_NONE;
            s->polls_confirmed = true;
            s->request = REQ_POLLS;
        }
        break;
    case ACT_CLOSE_CONFIRM:
        if (s->overlay == OV_CLOSE1) {
            s->overlay = OV_CLOSE2;
        } else if (s->overlay == OV_CLOSE2) {
            s->overlay = OV_NONE;
            s->polls_action = POLLS_CLOSE;
            s->polls_confirmed = false;
            s->request = REQ_POLLS;
        }
        break;
    case ACT_OFFICIAL_EXIT:
        if (s->screen == SCR_OFFICIAL || s->overlay == OV_PIN || s->overlay == OV_ENABLE)
            reset_keep_display(s, el, now_ms);
        break;
    case ACT_SCROLL: {
        int *sc = s->overlay == OV_DETAIL ? &s->detail_scroll : &s->scroll;
        *sc += a.arg;
        if (*sc < 0)
            *sc = 0;
        break;
    }
    }
    if (s->screen != was)
        s->scroll = 0; /* a new screen opens at its top (the welcome may have been scrolled) */
    return false;
}

void session_cast_done(struct session *s, const char *tracking, uint64_t now_ms)
{
    vote_wipe(&s->vote);
    s->ndefs = 0;
    s->enabled = false; /* one enable, one ballot */
    s->token_ok = false;
    sodium_memzero(s->token_hash, sizeof s->token_hash);
    sodium_memzero(s->token_input, sizeof s->token_input);
    snprintf(s->tracking, sizeof s->tracking, "%s", tracking);
    s->receipt = RECEIPT_NONE;
    s->screen = SCR_DONE;
    s->overlay = OV_NONE;
    s->done_since_ms = now_ms;
}

void session_cast_failed(struct session *s, bool known)
{
    s->overlay = known ? OV_FAILED : OV_UNKNOWN;
}

void session_officials_unlocked(struct session *s, uint64_t now_ms)
{
    s->officials_until_ms = now_ms + SESSION_OFFICIALS_MS;
}

void session_enable_done(struct session *s, const struct election *el, bool ok, uint64_t now_ms)
{
    if (!ok)
        return;
    int district = s->enable_district;
    reset_keep_display(s, el, now_ms); /* leaves the officials' menu or dialog, if open */
    s->enabled = true;
    s->enabled_district = el->ndistricts ? district : ENABLE_CITYWIDE;
}

void session_token_result(struct session *s, const struct election *el, int status,
                          int32_t district, const uint8_t hash[TOKEN_HASH_LEN], const char *message)
{
    if (s->screen != SCR_TOKEN)
        return;
    if (status >= 3) /* unknown or spent: nothing to correct, start again */
        sodium_memzero(s->token_input, sizeof s->token_input);
    if (status != 0) {
        snprintf(s->notice, sizeof s->notice, "%s", message ? message : "");
        return;
    }
    s->token_ok = true;
    memcpy(s->token_hash, hash, TOKEN_HASH_LEN);
    s->district = district >= 0 && (size_t)district < el->ndistricts ? district : -1;
    start_ballots(s, el);
}

bool session_tick(struct session *s, const struct election *el, const struct session_config *c,
                  uint64_t now_ms)
{
    if (s->screen == SCR_WELCOME && s->overlay == OV_NONE && s->lang == s->staff_lang)
        return false;
    if (s->screen == SCR_OFFICIAL || s->overlay == OV_PIN || s->overlay == OV_ENABLE) {
        /* an official who walks away is logged out after the idle time */
        if (now_ms - s->last_input_ms >= c->idle_ms) {
            session_reset(s, el, now_ms);
            return true;
        }
        return false;
    }
    if (s->screen == SCR_DONE) {
        if (now_ms - s->done_since_ms >= c->done_ms) {
            session_reset(s, el, now_ms);
            return true;
        }
        return false;
    }
    if (s->overlay == OV_FAILED || s->overlay == OV_UNKNOWN)
        return false; /* staff must see it */
    if (s->overlay != OV_IDLE && now_ms - s->last_input_ms >= c->idle_ms) {
        s->overlay = OV_IDLE;
        s->idle_since_ms = now_ms;
        s->idle_left_s = (uint32_t)((c->idle_warn_ms + 999) / 1000);
    } else if (s->overlay == OV_IDLE && now_ms - s->idle_since_ms >= c->idle_warn_ms) {
        session_reset(s, el, now_ms);
        return true;
    } else if (s->overlay == OV_IDLE) {
        /* the warning counts down, a whole second at a time */
        s->idle_left_s = (uint32_t)((c->idle_warn_ms - (now_ms - s->idle_since_ms) + 999) / 1000);
    }
    return false;
}
