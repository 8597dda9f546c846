/* The container's I/O as seen by the shim: the CRI log writer and the stdio copies. */
#ifndef SHIM_LOGIO_H
#define SHIM_LOGIO_H

#include <stddef.h>

/* Longest log record payload; a longer line becomes P records and a final F. */
#define LOG_LINE_MAX 16384

/* One output stream of the container (a pipe, or the pty master as stdout). */
struct out_stream {
    int fd;             /* -1 once closed */
    int echo_fd;        /* attach: the shim's stdout or stderr, else -1 */
    const char *name;   /* "stdout" or "stderr" */
    size_t len;         /* bytes of an unfinished line held in `line` */
    char line[LOG_LINE_MAX];
};

/* Copies the shim's stdin to the container's stdin (a pipe, or the pty master). */
struct in_pump {
    int src, dst;       /* -1 once closed */
    int close_dst_at_eof; /* a pipe gets EOF; a pty master stays open */
    size_t off, len;
    char buf[4096];
};

/* Opens the CRI log (O_APPEND|O_CREAT, 0640); fails on error. Without a path, no log. */
void log_open(const char *path);
/* Reopens the log at the same path (log rotation); a failure is reported on stderr and
 * the old file kept. */
void log_reopen(void);

/* Reads once from the stream and logs/echoes what came. Returns 1 after data, 0 at EOF
 * (the stream is then finished and closed), -1 when nothing was ready (EAGAIN). */
int stream_pump(struct out_stream *s);
/* Logs an unfinished line as a final F record and closes the stream. */
void stream_finish(struct out_stream *s);

/* The poll events each end of the pump waits for (0 when it waits for nothing). */
short in_pump_src_events(const struct in_pump *p);
short in_pump_dst_events(const struct in_pump *p);
/* Moves data when poll reported src readable or dst writable. */
void in_pump_run(struct in_pump *p);
void in_pump_close(struct in_pump *p);

#endif
