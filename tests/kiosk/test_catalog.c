/* test_catalog — the compiled-in catalogue (from the po files): its languages are in the order of
 * enum lang, every message has a text in every language, and msg_n picks each language's plural
 * form (French: singular for 0 and 1; Dutch and English: singular for 1 only). */
#include "catalog.h"
#include "check.h"

static void test_languages(void)
{
    for (int l = 0; l < LANG_COUNT; l++)
        CHECK_STR(catalog_lang_code((enum lang)l), lang_code((enum lang)l));
    CHECK_STR(msg(M_LANGUAGE_NAME, LANG_FR), "Français");
    CHECK_STR(msg(M_LANGUAGE_NAME, LANG_NL), "Nederlands");
    CHECK_STR(msg(M_LANGUAGE_NAME, LANG_EN), "English");
}

static void test_every_message(void)
{
    for (int m = 0; m < M_MSG_COUNT; m++)
        for (int l = 0; l < LANG_COUNT; l++)
            if (!msg((enum msg)m, (enum lang)l)[0]) {
                fprintf(stderr, "message %d has no text in %s\n", m, lang_code((enum lang)l));
                check_st.cur_failed++;
            }
    CHECK_STR(msg(M_MSG_COUNT, LANG_FR), "");
    CHECK_STR(msg_n((enum msg) - 1, LANG_NL, 2), "");
}

static const char *idle(enum lang l, unsigned n, char *out, size_t size)
{
    snprintf(out, size, msg_n(M_IDLE_BODY, l, n), n);
    return out;
}

static void test_plural_forms(void)
{
    char s[256];
    CHECK_HAS(idle(LANG_FR, 0, s, sizeof s), " 0 seconde.");
    CHECK_HAS(idle(LANG_FR, 1, s, sizeof s), " 1 seconde.");
    CHECK_HAS(idle(LANG_FR, 2, s, sizeof s), " 2 secondes.");
    CHECK_HAS(idle(LANG_NL, 0, s, sizeof s), " 0 seconden ");
    CHECK_HAS(idle(LANG_NL, 1, s, sizeof s), " 1 seconde ");
    CHECK_HAS(idle(LANG_NL, 30, s, sizeof s), " 30 seconden ");
    CHECK_HAS(idle(LANG_EN, 0, s, sizeof s), " 0 seconds.");
    CHECK_HAS(idle(LANG_EN, 1, s, sizeof s), " 1 second.");
    CHECK_HAS(idle(LANG_EN, 2, s, sizeof s), " 2 seconds.");
    /* a message without plural forms is the same for every count */
    CHECK_STR(msg_n(M_START, LANG_EN, 7), msg(M_START, LANG_EN));
}

int main(void)
{
    RUN(test_languages);
    RUN(test_every_message);
    RUN(test_plural_forms);
    return check_done();
}
