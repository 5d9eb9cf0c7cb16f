/*
 * isoloir-keys — the key ceremony tool.
 *
 *   isoloir-keys new authority|tally|kiosk NAME [--demo] [--passphrase-file F] [--cost C]
 *       writes NAME.key (secret, encrypted, mode 0600) and NAME.pub, prints the fingerprint
 *   isoloir-keys show FILE
 *       prints the kind, demo flag and fingerprint of a .pub or .key file (no passphrase)
 *   isoloir-keys check FILE.key [--passphrase-file F]
 *       proves the passphrase opens the key (for the ceremony's second person)
 *   isoloir-keys new tally NAME --trustees K-of-N [--trustee WHO]... [--share-passphrase-file F]...
 *       writes NAME.pub and NAME-1.share .. NAME-N.share, one per trustee, each sealed with its
 *       trustee's passphrase; any K of them give the tally key back (docs/keys.md, "Trustees")
 *   isoloir-keys split FILE.key NAME --trustees K-of-N [...]
 *       the same from an existing tally key file (which must then be destroyed)
 *   isoloir-keys reshare NAME --trustees K-of-N --share FILE... [--share-passphrase-file F]...
 *       joins K shares of a split in memory and makes a new split of the same key
 *   show and check also take a .share file.
 *
 * Exit codes: 0 done, 1 refused or failed (the message says why), 2 usage error.
 */
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"
#include "crypto.h"
#include "key.h"
#include "shares.h"
#include "util.h"

#define PATH_MAX_LEN 4096

static const char *const USAGE =
    "usage:\n"
    "  isoloir-keys new authority|tally|kiosk NAME [--demo] [--passphrase-file FILE]\n"
    "                    [--cost interactive|moderate|sensitive]\n"
    "  isoloir-keys show FILE.pub|FILE.key\n"
    "  isoloir-keys check FILE.key|FILE.share [--passphrase-file FILE]\n"
    "  isoloir-keys new tally NAME --trustees K-of-N [--trustee WHO]...\n"
    "                    [--share-passphrase-file FILE]... [--demo] [--cost C]\n"
    "  isoloir-keys split FILE.key NAME --trustees K-of-N [--passphrase-file FILE]\n"
    "                    [--trustee WHO]... [--share-passphrase-file FILE]... [--cost C]\n"
    "  isoloir-keys reshare NAME --trustees K-of-N --share FILE.share... [--trustee WHO]...\n"
    "                    [--share-passphrase-file FILE]... [--cost C]\n"
    "      (--share-passphrase-file: one per share, in the same order; \"-\" reads the next\n"
    "       line of standard input; shares without one are asked on the terminal. With\n"
    "       reshare, the old shares' files come first, then the new ones')\n";

static int usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

static int kind_arg(const char *s)
{
    for (int k = KEY_AUTHORITY; k <= KEY_KIOSK; k++)
        if (strcmp(s, key_kind_name((enum key_kind)k)) == 0)
            return k;
    return -1;
}

static void print_key(const char *what, enum key_kind kind, bool demo, const uint8_t pk[32])
{
    char fpr[FPR_TEXT_LEN + 1];
    fingerprint(fpr, pk, 32);
    printf("%s: %s key%s\nfingerprint: %s\n", what, key_kind_name(kind), demo ? " (DEMO)" : "",
           fpr);
}

/* The options of the commands that make or use trustee shares. */
struct trustee_opts {
    unsigned k, n;               /* --trustees K-of-N (0 if not given) */
    const char *who[SHARES_MAX]; /* --trustee, in share order */
    unsigned nwho;
    const char *passfiles[2 * SHARES_MAX]; /* --share-passphrase-file, in order */
    unsigned npassfiles;
    const char *shares[SHARES_MAX]; /* --share (reshare) */
    unsigned nshares;
};

static int parse_trustees(const char *v, unsigned *k, unsigned *n)
{
    char extra;
    if (sscanf(v, "%u-of-%u%c", k, n, &extra) != 2 && sscanf(v, "%u/%u%c", k, n, &extra) != 2)
        return -1;
    return 0;
}

/* Takes argv[*i] if it is a trustee option; 1 taken, 0 not one, -1 bad. */
static int trustee_option(struct trustee_opts *t, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (strcmp(a, "--trustees") && strcmp(a, "--trustee") && strcmp(a, "--share") &&
        strcmp(a, "--share-passphrase-file"))
        return 0;
    if (!v)
        return -1;
    ++*i;
    if (!strcmp(a, "--trustees"))
        return parse_trustees(v, &t->k, &t->n) ? -1 : 1;
    if (!strcmp(a, "--trustee") && t->nwho < SHARES_MAX)
        t->who[t->nwho++] = v;
    else if (!strcmp(a, "--share") && t->nshares < SHARES_MAX)
        t->shares[t->nshares++] = v;
    else if (!strcmp(a, "--share-passphrase-file") && t->npassfiles < 2 * SHARES_MAX)
        t->passfiles[t->npassfiles++] = v;
    else
        return -1;
    return 1;
}

static enum key_cost cost_arg(const char *c)
{
    return strcmp(c, "sensitive") == 0  ? KEY_COST_SENSITIVE
           : strcmp(c, "moderate") == 0 ? KEY_COST_MODERATE
                                        : KEY_COST_INTERACTIVE;
}

/* Passphrases of existing shares, for reshare: from the given files in order, else asked. */
struct asker_ctx {
    const char *const *files;
    unsigned nfiles;
};

static int ask_share(void *ctx, const struct share *s, size_t i, unsigned retry, char **pass,
                     struct err *e)
{
    const struct asker_ctx *a = ctx;
    const char *file = i < a->nfiles ? a->files[i] : NULL;
    return cli_share_passphrase(s, file, retry, pass, e);
}

/* Splits `k` into t->n shares NAME-1.share..NAME-n.share with passphrases from
 * t->passfiles[first..] or the terminal; prints what was written. */
static int write_split(const struct secret_key *k, const char *name, const struct trustee_opts *t,
                       unsigned first, enum key_cost cost, struct err *e)
{
    if (t->nwho > t->n)
        return err_set(e, ERR_USAGE, "%u trustee names for %u shares", t->nwho, t->n);
    if (t->npassfiles > first + t->n)
        return err_set(e, ERR_USAGE, "more --share-passphrase-file options than shares");
    char(*paths)[PATH_MAX_LEN] = malloc((size_t)t->n * PATH_MAX_LEN);
    const char *p[SHARES_MAX];
    char *pass[SHARES_MAX] = {0};
    if (!paths)
        return err_set(e, ERR_NOMEM, "out of memory");
    int rc = 0;
    for (unsigned i = 0; i < t->n && !rc; i++) {
        snprintf(paths[i], sizeof paths[i], "%s-%u.share", name, i + 1);
        p[i] = paths[i];
        struct stat st;
        if (lstat(p[i], &st) == 0)
            rc = err_set(e, ERR_STATE,
                         "%s already exists; a share file is never overwritten: choose another "
                         "name or move the old file away first",
                         p[i]);
    }
    for (unsigned i = 0; i < t->n && !rc; i++) {
        char prompt[PATH_MAX_LEN + 200];
        snprintf(prompt, sizeof prompt, "Trustee %u of %u%s%s%s, passphrase for %s: ", i + 1, t->n,
                 i < t->nwho ? " (" : "", i < t->nwho ? t->who[i] : "", i < t->nwho ? ")" : "",
                 p[i]);
        const char *file = first + i < t->npassfiles ? t->passfiles[first + i] : NULL;
        rc = cli_passphrase(prompt, file, true, k->demo ? 4 : 12, &pass[i], e);
        if (rc == ERR_USAGE && !file && strstr(e->msg, "no terminal"))
            rc = err_set(e, ERR_USAGE,
                         "no terminal to ask the passphrase of share %u: give it with "
                         "--share-passphrase-file (one per share, in share order)",
                         i + 1);
        else if (rc)
            err_prefix(e, "share %u: ", i + 1);
    }
    uint8_t set[SHARE_SET_LEN];
    if (!rc)
        rc = shares_split(k, t->k, t->n, p, (const char *const *)pass, t->who, cost, set, e);
    if (!rc) {
        char id[2 * SHARE_SET_LEN + 1];
        hex_encode(id, set, SHARE_SET_LEN);
        printf("split: %s (%u of %u: any %u trustees together can open the ballots)\n", id, t->k,
               t->n, t->k);
        for (unsigned i = 0; i < t->n; i++)
            printf("share %u: %s%s%s%s\n", i + 1, p[i], i < t->nwho ? " (for " : "",
                   i < t->nwho ? t->who[i] : "", i < t->nwho ? ")" : "");
        printf("give each trustee their share file; each keeps it offline with a backup copy\n");
    }
    for (unsigned i = 0; i < t->n; i++)
        cli_passphrase_free(pass[i]);
    free(paths);
    return rc;
}

static int check_trustees(const struct trustee_opts *t)
{
    if (t->k < 2 || t->k > t->n || t->n > SHARES_MAX) {
        fprintf(stderr, "isoloir-keys: --trustees K-of-N needs 2 <= K <= N <= %d (e.g. 3-of-5)\n",
                SHARES_MAX);
        return -1;
    }
    return 0;
}

static int cmd_new(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    int kind = kind_arg(argv[0]);
    if (kind < 0)
        return usage();
    const char *name = argv[1], *passfile = NULL;
    bool demo = false, cost_given = false;
    enum key_cost cost = kind == KEY_KIOSK ? KEY_COST_INTERACTIVE : KEY_COST_SENSITIVE;
    struct trustee_opts t = {0};
    for (int i = 2; i < argc; i++) {
        int took = trustee_option(&t, argc, argv, &i);
        if (took < 0 || t.nshares)
            return usage();
        if (took)
            continue;
        if (strcmp(argv[i], "--demo") == 0) {
            demo = true;
            if (!cost_given)
                cost = KEY_COST_INTERACTIVE;
        } else if (strcmp(argv[i], "--passphrase-file") == 0 && i + 1 < argc) {
            passfile = argv[++i];
        } else if (strcmp(argv[i], "--cost") == 0 && i + 1 < argc) {
            cost = cost_arg(argv[++i]);
            cost_given = true;
        } else {
            return usage();
        }
    }
    bool trustees = t.n > 0;
    if (trustees && (kind != KEY_TALLY || passfile || check_trustees(&t))) {
        if (kind != KEY_TALLY || passfile)
            fprintf(stderr, "isoloir-keys: only the tally key is split among trustees, and each "
                            "trustee's passphrase is given with --share-passphrase-file\n");
        return 2;
    }
    if (!trustees && (t.nwho || t.npassfiles))
        return usage();
    char keypath[PATH_MAX_LEN], pubpath[PATH_MAX_LEN];
    snprintf(keypath, sizeof keypath, "%s.key", name);
    snprintf(pubpath, sizeof pubpath, "%s.pub", name);
    struct err e = {0};
    char *pass = NULL;
    struct secret_key *k = NULL;
    struct stat st;
    int rc = 0;
    if (trustees && lstat(pubpath, &st) == 0)
        rc = err_set(&e, ERR_STATE, "%s already exists; choose another name or move it away",
                     pubpath);
    if (!rc && !trustees)
        rc = cli_passphrase("Passphrase for the new key: ", passfile, true, demo ? 4 : 12, &pass,
                            &e);
    if (!rc)
        rc = key_generate((enum key_kind)kind, demo, &k, &e);
    if (!rc)
        rc = trustees ? write_split(k, name, &t, 0, cost, &e)
                      : key_save_secret(keypath, k, pass, cost, &e);
    struct public_key pub;
    if (!rc) {
        key_public(k, &pub);
        rc = key_save_public(pubpath, &pub, &e);
    }
    if (!rc) {
        print_key(pubpath, pub.kind, pub.demo, pub.pk);
        if (trustees)
            printf("the whole tally key was never written: only the shares above hold it\n");
        else
            printf("secret key: %s (keep it offline; the passphrase opens it)\n", keypath);
    }
    key_free(k);
    cli_passphrase_free(pass);
    return rc ? cli_fail("isoloir-keys", &e) : 0;
}

/* split FILE.key NAME --trustees K-of-N [...] */
static int cmd_split(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *keyfile = argv[0], *name = argv[1], *passfile = NULL;
    enum key_cost cost = KEY_COST_SENSITIVE;
    bool cost_given = false;
    struct trustee_opts t = {0};
    for (int i = 2; i < argc; i++) {
        int took = trustee_option(&t, argc, argv, &i);
        if (took < 0 || t.nshares)
            return usage();
        if (took)
            continue;
        if (strcmp(argv[i], "--passphrase-file") == 0 && i + 1 < argc) {
            passfile = argv[++i];
        } else if (strcmp(argv[i], "--cost") == 0 && i + 1 < argc) {
            cost = cost_arg(argv[++i]);
            cost_given = true;
        } else {
            return usage();
        }
    }
    if (check_trustees(&t))
        return 2;
    struct err e = {0};
    char *pass = NULL;
    struct secret_key *k = NULL;
    int rc = cli_passphrase("Passphrase of the tally key: ", passfile, false, 0, &pass, &e);
    if (!rc)
        rc = key_load_secret(keyfile, KEY_TALLY, pass, &k, &e);
    cli_passphrase_free(pass);
    if (!rc && k->demo && !cost_given)
        cost = KEY_COST_INTERACTIVE;
    if (!rc)
        rc = write_split(k, name, &t, 0, cost, &e);
    if (!rc) {
        print_key(keyfile, k->kind, k->demo, k->pk);
        printf("now destroy %s and every copy of it: while it exists, one person can open "
               "the ballots alone\n",
               keyfile);
    }
    key_free(k);
    return rc ? cli_fail("isoloir-keys", &e) : 0;
}

/* reshare NAME --trustees K-of-N --share F... [...] */
static int cmd_reshare(int argc, char **argv)
{
    if (argc < 1)
        return usage();
    const char *name = argv[0];
    enum key_cost cost = KEY_COST_SENSITIVE;
    bool cost_given = false;
    struct trustee_opts t = {0};
    for (int i = 1; i < argc; i++) {
        int took = trustee_option(&t, argc, argv, &i);
        if (took < 0)
            return usage();
        if (took)
            continue;
        if (strcmp(argv[i], "--cost") == 0 && i + 1 < argc) {
            cost = cost_arg(argv[++i]);
            cost_given = true;
        } else {
            return usage();
        }
    }
    if (check_trustees(&t) || !t.nshares)
        return check_trustees(&t) ? 2 : usage();
    struct err e = {0};
    struct secret_key *k = NULL;
    struct asker_ctx ac = {t.passfiles, t.npassfiles < t.nshares ? t.npassfiles : t.nshares};
    struct share_asker asker = {ask_share, cli_passphrase_free, &ac, 3};
    int rc = shares_load(t.shares, t.nshares, NULL, &asker, &k, &e);
    if (!rc && k->demo && !cost_given)
        cost = KEY_COST_INTERACTIVE;
    if (!rc)
        rc = write_split(k, name, &t, t.nshares, cost, &e);
    if (!rc) {
        char fpr[FPR_TEXT_LEN + 1];
        fingerprint(fpr, k->pk, 32);
        printf("the same tally key (%s), split anew; the old shares still join each other: "
               "every trustee must now destroy their old share file and its copies\n",
               fpr);
    }
    key_free(k);
    return rc ? cli_fail("isoloir-keys", &e) : 0;
}

static bool is_share_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char head[32] = "";
    if (f) {
        if (!fgets(head, sizeof head, f))
            head[0] = '\0';
        fclose(f);
    }
    return strncmp(head, "isoloir-key-share ", 18) == 0;
}

static void print_share(const struct share *s)
{
    char who[700], id[2 * SHARE_SET_LEN + 1];
    share_describe(s, who, sizeof who);
    hex_encode(id, s->set, SHARE_SET_LEN);
    print_key(s->path, s->kind, s->demo, s->pk);
    printf("%s; any %u of the %u shares give the key\nsplit: %s\n", who, s->k, s->n, id);
}

static int cmd_show(const char *path)
{
    struct err e = {0};
    struct public_key pub;
    if (is_share_file(path)) {
        struct share s;
        int rc = share_read(path, &s, &e);
        if (!rc) {
            print_share(&s);
            printf("(share file: not opened)\n");
        }
        share_free(&s);
        return rc ? cli_fail("isoloir-keys", &e) : 0;
    }
    for (int k = KEY_AUTHORITY; k <= KEY_KIOSK; k++) {
        if (key_load_public(path, (enum key_kind)k, &pub, &e) == 0) {
            print_key(path, pub.kind, pub.demo, pub.pk);
            return 0;
        }
        if (e.code != ERR_INVALID)
            break;
    }
    /* A secret key file: its public half and fingerprint are readable without the passphrase. */
    uint8_t *d;
    size_t n;
    struct err e2 = {0};
    if (util_read_file(path, 4096, &d, &n, &e2) == 0) {
        char *pubhex = strstr((char *)d, "\npublic: ");
        char *kindv = strstr((char *)d, "\nkind: ");
        if (pubhex && kindv && strncmp((char *)d, "isoloir-secret-key", 18) == 0) {
            char hx[65] = "", kind[16] = "";
            sscanf(pubhex + 9, "%64s", hx);
            sscanf(kindv + 7, "%15s", kind);
            uint8_t pk[32];
            if (hex_decode(pk, 32, hx) == 0 && kind_arg(kind) > 0) {
                print_key(path, (enum key_kind)kind_arg(kind), strstr((char *)d, "demo: yes"), pk);
                printf("(secret key file: not opened)\n");
                free(d);
                return 0;
            }
        }
        free(d);
    }
    return cli_fail("isoloir-keys", &e);
}

static int cmd_check(int argc, char **argv)
{
    if (argc < 1)
        return usage();
    const char *passfile = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--passphrase-file") == 0 && i + 1 < argc)
            passfile = argv[++i];
        else
            return usage();
    }
    struct err e = {0};
    char *pass = NULL;
    if (is_share_file(argv[0])) {
        struct share s;
        int rc = share_read(argv[0], &s, &e);
        if (!rc)
            rc = cli_passphrase("Passphrase of the share: ", passfile, false, 0, &pass, &e);
        if (!rc)
            rc = share_open(&s, pass, &e);
        if (!rc) {
            print_share(&s);
            printf("the passphrase opens this share, and its value is the one committed at the "
                   "split\n");
        }
        share_free(&s);
        cli_passphrase_free(pass);
        return rc ? cli_fail("isoloir-keys", &e) : 0;
    }
    int rc = cli_passphrase("Passphrase: ", passfile, false, 0, &pass, &e);
    struct secret_key *k = NULL;
    for (int kind = KEY_AUTHORITY; !rc && kind <= KEY_KIOSK; kind++) {
        rc = key_load_secret(argv[0], (enum key_kind)kind, pass, &k, &e);
        if (rc == ERR_INVALID) {
            rc = 0;
            continue;
        }
        break;
    }
    if (!rc && k) {
        print_key(argv[0], k->kind, k->demo, k->pk);
        printf("the passphrase opens this key\n");
    }
    key_free(k);
    cli_passphrase_free(pass);
    return rc ? cli_fail("isoloir-keys", &e) : 0;
}

int main(int argc, char **argv)
{
    struct err e = {0};
    if (crypto_setup(&e))
        return cli_fail("isoloir-keys", &e);
    if (argc < 3)
        return usage();
    if (strcmp(argv[1], "new") == 0)
        return cmd_new(argc - 2, argv + 2);
    if (strcmp(argv[1], "show") == 0 && argc == 3)
        return cmd_show(argv[2]);
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(argv[1], "split") == 0)
        return cmd_split(argc - 2, argv + 2);
    if (strcmp(argv[1], "reshare") == 0)
        return cmd_reshare(argc - 2, argv + 2);
    return usage();
}
