/* swiftlet-shim: the parent of one container (docs/shim-plan.md).
 *
 * Reads the setup plan on fd 3, prepares what must be opened on the host, clone3()s the
 * container into its cgroup and namespaces, reports `ok PID` or `error MESSAGE` on fd 4,
 * then stays as the container's parent: copies its output to the CRI log, turns signals
 * into a graceful stop, reaps it and records how it ended in the state directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "logio.h"
#include "mounts.h"
#include "plan.h"
#include "util.h"

#define PLAN_FD 3
#define READY_FD 4
#define PLAN_LIMIT (16u << 20)

static struct plan plan;
static int ready_fd = READY_FD; /* -1 once the one readiness line is written */
static int container_pidfd = -1;
static int cgroup_fd = -1;

static void kill_and_reap_container(void) {
    if (container_pidfd < 0) return;
    siginfo_t info;
    pidfd_send_signal(container_pidfd, SIGKILL, NULL, 0);
    RETRY(waitid(P_PIDFD, (id_t)container_pidfd, &info, WEXITED));
    container_pidfd = -1;
}

/* Until `ok` is written, a failure is the one `error` line on fd 4 and exit status 1. */
static void report_setup_error(const char *message) {
    kill_and_reap_container();
    char line[1100];
    int n = snprintf(line, sizeof line, "error %s\n", message);
    if (n > 0 && (size_t)n >= sizeof line) {
        n = (int)sizeof line - 1;
        line[n - 1] = '\n';
    }
    if (ready_fd >= 0 && n > 0) (void)write_all(ready_fd, line, (size_t)n);
    _exit(1);
}

static void kill_container(void);

/* After `ok` nothing is expected to fail; if it does, say so and leave no container. */
static void report_runtime_error(const char *message) {
    char line[1100];
    int n = snprintf(line, sizeof line, "swiftlet-shim %s: %s\n", plan.id, message);
    if (n > 0) (void)write_all(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    kill_container();
    kill_and_reap_container();
    _exit(1);
}

/* CVE-2019-5736: a container that execs /proc/self/exe (directly or as a script's
 * interpreter) while our child is still the shim runs the shim's own file, which it
 * could later reopen for writing through /proc/PID/exe. Running from a read-only mount
 * makes that reopen fail with EROFS, so the shim refuses to run from anything else;
 * swiftlet starts it through a detached read-only clone of its file (Shim.swift). */
static void require_readonly_mount(void) {
    struct statfs fs;
    if (RETRY(statfs("/proc/self/exe", &fs)) < 0) fail_errno("statfs /proc/self/exe");
    if (!(fs.f_flags & ST_RDONLY))
        fail("swiftlet-shim must be started from a read-only mount of its file (CVE-2019-5736)");
}

static void read_seccomp(const char *path, struct sock_fprog *prog) {
    int fd = RETRY(open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd < 0) fail_errno("open seccomp %s", path);
    size_t len;
    char *buf = read_all(fd, (BPF_MAXINSNS + 1) * sizeof(struct sock_filter), &len);
    if (!buf) fail_errno("read seccomp %s", path);
    close(fd);
    if (len == 0 || len % sizeof(struct sock_filter) != 0 || len / sizeof(struct sock_filter) > BPF_MAXINSNS)
        fail("seccomp %s: %zu bytes is not a BPF program of 1 to %d instructions", path, len, BPF_MAXINSNS);
    prog->len = (unsigned short)(len / sizeof(struct sock_filter));
    prog->filter = (struct sock_filter *)buf;
}

static int read_cap_last_cap(void) {
    char buf[32];
    if (read_file_at(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", buf, sizeof buf) < 0)
        fail_errno("read /proc/sys/kernel/cap_last_cap");
    int last = atoi(buf);
    return last < 0 ? 0 : last > 63 ? 63 : last;
}

/* Joins the namespaces named by `joinns`, except user and cgroup (the child's). The shim
 * joins them itself, before clone3: pid and time namespaces only apply to children, and
 * a namespace owned by the host's user namespace cannot be joined from a new one. */
static void join_namespaces(void) {
    /* Every path is opened before any setns: after joining a mount namespace, paths
     * resolve in the container's file system (and /proc/PID there is another pid's). */
    for (size_t i = 0; i < plan.njoins; i++) {
        struct ns_join *j = &plan.joins[i];
        j->fd = RETRY(open(j->path, O_RDONLY | O_CLOEXEC | O_NOCTTY));
        if (j->fd < 0) fail_errno("open namespace %s", j->path);
    }
    /* The mount namespace last: joining it changes root and cwd. */
    for (int mnt = 0; mnt <= 1; mnt++) {
        for (size_t i = 0; i < plan.njoins; i++) {
            struct ns_join *j = &plan.joins[i];
            /* user and cgroup are joined by the child (child.c): cgroup only once
             * CLONE_INTO_CGROUP has put it in its cgroup, since from inside the namespace
             * (nsdelegate) the shim's own cgroup is out of reach and the move is refused. */
            if (j->nstype == CLONE_NEWUSER || j->nstype == CLONE_NEWCGROUP || (j->nstype == CLONE_NEWNS) != mnt) continue;
            if (RETRY(setns(j->fd, j->nstype)) < 0) fail_errno("setns %s %s", namespace_name(j->nstype), j->path);
            close(j->fd);
            j->fd = -1;
        }
    }
}

/* What the parent sets in /proc/PID before the child goes on. oom_score_adj is written
 * here rather than by the child: the child is not dumpable, so in a user namespace its
 * own /proc/self files belong to the host's root and are closed to it. */
static void write_proc_settings(pid_t pid) {
    char path[64];
    if (plan.has_oom_score_adj) {
        char value[16];
        int n = snprintf(value, sizeof value, "%d", plan.oom_score_adj);
        snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int)pid);
        if (write_file_at(AT_FDCWD, path, value, (size_t)n) < 0) fail_errno("write %s", path);
    }
    if (!(plan.clone_flags & CLONE_NEWUSER)) return;
    snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
    if (write_file_at(AT_FDCWD, path, plan.uid_map, strlen(plan.uid_map)) < 0) fail_errno("write %s", path);
    snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
    if (write_file_at(AT_FDCWD, path, plan.gid_map, strlen(plan.gid_map)) < 0) fail_errno("write %s", path);
}

static const char *signal_name(int sig) {
    return sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : sig == SIGUSR1 ? "SIGUSR1" : "a signal";
}

/* Waits for the child to exec (its error pipe closes empty) or to report a failure.
 * A stop request meanwhile aborts the start. */
static void wait_for_exec(int error_fd, int signal_fd) {
    char message[1024];
    size_t n = 0;
    for (;;) {
        struct pollfd fds[2] = {{.fd = error_fd, .events = POLLIN}, {.fd = signal_fd, .events = POLLIN}};
        if (RETRY(poll(fds, 2, -1)) < 0) fail_errno("poll");
        if (fds[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (RETRY(read(signal_fd, &si, sizeof si)) == (ssize_t)sizeof si)
                if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT || si.ssi_signo == SIGUSR1)
                    fail("container start interrupted by %s", signal_name((int)si.ssi_signo));
        }
        if (fds[0].revents) {
            char scratch[256];
            int room = n < sizeof message - 1;
            ssize_t r = RETRY(read(error_fd, room ? message + n : scratch,
                                   room ? sizeof message - 1 - n : sizeof scratch));
            if (r < 0) fail_errno("read the container's setup result");
            if (r == 0) break;
            if (room) n += (size_t)r;
        }
    }
    close(error_fd);
    while (n > 0 && message[n - 1] == '\n') n--;
    message[n] = '\0';
    if (n > 0) fail("%s", message);
}

static int receive_terminal(int sock) {
    char control[CMSG_SPACE(sizeof(int))], byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = sizeof control};
    if (RETRY(recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) < 0)
        fail_errno("receive the container's terminal");
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
        fail("receive the container's terminal: no file descriptor");
    int fd;
    memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
    close(sock);
    return fd;
}

/* Stop handling in the supervision loop. */
static int timer_fd = -1, term_sent, killed, deadline_set;
static struct timespec deadline;

static void kill_container(void) {
    if (killed) return;
    killed = 1;
    if (cgroup_fd >= 0 && write_file_at(cgroup_fd, "cgroup.kill", "1", 1) < 0) {
        /* Kernels before 5.14 have no cgroup.kill: SIGKILL every member instead. */
        char procs[65536];
        if (read_file_at(cgroup_fd, "cgroup.procs", procs, sizeof procs) >= 0) {
            for (char *s = procs, *end; *s; s = end) {
                long pid = strtol(s, &end, 10);
                if (end == s) break;
                if (pid > 0) kill((pid_t)pid, SIGKILL);
            }
        }
    }
    pidfd_send_signal(container_pidfd, SIGKILL, NULL, 0);
}

/* SIGTERM to the container; after `grace` seconds, kill everything in its cgroup. A
 * later request may only shorten the deadline. */
static void request_stop(unsigned grace) {
    if (!term_sent) {
        term_sent = 1;
        pidfd_send_signal(container_pidfd, SIGTERM, NULL, 0);
    }
    if (grace == 0) {
        kill_container();
        return;
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct timespec when = {.tv_sec = now.tv_sec + (time_t)grace, .tv_nsec = now.tv_nsec};
    if (deadline_set && (when.tv_sec > deadline.tv_sec ||
                         (when.tv_sec == deadline.tv_sec && when.tv_nsec >= deadline.tv_nsec)))
        return;
    deadline = when;
    deadline_set = 1;
    struct itimerspec spec = {.it_value = when};
    if (timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &spec, NULL) < 0) fail_errno("arm the grace timer");
}

static void handle_signals(int signal_fd) {
    struct signalfd_siginfo si;
    while (RETRY(read(signal_fd, &si, sizeof si)) == (ssize_t)sizeof si) {
        switch (si.ssi_signo) {
        case SIGTERM:
        case SIGINT:
            /* sigqueue/pidfd_send_signal with SI_QUEUE may carry the grace period. */
            request_stop(si.ssi_code == SI_QUEUE && si.ssi_int >= 0 ? (unsigned)si.ssi_int
                                                                     : plan.grace_seconds);
            break;
        case SIGUSR1:
            kill_container();
            break;
        case SIGHUP:
            log_reopen();
            break;
        default: /* SIGCHLD: the pidfd reports the exit */
            break;
        }
    }
}

static int oom_killed(void) {
    char buf[1024];
    if (cgroup_fd < 0 || read_file_at(cgroup_fd, "memory.events", buf, sizeof buf) < 0) return 0;
    for (char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
        if (strncmp(line, "oom_kill ", 9) == 0) return atol(line + 9) > 0;
    return 0;
}

/* Copies output and stdin and handles signals until the container has exited, then
 * drains what its output pipes still hold. Returns the wait status. */
static siginfo_t supervise(struct out_stream *streams, size_t nstreams, struct in_pump *pump,
                           int signal_fd, int tty_master) {
    siginfo_t status;
    for (;;) {
        struct pollfd fds[8];
        struct out_stream *who[8];
        size_t n = 0;
        for (size_t i = 0; i < nstreams; i++)
            if (streams[i].fd >= 0) {
                who[n] = &streams[i];
                fds[n++] = (struct pollfd){.fd = streams[i].fd, .events = POLLIN};
            }
        size_t first_fixed = n;
        fds[n++] = (struct pollfd){.fd = in_pump_src_events(pump) ? pump->src : -1, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = in_pump_dst_events(pump) ? pump->dst : -1, .events = POLLOUT};
        fds[n++] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = timer_fd, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = container_pidfd, .events = POLLIN};
        if (RETRY(poll(fds, n, -1)) < 0) fail_errno("poll");

        for (size_t i = 0; i < first_fixed; i++)
            if (fds[i].revents && stream_pump(who[i]) == 0 && fds[i].fd == tty_master)
                pump->dst = -1; /* the pty master is closed with its stream */
        if (fds[first_fixed].revents || fds[first_fixed + 1].revents) in_pump_run(pump);
        if (fds[first_fixed + 2].revents) handle_signals(signal_fd);
        if (fds[first_fixed + 3].revents) {
            uint64_t expirations;
            RETRY(read(timer_fd, &expirations, sizeof expirations));
            kill_container();
        }
        if (fds[first_fixed + 4].revents) {
            if (RETRY(waitid(P_PIDFD, (id_t)container_pidfd, &status, WEXITED)) < 0) fail_errno("waitid");
            break;
        }
    }
    /* With a pid namespace every process of the container is gone by now, so the pipes
     * hold all there is; without one, a straggler keeping them open is not waited for. */
    for (size_t i = 0; i < nstreams; i++) {
        while (streams[i].fd >= 0 && stream_pump(&streams[i]) == 1) {}
        stream_finish(&streams[i]);
    }
    if (pump->dst == tty_master) pump->dst = -1;
    in_pump_close(pump);
    return status;
}

/* The shim's code and constants are private read-only file mappings, resident in full
 * because a page fault maps 64 KiB around the faulting page. Once the container runs,
 * most of it (the setup) is not needed again: dropping those pages from this process
 * (they stay in the shared page cache) keeps only what the supervision loop touches in
 * its RSS. Only the mappings holding this function and a constant with no relocation are
 * dropped: neither is ever written, unlike relocated data (RELRO) whose changes would
 * be lost. */
static const char rodata_marker[] = "swiftlet-shim";

static void release_setup_code(void) {
    char maps[4096];
    int fd = RETRY(open("/proc/self/maps", O_RDONLY | O_CLOEXEC));
    if (fd < 0) return;
    ssize_t n = RETRY(read(fd, maps, sizeof maps - 1));
    close(fd);
    if (n <= 0) return;
    maps[n] = '\0';
    const uintptr_t code = (uintptr_t)&release_setup_code, constants = (uintptr_t)rodata_marker;
    for (char *line = maps; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        char *end;
        uintptr_t start = (uintptr_t)strtoull(line, &end, 16);
        if (*end != '-') break;
        uintptr_t stop = (uintptr_t)strtoull(end + 1, &end, 16);
        int holds = (code >= start && code < stop) || (constants >= start && constants < stop);
        if (holds && end[0] == ' ' && end[1] == 'r' && end[2] != 'w' && end[4] == 'p')
            madvise((void *)start, stop - start, MADV_DONTNEED);
    }
}

static void set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) fail_errno("fcntl O_NONBLOCK");
}

/* Only fds 0-4 are ours: whatever else the caller leaked is closed, and a closed fd 0-2
 * (which a pipe would reuse, and dup2 then clobber) becomes /dev/null. */
static void check_inherited_fds(void) {
    (void)close_range(READY_FD + 1, ~0U, 0);
    struct stat st;
    if (fstat(READY_FD, &st) < 0) fail("fd 4 (the readiness pipe) is not open");
    set_fatal_handler(report_setup_error);
    if (fstat(PLAN_FD, &st) < 0) fail("fd 3 (the plan) is not open");
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && RETRY(open("/dev/null", O_RDWR | O_NOCTTY)) != fd)
            fail_errno("open /dev/null as fd %d", fd);
}

/* Signals are read from a signalfd; blocked before clone so none is lost. An ignored
 * signal would never reach the signalfd, so the caller's SIG_IGN is undone first. */
static int block_handled_signals(void) {
    sigset_t handled;
    sigemptyset(&handled);
    const int signals[] = {SIGTERM, SIGINT, SIGUSR1, SIGHUP, SIGCHLD};
    for (size_t i = 0; i < sizeof signals / sizeof *signals; i++) {
        signal(signals[i], SIG_DFL);
        sigaddset(&handled, signals[i]);
    }
    if (sigprocmask(SIG_BLOCK, &handled, NULL) < 0) fail_errno("sigprocmask");
    int fd = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0) fail_errno("signalfd");
    signal(SIGPIPE, SIG_IGN); /* a closed attach stdout is an EPIPE, not the shim's death */
    return fd;
}

/* The shim's ends of the pipes to the child, and the child's ends it closes after clone. */
struct channels {
    int error_read, sync_write, tty_socket;
    int out_read, err_read, in_write;
    int child_ends[7];
};

static void make_channels(struct channels *ch, struct child_ctx *ctx, int devnull) {
    int error_pipe[2], out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, in_pipe[2] = {-1, -1};
    int sync_pipe[2] = {-1, -1}, tty_pair[2] = {-1, -1};
    static struct winsize winsize;
    if (pipe2(error_pipe, O_CLOEXEC) < 0) fail_errno("pipe");
    ctx->error_fd = error_pipe[1];
    ctx->stdin_fd = devnull;
    if (plan.tty) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, tty_pair) < 0) fail_errno("socketpair");
        ctx->tty_socket = tty_pair[1];
        if (plan.attach && ioctl(0, TIOCGWINSZ, &winsize) == 0) ctx->winsize = &winsize;
    } else {
        if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) fail_errno("pipe");
        ctx->stdout_fd = out_pipe[1];
        ctx->stderr_fd = err_pipe[1];
        set_nonblocking(out_pipe[0]);
        set_nonblocking(err_pipe[0]);
        if (plan.attach && plan.keep_stdin) {
            if (pipe2(in_pipe, O_CLOEXEC) < 0) fail_errno("pipe");
            ctx->stdin_fd = in_pipe[0];
            set_nonblocking(in_pipe[1]);
        }
    }
    if ((plan.clone_flags & CLONE_NEWUSER) || plan.has_oom_score_adj) {
        if (pipe2(sync_pipe, O_CLOEXEC) < 0) fail_errno("pipe");
        ctx->sync_fd = sync_pipe[0];
    }
    *ch = (struct channels){
        .error_read = error_pipe[0], .sync_write = sync_pipe[1], .tty_socket = tty_pair[0],
        .out_read = out_pipe[0], .err_read = err_pipe[0], .in_write = in_pipe[1],
        .child_ends = {error_pipe[1], out_pipe[1], err_pipe[1], in_pipe[0], sync_pipe[0], tty_pair[1], devnull},
    };
}

static pid_t start_container(const struct child_ctx *ctx) {
    struct clone_args args = {
        .flags = plan.clone_flags | CLONE_PIDFD | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
        .pidfd = (uint64_t)(uintptr_t)&container_pidfd,
        .exit_signal = SIGCHLD,
        .cgroup = cgroup_fd >= 0 ? (uint64_t)cgroup_fd : 0,
    };
    pid_t pid = (pid_t)RETRY(syscall(SYS_clone3, &args, sizeof args));
    if (pid < 0) {
        container_pidfd = -1;
        if (plan.cgroup_dir) fail_errno("clone3 into cgroup %s", plan.cgroup_dir);
        fail_errno("clone3");
    }
    if (pid == 0) child_main(ctx);
    return pid;
}

/* state/pid first, so that whoever reads `ok` finds it. */
static void report_ready(pid_t pid, int state_fd) {
    char started[RFC3339_LEN + 1], report[128];
    now_rfc3339(started);
    if (state_fd >= 0) {
        int n = snprintf(report, sizeof report, "pid %d\nshim %d\nstarted %s\n", (int)pid, (int)getpid(), started);
        if (write_file_atomic(state_fd, "pid", report, (size_t)n) < 0) fail_errno("write %s/pid", plan.state_dir);
    }
    int n = snprintf(report, sizeof report, "ok %d\n", (int)pid);
    if (write_all(ready_fd, report, (size_t)n) < 0) fail_errno("write the readiness report");
    close(ready_fd);
    ready_fd = -1;
    set_fatal_handler(report_runtime_error);
}

/* Writes state/exit and returns the shim's exit status: the container's. */
static int record_exit(const siginfo_t *status, int state_fd) {
    int sig = status->si_code == CLD_EXITED ? 0 : status->si_status;
    int code = sig ? 128 + sig : status->si_status;
    char finished[RFC3339_LEN + 1], report[160];
    now_rfc3339(finished);
    if (state_fd >= 0) {
        int n = snprintf(report, sizeof report, "code %d\nsignal %d\noom %d\nfinished %s\n", code, sig,
                         oom_killed(), finished);
        if (write_file_atomic(state_fd, "exit", report, (size_t)n) < 0)
            warn_errno("write %s/exit", plan.state_dir);
    }
    return code;
}

int main(void) {
    check_inherited_fds();
    require_readonly_mount();
    /* Started through /proc/self/fd/N (see Shim.swift), the kernel names us "N". */
    if (prctl(PR_SET_NAME, "swiftlet-shim", 0, 0, 0) < 0) fail_errno("prctl PR_SET_NAME");
    /* Not dumpable: no /proc/PID/exe, mem or fd access to the shim for other processes
     * without CAP_SYS_PTRACE; the child inherits this until its execve. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) fail_errno("prctl PR_SET_DUMPABLE");

    size_t plan_len;
    char *text = read_all(PLAN_FD, PLAN_LIMIT, &plan_len);
    if (!text) fail_errno("read the plan from fd 3");
    close(PLAN_FD);
    plan_parse(text, plan_len, &plan);
    int signal_fd = block_handled_signals();

    int devnull = RETRY(open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY));
    if (devnull < 0) fail_errno("open /dev/null");
    if (!plan.attach) {
        /* Detached: outlive the caller, holding none of its terminals or pipes. */
        for (int fd = 0; fd < 3; fd++)
            if (RETRY(dup2(devnull, fd)) < 0) fail_errno("dup2 /dev/null to fd %d", fd);
        if (setsid() < 0 && errno != EPERM) fail_errno("setsid");
    }

    /* Everything opened on the host is opened now, before any namespace changes. */
    int state_fd = -1;
    if (plan.state_dir) {
        state_fd = RETRY(open(plan.state_dir, O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (state_fd < 0) fail_errno("open state directory %s", plan.state_dir);
    }
    log_open(plan.log_path);
    if (plan.cgroup_dir) {
        cgroup_fd = RETRY(open(plan.cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (cgroup_fd < 0) fail_errno("open cgroup %s", plan.cgroup_dir);
    }
    struct sock_fprog seccomp = {0};
    if (plan.seccomp_path) read_seccomp(plan.seccomp_path, &seccomp);
    mounts_prepare_binds(&plan);

    struct child_ctx ctx = {
        .plan = &plan,
        .sync_fd = -1,
        .tty_socket = -1,
        .cap_last = plan.has_caps ? read_cap_last_cap() : 0,
        .seccomp = plan.seccomp_path ? &seccomp : NULL,
    };
    struct channels ch;
    make_channels(&ch, &ctx, devnull);
    join_namespaces();
    pid_t pid = start_container(&ctx);

    for (size_t i = 0; i < sizeof ch.child_ends / sizeof *ch.child_ends; i++)
        if (ch.child_ends[i] >= 0) close(ch.child_ends[i]);
    mounts_close_binds(&plan);
    for (size_t i = 0; i < plan.njoins; i++)
        if (plan.joins[i].fd >= 0) close(plan.joins[i].fd);
    free(seccomp.filter);

    if (ch.sync_write >= 0) {
        write_proc_settings(pid);
        if (write_all(ch.sync_write, "g", 1) < 0) fail_errno("signal the container to continue");
        close(ch.sync_write);
    }
    wait_for_exec(ch.error_read, signal_fd);
    int tty_master = plan.tty ? receive_terminal(ch.tty_socket) : -1;
    report_ready(pid, state_fd);
    release_setup_code();

    timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (timer_fd < 0) fail_errno("timerfd_create");
    static struct out_stream streams[2];
    size_t nstreams = 1;
    int echo = plan.attach;
    if (plan.tty) {
        streams[0] = (struct out_stream){.fd = tty_master, .echo_fd = echo ? 1 : -1, .name = "stdout"};
    } else {
        streams[0] = (struct out_stream){.fd = ch.out_read, .echo_fd = echo ? 1 : -1, .name = "stdout"};
        streams[1] = (struct out_stream){.fd = ch.err_read, .echo_fd = echo ? 2 : -1, .name = "stderr"};
        nstreams = 2;
    }
    static struct in_pump pump;
    pump.src = pump.dst = -1;
    if (plan.attach && plan.keep_stdin) {
        pump.src = 0;
        pump.dst = plan.tty ? tty_master : ch.in_write;
        pump.close_dst_at_eof = !plan.tty;
    }
    siginfo_t status = supervise(streams, nstreams, &pump, signal_fd, tty_master);
    container_pidfd = -1; /* reaped */
    return record_exit(&status, state_fd);
}
