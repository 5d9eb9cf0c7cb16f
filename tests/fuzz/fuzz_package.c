/* fuzz_package — the package decoder on arbitrary content. The signature check is what
 * protects a kiosk, but the decoder must still never crash or leak on any input, because a
 * builder bug would otherwise become a kiosk crash. Also runs package_open_mem on the input
 * as a whole file, which must refuse it cleanly. */
#include <sodium.h>
#include <stdint.h>

#include "package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0)
            return 0;
        ready = 1;
    }
    struct election el;
    struct err e;
    if (package_decode(data, size, &el, &e) == 0)
        election_free(&el);
    uint8_t pk[SIGN_PK_LEN] = {0};
    if (package_open_mem(data, size, pk, PACKAGE_ALLOW_DEMO, &el, NULL, &e) == 0)
        election_free(&el);
    return 0;
}
