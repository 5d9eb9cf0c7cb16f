/*
 * speech — spoken guidance for voters who cannot see or read the screen.
 *
 * Text is synthesised by espeak-ng (which ships French, Dutch and English voices) on a worker
 * thread and queued, chunk by chunk, to an SDL audio device (the headphone jack of the stand),
 * so the first sound follows a key press after the first chunk only, not after the whole
 * sentence. A new utterance interrupts the one being spoken: the queued audio is dropped and the
 * synthesis of the old text stops at its next chunk.
 *
 * Every utterance can also be written to a transcript (one line: language code, a tab, the
 * text; "+" after the code for one chained after the one before by speech_queue), so that
 * tests hear what a voter would hear without any audio device.
 *
 * Privacy: the transcript is for tests and demonstrations only. The kiosk never writes one in
 * polling mode (it would record a voter's choices); speech_open refuses a transcript unless the
 * caller says it is a test (`transcript_allowed`).
 *
 * espeak-ng keeps its state in the library and cannot start again once stopped: open speech at
 * most once in a process (the kiosk opens it once, in main; a second speech_open after
 * speech_close may hang inside espeak-ng).
 */
#ifndef ISOLOIR_KIOSK_SPEECH_H
#define ISOLOIR_KIOSK_SPEECH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "election.h"
#include "err.h"

/* Rate in words per minute and volume in percent of espeak-ng's normal loudness. */
#define SPEECH_RATE_MIN       80
#define SPEECH_RATE_DEFAULT   160
#define SPEECH_RATE_MAX       320
#define SPEECH_RATE_STEP      20
#define SPEECH_VOLUME_MIN     10
#define SPEECH_VOLUME_DEFAULT 100
#define SPEECH_VOLUME_MAX     200
#define SPEECH_VOLUME_STEP    10

/* The longest text one utterance may carry; longer texts are cut at a word boundary. */
#define SPEECH_TEXT_MAX 4096
/* The most utterances one speech_say and the speech_queue calls after it may chain. */
#define SPEECH_PARTS_MAX 6

struct speech_config {
    bool audio;              /* open an SDL audio device (false: synthesise, play nothing) */
    FILE *transcript;        /* every utterance appended here, or NULL */
    bool transcript_allowed; /* must be true for a transcript (tests and demos only) */
    const char *data_path;   /* espeak-ng's data folder, or NULL for the system's */
};

struct speech;

/* Opens the synthesiser and, if cfg->audio, the default audio output. Fails with a sentence
 * that says what is missing (no espeak-ng data, a voice not installed, no audio device). */
int speech_open(struct speech **out, const struct speech_config *cfg, struct err *e);

/* Stops speaking, waits for the worker and frees everything (NULL is allowed). */
void speech_close(struct speech *sp);

/* Speaks text in lang, interrupting whatever is being said. Never blocks on synthesis. */
void speech_say(struct speech *sp, enum lang lang, const char *text);

/* Says text in lang after what is being said (or now, when nothing is), without interrupting
 * it: the welcome screen says its sentences each in its own language's voice. A speech_say
 * interrupts the whole chain; each part is a line of its own in the transcript. Past
 * SPEECH_PARTS_MAX parts, the text starts a new chain (interrupting the old one). */
void speech_queue(struct speech *sp, enum lang lang, const char *text);

/* Says the last utterance again, every part of its chain (help key "repeat"). */
void speech_repeat(struct speech *sp);

/* Silence now: the queued audio is dropped. */
void speech_stop(struct speech *sp);

/* Changes rate or volume by steps (negative: slower, quieter), clamped to the limits above;
 * returns the new value. The next utterance uses it. */
int speech_rate_step(struct speech *sp, int steps);
int speech_volume_step(struct speech *sp, int steps);

/* Waits until the current utterance is synthesised (tests, benchmarks); 0 when idle, -1 on
 * timeout. */
int speech_wait(struct speech *sp, uint32_t timeout_ms);

struct speech_stats {
    uint64_t utterances;          /* spoken to their end */
    uint64_t interrupted;         /* cut short by a newer one */
    uint64_t samples;             /* 16-bit mono samples produced */
    uint32_t sample_rate;         /* Hz */
    uint64_t last_first_chunk_us; /* from speech_say to the first audio queued, last utterance */
};
void speech_stats(struct speech *sp, struct speech_stats *out);

#endif
