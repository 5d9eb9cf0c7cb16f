/* ui — the layout of every screen; see ui.h. One function per screen, each adding widgets
 * top to bottom (ui_voter.c, ui_officials.c); overlays are added last so they are drawn and hit
 * first. This file: the building blocks the screens share (ui_int.h), ui_build, hit testing,
 * focus and the text descriptions tests read. */
#include "ui_int.h"

#include <stdarg.h>

#include "catalog.h"
#include "util.h"

const char *lay_fmt(struct lay *L, const char *f, ...)
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

struct widget *lay_add(struct lay *L, enum role role, const char *id, struct rect r,
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

int lay_text_h(struct lay *L, const char *text, int px, bool bold, int wrap)
{
    return L->measure(L->ctx, text, px, bold, wrap, NULL);
}

int lay_text_w(struct lay *L, const char *text, int px, bool bold)
{
    int w;
    L->measure(L->ctx, text, px, bold, 0, &w);
    return w;
}

/* A text block at (x, y) of width w; returns its height. */
int lay_text(struct lay *L, const char *id, int x, int y, int w, const char *t, int px,
             enum colour fg, unsigned flags)
{
    int h = lay_text_h(L, t, px, flags & W_BOLD, w);
    lay_add(L, R_TEXT, id, (struct rect){x, y, w, h}, t, px, fg, C_BG,
            flags | (L->scrolling ? W_CLIPPED : 0), (struct action){0});
    return h;
}

/* The height a button of width w needs for its label at px: one button height, taller when
 * the label wraps (labels never shrink: a larger text size makes them larger). */
int lay_button_h(struct lay *L, const char *label, int w, int px)
{
    int need = lay_text_h(L, label, px, true, w - L->u->pad) + L->u->pad / 2;
    return need > L->u->button_h ? need : L->u->button_h;
}

/* The width a one-line button needs for its label, at least `min` and at most `max`. */
int lay_button_w(struct lay *L, const char *label, int min, int max)
{
    int need = lay_text_w(L, label, L->u->body_px, true) + 2 * L->u->pad;
    if (need < min)
        need = min;
    return need < max ? need : max;
}

struct widget *lay_button_px(struct lay *L, const char *id, struct rect r, const char *label,
                             bool primary, struct action act, int px)
{
    /* the label keeps its size: it wraps inside the button, and a label that does not fit is a
     * layout bug the layout test reports (tests/kiosk/test_layout.c) */
    int tw;
    int th = L->measure(L->ctx, label, px, true, r.w - L->u->pad, &tw);
    if (tw > r.w - L->u->pad || th > r.h)
        L->u->overflow = true;
    struct widget *w =
        lay_add(L, R_BUTTON, id, r, label, px, primary ? C_ON_PRIMARY : C_PRIMARY,
                primary ? C_PRIMARY : C_SURFACE, W_FOCUSABLE | W_CENTER | W_BOLD, act);
    if (L->scrolling)
        w->flags |= W_CLIPPED;
    return w;
}

struct widget *lay_button(struct lay *L, const char *id, struct rect r, const char *label,
                          bool primary, struct action act)
{
    return lay_button_px(L, id, r, label, primary, act, L->u->body_px);
}

struct action lay_act(enum act k, int arg)
{
    return (struct action){k, arg};
}

/* ---- bars ------------------------------------------------------------------------------- */

/* A label in every language of the election, for the screens no voter has chosen a language
 * on yet (welcome, waiting): "Contraste / Contrast", each distinct text once. */
static const char *all_langs(struct lay *L, enum msg m)
{
    const char *out = msg(m, L->el->langs[0]);
    for (int i = 1; i < L->el->nlangs; i++) {
        const char *t = msg(m, L->el->langs[i]);
        bool seen = false;
        for (int k = 0; k < i; k++)
            seen |= !strcmp(t, msg(m, L->el->langs[k]));
        if (!seen)
            out = lay_fmt(L, "%s / %s", out, t);
    }
    return out;
}

/* The top bar: language buttons at the left, cancel, text size and contrast at the right. Each
 * button is as wide as its label needs; when they do not fit on one row (large text, narrow
 * panel) they flow onto more rows, in the same order. Returns the y below the bar. */
int lay_top_bar(struct lay *L)
{
    struct ui *u = L->u;
    int pad = u->pad, y = pad;
    bool before_voter = L->s->screen == SCR_WELCOME; /* nobody chose a language yet */
    if (u->demo) {
        const char *banner = before_voter ? all_langs(L, M_DEMO_BANNER) : msg(M_DEMO_BANNER, L->l);
        int dh = lay_text_h(L, banner, u->body_px * 3 / 4, true, L->w - 2 * pad) + pad;
        lay_add(L, R_PANEL, "demo", (struct rect){0, 0, L->w, dh}, NULL, 0, C_ON_DEMO, C_DEMO, 0,
                lay_act(ACT_NONE, 0));
        lay_add(L, R_TEXT, "demo-text", (struct rect){pad, pad / 2, L->w - 2 * pad, dh - pad},
                banner, u->body_px * 3 / 4, C_ON_DEMO, C_DEMO, W_CENTER | W_BOLD,
                lay_act(ACT_NONE, 0));
        y += dh;
    }
    struct item {
        char id[16];
        const char *label;
        struct action act;
        bool selected, right;
        int w;
    } it[LANG_COUNT + 3];
    int n = 0;
    if (!before_voter)
        for (int i = 0; i < L->el->nlangs; i++) {
            enum lang lg = L->el->langs[i];
            it[n] = (struct item){.label = msg(M_LANGUAGE_NAME, lg),
                                  .act = lay_act(ACT_LANG, (int)lg),
                                  .selected = lg == L->l};
            snprintf(it[n++].id, sizeof it[0].id, "lang-%s", lang_code(lg));
        }
    if (L->s->screen != SCR_WELCOME && L->s->screen != SCR_DONE && L->s->screen != SCR_OFFICIAL)
        it[n++] =
            (struct item){"cancel", msg(M_CANCEL, L->l), lay_act(ACT_CANCEL, 0), false, true, 0};
    it[n++] = (struct item){"larger",
                            before_voter ? all_langs(L, M_LARGER_TEXT) : msg(M_LARGER_TEXT, L->l),
                            lay_act(ACT_LARGER, 0),
                            L->s->text_size > 0,
                            true,
                            0};
    it[n++] = (struct item){"contrast",
                            before_voter ? all_langs(L, M_CONTRAST) : msg(M_CONTRAST, L->l),
                            lay_act(ACT_CONTRAST, 0),
                            L->s->high_contrast,
                            true,
                            0};
    int avail = L->w - 2 * pad, min = (avail - 5 * pad) / 6, total = -pad;
    if (min > u->unit * 22)
        min = u->unit * 22;
    for (int i = 0; i < n; i++) {
        it[i].w = lay_button_w(L, it[i].label, min, avail);
        total += it[i].w + pad;
    }
    bool one_row = total <= avail;
    struct rect at[LANG_COUNT + 3];
    int x = pad, row_h = 0;
    for (int i = 0; i < n; i++) {
        if (!one_row && x > pad && x + it[i].w > L->w - pad) {
            y += row_h + pad / 2;
            x = pad, row_h = 0;
        }
        if (one_row && it[i].right && (i == 0 || !it[i - 1].right)) {
            int rest = 0;
            for (int k = i; k < n; k++)
                rest += it[k].w + pad;
            x = L->w - rest;
        }
        int bh = lay_button_h(L, it[i].label, it[i].w, u->body_px);
        at[i] = (struct rect){x, y, it[i].w, bh};
        x += it[i].w + pad;
        if (bh > row_h)
            row_h = bh;
    }
    /* focus order as before: languages, then contrast, text size, cancel */
    for (int k = 0; k < n; k++) {
        int i = k;
        if (it[k].right) {
            int first = k;
            while (first > 0 && it[first - 1].right)
                first--;
            i = first + (n - 1 - k);
        }
        struct widget *b = lay_button(L, it[i].id, at[i], it[i].label, false, it[i].act);
        if (it[i].selected)
            b->flags |= W_SELECTED;
    }
    return y + row_h + pad;
}

/* The width of each of the bottom bar's two buttons: enough for the longer label on one line
 * when the window allows, half the window at most. */
static int bottom_bar_w(struct lay *L, enum msg next, bool has_next, bool back)
{
    struct ui *u = L->u;
    int half = (L->w - 3 * u->pad) / 2, bw = u->unit * 45 < half ? u->unit * 45 : half;
    if (back)
        bw = lay_button_w(L, msg(M_BACK, L->l), bw, half);
    if (has_next)
        bw = lay_button_w(L, msg(next, L->l), bw, half);
    return bw;
}

/* The height of the bottom bar's buttons (taller when a label wraps). */
int lay_bottom_bar_h(struct lay *L, enum msg next, bool has_next, bool back)
{
    struct ui *u = L->u;
    int bw = bottom_bar_w(L, next, has_next, back);
    int h1 = back ? lay_button_h(L, msg(M_BACK, L->l), bw, u->body_px) : u->button_h;
    int h2 = has_next ? lay_button_h(L, msg(next, L->l), bw, u->body_px) : u->button_h;
    return h1 > h2 ? h1 : h2;
}

/* Bottom bar with back / next; returns its top. */
int lay_bottom_bar(struct lay *L, enum msg next, struct action next_act, bool back)
{
    struct ui *u = L->u;
    bool has_next = next_act.kind != ACT_NONE;
    int bw = bottom_bar_w(L, next, has_next, back);
    int bh = lay_bottom_bar_h(L, next, has_next, back);
    int y = L->h - u->pad - bh;
    if (back)
        lay_button(L, "back", (struct rect){u->pad, y, bw, bh}, msg(M_BACK, L->l), false,
                   lay_act(ACT_BACK, 0));
    if (has_next)
        lay_button(L, "next", (struct rect){L->w - u->pad - bw, y, bw, bh}, msg(next, L->l), true,
                   next_act);
    return y - u->pad;
}

/* ---- screens ---------------------------------------------------------------------------- */

/* Simple screens put their content in the scrolling area between the bars, so that large text
 * on a small panel scrolls instead of running under the buttons; bottom_bar_h is the height of
 * the bottom bar's buttons (0: no bottom bar). Returns the first y. */
int lay_content_begin(struct lay *L, int top, int bottom_bar_h)
{
    struct ui *u = L->u;
    int bottom = bottom_bar_h > 0 ? L->h - 2 * u->pad - bottom_bar_h : L->h;
    u->clip = (struct rect){0, top, L->w, bottom - top};
    L->scrolling = true;
    return top - L->s->scroll;
}

void lay_content_end(struct lay *L, int first_y, int y)
{
    L->u->content_h = y - first_y + L->u->pad;
    L->scrolling = false;
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
    /* three text sizes: body text x1, x4/3, x5/3; buttons x1, x5/4, x3/2 */
    int size = s->text_size < 0 ? 0 : s->text_size >= TEXT_SIZES ? TEXT_SIZES - 1 : s->text_size;
    u->text_size = size;
    int body = shorter * 36 / 1000;
    u->body_px = (body > 22 ? body : 22) * (3 + size) / 3;
    int bh = shorter * 9 / 100;
    u->button_h = (bh > 48 ? bh : 48) * (4 + size) / 4;
    u->pad = u->unit * 2 > 8 ? u->unit * 2 : 8;
    struct lay L = {
        .u = u, .s = s, .el = el, .w = w, .h = h, .measure = measure, .ctx = ctx, .l = s->lang};
    lay_add(&L, R_PANEL, "background", (struct rect){0, 0, w, h}, NULL, 0, C_TEXT, C_BG, 0,
            lay_act(ACT_NONE, 0));
    int top = lay_top_bar(&L);
    switch (s->screen) {
    case SCR_WELCOME:
        ui_screen_welcome(&L, top);
        break;
    case SCR_TOKEN:
        ui_screen_token(&L, top);
        break;
    case SCR_DISTRICT:
        ui_screen_district(&L, top);
        break;
    case SCR_HOWTO:
        ui_screen_howto(&L, top);
        break;
    case SCR_BALLOT:
        ui_screen_ballot(&L, top);
        break;
    case SCR_REVIEW:
        ui_screen_review(&L, top);
        break;
    case SCR_DONE:
        ui_screen_done(&L, top);
        break;
    case SCR_OFFICIAL:
        ui_screen_official(&L, top);
        break;
    }
    lay_overlay(&L);
    /* any scrolling area longer than its viewport shows where the view is: the screen's, or
     * the open dialog's own (the ballot's list has its indicator beside its cards already) */
    bool own_area = s->overlay == OV_NONE ? ui_find(u, "list-scroll") < 0
                                          : s->overlay == OV_DETAIL || s->overlay == OV_ENABLE ||
                                                s->overlay == OV_CLOCK;
    if (u->content_h > u->clip.h && own_area) {
        int sw = u->unit > 4 ? u->unit : 4;
        struct widget *sc = lay_add(
            &L, R_SCROLL, "scroll",
            (struct rect){u->clip.x + u->clip.w - u->pad / 2 - sw, u->clip.y, sw, u->clip.h}, NULL,
            0, C_PRIMARY, C_TRACK, 0, lay_act(ACT_NONE, 0));
        sc->value = s->overlay == OV_DETAIL ? s->detail_scroll : s->scroll;
        sc->max = u->content_h, sc->span = u->clip.h;
    }
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

int ui_reveal(const struct ui *u, int i, int scroll)
{
    if (i < 0 || (size_t)i >= u->n || !(u->w[i].flags & W_CLIPPED))
        return scroll;
    struct rect r = u->w[i].r, c = u->clip;
    if (r.y < c.y || r.h > c.h)
        scroll -= c.y - r.y + (r.h > c.h ? 0 : u->pad);
    else if (r.y + r.h > c.y + c.h)
        scroll += r.y + r.h - (c.y + c.h) + u->pad;
    return scroll < 0 ? 0 : scroll;
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

static const char *ROLE_NAMES[] = {"panel",   "text", "button", "card",
                                   "picture", "bar",  "check",  "scroll"};

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
