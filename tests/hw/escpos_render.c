/*
 * escpos-render — draws an ESC/POS stream as the paper would come out of a thermal printer,
 * into a PNG: for documentation pictures and for looking at a golden stream after a change.
 *
 *     escpos-render [--dots 384|576] [--scale N] in.bin out.png
 *
 * It interprets the commands hw/escpos writes (escpos_parse: ESC @, ESC t, ESC a, ESC E, GS !,
 * ESC J, ESC d, LF, GS v 0, GS V) on a paper `dots` wide (384: 58 mm, 576: 80 mm) with the
 * geometry of font A (12 x 24 dots, a line every 30 dots), drawing characters with DejaVu Sans
 * Mono through SDL2_ttf (no window), and writes 8-bit grey PNG through libpng. It is a picture
 * of the layout, not of a particular printer's font.
 */
#include <png.h>
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escpos.h"
#include "util.h"

#ifndef ISOLOIR_MONO_FONT_DIR
#define ISOLOIR_MONO_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

#define MAX_LINE 256
#define MARGIN   16 /* dots of paper around the print */

struct glyph {
    uint32_t cp;
    unsigned bold, w, h;
};

struct paper {
    unsigned dots, scale;
    unsigned char *px; /* grey, (dots + 2 MARGIN) * scale wide */
    size_t width, height, cap_rows;
    unsigned y; /* dots printed so far */
    unsigned align, bold, w, h;
    enum escpos_codepage cp;
    struct glyph line[MAX_LINE];
    size_t nline;
    TTF_Font *regular, *heavy;
    int failed;
};

static int grow(struct paper *p, size_t rows)
{
    if (rows <= p->cap_rows)
        return 0;
    size_t cap = p->cap_rows ? p->cap_rows : 1024;
    while (cap < rows)
        cap *= 2;
    unsigned char *n = realloc(p->px, cap * p->width);
    if (!n)
        return -1;
    memset(n + p->cap_rows * p->width, 255, (cap - p->cap_rows) * p->width);
    p->px = n;
    p->cap_rows = cap;
    return 0;
}

/* Darkens the pixel at dot coordinates scaled (x, y) in pixels. */
static void ink(struct paper *p, size_t x, size_t y, unsigned char v)
{
    x += MARGIN * p->scale;
    y += MARGIN * p->scale;
    if (x >= p->width || grow(p, y + 1) != 0)
        return;
    unsigned char *d = &p->px[y * p->width + x];
    if (v < *d)
        *d = v;
    if (y + 1 > p->height)
        p->height = y + 1;
}

static void draw_glyph(struct paper *p, const struct glyph *g, unsigned x_dot, unsigned y_dot)
{
    if (g->cp == ' ')
        return;
    TTF_Font *f = g->bold ? p->heavy : p->regular;
    SDL_Color black = {0, 0, 0, 255};
    SDL_Surface *s = TTF_RenderGlyph32_Blended(f, g->cp ? g->cp : '?', black);
    if (!s) {
        p->failed = 1;
        return;
    }
    SDL_Surface *c = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(s);
    if (!c) {
        p->failed = 1;
        return;
    }
    unsigned cw = ESCPOS_COL_DOTS * g->w * p->scale, ch = ESCPOS_CHAR_DOTS * g->h * p->scale;
    for (unsigned y = 0; y < ch; y++)
        for (unsigned x = 0; x < cw; x++) {
            int sx = (int)((unsigned long)x * (unsigned)c->w / cw);
            int sy = (int)((unsigned long)y * (unsigned)c->h / ch);
            const uint32_t *row = (const uint32_t *)((const uint8_t *)c->pixels + sy * c->pitch);
            unsigned a = row[sx] >> 24;
            if (a)
                ink(p, x_dot * p->scale + x, y_dot * p->scale + y, (unsigned char)(255 - a));
        }
    SDL_FreeSurface(c);
}

/* Prints the buffered characters as one line at the current position. advance: move down
 * by the line pitch afterwards (LF) or not (ESC J, ESC d, an image). */
static void flush_line(struct paper *p, int advance)
{
    unsigned width = 0, tall = 1;
    for (size_t i = 0; i < p->nline; i++) {
        width += ESCPOS_COL_DOTS * p->line[i].w;
        if (p->line[i].h > tall)
            tall = p->line[i].h;
    }
    unsigned x = 0;
    if (width < p->dots)
        x = p->align == 1 ? (p->dots - width) / 2 : p->align == 2 ? p->dots - width : 0;
    for (size_t i = 0; i < p->nline; i++) {
        const struct glyph *g = &p->line[i];
        /* characters of a line share its baseline */
        draw_glyph(p, g, x, p->y + ESCPOS_CHAR_DOTS * (tall - g->h));
        x += ESCPOS_COL_DOTS * g->w;
    }
    bool had = p->nline > 0;
    p->nline = 0;
    if (advance || had)
        p->y += ESCPOS_CHAR_DOTS * tall + (ESCPOS_LINE_DOTS - ESCPOS_CHAR_DOTS);
}

static int on_cmd(const struct escpos_cmd *c, void *user)
{
    struct paper *p = user;
    switch (c->op) {
    case ESCPOS_OP_INIT:
        p->align = p->bold = 0;
        p->w = p->h = 1;
        p->cp = ESCPOS_CP858;
        break;
    case ESCPOS_OP_CODEPAGE:
        p->cp = escpos_codepage_of(c->a);
        break;
    case ESCPOS_OP_ALIGN:
        p->align = c->a;
        break;
    case ESCPOS_OP_BOLD:
        p->bold = c->a;
        break;
    case ESCPOS_OP_SIZE:
        p->w = c->a;
        p->h = c->b;
        break;
    case ESCPOS_OP_TEXT:
        for (size_t i = 0; i < c->n && p->nline < MAX_LINE; i++)
            p->line[p->nline++] =
                (struct glyph){escpos_decode_byte(p->cp, c->data[i]), p->bold, p->w, p->h};
        break;
    case ESCPOS_OP_LF:
        flush_line(p, 1);
        break;
    case ESCPOS_OP_FEED_DOTS:
        flush_line(p, 0);
        p->y += c->a;
        break;
    case ESCPOS_OP_FEED_LINES:
        flush_line(p, 0);
        p->y += c->a * ESCPOS_LINE_DOTS;
        break;
    case ESCPOS_OP_RASTER:
        flush_line(p, 0);
        for (unsigned y = 0; y < c->b; y++)
            for (unsigned x = 0; x < c->a * 8 && x < p->dots; x++)
                if (c->data[(size_t)y * c->a + x / 8] & (0x80 >> (x % 8)))
                    for (unsigned dy = 0; dy < p->scale; dy++)
                        for (unsigned dx = 0; dx < p->scale; dx++)
                            ink(p, x * p->scale + dx, (p->y + y) * p->scale + dy, 0);
        p->y += c->b;
        break;
    case ESCPOS_OP_CUT:
        flush_line(p, 0);
        break;
    }
    return 0;
}

static int write_png(const char *path, const struct paper *p, size_t rows)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        fprintf(stderr, "%s: cannot write the PNG\n", path);
        png_destroy_write_struct(&png, &info);
        fclose(f);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)p->width, (png_uint_32)rows, 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (size_t y = 0; y < rows; y++)
        png_write_row(png, p->px + y * p->width);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: escpos-render [--dots 384|576] [--scale N] in.bin out.png\n");
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned dots = 384, scale = 2;
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        int64_t v;
        if (util_parse_i64(argv[i + 1], &v) != 0 || v < 1 || v > 2000)
            usage();
        if (strcmp(argv[i], "--dots") == 0 && v >= 128)
            dots = (unsigned)v;
        else if (strcmp(argv[i], "--scale") == 0 && v <= 4)
            scale = (unsigned)v;
        else
            usage();
    }
    if (argc - i != 2)
        usage();
    uint8_t *data = NULL;
    size_t len = 0;
    struct err e = {0};
    if (util_read_file(argv[i], 16u << 20, &data, &len, &e) != 0) {
        fprintf(stderr, "escpos-render: %s\n", e.msg);
        return 1;
    }
    if (TTF_Init() != 0) {
        fprintf(stderr, "escpos-render: SDL_ttf: %s\n", TTF_GetError());
        return 1;
    }
    struct paper p = {.dots = dots, .scale = scale, .w = 1, .h = 1, .cp = ESCPOS_CP858};
    p.width = (size_t)(dots + 2 * MARGIN) * scale;
    int size = 20 * (int)scale; /* DejaVu Sans Mono: 12 x 24 dots a character at this size */
    p.regular = TTF_OpenFont(ISOLOIR_MONO_FONT_DIR "/DejaVuSansMono.ttf", size);
    p.heavy = TTF_OpenFont(ISOLOIR_MONO_FONT_DIR "/DejaVuSansMono-Bold.ttf", size);
    int rc = 1;
    if (!p.regular || !p.heavy) {
        fprintf(stderr,
                "escpos-render: cannot open DejaVu Sans Mono in %s (fonts-dejavu-core): %s\n",
                ISOLOIR_MONO_FONT_DIR, TTF_GetError());
        goto done;
    }
    if (escpos_parse(data, len, on_cmd, &p, &e) != 0) {
        fprintf(stderr, "escpos-render: %s: %s\n", argv[i], e.msg);
        goto done;
    }
    flush_line(&p, 0);
    if (p.failed) {
        fprintf(stderr, "escpos-render: a character could not be drawn\n");
        goto done;
    }
    size_t rows = (size_t)(p.y + 2 * MARGIN) * scale;
    if (grow(&p, rows) != 0) {
        fprintf(stderr, "escpos-render: out of memory\n");
        goto done;
    }
    rc = write_png(argv[i + 1], &p, rows) == 0 ? 0 : 1;
done:
    if (p.regular)
        TTF_CloseFont(p.regular);
    if (p.heavy)
        TTF_CloseFont(p.heavy);
    TTF_Quit();
    free(p.px);
    free(data);
    return rc;
}
