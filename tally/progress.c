/* progress — see progress.h. */
#include "progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, FILE *f, const char *label, uint64_t total)
{
    memset(p, 0, sizeof *p);
    p->f = f;
    p->label = label;
    p->total = total;
    p->on = f && total >= PROGRESS_MIN && isatty(fileno(f));
    p->start = p->last = now_s();
}

static void draw(struct progress *p)
{
    enum { WIDTH = 30 };
    uint64_t done = p->done > p->total ? p->total : p->done;
    int fill = p->total ? (int)(done * WIDTH / p->total) : WIDTH;
    char bar[WIDTH + 1];
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '.', (size_t)(WIDTH - fill));
    bar[WIDTH] = 0;
    double t = p->last - p->start;
    fprintf(p->f, "\r%s [%s] %llu/%llu %3d%% %.0fs ", p->label, bar, (unsigned long long)done,
            (unsigned long long)p->total, p->total ? (int)(done * 100 / p->total) : 100, t);
    fflush(p->f);
}

void progress_step(struct progress *p, uint64_t n)
{
    p->done += n;
    if (!p->on)
        return;
    double t = now_s();
    if (t - p->last < 0.1)
        return;
    p->last = t;
    draw(p);
}

void progress_clear(struct progress *p)
{
    if (!p || !p->on)
        return;
    fprintf(p->f, "\r%*s\r", 78, "");
    fflush(p->f);
    p->last = 0; /* redraw at the next step */
}

void progress_end(struct progress *p)
{
    if (!p->on)
        return;
    fprintf(p->f, "\r%*s\r", 78, "");
    fflush(p->f);
    p->on = false;
}
