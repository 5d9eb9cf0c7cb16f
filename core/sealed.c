/* sealed — the sealing side: encode, pad and seal a vote to the tally key; see sealed.h.
 * Linked by the kiosk. Never opens a ballot (that is sealed_open.c, which the kiosk does not
 * link). */
#include "sealed.h"

#include <sodium.h>

#include "buf.h"
#include "crypto.h"

size_t sealed_size(const struct election *el)
{
    return vote_padded_len(el) + SEAL_OVERHEAD;
}

int sealed_seal(const struct election *el, const struct vote *v, uint8_t *ct, size_t n,
                struct err *e)
{
    size_t padded = vote_padded_len(el);
    if (n != padded + SEAL_OVERHEAD)
        return err_set(e, ERR_USAGE, "a sealed vote of this election takes %zu bytes, not %zu",
                       padded + SEAL_OVERHEAD, n);
    struct buf plain;
    buf_init(&plain);
    int rc = vote_encode(el, v, &plain, e);
    if (!rc && plain.len != padded)
        rc = err_set(e, ERR_INTERNAL, "an encoded vote is not of the padded length");
    if (!rc && crypto_box_seal(ct, plain.data, plain.len, el->tally_pk) != 0)
        rc = err_set(e, ERR_CRYPTO, "the vote could not be sealed to the tally key");
    buf_free(&plain); /* wipes the plaintext */
    return rc;
}
