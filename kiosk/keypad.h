/*
 * keypad — what each key of a tactile numeric keypad does, for voters who cannot use the
 * touchscreen (and, with speech, for voters who cannot see it).
 *
 * The layout follows the phone-style cross that accessible voting controllers use: 8 up, 2 down,
 * 4 left, 6 right, 5 select, with help, repeat, volume and rate on the keys around them (see
 * docs/accessibility.md for a picture). Keys are read by scancode, so the layout is the same
 * whether Num Lock is on or off, and whatever keyboard layout the system has.
 *
 * The officials' PIN pad reads digits with keypad_digit (top row or keypad); a voter's keypad
 * never types digits into the voter flow.
 */
#ifndef ISOLOIR_KIOSK_KEYPAD_H
#define ISOLOIR_KIOSK_KEYPAD_H

#include <SDL_scancode.h>

enum keypad_action {
    KP_NONE = 0,
    KP_UP,          /* 8: previous item */
    KP_DOWN,        /* 2: next item */
    KP_LEFT,        /* 4: previous step (back) */
    KP_RIGHT,       /* 6: next step */
    KP_SELECT,      /* 5 or Enter: choose / press the item in focus */
    KP_HELP,        /* 0: says where the voter is and what each key does */
    KP_REPEAT,      /* . (decimal point): says the last sentence again */
    KP_VOLUME_UP,   /* + */
    KP_VOLUME_DOWN, /* - */
    KP_RATE_UP,     /* * : faster speech */
    KP_RATE_DOWN,   /* / : slower speech */
    KP_SCREEN,      /* 9: blanks the screen (audio only, for privacy) or shows it again */
    KP_SPEECH,      /* 7: switches speech on or off */
};

/* The action of a keypad key, or KP_NONE for any other key. */
enum keypad_action keypad_action(SDL_Scancode sc);

/* The digit ('0'..'9') of a top-row or keypad digit key, or 0. */
char keypad_digit(SDL_Scancode sc);

/* The keypad key for a name used in scripts: an action's name ("down", "select", …) or a
 * digit "0".."9" of the keypad; SDL_SCANCODE_UNKNOWN for anything else. */
SDL_Scancode keypad_scancode_named(const char *name);

/* A short English name of the action, for scripts and logs ("up", "select", …). */
const char *keypad_action_name(enum keypad_action a);

#endif
