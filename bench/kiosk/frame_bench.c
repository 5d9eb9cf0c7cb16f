/*
 * frame_bench — the kiosk's drawing cost: frame time while scrolling the project list at a
 * given size with SDL's software renderer, time from start to the first frame (package open
 * included), text cache misses on a steady frame, and peak memory.
 *
 *   SDL_VIDEODRIVER=offscreen frame_bench PACKAGE AUTHORITY.pub [WxH] [FRAMES]
 */
#include <SDL.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "key.h"
#include "package.h"
#include "render.h"
#include "session.h"
#include "ui.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    double t0 = now_ms();
    if (argc < 3) {
        fprintf(stderr, "usage: frame_bench PACKAGE AUTHORITY.pub [WxH] [FRAMES]\n");
        return 2;
    }
    int w = 1920, h = 1080, frames = 600;
    if (argc > 3 && sscanf(argv[3], "%dx%d", &w, &h) != 2)
        return 2;
    if (argc > 4)
        frames = (int)strtol(argv[4], NULL, 10);
    if (sodium_init() < 0)
        return 1;
    struct err e = {0};
    struct public_key auth;
    struct election el;
    if (key_load_public(argv[2], KEY_AUTHORITY, &auth, &e) ||
        package_open(argv[1], auth.pk, PACKAGE_ALLOW_DEMO, &el, NULL, &e)) {
        fprintf(stderr, "frame_bench: %s\n", e.msg);
        return 1;
    }
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return 1;
    SDL_Window *win = SDL_CreateWindow("bench", 0, 0, w, h, 0);
    SDL_Renderer *sdl = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    struct render *r;
    if (!win || !sdl || render_open(sdl, ISOLOIR_FONT_DIR, &el, &r, &e)) {
        fprintf(stderr, "frame_bench: cannot draw: %s %s\n", SDL_GetError(), e.msg);
        return 1;
    }
    struct ui *u = calloc(1, sizeof *u);
    struct session s;
    session_reset(&s, &el, 0);
    session_apply(&s, &el, (struct action){ACT_LANG, LANG_NL}, 0);
    session_apply(&s, &el, (struct action){ACT_DISTRICT, 0}, 0);
    session_apply(&s, &el, (struct action){ACT_START, 0}, 0);
    ui_build(u, &s, &el, w, h, el.demo, render_measure, r);
    render_prepare(r, u, false);
    render_frame(r, u, -1, false);
    SDL_RenderPresent(sdl);
    double first = now_ms() - t0;

    double *ft = malloc(sizeof(double) * (size_t)frames);
    int dir = 1;
    for (int i = 0; i < frames; i++) {
        double a = now_ms();
        s.scroll += dir * 12;
        if (s.scroll > u->content_h - u->clip.h)
            dir = -1;
        if (s.scroll <= 0)
            dir = 1, s.scroll = 0;
        ui_build(u, &s, &el, w, h, el.demo, render_measure, r);
        render_prepare(r, u, false); /* as the kiosk does */
        render_frame(r, u, -1, false);
        SDL_RenderPresent(sdl);
        ft[i] = now_ms() - a;
    }
    unsigned long misses = render_text_misses(r);
    ui_build(u, &s, &el, w, h, el.demo, render_measure, r);
    render_frame(r, u, -1, false);
    unsigned long steady = render_text_misses(r) - misses;
    qsort(ft, (size_t)frames, sizeof *ft, cmp_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("size %dx%d, %d frames scrolling the project list (software renderer)\n", w, h, frames);
    printf("frame time p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", ft[frames / 2],
           ft[frames * 99 / 100], ft[frames - 1]);
    printf("start to first frame %.0f ms (package open, fonts, layout, draw)\n", first);
    printf("text renders on a repeated frame: %lu (cache misses while scrolling: %lu)\n", steady,
           misses);
    printf("peak RSS %.1f MB\n", ru.ru_maxrss / 1024.0);
    free(ft);
    free(u);
    render_close(r);
    SDL_DestroyRenderer(sdl);
    SDL_DestroyWindow(win);
    SDL_Quit();
    election_free(&el);
    return 0;
}
