#define _GNU_SOURCE
#include "logio.h"

#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static const char *log_path;
static int log_fd = -1;
static int log_broken; /* a write failed: said once on stderr, then records are dropped */

/* Records are gathered here and written with one write(2) per read from the container. */
static char records[4 * LOG_LINE_MAX];
static size_t records_len;

void log_open(const char *path) {
    log_path = path;
    if (!path) return;
    log_fd = RETRY(open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640));
    if (log_fd < 0) fail_errno("open log %s", path);
}

void log_reopen(void) {
    if (!log_path) return;
    int fd = RETRY(open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640));
    if (fd < 0) {
        warn_errno("reopen log %s", log_path);
        return;
    }
    close(log_fd);
    log_fd = fd;
    log_broken = 0;
}

static void flush_records(void) {
    if (records_len == 0) return;
    if (log_fd >= 0 && !log_broken && write_all(log_fd, records, records_len) < 0) {
        warn_errno("write log %s", log_path);
        log_broken = 1;
    }
    records_len = 0;
}

/* Appends "<time> <stream> <P|F> <text>\n". */
static void add_record(const char *timestamp, const char *stream, char tag, const char *text,
                       size_t len) {
    if (log_fd < 0) return;
    size_t stream_len = strlen(stream), need = RFC3339_LEN + stream_len + len + 5;
    if (records_len + need > sizeof records) flush_records();
    char *p = records + records_len;
    memcpy(p, timestamp, RFC3339_LEN);
    p += RFC3339_LEN;
    *p++ = ' ';
    memcpy(p, stream, stream_len);
    p += stream_len;
    *p++ = ' ';
    *p++ = tag;
    *p++ = ' ';
    memcpy(p, text, len);
    p += len;
    *p++ = '\n';
    records_len += need;
}

/* Splits data into lines: each completed line is an F record; a line reaching
 * LOG_LINE_MAX with more to come is cut into a P record. */
static void log_data(struct out_stream *s, const char *data, size_t n, const char *timestamp) {
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t chunk = nl ? (size_t)(nl - data) : n;
        while (chunk > 0) {
            if (s->len == LOG_LINE_MAX) {
                add_record(timestamp, s->name, 'P', s->line, s->len);
                s->len = 0;
            }
            size_t take = LOG_LINE_MAX - s->len < chunk ? LOG_LINE_MAX - s->len : chunk;
            memcpy(s->line + s->len, data, take);
            s->len += take;
            data += take;
            n -= take;
            chunk -= take;
        }
        if (nl) {
            add_record(timestamp, s->name, 'F', s->line, s->len);
            s->len = 0;
            data++;
            n--;
        }
    }
}

int stream_pump(struct out_stream *s) {
    static char buf[32768];
    ssize_t r = RETRY(read(s->fd, buf, sizeof buf));
    if (r < 0 && errno == EAGAIN) return -1;
    if (r <= 0) {
        /* EOF, or EIO from a pty master whose terminal was closed by every process. */
        if (r < 0 && errno != EIO) warn_errno("read container %s", s->name);
        stream_finish(s);
        return 0;
    }
    if (s->echo_fd >= 0 && write_all(s->echo_fd, buf, (size_t)r) < 0) s->echo_fd = -1;
    char timestamp[RFC3339_LEN + 1];
    now_rfc3339(timestamp);
    log_data(s, buf, (size_t)r, timestamp);
    flush_records();
    return 1;
}

void stream_finish(struct out_stream *s) {
    if (s->len > 0) {
        char timestamp[RFC3339_LEN + 1];
        now_rfc3339(timestamp);
        add_record(timestamp, s->name, 'F', s->line, s->len);
        s->len = 0;
        flush_records();
    }
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
}

short in_pump_src_events(const struct in_pump *p) {
    return p->src >= 0 && p->dst >= 0 && p->len == 0 ? POLLIN : 0;
}

short in_pump_dst_events(const struct in_pump *p) {
    return p->dst >= 0 && p->len > 0 ? POLLOUT : 0;
}

void in_pump_close(struct in_pump *p) {
    if (p->src >= 0) close(p->src);
    if (p->dst >= 0 && p->close_dst_at_eof) close(p->dst);
    p->src = p->dst = -1;
}

void in_pump_run(struct in_pump *p) {
    if (p->len == 0 && p->src >= 0) {
        ssize_t r = RETRY(read(p->src, p->buf, sizeof p->buf));
        if (r < 0 && errno == EAGAIN) return;
        if (r <= 0) {
            /* The caller closed its stdin: the container's stdin pipe reaches EOF too. */
            in_pump_close(p);
            return;
        }
        p->off = 0;
        p->len = (size_t)r;
    }
    while (p->len > 0 && p->dst >= 0) {
        ssize_t w = RETRY(write(p->dst, p->buf + p->off, p->len));
        if (w < 0) {
            if (errno != EAGAIN) in_pump_close(p); /* EPIPE: the container closed stdin */
            return;
        }
        p->off += (size_t)w;
        p->len -= (size_t)w;
    }
}
