/*
 * voice — the screen read aloud: turns the widget list of each frame (kiosk/ui) into what a
 * voter who cannot see it needs to hear, and hands it to kiosk/speech.
 *
 *   - a new screen or dialog: its texts (title, rule, budget left, messages; not the project
 *     cards) then a short hint of the keys;
 *   - focus on a widget: its label and state (chosen, unavailable); entering a project card:
 *     the project's title, cost and district and summary first;
 *   - on the same screen, a text that changed (budget left, a refusal) and the new label of
 *     the widget in focus (a project just chosen says "chosen");
 *   - help: where the voter is, then what each key does;
 *   - the welcome screen, before anyone chose a language: one sentence per language of the
 *     election, each in its own voice (election name, "choose your language", the key that
 *     chooses it), so a voter who understands one language only finds theirs;
 *   - on a cumulative ballot, "+" and "–" are said as "add a point" and "remove a point", and
 *     each change as "3 points on <title>"; on a ranking ballot, "<title>, rank 2".
 *
 * It reads only what the screen shows, in the voter's language (a language button speaks its
 * own language), so a blind voter hears exactly what a sighted voter reads. It keeps no choice
 * of the voter: only the texts last spoken, wiped with the session.
 */
#ifndef ISOLOIR_KIOSK_VOICE_H
#define ISOLOIR_KIOSK_VOICE_H

#include <stdbool.h>

#include "session.h"
#include "speech.h"
#include "ui.h"

#define VOICE_PAGE_MAX 4096

struct voice {
    struct speech *sp; /* NULL: silent */
    const struct election *el;
    bool off; /* the voter switched speech off (key 7) */
    int screen, overlay;
    int cur; /* the ballot (its position) last said on the ballot screen */
    char focus_id[64];
    char card[64];             /* the project card whose texts were last said */
    char page[VOICE_PAGE_MAX]; /* the screen's texts last said, one per line */
    int value_project;         /* the project whose points or rank were last said, or -1 */
    uint32_t value;            /* and that value (a voter's choice: wiped by voice_reset) */
};

/* Starts with nothing said; sp may be NULL (silent). el is the election the screens show. */
void voice_init(struct voice *v, struct speech *sp, const struct election *el);

/* After every input: says what the voter must hear about the frame u (built from s, focused
 * widget index or -1). Nothing when nothing changed. */
void voice_update(struct voice *v, const struct ui *u, const struct session *s, int focused);

/* Key 0: the screen's texts, the widget in focus, then what each key does. */
void voice_help(struct voice *v, const struct ui *u, const struct session *s, int focused);

/* Says one catalogue-free sentence already in the voter's language (volume, rate…). */
void voice_say(struct voice *v, enum lang lang, const char *text);

/* Forgets everything said (a new voter): wipes the texts kept. */
void voice_reset(struct voice *v);

#endif
