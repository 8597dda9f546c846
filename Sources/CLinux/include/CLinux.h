// Thin, inline wrappers for Linux system calls that Swift cannot call well: raw syscalls
// without a glibc wrapper, and variadic functions (prctl, ioctl, fcntl, open with a mode).
// They return what the kernel returns (-1 and errno on failure); LinuxSys adds the
// EINTR retry and the error that names the operation and path.
#ifndef SWIFTLET_CLINUX_H
#define SWIFTLET_CLINUX_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/memfd.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000 /* glibc hides it without _GNU_SOURCE */
#endif
#ifndef O_PATH
#define O_PATH 010000000 /* likewise */
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static inline int swl_errno(void) { return errno; }
static inline void swl_set_errno(int e) { errno = e; }

static inline long swl_clone3(struct clone_args *args) {
    return syscall(SYS_clone3, args, sizeof(*args));
}
static inline int swl_pidfd_open(pid_t pid, unsigned int flags) {
    return (int)syscall(SYS_pidfd_open, pid, flags);
}
static inline int swl_pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags);
}
/// Sends `sig` with an integer payload (si_value), as sigqueue(3) does, through a pidfd.
static inline int swl_pidfd_sigqueue(int pidfd, int sig, int value) {
    siginfo_t info;
    memset(&info, 0, sizeof(info));
    info.si_signo = sig;
    info.si_code = SI_QUEUE;
    info.si_pid = getpid();
    info.si_uid = getuid();
    info.si_value.sival_int = value;
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, &info, 0);
}
static inline int swl_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how;
    memset(&how, 0, sizeof(how));
    how.flags = flags;
    how.mode = mode;
    how.resolve = resolve;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}
static inline int swl_open(const char *path, int flags, mode_t mode) { return open(path, flags, mode); }
static inline int swl_openat(int dirfd, const char *path, int flags, mode_t mode) {
    return openat(dirfd, path, flags, mode);
}
static inline int swl_fsopen(const char *fsname, unsigned int flags) {
    return (int)syscall(SYS_fsopen, fsname, flags);
}
static inline int swl_fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux) {
    return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}
static inline int swl_fsmount(int fd, unsigned int flags, unsigned int attr_flags) {
    return (int)syscall(SYS_fsmount, fd, flags, attr_flags);
}
static inline int swl_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags) {
    return (int)syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags);
}
static inline int swl_mount_setattr(int dirfd, const char *path, unsigned int flags, void *attr, size_t size) {
    return (int)syscall(SYS_mount_setattr, dirfd, path, flags, attr, size);
}
static inline int swl_open_tree(int dirfd, const char *path, unsigned int flags) {
    return (int)syscall(SYS_open_tree, dirfd, path, flags);
}
/// A detached, read-only bind mount of one file: open_tree(CLONE) + mount_setattr(RDONLY).
/// Executing through it makes /proc/PID/exe of the process read-only (CVE-2019-5736).
static inline int swl_readonly_clone(const char *path) {
    int tree = (int)syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0) return -1;
    struct mount_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0) {
        int saved = errno;
        close(tree);
        errno = saved;
        return -1;
    }
    return tree;
}
static inline int swl_pivot_root(const char *new_root, const char *put_old) {
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}
static inline int swl_capget(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d) {
    return (int)syscall(SYS_capget, h, d);
}
static inline int swl_capset(struct __user_cap_header_struct *h, const struct __user_cap_data_struct *d) {
    return (int)syscall(SYS_capset, h, d);
}
static inline int swl_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5) {
    return prctl(option, a2, a3, a4, a5);
}
static inline int swl_seccomp(unsigned int op, unsigned int flags, void *args) {
    return (int)syscall(SYS_seccomp, op, flags, args);
}
static inline int swl_close_range(unsigned int first, unsigned int last, unsigned int flags) {
    return (int)syscall(SYS_close_range, first, last, flags);
}
static inline long swl_bpf(int cmd, union bpf_attr *attr, unsigned int size) {
    return syscall(SYS_bpf, cmd, attr, size);
}
// GNU extensions glibc hides without _GNU_SOURCE (which this header must not define:
// it would make its glibc types differ from those of Swift's Glibc module).
static inline int swl_memfd_create(const char *name, unsigned int flags) {
    return (int)syscall(SYS_memfd_create, name, flags);
}
static inline int swl_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, flags);
}
static inline int swl_unshare(int flags) { return (int)syscall(SYS_unshare, flags); }
static inline int swl_setns(int fd, int nstype) { return (int)syscall(SYS_setns, fd, nstype); }
static inline int swl_pipe2(int fds[2], int flags) { return (int)syscall(SYS_pipe2, fds, flags); }
static inline long swl_getrandom(void *buf, size_t len, unsigned int flags) {
    return syscall(SYS_getrandom, buf, len, flags);
}
/// The file system magic of `path` (statfs' f_type), or -1.
static inline long swl_fs_type(const char *path) {
    struct statfs fs;
    return statfs(path, &fs) == 0 ? (long)fs.f_type : -1;
}
static inline int swl_ioctl_int(int fd, unsigned long request, int value) { return ioctl(fd, request, value); }
static inline int swl_ioctl_ptr(int fd, unsigned long request, void *arg) { return ioctl(fd, request, arg); }
static inline int swl_fcntl_int(int fd, int cmd, int arg) { return fcntl(fd, cmd, arg); }

/// wait(2) status decoding, which glibc only offers as macros.
static inline int swl_wifexited(int s) { return WIFEXITED(s); }
static inline int swl_wexitstatus(int s) { return WEXITSTATUS(s); }
static inline int swl_wifsignaled(int s) { return WIFSIGNALED(s); }
static inline int swl_wtermsig(int s) { return WTERMSIG(s); }

static inline dev_t swl_makedev(unsigned int major, unsigned int minor) { return makedev(major, minor); }
static inline unsigned int swl_major(dev_t d) { return major(d); }
static inline unsigned int swl_minor(dev_t d) { return minor(d); }

// --- bpf(2) commands for cgroup device programs (LinuxSys: DeviceFilter) ---
/// BPF_PROG_LOAD. With a log buffer the verifier's messages land there on failure.
static inline int swl_bpf_prog_load(uint32_t prog_type, const void *insns, uint32_t insn_cnt,
                                    const char *license, char *log_buf, uint32_t log_size,
                                    uint32_t log_level) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_type = prog_type;
    attr.insns = (uint64_t)(uintptr_t)insns;
    attr.insn_cnt = insn_cnt;
    attr.license = (uint64_t)(uintptr_t)license;
    attr.log_buf = (uint64_t)(uintptr_t)log_buf;
    attr.log_size = log_size;
    attr.log_level = log_level;
    return (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}
/// BPF_PROG_ATTACH of `prog_fd` to `target_fd` (a cgroup directory).
static inline int swl_bpf_prog_attach(int target_fd, int prog_fd, uint32_t attach_type, uint32_t flags) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)target_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = attach_type;
    attr.attach_flags = flags;
    return (int)syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr));
}
/// BPF_PROG_DETACH of one program (BPF_F_ALLOW_MULTI attachments need `prog_fd`).
static inline int swl_bpf_prog_detach(int target_fd, int prog_fd, uint32_t attach_type) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.target_fd = (uint32_t)target_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = attach_type;
    return (int)syscall(SYS_bpf, BPF_PROG_DETACH, &attr, sizeof(attr));
}
/// BPF_PROG_QUERY: the ids of the programs attached directly to `target_fd`.
/// `*count` is the capacity of `ids` on input and the number attached on output.
static inline int swl_bpf_prog_query(int target_fd, uint32_t attach_type, uint32_t *ids, uint32_t *count) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.query.target_fd = (uint32_t)target_fd;
    attr.query.attach_type = attach_type;
    attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
    attr.query.prog_cnt = *count;
    int rc = (int)syscall(SYS_bpf, BPF_PROG_QUERY, &attr, sizeof(attr));
    *count = attr.query.prog_cnt;
    return rc;
}
/// BPF_PROG_GET_FD_BY_ID.
static inline int swl_bpf_prog_get_fd_by_id(uint32_t id) {
    union bpf_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.prog_id = id;
    return (int)syscall(SYS_bpf, BPF_PROG_GET_FD_BY_ID, &attr, sizeof(attr));
}

/// Extended attributes (sys/xattr.h is not part of Swift's Glibc module). Used by image
/// unpacking for overlayfs opaque-directory markers and pax SCHILY.xattr records.
#include <sys/xattr.h>
static inline int swl_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags) {
    return fsetxattr(fd, name, value, size, flags);
}
static inline ssize_t swl_fgetxattr(int fd, const char *name, void *value, size_t size) {
    return fgetxattr(fd, name, value, size);
}
static inline ssize_t swl_lgetxattr(const char *path, const char *name, void *value, size_t size) {
    return lgetxattr(path, name, value, size);
}
/// syncfs(2) (a _GNU_SOURCE function Swift's Glibc module does not show).
static inline int swl_syncfs(int fd) { return (int)syscall(SYS_syncfs, fd); }

/// A raw system call by number, for calls glibc has no wrapper for (tests probe a
/// seccomp filter with it).
static inline long swl_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
    return syscall(nr, a1, a2, a3, a4, a5, a6);
}

#endif
