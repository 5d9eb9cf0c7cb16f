/*
 * publish_ballot — a ballot's page of the published site: every project with its votes, cost
 * and whether it was funded, as SVG bars and a table; the budget used; for the Method of Equal
 * Shares, who shared each funded project's cost and why a more popular project was not funded.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "publish_int.h"
#include "util.h"

/* ---- charts ------------------------------------------------------------------------------ */

/* Horizontal bars with the value written after each bar (and "funded" when marked). */
void pub_svg_bars(FILE *f, enum lang l, const char *id, const char *title, const char *desc,
                  const struct bar *bars, size_t n)
{
    const int W = 760, LABEL = 300, BAR = 330, ROW = 30, TOP = 8;
    int64_t max = 1;
    for (size_t i = 0; i < n; i++)
        if (bars[i].value > max)
            max = bars[i].value;
    int h = TOP * 2 + ROW * (int)n;
    fprintf(f,
            "<svg role=\"img\" aria-labelledby=\"%s-t %s-d\" viewBox=\"0 0 %d %d\" width=\"%d\" "
            "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"%s-t\">",
            id, id, W, h, W, h, id);
    pub_html(f, title);
    fprintf(f, "</title>\n<desc id=\"%s-d\">", id);
    pub_html(f, desc);
    fprintf(f, "</desc>\n");
    for (size_t i = 0; i < n; i++) {
        int y = TOP + ROW * (int)i;
        int w = (int)((double)BAR * (double)bars[i].value / (double)max + 0.5);
        char lab[200], nb[48];
        pub_cut(lab, sizeof lab, bars[i].label, 38);
        fprintf(f,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"14\" "
                "fill=\"#1a1a1a\">",
                LABEL - 8, y + 19);
        pub_html(f, lab);
        fprintf(f, "</text>\n");
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", LABEL,
                y + 4, w < 1 ? 1 : w, ROW - 8, bars[i].mark ? "#0b4f9c" : "#5f6368");
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\" fill=\"#1a1a1a\"%s>%s%s%s</text>\n",
                LABEL + (w < 1 ? 1 : w) + 6, y + 19, bars[i].mark ? " font-weight=\"700\"" : "",
                pub_num(nb, sizeof nb, bars[i].value, l), bars[i].mark ? " \xe2\x9c\x93 " : "",
                bars[i].mark ? pub_t(M_FUNDED_WORD, l) : "");
    }
    fprintf(f, "</svg>\n");
}

/* The budget as one bar; the same words in the SVG's title and in a paragraph after it. */
void pub_svg_budget(FILE *f, enum lang l, const char *id, int64_t spent, int64_t budget)
{
    char a[64], b[64], pc[16], desc[256];
    snprintf(pc, sizeof pc, "%lld", budget > 0 ? (long long)(spent * 100 / budget) : 0LL);
    snprintf(desc, sizeof desc, pub_t(M_BUDGET_DESC, l), pub_money(a, sizeof a, spent, l),
             pub_money(b, sizeof b, budget, l), pc);
    const int W = 760, H = 32, BAR = 756;
    int w = budget > 0 ? (int)((double)BAR * (double)spent / (double)budget + 0.5) : 0;
    fprintf(f,
            "<svg role=\"img\" aria-labelledby=\"%s-t\" viewBox=\"0 0 %d %d\" width=\"%d\" "
            "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"%s-t\">",
            id, W, H, W, H, id);
    pub_html(f, desc);
    fprintf(f,
            "</title>\n<rect x=\"2\" y=\"4\" width=\"%d\" height=\"24\" fill=\"#ffffff\" "
            "stroke=\"#5f6368\" stroke-width=\"2\"/>\n",
            BAR);
    fprintf(f,
            "<rect x=\"2\" y=\"4\" width=\"%d\" height=\"24\" fill=\"#0b4f9c\"/>\n</svg>\n"
            "<p aria-hidden=\"true\">",
            w);
    pub_html(f, desc);
    fprintf(f, "</p>\n");
}

/* ---- why a project was (not) funded ------------------------------------------------------ */

/* Each voter's share of the budget in the equal-shares phase (after the Add1 raises). */
static int64_t share(const struct pub_ballot *b)
{
    uint64_t n = profile_voters(&b->p);
    if (b->o.per_voter_budget > 0)
        return b->o.per_voter_budget;
    return n ? b->p.budget / (int64_t)n : 0;
}

static void why(char *out, size_t size, const struct pub_ballot *b, size_t i, enum lang l)
{
    const struct project_result *r = &b->o.res[i];
    char m1[64], m2[64], m3[64], n1[48];
    if (r->selected) {
        int64_t left = b->p.budget;
        for (size_t k = 0; k < b->o.nselected && b->o.order[k] != i; k++)
            left -= b->p.cost[b->o.order[k]];
        pub_money(m1, sizeof m1, left, l);
        if (count_rule_is_mes(b->rule) && r->phase == 1) {
            int64_t maxpay = r->eff > 0 ? (int64_t)((double)b->p.cost[i] / r->eff + 0.5) : 0;
            snprintf(out, size, pub_t(W_MES, l), r->round, pub_num(n1, sizeof n1, r->votes, l),
                     pub_money(m2, sizeof m2, maxpay, l),
                     pub_money(m3, sizeof m3, r->votes ? b->p.cost[i] / r->votes : 0, l));
        } else if (count_rule_is_mes(b->rule)) {
            snprintf(out, size, pub_t(W_COMPL, l), r->round, pub_num(n1, sizeof n1, r->votes, l),
                     m1);
        } else if (b->rule == COUNT_RULE_GREEDY_SCORE) {
            snprintf(out, size, pub_t(W_GREEDY_SCORE, l), r->round,
                     pub_num(n1, sizeof n1, r->score, l), m1);
        } else {
            snprintf(out, size, pub_t(W_GREEDY, l), r->round, pub_num(n1, sizeof n1, r->votes, l),
                     m1);
        }
        return;
    }
    if (r->votes == 0) {
        snprintf(out, size, "%s", pub_t(W_NOVOTES, l));
        return;
    }
    int64_t left = b->p.budget - b->o.spent;
    size_t o = 0;
    if (b->p.cost[i] > left)
        o = (size_t)snprintf(out, size, pub_t(W_TOOBIG, l),
                             pub_money(m1, sizeof m1, b->p.cost[i], l),
                             pub_money(m2, sizeof m2, left, l));
    else
        o = (size_t)snprintf(out, size, "%s", pub_t(W_OTHER, l));
    if (o >= size || !count_rule_is_mes(b->rule))
        return;
    int64_t each = b->p.cost[i] / r->votes, sh = share(b);
    if (each > sh)
        snprintf(out + o, size - o, pub_t(W_MES_SHARE, l), pub_num(n1, sizeof n1, r->votes, l),
                 pub_money(m1, sizeof m1, each, l), pub_money(m2, sizeof m2, sh, l));
    else
        snprintf(out + o, size - o, "%s", pub_t(W_MES_SPENT, l));
}

void pub_write_ballot(FILE *f, const struct pub *pb, size_t d, enum lang l)
{
    const struct election *el = pb->el;
    const struct pub_ballot *b = &pb->b[d];
    char file[128], n1[48], n2[48], m1[64], m2[64], m3[64];
    snprintf(file, sizeof file, "ballot-%s.html", b->bd->id);
    pub_page_begin(f, pb, l, P_BALLOT, file, pub_ballot_title(pb, d, l));
    bool score = b->p.kind != VOTE_APPROVAL;
    fprintf(f, "<p>");
    pub_htmlf(f, pub_t(M_BALLOTS_N, l), pub_num(n1, sizeof n1, (int64_t)profile_voters(&b->p), l));
    fprintf(f, " · %s%s", pub_t(M_BUDGET, l), pub_t(M_COLON, l));
    pub_html(f, pub_money(m1, sizeof m1, b->p.budget, l));
    fprintf(f, " · %s%s", pub_t(M_SPENT, l), pub_t(M_COLON, l));
    pub_html(f, pub_money(m2, sizeof m2, b->o.spent, l));
    fprintf(f, "</p>\n<p><strong>%s.</strong> %s</p>\n<p>", pub_t(M_RULE, l),
            count_rule_is_mes(b->rule)           ? pub_t(M_RULE_MES, l)
            : b->rule == COUNT_RULE_GREEDY_SCORE ? pub_t(M_RULE_SCORE, l)
                                                 : pub_t(M_RULE_GREEDY, l));
    char ties[256];
    pub_ties_words(ties, sizeof ties, el, l);
    pub_htmlf(f, pub_t(M_TIES, l), ties);
    fprintf(f, "</p>\n");

    /* funded first in the order chosen, then the others by votes (the order of the table) */
    size_t n = b->p.nprojects;
    size_t *ord = malloc((n + 1) * sizeof *ord);
    struct bar *bars = calloc(n + 1, sizeof *bars);
    if (!ord || !bars) {
        free(ord);
        free(bars);
        fprintf(f, "<p>?</p>\n");
        pub_page_end(f, pb, l);
        return;
    }
    size_t k = 0;
    for (size_t s = 0; s < b->o.nselected; s++)
        ord[k++] = b->o.order[s];
    size_t first_out = k;
    for (size_t i = 0; i < n; i++)
        if (!b->o.res[i].selected)
            ord[k++] = i;
    for (size_t x = first_out + 1; x < k; x++) /* insertion sort by votes, stable */
        for (size_t y = x; y > first_out && b->o.res[ord[y]].votes > b->o.res[ord[y - 1]].votes;
             y--) {
            size_t t = ord[y];
            ord[y] = ord[y - 1];
            ord[y - 1] = t;
        }
    for (size_t x = 0; x < k; x++) {
        size_t i = ord[x];
        snprintf(bars[x].label, sizeof bars[x].label, "%s", pub_project_title(pb, b, i, l));
        bars[x].value = b->o.res[i].votes;
        bars[x].mark = b->o.res[i].selected;
    }
    fprintf(f, "<h2>%s</h2>\n", pub_t(M_CHART_VOTES, l));
    char id[80];
    snprintf(id, sizeof id, "votes-%s", b->bd->id);
    pub_svg_bars(f, l, id, pub_t(M_CHART_VOTES, l), pub_t(M_CHART_DESC, l), bars, k);
    fprintf(f, "<h2>%s</h2>\n", pub_t(M_BUDGET_USED, l));
    snprintf(id, sizeof id, "budget-%s", b->bd->id);
    pub_svg_budget(f, l, id, b->o.spent, b->p.budget);

    fprintf(f, "<h2 id=\"projects\">%s</h2>\n<table>\n<caption>", pub_t(M_ALL_PROJECTS, l));
    pub_html(f, pub_ballot_title(pb, d, l));
    fprintf(f,
            "</caption>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" "
            "class=\"n\">%s</th><th scope=\"col\" class=\"n\">%s</th>",
            pub_t(M_PROJECT, l), pub_t(M_COST, l), pub_t(M_VOTES, l));
    if (score)
        fprintf(f, "<th scope=\"col\" class=\"n\">%s</th>", pub_t(M_SCORE, l));
    fprintf(f, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            pub_t(M_FUNDED, l), pub_t(M_WHY, l));
    for (size_t x = 0; x < k; x++) {
        size_t i = ord[x];
        const struct project_result *r = &b->o.res[i];
        char reason[1024];
        why(reason, sizeof reason, b, i, l);
        fprintf(f, "<tr%s><th scope=\"row\">", r->selected ? " class=\"funded\"" : "");
        pub_html(f, pub_project_title(pb, b, i, l));
        fprintf(f, " <span class=\"mono\">(");
        pub_html(f, b->p.ids[i]);
        fprintf(f, ")</span></th><td class=\"n\">");
        pub_html(f, pub_money(m1, sizeof m1, b->p.cost[i], l));
        fprintf(f, "</td><td class=\"n\">%s</td>", pub_num(n1, sizeof n1, r->votes, l));
        if (score)
            fprintf(f, "<td class=\"n\">%s</td>", pub_num(n2, sizeof n2, r->score, l));
        fprintf(f, "<td>%s</td><td>", r->selected ? pub_t(M_YES, l) : pub_t(M_NO, l));
        pub_html(f, reason);
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</tbody>\n</table>\n");

    if (count_rule_is_mes(b->rule)) {
        fprintf(f, "<h2>%s</h2>\n<p>", pub_t(M_WHY_MES, l));
        pub_htmlf(f, pub_t(M_WHY_MES_INTRO, l), pub_money(m1, sizeof m1, share(b), l));
        if (b->o.add1_steps > 0)
            pub_html(f, pub_t(M_SHARE_ADD1, l));
        fprintf(f,
                "</p>\n<table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                "<th scope=\"col\" class=\"n\">%s</th><th scope=\"col\" class=\"n\">%s</th>"
                "<th scope=\"col\" class=\"n\">%s</th><th scope=\"col\" "
                "class=\"n\">%s</th></tr></thead>\n<tbody>\n",
                pub_t(M_WHY_MES, l), pub_t(M_PROJECT, l), pub_t(M_COST, l), pub_t(M_SUPPORTERS, l),
                pub_t(M_PAID_MAX, l), pub_t(M_PAID_AVG, l));
        for (size_t s = 0; s < b->o.nselected; s++) {
            size_t i = b->o.order[s];
            const struct project_result *r = &b->o.res[i];
            if (r->phase != 1)
                continue;
            int64_t maxpay = r->eff > 0 ? (int64_t)((double)b->p.cost[i] / r->eff + 0.5) : 0;
            fprintf(f, "<tr><th scope=\"row\">");
            pub_html(f, pub_project_title(pb, b, i, l));
            fprintf(f, "</th><td class=\"n\">");
            pub_html(f, pub_money(m1, sizeof m1, b->p.cost[i], l));
            fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">",
                    pub_num(n1, sizeof n1, r->votes, l));
            pub_html(f, pub_money(m2, sizeof m2, maxpay, l));
            fprintf(f, "</td><td class=\"n\">");
            pub_html(f, pub_money(m3, sizeof m3, r->votes ? b->p.cost[i] / r->votes : 0, l));
            fprintf(f, "</td></tr>\n");
        }
        fprintf(f, "</tbody>\n</table>\n");
    }

    /* unfunded projects with more votes than the least-voted funded one */
    fprintf(f, "<h2>%s</h2>\n", pub_t(M_POPULAR, l));
    size_t least = SIZE_MAX;
    for (size_t s = 0; s < b->o.nselected; s++)
        if (least == SIZE_MAX || b->o.res[b->o.order[s]].votes < b->o.res[least].votes)
            least = b->o.order[s];
    bool any = false;
    for (size_t x = first_out; x < k && least != SIZE_MAX; x++) {
        size_t i = ord[x];
        if (b->o.res[i].votes <= b->o.res[least].votes)
            continue;
        char reason[1024];
        why(reason, sizeof reason, b, i, l);
        fprintf(f, "%s<li>", any ? "" : "<ul>\n");
        any = true;
        pub_htmlf(f, pub_t(M_POPULAR_ONE, l), pub_project_title(pb, b, i, l),
                  pub_num(n1, sizeof n1, b->o.res[i].votes, l), pub_project_title(pb, b, least, l),
                  pub_num(n2, sizeof n2, b->o.res[least].votes, l), reason);
        fprintf(f, "</li>\n");
    }
    fprintf(f, any ? "</ul>\n" : "<p>%s</p>\n", pub_t(M_POPULAR_NONE, l));
    free(ord);
    free(bars);
    pub_page_end(f, pb, l);
}
