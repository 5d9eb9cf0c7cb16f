/*
 * publish — `tally publish` (see publish.h and docs/publish.md): the steps, the open data
 * files and the tracking-code shards. The pages are written by publish_html.c.
 *
 * The counts come from report_count (the same decryption and count as `tally count --db`),
 * through the pabulib files it writes: they are read back, identical ballots folded into one
 * row with their number (the files are sorted by content, so identical ballots are adjacent),
 * and counted again; an outcome that differs from the one the file records stops the
 * publication. Everything published about ballots is derived from those sorted rows, so what
 * the pages say is what anyone can recount from the open data. The tracking codes come from
 * the same pass (report_opts.codes): the list published is that of the ciphertexts opened and
 * counted, sorted in memory, with no second query over the database.
 */
#define _GNU_SOURCE /* syncfs */
#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "keysource.h"
#include "package.h"
#include "ballot.h"
#include "publish_int.h"
#include "report.h"
#include "tracking.h"
#include "util.h"

FILE *pub_open(const struct pub *pb, const char *rel, struct err *e)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", pb->root, rel);
    FILE *f = fopen(path, "w");
    if (!f)
        err_errno(e, "cannot write %s", path);
    return f;
}

int pub_close(FILE *f, const char *rel, struct err *e)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return err_errno(e, "cannot write %s of the site (is the disk full?)", rel);
    return 0;
}

/* ---- open data ------------------------------------------------------------------------- */

static void ballot_choices(FILE *f, const struct profile *p, size_t v, char sep, bool values)
{
    for (size_t k = p->offs[v]; k < p->offs[v + 1]; k++) {
        if (k > p->offs[v])
            fputc(sep, f);
        if (values)
            fprintf(f, "%u", p->values[k]);
        else
            fputs(p->ids[p->items[k]], f);
    }
}

static const char *kind_name(enum vote_kind k)
{
    return k == VOTE_CUMULATIVE ? "cumulative" : k == VOTE_ORDINAL ? "ordinal" : "approval";
}

/* ballots.csv and ballots.json: each distinct ballot once with how many voters cast it, in
 * the order of their content. */
static int write_ballots(struct pub *pb, struct err *e)
{
    const struct election *el = pb->el;
    FILE *c = pub_open(pb, "data/ballots.csv", e);
    if (!c)
        return e->code;
    FILE *j = pub_open(pb, "data/ballots.json", e);
    if (!j) {
        fclose(c);
        return e->code;
    }
    fprintf(c, "ballot,count,projects,values\n");
    fprintf(j, "{\"election\":");
    report_json_str(j, el->id);
    fprintf(j, ",\"note\":\"each distinct ballot once, with the number of voters who cast it; "
               "sorted by content\",\"ballots\":[");
    for (size_t d = 0; d < el->nballots; d++) {
        const struct profile *p = &pb->b[d].p;
        fprintf(j, "%s{\"id\":", d ? "," : "");
        report_json_str(j, el->ballots[d].id);
        fprintf(j, ",\"kind\":\"%s\",\"ballots\":%llu,\"distinct\":[", kind_name(p->kind),
                (unsigned long long)profile_voters(p));
        for (size_t v = 0; v < p->nvoters; v++) {
            unsigned w = p->weight ? p->weight[v] : 1;
            fprintf(c, "%s,%u,", el->ballots[d].id, w);
            ballot_choices(c, p, v, ' ', false);
            fputc(',', c);
            ballot_choices(c, p, v, ' ', true);
            fputc('\n', c);
            fprintf(j, "%s{\"count\":%u,\"projects\":[", v ? "," : "", w);
            for (size_t k = p->offs[v]; k < p->offs[v + 1]; k++) {
                fputs(k > p->offs[v] ? "," : "", j);
                report_json_str(j, p->ids[p->items[k]]);
            }
            fprintf(j, "],\"values\":[");
            ballot_choices(j, p, v, ',', true);
            fprintf(j, "]}");
        }
        fprintf(j, "]}");
    }
    fprintf(j, "]}\n");
    int rc = pub_close(c, "data/ballots.csv", e);
    int rj = pub_close(j, "data/ballots.json", rc ? &(struct err){0} : e);
    return rc ? rc : rj;
}

static void json_text(FILE *f, const struct text *t)
{
    fputc('{', f);
    for (int l = 0; l < LANG_COUNT; l++) {
        fprintf(f, "%s\"%s\":", l ? "," : "", lang_code((enum lang)l));
        report_json_str(f, text_get(t, (enum lang)l));
    }
    fputc('}', f);
}

/* results.json and results.csv: the outcome of every ballot, turnout per vote point. */
static int write_results(struct pub *pb, struct err *e)
{
    const struct election *el = pb->el;
    FILE *j = pub_open(pb, "data/results.json", e);
    if (!j)
        return e->code;
    FILE *c = pub_open(pb, "data/results.csv", e);
    if (!c) {
        fclose(j);
        return e->code;
    }
    fprintf(c, "ballot,project,cost_cents,votes,score,selected,round,phase,title_fr,title_nl,"
               "title_en\n");
    fprintf(j, "{\"election\":{\"id\":");
    report_json_str(j, el->id);
    fprintf(j, ",\"name\":");
    json_text(j, &el->name);
    fprintf(j, "},\"published\":\"%s\",\"tie_break\":[", pb->day);
    bool has_id = false;
    int n = 0;
    for (; n < TIE_MAX && el->tie_break[n] != TIE_END; n++) {
        fprintf(j, "%s\"%s\"", n ? "," : "", tie_break_name(el->tie_break[n]));
        has_id |= el->tie_break[n] == TIE_ID;
    }
    fprintf(j, "%s],\"ballots\":[", has_id ? "" : n ? ",\"id\"" : "\"id\"");
    for (size_t d = 0; d < el->nballots; d++) {
        const struct pub_ballot *b = &pb->b[d];
        const struct ballot_def *bd = b->bd;
        fprintf(j, "%s{\"id\":", d ? "," : "");
        report_json_str(j, bd->id);
        fprintf(j, ",\"name\":");
        json_text(j, &bd->name);
        fprintf(j, ",\"district\":");
        if (bd->district >= 0 && (size_t)bd->district < el->ndistricts)
            report_json_str(j, el->districts[bd->district].id);
        else
            fputs("null", j);
        fprintf(j, ",\"turnout\":%llu,\"budget_cents\":%lld,\"spent_cents\":%lld,\"rule\":",
                (unsigned long long)profile_voters(&b->p), (long long)bd->budget,
                (long long)b->o.spent);
        report_json_str(j, count_rule_name(b->rule));
        fprintf(j, ",\"open_data\":");
        report_json_str(j, b->pb);
        fprintf(j, ",\"projects\":[");
        for (size_t i = 0; i < b->p.nprojects; i++) {
            const struct project_result *r = &b->o.res[i];
            const struct project *pr = &el->projects[bd->projects[i]];
            fprintf(j, "%s{\"id\":", i ? "," : "");
            report_json_str(j, pr->id);
            fprintf(j, ",\"title\":");
            json_text(j, &pr->title);
            fprintf(j,
                    ",\"cost_cents\":%lld,\"votes\":%lld,\"score\":%lld,\"selected\":%s,"
                    "\"round\":%d,\"phase\":\"%s\"}",
                    (long long)pr->cost, (long long)r->votes, (long long)r->score,
                    r->selected ? "true" : "false", r->round,
                    !r->selected                 ? "none"
                    : r->phase == 2              ? "completion"
                    : count_rule_is_mes(b->rule) ? "equal-shares"
                                                 : "greedy");
            fprintf(c, "%s,%s,%lld,%lld,%lld,%d,%d,%d", bd->id, pr->id, (long long)pr->cost,
                    (long long)r->votes, (long long)r->score, r->selected, r->round, r->phase);
            for (int l = 0; l < LANG_COUNT; l++) {
                fputs(",\"", c);
                for (const char *s = text_get(&pr->title, (enum lang)l); *s; s++) {
                    if (*s == '"')
                        fputc('"', c);
                    fputc(*s, c);
                }
                fputc('"', c);
            }
            fputc('\n', c);
        }
        fprintf(j, "]}");
    }
    fprintf(j, "],\"turnout_per_kiosk\":[");
    for (size_t i = 0; i < pb->nk; i++) {
        const struct pub_kiosk *k = &pb->k[i];
        char fpr[FPR_TEXT_LEN + 1];
        fingerprint(fpr, k->pk, sizeof k->pk);
        fprintf(j, "%s{\"kiosk\":", i ? "," : "");
        report_json_str(j, k->label);
        fprintf(j, ",\"key\":\"%s\",\"vote_point\":", fpr);
        if (k->vote_point >= 0)
            report_json_str(j, el->vote_points[k->vote_point].id);
        else
            fputs("null", j);
        fprintf(j, ",\"polls\":");
        report_json_str(j, k->state);
        fprintf(j, ",\"ballots\":%lld}", (long long)k->ballots);
    }
    fprintf(j, "]}\n");
    int rc = pub_close(j, "data/results.json", e);
    int rcc = pub_close(c, "data/results.csv", rc ? &(struct err){0} : e);
    return rc ? rc : rcc;
}

/* verification.txt: what the tally checked, as `tally import` prints it, and every override
 * (with its day). */
static int write_verification(struct pub *pb, struct tallydb *t, struct err *e)
{
    FILE *f = pub_open(pb, "data/verification.txt", e);
    if (!f)
        return e->code;
    char hx[2 * HASH_LEN + 1];
    hex_encode(hx, pb->pkg_hash, HASH_LEN);
    fprintf(f,
            "isoloir verification report, election %s\npackage hash %s\n%llu sources "
            "imported, %llu ballots (distinct ciphertexts), %zu override%s\n",
            pb->el->id, hx, (unsigned long long)pb->nsources, (unsigned long long)pb->ncodes,
            pb->nov, pb->nov == 1 ? "" : "s");
    int rc = tallydb_summary(t, f, e);
    for (size_t i = 0; i < pb->nov; i++)
        fprintf(f, "OVERRIDE on %s by %s for %s: \"%s\"; problems:\n%s", pb->ov[i].day,
                pb->ov[i].who, pb->ov[i].source, pb->ov[i].reason, pb->ov[i].problems);
    for (size_t i = 0; i < pb->el->nkiosks; i++) {
        bool held = false;
        for (size_t k = 0; k < pb->nk; k++)
            held |= !memcmp(pb->k[k].pk, pb->el->kiosk_pks[i], 32);
        if (!held)
            fprintf(f,
                    "kiosk %s is authorised by the package, but none of its exports was "
                    "imported\n",
                    pb->el->kiosk_labels[i]);
    }
    int rc2 = pub_close(f, "data/verification.txt", rc ? &(struct err){0} : e);
    return rc ? rc : rc2;
}

/* codes/XY.js for every prefix XY: isoloirShard("XY","<9 characters>..."), the rest of each
 * code in order, from the same sorted codes as data/tracking-codes.csv. Every prefix has its file
 * (maybe empty) so that a lookup never asks for a file that does not exist. */
static const char B32A[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int shard_open(struct pub *pb, int idx, FILE **f, struct err *e)
{
    char rel[32];
    snprintf(rel, sizeof rel, "codes/%c%c.js", B32A[idx / 32], B32A[idx % 32]);
    *f = pub_open(pb, rel, e);
    if (!*f)
        return e->code;
    fprintf(*f, "isoloirShard(\"%c%c\",\"", B32A[idx / 32], B32A[idx % 32]);
    return 0;
}

static int shard_close(FILE *f, int idx, struct err *e)
{
    char rel[32];
    snprintf(rel, sizeof rel, "codes/%c%c.js", B32A[idx / 32], B32A[idx % 32]);
    fputs("\");\n", f);
    return pub_close(f, rel, e);
}

static int b32_index(char c)
{
    const char *p = strchr(B32A, c);
    return c && p ? (int)(p - B32A) : -1;
}

static int write_codes(struct pub *pb, struct tallydb *t, const struct report_code *codes,
                       uint64_t n, struct err *e)
{
    FILE *f = pub_open(pb, "data/tracking-codes.csv", e);
    if (!f)
        return e->code;
    int rc = report_tracking_codes(t, pb->el, codes, n, f, e);
    int rc2 = pub_close(f, "data/tracking-codes.csv", rc ? &(struct err){0} : e);
    if (rc || rc2)
        return rc ? rc : rc2;
    int cur = -1;
    FILE *sh = NULL;
    for (uint64_t i = 0; i < n && !rc; i++) {
        const char *code = codes[i].code;
        int idx = b32_index(code[0]) * 32 + b32_index(code[1]);
        if (idx < cur || b32_index(code[0]) < 0 || b32_index(code[1]) < 0) {
            rc = err_set(e, ERR_INTERNAL, "the tracking codes are not sorted at %.*s",
                         TRACKING_CODE_CHARS, code);
            break;
        }
        while (cur < idx && !rc) {
            if (sh)
                rc = shard_close(sh, cur, e);
            sh = NULL;
            cur++;
            if (!rc)
                rc = shard_open(pb, cur, &sh, e);
        }
        if (!rc)
            fwrite(code + PUB_PREFIX, 1, TRACKING_CODE_CHARS - PUB_PREFIX, sh);
        pb->ncodes++;
    }
    while (!rc && cur < 32 * 32 - 1) {
        if (sh)
            rc = shard_close(sh, cur, e);
        sh = NULL;
        cur++;
        if (!rc)
            rc = shard_open(pb, cur, &sh, e);
    }
    if (!rc && sh)
        rc = shard_close(sh, cur, e);
    else if (sh)
        fclose(sh);
    return rc;
}

/* BLAKE2b-256 of root/rel (what `b2sum -l 256` prints). */
static int hash_file(struct pub *pb, const char *rel, struct err *e)
{
    if (pb->nfiles == PUB_MAX_FILES)
        return err_set(e, ERR_INTERNAL, "too many open data files");
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", pb->root, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_errno(e, "cannot read back %s", path);
    struct pub_file *pf = &pb->files[pb->nfiles];
    snprintf(pf->name, sizeof pf->name, "%s", rel + 5); /* without "data/" */
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    uint8_t buf[1 << 16];
    size_t n;
    pf->size = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        crypto_generichash_update(&st, buf, n);
        pf->size += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return err_errno(e, "cannot read back %s", path);
    crypto_generichash_final(&st, pf->hash, 32);
    pb->nfiles++;
    return 0;
}

static int write_sums(struct pub *pb, struct err *e)
{
    FILE *f = pub_open(pb, "data/B2SUMS", e);
    if (!f)
        return e->code;
    for (size_t i = 0; i < pb->nfiles; i++) {
        char hx[65];
        hex_encode(hx, pb->files[i].hash, 32);
        fprintf(f, "%s  %s\n", hx, pb->files[i].name);
    }
    return pub_close(f, "data/B2SUMS", e);
}

static int write_bytes(struct pub *pb, const char *rel, const void *data, size_t len, struct err *e)
{
    FILE *f = pub_open(pb, rel, e);
    if (!f)
        return e->code;
    fwrite(data, 1, len, f);
    return pub_close(f, rel, e);
}

/* ---- the steps --------------------------------------------------------------------------- */

/* Ids become file names and links: letters, digits, '-' and '_' only (the package builder
 * allows no more; a package made otherwise is refused here rather than written oddly). */
static bool safe_id(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
              (s[n] >= '0' && s[n] <= '9') || s[n] == '-' || s[n] == '_'))
            return false;
    return n > 0 && n <= 64;
}

static void today(char out[16])
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    int64_t v = 0;
    time_t now = sde && !util_parse_i64(sde, &v) && v >= 0 ? (time_t)v : time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm) || !strftime(out, 16, "%Y-%m-%d", &tm))
        snprintf(out, 16, "?");
}

static int make_dirs(const char *root, struct err *e)
{
    static const char *const SUB[] = {"", "/fr", "/nl", "/en", "/data", "/codes"};
    for (size_t i = 0; i < ARRAY_LEN(SUB); i++) {
        char p[4400];
        snprintf(p, sizeof p, "%s%s", root, SUB[i]);
        if (mkdir(p, 0755) != 0)
            return err_errno(e, "cannot create the folder %s", p);
    }
    return 0;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes the unfinished folder (only ever DIR.partial, which this run created). */
static bool remove_tree(const char *root)
{
    return nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0;
}

/* One line per step on the log, with the seconds since the start (on the log only: nothing
 * published carries a time). */
static void step(FILE *log, const struct timespec *t0, const char *what)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (log)
        fprintf(log, "publish: %.1f s: %s\n",
                (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9,
                what);
}

int publish_site(struct tallydb *t, const struct election *el, const uint8_t package_hash[HASH_LEN],
                 const uint8_t *pkg, size_t pkg_len, const struct secret_key *tally,
                 const char *dir, FILE *log, struct err *e)
{
    char clean[4096];
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/') /* "site/" is the folder "site" */
        dl--;
    if (dl == 0 || dl >= sizeof clean)
        return err_set(e, ERR_USAGE, "give the name of a new folder for the site");
    memcpy(clean, dir, dl);
    clean[dl] = 0;
    dir = clean;
    struct stat sb;
    if (stat(dir, &sb) == 0)
        return err_set(e, ERR_INVALID,
                       "%s already exists: publish into a new folder (move the old site away "
                       "first)",
                       dir);
    if (!safe_id(el->id))
        return err_set(e, ERR_INVALID, "the election id \"%s\" cannot name files of the site",
                       el->id);
    for (size_t d = 0; d < el->nballots; d++)
        if (!safe_id(el->ballots[d].id))
            return err_set(e, ERR_INVALID, "the ballot id \"%s\" cannot name a page of the site",
                           el->ballots[d].id);
    struct pub *pb = calloc(1, sizeof *pb);
    if (!pb)
        return err_set(e, ERR_NOMEM, "out of memory publishing");
    pb->el = el;
    if (snprintf(pb->root, sizeof pb->root, "%s.partial", dir) >= (int)sizeof pb->root) {
        free(pb);
        return err_set(e, ERR_USAGE, "the folder name %s is too long", dir);
    }
    if (stat(pb->root, &sb) == 0) {
        int rc = err_set(e, ERR_INVALID,
                         "%s is left from a publication that did not finish: remove it, then "
                         "publish again",
                         pb->root);
        free(pb);
        return rc;
    }
    today(pb->day);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memcpy(pb->pkg_hash, package_hash, HASH_LEN);
    int rc = make_dirs(pb->root, e);
    bool made = rc == 0;
    struct report_code *codes = NULL; /* the codes of the ballots counted, from the same pass */
    uint64_t ncodes = 0;
    pb->b = calloc(el->nballots + 1, sizeof *pb->b);
    if (!rc && !pb->b)
        rc = err_set(e, ERR_NOMEM, "out of memory publishing");
    if (!rc) {
        step(log, &t0, "decrypting and counting every ballot");
        char data[4400];
        snprintf(data, sizeof data, "%s/data", pb->root);
        FILE *null = fopen("/dev/null", "w");
        struct report_opts ro = {.format = REPORT_JSON,
                                 .lang = el->langs[0],
                                 .pb_dir = data,
                                 .out = null ? null : stdout,
                                 .log = NULL,
                                 .codes = &codes,
                                 .ncodes = &ncodes};
        rc = null ? report_count(t, el, tally, &ro, e) : err_errno(e, "cannot open /dev/null");
        if (null)
            fclose(null);
    }
    if (!rc)
        step(log, &t0, "counting again from the pabulib files just written");
    for (size_t d = 0; d < el->nballots && !rc; d++) {
        pb->b[d].bd = &el->ballots[d];
        snprintf(pb->b[d].pb, sizeof pb->b[d].pb, "%s-%s.pb", el->id, el->ballots[d].id);
        rc = pub_recount(pb, &pb->b[d], e);
    }
    if (!rc) {
        step(log, &t0, "reading turnout and the verification record");
        rc = pubq_kiosks(t, el, &pb->k, &pb->nk, e);
    }
    if (!rc)
        rc = pubq_overrides(t, &pb->ov, &pb->nov, e);
    if (!rc)
        rc = pubq_sources(t, &pb->nsources, e);
    if (!rc) {
        step(log, &t0, "writing the tracking codes");
        rc = write_codes(pb, t, codes, ncodes, e);
    }
    if (!rc) {
        step(log, &t0, "writing the open data");
        rc = write_bytes(pb, "data/election.pkg", pkg, pkg_len, e);
    }
    if (!rc)
        rc = write_ballots(pb, e);
    if (!rc)
        rc = write_results(pb, e);
    if (!rc)
        rc = write_verification(pb, t, e);
    if (!rc) {
        char rel[256];
        static const char *const FIXED[] = {"data/election.pkg",    "data/results.json",
                                            "data/results.csv",     "data/ballots.csv",
                                            "data/ballots.json",    "data/tracking-codes.csv",
                                            "data/verification.txt"};
        for (size_t d = 0; d < el->nballots && !rc; d++) {
            snprintf(rel, sizeof rel, "data/%s", pb->b[d].pb);
            rc = hash_file(pb, rel, e);
        }
        for (size_t i = 0; i < ARRAY_LEN(FIXED) && !rc; i++)
            rc = hash_file(pb, FIXED[i], e);
    }
    if (!rc)
        rc = write_sums(pb, e);
    if (!rc) {
        step(log, &t0, "writing the pages");
        rc = write_bytes(pb, "style.css", PUB_CSS, strlen(PUB_CSS), e);
    }
    if (!rc)
        rc = write_bytes(pb, "lookup.js", PUB_JS, strlen(PUB_JS), e);
    if (!rc)
        rc = pub_write_pages(pb, e);
    if (!rc) {
        /* one sync of the whole folder, then the rename makes it appear complete */
        int fd = open(pb->root, O_RDONLY | O_DIRECTORY);
        if (fd < 0 || syncfs(fd) != 0)
            rc = err_errno(e, "cannot sync %s", pb->root);
        if (fd >= 0)
            close(fd);
    }
    if (!rc && rename(pb->root, dir) != 0)
        rc = err_errno(e, "cannot rename %s to %s", pb->root, dir);
    if (!rc) {
        char parent[4096];
        snprintf(parent, sizeof parent, "%s", dir);
        char *slash = strrchr(parent, '/');
        if (slash)
            slash[slash == parent ? 1 : 0] = 0;
        rc = util_fsync_dir(slash ? parent : ".", e);
    }
    if (rc && made && !remove_tree(pb->root)) {
        /* leave nothing half written; say where the rest is if it cannot be removed */
        char msg[sizeof e->msg];
        snprintf(msg, sizeof msg, "%s", e->msg);
        err_set(e, rc, "%s (the unfinished site is in %s: remove it)", msg, pb->root);
    }
    step(log, &t0, rc ? "failed" : "done");
    for (size_t d = 0; pb->b && d < el->nballots; d++) {
        if (pb->b[d].counted)
            outcome_free(&pb->b[d].o);
        profile_free(&pb->b[d].p);
    }
    free(codes);
    free(pb->b);
    free(pb->k);
    pubq_overrides_free(pb->ov, pb->nov);
    free(pb);
    return rc;
}

/* ---- the command ------------------------------------------------------------------------- */

int cmd_publish(int argc, char **argv)
{
    const char *db = NULL, *key = NULL, *passfile = NULL, *out = NULL, *authority = NULL;
    bool demo = false;
    struct keysource ks = {0};
    for (int i = 0; i < argc; i++) {
        int taken = keysource_option(&ks, argc, argv, &i); /* --share, --share-passphrase-file */
        if (taken != 0) {
            if (taken < 0) {
                db = NULL;
                break;
            }
            continue;
        }
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **dst = !strcmp(a, "--db")                ? &db
                           : !strcmp(a, "--tally-key")       ? &key
                           : !strcmp(a, "--passphrase-file") ? &passfile
                           : !strcmp(a, "--out")             ? &out
                           : !strcmp(a, "--authority")       ? &authority
                                                             : NULL;
        if (dst && v) {
            *dst = v;
            i++;
        } else if (!strcmp(a, "--demo")) {
            demo = true;
        } else {
            dst = NULL;
            db = NULL; /* force the usage message */
            break;
        }
    }
    if (!db || !keysource_given(&ks, key) || !out) {
        fprintf(stderr, "usage: tally publish --db TALLY.sqlite --tally-key KEY "
                        "[--passphrase-file F] [--demo] [--authority AUTH.pub] --out DIR\n"
                        "       (a split key: --share FILE [--share-passphrase-file F], one per "
                        "share, instead of --tally-key)\n");
        return 2;
    }
    struct err e = {0};
    struct election el;
    election_init(&el);
    struct tallydb *t = NULL;
    struct secret_key *tally = NULL;
    uint8_t *pkg = NULL, auth[SIGN_PK_LEN], hash[HASH_LEN];
    size_t len = 0;
    int rc = tallydb_open_existing(db, &t, &pkg, &len, auth, &e);
    if (!rc && authority) {
        struct public_key pk;
        rc = key_load_public(authority, KEY_AUTHORITY, &pk, &e);
        if (!rc && memcmp(pk.pk, auth, SIGN_PK_LEN) != 0)
            rc = err_set(&e, ERR_INVALID,
                         "the tally database %s holds a package signed by another authority key "
                         "than %s: give the database of this election",
                         db, authority);
    }
    if (!rc)
        rc = package_open_mem(pkg, len, auth, PACKAGE_ALLOW_DEMO, &el, hash, &e);
    if (!rc && el.demo && !demo)
        rc = err_set(&e, ERR_PERM,
                     "the tally database holds a demo election: add --demo to publish it");
    if (!rc) {
        tallydb_set_election(t, &el, hash);
        /* as count: a kiosk is published only from a journal with its close record, unless
         * the tally team accepted it (tally count --accept-unclosed, kept in the database) */
        if (tallydb_check_closed(t, stderr, NULL))
            rc = err_set(&e, ERR_TAMPER,
                         "nothing was published: a kiosk has no close record (see above): "
                         "import its closing export, or accept it explicitly with tally count "
                         "--db %s --accept-unclosed KIOSK --reason \"why\"",
                         db);
    }
    if (!rc)
        rc = keysource_load(&ks, key, passfile, el.tally_pk, stderr, &tally, &e);
    if (!rc)
        rc = publish_site(t, &el, hash, pkg, len, tally, out, stderr, &e);
    if (rc)
        fprintf(stderr, "tally: %s\n", e.msg);
    else
        printf("%s: published to %s (open %s/index.html)\n", el.id, out, out);
    key_free(tally);
    tallydb_close(t);
    free(pkg);
    election_free(&el);
    return rc ? 1 : 0;
}
