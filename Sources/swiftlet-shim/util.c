#define _GNU_SOURCE
#include "util.h"

#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void default_fatal(const char *message) {
    char line[1100];
    int n = snprintf(line, sizeof line, "swiftlet-shim: %s\n", message);
    if (n > 0) (void)write_all(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    _exit(1);
}

static fatal_handler current_handler = default_fatal;

void set_fatal_handler(fatal_handler handler) { current_handler = handler; }

static __attribute__((noreturn)) void fail_message(const char *message) {
    current_handler(message);
    _exit(1); /* handlers do not return; this keeps the promise if one does */
}

static void vformat(char *buf, size_t size, int err, const char *detail, const char *fmt,
                    va_list ap) {
    size_t n = 0;
    int w = vsnprintf(buf, size, fmt, ap);
    if (w > 0) n = (size_t)w < size ? (size_t)w : size - 1;
    if (err != 0 && n < size) {
        w = snprintf(buf + n, size - n, ": %s", strerror(err));
        if (w > 0) n += (size_t)w < size - n ? (size_t)w : size - n - 1;
    }
    if (detail && *detail && n < size) snprintf(buf + n, size - n, " (%s)", detail);
}

void fail(const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vformat(buf, sizeof buf, 0, NULL, fmt, ap);
    va_end(ap);
    fail_message(buf);
}

void fail_errno(const char *fmt, ...) {
    int err = errno;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vformat(buf, sizeof buf, err, NULL, fmt, ap);
    va_end(ap);
    fail_message(buf);
}

void fail_detail(int err, const char *detail, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vformat(buf, sizeof buf, err, detail, fmt, ap);
    va_end(ap);
    fail_message(buf);
}

void warn_errno(const char *fmt, ...) {
    int err = errno;
    char buf[1024];
    memcpy(buf, "swiftlet-shim: ", 15);
    va_list ap;
    va_start(ap, fmt);
    vformat(buf + 15, sizeof buf - 16, err, NULL, fmt, ap);
    va_end(ap);
    size_t n = strlen(buf);
    buf[n++] = '\n';
    (void)write_all(2, buf, n);
}

int write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t w = RETRY(write(fd, p, len));
        if (w < 0) {
            if (errno != EAGAIN) return -1;
            /* A non-blocking fd (e.g. an inherited terminal): wait until it drains. */
            struct pollfd pfd = {.fd = fd, .events = POLLOUT};
            if (RETRY(poll(&pfd, 1, -1)) < 0) return -1;
            continue;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

char *read_all(int fd, size_t limit, size_t *len) {
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= limit) {
                free(buf);
                errno = EFBIG;
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t r = RETRY(read(fd, buf + n, cap - n - 1));
        if (r < 0) {
            int err = errno;
            free(buf);
            errno = err;
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t size) {
    int fd = RETRY(openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd < 0) return -1;
    size_t n = 0;
    while (n + 1 < size) {
        ssize_t r = RETRY(read(fd, buf + n, size - n - 1));
        if (r < 0) {
            int err = errno;
            close(fd);
            errno = err;
            return -1;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    close(fd);
    return (ssize_t)n;
}

int write_file_at(int dirfd, const char *path, const char *data, size_t len) {
    int fd = RETRY(openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY));
    if (fd < 0) return -1;
    int rc = write_all(fd, data, len);
    int err = errno;
    if (close(fd) < 0 && rc == 0) return -1;
    errno = err;
    return rc;
}

int write_file_atomic(int dirfd, const char *name, const char *data, size_t len) {
    char tmp[256];
    snprintf(tmp, sizeof tmp, ".%s.tmp", name);
    int fd = RETRY(openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (fd < 0) return -1;
    if (write_all(fd, data, len) < 0) {
        int err = errno;
        close(fd);
        unlinkat(dirfd, tmp, 0);
        errno = err;
        return -1;
    }
    if (close(fd) < 0 || RETRY(renameat(dirfd, tmp, dirfd, name)) < 0) {
        int err = errno;
        unlinkat(dirfd, tmp, 0);
        errno = err;
        return -1;
    }
    return 0;
}

static char *put_digits(char *p, unsigned long value, int width) {
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + value % 10);
        value /= 10;
    }
    return p + width;
}

/* UTC calendar date of a day count since 1970-01-01 (proleptic Gregorian, in 400-year
 * eras of 146097 days). Done here rather than with gmtime_r, which drags glibc's time
 * zone code into every log record. */
static void civil_from_days(long days, long *year, unsigned *month, unsigned *day) {
    days += 719468; /* days from 0000-03-01 to 1970-01-01 */
    long era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned long doe = (unsigned long)(days - era * 146097);               /* [0, 146096] */
    unsigned long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    unsigned long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            /* [0, 365], from March */
    unsigned long mp = (5 * doy + 2) / 153;                                 /* [0, 11], March = 0 */
    *day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *year = (long)yoe + era * 400 + (*month <= 2);
}

size_t format_rfc3339(char *out, const struct timespec *ts) {
    long days = (long)(ts->tv_sec / 86400), secs = (long)(ts->tv_sec % 86400);
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    long year;
    unsigned month, day;
    civil_from_days(days, &year, &month, &day);
    char *p = out;
    p = put_digits(p, (unsigned long)year % 10000, 4);
    *p++ = '-';
    p = put_digits(p, month, 2);
    *p++ = '-';
    p = put_digits(p, day, 2);
    *p++ = 'T';
    p = put_digits(p, (unsigned long)secs / 3600, 2);
    *p++ = ':';
    p = put_digits(p, (unsigned long)secs / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, (unsigned long)secs % 60, 2);
    *p++ = '.';
    p = put_digits(p, (unsigned long)ts->tv_nsec, 9);
    *p++ = 'Z';
    *p = '\0';
    return RFC3339_LEN;
}

void now_rfc3339(char *out) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    format_rfc3339(out, &ts);
}

void *xmalloc(size_t size) {
    void *p = malloc(size);
    if (!p) fail("out of memory");
    return p;
}

void *xrealloc(void *ptr, size_t size) {
    void *p = realloc(ptr, size);
    if (!p) fail("out of memory");
    return p;
}
