/* station_cast — casting through the station, and the truth about a cast that failed or that
 * a stop cut off: FILE.cast says a cast is under way, the journal (journal_find) says what it
 * holds of it. Also the count of voters enabled (FILE.enables). See station.h. */
#include "station_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal_find.h"

int station_record_open(const char *path, int *fd, char text[RECORD_LEN + 1], struct err *e)
{
    text[0] = '\0';
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (*fd < 0)
        return err_errno(e, "cannot open %s", path);
    ssize_t n = pread(*fd, text, RECORD_LEN, 0);
    text[n > 0 ? n : 0] = '\0';
    return 0;
}

int station_record_put(int fd, const char *path, const char *text, struct err *e)
{
    char line[RECORD_LEN];
    memset(line, ' ', sizeof line);
    size_t n = strlen(text);
    memcpy(line, text, n < RECORD_LEN - 1 ? n : RECORD_LEN - 1);
    line[RECORD_LEN - 1] = '\n';
    if (pwrite(fd, line, RECORD_LEN, 0) != RECORD_LEN || fdatasync(fd) != 0)
        return err_errno(e, "cannot write %s", path);
    return 0;
}

/* What the journal holds of a cast that began after row `before`: reopens the journal (its
 * connection may be in any state after a failure) and looks. Sets the officials' note. */
int station_settle(struct station *c, uint64_t before, bool restart, char *tracking, size_t size)
{
    struct err e = {0};
    int rc = 0;
    if (!restart) {
        journal_close(c->j);
        c->j = NULL;
        rc = journal_open(c->journal_path, c->el, c->package_hash, c->key, &c->j, &e);
    }
    struct journal_found f;
    int found =
        rc ? rc : journal_find_last_ballot(c->journal_path, c->el, c->package_hash, before, &f, &e);
    c->note_code[0] = '\0';
    if (found < 0) {
        fprintf(stderr, "isoloir-kiosk: cannot tell whether the last ballot is recorded: %s\n",
                e.msg);
        c->note = restart ? M_NOTE_RESTART_UNK : M_NOTE_UNKNOWN;
        return CAST_UNKNOWN; /* FILE.cast keeps the question for the next start */
    }
    if (found == 1) { /* FILE.cast is cleared once the voter has seen the code */
        snprintf(c->note_code, sizeof c->note_code, "%s", f.tracking);
        snprintf(tracking, size, "%s", f.tracking);
        c->note = restart ? M_NOTE_RESTART_REC : M_NOTE_RECORDED_ERR;
        return CAST_RECORDED;
    }
    char cp[4200];
    station_state_path(c, ".cast", cp, sizeof cp);
    if (station_record_put(c->cast_fd, cp, "isoloir-cast idle", &e))
        fprintf(stderr, "isoloir-kiosk: %s\n", e.msg);
    c->note = restart ? M_NOTE_RESTART_NOT : M_NOTE_NOT_RECORDED;
    return CAST_NOT_RECORDED;
}

int station_interrupted(struct station *c, char *tracking, size_t size)
{
    tracking[0] = '\0';
    if (c->interrupted == CAST_RECORDED)
        snprintf(tracking, size, "%s", c->note_code);
    return c->interrupted;
}

void station_cast_seen(struct station *c)
{
    char p[4200];
    struct err e = {0};
    station_state_path(c, ".cast", p, sizeof p);
    if (c->cast_fd >= 0 && station_record_put(c->cast_fd, p, "isoloir-cast idle", &e))
        fprintf(stderr, "isoloir-kiosk: %s\n", e.msg);
}

uint64_t station_enables(const struct station *c)
{
    return c->enables;
}

int station_enable(struct station *c, enum lang lang, char *out, size_t size)
{
    char text[RECORD_LEN], p[4200];
    struct err e = {0};
    station_state_path(c, ".enables", p, sizeof p);
    snprintf(text, sizeof text, "isoloir-enables %llu", (unsigned long long)c->enables + 1);
    if (station_record_put(c->enables_fd, p, text, &e)) {
        fprintf(stderr, "isoloir-kiosk: %s\n", e.msg);
        snprintf(out, size, "%s", msg(M_ENABLE_FAILED, lang));
        return ERR_IO;
    }
    c->enables++;
    return 0;
}

int station_cast(struct station *c, const struct vote *v, const uint8_t *token_hash, char *tracking,
                 size_t size, struct err *e)
{
    tracking[0] = '\0';
    if (!c->j) {
        err_set(e, ERR_IO, "the journal cannot be read");
        return CAST_NOT_RECORDED;
    }
    /* first on disk: a cast begins after this row (a stop from here on is found at start) */
    struct journal_status st;
    journal_status(c->j, &st);
    char mark[RECORD_LEN], p[4200];
    station_state_path(c, ".cast", p, sizeof p);
    snprintf(mark, sizeof mark, "isoloir-cast after %llu", (unsigned long long)st.last_seq);
    if (station_record_put(c->cast_fd, p, mark, e))
        return CAST_NOT_RECORDED; /* nothing was written to the journal */
    char code[TRACKING_TEXT_MAX];
    int rc = journal_cast(c->j, v, token_hash, code, e);
    if (!rc) {
        /* FILE.cast stays "after N" until the voter has seen the code (station_cast_seen): a
         * stop before that is found at the next start, which shows the code */
        snprintf(tracking, size, "%s", code);
        c->note = 0;
        return CAST_RECORDED;
    }
    /* the cast failed, perhaps after the row reached the file: the journal says which */
    fprintf(stderr, "isoloir-kiosk: a cast failed: %s\n", e->msg);
    return station_settle(c, st.last_seq, false, tracking, size);
}
