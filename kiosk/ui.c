/* ui — the layout of every screen; see ui.h. One function per screen, each adding widgets
 * top to bottom; overlays are added last so they are drawn and hit first. */
#include "ui.h"

#include <stdarg.h>

#include "catalog.h"
#include "util.h"

struct lay {
    struct ui *u;
    const struct session *s;
    const struct election *el;
    int w, h;
    ui_measure_fn measure;
    void *ctx;
    enum lang l;
    bool scrolling; /* widgets being added belong to the scrolling content */
};

static const char *fmt(struct lay *L, const char *f, ...) __attribute__((format(printf, 2, 3)));

static const char *fmt(struct lay *L, const char *f, ...)
{
    struct ui *u = L->u;
    size_t room = UI_ARENA - u->used;
    if (room < 2)
        return "";
    char *dst = u->arena + u->used;
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(dst, room, f, ap);
    va_end(ap);
    if (n < 0)
        return "";
    u->used += (size_t)n + 1 < room ? (size_t)n + 1 : room;
    return dst;
}

static struct widget *add(struct lay *L, enum role role, const char *id, struct rect r,
                          const char *text, int px, enum colour fg, enum colour bg, unsigned flags,
                          struct action act)
{
    struct ui *u = L->u;
    if (u->n >= UI_MAX_WIDGETS)
        return &u->w[UI_MAX_WIDGETS - 1];
    struct widget *w = &u->w[u->n++];
    memset(w, 0, sizeof *w);
    snprintf(w->id, sizeof w->id, "%s", id);
    w->role = role;
    w->r = r;
    w->text = text;
    w->px = px;
    w->fg = fg;
    w->bg = bg;
    w->flags = flags;
    w->act = act;
    w->project = -1;
    return w;
}

static int text_h(struct lay *L, const char *text, int px, bool bold, int wrap)
{
    return L->measure(L->ctx, text, px, bold, wrap, NULL);
}

static int text_w(struct lay *L, const char *text, int px, bool bold)
{
    int w;
    L->measure(L->ctx, text, px, bold, 0, &w);
    return w;
}

/* A text block at (x, y) of width w; returns its height. */
static int text(struct lay *L, const char *id, int x, int y, int w, const char *t, int px,
                enum colour fg, unsigned flags)
{
    int h = text_h(L, t, px, flags & W_BOLD, w);
    add(L, R_TEXT, id, (struct rect){x, y, w, h}, t, px, fg, C_BG,
        flags | (L->scrolling ? W_CLIPPED : 0), (struct action){0});
    return h;
}

static struct widget *button(struct lay *L, const char *id, struct rect r, const char *label,
                             bool primary, struct action act)
{
    int px = L->u->body_px;
    int inner = r.w - L->u->pad;
    /* one line, shrunk rather than broken or overflowing (long Dutch words, narrow screens) */
    while (px > 12 && (text_w(L, label, px, true) > inner ||
                       text_h(L, label, px, true, 0) > r.h - L->u->pad / 2))
        px -= 1;
    if (text_w(L, label, px, true) > inner)
        L->u->overflow = true;
    struct widget *w = add(L, R_BUTTON, id, r, label, px, primary ? C_ON_PRIMARY : C_PRIMARY,
                           primary ? C_PRIMARY : C_SURFACE, W_FOCUSABLE | W_CENTER | W_BOLD, act);
    if (L->scrolling)
        w->flags |= W_CLIPPED;
    return w;
}

static struct action A(enum act k, int arg) {
    return (struct action){k, arg};
}

/* ---- bars ------------------------------------------------------------------------------- */

static int
top_bar(struct lay *L)
{
    struct ui *u = L->u;
    int pad = u->pad, bh = u->button_h, y = pad;
    int x = pad;
    if (u->demo) {
        int dh =
            text_h(L, msg(M_DEMO_BANNER, L->l), u->body_px * 3 / 4, true, L->w - 2 * pad) + pad;
        add(L, R_PANEL, "demo", (struct rect){0, 0, L->w, dh}, NULL, 0, C_ON_DEMO, C_DEMO, 0,
            A(ACT_NONE, 0));
        add(L, R_TEXT, "demo-text", (struct rect){pad, pad / 2, L->w - 2 * pad, dh - pad},
            msg(M_DEMO_BANNER, L->l), u->body_px * 3 / 4, C_ON_DEMO, C_DEMO, W_CENTER | W_BOLD,
            A(ACT_NONE, 0));
        y += dh;
    }
    int bw = (L->w - pad * 2 - pad * 5) / 6;
    if (bw > u->unit * 22)
        bw = u->unit * 22;
    if (L->s->screen != SCR_WELCOME) {
        for (int i = 0; i < L->el->nlangs; i++) {
            enum lang lg = L->el->langs[i];
            char id[16];
            snprintf(id, sizeof id, "lang-%s", lang_code(lg));
            struct widget *b = button(L, id, (struct rect){x, y, bw, bh}, msg(M_LANGUAGE_NAME, lg),
                                      false, A(ACT_LANG, (int)lg));
            if (lg == L->l)
                b->flags |= W_SELECTED;
            x += bw + pad;
        }
    }
    int rx = L->w - pad - bw;
    struct widget *b = button(L, "contrast", (struct rect){rx, y, bw, bh}, msg(M_CONTRAST, L->l),
                              false, A(ACT_CONTRAST, 0));
    if (L->s->high_contrast)
        b->flags |= W_SELECTED;
    rx -= bw + pad;
    b = button(L, "larger", (struct rect){rx, y, bw, bh}, msg(M_LARGER_TEXT, L->l), false,
               A(ACT_LARGER, 0));
    if (L->s->large_text)
        b->flags |= W_SELECTED;
    if (L->s->screen != SCR_WELCOME && L->s->screen != SCR_DONE && L->s->screen != SCR_OFFICIAL) {
        rx -= bw + pad;
        button(L, "cancel", (struct rect){rx, y, bw, bh}, msg(M_CANCEL, L->l), false,
               A(ACT_CANCEL, 0));
    }
    return y + bh + pad;
}

/* Bottom bar with back / next; returns its top. */
static int bottom_bar(struct lay *L, enum msg next, struct action next_act, bool back)
{
    struct ui *u = L->u;
    int bh = u->button_h, y = L->h - u->pad - bh;
    int bw = (L->w - 3 * u->pad) / 2;
    if (bw > u->unit * 45)
        bw = u->unit * 45;
    if (back)
        button(L, "back", (struct rect){u->pad, y, bw, bh}, msg(M_BACK, L->l), false,
               A(ACT_BACK, 0));
    if (next_act.kind != ACT_NONE)
        button(L, "next", (struct rect){L->w - u->pad - bw, y, bw, bh}, msg(next, L->l), true,
               next_act);
    return y - u->pad;
}

/* ---- screens ---------------------------------------------------------------------------- */

/* Simple screens put their content in the scrolling area between the bars, so that large text
 * on a small panel scrolls instead of running under the buttons. Returns the first y. */
static int content_begin(struct lay *L, int top, bool bottom_bar_below)
{
    struct ui *u = L->u;
    int bottom = bottom_bar_below ? L->h - 2 * u->pad - u->button_h : L->h;
    u->clip = (struct rect){0, top, L->w, bottom - top};
    L->scrolling = true;
    return top - L->s->scroll;
}

static void content_end(struct lay *L, int first_y, int y)
{
    L->u->content_h = y - first_y + L->u->pad;
    L->scrolling = false;
}

static void screen_welcome(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad;
    int y = top + u->unit * 6;
    const char *name = text_get(&L->el->name, L->l);
    y += text(L, "title", 2 * pad, y, cw, name, u->body_px * 3 / 2, C_TEXT, W_CENTER | W_BOLD);
    y += u->unit * 4;
    if (!L->s->polls_open) {
        /* in every language of the election: nobody can start voting */
        for (int i = 0; i < L->el->nlangs; i++) {
            enum lang lg = L->el->langs[i];
            char id[24];
            snprintf(id, sizeof id, "closed-%s", lang_code(lg));
            y += text(L, id, 2 * pad, y, cw,
                      fmt(L, "%s. %s", msg(M_CLOSED_TITLE, lg), msg(M_CLOSED_BODY, lg)), u->body_px,
                      C_TEXT, W_CENTER) +
                 pad;
        }
        return;
    }
    if (L->s->attended && !L->s->enabled) {
        /* between voters at a staffed kiosk: an official enables the next one */
        for (int i = 0; i < L->el->nlangs; i++) {
            enum lang lg = L->el->langs[i];
            y += text(L, fmt(L, "wait-%s", lang_code(lg)), 2 * pad, y, cw, msg(M_WAIT_OFFICIAL, lg),
                      u->body_px, C_TEXT, W_CENTER) +
                 pad;
        }
        return;
    }
    /* the prompt in every language of the election, so anyone finds theirs */
    for (int i = 0; i < L->el->nlangs; i++) {
        char id[24];
        snprintf(id, sizeof id, "prompt-%s", lang_code(L->el->langs[i]));
        y += text(L, id, 2 * pad, y, cw, msg(M_CHOOSE_LANGUAGE, L->el->langs[i]), u->body_px,
                  C_MUTED, W_CENTER);
    }
    y += u->unit * 4;
    int bw = L->w * 2 / 3, bh = u->button_h * 3 / 2;
    if (bw > u->unit * 80)
        bw = u->unit * 80;
    for (int i = 0; i < L->el->nlangs; i++) {
        enum lang lg = L->el->langs[i];
        char id[16];
        snprintf(id, sizeof id, "lang-%s", lang_code(lg));
        struct widget *b = button(L, id, (struct rect){(L->w - bw) / 2, y, bw, bh},
                                  msg(M_LANGUAGE_NAME, lg), true, A(ACT_LANG, (int)lg));
        b->px = b->px * 5 / 4;
        y += bh + pad;
    }
}

/* A screen of the scrolling kind opens with its title; *y0 receives the content's first y. */
static int screen_title(struct lay *L, int top, enum msg title, int gap_units, int *y0)
{
    struct ui *u = L->u;
    *y0 = content_begin(L, top, true);
    int y = *y0 + u->unit * gap_units;
    return y + text(L, "title", 2 * u->pad, y, L->w - 4 * u->pad, msg(title, L->l),
                    u->body_px * 4 / 3, C_TEXT, W_BOLD);
}

static void screen_district(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad, y0;
    int y = screen_title(L, top, M_DISTRICT_TITLE, 3, &y0) + u->unit * 3;
    int bh = u->button_h * 5 / 4;
    for (size_t d = 0; d <= L->el->ndistricts; d++) {
        bool none = d == L->el->ndistricts;
        char id[48];
        snprintf(id, sizeof id, "district-%s", none ? "none" : L->el->districts[d].id);
        button(L, id, (struct rect){2 * pad, y, cw, bh},
               none ? msg(M_DISTRICT_NONE, L->l) : text_get(&L->el->districts[d].name, L->l), !none,
               A(ACT_DISTRICT, none ? -1 : (int)d));
        y += bh + pad;
    }
    content_end(L, y0, y);
    bottom_bar(L, M_NEXT, A(ACT_NONE, 0), true);
}

/* The code as typed, upper-cased without spaces and dashes, in groups of four. */
static const char *token_shown(struct lay *L)
{
    char out[64];
    size_t n = 0, k = 0;
    for (const char *p = L->s->token_input; *p && n + 3 < sizeof out; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (k && k % 4 == 0)
            out[n++] = '-';
        out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        k++;
    }
    out[n] = '\0';
    return n ? fmt(L, "%s", out) : " ";
}

static void screen_token(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad, y0;
    int y = screen_title(L, top, M_TOKEN_TITLE, 2, &y0);
    y += text(L, "token-body", 2 * pad, y, cw, msg(M_TOKEN_BODY, L->l), u->body_px, C_MUTED, 0) +
         pad;
    int big = u->body_px * 3 / 2;
    int th = text_h(L, "0", big, true, cw) + pad, ew = cw / 4, iw = cw - ew - pad;
    if (th < u->button_h)
        th = u->button_h;
    add(L, R_PANEL, "token-box", (struct rect){2 * pad, y, iw, th}, NULL, 0, C_TEXT, C_SURFACE,
        W_CLIPPED, A(ACT_NONE, 0));
    text(L, "token-input", 2 * pad, y + (th - text_h(L, "0", big, true, iw)) / 2, iw,
         token_shown(L), big, C_TEXT, W_BOLD | W_CENTER);
    button(L, "token-erase", (struct rect){3 * pad + iw, y, ew, th}, msg(M_TOKEN_ERASE, L->l),
           false, A(ACT_TOKEN_ERASE, 0));
    y += th + pad;
    if (L->s->notice[0])
        y += text(L, "notice", 2 * pad, y, cw, L->s->notice, u->body_px, C_ON_NOTICE, W_BOLD) + pad;
    /* the 32 characters a code can hold (no I, L, O, U) */
    static const char KEYS[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    int cols = 8, kw = (cw - (cols - 1) * pad / 2) / cols, kh = u->button_h;
    for (int k = 0; k < 32; k++) {
        int kx = 2 * pad + (k % cols) * (kw + pad / 2), ky = y + (k / cols) * (kh + pad / 2);
        char label[2] = {KEYS[k], '\0'};
        button(L, fmt(L, "tk-%c", KEYS[k]), (struct rect){kx, ky, kw, kh}, fmt(L, "%s", label),
               false, A(ACT_TOKEN_CHAR, KEYS[k]));
    }
    y += 4 * (kh + pad / 2);
    content_end(L, y0, y);
    /* OK where "next" is on every other screen: always in view */
    bottom_bar(L, M_NEXT, A(ACT_NONE, 0), true);
    int bw = (L->w - 3 * pad) / 2;
    if (bw > u->unit * 45)
        bw = u->unit * 45;
    button(L, "token-ok", (struct rect){L->w - pad - bw, L->h - pad - u->button_h, bw, u->button_h},
           msg(M_PIN_OK, L->l), true, A(ACT_TOKEN_OK, 0));
}

/* The least a knapsack ballot must spend (its min_share of the budget, rounded up). */
static int64_t least_spend(const struct ballot_def *bd)
{
    uint32_t permille = bd->rule.min_share_permille > 1000 ? 1000 : bd->rule.min_share_permille;
    return (bd->budget * (int64_t)permille + 999) / 1000;
}

static const char *rule_sentence(struct lay *L, const struct ballot_def *bd)
{
    const struct rule *r = &bd->rule;
    char money[64];
    switch (r->kind) {
    case RULE_APPROVAL:
        return r->min ? fmt(L, msg(M_RULE_APPROVAL, L->l), r->min, r->max)
                      : fmt(L, msg(M_RULE_APPROVAL_MAX, L->l), r->max);
    case RULE_KNAPSACK:
        util_format_euro(money, sizeof money, bd->budget, lang_code(L->l));
        if (r->min_share_permille > 0) {
            char least[64];
            util_format_euro(least, sizeof least, least_spend(bd), lang_code(L->l));
            return fmt(L, msg(M_RULE_KNAPSACK_MIN, L->l), least, money);
        }
        return fmt(L, msg(M_RULE_KNAPSACK, L->l), money);
    case RULE_CUMULATIVE:
        return fmt(L, msg(M_RULE_CUMULATIVE, L->l), r->points, r->max_per_project);
    case RULE_RANKING:
        return r->min ? fmt(L, msg(M_RULE_RANKING_MIN, L->l), r->min, r->max)
                      : fmt(L, msg(M_RULE_RANKING, L->l), r->max);
    }
    return "";
}

/* Why the ballot cannot be left or cast as it is (a minimum not reached), or NULL when it can:
 * Next and the vote's confirmation wait with this sentence shown, never silently. */
static const char *why_not_valid(struct lay *L, const struct ballot_def *bd,
                                 const struct ballot *b)
{
    struct ballot_status st;
    memset(&st, 0, sizeof st);
    if (ballot_check(L->el, b, &st, NULL) == 0)
        return NULL;
    const struct rule *r = &bd->rule;
    if ((r->kind == RULE_APPROVAL || r->kind == RULE_RANKING) && st.chosen < r->min)
        return fmt(L, msg_n(M_NEED_MORE_CHOICES, L->l, r->min - st.chosen), r->min - st.chosen);
    if (r->kind == RULE_KNAPSACK && st.spent < least_spend(bd)) {
        char money[64];
        util_format_euro(money, sizeof money, least_spend(bd) - st.spent, lang_code(L->l));
        return fmt(L, msg(M_NEED_MORE_MONEY, L->l), money);
    }
    return msg(M_NEED_FIX, L->l);
}

/* A button that cannot act now: shown, greyed, and skipped by the focus. */
static void disable(struct ui *u, const char *id)
{
    int i = ui_find(u, id);
    if (i >= 0) {
        u->w[i].flags |= W_DISABLED;
        u->w[i].act = A(ACT_NONE, 0);
    }
}

static void screen_howto(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad;
    int y0 = content_begin(L, top, true), y = y0 + u->unit * 2;
    y += text(L, "title", 2 * pad, y, cw, msg(M_HOWTO_TITLE, L->l), u->body_px * 4 / 3, C_TEXT,
              W_BOLD);
    y += u->unit * 2;
    y += text(L, "howto-ballots", 2 * pad, y, cw, fmt(L, msg_n(M_HOWTO_BALLOTS, L->l, L->s->ndefs), L->s->ndefs),
              u->body_px, C_TEXT, 0);
    y += pad;
    for (uint32_t i = 0; i < L->s->ndefs; i++) {
        const struct ballot_def *bd = &L->el->ballots[L->s->defs[i]];
        char id[48];
        snprintf(id, sizeof id, "howto-%s", bd->id);
        y += text(L, id, 3 * pad, y, cw - pad,
                  fmt(L, "• %s — %s", text_get(&bd->name, L->l), rule_sentence(L, bd)), u->body_px,
                  C_TEXT, 0);
        y += pad / 2;
    }
    y += pad;
    y += text(L, "howto-secret", 2 * pad, y, cw, msg(M_HOWTO_SECRET, L->l), u->body_px, C_MUTED, 0);
    content_end(L, y0, y);
    bottom_bar(L, M_START, A(ACT_START, 0), true);
}

/* The live feedback line of a ballot: "2 of 3 chosen", a budget bar, points left. */
static int feedback(struct lay *L, int y, const struct ballot_def *bd, const struct ballot *b)
{
    struct ui *u = L->u;
    struct ballot_status st;
    memset(&st, 0, sizeof st);
    ballot_check(L->el, b, &st, NULL);
    int pad = u->pad, cw = L->w - 4 * pad;
    char money[64];
    const char *line = "";
    switch (bd->rule.kind) {
    case RULE_APPROVAL:
        line = fmt(L, msg(M_CHOSEN_OF, L->l), st.chosen, bd->rule.max);
        break;
    case RULE_RANKING:
        line = fmt(L, msg(M_RANKED_OF, L->l), st.chosen, bd->rule.max);
        break;
    case RULE_KNAPSACK:
        util_format_euro(money, sizeof money, bd->budget - st.spent, lang_code(L->l));
        line = fmt(L, msg(M_BUDGET_LEFT, L->l), money);
        break;
    case RULE_CUMULATIVE:
        line = fmt(L, msg(M_POINTS_LEFT, L->l), st.points_left);
        break;
    }
    int h = text(L, "feedback", 2 * pad, y, cw, line, u->body_px, C_TEXT, W_BOLD);
    y += h + pad / 2;
    const char *why = why_not_valid(L, bd, b);
    if (why) {
        int wh = text(L, "why-next", 2 * pad, y, cw, why, u->body_px * 5 / 6, C_TEXT, W_BOLD);
        y += wh + pad / 2;
        h += wh + pad / 2;
    }
    struct widget *bar = add(L, R_BAR, "budget-bar", (struct rect){2 * pad, y, cw, u->unit * 2},
                             NULL, 0, C_PRIMARY, C_BORDER, 0, A(ACT_NONE, 0));
    switch (bd->rule.kind) {
    case RULE_KNAPSACK:
        bar->value = (long)(st.spent / 100), bar->max = (long)(bd->budget / 100);
        break;
    case RULE_CUMULATIVE:
        bar->value = st.points_used, bar->max = bd->rule.points;
        break;
    default:
        bar->value = st.chosen, bar->max = bd->rule.max;
    }
    return h + pad / 2 + u->unit * 2 + pad;
}

static void card(struct lay *L, int x, int y0, int w, int p, const struct ballot_def *bd,
                 const struct ballot *b, int *height)
{
    struct ui *u = L->u;
    const struct project *pr = &L->el->projects[p];
    int pad = u->pad;
    bool sel = ballot_has(b, (uint32_t)p);
    int pic_w = w / 4, pic_h = pic_w * 2 / 3;
    int tx = x + pad + pic_w + pad, tw = w - (tx - x) - pad;
    char money[64];
    util_format_euro(money, sizeof money, pr->cost, lang_code(L->l));
    const char *meta = fmt(L, "%s", money); /* widget texts must outlive this frame's stack */
    if (pr->category >= 0)
        meta = fmt(L, "%s · %s", money, text_get(&L->el->categories[pr->category].name, L->l));
    const char *title = text_get(&pr->title, L->l), *summary = text_get(&pr->summary, L->l);
    int title_px = u->body_px * 10 / 9, small_px = u->body_px * 5 / 6;
    int th = text_h(L, title, title_px, true, tw), mh = text_h(L, meta, small_px, false, tw),
        sh = text_h(L, summary, small_px, false, tw);
    int bh = u->button_h, bw = (tw - pad) / 2;
    int h = pad + th + pad / 3 + mh + pad / 3 + sh + pad + bh + pad;
    if (h < pic_h + 2 * pad)
        h = pic_h + 2 * pad;
    char id[64];
    snprintf(id, sizeof id, "card-%s", pr->id);
    struct action toggle = A(ACT_TOGGLE, p);
    add(L, R_CARD, id, (struct rect){x, y0, w, h}, title, 0, sel ? C_ON_SELECTED : C_TEXT,
        sel ? C_SELECTED : C_SURFACE, W_CLIPPED | (sel ? W_SELECTED : 0), toggle);
    struct widget *pic = add(L, R_PICTURE, fmt(L, "picture-%s", pr->id),
                             (struct rect){x + pad, y0 + pad, pic_w, pic_h}, NULL, 0, C_TEXT,
                             C_BORDER, W_CLIPPED, A(ACT_NONE, 0));
    pic->project = p;
    int y = y0 + pad;
    enum colour fg = sel ? C_ON_SELECTED : C_TEXT, mfg = sel ? C_ON_SELECTED : C_MUTED;
    snprintf(id, sizeof id, "title-%s", pr->id);
    add(L, R_TEXT, id, (struct rect){tx, y, tw, th}, title, title_px, fg, C_SURFACE,
        W_CLIPPED | W_BOLD, A(ACT_NONE, 0));
    y += th + pad / 3;
    snprintf(id, sizeof id, "meta-%s", pr->id);
    add(L, R_TEXT, id, (struct rect){tx, y, tw, mh}, meta, small_px, mfg, C_SURFACE, W_CLIPPED,
        A(ACT_NONE, 0));
    y += mh + pad / 3;
    snprintf(id, sizeof id, "summary-%s", pr->id);
    add(L, R_TEXT, id, (struct rect){tx, y, tw, sh}, summary, small_px, fg, C_SURFACE, W_CLIPPED,
        A(ACT_NONE, 0));
    int by = y0 + h - pad - bh;
    snprintf(id, sizeof id, "details-%s", pr->id);
    struct widget *w1 =
        button(L, id, (struct rect){tx, by, bw, bh}, msg(M_DETAILS, L->l), false, A(ACT_DETAIL, p));
    w1->flags |= W_CLIPPED;
    struct widget *w2;
    if (bd->rule.kind == RULE_CUMULATIVE) {
        int third = (bw - pad) / 3;
        uint32_t pts = ballot_value(b, (uint32_t)p);
        snprintf(id, sizeof id, "minus-%s", pr->id);
        w2 =
            button(L, id, (struct rect){tx + bw + pad, by, third, bh}, "–", false, A(ACT_MINUS, p));
        w2->flags |= W_CLIPPED | (pts ? 0 : W_DISABLED);
        snprintf(id, sizeof id, "points-%s", pr->id);
        add(L, R_TEXT, id, (struct rect){tx + bw + pad + third, by + bh / 4, third + pad, bh},
            fmt(L, "%u", pts), u->body_px, fg, C_SURFACE, W_CLIPPED | W_CENTER | W_BOLD,
            A(ACT_NONE, 0));
        snprintf(id, sizeof id, "plus-%s", pr->id);
        w2 = button(L, id, (struct rect){tx + bw + pad + 2 * third + pad, by, third, bh}, "+", true,
                    A(ACT_PLUS, p));
        w2->flags |= W_CLIPPED;
    } else {
        const char *label = msg(sel ? M_SELECTED : M_CHOOSE, L->l);
        if (bd->rule.kind == RULE_RANKING && sel)
            label = fmt(L, msg(M_RANK, L->l), ballot_value(b, (uint32_t)p));
        snprintf(id, sizeof id, "choose-%s", pr->id);
        w2 = button(L, id, (struct rect){tx + bw + pad, by, bw, bh}, label, !sel, toggle);
        w2->flags |= W_CLIPPED | (sel ? W_SELECTED : 0);
    }
    *height = h;
}

static void screen_ballot(struct lay *L, int top)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    const struct ballot_def *bd = &L->el->ballots[s->defs[s->cur]];
    const struct ballot *b = &s->vote.ballots[s->cur];
    int pad = u->pad, cw = L->w - 4 * pad, y = top;
    const char *title = fmt(L, "%s (%u/%u)", text_get(&bd->name, L->l), s->cur + 1, s->ndefs);
    y += text(L, "title", 2 * pad, y, cw, title, u->body_px * 5 / 4, C_TEXT, W_BOLD);
    y += text(L, "rule", 2 * pad, y, cw, rule_sentence(L, bd), u->body_px * 5 / 6, C_MUTED, 0);
    y += pad / 2;
    y += feedback(L, y, bd, b);
    if (s->notice[0]) {
        int nh = text_h(L, s->notice, u->body_px * 5 / 6, true, cw - 2 * pad);
        add(L, R_PANEL, "notice-box", (struct rect){2 * pad, y, cw, nh + pad}, NULL, 0, C_ON_NOTICE,
            C_NOTICE, 0, A(ACT_NONE, 0));
        y += pad / 2;
        y += text(L, "notice", 3 * pad, y, cw - 2 * pad, s->notice, u->body_px * 5 / 6, C_ON_NOTICE,
                  W_BOLD) +
             pad;
    }
    /* category filters: only those present on this ballot */
    int fx = 2 * pad, fh = u->button_h * 4 / 5, fw = u->unit * 20;
    bool any = false;
    for (size_t c = 0; c < L->el->ncategories; c++)
        for (size_t i = 0; i < bd->nprojects; i++)
            any |= L->el->projects[bd->projects[i]].category == (int)c;
    if (any) {
        for (int c = -1; c < (int)L->el->ncategories; c++) {
            bool present = c < 0;
            for (size_t i = 0; c >= 0 && i < bd->nprojects; i++)
                present |= L->el->projects[bd->projects[i]].category == c;
            if (!present)
                continue;
            const char *label =
                c < 0 ? msg(M_ALL_CATEGORIES, L->l) : text_get(&L->el->categories[c].name, L->l);
            int fpx = u->body_px * 3 / 4;
            int need = text_w(L, label, fpx, true) + 2 * pad;
            if (need < fw / 2)
                need = fw / 2;
            if (fx + need > L->w - 2 * pad)
                break; /* the rest would not fit: "All" still shows every project */
            struct widget *f =
                button(L, c < 0 ? "filter-all" : fmt(L, "filter-%s", L->el->categories[c].id),
                       (struct rect){fx, y, need, fh}, label, false, A(ACT_FILTER, c));
            f->px = fpx;
            if (s->filter == c)
                f->flags |= W_SELECTED;
            fx += need + pad / 2;
        }
        y += fh + pad;
    }
    int bottom = L->h - 2 * u->pad - u->button_h; /* the bottom bar comes last: focus order */
    u->clip = (struct rect){0, y, L->w, bottom - y};
    int cy = y - s->scroll, list_top = cy;
    int cards_per_row = L->w > L->h * 5 / 4 && L->w >= 1200 ? 2 : 1;
    int card_w = (L->w - 2 * pad - (cards_per_row - 1) * pad) / cards_per_row;
    int col = 0, row_h = 0;
    for (size_t i = 0; i < bd->nprojects; i++) {
        int p = (int)bd->projects[i];
        if (s->filter >= 0 && L->el->projects[p].category != s->filter)
            continue;
        int h;
        card(L, pad + col * (card_w + pad), cy, card_w, p, bd, b, &h);
        if (h > row_h)
            row_h = h;
        if (++col == cards_per_row) {
            cy += row_h + pad;
            col = 0;
            row_h = 0;
        }
    }
    if (col)
        cy += row_h + pad;
    u->content_h = cy - list_top;
    bottom_bar(L, s->cur + 1 < s->ndefs ? M_NEXT : M_REVIEW, A(ACT_NEXT, 0), true);
    if (why_not_valid(L, bd, b))
        disable(u, "next");
}

static void screen_review(struct lay *L, int top)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int pad = u->pad, cw = L->w - 4 * pad, y = top;
    y += text(L, "title", 2 * pad, y, cw, msg(M_REVIEW_TITLE, L->l), u->body_px * 5 / 4, C_TEXT,
              W_BOLD) +
         pad;
    int bottom = L->h - 2 * u->pad - u->button_h;
    u->clip = (struct rect){0, y, L->w, bottom - y};
    int cy = y - s->scroll, list_top = cy;
    bool any_invalid = false;
    for (uint32_t i = 0; i < s->ndefs; i++) {
        const struct ballot_def *bd = &L->el->ballots[s->defs[i]];
        const struct ballot *b = &s->vote.ballots[i];
        struct ballot_status st;
        memset(&st, 0, sizeof st);
        ballot_check(L->el, b, &st, NULL);
        int start = cy;
        size_t first = u->n;
        add(L, R_PANEL, fmt(L, "review-%s", bd->id), (struct rect){pad, cy, L->w - 2 * pad, 0},
            NULL, 0, C_TEXT, C_SURFACE, W_CLIPPED, A(ACT_NONE, 0));
        cy += pad;
        int bw = u->unit * 24;
        button(L, fmt(L, "change-%s", bd->id),
               (struct rect){L->w - 2 * pad - bw, cy, bw, u->button_h}, msg(M_CHANGE, L->l), false,
               A(ACT_CHANGE, (int)i))
            ->flags |= W_CLIPPED;
        int h = text(L, fmt(L, "review-title-%s", bd->id), 2 * pad, cy, cw - bw - pad,
                     text_get(&bd->name, L->l), u->body_px, C_TEXT, W_BOLD | W_CLIPPED);
        cy += (h > u->button_h ? h : u->button_h) + pad / 2;
        for (uint32_t k = 0; k < b->nentries; k++) {
            const struct project *pr = &L->el->projects[b->entries[k].project];
            char money[64];
            util_format_euro(money, sizeof money, pr->cost, lang_code(L->l));
            const char *line;
            if (bd->rule.kind == RULE_RANKING)
                line =
                    fmt(L, "%u. %s — %s", b->entries[k].value, text_get(&pr->title, L->l), money);
            else if (bd->rule.kind == RULE_CUMULATIVE)
                line = fmt(L, "%s — %s", text_get(&pr->title, L->l),
                           fmt(L, msg(M_POINTS_ON, L->l), b->entries[k].value));
            else
                line = fmt(L, "• %s — %s", text_get(&pr->title, L->l), money);
            cy += text(L, fmt(L, "review-%s-%s", bd->id, pr->id), 3 * pad, cy, cw - pad, line,
                       u->body_px * 5 / 6, C_TEXT, W_CLIPPED) +
                  pad / 3;
        }
        const char *note = NULL;
        if (why_not_valid(L, bd, b)) {
            note = fmt(L, msg(M_NEED_FIX_BALLOT, L->l), text_get(&bd->name, L->l));
            any_invalid = true;
        } else if (st.blank)
            note = msg(M_REVIEW_BLANK, L->l);
        else if (st.under_vote && (bd->rule.kind == RULE_APPROVAL || bd->rule.kind == RULE_RANKING))
            note = fmt(L, msg_n(M_REVIEW_UNDER, L->l, st.chosen), st.chosen, bd->rule.max);
        else if (bd->rule.kind == RULE_CUMULATIVE && st.points_left > 0)
            note = fmt(L, msg_n(M_REVIEW_POINTS_LEFT, L->l, st.points_left), st.points_left);
        else if (bd->rule.kind == RULE_KNAPSACK && st.left > 0) {
            /* money left that could still fund a project: the cheapest one that fits */
            const struct project *fits = NULL;
            for (size_t k = 0; k < bd->nprojects; k++) {
                const struct project *pr = &L->el->projects[bd->projects[k]];
                if (!ballot_has(b, bd->projects[k]) && pr->cost <= st.left &&
                    (!fits || pr->cost < fits->cost))
                    fits = pr;
            }
            if (fits) {
                char left[64], cost[64];
                util_format_euro(left, sizeof left, st.left, lang_code(L->l));
                util_format_euro(cost, sizeof cost, fits->cost, lang_code(L->l));
                note = fmt(L, msg(M_REVIEW_MONEY_LEFT, L->l), left, text_get(&fits->title, L->l),
                           cost);
            }
        }
        if (bd->rule.kind == RULE_KNAPSACK && !st.blank) {
            char money[64];
            util_format_euro(money, sizeof money, st.spent, lang_code(L->l));
            cy += text(L, fmt(L, "total-%s", bd->id), 3 * pad, cy, cw - pad,
                       fmt(L, msg(M_REVIEW_TOTAL, L->l), money), u->body_px * 5 / 6, C_TEXT,
                       W_BOLD | W_CLIPPED) +
                  pad / 3;
        }
        if (note)
            cy += text(L, fmt(L, "note-%s", bd->id), 3 * pad, cy, cw - pad, note,
                       u->body_px * 5 / 6, C_MUTED, W_CLIPPED) +
                  pad / 3;
        cy += pad;
        u->w[first].r.h = cy - start;
        cy += pad;
    }
    u->content_h = cy - list_top;
    bottom_bar(L, M_CONFIRM, A(ACT_CONFIRM, 0), true);
    if (any_invalid)
        disable(u, "next");
}

static void screen_done(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad;
    int y0 = content_begin(L, top, true), y = y0 + u->unit * 5;
    y += text(L, "recorded", 2 * pad, y, cw, msg(M_RECORDED, L->l), u->body_px * 3 / 2, C_TEXT,
              W_BOLD | W_CENTER) +
         u->unit * 4;
    y += text(L, "tracking-intro", 2 * pad, y, cw, msg(M_TRACKING_INTRO, L->l), u->body_px, C_MUTED,
              W_CENTER) +
         pad;
    int big = u->body_px * 5 / 2;
    int th = text_h(L, L->s->tracking, big, true, cw);
    add(L, R_PANEL, "tracking-box", (struct rect){L->w / 6, y - pad / 2, L->w * 2 / 3, th + pad},
        NULL, 0, C_TEXT, C_SURFACE, W_CLIPPED, A(ACT_NONE, 0));
    y += text(L, "tracking", 2 * pad, y, cw, L->s->tracking, big, C_TEXT, W_BOLD | W_CENTER) +
         u->unit * 4;
    y += text(L, "tracking-how", 3 * pad, y, cw - 2 * pad, msg(M_TRACKING_HOW, L->l), u->body_px,
              C_TEXT, W_CENTER);
    content_end(L, y0, y);
    bottom_bar(L, M_FINISH, A(ACT_FINISH, 0), false);
}

/* The buttons that enable the next voter: one per district, citywide only, and "the voter
 * chooses" (elections with districts); one button otherwise. Returns the y below them. */
static int enable_buttons(struct lay *L, int x, int y, int w)
{
    struct ui *u = L->u;
    int pad = u->pad, bh = u->button_h;
    y += text(L, "enable-title", x, y, w, msg(M_ENABLE_TITLE, L->l), u->body_px, C_TEXT, W_BOLD) +
         pad / 2;
    if (L->el->ndistricts == 0) {
        button(L, "enable-city", (struct rect){x, y, w / 2, bh}, msg(M_ENABLE_VOTER, L->l), true,
               A(ACT_ENABLE, ENABLE_CITYWIDE));
        y += bh + pad / 2;
    } else {
        int cols = 2, bw = (w - pad) / cols;
        size_t n = L->el->ndistricts + 2;
        for (size_t i = 0; i < n; i++) {
            int bx = x + (int)(i % cols) * (bw + pad), by = y + (int)(i / cols) * (bh + pad / 2);
            if (i < L->el->ndistricts)
                button(L, fmt(L, "enable-%s", L->el->districts[i].id),
                       (struct rect){bx, by, bw, bh}, text_get(&L->el->districts[i].name, L->l),
                       true, A(ACT_ENABLE, (int)i));
            else if (i == L->el->ndistricts)
                button(L, "enable-city", (struct rect){bx, by, bw, bh}, msg(M_ENABLE_CITY, L->l),
                       false, A(ACT_ENABLE, ENABLE_CITYWIDE));
            else
                button(L, "enable-any", (struct rect){bx, by, bw, bh}, msg(M_ENABLE_ANY, L->l),
                       false, A(ACT_ENABLE, ENABLE_VOTER_CHOOSES));
        }
        y += (int)((n + 1) / 2) * (bh + pad / 2);
    }
    y += text(L, "enable-hint", x, y, w, msg(M_ENABLE_HINT, L->l), u->body_px * 3 / 4, C_MUTED, 0) +
         pad;
    return y;
}

static void screen_official(struct lay *L, int top)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int pad = u->pad, cw = L->w - 4 * pad;
    int y0 = content_begin(L, top, true), y = y0;
    y += text(L, "title", 2 * pad, y, cw, msg(M_OFFICIAL_TITLE, L->l), u->body_px * 5 / 4, C_TEXT,
              W_BOLD) +
         pad;
    if (s->attended && s->polls_state == 1) /* the most frequent action comes first */
        y = enable_buttons(L, 2 * pad, y, cw);
    for (int i = 0; i < STATUS_LINES; i++)
        if (s->status[i][0])
            y += text(L, fmt(L, "status-%d", i), 2 * pad, y, cw, s->status[i], u->body_px * 5 / 6,
                      C_TEXT, 0);
    y += pad;
    int bw = (cw - 2 * pad) / 3, bh = u->button_h, x = 2 * pad;
    if (s->polls_state == 0) {
        button(L, "polls-open", (struct rect){x, y, bw, bh}, msg(M_POLLS_OPEN, L->l), true,
               A(ACT_POLLS, POLLS_OPEN));
        x += bw + pad;
    }
    if (s->polls_state == 1) {
        button(L, "polls-pause", (struct rect){x, y, bw, bh}, msg(M_POLLS_PAUSE, L->l), false,
               A(ACT_POLLS, POLLS_PAUSE));
        x += bw + pad;
    }
    if (s->polls_state == 2) {
        button(L, "polls-resume", (struct rect){x, y, bw, bh}, msg(M_POLLS_RESUME, L->l), true,
               A(ACT_POLLS, POLLS_RESUME));
        x += bw + pad;
    }
    if (s->polls_state == 1 || s->polls_state == 2) {
        button(L, "polls-close", (struct rect){x, y, bw, bh}, msg(M_POLLS_CLOSE, L->l), false,
               A(ACT_POLLS, POLLS_CLOSE));
        x += bw + pad;
    }
    if (s->polls_state != 0 && x + bw <= 2 * pad + cw)
        button(L, "export", (struct rect){x, y, bw, bh}, msg(M_EXPORT, L->l), false,
               A(ACT_EXPORT, 0));
    else if (s->polls_state != 0)
        y += bh + pad, button(L, "export", (struct rect){2 * pad, y, bw, bh}, msg(M_EXPORT, L->l),
                              false, A(ACT_EXPORT, 0));
    y += bh + pad;
    if (s->polls_state != 0 && s->printing) {
        button(L, "reprint", (struct rect){2 * pad, y, bw, bh}, msg(M_REPRINT, L->l), false,
               A(ACT_REPRINT, 0));
        y += bh + pad;
    }
    if (s->polls_state == 0 || s->polls_state == 3) {
        /* another election, or a corrected package: only while no polls are running */
        button(L, "install", (struct rect){2 * pad, y, bw, bh}, msg(M_INSTALL, L->l), false,
               A(ACT_INSTALL, 0));
        if (s->install_ready)
            button(L, "install-confirm", (struct rect){3 * pad + bw, y, 2 * bw, bh},
                   msg(M_INSTALL_CONFIRM, L->l), true, A(ACT_INSTALL_CONFIRM, 0));
        y += bh + pad;
    }
    if (s->official_msg[0])
        y += text(L, "official-message", 2 * pad, y, cw, s->official_msg, u->body_px * 2 / 3,
                  C_TEXT, 0);
    content_end(L, y0, y);
    int ew = u->unit * 45;
    button(L, "official-exit",
           (struct rect){L->w - pad - ew, L->h - pad - u->button_h, ew, u->button_h},
           msg(M_BACK_TO_VOTERS, L->l), true, A(ACT_OFFICIAL_EXIT, 0));
}

/* ---- overlays --------------------------------------------------------------------------- */

static int dialog(struct lay *L, const char *id, int *x, int *w);

static void pin_pad(struct lay *L)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int x, w, y, pad = u->pad;
    y = dialog(L, "pin", &x, &w);
    y += text(L, "pin-title", x + 2 * pad, y, w - 4 * pad, msg(M_PIN_TITLE, L->l),
              u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER) +
         pad / 2;
    char dots[40] = "";
    size_t n = strlen(s->pin);
    for (size_t i = 0; i < n && i < 12; i++)
        memcpy(dots + 3 * i, "\u2022", 3); /* one dot per digit typed, never the digit */
    dots[3 * (n < 12 ? n : 12)] = '\0';
    y += text(L, "pin-dots", x + 2 * pad, y, w - 4 * pad, n ? fmt(L, "%s", dots) : " ",
              u->body_px * 5 / 4, C_TEXT, W_CENTER) +
         pad / 2;
    if (s->official_msg[0])
        y += text(L, "pin-message", x + 2 * pad, y, w - 4 * pad, s->official_msg,
                  u->body_px * 3 / 4, C_ON_NOTICE, W_CENTER) +
             pad / 2;
    int kw = (w - 4 * pad - 2 * pad) / 3, bottom = L->h - 4 * pad - u->button_h;
    int kh = (bottom - y - 4 * (pad / 2)) / 4;
    if (kh > u->button_h)
        kh = u->button_h;
    static const char *const KEYS[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", ""};
    for (int k = 0; k < 12; k++) {
        int kx = x + 2 * pad + (k % 3) * (kw + pad), ky = y + (k / 3) * (kh + pad / 2);
        if (k == 9)
            button(L, "pin-erase", (struct rect){kx, ky, kw, kh}, msg(M_PIN_ERASE, L->l), false,
                   A(ACT_PIN_ERASE, 0));
        else if (k == 11)
            button(L, "pin-ok", (struct rect){kx, ky, kw, kh}, msg(M_PIN_OK, L->l), true,
                   A(ACT_PIN_OK, 0));
        else
            button(L, fmt(L, "pin-%s", KEYS[k]), (struct rect){kx, ky, kw, kh}, KEYS[k], false,
                   A(ACT_PIN_DIGIT, KEYS[k][0] - '0'));
    }
    button(L, "pin-cancel", (struct rect){x + w / 4, bottom, w / 2, u->button_h},
           msg(M_CANCEL, L->l), false, A(ACT_OFFICIAL_EXIT, 0));
}

static int dialog(struct lay *L, const char *id, int *x, int *w)
{
    struct ui *u = L->u;
    add(L, R_PANEL, "scrim", (struct rect){0, 0, L->w, L->h}, NULL, 0, C_TEXT, C_SCRIM, 0,
        A(ACT_NONE, 0));
    *w = L->w - 8 * u->pad;
    if (*w > u->unit * 140)
        *w = u->unit * 140;
    *x = (L->w - *w) / 2;
    add(L, R_PANEL, id, (struct rect){*x, 2 * u->pad, *w, L->h - 4 * u->pad}, NULL, 0, C_TEXT,
        C_SURFACE, 0, A(ACT_NONE, 0));
    return 3 * u->pad;
}

static void two_buttons(struct lay *L, int x, int w, int y, enum msg no, struct action no_act,
                        enum msg yes, struct action yes_act)
{
    struct ui *u = L->u;
    int bw = (w - 3 * u->pad) / 2, bh = u->button_h;
    button(L, "dialog-no", (struct rect){x + u->pad, y, bw, bh}, msg(no, L->l), false, no_act);
    button(L, "dialog-yes", (struct rect){x + 2 * u->pad + bw, y, bw, bh}, msg(yes, L->l), true,
           yes_act);
}

static void overlay(struct lay *L)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int x, w, y, pad = u->pad;
    switch (s->overlay) {
    case OV_NONE:
        return;
    case OV_DETAIL: {
        const struct project *pr = &L->el->projects[s->detail];
        y = dialog(L, "detail", &x, &w);
        int pic_w = w / 2 > PICTURE_MAX_W ? PICTURE_MAX_W : w / 2;
        int max_pic_h = (L->h - 4 * pad) * 3 / 10;
        if (pic_w * 2 / 3 > max_pic_h)
            pic_w = max_pic_h * 3 / 2;
        struct widget *pic =
            add(L, R_PICTURE, "detail-picture", (struct rect){x + 2 * pad, y, pic_w, pic_w * 2 / 3},
                NULL, 0, C_TEXT, C_BORDER, 0, A(ACT_NONE, 0));
        pic->project = s->detail;
        int tx = x + 3 * pad + pic_w, tw = w - (tx - x) - 2 * pad;
        int ty = y;
        ty += text(L, "detail-title", tx, ty, tw, text_get(&pr->title, L->l), u->body_px * 5 / 4,
                   C_TEXT, W_BOLD) +
              pad;
        char money[64];
        util_format_euro(money, sizeof money, pr->cost, lang_code(L->l));
        const char *where = pr->district >= 0 ? text_get(&L->el->districts[pr->district].name, L->l)
                                              : text_get(&L->el->name, L->l);
        text(L, "detail-meta", tx, ty, tw, fmt(L, "%s\n%s", money, where), u->body_px, C_MUTED, 0);
        y += pic_w * 2 / 3 + pad;
        int bottom = L->h - 4 * pad - u->button_h;
        /* the description scrolls (touch drag, wheel, Page Up/Down) inside the dialog */
        const char *desc = text_get(&pr->description, L->l);
        int dh = text_h(L, desc, u->body_px, false, w - 4 * pad);
        u->clip = (struct rect){x + pad, y, w - 2 * pad, bottom - pad - y};
        u->content_h = dh + pad;
        add(L, R_TEXT, "detail-description",
            (struct rect){x + 2 * pad, y - s->detail_scroll, w - 4 * pad, dh}, desc, u->body_px,
            C_TEXT, C_SURFACE, W_CLIPPED, A(ACT_NONE, 0));
        button(L, "detail-close",
               (struct rect){x + w - 2 * pad - u->unit * 30, bottom, u->unit * 30, u->button_h},
               msg(M_CLOSE, L->l), true, A(ACT_CLOSE, 0));
        break;
    }
    case OV_CONFIRM:
        y = dialog(L, "confirm", &x, &w);
        y += text(L, "confirm-question", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
                  msg(M_CONFIRM_QUESTION, L->l), u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER);
        two_buttons(L, x, w, L->h - 4 * pad - u->button_h, M_NO_BACK, A(ACT_CLOSE, 0), M_YES_CAST,
                    A(ACT_CAST, 0));
        break;
    case OV_CANCEL:
        y = dialog(L, "cancel", &x, &w);
        text(L, "cancel-question", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
             msg(M_CANCEL_QUESTION, L->l), u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER);
        two_buttons(L, x, w, L->h - 4 * pad - u->button_h, M_NO_BACK, A(ACT_CLOSE, 0), M_CANCEL_YES,
                    A(ACT_CANCEL_YES, 0));
        break;
    case OV_IDLE: {
        y = dialog(L, "idle", &x, &w);
        y += text(L, "idle-title", x + 2 * pad, y + u->unit * 6, w - 4 * pad,
                  msg(M_IDLE_TITLE, L->l), u->body_px * 3 / 2, C_TEXT, W_BOLD | W_CENTER);
        text(L, "idle-body", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
             fmt(L, msg_n(M_IDLE_BODY, L->l, L->s->idle_left_s), L->s->idle_left_s), u->body_px,
             C_TEXT, W_CENTER | W_TICKING);
        button(L, "idle-continue",
               (struct rect){x + w / 4, L->h - 4 * pad - u->button_h, w / 2, u->button_h},
               msg(M_IDLE_CONTINUE, L->l), true, A(ACT_CONTINUE, 0));
        break;
    }
    case OV_PIN:
        pin_pad(L);
        break;
    case OV_CLOSE1:
    case OV_CLOSE2:
        y = dialog(L, s->overlay == OV_CLOSE1 ? "close1" : "close2", &x, &w);
        text(L, "close-question", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
             msg(s->overlay == OV_CLOSE1 ? M_CLOSE_Q1 : M_CLOSE_Q2, L->l), u->body_px * 5 / 4,
             C_TEXT, W_BOLD | W_CENTER);
        two_buttons(L, x, w, L->h - 4 * pad - u->button_h, M_NO_BACK, A(ACT_CLOSE, 0), M_CLOSE_YES,
                    A(ACT_CLOSE_CONFIRM, 0));
        break;
    case OV_ENABLE: {
        y = dialog(L, "enable", &x, &w);
        bool was = L->scrolling;
        enable_buttons(L, x + 2 * pad, y, w - 4 * pad);
        L->scrolling = was;
        button(L, "enable-cancel",
               (struct rect){x + w / 4, L->h - 4 * pad - u->button_h, w / 2, u->button_h},
               msg(M_CANCEL, L->l), false, A(ACT_CLOSE, 0));
        break;
    }
    case OV_FAILED:
        y = dialog(L, "failed", &x, &w);
        text(L, "failed-text", x + 2 * pad, y + u->unit * 10, w - 4 * pad, msg(M_CAST_FAILED, L->l),
             u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER);
        break;
    case OV_UNKNOWN:
        y = dialog(L, "unknown", &x, &w);
        text(L, "unknown-text", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
             msg(M_CAST_UNKNOWN, L->l), u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER);
        break;
    case OV_CLOCK:
        y = dialog(L, "clock", &x, &w);
        text(L, "clock-warning", x + 2 * pad, y + u->unit * 4, w - 4 * pad, s->official_msg,
             u->body_px, C_TEXT, W_BOLD);
        two_buttons(L, x, w, L->h - 4 * pad - u->button_h, M_NO_BACK, A(ACT_CLOSE, 0),
                    M_CLOCK_OPEN_ANYWAY, A(ACT_POLLS_CONFIRM, 0));
        break;
    }
}

void ui_build(struct ui *u, const struct session *s, const struct election *el, int w, int h,
              bool demo, ui_measure_fn measure, void *ctx)
{
    u->n = 0;
    u->used = 0;
    u->overflow = false;
    u->demo = demo;
    u->content_h = 0;
    u->clip = (struct rect){0, 0, w, h};
    int shorter = w < h ? w : h;
    u->unit = shorter / 100 > 4 ? shorter / 100 : 4;
    int body = shorter * 36 / 1000;
    u->body_px = (body > 22 ? body : 22) * (s->large_text ? 4 : 3) / 3;
    int bh = shorter * 9 / 100;
    u->button_h = (bh > 48 ? bh : 48) * (s->large_text ? 5 : 4) / 4;
    u->pad = u->unit * 2 > 8 ? u->unit * 2 : 8;
    struct lay L = {
        .u = u, .s = s, .el = el, .w = w, .h = h, .measure = measure, .ctx = ctx, .l = s->lang};
    add(&L, R_PANEL, "background", (struct rect){0, 0, w, h}, NULL, 0, C_TEXT, C_BG, 0,
        A(ACT_NONE, 0));
    int top = top_bar(&L);
    switch (s->screen) {
    case SCR_WELCOME:
        screen_welcome(&L, top);
        break;
    case SCR_TOKEN:
        screen_token(&L, top);
        break;
    case SCR_DISTRICT:
        screen_district(&L, top);
        break;
    case SCR_HOWTO:
        screen_howto(&L, top);
        break;
    case SCR_BALLOT:
        screen_ballot(&L, top);
        break;
    case SCR_REVIEW:
        screen_review(&L, top);
        break;
    case SCR_DONE:
        screen_done(&L, top);
        break;
    case SCR_OFFICIAL:
        screen_official(&L, top);
        break;
    }
    overlay(&L);
    /* texts must fit their boxes horizontally and, outside scrolling lists, the screen */
    for (size_t i = 0; i < u->n; i++) {
        const struct widget *wd = &u->w[i];
        if (wd->role == R_TEXT && !(wd->flags & W_CLIPPED) &&
            (wd->r.x + wd->r.w > w || wd->r.y + wd->r.h > h))
            u->overflow = true;
    }
}

static bool inside(struct rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

int ui_hit(const struct ui *u, int x, int y)
{
    for (size_t i = u->n; i-- > 0;) {
        const struct widget *w = &u->w[i];
        if ((w->flags & W_CLIPPED) && !inside(u->clip, x, y))
            continue;
        if (inside(w->r, x, y)) {
            if (w->act.kind != ACT_NONE && !(w->flags & W_DISABLED))
                return (int)i;
            if (w->role == R_PANEL && w->r.w == u->w[0].r.w && i > 0 && strcmp(w->id, "scrim") == 0)
                return -1; /* a dialog is open: nothing behind it reacts */
        }
    }
    return -1;
}

int ui_find(const struct ui *u, const char *id)
{
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->w[i].id, id) == 0)
            return (int)i;
    return -1;
}

int ui_focus_step(const struct ui *u, int from, int dir)
{
    /* with a dialog open, only its widgets take focus */
    size_t lo = 0;
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->w[i].id, "scrim") == 0)
            lo = i;
    int n = (int)u->n;
    for (int k = 1; k <= n; k++) {
        int i = from < 0 ? (dir > 0 ? k - 1 : n - k) : ((from + dir * k) % n + n) % n;
        if ((size_t)i < lo)
            continue;
        const struct widget *w = &u->w[i];
        if ((w->flags & W_FOCUSABLE) && !(w->flags & W_DISABLED))
            return i;
    }
    return -1;
}

static const char *ROLE_NAMES[] = {"panel", "text", "button", "card", "picture", "bar"};

void ui_describe(const struct ui *u, int focused, FILE *f)
{
    for (size_t i = 0; i < u->n; i++) {
        const struct widget *w = &u->w[i];
        if (w->role == R_PANEL && !strcmp(w->id, "background"))
            continue;
        bool visible = !(w->flags & W_CLIPPED) ||
                       (w->r.y + w->r.h > u->clip.y && w->r.y < u->clip.y + u->clip.h);
        fprintf(f, "%s %s \"", ROLE_NAMES[w->role], w->id);
        for (const char *p = w->text ? w->text : ""; *p; p++)
            fputc(*p == '\n' ? ' ' : *p, f);
        fprintf(f, "\" %d,%d,%d,%d", w->r.x, w->r.y, w->r.w, w->r.h);
        if (w->role == R_BAR)
            fprintf(f, " value=%ld/%ld", w->value, w->max);
        if (w->flags & W_SELECTED)
            fprintf(f, " selected");
        if (w->flags & W_DISABLED)
            fprintf(f, " disabled");
        if ((int)i == focused)
            fprintf(f, " focused");
        if (!visible)
            fprintf(f, " offscreen");
        fputc('\n', f);
    }
}
