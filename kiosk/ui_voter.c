/* ui_voter — the voter's screens: welcome, voter card, district, how to vote, ballots, review
 * and recorded. Each adds its widgets top to bottom through the blocks of ui_int.h. */
#include <string.h>

#include "ballot.h"
#include "ui_int.h"
#include "util.h"

/* The election's name in the election's first language only, or in all of its languages but
 * the ones already shown (`all`), each distinct name once. Returns the y below. */
static int welcome_names(struct lay *L, int y, bool all)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad;
    for (int i = 0; i < (all ? L->el->nlangs : 1); i++) {
        enum lang lg = L->el->langs[i];
        const char *name = text_get(&L->el->name, lg);
        bool seen = false;
        for (int k = 0; k < i; k++)
            seen |= !strcmp(name, text_get(&L->el->name, L->el->langs[k]));
        if (seen || (i == 0 && ui_find(u, "title") >= 0))
            continue;
        y +=
            lay_text(L, i ? lay_fmt(L, "title-%s", lang_code(lg)) : "title", 2 * pad, y, cw, name,
                     i ? u->body_px : u->body_px * 3 / 2, i ? C_MUTED : C_TEXT, W_CENTER | W_BOLD) +
            pad / 2;
    }
    return y;
}

void ui_screen_welcome(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad;
    /* large text on a small panel: the welcome scrolls rather than push buttons off-screen */
    int y0 = lay_content_begin(L, top, 0), y = y0 + u->unit * 3;
    /* nobody has chosen a language yet: the election's name in each of them (the others
     * under the language buttons when there are buttons, so that these come first) */
    bool buttons = L->s->polls_open && !(L->s->attended && !L->s->enabled);
    y = welcome_names(L, y, !buttons);
    y += u->unit * 3;
    if (!L->s->polls_open) {
        /* in every language of the election: nobody can start voting */
        for (int i = 0; i < L->el->nlangs; i++) {
            enum lang lg = L->el->langs[i];
            char id[24];
            snprintf(id, sizeof id, "closed-%s", lang_code(lg));
            y += lay_text(L, id, 2 * pad, y, cw,
                          lay_fmt(L, "%s. %s", msg(M_CLOSED_TITLE, lg), msg(M_CLOSED_BODY, lg)),
                          u->body_px, C_TEXT, W_CENTER) +
                 pad;
        }
        lay_content_end(L, y0, y);
        return;
    }
    if (L->s->attended && !L->s->enabled) {
        /* between voters at a staffed kiosk: an official enables the next one */
        for (int i = 0; i < L->el->nlangs; i++) {
            enum lang lg = L->el->langs[i];
            y += lay_text(L, lay_fmt(L, "wait-%s", lang_code(lg)), 2 * pad, y, cw,
                          msg(M_WAIT_OFFICIAL, lg), u->body_px, C_TEXT, W_CENTER) +
                 pad;
        }
        lay_content_end(L, y0, y);
        return;
    }
    /* the prompt in every language of the election, so anyone finds theirs */
    for (int i = 0; i < L->el->nlangs; i++) {
        char id[24];
        snprintf(id, sizeof id, "prompt-%s", lang_code(L->el->langs[i]));
        y += lay_text(L, id, 2 * pad, y, cw, msg(M_CHOOSE_LANGUAGE, L->el->langs[i]), u->body_px,
                      C_MUTED, W_CENTER);
    }
    y += u->unit * 3;
    /* the language buttons side by side when their names fit so, else one under the other */
    int px = u->body_px * 5 / 4, n = L->el->nlangs, gap = 2 * pad;
    int rw = (cw - (n - 1) * gap) / (n ? n : 1), bw = L->w * 2 / 3;
    if (rw > u->unit * 50)
        rw = u->unit * 50;
    bool row = true;
    for (int i = 0; i < n; i++)
        row &= lay_text_w(L, msg(M_LANGUAGE_NAME, L->el->langs[i]), px, true) + 2 * pad <= rw;
    if (bw > u->unit * 80)
        bw = u->unit * 80;
    if (row)
        bw = rw;
    int bh = u->button_h * 5 / 4;
    for (int i = 0; i < n; i++)
        if (lay_button_h(L, msg(M_LANGUAGE_NAME, L->el->langs[i]), bw, px) > bh)
            bh = lay_button_h(L, msg(M_LANGUAGE_NAME, L->el->langs[i]), bw, px);
    int x0 = (L->w - (row ? n * bw + (n - 1) * gap : bw)) / 2;
    for (int i = 0; i < n; i++) {
        enum lang lg = L->el->langs[i];
        char id[16];
        snprintf(id, sizeof id, "lang-%s", lang_code(lg));
        int bx = row ? x0 + i * (bw + gap) : x0, by = row ? y : y + i * (bh + pad);
        lay_button_px(L, id, (struct rect){bx, by, bw, bh}, msg(M_LANGUAGE_NAME, lg), true,
                      lay_act(ACT_LANG, (int)lg), px);
    }
    y += row ? bh + pad : n * (bh + pad);
    y = welcome_names(L, y + u->unit * 2, true);
    lay_content_end(L, y0, y);
}

/* A screen of the scrolling kind opens with its title; *y0 receives the content's first y. */
int lay_screen_title(struct lay *L, int top, enum msg title, int gap_units, int bottom_h, int *y0)
{
    struct ui *u = L->u;
    *y0 = lay_content_begin(L, top, bottom_h);
    int y = *y0 + u->unit * gap_units;
    return y + lay_text(L, "title", 2 * u->pad, y, L->w - 4 * u->pad, msg(title, L->l),
                        u->body_px * 4 / 3, C_TEXT, W_BOLD);
}

void ui_screen_district(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad, y0;
    int y = lay_screen_title(L, top, M_DISTRICT_TITLE, 3, lay_bottom_bar_h(L, M_NEXT, false, true),
                             &y0) +
            u->unit * 3;
    for (size_t d = 0; d <= L->el->ndistricts; d++) {
        bool none = d == L->el->ndistricts;
        char id[48];
        snprintf(id, sizeof id, "district-%s", none ? "none" : L->el->districts[d].id);
        const char *label =
            none ? msg(M_DISTRICT_NONE, L->l) : text_get(&L->el->districts[d].name, L->l);
        int bh = lay_button_h(L, label, cw, u->body_px);
        if (bh < u->button_h * 5 / 4)
            bh = u->button_h * 5 / 4;
        lay_button(L, id, (struct rect){2 * pad, y, cw, bh}, label, !none,
                   lay_act(ACT_DISTRICT, none ? -1 : (int)d));
        y += bh + pad;
    }
    lay_content_end(L, y0, y);
    lay_bottom_bar(L, M_NEXT, lay_act(ACT_NONE, 0), true);
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
    return n ? lay_fmt(L, "%s", out) : " ";
}

void ui_screen_token(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad, y0;
    int y =
        lay_screen_title(L, top, M_TOKEN_TITLE, 2, lay_bottom_bar_h(L, M_PIN_OK, true, true), &y0);
    y +=
        lay_text(L, "token-body", 2 * pad, y, cw, msg(M_TOKEN_BODY, L->l), u->body_px, C_MUTED, 0) +
        pad;
    int big = u->body_px * 3 / 2;
    int th = lay_text_h(L, "0", big, true, cw) + pad, ew = cw / 4, iw = cw - ew - pad;
    if (th < lay_button_h(L, msg(M_TOKEN_ERASE, L->l), ew, u->body_px))
        th = lay_button_h(L, msg(M_TOKEN_ERASE, L->l), ew, u->body_px);
    lay_add(L, R_PANEL, "token-box", (struct rect){2 * pad, y, iw, th}, NULL, 0, C_TEXT, C_SURFACE,
            W_CLIPPED, lay_act(ACT_NONE, 0));
    lay_text(L, "token-input", 2 * pad, y + (th - lay_text_h(L, "0", big, true, iw)) / 2, iw,
             token_shown(L), big, C_TEXT, W_BOLD | W_CENTER);
    lay_button(L, "token-erase", (struct rect){3 * pad + iw, y, ew, th}, msg(M_TOKEN_ERASE, L->l),
               false, lay_act(ACT_TOKEN_ERASE, 0));
    y += th + pad;
    if (L->s->notice[0])
        y += lay_text(L, "notice", 2 * pad, y, cw, L->s->notice, u->body_px, C_ON_NOTICE, W_BOLD) +
             pad;
    /* the 32 characters a code can hold (no I, L, O, U) */
    static const char KEYS[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    int cols = 8, kw = (cw - (cols - 1) * pad / 2) / cols, kh = u->button_h;
    for (int k = 0; k < 32; k++) {
        int kx = 2 * pad + (k % cols) * (kw + pad / 2), ky = y + (k / cols) * (kh + pad / 2);
        char label[2] = {KEYS[k], '\0'};
        lay_button(L, lay_fmt(L, "tk-%c", KEYS[k]), (struct rect){kx, ky, kw, kh},
                   lay_fmt(L, "%s", label), false, lay_act(ACT_TOKEN_CHAR, KEYS[k]));
    }
    y += 4 * (kh + pad / 2);
    lay_content_end(L, y0, y);
    /* OK where "next" is on every other screen: always in view */
    int half = (L->w - 3 * pad) / 2, bh = lay_bottom_bar_h(L, M_PIN_OK, true, true);
    int bw = lay_button_w(L, msg(M_BACK, L->l), u->unit * 45 < half ? u->unit * 45 : half, half);
    bw = lay_button_w(L, msg(M_PIN_OK, L->l), bw, half);
    lay_button(L, "back", (struct rect){pad, L->h - pad - bh, bw, bh}, msg(M_BACK, L->l), false,
               lay_act(ACT_BACK, 0));
    lay_button(L, "token-ok", (struct rect){L->w - pad - bw, L->h - pad - bh, bw, bh},
               msg(M_PIN_OK, L->l), true, lay_act(ACT_TOKEN_OK, 0));
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
        return r->min ? lay_fmt(L, msg_n(M_RULE_APPROVAL, L->l, r->max), r->min, r->max)
                      : lay_fmt(L, msg_n(M_RULE_APPROVAL_MAX, L->l, r->max), r->max);
    case RULE_KNAPSACK:
        util_format_euro(money, sizeof money, bd->budget, lang_code(L->l));
        if (r->min_share_permille > 0) {
            char least[64];
            util_format_euro(least, sizeof least, least_spend(bd), lang_code(L->l));
            return lay_fmt(L, msg(M_RULE_KNAPSACK_MIN, L->l), least, money);
        }
        return lay_fmt(L, msg(M_RULE_KNAPSACK, L->l), money);
    case RULE_CUMULATIVE:
        return lay_fmt(L, msg_n(M_RULE_CUMULATIVE, L->l, r->points), r->points, r->max_per_project);
    case RULE_RANKING:
        return r->min ? lay_fmt(L, msg_n(M_RULE_RANKING_MIN, L->l, r->max), r->min, r->max)
                      : lay_fmt(L, msg_n(M_RULE_RANKING, L->l, r->max), r->max);
    }
    return "";
}

/* Why the ballot cannot be left or cast as it is (a minimum not reached), or NULL when it can:
 * Next and the vote's confirmation wait with this sentence shown, never silently. */
static const char *why_not_valid(struct lay *L, const struct ballot_def *bd, const struct ballot *b)
{
    struct ballot_status st;
    memset(&st, 0, sizeof st);
    if (ballot_check(L->el, b, &st, NULL) == 0)
        return NULL;
    const struct rule *r = &bd->rule;
    if ((r->kind == RULE_APPROVAL || r->kind == RULE_RANKING) && st.chosen < r->min)
        return lay_fmt(L,
                       msg_n(r->kind == RULE_RANKING ? M_NEED_MORE_RANKED : M_NEED_MORE_CHOICES,
                             L->l, r->min - st.chosen),
                       r->min - st.chosen);
    if (r->kind == RULE_KNAPSACK && st.spent < least_spend(bd)) {
        char money[64];
        util_format_euro(money, sizeof money, least_spend(bd) - st.spent, lang_code(L->l));
        return lay_fmt(L, msg(M_NEED_MORE_MONEY, L->l), money);
    }
    return msg(M_NEED_FIX, L->l);
}

/* A button that cannot act now: shown, greyed, and skipped by the focus. */
void lay_disable(struct ui *u, const char *id)
{
    int i = ui_find(u, id);
    if (i >= 0) {
        u->w[i].flags |= W_DISABLED;
        u->w[i].act = lay_act(ACT_NONE, 0);
    }
}

void ui_screen_howto(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad;
    int y0 = lay_content_begin(L, top, lay_bottom_bar_h(L, M_START, true, true)),
        y = y0 + u->unit * 2;
    y += lay_text(L, "title", 2 * pad, y, cw, msg(M_HOWTO_TITLE, L->l), u->body_px * 4 / 3, C_TEXT,
                  W_BOLD);
    y += u->unit * 2;
    y += lay_text(L, "howto-ballots", 2 * pad, y, cw,
                  lay_fmt(L, msg_n(M_HOWTO_BALLOTS, L->l, L->s->ndefs), L->s->ndefs), u->body_px,
                  C_TEXT, 0);
    y += pad;
    for (uint32_t i = 0; i < L->s->ndefs; i++) {
        const struct ballot_def *bd = &L->el->ballots[L->s->defs[i]];
        char id[48];
        snprintf(id, sizeof id, "howto-%s", bd->id);
        y += lay_text(L, id, 3 * pad, y, cw - pad,
                      lay_fmt(L, "• %s — %s", text_get(&bd->name, L->l), rule_sentence(L, bd)),
                      u->body_px, C_TEXT, 0);
        y += pad / 2;
    }
    y += pad;
    y += lay_text(L, "howto-secret", 2 * pad, y, cw, msg(M_HOWTO_SECRET, L->l), u->body_px, C_MUTED,
                  0);
    lay_content_end(L, y0, y);
    lay_bottom_bar(L, M_START, lay_act(ACT_START, 0), true);
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
        line = lay_fmt(L, msg_n(M_CHOSEN_OF, L->l, st.chosen), st.chosen, bd->rule.max);
        break;
    case RULE_RANKING:
        line = lay_fmt(L, msg_n(M_RANKED_OF, L->l, st.chosen), st.chosen, bd->rule.max);
        break;
    case RULE_KNAPSACK:
        util_format_euro(money, sizeof money, bd->budget - st.spent, lang_code(L->l));
        line = lay_fmt(L, msg(M_BUDGET_LEFT, L->l), money);
        break;
    case RULE_CUMULATIVE:
        line = lay_fmt(L, msg_n(M_POINTS_LEFT, L->l, st.points_left), st.points_left);
        break;
    }
    int h = lay_text(L, "feedback", 2 * pad, y, cw, line, u->body_px, C_TEXT, W_BOLD);
    y += h + pad / 2;
    const char *why = why_not_valid(L, bd, b);
    if (why) {
        int wh = lay_text(L, "why-next", 2 * pad, y, cw, why, u->body_px * 5 / 6, C_TEXT, W_BOLD);
        y += wh + pad / 2;
        h += wh + pad / 2;
    }
    struct widget *bar =
        lay_add(L, R_BAR, "budget-bar", (struct rect){2 * pad, y, cw, u->unit * 2}, NULL, 0,
                C_PRIMARY, C_TRACK, L->scrolling ? W_CLIPPED : 0, lay_act(ACT_NONE, 0));
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

/* One project card: picture, title with its check box, cost, summary, the "touch again to
 * remove" line when chosen, the refusal when this project's tap was refused (inside the card, so
 * that the list does not move under the voter's finger), then Details and Choose (or - n +). */
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
    const char *meta = lay_fmt(L, "%s", money); /* widget texts must outlive this frame's stack */
    if (pr->category >= 0)
        meta = lay_fmt(L, "%s · %s", money, text_get(&L->el->categories[pr->category].name, L->l));
    const char *title = text_get(&pr->title, L->l), *summary = text_get(&pr->summary, L->l);
    int title_px = u->body_px * 10 / 9, small_px = u->body_px * 5 / 6;
    int ck = u->body_px * 5 / 4; /* the check box */
    int th = lay_text_h(L, title, title_px, true, tw - ck - pad),
        mh = lay_text_h(L, meta, small_px, false, tw),
        sh = lay_text_h(L, summary, small_px, false, tw);
    if (th < ck)
        th = ck;
    bool cumulative = bd->rule.kind == RULE_CUMULATIVE;
    const char *hint = sel && !cumulative ? msg(M_TOUCH_TO_REMOVE, L->l) : NULL;
    int hh = hint ? lay_text_h(L, hint, small_px, false, tw) + pad / 3 : 0;
    const char *notice = L->s->notice[0] && L->s->notice_project == p ? L->s->notice : NULL;
    int nh = notice ? lay_text_h(L, notice, small_px, true, tw - pad) + pad : 0;
    int bw = (tw - pad) / 2;
    const char *label = msg(sel ? M_SELECTED : M_CHOOSE, L->l);
    if (bd->rule.kind == RULE_RANKING && sel)
        label = lay_fmt(L, msg(M_RANK, L->l), ballot_value(b, (uint32_t)p));
    int bh = lay_button_h(L, msg(M_DETAILS, L->l), bw, u->body_px);
    if (!cumulative && lay_button_h(L, label, bw, u->body_px) > bh)
        bh = lay_button_h(L, label, bw, u->body_px);
    int h = pad + th + pad / 3 + mh + pad / 3 + sh + pad + hh + (nh ? nh + pad / 2 : 0) + bh + pad;
    if (h < pic_h + 2 * pad)
        h = pic_h + 2 * pad;
    char id[64];
    snprintf(id, sizeof id, "card-%s", pr->id);
    struct action toggle = lay_act(ACT_TOGGLE, p);
    lay_add(L, R_CARD, id, (struct rect){x, y0, w, h}, title, 0, sel ? C_ON_SELECTED : C_TEXT,
            sel ? C_SELECTED : C_SURFACE, W_CLIPPED | (sel ? W_SELECTED : 0), toggle);
    struct widget *pic = lay_add(L, R_PICTURE, lay_fmt(L, "picture-%s", pr->id),
                                 (struct rect){x + pad, y0 + pad, pic_w, pic_h}, NULL, 0, C_TEXT,
                                 C_BORDER, W_CLIPPED, lay_act(ACT_NONE, 0));
    pic->project = p;
    int y = y0 + pad;
    enum colour fg = sel ? C_ON_SELECTED : C_TEXT, mfg = sel ? C_ON_SELECTED : C_MUTED;
    snprintf(id, sizeof id, "title-%s", pr->id);
    lay_add(L, R_TEXT, id, (struct rect){tx, y, tw - ck - pad, th}, title, title_px, fg, C_SURFACE,
            W_CLIPPED | W_BOLD, lay_act(ACT_NONE, 0));
    /* chosen or not, drawn as a box with a tick: not only a word */
    snprintf(id, sizeof id, "check-%s", pr->id);
    bool ticked = cumulative ? ballot_value(b, (uint32_t)p) > 0 : sel;
    lay_add(L, R_CHECK, id, (struct rect){tx + tw - ck, y, ck, ck}, NULL, 0, fg,
            sel ? C_SELECTED : C_SURFACE, W_CLIPPED | (ticked ? W_SELECTED : 0),
            lay_act(ACT_NONE, 0));
    y += th + pad / 3;
    snprintf(id, sizeof id, "meta-%s", pr->id);
    lay_add(L, R_TEXT, id, (struct rect){tx, y, tw, mh}, meta, small_px, mfg, C_SURFACE, W_CLIPPED,
            lay_act(ACT_NONE, 0));
    y += mh + pad / 3;
    snprintf(id, sizeof id, "summary-%s", pr->id);
    lay_add(L, R_TEXT, id, (struct rect){tx, y, tw, sh}, summary, small_px, fg, C_SURFACE,
            W_CLIPPED, lay_act(ACT_NONE, 0));
    y += sh + pad / 3;
    if (hint) {
        snprintf(id, sizeof id, "hint-%s", pr->id);
        lay_add(L, R_TEXT, id, (struct rect){tx, y, tw, hh - pad / 3}, hint, small_px, fg,
                C_SELECTED, W_CLIPPED, lay_act(ACT_NONE, 0));
        y += hh;
    }
    if (notice) {
        y += pad / 3;
        lay_add(L, R_PANEL, "notice-box", (struct rect){tx, y, tw, nh}, NULL, 0, C_ON_NOTICE,
                C_NOTICE, W_CLIPPED, lay_act(ACT_NONE, 0));
        lay_add(L, R_TEXT, "notice", (struct rect){tx + pad / 2, y + pad / 2, tw - pad, nh - pad},
                notice, small_px, C_ON_NOTICE, C_NOTICE, W_CLIPPED | W_BOLD, lay_act(ACT_NONE, 0));
    }
    int by = y0 + h - pad - bh;
    snprintf(id, sizeof id, "details-%s", pr->id);
    struct widget *w1 = lay_button(L, id, (struct rect){tx, by, bw, bh}, msg(M_DETAILS, L->l),
                                   false, lay_act(ACT_DETAIL, p));
    w1->flags |= W_CLIPPED;
    struct widget *w2;
    if (cumulative) {
        int third = (bw - pad) / 3;
        uint32_t pts = ballot_value(b, (uint32_t)p);
        snprintf(id, sizeof id, "minus-%s", pr->id);
        w2 = lay_button(L, id, (struct rect){tx + bw + pad, by, third, bh}, "–", false,
                        lay_act(ACT_MINUS, p));
        w2->flags |= W_CLIPPED | (pts ? 0 : W_DISABLED);
        snprintf(id, sizeof id, "points-%s", pr->id);
        int ph = lay_text_h(L, "0", u->body_px, true, third + pad);
        lay_add(L, R_TEXT, id,
                (struct rect){tx + bw + pad + third, by + (bh - ph) / 2, third + pad, ph},
                lay_fmt(L, "%u", pts), u->body_px, fg, C_SURFACE, W_CLIPPED | W_CENTER | W_BOLD,
                lay_act(ACT_NONE, 0));
        snprintf(id, sizeof id, "plus-%s", pr->id);
        w2 = lay_button(L, id, (struct rect){tx + bw + pad + 2 * third + pad, by, third, bh}, "+",
                        true, lay_act(ACT_PLUS, p));
        w2->flags |= W_CLIPPED;
    } else {
        snprintf(id, sizeof id, "choose-%s", pr->id);
        w2 = lay_button(L, id, (struct rect){tx + bw + pad, by, bw, bh}, label, !sel, toggle);
        w2->flags |= W_CLIPPED | (sel ? W_SELECTED : 0);
    }
    *height = h;
}

/* Is project p's card on the list (this ballot, the filter)? */
static bool listed(struct lay *L, const struct ballot_def *bd, int p)
{
    if (L->s->filter >= 0 && L->el->projects[p].category != L->s->filter)
        return false;
    for (size_t i = 0; i < bd->nprojects; i++)
        if ((int)bd->projects[i] == p)
            return true;
    return false;
}

/* The ballot screen once: returns true when the list is longer than its viewport. With
 * `gutter`, the cards leave room at the right for the scroll indicator, and the position
 * ("Projects 3 to 5 of 12") is written on the feedback line, or on its own line when
 * `own_line`. */
static bool ballot_once(struct lay *L, int top, bool gutter, bool own_line, bool sticky)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    const struct ballot_def *bd = &L->el->ballots[s->defs[s->cur]];
    const struct ballot *b = &s->vote.ballots[s->cur];
    int pad = u->pad, cw = L->w - 4 * pad, y = top;
    enum msg next = s->cur + 1 < s->ndefs ? M_NEXT : M_REVIEW;
    int bottom = L->h - 2 * pad - lay_bottom_bar_h(L, next, true, true);
    /* what stays in view: the live feedback (unless the panel is too small for it to stay), the
     * position in the list, and a refusal whose card is not on the list */
    if (sticky)
        y += feedback(L, y, bd, b);
    struct widget *pos = NULL;
    unsigned nlisted = 0;
    for (size_t i = 0; i < bd->nprojects; i++)
        nlisted += listed(L, bd, (int)bd->projects[i]);
    if (gutter) {
        /* as wide as it can be: "Projects 12 to 12 of 12" */
        const char *widest = lay_fmt(L, msg(M_LIST_POSITION, L->l), nlisted, nlisted, nlisted);
        int pw = lay_text_w(L, widest, u->body_px * 5 / 6, false) + pad / 2;
        int ph = lay_text_h(L, widest, u->body_px * 5 / 6, false, cw);
        int fb = ui_find(u, "feedback");
        if (!own_line && sticky && fb >= 0) {
            int fw = lay_text_w(L, u->w[fb].text, u->w[fb].px, true);
            u->w[fb].r.w = fw + pad / 2;
            pos = lay_add(L, R_TEXT, "list-position",
                          (struct rect){2 * pad + cw - pw, u->w[fb].r.y, pw, ph}, widest,
                          u->body_px * 5 / 6, C_MUTED, C_BG, 0, lay_act(ACT_NONE, 0));
        } else {
            pos = lay_add(L, R_TEXT, "list-position", (struct rect){2 * pad, y, cw, ph}, widest,
                          u->body_px * 5 / 6, C_MUTED, C_BG, 0, lay_act(ACT_NONE, 0));
            y += ph + pad / 2;
        }
    }
    if (s->notice[0] && !listed(L, bd, s->notice_project)) {
        int nh = lay_text_h(L, s->notice, u->body_px * 5 / 6, true, cw - 2 * pad);
        lay_add(L, R_PANEL, "notice-box", (struct rect){2 * pad, y, cw, nh + pad}, NULL, 0,
                C_ON_NOTICE, C_NOTICE, 0, lay_act(ACT_NONE, 0));
        lay_text(L, "notice", 3 * pad, y + pad / 2, cw - 2 * pad, s->notice, u->body_px * 5 / 6,
                 C_ON_NOTICE, W_BOLD);
        y += nh + pad + pad / 2;
    }
    /* the rest scrolls: the ballot's name and rule, the filters, the cards */
    u->clip = (struct rect){0, y, L->w, bottom - y};
    L->scrolling = true;
    int cy = y - s->scroll, list_top = cy;
    int gw = gutter ? u->unit * 2 + pad : 0; /* the scroll indicator's column */
    const char *title = lay_fmt(L, "%s (%u/%u)", text_get(&bd->name, L->l), s->cur + 1, s->ndefs);
    cy += lay_text(L, "title", 2 * pad, cy, cw - gw, title, u->body_px * 5 / 4, C_TEXT, W_BOLD);
    cy += lay_text(L, "rule", 2 * pad, cy, cw - gw, rule_sentence(L, bd), u->body_px * 5 / 6,
                   C_MUTED, 0);
    cy += pad / 2;
    if (!sticky)
        cy += feedback(L, cy, bd, b);
    /* category filters: only those present on this ballot; they wrap onto more rows */
    bool any = false;
    for (size_t c = 0; c < L->el->ncategories; c++)
        for (size_t i = 0; i < bd->nprojects; i++)
            any |= L->el->projects[bd->projects[i]].category == (int)c;
    if (any) {
        int fx = 2 * pad, fpx = u->body_px * 3 / 4, row_h = 0, right = L->w - 2 * pad - gw;
        for (int c = -1; c < (int)L->el->ncategories; c++) {
            bool present = c < 0;
            for (size_t i = 0; c >= 0 && i < bd->nprojects; i++)
                present |= L->el->projects[bd->projects[i]].category == c;
            if (!present)
                continue;
            const char *label =
                c < 0 ? msg(M_ALL_CATEGORIES, L->l) : text_get(&L->el->categories[c].name, L->l);
            int need = lay_text_w(L, label, fpx, true) + 2 * pad;
            if (need < u->unit * 10)
                need = u->unit * 10;
            if (need > right - 2 * pad)
                need = right - 2 * pad;
            if (fx > 2 * pad && fx + need > right) {
                cy += row_h + pad / 2;
                fx = 2 * pad, row_h = 0;
            }
            int fh = lay_text_h(L, label, fpx, true, need - pad) + pad / 2;
            if (fh < u->button_h * 4 / 5)
                fh = u->button_h * 4 / 5;
            struct widget *f = lay_button_px(
                L, c < 0 ? "filter-all" : lay_fmt(L, "filter-%s", L->el->categories[c].id),
                (struct rect){fx, cy, need, fh}, label, false, lay_act(ACT_FILTER, c), fpx);
            if (s->filter == c)
                f->flags |= W_SELECTED;
            fx += need + pad / 2;
            if (fh > row_h)
                row_h = fh;
        }
        cy += row_h + pad;
    }
    /* two columns on a wide screen, when a card's two buttons still show their labels on one
     * line at the voter's text size */
    int cards_per_row = 1;
    if (L->w > L->h * 5 / 4 && L->w >= 1200) {
        int w2 = (L->w - 3 * pad - gw) / 2, tw2 = w2 - w2 / 4 - 3 * pad, bw2 = (tw2 - pad) / 2;
        int need = lay_text_w(L, msg(M_DETAILS, L->l), u->body_px, true);
        if (lay_text_w(L, msg(M_SELECTED, L->l), u->body_px, true) > need)
            need = lay_text_w(L, msg(M_SELECTED, L->l), u->body_px, true);
        if (bw2 - pad >= need)
            cards_per_row = 2;
    }
    int card_w = (L->w - 2 * pad - gw - (cards_per_row - 1) * pad) / cards_per_row;
    int col = 0, row_h = 0;
    unsigned k = 0, first = 0, last = 0;
    for (size_t i = 0; i < bd->nprojects; i++) {
        int p = (int)bd->projects[i];
        if (!listed(L, bd, p))
            continue;
        int h;
        card(L, pad + col * (card_w + pad), cy, card_w, p, bd, b, &h);
        k++;
        if (cy + h > u->clip.y && cy < u->clip.y + u->clip.h) { /* (partly) in view */
            if (!first)
                first = k;
            last = k;
        }
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
    L->scrolling = false;
    bool longer = u->content_h > u->clip.h;
    if (gutter && longer) {
        struct widget *sc =
            lay_add(L, R_SCROLL, "list-scroll",
                    (struct rect){L->w - pad - u->unit * 2, u->clip.y, u->unit * 2, u->clip.h},
                    NULL, 0, C_PRIMARY, C_BORDER, 0, lay_act(ACT_NONE, 0));
        sc->value = s->scroll, sc->max = u->content_h, sc->span = u->clip.h;
        pos->text = lay_fmt(L, msg(M_LIST_POSITION, L->l), first ? first : 1, last ? last : 1, k);
    } else if (pos) {
        pos->text = ""; /* the list fits: nothing to say, the room stays */
    }
    lay_bottom_bar(L, next, lay_act(ACT_NEXT, 0), true);
    if (why_not_valid(L, bd, b))
        lay_disable(u, "next");
    return longer;
}

void ui_screen_ballot(struct lay *L, int top)
{
    struct ui *u = L->u;
    size_t n0 = u->n, used0 = u->used;
    bool overflow0 = u->overflow;
    /* The feedback stays above the list unless that leaves the list less than two buttons'
     * height (largest text on a small panel): then it scrolls with the list. The cards always
     * leave room for the scroll indicator (laid out once, not once to find out whether the
     * list is longer than its viewport and again); the position goes on the feedback line if
     * it fits there, else on a line of its own. */
    for (int sticky = 1; sticky >= 0; sticky--) {
        u->n = n0, u->used = used0, u->overflow = overflow0;
        ballot_once(L, top, true, !sticky, sticky);
        if (sticky && u->clip.h < 2 * u->button_h + u->pad)
            continue;
        int fb = ui_find(u, "feedback"), pos = ui_find(u, "list-position");
        if (!sticky || fb < 0 || pos < 0 ||
            u->w[fb].r.x + u->w[fb].r.w + u->pad / 2 <= u->w[pos].r.x)
            return;
        u->n = n0, u->used = used0, u->overflow = overflow0;
        ballot_once(L, top, true, true, true);
        return;
    }
}

void ui_screen_review(struct lay *L, int top)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int pad = u->pad, cw = L->w - 4 * pad, y = top;
    int bottom = L->h - 2 * u->pad - lay_bottom_bar_h(L, M_CONFIRM, true, true);
    u->clip = (struct rect){0, y, L->w, bottom - y};
    L->scrolling = true; /* the title too: large text on a small panel */
    int cy = y - s->scroll, list_top = cy;
    cy += lay_text(L, "title", 2 * pad, cy, cw, msg(M_REVIEW_TITLE, L->l), u->body_px * 5 / 4,
                   C_TEXT, W_BOLD) +
          pad;
    bool any_invalid = false;
    for (uint32_t i = 0; i < s->ndefs; i++) {
        const struct ballot_def *bd = &L->el->ballots[s->defs[i]];
        const struct ballot *b = &s->vote.ballots[i];
        struct ballot_status st;
        memset(&st, 0, sizeof st);
        ballot_check(L->el, b, &st, NULL);
        int start = cy;
        size_t first = u->n;
        lay_add(L, R_PANEL, lay_fmt(L, "review-%s", bd->id),
                (struct rect){pad, cy, L->w - 2 * pad, 0}, NULL, 0, C_TEXT, C_SURFACE, W_CLIPPED,
                lay_act(ACT_NONE, 0));
        cy += pad;
        int bw = lay_button_w(L, msg(M_CHANGE, L->l), u->unit * 24, cw / 2);
        int bh = lay_button_h(L, msg(M_CHANGE, L->l), bw, u->body_px);
        lay_button(L, lay_fmt(L, "change-%s", bd->id),
                   (struct rect){L->w - 2 * pad - bw, cy, bw, bh}, msg(M_CHANGE, L->l), false,
                   lay_act(ACT_CHANGE, (int)i))
            ->flags |= W_CLIPPED;
        int h = lay_text(L, lay_fmt(L, "review-title-%s", bd->id), 2 * pad, cy, cw - bw - pad,
                         text_get(&bd->name, L->l), u->body_px, C_TEXT, W_BOLD | W_CLIPPED);
        cy += (h > bh ? h : bh) + pad / 2;
        for (uint32_t k = 0; k < b->nentries; k++) {
            const struct project *pr = &L->el->projects[b->entries[k].project];
            char money[64];
            util_format_euro(money, sizeof money, pr->cost, lang_code(L->l));
            const char *line;
            if (bd->rule.kind == RULE_RANKING)
                line = lay_fmt(L, "%u. %s — %s", b->entries[k].value, text_get(&pr->title, L->l),
                               money);
            else if (bd->rule.kind == RULE_CUMULATIVE)
                line = lay_fmt(
                    L, "%s — %s", text_get(&pr->title, L->l),
                    lay_fmt(L, msg_n(M_POINTS_ON, L->l, b->entries[k].value), b->entries[k].value));
            else
                line = lay_fmt(L, "• %s — %s", text_get(&pr->title, L->l), money);
            cy += lay_text(L, lay_fmt(L, "review-%s-%s", bd->id, pr->id), 3 * pad, cy, cw - pad,
                           line, u->body_px * 5 / 6, C_TEXT, W_CLIPPED) +
                  pad / 3;
        }
        const char *note = NULL;
        if (why_not_valid(L, bd, b)) {
            note = lay_fmt(L, msg(M_NEED_FIX_BALLOT, L->l), text_get(&bd->name, L->l));
            any_invalid = true;
        } else if (st.blank)
            note =
                msg(bd->rule.kind == RULE_RANKING ? M_REVIEW_BLANK_RANKED : M_REVIEW_BLANK, L->l);
        else if (st.under_vote && (bd->rule.kind == RULE_APPROVAL || bd->rule.kind == RULE_RANKING))
            note = lay_fmt(
                L,
                msg_n(bd->rule.kind == RULE_RANKING ? M_REVIEW_UNDER_RANKED : M_REVIEW_UNDER, L->l,
                      st.chosen),
                st.chosen, bd->rule.max);
        else if (bd->rule.kind == RULE_CUMULATIVE && st.points_left > 0)
            note = lay_fmt(L, msg_n(M_REVIEW_POINTS_LEFT, L->l, st.points_left), st.points_left);
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
                note = lay_fmt(L, msg(M_REVIEW_MONEY_LEFT, L->l), left,
                               text_get(&fits->title, L->l), cost);
            }
        }
        if (bd->rule.kind == RULE_KNAPSACK && !st.blank) {
            char money[64];
            util_format_euro(money, sizeof money, st.spent, lang_code(L->l));
            cy += lay_text(L, lay_fmt(L, "total-%s", bd->id), 3 * pad, cy, cw - pad,
                           lay_fmt(L, msg(M_REVIEW_TOTAL, L->l), money), u->body_px * 5 / 6, C_TEXT,
                           W_BOLD | W_CLIPPED) +
                  pad / 3;
        }
        if (note)
            cy += lay_text(L, lay_fmt(L, "note-%s", bd->id), 3 * pad, cy, cw - pad, note,
                           u->body_px * 5 / 6, C_MUTED, W_CLIPPED) +
                  pad / 3;
        cy += pad;
        u->w[first].r.h = cy - start;
        cy += pad;
    }
    u->content_h = cy - list_top;
    L->scrolling = false;
    lay_bottom_bar(L, M_CONFIRM, lay_act(ACT_CONFIRM, 0), true);
    if (any_invalid)
        lay_disable(u, "next");
}

void ui_screen_done(struct lay *L, int top)
{
    struct ui *u = L->u;
    int pad = u->pad, cw = L->w - 4 * pad;
    int y0 = lay_content_begin(L, top, lay_bottom_bar_h(L, M_FINISH, true, false)),
        y = y0 + u->unit * 5;
    y += lay_text(L, "recorded", 2 * pad, y, cw, msg(M_RECORDED, L->l), u->body_px * 3 / 2, C_TEXT,
                  W_BOLD | W_CENTER) +
         u->unit * 4;
    y += lay_text(L, "tracking-intro", 2 * pad, y, cw, msg(M_TRACKING_INTRO, L->l), u->body_px,
                  C_MUTED, W_CENTER) +
         pad;
    int big = u->body_px * 5 / 2;
    int th = lay_text_h(L, L->s->tracking, big, true, cw);
    /* the box holds the whole code at every text size: two thirds of the screen, or wider */
    int boxw = lay_text_w(L, L->s->tracking, big, true) + 2 * pad;
    if (boxw < L->w * 2 / 3)
        boxw = L->w * 2 / 3;
    if (boxw > cw + 2 * pad)
        boxw = cw + 2 * pad;
    lay_add(L, R_PANEL, "tracking-box",
            (struct rect){(L->w - boxw) / 2, y - pad / 2, boxw, th + pad}, NULL, 0, C_TEXT,
            C_SURFACE, W_CLIPPED, lay_act(ACT_NONE, 0));
    y += lay_text(L, "tracking", 2 * pad, y, cw, L->s->tracking, big, C_TEXT, W_BOLD | W_CENTER) +
         u->unit * 4;
    y += lay_text(L, "tracking-how", 3 * pad, y, cw - 2 * pad, msg(M_TRACKING_HOW, L->l),
                  u->body_px, C_TEXT, W_CENTER);
    if (L->el->publication_url[0]) { /* where the list of codes will be (docs/publish.md) */
        y += pad + lay_text(L, "published-at", 3 * pad, y + pad, cw - 2 * pad,
                            msg(M_PUBLISHED_AT, L->l), u->body_px, C_TEXT, W_CENTER);
        y += lay_text(L, "address", 3 * pad, y, cw - 2 * pad, L->el->publication_url, u->body_px,
                      C_TEXT, W_CENTER | W_BOLD);
    }
    static const enum msg RECEIPT_SAID[] = {[RECEIPT_PRINTING] = M_RECEIPT_PRINTING,
                                            [RECEIPT_PRINTED] = M_RECEIPT_PRINTED,
                                            [RECEIPT_FAILED] = M_RECEIPT_FAILED};
    int r = L->s->receipt;
    if (r >= RECEIPT_PRINTING && r <= RECEIPT_FAILED)
        y += pad + lay_text(L, "receipt-state", 3 * pad, y + pad, cw - 2 * pad,
                            msg(RECEIPT_SAID[r], L->l), u->body_px, C_TEXT, W_CENTER | W_BOLD);
    lay_content_end(L, y0, y);
    int bar_y = lay_bottom_bar(L, M_FINISH, lay_act(ACT_FINISH, 0), false) + u->pad;
    if (L->s->receipts && r == RECEIPT_NONE) { /* asked once, by this voter: where Back is */
        int bw = (L->w - 3 * pad) / 2 < u->unit * 45 ? (L->w - 3 * pad) / 2 : u->unit * 45;
        lay_button(L, "receipt", (struct rect){pad, bar_y, bw, u->button_h}, msg(M_RECEIPT, L->l),
                   false, lay_act(ACT_RECEIPT, 0));
    }
}

/* The buttons that enable the next voter: one per district, citywide only, and "the voter
 * chooses" (elections with districts); one button otherwise. Returns the y below them. */
