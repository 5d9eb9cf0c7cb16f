/* polls_report — see polls_report.h.
 *
 * Texts live in one table per language below. Widths are counted in code points: the texts
 * here are Latin letters with accents (one column each on screens and receipt printers); the
 * election's own names are wrapped the same way. */
#include "polls_report.h"

#include <inttypes.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "util.h"

enum txt {
    T_ELECTION,
    T_ELECTION_ID,
    T_VOTE_POINT,
    T_KIOSK,
    T_KIOSK_KEY,
    T_PACKAGE,
    T_STATE,
    T_BALLOTS,
    T_TOKENS,
    T_ROWS,
    T_JOURNAL,
    T_DATE,
    T_SIGNATURES,
    T_NAME,
    T_SIGNATURE,
    T_ENABLES,
    T_ENABLED_NO_BALLOT,
    T_BALLOT_NO_ENABLE,
    T_OFFICIAL,
    T_COUNT
};

static const char *const TXT[LANG_COUNT][T_COUNT] = {
    [LANG_FR] = {"Scrutin", "Identifiant", "Lieu de vote", "Borne", "Clé de la borne",
                 "Paquet électoral", "État du scrutin", "Bulletins enregistrés",
                 "Cartes de vote utilisées", "Lignes du journal", "Empreinte du journal",
                 "Date et heure", "Signatures des responsables", "Nom", "Signature",
                 "Électeurs autorisés", "Autorisés sans bulletin", "Bulletins sans autorisation",
                 "Responsable"},
    [LANG_NL] = {"Stemming", "Kenmerk", "Stemlocatie", "Kiosk", "Sleutel van de kiosk",
                 "Stempakket", "Status", "Geregistreerde stembiljetten", "Gebruikte stemkaarten",
                 "Regels in het logboek", "Vingerafdruk logboek", "Datum en uur",
                 "Handtekeningen van de verantwoordelijken", "Naam", "Handtekening",
                 "Toegelaten kiezers", "Toegelaten zonder stembiljet",
                 "Stembiljetten zonder toelating", "Verantwoordelijke"},
    [LANG_EN] = {"Election", "Election id", "Vote point", "Kiosk", "Kiosk key", "Package", "Polls",
                 "Ballots cast", "Voter cards used", "Journal rows", "Journal fingerprint",
                 "Date and time", "Officials' signatures", "Name", "Signature", "Voters enabled",
                 "Enabled, no ballot", "Ballots, no enable", "Official"},
};

static const char *const STATE[LANG_COUNT][4] = {
    [LANG_FR] = {"non ouvert", "ouvert", "suspendu", "clos"},
    [LANG_NL] = {"niet geopend", "open", "gepauzeerd", "gesloten"},
    [LANG_EN] = {"not opened", "open", "paused", "closed"},
};

/* [lang][kind]: title, subtitle, note. */
static const char *const KIND[LANG_COUNT][6][3] = {
    [LANG_FR] =
        {
            [REPORT_ZERO] = {"RAPPORT ZÉRO", "Ouverture du scrutin",
                             "Le journal de cette borne ne contient aucun bulletin. Vérifiez les "
                             "empreintes avant de signer."},
            [REPORT_PAUSE] = {"RAPPORT DE SUSPENSION", "Suspension du vote",
                              "Le vote est suspendu : personne ne peut voter sur cette borne "
                              "jusqu'à la reprise."},
            [REPORT_RESUME] = {"RAPPORT DE REPRISE", "Reprise du vote",
                               "Le vote a repris. Le nombre de bulletins doit être celui du "
                               "rapport de suspension."},
            [REPORT_CLOSING] = {"RAPPORT DE CLÔTURE", "Clôture du scrutin",
                                "Le scrutin est clos sur cette borne. C'est définitif : aucun "
                                "autre bulletin ne peut y être enregistré."},
            [REPORT_STATUS] = {"RAPPORT D'ÉTAT", "Situation de la borne",
                               "Ce rapport ne change rien au scrutin."},
        },
    [LANG_NL] =
        {
            [REPORT_ZERO] = {"NULRAPPORT", "Opening van de stemming",
                             "Het logboek van deze kiosk bevat geen enkel stembiljet. Controleer "
                             "de vingerafdrukken voor u tekent."},
            [REPORT_PAUSE] = {"PAUZERAPPORT", "Onderbreking van de stemming",
                              "De stemming is onderbroken: niemand kan op deze kiosk stemmen tot "
                              "ze hervat wordt."},
            [REPORT_RESUME] = {"HERVATTINGSRAPPORT", "Hervatting van de stemming",
                               "De stemming is hervat. Het aantal stembiljetten moet gelijk zijn "
                               "aan dat op het pauzerapport."},
            [REPORT_CLOSING] = {"SLUITINGSRAPPORT", "Sluiting van de stemming",
                                "De stemming op deze kiosk is gesloten. Dat is definitief: er kan "
                                "geen stembiljet meer bijkomen."},
            [REPORT_STATUS] = {"STATUSRAPPORT", "Toestand van de kiosk",
                               "Dit rapport verandert niets aan de stemming."},
        },
    [LANG_EN] =
        {
            [REPORT_ZERO] = {"ZERO REPORT", "Polls opened",
                             "This kiosk's journal holds no ballot. Check the fingerprints "
                             "before you sign."},
            [REPORT_PAUSE] = {"PAUSE REPORT", "Voting paused",
                              "Voting is paused: nobody can vote at this kiosk until it "
                              "resumes."},
            [REPORT_RESUME] = {"RESUME REPORT", "Voting resumed",
                               "Voting has resumed. The number of ballots must be the one on the "
                               "pause report."},
            [REPORT_CLOSING] = {"CLOSING REPORT", "Polls closed",
                                "The polls are closed at this kiosk. This is final: no other "
                                "ballot can be recorded on it."},
            [REPORT_STATUS] = {"STATUS REPORT", "Kiosk status",
                               "This report changes nothing in the vote."},
        },
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
    const char *const *t = TXT[lang];
    const char *const *k = KIND[lang][in->kind];

    struct out o = {.w = width};
    buf_init(&o.b);
    rule(&o, '=');
    center(&o, k[0]);
    center(&o, k[1]);
    rule(&o, '=');
    pair(&o, t[T_ELECTION], in->election_name);
    if (in->election_id && *in->election_id)
        pair(&o, t[T_ELECTION_ID], in->election_id);
    if (in->vote_point && *in->vote_point)
        pair(&o, t[T_VOTE_POINT], in->vote_point);
    pair(&o, t[T_KIOSK], in->kiosk_label);
    pair_fpr(&o, t[T_KIOSK_KEY], in->kiosk_pk, SIGN_PK_LEN);
    pair_fpr(&o, t[T_PACKAGE], in->package_hash, HASH_LEN);
    rule(&o, '-');
    pair(&o, t[T_STATE], STATE[lang][state]);
    pair_u64(&o, t[T_BALLOTS], in->ballots);
    if (in->token_mode)
        pair_u64(&o, t[T_TOKENS], in->tokens_spent);
    if (in->attended && in->kind != REPORT_ZERO) {
        /* one enable, one ballot: a difference is named (cancelled, left, not recorded...) */
        pair_u64(&o, t[T_ENABLES], in->enables);
        if (in->enables > in->ballots)
            pair_u64(&o, t[T_ENABLED_NO_BALLOT], in->enables - in->ballots);
        else if (in->ballots > in->enables)
            pair_u64(&o, t[T_BALLOT_NO_ENABLE], in->ballots - in->enables);
    }
    pair_u64(&o, t[T_ROWS], in->journal_rows);
    pair_fpr(&o, t[T_JOURNAL], in->chain_head, HASH_LEN);
    char when[40];
    format_time(when, in->at, in->utc_offset);
    pair(&o, t[T_DATE], when);
    if (in->official && *in->official)
        pair(&o, t[T_OFFICIAL], in->official);
    rule(&o, '-');
    para(&o, k[2]);
    rule(&o, '-');
    para(&o, t[T_SIGNATURES]);
    unsigned nsig = in->signatures ? in->signatures : 2;
    for (unsigned i = 0; i < nsig && i < 10; i++) {
        endl(&o);
        fill_line(&o, t[T_NAME]);
        endl(&o);
        fill_line(&o, t[T_SIGNATURE]);
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
