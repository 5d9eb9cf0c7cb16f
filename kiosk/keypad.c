/*
 * keypad — the tactile keypad's layout as one table, read by scancode.
 */
#include "keypad.h"

#include <stddef.h>
#include <string.h>

static const struct {
    SDL_Scancode sc;
    enum keypad_action a;
} LAYOUT[] = {
    {SDL_SCANCODE_KP_8, KP_UP},
    {SDL_SCANCODE_KP_2, KP_DOWN},
    {SDL_SCANCODE_KP_4, KP_LEFT},
    {SDL_SCANCODE_KP_6, KP_RIGHT},
    {SDL_SCANCODE_KP_5, KP_SELECT},
    {SDL_SCANCODE_KP_ENTER, KP_SELECT},
    {SDL_SCANCODE_KP_0, KP_HELP},
    {SDL_SCANCODE_KP_PERIOD, KP_REPEAT},
    {SDL_SCANCODE_KP_COMMA, KP_REPEAT},
    {SDL_SCANCODE_KP_PLUS, KP_VOLUME_UP},
    {SDL_SCANCODE_KP_MINUS, KP_VOLUME_DOWN},
    {SDL_SCANCODE_KP_MULTIPLY, KP_RATE_UP},
    {SDL_SCANCODE_KP_DIVIDE, KP_RATE_DOWN},
    {SDL_SCANCODE_KP_9, KP_SCREEN},
    {SDL_SCANCODE_KP_7, KP_SPEECH},
};

static const char *const NAMES[] = {
    [KP_NONE] = "none",           [KP_UP] = "up",
    [KP_DOWN] = "down",           [KP_LEFT] = "left",
    [KP_RIGHT] = "right",         [KP_SELECT] = "select",
    [KP_HELP] = "help",           [KP_REPEAT] = "repeat",
    [KP_VOLUME_UP] = "volume-up", [KP_VOLUME_DOWN] = "volume-down",
    [KP_RATE_UP] = "rate-up",     [KP_RATE_DOWN] = "rate-down",
    [KP_SCREEN] = "screen",       [KP_SPEECH] = "speech",
};

enum keypad_action keypad_action(SDL_Scancode sc)
{
    for (size_t i = 0; i < sizeof LAYOUT / sizeof LAYOUT[0]; i++)
        if (LAYOUT[i].sc == sc)
            return LAYOUT[i].a;
    return KP_NONE;
}

char keypad_digit(SDL_Scancode sc)
{
    if (sc >= SDL_SCANCODE_1 && sc <= SDL_SCANCODE_9)
        return (char)('1' + (sc - SDL_SCANCODE_1));
    if (sc == SDL_SCANCODE_0)
        return '0';
    if (sc >= SDL_SCANCODE_KP_1 && sc <= SDL_SCANCODE_KP_9)
        return (char)('1' + (sc - SDL_SCANCODE_KP_1));
    if (sc == SDL_SCANCODE_KP_0)
        return '0';
    return 0;
}

const char *keypad_action_name(enum keypad_action a)
{
    if ((size_t)a < sizeof NAMES / sizeof NAMES[0] && NAMES[a])
        return NAMES[a];
    return "none";
}

SDL_Scancode keypad_scancode_named(const char *name)
{
    if (name[0] >= '1' && name[0] <= '9' && !name[1])
        return (SDL_Scancode)(SDL_SCANCODE_KP_1 + (name[0] - '1'));
    if (name[0] == '0' && !name[1])
        return SDL_SCANCODE_KP_0;
    for (size_t i = 0; i < sizeof LAYOUT / sizeof LAYOUT[0]; i++)
        if (!strcmp(keypad_action_name(LAYOUT[i].a), name))
            return LAYOUT[i].sc;
    return SDL_SCANCODE_UNKNOWN;
}
