/* official — see official.h.
 *
 * The state is two counters (official, supervisor: consecutive failures and the time of the
 * last one) and the lockout flag, for one package hash. It is written as a canonical text
 * with a checksum line; reading parses it, renders it again and compares bytes, so anything
 * but a file this module wrote is "damaged". */
#include "official.h"

#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>

#include "util.h"

#define STATE_MAGIC "isoloir-official-state 1"
#define STATE_MAX   1024
#define CHECK_LEN   16

struct counter {
    unsigned failures;
    int64_t last; /* time of the last failure (or of the attempt being checked) */
};

struct official {
    char *path;
    const struct officials *list; /* NULL: none, every PIN is refused */
    uint8_t package_hash[HASH_LEN];
    struct official_clock clock;
    struct counter c[2];
    bool locked;
    bool damaged;
};

static int64_t now_of(const struct official *o)
{
    if (o->clock.now)
        return o->clock.now(o->clock.ctx);
    return (int64_t)time(NULL);
}

int64_t official_delay(unsigned failures)
{
    if (failures < OFFICIAL_FREE_TRIES)
        return 0;
    int64_t d = OFFICIAL_FIRST_DELAY;
    for (unsigned k = OFFICIAL_FREE_TRIES; k < failures && d < OFFICIAL_MAX_DELAY; k++)
        d *= 2;
    return d < OFFICIAL_MAX_DELAY ? d : OFFICIAL_MAX_DELAY;
}

static int64_t remaining(const struct counter *c, int64_t now)
{
    int64_t d = official_delay(c->failures);
    if (d == 0)
        return 0;
    int64_t from = now < c->last ? now : c->last; /* a clock set back restarts the wait */
    int64_t left = from + d - now;
    return left > 0 ? left : 0;
}

/* The state file text: fixed lines, then "check" and the first 16 bytes of BLAKE2b-256 of
 * everything before that line, in hex. Returns the length (< STATE_MAX). */
static size_t render(const struct official *o, bool locked, char out[STATE_MAX])
{
    char ph[2 * HASH_LEN + 1];
    hex_encode(ph, o->package_hash, HASH_LEN);
    int n = snprintf(
        out, STATE_MAX,
        STATE_MAGIC "\npackage %s\nofficial %u %" PRId64 "\nsupervisor %u %" PRId64 "\nlocked %d\n",
        ph, o->c[0].failures, o->c[0].last, o->c[1].failures, o->c[1].last, locked ? 1 : 0);
    uint8_t h[HASH_LEN];
    hash32(h, out, (size_t)n);
    char hx[2 * CHECK_LEN + 1];
    hex_encode(hx, h, CHECK_LEN);
    n += snprintf(out + n, STATE_MAX - (size_t)n, "check %s\n", hx);
    return (size_t)n;
}

static int save(struct official *o, struct err *e)
{
    char text[STATE_MAX];
    size_t n = render(o, o->locked, text);
    int rc = util_write_durable(o->path, text, n, 0600, e);
    if (rc)
        err_prefix(e, "cannot record the PIN attempt (%s): ", o->path);
    return rc;
}

/* Parses a state file; false if it is not exactly what render() writes. */
static bool parse(struct official *o, const char *text, size_t n, uint8_t ph[HASH_LEN])
{
    char phex[2 * HASH_LEN + 1];
    unsigned f0, f1;
    int64_t l0, l1;
    int locked;
    if (sscanf(text,
               STATE_MAGIC "\npackage %64[0-9a-f]\nofficial %u %" SCNd64 "\nsupervisor %u %" SCNd64
                           "\nlocked %d\n",
               phex, &f0, &l0, &f1, &l1, &locked) != 6)
        return false;
    if (hex_decode(ph, HASH_LEN, phex) != 0 || (locked != 0 && locked != 1))
        return false;
    struct official tmp = *o;
    memcpy(tmp.package_hash, ph, HASH_LEN);
    tmp.c[0] = (struct counter){f0, l0};
    tmp.c[1] = (struct counter){f1, l1};
    char again[STATE_MAX];
    size_t m = render(&tmp, locked == 1, again);
    if (m != n || memcmp(again, text, n) != 0)
        return false;
    o->c[0] = tmp.c[0];
    o->c[1] = tmp.c[1];
    o->locked = locked == 1;
    return true;
}

int official_open(const char *state_path, const struct officials *list,
                  const uint8_t package_hash[HASH_LEN], const struct official_clock *clock,
                  struct official **out, struct err *e)
{
    *out = NULL;
    if (!state_path || !package_hash)
        return err_set(e, ERR_USAGE, "official_open: no state file or package hash");
    struct official *o = calloc(1, sizeof *o);
    if (!o)
        return err_set(e, ERR_NOMEM, "out of memory");
    o->path = util_strdup(state_path);
    if (!o->path) {
        free(o);
        return err_set(e, ERR_NOMEM, "out of memory");
    }
    o->list = list;
    memcpy(o->package_hash, package_hash, HASH_LEN);
    if (clock)
        o->clock = *clock;

    struct stat st;
    if (stat(state_path, &st) != 0) {
        if (errno == ENOENT)
            goto done; /* first use: nothing failed yet */
        int rc = err_errno(e, "cannot read the PIN state file %s", state_path);
        official_close(o);
        return rc;
    }
    uint8_t *data = NULL;
    size_t n = 0;
    struct err re = {0};
    int rc = util_read_file(state_path, STATE_MAX, &data, &n, &re);
    if (rc && rc != ERR_INVALID) { /* ERR_INVALID: too big, i.e. damaged */
        official_close(o);
        if (e)
            *e = re;
        return err_prefix(e, "the PIN state: ");
    }
    uint8_t ph[HASH_LEN];
    if (rc || !parse(o, (const char *)data, n, ph)) {
        o->damaged = true;
        o->locked = true;
    } else if (memcmp(ph, package_hash, HASH_LEN) != 0) {
        /* another package: its count and lockout do not carry over */
        memset(o->c, 0, sizeof o->c);
        o->locked = false;
    }
    free(data);
done:
    *out = o;
    return 0;
}

static void fill(const struct official *o, enum official_who who, int64_t now,
                 struct official_result *out)
{
    const struct counter *c = &o->c[who];
    out->locked = o->locked;
    out->damaged = o->damaged;
    out->failures = c->failures;
    out->wait_seconds = (who == OFFICIAL_PIN && o->locked) ? 0 : remaining(c, now);
    out->tries_left = o->locked || o->c[0].failures >= OFFICIAL_LOCK_AFTER
                          ? 0
                          : OFFICIAL_LOCK_AFTER - o->c[0].failures;
}

const char *official_name(const struct official *o, int who)
{
    if (!o || !o->list || who < 0 || (size_t)who >= o->list->n)
        return "";
    return o->list->list[who].name;
}

void official_status(const struct official *o, enum official_who who, struct official_result *out)
{
    memset(out, 0, sizeof *out);
    out->who = -1;
    fill(o, who, now_of(o), out);
}

static int attempt(struct official *o, enum official_who who, const char *pin,
                   struct official_result *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    out->who = -1;
    struct counter *c = &o->c[who];
    int64_t now = now_of(o);
    if (now < c->last)
        c->last = now;
    int rc = 0;
    if ((who == OFFICIAL_PIN && o->locked) || remaining(c, now) > 0)
        goto result;
    if (!o->list || !pin) {
        rc = err_set(e, ERR_INVALID,
                     "the package holds no officials' PINs for this kiosk; ask the authority for "
                     "a package built with its officials");
        goto result;
    }

    /* Record the attempt as failed before checking it: a power cut during the check then
     * costs an attempt instead of giving a free one. */
    struct counter before = *c;
    bool was_locked = o->locked;
    c->failures = before.failures < UINT32_MAX ? before.failures + 1 : before.failures;
    c->last = now;
    if (who == OFFICIAL_PIN && c->failures >= OFFICIAL_LOCK_AFTER)
        o->locked = true;
    rc = save(o, e);

    int idx = -1;
    struct err ce = {0};
    if (officials_check(o->list, pin, &idx, &ce) != 0) {
        /* the check could not run (no memory for Argon2id): not an attempt */
        *c = before;
        o->locked = was_locked;
        save(o, NULL);
        if (e)
            *e = ce;
        rc = ce.code;
        goto result;
    }
    bool right =
        idx >= 0 && (who == OFFICIAL_PIN || o->list->list[idx].role == OFFICIAL_ROLE_SUPERVISOR);
    out->checked = true;
    int64_t after = now_of(o);
    if (right) {
        out->ok = true;
        out->who = idx;
        if (who == OFFICIAL_SUPERVISOR) {
            memset(o->c, 0, sizeof o->c);
            o->locked = false;
            o->damaged = false;
        } else {
            c->failures = 0;
            c->last = before.last;
            o->locked = was_locked;
        }
    } else if (after > c->last) {
        c->last = after; /* the wait starts when the answer is given */
    } else {
        goto result; /* the file already says it all */
    }
    int rc2 = save(o, rc ? NULL : e);
    if (!rc)
        rc = rc2;
    now = after;
result:
    fill(o, who, now, out);
    return rc;
}

int official_try(struct official *o, const char *pin, struct official_result *out, struct err *e)
{
    return attempt(o, OFFICIAL_PIN, pin, out, e);
}

int official_supervisor_unlock(struct official *o, const char *pin, struct official_result *out,
                               struct err *e)
{
    return attempt(o, OFFICIAL_SUPERVISOR, pin, out, e);
}

enum msg { M_OK, M_DAMAGED, M_LOCKED, M_WRONG_WAIT, M_WAIT, M_WRONG, M_AGAIN, M_READY, M_COUNT };

/* [lang][msg]; %s is "official" or "supervisor" in the language, the numbers follow. */
static const char *const MSG[LANG_COUNT][M_COUNT] = {
    [LANG_FR] =
        {
            [M_OK] = "Code PIN accepté.",
            [M_DAMAGED] = "Le suivi des codes PIN est illisible : le code PIN des responsables "
                          "est bloqué. Appelez votre superviseur.",
            [M_LOCKED] = "Code PIN des responsables bloqué après %u codes erronés. Appelez votre "
                         "superviseur : le code PIN superviseur le débloque.",
            [M_WRONG_WAIT] = "Code PIN %s erroné. Prochain essai possible dans %lld s.",
            [M_WAIT] = "Prochain essai possible dans %lld s.",
            [M_WRONG] = "Code PIN %s erroné. Essais restants : %u.",
            [M_AGAIN] = "Code PIN %s erroné. Réessayez.",
            [M_READY] = "Tapez le code PIN %s.",
        },
    [LANG_NL] =
        {
            [M_OK] = "Pincode aanvaard.",
            [M_DAMAGED] = "De registratie van pincodes is onleesbaar: de pincode voor "
                          "verantwoordelijken is geblokkeerd. Bel uw supervisor.",
            [M_LOCKED] = "Pincode voor verantwoordelijken geblokkeerd na %u foute pincodes. Bel "
                         "uw supervisor: de supervisor-pincode heft de blokkering op.",
            [M_WRONG_WAIT] = "Foute %s. Volgende poging mogelijk over %lld s.",
            [M_WAIT] = "Volgende poging mogelijk over %lld s.",
            [M_WRONG] = "Foute %s. Resterende pogingen: %u.",
            [M_AGAIN] = "Foute %s. Probeer opnieuw.",
            [M_READY] = "Typ de %s.",
        },
    [LANG_EN] =
        {
            [M_OK] = "PIN accepted.",
            [M_DAMAGED] = "The record of PIN attempts is unreadable: the official PIN is locked. "
                          "Call your supervisor.",
            [M_LOCKED] = "Official PIN locked after %u wrong PINs. Call your supervisor: the "
                         "supervisor PIN unlocks it.",
            [M_WRONG_WAIT] = "Wrong %s PIN. Next try possible in %lld s.",
            [M_WAIT] = "Next try possible in %lld s.",
            [M_WRONG] = "Wrong %s PIN. Tries left: %u.",
            [M_AGAIN] = "Wrong %s PIN. Try again.",
            [M_READY] = "Type the %s PIN.",
        },
};

static const char *const WHO[LANG_COUNT][2] = {
    [LANG_FR] = {"des responsables", "superviseur"},
    [LANG_NL] = {"pincode voor verantwoordelijken", "supervisor-pincode"},
    [LANG_EN] = {"official", "supervisor"},
};

void official_message(const struct official_result *r, enum official_who who, enum lang lang,
                      char *out, size_t size)
{
    if (!out || size == 0)
        return;
    if ((unsigned)lang >= LANG_COUNT)
        lang = LANG_EN;
    who = who == OFFICIAL_SUPERVISOR ? OFFICIAL_SUPERVISOR : OFFICIAL_PIN;
    const char *const *m = MSG[lang];
    const char *w = WHO[lang][who];
    long long wait = (long long)r->wait_seconds;
    if (r->ok)
        snprintf(out, size, "%s", m[M_OK]);
    else if (who == OFFICIAL_PIN && r->locked && r->damaged)
        snprintf(out, size, "%s", m[M_DAMAGED]);
    else if (who == OFFICIAL_PIN && r->locked)
        snprintf(out, size, m[M_LOCKED], r->failures);
    else if (r->checked && wait > 0)
        snprintf(out, size, m[M_WRONG_WAIT], w, wait);
    else if (wait > 0)
        snprintf(out, size, m[M_WAIT], wait);
    else if (r->checked && who == OFFICIAL_PIN)
        snprintf(out, size, m[M_WRONG], w, r->tries_left);
    else if (r->checked)
        snprintf(out, size, m[M_AGAIN], w);
    else
        snprintf(out, size, m[M_READY], w);
}

void official_close(struct official *o)
{
    if (!o)
        return;
    free(o->path);
    free(o);
}
