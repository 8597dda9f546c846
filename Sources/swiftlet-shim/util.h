/* Shared helpers of swiftlet-shim: EINTR retry, fatal errors, whole-buffer I/O, time. */
#ifndef SHIM_UTIL_H
#define SHIM_UTIL_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Evaluates a system call, repeating it while it fails with EINTR; yields its result. */
#define RETRY(expr)                                                        \
    ({                                                                     \
        __typeof__(expr) retry_result_;                                    \
        do retry_result_ = (expr);                                         \
        while (retry_result_ == -1 && errno == EINTR);                     \
        retry_result_;                                                     \
    })

/* Where a fatal message goes. The parent reports it on the readiness fd, the child on
 * its error pipe; both then exit. The handler must not return. */
typedef void (*fatal_handler)(const char *message);
void set_fatal_handler(fatal_handler handler);

/* Reports a formatted message through the fatal handler. */
__attribute__((noreturn, format(printf, 1, 2))) void fail(const char *fmt, ...);
/* Like fail, appending ": <strerror(errno)>": `fail_errno("mount %s on %s", type, dest)`. */
__attribute__((noreturn, format(printf, 1, 2))) void fail_errno(const char *fmt, ...);
/* Like fail_errno with an explicit errno and an optional detail appended in parentheses. */
__attribute__((noreturn, format(printf, 3, 4))) void
fail_detail(int err, const char *detail, const char *fmt, ...);
/* A non-fatal diagnostic on stderr ("swiftlet-shim: ...: <strerror(errno)>"). */
__attribute__((format(printf, 1, 2))) void warn_errno(const char *fmt, ...);

/* Writes all of buf (waiting when fd is non-blocking); 0, or -1 with errno. */
int write_all(int fd, const void *buf, size_t len);
/* Reads fd to EOF into a NUL-terminated heap buffer; NULL with errno (EFBIG past limit). */
char *read_all(int fd, size_t limit, size_t *len);
/* Reads a small file relative to dirfd into buf (NUL-terminated); length or -1 with errno. */
ssize_t read_file_at(int dirfd, const char *path, char *buf, size_t size);
/* Writes data to an existing file relative to dirfd (no creation); 0 or -1 with errno. */
int write_file_at(int dirfd, const char *path, const char *data, size_t len);
/* Replaces dirfd/name atomically (temporary file, then rename); 0 or -1 with errno. */
int write_file_atomic(int dirfd, const char *name, const char *data, size_t len);

/* Formats ts as RFC 3339 UTC with nanoseconds ("2026-01-02T03:04:05.123456789Z").
 * out must hold at least RFC3339_LEN + 1 bytes. Returns RFC3339_LEN. */
#define RFC3339_LEN 30
size_t format_rfc3339(char *out, const struct timespec *ts);
/* The current wall-clock time, RFC 3339 formatted into out. */
void now_rfc3339(char *out);

void *xmalloc(size_t size);
void *xrealloc(void *ptr, size_t size);

#endif
