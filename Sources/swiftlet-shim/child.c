#define _GNU_SOURCE
#include "child.h"

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mounts.h"
#include "util.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int error_fd = -1;

/* The child's fatal handler: the parent forwards this text as `error <message>`. */
static void report_to_parent(const char *message) {
    (void)write_all(error_fd, message, strlen(message));
    _exit(127);
}

/* Step 1. The parent joined every other namespace before clone3 (see main.c); a user
 * namespace is joined here so the rest runs with its root's privileges. The parent
 * writes the id maps and oom_score_adj, then lets the child go on. */
static void enter_user_namespace(const struct child_ctx *c) {
    const struct plan *p = c->plan;
    int in_user_ns = (p->clone_flags & CLONE_NEWUSER) != 0;
    for (size_t i = 0; i < p->njoins; i++) {
        if (p->joins[i].nstype != CLONE_NEWUSER) continue;
        if (RETRY(setns(p->joins[i].fd, CLONE_NEWUSER)) < 0) fail_errno("setns user %s", p->joins[i].path);
        in_user_ns = 1;
    }
    if (c->sync_fd >= 0) {
        char go;
        if (RETRY(read(c->sync_fd, &go, 1)) != 1) _exit(127); /* the parent is gone */
        close(c->sync_fd);
    }
    if (in_user_ns) {
        /* Become the namespace's root so setup has its full privileges. */
        if (setresgid(0, 0, 0) < 0) fail_errno("setresgid 0 in the user namespace");
        if (setresuid(0, 0, 0) < 0) fail_errno("setresuid 0 in the user namespace");
    }
    /* A joined cgroup namespace: now that the child is in its cgroup (see main.c). */
    for (size_t i = 0; i < p->njoins; i++)
        if (p->joins[i].nstype == CLONE_NEWCGROUP && RETRY(setns(p->joins[i].fd, CLONE_NEWCGROUP)) < 0)
            fail_errno("setns cgroup %s", p->joins[i].path);
}

static void bring_loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) fail_errno("bring lo up: socket");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (RETRY(ioctl(s, SIOCGIFFLAGS, &ifr)) < 0) fail_errno("bring lo up");
    ifr.ifr_flags |= IFF_UP;
    if (RETRY(ioctl(s, SIOCSIFFLAGS, &ifr)) < 0) fail_errno("bring lo up");
    close(s);
}

/* Allocates the terminal from the container's own devpts (so ttyname works inside),
 * hands the master to the parent and returns the slave. */
static int open_terminal(const struct child_ctx *c) {
    int master = RETRY(open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (master < 0) fail_errno("open /dev/pts/ptmx");
    struct statfs sfs;
    if (fstatfs(master, &sfs) < 0) fail_errno("statfs /dev/pts/ptmx");
    if (sfs.f_type != DEVPTS_SUPER_MAGIC) fail("open /dev/pts/ptmx: /dev/pts is not a devpts mount");
    int unlock = 0;
    if (RETRY(ioctl(master, TIOCSPTLCK, &unlock)) < 0) fail_errno("unlock /dev/pts/ptmx");
    int slave = RETRY(ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (slave < 0) fail_errno("open the terminal of /dev/pts/ptmx");
    if (c->winsize && RETRY(ioctl(slave, TIOCSWINSZ, c->winsize)) < 0) fail_errno("set terminal size");

    char control[CMSG_SPACE(sizeof(int))];
    memset(control, 0, sizeof control);
    char byte = 't';
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = sizeof control};
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
    if (RETRY(sendmsg(c->tty_socket, &msg, MSG_NOSIGNAL)) < 0) fail_errno("send the terminal to the shim");
    close(master);
    close(c->tty_socket);
    return slave;
}

/* Step 7 (end): a session of its own (never the caller's terminal), then stdio. */
static void setup_stdio(const struct child_ctx *c) {
    if (setsid() < 0) fail_errno("setsid");
    if (c->plan->tty) {
        int slave = open_terminal(c);
        if (RETRY(ioctl(slave, TIOCSCTTY, 0)) < 0) fail_errno("make the terminal controlling");
        for (int fd = 0; fd < 3; fd++)
            if (RETRY(dup2(slave, fd)) < 0) fail_errno("dup2 terminal to fd %d", fd);
        if (slave > 2) close(slave);
        return;
    }
    const int from[3] = {c->stdin_fd, c->stdout_fd, c->stderr_fd};
    for (int fd = 0; fd < 3; fd++)
        if (RETRY(dup2(from[fd], fd)) < 0) fail_errno("dup2 stdio fd %d", fd);
}

static void capset_masks(uint64_t effective, uint64_t permitted, uint64_t inheritable) {
    struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2] = {
        {(uint32_t)effective, (uint32_t)permitted, (uint32_t)inheritable},
        {(uint32_t)(effective >> 32), (uint32_t)(permitted >> 32), (uint32_t)(inheritable >> 32)},
    };
    if (RETRY(syscall(SYS_capset, &header, data)) < 0) fail_errno("capset");
}

/* Step 8. Returns whether CAP_SYS_ADMIN was kept for loading seccomp, which must then be
 * dropped by a final capset: without no_new_privs the kernel only lets a process holding
 * CAP_SYS_ADMIN install a filter. */
static int drop_privileges(const struct child_ctx *c) {
    const struct plan *p = c->plan;
    if (p->has_caps) {
        for (int cap = 0; cap <= c->cap_last; cap++)
            if (!(p->cap_bounding & (1ULL << cap)) && RETRY(prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)) < 0)
                fail_errno("drop capability %d from the bounding set", cap);
    }
    if (setgroups(p->ngroups, p->groups) < 0) fail_errno("setgroups");
    if (p->has_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail_errno("prctl keep capabilities");
    if (p->has_user) {
        if (setresgid(p->gid, p->gid, p->gid) < 0) fail_errno("setresgid %u", (unsigned)p->gid);
        if (setresuid(p->uid, p->uid, p->uid) < 0) fail_errno("setresuid %u", (unsigned)p->uid);
    }
    int keep_admin = 0;
    if (p->has_caps) {
        const uint64_t admin = 1ULL << CAP_SYS_ADMIN;
        keep_admin = c->seccomp && !p->no_new_privs && !(p->cap_effective & admin);
        uint64_t extra = keep_admin ? admin : 0;
        capset_masks(p->cap_effective | extra, p->cap_permitted | extra, p->cap_inheritable);
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) fail_errno("clear ambient capabilities");
        for (int cap = 0; cap <= c->cap_last; cap++)
            if ((p->cap_ambient & (1ULL << cap)) &&
                prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
                fail_errno("raise ambient capability %d", cap);
    }
    if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail_errno("prctl no_new_privs");
    return keep_admin;
}

/* Step 9: nothing from the shim may reach the container (CVE-2024-21626 leaked a cgroup
 * directory fd and used it as cwd), and cwd must be inside the new root. */
static void close_fds_and_chdir(const struct child_ctx *c) {
    unsigned keep = (unsigned)c->error_fd;
    if (keep > 3 && close_range(3, keep - 1, 0) < 0) fail_errno("close_range");
    if (close_range(keep + 1, ~0U, 0) < 0) fail_errno("close_range");
    const char *cwd = c->plan->cwd ? c->plan->cwd : "/";
    if (chdir(cwd) < 0) fail_errno("chdir %s", cwd);
    /* The raw syscall: glibc's getcwd hides the "(unreachable)" answer behind ENOENT. */
    char buf[PATH_MAX];
    if (RETRY(syscall(SYS_getcwd, buf, sizeof buf)) < 0) fail_errno("getcwd after chdir %s", cwd);
    if (buf[0] != '/' || strncmp(buf, "(unreachable)", 13) == 0)
        fail("chdir %s: the working directory is outside the container's root", cwd);
}

static const char *env_path(const struct plan *p) {
    for (size_t i = 0; i < p->nenv; i++)
        if (strncmp(p->env[i], "PATH=", 5) == 0) return p->env[i] + 5;
    return DEFAULT_PATH;
}

/* Step 10: execve, looking a bare name up in the container's PATH like execvp. */
__attribute__((noreturn)) static void exec_container(const struct plan *p) {
    static char *const no_env[] = {NULL};
    char *const *envp = p->env ? p->env : no_env;
    const char *file = p->argv[0];
    if (strchr(file, '/')) {
        execve(file, p->argv, envp);
        fail_errno("exec %s", file);
    }
    const char *path = env_path(p);
    int denied = 0;
    for (const char *dir = path;;) {
        const char *end = strchrnul(dir, ':');
        char candidate[PATH_MAX];
        int n = end == dir ? snprintf(candidate, sizeof candidate, "%s", file)
                           : snprintf(candidate, sizeof candidate, "%.*s/%s", (int)(end - dir), dir, file);
        if (n > 0 && (size_t)n < sizeof candidate) {
            execve(candidate, p->argv, envp);
            if (errno == EACCES) denied = 1;
            else if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG && errno != ELOOP)
                fail_errno("exec %s", candidate);
        }
        if (*end == '\0') break;
        dir = end + 1;
    }
    if (denied) {
        errno = EACCES;
        fail_errno("exec %s", file);
    }
    fail("exec %s: executable file not found in PATH %s", file, path);
}

/* Step 10 for `hold`: pid 1 of a pod's shared pid namespace (upstream's pause). It
 * keeps the namespace alive, reaps the orphans the pod's processes leave to it, and
 * ends on SIGTERM or SIGINT (pid 1 gets no default action for them). */
__attribute__((noreturn)) static void hold_pid_namespace(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) fail_errno("sigprocmask");
    /* What the pod's processes see as pid 1, as under upstream's pause. */
    if (prctl(PR_SET_NAME, "pause", 0, 0, 0) < 0) fail_errno("prctl PR_SET_NAME");
    close(error_fd); /* what execve's close-on-exec does for a container: setup went well */
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) continue;
        if (sig != SIGCHLD) _exit(0);
        while (waitpid(-1, NULL, WNOHANG) > 0) {}
    }
}

void child_main(const struct child_ctx *c) {
    const struct plan *p = c->plan;
    error_fd = c->error_fd;
    set_fatal_handler(report_to_parent);

    /* Die with the shim while setting up; cleared before exec. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) fail_errno("prctl pdeathsig");
    /* The container starts with every signal unblocked and at its default action,
     * whatever the shim or its caller ignored (execve keeps SIG_IGN). */
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) fail_errno("sigprocmask");
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
    umask(0);

    enter_user_namespace(c);
    /* Without a rootfs the plan joined a running container's mount namespace (exec). */
    if (p->rootfs) {
        mounts_setup_rootfs(p);
        mounts_finish(p);
    }
    if (p->hostname && sethostname(p->hostname, strlen(p->hostname)) < 0)
        fail_errno("sethostname %s", p->hostname);
    if (p->loopback_up) bring_loopback_up();

    for (size_t i = 0; i < p->nrlimits; i++)
        if (setrlimit(p->rlimits[i].resource, &p->rlimits[i].limit) < 0)
            fail_errno("setrlimit %s", p->rlimits[i].name);
    setup_stdio(c);

    int keep_admin = drop_privileges(c);
    close_fds_and_chdir(c);
    umask(022);
    if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0) fail_errno("prctl pdeathsig");
    if (c->seccomp) {
        if (RETRY(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, c->seccomp)) < 0)
            fail_errno("load seccomp filter %s", p->seccomp_path);
        if (keep_admin) capset_masks(p->cap_effective, p->cap_permitted, p->cap_inheritable);
    }
    if (p->hold_pid_namespace) hold_pid_namespace();
    exec_container(p);
}
