/* norm — the kiosk's reading of a typed tracking code (tracking_parse), one input per line on
 * standard input, as "ok CODE", "typo CODE" or "format" on standard output: the reference the
 * published site's lookup script is compared with (publish.sh, case browser). */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "tracking.h"

int main(void)
{
    char line[512];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        char code[TRACKING_CODE_CHARS + 1], text[TRACKING_TEXT_MAX];
        int rc = tracking_parse(line, code);
        if (rc == ERR_FORMAT) {
            puts("format");
            continue;
        }
        tracking_format(text, code);
        printf("%s %s\n", rc == 0 ? "ok" : "typo", text);
    }
    return 0;
}
