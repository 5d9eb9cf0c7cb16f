/*
 * speech — espeak-ng on a worker thread, its chunks queued to SDL audio as they come.
 *
 * One request slot, guarded by `mu`: speech_say writes the text and bumps `want`; the worker
 * synthesises the newest request and sets `done` to its number when it ends. A request is a
 * short list of parts, each with its language (speech_queue appends one): the worker says them
 * in order, switching voice between them, and a newer request cuts the list wherever it is.
 * espeak-ng calls back every chunk (about 50 ms of sound); the callback queues the chunk and asks
 * espeak-ng to stop as soon as a newer request exists, so a key press never waits for an old
 * sentence. espeak-ng is only ever called from the worker once speech_open has returned.
 */
#include "speech.h"

#include <SDL.h>
#include <espeak-ng/espeak_ng.h>
#include <string.h>

/* Length of espeak-ng's chunks: shorter means the first sound comes sooner. */
#define CHUNK_MS 50

struct speech {
    SDL_AudioDeviceID dev; /* 0: no audio output */
    uint32_t sample_rate;
    FILE *transcript;
    SDL_Thread *worker;
    SDL_mutex *mu;
    SDL_cond *cv;

    /* Guarded by mu. */
    char text[SPEECH_PARTS_MAX][SPEECH_TEXT_MAX + 1];
    enum lang lang[SPEECH_PARTS_MAX];
    int nparts;          /* parts of request `want` */
    uint64_t want, done; /* request numbers: the newest asked for, the last one finished */
    uint64_t silenced;   /* speech_stop: requests up to this one are not to be heard */
    bool quit;
    int rate, volume;
    uint64_t said_at; /* performance counter at the newest speech_say */
    struct speech_stats stats;

    /* Worker only. */
    uint64_t speaking; /* the request being synthesised */
    bool first_chunk;
};

static const char *voice_of(enum lang l)
{
    switch (l) {
    case LANG_NL:
        return "nl";
    case LANG_EN:
        return "en";
    default:
        return "fr";
    }
}

static bool superseded(struct speech *sp)
{
    SDL_LockMutex(sp->mu);
    bool newer = sp->quit || sp->want != sp->speaking || sp->silenced >= sp->speaking;
    SDL_UnlockMutex(sp->mu);
    return newer;
}

static int on_chunk(short *wav, int n, espeak_EVENT *ev)
{
    struct speech *sp = NULL;
    for (espeak_EVENT *e = ev; e && !sp; e++) {
        sp = e->user_data;
        if (e->type == espeakEVENT_LIST_TERMINATED)
            break;
    }
    if (!sp)
        return 0;
    if (superseded(sp))
        return 1; /* stop synthesising: a newer text waits */
    if (n <= 0 || !wav)
        return 0;
    if (sp->dev)
        SDL_QueueAudio(sp->dev, wav, (Uint32)n * sizeof *wav);
    SDL_LockMutex(sp->mu);
    sp->stats.samples += (uint64_t)n;
    if (sp->first_chunk) {
        uint64_t ticks = SDL_GetPerformanceCounter() - sp->said_at;
        sp->stats.last_first_chunk_us = ticks * 1000000u / SDL_GetPerformanceFrequency();
        sp->first_chunk = false;
    }
    SDL_UnlockMutex(sp->mu);
    return 0;
}

static int worker(void *arg)
{
    struct speech *sp = arg;
    char *text = SDL_malloc(SPEECH_TEXT_MAX + 1);
    if (!text)
        return -1;
    SDL_LockMutex(sp->mu);
    for (;;) {
        while (!sp->quit && sp->done == sp->want)
            SDL_CondWait(sp->cv, sp->mu);
        if (sp->quit)
            break;
        sp->speaking = sp->want;
        sp->first_chunk = true;
        /* the parts in order; speech_queue may add one while an earlier one is said */
        for (int part = 0; part < sp->nparts && sp->want == sp->speaking &&
                           sp->silenced < sp->speaking && !sp->quit;
             part++) {
            memcpy(text, sp->text[part], SPEECH_TEXT_MAX + 1);
            enum lang lang = sp->lang[part];
            int rate = sp->rate, volume = sp->volume;
            SDL_UnlockMutex(sp->mu);

            espeak_ng_SetVoiceByName(voice_of(lang));
            espeak_ng_SetParameter(espeakRATE, rate, 0);
            espeak_ng_SetParameter(espeakVOLUME, volume, 0);
            espeak_ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                                 NULL, sp);
            SDL_LockMutex(sp->mu);
        }
        if (sp->want == sp->speaking && sp->silenced < sp->speaking)
            sp->stats.utterances++;
        else
            sp->stats.interrupted++;
        sp->done = sp->speaking;
        SDL_CondBroadcast(sp->cv);
    }
    sp->done = sp->want;
    SDL_CondBroadcast(sp->cv);
    SDL_UnlockMutex(sp->mu);
    SDL_free(text);
    return 0;
}

static int open_audio(struct speech *sp, struct err *e)
{
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
        return err_set(e, ERR_IO,
                       "no sound output: %s; plug the headphone amplifier in, or start "
                       "the kiosk without speech",
                       SDL_GetError());
    SDL_AudioSpec want = {0}, have;
    want.freq = (int)sp->sample_rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    sp->dev = SDL_OpenAudioDevice(NULL, 0, &want, &have, 0);
    if (!sp->dev) {
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return err_set(e, ERR_IO,
                       "cannot open the sound output: %s; check the headphone jack "
                       "and the sound settings",
                       SDL_GetError());
    }
    SDL_PauseAudioDevice(sp->dev, 0);
    return 0;
}

int speech_open(struct speech **out, const struct speech_config *cfg, struct err *e)
{
    *out = NULL;
    if (cfg->transcript && !cfg->transcript_allowed)
        return err_set(e, ERR_USAGE,
                       "a speech transcript would record what voters choose: it is "
                       "for tests and demonstrations only");
    struct speech *sp = SDL_calloc(1, sizeof *sp);
    if (!sp)
        return err_set(e, ERR_NOMEM, "out of memory for speech");
    /* The synchronous output of the espeak_ng_ functions: no thread of espeak-ng's own (the
     * older espeak_Initialize starts one that espeak_Terminate can wait on for ever). */
    espeak_ng_InitializePath(cfg->data_path);
    espeak_ng_ERROR_CONTEXT ctx = NULL;
    int sr = 0;
    if (espeak_ng_Initialize(&ctx) == ENS_OK &&
        espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, CHUNK_MS, NULL) == ENS_OK)
        sr = espeak_ng_GetSampleRate();
    espeak_ng_ClearErrorContext(&ctx);
    if (sr <= 0) {
        espeak_ng_Terminate();
        SDL_free(sp);
        return err_set(e, ERR_NOTFOUND,
                       "the speech synthesiser cannot start (no espeak-ng data "
                       "in %s); install the package espeak-ng-data",
                       cfg->data_path ? cfg->data_path : "the system's folder");
    }
    sp->sample_rate = (uint32_t)sr;
    for (int l = 0; l < LANG_COUNT; l++) {
        if (espeak_ng_SetVoiceByName(voice_of((enum lang)l)) != ENS_OK) {
            espeak_ng_Terminate();
            SDL_free(sp);
            return err_set(e, ERR_NOTFOUND,
                           "the espeak-ng voice '%s' is not installed; install "
                           "espeak-ng-data",
                           voice_of((enum lang)l));
        }
    }
    espeak_SetSynthCallback(on_chunk);
    sp->transcript = cfg->transcript;
    sp->rate = SPEECH_RATE_DEFAULT;
    sp->volume = SPEECH_VOLUME_DEFAULT;
    sp->stats.sample_rate = sp->sample_rate;
    int rc = 0;
    if (cfg->audio && (rc = open_audio(sp, e)) < 0)
        goto fail;
    sp->mu = SDL_CreateMutex();
    sp->cv = SDL_CreateCond();
    if (!sp->mu || !sp->cv) {
        rc = err_set(e, ERR_NOMEM, "cannot create the speech lock: %s", SDL_GetError());
        goto fail;
    }
    sp->worker = SDL_CreateThread(worker, "speech", sp);
    if (!sp->worker) {
        rc = err_set(e, ERR_NOMEM, "cannot start the speech thread: %s", SDL_GetError());
        goto fail;
    }
    *out = sp;
    return 0;
fail:
    if (sp->cv)
        SDL_DestroyCond(sp->cv);
    if (sp->mu)
        SDL_DestroyMutex(sp->mu);
    if (sp->dev) {
        SDL_CloseAudioDevice(sp->dev);
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
    espeak_ng_Terminate();
    SDL_free(sp);
    return rc;
}

void speech_close(struct speech *sp)
{
    if (!sp)
        return;
    SDL_LockMutex(sp->mu);
    sp->quit = true;
    SDL_CondBroadcast(sp->cv);
    SDL_UnlockMutex(sp->mu);
    SDL_WaitThread(sp->worker, NULL);
    if (sp->dev) {
        SDL_CloseAudioDevice(sp->dev);
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
    }
    espeak_ng_Terminate();
    SDL_DestroyCond(sp->cv);
    SDL_DestroyMutex(sp->mu);
    SDL_memset(sp->text, 0, sizeof sp->text);
    sp->nparts = 0;
    SDL_free(sp);
}

/* Copies text, cut at the last space before the limit when it is too long. */
static void copy_text(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n > SPEECH_TEXT_MAX) {
        n = SPEECH_TEXT_MAX;
        while (n > 0 && src[n] != ' ')
            n--;
        if (n == 0)
            n = SPEECH_TEXT_MAX;
        /* Never cut a UTF-8 sequence in two. */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Writes part i to the transcript (tests and demonstrations only): a part said after the one
 * before, without cutting it, has a "+" after its language. */
static void transcribe(struct speech *sp, int i)
{
    if (sp->transcript) {
        fprintf(sp->transcript, "%s%s\t%s\n", lang_code(sp->lang[i]), i > 0 ? "+" : "",
                sp->text[i]);
        fflush(sp->transcript);
    }
}

static void request(struct speech *sp)
{
    sp->want++;
    sp->said_at = SDL_GetPerformanceCounter();
    for (int i = 0; i < sp->nparts; i++)
        transcribe(sp, i);
    SDL_CondBroadcast(sp->cv);
}

void speech_say(struct speech *sp, enum lang lang, const char *text)
{
    if (!sp || !text)
        return;
    SDL_LockMutex(sp->mu);
    copy_text(sp->text[0], text);
    sp->lang[0] = lang;
    sp->nparts = 1;
    request(sp);
    SDL_UnlockMutex(sp->mu);
    if (sp->dev)
        SDL_ClearQueuedAudio(sp->dev);
}

void speech_queue(struct speech *sp, enum lang lang, const char *text)
{
    if (!sp || !text)
        return;
    SDL_LockMutex(sp->mu);
    bool idle = sp->done == sp->want || sp->silenced >= sp->want;
    if (idle || sp->nparts >= SPEECH_PARTS_MAX) {
        /* nothing to follow (or the list is full): it starts a request of its own */
        copy_text(sp->text[0], text);
        sp->lang[0] = lang;
        sp->nparts = 1;
        request(sp);
    } else {
        int i = sp->nparts++;
        copy_text(sp->text[i], text);
        sp->lang[i] = lang;
        transcribe(sp, i);
        SDL_CondBroadcast(sp->cv);
    }
    SDL_UnlockMutex(sp->mu);
}

void speech_repeat(struct speech *sp)
{
    if (!sp)
        return;
    SDL_LockMutex(sp->mu);
    if (sp->want > 0)
        request(sp);
    SDL_UnlockMutex(sp->mu);
    if (sp->dev)
        SDL_ClearQueuedAudio(sp->dev);
}

void speech_stop(struct speech *sp)
{
    if (!sp)
        return;
    SDL_LockMutex(sp->mu);
    sp->silenced = sp->want; /* the callback sees it and stops at the next chunk */
    SDL_UnlockMutex(sp->mu);
    if (sp->dev)
        SDL_ClearQueuedAudio(sp->dev);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int speech_rate_step(struct speech *sp, int steps)
{
    SDL_LockMutex(sp->mu);
    sp->rate = clamp(sp->rate + steps * SPEECH_RATE_STEP, SPEECH_RATE_MIN, SPEECH_RATE_MAX);
    int r = sp->rate;
    SDL_UnlockMutex(sp->mu);
    return r;
}

int speech_volume_step(struct speech *sp, int steps)
{
    SDL_LockMutex(sp->mu);
    sp->volume =
        clamp(sp->volume + steps * SPEECH_VOLUME_STEP, SPEECH_VOLUME_MIN, SPEECH_VOLUME_MAX);
    int v = sp->volume;
    SDL_UnlockMutex(sp->mu);
    return v;
}

int speech_wait(struct speech *sp, uint32_t timeout_ms)
{
    uint64_t end = SDL_GetTicks64() + timeout_ms;
    SDL_LockMutex(sp->mu);
    while (sp->done != sp->want) {
        uint64_t now = SDL_GetTicks64();
        if (now >= end)
            break;
        SDL_CondWaitTimeout(sp->cv, sp->mu, (Uint32)(end - now));
    }
    int rc = sp->done == sp->want ? 0 : -1;
    SDL_UnlockMutex(sp->mu);
    return rc;
}

void speech_stats(struct speech *sp, struct speech_stats *out)
{
    SDL_LockMutex(sp->mu);
    *out = sp->stats;
    SDL_UnlockMutex(sp->mu);
}
