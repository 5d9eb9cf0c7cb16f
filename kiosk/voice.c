/*
 * voice — what to say about a frame, from its widgets. See voice.h.
 */
#include "voice.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"

struct line {
    char *s;
    size_t len, cap;
};

static void add(struct line *l, const char *text)
{
    if (!text || !*text || l->len + 3 >= l->cap)
        return;
    if (l->len > 0) {
        /* a sentence per widget: texts that do not end a sentence get a full stop */
        char last = l->s[l->len - 1];
        if (last != '.' && last != ':' && last != '?' && last != '!')
            l->s[l->len++] = '.';
        l->s[l->len++] = ' ';
    }
    size_t n = strlen(text);
    if (n > l->cap - l->len - 1)
        n = l->cap - l->len - 1;
    memcpy(l->s + l->len, text, n);
    l->len += n;
    l->s[l->len] = '\0';
}

void voice_init(struct voice *v, struct speech *sp)
{
    memset(v, 0, sizeof *v);
    v->sp = sp;
    v->screen = v->overlay = -1;
}

void voice_reset(struct voice *v)
{
    struct speech *sp = v->sp;
    bool off = v->off;
    sodium_memzero(v, sizeof *v);
    v->sp = sp;
    v->off = off;
    v->screen = v->overlay = -1;
}

void voice_say(struct voice *v, enum lang lang, const char *text)
{
    if (v->sp)
        speech_say(v->sp, lang, text);
}

/* The project a widget belongs to: "choose-R01" → "R01" when a card "card-R01" exists. */
static const char *card_of(const struct ui *u, const struct widget *w, char *card, size_t size)
{
    if (w->role == R_CARD) {
        snprintf(card, size, "%s", w->id);
        return card;
    }
    const char *dash = strchr(w->id, '-');
    if (!dash)
        return NULL;
    snprintf(card, size, "card-%s", dash + 1);
    return ui_find(u, card) >= 0 ? card : NULL;
}

/* The texts a sighted voter reads on the screen, outside the project cards, in order (the
 * ones scrolled out of view included: a voter who cannot see needs them all). */
static void page_texts(const struct ui *u, struct line *out, bool ticking)
{
    for (size_t i = 0; i < u->n; i++) {
        const struct widget *w = &u->w[i];
        if ((w->flags & W_TICKING) && !ticking)
            continue;
        char card[64];
        if (w->role != R_TEXT || !w->text || !*w->text || card_of(u, w, card, sizeof card))
            continue; /* a project card's texts are said when the voter reaches the card */
        if (!strcmp(w->id, "demo-text"))
            continue; /* said once by the welcome screen's own texts, not on every screen */
        char spelled[128];
        const char *text = w->text;
        if (!strcmp(w->id, "tracking")) {
            /* the tracking code is spelled, a character at a time, a pause at each dash */
            size_t k = 0;
            for (const char *c = w->text; *c && k + 4 < sizeof spelled; c++) {
                if (*c == '-' && k > 0) {
                    spelled[k - 1] = ','; /* "K 7 F 2, 9 Q X 4" */
                } else {
                    spelled[k++] = *c;
                }
                spelled[k++] = ' ';
            }
            spelled[k ? k - 1 : 0] = '\0';
            text = spelled;
        }
        size_t tl = strlen(text);
        if (out->len + tl + 2 >= out->cap)
            break;
        if (out->len)
            out->s[out->len++] = '\n';
        memcpy(out->s + out->len, text, tl);
        out->len += tl;
        out->s[out->len] = '\0';
    }
}

/* The project card's own texts: title, cost and district, summary. */
static void card_texts(const struct ui *u, const char *card, struct line *out)
{
    static const char *const PARTS[] = {"title-", "meta-", "summary-"};
    char id[80];
    for (size_t p = 0; p < sizeof PARTS / sizeof PARTS[0]; p++) {
        snprintf(id, sizeof id, "%s%s", PARTS[p], card + 5);
        int i = ui_find(u, id);
        if (i >= 0)
            add(out, u->w[i].text);
    }
}

/* The widget in focus: label and state, after its card's texts when the card is new. */
static void focus_text(struct voice *v, const struct ui *u, const struct session *s, int focused,
                       struct line *out, bool card_again)
{
    if (focused < 0 || (size_t)focused >= u->n)
        return;
    const struct widget *w = &u->w[focused];
    char card[64];
    if (card_of(u, w, card, sizeof card) && (card_again || strcmp(card, v->card) != 0)) {
        card_texts(u, card, out);
        snprintf(v->card, sizeof v->card, "%s", card);
    } else if (!card_of(u, w, card, sizeof card)) {
        v->card[0] = '\0';
    }
    if (w->role != R_CARD)
        add(out, w->text);
    if ((w->flags & W_SELECTED) && !(w->text && !strcasecmp(w->text, msg(M_SAY_SELECTED, s->lang))))
        add(out, msg(M_SAY_SELECTED, s->lang));
    if (w->flags & W_DISABLED)
        add(out, msg(M_SAY_UNAVAILABLE, s->lang));
}

/* A language button is said in its own language. */
static enum lang lang_of_focus(const struct ui *u, const struct session *s, int focused)
{
    if (focused >= 0 && (size_t)focused < u->n && !strncmp(u->w[focused].id, "lang-", 5)) {
        int l = lang_from_code(u->w[focused].id + 5);
        if (l >= 0)
            return (enum lang)l;
    }
    return s->lang;
}

/* Copies the line at *p (texts are kept one per line) into one and moves *p past it; false at
 * the end. */
static bool next_line(const char **p, char one[VOICE_PAGE_MAX])
{
    if (!**p)
        return false;
    const char *nl = strchr(*p, '\n');
    size_t n = nl ? (size_t)(nl - *p) : strlen(*p);
    if (n >= VOICE_PAGE_MAX)
        n = VOICE_PAGE_MAX - 1;
    memcpy(one, *p, n);
    one[n] = '\0';
    *p = nl ? nl + 1 : *p + strlen(*p);
    return true;
}

/* The officials' screens and dialogs are for staff: the voter's headphones stay silent there
 * (and a PIN is never read out, not even as dots). */
static bool officials_only(const struct session *s)
{
    return s->screen == SCR_OFFICIAL || s->overlay == OV_PIN || s->overlay == OV_ENABLE ||
           s->overlay == OV_CLOSE1 || s->overlay == OV_CLOSE2 || s->overlay == OV_CLOCK;
}

void voice_update(struct voice *v, const struct ui *u, const struct session *s, int focused)
{
    if (!v->sp || v->off)
        return;
    if (officials_only(s)) {
        v->screen = (int)s->screen;
        v->overlay = (int)s->overlay;
        v->focus_id[0] = '\0';
        return;
    }
    char buf[VOICE_PAGE_MAX], say[VOICE_PAGE_MAX + 512];
    struct line page = {buf, 0, sizeof buf}, out = {say, 0, sizeof say};
    buf[0] = say[0] = '\0';
    bool new_screen = (int)s->screen != v->screen || (int)s->overlay != v->overlay;
    page_texts(u, &page, new_screen);
    const char *fid = focused >= 0 && (size_t)focused < u->n ? u->w[focused].id : "";
    bool new_focus = strcmp(fid, v->focus_id) != 0;
    enum lang lang = s->lang;
    if (new_screen) {
        v->card[0] = '\0';
        char one[VOICE_PAGE_MAX];
        for (const char *p = buf; next_line(&p, one);)
            add(&out, one);
        sodium_memzero(one, sizeof one);
        focus_text(v, u, s, focused, &out, true);
        add(&out, msg(M_SAY_HINT, lang));
    } else {
        /* texts that appeared or changed on the same screen (budget left, a refusal) */
        char one[VOICE_PAGE_MAX], said[VOICE_PAGE_MAX];
        for (const char *p = buf; next_line(&p, one);) {
            bool seen = false;
            for (const char *q = v->page; !seen && next_line(&q, said);)
                seen = !strcmp(said, one);
            if (!seen)
                add(&out, one);
        }
        sodium_memzero(one, sizeof one);
        sodium_memzero(said, sizeof said);
        if (new_focus) {
            lang = lang_of_focus(u, s, focused);
            focus_text(v, u, s, focused, &out, false);
        } else if (out.len > 0) {
            focus_text(v, u, s, focused, &out, false); /* its new state: chosen or not */
        }
    }
    snprintf(v->page, sizeof v->page, "%s", buf);
    snprintf(v->focus_id, sizeof v->focus_id, "%s", fid);
    v->screen = (int)s->screen;
    v->overlay = (int)s->overlay;
    if (out.len > 0)
        speech_say(v->sp, lang, say);
    sodium_memzero(say, sizeof say);
    sodium_memzero(buf, sizeof buf);
}

void voice_help(struct voice *v, const struct ui *u, const struct session *s, int focused)
{
    if (!v->sp || officials_only(s))
        return;
    char buf[VOICE_PAGE_MAX], say[VOICE_PAGE_MAX + 1024];
    struct line page = {buf, 0, sizeof buf}, out = {say, 0, sizeof say};
    buf[0] = say[0] = '\0';
    page_texts(u, &page, true);
    for (char *p = buf; *p; p++)
        if (*p == '\n')
            *p = ' ';
    add(&out, buf);
    focus_text(v, u, s, focused, &out, true);
    add(&out, msg(M_SAY_HELP, s->lang));
    speech_say(v->sp, s->lang, say);
    sodium_memzero(say, sizeof say);
    sodium_memzero(buf, sizeof buf);
}
