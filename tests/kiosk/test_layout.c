/* test_layout — every screen of the kiosk, laid out with the real font metrics (render.c's
 * measuring, SDL_ttf and the Noto fonts the kiosk ships with), fails on:
 *   - overlap: two texts, buttons, pictures, bars or check boxes that share a pixel on screen,
 *     or two project cards that do;
 *   - clipping: a text taller or wider than its box, a button label that does not fit its button
 *     (labels wrap, they never shrink below the text size the voter chose);
 *   - off-screen: a widget outside the window, or inside a scrolling list but beyond what
 *     scrolling can reach.
 * States: welcome (closed, waiting, open), the PIN keypad, the officials' menu in each polls
 * state with its dialogs, the voter-card code, district, how to vote, every ballot of every
 * district empty, filled and after a refusal, filtered, every project's details, review,
 * confirmation, cancel, idle warning, recorded, failed casts — each at 800x480, 1280x800 and
 * 1920x1080, in each language, at each text size, in both themes, at the top of every list and
 * scrolled to its end.
 *
 *   test_layout AUTHORITY.pub PACKAGE...
 *
 * Prints one line per defect (state, size, language, what) and a count of frames checked. */
#include <SDL.h>
#include <sodium.h>
#include <stdarg.h>

#include "key.h"
#include "package.h"
#include "render.h"
#include "session.h"
#include "ui.h"
#include "util.h"

static const int SIZES[][2] = {{800, 480}, {1280, 800}, {1920, 1080}};

struct run {
    struct render *r;
    const struct election *el;
    struct ui *u;
    int w, h;
    const char *state; /* what the frame shows, for the messages */
    unsigned long frames, defects;
};

static bool intersects(struct rect a, struct rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static struct rect meet(struct rect a, struct rect b)
{
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    return (struct rect){x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0};
}

static void defect(struct run *R, const struct session *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Defects are grouped by state, kind and widget: one line each, with its first example and how
 * many frames showed it. */
#define KINDS 400
static struct kind {
    char key[96];
    char first[400];
    unsigned long n;
} kinds[KINDS];

static void defect(struct run *R, const struct session *s, const char *fmt, ...)
{
    R->defects++;
    char text[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char key[96];
    size_t idlen = strcspn(text, " -");
    snprintf(key, sizeof key, "%s %.*s %.20s", R->state, (int)idlen, text, fmt);
    for (int i = 0; i < KINDS; i++) {
        if (!kinds[i].n) {
            snprintf(kinds[i].key, sizeof kinds[i].key, "%s", key);
            snprintf(kinds[i].first, sizeof kinds[i].first, "%s %dx%d %s size %d%s: %s", R->state,
                     R->w, R->h, lang_code(s->lang), s->text_size,
                     s->high_contrast ? " contrast" : "", text);
        }
        if (!strcmp(kinds[i].key, key)) {
            kinds[i].n++;
            return;
        }
    }
}

static bool leaf(const struct widget *w)
{
    return w->role != R_PANEL && w->role != R_CARD;
}

/* Checks the frame in R->u. */
static void check_frame(struct run *R, const struct session *s)
{
    const struct ui *u = R->u;
    R->frames++;
    if (u->n >= UI_MAX_WIDGETS)
        defect(R, s, "more than %d widgets: the frame is cut", UI_MAX_WIDGETS);
    /* only the top layer: what a dialog covers is checked in the frame without the dialog */
    size_t lo = 1;
    for (size_t i = 0; i < u->n; i++)
        if (!strcmp(u->w[i].id, "scrim"))
            lo = i + 1;
    int scroll = s->overlay == OV_DETAIL ? s->detail_scroll : s->scroll;
    int reach = u->content_h > u->clip.h ? u->content_h : u->clip.h;
    struct rect screen = {0, 0, R->w, R->h};
    struct rect shown[UI_MAX_WIDGETS];
    for (size_t i = lo; i < u->n; i++) {
        const struct widget *w = &u->w[i];
        bool clipped = w->flags & W_CLIPPED;
        shown[i] = clipped ? meet(w->r, u->clip) : w->r;
        /* off-screen, or out of the reach of scrolling */
        if (w->r.x < 0 || w->r.x + w->r.w > R->w || w->r.w <= 0 || w->r.h <= 0)
            defect(R, s, "%s is (partly) off-screen or empty: x %d..%d of %d", w->id, w->r.x,
                   w->r.x + w->r.w, R->w);
        else if (!clipped && (w->r.y < 0 || w->r.y + w->r.h > R->h))
            defect(R, s, "%s is (partly) off-screen: y %d..%d of %d", w->id, w->r.y,
                   w->r.y + w->r.h, R->h);
        else if (clipped &&
                 (w->r.y < u->clip.y - scroll || w->r.y + w->r.h > u->clip.y - scroll + reach ||
                  w->r.x < u->clip.x || w->r.x + w->r.w > u->clip.x + u->clip.w))
            defect(R, s, "%s is beyond what its list scrolls to: y %d..%d, list %d..%d", w->id,
                   w->r.y, w->r.y + w->r.h, u->clip.y - scroll, u->clip.y - scroll + reach);
        else if (clipped && !intersects(u->clip, screen))
            defect(R, s, "%s: its list's viewport is off-screen", w->id);
        /* clipped texts and labels */
        if ((w->role == R_TEXT || w->role == R_BUTTON) && w->text && *w->text) {
            int box = w->role == R_BUTTON ? w->r.w - u->pad : w->r.w, tw;
            int th = render_measure(R->r, w->text, w->px, w->flags & W_BOLD, box, &tw);
            if (tw > box || th > w->r.h)
                defect(R, s, "%s \"%.40s\" needs %dx%d, its box is %dx%d", w->id, w->text, tw, th,
                       box, w->r.h);
            if (w->role == R_BUTTON && w->px < u->body_px * 3 / 4)
                defect(R, s, "%s: its label shrank to %d px (text %d px)", w->id, w->px,
                       u->body_px);
        }
    }
    /* a text drawn on a panel (the tracking code's box) stays inside it, where both show */
    for (size_t i = lo; i < u->n; i++) {
        const struct widget *w = &u->w[i];
        if (w->role != R_TEXT || !w->text || !*w->text)
            continue;
        int tw, th = render_measure(R->r, w->text, w->px, w->flags & W_BOLD, w->r.w, &tw);
        int x0 = w->flags & W_CENTER ? w->r.x + (w->r.w - tw) / 2 : w->r.x;
        struct rect ink = meet((struct rect){x0, w->r.y, tw, th}, shown[i]);
        for (size_t k = lo; k < u->n; k++) {
            const struct rect p = shown[k];
            if (u->w[k].role == R_PANEL && ink.w > 0 && ink.h > 0 && p.w > 0 && p.h > 0 &&
                intersects(ink, p) && (ink.x < p.x || ink.x + ink.w > p.x + p.w))
                defect(R, s, "%s \"%.40s\" runs out of %s: %d,%d..%d,%d, panel %d,%d..%d,%d", w->id,
                       w->text, u->w[k].id, ink.x, ink.y, ink.x + ink.w, ink.y + ink.h, p.x, p.y,
                       p.x + p.w, p.y + p.h);
        }
    }
    /* overlap, where it shows */
    for (size_t i = lo; i < u->n; i++) {
        const struct widget *a = &u->w[i];
        if (!shown[i].w || !shown[i].h || (!leaf(a) && a->role != R_CARD))
            continue;
        for (size_t k = i + 1; k < u->n; k++) {
            const struct widget *b = &u->w[k];
            if (!shown[k].w || !shown[k].h || leaf(a) != leaf(b) || b->role == R_PANEL)
                continue;
            if (intersects(shown[i], shown[k]))
                defect(R, s, "%s (%d,%d %dx%d) overlaps %s (%d,%d %dx%d)", a->id, a->r.x, a->r.y,
                       a->r.w, a->r.h, b->id, b->r.x, b->r.y, b->r.w, b->r.h);
        }
    }
}

/* Lays out the session's frame and checks it at the top of its lists and scrolled to the end. */
static void frame(struct run *R, struct session *s, const char *state)
{
    R->state = state;
    ui_build(R->u, s, R->el, R->w, R->h, R->el->demo, render_measure, R->r);
    check_frame(R, s);
    int max = R->u->content_h - R->u->clip.h;
    if (max > 0) {
        int *sc = s->overlay == OV_DETAIL ? &s->detail_scroll : &s->scroll;
        int keep = *sc;
        *sc = max;
        ui_build(R->u, s, R->el, R->w, R->h, R->el->demo, render_measure, R->r);
        check_frame(R, s);
        *sc = keep;
    }
}

static void apply(struct session *s, const struct election *el, enum act k, int arg)
{
    session_apply(s, el, (struct action){k, arg}, 1000);
}

static void fresh(struct session *s, const struct election *el, enum lang l, int size, bool hc)
{
    memset(s, 0, sizeof *s);
    session_reset(s, el, 0);
    s->text_size = size, s->high_contrast = hc;
    s->polls_open = true, s->polls_state = 1;
    s->lang = l, s->staff_lang = l;
}

static const char *STATUS[] = {
    "Journal : vérifié au démarrage, 1 234 lignes",
    "Bulletins : 1 180 (1 200 autorisations, 20 autorisations sans bulletin)",
    "Paquet : bxl-demo-2026, empreinte 3f2a 9c41 77d0 1e5b",
    "Clé de la borne : 9c41 3f2a 1e5b 77d0 a1b2 c3d4",
    "Disque : 12,4 Go libres sur 16 Go",
    "Horloge : 2026-12-02 10:42 (Europe/Brussels)",
    "Imprimante : prête, papier 80 mm"};

static void officials(struct run *R, struct session *s, enum lang l, int size, bool hc)
{
    fresh(s, R->el, l, size, hc);
    s->overlay = OV_PIN;
    snprintf(s->pin, sizeof s->pin, "2468");
    frame(R, s, "pin");
    snprintf(s->official_msg, sizeof s->official_msg,
             "Code PIN incorrect. Il reste 2 essais avant un blocage de 5 minutes.");
    frame(R, s, "pin-refused");
    for (int st = 0; st < 4; st++) {
        fresh(s, R->el, l, size, hc);
        s->screen = SCR_OFFICIAL, s->polls_state = st, s->polls_open = st == 1;
        s->attended = true, s->printing = true, s->install_ready = st == 3;
        for (size_t i = 0; i < sizeof STATUS / sizeof STATUS[0] && i < STATUS_LINES; i++)
            snprintf(s->status[i], sizeof s->status[i], "%s", STATUS[i]);
        snprintf(s->official_msg, sizeof s->official_msg,
                 "Rapport de clôture : 1 180 bulletins, engagement 3f2a9c4177d01e5b, "
                 "export vérifié sur la clé USB ISOLOIR (2 fichiers, 412 Ko).");
        frame(R, s,
              st == 0   ? "official-new"
              : st == 1 ? "official-open"
              : st == 2 ? "official-paused"
                        : "official-closed");
        if (st == 1) {
            static const enum overlay OV[] = {OV_CLOSE1, OV_CLOSE2, OV_ENABLE, OV_CLOCK};
            static const char *const NAMES[] = {"close1", "close2", "enable", "clock"};
            for (int o = 0; o < 4; o++) {
                s->overlay = OV[o];
                frame(R, s, NAMES[o]);
            }
        }
    }
}

static void welcome(struct run *R, struct session *s, enum lang l, int size, bool hc)
{
    fresh(s, R->el, l, size, hc);
    s->polls_open = false;
    frame(R, s, "closed");
    fresh(s, R->el, l, size, hc);
    s->attended = true;
    frame(R, s, "waiting");
    fresh(s, R->el, l, size, hc);
    frame(R, s, "welcome");
    /* a kiosk that takes voter cards: the code, a refusal */
    fresh(s, R->el, l, size, hc);
    s->token_mode = true;
    apply(s, R->el, ACT_LANG, (int)l);
    snprintf(s->token_input, sizeof s->token_input, "K7QF3M2A9C41X2NB4");
    frame(R, s, "token");
    snprintf(s->notice, sizeof s->notice, "%s",
             "Ce code n'est pas valable ici : vérifiez-le, ou adressez-vous au personnel.");
    frame(R, s, "token-refused");
}

/* Fills the ballot on screen the way a hurried voter would: every project in turn. */
static void fill(struct session *s, const struct election *el)
{
    const struct ballot_def *bd = session_def(s, el);
    for (size_t i = 0; i < bd->nprojects; i++) {
        apply(s, el, ACT_TOGGLE, (int)bd->projects[i]);
        if (bd->rule.kind == RULE_CUMULATIVE)
            apply(s, el, ACT_PLUS, (int)bd->projects[i]);
    }
}

static void vote(struct run *R, struct session *s, enum lang l, int size, bool hc, int district)
{
    const struct election *el = R->el;
    fresh(s, el, l, size, hc);
    apply(s, el, ACT_LANG, (int)l);
    if (s->screen == SCR_DISTRICT) {
        if (district == -1)
            frame(R, s, "district");
        apply(s, el, ACT_DISTRICT, district);
    }
    if (s->screen != SCR_HOWTO) {
        defect(R, s, "district %d: not on the how-to screen", district);
        return;
    }
    frame(R, s, "howto");
    apply(s, el, ACT_START, 0);
    for (uint32_t b = 0; b < s->ndefs && s->screen == SCR_BALLOT; b++) {
        const struct ballot_def *bd = session_def(s, el);
        frame(R, s, "ballot-empty");
        /* the details of every project, at the top and at the end of the description */
        for (size_t i = 0; i < bd->nprojects; i++) {
            apply(s, el, ACT_DETAIL, (int)bd->projects[i]);
            frame(R, s, "detail");
            apply(s, el, ACT_CLOSE, 0);
        }
        fill(s, el);
        frame(R, s, s->notice[0] ? "ballot-refused" : "ballot-full");
        /* one filter */
        for (size_t i = 0; i < bd->nprojects; i++) {
            int c = el->projects[bd->projects[i]].category;
            if (c >= 0) {
                apply(s, el, ACT_FILTER, c);
                frame(R, s, "ballot-filtered");
                apply(s, el, ACT_FILTER, -1);
                break;
            }
        }
        apply(s, el, ACT_NEXT, 0);
        if (s->cur == b && s->screen == SCR_BALLOT) {
            /* a minimum not reached: Next is disabled, the reason shown; go on regardless */
            frame(R, s, "ballot-below-minimum");
            s->notice[0] = '\0';
            if (s->cur + 1 < s->ndefs)
                s->cur++;
            else
                s->screen = SCR_REVIEW;
        }
    }
    frame(R, s, "review");
    apply(s, el, ACT_CONFIRM, 0);
    frame(R, s, "confirm");
    s->overlay = OV_CANCEL;
    frame(R, s, "cancel");
    s->overlay = OV_IDLE, s->idle_left_s = 30;
    frame(R, s, "idle");
    s->overlay = OV_FAILED;
    frame(R, s, "failed");
    s->overlay = OV_UNKNOWN;
    frame(R, s, "unknown");
    s->overlay = OV_NONE;
    session_cast_done(s, "K7F2-9QX4-M3C8", 1000);
    frame(R, s, "done");
}

/* A+ cycles the three sizes; Cancel keeps the size (the same voter goes on), the next voter
 * starts at the normal size. */
static unsigned text_size_cycle(const struct election *el, struct session *s)
{
    unsigned bad = 0;
    fresh(s, el, el->langs[0], 0, false);
    for (int k = 1; k <= 2 * TEXT_SIZES; k++) {
        apply(s, el, ACT_LARGER, 0);
        bad += s->text_size != k % TEXT_SIZES;
    }
    apply(s, el, ACT_LARGER, 0);
    apply(s, el, ACT_LANG, (int)el->langs[0]);
    apply(s, el, ACT_CANCEL, 0);
    apply(s, el, ACT_CANCEL_YES, 0);
    bad += s->screen != SCR_WELCOME || s->text_size != 1;
    session_reset(s, el, 2000);
    bad += s->text_size != 0;
    if (bad)
        fprintf(stderr, "A+ does not cycle the text sizes, or the size outlives the voter\n");
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_layout AUTHORITY.pub PACKAGE...\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    struct err e = {0};
    struct public_key auth;
    if (key_load_public(argv[1], KEY_AUTHORITY, &auth, &e)) {
        fprintf(stderr, "test_layout: %s\n", e.msg);
        return 1;
    }
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 16, 16, 32, SDL_PIXELFORMAT_XRGB8888);
    SDL_Renderer *sdl = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    struct ui *u = calloc(1, sizeof *u);
    struct session *s = calloc(1, sizeof *s);
    if (!sdl || !u || !s) {
        fprintf(stderr, "test_layout: cannot start: %s\n", SDL_GetError());
        return 1;
    }
    unsigned long frames = 0, defects = 0;
    for (int p = 2; p < argc; p++) {
        struct election el;
        struct render *r;
        if (package_open(argv[p], auth.pk, PACKAGE_ALLOW_DEMO, &el, NULL, &e) ||
            render_open(sdl, ISOLOIR_FONT_DIR, &el, &r, &e)) {
            fprintf(stderr, "test_layout: %s: %s\n", argv[p], e.msg);
            return 1;
        }
        defects += text_size_cycle(&el, s);
        for (size_t z = 0; z < sizeof SIZES / sizeof SIZES[0]; z++)
            for (int size = 0; size < TEXT_SIZES; size++)
                for (int li = 0; li < el.nlangs; li++)
                    for (int hc = 0; hc < 2; hc++) {
                        struct run R = {
                            .r = r, .el = &el, .u = u, .w = SIZES[z][0], .h = SIZES[z][1]};
                        enum lang l = el.langs[li];
                        welcome(&R, s, l, size, hc);
                        officials(&R, s, l, size, hc);
                        vote(&R, s, l, size, hc, -1);
                        for (int d = 0; d < (int)el.ndistricts; d++)
                            vote(&R, s, l, size, hc, d);
                        frames += R.frames, defects += R.defects;
                    }
        printf("%s: %s\n", argv[p], el.id);
        render_close(r);
        election_free(&el);
    }
    for (int i = 0; i < KINDS && kinds[i].n; i++)
        fprintf(stderr, "%s (%lu frames)\n", kinds[i].first, kinds[i].n);
    printf("%lu frames checked, %lu defects\n", frames, defects);
    free(u);
    free(s);
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surf);
    return defects ? 1 : 0;
}
