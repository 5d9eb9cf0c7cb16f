/* catalog — the kiosk's catalogue; see catalog.h.
 *
 * The texts are not here: they live in po/fr.po, po/nl.po and po/en.po, which translators edit
 * with their usual tools, and the build turns them into catalog_table.h (kiosk/catalog_gen.c).
 * The table is compiled in, so the kiosk reads no locale file and every language is available
 * at every moment (each voter picks theirs). docs/translating.md says how to change a text. */
#include "catalog.h"

#include "catalog_table.h"
#include "util.h"

_Static_assert(CATALOG_LANGS == LANG_COUNT, "one .po file per language of enum lang");

const char *msg(enum msg m, enum lang l)
{
    if ((unsigned)m >= M_MSG_COUNT)
        return "";
    if ((unsigned)l >= LANG_COUNT)
        l = LANG_FR;
    const char *s = CATALOG_TABLE[m][l][0];
    return s ? s : "";
}

const char *msg_n(enum msg m, enum lang l, unsigned long long n)
{
    if ((unsigned)m >= M_MSG_COUNT)
        return "";
    if ((unsigned)l >= LANG_COUNT)
        l = LANG_FR;
    bool plural = CATALOG_PLURAL_RULE[l] == 1 ? n > 1 : n != 1;
    const char *s = CATALOG_TABLE[m][l][plural ? 1 : 0];
    return s ? s : msg(m, l);
}

const char *catalog_lang_code(enum lang l)
{
    return (unsigned)l < LANG_COUNT ? CATALOG_LANG_CODES[l] : "";
}
