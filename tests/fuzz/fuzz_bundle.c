/* fuzz_bundle — the export manifest reader (what the tally runs on bytes from a USB stick)
 * on arbitrary input: it must never crash or leak, and whatever it accepts must be canonical
 * (encoding the decoded manifest gives back the same bytes), printable as manifest.txt, and
 * list no file larger than its cap (bundle_file_max).
 * The same input, as text, also goes through the mountinfo line parser of hw/mounts. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "mounts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (sodium_init() < 0)
            return 0;
        ready = 1;
    }
    struct bundle_manifest m;
    struct err e;
    if (bundle_manifest_decode(data, size, &m, &e) == 0) {
        struct buf b, t;
        buf_init(&b);
        buf_init(&t);
        if (bundle_manifest_encode(&m, &b, &e) != 0 || b.len != size ||
            memcmp(b.data, data, size) != 0)
            abort(); /* accepted but not canonical */
        if (bundle_manifest_text(&m, &t, &e) != 0)
            abort();
        for (size_t i = 0; i < m.nfiles; i++)
            if (m.files[i].size > bundle_file_max(m.files[i].name))
                abort(); /* accepted a size the reader would then try to hash */
        buf_free(&b);
        buf_free(&t);
        bundle_manifest_free(&m);
    }
    char *line = malloc(size + 1);
    if (line) {
        memcpy(line, data, size);
        line[size] = '\0';
        struct mount_info mi;
        (void)mounts_parse_line(line, &mi, &e);
        free(line);
    }
    return 0;
}
