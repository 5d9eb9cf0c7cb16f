/*
 * isoloir-keys — the key ceremony tool.
 *
 *   isoloir-keys new authority|tally|kiosk NAME [--demo] [--passphrase-file F] [--cost C]
 *       writes NAME.key (secret, encrypted, mode 0600) and NAME.pub, prints the fingerprint
 *   isoloir-keys show FILE
 *       prints the kind, demo flag and fingerprint of a .pub or .key file (no passphrase)
 *   isoloir-keys check FILE.key [--passphrase-file F]
 *       proves the passphrase opens the key (for the ceremony's second person)
 *
 * Exit codes: 0 done, 1 refused or failed (the message says why), 2 usage error.
 */
#include <sodium.h>
#include <stdio.h>

#include "cli.h"
#include "crypto.h"
#include "keys.h"
#include "util.h"

static const char *const USAGE =
    "usage:\n"
    "  isoloir-keys new authority|tally|kiosk NAME [--demo] [--passphrase-file FILE]\n"
    "                    [--cost interactive|moderate|sensitive]\n"
    "  isoloir-keys show FILE.pub|FILE.key\n"
    "  isoloir-keys check FILE.key [--passphrase-file FILE]\n";

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

static int cmd_new(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    int kind = kind_arg(argv[0]);
    if (kind < 0)
        return usage();
    const char *name = argv[1], *passfile = NULL;
    bool demo = false;
    enum key_cost cost = kind == KEY_KIOSK ? KEY_COST_INTERACTIVE : KEY_COST_SENSITIVE;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--demo") == 0) {
            demo = true;
            cost = KEY_COST_INTERACTIVE;
        } else if (strcmp(argv[i], "--passphrase-file") == 0 && i + 1 < argc) {
            passfile = argv[++i];
        } else if (strcmp(argv[i], "--cost") == 0 && i + 1 < argc) {
            const char *c = argv[++i];
            cost = strcmp(c, "sensitive") == 0  ? KEY_COST_SENSITIVE
                   : strcmp(c, "moderate") == 0 ? KEY_COST_MODERATE
                                                : KEY_COST_INTERACTIVE;
        } else {
            return usage();
        }
    }
    char keypath[4096], pubpath[4096];
    snprintf(keypath, sizeof keypath, "%s.key", name);
    snprintf(pubpath, sizeof pubpath, "%s.pub", name);
    struct err e = {0};
    char *pass = NULL;
    struct secret_key *k = NULL;
    int rc =
        cli_passphrase("Passphrase for the new key: ", passfile, true, demo ? 4 : 12, &pass, &e);
    if (!rc)
        rc = key_generate((enum key_kind)kind, demo, &k, &e);
    if (!rc)
        rc = key_save_secret(keypath, k, pass, cost, &e);
    struct public_key pub;
    if (!rc) {
        key_public(k, &pub);
        rc = key_save_public(pubpath, &pub, &e);
    }
    if (!rc) {
        print_key(pubpath, pub.kind, pub.demo, pub.pk);
        printf("secret key: %s (keep it offline; the passphrase opens it)\n", keypath);
    }
    key_free(k);
    cli_passphrase_free(pass);
    return rc ? cli_fail("isoloir-keys", &e) : 0;
}

static int cmd_show(const char *path)
{
    struct err e = {0};
    struct public_key pub;
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
    return usage();
}
