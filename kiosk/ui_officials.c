/* ui_officials — the officials' screen (status, polls, export, install, enabling voters) and
 * every dialog drawn over a screen (project details, confirmations, idle warning, PIN keypad,
 * failures). */
#include <string.h>

#include "ui_int.h"
#include "util.h"

static int enable_buttons(struct lay *L, int x, int y, int w)
{
    struct ui *u = L->u;
    int pad = u->pad, bh = u->button_h;
    y += lay_text(L, "enable-title", x, y, w, msg(M_ENABLE_TITLE, L->l), u->body_px, C_TEXT,
                  W_BOLD) +
         pad / 2;
    if (L->el->ndistricts == 0) {
        lay_button(L, "enable-city", (struct rect){x, y, w / 2, bh}, msg(M_ENABLE_VOTER, L->l),
                   true, lay_act(ACT_ENABLE, ENABLE_CITYWIDE));
        y += bh + pad / 2;
    } else {
        int cols = 2, bw = (w - pad) / cols;
        size_t n = L->el->ndistricts + 2;
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
    int y0 = lay_content_begin(L, top, true), y = y0;
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
    int bw = (cw - 2 * pad) / 3, bh = u->button_h, x = 2 * pad;
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
    int ew = u->unit * 45;
    lay_button(L, "official-exit",
               (struct rect){L->w - pad - ew, L->h - pad - u->button_h, ew, u->button_h},
               msg(M_BACK_TO_VOTERS, L->l), true, lay_act(ACT_OFFICIAL_EXIT, 0));
}

/* ---- overlays --------------------------------------------------------------------------- */

static void pin_pad(struct lay *L)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int x, w, y, pad = u->pad;
    y = lay_dialog(L, "pin", &x, &w);
    y += lay_text(L, "pin-title", x + 2 * pad, y, w - 4 * pad, msg(M_PIN_TITLE, L->l),
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
    int kw = (w - 4 * pad - 2 * pad) / 3, bottom = L->h - 4 * pad - u->button_h;
    int kh = (bottom - y - 4 * (pad / 2)) / 4;
    if (kh > u->button_h)
        kh = u->button_h;
    static const char *const KEYS[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "", "0", ""};
    for (int k = 0; k < 12; k++) {
        int kx = x + 2 * pad + (k % 3) * (kw + pad), ky = y + (k / 3) * (kh + pad / 2);
        if (k == 9)
            lay_button(L, "pin-erase", (struct rect){kx, ky, kw, kh}, msg(M_PIN_ERASE, L->l), false,
                       lay_act(ACT_PIN_ERASE, 0));
        else if (k == 11)
            lay_button(L, "pin-ok", (struct rect){kx, ky, kw, kh}, msg(M_PIN_OK, L->l), true,
                       lay_act(ACT_PIN_OK, 0));
        else
            lay_button(L, lay_fmt(L, "pin-%s", KEYS[k]), (struct rect){kx, ky, kw, kh}, KEYS[k],
                       false, lay_act(ACT_PIN_DIGIT, KEYS[k][0] - '0'));
    }
    lay_button(L, "pin-cancel", (struct rect){x + w / 4, bottom, w / 2, u->button_h},
               msg(M_CANCEL, L->l), false, lay_act(ACT_OFFICIAL_EXIT, 0));
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

void lay_two_buttons(struct lay *L, int x, int w, int y, enum msg no, struct action no_act,
                     enum msg yes, struct action yes_act)
{
    struct ui *u = L->u;
    int bw = (w - 3 * u->pad) / 2, bh = u->button_h;
    lay_button(L, "dialog-no", (struct rect){x + u->pad, y, bw, bh}, msg(no, L->l), false, no_act);
    lay_button(L, "dialog-yes", (struct rect){x + 2 * u->pad + bw, y, bw, bh}, msg(yes, L->l), true,
               yes_act);
}

void lay_overlay(struct lay *L)
{
    struct ui *u = L->u;
    const struct session *s = L->s;
    int x, w, y, pad = u->pad;
    switch (s->overlay) {
    case OV_NONE:
        return;
    case OV_DETAIL: {
        const struct project *pr = &L->el->projects[s->detail];
        y = lay_dialog(L, "detail", &x, &w);
        int pic_w = w / 2 > PICTURE_MAX_W ? PICTURE_MAX_W : w / 2;
        int max_pic_h = (L->h - 4 * pad) * 3 / 10;
        if (pic_w * 2 / 3 > max_pic_h)
            pic_w = max_pic_h * 3 / 2;
        struct widget *pic = lay_add(L, R_PICTURE, "detail-picture",
                                     (struct rect){x + 2 * pad, y, pic_w, pic_w * 2 / 3}, NULL, 0,
                                     C_TEXT, C_BORDER, 0, lay_act(ACT_NONE, 0));
        pic->project = s->detail;
        int tx = x + 3 * pad + pic_w, tw = w - (tx - x) - 2 * pad;
        int ty = y;
        ty += lay_text(L, "detail-title", tx, ty, tw, text_get(&pr->title, L->l),
                       u->body_px * 5 / 4, C_TEXT, W_BOLD) +
              pad;
        char money[64];
        util_format_euro(money, sizeof money, pr->cost, lang_code(L->l));
        const char *where = pr->district >= 0 ? text_get(&L->el->districts[pr->district].name, L->l)
                                              : text_get(&L->el->name, L->l);
        lay_text(L, "detail-meta", tx, ty, tw, lay_fmt(L, "%s\n%s", money, where), u->body_px,
                 C_MUTED, 0);
        y += pic_w * 2 / 3 + pad;
        int bottom = L->h - 4 * pad - u->button_h;
        /* the description scrolls (touch drag, wheel, Page Up/Down) inside the dialog */
        const char *desc = text_get(&pr->description, L->l);
        int dh = lay_text_h(L, desc, u->body_px, false, w - 4 * pad);
        u->clip = (struct rect){x + pad, y, w - 2 * pad, bottom - pad - y};
        u->content_h = dh + pad;
        lay_add(L, R_TEXT, "detail-description",
                (struct rect){x + 2 * pad, y - s->detail_scroll, w - 4 * pad, dh}, desc, u->body_px,
                C_TEXT, C_SURFACE, W_CLIPPED, lay_act(ACT_NONE, 0));
        lay_button(L, "detail-close",
                   (struct rect){x + w - 2 * pad - u->unit * 30, bottom, u->unit * 30, u->button_h},
                   msg(M_CLOSE, L->l), true, lay_act(ACT_CLOSE, 0));
        break;
    }
    case OV_CONFIRM:
        y = lay_dialog(L, "confirm", &x, &w);
        y += lay_text(L, "confirm-question", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
                      msg(M_CONFIRM_QUESTION, L->l), u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER);
        lay_two_buttons(L, x, w, L->h - 4 * pad - u->button_h, M_NO_BACK, lay_act(ACT_CLOSE, 0),
                        M_YES_CAST, lay_act(ACT_CAST, 0));
        break;
    case OV_CANCEL:
        y = lay_dialog(L, "cancel", &x, &w);
        lay_text(L, "cancel-question", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
                 msg(M_CANCEL_QUESTION, L->l), u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER);
        lay_two_buttons(L, x, w, L->h - 4 * pad - u->button_h, M_NO_BACK, lay_act(ACT_CLOSE, 0),
                        M_CANCEL_YES, lay_act(ACT_CANCEL_YES, 0));
        break;
    case OV_IDLE: {
        y = lay_dialog(L, "idle", &x, &w);
        y += lay_text(L, "idle-title", x + 2 * pad, y + u->unit * 6, w - 4 * pad,
                      msg(M_IDLE_TITLE, L->l), u->body_px * 3 / 2, C_TEXT, W_BOLD | W_CENTER);
        lay_text(L, "idle-body", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
                 lay_fmt(L, msg_n(M_IDLE_BODY, L->l, L->s->idle_left_s), L->s->idle_left_s),
                 u->body_px, C_TEXT, W_CENTER | W_TICKING);
        lay_button(L, "idle-continue",
                   (struct rect){x + w / 4, L->h - 4 * pad - u->button_h, w / 2, u->button_h},
                   msg(M_IDLE_CONTINUE, L->l), true, lay_act(ACT_CONTINUE, 0));
        break;
    }
    case OV_PIN:
        pin_pad(L);
        break;
    case OV_CLOSE1:
    case OV_CLOSE2:
        y = lay_dialog(L, s->overlay == OV_CLOSE1 ? "close1" : "close2", &x, &w);
        lay_text(L, "close-question", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
                 msg(s->overlay == OV_CLOSE1 ? M_CLOSE_Q1 : M_CLOSE_Q2, L->l), u->body_px * 5 / 4,
                 C_TEXT, W_BOLD | W_CENTER);
        lay_two_buttons(L, x, w, L->h - 4 * pad - u->button_h, M_NO_BACK, lay_act(ACT_CLOSE, 0),
                        M_CLOSE_YES, lay_act(ACT_CLOSE_CONFIRM, 0));
        break;
    case OV_ENABLE: {
        y = lay_dialog(L, "enable", &x, &w);
        bool was = L->scrolling;
        enable_buttons(L, x + 2 * pad, y, w - 4 * pad);
        L->scrolling = was;
        lay_button(L, "enable-cancel",
                   (struct rect){x + w / 4, L->h - 4 * pad - u->button_h, w / 2, u->button_h},
                   msg(M_CANCEL, L->l), false, lay_act(ACT_CLOSE, 0));
        break;
    }
    case OV_FAILED:
        y = lay_dialog(L, "failed", &x, &w);
        lay_text(L, "failed-text", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
                 msg(M_CAST_FAILED, L->l), u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER);
        break;
    case OV_UNKNOWN:
        y = lay_dialog(L, "unknown", &x, &w);
        lay_text(L, "unknown-text", x + 2 * pad, y + u->unit * 10, w - 4 * pad,
                 msg(M_CAST_UNKNOWN, L->l), u->body_px * 5 / 4, C_TEXT, W_BOLD | W_CENTER);
        break;
    case OV_CLOCK:
        y = lay_dialog(L, "clock", &x, &w);
        lay_text(L, "clock-warning", x + 2 * pad, y + u->unit * 4, w - 4 * pad, s->official_msg,
                 u->body_px, C_TEXT, W_BOLD);
        lay_two_buttons(L, x, w, L->h - 4 * pad - u->button_h, M_NO_BACK, lay_act(ACT_CLOSE, 0),
                        M_CLOCK_OPEN_ANYWAY, lay_act(ACT_POLLS_CONFIRM, 0));
        break;
    }
}
