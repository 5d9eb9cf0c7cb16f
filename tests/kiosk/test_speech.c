/* test_speech — the spoken guidance and the tactile keypad, without a sound card: espeak-ng's
 * French, Dutch and English voices produce sound for each language, the transcript records
 * exactly what was said (and is refused outside tests), a new sentence interrupts the old one,
 * "stop" silences at once, rate and volume stay within their limits, and every keypad key does
 * what docs/accessibility.md says. */
#include <stdlib.h>

#include "check.h"
#include "keypad.h"
#include "speech.h"

#include <SDL.h>

/* espeak-ng starts once per process: every test shares one speech, with SDL's dummy audio
 * driver (it plays nothing but takes the queue as a sound card would) and a transcript in
 * memory that each test reads from `mark` on. */
struct fixture {
    struct speech *sp;
    FILE *transcript;
    char *buf;
    size_t len, mark;
};

static struct fixture fx;

/* What was said since the last call. */
static const char *said(void)
{
    fflush(fx.transcript);
    const char *s = fx.buf ? fx.buf + fx.mark : "";
    fx.mark = fx.len;
    return s;
}

static void test_three_voices(void)
{
    struct speech *sp = fx.sp;
    said();
    struct speech_stats st0;
    speech_stats(sp, &st0);
    static const char *const SAY[LANG_COUNT] = {
        [LANG_FR] = "Choisissez votre langue.",
        [LANG_NL] = "Kies uw taal.",
        [LANG_EN] = "Choose your language.",
    };
    uint64_t before = st0.samples;
    for (int l = 0; l < LANG_COUNT; l++) {
        speech_say(sp, (enum lang)l, SAY[l]);
        CHECK_INT(speech_wait(sp, 20000), 0);
        struct speech_stats st;
        speech_stats(sp, &st);
        CHECK(st.samples > before + st.sample_rate / 4); /* at least a quarter second of sound */
        CHECK_INT(st.utterances, st0.utterances + (uint64_t)l + 1);
        before = st.samples;
    }
    CHECK(!strcmp(said(), "fr\tChoisissez votre langue.\n"
                          "nl\tKies uw taal.\n"
                          "en\tChoose your language.\n"));
    speech_repeat(sp);
    CHECK_INT(speech_wait(sp, 20000), 0);
    CHECK(!strcmp(said(), "en\tChoose your language.\n"));
}

/* The welcome screen's chain: one sentence per language, each after the other, in its own
 * voice; repeat says the whole chain again; a new sentence cuts it. */
static void test_queue_chains_voices(void)
{
    struct speech *sp = fx.sp;
    said();
    static const struct {
        enum lang lang;
        const char *text;
    } PART[] = {{LANG_FR, "Choisissez votre langue. Pour le français, appuyez sur 1."},
                {LANG_NL, "Kies uw taal. Voor Nederlands, druk op 2."},
                {LANG_EN, "Choose your language. For English, press 3."}};
    /* each sentence alone first: how much sound it makes */
    struct speech_stats st0, st;
    uint64_t alone = 0;
    for (int i = 0; i < 3; i++) {
        speech_stats(sp, &st0);
        speech_say(sp, PART[i].lang, PART[i].text);
        CHECK_INT(speech_wait(sp, 30000), 0);
        speech_stats(sp, &st);
        alone += st.samples - st0.samples;
    }
    said();
    speech_stats(sp, &st0);
    speech_say(sp, PART[0].lang, PART[0].text);
    speech_queue(sp, PART[1].lang, PART[1].text);
    speech_queue(sp, PART[2].lang, PART[2].text);
    CHECK_INT(speech_wait(sp, 30000), 0);
    speech_stats(sp, &st);
    CHECK_INT(st.utterances - st0.utterances, 1); /* one chain, heard to its end */
    CHECK_INT(st.interrupted - st0.interrupted, 0);
    /* every part said whole, each in its voice (espeak-ng's joins differ by a few samples) */
    uint64_t chain = st.samples - st0.samples;
    CHECK(chain > alone - alone / 100 && chain < alone + alone / 100);
    const char *want = "fr\tChoisissez votre langue. Pour le français, appuyez sur 1.\n"
                       "nl+\tKies uw taal. Voor Nederlands, druk op 2.\n"
                       "en+\tChoose your language. For English, press 3.\n";
    CHECK(!strcmp(said(), want));
    speech_repeat(sp);
    CHECK_INT(speech_wait(sp, 30000), 0);
    CHECK(!strcmp(said(), want));
    /* queued after silence: said at once, alone */
    speech_queue(sp, LANG_NL, "Nederlands");
    CHECK_INT(speech_wait(sp, 30000), 0);
    CHECK(!strcmp(said(), "nl\tNederlands\n"));
    /* a new sentence cuts the chain: the parts not yet said never are */
    speech_stats(sp, &st0);
    char *t = malloc(4000);
    t[0] = '\0';
    for (int i = 0; i < 400; i++)
        strcat(t, "projet ");
    speech_say(sp, LANG_FR, t);
    speech_queue(sp, LANG_EN, t);
    SDL_Delay(20);
    speech_say(sp, LANG_EN, "Yes.");
    CHECK_INT(speech_wait(sp, 20000), 0);
    speech_stats(sp, &st);
    CHECK_INT(st.interrupted - st0.interrupted, 1);
    CHECK_INT(st.utterances - st0.utterances, 1);
    /* four hundred words twice would be minutes of sound */
    CHECK(st.samples - st0.samples < (uint64_t)st.sample_rate * 60);
    free(t);
    said();
}

static void test_transcript_refused_outside_tests(void)
{
    struct speech_config cfg = {.transcript = stderr, .transcript_allowed = false};
    struct speech *sp = NULL;
    struct err e = {0};
    CHECK_INT(speech_open(&sp, &cfg, &e), ERR_USAGE);
    CHECK(sp == NULL);
    CHECK(strstr(e.msg, "tests and demonstrations only") != NULL);
}

static char *long_text(size_t words)
{
    char *s = malloc(words * 8 + 1);
    s[0] = '\0';
    for (size_t i = 0; i < words; i++)
        strcat(s, "projet ");
    return s;
}

static void test_interrupt_and_stop(void)
{
    struct speech *sp = fx.sp;
    struct speech_stats st0, st;
    speech_stats(sp, &st0);
    char *t = long_text(400);
    speech_say(sp, LANG_FR, t);
    SDL_Delay(100); /* the long text is being synthesised */
    speech_say(sp, LANG_FR, "Oui.");
    CHECK_INT(speech_wait(sp, 20000), 0);
    speech_stats(sp, &st);
    CHECK_INT(st.interrupted - st0.interrupted, 1); /* the long text never played out */
    CHECK_INT(st.utterances - st0.utterances, 1);   /* "Oui." did */
    /* Four hundred words take minutes; stopped, the synthesis ends within a chunk. */
    uint64_t samples = st.samples;
    speech_say(sp, LANG_FR, t);
    speech_stop(sp);
    CHECK_INT(speech_wait(sp, 5000), 0);
    speech_stats(sp, &st);
    CHECK(st.samples - samples < (uint64_t)st.sample_rate * 5);
    CHECK_INT(st.utterances - st0.utterances, 1); /* stopped: not counted as heard */
    free(t);
    said();
}

static void test_long_text_cut_at_a_word(void)
{
    struct speech *sp = fx.sp;
    said();
    char *t = long_text(SPEECH_TEXT_MAX / 7 + 50);
    speech_say(sp, LANG_EN, t);
    speech_stop(sp);
    speech_wait(sp, 5000);
    const char *line = said();
    size_t len = strlen(line);
    CHECK(len <= SPEECH_TEXT_MAX + 4);
    CHECK(len > 4 && line[len - 2] == 't'); /* "…projet\n": whole words only */
    free(t);
}

static void test_rate_volume_limits(void)
{
    struct speech *sp = fx.sp;
    CHECK_INT(speech_rate_step(sp, 1), SPEECH_RATE_DEFAULT + SPEECH_RATE_STEP);
    CHECK_INT(speech_rate_step(sp, 100), SPEECH_RATE_MAX);
    CHECK_INT(speech_rate_step(sp, -100), SPEECH_RATE_MIN);
    CHECK_INT(speech_volume_step(sp, -1), SPEECH_VOLUME_DEFAULT - SPEECH_VOLUME_STEP);
    CHECK_INT(speech_volume_step(sp, 100), SPEECH_VOLUME_MAX);
    CHECK_INT(speech_volume_step(sp, -100), SPEECH_VOLUME_MIN);
    speech_rate_step(sp, (SPEECH_RATE_DEFAULT - SPEECH_RATE_MIN) / SPEECH_RATE_STEP);
    speech_volume_step(sp, (SPEECH_VOLUME_DEFAULT - SPEECH_VOLUME_MIN) / SPEECH_VOLUME_STEP);
}

static void test_keypad_layout(void)
{
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_8), KP_UP);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_2), KP_DOWN);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_4), KP_LEFT);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_6), KP_RIGHT);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_5), KP_SELECT);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_ENTER), KP_SELECT);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_0), KP_HELP);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_PERIOD), KP_REPEAT);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_PLUS), KP_VOLUME_UP);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_MINUS), KP_VOLUME_DOWN);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_MULTIPLY), KP_RATE_UP);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_DIVIDE), KP_RATE_DOWN);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_9), KP_SCREEN);
    CHECK_INT(keypad_action(SDL_SCANCODE_KP_7), KP_SPEECH);
    CHECK_INT(keypad_action(SDL_SCANCODE_A), KP_NONE);
    CHECK_INT(keypad_action(SDL_SCANCODE_8), KP_NONE); /* the top row is not the voter's pad */
    CHECK_INT(keypad_digit(SDL_SCANCODE_KP_0), '0');
    CHECK_INT(keypad_digit(SDL_SCANCODE_KP_7), '7');
    CHECK_INT(keypad_digit(SDL_SCANCODE_0), '0');
    CHECK_INT(keypad_digit(SDL_SCANCODE_3), '3');
    CHECK_INT(keypad_digit(SDL_SCANCODE_KP_ENTER), 0);
    CHECK(!strcmp(keypad_action_name(KP_SELECT), "select"));
    CHECK(!strcmp(keypad_action_name((enum keypad_action)99), "none"));
}

int main(void)
{
    RUN(test_keypad_layout);
    RUN(test_transcript_refused_outside_tests);

    setenv("SDL_AUDIODRIVER", "dummy", 1);
    fx.transcript = open_memstream(&fx.buf, &fx.len);
    struct speech_config cfg = {
        .audio = true, .transcript = fx.transcript, .transcript_allowed = true};
    struct err e = {0};
    if (speech_open(&fx.sp, &cfg, &e) != 0) {
        fprintf(stderr, "speech_open: %s\n", e.msg);
        return 1;
    }
    RUN(test_three_voices);
    RUN(test_queue_chains_voices);
    RUN(test_interrupt_and_stop);
    RUN(test_long_text_cut_at_a_word);
    RUN(test_rate_volume_limits);
    speech_close(fx.sp);
    fclose(fx.transcript);
    free(fx.buf);
    return check_done();
}
