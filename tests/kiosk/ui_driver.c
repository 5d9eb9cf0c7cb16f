/* ui_driver — runs the kiosk's screens on a package with a script, like isoloir-kiosk --script,
 * but records votes in memory instead of a journal, and prints each cast vote as a line
 * ("vote city:R01,R05 nord:N02"). Tests use it to check what a scripted voter's taps produce
 * and that every screen lays out without overflow; the real journal path is tested by the
 * kiosk end-to-end test. */
#include <sodium.h>
#include <stdio.h>

#include "app.h"
#include "key.h"
#include "package.h"
#include "util.h"

struct recorder {
    const struct election *el;
    unsigned n;
};

static int record(void *ctx, const struct vote *v, const uint8_t *token_hash, char *tracking,
                  size_t size, struct err *e)
{
    struct recorder *r = ctx;
    (void)token_hash; /* no officials here: every voter may vote */
    struct buf b;
    buf_init(&b);
    int rc = vote_encode(r->el, v, &b, e); /* the same validation the journal applies */
    buf_free(&b);
    if (rc)
        return rc;
    printf("vote");
    for (uint32_t i = 0; i < v->nballots; i++) {
        const struct ballot *bl = &v->ballots[i];
        printf(" %s:", r->el->ballots[bl->def].id);
        for (uint32_t k = 0; k < bl->nentries; k++)
            printf("%s%s", k ? "," : "", r->el->projects[bl->entries[k].project].id);
        if (r->el->ballots[bl->def].rule.kind == RULE_CUMULATIVE)
            for (uint32_t k = 0; k < bl->nentries; k++)
                printf("%s%u", k ? "," : "=", bl->entries[k].value);
    }
    printf("\n");
    fflush(stdout);
    snprintf(tracking, size, "TEST-%04u-XX", ++r->n);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: ui_driver PACKAGE AUTHORITY.pub SCRIPT SHOTS_DIR [WxH]\n");
        return 2;
    }
    if (sodium_init() < 0)
        return 1;
    struct err e = {0};
    struct public_key auth;
    struct election el;
    if (key_load_public(argv[2], KEY_AUTHORITY, &auth, &e) ||
        package_open(argv[1], auth.pk, PACKAGE_ALLOW_DEMO, &el, NULL, &e)) {
        fprintf(stderr, "ui_driver: %s\n", e.msg);
        return 1;
    }
    struct recorder rec = {.el = &el};
    struct app_config cfg = {.el = &el,
                             .demo = el.demo,
                             .windowed = true,
                             .width = 1280,
                             .height = 800,
                             .font_dir = ISOLOIR_FONT_DIR,
                             .script = argv[3],
                             .shots_dir = argv[4],
                             .session = {.idle_ms = 90000, .idle_warn_ms = 30000, .done_ms = 30000},
                             .cast = record,
                             .cast_ctx = &rec};
    if (argc > 5 && sscanf(argv[5], "%dx%d", &cfg.width, &cfg.height) != 2)
        return 2;
    int rc = app_run(&cfg, &e);
    if (rc)
        fprintf(stderr, "ui_driver: %s\n", e.msg);
    election_free(&el);
    return rc ? 1 : 0;
}
