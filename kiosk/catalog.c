/* catalog — the kiosk's catalogue; see catalog.h.
 *
 * The texts are not here: they live in po/fr.po, po/nl.po and po/en.po, which translators edit
 * with their usual tools, and the build turns them into catalog_table.c (kiosk/catalog_gen.c).
 * The table is compiled in, so the kiosk reads no locale file and every language is available
 * at every moment (each voter picks theirs). docs/translating.md says how to change a text. */
#include "catalog.h"

#include "util.h"

/* Generated (catalog_table.c); read-only. [message][language]: the text and, for a message with
 * plural forms, the plural (else NULL). */
extern const char *const catalog_table[M_MSG_COUNT][LANG_COUNT][2];
/* Per language: 0, plural for every n but 1; 1, plural from 2 on. */
extern const unsigned char catalog_plural_rule[LANG_COUNT];
extern const char *const catalog_lang_codes[LANG_COUNT];

const char *msg(enum msg m, enum lang l)
{
    if ((unsigned)m >= M_MSG_COUNT)
        return "";
    if ((unsigned)l >= LANG_COUNT)
        l = LANG_FR;
    const char *s = catalog_table[m][l][0];
    return s ? s : "";
}

const char *msg_n(enum msg m, enum lang l, unsigned long long n)
{
    if ((unsigned)m >= M_MSG_COUNT)
        return "";
    if ((unsigned)l >= LANG_COUNT)
        l = LANG_FR;
    bool plural = catalog_plural_rule[l] == 1 ? n > 1 : n != 1;
    const char *s = catalog_table[m][l][plural ? 1 : 0];
    return s ? s : msg(m, l);
}

const char *catalog_lang_code(enum lang l)
{
    return (unsigned)l < LANG_COUNT ? catalog_lang_codes[l] : "";
}
