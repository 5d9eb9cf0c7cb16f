/* The systemd watchdog notification: disabled without $NOTIFY_SOCKET; with it, the exact
 * datagrams READY=1 and WATCHDOG=1 reach the socket (path and abstract), and the interval is
 * half of $WATCHDOG_USEC. */
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "watchdog.h"
#include "util.h"

static int listen_at(const char *name, bool abstract)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un a = {0};
    a.sun_family = AF_UNIX;
    size_t n = strlen(name);
    memcpy(a.sun_path, name, n);
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + !abstract);
    if (abstract)
        a.sun_path[0] = '\0';
    if (bind(fd, (struct sockaddr *)&a, len) != 0) {
        perror("bind");
        exit(2);
    }
    return fd;
}

static void expect(int fd, const char *msg)
{
    char got[64] = {0};
    ssize_t n = recv(fd, got, sizeof got - 1, MSG_DONTWAIT);
    CHECK_INT(n, (long long)strlen(msg));
    CHECK_STR(got, msg);
}

static void test_disabled(void)
{
    unsetenv("NOTIFY_SOCKET");
    struct watchdog w;
    struct err e;
    CHECK_INT(watchdog_open(&w, &e), 0);
    CHECK_INT(w.fd, -1);
    CHECK_INT(watchdog_ready(&w, &e), 0);
    CHECK_INT(watchdog_ping(&w, &e), 0);
    watchdog_close(&w);
}

static void test_path_and_abstract(void)
{
    char path[64];
    snprintf(path, sizeof path, "wd-%d.sock", (int)getpid());
    unlink(path);
    char abs_path[128];
    if (!getcwd(abs_path, sizeof abs_path - 20))
        check_skip("cannot read the working directory");
    strncat(abs_path, "/", sizeof abs_path - strlen(abs_path) - 1);
    strncat(abs_path, path, sizeof abs_path - strlen(abs_path) - 1);
    if (strlen(abs_path) >= 100)
        check_skip("working directory too long for a unix socket path");
    char abstract[64];
    snprintf(abstract, sizeof abstract, "@isoloir-wd-%d", (int)getpid());
    const char *names[2] = {abs_path, abstract};
    for (int i = 0; i < 2; i++) {
        int fd = listen_at(names[i], i == 1);
        setenv("NOTIFY_SOCKET", names[i], 1);
        setenv("WATCHDOG_USEC", "20000000", 1);
        struct watchdog w;
        struct err e;
        CHECK_INT(watchdog_open(&w, &e), 0);
        CHECK_INT(w.interval_ms, 10000);
        CHECK_INT(watchdog_ready(&w, &e), 0);
        CHECK_INT(watchdog_ping(&w, &e), 0);
        expect(fd, "READY=1");
        expect(fd, "WATCHDOG=1");
        watchdog_close(&w);
        close(fd);
    }
    unlink(abs_path);
    setenv("NOTIFY_SOCKET", "relative", 1);
    struct watchdog w;
    struct err e;
    CHECK_INT(watchdog_open(&w, &e), ERR_USAGE);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
}

int main(void)
{
    RUN(test_disabled);
    RUN(test_path_and_abstract);
    return check_done();
}
