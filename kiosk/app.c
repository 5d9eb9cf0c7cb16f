/* app — window, loop, input and scripts; see app.h. */
#include "app.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <sodium.h>

#include "catalog.h"
#include "keypad.h"
#include "render.h"
#include "ui.h"
#include "util.h"
#include "voice.h"

struct app {
    const struct app_config *cfg;
    SDL_Window *win;
    SDL_Renderer *sdl;
    struct render *render;
    struct ui *ui;
    struct session s;
    int w, h;
    int focused;       /* widget index with keyboard focus, -1 none */
    char focus_id[64]; /* kept across frames by id */
    uint64_t now;      /* ms: virtual in scripts, real otherwise */
    char press_id[64]; /* widget under the finger/mouse at press */
    int press_x, press_y, drag_y;
    uint64_t press_ms;
    bool dragging;
    struct voice voice;           /* the screen read aloud (kiosk/voice) */
    bool blank;                   /* key 9 of the keypad: audio only, the screen shows nothing */
    bool confirm_shown;           /* the last frame laid out showed the vote's confirmation */
    unsigned long casts, enables; /* ballots recorded, voters enabled (attended) */
    char violation[192];          /* a cast refused for want of a confirmation (a bug) */
    bool monkey;                  /* the monkey test runs: the polls are never closed */
};

static void refresh_polls(struct app *a)
{
    const struct app_officials *o = a->cfg->officials;
    a->s.attended = o && a->cfg->eligibility == ELIG_ATTENDED;
    a->s.token_mode = o && o->token && a->cfg->eligibility == ELIG_TOKEN;
    a->s.printing = o && o->reprint;
    int receipt = o && o->receipt && o->receipt_state ? o->receipt_state(o->ctx) : RECEIPT_OFF;
    a->s.receipts = receipt != RECEIPT_OFF;
    if (a->s.screen == SCR_DONE && a->s.receipt == RECEIPT_PRINTING && receipt != RECEIPT_OFF)
        a->s.receipt = receipt; /* printed, or failed: said on the recorded screen */
    if (!o) {
        a->s.polls_open = true;
        a->s.polls_state = 1;
        return;
    }
    /* the status lines (disk, stick, clock) only for the officials' screen: voters' frames
     * need the polls state alone */
    o->status(o->ctx, a->s.lang, &a->s.polls_state,
              a->s.screen == SCR_OFFICIAL ? a->s.status : NULL);
    a->s.polls_open = a->s.polls_state == 1;
}

static void layout(struct app *a)
{
    refresh_polls(a);
    ui_build(a->ui, &a->s, a->cfg->el, a->w, a->h, a->cfg->demo, render_measure, a->render);
    /* keep the scroll within the content */
    int max_scroll = a->ui->content_h - a->ui->clip.h;
    if (max_scroll < 0)
        max_scroll = 0;
    int *sc = a->s.overlay == OV_DETAIL ? &a->s.detail_scroll : &a->s.scroll;
    if (*sc > max_scroll) {
        *sc = max_scroll;
        ui_build(a->ui, &a->s, a->cfg->el, a->w, a->h, a->cfg->demo, render_measure, a->render);
    }
    a->focused = a->focus_id[0] ? ui_find(a->ui, a->focus_id) : -1;
    a->confirm_shown = a->s.overlay == OV_CONFIRM && ui_find(a->ui, "dialog-yes") >= 0;
}

static void draw(struct app *a)
{
    layout(a);
    if (a->blank) {
        /* audio only: nobody reads the ballot over the voter's shoulder */
        SDL_SetRenderDrawColor(a->sdl, 0, 0, 0, 255);
        SDL_RenderClear(a->sdl);
        SDL_RenderPresent(a->sdl);
        return;
    }
    render_prepare(a->render, a->ui, a->s.high_contrast);
    /* no clear: the background panel covers the whole window */
    render_frame(a->render, a->ui, a->focused, a->s.high_contrast);
    SDL_RenderPresent(a->sdl);
}

/* Serves the request an action left in the session (it may leave another one). */
static void serve(struct app *a, const struct app_officials *o)
{
    const struct election *el = a->cfg->el;
    enum request rq = a->s.request;
    a->s.request = REQ_NONE;
    if (rq == REQ_PIN) {
        int ok =
            o ? o->pin(o->ctx, a->s.pin, a->s.lang, a->s.official_msg, sizeof a->s.official_msg)
              : 0;
        sodium_memzero(a->s.pin, sizeof a->s.pin);
        if (ok == 1) {
            bool enable = a->s.enable_after_pin;
            session_officials_unlocked(&a->s, a->now);
            a->s.overlay = OV_NONE;
            a->s.official_msg[0] = '\0';
            a->s.enable_after_pin = false;
            if (enable) /* F9 asked for the PIN: back to enabling the voter */
                session_apply(&a->s, el, (struct action){ACT_ENABLE_ASK, 0}, a->now);
            else
                a->s.screen = SCR_OFFICIAL;
        }
    } else if (rq == REQ_POLLS && o) {
        int r = o->polls(o->ctx, a->s.polls_action, a->s.polls_confirmed, a->s.lang,
                         a->s.official_msg, sizeof a->s.official_msg);
        a->s.polls_confirmed = false;
        if (r == 1)
            a->s.overlay = OV_CLOCK; /* the warning is in official_msg: confirm or go back */
        refresh_polls(a);
    } else if (rq == REQ_ENABLE && o && o->enable) {
        char why[sizeof a->s.official_msg];
        int r = o->enable(o->ctx, a->s.lang, why, sizeof why);
        session_enable_done(&a->s, el, r == 0, a->now);
        a->enables += r == 0;
        if (r != 0)
            snprintf(a->s.official_msg, sizeof a->s.official_msg, "%s", why);
    } else if (rq == REQ_TOKEN && o && o->token) {
        int32_t district = -1;
        uint8_t hash[TOKEN_HASH_LEN] = {0};
        char why[NOTICE_MAX] = "";
        int st = o->token(o->ctx, a->s.token_input, a->s.lang, &district, hash, why, sizeof why);
        session_token_result(&a->s, el, st, district, hash, why);
        sodium_memzero(hash, sizeof hash);
    } else if ((rq == REQ_INSTALL_CHECK || rq == REQ_INSTALL) && o && o->install) {
        bool confirm = rq == REQ_INSTALL;
        int ok =
            o->install(o->ctx, confirm, a->s.lang, a->s.official_msg, sizeof a->s.official_msg);
        a->s.install_ready = !confirm && ok == 1;
    } else if (rq == REQ_EXPORT && o && o->export) {
        o->export(o->ctx, a->s.lang, a->s.official_msg, sizeof a->s.official_msg);
        refresh_polls(a);
    } else if (rq == REQ_REPRINT && o && o->reprint) {
        o->reprint(o->ctx, a->s.lang, a->s.official_msg, sizeof a->s.official_msg);
    } else if (rq == REQ_RECEIPT && o && o->receipt) {
        a->s.receipt = o->receipt(o->ctx, a->s.tracking, a->s.lang);
    }
}

/* The "recorded" screen was left: the voter saw the code (the station may forget the cast). */
static void after_done(struct app *a, enum screen before)
{
    const struct app_officials *o = a->cfg->officials;
    if (before == SCR_DONE && a->s.screen != SCR_DONE && o && o->cast_seen)
        o->cast_seen(o->ctx);
}

static void apply(struct app *a, struct action act)
{
    const struct election *el = a->cfg->el;
    enum screen before = a->s.screen;
    enum overlay before_ov = a->s.overlay;
    uint32_t before_cur = a->s.cur;
    if (a->monkey && ((act.kind == ACT_POLLS && act.arg == POLLS_CLOSE) ||
                      act.kind == ACT_CLOSE_CONFIRM || act.kind == ACT_INSTALL_CONFIRM))
        return; /* the monkey is a voter and a careless official, but never ends the polls */
    /* a ballot is cast only from the confirmation a voter saw and answered "yes" to */
    bool confirmed =
        a->confirm_shown && before == SCR_REVIEW && before_ov == OV_CONFIRM && act.kind == ACT_CAST;
    refresh_polls(a);
    a->s.request = REQ_NONE;
    bool cast = session_apply(&a->s, el, act, a->now);
    if (cast && !confirmed) {
        /* a bug, never a voter's doing: nothing is cast and the voter is told so */
        snprintf(a->violation, sizeof a->violation,
                 "a ballot was to be cast without its confirmation on screen (screen %d, "
                 "dialog %d, action %d)",
                 (int)before, (int)before_ov, (int)act.kind);
        fprintf(stderr, "isoloir-kiosk: %s: it was not cast\n", a->violation);
        cast = false;
        a->s.request = REQ_NONE;
        session_cast_failed(&a->s, true);
    }
    const struct app_officials *o = a->cfg->officials;
    for (int guard = 0; a->s.request != REQ_NONE && guard < 4; guard++)
        serve(a, o);
    a->s.request = REQ_NONE;
    if (cast) {
        char tracking[64] = "";
        struct err e = {0};
        int outcome = a->cfg->cast ? a->cfg->cast(a->cfg->cast_ctx, &a->s.vote,
                                                  a->s.token_mode ? a->s.token_hash : NULL,
                                                  tracking, sizeof tracking, &e)
                                   : CAST_NOT_RECORDED;
        if (outcome == CAST_RECORDED) {
            a->casts++;
            session_cast_done(&a->s, tracking, a->now);
        } else {
            /* never "recorded" unless the journal holds it; staff are called */
            fprintf(stderr, "isoloir-kiosk: the vote was %s: %s\n",
                    outcome == CAST_NOT_RECORDED ? "not recorded" : "perhaps not recorded",
                    a->cfg->cast ? e.msg : "no journal");
            session_cast_failed(&a->s, outcome == CAST_NOT_RECORDED);
        }
    }
    after_done(a, before);
    if ((act.kind == ACT_TOGGLE || act.kind == ACT_PLUS) && a->s.notice[0] && act.arg >= 0 &&
        (size_t)act.arg < el->nprojects && a->s.screen == SCR_BALLOT) {
        /* refused: the card, which now says why, comes into view from its title */
        char id[80];
        snprintf(id, sizeof id, "card-%s", el->projects[act.arg].id);
        layout(a);
        a->s.scroll = ui_reveal(a->ui, ui_find(a->ui, id), a->s.scroll);
    }
    if (a->s.screen != before || a->s.overlay != before_ov || a->s.cur != before_cur)
        a->focus_id[0] = '\0'; /* a new screen or dialog: focus starts again from its top */
}

/* Keeps the focused widget visible inside the scrolling list. */
static void reveal(struct app *a)
{
    if (a->focused < 0)
        return;
    const struct widget *w = &a->ui->w[a->focused];
    if (!(w->flags & W_CLIPPED))
        return;
    if (w->r.y < a->ui->clip.y)
        a->s.scroll -= a->ui->clip.y - w->r.y + a->ui->pad;
    else if (w->r.y + w->r.h > a->ui->clip.y + a->ui->clip.h)
        a->s.scroll += w->r.y + w->r.h - (a->ui->clip.y + a->ui->clip.h) + a->ui->pad;
    if (a->s.scroll < 0)
        a->s.scroll = 0;
}

static void focus_move(struct app *a, int dir)
{
    layout(a);
    int i = ui_focus_step(a->ui, a->focused, dir);
    if (i >= 0) {
        snprintf(a->focus_id, sizeof a->focus_id, "%s", a->ui->w[i].id);
        a->focused = i;
        reveal(a);
    }
}

static void key(struct app *a, SDL_Keycode k, bool shift)
{
    a->s.last_input_ms = a->now;
    switch (k) {
    case SDLK_TAB:
        focus_move(a, shift ? -1 : 1);
        break;
    case SDLK_RIGHT:
    case SDLK_DOWN:
        focus_move(a, 1);
        break;
    case SDLK_LEFT:
    case SDLK_UP:
        focus_move(a, -1);
        break;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE:
        layout(a);
        if (a->focused >= 0)
            apply(a, a->ui->w[a->focused].act);
        else if (a->s.screen == SCR_TOKEN && k != SDLK_SPACE)
            apply(a, (struct action){ACT_TOKEN_OK, 0}); /* a scanner ends the code with Enter */
        break;
    case SDLK_BACKSPACE:
        apply(a, (struct action){ACT_TOKEN_ERASE, 0});
        break;
    case SDLK_F9:
        apply(a, (struct action){ACT_ENABLE_ASK, 0});
        break;
    case SDLK_ESCAPE:
        apply(a, (struct action){a->s.overlay != OV_NONE ? ACT_CLOSE : ACT_BACK, 0});
        break;
    case SDLK_F12:
        apply(a, (struct action){ACT_OFFICIAL, 0});
        break;
    case SDLK_PAGEDOWN:
        apply(a, (struct action){ACT_SCROLL, a->h / 2});
        break;
    case SDLK_PAGEUP:
        apply(a, (struct action){ACT_SCROLL, -a->h / 2});
        break;
    default:
        break; /* every other key does nothing */
    }
}

/* Says what changed since the last input (kiosk/voice); a new voter starts from silence. */
static void speak(struct app *a)
{
    if (!a->cfg->speech)
        return;
    layout(a);
    if (a->s.screen == SCR_WELCOME && a->voice.screen != SCR_WELCOME && a->voice.screen >= 0) {
        voice_reset(&a->voice); /* the voter left: the next one hears and sees the kiosk anew */
        a->blank = false;
    }
    voice_update(&a->voice, a->ui, &a->s, a->focused);
}

static void say_number(struct app *a, enum msg m, int value)
{
    char text[128];
    snprintf(text, sizeof text, msg(m, a->s.lang), (unsigned)value);
    voice_say(&a->voice, a->s.lang, text);
}

/* The buttons of the bar at the top of every voter screen. */
static bool chrome(const char *id)
{
    return !strncmp(id, "lang-", 5) || !strcmp(id, "contrast") || !strcmp(id, "larger") ||
           !strcmp(id, "cancel");
}

/* On the welcome screen, while its language buttons are up, key N of the keypad chooses the
 * election's Nth language (1 French, 2 Dutch, 3 English in the demo), as the welcome says in
 * each language's voice: a voter who understands only one of them needs no other key. */
static bool welcome_language(struct app *a, SDL_Scancode sc)
{
    if (a->s.screen != SCR_WELCOME || a->s.overlay != OV_NONE || sc < SDL_SCANCODE_KP_1 ||
        sc > SDL_SCANCODE_KP_9)
        return false;
    int n = (int)(sc - SDL_SCANCODE_KP_1);
    const struct election *el = a->cfg->el;
    if (n >= el->nlangs)
        return false;
    layout(a);
    char id[16];
    snprintf(id, sizeof id, "lang-%s", lang_code(el->langs[n]));
    int i = ui_find(a->ui, id);
    if (i < 0 || (a->ui->w[i].flags & W_DISABLED))
        return false; /* waiting for an official, or polls not open: the key keeps its use */
    a->s.last_input_ms = a->now;
    apply(a, a->ui->w[i].act);
    return true;
}

/* The tactile keypad (kiosk/keypad): returns false for a key that is not the keypad's. On
 * the officials' PIN keypad, digit keys type the PIN; on the voter-card screen the keypad's
 * digits type the code (as text input) and only Enter and the sound keys act. */
static bool pad(struct app *a, SDL_Scancode sc)
{
    char digit = keypad_digit(sc);
    if (a->s.overlay == OV_PIN && digit) {
        char id[8] = {'p', 'i', 'n', '-', digit, '\0'};
        layout(a);
        int i = ui_find(a->ui, id);
        if (i >= 0)
            apply(a, a->ui->w[i].act);
        a->s.last_input_ms = a->now;
        return true;
    }
    if (welcome_language(a, sc))
        return true;
    enum keypad_action k = keypad_action(sc);
    if (k == KP_NONE)
        return false;
    if (a->s.screen == SCR_TOKEN && digit && k != KP_SELECT)
        return false;
    a->s.last_input_ms = a->now;
    struct speech *sp = a->cfg->speech;
    layout(a);
    switch (k) {
    case KP_UP:
        focus_move(a, -1);
        break;
    case KP_DOWN:
        if (a->focused < 0) {
            /* the first press on a screen goes past the bar every screen shares (languages,
             * contrast, text size, cancel) to the screen's own content; 8 reaches the bar */
            int first = ui_focus_step(a->ui, -1, 1), i = first;
            while (i >= 0 && chrome(a->ui->w[i].id)) {
                i = ui_focus_step(a->ui, i, 1);
                if (i == first)
                    break;
            }
            if (i >= 0) {
                a->focused = i;
                snprintf(a->focus_id, sizeof a->focus_id, "%s", a->ui->w[i].id);
                reveal(a);
                break;
            }
        }
        focus_move(a, 1);
        break;
    case KP_LEFT:
        apply(a, (struct action){a->s.overlay != OV_NONE ? ACT_CLOSE : ACT_BACK, 0});
        break;
    case KP_RIGHT: {
        int i = ui_find(a->ui, "next");
        int why = ui_find(a->ui, "why-next");
        if (i >= 0 && !(a->ui->w[i].flags & W_DISABLED))
            apply(a, a->ui->w[i].act);
        else if (why >= 0) /* Next waits for a minimum: say which */
            voice_say(&a->voice, a->s.lang, a->ui->w[why].text);
        else
            voice_say(&a->voice, a->s.lang, msg(M_SAY_NO_NEXT, a->s.lang));
        break;
    }
    case KP_SELECT:
        if (a->focused >= 0)
            apply(a, a->ui->w[a->focused].act);
        else if (a->s.screen == SCR_TOKEN)
            apply(a, (struct action){ACT_TOKEN_OK, 0});
        break;
    case KP_HELP:
        voice_help(&a->voice, a->ui, &a->s, a->focused);
        break;
    case KP_REPEAT:
        if (sp)
            speech_repeat(sp);
        break;
    case KP_VOLUME_UP:
    case KP_VOLUME_DOWN:
        if (sp)
            say_number(a, M_SAY_VOLUME, speech_volume_step(sp, k == KP_VOLUME_UP ? 1 : -1));
        break;
    case KP_RATE_UP:
    case KP_RATE_DOWN:
        if (sp)
            say_number(a, M_SAY_RATE, speech_rate_step(sp, k == KP_RATE_UP ? 1 : -1));
        break;
    case KP_SCREEN:
        a->blank = !a->blank;
        voice_say(&a->voice, a->s.lang,
                  msg(a->blank ? M_SAY_SCREEN_OFF : M_SAY_SCREEN_ON, a->s.lang));
        break;
    case KP_SPEECH:
        a->voice.off = !a->voice.off;
        if (a->voice.off && sp)
            speech_stop(sp);
        else
            voice_say(&a->voice, a->s.lang, msg(M_SAY_SPEECH_ON, a->s.lang));
        break;
    case KP_NONE:
        break;
    }
    return true;
}

/* Text from a keyboard or a scanner that acts as one: only the voter-card code takes it. */
static void typed(struct app *a, const char *text)
{
    a->s.last_input_ms = a->now;
    for (const char *p = text; *p; p++)
        if (a->s.screen == SCR_TOKEN)
            apply(a, (struct action){ACT_TOKEN_CHAR, (unsigned char)*p});
}

/* A tap counts if it starts and ends on the same widget; a drag scrolls instead. */
static void press(struct app *a, int x, int y)
{
    layout(a);
    int i = ui_hit(a->ui, x, y);
    snprintf(a->press_id, sizeof a->press_id, "%s", i >= 0 ? a->ui->w[i].id : "");
    a->press_x = x, a->press_y = y, a->drag_y = y;
    a->press_ms = a->now;
    a->dragging = false;
    a->s.last_input_ms = a->now;
}

static void motion(struct app *a, int y)
{
    int threshold = a->ui->unit * 2;
    if (!a->dragging && abs(y - a->press_y) > threshold)
        a->dragging = true;
    if (a->dragging) {
        apply(a, (struct action){ACT_SCROLL, a->drag_y - y});
        a->drag_y = y;
    }
}

static void release(struct app *a, int x, int y)
{
    /* a 3-second press in the top-left corner opens the officials' keypad */
    if (a->now - a->press_ms >= 3000 && a->press_x < a->w / 8 && a->press_y < a->h / 8 &&
        x < a->w / 8 && y < a->h / 8) {
        a->press_id[0] = '\0';
        a->dragging = false;
        apply(a, (struct action){ACT_OFFICIAL, 0});
        return;
    }
    if (!a->dragging && a->press_id[0]) {
        layout(a);
        int i = ui_hit(a->ui, x, y);
        if (i >= 0 && strcmp(a->ui->w[i].id, a->press_id) == 0) {
            a->focus_id[0] = '\0';
            apply(a, a->ui->w[i].act);
        }
    }
    a->press_id[0] = '\0';
    a->dragging = false;
}

static void handle(struct app *a, const SDL_Event *ev, bool *quit)
{
    switch (ev->type) {
    case SDL_QUIT:
        if (a->cfg->windowed)
            *quit = true; /* a desktop window may close; the kiosk ignores it */
        break;
    case SDL_KEYDOWN:
        if (!pad(a, ev->key.keysym.scancode))
            key(a, ev->key.keysym.sym, ev->key.keysym.mod & KMOD_SHIFT);
        break;
    case SDL_TEXTINPUT:
        typed(a, ev->text.text);
        break;
    case SDL_FINGERDOWN:
        press(a, (int)(ev->tfinger.x * a->w), (int)(ev->tfinger.y * a->h));
        break;
    case SDL_FINGERMOTION:
        motion(a, (int)(ev->tfinger.y * a->h));
        break;
    case SDL_FINGERUP:
        release(a, (int)(ev->tfinger.x * a->w), (int)(ev->tfinger.y * a->h));
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.which != SDL_TOUCH_MOUSEID && ev->button.button == SDL_BUTTON_LEFT)
            press(a, ev->button.x, ev->button.y);
        break;
    case SDL_MOUSEMOTION:
        if (ev->motion.which != SDL_TOUCH_MOUSEID && (ev->motion.state & SDL_BUTTON_LMASK))
            motion(a, ev->motion.y);
        break;
    case SDL_MOUSEBUTTONUP:
        if (ev->button.which != SDL_TOUCH_MOUSEID && ev->button.button == SDL_BUTTON_LEFT)
            release(a, ev->button.x, ev->button.y);
        break;
    case SDL_MOUSEWHEEL:
        apply(a, (struct action){ACT_SCROLL, -ev->wheel.y * a->ui->unit * 8});
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            SDL_GetRendererOutputSize(a->sdl, &a->w, &a->h);
        break;
    default:
        break;
    }
}

/* ---- scripts ------------------------------------------------------------------------------ */

/* shot: NAME.png and NAME.txt; describe (png false): NAME.txt only, much cheaper. */
static int shot(struct app *a, const char *name, bool png, struct err *e)
{
    draw(a);
    const char *dir = a->cfg->shots_dir ? a->cfg->shots_dir : ".";
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    int rc = png ? render_screenshot(a->sdl, path, e) : 0;
    if (rc)
        return rc;
    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return err_errno(e, "cannot write %s", path);
    fprintf(f, "screen %d overlay %d lang %s size %dx%d\n", a->s.screen, a->s.overlay,
            lang_code(a->s.lang), a->w, a->h);
    ui_describe(a->ui, a->focused, f);
    if (a->ui->overflow || render_text_overflows(a->render))
        fprintf(f, "OVERFLOW\n");
    fclose(f);
    return 0;
}

static SDL_Keycode key_named(const char *n)
{
    static const struct {
        const char *name;
        SDL_Keycode k;
    } K[] = {{"Tab", SDLK_TAB},
             {"Return", SDLK_RETURN},
             {"Enter", SDLK_RETURN},
             {"Escape", SDLK_ESCAPE},
             {"Left", SDLK_LEFT},
             {"Right", SDLK_RIGHT},
             {"Up", SDLK_UP},
             {"Down", SDLK_DOWN},
             {"Space", SDLK_SPACE},
             {"PageDown", SDLK_PAGEDOWN},
             {"PageUp", SDLK_PAGEUP},
             {"F4", SDLK_F4},
             {"F12", SDLK_F12},
             {"F9", SDLK_F9},
             {"Backspace", SDLK_BACKSPACE},
             {"q", SDLK_q}};
    for (size_t i = 0; i < ARRAY_LEN(K); i++)
        if (strcmp(n, K[i].name) == 0)
            return K[i].k;
    return SDLK_UNKNOWN;
}

/* A finger down and up at (x, y), hold_ms apart. */
static void finger(struct app *a, int x, int y, uint64_t hold_ms)
{
    SDL_Event ev = {0};
    bool quit = false;
    ev.type = SDL_FINGERDOWN;
    ev.tfinger.x = (float)x / (float)a->w, ev.tfinger.y = (float)y / (float)a->h;
    handle(a, &ev, &quit);
    a->now += hold_ms;
    ev.type = SDL_FINGERUP;
    handle(a, &ev, &quit);
}

/* Taps widget i at its centre, scrolled into view first as a person would. */
static void tap_widget(struct app *a, int i)
{
    const struct widget *w = &a->ui->w[i];
    if ((w->flags & W_CLIPPED) &&
        (w->r.y < a->ui->clip.y || w->r.y + w->r.h / 2 >= a->ui->clip.y + a->ui->clip.h)) {
        char id[sizeof w->id];
        snprintf(id, sizeof id, "%s", w->id);
        a->s.scroll += w->r.y - a->ui->clip.y - a->ui->pad;
        if (a->s.scroll < 0)
            a->s.scroll = 0;
        layout(a);
        i = ui_find(a->ui, id);
        if (i < 0)
            return;
        w = &a->ui->w[i];
    }
    finger(a, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2, 0);
}

/* tap ID | tap X Y: finger down and up at the widget's centre (it must be hittable there). */
static int script_tap(struct app *a, const char *arg, int lineno, struct err *e)
{
    int x, y;
    if (sscanf(arg, "%d %d", &x, &y) == 2) {
        finger(a, x, y, 0);
        return 0;
    }
    layout(a);
    int i = ui_find(a->ui, arg);
    if (i < 0)
        return err_set(e, 1, "script line %d: no widget \"%s\" on this screen", lineno, arg);
    tap_widget(a, i);
    return 0;
}

static int script_expect(struct app *a, const char *arg, int lineno, struct err *e)
{
    char id[64], state[32];
    if (sscanf(arg, "%63s %31s", id, state) != 2)
        return err_set(e, 1, "script line %d: expect ID STATE", lineno);
    layout(a);
    int i = ui_find(a->ui, id);
    bool ok;
    if (strcmp(state, "absent") == 0)
        ok = i < 0;
    else if (i < 0)
        ok = false;
    else if (strcmp(state, "present") == 0)
        ok = true;
    else if (strcmp(state, "selected") == 0)
        ok = a->ui->w[i].flags & W_SELECTED;
    else if (strcmp(state, "unselected") == 0)
        ok = !(a->ui->w[i].flags & W_SELECTED);
    else if (strcmp(state, "focused") == 0)
        ok = i == a->focused;
    else
        return err_set(e, 1, "script line %d: unknown state %s", lineno, state);
    if (!ok)
        return err_set(e, 1, "script line %d: expected %s to be %s", lineno, id, state);
    return 0;
}

/* ---- the monkey (tests/kiosk/monkey.sh) ---------------------------------------------------- */

/* `monkey SEED EVENTS PIN SUPERVISOR-PIN`: random touches (anywhere, and on the widgets of the
 * frame), keys (the voter's keypad, a keyboard, F-keys), typed text, drags, long presses and
 * waiting, as careless voters and officials would; now and then an official enables the next voter
 * (F9, the PIN when asked). After every event the invariants below are checked; the first one
 * broken ends the script with the seed, the event and the script line that replays it. */
struct monkey {
    uint64_t seed, state;
    const char *pin, *supervisor;
    unsigned long event;
    char what[96]; /* the last event, for the report */
};

static unsigned monkey_below(struct monkey *m, unsigned n)
{
    /* splitmix64: small, and the same sequence on every platform */
    uint64_t z = (m->state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    return n ? (unsigned)(z % n) : 0;
}

static void monkey_key(struct app *a, SDL_Scancode sc, bool shift)
{
    SDL_Event ev = {0};
    bool quit = false;
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.scancode = sc;
    ev.key.keysym.sym = SDL_GetKeyFromScancode(sc);
    ev.key.keysym.mod = shift ? KMOD_LSHIFT : KMOD_NONE;
    handle(a, &ev, &quit);
}

/* Taps the widget whose id starts with prefix (a random one of them); false if none. */
static bool monkey_tap_prefix(struct app *a, struct monkey *m, const char *prefix)
{
    layout(a);
    int found[UI_MAX_WIDGETS], n = 0;
    for (size_t i = 0; i < a->ui->n; i++)
        if (a->ui->w[i].act.kind != ACT_NONE && !strncmp(a->ui->w[i].id, prefix, strlen(prefix)))
            found[n++] = (int)i;
    if (n == 0)
        return false;
    int i = found[monkey_below(m, (unsigned)n)];
    snprintf(m->what, sizeof m->what, "tap %s", a->ui->w[i].id);
    tap_widget(a, i);
    return true;
}

/* An official's move between voters: F9, the PIN if asked, a district. */
static bool monkey_official(struct app *a, struct monkey *m)
{
    const struct session *s = &a->s;
    if (s->overlay == OV_PIN && monkey_below(m, 3)) {
        /* the PIN; if the monkey's wrong ones locked the keypad, the supervisor's lifts it */
        for (int k = 0; k < 2 && s->overlay == OV_PIN; k++) {
            for (size_t g = 0; g < sizeof a->s.pin && a->s.pin[0]; g++)
                monkey_tap_prefix(a, m, "pin-erase");
            for (const char *p = k ? m->supervisor : m->pin; *p; p++) {
                char id[8] = {'p', 'i', 'n', '-', *p, '\0'};
                monkey_tap_prefix(a, m, id);
            }
            monkey_tap_prefix(a, m, "pin-ok");
        }
        snprintf(m->what, sizeof m->what, "the PIN");
        return true;
    }
    if (s->overlay == OV_ENABLE)
        return monkey_tap_prefix(a, m, "enable-");
    if (s->screen == SCR_WELCOME && s->overlay == OV_NONE && s->attended && !s->enabled &&
        s->polls_open && monkey_below(m, 2) == 0) {
        snprintf(m->what, sizeof m->what, "key F9");
        monkey_key(a, SDL_SCANCODE_F9, false);
        return true;
    }
    return false;
}

static const SDL_Scancode MONKEY_KEYS[] = {
    /* the voter's keypad (its arrows and select more often than the rest) */
    SDL_SCANCODE_KP_0, SDL_SCANCODE_KP_1, SDL_SCANCODE_KP_2, SDL_SCANCODE_KP_3, SDL_SCANCODE_KP_4,
    SDL_SCANCODE_KP_5, SDL_SCANCODE_KP_6, SDL_SCANCODE_KP_7, SDL_SCANCODE_KP_8, SDL_SCANCODE_KP_9,
    SDL_SCANCODE_KP_PERIOD, SDL_SCANCODE_KP_PLUS, SDL_SCANCODE_KP_MINUS, SDL_SCANCODE_KP_MULTIPLY,
    SDL_SCANCODE_KP_DIVIDE, SDL_SCANCODE_KP_ENTER, SDL_SCANCODE_KP_2, SDL_SCANCODE_KP_5,
    SDL_SCANCODE_KP_6, SDL_SCANCODE_KP_8, SDL_SCANCODE_KP_4, SDL_SCANCODE_KP_ENTER,
    /* a keyboard */
    SDL_SCANCODE_TAB, SDL_SCANCODE_RETURN, SDL_SCANCODE_ESCAPE, SDL_SCANCODE_LEFT,
    SDL_SCANCODE_RIGHT, SDL_SCANCODE_UP, SDL_SCANCODE_DOWN, SDL_SCANCODE_SPACE, SDL_SCANCODE_PAGEUP,
    SDL_SCANCODE_PAGEDOWN, SDL_SCANCODE_BACKSPACE, SDL_SCANCODE_0, SDL_SCANCODE_1, SDL_SCANCODE_5,
    SDL_SCANCODE_9, SDL_SCANCODE_A, SDL_SCANCODE_Q, SDL_SCANCODE_DELETE, SDL_SCANCODE_LALT,
    SDL_SCANCODE_LGUI,
    /* F-keys: F9 enables a voter, F12 the officials' PIN */
    SDL_SCANCODE_F1, SDL_SCANCODE_F2, SDL_SCANCODE_F3, SDL_SCANCODE_F4, SDL_SCANCODE_F5,
    SDL_SCANCODE_F6, SDL_SCANCODE_F7, SDL_SCANCODE_F8, SDL_SCANCODE_F9, SDL_SCANCODE_F10,
    SDL_SCANCODE_F11, SDL_SCANCODE_F12};

static void monkey_event(struct app *a, struct monkey *m)
{
    unsigned r = monkey_below(m, 100);
    if (r < 20 && monkey_official(a, m))
        return;
    if (r < 32) { /* a voter who wants to get on: a button that moves forward, if any */
        static const char *const FORWARD[] = {"next",          "dialog-", "lang-",   "district-",
                                              "idle-continue", "choose-", "choose-", "choose-",
                                              "plus-",         "plus-",   "plus-"};
        const char *f = FORWARD[monkey_below(m, ARRAY_LEN(FORWARD))];
        if (!strcmp(f, "dialog-")) /* go on: yes to the vote, no to cancelling it */
            f = a->s.overlay == OV_CANCEL ? "dialog-no" : "dialog-yes";
        if (!monkey_tap_prefix(a, m, f))
            monkey_tap_prefix(a, m, "");
    } else if (r < 50) { /* a widget of the frame, touched at its centre */
        monkey_tap_prefix(a, m, "");
    } else if (r < 58) { /* anywhere */
        int x = (int)monkey_below(m, (unsigned)a->w), y = (int)monkey_below(m, (unsigned)a->h);
        snprintf(m->what, sizeof m->what, "tap %d,%d", x, y);
        finger(a, x, y, 0);
    } else if (r < 84) {
        SDL_Scancode sc = MONKEY_KEYS[monkey_below(m, ARRAY_LEN(MONKEY_KEYS))];
        bool shift = monkey_below(m, 8) == 0;
        snprintf(m->what, sizeof m->what, "key %s%s", shift ? "Shift+" : "",
                 SDL_GetScancodeName(sc));
        monkey_key(a, sc, shift);
    } else if (r < 88) { /* a drag up or down */
        int x = (int)monkey_below(m, (unsigned)a->w), y1 = (int)monkey_below(m, (unsigned)a->h),
            y2 = (int)monkey_below(m, (unsigned)a->h);
        snprintf(m->what, sizeof m->what, "drag %d,%d to %d,%d", x, y1, x, y2);
        press(a, x, y1);
        for (int k = 1; k <= 4; k++)
            motion(a, y1 + (y2 - y1) * k / 4);
        release(a, x, y2);
    } else if (r < 90) { /* a long press, sometimes in the officials' corner */
        int x = (int)monkey_below(m, (unsigned)a->w / 4),
            y = (int)monkey_below(m, (unsigned)a->h / 4);
        snprintf(m->what, sizeof m->what, "hold %d,%d", x, y);
        finger(a, x, y, 3000 + monkey_below(m, 2000));
    } else if (r < 93) { /* typed text: a voter-card code, or nonsense */
        static const char *const TEXT[] = {"7", "K", "-", "ABCD-EFGH", "é", " ", "0000-0000-0000"};
        const char *t = TEXT[monkey_below(m, ARRAY_LEN(TEXT))];
        snprintf(m->what, sizeof m->what, "type \"%s\"", t);
        typed(a, t);
    } else { /* time passes: mostly seconds, now and then past the idle limits */
        uint64_t ms = monkey_below(m, 10) ? monkey_below(m, 5000) : monkey_below(m, 200000);
        snprintf(m->what, sizeof m->what, "wait %llu ms", (unsigned long long)ms);
        for (uint64_t t = 0; t < ms; t += 250) {
            a->now += ms - t < 250 ? ms - t : 250;
            enum screen was = a->s.screen;
            session_tick(&a->s, a->cfg->el, &a->cfg->session, a->now);
            after_done(a, was);
        }
    }
}

/* The ballot is within its rule: on the ballot, no project twice, and never over a maximum
 * (a minimum may still be missing while the voter fills it). NULL, or what is wrong. */
static const char *monkey_ballot_wrong(const struct election *el, const struct ballot *b)
{
    if (b->def >= el->nballots || b->nentries > BALLOT_MAX_CHOICES)
        return "a ballot of no definition";
    const struct ballot_def *bd = &el->ballots[b->def];
    const struct rule *r = &bd->rule;
    int64_t cost = 0;
    uint32_t points = 0;
    for (uint32_t i = 0; i < b->nentries; i++) {
        const struct ballot_entry *x = &b->entries[i];
        bool on = false;
        for (size_t k = 0; k < bd->nprojects; k++)
            on |= bd->projects[k] == x->project;
        if (!on)
            return "a project that is not on the ballot";
        for (uint32_t j = 0; j < i; j++)
            if (b->entries[j].project == x->project)
                return "a project chosen twice";
        cost += el->projects[x->project].cost;
        points += x->value;
        if (r->kind == RULE_RANKING && x->value != i + 1)
            return "ranks that are not 1, 2, 3…";
        if ((r->kind == RULE_APPROVAL || r->kind == RULE_KNAPSACK) && x->value != 1)
            return "a choice worth more than 1";
        if (r->kind == RULE_CUMULATIVE && (x->value == 0 || x->value > r->max_per_project))
            return "points on a project beyond its maximum";
    }
    if ((r->kind == RULE_APPROVAL || r->kind == RULE_RANKING) && b->nentries > r->max)
        return "more projects than the maximum";
    if (r->kind == RULE_KNAPSACK && cost > bd->budget)
        return "over the budget (a negative budget left)";
    if (r->kind == RULE_CUMULATIVE && points > r->points)
        return "more points than the voter has";
    return NULL;
}

/* The invariants after every event: NULL, or what is broken. */
static const char *monkey_wrong(struct app *a, char *why, size_t size)
{
    const struct session *s = &a->s;
    const struct election *el = a->cfg->el;
    if (a->violation[0])
        return a->violation;
    bool lang_ok = false;
    for (int i = 0; i < el->nlangs; i++)
        lang_ok |= el->langs[i] == s->lang;
    if (!lang_ok)
        return "the session's language is not one of the election's";
    if ((unsigned)s->screen > SCR_OFFICIAL || (unsigned)s->overlay > OV_CLOCK)
        return "no such screen or dialog";
    bool voting = s->screen == SCR_DISTRICT || s->screen == SCR_HOWTO || s->screen == SCR_BALLOT ||
                  s->screen == SCR_REVIEW;
    if (voting && s->attended && !s->enabled)
        return "a vote in progress that no official enabled";
    if ((s->screen == SCR_BALLOT || s->screen == SCR_REVIEW) &&
        (s->ndefs == 0 || s->cur >= s->ndefs || s->vote.nballots != s->ndefs))
        return "a ballot screen without its ballots";
    for (uint32_t i = 0; voting && i < s->ndefs && i < VOTE_MAX_BALLOTS; i++) {
        if (s->vote.ballots[i].def != s->defs[i])
            return "a ballot filled for another definition";
        const char *w = monkey_ballot_wrong(el, &s->vote.ballots[i]);
        if (w) {
            snprintf(why, size, "ballot %u: %s", i + 1, w);
            return why;
        }
    }
    if (s->screen == SCR_DONE && !s->tracking[0])
        return "the recorded screen shows no tracking code";
    if (s->attended && a->casts > a->enables)
        return "more ballots than voters enabled";
    return NULL;
}

static int script_monkey(struct app *a, const char *arg, int lineno, struct err *e)
{
    unsigned long long seed;
    unsigned long events;
    char pin[16], supervisor[16];
    if (sscanf(arg, "%llu %lu %15s %15s", &seed, &events, pin, supervisor) != 4)
        return err_set(e, 1, "script line %d: monkey SEED EVENTS PIN SUPERVISOR-PIN", lineno);
    struct monkey m = {.seed = seed, .state = seed, .pin = pin, .supervisor = supervisor};
    a->monkey = true;
    unsigned long casts0 = a->casts, on[SCR_OFFICIAL + 1] = {0};
    char why[192];
    for (m.event = 1; m.event <= events; m.event++) {
        monkey_event(a, &m);
        speak(a);
        if ((unsigned)a->s.screen <= SCR_OFFICIAL)
            on[a->s.screen]++;
        const char *wrong = monkey_wrong(a, why, sizeof why);
        if (wrong)
            return err_set(e, 1,
                           "monkey %llu: after event %lu (%s): %s (replay: monkey %llu %lu %s %s)",
                           seed, m.event, m.what, wrong, seed, m.event, pin, supervisor);
    }
    a->monkey = false;
    printf("monkey %llu: events on each screen: welcome %lu, card %lu, district %lu, how-to %lu, "
           "ballot %lu, review %lu, recorded %lu, officials %lu\n",
           seed, on[SCR_WELCOME], on[SCR_TOKEN], on[SCR_DISTRICT], on[SCR_HOWTO], on[SCR_BALLOT],
           on[SCR_REVIEW], on[SCR_DONE], on[SCR_OFFICIAL]);
    printf("monkey %llu: %lu events, %lu voters enabled, %lu ballots cast\n", seed, events,
           a->enables, a->casts - casts0);
    fflush(stdout);
    return 0;
}

static int run_script(struct app *a, struct err *e)
{
    FILE *f = fopen(a->cfg->script, "r");
    if (!f)
        return err_errno(e, "cannot open the script %s", a->cfg->script);
    char line[512];
    int lineno = 0, rc = 0;
    while (!rc && !a->cfg->quit && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *cmd = line + strspn(line, " \t");
        if (!*cmd || *cmd == '#')
            continue;
        char *arg = cmd + strcspn(cmd, " \t");
        if (*arg)
            *arg++ = '\0';
        arg += strspn(arg, " \t");
        if (strcmp(cmd, "tap") == 0) {
            rc = script_tap(a, arg, lineno, e);
        } else if (strcmp(cmd, "key") == 0) {
            bool shift = strncmp(arg, "Shift+", 6) == 0;
            SDL_Keycode k = key_named(shift ? arg + 6 : arg);
            if (k == SDLK_UNKNOWN)
                rc = err_set(e, 1, "script line %d: unknown key %s", lineno, arg);
            else
                key(a, k, shift);
        } else if (strcmp(cmd, "pad") == 0) {
            /* pad ACTION | pad DIGIT: a key of the tactile keypad (kiosk/keypad.h) */
            SDL_Scancode sc = keypad_scancode_named(arg);
            if (sc == SDL_SCANCODE_UNKNOWN)
                rc = err_set(e, 1, "script line %d: unknown keypad key %s", lineno, arg);
            else
                pad(a, sc);
        } else if (strcmp(cmd, "pad-to") == 0) {
            /* pad-to ID [up]: key 2 (or 8) of the keypad until ID has the focus, as a blind
             * voter who listens to each item would (at most once round the screen) */
            char id[64], dir[8] = "";
            int n = sscanf(arg, "%63s %7s", id, dir);
            bool up = n == 2 && !strcmp(dir, "up");
            if (n < 1 || (n == 2 && !up)) {
                rc = err_set(e, 1, "script line %d: pad-to ID [up]", lineno);
            } else {
                layout(a);
                size_t guard = a->ui->n + 1;
                while (guard-- > 0 && !(a->focused >= 0 && !strcmp(a->ui->w[a->focused].id, id))) {
                    pad(a, up ? SDL_SCANCODE_KP_8 : SDL_SCANCODE_KP_2);
                    speak(a);
                    layout(a);
                }
                if (!(a->focused >= 0 && !strcmp(a->ui->w[a->focused].id, id)))
                    rc = err_set(e, 1, "script line %d: key %c never reaches \"%s\"", lineno,
                                 up ? '8' : '2', id);
            }
        } else if (strcmp(cmd, "type") == 0) {
            typed(a, arg); /* as a keyboard or a scanner would */
        } else if (strcmp(cmd, "drag") == 0) {
            int x1, y1, x2, y2;
            if (sscanf(arg, "%d %d %d %d", &x1, &y1, &x2, &y2) != 4) {
                rc = err_set(e, 1, "script line %d: drag X1 Y1 X2 Y2", lineno);
            } else {
                press(a, x1, y1);
                for (int k = 1; k <= 10; k++)
                    motion(a, y1 + (y2 - y1) * k / 10);
                release(a, x2, y2);
            }
        } else if (strcmp(cmd, "hold") == 0) {
            int x, y, ms;
            if (sscanf(arg, "%d %d %d", &x, &y, &ms) != 3 || ms < 0) {
                rc = err_set(e, 1, "script line %d: hold X Y MILLISECONDS", lineno);
            } else {
                press(a, x, y);
                a->now += (uint64_t)ms;
                release(a, x, y);
            }
        } else if (strcmp(cmd, "wait") == 0) {
            int64_t ms;
            if (util_parse_i64(arg, &ms) || ms < 0) {
                rc = err_set(e, 1, "script line %d: wait MILLISECONDS", lineno);
            } else {
                /* advance the virtual clock in steps, as the live loop would tick */
                for (int64_t t = 0; t < ms; t += 250) {
                    a->now += (uint64_t)(ms - t < 250 ? ms - t : 250);
                    enum screen was = a->s.screen;
                    session_tick(&a->s, a->cfg->el, &a->cfg->session, a->now);
                    after_done(a, was);
                }
            }
        } else if (strcmp(cmd, "shot") == 0 || strcmp(cmd, "describe") == 0) {
            rc = shot(a, arg, cmd[0] == 's', e);
        } else if (strcmp(cmd, "expect") == 0) {
            rc = script_expect(a, arg, lineno, e);
        } else if (strcmp(cmd, "monkey") == 0) {
            rc = script_monkey(a, arg, lineno, e);
        } else if (strcmp(cmd, "size") == 0) {
            int w, h;
            if (sscanf(arg, "%d %d", &w, &h) == 2) {
                SDL_SetWindowSize(a->win, w, h);
                SDL_Event ev;
                while (SDL_PollEvent(&ev))
                    ;
                SDL_GetRendererOutputSize(a->sdl, &a->w, &a->h);
            }
        } else {
            rc = err_set(e, 1, "script line %d: unknown command \"%s\"", lineno, cmd);
        }
        if (!rc)
            speak(a);
    }
    fclose(f);
    return rc;
}

int app_run(const struct app_config *cfg, struct err *e)
{
    struct app a = {.cfg = cfg, .focused = -1};
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
        return err_set(e, ERR_INTERNAL,
                       "cannot start the display: %s (for tests, set SDL_VIDEODRIVER=offscreen)",
                       SDL_GetError());
    int rc = 0;
    a.ui = calloc(1, sizeof *a.ui);
    int w = cfg->width ? cfg->width : 1280, h = cfg->height ? cfg->height : 800;
    Uint32 flags = cfg->windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP;
    a.win =
        SDL_CreateWindow("isoloir", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!a.ui || !a.win) {
        rc = err_set(e, ERR_INTERNAL, "cannot open the window: %s", SDL_GetError());
        goto done;
    }
    a.sdl = SDL_CreateRenderer(a.win, -1, cfg->script ? SDL_RENDERER_SOFTWARE : 0);
    if (!a.sdl)
        a.sdl = SDL_CreateRenderer(a.win, -1, SDL_RENDERER_SOFTWARE);
    if (!a.sdl) {
        rc = err_set(e, ERR_INTERNAL, "cannot draw in the window: %s", SDL_GetError());
        goto done;
    }
    SDL_GetRendererOutputSize(a.sdl, &a.w, &a.h);
    if (!cfg->windowed)
        SDL_ShowCursor(SDL_DISABLE);
    SDL_StartTextInput(); /* voter-card codes from a keyboard or a scanner that acts as one */
    rc = render_open(a.sdl, cfg->font_dir, cfg->el, &a.render, e);
    if (rc)
        goto done;
    a.now = cfg->script ? 0 : SDL_GetTicks64();
    session_reset(&a.s, cfg->el, a.now);
    if (cfg->officials && cfg->officials->interrupted) {
        /* the last stop cut a cast off: the journal says what became of it */
        char tracking[64] = "";
        int outcome = cfg->officials->interrupted(cfg->officials->ctx, tracking, sizeof tracking);
        if (outcome == CAST_RECORDED) {
            session_cast_done(&a.s, tracking, a.now);
            a.s.receipt = RECEIPT_OFF; /* one may have been printed before the stop */
        } else if (outcome == CAST_NOT_RECORDED || outcome == CAST_UNKNOWN)
            session_cast_failed(&a.s, outcome == CAST_NOT_RECORDED);
    }
    voice_init(&a.voice, cfg->speech, cfg->el);
    speak(&a);
    if (cfg->script) {
        rc = run_script(&a, e);
    } else {
        bool quit = false;
        uint64_t start = a.now;
        while (!quit) {
            SDL_Event ev;
            if (SDL_WaitEventTimeout(&ev, 250)) {
                a.now = SDL_GetTicks64();
                handle(&a, &ev, &quit);
                while (SDL_PollEvent(&ev))
                    handle(&a, &ev, &quit);
                speak(&a);
            }
            a.now = SDL_GetTicks64();
            enum screen was = a.s.screen;
            enum overlay was_ov = a.s.overlay;
            session_tick(&a.s, cfg->el, &cfg->session, a.now);
            after_done(&a, was);
            if (a.s.screen != was || a.s.overlay != was_ov)
                speak(&a); /* time changed the screen: the idle warning is heard at once */
            draw(&a);
            if (cfg->tick)
                cfg->tick(cfg->tick_ctx);
            if ((cfg->exit_after_ms && a.now - start >= cfg->exit_after_ms) || cfg->quit)
                quit = true;
        }
    }
done:
    session_reset(&a.s, cfg->el, 0); /* wipe whatever a voter left */
    render_close(a.render);
    if (a.sdl)
        SDL_DestroyRenderer(a.sdl);
    if (a.win)
        SDL_DestroyWindow(a.win);
    free(a.ui);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
