/*
 * ui_int — what the layout's three files share: ui.c (the building blocks, ui_build, hit
 * testing, focus and descriptions), ui_voter.c (the voter's screens) and ui_officials.c (the
 * officials' screen and every dialog). Never included outside kiosk/ui*.c.
 */
#ifndef ISOLOIR_KIOSK_UI_INT_H
#define ISOLOIR_KIOSK_UI_INT_H

#include "catalog.h"
#include "ui.h"

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

const char *lay_fmt(struct lay *L, const char *f, ...) __attribute__((format(printf, 2, 3)));
struct widget *lay_add(struct lay *L, enum role role, const char *id, struct rect r,
                       const char *text, int px, enum colour fg, enum colour bg, unsigned flags,
                       struct action act);
int lay_text_h(struct lay *L, const char *text, int px, bool bold, int wrap);
int lay_text_w(struct lay *L, const char *text, int px, bool bold);
int lay_text(struct lay *L, const char *id, int x, int y, int w, const char *t, int px,
             enum colour fg, unsigned flags);
struct widget *lay_button(struct lay *L, const char *id, struct rect r, const char *label,
                          bool primary, struct action act);
int lay_button_h(struct lay *L, const char *label, int w, int px);
int lay_button_w(struct lay *L, const char *label, int min, int max);
struct widget *lay_button_px(struct lay *L, const char *id, struct rect r, const char *label,
                             bool primary, struct action act, int px);
int lay_bottom_bar_h(struct lay *L, enum msg next, bool has_next, bool back);
struct action lay_act(enum act k, int arg);
int lay_top_bar(struct lay *L);
int lay_bottom_bar(struct lay *L, enum msg next, struct action next_act, bool back);
int lay_content_begin(struct lay *L, int top, int bottom_bar_h);
void lay_content_end(struct lay *L, int first_y, int y);
void ui_screen_welcome(struct lay *L, int top);
int lay_screen_title(struct lay *L, int top, enum msg title, int gap_units, int bottom_h, int *y0);
void ui_screen_district(struct lay *L, int top);
void ui_screen_token(struct lay *L, int top);
void lay_disable(struct ui *u, const char *id);
void ui_screen_howto(struct lay *L, int top);
void ui_screen_ballot(struct lay *L, int top);
void ui_screen_review(struct lay *L, int top);
void ui_screen_done(struct lay *L, int top);
void ui_screen_official(struct lay *L, int top);
int lay_dialog(struct lay *L, const char *id, int *x, int *w);
int lay_two_buttons(struct lay *L, int x, int w, enum msg no, struct action no_act, enum msg yes,
                    struct action yes_act);
void lay_overlay(struct lay *L);

#endif
