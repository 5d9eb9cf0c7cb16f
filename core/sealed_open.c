/* sealed_open — the opening side: open a sealed vote with the tally key and decode it
 * strictly; see sealed.h. Linked by the tally and the tools that decrypt, never by the
 * kiosk. */
#include <sodium.h>

#include "crypto.h"
#include "sealed.h"

int sealed_open(const uint8_t *ct, size_t n, const struct secret_key *tally,
                const struct election *el, struct vote *out, struct err *e)
{
    size_t padded = vote_padded_len(el);
    vote_init(out);
    if (!tally || tally->kind != KEY_TALLY || tally->sk_len != BOX_SK_LEN)
        return err_set(e, ERR_USAGE, "opening a ballot needs the tally key");
    if (n != padded + SEAL_OVERHEAD)
        return err_set(e, ERR_FORMAT, "a sealed ballot of %zu bytes, this election's have %zu", n,
                       padded + SEAL_OVERHEAD);
    /* The plaintext lives only for the decode and is wiped at once. A guarded sodium_malloc
     * block per ballot costs an mmap, three mprotects and a munmap, i.e. TLB shootdowns across
     * the decrypting threads: about half of `tally count`'s time. Usual sizes use the stack. */
    uint8_t stack[4096];
    uint8_t *m = padded <= sizeof stack ? stack : sodium_malloc(padded ? padded : 1);
    if (!m)
        return err_set(e, ERR_NOMEM, "out of memory opening a ballot");
    int rc = 0;
    if (crypto_box_seal_open(m, ct, n, tally->pk, tally->sk) != 0)
        rc = err_set(e, ERR_CRYPTO,
                     "a ballot does not open with this tally key: wrong key, or the ciphertext "
                     "was altered");
    else
        rc = vote_decode(el, m, padded, out, e);
    if (m == stack)
        sodium_memzero(stack, padded);
    else
        sodium_free(m);
    return rc;
}
