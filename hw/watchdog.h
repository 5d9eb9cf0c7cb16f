/*
 * watchdog — tells systemd the kiosk is alive (the sd_notify protocol, without libsystemd).
 *
 * The appliance runs the kiosk as a Type=notify service with WatchdogSec (firmware/): systemd
 * puts a socket path in $NOTIFY_SOCKET and the interval in $WATCHDOG_USEC; the kiosk sends
 * "READY=1" once its first screen is up, then "WATCHDOG=1" from its main loop at least every
 * half interval. If the loop hangs, systemd kills and restarts the kiosk. Outside systemd
 * (development, tests) there is no $NOTIFY_SOCKET and every call does nothing.
 *
 * Never: block (datagrams, MSG_DONTWAIT), or send anything but the protocol's fixed words.
 */
#ifndef ISOLOIR_WATCHDOG_H
#define ISOLOIR_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "err.h"

struct watchdog {
    int fd; /* -1 when disabled */
    struct sockaddr_un addr;
    socklen_t addr_len;
    uint64_t interval_ms; /* half of $WATCHDOG_USEC, 0 if systemd set no watchdog */
};

/* Reads $NOTIFY_SOCKET ("/path" or "@abstract") and $WATCHDOG_USEC. Without them the watchdog
 * is disabled and every call succeeds. ERR_IO if the socket cannot be created. */
int watchdog_open(struct watchdog *w, struct err *e);
/* "READY=1": the kiosk has started. */
int watchdog_ready(struct watchdog *w, struct err *e);
/* "WATCHDOG=1": the main loop is alive. Call at least every w->interval_ms. */
int watchdog_ping(struct watchdog *w, struct err *e);
void watchdog_close(struct watchdog *w);

#endif
