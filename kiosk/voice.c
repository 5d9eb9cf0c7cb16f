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

void voice_init(struct voice *v, struct speech *sp, const struct election *el)
{
    memset(v, 0, sizeof *v);
    v->sp = sp;
    v->el = el;
    v->screen = v->overlay = -1;
    v->value_project = -1;
}

void voice_reset(struct voice *v)
{
    struct speech *sp = v->sp;
    const struct election *el = v->el;
    bool off = v->off;
    sodium_memzero(v, sizeof *v);
    v->sp = sp;
    v->el = el;
    v->off = off;
    v->screen = v->overlay = -1;
    v->value_project = -1;
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
    /* the screen's title first, wherever the layout puts it (the ballot screen keeps the
     * budget line above the scrolling title), then the rest in order */
    for (size_t pass = 0; pass < 2 * u->n; pass++) {
        size_t i = pass % u->n;
        const struct widget *w = &u->w[i];
        if ((pass < u->n) != !strcmp(w->id, "title"))
            continue;
        if ((w->flags & W_TICKING) && !ticking)
            continue;
        if (!strcmp(w->id, "list-position"))
            continue; /* a sighted voter's bearing; the keypad voter hears each card reached */
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

/* What a widget is called aloud: its label, but words for the "+" and "–" of a cumulative
 * ballot. */
static const char *spoken_label(const struct widget *w, enum lang l)
{
    if (!strncmp(w->id, "plus-", 5))
        return msg(M_SAY_ADD_POINT, l);
    if (!strncmp(w->id, "minus-", 6))
        return msg(M_SAY_REMOVE_POINT, l);
    return w->text;
}

/* On a cumulative or ranking ballot, the project whose points or rank the widget in focus
 * changes (its "+", "–" or choose button), with the rule; -1 elsewhere. */
static int valued_project(const struct voice *v, const struct ui *u, const struct session *s,
                          int focused, enum rule_kind *kind)
{
    if (!v->el || s->screen != SCR_BALLOT || s->overlay != OV_NONE || s->cur >= s->ndefs ||
        focused < 0 || (size_t)focused >= u->n)
        return -1;
    const struct rule *r = &v->el->ballots[s->defs[s->cur]].rule;
    const struct widget *w = &u->w[focused];
    bool valued =
        (r->kind == RULE_CUMULATIVE && (w->act.kind == ACT_PLUS || w->act.kind == ACT_MINUS)) ||
        (r->kind == RULE_RANKING && w->act.kind == ACT_TOGGLE && strncmp(w->id, "card-", 5));
    if (!valued || w->act.arg < 0 || (size_t)w->act.arg >= v->el->nprojects)
        return -1;
    *kind = r->kind;
    return w->act.arg;
}

static uint32_t value_of(const struct session *s, int project)
{
    return ballot_value(&s->vote.ballots[s->cur], (uint32_t)project);
}

/* "3 points on <title>", "<title>, rank 2", "<title>: no longer ranked". */
static void value_sentence(const struct voice *v, const struct session *s, int project,
                           enum rule_kind kind, struct line *out)
{
    uint32_t val = value_of(s, project);
    const char *title = text_get(&v->el->projects[project].title, s->lang);
    char t[1024];
    if (kind == RULE_CUMULATIVE)
        snprintf(t, sizeof t, msg_n(M_SAY_POINTS_ON, s->lang, val), (unsigned)val, title);
    else if (val > 0)
        snprintf(t, sizeof t, msg(M_SAY_RANKED, s->lang), title, (unsigned)val);
    else
        snprintf(t, sizeof t, msg(M_SAY_UNRANKED, s->lang), title);
    add(out, t);
    sodium_memzero(t, sizeof t); /* a voter's choice */
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
    enum rule_kind kind = RULE_APPROVAL;
    int p = valued_project(v, u, s, focused, &kind);
    bool ranked = p >= 0 && kind == RULE_RANKING && value_of(s, p) > 0;
    if (w->role != R_CARD && !ranked) /* a rank is said in words below, not as "#2" */
        add(out, spoken_label(w, s->lang));
    if (p >= 0 && (kind == RULE_CUMULATIVE || ranked))
        value_sentence(v, s, p, kind, out);
    else if ((w->flags & W_SELECTED) &&
             !(w->text && !strcasecmp(w->text, msg(M_SAY_SELECTED, s->lang))))
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

/* The language of a text named for one ("prompt-nl", "wait-en"), or -1. */
static int lang_of_id(const char *id)
{
    const char *dash = strrchr(id, '-');
    return dash ? lang_from_code(dash + 1) : -1;
}

/* The welcome screen, before a voter chose a language: a sentence per language of the
 * election, each in its own voice, chained (speech_queue) so that none cuts another: the
 * election's name, the screen's texts in that language (the prompt, or why nobody can vote
 * yet), and the key that chooses it when its button is there. */
static void welcome(struct voice *v, const struct ui *u)
{
    for (int i = 0; i < v->el->nlangs; i++) {
        enum lang lg = v->el->langs[i];
        char say[VOICE_PAGE_MAX];
        struct line out = {say, 0, sizeof say};
        say[0] = '\0';
        const char *name = text_get(&v->el->name, lg);
        add(&out, name);
        for (size_t k = 0; k < u->n; k++) {
            const struct widget *w = &u->w[k];
            if (w->role == R_TEXT && w->text && lang_of_id(w->id) == (int)lg &&
                strcmp(w->text, name) != 0)
                add(&out, w->text);
        }
        char id[16], key[256];
        snprintf(id, sizeof id, "lang-%s", lang_code(lg));
        int b = ui_find(u, id);
        if (b >= 0 && !(u->w[b].flags & W_DISABLED)) {
            snprintf(key, sizeof key, msg(M_SAY_LANG_KEY, lg), (unsigned)(i + 1));
            add(&out, key);
        }
        if (i == 0)
            speech_say(v->sp, lg, say);
        else
            speech_queue(v->sp, lg, say);
    }
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
    /* a new screen, a new dialog, or the next ballot on the ballot screen */
    bool new_screen = (int)s->screen != v->screen || (int)s->overlay != v->overlay ||
                      (s->screen == SCR_BALLOT && (int)s->cur != v->cur);
    page_texts(u, &page, new_screen);
    const char *fid = focused >= 0 && (size_t)focused < u->n ? u->w[focused].id : "";
    bool new_focus = strcmp(fid, v->focus_id) != 0;
    enum lang lang = s->lang;
    enum rule_kind kind = RULE_APPROVAL;
    int vp = valued_project(v, u, s, focused, &kind);
    uint32_t value = vp >= 0 ? value_of(s, vp) : 0;
    if (v->el && s->screen == SCR_WELCOME && s->overlay == OV_NONE &&
        (new_screen || strcmp(buf, v->page) != 0)) {
        welcome(v, u); /* in every language, each in its voice */
    } else if (new_screen) {
        v->card[0] = '\0';
        char one[VOICE_PAGE_MAX];
        for (const char *p = buf; next_line(&p, one);)
            add(&out, one);
        sodium_memzero(one, sizeof one);
        focus_text(v, u, s, focused, &out, true);
        add(&out, msg(M_SAY_HINT, lang));
    } else {
        /* the points or rank just changed, said first: "3 points on <title>" */
        bool value_changed = !new_focus && vp >= 0 && vp == v->value_project && value != v->value;
        if (value_changed)
            value_sentence(v, s, vp, kind, &out);
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
        } else if (out.len > 0 && !value_changed) {
            focus_text(v, u, s, focused, &out, false); /* its new state: chosen or not */
        }
    }
    snprintf(v->page, sizeof v->page, "%s", buf);
    snprintf(v->focus_id, sizeof v->focus_id, "%s", fid);
    v->screen = (int)s->screen;
    v->overlay = (int)s->overlay;
    v->cur = (int)s->cur;
    v->value_project = vp;
    v->value = value;
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
