/* polls_report — see polls_report.h.
 *
 * The texts are the catalogue's (the po files, kiosk/catalog.h: M_RPT_*, M_STATE_*), so translators
 * find them with every other message. Widths are counted in code points: the texts
 * are Latin letters with accents (one column each on screens and receipt printers); the
 * election's own names are wrapped the same way. */
#include "polls_report.h"

#include "catalog.h"

#include <inttypes.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "util.h"

/* [kind]: title, subtitle, note. */
static const enum msg KIND[6][3] = {
    [REPORT_ZERO] = {M_RPT_ZERO_TITLE, M_RPT_ZERO_SUBTITLE, M_RPT_ZERO_NOTE},
    [REPORT_PAUSE] = {M_RPT_PAUSE_TITLE, M_RPT_PAUSE_SUBTITLE, M_RPT_PAUSE_NOTE},
    [REPORT_RESUME] = {M_RPT_RESUME_TITLE, M_RPT_RESUME_SUBTITLE, M_RPT_RESUME_NOTE},
    [REPORT_CLOSING] = {M_RPT_CLOSING_TITLE, M_RPT_CLOSING_SUBTITLE, M_RPT_CLOSING_NOTE},
    [REPORT_STATUS] = {M_RPT_STATUS_TITLE, M_RPT_STATUS_SUBTITLE, M_RPT_STATUS_NOTE},
};

/* The polls state, in the words of the officials' status screen. */
static const enum msg STATE[4] = {
    [REPORT_NOT_OPENED] = M_STATE_NOT_OPENED,
    [REPORT_OPEN] = M_STATE_OPEN,
    [REPORT_PAUSED] = M_STATE_PAUSED,
    [REPORT_CLOSED] = M_STATE_CLOSED,
};

struct out {
    struct buf b;
    unsigned w;
};

static size_t cps(const char *s, size_t n)
{
    return utf8_length(s, n);
}

/* Text from the package may hold line breaks or tabs: each control character is printed as
 * one space, so every line keeps its width and a receipt printer gets no control codes. */
static void emit(struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        buf_u8(&o->b, c < 0x20 || c == 0x7F ? ' ' : c);
    }
}

static void spaces(struct out *o, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_u8(&o->b, ' ');
}

static void endl(struct out *o)
{
    while (o->b.len > 0 && o->b.data[o->b.len - 1] == ' ')
        o->b.len--;
    buf_u8(&o->b, '\n');
}

static void rule(struct out *o, char c)
{
    for (unsigned i = 0; i < o->w; i++)
        buf_u8(&o->b, (uint8_t)c);
    endl(o);
}

/* Calls emit for each line of s wrapped at spaces to `width` code points; a word longer
 * than the width is cut. */
static void wrap(struct out *o, const char *s, size_t width, size_t indent, int align)
{
    size_t n = strlen(s), at = 0, i, take;
    bool cut;
    while (util_wrap_next(s, n, &at, width, &i, &take, &cut)) {
        size_t cols = cut ? width : cps(s + i, take - i);
        size_t pad = indent;
        if (align == 1)
            pad += (width - cols) / 2;
        else if (align == 2)
            pad += width - cols;
        spaces(o, pad);
        emit(o, s + i, take - i);
        endl(o);
    }
}

static void center(struct out *o, const char *s)
{
    wrap(o, s, o->w, 0, 1);
}

static void para(struct out *o, const char *s)
{
    wrap(o, s, o->w, 0, 0);
}

/* "label            value" on one line if it fits, else the label, then the value indented. */
static void pair(struct out *o, const char *label, const char *value)
{
    size_t lc = cps(label, strlen(label)), vc = cps(value, strlen(value));
    if (lc + 1 + vc <= o->w) {
        emit(o, label, strlen(label));
        spaces(o, o->w - lc - vc);
        emit(o, value, strlen(value));
        endl(o);
        return;
    }
    wrap(o, label, o->w, 0, 0);
    if (vc + 2 <= o->w)
        wrap(o, value, o->w, 0, 2);
    else
        wrap(o, value, o->w - 2, 2, 0);
}

static void pair_u64(struct out *o, const char *label, uint64_t v)
{
    char s[24];
    snprintf(s, sizeof s, "%" PRIu64, v);
    pair(o, label, s);
}

static void pair_fpr(struct out *o, const char *label, const uint8_t *p, size_t n)
{
    char f[FPR_TEXT_LEN + 1];
    fingerprint(f, p, n);
    pair(o, label, f);
}

static void fill_line(struct out *o, const char *label)
{
    size_t lc = cps(label, strlen(label));
    emit(o, label, strlen(label));
    buf_u8(&o->b, ' ');
    for (size_t i = lc + 1; i < o->w; i++)
        buf_u8(&o->b, '_');
    endl(o);
}

static void format_time(char out[40], int64_t at, int32_t offset)
{
    time_t t = (time_t)(at + offset);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, 40, "%" PRId64, at);
        return;
    }
    int32_t off = offset < 0 ? -offset : offset;
    /* every field is bounded so the text always fits in 40 bytes */
    snprintf(out, 40, "%04u-%02u-%02u %02u:%02u UTC%c%02u:%02u",
             (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
             (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
             offset < 0 ? '-' : '+', (unsigned)(off / 3600) % 100u,
             (unsigned)(off / 60 % 60) % 100u);
}

static bool text_ok(const char *s)
{
    return !s || utf8_valid(s, strlen(s));
}

int polls_report_render(const struct polls_report_input *in, enum lang lang, unsigned width,
                        char **out, size_t *len, struct err *e)
{
    *out = NULL;
    *len = 0;
    if (width < REPORT_MIN_WIDTH || width > REPORT_MAX_WIDTH)
        return err_set(e, ERR_USAGE, "a report is %d to %d columns wide, not %u", REPORT_MIN_WIDTH,
                       REPORT_MAX_WIDTH, width);
    if ((unsigned)lang >= LANG_COUNT)
        return err_set(e, ERR_USAGE, "no report texts in language %d", (int)lang);
    if (in->kind < REPORT_ZERO || in->kind > REPORT_STATUS)
        return err_set(e, ERR_USAGE, "unknown report kind %d", (int)in->kind);
    if (in->kind == REPORT_STATUS && (unsigned)in->state > REPORT_CLOSED)
        return err_set(e, ERR_USAGE, "unknown polls state %d", (int)in->state);
    if (!in->election_name || !in->kiosk_label)
        return err_set(e, ERR_USAGE, "a report needs the election name and the kiosk label");
    if (!text_ok(in->election_name) || !text_ok(in->election_id) || !text_ok(in->vote_point) ||
        !text_ok(in->kiosk_label) || !text_ok(in->official))
        return err_set(e, ERR_INVALID, "a text of the report is not valid UTF-8");

    static const enum report_state implied[] = {
        [REPORT_ZERO] = REPORT_OPEN,
        [REPORT_PAUSE] = REPORT_PAUSED,
        [REPORT_RESUME] = REPORT_OPEN,
        [REPORT_CLOSING] = REPORT_CLOSED,
    };
    enum report_state state = in->kind == REPORT_STATUS ? in->state : implied[in->kind];
    const enum msg *k = KIND[in->kind];

    struct out o = {.w = width};
    buf_init(&o.b);
    rule(&o, '=');
    center(&o, msg(k[0], lang));
    center(&o, msg(k[1], lang));
    rule(&o, '=');
    pair(&o, msg(M_RPT_ELECTION, lang), in->election_name);
    if (in->election_id && *in->election_id)
        pair(&o, msg(M_RPT_ELECTION_ID, lang), in->election_id);
    if (in->vote_point && *in->vote_point)
        pair(&o, msg(M_RPT_VOTE_POINT, lang), in->vote_point);
    pair(&o, msg(M_RPT_KIOSK, lang), in->kiosk_label);
    pair_fpr(&o, msg(M_RPT_KIOSK_KEY, lang), in->kiosk_pk, SIGN_PK_LEN);
    pair_fpr(&o, msg(M_RPT_PACKAGE, lang), in->package_hash, HASH_LEN);
    rule(&o, '-');
    pair(&o, msg(M_RPT_STATE, lang), msg(STATE[state], lang));
    pair_u64(&o, msg(M_RPT_BALLOTS, lang), in->ballots);
    if (in->token_mode)
        pair_u64(&o, msg(M_RPT_TOKENS, lang), in->tokens_spent);
    if (in->attended && in->kind != REPORT_ZERO) {
        /* one enable, one ballot: a difference is named (cancelled, left, not recorded...) */
        pair_u64(&o, msg(M_RPT_ENABLES, lang), in->enables);
        if (in->enables > in->ballots)
            pair_u64(&o, msg(M_RPT_ENABLED_NO_BALLOT, lang), in->enables - in->ballots);
        else if (in->ballots > in->enables)
            pair_u64(&o, msg(M_RPT_BALLOT_NO_ENABLE, lang), in->ballots - in->enables);
    }
    pair_u64(&o, msg(M_RPT_ROWS, lang), in->journal_rows);
    pair_fpr(&o, msg(M_RPT_JOURNAL, lang), in->chain_head, HASH_LEN);
    char when[40];
    format_time(when, in->at, in->utc_offset);
    pair(&o, msg(M_RPT_DATE, lang), when);
    if (in->official && *in->official)
        pair(&o, msg(M_RPT_OFFICIAL, lang), in->official);
    rule(&o, '-');
    para(&o, msg(k[2], lang));
    rule(&o, '-');
    para(&o, msg(M_RPT_SIGNATURES, lang));
    unsigned nsig = in->signatures ? in->signatures : 2;
    for (unsigned i = 0; i < nsig && i < 10; i++) {
        endl(&o);
        fill_line(&o, msg(M_RPT_NAME, lang));
        endl(&o);
        fill_line(&o, msg(M_RPT_SIGNATURE, lang));
    }
    rule(&o, '=');
    buf_u8(&o.b, '\0');
    if (buf_ok(&o.b) != 0) {
        buf_free(&o.b);
        return err_set(e, ERR_NOMEM, "out of memory writing a report");
    }
    size_t n;
    *out = (char *)buf_take(&o.b, &n);
    *len = n - 1;
    return 0;
}

const char *polls_report_file_name(enum report_kind kind, uint64_t seq,
                                   char out[POLLS_REPORT_NAME_MAX])
{
    static const char *const NAMES[] = {[REPORT_ZERO] = "zero",
                                        [REPORT_PAUSE] = "pause",
                                        [REPORT_RESUME] = "resume",
                                        [REPORT_CLOSING] = "closing",
                                        [REPORT_STATUS] = "status"};
    const char *n = kind >= REPORT_ZERO && kind <= REPORT_STATUS ? NAMES[kind] : "other";
    snprintf(out, POLLS_REPORT_NAME_MAX, "report-%s-%" PRIu64 ".txt", n, seq);
    return out;
}

int polls_report_write(const char *path, const char *text, size_t len, struct err *e)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        return err_set(e, ERR_STATE,
                       "writing the report: %s already exists, and a report is never replaced",
                       path);
    int rc = util_write_durable(path, text, len, 0600, e);
    if (rc)
        err_prefix(e, "writing the report: ");
    return rc;
}
