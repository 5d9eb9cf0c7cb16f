/* fuzz_conf — the election.conf reader on arbitrary bytes: parse or refuse, never crash. */
#include <stdint.h>
#include <stdlib.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct conf c;
    struct err e;
    if (conf_parse(data, size, "fuzz.conf", &c, &e) != 0)
        return 0;
    for (size_t i = 0; i < c.nentries; i++)
        if (c.entries[i].section >= c.nsections || !c.entries[i].key || !c.entries[i].value)
            abort();
    conf_free(&c);
    return 0;
}
