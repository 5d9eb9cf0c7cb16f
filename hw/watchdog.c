/*
 * watchdog — sd_notify datagrams to systemd; see watchdog.h.
 *
 * Invariant: a disabled watchdog (fd -1) never touches the system.
 */
#include "watchdog.h"

#include <errno.h>
#include <unistd.h>

#include "util.h"

int watchdog_open(struct watchdog *w, struct err *e)
{
    memset(w, 0, sizeof *w);
    w->fd = -1;
    const char *path = getenv("NOTIFY_SOCKET");
    if (!path || !*path)
        return 0;
    size_t n = strlen(path);
    if ((path[0] != '/' && path[0] != '@') || n >= sizeof w->addr.sun_path)
        return err_set(e, ERR_USAGE, "NOTIFY_SOCKET \"%s\" is not a socket path", path);
    w->addr.sun_family = AF_UNIX;
    memcpy(w->addr.sun_path, path, n);
    if (path[0] == '@')
        w->addr.sun_path[0] = '\0'; /* abstract namespace */
    w->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '/'));
    const char *usec = getenv("WATCHDOG_USEC");
    int64_t v;
    if (usec && util_parse_i64(usec, &v) == 0 && v > 0)
        w->interval_ms = (uint64_t)v / 2000u;
    w->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (w->fd < 0)
        return err_errno(e, "cannot create the systemd notification socket");
    return 0;
}

static int notify(struct watchdog *w, const char *msg, struct err *e)
{
    if (w->fd < 0)
        return 0;
    ssize_t r = sendto(w->fd, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL,
                       (const struct sockaddr *)&w->addr, w->addr_len);
    if (r < 0)
        return err_errno(e, "cannot notify systemd (%s)", msg);
    return 0;
}

int watchdog_ready(struct watchdog *w, struct err *e)
{
    return notify(w, "READY=1", e);
}

int watchdog_ping(struct watchdog *w, struct err *e)
{
    return notify(w, "WATCHDOG=1", e);
}

void watchdog_close(struct watchdog *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
}
