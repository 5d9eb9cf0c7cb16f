/*
 * publish_html — the pages of the published site, in French, Dutch and English
 * (docs/publish.md): fr/, nl/ and en/ hold the same pages, each with a language switch to the
 * same page in the other languages; index.html at the top lets the reader choose.
 *
 * Every page: lang on <html>, a skip link, one <h1>, tables with <caption> and <th scope>,
 * charts as inline SVG with role="img", <title> and <desc> (the table next to a chart holds
 * the same numbers). Pages load only style.css and, for the lookup, lookup.js and codes/XY.js,
 * all inside the site's folder; a Content-Security-Policy says so to the browser.
 *
 * This file: the page frame, the text helpers and every page but the ballots' (publish_ballot.c);
 * the sentences are in publish_words.c.
 *
 * What a page shows about ballots comes from the counted profiles (struct pub_ballot) and the
 * kiosks' counts; no page holds a tracking code, a ciphertext hash, or a time of day.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "publish_int.h"
#include "util.h"

/* ---- text helpers ------------------------------------------------------------------------ */

void pub_html(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* printf into a buffer, then HTML-escaped. */
void pub_htmlf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pub_htmlf(FILE *f, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pub_html(f, buf);
}

/* An integer with the language's thousands separator. */
const char *pub_num(char *buf, size_t size, int64_t v, enum lang l)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%lld", (long long)(v < 0 ? -v : v));
    const char *sep = l == LANG_FR ? "\xe2\x80\xaf" : l == LANG_NL ? "." : ",";
    size_t n = strlen(raw), o = 0;
    if (v < 0 && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = 0; i < n && o + 4 < size; i++) {
        if (i && (n - i) % 3 == 0)
            for (const char *s = sep; *s && o + 1 < size; s++)
                buf[o++] = *s;
        buf[o++] = raw[i];
    }
    buf[o] = 0;
    return buf;
}

const char *pub_money(char *buf, size_t size, int64_t cents, enum lang l)
{
    util_format_euro(buf, size, cents, lang_code(l));
    return buf;
}

/* The first `max` characters of a UTF-8 string, with an ellipsis when cut. */
void pub_cut(char *out, size_t size, const char *s, size_t max)
{
    size_t n = 0;
    const char *p = s;
    while (*p && n < max) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
        n++;
    }
    snprintf(out, size, "%.*s%s", (int)(p - s), s, *p ? "\xe2\x80\xa6" : "");
}

/* The polls state a kiosk's last row says, in words. */
const char *pub_state_text(const char *s, enum lang l)
{
    return !strcmp(s, "open")     ? pub_t(S_OPEN, l)
           : !strcmp(s, "paused") ? pub_t(S_PAUSED, l)
           : !strcmp(s, "closed") ? pub_t(S_CLOSED, l)
                                  : s;
}

/* ---- page frame -------------------------------------------------------------------------- */

static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src "
                          "'self' data:; connect-src 'none'; form-action 'self'; base-uri 'none'";

void pub_page_begin(FILE *f, const struct pub *pb, enum lang l, enum page pg, const char *file,
                    const char *title)
{
    const struct election *el = pb->el;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
            lang_code(l));
    fprintf(f, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    fprintf(f, "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n", CSP);
    fprintf(f, "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    pub_html(f, title);
    fputs(" — ", f);
    pub_html(f, text_get(&el->name, l));
    fprintf(f, "</title>\n<link rel=\"stylesheet\" href=\"../style.css\">\n");
    for (int o = 0; o < LANG_COUNT; o++)
        if (o != (int)l)
            fprintf(f, "<link rel=\"alternate\" hreflang=\"%s\" href=\"../%s/%s\">\n",
                    lang_code((enum lang)o), lang_code((enum lang)o), file);
    fprintf(f, "</head>\n<body>\n<a class=\"skip\" href=\"#main\">%s</a>\n<header>\n",
            pub_t(M_SKIP, l));
    fprintf(f, "<nav class=\"langs\" aria-label=\"%s\"><ul>", pub_t(M_LANGNAV, l));
    for (int o = 0; o < LANG_COUNT; o++) {
        if (o == (int)l)
            fprintf(f, "<li><a href=\"%s\" lang=\"%s\" aria-current=\"true\">%s</a></li>", file,
                    lang_code((enum lang)o), PUB_LANG_NAME[o]);
        else
            fprintf(f, "<li><a href=\"../%s/%s\" lang=\"%s\" hreflang=\"%s\">%s</a></li>",
                    lang_code((enum lang)o), file, lang_code((enum lang)o), lang_code((enum lang)o),
                    PUB_LANG_NAME[o]);
    }
    fprintf(f, "</ul></nav>\n<a class=\"site\" href=\"index.html\">");
    pub_html(f, text_get(&el->name, l));
    fprintf(f, "</a>\n<nav aria-label=\"%s\"><ul>", pub_t(M_MAINNAV, l));
    static const struct {
        enum page pg;
        const char *file;
        enum pub_msg m;
    } NAV[] = {{P_INDEX, "index.html", M_RESULTS},
               {P_TURNOUT, "turnout.html", M_TURNOUT},
               {P_TRACK, "track.html", M_TRACK},
               {P_DATA, "data.html", M_DATA},
               {P_AUDIT, "audit.html", M_AUDIT}};
    for (size_t i = 0; i < ARRAY_LEN(NAV); i++)
        fprintf(f, "<li><a href=\"%s\"%s>%s</a></li>", NAV[i].file,
                NAV[i].pg == pg ? " aria-current=\"page\"" : "", pub_t(NAV[i].m, l));
    fprintf(f, "</ul></nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>");
    pub_html(f, title);
    fprintf(f, "</h1>\n");
}

void pub_page_end(FILE *f, const struct pub *pb, enum lang l)
{
    fprintf(f, "</main>\n<footer><p>");
    pub_htmlf(f, pub_t(M_FOOTER, l), pb->day);
    fprintf(f, "</p></footer>\n</body>\n</html>\n");
}

/* ---- pages ------------------------------------------------------------------------------- */

const char *pub_ballot_title(const struct pub *pb, size_t d, enum lang l)
{
    return text_get(&pb->el->ballots[d].name, l);
}

const char *pub_project_title(const struct pub *pb, const struct pub_ballot *b, size_t i,
                              enum lang l)
{
    return text_get(&pb->el->projects[b->bd->projects[i]].title, l);
}

void pub_ties_text(char *out, size_t size, const struct election *el)
{
    size_t o = 0;
    bool has_id = false;
    out[0] = 0;
    for (int i = 0; i < TIE_MAX && el->tie_break[i] != TIE_END && o < size; i++) {
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "," : "",
                              tie_break_name(el->tie_break[i]));
        has_id |= el->tie_break[i] == TIE_ID;
    }
    if (!has_id && o < size)
        snprintf(out + o, size - o, "%sid", o ? "," : "");
}

/* The tie-break criteria in words, in order, "id" last. */
void pub_ties_words(char *out, size_t size, const struct election *el, enum lang l)
{
    size_t o = 0;
    bool has_id = false;
    out[0] = 0;
    for (int i = 0; i <= TIE_MAX && o < size; i++) {
        enum tie_break t = i < TIE_MAX ? el->tie_break[i] : TIE_END;
        if (t == TIE_END && has_id)
            break;
        if (t == TIE_END)
            t = TIE_ID;
        enum pub_msg m = t == TIE_LOWEST_COST    ? TB_LOW
                         : t == TIE_HIGHEST_COST ? TB_HIGH
                         : t == TIE_MOST_VOTES   ? TB_VOTES
                                                 : TB_ID;
        o += (size_t)snprintf(out + o, size - o, "%s%s", o ? ", " : "", pub_t(m, l));
        has_id |= t == TIE_ID;
        if (t == TIE_ID)
            break;
    }
}

static void write_index(FILE *f, const struct pub *pb, enum lang l)
{
    const struct election *el = pb->el;
    pub_page_begin(f, pb, l, P_INDEX, "index.html", pub_t(M_RESULTS, l));
    fprintf(f, "<p>");
    pub_htmlf(f, pub_t(M_INTRO, l), pb->day);
    fprintf(f, "</p>\n<p class=\"note\"><a href=\"track.html\">%s</a></p>\n",
            pub_t(M_TRACK_CALL, l));
    fprintf(f, "<ul class=\"cards\">\n");
    for (size_t d = 0; d < el->nballots; d++) {
        const struct pub_ballot *b = &pb->b[d];
        char n1[48], n2[48], m1[64], m2[64];
        fprintf(f, "<li><h2><a href=\"ballot-%s.html\">", b->bd->id);
        pub_html(f, pub_ballot_title(pb, d, l));
        fprintf(f, "</a></h2>\n<p>");
        pub_htmlf(f, pub_t(M_BALLOTS_N, l),
                  pub_num(n1, sizeof n1, (int64_t)profile_voters(&b->p), l));
        fprintf(f, "<br>%s%s", pub_t(M_BUDGET, l), pub_t(M_COLON, l));
        pub_html(f, pub_money(m1, sizeof m1, b->p.budget, l));
        fprintf(f, "<br>%s%s", pub_t(M_SPENT, l), pub_t(M_COLON, l));
        pub_html(f, pub_money(m2, sizeof m2, b->o.spent, l));
        fprintf(f, "<br>");
        pub_htmlf(f, pub_t(M_FUNDED_N, l), pub_num(n1, sizeof n1, (int64_t)b->o.nselected, l),
                  pub_num(n2, sizeof n2, (int64_t)b->p.nprojects, l));
        fprintf(f, "</p>\n<p><a href=\"ballot-%s.html\">", b->bd->id);
        pub_htmlf(f, pub_t(M_DETAILS, l), pub_ballot_title(pb, d, l));
        fprintf(f, "</a></p>\n");
        pub_svg_budget(f, l, b->bd->id, b->o.spent, b->p.budget);
        fprintf(f, "</li>\n");
    }
    fprintf(f, "</ul>\n");
    pub_page_end(f, pb, l);
}

static void write_turnout(FILE *f, const struct pub *pb, enum lang l)
{
    const struct election *el = pb->el;
    pub_page_begin(f, pb, l, P_TURNOUT, "turnout.html", pub_t(M_TURNOUT_TITLE, l));
    fprintf(f, "<p>%s</p>\n", pub_t(M_TURNOUT_INTRO, l));
    size_t np = el->nvote_points + 1; /* the last: kiosks with no vote point */
    int64_t *votes = calloc(np, sizeof *votes);
    size_t *kiosks = calloc(np, sizeof *kiosks);
    struct bar *bars = calloc(np, sizeof *bars);
    char n1[48], n2[48];
    if (votes && kiosks && bars) {
        for (size_t i = 0; i < pb->nk; i++) {
            size_t p = pb->k[i].vote_point >= 0 ? (size_t)pb->k[i].vote_point : np - 1;
            votes[p] += pb->k[i].ballots;
            kiosks[p]++;
        }
        size_t nb = 0;
        for (size_t p = 0; p < np; p++) {
            if (p == np - 1 && !kiosks[p])
                continue;
            snprintf(bars[nb].label, sizeof bars[nb].label, "%s",
                     p < el->nvote_points ? text_get(&el->vote_points[p].name, l)
                                          : pub_t(M_NO_POINT, l));
            bars[nb].value = votes[p];
            nb++;
        }
        pub_svg_bars(f, l, "points", pub_t(M_TURNOUT_TITLE, l), pub_t(M_TURNOUT_INTRO, l), bars,
                     nb);
        fprintf(f,
                "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th><th "
                "scope=\"col\" class=\"n\">%s</th><th scope=\"col\" "
                "class=\"n\">%s</th></tr></thead>\n<tbody>\n",
                pub_t(M_TURNOUT_TITLE, l), pub_t(M_VOTE_POINT, l), pub_t(M_KIOSKS, l),
                pub_t(M_VOTES_CAST, l));
        int64_t total = 0;
        for (size_t p = 0; p < np; p++) {
            if (p == np - 1 && !kiosks[p])
                continue;
            fprintf(f, "<tr><th scope=\"row\">");
            pub_html(f, p < el->nvote_points ? text_get(&el->vote_points[p].name, l)
                                             : pub_t(M_NO_POINT, l));
            fprintf(f, "</th><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                    pub_num(n1, sizeof n1, (int64_t)kiosks[p], l),
                    pub_num(n2, sizeof n2, votes[p], l));
            total += votes[p];
        }
        fprintf(f,
                "</tbody>\n<tfoot><tr><th scope=\"row\">%s</th><td class=\"n\">%s</td>"
                "<td class=\"n\">%s</td></tr></tfoot>\n</table>\n",
                pub_t(M_TOTAL, l), pub_num(n1, sizeof n1, (int64_t)pb->nk, l),
                pub_num(n2, sizeof n2, total, l));
    }
    free(votes);
    free(kiosks);
    free(bars);

    fprintf(f,
            "<h2>%s</h2>\n<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s"
            "</th><th scope=\"col\" class=\"n\">%s</th></tr></thead>\n<tbody>\n",
            pub_t(M_PER_BALLOT, l), pub_t(M_PER_BALLOT, l), pub_t(M_BALLOT, l),
            pub_t(M_VOTES_CAST, l));
    for (size_t d = 0; d < el->nballots; d++) {
        fprintf(f, "<tr><th scope=\"row\"><a href=\"ballot-%s.html\">", el->ballots[d].id);
        pub_html(f, pub_ballot_title(pb, d, l));
        fprintf(f, "</a></th><td class=\"n\">%s</td></tr>\n",
                pub_num(n1, sizeof n1, (int64_t)profile_voters(&pb->b[d].p), l));
    }
    fprintf(f, "</tbody>\n</table>\n");

    fprintf(f,
            "<h2>%s</h2>\n<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s"
            "</th><th scope=\"col\">%s</th><th scope=\"col\" class=\"n\">%s</th><th "
            "scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            pub_t(M_PER_KIOSK, l), pub_t(M_PER_KIOSK, l), pub_t(M_KIOSK, l), pub_t(M_VOTE_POINT, l),
            pub_t(M_VOTES_CAST, l), pub_t(M_POLLS, l));
    for (size_t i = 0; i < pb->nk; i++) {
        const struct pub_kiosk *k = &pb->k[i];
        fprintf(f, "<tr><th scope=\"row\">");
        pub_html(f, k->label);
        fprintf(f, "</th><td>");
        pub_html(f, k->vote_point >= 0 ? text_get(&el->vote_points[k->vote_point].name, l)
                                       : pub_t(M_NO_POINT, l));
        fprintf(f, "</td><td class=\"n\">%s</td><td>", pub_num(n1, sizeof n1, k->ballots, l));
        pub_html(f, pub_state_text(k->state, l));
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody>\n</table>\n");
    pub_page_end(f, pb, l);
}

static void write_track(FILE *f, const struct pub *pb, enum lang l)
{
    pub_page_begin(f, pb, l, P_TRACK, "track.html", pub_t(M_TRACK_TITLE, l));
    fprintf(f, "<p>%s</p>\n<p id=\"code-help\">%s</p>\n", pub_t(M_TRACK_INTRO, l),
            pub_t(M_TRACK_FORGIVING, l));
    fprintf(f,
            "<form id=\"lookup\" action=\"track.html\" method=\"get\">\n<label "
            "for=\"code\">%s</label>\n<input id=\"code\" name=\"code\" type=\"text\" "
            "autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" "
            "aria-describedby=\"code-help\" required>"
            "<button type=\"submit\">%s</button>\n</form>\n",
            pub_t(M_TRACK_LABEL, l), pub_t(M_TRACK_BUTTON, l));
    fprintf(f, "<div id=\"result\" role=\"status\" aria-live=\"polite\" data-status=\"\"");
    static const struct {
        const char *status;
        enum pub_msg m;
    } R[] = {{"found", R_FOUND},
             {"notfound", R_NOTFOUND},
             {"typo", R_TYPO},
             {"format", R_FORMAT},
             {"error", R_ERROR}};
    for (size_t i = 0; i < ARRAY_LEN(R); i++) {
        fprintf(f, " data-%s=\"", R[i].status);
        pub_html(f, pub_t(R[i].m, l));
        fputc('"', f);
    }
    fprintf(f, "></div>\n<p>%s</p>\n", pub_t(M_TRACK_PRIVATE, l));
    fprintf(f,
            "<noscript><p>%s <a href=\"../data/tracking-codes.csv\">tracking-codes.csv</a>"
            "</p></noscript>\n",
            pub_t(M_TRACK_NOSCRIPT, l));
    fprintf(f, "<script src=\"../lookup.js\"></script>\n");
    pub_page_end(f, pb, l);
}

static void file_row(FILE *f, const struct pub *pb, const char *name, const char *desc, enum lang l)
{
    char n1[48];
    uint64_t size = 0;
    for (size_t i = 0; i < pb->nfiles; i++)
        if (!strcmp(pb->files[i].name, name))
            size = pb->files[i].size;
    fprintf(f, "<tr><th scope=\"row\"><a href=\"../data/");
    pub_html(f, name);
    fprintf(f, "\" download>");
    pub_html(f, name);
    fprintf(f, "</a></th><td>");
    pub_html(f, desc);
    fprintf(f, "</td><td class=\"n\">%s</td></tr>\n", pub_num(n1, sizeof n1, (int64_t)size, l));
}

static void write_data(FILE *f, const struct pub *pb, enum lang l)
{
    pub_page_begin(f, pb, l, P_DATA, "data.html", pub_t(M_DATA_TITLE, l));
    fprintf(f, "<p>%s</p>\n<p class=\"note\">%s</p>\n", pub_t(M_DATA_INTRO, l),
            pub_t(M_DATA_NOT, l));
    fprintf(f,
            "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\" class=\"n\">%s</th></tr></thead>\n"
            "<tbody>\n",
            pub_t(M_DATA_TITLE, l), pub_t(M_FILE, l), pub_t(M_CONTENT, l), pub_t(M_SIZE, l));
    for (size_t d = 0; d < pb->el->nballots; d++) {
        char desc[512];
        snprintf(desc, sizeof desc, pub_t(D_PB, l), pub_ballot_title(pb, d, l));
        file_row(f, pb, pb->b[d].pb, desc, l);
    }
    file_row(f, pb, "ballots.csv", pub_t(D_BALLOTS_CSV, l), l);
    file_row(f, pb, "ballots.json", pub_t(D_BALLOTS_JSON, l), l);
    file_row(f, pb, "results.csv", pub_t(D_RESULTS, l), l);
    file_row(f, pb, "results.json", pub_t(D_RESULTS, l), l);
    file_row(f, pb, "tracking-codes.csv", pub_t(D_CODES, l), l);
    file_row(f, pb, "election.pkg", pub_t(D_PKG, l), l);
    file_row(f, pb, "verification.txt", pub_t(D_VERIF, l), l);
    fprintf(f,
            "<tr><th scope=\"row\"><a href=\"../data/B2SUMS\" download>B2SUMS</a></th><td>%s"
            "</td><td class=\"n\"></td></tr>\n",
            pub_t(D_SUMS, l));
    fprintf(f, "</tbody>\n</table>\n");
    pub_page_end(f, pb, l);
}

static const char *pb_rule(enum count_rule r)
{
    return r == COUNT_RULE_MES_ADD1_GREEDY ? "mes-add1-greedy"
           : r == COUNT_RULE_MES_ADD1      ? "mes-add1"
           : r == COUNT_RULE_MES           ? "mes"
           : r == COUNT_RULE_GREEDY_SCORE  ? "greedy-score"
                                           : "greedy";
}

static void write_audit(FILE *f, const struct pub *pb, enum lang l)
{
    const struct election *el = pb->el;
    char hx[65], fpr[FPR_TEXT_LEN + 1], n1[48];
    pub_page_begin(f, pb, l, P_AUDIT, "audit.html", pub_t(M_AUDIT_TITLE, l));
    fprintf(f, "<p>%s</p>\n<h2>%s</h2>\n<table>\n<caption>%s</caption>\n<tbody>\n",
            pub_t(M_AUDIT_INTRO, l), pub_t(M_FPR, l), pub_t(M_FPR, l));
    hex_encode(hx, pb->pkg_hash, 32);
    fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"mono\">%s", pub_t(M_PKG_HASH, l), hx);
    fprintf(f, "</td></tr>\n");
    fingerprint(fpr, el->authority_pk, SIGN_PK_LEN);
    fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"mono\">%s</td></tr>\n",
            pub_t(M_AUTH_KEY, l), fpr);
    fingerprint(fpr, el->tally_pk, BOX_PK_LEN);
    fprintf(f, "<tr><th scope=\"row\">%s</th><td class=\"mono\">%s</td></tr>\n",
            pub_t(M_TALLY_KEY, l), fpr);
    fprintf(f, "</tbody>\n</table>\n");

    fprintf(f,
            "<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th><th "
            "scope=\"col\">%s</th><th scope=\"col\" class=\"n\">%s</th><th "
            "scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            pub_t(M_KIOSK_KEYS, l), pub_t(M_KIOSK, l), pub_t(M_FPR1, l), pub_t(M_VOTES_CAST, l),
            pub_t(M_POLLS, l));
    for (size_t i = 0; i < el->nkiosks; i++) {
        const struct pub_kiosk *k = NULL;
        for (size_t j = 0; j < pb->nk; j++)
            if (!memcmp(pb->k[j].pk, el->kiosk_pks[i], 32))
                k = &pb->k[j];
        fingerprint(fpr, el->kiosk_pks[i], SIGN_PK_LEN);
        fprintf(f, "<tr><th scope=\"row\">");
        pub_html(f, el->kiosk_labels[i]);
        fprintf(f, "</th><td class=\"mono\">%s</td><td class=\"n\">%s</td><td>", fpr,
                k ? pub_num(n1, sizeof n1, k->ballots, l) : "—");
        pub_html(f, k ? pub_state_text(k->state, l) : "—");
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody>\n</table>\n");

    fprintf(f, "<h2>%s</h2>\n", pub_t(M_OVERRIDES, l));
    if (!pb->nov)
        fprintf(f, "<p>%s</p>\n", pub_t(M_NO_OVERRIDES, l));
    for (size_t i = 0; i < pb->nov; i++) {
        fprintf(f, "<pre>");
        pub_htmlf(f, "%s — %s — %s: \"%s\"\n", pb->ov[i].day, pb->ov[i].who, pb->ov[i].source,
                  pb->ov[i].reason);
        pub_html(f, pb->ov[i].problems);
        fprintf(f, "</pre>\n");
    }

    fprintf(f,
            "<h2>%s</h2>\n<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s"
            "</th><th scope=\"col\" class=\"n\">%s</th><th scope=\"col\">BLAKE2b-256</th>"
            "</tr></thead>\n<tbody>\n",
            pub_t(M_FILES, l), pub_t(M_FILES, l), pub_t(M_FILE, l), pub_t(M_SIZE, l));
    for (size_t i = 0; i < pb->nfiles; i++) {
        hex_encode(hx, pb->files[i].hash, 32);
        fprintf(f, "<tr><th scope=\"row\" class=\"mono\">");
        pub_html(f, pb->files[i].name);
        fprintf(f, "</th><td class=\"n\">%s</td><td class=\"mono\">%s</td></tr>\n",
                pub_num(n1, sizeof n1, (int64_t)pb->files[i].size, l), hx);
    }
    fprintf(f, "</tbody>\n</table>\n");

    char ties[128];
    pub_ties_text(ties, sizeof ties, el);
    fprintf(f, "<h2>%s</h2>\n<p>%s</p>\n<pre><code>cd data\nb2sum -l 256 -c B2SUMS</code></pre>\n",
            pub_t(M_COMMANDS, l), pub_t(M_CMD_SUMS, l));
    fprintf(f, "<p>%s</p>\n<pre><code>", pub_t(M_CMD_RECOUNT, l));
    for (size_t d = 0; d < el->nballots; d++) {
        fprintf(f, "tally pb-count ");
        pub_html(f, pb->b[d].pb);
        fprintf(f, " --rule %s --tie %s\n", pb_rule(pb->b[d].rule), ties);
    }
    fprintf(f,
            "</code></pre>\n<p>%s</p>\n<pre><code>tally import --db check.sqlite --package "
            "election.pkg --authority AUTH.pub%s BUNDLE...\n"
            "tally tracking --db check.sqlite%s --out codes.csv\n"
            "cmp codes.csv tracking-codes.csv</code></pre>\n",
            pub_t(M_CMD_IMPORT, l), el->demo ? " --demo" : "", el->demo ? " --demo" : "");
    fprintf(f,
            "<p>%s</p>\n<pre><code>SOURCE_DATE_EPOCH=$(date -d %s +%%s) tally publish --db "
            "check.sqlite --tally-key TALLY.key%s --out site-check\n"
            "diff -r site-check SITE</code></pre>\n",
            pub_t(M_CMD_REPUBLISH, l), pb->day, el->demo ? " --demo" : "");
    pub_page_end(f, pb, l);
}

/* index.html at the top: the election's name in every language and a link to each. */
static void write_root(FILE *f, const struct pub *pb)
{
    const struct election *el = pb->el;
    enum lang first = el->nlangs ? el->langs[0] : LANG_FR;
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n<title>",
            lang_code(first), CSP);
    pub_html(f, text_get(&el->name, first));
    fprintf(f, "</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n"
               "<main id=\"main\">\n<h1>");
    pub_html(f, text_get(&el->name, first));
    fprintf(f, "</h1>\n<ul class=\"cards\">\n");
    for (int l = 0; l < LANG_COUNT; l++) {
        fprintf(f,
                "<li lang=\"%s\"><h2><a href=\"%s/index.html\" hreflang=\"%s\">%s</a></h2>"
                "<p>",
                lang_code((enum lang)l), lang_code((enum lang)l), lang_code((enum lang)l),
                PUB_LANG_NAME[l]);
        pub_html(f, text_get(&el->name, (enum lang)l));
        fprintf(f, " — %s</p><p><a href=\"%s/track.html\">%s</a></p></li>\n",
                pub_t(M_RESULTS, (enum lang)l), lang_code((enum lang)l),
                pub_t(M_TRACK, (enum lang)l));
    }
    fprintf(f, "</ul>\n</main>\n</body>\n</html>\n");
}

int pub_write_pages(const struct pub *pb, struct err *e)
{
    int rc = 0;
    FILE *f = pub_open(pb, "index.html", e);
    if (!f)
        return e->code;
    write_root(f, pb);
    rc = pub_close(f, "index.html", e);
    for (int li = 0; li < LANG_COUNT && !rc; li++) {
        enum lang l = (enum lang)li;
        static const enum page PAGES[] = {P_INDEX, P_TURNOUT, P_TRACK, P_DATA, P_AUDIT};
        static const char *const NAMES[] = {"index.html", "turnout.html", "track.html", "data.html",
                                            "audit.html"};
        for (size_t p = 0; p < ARRAY_LEN(PAGES) && !rc; p++) {
            char rel[64];
            snprintf(rel, sizeof rel, "%s/%s", lang_code(l), NAMES[p]);
            f = pub_open(pb, rel, e);
            if (!f)
                return e->code;
            switch (PAGES[p]) {
            case P_INDEX:
                write_index(f, pb, l);
                break;
            case P_TURNOUT:
                write_turnout(f, pb, l);
                break;
            case P_TRACK:
                write_track(f, pb, l);
                break;
            case P_DATA:
                write_data(f, pb, l);
                break;
            default:
                write_audit(f, pb, l);
                break;
            }
            rc = pub_close(f, rel, e);
        }
        for (size_t d = 0; d < pb->el->nballots && !rc; d++) {
            char rel[256];
            snprintf(rel, sizeof rel, "%s/ballot-%s.html", lang_code(l), pb->el->ballots[d].id);
            f = pub_open(pb, rel, e);
            if (!f)
                return e->code;
            pub_write_ballot(f, pb, d, l);
            rc = pub_close(f, rel, e);
        }
    }
    return rc;
}
