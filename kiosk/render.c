/* render — SDL drawing, text cache and measurement; see render.h. */
#include "render.h"

#include <SDL_ttf.h>
#include <png.h>
#include <setjmp.h>
#include <sodium.h>

#include "buf.h"
#include "util.h"

#define FONT_SLOTS 32
#define TEXT_SLOTS 1024

struct font_slot {
    int px;
    bool bold;
    TTF_Font *font;
};

struct text_slot {
    uint64_t key;
    SDL_Texture *tex; /* NULL for measure-only entries */
    int w, h;
    unsigned long used;
};

struct render {
    SDL_Renderer *sdl;
    const struct election *el;
    char regular[1024], bold[1024];
    struct font_slot fonts[FONT_SLOTS];
    struct text_slot texts[TEXT_SLOTS];
    struct text_slot measures[TEXT_SLOTS];
    struct picture_slot {
        SDL_Texture *tex;
        int w, h; /* the size it was scaled to: pictures are scaled once, not every frame */
    } * pictures;
    unsigned long frame, misses, overflows;
};

int render_open(SDL_Renderer *sdl, const char *font_dir, const struct election *el,
                struct render **out, struct err *e)
{
    *out = NULL;
    if (!TTF_WasInit() && TTF_Init() != 0)
        return err_set(e, ERR_INTERNAL, "cannot start the font engine: %s", TTF_GetError());
    struct render *r = calloc(1, sizeof *r);
    if (!r)
        return err_set(e, ERR_NOMEM, "out of memory");
    r->sdl = sdl;
    r->el = el;
    snprintf(r->regular, sizeof r->regular, "%s/NotoSans-Regular.ttf", font_dir);
    snprintf(r->bold, sizeof r->bold, "%s/NotoSans-Bold.ttf", font_dir);
    TTF_Font *probe = TTF_OpenFont(r->regular, 20);
    if (!probe) {
        free(r);
        return err_set(e, ERR_NOTFOUND,
                       "the font %s cannot be opened (%s): install fonts-noto-core or give "
                       "--font-dir",
                       font_dir, TTF_GetError());
    }
    TTF_CloseFont(probe);
    r->pictures = calloc(el->nprojects ? el->nprojects : 1, sizeof *r->pictures);
    if (!r->pictures) {
        free(r);
        return err_set(e, ERR_NOMEM, "out of memory");
    }
    *out = r;
    return 0;
}

void render_close(struct render *r)
{
    if (!r)
        return;
    for (int i = 0; i < FONT_SLOTS; i++)
        if (r->fonts[i].font)
            TTF_CloseFont(r->fonts[i].font);
    for (int i = 0; i < TEXT_SLOTS; i++)
        if (r->texts[i].tex)
            SDL_DestroyTexture(r->texts[i].tex);
    for (size_t i = 0; i < r->el->nprojects; i++)
        if (r->pictures[i].tex)
            SDL_DestroyTexture(r->pictures[i].tex);
    free(r->pictures);
    free(r);
}

static TTF_Font *font(struct render *r, int px, bool bold)
{
    int free_slot = -1;
    for (int i = 0; i < FONT_SLOTS; i++) {
        if (r->fonts[i].font && r->fonts[i].px == px && r->fonts[i].bold == bold)
            return r->fonts[i].font;
        if (!r->fonts[i].font && free_slot < 0)
            free_slot = i;
    }
    if (free_slot < 0) { /* full: drop one (sizes change only with "larger text") */
        free_slot = (int)(r->frame % FONT_SLOTS);
        TTF_CloseFont(r->fonts[free_slot].font);
        r->fonts[free_slot].font = NULL;
    }
    TTF_Font *f = TTF_OpenFont(bold ? r->bold : r->regular, px);
    if (f)
        r->fonts[free_slot] = (struct font_slot){px, bold, f};
    return f;
}

static uint64_t text_key(const char *text, int px, bool bold, struct rgb c, int wrap, bool center)
{
    uint8_t h[8];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const uint8_t *)text, strlen(text));
    int meta[6] = {px, bold, c.r << 16 | c.g << 8 | c.b, wrap, center, 0};
    crypto_generichash_update(&st, (const uint8_t *)meta, sizeof meta);
    crypto_generichash_final(&st, h, sizeof h);
    uint64_t k;
    memcpy(&k, h, sizeof k);
    return k;
}

static struct text_slot *slot(struct text_slot *tab, uint64_t key, bool *hit)
{
    struct text_slot *lru = &tab[0];
    size_t start = key % TEXT_SLOTS;
    for (size_t n = 0; n < 8; n++) {
        struct text_slot *s = &tab[(start + n) % TEXT_SLOTS];
        if (s->used && s->key == key) {
            *hit = true;
            return s;
        }
        if (!s->used || (n == 0 || s->used < lru->used))
            lru = s;
        if (!s->used)
            break;
    }
    *hit = false;
    return lru;
}

static SDL_Surface *render_text(struct render *r, const char *text, int px, bool bold, struct rgb c,
                                int wrap, bool center)
{
    TTF_Font *f = font(r, px, bold);
    if (!f || !*text)
        return NULL;
    /* a centred text wrapped onto several lines centres each line */
    TTF_SetFontWrappedAlign(f, center ? TTF_WRAPPED_ALIGN_CENTER : TTF_WRAPPED_ALIGN_LEFT);
    SDL_Color col = {c.r, c.g, c.b, 255};
    return TTF_RenderUTF8_Blended_Wrapped(f, text, col, (Uint32)(wrap > 0 ? wrap : 0));
}

int render_measure(void *ctx, const char *text, int px, bool bold, int wrap_w, int *width)
{
    struct render *r = ctx;
    if (width)
        *width = 0;
    if (!text || !*text)
        return 0;
    struct rgb none = {0, 0, 0};
    uint64_t key = text_key(text, px, bold, none, wrap_w, false);
    bool hit;
    struct text_slot *s = slot(r->measures, key, &hit);
    if (!hit) {
        SDL_Surface *surf = render_text(r, text, px, bold, none, wrap_w, false);
        *s = (struct text_slot){.key = key, .w = surf ? surf->w : 0, .h = surf ? surf->h : px};
        if (surf)
            SDL_FreeSurface(surf);
    }
    s->used = ++r->frame;
    if (width)
        *width = s->w;
    return s->h;
}

static SDL_Texture *text_texture(struct render *r, const char *text, int px, bool bold,
                                 struct rgb c, int wrap, bool center, int *w, int *h)
{
    uint64_t key = text_key(text, px, bold, c, wrap, center);
    bool hit;
    struct text_slot *s = slot(r->texts, key, &hit);
    if (!hit) {
        if (s->tex)
            SDL_DestroyTexture(s->tex);
        SDL_Surface *surf = render_text(r, text, px, bold, c, wrap, center);
        r->misses++;
        *s = (struct text_slot){.key = key};
        if (surf) {
            s->tex = SDL_CreateTextureFromSurface(r->sdl, surf);
            s->w = surf->w;
            s->h = surf->h;
            SDL_FreeSurface(surf);
        }
    }
    s->used = ++r->frame;
    *w = s->w;
    *h = s->h;
    return s->tex;
}

/* Opaque colours are drawn without blending: the software renderer then fills rectangles with
 * plain stores instead of a read-modify-write per pixel (a full-screen panel is 2 MPixels). */
static void set_colour(SDL_Renderer *sdl, struct rgb c, Uint8 a)
{
    SDL_SetRenderDrawBlendMode(sdl, a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(sdl, c.r, c.g, c.b, a);
}

static void fill(SDL_Renderer *sdl, struct rect r)
{
    SDL_Rect q = {r.x, r.y, r.w, r.h};
    SDL_RenderFillRect(sdl, &q);
}

static void frame_rect(SDL_Renderer *sdl, struct rect r, int t)
{
    fill(sdl, (struct rect){r.x, r.y, r.w, t});
    fill(sdl, (struct rect){r.x, r.y + r.h - t, r.w, t});
    fill(sdl, (struct rect){r.x, r.y, t, r.h});
    fill(sdl, (struct rect){r.x + r.w - t, r.y, t, r.h});
}

static void draw_text(struct render *r, const struct widget *w, struct rect box, bool hc)
{
    if (!w->text || !*w->text)
        return;
    int tw, th;
    SDL_Texture *t = text_texture(r, w->text, w->px, w->flags & W_BOLD, theme_colour(w->fg, hc),
                                  box.w, w->flags & W_CENTER, &tw, &th);
    if (!t)
        return;
    if (tw > box.w + 1)
        r->overflows++;
    int x = box.x, y = box.y;
    if (w->flags & W_CENTER) {
        x += (box.w - tw) / 2;
        if (w->role == R_BUTTON)
            y += (box.h - th) / 2;
    }
    SDL_Rect dst = {x, y, tw, th};
    SDL_RenderCopy(r->sdl, t, NULL, &dst);
}

/* The project's picture scaled to dw x dh, made once per size (the software renderer would
 * otherwise rescale it on every frame). */
static SDL_Texture *picture(struct render *r, int p, int dw, int dh)
{
    const struct picture *pic = &r->el->projects[p].picture;
    if (!pic->w || !pic->h || dw <= 0 || dh <= 0)
        return NULL;
    struct picture_slot *slot = &r->pictures[p];
    if (slot->tex && slot->w == dw && slot->h == dh)
        return slot->tex;
    if (slot->tex)
        SDL_DestroyTexture(slot->tex);
    slot->tex = NULL;
    SDL_Surface *src = SDL_CreateRGBSurfaceWithFormatFrom(pic->rgb, pic->w, pic->h, 24, pic->w * 3,
                                                          SDL_PIXELFORMAT_RGB24);
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, dw, dh, 32, SDL_PIXELFORMAT_XRGB8888);
    if (src && dst) {
        SDL_Surface *conv = SDL_ConvertSurface(src, dst->format, 0);
        if (conv) {
            SDL_BlitScaled(conv, NULL, dst, NULL);
            SDL_FreeSurface(conv);
            slot->tex = SDL_CreateTextureFromSurface(r->sdl, dst);
            slot->w = dw, slot->h = dh;
        }
    }
    SDL_FreeSurface(src);
    SDL_FreeSurface(dst);
    return slot->tex;
}

void render_prepare(struct render *r, const struct ui *u, bool hc)
{
    for (size_t i = 0; i < u->n; i++) {
        const struct widget *w = &u->w[i];
        if ((w->role != R_TEXT && w->role != R_BUTTON) || !w->text || !*w->text)
            continue;
        int tw, th, box = w->role == R_BUTTON ? w->r.w - u->pad : w->r.w;
        enum colour fg = w->fg;
        if (w->role == R_BUTTON && (w->flags & W_SELECTED) && w->bg == C_SURFACE)
            fg = C_ON_SELECTED;
        text_texture(r, w->text, w->px, w->flags & W_BOLD, theme_colour(fg, hc), box,
                     w->flags & W_CENTER, &tw, &th);
    }
}

void render_frame(struct render *r, const struct ui *u, int focused, bool hc)
{
    SDL_Renderer *sdl = r->sdl;
    SDL_SetRenderDrawBlendMode(sdl, SDL_BLENDMODE_BLEND);
    SDL_Rect clip = {u->clip.x, u->clip.y, u->clip.w, u->clip.h};
    int border = u->unit / 3 > 2 ? u->unit / 3 : 2;
    for (size_t i = 0; i < u->n; i++) {
        const struct widget *w = &u->w[i];
        bool clipped = w->flags & W_CLIPPED;
        if (clipped && (w->r.y > clip.y + clip.h || w->r.y + w->r.h < clip.y))
            continue;
        SDL_RenderSetClipRect(sdl, clipped ? &clip : NULL);
        struct rgb bg = theme_colour(w->bg, hc);
        switch (w->role) {
        case R_PANEL:
            set_colour(sdl, bg, strcmp(w->id, "scrim") == 0 ? 200 : 255);
            fill(sdl, w->r);
            if (w->bg == C_SURFACE) {
                set_colour(sdl, theme_colour(C_BORDER, hc), 255);
                frame_rect(sdl, w->r, 1);
            }
            break;
        case R_CARD:
            set_colour(sdl, bg, 255);
            fill(sdl, w->r);
            set_colour(sdl, theme_colour(w->flags & W_SELECTED ? C_ON_SELECTED : C_BORDER, hc),
                       255);
            frame_rect(sdl, w->r, w->flags & W_SELECTED ? border * 2 : 1);
            break;
        case R_BUTTON: {
            struct rgb b = bg;
            if (w->flags & W_SELECTED && w->bg == C_SURFACE)
                b = theme_colour(C_SELECTED, hc);
            set_colour(sdl, b, w->flags & W_DISABLED ? 120 : 255);
            fill(sdl, w->r);
            set_colour(sdl, theme_colour(C_PRIMARY, hc), 255);
            frame_rect(sdl, w->r, w->flags & W_SELECTED ? border * 2 : border);
            struct widget label = *w;
            if (w->flags & W_SELECTED && w->bg == C_SURFACE)
                label.fg = C_ON_SELECTED;
            struct rect box = {w->r.x + u->pad / 2, w->r.y, w->r.w - u->pad, w->r.h};
            draw_text(r, &label, box, hc);
            break;
        }
        case R_TEXT:
            draw_text(r, w, w->r, hc);
            break;
        case R_PICTURE: {
            const struct picture *pic =
                w->project >= 0 ? &r->el->projects[w->project].picture : NULL;
            set_colour(sdl, theme_colour(C_BORDER, hc), 255);
            if (!pic || !pic->w) {
                fill(sdl, w->r);
                break;
            }
            int dw = w->r.w, dh = w->r.w * pic->h / pic->w;
            if (dh > w->r.h)
                dh = w->r.h, dw = w->r.h * pic->w / pic->h;
            SDL_Texture *t = picture(r, w->project, dw, dh);
            SDL_Rect dst = {w->r.x + (w->r.w - dw) / 2, w->r.y + (w->r.h - dh) / 2, dw, dh};
            if (t)
                SDL_RenderCopy(sdl, t, NULL, &dst);
            else
                fill(sdl, w->r);
            break;
        }
        case R_BAR: {
            /* the track is outlined, so that the whole budget shows even when nothing is spent;
             * track, fill and outline pass 3:1 against each other and the page (test_theme) */
            set_colour(sdl, theme_colour(C_TRACK, hc), 255);
            fill(sdl, w->r);
            long max = w->max > 0 ? w->max : 1, v = w->value < max ? w->value : max;
            set_colour(sdl, theme_colour(C_PRIMARY, hc), 255);
            fill(sdl, (struct rect){w->r.x, w->r.y, (int)(w->r.w * v / max), w->r.h});
            set_colour(sdl, theme_colour(C_OUTLINE, hc), 255);
            frame_rect(sdl, w->r, 1);
            break;
        }
        case R_SCROLL: {
            /* a track the height of the list's viewport, the thumb where the view is */
            set_colour(sdl, theme_colour(C_TRACK, hc), 255);
            fill(sdl, w->r);
            long max = w->max > 0 ? w->max : 1;
            int th = (int)(w->r.h * (w->span < max ? w->span : max) / max);
            if (th < u->unit * 3)
                th = u->unit * 3;
            int ty = w->r.y + (int)((long)(w->r.h - th) * w->value /
                                    (max - w->span > 0 ? max - w->span : 1));
            if (ty > w->r.y + w->r.h - th)
                ty = w->r.y + w->r.h - th;
            if (ty < w->r.y)
                ty = w->r.y;
            set_colour(sdl, theme_colour(C_PRIMARY, hc), 255);
            fill(sdl, (struct rect){w->r.x, ty, w->r.w, th});
            set_colour(sdl, theme_colour(C_OUTLINE, hc), 255);
            frame_rect(sdl, w->r, 1);
            break;
        }
        case R_CHECK: {
            /* a box, with a tick drawn in it when chosen */
            set_colour(sdl, bg, 255);
            fill(sdl, w->r);
            set_colour(sdl, theme_colour(w->fg, hc), 255);
            frame_rect(sdl, w->r, border);
            if (w->flags & W_SELECTED) {
                int x0 = w->r.x + w->r.w * 22 / 100, y0 = w->r.y + w->r.h * 52 / 100;
                int x1 = w->r.x + w->r.w * 42 / 100, y1 = w->r.y + w->r.h * 74 / 100;
                int x2 = w->r.x + w->r.w * 80 / 100, y2 = w->r.y + w->r.h * 28 / 100;
                int t = w->r.w / 8 > 2 ? w->r.w / 8 : 2;
                for (int d = -t / 2; d <= t / 2; d++) {
                    SDL_RenderDrawLine(sdl, x0, y0 + d, x1, y1 + d);
                    SDL_RenderDrawLine(sdl, x1, y1 + d, x2, y2 + d);
                }
            }
            break;
        }
        }
        if ((int)i == focused) {
            set_colour(sdl, theme_colour(C_FOCUS, hc), 255);
            frame_rect(sdl,
                       (struct rect){w->r.x - border * 2, w->r.y - border * 2, w->r.w + border * 4,
                                     w->r.h + border * 4},
                       border * 2);
        }
    }
    SDL_RenderSetClipRect(sdl, NULL);
}

unsigned long render_text_misses(const struct render *r)
{
    return r->misses;
}

unsigned long render_text_overflows(const struct render *r)
{
    return r->overflows;
}

/* Screenshots are written with libpng: 8-bit RGB, default filters and compression. */
static void shot_write(png_structp png, png_bytep data, size_t n)
{
    buf_raw(png_get_io_ptr(png), data, n);
}

static void shot_flush(png_structp png)
{
    (void)png;
}

static void shot_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

/* The setjmp sits here, where no local changes after it. */
static int shot_encode(png_structp png, png_infop info, const uint8_t *px, int w, int h,
                       struct buf *out)
{
    if (setjmp(png_jmpbuf(png)))
        return -1;
    png_set_write_fn(png, out, shot_write, shot_flush);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, px + (size_t)y * w * 3);
    png_write_end(png, NULL);
    return 0;
}

int render_screenshot(SDL_Renderer *sdl, const char *path, struct err *e)
{
    int w, h;
    if (SDL_GetRendererOutputSize(sdl, &w, &h) != 0)
        return err_set(e, ERR_INTERNAL, "cannot read the screen size: %s", SDL_GetError());
    uint8_t *px = malloc((size_t)w * h * 3);
    if (!px)
        return err_set(e, ERR_NOMEM, "out of memory for a screenshot");
    int rc = 0;
    if (SDL_RenderReadPixels(sdl, NULL, SDL_PIXELFORMAT_RGB24, px, w * 3) != 0) {
        rc = err_set(e, ERR_INTERNAL, "cannot read the screen: %s", SDL_GetError());
    } else {
        struct buf png;
        buf_init(&png);
        png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, shot_error, NULL);
        png_infop info = p ? png_create_info_struct(p) : NULL;
        if (!p || !info || shot_encode(p, info, px, w, h, &png) != 0 || png.oom)
            rc = err_set(e, ERR_NOMEM, "out of memory encoding a %dx%d screenshot", w, h);
        png_destroy_write_struct(p ? &p : NULL, info ? &info : NULL);
        if (!rc)
            rc = util_write_durable(path, png.data, png.len, 0644, e);
        buf_free(&png);
    }
    free(px);
    return rc;
}
