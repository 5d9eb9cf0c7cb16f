/* ui_officials — the officials' screen (status, polls, export, install, enabling voters) and
 * every dialog drawn over a screen (project details, confirmations, idle warning, PIN keypad,
 * failures). */
#include <string.h>

#include "ui_int.h"
#include "util.h"

/* The height that fits every label of `labels` in a button of width w. */
static int row_h(struct lay *L, const char *const *labels, size_t n, int w)
{
    int h = L->u->button_h;
    for (size_t i = 0; i < n; i++)
        if (labels[i] && lay_button_h(L, labels[i], w, L->u->body_px) > h)
            h = lay_button_h(L, labels[i], w, L->u->body_px);
    return h;
}

static int enable_buttons(struct lay *L, int x, int y, int w)
{
    struct ui *u = L->u;
    int pad = u->pad, bh = u->button_h;
    y += lay_text(L, "enable-title", x, y, w, msg(M_ENABLE_TITLE, L->l), u->body_px, C_TEXT,
                  W_BOLD) +
         pad / 2;
    if (L->el->ndistricts == 0) {
        const char *label = msg(M_ENABLE_VOTER, L->l);
        int bw = lay_button_w(L, label, w / 2, w);
        bh = lay_button_h(L, label, bw, u->body_px);
        lay_button(L, "enable-city", (struct rect){x, y, bw, bh}, label, true,
                   lay_act(ACT_ENABLE, ENABLE_CITYWIDE));
        y += bh + pad / 2;
    } else {
        int cols = 2, bw = (w - pad) / cols;
        size_t n = L->el->ndistricts + 2;
        for (size_t i = 0; i < n; i++) {
            const char *label = i < L->el->ndistricts    ? text_get(&L->el->districts[i].name, L->l)
                                : i == L->el->ndistricts ? msg(M_ENABLE_CITY, L->l)
                                                         : msg(M_ENABLE_ANY, L->l);
            if (lay_button_h(L, label, bw, u->body_px) > bh)
                bh = lay_button_h(L, label, bw, u->body_px);
        }
        for (size_t i = 0; i < n; i++) {
            int bx = x + (int)(i % cols) * (bw + pad), by = y + (int)(i / cols) * (bh + pad / 2);
            if (i < L->el->ndistricts)
                lay_button(L, lay_fmt(L, "enable-%s", L->el->districts[i].id),
                           (struct rect){bx, by, bw, bh}, text_get(&L->el->districts[i].name, L->l),
                           true, lay_act(ACT_ENABLE, (int)i));
            else if (i == L->el->ndistricts)
                lay_button(L, "enable-city", (struct rect){bx, by, bw, bh},
                           msg(M_ENABLE_CITY, L->l), false, lay_act(ACT_ENABLE, ENABLE_CITYWIDE));
            else
                lay_button(L, "enable-any", (struct rect){bx, by, bw, bh}, msg(M_ENABLE_ANY, L->l),
                           false, lay_act(ACT_ENABLE, ENABLE_VOTER_CHOOSES));
        }
        y += (int)((n + 1) / 2) * (bh + pad / 2);
    }
    y += lay_text(L, "enable-hint", x, y, w, msg(M_ENABLE_HINT, L->l), u->body_px * 3 / 4, C_MUTED,
                  0) +
         pad;
    return y;
}

void ui_screen_official(struct lay *L, int top)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int pad = u->pad, cw = L->w - 4 * pad;
    int ew = lay_button_w(L, msg(M_BACK_TO_VOTERS, L->l), u->unit * 45, L->w - 2 * pad);
    int eh = lay_button_h(L, msg(M_BACK_TO_VOTERS, L->l), ew, u->body_px);
    int y0 = lay_content_begin(L, top, eh), y = y0;
    y += lay_text(L, "title", 2 * pad, y, cw, msg(M_OFFICIAL_TITLE, L->l), u->body_px * 5 / 4,
                  C_TEXT, W_BOLD) +
         pad;
    if (s->attended && s->polls_state == 1) /* the most frequent action comes first */
        y = enable_buttons(L, 2 * pad, y, cw);
    for (int i = 0; i < STATUS_LINES; i++)
        if (s->status[i][0])
            y += lay_text(L, lay_fmt(L, "status-%d", i), 2 * pad, y, cw, s->status[i],
                          u->body_px * 5 / 6, C_TEXT, 0);
    y += pad;
    int bw = (cw - 2 * pad) / 3, x = 2 * pad;
    const char *const labels[] = {msg(M_POLLS_OPEN, L->l),   msg(M_POLLS_PAUSE, L->l),
                                  msg(M_POLLS_RESUME, L->l), msg(M_POLLS_CLOSE, L->l),
                                  msg(M_EXPORT, L->l),       msg(M_REPRINT, L->l),
                                  msg(M_INSTALL, L->l)};
    int bh = row_h(L, labels, sizeof labels / sizeof labels[0], bw);
    if (s->install_ready && lay_button_h(L, msg(M_INSTALL_CONFIRM, L->l), 2 * bw, u->body_px) > bh)
        bh = lay_button_h(L, msg(M_INSTALL_CONFIRM, L->l), 2 * bw, u->body_px);
    if (s->polls_state == 0) {
        lay_button(L, "polls-open", (struct rect){x, y, bw, bh}, msg(M_POLLS_OPEN, L->l), true,
                   lay_act(ACT_POLLS, POLLS_OPEN));
        x += bw + pad;
    }
    if (s->polls_state == 1) {
        lay_button(L, "polls-pause", (struct rect){x, y, bw, bh}, msg(M_POLLS_PAUSE, L->l), false,
                   lay_act(ACT_POLLS, POLLS_PAUSE));
        x += bw + pad;
    }
    if (s->polls_state == 2) {
        lay_button(L, "polls-resume", (struct rect){x, y, bw, bh}, msg(M_POLLS_RESUME, L->l), true,
                   lay_act(ACT_POLLS, POLLS_RESUME));
        x += bw + pad;
    }
    if (s->polls_state == 1 || s->polls_state == 2) {
        lay_button(L, "polls-close", (struct rect){x, y, bw, bh}, msg(M_POLLS_CLOSE, L->l), false,
                   lay_act(ACT_POLLS, POLLS_CLOSE));
        x += bw + pad;
    }
    if (s->polls_state != 0 && x + bw <= 2 * pad + cw)
        lay_button(L, "export", (struct rect){x, y, bw, bh}, msg(M_EXPORT, L->l), false,
                   lay_act(ACT_EXPORT, 0));
    else if (s->polls_state != 0)
        y += bh + pad, lay_button(L, "export", (struct rect){2 * pad, y, bw, bh},
                                  msg(M_EXPORT, L->l), false, lay_act(ACT_EXPORT, 0));
    y += bh + pad;
    if (s->polls_state != 0 && s->printing) {
        lay_button(L, "reprint", (struct rect){2 * pad, y, bw, bh}, msg(M_REPRINT, L->l), false,
                   lay_act(ACT_REPRINT, 0));
        y += bh + pad;
    }
    if (s->polls_state == 0 || s->polls_state == 3) {
        /* another election, or a corrected package: only while no polls are running */
        lay_button(L, "install", (struct rect){2 * pad, y, bw, bh}, msg(M_INSTALL, L->l), false,
                   lay_act(ACT_INSTALL, 0));
        if (s->install_ready)
            lay_button(L, "install-confirm", (struct rect){3 * pad + bw, y, 2 * bw, bh},
                       msg(M_INSTALL_CONFIRM, L->l), true, lay_act(ACT_INSTALL_CONFIRM, 0));
        y += bh + pad;
    }
    if (s->official_msg[0])
        y += lay_text(L, "official-message", 2 * pad, y, cw, s->official_msg, u->body_px * 2 / 3,
                      C_TEXT, 0);
    lay_content_end(L, y0, y);
    lay_button(L, "official-exit", (struct rect){L->w - pad - ew, L->h - pad - eh, ew, eh},
               msg(M_BACK_TO_VOTERS, L->l), true, lay_act(ACT_OFFICIAL_EXIT, 0));
}

/* ---- overlays --------------------------------------------------------------------------- */

/* A dialog's message from y down to `bottom`: at the heading size when it fits there, else at
 * the body size, `gap` below y at most. Returns the y below it. */
static int dialog_text(struct lay *L, const char *id, int x, int y, int w, int bottom,
                       const char *t, int gap, unsigned flags)
{
    int px = L->u->body_px * 5 / 4;
    int h = lay_text_h(L, t, px, flags & W_BOLD, w);
    if (y + h > bottom) {
        px = L->u->body_px;
        h = lay_text_h(L, t, px, flags & W_BOLD, w);
    }
    int g = bottom - y - h;
    if (g > gap)
        g = gap;
    if (g < 0)
        g = 0;
    return y + g + lay_text(L, id, x, y + g, w, t, px, C_TEXT, flags);
}

/* The height of a dialog's row of buttons of width bw. */
static int buttons_h(struct lay *L, int bw, const char *a, const char *b)
{
    int h = lay_button_h(L, a, bw, L->u->body_px);
    if (b && lay_button_h(L, b, bw, L->u->body_px) > h)
        h = lay_button_h(L, b, bw, L->u->body_px);
    return h;
}

/* One button centred at the bottom of the dialog; returns its top. */
static int dialog_button(struct lay *L, const char *id, int x, int w, enum msg label, bool primary,
                         struct action act)
{
    struct ui *u = L->u;
    int bw = lay_button_w(L, msg(label, L->l), w / 2, w - 2 * u->pad);
    int bh = buttons_h(L, bw, msg(label, L->l), NULL);
    int y = L->h - 4 * u->pad - bh;
    lay_button(L, id, (struct rect){x + (w - bw) / 2, y, bw, bh}, msg(label, L->l), primary, act);
    return y;
}

static void pin_pad(struct lay *L)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int x, w, y, pad = u->pad;
    y = lay_dialog(L, "pin", &x, &w);
    /* cancel, erase and OK in the bottom row */
    int bw = (w - 4 * pad - 2 * pad) / 3;
    int bh = buttons_h(L, bw, msg(M_CANCEL, L->l), msg(M_PIN_ERASE, L->l));
    if (buttons_h(L, bw, msg(M_PIN_OK, L->l), NULL) > bh)
        bh = buttons_h(L, bw, msg(M_PIN_OK, L->l), NULL);
    int by = L->h - 4 * pad - bh, bottom = by - pad;
    lay_button(L, "pin-cancel", (struct rect){x + 2 * pad, by, bw, bh}, msg(M_CANCEL, L->l), false,
               lay_act(ACT_OFFICIAL_EXIT, 0));
    lay_button(L, "pin-erase", (struct rect){x + 3 * pad + bw, by, bw, bh}, msg(M_PIN_ERASE, L->l),
               false, lay_act(ACT_PIN_ERASE, 0));
    lay_button(L, "pin-ok", (struct rect){x + 4 * pad + 2 * bw, by, bw, bh}, msg(M_PIN_OK, L->l),
               true, lay_act(ACT_PIN_OK, 0));
    /* the title gives way to the answer when both do not fit above one row of digits */
    int tw = w - 4 * pad, need = buttons_h(L, u->button_h, "0", NULL);
    int th = lay_text_h(L, msg(M_PIN_TITLE, L->l), u->body_px * 5 / 4, true, tw) + pad / 2;
    int mh = s->official_msg[0]
                 ? lay_text_h(L, s->official_msg, u->body_px * 3 / 4, false, tw) + pad / 2
                 : 0;
    int dh = lay_text_h(L, "0", u->body_px * 5 / 4, false, tw) + pad / 2;
    if (!mh || y + th + dh + mh + need <= bottom)
        y += lay_text(L, "pin-title", x + 2 * pad, y, tw, msg(M_PIN_TITLE, L->l),
                      u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER) +
             pad / 2;
    char dots[40] = "";
    size_t n = strlen(s->pin);
    for (size_t i = 0; i < n && i < 12; i++)
        memcpy(dots + 3 * i, "\u2022", 3); /* one dot per digit typed, never the digit */
    dots[3 * (n < 12 ? n : 12)] = '\0';
    y += lay_text(L, "pin-dots", x + 2 * pad, y, w - 4 * pad, n ? lay_fmt(L, "%s", dots) : " ",
                  u->body_px * 5 / 4, C_TEXT, W_CENTER) +
         pad / 2;
    if (s->official_msg[0])
        y += lay_text(L, "pin-message", x + 2 * pad, y, w - 4 * pad, s->official_msg,
                      u->body_px * 3 / 4, C_ON_NOTICE, W_CENTER) +
             pad / 2;
    /* the digits as a telephone keypad (3 columns, 0 under 8), or in 2 rows of 5, or 1 row of
     * 10: the first that fits (large text on a small panel has room for fewer rows) */
    int cols = 3, rows = 4;
    static const int COLS[] = {3, 5, 10};
    for (int c = 0; c < 3; c++) {
        cols = COLS[c], rows = (10 + cols - 1) / cols + (cols == 3);
        if ((bottom - y - (rows - 1) * (pad / 2)) / rows >= need)
            break;
    }
    rows = cols == 3 ? 4 : 10 / cols;
    int kw = (w - 4 * pad - (cols - 1) * pad) / cols;
    int kh = (bottom - y - (rows - 1) * (pad / 2)) / rows;
    if (kh > u->button_h)
        kh = u->button_h;
    if (kh < need)
        kh = need;
    static const char *const KEYS[10] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"};
    for (int k = 0; k < 10; k++) {
        int pos = cols == 3 && k == 9 ? 10 : k; /* 0 under 8 */
        int kx = x + 2 * pad + (pos % cols) * (kw + pad), ky = y + (pos / cols) * (kh + pad / 2);
        lay_button(L, lay_fmt(L, "pin-%s", KEYS[k]), (struct rect){kx, ky, kw, kh}, KEYS[k], false,
                   lay_act(ACT_PIN_DIGIT, KEYS[k][0] - '0'));
    }
}

int lay_dialog(struct lay *L, const char *id, int *x, int *w)
{
    struct ui *u = L->u;
    lay_add(L, R_PANEL, "scrim", (struct rect){0, 0, L->w, L->h}, NULL, 0, C_TEXT, C_SCRIM, 0,
            lay_act(ACT_NONE, 0));
    *w = L->w - 8 * u->pad;
    if (*w > u->unit * 140)
        *w = u->unit * 140;
    *x = (L->w - *w) / 2;
    lay_add(L, R_PANEL, id, (struct rect){*x, 2 * u->pad, *w, L->h - 4 * u->pad}, NULL, 0, C_TEXT,
            C_SURFACE, 0, lay_act(ACT_NONE, 0));
    return 3 * u->pad;
}

/* No and yes at the bottom of the dialog; returns their top. */
int lay_two_buttons(struct lay *L, int x, int w, enum msg no, struct action no_act, enum msg yes,
                    struct action yes_act)
{
    struct ui *u = L->u;
    int bw = (w - 3 * u->pad) / 2, bh = buttons_h(L, bw, msg(no, L->l), msg(yes, L->l));
    int y = L->h - 4 * u->pad - bh;
    lay_button(L, "dialog-no", (struct rect){x + u->pad, y, bw, bh}, msg(no, L->l), false, no_act);
    lay_button(L, "dialog-yes", (struct rect){x + 2 * u->pad + bw, y, bw, bh}, msg(yes, L->l), true,
               yes_act);
    return y;
}

/* The project's details: picture, title, cost and place, description. Everything but the
 * close button scrolls inside the dialog (touch drag, wheel, Page Up/Down). */
static void detail(struct lay *L)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    const struct project *pr = &L->el->projects[s->detail];
    int x, w, pad = u->pad;
    int y = lay_dialog(L, "detail", &x, &w);
    const char *close = msg(M_CLOSE, L->l);
    int cw = lay_button_w(L, close, u->unit * 30, w - 4 * pad);
    int ch = buttons_h(L, cw, close, NULL);
    int bottom = L->h - 4 * pad - ch;
    u->clip = (struct rect){x + pad, y, w - 2 * pad, bottom - pad - y};
    bool was = L->scrolling;
    L->scrolling = true;
    int y0 = y - s->detail_scroll;
    y = y0;
    int pic_w = w / 2 > PICTURE_MAX_W ? PICTURE_MAX_W : w / 2;
    int max_pic_h = (L->h - 4 * pad) * 3 / 10;
    if (pic_w * 2 / 3 > max_pic_h)
        pic_w = max_pic_h * 3 / 2;
    struct widget *pic =
        lay_add(L, R_PICTURE, "detail-picture", (struct rect){x + 2 * pad, y, pic_w, pic_w * 2 / 3},
                NULL, 0, C_TEXT, C_BORDER, W_CLIPPED, lay_act(ACT_NONE, 0));
    pic->project = s->detail;
    int tx = x + 3 * pad + pic_w, tw = w - (tx - x) - 2 * pad;
    if (tw < w / 3) { /* too narrow beside the picture: below it */
        tx = x + 2 * pad, tw = w - 4 * pad;
        y += pic_w * 2 / 3 + pad;
    }
    int ty = y;
    ty += lay_text(L, "detail-title", tx, ty, tw, text_get(&pr->title, L->l), u->body_px * 5 / 4,
                   C_TEXT, W_BOLD) +
          pad;
    char money[64];
    util_format_euro(money, sizeof money, pr->cost, lang_code(L->l));
    const char *where = pr->district >= 0 ? text_get(&L->el->districts[pr->district].name, L->l)
                                          : text_get(&L->el->name, L->l);
    ty += lay_text(L, "detail-meta", tx, ty, tw, lay_fmt(L, "%s\n%s", money, where), u->body_px,
                   C_MUTED, 0);
    y = ty > pic->r.y + pic->r.h ? ty : pic->r.y + pic->r.h;
    y += pad;
    y += lay_text(L, "detail-description", x + 2 * pad, y, w - 4 * pad,
                  text_get(&pr->description, L->l), u->body_px, C_TEXT, 0);
    u->content_h = y - y0 + pad;
    L->scrolling = was;
    lay_button(L, "detail-close", (struct rect){x + w - 2 * pad - cw, bottom, cw, ch}, close, true,
               lay_act(ACT_CLOSE, 0));
}

/* A question with two answers. */
static void question(struct lay *L, const char *id, const char *text_id, enum msg q, enum msg no,
                     struct action no_act, enum msg yes, struct action yes_act)
{
    struct ui *u = L->u;
    int x, w, pad = u->pad;
    int y = lay_dialog(L, id, &x, &w);
    int bottom = lay_two_buttons(L, x, w, no, no_act, yes, yes_act) - pad;
    dialog_text(L, text_id, x + 2 * pad, y, w - 4 * pad, bottom, msg(q, L->l), u->unit * 10,
                W_BOLD | W_CENTER);
}

/* A sentence and nothing to answer (staff are called). */
static void notice_dialog(struct lay *L, const char *id, const char *text_id, enum msg m)
{
    struct ui *u = L->u;
    int x, w, pad = u->pad;
    int y = lay_dialog(L, id, &x, &w);
    dialog_text(L, text_id, x + 2 * pad, y, w - 4 * pad, L->h - 4 * pad, msg(m, L->l), u->unit * 10,
                W_BOLD | W_CENTER);
}

void lay_overlay(struct lay *L)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int x, w, y, pad = u->pad, bottom;
    switch (s->overlay) {
    case OV_NONE:
        return;
    case OV_DETAIL:
        detail(L);
        break;
    case OV_CONFIRM:
        question(L, "confirm", "confirm-question", M_CONFIRM_QUESTION, M_NO_BACK,
                 lay_act(ACT_CLOSE, 0), M_YES_CAST, lay_act(ACT_CAST, 0));
        break;
    case OV_CANCEL:
        question(L, "cancel", "cancel-question", M_CANCEL_QUESTION, M_NO_BACK,
                 lay_act(ACT_CLOSE, 0), M_CANCEL_YES, lay_act(ACT_CANCEL_YES, 0));
        break;
    case OV_IDLE: {
        y = lay_dialog(L, "idle", &x, &w);
        bottom = dialog_button(L, "idle-continue", x, w, M_IDLE_CONTINUE, true,
                               lay_act(ACT_CONTINUE, 0)) -
                 pad;
        const char *body =
            lay_fmt(L, msg_n(M_IDLE_BODY, L->l, L->s->idle_left_s), L->s->idle_left_s);
        int bh = lay_text_h(L, body, u->body_px, false, w - 4 * pad) + pad;
        y = dialog_text(L, "idle-title", x + 2 * pad, y, w - 4 * pad, bottom - bh,
                        msg(M_IDLE_TITLE, L->l), u->unit * 6, W_BOLD | W_CENTER);
        lay_text(L, "idle-body", x + 2 * pad, y + pad, w - 4 * pad, body, u->body_px, C_TEXT,
                 W_CENTER | W_TICKING);
        break;
    }
    case OV_PIN:
        pin_pad(L);
        break;
    case OV_CLOSE1:
    case OV_CLOSE2:
        question(L, s->overlay == OV_CLOSE1 ? "close1" : "close2", "close-question",
                 s->overlay == OV_CLOSE1 ? M_CLOSE_Q1 : M_CLOSE_Q2, M_NO_BACK,
                 lay_act(ACT_CLOSE, 0), M_CLOSE_YES, lay_act(ACT_CLOSE_CONFIRM, 0));
        break;
    case OV_ENABLE: {
        y = lay_dialog(L, "enable", &x, &w);
        bottom = dialog_button(L, "enable-cancel", x, w, M_CANCEL, false, lay_act(ACT_CLOSE, 0));
        /* the choices scroll inside the dialog when they do not fit above Cancel */
        u->clip = (struct rect){x + pad, y, w - 2 * pad, bottom - pad - y};
        bool was = L->scrolling;
        L->scrolling = true;
        int y0 = y - s->scroll;
        u->content_h = enable_buttons(L, x + 2 * pad, y0, w - 4 * pad) - y0;
        L->scrolling = was;
        break;
    }
    case OV_FAILED:
        notice_dialog(L, "failed", "failed-text", M_CAST_FAILED);
        break;
    case OV_UNKNOWN:
        notice_dialog(L, "unknown", "unknown-text", M_CAST_UNKNOWN);
        break;
    case OV_CLOCK:
        y = lay_dialog(L, "clock", &x, &w);
        bottom = lay_two_buttons(L, x, w, M_NO_BACK, lay_act(ACT_CLOSE, 0), M_CLOCK_OPEN_ANYWAY,
                                 lay_act(ACT_POLLS_CONFIRM, 0)) -
                 pad;
        /* the official's warning scrolls when it is longer than the dialog */
        u->clip = (struct rect){x + pad, y, w - 2 * pad, bottom - y};
        bool was = L->scrolling;
        L->scrolling = true;
        u->content_h = lay_text(L, "clock-warning", x + 2 * pad, y - s->scroll, w - 4 * pad,
                                s->official_msg, u->body_px, C_TEXT, W_BOLD);
        L->scrolling = was;
        break;
    }
}
