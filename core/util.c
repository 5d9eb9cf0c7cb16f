/* util — see util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t utf8_first_invalid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) {
            need = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            need = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            need = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return i;
        }
        if (n - i <= need)
            return i;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += need + 1;
    }
    return n;
}

bool utf8_valid(const char *s, size_t n)
{
    return utf8_first_invalid(s, n) == n;
}

size_t utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

char *util_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *util_strdup(const char *s)
{
    return s ? util_strndup(s, strlen(s)) : NULL;
}

int util_parse_i64(const char *s, int64_t *out)
{
    if (!s || !*s)
        return ERR_FORMAT;
    const char *p = s;
    bool neg = false;
    if (*p == '+' || *p == '-')
        neg = (*p++ == '-');
    if (!*p)
        return ERR_FORMAT;
    uint64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return ERR_FORMAT;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return ERR_FORMAT;
        v = v * 10 + d;
    }
    if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
        return ERR_FORMAT;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int util_threads(void)
{
    int64_t n;
    const char *env = getenv("ISOLOIR_THREADS");
    if (env && util_parse_i64(env, &n) == 0 && n >= 1 && n <= UTIL_MAX_THREADS)
        return (int)n;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > UTIL_MAX_THREADS ? UTIL_MAX_THREADS : (int)cores;
}

int util_parse_euro_cents(const char *s, int64_t *cents)
{
    /* Keep digits and separators; drop spaces (incl. U+00A0 and U+202F) and the euro sign.
     * The last '.' or ',' followed by one or two digits is the decimal separator; any other
     * '.', ',' or ''' is a thousands separator. */
    char digits[64];
    size_t nd = 0;
    int dec_pos = -1; /* index in digits where decimals start */
    size_t n = strlen(s);
    int last_sep = -1;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.' || s[i] == ',')
            last_sep = (int)i;
    if (last_sep >= 0) {
        size_t after = 0;
        for (size_t i = (size_t)last_sep + 1; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            after++;
        size_t rest = (size_t)last_sep + 1 + after;
        bool only_tail = true;
        for (size_t i = rest; i < n; i++)
            if (s[i] >= '0' && s[i] <= '9')
                only_tail = false;
        if (!(after >= 1 && after <= 2 && only_tail))
            last_sep = -1;
    }
    bool seen_digit = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9') {
            if (nd + 1 >= sizeof digits)
                return ERR_FORMAT;
            digits[nd++] = (char)c;
            seen_digit = true;
        } else if ((int)i == last_sep) {
            dec_pos = (int)nd;
        } else if (c == '.' || c == ',' || c == '\'' || c == ' ' || c == '\t') {
            if (!seen_digit && c != ' ' && c != '\t')
                return ERR_FORMAT;
        } else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
            i++;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   (unsigned char)s[i + 2] == 0xAF) {
            i += 2;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x82 &&
                   (unsigned char)s[i + 2] == 0xAC) {
            i += 2; /* euro sign */
        } else if (c == '-') {
            return ERR_FORMAT; /* costs are never negative; say so rather than guess */
        } else {
            return ERR_FORMAT;
        }
    }
    if (nd == 0)
        return ERR_FORMAT;
    digits[nd] = '\0';
    size_t ndec = dec_pos >= 0 ? nd - (size_t)dec_pos : 0;
    int64_t v = 0;
    for (size_t i = 0; i < nd; i++) {
        if (v > (INT64_MAX - 9) / 10)
            return ERR_FORMAT;
        v = v * 10 + (digits[i] - '0');
    }
    for (size_t k = ndec; k < 2; k++) {
        if (v > INT64_MAX / 10)
            return ERR_FORMAT;
        v *= 10;
    }
    *cents = v;
    return 0;
}

void util_format_euro(char *out, size_t size, int64_t cents, const char *lang)
{
    bool neg = cents < 0;
    uint64_t v = neg ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    uint64_t whole = v / 100, frac = v % 100;
    bool en = lang && strcmp(lang, "en") == 0;
    bool nl = lang && strcmp(lang, "nl") == 0;
    /* fr: narrow no-break space thousands, comma decimals, sign after.
     * nl: dot thousands, comma decimals, sign before. en: comma thousands, dot decimals. */
    const char *thou = en ? "," : nl ? "." : "\u202F";
    const char *decs = en ? "." : ",";
    char num[64];
    char raw[32];
    snprintf(raw, sizeof raw, "%" PRIu64, whole);
    size_t rl = strlen(raw), o = 0;
    for (size_t i = 0; i < rl; i++) {
        if (i > 0 && (rl - i) % 3 == 0) {
            size_t tl = strlen(thou);
            memcpy(num + o, thou, tl);
            o += tl;
        }
        num[o++] = raw[i];
    }
    num[o] = '\0';
    char tail[8] = "";
    if (frac)
        snprintf(tail, sizeof tail, "%s%02u", decs, (unsigned)frac);
    if (en || nl)
        snprintf(out, size, "%s\u20AC\u00A0%s%s", neg ? "-" : "", num, tail);
    else
        snprintf(out, size, "%s%s%s\u00A0\u20AC", neg ? "-" : "", num, tail);
}

size_t utf8_prefix(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    while (i < n && k > 0) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        k--;
    }
    return i;
}

bool util_wrap_next(const char *s, size_t n, size_t *at, size_t width, size_t *start, size_t *end,
                    bool *cut)
{
    size_t i = *at;
    while (i < n && s[i] == ' ')
        i++;
    if (i >= n) {
        *at = n;
        return false;
    }
    size_t stop = i, fit = i, cols = 0;
    while (stop < n) {
        size_t ws = stop;
        while (ws < n && s[ws] == ' ')
            ws++;
        size_t we = ws;
        while (we < n && s[we] != ' ')
            we++;
        size_t add = utf8_length(s + stop, we - stop);
        if (cols + add > width)
            break;
        cols += add;
        stop = fit = we;
    }
    *cut = fit == i;
    if (*cut) /* one word wider than the line */
        fit = i + utf8_prefix(s + i, n - i, width ? width : 1);
    *start = i;
    *end = *at = fit;
    return true;
}

int util_read_private(const char *path, const char *what, const char *hint, size_t max_len,
                      uint8_t **data, size_t *len, struct err *e)
{
    *data = NULL;
    *len = 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return err_errno(e, "cannot open %s", path);
    if (st.st_mode & 077)
        return err_set(e, ERR_PERM,
                       "%s can be read by other users (mode %04o); %s must be private: run "
                       "\"chmod 600 %s\"%s and check nobody copied it",
                       path, (unsigned)(st.st_mode & 07777), what, path, hint);
    return util_read_file(path, max_len, data, len, e);
}

int util_read_file(const char *path, size_t max_len, uint8_t **data, size_t *len, struct err *e)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_errno(e, "cannot open %s", path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int rc = err_errno(e, "cannot read %s", path);
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return err_set(e, ERR_INVALID, "%s is not a regular file", path);
    }
    if ((uint64_t)st.st_size > max_len) {
        close(fd);
        return err_set(e, ERR_INVALID, "%s is too large (%lld bytes, the limit is %zu)", path,
                       (long long)st.st_size, max_len);
    }
    size_t cap = (size_t)st.st_size;
    uint8_t *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return err_set(e, ERR_NOMEM, "out of memory reading %s", path);
    }
    size_t got = 0;
    for (;;) {
        if (got == cap) {
            /* The file may have grown since fstat; read at most up to the limit. */
            char probe;
            ssize_t r = read(fd, &probe, 1);
            if (r == 0)
                break;
            if (r < 0 && errno == EINTR)
                continue;
            free(buf);
            close(fd);
            if (r < 0)
                return err_errno(e, "cannot read %s", path);
            return err_set(e, ERR_IO, "%s changed while it was being read; try again", path);
        }
        ssize_t r = read(fd, buf + got, cap - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int rc = err_errno(e, "cannot read %s", path);
            free(buf);
            close(fd);
            return rc;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
}

int util_fsync_dir(const char *path, struct err *e)
{
    struct stat st;
    char dir[PATH_MAX];
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(dir, sizeof dir, "%s", path);
    } else {
        char tmp[PATH_MAX];
        snprintf(tmp, sizeof tmp, "%s", path);
        snprintf(dir, sizeof dir, "%s", dirname(tmp));
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return err_errno(e, "cannot open directory %s", dir);
    int rc = 0;
    if (fsync(fd) != 0 && errno != EINVAL)
        rc = err_errno(e, "cannot flush directory %s to disk", dir);
    close(fd);
    return rc;
}

int util_write_durable(const char *path, const void *data, size_t len, unsigned mode, struct err *e)
{
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= sizeof tmp)
        return err_set(e, ERR_USAGE, "path too long: %s", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return err_errno(e, "cannot create a file beside %s", path);
    int rc = 0;
    if (fchmod(fd, (mode_t)mode) != 0) {
        rc = err_errno(e, "cannot set the mode of %s", tmp);
        goto fail_unlink;
    }
    const uint8_t *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            rc = err_errno(e, "cannot write %s", path);
            goto fail_unlink;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0) {
        rc = err_errno(e, "cannot flush %s to disk", path);
        goto fail_unlink;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = err_errno(e, "cannot close %s", path);
        goto fail_unlink;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = err_errno(e, "cannot put %s in place", path);
        goto fail_unlink;
    }
    return util_fsync_dir(path, e);

fail_unlink:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return rc;
}

static const char B32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void b32_encode(char *out, const uint8_t *in, size_t len)
{
    size_t nbits = len * 8, o = 0;
    for (size_t bit = 0; bit < nbits; bit += 5) {
        unsigned v = 0;
        for (size_t k = 0; k < 5; k++) {
            size_t b = bit + k;
            unsigned x = b < nbits ? (in[b / 8] >> (7 - b % 8)) & 1u : 0u;
            v = (v << 1) | x;
        }
        out[o++] = B32[v];
    }
    out[o] = '\0';
}

int b32_value(int c)
{
    if (c >= 'a' && c <= 'z')
        c -= 'a' - 'A';
    if (c == 'O')
        return 0;
    if (c == 'I' || c == 'L')
        return 1;
    for (int i = 0; i < 32; i++)
        if (B32[i] == c)
            return i;
    return -1;
}

char b32_char(unsigned v)
{
    return B32[v & 0x1Fu];
}

char b32_check_char(const char *data, size_t n, unsigned poly)
{
    unsigned r = 0;
    for (size_t i = 0; i <= n; i++) {
        /* Horner: r = r * a + data[i]; the last round (no data) multiplies by a once more */
        r <<= 1;
        if (r & 0x20u)
            r ^= poly;
        r &= 0x1Fu;
        if (i < n) {
            int x = b32_value((unsigned char)data[i]);
            r ^= x < 0 ? 0u : (unsigned)x;
        }
    }
    return B32[r];
}

void hex_encode(char *out, const uint8_t *in, size_t len)
{
    static const char H[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = H[in[i] >> 4];
        out[2 * i + 1] = H[in[i] & 15];
    }
    out[2 * len] = '\0';
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int hex_decode(uint8_t *out, size_t len, const char *hex)
{
    if (strlen(hex) != 2 * len)
        return ERR_FORMAT;
    for (size_t i = 0; i < len; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return ERR_FORMAT;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}
