/*
 * speech_bench — how soon a voter hears something after a key press: the time from
 * speech_say to the first chunk of sound queued to the audio device, for typical kiosk
 * sentences in French, Dutch and English, each said after interrupting the previous one (as a
 * voter moving through a list does). Prints p50, p95 and the worst case in milliseconds.
 *
 *   SDL_AUDIODRIVER=dummy ./speech_bench [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>

#include <SDL.h>

#include "speech.h"

static const char *const SENTENCES[LANG_COUNT][4] = {
    [LANG_FR] = {"Projet 3 sur 12 : un jardin partagé au parc Josaphat. 45 000 euros. Choisi.",
                 "Il vous reste 20 000 euros. Appuyez sur 5 pour choisir ce projet.",
                 "Votre vote est enregistré. Votre code de suivi est : K 7 F 2, 9 Q X 4.",
                 "Aide : 8 et 2 pour passer d'un projet à l'autre, 5 pour choisir."},
    [LANG_NL] = {"Project 3 van 12: een gedeelde tuin in het Josaphatpark. 45 000 euro. Gekozen.",
                 "U hebt nog 20 000 euro. Druk op 5 om dit project te kiezen.",
                 "Uw stem is opgenomen. Uw volgcode is: K 7 F 2, 9 Q X 4.",
                 "Hulp: 8 en 2 om van project te wisselen, 5 om te kiezen."},
    [LANG_EN] = {"Project 3 of 12: a shared garden in Josaphat park. 45,000 euros. Chosen.",
                 "You have 20,000 euros left. Press 5 to choose this project.",
                 "Your vote is recorded. Your tracking code is: K 7 F 2, 9 Q X 4.",
                 "Help: 8 and 2 move between projects, 5 chooses."},
};

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 25;
    if (rounds < 1)
        rounds = 1;
    struct speech_config cfg = {.audio = true};
    struct speech *sp;
    struct err e = {0};
    if (speech_open(&sp, &cfg, &e) != 0) {
        fprintf(stderr, "speech_bench: %s\n", e.msg);
        return 1;
    }
    size_t n = (size_t)rounds * LANG_COUNT * 4, k = 0;
    uint64_t *us = calloc(n, sizeof *us);
    for (int r = 0; r < rounds; r++)
        for (int l = 0; l < LANG_COUNT; l++)
            for (int s = 0; s < 4; s++) {
                speech_say(sp, (enum lang)l, SENTENCES[l][s]);
                /* Wait for the first chunk only, then interrupt, as a voter pressing on does. */
                struct speech_stats st;
                uint64_t before;
                speech_stats(sp, &st);
                before = st.samples;
                for (int spin = 0; spin < 2000; spin++) {
                    speech_stats(sp, &st);
                    if (st.samples != before)
                        break;
                    SDL_Delay(1);
                }
                us[k++] = st.last_first_chunk_us;
            }
    speech_stop(sp);
    speech_wait(sp, 5000);
    speech_close(sp);
    qsort(us, k, sizeof *us, cmp);
    printf("speech: first sound after a key, %zu sentences (fr/nl/en): p50 %.1f ms, p95 %.1f ms, "
           "max %.1f ms\n",
           k, us[k / 2] / 1000.0, us[k * 95 / 100] / 1000.0, us[k - 1] / 1000.0);
    free(us);
    return 0;
}
