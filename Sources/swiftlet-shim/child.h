/* The container side of clone3: applies the plan and execve()s. */
#ifndef SHIM_CHILD_H
#define SHIM_CHILD_H

#include <linux/filter.h>
#include <sys/ioctl.h>

#include "plan.h"

/* Everything the parent prepared for the child before clone3. */
struct child_ctx {
    const struct plan *plan;
    int error_fd;   /* CLOEXEC write end: a setup failure is written here, exec closes it */
    int sync_fd;    /* read end: one byte once the parent wrote id maps and oom_score_adj */
    int tty_socket; /* tty: the child sends the pty master through this (SCM_RIGHTS) */
    int stdin_fd, stdout_fd, stderr_fd; /* without tty */
    int cap_last;   /* /proc/sys/kernel/cap_last_cap, read on the host */
    const struct sock_fprog *seccomp; /* NULL without `seccomp` */
    const struct winsize *winsize;    /* tty: initial size, or NULL */
};

/* Runs in the new process after clone3; never returns. A failure is reported on
 * error_fd and the process exits with 127. */
__attribute__((noreturn)) void child_main(const struct child_ctx *ctx);

#endif
