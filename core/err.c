/* err — formatting of error values; see err.h. */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, int code, const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
    if (!e)
        return ERR_INTERNAL;
    char head[ERR_MSG_MAX / 2], old[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    size_t hl = strlen(head), ol = strnlen(old, sizeof old - 1);
    if (hl + ol >= sizeof e->msg)
        ol = sizeof e->msg - 1 - hl;
    memcpy(e->msg, head, hl);
    memcpy(e->msg + hl, old, ol);
    e->msg[hl + ol] = '\0';
    return e->code;
}

int err_errno(struct err *e, const char *fmt, ...)
{
    int saved = errno;
    int code = (saved == ENOSPC || saved == EDQUOT)                    ? ERR_FULL
               : (saved == EACCES || saved == EPERM || saved == EROFS) ? ERR_PERM
               : (saved == ENOENT)                                     ? ERR_NOTFOUND
                                                                       : ERR_IO;
    if (!e)
        return code;
    char head[ERR_MSG_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    const char *hint = "";
    if (saved == ENOSPC || saved == EDQUOT)
        hint = " (the disk is full: free some space, then try again)";
    else if (saved == EROFS)
        hint = " (the medium is read-only: use a writable one)";
    else if (saved == EIO)
        hint = " (the device reported an error: check it is still connected)";
    snprintf(e->msg, sizeof e->msg, "%s: %s%s", head, strerror(saved), hint);
    e->code = code;
    return code;
}

void err_clear(struct err *e)
{
    if (e) {
        e->code = 0;
        e->msg[0] = '\0';
    }
}
